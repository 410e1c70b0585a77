//! The form builder's pages (`/admin/e-tjanster/egna/…`, see [`crate::builder`]): the
//! municipality's own e-services, a service's steps and fields with move and delete buttons,
//! its settings, a step, a field, the preview (the citizen's own step template, nothing
//! saved), publishing (the linter's problems, or a confirmation) and JSON export and import.
//! Every page works without JavaScript; every form has its CSRF token and shows a refusal
//! with the shared error summary and the message at the field.

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use radhus_kernel::ids::TenantId;
use radhus_platform::audit::Actor;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::permissions::Require;
use radhus_platform::identity::session::Principal;
use radhus_platform::web::errors::with_error_status;
use radhus_platform::web::field::{Field, FormErrors};
use radhus_platform::web::form::{Form, PathIds, Query};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use uuid::Uuid;

use super::common::{EsAdmin, TextArea, today};
use crate::builder::{self, FieldInput, LINT_PREFIX, NewField, NewService, Settings, StepInput};
use crate::catalogue::CATEGORIES;
use crate::form::{self, Answers, Definition, FieldKind};
use crate::store;

const BASE: &str = "/admin/e-tjanster/egna";

pub fn routes() -> Routes {
    Routes::new()
        .get(BASE, get_list)
        .post(BASE, post_create)
        .get("/admin/e-tjanster/egna/{tjanst}", get_builder)
        .get("/admin/e-tjanster/egna/{tjanst}/installningar", get_settings)
        .post("/admin/e-tjanster/egna/{tjanst}/installningar", post_settings)
        .post("/admin/e-tjanster/egna/{tjanst}/steg", post_add_step)
        .get("/admin/e-tjanster/egna/{tjanst}/steg/{steg}", get_step)
        .post("/admin/e-tjanster/egna/{tjanst}/steg/{steg}", post_step)
        .post("/admin/e-tjanster/egna/{tjanst}/steg/{steg}/flytta", post_move_step)
        .post("/admin/e-tjanster/egna/{tjanst}/steg/{steg}/ta-bort", post_delete_step)
        .post("/admin/e-tjanster/egna/{tjanst}/steg/{steg}/falt", post_add_field)
        .get("/admin/e-tjanster/egna/{tjanst}/falt/{falt}", get_field)
        .post("/admin/e-tjanster/egna/{tjanst}/falt/{falt}", post_field)
        .post("/admin/e-tjanster/egna/{tjanst}/falt/{falt}/flytta", post_move_field)
        .post("/admin/e-tjanster/egna/{tjanst}/falt/{falt}/ta-bort", post_delete_field)
        .get("/admin/e-tjanster/egna/{tjanst}/forhandsgranska/{n}", get_preview)
        .post("/admin/e-tjanster/egna/{tjanst}/forhandsgranska/{n}", post_preview)
        .get("/admin/e-tjanster/egna/{tjanst}/publicera", get_publish)
        .post("/admin/e-tjanster/egna/{tjanst}/publicera", post_publish)
        .get("/admin/e-tjanster/egna/{tjanst}/export.json", get_export)
        .get("/admin/e-tjanster/egna/{tjanst}/importera", get_import)
        .post("/admin/e-tjanster/egna/{tjanst}/importera", post_import)
}

fn url(key: &str) -> String {
    format!("{BASE}/{key}")
}

fn actor(staff: &Require<EsAdmin>) -> Actor {
    Actor::of(&Principal::Staff(staff.0.clone()))
}

/// The problems of a refused use case; a linter's problem (`lint:…`) is shown with the
/// linter's words.
fn errors_of(ctx: &Ctx, e: &Error) -> FormErrors {
    let mut out = FormErrors::of(ctx, e);
    if let Error::Invalid(fields) = e {
        for (entry, f) in out.entries.iter_mut().zip(fields) {
            if let Some(problem) = f.message.strip_prefix(LINT_PREFIX) {
                entry.message = ctx.tr.t1("es-b-err-lint", "problem", problem);
            }
        }
    }
    out
}

/// Success goes to `Ok(address)`; a refusal shows the page again with its problems and the
/// error's status; anything else is the error page.
async fn answer<F, Fut>(ctx: &Ctx, done: Result<String>, page: F) -> Result<Response>
where
    F: FnOnce(FormErrors) -> Fut,
    Fut: std::future::Future<Output = Result<Response>>,
{
    match done {
        Ok(to) => Ok(Redirect::to(&to).into_response()),
        Err(e) if e.is_form_error() => Ok(with_error_status(&e, page(errors_of(ctx, &e)).await?)),
        Err(e) => Err(e),
    }
}

