//! Row-level security on every table that carries a `tenant_id` (PostgreSQL; SQLite has none,
//! there the queries' own `tenant_id` filters are what the isolation walk tests). Two checks:
//! the catalogue (`pg_class.relrowsecurity`, `relforcerowsecurity`, `pg_policies`) says every
//! such table is enabled, forced and guarded by exactly the policy the migrations' RLS loop
//! creates; and a transaction of the application's role that sets no municipality reads no row
//! of any of them. Each check is also run against deliberately broken schemas (in a transaction
//! that is rolled back) to show it fails.

use radhus_platform::changes::{self, Change};
use radhus_platform::db::placement::{self, Rows};
use radhus_platform::db::{Db, Scope};
use radhus_platform::identity::org::UnitKind;
use radhus_testkit::TestApp;
use radhus_testkit::schema::CITIZEN_KEYED;
use sqlx::PgConnection;

/// Which tables have no `tenant_id` (they belong to no municipality) and which carry one without
/// row-level security (read before a municipality's scope exists) is `db::placement`'s `Rows`,
/// with the reason there: a new table without `tenant_id` fails this test until it is listed.
fn listed_as(name: &str, rows: Rows) -> bool {
    placement::with_rows(rows).any(|l| l.table == name)
}

/// Policies beside the tenant policy, each only for reading, with what it lets a citizen's
/// transaction see. Any other policy (permissive policies are OR-ed) fails the test.
const EXTRA_POLICIES: &[(&str, &str, &str)] = &[
    ("es_draft", "citizen_own", "a citizen reads their own drafts in every municipality"),
    ("es_revision", "citizen_draft_revision", "a citizen reads the revisions their drafts are pinned to"),
    ("my_phase_text", "citizen_reads", "a citizen reads the municipalities' phase texts, public words"),
];

/// The tenant policy of the migrations' RLS loop, as PostgreSQL prints it back.
const TENANT_ISOLATION: &str = "((current_setting('radhus.tenant_id'::text, true) = '*'::text) OR ((tenant_id)::text = current_setting('radhus.tenant_id'::text, true)))";

/// The policy of the citizen-keyed read models (ADR 0021): the tenant policy, or the citizen's own rows.
const TENANT_OR_CITIZEN: &str = "((current_setting('radhus.tenant_id'::text, true) = '*'::text) OR ((tenant_id)::text = current_setting('radhus.tenant_id'::text, true)) OR ((citizen_index <> ''::text) AND (citizen_index = current_setting('radhus.citizen'::text, true))))";

/// A row of `pg_policies`: table, policy, command, permissive, roles, `USING`, `WITH CHECK`.
type Policy = (String, String, String, String, Vec<String>, Option<String>, Option<String>);

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every table of the current schema with whether it has `tenant_id`, RLS enabled and forced.
async fn catalogue(c: &mut PgConnection) -> Vec<(String, bool, bool, bool)> {
    sqlx::query_as(
        "SELECT c.relname::text, \
                EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped), \
                c.relrowsecurity, c.relforcerowsecurity \
         FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') ORDER BY 1",
    )
    .fetch_all(c)
    .await
    .expect("catalogue")
}

/// What is wrong with row-level security in the current schema, one line per finding.
async fn rls_findings(c: &mut PgConnection) -> Vec<String> {
    let mut out = vec![];
    let tables = catalogue(&mut *c).await;
    let policies: Vec<Policy> = sqlx::query_as(
        "SELECT tablename::text, policyname::text, cmd, permissive, roles::text[], qual, with_check \
         FROM pg_policies WHERE schemaname = current_schema() ORDER BY 1, 2",
    )
    .fetch_all(&mut *c)
    .await
    .expect("policies");
    for (name, has_tenant, enabled, forced) in &tables {
        if !has_tenant {
            if !listed_as(name, Rows::Platform) {
                out.push(format!("{name}: no tenant_id and not listed in db::placement as holding no municipality's rows"));
            }
            continue;
        }
        if listed_as(name, Rows::TenantColumnWithoutRls) {
            continue;
        }
        if !enabled {
            out.push(format!("{name}: row-level security not enabled"));
        }
        if !forced {
            out.push(format!("{name}: row-level security not forced (the owner, the application's role, bypasses it)"));
        }
        let (want_name, want_qual) = if CITIZEN_KEYED.contains(&name.as_str()) {
            ("tenant_or_citizen", TENANT_OR_CITIZEN)
        } else {
            ("tenant_isolation", TENANT_ISOLATION)
        };
        let mine: Vec<_> = policies.iter().filter(|p| &p.0 == name).collect();
        match mine.iter().find(|p| p.1 == want_name) {
            None => out.push(format!("{name}: no {want_name} policy")),
            Some((_, _, cmd, permissive, roles, qual, with_check)) => {
                if cmd != "ALL" || permissive != "PERMISSIVE" || roles != &["public".to_string()] || with_check.is_some() {
                    out.push(format!("{name}: {want_name} is {cmd} {permissive} for {roles:?} with check {with_check:?}"));
                }
                if squash(qual.as_deref().unwrap_or("")) != squash(want_qual) {
                    out.push(format!("{name}: {want_name} is USING {qual:?}"));
                }
            }
        }
        for p in mine.iter().filter(|p| p.1 != want_name) {
            let allowed = EXTRA_POLICIES.iter().any(|(t, n, _)| *t == name && *n == p.1);
            if !allowed || p.2 != "SELECT" {
                out.push(format!("{name}: unexpected policy {} ({} USING {:?})", p.1, p.2, p.5));
            }
        }
    }
    for t in placement::with_rows(Rows::Platform).chain(placement::with_rows(Rows::TenantColumnWithoutRls)).map(|l| l.table) {
        if !tables.iter().any(|(n, ..)| n == t) {
            out.push(format!("{t}: listed here but no such table"));
        }
    }
    out
}

