//! The staff pages of cases: the list `/admin/arenden`, a new case, a case's page and the
//! changes made from it (status, assignment, a new record, related cases).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::org;
use radhus_platform::identity::permissions::Staff;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::identity::users;
use radhus_platform::web::field::{Field, FormErrors, Refused};
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
        .post_upload("/admin/arenden", post_case, service::UPLOAD_LIMIT)
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
    /// Words of the diary number or title.
    q: Option<String>,
}

/// The status filter's value for open and suspended cases (the default of *Mina ärenden*);
/// `alla` is every status.
const ACTIVE: &str = "aktiva";
const ANY: &str = "alla";

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
    /// The search words as typed.
    q: String,
    can_register: bool,
    /// Cases of the readable units waiting for a caseworker (for `can_distribute`).
    waiting: i64,
    /// Records waiting for this user's approval.
    approvals: i64,
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
    let can_distribute = s.grants.has_anywhere(service::DISTRIBUTE) || s.grants.has_anywhere(service::REGISTER);
    let view = match q.vy.as_deref() {
        Some(v @ ("mina" | "arbetsgrupp" | "enhet" | "forvaltning" | "alla")) => v.to_string(),
        Some("att-fordela") if can_distribute => "att-fordela".to_string(),
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
        "att-fordela" => {
            filter.units = readable.clone();
            filter.unassigned = true;
        }
        _ => filter.caseworker = Some(s.user_id.0),
    }
    // No status chosen: one's own cases show those still being worked on; the other views all.
    let status = match q.status.as_deref().unwrap_or("") {
        "" if view == "mina" => ACTIVE.to_string(),
        "" => ANY.to_string(),
        v if v == ACTIVE || CaseStatus::parse(v).is_some() => v.to_string(),
        _ => ANY.to_string(),
    };
    filter.status = CaseStatus::parse(&status);
    filter.active_only = status == ACTIVE;
    let text = q.q.as_deref().unwrap_or("").trim().chars().take(200).collect::<String>();
    filter.text = text.split_whitespace().take(8).map(str::to_string).collect();
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
    let waiting = if can_distribute {
        let f = store::CaseFilter { units: readable.clone(), unassigned: true, sort: "opened", ..Default::default() };
        store::list_cases(&mut tx, t, &f, 1, 0).await?.1
    } else {
        0
    };
    let approvals = i64::try_from(store::pending_for(&mut tx, t, s.user_id.0).await?.len()).unwrap_or(i64::MAX);
    tx.commit().await?;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    // The pager's links repeat the filter: built by a URL encoder from validated values only,
    // and escaped again by the template (never `|safe`).
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("vy", &view);
    query.append_pair("status", &status);
    if !text.is_empty() {
        query.append_pair("q", &text);
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
        .chain(can_distribute.then_some(("att-fordela", "cases-view-waiting")))
        .collect(),
        status,
        statuses: CaseStatus::ALL.to_vec(),
        types,
        case_type: filter.case_type.map(|t| t.to_string()).unwrap_or_default(),
        overdue,
        sort: filter.sort.to_string(),
        page,
        pages,
        total,
        query,
        q: text,
        can_register: s.grants.has_anywhere(service::REGISTER),
        waiting,
        approvals,
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
    /// The first record (optional): its direction, empty for none.
    #[serde(default)]
    record_kind: String,
    #[serde(default)]
    record_title: String,
    #[serde(default)]
    record_correspondent: String,
    #[serde(default)]
    record_correspondent_is_person: Option<String>,
    #[serde(default)]
    record_document_date: String,
    #[serde(default)]
    record_received_on: String,
    #[serde(default)]
    record_memo_text: String,
    #[serde(default)]
    record_register: Option<String>,
}

impl CaseForm {
    /// Whether any field of the first record is filled in (its direction or a file aside).
    fn has_record_fields(&self) -> bool {
        [&self.record_title, &self.record_correspondent, &self.record_document_date, &self.record_received_on, &self.record_memo_text]
            .iter()
            .any(|v| !v.trim().is_empty())
    }

