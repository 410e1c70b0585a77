//! SQL of the registers kept between elections (buildings, premises with photos, persons with
//! their history) and of the import staging area. Every query filters on the tenant.

use radhus_kernel::ids::TenantId;
use radhus_platform::db::Tx;
use radhus_platform::error::Result;
use radhus_platform::on_tx;
use radhus_platform::pii;
use serde::Serialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

// ------------------------------------------------------------------ buildings

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct BuildingRow {
    pub id: Uuid,
    pub name: String,
    pub address: String,
    pub notes: String,
    pub created_at: OffsetDateTime,
}

pub async fn buildings(tx: &mut Tx, t: TenantId) -> Result<Vec<BuildingRow>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT id, name, address, notes, created_at FROM el_building WHERE tenant_id = $1 ORDER BY name, id")
        .bind(t.0).fetch_all(c).await?),
    )
}

pub async fn building(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<BuildingRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as("SELECT id, name, address, notes, created_at FROM el_building WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).fetch_optional(c).await?))
}

pub async fn insert_building(tx: &mut Tx, t: TenantId, b: &BuildingRow) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO el_building (tenant_id, id, name, address, notes, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(t.0).bind(b.id).bind(&b.name).bind(&b.address).bind(&b.notes).bind(b.created_at).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn update_building(tx: &mut Tx, t: TenantId, id: Uuid, name: &str, address: &str, notes: &str) -> Result<bool> {
    let n = on_tx!(tx, c => sqlx::query("UPDATE el_building SET name = $3, address = $4, notes = $5 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).bind(name).bind(address).bind(notes).execute(c).await?.rows_affected());
    Ok(n == 1)
}

// ------------------------------------------------------------------ premises

#[derive(Debug, Clone, Default, Serialize, sqlx::FromRow)]
pub struct PremisesRow {
    pub id: Uuid,
    pub building_id: Option<Uuid>,
    pub name: String,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub accessibility: String,
    pub capacity: Option<i32>,
    pub keys: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub notes: String,
}

macro_rules! premises_cols {
    () => {
        "id, building_id, name, address, postal_code, city, lat, lon, accessibility, capacity, keys, contact_name, contact_phone, notes"
    };
}

pub async fn premises_list(tx: &mut Tx, t: TenantId) -> Result<Vec<PremisesRow>> {
    let sql = concat!("SELECT ", premises_cols!(), " FROM el_premises WHERE tenant_id = $1 ORDER BY name, id");
    Ok(on_tx!(tx, c => sqlx::query_as(sql).bind(t.0).fetch_all(c).await?))
}

pub async fn premises(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<PremisesRow>> {
    let sql = concat!("SELECT ", premises_cols!(), " FROM el_premises WHERE tenant_id = $1 AND id = $2");
    Ok(on_tx!(tx, c => sqlx::query_as(sql).bind(t.0).bind(id).fetch_optional(c).await?))
}

pub async fn insert_premises(tx: &mut Tx, t: TenantId, p: &PremisesRow, now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO el_premises (tenant_id, id, building_id, name, address, postal_code, city, lat, lon, accessibility, capacity, keys, contact_name, contact_phone, notes, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)")
        .bind(t.0).bind(p.id).bind(p.building_id).bind(&p.name).bind(&p.address).bind(&p.postal_code).bind(&p.city)
        .bind(p.lat).bind(p.lon).bind(&p.accessibility).bind(p.capacity).bind(&p.keys).bind(&p.contact_name)
        .bind(&p.contact_phone).bind(&p.notes).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn update_premises(tx: &mut Tx, t: TenantId, p: &PremisesRow) -> Result<bool> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE el_premises SET building_id = $3, name = $4, address = $5, postal_code = $6, city = $7, lat = $8, lon = $9, \
         accessibility = $10, capacity = $11, keys = $12, contact_name = $13, contact_phone = $14, notes = $15 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(p.id).bind(p.building_id).bind(&p.name).bind(&p.address).bind(&p.postal_code).bind(&p.city)
        .bind(p.lat).bind(p.lon).bind(&p.accessibility).bind(p.capacity).bind(&p.keys).bind(&p.contact_name)
        .bind(&p.contact_phone).bind(&p.notes).execute(c).await?.rows_affected());
    Ok(n == 1)
}

// ------------------------------------------------------------------ photos

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PhotoRow {
    pub id: Uuid,
    pub premises_id: Uuid,
    pub caption: String,
    pub mime: String,
    pub created_at: OffsetDateTime,
}

pub async fn photos(tx: &mut Tx, t: TenantId, premises: Uuid) -> Result<Vec<PhotoRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT id, premises_id, caption, mime, created_at FROM el_premises_photo WHERE tenant_id = $1 AND premises_id = $2 ORDER BY created_at, id")
        .bind(t.0).bind(premises).fetch_all(c).await?))
}

/// Number of photos per premises.
pub async fn photo_counts(tx: &mut Tx, t: TenantId) -> Result<Vec<(Uuid, i64)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT premises_id, COUNT(*) FROM el_premises_photo WHERE tenant_id = $1 GROUP BY premises_id")
        .bind(t.0).fetch_all(c).await?))
}

