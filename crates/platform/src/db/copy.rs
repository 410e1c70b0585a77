//! Moving a whole installation from the embedded database (SQLite) to PostgreSQL (issue 14
//! item 4; docs/operations.md, *From SQLite to PostgreSQL*).
//!
//! [`copy_installation`] opens the SQLite database read-only, connects to PostgreSQL and runs
//! the migrations there, and then, in **one** PostgreSQL transaction with every municipality in
//! scope ([`Scope::System`], so row-level security stays in force and is never switched off):
//!
//! 1. compares the two schemas (the same tables and columns; SQLite's full-text index tables
//!    are derived and skipped: PostgreSQL computes its search vectors itself);
//! 2. refuses a target that is not empty: any row in any table except the rows the migrations
//!    themselves put there (eBlomlåda's catalogue), which are replaced by the source's;
//! 3. copies every table in foreign-key order (derived from the target's constraints, which
//!    are not deferrable; rows of a table that refers to itself go parents first), converting
//!    each value to the target column's type: uuids from 16-byte blobs, booleans from 0/1,
//!    timestamps from RFC 3339 text, blobs to `bytea`, JSON text to `jsonb`;
//! 4. sets every sequence to the largest value copied;
//!
//! and commits only when all of it succeeded, so a refused or failed copy writes nothing.
//! Afterwards [`compare`] reads both databases again and compares each table's row count and a
//! *normalized* content hash: the hash `radhus inventory` prints is of each backend's own text
//! of a row (SQLite's `quote()`, PostgreSQL's row literal), which differs between the backends
//! by design, so the copy hashes each value in one form for both, by the PostgreSQL column type.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{PgConnection, Row, SqliteConnection, TypeInfo, ValueRef};

use super::{Db, PG_MIGRATIONS, SQLITE_MIGRATIONS, Scope, Tx};

/// The migrations' own bookkeeping: written by the migrations on each side, never copied.
const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// Rows per `INSERT` at most (PostgreSQL takes up to 65,535 parameters per statement).
const BATCH_ROWS: usize = 1000;
/// Bytes of values per `INSERT` at most, so that large documents go a few at a time.
const BATCH_BYTES: usize = 8 << 20;

/// One table as the copy sees it: its columns (generated ones left out) with their PostgreSQL
/// types, and its foreign keys to itself.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    /// `(column, PostgreSQL udt_name)` sorted by column name.
    pub columns: Vec<(String, String)>,
    /// An identity column that is `GENERATED ALWAYS` (inserts need `OVERRIDING SYSTEM VALUE`).
    identity_always: bool,
    /// Foreign keys to the table itself: `(columns, referenced columns)`.
    self_refs: Vec<(Vec<String>, Vec<String>)>,
}

/// The target's tables in foreign-key order, and what SQLite has besides.
#[derive(Debug, Clone)]
pub struct Schema {
    pub tables: Vec<Table>,
    /// SQLite's full-text index tables (derived data, not copied).
    pub derived: Vec<String>,
    /// Tables the migrations fill with rows of their own.
    seeded: BTreeSet<String>,
}

/// One table copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopy {
    pub table: String,
    pub rows: u64,
}

/// One table in both databases after the copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableComparison {
    pub table: String,
    pub source_rows: u64,
    pub target_rows: u64,
    pub source_hash: String,
    pub target_hash: String,
}

impl TableComparison {
    pub fn matches(&self) -> bool {
        self.source_rows == self.target_rows && self.source_hash == self.target_hash
    }
}

/// What [`copy_installation`] did and found.
#[derive(Debug, Clone)]
pub struct CopyReport {
    pub copied: Vec<TableCopy>,
    pub derived: Vec<String>,
    pub sequences: Vec<String>,
    pub comparison: Vec<TableComparison>,
    pub audit: crate::audit::VerifyReport,
}

impl CopyReport {
    /// Ok when every table matches and the audit log on the target is intact.
    pub fn result(&self) -> anyhow::Result<()> {
        let differ: Vec<&str> = self.comparison.iter().filter(|c| !c.matches()).map(|c| c.table.as_str()).collect();
        if !differ.is_empty() {
            anyhow::bail!("the copy differs from the source in {}: do not use it", differ.join(", "));
        }
        if !self.audit.broken.is_empty() {
            anyhow::bail!("the copied audit log is broken in {} chains: do not use it", self.audit.broken.len());
        }
        Ok(())
    }
}

