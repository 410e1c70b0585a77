//! What is made of the answers: the summary for the review page and the receipt, the fee,
//! a draft's move to a newer version, and prefilling from the e-ID login.

use std::collections::BTreeSet;

use radhus_kernel::Lang;
use serde::{Deserialize, Serialize};

use super::answers::{FormEnv, parse_number, visible_row_fields};
use super::expr::{Budget, ExprError, Value};
use super::{Answer, Answers, Definition, Field, FieldKind, PrefillSource, visible_fields, visible_steps};

/// One line of the summary: the step's title, the field's label and the answer as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SummaryRow {
    pub step: String,
    pub label: String,
    pub value: String,
}

/// The visible answers as text, step by step, for the review page and the receipt. Unanswered
/// fields and info texts are left out; a group's rows are numbered ("Rum 2: Yta").
pub fn summary(def: &Definition, answers: &Answers, lang: Lang) -> Vec<SummaryRow> {
    let mut rows = vec![];
    let mut env = FormEnv::new(def, answers);
    for step in visible_steps(def, answers) {
        let s = &def.steps[step];
        let shown = visible_fields(def, step, answers);
        let step_title = s.title.get(lang).to_string();
        for f in s.fields.iter().filter(|f| shown.contains(&f.id)) {
            match f.kind {
                FieldKind::Info => {}
                FieldKind::Computed => {
                    let v = f.compute.as_deref().map(|src| env.value_of(src, &mut Budget::default()));
                    if let Some(Ok(v)) = v
                        && v != Value::Null
                    {
                        rows.push(SummaryRow { step: step_title.clone(), label: f.label.get(lang).to_string(), value: show_value(&v) });
                    }
                }
                FieldKind::Group => {
                    let Some(Answer::Group(group_rows)) = answers.get(&f.id) else { continue };
                    for (i, row) in group_rows.iter().enumerate() {
                        let shown = visible_row_fields(def, f, row, answers);
                        for sub in f.fields.iter().filter(|sub| shown.contains(&sub.id)) {
                            if let Some(value) = row.get(&sub.id).and_then(|a| show(sub, a, lang)) {
                                let label = format!("{} {}: {}", f.label.get(lang), i + 1, sub.label.get(lang));
                                rows.push(SummaryRow { step: step_title.clone(), label, value });
                            }
                        }
                    }
                }
                _ => {
                    if let Some(value) = answers.get(&f.id).and_then(|a| show(f, a, lang)) {
                        rows.push(SummaryRow { step: step_title.clone(), label: f.label.get(lang).to_string(), value });
                    }
                }
            }
        }
    }
    rows
}

fn show_value(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => (if *b { "Ja" } else { "Nej" }).to_string(),
        Value::Num(n) => kronor_like(*n),
        Value::Str(s) => s.clone(),
        Value::List(l) => l.join(", "),
    }
}

/// A number with spaces between thousands, decimals only when there are any.
fn kronor_like(n: f64) -> String {
    let rounded = (n * 100.0).round() / 100.0;
    let whole = rounded.trunc() as i64;
    let digits = whole.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(' ');
        }
        grouped.push(c);
    }
    let sign = if rounded < 0.0 { "-" } else { "" };
    let frac = (rounded.fract().abs() * 100.0).round() as i64;
    if frac == 0 { format!("{sign}{grouped}") } else { format!("{sign}{grouped},{frac:02}") }
}

/// One answer as text (`None`: nothing to show).
fn show(f: &Field, a: &Answer, lang: Lang) -> Option<String> {
    let label_of = |v: &str| f.options.iter().find(|o| o.value == v).map_or_else(|| v.to_string(), |o| o.label.get(lang).to_string());
    let yes = if lang == Lang::En { "Yes" } else { "Ja" };
    Some(match (f.kind, a) {
        (_, Answer::One(v)) if v.is_empty() => return None,
        (FieldKind::Choice, Answer::One(v)) => label_of(v),
        (FieldKind::MultiChoice, Answer::Many(vs)) if !vs.is_empty() => vs.iter().map(|v| label_of(v)).collect::<Vec<_>>().join(", "),
        (FieldKind::Checkbox, Answer::One(v)) if v == "true" => yes.to_string(),
        (FieldKind::Amount, Answer::One(v)) => {
            parse_number(v.trim().trim_end_matches("kr").trim(), 0).map_or_else(|| v.clone(), |n| format!("{} kr", kronor_like(n)))
        }
        (FieldKind::Address, Answer::One(v)) => v.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(", "),
        (_, Answer::One(v)) => v.clone(),
        (_, Answer::File(file)) => file.name.clone(),
        _ => return None,
    })
}

