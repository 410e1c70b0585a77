//! Outgoing webhooks (issue 11 item 13), on SQLite and PostgreSQL: a local HTTP server in the
//! test receives the deliveries; the signature is checked with the secret the page showed once;
//! a 500 answer is retried after the backoff and then delivered; another municipality's
//! webhook never gets this municipality's events; bad URLs are refused at the field; and the
//! body carries no personal data.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use hmac::{Hmac, Mac};
use radhus_eservices::webhook;
use radhus_kernel::ids::TenantId;
use radhus_platform::db::Scope;
use radhus_platform::on_tx;
use radhus_testkit::{Client, TestApp};
use sha2::Sha256;
use uuid::Uuid;

use super::{ASTRID, app, citizen, count, municipality, publish, sha_of, start, step};

/// What the receiver got: the headers and the body of each POST.
type Got = Arc<Mutex<Vec<(HeaderMap, String)>>>;

/// A local HTTP server at `http://127.0.0.1:<port>/hook` that answers each POST with the next
/// status of `answers` (200 once they are used up).
struct Receiver {
    url: String,
    got: Got,
    answers: Arc<Mutex<VecDeque<u16>>>,
}

impl Receiver {
    fn got(&self) -> Vec<(HeaderMap, String)> {
        self.got.lock().expect("lock").clone()
    }
}

#[derive(Clone)]
struct Shared {
    got: Got,
    answers: Arc<Mutex<VecDeque<u16>>>,
}

async fn hook(State(s): State<Shared>, headers: HeaderMap, body: String) -> StatusCode {
    s.got.lock().expect("lock").push((headers, body));
    let code = s.answers.lock().expect("lock").pop_front().unwrap_or(200);
    StatusCode::from_u16(code).expect("status")
}

