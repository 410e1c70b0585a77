//! Where each table lives when one database server is not enough (issue 14 item 8, issue 21
//! item 2): on a Citus cluster a table is distributed by `tenant_id` (the default: a
//! municipality's rows on one shard, every municipality-owned key leading with `tenant_id`),
//! distributed by `citizen_index` (a citizen's read model across municipalities on one shard),
//! a reference table (small, platform-wide, copied to every node) or kept on the coordinator.
//!
//! The lists are the schema's own: the schema test fails on a table that is on none of them
//! and has no `tenant_id`, on a listed table that does not exist, and on `docs/scaling.md`
//! when it no longer shows them.

use sqlx::PgConnection;

/// Where a table lives on a Citus cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Distributed by `tenant_id`, co-located with every other such table.
    Tenant,
    /// Distributed by `citizen_index`: one citizen's rows across municipalities on one shard.
    Citizen,
    /// A reference table: copied to every node, joined locally by any shard.
    Reference,
    /// A table of the coordinator only: short-lived platform state read by key.
    Coordinator,
}

impl Placement {
    pub fn label(self) -> &'static str {
        match self {
            Placement::Tenant => "distributed by tenant_id",
            Placement::Citizen => "distributed by citizen_index",
            Placement::Reference => "reference table",
            Placement::Coordinator => "coordinator only",
        }
    }
}

/// Whose rows a listed table holds, which decides its row-level security (checked by
/// `crates/platform/tests/it/rls.rs` on PostgreSQL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// No `tenant_id`: the rows belong to no municipality, so no row-level security.
    Platform,
    /// A `tenant_id` column, but read before any municipality's scope exists (to find the
    /// municipality of a host, a session or a login in flight), so no row-level security: the
    /// code that reads a row checks what it holds.
    TenantColumnWithoutRls,
    /// One municipality's rows: `tenant_id` under row-level security.
    Tenant,
}

/// A table that is not simply distributed by `tenant_id`.
#[derive(Debug, Clone, Copy)]
pub struct Listed {
    pub table: &'static str,
    pub placement: Placement,
    pub rows: Rows,
    pub why: &'static str,
}

const fn listed(table: &'static str, placement: Placement, rows: Rows, why: &'static str) -> Listed {
    Listed { table, placement, rows, why }
}

use Placement::{Citizen, Coordinator, Reference};
use Rows::{Platform, Tenant, TenantColumnWithoutRls};

/// Every table that is not distributed by `tenant_id`, with the reason.
pub const LISTED: &[Listed] = &[
    listed("tenant", Reference, Platform, "the municipalities: every distributed table's tenant_id refers to it"),
    listed(
        "tenant_host",
        Reference,
        TenantColumnWithoutRls,
        "host name → municipality, read on every request before any municipality is known",
    ),
    listed("operator", Reference, Platform, "the platform operators, a handful of rows"),
    listed("platform_settings", Reference, Platform, "one row of platform-wide settings"),
    listed("platform_secret", Reference, Platform, "keys the platform makes for itself (the audit log's pseudonym key)"),
    listed("maturity_catalogue", Reference, Platform, "eBlomlåda's indicator catalogues: one list for the country"),
    listed("maturity_area", Reference, Platform, "eBlomlåda's areas"),
    listed("maturity_indicator", Reference, Platform, "eBlomlåda's indicators"),
    listed("maturity_mapping", Reference, Platform, "eBlomlåda's mapping between catalogue years"),
    listed("es_shared_service", Reference, Platform, "the operator's shared catalogue of e-services (ADR 0022), adopted by municipalities"),
    listed("es_shared_version", Reference, Platform, "the versions of the shared e-services"),
    listed(
        "session",
        Coordinator,
        TenantColumnWithoutRls,
        "sessions by token hash, found by the cookie on every request before the session's municipality is known; operators' sessions have none",
    ),
    listed(
        "oidc_flow",
        Coordinator,
        TenantColumnWithoutRls,
        "an e-ID login in progress, found by its state on the callback, for a few minutes",
    ),
    listed(
        "sso_handoff",
        Coordinator,
        TenantColumnWithoutRls,
        "single sign-on hand-off codes, issued and redeemed by the platform host (ADR 0017)",
    ),
    listed("_sqlx_migrations", Coordinator, Platform, "the migrations that have run"),
    listed(
        "my_settings",
        Citizen,
        Platform,
        "a citizen's notification settings for every municipality at once (ADR 0021), under its own citizen_only policy",
    ),
    listed("my_case", Citizen, Tenant, "Mina ärenden's read model: a citizen's cases across municipalities on one shard"),
    listed("my_case_step", Citizen, Tenant, "the steps of a case in Mina ärenden's read model"),
    listed("my_notice", Citizen, Tenant, "notices to a citizen about their cases"),
    listed("my_case_payment", Citizen, Tenant, "what a citizen has to pay, shown in Mina ärenden"),
    listed("es_broadcast_subscription", Citizen, Tenant, "a citizen's subscription to störningsinformation"),
];