pub async fn photo_content(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<(String, Vec<u8>)>> {
    Ok(on_tx!(tx, c => sqlx::query_as("SELECT mime, content FROM el_premises_photo WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).fetch_optional(c).await?))
}

#[expect(clippy::too_many_arguments, reason = "the photo's fields")]
pub async fn insert_photo(
    tx: &mut Tx,
    t: TenantId,
    id: Uuid,
    premises: Uuid,
    caption: &str,
    mime: &str,
    content: &[u8],
    by: Uuid,
    now: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO el_premises_photo (tenant_id, id, premises_id, caption, mime, content, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(t.0).bind(id).bind(premises).bind(caption).bind(mime).bind(content).bind(by).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn delete_photo(tx: &mut Tx, t: TenantId, premises: Uuid, id: Uuid) -> Result<bool> {
    let n = on_tx!(tx, c => sqlx::query("DELETE FROM el_premises_photo WHERE tenant_id = $1 AND premises_id = $2 AND id = $3")
        .bind(t.0).bind(premises).bind(id).execute(c).await?.rows_affected());
    Ok(n == 1)
}

// ------------------------------------------------------------------ persons

/// The register's sealed personal identity numbers (ADR 0018), for `radhus keys rotate` and
/// the start-up sealing of the numbers migration 0038 moved to `pnr_plaintext`.
pub const SEALED_COLUMNS: &[pii::SealedColumn] =
    &[pii::SealedColumn { table: "el_person", sealed: "pnr_sealed", index: Some("pnr_index"), plaintext: Some("pnr_plaintext") }];

#[derive(Debug, Clone, Default, Serialize, sqlx::FromRow)]
pub struct PersonRow {
    pub id: Uuid,
    pub pnr: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub birth_date: Option<Date>,
    pub languages: String,
    pub preferences: String,
    pub notes: String,
}

impl PersonRow {
    /// The row with its sealed number (selected `pnr_sealed AS pnr`) opened, in memory.
    fn opened(mut self) -> Result<Self> {
        pii::open_in_place(&mut self.pnr)?;
        Ok(self)
    }

    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

macro_rules! person_cols {
    () => {
        "id, pnr_sealed AS pnr, given_name, family_name, email, phone, address, postal_code, city, lat, lon, birth_date, languages, preferences, notes"
    };
}

/// Every person of the municipality, by family name and given name.
pub async fn persons(tx: &mut Tx, t: TenantId) -> Result<Vec<PersonRow>> {
    let sql = concat!("SELECT ", person_cols!(), " FROM el_person WHERE tenant_id = $1 ORDER BY family_name, given_name, id");
    let rows: Vec<PersonRow> = on_tx!(tx, c => sqlx::query_as(sql).bind(t.0).fetch_all(c).await?);
    rows.into_iter().map(PersonRow::opened).collect()
}

pub async fn person(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<PersonRow>> {
    let sql = concat!("SELECT ", person_cols!(), " FROM el_person WHERE tenant_id = $1 AND id = $2");
    let row: Option<PersonRow> = on_tx!(tx, c => sqlx::query_as(sql).bind(t.0).bind(id).fetch_optional(c).await?);
    row.map(PersonRow::opened).transpose()
}

/// The person with this number, found by its blind index (ADR 0018).
pub async fn person_by_pnr(tx: &mut Tx, t: TenantId, pnr: &str) -> Result<Option<Uuid>> {
    let index = pii::index_str(pnr)?;
    let r: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as("SELECT id FROM el_person WHERE tenant_id = $1 AND pnr_index = $2")
        .bind(t.0).bind(index).fetch_optional(c).await?);
    Ok(r.map(|x| x.0))
}

/// The personnummer in the register: (pnr, person), opened in memory.
pub async fn pnrs(tx: &mut Tx, t: TenantId) -> Result<Vec<(String, Uuid)>> {
    let rows: Vec<(String, Uuid)> = on_tx!(tx, c => sqlx::query_as("SELECT pnr_sealed, id FROM el_person WHERE tenant_id = $1 AND pnr_sealed IS NOT NULL")
        .bind(t.0).fetch_all(c).await?);
    rows.into_iter().map(|(s, id)| Ok((pii::open_text(&s)?, id))).collect()
}

/// The sealed number and blind index of a row's number (both NULL without one).
fn sealed(p: &PersonRow) -> Result<(Option<String>, Option<String>)> {
    Ok(match p.pnr.as_deref() {
        Some(n) => {
            let s = pii::seal_str(n)?;
            (Some(s.sealed), Some(s.index))
        }
        None => (None, None),
    })
}

pub async fn insert_person(tx: &mut Tx, t: TenantId, p: &PersonRow, now: OffsetDateTime) -> Result<()> {
    let (pnr_sealed, pnr_index) = sealed(p)?;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO el_person (tenant_id, id, pnr_sealed, pnr_index, given_name, family_name, email, phone, address, postal_code, city, lat, lon, birth_date, languages, preferences, notes, created_at, updated_at) \
         VALUES ($1, $2, $3, $18, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)")
        .bind(t.0).bind(p.id).bind(&pnr_sealed).bind(&p.given_name).bind(&p.family_name).bind(&p.email).bind(&p.phone)
        .bind(&p.address).bind(&p.postal_code).bind(&p.city).bind(p.lat).bind(p.lon).bind(p.birth_date)
        .bind(&p.languages).bind(&p.preferences).bind(&p.notes).bind(now).bind(&pnr_index).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn update_person(tx: &mut Tx, t: TenantId, p: &PersonRow, now: OffsetDateTime) -> Result<bool> {
    let (pnr_sealed, pnr_index) = sealed(p)?;
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE el_person SET pnr_sealed = $3, pnr_index = $18, given_name = $4, family_name = $5, email = $6, phone = $7, address = $8, postal_code = $9, city = $10, \
         lat = $11, lon = $12, birth_date = $13, languages = $14, preferences = $15, notes = $16, updated_at = $17 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(p.id).bind(&pnr_sealed).bind(&p.given_name).bind(&p.family_name).bind(&p.email).bind(&p.phone)
        .bind(&p.address).bind(&p.postal_code).bind(&p.city).bind(p.lat).bind(p.lon).bind(p.birth_date)
        .bind(&p.languages).bind(&p.preferences).bind(&p.notes).bind(now).bind(&pnr_index).execute(c).await?.rows_affected());
    Ok(n == 1)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct HistoryRow {
    pub year: i32,
    pub role: String,
    pub place: String,
}

pub async fn history(tx: &mut Tx, t: TenantId, person: Uuid) -> Result<Vec<HistoryRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT year, role, place FROM el_person_history WHERE tenant_id = $1 AND person_id = $2 ORDER BY year DESC")
        .bind(t.0).bind(person).fetch_all(c).await?))
}

pub async fn insert_history(tx: &mut Tx, t: TenantId, person: Uuid, h: &HistoryRow) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO el_person_history (tenant_id, person_id, year, role, place) VALUES ($1, $2, $3, $4, $5)")
        .bind(t.0).bind(person).bind(h.year).bind(&h.role).bind(&h.place).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn delete_history(tx: &mut Tx, t: TenantId, person: Uuid, year: i32) -> Result<bool> {
    let n = on_tx!(tx, c => sqlx::query("DELETE FROM el_person_history WHERE tenant_id = $1 AND person_id = $2 AND year = $3")
        .bind(t.0).bind(person).bind(year).execute(c).await?.rows_affected());
    Ok(n == 1)
}

/// A person's work in an election of the platform.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AssignmentLine {
    pub election_id: Uuid,
    pub election: String,
    pub election_day: Date,
    pub station: String,
    pub role: String,
    pub response: String,
    pub appointed: bool,
}

pub async fn assignments_of(tx: &mut Tx, t: TenantId, person: Uuid) -> Result<Vec<AssignmentLine>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT e.id AS election_id, e.name AS election, e.election_day, st.name AS station, x.role, a.response, \
         CASE WHEN a.appointed_at IS NULL THEN FALSE ELSE TRUE END AS appointed \
         FROM el_assignment a \
         JOIN el_position x ON x.tenant_id = a.tenant_id AND x.election_id = a.election_id AND x.id = a.position_id \
         JOIN el_station st ON st.tenant_id = x.tenant_id AND st.election_id = x.election_id AND st.id = x.station_id \
         JOIN el_election e ON e.tenant_id = a.tenant_id AND e.id = a.election_id \
         WHERE a.tenant_id = $1 AND a.person_id = $2 ORDER BY e.election_day DESC, e.name")
        .bind(t.0).bind(person).fetch_all(c).await?))
}

/// The elections a person applied to, with the application's status.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ApplicationLine {
    pub election_id: Uuid,
    pub election: String,
    pub election_day: Date,
    pub status: String,
}

