use super::*;
use crate::form::{Definition, fee, lint, summary};
use serde_json::json;
use time::macros::date;

const TODAY: time::Date = date!(2026 - 12 - 06);

/// A definition with one field of every kind, a group and conditions (not linted, so tests
/// may also build broken ones).
fn def() -> Definition {
    serde_json::from_value(json!({
        "key": "prov", "version": 1, "title": "Prov", "summary": "Ett prov",
        "steps": [
            { "id": "a", "title": "Första", "fields": [
                { "id": "namn", "kind": "text", "label": "Namn", "required": true, "max_length": 20 },
                { "id": "om", "kind": "textarea", "label": "Om", "max_length": 50 },
                { "id": "antal", "kind": "number", "label": "Antal", "min": 1, "max": 10 },
                { "id": "yta", "kind": "number", "label": "Yta", "decimals": 1 },
                { "id": "belopp", "kind": "amount", "label": "Belopp" },
                { "id": "dag", "kind": "date", "label": "Dag", "min_days": 1, "max_days": 30 },
                { "id": "typ", "kind": "choice", "label": "Typ", "required": true, "options": [
                    { "value": "x", "label": "X" }, { "value": "y", "label": "Y" }, { "value": "z", "label": "Z", "hidden": true } ] },
                { "id": "extra", "kind": "multi_choice", "label": "Extra", "max": 2, "options": [
                    { "value": "p", "label": "P" }, { "value": "q", "label": "Q" }, { "value": "r", "label": "R" } ] },
                { "id": "ok", "kind": "checkbox", "label": "OK" },
                { "id": "pnr", "kind": "personnummer", "label": "Personnummer" },
                { "id": "org", "kind": "orgnummer", "label": "Organisationsnummer" },
                { "id": "adr", "kind": "address", "label": "Adress" },
                { "id": "mejl", "kind": "email", "label": "E-post" },
                { "id": "tel", "kind": "phone", "label": "Telefon" },
                { "id": "fast", "kind": "fastighetsbeteckning", "label": "Fastighet" },
                { "id": "kod", "kind": "text", "label": "Kod", "pattern": "[A-Z]{3}-[0-9]{2}" },
                { "id": "y_only", "kind": "text", "label": "Bara Y", "visible_if": "typ == \"y\"", "required": true },
                { "id": "info", "kind": "info", "label": "Läs detta" }
            ]},
            { "id": "b", "title": "Rum", "visible_if": "typ == \"x\"", "fields": [
                { "id": "rum", "kind": "group", "label": "Rum", "min_rows": 1, "max_rows": 3, "fields": [
                    { "id": "namn", "kind": "text", "label": "Rummets namn", "required": true },
                    { "id": "yta", "kind": "number", "label": "Yta" },
                    { "id": "el", "kind": "checkbox", "label": "El" },
                    { "id": "elinfo", "kind": "text", "label": "Vilken el", "visible_if": "el", "required": true }
                ]},
                { "id": "total", "kind": "computed", "label": "Total yta", "compute": "sum(rum.yta)" }
            ]}
        ],
        "fee": { "expr": "100 * count(rum) + sum(rum.yta)" }
    }))
    .expect("a definition")
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn one(a: &Answers, id: &str) -> Option<String> {
    match a.get(id) {
        Some(Answer::One(v)) => Some(v.clone()),
        _ => None,
    }
}

fn errors(def: &Definition, step: usize, a: &Answers) -> Vec<(String, String)> {
    check_step(def, step, a, TODAY).into_iter().map(|e| (e.field, e.message)).collect()
}

fn error_of(def: &Definition, a: &Answers, field: &str) -> Option<String> {
    check_step(def, 0, a, TODAY).into_iter().find(|e| e.field == field).map(|e| e.message)
}

/// The message for `value` typed into `field` on the first step.
fn check(field: &str, value: &str) -> Option<String> {
    let d = def();
    let mut a = Answers::new();
    read_step(&d, 0, &pairs(&[("namn", "Ada"), ("typ", "x"), (field, value)]), &mut a);
    error_of(&d, &a, field)
}

#[test]
fn the_test_definition_lints_clean() {
    assert_eq!(lint(&def()), vec![]);
}

#[test]
fn reads_a_step_and_nothing_else() {
    let d = def();
    let mut a = Answers::new();
    read_step(
        &d,
        0,
        &pairs(&[("namn", "  Ada Lovelace \t"), ("typ", "x"), ("rum[0].namn", "Kök"), ("total", "999"), ("info", "x"), ("okänd", "1")]),
        &mut a,
    );
    assert_eq!(one(&a, "namn").as_deref(), Some("Ada Lovelace"));
    assert_eq!(one(&a, "typ").as_deref(), Some("x"));
    // Another step's field, a computed value, an info text and an unknown name are not stored.
    assert_eq!(a.len(), 2, "{a:?}");
    // A hidden step is not read at all.
    let mut a2 = Answers::from([("typ".to_string(), Answer::One("y".into()))]);
    read_step(&d, 1, &pairs(&[("rum[0].namn", "Kök")]), &mut a2);
    assert!(!a2.contains_key("rum"));
    // An out-of-range step is ignored.
    read_step(&d, 9, &pairs(&[("namn", "x")]), &mut a2);
    assert_eq!(a2.len(), 1);
}

#[test]
fn markup_and_script_stay_plain_text() {
    let d = def();
    let mut a = Answers::new();
    let script = "<script>alert(1)</script>";
    read_step(&d, 0, &pairs(&[("namn", script), ("om", "<b>fet</b>\r\n&amp; \"citat\"")]), &mut a);
    assert_eq!(one(&a, "namn").as_deref(), Some("<script>alert(1)</scr"), "kept verbatim up to one past its limit");
    assert_eq!(one(&a, "om").as_deref(), Some("<b>fet</b>\n&amp; \"citat\""));
    assert_eq!(error_of(&d, &a, "namn").as_deref(), Some("es-field-too-long"));
}

#[test]
fn over_long_values_are_cut_and_flagged() {
    let d = def();
    let mut a = Answers::new();
    let huge = "å".repeat(1_000_000);
    read_step(&d, 0, &pairs(&[("namn", &huge), ("om", &huge), ("typ", "x")]), &mut a);
    assert_eq!(one(&a, "namn").map(|v| v.chars().count()), Some(21));
    assert_eq!(one(&a, "om").map(|v| v.chars().count()), Some(51));
    let errs = errors(&d, 0, &a);
    assert!(errs.contains(&("namn".into(), "es-field-too-long".into())));
    assert!(errs.contains(&("om".into(), "es-field-too-long".into())));
    // Exactly at the limit is fine.
    assert_eq!(check("namn", &"a".repeat(20)), None);
}

#[test]
fn control_and_invisible_characters_go() {
    let d = def();
    let mut a = Answers::new();
    read_step(&d, 0, &pairs(&[("namn", "A\u{0}d\u{7}a\u{202E}\u{200B}\nB"), ("typ", "x")]), &mut a);
    assert_eq!(one(&a, "namn").as_deref(), Some("Ada B"));
}

#[test]
fn choices_not_offered_are_never_stored() {
    let d = def();
    let mut a = Answers::from([("typ".to_string(), Answer::One("x".into()))]);
    for bad in ["w", "z", "X", "", "x ; DROP TABLE"] {
        read_step(&d, 0, &pairs(&[("namn", "Ada"), ("typ", bad)]), &mut a);
        assert!(!a.contains_key("typ"), "{bad:?} stored");
        assert_eq!(error_of(&d, &a, "typ").as_deref(), Some("es-field-choose"));
    }
    read_step(&d, 0, &pairs(&[("namn", "Ada"), ("typ", "y"), ("extra", "r"), ("extra", "nope"), ("extra", "p"), ("extra", "p")]), &mut a);
    assert_eq!(a.get("extra"), Some(&Answer::Many(vec!["p".into(), "r".into()])), "in option order, once each, only offered");
    // A tampered stored answer is caught by the check too.
    a.insert("typ".into(), Answer::One("z".into()));
    assert_eq!(error_of(&d, &a, "typ").as_deref(), Some("es-field-choose"));
    a.insert("extra".into(), Answer::Many(vec!["p".into(), "q".into(), "r".into()]));
    assert_eq!(error_of(&d, &a, "extra").as_deref(), Some("es-field-choose-fewer"));
    a.insert("extra".into(), Answer::Many(vec!["zz".into()]));
    assert_eq!(error_of(&d, &a, "extra").as_deref(), Some("es-field-choose-many"));
    // Wrong answer types (a stored draft someone edited) are refused, not trusted.
    a.insert("namn".into(), Answer::Many(vec!["Ada".into()]));
    a.insert("ok".into(), Answer::Group(vec![]));
    let errs = errors(&d, 0, &a);
    assert!(errs.contains(&("namn".into(), "es-field-invalid".into())), "{errs:?}");
    assert!(errs.contains(&("ok".into(), "es-field-invalid".into())), "{errs:?}");
}

#[test]
fn checkboxes() {
    let d = def();
    let mut a = Answers::new();
    read_step(&d, 0, &pairs(&[("ok", "on")]), &mut a);
    assert_eq!(one(&a, "ok").as_deref(), Some("true"));
    read_step(&d, 0, &pairs(&[("ok", "false")]), &mut a);
    assert!(!a.contains_key("ok"));
}

#[test]
fn numbers_and_amounts() {
    assert_eq!(check("antal", "5"), None);
    assert_eq!(check("antal", " 5 "), None);
    for bad in ["abc", "1e5", "NaN", "inf", "0x10", "5,", ",5", "--5", "5-", "1 2 3 4 5 6 7 8 9 0 1 2 3 4"] {
        assert_eq!(check("antal", bad).as_deref(), Some("es-field-number"), "{bad:?}");
    }
    assert_eq!(check("antal", "2,5").as_deref(), Some("es-field-whole-number"));
    assert_eq!(check("antal", "0").as_deref(), Some("es-field-too-small"));
    assert_eq!(check("antal", "-3").as_deref(), Some("es-field-too-small"));
    assert_eq!(check("antal", "11").as_deref(), Some("es-field-too-large"));
    assert_eq!(check("antal", "99999999999999999999").as_deref(), Some("es-field-number"));
    assert_eq!(check("yta", "12,5"), None);
    assert_eq!(check("yta", "12.5"), None);
    assert_eq!(check("yta", "12,55").as_deref(), Some("es-field-number"));
    assert_eq!(check("belopp", "1 200 kr"), None);
    assert_eq!(check("belopp", "1200:-"), None);
    assert_eq!(check("belopp", "-5").as_deref(), Some("es-field-too-small"), "an amount is never negative");
    assert_eq!(check("belopp", "12,50").as_deref(), Some("es-field-whole-number"));
}

#[test]
fn dates() {
    assert_eq!(check("dag", "2026-12-07"), None);
    assert_eq!(check("dag", "2027-01-05"), None);
    for bad in
        ["2026-02-30", "2026-13-01", "2026-00-10", "7 december", "2026-1-1", "20261207", "0000-01-01", "2026-12-07T00:00", "9999-12-31"]
    {
        assert_eq!(check("dag", bad).as_deref(), Some("es-field-date"), "{bad:?}");
    }
    assert_eq!(check("dag", "2026-12-06").as_deref(), Some("es-field-date-later"), "today is before min_days = 1");
    assert_eq!(check("dag", "2027-01-06").as_deref(), Some("es-field-date-earlier"));
}

#[test]
fn identity_numbers() {
    assert_eq!(check("pnr", "19811218-9876"), None);
    assert_eq!(check("pnr", "811218-9876"), None);
    for bad in ["19811218-9875", "19811318-9876", "20991218-9876", "abc", "1981121898761", "19811218_9876"] {
        assert_eq!(check("pnr", bad).as_deref(), Some("es-field-personnummer"), "{bad:?}");
    }
    assert_eq!(check("org", "556036-0793"), None);
    for bad in ["556036-0794", "5560360793x", "123", "551036-0793"] {
        assert_eq!(check("org", bad).as_deref(), Some("es-field-orgnummer"), "{bad:?}");
    }
}

#[test]
fn contact_details_and_formats() {
    assert_eq!(check("mejl", "ada@example.se"), None);
    for bad in ["ada", "ada@", "@example.se", "ada@example", "a da@example.se", "<ada@example.se>"] {
        assert_eq!(check("mejl", bad).as_deref(), Some("es-field-email"), "{bad:?}");
    }
    assert_eq!(check("tel", "070-123 45 67"), None);
    assert_eq!(check("tel", "+46 (0)54 54 00 00"), None);
    assert_eq!(check("tel", "054-540 00 00"), None);
    for bad in ["07O-1234567", "12345", "call me", "+46++70"] {
        assert_eq!(check("tel", bad).as_deref(), Some("es-field-phone"), "{bad:?}");
    }
    for good in ["Karlstad Sandbäcken 1:23", "Kil Tingvalla 12:4", "Arvika Majoren 3", "Hammarö Skoghall s:1", "Eda Charlottenberg 1:1"] {
        assert_eq!(check("fast", good), None, "{good:?}");
    }
    for bad in ["1:23", "Sandbäcken", "Karlstad Sandbäcken 1:23:4", "<b>X 1</b>", "Karlstad Sandbäcken 12345:1"] {
        assert_eq!(check("fast", bad).as_deref(), Some("es-field-fastighet"), "{bad:?}");
    }
    assert_eq!(check("adr", "Storgatan 1\n652 24 Karlstad"), None);
    assert_eq!(check("adr", "c/o Berg\nStorgatan 1\n65224 Karlstad"), None);
    for bad in ["Storgatan 1", "Storgatan 1\nKarlstad", "Storgatan 1\n052 24 Karlstad"] {
        assert_eq!(check("adr", bad).as_deref(), Some("es-field-address"), "{bad:?}");
    }
    assert_eq!(check("kod", "ABC-12"), None);
    for bad in ["abc-12", "ABC-1234", "xABC-12", "ABC-12\nDEF-34"] {
        assert_eq!(check("kod", bad).as_deref(), Some("es-field-pattern"), "{bad:?}");
    }
}

#[test]
fn required_fields_say_what_to_do() {
    let d = def();
    let errs = errors(&d, 0, &Answers::new());
    assert_eq!(errs, vec![("namn".into(), "es-field-required".into()), ("typ".into(), "es-field-choose".into())]);
}

#[test]
fn conditions_show_hide_and_forget() {
    let d = def();
    let mut a = Answers::new();
    read_step(&d, 0, &pairs(&[("namn", "Ada"), ("typ", "y"), ("y_only", "hej")]), &mut a);
    assert_eq!(one(&a, "y_only").as_deref(), Some("hej"));
    assert!(visible_fields(&d, 0, &a).contains(&"y_only".to_string()));
    assert_eq!(visible_steps(&d, &a), vec![0], "the rooms step needs typ x");
    // Changing the answer hides the field, and its answer is not kept.
    read_step(&d, 0, &pairs(&[("namn", "Ada"), ("typ", "x"), ("y_only", "hej")]), &mut a);
    assert!(!a.contains_key("y_only"));
    assert_eq!(visible_steps(&d, &a), vec![0, 1]);
    assert_eq!(errors(&d, 0, &a), vec![]);
    // Required while shown.
    read_step(&d, 0, &pairs(&[("namn", "Ada"), ("typ", "y")]), &mut a);
    assert_eq!(errors(&d, 0, &a), vec![("y_only".into(), "es-field-required".into())]);
    assert_eq!(check_step(&d, 1, &a, TODAY), vec![], "a hidden step has no problems");
}

#[test]
fn groups_read_rows_and_refuse_tampered_indexes() {
    let d = def();
    let mut a = Answers::from([("typ".to_string(), Answer::One("x".into()))]);
    read_step(
        &d,
        1,
        &pairs(&[
            ("rum[0].namn", "Kök"),
            ("rum[0].yta", "12"),
            ("rum[2].namn", "Sovrum"),
            ("rum[2].el", "on"),
            ("rum[2].elinfo", "Trefas"),
            ("rum[1]._row", "1"),
            ("rum[3].namn", "för många"),
            ("rum[999999999999999999999].namn", "x"),
            ("rum[-1].namn", "x"),
            ("rum[01].namn", "x"),
            ("rum[].namn", "x"),
            ("rum[0].okand", "x"),
            ("rum[0]namn", "x"),
            ("rum[0].elinfo", "dold"),
            ("rummet[0].namn", "x"),
        ]),
        &mut a,
    );
    let Some(Answer::Group(rows)) = a.get("rum") else { panic!("no rows: {a:?}") };
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[0], Answers::from([("namn".into(), Answer::One("Kök".into())), ("yta".into(), Answer::One("12".into()))]));
    assert_eq!(rows[1], Answers::new(), "a row with nothing typed yet");
    assert_eq!(rows[2].get("elinfo"), Some(&Answer::One("Trefas".into())));
    assert_eq!(errors(&d, 1, &a), vec![("rum[1].namn".into(), "es-field-required".into())]);
    assert_eq!(fee(&d, &a), Some(312));
    let total = summary(&d, &a, radhus_kernel::Lang::Sv).into_iter().find(|r| r.label == "Total yta").map(|r| r.value);
    assert_eq!(total.as_deref(), Some("12"));
    // A row's field shown by the row's own answer; required there.
    read_step(&d, 1, &pairs(&[("rum[0].namn", "Hall"), ("rum[0].el", "on")]), &mut a);
    assert_eq!(errors(&d, 1, &a), vec![("rum[0].elinfo".into(), "es-field-required".into())]);
    // Too few rows.
    read_step(&d, 1, &pairs(&[]), &mut a);
    assert!(!a.contains_key("rum"));
    assert_eq!(errors(&d, 1, &a), vec![("rum".into(), "es-field-rows-more".into())]);
    // Too many rows stored by someone editing the draft.
    a.insert("rum".into(), Answer::Group(vec![Answers::from([("namn".into(), Answer::One("R".into()))]); 4]));
    assert_eq!(errors(&d, 1, &a), vec![("rum".into(), "es-field-rows-fewer".into())]);
}

