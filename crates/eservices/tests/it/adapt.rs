//! Structured editing of a municipality's overrides and the side-by-side decision on a new
//! shared version (crate::adapt, crate::web::adapt), through the pages.

use radhus_eservices::{catalogue, store};
use radhus_kernel::ids::TenantId;
use radhus_platform::db::Scope;
use radhus_testkit::{Client, TestApp};

use super::{DEFINITION, app, municipality, publish};

const ADAPT: &str = "/admin/e-tjanster/tjanst/provtjanst/anpassa";
const VERSION: &str = "/admin/e-tjanster/tjanst/provtjanst/ny-version";

async fn adoption(app: &TestApp, t: TenantId) -> (store::Adoption, serde_json::Value) {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let a = store::adoption(&mut tx, t, "provtjanst").await.expect("adoption").expect("adopted");
    let def = store::revision_definition(&mut tx, t, "provtjanst", a.revision).await.expect("revision").expect("exists");
    tx.commit().await.expect("commit");
    (a, serde_json::from_str(&def).expect("json"))
}

async fn post(c: &mut Client, to: &str, pairs: &[(&str, &str)]) -> radhus_testkit::client::Response {
    c.post_form(to, pairs).await
}

#[tokio::test]
async fn an_administrator_adapts_texts_options_faq_and_fee_without_json() {
    let app = app().await;
    publish(&app).await;
    let (kil, mut admin, _) = municipality(&app, "kil", "Kil", "1715").await;
    let page = admin.get(ADAPT).await;
    assert_eq!(page.status, 200, "{}", page.body);
    for want in ["Anpassa: Ansökan om provtillstånd", "Visa inte ”Typ B”", "name=\"label:namn/sv\"", "name=\"fee_amount\""] {
        assert!(page.body.contains(want), "{want}: {}", page.body);
    }
    let (before, _) = adoption(&app, kil).await;
    let r = post(
        &mut admin,
        ADAPT,
        &[
            ("label:namn/sv", "Ditt fullständiga namn"),
            ("help:namn/sv", "Som i passet"),
            ("hide:typ:b", "1"),
            ("rename:typ:a/sv", "Vanlig typ"),
            ("add_value:typ:0", "c"),
            ("add_label:typ:0/sv", "Typ C, bara i Kil"),
            ("faq_q:0/sv", "Hur lång tid tar det?"),
            ("faq_a:0/sv", "Oftast två veckor."),
            ("handling_days", "21"),
            ("fee_amount", "1 500"),
            ("contact/sv", "Samhällsbyggnad Kil, 0554-190 00"),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let (a, def) = adoption(&app, kil).await;
    assert_eq!(a.revision, before.revision + 1);
    let o: serde_json::Value = serde_json::from_str(&a.overrides).expect("json");
    assert_eq!(o["fee"]["amount"], 1500);
    assert_eq!(o["fields"]["typ"]["hide_options"], serde_json::json!(["b"]));
    assert_eq!(o["faq"][0]["id"], "egen_1");
    assert_eq!(def["steps"][0]["fields"][0]["label"]["sv"], "Ditt fullständiga namn");
    assert_eq!(def["handling_days"], 21);
    assert_eq!(def["contact"]["sv"], "Samhällsbyggnad Kil, 0554-190 00");
    // The page shows what was saved; the citizen's start page the new fee and FAQ.
    let page = admin.get(&format!("{ADAPT}?sparat=1")).await;
    assert!(page.body.contains("Anpassningarna är sparade") && page.body.contains("value=\"Typ C, bara i Kil\""), "{}", page.body);
    let mut c = app.client("kil.localhost");
    assert_eq!(c.post_form("/e-legitimation/test", &[("person", super::ASTRID)]).await.status, 303);
    let start = c.get("/e-tjanster/provtjanst").await;
    assert!(start.body.contains("1500 kr") && start.body.contains("Hur lång tid tar det?"), "{}", start.body);
    // The JSON page still shows (exports) the overrides.
    let json = admin.get("/admin/e-tjanster/tjanst/provtjanst").await;
    assert!(json.body.contains("Typ C, bara i Kil") && json.body.contains("/anpassa"), "{}", json.body);
}

#[tokio::test]
async fn bad_input_is_refused_at_its_input_and_nothing_is_written() {
    let app = app().await;
    publish(&app).await;
    let (kil, mut admin, _) = municipality(&app, "kil", "Kil", "1715").await;
    let (before, _) = adoption(&app, kil).await;
    let long = "x".repeat(201);
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        // An over-long text, at its input.
        (vec![("label:namn/sv", long.as_str())], "href=\"#a-label-3anamn-2fsv\""),
        // Every option hidden: a choice without options.
        (vec![("hide:typ:a", "1"), ("hide:typ:b", "1")], "href=\"#a-options-3atyp\""),
        // A tampered name: a field or option the service does not have.
        (vec![("label:finns_inte/sv", "X")], "href=\"#a-form\""),
        (vec![("hide:typ:zz", "1")], "href=\"#a-form\""),
        // An added option whose value exists, and one without a label.
        (vec![("add_value:typ:0", "a"), ("add_label:typ:0/sv", "A igen")], "href=\"#a-add_value-3atyp-3a0\""),
        (vec![("add_value:typ:0", "c")], "href=\"#a-add_label-3atyp-3a0-2fsv\""),
        // A fee that is not whole kronor, and an expression naming no field.
        (vec![("fee_amount", "12,50")], "href=\"#a-fee_amount\""),
        (vec![("fee_expr", "okand * 2")], "href=\"#a-fee_amount\""),
        (vec![("handling_days", "<script>")], "href=\"#a-handling_days\""),
    ];
    for (pairs, want) in cases {
        let r = post(&mut admin, ADAPT, &pairs).await;
        assert_eq!(r.status, 422, "{pairs:?}: {}", r.body);
        assert!(r.body.contains(want) && r.body.contains("Det finns problem"), "{pairs:?} {want}: {}", r.body);
        assert!(!r.body.contains("<script>"), "escaped");
    }
    let (after, _) = adoption(&app, kil).await;
    assert_eq!((after.revision, after.overrides), (before.revision, before.overrides));
    // Another municipality's service that this one has not adopted: not found.
    let r = admin.get("/admin/e-tjanster/tjanst/finns-inte/anpassa").await;
    assert_eq!(r.status, 404);
}

/// The shared service's version 2: a new fee, a new label of `namn`, a new option of `typ`.
fn version_2() -> String {
    DEFINITION
        .replace(r#""version": 1"#, r#""version": 2"#)
        .replace(r#""fee": { "amount": 1000 }"#, r#""fee": { "amount": 1200 }"#)
        .replace(r#""label": "Namn""#, r#""label": "För- och efternamn""#)
        .replace(r#"{ "value": "b", "label": "Typ B" } ]"#, r#"{ "value": "b", "label": "Typ B" }, { "value": "d", "label": "Typ D" } ]"#)
}

#[tokio::test]
async fn a_new_shared_version_under_an_override_waits_for_the_administrators_decision() {
    let app = app().await;
    publish(&app).await;
    let (kil, mut admin, ct) = municipality(&app, "kil", "Kil", "1715").await;
    let (hagfors, mut other, _) = municipality(&app, "hagfors", "Hagfors", "1783").await;
    let r = post(&mut admin, ADAPT, &[("fee_amount", "1500"), ("label:namn/sv", "Ditt namn"), ("contact/sv", "Kil")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = post(&mut other, ADAPT, &[("contact/sv", "Hagfors")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut op = app.operator("drift2@radhus.se").await;
    assert_eq!(op.post_form("/admin/e-tjanster/delade", &[("definition", &version_2())]).await.status, 303);

    // Saving again in Hagfors (nothing it overrides changed) takes version 2 in.
    assert_eq!(post(&mut other, ADAPT, &[("contact/sv", "Hagfors kommun")]).await.status, 303);
    let (a, def) = adoption(&app, hagfors).await;
    assert_eq!((a.shared_version, def["fee"]["amount"].as_i64()), (2, Some(1200)));

    // Kil: saving (structured or as JSON) keeps version 1 until Kil decides.
    assert_eq!(post(&mut admin, ADAPT, &[("fee_amount", "1600"), ("label:namn/sv", "Ditt namn"), ("contact/sv", "Kil")]).await.status, 303);
    let ct = ct.to_string();
    let (a, _) = adoption(&app, kil).await;
    let fields = [
        ("case_type", ct.as_str()),
        ("public_title", "Ansökan"),
        ("secrecy_ground", ""),
        ("status", "published"),
        ("overrides", a.overrides.as_str()),
    ];
    assert_eq!(admin.post_form("/admin/e-tjanster/tjanst/provtjanst", &fields).await.status, 303);
    let (a, def) = adoption(&app, kil).await;
    assert_eq!((a.shared_version, def["fee"]["amount"].as_i64()), (1, Some(1600)));
    assert!(admin.get("/admin/e-tjanster").await.body.contains("/admin/e-tjanster/tjanst/provtjanst/ny-version"));

    // Side by side: the shared old and new, and Kil's own, per part it overrides.
    let page = admin.get(VERSION).await;
    assert_eq!(page.status, 200, "{}", page.body);
    for want in ["1000 kr", "1200 kr", "1600 kr", "För- och efternamn", "Ditt namn", "name=\"decide:fee\"", "name=\"decide:field:namn\""] {
        assert!(page.body.contains(want), "{want}: {}", page.body);
    }
    assert!(!page.body.contains("decide:contact"), "the contact did not change upstream");
    // No decision, or a tampered one: refused at the part, nothing moves.
    let r = post(&mut admin, VERSION, &[("decide:fee", "keep")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("href=\"#a-decide-3afield-3anamn\""), "{}", r.body);
    let r = post(&mut admin, VERSION, &[("decide:fee", "keep"), ("decide:field:namn", "take"), ("decide:title", "take")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(adoption(&app, kil).await.0.shared_version, 1);
    // Keep our fee, take their label: version 2 with Kil's fee and the shared label.
    let r = post(&mut admin, VERSION, &[("decide:fee", "keep"), ("decide:field:namn", "take")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let (a, def) = adoption(&app, kil).await;
    assert_eq!(a.shared_version, 2);
    assert_eq!(def["fee"]["amount"], 1600);
    assert_eq!(def["steps"][0]["fields"][0]["label"]["sv"], "För- och efternamn");
    assert_eq!(def["steps"][0]["fields"][2]["options"].as_array().map(Vec::len), Some(3), "the new option reached Kil");
    let o: serde_json::Value = serde_json::from_str(&a.overrides).expect("json");
    assert!(o.get("fields").is_none(), "{o}");
    // Nothing left to decide: the page goes to the structured editor.
    assert_eq!(admin.get(VERSION).await.status, 303);
    let _ = catalogue::CATEGORIES;
}
