//! The registries page `/admin/diarier`: registries (diaries) with their number formats,
//! classes with retention periods, and case types.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::org;
use radhus_platform::identity::permissions::Staff;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::identity::users::{self, UserSummary};
use radhus_platform::web::field::{Field, FormErrors, Refused};
use radhus_platform::web::form::{self, Form, PathIds};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::Deserialize;
use uuid::Uuid;

use super::fields::opt_uuid;
use crate::appeal;
use crate::service;
use crate::store::{self, CaseClass, CaseType, Registry};

pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/admin/diarier", get_registries)
        .post("/admin/diarier", post_registry)
        .post("/admin/diarier/klasser", post_class)
        .post("/admin/diarier/typer", post_case_type)
        .post("/admin/diarier/typer/{id}/forval", post_routing)
        .post("/admin/diarier/typer/{id}/overklagande", post_appeal)
}

/// A case type's routing form: its id, name and fields.
struct RoutingForm {
    id: Uuid,
    name: String,
    fields: Vec<Field>,
}

/// A case type's appeal form: the case type, its instruction, whether it is exempt and why.
struct AppealFields {
    ct: CaseType,
    text: Field,
    exempt: bool,
    reason: Field,
}

#[derive(Template)]
#[template(path = "cases/registries.html")]
struct RegistriesPage<'a> {
    ctx: &'a Ctx,
    registries: Vec<Registry>,
    classes: Vec<CaseClass>,
    types: Vec<CaseType>,
    /// The problems of the refused form, linked to its fields.
    errors: FormErrors,
    registry_fields: Vec<Field>,
    class_fields: Vec<Field>,
    type_fields: Vec<Field>,
    routing: Vec<RoutingForm>,
    appeal: Vec<AppealFields>,
}

impl RegistriesPage<'_> {
    fn class_code(&self, id: &Option<Uuid>) -> String {
        id.and_then(|id| self.classes.iter().find(|c| c.id == id)).map(|c| c.code.clone()).unwrap_or_default()
    }
}

