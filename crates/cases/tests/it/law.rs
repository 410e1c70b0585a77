//! Issue 20: inbound records are registered on arrival and kept, late registrations are
//! flagged, the drawn-up date follows TF 2 kap. 10 §, and nothing is dispatched without a
//! recipient. SQLite, and PostgreSQL when configured.

use radhus_cases::domain::{CaseStatus, RecordKind, RecordStatus};
use radhus_cases::service::{self, NewCase, NewRecord};
use time::Duration;

fn record(kind: RecordKind, title: &str, correspondent: &str) -> NewRecord {
    NewRecord {
        kind,
        title: title.into(),
        correspondent: correspondent.into(),
        correspondent_is_person: false,
        document_date: None,
        received_on: None,
        memo_text: if kind == RecordKind::Memo { "Samtal med sökanden.".into() } else { String::new() },
        register: false,
    }
}

async fn case(app: &radhus_testkit::TestApp, staff: &radhus_platform::identity::session::StaffUser, ct: uuid::Uuid) -> uuid::Uuid {
    let n = NewCase { case_type: ct, title: "Bygglov, Lyckan 2".into(), ..Default::default() };
    service::create_case(&app.db, staff, &n, app.now()).await.expect("case").0
}

#[tokio::test]
async fn inbound_records_are_registered_kept_and_flagged_when_late() {
    let app = super::app().await;
    let (t, staff, ct) = super::setup(&app, "kil").await;
    let c = case(&app, &staff, ct).await;
    // Not asked to register: an inbound record is registered anyway.
    let on_time =
        service::add_record(&app.db, &staff, c, &record(RecordKind::Inbound, "Ansökan", "Byggare AB"), app.now()).await.expect("in");
    let v = service::read_record(&app.db, &staff, on_time).await.expect("read");
    assert_eq!(v.record.status, RecordStatus::Registered);
    assert!(v.record.registered_at.is_some());
    assert!(!v.record.registered_late());
    assert_eq!(v.record.drawn_up(&v.case), None, "an inbound record is received, never drawn up");
    // Never deleted.
    let e = service::delete_record(&app.db, &staff, on_time, app.now()).await.expect_err("kept");
    assert_eq!(e.code().code, "CASE-008");
    assert!(service::read_record(&app.db, &staff, on_time).await.is_ok());
    // Came in three days ago, registered today: flagged.
    let late =
        NewRecord { received_on: Some(app.now().date() - Duration::days(3)), ..record(RecordKind::Inbound, "Grannyttrande", "Granne AB") };
    let late = service::add_record(&app.db, &staff, c, &late, app.now()).await.expect("late");
    assert!(service::read_record(&app.db, &staff, late).await.expect("read").record.registered_late());
    let mut web = app.login("kil", &staff.email).await;
    let page = web.get(&format!("/admin/handlingar/{late}")).await;
    assert!(page.body.contains("Sent registrerad"), "{}", page.body);
    assert!(!page.body.contains("/ta-bort"), "no delete button on an inbound record");
    assert!(web.get(&format!("/admin/arenden/{c}")).await.body.contains("Sent registrerad"));
    let list = web.get("/admin/sent-registrerade").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains(&format!("/admin/handlingar/{late}")) && list.body.contains("Grannyttrande"), "{}", list.body);
    assert!(!list.body.contains(&format!("/admin/handlingar/{on_time}")), "registered the day it came in");
    assert!(list.body.contains("3 dagar"));
    // Someone who only reads cases is no registrar.
    let reader = app.role(t, "Läsare", &["cases.read"]).await;
    app.user(t, "lasare@kil.se", "Läsare Kil", None, Some((reader, None))).await;
    assert_eq!(app.login("kil", "lasare@kil.se").await.get("/admin/sent-registrerade").await.status, 403);
    // Another municipality's registrar sees none of Kil's.
    let (_, other, _) = super::setup(&app, "arvika").await;
    assert!(service::late_registrations(&app.db, &other).await.expect("list").is_empty());
    assert_eq!(service::late_registrations(&app.db, &staff).await.expect("list").len(), 1);
}

