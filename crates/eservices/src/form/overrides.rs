//! A municipality's overrides of a shared service: inheritance, not copies. The shared owner
//! marks each part [`Lock::Locked`], [`Lock::Overridable`] (the default) or
//! [`Lock::MustOverride`]; [`apply`] makes the municipality's effective definition, and
//! [`conflicts`] names the parts a new shared version changed under the municipality's overrides.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::lint::LintProblem;
#[cfg(test)]
use super::parts;
use super::{ChoiceOption, Definition, Faq, Fee, Field, Lock, Text, lint};

/// A municipality's changes to a shared service. Everything is optional.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handling: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handling_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fee: Option<Fee>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<Text>,
    /// The municipality's own FAQ items, shown after the shared ones.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub faq: Vec<Faq>,
    /// Shared FAQ items (by id) the municipality does not show.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hide_faq: Vec<String>,
    /// Per field id (a group's field as `group.field`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, FieldOverride>,
}

/// A municipality's changes to one field.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct FieldOverride {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<Text>,
    /// Options of its own, after the shared ones.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub add_options: Vec<ChoiceOption>,
    /// Shared option values not offered.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hide_options: Vec<String>,
    /// New labels of shared options, by value.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub rename_options: BTreeMap<String, Text>,
}

impl FieldOverride {
    fn touches_texts(&self) -> bool {
        self.label.is_some() || self.help.is_some()
    }

    fn touches_options(&self) -> bool {
        !self.add_options.is_empty() || !self.hide_options.is_empty() || !self.rename_options.is_empty()
    }
}

impl Overrides {
    /// The parts these overrides change.
    pub fn touched(&self) -> Vec<String> {
        let mut out = vec![];
        let whole = [
            ("title", self.title.is_some()),
            ("summary", self.summary.is_some()),
            ("handling", self.handling.is_some()),
            ("handling_days", self.handling_days.is_some()),
            ("fee", self.fee.is_some()),
            ("contact", self.contact.is_some()),
            ("faq", !self.faq.is_empty() || !self.hide_faq.is_empty()),
        ];
        out.extend(whole.iter().filter(|(_, t)| *t).map(|(p, _)| p.to_string()));
        for (id, o) in &self.fields {
            if o.touches_texts() {
                out.push(format!("field:{id}"));
            }
            if o.touches_options() {
                out.push(format!("options:{id}"));
            }
        }
        out
    }
}

fn lock_of(def: &Definition, part: &str) -> Lock {
    def.locks.get(part).copied().unwrap_or(Lock::Overridable)
}

/// The field at `path` (`id` or `group.id`).
fn field_mut<'a>(def: &'a mut Definition, path: &str) -> Option<&'a mut Field> {
    let (top, sub) = match path.split_once('.') {
        Some((g, s)) => (g, Some(s)),
        None => (path, None),
    };
    let f = def.steps.iter_mut().flat_map(|s| s.fields.iter_mut()).find(|f| f.id == top)?;
    match sub {
        None => Some(f),
        Some(s) => f.fields.iter_mut().find(|x| x.id == s),
    }
}

/// The municipality's effective definition: the shared one with the overrides applied. Refused
/// when an override touches a locked part, leaves a must-override part alone, names a field or
/// option that does not exist, or the result does not lint.
pub fn apply(shared: &Definition, o: &Overrides) -> Result<Definition, Vec<LintProblem>> {
    let mut problems = vec![];
    let touched = o.touched();
    for part in &touched {
        if lock_of(shared, part) == Lock::Locked {
            problems.push(LintProblem { field: Some(part.clone()), message: "the shared service locks this part".into() });
        }
    }
    for (part, lock) in &shared.locks {
        if *lock == Lock::MustOverride && !touched.contains(part) {
            problems.push(LintProblem {
                field: Some(part.clone()),
                message: "the shared service asks each municipality to give its own".into(),
            });
        }
    }
    let mut def = shared.clone();
    let set = |slot: &mut Option<Text>, v: &Option<Text>| {
        if let Some(v) = v {
            *slot = Some(v.clone());
        }
    };
    if let Some(t) = &o.title {
        def.title = t.clone();
    }
    if let Some(t) = &o.summary {
        def.summary = t.clone();
    }
    set(&mut def.handling, &o.handling);
    set(&mut def.contact, &o.contact);
    if o.handling_days.is_some() {
        def.handling_days = o.handling_days;
    }
    if o.fee.is_some() {
        def.fee = o.fee.clone();
    }
    for id in &o.hide_faq {
        if !def.faq.iter().any(|q| &q.id == id) {
            problems
                .push(LintProblem { field: Some(format!("faq:{id}")), message: "there is no shared FAQ item with this id to hide".into() });
        }
    }
    def.faq.retain(|q| !o.hide_faq.contains(&q.id));
    def.faq.extend(o.faq.iter().cloned());
    for (path, fo) in &o.fields {
        let at = |m: &str| LintProblem { field: Some(path.clone()), message: m.to_string() };
        let Some(f) = field_mut(&mut def, path) else {
            problems.push(at("there is no such field in the shared service"));
            continue;
        };
        if let Some(l) = &fo.label {
            f.label = l.clone();
        }
        if let Some(h) = &fo.help {
            f.help = Some(h.clone());
        }
        if fo.touches_options() && !f.kind.has_options() {
            problems.push(at("only a choice has options to change"));
            continue;
        }
        for v in &fo.hide_options {
            match f.options.iter_mut().find(|x| &x.value == v) {
                Some(opt) => opt.hidden = true,
                None => problems.push(at(&format!("there is no option `{v}` to hide"))),
            }
        }
        for (v, label) in &fo.rename_options {
            match f.options.iter_mut().find(|x| &x.value == v) {
                Some(opt) => opt.label = label.clone(),
                None => problems.push(at(&format!("there is no option `{v}` to rename"))),
            }
        }
        for add in &fo.add_options {
            if f.options.iter().any(|x| x.value == add.value) {
                problems.push(at(&format!("the shared service already has an option `{}`", add.value)));
            } else {
                f.options.push(ChoiceOption { hidden: false, ..add.clone() });
            }
        }
    }
    if problems.is_empty() {
        problems = lint(&def);
    }
    if problems.is_empty() { Ok(def) } else { Err(problems) }
}