/// Fields with their problems, and the summary linked to them.
fn with_errors(fields: Vec<Field>, errors: &FormErrors) -> (Vec<Field>, FormErrors) {
    let fields: Vec<Field> = fields.into_iter().map(|f| f.errors(errors)).collect();
    let labelled: Vec<(&Field, String)> = fields.iter().map(|f| (f, f.label.clone())).collect();
    let summary = errors.linked_to(&labelled);
    (fields, summary)
}

fn kind_label(ctx: &Ctx, k: FieldKind) -> String {
    ctx.t(&format!("es-b-kind-{}", builder::kind_name(k).replace('_', "-")))
}

async fn case_types(st: &AppState, t: TenantId) -> Result<Vec<(Uuid, String)>> {
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let out = radhus_cases::store::case_types(&mut tx, t)
        .await?
        .into_iter()
        .filter(|c| c.active && c.default_unit_id.is_some())
        .map(|c| (c.id, format!("{} ({})", c.name, c.registry_code)))
        .collect();
    tx.commit().await?;
    Ok(out)
}

fn case_type_field(ctx: &Ctx, types: &[(Uuid, String)], chosen: &str) -> Field {
    let options = types.iter().map(|(id, name)| (id.to_string(), name.clone(), chosen == id.to_string())).collect();
    Field::new(ctx, "case_type", "es-b-f-case-type").kind("select").hint(ctx.t("es-case-type-hint")).options(options, ctx.t("es-choose"))
}

// ---------------------------------------------------------------------------------------
// The municipality's own e-services

struct OwnRow {
    key: String,
    title: String,
    version: i32,
    status: String,
    changed: bool,
}

#[derive(Template)]
#[template(path = "eservices/builder_list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<OwnRow>,
    errors: FormErrors,
    fields: Vec<Field>,
}

async fn list_page(st: &AppState, ctx: &Ctx, t: TenantId, f: NewService, errors: FormErrors) -> Result<Response> {
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let mut rows = vec![];
    for own in store::own_services(&mut tx, t).await? {
        let draft = crate::catalogue::parse_stored(&own.builder_draft)?;
        let published = builder::published(&mut tx, t, &own).await?;
        rows.push(OwnRow {
            title: draft.title.sv.clone(),
            version: own.revision,
            status: ctx.t(&format!("es-status-{}", own.status)),
            changed: builder::unpublished_changes(&draft, published.as_ref()),
            key: own.service_key,
        });
    }
    tx.commit().await?;
    let types = case_types(st, t).await?;
    let fields = vec![
        Field::new(ctx, "key", "es-b-f-key").hint(ctx.t("es-b-key-hint")).value(f.key.clone()),
        Field::new(ctx, "title", "es-b-f-title").value(f.title.clone()),
        Field::new(ctx, "summary", "es-b-f-summary").kind("textarea").rows(3).hint(ctx.t("es-b-summary-hint")).value(f.summary.clone()),
        case_type_field(ctx, &types, &f.case_type),
        Field::new(ctx, "public_title", "es-b-f-public-title").hint(ctx.t("es-public-title-hint")).value(f.public_title.clone()),
    ];
    let (fields, errors) = with_errors(fields, &errors);
    render(&ListPage { ctx, rows, errors, fields })
}

async fn get_list(State(st): State<AppState>, ctx: Ctx, staff: Require<EsAdmin>) -> Result<Response> {
    list_page(&st, &ctx, staff.tenant_id, NewService::default(), FormErrors::none()).await
}

async fn post_create(State(st): State<AppState>, ctx: Ctx, staff: Require<EsAdmin>, Form(f): Form<NewService>) -> Result<Response> {
    let t = staff.tenant_id;
    let done = async {
        let mut tx = st.db.write(Scope::Tenant(t)).await?;
        let key = builder::create(&mut tx, t, &f, &actor(&staff), st.now()).await?;
        tx.commit().await?;
        Ok(url(&key))
    }
    .await;
    answer(&ctx, done, |errors| list_page(&st, &ctx, t, f.clone(), errors)).await
}

// ---------------------------------------------------------------------------------------
// One service: its steps and fields

struct FieldRow {
    id: String,
    label: String,
    kind: String,
    required: bool,
    conditional: bool,
    first: bool,
    last: bool,
}

struct StepRow {
    id: String,
    index: usize,
    title: String,
    conditional: bool,
    fields: Vec<FieldRow>,
    first: bool,
    last: bool,
}

