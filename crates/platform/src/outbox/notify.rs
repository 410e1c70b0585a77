//! Sending a registered notification: the template the municipality uses (its override or
//! the module's default) in the recipient's language, rendered and queued in the caller's
//! transaction. A platform-level message (from the platform host, to an operator) has no
//! municipality: it is stored with the nil tenant, like the platform's audit chain, so only
//! the `Platform` and `System` scopes see it on PostgreSQL ([ADR 0019]).
//!
//! [ADR 0019]: ../../../../docs/adr/0019-notifications-that-modules-own.md

use radhus_kernel::Lang;
use radhus_kernel::ids::{OutboxId, TenantId};
use time::OffsetDateTime;

use super::queue::{Channel, Message, insert};
use super::templates::{self, NotificationTemplate};
use crate::db::Tx;
use crate::error::Result;

/// One notification to one recipient.
pub struct Notice<'a> {
    /// A template the sending module registered in `Module::notifications`.
    pub template: &'a NotificationTemplate,
    /// The recipient's language (their preference where one is known, else Swedish).
    pub lang: Lang,
    /// The e-mail address.
    pub to: &'a str,
    /// Values for the template's placeholders.
    pub vars: &'a [(&'a str, &'a str)],
}

/// Renders the notice for the municipality (`None`: platform-level) and queues the e-mail in
/// the caller's transaction.
pub async fn notify(tx: &mut Tx, tenant: Option<TenantId>, n: &Notice<'_>, now: OffsetDateTime) -> Result<OutboxId> {
    send(tx, tenant, n, false, now).await
}

/// Like [`notify`], for a message that carries a secret (a one-time link): its body is removed
/// once it has left (`outbox::enqueue_secret`).
pub async fn notify_secret(tx: &mut Tx, tenant: Option<TenantId>, n: &Notice<'_>, now: OffsetDateTime) -> Result<OutboxId> {
    send(tx, tenant, n, true, now).await
}

/// Subject and body as they would go out, without queueing anything.
pub async fn rendered(tx: &mut Tx, tenant: Option<TenantId>, n: &Notice<'_>) -> Result<(String, String)> {
    let tpl = templates::effective(tx, tenant, n.template, n.lang).await?;
    // A subject is one line, whatever a placeholder's value holds.
    let subject = templates::render(&tpl.subject, n.vars).replace(['\r', '\n'], " ");
    Ok((subject, templates::render(&tpl.body, n.vars)))
}

async fn send(tx: &mut Tx, tenant: Option<TenantId>, n: &Notice<'_>, secret: bool, now: OffsetDateTime) -> Result<OutboxId> {
    let (subject, body) = rendered(tx, tenant, n).await?;
    let m = Message { channel: Channel::Email, recipient: n.to.trim(), subject: &subject, body: &body };
    insert(tx, tenant, &m, secret, now).await
}