    /// Takes one text part of the multipart form; a part that is not text, or holds a control
    /// character, is a problem of its field.
    fn set(&mut self, name: &str, bytes: &[u8], errs: &mut Vec<FieldError>) {
        let Ok(v) = std::str::from_utf8(bytes) else {
            errs.push(FieldError::new(name, "err-form"));
            return;
        };
        if v.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
            errs.push(FieldError::new(name, "err-form-control"));
            return;
        }
        let v = v.to_string();
        match name {
            "case_type_id" => self.case_type_id = v,
            "title" => self.title = v,
            "public_title" => self.public_title = v,
            "unit_id" => self.unit_id = v,
            "caseworker_id" => self.caseworker_id = v,
            "party_role" => self.party_role = v,
            "party_name" => self.party_name = v,
            "party_identity" => self.party_identity = v,
            "party_contact" => self.party_contact = v,
            "record_kind" => self.record_kind = v,
            "record_title" => self.record_title = v,
            "record_correspondent" => self.record_correspondent = v,
            "record_correspondent_is_person" => self.record_correspondent_is_person = Some(v),
            "record_document_date" => self.record_document_date = v,
            "record_received_on" => self.record_received_on = v,
            "record_memo_text" => self.record_memo_text = v,
            "record_register" => self.record_register = Some(v),
            _ => {}
        }
    }
}

/// The file of the first record: its name, declared type and content.
type Upload = (String, String, Vec<u8>);

/// The new-case form as posted: urlencoded (no file) or multipart (with the first record's
/// file). Problems of the parts themselves are returned with the form, to show at the fields.
async fn read_case_form(st: &AppState, req: axum::extract::Request) -> Result<(CaseForm, Option<Upload>, Vec<FieldError>)> {
    use axum::extract::FromRequest;
    let multipart = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let Form(f) = Form::<CaseForm>::from_request(req, st).await?;
        return Ok((f, None, vec![]));
    }
    let mut mp = axum::extract::Multipart::from_request(req, st).await.map_err(|_| Error::invalid("form", "err-form"))?;
    let (mut f, mut file, mut errs) = (CaseForm::default(), None, vec![]);
    while let Some(field) = mp.next_field().await.map_err(|_| Error::TooLarge)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "record_file" {
            let filename = field.file_name().unwrap_or("").to_string();
            let mime = field.content_type().unwrap_or("").to_string();
            let bytes = field.bytes().await.map_err(|_| Error::TooLarge)?;
            // A file field left empty sends a part without a name or content.
            if !(filename.is_empty() && bytes.is_empty()) {
                file = Some((filename, mime, bytes.to_vec()));
            }
        } else {
            let bytes = field.bytes().await.map_err(|_| Error::TooLarge)?;
            f.set(&name, &bytes, &mut errs);
        }
    }
    Ok((f, file, errs))
}

#[derive(Template)]
#[template(path = "cases/new.html")]
struct NewCasePage<'a> {
    ctx: &'a Ctx,
    errors: FormErrors,
    no_types: bool,
    /// The case's own fields: type, title, public title, unit, caseworker.
    fields: Vec<Field>,
    /// The party's fields (a fieldset of its own).
    party: Vec<Field>,
    /// The first record: direction, title and correspondent; then dates, memo text and file.
    record: Vec<Field>,
    record_more: Vec<Field>,
    is_person: bool,
    register: bool,
}