pub async fn applications_of(tx: &mut Tx, t: TenantId, person: Uuid) -> Result<Vec<ApplicationLine>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT e.id AS election_id, e.name AS election, e.election_day, a.status FROM el_application a \
         JOIN el_election e ON e.tenant_id = a.tenant_id AND e.id = a.election_id \
         WHERE a.tenant_id = $1 AND a.person_id = $2 ORDER BY e.election_day DESC, e.name")
        .bind(t.0).bind(person).fetch_all(c).await?))
}

/// How many buildings, premises and persons the registers hold.
pub async fn counts(tx: &mut Tx, t: TenantId) -> Result<(i64, i64, i64)> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM el_building WHERE tenant_id = $1), (SELECT COUNT(*) FROM el_premises WHERE tenant_id = $1), \
         (SELECT COUNT(*) FROM el_person WHERE tenant_id = $1)")
        .bind(t.0).fetch_one(c).await?))
}

// ------------------------------------------------------------------ imports

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ImportRow {
    pub id: Uuid,
    pub kind: String,
    pub election_id: Option<Uuid>,
    pub filename: String,
    pub status: String,
    pub other_kommun: i32,
    pub created: i32,
    pub updated: i32,
    pub skipped: i32,
    pub created_at: OffsetDateTime,
}

