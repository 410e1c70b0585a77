//! The pure rules of committee administration, without IO: the meeting's state machine, quorum,
//! the count of an open vote, paragraph numbering and the notice board's dates. The use cases
//! (`service`) load the facts, ask these functions and write what they answer.

use std::collections::BTreeSet;

use time::{Date, Duration};
use uuid::Uuid;

use crate::documents::{AgendaChange, NoticeItem};
use crate::error::MeetingError;

/// A meeting's state (cases_meetings.md §4.4 SM-3, simplified: the meeting is recorded after it
/// is held, so opened/adjourned/closed are one step).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeetingState {
    Planned,
    NoticeIssued,
    Held,
    MinutesDrafted,
    Adjusted,
    Posted,
    AppealEnded,
    Cancelled,
}

impl MeetingState {
    pub const ALL: [MeetingState; 8] = [
        MeetingState::Planned,
        MeetingState::NoticeIssued,
        MeetingState::Held,
        MeetingState::MinutesDrafted,
        MeetingState::Adjusted,
        MeetingState::Posted,
        MeetingState::AppealEnded,
        MeetingState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MeetingState::Planned => "planned",
            MeetingState::NoticeIssued => "notice_issued",
            MeetingState::Held => "held",
            MeetingState::MinutesDrafted => "minutes_drafted",
            MeetingState::Adjusted => "adjusted",
            MeetingState::Posted => "posted",
            MeetingState::AppealEnded => "appeal_ended",
            MeetingState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// The agenda may still change (items accepted, added, changed, withdrawn): before the
    /// notice, and after it until the meeting is held (a supplementary notice then tells the
    /// members what changed).
    pub fn agenda_open(self) -> bool {
        matches!(self, MeetingState::Planned | MeetingState::NoticeIssued)
    }

    /// What is recorded at the meeting (attendance, decisions, votes) may still change.
    pub fn record_open(self) -> bool {
        matches!(self, MeetingState::Held)
    }
}

impl std::fmt::Display for MeetingState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a secretary (or, for `Adjust`, the chair and adjusters, and for `EndAppeal`, the
/// clock) does to a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    IssueNotice,
    MarkHeld,
    DraftMinutes,
    /// The last required adjustment makes the minutes adjusted.
    Adjust,
    Post,
    EndAppeal,
    Cancel,
}

/// The state after `action`, or the error that tells why it is not possible now.
pub fn transition(from: MeetingState, action: Action) -> Result<MeetingState, MeetingError> {
    use MeetingState as S;
    match (from, action) {
        (S::Planned, Action::IssueNotice) => Ok(S::NoticeIssued),
        (S::NoticeIssued, Action::MarkHeld) => Ok(S::Held),
        (S::Held, Action::DraftMinutes) => Ok(S::MinutesDrafted),
        (S::MinutesDrafted, Action::Adjust) => Ok(S::Adjusted),
        (S::Adjusted, Action::Post) => Ok(S::Posted),
        (S::Posted, Action::EndAppeal) => Ok(S::AppealEnded),
        (S::Planned | S::NoticeIssued, Action::Cancel) => Ok(S::Cancelled),
        (S::Adjusted | S::Posted | S::AppealEnded, Action::Adjust) => Err(MeetingError::AlreadyAdjusted),
        (S::Cancelled, _) => Err(MeetingError::Cancelled),
        _ => Err(MeetingError::WrongState),
    }
}

/// Quorum (beslutförhet, KL 6 kap. 27 § for nämnder): more than half of the seats are served.
pub fn has_quorum(seats: i64, serving: usize) -> bool {
    seats > 0 && (serving as i64) * 2 > seats
}

/// A serving member's answer in an open vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Choice {
    Yes,
    No,
    Abstain,
}

