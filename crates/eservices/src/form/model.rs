//! The definition's types: what the platform operator or a municipality writes.

use std::collections::BTreeMap;

use radhus_kernel::Lang;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::expr;

/// The most rows any group may have, whatever its definition says.
pub const MAX_GROUP_ROWS: usize = 50;

/// A text in Swedish and, optionally, English; English falls back to Swedish. In JSON either
/// `{"sv": "…", "en": "…"}` or a plain string (Swedish only).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(from = "TextRepr")]
pub struct Text {
    pub sv: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl Text {
    pub fn sv(s: impl Into<String>) -> Self {
        Self { sv: s.into(), en: None }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match (lang, &self.en) {
            (Lang::En, Some(en)) if !en.trim().is_empty() => en,
            _ => &self.sv,
        }
    }
}

/// How a [`Text`] may be written.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged, deny_unknown_fields)]
#[allow(dead_code)] // Only read through serde and schemars.
enum TextRepr {
    /// Swedish only.
    Plain(String),
    Both {
        sv: String,
        #[serde(default)]
        en: Option<String>,
    },
}

impl From<TextRepr> for Text {
    fn from(r: TextRepr) -> Self {
        match r {
            TextRepr::Plain(sv) => Text { sv, en: None },
            TextRepr::Both { sv, en } => Text { sv, en },
        }
    }
}

impl JsonSchema for Text {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Text".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        TextRepr::json_schema(generator)
    }
}

/// One e-service's form, as the platform operator or a municipality writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    /// Stable service key (`a-z`, `0-9`, `-`), e.g. `bygglov`.
    pub key: String,
    /// Counts up with each published change; answers are pinned to it.
    pub version: u32,
    pub title: Text,
    /// One or two sentences: what the service is for.
    pub summary: Text,
    pub steps: Vec<Step>,
    /// The fee in whole kronor, fixed or computed; none is free.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<Fee>,
    /// eBlomlåda indicator codes the service fulfils, e.g. `["EB17-64"]`.
    #[serde(default)]
    pub eblomlada: Vec<String>,
    /// How the municipality handles the errand after submission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handling: Option<Text>,
    /// The stated handling time in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handling_days: Option<u32>,
    /// Which personal data the service processes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_data: Option<Text>,
    /// The legal basis of the processing (GDPR art. 6 and the law it rests on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<Text>,
    /// How long the data is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<Text>,
    /// Whom to contact with questions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Text>,
    /// Whether the service may be used without e-ID (a magic link by e-mail instead).
    #[serde(default)]
    pub anonymous_allowed: bool,
    #[serde(default)]
    pub faq: Vec<Faq>,
    /// Per part (see [`parts`]): whether a municipality may override it. Parts not named are
    /// overridable.
    #[serde(default)]
    pub locks: BTreeMap<String, Lock>,
    /// Whom the service may be applied for: the person who logs in (`self`), a child in
    /// their custody (`child`, from the population register), a company or organisation
    /// (`organisation`, as its signatory). Empty is `self` only: the citizen is never asked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applies_for: Vec<AppliesFor>,
}

/// Whom an application may concern (`Definition::applies_for`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppliesFor {
    /// The person who logs in with e-ID.
    #[serde(rename = "self")]
    Myself,
    /// A child under 18 in their custody (vårdnadshavare), per the population register.
    Child,
    /// A company or organisation they sign for (firmatecknare), by their own declaration.
    Organisation,
}

impl AppliesFor {
    pub fn as_str(self) -> &'static str {
        match self {
            AppliesFor::Myself => "self",
            AppliesFor::Child => "child",
            AppliesFor::Organisation => "organisation",
        }
    }
}

impl Definition {
    /// Whom the service may be applied for, `self` when the definition says nothing.
    pub fn subjects(&self) -> Vec<AppliesFor> {
        if self.applies_for.is_empty() { vec![AppliesFor::Myself] } else { self.applies_for.clone() }
    }

    /// Whether starting the service asks "Vem gäller ansökan?" (anything but `self` only).
    pub fn asks_subject(&self) -> bool {
        self.subjects() != [AppliesFor::Myself]
    }
}

