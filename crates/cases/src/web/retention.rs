//! The disposal page `/admin/gallring`: the closed cases whose retention period has run out,
//! and the disposal decision.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::Staff;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::web::form::{self, Form, one_or_many};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::retention::{self, Candidate};
use crate::service::ADMIN;

pub(super) fn routes() -> Routes {
    Routes::new().get("/admin/gallring", get_disposal).post("/admin/gallring", post_disposal)
}

#[derive(Template)]
#[template(path = "cases/disposal.html")]
struct DisposalPage<'a> {
    ctx: &'a Ctx,
    candidates: Vec<Candidate>,
    errors: Vec<String>,
    done: Option<usize>,
}

impl DisposalPage<'_> {
    fn date(&self, t: &OffsetDateTime) -> String {
        t.date().to_string()
    }
}

async fn page(st: &AppState, ctx: &Ctx, s: &StaffUser, errors: Vec<String>, done: Option<usize>) -> Result<Response> {
    if !s.grants.whole_municipality(ADMIN) {
        return Err(Error::Forbidden);
    }
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let candidates = retention::candidates(&mut tx, s.tenant_id, st.now()).await?;
    tx.commit().await?;
    render(&DisposalPage { ctx, candidates, errors, done })
}

async fn get_disposal(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff) -> Result<Response> {
    page(&st, &ctx, &s, vec![], None).await
}

#[derive(Deserialize)]
struct DisposalForm {
    #[serde(default, deserialize_with = "one_or_many")]
    cases: Vec<String>,
    #[serde(default)]
    decision_ref: String,
}

async fn post_disposal(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, Form(f): Form<DisposalForm>) -> Result<Response> {
    let ids: Vec<Uuid> = f.cases.iter().filter_map(|c| Uuid::parse_str(c).ok()).collect();
    let done = async {
        let n = retention::dispose(&st.db, &s, &ids, &f.decision_ref, st.now()).await?;
        page(&st, &ctx, &s, vec![], Some(n)).await
    }
    .await;
    form::submit(&ctx, done, |errors| page(&st, &ctx, &s, errors, None)).await
}