impl fmt::Display for CopyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for t in &self.copied {
            writeln!(f, "copied {:<36} {:>9} rows", t.table, t.rows)?;
        }
        let rows: u64 = self.copied.iter().map(|t| t.rows).sum();
        writeln!(f, "copied {} tables, {rows} rows", self.copied.len())?;
        if !self.derived.is_empty() {
            writeln!(f, "not copied (SQLite's full-text index; PostgreSQL derives its own): {}", self.derived.join(", "))?;
        }
        if self.sequences.is_empty() {
            writeln!(f, "sequences: none in the schema")?;
        } else {
            writeln!(f, "sequences set: {}", self.sequences.join(", "))?;
        }
        writeln!(
            f,
            "compared (rows and a content hash of the values normalized to PostgreSQL's types; the hash `radhus inventory` prints differs between the backends by design):"
        )?;
        for c in &self.comparison {
            let verdict = if c.matches() { "same" } else { "DIFFERENT" };
            writeln!(
                f,
                "  {:<36} {:>9} {:>9} {} {}",
                c.table,
                c.source_rows,
                c.target_rows,
                if c.source_hash == c.target_hash { c.target_hash.as_str() } else { "hash differs" },
                verdict
            )?;
        }
        let same = self.comparison.iter().filter(|c| c.matches()).count();
        writeln!(f, "{same} of {} tables are the same in both databases", self.comparison.len())?;
        if self.audit.broken.is_empty() {
            writeln!(f, "audit log intact on PostgreSQL ({} chains, {} events)", self.audit.chains, self.audit.events)?;
        } else {
            writeln!(f, "audit log BROKEN on PostgreSQL in {} chains", self.audit.broken.len())?;
        }
        Ok(())
    }
}

/// Opens the SQLite database at `path` for reading only: no migration, no write.
pub async fn open_source(path: &Path) -> anyhow::Result<Db> {
    if !path.is_file() {
        anyhow::bail!("there is no database at {}", path.display());
    }
    let opts = SqliteConnectOptions::from_str(&format!("sqlite:{}", path.display()))?.read_only(true).busy_timeout(Duration::from_secs(10));
    let pool = SqlitePoolOptions::new()
        .max_connections(2)
        .connect_with(opts)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
    Ok(Db::Sqlite(pool))
}

/// Connects to the PostgreSQL database of `url` and brings its schema up to date.
pub async fn open_target(url: &str) -> anyhow::Result<Db> {
    if !(url.starts_with("postgres:") || url.starts_with("postgresql:")) {
        anyhow::bail!("the target's database_url must be a postgres:// URL (the copy goes from SQLite to PostgreSQL)");
    }
    let opts = PgConnectOptions::from_str(url).map_err(|e| anyhow::anyhow!("the target's database_url is not usable: {e}"))?;
    let shown = format!("{}:{}/{}", opts.get_host(), opts.get_port(), opts.get_database().unwrap_or(""));
    // One connection first: its error says why (refused, unknown host, wrong password),
    // where a pool would only time out.
    let unreachable = |e: String| anyhow::anyhow!("cannot reach the PostgreSQL database at {shown}: {e} (nothing was written)");
    match tokio::time::timeout(Duration::from_secs(15), sqlx::ConnectOptions::connect(&opts)).await {
        Ok(Ok(conn)) => sqlx::Connection::close(conn).await.map_err(|e| unreachable(e.to_string()))?,
        Ok(Err(e)) => return Err(unreachable(e.to_string())),
        Err(_) => return Err(unreachable("no answer within 15 seconds".into())),
    }
    let pool = PgPoolOptions::new()
        .max_connections(4)
        .acquire_timeout(Duration::from_secs(15))
        .connect_with(opts)
        .await
        .map_err(|e| unreachable(e.to_string()))?;
    let db = Db::Pg(pool);
    db.migrate().await.map_err(|e| anyhow::anyhow!("cannot set up the schema in the PostgreSQL database at {shown}: {e}"))?;
    Ok(db)
}

/// Copies the SQLite database at `source` into the PostgreSQL database of `target_url`, then
/// compares the two and verifies the audit log on the target. See the module documentation.
pub async fn copy_installation(source: &Path, target_url: &str) -> anyhow::Result<CopyReport> {
    let source = open_source(source).await?;
    check_source_version(&source).await?;
    let target = open_target(target_url).await?;
    let (copied, derived, sequences) = copy(&source, &target).await?;
    let comparison = compare(&source, &target).await?;
    let audit = crate::audit::verify(&target).await?;
    source.close().await;
    target.close().await;
    Ok(CopyReport { copied, derived, sequences, comparison, audit })
}

/// The source must have exactly this program's migrations (it is not migrated: the copy does
/// not write to it).
async fn check_source_version(source: &Db) -> anyhow::Result<()> {
    let Db::Sqlite(pool) = source else { anyhow::bail!("the source must be an SQLite database") };
    let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
        .fetch_all(pool)
        .await
        .map_err(|_| anyhow::anyhow!("the source is not a Rådhus database (it has no migrations)"))?;
    let mut known: Vec<i64> = SQLITE_MIGRATIONS.iter().map(|m| m.version).collect();
    known.sort_unstable();
    let source_max = applied.last().copied().unwrap_or(0);
    let known_max = known.iter().copied().max().unwrap_or(0);
    if source_max > known_max || applied.iter().any(|v| !known.contains(v)) {
        anyhow::bail!(
            "the source is from a newer Rådhus (schema {source_max}; this program knows up to {known_max}): copy it with that version"
        );
    }
    if applied != known {
        anyhow::bail!(
            "the source's schema is older (schema {source_max}; this program's is {known_max}): run `radhus migrate` on it with this version first"
        );
    }
    Ok(())
}