/// One page of the form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub title: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intro: Option<Text>,
    pub fields: Vec<Field>,
    /// An expression; the step is skipped while it is false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible_if: Option<String>,
}

/// The type of a field and so of its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// Several lines of text.
    Textarea,
    /// A number; `decimals` says how many decimals are allowed (default none).
    Number,
    /// An amount in whole kronor.
    Amount,
    /// A date `YYYY-MM-DD`; `min_days`/`max_days` bound it relative to today.
    Date,
    /// One of `options`.
    Choice,
    /// Any of `options`.
    MultiChoice,
    /// A box to tick (a consent, a confirmation); required means it must be ticked.
    Checkbox,
    /// An attachment; the file itself is handled by the submission, the answer is its reference.
    File,
    /// A Swedish personal identity or coordination number.
    Personnummer,
    /// A Swedish organisation number.
    Orgnummer,
    /// A Swedish postal address: street on the first line(s), postcode and town on the last.
    Address,
    Email,
    /// A Swedish or international phone number.
    Phone,
    /// A property designation such as `Karlstad Sandbäcken 1:23`.
    Fastighetsbeteckning,
    /// A text shown to the citizen; no answer.
    Info,
    /// Repeating rows of `fields`, between `min_rows` and `max_rows`.
    Group,
    /// A value computed from `compute`; shown, never typed.
    Computed,
}

impl FieldKind {
    /// Whether the citizen types or picks an answer for it.
    pub fn takes_input(self) -> bool {
        !matches!(self, FieldKind::Info | FieldKind::Computed | FieldKind::Group)
    }

    /// Whether `options` apply.
    pub fn has_options(self) -> bool {
        matches!(self, FieldKind::Choice | FieldKind::MultiChoice)
    }

    /// Whether the answer is a number in expressions.
    pub fn is_numeric(self) -> bool {
        matches!(self, FieldKind::Number | FieldKind::Amount | FieldKind::Computed)
    }

    /// Whether `min_length`, `max_length` and `pattern` apply.
    pub fn is_free_text(self) -> bool {
        matches!(self, FieldKind::Text | FieldKind::Textarea | FieldKind::Address)
    }
}

/// One question of the form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Stable id (`a-z`, `0-9`, `_`, starting with a letter); answers are kept by it across
    /// versions.
    pub id: String,
    pub kind: FieldKind,
    pub label: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Text>,
    #[serde(default)]
    pub required: bool,
    /// An expression; the field is required while it is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_if: Option<String>,
    /// An expression; the field is shown (and its answer kept) while it is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible_if: Option<String>,
    /// The choices of a `choice` or `multi_choice`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ChoiceOption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// Smallest number or amount; for a `multi_choice` the fewest choices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    /// Largest number or amount; for a `multi_choice` the most choices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    /// Decimals a `number` may have (0 to 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimals: Option<u8>,
    /// A regular expression (whole value) a text must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Earliest date, in days from today (negative: in the past).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_days: Option<i32>,
    /// Latest date, in days from today.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_days: Option<i32>,
    /// The rows' fields of a `group`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_rows: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_rows: Option<u32>,
    /// The expression of a `computed` field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compute: Option<String>,
    /// Where the e-ID login or population register fills the field in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefill: Option<PrefillSource>,
    /// Accepted media types of a `file` (e.g. `application/pdf`); empty is the platform's list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accept: Vec<String>,
}

impl Field {
    /// A field of `kind` with `id` and `label` and nothing else set.
    pub fn new(id: &str, kind: FieldKind, label: &str) -> Self {
        Field {
            id: id.to_string(),
            kind,
            label: Text::sv(label),
            help: None,
            required: false,
            required_if: None,
            visible_if: None,
            options: vec![],
            min_length: None,
            max_length: None,
            min: None,
            max: None,
            decimals: None,
            pattern: None,
            min_days: None,
            max_days: None,
            fields: vec![],
            min_rows: None,
            max_rows: None,
            compute: None,
            prefill: None,
            accept: vec![],
        }
    }

    /// The fewest rows of a group (0 for other fields).
    pub fn min_rows(&self) -> usize {
        self.min_rows.map_or(0, |n| n as usize)
    }

