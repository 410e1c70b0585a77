//! Protected personal identity numbers (issue 10 item 5, ADR 0018): sealed columns, the blind
//! index, key rotation, the sealing of numbers a migration left in plain text, the key file
//! of `serve` and `demo`, and the dump scan: a copy of the demo's database holds no number.

use std::collections::BTreeSet;
use std::process::Command;

use radhus::{demo, keys};
use radhus_elections::registers::service::PersonInput;
use radhus_elections::testing::Fixtures;
use radhus_kernel::Personnummer;
use radhus_kernel::ids::TenantId;
use radhus_platform::config::Config;
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::identity::citizen::{FixtureRegister, PopulationRegister};
use radhus_platform::on_tx;
use radhus_platform::pii::{self, Keyring};
use radhus_testkit::{TestApp, schema, test_keyring};
use uuid::Uuid;

const ERIK: &str = "19720901-4419";

async fn app() -> TestApp {
    TestApp::with_modules(radhus::modules, |_| {}).await
}

/// Every sealed value of every sealed column.
async fn sealed_values(db: &Db) -> Vec<String> {
    let mut out = vec![];
    let mut tx = db.read(Scope::System).await.expect("tx");
    for c in keys::sealed_columns() {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {s} FROM {t} WHERE {s} IS NOT NULL", s = c.sealed, t = c.table));
        let v: Vec<(String,)> = on_tx!(&mut tx, x => sqlx::query_as(sql).fetch_all(x).await.expect("sealed"));
        out.extend(v.into_iter().map(|(s,)| s));
    }
    tx.commit().await.expect("commit");
    out
}

/// A register person sealed under `keys` (not the installed keyring's active key). Straight
/// SQL: every use case seals with the active key, and the rotation test needs values sealed
/// under an older one. A person sealed as the product does comes from the office's register
/// (`radhus_elections::testing`).
async fn person_under(db: &Db, t: TenantId, keys: &Keyring, pnr: &str) -> Uuid {
    let id = Uuid::now_v7();
    let p = keys.seal(&Personnummer::parse_canonical(pnr).expect("pnr")).expect("seal");
    let mut tx = db.write(Scope::Tenant(t)).await.expect("tx");
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO el_person (tenant_id, id, pnr_sealed, pnr_index, given_name, family_name, created_at, updated_at) VALUES ($1, $2, $3, $4, 'Test', 'Person', $5, $5)")
        .bind(t.0).bind(id).bind(&p.sealed).bind(&p.index).bind(radhus_kernel::Clock::now(&radhus_kernel::SystemClock)).execute(c).await.expect("person").rows_affected());
    tx.commit().await.expect("commit");
    id
}

