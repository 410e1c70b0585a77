//! A citizen's answers: reading a posted step, following the conditions, validating.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use radhus_kernel::orgnr::Orgnr;
use radhus_kernel::personnummer::Personnummer;
use radhus_platform::error::FieldError;
use serde::{Deserialize, Serialize};

use super::expr::{self, Budget, Env, ExprError, Value};
use super::{Definition, Field, FieldKind, MAX_GROUP_ROWS};
/// Posted pairs beyond this many are not read.
const MAX_PAIRS: usize = 2000;
/// Deepest chain of computed values and conditions followed in one evaluation.
const MAX_CHAIN: usize = 32;

/// The answers of one form, by field id. Stored as JSON.
pub type Answers = BTreeMap<String, Answer>;

/// One answer. In JSON: `{"one": "…"}`, `{"many": [...]}`, `{"group": [{…}, …]}`,
/// `{"file": {…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// A typed or picked value (a ticked checkbox is `"true"`).
    One(String),
    /// The choices of a multiple choice, in the order of the options.
    Many(Vec<String>),
    /// The rows of a group.
    Group(Vec<Answers>),
    /// An attachment already stored by the submission.
    File(FileRef),
}

/// A stored attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    pub blob: uuid::Uuid,
    pub name: String,
    pub mime: String,
    pub size: u64,
}

// ---------------------------------------------------------------------------------------------
// Evaluating expressions against answers

/// The answers seen by an expression: top-level fields, or one group row and then the top level.
pub(crate) struct FormEnv<'a> {
    def: &'a Definition,
    answers: &'a Answers,
    /// The group and row an expression of a row's field is evaluated in.
    row: Option<(&'a Field, &'a Answers)>,
    /// Values and conditions being evaluated (cycle guard).
    stack: Vec<String>,
    cache: HashMap<&'a str, Result<expr::Expr, ExprError>>,
}

impl<'a> FormEnv<'a> {
    pub(crate) fn new(def: &'a Definition, answers: &'a Answers) -> Self {
        Self { def, answers, row: None, stack: vec![], cache: HashMap::new() }
    }

    fn in_row(&self, group: &'a Field, row: &'a Answers) -> FormEnv<'a> {
        FormEnv { def: self.def, answers: self.answers, row: Some((group, row)), stack: self.stack.clone(), cache: HashMap::new() }
    }

    /// Evaluates the expression `src`, guarded by `key` against cycles.
    fn eval_src(&mut self, key: String, src: &'a str, budget: &mut Budget) -> Result<Value, ExprError> {
        if self.stack.contains(&key) {
            return Err(ExprError::Cycle(key));
        }
        if self.stack.len() >= MAX_CHAIN {
            return Err(ExprError::TooDeep);
        }
        let parsed = self.cache.entry(src).or_insert_with(|| expr::parse(src)).clone()?;
        self.stack.push(key);
        let v = expr::eval(&parsed, self, budget);
        self.stack.pop();
        v
    }

    /// Evaluates `src` to a truth value.
    pub(crate) fn condition(&mut self, key: String, src: &'a str, budget: &mut Budget) -> Result<bool, ExprError> {
        Ok(self.eval_src(key, src, budget)?.truthy())
    }

    pub(crate) fn value_of(&mut self, src: &'a str, budget: &mut Budget) -> Result<Value, ExprError> {
        self.eval_src("fee".into(), src, budget)
    }

    fn step_visible(&mut self, step: usize, budget: &mut Budget) -> Result<bool, ExprError> {
        match &self.def.steps[step].visible_if {
            None => Ok(true),
            Some(src) => {
                let mut top = FormEnv { def: self.def, answers: self.answers, row: None, stack: self.stack.clone(), cache: HashMap::new() };
                top.condition(format!("step {}", self.def.steps[step].id), src, budget)
            }
        }
    }

    /// Whether a top-level field is shown: its step and its own condition.
    fn field_visible(&mut self, step: usize, f: &'a Field, budget: &mut Budget) -> Result<bool, ExprError> {
        if !self.step_visible(step, budget)? {
            return Ok(false);
        }
        match &f.visible_if {
            None => Ok(true),
            Some(src) => {
                let mut top = FormEnv { def: self.def, answers: self.answers, row: None, stack: self.stack.clone(), cache: HashMap::new() };
                top.condition(format!("visible_if of {}", f.id), src, budget)
            }
        }
    }

    /// The value of a field of the current row (its own condition first).
    fn row_value(&mut self, group: &'a Field, row: &'a Answers, sub: &'a Field, budget: &mut Budget) -> Result<Value, ExprError> {
        budget.spend()?;
        let mut env = self.in_row(group, row);
        if let Some(src) = &sub.visible_if
            && !env.condition(format!("visible_if of {}.{}", group.id, sub.id), src, budget)?
        {
            return Ok(Value::Null);
        }
        match sub.kind {
            FieldKind::Computed => match &sub.compute {
                Some(src) => env.eval_src(format!("{}.{}", group.id, sub.id), src, budget),
                None => Ok(Value::Null),
            },
            _ => Ok(answer_value(sub, row.get(&sub.id))),
        }
    }

    fn top(&self, id: &str) -> Result<(usize, &'a Field), ExprError> {
        self.def.field(id).ok_or_else(|| ExprError::Unknown(id.to_string()))
    }
}

