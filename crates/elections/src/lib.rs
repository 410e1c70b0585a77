//! Election administration: the domain of one election's staffing (structure, positions,
//! applicants), the staffing rules of vallagen and municipal policy, and the optimiser that
//! staffs the polling stations. Pure code: storage and pages come in their own modules.

pub mod model;
pub mod optimiser;
pub mod rules;
pub mod testdata;

pub use model::*;
pub use optimiser::{Gap, Options, Outcome, Placement, optimise, reoptimise};
pub use rules::{CandidatePolicy, Certainty, Rule, RuleSet, Severity, Violation, check};
