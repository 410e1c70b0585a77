//! Backup and restore of the embedded database, checked by the inventory (issue 14 item 3).

use std::path::{Path, PathBuf};

use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::backup::{self, inventory};
use radhus_platform::db::{Db, DbKind, Scope};
use radhus_testkit::TestApp;

/// One audited write in a municipality's chain, acknowledged when it returns.
async fn write(db: &Db, t: radhus_kernel::ids::TenantId, i: usize, now: time::OffsetDateTime) {
    let mut tx = db.write(Scope::Tenant(t)).await.expect("tx");
    audit::record(
        &mut tx,
        Some(t),
        &Actor::system(),
        Event::new("test.write", "thing", i).with(serde_json::json!({ "n": i, "text": "åäö" })),
        now,
    )
    .await
    .expect("record");
    tx.commit().await.expect("commit");
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("radhus-backup-{name}-{}-{}", std::process::id(), uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

#[tokio::test]
async fn a_backup_under_load_restores_to_the_same_content_with_an_intact_audit_log() {
    let app = TestApp::new().await;
    if app.db.kind() != DbKind::Sqlite {
        // PostgreSQL is backed up with pg_dump; the program says so and writes nothing.
        let err = backup::backup_sqlite(&app.db, Path::new("/nonexistent/x.db")).await.expect_err("refused");
        assert!(err.to_string().contains("pg_dump"), "{err}");
        assert!(!inventory(&app.db).await.expect("inventory").is_empty());
        return;
    }
    let t = app.tenant("kil", "Kil", "1715").await;
    let dir = scratch("load");
    let file = dir.join("backup.db");
    // 50 writes acknowledged before the backup; 150 more go on while it is taken.
    for i in 0..50 {
        write(&app.db, t, i, app.now()).await;
    }
    let db = app.db.clone();
    let now = app.now();
    let load = tokio::spawn(async move {
        for i in 50..200 {
            write(&db, t, i, now).await;
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let check = backup::backup_sqlite(&app.db, &file).await.expect("backup");
    load.await.expect("load");
    assert_eq!(check.schema_version, check.program_version);

    // Restored into a fresh place, it opens, its audit chains verify and its content is the copy's.
    let target = dir.join("restored").join("radhus.db");
    std::fs::create_dir_all(target.parent().expect("parent")).expect("dir");
    let restored = backup::restore_sqlite(&file, &target, false, 1).await.expect("restore");
    assert_eq!(restored.kept, None);
    let copy = Db::connect(&format!("sqlite:{}", file.display())).await.expect("open the copy");
    let again = Db::connect(&format!("sqlite:{}", target.display())).await.expect("open the restored");
    let (a, b) = (inventory(&copy).await.expect("inventory"), inventory(&again).await.expect("inventory"));
    assert_eq!(a, b);
    let events = a.iter().find(|x| x.table == "audit_event").expect("audit_event").rows;
    assert!((50..=250).contains(&events), "the copy holds the writes acknowledged before it: {events}");
    let report = audit::verify(&again).await.expect("verify");
    assert!(report.broken.is_empty(), "{:?}", report.broken);

    // Quiet, a backup is the database row for row.
    let quiet = dir.join("quiet.db");
    backup::backup_sqlite(&app.db, &quiet).await.expect("backup");
    let quiet_db = Db::connect(&format!("sqlite:{}", quiet.display())).await.expect("open");
    assert_eq!(inventory(&app.db).await.expect("inventory"), inventory(&quiet_db).await.expect("inventory"));
    let changed = {
        write(&app.db, t, 999, app.now()).await;
        inventory(&app.db).await.expect("inventory")
    };
    let before = inventory(&quiet_db).await.expect("inventory");
    let (x, y) =
        (changed.iter().find(|x| x.table == "audit_event").expect("row"), before.iter().find(|x| x.table == "audit_event").expect("row"));
    assert!(x.rows == y.rows + 1 && x.hash != y.hash, "a new row changes count and hash");
    for db in [copy, again, quiet_db] {
        db.close().await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn bad_backups_and_targets_are_refused_with_nothing_written() {
    let app = TestApp::new().await;
    if app.db.kind() != DbKind::Sqlite {
        return;
    }
    let dir = scratch("bad");
    let file = dir.join("backup.db");
    backup::backup_sqlite(&app.db, &file).await.expect("backup");
    // Never over an existing file.
    let err = backup::backup_sqlite(&app.db, &file).await.expect_err("exists");
    assert!(err.to_string().contains("exists already"), "{err}");

    // Not a database, cut short, from a newer program.
    let text = dir.join("notes.txt");
    std::fs::write(&text, "inte en databas ".repeat(20)).expect("write");
    let bytes = std::fs::read(&file).expect("read");
    let short = dir.join("short.db");
    std::fs::write(&short, &bytes[..bytes.len() / 2]).expect("write");
    let newer = dir.join("newer.db");
    std::fs::copy(&file, &newer).expect("copy");
    {
        let db = Db::connect(&format!("sqlite:{}", newer.display())).await.expect("open");
        let radhus_platform::db::Db::Sqlite(pool) = &db else { unreachable!("sqlite") };
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99999, 'future', 1, x'00', 0)",
        )
        .execute(pool)
        .await
        .expect("a future migration");
        db.close().await;
    }
    let target = dir.join("live").join("radhus.db");
    std::fs::create_dir_all(target.parent().expect("parent")).expect("dir");
    for (from, says) in
        [(&text, "not an SQLite database"), (&short, "cut short"), (&newer, "newer Rådhus"), (&dir.join("saknas.db"), "cannot read")]
    {
        let err = backup::restore_sqlite(from, &target, true, 1).await.expect_err("refused");
        assert!(err.to_string().contains(says), "{from:?}: {err}");
        assert!(!target.exists(), "nothing written for {from:?}");
    }

    // An existing database is replaced only when asked, and kept beside it.
    backup::restore_sqlite(&file, &target, false, 1).await.expect("restore into an empty place");
    let err = backup::restore_sqlite(&file, &target, false, 2).await.expect_err("exists");
    assert!(err.to_string().contains("--replace"), "{err}");
    let done = backup::restore_sqlite(&file, &target, true, 3).await.expect("replace");
    let kept = done.kept.expect("kept");
    assert!(kept.ends_with("radhus.db.before-restore-3") && kept.exists() && target.exists());
    let _ = std::fs::remove_dir_all(&dir);
}
