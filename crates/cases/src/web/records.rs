//! The staff pages of records: a record's page `/admin/handlingar/{id}` and the changes made
//! from it (status, secrecy, documents, deletion of a draft), a document's download, and the
//! approval route with the list of records waiting for the user `/admin/godkannanden`.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Response;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::Staff;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::identity::users::{self, UserSummary};
use radhus_platform::web::field::{Field, FormErrors, Refused};
use radhus_platform::web::form::{self, Form, PathIds, one_or_many};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes, download};
use serde::Deserialize;
use uuid::Uuid;

use super::fields::opt_uuid;
use super::memo_steps::MemoSteps;
use crate::domain::{ApprovalStatus, RecordKind, RecordStatus, SECRET_FIELDS};
use crate::memo::{self, MemoText};
use crate::service::{self, RecordView};
use crate::store::{self, CaseRow, DocumentVersion, RecordRow};
use crate::watches::{self, WatchRow};

pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/admin/handlingar/{id}", get_record)
        .post("/admin/handlingar/{id}/status", post_record_status)
        .get("/admin/handlingar/{id}/faststall", get_establish)
        .post("/admin/handlingar/{id}/oppna", post_reopen)
        .post("/admin/handlingar/{id}/sekretess", post_secrecy)
        .post("/admin/handlingar/{id}/ta-bort", post_delete_record)
        .post("/admin/handlingar/{id}/makulera", post_obliterate)
        .post_upload("/admin/handlingar/{id}/dokument", post_document, service::UPLOAD_LIMIT)
        .post("/admin/handlingar/{id}/godkannande", post_send_for_approval)
        .post("/admin/handlingar/{id}/godkannande/beslut", post_approval_decision)
        .get("/admin/godkannanden", get_approvals)
        .get("/admin/dokument/{id}", get_document)
}

#[derive(Template)]
#[template(path = "cases/record.html")]
struct RecordPage<'a> {
    ctx: &'a Ctx,
    case: CaseRow,
    record: RecordRow,
    versions: Vec<DocumentVersion>,
    next: Option<RecordStatus>,
    can_handle: bool,
    /// A registrar may obliterate this record (it is registered, not dispatched).
    can_obliterate: bool,
    /// The problems of the refused form, linked to its fields.
    errors: FormErrors,
    steps: Vec<store::ApprovalStep>,
    /// Others to send the record to for approval (the form is shown when there are any).
    workers: Vec<UserSummary>,
    my_turn: bool,
    /// The official memo form's fields, when a memo can be written for this record.
    memo: Option<Vec<Field>>,
    /// The memo's workflow, when the record was started as a case's memo (*Skriv
    /// tjänsteskrivelse*) and is not obliterated.
    memo_steps: Option<MemoSteps>,
    /// The memo's latest PDF, once generated.
    memo_pdf: Option<DocumentVersion>,
    memo_generated: bool,
    /// The memo form is shown open when it comes back with a problem.
    memo_open: bool,
    reopen_field: Field,
    reopen_open: bool,
    comment_field: Field,
    approver_fields: Vec<Field>,
    document_fields: Vec<Field>,
    secrecy_fields: Vec<Field>,
    obliterate_field: Field,
    watches: Vec<WatchRow>,
    watch_fields: Vec<Field>,
    watch_open: bool,
}

impl RecordPage<'_> {
    /// The latest version of the record's main document: what an approver decides on.
    fn main_document(&self) -> Option<&DocumentVersion> {
        self.versions.iter().filter(|v| v.role == "main").max_by_key(|v| (v.document_id, v.version_no))
    }
    /// The document's type in words (PDF, text) or its MIME type.
    fn doc_type(&self, mime: &str) -> String {
        match mime {
            "application/pdf" => "PDF".into(),
            m if m.starts_with("text/") => self.ctx.t("approval-doc-text"),
            m => m.to_string(),
        }
    }
    fn approval_label(&self, s: &ApprovalStatus) -> String {
        self.ctx.t(&s.label())
    }
    fn when(&self, t: &time::OffsetDateTime) -> String {
        when(t)
    }
    fn kib(&self, size: &i64) -> String {
        // Swedish number format: decimal comma.
        if *size < 1024 { format!("{size} B") } else { format!("{:.1} kB", *size as f64 / 1024.0).replace('.', ",") }
    }
    fn record_status_label(&self, s: &RecordStatus) -> String {
        self.ctx.t(&s.label())
    }
    fn kind_label(&self, s: &RecordKind) -> String {
        self.ctx.t(&s.label())
    }
    fn deletable(&self) -> bool {
        self.record.status == RecordStatus::Drafted
    }
}

