//! *Väntar på betalning* (issue 12 item 1, with e-services' payments): the events `payment.due`
//! and `payment.received` set and lift the flag on every person party's row, read in the
//! citizen's own scope (row-level security on PostgreSQL), and come again harmlessly.

use radhus_platform::changes;
use radhus_platform::db::Scope;
use uuid::Uuid;

use super::{ASTRID, ERIK, app, cases_of, deliver, event, opened};

#[tokio::test]
async fn a_fee_due_flags_the_case_for_every_party_until_it_is_paid() {
    let app = app().await;
    let kil = app.tenant("kil", "Kil", "1715").await;
    let a = opened(&app, kil, "Bygglov, Tuppen 4", &[ASTRID, ERIK]).await;
    let b = opened(&app, kil, "Parkeringstillstånd", &[ASTRID]).await;
    let url = "http://kil.localhost/e-tjanster/kvitton/0192";
    event(&app, kil, "payment.due", a, serde_json::json!({ "amount": 2400, "pay_url": url, "submission": Uuid::now_v7() })).await;
    // An event without where to pay flags nothing.
    event(&app, kil, "payment.due", b, serde_json::json!({ "amount": 100 })).await;
    deliver(&app).await;
    let flag = |v: &[radhus_mycases::store::MyCase], c: Uuid| v.iter().find(|x| x.case_id == c).and_then(|x| x.payment_url.clone());
    let astrid = cases_of(&app, ASTRID, None).await;
    assert_eq!(flag(&astrid, a).as_deref(), Some(url));
    assert_eq!(flag(&astrid, b), None);
    assert_eq!(flag(&cases_of(&app, ERIK, None).await, a).as_deref(), Some(url), "the other party too");

    event(&app, kil, "payment.received", a, serde_json::json!({ "amount": 2400 })).await;
    deliver(&app).await;
    assert_eq!(flag(&cases_of(&app, ASTRID, None).await, a), None, "paid: the flag is lifted");

    // Every event again: paid stays paid.
    let mut tx = app.db.write(Scope::Tenant(kil)).await.expect("tx");
    for e in &changes::after(&mut tx, kil, 0, 100).await.expect("events") {
        radhus_mycases::feed::apply(&mut tx, e).await.expect("again");
    }
    tx.commit().await.expect("commit");
    assert_eq!(flag(&cases_of(&app, ASTRID, None).await, a), None);

    // Obliterated: nothing left.
    event(&app, kil, "payment.due", b, serde_json::json!({ "pay_url": url })).await;
    event(&app, kil, "case.obliterated", b, serde_json::json!({})).await;
    deliver(&app).await;
    let mut tx = app.db.read(Scope::Tenant(kil)).await.expect("tx");
    let n: i64 = radhus_platform::on_tx!(&mut tx, c => sqlx::query_scalar("SELECT COUNT(*) FROM my_case_payment WHERE tenant_id = $1 AND case_id = $2")
        .bind(kil.0).bind(b).fetch_one(c).await.expect("count"));
    tx.commit().await.expect("commit");
    assert_eq!(n, 0);
}
