//! Reports of an election: the staffing list per station, the contact list of the placed
//! workers, course attendance per session and the arvode (remuneration) export, each as PDF/A
//! (Typst, `typst/logistics/report.typ`) and as an Excel workbook. The arvode rates per role
//! and for a completed course are kept per election in `el_rate`. Exports of personal data
//! are audit-logged.

pub mod web;

use radhus_kernel::Lang;
use radhus_kernel::ids::TenantId;
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::session::StaffUser;
use radhus_platform::on_tx;
use radhus_platform::pii;
use radhus_platform::web::Ctx;
use rust_xlsxwriter::{Format, Workbook};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime, Time};
use uuid::Uuid;

use crate::structure::service::election_in;
use crate::structure::store::ElectionRow;
use crate::support::audit::audit;
use crate::support::office::require_office;
use crate::support::view;

pub const TEMPLATE: &str = include_str!("../../typst/logistics/report.typ");

// ------------------------------------------------------------------ the people of an election

/// One applicant of the election with their placement, if any, and their courses.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Person {
    pub person_id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub pnr: Option<String>,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub status: String,
    pub role: Option<String>,
    pub station_id: Option<Uuid>,
    pub station: Option<String>,
    pub station_address: Option<String>,
    pub district_code: Option<String>,
    pub district_name: Option<String>,
    pub constituency_id: Option<Uuid>,
    pub shift_name: Option<String>,
    pub shift_day: Option<Date>,
    pub shift_starts: Option<Time>,
    pub shift_ends: Option<Time>,
    pub response: Option<String>,
    pub appointed_at: Option<OffsetDateTime>,
    pub completed_grund: bool,
    pub completed_ordforande: bool,
}

impl Person {
    pub fn name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
    pub fn placed(&self) -> bool {
        self.role.is_some()
    }
    /// "Hela dagen, söndag 13 september 07:30–21:00".
    pub fn shift(&self) -> String {
        match (&self.shift_name, self.shift_day, self.shift_starts, self.shift_ends) {
            (Some(n), Some(d), Some(a), Some(b)) => format!("{n}, {} {}–{}", view::weekday_date(d), view::hm(a), view::hm(b)),
            _ => String::new(),
        }
    }
    pub fn district(&self) -> String {
        match (&self.district_code, &self.district_name) {
            (Some(c), Some(n)) => format!("{c} {n}"),
            _ => String::new(),
        }
    }
    /// Completed the course the rules require for the role (ordförande and vice: the
    /// ordförande course; röstmottagare and the not yet placed: the basic course).
    pub fn completed_required(&self) -> bool {
        match self.role.as_deref() {
            Some("ordforande") | Some("vice") => self.completed_ordforande,
            _ => self.completed_grund,
        }
    }
    pub fn completed_any(&self) -> bool {
        self.completed_grund || self.completed_ordforande
    }
}