/// Where `table` lives: listed, or distributed by `tenant_id`.
pub fn of(table: &str) -> Placement {
    LISTED.iter().find(|l| l.table == table).map_or(Placement::Tenant, |l| l.placement)
}

/// The tables whose rows belong to no municipality (no `tenant_id` under row-level security).
pub fn not_tenant_owned() -> impl Iterator<Item = &'static str> {
    LISTED.iter().filter(|l| l.rows != Tenant).map(|l| l.table)
}

/// The listed tables whose rows are `rows`.
pub fn with_rows(rows: Rows) -> impl Iterator<Item = &'static Listed> {
    LISTED.iter().filter(move |l| l.rows == rows)
}

/// Municipality-owned tables whose key leads with `citizen_index` instead of `tenant_id`.
pub fn citizen_keyed() -> impl Iterator<Item = &'static str> {
    LISTED.iter().filter(|l| l.rows == Tenant && l.placement == Placement::Citizen).map(|l| l.table)
}

/// True when the database has the Citus extension: then [`place`] puts every table where
/// [`of`] says, after the migrations ([`super::Db::migrate`]).
pub async fn is_citus(c: &mut PgConnection) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')").fetch_one(c).await
}

/// Runs `migrator`'s pending migrations on a Citus coordinator and places what they made
/// ([`place`]). They run with `citus.enable_local_reference_table_foreign_keys` off, so a
/// new table with keys to reference and distributed tables is created as a plain table (with
/// it on, Citus would turn it into a local table of the coordinator and refuse its keys to
/// distributed tables), and sequentially (`citus.multi_shard_modify_mode`), so DDL and
/// writes in one migration share a connection per shard. The settings are reset afterwards.
///
/// On a schema already placed, a pending migration runs one statement at a time ([`statements`])
/// in its transaction and is recorded as sqlx records it: Citus sends the text of a
/// `CREATE INDEX` or `ALTER TABLE` on a distributed table to the workers' metadata as the
/// client sent it, and a migration file of several statements in one string is refused there
/// ("cannot insert multiple commands into a prepared statement"). sqlx's own run follows,
/// which checks the checksums of what has run and finds nothing left to do.
pub async fn migrate_citus(c: &mut PgConnection, migrator: &sqlx::migrate::Migrator) -> anyhow::Result<Placed> {
    sqlx::raw_sql("SET citus.enable_local_reference_table_foreign_keys = off; SET citus.multi_shard_modify_mode = 'sequential'")
        .execute(&mut *c)
        .await?;
    let res = match run_pending(&mut *c, migrator).await {
        Ok(()) => place(&mut *c).await,
        Err(e) => Err(e),
    };
    sqlx::raw_sql("RESET citus.enable_local_reference_table_foreign_keys; RESET citus.multi_shard_modify_mode").execute(&mut *c).await?;
    res
}

async fn run_pending(c: &mut PgConnection, migrator: &sqlx::migrate::Migrator) -> anyhow::Result<()> {
    use sqlx::migrate::Migrate;
    let placed: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM pg_dist_partition p JOIN pg_class k ON k.oid = p.logicalrelid \
         WHERE k.relnamespace = current_schema()::regnamespace)",
    )
    .fetch_one(&mut *c)
    .await?;
    if placed {
        c.lock().await?;
        let res = run_statement_by_statement(&mut *c, migrator).await;
        c.unlock().await?;
        res?;
    }
    migrator.run(&mut *c).await?;
    Ok(())
}

