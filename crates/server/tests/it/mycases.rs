//! *Mina ärenden* over real case management: a citizen's submission (intake) and a case staff
//! register with the citizen as a party show on the citizen's page on the platform host, and a
//! decision dispatched by the caseworker turns the case to *Beslutat* there.

use radhus_cases::domain::{RecordKind, RecordStatus};
use radhus_cases::intake::{self, By, Inbound, Submission};
use radhus_cases::parties::{Identity, NewParty, PartyRole};
use radhus_cases::service::{self, NewCase, NewRecord};
use radhus_platform::changes;
use radhus_platform::db::Scope;
use radhus_platform::identity::org::UnitKind;
use radhus_testkit::TestApp;

const ASTRID: &str = "19850315-2384";

fn astrid() -> NewParty {
    NewParty {
        role: PartyRole::Applicant,
        name: "Astrid Lindqvist".into(),
        identity: Identity::Person(ASTRID.parse().expect("pnr")),
        contact: String::new(),
    }
}

async fn deliver_all(app: &TestApp) {
    changes::deliver_all(&app.db, &app.state.subscribers, app.now()).await;
}

#[tokio::test]
async fn a_citizen_follows_cases_of_two_municipalities_to_the_decision() {
    let app = TestApp::with_modules(radhus::modules, |_| {}).await;
    let (kil, kil_admin) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let (ksd, ksd_admin) = app.tenant_with_admin("karlstad", "Karlstad", "1780").await;

    // Kil: the citizen's own submission through intake.
    let staff = app.staff(kil, &kil_admin).await;
    let reg = service::create_registry(&app.db, &staff, "BN", "Byggnadsnämnden", "", app.now()).await.expect("registry");
    let ct = service::create_case_type(&app.db, &staff, "Bygglov", reg, None, 70, app.now()).await.expect("type");
    let unit = app.unit(kil, "Bygglovsenheten", UnitKind::Forvaltning, None).await;
    service::set_routing(&app.db, &staff, ct, Some(unit.0), None, app.now()).await.expect("routing");
    let s = Submission {
        case_type: ct,
        title: "Bygglov för garage, Tuppen 4".into(),
        public_title: String::new(),
        parties: vec![astrid()],
        record: Inbound {
            title: "Ansökan".into(),
            correspondent: "Astrid Lindqvist".into(),
            correspondent_is_person: true,
            received_on: None,
            secrecy: None,
            documents: vec![],
        },
    };
    let mut tx = app.db.write(Scope::Tenant(kil)).await.expect("tx");
    intake::open_case_in(&mut tx, kil, &By::Citizen { pnr: ASTRID.parse().expect("pnr"), name: "Astrid Lindqvist".into() }, &s, app.now())
        .await
        .expect("intake");
    tx.commit().await.expect("commit");

    // Karlstad: a case staff register with the citizen as a party, then decide.
    let caseworker = app.staff(ksd, &ksd_admin).await;
    let reg = service::create_registry(&app.db, &caseworker, "KS", "Kommunstyrelsen", "", app.now()).await.expect("registry");
    let ct = service::create_case_type(&app.db, &caseworker, "Parkeringstillstånd", reg, None, 30, app.now()).await.expect("type");
    let n =
        NewCase { case_type: ct, title: "Parkeringstillstånd för rörelsehindrad".into(), parties: vec![astrid()], ..Default::default() };
    let (case, _) = service::create_case(&app.db, &caseworker, &n, app.now()).await.expect("case");
    deliver_all(&app).await;

    let mut c = app.client("localhost");
    assert_eq!(c.post_form("/e-legitimation/test", &[("person", ASTRID)]).await.status, 303);
    let page = c.get("/mina-arenden").await;
    assert!(page.body.contains("Bygglov för garage, Tuppen 4") && page.body.contains("Kils kommun"), "{}", page.body);
    assert!(page.body.contains("Parkeringstillstånd för rörelsehindrad") && page.body.contains("Karlstads kommun"), "{}", page.body);
    assert!(!page.body.contains("Beslutat"), "nothing is decided yet");

    // The caseworker dispatches a decision: the case is Beslutat for the citizen.
    let decision = NewRecord {
        kind: RecordKind::Decision,
        title: "Beslut om parkeringstillstånd".into(),
        // A decision is dispatched to someone (CASE-028).
        correspondent: "Sökanden".into(),
        correspondent_is_person: false,
        document_date: None,
        received_on: None,
        memo_text: String::new(),
        register: true,
    };
    let d = service::add_record(&app.db, &caseworker, case, &decision, app.now()).await.expect("decision");
    let approver = {
        let role = app.role(ksd, "Beslutsfattare", &[service::READ, service::HANDLE]).await;
        app.user(ksd, "chef@karlstad.se", "Chef", None, Some((role, None))).await;
        app.staff(ksd, "chef@karlstad.se").await
    };
    service::advance_record(&app.db, &caseworker, d, RecordStatus::Established, app.now()).await.expect("establish");
    service::send_for_approval(&app.db, &caseworker, d, &[approver.user_id.0], app.now()).await.expect("send");
    service::decide_approval(&app.db, &approver, d, true, "", app.now()).await.expect("approve");
    service::advance_record(&app.db, &caseworker, d, RecordStatus::Dispatched, app.now()).await.expect("dispatch");
    deliver_all(&app).await;
    let page = c.get("/mina-arenden").await;
    let row = page.body.split("<tr>").find(|r| r.contains("Parkeringstillstånd för rörelsehindrad")).expect("row");
    assert!(row.contains("Beslutat"), "{row}");
    let row = page.body.split("<tr>").find(|r| r.contains("Tuppen 4")).expect("row");
    assert!(row.contains("Registrerat"), "{row}");
}

