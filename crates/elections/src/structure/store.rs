//! SQL of the election structure (private to the module): elections, valkretsar, valdistrikt,
//! polling stations with opening hours, shifts and positions. Every query filters on the tenant.
//! The other areas (registers, applications, courses …) keep their SQL in their own files.

use radhus_kernel::ids::TenantId;
use radhus_platform::db::Tx;
use radhus_platform::error::Result;
use radhus_platform::on_tx;
use serde::Serialize;
use time::{Date, OffsetDateTime, Time};
use uuid::Uuid;

// ------------------------------------------------------------------ elections

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ElectionRow {
    pub id: Uuid,
    pub kind: String,
    pub name: String,
    pub election_day: Date,
    pub early_from: Option<Date>,
    pub early_to: Option<Date>,
    pub rules_version: String,
    pub candidate_policy: String,
    pub applications_open: bool,
    pub copied_from: Option<Uuid>,
    pub created_at: OffsetDateTime,
}

macro_rules! election_cols {
    () => {
        "id, kind, name, election_day, early_from, early_to, rules_version, candidate_policy, applications_open, copied_from, created_at"
    };
}

pub async fn elections(tx: &mut Tx, t: TenantId) -> Result<Vec<ElectionRow>> {
    let sql = concat!("SELECT ", election_cols!(), " FROM el_election WHERE tenant_id = $1 ORDER BY election_day DESC, name");
    Ok(on_tx!(tx, c => sqlx::query_as(sql).bind(t.0).fetch_all(c).await?))
}

pub async fn election(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<ElectionRow>> {
    let sql = concat!("SELECT ", election_cols!(), " FROM el_election WHERE tenant_id = $1 AND id = $2");
    Ok(on_tx!(tx, c => sqlx::query_as(sql).bind(t.0).bind(id).fetch_optional(c).await?))
}

pub struct NewElection<'a> {
    pub id: Uuid,
    pub kind: &'a str,
    pub name: &'a str,
    pub day: Date,
    pub early_from: Option<Date>,
    pub early_to: Option<Date>,
    pub rules_version: &'a str,
    pub candidate_policy: &'a str,
    pub copied_from: Option<Uuid>,
}

pub async fn insert_election(tx: &mut Tx, t: TenantId, e: &NewElection<'_>, now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO el_election (tenant_id, id, kind, name, election_day, early_from, early_to, rules_version, candidate_policy, applications_open, copied_from, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, FALSE, $10, $11)")
        .bind(t.0).bind(e.id).bind(e.kind).bind(e.name).bind(e.day).bind(e.early_from).bind(e.early_to)
        .bind(e.rules_version).bind(e.candidate_policy).bind(e.copied_from).bind(now)
        .execute(c).await?.rows_affected());
    Ok(())
}

/// What the office adds to an election for the worker and the letters (issue 18 items 17 and
/// 18): the valnämnd's diary number (empty: none) and the last day to answer an offer.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct ElectionExtra {
    pub diary_number: String,
    pub reply_deadline: Option<Date>,
}

pub async fn election_extra(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<ElectionExtra> {
    let row: Option<ElectionExtra> = on_tx!(tx, c => sqlx::query_as(
        "SELECT diary_number, reply_deadline FROM el_election WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).fetch_optional(c).await?);
    Ok(row.unwrap_or_default())
}

pub async fn set_election_extra(tx: &mut Tx, t: TenantId, id: Uuid, x: &ElectionExtra) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE el_election SET diary_number = $3, reply_deadline = $4 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).bind(&x.diary_number).bind(x.reply_deadline).execute(c).await?.rows_affected());
    Ok(())
}

impl ElectionRow {
    /// Whether the public form takes applications on `today` (the municipality's date): the
    /// office has opened it and the election day has not passed. After the election day the
    /// form closes by itself (issue 18 item 17).
    pub fn takes_applications(&self, today: Date) -> bool {
        self.applications_open && !self.is_over(today)
    }