/// Everyone who applied to work in the election, placed or not, in name order. A course
/// counts as completed when the courses area says so: an attended session or a completion
/// the office recorded directly (e.g. Valmyndigheten's web course).
pub async fn people(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<Person>> {
    let mut list = people_rows(tx, t, e).await?;
    let done = crate::courses::completed_courses(tx, t, e).await?;
    for p in &mut list {
        p.completed_grund |= done.iter().any(|(q, k)| *q == p.person_id && k == "grund");
        p.completed_ordforande |= done.iter().any(|(q, k)| *q == p.person_id && k == "ordforande");
    }
    Ok(list)
}

async fn people_rows(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<Person>> {
    let mut rows: Vec<Person> = on_tx!(tx, c => sqlx::query_as(
        "SELECT p.id AS person_id, p.given_name, p.family_name, p.pnr_sealed AS pnr, p.email, p.phone, p.address, p.postal_code, p.city, \
         ap.status, x.role, st.id AS station_id, st.name AS station, st.address AS station_address, d.code AS district_code, \
         d.name AS district_name, d.constituency_id, sh.name AS shift_name, sh.day AS shift_day, sh.starts AS shift_starts, \
         sh.ends AS shift_ends, a.response, a.appointed_at, \
         EXISTS (SELECT 1 FROM el_enrolment en JOIN el_session se ON se.tenant_id = en.tenant_id AND se.election_id = en.election_id AND se.id = en.session_id \
                 JOIN el_course co ON co.tenant_id = se.tenant_id AND co.election_id = se.election_id AND co.id = se.course_id \
                 WHERE en.tenant_id = ap.tenant_id AND en.election_id = ap.election_id AND en.person_id = ap.person_id \
                 AND en.completed_at IS NOT NULL AND co.course_key = 'grund') AS completed_grund, \
         EXISTS (SELECT 1 FROM el_enrolment en JOIN el_session se ON se.tenant_id = en.tenant_id AND se.election_id = en.election_id AND se.id = en.session_id \
                 JOIN el_course co ON co.tenant_id = se.tenant_id AND co.election_id = se.election_id AND co.id = se.course_id \
                 WHERE en.tenant_id = ap.tenant_id AND en.election_id = ap.election_id AND en.person_id = ap.person_id \
                 AND en.completed_at IS NOT NULL AND co.course_key = 'ordforande') AS completed_ordforande \
         FROM el_application ap \
         JOIN el_person p ON p.tenant_id = ap.tenant_id AND p.id = ap.person_id \
         LEFT JOIN el_assignment a ON a.tenant_id = ap.tenant_id AND a.election_id = ap.election_id AND a.person_id = ap.person_id \
         LEFT JOIN el_position x ON x.tenant_id = a.tenant_id AND x.election_id = a.election_id AND x.id = a.position_id \
         LEFT JOIN el_station st ON st.tenant_id = x.tenant_id AND st.election_id = x.election_id AND st.id = x.station_id \
         LEFT JOIN el_district d ON d.tenant_id = st.tenant_id AND d.election_id = st.election_id AND d.code = st.district_code \
         LEFT JOIN el_shift sh ON sh.tenant_id = x.tenant_id AND sh.election_id = x.election_id AND sh.id = x.shift_id \
         WHERE ap.tenant_id = $1 AND ap.election_id = $2 ORDER BY p.family_name, p.given_name, p.id")
        .bind(t.0).bind(e).fetch_all(c).await?);
    for p in &mut rows {
        pii::open_in_place(&mut p.pnr)?;
    }
    Ok(rows)
}

/// One position of the staffing list, with its holder if any.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffingLine {
    pub station: String,
    pub station_kind: String,
    pub district_code: Option<String>,
    pub district_name: Option<String>,
    pub shift_name: String,
    pub day: Date,
    pub starts: Time,
    pub ends: Time,
    pub role: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub phone: Option<String>,
}

pub async fn staffing(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<StaffingLine>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT st.name AS station, st.kind AS station_kind, d.code AS district_code, d.name AS district_name, sh.name AS shift_name, \
         sh.day, sh.starts, sh.ends, x.role, p.given_name, p.family_name, p.phone FROM el_position x \
         JOIN el_station st ON st.tenant_id = x.tenant_id AND st.election_id = x.election_id AND st.id = x.station_id \
         JOIN el_shift sh ON sh.tenant_id = x.tenant_id AND sh.election_id = x.election_id AND sh.id = x.shift_id \
         LEFT JOIN el_district d ON d.tenant_id = st.tenant_id AND d.election_id = st.election_id AND d.code = st.district_code \
         LEFT JOIN el_assignment a ON a.tenant_id = x.tenant_id AND a.election_id = x.election_id AND a.position_id = x.id \
         LEFT JOIN el_person p ON p.tenant_id = a.tenant_id AND p.id = a.person_id \
         WHERE x.tenant_id = $1 AND x.election_id = $2 \
         ORDER BY st.kind DESC, st.district_code, st.name, sh.day, sh.starts, \
         CASE x.role WHEN 'ordforande' THEN 0 WHEN 'vice' THEN 1 ELSE 2 END, p.family_name, x.id")
        .bind(t.0).bind(e).fetch_all(c).await?))
}

/// Course attendance of one session.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionLine {
    pub course: String,
    pub starts_at: OffsetDateTime,
    pub place: String,
    pub capacity: i32,
    pub enrolled: i64,
    pub waitlisted: i64,
    pub attended: i64,
    pub completed: i64,
}

