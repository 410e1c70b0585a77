//! Minutes: paragraph numbers per committee and year without gaps, the PDF/A, the adjustment by
//! the chair and the adjusters (who, when, how identified, SHA-256 of the exact minutes), and on
//! the last adjustment, in the same transaction: the posting on the notice board and one
//! extract per paragraph registered as a decision record in its case.

use std::collections::BTreeSet;

use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Event};
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::session::StaffUser;
use radhus_platform::outbox::JobCtx;
use radhus_platform::tenancy;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::core::{self, Action, Choice, MeetingState};
use crate::documents::{self, MinutesData, Paragraph, Person, Vote};
use crate::error::MeetingError;
use crate::record::Serving;
use crate::service::{actor, secretary_meeting, step, today};
use crate::store::{self, Meeting};

fn outcome_sv(o: Option<&str>) -> &'static str {
    match o {
        Some("decided") => "Beslutat",
        Some("tabled") => "Bordlagt",
        Some("referred_back") => "Återremitterat",
        Some("withdrawn") => "Utgår",
        Some("noted") => "Noterat",
        _ => "–",
    }
}

fn choice_sv(c: &str) -> &'static str {
    match Choice::parse(c) {
        Some(Choice::Yes) => "Ja",
        Some(Choice::No) => "Nej",
        Some(Choice::Abstain) => "Avstår",
        None => "",
    }
}

