//! Diary numbers are gap-free per registry and year, also under concurrency.

use radhus_cases::service::{self, NewCase};
use radhus_kernel::DiaryNumber;

#[tokio::test]
async fn numbers_follow_each_other_without_gaps() {
    let app = super::app().await;
    let (_, staff, ct) = super::setup(&app, "kil").await;
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
    // A new year starts a new series.
    app.clock.advance(time::Duration::days(40));
    assert_eq!(service::create_case(&app.db, &staff, &n, app.now()).await.expect("case").1, "KS 2027/1");
    assert!(DiaryNumber::parse("KS 2027/1").is_ok());
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
