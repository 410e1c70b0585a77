//! Diary numbers are gap-free per registry and year, also under concurrency.

use radhus_cases::intake::{self, By, Inbound};
use radhus_cases::service::{self, NewCase};
use radhus_kernel::DiaryNumber;
use radhus_platform::db::Scope;
use radhus_platform::on_tx;

#[tokio::test]
async fn numbers_follow_each_other_without_gaps() {
    let app = super::app().await;
    let (t, staff, ct) = super::setup(&app, "kil").await;
    let mut numbers = vec![];
    for i in 0..3 {
        let n = NewCase { case_type: ct, title: format!("Ärende {i}"), ..Default::default() };
        numbers.push(service::create_case(&app.db, &staff, &n, app.now()).await.expect("case").1);
    }
    assert_eq!(numbers, vec!["KS 2026/1", "KS 2026/2", "KS 2026/3"]);
    // A refused registration gives its number back.
    let bad = NewCase { case_type: ct, title: String::new(), ..Default::default() };
    assert!(service::create_case(&app.db, &staff, &bad, app.now()).await.is_err());
    let n = NewCase { case_type: ct, title: "Nästa".into(), ..Default::default() };
    assert_eq!(service::create_case(&app.db, &staff, &n, app.now()).await.expect("case").1, "KS 2026/4");
    // A new year starts a new series. The number stored on the case is a well-formed diary
    // number whose parts are the registry, the new year and the first of its series.
    app.clock.advance(time::Duration::days(40));
    let (case, number) = service::create_case(&app.db, &staff, &n, app.now()).await.expect("case");
    assert_eq!(number, "KS 2027/1");
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let stored = radhus_cases::store::case(&mut tx, t, case).await.expect("case").expect("stored").number;
    tx.commit().await.expect("commit");
    let parsed = DiaryNumber::parse(&stored).expect("the stored number parses");
    assert_eq!(parsed, DiaryNumber { registry: "KS".into(), year: 2027, seq: 1, record: None });
    assert_eq!(parsed.to_string(), number, "the stored number is the one the caller was given, in its canonical form");
}

#[tokio::test]
async fn concurrent_registrations_never_share_a_number() {
    let app = super::app().await;
    let (_, staff, ct) = super::setup(&app, "kil").await;
    let mut tasks = vec![];
    for i in 0..12 {
        let db = app.db.clone();
        let staff = staff.clone();
        let now = app.now();
        tasks.push(tokio::spawn(async move {
            let n = NewCase { case_type: ct, title: format!("Parallellt {i}"), ..Default::default() };
            service::create_case(&db, &staff, &n, now).await.expect("case").1
        }));
    }
    let mut got = vec![];
    for t in tasks {
        got.push(t.await.expect("join"));
    }
    let mut seqs: Vec<u32> = got.iter().map(|n| DiaryNumber::parse(n).expect("number").seq).collect();
    seqs.sort();
    assert_eq!(seqs, (1..=12).collect::<Vec<u32>>());
}

#[tokio::test]
async fn registries_have_their_own_number_format() {
    let app = super::app().await;
    let (_, staff, _) = super::setup(&app, "kil").await;
    let reg =
        service::create_registry(&app.db, &staff, "BN", "Byggnadsnämnden", "{code}/{year}/{seq:4}", app.now()).await.expect("registry");
    let ct = service::create_case_type(&app.db, &staff, "Strandskydd", reg, None, 30, app.now()).await.expect("type");
    let n = NewCase { case_type: ct, title: "Strandskyddsdispens".into(), ..Default::default() };
    assert_eq!(service::create_case(&app.db, &staff, &n, app.now()).await.expect("case").1, "BN/2026/0001");
    assert!(
        service::create_registry(&app.db, &staff, "BX", "Fel", "{code}-{seq}", app.now()).await.is_err(),
        "a format without a year is refused"
    );
    assert!(service::create_registry(&app.db, &staff, "BN", "Igen", "", app.now()).await.is_err(), "duplicate code");
}

/// The committed cases' sequence numbers and diary numbers, in order.
async fn stored_case_numbers(app: &radhus_testkit::TestApp, t: radhus_kernel::ids::TenantId) -> Vec<(i32, String)> {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let rows: Vec<(i32, String)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT seq, number FROM case_file WHERE tenant_id = $1 ORDER BY seq")
        .bind(t.0).fetch_all(c).await.expect("cases"));
    tx.commit().await.expect("commit");
    rows
}