#[test]
fn rows_are_added_and_removed_within_bounds() {
    let d = def();
    let mut a = Answers::new();
    assert!(add_row(&d, &mut a, "rum"));
    assert!(add_row(&d, &mut a, "rum"));
    assert!(!add_row(&d, &mut a, "rum"), "three is the most");
    assert!(!add_row(&d, &mut a, "namn"), "not a group");
    assert!(remove_row(&mut a, "rum", 2));
    assert!(!remove_row(&mut a, "rum", 5));
    let Some(Answer::Group(rows)) = a.get("rum") else { panic!() };
    assert_eq!(rows.len(), 2);
}

#[test]
fn an_expression_that_would_loop_is_an_error_not_a_hang() {
    // Not lint-clean on purpose: a condition on itself and two computed values on each other.
    let mut d = def();
    d.steps[0].fields[0].visible_if = Some("namn == \"x\"".into());
    d.steps[1].fields[1].compute = Some("total + 1".into());
    d.fee = Some(crate::form::Fee { amount: None, expr: Some("total".into()), note: None });
    let a = Answers::from([("typ".to_string(), Answer::One("x".into())), ("namn".to_string(), Answer::One("x".into()))]);
    // The failing condition shows the field; the fee cannot be computed.
    assert!(visible_fields(&d, 0, &a).contains(&"namn".to_string()));
    assert_eq!(fee(&d, &a), None);
    assert!(matches!(crate::form::try_fee(&d, &a), Err(ExprError::Cycle(_))));
    assert!(lint(&d).iter().any(|p| p.message.contains("depends on itself")));
}

