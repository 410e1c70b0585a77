//! Staff pages of case management under `/admin/arenden`, `/admin/handlingar`, `/admin/diarier`.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use radhus_kernel::ids::OrgUnitId;
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::org::{self, OrgUnit};
use radhus_platform::identity::permissions::Staff;
use radhus_platform::identity::session::{Principal, StaffUser};
use radhus_platform::identity::users::{self, UserSummary};
use radhus_platform::web::form::{self, Form, PathIds, Query, one_or_many};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use crate::domain::{CaseStatus, RecordKind, RecordStatus, SECRET_FIELDS};
use crate::service::{self, NewCase, NewRecord};
use crate::store::{self, CaseClass, CaseEvent, CaseRow, CaseType, DocumentVersion, Party, RecordRow, Registry};

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/arenden", get_cases)
        .get("/admin/arenden/ny", get_new_case)
        .post("/admin/arenden", post_case)
        .get("/admin/arenden/{id}", get_case)
        .post("/admin/arenden/{id}/status", post_case_status)
        .post("/admin/arenden/{id}/tilldela", post_assign)
        .post("/admin/arenden/{id}/handlingar", post_record)
        .post("/admin/arenden/{id}/relaterade", post_relate)
        .get("/admin/handlingar/{id}", get_record)
        .post("/admin/handlingar/{id}/status", post_record_status)
        .post("/admin/handlingar/{id}/sekretess", post_secrecy)
        .post("/admin/handlingar/{id}/ta-bort", post_delete_record)
        .post_upload("/admin/handlingar/{id}/dokument", post_document, service::UPLOAD_LIMIT)
        .post("/admin/handlingar/{id}/godkannande", post_send_for_approval)
        .post("/admin/handlingar/{id}/godkannande/beslut", post_approval_decision)
        .get("/admin/godkannanden", get_approvals)
        .get("/admin/dokument/{id}", get_document)
        .get("/admin/diarier", get_registries)
        .post("/admin/diarier", post_registry)
        .post("/admin/diarier/klasser", post_class)
        .post("/admin/diarier/typer", post_case_type)
}

fn opt_uuid(s: &str, field: &str, msg: &str) -> Result<Option<Uuid>> {
    match s.trim() {
        "" => Ok(None),
        v => Uuid::parse_str(v).map(Some).map_err(|_| Error::invalid(field, msg)),
    }
}

fn fmt_date(t: &time::OffsetDateTime) -> String {
    t.date().to_string()
}

// ------------------------------------------------------------------ lists

#[derive(Deserialize, Default)]
struct ListQuery {
    vy: Option<String>,
    status: Option<String>,
    typ: Option<String>,
    forsenade: Option<String>,
    sortera: Option<String>,
    sida: Option<String>,
}

#[derive(Template)]
#[template(path = "cases/list.html")]
struct CasesPage<'a> {
    ctx: &'a Ctx,
    cases: Vec<CaseRow>,
    view: String,
    views: Vec<(&'static str, &'static str)>,
    status: String,
    statuses: Vec<CaseStatus>,
    types: Vec<CaseType>,
    case_type: String,
    overdue: bool,
    sort: String,
    page: i64,
    pages: i64,
    total: i64,
    query: String,
    can_register: bool,
    now: time::OffsetDateTime,
}

impl CasesPage<'_> {
    fn is_overdue(&self, c: &CaseRow) -> bool {
        c.due_at < self.now && (c.status == "open" || c.status == "suspended")
    }
    fn date(&self, t: &time::OffsetDateTime) -> String {
        fmt_date(t)
    }
    fn status_label(&self, s: &str) -> String {
        self.ctx.t(&format!("case-status-{s}"))
    }
}

const PER_PAGE: i64 = 25;

