//! Structured editing of a municipality's overrides of a shared e-service (issue 11): the
//! administrator changes texts, help, choice options, FAQ items, the handling description and
//! time, the fee and the contact in an ordinary form instead of typing `form::Overrides` as
//! JSON, and decides, part by part, what happens to its overrides when a new shared version
//! changes a part it overrides (keep mine / take theirs) before that version reaches citizens.
//!
//! The page's inputs are named after the parts of the shared definition ([`values_of`] writes
//! them from stored overrides, [`read`] reads them back): a posted name the shared definition
//! does not have (a tampered form, a field or option that does not exist) is refused, as is a
//! value for a locked part. Nothing is stored unless everything is right and `form::apply`
//! accepts the result.

use std::collections::{BTreeMap, BTreeSet};

use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::Tx;
use radhus_platform::error::{Error, Result};
use time::OffsetDateTime;

use crate::form::{self, ChoiceOption, Definition, Faq, Fee, Field, FieldOverride, LintProblem, Lock, Overrides, Text};
use crate::{catalogue, store};

/// The longest label, title, contact or option label.
pub const SHORT: usize = 200;
/// The longest summary, help text, handling description or FAQ text.
pub const LONG: usize = 2000;
/// The most own FAQ items or added options of one field the page reads.
pub const MAX_ROWS: usize = 30;
/// The name of a problem with the form as a whole (an input the page never offered).
pub const FORM: &str = "form";

/// A problem at one input (by name): a Fluent message id (`es-adapt-err-…`) and, for the
/// linter's findings, its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub name: String,
    pub message: &'static str,
    pub detail: String,
}

impl Problem {
    fn new(name: impl Into<String>, message: &'static str) -> Self {
        Self { name: name.into(), message, detail: String::new() }
    }
}

/// The Fluent ids of the page's own messages (a test checks both languages have them).
pub const MESSAGES: &[&str] = &[
    "es-adapt-err-too-long",
    "es-adapt-err-sv",
    "es-adapt-err-days",
    "es-adapt-err-amount",
    "es-adapt-err-fee",
    "es-adapt-err-option-value",
    "es-adapt-err-option-label",
    "es-adapt-err-faq",
    "es-adapt-err-locked",
    "es-adapt-err-unknown",
    "es-adapt-err-rule",
    "es-adapt-err-decide",
];

/// The whole-service texts a municipality may override, with their length limits.
pub const TEXT_PARTS: [(&str, usize); 4] = [("title", SHORT), ("summary", LONG), ("handling", LONG), ("contact", SHORT)];

/// Every field that has parts (top level and a group's fields), as `(path, field)`.
pub fn field_paths(def: &Definition) -> Vec<(String, &Field)> {
    let mut out = vec![];
    for (_, f) in def.fields() {
        out.push((f.id.clone(), f));
        for sub in &f.fields {
            out.push((format!("{}.{}", f.id, sub.id), sub));
        }
    }
    out
}

pub fn lock_of(def: &Definition, part: &str) -> Lock {
    def.locks.get(part).copied().unwrap_or(Lock::Overridable)
}

/// An HTML id for an input name (any character but `A-Za-z0-9_` written as `-` and its code,
/// so two names never share an id).
pub fn anchor(name: &str) -> String {
    let mut s = String::from("a-");
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            s.push(c);
        } else {
            s.push_str(&format!("-{:x}", u32::from(c)));
        }
    }
    s
}

// The names of the page's inputs.
pub fn n_label(path: &str) -> String {
    format!("label:{path}")
}
pub fn n_help(path: &str) -> String {
    format!("help:{path}")
}
pub fn n_options(path: &str) -> String {
    format!("options:{path}")
}
pub fn n_hide(path: &str, value: &str) -> String {
    format!("hide:{path}:{value}")
}
pub fn n_rename(path: &str, value: &str) -> String {
    format!("rename:{path}:{value}")
}
pub fn n_add_value(path: &str, i: usize) -> String {
    format!("add_value:{path}:{i}")
}
pub fn n_add_label(path: &str, i: usize) -> String {
    format!("add_label:{path}:{i}")
}
pub fn n_hide_faq(id: &str) -> String {
    format!("hide_faq:{id}")
}
pub fn n_faq(i: usize, what: &str) -> String {
    format!("faq_{what}:{i}")
}
/// The Swedish or English input of a text named `base`.
pub fn sv(base: &str) -> String {
    format!("{base}/sv")
}
pub fn en(base: &str) -> String {
    format!("{base}/en")
}

