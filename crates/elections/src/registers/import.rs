//! Imports from files with a preview: the file (CSV with `;` or `,`, UTF-8 with or without BOM;
//! Excel .xlsx; for the structure also Valmyndigheten's JSON) is read into rows, each row is
//! checked and the rows with their problems are kept in a staging table. The office then
//! imports nothing, everything (only when no row has a problem) or only the rows without
//! problems, in one transaction. Persons and premises are checked here, districts and polling
//! places in `crate::registers::valimport`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Cursor;

use calamine::{Data, DataRef, Reader, Xlsx};
use radhus_kernel::ids::TenantId;
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::session::StaffUser;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

pub use super::columns::{Checked, Col, Kind, PERSON_COLS, PREMISES_COLS, Staged, template_csv};
use super::service::{self as reg, PersonInput, PremisesInput};
use super::store::{self, BuildingRow, ImportRow, StagedRowDb};
use crate::error::ElectionError;
use crate::support::audit::audit;
use crate::support::office::require_office;

/// The largest file to import, in bytes, and the request limit around it.
pub const MAX_FILE: usize = 10 * 1024 * 1024;
pub const UPLOAD_LIMIT: usize = MAX_FILE + 64 * 1024;
/// The most rows in one file.
pub const MAX_ROWS: usize = 20_000;
/// The furthest row (0-based) a spreadsheet may have anything in: room for a header, blank
/// lines and [`MAX_ROWS`] rows. Beyond it the file has too many rows (`VAL-107`).
pub const MAX_SHEET_ROW: u32 = 2 * MAX_ROWS as u32;
/// The most columns a file may have anything in (a spreadsheet's furthest column, 0-based,
/// is below it; a JSON file's different keys) and the most filled cells; beyond them the file
/// is too large (`VAL-110`). Cells are kept sparsely, never over the sheet's declared extent.
pub const MAX_COLS: u32 = 200;
pub const MAX_CELLS: usize = 1_000_000;

fn norm(h: &str) -> String {
    h.trim_start_matches('\u{feff}').chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

// ------------------------------------------------------------------ reading files

/// A file read into its header and rows of text: (row number in the file, cells).
#[derive(Debug, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(u32, Vec<String>)>,
}

fn unreadable() -> Error {
    Error::from(ElectionError::Unreadable)
}

fn too_many_rows() -> Error {
    Error::from(ElectionError::TooManyRows)
}

fn too_wide() -> Error {
    Error::from(ElectionError::FileTooWide)
}

/// UTF-8 with or without BOM; a file that is not UTF-8 is read as Latin-1 (as older Excel
/// versions save CSV).
fn decode(bytes: &[u8]) -> String {
    let b = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(bytes);
    match std::str::from_utf8(b) {
        Ok(s) => s.to_string(),
        Err(_) => b.iter().map(|&c| char::from(c)).collect(),
    }
}

pub fn read_table(filename: &str, bytes: &[u8], json: bool) -> Result<Table> {
    if bytes.is_empty() {
        return Err(Error::invalid("reg_file", "el-registers-file-missing"));
    }
    if bytes.len() > MAX_FILE {
        return Err(ElectionError::FileTooLarge.into());
    }
    let lower = filename.to_lowercase();
    let mut table = if bytes.starts_with(b"PK") || lower.ends_with(".xlsx") {
        read_xlsx(bytes)?
    } else {
        let text = decode(bytes);
        let first = text.trim_start().chars().next();
        if json && matches!(first, Some('[') | Some('{')) { read_json(&text)? } else { read_csv(&text)? }
    };
    table.rows.retain(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    if table.rows.len() > MAX_ROWS {
        return Err(too_many_rows());
    }
    Ok(table)
}

fn read_csv(text: &str) -> Result<Table> {
    let first = text.lines().next().unwrap_or("");
    let delimiter = [b';', b',', b'\t'].into_iter().max_by_key(|d| first.bytes().filter(|b| b == d).count()).unwrap_or(b';');
    let mut rdr = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut table = Table::default();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|_| unreadable())?;
        let line = rec.position().map(|p| p.line() as u32).unwrap_or(i as u32 + 1);
        let cells: Vec<String> = rec.iter().map(|c| c.trim().to_string()).collect();
        if i == 0 {
            table.headers = cells;
        } else {
            table.rows.push((line, cells));
        }
        if table.rows.len() > MAX_ROWS {
            break;
        }
    }
    Ok(table)
}

