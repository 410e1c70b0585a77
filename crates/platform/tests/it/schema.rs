//! The schema stays Citus-ready, both migration sets stay in step, and PostgreSQL's
//! row-level security keeps tenants apart.

use radhus_platform::db::{Db, Scope};
use radhus_platform::identity::org::UnitKind;
use radhus_platform::on_tx;
use radhus_testkit::TestApp;
use radhus_testkit::schema::{CITIZEN_KEYED, NOT_TENANT_OWNED, TableInfo, tables};

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

#[tokio::test]
async fn every_tenant_owned_table_leads_with_tenant_id() {
    let app = TestApp::new().await;
    let mut tx = app.db.read(Scope::System).await.expect("tx");
    let all = tables(&mut tx).await;
    assert!(all.len() >= 10, "found only {} tables", all.len());
    let owned: Vec<&TableInfo> = all.iter().filter(|t| !NOT_TENANT_OWNED.contains(&t.name.as_str())).collect();
    for t in &owned {
        assert!(t.columns.iter().any(|c| c == "tenant_id"), "{} has no tenant_id (or belongs in NOT_TENANT_OWNED)", t.name);
        let lead = if CITIZEN_KEYED.contains(&t.name.as_str()) { "citizen_index" } else { "tenant_id" };
        assert_eq!(t.pk.first().map(String::as_str), Some(lead), "{}: primary key {:?} must start with {lead}", t.name, t.pk);
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