/// The page's inputs filled from stored overrides.
pub fn values_of(o: &Overrides) -> BTreeMap<String, String> {
    let mut v = BTreeMap::new();
    let text = |v: &mut BTreeMap<String, String>, base: &str, t: &Option<Text>| {
        if let Some(t) = t {
            v.insert(sv(base), t.sv.clone());
            v.insert(en(base), t.en.clone().unwrap_or_default());
        }
    };
    text(&mut v, "title", &o.title);
    text(&mut v, "summary", &o.summary);
    text(&mut v, "handling", &o.handling);
    text(&mut v, "contact", &o.contact);
    if let Some(d) = o.handling_days {
        v.insert("handling_days".into(), d.to_string());
    }
    if let Some(fee) = &o.fee {
        v.insert("fee_amount".into(), fee.amount.map(|a| a.to_string()).unwrap_or_default());
        v.insert("fee_expr".into(), fee.expr.clone().unwrap_or_default());
        text(&mut v, "fee_note", &fee.note);
    }
    for id in &o.hide_faq {
        v.insert(n_hide_faq(id), "1".into());
    }
    for (i, q) in o.faq.iter().enumerate() {
        v.insert(n_faq(i, "id"), q.id.clone());
        text(&mut v, &n_faq(i, "q"), &Some(q.question.clone()));
        text(&mut v, &n_faq(i, "a"), &Some(q.answer.clone()));
    }
    for (path, fo) in &o.fields {
        text(&mut v, &n_label(path), &fo.label);
        text(&mut v, &n_help(path), &fo.help);
        for value in &fo.hide_options {
            v.insert(n_hide(path, value), "1".into());
        }
        for (value, t) in &fo.rename_options {
            text(&mut v, &n_rename(path, value), &Some(t.clone()));
        }
        for (i, add) in fo.add_options.iter().enumerate() {
            v.insert(n_add_value(path, i), add.value.clone());
            text(&mut v, &n_add_label(path, i), &Some(add.label.clone()));
        }
    }
    v
}

