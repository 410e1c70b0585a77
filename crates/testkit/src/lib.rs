//! Test support for every crate: [`TestApp`] (the whole application in-process with a
//! fresh database per test), a browser-like [`Client`] with cookies and CSRF handling,
//! a real SMTP server and an HTTP SMS gateway to deliver to, and a fixed clock.

pub mod client;
pub mod layers;
pub mod oidc;
pub mod schema;
pub mod servers;

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use axum::Router;
use radhus_kernel::FixedClock;
use radhus_kernel::ids::{OrgUnitId, RoleId, TenantId, UserId};
use radhus_platform::config::{Config, Mode};
use radhus_platform::db::{Db, Scope};
use radhus_platform::identity::citizen::FixtureRegister;
use radhus_platform::identity::org::{self, UnitKind, ValidUnit};
use radhus_platform::identity::users::{self, ValidUser};
use radhus_platform::identity::{password, roles};
use radhus_platform::tenancy::{self, TenantInput};
use radhus_platform::web::AppState;
use radhus_platform::{Deps, Module};
use time::OffsetDateTime;
use time::macros::datetime;

pub use client::Client;

/// The password of every account the test helpers create.
pub const PASSWORD: &str = "testlösenord-123";

/// Where the tests start in time.
pub const START: OffsetDateTime = datetime!(2026-11-23 09:00 UTC);

/// The application with its own fresh database.
pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub db: Db,
    pub clock: FixedClock,
    sqlite_file: Option<PathBuf>,
    password_hash: String,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(f) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", f.display()));
            }
        }
    }
}

/// The configuration tests run with: test mode, `localhost` as the platform host.
pub fn test_config() -> Config {
    Config {
        mode: Mode::Test,
        platform_hosts: vec!["localhost".into()],
        public_url: "http://localhost".into(),
        login_attempts_per_minute: 1000,
        ..Config::default()
    }
}

/// The key file every test runs with (ADR 0018): the blind-index key, the encryption keys
/// `test1` and `test2` (active). Public, fixed test keys: never use them anywhere else.
pub const TEST_PII_KEYS: &str = "index=ERERERERERERERERERERERERERERERERERERERERERE=\n\
                                 active=test2\n\
                                 test1=IiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiI=\n\
                                 test2=MzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzM=\n";

/// The keyring of [`TEST_PII_KEYS`].
pub fn test_keyring() -> radhus_platform::pii::Keyring {
    radhus_platform::pii::Keyring::parse(TEST_PII_KEYS).expect("the test key file parses")
}

/// Installs [`test_keyring`] as the process's keyring (idempotent); [`fresh_db`] does it.
pub fn install_test_keys() {
    radhus_platform::pii::install(test_keyring()).expect("the test keyring is the only keyring tests install");
}

static SWEPT: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();

/// This machine, as eight hex digits in the test schemas' names (`t_<host>_<pid>_<uuid>`).
fn host_tag() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    // FNV-1a: stable across runs and builds, unlike the standard library's hasher.
    let hash = host.trim().bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    format!("{hash:08x}")
}

/// Whether the test schema `name` belongs to no running test process: made on this machine
/// by a process that has ended, or in the old form without host and process (before
/// 2026-12-07). Another machine's schemas are left alone.
fn abandoned(name: &str, host: &str) -> bool {
    let parts: Vec<&str> = name.split('_').collect();
    match parts[..] {
        ["t", old] => old.len() == 32 && old.bytes().all(|b| b.is_ascii_hexdigit()),
        ["t", h, pid, _] => h == host && pid.parse::<u32>().is_ok_and(|p| !std::path::Path::new(&format!("/proc/{p}")).exists()),
        _ => false,
    }
}

/// Drops the test schemas that no running test process uses (issue 14 item 7: tests on
/// PostgreSQL remove the schemas they create — those of a finished run go with the next run's
/// first database), once per process. A failure is only reported: a schema another process
/// is dropping at the same moment is no reason to fail a test.
async fn sweep(admin: &sqlx::PgPool) {
    let host = host_tag();
    let names: Vec<String> =
        match sqlx::query_scalar("SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 't\\_%'").fetch_all(admin).await {
            Ok(n) => n,
            Err(e) => return eprintln!("test schemas not swept: {e}"),
        };
    for name in names.into_iter().filter(|n| abandoned(n, &host)) {
        if let Err(e) = sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA IF EXISTS {name} CASCADE"))).execute(admin).await {
            eprintln!("test schema {name} not dropped: {e}");
        }
    }
}

