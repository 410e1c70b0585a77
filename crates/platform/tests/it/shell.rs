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

/// A refused form shows Designsystemet's error summary, each entry a link to its field, and at
/// the field its message, `aria-invalid` and `aria-describedby`; optional fields say so.
#[tokio::test]
async fn refused_forms_show_errors_at_the_fields() {
    let app = TestApp::new().await;
    let mut op = app.operator("drift@radhus.test").await;
    let blank = op.get("/admin/kommuner/ny").await;
    assert_eq!(blank.status, 200, "{}", blank.body);
    assert!(!blank.body.contains("ds-error-summary") && !blank.body.contains("aria-invalid"));
    assert!(blank.body.contains("E-post (frivilligt)"), "optional fields are marked");
    assert!(!blank.body.contains("Namn (frivilligt)"), "required fields are not");
    let r = op
        .post_form("/admin/kommuner", &[("name", ""), ("kommunkod", "12"), ("slug", "ok"), ("primary_color", "#1f4e79"), ("hosts", "")])
        .await;
    assert_eq!(r.status, 422);
    let b = &r.body;
    assert!(b.contains("class=\"ds-error-summary\"") && b.contains("Det finns fel i formuläret"), "{b}");
    assert!(b.contains("<a class=\"ds-link\" href=\"#name\">Namn: Skriv kommunens namn, högst 100 tecken.</a>"), "{b}");
    assert!(b.contains("href=\"#kommunkod\""), "{b}");
    assert!(b.contains("id=\"name-error\""), "{b}");
    assert!(b.contains("id=\"name\" name=\"name\" type=\"text\" value=\"\" aria-invalid=\"true\" aria-describedby=\"name-error\""), "{b}");
    assert!(!b.contains("id=\"slug\" name=\"slug\" type=\"text\" value=\"ok\" aria-invalid"), "a right field is not marked");
    assert!(b.contains("value=\"12\""), "what was typed is kept");

    // A wrong current password is shown at the field of the form it was posted with.
    let r = op
        .post_form("/konto/losenord", &[("current", "fel"), ("password", "ett-nytt-losenord"), ("password_repeat", "ett-nytt-losenord")])
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("href=\"#current\"") && r.body.contains("aria-describedby=\"current-error\""), "{}", r.body);
}

