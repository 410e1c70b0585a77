//! E-services (issue 11): the shared catalogue, the form engine and the citizen's submission,
//! which becomes a case through case management's intake.

pub mod form;
