//! Reading and linting definitions: a definition with a problem cannot be published, and each
//! problem names its field (or step, or part).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::expr::{self, BinOp, Expr, Func, RefUse, Value};
use super::{Definition, Field, FieldKind, MAX_GROUP_ROWS, PrefillSource, is_id};

/// Longest definition accepted, in bytes.
pub const MAX_DEFINITION_BYTES: usize = 1 << 20;

/// One problem of a definition, in English for the staff who write definitions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintProblem {
    /// The field (a group's field as `group.field`), `step:<id>`, or a part such as `fee`;
    /// `None` for the definition as a whole.
    pub field: Option<String>,
    pub message: String,
}

impl LintProblem {
    fn at(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: Some(field.into()), message: message.into() }
    }

    fn whole(message: impl Into<String>) -> Self {
        Self { field: None, message: message.into() }
    }
}

impl std::fmt::Display for LintProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

/// Reads a definition from JSON and lints it.
pub fn parse(json: &str) -> Result<Definition, Vec<LintProblem>> {
    if json.len() > MAX_DEFINITION_BYTES {
        return Err(vec![LintProblem::whole(format!("the definition is larger than {MAX_DEFINITION_BYTES} bytes"))]);
    }
    let def: Definition = serde_json::from_str(json).map_err(|e| vec![LintProblem::whole(format!("not a valid definition: {e}"))])?;
    let problems = lint(&def);
    if problems.is_empty() { Ok(def) } else { Err(problems) }
}

/// The JSON Schema of [`Definition`] (served at `/api/v1/eservices/schema.json`).
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(Definition);
    serde_json::to_value(&schema).unwrap_or_default()
}

/// A field as the linter sees it: where it is and in which group.
struct Site<'a> {
    /// `id`, or `group.id` for a group's field.
    path: String,
    step: usize,
    field: &'a Field,
    group: Option<&'a Field>,
}

/// Every problem of a definition; empty when it may be published.
pub fn lint(def: &Definition) -> Vec<LintProblem> {
    let mut out = vec![];
    let mut l = Linter { def, out: &mut out, sites: vec![] };
    l.whole();
    l.collect_sites();
    l.fields();
    l.expressions();
    l.cycles();
    l.locks();
    out
}

struct Linter<'a, 'o> {
    def: &'a Definition,
    out: &'o mut Vec<LintProblem>,
    sites: Vec<Site<'a>>,
}

fn is_key(s: &str) -> bool {
    (2..=40).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn is_indicator(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7
        && s.starts_with("EB")
        && b[2].is_ascii_digit()
        && b[3].is_ascii_digit()
        && b[4] == b'-'
        && b[5].is_ascii_digit()
        && b[6].is_ascii_digit()
}

/// Where an expression stands: which field (if any), in which group row, on which step.
#[derive(Clone, Copy)]
struct ExprAt<'a> {
    /// The step whose answers are known when it is evaluated (`None`: all, as for the fee).
    step: Option<usize>,
    /// Whether a field on `step` itself may be referenced (a field's condition may read
    /// another field of its step; a step's own condition may not).
    same_step: bool,
    group: Option<&'a Field>,
    condition: bool,
}

