//! SQL of the maturity module (private to it). Tenant-owned queries filter on the tenant;
//! catalogues are shared reference data.

use std::collections::HashMap;

use radhus_kernel::ids::{TenantId, UserId};
use radhus_platform::db::Tx;
use radhus_platform::error::Result;
use radhus_platform::on_tx;
use serde::Serialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::domain::{Answers, Area, AssessmentId, Catalogue, Indicator, Level, Mapping, Place};

// ------------------------------------------------------------------ catalogues

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct CatalogueRow {
    pub version: String,
    pub name: String,
    pub indicators: i64,
}

pub async fn catalogues(tx: &mut Tx) -> Result<Vec<CatalogueRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT c.version, c.name, (SELECT COUNT(*) FROM maturity_indicator i WHERE i.catalogue_version = c.version) AS indicators \
         FROM maturity_catalogue c ORDER BY c.version")
        .fetch_all(c).await?))
}

#[derive(sqlx::FromRow)]
struct AreaRow {
    key: String,
    name: String,
    place: String,
    position: i32,
}

#[derive(sqlx::FromRow)]
struct IndicatorRow {
    id: String,
    area_key: String,
    text: String,
    position: i32,
}

pub async fn catalogue(tx: &mut Tx, version: &str) -> Result<Option<Catalogue>> {
    let head: Option<(String,)> =
        on_tx!(tx, c => sqlx::query_as("SELECT name FROM maturity_catalogue WHERE version = $1").bind(version).fetch_optional(c).await?);
    let Some((name,)) = head else { return Ok(None) };
    let areas: Vec<AreaRow> = on_tx!(tx, c => sqlx::query_as("SELECT key, name, place, position FROM maturity_area WHERE catalogue_version = $1 ORDER BY position")
        .bind(version).fetch_all(c).await?);
    let indicators: Vec<IndicatorRow> = on_tx!(tx, c => sqlx::query_as("SELECT id, area_key, text, position FROM maturity_indicator WHERE catalogue_version = $1 ORDER BY position")
        .bind(version).fetch_all(c).await?);
    Ok(Some(Catalogue {
        version: version.to_string(),
        name,
        areas: areas
            .into_iter()
            .map(|a| Area {
                place: match a.place.as_str() {
                    "grass" => Place::Grass,
                    "soil" => Place::Soil,
                    _ => Place::Flower,
                },
                key: a.key,
                name: a.name,
                position: a.position,
            })
            .collect(),
        indicators: indicators
            .into_iter()
            .map(|i| Indicator { id: i.id, area_key: i.area_key, text: i.text, position: i.position })
            .collect(),
    }))
}

fn place_word(p: Place) -> &'static str {
    match p {
        Place::Flower => "flower",
        Place::Grass => "grass",
        Place::Soil => "soil",
    }
}

pub async fn insert_catalogue(tx: &mut Tx, cat: &Catalogue, now: OffsetDateTime) -> std::result::Result<(), sqlx::Error> {
    on_tx!(tx, c => sqlx::query("INSERT INTO maturity_catalogue (version, name, created_at) VALUES ($1, $2, $3)")
        .bind(&cat.version).bind(&cat.name).bind(now).execute(c).await?.rows_affected());
    for a in &cat.areas {
        on_tx!(tx, c => sqlx::query("INSERT INTO maturity_area (catalogue_version, key, name, place, position) VALUES ($1, $2, $3, $4, $5)")
            .bind(&cat.version).bind(&a.key).bind(&a.name).bind(place_word(a.place)).bind(a.position).execute(c).await?.rows_affected());
    }
    for i in &cat.indicators {
        on_tx!(tx, c => sqlx::query("INSERT INTO maturity_indicator (catalogue_version, id, area_key, text, position) VALUES ($1, $2, $3, $4, $5)")
            .bind(&cat.version).bind(&i.id).bind(&i.area_key).bind(&i.text).bind(i.position).execute(c).await?.rows_affected());
    }
    Ok(())
}