impl Choice {
    pub fn as_str(self) -> &'static str {
        match self {
            Choice::Yes => "yes",
            Choice::No => "no",
            Choice::Abstain => "abstain",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "yes" => Some(Choice::Yes),
            "no" => Some(Choice::No),
            "abstain" => Some(Choice::Abstain),
            _ => None,
        }
    }
}

/// The count of an open vote. A serving member who did not vote is `absent`, never an
/// abstention.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub yes: usize,
    pub no: usize,
    pub abstain: usize,
    pub absent: usize,
}

impl Tally {
    /// Carried by a simple majority of those voting yes or no (the chair's casting vote is
    /// not modelled: a tie is `None`).
    pub fn carried(&self) -> Option<bool> {
        match self.yes.cmp(&self.no) {
            std::cmp::Ordering::Greater => Some(true),
            std::cmp::Ordering::Less => Some(false),
            std::cmp::Ordering::Equal => None,
        }
    }
}

/// Checks an open vote against who serves on the item and counts it. Only serving members
/// vote (a member who is absent, or out of the item for jäv, does not serve); no member votes
/// twice; there are never more votes than serving members.
pub fn count_votes(serving: &BTreeSet<Uuid>, votes: &[(Uuid, Choice)]) -> Result<Tally, MeetingError> {
    if votes.len() > serving.len() {
        return Err(MeetingError::TooManyVotes);
    }
    let mut seen = BTreeSet::new();
    let mut t = Tally::default();
    for (member, choice) in votes {
        if !serving.contains(member) {
            return Err(MeetingError::NotServing);
        }
        if !seen.insert(*member) {
            return Err(MeetingError::TooManyVotes);
        }
        match choice {
            Choice::Yes => t.yes += 1,
            Choice::No => t.no += 1,
            Choice::Abstain => t.abstain += 1,
        }
    }
    t.absent = serving.len() - seen.len();
    Ok(t)
}

/// Who serves on an item: those serving at the meeting less those out of the item for jäv.
pub fn serving_on_item(serving: &BTreeSet<Uuid>, conflicts: &BTreeSet<Uuid>) -> BTreeSet<Uuid> {
    serving.difference(conflicts).copied().collect()
}

/// One person's attendance as the per-item rules see it: whether they hold a seat, the absent
/// seat-holder they serve for at the whole meeting (a substitute called in), and the agenda
/// positions between which they were there (`from`: arrived before that item, 0 = from the
/// start; `until`: left before that item, `None` = to the end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    pub member: Uuid,
    pub seat: bool,
    pub serving_for: Option<Uuid>,
    pub from: i64,
    pub until: Option<i64>,
}

impl Presence {
    pub fn there_at(&self, position: i64) -> bool {
        self.from <= position && self.until.is_none_or(|u| position < u)
    }
}

/// Who serves on the item at `position`: seat-holders there and not jävig; a substitute called
/// in for the whole meeting while there, not jävig, and the seat-holder not serving (absent from
/// the item, or jävig on it: a seat-holder who arrives takes the seat back); a substitute the
/// secretary confirmed for this item (`item_subs`: substitute, seat-holder) on the same terms.
/// Each seat is served once.
pub fn serving_at(position: i64, presence: &[Presence], conflicts: &BTreeSet<Uuid>, item_subs: &[(Uuid, Uuid)]) -> BTreeSet<Uuid> {
    let there = |m: &Uuid| presence.iter().any(|p| p.member == *m && p.there_at(position));
    let seats: BTreeSet<Uuid> =
        presence.iter().filter(|p| p.seat && p.there_at(position) && !conflicts.contains(&p.member)).map(|p| p.member).collect();
    let mut serving = seats.clone();
    let mut replaced = BTreeSet::new();
    let called = presence.iter().filter_map(|p| p.serving_for.filter(|_| !p.seat).map(|f| (p.member, f)));
    for (sub, seat) in called.chain(item_subs.iter().copied()) {
        if there(&sub) && !conflicts.contains(&sub) && !seats.contains(&seat) && !serving.contains(&sub) && replaced.insert(seat) {
            serving.insert(sub);
        }
    }
    serving
}