    /// The election day has passed: workers are no longer asked to answer.
    pub fn is_over(&self, today: Date) -> bool {
        today > self.election_day
    }
}

pub async fn set_election_settings(tx: &mut Tx, t: TenantId, id: Uuid, candidate_policy: &str, applications_open: bool) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE el_election SET candidate_policy = $3, applications_open = $4 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).bind(candidate_policy).bind(applications_open).execute(c).await?.rows_affected());
    Ok(())
}

// ------------------------------------------------------------------ valkretsar and valdistrikt

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ConstituencyRow {
    pub id: Uuid,
    pub name: String,
}

pub async fn constituencies(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<ConstituencyRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as("SELECT id, name FROM el_constituency WHERE tenant_id = $1 AND election_id = $2 ORDER BY name")
        .bind(t.0).bind(e).fetch_all(c).await?))
}

/// `false` when the election has no such valkrets.
pub async fn rename_constituency(tx: &mut Tx, t: TenantId, e: Uuid, id: Uuid, name: &str) -> Result<bool> {
    let n = on_tx!(tx, c => sqlx::query("UPDATE el_constituency SET name = $4 WHERE tenant_id = $1 AND election_id = $2 AND id = $3")
        .bind(t.0).bind(e).bind(id).bind(name).execute(c).await?.rows_affected());
    Ok(n == 1)
}

pub async fn insert_constituency(tx: &mut Tx, t: TenantId, e: Uuid, id: Uuid, name: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO el_constituency (tenant_id, election_id, id, name) VALUES ($1, $2, $3, $4)")
        .bind(t.0).bind(e).bind(id).bind(name).execute(c).await?.rows_affected());
    Ok(())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct DistrictRow {
    pub code: String,
    pub name: String,
    pub constituency_id: Option<Uuid>,
    pub voters: Option<i64>,
}

pub async fn districts(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<DistrictRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT code, name, constituency_id, voters FROM el_district WHERE tenant_id = $1 AND election_id = $2 ORDER BY code")
        .bind(t.0).bind(e).fetch_all(c).await?))
}

pub async fn district(tx: &mut Tx, t: TenantId, e: Uuid, code: &str) -> Result<Option<DistrictRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT code, name, constituency_id, voters FROM el_district WHERE tenant_id = $1 AND election_id = $2 AND code = $3")
        .bind(t.0).bind(e).bind(code).fetch_optional(c).await?))
}

pub async fn update_district(tx: &mut Tx, t: TenantId, e: Uuid, d: &DistrictRow) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE el_district SET name = $4, constituency_id = $5, voters = $6 WHERE tenant_id = $1 AND election_id = $2 AND code = $3")
        .bind(t.0).bind(e).bind(&d.code).bind(&d.name).bind(d.constituency_id).bind(d.voters).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn insert_district(tx: &mut Tx, t: TenantId, e: Uuid, d: &DistrictRow) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO el_district (tenant_id, election_id, code, name, constituency_id, voters) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(t.0).bind(e).bind(&d.code).bind(&d.name).bind(d.constituency_id).bind(d.voters).execute(c).await?.rows_affected());
    Ok(())
}

// ------------------------------------------------------------------ stations

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct StationRow {
    pub id: Uuid,
    pub kind: String,
    pub name: String,
    pub premises_id: Option<Uuid>,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub district_code: Option<String>,
}

impl StationRow {
    pub fn is_vallokal(&self) -> bool {
        self.kind == "vallokal"
    }
}

macro_rules! station_cols {
    () => {
        "id, kind, name, premises_id, address, lat, lon, district_code"
    };
}

