//! *Mina ärenden* on SQLite, and PostgreSQL when configured: the read model fed by case
//! management's events through the change log, and the citizen's page on every host.

use radhus_kernel::Personnummer;
use radhus_kernel::ids::TenantId;
use radhus_mycases::feed::SUBSCRIBER;
use radhus_mycases::phase::Phase;
use radhus_mycases::store;
use radhus_platform::changes::{self, Change};
use radhus_platform::db::Scope;
use radhus_platform::pii;
use radhus_testkit::TestApp;
use uuid::Uuid;

const ASTRID: &str = "19850315-2384";
const ERIK: &str = "19720901-4419";

async fn app() -> TestApp {
    TestApp::with_modules(|cfg| vec![radhus_platform::platform_module(cfg), radhus_mycases::module()], |_| {}).await
}

fn index(pnr: &str) -> String {
    pii::index(&pnr.parse::<Personnummer>().expect("pnr")).expect("index")
}

/// Records an event of case management's stream as `radhus_cases::events` does.
async fn event(app: &TestApp, t: TenantId, kind: &'static str, case: Uuid, extra: serde_json::Value) {
    let mut data = serde_json::json!({ "case_id": case, "case_number": "KS 2026/7" });
    if let (Some(d), serde_json::Value::Object(x)) = (data.as_object_mut(), extra) {
        d.extend(x);
    }
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    changes::record(&mut tx, t, &Change { stream: "cases", kind, object_id: case, data }, app.now()).await.expect("record");
    tx.commit().await.expect("commit");
}

async fn opened(app: &TestApp, t: TenantId, title: &str, persons: &[&str]) -> Uuid {
    let case = Uuid::now_v7();
    let persons: Vec<String> = persons.iter().map(|p| index(p)).collect();
    let data = serde_json::json!({ "title": title, "case_type": "Bygglov", "caseworker_id": null, "persons": persons });
    event(app, t, "case.opened", case, data).await;
    case
}

async fn deliver(app: &TestApp) {
    changes::deliver(&app.db, &SUBSCRIBER, 100, app.now()).await.expect("deliver");
}

async fn cases_of(app: &TestApp, pnr: &str, only: Option<TenantId>) -> Vec<store::MyCase> {
    let i = index(pnr);
    let mut tx = app.db.read(Scope::citizen_from_hex(&i).expect("scope")).await.expect("tx");
    let v = store::cases_of(&mut tx, &i, only).await.expect("cases");
    tx.commit().await.expect("commit");
    v
}

#[tokio::test]
async fn case_events_move_the_citizens_phase_and_come_again_harmlessly() {
    let app = app().await;
    let kil = app.tenant("kil", "Kil", "1715").await;
    let ksd = app.tenant("karlstad", "Karlstad", "1780").await;
    let a = opened(&app, kil, "Bygglov, Tuppen 4", &[ASTRID, ERIK]).await;
    let b = opened(&app, ksd, "Parkeringstillstånd", &[ASTRID]).await;
    opened(&app, ksd, "Någon annans", &[]).await;
    deliver(&app).await;
    let mine = cases_of(&app, ASTRID, None).await;
    assert_eq!(mine.len(), 2);
    assert!(mine.iter().all(|c| c.phase == Phase::Registered));
    assert_eq!(cases_of(&app, ASTRID, Some(kil)).await.len(), 1);
    assert_eq!(cases_of(&app, ERIK, None).await.len(), 1);

    event(&app, kil, "case.assigned", a, serde_json::json!({ "caseworker_id": Uuid::now_v7() })).await;
    event(&app, ksd, "decision.dispatched", b, serde_json::json!({})).await;
    deliver(&app).await;
    let phase = |v: &[store::MyCase], c: Uuid| v.iter().find(|x| x.case_id == c).map(|x| x.phase);
    let mine = cases_of(&app, ASTRID, None).await;
    assert_eq!(phase(&mine, a), Some(Phase::InProgress));
    assert_eq!(phase(&mine, b), Some(Phase::Decided));
    assert!(mine.iter().find(|x| x.case_id == b).and_then(|x| x.decided_at).is_some());

    event(&app, ksd, "case.closed", b, serde_json::json!({ "from": "open", "to": "closed" })).await;
    event(&app, kil, "case.obliterated", a, serde_json::json!({})).await;
    deliver(&app).await;
    let mine = cases_of(&app, ASTRID, None).await;
    assert_eq!(mine.len(), 1, "the obliterated case is gone");
    assert_eq!(phase(&mine, b), Some(Phase::Closed));
    // Reopened: handled again.
    event(&app, ksd, "case.status_changed", b, serde_json::json!({ "from": "closed", "to": "open" })).await;
    deliver(&app).await;
    assert_eq!(phase(&cases_of(&app, ASTRID, None).await, b), Some(Phase::InProgress));

    // Every event again (a crash after handling, before the cursor moved): nothing changes.
    let before = cases_of(&app, ASTRID, None).await.len();
    for tenant in [kil, ksd] {
        let mut tx = app.db.write(Scope::Tenant(tenant)).await.expect("tx");
        let events = changes::after(&mut tx, tenant, 0, 100).await.expect("events");
        for e in &events {
            radhus_mycases::feed::apply(&mut tx, e).await.expect("again");
        }
        tx.commit().await.expect("commit");
    }
    assert_eq!(cases_of(&app, ASTRID, None).await.len(), before);
}