/// The value of a stored answer in expressions.
fn answer_value(f: &Field, a: Option<&Answer>) -> Value {
    match (f.kind, a) {
        (FieldKind::Checkbox, a) => Value::Bool(matches!(a, Some(Answer::One(v)) if v == "true")),
        (_, None) => Value::Null,
        (FieldKind::Number | FieldKind::Amount, Some(Answer::One(v))) => parse_number(v, 4).map_or(Value::Null, Value::Num),
        (_, Some(Answer::One(v))) if v.is_empty() => Value::Null,
        (_, Some(Answer::One(v))) => Value::Str(v.clone()),
        (_, Some(Answer::Many(v))) => Value::List(v.clone()),
        (_, Some(Answer::File(file))) => Value::Str(file.name.clone()),
        (_, Some(Answer::Group(_))) => Value::Null,
    }
}

impl Env for FormEnv<'_> {
    fn lookup(&mut self, id: &str, budget: &mut Budget) -> Result<Value, ExprError> {
        budget.spend()?;
        if let Some((group, row)) = self.row
            && let Some(sub) = group.fields.iter().find(|s| s.id == id)
        {
            return self.row_value(group, row, sub, budget);
        }
        let (step, f) = self.top(id)?;
        let key = f.id.clone();
        if self.stack.contains(&key) {
            return Err(ExprError::Cycle(key));
        }
        self.stack.push(key);
        let visible = self.field_visible(step, f, budget);
        self.stack.pop();
        if !visible? {
            return Ok(Value::Null);
        }
        match f.kind {
            FieldKind::Group => Err(ExprError::Type(format!("`{id}` is a group: use count({id}) or sum({id}.field)"))),
            FieldKind::Computed => match &f.compute {
                Some(src) => {
                    let mut top =
                        FormEnv { def: self.def, answers: self.answers, row: None, stack: self.stack.clone(), cache: HashMap::new() };
                    top.eval_src(f.id.clone(), src, budget)
                }
                None => Ok(Value::Null),
            },
            FieldKind::Info => Ok(Value::Null),
            _ => Ok(answer_value(f, self.answers.get(id))),
        }
    }

    fn count(&mut self, id: &str, budget: &mut Budget) -> Result<Value, ExprError> {
        let is_group = self.row.is_none_or(|(g, _)| !g.fields.iter().any(|s| s.id == id)) && self.top(id)?.1.kind == FieldKind::Group;
        if is_group {
            let (step, f) = self.top(id)?;
            if !self.field_visible(step, f, budget)? {
                return Ok(Value::Num(0.0));
            }
            return Ok(Value::Num(match self.answers.get(id) {
                Some(Answer::Group(rows)) => rows.len() as f64,
                _ => 0.0,
            }));
        }
        match self.lookup(id, budget)? {
            Value::List(l) => Ok(Value::Num(l.len() as f64)),
            Value::Null => Ok(Value::Num(0.0)),
            _ => Err(ExprError::Type(format!("count({id}) needs a group or a multiple choice"))),
        }
    }

    fn sum(&mut self, group: &str, field: &str, budget: &mut Budget) -> Result<Value, ExprError> {
        let (step, g) = self.top(group)?;
        let Some(sub) = g.fields.iter().find(|s| s.id == field) else {
            return Err(ExprError::Unknown(format!("{group}.{field}")));
        };
        if g.kind != FieldKind::Group {
            return Err(ExprError::Type(format!("`{group}` is no group")));
        }
        if !self.field_visible(step, g, budget)? {
            return Ok(Value::Num(0.0));
        }
        let Some(Answer::Group(rows)) = self.answers.get(group) else { return Ok(Value::Num(0.0)) };
        let mut total = 0.0;
        for row in rows.iter().take(MAX_GROUP_ROWS) {
            total += self.row_value(g, row, sub, budget)?.num()?;
        }
        if total.is_finite() { Ok(Value::Num(total)) } else { Err(ExprError::Overflow) }
    }
}

