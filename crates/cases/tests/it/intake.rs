//! Intake: another module registers a citizen's case in its own transaction, with no staff
//! user, routed by the case type; parties that are persons are sealed and found by number.

use radhus_cases::domain::RecordStatus;
use radhus_cases::intake::{self, By, Document, Inbound, Secrecy, Submission};
use radhus_cases::parties::{self, Identity, NewParty, PartyRole};
use radhus_cases::service;
use radhus_kernel::Personnummer;
use radhus_kernel::ids::TenantId;
use radhus_platform::db::Scope;
use radhus_platform::error::Error;
use radhus_platform::identity::org::UnitKind;
use radhus_platform::on_tx;
use radhus_testkit::TestApp;
use uuid::Uuid;

use crate::{app, setup};

const PNR: &str = "19850315-2384";

fn pnr() -> Personnummer {
    PNR.parse().expect("pnr")
}

fn submission(ct: Uuid) -> Submission {
    Submission {
        case_type: ct,
        title: "Ansökan om bygglov, Tuppen 4".into(),
        public_title: String::new(),
        parties: vec![NewParty {
            role: PartyRole::Applicant,
            name: "Astrid Lindqvist".into(),
            identity: Identity::Person(pnr()),
            contact: "astrid@example.se".into(),
        }],
        record: Inbound {
            title: "Ansökan via e-tjänst".into(),
            correspondent: "Astrid Lindqvist".into(),
            correspondent_is_person: true,
            received_on: None,
            secrecy: Some(Secrecy { fields: vec!["correspondent".into()], ground: "OSL 26 kap. 1 §".into() }),
            documents: vec![
                Document { main: true, title: "Ansökan".into(), filename: "ansokan.pdf".into(), bytes: b"%PDF-1.7 ansokan".to_vec() },
                Document { main: false, title: "Ritning".into(), filename: "ritning.png".into(), bytes: b"\x89PNG ritning".to_vec() },
            ],
        },
    }
}

fn citizen() -> By {
    By::Citizen { pnr: pnr(), name: "Astrid Lindqvist".into() }
}

async fn count(app: &TestApp, t: TenantId, table: &str) -> i64 {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let sql = format!("SELECT COUNT(*) FROM {table} WHERE tenant_id = $1");
    let (n,): (i64,) = on_tx!(&mut tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).fetch_one(c).await.expect("count"));
    tx.commit().await.expect("commit");
    n
}

async fn nothing_written(app: &TestApp, t: TenantId) {
    for table in ["case_file", "record", "case_party", "change_event", "document_version"] {
        assert_eq!(count(app, t, table).await, 0, "{table} is empty");
    }
}

async fn submit(app: &TestApp, t: TenantId, by: &By, s: &Submission) -> Result<intake::Registered, Error> {
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    let r = intake::open_case_in(&mut tx, t, by, s, app.now()).await;
    if r.is_ok() {
        tx.commit().await.expect("commit");
    }
    r
}

