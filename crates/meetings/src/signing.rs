//! One signing step for the minutes and for a paragraph adjusted immediately (omedelbar
//! justering): the chair and the chosen adjusters adjust the exact PDF/A whose SHA-256 they were
//! shown (who, when, how identified, the hash); the last adjustment posts it on the notice board
//! (today; appeal until three weeks later) and registers each paragraph's extract as a decision
//! record in its case, in one transaction; then the secretary dispatches the extracts to the
//! parties. What differs between the two — which document, which state allows it, what the last
//! adjustment moves — is [`Signed`]'s; the steps are the same.

use radhus_cases::intake::{self, By, Decision, Document};
use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Event};
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::session::StaffUser;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::core::{self, Action, MeetingState};
use crate::documents::{self, ExtractData, MinutesData};
use crate::error::MeetingError;
use crate::service::{actor, readable_meeting, secretary_meeting, step, today};
use crate::store::{self, Adjuster, Item, Meeting};

pub use crate::store::Signed;

/// How an adjuster was identified: the platform's staff login.
pub const IDENTIFIED_BY: &str = "Inloggning i Rådhus (konto och lösenord)";

impl Signed {
    /// The audit log's object: its kind and id.
    fn object(self) -> (&'static str, Uuid) {
        match self {
            Signed::Minutes(id) => ("meeting", id),
            Signed::Paragraph(id) => ("item", id),
        }
    }

    /// The audit log's event names: one adjustment, the last one, the dispatch.
    fn events(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Signed::Minutes(_) => ("mtg.minutes.adjusted_by", "mtg.minutes.adjusted", "mtg.extracts.dispatched"),
            Signed::Paragraph(_) => ("mtg.paragraph.adjusted_by", "mtg.paragraph.adjusted", "mtg.paragraph.dispatched"),
        }
    }
}

/// Where an adjuster stands: the meeting, their own member id, whether theirs is the last
/// adjustment, and who adjusted before.
struct Standing {
    meeting: Meeting,
    member: Uuid,
    last: bool,
    before: Vec<String>,
}

/// The paragraph's own minutes: the meeting's minutes with this paragraph alone and its
/// adjusters.
pub(crate) async fn paragraph_data(tx: &mut Tx, t: TenantId, m: &Meeting, item: &Item) -> Result<MinutesData> {
    let mut d = crate::minutes::minutes_data(tx, t, m).await?;
    let items = store::items(tx, t, m.id).await?;
    let at = items.iter().position(|i| i.id == item.id).ok_or(Error::NotFound)?;
    let p = d.paragraphs.swap_remove(at);
    d.range = format!("{} § {}", d.code, p.number);
    d.paragraphs = vec![p];
    d.adjusters = store::adjusters(tx, t, Signed::Paragraph(item.id)).await?.into_iter().map(|a| a.name).collect();
    d.immediate = true;
    Ok(d)
}

/// The adjuster may adjust this exact document now: the state allows it, it is typeset (its
/// SHA-256 is `stored`), they are among its adjusters and have not adjusted, and the hash they
/// were shown is the stored one.
async fn standing(tx: &mut Tx, s: &StaffUser, what: Signed, sha256: &str, now: OffsetDateTime) -> Result<Standing> {
    let t = s.tenant_id;
    let (meeting, stored) = match what {
        Signed::Minutes(id) => {
            let (m, _) = readable_meeting(tx, s, id, now).await?;
            match m.state() {
                MeetingState::MinutesDrafted => {}
                MeetingState::Adjusted | MeetingState::Posted | MeetingState::AppealEnded => {
                    return Err(MeetingError::AlreadyAdjusted.into());
                }
                _ => return Err(MeetingError::WrongState.into()),
            }
            let stored = m.minutes_sha256.clone();
            (m, stored)
        }
        Signed::Paragraph(item) => {
            let i = store::item(tx, t, item).await?.ok_or(Error::NotFound)?;
            let (m, _) = readable_meeting(tx, s, i.meeting_id, now).await?;
            let x = store::immediate(tx, t, item).await?.ok_or(MeetingError::WrongState)?;
            if x.adjusted_at.is_some() {
                return Err(MeetingError::ParagraphAdjusted.into());
            }
            match m.state() {
                MeetingState::Held | MeetingState::MinutesDrafted => {}
                // The whole minutes were adjusted first: they hold the paragraph.
                MeetingState::Adjusted | MeetingState::Posted | MeetingState::AppealEnded => {
                    return Err(MeetingError::AlreadyAdjusted.into());
                }
                _ => return Err(MeetingError::WrongState.into()),
            }
            let Some(data) = x.data.as_deref() else { return Err(MeetingError::WrongState.into()) };
            // What is recorded may have changed after the PDF was typeset (before anyone adjusted).
            let typeset: MinutesData = serde_json::from_str(data).map_err(|e| Error::Internal(format!("paragraph data: {e}")))?;
            if paragraph_data(tx, t, &m, &i).await? != typeset {
                return Err(MeetingError::MinutesChanged.into());
            }
            (m, x.sha256)
        }
    };
    let Some(stored) = stored else { return Err(MeetingError::WrongState.into()) };
    let adjusters = store::adjusters(tx, t, what).await?;
    let me = adjusters.iter().find(|a| a.user_id == s.user_id.0).ok_or(MeetingError::NotAdjuster)?;
    if me.adjusted_at.is_some() {
        return Err(MeetingError::AlreadyAdjusted.into());
    }
    if stored != sha256.trim() {
        return Err(MeetingError::MinutesChanged.into());
    }
    let last = adjusters.iter().all(|a| a.adjusted_at.is_some() || a.member_id == me.member_id);
    let before = adjusters.iter().filter(|a| a.adjusted_at.is_some()).map(|a| a.name.clone()).collect();
    Ok(Standing { member: me.member_id, last, before, meeting })
}