#[tokio::test]
async fn the_page_lists_every_municipality_on_the_platform_host_and_one_on_its_own() {
    let app = app().await;
    let kil = app.tenant("kil", "Kil", "1715").await;
    let ksd = app.tenant("karlstad", "Karlstad", "1780").await;
    let tuppen = opened(&app, kil, "Bygglov, Tuppen 4", &[ASTRID]).await;
    let parking = opened(&app, ksd, "Parkeringstillstånd <b>", &[ASTRID]).await;
    let eriks = opened(&app, ksd, "Eriks strandskydd", &[ERIK]).await;
    event(&app, ksd, "decision.dispatched", parking, serde_json::json!({ "record_number": "KS 2026/7-2", "kind": "decision" })).await;
    deliver(&app).await;

    // Not logged in: the page offers the e-ID login.
    let mut anon = app.client("localhost");
    let r = anon.get("/mina-arenden").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("/e-legitimation?next=%2Fmina-arenden"));

    let mut c = app.client("localhost");
    assert_eq!(c.post_form("/e-legitimation/test", &[("person", ASTRID)]).await.status, 303);
    let r = c.get("/mina-arenden").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Bygglov, Tuppen 4") && r.body.contains("Parkeringstillstånd &#60;b&#62;"), "{}", r.body);
    assert!(r.body.contains("Kils kommun") && r.body.contains("Karlstads kommun"), "{}", r.body);
    assert!(!r.body.contains("Eriks strandskydd"), "another citizen's case");
    assert!(r.body.contains("Registrerat"));
    // A case's own page: its history as the citizen sees it.
    let r = c.get(&format!("/mina-arenden/{}/{parking}", ksd.0)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Ärendet registrerades") && r.body.contains("Beslutet skickades till dig (KS 2026/7-2)"), "{}", r.body);
    assert!(r.body.contains("Beslutat"));
    // Another citizen's case, a case under the wrong municipality and a malformed id: not found.
    assert_eq!(c.get(&format!("/mina-arenden/{}/{eriks}", ksd.0)).await.status, 404);
    assert_eq!(c.get(&format!("/mina-arenden/{}/{parking}", kil.0)).await.status, 404);
    assert_eq!(c.get(&format!("/mina-arenden/{}/inte-ett-id", ksd.0)).await.status, 404);
    // Not logged in: sent to log in.
    let r = anon.get(&format!("/mina-arenden/{}/{parking}", ksd.0)).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), Some(format!("/e-legitimation?next=%2Fmina-arenden%2F{}%2F{parking}", ksd.0).as_str()));

    let mut k = app.client("kil.localhost");
    assert_eq!(k.post_form("/e-legitimation/test", &[("person", ASTRID)]).await.status, 303);
    let r = k.get("/mina-arenden").await;
    assert!(r.body.contains("Bygglov, Tuppen 4"), "{}", r.body);
    assert!(!r.body.contains("Parkeringstillstånd"), "Karlstad's case on Kil's host");
    assert!(r.body.contains("http://localhost/mina-arenden"), "the link to every municipality");
    assert_eq!(k.get(&format!("/mina-arenden/{}/{tuppen}", kil.0)).await.status, 200);
    assert_eq!(k.get(&format!("/mina-arenden/{}/{parking}", ksd.0)).await.status, 404, "Karlstad's case on Kil's host");
    // The reading is in the audit log, by blind index.
    let mut tx = app.db.read(Scope::Tenant(kil)).await.expect("tx");
    let (n,): (i64,) = radhus_platform::on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT COUNT(*) FROM audit_event WHERE tenant_id = $1 AND action = 'my.cases.read' AND actor_id LIKE 'pnr:%'")
        .bind(kil.0).fetch_one(c).await.expect("count"));
    tx.commit().await.expect("commit");
    assert_eq!(n, 1);
}