async fn new_case_page(st: &AppState, ctx: &Ctx, s: &StaffUser, form: CaseForm, errors: FormErrors) -> Result<Response> {
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let types: Vec<CaseType> = store::case_types(&mut tx, t).await?.into_iter().filter(|c| c.active).collect();
    let units = org::tree(&mut tx, t).await?;
    let (workers, _) = users::list(&mut tx, t, None, 500, 0).await?;
    tx.commit().await?;
    let errors = FormErrors { heading: ctx.t("cases-error-summary"), ..errors };
    let e = &errors;
    let chosen = |id: String, v: &str| id == v;
    let type_options = types
        .iter()
        .map(|ct| (ct.id.to_string(), format!("{} ({})", ct.name, ct.registry_code), chosen(ct.id.to_string(), &form.case_type_id)))
        .collect();
    let unit_options = units
        .iter()
        .map(|u| (u.id.to_string(), format!("{}{}", "– ".repeat(u.depth), u.name), chosen(u.id.to_string(), &form.unit_id)))
        .collect();
    let worker_options =
        workers.iter().map(|w| (w.id.to_string(), w.name.clone(), chosen(w.id.to_string(), &form.caseworker_id))).collect();
    let fields = vec![
        Field::new(ctx, "case_type_id", "field-case_type_id").kind("select").options(type_options, ctx.t("cases-choose-type")).errors(e),
        Field::new(ctx, "title", "field-title").value(form.title.clone()).errors(e),
        Field::new(ctx, "public_title", "field-public_title")
            .optional()
            .hint(ctx.t("public-title-hint"))
            .value(form.public_title.clone())
            .errors(e),
        Field::new(ctx, "unit_id", "field-unit_id").kind("select").optional().options(unit_options, ctx.t("cases-no-unit")).errors(e),
        Field::new(ctx, "caseworker_id", "field-caseworker_id")
            .kind("select")
            .optional()
            .options(worker_options, ctx.t("cases-unassigned"))
            .errors(e),
    ];
    let roles = ["applicant", "counterparty", "other"]
        .iter()
        .map(|r| (r.to_string(), ctx.t(&format!("party-{r}")), form.party_role == *r))
        .collect();
    let party = vec![
        Field::new(ctx, "party_role", "field-party_role").kind("select").options(roles, "").errors(e),
        Field::new(ctx, "party_name", "field-party_name").autocomplete("off").value(form.party_name.clone()).errors(e),
        Field::new(ctx, "party_identity", "field-party_identity")
            .optional()
            .autocomplete("off")
            .hint(ctx.t("party-identity-hint"))
            .value(form.party_identity.clone())
            .errors(e),
        Field::new(ctx, "party_contact", "field-party_contact").optional().autocomplete("off").value(form.party_contact.clone()).errors(e),
    ];
    let kinds = FIRST_KINDS.iter().map(|k| (k.as_str().to_string(), ctx.t(&k.label()), form.record_kind == k.as_str())).collect();
    let record = vec![
        Field::new(ctx, "record_kind", "field-record_kind").kind("select").options(kinds, ctx.t("cases-first-record-none")).errors(e),
        Field::new(ctx, "record_title", "field-record_title").value(form.record_title.clone()).errors(e),
        Field::new(ctx, "record_correspondent", "field-record_correspondent")
            .hint(ctx.t("cases-first-record-correspondent-hint"))
            .autocomplete("off")
            .value(form.record_correspondent.clone())
            .errors(e),
    ];
    let record_more = vec![
        Field::new(ctx, "record_document_date", "field-record_document_date")
            .kind("date")
            .optional()
            .value(form.record_document_date.clone())
            .errors(e),
        Field::new(ctx, "record_received_on", "field-record_received_on")
            .kind("date")
            .optional()
            .hint(ctx.t("received-hint"))
            .value(form.record_received_on.clone())
            .errors(e),
        Field::new(ctx, "record_memo_text", "field-record_memo_text")
            .kind("textarea")
            .hint(ctx.t("cases-first-record-memo-hint"))
            .rows(4)
            .value(form.record_memo_text.clone())
            .errors(e),
        Field::new(ctx, "record_file", "field-record_file").kind("file").optional().hint(ctx.t("cases-first-record-file-hint")).errors(e),
    ];
    let is_person = form.record_correspondent_is_person.is_some();
    let register = form.record_register.is_some();
    render(&NewCasePage { ctx, errors, no_types: types.is_empty(), fields, party, record, record_more, is_person, register })
}

async fn get_new_case(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff) -> Result<Response> {
    if !s.grants.has_anywhere(service::REGISTER) {
        return Err(Error::Forbidden);
    }
    new_case_page(&st, &ctx, &s, CaseForm { record_register: Some("on".into()), ..CaseForm::default() }, FormErrors::none()).await
}