/// Reads the posted page; every input it reads is marked, so what is left over was never
/// offered.
struct Reader<'a> {
    def: &'a Definition,
    posted: BTreeMap<String, String>,
    used: BTreeSet<String>,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn take(&mut self, name: &str) -> String {
        self.used.insert(name.to_string());
        self.posted.get(name).map(|s| s.trim().to_string()).unwrap_or_default()
    }

    /// A value given for a locked part is refused at its input.
    fn locked(&mut self, name: &str, part: &str, given: bool) -> bool {
        if given && lock_of(self.def, part) == Lock::Locked {
            self.problems.push(Problem::new(name, "es-adapt-err-locked"));
            return true;
        }
        false
    }

    /// A text override: none when both languages are empty; Swedish is needed for English.
    fn text(&mut self, base: &str, part: &str, limit: usize) -> Option<Text> {
        let (s, e) = (self.take(&sv(base)), self.take(&en(base)));
        if self.locked(&sv(base), part, !s.is_empty() || !e.is_empty()) {
            return None;
        }
        for (name, val) in [(sv(base), &s), (en(base), &e)] {
            if val.chars().count() > limit {
                self.problems.push(Problem::new(name, "es-adapt-err-too-long"));
            }
        }
        if s.is_empty() && !e.is_empty() {
            self.problems.push(Problem::new(sv(base), "es-adapt-err-sv"));
        }
        if s.is_empty() { None } else { Some(Text { sv: s, en: (!e.is_empty()).then_some(e) }) }
    }

    fn flag(&mut self, name: &str, part: &str) -> bool {
        let on = !self.take(name).is_empty();
        !self.locked(name, part, on) && on
    }

    fn days(&mut self) -> Option<u32> {
        let s = self.take("handling_days");
        if s.is_empty() || self.locked("handling_days", "handling_days", true) {
            return None;
        }
        match s.parse::<u32>() {
            Ok(d) if (1..=3650).contains(&d) => Some(d),
            _ => {
                self.problems.push(Problem::new("handling_days", "es-adapt-err-days"));
                None
            }
        }
    }

    fn fee(&mut self) -> Option<Fee> {
        let amount = self.take("fee_amount");
        let expr = self.take("fee_expr");
        let note = self.text("fee_note", "fee", LONG);
        let given = !amount.is_empty() || !expr.is_empty() || note.is_some();
        if !given || self.locked("fee_amount", "fee", true) {
            return None;
        }
        let digits: String = amount.strip_suffix("kr").unwrap_or(&amount).chars().filter(|c| !c.is_whitespace()).collect();
        let amount = match digits.as_str() {
            "" => None,
            d => match d.parse::<i64>() {
                Ok(a) if (0..=10_000_000).contains(&a) => Some(a),
                _ => {
                    self.problems.push(Problem::new("fee_amount", "es-adapt-err-amount"));
                    return None;
                }
            },
        };
        if expr.chars().count() > LONG {
            self.problems.push(Problem::new("fee_expr", "es-adapt-err-too-long"));
            return None;
        }
        let expr = (!expr.is_empty()).then_some(expr);
        if amount.is_some() == expr.is_some() {
            self.problems.push(Problem::new("fee_amount", "es-adapt-err-fee"));
            return None;
        }
        Some(Fee { amount, expr, note })
    }

    fn faq(&mut self, o: &mut Overrides) {
        let shared: Vec<String> = self.def.faq.iter().map(|q| q.id.clone()).collect();
        for id in &shared {
            if self.flag(&n_hide_faq(id), "faq") {
                o.hide_faq.push(id.clone());
            }
        }
        let mut ids: BTreeSet<String> = shared.into_iter().collect();
        for i in 0..MAX_ROWS {
            let id = self.take(&n_faq(i, "id"));
            let q = self.text(&n_faq(i, "q"), "faq", SHORT);
            let a = self.text(&n_faq(i, "a"), "faq", LONG);
            let (q, a) = match (q, a) {
                (None, None) => continue,
                (Some(q), Some(a)) => (q, a),
                (q, _) => {
                    let at = if q.is_none() { n_faq(i, "q") } else { n_faq(i, "a") };
                    self.problems.push(Problem::new(sv(&at), "es-adapt-err-faq"));
                    continue;
                }
            };
            // A new item gets the first free id; a posted id must be well formed and unique.
            let id = if id.is_empty() { (1..).map(|n| format!("egen_{n}")).find(|c| !ids.contains(c)).unwrap_or_default() } else { id };
            if !form::is_id(&id) || !ids.insert(id.clone()) {
                self.problems.push(Problem::new(sv(&n_faq(i, "q")), "es-adapt-err-unknown"));
                continue;
            }
            o.faq.push(Faq { id, question: q, answer: a });
        }
    }

    fn field(&mut self, path: &str, f: &Field) -> FieldOverride {
        let part = format!("field:{path}");
        let mut fo = FieldOverride {
            label: self.text(&n_label(path), &part, SHORT),
            help: self.text(&n_help(path), &part, LONG),
            ..FieldOverride::default()
        };
        if !f.kind.has_options() {
            return fo;
        }
        let part = n_options(path);
        let mut values: BTreeSet<String> = f.options.iter().map(|o| o.value.clone()).collect();
        for opt in f.options.iter().filter(|o| !o.hidden) {
            if self.flag(&n_hide(path, &opt.value), &part) {
                fo.hide_options.push(opt.value.clone());
            }
            if let Some(t) = self.text(&n_rename(path, &opt.value), &part, SHORT) {
                fo.rename_options.insert(opt.value.clone(), t);
            }
        }
        for i in 0..MAX_ROWS {
            let value = self.take(&n_add_value(path, i));
            let label = self.text(&n_add_label(path, i), &part, SHORT);
            if value.is_empty() && label.is_none() {
                continue;
            }
            if self.locked(&n_add_value(path, i), &part, true) {
                continue;
            }
            let ok = !value.is_empty() && value.chars().count() <= 100 && !value.chars().any(char::is_control);
            if !ok || !values.insert(value.clone()) {
                self.problems.push(Problem::new(n_add_value(path, i), "es-adapt-err-option-value"));
                continue;
            }
            let Some(label) = label else {
                self.problems.push(Problem::new(sv(&n_add_label(path, i)), "es-adapt-err-option-label"));
                continue;
            };
            fo.add_options.push(ChoiceOption { value, label, hidden: false });
        }
        fo
    }
}

