//! The official memo as a step of its own (issue 18 items 10-12): started from the case,
//! written, established after a confirmation page, approved; approved means frozen; the PDF
//! names the municipality in the genitive, carries the public title and lists the case's
//! real documents as its decision basis.

use radhus_cases::domain::{RecordKind, RecordStatus};
use radhus_cases::memo::{self, MemoText, NewMemo};
use radhus_cases::parties::{Identity, NewParty, PartyRole};
use radhus_cases::service::{self, NewCase, NewRecord};
use radhus_kernel::ids::TenantId;
use radhus_platform::db::Scope;
use radhus_platform::identity::session::StaffUser;
use radhus_testkit::TestApp;
use radhus_testkit::client::{Client, Response};
use uuid::Uuid;

/// Karlstad (whose name takes a genitive -s) with a registry, a case type and a case whose
/// internal title names the private applicant; the public title does not.
async fn karlstad(app: &TestApp) -> (TenantId, StaffUser, Uuid, String) {
    let (t, email) = app.tenant_with_admin("karlstad", "Karlstad", "1780").await;
    let staff = app.staff(t, &email).await;
    let reg = service::create_registry(&app.db, &staff, "BN", "Byggnadsnämnden", "", app.now()).await.expect("registry");
    let ct = service::create_case_type(&app.db, &staff, "Bygglov", reg, None, 70, app.now()).await.expect("type");
    let n = NewCase {
        case_type: ct,
        title: "Bygglov för garage åt Astrid Lindqvist".into(),
        public_title: "Bygglov för garage, Skåre 1:23".into(),
        parties: vec![NewParty {
            role: PartyRole::Applicant,
            name: "Astrid Lindqvist".into(),
            identity: Identity::Unidentified,
            contact: String::new(),
        }],
        ..Default::default()
    };
    let (case, number) = service::create_case(&app.db, &staff, &n, app.now()).await.expect("case");
    (t, staff, case, number)
}

fn inbound(title: &str) -> NewRecord {
    NewRecord {
        kind: RecordKind::Inbound,
        title: title.into(),
        correspondent: "Astrid Lindqvist".into(),
        correspondent_is_person: true,
        document_date: None,
        received_on: None,
        memo_text: String::new(),
        register: true,
    }
}

fn text() -> MemoText {
    MemoText {
        proposal: "Nämnden beviljar bygglov.".into(),
        summary: "Ansökan gäller ett garage.".into(),
        background: String::new(),
        assessment: String::new(),
    }
}