async fn receiver(answers: &[u16]) -> Receiver {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let shared = Shared { got: Arc::default(), answers: Arc::new(Mutex::new(answers.iter().copied().collect())) };
    let router = axum::Router::new().route("/hook", axum::routing::post(hook)).with_state(shared.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
    Receiver { url: format!("http://127.0.0.1:{}/hook", addr.port()), got: shared.got, answers: shared.answers }
}

const ALL_EVENTS: [&str; 5] = ["submission.received", "case.registered", "case.status_changed", "case.decided", "case.message"];

/// Adds a webhook through the page; returns the secret the answer shows once.
async fn add(admin: &mut Client, url: &str, events: &[&str], status: &str) -> String {
    let mut fields = vec![("url", url), ("status", status)];
    fields.extend(events.iter().map(|e| ("events", *e)));
    let r = admin.post_form("/admin/e-tjanster/webhooks", &fields).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Den visas bara den här gången"), "{}", r.body);
    let marker = "id=\"es-wh-secret\" name=\"secret\" value=\"";
    let at = r.body.find(marker).expect("the secret") + marker.len();
    let secret = r.body[at..].split('"').next().expect("value").to_string();
    assert!(secret.starts_with("whsec_") && secret.len() > 40, "{secret}");
    secret
}

/// Astrid fills in the test service and submits it.
async fn submit(c: &mut Client) {
    let draft = start(c).await;
    let r = c.post_form(&step(draft, 0), &[("namn", "Astrid Lindqvist"), ("epost", "astrid@example.se"), ("typ", "a")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(c.post_form(&step(draft, 2), &[("intygar", "true")]).await.status, 303);
    let r = c.get(&format!("/e-tjanster/provtjanst/{draft}/granska")).await;
    let r = c.post_form(&format!("/e-tjanster/provtjanst/{draft}/skicka"), &[("sha256", &sha_of(&r.body))]).await;
    assert_eq!(r.status, 303, "{}", r.body);
}

/// Hands case management's waiting events to the webhooks' subscriber, as the worker does.
async fn hand_over(app: &TestApp) -> usize {
    radhus_platform::changes::deliver(&app.db, &webhook::SUBSCRIBER, 100, app.now()).await.expect("changes")
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> &'a str {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// The receiver's check, written out as a receiver would: HMAC-SHA256 with the secret over
/// `<X-Radhus-Timestamp>.<body>`, in hex, compared with `X-Radhus-Signature` after `sha256=`.
fn verified(secret: &str, h: &HeaderMap, body: &str) -> bool {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(format!("{}.{body}", header(h, "x-radhus-timestamp")).as_bytes());
    let Some(hex_sig) = header(h, "x-radhus-signature").strip_prefix("sha256=") else { return false };
    let Ok(sig) = hex::decode(hex_sig) else { return false };
    mac.verify_slice(&sig).is_ok()
}

async fn webhook_id(app: &TestApp, t: TenantId) -> Uuid {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let list = webhook::list(&mut tx, t).await.expect("list");
    tx.commit().await.expect("commit");
    list.first().expect("a webhook").id
}

#[tokio::test]
async fn a_submission_and_its_case_events_are_delivered_signed_without_personal_data_and_a_500_is_retried() {
    let app = app().await;
    publish(&app).await;
    let (kil, mut admin, _) = municipality(&app, "kil", "Kil", "1715").await;
    // The receiver answers the first POST with 500, then 200.
    let rx = receiver(&[500]).await;
    let secret = add(&mut admin, &rx.url, &ALL_EVENTS, "active").await;
    let id = webhook_id(&app, kil).await;
    let r = admin.get("/admin/e-tjanster/webhooks").await;
    assert!(r.body.contains(&format!("href=\"/admin/e-tjanster/webhooks/{id}\"")) && r.body.contains(&rx.url), "{}", r.body);
    assert!(!r.body.contains(&secret), "the secret is shown once only");
    // It is stored sealed, not in the clear.
    assert_eq!(
        count(&app, kil, &format!("SELECT COUNT(*) FROM es_webhook WHERE tenant_id = $1 AND secret_sealed LIKE '%{secret}%'")).await,
        0
    );

    let mut c = citizen(&app, "kil.localhost", ASTRID).await;
    submit(&mut c).await;
    // Queued in the submission's transaction; the case's registration comes through the change log.
    let deliveries = "SELECT COUNT(*) FROM es_webhook_delivery WHERE tenant_id = $1";
    assert_eq!(count(&app, kil, deliveries).await, 1);
    assert!(hand_over(&app).await >= 1);
    assert_eq!(count(&app, kil, deliveries).await, 2);
    assert_eq!(hand_over(&app).await, 0, "handed over once");
    assert_eq!(count(&app, kil, deliveries).await, 2);

    // The first pass: one POST answered 500 (to be retried), one delivered.
    assert_eq!(webhook::deliver_due(&app.db, app.now(), 8).await.expect("deliver"), 2);
    assert_eq!(rx.got().len(), 2);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_webhook_delivery WHERE tenant_id = $1 AND status = 'delivered'").await, 1);
    let pending = "SELECT COUNT(*) FROM es_webhook_delivery WHERE tenant_id = $1 AND status = 'pending' AND attempts = 1";
    assert_eq!(count(&app, kil, pending).await, 1);
    // Not before the outbox's backoff (a minute after the first attempt).
    assert_eq!(webhook::deliver_due(&app.db, app.now(), 8).await.expect("deliver"), 0);
    app.clock.advance(time::Duration::seconds(59));
    assert_eq!(webhook::deliver_due(&app.db, app.now(), 8).await.expect("deliver"), 0);
    app.clock.advance(time::Duration::seconds(2));
    assert_eq!(webhook::deliver_due(&app.db, app.now(), 8).await.expect("deliver"), 1);
    let got = rx.got();
    assert_eq!(got.len(), 3);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_webhook_delivery WHERE tenant_id = $1 AND status = 'delivered'").await, 2);
    assert_eq!(got[0].1, got[2].1, "the retry sends the same body");

    let mut types = vec![];
    let mut case_ids = vec![];
    for (h, body) in &got {
        assert!(verified(&secret, h, body), "the signature checks out with the secret: {h:?}");
        assert!(!verified("whsec_another", h, body), "and not with another secret");
        assert!(!verified(&secret, h, &body.replace("1715", "1716")), "nor for a changed body");
        assert_eq!(header(h, "content-type"), "application/json");
        let ts: i64 = header(h, "x-radhus-timestamp").parse().expect("timestamp");
        assert!((ts - app.now().unix_timestamp()).abs() <= 61, "{ts}");
        // No personal data: no name, personal identity number, e-mail address or answer.
        for personal in ["Astrid", "Lindqvist", "19850315", "198503152384", "850315", "astrid@example.se", "Typ A"] {
            assert!(!body.contains(personal), "{personal} in {body}");
        }
        let v: serde_json::Value = serde_json::from_str(body).expect("json");
        assert_eq!(v["municipality"]["code"], "1715", "{v}");
        assert_eq!(v["municipality"]["name"], "Kil");
        assert_eq!(v["service_key"], "provtjanst");
        assert!(v["submission_id"].as_str().is_some_and(|s| Uuid::parse_str(s).is_ok()), "{v}");
        assert!(v["id"].as_str().is_some_and(|s| Uuid::parse_str(s).is_ok()), "{v}");
        assert!(v["occurred_at"].as_str().is_some_and(|s| s.contains('T')), "{v}");
        assert_eq!(header(h, "x-radhus-event"), v["type"].as_str().expect("type"));
        let number = v["case_number"].as_str().expect("a case number: registered at once");
        assert!(!number.is_empty());
        case_ids.push(v["case_id"].as_str().expect("the case's id").to_string());
        types.push((v["type"].as_str().expect("type").to_string(), v["status"].as_str().unwrap_or("").to_string()));
    }
    types.sort();
    types.dedup();
    assert_eq!(types, vec![("case.registered".into(), "open".into()), ("submission.received".into(), "registered".into())]);

    // A status change of the case: `case.status_changed` with the new status.
    let case: Uuid = {
        let mut tx = app.db.read(Scope::Tenant(kil)).await.expect("tx");
        let id: Uuid = on_tx!(&mut tx, cx => sqlx::query_scalar("SELECT case_id FROM es_submission WHERE tenant_id = $1")
            .bind(kil.0).fetch_one(cx).await.expect("case"));
        tx.commit().await.expect("commit");
        id
    };
    assert!(case_ids.iter().all(|c| *c == case.to_string()), "{case_ids:?}");
    let email = {
        let mut tx = app.db.read(Scope::Tenant(kil)).await.expect("tx");
        let (list, _) = radhus_platform::identity::users::list(&mut tx, kil, None, 10, 0).await.expect("users");
        tx.commit().await.expect("commit");
        list.into_iter().next().expect("admin").email
    };
    let staff = app.staff(kil, &email).await;
    radhus_cases::service::change_status(&app.db, &staff, case, radhus_cases::domain::CaseStatus::Suspended, "Väntar", app.now())
        .await
        .expect("status");
    assert!(hand_over(&app).await >= 1);
    assert_eq!(webhook::deliver_due(&app.db, app.now(), 8).await.expect("deliver"), 1);
    let last = rx.got().pop().expect("delivered");
    let v: serde_json::Value = serde_json::from_str(&last.1).expect("json");
    assert_eq!((v["type"].as_str(), v["status"].as_str()), (Some("case.status_changed"), Some("suspended")), "{v}");
    assert!(verified(&secret, &last.0, &last.1));

    // The delivery log on the webhook's page: the 500, the 200s, the attempt numbers.
    let r = admin.get(&format!("/admin/e-tjanster/webhooks/{id}")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<td>HTTP 500</td>") && r.body.contains("<td>HTTP 200</td>"), "{}", r.body);
    assert!(r.body.contains("Ansökan har kommit in") && r.body.contains("Ärendet har bytt status"), "{}", r.body);
    assert!(r.body.contains("<td>2</td>") && r.body.contains("<td>Levererad</td>"), "the retry is attempt 2: {}", r.body);
    assert!(!r.body.contains(&secret));

    // A new secret signs from now on; the old one no longer checks out.
    let r = admin.post_form(&format!("/admin/e-tjanster/webhooks/{id}/ny-hemlighet"), &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let marker = "id=\"es-wh-secret\" name=\"secret\" value=\"";
    let at = r.body.find(marker).expect("the secret") + marker.len();
    let rotated = r.body[at..].split('"').next().expect("value").to_string();
    assert_ne!(rotated, secret);
    radhus_cases::service::change_status(&app.db, &staff, case, radhus_cases::domain::CaseStatus::Open, "Åter", app.now())
        .await
        .expect("status");
    hand_over(&app).await;
    assert_eq!(webhook::deliver_due(&app.db, app.now(), 8).await.expect("deliver"), 1);
    let last = rx.got().pop().expect("delivered");
    assert!(verified(&rotated, &last.0, &last.1) && !verified(&secret, &last.0, &last.1));

    // Kept 30 days, then cleaned.
    assert_eq!(webhook::purge(&app.db, app.now()).await.expect("purge"), 0);
    app.clock.advance(time::Duration::days(31));
    assert_eq!(webhook::purge(&app.db, app.now()).await.expect("purge"), 4);
    assert_eq!(count(&app, kil, deliveries).await, 0);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_webhook_attempt WHERE tenant_id = $1").await, 0);
    assert!(rx.answers.lock().expect("lock").is_empty());
}

#[tokio::test]
async fn another_municipalitys_webhook_never_gets_this_municipalitys_events() {
    let app = app().await;
    publish(&app).await;
    let (kil, mut kil_admin, _) = municipality(&app, "kil", "Kil", "1715").await;
    let (arvika, mut arvika_admin, _) = municipality(&app, "arvika", "Arvika", "1784").await;
    let kil_rx = receiver(&[]).await;
    let arvika_rx = receiver(&[]).await;
    add(&mut kil_admin, &kil_rx.url, &ALL_EVENTS, "active").await;
    add(&mut arvika_admin, &arvika_rx.url, &ALL_EVENTS, "active").await;
    let kil_hook = webhook_id(&app, kil).await;

    let mut c = citizen(&app, "kil.localhost", ASTRID).await;
    submit(&mut c).await;
    hand_over(&app).await;
    assert_eq!(webhook::deliver_due(&app.db, app.now(), 8).await.expect("deliver"), 2);
    assert_eq!(kil_rx.got().len(), 2);
    assert!(arvika_rx.got().is_empty(), "Arvika's receiver got Kil's events");
    assert_eq!(count(&app, arvika, "SELECT COUNT(*) FROM es_webhook_delivery WHERE tenant_id = $1").await, 0);

    // Arvika's administrator can neither see, change nor remove Kil's webhook.
    assert_eq!(arvika_admin.get(&format!("/admin/e-tjanster/webhooks/{kil_hook}")).await.status, 404);
    assert_eq!(arvika_admin.get(&format!("/admin/e-tjanster/webhooks/{kil_hook}/ta-bort")).await.status, 404);
    assert_eq!(arvika_admin.post_form(&format!("/admin/e-tjanster/webhooks/{kil_hook}/ta-bort"), &[]).await.status, 404);
    assert_eq!(arvika_admin.post_form(&format!("/admin/e-tjanster/webhooks/{kil_hook}/ny-hemlighet"), &[]).await.status, 404);
    let fields = [("url", arvika_rx.url.as_str()), ("events", "submission.received"), ("status", "active")];
    assert_eq!(arvika_admin.post_form(&format!("/admin/e-tjanster/webhooks/{kil_hook}"), &fields).await.status, 404);
    assert!(!arvika_admin.get("/admin/e-tjanster/webhooks").await.body.contains(&kil_rx.url));
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_webhook WHERE tenant_id = $1").await, 1);
}

#[tokio::test]
async fn bad_urls_and_no_events_are_refused_at_the_field_and_nothing_is_stored() {
    let app = app().await;
    publish(&app).await;
    let (kil, mut admin, _) = municipality(&app, "kil", "Kil", "1715").await;
    for (url, message) in [
        (
            "http://mottagare.example.se/hook",
            "Skriv en adress som börjar med https://. Bara 127.0.0.1 och localhost får börja med http://.",
        ),
        ("https://192.168.1.10/hook", "Skriv en adress som kan nås från internet. Adresser i interna nät tas inte emot."),
        ("inte en adress", "Skriv en hel adress, till exempel https://system.kommun.se/webhook."),
        ("javascript:alert(1)", "Skriv en hel adress, till exempel https://system.kommun.se/webhook."),
    ] {
        let r = admin.post_form("/admin/e-tjanster/webhooks", &[("url", url), ("events", "case.decided"), ("status", "active")]).await;
        assert_eq!(r.status, 422, "{url}: {}", r.body);
        assert!(r.body.contains("href=\"#es-wh-url\""), "{url}: {}", r.body);
        assert!(
            r.body.contains(&format!("<p class=\"ds-validation-message\" data-field=\"validation\" id=\"es-wh-url-error\">{message}</p>")),
            "{url}: {}",
            r.body
        );
        assert!(r.body.contains("name=\"url\" type=\"url\""), "{}", r.body);
        assert!(r.body.contains("aria-invalid=\"true\" aria-describedby=\"es-wh-url-hint es-wh-url-error\""), "{url}: {}", r.body);
    }
    // No event, and an event that is not offered: at the events' group; the URL is kept.
    let r = admin.post_form("/admin/e-tjanster/webhooks", &[("url", "https://mottagare.example.se/<x>"), ("status", "active")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("href=\"#es-wh-events\"") && r.body.contains("Välj minst en händelse."), "{}", r.body);
    assert!(r.body.contains("value=\"https://mottagare.example.se/&#60;x&#62;\""), "kept, escaped: {}", r.body);
    assert!(!r.body.contains("<x>"), "escaped");
    let r = admin
        .post_form("/admin/e-tjanster/webhooks", &[("url", "https://mottagare.example.se/"), ("events", "case.deleted"), ("status", "x")])
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Välj bland händelserna i listan.") && r.body.contains("href=\"#es-wh-status\""), "{}", r.body);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_webhook WHERE tenant_id = $1").await, 0);

    // A paused webhook gets nothing; a refused change keeps the stored one.
    let rx = receiver(&[]).await;
    add(&mut admin, &rx.url, &["submission.received"], "paused").await;
    let id = webhook_id(&app, kil).await;
    let mut c = citizen(&app, "kil.localhost", ASTRID).await;
    submit(&mut c).await;
    hand_over(&app).await;
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_webhook_delivery WHERE tenant_id = $1").await, 0);
    let page = format!("/admin/e-tjanster/webhooks/{id}");
    let r = admin.post_form(&page, &[("url", "ftp://x.se/"), ("events", "submission.received"), ("status", "active")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("href=\"#es-wh-url\"") && r.body.contains("value=\"ftp://x.se/\""), "{}", r.body);
    assert!(admin.get(&page).await.body.contains(&format!("<code class=\"secret\">{}</code>", rx.url)));
    let r = admin.post_form(&page, &[("url", &rx.url), ("events", "submission.received"), ("status", "active")]).await;
    assert_eq!(r.location(), Some(format!("{page}?klar=1").as_str()), "{}", r.body);

    // Given up after the last attempt: the receiver answers 503 each time.
    rx.answers.lock().expect("lock").extend([503, 503]);
    submit(&mut citizen(&app, "kil.localhost", super::ERIK).await).await;
    assert_eq!(webhook::deliver_due(&app.db, app.now(), 2).await.expect("deliver"), 1);
    app.clock.advance(time::Duration::seconds(61));
    assert_eq!(webhook::deliver_due(&app.db, app.now(), 2).await.expect("deliver"), 1);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_webhook_delivery WHERE tenant_id = $1 AND status = 'failed'").await, 1);
    let r = admin.get(&page).await;
    assert!(r.body.contains("<td>HTTP 503</td>") && r.body.contains("<td>Gav upp</td>"), "{}", r.body);
    app.clock.advance(time::Duration::minutes(10));
    assert_eq!(webhook::deliver_due(&app.db, app.now(), 2).await.expect("deliver"), 0, "not tried again");

    // Removed only after the confirmation page; its log goes with it.
    let r = admin.get(&format!("{page}/ta-bort")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Vill du ta bort webhooken") && r.body.contains("Ja, ta bort webhooken"), "{}", r.body);
    assert!(r.body.contains("name=\"_csrf\""), "{}", r.body);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_webhook WHERE tenant_id = $1").await, 1);
    let r = admin.post_form(&format!("{page}/ta-bort"), &[]).await;
    assert_eq!(r.location(), Some("/admin/e-tjanster/webhooks?borttagen=1"), "{}", r.body);
    assert!(admin.get("/admin/e-tjanster/webhooks?borttagen=1").await.body.contains("Webhooken är borttagen."));
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_webhook WHERE tenant_id = $1").await, 0);
    assert_eq!(count(&app, kil, "SELECT COUNT(*) FROM es_webhook_delivery WHERE tenant_id = $1").await, 0);
    assert_eq!(admin.get(&page).await.status, 404);
}