pub async fn insert_import(tx: &mut Tx, t: TenantId, i: &ImportRow, by: Uuid) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO el_import (tenant_id, id, kind, election_id, filename, status, other_kommun, created, updated, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0, $8, $9)")
        .bind(t.0).bind(i.id).bind(&i.kind).bind(i.election_id).bind(&i.filename).bind(&i.status).bind(i.other_kommun)
        .bind(by).bind(i.created_at).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn import(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<ImportRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT id, kind, election_id, filename, status, other_kommun, created, updated, skipped, created_at FROM el_import WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).fetch_optional(c).await?))
}

/// Marks an import in preview as done: `false` when it was already imported or discarded.
pub async fn finish_import(tx: &mut Tx, t: TenantId, id: Uuid, status: &str, counts: (i32, i32, i32), now: OffsetDateTime) -> Result<bool> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE el_import SET status = $3, created = $4, updated = $5, skipped = $6, finished_at = $7 WHERE tenant_id = $1 AND id = $2 AND status = 'preview'")
        .bind(t.0).bind(id).bind(status).bind(counts.0).bind(counts.1).bind(counts.2).bind(now).execute(c).await?.rows_affected());
    Ok(n == 1)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StagedRowDb {
    pub row_no: i32,
    pub data: String,
    pub problems: String,
    pub action: String,
}

