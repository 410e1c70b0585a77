//! The transactional outbox: a message is written in the same transaction as the change
//! that causes it, and an in-process worker delivers it with retries and backoff.

pub mod job;
pub mod notify;
mod queue;
pub mod sms;
pub mod smtp;
pub mod templates;

pub use job::JobCtx;
pub use notify::{Notice, notify, notify_secret};
pub use queue::{Channel, Message, REDACTED, enqueue, enqueue_secret, queued_since};

use radhus_kernel::ids::{OutboxId, TenantId};
use serde::Serialize;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::config::Config;
use crate::db::{Db, DbKind, Scope, Tx};
use crate::error::Result;
use crate::on_tx;
use crate::shutdown::Stop;

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct OutboxRow {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub attempts: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub next_attempt_at: OffsetDateTime,
    pub last_error: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub sent_at: Option<OffsetDateTime>,
}

const COLS: &str = "tenant_id, id, channel, recipient, subject, body, status, attempts, next_attempt_at, last_error, created_at, sent_at";

pub async fn list(tx: &mut Tx, tenant: TenantId, limit: i64, offset: i64) -> Result<Vec<OutboxRow>> {
    let sql = format!("SELECT {COLS} FROM outbox WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tenant.0).bind(limit).bind(offset).fetch_all(c).await?))
}

pub async fn get(tx: &mut Tx, tenant: TenantId, id: OutboxId) -> Result<Option<OutboxRow>> {
    let sql = format!("SELECT {COLS} FROM outbox WHERE tenant_id = $1 AND id = $2");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tenant.0).bind(id.0).fetch_optional(c).await?))
}

/// Delivers through the configured SMTP server and SMS gateway.
#[derive(Clone)]
pub struct Transports {
    pub smtp: Option<smtp::Mailer>,
    pub sms: Option<sms::SmsGateway>,
}

impl Transports {
    pub fn from_config(cfg: &Config, http: reqwest::Client) -> anyhow::Result<Self> {
        Ok(Self {
            smtp: if cfg.smtp.host.is_empty() { None } else { Some(smtp::Mailer::new(&cfg.smtp)?) },
            sms: if cfg.sms.url.is_empty() { None } else { Some(sms::SmsGateway::new(&cfg.sms, http)) },
        })
    }

    async fn deliver(&self, m: &OutboxRow) -> std::result::Result<(), String> {
        match m.channel.as_str() {
            "email" => match &self.smtp {
                Some(s) => s.send(&m.recipient, &m.subject, &m.body).await,
                None => Err("no SMTP server configured".into()),
            },
            "sms" => match &self.sms {
                Some(s) => s.send(&m.recipient, &m.body).await,
                None => Err("no SMS gateway configured".into()),
            },
            other => Err(format!("unknown channel {other}")),
        }
    }
}

/// Exponential backoff: 30 s, 1 min, 2 min … capped at 6 h.
pub fn backoff(attempts: i32) -> Duration {
    let secs = 30i64.saturating_mul(1i64 << attempts.clamp(0, 20));
    Duration::seconds(secs.min(6 * 3600))
}

/// How long a claimed message is reserved for one worker before another may retry it: far
/// longer than one delivery may take (the SMTP client and the SMS gateway time out after 20 s),
/// because each message is claimed just before it is sent.
const LEASE: Duration = Duration::minutes(5);

/// Claims due messages, delivers them and records the outcome. Returns how many were tried.
pub async fn process_due(db: &Db, transports: &Transports, now: OffsetDateTime, max_attempts: i32, batch: i64) -> Result<usize> {
    process_due_until(db, transports, now, max_attempts, batch, None).await
}

/// How many municipalities with due messages one claim looks at, the longest-waiting first.
const CLAIM_TENANTS: i64 = 32;