fn cell(d: &Data) -> String {
    match d {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::DateTime(x) => {
            let (y, m, d, hh, mm, _, _) = x.to_ymd_hms_milli();
            if hh == 0 && mm == 0 { format!("{y:04}-{m:02}-{d:02}") } else { format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}") }
        }
        Data::Error(_) => String::new(),
        other => other.to_string().trim().to_string(),
    }
}

/// The first sheet of an Excel file, streamed cell by cell: the zip is checked first
/// ([`super::zipguard`]), a cell beyond [`MAX_SHEET_ROW`] or [`MAX_COLS`] or more than
/// [`MAX_CELLS`] filled cells refuse the file as soon as they are read, and only filled cells are
/// kept (a dense range over a sparse sheet's extent would take gigabytes). The header is the
/// first row with anything in it, the columns start at the first column with anything in it.
fn read_xlsx(bytes: &[u8]) -> Result<Table> {
    super::zipguard::check(bytes, super::zipguard::XLSX).map_err(|r| match r {
        super::zipguard::Refused::Unreadable => unreadable(),
        super::zipguard::Refused::TooLarge => Error::from(ElectionError::UnpackedTooLarge),
    })?;
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| unreadable())?;
    let name = wb.sheet_names().into_iter().next().ok_or_else(unreadable)?;
    let mut reader = wb.worksheet_cells_reader(&name).map_err(|_| unreadable())?;
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    while let Some(c) = reader.next_cell().map_err(|_| unreadable())? {
        if matches!(c.get_value(), DataRef::Empty) {
            continue;
        }
        let (row, col) = c.get_position();
        if row > MAX_SHEET_ROW {
            return Err(too_many_rows());
        }
        if col >= MAX_COLS || cells.len() >= MAX_CELLS {
            return Err(too_wide());
        }
        cells.push((row, col, cell(&Data::from(c.get_value().clone()))));
    }
    cells.sort_by_key(|(r, c, _)| (*r, *c));
    let first_col = cells.iter().map(|(_, c, _)| *c).min().unwrap_or(0);
    // Each row is dense from the first column to its last cell: together that too stays
    // within the cell limit (one cell in the first and one in the last column of every row
    // would not otherwise).
    let width = |row: &[(u32, u32, String)]| row.last().map(|(_, c, _)| (c - first_col) as usize + 1).unwrap_or(0);
    if cells.chunk_by(|a, b| a.0 == b.0).map(width).sum::<usize>() > MAX_CELLS {
        return Err(too_wide());
    }
    let mut table = Table::default();
    for (i, row) in cells.chunk_by_mut(|a, b| a.0 == b.0).enumerate() {
        let mut line = vec![String::new(); width(row)];
        for (_, c, v) in row.iter_mut() {
            line[(*c - first_col) as usize] = std::mem::take(v);
        }
        if i == 0 {
            table.headers = line;
        } else {
            table.rows.push((row[0].0 + 1, line));
        }
    }
    Ok(table)
}

/// One opening of Valmyndigheten's JSON (an object with a date and two times) as
/// "2026-08-26 10:00-18:00".
fn opening_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Object(m) => {
            let get =
                |names: &[&str]| m.iter().find(|(k, _)| names.contains(&norm(k).as_str())).map(|(_, v)| scalar(v)).unwrap_or_default();
            let day = get(&["datum", "dag", "date"]);
            let from = get(&["från", "fran", "öppnar", "oppnar", "tidfrån", "starttid", "from"]);
            let to = get(&["till", "stänger", "stanger", "tidtill", "sluttid", "to"]);
            format!("{day} {from}-{to}")
        }
        other => scalar(other),
    }
}