async fn get_cases(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, Query(q): Query<ListQuery>) -> Result<Response> {
    let t = s.tenant_id;
    let now = st.now();
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let readable = service::readable_units(&mut tx, &s).await?;
    // Only the known views; anything else is one's own cases (the value is echoed into links).
    let view = match q.vy.as_deref() {
        Some(v @ ("mina" | "arbetsgrupp" | "enhet" | "forvaltning" | "alla")) => v.to_string(),
        _ => "mina".to_string(),
    };
    // The user's place in the tree, own unit first: the work group, unit and department views.
    let mut path = vec![];
    if let Some(mine) = s.org_unit {
        for id in org::path_to_root(&mut tx, t, mine).await? {
            path.push(org::get(&mut tx, t, id).await?);
        }
    }
    let in_work_group = path.first().is_some_and(|u| u.kind == org::UnitKind::Arbetsgrupp);
    let mut filter = store::CaseFilter::default();
    match view.as_str() {
        "arbetsgrupp" | "enhet" | "forvaltning" => {
            let root = match view.as_str() {
                "arbetsgrupp" => path.first().filter(|_| in_work_group),
                // The nearest unit (enhet) above a work group; one's own unit otherwise.
                "enhet" => path.iter().find(|u| u.kind == org::UnitKind::Enhet).or(path.first()),
                _ => path.last(),
            };
            let Some(root) = root.map(|u| u.id) else { return Err(Error::invalid("vy", "err-no-unit")) };
            let units: Vec<Uuid> = org::subtree(&mut tx, t, &[root]).await?.into_iter().map(|u| u.0).collect();
            filter.units = Some(match &readable {
                None => units,
                Some(r) => units.into_iter().filter(|u| r.contains(u)).collect(),
            });
        }
        "alla" => filter.units = readable.clone(),
        _ => filter.caseworker = Some(s.user_id.0),
    }
    filter.status = q.status.clone().filter(|s| CaseStatus::parse(s).is_some());
    filter.case_type = q.typ.as_deref().and_then(|v| Uuid::parse_str(v).ok());
    let overdue = q.forsenade.is_some();
    if overdue {
        filter.overdue_at = Some(now);
    }
    filter.sort = match q.sortera.as_deref() {
        Some("due") => "due",
        Some("number") => "number",
        _ => "opened",
    };
    let page = q.sida.as_deref().and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1);
    let (cases, total) = store::list_cases(&mut tx, t, &filter, PER_PAGE, (page - 1) * PER_PAGE).await?;
    let types = store::case_types(&mut tx, t).await?;
    tx.commit().await?;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    // The pager's links repeat the filter: built by a URL encoder from validated values only,
    // and escaped again by the template (never `|safe`).
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("vy", &view);
    if let Some(s) = &filter.status {
        query.append_pair("status", s);
    }
    if let Some(tp) = filter.case_type {
        query.append_pair("typ", &tp.to_string());
    }
    if overdue {
        query.append_pair("forsenade", "1");
    }
    query.append_pair("sortera", filter.sort);
    let query = query.finish();
    render(&CasesPage {
        ctx: &ctx,
        cases,
        view,
        views: [
            ("mina", "cases-view-mine"),
            ("arbetsgrupp", "cases-view-work-group"),
            ("enhet", "cases-view-unit"),
            ("forvaltning", "cases-view-department"),
            ("alla", "cases-view-all"),
        ]
        .into_iter()
        .filter(|(v, _)| *v != "arbetsgrupp" || in_work_group)
        .collect(),
        status: filter.status.unwrap_or_default(),
        statuses: CaseStatus::ALL.to_vec(),
        types,
        case_type: filter.case_type.map(|t| t.to_string()).unwrap_or_default(),
        overdue,
        sort: filter.sort.to_string(),
        page,
        pages,
        total,
        query,
        can_register: s.grants.has_anywhere(service::REGISTER),
        now,
    })
}

// ------------------------------------------------------------------ new case

