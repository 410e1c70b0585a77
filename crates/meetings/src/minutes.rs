//! Minutes: paragraph numbers per committee and year without gaps, the PDF/A, the adjustment by
//! the chair and the adjusters (who, when, how identified, SHA-256 of the exact minutes), and on
//! the last adjustment, in the same transaction: the posting on the notice board and one
//! extract per paragraph registered as a decision record in its case.

use std::collections::BTreeSet;

use radhus_cases::intake::{self, By, Decision, Document};
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
use crate::documents::{self, ExtractData, MinutesData, Paragraph, Person, Vote};
use crate::error::MeetingError;
use crate::record::Serving;
use crate::service::{actor, readable_meeting, secretary_meeting, step, today};
use crate::store::{self, Meeting};

/// How an adjuster was identified: the platform's staff login.
pub const IDENTIFIED_BY: &str = "Inloggning i Rådhus (konto och lösenord)";

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

pub(crate) async fn minutes_data(tx: &mut Tx, t: TenantId, m: &Meeting) -> Result<MinutesData> {
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
    let adjusters = store::adjusters(tx, t, m.id).await?;
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
            let out: BTreeSet<Uuid> = conflicts.iter().filter(|c| c.item_id == i.id).map(|c| c.member_id).collect();
            let serving = core::serving_on_item(&at, &out);
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
    let pdf = documents::typeset(t, documents::MINUTES, &data, now).await?;
    let sha = radhus_platform::identity::sha256_hex(&pdf);
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let m = secretary_meeting(&mut tx, s, meeting, now).await?;
    if m.state() != MeetingState::MinutesDrafted {
        return Err(MeetingError::WrongState.into());
    }
    if store::adjusters(&mut tx, t, meeting).await?.iter().any(|a| a.adjusted_at.is_some()) {
        return Err(MeetingError::Frozen.into());
    }
    store::set_minutes(&mut tx, t, meeting, &pdf, &sha).await?;
    let ev = Event::new("mtg.minutes.typeset", "meeting", meeting).with(serde_json::json!({ "sha256": sha }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(())
}

/// One extract, typeset before the last adjustment is written.
struct Extract {
    item: Uuid,
    case: Uuid,
    title: String,
    pdf: Vec<u8>,
}

/// The chair or an adjuster adjusts the minutes whose SHA-256 they were shown. The last
/// adjustment makes the minutes adjusted (frozen), posts the announcement on the notice board
/// (today; appeal until three weeks later) and registers each paragraph's extract as a decision
/// record in its case, all in one transaction.
pub async fn adjust(db: &Db, s: &StaffUser, meeting: Uuid, sha256: &str, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    // What would be written, read and typeset outside any transaction.
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let (m, _) = readable_meeting(&mut tx, s, meeting, now).await?;
    let adjusters = store::adjusters(&mut tx, t, meeting).await?;
    let me = check_adjuster(&m, &adjusters, s, sha256)?;
    let last = adjusters.iter().all(|a| a.adjusted_at.is_some() || a.member_id == me);
    let extracts = if last { extracts(&mut tx, t, &m, &adjusters, s, now).await? } else { (vec![], vec![]) };
    tx.commit().await?;
    let mut typeset = vec![];
    for (e, data) in extracts.0.into_iter().zip(extracts.1) {
        typeset.push(Extract { pdf: documents::typeset(t, documents::EXTRACT, &data, now).await?, ..e });
    }
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (m, _) = readable_meeting(&mut tx, s, meeting, now).await?;
    let adjusters = store::adjusters(&mut tx, t, meeting).await?;
    let me = check_adjuster(&m, &adjusters, s, sha256)?;
    let now_last = adjusters.iter().all(|a| a.adjusted_at.is_some() || a.member_id == me);
    if now_last != last {
        // Someone else adjusted in between: the extracts were not typeset; adjust again.
        return Err(MeetingError::MinutesChanged.into());
    }
    if !store::sign(&mut tx, t, meeting, me, s.user_id.0, IDENTIFIED_BY, sha256, now).await? {
        return Err(MeetingError::AlreadyAdjusted.into());
    }
    let ev = Event::new("mtg.minutes.adjusted_by", "meeting", meeting)
        .with(serde_json::json!({ "member": me, "sha256": sha256, "identified_by": IDENTIFIED_BY }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    if last {
        step(&mut tx, t, &m, Action::Adjust).await?;
        let posted = today(now);
        let until = core::appeal_until(posted);
        store::set_adjusted(&mut tx, t, meeting, now, posted, until).await?;
        let m = store::meeting(&mut tx, t, meeting).await?.ok_or(Error::NotFound)?;
        step(&mut tx, t, &m, Action::Post).await?;
        let by = By::System(format!("Sammanträde: {}", m.committee_name));
        for e in &typeset {
            let d = Decision {
                title: e.title.clone(),
                decided_on: radhus_kernel::tz::stockholm(m.starts_at).date(),
                document: Document { main: true, title: e.title.clone(), filename: "protokollsutdrag.pdf".into(), bytes: e.pdf.clone() },
            };
            let (record, _) = intake::add_decision_in(&mut tx, t, &by, e.case, &d, now).await?;
            store::set_extract(&mut tx, t, e.item, record).await?;
        }
        let ev = Event::new("mtg.minutes.adjusted", "meeting", meeting)
            .with(serde_json::json!({ "posted_on": posted.to_string(), "appeal_until": until.to_string(), "extracts": typeset.len() }));
        audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The adjuster's own member id, when they may adjust these exact minutes now.
fn check_adjuster(m: &Meeting, adjusters: &[store::Adjuster], s: &StaffUser, sha256: &str) -> Result<Uuid> {
    match m.state() {
        MeetingState::MinutesDrafted => {}
        MeetingState::Adjusted | MeetingState::Posted | MeetingState::AppealEnded => return Err(MeetingError::AlreadyAdjusted.into()),
        _ => return Err(MeetingError::WrongState.into()),
    }
    let Some(stored) = m.minutes_sha256.as_deref() else { return Err(MeetingError::WrongState.into()) };
    let me = adjusters.iter().find(|a| a.user_id == s.user_id.0).ok_or(MeetingError::NotAdjuster)?;
    if me.adjusted_at.is_some() {
        return Err(MeetingError::AlreadyAdjusted.into());
    }
    if stored != sha256.trim() {
        return Err(MeetingError::MinutesChanged.into());
    }
    Ok(me.member_id)
}

/// The extracts of the paragraphs that belong to a case, with what each shows.
async fn extracts(
    tx: &mut Tx,
    t: TenantId,
    m: &Meeting,
    adjusters: &[store::Adjuster],
    s: &StaffUser,
    now: OffsetDateTime,
) -> Result<(Vec<Extract>, Vec<ExtractData>)> {
    let data = minutes_data(tx, t, m).await?;
    let items = store::items(tx, t, m.id).await?;
    let mut names: Vec<String> = adjusters.iter().filter(|a| a.adjusted_at.is_some()).map(|a| a.name.clone()).collect();
    names.push(s.name.clone());
    let posted = today(now);
    let mut out = (vec![], vec![]);
    for (i, p) in items.iter().zip(&data.paragraphs) {
        // A paragraph adjusted immediately has its extract already.
        let Some(case) = i.case_id.filter(|_| !p.heading && i.extract_record_id.is_none()) else { continue };
        out.0.push(Extract { item: i.id, case, title: format!("Protokollsutdrag {} § {} {}", data.code, p.number, i.title), pdf: vec![] });
        out.1.push(ExtractData {
            municipality: data.municipality.clone(),
            committee: data.committee.clone(),
            code: data.code.clone(),
            when: data.when.clone(),
            number: p.number,
            title: p.title.clone(),
            case_number: p.case_number.clone(),
            outcome: p.outcome.clone(),
            decision: p.decision.clone(),
            reservations: p.reservations.clone(),
            adjusted: format!("Protokollet justerades {} av {}.", radhus_kernel::lang::swedish_date(posted), names.join(", ")),
            appeal: format!(
                "Beslutet kan överklagas till förvaltningsrätten till och med {} (tre veckor från anslaget på kommunens anslagstavla).",
                radhus_kernel::lang::swedish_date(core::appeal_until(posted))
            ),
        });
    }
    Ok(out)
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

/// The secretary dispatches (expedierar) the extracts of adjusted minutes to the parties of
/// each case, through case management's dispatch of a decision, all in one transaction: each
/// extract becomes *expedierad* in its case and, through the change log, the citizen's case in
/// Mina ärenden turns *Beslutat* with the extract to download. Returns how many were dispatched;
/// minutes not adjusted, or extracts already dispatched (or none), are refused.
pub async fn dispatch_extracts(db: &Db, s: &StaffUser, meeting: Uuid, now: OffsetDateTime) -> Result<usize> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let m = secretary_meeting(&mut tx, s, meeting, now).await?;
    if !matches!(m.state(), MeetingState::Posted | MeetingState::AppealEnded) {
        return Err(MeetingError::WrongState.into());
    }
    let by = By::System(format!("Sammanträde: {}", m.committee_name));
    let mut n = 0;
    for i in store::items(&mut tx, t, meeting).await? {
        let Some(id) = i.extract_record_id else { continue };
        let r = radhus_cases::store::record(&mut tx, t, id).await?.ok_or(Error::NotFound)?;
        if r.dispatched_at.is_none() {
            intake::dispatch_decision_in(&mut tx, t, &by, id, now).await?;
            n += 1;
        }
    }
    if n == 0 {
        return Err(MeetingError::NothingToDispatch.into());
    }
    let ev = Event::new("mtg.extracts.dispatched", "meeting", meeting).with(serde_json::json!({ "extracts": n }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(n)
}
