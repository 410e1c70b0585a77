//! The JSON API under `/api/v1`, its OpenAPI 3.1 document (generated from the code with
//! utoipa) at `/api/openapi.json`, and a server-rendered page that documents it at `/api`.

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::OpenApi;

use crate::audit::{self, Actor, Event};
use crate::db::Scope;
use crate::error::Result;
use crate::identity::org::{self, OrgUnit};
use crate::identity::permissions::{AdminUsers, Require, Staff};
use crate::identity::session::Principal;
use crate::identity::users::{self, UserSummary};
use crate::tenancy;
use crate::web::errors::ApiError;
use crate::web::form::Query;
use crate::web::pages::render;
use crate::web::{AppState, Ctx, Routes};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Rådhus API",
        description = "JSON API of the Rådhus municipal platform. Every response is scoped to the municipality of the request's host. Errors have the shape `{\"error\": {\"code\", \"message\", \"fields\"}}` with a stable code."
    ),
    paths(get_municipalities, get_me, list_org_units, list_users),
    components(schemas(Municipality, Me, OrgUnit, UserSummary, UserPage, ApiError))
)]
pub struct PlatformApi;

pub fn routes() -> Routes {
    Routes::new()
        .get("/api", get_api_docs)
        .get("/api/openapi.json", get_openapi)
        .get("/api/v1/municipalities", get_municipalities)
        .get("/api/v1/me", get_me)
        .get("/api/v1/org-units", list_org_units)
        .get("/api/v1/users", list_users)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Municipality {
    pub kommunkod: String,
    pub name: String,
    pub slug: String,
    pub hosts: Vec<String>,
    pub primary_color: String,
    pub contact_email: String,
    pub website: String,
}

/// The municipalities on the platform.
#[utoipa::path(get, path = "/api/v1/municipalities", responses((status = 200, body = [Municipality])))]
async fn get_municipalities(State(st): State<AppState>) -> Result<Json<Vec<Municipality>>> {
    let mut tx = st.db.read(Scope::Platform).await?;
    let list = tenancy::list(&mut tx).await?;
    tx.commit().await?;
    Ok(Json(
        list.into_iter()
            .map(|t| Municipality {
                kommunkod: t.kommunkod,
                name: t.name,
                slug: t.slug,
                hosts: t.hosts,
                primary_color: t.primary_color,
                contact_email: t.contact_email,
                website: t.website,
            })
            .collect(),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    /// `staff`, `integration` (a token's), `operator`, `citizen` or `anonymous`.
    pub kind: String,
    pub name: Option<String>,
    pub municipality: Option<String>,
    pub permissions: Vec<String>,
}

/// Who the caller is on this host.
#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, body = Me)))]
async fn get_me(ctx: Ctx) -> Json<Me> {
    let municipality = ctx.tenant().map(|t| t.name.clone());
    let me = match &ctx.principal {
        None => Me { kind: "anonymous".into(), name: None, municipality, permissions: vec![] },
        Some(Principal::Staff(s)) => {
            let mut permissions: Vec<String> = s.grants.0.iter().map(|g| g.permission.clone()).collect();
            permissions.sort();
            permissions.dedup();
            let kind = if s.integration.is_some() { "integration" } else { "staff" };
            Me { kind: kind.into(), name: Some(s.name.clone()), municipality, permissions }
        }
        Some(Principal::Operator { name, .. }) => {
            Me { kind: "operator".into(), name: Some(name.clone()), municipality, permissions: vec![] }
        }
        Some(Principal::Citizen { name, .. }) => Me { kind: "citizen".into(), name: Some(name.clone()), municipality, permissions: vec![] },
    };
    Json(me)
}

/// The municipality's organisation tree, depth first.
#[utoipa::path(get, path = "/api/v1/org-units", responses((status = 200, body = [OrgUnit]), (status = 401, body = ApiError)))]
async fn list_org_units(State(st): State<AppState>, Staff(staff): Staff) -> Result<Json<Vec<OrgUnit>>> {
    let mut tx = st.db.read(Scope::Tenant(staff.tenant_id)).await?;
    let tree = org::tree(&mut tx, staff.tenant_id).await?;
    tx.commit().await?;
    Ok(Json(tree))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct UserPage {
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub users: Vec<UserSummary>,
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct PageQuery {
    /// 1-based page number.
    pub page: Option<String>,
}

/// Staff users the caller may administer (audit-logged: personal data).
#[utoipa::path(get, path = "/api/v1/users", params(PageQuery), responses((status = 200, body = UserPage), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
async fn list_users(State(st): State<AppState>, admin: Require<AdminUsers>, Query(q): Query<PageQuery>) -> Result<Json<UserPage>> {
    let tenant = admin.tenant_id;
    let page = q.page.as_deref().and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1);
    let per_page = 50;
    let mut tx = st.db.write(Scope::Tenant(tenant)).await?;
    let units = match admin.grants.scopes(crate::identity::permissions::ADMIN_USERS) {
        None => None,
        Some(roots) => Some(org::subtree(&mut tx, tenant, &roots).await?),
    };
    let (list, total) = users::list(&mut tx, tenant, units.as_deref(), per_page, (page - 1) * per_page).await?;
    audit::record(
        &mut tx,
        Some(tenant),
        &Actor::of(&Principal::Staff(admin.0.clone())),
        Event::new("user.list.read", "user", "*").with(serde_json::json!({ "via": "api", "page": page, "count": list.len() })),
        st.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(UserPage { total, page, per_page, users: list }))
}

async fn get_openapi(State(st): State<AppState>) -> Response {
    let mut r = st.openapi_json.clone().into_response();
    r.headers_mut().insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/json"));
    r
}

struct Operation {
    method: String,
    path: String,
    id: String,
    summary: String,
    responses: String,
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct ApiDocs<'a> {
    ctx: &'a Ctx,
    operations: Vec<Operation>,
    schemas: Vec<(String, String)>,
}

/// A readable, accessible rendering of the OpenAPI document (no JavaScript needed).
async fn get_api_docs(State(st): State<AppState>, ctx: Ctx) -> Result<Response> {
    let doc: serde_json::Value = serde_json::from_str(&st.openapi_json).unwrap_or_default();
    let mut operations = vec![];
    if let Some(paths) = doc.get("paths").and_then(|p| p.as_object()) {
        for (path, item) in paths {
            let Some(item) = item.as_object() else { continue };
            for (method, op) in item {
                let mut responses: Vec<String> =
                    op.get("responses").and_then(|r| r.as_object()).map(|r| r.keys().cloned().collect()).unwrap_or_default();
                responses.sort();
                operations.push(Operation {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    id: op.get("operationId").and_then(|v| v.as_str()).unwrap_or("").to_string(),
                    summary: op.get("description").or_else(|| op.get("summary")).and_then(|v| v.as_str()).unwrap_or("").to_string(),
                    responses: responses.join(", "),
                });
            }
        }
    }
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(|s| s.as_object())
        .map(|s| s.iter().map(|(name, schema)| (name.clone(), serde_json::to_string_pretty(schema).unwrap_or_default())).collect())
        .unwrap_or_default();
    render(&ApiDocs { ctx: &ctx, operations, schemas })
}