#[tokio::test]
async fn a_staff_transaction_of_one_municipality_reads_no_other_municipalitys_rows() {
    let app = app().await;
    let kil = app.tenant("kil", "Kil", "1715").await;
    let ksd = app.tenant("karlstad", "Karlstad", "1780").await;
    opened(&app, kil, "Kils", &[ASTRID]).await;
    opened(&app, ksd, "Karlstads", &[ASTRID]).await;
    deliver(&app).await;
    if app.db.kind() != radhus_platform::db::DbKind::Postgres {
        return; // Row-level security is PostgreSQL's; SQLite relies on the queries' filters.
    }
    // Row-level security: Kil's scope sees Kil's rows even when it asks for the citizen's all.
    let i = index(ASTRID);
    let mut tx = app.db.read(Scope::Tenant(kil)).await.expect("tx");
    let seen = store::cases_of(&mut tx, &i, None).await.expect("cases");
    tx.commit().await.expect("commit");
    assert_eq!(seen.iter().map(|c| c.title.as_str()).collect::<Vec<_>>(), ["Kils"]);
    // Another citizen's scope sees none of Astrid's rows.
    let e = index(ERIK);
    let mut tx = app.db.read(Scope::citizen_from_hex(&e).expect("scope")).await.expect("tx");
    let seen = store::cases_of(&mut tx, &i, None).await.expect("cases");
    tx.commit().await.expect("commit");
    assert!(seen.is_empty());
}

#[tokio::test]
async fn an_e_mail_link_session_does_not_open_mina_arenden() {
    use radhus_platform::identity::session::{self, Assurance, Identified, Kind, NewSession};
    let app = app().await;
    let kil = app.tenant("kil", "Kil", "1715").await;
    opened(&app, kil, "Bygglov, Tuppen 4", &[ASTRID]).await;
    deliver(&app).await;
    // A session as the poll worker's one-time e-mail link makes it: a citizen, not e-ID.
    let mut tx = app.db.write(Scope::Platform).await.expect("tx");
    let new = NewSession {
        kind: Kind::Citizen,
        tenant_id: Some(kil),
        user_id: None,
        citizen_pnr: Some(ASTRID.into()),
        display_name: "Astrid Lindqvist".into(),
        totp_pending: false,
    };
    let token = session::create(&mut tx, &new, app.now(), &app.state.config).await.expect("session");
    let how = Identified { method: "email-link".into(), assurance: Assurance::Email, sso_group: None };
    session::mark_citizen(&mut tx, &token, &how).await.expect("mark");
    tx.commit().await.expect("commit");
    let mut c = app.client("kil.localhost");
    c.cookies.push((session::session_cookie(&app.state.config).to_string(), token));
    let r = c.get("/mina-arenden").await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("kräver inloggning med e-legitimation"), "{}", r.body);
    assert!(!r.body.contains("Tuppen 4"));
}

mod payment;
mod usability;