/// The substitutes to propose on an item: for each seat-holder not serving on it and not
/// replaced (`out`, in the order of the seats), the next substitute in the call-in order
/// (`available`, already in that order: there, not serving, not jävig), one each; `None` when
/// no substitute is left.
pub fn propose_substitutes(out: &[Uuid], available: &[Uuid]) -> Vec<(Uuid, Option<Uuid>)> {
    out.iter().enumerate().map(|(n, seat)| (*seat, available.get(n).copied())).collect()
}

/// Paragraph numbers for the items of a meeting in agenda order, continuing from the
/// committee's last number of the year: one number per item that is not a section heading,
/// without gaps.
pub fn number_paragraphs(last: i64, items: &[(Uuid, bool)]) -> Vec<(Uuid, i64)> {
    let mut next = last;
    items
        .iter()
        .filter(|(_, heading)| !heading)
        .map(|(id, _)| {
            next += 1;
            (*id, next)
        })
        .collect()
}

/// The last day to appeal a decision announced on the notice board on `posted_on`: three
/// weeks from the day of posting (KL 13 kap. 5 §), moved off a Saturday, Sunday, public
/// holiday, midsommarafton, julafton or nyårsafton to the next weekday (lag 1930:173).
pub fn appeal_until(posted_on: Date) -> Date {
    radhus_kernel::holidays::period_end(posted_on + Duration::weeks(3))
}

/// Kommunfullmäktige's meeting is announced on the notice board at least one week before the
/// meeting (KL 5 kap.; the paragraph is unverified in law-check.md): whether an announcement
/// posted on `announced_on` is late for a meeting on `meeting_on`.
pub fn announcement_late(announced_on: Date, meeting_on: Date) -> bool {
    announced_on + Duration::weeks(1) > meeting_on
}

/// The posting is taken down the day after the appeal period ends.
pub fn appeal_ended(posted_on: Date, today: Date) -> bool {
    today > appeal_until(posted_on)
}

/// `5 december 2026 kl. 13.00`: a moment in Swedish time, as the pages and documents show it.
pub fn when(at: &time::OffsetDateTime) -> String {
    let local = radhus_kernel::tz::stockholm(*at);
    format!("{} kl. {:02}.{:02}", radhus_kernel::lang::swedish_date(local.date()), local.hour(), local.minute())
}

/// `5 december 2026`.
pub fn day(d: &Date) -> String {
    radhus_kernel::lang::swedish_date(*d)
}