pub async fn stations(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<StationRow>> {
    let sql = concat!(
        "SELECT ",
        station_cols!(),
        " FROM el_station WHERE tenant_id = $1 AND election_id = $2 ORDER BY kind DESC, district_code, name"
    );
    Ok(on_tx!(tx, c => sqlx::query_as(sql).bind(t.0).bind(e).fetch_all(c).await?))
}

pub async fn station(tx: &mut Tx, t: TenantId, e: Uuid, id: Uuid) -> Result<Option<StationRow>> {
    let sql = concat!("SELECT ", station_cols!(), " FROM el_station WHERE tenant_id = $1 AND election_id = $2 AND id = $3");
    Ok(on_tx!(tx, c => sqlx::query_as(sql).bind(t.0).bind(e).bind(id).fetch_optional(c).await?))
}

pub async fn update_station(tx: &mut Tx, t: TenantId, e: Uuid, s: &StationRow) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE el_station SET name = $4, address = $5, lat = $6, lon = $7, district_code = $8 WHERE tenant_id = $1 AND election_id = $2 AND id = $3")
        .bind(t.0).bind(e).bind(s.id).bind(&s.name).bind(&s.address).bind(s.lat).bind(s.lon).bind(&s.district_code)
        .execute(c).await?.rows_affected());
    Ok(())
}

pub async fn insert_station(tx: &mut Tx, t: TenantId, e: Uuid, s: &StationRow) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO el_station (tenant_id, election_id, id, kind, name, premises_id, address, lat, lon, district_code) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .bind(t.0).bind(e).bind(s.id).bind(&s.kind).bind(&s.name).bind(s.premises_id).bind(&s.address)
        .bind(s.lat).bind(s.lon).bind(&s.district_code).execute(c).await?.rows_affected());
    Ok(())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct OpeningRow {
    pub station_id: Uuid,
    pub day: Date,
    #[schema(value_type = String, example = "08:00:00")]
    pub opens: Time,
    #[schema(value_type = String, example = "08:00:00")]
    pub closes: Time,
}

pub async fn openings(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<OpeningRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT station_id, day, opens, closes FROM el_opening WHERE tenant_id = $1 AND election_id = $2 ORDER BY day, opens")
        .bind(t.0).bind(e).fetch_all(c).await?))
}

/// Sets (or replaces) one day's opening hours of a station.
pub async fn upsert_opening(tx: &mut Tx, t: TenantId, e: Uuid, o: &OpeningRow) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO el_opening (tenant_id, election_id, station_id, day, opens, closes) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (tenant_id, election_id, station_id, day) DO UPDATE SET opens = excluded.opens, closes = excluded.closes")
        .bind(t.0).bind(e).bind(o.station_id).bind(o.day).bind(o.opens).bind(o.closes).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn delete_opening(tx: &mut Tx, t: TenantId, e: Uuid, station: Uuid, day: Date) -> Result<u64> {
    Ok(on_tx!(tx, c => sqlx::query("DELETE FROM el_opening WHERE tenant_id = $1 AND election_id = $2 AND station_id = $3 AND day = $4")
        .bind(t.0).bind(e).bind(station).bind(day).execute(c).await?.rows_affected()))
}

// ------------------------------------------------------------------ shifts and positions

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ShiftRow {
    pub id: Uuid,
    pub name: String,
    pub day: Date,
    #[schema(value_type = String, example = "08:00:00")]
    pub starts: Time,
    #[schema(value_type = String, example = "08:00:00")]
    pub ends: Time,
}

pub async fn shifts(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<ShiftRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT id, name, day, starts, ends FROM el_shift WHERE tenant_id = $1 AND election_id = $2 ORDER BY day, starts, name")
        .bind(t.0).bind(e).fetch_all(c).await?))
}