/// The row-level secured tables (every table with `tenant_id` but the listed exceptions) and
/// how many rows each shows to `c`'s transaction as it is.
async fn visible_rows(c: &mut PgConnection) -> Vec<(String, i64)> {
    let mut out = vec![];
    for (name, has_tenant, ..) in catalogue(&mut *c).await {
        if !has_tenant || listed_as(&name, Rows::TenantColumnWithoutRls) {
            continue;
        }
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM \"{name}\""))).fetch_one(&mut *c).await.expect("count");
        out.push((name, n));
    }
    out
}

fn pool(db: &Db) -> Option<sqlx::PgPool> {
    let Db::Pg(pool) = db else { return None };
    Some(pool.clone())
}

/// A transaction of the application's role (no superuser, no `BYPASSRLS`) that sets no
/// municipality: neither `radhus.tenant_id` nor `radhus.citizen` is set in it.
async fn unscoped(pool: &sqlx::PgPool) -> sqlx::Transaction<'static, sqlx::Postgres> {
    let mut tx = pool.begin().await.expect("tx");
    let (bypass, tenant, citizen): (bool, Option<String>, Option<String>) = sqlx::query_as(
        "SELECT rolsuper OR rolbypassrls, current_setting('radhus.tenant_id', true), current_setting('radhus.citizen', true) \
         FROM pg_roles WHERE rolname = current_user",
    )
    .fetch_one(&mut *tx)
    .await
    .expect("role");
    assert!(!bypass, "the test role bypasses row-level security; use a non-superuser role (docs/TESTING.md)");
    assert!(tenant.unwrap_or_default().is_empty() && citizen.unwrap_or_default().is_empty(), "no scope is set");
    tx
}

/// Runs `ddl` one statement at a time: on a Citus cluster DDL on a distributed table must come
/// alone in its query string (see `db::placement::statements`).
async fn break_schema(c: &mut PgConnection, ddl: &str) {
    for statement in placement::statements(ddl) {
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement.to_string())).execute(&mut *c).await.expect("break the schema");
    }
}

#[tokio::test]
async fn every_table_with_a_tenant_id_has_forced_row_level_security_and_the_tenant_policy() {
    let app = TestApp::new().await;
    let Some(pool) = pool(&app.db) else {
        // SQLite has no row-level security.
        return;
    };
    let mut tx = unscoped(&pool).await;
    let findings = rls_findings(&mut tx).await;
    assert!(findings.is_empty(), "row-level security is missing or wrong:\n{}", findings.join("\n"));
    let secured = visible_rows(&mut tx).await.len();
    assert!(secured >= 100, "only {secured} tables checked");
    tx.rollback().await.expect("rollback");

    // The check fails on broken schemas (each in a transaction rolled back: DDL is
    // transactional in PostgreSQL, and the test's own schema is its role's).
    let breaks: &[(&str, &str)] = &[
        ("ALTER TABLE org_unit NO FORCE ROW LEVEL SECURITY", "org_unit: row-level security not forced"),
        ("ALTER TABLE record DISABLE ROW LEVEL SECURITY", "record: row-level security not enabled"),
        ("DROP POLICY tenant_isolation ON watch", "watch: no tenant_isolation policy"),
        (
            "DROP POLICY tenant_isolation ON app_user; CREATE POLICY tenant_isolation ON app_user USING (tenant_id IS NOT NULL)",
            "app_user: tenant_isolation is USING",
        ),
        (
            "DROP POLICY tenant_or_citizen ON my_case; CREATE POLICY tenant_isolation ON my_case USING (current_setting('radhus.tenant_id', true) = '*' OR tenant_id::text = current_setting('radhus.tenant_id', true))",
            "my_case: no tenant_or_citizen policy",
        ),
        ("CREATE POLICY peek ON case_file FOR SELECT USING (true)", "case_file: unexpected policy peek"),
        (
            "CREATE TABLE new_register (tenant_id UUID NOT NULL, id UUID NOT NULL, PRIMARY KEY (tenant_id, id))",
            "new_register: row-level security not enabled",
        ),
        (
            "CREATE TABLE new_reference (id UUID PRIMARY KEY)",
            "new_reference: no tenant_id and not listed in db::placement as holding no municipality's rows",
        ),
    ];
    for (ddl, expected) in breaks {
        let mut tx = unscoped(&pool).await;
        break_schema(&mut tx, ddl).await;
        let findings = rls_findings(&mut tx).await;
        tx.rollback().await.expect("rollback");
        assert!(findings.iter().any(|f| f.starts_with(expected)), "{ddl}: expected {expected:?}, found {findings:?}");
    }
}