/// Whether anyone has adjusted: from then on nothing recorded changes.
pub(crate) fn begun(adjusters: &[Adjuster]) -> bool {
    adjusters.iter().any(|a| a.adjusted_at.is_some())
}

/// One extract, with what it shows, to be typeset before the last adjustment is written.
struct Extract {
    item: Uuid,
    case: Uuid,
    title: String,
    data: ExtractData,
}

/// The extracts the last adjustment registers: one per paragraph of the document that belongs
/// to a case and has none yet (a paragraph adjusted immediately has its extract already).
async fn extracts(tx: &mut Tx, t: TenantId, what: Signed, st: &Standing, s: &StaffUser, now: OffsetDateTime) -> Result<Vec<Extract>> {
    let m = &st.meeting;
    let (data, items, adjusted) = match what {
        Signed::Minutes(_) => (crate::minutes::minutes_data(tx, t, m).await?, store::items(tx, t, m.id).await?, "Protokollet justerades"),
        Signed::Paragraph(item) => {
            let i = store::item(tx, t, item).await?.ok_or(Error::NotFound)?;
            (paragraph_data(tx, t, m, &i).await?, vec![i], "Paragrafen justerades omedelbart")
        }
    };
    let mut names = st.before.clone();
    names.push(s.name.clone());
    let posted = today(now);
    let mut out = vec![];
    for (i, p) in items.iter().zip(&data.paragraphs) {
        let Some(case) = i.case_id.filter(|_| !p.heading && i.extract_record_id.is_none()) else { continue };
        out.push(Extract {
            item: i.id,
            case,
            title: format!("Protokollsutdrag {} § {} {}", data.code, p.number, i.title),
            data: ExtractData {
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
                adjusted: format!("{adjusted} {} av {}.", radhus_kernel::lang::swedish_date(posted), names.join(", ")),
                appeal: format!(
                    "Beslutet kan överklagas till förvaltningsrätten till och med {} (tre veckor från anslaget på kommunens anslagstavla).",
                    radhus_kernel::lang::swedish_date(core::appeal_until(posted))
                ),
                correction: String::new(),
            },
        });
    }
    Ok(out)
}