#[tokio::test]
async fn a_citizens_submission_becomes_a_routed_case_with_no_staff_user() {
    let app = app().await;
    let (t, staff, ct) = setup(&app, "kil").await;

    // A case type without routing refuses intake, and nothing is written.
    let e = submit(&app, t, &citizen(), &submission(ct)).await.expect_err("no routing");
    assert_eq!(e.code().code, "CASE-023");
    nothing_written(&app, t).await;

    let unit = app.unit(t, "Bygglovsenheten", UnitKind::Forvaltning, None).await;
    service::set_routing(&app.db, &staff, ct, Some(unit.0), Some(staff.user_id.0), app.now()).await.expect("routing");
    let r = submit(&app, t, &citizen(), &submission(ct)).await.expect("intake");
    assert_eq!(r.record_number, format!("{}-1", r.case_number));

    // The caseworker sees it in the right unit, registered by the citizen, secret as asked.
    let view = service::read_case(&app.db, &staff, r.case_id, service::Via::Page, app.now()).await.expect("read");
    assert_eq!(view.case.unit_id, Some(unit.0));
    assert_eq!(view.case.caseworker_id, Some(staff.user_id.0));
    let rec = &view.records[0];
    assert_eq!(rec.status, RecordStatus::Registered);
    assert_eq!(rec.registered_by, "Astrid Lindqvist");
    assert!(rec.is_secret("correspondent"));
    assert_eq!(view.documents.len(), 2);
    assert_eq!(view.parties.len(), 1);
    assert_eq!((view.parties[0].kind.as_str(), view.parties[0].identity_number.as_str()), ("person", PNR));

    // The number is sealed in the row and found by its blind index.
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let (ident, sealed): (String, Option<String>) = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT identity_number, pnr_sealed FROM case_party WHERE tenant_id = $1").bind(t.0).fetch_one(c).await.expect("party"));
    assert_eq!(ident, "");
    assert!(!sealed.unwrap_or_default().contains("19850315"));
    assert_eq!(parties::cases_of_person(&mut tx, t, &pnr()).await.expect("lookup"), vec![r.case_id]);
    let other: Personnummer = "19720901-4419".parse().expect("pnr");
    assert!(parties::cases_of_person(&mut tx, t, &other).await.expect("lookup").is_empty());
    // The change log tells other modules, in order.
    let kinds: Vec<String> =
        radhus_platform::changes::after(&mut tx, t, 0, 100).await.expect("events").into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["case.opened", "record.registered", "record.secrecy_set"]);
    // The audit log names the citizen by blind index, never by number.
    let actors: Vec<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT actor_kind, actor_id FROM audit_event WHERE tenant_id = $1 AND action = 'case.created'").bind(t.0).fetch_all(c).await.expect("audit"));
    tx.commit().await.expect("commit");
    assert_eq!(actors.len(), 1);
    assert_eq!(actors[0].0, "citizen");
    assert!(actors[0].1.starts_with("pnr:") && !actors[0].1.contains("19850315"), "{}", actors[0].1);

    // A completion comes in as a new inbound record of the same case.
    let completion = Inbound { secrecy: None, documents: vec![], title: "Komplettering".into(), ..submission(ct).record };
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    let (_, number) =
        intake::add_inbound_in(&mut tx, t, &By::System("E-tjänst".into()), r.case_id, &completion, app.now()).await.expect("add");
    tx.commit().await.expect("commit");
    assert_eq!(number, format!("{}-2", r.case_number));
}

#[tokio::test]
async fn bad_intake_writes_nothing_and_a_rolled_back_caller_leaves_no_trace() {
    let app = app().await;
    let (t, staff, ct) = setup(&app, "kil").await;
    let unit = app.unit(t, "Bygglovsenheten", UnitKind::Forvaltning, None).await;
    service::set_routing(&app.db, &staff, ct, Some(unit.0), None, app.now()).await.expect("routing");

    // An invalid personal identity number is refused where the module builds the party.
    let bad = NewParty::from_form("applicant", "Astrid", "19850315-2385", "", app.now().date()).expect_err("checksum");
    assert_eq!(bad[0].field, "party_identity");

    // An executable file, a secrecy marking without an OSL ground, an unknown case type.
    let mut exe = submission(ct);
    exe.record.documents.push(Document { main: false, title: "x".into(), filename: "x.pdf".into(), bytes: b"MZ\x90\x00".to_vec() });
    assert_eq!(submit(&app, t, &citizen(), &exe).await.expect_err("exe").code().code, "CASE-007");
    let mut ground = submission(ct);
    ground.record.secrecy = Some(Secrecy { fields: vec!["title".into()], ground: "för att".into() });
    let Error::Invalid(errs) = submit(&app, t, &citizen(), &ground).await.expect_err("ground") else { panic!("field errors") };
    assert_eq!(errs[0].field, "secrecy_ground");
    let unknown = Submission { case_type: Uuid::now_v7(), ..submission(ct) };
    assert_eq!(submit(&app, t, &citizen(), &unknown).await.expect_err("type").code().code, "CASE-024");
    nothing_written(&app, t).await;

    // The calling module's transaction fails after intake: the case goes with it, number too.
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    let r = intake::open_case_in(&mut tx, t, &citizen(), &submission(ct), app.now()).await.expect("intake");
    drop(tx);
    nothing_written(&app, t).await;
    let again = submit(&app, t, &citizen(), &submission(ct)).await.expect("intake");
    assert_eq!(again.case_number, r.case_number, "the rolled-back number is not used up");
}