impl<'a> Linter<'a, '_> {
    fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.out.push(LintProblem::at(field, message));
    }

    fn whole(&mut self) {
        let d = self.def;
        if !is_key(&d.key) {
            self.out.push(LintProblem::at("key", "the key must be 2 to 40 characters a-z, 0-9 and -, starting with a letter"));
        }
        if d.version == 0 {
            self.out.push(LintProblem::at("version", "versions start at 1"));
        }
        if d.title.sv.trim().is_empty() {
            self.out.push(LintProblem::at("title", "the title is empty"));
        }
        if d.summary.sv.trim().is_empty() {
            self.out.push(LintProblem::at("summary", "the summary is empty"));
        }
        if d.steps.is_empty() {
            self.out.push(LintProblem::whole("the form has no steps"));
        }
        for code in &d.eblomlada {
            if !is_indicator(code) {
                self.out.push(LintProblem::at("eblomlada", format!("`{code}` is no eBlomlåda indicator code (EB17-64)")));
            }
        }
        if d.handling_days.is_some_and(|n| n == 0 || n > 3650) {
            self.out.push(LintProblem::at("handling_days", "the handling time must be 1 to 3650 days"));
        }
        let mut faq_ids = BTreeSet::new();
        for q in &d.faq {
            if !is_id(&q.id) {
                self.out.push(LintProblem::at(format!("faq:{}", q.id), "a FAQ id must be a-z, 0-9 and _, starting with a letter"));
            }
            if !faq_ids.insert(q.id.as_str()) {
                self.out.push(LintProblem::at(format!("faq:{}", q.id), "two FAQ items have this id"));
            }
            if q.question.sv.trim().is_empty() || q.answer.sv.trim().is_empty() {
                self.out.push(LintProblem::at(format!("faq:{}", q.id), "the question or its answer is empty"));
            }
        }
        if let Some(fee) = &d.fee {
            match (fee.amount, &fee.expr) {
                (Some(_), Some(_)) | (None, None) => self.push("fee", "a fee has either an amount or an expression"),
                (Some(n), None) if !(0..=10_000_000).contains(&n) => self.push("fee", "the amount must be 0 to 10 000 000 kronor"),
                _ => {}
            }
        }
        let mut step_ids = BTreeSet::new();
        for s in &d.steps {
            let name = format!("step:{}", s.id);
            if !is_id(&s.id) {
                self.push(name.clone(), "a step id must be a-z, 0-9 and _, starting with a letter");
            }
            if !step_ids.insert(s.id.as_str()) {
                self.push(name.clone(), "two steps have this id");
            }
            if s.title.sv.trim().is_empty() {
                self.push(name.clone(), "the step has no title");
            }
            if s.fields.is_empty() {
                self.push(name, "the step has no fields");
            }
        }
    }

    fn collect_sites(&mut self) {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (step, s) in self.def.steps.iter().enumerate() {
            for f in &s.fields {
                self.sites.push(Site { path: f.id.clone(), step, field: f, group: None });
                *seen.entry(f.id.clone()).or_default() += 1;
                let mut sub_seen = BTreeSet::new();
                for sub in &f.fields {
                    let path = format!("{}.{}", f.id, sub.id);
                    if !sub_seen.insert(sub.id.as_str()) {
                        self.push(path.clone(), "two fields of the group have this id");
                    }
                    self.sites.push(Site { path, step, field: sub, group: Some(f) });
                }
            }
        }
        for (id, n) in seen {
            if n > 1 {
                self.push(id, format!("{n} fields have this id"));
            }
        }
    }

    fn fields(&mut self) {
        let sites: Vec<(String, &'a Field, Option<&'a Field>)> = self.sites.iter().map(|s| (s.path.clone(), s.field, s.group)).collect();
        for (path, f, group) in sites {
            let p = |m: &str| LintProblem::at(path.clone(), m.to_string());
            let mut problems = vec![];
            if !is_id(&f.id) {
                problems.push(p(
                    "a field id must be 1 to 40 characters a-z, 0-9 and _, starting with a letter, and no word of the expression language",
                ));
            }
            if f.label.sv.trim().is_empty() {
                problems.push(p("the field has no label"));
            }
            if f.kind.has_options() {
                if f.offered().next().is_none() {
                    problems.push(p("the choice has no options"));
                }
                let mut values = BTreeSet::new();
                for o in &f.options {
                    if o.value.trim().is_empty() || o.value.len() > 100 || o.value != o.value.trim() {
                        problems.push(p(&format!("option value `{}` must be 1 to 100 characters without surrounding spaces", o.value)));
                    }
                    if !values.insert(o.value.as_str()) {
                        problems.push(p(&format!("two options have the value `{}`", o.value)));
                    }
                    if o.label.sv.trim().is_empty() {
                        problems.push(p(&format!("option `{}` has no label", o.value)));
                    }
                }
            } else if !f.options.is_empty() {
                problems.push(p("only a choice or multi_choice has options"));
            }
            if f.required && matches!(f.kind, FieldKind::Info | FieldKind::Computed) {
                problems.push(p("an info text or computed value cannot be required"));
            }
            if f.required_if.is_some() && !f.kind.takes_input() && f.kind != FieldKind::Group {
                problems.push(p("an info text or computed value cannot be required"));
            }
            if let (Some(a), Some(b)) = (f.min_length, f.max_length)
                && a > b
            {
                problems.push(p("min_length is larger than max_length"));
            }
            if (f.min_length.is_some() || f.max_length.is_some()) && !f.kind.is_free_text() {
                problems.push(p("min_length and max_length are for text, textarea and address"));
            }
            if let (Some(a), Some(b)) = (f.min, f.max)
                && a > b
            {
                problems.push(p("min is larger than max"));
            }
            if (f.min.is_some() || f.max.is_some()) && !matches!(f.kind, FieldKind::Number | FieldKind::Amount | FieldKind::MultiChoice) {
                problems.push(p("min and max are for number, amount and multi_choice"));
            }
            if f.decimals.is_some_and(|d| d > 4) || (f.decimals.is_some() && f.kind != FieldKind::Number) {
                problems.push(p("decimals (0 to 4) are for a number"));
            }
            if let Some(pat) = &f.pattern {
                if f.kind != FieldKind::Text && f.kind != FieldKind::Textarea {
                    problems.push(p("a pattern is for text and textarea"));
                } else if super::answers::pattern(pat).is_none() {
                    problems.push(p("the pattern is no valid regular expression, or too large (at most 300 characters)"));
                }
            }
            if let (Some(a), Some(b)) = (f.min_days, f.max_days)
                && a > b
            {
                problems.push(p("min_days is later than max_days"));
            }
            if (f.min_days.is_some() || f.max_days.is_some()) && f.kind != FieldKind::Date {
                problems.push(p("min_days and max_days are for a date"));
            }
            if f.min_days.is_some_and(|d| d.abs() > 100 * 366) || f.max_days.is_some_and(|d| d.abs() > 100 * 366) {
                problems.push(p("min_days and max_days must be within a hundred years of today"));
            }
            match (f.kind, &f.compute) {
                (FieldKind::Computed, None) => problems.push(p("a computed field needs `compute`")),
                (FieldKind::Computed, Some(_)) | (_, None) => {}
                (_, Some(_)) => problems.push(p("only a computed field has `compute`")),
            }
            if f.kind == FieldKind::Group {
                if group.is_some() {
                    problems.push(p("a group cannot be inside a group"));
                }
                if f.fields.is_empty() {
                    problems.push(p("the group has no fields"));
                }
                if let (Some(a), Some(b)) = (f.min_rows, f.max_rows)
                    && a > b
                {
                    problems.push(p("min_rows is larger than max_rows"));
                }
                if f.max_rows.is_some_and(|n| n as usize > MAX_GROUP_ROWS) || f.min_rows.is_some_and(|n| n as usize > MAX_GROUP_ROWS) {
                    problems.push(p(&format!("a group has at most {MAX_GROUP_ROWS} rows")));
                }
            } else {
                if !f.fields.is_empty() {
                    problems.push(p("only a group has fields"));
                }
                if f.min_rows.is_some() || f.max_rows.is_some() {
                    problems.push(p("min_rows and max_rows are for a group"));
                }
            }
            if group.is_some() && f.kind == FieldKind::File {
                problems.push(p("a file cannot repeat in a group; ask for it outside the group"));
            }
            if !f.accept.is_empty() && f.kind != FieldKind::File {
                problems.push(p("accept is for a file"));
            }
            match (f.prefill, f.kind) {
                (None, _)
                | (Some(PrefillSource::Personnummer), FieldKind::Personnummer)
                | (Some(PrefillSource::Name), FieldKind::Text)
                | (Some(PrefillSource::Address), FieldKind::Address)
                | (Some(PrefillSource::SubjectName), FieldKind::Text)
                | (Some(PrefillSource::SubjectNumber), FieldKind::Personnummer | FieldKind::Orgnummer | FieldKind::Text) => {}
                (Some(_), _) => problems
                    .push(p("prefill fits only: personnummer → personnummer, name → text, address → address, subject_name → text, \
                     subject_number → personnummer, orgnummer or text")),
            }
            if group.is_some() && f.prefill.is_some() {
                problems.push(p("a group's field cannot be prefilled"));
            }
            self.out.extend(problems);
        }
    }

    fn expressions(&mut self) {
        let def = self.def;
        for (i, s) in def.steps.iter().enumerate() {
            if let Some(src) = &s.visible_if {
                let what = format!("step:{}", s.id);
                let at = ExprAt { step: Some(i), same_step: false, group: None, condition: true };
                if self.expression(&what, "visible_if", src, at) == Some(false) {
                    self.push(what.clone(), "the step can never be shown: its condition is never true");
                }
            }
        }
        let sites: Vec<(String, usize, &'a Field, Option<&'a Field>)> =
            self.sites.iter().map(|s| (s.path.clone(), s.step, s.field, s.group)).collect();
        for (path, step, f, group) in sites {
            let at = ExprAt { step: Some(step), same_step: true, group, condition: true };
            if let Some(src) = &f.visible_if
                && self.expression(&path, "visible_if", src, at) == Some(false)
            {
                self.push(path.clone(), "the field can never be shown: its condition is never true");
            }
            if let Some(src) = &f.required_if
                && self.expression(&path, "required_if", src, at) == Some(false)
            {
                self.push(path.clone(), "required_if is never true");
            }
            if let Some(src) = &f.compute {
                self.expression(&path, "compute", src, ExprAt { condition: false, ..at });
            }
        }
        if let Some(src) = def.fee.as_ref().and_then(|f| f.expr.as_ref()) {
            self.expression("fee", "the fee", src, ExprAt { step: None, same_step: true, group: None, condition: false });
        }
    }

    /// Lints one expression; for a condition, gives its value when constant.
    fn expression(&mut self, who: &str, which: &str, src: &str, at: ExprAt<'a>) -> Option<bool> {
        let e = match expr::parse(src) {
            Ok(e) => e,
            Err(err) => {
                self.push(who, format!("{which}: {err}"));
                return None;
            }
        };
        for r in expr::references(&e) {
            if let Err(msg) = self.reference(&r, at) {
                self.push(who, format!("{which}: {msg}"));
            }
        }
        for (id, lit) in expr::literal_comparisons(&e) {
            if let Some(f) = self.resolve(&id, at.group).filter(|f| f.kind.has_options())
                && !f.options.iter().any(|o| o.value == lit)
            {
                self.push(who, format!("{which}: compares `{id}` with \"{lit}\", which is not one of its options"));
            }
        }
        if !at.condition {
            return None;
        }
        let known = |x: &Expr| self.known(x, at.group);
        expr::fold(&e, &known).map(|v| v.truthy())
    }

    /// The field a name means where the expression stands: the row's field first.
    fn resolve(&self, id: &str, group: Option<&'a Field>) -> Option<&'a Field> {
        group.and_then(|g| g.fields.iter().find(|s| s.id == id)).or_else(|| self.def.field(id).map(|(_, f)| f))
    }

    /// A comparison whose value is known without answers: a choice compared with a value that
    /// is not among its options.
    fn known(&self, e: &Expr, group: Option<&'a Field>) -> Option<Value> {
        let not_option = |id: &str, lit: &str| {
            self.resolve(id, group).is_some_and(|f| f.kind.has_options() && !f.options.iter().any(|o| o.value == lit))
        };
        match e {
            Expr::Bin(op @ (BinOp::Eq | BinOp::Ne), a, b) => match (a.as_ref(), b.as_ref()) {
                (Expr::Ref(id), Expr::Str(lit)) | (Expr::Str(lit), Expr::Ref(id)) if not_option(id, lit) => {
                    Some(Value::Bool(*op == BinOp::Ne))
                }
                _ => None,
            },
            Expr::Call(Func::Contains, args) => match (&args[0], &args[1]) {
                (Expr::Ref(id), Expr::Str(lit)) if not_option(id, lit) => Some(Value::Bool(false)),
                _ => None,
            },
            _ => None,
        }
    }

    fn reference(&self, r: &expr::Reference, at: ExprAt<'a>) -> Result<(), String> {
        let row_field = at.group.and_then(|g| g.fields.iter().find(|s| s.id == r.id));
        let (target, step) = match (row_field, r.sub.as_ref()) {
            (Some(f), None) => (f, at.step),
            _ => match self.def.field(&r.id) {
                Some((step, f)) => (f, Some(step)),
                None => return Err(format!("refers to `{}`, which is no field", r.id)),
            },
        };
        if let (Some(here), Some(there)) = (at.step, step)
            && (there > here || (there == here && !at.same_step))
        {
            return Err(format!(
                "depends on `{}`, which is asked {}",
                r.id,
                if there == here { "on the same step" } else { "on a later step" }
            ));
        }
        match (r.usage, &r.sub) {
            (RefUse::Sum, Some(sub)) => {
                if target.kind != FieldKind::Group {
                    return Err(format!("`{}` is no group", r.id));
                }
                match target.fields.iter().find(|s| &s.id == sub) {
                    None => Err(format!("refers to `{}.{sub}`, which is no field", r.id)),
                    Some(s) if !s.kind.is_numeric() => Err(format!("sum({}.{sub}) needs a number, amount or computed field", r.id)),
                    Some(_) => Ok(()),
                }
            }
            (RefUse::Sum, None) => Err(format!("sum() takes group.field, not `{}`", r.id)),
            (_, Some(sub)) => Err(format!("`{}.{sub}` can only be summed: sum({}.{sub})", r.id, r.id)),
            (RefUse::Count, None) => match target.kind {
                FieldKind::Group | FieldKind::MultiChoice => Ok(()),
                _ => Err(format!("count({}) needs a group or a multi_choice", r.id)),
            },
            (RefUse::Contains, None) => match target.kind {
                FieldKind::MultiChoice => Ok(()),
                _ => Err(format!("contains({}, …) needs a multi_choice", r.id)),
            },
            (RefUse::Value | RefUse::Answered, None) => match target.kind {
                FieldKind::Group => Err(format!("`{}` is a group: use count({}) or sum({}.field)", r.id, r.id, r.id)),
                FieldKind::Info => Err(format!("`{}` is an info text and has no value", r.id)),
                _ => Ok(()),
            },
        }
    }

    /// Cycles between computed values and conditions: the value of a field depends on its
    /// step's and its own condition and, when computed, on its expression.
    fn cycles(&mut self) {
        let def = self.def;
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let refs_of = |src: &str, group: Option<&Field>| -> Vec<String> {
            let Ok(e) = expr::parse(src) else { return vec![] };
            expr::references(&e)
                .into_iter()
                .flat_map(|r| {
                    let in_row = group.is_some_and(|g| r.sub.is_none() && g.fields.iter().any(|s| s.id == r.id));
                    match (&r.sub, in_row, group) {
                        (None, true, Some(g)) => vec![format!("{}.{}", g.id, r.id)],
                        (Some(sub), _, _) => vec![r.id.clone(), format!("{}.{sub}", r.id)],
                        _ => vec![r.id.clone()],
                    }
                })
                .collect()
        };
        for (i, s) in def.steps.iter().enumerate() {
            let node = format!("step:{}", s.id);
            edges.entry(node.clone()).or_default().extend(s.visible_if.as_deref().map(|src| refs_of(src, None)).unwrap_or_default());
            for f in &s.fields {
                let e = edges.entry(f.id.clone()).or_default();
                e.insert(node.clone());
                for src in [&f.visible_if, &f.compute].into_iter().flatten() {
                    e.extend(refs_of(src, None));
                }
                for sub in &f.fields {
                    let e = edges.entry(format!("{}.{}", f.id, sub.id)).or_default();
                    e.insert(f.id.clone());
                    for src in [&sub.visible_if, &sub.compute].into_iter().flatten() {
                        e.extend(refs_of(src, Some(f)));
                    }
                }
            }
            let _ = i;
        }
        // Depth-first search; each cycle reported once, at its first field in definition order.
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            Open,
            Done,
        }
        let mut marks: HashMap<String, Mark> = HashMap::new();
        let mut found: Vec<Vec<String>> = vec![];
        fn visit(
            node: &str,
            edges: &BTreeMap<String, BTreeSet<String>>,
            marks: &mut HashMap<String, Mark>,
            path: &mut Vec<String>,
            found: &mut Vec<Vec<String>>,
        ) {
            match marks.get(node) {
                Some(Mark::Done) => return,
                Some(Mark::Open) => {
                    if let Some(pos) = path.iter().position(|p| p == node) {
                        let mut cycle = path[pos..].to_vec();
                        cycle.push(node.to_string());
                        found.push(cycle);
                    }
                    return;
                }
                None => {}
            }
            marks.insert(node.to_string(), Mark::Open);
            path.push(node.to_string());
            if let Some(next) = edges.get(node) {
                for n in next {
                    visit(n, edges, marks, path, found);
                }
            }
            path.pop();
            marks.insert(node.to_string(), Mark::Done);
        }
        let order: Vec<String> =
            self.sites.iter().map(|s| s.path.clone()).chain(def.steps.iter().map(|s| format!("step:{}", s.id))).collect();
        for node in order {
            let mut path = vec![];
            visit(&node, &edges, &mut marks, &mut path, &mut found);
        }
        for cycle in found {
            let first = cycle[0].clone();
            self.push(first, format!("depends on itself: {}", cycle.join(" → ")));
        }
    }

    fn locks(&mut self) {
        let parts = super::parts(self.def);
        let keys: Vec<String> = self.def.locks.keys().filter(|k| !parts.contains(k)).cloned().collect();
        for k in keys {
            self.push(format!("locks.{k}"), "a lock on a part that does not exist (see the parts: title, fee, field:<id>, options:<id> …)");
        }
    }
}

#[cfg(test)]
mod tests;