#[derive(Deserialize, Default)]
struct CaseForm {
    #[serde(default)]
    case_type_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    public_title: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    caseworker_id: String,
    #[serde(default)]
    party_role: String,
    #[serde(default)]
    party_name: String,
    #[serde(default)]
    party_identity: String,
    #[serde(default)]
    party_contact: String,
}

#[derive(Template)]
#[template(path = "cases/new.html")]
struct NewCasePage<'a> {
    ctx: &'a Ctx,
    form: CaseForm,
    types: Vec<CaseType>,
    units: Vec<OrgUnit>,
    workers: Vec<UserSummary>,
    errors: Vec<String>,
}

async fn new_case_page(st: &AppState, ctx: &Ctx, s: &StaffUser, form: CaseForm, errors: Vec<String>) -> Result<Response> {
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let types = store::case_types(&mut tx, t).await?.into_iter().filter(|c| c.active).collect();
    let units = org::tree(&mut tx, t).await?;
    let (workers, _) = users::list(&mut tx, t, None, 500, 0).await?;
    tx.commit().await?;
    render(&NewCasePage { ctx, form, types, units, workers, errors })
}

async fn get_new_case(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff) -> Result<Response> {
    if !s.grants.has_anywhere(service::REGISTER) {
        return Err(Error::Forbidden);
    }
    new_case_page(&st, &ctx, &s, CaseForm::default(), vec![]).await
}

async fn post_case(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, Form(f): Form<CaseForm>) -> Result<Response> {
    let done: Result<String> = async {
        let case_type = opt_uuid(&f.case_type_id, "case_type_id", "err-case-type-unknown")?
            .ok_or_else(|| Error::invalid("case_type_id", "err-case-type-unknown"))?;
        let mut parties = vec![];
        if !f.party_name.trim().is_empty() {
            let role = if f.party_role.is_empty() { "applicant".to_string() } else { f.party_role.clone() };
            parties.push((role, f.party_name.clone(), f.party_identity.clone(), f.party_contact.clone()));
        }
        let n = NewCase {
            case_type,
            title: f.title.clone(),
            public_title: f.public_title.clone(),
            unit: opt_uuid(&f.unit_id, "unit_id", "err-unit-parent")?,
            caseworker: opt_uuid(&f.caseworker_id, "caseworker_id", "err-caseworker-unknown")?,
            parties,
        };
        let (id, _) = service::create_case(&st.db, &s, &n, st.now()).await?;
        Ok(format!("/admin/arenden/{id}"))
    }
    .await;
    form::submit(&ctx, done, |errors| new_case_page(&st, &ctx, &s, f, errors)).await
}

// ------------------------------------------------------------------ one case

#[derive(Template)]
#[template(path = "cases/case.html")]
struct CasePage<'a> {
    ctx: &'a Ctx,
    case: CaseRow,
    records: Vec<RecordRow>,
    events: Vec<CaseEvent>,
    parties: Vec<Party>,
    next: Vec<CaseStatus>,
    kinds: Vec<RecordKind>,
    can_handle: bool,
    /// Handling or registering: both may add records (as `service::add_record` allows).
    can_add_records: bool,
    can_distribute: bool,
    units: Vec<OrgUnit>,
    workers: Vec<UserSummary>,
    errors: Vec<String>,
    now: time::OffsetDateTime,
    watches: Vec<crate::watches::WatchRow>,
    related: Vec<(Uuid, String, String)>,
    project: Option<crate::projects::Project>,
    /// Open projects to choose from, for those who may change the case's project.
    projects: Vec<crate::projects::Project>,
}

