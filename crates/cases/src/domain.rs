//! The rules of cases and records, without IO: statuses and the transitions between them.

use radhus_kernel::error::ErrorKind;
use radhus_platform::error::Error;
use serde::{Deserialize, Serialize};

/// A case's status (SM-1 in the research: Noark 5 / 360° practice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CaseStatus {
    /// Under behandling.
    Open,
    /// Vilande: waiting for something outside the authority.
    Suspended,
    /// Avslutat.
    Closed,
    /// Makulerat: registered by mistake; kept, but out of the diary's working views.
    Obliterated,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 4] = [CaseStatus::Open, CaseStatus::Suspended, CaseStatus::Closed, CaseStatus::Obliterated];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::Suspended => "suspended",
            CaseStatus::Closed => "closed",
            CaseStatus::Obliterated => "obliterated",
        }
    }

    pub fn parse(s: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label(self) -> String {
        format!("case-status-{}", self.as_str())
    }

    /// The name the case timeline stores (Swedish, the working language of the diary).
    pub fn swedish(self) -> &'static str {
        match self {
            CaseStatus::Open => "pågående",
            CaseStatus::Suspended => "vilande",
            CaseStatus::Closed => "avslutat",
            CaseStatus::Obliterated => "makulerat",
        }
    }

    /// Open or suspended: the case is still being worked on (records may be added, it can be overdue).
    pub fn is_active(self) -> bool {
        matches!(self, CaseStatus::Open | CaseStatus::Suspended)
    }

    /// Whether a status change is allowed; `Reopen` marks the restricted closed → open.
    pub fn transition(self, to: CaseStatus) -> Transition {
        use CaseStatus::*;
        match (self, to) {
            (Open, Suspended) | (Suspended, Open) | (Open, Closed) | (Suspended, Closed) => Transition::Allowed,
            (Open, Obliterated) | (Suspended, Obliterated) => Transition::Allowed,
            (Closed, Open) => Transition::Reopen,
            _ => Transition::Forbidden,
        }
    }

    /// The statuses a case in this status can be moved to.
    pub fn next(self) -> Vec<CaseStatus> {
        CaseStatus::ALL.into_iter().filter(|t| self.transition(*t) != Transition::Forbidden).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Allowed,
    /// Allowed only with the reopen permission, and always logged.
    Reopen,
    Forbidden,
}

/// What kind of record (handling) it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    /// Inkommande handling.
    Inbound,
    /// Utgående handling.
    Outbound,
    /// Tjänsteanteckning (FL 27 §): who and when, immutable once registered.
    Memo,
    /// Beslut.
    Decision,
}

impl RecordKind {
    pub const ALL: [RecordKind; 4] = [RecordKind::Inbound, RecordKind::Outbound, RecordKind::Memo, RecordKind::Decision];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Inbound => "inbound",
            RecordKind::Outbound => "outbound",
            RecordKind::Memo => "memo",
            RecordKind::Decision => "decision",
        }
    }

    pub fn parse(s: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label(self) -> String {
        format!("record-kind-{}", self.as_str())
    }

    /// The letter the diary shows for the direction (I/U/PM/B).
    pub fn letter(self) -> &'static str {
        match self {
            RecordKind::Inbound => "I",
            RecordKind::Outbound => "U",
            RecordKind::Memo => "PM",
            RecordKind::Decision => "B",
        }
    }
}

/// A record's status (SM-2): drafted → registered → established → approved → dispatched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RecordStatus {
    /// Utkast: not yet in the diary (never an inbound record, which is registered on arrival).
    Drafted,
    /// Registrerad (journalförd).
    Registered,
    /// Fastställd by the caseworker.
    Established,
    /// Godkänd.
    Approved,
    /// Expedierad (sent).
    Dispatched,
}

impl RecordStatus {
    pub const ALL: [RecordStatus; 5] =
        [RecordStatus::Drafted, RecordStatus::Registered, RecordStatus::Established, RecordStatus::Approved, RecordStatus::Dispatched];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordStatus::Drafted => "drafted",
            RecordStatus::Registered => "registered",
            RecordStatus::Established => "established",
            RecordStatus::Approved => "approved",
            RecordStatus::Dispatched => "dispatched",
        }
    }

    pub fn parse(s: &str) -> Option<RecordStatus> {
        RecordStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label(self) -> String {
        format!("record-status-{}", self.as_str())
    }

    /// The name the case timeline stores.
    pub fn swedish(self) -> &'static str {
        match self {
            RecordStatus::Drafted => "utkast",
            RecordStatus::Registered => "registrerad",
            RecordStatus::Established => "fastställd",
            RecordStatus::Approved => "godkänd",
            RecordStatus::Dispatched => "expedierad",
        }
    }

    /// The one next status, if any: records move forward a step at a time. Inbound records
    /// and memos end when registered (they are not established or sent by us).
    pub fn next(self, kind: RecordKind) -> Option<RecordStatus> {
        match (self, kind) {
            (RecordStatus::Drafted, _) => Some(RecordStatus::Registered),
            (RecordStatus::Registered, RecordKind::Outbound | RecordKind::Decision) => Some(RecordStatus::Established),
            (RecordStatus::Established, _) => Some(RecordStatus::Approved),
            (RecordStatus::Approved, RecordKind::Outbound | RecordKind::Decision) => Some(RecordStatus::Dispatched),
            _ => None,
        }
    }
}

