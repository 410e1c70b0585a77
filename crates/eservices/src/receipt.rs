//! The PDF/A receipt of a submission, typeset outside any write transaction (on a blocking
//! thread, in the PDF worker when the server has one) and stored with the submission, so it
//! is typeset once.

use radhus_kernel::Lang;
use radhus_kernel::ids::TenantId;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::web::AppState;
use uuid::Uuid;

use crate::citizen::Citizen;
use crate::service;

/// The receipt's Typst template.
pub const TEMPLATE: &str = include_str!("../typst/kvitto.typ");

/// The data of the receipt as the template reads it.
pub fn data(
    org_title: &str,
    s: &crate::store::Submission,
    def: &crate::form::Definition,
    answers: &crate::form::Answers,
    behalf: Option<&crate::on_behalf::OnBehalf>,
) -> serde_json::Value {
    let mut steps: Vec<serde_json::Value> = vec![];
    let mut current = String::new();
    let mut rows: Vec<serde_json::Value> = vec![];
    for r in crate::form::summary(def, answers, Lang::Sv) {
        if r.step != current && !rows.is_empty() {
            steps.push(serde_json::json!({ "title": current, "rows": std::mem::take(&mut rows) }));
        }
        current = r.step.clone();
        rows.push(serde_json::json!({ "label": r.label, "value": r.value }));
    }
    if !rows.is_empty() {
        steps.push(serde_json::json!({ "title": current, "rows": rows }));
    }
    serde_json::json!({
        "org_title": org_title,
        "service": def.title.get(Lang::Sv),
        "case_number": s.case_number,
        "signed_at": radhus_kernel::lang::swedish_time(s.signed_at),
        "signer": s.signed_name,
        "identified_by": if s.identified_by == "test-eid" { "Test-e-legitimation".to_string() } else { format!("e-legitimation ({})", s.identified_by) },
        "sha256": s.content_sha256,
        "fee": s.fee,
        "steps": steps,
        "on_behalf": behalf.filter(|b| !b.subject.is_self()).map(|b| serde_json::json!({
            "subject": crate::on_behalf::subject_line(&b.subject),
            "submitted_by": crate::on_behalf::submitted_by(&s.signed_name, b),
        })),
    })
}

/// The receipt of the citizen's submission: the stored one, or typeset now and stored.
pub async fn make(st: &AppState, t: TenantId, org_title: &str, who: &Citizen, id: Uuid) -> Result<Vec<u8>> {
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let (s, def, answers) = service::submission(&mut tx, t, who, id).await?;
    if let Some(pdf) = crate::store::receipt_pdf(&mut tx, t, id).await? {
        tx.commit().await?;
        return Ok(pdf);
    }
    let behalf = crate::on_behalf::of_draft(&mut tx, t, s.draft_id).await?;
    tx.commit().await?;
    let json = data(org_title, &s, &def, &answers, behalf.as_ref()).to_string();
    let now = st.now();
    let options = radhus_pdf::Options { deadline: radhus_pdf::DEFAULT_DEADLINE, owner: Some(t.0.to_string()) };
    let pdf = tokio::task::spawn_blocking(move || radhus_pdf::render_with(TEMPLATE, &[("data", &json)], &[], now, &options))
        .await
        .map_err(|e| Error::Internal(format!("receipt: {e}")))?
        .map_err(|e| Error::Internal(format!("receipt: {e}")))?;
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    crate::store::set_receipt_pdf(&mut tx, t, id, &pdf).await?;
    tx.commit().await?;
    Ok(pdf)
}