#[tokio::test]
async fn the_drawn_up_date_follows_the_press_act() {
    let app = super::app().await;
    let (t, staff, ct) = super::setup(&app, "kil").await;
    let c = case(&app, &staff, ct).await;
    let draft =
        service::add_record(&app.db, &staff, c, &record(RecordKind::Outbound, "Brev", "Byggare AB"), app.now()).await.expect("draft");
    let v = service::read_record(&app.db, &staff, draft).await.expect("read");
    assert_eq!(v.record.status, RecordStatus::Drafted);
    assert_eq!(v.record.drawn_up(&v.case), None, "a draft is not drawn up");
    let mut web = app.login("kil", &staff.email).await;
    let page = web.get(&format!("/admin/handlingar/{draft}")).await;
    assert!(!page.body.contains("Upprättad"), "a draft is never called upprättad");
    // A memo is drawn up when completed (registered).
    let memo = NewRecord { register: true, ..record(RecordKind::Memo, "Telefonsamtal", "") };
    let memo = service::add_record(&app.db, &staff, c, &memo, app.now()).await.expect("memo");
    let v = service::read_record(&app.db, &staff, memo).await.expect("read");
    assert_eq!(v.record.drawn_up(&v.case), v.record.registered_at);
    assert!(web.get(&format!("/admin/handlingar/{memo}")).await.body.contains("Upprättad"));
    // An outbound record dispatched: drawn up when dispatched.
    let later = app.now() + Duration::hours(2);
    for to in [RecordStatus::Registered, RecordStatus::Established] {
        service::advance_record(&app.db, &staff, draft, to, app.now()).await.expect("advance");
    }
    let role = app.role(t, "Chef", &["cases.read", "cases.handle"]).await;
    app.user(t, "chef@kil.se", "Chef Kil", None, Some((role, None))).await;
    let chef = app.staff(t, "chef@kil.se").await;
    service::send_for_approval(&app.db, &staff, draft, &[chef.user_id.0], app.now()).await.expect("send");
    service::decide_approval(&app.db, &chef, draft, true, "", app.now()).await.expect("approve");
    service::advance_record(&app.db, &staff, draft, RecordStatus::Dispatched, later).await.expect("dispatch");
    let v = service::read_record(&app.db, &staff, draft).await.expect("read");
    assert_eq!(v.record.drawn_up(&v.case), Some(later));
    // A decision never dispatched: drawn up when its case is closed.
    let decision = NewRecord { register: true, ..record(RecordKind::Decision, "Beslut", "") };
    let decision = service::add_record(&app.db, &staff, c, &decision, app.now()).await.expect("decision");
    let v = service::read_record(&app.db, &staff, decision).await.expect("read");
    assert_eq!(v.record.drawn_up(&v.case), None, "open case, not dispatched");
    let closed = app.now() + Duration::hours(3);
    service::change_status(&app.db, &staff, c, CaseStatus::Closed, "", closed).await.expect("close");
    let v = service::read_record(&app.db, &staff, decision).await.expect("read");
    assert_eq!(v.record.drawn_up(&v.case), Some(closed));
}

#[tokio::test]
async fn nothing_is_dispatched_without_a_recipient() {
    let app = super::app().await;
    let (t, staff, ct) = super::setup(&app, "kil").await;
    let c = case(&app, &staff, ct).await;
    let decision = NewRecord { register: true, ..record(RecordKind::Decision, "Beslut om bygglov", "") };
    let d = service::add_record(&app.db, &staff, c, &decision, app.now()).await.expect("decision");
    service::advance_record(&app.db, &staff, d, RecordStatus::Established, app.now()).await.expect("establish");
    let role = app.role(t, "Chef", &["cases.read", "cases.handle"]).await;
    app.user(t, "chef@kil.se", "Chef Kil", None, Some((role, None))).await;
    let chef = app.staff(t, "chef@kil.se").await;
    service::send_for_approval(&app.db, &staff, d, &[chef.user_id.0], app.now()).await.expect("send");
    service::decide_approval(&app.db, &chef, d, true, "", app.now()).await.expect("approve");
    let e = service::advance_record(&app.db, &staff, d, RecordStatus::Dispatched, app.now()).await.expect_err("no recipient");
    assert_eq!(e.code().code, "CASE-028");
    let mut web = app.login("kil", &staff.email).await;
    let r = web.post_form(&format!("/admin/handlingar/{d}/status"), &[("status", "dispatched")]).await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("utan mottagare"), "{}", r.body);
    let v = service::read_record(&app.db, &staff, d).await.expect("read");
    assert_eq!(v.record.status, RecordStatus::Approved, "nothing half-written");
    assert_eq!(v.record.dispatched_at, None);
}