impl CasePage<'_> {
    fn in_project(&self, id: &Uuid) -> bool {
        self.project.as_ref().is_some_and(|p| p.id == *id)
    }
    fn date(&self, t: &time::OffsetDateTime) -> String {
        fmt_date(t)
    }
    fn when(&self, t: &time::OffsetDateTime) -> String {
        t.format(&time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]")).unwrap_or_default()
    }
    fn is_unit(&self, id: &OrgUnitId) -> bool {
        self.case.unit_id == Some(id.0)
    }
    fn is_worker(&self, id: &Uuid) -> bool {
        self.case.caseworker_id == Some(*id)
    }
    fn overdue(&self) -> bool {
        self.case.due_at < self.now && (self.case.status == "open" || self.case.status == "suspended")
    }
    fn status_label(&self, s: &str) -> String {
        self.ctx.t(&format!("case-status-{s}"))
    }
    fn record_status_label(&self, s: &str) -> String {
        self.ctx.t(&format!("record-status-{s}"))
    }
    fn kind_label(&self, s: &str) -> String {
        self.ctx.t(&format!("record-kind-{s}"))
    }
}

pub(crate) async fn case_page(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, errors: Vec<String>) -> Result<Response> {
    let t = s.tenant_id;
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    let case = service::readable_case(&mut tx, s, id).await?;
    let records = store::records(&mut tx, t, id).await?;
    let events = store::events(&mut tx, t, id).await?;
    let parties = store::parties(&mut tx, t, id).await?;
    let watches = crate::watches::of_case(&mut tx, t, id).await?;
    let related = store::related(&mut tx, t, id).await?;
    let can_handle = service::allowed(&mut tx, s, service::HANDLE, case.unit_id, case.caseworker_id).await?;
    let can_add_records = service::may_work_on_records(&mut tx, s, &case).await?;
    let can_distribute = service::allowed(&mut tx, s, service::DISTRIBUTE, case.unit_id, None).await?;
    let units = if can_distribute { org::tree(&mut tx, t).await? } else { vec![] };
    let workers = if can_distribute { users::list(&mut tx, t, None, 500, 0).await?.0 } else { vec![] };
    let project = crate::projects::of_case(&mut tx, t, id).await?;
    let projects = if can_handle || can_distribute {
        crate::projects::list(&mut tx, t)
            .await?
            .into_iter()
            .filter(|p| p.status == "open" || project.as_ref().is_some_and(|c| c.id == p.id))
            .collect()
    } else {
        vec![]
    };
    // Parties are personal data: reading the case is logged.
    audit::record(&mut tx, Some(t), &Actor::of(&Principal::Staff(s.clone())), Event::new("case.read", "case", id), st.now()).await?;
    tx.commit().await?;
    let next = CaseStatus::parse(&case.status).map(|c| c.next()).unwrap_or_default();
    render(&CasePage {
        ctx,
        case,
        records,
        events,
        parties,
        next,
        kinds: RecordKind::ALL.to_vec(),
        can_handle,
        can_add_records,
        can_distribute,
        units,
        workers,
        errors,
        now: st.now(),
        watches,
        related,
        project,
        projects,
    })
}

async fn get_case(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    case_page(&st, &ctx, &s, id, vec![]).await
}

#[derive(Deserialize)]
struct StatusForm {
    status: String,
    #[serde(default)]
    note: String,
}

/// After a change to a case: back to the case page, or the page again with the problem
/// ([`form::submit`]).
pub(crate) async fn on_case(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, result: Result<()>) -> Result<Response> {
    form::submit(ctx, result.map(|()| format!("/admin/arenden/{id}")), |errors| case_page(st, ctx, s, id, errors)).await
}

async fn post_case_status(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<StatusForm>,
) -> Result<Response> {
    let to = CaseStatus::parse(&f.status).ok_or_else(|| Error::invalid("status", "err-case-status"))?;
    let result = service::change_status(&st.db, &s, id, to, &f.note, st.now()).await;
    on_case(&st, &ctx, &s, id, result).await
}

#[derive(Deserialize)]
struct AssignForm {
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    caseworker_id: String,
}

