//! The outbox delivers e-mail over real SMTP and SMS over an HTTP gateway, with retries.

use radhus_platform::config::{SmsConfig, SmtpConfig};
use radhus_platform::db::Scope;
use radhus_platform::outbox::{self, Channel, Message, Transports};
use radhus_testkit::TestApp;
use radhus_testkit::servers::{SmsGatewayServer, SmtpServer};
use time::Duration;

async fn transports(app: &TestApp, smtp: Option<&SmtpServer>, sms: Option<&SmsGatewayServer>) -> Transports {
    let mut cfg = app.state.config.clone();
    if let Some(s) = smtp {
        cfg.smtp = SmtpConfig {
            host: "127.0.0.1".into(),
            port: s.port,
            security: "none".into(),
            from: "Kils kommun <noreply@kil.se>".into(),
            ..SmtpConfig::default()
        };
    }
    if let Some(s) = sms {
        cfg.sms = SmsConfig { url: s.url.clone(), token: "hemlig-token".into(), sender: "Kil".into() };
    }
    Transports::from_config(&cfg, reqwest::Client::new()).expect("transports")
}

/// Queues one message the way a use case would, in a transaction of its own.
async fn queue(
    app: &TestApp,
    t: radhus_kernel::ids::TenantId,
    channel: Channel,
    recipient: &str,
    body: &str,
) -> radhus_kernel::ids::OutboxId {
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    let id = outbox::enqueue(&mut tx, t, &Message { channel, recipient, subject: "Hej", body }, app.now()).await.expect("enqueue");
    tx.commit().await.expect("commit");
    id
}

async fn row(app: &TestApp, t: radhus_kernel::ids::TenantId, id: radhus_kernel::ids::OutboxId) -> outbox::OutboxRow {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    outbox::get(&mut tx, t, id).await.expect("get").expect("row")
}

