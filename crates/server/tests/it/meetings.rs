//! Committee administration across modules: a citizen's case goes to the committee, the
//! minutes are adjusted, and when the secretary dispatches the extracts the citizen's case turns
//! *Beslutat* in Mina ärenden with the extract to download.

use radhus_cases::domain::RecordKind;
use radhus_cases::memo::MemoText;
use radhus_cases::parties::{Identity, NewParty, PartyRole};
use radhus_cases::service::{self as cases, NewCase, NewRecord};
use radhus_meetings::service::{self, NewCommittee, NewMeeting, NewMember};
use radhus_meetings::signing::{self, Signed};
use radhus_meetings::{minutes, record, store};
use radhus_platform::changes;
use radhus_platform::db::Scope;
use radhus_testkit::TestApp;
use time::macros::date;

const ASTRID: &str = "19850315-2384";

#[tokio::test]
async fn dispatched_extracts_turn_the_citizens_case_decided_with_the_extract_to_download() {
    let app = TestApp::with_modules(radhus::modules, |_| {}).await;
    let (t, admin_email) = app.tenant_with_admin("karlstad", "Karlstad", "1780").await;
    let admin = app.staff(t, &admin_email).await;
    let reg = cases::create_registry(&app.db, &admin, "KS", "Kommunstyrelsen", "", app.now()).await.expect("registry");
    let ct = cases::create_case_type(&app.db, &admin, "Medborgarförslag", reg, None, 90, app.now()).await.expect("type");
    let astrid = NewParty {
        role: PartyRole::Applicant,
        name: "Astrid Lindqvist".into(),
        identity: Identity::Person(ASTRID.parse().expect("pnr")),
        contact: String::new(),
    };
    let n = NewCase { case_type: ct, title: "Medborgarförslag om en lekplats".into(), parties: vec![astrid], ..Default::default() };
    let (case, _) = cases::create_case(&app.db, &admin, &n, app.now()).await.expect("case");
    let r = NewRecord {
        kind: RecordKind::Decision,
        title: "Förslag till beslut".into(),
        correspondent: String::new(),
        correspondent_is_person: false,
        document_date: None,
        received_on: None,
        memo_text: String::new(),
        register: false,
    };
    let memo = cases::add_record(&app.db, &admin, case, &r, app.now()).await.expect("record");
    let text = MemoText { proposal: "Kommunstyrelsen bifaller förslaget.".into(), ..Default::default() };
    radhus_cases::memo::generate(&app.db, &admin, memo, &text, app.now()).await.expect("memo");

    let nc = NewCommittee { kind: "ks".into(), name: "Kommunstyrelsen".into(), code: "KS".into(), registry_id: Some(reg), seats: 3 };
    let ks = service::create_committee(&app.db, &admin, &nc, app.now()).await.expect("committee");
    service::set_access(&app.db, &admin, ks, admin.user_id.0, Some("secretary"), app.now()).await.expect("secretary");
    let mut members = vec![];
    for (i, role) in ["chair", "vice_chair", "member"].iter().enumerate() {
        let email = format!("ledamot{i}@karlstad.se");
        let user = app.user(t, &email, &format!("Ledamot {i}"), None, None).await;
        let m = NewMember {
            user_id: user.0,
            role: (*role).into(),
            party: "Partiet".into(),
            callin_order: None,
            term_from: date!(2023 - 01 - 01),
            term_to: date!(2030 - 12 - 31),
        };
        members.push((service::add_member(&app.db, &admin, ks, &m, app.now()).await.expect("member"), app.staff(t, &email).await));
    }
    let nm = NewMeeting { date: "2026-12-15".into(), time: "13:00".into(), place: "Sessionssalen".into(), public: true };
    let m = service::create_meeting(&app.db, &admin, ks, &nm, app.now()).await.expect("meeting");
    let p = service::propose(&app.db, &admin, case, ks, memo, app.now()).await.expect("proposed");
    service::accept(&app.db, &admin, p, m, app.now()).await.expect("accepted");
    record::issue_notice(&app.db, &admin, m, "http://karlstad.localhost", app.now()).await.expect("notice");
    record::mark_held(&app.db, &admin, m, app.now()).await.expect("held");
    let ids: Vec<_> = members.iter().map(|(id, _)| *id).collect();
    record::set_attendance(&app.db, &admin, m, &ids, &[], app.now()).await.expect("attendance");
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let item = store::items(&mut tx, t, m).await.expect("items")[0].id;
    tx.commit().await.expect("commit");
    record::decide(&app.db, &admin, item, "decided", "Kommunstyrelsen bifaller förslaget.", app.now()).await.expect("decided");
    minutes::draft(&app.db, &admin, m, &[ids[2]], app.now()).await.expect("minutes");
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let sha = store::meeting(&mut tx, t, m).await.expect("m").expect("m").minutes_sha256.expect("sha");
    tx.commit().await.expect("commit");
    for (_, user) in [&members[0], &members[2]] {
        signing::adjust(&app.db, user, Signed::Minutes(m), &sha, app.now()).await.expect("adjusted");
    }
    changes::deliver_all(&app.db, &app.state.subscribers, app.now()).await;

    // Adjusted and registered in the case, but not yet dispatched: not decided for the citizen.
    let mut c = app.client("localhost");
    assert_eq!(c.post_form("/e-legitimation/test", &[("person", ASTRID)]).await.status, 303);
    let page = format!("/mina-arenden/{}/{case}", t.0);
    let before = c.get(&page).await;
    assert_eq!(before.status, 200);
    assert!(!before.body.contains("Protokollsutdrag"), "{}", before.body);
    let row = |body: &str| body.split("<tr>").find(|r| r.contains("lekplats")).map(str::to_string).unwrap_or_default();
    assert!(!row(&c.get("/mina-arenden").await.body).contains("Beslutat"));

    // The secretary dispatches from the meeting page.
    let mut staff = app.login("karlstad", &admin_email).await;
    let meeting_page = staff.get(&format!("/admin/moten/mote/{m}")).await;
    assert!(meeting_page.body.contains("Expediera protokollsutdragen"), "{}", meeting_page.body);
    let r = staff.post_form(&format!("/admin/moten/mote/{m}/expediera"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    changes::deliver_all(&app.db, &app.state.subscribers, app.now()).await;

    assert!(row(&c.get("/mina-arenden").await.body).contains("Beslutat"));
    let after = c.get(&page).await;
    let link = after
        .body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.contains("/dokument/"))
        .map(str::to_string)
        .expect("a document link");
    assert!(after.body.contains("Protokollsutdrag KS §"), "{}", after.body);
    let pdf = c.get(&link).await;
    assert_eq!(pdf.status, 200);
    assert!(pdf.body.starts_with("%PDF"));

    // A second dispatch is refused on the page with the module's message.
    let again = staff.post_form(&format!("/admin/moten/mote/{m}/expediera"), &[]).await;
    assert!(again.body.contains("redan expedierade"), "{}", again.body);
}
