//! SQL of the cases module (private to it). Every query filters on the tenant.

use radhus_kernel::ids::TenantId;
use radhus_platform::db::{DbKind, Tx};
use radhus_platform::error::Result;
use radhus_platform::on_tx;
use serde::Serialize;
use sqlx::types::Json;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::domain::{ApprovalStatus, CaseStatus, RecordKind, RecordStatus};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Registry {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub number_format: String,
}

pub async fn registries(tx: &mut Tx, t: TenantId) -> Result<Vec<Registry>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT id, code, name, number_format FROM registry WHERE tenant_id = $1 ORDER BY code").bind(t.0).fetch_all(c).await?),
    )
}

pub async fn registry(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<Registry>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT id, code, name, number_format FROM registry WHERE tenant_id = $1 AND id = $2").bind(t.0).bind(id).fetch_optional(c).await?),
    )
}

pub async fn insert_registry(
    tx: &mut Tx,
    t: TenantId,
    id: Uuid,
    code: &str,
    name: &str,
    format: &str,
    now: OffsetDateTime,
) -> std::result::Result<u64, sqlx::Error> {
    on_tx!(tx, c => sqlx::query("INSERT INTO registry (tenant_id, id, code, name, number_format, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(t.0).bind(id).bind(code).bind(name).bind(format).bind(now).execute(c).await.map(|r| r.rows_affected()))
}

/// Takes the next number of a registry's series for a year. The row is updated in the
/// caller's transaction, so a rolled-back registration gives its number back: no gaps,
/// and concurrent registrations wait for each other (row lock on PostgreSQL, the write lock on SQLite).
pub async fn next_seq(tx: &mut Tx, t: TenantId, registry: Uuid, year: i32) -> Result<i32> {
    on_tx!(tx, c => sqlx::query("INSERT INTO number_sequence (tenant_id, registry_id, year, last_seq) VALUES ($1, $2, $3, 0) ON CONFLICT (tenant_id, registry_id, year) DO NOTHING")
        .bind(t.0).bind(registry).bind(year).execute(c).await?.rows_affected());
    let (seq,): (i32,) = on_tx!(tx, c => sqlx::query_as("UPDATE number_sequence SET last_seq = last_seq + 1 WHERE tenant_id = $1 AND registry_id = $2 AND year = $3 RETURNING last_seq")
        .bind(t.0).bind(registry).bind(year).fetch_one(c).await?);
    Ok(seq)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct CaseClass {
    pub id: Uuid,
    pub code: String,
    pub title: String,
    pub retention_years: Option<i32>,
}

pub async fn classes(tx: &mut Tx, t: TenantId) -> Result<Vec<CaseClass>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT id, code, title, retention_years FROM case_class WHERE tenant_id = $1 ORDER BY code").bind(t.0).fetch_all(c).await?),
    )
}

pub async fn insert_class(
    tx: &mut Tx,
    t: TenantId,
    id: Uuid,
    code: &str,
    title: &str,
    retention: Option<i32>,
    now: OffsetDateTime,
) -> std::result::Result<u64, sqlx::Error> {
    on_tx!(tx, c => sqlx::query("INSERT INTO case_class (tenant_id, id, code, title, retention_years, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(t.0).bind(id).bind(code).bind(title).bind(retention).bind(now).execute(c).await.map(|r| r.rows_affected()))
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct CaseType {
    pub id: Uuid,
    pub name: String,
    pub registry_id: Uuid,
    pub registry_code: String,
    pub class_id: Option<Uuid>,
    pub target_days: i32,
    pub active: bool,
    /// Where a case of this type that comes in without staff (intake) goes.
    pub default_unit_id: Option<Uuid>,
    pub default_caseworker_id: Option<Uuid>,
    /// The appeal instruction (överklagandehänvisning, FL 33 §) attached to this type's
    /// decisions when dispatched; empty: the text shipped with Rådhus (`appeal::DEFAULT`).
    pub appeal_instruction: String,
    /// Why this type's decisions carry no appeal instruction (they cannot be appealed);
    /// empty: they always carry one.
    pub appeal_exempt_reason: String,
}

pub async fn case_types(tx: &mut Tx, t: TenantId) -> Result<Vec<CaseType>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT ct.id, ct.name, ct.registry_id, r.code AS registry_code, ct.class_id, ct.target_days, ct.active, \
         ct.default_unit_id, ct.default_caseworker_id, ct.appeal_instruction, ct.appeal_exempt_reason \
         FROM case_type ct JOIN registry r ON r.tenant_id = ct.tenant_id AND r.id = ct.registry_id WHERE ct.tenant_id = $1 ORDER BY ct.name")
        .bind(t.0).fetch_all(c).await?))
}

pub async fn set_case_type_routing(tx: &mut Tx, t: TenantId, id: Uuid, unit: Option<Uuid>, caseworker: Option<Uuid>) -> Result<u64> {
    Ok(
        on_tx!(tx, c => sqlx::query("UPDATE case_type SET default_unit_id = $3, default_caseworker_id = $4 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).bind(unit).bind(caseworker).execute(c).await?.rows_affected()),
    )
}

/// Sets a case type's appeal instruction (empty: the shipped text) and the reason it has none
/// (empty: it has one).
pub async fn set_case_type_appeal(tx: &mut Tx, t: TenantId, id: Uuid, instruction: &str, exempt_reason: &str) -> Result<u64> {
    Ok(
        on_tx!(tx, c => sqlx::query("UPDATE case_type SET appeal_instruction = $3, appeal_exempt_reason = $4 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).bind(instruction).bind(exempt_reason).execute(c).await?.rows_affected()),
    )
}

#[expect(clippy::too_many_arguments, reason = "one row of the table")]
pub async fn insert_case_type(
    tx: &mut Tx,
    t: TenantId,
    id: Uuid,
    name: &str,
    registry: Uuid,
    class: Option<Uuid>,
    target_days: i32,
    now: OffsetDateTime,
) -> std::result::Result<u64, sqlx::Error> {
    on_tx!(tx, c => sqlx::query("INSERT INTO case_type (tenant_id, id, name, registry_id, class_id, target_days, active, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(t.0).bind(id).bind(name).bind(registry).bind(class).bind(target_days).bind(true).bind(now).execute(c).await.map(|r| r.rows_affected()))
}

/// A case with the names the pages show.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct CaseRow {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub public_title: String,
    pub case_type_id: Uuid,
    pub case_type_name: String,
    pub class_id: Option<Uuid>,
    pub class_code: Option<String>,
    pub unit_id: Option<Uuid>,
    pub unit_name: Option<String>,
    pub caseworker_id: Option<Uuid>,
    pub caseworker_name: Option<String>,
    /// Stored and shown in the API by its name (`open`, `suspended`, `closed`, `obliterated`).
    #[sqlx(try_from = "String")]
    #[schema(value_type = String)]
    pub status: CaseStatus,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String)]
    pub opened_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String)]
    pub due_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>)]
    pub closed_at: Option<OffsetDateTime>,
}