pub async fn mapping(tx: &mut Tx, from: &str, to: &str) -> Result<Option<Mapping>> {
    let rows: Vec<(String, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT from_indicator, to_indicator FROM maturity_mapping WHERE from_version = $1 AND to_version = $2")
        .bind(from).bind(to).fetch_all(c).await?);
    Ok(if rows.is_empty() { None } else { Some(Mapping(rows.into_iter().collect())) })
}

/// Replaces the mapping between two versions.
pub async fn replace_mapping(tx: &mut Tx, from: &str, to: &str, m: &Mapping) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM maturity_mapping WHERE from_version = $1 AND to_version = $2").bind(from).bind(to).execute(c).await?.rows_affected());
    for (old, new) in &m.0 {
        on_tx!(tx, c => sqlx::query("INSERT INTO maturity_mapping (from_version, from_indicator, to_version, to_indicator) VALUES ($1, $2, $3, $4)")
            .bind(from).bind(old).bind(to).bind(new).execute(c).await?.rows_affected());
    }
    Ok(())
}

/// `(from, to, lines)` of every mapping.
pub async fn mappings(tx: &mut Tx) -> Result<Vec<(String, String, i64)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT from_version, to_version, COUNT(*) FROM maturity_mapping GROUP BY from_version, to_version ORDER BY from_version, to_version")
        .fetch_all(c).await?))
}

// ------------------------------------------------------------------ assessments

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Assessment {
    #[sqlx(try_from = "Uuid")]
    #[schema(value_type = String, format = Uuid)]
    pub id: AssessmentId,
    pub year: i32,
    pub catalogue_version: String,
    pub status: String,
    pub public: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>)]
    pub submitted_at: Option<OffsetDateTime>,
}

impl Assessment {
    pub fn is_submitted(&self) -> bool {
        self.status == "submitted"
    }
}

const ASSESSMENT_COLS: &str = "id, year, catalogue_version, status, public, submitted_at";

pub async fn assessments(tx: &mut Tx, t: TenantId) -> Result<Vec<Assessment>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {ASSESSMENT_COLS} FROM maturity_assessment WHERE tenant_id = $1 ORDER BY year DESC"));
    Ok(on_tx!(tx, c => sqlx::query_as(sql).bind(t.0).fetch_all(c).await?))
}

pub async fn assessment(tx: &mut Tx, t: TenantId, id: AssessmentId) -> Result<Option<Assessment>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {ASSESSMENT_COLS} FROM maturity_assessment WHERE tenant_id = $1 AND id = $2"));
    Ok(on_tx!(tx, c => sqlx::query_as(sql).bind(t.0).bind(id.0).fetch_optional(c).await?))
}

pub async fn assessment_of_year(tx: &mut Tx, t: TenantId, year: i32) -> Result<Option<Assessment>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {ASSESSMENT_COLS} FROM maturity_assessment WHERE tenant_id = $1 AND year = $2"));
    Ok(on_tx!(tx, c => sqlx::query_as(sql).bind(t.0).bind(year).fetch_optional(c).await?))
}

/// The latest submitted assessment before `year`.
pub async fn previous_submitted(tx: &mut Tx, t: TenantId, year: i32) -> Result<Option<Assessment>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {ASSESSMENT_COLS} FROM maturity_assessment WHERE tenant_id = $1 AND year < $2 AND status = 'submitted' ORDER BY year DESC LIMIT 1"
    ));
    Ok(on_tx!(tx, c => sqlx::query_as(sql).bind(t.0).bind(year).fetch_optional(c).await?))
}

pub async fn insert_assessment(
    tx: &mut Tx,
    t: TenantId,
    id: AssessmentId,
    year: i32,
    version: &str,
    now: OffsetDateTime,
) -> std::result::Result<u64, sqlx::Error> {
    on_tx!(tx, c => sqlx::query("INSERT INTO maturity_assessment (tenant_id, id, year, catalogue_version, status, public, created_at) VALUES ($1, $2, $3, $4, 'draft', $5, $6)")
        .bind(t.0).bind(id.0).bind(year).bind(version).bind(false).bind(now).execute(c).await.map(|r| r.rows_affected()))
}

