//! The citizen's page `/mina-arenden`: on the platform host every municipality's cases, on a
//! municipality's host that municipality's.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use radhus_kernel::Personnummer;
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::session::{Assurance, Principal};
use radhus_platform::pii;
use radhus_platform::web::form::PathIds;
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use uuid::Uuid;

use crate::MyCasesError;
use crate::store::{self, MyCase, Step};

pub fn routes() -> Routes {
    Routes::new().get("/mina-arenden", get_my_cases).get("/mina-arenden/{kommun}/{arende}", get_my_case)
}

#[derive(Template)]
#[template(path = "mycases/list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    /// None: not logged in with e-ID; the page offers the login.
    cases: Option<Vec<MyCase>>,
    /// On a municipality's host: the link to every municipality's cases on the platform host.
    platform_url: Option<String>,
}

impl ListPage<'_> {
    fn date(&self, at: &time::OffsetDateTime) -> String {
        swedish_day(at)
    }

    fn show_municipality(&self) -> bool {
        self.ctx.is_platform()
    }
}

#[derive(Template)]
#[template(path = "mycases/case.html")]
struct CasePage<'a> {
    ctx: &'a Ctx,
    case: MyCase,
    steps: Vec<Step>,
}

impl CasePage<'_> {
    fn date(&self, at: &time::OffsetDateTime) -> String {
        swedish_day(at)
    }

    fn step_label(&self, kind: &str) -> String {
        self.ctx.t(&format!("my-step-{kind}"))
    }
}

/// The day of a moment in Sweden, in words (`5 december 2026`).
fn swedish_day(at: &time::OffsetDateTime) -> String {
    radhus_kernel::lang::swedish_date(radhus_kernel::tz::stockholm(*at).date())
}

/// The e-ID-identified citizen of the request; a session from an e-mail link does not count.
fn citizen(ctx: &Ctx) -> Result<Option<(Personnummer, String)>> {
    match &ctx.principal {
        Some(Principal::Citizen { pnr, name, assurance: Assurance::Eid, .. }) => {
            let pnr = Personnummer::parse_canonical(pnr).map_err(|_| Error::Internal("a session's number is not canonical".into()))?;
            Ok(Some((pnr, name.clone())))
        }
        Some(Principal::Citizen { .. }) => Err(MyCasesError::NeedsEid.into()),
        _ => Ok(None),
    }
}

async fn get_my_cases(State(st): State<AppState>, ctx: Ctx) -> Result<Response> {
    let platform_url = ctx.tenant().map(|_| format!("{}/mina-arenden", st.config.public_url.trim_end_matches('/')));
    let Some((pnr, name)) = citizen(&ctx)? else {
        return render(&ListPage { ctx: &ctx, cases: None, platform_url });
    };
    let index = pii::index(&pnr)?;
    let scope = Scope::citizen_from_hex(&index).ok_or_else(|| Error::Internal("blind index".into()))?;
    let mut tx = st.db.read(scope).await?;
    let cases = store::cases_of(&mut tx, &index, ctx.tenant().map(|t| t.id)).await?;
    tx.commit().await?;
    // The citizen's reading of their own cases is logged where they read them.
    let tenant = ctx.tenant().map(|t| t.id);
    let mut tx = st.db.write(tenant.map_or(Scope::Platform, Scope::Tenant)).await?;
    let event = Event::new("my.cases.read", "citizen", "").with(serde_json::json!({ "cases": cases.len() }));
    audit::record(&mut tx, tenant, &Actor::citizen(&pnr.to_string(), &name), event, st.now()).await?;
    tx.commit().await?;
    render(&ListPage { ctx: &ctx, cases: Some(cases), platform_url })
}

/// One of the citizen's cases with its history. Anything that is not the citizen's (another
/// citizen's case, a malformed id, another municipality's case on a municipality's host) is
/// "not found", never "forbidden": it does not tell whether the case exists.
async fn get_my_case(State(st): State<AppState>, ctx: Ctx, PathIds((tenant, case)): PathIds<(Uuid, Uuid)>) -> Result<Response> {
    let Some((pnr, name)) = citizen(&ctx)? else {
        // To the e-ID login, and back here afterwards.
        let back = format!("/mina-arenden/{tenant}/{case}");
        let next: String = url::form_urlencoded::byte_serialize(back.as_bytes()).collect();
        return Ok(Redirect::to(&format!("/e-legitimation?next={next}")).into_response());
    };
    if ctx.tenant().is_some_and(|t| t.id.0 != tenant) {
        return Err(Error::NotFound);
    }
    let index = pii::index(&pnr)?;
    let scope = Scope::citizen_from_hex(&index).ok_or_else(|| Error::Internal("blind index".into()))?;
    let mut tx = st.db.read(scope).await?;
    let found = store::case_of(&mut tx, &index, tenant, case).await?;
    tx.commit().await?;
    let Some((case, steps)) = found else { return Err(Error::NotFound) };
    let t = radhus_kernel::ids::TenantId(tenant);
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    let event = Event::new("my.case.read", "case", case.case_id);
    audit::record(&mut tx, Some(t), &Actor::citizen(&pnr.to_string(), &name), event, st.now()).await?;
    tx.commit().await?;
    render(&CasePage { ctx: &ctx, case, steps })
}
