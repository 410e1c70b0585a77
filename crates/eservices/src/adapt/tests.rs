use super::*;
use serde_json::json;

fn shared() -> Definition {
    serde_json::from_value(json!({
        "key": "delad", "version": 1, "title": "Delad", "summary": "En delad tjänst",
        "fee": { "amount": 1000 }, "contact": "Kontaktcenter", "handling_days": 30,
        "faq": [{ "id": "q1", "question": "Fråga?", "answer": "Svar." }],
        "locks": { "title": "locked", "field:namn": "locked" },
        "steps": [{ "id": "a", "title": "A", "fields": [
            { "id": "typ", "kind": "choice", "label": "Typ", "options": [
                { "value": "a", "label": "A" }, { "value": "b", "label": "B" } ] },
            { "id": "namn", "kind": "text", "label": "Namn" },
            { "id": "rader", "kind": "group", "label": "Rader", "fields": [
                { "id": "sort", "kind": "choice", "label": "Sort", "options": [{ "value": "x", "label": "X" }] } ] }
        ]}]
    }))
    .expect("a definition")
}

fn posted(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn names(p: &[Problem]) -> Vec<(String, &'static str)> {
    p.iter().map(|p| (p.name.clone(), p.message)).collect()
}

#[test]
fn the_page_reads_back_what_it_was_filled_with() {
    let def = shared();
    let (o, problems) = read(
        &def,
        &posted(&[
            ("_csrf", "x"),
            ("contact/sv", "Bygglovsenheten"),
            ("contact/en", "The building permit unit"),
            ("handling_days", "21"),
            ("fee_amount", "1 500 kr"),
            ("fee_note/sv", "Enligt taxan"),
            ("hide_faq:q1", "1"),
            ("faq_q:0/sv", "Egen fråga?"),
            ("faq_a:0/sv", "Eget svar."),
            ("faq_q:1/sv", ""),
            ("label:typ/sv", "Slag"),
            ("help:typ/sv", "Välj ett"),
            ("hide:typ:b", "1"),
            ("rename:typ:a/sv", "Alfa"),
            ("add_value:typ:0", "c"),
            ("add_label:typ:0/sv", "Gamma"),
            ("add_value:rader.sort:0", "y"),
            ("add_label:rader.sort:0/sv", "Y"),
        ]),
    );
    assert_eq!(problems, vec![]);
    assert_eq!(o.contact, Some(Text { sv: "Bygglovsenheten".into(), en: Some("The building permit unit".into()) }));
    assert_eq!(o.handling_days, Some(21));
    assert_eq!(o.fee, Some(Fee { amount: Some(1500), expr: None, note: Some(Text::sv("Enligt taxan")) }));
    assert_eq!(o.hide_faq, ["q1"]);
    assert_eq!(o.faq, [Faq { id: "egen_1".into(), question: Text::sv("Egen fråga?"), answer: Text::sv("Eget svar.") }]);
    let typ = &o.fields["typ"];
    assert_eq!(typ.label, Some(Text::sv("Slag")));
    assert_eq!(typ.hide_options, ["b"]);
    assert_eq!(typ.rename_options["a"], Text::sv("Alfa"));
    assert_eq!(typ.add_options, [ChoiceOption::new("c", "Gamma")]);
    assert_eq!(o.fields["rader.sort"].add_options, [ChoiceOption::new("y", "Y")]);
    assert!(form::apply(&def, &o).is_ok());
    // Written back into the page's inputs and read again: the same overrides.
    let again: Vec<(String, String)> = values_of(&o).into_iter().collect();
    assert_eq!(read(&def, &again), (o, vec![]));
}

#[test]
fn bad_input_is_named_at_its_input() {
    let def = shared();
    let long = "x".repeat(SHORT + 1);
    let (_, p) = read(
        &def,
        &posted(&[
            ("title/sv", "Egen titel"),
            ("label:namn/sv", "Ditt namn"),
            ("contact/sv", &long),
            ("summary/en", "Only English"),
            ("handling_days", "-3"),
            ("fee_amount", "12,50"),
            ("add_value:typ:0", "a"),
            ("add_label:typ:0/sv", "A igen"),
            ("add_value:typ:1", "d"),
            ("faq_q:0/sv", "Fråga utan svar?"),
        ]),
    );
    assert_eq!(
        names(&p),
        [
            ("title/sv".to_string(), "es-adapt-err-locked"),
            ("summary/sv".into(), "es-adapt-err-sv"),
            ("contact/sv".into(), "es-adapt-err-too-long"),
            ("handling_days".into(), "es-adapt-err-days"),
            ("fee_amount".into(), "es-adapt-err-amount"),
            // The answer is what is missing.
            ("faq_a:0/sv".into(), "es-adapt-err-faq"),
            ("add_value:typ:0".into(), "es-adapt-err-option-value"),
            ("add_label:typ:1/sv".into(), "es-adapt-err-option-label"),
            ("label:namn/sv".into(), "es-adapt-err-locked"),
        ]
    );
    // Inputs the page never offered (a field or an option that does not exist, a tampered
    // name) are refused for the form as a whole.
    for name in ["label:finns_inte/sv", "hide:typ:zz", "add_value:namn:0", "faq_q:99/sv"] {
        let (_, p) = read(&def, &posted(&[(name, "1")]));
        assert_eq!(names(&p), [(FORM.to_string(), "es-adapt-err-unknown")], "{name}");
    }
    // Both a fixed and a computed fee.
    let (_, p) = read(&def, &posted(&[("fee_amount", "10"), ("fee_expr", "5 * 2")]));
    assert_eq!(names(&p), [("fee_amount".to_string(), "es-adapt-err-fee")]);
    // A posted FAQ id that is not an id, or a shared one's.
    let (_, p) = read(&def, &posted(&[("faq_id:0", "q1"), ("faq_q:0/sv", "F?"), ("faq_a:0/sv", "S.")]));
    assert_eq!(names(&p), [("faq_q:0/sv".to_string(), "es-adapt-err-unknown")]);
}

#[test]
fn what_apply_refuses_is_shown_at_the_part() {
    let def = shared();
    let (o, p) = read(&def, &posted(&[("hide:typ:a", "1"), ("hide:typ:b", "1"), ("fee_expr", "okand * 2")]));
    assert_eq!(p, vec![]);
    let problems = apply_problems(&def, &form::apply(&def, &o).expect_err("refused"));
    let at: BTreeSet<String> = problems.iter().map(|p| p.name.clone()).collect();
    assert!(at.contains("options:typ") && at.contains("fee_amount"), "{problems:?}");
    assert_eq!(name_of_part(&def, Some("field:rader.sort")), "label:rader.sort/sv");
    assert_eq!(name_of_part(&def, Some("rader.sort")), "options:rader.sort");
    assert_eq!(name_of_part(&def, Some("faq:q1")), "hide_faq:q1");
    assert_eq!(name_of_part(&def, None), FORM);
}

#[test]
fn taking_theirs_drops_only_that_part() {
    let def = shared();
    let (mut o, _) = read(
        &def,
        &posted(&[("fee_amount", "1500"), ("label:typ/sv", "Slag"), ("hide:typ:b", "1"), ("faq_q:0/sv", "F?"), ("faq_a:0/sv", "S.")]),
    );
    take_theirs(&mut o, "field:typ");
    assert_eq!(o.fields["typ"].label, None);
    assert_eq!(o.fields["typ"].hide_options, ["b"]);
    take_theirs(&mut o, "options:typ");
    assert!(o.fields.is_empty());
    take_theirs(&mut o, "faq");
    assert!(o.faq.is_empty());
    assert_eq!(o.touched(), ["fee"]);
    assert_eq!(describe(&def, "fee"), [("es-describe-amount", "1000 kr".to_string())]);
    assert_eq!(describe(&def, "options:typ").len(), 2);
    assert_eq!(part_name(&def, "options:rader.sort"), ("es-part-options".into(), "Sort".into()));
    assert_eq!(part_name(&def, "handling_days"), ("es-part-handling-days".into(), String::new()));
}

#[test]
fn anchors_are_ids() {
    assert_eq!(anchor("label:typ/sv"), "a-label-3atyp-2fsv");
    assert_ne!(anchor("hide:a:b c"), anchor("hide:a:b-c"));
}

#[test]
fn every_message_is_in_both_languages() {
    for ftl in [include_str!("../../locales/sv.ftl"), include_str!("../../locales/en.ftl")] {
        for id in MESSAGES.iter().chain(&["es-part-field", "es-part-options", "es-part-handling-days", "es-describe-option-hidden"]) {
            assert!(ftl.lines().any(|l| l.starts_with(&format!("{id} ="))), "{id}");
        }
    }
}
