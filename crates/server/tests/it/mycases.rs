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
        correspondent: String::new(),
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