/// Reads the posted page into overrides of `def`, with every problem at its input.
pub fn read(def: &Definition, posted: &[(String, String)]) -> (Overrides, Vec<Problem>) {
    let mut r =
        Reader { def, posted: posted.iter().filter(|(k, _)| k != "_csrf").cloned().collect(), used: BTreeSet::new(), problems: vec![] };
    let mut o = Overrides::default();
    for (part, limit) in TEXT_PARTS {
        let t = r.text(part, part, limit);
        match part {
            "title" => o.title = t,
            "summary" => o.summary = t,
            "handling" => o.handling = t,
            _ => o.contact = t,
        }
    }
    o.handling_days = r.days();
    o.fee = r.fee();
    r.faq(&mut o);
    for (path, f) in field_paths(def) {
        let fo = r.field(&path, f);
        if fo != FieldOverride::default() {
            o.fields.insert(path, fo);
        }
    }
    let unknown = r.posted.keys().any(|k| !r.used.contains(k));
    if unknown {
        r.problems.push(Problem::new(FORM, "es-adapt-err-unknown"));
    }
    (o, r.problems)
}

/// The input a part's problem (from `form::apply` or the linter) is shown at.
pub fn name_of_part(def: &Definition, part: Option<&str>) -> String {
    let Some(part) = part else { return FORM.into() };
    match part {
        "title" | "summary" | "handling" | "contact" => sv(part),
        "handling_days" => "handling_days".into(),
        "fee" => "fee_amount".into(),
        "faq" => "faq".into(),
        _ => {
            if let Some(id) = part.strip_prefix("faq:") {
                return if def.faq.iter().any(|q| q.id == id) { n_hide_faq(id) } else { "faq".into() };
            }
            if let Some(path) = part.strip_prefix("field:") {
                return sv(&n_label(path));
            }
            if part.starts_with("options:") {
                return part.to_string();
            }
            match field_paths(def).into_iter().find(|(p, _)| p == part) {
                Some((p, f)) if f.kind.has_options() => n_options(&p),
                Some((p, _)) => sv(&n_label(&p)),
                None => FORM.into(),
            }
        }
    }
}

/// `form::apply`'s problems at the inputs of their parts.
pub fn apply_problems(def: &Definition, problems: &[LintProblem]) -> Vec<Problem> {
    problems
        .iter()
        .map(|p| Problem { name: name_of_part(def, p.field.as_deref()), message: "es-adapt-err-rule", detail: p.message.clone() })
        .collect()
}

/// The shared version an adoption follows with these overrides: the current one, unless the
/// adoption is on an older version and the new one changes a part it overrides (or asks for
/// one it lacks) — then it stays where it is until its administrator decides, part by part.
pub async fn follow(tx: &mut Tx, key: &str, on: Option<i32>, o: &Overrides) -> Result<(i32, Definition)> {
    let (shared, current) = catalogue::shared_definition(tx, key).await?;
    let Some(on) = on.filter(|v| *v < shared.current_version) else {
        return Ok((shared.current_version, current));
    };
    let old = catalogue::parse_stored(&store::shared_version(tx, key, on).await?.ok_or(Error::NotFound)?)?;
    if form::conflicts(&old, &current, o).is_empty() { Ok((shared.current_version, current)) } else { Ok((on, old)) }
}