/// The secretary draws up the minutes of a held meeting: every item (not heading) needs an
/// outcome; the paragraphs get the committee's next numbers of the year, without gaps; the
/// chair and the chosen adjusters are recorded; then the PDF/A is typeset.
pub async fn draft(db: &Db, s: &StaffUser, meeting: Uuid, adjusters: &[Uuid], now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let m = secretary_meeting(&mut tx, s, meeting, now).await?;
    core::transition(m.state(), Action::DraftMinutes)?;
    let items = store::items(&mut tx, t, meeting).await?;
    if items.iter().all(|i| i.is_heading()) {
        return Err(MeetingError::NoItems.into());
    }
    if items.iter().any(|i| !i.is_heading() && i.outcome.is_none()) {
        return Err(MeetingError::BadOutcome.into());
    }
    let sv = Serving::load(&mut tx, t, &m).await?;
    let at = sv.at_meeting();
    let chair = sv
        .members
        .iter()
        .find(|p| p.role == "chair" && at.contains(&p.id))
        .or_else(|| sv.members.iter().find(|p| p.role == "vice_chair" && at.contains(&p.id)));
    let Some(chair) = chair else { return Err(MeetingError::NotServing.into()) };
    let chosen: BTreeSet<Uuid> = adjusters.iter().copied().filter(|a| *a != chair.id).collect();
    if chosen.is_empty() || chosen.iter().any(|a| !at.contains(a)) {
        return Err(Error::invalid("adjusters", "mtg-err-adjusters"));
    }
    step(&mut tx, t, &m, Action::DraftMinutes).await?;
    let (last, count) = number_once(&mut tx, t, &m, &items).await?;
    store::insert_adjuster(&mut tx, t, meeting, chair.id, "chair").await?;
    for a in &chosen {
        store::insert_adjuster(&mut tx, t, meeting, *a, "adjuster").await?;
    }
    let ev = Event::new("mtg.minutes.drafted", "meeting", meeting).with(serde_json::json!({ "first": last + 1, "last": last + count }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    typeset(db, s, meeting, now).await
}

/// Gives the meeting's paragraphs the committee's next numbers of the year, in agenda order and
/// without gaps, unless they have them already (an immediate adjustment numbered them at the
/// meeting). Returns the number before the first and how many there are.
pub(crate) async fn number_once(tx: &mut Tx, t: TenantId, m: &Meeting, items: &[store::Item]) -> Result<(i64, i64)> {
    let numbers: Vec<i64> = items.iter().filter_map(|i| i.paragraph.map(i64::from)).collect();
    if let Some(first) = numbers.iter().min() {
        return Ok((first - 1, numbers.len() as i64));
    }
    let order: Vec<(Uuid, bool)> = items.iter().map(|i| (i.id, i.is_heading())).collect();
    let count = core::number_paragraphs(0, &order).len() as i64;
    let year = radhus_kernel::tz::stockholm(m.starts_at).year();
    let last = store::take_paragraphs(tx, t, m.committee_id, year, count).await?;
    for (id, no) in core::number_paragraphs(last, &order) {
        store::set_paragraph(tx, t, id, no).await?;
    }
    Ok((last, count))
}

pub async fn minutes_data(tx: &mut Tx, t: TenantId, m: &Meeting) -> Result<MinutesData> {
    let tenant = tenancy::get(tx, t).await?;
    let c = store::committee(tx, t, m.committee_id).await?.ok_or(Error::NotFound)?;
    let items = store::items(tx, t, m.id).await?;
    let sv = Serving::load(tx, t, m).await?;
    let (motions, conflicts, votes, reservations) = (
        store::motions(tx, t, m.id).await?,
        store::conflicts(tx, t, m.id).await?,
        store::votes(tx, t, m.id).await?,
        store::reservations(tx, t, m.id).await?,
    );
    let adjusters = store::adjusters(tx, t, store::Signed::Minutes(m.id)).await?;
    let secretary =
        store::access_list(tx, t, m.committee_id).await?.into_iter().find(|a| a.role == "secretary").map(|a| a.name).unwrap_or_default();
    let at = sv.at_meeting();
    let present = sv
        .members
        .iter()
        .filter(|p| at.contains(&p.id))
        .map(|p| {
            let note = sv
                .attendance
                .iter()
                .find(|a| a.member_id == p.id)
                .and_then(|a| a.serving_for)
                .map(|f| format!("tjänstgör för {}", sv.name(f)));
            Person {
                name: p.name.clone(),
                role: crate::record::role_sv(&p.role).into(),
                party: p.party.clone(),
                note: note.unwrap_or_default(),
            }
        })
        .collect();
    let of = |list: &[store::MemberText], item: Uuid| list.iter().filter(|x| x.item_id == item).cloned().collect::<Vec<_>>();
    let paragraphs: Vec<Paragraph> = items
        .iter()
        .map(|i| {
            let v = of(&votes, i.id);
            let choices: Vec<(Uuid, Choice)> = v.iter().filter_map(|x| Choice::parse(&x.text).map(|c| (x.member_id, c))).collect();
            let serving = sv.on_item(&i.id);
            let tally = if v.is_empty() {
                String::new()
            } else {
                core::count_votes(&serving, &choices)
                    .map(|t| format!("{} ja, {} nej, {} avstår, {} frånvarande", t.yes, t.no, t.abstain, t.absent))
                    .unwrap_or_default()
            };
            Paragraph {
                number: i64::from(i.paragraph.unwrap_or(0)),
                heading: i.is_heading(),
                title: i.title.clone(),
                case_number: i.case_number.clone(),
                outcome: outcome_sv(i.outcome.as_deref()).into(),
                decision: i.decision.clone(),
                motions: of(&motions, i.id).iter().map(|x| format!("{}: {}", sv.name(x.member_id), x.text)).collect(),
                conflicts: of(&conflicts, i.id).iter().map(|x| format!("{} ({})", sv.name(x.member_id), x.text)).collect(),
                votes: v.iter().map(|x| Vote { name: sv.name(x.member_id), choice: choice_sv(&x.text).into() }).collect(),
                tally,
                // Who served on the paragraph, where it differs from the meeting's attendance.
                serving: if i.is_heading() || serving == at {
                    vec![]
                } else {
                    sv.members
                        .iter()
                        .filter(|p| serving.contains(&p.id))
                        .map(|p| match sv.serves_for(&i.id, &p.id) {
                            Some(f) => format!("{} (tjänstgör för {})", p.name, sv.name(f)),
                            None => p.name.clone(),
                        })
                        .collect()
                },
                reservations: of(&reservations, i.id)
                    .iter()
                    .map(|x| if x.text.is_empty() { sv.name(x.member_id) } else { format!("{}: {}", sv.name(x.member_id), x.text) })
                    .collect(),
            }
        })
        .collect();
    let numbers: Vec<i64> = paragraphs.iter().filter(|p| !p.heading).map(|p| p.number).collect();
    let range = match (numbers.first(), numbers.last()) {
        (Some(a), Some(b)) if a != b => format!("{} §§ {a}–{b}", c.code),
        (Some(a), _) => format!("{} § {a}", c.code),
        _ => String::new(),
    };
    Ok(MinutesData {
        municipality: tenant.name,
        committee: c.name,
        code: c.code,
        when: crate::core::when(&m.starts_at),
        place: m.place.clone(),
        secretary,
        adjusters: adjusters.iter().map(|a| a.name.clone()).collect(),
        range,
        present,
        paragraphs,
        immediate: false,
        correction: String::new(),
        public_version: false,
    })
}

/// Typesets the minutes of a meeting whose minutes are drawn up and not yet adjusted by
/// anyone (again, e.g. after typesetting failed), and stores the PDF with its SHA-256.
pub async fn typeset(db: &Db, s: &StaffUser, meeting: Uuid, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let m = secretary_meeting(&mut tx, s, meeting, now).await?;
    let data = minutes_data(&mut tx, t, &m).await?;
    tx.commit().await?;
    let pdf = documents::typeset(db, t, documents::Doc::Minutes, &data, now).await?;
    let sha = radhus_platform::identity::sha256_hex(&pdf);
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let m = secretary_meeting(&mut tx, s, meeting, now).await?;
    if m.state() != MeetingState::MinutesDrafted {
        return Err(MeetingError::WrongState.into());
    }
    if store::adjusters(&mut tx, t, store::Signed::Minutes(meeting)).await?.iter().any(|a| a.adjusted_at.is_some()) {
        return Err(MeetingError::Frozen.into());
    }
    store::set_minutes(&mut tx, t, meeting, &pdf, &sha).await?;
    let ev = Event::new("mtg.minutes.typeset", "meeting", meeting).with(serde_json::json!({ "sha256": sha }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The background job: postings whose appeal period has ended are taken down (the meeting
/// moves to `appeal_ended`); the history stays on the notice board's archive.
pub fn end_appeals(ctx: JobCtx) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<usize>> + Send>> {
    Box::pin(async move {
        let mut tx = ctx.db.read(Scope::System).await?;
        let due = store::appeal_over(&mut tx, today(ctx.now)).await?;
        tx.commit().await?;
        let mut n = 0;
        for (tenant, id) in due {
            let t = TenantId(tenant);
            let mut tx = ctx.db.write(Scope::Tenant(t)).await?;
            if store::set_state(&mut tx, t, id, MeetingState::Posted.as_str(), MeetingState::AppealEnded.as_str()).await? {
                let ev = Event::new("mtg.posting.removed", "meeting", id);
                audit::record(&mut tx, Some(t), &radhus_platform::audit::Actor::system(), ev, ctx.now).await?;
                n += 1;
            }
            tx.commit().await?;
        }
        Ok(n)
    })
}

/// Where the extracts of an adjusted meeting stand: how many are registered in their cases and
/// not yet dispatched to the parties, and when the last was dispatched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtractsState {
    pub pending: usize,
    pub dispatched: usize,
    pub dispatched_at: Option<OffsetDateTime>,
}

pub async fn extracts_state(tx: &mut Tx, t: TenantId, meeting: Uuid) -> Result<ExtractsState> {
    let mut out = ExtractsState::default();
    for i in store::items(tx, t, meeting).await? {
        let Some(id) = i.extract_record_id else { continue };
        let r = radhus_cases::store::record(tx, t, id).await?.ok_or(Error::NotFound)?;
        match r.dispatched_at {
            Some(at) => {
                out.dispatched += 1;
                out.dispatched_at = out.dispatched_at.max(Some(at));
            }
            None => out.pending += 1,
        }
    }
    Ok(out)
}
