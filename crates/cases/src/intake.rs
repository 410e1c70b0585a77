//! Intake: how another module puts something into case management without a staff user — a
//! citizen's submission through an e-service becomes a case, a completion becomes an inbound
//! record of it, a meeting's extract is registered into it.
//!
//! Every function works inside the caller's transaction (`…_in`), so that the other module's
//! own change (the submission row, its receipt) and the case are committed together or not at
//! all. The caller names who makes the change ([`By`]: the system or a citizen) and the
//! municipality; the case type's routing chooses the unit and caseworker. Nothing here checks
//! staff permissions: the calling module decides who may submit. Everything else is checked as
//! in the staff use cases (titles, files, secrecy grounds, identity numbers), and the case
//! timeline, the public diary, the change log (`events`) and the audit log are written exactly
//! as when staff register.

use radhus_kernel::Personnummer;
use radhus_kernel::ids::TenantId;
use radhus_platform::audit::Actor;
use radhus_platform::db::Tx;
use radhus_platform::error::{Error, FieldError, Result};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::domain::{CaseError, RecordKind, SECRET_FIELDS};
use crate::parties::{self, NewParty};
use crate::service::{self, NewRecord, Who};
use crate::store;

/// Who makes the change, as the case's timeline and the audit log name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum By {
    /// The platform on behalf of a module, e.g. `System("E-tjänst: Ansökan om bygglov")`.
    System(String),
    /// A citizen identified by e-ID.
    Citizen { pnr: Personnummer, name: String },
}

impl By {
    fn who(&self) -> Who {
        match self {
            By::System(name) => Who { name: name.clone(), actor: Actor { kind: "system", id: String::new(), name: name.clone() } },
            By::Citizen { pnr, name } => Who { name: name.clone(), actor: Actor::citizen(&pnr.to_string(), name) },
        }
    }
}

/// A file of an inbound record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The record's main document (`true`) or an attachment.
    pub main: bool,
    pub title: String,
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// Fields of a record that are secret from the start, with the legal ground (`OSL …`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secrecy {
    pub fields: Vec<String>,
    pub ground: String,
}

/// An inbound record (inkommande handling), registered at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inbound {
    pub title: String,
    pub correspondent: String,
    /// The correspondent is a private person: the public diary shows no name.
    pub correspondent_is_person: bool,
    /// The day it came in; `None` is today.
    pub received_on: Option<Date>,
    pub secrecy: Option<Secrecy>,
    pub documents: Vec<Document>,
}

/// A new case as another module submits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub case_type: Uuid,
    pub title: String,
    /// What the public diary shows; empty is the title (identity numbers are masked either way).
    pub public_title: String,
    pub parties: Vec<NewParty>,
    pub record: Inbound,
}

/// What intake registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub case_id: Uuid,
    pub case_number: String,
    pub record_id: Uuid,
    pub record_number: String,
}

/// Registers a new case of `s.case_type` in municipality `t` with its parties and the inbound
/// record with its documents, routed to the case type's default unit and caseworker.
pub async fn open_case_in(tx: &mut Tx, t: TenantId, by: &By, s: &Submission, now: OffsetDateTime) -> Result<Registered> {
    let ct = store::case_types(tx, t).await?.into_iter().find(|c| c.id == s.case_type && c.active).ok_or(CaseError::IntakeCaseType)?;
    let Some(unit) = ct.default_unit_id else { return Err(CaseError::CaseTypeUnrouted.into()) };
    let title = s.title.trim();
    let mut errs = vec![];
    if title.is_empty() || title.chars().count() > 300 {
        errs.push(FieldError::new("title", "err-case-title"));
    }
    errs.extend(s.parties.iter().flat_map(NewParty::check));
    errs.extend(check_inbound(&s.record, now)?);
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    let who = by.who();
    let public_title = if s.public_title.trim().is_empty() { title } else { s.public_title.trim() };
    let (case_id, case_number) =
        service::open(tx, t, &who, &ct, (title, public_title), (Some(unit), ct.default_caseworker_id), &s.parties, now).await?;
    let c = store::case(tx, t, case_id).await?.ok_or(Error::NotFound)?;
    let (record_id, record_number) = write_inbound(tx, t, &who, &c, &s.record, now).await?;
    Ok(Registered { case_id, case_number, record_id, record_number })
}