#[tokio::test]
async fn parties_from_before_get_kinds_and_their_numbers_sealed() {
    let app = app().await;
    let (t, staff, ct) = setup(&app, "kil").await;
    let n = service::NewCase { case_type: ct, title: "Gammalt ärende".into(), ..Default::default() };
    let (case, number) = service::create_case(&app.db, &staff, &n, app.now()).await.expect("case");
    // Rows as migration 0015 found them: no kind, the number as typed.
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    for (name, typed) in [("Person", "850315-2384"), ("Bolaget AB", "556036-0793"), ("Felskrivet", "19850315-2385"), ("Namn", "")] {
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO case_party (tenant_id, id, case_id, role, name, identity_number, contact, created_at) VALUES ($1, $2, $3, 'applicant', $4, $5, '', $6)")
            .bind(t.0).bind(Uuid::now_v7()).bind(case).bind(name).bind(typed).bind(app.now()).execute(c).await.expect("legacy").rows_affected());
    }
    tx.commit().await.expect("commit");

    let report = parties::upgrade(&app.db, app.now().date()).await.expect("upgrade");
    assert_eq!((report.persons, report.organisations, report.names), (1, 1, 2));
    assert_eq!(report.unparsed.len(), 1);
    assert_eq!(report.unparsed[0].1, number);
    assert_eq!(parties::upgrade(&app.db, app.now().date()).await.expect("again"), parties::Upgrade::default(), "done once");

    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let found: Vec<(String, String, String)> =
        parties::of_case(&mut tx, t, case).await.expect("parties").into_iter().map(|p| (p.name, p.kind, p.identity_number)).collect();
    assert_eq!(parties::cases_of_person(&mut tx, t, &pnr()).await.expect("lookup"), vec![case]);
    let plain: Vec<(String,)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT identity_number FROM case_party WHERE tenant_id = $1 AND kind = 'person'").bind(t.0).fetch_all(c).await.expect("rows"));
    tx.commit().await.expect("commit");
    assert_eq!(plain, vec![(String::new(),)], "the plain number is gone");
    assert!(found.contains(&("Person".into(), "person".into(), PNR.into())));
    assert!(found.contains(&("Bolaget AB".into(), "organisation".into(), "556036-0793".into())));
    assert!(found.contains(&("Felskrivet".into(), "name".into(), "19850315-2385".into())));
    assert!(found.contains(&("Namn".into(), "name".into(), String::new())));
}

#[tokio::test]
async fn the_registry_administrator_sets_a_case_types_routing_on_the_registries_page() {
    let app = app().await;
    let (t, _, ct) = setup(&app, "kil").await;
    let unit = app.unit(t, "Bygglovsenheten", UnitKind::Forvaltning, None).await;
    let mut c = app.login("kil", "admin@kil.se").await;
    let path = format!("/admin/diarier/typer/{ct}/forval");
    // A caseworker without a unit is bad input: the page comes back with the message.
    let admin = app.staff(t, "admin@kil.se").await;
    let r = c.post_form(&path, &[("unit_id", ""), ("caseworker_id", &admin.user_id.0.to_string())]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("en förvald handläggare kräver en förvald enhet"), "{}", r.body);
    let r = c.post_form(&path, &[("unit_id", &unit.0.to_string()), ("caseworker_id", "")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = c.get("/admin/diarier").await;
    assert!(page.body.contains(&format!("<option value=\"{}\" selected>Bygglovsenheten</option>", unit.0)), "{}", page.body);
    // A malformed id in the path is not found.
    assert_eq!(c.post_form("/admin/diarier/typer/inte-ett-id/forval", &[("unit_id", "")]).await.status, 404);
}