#[derive(Template)]
#[template(path = "eservices/builder.html")]
struct BuilderPage<'a> {
    ctx: &'a Ctx,
    key: String,
    base: String,
    title: String,
    /// The published version (0: none yet).
    version: i32,
    changed: bool,
    status: String,
    steps: Vec<StepRow>,
    /// What was just done (published, previewed).
    notice: String,
    errors: FormErrors,
    /// The new step's title and introduction.
    fields: Vec<Field>,
}

fn step_rows(ctx: &Ctx, def: &Definition) -> Vec<StepRow> {
    let n = def.steps.len();
    def.steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let m = s.fields.len();
            StepRow {
                id: s.id.clone(),
                index: i,
                title: s.title.sv.clone(),
                conditional: s.visible_if.is_some(),
                first: i == 0,
                last: i + 1 == n,
                fields: s
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(j, f)| FieldRow {
                        id: f.id.clone(),
                        label: f.label.sv.clone(),
                        kind: kind_label(ctx, f.kind),
                        required: f.required,
                        conditional: f.visible_if.is_some() || f.required_if.is_some(),
                        first: j == 0,
                        last: j + 1 == m,
                    })
                    .collect(),
            }
        })
        .collect()
}

async fn builder_page(st: &AppState, ctx: &Ctx, t: TenantId, key: &str, f: StepInput, errors: FormErrors) -> Result<Response> {
    builder_page_with(st, ctx, t, key, (f, errors), String::new()).await
}

async fn builder_page_with(
    st: &AppState,
    ctx: &Ctx,
    t: TenantId,
    key: &str,
    (f, errors): (StepInput, FormErrors),
    notice: String,
) -> Result<Response> {
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let (own, def) = builder::load(&mut tx, t, key).await?;
    let published = builder::published(&mut tx, t, &own).await?;
    tx.commit().await?;
    let fields = vec![
        Field::new(ctx, "title", "es-b-f-step-title").id("new-step-title").value(f.title.clone()),
        Field::new(ctx, "intro", "es-b-f-intro").id("new-step-intro").kind("textarea").rows(2).optional().value(f.intro.clone()),
    ];
    let (fields, errors) = with_errors(fields, &errors);
    render(&BuilderPage {
        ctx,
        key: key.to_string(),
        base: url(key),
        title: def.title.sv.clone(),
        version: own.revision,
        changed: builder::unpublished_changes(&def, published.as_ref()),
        status: ctx.t(&format!("es-status-{}", own.status)),
        steps: step_rows(ctx, &def),
        notice,
        errors,
        fields,
    })
}

#[derive(serde::Deserialize, Default)]
struct BuilderQuery {
    #[serde(default)]
    publicerad: Option<String>,
    #[serde(default)]
    forhandsgranskat: Option<String>,
}

async fn get_builder(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds(key): PathIds<String>,
    Query(q): Query<BuilderQuery>,
) -> Result<Response> {
    let notice = match (q.publicerad.and_then(|v| v.parse::<u32>().ok()), q.forhandsgranskat) {
        (Some(v), _) => ctx.tr.t1("es-b-published", "version", v),
        (None, Some(_)) => ctx.t("es-b-previewed"),
        _ => String::new(),
    };
    builder_page_with(&st, &ctx, staff.tenant_id, &key, (StepInput::default(), FormErrors::none()), notice).await
}

async fn post_add_step(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds(key): PathIds<String>,
    Form(f): Form<StepInput>,
) -> Result<Response> {
    let t = staff.tenant_id;
    let done = async {
        let mut tx = st.db.write(Scope::Tenant(t)).await?;
        let id = builder::add_step(&mut tx, t, &key, &f, &actor(&staff), st.now()).await?;
        tx.commit().await?;
        Ok(format!("{}/steg/{id}", url(&key)))
    }
    .await;
    answer(&ctx, done, |errors| builder_page(&st, &ctx, t, &key, f.clone(), errors)).await
}

#[derive(serde::Deserialize)]
struct MoveForm {
    #[serde(default)]
    direction: String,
}

/// A move or delete button: done, back to the builder at the step; refused (the last step, a
/// tampered direction), the builder with the problem at the top.
async fn button(st: &AppState, ctx: &Ctx, t: TenantId, key: &str, done: Result<String>) -> Result<Response> {
    answer(ctx, done, |errors| builder_page(st, ctx, t, key, StepInput::default(), errors)).await
}

async fn post_move_step(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds((key, step)): PathIds<(String, String)>,
    Form(f): Form<MoveForm>,
) -> Result<Response> {
    let t = staff.tenant_id;
    let done = async {
        let mut tx = st.db.write(Scope::Tenant(t)).await?;
        builder::move_step(&mut tx, t, &key, &step, &f.direction, &actor(&staff), st.now()).await?;
        tx.commit().await?;
        Ok(format!("{}#steg-{step}", url(&key)))
    }
    .await;
    button(&st, &ctx, t, &key, done).await
}