/// A fresh database: SQLite in a temporary file, or a new schema on the PostgreSQL server
/// named by `RADHUS_TEST_DATABASE_URL`. Installs the test keyring for personal identity numbers.
pub async fn fresh_db() -> anyhow::Result<(Db, Option<PathBuf>)> {
    install_test_keys();
    match std::env::var("RADHUS_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let schema = format!("t_{}_{}_{}", host_tag(), std::process::id(), uuid::Uuid::new_v4().simple());
            let admin = sqlx::PgPool::connect(&url).await?;
            SWEPT.get_or_init(|| sweep(&admin)).await;
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}"))).execute(&admin).await?;
            admin.close().await;
            let opts = sqlx::postgres::PgConnectOptions::from_str(&url)?.options([("search_path", schema.as_str())]);
            let db = Db::connect_pg(opts).await?;
            db.migrate().await?;
            Ok((db, None))
        }
        _ => {
            let file = std::env::temp_dir().join(format!("radhus-test-{}.db", uuid::Uuid::new_v4().simple()));
            let db = Db::connect(&format!("sqlite:{}", file.display())).await?;
            Ok((db, Some(file)))
        }
    }
}

/// Connects to a test database found by [`TestApp::locator`], from another process (the
/// crash tests start a child process, kill it with SIGKILL and start another).
pub async fn connect_located(locator: &str) -> anyhow::Result<Db> {
    install_test_keys();
    match locator.strip_prefix("pg-schema:") {
        Some(schema) => {
            let url = std::env::var("RADHUS_TEST_DATABASE_URL")?;
            let opts = sqlx::postgres::PgConnectOptions::from_str(&url)?.options([("search_path", schema)]);
            Db::connect_pg(opts).await
        }
        None => Db::connect(locator).await,
    }
}

impl TestApp {
    /// Where another process finds this test's database (see [`connect_located`]).
    pub async fn locator(&self) -> String {
        match (&self.db, &self.sqlite_file) {
            (Db::Sqlite(_), Some(file)) => format!("sqlite:{}", file.display()),
            _ => {
                let mut tx = self.db.read(Scope::Platform).await.expect("tx");
                let (schema,): (String,) =
                    radhus_platform::on_tx!(&mut tx, c => sqlx::query_as("SELECT current_schema()").fetch_one(c).await.expect("schema"));
                tx.commit().await.expect("commit");
                format!("pg-schema:{schema}")
            }
        }
    }

    /// The platform alone.
    pub async fn new() -> Self {
        Self::with_modules(|cfg| vec![radhus_platform::platform_module(cfg)], |_| {}).await
    }

    /// The given modules, with a hook to change the configuration.
    pub async fn with_modules(modules: impl FnOnce(&Config) -> Vec<Module>, configure: impl FnOnce(&mut Config)) -> Self {
        let (db, sqlite_file) = fresh_db().await.expect("test database");
        let mut config = test_config();
        configure(&mut config);
        let clock = FixedClock::new(START);
        let deps = Deps {
            db: db.clone(),
            config: config.clone(),
            clock: Arc::new(clock.clone()),
            register: Arc::new(FixtureRegister::new()),
            metrics: None,
        };
        let (router, state) = radhus_platform::build_app(deps, modules(&config)).expect("build app");
        let password_hash = password::hash(PASSWORD).await.expect("hash");
        TestApp { router, state, db, clock, sqlite_file, password_hash }
    }

    pub fn now(&self) -> OffsetDateTime {
        radhus_kernel::Clock::now(&self.clock)
    }

    /// A browser-like client on a host (`localhost` is the platform host).
    pub fn client(&self, host: &str) -> Client {
        Client::new(self.router.clone(), host)
    }

    /// Creates a municipality on `<slug>.localhost`.
    pub async fn tenant(&self, slug: &str, name: &str, kommunkod: &str) -> TenantId {
        let v = TenantInput {
            kommunkod: kommunkod.into(),
            name: name.into(),
            slug: slug.into(),
            primary_color: "#005a9c".into(),
            hosts: format!("{slug}.localhost"),
            ..Default::default()
        }
        .validate()
        .expect("valid tenant");
        let mut tx = self.db.write(Scope::Platform).await.expect("tx");
        let id = tenancy::create(&mut tx, &v, self.now()).await.expect("create tenant");
        tx.commit().await.expect("commit");
        id
    }

    pub async fn unit(&self, tenant: TenantId, name: &str, kind: UnitKind, parent: Option<OrgUnitId>) -> OrgUnitId {
        let mut tx = self.db.write(Scope::Tenant(tenant)).await.expect("tx");
        let id = org::create(&mut tx, tenant, &ValidUnit { name: name.into(), kind, code: String::new(), parent }, self.now())
            .await
            .expect("unit");
        tx.commit().await.expect("commit");
        id
    }