type Copied = (Vec<TableCopy>, Vec<String>, Vec<String>);

/// The copy itself, in one transaction on the target (see the module documentation).
pub async fn copy(source: &Db, target: &Db) -> anyhow::Result<Copied> {
    let (Db::Sqlite(_), Db::Pg(_)) = (source, target) else { anyhow::bail!("the copy goes from SQLite to PostgreSQL") };
    let mut src_tx = source.read(Scope::System).await?;
    let mut dst_tx = target.write(Scope::System).await?;
    let (Tx::Sqlite(s), Tx::Pg(p)) = (&mut src_tx, &mut dst_tx) else { unreachable!("checked above") };
    let src: &mut SqliteConnection = s;
    let dst: &mut PgConnection = p;
    sqlx::query("SELECT set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, YMD', true)").execute(&mut *dst).await?;
    // Two copies at once into one database: the second waits here and then finds it full.
    sqlx::query("LOCK TABLE tenant IN EXCLUSIVE MODE").execute(&mut *dst).await?;
    let schema = schema(src, dst).await?;

    // Refuse a target that holds anything but the migrations' own rows.
    let mut occupied = Vec::new();
    let mut to_clear = Vec::new();
    // The municipalities first: what an operator recognizes.
    let tenants_first = schema.tables.iter().filter(|t| t.name == "tenant").chain(schema.tables.iter().filter(|t| t.name != "tenant"));
    for t in tenants_first {
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {}", quote(&t.name)))).fetch_one(&mut *dst).await?;
        if n == 0 {
            continue;
        }
        if schema.seeded.contains(&t.name) {
            let theirs = pg_row_hashes(dst, t).await?;
            let ours: HashSet<u128> = sqlite_rows(src, t).await?.iter().map(|r| row_hash(&canonical_row(t, r))).collect();
            if theirs.iter().all(|h| ours.contains(h)) {
                to_clear.push(t.name.clone());
                continue;
            }
        }
        occupied.push(format!("{} ({n} rows)", t.name));
    }
    if !occupied.is_empty() {
        let more = if occupied.len() > 6 { format!(" and {} more tables", occupied.len() - 6) } else { String::new() };
        occupied.truncate(6);
        anyhow::bail!(
            "the target database is not empty: {}{more} hold rows. Copy only into a new, empty database (nothing was written)",
            occupied.join(", ")
        );
    }
    // The migrations' rows make way for the source's (referring tables first).
    for t in schema.tables.iter().rev().filter(|t| to_clear.contains(&t.name)) {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {}", quote(&t.name)))).execute(&mut *dst).await?;
    }

    let mut copied = Vec::with_capacity(schema.tables.len());
    for t in &schema.tables {
        let rows = copy_table(src, dst, t).await.map_err(|e| anyhow::anyhow!("copying {}: {e} (nothing was written)", t.name))?;
        copied.push(TableCopy { table: t.name.clone(), rows });
    }
    let sequences = reset_sequences(dst).await?;
    dst_tx.commit().await?;
    src_tx.rollback().await?;
    Ok((copied, schema.derived, sequences))
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Reads both schemas and checks that they agree.
async fn schema(src: &mut SqliteConnection, dst: &mut PgConnection) -> anyhow::Result<Schema> {
    let pg_tables: Vec<String> = sqlx::query_scalar("SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
        .fetch_all(&mut *dst)
        .await?;
    let columns: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, udt_name::text, is_generated::text, COALESCE(identity_generation::text, '') \
         FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY 1, 2",
    )
    .fetch_all(&mut *dst)
    .await?;
    let fks: Vec<(String, String, Vec<String>, Vec<String>)> = sqlx::query_as(
        "SELECT s.relname::text, d.relname::text, \
           ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) \
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i), \
           ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i) \
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) \
         FROM pg_constraint c JOIN pg_class s ON s.oid = c.conrelid JOIN pg_class d ON d.oid = c.confrelid \
         WHERE c.contype = 'f' AND s.relnamespace = current_schema()::regnamespace",
    )
    .fetch_all(&mut *dst)
    .await?;
    let sqlite: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
            .fetch_all(&mut *src)
            .await?;
    let virtual_tables: Vec<&str> = sqlite
        .iter()
        .filter(|(_, sql)| sql.as_deref().is_some_and(|s| s.trim_start().to_ascii_uppercase().starts_with("CREATE VIRTUAL TABLE")))
        .map(|(n, _)| n.as_str())
        .collect();
    let is_derived = |name: &str| virtual_tables.iter().any(|v| name == *v || name.starts_with(&format!("{v}_")));
    let mut derived = Vec::new();
    let mut problems = Vec::new();
    let mut sqlite_tables = BTreeSet::new();
    for (name, _) in &sqlite {
        if name == MIGRATIONS_TABLE {
            continue;
        }
        if is_derived(name) {
            derived.push(name.clone());
        } else if !pg_tables.contains(name) {
            problems.push(format!("table {name} is only in the SQLite database"));
        } else {
            sqlite_tables.insert(name.clone());
        }
    }
    let mut tables = BTreeMap::new();
    for name in pg_tables.iter().filter(|n| *n != MIGRATIONS_TABLE) {
        if !sqlite_tables.contains(name) {
            problems.push(format!("table {name} is only in the PostgreSQL database"));
            continue;
        }
        let cols: Vec<(String, String)> =
            columns.iter().filter(|c| &c.0 == name && c.3 != "ALWAYS").map(|c| (c.1.clone(), c.2.clone())).collect();
        let identity_always = columns.iter().any(|c| &c.0 == name && c.4 == "ALWAYS");
        let mut theirs: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info($1)").bind(name).fetch_all(&mut *src).await?;
        theirs.sort();
        let ours: Vec<String> = cols.iter().map(|c| c.0.clone()).collect();
        if theirs != ours {
            problems.push(format!("table {name} has columns {} in SQLite but {} in PostgreSQL", theirs.join(", "), ours.join(", ")));
        }
        let self_refs = fks.iter().filter(|f| &f.0 == name && &f.1 == name).map(|f| (f.2.clone(), f.3.clone())).collect();
        tables.insert(name.clone(), Table { name: name.clone(), columns: cols, identity_always, self_refs });
    }
    if !problems.is_empty() {
        anyhow::bail!("the two databases' schemas differ: {} (nothing was written)", problems.join("; "));
    }
    // Foreign-key order: a table after every table it refers to.
    let mut pending: BTreeMap<String, BTreeSet<String>> = tables.keys().map(|t| (t.clone(), BTreeSet::new())).collect();
    for (from, to, _, _) in &fks {
        if from != to && tables.contains_key(from) && tables.contains_key(to) {
            pending.entry(from.clone()).or_default().insert(to.clone());
        }
    }
    let mut ordered = Vec::with_capacity(tables.len());
    while !pending.is_empty() {
        let ready: Vec<String> = pending.iter().filter(|(_, deps)| deps.is_empty()).map(|(t, _)| t.clone()).collect();
        if ready.is_empty() {
            let cycle: Vec<&str> = pending.keys().map(String::as_str).collect();
            anyhow::bail!("the foreign keys among {} form a cycle: the copy cannot order them", cycle.join(", "));
        }
        for t in ready {
            pending.remove(&t);
            for deps in pending.values_mut() {
                deps.remove(&t);
            }
            ordered.push(tables.remove(&t).expect("a table of the schema"));
        }
    }
    Ok(Schema { tables: ordered, derived, seeded: seeded_tables() })
}

/// The tables the PostgreSQL migrations insert rows into.
fn seeded_tables() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for m in PG_MIGRATIONS.iter() {
        let sql = m.sql.as_str().to_ascii_lowercase();
        for part in sql.split("insert into").skip(1) {
            let name: String = part.trim_start().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// One value on its way to PostgreSQL: text in the form the column's type reads, or bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Value {
    Null,
    Text(String),
    Bytes(Vec<u8>),
}

impl Value {
    fn size(&self) -> usize {
        match self {
            Value::Null => 1,
            Value::Text(s) => s.len(),
            Value::Bytes(b) => b.len(),
        }
    }
}

/// A stored SQLite value, by its storage class.
enum Stored {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

fn stored(row: &sqlx::sqlite::SqliteRow, i: usize) -> anyhow::Result<Stored> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Stored::Null);
    }
    let class = raw.type_info().name().to_string();
    Ok(match class.as_str() {
        "INTEGER" | "BOOLEAN" => Stored::Integer(row.try_get_unchecked(i)?),
        "REAL" => Stored::Real(row.try_get_unchecked(i)?),
        "BLOB" => Stored::Blob(row.try_get_unchecked(i)?),
        _ => Stored::Text(row.try_get_unchecked(i)?),
    })
}

