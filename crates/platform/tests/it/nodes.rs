//! Several server processes on one database (issue 14 item 1): two background workers, each
//! with a connection pool of its own as two nodes have, run the periodic jobs once between
//! them, send each outbox message once and stop when asked.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use radhus_kernel::ids::TenantId;
use radhus_platform::config::SmtpConfig;
use radhus_platform::db::{Db, DbKind, Scope};
use radhus_platform::error::Result;
use radhus_platform::on_tx;
use radhus_platform::outbox::{self, Channel, JobCtx, Message, Transports};
use radhus_platform::shutdown::Stop;
use radhus_testkit::TestApp;
use radhus_testkit::servers::SmtpServer;

fn transports(app: &TestApp, smtp: &SmtpServer) -> Transports {
    let mut cfg = app.state.config.clone();
    cfg.smtp = SmtpConfig {
        host: "127.0.0.1".into(),
        port: smtp.port,
        security: "none".into(),
        from: "Kils kommun <noreply@kil.se>".into(),
        ..SmtpConfig::default()
    };
    Transports::from_config(&cfg, reqwest::Client::new()).expect("transports")
}

/// A second node: the same database through a pool of its own.
async fn second_node(app: &TestApp) -> Db {
    radhus_testkit::connect_located(&app.locator().await).await.expect("the second node's pool")
}

async fn count(app: &TestApp, t: TenantId, sql: &'static str) -> i64 {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let (n,): (i64,) = on_tx!(&mut tx, c => sqlx::query_as(sql).bind(t.0).fetch_one(c).await.expect("count"));
    tx.commit().await.expect("commit");
    n
}

static TENANT: OnceLock<TenantId> = OnceLock::new();
static RUNS: AtomicUsize = AtomicUsize::new(0);

