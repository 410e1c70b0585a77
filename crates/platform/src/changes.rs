//! Changes that other modules care about, delivered to subscribers exactly once.
//!
//! A module that owns some data (case management) records a [`Change`] with [`record`] inside
//! the transaction of the change itself, so a change and its event are committed together or
//! not at all. Each municipality's events are numbered without gaps (`change_head` serialises
//! writers per municipality, like the audit log's head).
//!
//! A [`Subscriber`] (another module: e-services telling a citizen that a case is decided, the
//! meetings module, a notification) has a cursor per municipality (`change_cursor`). [`deliver`]
//! takes the cursor's row lock (on PostgreSQL `FOR UPDATE SKIP LOCKED`, so two server processes
//! never work on one municipality's events for one subscriber at the same time; SQLite's write
//! lock does the same), hands the next events to the subscriber's handler **in that same
//! transaction**, and moves the cursor. What the handler writes (its own rows, an outbox message)
//! and the cursor commit together: a crash or a failing handler rolls both back and the events
//! come again. Handlers are written to be idempotent all the same, because a handler that
//! reaches outside the database (an HTTP call) cannot be rolled back.

use std::future::Future;
use std::pin::Pin;

use radhus_kernel::ids::TenantId;
use serde::Serialize;
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::{Db, DbKind, Scope, Tx};
use crate::error::Result;
use crate::on_tx;

/// One change to record: which stream (the owning module's area, e.g. `cases`), what happened
/// (`case.opened`), to what, and the details a subscriber needs without reading the owner's
/// tables.
#[derive(Debug, Clone)]
pub struct Change {
    pub stream: &'static str,
    pub kind: &'static str,
    pub object_id: Uuid,
    pub data: serde_json::Value,
}

/// A recorded change as subscribers see it.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ChangeRow {
    pub tenant_id: Uuid,
    pub seq: i64,
    pub id: Uuid,
    pub stream: String,
    pub kind: String,
    pub object_id: Uuid,
    pub data: Json<serde_json::Value>,
    pub at: OffsetDateTime,
}

/// Records a change inside the caller's transaction; returns its number in the municipality.
pub async fn record(tx: &mut Tx, tenant: TenantId, change: &Change, now: OffsetDateTime) -> Result<i64> {
    on_tx!(tx, c => sqlx::query("INSERT INTO change_head (tenant_id, seq) VALUES ($1, 0) ON CONFLICT (tenant_id) DO NOTHING")
        .bind(tenant.0).execute(c).await?.rows_affected());
    let lock = if tx.kind() == DbKind::Postgres { " FOR UPDATE" } else { "" };
    let sql = format!("SELECT seq FROM change_head WHERE tenant_id = $1{lock}");
    let (seq,): (i64,) = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tenant.0).fetch_one(c).await?);
    let seq = seq + 1;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO change_event (tenant_id, seq, id, stream, kind, object_id, data, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(tenant.0).bind(seq).bind(Uuid::now_v7()).bind(change.stream).bind(change.kind).bind(change.object_id)
        .bind(Json(&change.data)).bind(now).execute(c).await?.rows_affected());
    on_tx!(tx, c => sqlx::query("UPDATE change_head SET seq = $2 WHERE tenant_id = $1").bind(tenant.0).bind(seq).execute(c).await?.rows_affected());
    Ok(seq)
}

/// What a subscriber's handler returns: a future borrowing the transaction and the event.
pub type HandlerFuture<'a> = Pin<Box<dyn Future<Output = Result<()>> + Send + 'a>>;

/// A handler: does what the event means for its module, inside the delivery's transaction.
pub type Handler = for<'a> fn(&'a mut Tx, &'a ChangeRow, OffsetDateTime) -> HandlerFuture<'a>;

/// A module's subscription to one stream of changes.
#[derive(Clone, Copy)]
pub struct Subscriber {
    /// Unique among subscribers; the cursor's key, so it must never be renamed.
    pub name: &'static str,
    pub stream: &'static str,
    pub handle: Handler,
}

/// Delivers the waiting events of every municipality to one subscriber, at most `batch` per
/// municipality and call. Returns how many events the handler was given. A handler that fails
/// stops its municipality's delivery here (the transaction is rolled back, the failure is noted
/// on the cursor and logged) and the same events come again at the next call.
pub async fn deliver(db: &Db, sub: &Subscriber, batch: i64, now: OffsetDateTime) -> Result<usize> {
    let mut tx = db.read(Scope::System).await?;
    let waiting: Vec<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT h.tenant_id FROM change_head h LEFT JOIN change_cursor k ON k.tenant_id = h.tenant_id AND k.subscriber = $1 \
         WHERE h.seq > COALESCE(k.last_seq, 0)")
        .bind(sub.name).fetch_all(c).await?);
    tx.commit().await?;
    let mut handled = 0;
    for (tenant,) in waiting {
        match deliver_tenant(db, sub, TenantId(tenant), batch, now).await {
            Ok(n) => handled += n,
            Err(e) => {
                tracing::error!(subscriber = sub.name, tenant = %tenant, error = %e, "change delivery failed; it is retried");
                note_failure(db, sub, TenantId(tenant), &e.to_string()).await?;
            }
        }
    }
    Ok(handled)
}