pub async fn set_status(tx: &mut Tx, t: TenantId, id: AssessmentId, status: &str, submitted_at: Option<OffsetDateTime>) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE maturity_assessment SET status = $3, submitted_at = $4 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id.0).bind(status).bind(submitted_at).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn set_public(tx: &mut Tx, t: TenantId, id: AssessmentId, public: bool) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE maturity_assessment SET public = $3 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id.0).bind(public).execute(c).await?.rows_affected());
    Ok(())
}

// ------------------------------------------------------------------ answers

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AnswerRow {
    pub indicator_id: String,
    pub level: i32,
    pub comment: String,
    pub responsible_unit: String,
    pub planned_action: String,
    pub action_owner: String,
    #[schema(value_type = Option<String>)]
    pub due_date: Option<Date>,
}

pub async fn answers(tx: &mut Tx, t: TenantId, assessment: AssessmentId) -> Result<Vec<AnswerRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT indicator_id, level, comment, responsible_unit, planned_action, action_owner, due_date FROM maturity_answer \
         WHERE tenant_id = $1 AND assessment_id = $2 ORDER BY indicator_id")
        .bind(t.0).bind(assessment.0).fetch_all(c).await?))
}

pub fn levels(rows: &[AnswerRow]) -> Answers {
    rows.iter().filter_map(|r| Level::from_points(r.level as i64).ok().map(|l| (r.indicator_id.clone(), l))).collect()
}

pub async fn upsert_answer(
    tx: &mut Tx,
    t: TenantId,
    assessment: AssessmentId,
    a: &AnswerRow,
    by: UserId,
    now: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO maturity_answer (tenant_id, assessment_id, indicator_id, level, comment, responsible_unit, planned_action, action_owner, due_date, answered_by, answered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (tenant_id, assessment_id, indicator_id) DO UPDATE SET level = excluded.level, comment = excluded.comment, \
         responsible_unit = excluded.responsible_unit, planned_action = excluded.planned_action, action_owner = excluded.action_owner, \
         due_date = excluded.due_date, answered_by = excluded.answered_by, answered_at = excluded.answered_at")
        .bind(t.0).bind(assessment.0).bind(&a.indicator_id).bind(a.level).bind(&a.comment).bind(&a.responsible_unit)
        .bind(&a.planned_action).bind(&a.action_owner).bind(a.due_date).bind(by.0).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

/// Every published (submitted and public) assessment of a year and version across all
/// municipalities, with its answers. Runs in a `Scope::System` transaction: the benchmark is
/// cross-municipality by design. Unpublished answers never enter it: with them, the benchmark
/// minus the published results would give away the rest (ADR 0012).
pub async fn published_answers(tx: &mut Tx, year: i32, version: &str) -> Result<HashMap<Uuid, Answers>> {
    let rows: Vec<(Uuid, String, i32)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT a.tenant_id, n.indicator_id, n.level FROM maturity_assessment a \
         JOIN maturity_answer n ON n.tenant_id = a.tenant_id AND n.assessment_id = a.id \
         WHERE a.year = $1 AND a.catalogue_version = $2 AND a.status = 'submitted' AND a.public")
        .bind(year).bind(version).fetch_all(c).await?);
    let mut out: HashMap<Uuid, Answers> = HashMap::new();
    for (t, ind, level) in rows {
        if let Ok(l) = Level::from_points(level as i64) {
            out.entry(t).or_default().insert(ind, l);
        }
    }
    Ok(out)
}

/// Years and versions with published assessments, and how many municipalities published.
pub async fn published_years(tx: &mut Tx) -> Result<Vec<(i32, String, i64)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT year, catalogue_version, COUNT(*) FROM maturity_assessment WHERE status = 'submitted' AND public GROUP BY year, catalogue_version ORDER BY year DESC")
        .fetch_all(c).await?))
}

// ------------------------------------------------------------------ respondents and history

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Respondent {
    pub area_key: String,
    #[sqlx(try_from = "Uuid")]
    pub user_id: UserId,
    pub name: String,
}