async fn registries_page(st: &AppState, ctx: &Ctx, s: &StaffUser, refused: Refused) -> Result<Response> {
    if !s.grants.whole_municipality(service::ADMIN) {
        return Err(Error::Forbidden);
    }
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let registries = store::registries(&mut tx, t).await?;
    let classes = store::classes(&mut tx, t).await?;
    let types = store::case_types(&mut tx, t).await?;
    let units = org::tree(&mut tx, t).await?;
    let (workers, _) = users::list(&mut tx, t, None, 500, 0).await?;
    let workers: Vec<UserSummary> = workers.into_iter().filter(|w| w.active).collect();
    tx.commit().await?;
    let r = &refused;
    let e = &r.errors("registry");
    let registry_fields = vec![
        Field::new(ctx, "code", "field-code").id("reg-code").value(r.or("registry", "code", "")).errors(e),
        Field::new(ctx, "name", "field-name").id("reg-name").value(r.or("registry", "name", "")).errors(e),
        Field::new(ctx, "number_format", "field-number_format")
            .id("reg-format")
            .optional()
            .hint(ctx.t("number-format-hint"))
            .value(r.or("registry", "number_format", ""))
            .errors(e),
    ];
    let e = &r.errors("class");
    let class_fields = vec![
        Field::new(ctx, "code", "field-code").id("cl-code").value(r.or("class", "code", "")).errors(e),
        Field::new(ctx, "title", "field-title").id("cl-title").value(r.or("class", "title", "")).errors(e),
        Field::new(ctx, "retention_years", "field-retention_years")
            .id("cl-ret")
            .optional()
            .inputmode("numeric")
            .hint(ctx.t("retention-hint"))
            .value(r.or("class", "retention_years", ""))
            .errors(e),
    ];
    let e = &r.errors("type");
    let registry = r.or("type", "registry_id", "");
    let class = r.or("type", "class_id", "");
    let type_fields = vec![
        Field::new(ctx, "name", "field-name").id("ct-name").value(r.or("type", "name", "")).errors(e),
        Field::new(ctx, "registry_id", "field-registry_id")
            .id("ct-reg")
            .kind("select")
            .options(
                registries.iter().map(|x| (x.id.to_string(), format!("{} – {}", x.code, x.name), x.id.to_string() == registry)).collect(),
                "",
            )
            .errors(e),
        Field::new(ctx, "class_id", "field-class")
            .id("ct-class")
            .kind("select")
            .optional()
            .options(
                classes.iter().map(|c| (c.id.to_string(), format!("{} {}", c.code, c.title), c.id.to_string() == class)).collect(),
                "–",
            )
            .errors(e),
        Field::new(ctx, "target_days", "field-target_days")
            .id("ct-days")
            .inputmode("numeric")
            .value(r.or("type", "target_days", "60"))
            .errors(e),
    ];
    // Each case type has its routing and appeal forms; only the refused one takes the problems.
    let of_type = |form: &str, ct: &CaseType| if r.or(form, "type", "") == ct.id.to_string() { r.errors(form) } else { FormErrors::none() };
    let routing = types
        .iter()
        .enumerate()
        .map(|(i, ct)| {
            let e = &of_type("routing", ct);
            let is = |form_value: String, stored: Option<Uuid>| {
                let chosen = if e.is_empty() { stored.map(|u| u.to_string()).unwrap_or_default() } else { form_value };
                move |id: String| id == chosen
            };
            let unit = is(r.or("routing", "unit_id", ""), ct.default_unit_id);
            let worker = is(r.or("routing", "caseworker_id", ""), ct.default_caseworker_id);
            let fields = vec![
                Field::new(ctx, "unit_id", "field-unit_id")
                    .id(&format!("rt-unit-{}", i + 1))
                    .kind("select")
                    .optional()
                    .options(
                        units.iter().map(|u| (u.id.to_string(), u.name.clone(), unit(u.id.to_string()))).collect(),
                        ctx.t("registries-routing-none"),
                    )
                    .errors(e),
                Field::new(ctx, "caseworker_id", "field-caseworker_id")
                    .id(&format!("rt-worker-{}", i + 1))
                    .kind("select")
                    .optional()
                    .options(workers.iter().map(|w| (w.id.to_string(), w.name.clone(), worker(w.id.to_string()))).collect(), "–")
                    .errors(e),
            ];
            RoutingForm { id: ct.id, name: ct.name.clone(), fields }
        })
        .collect::<Vec<_>>();
    let appeal = types
        .iter()
        .enumerate()
        .map(|(i, ct)| {
            let e = &of_type("appeal", ct);
            let refused = !e.is_empty();
            let text = if refused { r.or("appeal", "appeal_instruction", "") } else { appeal::template(ct).to_string() };
            let reason = if refused { r.or("appeal", "appeal_exempt_reason", "") } else { ct.appeal_exempt_reason.clone() };
            let exempt = if refused { !r.or("appeal", "appeal_exempt", "").is_empty() } else { !ct.appeal_exempt_reason.is_empty() };
            AppealFields {
                text: Field::new(ctx, "appeal_instruction", "registries-appeal")
                    .id(&format!("ap-text-{}", i + 1))
                    .kind("textarea")
                    .optional()
                    .rows(12)
                    .value(text)
                    .errors(e),
                exempt,
                reason: Field::new(ctx, "appeal_exempt_reason", "registries-appeal-exempt-reason")
                    .id(&format!("ap-reason-{}", i + 1))
                    .optional()
                    .hint(ctx.t("registries-appeal-exempt-hint"))
                    .value(reason)
                    .errors(e),
                ct: ct.clone(),
            }
        })
        .collect::<Vec<_>>();
    let errors = refused.summary(
        &registry_fields
            .iter()
            .chain(&class_fields)
            .chain(&type_fields)
            .chain(routing.iter().flat_map(|x| &x.fields))
            .chain(appeal.iter().flat_map(|x| [&x.text, &x.reason]))
            .collect::<Vec<_>>(),
    );
    render(&RegistriesPage { ctx, registries, classes, types, errors, registry_fields, class_fields, type_fields, routing, appeal })
}

async fn get_registries(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff) -> Result<Response> {
    registries_page(&st, &ctx, &s, Refused::none()).await
}