async fn post_delete_step(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds((key, step)): PathIds<(String, String)>,
) -> Result<Response> {
    let t = staff.tenant_id;
    let done = async {
        let mut tx = st.db.write(Scope::Tenant(t)).await?;
        builder::delete_step(&mut tx, t, &key, &step, &actor(&staff), st.now()).await?;
        tx.commit().await?;
        Ok(url(&key))
    }
    .await;
    button(&st, &ctx, t, &key, done).await
}

async fn post_move_field(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds((key, field)): PathIds<(String, String)>,
    Form(f): Form<MoveForm>,
) -> Result<Response> {
    let t = staff.tenant_id;
    let done = async {
        let mut tx = st.db.write(Scope::Tenant(t)).await?;
        builder::move_field(&mut tx, t, &key, &field, &f.direction, &actor(&staff), st.now()).await?;
        tx.commit().await?;
        Ok(format!("{}#falt-{field}", url(&key)))
    }
    .await;
    button(&st, &ctx, t, &key, done).await
}

async fn post_delete_field(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds((key, field)): PathIds<(String, String)>,
) -> Result<Response> {
    let t = staff.tenant_id;
    let done = async {
        let mut tx = st.db.write(Scope::Tenant(t)).await?;
        builder::delete_field(&mut tx, t, &key, &field, &actor(&staff), st.now()).await?;
        tx.commit().await?;
        Ok(url(&key))
    }
    .await;
    button(&st, &ctx, t, &key, done).await
}

// ---------------------------------------------------------------------------------------
// Settings

#[derive(Template)]
#[template(path = "eservices/builder_form.html")]
struct FormPage<'a> {
    ctx: &'a Ctx,
    base: String,
    /// The service's title (the breadcrumb).
    service: String,
    heading: String,
    intro: String,
    action: String,
    submit: String,
    errors: FormErrors,
    fields: Vec<Field>,
    /// A second form on the page (a step's new field), posted to `extra_action`.
    extra: Option<Extra>,
}

struct Extra {
    heading: String,
    action: String,
    submit: String,
    errors: FormErrors,
    fields: Vec<Field>,
}

async fn settings_page(st: &AppState, ctx: &Ctx, t: TenantId, key: &str, f: Option<Settings>, errors: FormErrors) -> Result<Response> {
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let (own, def) = builder::load(&mut tx, t, key).await?;
    tx.commit().await?;
    let types = case_types(st, t).await?;
    let f = f.unwrap_or_else(|| Settings::of(&own, &def));
    let categories = CATEGORIES.iter().map(|c| (c.to_string(), ctx.t(&format!("es-category-{c}")), f.category == *c)).collect();
    let statuses = ["published", "paused"].iter().map(|v| (v.to_string(), ctx.t(&format!("es-status-{v}")), f.status == *v)).collect();
    let register_on = ["submit", "payment"]
        .iter()
        .map(|v| {
            (
                v.to_string(),
                ctx.t(&format!("es-register-on-{v}")),
                if *v == "payment" { f.register_on == "payment" } else { f.register_on != "payment" },
            )
        })
        .collect();
    let fields = vec![
        Field::new(ctx, "title", "es-b-f-title").value(f.title.clone()),
        Field::new(ctx, "summary", "es-b-f-summary").kind("textarea").rows(3).hint(ctx.t("es-b-summary-hint")).value(f.summary.clone()),
        Field::new(ctx, "eblomlada", "es-b-f-eblomlada").optional().hint(ctx.t("es-b-eblomlada-hint")).value(f.eblomlada.clone()),
        Field::new(ctx, "category", "es-b-f-category")
            .kind("select")
            .optional()
            .hint(ctx.t("es-b-category-hint"))
            .options(categories, ctx.t("es-b-category-auto")),
        Field::new(ctx, "handling", "es-b-f-handling").kind("textarea").rows(3).optional().value(f.handling.clone()),
        Field::new(ctx, "handling_days", "es-b-f-handling-days")
            .optional()
            .inputmode("numeric")
            .hint(ctx.t("es-b-days-hint"))
            .value(f.handling_days.clone()),
        Field::new(ctx, "fee", "es-b-f-fee").optional().inputmode("numeric").hint(ctx.t("es-b-fee-hint")).value(f.fee.clone()),
        Field::new(ctx, "contact", "es-b-f-contact").optional().value(f.contact.clone()),
        case_type_field(ctx, &types, &f.case_type),
        Field::new(ctx, "public_title", "es-b-f-public-title").hint(ctx.t("es-public-title-hint")).value(f.public_title.clone()),
        Field::new(ctx, "secrecy_ground", "es-b-f-secrecy").optional().hint(ctx.t("es-secrecy-hint")).value(f.secrecy_ground.clone()),
        Field::new(ctx, "status", "es-b-f-status").kind("radios").options(statuses, ""),
        Field::new(ctx, "register_on", "es-b-f-register-on").kind("radios").hint(ctx.t("es-register-on-hint")).options(register_on, ""),
    ];
    let (fields, errors) = with_errors(fields, &errors);
    render(&FormPage {
        ctx,
        base: url(key),
        service: def.title.sv.clone(),
        heading: ctx.t("es-b-settings"),
        intro: ctx.t("es-b-settings-intro"),
        action: format!("{}/installningar", url(key)),
        submit: ctx.t("es-b-save"),
        errors,
        fields,
        extra: None,
    })
}