async fn post_assign(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<AssignForm>,
) -> Result<Response> {
    let result = async {
        let unit = opt_uuid(&f.unit_id, "unit_id", "err-unit-parent")?;
        let worker = opt_uuid(&f.caseworker_id, "caseworker_id", "err-caseworker-unknown")?;
        service::assign(&st.db, &s, id, unit, worker, st.now()).await
    }
    .await;
    on_case(&st, &ctx, &s, id, result).await
}

#[derive(Deserialize)]
struct RecordForm {
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    correspondent: String,
    #[serde(default)]
    correspondent_is_person: Option<String>,
    #[serde(default)]
    document_date: String,
    #[serde(default)]
    received_on: String,
    #[serde(default)]
    memo_text: String,
    #[serde(default)]
    register: Option<String>,
}

async fn post_record(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<RecordForm>,
) -> Result<Response> {
    let result = async {
        let kind = RecordKind::parse(&f.kind).ok_or_else(|| Error::invalid("record_kind", "err-record-kind"))?;
        let date = |field: &str, v: &str| match v.trim() {
            "" => Ok(None),
            d => Date::parse(d, &time::format_description::well_known::Iso8601::DATE)
                .map(Some)
                .map_err(|_| Error::invalid(field, "err-date")),
        };
        let document_date = date("document_date", &f.document_date)?;
        let received_on = date("received_on", &f.received_on)?;
        let n = NewRecord {
            kind,
            title: f.title.clone(),
            correspondent: f.correspondent.clone(),
            correspondent_is_person: f.correspondent_is_person.is_some(),
            document_date,
            received_on,
            memo_text: f.memo_text.clone(),
            register: f.register.is_some(),
        };
        service::add_record(&st.db, &s, id, &n, st.now()).await.map(|_| ())
    }
    .await;
    on_case(&st, &ctx, &s, id, result).await
}

// ------------------------------------------------------------------ one record

#[derive(Template)]
#[template(path = "cases/record.html")]
struct RecordPage<'a> {
    ctx: &'a Ctx,
    case: CaseRow,
    record: RecordRow,
    versions: Vec<DocumentVersion>,
    next: Option<RecordStatus>,
    fields: Vec<&'static str>,
    can_handle: bool,
    errors: Vec<String>,
    steps: Vec<store::ApprovalStep>,
    workers: Vec<UserSummary>,
    my_turn: bool,
    /// The official memo form, when a memo can be written for this record.
    memo: Option<crate::memo::MemoText>,
    memo_generated: bool,
    /// The memo form is shown open when it comes back with a problem.
    memo_open: bool,
    watches: Vec<crate::watches::WatchRow>,
}

impl RecordPage<'_> {
    fn approval_label(&self, s: &str) -> String {
        self.ctx.t(&format!("approval-status-{s}"))
    }
    fn when(&self, t: &time::OffsetDateTime) -> String {
        t.format(&time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]")).unwrap_or_default()
    }
    fn secret(&self, field: &str) -> bool {
        self.record.is_secret(field)
    }
    fn kib(&self, size: &i64) -> String {
        // Swedish number format: decimal comma.
        if *size < 1024 { format!("{size} B") } else { format!("{:.1} kB", *size as f64 / 1024.0).replace('.', ",") }
    }
    fn record_status_label(&self, s: &str) -> String {
        self.ctx.t(&format!("record-status-{s}"))
    }
    fn kind_label(&self, s: &str) -> String {
        self.ctx.t(&format!("record-kind-{s}"))
    }
    fn short_hash(&self, h: &str) -> String {
        format!("{}…", h.chars().take(12).collect::<String>())
    }
    fn deletable(&self) -> bool {
        self.record.status == "drafted"
    }
}

