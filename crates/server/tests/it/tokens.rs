//! Integration tokens (issue 14 item 5): an administrator creates one (the secret is shown once
//! and stored only as a hash), the integration calls the JSON API with `Authorization: Bearer`
//! and no CSRF token, acts with its roles' permissions and is named in the audit log; a
//! revoked, expired, malformed, foreign or over-used token and a missing permission are refused
//! with a stable JSON code and nothing written.

use axum::body::Body;
use axum::http::Request;
use radhus_kernel::ids::TenantId;
use radhus_platform::db::Scope;
use radhus_platform::on_tx;
use radhus_testkit::{Client, TestApp};

fn bearer(method: &str, path: &str, token: &str, body: Option<&str>) -> Request<Body> {
    let b = Request::builder().method(method).uri(path).header("authorization", format!("Bearer {token}"));
    match body {
        Some(json) => b.header("content-type", "application/json").body(Body::from(json.to_string())),
        None => b.body(Body::empty()),
    }
    .expect("request")
}

/// The secret on the page that answers the creation.
fn secret_in(page: &str) -> String {
    let start = page.find("rh_").expect("a secret on the page");
    page[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect()
}

async fn count(app: &TestApp, t: TenantId, sql: &'static str) -> i64 {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let (n,): (i64,) = on_tx!(&mut tx, c => sqlx::query_as(sql).bind(t.0).fetch_one(c).await.expect("count"));
    tx.commit().await.expect("commit");
    n
}

async fn create(admin: &mut Client, name: &str, role: &str, expires: &str, rate: &str) -> String {
    let r = admin
        .post_form(
            "/admin/integrationer",
            &[("name", name), ("roles", role), ("org_unit_id", ""), ("expires_on", expires), ("rate_per_minute", rate)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("visas bara den här gången"), "the page says the secret is shown once");
    secret_in(&r.body)
}

async fn setup(app: &TestApp, slug: &str, kommunkod: &str) -> (TenantId, Client, uuid::Uuid) {
    let (t, email) = app.tenant_with_admin(slug, slug, kommunkod).await;
    let staff = app.staff(t, &email).await;
    let reg = radhus_cases::service::create_registry(&app.db, &staff, "KS", "Kommunstyrelsen", "", app.now()).await.expect("registry");
    let ct = radhus_cases::service::create_case_type(&app.db, &staff, "Bygglov", reg, None, 70, app.now()).await.expect("type");
    (t, app.login(slug, &email).await, ct)
}

#[tokio::test]
async fn an_integration_calls_the_api_with_its_token_and_is_named_in_the_log() {
    let app = TestApp::with_modules(radhus::modules, |_| {}).await;
    let (t, mut admin, ct) = setup(&app, "kil", "1715").await;
    let writer = app.role(t, "Arkivintegration", &["cases.read", "cases.register", "cases.handle"]).await;
    let page = admin.get("/admin/integrationer").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"_csrf\""), "the form carries the CSRF token");

    let secret = create(&mut admin, "E-arkivet", &writer.to_string(), "2027-01-31", "600").await;
    assert!(secret.starts_with("rh_") && secret.len() == 46, "{secret}");
    // Stored only as its hash, and never shown again.
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let (stored,): (String,) = on_tx!(&mut tx, c => sqlx::query_as("SELECT token_hash FROM integration_token WHERE tenant_id = $1")
        .bind(t.0).fetch_one(c).await.expect("row"));
    tx.commit().await.expect("commit");
    assert_eq!(stored, radhus_platform::identity::sha256_hex(secret.as_bytes()));
    let list = admin.get("/admin/integrationer").await.body;
    assert!(list.contains("E-arkivet") && list.contains("Aldrig") && !list.contains(&secret));

    let mut api = app.client("kil.localhost");
    let me = api.send(bearer("GET", "/api/v1/me", &secret, None)).await;
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.json()["kind"], "integration");
    assert_eq!(me.json()["name"], "E-arkivet");
    // A write without any CSRF token: the header is the proof.
    let body = format!(r#"{{"case_type_id":"{ct}","title":"Arkivleverans"}}"#);
    let r = api.send(bearer("POST", "/api/v1/cases", &secret, Some(&body))).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(api.cookies.iter().all(|(k, _)| !k.contains("session")), "a token call makes no session");
    // A watch is a person's reminder: the integration is refused (403), not failed on its missing user.
    let case_id = r.json()["id"].as_str().expect("case id").to_string();
    let watch = format!(r#"{{"case_id":"{case_id}","due":"2027-01-15","note":"Påminn"}}"#);
    let w = api.send(bearer("POST", "/api/v1/watches", &secret, Some(&watch))).await;
    assert_eq!((w.status, w.json()["error"]["code"].as_str()), (403, Some("AUTH-007")), "{}", w.body);
    assert_eq!(count(&app, t, "SELECT COUNT(*) FROM watch WHERE tenant_id = $1").await, 0);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let actors: Vec<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT actor_kind, actor_name FROM audit_event WHERE tenant_id = $1 AND action = 'case.created'")
        .bind(t.0).fetch_all(c).await.expect("audit"));
    let (last_used,): (Option<time::OffsetDateTime>,) = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT last_used_at FROM integration_token WHERE tenant_id = $1").bind(t.0).fetch_one(c).await.expect("row"));
    tx.commit().await.expect("commit");
    assert_eq!(actors, vec![("integration".to_string(), "E-arkivet".to_string())], "the log names the integration, not a person");
    assert_eq!(last_used, Some(app.now()));
    assert!(admin.get("/admin/integrationer").await.body.contains("2026-11-23 09:00"), "the list shows when it was last used");

    // A staff member's cookie still needs the CSRF token on the API.
    let r = admin
        .send(Request::post("/api/v1/cases").header("content-type", "application/json").body(Body::from(body.clone())).expect("req"))
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error"]["code"], "WEB-001");

    // Revoked: refused at once, nothing written.
    let id: uuid::Uuid = {
        let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
        let (id,): (uuid::Uuid,) = on_tx!(&mut tx, c => sqlx::query_as("SELECT id FROM integration_token WHERE tenant_id = $1")
            .bind(t.0).fetch_one(c).await.expect("row"));
        tx.commit().await.expect("commit");
        id
    };
    let r = admin.post_form(&format!("/admin/integrationer/{id}/aterkalla"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let cases = count(&app, t, "SELECT COUNT(*) FROM case_file WHERE tenant_id = $1").await;
    let r = api.send(bearer("POST", "/api/v1/cases", &secret, Some(&body))).await;
    assert_eq!(r.status, 401, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "AUTH-013");
    assert_eq!(count(&app, t, "SELECT COUNT(*) FROM case_file WHERE tenant_id = $1").await, cases);
    let list = admin.get("/admin/integrationer").await.body;
    assert!(list.contains("Återkallad") && !list.contains("Återkalla E-arkivet"));
    let r = admin.post_form(&format!("/admin/integrationer/{id}/aterkalla"), &[]).await;
    assert_eq!(r.status, 409, "revoking twice is a conflict");
    assert!(r.body.contains("redan återkallad"));
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let actions: Vec<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT action, actor_kind FROM audit_event WHERE tenant_id = $1 AND object_type = 'integration_token' AND action <> 'integration_token.list.read' ORDER BY seq")
        .bind(t.0).fetch_all(c).await.expect("audit"));
    tx.commit().await.expect("commit");
    assert_eq!(actions, vec![("integration_token.created".into(), "staff".into()), ("integration_token.revoked".into(), "staff".into())]);
}

#[tokio::test]
async fn bad_tokens_are_refused_with_a_stable_code_and_nothing_written() {
    let app = TestApp::with_modules(radhus::modules, |_| {}).await;
    let (t, mut admin, ct) = setup(&app, "kil", "1715").await;
    let (t2, mut other_admin, _) = setup(&app, "arvika", "1784").await;
    let reader = app.role(t, "Läsare", &["cases.read"]).await;
    let writer = app.role(t, "Skrivare", &["cases.read", "cases.register", "cases.handle"]).await;
    let read_only = create(&mut admin, "BI-verktyget", &reader.to_string(), "2026-12-31", "600").await;
    let short = create(&mut admin, "Lönexporten", &writer.to_string(), "2026-11-24", "3").await;
    let body = format!(r#"{{"case_type_id":"{ct}","title":"Ska inte finnas"}}"#);
    let cases = || count(&app, t, "SELECT COUNT(*) FROM case_file WHERE tenant_id = $1");
    let before = cases().await;
    let mut api = app.client("kil.localhost");

    // Without the permission: 403 and no case; the refusal is logged as the integration's.
    let r = api.send(bearer("POST", "/api/v1/cases", &read_only, Some(&body))).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "AUTH-007");
    assert_eq!(api.send(bearer("GET", "/api/v1/users", &read_only, None)).await.status, 403);
    assert_eq!(api.send(bearer("GET", "/api/v1/cases", &read_only, None)).await.status, 200, "what the role grants works");

    // Malformed or unknown.
    let unknown = format!("rh_{}", "A".repeat(43));
    let wrong_shape = format!("{short}x");
    for header in
        ["Bearer nope".to_string(), format!("Basic {short}"), format!("Bearer {unknown}"), format!("Bearer {wrong_shape}"), String::new()]
    {
        let req = Request::post("/api/v1/cases")
            .header("authorization", header.as_str())
            .header("content-type", "application/json")
            .body(Body::from(body.clone()))
            .expect("req");
        let r = api.send(req).await;
        assert_eq!(r.status, 401, "{header}: {}", r.body);
        assert_eq!(r.json()["error"]["code"], "AUTH-012", "{header}");
        assert!(r.json()["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }

    // Another municipality's host.
    let mut arvika = app.client("arvika.localhost");
    let r = arvika.send(bearer("GET", "/api/v1/cases", &short, None)).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "AUTH-015");
    let other_role = app.role(t2, "Läsare", &["cases.read"]).await;
    let other_secret = create(&mut other_admin, "Arvikas BI", &other_role.to_string(), "2026-12-31", "600").await;
    let r = api.send(bearer("GET", "/api/v1/cases", &other_secret, None)).await;
    assert_eq!(r.json()["error"]["code"], "AUTH-015");

    // The rate limit: three a minute, then 429 until the next minute.
    for _ in 0..3 {
        assert_eq!(api.send(bearer("GET", "/api/v1/cases", &short, None)).await.status, 200);
    }
    let r = api.send(bearer("POST", "/api/v1/cases", &short, Some(&body))).await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "AUTH-016");
    app.clock.advance(time::Duration::minutes(1));
    assert_eq!(api.send(bearer("GET", "/api/v1/cases", &short, None)).await.status, 200);

    // Expired: valid through 2026-11-24, refused from 2026-11-25 00:00 UTC.
    app.clock.advance(time::Duration::days(2));
    let r = api.send(bearer("POST", "/api/v1/cases", &short, Some(&body))).await;
    assert_eq!(r.status, 401, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "AUTH-014");
    // Two days on, the administrator's session has ended: a new login.
    let mut admin = app.login("kil", "admin@kil.se").await;
    assert!(admin.get("/admin/integrationer").await.body.contains("Utgången"));
    assert_eq!(cases().await, before, "no refused request wrote a case");
}

#[tokio::test]
async fn the_form_refuses_bad_input_in_swedish_and_only_whole_municipality_administrators_use_it() {
    let app = TestApp::with_modules(radhus::modules, |_| {}).await;
    let (t, mut admin, _) = setup(&app, "kil", "1715").await;
    let tokens = || count(&app, t, "SELECT COUNT(*) FROM integration_token WHERE tenant_id = $1");
    let r = admin
        .post_form(
            "/admin/integrationer",
            &[("name", " "), ("org_unit_id", "inte-ett-id"), ("expires_on", "2030-01-01"), ("rate_per_minute", "0")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    for msg in ["Skriv vad nyckeln ska användas till", "Välj minst en roll", "högst ett år fram", "från 1 till 10 000"] {
        assert!(r.body.contains(msg), "{msg}");
    }
    assert_eq!(tokens().await, 0);
    // Nobody hands out more than they hold: a user administrator without those permissions.
    let unit = app.unit(t, "Socialförvaltningen", radhus_platform::identity::org::UnitKind::Forvaltning, None).await;
    let users_only = app.role(t, "Användaradmin", &["admin.users"]).await;
    let cases_role = app.role(t, "Ärenden", &["cases.read"]).await;
    app.user(t, "ua@kil.se", "Ua Admin", None, Some((users_only, None))).await;
    let mut ua = app.login("kil", "ua@kil.se").await;
    let r = ua
        .post_form(
            "/admin/integrationer",
            &[("name", "X"), ("roles", &cases_role.to_string()), ("expires_on", "2027-01-01"), ("rate_per_minute", "10")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("behörigheter som du inte själv har"));
    assert_eq!(tokens().await, 0);
    // A user administrator of a subtree only, and a user without the permission: refused.
    app.user(t, "scoped@kil.se", "Scoped Admin", Some(unit), Some((users_only, Some(unit)))).await;
    let mut scoped = app.login("kil", "scoped@kil.se").await;
    assert_eq!(scoped.get("/admin/integrationer").await.status, 403);
    assert!(!scoped.get("/admin").await.body.contains("/admin/integrationer"));
    app.user(t, "reader@kil.se", "Reader", None, Some((cases_role, None))).await;
    let mut reader = app.login("kil", "reader@kil.se").await;
    assert_eq!(reader.get("/admin/integrationer").await.status, 403);
    let r = reader.post_form("/admin/integrationer", &[("name", "X"), ("roles", &cases_role.to_string())]).await;
    assert_eq!(r.status, 403);
    assert_eq!(tokens().await, 0);
    assert!(admin.get("/admin").await.body.contains("/admin/integrationer"));
}
