use super::*;
use serde_json::{Value as J, json};

fn base() -> J {
    json!({
        "key": "prov", "version": 1, "title": "Prov", "summary": "Ett prov",
        "steps": [
            { "id": "a", "title": "Första", "fields": [
                { "id": "typ", "kind": "choice", "label": "Typ", "options": [ { "value": "x", "label": "X" }, { "value": "y", "label": "Y" } ] },
                { "id": "extra", "kind": "multi_choice", "label": "Extra", "options": [ { "value": "p", "label": "P" } ] },
                { "id": "antal", "kind": "number", "label": "Antal" },
                { "id": "rum", "kind": "group", "label": "Rum", "fields": [
                    { "id": "yta", "kind": "number", "label": "Yta" },
                    { "id": "namn", "kind": "text", "label": "Namn" }
                ]}
            ]},
            { "id": "b", "title": "Andra", "fields": [
                { "id": "fritt", "kind": "text", "label": "Fritt" }
            ]}
        ]
    })
}

/// The problems of the base definition changed by `edit`.
fn problems(edit: impl FnOnce(&mut J)) -> Vec<(Option<String>, String)> {
    let mut j = base();
    edit(&mut j);
    let def: Definition = serde_json::from_value(j).expect("a definition");
    lint(&def).into_iter().map(|p| (p.field, p.message)).collect()
}

fn field(j: &mut J, step: usize, i: usize) -> &mut J {
    &mut j["steps"][step]["fields"][i]
}

/// Asserts one problem names `field` and mentions `words`.
#[track_caller]
fn has(problems: &[(Option<String>, String)], field: &str, words: &str) {
    assert!(
        problems.iter().any(|(f, m)| f.as_deref() == Some(field) && m.contains(words)),
        "no problem at {field} mentioning {words:?} in {problems:#?}"
    );
}

#[test]
fn the_base_is_clean() {
    assert_eq!(problems(|_| {}), vec![]);
}

#[test]
fn unknown_references_name_the_field() {
    let p = problems(|j| field(j, 1, 0)["visible_if"] = json!("nope == 1"));
    has(&p, "fritt", "`nope`, which is no field");
    let p = problems(|j| field(j, 1, 0)["visible_if"] = json!("sum(rum.nope) > 1"));
    has(&p, "fritt", "`rum.nope`, which is no field");
    let p = problems(|j| j["fee"] = json!({ "expr": "antal * pris" }));
    has(&p, "fee", "`pris`");
}

#[test]
fn wrong_uses_of_fields() {
    has(&problems(|j| field(j, 1, 0)["visible_if"] = json!("rum > 1")), "fritt", "is a group: use count(rum)");
    has(&problems(|j| field(j, 1, 0)["visible_if"] = json!("count(antal) > 1")), "fritt", "count(antal) needs a group");
    has(&problems(|j| field(j, 1, 0)["visible_if"] = json!("sum(rum.namn) > 1")), "fritt", "needs a number");
    has(&problems(|j| field(j, 1, 0)["visible_if"] = json!("rum.yta > 1")), "fritt", "can only be summed");
    has(&problems(|j| field(j, 1, 0)["visible_if"] = json!("contains(typ, \"x\")")), "fritt", "needs a multi_choice");
    has(&problems(|j| field(j, 1, 0)["visible_if"] = json!("antal >")), "fritt", "syntax error");
}