#[tokio::test]
async fn a_new_user_gets_a_welcome_mail_over_smtp() {
    let app = TestApp::new().await;
    let (t, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut c = app.login("kil", &email).await;
    let r = c
        .post_form(
            "/admin/anvandare",
            &[
                ("name", "Eva Nyström"),
                ("email", "eva.nystrom@kil.se"),
                ("password", "ett långt lösenord"),
                ("password_repeat", "ett långt lösenord"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let smtp = SmtpServer::start().await;
    let tr = transports(&app, Some(&smtp), None).await;
    let n = outbox::process_due(&app.db, &tr, app.now(), 5, 10).await.expect("process");
    assert_eq!(n, 1);
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, vec!["eva.nystrom@kil.se".to_string()]);
    assert_eq!(mails[0].from, "noreply@kil.se");
    assert!(mails[0].data.contains("Eva Nystr"), "{}", mails[0].data);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let list = outbox::list(&mut tx, t, 10, 0).await.expect("list");
    assert_eq!(list[0].status, "sent");
    assert_eq!(list[0].attempts, 1);
    // Nothing is sent twice.
    assert_eq!(outbox::process_due(&app.db, &tr, app.now() + Duration::hours(1), 5, 10).await.expect("process"), 0);
    assert_eq!(smtp.mails().len(), 1);
}

#[tokio::test]
async fn smtp_refusal_is_retried_with_backoff() {
    let app = TestApp::new().await;
    let t = app.tenant("kil", "Kil", "1715").await;
    let id = queue(&app, t, Channel::Email, "a@kil.se", "Text").await;
    let smtp = SmtpServer::start().await;
    smtp.set_reject(true);
    let tr = transports(&app, Some(&smtp), None).await;
    outbox::process_due(&app.db, &tr, app.now(), 5, 10).await.expect("process");
    let r = row(&app, t, id).await;
    assert_eq!((r.status.as_str(), r.attempts), ("pending", 1));
    assert_eq!(r.next_attempt_at, app.now() + Duration::seconds(60));
    assert!(r.last_error.as_deref().unwrap_or("").contains("451"), "{:?}", r.last_error);
    // Not due yet: nothing happens.
    assert_eq!(outbox::process_due(&app.db, &tr, app.now() + Duration::seconds(30), 5, 10).await.expect("process"), 0);
    smtp.set_reject(false);
    outbox::process_due(&app.db, &tr, app.now() + Duration::seconds(61), 5, 10).await.expect("process");
    let r = row(&app, t, id).await;
    assert_eq!((r.status.as_str(), r.attempts), ("sent", 2));
    assert_eq!(smtp.mails().len(), 1);
}

#[tokio::test]
async fn sms_goes_through_the_http_gateway_and_gives_up_after_max_attempts() {
    let app = TestApp::new().await;
    let t = app.tenant("kil", "Kil", "1715").await;
    let ok = queue(&app, t, Channel::Sms, "070-123 45 67", "Din tid är bokad.").await;
    let gw = SmsGatewayServer::start().await;
    let tr = transports(&app, None, Some(&gw)).await;
    outbox::process_due(&app.db, &tr, app.now(), 3, 10).await.expect("process");
    assert_eq!(row(&app, t, ok).await.status, "sent");
    let got = gw.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0.as_deref(), Some("Bearer hemlig-token"));
    assert_eq!(got[0].1, serde_json::json!({ "from": "Kil", "to": "+46701234567", "message": "Din tid är bokad." }));

    let failing = queue(&app, t, Channel::Sms, "0701234567", "x").await;
    gw.set_fail(true);
    let mut at = app.now();
    for _ in 0..3 {
        outbox::process_due(&app.db, &tr, at, 3, 10).await.expect("process");
        at += Duration::hours(7);
    }
    let r = row(&app, t, failing).await;
    assert_eq!((r.status.as_str(), r.attempts), ("failed", 3));
    assert!(r.last_error.as_deref().unwrap_or("").contains("500"));
}

#[tokio::test]
async fn without_transports_messages_fail_with_a_clear_reason() {
    let app = TestApp::new().await;
    let t = app.tenant("kil", "Kil", "1715").await;
    let id = queue(&app, t, Channel::Email, "a@kil.se", "Text").await;
    let tr = transports(&app, None, None).await;
    outbox::process_due(&app.db, &tr, app.now(), 1, 10).await.expect("process");
    let r = row(&app, t, id).await;
    assert_eq!(r.status, "failed");
    assert_eq!(r.last_error.as_deref(), Some("no SMTP server configured"));
}

#[tokio::test]
async fn municipality_templates_override_the_defaults() {
    let app = TestApp::new().await;
    let (t, email) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let mut c = app.login("kil", &email).await;
    let r = c
        .post_form(
            "/admin/mallar/platform.account-created/sv",
            &[("subject", "Välkommen till {{municipality}}!"), ("body", "Hej {{name}}, logga in på {{url}}.")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = c.post_form("/admin/mallar/platform.account-created/sv", &[("subject", "Hej"), ("body", "{{personnummer}}")]).await;
    assert_eq!(r.status, 422, "unknown placeholder refused");
    c.post_form(
        "/admin/anvandare",
        &[("name", "Eva"), ("email", "eva@kil.se"), ("password", "ett långt lösenord"), ("password_repeat", "ett långt lösenord")],
    )
    .await;
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let list = outbox::list(&mut tx, t, 10, 0).await.expect("list");
    assert_eq!(list[0].subject, "Välkommen till Kil!");
    assert!(list[0].body.starts_with("Hej Eva, logga in på http://kil.localhost/logga-in"), "{}", list[0].body);
}

#[tokio::test]
async fn a_secret_leaves_the_outbox_with_its_mail() {
    let app = TestApp::new().await;
    let t = app.tenant("kil", "Kil", "1715").await;
    let link = "http://kil.localhost/valarbete/mina-sidor/lank?t=engangsnyckel-123";
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    let m = Message { channel: Channel::Email, recipient: "erik@kil.se", subject: "Din länk", body: link };
    let secret = outbox::enqueue_secret(&mut tx, t, &m, app.now()).await.expect("enqueue");
    tx.commit().await.expect("commit");
    let plain = queue(&app, t, Channel::Email, "anna@kil.se", "Vanlig text").await;
    // Until it is sent the body is there for the worker.
    assert_eq!(row(&app, t, secret).await.body, link);
    let smtp = SmtpServer::start().await;
    let tr = transports(&app, Some(&smtp), None).await;
    assert_eq!(outbox::process_due(&app.db, &tr, app.now(), 5, 10).await.expect("process"), 2);
    assert!(smtp.mails().iter().any(|m| m.data.contains("engangsnyckel-123")), "the mail carried the link");
    let r = row(&app, t, secret).await;
    assert_eq!((r.status.as_str(), r.body.as_str()), ("sent", outbox::REDACTED));
    assert_eq!(row(&app, t, plain).await.body, "Vanlig text", "other messages keep their text");
    // One that fails for good loses it too.
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    let failing = outbox::enqueue_secret(&mut tx, t, &m, app.now()).await.expect("enqueue");
    tx.commit().await.expect("commit");
    smtp.set_reject(true);
    outbox::process_due(&app.db, &tr, app.now(), 1, 10).await.expect("process");
    let r = row(&app, t, failing).await;
    assert_eq!((r.status.as_str(), r.body.as_str()), ("failed", outbox::REDACTED));
}