/// A SQLite value as the PostgreSQL column of type `ty` (its `udt_name`) takes it.
fn convert(v: Stored, ty: &str) -> Result<Value, String> {
    use Stored::*;
    let text = |s: String| Ok(Value::Text(s));
    match (ty, v) {
        (_, Null) => Ok(Value::Null),
        ("uuid", Blob(b)) => {
            uuid::Uuid::from_slice(&b).map(|u| Value::Text(u.to_string())).map_err(|_| format!("{} bytes are not a uuid", b.len()))
        }
        ("uuid", Text(s)) => uuid::Uuid::parse_str(&s).map(|u| Value::Text(u.to_string())).map_err(|_| format!("{s:?} is not a uuid")),
        ("bool", Integer(0)) => text("false".into()),
        ("bool", Integer(1)) => text("true".into()),
        ("bool", Text(s)) if matches!(s.as_str(), "true" | "false") => text(s),
        ("timestamptz", Text(s)) => timestamp(&s).map(Value::Text),
        ("date", Text(s)) => time::Date::parse(&s, DATE).map(|_| Value::Text(s.clone())).map_err(|_| format!("{s:?} is not a date")),
        ("time", Text(s)) => time_of_day(&s).map(Value::Text),
        ("bytea", Blob(b)) => Ok(Value::Bytes(b)),
        ("bytea", Text(s)) => Ok(Value::Bytes(s.into_bytes())),
        ("jsonb" | "json", Text(s)) => {
            serde_json::from_str::<serde_json::Value>(&s).map_err(|e| format!("not JSON: {e}"))?;
            text(s)
        }
        ("int2" | "int4" | "int8", Integer(n)) => text(n.to_string()),
        ("float4" | "float8", Real(x)) => text(float(x)),
        ("float4" | "float8", Integer(n)) => text(float(n as f64)),
        ("text" | "varchar" | "bpchar", Text(s)) => text(s),
        ("text" | "varchar" | "bpchar", Integer(n)) => text(n.to_string()),
        ("text" | "varchar" | "bpchar", Real(x)) => text(float(x)),
        ("text" | "varchar" | "bpchar", Blob(b)) => {
            String::from_utf8(b).map(Value::Text).map_err(|_| "bytes that are not UTF-8 text".to_string())
        }
        (ty, Integer(n)) => Err(format!("the integer {n} does not fit a column of type {ty}")),
        (ty, Real(x)) => Err(format!("the number {x} does not fit a column of type {ty}")),
        (ty, Text(s)) => Err(format!("the text {:?} does not fit a column of type {ty}", s.chars().take(40).collect::<String>())),
        (ty, Blob(b)) => Err(format!("{} bytes do not fit a column of type {ty}", b.len())),
    }
}