pub const CASE_SELECT: &str = "SELECT c.id, c.number, c.title, c.public_title, c.case_type_id, ct.name AS case_type_name, c.class_id, cl.code AS class_code, \
    c.unit_id, o.name AS unit_name, c.caseworker_id, u.name AS caseworker_name, c.status, c.opened_at, c.due_at, c.closed_at \
    FROM case_file c JOIN case_type ct ON ct.tenant_id = c.tenant_id AND ct.id = c.case_type_id \
    LEFT JOIN case_class cl ON cl.tenant_id = c.tenant_id AND cl.id = c.class_id \
    LEFT JOIN org_unit o ON o.tenant_id = c.tenant_id AND o.id = c.unit_id \
    LEFT JOIN app_user u ON u.tenant_id = c.tenant_id AND u.id = c.caseworker_id";

pub async fn case(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<CaseRow>> {
    let sql = format!("{CASE_SELECT} WHERE c.tenant_id = $1 AND c.id = $2");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(id).fetch_optional(c).await?))
}

pub async fn case_by_number(tx: &mut Tx, t: TenantId, number: &str) -> Result<Option<CaseRow>> {
    let sql = format!("{CASE_SELECT} WHERE c.tenant_id = $1 AND c.number = $2");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(number).fetch_optional(c).await?))
}

/// A filtered, paginated list. `units`: the caseworker's or manager's units (None: all).
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub caseworker: Option<Uuid>,
    pub units: Option<Vec<Uuid>>,
    pub status: Option<CaseStatus>,
    pub case_type: Option<Uuid>,
    pub overdue_at: Option<OffsetDateTime>,
    /// Only open and suspended cases (the default of *Mina ärenden*).
    pub active_only: bool,
    /// Only open and suspended cases without a caseworker (waiting to be assigned).
    pub unassigned: bool,
    /// Words that the diary number or the title contains (case-insensitive; each word must
    /// match).
    pub text: Vec<String>,
    pub sort: &'static str,
}

/// A word of a search as a `LIKE` pattern: `%word%`, lower case, with `%`, `_` and `\`
/// escaped (`ESCAPE '\'`).
fn like_pattern(word: &str) -> String {
    let mut p = String::from("%");
    for ch in word.to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(ch);
    }
    p.push('%');
    p
}

