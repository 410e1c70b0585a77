//! The registries page `/admin/diarier`: registries (diaries) with their number formats,
//! classes with retention periods, and case types.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_kernel::ids::OrgUnitId;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::org::{self, OrgUnit};
use radhus_platform::identity::permissions::Staff;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::identity::users::{self, UserSummary};
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

#[derive(Template)]
#[template(path = "cases/registries.html")]
struct RegistriesPage<'a> {
    ctx: &'a Ctx,
    registries: Vec<Registry>,
    classes: Vec<CaseClass>,
    types: Vec<CaseType>,
    units: Vec<OrgUnit>,
    workers: Vec<UserSummary>,
    errors: Vec<String>,
}

impl RegistriesPage<'_> {
    fn is(&self, chosen: &Option<Uuid>, id: &Uuid) -> bool {
        chosen.as_ref() == Some(id)
    }

    fn unit_is(&self, chosen: &Option<Uuid>, id: &OrgUnitId) -> bool {
        chosen.as_ref() == Some(&id.0)
    }

    /// The appeal instruction a case type's decisions carry (its own or the shipped text).
    fn appeal_text(&self, ct: &CaseType) -> String {
        appeal::template(ct).to_string()
    }

    fn class_code(&self, id: &Option<Uuid>) -> String {
        id.and_then(|id| self.classes.iter().find(|c| c.id == id)).map(|c| c.code.clone()).unwrap_or_default()
    }
}

async fn registries_page(st: &AppState, ctx: &Ctx, s: &StaffUser, errors: Vec<String>) -> Result<Response> {
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
    let workers = workers.into_iter().filter(|w| w.active).collect();
    tx.commit().await?;
    render(&RegistriesPage { ctx, registries, classes, types, units, workers, errors })
}

async fn get_registries(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff) -> Result<Response> {
    registries_page(&st, &ctx, &s, vec![]).await
}

async fn on_registries(st: &AppState, ctx: &Ctx, s: &StaffUser, result: Result<Uuid>) -> Result<Response> {
    form::submit(ctx, result.map(|_| "/admin/diarier".to_string()), |errors| registries_page(st, ctx, s, errors)).await
}

#[derive(Deserialize)]
struct RegistryForm {
    code: String,
    name: String,
    #[serde(default)]
    number_format: String,
}

async fn post_registry(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, Form(f): Form<RegistryForm>) -> Result<Response> {
    let r = service::create_registry(&st.db, &s, &f.code, &f.name, &f.number_format, st.now()).await;
    on_registries(&st, &ctx, &s, r).await
}

#[derive(Deserialize)]
struct ClassForm {
    code: String,
    title: String,
    #[serde(default)]
    retention_years: String,
}

async fn post_class(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, Form(f): Form<ClassForm>) -> Result<Response> {
    let r = async {
        let years = match f.retention_years.trim() {
            "" => None,
            y => Some(y.parse::<i32>().map_err(|_| Error::invalid("retention_years", "err-retention"))?),
        };
        service::create_class(&st.db, &s, &f.code, &f.title, years, st.now()).await
    }
    .await;
    on_registries(&st, &ctx, &s, r).await
}

#[derive(Deserialize)]
struct TypeForm {
    name: String,
    registry_id: String,
    #[serde(default)]
    class_id: String,
    #[serde(default)]
    target_days: String,
}

async fn post_case_type(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, Form(f): Form<TypeForm>) -> Result<Response> {
    let r = async {
        let registry = opt_uuid(&f.registry_id, "registry_id", "err-registry-unknown")?
            .ok_or_else(|| Error::invalid("registry_id", "err-registry-unknown"))?;
        let class = opt_uuid(&f.class_id, "class_id", "err-class-unknown")?;
        let days = f.target_days.trim().parse::<i32>().map_err(|_| Error::invalid("target_days", "err-target-days"))?;
        service::create_case_type(&st.db, &s, &f.name, registry, class, days, st.now()).await
    }
    .await;
    on_registries(&st, &ctx, &s, r).await
}

#[derive(Deserialize)]
struct RoutingForm {
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
    Form(f): Form<RoutingForm>,
) -> Result<Response> {
    let r = async {
        let unit = opt_uuid(&f.unit_id, "unit_id", "err-unit-parent")?;
        let worker = opt_uuid(&f.caseworker_id, "caseworker_id", "err-caseworker-unknown")?;
        service::set_routing(&st.db, &s, id, unit, worker, st.now()).await.map(|_| id)
    }
    .await;
    on_registries(&st, &ctx, &s, r).await
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
    on_registries(&st, &ctx, &s, r).await
}