/// Karlstad with a registry, a case type and a case registered by staff with Astrid as the
/// applicant; the caseworker (the municipality's administrator) and the case.
async fn karlstad_case(app: &TestApp) -> (radhus_kernel::ids::TenantId, radhus_platform::identity::session::StaffUser, uuid::Uuid) {
    let (ksd, ksd_admin) = app.tenant_with_admin("karlstad", "Karlstad", "1780").await;
    let caseworker = app.staff(ksd, &ksd_admin).await;
    let reg = service::create_registry(&app.db, &caseworker, "KS", "Kommunstyrelsen", "", app.now()).await.expect("registry");
    let ct = service::create_case_type(&app.db, &caseworker, "Bygglov", reg, None, 30, app.now()).await.expect("type");
    let n = NewCase { case_type: ct, title: "Bygglov för altan".into(), parties: vec![astrid()], ..Default::default() };
    let (case, _) = service::create_case(&app.db, &caseworker, &n, app.now()).await.expect("case");
    (ksd, caseworker, case)
}

async fn outbox_to(app: &TestApp, to: &str) -> Vec<(String, String)> {
    let mut tx = app.db.read(Scope::System).await.expect("tx");
    let rows: Vec<(String, String)> = radhus_platform::on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT subject, body FROM outbox WHERE recipient = $1 ORDER BY created_at").bind(to).fetch_all(c).await.expect("outbox"));
    rows
}

async fn send_notices(app: &TestApp, at: time::OffsetDateTime) -> usize {
    let ctx = radhus_platform::outbox::JobCtx::new(app.db.clone(), at, std::sync::Arc::new(app.state.config.clone()));
    radhus_mycases::notices::send_due(ctx).await.expect("notices")
}