/// What changed on the agenda between two issued notices (the supplementary notice shows it):
/// items `added`, `withdrawn` and `changed` (kind, title, case or proposal), matched by the
/// item's id, or for an item of an old snapshot without ids by its kind, title and case number.
/// Only the order changing is no change. Added and changed items come in the new agenda's
/// order, withdrawn ones in the old one's, after them.
pub fn agenda_changes(before: &[NoticeItem], after: &[NoticeItem]) -> Vec<AgendaChange> {
    let same = |a: &NoticeItem, b: &NoticeItem| match (a.id, b.id) {
        (Some(x), Some(y)) => x == y,
        _ => a.kind == b.kind && a.title == b.title && a.case_number == b.case_number,
    };
    let change = |kind: &str, i: &NoticeItem, what: String| AgendaChange {
        change: kind.into(),
        item: i.id,
        title: i.title.clone(),
        case_number: i.case_number.clone(),
        what,
    };
    let mut out = vec![];
    for a in after {
        match before.iter().find(|b| same(b, a)) {
            None => out.push(change("added", a, String::new())),
            Some(b) => {
                let mut what = vec![];
                if b.kind != a.kind || b.heading != a.heading {
                    what.push("typ av ärende");
                }
                if b.title != a.title {
                    what.push("rubrik");
                }
                if b.case_number != a.case_number {
                    what.push("diarienummer");
                }
                if b.proposal != a.proposal {
                    what.push("förslag till beslut");
                }
                if !what.is_empty() {
                    out.push(change("changed", a, what.join(", ")));
                }
            }
        }
    }
    for b in before {
        if !after.iter().any(|a| same(b, a)) {
            out.push(change("withdrawn", b, String::new()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_happy_path_runs_through_every_state() {
        let mut s = MeetingState::Planned;
        for a in [Action::IssueNotice, Action::MarkHeld, Action::DraftMinutes, Action::Adjust, Action::Post, Action::EndAppeal] {
            s = transition(s, a).expect("allowed");
        }
        assert_eq!(s, MeetingState::AppealEnded);
    }

    #[test]
    fn steps_out_of_order_are_refused() {
        assert_eq!(transition(MeetingState::Planned, Action::MarkHeld), Err(MeetingError::WrongState));
        assert_eq!(transition(MeetingState::Planned, Action::DraftMinutes), Err(MeetingError::WrongState));
        assert_eq!(transition(MeetingState::Held, Action::Cancel), Err(MeetingError::WrongState));
        assert_eq!(transition(MeetingState::Held, Action::IssueNotice), Err(MeetingError::WrongState));
        assert_eq!(transition(MeetingState::Cancelled, Action::IssueNotice), Err(MeetingError::Cancelled));
    }

    #[test]
    fn adjusting_twice_is_its_own_error() {
        for s in [MeetingState::Adjusted, MeetingState::Posted, MeetingState::AppealEnded] {
            assert_eq!(transition(s, Action::Adjust), Err(MeetingError::AlreadyAdjusted));
        }
    }

    #[test]
    fn cancel_only_before_the_meeting() {
        assert_eq!(transition(MeetingState::Planned, Action::Cancel), Ok(MeetingState::Cancelled));
        assert_eq!(transition(MeetingState::NoticeIssued, Action::Cancel), Ok(MeetingState::Cancelled));
        for s in [MeetingState::Held, MeetingState::MinutesDrafted, MeetingState::Adjusted, MeetingState::Posted] {
            assert!(transition(s, Action::Cancel).is_err());
        }
    }

    #[test]
    fn states_round_trip_through_text() {
        for s in MeetingState::ALL {
            assert_eq!(MeetingState::parse(s.as_str()), Some(s));
        }
        assert_eq!(MeetingState::parse("opened"), None);
    }

    #[test]
    fn quorum_is_more_than_half_of_the_seats() {
        assert!(!has_quorum(13, 6));
        assert!(has_quorum(13, 7));
        assert!(!has_quorum(12, 6));
        assert!(has_quorum(12, 7));
        assert!(!has_quorum(0, 0));
    }

    fn entry(id: u128, title: &str, proposal: &str) -> NoticeItem {
        NoticeItem {
            id: Some(Uuid::from_u128(id)),
            no: 0,
            heading: false,
            kind: "Beslutsärende".into(),
            title: title.into(),
            case_number: format!("KS 2026-{id:04}"),
            proposal: proposal.into(),
        }
    }

    #[test]
    fn a_supplement_shows_added_withdrawn_and_changed_items() {
        let before = [entry(1, "Cykelbanor", "Bifall."), entry(2, "Detaljplan", "Anta."), entry(3, "Budget", "Fastställ.")];
        let after = [entry(3, "Budget 2027", "Fastställ."), entry(1, "Cykelbanor", "Bifall."), entry(4, "Skolskjuts", "Avslå.")];
        let c = agenda_changes(&before, &after);
        let summary: Vec<(&str, &str, &str)> = c.iter().map(|c| (c.change.as_str(), c.title.as_str(), c.what.as_str())).collect();
        assert_eq!(summary, [("changed", "Budget 2027", "rubrik"), ("added", "Skolskjuts", ""), ("withdrawn", "Detaljplan", "")]);
        assert_eq!(c[2].item, Some(Uuid::from_u128(2)));
        // The order alone is no change; nor is the same agenda.
        assert!(agenda_changes(&before, &[before[2].clone(), before[0].clone(), before[1].clone()]).is_empty());
        let mut proposal = before.clone();
        proposal[1].proposal = "Anta planen.".into();
        assert_eq!(agenda_changes(&before, &proposal)[0].what, "förslag till beslut");
    }

    #[test]
    fn items_of_an_old_snapshot_without_ids_match_by_title_and_case() {
        let mut old = entry(1, "Cykelbanor", "Bifall.");
        old.id = None;
        assert!(agenda_changes(std::slice::from_ref(&old), &[entry(1, "Cykelbanor", "Bifall.")]).is_empty());
        assert_eq!(agenda_changes(&[old], &[entry(1, "Cykelbanor, etapp 2", "Bifall.")]).len(), 2);
    }

    fn ids(n: usize) -> Vec<Uuid> {
        (0..n).map(|i| Uuid::from_u128(i as u128 + 1)).collect()
    }

    #[test]
    fn votes_are_counted_and_the_silent_are_absent_not_abstaining() {
        let m = ids(5);
        let serving: BTreeSet<Uuid> = m.iter().copied().collect();
        let t =
            count_votes(&serving, &[(m[0], Choice::Yes), (m[1], Choice::Yes), (m[2], Choice::No), (m[3], Choice::Abstain)]).expect("valid");
        assert_eq!(t, Tally { yes: 2, no: 1, abstain: 1, absent: 1 });
        assert_eq!(t.carried(), Some(true));
        assert_eq!(Tally { yes: 2, no: 2, abstain: 0, absent: 0 }.carried(), None);
    }

    #[test]
    fn a_javig_or_absent_member_cannot_vote() {
        let m = ids(4);
        let present: BTreeSet<Uuid> = m[..3].iter().copied().collect();
        let conflicts: BTreeSet<Uuid> = [m[0]].into_iter().collect();
        let serving = serving_on_item(&present, &conflicts);
        assert_eq!(serving.len(), 2);
        assert_eq!(count_votes(&serving, &[(m[0], Choice::Yes)]), Err(MeetingError::NotServing));
        assert_eq!(count_votes(&serving, &[(m[3], Choice::No)]), Err(MeetingError::NotServing));
    }

    #[test]
    fn never_more_votes_than_serving_members() {
        let m = ids(2);
        let serving: BTreeSet<Uuid> = m.iter().copied().collect();
        assert_eq!(count_votes(&serving, &[(m[0], Choice::Yes), (m[1], Choice::No), (m[0], Choice::No)]), Err(MeetingError::TooManyVotes));
        assert_eq!(count_votes(&serving, &[(m[0], Choice::Yes), (m[0], Choice::No)]), Err(MeetingError::TooManyVotes));
    }

    fn at(member: Uuid, seat: bool, serving_for: Option<Uuid>, from: i64, until: Option<i64>) -> Presence {
        Presence { member, seat, serving_for, from, until }
    }

    #[test]
    fn a_member_who_left_before_an_item_does_not_serve_on_it() {
        let m = ids(3);
        let p = [at(m[0], true, None, 0, Some(3)), at(m[1], true, None, 2, None), at(m[2], true, None, 0, None)];
        let none = BTreeSet::new();
        assert_eq!(serving_at(1, &p, &none, &[]), [m[0], m[2]].into_iter().collect());
        assert_eq!(serving_at(2, &p, &none, &[]).len(), 3);
        assert_eq!(serving_at(3, &p, &none, &[]), [m[1], m[2]].into_iter().collect());
    }

    #[test]
    fn a_substitute_serves_only_while_the_seat_holder_does_not() {
        let m = ids(4);
        // m[3] called in for m[0], who arrives before item 3 and takes the seat back.
        let p = [at(m[0], true, None, 3, None), at(m[1], true, None, 0, None), at(m[3], false, Some(m[0]), 0, None)];
        let none = BTreeSet::new();
        assert!(serving_at(1, &p, &none, &[]).contains(&m[3]));
        assert!(!serving_at(3, &p, &none, &[]).contains(&m[3]));
        // Jävig on item 4: the substitute serves for them there.
        let jav: BTreeSet<Uuid> = [m[0]].into_iter().collect();
        assert_eq!(serving_at(4, &p, &jav, &[]), [m[1], m[3]].into_iter().collect());
        // A substitute confirmed for one item serves on it only while the seat-holder does not.
        let p2 = [at(m[0], true, None, 0, Some(2)), at(m[1], true, None, 0, None), at(m[2], false, None, 0, None)];
        assert!(serving_at(2, &p2, &none, &[(m[2], m[0])]).contains(&m[2]));
        assert!(!serving_at(1, &p2, &none, &[(m[2], m[0])]).contains(&m[2]));
        // One seat, one substitute: a second for the same seat is not counted.
        let p3 = [at(m[0], true, None, 0, Some(2)), at(m[2], false, None, 0, None), at(m[3], false, None, 0, None)];
        assert_eq!(serving_at(2, &p3, &none, &[(m[2], m[0]), (m[3], m[0])]).len(), 1);
    }

    #[test]
    fn substitutes_are_proposed_in_call_in_order() {
        let m = ids(5);
        assert_eq!(propose_substitutes(&[m[0], m[1]], &[m[3], m[4]]), vec![(m[0], Some(m[3])), (m[1], Some(m[4]))]);
        assert_eq!(propose_substitutes(&[m[0], m[1]], &[m[3]]), vec![(m[0], Some(m[3])), (m[1], None)]);
    }

    #[test]
    fn paragraphs_continue_the_year_without_gaps_and_skip_headings() {
        let i = ids(4);
        let numbered = number_paragraphs(122, &[(i[0], true), (i[1], false), (i[2], false), (i[3], false)]);
        assert_eq!(numbered, vec![(i[1], 123), (i[2], 124), (i[3], 125)]);
        assert!(number_paragraphs(5, &[(i[0], true)]).is_empty());
    }

    #[test]
    fn appeal_period_is_three_weeks_from_posting() {
        assert_eq!(appeal_until(date!(2026 - 12 - 01)), date!(2026 - 12 - 22));
        assert!(!appeal_ended(date!(2026 - 12 - 01), date!(2026 - 12 - 22)));
        assert!(appeal_ended(date!(2026 - 12 - 01), date!(2026 - 12 - 23)));
    }

    #[test]
    fn kf_is_announced_at_least_a_week_before() {
        assert!(!announcement_late(date!(2026 - 12 - 07), date!(2026 - 12 - 14)));
        assert!(announcement_late(date!(2026 - 12 - 08), date!(2026 - 12 - 14)));
        assert!(announcement_late(date!(2026 - 12 - 14), date!(2026 - 12 - 14)));
    }

    #[test]
    fn the_last_day_to_appeal_moves_off_weekends_and_holidays() {
        // Three weeks from Thursday 3 December 2026 is julafton: Monday 28 December.
        assert_eq!(appeal_until(date!(2026 - 12 - 03)), date!(2026 - 12 - 28));
        assert!(!appeal_ended(date!(2026 - 12 - 03), date!(2026 - 12 - 28)));
        // Three weeks from a Saturday posting is a Saturday: the Monday after.
        assert_eq!(appeal_until(date!(2026 - 11 - 07)), date!(2026 - 11 - 30));
        // From Friday 29 May 2026: midsommarafton 19 June, so Monday 22 June.
        assert_eq!(appeal_until(date!(2026 - 05 - 29)), date!(2026 - 06 - 22));
    }
}
