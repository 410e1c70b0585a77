//! The demo data loads, twice without harm, and its logins work.

use radhus::demo;
use radhus_platform::db::Scope;
use radhus_platform::on_tx;
use radhus_platform::tenancy;
use radhus_testkit::TestApp;

#[tokio::test]
async fn demo_data_seeds_all_municipalities_once() {
    let app = TestApp::with_modules(radhus::modules, |_| {}).await;
    demo::seed(&app.db, app.now()).await.expect("seed");
    demo::seed(&app.db, app.now()).await.expect("seed again");
    let mut tx = app.db.read(Scope::Platform).await.expect("tx");
    let list = tenancy::list(&mut tx).await.expect("list");
    tx.commit().await.expect("commit");
    assert_eq!(list.len(), 16);
    let karlstad = list.iter().find(|t| t.slug == "karlstad").expect("karlstad");
    assert_eq!(karlstad.kommunkod, "1780");
    assert_eq!(karlstad.hosts, vec!["karlstad.localhost".to_string()]);

    let mut c = app.client("karlstad.localhost");
    let r = c.post_form("/logga-in", &[("email", "admin@karlstad.se"), ("password", demo::DEMO_PASSWORD)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let users = c.get("/admin/anvandare").await;
    assert!(users.body.contains("Omar Said") && users.body.contains("Sara Ek"));
    let mut sara = app.client("karlstad.localhost");
    sara.post_form("/logga-in", &[("email", "sara.ek@karlstad.se"), ("password", demo::DEMO_PASSWORD)]).await;
    let users = sara.get("/admin/anvandare").await;
    assert!(users.body.contains("Omar Said") && !users.body.contains("Per Andersson"), "Sara administers Stadsbyggnad only");
    let mut op = app.client("localhost");
    let r = op.post_form("/logga-in", &[("email", "drift@radhus.localhost"), ("password", demo::DEMO_PASSWORD)]).await;
    assert_eq!(r.status, 303);
    assert!(op.get("/admin").await.body.contains("Säffle"));
    // Karlstad has a year of cases; the caseworker sees his own, the public diary masks secrets.
    // 300 of the year, Astrid Lindqvist's uterum (seed_citizen_story) and the meetings demo's cases.
    let json = c.get("/api/v1/cases").await.json();
    assert_eq!(json["total"], 301 + radhus::demo_meetings::CASES);
    // Nämndsadministration: KS's adjusted minutes are on Karlstad's notice board.
    let board = app.client("karlstad.localhost").get("/anslagstavla").await;
    assert!(board.body.contains("Kommunstyrelsen") && board.body.contains("KS §§ 1–6"), "{}", board.body);
    let mut omar = app.client("karlstad.localhost");
    omar.post_form("/logga-in", &[("email", "omar.said@karlstad.se"), ("password", demo::DEMO_PASSWORD)]).await;
    let mine = omar.get("/admin/arenden").await;
    assert!(mine.body.contains("Bygglov") || mine.body.contains("Strandskydd"), "{}", mine.body);
    let diary = app.client("karlstad.localhost").get("/diarium?q=bygglovet").await;
    assert!(diary.body.contains("Bygglov för"));
    // The demo's secret records (a medical certificate in supervision cases, title and
    // correspondent secret) exist, and the public diary shows neither their title nor their
    // sender: not by search, not in the API, not on the case's page, where the record stands
    // as "[Sekretess]" with its legal ground.
    let mut tx = app.db.read(Scope::Tenant(karlstad.id)).await.expect("tx");
    let secret: Vec<(uuid::Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT case_id FROM record WHERE tenant_id = $1 AND title = 'Läkarintyg om fastighetsägarens hälsa' AND secrecy_ground <> ''"
    ).bind(karlstad.id.0).fetch_all(c).await.expect("secret records"));
    tx.commit().await.expect("commit");
    assert!(!secret.is_empty(), "the demo seeds secret records in Karlstad");
    let mut visitor = app.client("karlstad.localhost");
    for q in ["läkarintyg", "fastighetsägarens", "vårdcentralen", "lindqvist"] {
        let page = visitor.get(&format!("/diarium?q={q}")).await;
        assert!(page.status == 200 && page.body.contains("Inga ärenden hittades"), "{q}: {}", page.body);
        assert_eq!(visitor.get(&format!("/api/v1/diarium?q={q}")).await.json()["total"], 0, "{q}");
    }
    for (case,) in secret.iter().take(3) {
        let page = visitor.get(&format!("/diarium/arende/{case}")).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("[Sekretess]") && page.body.contains("OSL 25 kap. 1 §"), "{}", page.body);
        assert!(!page.body.contains("Läkarintyg") && !page.body.contains("Vårdcentralen"), "{}", page.body);
    }
    // Astrid Lindqvist, a private person, applied for an uterum: her case is public, her name is not.
    let uterum = visitor.get("/api/v1/diarium?q=Rudsv%C3%A4gen").await.json();
    assert_eq!(uterum["total"], 1, "{uterum}");
    let page = visitor.get(&format!("/diarium/arende/{}", uterum["cases"][0]["id"].as_str().expect("id"))).await;
    assert!(page.body.contains("[Privatperson]") && !page.body.contains("Lindqvist"), "{}", page.body);
    // eBlomlåda: 2016-2018 for all 16, 12 of them published (so the benchmark, made of published
    // answers only, is shown), this year's draft for Karlstad's digitalisation lead with two
    // areas left, one of them handed to a respondent.
    let bench = app.client("karlstad.localhost").get("/api/v1/maturity/benchmark?year=2018").await.json();
    assert_eq!((bench["participants"].as_u64(), bench["published"].as_bool()), (Some(12), Some(true)));
    let mut aisha = app.client("karlstad.localhost");
    aisha.post_form("/logga-in", &[("email", "aisha.noor@karlstad.se"), ("password", demo::DEMO_PASSWORD)]).await;
    let list = aisha.get("/admin/eblomlada").await;
    for year in ["2016", "2017", "2018", &app.now().year().to_string()] {
        assert!(list.body.contains(&format!(">{year}</a>")), "{year}");
    }
    assert!(list.body.contains("77 / 88"), "the draft has two areas left");
    let public = app.client("karlstad.localhost").get("/eblomlada").await;
    assert!(public.body.contains("Plats ") && public.body.contains("av 264"));
    let report = radhus_platform::audit::verify(&app.db).await.expect("verify");
    assert!(report.broken.is_empty() && report.chains == 17);
}