// ---------------------------------------------------------------------------------------------
// Visibility

/// The steps shown to the citizen, in order (a step whose condition is false is skipped; a
/// condition that fails to evaluate shows the step).
pub fn visible_steps(def: &Definition, answers: &Answers) -> Vec<usize> {
    let mut env = FormEnv::new(def, answers);
    (0..def.steps.len()).filter(|&i| env.step_visible(i, &mut Budget::default()).unwrap_or(true)).collect()
}

/// The ids of the fields of `step` shown to the citizen (none if the step is hidden).
pub fn visible_fields(def: &Definition, step: usize, answers: &Answers) -> Vec<String> {
    let Some(s) = def.steps.get(step) else { return vec![] };
    let mut env = FormEnv::new(def, answers);
    s.fields.iter().filter(|f| env.field_visible(step, f, &mut Budget::default()).unwrap_or(true)).map(|f| f.id.clone()).collect()
}

/// The ids of a group row's fields shown in that row.
pub fn visible_row_fields(def: &Definition, group: &Field, row: &Answers, answers: &Answers) -> Vec<String> {
    let env = FormEnv::new(def, answers);
    let mut env = env.in_row(group, row);
    group
        .fields
        .iter()
        .filter(|sub| match &sub.visible_if {
            None => true,
            Some(src) => env.condition(format!("visible_if of {}.{}", group.id, sub.id), src, &mut Budget::default()).unwrap_or(true),
        })
        .map(|sub| sub.id.clone())
        .collect()
}

/// Only the answers the citizen can see: fields of shown steps that are shown themselves, a
/// group's rows with their shown fields; no answers of hidden, computed or unknown fields. What
/// a submission keeps (and hashes), so a hidden answer never travels with it.
pub fn visible_answers(def: &Definition, answers: &Answers) -> Answers {
    let mut out = Answers::new();
    for step in visible_steps(def, answers) {
        let shown = visible_fields(def, step, answers);
        for f in def.steps[step].fields.iter().filter(|f| shown.contains(&f.id)) {
            match (f.kind, answers.get(&f.id)) {
                (FieldKind::Info | FieldKind::Computed, _) | (_, None) => {}
                (FieldKind::Group, Some(Answer::Group(rows))) => {
                    let rows = rows
                        .iter()
                        .take(f.max_rows())
                        .map(|row| {
                            let keep = visible_row_fields(def, f, row, answers);
                            row.iter()
                                .filter(|(k, _)| keep.contains(k) && f.fields.iter().any(|sub| &sub.id == *k && sub.kind.takes_input()))
                                .map(|(k, v)| (k.clone(), v.clone()))
                                .collect()
                        })
                        .collect();
                    out.insert(f.id.clone(), Answer::Group(rows));
                }
                (FieldKind::Group, Some(_)) => {}
                (_, Some(a)) => {
                    out.insert(f.id.clone(), a.clone());
                }
            }
        }
    }
    out
}