#[tokio::test]
async fn a_transaction_without_a_municipality_reads_no_row_of_any_secured_table() {
    let app = TestApp::new().await;
    let Some(pool) = pool(&app.db) else {
        // SQLite has no row-level security.
        return;
    };
    // Rows in a few tables of two municipalities: users, roles and their assignments, units,
    // the audit chain (logins and a failed one), a welcome mail in the outbox, a template of
    // the municipality's own, the change log.
    for (slug, code) in [("alfa", "9901"), ("beta", "9902")] {
        let (t, email) = app.tenant_with_admin(slug, slug, code).await;
        app.unit(t, "Förvaltningen", UnitKind::Forvaltning, None).await;
        app.user(t, &format!("handlaggare@{slug}.se"), "Handläggare", None, None).await;
        let mut c = app.login(slug, &email).await;
        assert_eq!(c.get("/admin").await.status, 200);
        let r = app.client(&format!("{slug}.localhost")).post_form("/logga-in", &[("email", &email), ("password", "fel")]).await;
        assert_eq!(r.status, 401, "a wrong password is refused (and logged)");
        let form = [
            ("name", "Ny Handläggare"),
            ("email", "ny@example.se"),
            ("org_unit_id", ""),
            ("password", "ett långt lösenord"),
            ("password_repeat", "ett långt lösenord"),
        ];
        assert_eq!(c.post_form("/admin/anvandare", &form).await.status, 303, "a new user, with a welcome mail");
        let r = c.post_form("/admin/mallar/platform.account-created/sv", &[("subject", "Välkommen"), ("body", "Hej och välkommen")]).await;
        assert_eq!(r.status, 303, "the municipality's own template: {}", r.body);
        let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
        let change = Change { stream: "test", kind: "test.seeded", object_id: uuid::Uuid::now_v7(), data: serde_json::json!({}) };
        changes::record(&mut tx, t, &change, app.now()).await.expect("change");
        tx.commit().await.expect("commit");
    }
    let mut all = app.db.read(Scope::System).await.expect("tx");
    let radhus_platform::db::Tx::Pg(sys) = &mut all else { unreachable!("PostgreSQL") };
    let seeded: Vec<String> = visible_rows(&mut *sys).await.into_iter().filter(|(_, n)| *n > 0).map(|(t, _)| t).collect();
    all.commit().await.expect("commit");
    for t in [
        "org_unit",
        "app_user",
        "role",
        "role_assignment",
        "audit_event",
        "audit_head",
        "outbox",
        "notification_template",
        "change_head",
        "change_event",
    ] {
        assert!(seeded.iter().any(|s| s == t), "the seed wrote no row of {t}: {seeded:?}");
    }

    let mut tx = unscoped(&pool).await;
    let seen: Vec<(String, i64)> = visible_rows(&mut tx).await.into_iter().filter(|(_, n)| *n > 0).collect();
    assert!(seen.is_empty(), "a transaction without a municipality reads rows of {seen:?}");
    tx.rollback().await.expect("rollback");

    // The check fails when a table lets rows through: without FORCE the owner (the
    // application's role) reads every row, and a permissive extra policy is OR-ed in.
    for (ddl, table) in [
        ("ALTER TABLE org_unit NO FORCE ROW LEVEL SECURITY", "org_unit"),
        ("ALTER TABLE audit_event DISABLE ROW LEVEL SECURITY", "audit_event"),
        ("CREATE POLICY peek ON outbox FOR SELECT USING (true)", "outbox"),
    ] {
        let mut tx = unscoped(&pool).await;
        break_schema(&mut tx, ddl).await;
        let seen: Vec<String> = visible_rows(&mut tx).await.into_iter().filter(|(_, n)| *n > 0).map(|(t, _)| t).collect();
        tx.rollback().await.expect("rollback");
        assert_eq!(seen, vec![table.to_string()], "{ddl}");
    }
}