/// Registrations that take a number and then roll back, among concurrent ones that commit
/// (the registration's transaction holds the number until it ends, so those behind it wait):
/// what is committed is numbered 1..=n with no gap and no duplicate, every number a rolled-back
/// registration held is given to a later one, and the next registration continues the series.
#[tokio::test]
async fn registrations_rolled_back_after_taking_a_number_leave_no_gap() {
    let app = super::app().await;
    let (t, staff, ct) = super::setup(&app, "kil").await;
    let mut tasks = vec![];
    for i in 0..18 {
        let (db, staff, now) = (app.db.clone(), staff.clone(), app.now());
        tasks.push(tokio::spawn(async move {
            let mut tx = db.write(Scope::Tenant(staff.tenant_id)).await.expect("tx");
            let n = NewCase { case_type: ct, title: format!("Parallellt {i}"), ..Default::default() };
            let (_, number) = service::create_case_in(&mut tx, &staff, &n, now).await.expect("case");
            // Hold the number a moment, so that the others queue behind this transaction.
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            let keep = i % 3 != 0;
            if keep {
                tx.commit().await.expect("commit")
            } else {
                tx.rollback().await.expect("rollback")
            }
            (number, keep)
        }));
    }
    let mut kept = vec![];
    let mut dropped = vec![];
    for task in tasks {
        let (number, keep) = task.await.expect("join");
        if keep { kept.push(number) } else { dropped.push(number) }
    }
    assert_eq!((kept.len(), dropped.len()), (12, 6));
    let stored = stored_case_numbers(&app, t).await;
    let seqs: Vec<i32> = stored.iter().map(|(s, _)| *s).collect();
    assert_eq!(seqs, (1..=12).collect::<Vec<i32>>(), "committed cases are numbered without gaps: {stored:?}");
    let mut numbers: Vec<String> = stored.into_iter().map(|(_, n)| n).collect();
    numbers.sort();
    kept.sort();
    assert_eq!(kept, numbers, "each committed registration got the number stored for it, none twice");
    // A number a rolled-back registration held went to a later one, or (when no one came
    // later) it is the next registration's.
    let n = NewCase { case_type: ct, title: "Efteråt".into(), ..Default::default() };
    let next = service::create_case(&app.db, &staff, &n, app.now()).await.expect("case").1;
    assert_eq!(next, "KS 2026/13");
    for d in &dropped {
        assert!(kept.contains(d) || *d == next, "the number {d} of a rolled-back registration was given back");
    }
}

/// Records of one case registered concurrently by other modules' transactions (intake), some
/// of which roll back after taking the record's running number: the committed records are
/// numbered 1..=n without a gap or a duplicate, and none of the concurrent registrations fails.
#[tokio::test]
async fn concurrent_record_registrations_with_rollbacks_leave_no_gap() {
    let app = super::app().await;
    let (t, staff, ct) = super::setup(&app, "kil").await;
    let (case, number) =
        service::create_case(&app.db, &staff, &NewCase { case_type: ct, title: "Kompletteringar".into(), ..Default::default() }, app.now())
            .await
            .expect("case");
    let mut tasks = vec![];
    for i in 0..18 {
        let (db, now) = (app.db.clone(), app.now());
        tasks.push(tokio::spawn(async move {
            let mut tx = db.write(Scope::Tenant(t)).await.expect("tx");
            let r = Inbound {
                title: format!("Komplettering {i}"),
                correspondent: "Byggare AB".into(),
                correspondent_is_person: false,
                received_on: None,
                secrecy: None,
                documents: vec![],
            };
            let by = By::System("E-tjänst: Bygglov".into());
            let (_, record_number) = intake::add_inbound_in(&mut tx, t, &by, case, &r, now).await.expect("record");
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            let keep = i % 3 != 0;
            if keep {
                tx.commit().await.expect("commit")
            } else {
                tx.rollback().await.expect("rollback")
            }
            (record_number, keep)
        }));
    }
    let mut kept = vec![];
    for task in tasks {
        let (record_number, keep) = task.await.expect("join");
        if keep {
            kept.push(record_number);
        }
    }
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let running: Vec<i32> = on_tx!(&mut tx, c => sqlx::query_scalar("SELECT running_no FROM record WHERE tenant_id = $1 AND case_id = $2 ORDER BY running_no")
        .bind(t.0).bind(case).fetch_all(c).await.expect("records"));
    tx.commit().await.expect("commit");
    assert_eq!(running, (1..=12).collect::<Vec<i32>>(), "committed records are numbered without gaps");
    kept.sort_by_key(|n| n.rsplit('-').next().and_then(|s| s.parse::<i32>().ok()));
    assert_eq!(kept, (1..=12).map(|i| format!("{number}-{i}")).collect::<Vec<_>>(), "no record number twice");
    // The public diary lists them in the same numbers.
    let public = app.client("kil.localhost").get(&format!("/api/v1/diarium/{case}")).await.json();
    let listed: Vec<String> =
        public["records"].as_array().expect("records").iter().map(|r| r["number"].as_str().expect("number").to_string()).collect();
    assert_eq!(listed, kept);
}
