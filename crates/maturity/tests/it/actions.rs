//! Planned actions become cases in case management, once each, by the lead who may register.

use radhus_maturity::service::{self, AnswerInput};
use radhus_platform::identity::org::UnitKind;

#[tokio::test]
async fn a_planned_action_becomes_a_case_once() {
    let app = super::app().await;
    let (t, s, email) = super::setup(&app, "kil", "1715").await;
    let klf = app.unit(t, "Kommunledningsförvaltningen", UnitKind::Forvaltning, None).await;
    app.unit(t, "IT-enheten", UnitKind::Avdelning, Some(klf)).await;
    let reg = radhus_cases::service::create_registry(&app.db, &s, "KS", "Kommunstyrelsen", "", app.now()).await.expect("registry");
    let ct = radhus_cases::service::create_case_type(&app.db, &s, "Utvecklingsuppdrag", reg, None, 90, app.now()).await.expect("type");
    let id = service::start(&app.db, &s, 2026, Some("2017"), app.now()).await.expect("start");
    let cat = radhus_maturity::domain::parse_catalogue("2017", "x", include_str!("../../../../data/eblomlada-2017.csv")).expect("cat");
    let first = cat.indicators.iter().find(|i| i.area_key == "teknik").expect("an indicator");
    let input = AnswerInput {
        indicator_id: first.id.clone(),
        level: "1".into(),
        responsible_unit: "it-enheten".into(),
        planned_action: "Inför e-legitimation för alla medarbetare".into(),
        action_owner: "IT-chefen".into(),
        ..Default::default()
    };
    service::save_area(&app.db, &s, id, "teknik", &[input], app.now()).await.expect("answer");

    let mut c = app.login("kil", &email).await;
    let plan = c.get(&format!("/admin/eblomlada/{id}/atgardsplan")).await;
    assert!(plan.body.contains("Gör till ärende") && plan.body.contains("Utvecklingsuppdrag"), "{}", plan.body);
    let path = format!("/admin/eblomlada/{id}/atgardsplan/arende");
    let ct_s = ct.to_string();
    let r = c.post_form(&path, &[("indicator", &first.id), ("case_type_id", "inte-ett-id")]).await;
    assert_eq!(r.status, 422);
    let id_of = format!("ct-{}", first.id);
    super::assert_at_field(&r.body, &id_of, "Ärendetyp för åtgärden: ", "Välj en ärendetyp.");
    let r = c.post_form(&path, &[("indicator", "finns-inte"), ("case_type_id", &ct_s)]).await;
    assert_eq!(r.status, 404, "an indicator without a planned action");
    let r = c.post_form(&path, &[("indicator", &first.id), ("case_type_id", &ct_s)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let plan = c.get(&format!("/admin/eblomlada/{id}/atgardsplan")).await;
    assert!(plan.body.contains(">KS 2026/1</a>"), "the plan links the case");
    let case = plan.body.split("/admin/arenden/").nth(1).and_then(|x| x.split('"').next()).expect("case link").to_string();
    let page = c.get(&format!("/admin/arenden/{case}")).await;
    assert!(page.body.contains("eBlomlåda 2026, indikator") && page.body.contains("Inför e-legitimation"), "{}", page.body);
    assert!(page.body.contains("IT-enheten"), "the responsible unit found by its name");
    let r = c.post_form(&path, &[("indicator", &first.id), ("case_type_id", &ct_s)]).await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("redan ett ärende"));

    // A respondent (not the lead) cannot; nor can a lead without the right to register cases.
    let lead_only = app.role(t, "Digitaliseringsansvarig", &[service::LEAD]).await;
    app.user(t, "lead@kil.se", "Lea Lind", None, Some((lead_only, None))).await;
    let lead = app.staff(t, "lead@kil.se").await;
    let second = cat.indicators.iter().filter(|i| i.area_key == "teknik").nth(1).expect("another");
    let input = AnswerInput { indicator_id: second.id.clone(), level: "2".into(), planned_action: "Bredband".into(), ..Default::default() };
    service::save_area(&app.db, &s, id, "teknik", &[input], app.now()).await.expect("answer");
    let err = service::action_to_case(&app.db, &lead, id, &second.id, ct, app.now()).await.expect_err("no cases.register");
    assert_eq!(err.code().code, "AUTH-007");
    let mut l = app.login("kil", "lead@kil.se").await;
    assert!(!l.get(&format!("/admin/eblomlada/{id}/atgardsplan")).await.body.contains("Gör till ärende"));
}