/// The fee in whole kronor for these answers; `None` is free (or a fee expression that fails,
/// which the linter keeps out of published definitions: see [`try_fee`]).
pub fn fee(def: &Definition, answers: &Answers) -> Option<i64> {
    try_fee(def, answers).ok().flatten()
}

/// The fee, or why its expression failed.
pub fn try_fee(def: &Definition, answers: &Answers) -> Result<Option<i64>, ExprError> {
    let Some(fee) = &def.fee else { return Ok(None) };
    let n = match (&fee.expr, fee.amount) {
        (Some(src), _) => FormEnv::new(def, answers).value_of(src, &mut Budget::default())?.num()?.round() as i64,
        (None, Some(n)) => n,
        (None, None) => 0,
    };
    Ok((n > 0).then_some(n))
}

/// Moves a draft's answers to a newer version of its form by stable field ids. An answer is
/// kept when its field is still there with the same type and (for a choice) the chosen values
/// are still offered; every other answer is dropped and its id (`group.field` within groups)
/// listed for the citizen to check.
pub fn migrate(old: &Definition, new: &Definition, answers: Answers) -> (Answers, Vec<String>) {
    let mut kept = Answers::new();
    let mut check = BTreeSet::new();
    for (id, a) in answers {
        let before = old.field(&id).map(|(_, f)| f);
        let Some((_, after)) = new.field(&id) else {
            check.insert(id);
            continue;
        };
        if before.is_none_or(|b| b.kind != after.kind) {
            check.insert(id);
            continue;
        }
        match (after.kind, a) {
            (FieldKind::Group, Answer::Group(rows)) => {
                let rows: Vec<Answers> = rows
                    .into_iter()
                    .take(after.max_rows())
                    .map(|row| {
                        row.into_iter()
                            .filter(|(sub_id, sub_a)| {
                                let keep = match (
                                    before.and_then(|b| b.fields.iter().find(|s| &s.id == sub_id)),
                                    after.fields.iter().find(|s| &s.id == sub_id),
                                ) {
                                    (Some(b), Some(n)) => b.kind == n.kind && still_fits(n, sub_a),
                                    _ => false,
                                };
                                if !keep {
                                    check.insert(format!("{id}.{sub_id}"));
                                }
                                keep
                            })
                            .collect()
                    })
                    .collect();
                kept.insert(id, Answer::Group(rows));
            }
            (_, a) => {
                if still_fits(after, &a) {
                    kept.insert(id, a);
                } else {
                    check.insert(id);
                }
            }
        }
    }
    (kept, check.into_iter().collect())
}

/// Whether an answer still has the shape its (new) field takes.
fn still_fits(f: &Field, a: &Answer) -> bool {
    match (f.kind, a) {
        (FieldKind::Choice, Answer::One(v)) => f.offered().any(|o| &o.value == v),
        (FieldKind::MultiChoice, Answer::Many(vs)) => vs.iter().all(|v| f.offered().any(|o| &o.value == v)),
        (FieldKind::File, Answer::File(_)) => true,
        (FieldKind::Group, Answer::Group(_)) => true,
        (FieldKind::Info | FieldKind::Computed, _) => false,
        (FieldKind::MultiChoice | FieldKind::File | FieldKind::Group, _) => false,
        (_, Answer::One(_)) => true,
        _ => false,
    }
}

/// What the e-ID login and the population register tell about the person filling in.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Prefill {
    /// The personal identity number (12 digits).
    pub pnr: String,
    pub name: String,
    pub address: Option<PostalAddress>,
}