/// The directions a first record may have on the new-case form (a decision comes later).
const FIRST_KINDS: [RecordKind; 3] = [RecordKind::Inbound, RecordKind::Outbound, RecordKind::Memo];

/// The first record of the new-case form, when one is given (a direction, a field or a file);
/// its problems are added to `errs`.
fn first_record(f: &CaseForm, file: Option<Upload>, errs: &mut Vec<FieldError>) -> Option<service::FirstRecord> {
    if f.record_kind.trim().is_empty() && !f.has_record_fields() && file.is_none() {
        return None;
    }
    let kind = match RecordKind::parse(f.record_kind.trim()).filter(|k| FIRST_KINDS.contains(k)) {
        Some(k) => k,
        None => {
            let msg = if f.record_kind.trim().is_empty() { "err-first-record-kind" } else { "err-record-kind" };
            errs.push(FieldError::new("record_kind", msg));
            RecordKind::Inbound
        }
    };
    let mut date = |field: &str, v: &str| match v.trim() {
        "" => None,
        d => Date::parse(d, &time::format_description::well_known::Iso8601::DATE)
            .map_err(|_| errs.push(FieldError::new(field, "err-date")))
            .ok(),
    };
    let document_date = date("record_document_date", &f.record_document_date);
    let received_on = date("record_received_on", &f.record_received_on);
    let record = NewRecord {
        kind,
        title: f.record_title.clone(),
        correspondent: f.record_correspondent.clone(),
        correspondent_is_person: f.record_correspondent_is_person.is_some(),
        document_date,
        received_on,
        memo_text: f.record_memo_text.clone(),
        register: f.record_register.is_some(),
    };
    Some(service::FirstRecord { record, file })
}

async fn post_case(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, req: axum::extract::Request) -> Result<Response> {
    let (f, file, part_errs) = read_case_form(&st, req).await?;
    let done: Result<String> = async {
        // Every problem of the form at once: the type, the title, the party and the first
        // record are checked here before the use case checks them again with the database.
        let mut errs = part_errs;
        let case_type = match opt_uuid(&f.case_type_id, "case_type_id", "err-case-type-unknown") {
            Ok(Some(id)) => Some(id),
            Ok(None) => {
                errs.push(FieldError::new("case_type_id", "err-case-type-choose"));
                None
            }
            Err(e) => {
                errs.extend(e.field_errors().iter().cloned());
                None
            }
        };
        let title = f.title.trim();
        if title.is_empty() || title.chars().count() > 300 {
            errs.push(FieldError::new("title", "err-case-title"));
        }
        let mut parties = vec![];
        // A party is given when any of its fields is: a number without a name is checked too.
        if [&f.party_name, &f.party_identity, &f.party_contact].iter().any(|v| !v.trim().is_empty()) {
            let role = if f.party_role.is_empty() { "applicant" } else { f.party_role.as_str() };
            match NewParty::from_form(role, &f.party_name, &f.party_identity, &f.party_contact, st.now().date()) {
                Ok(p) => parties.push(p),
                Err(e) => errs.extend(e),
            }
        }
        let first = first_record(&f, file, &mut errs);
        if let Some(first) = &first {
            errs.extend(service::check_first_record(first, st.now()));
        }
        let Some(case_type) = case_type.filter(|_| errs.is_empty()) else { return Err(Error::Invalid(errs)) };
        let n = NewCase {
            case_type,
            title: f.title.clone(),
            public_title: f.public_title.clone(),
            unit: opt_uuid(&f.unit_id, "unit_id", "err-unit-parent")?,
            caseworker: opt_uuid(&f.caseworker_id, "caseworker_id", "err-caseworker-unknown")?,
            parties,
        };
        let (id, _) = service::create_case_with_record(&st.db, &s, &n, first.as_ref(), st.now()).await?;
        Ok(format!("/admin/arenden/{id}?klart=registrerat"))
    }
    .await;
    form::submit_fields(&ctx, done, |errors| new_case_page(&st, &ctx, &s, f, errors)).await
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
    can_handle: bool,
    /// Handling or registering: both may add records (as `service::add_record` allows).
    can_add_records: bool,
    can_distribute: bool,
    /// The problems of the refused form, linked to its fields.
    errors: FormErrors,
    now: time::OffsetDateTime,
    watches: Vec<WatchRow>,
    related: Vec<(Uuid, String, String)>,
    project: Option<Project>,
    /// Other modules' actions on the case (`LinkArea::Case`), for those who may handle it.
    actions: Vec<NavLink>,
    /// The conversation with the case's parties who are persons (`has_citizen`).
    messages: Vec<Message>,
    has_citizen: bool,
    /// What the last change did (after the redirect with `?klart=`), shown as a success message.
    notice: Option<String>,
    /// The new record's kind, title and correspondent; then its dates and memo text.
    record_fields: Vec<Field>,
    record_more: Vec<Field>,
    record_is_person: bool,
    record_register: bool,
    /// The forms inside a `<details>` are shown open when they come back refused.
    record_open: bool,
    message_fields: Vec<Field>,
    message_open: bool,
    status_fields: Vec<Field>,
    assign_fields: Vec<Field>,
    /// The project to put the case in, when there are projects to choose from.
    project_field: Option<Field>,
    related_field: Field,
    watch_fields: Vec<Field>,
    watch_open: bool,
}

