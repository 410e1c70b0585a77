//! The use cases of committee administration: each is one transaction that checks who may do
//! it, applies the pure rules (`core`), writes the change and its audit event.

use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::session::StaffUser;
use time::{Date, OffsetDateTime, Time};
use uuid::Uuid;

use crate::core::{self, Action, MeetingState};
use crate::error::MeetingError;
use crate::store::{self, Committee, Item, Meeting, Member};

/// The agenda of a meeting may be changed now: before the meeting is held and not cancelled.
pub(crate) fn agenda_editable(m: &Meeting) -> Result<()> {
    match m.state() {
        MeetingState::Planned | MeetingState::NoticeIssued => Ok(()),
        MeetingState::Cancelled => Err(MeetingError::Cancelled.into()),
        _ => Err(MeetingError::AlreadyHeld.into()),
    }
}

/// Creates committees, sets their members and who works with them (platform permission).
pub const ADMIN: &str = "meetings.admin";

pub const COMMITTEE_KINDS: [&str; 4] = ["kf", "ks", "namnd", "utskott"];
pub const MEMBER_ROLES: [&str; 4] = ["chair", "vice_chair", "member", "substitute"];
pub const ACCESS_ROLES: [&str; 2] = ["secretary", "reader"];
/// Kinds of agenda items; a `heading` gets no paragraph.
pub const ITEM_KINDS: [&str; 5] = ["decision", "information", "delegation", "reported", "heading"];
pub const OUTCOMES: [&str; 5] = ["decided", "tabled", "referred_back", "withdrawn", "noted"];

pub(crate) fn actor(s: &StaffUser) -> Actor {
    Actor::staff(s)
}

pub(crate) fn today(now: OffsetDateTime) -> Date {
    radhus_kernel::tz::stockholm(now).date()
}

/// What a user may do in one committee: secretary (prepares and records meetings), member
/// (reads the papers of its meetings), reader (reads them too). Members of the municipality
/// holding [`ADMIN`] read every committee.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    pub secretary: bool,
    pub reader: bool,
    /// The user's seat or place in the committee today.
    pub member: Option<Member>,
    pub admin: bool,
}

impl Access {
    pub fn may_read(&self) -> bool {
        self.secretary || self.reader || self.member.is_some() || self.admin
    }
}

pub async fn access(tx: &mut Tx, s: &StaffUser, committee: Uuid, now: OffsetDateTime) -> Result<Access> {
    let t = s.tenant_id;
    let role = store::access_role(tx, t, committee, s.user_id.0).await?;
    let member = store::memberships_of(tx, t, s.user_id.0, today(now)).await?.into_iter().find(|m| m.committee_id == committee);
    Ok(Access {
        secretary: role.as_deref() == Some("secretary"),
        reader: role.as_deref() == Some("reader"),
        member,
        admin: s.grants.whole_municipality(ADMIN),
    })
}

/// A committee the user may read; others get "not found".
pub async fn readable_committee(tx: &mut Tx, s: &StaffUser, id: Uuid, now: OffsetDateTime) -> Result<(Committee, Access)> {
    let c = store::committee(tx, s.tenant_id, id).await?.ok_or(Error::NotFound)?;
    let a = access(tx, s, id, now).await?;
    if !a.may_read() {
        return Err(Error::NotFound);
    }
    Ok((c, a))
}

async fn secretary_of(tx: &mut Tx, s: &StaffUser, committee: Uuid, now: OffsetDateTime) -> Result<Committee> {
    let (c, a) = readable_committee(tx, s, committee, now).await?;
    if !a.secretary {
        return Err(Error::Forbidden);
    }
    Ok(c)
}

fn require_admin(s: &StaffUser) -> Result<()> {
    if s.grants.whole_municipality(ADMIN) { Ok(()) } else { Err(Error::Forbidden) }
}

// ------------------------------------------------------------------ committees

#[derive(Debug, Clone, Default)]
pub struct NewCommittee {
    pub kind: String,
    pub name: String,
    pub code: String,
    pub registry_id: Option<Uuid>,
    pub seats: i64,
}