pub async fn respondents(tx: &mut Tx, t: TenantId, assessment: AssessmentId) -> Result<Vec<Respondent>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT r.area_key, r.user_id, u.name FROM maturity_respondent r JOIN app_user u ON u.tenant_id = r.tenant_id AND u.id = r.user_id \
         WHERE r.tenant_id = $1 AND r.assessment_id = $2 ORDER BY r.area_key")
        .bind(t.0).bind(assessment.0).fetch_all(c).await?))
}

/// Active staff of the municipality who hold one of `permissions` (through any role), by
/// name: the people an area can be handed to. One query, filtered on the roles' lists.
pub async fn users_with_any(tx: &mut Tx, t: TenantId, permissions: &[&str]) -> Result<Vec<(UserId, String)>> {
    let rows: Vec<(Uuid, String, sqlx::types::Json<Vec<String>>)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT u.id, u.name, r.permissions FROM app_user u \
         JOIN role_assignment a ON a.tenant_id = u.tenant_id AND a.user_id = u.id \
         JOIN role r ON r.tenant_id = a.tenant_id AND r.id = a.role_id \
         WHERE u.tenant_id = $1 AND u.active ORDER BY u.name, u.id")
        .bind(t.0).fetch_all(c).await?);
    let mut out: Vec<(UserId, String)> = vec![];
    for (id, name, perms) in rows {
        if perms.0.iter().any(|p| permissions.contains(&p.as_str())) && out.last().is_none_or(|(last, _)| last.0 != id) {
            out.push((UserId(id), name));
        }
    }
    Ok(out)
}

pub async fn set_respondent(tx: &mut Tx, t: TenantId, assessment: AssessmentId, area: &str, user: Option<UserId>) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM maturity_respondent WHERE tenant_id = $1 AND assessment_id = $2 AND area_key = $3")
        .bind(t.0).bind(assessment.0).bind(area).execute(c).await?.rows_affected());
    if let Some(u) = user {
        on_tx!(tx, c => sqlx::query("INSERT INTO maturity_respondent (tenant_id, assessment_id, area_key, user_id) VALUES ($1, $2, $3, $4)")
            .bind(t.0).bind(assessment.0).bind(area).bind(u.0).execute(c).await?.rows_affected());
    }
    Ok(())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EventRow {
    pub kind: String,
    pub note: String,
    pub actor_name: String,
    pub at: OffsetDateTime,
}

pub async fn events(tx: &mut Tx, t: TenantId, assessment: AssessmentId) -> Result<Vec<EventRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT kind, note, actor_name, at FROM maturity_event WHERE tenant_id = $1 AND assessment_id = $2 ORDER BY at, id")
        .bind(t.0).bind(assessment.0).fetch_all(c).await?))
}

pub async fn insert_event(
    tx: &mut Tx,
    t: TenantId,
    assessment: AssessmentId,
    kind: &str,
    note: &str,
    actor: &str,
    now: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO maturity_event (tenant_id, id, assessment_id, kind, note, actor_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(t.0).bind(Uuid::now_v7()).bind(assessment.0).bind(kind).bind(note).bind(actor).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

/// The cases that planned actions of an assessment became: indicator → (case id, diary number).
pub async fn action_cases(tx: &mut Tx, t: TenantId, assessment: AssessmentId) -> Result<Vec<(String, Uuid, String)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT x.indicator_id, x.case_id, f.number FROM maturity_action_case x JOIN case_file f ON f.tenant_id = x.tenant_id AND f.id = x.case_id \
         WHERE x.tenant_id = $1 AND x.assessment_id = $2 ORDER BY x.indicator_id")
        .bind(t.0).bind(assessment.0).fetch_all(c).await?))
}

pub async fn insert_action_case(
    tx: &mut Tx,
    t: TenantId,
    assessment: AssessmentId,
    indicator: &str,
    case: Uuid,
    by: &str,
    now: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO maturity_action_case (tenant_id, assessment_id, indicator_id, case_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(t.0).bind(assessment.0).bind(indicator).bind(case).bind(by).bind(now).execute(c).await?.rows_affected());
    Ok(())
}
