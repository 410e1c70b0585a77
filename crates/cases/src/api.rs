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

/// Operations on a path that already has another method: the derive keeps only one
/// operation per path, so these are merged in separately (`Paths::merge` combines them).
#[derive(OpenApi)]
#[openapi(paths(create_case_api))]
pub struct CasesWriteApi;

/// The module's whole API document.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = CasesApi::openapi();
    doc.merge(CasesWriteApi::openapi());
    doc
}

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/cases", list_cases)
        .get("/api/v1/cases/{id}", get_case_api)
        .post("/api/v1/cases", create_case_api)
        .post("/api/v1/cases/{id}/records", create_record_api)
        .get("/api/v1/records/{id}", get_record_api)
        .get("/api/v1/documents/{id}", get_document_api)
        .get("/api/v1/watches", list_watches_api)
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
    let filter = store::CaseFilter {
        units: service::readable_units(&mut tx, &s).await?,
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

/// A new case (the caller needs `cases.register`). Unsafe methods need the `X-CSRF-Token` header.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewCaseBody {
    pub case_type_id: Uuid,
    pub title: String,
    #[serde(default)]
    pub public_title: String,
    pub unit_id: Option<Uuid>,
    pub caseworker_id: Option<Uuid>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: Uuid,
    /// The diary number, e.g. `KS 2026/123` or `KS 2026/123-4`.
    pub number: String,
}

/// Registers a case with the next number of its registry.
#[utoipa::path(post, path = "/api/v1/cases", request_body = NewCaseBody, responses((status = 201, body = Created), (status = 422, body = ApiError), (status = 403, body = ApiError)))]
async fn create_case_api(
    State(st): State<AppState>,
    Staff(s): Staff,
    radhus_platform::web::form::Json(b): radhus_platform::web::form::Json<NewCaseBody>,
) -> Result<(axum::http::StatusCode, Json<Created>)> {
    let n = service::NewCase {
        case_type: b.case_type_id,
        title: b.title,
        public_title: b.public_title,
        unit: b.unit_id,
        caseworker: b.caseworker_id,
        parties: vec![],
    };
    let (id, number) = service::create_case(&st.db, &s, &n, st.now()).await?;
    Ok((axum::http::StatusCode::CREATED, Json(Created { id, number })))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewRecordBody {
    /// inbound, outbound, memo or decision.
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub correspondent: String,
    #[serde(default)]
    pub correspondent_is_person: bool,
    #[serde(default)]
    pub memo_text: String,
    /// Register at once (else a draft).
    #[serde(default)]
    pub register: bool,
}

/// Adds a record to a case.
#[utoipa::path(post, path = "/api/v1/cases/{id}/records", params(("id" = String, Path)), request_body = NewRecordBody, responses((status = 201, body = Created), (status = 422, body = ApiError), (status = 404, body = ApiError)))]
async fn create_record_api(
    State(st): State<AppState>,
    Staff(s): Staff,
    Path(id): Path<String>,
    radhus_platform::web::form::Json(b): radhus_platform::web::form::Json<NewRecordBody>,
) -> Result<(axum::http::StatusCode, Json<Created>)> {
    let case = Uuid::parse_str(&id).map_err(|_| Error::NotFound)?;
    let kind = crate::domain::RecordKind::parse(&b.kind).ok_or_else(|| Error::invalid("kind", "err-record-kind"))?;
    let n = service::NewRecord {
        kind,
        title: b.title,
        correspondent: b.correspondent,
        correspondent_is_person: b.correspondent_is_person,
        document_date: None,
        memo_text: b.memo_text,
        register: b.register,
    };
    let rid = service::add_record(&st.db, &s, case, &n, st.now()).await?;
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let (r, c) = service::readable_record(&mut tx, &s, rid).await?;
    tx.commit().await?;
    Ok((axum::http::StatusCode::CREATED, Json(Created { id: rid, number: format!("{}-{}", c.number, r.running_no) })))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RecordDetail {
    pub number: String,
    pub record: RecordRow,
    pub documents: Vec<DocumentVersion>,
}

/// One record with its document versions.
#[utoipa::path(get, path = "/api/v1/records/{id}", params(("id" = String, Path)), responses((status = 200, body = RecordDetail), (status = 404, body = ApiError)))]
async fn get_record_api(State(st): State<AppState>, Staff(s): Staff, Path(id): Path<String>) -> Result<Json<RecordDetail>> {
    let id = Uuid::parse_str(&id).map_err(|_| Error::NotFound)?;
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let (record, c) = service::readable_record(&mut tx, &s, id).await?;
    let documents = store::versions(&mut tx, s.tenant_id, id).await?;
    tx.commit().await?;
    Ok(Json(RecordDetail { number: format!("{}-{}", c.number, record.running_no), record, documents }))
}

/// The content of one document version (audit-logged).
#[utoipa::path(get, path = "/api/v1/documents/{id}", params(("id" = String, Path)), responses((status = 200, description = "the file"), (status = 404, body = ApiError)))]
async fn get_document_api(State(st): State<AppState>, Staff(s): Staff, Path(id): Path<String>) -> Result<axum::response::Response> {
    use axum::response::IntoResponse;
    let id = Uuid::parse_str(&id).map_err(|_| Error::NotFound)?;
    let (v, bytes) = service::download(&st.db, &s, id, st.now()).await?;
    let mut r = bytes.into_response();
    r.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_str(&v.mime).unwrap_or(axum::http::HeaderValue::from_static("application/octet-stream")),
    );
    Ok(r)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct WatchItem {
    pub id: Uuid,
    pub case_id: Uuid,
    pub number: String,
    pub due: String,
    pub note: String,
}

/// The caller's open watches, earliest first.
#[utoipa::path(get, path = "/api/v1/watches", responses((status = 200, body = [WatchItem]), (status = 401, body = ApiError)))]
async fn list_watches_api(State(st): State<AppState>, Staff(s): Staff) -> Result<Json<Vec<WatchItem>>> {
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let list = crate::watches::of_owner(&mut tx, s.tenant_id, s.user_id.0).await?;
    tx.commit().await?;
    Ok(Json(
        list.into_iter()
            .map(|w| WatchItem { id: w.id, case_id: w.case_id, number: w.number, due: w.due_at.date().to_string(), note: w.note })
            .collect(),
    ))
}