/// One approver's step of a record's approval route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ApprovalStatus {
    /// Later in the route: waits for the approvers before.
    Waiting,
    /// The current approver's turn.
    Pending,
    Approved,
    /// Returned to the caseworker with a comment.
    Returned,
    /// A later step of a route that was returned.
    Cancelled,
}

impl ApprovalStatus {
    pub const ALL: [ApprovalStatus; 5] =
        [ApprovalStatus::Waiting, ApprovalStatus::Pending, ApprovalStatus::Approved, ApprovalStatus::Returned, ApprovalStatus::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalStatus::Waiting => "waiting",
            ApprovalStatus::Pending => "pending",
            ApprovalStatus::Approved => "approved",
            ApprovalStatus::Returned => "returned",
            ApprovalStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<ApprovalStatus> {
        ApprovalStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label(self) -> String {
        format!("approval-status-{}", self.as_str())
    }

    /// Pending or waiting: the route is still in progress.
    pub fn is_open(self) -> bool {
        matches!(self, ApprovalStatus::Pending | ApprovalStatus::Waiting)
    }
}

/// A project's status: a closed project takes no new cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProjectStatus {
    Open,
    Closed,
}

impl ProjectStatus {
    pub const ALL: [ProjectStatus; 2] = [ProjectStatus::Open, ProjectStatus::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            ProjectStatus::Open => "open",
            ProjectStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<ProjectStatus> {
        ProjectStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label(self) -> String {
        format!("project-status-{}", self.as_str())
    }
}

/// A stored value that is none of an enum's names (the database holds something this
/// version does not know): the row does not load.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what}: {value:?}")]
pub struct UnknownValue {
    pub what: &'static str,
    pub value: String,
}

/// `TryFrom<String>` by `parse`: how the store decodes these columns
/// (`#[sqlx(try_from = "String")]`).
macro_rules! from_column {
    ($($t:ident: $what:literal),* $(,)?) => {$(
        impl TryFrom<String> for $t {
            type Error = UnknownValue;
            fn try_from(value: String) -> Result<Self, UnknownValue> {
                $t::parse(&value).ok_or(UnknownValue { what: $what, value })
            }
        }
    )*};
}

from_column!(
    CaseStatus: "case status",
    RecordKind: "record kind",
    RecordStatus: "record status",
    ApprovalStatus: "approval status",
    ProjectStatus: "project status",
);

/// Fields of a record that can be marked secret (OSL 5 kap. 5 §: a warning with its ground).
pub const SECRET_FIELDS: [&str; 3] = ["title", "correspondent", "document"];

/// What the public diary shows in place of a secret field.
pub const MASK: &str = "[Sekretess]";

/// The rules of the module that can be broken, each with its stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseError {
    /// No case the user may read has the diary number typed in a form (bad input for that
    /// field: the form comes back with the message, 422).
    DiaryNumberUnknown,
    /// The state machine does not allow the case's change of status.
    CaseTransition,
    /// A case is closed while records are still drafts.
    CloseWithDrafts,
    /// The state machine does not allow the record's change of status.
    RecordTransition,
    /// Reopening a closed case without the permission to.
    ReopenNotAllowed,
    FileTooLarge,
    /// The file's type is not accepted (by name, declared type or signature).
    FileType,
    /// Only a draft record may be deleted, and never an inbound one.
    RecordDelete,
    /// Records are added to open cases only.
    CaseNotOpen,
    /// Approval is given through the approval route, not set as a status.
    ApprovalRequired,
    /// Only an established record is sent for approval.
    ApprovalNotEstablished,
    /// The requester cannot approve their own record.
    ApproveOwn,
    DisposalNotDue,
    /// Only a closed case is exported as an archive package.
    ExportNotClosed,
    /// The record is of a kind or in a state that has no official memo.
    MemoNotAllowed,
    /// The municipality's memo template fails with this case's data.
    MemoTemplate,
    /// A case is put into a closed project.
    ProjectClosed,
    /// The municipality's one typesetting slot did not come free in time.
    MemoBusy,
    /// A registered memo or a dispatched record is not changed.
    RecordLocked,
    /// The record's approval route is already in progress.
    ApprovalOpen,
    /// The user has no approval step to decide on.
    ApprovalNone,
    /// The municipality's memo template ran past its deadline.
    MemoTemplateSlow,
    /// A case came in (intake) for a case type that routes to no unit.
    CaseTypeUnrouted,
    /// A case came in (intake) for a case type that is unknown or no longer in use.
    IntakeCaseType,
    /// A message to the citizen in a case without a party who is a person.
    NoCitizenParty,
    /// An answer to a completion request the caseworker withdrew.
    RequestWithdrawn,
    /// Withdrawing a completion request that was answered or withdrawn already.
    RequestNotOpen,
    /// An outbound record or decision is dispatched without a recipient.
    DispatchNoRecipient,
    /// An obliterated (makulerad) record is not changed, dispatched or sent for approval.
    RecordObliterated,
    /// Only a registered record that has not been dispatched is obliterated (a draft is
    /// deleted, a dispatched record is corrected by a new one).
    ObliterateNotAllowed,
    /// An established or approved record takes no new document or version: its content is
    /// what was established and approved. It is reopened for changes first, which withdraws
    /// the approval (a new approval round is needed).
    RecordFrozen,
}

impl CaseError {
    pub const ALL: [CaseError; 31] = [
        CaseError::DiaryNumberUnknown,
        CaseError::CaseTransition,
        CaseError::CloseWithDrafts,
        CaseError::RecordTransition,
        CaseError::ReopenNotAllowed,
        CaseError::FileTooLarge,
        CaseError::FileType,
        CaseError::RecordDelete,
        CaseError::CaseNotOpen,
        CaseError::ApprovalRequired,
        CaseError::ApprovalNotEstablished,
        CaseError::ApproveOwn,
        CaseError::DisposalNotDue,
        CaseError::ExportNotClosed,
        CaseError::MemoNotAllowed,
        CaseError::MemoTemplate,
        CaseError::ProjectClosed,
        CaseError::MemoBusy,
        CaseError::RecordLocked,
        CaseError::ApprovalOpen,
        CaseError::ApprovalNone,
        CaseError::MemoTemplateSlow,
        CaseError::CaseTypeUnrouted,
        CaseError::IntakeCaseType,
        CaseError::NoCitizenParty,
        CaseError::RequestWithdrawn,
        CaseError::RequestNotOpen,
        CaseError::DispatchNoRecipient,
        CaseError::RecordObliterated,
        CaseError::ObliterateNotAllowed,
        CaseError::RecordFrozen,
    ];

