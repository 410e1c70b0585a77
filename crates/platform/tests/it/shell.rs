//! The web shell: hosts, language, errors, headers, health, API documentation.

use radhus_platform::web::I18n;
use radhus_testkit::TestApp;

#[tokio::test]
async fn unknown_hosts_get_a_clear_404() {
    let app = TestApp::new().await;
    let mut c = app.client("okand.localhost");
    let r = c.get("/").await;
    assert_eq!(r.status, 404);
    assert!(r.body.contains("Det finns ingen kommun på den här adressen"));
    let r = c.get("/api/v1/me").await;
    assert_eq!(r.json()["error"]["code"], "WEB-002");
}

#[tokio::test]
async fn landing_page_lists_municipalities_and_language_switches() {
    let app = TestApp::new().await;
    app.tenant("kil", "Kil", "1715").await;
    app.tenant("arvika", "Arvika", "1784").await;
    let mut c = app.client("localhost");
    let r = c.get("/").await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("Välj kommun")
            && r.body.contains("Kils kommun")
            && r.body.contains("Arvika kommun")
            && r.body.contains("http://arvika.localhost/")
    );
    assert!(r.body.contains("lang=\"sv\""));
    let r = c.get("/?lang=en").await;
    assert!(r.body.contains("Choose a municipality") && r.body.contains("lang=\"en\""));
    // The choice sticks (cookie).
    assert!(c.get("/").await.body.contains("Choose a municipality"));
    let mut fresh = app.client("localhost");
    fresh.accept_language = Some("en-GB,en;q=0.9".into());
    assert!(fresh.get("/").await.body.contains("Choose a municipality"));
}

#[tokio::test]
async fn security_headers_are_set() {
    let app = TestApp::new().await;
    let r = app.client("localhost").get("/").await;
    let csp = r.headers.get("content-security-policy").and_then(|v| v.to_str().ok()).expect("csp");
    assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"));
    assert_eq!(r.headers.get("x-content-type-options").map(|v| v.to_str().ok()), Some(Some("nosniff")));
    assert!(r.headers.get("strict-transport-security").is_none(), "no HSTS without TLS");
    assert!(r.headers.get("x-request-id").is_some());
    let cookie = r
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("__Host-radhus-csrf"))
        .expect("csrf cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"));
    let tls = TestApp::with_modules(|cfg| vec![radhus_platform::platform_module(cfg)], |cfg| cfg.tls = true).await;
    let r = tls.client("localhost").get("/").await;
    assert!(r.headers.get("strict-transport-security").is_some());
}

#[tokio::test]
async fn oversize_bodies_are_refused() {
    let app = TestApp::with_modules(|cfg| vec![radhus_platform::platform_module(cfg)], |cfg| cfg.max_body_bytes = 1024).await;
    app.tenant("kil", "Kil", "1715").await;
    let mut c = app.client("kil.localhost");
    let big = "x".repeat(5000);
    let r = c.post_form("/logga-in", &[("email", &big), ("password", "x")]).await;
    assert_eq!(r.status, 413);
    assert!(r.body.contains("för stort"));
}

#[tokio::test]
async fn unknown_paths_and_methods_have_translated_errors() {
    let app = TestApp::new().await;
    let mut c = app.client("localhost");
    let r = c.get("/finns-inte").await;
    assert_eq!(r.status, 404);
    assert!(r.body.contains("Sidan hittades inte"));
    let r = c.get("/api/v1/finns-inte").await;
    assert_eq!(r.json()["error"]["code"], "PLT-001");
}

#[tokio::test]
async fn health_metrics_and_openapi() {
    let app = TestApp::new().await;
    let mut c = app.client("localhost");
    let h = c.get("/healthz").await.json();
    assert_eq!(h["status"], "ok");
    assert!(h["database"] == "sqlite" || h["database"] == "postgres");
    assert_eq!(c.get("/metrics").await.status, 200);
    let doc = c.get("/api/openapi.json").await.json();
    assert!(doc["openapi"].as_str().unwrap_or("").starts_with("3.1"));
    assert!(doc["paths"]["/api/v1/users"]["get"]["operationId"] == "list_users");
    let page = c.get("/api").await;
    assert!(page.body.contains("/api/v1/municipalities") && page.body.contains("get_municipalities"));
}