pub async fn list_cases(tx: &mut Tx, t: TenantId, f: &CaseFilter, limit: i64, offset: i64) -> Result<(Vec<CaseRow>, i64)> {
    // Conditions with their own numbered parameters; values are bound in the same order.
    let mut conds = vec!["c.tenant_id = $1".to_string()];
    let mut uuids: Vec<Uuid> = vec![];
    let mut n = 1;
    if let Some(w) = f.caseworker {
        n += 1;
        conds.push(format!("c.caseworker_id = ${n}"));
        uuids.push(w);
    }
    if let Some(units) = &f.units {
        if units.is_empty() {
            conds.push("1 = 0".into());
        } else {
            let ps: Vec<String> = units
                .iter()
                .map(|_| {
                    n += 1;
                    format!("${n}")
                })
                .collect();
            conds.push(format!("c.unit_id IN ({})", ps.join(", ")));
            uuids.extend(units.iter().copied());
        }
    }
    if let Some(ct) = f.case_type {
        n += 1;
        conds.push(format!("c.case_type_id = ${n}"));
        uuids.push(ct);
    }
    let mut texts: Vec<&str> = vec![];
    if let Some(s) = f.status {
        n += 1;
        conds.push(format!("c.status = ${n}"));
        texts.push(s.as_str());
    }
    let patterns: Vec<String> = f.text.iter().map(|w| like_pattern(w)).collect();
    for p in &patterns {
        n += 1;
        conds.push(format!("(lower(c.number) LIKE ${n} ESCAPE '\\' OR lower(c.title) LIKE ${n} ESCAPE '\\')"));
        texts.push(p);
    }
    if f.active_only || f.unassigned {
        conds.push("c.status IN ('open', 'suspended')".into());
    }
    if f.unassigned {
        conds.push("c.caseworker_id IS NULL".into());
    }
    let mut times: Vec<OffsetDateTime> = vec![];
    if let Some(at) = f.overdue_at {
        n += 1;
        conds.push(format!("c.due_at < ${n} AND c.status IN ('open', 'suspended')"));
        times.push(at);
    }
    let where_ = conds.join(" AND ");
    let order = match f.sort {
        "due" => "c.due_at ASC, c.id",
        "number" => "c.year DESC, c.seq DESC",
        _ => "c.opened_at DESC, c.id DESC",
    };
    let page_sql = format!("{CASE_SELECT} WHERE {where_} ORDER BY {order} LIMIT ${} OFFSET ${}", n + 1, n + 2);
    let count_sql = format!("SELECT COUNT(*) FROM case_file c WHERE {where_}");
    let rows: Vec<CaseRow> = on_tx!(tx, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(page_sql)).bind(t.0);
        for u in &uuids { q = q.bind(*u); }
        for s in &texts { q = q.bind(*s); }
        for at in &times { q = q.bind(*at); }
        q.bind(limit).bind(offset).fetch_all(c).await?
    });
    let (total,): (i64,) = on_tx!(tx, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(count_sql)).bind(t.0);
        for u in &uuids { q = q.bind(*u); }
        for s in &texts { q = q.bind(*s); }
        for at in &times { q = q.bind(*at); }
        q.fetch_one(c).await?
    });
    Ok((rows, total))
}

#[expect(clippy::too_many_arguments, reason = "one row of the case table")]
pub async fn insert_case(
    tx: &mut Tx,
    t: TenantId,
    id: Uuid,
    registry: Uuid,
    year: i32,
    seq: i32,
    number: &str,
    title: &str,
    public_title: &str,
    case_type: Uuid,
    class: Option<Uuid>,
    unit: Option<Uuid>,
    caseworker: Option<Uuid>,
    due: OffsetDateTime,
    public_search: &str,
    now: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO case_file (tenant_id, id, registry_id, year, seq, number, title, public_title, case_type_id, class_id, unit_id, caseworker_id, status, opened_at, due_at, public_search, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'open', $13, $14, $15, $13, $13)")
        .bind(t.0).bind(id).bind(registry).bind(year).bind(seq).bind(number).bind(title).bind(public_title).bind(case_type).bind(class)
        .bind(unit).bind(caseworker).bind(now).bind(due).bind(public_search).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn set_case_status(
    tx: &mut Tx,
    t: TenantId,
    id: Uuid,
    status: CaseStatus,
    closed_at: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE case_file SET status = $3, closed_at = $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).bind(status.as_str()).bind(closed_at).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn assign_case(
    tx: &mut Tx,
    t: TenantId,
    id: Uuid,
    unit: Option<Uuid>,
    caseworker: Option<Uuid>,
    now: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE case_file SET unit_id = $3, caseworker_id = $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).bind(unit).bind(caseworker).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct CaseEvent {
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String)]
    pub at: OffsetDateTime,
    pub actor_name: String,
    pub kind: String,
    pub text: String,
}