async fn run_statement_by_statement(c: &mut PgConnection, migrator: &sqlx::migrate::Migrator) -> anyhow::Result<()> {
    use sqlx::migrate::{Migrate, MigrationType};
    let table = "_sqlx_migrations";
    c.ensure_migrations_table(table).await?;
    let applied: Vec<i64> = c.list_applied_migrations(table).await?.into_iter().map(|m| m.version).collect();
    for m in migrator.iter().filter(|m| !applied.contains(&m.version) && !matches!(m.migration_type, MigrationType::ReversibleDown)) {
        let started = std::time::Instant::now();
        let mut tx = sqlx::Connection::begin(&mut *c).await?;
        for statement in statements(m.sql.as_str()) {
            sqlx::raw_sql(sqlx::AssertSqlSafe(statement.to_string()))
                .execute(&mut *tx)
                .await
                .map_err(|e| anyhow::anyhow!("migration {} ({}) on the cluster: {e}\n{statement}", m.version, m.description))?;
        }
        sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES ($1, $2, TRUE, $3, $4)")
            .bind(m.version)
            .bind(&*m.description)
            .bind(&*m.checksum)
            .bind(i64::try_from(started.elapsed().as_nanos()).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(version = m.version, description = %m.description, "migration run statement by statement on the Citus cluster");
    }
    Ok(())
}

/// The statements of an SQL script, split at the semicolons outside quotes, quoted
/// identifiers, dollar-quoted bodies and comments; statements of nothing but comments and
/// white space are left out.
pub fn statements(sql: &str) -> Vec<&str> {
    let b = sql.as_bytes();
    let mut out = vec![];
    let (mut start, mut i, mut content) = (0, 0, false);
    while i < b.len() {
        match b[i] {
            b'-' if b.get(i + 1) == Some(&b'-') => {
                i = sql[i..].find('\n').map_or(b.len(), |n| i + n);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                while i < b.len() {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            q @ (b'\'' | b'"') => {
                content = true;
                i += 1;
                while i < b.len() {
                    if b[i] == q {
                        if b.get(i + 1) == Some(&q) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
            }
            b'$' if !b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                content = true;
                let tag_end = sql[i + 1..].find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_')).map(|n| i + 1 + n);
                if let Some(e) = tag_end.filter(|&e| b[e] == b'$') {
                    let tag = &sql[i..=e];
                    i = sql[e + 1..].find(tag).map_or(b.len(), |n| e + 1 + n + tag.len());
                    continue;
                }
            }
            b';' => {
                if content {
                    out.push(sql[start..i].trim());
                }
                start = i + 1;
                content = false;
            }
            ch if !ch.is_ascii_whitespace() => content = true,
            _ => {}
        }
        i += 1;
    }
    if content {
        out.push(sql[start..].trim());
    }
    out
}

/// Row-level security policies a Citus cluster cannot hold, with what is lost without them:
/// Citus refuses a policy with a subquery on a distributed table, so [`place`] drops these
/// (each only widens what a citizen may read; without it less is visible, never more).
pub const POLICIES_OFF_THE_CLUSTER: &[(&str, &str, &str)] = &[(
    "es_revision",
    "citizen_draft_revision",
    "a citizen's own drafts list (eservices::citizen) joins the revision each draft is pinned to; on a cluster that join finds no revision in the citizen's scope, so the list is empty until the revision is read in the municipality's scope",
)];

/// The first half of the key of the advisory lock one placement pass holds ("radh"), the
/// second is the schema's: two processes migrating one schema at once place each table once,
/// and the schemas of parallel tests do not wait for each other.
const PLACE_LOCK: i32 = 0x7261_6468;

/// Where a table of the current schema is on the cluster now.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Now {
    /// A plain PostgreSQL table of the coordinator.
    Local,
    /// A local table in Citus's metadata (one that a foreign key to a reference table needs).
    CitusLocal,
    Reference,
    /// Distributed (hash) by this column.
    Distributed(String),
}

impl Now {
    fn is(&self, want: Placement) -> bool {
        match want {
            Placement::Tenant => *self == Now::Distributed("tenant_id".into()),
            Placement::Citizen => *self == Now::Distributed("citizen_index".into()),
            Placement::Reference => *self == Now::Reference,
            Placement::Coordinator => matches!(self, Now::Local | Now::CitusLocal),
        }
    }
}

/// A table of the current schema: name, Citus's partition method, replication model and
/// distribution column (none for a table Citus does not know).
type CatalogueRow = (String, Option<String>, Option<String>, Option<String>);

/// What one placement pass did.
#[derive(Debug, Default)]
pub struct Placed {
    /// The tables placed now, with their placement.
    pub tables: Vec<(String, Placement)>,
    /// The foreign keys dropped for the pass and added back.
    pub foreign_keys: usize,
}

/// Places every table of the current schema on a Citus cluster as [`of`] says, in one
/// transaction: the tables not yet where they belong (all of them after the first migrations,
/// a new table after a later one) lose the foreign keys that touch them, are made reference
/// tables or distributed (by `tenant_id` co-located with the schema's other such tables, or by
/// `citizen_index`), and get their foreign keys back; a coordinator table with a key to a
/// reference table becomes a Citus local table on the way. A key Citus cannot hold fails the
/// pass, and with it the migration, naming the key. Tables already in place are left alone, so
/// a pass on a placed schema does nothing.
///
/// The migrations before it run with `citus.enable_local_reference_table_foreign_keys` off
/// ([`super::Db::migrate`]), so a new table with keys to distributed and reference tables is
/// created as a plain table and placed here.
pub async fn place(c: &mut PgConnection) -> anyhow::Result<Placed> {
    // The row-level security settings are `SET LOCAL` (db::set_scope); only with this do they
    // reach the shards on the workers, and without them every policy there hides every row.
    let propagate: String = sqlx::query_scalar("SELECT current_setting('citus.propagate_set_commands')").fetch_one(&mut *c).await?;
    anyhow::ensure!(
        propagate == "local",
        "citus.propagate_set_commands is {propagate:?}: set it to 'local' in the coordinator's postgresql.conf \
         (or ALTER DATABASE … SET citus.propagate_set_commands = 'local'), or row-level security hides every row on the workers"
    );
    let mut tx = sqlx::Connection::begin(&mut *c).await?;
    sqlx::raw_sql(
        "SET LOCAL citus.multi_shard_modify_mode = 'sequential'; SET LOCAL citus.enable_local_reference_table_foreign_keys = off",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))").bind(PLACE_LOCK).execute(&mut *tx).await?;
    let rows: Vec<CatalogueRow> = sqlx::query_as(
        "SELECT c.relname::text, p.partmethod::text, p.repmodel::text, \
                CASE WHEN p.partmethod = 'h' THEN column_to_column_name(p.logicalrelid, p.partkey) END \
         FROM pg_class c LEFT JOIN pg_dist_partition p ON p.logicalrelid = c.oid \
         WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition \
         ORDER BY 1",
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut todo: Vec<(String, Placement)> = vec![];
    let mut anchors: Vec<(Placement, String)> = vec![];
    for (table, method, model, column) in rows {
        let now = match (method.as_deref(), model.as_deref(), column) {
            (None, ..) => Now::Local,
            (Some("h"), _, Some(col)) => Now::Distributed(col),
            (Some("n"), Some("t"), _) => Now::Reference,
            (Some("n"), ..) => Now::CitusLocal,
            (m, r, _) => anyhow::bail!("{table}: a Citus placement this code does not know (method {m:?}, model {r:?})"),
        };
        let want = of(&table);
        if now.is(want) {
            if matches!(want, Placement::Tenant | Placement::Citizen) && !anchors.iter().any(|(p, _)| *p == want) {
                anchors.push((want, table));
            }
        } else if want == Placement::Coordinator || now != Now::Local {
            anyhow::bail!("{table} is {now:?} on the cluster but db::placement says {}; move it by hand", want.label());
        } else {
            todo.push((table, want));
        }
    }
    if todo.is_empty() {
        tx.commit().await?;
        return Ok(Placed::default());
    }
    let names: Vec<&str> = todo.iter().map(|(t, _)| t.as_str()).collect();
    let keys: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT k.conrelid::regclass::text, k.conname::text, pg_get_constraintdef(k.oid) FROM pg_constraint k \
         JOIN pg_class a ON a.oid = k.conrelid JOIN pg_class b ON b.oid = k.confrelid \
         WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace \
           AND (a.relname = ANY($1) OR b.relname = ANY($1)) ORDER BY 1, 2",
    )
    .bind(&names)
    .fetch_all(&mut *tx)
    .await?;
    for (table, name, _) in &keys {
        sqlx::query(sqlx::AssertSqlSafe(format!("ALTER TABLE {table} DROP CONSTRAINT {}", quote(name)))).execute(&mut *tx).await?;
    }
    for (table, policy, _) in POLICIES_OFF_THE_CLUSTER.iter().filter(|(t, ..)| names.contains(t)) {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP POLICY IF EXISTS {} ON {}", quote(policy), quote(table)))).execute(&mut *tx).await?;
        tracing::warn!(table, policy, "row-level security policy with a subquery dropped: Citus cannot hold it (db::placement)");
    }
    // Reference tables first (a distributed table's keys to them), then the distributed ones.
    todo.sort_by_key(|(_, p)| *p != Placement::Reference);
    for (table, want) in &todo {
        let name = qualified(&mut tx, table).await?;
        let res = match want {
            Placement::Reference => sqlx::query("SELECT create_reference_table($1::regclass)").bind(&name).execute(&mut *tx).await,
            Placement::Tenant | Placement::Citizen => {
                let column = if *want == Placement::Tenant { "tenant_id" } else { "citizen_index" };
                // Co-located with the schema's first table of the same placement.
                let with = match anchors.iter().find(|(p, _)| p == want) {
                    Some((_, anchor)) => qualified(&mut tx, anchor).await?,
                    None => "default".to_string(),
                };
                let res = sqlx::query("SELECT create_distributed_table($1::regclass, $2, colocate_with => $3)")
                    .bind(&name)
                    .bind(column)
                    .bind(&with)
                    .execute(&mut *tx)
                    .await;
                if res.is_ok() && !anchors.iter().any(|(p, _)| p == want) {
                    anchors.push((*want, table.clone()));
                }
                res
            }
            Placement::Coordinator => continue,
        };
        res.map_err(|e| anyhow::anyhow!("placing {table} as {}: {e}", want.label()))?;
    }
    // A coordinator table's key to a reference table makes it a Citus local table.
    sqlx::query("SET LOCAL citus.enable_local_reference_table_foreign_keys = on").execute(&mut *tx).await?;
    for (table, name, def) in &keys {
        sqlx::query(sqlx::AssertSqlSafe(format!("ALTER TABLE {table} ADD CONSTRAINT {} {def}", quote(name))))
            .execute(&mut *tx)
            .await
            .map_err(|e| anyhow::anyhow!("foreign key {name} of {table} ({def}) on the cluster: {e}"))?;
    }
    tx.commit().await?;
    Ok(Placed { foreign_keys: keys.len(), tables: todo })
}

/// A table of the current schema as a qualified, quoted name.
async fn qualified(c: &mut PgConnection, table: &str) -> sqlx::Result<String> {
    sqlx::query_scalar("SELECT format('%I.%I', current_schema(), $1::text)").bind(table).fetch_one(c).await
}

/// A name as an SQL identifier, in double quotes.
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_splits_at_the_semicolons_outside_quotes_and_comments() {
        let sql = "-- head; comment\nCREATE TABLE a (x TEXT DEFAULT 'a;b''c');\n/* block; /* nested; */ */\n\
                   DO $$ BEGIN EXECUTE 'x; y'; END $$;\nCREATE POLICY p ON a USING (x = $body$;$body$);\n\
                   SELECT \"odd;name\" FROM a WHERE x = $1;\n-- tail only;\n";
        assert_eq!(
            statements(sql),
            vec![
                "-- head; comment\nCREATE TABLE a (x TEXT DEFAULT 'a;b''c')",
                "/* block; /* nested; */ */\nDO $$ BEGIN EXECUTE 'x; y'; END $$",
                "CREATE POLICY p ON a USING (x = $body$;$body$)",
                "SELECT \"odd;name\" FROM a WHERE x = $1",
            ]
        );
        assert!(statements("  -- nothing\n/* at all */ ").is_empty());
        assert_eq!(statements("SELECT 1"), vec!["SELECT 1"]);
    }

    #[test]
    fn each_table_is_listed_once_and_unlisted_ones_are_distributed_by_tenant() {
        let mut names: Vec<&str> = LISTED.iter().map(|l| l.table).collect();
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n, "a table is listed twice");
        assert_eq!(of("case_file"), Placement::Tenant);
        assert_eq!(of("tenant_host"), Placement::Reference);
        assert!(citizen_keyed().all(|t| of(t) == Placement::Citizen));
        assert!(not_tenant_owned().any(|t| t == "my_settings"));
        assert!(!not_tenant_owned().any(|t| t == "my_case"));
    }
}