    /// The most rows of a group, never more than [`MAX_GROUP_ROWS`].
    pub fn max_rows(&self) -> usize {
        self.max_rows.map_or(MAX_GROUP_ROWS, |n| (n as usize).min(MAX_GROUP_ROWS))
    }

    /// The options a citizen may pick (not hidden by the municipality).
    pub fn offered(&self) -> impl Iterator<Item = &ChoiceOption> {
        self.options.iter().filter(|o| !o.hidden)
    }

    /// The longest answer accepted: `max_length` or the kind's own limit.
    pub fn length_limit(&self) -> usize {
        let own = match self.kind {
            FieldKind::Textarea | FieldKind::Address => 5000,
            FieldKind::Email => 254,
            _ => 500,
        };
        self.max_length.map_or(own, |n| (n as usize).min(own))
    }
}

/// One choice of a `choice` or `multi_choice`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    /// Stable value, stored in answers and compared in expressions.
    pub value: String,
    pub label: Text,
    /// Hidden by the municipality's overrides: not offered, still known to the linter.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
}

impl ChoiceOption {
    pub fn new(value: &str, label: &str) -> Self {
        Self { value: value.to_string(), label: Text::sv(label), hidden: false }
    }
}

/// Where a prefilled answer comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PrefillSource {
    /// The logged-in person's personal identity number.
    Personnummer,
    /// Their name.
    Name,
    /// Their registered address (population register).
    Address,
    /// The name of whom the application concerns (`Definition::applies_for`): the child's or
    /// the organisation's; the person's own name when they apply for themselves.
    SubjectName,
    /// Their number: the child's personal identity number, the organisation number, or the
    /// person's own number when they apply for themselves.
    SubjectNumber,
}

/// The fee of a service in whole kronor: `amount` (fixed) or `expr` (computed from the
/// answers), exactly one of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expr: Option<String>,
    /// What the fee is based on (the municipality's taxa), shown before the citizen starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// A question and its answer on the service's start page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Faq {
    /// Stable id, so a municipality can hide a shared item.
    pub id: String,
    pub question: Text,
    pub answer: Text,
}

/// What a municipality may do with one part of a shared service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Lock {
    /// The shared text or value holds everywhere.
    Locked,
    /// A municipality may replace it.
    Overridable,
    /// A municipality must give its own (a fee, a contact) before it publishes.
    MustOverride,
}

/// Whether `s` is a well-formed id of a field or step.
pub fn is_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some('a'..='z'))
        && s.len() <= 40
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
        && !expr::is_keyword(s)
}

/// Parts that are not per field.
const WHOLE_PARTS: [&str; 7] = ["title", "summary", "handling", "handling_days", "fee", "contact", "faq"];

/// Every part of a definition a lock or an override can name: `title`, `summary`,
/// `handling`, `handling_days`, `fee`, `contact`, `faq`, `field:<id>` (label and help) for
/// every field and `options:<id>` for every choice (a group's field as `group.field`).
pub fn parts(def: &Definition) -> Vec<String> {
    let mut out: Vec<String> = WHOLE_PARTS.iter().map(|p| p.to_string()).collect();
    for (_, f) in def.fields() {
        push_field_parts(&mut out, &f.id, f);
        for sub in &f.fields {
            push_field_parts(&mut out, &format!("{}.{}", f.id, sub.id), sub);
        }
    }
    out
}

fn push_field_parts(out: &mut Vec<String>, path: &str, f: &Field) {
    out.push(format!("field:{path}"));
    if f.kind.has_options() {
        out.push(format!("options:{path}"));
    }
}

impl Definition {
    /// Every field of every step, top level only, with its step's index.
    pub fn fields(&self) -> impl Iterator<Item = (usize, &Field)> {
        self.steps.iter().enumerate().flat_map(|(i, s)| s.fields.iter().map(move |f| (i, f)))
    }

    /// The top-level field `id` and the index of its step.
    pub fn field(&self, id: &str) -> Option<(usize, &Field)> {
        self.fields().find(|(_, f)| f.id == id)
    }
}
