//! The meetings module's errors in one place: every rule a use case refuses with, its stable
//! code `MTG-…`, its kind (the HTTP status) and the Fluent id of its message `mtg-err-…`.

use radhus_kernel::error::{ErrorDef, ErrorKind};
use radhus_platform::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingError {
    /// The meeting is not in a state where this can be done (e.g. minutes of a meeting not held).
    WrongState,
    /// The minutes are already adjusted (by this person or for good).
    AlreadyAdjusted,
    /// The meeting is cancelled.
    Cancelled,
    /// The member does not serve on the item: absent, not a member, or out of it for jäv.
    NotServing,
    /// More votes than members serving, or a member voting twice.
    TooManyVotes,
    /// A notice without items.
    NoItems,
    /// The minutes are adjusted and frozen: nothing recorded at the meeting changes.
    Frozen,
    /// The item's meeting is not held (or its record is closed): nothing can be decided.
    NotHeld,
    /// The record has no official memo (tjänsteskrivelse) to propose.
    NoMemo,
    /// The proposal was already accepted or returned.
    ProposalHandled,
    /// Another committee of the municipality has that code.
    CodeTaken,
    /// Only the chair and the chosen adjusters adjust the minutes.
    NotAdjuster,
    /// A substitute serves only for a member who is absent, and one member has one substitute.
    SubstituteNotNeeded,
    /// The end of the term is before its start, or the seats are not 1–101.
    BadTerm,
    /// The case is not open (closed or obliterated), so it cannot go to a committee.
    CaseNotOpen,
    /// An outcome other than decided, tabled, referred back, withdrawn or noted; or a
    /// decided item without decision text.
    BadOutcome,
    /// Another document of the municipality is being typeset; try again in a moment.
    Busy,
    /// The minutes shown are not the ones stored (they were drawn up again): read them again.
    MinutesChanged,
    /// The extracts of the minutes are already dispatched to the parties (or there are none).
    NothingToDispatch,
    /// A supplementary notice with the agenda unchanged since the last notice.
    NoChanges,
    /// The meeting is held (or its time has passed): its agenda no longer changes.
    AlreadyHeld,
    /// Immediate adjustment of an item without a decision (no outcome yet, or a heading).
    NoDecision,
    /// The paragraph is adjusted immediately (or being so): it does not change, nor is it
    /// adjusted immediately again.
    ParagraphAdjusted,
    /// The municipality's own template of the document could not typeset it.
    TemplateFailed,
}

impl MeetingError {
    pub const ALL: [MeetingError; 24] = [
        MeetingError::WrongState,
        MeetingError::AlreadyAdjusted,
        MeetingError::Cancelled,
        MeetingError::NotServing,
        MeetingError::TooManyVotes,
        MeetingError::NoItems,
        MeetingError::Frozen,
        MeetingError::NotHeld,
        MeetingError::NoMemo,
        MeetingError::ProposalHandled,
        MeetingError::CodeTaken,
        MeetingError::NotAdjuster,
        MeetingError::SubstituteNotNeeded,
        MeetingError::BadTerm,
        MeetingError::CaseNotOpen,
        MeetingError::BadOutcome,
        MeetingError::Busy,
        MeetingError::MinutesChanged,
        MeetingError::NothingToDispatch,
        MeetingError::NoChanges,
        MeetingError::AlreadyHeld,
        MeetingError::NoDecision,
        MeetingError::ParagraphAdjusted,
        MeetingError::TemplateFailed,
    ];

    pub fn def(self) -> ErrorDef {
        use ErrorKind::{BadInput, Conflict, Forbidden};
        let (code, kind, message) = match self {
            MeetingError::WrongState => ("MTG-001", Conflict, "mtg-err-wrong-state"),
            MeetingError::AlreadyAdjusted => ("MTG-002", Conflict, "mtg-err-already-adjusted"),
            MeetingError::Cancelled => ("MTG-003", Conflict, "mtg-err-cancelled"),
            MeetingError::NotServing => ("MTG-004", BadInput, "mtg-err-not-serving"),
            MeetingError::TooManyVotes => ("MTG-005", BadInput, "mtg-err-too-many-votes"),
            MeetingError::NoItems => ("MTG-006", BadInput, "mtg-err-no-items"),
            MeetingError::Frozen => ("MTG-007", Conflict, "mtg-err-frozen"),
            MeetingError::NotHeld => ("MTG-008", Conflict, "mtg-err-not-held"),
            MeetingError::NoMemo => ("MTG-009", BadInput, "mtg-err-no-memo"),
            MeetingError::ProposalHandled => ("MTG-010", Conflict, "mtg-err-proposal-handled"),
            MeetingError::CodeTaken => ("MTG-011", Conflict, "mtg-err-code-taken"),
            MeetingError::NotAdjuster => ("MTG-012", Forbidden, "mtg-err-not-adjuster"),
            MeetingError::SubstituteNotNeeded => ("MTG-013", BadInput, "mtg-err-substitute"),
            MeetingError::BadTerm => ("MTG-014", BadInput, "mtg-err-bad-term"),
            MeetingError::CaseNotOpen => ("MTG-015", Conflict, "mtg-err-case-not-open"),
            MeetingError::BadOutcome => ("MTG-016", BadInput, "mtg-err-bad-outcome"),
            MeetingError::Busy => ("MTG-017", Conflict, "mtg-err-busy"),
            MeetingError::MinutesChanged => ("MTG-018", Conflict, "mtg-err-minutes-changed"),
            MeetingError::NothingToDispatch => ("MTG-019", Conflict, "mtg-err-nothing-to-dispatch"),
            MeetingError::NoChanges => ("MTG-020", BadInput, "mtg-err-no-changes"),
            MeetingError::AlreadyHeld => ("MTG-021", Conflict, "mtg-err-already-held"),
            MeetingError::NoDecision => ("MTG-022", BadInput, "mtg-err-no-decision"),
            MeetingError::ParagraphAdjusted => ("MTG-023", Conflict, "mtg-err-paragraph-adjusted"),
            MeetingError::TemplateFailed => ("MTG-024", Conflict, "mtg-err-template-failed"),
        };
        ErrorDef::new(code, kind, message)
    }
}

impl std::fmt::Display for MeetingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.def().code)
    }
}

impl From<MeetingError> for Error {
    fn from(e: MeetingError) -> Self {
        let d = e.def();
        Error::rule(d.code, d.kind, d.message)
    }
}
