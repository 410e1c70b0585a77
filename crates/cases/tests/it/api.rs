//! The case API: JSON in and out, the same permissions and tenant scope as the pages.

use axum::body::Body;
use axum::http::Request;

fn json_post(path: &str, csrf: Option<&str>, body: &str) -> Request<Body> {
    let mut b = Request::post(path).header("content-type", "application/json");
    if let Some(t) = csrf {
        b = b.header("x-csrf-token", t);
    }
    b.body(Body::from(body.to_string())).expect("request")
}

#[tokio::test]
async fn cases_and_records_over_the_api() {
    let app = super::app().await;
    let (_, staff, ct) = super::setup(&app, "kil").await;
    let mut c = app.login("kil", &staff.email).await;
    let csrf = c.csrf().expect("csrf cookie");
    let body = format!(r#"{{"case_type_id":"{ct}","title":"Bygglov via API"}}"#);
    let r = c.send(json_post("/api/v1/cases", None, &body)).await;
    assert_eq!(r.status, 403, "unsafe methods need the CSRF header");
    assert_eq!(r.json()["error"]["code"], "WEB-001");
    let r = c.send(json_post("/api/v1/cases", Some(&csrf), "{not json")).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error"]["code"], "WEB-004");
    let r = c.send(json_post("/api/v1/cases", Some(&csrf), &body)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let created = r.json();
    assert_eq!(created["number"], "KS 2026/1");
    let id = created["id"].as_str().expect("id").to_string();
    let r = c
        .send(json_post(
            &format!("/api/v1/cases/{id}/records"),
            Some(&csrf),
            r#"{"kind":"inbound","title":"Ansökan","correspondent":"Byggare AB","register":true}"#,
        ))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["number"], "KS 2026/1-1");
    let rid = r.json()["id"].as_str().expect("id").to_string();
    let r = c.send(json_post(&format!("/api/v1/cases/{id}/records"), Some(&csrf), r#"{"kind":"memo","title":"Samtal"}"#)).await;
    assert_eq!(r.status, 422, "a memo needs its text");
    let detail = c.get(&format!("/api/v1/cases/{id}")).await.json();
    assert_eq!(detail["records"].as_array().map(Vec::len), Some(1));
    let rec = c.get(&format!("/api/v1/records/{rid}")).await.json();
    assert_eq!(rec["number"], "KS 2026/1-1");
    assert_eq!(c.get("/api/v1/watches").await.json(), serde_json::json!([]));
    // Another municipality's staff get 404 for the same ids.
    let (_, other, _) = super::setup(&app, "arvika").await;
    let mut o = app.login("arvika", &other.email).await;
    assert_eq!(o.get(&format!("/api/v1/cases/{id}")).await.status, 404);
    assert_eq!(o.get(&format!("/api/v1/records/{rid}")).await.status, 404);
    let doc = app.client("localhost").get("/api/openapi.json").await.json();
    assert!(doc["paths"]["/api/v1/cases"]["post"]["operationId"] == "create_case_api");
}