/// Every page's footer links the municipality's accessibility statement and privacy notice, and
/// the developers' documentation comes last. The statements have a default built from the
/// municipality's data until its administrator writes its own text.
#[tokio::test]
async fn each_municipality_publishes_its_statements() {
    let app = TestApp::new().await;
    let (t, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut tx = app.db.write(radhus_platform::db::Scope::Platform).await.expect("tx");
    let v = radhus_platform::tenancy::TenantInput {
        kommunkod: "1715".into(),
        name: "Kil".into(),
        slug: "kil".into(),
        primary_color: "#005a9c".into(),
        hosts: "kil.localhost".into(),
        contact_email: "kommun@kil.se".into(),
        contact_phone: "0554-191 00".into(),
        ..Default::default()
    };
    let valid = v.validate().expect("valid");
    radhus_platform::tenancy::update(&mut tx, t, &valid).await.expect("update");
    tx.commit().await.expect("commit");

    let mut resident = app.client("kil.localhost");
    let start = resident.get("/").await;
    let footer = start.body.split("<footer").nth(1).expect("footer");
    let (a11y, privacy, api) =
        (footer.find("href=\"/tillganglighet\""), footer.find("href=\"/personuppgifter\""), footer.find("href=\"/api\""));
    assert!(a11y.is_some() && privacy.is_some() && api.is_some(), "{footer}");
    assert!(a11y < api && privacy < api, "the footer does not lead with the API: {footer}");

    let page = resident.get("/tillganglighet").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<h1 class=\"ds-heading\" data-size=\"lg\">Tillgänglighetsredogörelse</h1>"), "{}", page.body);
    assert!(page.body.contains("Kils kommun står bakom den här webbplatsen"), "{}", page.body);
    assert!(page.body.contains("<li>E-post: kommun@kil.se</li>") && page.body.contains("<li>Telefon: 0554-191 00</li>"));
    assert!(page.body.contains("digg.se/tdosanmalan"));
    let page = resident.get("/personuppgifter").await;
    assert!(page.body.contains("Kils kommun är personuppgiftsansvarig") && page.body.contains("Integritetsskyddsmyndigheten"));
    // On the platform's own host too.
    assert!(app.client("localhost").get("/tillganglighet").await.body.contains("Rådhus, kommunernas gemensamma plattform,"));

    // The administrator edits the text; the page shows it (escaped), and the default comes back.
    let mut admin = app.login("kil", &email).await;
    let form = admin.get("/admin/redogorelser/tillganglighet").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Kils kommun står bakom") && form.body.contains("standardtexten"));
    let r = admin.post_form("/admin/redogorelser/tillganglighet", &[("body", "  ")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#body\"") && r.body.contains("aria-invalid=\"true\""), "{}", r.body);
    let own = "Vår egen text <script>.\n\n## Kända brister\n- PDF-filer från före 2019 är inte tillgängliga.";
    let r = admin.post_form("/admin/redogorelser/tillganglighet", &[("body", own)]).await;
    assert_eq!((r.status, r.location()), (303, Some("/admin/redogorelser/tillganglighet?sparad=1")));
    assert!(admin.get("/admin/redogorelser/tillganglighet?sparad=1").await.body.contains("Texten är sparad"));
    let page = resident.get("/tillganglighet").await;
    assert!(page.body.contains("<p class=\"ds-paragraph\">Vår egen text &#60;script&#62;.</p>"), "{}", page.body);
    assert!(page.body.contains("<h2 class=\"ds-heading\" data-size=\"sm\">Kända brister</h2>"));
    assert!(page.body.contains("Senast uppdaterad"));
    assert!(!page.body.contains("står bakom"), "the default is replaced");
    // Another municipality keeps its default.
    app.tenant("arvika", "Arvika", "1784").await;
    assert!(app.client("arvika.localhost").get("/tillganglighet").await.body.contains("Arvika kommun står bakom"));
    let r = admin.post_form("/admin/redogorelser/tillganglighet/aterstall", &[]).await;
    assert_eq!((r.status, r.location()), (303, Some("/admin/redogorelser/tillganglighet?aterstalld=1")));
    assert!(admin.get("/admin/redogorelser/tillganglighet?aterstalld=1").await.body.contains("Standardtexten visas igen"));
    assert!(resident.get("/tillganglighet").await.body.contains("Kils kommun står bakom"));
    // A resident cannot edit it; an unknown kind does not exist.
    assert_ne!(resident.post_form("/admin/redogorelser/tillganglighet", &[("body", "x")]).await.status, 303);
    assert_eq!(admin.get("/admin/redogorelser/annat").await.status, 404);
}

/// After an e-ID login the municipality's start page offers the resident's own pages first.
#[tokio::test]
async fn the_residents_start_page_offers_their_own_pages() {
    use radhus_platform::web::{LinkArea, NavLink};
    let app = TestApp::with_modules(
        |cfg| {
            let mut own = radhus_platform::platform_module(cfg);
            own.name = "demo";
            own.routes = radhus_platform::web::Routes::new();
            own.ftl = vec![
                (radhus_kernel::Lang::Sv, "demo-mine = Mina sidor i demo\ndemo-mine-hint = Det du har i demo\ndemo-pub = Demotjänsten\n"),
                (
                    radhus_kernel::Lang::En,
                    "demo-mine = My demo pages\ndemo-mine-hint = What you have in demo\ndemo-pub = The demo service\n",
                ),
            ];
            own.permissions = vec![];
            own.openapi = utoipa::openapi::OpenApiBuilder::new().build();
            own.links = vec![
                NavLink { area: LinkArea::Citizen, permissions: &[], href: "/demo/mina", label: "demo-mine", hint: "demo-mine-hint" },
                NavLink { area: LinkArea::Public, permissions: &[], href: "/demo/mina", label: "demo-mine", hint: "demo-mine-hint" },
                NavLink { area: LinkArea::Public, permissions: &[], href: "/demo", label: "demo-pub", hint: "demo-mine-hint" },
            ];
            own.jobs = vec![];
            own.notifications = vec![];
            own.subscribers = vec![];
            own.errors = vec![];
            own.personal_data = vec![];
            vec![radhus_platform::platform_module(cfg), own]
        },
        |_| {},
    )
    .await;
    app.tenant("kil", "Kil", "1715").await;
    let mut c = app.client("kil.localhost");
    let anonymous = c.get("/").await.body;
    assert!(!anonymous.contains("Dina sidor") && anonymous.contains("Logga in med e-legitimation"));
    let r = c.post_form("/e-legitimation/test", &[("person", "19850315-2384")]).await;
    assert_eq!(r.status, 303);
    let start = c.get("/").await.body;
    let yours = start.split("id=\"dina-sidor\"").nth(1).expect("the resident's own pages").split("</ul>").next().expect("list");
    assert!(yours.contains("href=\"/demo/mina\"") && yours.contains("Mina sidor i demo"), "{start}");
    assert!(start.contains("Dina sidor") && start.contains("Fler e-tjänster läggs till efter hand"));
    assert_eq!(start.matches("href=\"/demo/mina\"").count(), 1, "not offered twice");
    assert!(start.contains("href=\"/demo\""), "the public services follow");
    assert!(!start.contains("Logga in med e-legitimation"));
}

/// Both databases: with the database out of reach (here its pool shut, as when PostgreSQL
/// restarts and no connection can be had), a page answers 503 with Retry-After and the Swedish
/// message, and the API answers the JSON error `PLT-002` — never a 500.
#[tokio::test]
async fn a_database_out_of_reach_is_a_503_to_try_again_not_a_500() {
    let app = TestApp::new().await;
    app.tenant("kil", "Kil", "1715").await;
    let mut c = app.client("kil.localhost");
    assert_eq!(c.get("/").await.status, 200);
    app.db.close().await;
    let page = c.get("/").await;
    assert_eq!(page.status, 503, "{}", page.body);
    assert_eq!(page.headers.get("retry-after").and_then(|v| v.to_str().ok()), Some("5"));
    assert!(page.body.contains("Tjänsten kommer inte åt sina uppgifter just nu."), "{}", page.body);
    let api = c.get("/api/v1/me").await;
    assert_eq!(api.status, 503, "{}", api.body);
    assert_eq!(api.json()["error"]["code"], "PLT-002");
    assert_eq!(api.headers.get("retry-after").and_then(|v| v.to_str().ok()), Some("5"));
}