/// Claims the next due message for this worker: in one short transaction it is picked (on
/// PostgreSQL `FOR UPDATE SKIP LOCKED`, so a message another node is claiming is passed over;
/// on SQLite the write lock of `BEGIN IMMEDIATE` orders the workers) and its next attempt is
/// moved a [`LEASE`] ahead, so no other worker finds it due while this one sends it.
///
/// The lock is taken in one municipality at a time (issue 21): first the municipalities with
/// due messages, ordered by their longest-waiting one (a read without locks, which a Citus
/// cluster runs on every shard at once), then the oldest due message of each in turn with
/// `WHERE tenant_id = $1 … FOR UPDATE SKIP LOCKED`, which Citus routes to the one shard
/// that holds it (a row lock across shards it refuses). The first municipality's oldest
/// message is the oldest of all, as it was with one query over every municipality.
async fn claim(db: &Db, now: OffsetDateTime) -> Result<Option<OutboxRow>> {
    let mut tx = db.write(Scope::System).await?;
    let tenants: Vec<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT tenant_id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 \
         GROUP BY tenant_id ORDER BY MIN(next_attempt_at), tenant_id LIMIT $2")
        .bind(now).bind(CLAIM_TENANTS).fetch_all(c).await?);
    let lock = if tx.kind() == DbKind::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = format!(
        "SELECT {COLS} FROM outbox WHERE tenant_id = $1 AND status = 'pending' AND next_attempt_at <= $2 \
         ORDER BY next_attempt_at LIMIT 1{lock}"
    );
    let tenants: Vec<Uuid> = tenants.into_iter().map(|(t,)| t).collect();
    let due: Option<OutboxRow> = first_in_turn(&mut tx, &tenants, &sql, now).await?;
    if let Some(m) = &due {
        on_tx!(&mut tx, c => sqlx::query("UPDATE outbox SET next_attempt_at = $3 WHERE tenant_id = $1 AND id = $2")
            .bind(m.tenant_id).bind(m.id).bind(now + LEASE).execute(c).await?.rows_affected());
    }
    tx.commit().await?;
    Ok(due)
}

/// The claim's second half, which Citus can route: the first row `sql` finds (bound `$1` the
/// municipality, `$2` now; the caller's SQL takes the row lock) for each of `tenants` in turn.
/// The outbox and the e-services' webhook deliveries claim their work this way.
pub async fn first_in_turn<T>(tx: &mut Tx, tenants: &[Uuid], sql: &str, now: OffsetDateTime) -> Result<Option<T>>
where
    T: Send + Unpin + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
{
    for tenant in tenants {
        let due: Option<T> =
            on_tx!(&mut *tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string())).bind(tenant).bind(now).fetch_optional(c).await?);
        if due.is_some() {
            return Ok(due);
        }
    }
    Ok(None)
}

/// [`process_due`] that stops early, after the message in hand, once `stop` says the process
/// is shutting down. Messages are claimed one at a time, so what is left is not reserved and
/// another node (or this one after its restart) sends it without waiting for a lease.
pub async fn process_due_until(
    db: &Db,
    transports: &Transports,
    now: OffsetDateTime,
    max_attempts: i32,
    batch: i64,
    stop: Option<&Stop>,
) -> Result<usize> {
    let mut tried = 0;
    while i64::try_from(tried).unwrap_or(i64::MAX) < batch && !stop.is_some_and(Stop::is_stopping) {
        let Some(m) = claim(db, now).await? else { break };
        tried += 1;
        let outcome = transports.deliver(&m).await;
        let attempts = m.attempts + 1;
        let mut tx = db.write(Scope::System).await?;
        match outcome {
            Ok(()) => {
                on_tx!(&mut tx, c => sqlx::query("UPDATE outbox SET status = 'sent', attempts = $3, sent_at = $4, last_error = NULL, \
                     body = CASE WHEN redact_after_send THEN $5 ELSE body END WHERE tenant_id = $1 AND id = $2")
                    .bind(m.tenant_id).bind(m.id).bind(attempts).bind(now).bind(REDACTED).execute(c).await?.rows_affected());
                metrics::counter!("radhus_outbox_sent_total", "channel" => m.channel.clone()).increment(1);
            }
            Err(err) => {
                let status = if attempts >= max_attempts { "failed" } else { "pending" };
                tracing::warn!(id = %m.id, channel = %m.channel, attempts, %err, "delivery failed");
                on_tx!(&mut tx, c => sqlx::query("UPDATE outbox SET status = $3, attempts = $4, next_attempt_at = $5, last_error = $6, \
                     body = CASE WHEN redact_after_send AND $3 = 'failed' THEN $7 ELSE body END WHERE tenant_id = $1 AND id = $2")
                    .bind(m.tenant_id).bind(m.id).bind(status).bind(attempts).bind(now + backoff(attempts)).bind(&err).bind(REDACTED).execute(c).await?.rows_affected());
                metrics::counter!("radhus_outbox_failed_attempts_total", "channel" => m.channel.clone()).increment(1);
            }
        }
        tx.commit().await?;
    }
    Ok(tried)
}

