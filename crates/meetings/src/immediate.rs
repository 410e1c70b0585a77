//! Immediate adjustment (omedelbar justering) of one paragraph: at or right after the meeting,
//! when a decision must take effect before the whole minutes are adjusted, the secretary draws
//! up the paragraph as minutes of its own (the paragraph alone, PDF/A with its SHA-256); the
//! chair and the chosen adjusters adjust that exact document as they adjust the minutes (who,
//! when, how identified, the hash). The last adjustment posts it on the notice board with its
//! own last day to appeal and registers its extract in the case, in one transaction; the
//! secretary may then dispatch that extract to the parties at once. From the first adjustment
//! nothing recorded on the paragraph (nor the attendance) changes (`MTG-023`), so the whole
//! minutes later show it unchanged, and its extract is not registered again.
//!
//! Law: research (cases_meetings.md §5, Sigtuna) verifies the practice of adjusting urgent
//! decisions immediately as separate minutes; law-check.md leaves the paragraph of
//! kommunallagen unverified, so none is cited.

use radhus_cases::intake::{self, By, Decision, Document};
use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Event};
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::session::StaffUser;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::core::{self, MeetingState};
use crate::documents::{self, ExtractData, MinutesData};
use crate::error::MeetingError;
use crate::minutes::{IDENTIFIED_BY, minutes_data, number_once};
use crate::record::Serving;
use crate::service::{actor, readable_meeting, secretary_meeting, today};
use crate::store::{self, Adjuster, Immediate, Item, Meeting};

/// The paragraph's own minutes: the meeting's minutes with this paragraph alone and its
/// adjusters.
async fn paragraph_data(tx: &mut Tx, t: TenantId, m: &Meeting, item: &Item) -> Result<MinutesData> {
    let mut d = minutes_data(tx, t, m).await?;
    let items = store::items(tx, t, m.id).await?;
    let at = items.iter().position(|i| i.id == item.id).ok_or(Error::NotFound)?;
    let p = d.paragraphs.swap_remove(at);
    d.range = format!("{} § {}", d.code, p.number);
    d.paragraphs = vec![p];
    d.adjusters = store::immediate_adjusters(tx, t, item.id).await?.into_iter().map(|a| a.name).collect();
    d.immediate = true;
    Ok(d)
}

fn signed(x: &Immediate, adjusters: &[Adjuster]) -> bool {
    x.adjusted_at.is_some() || adjusters.iter().any(|a| a.adjusted_at.is_some())
}