const DATE: &[time::format_description::FormatItem<'static>] = time::macros::format_description!("[year]-[month]-[day]");

/// A timestamp in RFC 3339 (as Rådhus stores them) or SQLite's `YYYY-MM-DD HH:MM:SS[.f]`, as
/// `YYYY-MM-DDTHH:MM:SS.ffffffZ` in UTC — PostgreSQL's precision is the microsecond.
fn timestamp(s: &str) -> Result<String, String> {
    use time::format_description::well_known::Rfc3339;
    let t = time::OffsetDateTime::parse(s, &Rfc3339)
        .or_else(|_| {
            time::PrimitiveDateTime::parse(s, time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"))
                .map(|p| p.assume_utc())
        })
        .or_else(|_| {
            time::PrimitiveDateTime::parse(
                s,
                time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second].[subsecond]"),
            )
            .map(|p| p.assume_utc())
        })
        .map_err(|_| format!("{s:?} is not a timestamp"))?
        .to_offset(time::UtcOffset::UTC);
    if t.nanosecond() % 1000 != 0 {
        return Err(format!("{s:?} is finer than a microsecond, which PostgreSQL cannot hold"));
    }
    Ok(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    ))
}

/// A time of day `HH:MM:SS[.f]` as `HH:MM:SS.ffffff`.
fn time_of_day(s: &str) -> Result<String, String> {
    let bad = || format!("{s:?} is not a time of day");
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    let parts: Vec<&str> = whole.split(':').collect();
    let [h, m, sec] = parts[..] else { return Err(bad()) };
    let num = |x: &str| x.parse::<u32>().map_err(|_| bad());
    let (h, m, sec) = (num(h)?, num(m)?, num(sec)?);
    if h > 24 || m > 59 || sec > 60 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let digits = fraction.trim_end_matches('0');
    if digits.len() > 6 {
        return Err(format!("{s:?} is finer than a microsecond, which PostgreSQL cannot hold"));
    }
    let micros = if digits.is_empty() { 0 } else { num(&format!("{digits:0<6}"))? };
    Ok(format!("{h:02}:{m:02}:{sec:02}.{micros:06}"))
}

/// A float as PostgreSQL reads it back exactly (the shortest form that round-trips).
fn float(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x.is_infinite() {
        if x > 0.0 { "Infinity".into() } else { "-Infinity".into() }
    } else {
        format!("{x:?}")
    }
}

/// A JSON value in one form: keys sorted, numbers by their value.
fn canonical_json(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::Object(m) => {
            out.push('{');
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::Value::String(k.clone()).to_string());
                out.push(':');
                canonical_json(&m[k], out);
            }
            out.push('}');
        }
        serde_json::Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical_json(x, out);
            }
            out.push(']');
        }
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => out.push_str(&i.to_string()),
            (None, Some(x)) if x.fract() == 0.0 && x.abs() < 9.0e15 => out.push_str(&(x as i64).to_string()),
            (None, Some(x)) => out.push_str(&float(x)),
            (None, None) => out.push_str(&n.to_string()),
        },
        other => out.push_str(&other.to_string()),
    }
}

