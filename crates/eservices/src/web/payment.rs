//! Paying a fee (issue 11): the citizen starts a payment from the receipt, comes back from the
//! provider, and (in test mode) the test provider's own page.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use radhus_platform::audit::Actor;
use radhus_platform::db::Scope;
use radhus_platform::error::Result;
use radhus_platform::web::form::{Form, PathIds};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use uuid::Uuid;

use super::common::citizen_or_login;
use crate::EsError;
use crate::payment::{
    Begin, PaymentRequest, ProviderStatus, begin, provider, record_start, returned, settle, test_attempt, test_decide, test_provider_name,
};

pub fn routes() -> Routes {
    Routes::new()
        .post("/e-tjanster/kvitton/{id}/betala", post_pay)
        .get("/e-tjanster/kvitton/{id}/betalning/retur", get_return)
        .get("/e-tjanster/testbetalning/{ref}", get_test_page)
        .post("/e-tjanster/testbetalning/{ref}", post_test_page)
}

async fn post_pay(State(st): State<AppState>, ctx: Ctx, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let receipt = format!("/e-tjanster/kvitton/{id}");
    let who = match citizen_or_login(&ctx, &receipt)? {
        Ok(c) => c,
        Err(login) => return Ok(login),
    };
    let provider = provider(&st.config).ok_or(EsError::NoProvider)?;
    let now = st.now();
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let begun = begin(&mut tx, t, &who, id, now).await;
    tx.commit().await?;
    let (amount, service) = match begun? {
        Begin::Resume(to) => return Ok(Redirect::to(&to).into_response()),
        Begin::Start { amount, service } => (amount, service),
    };
    let payment_id = Uuid::now_v7();
    let req = PaymentRequest { payment: payment_id, amount, description: service, return_url: format!("{receipt}/betalning/retur") };
    // The provider is called outside any transaction; an attempt it started that we then fail
    // to record is never paid for here and lapses at the provider.
    let started = provider.start(&req).await?;
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    match record_start(&mut tx, t, &who, (id, payment_id, amount), provider, &started, now).await {
        Ok(()) => tx.commit().await?,
        Err(e) => {
            tx.rollback().await?;
            return Err(e);
        }
    }
    Ok(Redirect::to(&started.redirect).into_response())
}

async fn get_return(
    State(st): State<AppState>,
    ctx: Ctx,
    PathIds(id): PathIds<Uuid>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Result<Response> {
    let q: Vec<(String, String)> = url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()).into_owned().collect();
    let tenant = ctx.require_tenant()?;
    let t = tenant.id;
    let site = st.site_url(tenant.hosts.first().map_or(ctx.host.as_str(), String::as_str));
    let receipt = format!("/e-tjanster/kvitton/{id}");
    let who = match citizen_or_login(&ctx, &receipt)? {
        Ok(c) => c,
        Err(login) => return Ok(login),
    };
    let provider = provider(&st.config).ok_or(EsError::NoProvider)?;
    let reference = provider.reference(&q).ok_or(EsError::UnknownPayment)?;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let p = returned(&mut tx, t, &who, id, provider.key(), &reference).await;
    tx.commit().await?;
    let p = p?;
    let said = provider.status(&p.provider_ref).await?;
    let now = st.now();
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    let status = settle(&mut tx, t, (p.id, &site), said, &Actor::citizen(&who.pnr.to_string(), &who.name), now).await?;
    tx.commit().await?;
    let outcome = match status.as_str() {
        "paid" => "betald",
        "started" => "pagar",
        "duplicate" => "dubbel",
        _ => "avbruten",
    };
    Ok(Redirect::to(&format!("{receipt}?betalning={outcome}")).into_response())
}

#[derive(Template)]
#[template(path = "eservices/test_payment.html")]
struct TestPage<'a> {
    ctx: &'a Ctx,
    reference: String,
    amount: i64,
    description: String,
    provider: &'static str,
}

async fn get_test_page(State(st): State<AppState>, ctx: Ctx, PathIds(reference): PathIds<String>) -> Result<Response> {
    ctx.require_tenant()?;
    let (amount, description, _, _) = test_attempt(&st.config, &reference)?;
    render(&TestPage { ctx: &ctx, reference, amount, description, provider: test_provider_name() })
}

#[derive(serde::Deserialize)]
struct TestChoice {
    #[serde(default)]
    atgard: String,
}

async fn post_test_page(
    State(st): State<AppState>,
    ctx: Ctx,
    PathIds(reference): PathIds<String>,
    Form(f): Form<TestChoice>,
) -> Result<Response> {
    ctx.require_tenant()?;
    let (amount, _, return_url, status) = test_attempt(&st.config, &reference)?;
    let to = match f.atgard.as_str() {
        "betala" => ProviderStatus::Paid { amount },
        "avbryt" => ProviderStatus::Failed,
        _ => return Err(EsError::UnknownPayment.into()),
    };
    if status == ProviderStatus::Pending {
        test_decide(&reference, to);
    }
    Ok(Redirect::to(&format!("{return_url}?ref={reference}")).into_response())
}
