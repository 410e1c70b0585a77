//! The benchmark across municipalities: made of published answers only, shown from five
//! participants, known shares, averages and positions.

use radhus_maturity::domain::{self, Answers, Level};
use radhus_maturity::service;

#[tokio::test]
async fn benchmark_from_five_municipalities_with_known_answers() {
    let app = super::app().await;
    let codes = [("kil", "1715"), ("eda", "1730"), ("torsby", "1737"), ("storfors", "1760"), ("hammaro", "1761")];
    let mut staff = vec![];
    for (slug, code) in codes {
        staff.push(super::setup(&app, slug, code).await);
    }
    // Four municipalities answer everything fully met and publish.
    for (_, s, _) in &staff[..4] {
        let id = super::submitted(&app, s, 2018, |_| Level::Met).await;
        service::set_public(&app.db, s, id, true, app.now()).await.expect("publish");
    }
    let (_, last, email) = &staff[4];
    let id = service::start(&app.db, last, 2018, Some("2017"), app.now()).await.expect("start");
    super::answer_all(&app, last, id, |_| Level::NotMet).await;
    let mut c = app.login("hammaro", email).await;
    let before = c.get(&format!("/admin/eblomlada/{id}/resultat")).await;
    assert!(before.body.contains("Bara 4 kommuner har lämnat in och publicerat"), "a draft is not counted");
    let api = app.client("kil.localhost").get("/api/v1/maturity/benchmark?year=2018").await.json();
    assert_eq!(api["published"], false);
    assert_eq!(api["participants"], 4);
    assert_eq!(api["indicators"], serde_json::json!([]), "no figures below five");
    assert_eq!(c.post_form(&format!("/admin/eblomlada/{id}/lamna-in"), &[("confirm", "ja")]).await.status, 303);
    let unpublished = c.get(&format!("/admin/eblomlada/{id}/resultat")).await;
    assert!(unpublished.body.contains("Bara 4 kommuner har lämnat in och publicerat"), "submitted but not published is not counted");
    service::set_public(&app.db, last, id, true, app.now()).await.expect("publish");
    let page = c.get(&format!("/admin/eblomlada/{id}/resultat")).await;
    assert!(page.body.contains("5 kommuner har lämnat in och publicerat"), "{}", page.body);
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

/// The answer of municipality `m` to the indicator at position `n`: the five that publish
/// answer in different patterns, the four that do not all answer "not met" (as the four
/// non-publishers of 2018 answered alike on 43 of 88 indicators, issue 19).
fn answer(m: usize, n: usize) -> Level {
    if m >= 5 { Level::NotMet } else { [Level::NotMet, Level::Partly, Level::Met][(n * (m + 1) + m) % 3] }
}

/// Finding 5 of issue 19: a benchmark over every submitted assessment minus the published
/// results gave away what the non-publishers answered. The benchmark — open data, the public
/// page and the staff pages alike — is now the published answers only, so the difference is
/// zero everywhere and the figures are those of the five who published.
#[tokio::test]
async fn unpublished_answers_cannot_be_derived_from_the_benchmark() {
    let app = super::app().await;
    let codes = [
        ("kil", "1715"),
        ("eda", "1730"),
        ("torsby", "1737"),
        ("storfors", "1760"),
        ("hammaro", "1761"),
        ("munkfors", "1762"),
        ("forshaga", "1763"),
        ("grums", "1764"),
        ("arjang", "1765"),
    ];
    let mut ids = vec![];
    let mut staff = vec![];
    for (m, (slug, code)) in codes.iter().enumerate() {
        let (_, s, email) = super::setup(&app, slug, code).await;
        let id = super::submitted(&app, &s, 2018, |n| answer(m, n)).await;
        if m < 5 {
            service::set_public(&app.db, &s, id, true, app.now()).await.expect("publish");
        }
        ids.push(id);
        staff.push((s, email));
    }
    let cat = domain::parse_catalogue("2017", "x", include_str!("../../../../data/eblomlada-2017.csv")).expect("cat");
    let published_only: Vec<Answers> =
        (0..5).map(|m| cat.indicators.iter().enumerate().map(|(n, i)| (i.id.clone(), answer(m, n))).collect()).collect();
    let expected = domain::benchmark(&cat, &published_only);
    assert!(expected.published);

    // Open data: the figures of the five who published, nothing of the four who did not.
    let api = app.client("kil.localhost").get("/api/v1/maturity/benchmark?year=2018").await.json();
    assert_eq!(api["participants"], 5, "only the published count");
    assert_eq!(api["total_average"], expected.total_average);
    for a in api["areas"].as_array().expect("areas") {
        let key = a["area"].as_str().expect("area");
        assert_eq!(a["average_points"], expected.area_average[key], "{key}");
    }
    // The differencing attack: the benchmark minus every published result, per indicator.
    let mut published_counts: std::collections::HashMap<String, [u64; 3]> = std::collections::HashMap::new();
    for (slug, _) in &codes[..5] {
        let r = app.client(&format!("{slug}.localhost")).get("/api/v1/maturity/results?year=2018").await.json();
        for a in r["answers"].as_array().expect("answers") {
            let points = a["points"].as_u64().expect("points") as usize;
            published_counts.entry(a["indicator"].as_str().expect("id").to_string()).or_default()[points - 1] += 1;
        }
    }
    let indicators = api["indicators"].as_array().expect("indicators");
    assert_eq!(indicators.len(), 88);
    for i in indicators {
        let id = i["indicator"].as_str().expect("id");
        let counts = [&i["not_met"], &i["partly"], &i["met"]].map(|c| c.as_u64().expect("count"));
        let e = expected.indicators[id].map(|c| c as u64);
        assert_eq!(counts, e, "{id}: the published-only computation");
        let remainder: Vec<u64> = counts.iter().zip(published_counts[id]).map(|(b, p)| b - p).collect();
        assert_eq!(remainder, [0, 0, 0], "{id}: benchmark minus published results reveals nothing");
    }
    let csv = app.client("eda.localhost").get("/api/v1/maturity/benchmark.csv?year=2018").await;
    let first = expected.indicators["EB17-01"];
    assert_eq!(csv.body.lines().nth(1), Some(format!("2018,2017,EB17-01,aldre,5,{},{},{}", first[0], first[1], first[2]).as_str()));
    // The public page of a municipality that published shows the same benchmark.
    let public = app.client("kil.localhost").get("/eblomlada").await;
    assert!(public.body.contains("5 kommuner har lämnat in och publicerat"), "{}", public.body);
    // So do the staff pages, also of a municipality that did not publish: placed among the five.
    let (_, email) = &staff[5];
    let mut c = app.login("munkfors", email).await;
    let page = c.get(&format!("/admin/eblomlada/{}/resultat", ids[5])).await;
    assert!(page.body.contains("5 kommuner har lämnat in och publicerat"), "{}", page.body);
    assert!(page.body.contains("Plats 6 / 6"), "88 points, below all five");
    // Publishing brings a municipality in; nothing else does.
    service::set_public(&app.db, &staff[5].0, ids[5], true, app.now()).await.expect("publish");
    let api = app.client("kil.localhost").get("/api/v1/maturity/benchmark?year=2018").await.json();
    assert_eq!(api["participants"], 6);
}
