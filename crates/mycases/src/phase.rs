//! The citizen-facing phases of a case: *Inkommet → Registrerat → Under handläggning →
//! Beslutat → Avslutat*, in plain words whatever the municipality's internal states are.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Inkommet: submitted, not yet registered (an e-service submission waiting for intake).
    Received,
    /// Registrerat: a case with a diary number, not yet with a caseworker.
    Registered,
    /// Under handläggning: a caseworker has it, or it was reopened.
    InProgress,
    /// Beslutat: a decision was dispatched to the party (ADR 0016).
    Decided,
    /// Avslutat: the case is closed.
    Closed,
}

impl Phase {
    pub const ALL: [Phase; 5] = [Phase::Received, Phase::Registered, Phase::InProgress, Phase::Decided, Phase::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Received => "received",
            Phase::Registered => "registered",
            Phase::InProgress => "in_progress",
            Phase::Decided => "decided",
            Phase::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The Fluent id of its name.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Received => "my-phase-received",
            Phase::Registered => "my-phase-registered",
            Phase::InProgress => "my-phase-in_progress",
            Phase::Decided => "my-phase-decided",
            Phase::Closed => "my-phase-closed",
        }
    }

    /// The Fluent id of what it means for the citizen.
    pub fn hint(self) -> &'static str {
        match self {
            Phase::Received => "my-phase-received-hint",
            Phase::Registered => "my-phase-registered-hint",
            Phase::InProgress => "my-phase-in_progress-hint",
            Phase::Decided => "my-phase-decided-hint",
            Phase::Closed => "my-phase-closed-hint",
        }
    }
}

impl TryFrom<String> for Phase {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Phase::parse(&s).ok_or(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phase_reads_back_and_they_are_in_order() {
        for p in Phase::ALL {
            assert_eq!(Phase::parse(p.as_str()), Some(p));
        }
        assert!(Phase::ALL.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(Phase::parse("open"), None);
    }
}