/// A registered postal address.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PostalAddress {
    /// The street line(s), `\n` between lines (c/o first).
    pub street: String,
    pub postcode: String,
    pub city: String,
}

/// The answers a new draft starts with: each field with a `prefill` source that the person's
/// data has.
pub fn prefill(def: &Definition, person: &Prefill) -> Answers {
    let mut out = Answers::new();
    for (_, f) in def.fields() {
        let value = match f.prefill {
            Some(PrefillSource::Personnummer) => person.pnr.trim().to_string(),
            Some(PrefillSource::Name) => person.name.trim().to_string(),
            Some(PrefillSource::Address) => match &person.address {
                Some(a) => format!("{}\n{} {}", a.street.trim(), a.postcode.trim(), a.city.trim()),
                None => String::new(),
            },
            // Filled when the citizen has said whom the application concerns (`prefill_subject`).
            Some(PrefillSource::SubjectName | PrefillSource::SubjectNumber) | None => continue,
        };
        if !value.trim().is_empty() {
            out.insert(f.id.clone(), Answer::One(value));
        }
    }
    out
}

/// Fills the fields marked `subject_name` and `subject_number` with whom the application
/// concerns (the child, the organisation, or the person themselves), over what they held.
pub fn prefill_subject(def: &Definition, answers: &mut Answers, name: &str, number: &str) {
    for (_, f) in def.fields() {
        let value = match f.prefill {
            Some(PrefillSource::SubjectName) => name.trim(),
            Some(PrefillSource::SubjectNumber) => number.trim(),
            _ => continue,
        };
        if value.is_empty() {
            answers.remove(&f.id);
        } else {
            answers.insert(f.id.clone(), Answer::One(value.to_string()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_are_grouped_swedish_style() {
        assert_eq!(kronor_like(1234567.0), "1 234 567");
        assert_eq!(kronor_like(999.0), "999");
        assert_eq!(kronor_like(12.5), "12,50");
        assert_eq!(kronor_like(-4500.0), "-4 500");
        assert_eq!(kronor_like(0.0), "0");
    }

    fn def(version: u32, fields: serde_json::Value) -> Definition {
        serde_json::from_value(json!({ "key": "m", "version": version, "title": "M", "summary": "M", "steps": [{ "id": "a", "title": "A", "fields": fields }] }))
            .expect("a definition")
    }

    fn one(v: &str) -> Answer {
        Answer::One(v.into())
    }

    #[test]
    fn migrate_keeps_what_still_fits_and_lists_the_rest() {
        let old = def(
            1,
            json!([
                { "id": "namn", "kind": "text", "label": "Namn" },
                { "id": "typ", "kind": "choice", "label": "Typ", "options": [{ "value": "a", "label": "A" }, { "value": "b", "label": "B" }] },
                { "id": "val", "kind": "multi_choice", "label": "Val", "options": [{ "value": "x", "label": "X" }, { "value": "y", "label": "Y" }] },
                { "id": "antal", "kind": "text", "label": "Antal" },
                { "id": "borta", "kind": "text", "label": "Borta" },
                { "id": "rum", "kind": "group", "label": "Rum", "fields": [
                    { "id": "namn", "kind": "text", "label": "N" }, { "id": "yta", "kind": "text", "label": "Y" } ] }
            ]),
        );
        let new = def(
            2,
            json!([
                { "id": "namn", "kind": "text", "label": "Ditt namn", "max_length": 3 },
                { "id": "typ", "kind": "choice", "label": "Typ", "options": [{ "value": "a", "label": "A" }, { "value": "c", "label": "C" }] },
                { "id": "val", "kind": "multi_choice", "label": "Val", "options": [{ "value": "x", "label": "X" }, { "value": "y", "label": "Y", "hidden": true }] },
                { "id": "antal", "kind": "number", "label": "Antal" },
                { "id": "ny", "kind": "text", "label": "Ny" },
                { "id": "rum", "kind": "group", "label": "Rum", "max_rows": 1, "fields": [
                    { "id": "namn", "kind": "text", "label": "N" }, { "id": "yta", "kind": "number", "label": "Y" } ] }
            ]),
        );
        let row = Answers::from([("namn".into(), one("Kök")), ("yta".into(), one("12"))]);
        let answers = Answers::from([
            ("namn".into(), one("Ada Lovelace")),
            ("typ".into(), one("b")),
            ("val".into(), Answer::Many(vec!["x".into(), "y".into()])),
            ("antal".into(), one("3")),
            ("borta".into(), one("x")),
            ("skräp".into(), one("x")),
            ("rum".into(), Answer::Group(vec![row.clone(), row])),
        ]);
        let (kept, check) = migrate(&old, &new, answers);
        assert_eq!(check, ["antal", "borta", "rum.yta", "skräp", "typ", "val"]);
        assert_eq!(
            kept,
            Answers::from([
                ("namn".into(), one("Ada Lovelace")),
                ("rum".into(), Answer::Group(vec![Answers::from([("namn".into(), one("Kök"))])])),
            ]),
            "the name is kept (its new limit is the check's business); the group keeps one row"
        );
        // Same version: nothing to check.
        let a = Answers::from([("typ".into(), one("a"))]);
        assert_eq!(migrate(&new, &new, a.clone()), (a, vec![]));
    }

    #[test]
    fn prefill_fills_what_the_definition_asks_for() {
        let d = def(
            1,
            json!([
                { "id": "vem", "kind": "text", "label": "Namn", "prefill": "name" },
                { "id": "pnr", "kind": "personnummer", "label": "Pnr", "prefill": "personnummer" },
                { "id": "adr", "kind": "address", "label": "Adress", "prefill": "address" },
                { "id": "annat", "kind": "text", "label": "Annat" }
            ]),
        );
        let p = Prefill { pnr: "19811218-9876".into(), name: "Astrid Lindqvist".into(), address: None };
        assert_eq!(prefill(&d, &p), Answers::from([("vem".into(), one("Astrid Lindqvist")), ("pnr".into(), one("19811218-9876"))]));
        let p = Prefill {
            address: Some(PostalAddress { street: "c/o Berg\nStorgatan 1".into(), postcode: "652 24".into(), city: "Karlstad".into() }),
            ..p
        };
        assert_eq!(prefill(&d, &p).get("adr"), Some(&one("c/o Berg\nStorgatan 1\n652 24 Karlstad")));
    }

    #[test]
    fn the_summary_speaks_the_language_and_numbers_group_rows() {
        let d = def(
            1,
            json!([
                { "id": "typ", "kind": "choice", "label": { "sv": "Typ", "en": "Kind" }, "options": [{ "value": "a", "label": { "sv": "Äpple", "en": "Apple" } }] },
                { "id": "ok", "kind": "checkbox", "label": "OK" },
                { "id": "belopp", "kind": "amount", "label": "Belopp" },
                { "id": "info", "kind": "info", "label": "Info" },
                { "id": "tom", "kind": "text", "label": "Tom" },
                { "id": "rum", "kind": "group", "label": { "sv": "Rum", "en": "Room" }, "fields": [ { "id": "namn", "kind": "text", "label": { "sv": "Namn", "en": "Name" } } ] }
            ]),
        );
        let a = Answers::from([
            ("typ".into(), one("a")),
            ("ok".into(), one("true")),
            ("belopp".into(), one("12500")),
            (
                "rum".into(),
                Answer::Group(vec![Answers::from([("namn".into(), one("Kök"))]), Answers::from([("namn".into(), one("<b>Hall</b>"))])]),
            ),
        ]);
        let rows: Vec<(String, String)> = summary(&d, &a, Lang::En).into_iter().map(|r| (r.label, r.value)).collect();
        assert_eq!(
            rows,
            [
                ("Kind".into(), "Apple".into()),
                ("OK".into(), "Yes".into()),
                ("Belopp".into(), "12 500 kr".into()),
                ("Room 1: Name".into(), "Kök".into()),
                ("Room 2: Name".into(), "<b>Hall</b>".into()),
            ]
        );
        assert_eq!(summary(&d, &a, Lang::Sv)[0].step, "A");
    }
}
