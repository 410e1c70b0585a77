//! The form definition language: versioned JSON definitions, their linter, the expression
//! language for conditions and fees, and validation of a citizen's answers. Pure: no database,
//! no HTTP. `docs/eservices-forms.md` describes the language for those who write definitions.
//!
//! * [`Definition`] is what the platform operator or a municipality writes (serde + JSON Schema,
//!   [`json_schema`]); [`parse`] reads and lints one, [`lint`] names each problem's field.
//! * [`expr`] is the small expression language of `visible_if`, `required_if`, computed fields
//!   and fees: no user code runs, evaluation is bounded in depth and steps.
//! * [`read_step`] merges one posted step into the [`Answers`], [`check_step`] / [`check_all`]
//!   validate them, [`visible_steps`] / [`visible_fields`] follow the conditions.
//! * [`summary`], [`fee`], [`migrate`] and [`prefill`] serve the review page, the receipt,
//!   drafts of older versions and the e-ID login.
//! * [`Overrides`], [`Lock`], [`apply`] and [`conflicts`]: a municipality adapts a shared
//!   service without copying it.
//! * [`starter_bank`]: the twelve shared services shipped with the platform.

mod answers;
mod bank;
pub mod expr;
mod lint;
mod model;
mod ops;
mod overrides;

pub use answers::{
    Answer, Answers, FileRef, MESSAGES, add_row, check_all, check_step, read_step, remove_row, visible_answers, visible_fields,
    visible_row_fields, visible_steps,
};
pub use bank::starter_bank;
pub use lint::{LintProblem, json_schema, lint, parse};
pub use model::{
    AppliesFor, ChoiceOption, Definition, Faq, Fee, Field, FieldKind, Lock, MAX_GROUP_ROWS, PrefillSource, Step, Text, is_id, parts,
};
pub use ops::{PostalAddress, Prefill, SummaryRow, fee, migrate, prefill, prefill_subject, summary, try_fee};
pub use overrides::{FieldOverride, Overrides, apply, conflicts};