/// Adds an inbound record (a completion, komplettering) with its documents to an open case.
pub async fn add_inbound_in(tx: &mut Tx, t: TenantId, by: &By, case: Uuid, r: &Inbound, now: OffsetDateTime) -> Result<(Uuid, String)> {
    let c = store::case(tx, t, case).await?.ok_or(Error::NotFound)?;
    if !c.status.is_active() {
        return Err(CaseError::CaseNotOpen.into());
    }
    let errs = check_inbound(r, now)?;
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    write_inbound(tx, t, &by.who(), &c, r, now).await
}

/// A decision made by another body of the municipality, registered into its case: a
/// committee's extract of the minutes (protokollsutdrag) when the minutes are adjusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub title: String,
    /// The day of the decision (the meeting's day).
    pub decided_on: Date,
    /// The extract as a PDF/A (the record's main document).
    pub document: Document,
}

/// Registers a decision record (kind `Decision`, registered at once) with its document in an
/// open case; the case's timeline, the public diary, the change log (`record.registered`) and
/// the audit log are written as for any registered record.
pub async fn add_decision_in(tx: &mut Tx, t: TenantId, by: &By, case: Uuid, d: &Decision, now: OffsetDateTime) -> Result<(Uuid, String)> {
    let c = store::case(tx, t, case).await?.ok_or(Error::NotFound)?;
    if !c.status.is_active() {
        return Err(CaseError::CaseNotOpen.into());
    }
    let n = NewRecord {
        kind: RecordKind::Decision,
        title: d.title.clone(),
        correspondent: String::new(),
        correspondent_is_person: false,
        document_date: Some(d.decided_on),
        received_on: None,
        memo_text: String::new(),
        register: true,
    };
    let errs = service::check_record(&n, now);
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    let mime = service::check_file(&d.document.filename, "", &d.document.bytes)?;
    let who = by.who();
    let (id, number) = service::insert_record(tx, t, &who, &c, &n, &[], now).await?;
    let record = store::record(tx, t, id).await?.ok_or(Error::NotFound)?;
    let doc = &d.document;
    service::add_version(tx, t, &who, &record, &c, None, "main", &doc.title, &doc.filename, mime, &doc.bytes, now).await?;
    Ok((id, number))
}

/// Dispatches (expedierar) a decision record registered through [`add_decision_in`] to the
/// parties of its case: a committee's extract, established by the adjusted minutes, so it skips
/// the staff route's establishing and approval. The record becomes *expedierad*; the case's
/// timeline, the change log (`record.dispatched`, `decision.dispatched`, which turns the
/// citizen's case *Beslutat* in Mina ärenden) and the audit log are written as when staff
/// dispatch. A record that is not a decision or is already dispatched is refused
/// (`CASE`'s record transition error).
pub async fn dispatch_decision_in(tx: &mut Tx, t: TenantId, by: &By, record: Uuid, now: OffsetDateTime) -> Result<()> {
    use crate::domain::RecordStatus;
    let r = store::record(tx, t, record).await?.ok_or(Error::NotFound)?;
    let c = store::case(tx, t, r.case_id).await?.ok_or(Error::NotFound)?;
    if r.kind != RecordKind::Decision || matches!(r.status, RecordStatus::Drafted | RecordStatus::Dispatched) {
        return Err(CaseError::RecordTransition.into());
    }
    if r.is_obliterated() {
        return Err(CaseError::RecordObliterated.into());
    }
    let who = by.who();
    let number = format!("{}-{}", c.number, r.running_no);
    // The decision goes to the parties with how to appeal it (FL 33 §).
    service::attach_appeal_in(tx, t, &who, &r, &c, now).await?;
    store::set_record_status(tx, t, record, RecordStatus::Dispatched, None, now).await?;
    store::set_dispatched(tx, t, record, now).await?;
    let text = format!("{number}: {} → {}", r.status.swedish(), RecordStatus::Dispatched.swedish());
    store::add_event(tx, t, c.id, &who.name, "record", &text, now).await?;
    let rec = serde_json::json!({ "record_id": record, "record_number": number, "kind": r.kind.as_str() });
    crate::events::emit(tx, t, "record.dispatched", (c.id, &c.number), record, rec.clone(), now).await?;
    crate::events::emit(tx, t, "decision.dispatched", (c.id, &c.number), record, rec, now).await?;
    let ev = radhus_platform::audit::Event::new("record.status_changed", "record", record)
        .with(serde_json::json!({ "from": r.status.as_str(), "to": RecordStatus::Dispatched.as_str() }));
    radhus_platform::audit::record(tx, Some(t), &who.actor, ev, now).await?;
    Ok(())
}