#[test]
fn cycles_between_conditions_and_computed_values() {
    let p = problems(|j| field(j, 0, 2)["visible_if"] = json!("antal > 1"));
    has(&p, "antal", "depends on itself: antal → antal");
    let p = problems(|j| {
        j["steps"][1]["fields"] = json!([
            { "id": "c1", "kind": "computed", "label": "C1", "compute": "c2 + 1" },
            { "id": "c2", "kind": "computed", "label": "C2", "compute": "c1 + 1" }
        ]);
    });
    has(&p, "c1", "depends on itself: c1 → c2 → c1");
    assert_eq!(p.iter().filter(|(_, m)| m.contains("depends on itself")).count(), 1, "one cycle, one problem: {p:?}");
    // A computed value through a visibility condition.
    let p = problems(|j| {
        j["steps"][1]["fields"] = json!([
            { "id": "c1", "kind": "computed", "label": "C1", "compute": "antal + 1", "visible_if": "c2 > 1" },
            { "id": "c2", "kind": "computed", "label": "C2", "compute": "c1 * 2" }
        ]);
    });
    has(&p, "c1", "depends on itself");
    // A group row's computed field on itself.
    let p = problems(|j| field(j, 0, 3)["fields"][0] = json!({ "id": "yta", "kind": "computed", "label": "Y", "compute": "yta + 1" }));
    has(&p, "rum.yta", "depends on itself");
}

#[test]
fn conditions_that_can_never_be_true() {
    has(&problems(|j| field(j, 1, 0)["visible_if"] = json!("1 > 2")), "fritt", "never true");
    has(&problems(|j| field(j, 1, 0)["visible_if"] = json!("typ == \"x\" and false")), "fritt", "never true");
    let p = problems(|j| field(j, 1, 0)["visible_if"] = json!("typ == \"z\""));
    has(&p, "fritt", "compares `typ` with \"z\", which is not one of its options");
    has(&p, "fritt", "can never be shown");
    let p = problems(|j| field(j, 1, 0)["visible_if"] = json!("contains(extra, \"q\") or typ == \"w\""));
    has(&p, "fritt", "can never be shown");
    has(&problems(|j| field(j, 1, 0)["required_if"] = json!("not true")), "fritt", "required_if is never true");
    // Not constant: fine.
    assert_eq!(problems(|j| field(j, 1, 0)["visible_if"] = json!("typ != \"x\" or antal > 3")), vec![]);
}

#[test]
fn unreachable_steps_and_order() {
    has(&problems(|j| j["steps"][1]["visible_if"] = json!("typ == \"y\" and 2 < 1")), "step:b", "can never be shown");
    has(&problems(|j| j["steps"][1]["visible_if"] = json!("fritt == \"a\"")), "step:b", "asked on the same step");
    has(&problems(|j| field(j, 0, 2)["visible_if"] = json!("fritt == \"a\"")), "antal", "asked on a later step");
    has(&problems(|j| j["steps"][1]["fields"] = json!([])), "step:b", "no fields");
    // A field may depend on an earlier field of its own step.
    assert_eq!(problems(|j| field(j, 0, 2)["visible_if"] = json!("typ == \"x\"")), vec![]);
}

