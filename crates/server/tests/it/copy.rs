//! `radhus copy`: a whole installation from the embedded database to PostgreSQL (issue 14
//! item 4). The demo's full data is copied by the command an operator runs, and then compared,
//! verified, copied again (refused) and read as one municipality (row-level security).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

use radhus_platform::db::{Db, Scope, backup, copy};
use radhus_platform::{audit, on_tx};

fn radhus() -> Command {
    Command::new(env!("CARGO_BIN_EXE_radhus"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("radhus-copy-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

/// Runs `radhus copy --from-data <data> --to-config <config>`: success, stdout, stderr.
fn run_copy(data: &Path, config: &Path) -> (bool, String, String) {
    let out = radhus()
        .args(["copy", "--from-data"])
        .arg(data)
        .arg("--to-config")
        .arg(config)
        .env("RUST_LOG", "warn")
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("run radhus");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn write_config(dir: &Path, url: &str) -> PathBuf {
    let file = dir.join("postgres.toml");
    std::fs::write(&file, format!("database_url = {}\n", toml_string(url))).expect("config");
    file
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Bad input needs no PostgreSQL: a missing source, a source that is not on this program's
/// schema is not copied, and an unreachable target is a message, with nothing written.
#[test]
fn a_copy_from_nothing_or_to_an_unreachable_database_is_refused() {
    let dir = temp_dir("bad");
    let unreachable = write_config(&dir, "postgres://radhus:secret@127.0.0.1:1/radhus");
    let (ok, _, err) = run_copy(&dir.join("saknas"), &unreachable);
    assert!(!ok && err.contains("there is no database at"), "{err}");
    assert!(!err.to_lowercase().contains("backtrace"), "{err}");

    let data = dir.join("data");
    let out = radhus().args(["migrate", "--data"]).arg(&data).env("RUST_LOG", "warn").output().expect("migrate");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let before = std::fs::read(data.join("radhus.db")).expect("db");
    let (ok, out, err) = run_copy(&data, &unreachable);
    assert!(!ok && err.contains("cannot reach the PostgreSQL database at 127.0.0.1:1/radhus"), "{out}{err}");
    assert!(!err.contains("secret"), "the password is not shown: {err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(std::fs::read(data.join("radhus.db")).expect("db"), before, "the source is only read");

    // The target must be PostgreSQL.
    let sqlite_target = write_config(&dir, "sqlite:/tmp/elsewhere.db");
    let (ok, _, err) = run_copy(&data, &sqlite_target);
    assert!(!ok && err.contains("must be a postgres:// URL"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The schema of this test on the PostgreSQL server (`copy_<pid>_<uuid>`), and the URL that
/// puts a connection in it.
fn schema_url(base: &str, schema: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{schema}")
}

/// Drops the schemas of earlier runs of this test whose process has ended.
async fn sweep(admin: &sqlx::PgPool) {
    let names: Vec<String> = sqlx::query_scalar("SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'copy\\_%'")
        .fetch_all(admin)
        .await
        .unwrap_or_default();
    for name in names {
        let pid = name.split('_').nth(1).and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|p| !Path::new(&format!("/proc/{p}")).exists()) {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA IF EXISTS {name} CASCADE"))).execute(admin).await;
        }
    }
}

#[tokio::test]
async fn the_whole_demo_moves_from_sqlite_to_postgresql() {
    let url = match std::env::var("RADHUS_TEST_DATABASE_URL") {
        Ok(u) if !u.is_empty() => u,
        _ => {
            eprintln!("copy to PostgreSQL not tested: set RADHUS_TEST_DATABASE_URL to run it");
            return;
        }
    };
    radhus_testkit::install_test_keys();
    let dir = temp_dir("demo");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    let sqlite_url = format!("sqlite:{}", data.join("radhus.db").display());
    let source = Db::connect(&sqlite_url).await.expect("sqlite");
    radhus::demo::seed(&source, radhus_kernel::Clock::now(&radhus_kernel::SystemClock)).await.expect("demo");
    let source_inventory = backup::inventory(&source).await.expect("inventory");

    let admin = sqlx::PgPool::connect(&url).await.expect("postgres");
    sweep(&admin).await;
    let schema = format!("copy_{}_{}", std::process::id(), uuid::Uuid::new_v4().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}"))).execute(&admin).await.expect("schema");
    let config = write_config(&dir, &schema_url(&url, &schema));

    let (ok, out, err) = run_copy(&data, &config);
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("copied tenant") && out.contains("copied audit_event"), "{out}");
    assert!(out.contains("audit log intact on PostgreSQL"), "{out}");
    assert!(out.contains("not copied (SQLite's full-text index"), "{out}");

    let opts = sqlx::postgres::PgConnectOptions::from_str(&url).expect("url").options([("search_path", schema.as_str())]);
    let target = Db::connect_pg(opts).await.expect("target");
    // Every table the same: rows and the normalized content hash.
    let compared = copy::compare(&source, &target).await.expect("compare");
    assert!(compared.len() > 60, "{compared:?}");
    let differ: Vec<_> = compared.iter().filter(|c| !c.matches()).collect();
    assert!(differ.is_empty(), "{differ:?}");
    let summary = format!("{} of {} tables are the same", compared.len(), compared.len());
    assert!(out.contains(&summary), "{out}");
    // The inventories agree row for row (their hashes are each backend's own text).
    let target_inventory = backup::inventory(&target).await.expect("inventory");
    for t in source_inventory.iter().filter(|t| t.table != "_sqlx_migrations" && !t.table.starts_with("diary_fts")) {
        let there = target_inventory.iter().find(|u| u.table == t.table).unwrap_or_else(|| panic!("{} missing", t.table));
        assert_eq!(there.rows, t.rows, "{}", t.table);
    }
    let rows = |name: &str| target_inventory.iter().find(|t| t.table == name).map_or(0, |t| t.rows);
    assert_eq!(rows("tenant"), 16);
    assert!(rows("audit_event") > 100 && rows("blob") > 0 && rows("case_file") > 300, "{target_inventory:?}");
    // The audit chains are intact on PostgreSQL.
    let report = audit::verify(&target).await.expect("verify");
    assert!(report.broken.is_empty() && report.events == rows("audit_event"), "{:?}", report.broken);

    // A second copy into the same database is refused, and writes nothing.
    let (ok, out2, err2) = run_copy(&data, &config);
    assert!(!ok && err2.contains("the target database is not empty") && err2.contains("tenant (16 rows)"), "{out2}{err2}");
    assert!(err2.contains("nothing was written"), "{err2}");
    assert_eq!(backup::inventory(&target).await.expect("inventory"), target_inventory, "nothing was written");

    // Row-level security is in force: one municipality sees its own users only, and the
    // policies are still enabled and forced.
    let mut tx = source.read(Scope::Platform).await.expect("tx");
    let karlstad = radhus_platform::tenancy::by_slug(&mut tx, "karlstad").await.expect("read").expect("karlstad");
    tx.commit().await.expect("commit");
    let mut tx = target.read(Scope::Tenant(karlstad.id)).await.expect("tx");
    let (own, others): (i64, i64) = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT count(*) FILTER (WHERE tenant_id = $1), count(*) FILTER (WHERE tenant_id <> $1) FROM app_user")
        .bind(karlstad.id.0).fetch_one(c).await.expect("count"));
    let (rls, forced): (bool, bool) = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = 'app_user'::regclass").fetch_one(c).await.expect("rls"));
    tx.commit().await.expect("commit");
    assert!(own > 0 && others == 0, "Karlstad sees {own} own and {others} other users");
    assert!(rls && forced, "row-level security stays enabled and forced");
    let mut tx = target.read(Scope::System).await.expect("tx");
    let all: i64 = on_tx!(&mut tx, c => sqlx::query_scalar("SELECT count(*) FROM app_user WHERE tenant_id <> $1")
        .bind(karlstad.id.0).fetch_one(c).await.expect("count"));
    tx.commit().await.expect("commit");
    assert!(all > 0, "the other municipalities' users were copied");

    // The source was only read.
    assert_eq!(backup::inventory(&source).await.expect("inventory"), source_inventory);
    source.close().await;
    target.close().await;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE"))).execute(&admin).await.expect("drop schema");
    admin.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