pub async fn create_committee(db: &Db, s: &StaffUser, n: &NewCommittee, now: OffsetDateTime) -> Result<Uuid> {
    require_admin(s)?;
    let t = s.tenant_id;
    let (name, code) = (n.name.trim(), n.code.trim().to_uppercase());
    let mut errs = vec![];
    if !COMMITTEE_KINDS.contains(&n.kind.as_str()) {
        errs.push(FieldError::new("kind", "mtg-err-kind"));
    }
    if name.is_empty() || name.chars().count() > 200 {
        errs.push(FieldError::new("name", "mtg-err-name"));
    }
    if code.is_empty() || code.chars().count() > 12 || !code.chars().all(|c| c.is_alphanumeric()) {
        errs.push(FieldError::new("code", "mtg-err-code"));
    }
    if !(1..=101).contains(&n.seats) {
        errs.push(FieldError::new("seats", "mtg-err-seats"));
    }
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let registries = radhus_cases::store::registries(&mut tx, t).await?;
    let registry = n.registry_id.filter(|r| registries.iter().any(|x| x.id == *r));
    if registry.is_none() {
        errs.push(FieldError::new("registry_id", "mtg-err-registry"));
    }
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    if store::committee_code_taken(&mut tx, t, &code).await? {
        return Err(MeetingError::CodeTaken.into());
    }
    let id = Uuid::now_v7();
    store::insert_committee(&mut tx, t, id, &n.kind, name, &code, registry.unwrap_or_default(), n.seats, now).await?;
    let ev = Event::new("mtg.committee.created", "committee", id).with(serde_json::json!({ "code": code, "name": name }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(id)
}

pub use crate::store::NewMember;

/// Gives a user of the municipality a seat (or a substitute's place) in a committee for a term.
pub async fn add_member(db: &Db, s: &StaffUser, committee: Uuid, m: &NewMember, now: OffsetDateTime) -> Result<Uuid> {
    require_admin(s)?;
    let t = s.tenant_id;
    let mut errs = vec![];
    if !MEMBER_ROLES.contains(&m.role.as_str()) {
        errs.push(FieldError::new("role", "mtg-err-role"));
    }
    if m.party.trim().is_empty() || m.party.chars().count() > 100 {
        errs.push(FieldError::new("party", "mtg-err-party"));
    }
    if m.role == "substitute" && m.callin_order.is_none_or(|o| o < 1) {
        errs.push(FieldError::new("callin_order", "mtg-err-callin"));
    }
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    if m.term_to < m.term_from {
        return Err(MeetingError::BadTerm.into());
    }
    let mut tx = db.write(Scope::Tenant(t)).await?;
    store::committee(&mut tx, t, committee).await?.ok_or(Error::NotFound)?;
    let user = radhus_platform::identity::users::staff_user(&mut tx, t, radhus_kernel::ids::UserId(m.user_id)).await?;
    if user.is_none() {
        return Err(Error::invalid("user_id", "mtg-err-user"));
    }
    let id = Uuid::now_v7();
    let m = NewMember {
        party: m.party.trim().to_string(),
        callin_order: if m.role == "substitute" { m.callin_order } else { None },
        ..m.clone()
    };
    store::insert_member(&mut tx, t, id, committee, &m).await?;
    let ev =
        Event::new("mtg.member.added", "committee", committee).with(serde_json::json!({ "member": id, "user": m.user_id, "role": m.role }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Makes a user the committee's secretary or a reader of its papers (`None`: neither).
pub async fn set_access(db: &Db, s: &StaffUser, committee: Uuid, user: Uuid, role: Option<&str>, now: OffsetDateTime) -> Result<()> {
    require_admin(s)?;
    let t = s.tenant_id;
    if role.is_some_and(|r| !ACCESS_ROLES.contains(&r)) {
        return Err(Error::invalid("role", "mtg-err-role"));
    }
    let mut tx = db.write(Scope::Tenant(t)).await?;
    store::committee(&mut tx, t, committee).await?.ok_or(Error::NotFound)?;
    if radhus_platform::identity::users::staff_user(&mut tx, t, radhus_kernel::ids::UserId(user)).await?.is_none() {
        return Err(Error::invalid("user_id", "mtg-err-user"));
    }
    store::set_access(&mut tx, t, committee, user, role).await?;
    let ev = Event::new("mtg.access.set", "committee", committee).with(serde_json::json!({ "user": user, "role": role }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(())
}

// ------------------------------------------------------------------ from case to agenda

/// A record of a case that can be proposed: it has an official memo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoRecord {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub proposal: String,
}

/// The case (for a user who may handle it) and its records with a memo.
pub async fn proposable(tx: &mut Tx, s: &StaffUser, case: Uuid) -> Result<(radhus_cases::store::CaseRow, Vec<MemoRecord>)> {
    let t = s.tenant_id;
    let c = radhus_cases::service::readable_case(tx, s, case).await?;
    if !radhus_cases::service::allowed(tx, s, radhus_cases::service::HANDLE, c.unit_id, c.caseworker_id).await? {
        return Err(Error::Forbidden);
    }
    let mut out = vec![];
    for r in radhus_cases::store::records(tx, t, case).await? {
        if let Some(m) = radhus_cases::memo::texts(tx, t, r.id).await? {
            out.push(MemoRecord {
                id: r.id,
                number: format!("{}-{}", c.number, r.running_no),
                title: r.title.clone(),
                proposal: m.proposal,
            });
        }
    }
    Ok((c, out))
}

/// A caseworker proposes a case, with its memo record, to a committee: it waits for the
/// committee's secretary.
pub async fn propose(db: &Db, s: &StaffUser, case: Uuid, committee: Uuid, record: Uuid, now: OffsetDateTime) -> Result<Uuid> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (c, memos) = proposable(&mut tx, s, case).await?;
    if !c.status.is_active() {
        return Err(MeetingError::CaseNotOpen.into());
    }
    store::committee(&mut tx, t, committee).await?.ok_or_else(|| Error::invalid("committee_id", "mtg-err-committee"))?;
    let memo = memos.into_iter().find(|m| m.id == record).ok_or(MeetingError::NoMemo)?;
    let id = Uuid::now_v7();
    store::insert_proposal(&mut tx, t, id, committee, (c.id, &c.number), record, &c.title, &memo.proposal, (s.user_id.0, &s.name), now)
        .await?;
    let ev = Event::new("mtg.proposal.created", "case", case)
        .with(serde_json::json!({ "proposal": id, "committee": committee, "record": record }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// The secretary puts a waiting proposal on a planned meeting's agenda as a decision item.
pub async fn accept(db: &Db, s: &StaffUser, proposal: Uuid, meeting: Uuid, now: OffsetDateTime) -> Result<Uuid> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let p = store::proposal(&mut tx, t, proposal).await?.ok_or(Error::NotFound)?;
    secretary_of(&mut tx, s, p.committee_id, now).await?;
    let m = store::meeting(&mut tx, t, meeting).await?.filter(|m| m.committee_id == p.committee_id);
    let m = m.ok_or_else(|| Error::invalid("meeting_id", "mtg-err-meeting"))?;
    agenda_editable(&m)?;
    let item = Item {
        id: Uuid::now_v7(),
        meeting_id: m.id,
        position: 0,
        kind: "decision".into(),
        title: p.title.clone(),
        case_id: Some(p.case_id),
        case_number: p.case_number.clone(),
        record_id: Some(p.record_id),
        proposal: p.proposal.clone(),
        outcome: None,
        decision: String::new(),
        paragraph: None,
        extract_record_id: None,
    };
    store::insert_item(&mut tx, t, &item).await?;
    if !store::settle_proposal(&mut tx, t, proposal, "accepted", "", Some(item.id)).await? {
        return Err(MeetingError::ProposalHandled.into());
    }
    let ev = Event::new("mtg.proposal.accepted", "meeting", m.id).with(serde_json::json!({ "proposal": proposal, "item": item.id }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(item.id)
}

/// The secretary returns a waiting proposal to the caseworker with a comment.
pub async fn return_proposal(db: &Db, s: &StaffUser, proposal: Uuid, comment: &str, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let comment = comment.trim();
    if comment.is_empty() || comment.chars().count() > 2000 {
        return Err(Error::invalid("comment", "mtg-err-comment"));
    }
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let p = store::proposal(&mut tx, t, proposal).await?.ok_or(Error::NotFound)?;
    secretary_of(&mut tx, s, p.committee_id, now).await?;
    if !store::settle_proposal(&mut tx, t, proposal, "returned", comment, None).await? {
        return Err(MeetingError::ProposalHandled.into());
    }
    let ev = Event::new("mtg.proposal.returned", "case", p.case_id).with(serde_json::json!({ "proposal": proposal }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(())
}

// ------------------------------------------------------------------ meetings and agenda

#[derive(Debug, Clone, Default)]
pub struct NewMeeting {
    pub date: String,
    pub time: String,
    pub place: String,
    pub public: bool,
}

fn parse_when(date: &str, time: &str) -> std::result::Result<(Date, Time), Vec<FieldError>> {
    let mut errs = vec![];
    let d = Date::parse(date.trim(), time::macros::format_description!("[year]-[month]-[day]")).ok();
    if d.is_none() {
        errs.push(FieldError::new("date", "err-date"));
    }
    let tm = Time::parse(time.trim(), time::macros::format_description!("[hour]:[minute]")).ok();
    if tm.is_none() {
        errs.push(FieldError::new("time", "mtg-err-time"));
    }
    match (d, tm) {
        (Some(d), Some(tm)) => Ok((d, tm)),
        _ => Err(errs),
    }
}

pub async fn create_meeting(db: &Db, s: &StaffUser, committee: Uuid, n: &NewMeeting, now: OffsetDateTime) -> Result<Uuid> {
    let t = s.tenant_id;
    let mut errs = vec![];
    let when = parse_when(&n.date, &n.time).map_err(|e| errs.extend(e)).ok();
    let place = n.place.trim();
    if place.is_empty() || place.chars().count() > 200 {
        errs.push(FieldError::new("place", "mtg-err-place"));
    }
    let mut tx = db.write(Scope::Tenant(t)).await?;
    secretary_of(&mut tx, s, committee, now).await?;
    let Some((d, tm)) = when.filter(|_| errs.is_empty()) else { return Err(Error::Invalid(errs)) };
    let id = Uuid::now_v7();
    let starts_at = radhus_kernel::tz::from_stockholm(d, tm);
    store::insert_meeting(&mut tx, t, id, committee, starts_at, place, n.public, now).await?;
    let ev = Event::new("mtg.meeting.created", "meeting", id)
        .with(serde_json::json!({ "committee": committee, "starts_at": starts_at.to_string() }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// A meeting the user may read, with their access to its committee.
pub async fn readable_meeting(tx: &mut Tx, s: &StaffUser, id: Uuid, now: OffsetDateTime) -> Result<(Meeting, Access)> {
    let m = store::meeting(tx, s.tenant_id, id).await?.ok_or(Error::NotFound)?;
    let (_, a) = readable_committee(tx, s, m.committee_id, now).await?;
    Ok((m, a))
}

pub(crate) async fn secretary_meeting(tx: &mut Tx, s: &StaffUser, id: Uuid, now: OffsetDateTime) -> Result<Meeting> {
    let (m, a) = readable_meeting(tx, s, id, now).await?;
    if !a.secretary {
        return Err(Error::Forbidden);
    }
    Ok(m)
}

/// Adds an item without a case (a section heading, information, reported matters).
pub async fn add_item(db: &Db, s: &StaffUser, meeting: Uuid, kind: &str, title: &str, now: OffsetDateTime) -> Result<Uuid> {
    let t = s.tenant_id;
    let title = title.trim();
    let mut errs = vec![];
    if !ITEM_KINDS.contains(&kind) {
        errs.push(FieldError::new("kind", "mtg-err-item-kind"));
    }
    if title.is_empty() || title.chars().count() > 300 {
        errs.push(FieldError::new("title", "mtg-err-title"));
    }
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let m = secretary_meeting(&mut tx, s, meeting, now).await?;
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    agenda_editable(&m)?;
    let item = Item {
        id: Uuid::now_v7(),
        meeting_id: meeting,
        position: 0,
        kind: kind.into(),
        title: title.into(),
        case_id: None,
        case_number: String::new(),
        record_id: None,
        proposal: String::new(),
        outcome: None,
        decision: String::new(),
        paragraph: None,
        extract_record_id: None,
    };
    store::insert_item(&mut tx, t, &item).await?;
    let ev = Event::new("mtg.item.added", "meeting", meeting).with(serde_json::json!({ "item": item.id, "kind": kind }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(item.id)
}

/// An item of a meeting whose agenda may still change, for its secretary.
async fn editable_item(tx: &mut Tx, s: &StaffUser, item: Uuid, now: OffsetDateTime) -> Result<(Item, Meeting)> {
    let i = store::item(tx, s.tenant_id, item).await?.ok_or(Error::NotFound)?;
    let m = secretary_meeting(tx, s, i.meeting_id, now).await?;
    agenda_editable(&m)?;
    Ok((i, m))
}

/// Changes an item's title and proposed decision before the meeting (after the notice, a
/// supplementary notice then tells the members).
pub async fn edit_item(db: &Db, s: &StaffUser, item: Uuid, title: &str, proposal: &str, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let (title, proposal) = (title.trim(), proposal.replace("\r\n", "\n").trim().to_string());
    let mut errs = vec![];
    if title.is_empty() || title.chars().count() > 300 {
        errs.push(FieldError::new("title", "mtg-err-title"));
    }
    if proposal.chars().count() > 20_000 {
        errs.push(FieldError::new("proposal", "mtg-err-too-long"));
    }
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (i, m) = editable_item(&mut tx, s, item, now).await?;
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    if i.title == title && i.proposal == proposal {
        return Ok(());
    }
    store::set_item_text(&mut tx, t, item, title, &proposal).await?;
    let ev = Event::new("mtg.item.changed", "meeting", m.id).with(serde_json::json!({ "item": item }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes an item off the agenda before the meeting; a proposal it came from waits for the
/// secretary again (after the notice, a supplementary notice tells the members it is withdrawn).
pub async fn withdraw_item(db: &Db, s: &StaffUser, item: Uuid, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (i, m) = editable_item(&mut tx, s, item, now).await?;
    store::delete_item(&mut tx, t, item).await?;
    let ev = Event::new("mtg.item.withdrawn", "meeting", m.id).with(serde_json::json!({ "item": item, "case": i.case_id }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Cancels a planned meeting, or one whose notice is issued, with a reason.
pub async fn cancel(db: &Db, s: &StaffUser, meeting: Uuid, reason: &str, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let reason = reason.trim();
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let m = secretary_meeting(&mut tx, s, meeting, now).await?;
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(Error::invalid("reason", "mtg-err-cancel-reason"));
    }
    step(&mut tx, t, &m, Action::Cancel).await?;
    store::set_cancel_reason(&mut tx, t, meeting, reason).await?;
    let ev = Event::new("mtg.meeting.cancelled", "meeting", meeting).with(serde_json::json!({ "reason": reason }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Applies `action` to the meeting's state, or refuses with the state machine's error.
pub(crate) async fn step(tx: &mut Tx, t: TenantId, m: &Meeting, action: Action) -> Result<MeetingState> {
    let from = m.state();
    let to = core::transition(from, action)?;
    if !store::set_state(tx, t, m.id, from.as_str(), to.as_str()).await? {
        return Err(MeetingError::WrongState.into());
    }
    Ok(to)
}