/// A module's periodic job: given the database, the time and the configuration (the public
/// base URLs, [`JobCtx`]), does what is due (for example queueing reminders through the
/// outbox) and returns how much it did.
pub type Job = fn(JobCtx) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<usize>> + Send>>;

/// The key of the PostgreSQL advisory lock that the node running the periodic jobs holds
/// ("radhusjb"). One key for the whole pass over the jobs: a job has no name that is the same
/// in every process (a function's address is not), and the order of the list changes with
/// the modules a release has, so a key per job could differ between two nodes of a rolling
/// upgrade and let both run one job.
pub const JOBS_LOCK: i64 = 0x7261_6468_7573_6a62;

/// Runs every job once, on PostgreSQL only while this node holds the jobs' advisory lock (a
/// transaction-scoped `pg_try_advisory_xact_lock` on a connection of its own, released by the
/// commit at the end, or by the database when the process dies). When another node holds it,
/// this node skips the pass: that node is doing the work, and a job does what is due, so
/// whatever is left is found by the next pass of whichever node gets the lock. Returns false
/// when the pass was skipped. On SQLite one server process is the rule (docs/operations.md).
pub async fn run_jobs(db: &Db, jobs: &[Job], now: OffsetDateTime, config: &std::sync::Arc<Config>) -> Result<bool> {
    if jobs.is_empty() {
        return Ok(true);
    }
    let held = match db {
        Db::Pg(pool) => {
            let mut held = pool.begin().await?;
            let (got,): (bool,) = sqlx::query_as("SELECT pg_try_advisory_xact_lock($1)").bind(JOBS_LOCK).fetch_one(&mut *held).await?;
            if !got {
                held.rollback().await?;
                return Ok(false);
            }
            Some(held)
        }
        Db::Sqlite(_) => None,
    };
    for job in jobs {
        if let Err(e) = job(JobCtx::new(db.clone(), now, config.clone())).await {
            tracing::error!(error = %e, "periodic job");
            metrics::counter!("radhus_job_failures_total").increment(1);
        }
    }
    if let Some(held) = held {
        held.commit().await?;
    }
    Ok(true)
}

/// Runs the worker until `stop`: each pass runs the modules' jobs (on one node at a time,
/// [`run_jobs`]), delivers due messages and purges expired sessions. A pass under way when
/// the process is asked to stop finishes its running job and the message in hand; then the
/// task returns.
pub fn spawn_worker(
    db: Db,
    transports: Transports,
    clock: std::sync::Arc<dyn radhus_kernel::Clock>,
    cfg: Config,
    jobs: Vec<Job>,
    mut stop: Stop,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(cfg.outbox_poll_ms.max(100)));
        let shared = std::sync::Arc::new(cfg.clone());
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                () = stop.stopping() => break,
            }
            let started = std::time::Instant::now();
            let now = clock.now();
            match run_jobs(&db, &jobs, now, &shared).await {
                Ok(true) => {}
                Ok(false) => tracing::debug!("periodic jobs skipped: another node runs them"),
                Err(e) => tracing::error!(error = %e, "periodic jobs"),
            }
            if let Err(e) = process_due_until(&db, &transports, now, cfg.outbox_max_attempts, 20, Some(&stop)).await {
                tracing::error!(error = %e, "outbox worker");
            }
            if let Err(e) = crate::identity::session::purge_expired(&db, now).await {
                tracing::error!(error = %e, "session purge");
            }
            if let Err(e) = crate::web::rate::purge(&db, now).await {
                tracing::error!(error = %e, "rate limit purge");
            }
            crate::metrics::worker_pass(clock.as_ref(), started.elapsed());
        }
        tracing::info!("background worker stopped");
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(0), Duration::seconds(30));
        assert_eq!(backoff(1), Duration::seconds(60));
        assert_eq!(backoff(3), Duration::seconds(240));
        assert_eq!(backoff(30), Duration::hours(6));
    }
}