impl CasePage<'_> {
    fn date(&self, t: &time::OffsetDateTime) -> String {
        fmt_date(t)
    }
    fn when(&self, t: &time::OffsetDateTime) -> String {
        t.format(&time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]")).unwrap_or_default()
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
}

/// The case page again after one of its forms was refused (`posted`, with its problems).
pub(super) async fn case_page(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, refused: Refused) -> Result<Response> {
    case_page_with(st, ctx, s, id, refused, None).await
}

/// The new record's fields on the case page: kind, title and correspondent, then the dates
/// and the memo text.
fn record_fields(ctx: &Ctx, r: &Refused) -> (Vec<Field>, Vec<Field>) {
    let e = &r.errors("record");
    let v = |name: &str| r.or("record", name, "");
    let chosen = v("kind");
    let kinds = RecordKind::ALL.iter().map(|k| (k.as_str().to_string(), ctx.t(&k.label()), chosen == k.as_str())).collect();
    let first = vec![
        Field::new(ctx, "kind", "records-kind").kind("select").options(kinds, "").errors(e),
        Field::new(ctx, "title", "field-title").id("r-title").value(v("title")).errors(e),
        Field::new(ctx, "correspondent", "field-correspondent").autocomplete("off").value(v("correspondent")).errors(e),
    ];
    let more = vec![
        Field::new(ctx, "document_date", "field-document_date").kind("date").optional().value(v("document_date")).errors(e),
        Field::new(ctx, "received_on", "field-received_on")
            .kind("date")
            .optional()
            .hint(ctx.t("received-hint"))
            .value(v("received_on"))
            .errors(e),
        Field::new(ctx, "memo_text", "field-memo_text").kind("textarea").rows(4).hint(ctx.t("memo-hint")).value(v("memo_text")).errors(e),
    ];
    (first, more)
}

/// The message form to the case's parties: its kind, text and last day.
fn message_fields(ctx: &Ctx, r: &Refused) -> Vec<Field> {
    let e = &r.errors("message");
    let kind = r.or("message", "kind", "message");
    let kinds =
        ["message", "completion_request"].iter().map(|k| (k.to_string(), ctx.t(&format!("messages-kind-{k}")), kind == *k)).collect();
    vec![
        Field::new(ctx, "kind", "messages-kind").id("m-kind").kind("radios").options(kinds, "").errors(e),
        Field::new(ctx, "body", "messages-body").id("m-body").kind("textarea").rows(5).value(r.or("message", "body", "")).errors(e),
        Field::new(ctx, "due_on", "messages-due")
            .id("m-due")
            .kind("date")
            .optional()
            .hint(ctx.t("messages-due-hint"))
            .value(r.or("message", "due_on", ""))
            .errors(e),
    ]
}