#[tokio::test]
async fn a_completion_request_is_answered_in_mina_arenden_and_registered_in_the_case() {
    use radhus_cases::messages::{self, MessageKind, NewMessage};
    let app = TestApp::with_modules(radhus::modules, |_| {}).await;
    let (ksd, caseworker, case) = karlstad_case(&app).await;
    deliver_all(&app).await;

    // Astrid chooses e-mail; a phone number that is none is refused at the field.
    let mut c = app.client("localhost");
    assert_eq!(c.post_form("/e-legitimation/test", &[("person", ASTRID)]).await.status, 303);
    let r = c.post_form("/mina-arenden/installningar", &[("channel", "sms"), ("phone", "12"), ("lang", "sv")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Skriv ett mobilnummer"), "{}", r.body);
    let r = c.post_form("/mina-arenden/installningar", &[("channel", "email"), ("email", "astrid@example.se"), ("lang", "sv")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(c.get("/mina-arenden/installningar?sparat=1").await.body.contains("Dina inställningar är sparade"));

    // A request with a last day that has passed is refused; a good one goes out as a record.
    let past = NewMessage {
        kind: MessageKind::CompletionRequest,
        body: "Skicka ritningen.".into(),
        due_on: Some(app.now().date() - time::Duration::days(1)),
    };
    assert!(messages::send(&app.db, &caseworker, case, &past, app.now()).await.is_err());
    let due = app.now().date() + time::Duration::days(14);
    let ask =
        NewMessage { kind: MessageKind::CompletionRequest, body: "Skicka en situationsplan över altanen.".into(), due_on: Some(due) };
    let request = messages::send(&app.db, &caseworker, case, &ask, app.now()).await.expect("request");
    let hello = NewMessage { kind: MessageKind::Message, body: "Vi har tagit emot din ansökan.".into(), due_on: None };
    messages::send(&app.db, &caseworker, case, &hello, app.now()).await.expect("message");
    deliver_all(&app).await;

    // One notice for the two changes of the same minute, without what they say; not before.
    assert_eq!(send_notices(&app, app.now()).await, 0, "a notice waits a minute for more changes");
    assert_eq!(send_notices(&app, app.now() + time::Duration::seconds(61)).await, 1);
    assert_eq!(send_notices(&app, app.now() + time::Duration::seconds(122)).await, 0, "sent once");
    let mails = outbox_to(&app, "astrid@example.se").await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(
        mails[0].0.contains("Karlstad") && mails[0].1.contains("du ombeds komplettera") && mails[0].1.contains("meddelande"),
        "{mails:?}"
    );
    assert!(!mails[0].1.contains("situationsplan") && !mails[0].1.contains("tagit emot"), "no content in the notice");

    // The list says what is expected; the case page shows the request and the message.
    let list = c.get("/mina-arenden").await;
    assert!(list.body.contains("Komplettering begärd"), "{}", list.body);
    let page = format!("/mina-arenden/{}/{case}", ksd.0);
    let p = c.get(&page).await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("Skicka en situationsplan över altanen.") && p.body.contains("Vi har tagit emot din ansökan."), "{}", p.body);

    // A file that lies about its type is refused and nothing is registered.
    let answer = format!("{page}/svar");
    let rid = request.to_string();
    let r = c.post_multipart(&answer, &[("body", "Här är planen."), ("reply_to", &rid)], &[("file", "plan.png", b"not a png")]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Filtypen"), "{}", r.body);
    let before = radhus_testkit::schema::snapshot(&mut app.db.read(Scope::Tenant(ksd)).await.expect("tx"), ksd).await;
    let r = c.post_multipart(&answer, &[("body", ""), ("reply_to", &rid)], &[]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Skriv ett meddelande"), "{}", r.body);
    let after = radhus_testkit::schema::snapshot(&mut app.db.read(Scope::Tenant(ksd)).await.expect("tx"), ksd).await;
    // The page shown again is a read (audit log) and nothing else.
    let changed: Vec<&String> =
        before.iter().zip(&after).filter(|(b, a)| b != a).map(|(b, _)| &b.0).filter(|t| !t.starts_with("audit_")).collect();
    assert!(changed.is_empty(), "a refused answer writes nothing: {changed:?}");

    // Another citizen gets "not found" for the case and for an answer to it.
    let mut other = app.client("localhost");
    assert_eq!(other.post_form("/e-legitimation/test", &[("person", "19900101-0017")]).await.status, 303);
    assert_eq!(other.get(&page).await.status, 404);
    assert_eq!(other.post_multipart(&answer, &[("body", "Hej")], &[]).await.status, 404);

    // The answer with a file is registered as an inbound record; the request is answered.
    let r = c.post_multipart(&answer, &[("body", "Här är planen."), ("reply_to", &rid)], &[("file", "plan.txt", b"situationsplan")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    deliver_all(&app).await;
    let list = c.get("/mina-arenden").await;
    assert!(!list.body.contains("Komplettering begärd"), "the request no longer waits");
    let mut staff_client = app.login("karlstad", &caseworker.email).await;
    let staff_page = staff_client.get(&format!("/admin/arenden/{case}")).await;
    assert!(staff_page.body.contains("Här är planen.") && staff_page.body.contains("Komplettering från part"), "{}", staff_page.body);
    assert!(staff_page.body.contains("Från parten"));
    let p = c.get(&page).await;
    assert!(p.body.contains("Läst av kommunen"), "the caseworker's reading is the citizen's receipt");

    // A withdrawn request cannot be answered; a closed case takes no message.
    let again = NewMessage { kind: MessageKind::CompletionRequest, body: "Och fasadritningen.".into(), due_on: Some(due) };
    let second = messages::send(&app.db, &caseworker, case, &again, app.now()).await.expect("request");
    messages::withdraw(&app.db, &caseworker, second, app.now()).await.expect("withdraw");
    assert!(messages::withdraw(&app.db, &caseworker, second, app.now()).await.is_err(), "withdrawn once");
    let r = c.post_multipart(&answer, &[("body", "Här är den."), ("reply_to", &second.to_string())], &[]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("återkallats"), "{}", r.body);
}

#[tokio::test]
async fn a_message_needs_a_citizen_party_and_an_open_case() {
    use radhus_cases::messages::{self, MessageKind, NewMessage};
    let app = TestApp::with_modules(radhus::modules, |_| {}).await;
    let (ksd, caseworker, case) = karlstad_case(&app).await;
    let reg = service::create_registry(&app.db, &caseworker, "BN", "Byggnadsnämnden", "", app.now()).await.expect("registry");
    let ct = service::create_case_type(&app.db, &caseworker, "Tillsyn", reg, None, 30, app.now()).await.expect("type");
    let n = NewCase { case_type: ct, title: "Tillsyn utan part".into(), ..Default::default() };
    let (lonely, _) = service::create_case(&app.db, &caseworker, &n, app.now()).await.expect("case");
    let m = NewMessage { kind: MessageKind::Message, body: "Hej".into(), due_on: None };
    let e = messages::send(&app.db, &caseworker, lonely, &m, app.now()).await.expect_err("no citizen");
    assert_eq!(e.code().code, "CASE-025", "{e:?}");
    service::change_status(&app.db, &caseworker, case, radhus_cases::domain::CaseStatus::Closed, "klart", app.now()).await.expect("close");
    let e = messages::send(&app.db, &caseworker, case, &m, app.now()).await.expect_err("closed");
    assert_eq!(e.code().code, "CASE-009", "{e:?}");
    deliver_all(&app).await;
    let mut c = app.client("localhost");
    c.post_form("/e-legitimation/test", &[("person", ASTRID)]).await;
    let r = c.post_multipart(&format!("/mina-arenden/{}/{case}/svar", ksd.0), &[("body", "Hej")], &[]).await;
    assert_eq!(r.status, 409, "{}", r.body);
}

/// Registers and dispatches a decision in `case` at `when` (through the approval route).
async fn decide(
    app: &TestApp,
    caseworker: &radhus_platform::identity::session::StaffUser,
    approver: &radhus_platform::identity::session::StaffUser,
    case: uuid::Uuid,
    when: time::OffsetDateTime,
) {
    let decision = NewRecord {
        kind: RecordKind::Decision,
        title: "Beslut".into(),
        correspondent: "Sökanden".into(),
        correspondent_is_person: false,
        document_date: None,
        received_on: None,
        memo_text: String::new(),
        register: true,
    };
    let d = service::add_record(&app.db, caseworker, case, &decision, when).await.expect("decision");
    service::advance_record(&app.db, caseworker, d, RecordStatus::Established, when).await.expect("establish");
    service::send_for_approval(&app.db, caseworker, d, &[approver.user_id.0], when).await.expect("send");
    service::decide_approval(&app.db, approver, d, true, "", when).await.expect("approve");
    service::advance_record(&app.db, caseworker, d, RecordStatus::Dispatched, when).await.expect("dispatch");
}

#[tokio::test]
async fn handling_times_are_measured_to_the_decision_and_shown_to_the_citizen_and_managers() {
    let app = TestApp::with_modules(radhus::modules, |_| {}).await;
    let (ksd, caseworker, case) = karlstad_case(&app).await;
    let role = app.role(ksd, "Beslutsfattare", &[service::READ, service::HANDLE]).await;
    app.user(ksd, "chef@karlstad.se", "Chef", None, Some((role, None))).await;
    let approver = app.staff(ksd, "chef@karlstad.se").await;
    let ct = {
        let mut tx = app.db.read(Scope::Tenant(ksd)).await.expect("tx");
        radhus_cases::store::case(&mut tx, ksd, case).await.expect("case").expect("found").case_type_id
    };
    // Six cases decided after 10, 20, 30, 40, 50 and 60 days, a year ago or less.
    for (i, days) in [10i64, 20, 30, 40, 50, 60].into_iter().enumerate() {
        let opened = app.now() - time::Duration::days(200 + i as i64);
        let n = NewCase { case_type: ct, title: format!("Bygglov {i}"), ..Default::default() };
        let (c, _) = service::create_case(&app.db, &caseworker, &n, opened).await.expect("case");
        decide(&app, &caseworker, &approver, c, opened + time::Duration::days(days)).await;
    }
    let mut tx = app.db.read(Scope::Tenant(ksd)).await.expect("tx");
    let times = radhus_cases::handling::times(&mut tx, ksd, app.now()).await.expect("times");
    tx.commit().await.expect("commit");
    let h = times.iter().find(|h| h.case_type_id == ct).expect("type");
    assert_eq!((h.stated_days, h.decided, h.median_days, h.p90_days), (30, 6, Some(30), Some(60)));

    deliver_all(&app).await;
    let mut c = app.client("localhost");
    c.post_form("/e-legitimation/test", &[("person", ASTRID)]).await;
    let page = c.get(&format!("/mina-arenden/{}/{case}", ksd.0)).await;
    assert!(page.body.contains("mål att fatta beslut inom 30 dagar") && page.body.contains("inom 60 dagar"), "{}", page.body);

    let mut staff = app.login("karlstad", &caseworker.email).await;
    let table = staff.get("/admin/handlaggningstider").await;
    assert_eq!(table.status, 200);
    assert!(table.body.contains("Bygglov") && table.body.contains("30 dagar") && table.body.contains("60 dagar"), "{}", table.body);
    let mut caseworker_only = app.login("karlstad", "chef@karlstad.se").await;
    assert_eq!(caseworker_only.get("/admin/handlaggningstider").await.status, 403, "not for those who only handle cases");
}

#[tokio::test]
async fn a_citizen_downloads_everything_held_about_them_and_each_municipality_logs_it() {
    use radhus_cases::messages::{self, MessageKind, NewMessage};
    let app = TestApp::with_modules(radhus::modules, |_| {}).await;
    let (ksd, caseworker, case) = karlstad_case(&app).await;
    let (kil, _) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let hello = NewMessage { kind: MessageKind::Message, body: "Vi har tagit emot din ansökan.".into(), due_on: None };
    messages::send(&app.db, &caseworker, case, &hello, app.now()).await.expect("message");

    let mut c = app.client("localhost");
    c.post_form("/e-legitimation/test", &[("person", ASTRID)]).await;
    assert_eq!(c.get("/mina-arenden/mina-uppgifter").await.status, 200);
    let r = c.get("/mina-arenden/mina-uppgifter.json").await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["about"]["personal_identity_number"], ASTRID);
    let m = v["municipalities"].as_array().expect("list");
    assert_eq!(m.len(), 1, "only Karlstad holds something: {v}");
    let cases = m[0]["data"]["cases"].as_array().expect("cases");
    assert_eq!(cases[0]["title"], "Bygglov för altan");
    assert_eq!(cases[0]["messages"][0]["text"], "Vi har tagit emot din ansökan.");
    assert!(!v["sessions"].as_array().expect("sessions").is_empty(), "the login is there");
    let pdf = c.get("/mina-arenden/mina-uppgifter.pdf").await;
    assert_eq!(pdf.status, 200);
    assert!(pdf.body.starts_with("%PDF") && pdf.headers["content-type"] == "application/pdf", "a PDF");

    // Logged where data was found, not where there was none.
    let count = |t: radhus_kernel::ids::TenantId| {
        let db = app.db.clone();
        async move {
            let mut tx = db.read(Scope::Tenant(t)).await.expect("tx");
            let n: (i64,) = radhus_platform::on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT COUNT(*) FROM audit_event WHERE tenant_id = $1 AND action = 'my.data.exported'").bind(t.0).fetch_one(c).await.expect("count"));
            n.0
        }
    };
    assert_eq!((count(ksd).await, count(kil).await), (2, 0), "the JSON and the PDF, in Karlstad only");

    // Another citizen's download holds nothing of Astrid's.
    let mut other = app.client("localhost");
    other.post_form("/e-legitimation/test", &[("person", "19900101-0017")]).await;
    let v = other.get("/mina-arenden/mina-uppgifter.json").await.json();
    assert!(v["municipalities"].as_array().expect("list").is_empty(), "{v}");
    assert!(!v.to_string().contains("altan"));
    // Without a login, the page sends to the e-ID.
    assert_eq!(app.client("localhost").get("/mina-arenden/mina-uppgifter.json").await.status, 303);
}

#[tokio::test]
async fn a_case_type_says_in_its_own_words_what_each_phase_means_and_when_to_tell() {
    let app = TestApp::with_modules(radhus::modules, |_| {}).await;
    let (ksd, caseworker, case) = karlstad_case(&app).await;
    let role = app.role(ksd, "Beslutsfattare", &[service::READ, service::HANDLE]).await;
    app.user(ksd, "chef@karlstad.se", "Chef", None, Some((role, None))).await;
    let approver = app.staff(ksd, "chef@karlstad.se").await;
    let ct = {
        let mut tx = app.db.read(Scope::Tenant(ksd)).await.expect("tx");
        radhus_cases::store::case(&mut tx, ksd, case).await.expect("case").expect("found").case_type_id
    };
    let mut admin = app.login("karlstad", &caseworker.email).await;
    assert_eq!(admin.get("/admin/mina-arenden").await.status, 200);
    let page = format!("/admin/mina-arenden/{ct}");
    let long = "x".repeat(501);
    let r = admin.post_form(&page, &[("registered_inform", "on"), ("registered_text_sv", &long)]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Texten är för lång"), "{}", r.body);
    let r = admin
        .post_form(
            &page,
            &[
                ("registered_inform", "on"),
                ("registered_text_sv", "Bygglovsenheten har tagit emot din ansökan och fördelar den inom en vecka."),
                ("registered_action_sv", "Ha ritningarna till hands."),
                ("in_progress_inform", "on"),
                ("closed_inform", "on"),
                // Decided: not told (the decision comes by post in this municipality).
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut c = app.client("localhost");
    c.post_form("/e-legitimation/test", &[("person", ASTRID)]).await;
    c.post_form("/mina-arenden/installningar", &[("channel", "email"), ("email", "astrid@example.se"), ("lang", "sv")]).await;
    deliver_all(&app).await;
    let list = c.get("/mina-arenden").await;
    assert!(list.body.contains("fördelar den inom en vecka") && list.body.contains("Ha ritningarna till hands."), "{}", list.body);

    decide(&app, &caseworker, &approver, case, app.now()).await;
    deliver_all(&app).await;
    assert_eq!(send_notices(&app, app.now() + time::Duration::seconds(61)).await, 0, "Beslutat is not told for this case type");
    assert!(c.get("/mina-arenden").await.body.contains("Beslutat"));
    // A user without the registry administration may not change the words.
    let mut chef = app.login("karlstad", "chef@karlstad.se").await;
    assert_eq!(chef.post_form(&page, &[("decided_inform", "on")]).await.status, 403);
}

/// A shared e-service adopted by `t` for a routed case type of its own: the key.
async fn adopted_service(app: &TestApp, t: radhus_kernel::ids::TenantId, admin_email: &str) -> &'static str {
    use radhus_eservices::catalogue;
    use radhus_eservices::service::{self as es, AdoptInput};
    let staff = app.staff(t, admin_email).await;
    let reg = service::create_registry(&app.db, &staff, "BN", "Byggnadsnämnden", "", app.now()).await.expect("registry");
    let ct = service::create_case_type(&app.db, &staff, "Provtillstånd", reg, None, 30, app.now()).await.expect("type");
    let unit = app.unit(t, "Mottagningen", UnitKind::Forvaltning, None).await;
    service::set_routing(&app.db, &staff, ct, Some(unit.0), None, app.now()).await.expect("routing");
    let mut tx = app.db.write(Scope::Platform).await.expect("tx");
    if radhus_eservices::store::shared_list(&mut tx).await.expect("shared").is_empty() {
        let def = radhus_eservices::form::parse(
            r#"{"key": "provtjanst", "version": 1, "title": "Ansökan om provtillstånd", "summary": "Prov.",
                "steps": [{"id": "a", "title": "Steg", "fields": [{"id": "text", "kind": "text", "label": "Text", "required": true}]}]}"#,
        )
        .expect("definition");
        catalogue::publish(&mut tx, &def, "Operatör", app.now()).await.expect("publish");
    }
    tx.commit().await.expect("commit");
    let input = AdoptInput {
        overrides: String::new(),
        case_type: ct.to_string(),
        public_title: "Ansökan om provtillstånd".into(),
        secrecy_ground: String::new(),
        status: "published".into(),
        register_on: String::new(),
    };
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    es::adopt(&mut tx, t, "provtjanst", &input, &radhus_platform::audit::Actor::staff(&staff), app.now()).await.expect("adopt");
    tx.commit().await.expect("commit");
    "provtjanst"
}

/// The citizen's draft of the service in `t` with its one step answered; submitted when asked.
/// Returns the draft, and the case when submitted.
async fn apply(app: &TestApp, t: radhus_kernel::ids::TenantId, pnr: &str, answer: &str, submit: bool) -> (uuid::Uuid, Option<uuid::Uuid>) {
    use radhus_eservices::citizen::Citizen;
    use radhus_eservices::service as es;
    let c = Citizen::new(pnr.parse().expect("pnr"), "Astrid Lindqvist".into(), "test-eid".into()).expect("citizen");
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    let (draft, _) = es::start(&mut tx, t, &c, "provtjanst", app.now()).await.expect("draft");
    let mut o = es::open(&mut tx, t, &c, "provtjanst", draft).await.expect("open");
    let pairs = [("text".to_string(), answer.to_string())];
    es::save_step(&mut tx, t, &mut o, 0, (&pairs, &[]), app.now().date(), app.now()).await.expect("step");
    let mut case = None;
    if submit {
        let o = es::open(&mut tx, t, &c, "provtjanst", draft).await.expect("open");
        let sha = es::content_hash("provtjanst", o.draft.revision, &o.answers).expect("sha");
        let s = es::submit(&mut tx, t, &c, ("provtjanst", draft), &sha, |id| id.to_string(), app.now()).await.expect("submit");
        case = radhus_platform::on_tx!(&mut tx, q => sqlx::query_scalar("SELECT case_id FROM es_submission WHERE tenant_id = $1 AND id = $2")
            .bind(t.0).bind(s.submission).fetch_one(q).await.expect("case"));
    }
    tx.commit().await.expect("commit");
    (draft, case)
}

#[tokio::test]
async fn mina_arenden_lists_unfinished_drafts_and_offers_the_receipt_of_the_submission_behind_a_case() {
    let app = TestApp::with_modules(radhus::modules, |_| {}).await;
    let (ksd, ksd_admin) = app.tenant_with_admin("karlstad", "Karlstad", "1780").await;
    let (kil, kil_admin) = app.tenant_with_admin("kil", "Kil", "1715").await;
    adopted_service(&app, ksd, &ksd_admin).await;
    adopted_service(&app, kil, &kil_admin).await;
    let (_, case) = apply(&app, ksd, ASTRID, "Skickat svar", true).await;
    let case = case.expect("a case");
    apply(&app, kil, ASTRID, "Halvfärdigt", false).await;
    apply(&app, kil, "19900101-0017", "Någon annans", false).await;
    deliver_all(&app).await;

    let mut c = app.client("localhost");
    c.post_form("/e-legitimation/test", &[("person", ASTRID)]).await;
    let r = c.get("/mina-arenden").await;
    assert_eq!(r.status, 200);
    // The unfinished draft in Kil, with the way back to it; not the submitted one, nobody else's.
    assert!(r.body.contains("Påbörjade e-tjänster") && r.body.contains("kil.localhost"), "{}", r.body);
    assert_eq!(r.body.matches("/e-tjanster/provtjanst\"").count(), 1, "one draft: {}", r.body);
    // On Karlstad's host only Karlstad's: no draft.
    let mut k = app.client("karlstad.localhost");
    k.post_form("/e-legitimation/test", &[("person", ASTRID)]).await;
    assert!(!k.get("/mina-arenden").await.body.contains("Påbörjade e-tjänster"));

    // The case page offers the receipt of her submission; it downloads as a PDF, logged.
    let page = format!("/mina-arenden/{}/{case}", ksd.0);
    let r = c.get(&page).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Kvitto på din ansökan (PDF)") && r.body.contains(&format!("{page}/kvitto.pdf")), "{}", r.body);
    let pdf = c.get(&format!("{page}/kvitto.pdf")).await;
    assert_eq!(pdf.status, 200);
    assert!(pdf.body.starts_with("%PDF") && pdf.headers["content-type"] == "application/pdf");
    let mut tx = app.db.read(Scope::Tenant(ksd)).await.expect("tx");
    let n: i64 = radhus_platform::on_tx!(&mut tx, q => sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_event WHERE tenant_id = $1 AND action = 'my.receipt.read'").bind(ksd.0).fetch_one(q).await.expect("count"));
    tx.commit().await.expect("commit");
    assert_eq!(n, 1);
    // Someone else, or no one logged in, gets nothing of it.
    let mut other = app.client("localhost");
    other.post_form("/e-legitimation/test", &[("person", "19900101-0017")]).await;
    assert_eq!(other.get(&format!("{page}/kvitto.pdf")).await.status, 404);
    assert!(!other.get("/mina-arenden").await.body.contains("Skickat svar"));
    assert_eq!(app.client("localhost").get(&format!("{page}/kvitto.pdf")).await.status, 303);
    // A case without a submission behind it offers no receipt.
    let (_, _, staff_case) = karlstad_case_in(&app, ksd, &ksd_admin).await;
    deliver_all(&app).await;
    let r = c.get(&format!("/mina-arenden/{}/{staff_case}", ksd.0)).await;
    assert_eq!(r.status, 200);
    assert!(!r.body.contains("Kvitto på din ansökan"));
    assert_eq!(c.get(&format!("/mina-arenden/{}/{staff_case}/kvitto.pdf", ksd.0)).await.status, 404);
}

/// A case registered by staff in `t` with Astrid as the applicant.
async fn karlstad_case_in(
    app: &TestApp,
    t: radhus_kernel::ids::TenantId,
    email: &str,
) -> (radhus_kernel::ids::TenantId, radhus_platform::identity::session::StaffUser, uuid::Uuid) {
    let caseworker = app.staff(t, email).await;
    let reg = service::create_registry(&app.db, &caseworker, "KS", "Kommunstyrelsen", "", app.now()).await.expect("registry");
    let ct = service::create_case_type(&app.db, &caseworker, "Bygglov", reg, None, 30, app.now()).await.expect("type");
    let n = NewCase { case_type: ct, title: "Bygglov för altan".into(), parties: vec![astrid()], ..Default::default() };
    let (case, _) = service::create_case(&app.db, &caseworker, &n, app.now()).await.expect("case");
    (t, caseworker, case)
}

#[tokio::test]
async fn subscribers_are_told_of_a_broadcast_once_by_their_own_channel() {
    use radhus_eservices::broadcast::{self, BroadcastInput};
    use radhus_eservices::citizen::Citizen;
    use radhus_mycases::settings::{self, Channel, Settings};
    let app = TestApp::with_modules(radhus::modules, |_| {}).await;
    let (kil, kil_admin) = app.tenant_with_admin("kil", "Kil", "1715").await;
    adopted_service(&app, kil, &kil_admin).await;
    let people = [
        (ASTRID, Channel::Both, "astrid@example.se", "+46701234567", radhus_kernel::Lang::Sv),
        ("19720901-4419", Channel::Email, "erik@example.se", "", radhus_kernel::Lang::En),
        ("19900101-0017", Channel::None, "ingen@example.se", "", radhus_kernel::Lang::Sv),
    ];
    // The settings are the citizen's own (written in the demo's way, as the system).
    let citizen = |pnr: &str| Citizen::new(pnr.parse().expect("pnr"), "Prov".into(), "test-eid".into()).expect("citizen");
    let mut sys = app.db.write(Scope::System).await.expect("tx");
    for (pnr, channel, email, phone, lang) in &people {
        let s = Settings { channel: *channel, email: (*email).into(), phone: (*phone).into(), lang: *lang };
        settings::save(&mut sys, &citizen(pnr).index, &s, app.now()).await.expect("settings");
    }
    // Someone with settings who did not ask for broadcasts.
    let s = Settings { channel: Channel::Email, email: "lisa@example.se".into(), phone: String::new(), lang: radhus_kernel::Lang::Sv };
    settings::save(&mut sys, &citizen("19811218-9876").index, &s, app.now()).await.expect("settings");
    sys.commit().await.expect("commit");
    let staff = app.staff(kil, &kil_admin).await;
    let mut tx = app.db.write(Scope::Tenant(kil)).await.expect("tx");
    for (pnr, ..) in &people {
        broadcast::subscribe(&mut tx, kil, &citizen(pnr), true, app.now()).await.expect("subscribe");
    }
    // A broadcast that begins in an hour, and one in force now.
    let local = |h: i64| broadcast::local_value(app.now() + time::Duration::hours(h));
    for (from, text) in [(1, "Senare underhåll."), (-1, "Driftstopp i betalningen.")] {
        let f = BroadcastInput {
            severity: "critical".into(),
            starts: local(from),
            ends: local(from + 3),
            text_sv: text.into(),
            text_en: if from < 0 { "Payments are down.".into() } else { String::new() },
            ..Default::default()
        };
        broadcast::publish_local(&mut tx, kil, &f, &radhus_platform::audit::Actor::staff(&staff), app.now()).await.expect("broadcast");
    }
    tx.commit().await.expect("commit");

    let send = |at: time::OffsetDateTime| {
        let ctx = radhus_platform::outbox::JobCtx::new(app.db.clone(), at, std::sync::Arc::new(app.state.config.clone()));
        radhus_mycases::disruptions::send(ctx)
    };
    assert_eq!(send(app.now()).await.expect("send"), 3, "Astrid's e-mail and SMS, Erik's e-mail");
    let astrid = outbox_to(&app, "astrid@example.se").await;
    assert_eq!(astrid.len(), 1);
    assert!(astrid[0].0.contains("Allvarlig störning") && astrid[0].0.contains("Kil"), "{:?}", astrid[0]);
    assert!(astrid[0].1.contains("Driftstopp i betalningen.") && astrid[0].1.contains("/e-tjanster"), "{:?}", astrid[0]);
    let sms = outbox_to(&app, "+46701234567").await;
    assert_eq!(sms.len(), 1);
    assert!(sms[0].1.contains("Driftstopp i betalningen."), "{:?}", sms[0]);
    let erik = outbox_to(&app, "erik@example.se").await;
    assert!(erik.len() == 1 && erik[0].1.contains("Payments are down."), "in English: {erik:?}");
    assert!(outbox_to(&app, "ingen@example.se").await.is_empty(), "channel none");
    assert!(outbox_to(&app, "lisa@example.se").await.is_empty(), "not subscribed");
    // Once: the same broadcast is not sent again; the later one when it begins.
    assert_eq!(send(app.now()).await.expect("send"), 0);
    assert_eq!(send(app.now() + time::Duration::minutes(90)).await.expect("send"), 3);
    assert_eq!(outbox_to(&app, "astrid@example.se").await.len(), 2);
}