async fn get_settings(State(st): State<AppState>, ctx: Ctx, staff: Require<EsAdmin>, PathIds(key): PathIds<String>) -> Result<Response> {
    settings_page(&st, &ctx, staff.tenant_id, &key, None, FormErrors::none()).await
}

async fn post_settings(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds(key): PathIds<String>,
    Form(f): Form<Settings>,
) -> Result<Response> {
    let t = staff.tenant_id;
    let done = async {
        let mut tx = st.db.write(Scope::Tenant(t)).await?;
        builder::save_settings(&mut tx, t, &key, &f, &actor(&staff), st.now()).await?;
        tx.commit().await?;
        Ok(url(&key))
    }
    .await;
    answer(&ctx, done, |errors| settings_page(&st, &ctx, t, &key, Some(f.clone()), errors)).await
}

// ---------------------------------------------------------------------------------------
// A step: its texts and condition, and a new field

#[derive(Clone, Copy, PartialEq)]
enum Refused {
    None,
    Step,
    NewField,
}

async fn step_page(
    st: &AppState,
    ctx: &Ctx,
    t: TenantId,
    (key, id): (&str, &str),
    (f, nf): (Option<StepInput>, NewField),
    (errors, which): (FormErrors, Refused),
) -> Result<Response> {
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let (_, def) = builder::load(&mut tx, t, key).await?;
    tx.commit().await?;
    let s = def.steps.iter().find(|s| s.id == id).ok_or(Error::NotFound)?;
    let f = f.unwrap_or_else(|| StepInput {
        title: s.title.sv.clone(),
        intro: s.intro.as_ref().map(|i| i.sv.clone()).unwrap_or_default(),
        visible_if: s.visible_if.clone().unwrap_or_default(),
    });
    let none = FormErrors::none();
    let fields = vec![
        Field::new(ctx, "title", "es-b-f-step-title").value(f.title.clone()),
        Field::new(ctx, "intro", "es-b-f-intro").kind("textarea").rows(3).optional().value(f.intro.clone()),
        Field::new(ctx, "visible_if", "es-b-f-step-visible-if").optional().hint(ctx.t("es-b-condition-hint")).value(f.visible_if.clone()),
    ];
    let (fields, step_errors) = with_errors(fields, if which == Refused::Step { &errors } else { &none });
    let kinds = builder::KINDS.iter().map(|k| (builder::kind_name(*k), kind_label(ctx, *k), nf.kind == builder::kind_name(*k))).collect();
    let add = vec![
        Field::new(ctx, "kind", "es-b-f-kind").id("new-field-kind").kind("select").options(kinds, ctx.t("es-choose")),
        Field::new(ctx, "label", "es-b-f-label").id("new-field-label").value(nf.label.clone()),
    ];
    let (add, add_errors) = with_errors(add, if which == Refused::NewField { &errors } else { &none });
    render(&FormPage {
        ctx,
        base: url(key),
        service: def.title.sv.clone(),
        heading: ctx.tr.t1("es-b-step-heading", "title", &s.title.sv),
        intro: ctx.tr.t1("es-b-step-intro", "id", &s.id),
        action: format!("{}/steg/{id}", url(key)),
        submit: ctx.t("es-b-save"),
        errors: step_errors,
        fields,
        extra: Some(Extra {
            heading: ctx.t("es-b-add-field"),
            action: format!("{}/steg/{id}/falt", url(key)),
            submit: ctx.t("es-b-add-field"),
            errors: add_errors,
            fields: add,
        }),
    })
}

