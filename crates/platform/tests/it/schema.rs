//! The schema stays Citus-ready, both migration sets stay in step, and PostgreSQL's
//! row-level security keeps tenants apart.

use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::identity::org::UnitKind;
use radhus_platform::on_tx;
use radhus_testkit::TestApp;

/// Tables that belong to no municipality (reference tables in a Citus deployment) or
/// whose tenant column is not a foreign key by design.
const NOT_TENANT_OWNED: &[&str] = &["tenant", "tenant_host", "operator", "session", "oidc_flow", "_sqlx_migrations"];

fn migration_names(dir: &str) -> Vec<String> {
    let path = format!("{}/../../migrations/{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> =
        std::fs::read_dir(path).expect("migrations dir").map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn both_backends_have_the_same_migrations() {
    let sqlite = migration_names("sqlite");
    let pg = migration_names("postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, pg, "every migration needs a twin for the other database");
}

struct TableInfo {
    name: String,
    pk: Vec<String>,
    columns: Vec<String>,
    /// (columns, referenced table)
    fks: Vec<(Vec<String>, String)>,
}

async fn tables(tx: &mut Tx) -> Vec<TableInfo> {
    let mut out = vec![];
    match tx {
        Tx::Sqlite(t) => {
            let tx = &mut **t;
            let names: Vec<(String,)> =
                sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
                    .fetch_all(&mut *tx)
                    .await
                    .expect("tables");
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

#[tokio::test]
async fn every_tenant_owned_table_leads_with_tenant_id() {
    let app = TestApp::new().await;
    let mut tx = app.db.read(Scope::System).await.expect("tx");
    let all = tables(&mut tx).await;
    assert!(all.len() >= 10, "found only {} tables", all.len());
    let owned: Vec<&TableInfo> = all.iter().filter(|t| !NOT_TENANT_OWNED.contains(&t.name.as_str())).collect();
    for t in &owned {
        assert!(t.columns.iter().any(|c| c == "tenant_id"), "{} has no tenant_id (or belongs in NOT_TENANT_OWNED)", t.name);
        assert_eq!(t.pk.first().map(String::as_str), Some("tenant_id"), "{}: primary key {:?} must start with tenant_id", t.name, t.pk);
        for (cols, referenced) in &t.fks {
            let target_owned = !NOT_TENANT_OWNED.contains(&referenced.as_str());
            if target_owned {
                assert_eq!(
                    cols.first().map(String::as_str),
                    Some("tenant_id"),
                    "{}: foreign key {cols:?} to {referenced} must start with tenant_id",
                    t.name
                );
            }
        }
    }
}

async fn rls_is_enforced(db: &Db) -> bool {
    let Db::Pg(pool) = db else { return false };
    let (bypass,): (bool,) =
        sqlx::query_as("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user").fetch_one(pool).await.expect("role");
    assert!(!bypass, "the test role bypasses row-level security; use a non-superuser role (docs/TESTING.md)");
    true
}

#[tokio::test]
async fn postgres_row_level_security_separates_tenants() {
    let app = TestApp::new().await;
    if !rls_is_enforced(&app.db).await {
        // SQLite has no row-level security; tenant filtering there is the queries' own.
        return;
    }
    let a = app.tenant("alfa", "Alfa", "9901").await;
    let b = app.tenant("beta", "Beta", "9902").await;
    app.unit(a, "Alfas förvaltning", UnitKind::Forvaltning, None).await;
    app.unit(b, "Betas förvaltning", UnitKind::Forvaltning, None).await;
    let count = |scope| {
        let db = app.db.clone();
        async move {
            let mut tx = db.read(scope).await.expect("tx");
            let (n,): (i64,) = on_tx!(&mut tx, c => sqlx::query_as("SELECT COUNT(*) FROM org_unit").fetch_one(c).await.expect("count"));
            n
        }
    };
    assert_eq!(count(Scope::Tenant(a)).await, 1, "a transaction of Alfa sees only Alfa's rows");
    assert_eq!(count(Scope::Tenant(b)).await, 1);
    assert_eq!(count(Scope::Platform).await, 0, "no tenant set: no tenant rows");
    assert_eq!(count(Scope::System).await, 2);
    // Writing a row of another tenant is refused too.
    let mut tx = app.db.write(Scope::Tenant(a)).await.expect("tx");
    let res = on_tx!(&mut tx, c => sqlx::query("INSERT INTO org_unit (tenant_id, id, parent_id, kind, name, code, created_at) VALUES ($1, $2, NULL, 'forvaltning', 'x', '', $3)")
        .bind(b.0).bind(uuid::Uuid::now_v7()).bind(app.now()).execute(c).await.map(|r| r.rows_affected()));
    assert!(res.is_err(), "RLS must refuse a row of another tenant");
}
