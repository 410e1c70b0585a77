//! The notice (kallelse) and what is recorded at the meeting: attendance, per item motions,
//! jäv, an open vote, the outcome and decision, reservations; quorum per item.

use std::collections::BTreeSet;

use radhus_kernel::Lang;
use radhus_kernel::ical::{CalEvent, When};
use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Event};
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::session::StaffUser;
use radhus_platform::outbox::notify::{Notice, notify};
use radhus_platform::outbox::templates::{NotificationTemplate, Sender, Text};
use radhus_platform::tenancy;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::core::{self, Action, Choice, MeetingState};
use crate::documents::{self, AgendaChange, NoticeData, NoticeItem, Person};
use crate::error::MeetingError;
use crate::service::{actor, secretary_meeting, step};
use crate::store::{self, Attendance, Item, Meeting, Member};

/// The e-mail to each member and substitute when the notice is issued.
pub const NOTICE_MAIL: NotificationTemplate = NotificationTemplate {
    key: "meetings.notice",
    sender: Sender::Municipality,
    label: "mtg-notification-notice",
    fields: &["name", "committee", "when", "place", "url", "calendar"],
    sv: Text {
        subject: "Kallelse: {{committee}} {{when}}",
        body: "Hej {{name}}!\n\n{{committee}} sammanträder {{when}} i {{place}}.\n\nKallelsen med föredragningslistan och handlingarna finns på {{url}}\n\nEn kalenderinbjudan: {{calendar}}\n",
    },
    en: Text {
        subject: "Notice: {{committee}} {{when}}",
        body: "Hello {{name}},\n\n{{committee}} meets {{when}} in {{place}}.\n\nThe notice with the agenda and the papers is at {{url}}\n\nA calendar invitation: {{calendar}}\n",
    },
};

pub(crate) fn role_sv(role: &str) -> &'static str {
    match role {
        "chair" => "ordförande",
        "vice_chair" => "vice ordförande",
        "member" => "ledamot",
        _ => "ersättare",
    }
}

pub(crate) fn kind_sv(kind: &str) -> &'static str {
    match kind {
        "decision" => "Beslutsärende",
        "information" => "Information",
        "delegation" => "Anmälan av delegationsbeslut",
        "reported" => "Anmälningsärende",
        _ => "",
    }
}

/// The notice as it would be issued now: the frozen agenda and everything the PDF shows.
async fn notice_data(tx: &mut Tx, t: TenantId, m: &Meeting, secretary: &str) -> Result<NoticeData> {
    let tenant = tenancy::get(tx, t).await?;
    let items = store::items(tx, t, m.id).await?;
    let members = store::members(tx, t, m.committee_id, radhus_kernel::tz::stockholm(m.starts_at).date()).await?;
    let mut no = 0;
    let items = items
        .iter()
        .map(|i| {
            if !i.is_heading() {
                no += 1;
            }
            NoticeItem {
                id: Some(i.id),
                no,
                heading: i.is_heading(),
                kind: kind_sv(&i.kind).into(),
                title: i.title.clone(),
                case_number: i.case_number.clone(),
                proposal: i.proposal.clone(),
            }
        })
        .collect();
    Ok(NoticeData {
        version: 1,
        changes: vec![],
        municipality: tenant.name,
        committee: m.committee_name.clone(),
        when: crate::core::when(&m.starts_at),
        place: m.place.clone(),
        public: m.public,
        secretary: secretary.into(),
        items,
        members: members
            .iter()
            .map(|p| Person { name: p.name.clone(), role: role_sv(&p.role).into(), party: p.party.clone(), note: String::new() })
            .collect(),
    })
}