pub async fn attendance(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<SessionLine>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT co.name AS course, se.starts_at, se.place, se.capacity, \
         COALESCE(SUM(CASE WHEN en.status = 'enrolled' THEN 1 ELSE 0 END), 0) AS enrolled, \
         COALESCE(SUM(CASE WHEN en.status = 'waitlisted' THEN 1 ELSE 0 END), 0) AS waitlisted, \
         COALESCE(SUM(CASE WHEN en.attended THEN 1 ELSE 0 END), 0) AS attended, \
         COALESCE(SUM(CASE WHEN en.completed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS completed \
         FROM el_session se \
         JOIN el_course co ON co.tenant_id = se.tenant_id AND co.election_id = se.election_id AND co.id = se.course_id \
         LEFT JOIN el_enrolment en ON en.tenant_id = se.tenant_id AND en.election_id = se.election_id AND en.session_id = se.id \
         WHERE se.tenant_id = $1 AND se.election_id = $2 \
         GROUP BY se.id, co.name, se.starts_at, se.place, se.capacity ORDER BY se.starts_at, co.name")
        .bind(t.0).bind(e).fetch_all(c).await?))
}

// ------------------------------------------------------------------ arvode

/// The arvode rates of an election in whole kronor; a missing rate is 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Rates {
    pub ordforande: i32,
    pub vice: i32,
    pub rostmottagare: i32,
    pub course: i32,
}

impl Rates {
    pub fn for_role(&self, role: &str) -> i32 {
        match role {
            "ordforande" => self.ordforande,
            "vice" => self.vice,
            "rostmottagare" => self.rostmottagare,
            _ => 0,
        }
    }
}