pub async fn insert_staged(tx: &mut Tx, t: TenantId, import: Uuid, r: &StagedRowDb) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO el_import_row (tenant_id, import_id, row_no, data, problems, action) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(t.0).bind(import).bind(r.row_no).bind(&r.data).bind(&r.problems).bind(&r.action).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn staged(tx: &mut Tx, t: TenantId, import: Uuid) -> Result<Vec<StagedRowDb>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT row_no, data, problems, action FROM el_import_row WHERE tenant_id = $1 AND import_id = $2 ORDER BY row_no")
        .bind(t.0).bind(import).fetch_all(c).await?))
}

/// Files left in preview since before `before` (uploaded and never imported or discarded).
pub async fn stale_previews(tx: &mut Tx, t: TenantId, before: OffsetDateTime) -> Result<Vec<Uuid>> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "SELECT id FROM el_import WHERE tenant_id = $1 AND status = 'preview' AND created_at < $2 ORDER BY created_at")
        .bind(t.0).bind(before).fetch_all(c).await?))
}

/// The staged rows are not kept once the file is imported or discarded.
pub async fn delete_staged(tx: &mut Tx, t: TenantId, import: Uuid) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM el_import_row WHERE tenant_id = $1 AND import_id = $2")
        .bind(t.0).bind(import).execute(c).await?.rows_affected());
    Ok(())
}

/// The latest imports of a kind (for the import page), newest first.
pub async fn recent_imports(tx: &mut Tx, t: TenantId, election: Option<Uuid>) -> Result<Vec<ImportRow>> {
    Ok(match election {
        Some(e) => on_tx!(tx, c => sqlx::query_as(
            "SELECT id, kind, election_id, filename, status, other_kommun, created, updated, skipped, created_at FROM el_import \
             WHERE tenant_id = $1 AND election_id = $2 ORDER BY created_at DESC, id DESC LIMIT 10")
            .bind(t.0).bind(e).fetch_all(c).await?),
        None => on_tx!(tx, c => sqlx::query_as(
            "SELECT id, kind, election_id, filename, status, other_kommun, created, updated, skipped, created_at FROM el_import \
             WHERE tenant_id = $1 AND election_id IS NULL ORDER BY created_at DESC, id DESC LIMIT 10")
            .bind(t.0).fetch_all(c).await?),
    })
}

// ------------------------------------------------------------------ stations (for the structure import)

/// Updates an existing polling station found again in an imported file.
#[expect(clippy::too_many_arguments, reason = "the station's place")]
pub async fn update_station_place(
    tx: &mut Tx,
    t: TenantId,
    e: Uuid,
    id: Uuid,
    address: &str,
    (lat, lon): (f64, f64),
    premises: Option<Uuid>,
    district: Option<&str>,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE el_station SET address = $4, lat = $5, lon = $6, premises_id = COALESCE($7, premises_id), district_code = COALESCE($8, district_code) \
         WHERE tenant_id = $1 AND election_id = $2 AND id = $3")
        .bind(t.0).bind(e).bind(id).bind(address).bind(lat).bind(lon).bind(premises).bind(district).execute(c).await?.rows_affected());
    Ok(())
}