async fn get_step(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds((key, id)): PathIds<(String, String)>,
) -> Result<Response> {
    step_page(&st, &ctx, staff.tenant_id, (&key, &id), (None, NewField::default()), (FormErrors::none(), Refused::None)).await
}

async fn post_step(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds((key, id)): PathIds<(String, String)>,
    Form(f): Form<StepInput>,
) -> Result<Response> {
    let t = staff.tenant_id;
    let done = async {
        let mut tx = st.db.write(Scope::Tenant(t)).await?;
        builder::edit_step(&mut tx, t, &key, &id, &f, &actor(&staff), st.now()).await?;
        tx.commit().await?;
        Ok(format!("{}#steg-{id}", url(&key)))
    }
    .await;
    answer(&ctx, done, |errors| step_page(&st, &ctx, t, (&key, &id), (Some(f.clone()), NewField::default()), (errors, Refused::Step))).await
}

async fn post_add_field(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds((key, step)): PathIds<(String, String)>,
    Form(f): Form<NewField>,
) -> Result<Response> {
    let t = staff.tenant_id;
    let done = async {
        let mut tx = st.db.write(Scope::Tenant(t)).await?;
        let id = builder::add_field(&mut tx, t, &key, &step, &f, &actor(&staff), st.now()).await?;
        tx.commit().await?;
        Ok(format!("{}/falt/{id}", url(&key)))
    }
    .await;
    answer(&ctx, done, |errors| step_page(&st, &ctx, t, (&key, &step), (None, f.clone()), (errors, Refused::NewField))).await
}

// ---------------------------------------------------------------------------------------
// A field

async fn field_page(
    st: &AppState,
    ctx: &Ctx,
    t: TenantId,
    (key, id): (&str, &str),
    f: Option<FieldInput>,
    errors: FormErrors,
) -> Result<Response> {
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let (_, def) = builder::load(&mut tx, t, key).await?;
    tx.commit().await?;
    let (step, field) = def.field(id).ok_or(Error::NotFound)?;
    let can = builder::settable(field.kind);
    let f = f.unwrap_or_else(|| FieldInput::of(field));
    let mut fields = vec![
        Field::new(ctx, "label", if field.kind == FieldKind::Info { "es-b-f-info-label" } else { "es-b-f-label" }).value(f.label.clone()),
        Field::new(ctx, "help", if field.kind == FieldKind::Info { "es-b-f-info-text" } else { "es-b-f-help" })
            .kind("textarea")
            .rows(3)
            .optional()
            .value(f.help.clone()),
    ];
    if can.required {
        let ticked = vec![("ja".to_string(), ctx.t("es-b-required-yes"), f.required == "ja")];
        fields.push(Field::new(ctx, "required", "es-b-f-required").kind("checkboxes").optional().options(ticked, ""));
    }
    if can.options {
        fields.push(
            Field::new(ctx, "options", "es-b-f-options").kind("textarea").rows(5).hint(ctx.t("es-b-options-hint")).value(f.options.clone()),
        );
    }
    let num = |name: &str, label: &str, value: &str| Field::new(ctx, name, label).optional().inputmode("numeric").value(value.to_string());
    if can.length {
        fields.push(num("min_length", "es-b-f-min-length", &f.min_length));
        fields.push(num("max_length", "es-b-f-max-length", &f.max_length));
    }
    if can.range {
        let (lo, hi) =
            if field.kind == FieldKind::MultiChoice { ("es-b-f-min-choices", "es-b-f-max-choices") } else { ("es-b-f-min", "es-b-f-max") };
        fields.push(num("min", lo, &f.min));
        fields.push(num("max", hi, &f.max));
    }
    if can.decimals {
        fields.push(num("decimals", "es-b-f-decimals", &f.decimals));
    }
    if can.pattern {
        fields.push(Field::new(ctx, "pattern", "es-b-f-pattern").optional().hint(ctx.t("es-b-pattern-hint")).value(f.pattern.clone()));
    }
    if can.days {
        fields.push(num("min_days", "es-b-f-min-days", &f.min_days).hint(ctx.t("es-b-days-relative-hint")));
        fields.push(num("max_days", "es-b-f-max-days", &f.max_days));
    }
    fields
        .push(Field::new(ctx, "visible_if", "es-b-f-visible-if").optional().hint(ctx.t("es-b-condition-hint")).value(f.visible_if.clone()));
    if can.required {
        fields.push(
            Field::new(ctx, "required_if", "es-b-f-required-if").optional().hint(ctx.t("es-b-condition-hint")).value(f.required_if.clone()),
        );
    }
    let (fields, errors) = with_errors(fields, &errors);
    let s = &def.steps[step];
    render(&FormPage {
        ctx,
        base: url(key),
        service: def.title.sv.clone(),
        heading: ctx.tr.t1("es-b-field-heading", "label", &field.label.sv),
        intro: format!("{} · {}", kind_label(ctx, field.kind), ctx.tr.t1("es-b-field-intro", "id", &field.id))
            + &format!(" · {}", ctx.tr.t1("es-b-field-step", "step", &s.title.sv)),
        action: format!("{}/falt/{id}", url(key)),
        submit: ctx.t("es-b-save"),
        errors,
        fields,
        extra: None,
    })
}