/// The case page with the success message of the change just made (`done`, a value of
/// `?klart=`) or the refused form with its problems.
async fn case_page_with(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, refused: Refused, done: Option<&str>) -> Result<Response> {
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
    let projects: Vec<Project> = if can_handle || can_distribute {
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
    let notice = match done {
        Some("registrerat") => Some(ctx.tr.t1("cases-done-registered", "number", &case.number)),
        Some("status") => Some(ctx.tr.t1("cases-done-status", "status", ctx.t(&case.status.label()))),
        Some("fordelat") => Some(ctx.t("cases-done-assigned")),
        Some("handling") => Some(ctx.t("cases-done-record")),
        _ => None,
    };
    let actions = if can_handle { st.links_for(ctx, LinkArea::Case) } else { vec![] };
    let r = &refused;
    let (record_fields, record_more) = record_fields(ctx, r);
    let message_fields = message_fields(ctx, r);
    let e = &r.errors("status");
    let status = r.or("status", "status", "");
    let statuses = next.iter().map(|n| (n.as_str().to_string(), ctx.t(&n.label()), status == n.as_str())).collect();
    let status_fields = vec![
        Field::new(ctx, "status", "cases-new-status")
            .id("new-status")
            .kind("select")
            .options(statuses, ctx.t("cases-choose-status"))
            .errors(e),
        Field::new(ctx, "note", "field-note").optional().hint(ctx.t("cases-status-note-hint")).value(r.or("status", "note", "")).errors(e),
    ];
    let e = &r.errors("assign");
    let unit = r.or("assign", "unit_id", case.unit_id.map(|u| u.to_string()).unwrap_or_default());
    let worker = r.or("assign", "caseworker_id", case.caseworker_id.map(|u| u.to_string()).unwrap_or_default());
    let unit_options =
        units.iter().map(|u| (u.id.to_string(), format!("{}{}", "– ".repeat(u.depth), u.name), u.id.to_string() == unit)).collect();
    let worker_options = workers.iter().map(|w| (w.id.to_string(), w.name.clone(), w.id.to_string() == worker)).collect();
    let assign_fields = vec![
        Field::new(ctx, "unit_id", "field-unit_id")
            .id("a-unit")
            .kind("select")
            .optional()
            .options(unit_options, ctx.t("cases-no-unit"))
            .errors(e),
        Field::new(ctx, "caseworker_id", "field-caseworker_id")
            .id("a-worker")
            .kind("select")
            .optional()
            .options(worker_options, ctx.t("cases-unassigned"))
            .errors(e),
    ];
    let in_project = r.or("project", "project_id", project.as_ref().map(|p| p.id.to_string()).unwrap_or_default());
    let project_field = (!projects.is_empty()).then(|| {
        let options = projects.iter().map(|p| (p.id.to_string(), p.name.clone(), p.id.to_string() == in_project)).collect();
        Field::new(ctx, "project_id", "field-project_id")
            .kind("select")
            .optional()
            .options(options, ctx.t("project-none-option"))
            .errors(&r.errors("project"))
    });
    let related_field = Field::new(ctx, "related_number", "field-related_number")
        .hint(ctx.t("related-number-hint"))
        .value(r.or("related", "related_number", ""))
        .errors(&r.errors("related"));
    let watch_fields = super::fields::watch_fields(ctx, r);
    let errors = refused.summary(
        &record_fields
            .iter()
            .chain(&record_more)
            .chain(&message_fields)
            .chain(&status_fields)
            .chain(&assign_fields)
            .chain(&project_field)
            .chain([&related_field])
            .chain(&watch_fields)
            .collect::<Vec<_>>(),
    );
    render(&CasePage {
        ctx,
        case,
        records,
        events: timeline,
        parties,
        next,
        can_handle,
        can_add_records,
        can_distribute,
        errors,
        now: st.now(),
        watches,
        related,
        project,
        actions,
        messages,
        has_citizen,
        notice,
        record_fields,
        record_more,
        record_is_person: !r.or("record", "correspondent_is_person", "").is_empty(),
        record_register: !r.is("record") || !r.or("record", "register", "").is_empty(),
        record_open: r.refused("record"),
        message_fields,
        message_open: r.refused("message"),
        status_fields,
        assign_fields,
        project_field,
        related_field,
        watch_fields,
        watch_open: r.refused("watch"),
    })
}

#[derive(Deserialize, Default)]
struct CaseQuery {
    /// The change just made: `registrerat`, `status`, `fordelat` or `handling`.
    klart: Option<String>,
}

async fn get_case(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Query(q): Query<CaseQuery>,
) -> Result<Response> {
    case_page_with(&st, &ctx, &s, id, Refused::none(), q.klart.as_deref()).await
}

#[derive(Deserialize)]
struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    note: String,
    /// Set by the confirmation page of *Makulera*.
    #[serde(default)]
    bekraftat: String,
}

