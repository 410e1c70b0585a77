//! Messages between a case's caseworker and the citizens who are parties to it, and completion
//! requests (begäran om komplettering), issue 12 item 4.
//!
//! Every message is a record of the case, so the diary stays complete (OSL 5 kap. 1 §) and the
//! public diary masks it as any record: the caseworker's message or request is an outbound
//! record, registered and dispatched at once, with the text as its document; the citizen's
//! answer is an inbound record registered through intake ([`crate::intake`]) with the text and
//! the attached files. `case_message` holds what the two conversation views need (the text,
//! the last day of a request, what an answer answers, the read receipts).
//!
//! The staff side ([`send`], [`withdraw`], [`of_case`]) checks case permissions; the citizen
//! side ([`for_citizen`], [`answer_in`]) runs in the calling module's transaction (*Mina
//! ärenden*) and only for a person who is a party to the case (by the blind index of the
//! number); anything else is "not found".

use radhus_kernel::Personnummer;
use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Event};
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::session::StaffUser;
use radhus_platform::{on_tx, pii};
use serde::Serialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::domain::{CaseError, RecordKind, RecordStatus};
use crate::events;
use crate::intake::{self, By, Document, Inbound};
use crate::service::{self, NewRecord, Who};
use crate::store::{self, CaseRow};

/// The longest message (characters).
pub const MAX_BODY: usize = 5000;

/// What a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// A message from the caseworker.
    Message,
    /// A completion request: what is missing, by when.
    CompletionRequest,
    /// The citizen's message or answer.
    Answer,
}

impl MessageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Message => "message",
            MessageKind::CompletionRequest => "completion_request",
            MessageKind::Answer => "answer",
        }
    }

    pub fn parse(s: &str) -> Option<MessageKind> {
        [MessageKind::Message, MessageKind::CompletionRequest, MessageKind::Answer].into_iter().find(|k| k.as_str() == s)
    }

    /// The title of the record a message becomes (the diary shows it).
    fn record_title(self) -> &'static str {
        match self {
            MessageKind::Message => "Meddelande till part",
            MessageKind::CompletionRequest => "Begäran om komplettering",
            MessageKind::Answer => "Meddelande från part",
        }
    }
}

impl TryFrom<String> for MessageKind {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        MessageKind::parse(&s).ok_or(s)
    }
}

/// One message of a case's conversation.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Message {
    pub id: Uuid,
    pub case_id: Uuid,
    /// Written to the citizen by staff (`true`) or by the citizen.
    pub to_citizen: bool,
    #[sqlx(try_from = "String")]
    pub kind: MessageKind,
    pub body: String,
    pub due_on: Option<Date>,
    pub reply_to: Option<Uuid>,
    pub record_id: Uuid,
    /// The record's diary number, e.g. `KS 2026/12-4`.
    pub record_number: String,
    pub author: String,
    pub created_at: OffsetDateTime,
    /// When the other side read it.
    pub read_at: Option<OffsetDateTime>,
    pub answered_at: Option<OffsetDateTime>,
    pub withdrawn_at: Option<OffsetDateTime>,
    /// An answer that came after its request's last day.
    pub late: bool,
}

impl Message {
    /// A completion request still waiting for the citizen.
    pub fn is_open_request(&self) -> bool {
        self.kind == MessageKind::CompletionRequest && self.answered_at.is_none() && self.withdrawn_at.is_none()
    }
}

const SELECT: &str = "SELECT m.id, m.case_id, m.direction = 'to_citizen' AS to_citizen, m.kind, m.body, m.due_on, m.reply_to, \
    m.record_id, c.number || '-' || r.running_no AS record_number, m.author, m.created_at, m.read_at, m.answered_at, \
    m.withdrawn_at, m.late FROM case_message m JOIN record r ON r.tenant_id = m.tenant_id AND r.id = m.record_id \
    JOIN case_file c ON c.tenant_id = m.tenant_id AND c.id = m.case_id";

async fn list(tx: &mut Tx, t: TenantId, case: Uuid) -> Result<Vec<Message>> {
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE m.tenant_id = $1 AND m.case_id = $2 ORDER BY m.created_at, m.id")))
        .bind(t.0).bind(case).fetch_all(c).await?))
}