async fn get_field(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds((key, id)): PathIds<(String, String)>,
) -> Result<Response> {
    field_page(&st, &ctx, staff.tenant_id, (&key, &id), None, FormErrors::none()).await
}

async fn post_field(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds((key, id)): PathIds<(String, String)>,
    Form(f): Form<FieldInput>,
) -> Result<Response> {
    let t = staff.tenant_id;
    let done = async {
        let mut tx = st.db.write(Scope::Tenant(t)).await?;
        builder::edit_field(&mut tx, t, &key, &id, &f, &actor(&staff), st.now()).await?;
        tx.commit().await?;
        Ok(format!("{}#falt-{id}", url(&key)))
    }
    .await;
    answer(&ctx, done, |errors| field_page(&st, &ctx, t, (&key, &id), Some(f.clone()), errors)).await
}

// ---------------------------------------------------------------------------------------
// Preview: the citizen's step template with the draft, nothing saved

async fn draft_of(st: &AppState, t: TenantId, key: &str) -> Result<Definition> {
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let (_, def) = builder::load(&mut tx, t, key).await?;
    tx.commit().await?;
    Ok(def)
}

fn preview(ctx: &Ctx, key: &str, def: &Definition, n: usize, answers: &Answers, errors: &[FieldError]) -> Result<Response> {
    if n >= def.steps.len() {
        return Err(Error::NotFound);
    }
    let shown = super::citizen::Shown { def, answers, draft: Uuid::nil(), preview: Some(url(key)) };
    super::citizen::shown_step(ctx, key, &shown, n, errors, vec![])
}

async fn get_preview(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds((key, n)): PathIds<(String, usize)>,
) -> Result<Response> {
    let def = draft_of(&st, staff.tenant_id, &key).await?;
    preview(&ctx, &key, &def, n, &Answers::default(), &[])
}

/// The preview's "Fortsätt": the step is checked as the citizen's would be; with problems it
/// is shown again with them, otherwise the next step. Nothing is stored.
async fn post_preview(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds((key, n)): PathIds<(String, usize)>,
    body: Bytes,
) -> Result<Response> {
    let def = draft_of(&st, staff.tenant_id, &key).await?;
    if n >= def.steps.len() {
        return Err(Error::NotFound);
    }
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(&body).filter(|(k, _)| k != "_csrf").map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let mut answers = Answers::default();
    form::read_step(&def, n, &pairs, &mut answers);
    let errors = form::check_step(&def, n, &answers, today(&st));
    if !errors.is_empty() {
        let page = preview(&ctx, &key, &def, n, &answers, &errors)?;
        return Ok(with_error_status(&Error::Invalid(errors), page));
    }
    let next = form::visible_steps(&def, &answers).into_iter().find(|&s| s > n);
    Ok(Redirect::to(&match next {
        Some(s) => format!("{}/forhandsgranska/{s}", url(&key)),
        None => format!("{}?forhandsgranskat=1", url(&key)),
    })
    .into_response())
}

// ---------------------------------------------------------------------------------------
// Publishing

struct Problem {
    href: String,
    text: String,
}

#[derive(Template)]
#[template(path = "eservices/builder_publish.html")]
struct PublishPage<'a> {
    ctx: &'a Ctx,
    base: String,
    title: String,
    /// The version publishing makes.
    version: i32,
    problems: Vec<Problem>,
}

/// Where the builder edits the part a linter problem names.
fn problem_href(base: &str, def: &Definition, field: Option<&str>) -> String {
    match field {
        Some(f) if f.starts_with("step:") => format!("{base}/steg/{}", &f[5..]),
        Some(f) if def.field(f.split('.').next().unwrap_or(f)).is_some() => format!("{base}/falt/{}", f.split('.').next().unwrap_or(f)),
        Some(_) => format!("{base}/installningar"),
        None => base.to_string(),
    }
}