/// The one form of a value of type `ty` both backends are hashed in.
fn canonical(ty: &str, v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Bytes(b) => Some(hex::encode(b)),
        Value::Text(s) => Some(match ty {
            "jsonb" | "json" => match serde_json::from_str::<serde_json::Value>(s) {
                Ok(j) => {
                    let mut out = String::new();
                    canonical_json(&j, &mut out);
                    out
                }
                Err(_) => s.clone(),
            },
            "float4" | "float8" => s.parse::<f64>().map(float).unwrap_or_else(|_| s.clone()),
            _ => s.clone(),
        }),
    }
}

/// A row's values in their one form, joined with the unit separator (NULL is a lone NUL).
fn canonical_row(t: &Table, row: &[Value]) -> String {
    let mut out = String::new();
    for (i, ((_, ty), v)) in t.columns.iter().zip(row).enumerate() {
        if i > 0 {
            out.push('\u{1f}');
        }
        match canonical(ty, v) {
            Some(s) => out.push_str(&s),
            None => out.push('\0'),
        }
    }
    out
}

fn row_hash(text: &str) -> u128 {
    let digest = Sha256::digest(text.as_bytes());
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    u128::from_be_bytes(first)
}

fn select_sqlite(t: &Table) -> String {
    let cols: Vec<String> = t.columns.iter().map(|(c, _)| quote(c)).collect();
    format!("SELECT {} FROM {}", cols.join(", "), quote(&t.name))
}

fn convert_row(t: &Table, row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<Vec<Value>> {
    t.columns
        .iter()
        .enumerate()
        .map(|(i, (col, ty))| convert(stored(row, i)?, ty).map_err(|e| anyhow::anyhow!("column {col}: {e}")))
        .collect()
}

/// Every row of `t` in the SQLite database, converted.
async fn sqlite_rows(src: &mut SqliteConnection, t: &Table) -> anyhow::Result<Vec<Vec<Value>>> {
    let sql = select_sqlite(t);
    let mut out = Vec::new();
    let mut stream = sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).fetch(&mut *src);
    while let Some(row) = stream.try_next().await? {
        out.push(convert_row(t, &row)?);
    }
    Ok(out)
}

/// PostgreSQL's expression for a column's value in the one form (jsonb and floats are brought
/// to it afterwards by [`canonical`]).
fn pg_canonical_expr(col: &str, ty: &str) -> String {
    let c = quote(col);
    match ty {
        "timestamptz" => format!("to_char({c} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"),
        "date" => format!("to_char({c}, 'YYYY-MM-DD')"),
        "time" => format!("to_char(DATE '2000-01-01' + {c}, 'HH24:MI:SS.US')"),
        "bytea" => format!("encode({c}, 'hex')"),
        _ => format!("{c}::text"),
    }
}

async fn pg_row_hashes(dst: &mut PgConnection, t: &Table) -> anyhow::Result<Vec<u128>> {
    let exprs: Vec<String> = t.columns.iter().map(|(c, ty)| pg_canonical_expr(c, ty)).collect();
    let sql = format!("SELECT {} FROM {}", exprs.join(", "), quote(&t.name));
    let mut out = Vec::new();
    let mut stream = sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).fetch(&mut *dst);
    while let Some(row) = stream.try_next().await? {
        let mut text = String::new();
        for (i, (_, ty)) in t.columns.iter().enumerate() {
            if i > 0 {
                text.push('\u{1f}');
            }
            let v: Option<String> = row.try_get(i)?;
            // Hex of bytea is already its one form; the rest is text of the type.
            match v.map(Value::Text).as_ref().and_then(|v| canonical(ty, v)) {
                Some(s) => text.push_str(&s),
                None => text.push('\0'),
            }
        }
        out.push(row_hash(&text));
    }
    Ok(out)
}

/// Copies one table, in batches; a table that refers to itself goes parents first.
async fn copy_table(src: &mut SqliteConnection, dst: &mut PgConnection, t: &Table) -> anyhow::Result<u64> {
    let per_statement = BATCH_ROWS.min(60_000 / t.columns.len().max(1)).max(1);
    let mut batch: Vec<Vec<Value>> = Vec::new();
    let mut bytes = 0;
    let mut count = 0u64;
    if t.self_refs.is_empty() {
        let sql = select_sqlite(t);
        let mut stream = sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).fetch(&mut *src);
        while let Some(row) = stream.try_next().await? {
            let values = convert_row(t, &row)?;
            bytes += values.iter().map(Value::size).sum::<usize>();
            batch.push(values);
            count += 1;
            if batch.len() >= per_statement || bytes >= BATCH_BYTES {
                insert(dst, t, &batch).await?;
                batch.clear();
                bytes = 0;
            }
        }
    } else {
        for values in parents_first(t, sqlite_rows(src, t).await?) {
            bytes += values.iter().map(Value::size).sum::<usize>();
            batch.push(values);
            count += 1;
            if batch.len() >= per_statement || bytes >= BATCH_BYTES {
                insert(dst, t, &batch).await?;
                batch.clear();
                bytes = 0;
            }
        }
    }
    if !batch.is_empty() {
        insert(dst, t, &batch).await?;
    }
    Ok(count)
}