/// Whether a field must be answered: `required`, or `required_if` true (a condition that fails
/// to evaluate requires the answer rather than let it through).
fn is_required<'a>(env: &mut FormEnv<'a>, f: &'a Field, label: &str) -> bool {
    f.required
        || f.required_if
            .as_deref()
            .is_some_and(|src| env.condition(format!("required_if of {label}"), src, &mut Budget::default()).unwrap_or(true))
}

// ---------------------------------------------------------------------------------------------
// Reading a posted step

/// Merges the posted values of one step (form pairs as received) into the answers. Fields not
/// on that step, not visible, and options not offered are never stored; a value too long is
/// kept only one character past its limit (so the check can say so); hidden fields' old answers
/// on the step are removed. A hidden step is not read.
pub fn read_step(def: &Definition, step: usize, pairs: &[(String, String)], answers: &mut Answers) {
    let Some(s) = def.steps.get(step) else { return };
    if !visible_steps(def, answers).contains(&step) {
        return;
    }
    let mut posted: HashMap<&str, Vec<&str>> = HashMap::new();
    for (k, v) in pairs.iter().take(MAX_PAIRS) {
        if k.len() <= 120 {
            posted.entry(k.as_str()).or_default().push(v.as_str());
        }
    }
    for f in &s.fields {
        match f.kind {
            FieldKind::Info | FieldKind::Computed => {
                answers.remove(&f.id);
            }
            FieldKind::File => {}
            FieldKind::Group => match read_group(f, &posted) {
                Some(rows) if !rows.is_empty() => {
                    answers.insert(f.id.clone(), Answer::Group(rows));
                }
                _ => {
                    answers.remove(&f.id);
                }
            },
            _ => match read_value(f, posted.get(f.id.as_str()).map(Vec::as_slice).unwrap_or_default()) {
                Some(a) => {
                    answers.insert(f.id.clone(), a);
                }
                None => {
                    answers.remove(&f.id);
                }
            },
        }
    }
    // What the new answers hide on this step is not kept.
    let visible = visible_fields(def, step, answers);
    for f in &s.fields {
        if !visible.contains(&f.id) {
            answers.remove(&f.id);
        } else if f.kind == FieldKind::Group
            && let Some(Answer::Group(rows)) = answers.get(&f.id).cloned()
        {
            let rows = rows
                .into_iter()
                .map(|mut row| {
                    let keep = visible_row_fields(def, f, &row, answers);
                    row.retain(|k, _| keep.contains(k));
                    row
                })
                .collect();
            answers.insert(f.id.clone(), Answer::Group(rows));
        }
    }
}

/// One field's answer from its posted values (`None`: no answer).
fn read_value(f: &Field, values: &[&str]) -> Option<Answer> {
    match f.kind {
        FieldKind::Choice => {
            let v = values.first()?.trim();
            f.offered().any(|o| o.value == v).then(|| Answer::One(v.to_string()))
        }
        FieldKind::MultiChoice => {
            let picked: Vec<String> = f.offered().filter(|o| values.iter().any(|v| v.trim() == o.value)).map(|o| o.value.clone()).collect();
            (!picked.is_empty()).then_some(Answer::Many(picked))
        }
        FieldKind::Checkbox => {
            values.iter().any(|v| matches!(v.trim(), "true" | "on" | "1" | "ja" | "yes")).then(|| Answer::One("true".into()))
        }
        FieldKind::Info | FieldKind::Computed | FieldKind::Group | FieldKind::File => None,
        _ => {
            let v = clean(f, values.first()?);
            (!v.is_empty()).then_some(Answer::One(v))
        }
    }
}