fn problem_label(def: &Definition, field: Option<&str>) -> String {
    match field {
        Some(f) if f.starts_with("step:") => {
            def.steps.iter().find(|s| s.id == f[5..]).map(|s| s.title.sv.clone()).unwrap_or_else(|| f.to_string())
        }
        Some(f) => def.field(f).map(|(_, x)| x.label.sv.clone()).unwrap_or_else(|| f.to_string()),
        None => String::new(),
    }
}

async fn publish_page(st: &AppState, ctx: &Ctx, t: TenantId, key: &str) -> Result<(Response, bool)> {
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let (own, def) = builder::load(&mut tx, t, key).await?;
    tx.commit().await?;
    let base = url(key);
    let problems: Vec<Problem> = builder::problems(&def)
        .into_iter()
        .map(|p| {
            let label = problem_label(&def, p.field.as_deref());
            let text = ctx.tr.t1("es-b-err-lint", "problem", &p.message);
            Problem {
                href: problem_href(&base, &def, p.field.as_deref()),
                text: if label.is_empty() { text } else { format!("{label}: {text}") },
            }
        })
        .collect();
    let refused = !problems.is_empty();
    let page = render(&PublishPage { ctx, base, title: def.title.sv.clone(), version: own.revision + 1, problems })?;
    Ok((page, refused))
}

/// The confirmation, or the linter's problems (each linked to where it is mended).
async fn get_publish(State(st): State<AppState>, ctx: Ctx, staff: Require<EsAdmin>, PathIds(key): PathIds<String>) -> Result<Response> {
    let (page, refused) = publish_page(&st, &ctx, staff.tenant_id, &key).await?;
    Ok(if refused { (axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response() } else { page })
}

async fn post_publish(State(st): State<AppState>, ctx: Ctx, staff: Require<EsAdmin>, PathIds(key): PathIds<String>) -> Result<Response> {
    let t = staff.tenant_id;
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    match builder::publish(&mut tx, t, &key, &actor(&staff), st.now()).await {
        Ok(v) => {
            tx.commit().await?;
            Ok(Redirect::to(&format!("{}?publicerad={v}", url(&key))).into_response())
        }
        Err(Error::Invalid(_)) => {
            tx.rollback().await?;
            let (page, _) = publish_page(&st, &ctx, t, &key).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------------------
// Export and import

async fn get_export(State(st): State<AppState>, staff: Require<EsAdmin>, PathIds(key): PathIds<String>) -> Result<Response> {
    let def = draft_of(&st, staff.tenant_id, &key).await?;
    let disposition = format!("attachment; filename=\"{key}.json\"");
    Ok(([(header::CONTENT_TYPE, "application/json".to_string()), (header::CONTENT_DISPOSITION, disposition)], builder::export(&def))
        .into_response())
}

#[derive(Template)]
#[template(path = "eservices/builder_import.html")]
struct ImportPage<'a> {
    ctx: &'a Ctx,
    base: String,
    title: String,
    errors: FormErrors,
    definition: TextArea,
    problems: Vec<String>,
}

#[derive(serde::Deserialize)]
struct ImportForm {
    #[serde(default)]
    definition: String,
}

async fn import_page(st: &AppState, ctx: &Ctx, t: TenantId, key: &str, json: String, problems: Vec<String>) -> Result<Response> {
    let def = draft_of(st, t, key).await?;
    let errors = if problems.is_empty() {
        FormErrors::none()
    } else {
        FormErrors::of(ctx, &Error::Invalid(vec![FieldError::new("definition", "es-b-err-import")]))
    };
    let field = Field::new(ctx, "definition", "es-b-f-definition").kind("textarea").rows(16).hint(ctx.t("es-b-import-hint")).value(json);
    let (mut fields, errors) = with_errors(vec![field], &errors);
    let definition = TextArea::new(fields.remove(0), "code", "");
    render(&ImportPage { ctx, base: url(key), title: def.title.sv.clone(), errors, definition, problems })
}

async fn get_import(State(st): State<AppState>, ctx: Ctx, staff: Require<EsAdmin>, PathIds(key): PathIds<String>) -> Result<Response> {
    import_page(&st, &ctx, staff.tenant_id, &key, String::new(), vec![]).await
}

async fn post_import(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds(key): PathIds<String>,
    Form(f): Form<ImportForm>,
) -> Result<Response> {
    let t = staff.tenant_id;
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    match builder::import(&mut tx, t, &key, &f.definition, &actor(&staff), st.now()).await? {
        Ok(()) => {
            tx.commit().await?;
            Ok(Redirect::to(&url(&key)).into_response())
        }
        Err(problems) => {
            tx.rollback().await?;
            let lines = problems.iter().map(|p| p.to_string()).collect();
            let page = import_page(&st, &ctx, t, &key, f.definition, lines).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