pub async fn add_event(tx: &mut Tx, t: TenantId, case: Uuid, actor: &str, kind: &str, text: &str, now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO case_event (tenant_id, id, case_id, at, actor_name, kind, text) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(t.0).bind(Uuid::now_v7()).bind(case).bind(now).bind(actor).bind(kind).bind(text).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn events(tx: &mut Tx, t: TenantId, case: Uuid) -> Result<Vec<CaseEvent>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT at, actor_name, kind, text FROM case_event WHERE tenant_id = $1 AND case_id = $2 ORDER BY at DESC, id DESC")
        .bind(t.0).bind(case).fetch_all(c).await?),
    )
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct RecordRow {
    pub id: Uuid,
    pub case_id: Uuid,
    pub running_no: i32,
    #[sqlx(try_from = "String")]
    #[schema(value_type = String)]
    pub kind: RecordKind,
    pub title: String,
    pub correspondent: String,
    pub correspondent_is_person: bool,
    #[schema(value_type = Option<String>)]
    pub document_date: Option<Date>,
    /// Inbound records: the day it came in (inkom).
    #[schema(value_type = Option<String>)]
    pub received_on: Option<Date>,
    /// Outbound records and decisions: when it was sent (expedierad).
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>)]
    pub dispatched_at: Option<OffsetDateTime>,
    pub memo_text: String,
    #[sqlx(try_from = "String")]
    #[schema(value_type = String)]
    pub status: RecordStatus,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>)]
    pub registered_at: Option<OffsetDateTime>,
    pub registered_by: String,
    #[schema(value_type = Vec<String>)]
    pub secret_fields: Json<Vec<String>>,
    pub secrecy_ground: String,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>)]
    pub secrecy_marked_at: Option<OffsetDateTime>,
    pub secrecy_marked_by: String,
    pub created_by: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String)]
    pub created_at: OffsetDateTime,
    /// When the record was obliterated (makulerad): registered by mistake, kept in the diary
    /// with the reason, no longer worked on.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>)]
    pub obliterated_at: Option<OffsetDateTime>,
    pub obliterated_by: String,
    pub obliteration_reason: String,
}

impl RecordRow {
    /// Obliterated (makulerad): in the diary, but no longer worked on, dispatched or offered
    /// as current.
    pub fn is_obliterated(&self) -> bool {
        self.obliterated_at.is_some()
    }

    /// A registered record not yet dispatched (nor obliterated) may be obliterated; a draft is
    /// deleted instead, and a dispatched record is corrected by a new one.
    pub fn obliterable(&self) -> bool {
        !self.is_obliterated() && !matches!(self.status, RecordStatus::Drafted | RecordStatus::Dispatched)
    }

    /// Established or approved: its content is fixed (approved means frozen). New documents
    /// or versions need the record reopened, and so a new approval (`CASE-031`).
    pub fn is_frozen(&self) -> bool {
        matches!(self.status, RecordStatus::Established | RecordStatus::Approved)
    }

    pub fn is_secret(&self, field: &str) -> bool {
        self.secret_fields.0.iter().any(|f| f == field)
    }

    /// When the record was drawn up (*upprättad*, TF 2 kap. 10 §): an outbound record or a
    /// decision when it was dispatched, or, never dispatched, when its case was closed
    /// (`case`'s closing); a memo when it was completed (registered). An inbound record is
    /// received (*inkommen*), never drawn up; a draft is not drawn up yet.
    pub fn drawn_up(&self, case: &CaseRow) -> Option<OffsetDateTime> {
        match self.kind {
            RecordKind::Inbound => None,
            _ if self.status == RecordStatus::Drafted => None,
            RecordKind::Memo => self.registered_at,
            RecordKind::Outbound | RecordKind::Decision => {
                self.dispatched_at.or(if case.status == CaseStatus::Closed { case.closed_at } else { None })
            }
        }
    }

    /// An inbound record registered on a later day (Swedish time) than it came in: OSL
    /// 5 kap. 1 § asks for registration without delay, so the diary flags it.
    pub fn registered_late(&self) -> bool {
        match (self.kind, self.received_on, self.registered_at) {
            (RecordKind::Inbound, Some(received), Some(at)) => radhus_kernel::tz::stockholm(at).date() > received,
            _ => false,
        }
    }

    /// Only a draft may be deleted, and never an inbound record: a received document is an
    /// official document on arrival (TF 2 kap. 9 §).
    pub fn deletable(&self) -> bool {
        self.status == RecordStatus::Drafted && self.kind != RecordKind::Inbound
    }
}

const RECORD_COLS: &str = "id, case_id, running_no, kind, title, correspondent, correspondent_is_person, document_date, received_on, dispatched_at, memo_text, status, registered_at, \
    registered_by, secret_fields, secrecy_ground, secrecy_marked_at, secrecy_marked_by, created_by, created_at, obliterated_at, obliterated_by, obliteration_reason";

pub async fn records(tx: &mut Tx, t: TenantId, case: Uuid) -> Result<Vec<RecordRow>> {
    let sql = format!("SELECT {RECORD_COLS} FROM record WHERE tenant_id = $1 AND case_id = $2 ORDER BY running_no");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(case).fetch_all(c).await?))
}

pub async fn record(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<RecordRow>> {
    let sql = format!("SELECT {RECORD_COLS} FROM record WHERE tenant_id = $1 AND id = $2");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(id).fetch_optional(c).await?))
}

