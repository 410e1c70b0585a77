//! Backup, restore and the inventory that checks them (issue 14 item 3; docs/operations.md).
//!
//! The embedded database (SQLite): [`backup_sqlite`] writes a consistent copy while the
//! server runs (`VACUUM INTO` reads one snapshot, so a write in flight is either wholly in the
//! copy or not at all); [`check_sqlite_file`] tells whether a file is such a copy (an SQLite
//! database, not cut short, intact, and of a schema this program knows); [`restore_sqlite`]
//! puts a checked copy in place of the database file, keeping what was there.
//!
//! PostgreSQL is backed up with its own `pg_dump`/`pg_restore`; [`inventory`] works on both
//! databases and is what an operator compares before and after: every table's row count and
//! a hash of its content that does not depend on the order rows come in.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

use super::{Db, SQLITE_MIGRATIONS, Scope};
use crate::on_tx;

/// One table of the inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableInventory {
    pub table: String,
    pub rows: u64,
    /// The wrapping sum of the first 16 bytes of each row's SHA-256, in hex: equal for the
    /// same rows in any order, different when a row is missing, added or changed.
    pub hash: String,
}

/// Every table of the database (the migrations' own bookkeeping included), by name, read in
/// one transaction that sees every municipality.
pub async fn inventory(db: &Db) -> anyhow::Result<Vec<TableInventory>> {
    let mut tx = db.read(Scope::System).await?;
    let tables: Vec<String> = on_tx!(&mut tx, c => {
        let sql = match db.kind() {
            super::DbKind::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            super::DbKind::Postgres => "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
        };
        sqlx::query_scalar(sql).fetch_all(&mut *c).await?
    });
    let mut out = Vec::with_capacity(tables.len());
    for table in tables {
        let quoted = format!("\"{}\"", table.replace('"', "\"\""));
        let sql = match &mut tx {
            super::Tx::Sqlite(t) => {
                let columns: Vec<String> = sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA table_info({quoted})")))
                    .fetch_all(&mut **t)
                    .await?
                    .iter()
                    .map(|r| r.get::<String, _>("name"))
                    .collect();
                let parts: Vec<String> = columns.iter().map(|c| format!("quote(\"{}\")", c.replace('"', "\"\""))).collect();
                format!("SELECT {} FROM {quoted}", parts.join(" || char(31) || "))
            }
            super::Tx::Pg(_) => format!("SELECT t::text FROM {quoted} t"),
        };
        let mut rows = 0u64;
        let mut sum = 0u128;
        on_tx!(&mut tx, c => {
            let mut stream = sqlx::query_scalar::<_, Option<String>>(sqlx::AssertSqlSafe(sql.as_str())).fetch(&mut *c);
            while let Some(text) = stream.try_next().await? {
                rows += 1;
                sum = sum.wrapping_add(row_hash(text.as_deref().unwrap_or("")));
            }
        });
        out.push(TableInventory { table, rows, hash: format!("{sum:032x}") });
    }
    tx.commit().await?;
    Ok(out)
}

fn row_hash(text: &str) -> u128 {
    let digest = Sha256::digest(text.as_bytes());
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    u128::from_be_bytes(first)
}

/// The file of an `sqlite:` database URL (without its `?options`).
pub fn sqlite_path(database_url: &str) -> Option<PathBuf> {
    let rest = database_url.strip_prefix("sqlite://").or_else(|| database_url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    if path.is_empty() || path.contains(":memory:") { None } else { Some(PathBuf::from(path)) }
}

/// Writes a consistent copy of the embedded database to `to`, which must not exist, and
/// checks it. Safe while the server runs.
pub async fn backup_sqlite(db: &Db, to: &Path) -> anyhow::Result<FileCheck> {
    let Db::Sqlite(pool) = db else {
        anyhow::bail!("this installation runs on PostgreSQL: back it up with pg_dump (docs/operations.md)");
    };
    if to.exists() {
        anyhow::bail!("{} exists already: give a new file name (a backup never overwrites)", to.display());
    }
    let Some(path) = to.to_str() else { anyhow::bail!("the backup's file name must be UTF-8") };
    sqlx::query("VACUUM INTO $1")
        .bind(path)
        .execute(pool)
        .await
        .map_err(|e| anyhow::anyhow!("the backup could not be written to {}: {e}", to.display()))?;
    check_sqlite_file(to).await
}

/// What [`check_sqlite_file`] found in a good copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileCheck {
    /// The newest migration applied in the copy.
    pub schema_version: i64,
    /// The newest migration this program has.
    pub program_version: i64,
    pub bytes: u64,
}

