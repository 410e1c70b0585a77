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

use radhus_platform::audit::{self, Event};
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::session::StaffUser;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::core::MeetingState;
use crate::documents::{self, MinutesData};
use crate::error::MeetingError;
use crate::minutes::number_once;
use crate::record::Serving;
use crate::service::{actor, secretary_meeting};
use crate::signing::{Signed, begun, paragraph_data};
use crate::store;

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
        && (x.adjusted_at.is_some() || begun(&store::adjusters(&mut tx, t, Signed::Paragraph(item)).await?))
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
        if x.adjusted_at.is_some() || begun(&store::adjusters(tx, t, Signed::Paragraph(item)).await?) {
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
    let pdf = documents::typeset(db, t, documents::Doc::Minutes, &data, now).await?;
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

/// The chair or an adjuster adjusts the paragraph's own minutes: the one signing step
/// ([`crate::signing::adjust`]) with [`Signed::Paragraph`].
pub async fn adjust(db: &Db, s: &StaffUser, item: Uuid, sha256: &str, now: OffsetDateTime) -> Result<()> {
    crate::signing::adjust(db, s, Signed::Paragraph(item), sha256, now).await
}
