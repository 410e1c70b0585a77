//! What case management holds about a person, for the citizen's download of their data
//! (`radhus_platform::personal_data`, issue 12 item 7): the cases they are a party to, with
//! their role, the case's facts, the records' numbers and titles, and the messages.

use radhus_kernel::Personnummer;
use radhus_kernel::ids::TenantId;
use radhus_platform::db::Tx;
use radhus_platform::error::Result;
use radhus_platform::personal_data::{Collected, PersonalData};
use radhus_platform::{on_tx, pii};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::store;

pub const PERSONAL_DATA: PersonalData = PersonalData { section: "cases", label: "personal-cases", collect };

fn collect<'a>(tx: &'a mut Tx, t: TenantId, pnr: &'a Personnummer) -> Collected<'a> {
    Box::pin(cases_of(tx, t, pnr))
}

async fn cases_of(tx: &mut Tx, t: TenantId, pnr: &Personnummer) -> Result<Option<serde_json::Value>> {
    let index = pii::index(pnr)?;
    let parties: Vec<(Uuid, String, String, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT case_id, role, name, contact FROM case_party WHERE tenant_id = $1 AND pnr_index = $2 ORDER BY created_at")
        .bind(t.0).bind(&index).fetch_all(c).await?);
    if parties.is_empty() {
        return Ok(None);
    }
    let mut out = vec![];
    for (case, role, name, contact) in parties {
        let Some(c) = store::case(tx, t, case).await? else { continue };
        let records: Vec<(i32, String, String, Option<OffsetDateTime>)> = on_tx!(tx, q => sqlx::query_as(
            "SELECT running_no, kind, title, registered_at FROM record WHERE tenant_id = $1 AND case_id = $2 AND status <> 'drafted' ORDER BY running_no")
            .bind(t.0).bind(case).fetch_all(q).await?);
        let messages: Vec<(String, String, String, OffsetDateTime, Option<time::Date>)> = on_tx!(tx, q => sqlx::query_as(
            "SELECT direction, kind, body, created_at, due_on FROM case_message WHERE tenant_id = $1 AND case_id = $2 ORDER BY created_at")
            .bind(t.0).bind(case).fetch_all(q).await?);
        out.push(serde_json::json!({
            "case_number": c.number,
            "title": c.title,
            "case_type": c.case_type_name,
            "status": c.status.as_str(),
            "opened_at": c.opened_at,
            "closed_at": c.closed_at,
            "party": { "role": role, "name": name, "contact": contact },
            "records": records.into_iter().map(|(n, kind, title, at)| serde_json::json!({
                "number": format!("{}-{n}", c.number), "kind": kind, "title": title, "registered_at": at })).collect::<Vec<_>>(),
            "messages": messages.into_iter().map(|(direction, kind, body, at, due)| serde_json::json!({
                "direction": direction, "kind": kind, "text": body, "at": at, "due_on": due.map(|d| d.to_string()) })).collect::<Vec<_>>(),
        }));
    }
    Ok(Some(serde_json::Value::Array(out)))
}
