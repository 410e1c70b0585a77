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

/// How long a claimed message is reserved for one worker before another may retry it.
const LEASE: Duration = Duration::minutes(5);

/// Claims due messages, delivers them and records the outcome. Returns how many were tried.
pub async fn process_due(db: &Db, transports: &Transports, now: OffsetDateTime, max_attempts: i32, batch: i64) -> Result<usize> {
    // Claim in a short transaction; on PostgreSQL SKIP LOCKED lets several workers share the queue.
    let mut tx = db.write(Scope::System).await?;
    let lock = if tx.kind() == DbKind::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    let sql =
        format!("SELECT {COLS} FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2{lock}");
    let due: Vec<OutboxRow> = on_tx!(&mut tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(now).bind(batch).fetch_all(c).await?);
    for m in &due {
        on_tx!(&mut tx, c => sqlx::query("UPDATE outbox SET next_attempt_at = $3 WHERE tenant_id = $1 AND id = $2")
            .bind(m.tenant_id).bind(m.id).bind(now + LEASE).execute(c).await?.rows_affected());
    }
    tx.commit().await?;

    for m in &due {
        let outcome = transports.deliver(m).await;
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
    Ok(due.len())
}

/// A module's periodic job: given the database, the time and the configuration (the public
/// base URLs, [`JobCtx`]), does what is due (for example queueing reminders through the
/// outbox) and returns how much it did.
pub type Job = fn(JobCtx) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<usize>> + Send>>;

/// Runs the worker until the process ends: runs the modules' jobs, delivers due messages and
/// purges expired sessions.
pub fn spawn_worker(
    db: Db,
    transports: Transports,
    clock: std::sync::Arc<dyn radhus_kernel::Clock>,
    cfg: Config,
    jobs: Vec<Job>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(cfg.outbox_poll_ms.max(100)));
        let shared = std::sync::Arc::new(cfg.clone());
        loop {
            tick.tick().await;
            let started = std::time::Instant::now();
            let now = clock.now();
            for job in &jobs {
                if let Err(e) = job(JobCtx::new(db.clone(), now, shared.clone())).await {
                    tracing::error!(error = %e, "periodic job");
                    metrics::counter!("radhus_job_failures_total").increment(1);
                }
            }
            if let Err(e) = process_due(&db, &transports, now, cfg.outbox_max_attempts, 20).await {
                tracing::error!(error = %e, "outbox worker");
            }
            if let Err(e) = crate::identity::session::purge_expired(&db, now).await {
                tracing::error!(error = %e, "session purge");
            }
            crate::metrics::worker_pass(clock.as_ref(), started.elapsed());
        }
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
