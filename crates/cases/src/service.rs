//! Use cases of case management. Each opens one transaction, checks permissions against
//! the organisation tree, writes the case timeline and the audit log with the change.

use radhus_kernel::ids::{OrgUnitId, TenantId};
use radhus_kernel::{DiaryNumber, NumberFormat};
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::org;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::search;
use sha2::{Digest, Sha256};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::appeal;
use crate::domain::{ApprovalStatus, CaseError, CaseStatus, RecordKind, RecordStatus, SECRET_FIELDS, Transition};
use crate::events;
use crate::parties::{self, NewParty, Party};
use crate::store::{self, CaseEvent, CaseRow, DocumentVersion, RecordRow};

pub const READ: &str = "cases.read";
pub const HANDLE: &str = "cases.handle";
pub const REGISTER: &str = "cases.register";
pub const DISTRIBUTE: &str = "cases.distribute";
pub const REOPEN: &str = "cases.reopen";
/// Administers registries, case types and their appeal instructions (defined at the crate root
/// so that areas below the service may check it).
pub use crate::ADMIN;

/// Largest document accepted (bytes).
pub const MAX_FILE: usize = 20 * 1024 * 1024;
/// Largest upload request: one file of `MAX_FILE` and the multipart form around it. Bigger
/// bodies are cut off by the server; bodies between `MAX_FILE` and this get `CASE-006`.
pub const UPLOAD_LIMIT: usize = MAX_FILE + 256 * 1024;

/// File types a record's document may have; anything executable is refused.
pub const ALLOWED_TYPES: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("txt", "text/plain"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("tif", "image/tiff"),
    ("tiff", "image/tiff"),
    ("eml", "message/rfc822"),
];

/// Who makes a change: the name on the case's timeline and on what it registers, and the
/// actor in the audit log. A staff user, or (intake, `crate::intake`) the system or a citizen.
pub(crate) struct Who {
    pub name: String,
    pub actor: Actor,
}

impl Who {
    pub(crate) fn staff(s: &StaffUser) -> Who {
        Who { name: s.name.clone(), actor: Actor::staff(s) }
    }
}

/// May `s` use `permission` on a case of `unit`? The case's own caseworker always may work on it.
pub async fn allowed(tx: &mut Tx, s: &StaffUser, permission: &str, unit: Option<Uuid>, caseworker: Option<Uuid>) -> Result<bool> {
    if caseworker == Some(s.user_id.0) && matches!(permission, READ | HANDLE) {
        return Ok(true);
    }
    match unit {
        Some(u) => {
            let path = org::path_to_root(tx, s.tenant_id, OrgUnitId(u)).await?;
            Ok(s.grants.allows(permission, &path))
        }
        None => Ok(s.grants.whole_municipality(permission)),
    }
}

/// The units whose cases a user may read by permission (`None`: all of them). The cases
/// they handle themselves come on top (see [`allowed`]).
pub async fn readable_units(tx: &mut Tx, s: &StaffUser) -> Result<Option<Vec<Uuid>>> {
    let mut roots: Vec<OrgUnitId> = vec![];
    for p in [READ, HANDLE, REGISTER, DISTRIBUTE] {
        match s.grants.scopes(p) {
            None if s.grants.has_anywhere(p) => return Ok(None),
            None => {}
            Some(r) => roots.extend(r),
        }
    }
    Ok(Some(org::subtree(tx, s.tenant_id, &roots).await?.into_iter().map(|u| u.0).collect()))
}

/// Loads a case the user may read; others get "not found" (existence is not revealed).
pub async fn readable_case(tx: &mut Tx, s: &StaffUser, id: Uuid) -> Result<CaseRow> {
    let c = store::case(tx, s.tenant_id, id).await?.ok_or(Error::NotFound)?;
    for p in [READ, HANDLE, REGISTER, DISTRIBUTE] {
        if allowed(tx, s, p, c.unit_id, c.caseworker_id).await? {
            return Ok(c);
        }
    }
    // Someone asked to approve a record of the case may read it.
    if store::is_approver_in_case(tx, s.tenant_id, id, s.user_id.0).await? {
        return Ok(c);
    }
    Err(Error::NotFound)
}

/// Records of a case are worked on by those who handle it and by registrars (who register
/// incoming mail into any case in their scope).
pub async fn may_work_on_records(tx: &mut Tx, s: &StaffUser, c: &CaseRow) -> Result<bool> {
    Ok(allowed(tx, s, HANDLE, c.unit_id, c.caseworker_id).await? || allowed(tx, s, REGISTER, c.unit_id, None).await?)
}

async fn require(tx: &mut Tx, s: &StaffUser, permission: &str, c: &CaseRow) -> Result<()> {
    if allowed(tx, s, permission, c.unit_id, c.caseworker_id).await? { Ok(()) } else { Err(Error::Forbidden) }
}

fn public_case_text(c_number: &str, public_title: &str) -> String {
    search::stem_text(&format!("{c_number} {public_title}"))
}

// ------------------------------------------------------------------ registries and types