/// The secretary starts the immediate adjustment of a decided paragraph of a held meeting,
/// choosing adjusters among those serving (the chair, or the vice chair when the chair is
/// absent, adjusts too). The meeting's paragraphs are numbered now if they are not. Then its
/// own minutes are typeset. Again while no one has adjusted: typeset anew with the adjusters
/// chosen now.
pub async fn prepare(db: &Db, s: &StaffUser, item: Uuid, adjusters: &[Uuid], now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let i = store::item(&mut tx, t, item).await?.ok_or(Error::NotFound)?;
    let m = secretary_meeting(&mut tx, s, i.meeting_id, now).await?;
    match m.state() {
        MeetingState::Held => {}
        MeetingState::Cancelled => return Err(MeetingError::Cancelled.into()),
        MeetingState::Planned | MeetingState::NoticeIssued => return Err(MeetingError::NotHeld.into()),
        _ => return Err(MeetingError::WrongState.into()),
    }
    if i.is_heading() || i.outcome.is_none() {
        return Err(MeetingError::NoDecision.into());
    }
    if let Some(x) = store::immediate(&mut tx, t, item).await?
        && signed(&x, &store::immediate_adjusters(&mut tx, t, item).await?)
    {
        return Err(MeetingError::ParagraphAdjusted.into());
    }
    let sv = Serving::load(&mut tx, t, &m).await?;
    let at = sv.at_meeting();
    let chair = sv
        .members
        .iter()
        .find(|p| p.role == "chair" && at.contains(&p.id))
        .or_else(|| sv.members.iter().find(|p| p.role == "vice_chair" && at.contains(&p.id)));
    let Some(chair) = chair else { return Err(MeetingError::NotServing.into()) };
    let chosen: std::collections::BTreeSet<Uuid> = adjusters.iter().copied().filter(|a| *a != chair.id).collect();
    if chosen.is_empty() || chosen.iter().any(|a| !at.contains(a)) {
        return Err(Error::invalid("adjusters", "mtg-err-adjusters"));
    }
    let items = store::items(&mut tx, t, m.id).await?;
    number_once(&mut tx, t, &m, &items).await?;
    let mut rows = vec![(chair.id, "chair")];
    rows.extend(chosen.iter().map(|a| (*a, "adjuster")));
    store::prepare_immediate(&mut tx, t, item, m.id, &rows, now).await?;
    let ev = Event::new("mtg.paragraph.immediate", "item", item).with(serde_json::json!({ "meeting": m.id, "adjusters": rows.len() }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    typeset(db, s, item, now).await
}

/// Typesets the paragraph's own minutes (again, e.g. after the record changed or typesetting
/// failed) while no one has adjusted them, and stores the PDF with its SHA-256.
pub async fn typeset(db: &Db, s: &StaffUser, item: Uuid, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let read = async |tx: &mut Tx| -> Result<MinutesData> {
        let i = store::item(tx, t, item).await?.ok_or(Error::NotFound)?;
        let m = secretary_meeting(tx, s, i.meeting_id, now).await?;
        let x = store::immediate(tx, t, item).await?.ok_or(MeetingError::WrongState)?;
        if signed(&x, &store::immediate_adjusters(tx, t, item).await?) {
            return Err(MeetingError::ParagraphAdjusted.into());
        }
        if m.state() != MeetingState::Held {
            return Err(MeetingError::WrongState.into());
        }
        paragraph_data(tx, t, &m, &i).await
    };
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let data = read(&mut tx).await?;
    tx.commit().await?;
    let pdf = documents::typeset(t, documents::MINUTES, &data, now).await?;
    let sha = radhus_platform::identity::sha256_hex(&pdf);
    let mut tx = db.write(Scope::Tenant(t)).await?;
    if read(&mut tx).await? != data {
        // The paragraph changed while it was typeset: typeset it again.
        return Err(MeetingError::MinutesChanged.into());
    }
    let json = serde_json::to_string(&data).map_err(|e| Error::Internal(e.to_string()))?;
    store::set_immediate_pdf(&mut tx, t, item, &json, &pdf, &sha).await?;
    let ev = Event::new("mtg.paragraph.typeset", "item", item).with(serde_json::json!({ "sha256": sha }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(())
}

/// What an adjuster may adjust now: the paragraph, its meeting, its immediate adjustment, the
/// adjuster's own member id and whether theirs is the last adjustment.
async fn check(tx: &mut Tx, s: &StaffUser, item: Uuid, sha256: &str, now: OffsetDateTime) -> Result<(Item, Meeting, Uuid, bool)> {
    let t = s.tenant_id;
    let i = store::item(tx, t, item).await?.ok_or(Error::NotFound)?;
    let (m, _) = readable_meeting(tx, s, i.meeting_id, now).await?;
    let x = store::immediate(tx, t, item).await?.ok_or(MeetingError::WrongState)?;
    if x.adjusted_at.is_some() {
        return Err(MeetingError::ParagraphAdjusted.into());
    }
    match m.state() {
        MeetingState::Held | MeetingState::MinutesDrafted => {}
        // The whole minutes were adjusted first: they hold the paragraph.
        MeetingState::Adjusted | MeetingState::Posted | MeetingState::AppealEnded => return Err(MeetingError::AlreadyAdjusted.into()),
        _ => return Err(MeetingError::WrongState.into()),
    }
    let adjusters = store::immediate_adjusters(tx, t, item).await?;
    let me = adjusters.iter().find(|a| a.user_id == s.user_id.0).ok_or(MeetingError::NotAdjuster)?;
    if me.adjusted_at.is_some() {
        return Err(MeetingError::AlreadyAdjusted.into());
    }
    let (Some(stored), Some(data)) = (x.sha256.as_deref(), x.data.as_deref()) else { return Err(MeetingError::WrongState.into()) };
    if stored != sha256.trim() {
        return Err(MeetingError::MinutesChanged.into());
    }
    // What is recorded may have changed after the PDF was typeset (before anyone adjusted).
    let typeset: MinutesData = serde_json::from_str(data).map_err(|e| Error::Internal(format!("paragraph data: {e}")))?;
    if paragraph_data(tx, t, &m, &i).await? != typeset {
        return Err(MeetingError::MinutesChanged.into());
    }
    let last = adjusters.iter().all(|a| a.adjusted_at.is_some() || a.member_id == me.member_id);
    Ok((i, m, me.member_id, last))
}

/// The chair or an adjuster adjusts the paragraph's own minutes whose SHA-256 they were shown.
/// The last adjustment posts it on the notice board (today; appeal until three weeks later)
/// and registers its extract as a decision record in its case, in one transaction.
pub async fn adjust(db: &Db, s: &StaffUser, item: Uuid, sha256: &str, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let (i, m, _, last) = check(&mut tx, s, item, sha256, now).await?;
    let extract = match (last, i.case_id) {
        (true, Some(_)) => Some(extract_data(&mut tx, t, &m, &i, s, now).await?),
        _ => None,
    };
    tx.commit().await?;
    let pdf = match &extract {
        Some(data) => Some(documents::typeset(t, documents::EXTRACT, data, now).await?),
        None => None,
    };
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (i, m, me, now_last) = check(&mut tx, s, item, sha256, now).await?;
    if now_last != last {
        // Someone else adjusted in between: adjust again.
        return Err(MeetingError::MinutesChanged.into());
    }
    if !store::sign_immediate(&mut tx, t, item, me, s.user_id.0, IDENTIFIED_BY, sha256, now).await? {
        return Err(MeetingError::AlreadyAdjusted.into());
    }
    let ev = Event::new("mtg.paragraph.adjusted_by", "item", item)
        .with(serde_json::json!({ "member": me, "sha256": sha256, "identified_by": IDENTIFIED_BY }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    if last {
        let posted = today(now);
        let until = core::appeal_until(posted);
        store::set_immediate_adjusted(&mut tx, t, item, now, posted, until).await?;
        if let (Some(case), Some(data), Some(pdf)) = (i.case_id, &extract, pdf) {
            let title = format!("Protokollsutdrag {} § {} {}", data.code, data.number, i.title);
            let d = Decision {
                title: title.clone(),
                decided_on: radhus_kernel::tz::stockholm(m.starts_at).date(),
                document: Document { main: true, title, filename: "protokollsutdrag.pdf".into(), bytes: pdf },
            };
            let by = By::System(format!("Sammanträde: {}", m.committee_name));
            let (record, _) = intake::add_decision_in(&mut tx, t, &by, case, &d, now).await?;
            store::set_extract(&mut tx, t, item, record).await?;
        }
        let ev = Event::new("mtg.paragraph.adjusted", "item", item)
            .with(serde_json::json!({ "posted_on": posted.to_string(), "appeal_until": until.to_string(), "extract": extract.is_some() }));
        audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The extract of the paragraph as its last adjustment would register it.
async fn extract_data(tx: &mut Tx, t: TenantId, m: &Meeting, i: &Item, s: &StaffUser, now: OffsetDateTime) -> Result<ExtractData> {
    let d = paragraph_data(tx, t, m, i).await?;
    let p = &d.paragraphs[0];
    let mut names: Vec<String> =
        store::immediate_adjusters(tx, t, i.id).await?.into_iter().filter(|a| a.adjusted_at.is_some()).map(|a| a.name).collect();
    names.push(s.name.clone());
    let posted = today(now);
    Ok(ExtractData {
        municipality: d.municipality.clone(),
        committee: d.committee.clone(),
        code: d.code.clone(),
        when: d.when.clone(),
        number: p.number,
        title: p.title.clone(),
        case_number: p.case_number.clone(),
        outcome: p.outcome.clone(),
        decision: p.decision.clone(),
        reservations: p.reservations.clone(),
        adjusted: format!("Paragrafen justerades omedelbart {} av {}.", radhus_kernel::lang::swedish_date(posted), names.join(", ")),
        appeal: format!(
            "Beslutet kan överklagas till förvaltningsrätten till och med {} (tre veckor från anslaget på kommunens anslagstavla).",
            radhus_kernel::lang::swedish_date(core::appeal_until(posted))
        ),
    })
}

/// The secretary dispatches (expedierar) the extract of an immediately adjusted paragraph to
/// the parties of its case at once, through case management's dispatch of a decision, as the
/// whole minutes' extracts are dispatched. Refused before the paragraph is adjusted (`MTG-001`)
/// and when its extract is dispatched already or there is none (`MTG-019`).
pub async fn dispatch(db: &Db, s: &StaffUser, item: Uuid, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let i = store::item(&mut tx, t, item).await?.ok_or(Error::NotFound)?;
    let m = secretary_meeting(&mut tx, s, i.meeting_id, now).await?;
    let x = store::immediate(&mut tx, t, item).await?.ok_or(MeetingError::WrongState)?;
    if x.adjusted_at.is_none() {
        return Err(MeetingError::WrongState.into());
    }
    let Some(id) = i.extract_record_id else { return Err(MeetingError::NothingToDispatch.into()) };
    let r = radhus_cases::store::record(&mut tx, t, id).await?.ok_or(Error::NotFound)?;
    if r.dispatched_at.is_some() {
        return Err(MeetingError::NothingToDispatch.into());
    }
    let by = By::System(format!("Sammanträde: {}", m.committee_name));
    intake::dispatch_decision_in(&mut tx, t, &by, id, now).await?;
    let ev = Event::new("mtg.paragraph.dispatched", "item", item).with(serde_json::json!({ "record": id }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(())
}