async fn one(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<Message>> {
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE m.tenant_id = $1 AND m.id = $2")))
        .bind(t.0).bind(id).fetch_optional(c).await?))
}

struct NewRow<'a> {
    case: Uuid,
    to_citizen: bool,
    kind: MessageKind,
    body: &'a str,
    due_on: Option<Date>,
    reply_to: Option<Uuid>,
    record: Uuid,
    author: &'a str,
    late: bool,
}

async fn insert(tx: &mut Tx, t: TenantId, m: &NewRow<'_>, now: OffsetDateTime) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let direction = if m.to_citizen { "to_citizen" } else { "from_citizen" };
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO case_message (tenant_id, id, case_id, direction, kind, body, due_on, reply_to, record_id, author, created_at, late) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
        .bind(t.0).bind(id).bind(m.case).bind(direction).bind(m.kind.as_str()).bind(m.body).bind(m.due_on).bind(m.reply_to)
        .bind(m.record).bind(m.author).bind(now).bind(m.late).execute(c).await?.rows_affected());
    Ok(id)
}

/// The blind indexes of the case's parties that are persons: the citizens a message goes to.
async fn person_indexes(tx: &mut Tx, t: TenantId, case: Uuid) -> Result<Vec<(String, String)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT pnr_index, name FROM case_party WHERE tenant_id = $1 AND case_id = $2 AND kind = 'person' AND pnr_index IS NOT NULL ORDER BY created_at, id")
        .bind(t.0).bind(case).fetch_all(c).await?))
}

fn check_body(body: &str) -> Option<FieldError> {
    let n = body.trim().chars().count();
    if n == 0 {
        Some(FieldError::new("body", "err-message-body"))
    } else if n > MAX_BODY {
        Some(FieldError::new("body", "err-message-too-long"))
    } else {
        None
    }
}

// ------------------------------------------------------------------ the caseworker's side

/// A message or completion request as the caseworker writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    /// [`MessageKind::Message`] or [`MessageKind::CompletionRequest`].
    pub kind: MessageKind,
    pub body: String,
    /// A completion request's last day (today or later); none for a message.
    pub due_on: Option<Date>,
}