async fn on_registries(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    result: Result<Uuid>,
    posted: impl FnOnce(FormErrors) -> Refused,
) -> Result<Response> {
    form::submit_fields(ctx, result.map(|_| "/admin/diarier".to_string()), |errors| registries_page(st, ctx, s, posted(errors))).await
}

#[derive(Deserialize)]
struct RegistryForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    number_format: String,
}

async fn post_registry(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, Form(f): Form<RegistryForm>) -> Result<Response> {
    let r = service::create_registry(&st.db, &s, &f.code, &f.name, &f.number_format, st.now()).await;
    let posted = |e| Refused::form("registry", e, [("code", &f.code), ("name", &f.name), ("number_format", &f.number_format)]);
    on_registries(&st, &ctx, &s, r, posted).await
}

#[derive(Deserialize)]
struct ClassForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    retention_years: String,
}

async fn post_class(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, Form(f): Form<ClassForm>) -> Result<Response> {
    // A period that is not a number is out of range: the use case names it with the other problems.
    let years = match f.retention_years.trim() {
        "" => None,
        y => Some(y.parse::<i32>().unwrap_or(0)),
    };
    let r = service::create_class(&st.db, &s, &f.code, &f.title, years, st.now()).await;
    let posted = |e| Refused::form("class", e, [("code", &f.code), ("title", &f.title), ("retention_years", &f.retention_years)]);
    on_registries(&st, &ctx, &s, r, posted).await
}

#[derive(Deserialize)]
struct TypeForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    registry_id: String,
    #[serde(default)]
    class_id: String,
    #[serde(default)]
    target_days: String,
}

async fn post_case_type(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, Form(f): Form<TypeForm>) -> Result<Response> {
    // Values that do not parse are ones that do not exist: the use case names them with the
    // other problems, all at once.
    let registry = Uuid::parse_str(f.registry_id.trim()).unwrap_or(Uuid::nil());
    let class = opt_uuid(&f.class_id, "class_id", "err-class-unknown").unwrap_or(Some(Uuid::nil()));
    let days = f.target_days.trim().parse::<i32>().unwrap_or(0);
    let r = service::create_case_type(&st.db, &s, &f.name, registry, class, days, st.now()).await;
    let posted = |e| {
        Refused::form(
            "type",
            e,
            [("name", &f.name), ("registry_id", &f.registry_id), ("class_id", &f.class_id), ("target_days", &f.target_days)],
        )
    };
    on_registries(&st, &ctx, &s, r, posted).await
}

#[derive(Deserialize)]
struct RoutingPost {
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    caseworker_id: String,
}

async fn post_routing(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<RoutingPost>,
) -> Result<Response> {
    let r = async {
        let unit = opt_uuid(&f.unit_id, "unit_id", "err-unit-parent")?;
        let worker = opt_uuid(&f.caseworker_id, "caseworker_id", "err-caseworker-unknown")?;
        service::set_routing(&st.db, &s, id, unit, worker, st.now()).await.map(|_| id)
    }
    .await;
    let posted = |e| Refused::form("routing", e, [("type", &id.to_string()), ("unit_id", &f.unit_id), ("caseworker_id", &f.caseworker_id)]);
    on_registries(&st, &ctx, &s, r, posted).await
}

#[derive(Deserialize)]
struct AppealForm {
    #[serde(default)]
    appeal_instruction: String,
    #[serde(default)]
    appeal_exempt: String,
    #[serde(default)]
    appeal_exempt_reason: String,
}

async fn post_appeal(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<AppealForm>,
) -> Result<Response> {
    let exempt = !f.appeal_exempt.is_empty();
    let r = appeal::set(&st.db, &s, id, &f.appeal_instruction, exempt, &f.appeal_exempt_reason, st.now()).await.map(|()| id);
    let posted = |e| {
        Refused::form(
            "appeal",
            e,
            [
                ("type", &id.to_string()),
                ("appeal_instruction", &f.appeal_instruction),
                ("appeal_exempt", &f.appeal_exempt),
                ("appeal_exempt_reason", &f.appeal_exempt_reason),
            ],
        )
    };
    on_registries(&st, &ctx, &s, r, posted).await
}