#[test]
fn evaluation_of_a_hostile_but_lint_clean_form_stays_bounded() {
    // 50 rows, each with a computed value, summed by a fee: fine and finite.
    let d: Definition = serde_json::from_value(json!({
        "key": "sum", "version": 1, "title": "S", "summary": "S",
        "steps": [{ "id": "a", "title": "A", "fields": [
            { "id": "g", "kind": "group", "label": "G", "max_rows": 50, "fields": [
                { "id": "n", "kind": "number", "label": "N", "max": 1000000 },
                { "id": "c", "kind": "computed", "label": "C", "compute": "n * n * n" }
            ]}
        ]}],
        "fee": { "expr": "sum(g.c) * sum(g.c) * sum(g.c)" }
    }))
    .expect("a definition");
    assert_eq!(lint(&d), vec![]);
    let row = Answers::from([("n".to_string(), Answer::One("1000000".into()))]);
    let a = Answers::from([("g".to_string(), Answer::Group(vec![row; 50]))]);
    assert_eq!(crate::form::try_fee(&d, &a), Err(ExprError::Overflow));
}

#[test]
fn answers_round_trip_as_tagged_json() {
    let a = Answers::from([
        ("a".to_string(), Answer::One("x".into())),
        ("b".to_string(), Answer::Many(vec![])),
        ("c".to_string(), Answer::Group(vec![])),
        ("d".to_string(), Answer::File(FileRef { blob: uuid::Uuid::nil(), name: "a.pdf".into(), mime: "application/pdf".into(), size: 3 })),
    ]);
    let j = serde_json::to_string(&a).expect("json");
    assert!(j.contains(r#""a":{"one":"x"}"#), "{j}");
    assert_eq!(serde_json::from_str::<Answers>(&j).expect("back"), a);
}

#[test]
fn visible_answers_leave_hidden_ones_behind() {
    let d = def();
    let mut a = Answers::new();
    read_step(&d, 0, &pairs(&[("namn", "Ada"), ("typ", "x")]), &mut a);
    read_step(&d, 1, &pairs(&[("rum[0].namn", "Kök"), ("rum[0].elinfo", "x")]), &mut a);
    // A stale answer of a field now hidden, one of a hidden step, and junk.
    a.insert("y_only".into(), Answer::One("gammalt".into()));
    a.insert("okänd".into(), Answer::One("x".into()));
    a.insert("total".into(), Answer::One("999".into()));
    if let Some(Answer::Group(rows)) = a.get_mut("rum") {
        rows[0].insert("elinfo".into(), Answer::One("dold".into()));
    }
    let v = visible_answers(&d, &a);
    assert_eq!(v.keys().map(String::as_str).collect::<Vec<_>>(), ["namn", "rum", "typ"]);
    assert_eq!(v.get("rum"), Some(&Answer::Group(vec![Answers::from([("namn".into(), Answer::One("Kök".into()))])])));
    // Hiding the rooms step drops the rooms.
    a.insert("typ".into(), Answer::One("y".into()));
    assert!(!visible_answers(&d, &a).contains_key("rum"));
}

/// A small deterministic generator (no dependency): the same hostile inputs every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() as usize) % xs.len()]
    }
}

