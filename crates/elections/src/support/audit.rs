//! The module's audit events, written in the use case's transaction.

use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::Tx;
use radhus_platform::error::Result;
use radhus_platform::identity::session::StaffUser;
use time::OffsetDateTime;

/// Records an audit event of the module in the use case's transaction.
pub async fn audit(
    tx: &mut Tx,
    s: &StaffUser,
    action: &'static str,
    object: &'static str,
    id: impl ToString,
    details: serde_json::Value,
    now: OffsetDateTime,
) -> Result<()> {
    audit::record(tx, Some(s.tenant_id), &Actor::staff(s), Event::new(action, object, id).with(details), now).await
}