/// Adds a party to a case (a co-applicant, the citizen who takes over a submission).
pub async fn add_party_in(tx: &mut Tx, t: TenantId, by: &By, case: Uuid, p: &NewParty, now: OffsetDateTime) -> Result<Uuid> {
    let c = store::case(tx, t, case).await?.ok_or(Error::NotFound)?;
    let errs = p.check();
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    let who = by.who();
    let id = parties::insert(tx, t, case, p, now).await?;
    store::add_event(tx, t, c.id, &who.name, "party", &p.name, now).await?;
    let persons = parties::person_indexes(std::slice::from_ref(p))?;
    if !persons.is_empty() {
        let added = serde_json::json!({ "title": c.title, "case_type": c.case_type_name, "persons": persons });
        crate::events::emit(tx, t, "case.party_added", (c.id, &c.number), c.id, added, now).await?;
    }
    radhus_platform::audit::record(
        tx,
        Some(t),
        &who.actor,
        radhus_platform::audit::Event::new("case.party_added", "case", case).with(serde_json::json!({ "party": id })),
        now,
    )
    .await?;
    Ok(id)
}

fn as_record(r: &Inbound) -> NewRecord {
    NewRecord {
        kind: RecordKind::Inbound,
        title: r.title.clone(),
        correspondent: r.correspondent.clone(),
        correspondent_is_person: r.correspondent_is_person,
        document_date: None,
        received_on: r.received_on,
        memo_text: String::new(),
        register: true,
    }
}

/// The record's field errors; a file that is refused is an error of the whole intake (its own
/// code), as when staff upload it.
fn check_inbound(r: &Inbound, now: OffsetDateTime) -> Result<Vec<FieldError>> {
    let mut errs = service::check_record(&as_record(r), now);
    if let Some(sec) = &r.secrecy {
        let ground = sec.ground.trim();
        let fields_ok = !sec.fields.is_empty() && sec.fields.iter().all(|f| SECRET_FIELDS.contains(&f.as_str()));
        if !fields_ok || !ground.starts_with("OSL ") || ground.len() > 80 {
            errs.push(FieldError::new("secrecy_ground", "err-secrecy-ground"));
        }
    }
    for d in &r.documents {
        service::check_file(&d.filename, "", &d.bytes)?;
    }
    Ok(errs)
}

async fn write_inbound(
    tx: &mut Tx,
    t: TenantId,
    who: &Who,
    c: &store::CaseRow,
    r: &Inbound,
    now: OffsetDateTime,
) -> Result<(Uuid, String)> {
    let secret: Vec<String> = r.secrecy.as_ref().map(|s| s.fields.clone()).unwrap_or_default();
    let (id, number) = service::insert_record(tx, t, who, c, &as_record(r), &secret, now).await?;
    if let Some(sec) = &r.secrecy {
        service::set_secrecy_in(tx, t, who, c, id, &sec.fields, sec.ground.trim(), now).await?;
    }
    let record = store::record(tx, t, id).await?.ok_or(Error::NotFound)?;
    let mut has_main = false;
    for d in &r.documents {
        let mime = service::check_file(&d.filename, "", &d.bytes)?;
        let role = if d.main && !has_main { "main" } else { "attachment" };
        has_main |= role == "main";
        service::add_version(tx, t, who, &record, c, None, role, &d.title, &d.filename, mime, &d.bytes, now).await?;
    }
    Ok((id, number))
}
