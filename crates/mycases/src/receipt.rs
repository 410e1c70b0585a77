//! The PDF/A receipt of the e-service submission a case came from, on the citizen's case page
//! (issue 12 item 3): offered when `radhus_eservices::citizen::submission_of_case` finds the
//! citizen's own submission behind the case; typeset by e-services outside any write
//! transaction if it was not yet; the download logged in the municipality.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Event};
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::web::form::PathIds;
use radhus_platform::web::{AppState, Ctx, Routes};
use uuid::Uuid;

use crate::web::{Me, my_case, to_login};

pub fn routes() -> Routes {
    Routes::new().get("/mina-arenden/{kommun}/{arende}/kvitto.pdf", get_receipt)
}

async fn get_receipt(State(st): State<AppState>, ctx: Ctx, PathIds((tenant, case)): PathIds<(Uuid, Uuid)>) -> Result<Response> {
    let Some(me) = Me::of(&ctx)? else { return Ok(to_login(&format!("/mina-arenden/{tenant}/{case}"))) };
    // The case must be the citizen's (read model), in the municipality of the host.
    let (row, _) = my_case(&st, &ctx, &me, tenant, case).await?;
    let t = TenantId(tenant);
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    let id = radhus_eservices::citizen::submission_of_case(&mut tx, t, case, &me.index).await?.ok_or(Error::NotFound)?;
    let event = Event::new("my.receipt.read", "case", case).with(serde_json::json!({ "submission": id }));
    audit::record(&mut tx, Some(t), &me.actor(), event, st.now()).await?;
    tx.commit().await?;
    let who = radhus_eservices::citizen::Citizen::new(me.pnr, me.name.clone(), String::new())?;
    let pdf = radhus_eservices::receipt::make(&st, t, &ctx.municipality_title(&row.municipality), &who, id).await?;
    // The headers of the other documents of the case page (`web::get_document`).
    let mut r = pdf.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"kvitto.pdf\""));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    h.insert("content-security-policy", HeaderValue::from_static("default-src 'none'; sandbox"));
    Ok(r)
}
