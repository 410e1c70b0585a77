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

/// Establishes, approves (by a second user) and dispatches a record.
async fn approve_and_dispatch(
    app: &radhus_testkit::TestApp,
    t: radhus_kernel::ids::TenantId,
    staff: &radhus_platform::identity::session::StaffUser,
    id: uuid::Uuid,
) -> radhus_platform::error::Result<()> {
    service::advance_record(&app.db, staff, id, RecordStatus::Established, app.now()).await?;
    let email = format!("chef-{id}@kil.se");
    let role = app.role(t, &format!("Chef {id}"), &["cases.read", "cases.handle"]).await;
    app.user(t, &email, "Chef Kil", None, Some((role, None))).await;
    let chef = app.staff(t, &email).await;
    service::send_for_approval(&app.db, staff, id, &[chef.user_id.0], app.now()).await?;
    service::decide_approval(&app.db, &chef, id, true, "", app.now()).await?;
    service::advance_record(&app.db, staff, id, RecordStatus::Dispatched, app.now()).await
}

async fn audit_actions(app: &radhus_testkit::TestApp, t: radhus_kernel::ids::TenantId) -> Vec<String> {
    let mut tx = app.db.read(radhus_platform::db::Scope::Tenant(t)).await.expect("tx");
    radhus_platform::audit::recent(&mut tx, Some(t), None, 200).await.expect("audit").into_iter().map(|r| r.action).collect()
}

