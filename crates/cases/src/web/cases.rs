//! The staff pages of cases: the list `/admin/arenden`, a new case, a case's page and the
//! changes made from it (status, assignment, a new record, related cases).

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
use radhus_platform::web::form::{self, Form, PathIds, Query};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, LinkArea, NavLink, Routes};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::fields::opt_uuid;
use crate::domain::{CaseStatus, ProjectStatus, RecordKind, RecordStatus};
use crate::messages::{self, Message};
use crate::parties::{NewParty, Party};
use crate::projects::{self, Project};
use crate::service::{self, CaseView, NewCase, NewRecord, Via};
use crate::store::{self, CaseEvent, CaseRow, CaseType, RecordRow};
use crate::watches::{self, WatchRow};

pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/admin/arenden", get_cases)
        .get("/admin/arenden/ny", get_new_case)
        .post("/admin/arenden", post_case)
        .get("/admin/arenden/{id}", get_case)
        .post("/admin/arenden/{id}/status", post_case_status)
        .post("/admin/arenden/{id}/tilldela", post_assign)
        .post("/admin/arenden/{id}/handlingar", post_record)
        .post("/admin/arenden/{id}/relaterade", post_relate)
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
        c.due_at < self.now && c.status.is_active()
    }
    fn date(&self, t: &time::OffsetDateTime) -> String {
        fmt_date(t)
    }
    fn status_label(&self, s: &CaseStatus) -> String {
        self.ctx.t(&s.label())
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
    filter.status = q.status.as_deref().and_then(CaseStatus::parse);
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
    if let Some(s) = filter.status {
        query.append_pair("status", s.as_str());
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
        status: filter.status.map(|s| s.as_str().to_string()).unwrap_or_default(),
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
            let role = if f.party_role.is_empty() { "applicant" } else { f.party_role.as_str() };
            let p =
                NewParty::from_form(role, &f.party_name, &f.party_identity, &f.party_contact, st.now().date()).map_err(Error::Invalid)?;
            parties.push(p);
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
    watches: Vec<WatchRow>,
    related: Vec<(Uuid, String, String)>,
    project: Option<Project>,
    /// Open projects to choose from, for those who may change the case's project.
    projects: Vec<Project>,
    /// Other modules' actions on the case (`LinkArea::Case`), for those who may handle it.
    actions: Vec<NavLink>,
    /// The conversation with the case's parties who are persons (`has_citizen`).
    messages: Vec<Message>,
    has_citizen: bool,
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
        self.case.due_at < self.now && self.case.status.is_active()
    }
    /// Records are added to open and suspended cases.
    fn open_for_records(&self) -> bool {
        self.case.status.is_active()
    }
    /// Only a closed case is exported as an archive package.
    fn exportable(&self) -> bool {
        self.case.status == CaseStatus::Closed
    }
    fn status_label(&self, s: &CaseStatus) -> String {
        self.ctx.t(&s.label())
    }
    fn record_status_label(&self, s: &RecordStatus) -> String {
        self.ctx.t(&s.label())
    }
    fn kind_label(&self, s: &RecordKind) -> String {
        self.ctx.t(&s.label())
    }
    fn t_at(&self, id: &str, at: &time::OffsetDateTime) -> String {
        self.ctx.tr.t1(id, "at", self.when(at))
    }
    fn t_due(&self, d: &Date) -> String {
        self.ctx.tr.t1("messages-open-request", "due", d)
    }
    fn today(&self) -> String {
        self.now.date().to_string()
    }
}

pub(super) async fn case_page(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, errors: Vec<String>) -> Result<Response> {
    let t = s.tenant_id;
    // The case, its records, timeline and parties: an audited read (parties are personal data).
    let CaseView { case, records, timeline, parties, related, .. } = service::read_case(&st.db, s, id, Via::Page, st.now()).await?;
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    let watches = watches::of_case(&mut tx, t, id).await?;
    let can_handle = service::allowed(&mut tx, s, service::HANDLE, case.unit_id, case.caseworker_id).await?;
    let can_add_records = service::may_work_on_records(&mut tx, s, &case).await?;
    let can_distribute = service::allowed(&mut tx, s, service::DISTRIBUTE, case.unit_id, None).await?;
    let units = if can_distribute { org::tree(&mut tx, t).await? } else { vec![] };
    let workers = if can_distribute { users::list(&mut tx, t, None, 500, 0).await?.0 } else { vec![] };
    let project = projects::of_case(&mut tx, t, id).await?;
    let projects = if can_handle || can_distribute {
        projects::list(&mut tx, t)
            .await?
            .into_iter()
            .filter(|p| p.status == ProjectStatus::Open || project.as_ref().is_some_and(|c| c.id == p.id))
            .collect()
    } else {
        vec![]
    };
    // Those who work on the case read the citizens' messages (the citizen sees the receipt).
    let messages = messages::of_case(&mut tx, s, &case, can_add_records, st.now()).await?;
    tx.commit().await?;
    let has_citizen = parties.iter().any(|p| p.kind == "person");
    let next = case.status.next();
    let actions = if can_handle { st.links_for(ctx, LinkArea::Case) } else { vec![] };
    render(&CasePage {
        ctx,
        case,
        records,
        events: timeline,
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
        actions,
        messages,
        has_citizen,
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

async fn post_case_status(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<StatusForm>,
) -> Result<Response> {
    let result = match CaseStatus::parse(&f.status) {
        Some(to) => service::change_status(&st.db, &s, id, to, &f.note, st.now()).await,
        None => Err(Error::invalid("status", "err-case-status")),
    };
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

fn fmt_date(t: &time::OffsetDateTime) -> String {
    t.date().to_string()
}

/// After a change to a case: back to the case page, or the page again with the problem
/// ([`form::submit`]).
pub(super) async fn on_case(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, result: Result<()>) -> Result<Response> {
    form::submit(ctx, result.map(|()| format!("/admin/arenden/{id}")), |errors| case_page(st, ctx, s, id, errors)).await
}