    pub async fn role(&self, tenant: TenantId, name: &str, permissions: &[&str]) -> RoleId {
        let perms: Vec<String> = permissions.iter().map(|p| p.to_string()).collect();
        let mut tx = self.db.write(Scope::Tenant(tenant)).await.expect("tx");
        let id = roles::create(&mut tx, tenant, name, "", &perms, self.now()).await.expect("role");
        tx.commit().await.expect("commit");
        id
    }

    /// A staff user with [`PASSWORD`], holding `role` on `scope` (None: whole municipality).
    pub async fn user(
        &self,
        tenant: TenantId,
        email: &str,
        name: &str,
        unit: Option<OrgUnitId>,
        role: Option<(RoleId, Option<OrgUnitId>)>,
    ) -> UserId {
        let mut tx = self.db.write(Scope::Tenant(tenant)).await.expect("tx");
        let v = ValidUser { email: email.into(), name: name.into(), org_unit: unit, active: true };
        let id = users::create(&mut tx, tenant, &v, &self.password_hash, self.now()).await.expect("user");
        if let Some((r, scope)) = role {
            roles::assign(&mut tx, tenant, id, r, scope, self.now()).await.expect("assign");
        }
        tx.commit().await.expect("commit");
        id
    }

    /// A municipality with an administrator holding every registered permission.
    pub async fn tenant_with_admin(&self, slug: &str, name: &str, kommunkod: &str) -> (TenantId, String) {
        let t = self.tenant(slug, name, kommunkod).await;
        let all: Vec<&str> = self.state.permissions.iter().map(|p| p.key).collect();
        let r = self.role(t, "Administratör", &all).await;
        let email = format!("admin@{slug}.se");
        self.user(t, &email, &format!("Admin {name}"), None, Some((r, None))).await;
        (t, email)
    }

    /// A staff user as the use cases take it (with the grants of their roles), read through
    /// the platform's own functions: for calling a module's use cases directly in a test.
    pub async fn staff(&self, tenant: TenantId, email: &str) -> radhus_platform::identity::session::StaffUser {
        let mut tx = self.db.read(Scope::Tenant(tenant)).await.expect("tx");
        let (list, _) = users::list(&mut tx, tenant, None, 10_000, 0).await.expect("users");
        let id = list.into_iter().find(|u| u.email == email).unwrap_or_else(|| panic!("no user {email}")).id;
        let staff = users::staff_user(&mut tx, tenant, radhus_kernel::ids::UserId(id)).await.expect("staff").expect("active user");
        tx.commit().await.expect("commit");
        staff
    }

    /// A client on the municipality's host, logged in as `email`.
    pub async fn login(&self, slug: &str, email: &str) -> Client {
        let mut c = self.client(&format!("{slug}.localhost"));
        let r = c.post_form("/logga-in", &[("email", email), ("password", PASSWORD), ("next", "/admin")]).await;
        assert_eq!(r.status, 303, "login of {email} failed: {}", r.body);
        c
    }

    pub async fn operator(&self, email: &str) -> Client {
        let mut tx = self.db.write(Scope::Platform).await.expect("tx");
        radhus_platform::identity::operators::create(&mut tx, email, "Operatör", &self.password_hash, self.now()).await.expect("operator");
        tx.commit().await.expect("commit");
        let mut c = self.client("localhost");
        let r = c.post_form("/logga-in", &[("email", email), ("password", PASSWORD)]).await;
        assert_eq!(r.status, 303, "operator login failed: {}", r.body);
        c
    }
}

#[cfg(test)]
mod sweep_tests {
    use super::{abandoned, host_tag};

    #[test]
    fn only_schemas_of_ended_processes_on_this_machine_are_abandoned() {
        let host = host_tag();
        let uuid = "0123456789abcdef0123456789abcdef";
        assert!(!abandoned(&format!("t_{host}_{}_{uuid}", std::process::id()), &host), "this process is running");
        assert!(abandoned(&format!("t_{host}_4294967295_{uuid}"), &host), "no such process");
        assert!(!abandoned(&format!("t_0badc0de_4294967295_{uuid}"), &host), "another machine's");
        assert!(abandoned(&format!("t_{uuid}"), &host), "the old form");
        assert!(!abandoned("t_settings", &host));
        assert!(!abandoned("public", &host));
        assert!(!abandoned("bench_diarium", &host));
    }
}