/// A job like the modules' reminders: it looks for what is due in one transaction and queues
/// the message in another, after a call that takes a while (as a job that asks another system
/// does). Two nodes running it at the same time would both find it due and queue it twice.
fn daily_letter(ctx: JobCtx) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<usize>> + Send>> {
    Box::pin(async move {
        RUNS.fetch_add(1, Ordering::SeqCst);
        let t = *TENANT.get().expect("the test's municipality");
        let mut tx = ctx.db.read(Scope::Tenant(t)).await?;
        let sent = outbox::queued_since(&mut tx, t, "dagbrev@kil.se", "Dagens brev", ctx.now - time::Duration::days(1)).await?;
        tx.commit().await?;
        if sent > 0 {
            return Ok(0);
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
        let mut tx = ctx.db.write(Scope::Tenant(t)).await?;
        let m = Message { channel: Channel::Email, recipient: "dagbrev@kil.se", subject: "Dagens brev", body: "Hej!" };
        outbox::enqueue(&mut tx, t, &m, ctx.now).await?;
        tx.commit().await?;
        Ok(1)
    })
}

/// On PostgreSQL: two nodes' workers tick together for a while; the job runs on one node at a
/// time (the advisory lock), so its letter is queued once and sent once, although both nodes
/// ran passes. (On SQLite one server process is the rule: nothing to show there.)
#[tokio::test]
async fn two_nodes_run_a_periodic_job_once_and_send_its_message_once() {
    let app = TestApp::new().await;
    if app.db.kind() != DbKind::Postgres {
        eprintln!("two_nodes_run_a_periodic_job_once: PostgreSQL only (RADHUS_TEST_DATABASE_URL)");
        return;
    }
    let t = app.tenant("kil", "Kil", "1715").await;
    TENANT.set(t).expect("set once");
    let smtp = SmtpServer::start().await;
    let tr = transports(&app, &smtp);
    let mut cfg = app.state.config.clone();
    cfg.outbox_poll_ms = 100;
    let clock: Arc<dyn radhus_kernel::Clock> = Arc::new(app.clock.clone());
    let (stopper, stop) = Stop::new();
    let other = second_node(&app).await;
    let a = outbox::spawn_worker(app.db.clone(), tr.clone(), clock.clone(), cfg.clone(), vec![daily_letter], stop.clone());
    let b = outbox::spawn_worker(other.clone(), tr, clock, cfg, vec![daily_letter], stop);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stopper.stop();
    tokio::time::timeout(Duration::from_secs(10), async {
        a.await.expect("worker a");
        b.await.expect("worker b");
    })
    .await
    .expect("both workers stop when asked");
    assert!(RUNS.load(Ordering::SeqCst) >= 4, "the job ran at every pass of some node: {}", RUNS.load(Ordering::SeqCst));
    assert_eq!(count(&app, t, "SELECT COUNT(*) FROM outbox WHERE tenant_id = $1 AND subject = 'Dagens brev'").await, 1, "queued once");
    let letters = smtp.mails().into_iter().filter(|m| m.to == vec!["dagbrev@kil.se".to_string()]).count();
    assert_eq!(letters, 1, "sent once");
    // The advisory lock went with the pass: a node takes it again, and the next day's letter
    // is queued by whichever node runs the job first.
    app.clock.advance(time::Duration::days(2));
    assert!(outbox::run_jobs(&other, &[daily_letter], app.now(), &Arc::new(app.state.config.clone())).await.expect("run"));
    assert_eq!(count(&app, t, "SELECT COUNT(*) FROM outbox WHERE tenant_id = $1 AND subject = 'Dagens brev'").await, 2, "the next day's");
    other.close().await;
}

/// Both databases: two nodes deliver one queue at the same time; the SMTP server receives each
/// message exactly once and every message ends sent.
#[tokio::test]
async fn two_nodes_deliver_each_outbox_message_once() {
    const MESSAGES: usize = 60;
    let app = TestApp::new().await;
    let t = app.tenant("kil", "Kil", "1715").await;
    for i in 0..MESSAGES {
        let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
        let to = format!("mottagare{i}@kil.se");
        let m = Message { channel: Channel::Email, recipient: &to, subject: "Hej", body: "Ett brev" };
        outbox::enqueue(&mut tx, t, &m, app.now()).await.expect("enqueue");
        tx.commit().await.expect("commit");
    }
    let smtp = SmtpServer::start().await;
    let tr = transports(&app, &smtp);
    let other = second_node(&app).await;
    let mut tried = 0;
    for _ in 0..20 {
        let (x, y) = tokio::join!(outbox::process_due(&app.db, &tr, app.now(), 5, 7), outbox::process_due(&other, &tr, app.now(), 5, 7));
        let n = x.expect("node a") + y.expect("node b");
        tried += n;
        if n == 0 {
            break;
        }
    }
    assert_eq!(tried, MESSAGES, "each message tried once");
    let mut to: Vec<String> = smtp.mails().into_iter().flat_map(|m| m.to).collect();
    assert_eq!(to.len(), MESSAGES, "each message sent once");
    to.sort();
    to.dedup();
    assert_eq!(to.len(), MESSAGES, "no message twice");
    assert_eq!(count(&app, t, "SELECT COUNT(*) FROM outbox WHERE tenant_id = $1 AND status = 'sent'").await, MESSAGES as i64);
    other.close().await;
}

/// A worker asked to stop ends at once when idle, and the change delivery with it; a pass in
/// progress stops after the message in hand and leaves the rest due for another node.
#[tokio::test]
async fn workers_stop_when_asked_and_leave_the_rest_unclaimed() {
    let app = TestApp::new().await;
    let t = app.tenant("kil", "Kil", "1715").await;
    for i in 0..5 {
        let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
        let to = format!("mottagare{i}@kil.se");
        let m = Message { channel: Channel::Email, recipient: &to, subject: "Hej", body: "Ett brev" };
        outbox::enqueue(&mut tx, t, &m, app.now()).await.expect("enqueue");
        tx.commit().await.expect("commit");
    }
    let smtp = SmtpServer::start().await;
    let tr = transports(&app, &smtp);
    let (stopper, stop) = Stop::new();
    stopper.stop();
    // Asked before the pass: nothing is claimed, so another node finds all five due at once.
    assert_eq!(outbox::process_due_until(&app.db, &tr, app.now(), 5, 20, Some(&stop)).await.expect("pass"), 0);
    assert_eq!(outbox::process_due(&app.db, &tr, app.now(), 5, 20).await.expect("another node"), 5);
    assert_eq!(smtp.mails().len(), 5);

    let clock: Arc<dyn radhus_kernel::Clock> = Arc::new(app.clock.clone());
    let (stopper, stop) = Stop::new();
    let worker = outbox::spawn_worker(app.db.clone(), tr, clock.clone(), app.state.config.clone(), vec![], stop.clone());
    let sub = radhus_platform::changes::Subscriber { name: "test.nothing", stream: "test", handle: nothing };
    let delivery =
        radhus_platform::changes::spawn_delivery(app.db.clone(), clock, vec![sub], Duration::from_secs(60), stop).expect("a subscriber");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!worker.is_finished() && !delivery.is_finished(), "they run until asked");
    stopper.stop();
    tokio::time::timeout(Duration::from_secs(5), async {
        worker.await.expect("worker");
        delivery.await.expect("delivery");
    })
    .await
    .expect("both stop within a pass, not after the 60 s poll");
}