fn scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.trim().to_string(),
        serde_json::Value::Array(a) => a.iter().map(opening_text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn read_json(text: &str) -> Result<Table> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|_| unreadable())?;
    let items = match v {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(m) => {
            m.into_iter().find_map(|(_, v)| if let serde_json::Value::Array(a) = v { Some(a) } else { None }).ok_or_else(unreadable)?
        }
        _ => return Err(unreadable()),
    };
    let mut table = Table::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut objects = Vec::new();
    for item in items.iter().take(MAX_ROWS + 1) {
        let serde_json::Value::Object(m) = item else { return Err(unreadable()) };
        // Keys differing only in case (or spaces, hyphens) are one column.
        for k in m.keys() {
            if let std::collections::hash_map::Entry::Vacant(v) = index.entry(norm(k)) {
                v.insert(table.headers.len());
                table.headers.push(k.clone());
            }
        }
        objects.push(m);
    }
    // Every row gets every column: a key in one object is a cell in all of them.
    if table.headers.len() > MAX_COLS as usize || table.headers.len().saturating_mul(objects.len()) > MAX_CELLS {
        return Err(too_wide());
    }
    for (i, m) in objects.into_iter().enumerate() {
        let mut cells = vec![String::new(); table.headers.len()];
        for (k, v) in m {
            cells[index[&norm(k)]] = scalar(v);
        }
        table.rows.push((i as u32 + 1, cells));
    }
    Ok(table)
}