/// Inbound records registered at all, newest registration first, with their case's number,
/// unit and caseworker (the registrar's list of late registrations filters these by
/// [`RecordRow::registered_late`] and by what the user may read).
pub async fn registered_inbound(tx: &mut Tx, t: TenantId, limit: i64) -> Result<Vec<(RecordRow, String, Option<Uuid>, Option<Uuid>)>> {
    let cols: String = RECORD_COLS.split(", ").map(|c| format!("r.{}", c.trim())).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT {cols}, c.number AS case_number, c.unit_id AS case_unit, c.caseworker_id AS case_worker FROM record r \
         JOIN case_file c ON c.tenant_id = r.tenant_id AND c.id = r.case_id \
         WHERE r.tenant_id = $1 AND r.kind = 'inbound' AND r.registered_at IS NOT NULL AND r.received_on IS NOT NULL \
         ORDER BY r.registered_at DESC LIMIT $2"
    );
    let recs: Vec<LateRow> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(limit).fetch_all(c).await?);
    Ok(recs.into_iter().map(|l| (l.record, l.case_number, l.case_unit, l.case_worker)).collect())
}

#[derive(sqlx::FromRow)]
struct LateRow {
    #[sqlx(flatten)]
    record: RecordRow,
    case_number: String,
    case_unit: Option<Uuid>,
    case_worker: Option<Uuid>,
}

/// The next running number of a case's records. On PostgreSQL the case's row is locked first
/// (`FOR NO KEY UPDATE`, which foreign keys' `KEY SHARE` locks do not wait for), so that
/// concurrent registrations into one case take their numbers one after the other instead of
/// reading the same maximum and failing on the unique key; the lock ends with the transaction,
/// so a rolled-back registration gives its number back. SQLite's write transactions are
/// serial already (`BEGIN IMMEDIATE`).
pub async fn next_running_no(tx: &mut Tx, t: TenantId, case: Uuid) -> Result<i32> {
    if let Tx::Pg(c) = tx {
        sqlx::query("SELECT 1 FROM case_file WHERE tenant_id = $1 AND id = $2 FOR NO KEY UPDATE")
            .bind(t.0)
            .bind(case)
            .execute(&mut **c)
            .await?;
    }
    let (n,): (Option<i32>,) = on_tx!(tx, c => sqlx::query_as("SELECT MAX(running_no) FROM record WHERE tenant_id = $1 AND case_id = $2").bind(t.0).bind(case).fetch_one(c).await?);
    Ok(n.unwrap_or(0) + 1)
}

pub struct NewRecordRow<'a> {
    pub id: Uuid,
    pub case_id: Uuid,
    pub running_no: i32,
    pub kind: RecordKind,
    pub title: &'a str,
    pub correspondent: &'a str,
    pub correspondent_is_person: bool,
    pub document_date: Option<Date>,
    pub received_on: Option<Date>,
    pub memo_text: &'a str,
    pub status: RecordStatus,
    pub registered_at: Option<OffsetDateTime>,
    pub registered_by: &'a str,
    pub public_search: &'a str,
    pub created_by: &'a str,
}

pub async fn insert_record(tx: &mut Tx, t: TenantId, r: &NewRecordRow<'_>, now: OffsetDateTime) -> Result<()> {
    let empty: Json<Vec<String>> = Json(vec![]);
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO record (tenant_id, id, case_id, running_no, kind, title, correspondent, correspondent_is_person, document_date, memo_text, status, registered_at, registered_by, secret_fields, public_search, created_by, created_at, updated_at, received_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18)")
        .bind(t.0).bind(r.id).bind(r.case_id).bind(r.running_no).bind(r.kind.as_str()).bind(r.title).bind(r.correspondent).bind(r.correspondent_is_person)
        .bind(r.document_date).bind(r.memo_text).bind(r.status.as_str()).bind(r.registered_at).bind(r.registered_by).bind(&empty).bind(r.public_search).bind(r.created_by).bind(now)
        .bind(r.received_on).execute(c).await?.rows_affected());
    Ok(())
}

/// Marks a record obliterated (makulerad) with who did it and why; nothing else changes.
pub async fn obliterate_record(tx: &mut Tx, t: TenantId, id: Uuid, by: &str, reason: &str, now: OffsetDateTime) -> Result<u64> {
    Ok(
        on_tx!(tx, c => sqlx::query("UPDATE record SET obliterated_at = $3, obliterated_by = $4, obliteration_reason = $5, updated_at = $3 WHERE tenant_id = $1 AND id = $2 AND obliterated_at IS NULL")
        .bind(t.0).bind(id).bind(now).bind(by).bind(reason).execute(c).await?.rows_affected()),
    )
}

/// Notes when an outgoing record or decision was sent.
pub async fn set_dispatched(tx: &mut Tx, t: TenantId, id: Uuid, at: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE record SET dispatched_at = $3 WHERE tenant_id = $1 AND id = $2").bind(t.0).bind(id).bind(at).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn set_record_status(
    tx: &mut Tx,
    t: TenantId,
    id: Uuid,
    status: RecordStatus,
    registered: Option<(OffsetDateTime, &str)>,
    now: OffsetDateTime,
) -> Result<()> {
    let status = status.as_str();
    match registered {
        Some((at, by)) => {
            on_tx!(tx, c => sqlx::query("UPDATE record SET status = $3, registered_at = $4, registered_by = $5, updated_at = $6 WHERE tenant_id = $1 AND id = $2")
            .bind(t.0).bind(id).bind(status).bind(at).bind(by).bind(now).execute(c).await?.rows_affected())
        }
        None => on_tx!(tx, c => sqlx::query("UPDATE record SET status = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2")
            .bind(t.0).bind(id).bind(status).bind(now).execute(c).await?.rows_affected()),
    };
    Ok(())
}