/// The chair or an adjuster adjusts the minutes, or a paragraph's own minutes, whose SHA-256
/// they were shown. The last adjustment makes it adjusted, posts it on the notice board (today;
/// appeal until three weeks later) and registers the extracts as decision records in their
/// cases, all in one transaction. The extracts are read and typeset before, outside any
/// transaction; when someone else adjusted in between, nothing is written (`MTG-018`).
pub async fn adjust(db: &Db, s: &StaffUser, what: Signed, sha256: &str, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let before = standing(&mut tx, s, what, sha256, now).await?;
    let extracts = if before.last { extracts(&mut tx, t, what, &before, s, now).await? } else { vec![] };
    tx.commit().await?;
    let mut typeset = vec![];
    for e in extracts {
        let pdf = documents::typeset(db, t, documents::Doc::Extract, &e.data, now).await?;
        typeset.push((e, pdf));
    }
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let st = standing(&mut tx, s, what, sha256, now).await?;
    if st.last != before.last {
        return Err(MeetingError::MinutesChanged.into());
    }
    if !store::sign(&mut tx, t, what, st.member, s.user_id.0, IDENTIFIED_BY, sha256, now).await? {
        return Err(MeetingError::AlreadyAdjusted.into());
    }
    let (kind, id) = what.object();
    let (one, all, _) = what.events();
    let ev = Event::new(one, kind, id).with(serde_json::json!({ "member": st.member, "sha256": sha256, "identified_by": IDENTIFIED_BY }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    if st.last {
        let posted = today(now);
        let until = core::appeal_until(posted);
        post(&mut tx, t, what, &st.meeting, now, posted, until).await?;
        let m = &st.meeting;
        let by = By::System(format!("Sammanträde: {}", m.committee_name));
        for (e, pdf) in &typeset {
            let d = Decision {
                title: e.title.clone(),
                decided_on: radhus_kernel::tz::stockholm(m.starts_at).date(),
                document: Document { main: true, title: e.title.clone(), filename: "protokollsutdrag.pdf".into(), bytes: pdf.clone() },
            };
            let (record, _) = intake::add_decision_in(&mut tx, t, &by, e.case, &d, now).await?;
            store::set_extract(&mut tx, t, e.item, record).await?;
        }
        let ev = Event::new(all, kind, id)
            .with(serde_json::json!({ "posted_on": posted.to_string(), "appeal_until": until.to_string(), "extracts": typeset.len() }));
        audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The last adjustment: the minutes become adjusted and posted (the meeting's state follows),
/// or the paragraph's own minutes are posted.
async fn post(tx: &mut Tx, t: TenantId, what: Signed, m: &Meeting, now: OffsetDateTime, posted: Date, until: Date) -> Result<()> {
    match what {
        Signed::Minutes(id) => {
            step(tx, t, m, Action::Adjust).await?;
            store::set_adjusted(tx, t, id, now, posted, until).await?;
            let m = store::meeting(tx, t, id).await?.ok_or(Error::NotFound)?;
            step(tx, t, &m, Action::Post).await?;
        }
        Signed::Paragraph(item) => store::set_immediate_adjusted(tx, t, item, now, posted, until).await?,
    }
    Ok(())
}

/// The secretary dispatches (expedierar) the extracts of adjusted minutes, or of a paragraph
/// adjusted immediately, to the parties of each case through case management's dispatch of a
/// decision, all in one transaction: each extract becomes *expedierad* in its case and, through
/// the change log, the citizen's case in Mina ärenden turns *Beslutat*. Returns how many were
/// dispatched. Refused before the adjustment is complete (`MTG-001`) and when every extract is
/// dispatched already or there is none (`MTG-019`).
pub async fn dispatch(db: &Db, s: &StaffUser, what: Signed, now: OffsetDateTime) -> Result<usize> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (m, items) = match what {
        Signed::Minutes(id) => {
            let m = secretary_meeting(&mut tx, s, id, now).await?;
            if !matches!(m.state(), MeetingState::Posted | MeetingState::AppealEnded) {
                return Err(MeetingError::WrongState.into());
            }
            let items = store::items(&mut tx, t, id).await?;
            (m, items)
        }
        Signed::Paragraph(item) => {
            let i = store::item(&mut tx, t, item).await?.ok_or(Error::NotFound)?;
            let m = secretary_meeting(&mut tx, s, i.meeting_id, now).await?;
            let x = store::immediate(&mut tx, t, item).await?.ok_or(MeetingError::WrongState)?;
            if x.adjusted_at.is_none() {
                return Err(MeetingError::WrongState.into());
            }
            (m, vec![i])
        }
    };
    let by = By::System(format!("Sammanträde: {}", m.committee_name));
    let mut records = vec![];
    for i in items {
        let Some(id) = i.extract_record_id else { continue };
        let r = radhus_cases::store::record(&mut tx, t, id).await?.ok_or(Error::NotFound)?;
        if r.dispatched_at.is_none() {
            intake::dispatch_decision_in(&mut tx, t, &by, id, now).await?;
            records.push(id);
        }
    }
    if records.is_empty() {
        return Err(MeetingError::NothingToDispatch.into());
    }
    let (kind, id) = what.object();
    let ev = Event::new(what.events().2, kind, id).with(serde_json::json!({ "extracts": records.len(), "records": records }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(records.len())
}
