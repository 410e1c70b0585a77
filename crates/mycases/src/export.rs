//! The citizen's download of everything the platform holds about them (issue 12 item 7, the
//! GDPR right of access): every module's part in every municipality
//! (`radhus_platform::personal_data`), their notification settings and their sessions, as one
//! JSON document. Each municipality that holds something about the citizen logs the download
//! in its own audit chain (`my.data.exported`), in the transaction that read it.
//!
//! It asks every municipality in turn (one short transaction each): a request that is rare and
//! that must not miss a municipality, so no index decides where to look.

use radhus_kernel::Personnummer;
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::{Db, Scope};
use radhus_platform::error::Result;
use radhus_platform::personal_data::{self, PersonalData};
use radhus_platform::tenancy;
use time::OffsetDateTime;

use crate::settings;

/// Everything about the citizen, by municipality and part.
pub async fn everything(
    db: &Db,
    collectors: &[PersonalData],
    pnr: &Personnummer,
    name: &str,
    now: OffsetDateTime,
) -> Result<serde_json::Value> {
    let index = radhus_platform::pii::index(pnr)?;
    let actor = Actor::citizen(&pnr.to_string(), name);
    let mut tx = db.read(Scope::Platform).await?;
    let tenants = tenancy::list(&mut tx).await?;
    tx.commit().await?;
    let mut municipalities = vec![];
    for t in tenants {
        let mut tx = db.write(Scope::Tenant(t.id)).await?;
        let mut parts = serde_json::Map::new();
        for c in collectors {
            if let Some(v) = (c.collect)(&mut tx, t.id, pnr).await? {
                parts.insert(c.section.to_string(), v);
            }
        }
        if !parts.is_empty() {
            let sections: Vec<&String> = parts.keys().collect();
            let event = Event::new("my.data.exported", "citizen", "").with(serde_json::json!({ "sections": sections }));
            audit::record(&mut tx, Some(t.id), &actor, event, now).await?;
            municipalities.push(serde_json::json!({ "municipality": t.name, "kommunkod": t.kommunkod, "data": parts }));
        }
        tx.commit().await?;
    }
    let mut tx = db.write(Scope::System).await?;
    let s = settings::of(&mut tx, &index).await?;
    let sessions = personal_data::sessions(&mut tx, pnr).await?;
    audit::record(&mut tx, None, &actor, Event::new("my.data.exported", "citizen", ""), now).await?;
    tx.commit().await?;
    Ok(serde_json::json!({
        "about": { "name": name, "personal_identity_number": pnr.to_string(), "exported_at": now },
        "notification_settings": s.map(|s| serde_json::json!({ "channel": s.channel.as_str(), "email": s.email, "phone": s.phone, "language": s.lang.code() })),
        "sessions": sessions,
        "municipalities": municipalities,
    }))
}

/// The readable copy's template (Typst, PDF/A).
pub const TEMPLATE: &str = include_str!("../typst/mina-uppgifter.typ");

/// The readable PDF/A copy of [`everything`], typeset off the async threads and outside any
/// transaction.
pub async fn pdf(data: &serde_json::Value, now: OffsetDateTime) -> Result<Vec<u8>> {
    let json = data.to_string();
    tokio::task::spawn_blocking(move || radhus_pdf::render(TEMPLATE, &[("data", &json)], &[], now))
        .await
        .map_err(|e| radhus_platform::error::Error::Internal(format!("my data: {e}")))?
        .map_err(|e| radhus_platform::error::Error::Internal(format!("my data: {e}")))
}