/// A typed value as it is kept: control characters gone, line ends `\n` (one line for
/// single-line fields), trimmed, and at most one character past the field's limit.
fn clean(f: &Field, raw: &str) -> String {
    let multiline = matches!(f.kind, FieldKind::Textarea | FieldKind::Address);
    let limit = f.length_limit() + 1;
    let mut out = String::with_capacity(raw.len().min(limit * 4));
    let mut count = 0;
    let normalised = raw.replace("\r\n", "\n").replace('\r', "\n");
    for c in normalised.chars() {
        let c = match c {
            '\n' if multiline => '\n',
            '\n' | '\t' => ' ',
            c if c.is_control() => continue,
            // Zero-width and direction-override characters hide what a text really says.
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' => continue,
            c => c,
        };
        out.push(c);
        count += 1;
        if count >= limit + 64 {
            break;
        }
    }
    let trimmed: String = out.trim().chars().take(limit).collect();
    if multiline { trimmed.lines().map(str::trim_end).collect::<Vec<_>>().join("\n") } else { trimmed }
}

/// A group's rows from keys `group[i].field` (and `group[i]._row`, a row with nothing typed
/// yet). Indexes past the group's most rows, malformed keys and unknown fields are ignored;
/// rows are kept in index order and renumbered from 0.
fn read_group(g: &Field, posted: &HashMap<&str, Vec<&str>>) -> Option<Vec<super::Answers>> {
    let mut rows: BTreeMap<usize, HashMap<&str, Vec<&str>>> = BTreeMap::new();
    let prefix = format!("{}[", g.id);
    for (key, values) in posted {
        let Some(rest) = key.strip_prefix(prefix.as_str()) else { continue };
        let Some((index, sub)) = rest.split_once("].") else { continue };
        if index.is_empty() || index.len() > 3 || !index.bytes().all(|b| b.is_ascii_digit()) || (index.len() > 1 && index.starts_with('0'))
        {
            continue;
        }
        let Ok(i) = index.parse::<usize>() else { continue };
        if i >= g.max_rows() {
            continue;
        }
        let row = rows.entry(i).or_default();
        if sub != "_row" && g.fields.iter().any(|s| s.id == sub && s.kind.takes_input() && s.kind != FieldKind::File) {
            row.insert(sub, values.clone());
        }
    }
    Some(
        rows.into_values()
            .map(|posted| {
                g.fields
                    .iter()
                    .filter_map(|sub| {
                        read_value(sub, posted.get(sub.id.as_str()).map(Vec::as_slice).unwrap_or_default()).map(|a| (sub.id.clone(), a))
                    })
                    .collect()
            })
            .collect(),
    )
}

/// Adds an empty row to a group (the page's "add a row" button); false at the group's most
/// rows or when `group` is no group.
pub fn add_row(def: &Definition, answers: &mut Answers, group: &str) -> bool {
    let Some((_, g)) = def.field(group).filter(|(_, f)| f.kind == FieldKind::Group) else { return false };
    let entry = answers.entry(group.to_string()).or_insert_with(|| Answer::Group(vec![]));
    let Answer::Group(rows) = entry else {
        *entry = Answer::Group(vec![super::Answers::new()]);
        return true;
    };
    // The page shows at least the fewest rows; adding goes past what it shows.
    while rows.len() < g.min_rows().max(1) {
        rows.push(super::Answers::new());
    }
    if rows.len() >= g.max_rows() {
        return false;
    }
    rows.push(super::Answers::new());
    true
}

