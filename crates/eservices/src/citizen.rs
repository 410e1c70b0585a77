//! What e-services give the citizen's own pages elsewhere: the unfinished drafts in every
//! municipality for *Mina ärenden* (issue 12 scope 4), the PDF/A receipt of the submission a
//! case came from (issue 12 item 3), and the part of the GDPR download
//! (`radhus_platform::personal_data`). *Mina ärenden* depends on this crate, never the other
//! way round. Also [`Citizen`]: the citizen as the e-ID session identifies them.

use radhus_kernel::ids::TenantId;
use radhus_kernel::{Lang, Personnummer};
use radhus_platform::audit::Actor;
use radhus_platform::db::Tx;
use radhus_platform::error::Result;
use radhus_platform::personal_data::{Collected, PersonalData};
use radhus_platform::{on_tx, pii};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::catalogue::parse_stored;
use crate::form;

/// A citizen identified by e-ID, as the session says.
#[derive(Debug, Clone)]
pub struct Citizen {
    pub pnr: Personnummer,
    pub name: String,
    /// The blind index of the number (drafts and submissions are found by it).
    pub index: String,
    /// How the session was identified (`test-eid`, `oidc:<issuer>`).
    pub identified_by: String,
    /// The registered address from the population register, when the pages looked it up
    /// (a new draft's address fields marked `prefill: address` start with it).
    pub address: Option<form::PostalAddress>,
    /// The children under 18 in the person's custody per the population register, when the
    /// pages looked them up ("Vem gäller ansökan?" and the submission, `crate::on_behalf`);
    /// `None` is not looked up, and then no child may be chosen.
    pub custody: Option<Vec<radhus_platform::identity::citizen::RegisteredPerson>>,
}

impl Citizen {
    pub fn new(pnr: Personnummer, name: String, identified_by: String) -> Result<Citizen> {
        let index = pii::index(&pnr)?;
        Ok(Citizen { pnr, name, index, identified_by, address: None, custody: None })
    }

    pub(crate) fn actor(&self) -> Actor {
        Actor::citizen(&self.pnr.to_string(), &self.name)
    }
}

/// A draft the citizen has not submitted, as *Mina ärenden* lists it.
#[derive(Debug, Clone, Serialize)]
pub struct MyDraft {
    pub tenant_id: Uuid,
    pub municipality: String,
    pub service_key: String,
    pub title: String,
    pub updated_at: OffsetDateTime,
    /// Where "Fortsätt" goes: the service's page on the municipality's host.
    pub resume_url: String,
}

/// The citizen's drafts in every municipality (or one), last saved first: one query by the
/// blind index (in a `Scope::Citizen` transaction on PostgreSQL the policies let it read the
/// citizen's own drafts and the revisions they are pinned to, nothing else). `site_url` turns
/// a municipality's host into its base URL.
pub async fn drafts_of(
    tx: &mut Tx,
    citizen_index: &str,
    only: Option<TenantId>,
    lang: Lang,
    site_url: impl Fn(&str) -> String,
) -> Result<Vec<MyDraft>> {
    type Row = (Uuid, String, String, OffsetDateTime, String, Option<String>);
    let rows: Vec<Row> = on_tx!(tx, q => sqlx::query_as(
        "SELECT d.tenant_id, t.name, d.service_key, d.updated_at, r.definition, \
         (SELECT MIN(h.host) FROM tenant_host h WHERE h.tenant_id = d.tenant_id) \
         FROM es_draft d JOIN tenant t ON t.id = d.tenant_id \
         JOIN es_revision r ON r.tenant_id = d.tenant_id AND r.service_key = d.service_key AND r.revision = d.revision \
         WHERE d.citizen_index = $1 AND ($2 IS NULL OR d.tenant_id = $2) ORDER BY d.updated_at DESC")
        .bind(citizen_index).bind(only.map(|t| t.0)).fetch_all(q).await?);
    Ok(rows
        .into_iter()
        .map(|(tenant_id, municipality, key, updated_at, def, host)| {
            let title = parse_stored(&def).map(|d| d.title.get(lang).to_string()).unwrap_or_else(|_| key.clone());
            let base = host.map(|h| site_url(&h)).unwrap_or_default();
            MyDraft { tenant_id, municipality, resume_url: format!("{base}/e-tjanster/{key}"), service_key: key, title, updated_at }
        })
        .collect())
}