fn nothing<'a>(
    _: &'a mut radhus_platform::db::Tx,
    _: &'a radhus_platform::changes::ChangeRow,
    _: time::OffsetDateTime,
) -> radhus_platform::changes::HandlerFuture<'a> {
    Box::pin(async { Ok(()) })
}

/// `/readyz` beside `/healthz`: ready while the database answers and has exactly this
/// program's migrations; a migration not yet run (a newer release about to migrate) or one
/// this program does not know (an older binary on a newer schema) takes the node out.
#[tokio::test]
async fn readyz_checks_the_database_and_its_migrations() {
    let app = TestApp::new().await;
    let mut c = app.client("localhost");
    let r = c.get("/readyz").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let j = r.json();
    assert_eq!(j["status"], "ready");
    assert_eq!(j["migrations_pending"], serde_json::json!([]));
    // It answers on a node's own address too, without a municipality or a session.
    assert_eq!(app.client("10.0.0.5:8080").get("/readyz").await.status, 200);

    let mut tx = app.db.read(Scope::System).await.expect("tx");
    let (last,): (i64,) =
        on_tx!(&mut tx, c => sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations").fetch_one(c).await.expect("max"));
    tx.commit().await.expect("commit");
    exec(&app.db, "UPDATE _sqlx_migrations SET version = -version WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)").await;
    let r = c.get("/readyz").await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(r.json()["migrations_pending"], serde_json::json!([last]));
    assert_eq!(r.json()["migrations_unknown"], serde_json::json!([-last]));
    exec(&app.db, "UPDATE _sqlx_migrations SET version = -version WHERE version < 0").await;
    assert_eq!(c.get("/readyz").await.status, 200);
    // /healthz stays the liveness answer: the database is there.
    assert_eq!(c.get("/healthz").await.status, 200);
}

async fn exec(db: &Db, sql: &'static str) {
    let mut tx = db.write(Scope::System).await.expect("tx");
    on_tx!(&mut tx, c => sqlx::query(sql).execute(c).await.expect("statement").rows_affected());
    tx.commit().await.expect("commit");
}

/// Login attempts are counted in the database: two nodes taking attempts from one address at
/// the same time allow the configured number between them, not that number each; a new
/// minute starts a new count, and the worker's purge leaves only the current windows.
#[tokio::test]
async fn two_nodes_count_one_clients_attempts_together() {
    use radhus_platform::web::rate;
    let app = TestApp::new().await;
    let other = second_node(&app).await;
    let now = app.now();
    let attempts: Vec<_> = (0..10)
        .map(|i| {
            let db = if i % 2 == 0 { app.db.clone() } else { other.clone() };
            tokio::spawn(async move { rate::allow(&db, None, "203.0.113.7", 6, now).await.expect("count") })
        })
        .collect();
    let mut allowed = 0;
    for a in attempts {
        allowed += usize::from(a.await.expect("attempt"));
    }
    assert_eq!(allowed, 6, "six attempts a minute over both nodes");
    assert!(rate::allow(&other, None, "203.0.113.8", 6, now).await.expect("count"), "another address counts on its own");
    let t = app.tenant("kil", "Kil", "1715").await;
    assert!(rate::allow(&app.db, Some(t), "203.0.113.7", 6, now).await.expect("count"), "a municipality's form counts on its own");
    let later = now + time::Duration::minutes(1);
    assert!(rate::allow(&other, None, "203.0.113.7", 6, later).await.expect("count"), "a new minute");
    assert_eq!(rate::purge(&app.db, later).await.expect("purge"), 2, "the last minute's windows go");
    other.close().await;
}