/// The rows as values by field key; a required column missing from the header is an error.
pub fn records(table: &Table, cols: &[Col]) -> Result<Vec<(u32, BTreeMap<String, String>)>> {
    let heads: Vec<String> = table.headers.iter().map(|h| norm(h)).collect();
    let mut at: Vec<(&'static str, usize)> = Vec::new();
    for c in cols {
        let found = c.headers.iter().find_map(|h| heads.iter().position(|x| *x == norm(h)));
        match found {
            Some(i) => at.push((c.key, i)),
            None if c.required => return Err(ElectionError::MissingColumns.into()),
            None => {}
        }
    }
    Ok(table
        .rows
        .iter()
        .map(|(n, cells)| (*n, at.iter().map(|(k, i)| (k.to_string(), cells.get(*i).cloned().unwrap_or_default())).collect()))
        .collect())
}

// ------------------------------------------------------------------ staging

/// How long an uploaded file waits in preview: after that its staged rows (personal data) are
/// discarded at the municipality's next upload.
pub const PREVIEW_KEPT: time::Duration = time::Duration::days(7);

/// Discards the files left in preview for longer than [`PREVIEW_KEPT`], with their rows.
async fn discard_stale(tx: &mut Tx, s: &StaffUser, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    for id in store::stale_previews(tx, t, now - PREVIEW_KEPT).await? {
        store::finish_import(tx, t, id, "discarded", (0, 0, 0), now).await?;
        store::delete_staged(tx, t, id).await?;
        audit(tx, s, "elections.import.expired", "el_import", id, serde_json::json!({ "kept_days": PREVIEW_KEPT.whole_days() }), now)
            .await?;
    }
    Ok(())
}

/// Reads, checks and stages a file; returns the import to preview. Files left in preview for
/// more than a week are discarded first.
#[expect(clippy::too_many_arguments, reason = "the file and where it goes")]
pub async fn stage(
    db: &Db,
    s: &StaffUser,
    kind: Kind,
    election: Option<Uuid>,
    kommunkod: &str,
    filename: &str,
    bytes: &[u8],
    now: OffsetDateTime,
) -> Result<Uuid> {
    require_office(s)?;
    let table = read_table(filename, bytes, kind.is_structure())?;
    let recs = records(&table, kind.columns())?;
    if recs.is_empty() {
        return Err(ElectionError::EmptyFile.into());
    }
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    discard_stale(&mut tx, s, now).await?;
    let checked = match (kind, election) {
        (Kind::Persons, None) => check_persons(&mut tx, t, recs, now.date()).await?,
        (Kind::Premises, None) => check_premises(&mut tx, t, recs).await?,
        (Kind::Vallokaler | Kind::Rostningslokaler, Some(e)) => {
            crate::registers::valimport::check(&mut tx, t, kind, e, kommunkod, recs).await?
        }
        _ => return Err(Error::NotFound),
    };
    let id = Uuid::now_v7();
    let name: String = filename.chars().filter(|c| !c.is_control()).take(200).collect();
    store::insert_import(
        &mut tx,
        t,
        &ImportRow {
            id,
            kind: kind.key().into(),
            election_id: election,
            filename: name,
            status: "preview".into(),
            other_kommun: checked.other_kommun as i32,
            created: 0,
            updated: 0,
            skipped: 0,
            created_at: now,
        },
        s.user_id.0,
    )
    .await?;
    let errors = checked.rows.iter().filter(|r| !r.problems.is_empty()).count();
    for r in &checked.rows {
        let problems: Vec<serde_json::Value> =
            r.problems.iter().map(|p| serde_json::json!({ "field": p.field, "message": p.message })).collect();
        store::insert_staged(
            &mut tx,
            t,
            id,
            &StagedRowDb {
                row_no: r.row_no as i32,
                data: serde_json::to_string(&r.data).map_err(|e| Error::Internal(e.to_string()))?,
                problems: serde_json::Value::Array(problems).to_string(),
                action: r.action.into(),
            },
        )
        .await?;
    }
    audit(
        &mut tx,
        s,
        "elections.import.uploaded",
        "el_import",
        id,
        serde_json::json!({ "kind": kind.key(), "election": election, "rows": checked.rows.len(), "with_problems": errors, "other_kommun": checked.other_kommun }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

fn unstage(r: StagedRowDb) -> Staged {
    let data: BTreeMap<String, String> = serde_json::from_str(&r.data).unwrap_or_default();
    let problems: Vec<serde_json::Value> = serde_json::from_str(&r.problems).unwrap_or_default();
    let problems = problems
        .iter()
        .map(|p| FieldError::new(p["field"].as_str().unwrap_or("file"), p["message"].as_str().unwrap_or("el-registers-bad-value")))
        .collect();
    Staged { row_no: r.row_no as u32, data, problems, action: if r.action == "update" { "update" } else { "create" } }
}

/// An import with its staged rows (empty once imported or discarded).
pub struct Preview {
    pub import: ImportRow,
    pub kind: Kind,
    pub rows: Vec<Staged>,
    pub with_problems: usize,
}

impl Preview {
    pub fn good(&self) -> usize {
        self.rows.len() - self.with_problems
    }
}

async fn import_in(tx: &mut Tx, t: TenantId, id: Uuid, election: Option<Uuid>) -> Result<(ImportRow, Kind)> {
    let i = store::import(tx, t, id).await?.ok_or(Error::NotFound)?;
    let kind = Kind::parse(&i.kind).ok_or(Error::NotFound)?;
    if i.election_id != election {
        return Err(Error::NotFound);
    }
    Ok((i, kind))
}

/// The staged rows of a file with their problems. The rows are personal data (persons, the
/// premises' contacts): the look is audit-logged.
pub async fn preview(db: &Db, s: &StaffUser, id: Uuid, election: Option<Uuid>, now: OffsetDateTime) -> Result<Preview> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (import, kind) = import_in(&mut tx, t, id, election).await?;
    let rows: Vec<Staged> = store::staged(&mut tx, t, id).await?.into_iter().map(unstage).collect();
    audit(&mut tx, s, "elections.import.previewed", "el_import", id, serde_json::json!({ "kind": kind.key(), "rows": rows.len() }), now)
        .await?;
    tx.commit().await?;
    let with_problems = rows.iter().filter(|r| !r.problems.is_empty()).count();
    Ok(Preview { import, kind, rows, with_problems })
}

/// What the office chose to do with a previewed file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Nothing,
    All,
    Good,
}

impl Choice {
    pub fn parse(s: &str) -> Option<Choice> {
        match s {
            "nothing" => Some(Choice::Nothing),
            "all" => Some(Choice::All),
            "good" => Some(Choice::Good),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Outcome {
    pub created: usize,
    pub updated: usize,
    /// Rows left out because they had problems.
    pub skipped: usize,
}

/// Imports a previewed file (all of it, or its rows without problems) or discards it, in one
/// transaction.
pub async fn apply(db: &Db, s: &StaffUser, id: Uuid, election: Option<Uuid>, choice: Choice, now: OffsetDateTime) -> Result<Outcome> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (import, kind) = import_in(&mut tx, t, id, election).await?;
    if import.status != "preview" {
        return Err(ElectionError::ImportDone.into());
    }
    let rows: Vec<Staged> = store::staged(&mut tx, t, id).await?.into_iter().map(unstage).collect();
    let with_problems = rows.iter().filter(|r| !r.problems.is_empty()).count();
    if choice == Choice::All && with_problems > 0 {
        return Err(ElectionError::ImportHasProblems.into());
    }
    let good: Vec<Staged> = rows.into_iter().filter(|r| r.problems.is_empty()).collect();
    let mut out = Outcome { skipped: with_problems, ..Outcome::default() };
    if choice != Choice::Nothing {
        let (c, u) = match (kind, election) {
            (Kind::Persons, _) => apply_persons(&mut tx, t, &good, now).await?,
            (Kind::Premises, _) => apply_premises(&mut tx, t, &good, now).await?,
            (_, Some(e)) => crate::registers::valimport::apply(&mut tx, t, e, kind, &good).await?,
            (_, None) => return Err(Error::NotFound),
        };
        out.created = c;
        out.updated = u;
    }
    let status = if choice == Choice::Nothing { "discarded" } else { "imported" };
    store::finish_import(&mut tx, t, id, status, (out.created as i32, out.updated as i32, out.skipped as i32), now).await?;
    store::delete_staged(&mut tx, t, id).await?;
    audit(
        &mut tx,
        s,
        if choice == Choice::Nothing { "elections.import.discarded" } else { "elections.import.applied" },
        "el_import",
        id,
        serde_json::json!({ "kind": kind.key(), "created": out.created, "updated": out.updated, "skipped": out.skipped }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(out)
}

/// The latest imports of the registers (`None`) or of an election.
pub async fn recent(db: &Db, s: &StaffUser, election: Option<Uuid>) -> Result<Vec<ImportRow>> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let r = store::recent_imports(&mut tx, t, election).await?;
    tx.commit().await?;
    Ok(r)
}

/// The field errors of a form check as problems of an import row (a rule broken by the whole
/// row is shown on the file).
fn problems_of(r: Result<()>) -> Vec<FieldError> {
    let mut p = reg::Problems::default();
    p.take(r);
    p.0
}

// ------------------------------------------------------------------ persons

fn person_input(r: &BTreeMap<String, String>) -> PersonInput {
    let g = |k: &str| r.get(k).cloned().unwrap_or_default();
    PersonInput {
        pnr: g("reg_pnr"),
        given_name: g("reg_given_name"),
        family_name: g("reg_family_name"),
        email: g("email"),
        phone: g("reg_phone"),
        address: g("address"),
        postal_code: g("reg_postal_code"),
        city: g("reg_city"),
        lat: g("lat"),
        lon: g("lon"),
        birth_date: String::new(),
        languages: g("reg_languages"),
        preferences: g("reg_preferences"),
        notes: g("reg_notes"),
    }
}

async fn check_persons(tx: &mut Tx, t: TenantId, recs: Vec<(u32, BTreeMap<String, String>)>, today: Date) -> Result<Checked> {
    let existing: HashSet<String> = store::pnrs(tx, t).await?.into_iter().map(|(p, _)| p).collect();
    let mut rows: Vec<Staged> = recs
        .into_iter()
        .map(|(row_no, data)| {
            let r = reg::valid_person(&person_input(&data), today);
            let action = match &r {
                Ok(p) if p.pnr.as_ref().is_some_and(|n| existing.contains(n)) => "update",
                _ => "create",
            };
            let pnr = r.as_ref().ok().and_then(|p| p.pnr.clone());
            let mut st = Staged { row_no, data, problems: problems_of(r.map(|_| ())), action };
            if let Some(n) = pnr {
                st.data.insert("_pnr".into(), n);
            }
            st
        })
        .collect();
    // A personnummer twice in the file: every row with it is a problem.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for r in &rows {
        if let Some(n) = r.data.get("_pnr") {
            *seen.entry(n.clone()).or_default() += 1;
        }
    }
    for r in &mut rows {
        if r.data.get("_pnr").is_some_and(|n| seen[n] > 1) {
            r.problems.push(FieldError::new("reg_pnr", "el-registers-pnr-twice"));
        }
        r.data.remove("_pnr");
    }
    Ok(Checked { rows, other_kommun: 0 })
}

async fn apply_persons(tx: &mut Tx, t: TenantId, rows: &[Staged], now: OffsetDateTime) -> Result<(usize, usize)> {
    let (mut created, mut updated) = (0, 0);
    for r in rows {
        let Ok(mut p) = reg::valid_person(&person_input(&r.data), now.date()) else { continue };
        let existing = match &p.pnr {
            Some(n) => store::person_by_pnr(tx, t, n).await?,
            None => None,
        };
        match existing {
            Some(id) => {
                let old = store::person(tx, t, id).await?.ok_or(Error::NotFound)?;
                // A column left empty in the file keeps what the register has.
                let keep = |new: String, old: String| if new.is_empty() { old } else { new };
                p.id = id;
                p.email = keep(p.email, old.email);
                p.phone = keep(p.phone, old.phone);
                p.address = keep(p.address, old.address);
                p.postal_code = keep(p.postal_code, old.postal_code);
                p.city = keep(p.city, old.city);
                p.languages = keep(p.languages, old.languages);
                p.preferences = keep(p.preferences, old.preferences);
                p.notes = keep(p.notes, old.notes);
                if p.lat.is_none() {
                    (p.lat, p.lon) = (old.lat, old.lon);
                }
                store::update_person(tx, t, &p, now).await?;
                updated += 1;
            }
            None => {
                p.id = Uuid::now_v7();
                store::insert_person(tx, t, &p, now).await?;
                created += 1;
            }
        }
    }
    Ok((created, updated))
}

// ------------------------------------------------------------------ premises

fn premises_input(r: &BTreeMap<String, String>) -> PremisesInput {
    let g = |k: &str| r.get(k).cloned().unwrap_or_default();
    PremisesInput {
        building: String::new(),
        name: g("name"),
        address: g("address"),
        postal_code: g("reg_postal_code"),
        city: g("reg_city"),
        lat: g("lat"),
        lon: g("lon"),
        accessibility: g("reg_accessibility"),
        capacity: g("reg_capacity"),
        keys: g("reg_keys"),
        contact_name: g("reg_contact_name"),
        contact_phone: g("contact_phone"),
        notes: g("reg_notes"),
    }
}

async fn check_premises(tx: &mut Tx, t: TenantId, recs: Vec<(u32, BTreeMap<String, String>)>) -> Result<Checked> {
    let existing: HashSet<String> = store::premises_list(tx, t).await?.into_iter().map(|p| p.name.to_lowercase()).collect();
    let mut count: HashMap<String, usize> = HashMap::new();
    for (_, d) in &recs {
        let n = d.get("name").map(|x| x.trim().to_lowercase()).unwrap_or_default();
        if !n.is_empty() {
            *count.entry(n).or_default() += 1;
        }
    }
    Ok(Checked {
        rows: recs
            .into_iter()
            .map(|(row_no, data)| {
                let r = reg::valid_premises(&premises_input(&data));
                let name = data.get("name").map(|x| x.trim().to_lowercase()).unwrap_or_default();
                let mut problems = problems_of(r.map(|_| ()));
                if count.get(&name).is_some_and(|n| *n > 1) {
                    problems.push(FieldError::new("name", "el-registers-name-twice"));
                }
                let action = if existing.contains(&name) { "update" } else { "create" };
                Staged { row_no, data, problems, action }
            })
            .collect(),
        other_kommun: 0,
    })
}

async fn apply_premises(tx: &mut Tx, t: TenantId, rows: &[Staged], now: OffsetDateTime) -> Result<(usize, usize)> {
    let mut buildings: HashMap<String, Uuid> = store::buildings(tx, t).await?.into_iter().map(|b| (b.name.to_lowercase(), b.id)).collect();
    let existing: HashMap<String, Uuid> = store::premises_list(tx, t).await?.into_iter().map(|p| (p.name.to_lowercase(), p.id)).collect();
    let (mut created, mut updated) = (0, 0);
    for r in rows {
        let Ok(mut p) = reg::valid_premises(&premises_input(&r.data)) else { continue };
        let b = r.get("reg_building").trim();
        p.building_id = if b.is_empty() {
            None
        } else if let Some(id) = buildings.get(&b.to_lowercase()) {
            Some(*id)
        } else {
            let id = Uuid::now_v7();
            store::insert_building(
                tx,
                t,
                &BuildingRow { id, name: b.to_string(), address: p.address.clone(), notes: String::new(), created_at: now },
            )
            .await?;
            buildings.insert(b.to_lowercase(), id);
            Some(id)
        };
        match existing.get(&p.name.to_lowercase()) {
            Some(id) => {
                let old = store::premises(tx, t, *id).await?.ok_or(Error::NotFound)?;
                p.id = *id;
                if p.building_id.is_none() {
                    p.building_id = old.building_id;
                }
                store::update_premises(tx, t, &p).await?;
                updated += 1;
            }
            None => {
                p.id = Uuid::now_v7();
                store::insert_premises(tx, t, &p, now).await?;
                created += 1;
            }
        }
    }
    Ok((created, updated))
}