#[expect(clippy::too_many_arguments, reason = "one row of the table")]
pub async fn set_secrecy(
    tx: &mut Tx,
    t: TenantId,
    id: Uuid,
    fields: &[String],
    ground: &str,
    by: &str,
    public_search: &str,
    now: OffsetDateTime,
) -> Result<()> {
    let at = if fields.is_empty() { None } else { Some(now) };
    on_tx!(tx, c => sqlx::query("UPDATE record SET secret_fields = $3, secrecy_ground = $4, secrecy_marked_at = $5, secrecy_marked_by = $6, public_search = $7, updated_at = $8 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).bind(Json(fields)).bind(ground).bind(at).bind(by).bind(public_search).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn delete_record(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM document_version WHERE tenant_id = $1 AND document_id IN (SELECT id FROM document WHERE tenant_id = $1 AND record_id = $2)").bind(t.0).bind(id).execute(c).await?.rows_affected());
    on_tx!(tx, c => sqlx::query("DELETE FROM document WHERE tenant_id = $1 AND record_id = $2").bind(t.0).bind(id).execute(c).await?.rows_affected());
    on_tx!(tx, c => sqlx::query("DELETE FROM record WHERE tenant_id = $1 AND id = $2").bind(t.0).bind(id).execute(c).await?.rows_affected());
    Ok(())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct DocumentVersion {
    pub id: Uuid,
    pub document_id: Uuid,
    pub document_title: String,
    pub role: String,
    pub version_no: i32,
    pub filename: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
    pub created_by: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String)]
    pub created_at: OffsetDateTime,
}

const VERSION_SELECT: &str = "SELECT v.id, v.document_id, d.title AS document_title, d.role, v.version_no, v.filename, v.mime, v.size, v.sha256, v.created_by, v.created_at \
    FROM document_version v JOIN document d ON d.tenant_id = v.tenant_id AND d.id = v.document_id";

pub async fn versions(tx: &mut Tx, t: TenantId, record: Uuid) -> Result<Vec<DocumentVersion>> {
    let sql = format!("{VERSION_SELECT} WHERE v.tenant_id = $1 AND d.record_id = $2 ORDER BY d.role DESC, d.created_at, v.version_no DESC");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(record).fetch_all(c).await?))
}

/// A version with the record it belongs to.
pub async fn version(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<(DocumentVersion, Uuid)>> {
    let sql = "SELECT d.record_id FROM document_version v JOIN document d ON d.tenant_id = v.tenant_id AND d.id = v.document_id WHERE v.tenant_id = $1 AND v.id = $2".to_string();
    let rec: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(id).fetch_optional(c).await?);
    let Some((record,)) = rec else { return Ok(None) };
    let sql = format!("{VERSION_SELECT} WHERE v.tenant_id = $1 AND v.id = $2");
    let v: Option<DocumentVersion> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(id).fetch_optional(c).await?);
    Ok(v.map(|v| (v, record)))
}

pub async fn document_of_record(tx: &mut Tx, t: TenantId, record: Uuid, doc: Uuid) -> Result<bool> {
    let row: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as("SELECT id FROM document WHERE tenant_id = $1 AND record_id = $2 AND id = $3").bind(t.0).bind(record).bind(doc).fetch_optional(c).await?);
    Ok(row.is_some())
}

