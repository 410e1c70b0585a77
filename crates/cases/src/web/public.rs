//! The public diary's pages (`/diarium`, `/diarium/arende/{id}`), open to anyone.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_platform::db::Scope;
use radhus_platform::error::Result;
use radhus_platform::web::form::{PathIds, Query};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use uuid::Uuid;

use crate::public::{self, DiaryQuery, PublicCase, PublicRecord};

pub(super) fn routes() -> Routes {
    Routes::new().get("/diarium", get_diary).get("/diarium/arende/{id}", get_public_case)
}

#[derive(Template)]
#[template(path = "cases/public_list.html")]
struct DiaryPage<'a> {
    ctx: &'a Ctx,
    q: String,
    q_param: String,
    cases: Vec<PublicCase>,
    total: i64,
    page: i64,
    pages: i64,
}

impl DiaryPage<'_> {
    fn status_label(&self, s: &str) -> String {
        self.ctx.t(&format!("case-status-{s}"))
    }
}

async fn get_diary(State(st): State<AppState>, ctx: Ctx, Query(q): Query<DiaryQuery>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let text = q.q.unwrap_or_default();
    let page = q.sida.as_deref().and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1);
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let (cases, total) = public::search_cases(&mut tx, t, &text, page).await?;
    tx.commit().await?;
    let pages = ((total + public::PER_PAGE - 1) / public::PER_PAGE).max(1);
    let q_param: String = radhus_platform::web::url_encode(&text);
    render(&DiaryPage { ctx: &ctx, q: text, q_param, cases, total, page, pages })
}

#[derive(Template)]
#[template(path = "cases/public_case.html")]
struct PublicCasePage<'a> {
    ctx: &'a Ctx,
    case: PublicCase,
    records: Vec<PublicRecord>,
}

impl PublicCasePage<'_> {
    fn kind_label(&self, s: &str) -> String {
        self.ctx.t(&format!("record-kind-{s}"))
    }
    fn status_label(&self, s: &str) -> String {
        self.ctx.t(&format!("case-status-{s}"))
    }
}

async fn get_public_case(State(st): State<AppState>, ctx: Ctx, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let (case, records) = public::case_with_records(&mut tx, t, id).await?;
    tx.commit().await?;
    render(&PublicCasePage { ctx: &ctx, case, records })
}