/// Issues the notice: freezes the agenda as a snapshot, typesets the notice and agenda as one
/// PDF/A (outside any transaction) and mails every member and substitute a link to their
/// papers and a calendar invitation. `site` is the municipality's `scheme://host`.
pub async fn issue_notice(db: &Db, s: &StaffUser, meeting: Uuid, site: &str, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let m = secretary_meeting(&mut tx, s, meeting, now).await?;
    core::transition(m.state(), Action::IssueNotice)?;
    if store::items(&mut tx, t, meeting).await?.is_empty() {
        return Err(MeetingError::NoItems.into());
    }
    let data = notice_data(&mut tx, t, &m, &s.name).await?;
    tx.commit().await?;
    let pdf = documents::typeset(db, t, documents::Doc::Notice, &data, now).await?;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let m = secretary_meeting(&mut tx, s, meeting, now).await?;
    // The agenda changed while the notice was typeset: the secretary issues it again.
    if notice_data(&mut tx, t, &m, &s.name).await? != data {
        return Err(MeetingError::WrongState.into());
    }
    step(&mut tx, t, &m, Action::IssueNotice).await?;
    let snapshot = serde_json::to_string(&data).map_err(|e| Error::Internal(e.to_string()))?;
    store::set_notice(&mut tx, t, meeting, &snapshot, &pdf, now).await?;
    store::insert_notice(&mut tx, t, meeting, 1, s.user_id.0, &snapshot, "[]", &pdf, now).await?;
    let members = store::members(&mut tx, t, m.committee_id, radhus_kernel::tz::stockholm(m.starts_at).date()).await?;
    let url = format!("{site}/admin/moten/mote/{meeting}");
    let calendar = format!("{url}/kalender.ics");
    for p in &members {
        let vars = [
            ("name", p.name.as_str()),
            ("committee", m.committee_name.as_str()),
            ("when", data.when.as_str()),
            ("place", m.place.as_str()),
            ("url", url.as_str()),
            ("calendar", calendar.as_str()),
        ];
        notify(&mut tx, Some(t), &Notice { template: &NOTICE_MAIL, lang: Lang::Sv, to: &p.email, vars: &vars }, now).await?;
    }
    let ev = Event::new("mtg.notice.issued", "meeting", meeting)
        .with(serde_json::json!({ "items": data.items.len(), "sent_to": members.len() }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The e-mail to each member and substitute when a supplementary notice is issued.
pub const SUPPLEMENT_MAIL: NotificationTemplate = NotificationTemplate {
    key: "meetings.notice-supplement",
    sender: Sender::Municipality,
    label: "mtg-notification-supplement",
    fields: &["name", "committee", "when", "place", "url", "changes"],
    sv: Text {
        subject: "Kompletterande kallelse: {{committee}} {{when}}",
        body: "Hej {{name}}!\n\nFöredragningslistan till {{committee}}s sammanträde {{when}} i {{place}} har ändrats:\n\n{{changes}}\n\nDen kompletterande kallelsen och handlingarna finns på {{url}}\n",
    },
    en: Text {
        subject: "Supplementary notice: {{committee}} {{when}}",
        body: "Hello {{name}},\n\nThe agenda of {{committee}}'s meeting {{when}} in {{place}} has changed:\n\n{{changes}}\n\nThe supplementary notice and the papers are at {{url}}\n",
    },
};

/// The changes as lines of text for the e-mail ("Tillkommer: …", "Utgår: …", "Ändras: …").
pub fn changes_text(changes: &[AgendaChange]) -> String {
    changes
        .iter()
        .map(|c| {
            let case = if c.case_number.is_empty() { String::new() } else { format!(" ({})", c.case_number) };
            match c.change.as_str() {
                "added" => format!("- Tillkommer: {}{case}", c.title),
                "withdrawn" => format!("- Utgår: {}{case}", c.title),
                _ => format!("- Ändras ({}): {}{case}", c.what, c.title),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The latest issued notice of a meeting (its version and agenda), if the notice is out.
pub async fn current_notice(tx: &mut Tx, t: TenantId, meeting: Uuid) -> Result<Option<(i32, NoticeData)>> {
    let Some(last) = store::notices(tx, t, meeting).await?.pop() else { return Ok(None) };
    let data: NoticeData = serde_json::from_str(&last.snapshot).map_err(|e| Error::Internal(format!("notice snapshot: {e}")))?;
    Ok(Some((last.version, data)))
}

/// What the next supplementary notice would show: the changes since the latest notice (empty
/// when there are none, or the notice is not out).
pub async fn pending_changes(tx: &mut Tx, t: TenantId, m: &Meeting) -> Result<Vec<AgendaChange>> {
    if m.state() != MeetingState::NoticeIssued {
        return Ok(vec![]);
    }
    let Some((_, before)) = current_notice(tx, t, m.id).await? else { return Ok(vec![]) };
    let now = notice_data(tx, t, m, &before.secretary).await?;
    Ok(core::agenda_changes(&before.items, &now.items))
}

/// The supplementary notice (kompletterande kallelse): after the notice and before the meeting
/// is held, the agenda as it is now is frozen as the next version with what changed since the
/// version before (items added, withdrawn, changed), typeset as PDF/A with the changes first,
/// and every member and substitute is mailed the changes and a link, as with the notice.
/// Refused when nothing changed (`MTG-020`), when the meeting is held or its time has passed
/// (`MTG-021`), cancelled (`MTG-003`) or its notice not issued (`MTG-001`). Returns the version.
pub async fn issue_supplement(db: &Db, s: &StaffUser, meeting: Uuid, site: &str, now: OffsetDateTime) -> Result<i32> {
    let t = s.tenant_id;
    let prepare = async |tx: &mut Tx| -> Result<(Meeting, i32, NoticeData)> {
        let m = secretary_meeting(tx, s, meeting, now).await?;
        crate::service::agenda_editable(&m)?;
        if m.state() != MeetingState::NoticeIssued {
            return Err(MeetingError::WrongState.into());
        }
        if m.starts_at <= now {
            return Err(MeetingError::AlreadyHeld.into());
        }
        let (version, before) = current_notice(tx, t, meeting).await?.ok_or(MeetingError::WrongState)?;
        if store::items(tx, t, meeting).await?.is_empty() {
            return Err(MeetingError::NoItems.into());
        }
        let mut data = notice_data(tx, t, &m, &s.name).await?;
        data.changes = core::agenda_changes(&before.items, &data.items);
        if data.changes.is_empty() {
            return Err(MeetingError::NoChanges.into());
        }
        data.version = i64::from(version) + 1;
        Ok((m, version + 1, data))
    };
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let (_, version, data) = prepare(&mut tx).await?;
    tx.commit().await?;
    let pdf = documents::typeset(db, t, documents::Doc::Notice, &data, now).await?;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (m, again, now_data) = prepare(&mut tx).await?;
    // The agenda changed (or another supplement went out) while this one was typeset.
    if again != version || now_data != data {
        return Err(MeetingError::WrongState.into());
    }
    let snapshot = serde_json::to_string(&data).map_err(|e| Error::Internal(e.to_string()))?;
    let changes = serde_json::to_string(&data.changes).map_err(|e| Error::Internal(e.to_string()))?;
    store::insert_notice(&mut tx, t, meeting, version, s.user_id.0, &snapshot, &changes, &pdf, now).await?;
    let members = store::members(&mut tx, t, m.committee_id, radhus_kernel::tz::stockholm(m.starts_at).date()).await?;
    let url = format!("{site}/admin/moten/mote/{meeting}");
    let text = changes_text(&data.changes);
    for p in &members {
        let vars = [
            ("name", p.name.as_str()),
            ("committee", m.committee_name.as_str()),
            ("when", data.when.as_str()),
            ("place", m.place.as_str()),
            ("url", url.as_str()),
            ("changes", text.as_str()),
        ];
        notify(&mut tx, Some(t), &Notice { template: &SUPPLEMENT_MAIL, lang: Lang::Sv, to: &p.email, vars: &vars }, now).await?;
    }
    let count = |k: &str| data.changes.iter().filter(|c| c.change == k).count();
    let ev = Event::new("mtg.notice.supplemented", "meeting", meeting).with(serde_json::json!({
        "version": version, "added": count("added"), "withdrawn": count("withdrawn"), "changed": count("changed"), "sent_to": members.len()
    }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(version)
}

/// The meeting as an iCalendar event (two hours unless the municipality says otherwise).
pub fn calendar(m: &Meeting, site: &str, now: OffsetDateTime) -> String {
    let host = site.split("://").nth(1).unwrap_or(site);
    let ev = CalEvent {
        uid: format!("mtg-{}@{host}", m.id),
        when: When::Span { start: m.starts_at, end: m.starts_at + Duration::hours(2) },
        summary: format!("{} sammanträder", m.committee_name),
        description: String::new(),
        location: m.place.clone(),
        url: format!("{site}/admin/moten/mote/{}", m.id),
    };
    radhus_kernel::ical::calendar("-//Rådhus//Sammanträden//SV", None, &[ev], now)
}

/// The secretary marks the meeting held; from then on its record is written.
pub async fn mark_held(db: &Db, s: &StaffUser, meeting: Uuid, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let m = secretary_meeting(&mut tx, s, meeting, now).await?;
    step(&mut tx, t, &m, Action::MarkHeld).await?;
    audit::record(&mut tx, Some(t), &actor(s), Event::new("mtg.meeting.held", "meeting", meeting), now).await?;
    tx.commit().await?;
    Ok(())
}

/// The record of a meeting may be written only while it is held (not before, not once the
/// minutes are drawn up or adjusted).
fn record_open(m: &Meeting) -> Result<()> {
    match m.state() {
        MeetingState::Held => Ok(()),
        MeetingState::Adjusted | MeetingState::Posted | MeetingState::AppealEnded => Err(MeetingError::Frozen.into()),
        _ => Err(MeetingError::NotHeld.into()),
    }
}

/// Everything known about who served at a meeting: the members, who attended (with arrival and
/// departure), the items' order, the substitutes confirmed per item and the conflicts (jäv).
pub struct Serving {
    pub members: Vec<Member>,
    pub attendance: Vec<Attendance>,
    /// Each item's position on the agenda.
    pub positions: Vec<(Uuid, i64)>,
    pub item_subs: Vec<store::ItemSubstitute>,
    pub conflicts: Vec<store::MemberText>,
}

impl Serving {
    pub async fn load(tx: &mut Tx, t: TenantId, m: &Meeting) -> Result<Serving> {
        let members = store::members(tx, t, m.committee_id, radhus_kernel::tz::stockholm(m.starts_at).date()).await?;
        let attendance = store::attendance(tx, t, m.id).await?;
        let positions = store::items(tx, t, m.id).await?.iter().map(|i| (i.id, i64::from(i.position))).collect();
        let item_subs = store::item_subs_of(tx, t, m.id).await?;
        let conflicts = store::conflicts(tx, t, m.id).await?;
        Ok(Serving { members, attendance, positions, item_subs, conflicts })
    }

    fn member(&self, id: &Uuid) -> Option<&Member> {
        self.members.iter().find(|m| m.id == *id)
    }

    /// An item's position (0 for an item not on the agenda).
    pub fn position(&self, item: &Uuid) -> i64 {
        self.positions.iter().find(|(i, _)| i == item).map_or(0, |(_, p)| *p)
    }

    fn presence(&self) -> Vec<core::Presence> {
        self.attendance
            .iter()
            .map(|a| core::Presence {
                member: a.member_id,
                seat: self.member(&a.member_id).is_some_and(Member::holds_seat),
                serving_for: a.serving_for,
                from: a.arrived_before.map_or(0, |i| self.position(&i)),
                until: a.left_before.map(|i| self.position(&i)),
            })
            .collect()
    }

    /// Members serving at the meeting: seat-holders present and substitutes serving for one.
    pub fn at_meeting(&self) -> BTreeSet<Uuid> {
        self.attendance
            .iter()
            .filter(|a| self.member(&a.member_id).is_some_and(Member::holds_seat) || a.serving_for.is_some())
            .map(|a| a.member_id)
            .collect()
    }

    /// Everyone there when the item is handled (arrived before it, not left), serving or not.
    pub fn there_at(&self, item: &Uuid) -> BTreeSet<Uuid> {
        let pos = self.position(item);
        self.presence().into_iter().filter(|p| p.there_at(pos)).map(|p| p.member).collect()
    }

    pub fn conflicts_on(&self, item: &Uuid) -> BTreeSet<Uuid> {
        self.conflicts.iter().filter(|c| c.item_id == *item).map(|c| c.member_id).collect()
    }

    /// Who serves on the item (`core::serving_at`).
    pub fn on_item(&self, item: &Uuid) -> BTreeSet<Uuid> {
        let subs: Vec<(Uuid, Uuid)> =
            self.item_subs.iter().filter(|x| x.item_id == *item).map(|x| (x.substitute_id, x.serving_for)).collect();
        core::serving_at(self.position(item), &self.presence(), &self.conflicts_on(item), &subs)
    }

    /// The seat-holder a serving substitute serves for on the item.
    pub fn serves_for(&self, item: &Uuid, sub: &Uuid) -> Option<Uuid> {
        if !self.on_item(item).contains(sub) || self.member(sub).is_none_or(Member::holds_seat) {
            return None;
        }
        self.item_subs
            .iter()
            .find(|x| x.item_id == *item && x.substitute_id == *sub)
            .map(|x| x.serving_for)
            .or_else(|| self.attendance.iter().find(|a| a.member_id == *sub).and_then(|a| a.serving_for))
    }

    /// Seat-holders who do not serve on the item (absent from it or jävig) and for whom no
    /// substitute serves, in the order of the seats.
    pub fn unserved_seats(&self, item: &Uuid) -> Vec<Uuid> {
        let serving = self.on_item(item);
        let replaced: BTreeSet<Uuid> = serving.iter().filter_map(|s| self.serves_for(item, s)).collect();
        self.members.iter().filter(|m| m.holds_seat() && !serving.contains(&m.id) && !replaced.contains(&m.id)).map(|m| m.id).collect()
    }

    /// Substitutes who could serve on the item, in the call-in order: there, not serving, not jävig.
    pub fn available_substitutes(&self, item: &Uuid) -> Vec<Uuid> {
        let (there, serving, out) = (self.there_at(item), self.on_item(item), self.conflicts_on(item));
        self.members
            .iter()
            .filter(|m| !m.holds_seat() && there.contains(&m.id) && !serving.contains(&m.id) && !out.contains(&m.id))
            .map(|m| m.id)
            .collect()
    }

    /// The substitutes the platform proposes on the item: per unserved seat, the next available
    /// substitute in the call-in order (`core::propose_substitutes`).
    pub fn proposals(&self, item: &Uuid) -> Vec<(Uuid, Option<Uuid>)> {
        core::propose_substitutes(&self.unserved_seats(item), &self.available_substitutes(item))
    }

    pub fn name(&self, member: Uuid) -> String {
        self.members.iter().find(|m| m.id == member).map(|m| m.name.clone()).unwrap_or_default()
    }
}

/// Sets who attended: `present` are members and substitutes present; `substitutes` pairs a
/// substitute with the absent seat-holder they serve for.
pub async fn set_attendance(
    db: &Db,
    s: &StaffUser,
    meeting: Uuid,
    present: &[Uuid],
    substitutes: &[(Uuid, Uuid)],
    now: OffsetDateTime,
) -> Result<()> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let m = secretary_meeting(&mut tx, s, meeting, now).await?;
    record_open(&m)?;
    // Who served is part of a paragraph adjusted immediately.
    if !store::locked_items(&mut tx, t, meeting).await?.is_empty() {
        return Err(MeetingError::ParagraphAdjusted.into());
    }
    let sv = Serving::load(&mut tx, t, &m).await?;
    let member = |id: &Uuid| sv.members.iter().find(|m| m.id == *id);
    if present.iter().any(|p| member(p).is_none()) {
        return Err(MeetingError::NotServing.into());
    }
    let mut replaced = BTreeSet::new();
    for (sub, for_) in substitutes {
        let ok = member(sub).is_some_and(|m| !m.holds_seat())
            && member(for_).is_some_and(Member::holds_seat)
            && !present.contains(for_)
            && present.contains(sub)
            && replaced.insert(*for_);
        if !ok {
            return Err(MeetingError::SubstituteNotNeeded.into());
        }
    }
    if substitutes.iter().map(|(s, _)| s).collect::<BTreeSet<_>>().len() != substitutes.len() {
        return Err(MeetingError::SubstituteNotNeeded.into());
    }
    // Arrival and departure stay as recorded for those still present.
    let before = |p: &Uuid| sv.attendance.iter().find(|a| a.member_id == *p);
    let rows: Vec<Attendance> = present
        .iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|p| Attendance {
            member_id: *p,
            serving_for: substitutes.iter().find(|(s, _)| s == p).map(|(_, f)| *f),
            arrived_before: before(p).and_then(|a| a.arrived_before),
            left_before: before(p).and_then(|a| a.left_before),
        })
        .collect();
    store::set_attendance(&mut tx, t, meeting, &rows).await?;
    let ev = Event::new("mtg.attendance.set", "meeting", meeting)
        .with(serde_json::json!({ "present": rows.len(), "substitutes": substitutes.len() }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(())
}

/// An item of a held meeting, for the secretary, with its meeting and who serves on it.
async fn open_item(tx: &mut Tx, s: &StaffUser, item: Uuid, now: OffsetDateTime) -> Result<(Item, Meeting, Serving, BTreeSet<Uuid>)> {
    let t = s.tenant_id;
    let i = store::item(tx, t, item).await?.ok_or(Error::NotFound)?;
    let m = secretary_meeting(tx, s, i.meeting_id, now).await?;
    record_open(&m)?;
    if store::locked_items(tx, t, m.id).await?.contains(&item) {
        return Err(MeetingError::ParagraphAdjusted.into());
    }
    let sv = Serving::load(tx, t, &m).await?;
    let serving = sv.on_item(&item);
    Ok((i, m, sv, serving))
}

/// What was recorded per member on the meeting's items still holds with this attendance: every
/// vote, motion and reservation is by someone serving on its item, never more votes than serve.
async fn recorded_still_serving(tx: &mut Tx, t: TenantId, meeting: Uuid, sv: &Serving) -> Result<()> {
    let votes = store::votes(tx, t, meeting).await?;
    for (item, _) in &sv.positions {
        let on = sv.on_item(item);
        let choices: Vec<(Uuid, Choice)> =
            votes.iter().filter(|v| v.item_id == *item).filter_map(|v| Choice::parse(&v.text).map(|c| (v.member_id, c))).collect();
        core::count_votes(&on, &choices)?;
    }
    let texts = [store::motions(tx, t, meeting).await?, store::reservations(tx, t, meeting).await?].concat();
    if texts.iter().any(|x| !sv.on_item(&x.item_id).contains(&x.member_id)) {
        return Err(MeetingError::NotServing.into());
    }
    Ok(())
}

/// Records when members present arrived and left: per member the item before which they came
/// (`None`: from the start) and the item before which they left (`None`: stayed to the end). A
/// member who left before an item does not serve on it. Refused for someone not recorded as
/// present (`MTG-004`), an item not of the meeting or a heading, a departure not after the
/// arrival, and when a vote, motion or reservation already recorded would then be by someone
/// not serving on its item (`MTG-004`) or make more votes than serving (`MTG-005`).
pub async fn set_times(
    db: &Db,
    s: &StaffUser,
    meeting: Uuid,
    times: &[(Uuid, Option<Uuid>, Option<Uuid>)],
    now: OffsetDateTime,
) -> Result<()> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let m = secretary_meeting(&mut tx, s, meeting, now).await?;
    record_open(&m)?;
    if !store::locked_items(&mut tx, t, meeting).await?.is_empty() {
        return Err(MeetingError::ParagraphAdjusted.into());
    }
    let items = store::items(&mut tx, t, meeting).await?;
    let mut sv = Serving::load(&mut tx, t, &m).await?;
    let on_agenda = |i: &Option<Uuid>, field: &str| -> Result<()> {
        match i {
            Some(i) if !items.iter().any(|x| x.id == *i && !x.is_heading()) => Err(Error::invalid(field, "mtg-err-item-time")),
            _ => Ok(()),
        }
    };
    let mut changed = 0;
    for (member, arrived, left) in times {
        on_agenda(arrived, &format!("arrived_{member}"))?;
        on_agenda(left, &format!("left_{member}"))?;
        let from = arrived.map_or(0, |i| sv.position(&i));
        if left.is_some_and(|l| sv.position(&l) <= from) {
            return Err(Error::invalid(&format!("left_{member}"), "mtg-err-left-before-arrived"));
        }
        let a = sv.attendance.iter_mut().find(|a| a.member_id == *member).ok_or(MeetingError::NotServing)?;
        if (a.arrived_before, a.left_before) != (*arrived, *left) {
            changed += 1;
        }
        a.arrived_before = *arrived;
        a.left_before = *left;
    }
    recorded_still_serving(&mut tx, t, meeting, &sv).await?;
    store::set_attendance(&mut tx, t, meeting, &sv.attendance).await?;
    let ev = Event::new("mtg.attendance.times", "meeting", meeting).with(serde_json::json!({ "changed": changed }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The secretary confirms a substitute to serve on an item for a seat-holder who does not serve
/// on it (absent from it or jävig). Refused (`MTG-013`) when the seat-holder serves (a
/// substitute never serves while the member is present and not jävig), someone already serves
/// for them on the item, or the substitute is not there, already serves or is jävig.
pub async fn confirm_substitute(db: &Db, s: &StaffUser, item: Uuid, seat: Uuid, substitute: Uuid, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (i, m, sv, _) = open_item(&mut tx, s, item, now).await?;
    if i.is_heading() || !sv.unserved_seats(&item).contains(&seat) || !sv.available_substitutes(&item).contains(&substitute) {
        return Err(MeetingError::SubstituteNotNeeded.into());
    }
    let x = store::ItemSubstitute { item_id: item, serving_for: seat, substitute_id: substitute };
    store::add_item_substitute(&mut tx, t, &x, s.user_id.0, now).await?;
    let proposed = sv.proposals(&item).iter().any(|(f, p)| *f == seat && *p == Some(substitute));
    let ev = Event::new("mtg.item.substitute", "item", item)
        .with(serde_json::json!({ "meeting": m.id, "substitute": substitute, "serving_for": seat, "as_proposed": proposed }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The outcome of an item and, when decided, the decision's text.
pub async fn decide(db: &Db, s: &StaffUser, item: Uuid, outcome: &str, decision: &str, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let decision = decision.replace("\r\n", "\n").trim().to_string();
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (i, ..) = open_item(&mut tx, s, item, now).await?;
    if i.is_heading() {
        return Err(MeetingError::BadOutcome.into());
    }
    let mut errs = vec![];
    if !crate::service::OUTCOMES.contains(&outcome) {
        errs.push(FieldError::new("outcome", "mtg-err-outcome"));
    }
    if outcome == "decided" && decision.is_empty() {
        errs.push(FieldError::new("decision", "mtg-err-decision"));
    }
    if decision.chars().count() > 20_000 {
        errs.push(FieldError::new("decision", "mtg-err-too-long"));
    }
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    store::set_decision(&mut tx, t, item, outcome, &decision).await?;
    let ev = Event::new("mtg.item.decided", "item", item).with(serde_json::json!({ "outcome": outcome }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A member out of an item for jäv (KL 6 kap. 28 och 30 §§): they do not serve on it, and a vote
/// they gave on it is removed.
pub async fn add_conflict(db: &Db, s: &StaffUser, item: Uuid, member: Uuid, reason: &str, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(Error::invalid("text", "mtg-err-conflict-reason"));
    }
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (_, m, sv, _) = open_item(&mut tx, s, item, now).await?;
    if !sv.there_at(&item).contains(&member) {
        return Err(MeetingError::NotServing.into());
    }
    store::add_conflict(&mut tx, t, item, member, reason).await?;
    let ev = Event::new("mtg.item.conflict", "item", item).with(serde_json::json!({ "member": member, "meeting": m.id }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Records an open vote on an item: each serving member's yes, no or abstain. A member who is
/// absent or jävig cannot vote; a serving member who gave no answer is absent from the vote.
pub async fn vote(db: &Db, s: &StaffUser, item: Uuid, votes: &[(Uuid, Choice)], now: OffsetDateTime) -> Result<core::Tally> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (.., serving) = open_item(&mut tx, s, item, now).await?;
    let tally = core::count_votes(&serving, votes)?;
    let rows: Vec<(Uuid, &str)> = votes.iter().map(|(m, c)| (*m, c.as_str())).collect();
    store::set_votes(&mut tx, t, item, &rows).await?;
    let ev =
        Event::new("mtg.item.vote", "item", item).with(serde_json::json!({ "yes": tally.yes, "no": tally.no, "abstain": tally.abstain }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(tally)
}

/// A motion (yrkande) by a serving member, after those already put; or a reservation by one.
pub async fn add_member_text(db: &Db, s: &StaffUser, item: Uuid, member: Uuid, kind: &str, text: &str, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let text = text.trim();
    if kind == "motion" && text.is_empty() {
        return Err(Error::invalid("text", "mtg-err-motion"));
    }
    if text.chars().count() > 5000 {
        return Err(Error::invalid("text", "mtg-err-text-long"));
    }
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (.., serving) = open_item(&mut tx, s, item, now).await?;
    if !serving.contains(&member) {
        return Err(MeetingError::NotServing.into());
    }
    match kind {
        "motion" => store::add_motion(&mut tx, t, item, member, text).await?,
        "reservation" => store::add_reservation(&mut tx, t, item, member, text).await?,
        _ => return Err(Error::invalid("kind", "mtg-err-item-kind")),
    }
    let ev = Event::new("mtg.item.text", "item", item).with(serde_json::json!({ "member": member, "kind": kind }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Per item: how many serve on it and whether the committee has a quorum (a warning only).
pub async fn quorum(tx: &mut Tx, t: TenantId, m: &Meeting, seats: i64) -> Result<Vec<(Uuid, usize, bool)>> {
    let sv = Serving::load(tx, t, m).await?;
    let items = store::items(tx, t, m.id).await?;
    Ok(items
        .iter()
        .filter(|i| !i.is_heading())
        .map(|i| {
            let n = sv.on_item(&i.id).len();
            (i.id, n, core::has_quorum(seats, n))
        })
        .collect())
}