async fn deliver_tenant(db: &Db, sub: &Subscriber, t: TenantId, batch: i64, now: OffsetDateTime) -> Result<usize> {
    let mut tx = db.write(Scope::Tenant(t)).await?;
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO change_cursor (tenant_id, subscriber, last_seq) VALUES ($1, $2, 0) ON CONFLICT (tenant_id, subscriber) DO NOTHING")
        .bind(t.0).bind(sub.name).execute(c).await?.rows_affected());
    // Another process delivering to this subscriber in this municipality holds the row: skip.
    let lock = if tx.kind() == DbKind::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = format!("SELECT last_seq FROM change_cursor WHERE tenant_id = $1 AND subscriber = $2{lock}");
    let cursor: Option<(i64,)> =
        on_tx!(&mut tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(sub.name).fetch_optional(c).await?);
    let Some((last,)) = cursor else { return Ok(0) };
    let events = after(&mut tx, t, last, batch).await?;
    let Some(to) = events.last().map(|e| e.seq) else { return Ok(0) };
    let mut handled = 0;
    for e in events.iter().filter(|e| e.stream == sub.stream) {
        (sub.handle)(&mut tx, e, now).await?;
        handled += 1;
    }
    on_tx!(&mut tx, c => sqlx::query(
        "UPDATE change_cursor SET last_seq = $3, failures = 0, last_error = NULL WHERE tenant_id = $1 AND subscriber = $2")
        .bind(t.0).bind(sub.name).bind(to).execute(c).await?.rows_affected());
    tx.commit().await?;
    Ok(handled)
}

async fn note_failure(db: &Db, sub: &Subscriber, t: TenantId, error: &str) -> Result<()> {
    let mut tx = db.write(Scope::Tenant(t)).await?;
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO change_cursor (tenant_id, subscriber, last_seq, failures, last_error) VALUES ($1, $2, 0, 1, $3) \
         ON CONFLICT (tenant_id, subscriber) DO UPDATE SET failures = change_cursor.failures + 1, last_error = excluded.last_error")
        .bind(t.0).bind(sub.name).bind(error).execute(c).await?.rows_affected());
    tx.commit().await?;
    Ok(())
}

/// How many events of one municipality a subscriber is given per transaction.
pub const BATCH: i64 = 100;

/// Delivers every subscriber's waiting events once: what the background worker does on each
/// tick. Returns how many events were handled in all.
pub async fn deliver_all(db: &Db, subscribers: &[Subscriber], now: OffsetDateTime) -> usize {
    let mut handled = 0;
    for sub in subscribers {
        match deliver(db, sub, BATCH, now).await {
            Ok(n) => handled += n,
            Err(e) => tracing::error!(subscriber = sub.name, error = %e, "change delivery"),
        }
    }
    handled
}

/// The background task that delivers changes to the modules' subscribers, every `poll` and at
/// once again while there is more to deliver, until `stop`: a batch under way is handled and
/// committed first. A process killed in the middle loses nothing: what was not committed comes
/// again to the next process (see the module text).
pub fn spawn_delivery(
    db: Db,
    clock: std::sync::Arc<dyn radhus_kernel::Clock>,
    subscribers: Vec<Subscriber>,
    poll: std::time::Duration,
    mut stop: crate::shutdown::Stop,
) -> Option<tokio::task::JoinHandle<()>> {
    if subscribers.is_empty() {
        return None;
    }
    Some(tokio::spawn(async move {
        while !stop.is_stopping() {
            if deliver_all(&db, &subscribers, clock.now()).await == 0 && stop.sleep(poll).await {
                break;
            }
        }
        tracing::info!("change delivery stopped");
    }))
}

/// The events of one municipality after a number, for pages that show what happened.
pub async fn after(tx: &mut Tx, tenant: TenantId, seq: i64, limit: i64) -> Result<Vec<ChangeRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT tenant_id, seq, id, stream, kind, object_id, data, at FROM change_event WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3")
        .bind(tenant.0).bind(seq).bind(limit).fetch_all(c).await?))
}
