//! Notifications that modules own: a module registers its templates, a municipality
//! overrides them on its templates page, mail goes out in the recipient's language, and the
//! platform host sends with no municipality (ADR 0019).

use radhus_kernel::Lang;
use radhus_kernel::ids::TenantId;
use radhus_platform::config::SmtpConfig;
use radhus_platform::db::Scope;
use radhus_platform::outbox::templates::{NotificationTemplate, Sender, Text};
use radhus_platform::outbox::{self, Notice, Transports};
use radhus_platform::web::Routes;
use radhus_platform::{Module, on_tx};
use radhus_testkit::TestApp;
use radhus_testkit::servers::SmtpServer;

const GREETING: NotificationTemplate = NotificationTemplate {
    key: "demo.greeting",
    sender: Sender::Municipality,
    label: "demo-greeting",
    fields: &["name", "url"],
    sv: Text { subject: "Hälsning till {{name}}", body: "Hej {{name}}! Läs mer på {{url}}." },
    en: Text { subject: "Greetings to {{name}}", body: "Hello {{name}}! Read more at {{url}}." },
};

/// A module that only registers notification templates (the platform's module with
/// everything else emptied).
fn demo_module(notifications: Vec<NotificationTemplate>) -> Module {
    let mut m = radhus_platform::platform_module(&radhus_testkit::test_config());
    m.name = "demo";
    m.routes = Routes::new();
    m.ftl = vec![
        (Lang::Sv, "templates-module-demo = Demomodulen\ndemo-greeting = Hälsningen\n"),
        (Lang::En, "templates-module-demo = The demo module\ndemo-greeting = The greeting\n"),
    ];
    m.permissions = vec![];
    m.openapi = utoipa::openapi::OpenApiBuilder::new().build();
    m.links = vec![];
    m.jobs = vec![];
    m.notifications = notifications;
    m.errors = vec![];
    m
}

async fn app() -> TestApp {
    TestApp::with_modules(|cfg| vec![radhus_platform::platform_module(cfg), demo_module(vec![GREETING])], |_| {}).await
}

async fn smtp_transports(app: &TestApp, smtp: &SmtpServer) -> Transports {
    let mut cfg = app.state.config.clone();
    cfg.smtp = SmtpConfig { host: "127.0.0.1".into(), port: smtp.port, security: "none".into(), ..SmtpConfig::default() };
    Transports::from_config(&cfg, reqwest::Client::new()).expect("transports")
}

