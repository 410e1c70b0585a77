//! Login, lockout, TOTP, sessions, CSRF and the test e-ID.

use radhus_platform::db::Scope;
use radhus_platform::identity::totp;
use radhus_platform::on_tx;
use radhus_testkit::{PASSWORD, TestApp};
use time::Duration;

async fn audit_actions(app: &TestApp, tenant: radhus_kernel::ids::TenantId) -> Vec<String> {
    let mut tx = app.db.read(Scope::Tenant(tenant)).await.expect("tx");
    let rows: Vec<(String,)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT action FROM audit_event WHERE tenant_id = $1 ORDER BY seq").bind(tenant.0).fetch_all(c).await.expect("audit"));
    rows.into_iter().map(|(a,)| a).collect()
}

#[tokio::test]
async fn staff_log_in_and_out() {
    let app = TestApp::new().await;
    let (t, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut c = app.login("kil", &email).await;
    let r = c.get("/admin").await;
    assert_eq!(r.status, 200);
    // Logged in as this admin: the session's principal, not only a page that renders.
    let me = c.get("/api/v1/me").await.json();
    assert_eq!((me["kind"].as_str(), me["name"].as_str()), (Some("staff"), Some("Admin Kil")), "{me}");
    let cookie = c.cookie("radhus-session").expect("session cookie").to_string();
    let r = c.post_form("/logga-ut", &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(c.get("/admin").await.status, 303, "logged out: sent to login");
    // The old token is dead on the server, not only forgotten by the browser.
    c.cookies.push(("__Host-radhus-session".into(), cookie));
    assert_eq!(c.get("/admin").await.status, 303);
    let actions = audit_actions(&app, t).await;
    assert!(actions.contains(&"login".to_string()) && actions.contains(&"logout".to_string()), "{actions:?}");
}

#[tokio::test]
async fn wrong_password_is_refused_in_swedish_and_locks_after_five() {
    let app = TestApp::new().await;
    let (t, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut c = app.client("kil.localhost");
    for i in 0..4 {
        let r = c.post_form("/logga-in", &[("email", &email), ("password", "fel lösenord")]).await;
        assert_eq!(r.status, 401, "attempt {i}");
        assert!(r.body.contains("Fel e-postadress eller lösenord"), "{}", r.body);
        assert!(c.cookie("radhus-session").is_none());
    }
    let r = c.post_form("/logga-in", &[("email", &email), ("password", "fel igen")]).await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("spärrat"));
    // Even the right password is refused while locked…
    let r = c.post_form("/logga-in", &[("email", &email), ("password", PASSWORD)]).await;
    assert_eq!(r.status, 403);
    // …and the owner is told by e-mail through the outbox.
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let mails: Vec<(String,)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT subject FROM outbox WHERE tenant_id = $1").bind(t.0).fetch_all(c).await.expect("outbox"));
    tx.commit().await.expect("commit");
    assert_eq!(mails.len(), 1);
    assert!(mails[0].0.contains("spärrats"));
    app.clock.advance(Duration::minutes(16));
    let r = c.post_form("/logga-in", &[("email", &email), ("password", PASSWORD)]).await;
    assert_eq!(r.status, 303, "unlocked after the lockout period");
    let actions = audit_actions(&app, t).await;
    assert_eq!(actions.iter().filter(|a| *a == "login.failed").count(), 5);
    assert!(actions.contains(&"login.refused_locked".to_string()));
}

#[tokio::test]
async fn unknown_accounts_fail_like_wrong_passwords() {
    let app = TestApp::new().await;
    app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut c = app.client("kil.localhost");
    let r = c.post_form("/logga-in", &[("email", "ingen@kil.se"), ("password", "vad som helst")]).await;
    assert_eq!(r.status, 401);
    assert!(r.body.contains("Fel e-postadress eller lösenord"));
}

#[tokio::test]
async fn a_user_of_one_municipality_cannot_log_in_on_another() {
    let app = TestApp::new().await;
    let (_, kil_admin) = app.tenant_with_admin("kil", "Kil", "1715").await;
    app.tenant_with_admin("eda", "Eda", "1730").await;
    let mut c = app.client("eda.localhost");
    let r = c.post_form("/logga-in", &[("email", &kil_admin), ("password", PASSWORD)]).await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn missing_or_wrong_csrf_token_is_refused_and_nothing_is_written() {
    let app = TestApp::new().await;
    let (t, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut c = app.login("kil", &email).await;
    let r = c.post_raw("/admin/organisation", &[("name", "Smygförvaltningen"), ("kind", "forvaltning")]).await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("säkerhetskontrollen"), "{}", r.body);
    let r = c
        .post_raw("/admin/organisation", &[("_csrf", "x".repeat(43).as_str()), ("name", "Smygförvaltningen"), ("kind", "forvaltning")])
        .await;
    assert_eq!(r.status, 403);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let units = radhus_platform::identity::org::tree(&mut tx, t).await.expect("tree");
    assert!(units.is_empty(), "nothing written");
    // With the token it works.
    let r = c.post_form("/admin/organisation", &[("name", "Kommunledningsförvaltningen"), ("kind", "forvaltning")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
}

#[tokio::test]
async fn expired_sessions_send_the_user_to_log_in_again() {
    let app = TestApp::new().await;
    let (_, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut c = app.login("kil", &email).await;
    app.clock.advance(Duration::minutes(61));
    let r = c.get("/admin/anvandare").await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), Some("/logga-in?next=%2Fadmin%2Fanvandare&utgangen=1"));
    let r = c.get("/logga-in?next=%2Fadmin%2Fanvandare&utgangen=1").await;
    assert!(r.body.contains("Din session har gått ut"));
    // The API answers with the JSON error shape instead.
    let r = c.get("/api/v1/users").await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"]["code"], "AUTH-006");
}

#[tokio::test]
async fn totp_enrolment_and_second_factor() {
    let app = TestApp::new().await;
    let (t, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut c = app.login("kil", &email).await;
    let page = c.get("/konto/tvastegsverifiering").await;
    assert_eq!(page.status, 200);
    let secret = page.body.split("name=\"secret\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("secret in form").to_string();
    let r = c.post_form("/konto/tvastegsverifiering", &[("secret", &secret), ("code", "000000")]).await;
    assert_eq!(r.status, 422, "wrong code refused");
    let code = totp::current_code(&secret, app.now()).expect("code");
    let r = c.post_form("/konto/tvastegsverifiering", &[("secret", &secret), ("code", &code)]).await;
    assert_eq!(r.status, 303);
    c.post_form("/logga-ut", &[]).await;

    // Password alone no longer logs in.
    let mut c = app.client("kil.localhost");
    let r = c.post_form("/logga-in", &[("email", &email), ("password", PASSWORD), ("next", "/admin")]).await;
    assert_eq!(r.status, 303);
    assert!(r.location().expect("location").starts_with("/logga-in/totp"));
    assert_eq!(c.get("/admin").await.status, 303, "not logged in before the code");
    // The code used at enrolment cannot be replayed.
    let r = c.post_form("/logga-in/totp", &[("code", &code), ("next", "/admin")]).await;
    assert_eq!(r.status, 401);
    app.clock.advance(Duration::seconds(30));
    let code = totp::current_code(&secret, app.now()).expect("code");
    let r = c.post_form("/logga-in/totp", &[("code", &code), ("next", "/admin")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(c.get("/admin").await.status, 200);
    let actions = audit_actions(&app, t).await;
    assert!(actions.contains(&"totp.enabled".to_string()) && actions.contains(&"login.totp_failed".to_string()), "{actions:?}");
}

#[tokio::test]
async fn password_change_requires_the_current_password() {
    let app = TestApp::new().await;
    let (_, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut c = app.login("kil", &email).await;
    let r = c
        .post_form(
            "/konto/losenord",
            &[("current", "fel"), ("password", "ett nytt långt lösenord"), ("password_repeat", "ett nytt långt lösenord")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("nuvarande lösenordet stämmer inte"));
    let r = c.post_form("/konto/losenord", &[("current", PASSWORD), ("password", "kort"), ("password_repeat", "kort")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("minst 12 tecken"));
    let r = c
        .post_form(
            "/konto/losenord",
            &[("current", PASSWORD), ("password", "ett nytt långt lösenord"), ("password_repeat", "ett nytt långt lösenord")],
        )
        .await;
    assert_eq!(r.status, 303);
    let mut c2 = app.client("kil.localhost");
    let r = c2.post_form("/logga-in", &[("email", &email), ("password", "ett nytt långt lösenord")]).await;
    assert_eq!(r.status, 303);
}

#[tokio::test]
async fn test_eid_logs_in_a_test_person_and_refuses_bad_numbers() {
    let app = TestApp::new().await;
    let (t, _) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut c = app.client("kil.localhost");
    let page = c.get("/e-legitimation/test").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Astrid Lindqvist"));
    let r = c.post_form("/e-legitimation/test", &[("pnr", "19811218-9877")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Personnumret är inte giltigt"));
    assert!(c.cookie("radhus-session").is_none());
    let r = c.post_form("/e-legitimation/test", &[("person", "19850315-2384")]).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), Some("/"));
    let start = c.get("/").await;
    assert!(start.body.contains("Du är inloggad som Astrid Lindqvist"), "{}", start.body);
    // A typed valid number not in the register logs in as an anonymous test person.
    let mut c = app.client("kil.localhost");
    let r = c.post_form("/e-legitimation/test", &[("pnr", "811218-9876")]).await;
    assert_eq!(r.status, 303);
    assert_eq!(c.get("/api/v1/me").await.json()["kind"], "citizen");
    // Citizens have no staff rights.
    assert_eq!(c.get("/admin/anvandare").await.status, 303);
    // A page that asked for the login gets the citizen back; another site never does, and a
    // refused number keeps the return address in the form.
    let mut c = app.client("kil.localhost");
    let page = c.get("/e-legitimation/test?next=/valarbete/mina-sidor").await;
    assert!(page.body.contains(r#"name="next" value="/valarbete/mina-sidor""#), "{}", page.body);
    let r = c.post_form("/e-legitimation/test", &[("pnr", "19811218-9877"), ("next", "/valarbete/mina-sidor")]).await;
    assert!(r.status == 422 && r.body.contains(r#"name="next" value="/valarbete/mina-sidor""#));
    let r = c.post_form("/e-legitimation/test", &[("person", "19850315-2384"), ("next", "/valarbete/mina-sidor")]).await;
    assert_eq!(r.location(), Some("/valarbete/mina-sidor"));
    let r = app
        .client("kil.localhost")
        .post_form("/e-legitimation/test", &[("person", "19850315-2384"), ("next", "https://evil.example/")])
        .await;
    assert_eq!(r.location(), Some("/"));
    let actions = audit_actions(&app, t).await;
    assert!(actions.iter().filter(|a| *a == "login").count() >= 2);
}

#[tokio::test]
async fn test_eid_is_not_mounted_in_production() {
    let app = radhus_testkit::TestApp::with_modules(
        |cfg| vec![radhus_platform::platform_module(cfg)],
        |cfg| cfg.mode = radhus_platform::config::Mode::Production,
    )
    .await;
    app.tenant("kil", "Kil", "1715").await;
    let mut c = app.client("kil.localhost");
    assert_eq!(c.get("/e-legitimation/test").await.status, 404);
    let r = c.post_form("/e-legitimation/test", &[("person", "19850315-2384")]).await;
    assert_eq!(r.status, 404);
    assert!(!c.get("/e-legitimation").await.body.contains("/e-legitimation/test"));
}

#[tokio::test]
async fn operators_log_in_on_the_platform_host_only() {
    let app = TestApp::new().await;
    app.tenant("kil", "Kil", "1715").await;
    let mut op = app.operator("drift@radhus.test").await;
    let r = op.get("/admin").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Kil"));
    let mut c = app.client("kil.localhost");
    let r = c.post_form("/logga-in", &[("email", "drift@radhus.test"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, 401, "an operator is not a staff user of a municipality");
}

#[tokio::test]
async fn logins_are_rate_limited_per_client() {
    let app = TestApp::with_modules(|cfg| vec![radhus_platform::platform_module(cfg)], |cfg| cfg.login_attempts_per_minute = 3).await;
    let (_, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut c = app.client("kil.localhost");
    for _ in 0..3 {
        assert_eq!(c.post_form("/logga-in", &[("email", "ingen@kil.se"), ("password", "x")]).await.status, 401);
    }
    let r = c.post_form("/logga-in", &[("email", &email), ("password", PASSWORD)]).await;
    assert_eq!(r.status, 429);
    assert!(r.body.contains("För många försök"));
    app.clock.advance(Duration::minutes(1));
    assert_eq!(c.post_form("/logga-in", &[("email", &email), ("password", PASSWORD)]).await.status, 303);
}

/// Enrols TOTP for a logged-in client's account and returns the secret.
async fn enrol_totp(app: &TestApp, c: &mut radhus_testkit::Client) -> String {
    let page = c.get("/konto/tvastegsverifiering").await;
    let secret = page.body.split("name=\"secret\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("secret in form").to_string();
    let code = totp::current_code(&secret, app.now()).expect("code");
    assert_eq!(c.post_form("/konto/tvastegsverifiering", &[("secret", &secret), ("code", &code)]).await.status, 303);
    app.clock.advance(Duration::seconds(30));
    secret
}

#[tokio::test]
async fn wrong_totp_codes_lock_the_account_whatever_the_password_does() {
    let app = TestApp::with_modules(|cfg| vec![radhus_platform::platform_module(cfg)], |cfg| cfg.login_attempts_per_minute = 1000).await;
    let (t, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut c = app.login("kil", &email).await;
    let secret = enrol_totp(&app, &mut c).await;
    // Someone with the password holds three sessions waiting for the code.
    let mut waiting = vec![];
    for _ in 0..3 {
        let mut w = app.client("kil.localhost");
        let r = w.post_form("/logga-in", &[("email", &email), ("password", PASSWORD)]).await;
        assert!(r.location().expect("location").starts_with("/logga-in/totp"));
        waiting.push(w);
    }
    for _ in 0..4 {
        assert_eq!(waiting[0].post_form("/logga-in/totp", &[("code", "000000")]).await.status, 401);
    }
    // The right password again does not reset the count of wrong codes…
    let r = waiting[1].post_form("/logga-in", &[("email", &email), ("password", PASSWORD)]).await;
    assert!(r.location().expect("location").starts_with("/logga-in/totp"));
    // …so the fifth wrong code locks the account.
    let r = waiting[1].post_form("/logga-in/totp", &[("code", "000000")]).await;
    assert_eq!(r.status, 403, "{}", r.body);
    // A session that was waiting cannot complete, not even with the right code.
    let code = totp::current_code(&secret, app.now()).expect("code");
    let r = waiting[2].post_form("/logga-in/totp", &[("code", &code)]).await;
    assert_ne!(r.status, 303, "a locked account completed a TOTP login");
    assert_eq!(waiting[2].get("/admin").await.status, 303);
    let mut tx = app.db.read(Scope::Platform).await.expect("tx");
    let (pending,): (i64,) = on_tx!(&mut tx, c => sqlx::query_as("SELECT COUNT(*) FROM session WHERE totp_pending = $1").bind(true).fetch_one(c).await.expect("count"));
    tx.commit().await.expect("commit");
    assert_eq!(pending, 0, "the locked account's waiting sessions ended");
    // After the lockout the right password and code log in, and the count starts over.
    app.clock.advance(Duration::minutes(16));
    let mut w = app.client("kil.localhost");
    w.post_form("/logga-in", &[("email", &email), ("password", PASSWORD)]).await;
    let code = totp::current_code(&secret, app.now()).expect("code");
    assert_eq!(w.post_form("/logga-in/totp", &[("code", &code)]).await.status, 303);
    assert_eq!(w.get("/admin").await.status, 200);
    // A lock from wrong passwords also stops a session that was already waiting for its code.
    let mut waiting = app.client("kil.localhost");
    waiting.post_form("/logga-in", &[("email", &email), ("password", PASSWORD)]).await;
    let mut other = app.client("kil.localhost");
    for _ in 0..5 {
        other.post_form("/logga-in", &[("email", &email), ("password", "fel lösenord")]).await;
    }
    app.clock.advance(Duration::seconds(30));
    let code = totp::current_code(&secret, app.now()).expect("code");
    let r = waiting.post_form("/logga-in/totp", &[("code", &code)]).await;
    assert_eq!(r.status, 403, "a locked account completed a TOTP login: {}", r.body);
    assert_eq!(waiting.get("/admin").await.status, 303);
    let actions = audit_actions(&app, t).await;
    assert!(actions.contains(&"login.refused_locked".to_string()), "{actions:?}");
}

#[tokio::test]
async fn changing_the_password_or_second_factor_ends_every_other_session() {
    let app = TestApp::new().await;
    let (_, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut here = app.login("kil", &email).await;
    let mut elsewhere = app.login("kil", &email).await;
    let new = "ett nytt långt lösenord";
    let r = here.post_form("/konto/losenord", &[("current", PASSWORD), ("password", new), ("password_repeat", new)]).await;
    assert_eq!(r.status, 303);
    assert_eq!(here.get("/admin").await.status, 200, "the session that changed it stays");
    assert_eq!(elsewhere.get("/admin").await.status, 303, "the other session ended");
    // Turning on the second factor ends the others too.
    let mut elsewhere = app.client("kil.localhost");
    assert_eq!(elsewhere.post_form("/logga-in", &[("email", &email), ("password", new)]).await.status, 303);
    enrol_totp(&app, &mut here).await;
    assert_eq!(here.get("/admin").await.status, 200);
    assert_eq!(elsewhere.get("/admin").await.status, 303);
    // An operator's too.
    let mut op = app.operator("drift@radhus.se").await;
    let mut op2 = app.client("localhost");
    assert_eq!(op2.post_form("/logga-in", &[("email", "drift@radhus.se"), ("password", PASSWORD)]).await.status, 303);
    let r = op.post_form("/konto/losenord", &[("current", PASSWORD), ("password", new), ("password_repeat", new)]).await;
    assert_eq!(r.status, 303);
    assert_eq!(op.get("/admin").await.status, 200);
    assert_eq!(op2.get("/admin").await.status, 303);
}

#[tokio::test]
async fn what_is_typed_as_an_unknown_address_never_reaches_the_audit_log() {
    let app = TestApp::new().await;
    let (t, _) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut c = app.client("kil.localhost");
    // A password typed into the e-mail field, twice, and another unknown address once.
    for typed in ["Hemligt-Losen0rd-42", "Hemligt-Losen0rd-42", "ingen@kil.se"] {
        assert_eq!(c.post_form("/logga-in", &[("email", typed), ("password", "x")]).await.status, 401);
    }
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let rows: Vec<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT object_id, CAST(details AS TEXT) FROM audit_event WHERE tenant_id = $1 AND action = 'login.failed' ORDER BY seq").bind(t.0).fetch_all(c).await.expect("audit"));
    tx.commit().await.expect("commit");
    assert_eq!(rows.len(), 3);
    for (id, details) in &rows {
        assert!(!id.to_lowercase().contains("hemligt") && !details.to_lowercase().contains("hemligt"), "{id} {details}");
        assert!(!id.contains("ingen@kil.se"), "{id}");
        assert!(id.starts_with("hmac:"), "{id}");
    }
    assert_eq!(rows[0].0, rows[1].0, "the same text gives the same stand-in");
    assert_ne!(rows[0].0, rows[2].0);
}

/// An account's failure count and lock, read from the database.
async fn failures(app: &TestApp, t: radhus_kernel::ids::TenantId, email: &str) -> (i32, Option<time::OffsetDateTime>) {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let row: (i32, Option<time::OffsetDateTime>) = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT failed_logins, locked_until FROM app_user WHERE tenant_id = $1 AND email = $2").bind(t.0).bind(email).fetch_one(c).await.expect("user"));
    tx.commit().await.expect("commit");
    row
}

#[tokio::test]
async fn a_locked_account_is_still_locked_at_fourteen_minutes() {
    let app = TestApp::new().await;
    let (t, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut c = app.client("kil.localhost");
    for _ in 0..5 {
        c.post_form("/logga-in", &[("email", &email), ("password", "fel lösenord")]).await;
    }
    let (_, until) = failures(&app, t, &email).await;
    assert_eq!(until, Some(app.now() + Duration::minutes(15)), "locked for the configured 15 minutes");
    app.clock.advance(Duration::minutes(14));
    let r = c.post_form("/logga-in", &[("email", &email), ("password", PASSWORD)]).await;
    assert_eq!(r.status, 403, "the right password 14 minutes into the lock");
    assert!(r.body.contains("spärrat"), "{}", r.body);
    assert!(c.cookie("radhus-session").is_none());
    app.clock.advance(Duration::seconds(59));
    assert_eq!(c.post_form("/logga-in", &[("email", &email), ("password", PASSWORD)]).await.status, 403, "14:59");
    app.clock.advance(Duration::seconds(1));
    assert_eq!(c.post_form("/logga-in", &[("email", &email), ("password", PASSWORD)]).await.status, 303, "15:00: the lock is over");
    let actions = audit_actions(&app, t).await;
    assert_eq!(actions.iter().filter(|a| *a == "login.refused_locked").count(), 2, "{actions:?}");
}

/// Wrong passwords sent at the same moment from several clients are each counted: the count is
/// raised in the database, not read, raised in memory and written back (a lost update would let
/// an attacker try more passwords than the lockout allows).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_wrong_passwords_are_all_counted() {
    let app = TestApp::new().await;
    let (t, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    for round in 0..3 {
        let mut clients: Vec<radhus_testkit::Client> = (0..4).map(|_| app.client("kil.localhost")).collect();
        for c in &mut clients {
            c.get("/logga-in").await;
        }
        let tries = clients.iter_mut().map(|c| {
            let email = email.clone();
            async move { c.post_form("/logga-in", &[("email", &email), ("password", "fel lösenord")]).await }
        });
        let answers = futures_util::future::join_all(tries).await;
        assert!(answers.iter().all(|r| r.status == 401), "round {round}: {:?}", answers.iter().map(|r| r.status).collect::<Vec<_>>());
        let (failed, until) = failures(&app, t, &email).await;
        assert_eq!(failed, 4, "round {round}: four wrong passwords at once count four");
        assert!(until.is_none_or(|u| u <= app.now()), "round {round}: not locked yet");
        // The fifth locks; after the lock the count starts from nothing.
        let mut c = app.client("kil.localhost");
        assert_eq!(c.post_form("/logga-in", &[("email", &email), ("password", "fel lösenord")]).await.status, 403, "round {round}");
        app.clock.advance(Duration::minutes(15));
    }
    let actions = audit_actions(&app, t).await;
    assert_eq!(actions.iter().filter(|a| *a == "login.failed").count(), 15);
}

#[tokio::test]
async fn operators_are_locked_out_too() {
    let app = TestApp::new().await;
    app.operator("drift@radhus.test").await;
    let mut c = app.client("localhost");
    for i in 0..4 {
        let r = c.post_form("/logga-in", &[("email", "drift@radhus.test"), ("password", "fel lösenord")]).await;
        assert_eq!(r.status, 401, "attempt {i}");
        assert!(r.body.contains("Fel e-postadress eller lösenord"), "{}", r.body);
    }
    let r = c.post_form("/logga-in", &[("email", "drift@radhus.test"), ("password", "fel igen")]).await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("spärrat"), "{}", r.body);
    app.clock.advance(Duration::minutes(14));
    let r = c.post_form("/logga-in", &[("email", "drift@radhus.test"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, 403, "the right password is refused while locked");
    assert!(c.cookie("radhus-session").is_none());
    // The operator is told by the platform host: a message of no municipality.
    let nil = uuid::Uuid::nil();
    let mut tx = app.db.read(Scope::Platform).await.expect("tx");
    let mails: Vec<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT recipient, subject FROM outbox WHERE tenant_id = $1").bind(nil).fetch_all(c).await.expect("outbox"));
    let actions: Vec<(String,)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT action FROM audit_event WHERE tenant_id = $1 ORDER BY seq").bind(nil).fetch_all(c).await.expect("audit"));
    tx.commit().await.expect("commit");
    assert_eq!(mails, vec![("drift@radhus.test".to_string(), "Ditt driftkonto i Rådhus har spärrats tillfälligt".to_string())]);
    let actions: Vec<String> = actions.into_iter().map(|(a,)| a).collect();
    assert_eq!(actions.iter().filter(|a| *a == "login.failed").count(), 5, "{actions:?}");
    assert_eq!(actions.iter().filter(|a| *a == "login.refused_locked").count(), 1, "{actions:?}");
    app.clock.advance(Duration::minutes(1));
    let r = c.post_form("/logga-in", &[("email", "drift@radhus.test"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, 303, "unlocked after 15 minutes");
    assert_eq!(c.get("/admin").await.status, 200);
}

#[tokio::test]
async fn a_session_ends_after_twelve_hours_however_active() {
    let app = TestApp::new().await;
    let (_, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut c = app.login("kil", &email).await;
    // Active every 50 minutes (under the idle limit of 60) for 11 h 59 min.
    for step in 0..14 {
        app.clock.advance(Duration::minutes(50));
        assert_eq!(c.get("/admin").await.status, 200, "after {} minutes", (step + 1) * 50);
    }
    app.clock.advance(Duration::minutes(19));
    assert_eq!(c.get("/admin").await.status, 200, "11 h 59 min");
    app.clock.advance(Duration::minutes(1));
    let r = c.get("/admin").await;
    assert_eq!(r.status, 303, "12 hours after the login");
    assert_eq!(r.location(), Some("/logga-in?next=%2Fadmin&utgangen=1"));
    let mut tx = app.db.read(Scope::Platform).await.expect("tx");
    let (n,): (i64,) = on_tx!(&mut tx, c => sqlx::query_as("SELECT COUNT(*) FROM session").fetch_one(c).await.expect("count"));
    tx.commit().await.expect("commit");
    assert_eq!(n, 0, "the expired session is deleted");
    assert_eq!(c.get("/api/v1/me").await.json()["kind"], "anonymous");
}

/// A login attempt with these `X-Forwarded-For` header lines (one line each).
async fn login_via(c: &mut radhus_testkit::Client, forwarded: &[&str], email: &str) -> radhus_testkit::client::Response {
    use axum::body::Body;
    use axum::http::{Request, header};
    if c.csrf().is_none() {
        c.get("/logga-in").await;
    }
    let token = c.csrf().unwrap_or_default();
    let body: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("_csrf", token.as_str()), ("email", email), ("password", "fel")])
        .finish();
    let mut req = Request::post("/logga-in").header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    for f in forwarded {
        req = req.header("x-forwarded-for", *f);
    }
    c.send(req.body(Body::from(body)).expect("request")).await
}

/// The client addresses the audit log gave the failed logins, in order.
async fn failed_login_clients(app: &TestApp, t: radhus_kernel::ids::TenantId) -> Vec<String> {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let rows: Vec<(String,)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT actor_id FROM audit_event WHERE tenant_id = $1 AND action = 'login.failed' ORDER BY seq").bind(t.0).fetch_all(c).await.expect("audit"));
    tx.commit().await.expect("commit");
    rows.into_iter().map(|(a,)| a).collect()
}

#[tokio::test]
async fn without_behind_proxy_x_forwarded_for_is_ignored() {
    let app = TestApp::with_modules(|cfg| vec![radhus_platform::platform_module(cfg)], |cfg| cfg.login_attempts_per_minute = 2).await;
    let (t, _) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut c = app.client("kil.localhost");
    // A client that names a new address each time is still one client to the rate limit.
    assert_eq!(login_via(&mut c, &["203.0.113.1"], "ingen@kil.se").await.status, 401);
    assert_eq!(login_via(&mut c, &["203.0.113.2"], "ingen@kil.se").await.status, 401);
    let r = login_via(&mut c, &["203.0.113.3"], "ingen@kil.se").await;
    assert_eq!(r.status, 429);
    assert!(r.body.contains("För många försök"), "{}", r.body);
    // The in-process router has no socket address: the peer is `local`, never the header.
    assert_eq!(failed_login_clients(&app, t).await, vec!["local", "local"]);
}

#[tokio::test]
async fn behind_a_proxy_the_client_is_the_last_hop_it_added() {
    let app = TestApp::with_modules(
        |cfg| vec![radhus_platform::platform_module(cfg)],
        |cfg| {
            cfg.login_attempts_per_minute = 2;
            cfg.behind_proxy = true;
        },
    )
    .await;
    let (t, _) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut c = app.client("kil.localhost");
    // What the client wrote itself (the hops before the proxy's) changes nothing.
    assert_eq!(login_via(&mut c, &["198.51.100.7, 203.0.113.10"], "ingen@kil.se").await.status, 401);
    assert_eq!(login_via(&mut c, &["198.51.100.8,203.0.113.10"], "ingen@kil.se").await.status, 401);
    assert_eq!(login_via(&mut c, &["198.51.100.9, 203.0.113.10"], "ingen@kil.se").await.status, 429);
    // Another address added by the proxy is another client with its own attempts.
    assert_eq!(login_via(&mut c, &["203.0.113.11"], "ingen@kil.se").await.status, 401);
    // A proxy that adds its own header line (HAProxy's `option forwardfor`) after the client's:
    // the last line counts, not the one the client sent.
    assert_eq!(login_via(&mut c, &["198.51.100.7", "203.0.113.12"], "ingen@kil.se").await.status, 401);
    // A last hop that is not an address is not trusted: the peer (`local`) is the client.
    assert_eq!(login_via(&mut c, &["203.0.113.10, unknown"], "ingen@kil.se").await.status, 401);
    assert_eq!(
        failed_login_clients(&app, t).await,
        vec!["203.0.113.10", "203.0.113.10", "203.0.113.11", "203.0.113.12", "local"],
        "the audit log names the address the proxy saw"
    );
}