/// The citizen's submission that the case came from, if it came from one: its id. Another
/// citizen's submission is none (the caller has shown that the case is the citizen's).
pub async fn submission_of_case(tx: &mut Tx, t: TenantId, case: Uuid, citizen_index: &str) -> Result<Option<Uuid>> {
    Ok(on_tx!(tx, q => sqlx::query_scalar(
        "SELECT id FROM es_submission WHERE tenant_id = $1 AND case_id = $2 AND citizen_index = $3 ORDER BY signed_at LIMIT 1")
        .bind(t.0).bind(case).bind(citizen_index).fetch_optional(q).await?))
}

/// E-services' part of the citizen's download.
pub const PERSONAL_DATA: PersonalData = PersonalData { section: "eservices", label: "es-personal-data-section", collect };

fn collect<'a>(tx: &'a mut Tx, t: TenantId, pnr: &'a Personnummer) -> Collected<'a> {
    Box::pin(collected(tx, t, pnr))
}

/// The citizen's drafts and submissions in the municipality, each with the answers as the
/// form lists them (opened from their sealed column) and, for a submission, the signature and
/// the case it became.
async fn collected(tx: &mut Tx, t: TenantId, pnr: &Personnummer) -> Result<Option<serde_json::Value>> {
    let index = pii::index(pnr)?;
    type DraftRow = (Uuid, String, i32, String, OffsetDateTime, OffsetDateTime);
    let drafts: Vec<DraftRow> = on_tx!(tx, q => sqlx::query_as(
        "SELECT id, service_key, revision, answers_sealed, created_at, updated_at FROM es_draft \
         WHERE tenant_id = $1 AND citizen_index = $2 ORDER BY created_at")
        .bind(t.0).bind(&index).fetch_all(q).await?);
    type SubRow = (Uuid, String, i32, String, String, String, String, OffsetDateTime, Option<i64>, Option<String>);
    let subs: Vec<SubRow> = on_tx!(tx, q => sqlx::query_as(
        "SELECT id, service_key, revision, answers_sealed, content_sha256, signed_name, identified_by, signed_at, fee, case_number \
         FROM es_submission WHERE tenant_id = $1 AND citizen_index = $2 ORDER BY signed_at")
        .bind(t.0).bind(&index).fetch_all(q).await?);
    if drafts.is_empty() && subs.is_empty() {
        return Ok(None);
    }
    let mut out_drafts = vec![];
    for (id, key, revision, sealed, created, updated) in drafts {
        let (title, answers) = readable(tx, t, &key, revision, &sealed).await?;
        out_drafts.push(serde_json::json!({
            "id": id, "service": title, "service_key": key, "started_at": created, "last_saved_at": updated, "answers": answers,
        }));
    }
    let mut out_subs = vec![];
    for (id, key, revision, sealed, sha, signer, how, signed_at, fee, case_number) in subs {
        let (title, answers) = readable(tx, t, &key, revision, &sealed).await?;
        out_subs.push(serde_json::json!({
            "id": id, "service": title, "service_key": key, "signed_at": signed_at, "signed_by": signer, "identified_by": how,
            "content_sha256": sha, "fee": fee, "case_number": case_number, "answers": answers,
        }));
    }
    Ok(Some(serde_json::json!({ "drafts": out_drafts, "submissions": out_subs })))
}

/// The service's title and the answers as (step, question, answer) in Swedish.
async fn readable(tx: &mut Tx, t: TenantId, key: &str, revision: i32, sealed: &str) -> Result<(String, Vec<serde_json::Value>)> {
    let answers: crate::form::Answers =
        serde_json::from_str(&pii::open_text(sealed)?).map_err(|e| radhus_platform::error::Error::Internal(format!("answers: {e}")))?;
    let Some(json) = crate::store::revision_definition(tx, t, key, revision).await? else {
        return Ok((key.to_string(), vec![]));
    };
    let def = parse_stored(&json)?;
    let rows = crate::form::summary(&def, &answers, Lang::Sv)
        .into_iter()
        .map(|r| serde_json::json!({ "step": r.step, "question": r.label, "answer": r.value }))
        .collect();
    Ok((def.title.get(Lang::Sv).to_string(), rows))
}