#[tokio::test]
async fn a_citizens_session_and_the_register_hold_the_number_sealed_and_find_it_by_blind_index() {
    let app = app().await;
    let (t, admin) = app.tenant_with_admin("kil", "Kil", "1715").await;
    // A citizen logs in with the test e-ID: the session holds the number sealed.
    let mut c = app.client("kil.localhost");
    let r = c.post_form("/e-legitimation/test", &[("person", ERIK)]).await;
    assert!(r.status == 303 || r.status == 200, "{}", r.status);
    let mut tx = app.db.read(Scope::Platform).await.expect("tx");
    let rows: Vec<(Option<String>, Option<String>)> = on_tx!(&mut tx, x => sqlx::query_as(
        "SELECT citizen_pnr_sealed, citizen_pnr_index FROM session WHERE kind = 'citizen'").fetch_all(x).await.expect("sessions"));
    tx.commit().await.expect("commit");
    assert!(!rows.is_empty(), "the test e-ID made a session");
    let erik = Personnummer::parse_canonical(ERIK).expect("pnr");
    for (sealed, index) in &rows {
        let sealed = sealed.as_deref().expect("sealed");
        assert!(sealed.starts_with("v1:test2:") && !sealed.contains("4419"), "{sealed}");
        assert_eq!(pii::open(sealed).expect("open"), erik);
        assert_eq!(index.as_deref(), Some(pii::index(&erik).expect("index").as_str()));
    }
    // The audit log names the citizen by blind index; the chain still verifies.
    let mut tx = app.db.read(Scope::System).await.expect("tx");
    let actors: Vec<(String,)> = on_tx!(&mut tx, x => sqlx::query_as(
        "SELECT actor_id FROM audit_event WHERE actor_kind = 'citizen'").fetch_all(x).await.expect("audit"));
    tx.commit().await.expect("commit");
    assert!(!actors.is_empty());
    for (a,) in &actors {
        assert_eq!(a, &format!("pnr:{}", pii::index(&erik).expect("index")));
    }
    assert!(radhus_platform::audit::verify(&app.db).await.expect("verify").broken.is_empty());

    // The register finds a person by number through the blind index, and opens it.
    let staff = app.staff(t, &admin).await;
    let f = Fixtures { db: &app.db, staff: &staff, kommunkod: "1715", now: app.now() };
    let id =
        f.person(&PersonInput { pnr: ERIK.into(), given_name: "Erik".into(), family_name: "Johansson".into(), ..Default::default() }).await;
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let found = radhus_elections::registers::store::person_by_pnr(&mut tx, t, ERIK).await.expect("lookup");
    let row = radhus_elections::registers::store::person(&mut tx, t, id).await.expect("person").expect("row");
    let none = radhus_elections::registers::store::person_by_pnr(&mut tx, t, "19850315-2384").await.expect("lookup");
    tx.commit().await.expect("commit");
    assert_eq!((found, none), (Some(id), None));
    assert_eq!(row.pnr.as_deref(), Some(ERIK));
}

#[tokio::test]
async fn rotation_re_seals_every_column_and_an_unknown_key_id_writes_nothing() {
    let app = app().await;
    let (t, _) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let old = test_keyring().with_active("test1").expect("test1");
    let a = person_under(&app.db, t, &old, ERIK).await;
    let b = person_under(&app.db, t, &old, "19850315-2384").await;
    // A citizen session sealed under test1 too (straight SQL for the same reason).
    let s = old.seal(&Personnummer::parse_canonical(ERIK).expect("pnr")).expect("seal");
    let mut tx = app.db.write(Scope::Platform).await.expect("tx");
    on_tx!(&mut tx, x => sqlx::query(
        "INSERT INTO session (token_hash, kind, citizen_pnr_sealed, citizen_pnr_index, display_name, created_at, last_seen_at, expires_at) \
         VALUES ('h', 'citizen', $1, $2, 'Erik', $3, $3, $3)").bind(&s.sealed).bind(&s.index).bind(app.now()).execute(x).await.expect("session").rows_affected());
    tx.commit().await.expect("commit");
    let before = sealed_values(&app.db).await;
    assert_eq!(before.iter().filter(|v| v.starts_with("v1:test1:")).count(), 3);

    // A key file without test1: a clear error, and nothing is re-sealed.
    let without = Keyring::parse(&radhus_testkit::TEST_PII_KEYS.replace("test1=", "# test1=")).expect("keys");
    let e = keys::rotate(&app.db, &without).await.expect_err("test1 is unknown");
    assert!(e.to_string().contains("PLT-011") && e.to_string().contains("unknown key id"), "{e}");
    assert_eq!(sealed_values(&app.db).await, before, "nothing written");

    // With both keys, test2 active: every value is re-sealed under test2 and still opens.
    let report = keys::rotate(&app.db, &test_keyring()).await.expect("rotate");
    assert_eq!(report.iter().map(|r| r.rows).sum::<u64>(), 3, "{report:?}");
    let after = sealed_values(&app.db).await;
    assert!(after.iter().all(|v| v.starts_with("v1:test2:")), "{after:?}");
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    for (id, pnr) in [(a, ERIK), (b, "19850315-2384")] {
        let p = radhus_elections::registers::store::person(&mut tx, t, id).await.expect("person").expect("row");
        assert_eq!(p.pnr.as_deref(), Some(pnr));
        // The blind index did not change: the lookup still finds the person.
        assert_eq!(radhus_elections::registers::store::person_by_pnr(&mut tx, t, pnr).await.expect("lookup"), Some(id));
    }
    tx.commit().await.expect("commit");
    // Rotating again has nothing to do.
    let again = keys::rotate(&app.db, &test_keyring()).await.expect("rotate");
    assert_eq!(again.iter().map(|r| r.rows).sum::<u64>(), 0);
}

