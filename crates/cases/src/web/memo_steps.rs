//! The memo's step indicator (write → establish → approval → dispatch), shown on the memo's
//! start page and on its record's page; a leaf module, so that both pages can use it.

use crate::domain::RecordStatus;

/// Where a memo stands in its workflow, for the step indicator on the memo's pages: write →
/// establish (fastställ) → approval → dispatch, each done, current or still to come, and a
/// sentence saying what to do next.
pub(super) struct MemoSteps {
    /// The Fluent ids of the steps, in order, with their state.
    pub steps: Vec<(&'static str, StepState)>,
    /// The Fluent id of the sentence on what comes next.
    pub next: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StepState {
    Done,
    Current,
    Todo,
}

impl StepState {
    pub fn is_current(&self) -> bool {
        *self == StepState::Current
    }
    /// The Fluent id of the state's word ("Klart", "Nu", "Kvar").
    pub fn label(&self) -> &'static str {
        match self {
            StepState::Done => "memo-step-done",
            StepState::Current => "memo-step-current",
            StepState::Todo => "memo-step-todo",
        }
    }
    /// The tag's colour.
    pub fn color(&self) -> &'static str {
        match self {
            StepState::Done => "success",
            StepState::Current => "info",
            StepState::Todo => "neutral",
        }
    }
}

const STEPS: [&str; 4] = ["memo-step-write", "memo-step-establish", "memo-step-approval", "memo-step-dispatch"];

impl MemoSteps {
    fn at(current: usize, next: &'static str) -> MemoSteps {
        let steps = STEPS
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let state = match i.cmp(&current) {
                    std::cmp::Ordering::Less => StepState::Done,
                    std::cmp::Ordering::Equal => StepState::Current,
                    std::cmp::Ordering::Greater => StepState::Todo,
                };
                (*s, state)
            })
            .collect();
        MemoSteps { steps, next }
    }

    /// Before the record exists: writing is the first step.
    pub fn starting() -> MemoSteps {
        MemoSteps::at(0, "memo-next-start")
    }

    /// A memo's record: `generated` once its PDF exists, `route_open` while approvers decide.
    pub fn of(status: RecordStatus, generated: bool, route_open: bool) -> MemoSteps {
        match status {
            RecordStatus::Drafted | RecordStatus::Registered if !generated => MemoSteps::at(0, "memo-next-write"),
            RecordStatus::Drafted => MemoSteps::at(1, "memo-next-register"),
            RecordStatus::Registered => MemoSteps::at(1, "memo-next-establish"),
            RecordStatus::Established if route_open => MemoSteps::at(2, "memo-next-waiting"),
            RecordStatus::Established => MemoSteps::at(2, "memo-next-approval"),
            RecordStatus::Approved => MemoSteps::at(3, "memo-next-dispatch"),
            RecordStatus::Dispatched => MemoSteps::at(STEPS.len(), "memo-next-done"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn current(s: &MemoSteps) -> Option<&'static str> {
        s.steps.iter().find(|(_, st)| st.is_current()).map(|(id, _)| *id)
    }

    #[test]
    fn the_steps_follow_the_record() {
        assert_eq!(current(&MemoSteps::starting()), Some("memo-step-write"));
        assert_eq!(current(&MemoSteps::of(RecordStatus::Drafted, false, false)), Some("memo-step-write"));
        let registered = MemoSteps::of(RecordStatus::Registered, true, false);
        assert_eq!((current(&registered), registered.next), (Some("memo-step-establish"), "memo-next-establish"));
        assert_eq!(registered.steps[0].1, StepState::Done);
        assert_eq!(MemoSteps::of(RecordStatus::Established, true, true).next, "memo-next-waiting");
        assert_eq!(current(&MemoSteps::of(RecordStatus::Approved, true, false)), Some("memo-step-dispatch"));
        let done = MemoSteps::of(RecordStatus::Dispatched, true, false);
        assert!(done.steps.iter().all(|(_, s)| *s == StepState::Done));
    }
}
