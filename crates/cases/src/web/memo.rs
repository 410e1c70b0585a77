//! The official memo's pages: starting a case's memo (*Skriv tjänsteskrivelse*,
//! `/admin/arenden/{id}/tjansteskrivelse`), generating a record's memo from its form, and the
//! municipality's template under `/admin/diarier/mallar`.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::Staff;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::web::form::{self, Form, PathIds, Query};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::Deserialize;
use uuid::Uuid;

use super::memo_steps::MemoSteps;
use super::records::on_record;
use crate::memo::{self, MemoText, NewMemo};
use crate::service::{self, ADMIN};
use crate::store::CaseRow;

pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/admin/arenden/{id}/tjansteskrivelse", get_start)
        .post("/admin/arenden/{id}/tjansteskrivelse", post_start)
        .post("/admin/handlingar/{id}/tjansteskrivelse", post_memo)
        .get("/admin/diarier/mallar", get_template)
        .post("/admin/diarier/mallar", post_template)
}

async fn post_memo(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<MemoText>,
) -> Result<Response> {
    let result = memo::generate(&st.db, &s, id, &f, st.now()).await.map(|_| ());
    on_record(&st, &ctx, &s, id, result, Some(f)).await
}

#[derive(Template)]
#[template(path = "cases/memo_start.html")]
struct StartPage<'a> {
    ctx: &'a Ctx,
    case: CaseRow,
    memo_steps: MemoSteps,
    form: NewMemo,
    errors: Vec<String>,
}

/// The first step of a case's memo: its title and recipient, before the record is made.
async fn start_page(st: &AppState, ctx: &Ctx, s: &StaffUser, case: Uuid, form: Option<NewMemo>, errors: Vec<String>) -> Result<Response> {
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let c = service::readable_case(&mut tx, s, case).await?;
    if !service::may_work_on_records(&mut tx, s, &c).await? {
        return Err(Error::Forbidden);
    }
    tx.commit().await?;
    let form = form.unwrap_or_else(|| NewMemo { title: memo::default_title(&c), correspondent: String::new() });
    render(&StartPage { ctx, case: c, memo_steps: MemoSteps::starting(), form, errors })
}

async fn get_start(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    start_page(&st, &ctx, &s, id, None, vec![]).await
}

async fn post_start(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<NewMemo>,
) -> Result<Response> {
    let done = memo::start(&st.db, &s, id, &f, st.now()).await.map(|record| format!("/admin/handlingar/{record}#memo"));
    form::submit(&ctx, done, |errors| start_page(&st, &ctx, &s, id, Some(f.clone()), errors)).await
}

#[derive(Template)]
#[template(path = "cases/template.html")]
struct TemplatePage<'a> {
    ctx: &'a Ctx,
    source: String,
    own: bool,
    errors: Vec<String>,
    saved: bool,
}

#[derive(Deserialize)]
struct TemplateForm {
    #[serde(default)]
    source: String,
    #[serde(default)]
    action: String,
}

#[derive(Deserialize, Default)]
struct TemplateQuery {
    sparad: Option<String>,
}

async fn get_template(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, Query(q): Query<TemplateQuery>) -> Result<Response> {
    if !s.grants.whole_municipality(ADMIN) {
        return Err(Error::Forbidden);
    }
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let (source, own) = memo::template(&mut tx, s.tenant_id).await?;
    tx.commit().await?;
    render(&TemplatePage { ctx: &ctx, source, own, errors: vec![], saved: q.sparad.is_some() })
}

async fn post_template(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, Form(f): Form<TemplateForm>) -> Result<Response> {
    let reset = f.action == "reset";
    let outcome = memo::save_template(&st.db, &s, (!reset).then_some(f.source.as_str()), st.now()).await;
    // A template that does not compile is refused with Typst's diagnostic as its message.
    let mut diagnostic = None;
    let done = outcome.and_then(|compiled| {
        compiled.map(|()| "/admin/diarier/mallar?sparad=1".to_string()).map_err(|d| {
            diagnostic = Some(format!("{} {d}", ctx.t("err-template-compile")));
            Error::invalid("source", "err-template-compile")
        })
    });
    form::submit(&ctx, done, |errors| async {
        let errors = diagnostic.map(|d| vec![d]).unwrap_or(errors);
        render(&TemplatePage { ctx: &ctx, source: f.source, own: true, errors, saved: false })
    })
    .await
}