/// Removes row `index` of a group; false if there is no such row.
pub fn remove_row(answers: &mut Answers, group: &str, index: usize) -> bool {
    match answers.get_mut(group) {
        Some(Answer::Group(rows)) if index < rows.len() => {
            rows.remove(index);
            true
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Validation

/// Every Fluent message id [`check_step`] gives (`crates/eservices/locales/{sv,en}.ftl`).
pub const MESSAGES: [&str; 29] = [
    "es-field-address",
    "es-field-choose",
    "es-field-choose-fewer",
    "es-field-choose-many",
    "es-field-choose-more",
    "es-field-confirm",
    "es-field-date",
    "es-field-date-earlier",
    "es-field-date-later",
    "es-field-date-required",
    "es-field-email",
    "es-field-fastighet",
    "es-field-file",
    "es-field-file-empty",
    "es-field-file-type",
    "es-field-invalid",
    "es-field-number",
    "es-field-orgnummer",
    "es-field-pattern",
    "es-field-personnummer",
    "es-field-phone",
    "es-field-required",
    "es-field-rows-fewer",
    "es-field-rows-more",
    "es-field-too-large",
    "es-field-too-long",
    "es-field-too-short",
    "es-field-too-small",
    "es-field-whole-number",
];

/// The problems of one step: each a [`FieldError`] with the field id (a group row's field as
/// `group[2].field`, a group's row count as `group`) and a Fluent id `es-field-…`. A hidden
/// step has none. `today` is the day date rules count from.
pub fn check_step(def: &Definition, step: usize, answers: &Answers, today: time::Date) -> Vec<FieldError> {
    let Some(s) = def.steps.get(step) else { return vec![] };
    if !visible_steps(def, answers).contains(&step) {
        return vec![];
    }
    let visible = visible_fields(def, step, answers);
    let mut env = FormEnv::new(def, answers);
    let mut errors = vec![];
    for f in s.fields.iter().filter(|f| visible.contains(&f.id)) {
        match f.kind {
            FieldKind::Info | FieldKind::Computed => {}
            FieldKind::Group => {
                let rows: &[super::Answers] = match answers.get(&f.id) {
                    Some(Answer::Group(rows)) => rows,
                    None => &[],
                    Some(_) => {
                        errors.push(FieldError::new(f.id.clone(), "es-field-invalid"));
                        continue;
                    }
                };
                let required = is_required(&mut env, f, &f.id);
                if rows.len() < f.min_rows().max(usize::from(required)) {
                    errors.push(FieldError::new(f.id.clone(), "es-field-rows-more"));
                } else if rows.len() > f.max_rows() {
                    errors.push(FieldError::new(f.id.clone(), "es-field-rows-fewer"));
                }
                for (i, row) in rows.iter().enumerate().take(f.max_rows()) {
                    let shown = visible_row_fields(def, f, row, answers);
                    let mut row_env = env.in_row(f, row);
                    for sub in f.fields.iter().filter(|sub| shown.contains(&sub.id) && sub.kind.takes_input()) {
                        let name = format!("{}[{i}].{}", f.id, sub.id);
                        let required = is_required(&mut row_env, sub, &name);
                        if let Some(msg) = check_value(sub, row.get(&sub.id), required, today) {
                            errors.push(FieldError::new(name, msg));
                        }
                    }
                }
            }
            _ => {
                let required = is_required(&mut env, f, &f.id);
                if let Some(msg) = check_value(f, answers.get(&f.id), required, today) {
                    errors.push(FieldError::new(f.id.clone(), msg));
                }
            }
        }
    }
    errors
}

/// The problems of every shown step, with the step's index.
pub fn check_all(def: &Definition, answers: &Answers, today: time::Date) -> Vec<(usize, FieldError)> {
    visible_steps(def, answers).into_iter().flat_map(|s| check_step(def, s, answers, today).into_iter().map(move |e| (s, e))).collect()
}

/// The message for one answer, or `None` when it is fine.
fn check_value(f: &Field, a: Option<&Answer>, required: bool, today: time::Date) -> Option<&'static str> {
    let empty = match a {
        None => true,
        Some(Answer::One(v)) => v.trim().is_empty(),
        Some(Answer::Many(v)) => v.is_empty(),
        Some(Answer::Group(_)) => return Some("es-field-invalid"),
        Some(Answer::File(_)) => false,
    };
    if empty {
        return required.then_some(match f.kind {
            FieldKind::Choice => "es-field-choose",
            FieldKind::MultiChoice => "es-field-choose-many",
            FieldKind::Checkbox => "es-field-confirm",
            FieldKind::File => "es-field-file",
            FieldKind::Date => "es-field-date-required",
            _ => "es-field-required",
        });
    }
    match (f.kind, a?) {
        (FieldKind::File, Answer::File(file)) => {
            if file.size == 0 {
                Some("es-field-file-empty")
            } else if !f.accept.is_empty() && !f.accept.iter().any(|m| m.eq_ignore_ascii_case(&file.mime)) {
                Some("es-field-file-type")
            } else {
                None
            }
        }
        (FieldKind::MultiChoice, Answer::Many(values)) => {
            let n = values.len() as i64;
            if !values.iter().all(|v| f.offered().any(|o| &o.value == v)) {
                Some("es-field-choose-many")
            } else if f.min.is_some_and(|m| n < m) {
                Some("es-field-choose-more")
            } else if f.max.is_some_and(|m| n > m) {
                Some("es-field-choose-fewer")
            } else {
                None
            }
        }
        (FieldKind::File | FieldKind::MultiChoice, _) => Some("es-field-invalid"),
        (_, Answer::One(v)) => check_one(f, v, today),
        _ => Some("es-field-invalid"),
    }
}

fn check_one(f: &Field, v: &str, today: time::Date) -> Option<&'static str> {
    let chars = v.chars().count();
    if chars > f.length_limit() {
        return Some("es-field-too-long");
    }
    match f.kind {
        FieldKind::Text | FieldKind::Textarea | FieldKind::Address => {
            if f.min_length.is_some_and(|m| chars < m as usize) {
                return Some("es-field-too-short");
            }
            if let Some(p) = &f.pattern {
                match pattern(p) {
                    Some(re) if re.is_match(v) => {}
                    _ => return Some("es-field-pattern"),
                }
            }
            (f.kind == FieldKind::Address && !is_address(v)).then_some("es-field-address")
        }
        FieldKind::Number | FieldKind::Amount => {
            let decimals = if f.kind == FieldKind::Amount { 0 } else { f.decimals.unwrap_or(0).min(4) };
            let text = if f.kind == FieldKind::Amount { strip_kr(v) } else { v };
            let Some(n) = parse_number(text, decimals) else {
                return Some(if decimals == 0 && parse_number(text, 4).is_some() { "es-field-whole-number" } else { "es-field-number" });
            };
            let min = f.min.or((f.kind == FieldKind::Amount).then_some(0));
            if min.is_some_and(|m| n < m as f64) {
                Some("es-field-too-small")
            } else if f.max.is_some_and(|m| n > m as f64) {
                Some("es-field-too-large")
            } else {
                None
            }
        }
        FieldKind::Date => {
            let Some(d) = parse_date(v) else { return Some("es-field-date") };
            let bound = |days: i32| today.checked_add(time::Duration::days(i64::from(days)));
            if f.min_days.and_then(bound).is_some_and(|m| d < m) {
                Some("es-field-date-later")
            } else if f.max_days.and_then(bound).is_some_and(|m| d > m) {
                Some("es-field-date-earlier")
            } else {
                None
            }
        }
        FieldKind::Choice => (!f.offered().any(|o| o.value == v)).then_some("es-field-choose"),
        FieldKind::Checkbox => (v != "true").then_some("es-field-confirm"),
        FieldKind::Personnummer => Personnummer::parse(v, today).is_err().then_some("es-field-personnummer"),
        FieldKind::Orgnummer => Orgnr::parse(v).is_err().then_some("es-field-orgnummer"),
        FieldKind::Email => (!radhus_platform::identity::looks_like_email(v)).then_some("es-field-email"),
        FieldKind::Phone => (!is_phone(v)).then_some("es-field-phone"),
        FieldKind::Fastighetsbeteckning => (!FASTIGHET.is_match(v)).then_some("es-field-fastighet"),
        FieldKind::MultiChoice | FieldKind::File | FieldKind::Info | FieldKind::Group | FieldKind::Computed => Some("es-field-invalid"),
    }
}

/// A definition's pattern compiled for the whole value, with small size limits (a pattern
/// cannot make the server build a huge automaton).
pub(crate) fn pattern(p: &str) -> Option<regex::Regex> {
    if p.len() > 300 {
        return None;
    }
    regex::RegexBuilder::new(&format!("^(?:{p})$")).size_limit(1 << 18).dfa_size_limit(1 << 18).nest_limit(20).build().ok()
}

/// `1200`, `1 200`, `-3`, `12,5` or `12.5` with at most `decimals` decimals.
pub(crate) fn parse_number(v: &str, decimals: u8) -> Option<f64> {
    let s: String = v.chars().filter(|c| !matches!(c, ' ' | '\u{00A0}' | '\u{202F}')).collect();
    let (neg, digits) = match s.strip_prefix('-').or_else(|| s.strip_prefix('−')) {
        Some(rest) => (true, rest),
        None => (false, s.as_str()),
    };
    let (int, frac) = match digits.split_once([',', '.']) {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let ok_int = !int.is_empty() && int.len() <= 13 && int.bytes().all(|b| b.is_ascii_digit());
    let ok_frac = frac.is_none_or(|f| !f.is_empty() && f.len() <= usize::from(decimals) && f.bytes().all(|b| b.is_ascii_digit()));
    if !ok_int || !ok_frac {
        return None;
    }
    let n: f64 = format!("{int}.{}", frac.unwrap_or("0")).parse().ok()?;
    Some(if neg { -n } else { n })
}

fn strip_kr(v: &str) -> &str {
    let t = v.trim();
    t.strip_suffix("kr").or_else(|| t.strip_suffix("SEK")).or_else(|| t.strip_suffix(":-")).map_or(t, str::trim_end)
}

/// `YYYY-MM-DD`, a real date between 1800 and 2200.
pub(crate) fn parse_date(v: &str) -> Option<time::Date> {
    let b = v.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year: i32 = v.get(0..4)?.parse().ok()?;
    let month: u8 = v.get(5..7)?.parse().ok()?;
    let day: u8 = v.get(8..10)?.parse().ok()?;
    if !(1800..=2200).contains(&year) {
        return None;
    }
    time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

fn is_phone(v: &str) -> bool {
    v.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')'))
        && v.chars().filter(|c| *c == '+').count() <= 1
        && radhus_platform::outbox::sms::normalise_msisdn(&v.replace("(0)", "").replace(['(', ')'], "")).is_some()
}

static POSTCODE_LINE: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"^(?:SE-?)?[1-9]\d{2} ?\d{2}\s+\p{L}[\p{L} \-]*$").expect("a valid pattern"));

/// A street line (or more) and a last line with the postcode and the town.
fn is_address(v: &str) -> bool {
    let lines: Vec<&str> = v.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    lines.len() >= 2 && lines.last().is_some_and(|l| POSTCODE_LINE.is_match(l))
}

/// `Kommun Trakt block:enhet`, e.g. `Karlstad Sandbäcken 1:23`, `Kil Tingvalla 12:4`,
/// `Arvika Majoren 3`, `Hammarö Skoghall s:1` (a joint property).
static FASTIGHET: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"^\p{L}[\p{L}\-]*(?: \p{L}[\p{L}\-]*)* (?:\d{1,4}|s)(?::\d{1,4})?$").expect("a valid pattern"));

#[cfg(test)]
mod tests;