pub async fn insert_document(tx: &mut Tx, t: TenantId, id: Uuid, record: Uuid, role: &str, title: &str, now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO document (tenant_id, id, record_id, role, title, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(t.0).bind(id).bind(record).bind(role).bind(title).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn has_main_document(tx: &mut Tx, t: TenantId, record: Uuid) -> Result<bool> {
    let row: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as("SELECT id FROM document WHERE tenant_id = $1 AND record_id = $2 AND role = 'main'").bind(t.0).bind(record).fetch_optional(c).await?);
    Ok(row.is_some())
}

/// Stores file content once per municipality (keyed by SHA-256) and adds a version.
#[expect(clippy::too_many_arguments, reason = "one row of the version table")]
pub async fn insert_version(
    tx: &mut Tx,
    t: TenantId,
    id: Uuid,
    doc: Uuid,
    filename: &str,
    mime: &str,
    bytes: &[u8],
    sha256: &str,
    by: &str,
    now: OffsetDateTime,
) -> Result<i32> {
    on_tx!(tx, c => sqlx::query("INSERT INTO blob (tenant_id, sha256, content) VALUES ($1, $2, $3) ON CONFLICT (tenant_id, sha256) DO NOTHING")
        .bind(t.0).bind(sha256).bind(bytes).execute(c).await?.rows_affected());
    let (n,): (Option<i32>,) = on_tx!(tx, c => sqlx::query_as("SELECT MAX(version_no) FROM document_version WHERE tenant_id = $1 AND document_id = $2").bind(t.0).bind(doc).fetch_one(c).await?);
    let version = n.unwrap_or(0) + 1;
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    on_tx!(tx, c => sqlx::query("INSERT INTO document_version (tenant_id, id, document_id, version_no, filename, mime, size, sha256, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .bind(t.0).bind(id).bind(doc).bind(version).bind(filename).bind(mime).bind(size).bind(sha256).bind(by).bind(now).execute(c).await?.rows_affected());
    Ok(version)
}

pub async fn blob(tx: &mut Tx, t: TenantId, sha256: &str) -> Result<Option<Vec<u8>>> {
    let row: Option<(Vec<u8>,)> = on_tx!(tx, c => sqlx::query_as("SELECT content FROM blob WHERE tenant_id = $1 AND sha256 = $2").bind(t.0).bind(sha256).fetch_optional(c).await?);
    Ok(row.map(|(b,)| b))
}

/// Keeps the SQLite full-text index in step with a case's or record's public text
/// (PostgreSQL indexes the column itself).
pub async fn index_public(tx: &mut Tx, t: TenantId, kind: &str, id: Uuid, text: Option<&str>) -> Result<()> {
    public_changed(tx, t).await?;
    if tx.kind() != DbKind::Sqlite {
        return Ok(());
    }
    on_tx!(tx, c => sqlx::query("DELETE FROM diary_fts WHERE ref_id = $1").bind(id).execute(c).await?.rows_affected());
    if let Some(text) = text {
        on_tx!(tx, c => sqlx::query("INSERT INTO diary_fts (public_search, tenant_id, kind, ref_id) VALUES ($1, $2, $3, $4)")
            .bind(text).bind(t.0).bind(kind).bind(id).execute(c).await?.rows_affected());
    }
    Ok(())
}

/// Raises the municipality's diary generation: every cached public diary result read
/// before this transaction commits is stale from then on.
pub async fn public_changed(tx: &mut Tx, t: TenantId) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO public_diary_state (tenant_id, generation) VALUES ($1, 1) \
        ON CONFLICT (tenant_id) DO UPDATE SET generation = public_diary_state.generation + 1").bind(t.0).execute(c).await?.rows_affected());
    Ok(())
}

/// The municipality's diary generation (0 before the first change).
pub async fn diary_generation(tx: &mut Tx, t: TenantId) -> Result<i64> {
    let row: Option<(i64,)> = on_tx!(tx, c => sqlx::query_as("SELECT generation FROM public_diary_state WHERE tenant_id = $1").bind(t.0).fetch_optional(c).await?);
    Ok(row.map_or(0, |r| r.0))
}

/// Public diary: cases (not obliterated) whose public text or registered records match.
pub async fn public_cases(tx: &mut Tx, t: TenantId, terms: &[String], limit: i64, offset: i64) -> Result<(Vec<CaseRow>, i64)> {
    let base = "c.tenant_id = $1 AND c.status <> 'obliterated'";
    let (cond, query) = if terms.is_empty() {
        (String::new(), String::new())
    } else if tx.kind() == DbKind::Sqlite {
        // FTS5: every term quoted (no operators from users), implicit AND.
        let q = terms.iter().map(|t| format!("\"{}\"", t.replace('"', ""))).collect::<Vec<_>>().join(" ");
        (" AND (c.id IN (SELECT ref_id FROM diary_fts WHERE diary_fts MATCH $2 AND kind = 'case') \
            OR c.id IN (SELECT r.case_id FROM record r WHERE r.tenant_id = $1 AND r.id IN (SELECT ref_id FROM diary_fts WHERE diary_fts MATCH $2 AND kind = 'record')))".to_string(), q)
    } else {
        (
            " AND (c.public_tsv @@ plainto_tsquery('simple', $2) \
            OR EXISTS (SELECT 1 FROM record r WHERE r.tenant_id = c.tenant_id AND r.case_id = c.id AND r.status <> 'drafted' \
                       AND r.public_tsv @@ plainto_tsquery('simple', $2)))"
                .to_string(),
            terms.join(" "),
        )
    };
    let has_q = !terms.is_empty();
    let (lim, off) = if has_q { ("$3", "$4") } else { ("$2", "$3") };
    let page_sql = format!("{CASE_SELECT} WHERE {base}{cond} ORDER BY c.opened_at DESC, c.id DESC LIMIT {lim} OFFSET {off}");
    let count_sql = format!("SELECT COUNT(*) FROM case_file c WHERE {base}{cond}");
    let rows: Vec<CaseRow> = on_tx!(tx, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(page_sql)).bind(t.0);
        if has_q { q = q.bind(query.clone()); }
        q.bind(limit).bind(offset).fetch_all(c).await?
    });
    let (total,): (i64,) = on_tx!(tx, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(count_sql)).bind(t.0);
        if has_q { q = q.bind(query.clone()); }
        q.fetch_one(c).await?
    });
    Ok((rows, total))
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ApprovalStep {
    pub id: Uuid,
    pub record_id: Uuid,
    pub round: i32,
    pub position: i32,
    pub approver_id: Uuid,
    pub approver_name: String,
    #[sqlx(try_from = "String")]
    #[schema(value_type = String)]
    pub status: ApprovalStatus,
    pub comment: String,
    pub requested_by: String,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>)]
    pub decided_at: Option<OffsetDateTime>,
}