/// A moment as the record pages show it, in Swedish time: "2026-03-02 14:05".
fn when(t: &time::OffsetDateTime) -> String {
    radhus_kernel::tz::stockholm(*t).format(&time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]")).unwrap_or_default()
}

/// The fields of the record page's forms that build on what is stored: the memo's texts and the
/// secrecy marking (what was posted when that form was refused).
fn memo_fields(ctx: &Ctx, r: &Refused, stored: MemoText) -> Vec<Field> {
    let e = &r.errors("memo");
    vec![
        Field::new(ctx, "proposal", "field-proposal").kind("textarea").rows(3).value(r.or("memo", "proposal", stored.proposal)).errors(e),
        Field::new(ctx, "summary", "field-summary")
            .kind("textarea")
            .optional()
            .rows(4)
            .value(r.or("memo", "summary", stored.summary))
            .errors(e),
        Field::new(ctx, "background", "field-background")
            .kind("textarea")
            .optional()
            .rows(6)
            .hint(ctx.t("memo-paragraph-hint"))
            .value(r.or("memo", "background", stored.background))
            .errors(e),
        Field::new(ctx, "assessment", "field-assessment")
            .kind("textarea")
            .optional()
            .rows(4)
            .value(r.or("memo", "assessment", stored.assessment))
            .errors(e),
    ]
}

fn document_fields(ctx: &Ctx, r: &Refused, versions: &[DocumentVersion]) -> Vec<Field> {
    let e = &r.errors("document");
    let doc = r.or("document", "document_id", "");
    let docs = versions
        .iter()
        .filter(|v| v.version_no == 1)
        .map(|v| (v.document_id.to_string(), v.document_title.clone(), v.document_id.to_string() == doc))
        .collect();
    let role = r.or("document", "role", "main");
    let roles = [("main", "documents-main"), ("attachment", "documents-attachment")]
        .iter()
        .map(|(v, l)| (v.to_string(), ctx.t(l), role == *v))
        .collect();
    vec![
        Field::new(ctx, "file", "documents-file").kind("file").hint(ctx.t("documents-hint")).errors(e),
        Field::new(ctx, "title", "field-title").id("doc-title").optional().value(r.or("document", "title", "")).errors(e),
        Field::new(ctx, "document_id", "documents-new-version-of")
            .kind("select")
            .optional()
            .options(docs, ctx.t("documents-new-document"))
            .errors(e),
        Field::new(ctx, "role", "documents-role").kind("select").options(roles, "").errors(e),
    ]
}

fn secrecy_fields(ctx: &Ctx, r: &Refused, record: &RecordRow) -> Vec<Field> {
    let e = &r.errors("secrecy");
    let chosen = r.all("secrecy", "fields");
    let options = SECRET_FIELDS
        .iter()
        .map(|f| {
            let on = chosen.as_ref().map_or_else(|| record.is_secret(f), |c| c.iter().any(|x| x == f));
            (f.to_string(), ctx.t(&format!("secret-field-{f}")), on)
        })
        .collect();
    vec![
        Field::new(ctx, "fields", "secrecy-fields").id("sf").kind("checkboxes").optional().options(options, "").errors(e),
        Field::new(ctx, "secrecy_ground", "field-secrecy_ground")
            .hint(ctx.t("secrecy-ground-hint"))
            .value(r.or("secrecy", "secrecy_ground", record.secrecy_ground.clone()))
            .errors(e),
    ]
}

