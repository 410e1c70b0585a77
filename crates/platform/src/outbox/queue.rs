//! The queue itself: a message written in the caller's transaction, delivered later by the
//! worker (`outbox::process_due`).

use radhus_kernel::ids::{OutboxId, TenantId};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::Tx;
use crate::error::Result;
use crate::on_tx;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

pub struct Message<'a> {
    pub channel: Channel,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

/// Queues a message inside the caller's transaction.
pub async fn enqueue(tx: &mut Tx, tenant: TenantId, m: &Message<'_>, now: OffsetDateTime) -> Result<OutboxId> {
    insert(tx, Some(tenant), m, false, now).await
}

/// Queues a message that carries a secret (a one-time login link): once delivered, or failed
/// for good, its body is replaced by [`REDACTED`], so the secret does not stay readable in
/// the database, its backups or the outbox pages.
pub async fn enqueue_secret(tx: &mut Tx, tenant: TenantId, m: &Message<'_>, now: OffsetDateTime) -> Result<OutboxId> {
    insert(tx, Some(tenant), m, true, now).await
}

/// How many messages to `recipient` whose subject starts with `subject_prefix` the
/// municipality has queued since `since` (a module's own limit on how often it writes to one
/// address).
pub async fn queued_since(tx: &mut Tx, tenant: TenantId, recipient: &str, subject_prefix: &str, since: OffsetDateTime) -> Result<i64> {
    let pattern = format!("{}%", subject_prefix.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    let (n,): (i64,) = on_tx!(tx, c => sqlx::query_as(
        "SELECT COUNT(*) FROM outbox WHERE tenant_id = $1 AND recipient = $2 AND subject LIKE $3 ESCAPE '\\' AND created_at > $4")
        .bind(tenant.0).bind(recipient).bind(pattern).bind(since).fetch_one(c).await?);
    Ok(n)
}

/// What a secret message's body becomes once it has left.
pub const REDACTED: &str = "[Innehållet togs bort när meddelandet hade skickats: det innehöll en engångslänk.]";

/// Writes the row; a platform-level message (no municipality) gets the nil tenant.
pub(super) async fn insert(tx: &mut Tx, tenant: Option<TenantId>, m: &Message<'_>, secret: bool, now: OffsetDateTime) -> Result<OutboxId> {
    let id = OutboxId::new();
    let tenant = tenant.map_or(Uuid::nil(), |t| t.0);
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO outbox (tenant_id, id, channel, recipient, subject, body, status, attempts, next_attempt_at, created_at, redact_after_send) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7, $8)")
        .bind(tenant).bind(id.0).bind(m.channel.as_str()).bind(m.recipient).bind(m.subject).bind(m.body).bind(now).bind(secret)
        .execute(c).await?.rows_affected());
    Ok(id)
}
