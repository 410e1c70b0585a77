//! What case management tells other modules (stream `cases` of the platform's change log,
//! `radhus_platform::changes`). Each event is recorded in the transaction of the change it
//! describes; subscribers (e-services, *Mina ärenden*, meetings) read only what is in `data`,
//! never the case tables.
//!
//! **When a case counts as decided for the citizen** (ADR 0016): when a record of kind decision
//! (`beslut`) of the case is dispatched (expedierat) — event `decision.dispatched`. Registering,
//! establishing or approving a decision is internal work; dispatching it is the moment it is
//! sent to the party.

use radhus_kernel::ids::TenantId;
use radhus_platform::changes::{self, Change};
use radhus_platform::db::Tx;
use radhus_platform::error::Result;
use time::OffsetDateTime;
use uuid::Uuid;

/// The stream subscribers name to receive case management's events.
pub const STREAM: &str = "cases";

/// Every kind of event on the stream, for subscribers and the documentation.
pub const KINDS: &[&str] = &[
    "case.opened",
    "case.party_added",
    "case.assigned",
    "case.status_changed",
    "case.closed",
    "case.obliterated",
    "record.registered",
    "record.dispatched",
    "decision.dispatched",
    "record.secrecy_set",
    "message.sent",
    "message.received",
    "completion.withdrawn",
    // E-services (issue 11 item 6): a submission's fee waits for payment / was paid.
    "payment.due",
    "payment.received",
];

/// Records one event about a case (and, for record events, the record) in `tx`.
pub async fn emit(
    tx: &mut Tx,
    t: TenantId,
    kind: &'static str,
    (case, number): (Uuid, &str),
    object: Uuid,
    data: serde_json::Value,
    now: OffsetDateTime,
) -> Result<()> {
    debug_assert!(KINDS.contains(&kind), "unknown case event {kind}");
    let mut payload = serde_json::json!({ "case_id": case, "case_number": number });
    if let (Some(p), serde_json::Value::Object(extra)) = (payload.as_object_mut(), data) {
        p.extend(extra);
    }
    changes::record(tx, t, &Change { stream: STREAM, kind, object_id: object, data: payload }, now).await?;
    Ok(())
}