/// Saves the municipality's overrides of an adopted service, keeping its case type, title,
/// secrecy and status, on the shared version [`follow`] gives (or `version`, after the
/// administrator decided on a new one). Refused parts come back without anything written.
pub async fn save(
    tx: &mut Tx,
    t: TenantId,
    key: &str,
    o: &Overrides,
    version: Option<i32>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<std::result::Result<i32, Vec<LintProblem>>> {
    let a = store::adoption(tx, t, key).await?.ok_or(Error::NotFound)?;
    let (version, shared) = match version {
        Some(v) => (v, catalogue::parse_stored(&store::shared_version(tx, key, v).await?.ok_or(Error::NotFound)?)?),
        None => follow(tx, key, Some(a.shared_version), o).await?,
    };
    let effective = match form::apply(&shared, o) {
        Ok(d) => d,
        Err(p) => return Ok(Err(p)),
    };
    let json = serde_json::to_string(&effective).map_err(|e| Error::Internal(format!("definition: {e}")))?;
    let overrides = serde_json::to_string(o).map_err(|e| Error::Internal(format!("overrides: {e}")))?;
    let input = store::AdoptionInput {
        key,
        shared_version: version,
        overrides: &overrides,
        case_type_id: a.case_type_id,
        public_title: &a.public_title,
        secrecy_ground: &a.secrecy_ground,
        published: a.published(),
        register_on: &a.register_on,
    };
    let revision = store::save_adoption(tx, t, &input, &json, now).await?;
    let ev = Event::new("es.adoption.overrides", "eservice", key).with(serde_json::json!({
        "shared_version": version, "from_version": a.shared_version, "revision": revision, "parts": o.touched(),
    }));
    audit::record(tx, Some(t), actor, ev, now).await?;
    Ok(Ok(revision))
}

/// The municipality's overrides without `part`: "take theirs".
pub fn take_theirs(o: &mut Overrides, part: &str) {
    match part {
        "title" => o.title = None,
        "summary" => o.summary = None,
        "handling" => o.handling = None,
        "handling_days" => o.handling_days = None,
        "fee" => o.fee = None,
        "contact" => o.contact = None,
        "faq" => {
            o.faq.clear();
            o.hide_faq.clear();
        }
        _ => {
            let (kind, path) = part.split_once(':').unwrap_or(("", part));
            if let Some(fo) = o.fields.get_mut(path) {
                if kind == "field" {
                    fo.label = None;
                    fo.help = None;
                } else if kind == "options" {
                    fo.add_options.clear();
                    fo.hide_options.clear();
                    fo.rename_options.clear();
                }
                if *fo == FieldOverride::default() {
                    o.fields.remove(path);
                }
            }
        }
    }
}

/// One line of a part as the side-by-side view shows it: a Fluent id for what it is
/// (`es-describe-…`) and the value.
pub type Line = (&'static str, String);

fn text_line(key: &'static str, t: &Text) -> Line {
    match &t.en {
        Some(en) if !en.is_empty() => (key, format!("{} / {en}", t.sv)),
        _ => (key, t.sv.clone()),
    }
}

/// What a definition says for one part, readably (nothing when the part is not there).
pub fn describe(def: &Definition, part: &str) -> Vec<Line> {
    let opt = |key: &'static str, t: &Option<Text>| t.iter().map(|t| text_line(key, t)).collect::<Vec<_>>();
    match part {
        "title" => vec![text_line("es-describe-text", &def.title)],
        "summary" => vec![text_line("es-describe-text", &def.summary)],
        "handling" => opt("es-describe-text", &def.handling),
        "contact" => opt("es-describe-text", &def.contact),
        "handling_days" => def.handling_days.iter().map(|d| ("es-describe-days", d.to_string())).collect(),
        "fee" => match &def.fee {
            None => vec![("es-describe-free", String::new())],
            Some(f) => {
                let mut out = vec![];
                if let Some(a) = f.amount {
                    out.push(("es-describe-amount", format!("{a} kr")));
                }
                if let Some(e) = &f.expr {
                    out.push(("es-describe-expr", e.clone()));
                }
                out.extend(opt("es-describe-note", &f.note));
                out
            }
        },
        "faq" => def.faq.iter().map(|q| ("es-describe-faq", format!("{} – {}", q.question.sv, q.answer.sv))).collect(),
        _ => {
            let Some((kind, path)) = part.split_once(':') else { return vec![] };
            let Some((_, f)) = field_paths(def).into_iter().find(|(p, _)| p == path) else { return vec![] };
            if kind == "options" {
                return f
                    .options
                    .iter()
                    .map(|o| {
                        (if o.hidden { "es-describe-option-hidden" } else { "es-describe-option" }, format!("{} ({})", o.label.sv, o.value))
                    })
                    .collect();
            }
            let mut out = vec![text_line("es-describe-label", &f.label)];
            out.extend(opt("es-describe-help", &f.help));
            out
        }
    }
}

/// What a part is called on the side-by-side view: a Fluent id and the field's label, if any.
pub fn part_name(def: &Definition, part: &str) -> (String, String) {
    match part.split_once(':') {
        Some((kind, path)) => {
            let label = field_paths(def).into_iter().find(|(p, _)| p == path).map(|(_, f)| f.label.sv.clone()).unwrap_or(path.to_string());
            (format!("es-part-{kind}"), label)
        }
        None => (format!("es-part-{}", part.replace('_', "-")), String::new()),
    }
}

#[cfg(test)]
mod tests;