/// Deletes a shift and the applicants' availability for it; returns how many availabilities
/// went with it.
pub async fn delete_shift(tx: &mut Tx, t: TenantId, e: Uuid, shift: Uuid) -> Result<u64> {
    let n = on_tx!(tx, c => sqlx::query("DELETE FROM el_availability WHERE tenant_id = $1 AND election_id = $2 AND shift_id = $3")
        .bind(t.0).bind(e).bind(shift).execute(c).await?.rows_affected());
    on_tx!(tx, c => sqlx::query("DELETE FROM el_shift WHERE tenant_id = $1 AND election_id = $2 AND id = $3")
        .bind(t.0).bind(e).bind(shift).execute(c).await?.rows_affected());
    Ok(n)
}

/// `false` when the election has no such shift.
pub async fn update_shift(tx: &mut Tx, t: TenantId, e: Uuid, s: &ShiftRow) -> Result<bool> {
    let n = on_tx!(tx, c => sqlx::query("UPDATE el_shift SET name = $4, day = $5, starts = $6, ends = $7 WHERE tenant_id = $1 AND election_id = $2 AND id = $3")
        .bind(t.0).bind(e).bind(s.id).bind(&s.name).bind(s.day).bind(s.starts).bind(s.ends).execute(c).await?.rows_affected());
    Ok(n == 1)
}

pub async fn insert_shift(tx: &mut Tx, t: TenantId, e: Uuid, s: &ShiftRow) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO el_shift (tenant_id, election_id, id, name, day, starts, ends) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(t.0).bind(e).bind(s.id).bind(&s.name).bind(s.day).bind(s.starts).bind(s.ends).execute(c).await?.rows_affected());
    Ok(())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct PositionRow {
    pub id: Uuid,
    pub station_id: Uuid,
    pub shift_id: Uuid,
    pub role: String,
    pub language: Option<String>,
}

pub async fn positions(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<PositionRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT id, station_id, shift_id, role, language FROM el_position WHERE tenant_id = $1 AND election_id = $2 \
         ORDER BY station_id, shift_id, CASE role WHEN 'ordforande' THEN 0 WHEN 'vice' THEN 1 ELSE 2 END, id")
        .bind(t.0).bind(e).fetch_all(c).await?))
}

pub async fn insert_position(tx: &mut Tx, t: TenantId, e: Uuid, p: &PositionRow) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO el_position (tenant_id, election_id, id, station_id, shift_id, role, language) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(t.0).bind(e).bind(p.id).bind(p.station_id).bind(p.shift_id).bind(&p.role).bind(&p.language).execute(c).await?.rows_affected());
    Ok(())
}

/// Removes a position nobody holds; `false` when it is held or does not exist.
pub async fn delete_free_position(tx: &mut Tx, t: TenantId, e: Uuid, station: Uuid, id: Uuid) -> Result<bool> {
    let n = on_tx!(tx, c => sqlx::query(
        "DELETE FROM el_position WHERE tenant_id = $1 AND election_id = $2 AND id = $3 AND station_id = $4 \
         AND NOT EXISTS (SELECT 1 FROM el_assignment a WHERE a.tenant_id = $1 AND a.election_id = $2 AND a.position_id = $3)")
        .bind(t.0).bind(e).bind(id).bind(station).execute(c).await?.rows_affected());
    Ok(n == 1)
}

/// Who holds the positions of a station: (position, "Förnamn Efternamn").
pub async fn holders(tx: &mut Tx, t: TenantId, e: Uuid, station: Uuid) -> Result<Vec<(Uuid, String)>> {
    let rows: Vec<(Uuid, String, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT a.position_id, p.given_name, p.family_name FROM el_assignment a \
         JOIN el_position x ON x.tenant_id = a.tenant_id AND x.election_id = a.election_id AND x.id = a.position_id \
         JOIN el_person p ON p.tenant_id = a.tenant_id AND p.id = a.person_id \
         WHERE a.tenant_id = $1 AND a.election_id = $2 AND x.station_id = $3")
        .bind(t.0).bind(e).bind(station).fetch_all(c).await?);
    Ok(rows.into_iter().map(|(id, g, f)| (id, format!("{g} {f}"))).collect())
}