async fn record_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    errors: Vec<String>,
    memo_input: Option<crate::memo::MemoText>,
) -> Result<Response> {
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let (record, case) = service::readable_record(&mut tx, s, id).await?;
    let versions = store::versions(&mut tx, t, id).await?;
    let can_handle = service::may_work_on_records(&mut tx, s, &case).await?;
    let mut steps = store::approvals(&mut tx, t, id).await?;
    let latest = steps.first().map(|a| a.round).unwrap_or(0);
    steps.retain(|a| a.round == latest);
    let route_open = steps.iter().any(|a| a.status == "pending" || a.status == "waiting");
    let my_turn = steps.iter().any(|a| a.status == "pending" && a.approver_id == s.user_id.0);
    let workers = if can_handle && record.status == "established" && !route_open {
        users::list(&mut tx, t, None, 500, 0).await?.0.into_iter().filter(|u| u.active && u.id != s.user_id.0).collect()
    } else {
        vec![]
    };
    let stored_memo = crate::memo::texts(&mut tx, t, id).await?;
    let watches = crate::watches::of_record(&mut tx, t, id).await?;
    tx.commit().await?;
    let memo_generated = stored_memo.is_some();
    let memo_open = memo_input.is_some();
    let memo = (can_handle && crate::memo::can_have_memo(&record)).then(|| memo_input.or(stored_memo).unwrap_or_default());
    // Approval is given through the approval route, not as a step of its own.
    let next = match (RecordStatus::parse(&record.status), RecordKind::parse(&record.kind)) {
        (Some(s), Some(k)) => s.next(k).filter(|n| *n != RecordStatus::Approved),
        _ => None,
    };
    render(&RecordPage {
        ctx,
        case,
        record,
        versions,
        next,
        fields: SECRET_FIELDS.to_vec(),
        can_handle,
        errors,
        steps,
        workers,
        my_turn,
        memo,
        memo_generated,
        memo_open,
        watches,
    })
}

/// After a change to a record: back to the record page, or the page again with the problem
/// (and, for the memo form, what was typed) ([`form::submit`]).
pub(crate) async fn on_record(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    result: Result<()>,
    memo_input: Option<crate::memo::MemoText>,
) -> Result<Response> {
    form::submit(ctx, result.map(|()| format!("/admin/handlingar/{id}")), |errors| record_page(st, ctx, s, id, errors, memo_input)).await
}

async fn get_record(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    record_page(&st, &ctx, &s, id, vec![], None).await
}

async fn post_record_status(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<StatusForm>,
) -> Result<Response> {
    let to = RecordStatus::parse(&f.status).ok_or_else(|| Error::invalid("status", "err-record-transition"))?;
    let result = service::advance_record(&st.db, &s, id, to, st.now()).await;
    on_record(&st, &ctx, &s, id, result, None).await
}

#[derive(Deserialize)]
struct SecrecyForm {
    #[serde(default, deserialize_with = "one_or_many")]
    fields: Vec<String>,
    #[serde(default)]
    secrecy_ground: String,
}

async fn post_secrecy(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<SecrecyForm>,
) -> Result<Response> {
    let result = service::mark_secrecy(&st.db, &s, id, &f.fields, &f.secrecy_ground, st.now()).await;
    on_record(&st, &ctx, &s, id, result, None).await
}

async fn post_delete_record(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let done = service::delete_record(&st.db, &s, id, st.now()).await.map(|case| format!("/admin/arenden/{case}"));
    form::submit(&ctx, done, |errors| record_page(&st, &ctx, &s, id, errors, None)).await
}

/// Multipart upload: `file`, optional `document_id` (a new version), `role`, `title`.
async fn post_document(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    mut multipart: Multipart,
) -> Result<Response> {
    let (mut file, mut name, mut mime, mut doc, mut role, mut title) =
        (None, String::new(), String::new(), String::new(), String::new(), String::new());
    while let Some(field) = multipart.next_field().await.map_err(|_| Error::TooLarge)? {
        match field.name().unwrap_or("") {
            "file" => {
                name = field.file_name().unwrap_or("").to_string();
                mime = field.content_type().unwrap_or("").to_string();
                file = Some(field.bytes().await.map_err(|_| Error::TooLarge)?);
            }
            "document_id" => doc = field.text().await.unwrap_or_default(),
            "role" => role = field.text().await.unwrap_or_default(),
            "title" => title = field.text().await.unwrap_or_default(),
            _ => {}
        }
    }
    let result = async {
        let bytes = file.ok_or_else(|| Error::invalid("file", "err-file-empty"))?;
        let doc = opt_uuid(&doc, "document_id", "err-form")?;
        service::upload(&st.db, &s, id, doc, &role, &title, &name, &mime, &bytes, st.now()).await.map(|_| ())
    }
    .await;
    on_record(&st, &ctx, &s, id, result, None).await
}