async fn greet(app: &TestApp, t: TenantId, lang: Lang, to: &str) {
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    let vars = [("name", "Eva"), ("url", "http://kil.localhost/x")];
    outbox::notify(&mut tx, Some(t), &Notice { template: &GREETING, lang, to, vars: &vars }, app.now()).await.expect("notify");
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn a_module_template_is_listed_overridden_and_used_in_the_recipients_language() {
    let app = app().await;
    let (t, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut c = app.login("kil", &email).await;

    // Listed with the platform's own, grouped by module, in both languages.
    let page = c.get("/admin/mallar").await;
    assert_eq!(page.status, 200);
    for text in ["Demomodulen", "Hälsningen", "demo.greeting", "/admin/mallar/demo.greeting/sv", "/admin/mallar/demo.greeting/en"] {
        assert!(page.body.contains(text), "{text} missing on the page");
    }
    assert!(page.body.contains("platform.account-created"));
    // Operator mail is the platform's: no municipality overrides it.
    assert!(!page.body.contains("platform.operator-password-changed"));
    assert_eq!(c.get("/admin/mallar/platform.operator-password-changed/sv").await.status, 404);
    assert_eq!(c.get("/admin/mallar/demo.unknown/sv").await.status, 404);

    // An unknown placeholder is a field error and nothing is saved.
    let form = c.get("/admin/mallar/demo.greeting/sv").await;
    assert!(form.body.contains("{{url}}"), "the fields are named");
    let r = c.post_form("/admin/mallar/demo.greeting/sv", &[("subject", "Hej {{namn}}"), ("body", "Text")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Mallen använder ett fält som inte finns"), "{}", r.body);
    assert!(r.body.contains("Hej {{namn}}"), "what was typed comes back");

    // The municipality's own Swedish text.
    let r = c
        .post_form("/admin/mallar/demo.greeting/sv", &[("subject", "Kil hälsar {{name}}"), ("body", "Välkommen {{name}}, se {{url}}")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(c.get("/admin/mallar").await.body.contains("Kil hälsar {{name}}"));

    greet(&app, t, Lang::Sv, "eva@kil.se").await;
    greet(&app, t, Lang::En, "eve@kil.se").await;
    let smtp = SmtpServer::start().await;
    let tr = smtp_transports(&app, &smtp).await;
    assert_eq!(outbox::process_due(&app.db, &tr, app.now(), 5, 10).await.expect("process"), 2);
    let mails = smtp.mails();
    let sv = mails.iter().find(|m| m.to == ["eva@kil.se"]).expect("Swedish mail");
    assert!(sv.data.contains("Subject: Kil ") && sv.data.contains("http://kil.localhost/x"), "{}", sv.data);
    let en = mails.iter().find(|m| m.to == ["eve@kil.se"]).expect("English mail");
    assert!(en.data.contains("Subject: Greetings to Eva"), "the English default, untouched by the Swedish override: {}", en.data);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let sent = outbox::list(&mut tx, t, 10, 0).await.expect("outbox");
    tx.commit().await.expect("commit");
    let sv = sent.iter().find(|m| m.recipient == "eva@kil.se").expect("row");
    assert_eq!((sv.subject.as_str(), sv.body.as_str()), ("Kil hälsar Eva", "Välkommen Eva, se http://kil.localhost/x"));
    assert!(sent.iter().all(|m| m.status == "sent"));

    // Reset: the default again.
    let r = c.post_form("/admin/mallar/demo.greeting/sv/aterstall", &[]).await;
    assert_eq!(r.status, 303);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let tpl = outbox::templates::effective(&mut tx, Some(t), &GREETING, Lang::Sv).await.expect("effective");
    assert!(!tpl.overridden && tpl.subject == "Hälsning till {{name}}");
}

#[tokio::test]
async fn a_bad_registration_stops_the_build() {
    let twice = || vec![radhus_platform::platform_module(&radhus_testkit::test_config()), demo_module(vec![GREETING, GREETING])];
    let (db, _file) = radhus_testkit::fresh_db().await.expect("db");
    let deps = || radhus_platform::Deps {
        db: db.clone(),
        config: radhus_testkit::test_config(),
        clock: std::sync::Arc::new(radhus_kernel::SystemClock),
        register: std::sync::Arc::new(radhus_platform::identity::citizen::FixtureRegister::new()),
        metrics: None,
    };
    let err = radhus_platform::build_app(deps(), twice()).err().expect("a duplicate key fails");
    assert!(err.to_string().contains("demo.greeting"), "{err}");
    let no_english = NotificationTemplate { en: Text { subject: "", body: "" }, ..GREETING };
    let cfg = radhus_testkit::test_config();
    let err = radhus_platform::build_app(deps(), vec![radhus_platform::platform_module(&cfg), demo_module(vec![no_english])])
        .err()
        .expect("a missing language fails");
    assert!(err.to_string().contains("no en text"), "{err}");
}

#[tokio::test]
async fn a_staff_users_mail_goes_out_in_the_language_they_log_in_with() {
    let app = app().await;
    let (t, _) = app.tenant_with_admin("kil", "Kil", "1715").await;
    app.user(t, "eva@kil.se", "Eva", None, None).await;
    let mut c = app.client("kil.localhost");
    c.get("/?lang=en").await;
    let r = c.post_form("/logga-in", &[("email", "eva@kil.se"), ("password", radhus_testkit::PASSWORD)]).await;
    assert_eq!(r.status, 303);
    // Locked after too many wrong passwords: told in English.
    for _ in 0..app.state.config.lockout_failures {
        c.post_form("/logga-in", &[("email", "eva@kil.se"), ("password", "fel lösenord här")]).await;
    }
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let list = outbox::list(&mut tx, t, 10, 0).await.expect("outbox");
    let locked = list.iter().find(|m| m.recipient == "eva@kil.se").expect("lock mail");
    assert_eq!(locked.subject, "Your account has been locked for a while");
}

#[tokio::test]
async fn the_platform_host_sends_without_a_municipality() {
    let app = app().await;
    let (t, _) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut op = app.operator("drift@radhus.se").await;
    let pw = "ett nytt långt lösenord";
    let r = op.post_form("/konto/losenord", &[("current", radhus_testkit::PASSWORD), ("password", pw), ("password_repeat", pw)]).await;
    assert_eq!(r.status, 303, "{}", r.body);

    // Only the platform's own scope and the worker's see it; a municipality does not.
    let mut tx = app.db.read(Scope::Platform).await.expect("tx");
    let nil = uuid::Uuid::nil();
    let platform: Vec<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT recipient, subject FROM outbox WHERE tenant_id = $1").bind(nil).fetch_all(c).await.expect("rows"));
    tx.commit().await.expect("commit");
    assert_eq!(platform, vec![("drift@radhus.se".to_string(), "Ditt lösenord i Rådhus drift har ändrats".to_string())]);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    assert!(outbox::list(&mut tx, t, 10, 0).await.expect("list").is_empty());
    if matches!(app.db, radhus_platform::db::Db::Pg(_)) {
        // Row-level security: a municipality's transaction sees no platform-level row.
        let (n,): (i64,) = on_tx!(&mut tx, c => sqlx::query_as("SELECT COUNT(*) FROM outbox").fetch_one(c).await.expect("count"));
        assert_eq!(n, 0);
    }
    tx.commit().await.expect("commit");

    let smtp = SmtpServer::start().await;
    let tr = smtp_transports(&app, &smtp).await;
    assert_eq!(outbox::process_due(&app.db, &tr, app.now(), 5, 10).await.expect("process"), 1);
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, vec!["drift@radhus.se".to_string()]);
    assert!(mails[0].data.contains("http://localhost"), "{}", mails[0].data);
}