pub(super) async fn record_page(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, refused: Refused) -> Result<Response> {
    let t = s.tenant_id;
    let RecordView { record, case, documents: versions } = service::read_record(&st.db, s, id).await?;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let can_handle = service::may_work_on_records(&mut tx, s, &case).await?;
    let can_obliterate = record.obliterable() && service::may_obliterate(&mut tx, s, &case).await?;
    let mut steps = store::approvals(&mut tx, t, id).await?;
    let latest = steps.first().map(|a| a.round).unwrap_or(0);
    steps.retain(|a| a.round == latest);
    let route_open = steps.iter().any(|a| a.status.is_open());
    let my_turn = steps.iter().any(|a| a.status == ApprovalStatus::Pending && a.approver_id == s.user_id.0);
    let workers: Vec<UserSummary> = if can_handle && record.status == RecordStatus::Established && !route_open && !record.is_obliterated() {
        users::list(&mut tx, t, None, 500, 0).await?.0.into_iter().filter(|u| u.active && u.id != s.user_id.0).collect()
    } else {
        vec![]
    };
    let stored_memo = memo::state(&mut tx, t, id).await?;
    let watches = watches::of_record(&mut tx, t, id).await?;
    tx.commit().await?;
    let memo_generated = stored_memo.as_ref().is_some_and(|m| m.document.is_some());
    // Versions come newest first within a document.
    let memo_pdf = stored_memo.as_ref().and_then(|m| m.document).and_then(|d| versions.iter().find(|v| v.document_id == d).cloned());
    let memo_steps =
        stored_memo.as_ref().filter(|_| !record.is_obliterated()).map(|_| MemoSteps::of(record.status, memo_generated, route_open));
    let r = &refused;
    // A memo started from the case shows its form open while it is written.
    let memo_open = r.is("memo") || (memo_steps.is_some() && !memo_generated);
    let memo = (can_handle && memo::can_have_memo(&record)).then(|| memo_fields(ctx, r, stored_memo.map(|m| m.text).unwrap_or_default()));
    // Approval is given through the approval route, not as a step of its own.
    // An obliterated record is not worked on.
    let next = record.status.next(record.kind).filter(|n| *n != RecordStatus::Approved && !record.is_obliterated());
    let reopen_field = Field::new(ctx, "reopen_reason", "field-reopen_reason")
        .kind("textarea")
        .hint(ctx.t("record-reopen-hint"))
        .value(r.or("reopen", "reopen_reason", ""))
        .errors(&r.errors("reopen"));
    let comment_field = Field::new(ctx, "comment", "field-comment")
        .kind("textarea")
        .hint(ctx.t("approval-comment-hint"))
        .value(r.or("decision", "comment", ""))
        .errors(&r.errors("decision"));
    let e = &r.errors("approval");
    let approver_fields = (1..=3)
        .map(|n| {
            let name = format!("approver_{n}");
            let chosen = r.or("approval", &name, "");
            let options = workers
                .iter()
                .map(|w| {
                    let label = match &w.org_unit_name {
                        Some(u) => format!("{} ({u})", w.name),
                        None => w.name.clone(),
                    };
                    (w.id.to_string(), label, w.id.to_string() == chosen)
                })
                .collect();
            // The route's problems (`approvers`) are placed at the first approver.
            let f = Field::labelled(ctx, &name, ctx.tr.t1("approval-approver-n", "n", n)).kind("select").options(options, "–").errors(e);
            if n == 1 { f } else { f.optional() }
        })
        .collect::<Vec<_>>();
    let document_fields = document_fields(ctx, r, &versions);
    let secrecy_fields = secrecy_fields(ctx, r, &record);
    let obliterate_field = Field::new(ctx, "obliteration_reason", "field-obliteration_reason")
        .kind("textarea")
        .hint(ctx.t("record-obliterate-hint"))
        .value(r.or("obliterate", "obliteration_reason", ""))
        .errors(&r.errors("obliterate"));
    let watch_fields = super::fields::watch_fields(ctx, r);
    let errors = refused.summary(
        &memo
            .iter()
            .flatten()
            .chain([&reopen_field, &comment_field])
            .chain(&approver_fields)
            .chain(&document_fields)
            .chain(&secrecy_fields)
            .chain([&obliterate_field])
            .chain(&watch_fields)
            .collect::<Vec<_>>(),
    );
    render(&RecordPage {
        ctx,
        case,
        record,
        versions,
        next,
        can_handle,
        can_obliterate,
        errors,
        steps,
        workers,
        my_turn,
        memo,
        memo_steps,
        memo_pdf,
        memo_generated,
        memo_open,
        reopen_field,
        reopen_open: r.refused("reopen"),
        comment_field,
        approver_fields,
        document_fields,
        secrecy_fields,
        obliterate_field,
        watches,
        watch_fields,
        watch_open: r.refused("watch"),
    })
}

async fn get_record(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    record_page(&st, &ctx, &s, id, Refused::none()).await
}

#[derive(Deserialize)]
struct StatusForm {
    status: String,
}