/// The rows of a table that refers to itself, each after the rows it refers to (a row whose
/// parent is missing comes last, and PostgreSQL refuses it).
fn parents_first(t: &Table, rows: Vec<Vec<Value>>) -> Vec<Vec<Value>> {
    let index = |name: &str| t.columns.iter().position(|(c, _)| c == name);
    let refs: Vec<(Vec<usize>, Vec<usize>)> = t
        .self_refs
        .iter()
        .filter_map(|(from, to)| {
            Some((from.iter().map(|c| index(c)).collect::<Option<_>>()?, to.iter().map(|c| index(c)).collect::<Option<_>>()?))
        })
        .collect();
    let key = |row: &[Value], cols: &[usize]| -> Option<Vec<Value>> {
        let k: Vec<Value> = cols.iter().map(|i| row[*i].clone()).collect();
        if k.contains(&Value::Null) { None } else { Some(k) }
    };
    let mut present: Vec<HashSet<Vec<Value>>> = vec![HashSet::new(); refs.len()];
    let mut out = Vec::with_capacity(rows.len());
    let mut pending = rows;
    loop {
        let before = pending.len();
        let mut waiting = Vec::new();
        for row in pending {
            let ready = refs.iter().enumerate().all(|(r, (from, to))| match key(&row, from) {
                None => true,
                Some(k) => key(&row, to).as_ref() == Some(&k) || present[r].contains(&k),
            });
            if ready {
                for (r, (_, to)) in refs.iter().enumerate() {
                    if let Some(k) = key(&row, to) {
                        present[r].insert(k);
                    }
                }
                out.push(row);
            } else {
                waiting.push(row);
            }
        }
        if waiting.is_empty() || waiting.len() == before {
            out.extend(waiting);
            return out;
        }
        pending = waiting;
    }
}

async fn insert(dst: &mut PgConnection, t: &Table, rows: &[Vec<Value>]) -> anyhow::Result<()> {
    let cols: Vec<String> = t.columns.iter().map(|(c, _)| quote(c)).collect();
    let mut sql = format!("INSERT INTO {} ({})", quote(&t.name), cols.join(", "));
    if t.identity_always {
        sql.push_str(" OVERRIDING SYSTEM VALUE");
    }
    sql.push_str(" VALUES ");
    let mut n = 0;
    for (r, _) in rows.iter().enumerate() {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for (i, (_, ty)) in t.columns.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            n += 1;
            sql.push_str(&format!("${n}::{}", quote(ty)));
        }
        sql.push(')');
    }
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for row in rows {
        for ((_, ty), v) in t.columns.iter().zip(row) {
            q = match (v, ty.as_str()) {
                (Value::Null, "bytea") => q.bind(None::<Vec<u8>>),
                (Value::Null, _) => q.bind(None::<String>),
                (Value::Text(s), "bytea") => q.bind(s.as_bytes().to_vec()),
                (Value::Text(s), _) => q.bind(s.clone()),
                (Value::Bytes(b), _) => q.bind(b.clone()),
            };
        }
    }
    q.execute(&mut *dst).await?;
    Ok(())
}

/// Sets every sequence of the schema to the largest value of the column it feeds.
async fn reset_sequences(dst: &mut PgConnection) -> anyhow::Result<Vec<String>> {
    let owned: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT s.relname::text, t.relname::text, a.attname::text \
         FROM pg_class s JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i') \
         JOIN pg_class t ON t.oid = d.refobjid JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid \
         WHERE s.relkind = 'S' AND s.relnamespace = current_schema()::regnamespace ORDER BY 1",
    )
    .fetch_all(&mut *dst)
    .await?;
    let mut out = Vec::new();
    for (seq, table, col) in owned {
        let max: Option<i64> =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT max({})::bigint FROM {}", quote(&col), quote(&table))))
                .fetch_one(&mut *dst)
                .await?;
        sqlx::query("SELECT setval($1::regclass, $2, $3)")
            .bind(quote(&seq))
            .bind(max.unwrap_or(1))
            .bind(max.is_some())
            .execute(&mut *dst)
            .await?;
        out.push(format!("{seq} = {}", max.map_or("unused".to_string(), |m| m.to_string())));
    }
    Ok(out)
}

