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
use radhus_platform::web::field::{Field, FormErrors, Refused};
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
    let posted = |e| {
        Refused::form(
            "memo",
            e,
            [("proposal", &f.proposal), ("summary", &f.summary), ("background", &f.background), ("assessment", &f.assessment)],
        )
    };
    on_record(&st, &ctx, &s, id, result, posted).await
}

#[derive(Template)]
#[template(path = "cases/memo_start.html")]
struct StartPage<'a> {
    ctx: &'a Ctx,
    case: CaseRow,
    memo_steps: MemoSteps,
    errors: FormErrors,
    /// The recipient and the title.
    fields: Vec<Field>,
}

/// The first step of a case's memo: its title and recipient, before the record is made.
async fn start_page(st: &AppState, ctx: &Ctx, s: &StaffUser, case: Uuid, form: Option<NewMemo>, errors: FormErrors) -> Result<Response> {
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let c = service::readable_case(&mut tx, s, case).await?;
    if !service::may_work_on_records(&mut tx, s, &c).await? {
        return Err(Error::Forbidden);
    }
    tx.commit().await?;
    let form = form.unwrap_or_else(|| NewMemo { title: memo::default_title(&c), correspondent: String::new() });
    let fields = vec![
        Field::new(ctx, "correspondent", "memo-recipient")
            .hint(ctx.t("memo-recipient-hint"))
            .autocomplete("off")
            .value(form.correspondent)
            .errors(&errors),
        // Left empty, the memo takes the case's public title.
        Field::new(ctx, "title", "field-title").optional().hint(ctx.t("memo-title-hint")).value(form.title).errors(&errors),
    ];
    let errors = errors.linked(&fields.iter().collect::<Vec<_>>());
    render(&StartPage { ctx, case: c, memo_steps: MemoSteps::starting(), errors, fields })
}

async fn get_start(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    start_page(&st, &ctx, &s, id, None, FormErrors::none()).await
}

async fn post_start(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<NewMemo>,
) -> Result<Response> {
    let done = memo::start(&st.db, &s, id, &f, st.now()).await.map(|record| format!("/admin/handlingar/{record}#memo"));
    form::submit_fields(&ctx, done, |errors| start_page(&st, &ctx, &s, id, Some(f.clone()), errors)).await
}

#[derive(Template)]
#[template(path = "cases/template.html")]
struct TemplatePage<'a> {
    ctx: &'a Ctx,
    own: bool,
    errors: FormErrors,
    /// The template's source: a code editor's textarea, with the field's label, hint and message.
    source: Field,
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
    render(&TemplatePage {
        ctx: &ctx,
        source: source_field(&ctx, source, &FormErrors::none()),
        own,
        errors: FormErrors::none(),
        saved: q.sparad.is_some(),
    })
}

async fn post_template(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, Form(f): Form<TemplateForm>) -> Result<Response> {
    let reset = f.action == "reset";
    let outcome = memo::save_template(&st.db, &s, (!reset).then_some(f.source.as_str()), st.now()).await;
    // A template that does not compile is refused with Typst's diagnostic as its message.
    let mut diagnostic = None;
    let done = outcome.and_then(|compiled| {
        compiled.map(|()| "/admin/diarier/mallar?sparad=1".to_string()).map_err(|d| {
            diagnostic = Some(d.to_string());
            Error::invalid("source", "err-template-compile")
        })
    });
    form::submit_fields(&ctx, done, |mut errors| {
        if let Some(d) = diagnostic {
            for e in errors.entries.iter_mut().filter(|e| e.field == "source") {
                e.message = format!("{} {d}", e.message);
            }
        }
        let source = source_field(&ctx, f.source, &errors);
        let errors = errors.linked(&[&source]);
        async { render(&TemplatePage { ctx: &ctx, source, own: true, errors, saved: false }) }
    })
    .await
}

/// The template's source field (the page renders its textarea as a code editor).
fn source_field(ctx: &Ctx, source: String, errors: &FormErrors) -> Field {
    Field::new(ctx, "source", "template-source").kind("textarea").rows(30).hint(ctx.t("template-source-hint")).value(source).errors(errors)
}
