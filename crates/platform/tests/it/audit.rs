//! The audit chain detects tampering.

use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::Scope;
use radhus_platform::on_tx;
use radhus_testkit::TestApp;

async fn record(app: &TestApp, tenant: Option<radhus_kernel::ids::TenantId>, n: usize) {
    for i in 0..n {
        let scope = tenant.map(Scope::Tenant).unwrap_or(Scope::Platform);
        let mut tx = app.db.write(scope).await.expect("tx");
        audit::record(
            &mut tx,
            tenant,
            &Actor::system(),
            Event::new("test.event", "thing", i).with(serde_json::json!({ "n": i, "text": "åäö" })),
            app.now(),
        )
        .await
        .expect("record");
        tx.commit().await.expect("commit");
    }
}

#[tokio::test]
async fn an_intact_log_verifies() {
    let app = TestApp::new().await;
    let t = app.tenant("kil", "Kil", "1715").await;
    record(&app, Some(t), 5).await;
    record(&app, None, 2).await;
    let report = audit::verify(&app.db).await.expect("verify");
    assert_eq!(report.chains, 2);
    assert_eq!(report.events, 7);
    assert!(report.broken.is_empty(), "{:?}", report.broken);
}

#[tokio::test]
async fn a_changed_row_is_found() {
    let app = TestApp::new().await;
    let t = app.tenant("kil", "Kil", "1715").await;
    record(&app, Some(t), 5).await;
    let mut tx = app.db.write(Scope::System).await.expect("tx");
    on_tx!(&mut tx, c => sqlx::query("UPDATE audit_event SET actor_name = 'någon annan' WHERE tenant_id = $1 AND seq = 3").bind(t.0).execute(c).await.expect("tamper").rows_affected());
    tx.commit().await.expect("commit");
    let report = audit::verify(&app.db).await.expect("verify");
    assert_eq!(report.broken.len(), 1);
    assert_eq!(report.broken[0].seq, 3);
    assert_eq!(report.broken[0].tenant_id, t.0);
    assert_eq!(report.broken[0].reason, "content does not match its hash");
}

#[tokio::test]
async fn a_removed_row_is_found() {
    let app = TestApp::new().await;
    let t = app.tenant("kil", "Kil", "1715").await;
    record(&app, Some(t), 5).await;
    let mut tx = app.db.write(Scope::System).await.expect("tx");
    on_tx!(&mut tx, c => sqlx::query("DELETE FROM audit_event WHERE tenant_id = $1 AND seq = 2").bind(t.0).execute(c).await.expect("tamper").rows_affected());
    tx.commit().await.expect("commit");
    let report = audit::verify(&app.db).await.expect("verify");
    assert_eq!(report.broken.len(), 1);
    assert_eq!(report.broken[0].seq, 3, "the first event after the gap");
}

#[tokio::test]
async fn a_removed_tail_is_found() {
    let app = TestApp::new().await;
    let t = app.tenant("kil", "Kil", "1715").await;
    record(&app, Some(t), 4).await;
    let mut tx = app.db.write(Scope::System).await.expect("tx");
    on_tx!(&mut tx, c => sqlx::query("DELETE FROM audit_event WHERE tenant_id = $1 AND seq = 4").bind(t.0).execute(c).await.expect("tamper").rows_affected());
    tx.commit().await.expect("commit");
    let report = audit::verify(&app.db).await.expect("verify");
    assert_eq!(report.broken.len(), 1);
    assert_eq!(report.broken[0].reason, "events after this point were removed");
}

#[tokio::test]
async fn a_rolled_back_change_leaves_no_audit_event() {
    let app = TestApp::new().await;
    let t = app.tenant("kil", "Kil", "1715").await;
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    audit::record(&mut tx, Some(t), &Actor::system(), Event::new("test.event", "thing", 1), app.now()).await.expect("record");
    tx.rollback().await.expect("rollback");
    let report = audit::verify(&app.db).await.expect("verify");
    assert_eq!(report.events, 0);
}

#[tokio::test]
async fn concurrent_writers_keep_one_chain() {
    let app = TestApp::new().await;
    let t = app.tenant("kil", "Kil", "1715").await;
    let mut tasks = vec![];
    for i in 0..8 {
        let db = app.db.clone();
        let now = app.now();
        tasks.push(tokio::spawn(async move {
            let mut tx = db.write(Scope::Tenant(t)).await.expect("tx");
            audit::record(&mut tx, Some(t), &Actor::system(), Event::new("test.parallel", "thing", i), now).await.expect("record");
            tx.commit().await.expect("commit");
        }));
    }
    for task in tasks {
        task.await.expect("join");
    }
    let report = audit::verify(&app.db).await.expect("verify");
    assert_eq!(report.events, 8);
    assert!(report.broken.is_empty(), "{:?}", report.broken);
}
