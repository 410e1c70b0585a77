//! The citizen's right of access (GDPR art. 15) in one place: each module registers what it
//! holds about a person in a municipality (`Module::personal_data`), and *Mina ärenden* asks
//! every municipality's modules for the logged-in citizen and hands over the whole as one
//! download (issue 12 item 7). A collector runs in the municipality's transaction, finds the
//! person by the blind index of the number where it keeps one, and answers `None` when it holds
//! nothing about them.

use std::future::Future;
use std::pin::Pin;

use radhus_kernel::Personnummer;
use radhus_kernel::ids::TenantId;
use time::OffsetDateTime;

use crate::db::Tx;
use crate::error::Result;

/// What a collector answers.
pub type Collected<'a> = Pin<Box<dyn Future<Output = Result<Option<serde_json::Value>>> + Send + 'a>>;

/// One module's part of a person's data in one municipality.
#[derive(Clone, Copy)]
pub struct PersonalData {
    /// The part's key in the download (`cases`, `elections`, …).
    pub section: &'static str,
    /// Fluent id of the part's heading on the readable copy.
    pub label: &'static str,
    pub collect: for<'a> fn(&'a mut Tx, TenantId, &'a Personnummer) -> Collected<'a>,
}

/// The citizen's sessions on the platform (by blind index; the number itself is sealed): when
/// each began and was last used, on which host's municipality (none: the platform host).
pub async fn sessions(tx: &mut Tx, pnr: &Personnummer) -> Result<serde_json::Value> {
    let index = crate::pii::index(pnr)?;
    let rows: Vec<(Option<uuid::Uuid>, OffsetDateTime, OffsetDateTime, OffsetDateTime)> = crate::on_tx!(tx, c => sqlx::query_as(
        "SELECT tenant_id, created_at, last_seen_at, expires_at FROM session WHERE citizen_pnr_index = $1 ORDER BY created_at")
        .bind(&index).fetch_all(c).await?);
    Ok(serde_json::Value::Array(
        rows.into_iter()
            .map(|(t, created, seen, expires)| serde_json::json!({ "municipality": t, "created_at": created, "last_seen_at": seen, "expires_at": expires }))
            .collect(),
    ))
}