#[test]
fn choices_ids_and_settings() {
    has(&problems(|j| field(j, 0, 0)["options"] = json!([])), "typ", "no options");
    has(&problems(|j| field(j, 0, 0)["options"] = json!([{ "value": "x", "label": "X", "hidden": true }])), "typ", "no options");
    has(&problems(|j| field(j, 0, 0)["options"][1]["value"] = json!("x")), "typ", "two options have the value `x`");
    has(&problems(|j| field(j, 1, 0)["id"] = json!("typ")), "typ", "2 fields have this id");
    has(&problems(|j| field(j, 0, 3)["fields"][1]["id"] = json!("yta")), "rum.yta", "two fields of the group");
    has(&problems(|j| j["steps"][1]["id"] = json!("a")), "step:a", "two steps");
    has(&problems(|j| field(j, 1, 0)["id"] = json!("Fritt")), "Fritt", "a field id");
    has(&problems(|j| field(j, 1, 0)["id"] = json!("and")), "and", "a field id");
    has(&problems(|j| field(j, 1, 0)["options"] = json!([{ "value": "x", "label": "X" }])), "fritt", "only a choice");
    has(&problems(|j| field(j, 1, 0)["pattern"] = json!("(a")), "fritt", "no valid regular expression");
    has(&problems(|j| field(j, 1, 0)["pattern"] = json!("a{1000}{1000}{1000}")), "fritt", "too large");
    assert_eq!(problems(|j| field(j, 0, 2)["min"] = json!(5)), vec![]);
    has(
        &problems(|j| {
            field(j, 0, 2)["min"] = json!(5);
            field(j, 0, 2)["max"] = json!(1);
        }),
        "antal",
        "min is larger",
    );
    has(
        &problems(|j| {
            field(j, 0, 3)["fields"][0] =
                json!({ "id": "g", "kind": "group", "label": "G", "fields": [{ "id": "x", "kind": "text", "label": "X" }] })
        }),
        "rum.g",
        "inside a group",
    );
    has(&problems(|j| field(j, 0, 3)["fields"][0] = json!({ "id": "f", "kind": "file", "label": "F" })), "rum.f", "cannot repeat");
    has(&problems(|j| field(j, 0, 3)["max_rows"] = json!(500)), "rum", "at most 50 rows");
    has(&problems(|j| field(j, 1, 0)["kind"] = json!("computed")), "fritt", "needs `compute`");
    has(&problems(|j| field(j, 1, 0)["compute"] = json!("1")), "fritt", "only a computed field");
    has(&problems(|j| field(j, 1, 0)["prefill"] = json!("personnummer")), "fritt", "prefill fits only");
    has(&problems(|j| j["fee"] = json!({ "amount": 100, "expr": "1" })), "fee", "either an amount or an expression");
    has(&problems(|j| j["fee"] = json!({ "amount": -1 })), "fee", "0 to 10 000 000");
    has(&problems(|j| j["locks"] = json!({ "field:nope": "locked" })), "locks.field:nope", "does not exist");
    has(&problems(|j| j["eblomlada"] = json!(["EB17-6"])), "eblomlada", "no eBlomlåda indicator");
    has(&problems(|j| j["key"] = json!("Bygg lov")), "key", "the key");
    assert_eq!(problems(|j| j["locks"] = json!({ "field:rum.yta": "locked", "options:typ": "must_override", "fee": "locked" })), vec![]);
}

#[test]
fn parse_reports_serde_errors_and_lint_problems() {
    let Err(p) = parse("{ not json") else { panic!() };
    assert!(p[0].message.starts_with("not a valid definition"), "{p:?}");
    let mut j = base();
    j["steps"][0]["fields"][0]["colour"] = json!("red");
    let Err(p) = parse(&j.to_string()) else { panic!() };
    assert!(p[0].message.contains("unknown field `colour`"), "{p:?}");
    let mut j = base();
    j["steps"][0]["fields"][0]["kind"] = json!("javascript");
    assert!(parse(&j.to_string()).is_err());
    let mut j = base();
    j["steps"][0]["fields"][0]["options"] = json!([]);
    let Err(p) = parse(&j.to_string()) else { panic!() };
    assert_eq!(p, vec![LintProblem::at("typ", "the choice has no options")]);
    assert!(parse(&" ".repeat(MAX_DEFINITION_BYTES + 1)).is_err());
    assert!(parse(&base().to_string()).is_ok());
    // A text in a language the platform does not have is refused, not dropped.
    let mut j = base();
    j["title"] = json!({ "sv": "Prov", "fi": "Koe" });
    assert!(parse(&j.to_string()).is_err());
    // Texts may be plain strings (Swedish) or both languages.
    let def = parse(&base().to_string()).expect("parses");
    assert_eq!(def.title.get(radhus_kernel::Lang::En), "Prov");
}

#[test]
fn the_json_schema_describes_the_definition() {
    let s = json_schema();
    let text = s.to_string();
    for word in ["steps", "visible_if", "multi_choice", "fastighetsbeteckning", "must_override", "min_rows"] {
        assert!(text.contains(word), "{word} missing from the schema");
    }
    assert_eq!(s["title"], "Definition");
}