#[test]
fn random_hostile_posts_never_panic_and_stay_bounded() {
    let d = def();
    let keys = [
        "namn",
        "om",
        "antal",
        "yta",
        "belopp",
        "dag",
        "typ",
        "extra",
        "ok",
        "pnr",
        "org",
        "adr",
        "mejl",
        "tel",
        "fast",
        "kod",
        "y_only",
        "info",
        "total",
        "rum[0].namn",
        "rum[1].yta",
        "rum[2].el",
        "rum[2].elinfo",
        "rum[3].namn",
        "rum[9999999999999].namn",
        "rum[0]._row",
        "rum[x].namn",
        "rum[0].",
        "[0].namn",
        "",
    ];
    let values = [
        "",
        " ",
        "x",
        "y",
        "z",
        "p",
        "q",
        "on",
        "true",
        "0",
        "-1",
        "1e308",
        "NaN",
        "12,5",
        "2026-02-30",
        "2026-12-24",
        "19811218-9876",
        "<script>alert(1)</script>",
        "\u{0}\u{202E}",
        "Storgatan 1\n652 24 Karlstad",
        "Karlstad Sandbäcken 1:23",
        "070-123 45 67",
        "a@b.se",
        "ABC-12",
        "ÅÄÖ",
        "\r\n\r\n",
        "💥",
    ];
    let long = "x".repeat(100_000);
    let mut rng = Lcg(7);
    let mut a = Answers::new();
    for round in 0..3000 {
        let n = (rng.next() % 12) as usize;
        let mut p: Vec<(String, String)> = (0..n).map(|_| (rng.pick(&keys).to_string(), rng.pick(&values).to_string())).collect();
        if round % 50 == 0 {
            p.push(("om".into(), long.clone()));
        }
        let step = (rng.next() % 3) as usize;
        read_step(&d, step, &p, &mut a);
        let _ = check_all(&d, &a, TODAY);
        let _ = summary(&d, &a, radhus_kernel::Lang::Sv);
        let _ = fee(&d, &a);
        for (k, v) in &a {
            match v {
                Answer::One(s) => assert!(s.chars().count() <= 5001, "{k} kept {} characters", s.chars().count()),
                Answer::Group(rows) => assert!(rows.len() <= 3, "{k} has {} rows", rows.len()),
                _ => {}
            }
            assert!(d.field(k).is_some(), "{k} stored though it is no field");
        }
    }
}

#[test]
fn every_message_the_check_gives_is_listed() {
    let source = include_str!("../answers.rs");
    let used: std::collections::BTreeSet<&str> =
        source.split('"').filter(|s| s.starts_with("es-field-") && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')).collect();
    let listed: std::collections::BTreeSet<&str> = MESSAGES.into_iter().collect();
    assert_eq!(used, listed);
}

#[test]
fn every_message_is_in_swedish_and_english() {
    for (lang, ftl) in [("sv", include_str!("../../../locales/sv.ftl")), ("en", include_str!("../../../locales/en.ftl"))] {
        for id in MESSAGES {
            let line = ftl.lines().find(|l| l.split('=').next().map(str::trim) == Some(id));
            assert!(
                line.is_some_and(|l| l.split_once('=').is_some_and(|(_, text)| !text.trim().is_empty())),
                "{id} missing from {lang}.ftl"
            );
        }
    }
}
