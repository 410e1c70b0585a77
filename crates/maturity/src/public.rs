//! The public page `/eblomlada`: a municipality's own results when it has chosen to publish
//! them, and the benchmark across municipalities (aggregates only, from five participants).

use axum::extract::State;
use axum::response::Response;
use radhus_kernel::ids::TenantId;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::web::form::Query;
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::Deserialize;

use crate::service::{self, Results};
use crate::store::{self, Assessment};
use crate::view::ResultsView;
use crate::web::ResultsPage;

pub fn routes() -> Routes {
    Routes::new().get("/eblomlada", get_public_results)
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct YearQuery {
    /// The year (default: the latest published).
    pub ar: Option<String>,
}

/// The published (submitted and public) assessments of a municipality, newest first.
pub async fn published(st: &AppState, t: TenantId) -> Result<Vec<Assessment>> {
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let list = store::assessments(&mut tx, t).await?;
    tx.commit().await?;
    Ok(list.into_iter().filter(|a| a.is_submitted() && a.public).collect())
}

/// The published results of a year (or the latest); `None` when nothing is published.
pub async fn published_results(st: &AppState, t: TenantId, year: Option<&str>) -> Result<(Option<Results>, Vec<i32>)> {
    let list = published(st, t).await?;
    let years: Vec<i32> = list.iter().map(|a| a.year).collect();
    let chosen = match year.map(str::trim).filter(|y| !y.is_empty()) {
        Some(y) => {
            let y: i32 = y.parse().map_err(|_| Error::NotFound)?;
            Some(list.into_iter().find(|a| a.year == y).ok_or(Error::NotFound)?)
        }
        None => list.into_iter().next(),
    };
    match chosen {
        Some(a) => Ok((Some(service::results(&st.db, t, a).await?), years)),
        None => Ok((None, years)),
    }
}

#[derive(askama::Template)]
#[template(path = "maturity/public_none.html")]
struct NothingPublished<'a> {
    ctx: &'a Ctx,
}

async fn get_public_results(State(st): State<AppState>, ctx: Ctx, Query(q): Query<YearQuery>) -> Result<Response> {
    let tenant = ctx.require_tenant()?;
    let (r, years) = published_results(&st, tenant.id, q.ar.as_deref()).await?;
    match r {
        None => render(&NothingPublished { ctx: &ctx }),
        Some(r) => render(&ResultsPage { r: ResultsView::new(&ctx, &tenant.name, r), ctx: &ctx, public_page: true, years }),
    }
}