    /// The stable code, its kind and the Fluent id of its message.
    pub fn parts(self) -> (&'static str, ErrorKind, &'static str) {
        use CaseError::*;
        match self {
            DiaryNumberUnknown => ("CASE-001", ErrorKind::BadInput, "err-diary-number-unknown"),
            CaseTransition => ("CASE-002", ErrorKind::Conflict, "err-case-transition"),
            CloseWithDrafts => ("CASE-003", ErrorKind::Conflict, "err-case-close-drafts"),
            RecordTransition => ("CASE-004", ErrorKind::Conflict, "err-record-transition"),
            ReopenNotAllowed => ("CASE-005", ErrorKind::Forbidden, "err-case-reopen"),
            FileTooLarge => ("CASE-006", ErrorKind::TooLarge, "err-file-too-large"),
            FileType => ("CASE-007", ErrorKind::BadInput, "err-file-type"),
            RecordDelete => ("CASE-008", ErrorKind::Conflict, "err-record-delete"),
            CaseNotOpen => ("CASE-009", ErrorKind::Conflict, "err-case-not-open"),
            ApprovalRequired => ("CASE-010", ErrorKind::Conflict, "err-approval-required"),
            ApprovalNotEstablished => ("CASE-011", ErrorKind::Conflict, "err-approval-not-established"),
            ApproveOwn => ("CASE-012", ErrorKind::BadInput, "err-approve-own"),
            DisposalNotDue => ("CASE-013", ErrorKind::Conflict, "err-disposal-not-due"),
            ExportNotClosed => ("CASE-014", ErrorKind::Conflict, "err-export-not-closed"),
            MemoNotAllowed => ("CASE-015", ErrorKind::Conflict, "err-memo-not-allowed"),
            MemoTemplate => ("CASE-016", ErrorKind::Conflict, "err-memo-template"),
            ProjectClosed => ("CASE-017", ErrorKind::Conflict, "err-project-closed"),
            MemoBusy => ("CASE-018", ErrorKind::TooManyRequests, "err-memo-busy"),
            RecordLocked => ("CASE-019", ErrorKind::Conflict, "err-record-locked"),
            ApprovalOpen => ("CASE-020", ErrorKind::Conflict, "err-approval-open"),
            ApprovalNone => ("CASE-021", ErrorKind::Conflict, "err-approval-none"),
            MemoTemplateSlow => ("CASE-022", ErrorKind::Conflict, "err-memo-template-slow"),
            CaseTypeUnrouted => ("CASE-023", ErrorKind::Conflict, "err-case-type-unrouted"),
            IntakeCaseType => ("CASE-024", ErrorKind::Conflict, "err-intake-case-type"),
            NoCitizenParty => ("CASE-025", ErrorKind::Conflict, "err-message-no-citizen"),
            RequestWithdrawn => ("CASE-026", ErrorKind::Conflict, "err-request-withdrawn"),
            RequestNotOpen => ("CASE-027", ErrorKind::Conflict, "err-request-not-open"),
            DispatchNoRecipient => ("CASE-028", ErrorKind::Conflict, "err-dispatch-no-recipient"),
            RecordObliterated => ("CASE-029", ErrorKind::Conflict, "err-record-obliterated"),
            ObliterateNotAllowed => ("CASE-030", ErrorKind::Conflict, "err-obliterate-not-allowed"),
            RecordFrozen => ("CASE-031", ErrorKind::Conflict, "err-record-frozen"),
        }
    }
}

impl From<CaseError> for Error {
    fn from(e: CaseError) -> Self {
        let (code, kind, message) = e.parts();
        Error::rule(code, kind, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_state_machine() {
        use CaseStatus::*;
        assert_eq!(Open.transition(Closed), Transition::Allowed);
        assert_eq!(Closed.transition(Open), Transition::Reopen);
        assert_eq!(Closed.transition(Obliterated), Transition::Forbidden);
        assert_eq!(Obliterated.transition(Open), Transition::Forbidden);
        assert_eq!(Open.next(), vec![Suspended, Closed, Obliterated]);
    }

    #[test]
    fn records_move_one_step_at_a_time() {
        use RecordStatus::*;
        assert_eq!(Drafted.next(RecordKind::Memo), Some(Registered));
        assert_eq!(Registered.next(RecordKind::Memo), None);
        assert_eq!(Registered.next(RecordKind::Inbound), None);
        assert_eq!(Registered.next(RecordKind::Outbound), Some(Established));
        assert_eq!(Approved.next(RecordKind::Decision), Some(Dispatched));
        assert_eq!(Dispatched.next(RecordKind::Decision), None);
    }

    #[test]
    fn stored_names_load_and_nothing_else() {
        for c in CaseStatus::ALL {
            assert_eq!(CaseStatus::try_from(c.as_str().to_string()), Ok(c));
            assert_eq!(serde_json::to_value(c).ok(), Some(serde_json::json!(c.as_str())), "the API shows the stored name");
        }
        for r in RecordStatus::ALL {
            assert_eq!(RecordStatus::try_from(r.as_str().to_string()), Ok(r));
            assert_eq!(serde_json::to_value(r).ok(), Some(serde_json::json!(r.as_str())));
        }
        for k in RecordKind::ALL {
            assert_eq!(RecordKind::try_from(k.as_str().to_string()), Ok(k));
            assert_eq!(serde_json::to_value(k).ok(), Some(serde_json::json!(k.as_str())));
        }
        for a in ApprovalStatus::ALL {
            assert_eq!(ApprovalStatus::try_from(a.as_str().to_string()), Ok(a));
        }
        for p in ProjectStatus::ALL {
            assert_eq!(ProjectStatus::try_from(p.as_str().to_string()), Ok(p));
            assert_eq!(serde_json::to_value(p).ok(), Some(serde_json::json!(p.as_str())));
        }
        assert!(CaseStatus::try_from("Open".to_string()).is_err());
        assert!(RecordStatus::try_from(String::new()).is_err());
    }

    #[test]
    fn every_error_has_its_own_code_in_order() {
        for (i, e) in CaseError::ALL.iter().enumerate() {
            let (code, _, message) = e.parts();
            assert_eq!(code, format!("CASE-{:03}", i + 1), "{e:?}");
            assert!(message.starts_with("err-"), "{e:?}");
            assert_eq!(CaseError::ALL.iter().filter(|o| o.parts().2 == message).count(), 1, "{message} has one code");
        }
        assert!(matches!(Error::from(CaseError::FileType), Error::Rule { message: "err-file-type", .. }));
    }
}
