//! The audit log: append-only and hash-chained per tenant, written in the same
//! transaction as the change it records. Reads of personal data are logged too.
//!
//! Each event's hash is SHA-256 over the previous hash and the event's fields, so changing,
//! removing or reordering any row breaks the chain from there on (`radhus audit verify`).

pub mod web;

use radhus_kernel::ids::TenantId;
use serde::Serialize;
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::{Db, DbKind, Scope, Tx};
use crate::error::Result;
use crate::identity::session::{Principal, StaffUser};
use crate::on_tx;

/// The chain of events that belong to no municipality (operators' actions).
pub const PLATFORM_CHAIN: Uuid = Uuid::nil();
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did it.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    pub kind: &'static str,
    pub id: String,
    pub name: String,
}

impl Actor {
    pub fn system() -> Self {
        Actor { kind: "system", id: String::new(), name: "system".into() }
    }

    pub fn anonymous(client: &str) -> Self {
        Actor { kind: "anonymous", id: client.to_string(), name: String::new() }
    }

    /// A citizen is identified in the log by the blind index of the personal identity number,
    /// `pnr:<hex>` (ADR 0018): the person's own events are found by computing it (GDPR art.
    /// 15), and a copy of the log reveals no number.
    /// A staff user, by user id and name; an integration calling with its token, as
    /// `integration` by token id and the integration's name (never the person who made it).
    pub fn staff(s: &StaffUser) -> Self {
        if let Some(token) = s.integration {
            return Actor { kind: "integration", id: token.to_string(), name: s.name.clone() };
        }
        Actor { kind: "staff", id: s.user_id.to_string(), name: s.name.clone() }
    }

    pub fn of(p: &Principal) -> Self {
        match p {
            Principal::Staff(s) => Actor::staff(s),
            Principal::Operator { id, name } => Actor { kind: "operator", id: id.to_string(), name: name.clone() },
            Principal::Citizen { pnr, name, .. } => Actor::citizen(pnr, name),
        }
    }

    /// A citizen by canonical personal identity number, logged as `pnr:<blind index>`.
    pub fn citizen(pnr: &str, name: &str) -> Self {
        Actor { kind: "citizen", id: crate::pii::audit_id(pnr), name: name.to_string() }
    }

    pub fn of_opt(p: Option<&Principal>, client: &str) -> Self {
        p.map(Actor::of).unwrap_or_else(|| Actor::anonymous(client))
    }
}

/// One thing that happened to one object.
#[derive(Debug, Clone)]
pub struct Event {
    pub action: &'static str,
    pub object_type: &'static str,
    pub object_id: String,
    pub details: serde_json::Value,
}

impl Event {
    pub fn new(action: &'static str, object_type: &'static str, object_id: impl ToString) -> Self {
        Event { action, object_type, object_id: object_id.to_string(), details: serde_json::Value::Null }
    }

    pub fn with(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Row {
    pub tenant_id: Uuid,
    pub seq: i64,
    pub id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor_kind: String,
    pub actor_id: String,
    pub actor_name: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub details: Json<serde_json::Value>,
    pub prev_hash: String,
    pub hash: String,
}

impl Row {
    /// The hash this row should have, given its fields and the previous hash.
    pub fn compute_hash(&self) -> String {
        chain_hash(
            &self.prev_hash,
            self.tenant_id,
            self.seq,
            self.id,
            self.at,
            &self.actor_kind,
            &self.actor_id,
            &self.actor_name,
            &self.action,
            &self.object_type,
            &self.object_id,
            &self.details.0,
        )
    }
}

#[expect(clippy::too_many_arguments, reason = "the hash covers every column of the row")]
fn chain_hash(
    prev: &str,
    tenant: Uuid,
    seq: i64,
    id: Uuid,
    at: OffsetDateTime,
    actor_kind: &str,
    actor_id: &str,
    actor_name: &str,
    action: &str,
    object_type: &str,
    object_id: &str,
    details: &serde_json::Value,
) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    // Length-prefixed fields: no two different rows serialise to the same bytes.
    let mut field = |s: &[u8]| {
        h.update((s.len() as u64).to_be_bytes());
        h.update(s);
    };
    field(prev.as_bytes());
    field(tenant.as_bytes());
    field(&seq.to_be_bytes());
    field(id.as_bytes());
    field(&at.unix_timestamp_nanos().to_be_bytes());
    field(actor_kind.as_bytes());
    field(actor_id.as_bytes());
    field(actor_name.as_bytes());
    field(action.as_bytes());
    field(object_type.as_bytes());
    field(object_id.as_bytes());
    // serde_json's map is ordered by key, so this is canonical however the database stored it.
    field(details.to_string().as_bytes());
    hex::encode(h.finalize())
}

/// Appends an event to the tenant's chain (`None`: the platform chain) inside `tx`.
pub async fn record(tx: &mut Tx, tenant: Option<TenantId>, actor: &Actor, ev: Event, now: OffsetDateTime) -> Result<()> {
    let chain = tenant.map(|t| t.0).unwrap_or(PLATFORM_CHAIN);
    on_tx!(tx, c => sqlx::query("INSERT INTO audit_head (tenant_id, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (tenant_id) DO NOTHING")
        .bind(chain).bind(GENESIS).execute(c).await?.rows_affected());
    // The head row serialises writers per tenant: SQLite's write lock already does,
    // PostgreSQL needs the row lock.
    let lock = if tx.kind() == DbKind::Postgres { " FOR UPDATE" } else { "" };
    let sql = format!("SELECT seq, hash FROM audit_head WHERE tenant_id = $1{lock}");
    let (seq, prev): (i64, String) = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(chain).fetch_one(c).await?);
    let seq = seq + 1;
    let id = Uuid::now_v7();
    let hash =
        chain_hash(&prev, chain, seq, id, now, actor.kind, &actor.id, &actor.name, ev.action, ev.object_type, &ev.object_id, &ev.details);
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO audit_event (tenant_id, seq, id, at, actor_kind, actor_id, actor_name, action, object_type, object_id, details, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
        .bind(chain).bind(seq).bind(id).bind(now).bind(actor.kind).bind(&actor.id).bind(&actor.name)
        .bind(ev.action).bind(ev.object_type).bind(&ev.object_id).bind(Json(&ev.details)).bind(&prev).bind(&hash)
        .execute(c).await?.rows_affected());
    on_tx!(tx, c => sqlx::query("UPDATE audit_head SET seq = $2, hash = $3 WHERE tenant_id = $1")
        .bind(chain).bind(seq).bind(&hash).execute(c).await?.rows_affected());
    Ok(())
}

