//! Cases, records and the public diary over `/api/v1`.

use axum::Json;
use axum::extract::{Path, State};
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::Staff;
use radhus_platform::web::errors::ApiError;
use radhus_platform::web::form::Query;
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;
use uuid::Uuid;

use crate::public::{self, DiaryQuery, PublicCase, PublicRecord};
use crate::service;
use crate::store::{self, CaseEvent, CaseRow, DocumentVersion, RecordRow};

#[derive(OpenApi)]
#[openapi(
    paths(list_cases, get_case_api, get_diary_api, get_diary_case_api),
    components(schemas(
        CaseRow,
        RecordRow,
        CaseEvent,
        DocumentVersion,
        CaseDetail,
        CasePage,
        PublicCase,
        PublicRecord,
        DiaryPage,
        PublicCaseDetail,
        ApiError
    ))
)]
pub struct CasesApi;

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/cases", list_cases)
        .get("/api/v1/cases/{id}", get_case_api)
        .get("/api/v1/diarium", get_diary_api)
        .get("/api/v1/diarium/{id}", get_diary_case_api)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CasePage {
    pub total: i64,
    pub page: i64,
    pub cases: Vec<CaseRow>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct CaseQuery {
    /// Only cases with this status (open, suspended, closed, obliterated).
    pub status: Option<String>,
    /// 1-based page of 50.
    pub page: Option<String>,
}

/// The cases the caller may read, newest first.
#[utoipa::path(get, path = "/api/v1/cases", params(CaseQuery), responses((status = 200, body = CasePage), (status = 401, body = ApiError)))]
async fn list_cases(State(st): State<AppState>, Staff(s): Staff, Query(q): Query<CaseQuery>) -> Result<Json<CasePage>> {
    let t = s.tenant_id;
    let page = q.page.as_deref().and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1);
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let mut roots = vec![];
    let mut all = false;
    for p in [service::READ, service::HANDLE, service::REGISTER, service::DISTRIBUTE] {
        match s.grants.scopes(p) {
            None if s.grants.has_anywhere(p) => all = true,
            None => {}
            Some(r) => roots.extend(r),
        }
    }
    let filter = store::CaseFilter {
        units: if all {
            None
        } else {
            Some(radhus_platform::identity::org::subtree(&mut tx, t, &roots).await?.into_iter().map(|u| u.0).collect())
        },
        status: q.status.filter(|s| crate::domain::CaseStatus::parse(s).is_some()),
        ..Default::default()
    };
    let (cases, total) = store::list_cases(&mut tx, t, &filter, 50, (page - 1) * 50).await?;
    tx.commit().await?;
    Ok(Json(CasePage { total, page, cases }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CaseDetail {
    pub case: CaseRow,
    pub records: Vec<RecordRow>,
    pub documents: Vec<DocumentVersion>,
    pub timeline: Vec<CaseEvent>,
}

/// One case with its records, document versions and timeline (audit-logged).
#[utoipa::path(get, path = "/api/v1/cases/{id}", params(("id" = String, Path)), responses((status = 200, body = CaseDetail), (status = 404, body = ApiError)))]
async fn get_case_api(State(st): State<AppState>, Staff(s): Staff, Path(id): Path<String>) -> Result<Json<CaseDetail>> {
    let id = Uuid::parse_str(&id).map_err(|_| Error::NotFound)?;
    let t = s.tenant_id;
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    let case = service::readable_case(&mut tx, &s, id).await?;
    let records = store::records(&mut tx, t, id).await?;
    let mut documents = vec![];
    for r in &records {
        documents.extend(store::versions(&mut tx, t, r.id).await?);
    }
    let timeline = store::events(&mut tx, t, id).await?;
    let actor = radhus_platform::audit::Actor::of(&radhus_platform::identity::session::Principal::Staff(s.clone()));
    radhus_platform::audit::record(
        &mut tx,
        Some(t),
        &actor,
        radhus_platform::audit::Event::new("case.read", "case", id).with(serde_json::json!({ "via": "api" })),
        st.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(CaseDetail { case, records, documents, timeline }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DiaryPage {
    pub total: i64,
    pub page: i64,
    pub cases: Vec<PublicCase>,
}

/// The public diary: search registered cases and records (no login needed).
#[utoipa::path(get, path = "/api/v1/diarium", params(DiaryQuery), responses((status = 200, body = DiaryPage)))]
async fn get_diary_api(State(st): State<AppState>, ctx: Ctx, Query(q): Query<DiaryQuery>) -> Result<Json<DiaryPage>> {
    let t = ctx.require_tenant()?.id;
    let page = q.sida.as_deref().and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1);
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let (cases, total) = public::search_cases(&mut tx, t, q.q.as_deref().unwrap_or(""), page).await?;
    tx.commit().await?;
    Ok(Json(DiaryPage { total, page, cases }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PublicCaseDetail {
    pub case: PublicCase,
    pub records: Vec<PublicRecord>,
}

/// One case of the public diary with its registered records, secret parts masked.
#[utoipa::path(get, path = "/api/v1/diarium/{id}", params(("id" = String, Path)), responses((status = 200, body = PublicCaseDetail), (status = 404, body = ApiError)))]
async fn get_diary_case_api(State(st): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Result<Json<PublicCaseDetail>> {
    let t = ctx.require_tenant()?.id;
    let id = Uuid::parse_str(&id).map_err(|_| Error::NotFound)?;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let (case, records) = public::case_with_records(&mut tx, t, id).await?;
    tx.commit().await?;
    Ok(Json(PublicCaseDetail { case, records }))
}