/// Writes a message or completion request to the case's person parties: an outbound record,
/// registered and dispatched, with the text as its document; the timeline, the change event
/// (which *Mina ärenden* shows and notifies about) and the audit log, in one transaction.
pub async fn send(db: &Db, s: &StaffUser, case: Uuid, m: &NewMessage, now: OffsetDateTime) -> Result<Uuid> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let c = service::readable_case(&mut tx, s, case).await?;
    if !service::may_work_on_records(&mut tx, s, &c).await? {
        return Err(Error::Forbidden);
    }
    if !c.status.is_active() {
        return Err(CaseError::CaseNotOpen.into());
    }
    let mut errs: Vec<FieldError> = check_body(&m.body).into_iter().collect();
    match (m.kind, m.due_on) {
        (MessageKind::CompletionRequest, None) => errs.push(FieldError::new("due_on", "err-message-due")),
        (MessageKind::CompletionRequest, Some(d)) if d < now.date() => errs.push(FieldError::new("due_on", "err-message-due-past")),
        (MessageKind::Answer, _) => errs.push(FieldError::new("kind", "err-message-kind")),
        _ => {}
    }
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    let persons = person_indexes(&mut tx, t, case).await?;
    if persons.is_empty() {
        return Err(CaseError::NoCitizenParty.into());
    }
    let who = Who::staff(s);
    let names: Vec<&str> = persons.iter().map(|(_, n)| n.as_str()).collect();
    let record = NewRecord {
        kind: RecordKind::Outbound,
        title: m.kind.record_title().into(),
        correspondent: names.join(", "),
        correspondent_is_person: true,
        document_date: Some(now.date()),
        received_on: None,
        memo_text: String::new(),
        register: true,
    };
    let body = m.body.trim();
    let (record_id, number) = service::insert_record(&mut tx, t, &who, &c, &record, &[], now).await?;
    let text = document_text(m.kind, body, m.due_on);
    let row = store::record(&mut tx, t, record_id).await?.ok_or(Error::NotFound)?;
    service::add_version(
        &mut tx,
        t,
        &who,
        &row,
        &c,
        None,
        "main",
        m.kind.record_title(),
        "meddelande.txt",
        "text/plain",
        text.as_bytes(),
        now,
    )
    .await?;
    store::set_record_status(&mut tx, t, record_id, RecordStatus::Dispatched, None, now).await?;
    store::set_dispatched(&mut tx, t, record_id, now).await?;
    let rec = serde_json::json!({ "record_id": record_id, "record_number": number, "kind": RecordKind::Outbound.as_str() });
    events::emit(&mut tx, t, "record.dispatched", (c.id, &c.number), record_id, rec, now).await?;
    let new = NewRow {
        case,
        to_citizen: true,
        kind: m.kind,
        body,
        due_on: m.due_on,
        reply_to: None,
        record: record_id,
        author: &s.name,
        late: false,
    };
    let id = insert(&mut tx, t, &new, now).await?;
    let indexes: Vec<&str> = persons.iter().map(|(i, _)| i.as_str()).collect();
    let data = serde_json::json!({ "message_id": id, "kind": m.kind.as_str(), "due_on": m.due_on.map(|d| d.to_string()), "record_number": number, "persons": indexes });
    events::emit(&mut tx, t, "message.sent", (c.id, &c.number), id, data, now).await?;
    let timeline = match m.kind {
        MessageKind::CompletionRequest => {
            format!("{number} begäran om komplettering senast {}", m.due_on.map(|d| d.to_string()).unwrap_or_default())
        }
        _ => format!("{number} meddelande till part"),
    };
    store::add_event(&mut tx, t, c.id, &s.name, "message", &timeline, now).await?;
    let event = Event::new("case.message_sent", "case", case)
        .with(serde_json::json!({ "message": id, "kind": m.kind.as_str(), "record": record_id }));
    audit::record(&mut tx, Some(t), &who.actor, event, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// The text of a message's document: what the citizen received, as it was sent.
fn document_text(kind: MessageKind, body: &str, due_on: Option<Date>) -> String {
    match (kind, due_on) {
        (MessageKind::CompletionRequest, Some(d)) => format!("Begäran om komplettering. Svara senast {d}.\n\n{body}\n"),
        _ => format!("{body}\n"),
    }
}

/// Withdraws a completion request that is still open (the caseworker got what was missing
/// another way); the citizen is no longer asked for it.
pub async fn withdraw(db: &Db, s: &StaffUser, message: Uuid, now: OffsetDateTime) -> Result<Uuid> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let m = one(&mut tx, t, message).await?.ok_or(Error::NotFound)?;
    let c = service::readable_case(&mut tx, s, m.case_id).await?;
    if !service::may_work_on_records(&mut tx, s, &c).await? {
        return Err(Error::Forbidden);
    }
    if !m.is_open_request() {
        return Err(CaseError::RequestNotOpen.into());
    }
    on_tx!(&mut tx, c => sqlx::query("UPDATE case_message SET withdrawn_at = $3 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(message).bind(now).execute(c).await?.rows_affected());
    events::emit(&mut tx, t, "completion.withdrawn", (c.id, &c.number), message, serde_json::json!({ "message_id": message }), now).await?;
    store::add_event(&mut tx, t, c.id, &s.name, "message", &format!("{} begäran om komplettering återkallad", m.record_number), now)
        .await?;
    audit::record(
        &mut tx,
        Some(t),
        &Who::staff(s).actor,
        Event::new("case.completion_withdrawn", "case", c.id).with(serde_json::json!({ "message": message })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(c.id)
}

/// The conversation of a case for staff who may read it, oldest first. When the reader works
/// on the case (`mark_read`), the citizens' messages count as read from now (the citizen sees
/// the receipt).
pub async fn of_case(tx: &mut Tx, s: &StaffUser, c: &CaseRow, mark_read: bool, now: OffsetDateTime) -> Result<Vec<Message>> {
    let t = s.tenant_id;
    let mut list = list(tx, t, c.id).await?;
    if mark_read && list.iter().any(|m| !m.to_citizen && m.read_at.is_none()) {
        on_tx!(tx, q => sqlx::query(
            "UPDATE case_message SET read_at = $3 WHERE tenant_id = $1 AND case_id = $2 AND direction = 'from_citizen' AND read_at IS NULL")
            .bind(t.0).bind(c.id).bind(now).execute(q).await?.rows_affected());
        for m in list.iter_mut().filter(|m| !m.to_citizen && m.read_at.is_none()) {
            m.read_at = Some(now);
        }
    }
    Ok(list)
}

// ------------------------------------------------------------------ the citizen's side

/// Is the person a party to the case? (By the blind index; no number is compared in clear.)
async fn is_party(tx: &mut Tx, t: TenantId, case: Uuid, pnr: &Personnummer) -> Result<bool> {
    let index = pii::index(pnr)?;
    Ok(person_indexes(tx, t, case).await?.iter().any(|(i, _)| *i == index))
}

/// A dispatched document of the case the citizen may download: what was sent to them and the
/// decision.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SentDocument {
    pub record_id: Uuid,
    pub record_number: String,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub kind: RecordKind,
    pub dispatched_at: Option<OffsetDateTime>,
    pub version_id: Uuid,
    pub filename: String,
}

/// The conversation of a case for a citizen who is a party to it (`None` otherwise), and the
/// documents dispatched in it; the messages to the citizen count as read from now.
pub async fn for_citizen(
    tx: &mut Tx,
    t: TenantId,
    case: Uuid,
    pnr: &Personnummer,
    now: OffsetDateTime,
) -> Result<Option<(Vec<Message>, Vec<SentDocument>)>> {
    if !is_party(tx, t, case, pnr).await? {
        return Ok(None);
    }
    on_tx!(tx, q => sqlx::query(
        "UPDATE case_message SET read_at = $3 WHERE tenant_id = $1 AND case_id = $2 AND direction = 'to_citizen' AND read_at IS NULL")
        .bind(t.0).bind(case).bind(now).execute(q).await?.rows_affected());
    let messages = list(tx, t, case).await?;
    Ok(Some((messages, sent_documents(tx, t, case).await?)))
}

async fn sent_documents(tx: &mut Tx, t: TenantId, case: Uuid) -> Result<Vec<SentDocument>> {
    Ok(on_tx!(tx, q => sqlx::query_as(
        "SELECT r.id AS record_id, c.number || '-' || r.running_no AS record_number, r.title, r.kind, r.dispatched_at, \
                v.id AS version_id, v.filename \
         FROM record r JOIN case_file c ON c.tenant_id = r.tenant_id AND c.id = r.case_id \
         JOIN document d ON d.tenant_id = r.tenant_id AND d.record_id = r.id \
         JOIN document_version v ON v.tenant_id = d.tenant_id AND v.document_id = d.id \
         WHERE r.tenant_id = $1 AND r.case_id = $2 AND r.status = 'dispatched' \
           AND (r.kind = 'decision' OR (r.kind = 'outbound' AND r.correspondent_is_person = $3)) \
           AND v.version_no = (SELECT MAX(v2.version_no) FROM document_version v2 WHERE v2.tenant_id = d.tenant_id AND v2.document_id = d.id) \
         ORDER BY r.running_no, d.created_at")
        .bind(t.0).bind(case).bind(true).fetch_all(q).await?))
}

/// One dispatched document of the citizen's case, for download: its file name, type and
/// content; `None` when the person is no party or the version is not among the dispatched.
pub async fn citizen_document(
    tx: &mut Tx,
    t: TenantId,
    case: Uuid,
    pnr: &Personnummer,
    version: Uuid,
) -> Result<Option<(String, String, Vec<u8>)>> {
    if !is_party(tx, t, case, pnr).await? || !sent_documents(tx, t, case).await?.iter().any(|d| d.version_id == version) {
        return Ok(None);
    }
    let row: Option<(String, String, Vec<u8>)> = on_tx!(tx, q => sqlx::query_as(
        "SELECT v.filename, v.mime, b.content FROM document_version v JOIN blob b ON b.tenant_id = v.tenant_id AND b.sha256 = v.sha256 \
         WHERE v.tenant_id = $1 AND v.id = $2")
        .bind(t.0).bind(version).fetch_optional(q).await?);
    Ok(row)
}

/// A file the citizen attaches to an answer.
pub type Attachment = Document;

/// The citizen's message: what it answers (a completion request or a message), the text and
/// the files.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    pub reply_to: Option<Uuid>,
    pub body: String,
    pub files: Vec<Attachment>,
}

/// The citizen's message or answer to a completion request, registered as an inbound record of
/// the case (text and files) in the caller's transaction. An answer after the request's last
/// day is accepted and marked late; an answer to a withdrawn request, a message to a case that
/// is not open, or a case the person is no party to is refused (the last as "not found").
pub async fn answer_in(
    tx: &mut Tx,
    t: TenantId,
    (pnr, name): (&Personnummer, &str),
    case: Uuid,
    a: Answer,
    now: OffsetDateTime,
) -> Result<Uuid> {
    if !is_party(tx, t, case, pnr).await? {
        return Err(Error::NotFound);
    }
    let c = store::case(tx, t, case).await?.ok_or(Error::NotFound)?;
    if !c.status.is_active() {
        return Err(CaseError::CaseNotOpen.into());
    }
    let Answer { reply_to, body, files } = a;
    let request = match reply_to {
        Some(id) => {
            let m = one(tx, t, id).await?.filter(|m| m.case_id == case && m.to_citizen).ok_or(Error::NotFound)?;
            if m.withdrawn_at.is_some() {
                return Err(CaseError::RequestWithdrawn.into());
            }
            Some(m)
        }
        None => None,
    };
    if let Some(e) = check_body(&body) {
        return Err(Error::Invalid(vec![e]));
    }
    let body = body.trim();
    let late = request.as_ref().and_then(|m| m.due_on).is_some_and(|d| now.date() > d);
    let answers_request = request.as_ref().is_some_and(|m| m.kind == MessageKind::CompletionRequest);
    let title = if answers_request { "Komplettering från part" } else { MessageKind::Answer.record_title() };
    let mut documents =
        vec![Document { main: true, title: title.into(), filename: "meddelande.txt".into(), bytes: format!("{body}\n").into_bytes() }];
    documents.extend(files.into_iter().map(|f| Document { main: false, ..f }));
    let inbound = Inbound {
        title: title.into(),
        correspondent: name.into(),
        correspondent_is_person: true,
        received_on: None,
        secrecy: None,
        documents,
    };
    let by = By::Citizen { pnr: *pnr, name: name.into() };
    let (record, number) = intake::add_inbound_in(tx, t, &by, case, &inbound, now).await?;
    let new = NewRow { case, to_citizen: false, kind: MessageKind::Answer, body, due_on: None, reply_to, record, author: name, late };
    let id = insert(tx, t, &new, now).await?;
    if let Some(m) = request.as_ref().filter(|m| m.is_open_request()) {
        on_tx!(tx, q => sqlx::query("UPDATE case_message SET answered_at = $3 WHERE tenant_id = $1 AND id = $2")
            .bind(t.0).bind(m.id).bind(now).execute(q).await?.rows_affected());
    }
    let data = serde_json::json!({ "message_id": id, "reply_to": reply_to, "answers_request": answers_request, "late": late, "record_number": number });
    events::emit(tx, t, "message.received", (c.id, &c.number), id, data, now).await?;
    let text = if late { format!("{number} {title} (efter sista dagen)") } else { format!("{number} {title}") };
    store::add_event(tx, t, c.id, name, "message", &text, now).await?;
    let event =
        Event::new("case.message_received", "case", case).with(serde_json::json!({ "message": id, "record": record, "late": late }));
    audit::record(tx, Some(t), &radhus_platform::audit::Actor::citizen(&pnr.to_string(), name), event, now).await?;
    Ok(id)
}