/// Records in a transaction of its own (denied access, failed logins: nothing else is written).
pub async fn record_alone(db: &Db, tenant: Option<TenantId>, actor: &Actor, ev: Event, now: OffsetDateTime) -> Result<()> {
    let scope = tenant.map(Scope::Tenant).unwrap_or(Scope::Platform);
    let mut tx = db.write(scope).await?;
    record(&mut tx, tenant, actor, ev, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The newest events of a tenant's chain, paginated by sequence number.
pub async fn recent(tx: &mut Tx, tenant: Option<TenantId>, before_seq: Option<i64>, limit: i64) -> Result<Vec<Row>> {
    let chain = tenant.map(|t| t.0).unwrap_or(PLATFORM_CHAIN);
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT tenant_id, seq, id, at, actor_kind, actor_id, actor_name, action, object_type, object_id, details, prev_hash, hash \
         FROM audit_event WHERE tenant_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3")
        .bind(chain).bind(before_seq.unwrap_or(i64::MAX)).bind(limit).fetch_all(c).await?))
}

/// The first place a chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Broken {
    pub tenant_id: Uuid,
    pub seq: i64,
    pub reason: &'static str,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct VerifyReport {
    pub chains: usize,
    pub events: u64,
    pub broken: Vec<Broken>,
}

/// Walks every chain from its first event, reporting the first broken link of each.
pub async fn verify(db: &Db) -> Result<VerifyReport> {
    let mut tx = db.read(Scope::System).await?;
    let chains: Vec<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT tenant_id FROM audit_head UNION SELECT DISTINCT tenant_id FROM audit_event ORDER BY 1").fetch_all(c).await?);
    let mut report = VerifyReport { chains: chains.len(), ..Default::default() };
    for (chain,) in chains {
        let mut prev = GENESIS.to_string();
        let mut expected_seq = 1i64;
        let mut after = 0i64;
        let mut broken = None;
        'pages: loop {
            let rows: Vec<Row> = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT tenant_id, seq, id, at, actor_kind, actor_id, actor_name, action, object_type, object_id, details, prev_hash, hash \
                 FROM audit_event WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT 1000")
                .bind(chain).bind(after).fetch_all(c).await?);
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                report.events += 1;
                let reason = if r.seq != expected_seq {
                    Some("missing event (gap in sequence)")
                } else if r.prev_hash != prev {
                    Some("previous-hash link does not match")
                } else if r.compute_hash() != r.hash {
                    Some("content does not match its hash")
                } else {
                    None
                };
                if let Some(reason) = reason {
                    broken = Some(Broken { tenant_id: chain, seq: r.seq, reason });
                    break 'pages;
                }
                prev = r.hash.clone();
                expected_seq += 1;
                after = r.seq;
            }
        }
        if broken.is_none() {
            let head: Option<(i64, String)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT seq, hash FROM audit_head WHERE tenant_id = $1").bind(chain).fetch_optional(c).await?);
            if let Some((seq, hash)) = head
                && (seq != expected_seq - 1 || hash != prev)
            {
                broken = Some(Broken { tenant_id: chain, seq: seq.max(expected_seq), reason: "events after this point were removed" });
            }
        }
        report.broken.extend(broken);
    }
    tx.commit().await?;
    Ok(report)
}