#[tokio::test]
async fn a_registered_record_is_obliterated_with_a_reason_and_stays_in_the_diary() {
    let app = super::app().await;
    let (t, staff, ct) = super::setup(&app, "kil").await;
    let c = case(&app, &staff, ct).await;
    let first = service::add_record(&app.db, &staff, c, &record(RecordKind::Inbound, "Ansökan om bygglov", "Byggare AB"), app.now())
        .await
        .expect("in");
    let dup = service::add_record(&app.db, &staff, c, &record(RecordKind::Inbound, "Ansökan om bygglov", "Byggare AB"), app.now())
        .await
        .expect("duplicate");
    service::upload(&app.db, &staff, dup, None, "main", "Ansökan", "ansokan.txt", "text/plain", b"Ansokan", app.now())
        .await
        .expect("document");
    // A reason is required: the form comes back with the Swedish message, nothing changes.
    let mut web = app.login("kil", &staff.email).await;
    let r = web.post_form(&format!("/admin/handlingar/{dup}/makulera"), &[("obliteration_reason", "  ")]).await;
    assert_eq!(r.status, 422);
    super::assert_at_field(&r.body, "obliteration_reason", "Skriv varför handlingen makuleras. Skälet står kvar i diariet.");
    assert!(!service::read_record(&app.db, &staff, dup).await.expect("read").record.is_obliterated());
    // Only a registrar (or an administrator) obliterates.
    let role = app.role(t, "Handläggare", &["cases.read", "cases.handle"]).await;
    app.user(t, "handlaggare@kil.se", "Handläggare Kil", None, Some((role, None))).await;
    let worker = app.staff(t, "handlaggare@kil.se").await;
    let e = service::obliterate_record(&app.db, &worker, dup, "Dubblett", app.now()).await.expect_err("no registrar");
    assert!(matches!(e, radhus_platform::error::Error::Forbidden), "{e:?}");
    // The registrar obliterates it: kept, with the reason, in the case and its history.
    let page = web.get(&format!("/admin/handlingar/{dup}")).await;
    assert!(page.body.contains("/makulera"), "the registrar is offered the form");
    let r = web.post_form(&format!("/admin/handlingar/{dup}/makulera"), &[("obliteration_reason", "Dubblett av KS 2026/1-1")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let v = service::read_record(&app.db, &staff, dup).await.expect("kept");
    assert!(v.record.is_obliterated());
    assert_eq!(v.record.obliteration_reason, "Dubblett av KS 2026/1-1");
    assert_eq!(v.record.status, RecordStatus::Registered, "its status in the diary stays");
    assert_eq!(v.documents.len(), 1, "its documents are kept");
    let view = service::read_case(&app.db, &staff, c, service::Via::Page, app.now()).await.expect("case");
    assert_eq!(view.records.len(), 2);
    assert!(view.timeline.iter().any(|e| e.kind == "obliterated" && e.text.contains("makulerad: Dubblett av KS 2026/1-1")));
    assert!(audit_actions(&app, t).await.iter().any(|a| a == "record.obliterated"));
    let page = web.get(&format!("/admin/handlingar/{dup}")).await;
    assert!(page.body.contains("Makulerad") && page.body.contains("Dubblett av KS 2026/1-1"), "{}", page.body);
    assert!(page.body.contains("inte aktuella"), "its documents are not offered as current");
    assert!(!page.body.contains(&format!("/admin/handlingar/{dup}/dokument")), "no new versions");
    assert!(!page.body.contains(&format!("/admin/handlingar/{dup}/makulera")), "obliterated once");
    assert!(web.get(&format!("/admin/arenden/{c}")).await.body.contains("Makulerad"));
    // Not changed again, not deleted.
    let e = service::upload(&app.db, &staff, dup, None, "main", "Ny", "ny.txt", "text/plain", b"Ny", app.now()).await.expect_err("locked");
    assert_eq!(e.code().code, "CASE-029");
    let e = service::obliterate_record(&app.db, &staff, dup, "Igen", app.now()).await.expect_err("twice");
    assert_eq!(e.code().code, "CASE-029");
    assert_eq!(service::delete_record(&app.db, &staff, dup, app.now()).await.expect_err("kept").code().code, "CASE-008");
    // The public diary shows it obliterated with the date, without the staff's reason.
    let mut visitor = app.client("kil.localhost");
    let public = visitor.get(&format!("/diarium/arende/{c}")).await;
    assert_eq!(public.status, 200);
    assert!(public.body.contains(&format!("Makulerad {}", app.now().date())), "{}", public.body);
    assert!(!public.body.contains("Dubblett av"), "the reason is not public");
    let mut tx = app.db.read(radhus_platform::db::Scope::Tenant(t)).await.expect("tx");
    let (_, records) = radhus_cases::public::case_with_records(&mut tx, t, c).await.expect("public");
    tx.commit().await.expect("commit");
    assert_eq!(records.len(), 2, "both stay in the diary");
    assert_eq!(records.iter().filter(|r| r.obliterated.is_some()).count(), 1);
    // Over the API: the same use case, the same rules.
    let csrf = web.csrf().expect("csrf");
    let api = |body: &str| {
        axum::http::Request::post(format!("/api/v1/records/{first}/obliteration"))
            .header("content-type", "application/json")
            .header("x-csrf-token", &csrf)
            .body(axum::body::Body::from(body.to_string()))
            .expect("request")
    };
    let r = web.send(api(r#"{"reason":""}"#)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = web.send(api(r#"{"reason":"Registrerad i fel ärende"}"#)).await;
    assert_eq!(r.status, 204, "{}", r.body);
    let json = web.get(&format!("/api/v1/records/{first}")).await.json();
    assert_eq!(json["record"]["obliteration_reason"], "Registrerad i fel ärende", "{json}");
    assert!(json["record"]["obliterated_at"].is_string());
    // A decision obliterated is neither worked on nor dispatched.
    let decision = NewRecord { register: true, ..record(RecordKind::Decision, "Beslut", "Byggare AB") };
    let decision = service::add_record(&app.db, &staff, c, &decision, app.now()).await.expect("decision");
    service::obliterate_record(&app.db, &staff, decision, "Fel ärende", app.now()).await.expect("obliterate");
    let e = service::advance_record(&app.db, &staff, decision, RecordStatus::Established, app.now()).await.expect_err("obliterated");
    assert_eq!(e.code().code, "CASE-029");
    // A draft is deleted instead, and a dispatched record is corrected by a new one.
    let draft = service::add_record(&app.db, &staff, c, &record(RecordKind::Outbound, "Brev", "Byggare AB"), app.now()).await.expect("d");
    let e = service::obliterate_record(&app.db, &staff, draft, "Fel", app.now()).await.expect_err("draft");
    assert_eq!(e.code().code, "CASE-030");
    service::advance_record(&app.db, &staff, draft, RecordStatus::Registered, app.now()).await.expect("register");
    approve_and_dispatch(&app, t, &staff, draft).await.expect("dispatch");
    let e = service::obliterate_record(&app.db, &staff, draft, "Fel", app.now()).await.expect_err("dispatched");
    assert_eq!(e.code().code, "CASE-030");
}

#[tokio::test]
async fn decisions_dispatched_to_a_party_carry_how_to_appeal() {
    use radhus_cases::appeal;
    let app = super::app().await;
    let (t, staff, ct) = super::setup(&app, "kil").await;
    let c = case(&app, &staff, ct).await;
    let number = service::read_case(&app.db, &staff, c, service::Via::Page, app.now()).await.expect("case").case.number;
    let decision = |title: &str| NewRecord { register: true, ..record(RecordKind::Decision, title, "Byggare AB") };
    let attached = |docs: &[radhus_cases::store::DocumentVersion]| docs.iter().filter(|d| d.filename == appeal::FILENAME).count();
    let content = |id: uuid::Uuid| {
        let (app, staff) = (&app, &staff);
        async move {
            let v = service::read_record(&app.db, staff, id).await.expect("read");
            let doc = v.documents.iter().find(|d| d.filename == appeal::FILENAME).expect("attached").id;
            String::from_utf8(service::download(&app.db, staff, doc, app.now()).await.expect("download").1).expect("utf-8")
        }
    };
    // The shipped text, filled in for the case.
    let d1 = service::add_record(&app.db, &staff, c, &decision("Beslut om bygglov"), app.now()).await.expect("decision");
    approve_and_dispatch(&app, t, &staff, d1).await.expect("dispatch");
    let text = content(d1).await;
    assert!(text.contains("inom tre veckor från den dag då du fick del av beslutet"), "{text}");
    assert!(text.contains(&number) && text.contains("till kil, som har fattat beslutet"), "{text}");
    let view = service::read_case(&app.db, &staff, c, service::Via::Page, app.now()).await.expect("case");
    assert!(view.timeline.iter().any(|e| e.kind == "appeal" && e.text.contains("överklagandehänvisning bifogad")));
    assert!(audit_actions(&app, t).await.iter().any(|a| a == "record.appeal_instruction_attached"));
    // An outbound letter is no decision: nothing attached.
    let letter = NewRecord { register: true, ..record(RecordKind::Outbound, "Brev", "Byggare AB") };
    let letter = service::add_record(&app.db, &staff, c, &letter, app.now()).await.expect("letter");
    approve_and_dispatch(&app, t, &staff, letter).await.expect("dispatch");
    assert_eq!(attached(&service::read_record(&app.db, &staff, letter).await.expect("read").documents), 0);
    // The case type's own text, on the administration page.
    let mut web = app.login("kil", &staff.email).await;
    let page = web.get("/admin/diarier").await;
    assert!(page.body.contains("Överklagandehänvisning") && page.body.contains("inom tre veckor"), "{}", page.body);
    let own = "Överklaga hos Byggnadsnämnden i {kommun} inom tre veckor. Ange {diarienummer}.";
    let r = web.post_form(&format!("/admin/diarier/typer/{ct}/overklagande"), &[("appeal_instruction", own)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let d2 = service::add_record(&app.db, &staff, c, &decision("Beslut om startbesked"), app.now()).await.expect("decision");
    approve_and_dispatch(&app, t, &staff, d2).await.expect("dispatch");
    assert_eq!(content(d2).await, format!("Överklaga hos Byggnadsnämnden i kil inom tre veckor. Ange {number}."));
    // No instruction only with the reason why.
    let r = web.post_form(&format!("/admin/diarier/typer/{ct}/overklagande"), &[("appeal_instruction", own), ("appeal_exempt", "1")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("inte ska ha någon överklagandehänvisning"), "{}", r.body);
    let e = appeal::set(&app.db, &staff, ct, own, true, " ", app.now()).await.expect_err("no reason");
    assert!(matches!(e, radhus_platform::error::Error::Invalid(ref f) if f[0].field == "appeal_exempt_reason"), "{e:?}");
    appeal::set(&app.db, &staff, ct, own, true, "Beslut om yttranden kan inte överklagas", app.now()).await.expect("exempt");
    let d3 = service::add_record(&app.db, &staff, c, &decision("Yttrande"), app.now()).await.expect("decision");
    approve_and_dispatch(&app, t, &staff, d3).await.expect("dispatch");
    assert_eq!(attached(&service::read_record(&app.db, &staff, d3).await.expect("read").documents), 0);
    let view = service::read_case(&app.db, &staff, c, service::Via::Page, app.now()).await.expect("case");
    assert!(view.timeline.iter().any(|e| e.text.contains("utan överklagandehänvisning (Beslut om yttranden kan inte överklagas)")));
    // Back to the shipped text: an empty text restores it.
    appeal::set(&app.db, &staff, ct, "", false, "", app.now()).await.expect("shipped");
    let d4 = service::add_record(&app.db, &staff, c, &decision("Beslut om slutbesked"), app.now()).await.expect("decision");
    approve_and_dispatch(&app, t, &staff, d4).await.expect("dispatch");
    assert!(content(d4).await.contains("inom tre veckor från den dag"));
    // Only an administrator sets it.
    let role = app.role(t, "Handläggare", &["cases.read", "cases.handle"]).await;
    app.user(t, "h@kil.se", "Handläggare Kil", None, Some((role, None))).await;
    let worker = app.staff(t, "h@kil.se").await;
    assert!(matches!(appeal::set(&app.db, &worker, ct, own, false, "", app.now()).await, Err(radhus_platform::error::Error::Forbidden)));
}

#[tokio::test]
async fn a_committee_decision_dispatched_to_the_party_carries_how_to_appeal_and_the_party_gets_it() {
    use radhus_cases::intake::{self, By, Decision, Document};
    use radhus_cases::parties::{Identity, NewParty, PartyRole};
    use radhus_platform::db::Scope;
    let app = super::app().await;
    let (t, staff, ct) = super::setup(&app, "kil").await;
    let pnr: radhus_kernel::Personnummer = "19850315-2384".parse().expect("pnr");
    let party =
        NewParty { role: PartyRole::Applicant, name: "Astrid Lindqvist".into(), identity: Identity::Person(pnr), contact: String::new() };
    let n = NewCase { case_type: ct, title: "Bygglov, Tuppen 4".into(), parties: vec![party], ..Default::default() };
    let (c, number) = service::create_case(&app.db, &staff, &n, app.now()).await.expect("case");
    let by = By::System("Sammanträde: Byggnadsnämnden".into());
    let d = Decision {
        title: "Protokollsutdrag § 12".into(),
        decided_on: app.now().date(),
        document: Document { main: true, title: "Utdrag".into(), filename: "utdrag.pdf".into(), bytes: b"%PDF-1.7 utdrag".to_vec() },
    };
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    let (id, _) = intake::add_decision_in(&mut tx, t, &by, c, &d, app.now()).await.expect("decision");
    intake::dispatch_decision_in(&mut tx, t, &by, id, app.now()).await.expect("dispatch");
    tx.commit().await.expect("commit");
    let v = service::read_record(&app.db, &staff, id).await.expect("read");
    assert_eq!(v.record.status, RecordStatus::Dispatched);
    let doc = v.documents.iter().find(|d| d.filename == radhus_cases::appeal::FILENAME).expect("the instruction is attached");
    assert_eq!(doc.role, "attachment");
    let text = String::from_utf8(service::download(&app.db, &staff, doc.id, app.now()).await.expect("download").1).expect("utf-8");
    assert!(text.contains(&number) && text.contains("inom tre veckor"), "{text}");
    // The party finds it among what was sent to them in Mina ärenden.
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    let (_, sent) = radhus_cases::messages::for_citizen(&mut tx, t, c, &pnr, app.now()).await.expect("citizen").expect("a party");
    tx.commit().await.expect("commit");
    assert!(sent.iter().any(|s| s.filename == radhus_cases::appeal::FILENAME), "{sent:?}");
    assert!(sent.iter().any(|s| s.filename == "utdrag.pdf"));
}
