//! Cases, records and the public diary over `/api/v1`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::Staff;
use radhus_platform::web::errors::ApiError;
use radhus_platform::web::form::{PathIds, Query};
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;
use uuid::Uuid;

use radhus_platform::web::form::Json as JsonBody;

use crate::public::{self, DiaryQuery, PublicCase, PublicRecord};
use crate::service;
use crate::store::{self, CaseEvent, CaseRow, DocumentVersion, RecordRow};

#[derive(OpenApi)]
#[openapi(
    paths(
        list_cases,
        get_case_api,
        create_record_api,
        get_record_api,
        get_document_api,
        list_watches_api,
        get_diary_api,
        get_diary_case_api,
        change_case_status_api,
        assign_case_api,
        change_record_status_api,
        obliterate_record_api,
        upload_document_api,
        send_for_approval_api,
        decide_approval_api,
        generate_memo_api,
        watch_done_api,
        list_projects_api
    ),
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
        StatusBody,
        AssignBody,
        RecordStatusBody,
        ObliterationBody,
        ApprovalBody,
        DecisionBody,
        NewWatchBody,
        crate::memo::MemoText,
        crate::projects::Project,
        ApiError
    ))
)]
pub struct CasesApi;

/// Operations on a path that already has another method: the derive keeps only one
/// operation per path, so these are merged in separately (`Paths::merge` combines them).
#[derive(OpenApi)]
#[openapi(paths(create_case_api, create_watch_api))]
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
        .post("/api/v1/watches", create_watch_api)
        .post("/api/v1/watches/{id}/done", watch_done_api)
        .post("/api/v1/cases/{id}/status", change_case_status_api)
        .post("/api/v1/cases/{id}/assignment", assign_case_api)
        .post("/api/v1/records/{id}/status", change_record_status_api)
        .post("/api/v1/records/{id}/obliteration", obliterate_record_api)
        .post_upload("/api/v1/records/{id}/documents", upload_document_api, service::UPLOAD_LIMIT)
        .post("/api/v1/records/{id}/approval", send_for_approval_api)
        .post("/api/v1/records/{id}/approval/decision", decide_approval_api)
        .post("/api/v1/records/{id}/memo", generate_memo_api)
        .get("/api/v1/projects", list_projects_api)
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
        status: q.status.as_deref().and_then(crate::domain::CaseStatus::parse),
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
async fn get_case_api(State(st): State<AppState>, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Json<CaseDetail>> {
    let service::CaseView { case, records, documents, timeline, .. } =
        service::read_case(&st.db, &s, id, service::Via::Api, st.now()).await?;
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
async fn get_diary_case_api(State(st): State<AppState>, ctx: Ctx, PathIds(id): PathIds<Uuid>) -> Result<Json<PublicCaseDetail>> {
    let t = ctx.require_tenant()?.id;
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
    /// Inbound records: the day it came in, `YYYY-MM-DD` (default: the day it is registered).
    pub received_on: Option<String>,
    /// Register at once (else a draft).
    #[serde(default)]
    pub register: bool,
}

/// Adds a record to a case.
#[utoipa::path(post, path = "/api/v1/cases/{id}/records", params(("id" = String, Path)), request_body = NewRecordBody, responses((status = 201, body = Created), (status = 422, body = ApiError), (status = 404, body = ApiError)))]
async fn create_record_api(
    State(st): State<AppState>,
    Staff(s): Staff,
    PathIds(case): PathIds<Uuid>,
    radhus_platform::web::form::Json(b): radhus_platform::web::form::Json<NewRecordBody>,
) -> Result<(axum::http::StatusCode, Json<Created>)> {
    let kind = crate::domain::RecordKind::parse(&b.kind).ok_or_else(|| Error::invalid("kind", "err-record-kind"))?;
    let n = service::NewRecord {
        kind,
        title: b.title,
        correspondent: b.correspondent,
        correspondent_is_person: b.correspondent_is_person,
        document_date: None,
        received_on: match b.received_on.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(d) => Some(
                time::Date::parse(d, &time::format_description::well_known::Iso8601::DATE)
                    .map_err(|_| Error::invalid("received_on", "err-date"))?,
            ),
        },
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
async fn get_record_api(State(st): State<AppState>, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Json<RecordDetail>> {
    let view = service::read_record(&st.db, &s, id).await?;
    let number = view.number();
    let service::RecordView { record, documents, .. } = view;
    Ok(Json(RecordDetail { number, record, documents }))
}

/// The content of one document version (audit-logged).
#[utoipa::path(get, path = "/api/v1/documents/{id}", params(("id" = String, Path)), responses((status = 200, description = "the file"), (status = 404, body = ApiError)))]
async fn get_document_api(State(st): State<AppState>, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<axum::response::Response> {
    use axum::response::IntoResponse;
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

// ------------------------------------------------------------------ changes

#[derive(Deserialize, utoipa::ToSchema)]
pub struct StatusBody {
    /// open, suspended, closed or obliterated.
    pub status: String,
    /// Required when reopening a closed case.
    #[serde(default)]
    pub note: String,
}

/// Changes a case's status along the state machine (reopening needs `cases.reopen` and a note;
/// obliterating needs a note, the reason, else 422 `WEB-004`).
#[utoipa::path(post, path = "/api/v1/cases/{id}/status", params(("id" = String, Path)), request_body = StatusBody, responses((status = 204), (status = 409, body = ApiError), (status = 404, body = ApiError)))]
async fn change_case_status_api(
    State(st): State<AppState>,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    JsonBody(b): JsonBody<StatusBody>,
) -> Result<StatusCode> {
    let to = crate::domain::CaseStatus::parse(&b.status).ok_or_else(|| Error::invalid("status", "err-case-transition"))?;
    service::change_status(&st.db, &s, id, to, &b.note, st.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AssignBody {
    pub unit_id: Option<Uuid>,
    pub caseworker_id: Option<Uuid>,
}

/// Distributes a case to a unit and caseworker (needs `cases.distribute`).
#[utoipa::path(post, path = "/api/v1/cases/{id}/assignment", params(("id" = String, Path)), request_body = AssignBody, responses((status = 204), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn assign_case_api(
    State(st): State<AppState>,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    JsonBody(b): JsonBody<AssignBody>,
) -> Result<StatusCode> {
    service::assign(&st.db, &s, id, b.unit_id, b.caseworker_id, st.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RecordStatusBody {
    /// The next status: registered, established or dispatched (approval comes from approvers).
    pub status: String,
}

/// Moves a record one step along drafted → registered → established → approved → dispatched.
#[utoipa::path(post, path = "/api/v1/records/{id}/status", params(("id" = String, Path)), request_body = RecordStatusBody, responses((status = 204), (status = 409, body = ApiError), (status = 404, body = ApiError)))]
async fn change_record_status_api(
    State(st): State<AppState>,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    JsonBody(b): JsonBody<RecordStatusBody>,
) -> Result<StatusCode> {
    let to = crate::domain::RecordStatus::parse(&b.status).ok_or_else(|| Error::invalid("status", "err-record-transition"))?;
    service::advance_record(&st.db, &s, id, to, st.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ObliterationBody {
    /// Why the record is obliterated (required; it stays on the record and the case's timeline).
    #[serde(default)]
    pub reason: String,
}

/// Obliterates (makulerar) a registered record that has not been dispatched: it stays in the
/// diary marked obliterated with the reason (registrars and administrators).
#[utoipa::path(post, path = "/api/v1/records/{id}/obliteration", params(("id" = String, Path)), request_body = ObliterationBody, responses((status = 204), (status = 422, body = ApiError), (status = 409, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn obliterate_record_api(
    State(st): State<AppState>,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    JsonBody(b): JsonBody<ObliterationBody>,
) -> Result<StatusCode> {
    service::obliterate_record(&st.db, &s, id, &b.reason, st.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct UploadQuery {
    /// The file's name; its extension decides the accepted type.
    pub filename: String,
    /// `main` or `attachment` (a record has one main document).
    pub role: Option<String>,
    pub title: Option<String>,
    /// Add a new version of this document instead of a new document.
    pub document_id: Option<String>,
}

/// Adds a document, or a new version of one, to a record: the request body is the file.
#[utoipa::path(post, path = "/api/v1/records/{id}/documents", params(("id" = String, Path), UploadQuery), request_body(content = Vec<u8>, content_type = "application/octet-stream"), responses((status = 201, body = Created), (status = 413, body = ApiError), (status = 422, body = ApiError), (status = 409, body = ApiError)))]
async fn upload_document_api(
    State(st): State<AppState>,
    Staff(s): Staff,
    PathIds(record): PathIds<Uuid>,
    Query(q): Query<UploadQuery>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let document = match q.document_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => Some(Uuid::parse_str(d).map_err(|_| Error::invalid("document_id", "err-form"))?),
    };
    let declared = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let role = q.role.as_deref().unwrap_or("main");
    let title = q.title.as_deref().unwrap_or("");
    let version = service::upload(&st.db, &s, record, document, role, title, &q.filename, declared, &body, st.now()).await?;
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let (v, _) = store::version(&mut tx, s.tenant_id, version).await?.ok_or(Error::NotFound)?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Created { id: version, number: format!("{} v{}", v.document_title, v.version_no) })))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ApprovalBody {
    /// The approvers, in the order they approve.
    pub approvers: Vec<Uuid>,
}

/// Sends an established record to approvers in order (godkännandegång).
#[utoipa::path(post, path = "/api/v1/records/{id}/approval", params(("id" = String, Path)), request_body = ApprovalBody, responses((status = 204), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn send_for_approval_api(
    State(st): State<AppState>,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    JsonBody(b): JsonBody<ApprovalBody>,
) -> Result<StatusCode> {
    service::send_for_approval(&st.db, &s, id, &b.approvers, st.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct DecisionBody {
    /// `true` approves; `false` returns the record to its handler.
    pub approve: bool,
    #[serde(default)]
    pub comment: String,
}

/// The caller's decision as the record's current approver.
#[utoipa::path(post, path = "/api/v1/records/{id}/approval/decision", params(("id" = String, Path)), request_body = DecisionBody, responses((status = 204), (status = 409, body = ApiError), (status = 404, body = ApiError)))]
async fn decide_approval_api(
    State(st): State<AppState>,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    JsonBody(b): JsonBody<DecisionBody>,
) -> Result<StatusCode> {
    service::decide_approval(&st.db, &s, id, b.approve, &b.comment, st.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Generates the record's official memo (tjänsteskrivelse) as PDF/A, as a new document version.
#[utoipa::path(post, path = "/api/v1/records/{id}/memo", params(("id" = String, Path)), request_body = crate::memo::MemoText, responses((status = 201, body = Created), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn generate_memo_api(
    State(st): State<AppState>,
    Staff(s): Staff,
    PathIds(record): PathIds<Uuid>,
    JsonBody(b): JsonBody<crate::memo::MemoText>,
) -> Result<(StatusCode, Json<Created>)> {
    let version = crate::memo::generate(&st.db, &s, record, &b, st.now()).await?;
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let (v, _) = store::version(&mut tx, s.tenant_id, version).await?.ok_or(Error::NotFound)?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Created { id: version, number: format!("{} v{}", v.document_title, v.version_no) })))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewWatchBody {
    /// The case to watch (or give `record_id`).
    pub case_id: Option<Uuid>,
    /// One record to watch.
    pub record_id: Option<Uuid>,
    /// Due date, `YYYY-MM-DD`.
    pub due: String,
    /// Days before the due date the reminder goes out (0–60).
    #[serde(default)]
    pub remind_days: i64,
    pub note: String,
}

/// Sets a watch (bevakning) for the caller on a case or a record.
#[utoipa::path(post, path = "/api/v1/watches", request_body = NewWatchBody, responses((status = 201, body = Created), (status = 422, body = ApiError), (status = 404, body = ApiError)))]
async fn create_watch_api(
    State(st): State<AppState>,
    Staff(s): Staff,
    JsonBody(b): JsonBody<NewWatchBody>,
) -> Result<(StatusCode, Json<Created>)> {
    use crate::watches::Watched;
    // A watch is a person's reminder (its owner is a user); an integration has no inbox to remind.
    if s.integration.is_some() {
        return Err(Error::Forbidden);
    }
    let on = match (b.case_id, b.record_id) {
        (_, Some(r)) => Watched::Record(r),
        (Some(c), None) => Watched::Case(c),
        (None, None) => return Err(Error::invalid("case_id", "err-watch-target")),
    };
    let due = crate::watches::parse_due(&b.due)?;
    let id = crate::watches::add(&st.db, &s, on, due, b.remind_days, &b.note, st.now()).await?;
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let number = crate::watches::of_owner(&mut tx, s.tenant_id, s.user_id.0).await?.into_iter().find(|w| w.id == id).map(|w| w.number);
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Created { id, number: number.unwrap_or_default() })))
}

/// Marks one of the caller's watches done.
#[utoipa::path(post, path = "/api/v1/watches/{id}/done", params(("id" = String, Path)), responses((status = 204), (status = 404, body = ApiError)))]
async fn watch_done_api(State(st): State<AppState>, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<StatusCode> {
    crate::watches::done(&st.db, &s, id, st.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The municipality's projects with their number of cases.
#[utoipa::path(get, path = "/api/v1/projects", responses((status = 200, body = [crate::projects::Project]), (status = 401, body = ApiError)))]
async fn list_projects_api(State(st): State<AppState>, Staff(s): Staff) -> Result<Json<Vec<crate::projects::Project>>> {
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let list = crate::projects::list(&mut tx, s.tenant_id).await?;
    tx.commit().await?;
    Ok(Json(list))
}