#[derive(Template)]
#[template(path = "cases/confirm_obliterate.html")]
struct ConfirmObliteratePage<'a> {
    ctx: &'a Ctx,
    case: CaseRow,
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
        // Obliterating cannot be undone: with its reason, a page asks first (no script dialog).
        Some(CaseStatus::Obliterated) if f.bekraftat != "1" && !f.note.trim().is_empty() => {
            let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
            let case = service::readable_case(&mut tx, &s, id).await?;
            let may = service::allowed(&mut tx, &s, service::HANDLE, case.unit_id, case.caseworker_id).await?;
            tx.commit().await?;
            if !may {
                return Err(Error::Forbidden);
            }
            if case.status.transition(CaseStatus::Obliterated) != crate::domain::Transition::Forbidden {
                return render(&ConfirmObliteratePage { ctx: &ctx, case, note: f.note.trim().to_string() });
            }
            service::change_status(&st.db, &s, id, CaseStatus::Obliterated, &f.note, st.now()).await
        }
        Some(to) => service::change_status(&st.db, &s, id, to, &f.note, st.now()).await,
        None => Err(Error::invalid("status", "err-case-status")),
    };
    let posted = |e| Refused::form("status", e, [("status", &f.status), ("note", &f.note)]);
    on_case_done(&st, &ctx, &s, id, result, "status", posted).await
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
    let posted = |e| Refused::form("assign", e, [("unit_id", &f.unit_id), ("caseworker_id", &f.caseworker_id)]);
    on_case_done(&st, &ctx, &s, id, result, "fordelat", posted).await
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
        let kind = RecordKind::parse(&f.kind).ok_or_else(|| Error::invalid("kind", "err-record-kind"))?;
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
    let posted = |e| {
        Refused::form(
            "record",
            e,
            [
                ("kind", &f.kind),
                ("title", &f.title),
                ("correspondent", &f.correspondent),
                ("correspondent_is_person", &f.correspondent_is_person.clone().unwrap_or_default()),
                ("document_date", &f.document_date),
                ("received_on", &f.received_on),
                ("memo_text", &f.memo_text),
                ("register", &f.register.clone().unwrap_or_default()),
            ],
        )
    };
    on_case_done(&st, &ctx, &s, id, result, "handling", posted).await
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
    on_case(&st, &ctx, &s, id, result, |e| Refused::form("related", e, [("related_number", &f.related_number)])).await
}

fn fmt_date(t: &time::OffsetDateTime) -> String {
    t.date().to_string()
}

/// After a change to a case: back to the case page, or the page again with the problems at
/// the fields of the refused form that `posted` makes of them ([`form::submit_fields`]).
pub(super) async fn on_case(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    result: Result<()>,
    posted: impl FnOnce(FormErrors) -> Refused,
) -> Result<Response> {
    form::submit_fields(ctx, result.map(|()| format!("/admin/arenden/{id}")), |errors| case_page(st, ctx, s, id, posted(errors))).await
}

/// [`on_case`] whose success shows the message of `done` (a value of `?klart=`).
async fn on_case_done(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    result: Result<()>,
    done: &str,
    posted: impl FnOnce(FormErrors) -> Refused,
) -> Result<Response> {
    form::submit_fields(ctx, result.map(|()| format!("/admin/arenden/{id}?klart={done}")), |errors| {
        case_page(st, ctx, s, id, posted(errors))
    })
    .await
}
