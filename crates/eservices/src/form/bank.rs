//! The starter bank: the shared e-services shipped with the platform (`services/*.json`), each
//! mapped to the eBlomlåda indicator it fulfils. A test parses and lints every one.

use super::Definition;

/// The JSON of each shipped service, by file name.
const SERVICES: [(&str, &str); 12] = [
    ("bygglov.json", include_str!("../../services/bygglov.json")),
    ("ekonomiskt-bistand.json", include_str!("../../services/ekonomiskt-bistand.json")),
    ("felanmalan.json", include_str!("../../services/felanmalan.json")),
    ("foreningsbidrag.json", include_str!("../../services/foreningsbidrag.json")),
    ("forskoleplats.json", include_str!("../../services/forskoleplats.json")),
    ("gravningstillstand.json", include_str!("../../services/gravningstillstand.json")),
    ("kulturbidrag.json", include_str!("../../services/kulturbidrag.json")),
    ("livsmedelsregistrering.json", include_str!("../../services/livsmedelsregistrering.json")),
    ("miljofarlig-verksamhet.json", include_str!("../../services/miljofarlig-verksamhet.json")),
    ("nybyggnadskarta.json", include_str!("../../services/nybyggnadskarta.json")),
    ("parkeringstillstand.json", include_str!("../../services/parkeringstillstand.json")),
    ("serveringstillstand.json", include_str!("../../services/serveringstillstand.json")),
];