pub async fn create_registry(db: &Db, s: &StaffUser, code: &str, name: &str, format: &str, now: OffsetDateTime) -> Result<Uuid> {
    if !s.grants.whole_municipality(ADMIN) {
        return Err(Error::Forbidden);
    }
    let mut errs = vec![];
    let code = code.trim().to_uppercase();
    if DiaryNumber::parse(&format!("{code} 2026/1")).is_err() {
        errs.push(FieldError::new("code", "err-registry-code"));
    }
    if name.trim().is_empty() {
        errs.push(FieldError::new("name", "err-registry-name"));
    }
    let format = if format.trim().is_empty() { NumberFormat::default().pattern().to_string() } else { format.trim().to_string() };
    if NumberFormat::parse(&format).is_err() {
        errs.push(FieldError::new("number_format", "err-number-format"));
    }
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let id = Uuid::now_v7();
    radhus_platform::db::unique_conflict(
        store::insert_registry(&mut tx, t, id, &code, name.trim(), &format, now).await,
        "err-registry-exists",
    )?;
    audit::record(
        &mut tx,
        Some(t),
        &Actor::staff(s),
        Event::new("registry.created", "registry", id).with(serde_json::json!({ "code": code })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn create_class(
    db: &Db,
    s: &StaffUser,
    code: &str,
    title: &str,
    retention_years: Option<i32>,
    now: OffsetDateTime,
) -> Result<Uuid> {
    if !s.grants.whole_municipality(ADMIN) {
        return Err(Error::Forbidden);
    }
    let mut errs = vec![];
    if code.trim().is_empty() || code.trim().len() > 20 {
        errs.push(FieldError::new("code", "err-class-code"));
    }
    if title.trim().is_empty() {
        errs.push(FieldError::new("title", "err-class-title"));
    }
    if retention_years.is_some_and(|y| !(1..=200).contains(&y)) {
        errs.push(FieldError::new("retention_years", "err-retention"));
    }
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let id = Uuid::now_v7();
    radhus_platform::db::unique_conflict(
        store::insert_class(&mut tx, t, id, code.trim(), title.trim(), retention_years, now).await,
        "err-class-exists",
    )?;
    audit::record(
        &mut tx,
        Some(t),
        &Actor::staff(s),
        Event::new("class.created", "case_class", id).with(serde_json::json!({ "code": code.trim() })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn create_case_type(
    db: &Db,
    s: &StaffUser,
    name: &str,
    registry: Uuid,
    class: Option<Uuid>,
    target_days: i32,
    now: OffsetDateTime,
) -> Result<Uuid> {
    if !s.grants.whole_municipality(ADMIN) {
        return Err(Error::Forbidden);
    }
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let mut errs = vec![];
    if name.trim().is_empty() {
        errs.push(FieldError::new("name", "err-case-type-name"));
    }
    if store::registry(&mut tx, t, registry).await?.is_none() {
        errs.push(FieldError::new("registry_id", "err-registry-unknown"));
    }
    if let Some(cl) = class
        && !store::classes(&mut tx, t).await?.iter().any(|c| c.id == cl)
    {
        errs.push(FieldError::new("class_id", "err-class-unknown"));
    }
    if !(1..=3650).contains(&target_days) {
        errs.push(FieldError::new("target_days", "err-target-days"));
    }
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    let id = Uuid::now_v7();
    radhus_platform::db::unique_conflict(
        store::insert_case_type(&mut tx, t, id, name.trim(), registry, class, target_days, now).await,
        "err-case-type-exists",
    )?;
    audit::record(
        &mut tx,
        Some(t),
        &Actor::staff(s),
        Event::new("case_type.created", "case_type", id).with(serde_json::json!({ "name": name.trim() })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Sets where cases of a type that come in without staff (a citizen's submission through an
/// e-service) go: a unit, and optionally a caseworker of the municipality.
pub async fn set_routing(
    db: &Db,
    s: &StaffUser,
    case_type: Uuid,
    unit: Option<Uuid>,
    caseworker: Option<Uuid>,
    now: OffsetDateTime,
) -> Result<()> {
    if !s.grants.whole_municipality(ADMIN) {
        return Err(Error::Forbidden);
    }
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    if !store::case_types(&mut tx, t).await?.iter().any(|c| c.id == case_type) {
        return Err(Error::NotFound);
    }
    let mut errs = vec![];
    if let Some(u) = unit
        && org::get(&mut tx, t, OrgUnitId(u)).await.is_err()
    {
        errs.push(FieldError::new("unit_id", "err-unit-parent"));
    }
    if caseworker.is_some() && unit.is_none() {
        errs.push(FieldError::new("unit_id", "err-routing-unit"));
    }
    if let Some(w) = caseworker
        && radhus_platform::identity::users::summary(&mut tx, t, radhus_kernel::ids::UserId(w)).await.is_err()
    {
        errs.push(FieldError::new("caseworker_id", "err-caseworker-unknown"));
    }
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    store::set_case_type_routing(&mut tx, t, case_type, unit, caseworker).await?;
    audit::record(
        &mut tx,
        Some(t),
        &Actor::staff(s),
        Event::new("case_type.routing_set", "case_type", case_type).with(serde_json::json!({ "unit": unit, "caseworker": caseworker })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ------------------------------------------------------------------ cases

#[derive(Debug, Clone, Default)]
pub struct NewCase {
    pub case_type: Uuid,
    pub title: String,
    /// Empty: the same as the title.
    pub public_title: String,
    pub unit: Option<Uuid>,
    pub caseworker: Option<Uuid>,
    pub parties: Vec<NewParty>,
}

/// Registers a new case with the next number of its type's registry for this year.
pub async fn create_case(db: &Db, s: &StaffUser, n: &NewCase, now: OffsetDateTime) -> Result<(Uuid, String)> {
    let mut tx = db.write(Scope::Tenant(s.tenant_id)).await?;
    let created = create_case_in(&mut tx, s, n, now).await?;
    tx.commit().await?;
    Ok(created)
}

/// [`create_case`] inside the caller's transaction, for a use case of another module that
/// registers a case as part of its own change (an eBlomlåda action becoming a case).
pub async fn create_case_in(tx: &mut Tx, s: &StaffUser, n: &NewCase, now: OffsetDateTime) -> Result<(Uuid, String)> {
    let t = s.tenant_id;
    let mut errs = vec![];
    let title = n.title.trim();
    if title.is_empty() || title.chars().count() > 300 {
        errs.push(FieldError::new("title", "err-case-title"));
    }
    let types = store::case_types(tx, t).await?;
    let Some(ct) = types.into_iter().find(|c| c.id == n.case_type && c.active) else {
        errs.push(FieldError::new("case_type_id", "err-case-type-unknown"));
        return Err(Error::Invalid(errs));
    };
    if let Some(u) = n.unit
        && org::get(tx, t, OrgUnitId(u)).await.is_err()
    {
        errs.push(FieldError::new("unit_id", "err-unit-parent"));
    }
    if let Some(w) = n.caseworker
        && radhus_platform::identity::users::summary(tx, t, radhus_kernel::ids::UserId(w)).await.is_err()
    {
        errs.push(FieldError::new("caseworker_id", "err-caseworker-unknown"));
    }
    errs.extend(n.parties.iter().flat_map(NewParty::check));
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    if !allowed(tx, s, REGISTER, n.unit, None).await? {
        return Err(Error::Forbidden);
    }
    let public_title = if n.public_title.trim().is_empty() { title } else { n.public_title.trim() };
    open(tx, t, &Who::staff(s), &ct, (title, public_title), (n.unit, n.caseworker), &n.parties, now).await
}

/// The first record of a new case, given on the new-case form: the record and, optionally,
/// its main document (file name, declared type, content).
#[derive(Debug, Clone)]
pub struct FirstRecord {
    pub record: NewRecord,
    pub file: Option<(String, String, Vec<u8>)>,
}

/// A record field's problem as the new-case form names it: `title` is `record_title` and so
/// on, since the case has fields of the same names; a refused file is `record_file`.
fn first_record_field(e: FieldError) -> FieldError {
    let message = if e.field == "title" { "err-first-record-title".to_string() } else { e.message };
    FieldError { field: format!("record_{}", e.field), message }
}

/// The problems of a first record and its file, all at once, named as on the new-case form.
pub fn check_first_record(first: &FirstRecord, now: OffsetDateTime) -> Vec<FieldError> {
    let mut errs: Vec<FieldError> = check_record(&first.record, now).into_iter().map(first_record_field).collect();
    if let Some((name, declared, bytes)) = &first.file {
        match check_file(name, declared, bytes) {
            Ok(_) => {}
            Err(Error::Invalid(fs)) => errs.extend(fs.into_iter().map(first_record_field)),
            Err(Error::Rule { message, .. }) => errs.push(FieldError::new("record_file", message)),
            Err(_) => errs.push(FieldError::new("record_file", "err-file-type")),
        }
    }
    errs
}

/// Registers a new case ([`create_case_in`]) and, when given, its first record with its main
/// document ([`insert_record`], [`add_version`]), in one transaction: an inbound record is
/// registered at once as every inbound record is. Every problem of the case and the record
/// is refused together, and nothing is written.
pub async fn create_case_with_record(
    db: &Db,
    s: &StaffUser,
    n: &NewCase,
    first: Option<&FirstRecord>,
    now: OffsetDateTime,
) -> Result<(Uuid, String)> {
    let t = s.tenant_id;
    let record_errs = first.map(|f| check_first_record(f, now)).unwrap_or_default();
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (id, number) = match create_case_in(&mut tx, s, n, now).await {
        Ok(created) if record_errs.is_empty() => created,
        Ok(_) => return Err(Error::Invalid(record_errs)),
        Err(Error::Invalid(mut errs)) => {
            errs.extend(record_errs);
            return Err(Error::Invalid(errs));
        }
        Err(e) => return Err(e),
    };
    if let Some(first) = first {
        let c = readable_case(&mut tx, s, id).await?;
        if !may_work_on_records(&mut tx, s, &c).await? {
            return Err(Error::Forbidden);
        }
        let who = Who::staff(s);
        let (record, _) = insert_record(&mut tx, t, &who, &c, &first.record, &[], now).await?;
        if let Some((name, declared, bytes)) = &first.file {
            let mime = check_file(name, declared, bytes)?;
            let r = store::record(&mut tx, t, record).await?.ok_or(Error::NotFound)?;
            add_version(&mut tx, t, &who, &r, &c, None, "main", "", name, mime, bytes, now).await?;
        }
    }
    tx.commit().await?;
    Ok((id, number))
}

/// Registers a case whose input is checked: the next number of the type's registry, the
/// public diary's index, the parties, the timeline, the change event and the audit log.
#[expect(clippy::too_many_arguments, reason = "the case's parts")]
pub(crate) async fn open(
    tx: &mut Tx,
    t: TenantId,
    who: &Who,
    ct: &store::CaseType,
    (title, public_title): (&str, &str),
    (unit, caseworker): (Option<Uuid>, Option<Uuid>),
    parties: &[NewParty],
    now: OffsetDateTime,
) -> Result<(Uuid, String)> {
    let registry = store::registry(tx, t, ct.registry_id).await?.ok_or(Error::NotFound)?;
    let year = now.year();
    let seq = store::next_seq(tx, t, registry.id, year).await?;
    let format = NumberFormat::parse(&registry.number_format).unwrap_or_default();
    let number = format.render(&DiaryNumber { registry: registry.code.clone(), year, seq: u32::try_from(seq).unwrap_or(0), record: None });
    let public_title = search::mask_identity_numbers(public_title);
    let id = Uuid::now_v7();
    let due = now + Duration::days(i64::from(ct.target_days));
    let text = public_case_text(&number, &public_title);
    store::insert_case(
        tx,
        t,
        id,
        registry.id,
        year,
        seq,
        &number,
        title,
        &public_title,
        ct.id,
        ct.class_id,
        unit,
        caseworker,
        due,
        &text,
        now,
    )
    .await?;
    store::index_public(tx, t, "case", id, Some(&text)).await?;
    for p in parties {
        parties::insert(tx, t, id, p, now).await?;
    }
    store::add_event(tx, t, id, &who.name, "created", &format!("{number}: {title}"), now).await?;
    // What a subscriber needs without reading the case tables: *Mina ärenden* lists the case
    // for each person party, found by the blind index of the number (never the number).
    let persons = parties::person_indexes(parties)?;
    let opened = serde_json::json!({
        "case_type_id": ct.id, "case_type": ct.name, "title": title, "unit_id": unit, "caseworker_id": caseworker, "persons": persons,
    });
    events::emit(tx, t, "case.opened", (id, &number), id, opened, now).await?;
    audit::record(tx, Some(t), &who.actor, Event::new("case.created", "case", id).with(serde_json::json!({ "number": number })), now)
        .await?;
    Ok((id, number))
}

/// Moves a case through its state machine. Closing needs every record registered;
/// reopening a closed case needs `cases.reopen` and is logged; reopening and obliterating
/// need a reason (`note`).
pub async fn change_status(db: &Db, s: &StaffUser, id: Uuid, to: CaseStatus, note: &str, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let c = readable_case(&mut tx, s, id).await?;
    require(&mut tx, s, HANDLE, &c).await?;
    let from = c.status;
    match from.transition(to) {
        Transition::Forbidden => return Err(CaseError::CaseTransition.into()),
        Transition::Reopen => {
            if !allowed(&mut tx, s, REOPEN, c.unit_id, None).await? {
                return Err(CaseError::ReopenNotAllowed.into());
            }
            if note.trim().is_empty() {
                return Err(Error::invalid("note", "err-reopen-reason"));
            }
        }
        Transition::Allowed => {}
    }
    // Obliterating (makulera) takes the case out of the working views and the public diary:
    // the reason is kept on the timeline and in the audit log.
    if to == CaseStatus::Obliterated && note.trim().is_empty() {
        return Err(Error::invalid("note", "err-obliterate-reason"));
    }
    if to == CaseStatus::Closed && store::records(&mut tx, t, id).await?.iter().any(|r| r.status == RecordStatus::Drafted) {
        return Err(CaseError::CloseWithDrafts.into());
    }
    let closed_at = (to == CaseStatus::Closed).then_some(now);
    store::set_case_status(&mut tx, t, id, to, closed_at, now).await?;
    if to == CaseStatus::Obliterated {
        store::index_public(&mut tx, t, "case", id, None).await?;
    }
    let text = if note.trim().is_empty() {
        format!("{} → {}", from.swedish(), to.swedish())
    } else {
        format!("{} → {}: {}", from.swedish(), to.swedish(), note.trim())
    };
    store::add_event(&mut tx, t, id, &s.name, "status", &text, now).await?;
    let moved = serde_json::json!({ "from": from.as_str(), "to": to.as_str() });
    events::emit(&mut tx, t, "case.status_changed", (id, &c.number), id, moved.clone(), now).await?;
    match to {
        CaseStatus::Closed => events::emit(&mut tx, t, "case.closed", (id, &c.number), id, moved, now).await?,
        CaseStatus::Obliterated => events::emit(&mut tx, t, "case.obliterated", (id, &c.number), id, moved, now).await?,
        _ => {}
    }
    let action = if from.transition(to) == Transition::Reopen { "case.reopened" } else { "case.status_changed" };
    audit::record(
        &mut tx,
        Some(t),
        &Actor::staff(s),
        Event::new(action, "case", id).with(serde_json::json!({ "from": from.as_str(), "to": to.as_str(), "note": note.trim() })),
        now,
    )
    .await?;
    // The public diary shows the status and the responsible unit.
    store::public_changed(&mut tx, t).await?;
    tx.commit().await?;
    Ok(())
}

/// Distributes a case to a unit and a caseworker (fördelning).
pub async fn assign(db: &Db, s: &StaffUser, id: Uuid, unit: Option<Uuid>, caseworker: Option<Uuid>, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let c = readable_case(&mut tx, s, id).await?;
    require(&mut tx, s, DISTRIBUTE, &c).await?;
    // The new unit must lie within the distributor's scope too.
    if !allowed(&mut tx, s, DISTRIBUTE, unit, None).await? {
        return Err(Error::invalid("unit_id", "err-unit-scope"));
    }
    let worker_name = match caseworker {
        Some(w) => Some(
            radhus_platform::identity::users::summary(&mut tx, t, radhus_kernel::ids::UserId(w))
                .await
                .map_err(|_| Error::invalid("caseworker_id", "err-caseworker-unknown"))?
                .name,
        ),
        None => None,
    };
    if let Some(u) = unit {
        org::get(&mut tx, t, OrgUnitId(u)).await.map_err(|_| Error::invalid("unit_id", "err-unit-parent"))?;
    }
    store::assign_case(&mut tx, t, id, unit, caseworker, now).await?;
    store::add_event(&mut tx, t, id, &s.name, "assigned", worker_name.as_deref().unwrap_or("–"), now).await?;
    let to = serde_json::json!({ "unit_id": unit, "caseworker_id": caseworker });
    events::emit(&mut tx, t, "case.assigned", (id, &c.number), id, to, now).await?;
    audit::record(
        &mut tx,
        Some(t),
        &Actor::staff(s),
        Event::new("case.assigned", "case", id).with(serde_json::json!({ "unit": unit, "caseworker": caseworker })),
        now,
    )
    .await?;
    // The public diary shows the status and the responsible unit.
    store::public_changed(&mut tx, t).await?;
    tx.commit().await?;
    Ok(())
}

// ------------------------------------------------------------------ records

#[derive(Debug, Clone)]
pub struct NewRecord {
    pub kind: RecordKind,
    pub title: String,
    pub correspondent: String,
    pub correspondent_is_person: bool,
    pub document_date: Option<Date>,
    /// Inbound records: the day it came in (inkom); empty means the day it is registered.
    pub received_on: Option<Date>,
    pub memo_text: String,
    /// Register at once (the registrar's usual path for inbound mail).
    pub register: bool,
}

fn record_public_text(number: &str, r_title: &str, correspondent: &str, is_person: bool, secret: &[String]) -> String {
    let title = if secret.iter().any(|f| f == "title") { "" } else { r_title };
    let corr = if secret.iter().any(|f| f == "correspondent") || is_person { "" } else { correspondent };
    search::stem_text(&format!("{number} {title} {corr}"))
}

/// The checks of a new record's fields, all errors at once.
pub(crate) fn check_record(n: &NewRecord, now: OffsetDateTime) -> Vec<FieldError> {
    let mut errs = vec![];
    if n.title.trim().is_empty() || n.title.chars().count() > 300 {
        errs.push(FieldError::new("title", "err-record-title"));
    }
    if n.kind == RecordKind::Memo && n.memo_text.trim().is_empty() {
        // FL 27 §: a memo documents what was said or done; it needs the text.
        errs.push(FieldError::new("memo_text", "err-memo-text"));
    }
    if matches!(n.kind, RecordKind::Inbound | RecordKind::Outbound) && n.correspondent.trim().is_empty() {
        errs.push(FieldError::new("correspondent", "err-correspondent"));
    }
    if n.received_on.is_some_and(|d| d > now.date()) {
        errs.push(FieldError::new("received_on", "err-received-future"));
    }
    errs
}

/// Adds a record to a case: drafted, or registered at once with the next running number.
pub async fn add_record(db: &Db, s: &StaffUser, case: Uuid, n: &NewRecord, now: OffsetDateTime) -> Result<Uuid> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let c = readable_case(&mut tx, s, case).await?;
    if !may_work_on_records(&mut tx, s, &c).await? {
        return Err(Error::Forbidden);
    }
    if !c.status.is_active() {
        return Err(CaseError::CaseNotOpen.into());
    }
    let errs = check_record(n, now);
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    let (id, _) = insert_record(&mut tx, t, &Who::staff(s), &c, n, &[], now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Writes a checked record into a case: the next running number, the public diary's index
/// (with `secret` fields already hidden), the change event when registered, the timeline and
/// the audit log. Returns the record and its number.
pub(crate) async fn insert_record(
    tx: &mut Tx,
    t: TenantId,
    who: &Who,
    c: &CaseRow,
    n: &NewRecord,
    secret: &[String],
    now: OffsetDateTime,
) -> Result<(Uuid, String)> {
    let running_no = store::next_running_no(tx, t, c.id).await?;
    let id = Uuid::now_v7();
    let title = search::mask_identity_numbers(n.title.trim());
    // A received document is an official document on arrival (TF 2 kap. 9 §) and is registered
    // without delay (OSL 5 kap. 1 §): an inbound record is never a draft.
    let register = n.register || n.kind == RecordKind::Inbound;
    let n = &NewRecord { register, ..n.clone() };
    let status = if n.register { RecordStatus::Registered } else { RecordStatus::Drafted };
    let number = format!("{}-{running_no}", c.number);
    let text = record_public_text(&number, &title, n.correspondent.trim(), n.correspondent_is_person, secret);
    store::insert_record(
        tx,
        t,
        &store::NewRecordRow {
            id,
            case_id: c.id,
            running_no,
            kind: n.kind,
            title: &title,
            correspondent: n.correspondent.trim(),
            correspondent_is_person: n.correspondent_is_person,
            document_date: n.document_date,
            // Only inbound mail comes in; it came in today unless the registrar says otherwise.
            received_on: (n.kind == RecordKind::Inbound).then(|| n.received_on.unwrap_or(now.date())),
            memo_text: n.memo_text.trim(),
            status,
            registered_at: n.register.then_some(now),
            registered_by: if n.register { &who.name } else { "" },
            public_search: &text,
            created_by: &who.name,
        },
        now,
    )
    .await?;
    if n.register {
        store::index_public(tx, t, "record", id, Some(&text)).await?;
        let reg = serde_json::json!({ "record_id": id, "record_number": number, "kind": n.kind.as_str() });
        events::emit(tx, t, "record.registered", (c.id, &c.number), id, reg, now).await?;
    }
    store::add_event(tx, t, c.id, &who.name, "record", &format!("{number} {} ({})", title, status.swedish()), now).await?;
    audit::record(
        tx,
        Some(t),
        &who.actor,
        Event::new("record.created", "record", id)
            .with(serde_json::json!({ "number": number, "kind": n.kind.as_str(), "status": status.as_str() })),
        now,
    )
    .await?;
    Ok((id, number))
}

/// A record with its case, for a user who may read the case.
pub async fn readable_record(tx: &mut Tx, s: &StaffUser, id: Uuid) -> Result<(RecordRow, CaseRow)> {
    let r = store::record(tx, s.tenant_id, id).await?.ok_or(Error::NotFound)?;
    let c = readable_case(tx, s, r.case_id).await?;
    Ok((r, c))
}

/// A record the user may work on ([`may_work_on_records`] for its case), with its case;
/// otherwise "forbidden" (or "not found" for a record the user may not read).
pub async fn workable_record(tx: &mut Tx, s: &StaffUser, id: Uuid) -> Result<(RecordRow, CaseRow)> {
    let (r, c) = readable_record(tx, s, id).await?;
    if !may_work_on_records(tx, s, &c).await? {
        return Err(Error::Forbidden);
    }
    Ok((r, c))
}

/// Where a case is read from, as the audit log notes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The staff pages.
    Page,
    /// The JSON API (`"via": "api"` in the audit event).
    Api,
}

/// A case as the one who reads it sees it: its records with their document versions, its
/// timeline, parties and related cases.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub case: CaseRow,
    pub records: Vec<RecordRow>,
    /// Every document version of every record, record by record.
    pub documents: Vec<DocumentVersion>,
    /// Newest first.
    pub timeline: Vec<CaseEvent>,
    pub parties: Vec<Party>,
    /// Related cases: id, number, title.
    pub related: Vec<(Uuid, String, String)>,
}

/// Reads a case the user may read (others get "not found"), in one transaction that writes
/// `case.read` to the audit log: the case's parties are personal data. The staff page and the
/// API both read a case through this.
pub async fn read_case(db: &Db, s: &StaffUser, id: Uuid, via: Via, now: OffsetDateTime) -> Result<CaseView> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let case = readable_case(&mut tx, s, id).await?;
    let records = store::records(&mut tx, t, id).await?;
    let mut documents = vec![];
    for r in &records {
        documents.extend(store::versions(&mut tx, t, r.id).await?);
    }
    let timeline = store::events(&mut tx, t, id).await?;
    let parties = parties::of_case(&mut tx, t, id).await?;
    let related = store::related(&mut tx, t, id).await?;
    let event = Event::new("case.read", "case", id);
    let event = match via {
        Via::Page => event,
        Via::Api => event.with(serde_json::json!({ "via": "api" })),
    };
    audit::record(&mut tx, Some(t), &Actor::staff(s), event, now).await?;
    tx.commit().await?;
    Ok(CaseView { case, records, documents, timeline, parties, related })
}

/// A record with its case and its document versions.
#[derive(Debug, Clone)]
pub struct RecordView {
    pub record: RecordRow,
    pub case: CaseRow,
    pub documents: Vec<DocumentVersion>,
}

impl RecordView {
    /// The record's diary number, e.g. `KS 2026/12-3`.
    pub fn number(&self) -> String {
        format!("{}-{}", self.case.number, self.record.running_no)
    }
}

/// Reads a record of a case the user may read (others get "not found"), for the staff page
/// and the API.
pub async fn read_record(db: &Db, s: &StaffUser, id: Uuid) -> Result<RecordView> {
    let mut tx = db.read(Scope::Tenant(s.tenant_id)).await?;
    let (record, case) = readable_record(&mut tx, s, id).await?;
    let documents = store::versions(&mut tx, s.tenant_id, id).await?;
    tx.commit().await?;
    Ok(RecordView { record, case, documents })
}

/// Moves a record one step forward (registering it puts it in the diary).
pub async fn advance_record(db: &Db, s: &StaffUser, id: Uuid, to: RecordStatus, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (r, c) = workable_record(&mut tx, s, id).await?;
    if r.is_obliterated() {
        return Err(CaseError::RecordObliterated.into());
    }
    let (kind, from) = (r.kind, r.status);
    if from.next(kind) != Some(to) {
        return Err(CaseError::RecordTransition.into());
    }
    // Approval comes only from the approvers, never from the record's own handler.
    if to == RecordStatus::Approved {
        return Err(CaseError::ApprovalRequired.into());
    }
    check_dispatch(&r, to)?;
    let number = format!("{}-{}", c.number, r.running_no);
    if to == RecordStatus::Registered {
        store::set_record_status(&mut tx, t, id, to, Some((now, &s.name)), now).await?;
        let text = record_public_text(&number, &r.title, &r.correspondent, r.correspondent_is_person, &r.secret_fields.0);
        store::index_public(&mut tx, t, "record", id, Some(&text)).await?;
    } else {
        if to == RecordStatus::Dispatched {
            // A decision goes to its party with how to appeal it (FL 33 §).
            attach_appeal_in(&mut tx, t, &Who::staff(s), &r, &c, now).await?;
        }
        store::set_record_status(&mut tx, t, id, to, None, now).await?;
        if to == RecordStatus::Dispatched {
            store::set_dispatched(&mut tx, t, id, now).await?;
        }
    }
    store::add_event(&mut tx, t, c.id, &s.name, "record", &format!("{number}: {} → {}", from.swedish(), to.swedish()), now).await?;
    let rec = serde_json::json!({ "record_id": id, "record_number": number, "kind": kind.as_str() });
    match to {
        RecordStatus::Registered => events::emit(&mut tx, t, "record.registered", (c.id, &c.number), id, rec, now).await?,
        RecordStatus::Dispatched => {
            events::emit(&mut tx, t, "record.dispatched", (c.id, &c.number), id, rec.clone(), now).await?;
            if kind == RecordKind::Decision {
                events::emit(&mut tx, t, "decision.dispatched", (c.id, &c.number), id, rec, now).await?;
            }
        }
        _ => {}
    }
    audit::record(
        &mut tx,
        Some(t),
        &Actor::staff(s),
        Event::new("record.status_changed", "record", id).with(serde_json::json!({ "from": from.as_str(), "to": to.as_str() })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A record is dispatched (sent) to someone: without a recipient it cannot be (the register
/// shows the recipient, OSL 5 kap. 2 §). Every way of dispatching checks this.
pub(crate) fn check_dispatch(r: &RecordRow, to: RecordStatus) -> Result<()> {
    if r.is_obliterated() {
        return Err(CaseError::RecordObliterated.into());
    }
    if to == RecordStatus::Dispatched && r.correspondent.trim().is_empty() {
        return Err(CaseError::DispatchNoRecipient.into());
    }
    Ok(())
}

/// An inbound record registered later than the day it came in, for the registrar's list.
#[derive(Debug, Clone)]
pub struct LateRegistration {
    pub record: RecordRow,
    pub case_number: String,
}

impl LateRegistration {
    /// The record's diary number, e.g. `KS 2026/12-3`.
    pub fn number(&self) -> String {
        format!("{}-{}", self.case_number, self.record.running_no)
    }
}

/// The inbound records registered later than the day they came in (OSL 5 kap. 1 §: without
/// delay), newest registration first, of the cases the user may read. Registrars and those who
/// read cases see it; the list names no personal data beyond the diary's own fields.
pub async fn late_registrations(db: &Db, s: &StaffUser) -> Result<Vec<LateRegistration>> {
    let t = s.tenant_id;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let mut out = vec![];
    for (record, case_number, unit, worker) in store::registered_inbound(&mut tx, t, 2000).await? {
        if !record.registered_late() {
            continue;
        }
        let mut readable = false;
        for p in [READ, HANDLE, REGISTER, DISTRIBUTE] {
            if allowed(&mut tx, s, p, unit, worker).await? {
                readable = true;
                break;
            }
        }
        if readable {
            out.push(LateRegistration { record, case_number });
        }
    }
    tx.commit().await?;
    Ok(out)
}

/// Deletes a record that is still a draft; anything registered stays in the diary.
pub async fn delete_record(db: &Db, s: &StaffUser, id: Uuid, now: OffsetDateTime) -> Result<Uuid> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (r, c) = readable_record(&mut tx, s, id).await?;
    require(&mut tx, s, HANDLE, &c).await?;
    if !r.deletable() {
        return Err(CaseError::RecordDelete.into());
    }
    store::delete_record(&mut tx, t, id).await?;
    store::add_event(&mut tx, t, c.id, &s.name, "record", &format!("{}-{} utkast borttaget", c.number, r.running_no), now).await?;
    audit::record(&mut tx, Some(t), &Actor::staff(s), Event::new("record.deleted", "record", id), now).await?;
    tx.commit().await?;
    Ok(c.id)
}

/// Longest reason for an obliteration.
const MAX_OBLITERATION_REASON: usize = 500;

/// May the user obliterate records of the case? Registrars of its unit and administrators.
pub async fn may_obliterate(tx: &mut Tx, s: &StaffUser, c: &CaseRow) -> Result<bool> {
    Ok(allowed(tx, s, REGISTER, c.unit_id, None).await? || s.grants.whole_municipality(ADMIN))
}

/// Obliterates (makulerar) a registered record: registered by mistake (a duplicate, the wrong
/// case), it is never deleted but stays in the diary and the public diary marked *Makulerad*
/// with the date, and the reason, which is required, stays on the record and the case's
/// timeline. Its documents are kept but no longer worked on: an obliterated record is not
/// changed, sent for approval or dispatched (`CASE-029`), and its open approval steps are
/// cancelled. A draft is deleted instead and a dispatched record is corrected by a new one
/// (`CASE-030`). Registrars (`cases.register` for the case's unit) and administrators.
pub async fn obliterate_record(db: &Db, s: &StaffUser, id: Uuid, reason: &str, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (r, c) = readable_record(&mut tx, s, id).await?;
    if !may_obliterate(&mut tx, s, &c).await? {
        return Err(Error::Forbidden);
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid("obliteration_reason", "err-obliteration-reason"));
    }
    if reason.chars().count() > MAX_OBLITERATION_REASON {
        return Err(Error::invalid("obliteration_reason", "err-too-long"));
    }
    if r.is_obliterated() {
        return Err(CaseError::RecordObliterated.into());
    }
    if !r.obliterable() {
        return Err(CaseError::ObliterateNotAllowed.into());
    }
    store::obliterate_record(&mut tx, t, id, &s.name, reason, now).await?;
    for a in store::approvals(&mut tx, t, id).await?.into_iter().filter(|a| a.status.is_open()) {
        store::set_approval(&mut tx, t, a.id, ApprovalStatus::Cancelled, "", None).await?;
    }
    // The public diary shows the record as obliterated from now on.
    store::public_changed(&mut tx, t).await?;
    let number = format!("{}-{}", c.number, r.running_no);
    store::add_event(&mut tx, t, c.id, &s.name, "obliterated", &format!("{number} makulerad: {reason}"), now).await?;
    audit::record(
        &mut tx,
        Some(t),
        &Actor::staff(s),
        Event::new("record.obliterated", "record", id)
            .with(serde_json::json!({ "number": number, "status": r.status.as_str(), "reason": reason })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Marks fields of a record secret with the legal ground (OSL); an empty list lifts the marking.
pub async fn mark_secrecy(db: &Db, s: &StaffUser, id: Uuid, fields: &[String], ground: &str, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (r, c) = workable_record(&mut tx, s, id).await?;
    set_secrecy_in(&mut tx, t, &Who::staff(s), &c, r.id, fields, ground, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a record's secrecy marking (fields and OSL ground; an empty list lifts it) with its
/// public diary text, change event, timeline entry and audit event.
#[expect(clippy::too_many_arguments, reason = "the marking's parts")]
pub(crate) async fn set_secrecy_in(
    tx: &mut Tx,
    t: TenantId,
    who: &Who,
    c: &CaseRow,
    record: Uuid,
    fields: &[String],
    ground: &str,
    now: OffsetDateTime,
) -> Result<()> {
    let r = store::record(tx, t, record).await?.ok_or(Error::NotFound)?;
    let id = r.id;
    let mut fields: Vec<String> = fields.iter().filter(|f| SECRET_FIELDS.contains(&f.as_str())).cloned().collect();
    fields.sort();
    fields.dedup();
    let ground = ground.trim();
    if !(fields.is_empty() || ground.starts_with("OSL ") && ground.len() <= 80) {
        return Err(Error::invalid("secrecy_ground", "err-secrecy-ground"));
    }
    let number = format!("{}-{}", c.number, r.running_no);
    let text = record_public_text(&number, &r.title, &r.correspondent, r.correspondent_is_person, &fields);
    store::set_secrecy(tx, t, id, &fields, if fields.is_empty() { "" } else { ground }, &who.name, &text, now).await?;
    let marked = serde_json::json!({ "record_id": id, "record_number": number, "fields": fields, "ground": ground });
    events::emit(tx, t, "record.secrecy_set", (c.id, &c.number), id, marked, now).await?;
    if r.status != RecordStatus::Drafted {
        store::index_public(tx, t, "record", id, Some(&text)).await?;
    }
    store::add_event(
        tx,
        t,
        c.id,
        &who.name,
        "secrecy",
        &format!(
            "{number}: {}",
            if fields.is_empty() { "sekretessmarkering borttagen".to_string() } else { format!("{} ({ground})", fields.join(", ")) }
        ),
        now,
    )
    .await?;
    audit::record(
        tx,
        Some(t),
        &who.actor,
        Event::new("record.secrecy_marked", "record", id).with(serde_json::json!({ "fields": fields, "ground": ground })),
        now,
    )
    .await?;
    Ok(())
}

/// Checks a file's name, size and type; returns the MIME type the file is stored with.
pub fn check_file(filename: &str, declared: &str, bytes: &[u8]) -> Result<&'static str> {
    if bytes.is_empty() {
        return Err(Error::invalid("file", "err-file-empty"));
    }
    if bytes.len() > MAX_FILE {
        return Err(CaseError::FileTooLarge.into());
    }
    let ext = filename.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let Some((_, mime)) = ALLOWED_TYPES.iter().find(|(e, _)| *e == ext) else {
        return Err(CaseError::FileType.into());
    };
    // The content must agree with the name where the format has a signature.
    let signature_ok = match ext.as_str() {
        "pdf" => bytes.starts_with(b"%PDF"),
        "png" => bytes.starts_with(&[0x89, b'P', b'N', b'G']),
        "jpg" | "jpeg" => bytes.starts_with(&[0xff, 0xd8]),
        "docx" | "xlsx" | "odt" | "ods" => bytes.starts_with(b"PK"),
        _ => true,
    };
    let _ = declared;
    if !signature_ok || bytes.starts_with(b"MZ") || bytes.starts_with(b"\x7fELF") {
        return Err(CaseError::FileType.into());
    }
    Ok(mime)
}

/// Adds a document (main or attachment) or a new version of one to a record.
#[expect(clippy::too_many_arguments, reason = "the upload's fields")]
pub async fn upload(
    db: &Db,
    s: &StaffUser,
    record: Uuid,
    document: Option<Uuid>,
    role: &str,
    title: &str,
    filename: &str,
    declared: &str,
    bytes: &[u8],
    now: OffsetDateTime,
) -> Result<Uuid> {
    let mime = check_file(filename, declared, bytes)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (r, c) = workable_record(&mut tx, s, record).await?;
    if r.is_obliterated() {
        return Err(CaseError::RecordObliterated.into());
    }
    // A registered memo is immutable (FL 27 §), and nothing is added after dispatch.
    if (r.kind == RecordKind::Memo && r.status != RecordStatus::Drafted) || r.status == RecordStatus::Dispatched {
        return Err(CaseError::RecordLocked.into());
    }
    // Approved means frozen: what was established and approved is what goes out. A change
    // reopens the record first ([`reopen_record`]), which needs a new approval.
    if r.is_frozen() {
        return Err(CaseError::RecordFrozen.into());
    }
    let (_, id) = add_version(&mut tx, t, &Who::staff(s), &r, &c, document, role, title, filename, mime, bytes, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// When a decision is dispatched: attaches its case type's appeal instruction, filled in, as a
/// document of the record, and notes it on the case's timeline; or, for a case type whose
/// decisions cannot be appealed, notes that it went without one and why. Other kinds of record
/// get nothing. Returns the attached document.
pub(crate) async fn attach_appeal_in(
    tx: &mut Tx,
    t: TenantId,
    who: &Who,
    r: &RecordRow,
    c: &CaseRow,
    now: OffsetDateTime,
) -> Result<Option<Uuid>> {
    if r.kind != RecordKind::Decision {
        return Ok(None);
    }
    let ct = store::case_types(tx, t).await?.into_iter().find(|ct| ct.id == c.case_type_id).ok_or(Error::NotFound)?;
    let number = format!("{}-{}", c.number, r.running_no);
    if !ct.appeal_exempt_reason.trim().is_empty() {
        let text = format!("{number}: expedieras utan överklagandehänvisning ({})", ct.appeal_exempt_reason.trim());
        store::add_event(tx, t, c.id, &who.name, "appeal", &text, now).await?;
        return Ok(None);
    }
    let municipality = radhus_platform::tenancy::get(tx, t).await?.name;
    let text = appeal::render(appeal::template(&ct), &municipality, &c.number);
    let (doc, _) =
        add_version(tx, t, who, r, c, None, "attachment", appeal::TITLE, appeal::FILENAME, "text/plain", text.as_bytes(), now).await?;
    store::add_event(tx, t, c.id, &who.name, "appeal", &format!("{number}: överklagandehänvisning bifogad"), now).await?;
    audit::record(
        tx,
        Some(t),
        &who.actor,
        Event::new("record.appeal_instruction_attached", "record", r.id)
            .with(serde_json::json!({ "document": doc, "shipped_text": ct.appeal_instruction.trim().is_empty() })),
        now,
    )
    .await?;
    Ok(Some(doc))
}

/// Adds `bytes` as a new version of `document` (which must belong to the record), or as a new
/// document of the record (the main one if it has none and `role` asks for it); writes the
/// timeline and the audit log. Returns the document and the version.
#[expect(clippy::too_many_arguments, reason = "the version's fields")]
pub(crate) async fn add_version(
    tx: &mut Tx,
    t: TenantId,
    who: &Who,
    r: &RecordRow,
    c: &CaseRow,
    document: Option<Uuid>,
    role: &str,
    title: &str,
    filename: &str,
    mime: &str,
    bytes: &[u8],
    now: OffsetDateTime,
) -> Result<(Uuid, Uuid)> {
    let doc = match document {
        Some(d) => {
            if !store::document_of_record(tx, t, r.id, d).await? {
                return Err(Error::NotFound);
            }
            d
        }
        None => {
            let role = if role == "main" && !store::has_main_document(tx, t, r.id).await? { "main" } else { "attachment" };
            let d = Uuid::now_v7();
            let title = if title.trim().is_empty() { filename } else { title.trim() };
            store::insert_document(tx, t, d, r.id, role, title, now).await?;
            d
        }
    };
    let sha = hex::encode(Sha256::digest(bytes));
    let id = Uuid::now_v7();
    let clean_name: String = filename.chars().filter(|c| !c.is_control() && !matches!(c, '/' | '\\' | '"')).take(200).collect();
    let version = store::insert_version(tx, t, id, doc, &clean_name, mime, bytes, &sha, &who.name, now).await?;
    store::add_event(tx, t, c.id, &who.name, "document", &format!("{}-{}: {clean_name} v{version}", c.number, r.running_no), now).await?;
    audit::record(
        tx,
        Some(t),
        &who.actor,
        Event::new("document.version_added", "document", doc)
            .with(serde_json::json!({ "version": version, "sha256": sha, "size": bytes.len() })),
        now,
    )
    .await?;
    Ok((doc, id))
}

/// A document version's content, for a user who may read its case (logged: it may hold personal data).
pub async fn download(db: &Db, s: &StaffUser, version: Uuid, now: OffsetDateTime) -> Result<(store::DocumentVersion, Vec<u8>)> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (v, record) = store::version(&mut tx, t, version).await?.ok_or(Error::NotFound)?;
    readable_record(&mut tx, s, record).await?;
    let bytes = store::blob(&mut tx, t, &v.sha256).await?.ok_or(Error::NotFound)?;
    audit::record(&mut tx, Some(t), &Actor::staff(s), Event::new("document.read", "document_version", version), now).await?;
    tx.commit().await?;
    Ok((v, bytes))
}

// ------------------------------------------------------------------ approval routing

/// Sends an established record to approvers in order (godkännandegång).
pub async fn send_for_approval(db: &Db, s: &StaffUser, record: Uuid, approvers: &[Uuid], now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (r, c) = readable_record(&mut tx, s, record).await?;
    require(&mut tx, s, HANDLE, &c).await?;
    if r.is_obliterated() {
        return Err(CaseError::RecordObliterated.into());
    }
    if r.status != RecordStatus::Established {
        return Err(CaseError::ApprovalNotEstablished.into());
    }
    let steps = store::approvals(&mut tx, t, record).await?;
    if steps.iter().any(|a| a.status.is_open()) {
        return Err(CaseError::ApprovalOpen.into());
    }
    let mut seen = vec![];
    for a in approvers {
        if seen.contains(a) {
            return Err(Error::invalid("approvers", "err-approver-twice"));
        }
        seen.push(*a);
    }
    if approvers.is_empty() || approvers.len() > 5 {
        return Err(Error::invalid("approvers", "err-approvers-count"));
    }
    if approvers.contains(&s.user_id.0) {
        return Err(CaseError::ApproveOwn.into());
    }
    let mut names = vec![];
    for a in approvers {
        let u = radhus_platform::identity::users::summary(&mut tx, t, radhus_kernel::ids::UserId(*a))
            .await
            .map_err(|_| Error::invalid("approvers", "err-caseworker-unknown"))?;
        if !u.active {
            return Err(Error::invalid("approvers", "err-caseworker-unknown"));
        }
        names.push(u.name);
    }
    let round = steps.iter().map(|a| a.round).max().unwrap_or(0) + 1;
    for (i, a) in approvers.iter().enumerate() {
        let position = i32::try_from(i).unwrap_or(0) + 1;
        store::insert_approval(
            &mut tx,
            t,
            record,
            round,
            position,
            *a,
            if i == 0 { ApprovalStatus::Pending } else { ApprovalStatus::Waiting },
            s.user_id.0,
            &s.name,
            now,
        )
        .await?;
    }
    store::add_event(
        &mut tx,
        t,
        c.id,
        &s.name,
        "approval",
        &format!("{}-{} skickad för godkännande till {}", c.number, r.running_no, names.join(", ")),
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        Some(t),
        &Actor::staff(s),
        Event::new("record.approval_requested", "record", record).with(serde_json::json!({ "approvers": approvers, "round": round })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The current approver approves (the next one gets the record; after the last it is
/// approved) or returns it with a comment (back to the caseworker as registered).
pub async fn decide_approval(db: &Db, s: &StaffUser, record: Uuid, approve: bool, comment: &str, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (r, c) = readable_record(&mut tx, s, record).await?;
    if r.is_obliterated() {
        return Err(CaseError::RecordObliterated.into());
    }
    let steps = store::approvals(&mut tx, t, record).await?;
    let Some(current) = steps.iter().find(|a| a.status == ApprovalStatus::Pending) else {
        return Err(CaseError::ApprovalNone.into());
    };
    if current.approver_id != s.user_id.0 {
        return Err(Error::Forbidden);
    }
    let comment = comment.trim();
    let number = format!("{}-{}", c.number, r.running_no);
    if approve {
        store::set_approval(&mut tx, t, current.id, ApprovalStatus::Approved, comment, Some(now)).await?;
        let next = steps.iter().filter(|a| a.round == current.round && a.status == ApprovalStatus::Waiting).min_by_key(|a| a.position);
        match next {
            Some(n) => store::set_approval(&mut tx, t, n.id, ApprovalStatus::Pending, "", None).await?,
            None => store::set_record_status(&mut tx, t, record, RecordStatus::Approved, None, now).await?,
        }
        let text = if comment.is_empty() {
            format!("{number} godkänd av {}", s.name)
        } else {
            format!("{number} godkänd av {}: {comment}", s.name)
        };
        store::add_event(&mut tx, t, c.id, &s.name, "approval", &text, now).await?;
    } else {
        if comment.is_empty() {
            return Err(Error::invalid("comment", "err-return-comment"));
        }
        store::set_approval(&mut tx, t, current.id, ApprovalStatus::Returned, comment, Some(now)).await?;
        for w in steps.iter().filter(|a| a.round == current.round && a.status == ApprovalStatus::Waiting) {
            store::set_approval(&mut tx, t, w.id, ApprovalStatus::Cancelled, "", None).await?;
        }
        store::set_record_status(&mut tx, t, record, RecordStatus::Registered, None, now).await?;
        store::add_event(&mut tx, t, c.id, &s.name, "approval", &format!("{number} returnerad av {}: {comment}", s.name), now).await?;
    }
    let action = if approve { "record.approved" } else { "record.returned" };
    audit::record(
        &mut tx,
        Some(t),
        &Actor::staff(s),
        Event::new(action, "record", record)
            .with(serde_json::json!({ "round": current.round, "position": current.position, "comment": comment })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Reopens an established or approved record for changes (a new document or version, a new
/// memo): back to registered, its approval withdrawn (open steps are cancelled) and noted on
/// the case's timeline, so that it is established and approved again before it goes out.
/// A reason is required; dispatched and obliterated records are never reopened.
pub async fn reopen_record(db: &Db, s: &StaffUser, id: Uuid, reason: &str, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (r, c) = workable_record(&mut tx, s, id).await?;
    if r.is_obliterated() {
        return Err(CaseError::RecordObliterated.into());
    }
    if !r.is_frozen() {
        return Err(CaseError::RecordTransition.into());
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid("reopen_reason", "err-record-reopen-reason"));
    }
    if reason.chars().count() > 500 {
        return Err(Error::invalid("reopen_reason", "err-too-long"));
    }
    for a in store::approvals(&mut tx, t, id).await?.into_iter().filter(|a| a.status.is_open()) {
        store::set_approval(&mut tx, t, a.id, ApprovalStatus::Cancelled, "", None).await?;
    }
    store::set_record_status(&mut tx, t, id, RecordStatus::Registered, None, now).await?;
    let number = format!("{}-{}", c.number, r.running_no);
    let text = format!("{number}: {} → {} för ändring: {reason}", r.status.swedish(), RecordStatus::Registered.swedish());
    store::add_event(&mut tx, t, c.id, &s.name, "record", &text, now).await?;
    audit::record(
        &mut tx,
        Some(t),
        &Actor::staff(s),
        Event::new("record.reopened", "record", id).with(serde_json::json!({ "from": r.status.as_str(), "reason": reason })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Relates two cases, the other one given by its diary number (e.g. `KS 2026/12`).
pub async fn relate(db: &Db, s: &StaffUser, case: Uuid, number: &str, now: OffsetDateTime) -> Result<Uuid> {
    let t = s.tenant_id;
    let n = DiaryNumber::parse(number).map_err(|_| Error::invalid("related_number", "err-diary-number"))?;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let c = readable_case(&mut tx, s, case).await?;
    require(&mut tx, s, HANDLE, &c).await?;
    let seq = i32::try_from(n.seq).map_err(|_| Error::invalid("related_number", "err-diary-number"))?;
    let other = store::case_by_parts(&mut tx, t, &n.registry, n.year, seq).await?;
    // A case the user may not read is as unknown as one that does not exist.
    let other = match other {
        Some(o) if readable_case(&mut tx, s, o).await.is_ok() => o,
        _ => return Err(CaseError::DiaryNumberUnknown.into()),
    };
    if other == case {
        return Err(Error::invalid("related_number", "err-relate-self"));
    }
    store::relate(&mut tx, t, case, other, now).await?;
    store::add_event(&mut tx, t, case, &s.name, "relation", &format!("Relaterat till {}", n.case_number()), now).await?;
    audit::record(
        &mut tx,
        Some(t),
        &Actor::staff(s),
        Event::new("case.related", "case", case).with(serde_json::json!({ "related": other })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(other)
}