/// Every copied table in both databases: rows and the normalized content hash (see the module
/// documentation), read in one transaction on each side.
pub async fn compare(source: &Db, target: &Db) -> anyhow::Result<Vec<TableComparison>> {
    let mut src_tx = source.read(Scope::System).await?;
    let mut dst_tx = target.read(Scope::System).await?;
    let (Tx::Sqlite(s), Tx::Pg(p)) = (&mut src_tx, &mut dst_tx) else { anyhow::bail!("the comparison is of SQLite with PostgreSQL") };
    let src: &mut SqliteConnection = s;
    let dst: &mut PgConnection = p;
    sqlx::query("SELECT set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, YMD', true)").execute(&mut *dst).await?;
    let schema = schema(src, dst).await?;
    let mut out = Vec::with_capacity(schema.tables.len());
    for t in &schema.tables {
        let (mut source_rows, mut source_sum) = (0u64, 0u128);
        let sql = select_sqlite(t);
        let mut stream = sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).fetch(&mut *src);
        while let Some(row) = stream.try_next().await? {
            let values = convert_row(t, &row).map_err(|e| anyhow::anyhow!("reading {}: {e}", t.name))?;
            source_rows += 1;
            source_sum = source_sum.wrapping_add(row_hash(&canonical_row(t, &values)));
        }
        drop(stream);
        let hashes = pg_row_hashes(dst, t).await?;
        let target_sum = hashes.iter().fold(0u128, |a, h| a.wrapping_add(*h));
        out.push(TableComparison {
            table: t.name.clone(),
            source_rows,
            target_rows: hashes.len() as u64,
            source_hash: format!("{source_sum:032x}"),
            target_hash: format!("{target_sum:032x}"),
        });
    }
    out.sort_by(|a, b| a.table.cmp(&b.table));
    src_tx.rollback().await?;
    dst_tx.rollback().await?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_convert_to_the_postgres_column_types() {
        let id = uuid::Uuid::new_v4();
        assert_eq!(convert(Stored::Blob(id.as_bytes().to_vec()), "uuid"), Ok(Value::Text(id.to_string())));
        assert_eq!(convert(Stored::Integer(1), "bool"), Ok(Value::Text("true".into())));
        assert!(convert(Stored::Integer(2), "bool").is_err());
        assert_eq!(
            convert(Stored::Text("2026-12-07T06:35:41.5085Z".into()), "timestamptz"),
            Ok(Value::Text("2026-12-07T06:35:41.508500Z".into()))
        );
        assert_eq!(
            convert(Stored::Text("2026-12-07T07:35:41+01:00".into()), "timestamptz"),
            Ok(Value::Text("2026-12-07T06:35:41.000000Z".into()))
        );
        assert!(convert(Stored::Text("2026-12-07T06:35:41.123456789Z".into()), "timestamptz").is_err());
        assert_eq!(convert(Stored::Text("08:00:00.0".into()), "time"), Ok(Value::Text("08:00:00.000000".into())));
        assert!(convert(Stored::Text("8 o'clock".into()), "time").is_err());
        assert!(convert(Stored::Text("{not json".into()), "jsonb").is_err());
        assert!(convert(Stored::Blob(vec![1, 2, 3]), "uuid").is_err());
        assert_eq!(convert(Stored::Real(0.1), "float8"), Ok(Value::Text("0.1".into())));
    }

    #[test]
    fn the_normalized_form_is_the_same_for_both_backends_text() {
        // jsonb's own text (key order by length, spaces) against the text SQLite kept.
        assert_eq!(
            canonical("jsonb", &Value::Text("{\"b\": 1, \"aa\": [1.0, \"x\"]}".into())),
            canonical("jsonb", &Value::Text("{\"aa\":[1,\"x\"],\"b\":1}".into()))
        );
        assert_eq!(canonical("float8", &Value::Text("59.3793".into())), Some(float(59.3793)));
        assert_eq!(canonical("bytea", &Value::Bytes(vec![0xde, 0xad])), Some("dead".into()));
    }

    #[test]
    fn a_self_referring_table_goes_parents_first() {
        let t = Table {
            name: "org_unit".into(),
            columns: vec![("id".into(), "text".into()), ("parent_id".into(), "text".into())],
            identity_always: false,
            self_refs: vec![(vec!["parent_id".into()], vec!["id".into()])],
        };
        let row = |id: &str, parent: Option<&str>| vec![Value::Text(id.into()), parent.map_or(Value::Null, |p| Value::Text(p.into()))];
        let ordered = parents_first(&t, vec![row("c", Some("b")), row("b", Some("a")), row("a", None), row("d", Some("d"))]);
        let ids: Vec<Value> = ordered.iter().map(|r| r[0].clone()).collect();
        assert_eq!(ids, vec![Value::Text("a".into()), Value::Text("d".into()), Value::Text("b".into()), Value::Text("c".into())]);
    }

    #[test]
    fn the_migrations_seed_the_maturity_catalogue() {
        let seeded = seeded_tables();
        assert!(seeded.contains("maturity_catalogue") && seeded.contains("maturity_indicator"), "{seeded:?}");
        assert!(!seeded.contains("tenant"));
    }
}
