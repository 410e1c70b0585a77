//! The rules of cases and records, without IO: statuses and the transitions between them.

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
    /// Upprättad som utkast; not yet in the diary.
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

/// Fields of a record that can be marked secret (OSL 5 kap. 5 §: a warning with its ground).
pub const SECRET_FIELDS: [&str; 3] = ["title", "correspondent", "document"];

/// What the public diary shows in place of a secret field.
pub const MASK: &str = "[Sekretess]";

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
}