async fn get_document(State(st): State<AppState>, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let (v, bytes) = service::download(&st.db, &s, id, st.now()).await?;
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(&v.mime).unwrap_or(HeaderValue::from_static("application/octet-stream")));
    let ascii: String =
        v.filename.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect();
    if let Ok(d) = HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"")) {
        h.insert(header::CONTENT_DISPOSITION, d);
    }
    h.insert("content-security-policy", HeaderValue::from_static("default-src 'none'; sandbox"));
    Ok(r)
}

// ------------------------------------------------------------------ registries, classes, case types

#[derive(Template)]
#[template(path = "cases/registries.html")]
struct RegistriesPage<'a> {
    ctx: &'a Ctx,
    registries: Vec<Registry>,
    classes: Vec<CaseClass>,
    types: Vec<CaseType>,
    errors: Vec<String>,
}

impl RegistriesPage<'_> {
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
    tx.commit().await?;
    render(&RegistriesPage { ctx, registries, classes, types, errors })
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

// ------------------------------------------------------------------ approval routing

#[derive(Deserialize)]
struct SendForm {
    #[serde(default)]
    approver_1: String,
    #[serde(default)]
    approver_2: String,
    #[serde(default)]
    approver_3: String,
}

async fn post_send_for_approval(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<SendForm>,
) -> Result<Response> {
    let result = async {
        let mut approvers = vec![];
        for a in [&f.approver_1, &f.approver_2, &f.approver_3] {
            if let Some(u) = opt_uuid(a, "approvers", "err-caseworker-unknown")? {
                approvers.push(u);
            }
        }
        service::send_for_approval(&st.db, &s, id, &approvers, st.now()).await
    }
    .await;
    on_record(&st, &ctx, &s, id, result, None).await
}

#[derive(Deserialize)]
struct DecisionForm {
    decision: String,
    #[serde(default)]
    comment: String,
}

async fn post_approval_decision(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<DecisionForm>,
) -> Result<Response> {
    let approve = match f.decision.as_str() {
        "approve" => true,
        "return" => false,
        _ => return Err(Error::invalid("decision", "err-form")),
    };
    let result = service::decide_approval(&st.db, &s, id, approve, &f.comment, st.now()).await;
    on_record(&st, &ctx, &s, id, result, None).await
}

#[derive(Template)]
#[template(path = "cases/approvals.html")]
struct ApprovalsPage<'a> {
    ctx: &'a Ctx,
    items: Vec<(store::ApprovalStep, RecordRow, CaseRow)>,
}

async fn get_approvals(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff) -> Result<Response> {
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let steps = store::pending_for(&mut tx, t, s.user_id.0).await?;
    let mut items = vec![];
    for step in steps {
        if let Ok((r, c)) = service::readable_record(&mut tx, &s, step.record_id).await {
            items.push((step, r, c));
        }
    }
    tx.commit().await?;
    render(&ApprovalsPage { ctx: &ctx, items })
}

#[derive(Deserialize)]
struct RelateForm {
    #[serde(default)]
    related_number: String,
}

async fn post_relate(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<RelateForm>,
) -> Result<Response> {
    let result = service::relate(&st.db, &s, id, &f.related_number, st.now()).await.map(|_| ());
    on_case(&st, &ctx, &s, id, result).await
}