#[tokio::test]
async fn metrics_can_require_a_token() {
    let app =
        TestApp::with_modules(|cfg| vec![radhus_platform::platform_module(cfg)], |cfg| cfg.metrics_token = "metrics-token-123".into())
            .await;
    let mut c = app.client("localhost");
    assert_eq!(c.get("/metrics").await.status, 401);
    let req = axum::http::Request::get("/metrics")
        .header("authorization", "Bearer metrics-token-123")
        .body(axum::body::Body::empty())
        .expect("req");
    assert_eq!(c.send(req).await.status, 200);
}

#[tokio::test]
async fn metrics_are_closed_in_production_without_a_token() {
    let app = TestApp::with_modules(
        |cfg| vec![radhus_platform::platform_module(cfg)],
        |cfg| cfg.mode = radhus_platform::config::Mode::Production,
    )
    .await;
    let r = app.client("localhost").get("/metrics").await;
    assert_eq!(r.status, 401, "{}", r.body);
    assert!(r.json()["error"]["code"].is_string());
}

#[tokio::test]
async fn health_answers_on_the_nodes_own_address_without_a_tenant() {
    let app = TestApp::with_modules(
        |cfg| vec![radhus_platform::platform_module(cfg)],
        |cfg| cfg.mode = radhus_platform::config::Mode::Production,
    )
    .await;
    for host in ["10.0.0.5:8080", "10.0.0.5", "[fd00::5]:8080", "[::1]", "node-3.internal"] {
        let mut c = app.client(host);
        let r = c.get("/healthz").await;
        assert_eq!(r.status, 200, "{host}: {}", r.body);
        assert_eq!(r.json()["status"], "ok", "{host}");
        assert!(r.headers.get("set-cookie").is_none(), "{host}: a probe gets no cookie");
        // Everything else on an unknown host is still "unknown host", metrics included.
        assert_eq!(c.get("/").await.status, 404, "{host}");
        assert_eq!(c.get("/metrics").await.status, 404, "{host}");
    }
}

#[test]
fn every_message_exists_in_both_languages() {
    let missing = I18n::missing_ids(&radhus_platform::web::i18n::PLATFORM_FTL);
    assert!(missing.is_empty(), "only in one language: {missing:?}");
    let i18n = I18n::new(&radhus_platform::web::i18n::PLATFORM_FTL).expect("ftl parses");
    for code in radhus_platform::error::ALL_CODES {
        assert!(i18n.has(radhus_kernel::Lang::Sv, &format!("err-{code}")), "no message for {code}");
    }
}

#[test]
fn every_message_id_used_in_templates_exists() {
    let i18n = I18n::new(&radhus_platform::web::i18n::PLATFORM_FTL).expect("ftl");
    let dir = format!("{}/templates", env!("CARGO_MANIFEST_DIR"));
    let mut stack = vec![std::path::PathBuf::from(dir)];
    let mut checked = 0;
    while let Some(p) = stack.pop() {
        for e in std::fs::read_dir(&p).expect("dir") {
            let path = e.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read");
            for part in text.split("t(\"").skip(1).chain(text.split("t1(\"").skip(1)).chain(text.split("tn(\"").skip(1)) {
                let id = part.split('"').next().unwrap_or("");
                assert!(i18n.has(radhus_kernel::Lang::Sv, id) && i18n.has(radhus_kernel::Lang::En, id), "{}: {id}", path.display());
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} message ids found");
}

#[tokio::test]
async fn the_404_page_of_an_unknown_host_gets_its_assets() {
    let app = TestApp::new().await;
    let mut c = app.client("okand.localhost");
    for path in ["/assets/ds.css", "/assets/app.css", "/theme.css", "/logo.svg"] {
        assert_eq!(c.get(path).await.status, 200, "{path}");
    }
    assert_eq!(c.get("/admin").await.status, 404);
}
