//! The benchmark across municipalities: published from five participants, known shares,
//! averages and positions.

use radhus_maturity::domain::Level;

#[tokio::test]
async fn benchmark_from_five_municipalities_with_known_answers() {
    let app = super::app().await;
    let codes = [("kil", "1715"), ("eda", "1730"), ("torsby", "1737"), ("storfors", "1760"), ("hammaro", "1761")];
    let mut staff = vec![];
    for (slug, code) in codes {
        staff.push(super::setup(&app, slug, code).await);
    }
    // Four municipalities answer everything fully met.
    for (_, s, _) in &staff[..4] {
        super::submitted(&app, s, 2018, |_| Level::Met).await;
    }
    let (_, last, email) = &staff[4];
    let id = radhus_maturity::service::start(&app.db, last, 2018, Some("2017"), app.now()).await.expect("start");
    super::answer_all(&app, last, id, |_| Level::NotMet).await;
    let mut c = app.login("hammaro", email).await;
    let before = c.get(&format!("/admin/eblomlada/{id}/resultat")).await;
    assert!(before.body.contains("Bara 4 kommuner har lämnat in"), "a draft is not counted");
    let api = app.client("kil.localhost").get("/api/v1/maturity/benchmark?year=2018").await.json();
    assert_eq!(api["published"], false);
    assert_eq!(api["participants"], 4);
    assert_eq!(api["indicators"], serde_json::json!([]), "no figures below five");
    assert_eq!(c.post_form(&format!("/admin/eblomlada/{id}/lamna-in"), &[]).await.status, 303);
    let page = c.get(&format!("/admin/eblomlada/{id}/resultat")).await;
    assert!(page.body.contains("5 kommuner har lämnat in"), "{}", page.body);
    assert!(page.body.contains("Plats 5 / 5"));
    // National average total: (4 × 264 + 88) / 5 = 228.8; Äldre: (4 × 24 + 8) / 5 = 20.8.
    assert!(page.body.contains("228,8") && page.body.contains("20,8"));
    assert!(page.body.contains("80 % helt, 0 % delvis, 20 % inte alls"), "per indicator shares");
    let api = app.client("kil.localhost").get("/api/v1/maturity/benchmark?year=2018").await.json();
    assert_eq!(api["published"], true);
    assert_eq!(api["total_average"], 228.8);
    assert_eq!(api["indicators"][0]["indicator"], "EB17-01");
    assert_eq!(api["indicators"][0]["met_percent"], 80);
    assert_eq!(api["indicators"][0]["not_met"], 1);
    let csv = app.client("kil.localhost").get("/api/v1/maturity/benchmark.csv?year=2018").await;
    assert_eq!(csv.body.lines().nth(1), Some("2018,2017,EB17-01,aldre,5,1,0,4"));
    assert_eq!(app.client("kil.localhost").get("/api/v1/maturity/benchmark?year=abc").await.json()["error"]["code"], "MAT-012");
    let doc = app.client("localhost").get("/api/openapi.json").await.json();
    assert_eq!(doc["paths"]["/api/v1/maturity/benchmark"]["get"]["operationId"], "get_maturity_benchmark");
    assert_eq!(doc["paths"]["/api/v1/maturity/results.csv"]["get"]["operationId"], "get_maturity_results_csv");
    // The first municipality is first (shared with the other three).
    let (_, first, first_email) = &staff[0];
    let mut k = app.login("kil", first_email).await;
    let mut tx = app.db.read(radhus_platform::db::Scope::Tenant(first.tenant_id)).await.expect("tx");
    let a = radhus_maturity::store::assessment_of_year(&mut tx, first.tenant_id, 2018).await.expect("q").expect("a");
    tx.commit().await.expect("commit");
    let best = k.get(&format!("/admin/eblomlada/{}/resultat", a.id)).await;
    assert!(best.body.contains("Plats 1 / 5"));
    // No municipality's name or own answers appear in another's benchmark.
    assert!(!page.body.contains("kil.localhost") && !page.body.contains("Admin kil"));
}