/// Posts a file to a record's document form (multipart), as the record page does.
async fn upload(c: &mut Client, record: Uuid, filename: &str, bytes: &[u8]) -> Response {
    let boundary = "XBOUNDARYX";
    let mut body = Vec::new();
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"role\"\r\n\r\nattachment\r\n").as_bytes());
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let token = c.csrf().unwrap_or_default();
    let req = axum::http::Request::post(format!("/admin/handlingar/{record}/dokument?_csrf={token}"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(axum::body::Body::from(body))
        .expect("req");
    c.send(req).await
}

#[tokio::test]
async fn a_memo_is_started_from_the_case_and_led_through_its_steps() {
    let app = super::app().await;
    let (t, staff, case, number) = karlstad(&app).await;
    let mut c = app.login("karlstad", &staff.email).await;

    // The start page: the public title is filled in, never the internal one.
    let page = c.get(&format!("/admin/arenden/{case}/tjansteskrivelse")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Tjänsteskrivelse – Bygglov för garage, Skåre 1:23"), "{}", page.body);
    assert!(!page.body.contains("Astrid"), "no private name on the page: {}", page.body);
    assert!(page.body.contains("aria-current=\"step\""), "the step indicator");
    // Without a recipient the form comes back with the message.
    let r = c.post_form(&format!("/admin/arenden/{case}/tjansteskrivelse"), &[("title", ""), ("correspondent", " ")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = c.post_form(&format!("/admin/arenden/{case}/tjansteskrivelse"), &[("title", ""), ("correspondent", "Byggnadsnämnden")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let location = r.headers.get("location").and_then(|v| v.to_str().ok()).expect("location").to_string();
    let record: Uuid = location.trim_start_matches("/admin/handlingar/").trim_end_matches("#memo").parse().expect("record id");
    let v = service::read_record(&app.db, &staff, record).await.expect("read");
    assert_eq!((v.record.kind, v.record.status), (RecordKind::Outbound, RecordStatus::Drafted));
    assert_eq!(v.record.title, "Tjänsteskrivelse – Bygglov för garage, Skåre 1:23");
    assert_eq!(v.record.correspondent, "Byggnadsnämnden");

    // Step one: the memo form is open at once, before any upload.
    let page = c.get(&location).await;
    let form_at = page.body.find("/tjansteskrivelse\"").expect("memo form");
    let upload_at = page.body.find("/dokument?_csrf").expect("upload form");
    assert!(form_at < upload_at, "the memo comes first");
    assert!(page.body.contains("skriv texterna nedan"), "what is next");

    // The basis: an application that came in, a secret record and one obliterated.
    let application = service::add_record(&app.db, &staff, case, &inbound("Ansökan om bygglov"), app.now()).await.expect("inbound");
    let secret = service::add_record(&app.db, &staff, case, &inbound("Läkarintyg för Astrid"), app.now()).await.expect("secret");
    service::mark_secrecy(&app.db, &staff, secret, &["title".into()], "OSL 25 kap. 1 §", app.now()).await.expect("secrecy");
    let wrong = service::add_record(&app.db, &staff, case, &inbound("Fel ärende"), app.now()).await.expect("wrong");
    service::obliterate_record(&app.db, &staff, wrong, "Fel ärende", app.now()).await.expect("obliterate");
    service::upload(&app.db, &staff, record, None, "attachment", "Situationsplan", "plan.pdf", "application/pdf", b"%PDF plan", app.now())
        .await
        .expect("attachment");
    let data = memo::template_data(&app.db, &staff, record, &text(), app.now()).await.expect("data");
    assert_eq!(data["municipality"], "Karlstads kommun", "the genitive as elsewhere");
    assert_eq!(data["unit"], "Karlstads kommun", "no unit: the municipality");
    assert_eq!(data["title"], "Bygglov för garage, Skåre 1:23", "the public title");
    assert_eq!(data["case_title"], "Bygglov för garage, Skåre 1:23");
    assert!(!data.to_string().contains("Lindqvist"), "no private person anywhere: {data}");
    let basis: Vec<String> = data["basis"].as_array().expect("basis").iter().map(|b| b.as_str().unwrap_or_default().to_string()).collect();
    let app_no = service::read_record(&app.db, &staff, application).await.expect("read").number();
    let secret_no = service::read_record(&app.db, &staff, secret).await.expect("read").number();
    assert!(basis[0].starts_with("Tjänsteskrivelse "), "{basis:?}");
    assert!(basis.iter().any(|b| b.starts_with("Ansökan om bygglov, inkom ") && b.ends_with(&format!("({app_no})"))), "{basis:?}");
    assert!(basis.iter().any(|b| b.starts_with("[Sekretess], inkom ") && b.ends_with(&format!("({secret_no})"))), "{basis:?}");
    assert!(!basis.iter().any(|b| b.contains("Läkarintyg")), "a secret title is not printed: {basis:?}");
    assert!(!basis.iter().any(|b| b.contains("Fel ärende")), "obliterated records are no basis: {basis:?}");
    assert!(basis.contains(&"Situationsplan".to_string()), "the record's own attachment: {basis:?}");

    // Generated: the PDF's title is the public one.
    let v1 = memo::generate(&app.db, &staff, record, &text(), app.now()).await.expect("memo");
    let (_, pdf) = service::download(&app.db, &staff, v1, app.now()).await.expect("download");
    let raw = String::from_utf8_lossy(&pdf);
    let memo_no = format!("{number}-{}", v.record.running_no);
    assert!(raw.contains(&format!("Tjänsteskrivelse {memo_no} Bygglov för garage, Skåre 1:23")), "XMP title");
    assert!(!raw.contains("Lindqvist"));
    let page = c.get(&location).await;
    assert!(page.body.contains("registrera handlingen"), "next: register");

    // Establishing goes through a confirmation page (not a script dialog).
    assert_eq!(c.post_form(&format!("/admin/handlingar/{record}/status"), &[("status", "registered")]).await.status, 303);
    let page = c.get(&location).await;
    assert!(page.body.contains(&format!("href=\"/admin/handlingar/{record}/faststall\"")), "{}", page.body);
    let confirm = c.get(&format!("/admin/handlingar/{record}/faststall")).await;
    assert_eq!(confirm.status, 200);
    assert!(confirm.body.contains("Fastställa handlingen?") && confirm.body.contains("Ja, fastställ handlingen"), "{}", confirm.body);
    assert!(confirm.body.contains("name=\"status\" value=\"established\""));
    assert_eq!(c.post_form(&format!("/admin/handlingar/{record}/status"), &[("status", "established")]).await.status, 303);
    assert_eq!(c.get(&format!("/admin/handlingar/{record}/faststall")).await.status, 303, "nothing left to confirm");
    let page = c.get(&location).await;
    assert!(page.body.contains("skicka tjänsteskrivelsen för godkännande"), "next: approval");
    assert!(!page.body.contains("/dokument?_csrf"), "no upload form on an established record");
    let _ = t;
}

#[tokio::test]
async fn an_approved_record_is_frozen_until_reopened_and_approved_again() {
    let app = super::app().await;
    let (t, staff, case, _) = karlstad(&app).await;
    let record = memo::start(&app.db, &staff, case, &NewMemo { title: String::new(), correspondent: "Byggnadsnämnden".into() }, app.now())
        .await
        .expect("start");
    memo::generate(&app.db, &staff, record, &text(), app.now()).await.expect("memo");
    service::advance_record(&app.db, &staff, record, RecordStatus::Registered, app.now()).await.expect("register");
    service::advance_record(&app.db, &staff, record, RecordStatus::Established, app.now()).await.expect("establish");
    let add = |who: StaffUser| {
        let db = app.db.clone();
        let now = app.now();
        async move { service::upload(&db, &who, record, None, "attachment", "Bilaga", "bilaga.pdf", "application/pdf", b"%PDF x", now).await }
    };

    // Established: frozen already (nothing changes under the approvers' eyes).
    let e = add(staff.clone()).await.expect_err("established");
    assert_eq!(e.code().code, "CASE-031");
    let role = app.role(t, "Chef", &["cases.read", "cases.handle"]).await;
    app.user(t, "chef@karlstad.se", "Chef Karlstad", None, Some((role, None))).await;
    let chef = app.staff(t, "chef@karlstad.se").await;
    service::send_for_approval(&app.db, &staff, record, &[chef.user_id.0], app.now()).await.expect("send");
    service::decide_approval(&app.db, &chef, record, true, "", app.now()).await.expect("approve");

    // Approved: no second main document, no new version, no new memo.
    let e = add(staff.clone()).await.expect_err("approved");
    assert_eq!(e.code().code, "CASE-031");
    let versions = service::read_record(&app.db, &staff, record).await.expect("read").documents;
    let e = service::upload(
        &app.db,
        &staff,
        record,
        Some(versions[0].document_id),
        "main",
        "",
        "ny.pdf",
        "application/pdf",
        b"%PDF new",
        app.now(),
    )
    .await
    .expect_err("new version");
    assert_eq!(e.code().code, "CASE-031");
    assert_eq!(memo::generate(&app.db, &staff, record, &text(), app.now()).await.expect_err("memo").code().code, "CASE-015");
    let mut c = app.login("karlstad", &staff.email).await;
    let r = upload(&mut c, record, "bilaga.pdf", b"%PDF web").await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("Öppna den för ändring först"), "{}", r.body);
    let page = c.get(&format!("/admin/handlingar/{record}")).await;
    assert!(page.body.contains("Handlingen är godkänd.") && page.body.contains("/oppna"), "{}", page.body);
    assert_eq!(service::read_record(&app.db, &staff, record).await.expect("read").documents.len(), versions.len(), "nothing added");

    // Reopening needs a reason, withdraws the approval and needs a new one.
    let r = c.post_form(&format!("/admin/handlingar/{record}/oppna"), &[("reopen_reason", " ")]).await;
    assert_eq!(r.status, 422);
    let r = c.post_form(&format!("/admin/handlingar/{record}/oppna"), &[("reopen_reason", "Ny situationsplan")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let v = service::read_record(&app.db, &staff, record).await.expect("read");
    assert_eq!(v.record.status, RecordStatus::Registered);
    add(staff.clone()).await.expect("reopened: documents may be added");
    let e = service::advance_record(&app.db, &staff, record, RecordStatus::Approved, app.now()).await.expect_err("no approval");
    assert_eq!(e.code().code, "CASE-004", "the old approval does not count");
    let e = service::send_for_approval(&app.db, &staff, record, &[chef.user_id.0], app.now()).await.expect_err("established first");
    assert_eq!(e.code().code, "CASE-011");
    service::advance_record(&app.db, &staff, record, RecordStatus::Established, app.now()).await.expect("establish again");
    service::send_for_approval(&app.db, &staff, record, &[chef.user_id.0], app.now()).await.expect("a new round");
    // Reopening during the route cancels its open steps.
    service::reopen_record(&app.db, &staff, record, "Fel bilaga", app.now()).await.expect("reopen in route");
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let steps = radhus_cases::store::approvals(&mut tx, t, record).await.expect("steps");
    tx.commit().await.expect("commit");
    assert!(steps.iter().all(|a| !a.status.is_open()), "{steps:?}");
    assert_eq!(service::decide_approval(&app.db, &chef, record, true, "", app.now()).await.expect_err("cancelled").code().code, "CASE-021");
    // A record that is not established or approved is not reopened.
    assert_eq!(service::reopen_record(&app.db, &staff, record, "igen", app.now()).await.expect_err("registered").code().code, "CASE-004");
    let case_page = c.get(&format!("/admin/arenden/{case}")).await;
    assert!(case_page.body.contains("för ändring: Ny situationsplan"), "on the timeline");
}

#[tokio::test]
async fn record_pages_show_swedish_time() {
    let app = super::app().await;
    let (_, staff, case, _) = karlstad(&app).await;
    let record = service::add_record(&app.db, &staff, case, &inbound("Ansökan"), app.now()).await.expect("record");
    let mut c = app.login("karlstad", &staff.email).await;
    let page = c.get(&format!("/admin/handlingar/{record}")).await;
    let local = radhus_kernel::tz::stockholm(app.now());
    let shown = format!("{} {:02}:{:02}", local.date(), local.hour(), local.minute());
    assert!(page.body.contains(&shown), "{shown} in {}", page.body);
    let utc = app.now();
    let in_utc = format!("{} {:02}:{:02}", utc.date(), utc.hour(), utc.minute());
    assert!(!page.body.contains(&in_utc), "no UTC time ({in_utc}) on the page");
}