pub async fn rates(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Rates> {
    let rows: Vec<(String, i32)> = on_tx!(tx, c => sqlx::query_as("SELECT key, amount FROM el_rate WHERE tenant_id = $1 AND election_id = $2")
        .bind(t.0).bind(e).fetch_all(c).await?);
    let mut r = Rates::default();
    for (k, a) in rows {
        match k.as_str() {
            "ordforande" => r.ordforande = a,
            "vice" => r.vice = a,
            "rostmottagare" => r.rostmottagare = a,
            "course" => r.course = a,
            _ => {}
        }
    }
    Ok(r)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RatesInput {
    #[serde(default)]
    pub ordforande: String,
    #[serde(default)]
    pub vice: String,
    #[serde(default)]
    pub rostmottagare: String,
    #[serde(default)]
    pub course: String,
}

fn kronor(field: &str, s: &str) -> Result<i32> {
    let s: String = s.trim().chars().filter(|c| !c.is_whitespace()).collect();
    let s = s.strip_suffix("kr").unwrap_or(&s).trim();
    if s.is_empty() {
        return Ok(0);
    }
    s.parse::<i32>().ok().filter(|v| (0..=1_000_000).contains(v)).ok_or_else(|| Error::invalid(field, "el-reports-bad-amount"))
}

/// Saves the arvode rates of an election (whole kronor, 0 or more; empty is 0).
pub async fn save_rates(db: &Db, s: &StaffUser, e: Uuid, f: &RatesInput, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let mut errors = vec![];
    let mut vals = vec![];
    for (k, v) in [("ordforande", &f.ordforande), ("vice", &f.vice), ("rostmottagare", &f.rostmottagare), ("course", &f.course)] {
        match kronor(&format!("rate_{k}"), v) {
            Ok(a) => vals.push((k, a)),
            Err(Error::Invalid(mut x)) => errors.append(&mut x),
            Err(x) => return Err(x),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    for (k, a) in &vals {
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO el_rate (tenant_id, election_id, key, amount) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (tenant_id, election_id, key) DO UPDATE SET amount = excluded.amount")
            .bind(t.0).bind(e).bind(*k).bind(*a).execute(c).await?.rows_affected());
    }
    let details: serde_json::Map<String, serde_json::Value> = vals.iter().map(|(k, a)| ((*k).to_string(), (*a).into())).collect();
    audit(&mut tx, s, "elections.reports.rates", "el_election", e, serde_json::Value::Object(details), now).await?;
    tx.commit().await?;
    Ok(())
}

/// One placed worker's arvode: the role's rate and, with a completed course, the course rate.
#[derive(Debug, Clone, Serialize)]
pub struct Arvode {
    pub name: String,
    pub pnr: String,
    pub role: String,
    pub station: String,
    pub shifts: String,
    pub course_completed: bool,
    pub role_amount: i32,
    pub course_amount: i32,
    pub total: i32,
}

/// The arvode of every placed worker who has not declined, in name order.
pub fn arvoden(people: &[Person], r: &Rates) -> Vec<Arvode> {
    people
        .iter()
        .filter(|p| p.placed() && p.response.as_deref() != Some("declined"))
        .map(|p| {
            let role = p.role.clone().unwrap_or_default();
            let role_amount = r.for_role(&role);
            let course_amount = if p.completed_any() { r.course } else { 0 };
            Arvode {
                name: p.name(),
                pnr: p.pnr.clone().unwrap_or_default(),
                station: p.station.clone().unwrap_or_default(),
                shifts: p.shift(),
                course_completed: p.completed_any(),
                role_amount,
                course_amount,
                total: role_amount + course_amount,
                role,
            }
        })
        .collect()
}

// ------------------------------------------------------------------ documents

/// A report as a table: the data of the Typst template and of the Excel sheet.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub title: String,
    pub org_title: String,
    pub election: String,
    pub date: String,
    pub facts: Vec<(String, String)>,
    pub columns: Vec<String>,
    /// Columns with numbers (right-aligned, numbers in Excel).
    pub numeric: Vec<usize>,
    pub rows: Vec<Vec<String>>,
    pub totals: Option<Vec<String>>,
    pub note: String,
    /// A line to sign at the end (a packing list: received by).
    pub signature: bool,
    pub landscape: bool,
}

impl Document {
    pub fn new(ctx: &Ctx, municipality: &str, e: &ElectionRow, title: String, now: OffsetDateTime) -> Self {
        Document {
            title,
            org_title: ctx.municipality_title(municipality),
            election: format!("{} · {}", e.name, view::date(e.election_day)),
            date: now.date().to_string(),
            facts: vec![],
            columns: vec![],
            numeric: vec![],
            rows: vec![],
            totals: None,
            note: String::new(),
            signature: false,
            landscape: false,
        }
    }
}

pub fn pdf(doc: &Document, now: OffsetDateTime) -> Result<Vec<u8>> {
    let json = serde_json::to_string(doc).map_err(|e| Error::Internal(format!("report data: {e}")))?;
    radhus_pdf::render(TEMPLATE, &[("data", &json)], &[], now).map_err(|e| Error::Internal(format!("report: {e}")))
}

/// The PDF, rendered off the async workers (Typst is CPU-bound).
pub async fn pdf_off_thread(doc: Document, now: OffsetDateTime) -> Result<Vec<u8>> {
    tokio::task::spawn_blocking(move || pdf(&doc, now)).await.map_err(|e| Error::Internal(format!("report task: {e}")))?
}

/// The report as a workbook: title, the facts, the table with a filter, numbers as numbers.
pub fn xlsx(doc: &Document, sheet: &str) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).map_err(Error::internal("xlsx"))?;
    let bold = Format::new().set_bold();
    ws.write_string_with_format(0, 0, &doc.title, &bold).map_err(Error::internal("xlsx"))?;
    ws.write_string(1, 0, format!("{} · {}", doc.org_title, doc.election)).map_err(Error::internal("xlsx"))?;
    let mut row = 2u32;
    for (k, v) in &doc.facts {
        ws.write_string(row, 0, k).map_err(Error::internal("xlsx"))?;
        ws.write_string(row, 1, v).map_err(Error::internal("xlsx"))?;
        row += 1;
    }
    row += 1;
    let head = row;
    for (c, h) in doc.columns.iter().enumerate() {
        ws.write_string_with_format(head, c as u16, h, &bold).map_err(Error::internal("xlsx"))?;
    }
    let write_row = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, cells: &[String], fmt: Option<&Format>| -> Result<()> {
        for (c, v) in cells.iter().enumerate() {
            let n = if doc.numeric.contains(&c) { v.replace(' ', "").parse::<f64>().ok() } else { None };
            match (n, fmt) {
                (Some(n), Some(f)) => ws.write_number_with_format(r, c as u16, n, f).map(|_| ()),
                (Some(n), None) => ws.write_number(r, c as u16, n).map(|_| ()),
                (None, Some(f)) => ws.write_string_with_format(r, c as u16, v, f).map(|_| ()),
                (None, None) => ws.write_string(r, c as u16, v).map(|_| ()),
            }
            .map_err(Error::internal("xlsx"))?;
        }
        Ok(())
    };
    for (n, cells) in doc.rows.iter().enumerate() {
        write_row(ws, head + 1 + n as u32, cells, None)?;
    }
    let last = head + doc.rows.len() as u32;
    if let Some(t) = &doc.totals {
        write_row(ws, last + 1, t, Some(&bold))?;
    }
    if !doc.rows.is_empty() && !doc.columns.is_empty() {
        ws.autofilter(head, 0, last, doc.columns.len() as u16 - 1).map_err(Error::internal("xlsx"))?;
    }
    for c in 0..doc.columns.len() {
        let w =
            doc.rows.iter().map(|r| r.get(c).map_or(0, |v| v.chars().count())).chain([doc.columns[c].chars().count()]).max().unwrap_or(10);
        ws.set_column_width(c as u16, (w as f64 + 2.0).min(60.0)).map_err(Error::internal("xlsx"))?;
    }
    ws.set_freeze_panes(head + 1, 0).map_err(Error::internal("xlsx"))?;
    wb.save_to_buffer().map_err(Error::internal("xlsx"))
}