fn json<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
}

/// The value of one part, to compare two versions.
fn part_value(def: &Definition, part: &str) -> Option<serde_json::Value> {
    match part {
        "title" => Some(json(&def.title)),
        "summary" => Some(json(&def.summary)),
        "handling" => Some(json(&def.handling)),
        "handling_days" => Some(json(&def.handling_days)),
        "fee" => Some(json(&def.fee)),
        "contact" => Some(json(&def.contact)),
        "faq" => Some(json(&def.faq)),
        _ => {
            let (kind, path) = part.split_once(':')?;
            let mut d = def.clone();
            let f = field_mut(&mut d, path)?;
            match kind {
                "field" => Some(json(&(&f.label, &f.help))),
                "options" => Some(json(&f.options)),
                _ => None,
            }
        }
    }
}

/// The parts a municipality must decide on when the shared service moves from `old_shared` to
/// `new_shared`: parts it overrides that changed upstream (or vanished, or became locked), and
/// parts the new version asks every municipality to override that it does not.
pub fn conflicts(old_shared: &Definition, new_shared: &Definition, o: &Overrides) -> Vec<String> {
    let mut out = vec![];
    let touched = o.touched();
    for part in &touched {
        let before = part_value(old_shared, part);
        let after = part_value(new_shared, part);
        if before != after || after.is_none() || lock_of(new_shared, part) == Lock::Locked {
            out.push(part.clone());
        }
    }
    for (part, lock) in &new_shared.locks {
        if *lock == Lock::MustOverride && !touched.contains(part) && !out.contains(part) {
            out.push(part.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shared() -> Definition {
        serde_json::from_value(json!({
            "key": "delad", "version": 1, "title": "Delad", "summary": "En delad tjänst",
            "fee": { "amount": 1000 },
            "contact": "Kontaktcenter",
            "faq": [{ "id": "q1", "question": "Fråga?", "answer": "Svar." }],
            "locks": { "title": "locked", "options:typ": "overridable", "field:typ": "locked", "contact": "must_override" },
            "steps": [{ "id": "a", "title": "A", "fields": [
                { "id": "typ", "kind": "choice", "label": "Typ", "options": [
                    { "value": "a", "label": "A" }, { "value": "b", "label": "B" } ] },
                { "id": "b_bara", "kind": "text", "label": "Om B", "visible_if": "typ == \"b\"" },
                { "id": "namn", "kind": "text", "label": "Namn" }
            ]}]
        }))
        .expect("a definition")
    }

    fn with_contact() -> Overrides {
        Overrides { contact: Some(Text::sv("Bygglovsenheten i Kil")), ..Overrides::default() }
    }

    fn messages(r: Result<Definition, Vec<LintProblem>>) -> Vec<String> {
        r.err().unwrap_or_default().into_iter().map(|p| format!("{}: {}", p.field.unwrap_or_default(), p.message)).collect()
    }

    #[test]
    fn overrides_apply_per_part() {
        let mut o = with_contact();
        o.fee = Some(Fee { amount: Some(1500), expr: None, note: None });
        o.handling_days = Some(21);
        o.faq.push(crate::form::Faq { id: "arvika".into(), question: Text::sv("Egen fråga?"), answer: Text::sv("Eget svar.") });
        o.fields.insert(
            "typ".into(),
            FieldOverride {
                hide_options: vec!["b".into()],
                add_options: vec![ChoiceOption::new("c", "C")],
                rename_options: BTreeMap::from([("a".into(), Text::sv("Alfa"))]),
                ..FieldOverride::default()
            },
        );
        o.fields.insert(
            "namn".into(),
            FieldOverride { label: Some(Text::sv("Ditt namn")), help: Some(Text::sv("Som i passet")), ..FieldOverride::default() },
        );
        let d = apply(&shared(), &o).expect("applies");
        assert_eq!(d.fee.as_ref().and_then(|f| f.amount), Some(1500));
        assert_eq!(d.handling_days, Some(21));
        assert_eq!(d.contact, Some(Text::sv("Bygglovsenheten i Kil")));
        assert_eq!(d.faq.iter().map(|q| q.id.as_str()).collect::<Vec<_>>(), ["q1", "arvika"]);
        let typ = &d.steps[0].fields[0];
        assert_eq!(typ.offered().map(|o| (o.value.as_str(), o.label.sv.as_str())).collect::<Vec<_>>(), [("a", "Alfa"), ("c", "C")]);
        assert!(typ.options.iter().any(|o| o.value == "b" && o.hidden), "hidden, still known to conditions");
        assert_eq!(d.steps[0].fields[2].label.sv, "Ditt namn");
        // A hidden option is not accepted from a citizen.
        let mut a = crate::form::Answers::new();
        crate::form::read_step(&d, 0, &[("typ".into(), "b".into())], &mut a);
        assert!(a.is_empty());
    }

    #[test]
    fn locks_are_kept() {
        assert_eq!(
            messages(apply(&shared(), &Overrides::default())),
            ["contact: the shared service asks each municipality to give its own"]
        );
        let mut o = with_contact();
        o.title = Some(Text::sv("Egen titel"));
        o.fields.insert("typ".into(), FieldOverride { label: Some(Text::sv("Slag")), ..FieldOverride::default() });
        assert_eq!(
            messages(apply(&shared(), &o)),
            ["title: the shared service locks this part", "field:typ: the shared service locks this part"]
        );
        let mut o = with_contact();
        o.fields.insert("nope".into(), FieldOverride { label: Some(Text::sv("X")), ..FieldOverride::default() });
        o.fields.insert("namn".into(), FieldOverride { hide_options: vec!["a".into()], ..FieldOverride::default() });
        o.fields.insert(
            "typ".into(),
            FieldOverride {
                hide_options: vec!["zz".into()],
                add_options: vec![ChoiceOption::new("a", "A igen")],
                ..FieldOverride::default()
            },
        );
        o.hide_faq.push("q9".into());
        assert_eq!(
            messages(apply(&shared(), &o)),
            [
                "faq:q9: there is no shared FAQ item with this id to hide",
                "namn: only a choice has options to change",
                "nope: there is no such field in the shared service",
                "typ: there is no option `zz` to hide",
                "typ: the shared service already has an option `a`",
            ]
        );
        // Hiding every option leaves a choice without options: the linter says so.
        let mut o = with_contact();
        o.fields.insert("typ".into(), FieldOverride { hide_options: vec!["a".into(), "b".into()], ..FieldOverride::default() });
        assert_eq!(messages(apply(&shared(), &o)), ["typ: the choice has no options"]);
        // A fee that does not lint.
        let mut o = with_contact();
        o.fee = Some(Fee { amount: None, expr: Some("okänd * 2".into()), note: None });
        assert!(
            messages(apply(&shared(), &o))[0].starts_with("fee: the fee: syntax error")
                || messages(apply(&shared(), &o))[0].contains("okänd")
        );
    }

    #[test]
    fn conflicts_name_overridden_parts_changed_upstream() {
        let old = shared();
        let mut o = with_contact();
        o.fee = Some(Fee { amount: Some(1500), expr: None, note: None });
        o.fields.insert("namn".into(), FieldOverride { label: Some(Text::sv("Ditt namn")), ..FieldOverride::default() });
        o.fields.insert("typ".into(), FieldOverride { hide_options: vec!["b".into()], ..FieldOverride::default() });
        assert_eq!(conflicts(&old, &old, &o), Vec::<String>::new());
        let mut new = old.clone();
        new.version = 2;
        new.summary = Text::sv("Ny sammanfattning");
        new.fee = Some(Fee { amount: Some(1200), expr: None, note: None });
        new.steps[0].fields[0].options.push(ChoiceOption::new("d", "D"));
        new.steps[0].fields[2].help = Some(Text::sv("Ny hjälp"));
        new.locks.insert("handling".into(), Lock::MustOverride);
        assert_eq!(conflicts(&old, &new, &o), ["fee", "field:namn", "options:typ", "handling"].map(String::from));
        // A field removed upstream and a part locked upstream.
        let mut newer = old.clone();
        newer.steps[0].fields.pop();
        newer.locks.insert("fee".into(), Lock::Locked);
        assert_eq!(conflicts(&old, &newer, &o), ["fee", "field:namn"].map(String::from));
    }

    #[test]
    fn parts_name_fields_options_and_groups() {
        let mut d = shared();
        d.steps[0].fields.push(
            serde_json::from_value(json!({ "id": "g", "kind": "group", "label": "G", "fields": [
            { "id": "v", "kind": "choice", "label": "V", "options": [{ "value": "x", "label": "X" }] } ] }))
            .expect("a field"),
        );
        let p = parts(&d);
        for want in ["title", "fee", "faq", "field:typ", "options:typ", "field:namn", "field:g", "field:g.v", "options:g.v"] {
            assert!(p.contains(&want.to_string()), "{want} in {p:?}");
        }
        assert!(!p.contains(&"options:namn".to_string()));
    }
}