async fn post_record_status(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<StatusForm>,
) -> Result<Response> {
    let result = match RecordStatus::parse(&f.status) {
        Some(to) => service::advance_record(&st.db, &s, id, to, st.now()).await,
        None => Err(Error::invalid("status", "err-record-transition")),
    };
    on_record(&st, &ctx, &s, id, result, |e| Refused::whole("status", e)).await
}

#[derive(Template)]
#[template(path = "cases/record_establish.html")]
struct EstablishPage<'a> {
    ctx: &'a Ctx,
    case: CaseRow,
    record: RecordRow,
    versions: Vec<DocumentVersion>,
}

impl EstablishPage<'_> {
    fn when(&self, t: &time::OffsetDateTime) -> String {
        when(t)
    }
}

/// The confirmation before a record is established (fastställd): what will be fixed, and
/// that changing it afterwards means reopening it and a new approval. The form posts the
/// status change; without this page nothing is established by a stray click.
async fn get_establish(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let RecordView { record, case, documents: versions } = service::read_record(&st.db, &s, id).await?;
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let can_handle = service::may_work_on_records(&mut tx, &s, &case).await?;
    tx.commit().await?;
    if !can_handle {
        return Err(Error::Forbidden);
    }
    if record.is_obliterated() || record.status.next(record.kind) != Some(RecordStatus::Established) {
        // Nothing to confirm: the record page says where it stands.
        return Ok(axum::response::IntoResponse::into_response(axum::response::Redirect::to(&format!("/admin/handlingar/{id}"))));
    }
    render(&EstablishPage { ctx: &ctx, case, record, versions })
}

#[derive(Deserialize)]
struct ReopenForm {
    #[serde(default)]
    reopen_reason: String,
}

async fn post_reopen(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<ReopenForm>,
) -> Result<Response> {
    let result = service::reopen_record(&st.db, &s, id, &f.reopen_reason, st.now()).await;
    on_record(&st, &ctx, &s, id, result, |e| Refused::form("reopen", e, [("reopen_reason", &f.reopen_reason)])).await
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
    let posted = |e| Refused::form("secrecy", e, f.fields.iter().map(|x| ("fields", x)).chain([("secrecy_ground", &f.secrecy_ground)]));
    on_record(&st, &ctx, &s, id, result, posted).await
}

async fn post_delete_record(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let done = service::delete_record(&st.db, &s, id, st.now()).await.map(|case| format!("/admin/arenden/{case}"));
    form::submit_fields(&ctx, done, |errors| record_page(&st, &ctx, &s, id, Refused::whole("delete", errors))).await
}

#[derive(Deserialize)]
struct ObliterateForm {
    #[serde(default)]
    obliteration_reason: String,
}

async fn post_obliterate(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<ObliterateForm>,
) -> Result<Response> {
    let result = service::obliterate_record(&st.db, &s, id, &f.obliteration_reason, st.now()).await;
    on_record(&st, &ctx, &s, id, result, |e| Refused::form("obliterate", e, [("obliteration_reason", &f.obliteration_reason)])).await
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
    let posted = |e| Refused::form("document", e, [("document_id", &doc), ("role", &role), ("title", &title)]);
    on_record(&st, &ctx, &s, id, result, posted).await
}

async fn get_document(State(st): State<AppState>, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let (v, bytes) = service::download(&st.db, &s, id, st.now()).await?;
    Ok(download::attachment(bytes, &v.mime, &v.filename))
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
    // The route's problems (`approvers`) are the first approver's: its select shows them.
    let posted = |e: FormErrors| {
        let e = e.place(&[("approvers", "approver_1", "approver_1")]);
        Refused::form("approval", e, [("approver_1", &f.approver_1), ("approver_2", &f.approver_2), ("approver_3", &f.approver_3)])
    };
    on_record(&st, &ctx, &s, id, result, posted).await
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
    on_record(&st, &ctx, &s, id, result, |e| Refused::form("decision", e, [("comment", &f.comment)])).await
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

/// After a change to a record: back to the record page, or the page again with the problems at
/// the fields of the refused form that `posted` makes of them, and what was typed
/// ([`form::submit_fields`]).
pub(super) async fn on_record(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    result: Result<()>,
    posted: impl FnOnce(FormErrors) -> Refused,
) -> Result<Response> {
    form::submit_fields(ctx, result.map(|()| format!("/admin/handlingar/{id}")), |errors| record_page(st, ctx, s, id, posted(errors))).await
}
