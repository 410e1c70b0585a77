//! The municipality's adoptions (`/admin/e-tjanster`) and the platform operator's shared
//! catalogue (`/admin/e-tjanster/delade` on the platform host).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_kernel::Lang;
use radhus_kernel::ids::TenantId;
use radhus_platform::audit::Actor;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::permissions::{Operator, Require};
use radhus_platform::identity::session::Principal;
use radhus_platform::web::field::{Field, FormErrors};
use radhus_platform::web::form::{self, Form, PathIds};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use uuid::Uuid;

use super::common::{EsAdmin, TextArea, lang, posted_as};
use crate::catalogue;
use crate::service::{self, AdoptInput};

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/e-tjanster", get_admin)
        .get("/admin/e-tjanster/tjanst/{tjanst}", get_adopt)
        .post("/admin/e-tjanster/tjanst/{tjanst}", post_adopt)
        .get("/admin/e-tjanster/delade", get_shared)
        .post("/admin/e-tjanster/delade", post_shared)
}

// ---------------------------------------------------------------------------------------
// The municipality's adoptions
struct AdminRow {
    key: String,
    title: String,
    version: i32,
    /// None: not adopted; Some(status).
    status: Option<String>,
    behind: bool,
}

#[derive(Template)]
#[template(path = "eservices/admin.html")]
struct AdminPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<AdminRow>,
}

async fn get_admin(State(st): State<AppState>, ctx: Ctx, staff: Require<EsAdmin>) -> Result<Response> {
    let t = staff.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let shared = crate::store::shared_list(&mut tx).await?;
    let adopted = crate::store::adoptions(&mut tx, t).await?;
    tx.commit().await?;
    let l = lang(&ctx);
    let rows = shared
        .into_iter()
        .map(|s| {
            let a = adopted.iter().find(|a| a.service_key == s.key);
            let title = catalogue::parse_stored(&s.definition).map(|d| d.title.get(l).to_string()).unwrap_or_else(|_| s.key.clone());
            AdminRow {
                title,
                version: s.current_version,
                status: a.map(|a| a.status.clone()),
                behind: a.is_some_and(|a| a.shared_version < s.current_version),
                key: s.key,
            }
        })
        .collect();
    render(&AdminPage { ctx: &ctx, rows })
}

#[derive(Template)]
#[template(path = "eservices/adopt.html")]
struct AdoptPage<'a> {
    ctx: &'a Ctx,
    key: String,
    title: String,
    version: i32,
    adopted: bool,
    errors: FormErrors,
    /// Case type, public title, secrecy ground, status and when a case is made.
    fields: Vec<Field>,
    overrides: TextArea,
    /// What `form::apply` or the JSON reader says about the overrides.
    problems: Vec<String>,
}

/// The adoption's fields: (the problem's name, the posted name, the HTML id).
const ADOPT_FIELDS: [(&str, &str, &str); 6] = [
    ("es_case_type", "case_type", "es-case-type"),
    ("es_public_title", "public_title", "es-public-title"),
    ("es_secrecy_ground", "secrecy_ground", "es-secrecy"),
    ("es_status", "status", "es-status"),
    ("es_register_on", "register_on", "es-register-on"),
    ("es_overrides", "overrides", "es-overrides"),
];

async fn adopt_page(
    st: &AppState,
    ctx: &Ctx,
    t: TenantId,
    key: &str,
    f: Option<AdoptInput>,
    (errors, problems): (FormErrors, Vec<String>),
) -> Result<Response> {
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let (shared, def) = catalogue::shared_definition(&mut tx, key).await?;
    let adoption = crate::store::adoption(&mut tx, t, key).await?;
    let case_types: Vec<(Uuid, String)> = radhus_cases::store::case_types(&mut tx, t)
        .await?
        .into_iter()
        .filter(|c| c.active)
        .map(|c| (c.id, format!("{} ({})", c.name, c.registry_code)))
        .collect();
    tx.commit().await?;
    let l = lang(ctx);
    let f = f.unwrap_or_else(|| match &adoption {
        Some(a) => AdoptInput {
            overrides: if a.overrides == "{}" { String::new() } else { a.overrides.clone() },
            case_type: a.case_type_id.to_string(),
            public_title: a.public_title.clone(),
            secrecy_ground: a.secrecy_ground.clone(),
            status: a.status.clone(),
            register_on: a.register_on.clone(),
        },
        None => AdoptInput {
            public_title: def.title.get(Lang::Sv).to_string(),
            status: "published".into(),
            register_on: "submit".into(),
            ..Default::default()
        },
    });
    let errors = ADOPT_FIELDS.iter().fold(errors, |e, (problem, _, id)| e.target(problem, id));
    let field = |i: usize| {
        let (problem, _, id) = ADOPT_FIELDS[i];
        Field::new(ctx, problem, &format!("field-{problem}")).id(id)
    };
    let at = |i: usize, field: Field| posted_as(field, &errors, ADOPT_FIELDS[i].1);
    let type_options = case_types.iter().map(|(id, name)| (id.to_string(), name.clone(), f.case_type == id.to_string())).collect();
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
        at(0, field(0).kind("select").hint(ctx.t("es-case-type-hint")).options(type_options, ctx.t("es-choose"))),
        at(1, field(1).hint(ctx.t("es-public-title-hint")).value(f.public_title.clone())),
        at(2, field(2).optional().hint(ctx.t("es-secrecy-hint")).value(f.secrecy_ground.clone())),
        at(3, field(3).kind("radios").options(statuses, "")),
        at(4, field(4).kind("radios").hint(ctx.t("es-register-on-hint")).options(register_on, "")),
    ];
    let overrides = TextArea::new(
        at(5, field(5).kind("textarea").optional().rows(8).hint(ctx.t("es-overrides-hint")).value(f.overrides.clone())),
        "code",
        "",
    );
    render(&AdoptPage {
        ctx,
        key: key.to_string(),
        title: def.title.get(l).to_string(),
        version: shared.current_version,
        adopted: adoption.is_some(),
        errors,
        fields,
        overrides,
        problems,
    })
}

