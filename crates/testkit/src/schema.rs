//! Schema introspection on both databases, for the schema and isolation tests.

use std::sync::LazyLock;

use radhus_kernel::ids::TenantId;
use radhus_platform::db::{Tx, placement};

/// Tables that belong to no municipality (reference or coordinator tables in a Citus
/// deployment, and a citizen's own settings): `radhus_platform::db::placement`.
pub static NOT_TENANT_OWNED: LazyLock<Vec<&'static str>> = LazyLock::new(|| placement::not_tenant_owned().collect());

/// Read models of one citizen across municipalities (ADR 0021): their rows carry a
/// `tenant_id` (and the municipality's transactions see only their own, by row-level security)
/// but the key leads with `citizen_index`, by which a Citus deployment distributes them so
/// that a citizen's page reads one shard.
pub static CITIZEN_KEYED: LazyLock<Vec<&'static str>> = LazyLock::new(|| placement::citizen_keyed().collect());

/// One table as the database describes it.
pub struct TableInfo {
    pub name: String,
    pub pk: Vec<String>,
    pub columns: Vec<String>,
    /// (columns, referenced table)
    pub fks: Vec<(Vec<String>, String)>,
}

/// Every table of the current database (or PostgreSQL schema).
pub async fn tables(tx: &mut Tx) -> Vec<TableInfo> {
    let mut out = vec![];
    match tx {
        Tx::Sqlite(t) => {
            let tx = &mut **t;
            // FTS5 virtual tables and their shadow tables are a derived search index, not data.
            let virtual_tables: Vec<String> =
                sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")
                    .fetch_all(&mut *tx)
                    .await
                    .expect("virtual tables");
            let names: Vec<(String,)> =
                sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
                    .fetch_all(&mut *tx)
                    .await
                    .expect("tables");
            let names: Vec<(String,)> =
                names.into_iter().filter(|(n,)| !virtual_tables.iter().any(|v| n == v || n.starts_with(&format!("{v}_")))).collect();
            for (name,) in names {
                let cols: Vec<(String, i64)> =
                    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT name, pk FROM pragma_table_info('{name}') ORDER BY cid")))
                        .fetch_all(&mut *tx)
                        .await
                        .expect("cols");
                let mut pk: Vec<(i64, String)> = cols.iter().filter(|(_, p)| *p > 0).map(|(n, p)| (*p, n.clone())).collect();
                pk.sort();
                let fk_rows: Vec<(i64, i64, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT id, seq, \"table\", \"from\" FROM pragma_foreign_key_list('{name}') ORDER BY id, seq"
                )))
                .fetch_all(&mut *tx)
                .await
                .expect("fks");
                let mut fks: Vec<(Vec<String>, String)> = vec![];
                for (id, _, table, from) in fk_rows {
                    match fks.get_mut(usize::try_from(id).expect("id")) {
                        Some(f) => f.0.push(from),
                        None => fks.push((vec![from], table)),
                    }
                }
                out.push(TableInfo {
                    name,
                    pk: pk.into_iter().map(|(_, n)| n).collect(),
                    columns: cols.into_iter().map(|(n, _)| n).collect(),
                    fks,
                });
            }
        }
        Tx::Pg(t) => {
            let tx = &mut **t;
            let names: Vec<(String,)> =
                sqlx::query_as("SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
                    .fetch_all(&mut *tx)
                    .await
                    .expect("tables");
            for (name,) in names {
                let cols: Vec<(String,)> = sqlx::query_as("SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position").bind(&name).fetch_all(&mut *tx).await.expect("cols");
                let cons: Vec<(String, String, Vec<String>)> = sqlx::query_as(
                    "SELECT con.contype::text, COALESCE(ref.relname::text, ''), \
                            ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i) \
                     FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid LEFT JOIN pg_class ref ON ref.oid = con.confrelid \
                     WHERE rel.relname = $1 AND rel.relnamespace = current_schema()::regnamespace AND con.contype IN ('p', 'f')")
                    .bind(&name).fetch_all(&mut *tx).await.expect("constraints");
                let pk = cons.iter().find(|(t, _, _)| t == "p").map(|(_, _, cols)| cols.clone()).unwrap_or_default();
                let fks = cons.into_iter().filter(|(t, _, _)| t == "f").map(|(_, r, cols)| (cols, r)).collect();
                out.push(TableInfo { name, pk, columns: cols.into_iter().map(|(n,)| n).collect(), fks });
            }
        }
    }
    out
}

/// The tenant-owned tables.
pub async fn tenant_tables(tx: &mut Tx) -> Vec<TableInfo> {
    tables(tx).await.into_iter().filter(|t| !NOT_TENANT_OWNED.contains(&t.name.as_str())).collect()
}

/// A text rendering of every row a tenant owns, table by table, to compare before and after.
pub async fn snapshot(tx: &mut Tx, tenant: TenantId) -> Vec<(String, String)> {
    let mut out = vec![];
    for t in tenant_tables(tx).await {
        let text: Option<String> = match tx {
            Tx::Sqlite(c) => {
                let cols = t.columns.iter().map(|c| format!("quote(\"{c}\")")).collect::<Vec<_>>().join(" || ',' || ");
                let sql =
                    format!("SELECT group_concat(r, '|') FROM (SELECT {cols} AS r FROM \"{}\" WHERE tenant_id = $1 ORDER BY 1)", t.name);
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(tenant.0).fetch_one(&mut **c).await.expect("snapshot")
            }
            Tx::Pg(c) => {
                let sql =
                    format!("SELECT string_agg(r, '|' ORDER BY r) FROM (SELECT t::text AS r FROM \"{}\" t WHERE tenant_id = $1) s", t.name);
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(tenant.0).fetch_one(&mut **c).await.expect("snapshot")
            }
        };
        out.push((t.name, text.unwrap_or_default()));
    }
    out
}

/// Up to `per_table` ids of the tenant's rows from every tenant-owned table with an `id` column.
pub async fn ids(tx: &mut Tx, tenant: TenantId, per_table: i64) -> Vec<(String, uuid::Uuid)> {
    let mut out = vec![];
    for t in tenant_tables(tx).await {
        if !t.columns.iter().any(|c| c == "id") {
            continue;
        }
        let sql = format!("SELECT id FROM \"{}\" WHERE tenant_id = $1 ORDER BY id LIMIT $2", t.name);
        let rows: Vec<uuid::Uuid> = match tx {
            Tx::Sqlite(c) => {
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(tenant.0).bind(per_table).fetch_all(&mut **c).await.expect("ids")
            }
            Tx::Pg(c) => {
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(tenant.0).bind(per_table).fetch_all(&mut **c).await.expect("ids")
            }
        };
        out.extend(rows.into_iter().map(|id| (t.name.clone(), id)));
    }
    out
}