/// "Kils församlingshem" → "kils-forsamlingshem" for file names.
pub fn file_slug(s: &str) -> String {
    let mut out = String::new();
    for ch in s.to_lowercase().chars() {
        let c = match ch {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            'é' => 'e',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if c != '-' || !out.ends_with('-') {
            out.push(c);
        }
    }
    out.trim_matches('-').to_string()
}

/// The reports there are: (file stem, title id, holds personal data).
pub const REPORTS: [(&str, &str, bool); 4] = [
    ("bemanning", "el-reports-staffing", true),
    ("kontakter", "el-reports-contacts", true),
    ("utbildning", "el-reports-attendance", false),
    ("arvoden", "el-reports-arvode", true),
];

/// Builds one report from its file name (`arvoden.xlsx`, `bemanning.pdf` …). Reading a report
/// of personal data is recorded in the audit log in the same transaction that reads it.
pub async fn report(db: &Db, ctx: &Ctx, s: &StaffUser, municipality: &str, e: Uuid, file: &str, now: OffsetDateTime) -> Result<Document> {
    require_office(s)?;
    let (which, format) = file.rsplit_once('.').ok_or(Error::NotFound)?;
    if format != "pdf" && format != "xlsx" {
        return Err(Error::NotFound);
    }
    let (_, title_id, personal) = REPORTS.iter().find(|r| r.0 == which).copied().ok_or(Error::NotFound)?;
    // The documents are in Swedish, the language of the municipality's own records.
    let mut sv = ctx.clone();
    sv.tr.lang = Lang::Sv;
    let ctx = &sv;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let el = election_in(&mut tx, t, e).await?;
    let mut doc = Document::new(ctx, municipality, &el, ctx.t(title_id), now);
    let role = |r: &str| ctx.t(&format!("el-role-{r}"));
    let yes_no = |b: bool| ctx.t(if b { "el-reports-yes" } else { "el-reports-no" });
    match which {
        "bemanning" => {
            let lines = staffing(&mut tx, t, e).await?;
            doc.landscape = true;
            doc.columns = ["el-reports-col-station", "field-district", "field-shift", "field-role", "field-name", "field-contact_phone"]
                .iter()
                .map(|k| ctx.t(k))
                .collect();
            let vacant = lines.iter().filter(|l| l.given_name.is_none()).count();
            for l in &lines {
                doc.rows.push(vec![
                    l.station.clone(),
                    match (&l.district_code, &l.district_name) {
                        (Some(c), Some(n)) => format!("{c} {n}"),
                        _ => ctx.t(&view::kind_id(&l.station_kind)),
                    },
                    format!("{}, {} {}–{}", l.shift_name, view::weekday_date(l.day), view::hm(l.starts), view::hm(l.ends)),
                    role(&l.role),
                    match (&l.given_name, &l.family_name) {
                        (Some(g), Some(f)) => format!("{g} {f}"),
                        _ => ctx.t("el-vacant"),
                    },
                    l.phone.clone().unwrap_or_default(),
                ]);
            }
            doc.facts = vec![(ctx.t("el-positions"), lines.len().to_string()), (ctx.t("el-reports-vacant"), vacant.to_string())];
        }
        "kontakter" => {
            let people: Vec<Person> = people(&mut tx, t, e).await?.into_iter().filter(Person::placed).collect();
            doc.landscape = true;
            doc.columns = ["field-name", "field-contact_phone", "field-email", "field-address", "el-reports-col-station", "field-role"]
                .iter()
                .map(|k| ctx.t(k))
                .collect();
            for p in &people {
                let address = [p.address.as_str(), &format!("{} {}", p.postal_code, p.city)]
                    .iter()
                    .map(|x| x.trim())
                    .filter(|x| !x.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ");
                doc.rows.push(vec![
                    p.name(),
                    p.phone.clone(),
                    p.email.clone(),
                    address,
                    p.station.clone().unwrap_or_default(),
                    role(p.role.as_deref().unwrap_or_default()),
                ]);
            }
            doc.facts = vec![(ctx.t("el-reports-placed"), people.len().to_string())];
        }
        "utbildning" => {
            let lines = attendance(&mut tx, t, e).await?;
            doc.columns = [
                "el-reports-col-course",
                "el-reports-col-when",
                "el-reports-col-place",
                "el-reports-col-capacity",
                "el-reports-col-enrolled",
                "el-reports-col-waitlisted",
                "el-reports-col-attended",
                "el-reports-col-completed",
            ]
            .iter()
            .map(|k| ctx.t(k))
            .collect();
            doc.numeric = vec![3, 4, 5, 6, 7];
            doc.landscape = true;
            let mut sums = [0i64; 4];
            for l in &lines {
                for (i, v) in [l.enrolled, l.waitlisted, l.attended, l.completed].into_iter().enumerate() {
                    sums[i] += v;
                }
                doc.rows.push(vec![
                    l.course.clone(),
                    format!("{} {}", view::date(l.starts_at.date()), view::hm(l.starts_at.time())),
                    l.place.clone(),
                    l.capacity.to_string(),
                    l.enrolled.to_string(),
                    l.waitlisted.to_string(),
                    l.attended.to_string(),
                    l.completed.to_string(),
                ]);
            }
            if !lines.is_empty() {
                let mut t = vec![ctx.t("el-reports-total"), String::new(), String::new(), String::new()];
                t.extend(sums.iter().map(|v| v.to_string()));
                doc.totals = Some(t);
            }
        }
        _ => {
            let r = rates(&mut tx, t, e).await?;
            let people = people(&mut tx, t, e).await?;
            let rows = arvoden(&people, &r);
            doc.landscape = true;
            doc.columns = [
                "field-name",
                "el-reports-col-pnr",
                "field-role",
                "el-reports-col-station",
                "field-shift",
                "el-reports-col-course-done",
                "el-reports-col-role-amount",
                "el-reports-col-course-amount",
                "el-reports-col-total",
            ]
            .iter()
            .map(|k| ctx.t(k))
            .collect();
            doc.numeric = vec![6, 7, 8];
            for a in &rows {
                doc.rows.push(vec![
                    a.name.clone(),
                    a.pnr.clone(),
                    role(&a.role),
                    a.station.clone(),
                    a.shifts.clone(),
                    yes_no(a.course_completed),
                    a.role_amount.to_string(),
                    a.course_amount.to_string(),
                    a.total.to_string(),
                ]);
            }
            let sum = |f: fn(&Arvode) -> i32| rows.iter().map(|a| i64::from(f(a))).sum::<i64>().to_string();
            doc.totals = Some(vec![
                ctx.t("el-reports-total"),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                sum(|a| a.role_amount),
                sum(|a| a.course_amount),
                sum(|a| a.total),
            ]);
            doc.facts = vec![
                (ctx.t("el-role-ordforande"), format!("{} kr", r.ordforande)),
                (ctx.t("el-role-vice"), format!("{} kr", r.vice)),
                (ctx.t("el-role-rostmottagare"), format!("{} kr", r.rostmottagare)),
                (ctx.t("el-reports-rate-course"), format!("{} kr", r.course)),
            ];
            doc.note = ctx.t("el-reports-arvode-note");
        }
    }
    if personal {
        audit(
            &mut tx,
            s,
            "elections.reports.exported",
            "el_election",
            e,
            serde_json::json!({ "report": which, "format": format, "rows": doc.rows.len() }),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(doc)
}