async fn get_adopt(State(st): State<AppState>, ctx: Ctx, staff: Require<EsAdmin>, PathIds(key): PathIds<String>) -> Result<Response> {
    adopt_page(&st, &ctx, staff.0.tenant_id, &key, None, (FormErrors::none(), vec![])).await
}

async fn post_adopt(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds(key): PathIds<String>,
    Form(f): Form<AdoptInput>,
) -> Result<Response> {
    let staff = staff.0;
    let t = staff.tenant_id;
    // The overrides' problems, named by part, for the page.
    let problems = if f.overrides.trim().is_empty() {
        vec![]
    } else {
        match serde_json::from_str::<crate::form::Overrides>(&f.overrides) {
            Err(e) => vec![e.to_string()],
            Ok(o) => {
                let mut tx = st.db.read(Scope::Tenant(t)).await?;
                let shared = catalogue::shared_definition(&mut tx, &key).await;
                tx.commit().await?;
                match shared.map(|(_, def)| crate::form::apply(&def, &o)) {
                    Ok(Err(p)) => catalogue::problem_lines(&p),
                    _ => vec![],
                }
            }
        }
    };
    let done: Result<String> = async {
        let mut tx = st.db.write(Scope::Tenant(t)).await?;
        service::adopt(&mut tx, t, &key, &f, &Actor::of(&Principal::Staff(staff.clone())), st.now()).await?;
        tx.commit().await?;
        Ok("/admin/e-tjanster".to_string())
    }
    .await;
    form::submit_fields(&ctx, done, |errors| adopt_page(&st, &ctx, t, &key, Some(f.clone()), (errors, problems))).await
}

// ---------------------------------------------------------------------------------------
// The platform operator's shared catalogue

struct SharedRow {
    key: String,
    title: String,
    category: String,
    version: i32,
    published_at: String,
    published_by: String,
}

#[derive(Template)]
#[template(path = "eservices/shared.html")]
struct SharedPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<SharedRow>,
    definition: TextArea,
    errors: FormErrors,
    problems: Vec<String>,
}

async fn shared_page(st: &AppState, ctx: &Ctx, definition: String, errors: FormErrors, problems: Vec<String>) -> Result<Response> {
    let mut tx = st.db.read(Scope::Platform).await?;
    let shared = crate::store::shared_list(&mut tx).await?;
    tx.commit().await?;
    let l = lang(ctx);
    let rows = shared
        .into_iter()
        .map(|s| SharedRow {
            title: catalogue::parse_stored(&s.definition).map(|d| d.title.get(l).to_string()).unwrap_or_else(|_| s.key.clone()),
            category: ctx.t(&format!("es-category-{}", s.category)),
            version: s.current_version,
            published_at: radhus_kernel::lang::swedish_time(s.published_at),
            published_by: s.published_by,
            key: s.key,
        })
        .collect();
    let errors = errors.target("es_definition", "es-definition");
    let field = Field::new(ctx, "es_definition", "field-es_definition")
        .id("es-definition")
        .kind("textarea")
        .rows(16)
        .hint(ctx.t("es-definition-hint"))
        .value(definition);
    let definition = TextArea::new(posted_as(field, &errors, "definition"), "code", "");
    render(&SharedPage { ctx, rows, definition, errors, problems })
}

async fn get_shared(State(st): State<AppState>, ctx: Ctx, _op: Operator) -> Result<Response> {
    shared_page(&st, &ctx, String::new(), FormErrors::none(), vec![]).await
}

#[derive(serde::Deserialize)]
struct PublishForm {
    #[serde(default)]
    definition: String,
}

async fn post_shared(State(st): State<AppState>, ctx: Ctx, op: Operator, Form(f): Form<PublishForm>) -> Result<Response> {
    let mut problems = vec![];
    let done: Result<String> = async {
        let def = match crate::form::parse(&f.definition) {
            Ok(d) => d,
            Err(p) => {
                problems = catalogue::problem_lines(&p);
                return Err(Error::Invalid(vec![FieldError::new("es_definition", "es-err-definition")]));
            }
        };
        let lint = crate::form::lint(&def);
        if !lint.is_empty() {
            problems = catalogue::problem_lines(&lint);
            return Err(Error::Invalid(vec![FieldError::new("es_definition", "es-err-definition")]));
        }
        let mut tx = st.db.write(Scope::Platform).await?;
        catalogue::publish(&mut tx, &def, &op.name, st.now()).await?;
        tx.commit().await?;
        Ok("/admin/e-tjanster/delade".to_string())
    }
    .await;
    form::submit_fields(&ctx, done, |errors| shared_page(&st, &ctx, f.definition.clone(), errors, problems)).await
}
