//! One code base over SQLite (embedded default) and PostgreSQL (production), ADR 0001.
//!
//! SQL is written once with `$N` parameters; [`on_tx!`] expands the same body for each
//! backend so both arms are type-checked against their concrete driver.

pub mod backup;
pub mod copy;
pub mod placement;

use std::str::FromStr;
use std::time::Duration;

use radhus_kernel::ids::TenantId;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

pub static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");
pub static PG_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

/// The database: an embedded SQLite file or a PostgreSQL server.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Pg(PgPool),
}

/// One open transaction on either backend. Every use case runs in exactly one.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Pg(Transaction<'static, Postgres>),
}

/// Whose rows a transaction may see. On PostgreSQL this sets `radhus.tenant_id`, which the
/// row-level security policies compare with every tenant-owned row (ADR 0003).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One municipality's rows only.
    Tenant(TenantId),
    /// Only tables that belong to no tenant (tenants, hosts, operators, sessions) and the
    /// platform's own audit chain.
    Platform,
    /// All tenants: system tasks such as the outbox worker and `audit verify`.
    System,
    /// One citizen's rows of the cross-municipality read models (*Mina ärenden*), by the
    /// blind index of the personal identity number (`pii::index`, 32 bytes), and nothing of any
    /// municipality's own tables: the tenant setting is the nil tenant, as for `Platform`.
    Citizen([u8; 32]),
}

impl Scope {
    fn setting(self) -> String {
        match self {
            Scope::Tenant(t) => t.to_string(),
            // The nil tenant: only the platform's own audit chain.
            Scope::Platform => uuid::Uuid::nil().to_string(),
            Scope::System => "*".to_string(),
            Scope::Citizen(_) => uuid::Uuid::nil().to_string(),
        }
    }

    /// The `radhus.citizen` setting that citizen read models' policies compare with.
    fn citizen(self) -> String {
        match self {
            Scope::Citizen(index) => hex::encode(index),
            _ => String::new(),
        }
    }

    /// A citizen's scope from the hex blind index `pii::index` gives.
    pub fn citizen_from_hex(index: &str) -> Option<Scope> {
        let bytes = hex::decode(index).ok()?;
        Some(Scope::Citizen(bytes.try_into().ok()?))
    }
}

/// Runs the same body against the concrete connection of whichever backend `tx` holds.
/// `$c` is bound to `&mut SqliteConnection` or `&mut PgConnection`.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::db::Tx::Pg(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

/// Database kind, reported by `/healthz`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

impl Db {
    /// Connects and runs the migrations. `sqlite:` URLs create the file if missing.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        let db = if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let in_memory = url.contains(":memory:") || url.contains("mode=memory");
            let pool = if in_memory {
                // An in-memory database dies with its last connection.
                SqlitePoolOptions::new()
                    .max_connections(1)
                    .min_connections(1)
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .connect_with(opts)
                    .await?
            } else {
                SqlitePoolOptions::new().max_connections(8).connect_with(opts).await?
            };
            Db::Sqlite(pool)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let opts = PgConnectOptions::from_str(url)?;
            Db::connect_pg(opts).await?
        } else {
            anyhow::bail!("database_url must start with sqlite: or postgres:, got {url:?}");
        };
        db.migrate().await?;
        Ok(db)
    }

    /// Connects to PostgreSQL with explicit options (tests use a schema per test).
    pub async fn connect_pg(opts: PgConnectOptions) -> anyhow::Result<Db> {
        let pool = PgPoolOptions::new().max_connections(10).acquire_timeout(Duration::from_secs(30)).connect_with(opts).await?;
        Ok(Db::Pg(pool))
    }

    /// Runs the migrations not yet applied. On a database with the Citus extension they run
    /// with `citus.enable_local_reference_table_foreign_keys` off (a new table stays a plain
    /// table however its keys point) and then every table is placed where
    /// [`placement::of`] says ([`placement::place`]); on plain PostgreSQL and SQLite nothing
    /// else happens.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self {
            Db::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await?,
            Db::Pg(p) => {
                let mut c = p.acquire().await?;
                if !placement::is_citus(&mut c).await? {
                    PG_MIGRATIONS.run(&mut *c).await?;
                    return Ok(());
                }
                let placed = placement::migrate_citus(&mut c, &PG_MIGRATIONS).await?;
                if !placed.tables.is_empty() {
                    tracing::info!(tables = placed.tables.len(), foreign_keys = placed.foreign_keys, "tables placed on the Citus cluster");
                }
            }
        }
        Ok(())
    }

    pub fn kind(&self) -> DbKind {
        match self {
            Db::Sqlite(_) => DbKind::Sqlite,
            Db::Pg(_) => DbKind::Postgres,
        }
    }

    /// A transaction that will write. On SQLite it takes the write lock up front
    /// (`BEGIN IMMEDIATE`) so it cannot fail with SQLITE_BUSY on lock upgrade.
    pub async fn write(&self, scope: Scope) -> sqlx::Result<Tx> {
        match self {
            Db::Sqlite(p) => Ok(Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?)),
            Db::Pg(p) => {
                let mut t = p.begin().await?;
                set_scope(&mut t, scope).await?;
                Ok(Tx::Pg(t))
            }
        }
    }

    /// A transaction that only reads.
    pub async fn read(&self, scope: Scope) -> sqlx::Result<Tx> {
        match self {
            Db::Sqlite(p) => Ok(Tx::Sqlite(p.begin().await?)),
            Db::Pg(p) => {
                let mut t = p.begin().await?;
                set_scope(&mut t, scope).await?;
                Ok(Tx::Pg(t))
            }
        }
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(p) => p.close().await,
            Db::Pg(p) => p.close().await,
        }
    }
}

/// Sets the transaction's scope with `SET LOCAL` (not `set_config`): on a Citus cluster a
/// `SET LOCAL` goes with the transaction to the workers (`citus.propagate_set_commands =
/// 'local'`), where the shards' policies read it. The values are a UUID, `*` or hex, never text
/// from outside.
async fn set_scope(t: &mut Transaction<'static, Postgres>, scope: Scope) -> sqlx::Result<()> {
    let sql = format!("SET LOCAL radhus.tenant_id = '{}'; SET LOCAL radhus.citizen = '{}'", scope.setting(), scope.citizen());
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut **t).await?;
    Ok(())
}

impl Tx {
    pub async fn commit(self) -> sqlx::Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Pg(t) => t.commit().await,
        }
    }

    pub async fn rollback(self) -> sqlx::Result<()> {
        match self {
            Tx::Sqlite(t) => t.rollback().await,
            Tx::Pg(t) => t.rollback().await,
        }
    }

    pub fn kind(&self) -> DbKind {
        match self {
            Tx::Sqlite(_) => DbKind::Sqlite,
            Tx::Pg(_) => DbKind::Postgres,
        }
    }

    /// Runs a statement without results (DDL in tests, pragmas).
    pub async fn execute_raw(&mut self, sql: &str) -> sqlx::Result<u64> {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        on_tx!(self, c => Ok(sqlx::query(sql).execute(c).await?.rows_affected()))
    }
}

/// True when the error is a unique-constraint violation (both backends).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => d.is_unique_violation(),
        _ => false,
    }
}

/// A statement's result where a unique-constraint violation means "already exists": that
/// becomes a conflict with the given message id, anything else stays a database error.
pub fn unique_conflict<T>(res: std::result::Result<T, sqlx::Error>, message: &'static str) -> crate::error::Result<T> {
    res.map_err(|e| if is_unique_violation(&e) { crate::error::Error::Conflict(message) } else { e.into() })
}