/// Whether `path` is a usable copy of a Rådhus database: an SQLite file, not cut short, that
/// passes SQLite's integrity check, whose schema was made by Rådhus and is not newer than this
/// program's.
pub async fn check_sqlite_file(path: &Path) -> anyhow::Result<FileCheck> {
    use std::io::Read;
    let mut header = [0u8; 100];
    let mut file = std::fs::File::open(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let len = file.metadata()?.len();
    if len < 100 || file.read_exact(&mut header).is_err() || &header[..16] != b"SQLite format 3\0" {
        anyhow::bail!("{} is not an SQLite database", path.display());
    }
    drop(file);
    // The header: page size at 16 (1 means 65536), pages in the file at 28.
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536u64,
        n => u64::from(n),
    };
    let pages = u64::from(u32::from_be_bytes([header[28], header[29], header[30], header[31]]));
    if pages == 0 || len < page_size * pages {
        anyhow::bail!("{} is cut short ({len} bytes of {}): the backup is incomplete", path.display(), page_size * pages);
    }
    let opts = SqliteConnectOptions::from_str(&format!("sqlite:{}", path.display()))?.read_only(true).immutable(true);
    let mut conn = opts.connect().await.map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await
        .map_err(|e| anyhow::anyhow!("{} is damaged: {e}", path.display()))?;
    if integrity != ["ok"] {
        anyhow::bail!("{} is damaged: {}", path.display(), integrity.join("; "));
    }
    let version: Option<i64> = sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
        .fetch_one(&mut conn)
        .await
        .map_err(|_| anyhow::anyhow!("{} is not a Rådhus database (it has no migrations)", path.display()))?;
    conn.close().await?;
    let program_version = SQLITE_MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0);
    let Some(schema_version) = version else { anyhow::bail!("{} is not a Rådhus database (it has no migrations)", path.display()) };
    if schema_version > program_version {
        anyhow::bail!(
            "{} is from a newer Rådhus (schema {schema_version}; this program knows up to {program_version}): restore it with that version",
            path.display()
        );
    }
    Ok(FileCheck { schema_version, program_version, bytes: len })
}

/// What [`restore_sqlite`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub check: FileCheck,
    /// Where the database that was in place went, if there was one.
    pub kept: Option<PathBuf>,
}

/// Puts the checked copy `from` in place of the database file `target`. A database already
/// there is kept beside it (with its write-ahead log) as `<name>.before-restore-<time>`, and
/// only with `replace`; the server must be stopped. The copy lands under a temporary name and
/// is renamed into place, so an interrupted restore leaves no half-written database. The
/// caller opens the database afterwards, which brings an older schema up to date.
pub async fn restore_sqlite(from: &Path, target: &Path, replace: bool, now_unix: i64) -> anyhow::Result<Restored> {
    let check = check_sqlite_file(from).await?;
    let mut kept = None;
    if target.exists() {
        if !replace {
            anyhow::bail!(
                "a database exists at {}: stop the server and give --replace to restore in its place (the present one is kept beside it)",
                target.display()
            );
        }
        let keep = with_suffix(target, &format!(".before-restore-{now_unix}"));
        if keep.exists() {
            anyhow::bail!("{} exists already: try again in a second", keep.display());
        }
        for ext in ["-wal", "-shm"] {
            let side = with_suffix(target, ext);
            if side.exists() {
                std::fs::rename(&side, with_suffix(&keep, ext))?;
            }
        }
        std::fs::rename(target, &keep)?;
        kept = Some(keep);
    }
    let temporary = with_suffix(target, ".restoring");
    std::fs::copy(from, &temporary).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", temporary.display()))?;
    std::fs::File::open(&temporary)?.sync_all()?;
    std::fs::rename(&temporary, target)?;
    Ok(Restored { check, kept })
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths_of_urls() {
        assert_eq!(sqlite_path("sqlite:radhus-data/radhus.db"), Some(PathBuf::from("radhus-data/radhus.db")));
        assert_eq!(sqlite_path("sqlite:///var/lib/radhus.db?mode=rwc"), Some(PathBuf::from("/var/lib/radhus.db")));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x@y/z"), None);
    }

    #[test]
    fn the_row_hash_sum_does_not_depend_on_order() {
        let a = row_hash("1|x").wrapping_add(row_hash("2|y"));
        let b = row_hash("2|y").wrapping_add(row_hash("1|x"));
        assert_eq!(a, b);
        assert_ne!(a, row_hash("1|x").wrapping_add(row_hash("2|z")));
    }
}
