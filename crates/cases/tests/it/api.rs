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

fn raw_post(path: &str, csrf: &str, content_type: &str, body: Vec<u8>) -> Request<Body> {
    Request::post(path).header("content-type", content_type).header("x-csrf-token", csrf).body(Body::from(body)).expect("request")
}

#[tokio::test]
async fn the_whole_record_workflow_over_the_api() {
    let app = super::app().await;
    let (t, staff, ct) = super::setup(&app, "kil").await;
    let chef = app.role(t, "Chef", &["cases.read", "cases.handle"]).await;
    let eva = app.user(t, "eva@kil.se", "Eva Lind", None, Some((chef, None))).await;
    let mut c = app.login("kil", &staff.email).await;
    let csrf = c.csrf().expect("csrf");
    let r = c.send(json_post("/api/v1/cases", Some(&csrf), &format!(r#"{{"case_type_id":"{ct}","title":"Serveringstillstånd"}}"#))).await;
    let case = r.json()["id"].as_str().expect("case").to_string();
    let r = c
        .send(json_post(
            &format!("/api/v1/cases/{case}/records"),
            Some(&csrf),
            r#"{"kind":"decision","title":"Beslut om serveringstillstånd","correspondent":"Krogen AB"}"#,
        ))
        .await;
    let rec = r.json()["id"].as_str().expect("record").to_string();

    // Documents: the body is the file; type, size and signature are checked.
    let up = |q: &str| format!("/api/v1/records/{rec}/documents?{q}");
    let r = c.send(raw_post(&up("filename=program.exe"), &csrf, "application/octet-stream", b"MZ...".to_vec())).await;
    assert_eq!((r.status, r.json()["error"]["code"].as_str()), (422, Some("CASE-007")), "{}", r.body);
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(3 * 1024 * 1024, b'x');
    let r = c.send(raw_post(&up("filename=ritning.pdf&role=attachment&title=Ritning"), &csrf, "application/pdf", big)).await;
    assert_eq!(r.status, 201, "a 3 MB drawing is accepted (above the 2 MB form limit): {}", r.body);
    assert_eq!(r.json()["number"], "Ritning v1");
    let mut huge = b"%PDF-1.7\n".to_vec();
    huge.resize(radhus_cases::service::MAX_FILE + 1, b'x');
    let r = c.send(raw_post(&up("filename=stor.pdf"), &csrf, "application/pdf", huge)).await;
    assert_eq!((r.status, r.json()["error"]["code"].as_str()), (413, Some("CASE-006")), "{}", r.body);

    // The memo, then the record's steps; the state machine refuses skipping.
    let r = c.send(json_post(&format!("/api/v1/records/{rec}/memo"), Some(&csrf), r#"{"proposal":"Bevilja tillståndet."}"#)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["number"], "Tjänsteskrivelse v1");
    let status = |s: &str| format!(r#"{{"status":"{s}"}}"#);
    let r = c.send(json_post(&format!("/api/v1/records/{rec}/status"), Some(&csrf), &status("dispatched"))).await;
    assert_eq!((r.status, r.json()["error"]["code"].as_str()), (409, Some("CASE-004")));
    for s in ["registered", "established"] {
        let r = c.send(json_post(&format!("/api/v1/records/{rec}/status"), Some(&csrf), &status(s))).await;
        assert_eq!(r.status, 204, "{s}: {}", r.body);
    }
    let r = c.send(json_post(&format!("/api/v1/records/{rec}/memo"), Some(&csrf), r#"{"proposal":"Ändrat"}"#)).await;
    assert_eq!((r.status, r.json()["error"]["code"].as_str()), (409, Some("CASE-015")), "established: the memo is fixed");

    // Approval: never by oneself; the approver decides through the API too.
    let own = format!(r#"{{"approvers":["{}"]}}"#, staff.user_id.0);
    let r = c.send(json_post(&format!("/api/v1/records/{rec}/approval"), Some(&csrf), &own)).await;
    assert_eq!((r.status, r.json()["error"]["code"].as_str()), (422, Some("CASE-012")));
    let r = c.send(json_post(&format!("/api/v1/records/{rec}/approval"), Some(&csrf), &format!(r#"{{"approvers":["{eva}"]}}"#))).await;
    assert_eq!(r.status, 204, "{}", r.body);
    let mut e = app.login("kil", "eva@kil.se").await;
    let ecsrf = e.csrf().expect("csrf");
    let r =
        e.send(json_post(&format!("/api/v1/records/{rec}/approval/decision"), Some(&ecsrf), r#"{"approve":true,"comment":"OK"}"#)).await;
    assert_eq!(r.status, 204, "{}", r.body);
    let detail = c.get(&format!("/api/v1/records/{rec}")).await.json();
    assert_eq!(detail["record"]["status"], "approved");
    assert_eq!(detail["documents"].as_array().map(Vec::len), Some(2));
    assert!(detail["record"]["dispatched_at"].is_null());
    let r = c.send(json_post(&format!("/api/v1/records/{rec}/status"), Some(&csrf), &status("dispatched"))).await;
    assert_eq!(r.status, 204, "{}", r.body);
    let detail = c.get(&format!("/api/v1/records/{rec}")).await.json();
    assert!(detail["record"]["dispatched_at"].as_str().is_some_and(|d| d.starts_with(&app.now().date().to_string())), "{detail}");
    let public = app.client("kil.localhost").get(&format!("/api/v1/diarium/{case}")).await.json();
    assert_eq!(public["records"][0]["dispatched"], app.now().date().to_string(), "the diary shows when it was sent");

    // Watches on the record, then done; a case status change with the state machine's rules.
    let body = format!(r#"{{"record_id":"{rec}","due":"2026-12-24","remind_days":3,"note":"Expediera"}}"#);
    let r = c.send(json_post("/api/v1/watches", Some(&csrf), &body)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["number"], "KS 2026/1-1");
    let watch = r.json()["id"].as_str().expect("watch").to_string();
    let r = c.send(json_post("/api/v1/watches", Some(&csrf), r#"{"due":"2026-12-24","note":"X"}"#)).await;
    assert_eq!(r.status, 422, "a watch needs a case or a record");
    assert!(r.body.contains("case_id") && r.body.contains("record_id"), "the error says what to give: {}", r.body);
    assert_eq!(c.get("/api/v1/watches").await.json().as_array().map(Vec::len), Some(1));
    assert_eq!(c.send(json_post(&format!("/api/v1/watches/{watch}/done"), Some(&csrf), "{}")).await.status, 204);
    assert_eq!(e.send(json_post(&format!("/api/v1/watches/{watch}/done"), Some(&ecsrf), "{}")).await.status, 404, "not hers");
    let r = c.send(json_post(&format!("/api/v1/cases/{case}/status"), Some(&csrf), &status("obliterated"))).await;
    assert_eq!((r.status, r.json()["error"]["code"].as_str()), (422, Some("WEB-004")), "obliterating needs a reason");
    let body = r#"{"status":"obliterated","note":"Registrerat två gånger"}"#;
    let r = c.send(json_post(&format!("/api/v1/cases/{case}/status"), Some(&csrf), body)).await;
    assert_eq!(r.status, 204);
    let r = c.send(json_post(&format!("/api/v1/cases/{case}/status"), Some(&csrf), &status("open"))).await;
    assert_eq!((r.status, r.json()["error"]["code"].as_str()), (409, Some("CASE-002")));
    assert_eq!(c.get("/api/v1/projects").await.json(), serde_json::json!([]));

    // Every operation is in the OpenAPI document.
    let doc = app.client("localhost").get("/api/openapi.json").await.json();
    for (path, method) in [
        ("/api/v1/records/{id}/documents", "post"),
        ("/api/v1/records/{id}/approval/decision", "post"),
        ("/api/v1/records/{id}/memo", "post"),
        ("/api/v1/watches", "post"),
        ("/api/v1/watches", "get"),
        ("/api/v1/cases/{id}/status", "post"),
        ("/api/v1/projects", "get"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path} documented");
    }
}