const APPROVAL_SELECT: &str = "SELECT a.id, a.record_id, a.round, a.position, a.approver_id, u.name AS approver_name, a.status, a.comment, a.requested_by, a.decided_at \
    FROM approval a JOIN app_user u ON u.tenant_id = a.tenant_id AND u.id = a.approver_id";

/// Every step of every round of a record's approval, latest round first.
pub async fn approvals(tx: &mut Tx, t: TenantId, record: Uuid) -> Result<Vec<ApprovalStep>> {
    let sql = format!("{APPROVAL_SELECT} WHERE a.tenant_id = $1 AND a.record_id = $2 ORDER BY a.round DESC, a.position");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(record).fetch_all(c).await?))
}

/// Steps waiting for this approver, oldest first, with the record's case.
pub async fn pending_for(tx: &mut Tx, t: TenantId, approver: Uuid) -> Result<Vec<ApprovalStep>> {
    let sql = format!("{APPROVAL_SELECT} WHERE a.tenant_id = $1 AND a.approver_id = $2 AND a.status = 'pending' ORDER BY a.created_at");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(approver).fetch_all(c).await?))
}

#[expect(clippy::too_many_arguments, reason = "one row of the table")]
pub async fn insert_approval(
    tx: &mut Tx,
    t: TenantId,
    record: Uuid,
    round: i32,
    position: i32,
    approver: Uuid,
    status: ApprovalStatus,
    by_id: Uuid,
    by: &str,
    now: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO approval (tenant_id, id, record_id, round, position, approver_id, status, requested_by_id, requested_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .bind(t.0).bind(Uuid::now_v7()).bind(record).bind(round).bind(position).bind(approver).bind(status.as_str()).bind(by_id).bind(by).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn set_approval(
    tx: &mut Tx,
    t: TenantId,
    id: Uuid,
    status: ApprovalStatus,
    comment: &str,
    at: Option<OffsetDateTime>,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE approval SET status = $3, comment = $4, decided_at = $5 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).bind(status.as_str()).bind(comment).bind(at).execute(c).await?.rows_affected());
    Ok(())
}

/// Whether the user is, or was, asked to approve a record of the case.
pub async fn is_approver_in_case(tx: &mut Tx, t: TenantId, case: Uuid, user: Uuid) -> Result<bool> {
    let row: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT a.id FROM approval a JOIN record r ON r.tenant_id = a.tenant_id AND r.id = a.record_id          WHERE a.tenant_id = $1 AND r.case_id = $2 AND a.approver_id = $3 LIMIT 1")
        .bind(t.0).bind(case).bind(user).fetch_optional(c).await?);
    Ok(row.is_some())
}

/// A case by its registry code, year and sequence number (the parts of a diary number).
pub async fn case_by_parts(tx: &mut Tx, t: TenantId, code: &str, year: i32, seq: i32) -> Result<Option<Uuid>> {
    let row: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT c.id FROM case_file c JOIN registry r ON r.tenant_id = c.tenant_id AND r.id = c.registry_id \
         WHERE c.tenant_id = $1 AND r.code = $2 AND c.year = $3 AND c.seq = $4")
        .bind(t.0).bind(code).bind(year).bind(seq).fetch_optional(c).await?);
    Ok(row.map(|(id,)| id))
}

pub async fn relate(tx: &mut Tx, t: TenantId, a: Uuid, b: Uuid, now: OffsetDateTime) -> Result<()> {
    for (x, y) in [(a, b), (b, a)] {
        on_tx!(tx, c => sqlx::query("INSERT INTO case_relation (tenant_id, case_id, related_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, case_id, related_id) DO NOTHING")
            .bind(t.0).bind(x).bind(y).bind(now).execute(c).await?.rows_affected());
    }
    Ok(())
}

/// The cases related to a case, with number and title.
pub async fn related(tx: &mut Tx, t: TenantId, case: Uuid) -> Result<Vec<(Uuid, String, String)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT c.id, c.number, c.title FROM case_relation x JOIN case_file c ON c.tenant_id = x.tenant_id AND c.id = x.related_id \
         WHERE x.tenant_id = $1 AND x.case_id = $2 ORDER BY c.year, c.seq")
        .bind(t.0).bind(case).fetch_all(c).await?))
}