#[tokio::test]
async fn numbers_a_migration_left_in_plain_text_are_sealed_at_start() {
    let app = app().await;
    let (t, _) = app.tenant_with_admin("kil", "Kil", "1715").await;
    let id = Uuid::now_v7();
    // Straight SQL: a row as an older schema left it (the number in plain text), which no
    // use case writes any more.
    let mut tx = app.db.write(Scope::Tenant(t)).await.expect("tx");
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO el_person (tenant_id, id, pnr_plaintext, given_name, family_name, created_at, updated_at) VALUES ($1, $2, $3, 'Erik', 'Johansson', $4, $4)")
        .bind(t.0).bind(id).bind(ERIK).bind(app.now()).execute(c).await.expect("person").rows_affected());
    tx.commit().await.expect("commit");
    let done = keys::seal_leftovers(&app.db, &test_keyring()).await.expect("seal");
    assert_eq!(done.iter().map(|r| r.rows).sum::<u64>(), 1);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let (plain,): (Option<String>,) = on_tx!(&mut tx, c => sqlx::query_as("SELECT pnr_plaintext FROM el_person WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).fetch_one(c).await.expect("row"));
    assert_eq!(plain, None);
    assert_eq!(radhus_elections::registers::store::person_by_pnr(&mut tx, t, ERIK).await.expect("lookup"), Some(id));
    tx.commit().await.expect("commit");
    assert_eq!(keys::seal_leftovers(&app.db, &test_keyring()).await.expect("again").iter().map(|r| r.rows).sum::<u64>(), 0);
}

#[test]
fn the_demo_makes_its_key_file_once_and_a_missing_key_is_a_clear_error() {
    let dir = std::env::temp_dir().join(format!("radhus-pii-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    let cfg = Config::default();
    let path = keys::ensure_demo_file(&cfg, &dir).expect("make");
    assert_eq!(path, dir.join("pii-keys"));
    let first = std::fs::read_to_string(&path).expect("read");
    keys::ensure_demo_file(&cfg, &dir).expect("reuse");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), first, "the demo reuses its key");
    assert!(keys::load(&cfg, Some(&dir)).is_ok());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).expect("meta").permissions().mode() & 0o077, 0, "owner only");
    }
    let e = keys::load(&cfg, None).expect_err("no key file");
    assert!(format!("{e:#}").contains("PLT-010") && format!("{e:#}").contains("pii_keys_file"), "{e:#}");
    let e =
        keys::load(&Config { pii_keys_file: dir.join("saknas").display().to_string(), ..Config::default() }, None).expect_err("missing");
    assert!(e.to_string().contains("PLT-010"), "{e}");
    std::fs::write(dir.join("bad"), first.replace("active=", "active=nope")).expect("write");
    let e = keys::load(&Config { pii_keys_file: dir.join("bad").display().to_string(), ..Config::default() }, None).expect_err("bad id");
    assert!(e.to_string().contains("PLT-011"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn serve_refuses_to_start_without_a_key_and_writes_nothing() {
    let dir = std::env::temp_dir().join(format!("radhus-pii-serve-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    let db = dir.join("radhus.db");
    let toml = dir.join("radhus.toml");
    std::fs::write(&toml, format!("database_url = \"sqlite:{}\"\nlisten = \"127.0.0.1:0\"\n", db.display())).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_radhus"))
        .args(["serve", "--config"])
        .arg(&toml)
        .env_remove("RADHUS_PII_KEYS_FILE")
        .output()
        .expect("run radhus");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "serve must not start");
    assert!(stderr.starts_with("error: ") && stderr.contains("PLT-010") && stderr.contains("pii_keys_file"), "{stderr}");
    assert!(!db.exists(), "no database was made");
    // `radhus keys generate` prints a key file that `serve` accepts.
    let out = Command::new(env!("CARGO_BIN_EXE_radhus")).args(["keys", "generate", "--id", "k1"]).output().expect("run");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(Keyring::parse(&text).expect("a key file").active_id(), "k1");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The written forms a number could leak in: `YYYYMMDD-NNNN`, `YYYYMMDDNNNN`, `YYMMDD-NNNN`.
fn forms(pnr: &str) -> [String; 3] {
    let digits: String = pnr.chars().filter(char::is_ascii_digit).collect();
    [pnr.to_string(), digits.clone(), format!("{}-{}", &digits[2..8], &digits[8..])]
}

/// Every row of every table as text (SQLite: each column quoted; PostgreSQL: the row as text).
async fn dump(tx: &mut Tx) -> String {
    let mut out = String::new();
    for t in schema::tables(tx).await {
        let text: Option<String> = match tx {
            Tx::Sqlite(c) => {
                let cols = t.columns.iter().map(|c| format!("quote(\"{c}\")")).collect::<Vec<_>>().join(" || ',' || ");
                let sql = format!("SELECT group_concat(r, '|') FROM (SELECT {cols} AS r FROM \"{}\")", t.name);
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&mut **c).await.expect("dump")
            }
            Tx::Pg(c) => {
                let sql = format!("SELECT string_agg(t::text, '|') FROM \"{}\" t", t.name);
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&mut **c).await.expect("dump")
            }
        };
        out.push_str(&t.name);
        out.push('\n');
        out.push_str(&text.unwrap_or_default());
        out.push('\n');
    }
    out
}

/// The demo's personal identity numbers: the test e-ID's persons and every number the demo
/// stored (opened here with the key, which a copy of the database does not have).
async fn demo_numbers(db: &Db) -> BTreeSet<String> {
    let mut numbers: BTreeSet<String> = FixtureRegister::new().test_persons().into_iter().map(|p| p.pnr).collect();
    // A sealed value is a number, or a text that holds some (an on-behalf subject's JSON), or
    // no number at all (a webhook's secret): every personal identity number written in it.
    for v in sealed_values(db).await {
        let text = pii::open_text(&v).expect("open");
        for run in text.split(|c: char| !(c.is_ascii_digit() || c == '-')) {
            if let Ok(p) = Personnummer::parse_canonical(run) {
                numbers.insert(p.to_string());
            }
        }
    }
    numbers
}

/// Which of `forms` occur in `text` (as substrings), in one pass over it: a form of digits and
/// hyphens can only occur inside a run of them, so each run's substrings of the forms' lengths
/// are looked up; any other form is searched for as it is. (A `contains` per form over the
/// whole dump took 14 minutes.)
fn occurring(text: &str, forms: &BTreeSet<String>) -> BTreeSet<String> {
    let plain = |f: &String| f.chars().all(|c| c.is_ascii_digit() || c == '-');
    let mut out: BTreeSet<String> = forms.iter().filter(|f| !plain(f) && text.contains(f.as_str())).cloned().collect();
    let lengths: BTreeSet<usize> = forms.iter().filter(|f| plain(f)).map(String::len).collect();
    for run in text.split(|c: char| !(c.is_ascii_digit() || c == '-')) {
        for &n in lengths.iter().filter(|&&n| n <= run.len()) {
            for i in 0..=run.len() - n {
                if let Some(f) = forms.get(&run[i..i + n]) {
                    out.insert(f.clone());
                }
            }
        }
    }
    out
}

/// `strings` over the database: printable runs of 4 or more bytes.
fn strings(bytes: &[u8]) -> String {
    let mut out = String::new();
    for run in bytes.split(|b| !(0x20..0x7f).contains(b)) {
        if run.len() >= 4 {
            out.push_str(&String::from_utf8_lossy(run));
            out.push('\n');
        }
    }
    out
}

#[test]
fn occurring_finds_what_contains_finds() {
    let forms: BTreeSet<String> = ["19850315-2384", "198503152384", "850315-2384", "850315+2384"].map(String::from).into();
    let text = "x 1198503152384 y 2026-12-07 z850315-23840 é850315+2384 19850315-238";
    let by_contains: BTreeSet<String> = forms.iter().filter(|f| text.contains(f.as_str())).cloned().collect();
    assert_eq!(occurring(text, &forms), by_contains);
    assert_eq!(by_contains.len(), 3);
    assert!(occurring("nothing 1985-03-15", &forms).is_empty());
}

#[tokio::test]
async fn a_dump_of_the_demo_database_holds_no_personal_identity_number() {
    let app = app().await;
    demo::seed(&app.db, app.now()).await.expect("seed");
    // Citizens log in with the test e-ID on two hosts (sessions, audit events).
    for (host, pnr) in [("kil.localhost", ERIK), ("karlstad.localhost", "19850315-2384")] {
        let mut c = app.client(host);
        let r = c.post_form("/e-legitimation/test", &[("person", pnr)]).await;
        assert!(r.status == 303 || r.status == 200, "{}", r.status);
    }
    let numbers = demo_numbers(&app.db).await;
    assert!(numbers.len() > 100, "the demo's applicants and the test persons: {}", numbers.len());
    assert!(numbers.contains(ERIK));

    let mut tx = app.db.read(Scope::System).await.expect("tx");
    let text = dump(&mut tx).await;
    tx.commit().await.expect("commit");
    assert!(text.contains("v1:test2:"), "the scan sees the sealed values");
    let every_form: BTreeSet<String> = numbers.iter().flat_map(|n| forms(n)).collect();
    let mut found: Vec<String> = vec![];
    for f in occurring(&text, &every_form) {
        let at = text.find(&f).unwrap_or(0);
        found.push(format!("{f}: …{}…", &text[text.floor_char_boundary(at.saturating_sub(120))..text.ceil_char_boundary(at + 40)]));
    }
    assert!(found.is_empty(), "numbers in the dump:\n{}", found.join("\n"));

    // What a backup holds: SQLite's database file and write-ahead log byte by byte (what
    // `strings` sees), or PostgreSQL's `pg_dump` of the test's schema.
    let mut tx = app.db.read(Scope::Platform).await.expect("tx");
    let location: String = match &mut tx {
        Tx::Sqlite(c) => {
            let file: String =
                sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'").fetch_one(&mut **c).await.expect("file");
            format!("sqlite:{file}")
        }
        Tx::Pg(c) => sqlx::query_scalar("SELECT current_schema()::text").fetch_one(&mut **c).await.expect("schema"),
    };
    tx.commit().await.expect("commit");
    let backup = match location {
        l if l.starts_with("sqlite:") => {
            let file = l.trim_start_matches("sqlite:").to_string();
            let mut bytes = std::fs::read(&file).expect("db file");
            bytes.extend(std::fs::read(format!("{file}-wal")).unwrap_or_default());
            strings(&bytes)
        }
        l => {
            let schema = l.as_str();
            let url = std::env::var("RADHUS_TEST_DATABASE_URL").expect("url");
            // The test role is not a superuser, so row-level security applies to it: the dump
            // runs with every municipality in scope, as `Scope::System` does.
            let out = Command::new("pg_dump")
                .arg(&url)
                .args(["--schema", schema, "--enable-row-security"])
                .env("PGOPTIONS", "-c radhus.tenant_id=*")
                .output()
                .expect("pg_dump (PostgreSQL's client tools)");
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8_lossy(&out.stdout).into_owned()
        }
    };
    assert!(backup.contains("el_person") && backup.contains("v1:test2:"), "the backup holds the demo's rows");
    let leaked: Vec<String> = occurring(&backup, &every_form).into_iter().collect();
    assert!(leaked.is_empty(), "numbers in the backup: {leaked:?}");
}