/// The shared services shipped with the platform, each lint-clean (the tests make sure).
pub fn starter_bank() -> Vec<Definition> {
    SERVICES
        .iter()
        .filter_map(|(name, json)| match super::parse(json) {
            Ok(def) => Some(def),
            Err(problems) => {
                tracing::error!(service = name, ?problems, "a shipped e-service does not lint");
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::{Answer, Answers, FileRef, Lock, check_all, fee, read_step, summary, visible_steps};
    use radhus_kernel::Lang;
    use time::macros::date;

    #[test]
    fn every_shipped_service_parses_and_lints() {
        for (name, json) in SERVICES {
            if let Err(problems) = super::super::parse(json) {
                panic!("{name}: {}", problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"));
            }
        }
        assert_eq!(starter_bank().len(), SERVICES.len());
    }

    #[test]
    fn the_twelve_services_of_the_issue_with_their_indicators_and_texts() {
        let want = [
            ("ekonomiskt-bistand", "EB17-08"),
            ("forskoleplats", "EB17-54"),
            ("serveringstillstand", "EB17-59"),
            ("livsmedelsregistrering", "EB17-60"),
            ("miljofarlig-verksamhet", "EB17-62"),
            ("bygglov", "EB17-64"),
            ("nybyggnadskarta", "EB17-65"),
            ("gravningstillstand", "EB17-66"),
            ("parkeringstillstand", "EB17-67"),
            ("kulturbidrag", "EB17-75"),
            ("foreningsbidrag", "EB17-78"),
            ("felanmalan", "EB17-85"),
        ];
        let bank = starter_bank();
        assert_eq!(bank.len(), want.len());
        for (key, code) in want {
            let def = bank.iter().find(|d| d.key == key).unwrap_or_else(|| panic!("{key} missing"));
            assert_eq!(def.eblomlada, vec![code.to_string()], "{key}");
            assert!(def.title.en.is_some() && def.summary.en.is_some(), "{key} has English title and summary");
            for (what, text) in [
                ("handling", &def.handling),
                ("personal data", &def.personal_data),
                ("legal basis", &def.legal_basis),
                ("retention", &def.retention),
            ] {
                assert!(text.as_ref().is_some_and(|t| t.sv.len() > 20), "{key}: {what}");
            }
            assert!(def.handling_days.is_some(), "{key}: handling time");
            assert!(!def.locks.is_empty(), "{key}: says what is locked");
            assert!(def.steps.len() >= 2, "{key}: a real form");
            assert!(def.steps.iter().flat_map(|s| &s.fields).any(|f| f.visible_if.is_some()), "{key}: has conditions");
        }
        // Only the services the municipalities charge for have a fee.
        let free: Vec<&str> = bank.iter().filter(|d| d.fee.is_none()).map(|d| d.key.as_str()).collect();
        assert_eq!(free, ["ekonomiskt-bistand", "felanmalan", "foreningsbidrag", "forskoleplats", "kulturbidrag", "parkeringstillstand"]);
        assert!(bank.iter().find(|d| d.key == "felanmalan").is_some_and(|d| d.anonymous_allowed));
        assert_eq!(bank.iter().find(|d| d.key == "bygglov").and_then(|d| d.locks.get("field:atgard")), Some(&Lock::Locked));
    }

    #[test]
    fn every_service_can_be_adopted_as_it_is_and_adapted() {
        use crate::form::{Overrides, apply};
        for def in starter_bank() {
            assert_eq!(apply(&def, &Overrides::default()).map(|d| d.key), Ok(def.key.clone()), "{} adopted without overrides", def.key);
        }
        // The example in docs/eservices-forms.md: a fee, a contact, FAQ items, options hidden,
        // renamed and added, a label.
        let o: Overrides = serde_json::from_value(serde_json::json!({
            "fee": { "amount": 2400 },
            "contact": "Bygglovsenheten, Karlstads kommun",
            "handling_days": 56,
            "faq": [{ "id": "arvika_1", "question": "Fråga?", "answer": "Svar." }],
            "hide_faq": ["attefall"],
            "fields": {
                "atgard": { "hide_options": ["skylt"], "rename_options": { "plank_mur": "Plank, mur eller staket" },
                            "add_options": [{ "value": "brygga", "label": "Bygga en brygga" }] },
                "fastighet_adress": { "label": "Adress", "help": "Gatuadress i kommunen" }
            }
        }))
        .expect("overrides");
        let b = apply(&service("bygglov"), &o).expect("the documented example applies");
        assert_eq!(fee(&b, &Answers::new()), Some(2400));
        // The shared service locks the measure's label and the property field.
        let locked: Overrides =
            serde_json::from_value(serde_json::json!({ "fields": { "atgard": { "label": "Vad?" } } })).expect("overrides");
        assert!(apply(&service("bygglov"), &locked).is_err());
    }

    #[test]
    fn definitions_round_trip_through_their_json() {
        use crate::form::{FieldOverride, Overrides, apply};
        for def in starter_bank() {
            let json = serde_json::to_string(&def).expect("serialises");
            assert_eq!(crate::form::parse(&json).as_ref(), Ok(&def), "{}", def.key);
        }
        // An effective definition with a hidden option reads back the same.
        let mut o = Overrides::default();
        o.fields.insert("kategori".into(), FieldOverride { hide_options: vec!["sno".into()], ..FieldOverride::default() });
        let d = apply(&service("felanmalan"), &o).expect("applies");
        let json = serde_json::to_string(&d).expect("serialises");
        assert!(json.contains(r#""hidden":true"#));
        assert_eq!(crate::form::parse(&json), Ok(d));
    }

    fn service(key: &str) -> Definition {
        starter_bank().into_iter().find(|d| d.key == key).expect("shipped")
    }

    fn answers(pairs: &[(&str, &str)]) -> Answers {
        pairs.iter().map(|(k, v)| (k.to_string(), Answer::One(v.to_string()))).collect()
    }

    #[test]
    fn fees_follow_the_answers() {
        let b = service("bygglov");
        assert_eq!(fee(&b, &answers(&[("atgard", "nybyggnad"), ("bruttoarea", "140")])), Some(26_400));
        assert_eq!(fee(&b, &answers(&[("atgard", "tillbyggnad"), ("bruttoarea", "25,5")])), Some(10_275));
        assert_eq!(fee(&b, &answers(&[("atgard", "komplementbyggnad"), ("bruttoarea", "30")])), Some(6_500));
        assert_eq!(fee(&b, &answers(&[("atgard", "skylt")])), Some(3_900));
        // The area is only read while its field is shown.
        assert_eq!(fee(&b, &answers(&[("atgard", "fasadandring"), ("bruttoarea", "900")])), Some(5_200));
        let s = service("serveringstillstand");
        assert_eq!(fee(&s, &answers(&[("tillstand", "stadigvarande_allmanhet"), ("kunskapsprov", "nej")])), Some(13_000));
        assert_eq!(fee(&s, &answers(&[("tillstand", "stadigvarande_allmanhet"), ("kunskapsprov", "ja")])), Some(11_500));
        assert_eq!(fee(&s, &answers(&[("tillstand", "tillfalligt_slutet"), ("kunskapsprov", "nej")])), Some(900));
        let g = service("gravningstillstand");
        assert_eq!(fee(&g, &answers(&[("langd", "40")])), Some(2_500));
        assert_eq!(fee(&g, &answers(&[("langd", "120")])), Some(3_900));
        let k = service("nybyggnadskarta");
        assert_eq!(fee(&k, &answers(&[("karttyp", "fullstandig"), ("format", "dwg")])), Some(10_100));
        assert_eq!(fee(&service("livsmedelsregistrering"), &Answers::new()), Some(1_500));
        assert_eq!(fee(&service("ekonomiskt-bistand"), &Answers::new()), None);
    }

    fn file(name: &str) -> Answer {
        Answer::File(FileRef { blob: uuid::Uuid::nil(), name: name.into(), mime: "application/pdf".into(), size: 1000 })
    }

    fn step(def: &Definition, a: &mut Answers, id: &str, pairs: &[(&str, &str)]) {
        let i = def.steps.iter().position(|s| s.id == id).expect("a step");
        let p: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        read_step(def, i, &p, a);
    }

    #[test]
    fn a_bygglov_application_from_start_to_review() {
        let d = service("bygglov");
        let today = date!(2026 - 12 - 06);
        let mut a = crate::form::prefill(
            &d,
            &crate::form::Prefill {
                pnr: "19811218-9876".into(),
                name: "Astrid Lindqvist".into(),
                address: Some(crate::form::PostalAddress {
                    street: "Storgatan 1".into(),
                    postcode: "652 24".into(),
                    city: "Karlstad".into(),
                }),
            },
        );
        assert_eq!(a.get("namn"), Some(&Answer::One("Astrid Lindqvist".into())));
        step(
            &d,
            &mut a,
            "sokande",
            &[
                ("sokande_typ", "privatperson"),
                ("namn", "Astrid Lindqvist"),
                ("personnummer", "19811218-9876"),
                ("adress", "Storgatan 1\r\n652 24 Karlstad"),
                ("epost", "astrid@example.se"),
            ],
        );
        step(&d, &mut a, "fastighet_steg", &[("fastighet", "Karlstad Sandbäcken 1:23"), ("agare", "ja")]);
        step(
            &d,
            &mut a,
            "atgard_steg",
            &[
                ("atgard", "nybyggnad"),
                ("bruttoarea", "140"),
                ("beskrivning", "Ett enplanshus i trä, falu rödfärg."),
                ("kontrollansvarig", "Kim KA"),
            ],
        );
        a.insert("situationsplan".into(), file("situationsplan.pdf"));
        a.insert("fasadritning".into(), file("fasad.pdf"));
        step(&d, &mut a, "avgift_steg", &[("intygar", "true")]);
        assert_eq!(check_all(&d, &a, today), vec![]);
        assert_eq!(visible_steps(&d, &a), vec![0, 1, 2, 3, 4]);
        assert_eq!(fee(&d, &a), Some(26_400));
        let rows = summary(&d, &a, Lang::Sv);
        let value = |label: &str| rows.iter().find(|r| r.label == label).map(|r| r.value.clone());
        assert_eq!(value("Åtgärd").as_deref(), Some("Bygga ett nytt en- eller tvåbostadshus"));
        assert_eq!(value("Beräknad avgift i kronor").as_deref(), Some("26 400"));
        assert_eq!(value("Postadress").as_deref(), Some("Storgatan 1, 652 24 Karlstad"));
        assert!(rows.iter().all(|r| r.label != "Organisationsnummer"), "hidden fields are not summarised");
        // Without the owner's consent when someone else owns the property.
        step(&d, &mut a, "fastighet_steg", &[("fastighet", "Karlstad Sandbäcken 1:23"), ("agare", "nej")]);
        let errs: Vec<String> = check_all(&d, &a, today).into_iter().map(|(_, e)| format!("{}={}", e.field, e.message)).collect();
        assert_eq!(errs, ["agare_namn=es-field-required", "medgivande=es-field-file"]);
        // The owner's consent is dropped once the citizen says they own the property after all.
        a.insert("medgivande".into(), file("medgivande.pdf"));
        step(&d, &mut a, "fastighet_steg", &[("fastighet", "Karlstad Sandbäcken 1:23"), ("agare", "ja")]);
        assert!(!a.contains_key("medgivande"));
        assert_eq!(check_all(&d, &a, today), vec![]);
    }
}
