//! The fault test (issue 14 item 2). Started by `ops/faults/run`, which builds `radhus` and
//! passes its path; see docs/operations.md, "The fault test".
//!
//! 1. Seeds the demo (`radhus demo`) into an embedded database once.
//! 2. PostgreSQL: a fresh database and non-superuser role, `radhus copy` of the seed into it,
//!    three `radhus serve` nodes behind HAProxy (round robin, health check `/readyz`) and a test
//!    SMTP server. A bounded mixed load (applications to election work through the public form,
//!    case registrations with a record and a document through the staff JSON API, logins, public
//!    diary searches) runs while a node is killed with SIGKILL every few seconds and started
//!    again, and PostgreSQL is restarted once with `-m immediate`.
//! 3. The same on SQLite with one node, killed once and started again.
//! 4. Checks after each: every acknowledged write exists exactly once, no refused one exists,
//!    one whose answer was lost with a node exists at most once, diary numbers have no gaps,
//!    `radhus audit verify` passes, every outbox message of the load was delivered (duplicates
//!    counted), no 5xx from a node outside the database restart.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use radhus_platform::db::{Db, Scope};
use radhus_platform::on_tx;
use radhus_testkit::servers::SmtpServer;

const PASSWORD: &str = "Demo-losenord-2026";
const STAFF: &str = "admin@kil.se";
const HOST: &str = "kil.localhost";
const PG_DB: &str = "radhus_faults";
/// A PostgreSQL 15 cluster of the test's own: its restart with `-m immediate` must not cut off
/// anything else that uses the machine's `main` cluster.
const PG_CLUSTER: &str = "faults";
const PG_PORT: &str = "5439";

struct Opts {
    bin: PathBuf,
    work: PathBuf,
    short: bool,
    only: Option<String>,
}

fn opts() -> anyhow::Result<Opts> {
    let mut bin = None;
    let mut work = None;
    let mut short = false;
    let mut only = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--bin" => bin = args.next().map(PathBuf::from),
            "--work" => work = args.next().map(PathBuf::from),
            "--short" => short = true,
            "--only" => only = args.next(),
            other => bail!("unknown argument {other:?} (--bin PATH --work DIR [--short] [--only postgres|sqlite])"),
        }
    }
    Ok(Opts { bin: bin.context("--bin PATH of the radhus binary")?, work: work.context("--work DIR")?, short, only })
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A small xorshift generator: the load's choices need no quality, only variety.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn seed_rng(salt: u64) -> Rng {
    Rng((u64::from(std::process::id()) ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1)
}

/// A valid personnummer, unique per `n` below 3,356,640, born in the 1930s (the demo's people are younger).
fn pnr(n: u64) -> String {
    let day = 1 + n % 28;
    let month = 1 + (n / 28) % 12;
    let serial = 1 + (n / 336) % 999; // 000 is no birth number
    let year = 1930 + (n / 336_000) % 10;
    let nine = format!("{:02}{month:02}{day:02}{serial:03}", year % 100);
    let mut sum = 0;
    for (i, ch) in nine.bytes().enumerate() {
        let mut d = u32::from(ch - b'0') * if i % 2 == 0 { 2 } else { 1 };
        if d > 9 {
            d -= 9;
        }
        sum += d;
    }
    let check = (10 - sum % 10) % 10;
    format!("{year}{month:02}{day:02}-{serial:03}{check}")
}

// ------------------------------------------------------------------ processes

fn run(cmd: &mut Command, what: &str) -> anyhow::Result<String> {
    let out = cmd.output().with_context(|| format!("starting {what}"))?;
    if !out.status.success() {
        bail!("{what} failed ({}): {}{}", out.status, String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8_lossy(&out.stdout).to_string())
}

fn psql(sql: &str) -> anyhow::Result<String> {
    run(
        Command::new("su").args(["postgres", "-c", &format!("psql -p {PG_PORT} -v ON_ERROR_STOP=1 -q -c \"{sql}\"")]),
        &format!("psql {sql}"),
    )
}

/// Creates the test's cluster on its first run and starts it.
fn pg_cluster() -> anyhow::Result<()> {
    let list = run(&mut Command::new("pg_lsclusters"), "pg_lsclusters")?;
    let line = list.lines().find(|l| l.split_whitespace().take(2).eq(["15", PG_CLUSTER]));
    match line {
        None => {
            run(Command::new("pg_createcluster").args(["15", PG_CLUSTER, "-p", PG_PORT, "--start"]), "pg_createcluster")?;
        }
        Some(l) if !l.contains("online") => {
            run(Command::new("pg_ctlcluster").args(["15", PG_CLUSTER, "start"]), "pg_ctlcluster start")?;
        }
        Some(_) => {}
    }
    Ok(())
}

fn pg_ready() -> bool {
    Command::new("pg_isready").args(["-q", "-h", "127.0.0.1", "-p", PG_PORT]).status().is_ok_and(|s| s.success())
}

fn terminate(child: &mut Child) {
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    for _ in 0..100 {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
}

async fn wait_ready(http: &reqwest::Client, port: u16, timeout: Duration) -> anyhow::Result<()> {
    let start = Instant::now();
    loop {
        if let Ok(r) = http.get(format!("http://127.0.0.1:{port}/readyz")).timeout(Duration::from_secs(2)).send().await
            && r.status() == 200
        {
            return Ok(());
        }
        if start.elapsed() > timeout {
            bail!("nothing ready on port {port} after {timeout:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The seed: the full demo in an embedded database, made once per run.
async fn seed(o: &Opts, http: &reqwest::Client) -> anyhow::Result<PathBuf> {
    let dir = o.work.join("seed");
    let port = free_port()?;
    let log = std::fs::File::create(o.work.join("seed.log"))?;
    let started = Instant::now();
    let mut demo = Command::new(&o.bin)
        .args(["demo", "--data"])
        .arg(&dir)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .context("radhus demo")?;
    let ready = wait_ready(http, port, Duration::from_secs(600)).await;
    terminate(&mut demo);
    ready?;
    println!("faults: demo seeded in {:.0?}", started.elapsed());
    Ok(dir)
}

struct Node {
    port: u16,
    child: Option<Child>,
}

struct Cluster {
    bin: PathBuf,
    config: PathBuf,
    work: PathBuf,
    nodes: Mutex<Vec<Node>>,
}

impl Cluster {
    fn start_node(&self, i: usize) -> anyhow::Result<()> {
        let mut nodes = self.nodes.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
        let port = nodes[i].port;
        let log = std::fs::OpenOptions::new().create(true).append(true).open(self.work.join(format!("node-{i}.log")))?;
        let child = Command::new(&self.bin)
            .arg("serve")
            .arg("--config")
            .arg(&self.config)
            .env("RADHUS_LISTEN", format!("127.0.0.1:{port}"))
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .context("radhus serve")?;
        nodes[i].child = Some(child);
        Ok(())
    }

    /// SIGKILL (std's `Child::kill` on Unix).
    fn kill_node(&self, i: usize) {
        if let Ok(mut nodes) = self.nodes.lock()
            && let Some(mut c) = nodes[i].child.take()
        {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    fn stop_all(&self) {
        if let Ok(mut nodes) = self.nodes.lock() {
            for n in nodes.iter_mut() {
                if let Some(mut c) = n.child.take() {
                    terminate(&mut c);
                }
            }
        }
    }

    fn ports(&self) -> Vec<u16> {
        self.nodes.lock().map(|n| n.iter().map(|n| n.port).collect()).unwrap_or_default()
    }
}

fn haproxy(work: &Path, front: u16, ports: &[u16]) -> anyhow::Result<Child> {
    let servers: String =
        ports.iter().enumerate().map(|(i, p)| format!("    server node{i} 127.0.0.1:{p} check inter 300ms fall 1 rise 1\n")).collect();
    let cfg = format!(
        "global\n    maxconn 512\n\ndefaults\n    mode http\n    timeout connect 2s\n    timeout client 60s\n    timeout server 60s\n    \
         retries 3\n    option redispatch\n    option forwardfor\n\nfrontend web\n    bind 127.0.0.1:{front}\n    default_backend nodes\n\n\
         backend nodes\n    balance roundrobin\n    option httpchk GET /readyz\n    \
         http-response set-header X-Faults-Node %s\n{servers}"
    );
    let path = work.join("haproxy.cfg");
    std::fs::write(&path, cfg)?;
    let log = std::fs::File::create(work.join("haproxy.log"))?;
    Command::new("haproxy").arg("-db").arg("-f").arg(&path).stdout(log.try_clone()?).stderr(log).spawn().context("haproxy")
}

// ------------------------------------------------------------------ the load

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Outcome {
    Acknowledged,
    Refused,
    /// The answer was lost (a node died with the request, or no node was up).
    Unknown,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Kind {
    Application,
    Case,
    Record,
    Document,
}

#[derive(Clone, Debug)]
struct Write {
    kind: Kind,
    /// The e-mail address (application), title (case, record) or file name (document).
    key: String,
    outcome: Outcome,
    status: u16,
}

#[derive(Clone, Debug)]
struct Failure5xx {
    at: Instant,
    status: u16,
    /// Answered by a node (else by HAProxy: no node up, or the node died with the request).
    from_node: bool,
    what: String,
}

#[derive(Default)]
struct Log {
    writes: Vec<Write>,
    five: Vec<Failure5xx>,
    transport_errors: u64,
    logins_ok: u64,
    logins_failed: u64,
    searches_ok: u64,
    searches_failed: u64,
}

struct Load {
    base: String,
    http: reqwest::Client,
    election: String,
    stations: Vec<String>,
    shifts: Vec<String>,
    case_type: uuid::Uuid,
    run: String,
    counter: AtomicU64,
    log: Mutex<Log>,
    stop: AtomicBool,
}

/// A browser's cookie jar, by hand (names with `radhus-csrf` and `radhus-session`).
#[derive(Default, Clone)]
struct Jar(HashMap<String, String>);

impl Jar {
    fn take(&mut self, r: &reqwest::Response) {
        for v in r.headers().get_all(reqwest::header::SET_COOKIE) {
            if let Ok(s) = v.to_str()
                && let Some((pair, _)) = s.split_once(';').or(Some((s, "")))
                && let Some((k, val)) = pair.split_once('=')
            {
                self.0.insert(k.trim().to_string(), val.trim().to_string());
            }
        }
    }
    fn header(&self) -> String {
        self.0.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }
    fn csrf(&self) -> String {
        self.0.iter().find(|(k, _)| k.ends_with("radhus-csrf")).map(|(_, v)| v.clone()).unwrap_or_default()
    }
}

enum Answer {
    Status(u16, String),
    Lost,
}

impl Load {
    fn note(&self, f: impl FnOnce(&mut Log)) {
        if let Ok(mut l) = self.log.lock() {
            f(&mut l);
        }
    }

    async fn send(&self, jar: &mut Jar, rb: reqwest::RequestBuilder, what: &str) -> Answer {
        let rb = rb.header("host", HOST).header("cookie", jar.header());
        match rb.send().await {
            Ok(r) => {
                jar.take(&r);
                let status = r.status().as_u16();
                let from_node = r.headers().contains_key("x-faults-node");
                let body = r.text().await.unwrap_or_default();
                if status >= 500 {
                    self.note(|l| l.five.push(Failure5xx { at: Instant::now(), status, from_node, what: what.to_string() }));
                    if !from_node {
                        // No node could take it: do not spin while none is up.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        return Answer::Lost;
                    }
                }
                Answer::Status(status, body)
            }
            Err(_) => {
                self.note(|l| l.transport_errors += 1);
                tokio::time::sleep(Duration::from_millis(50)).await;
                Answer::Lost
            }
        }
    }

    fn record(&self, kind: Kind, key: &str, a: &Answer, ok: u16) -> Outcome {
        let (outcome, status) = match a {
            Answer::Status(s, _) if *s == ok => (Outcome::Acknowledged, *s),
            Answer::Status(s, _) if *s >= 500 => (Outcome::Unknown, *s),
            Answer::Status(s, _) => (Outcome::Refused, *s),
            Answer::Lost => (Outcome::Unknown, 0),
        };
        self.note(|l| l.writes.push(Write { kind, key: key.to_string(), outcome, status }));
        outcome
    }

    async fn apply(&self, rng: &mut Rng) {
        let n = self.counter.fetch_add(1, Ordering::SeqCst);
        let mut jar = Jar::default();
        let path = format!("/valarbete/ansok/{}", self.election);
        match self.send(&mut jar, self.http.get(format!("{}{path}", self.base)), "GET apply form").await {
            Answer::Status(200, _) => {}
            _ => return,
        }
        let email = format!("felprov-{}-{n}@example.com", self.run);
        let pnr = pnr(n);
        let station = self.stations[rng.below(self.stations.len() as u64) as usize].clone();
        let shift = self.shifts[rng.below(self.shifts.len() as u64) as usize].clone();
        let fields = vec![
            ("_csrf", jar.csrf()),
            ("given_name", "Felprov".to_string()),
            ("family_name", format!("Nummer {n}")),
            ("pnr", pnr),
            ("email", email.clone()),
            ("phone", "070-123 45 67".to_string()),
            ("address", "Storgatan 4".to_string()),
            ("postal_code", "665 30".to_string()),
            ("city", "Kil".to_string()),
            ("languages", String::new()),
            ("roles", "rostmottagare".to_string()),
            ("station1", station),
            ("station2", String::new()),
            ("station3", String::new()),
            ("shifts", shift),
            ("candidate", "no".to_string()),
            ("message", String::new()),
            ("consent", "1".to_string()),
        ];
        let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let rb = self.http.post(format!("{}{path}", self.base)).header("content-type", "application/x-www-form-urlencoded").body(body);
        let a = self.send(&mut jar, rb, "POST application").await;
        self.record(Kind::Application, &email, &a, 200);
    }

    async fn login(&self) -> Option<Jar> {
        let mut jar = Jar::default();
        if !matches!(self.send(&mut jar, self.http.get(format!("{}/logga-in", self.base)), "GET login").await, Answer::Status(200, _)) {
            self.note(|l| l.logins_failed += 1);
            return None;
        }
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs([("_csrf", jar.csrf().as_str()), ("email", STAFF), ("password", PASSWORD), ("next", "/admin")])
            .finish();
        let rb = self.http.post(format!("{}/logga-in", self.base)).header("content-type", "application/x-www-form-urlencoded").body(body);
        match self.send(&mut jar, rb, "POST login").await {
            Answer::Status(303, _) => {
                self.note(|l| l.logins_ok += 1);
                Some(jar)
            }
            _ => {
                self.note(|l| l.logins_failed += 1);
                None
            }
        }
    }

    fn json(&self, jar: &Jar, path: &str) -> reqwest::RequestBuilder {
        self.http.post(format!("{}{path}", self.base)).header("x-csrf-token", jar.csrf()).header("content-type", "application/json")
    }

    /// A case, a registered inbound record in it and its main document: three writes.
    async fn case(&self, jar: &mut Jar) {
        let n = self.counter.fetch_add(1, Ordering::SeqCst);
        let title = format!("Felprov {} ärende {n}", self.run);
        let body = serde_json::json!({ "case_type_id": self.case_type, "title": title }).to_string();
        let a = self.send(jar, self.json(jar, "/api/v1/cases").body(body), "POST case").await;
        if self.record(Kind::Case, &title, &a, 201) != Outcome::Acknowledged {
            return;
        }
        let Some(case_id) = id_in(&a) else { return };
        let rtitle = format!("Felprov {} handling {n}", self.run);
        let body = serde_json::json!({ "kind": "inbound", "title": rtitle, "correspondent": "Felprov AB", "register": true }).to_string();
        let a = self.send(jar, self.json(jar, &format!("/api/v1/cases/{case_id}/records")).body(body), "POST record").await;
        if self.record(Kind::Record, &rtitle, &a, 201) != Outcome::Acknowledged {
            return;
        }
        let Some(record_id) = id_in(&a) else { return };
        let file = format!("felprov-{}-{n}.txt", self.run);
        let rb = self
            .http
            .post(format!("{}/api/v1/records/{record_id}/documents?filename={file}&role=main", self.base))
            .header("x-csrf-token", jar.csrf())
            .header("content-type", "application/octet-stream")
            .body(format!("Inkommen skrivelse nummer {n} i felprovet.\n"));
        let a = self.send(jar, rb, "POST document").await;
        self.record(Kind::Document, &file, &a, 201);
    }

    async fn search(&self, rng: &mut Rng) {
        let mut jar = Jar::default();
        let q = ["Felprov", "bygglov", "skrivelse", "Kil"][rng.below(4) as usize];
        match self.send(&mut jar, self.http.get(format!("{}/diarium?q={q}", self.base)), "GET diary search").await {
            Answer::Status(200, _) => self.note(|l| l.searches_ok += 1),
            _ => self.note(|l| l.searches_failed += 1),
        }
    }

    async fn worker(self: Arc<Self>, w: u64) {
        let mut rng = seed_rng(w + 1);
        let mut staff: Option<Jar> = None;
        while !self.stop.load(Ordering::SeqCst) {
            match rng.below(10) {
                0..=3 => self.apply(&mut rng).await,
                4..=6 => {
                    if staff.is_none() {
                        staff = self.login().await;
                    }
                    if let Some(mut jar) = staff.take() {
                        self.case(&mut jar).await;
                        staff = Some(jar);
                    } else {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                }
                7 => {
                    // A fresh login now and then (sessions live in the database).
                    if let Some(jar) = self.login().await {
                        staff = Some(jar);
                    }
                }
                _ => self.search(&mut rng).await,
            }
        }
    }
}

fn id_in(a: &Answer) -> Option<String> {
    match a {
        Answer::Status(_, body) => serde_json::from_str::<serde_json::Value>(body).ok().and_then(|v| v["id"].as_str().map(str::to_string)),
        Answer::Lost => None,
    }
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    let mut out = vec![];
    let mut rest = s;
    while let Some(i) = rest.find(start) {
        rest = &rest[i + start.len()..];
        if let Some(j) = rest.find(end) {
            out.push(&rest[..j]);
            rest = &rest[j..];
        }
    }
    out
}

/// The open election's id, its stations and shifts, read from the public pages.
async fn election_form(http: &reqwest::Client, base: &str) -> anyhow::Result<(String, Vec<String>, Vec<String>)> {
    let page = http.get(format!("{base}/valarbete")).header("host", HOST).send().await?.text().await?;
    let election = between(&page, "href=\"/valarbete/ansok/", "\"").first().map(|s| s.to_string()).context("no open election in Kil")?;
    let form = http.get(format!("{base}/valarbete/ansok/{election}")).header("host", HOST).send().await?.text().await?;
    let shifts: Vec<String> = between(&form, "name=\"shifts\" value=\"", "\"").into_iter().map(str::to_string).collect();
    let select = between(&form, "name=\"station1\">", "</select>").first().map(|s| s.to_string()).unwrap_or_default();
    let stations: Vec<String> =
        between(&select, "<option value=\"", "\"").into_iter().filter(|s| !s.is_empty()).map(str::to_string).collect();
    if shifts.is_empty() || stations.is_empty() {
        bail!("the application form of election {election} has no shifts or stations");
    }
    Ok((election, stations, shifts))
}

// ------------------------------------------------------------------ checks

/// The database, opened without migrating: the nodes' binary owns the schema (`Db::connect`
/// would run this binary's migrations, which need not be the nodes').
async fn open_db(url: &str) -> anyhow::Result<Db> {
    use std::str::FromStr;
    if url.starts_with("sqlite:") {
        let opts = sqlx::sqlite::SqliteConnectOptions::from_str(url)?.busy_timeout(Duration::from_secs(10));
        Ok(Db::Sqlite(sqlx::sqlite::SqlitePoolOptions::new().max_connections(2).connect_with(opts).await?))
    } else {
        Db::connect_pg(sqlx::postgres::PgConnectOptions::from_str(url)?).await
    }
}

async fn count(db: &Db, sql: &'static str, key: &str) -> anyhow::Result<i64> {
    let mut tx = db.read(Scope::System).await?;
    let (n,): (i64,) = on_tx!(&mut tx, c => sqlx::query_as(sql).bind(key).fetch_one(c).await?);
    tx.commit().await?;
    Ok(n)
}

fn check_sql(kind: Kind) -> &'static str {
    match kind {
        Kind::Application => {
            "SELECT COUNT(*) FROM el_application a JOIN el_person p ON p.tenant_id = a.tenant_id AND p.id = a.person_id WHERE p.email = $1"
        }
        Kind::Case => "SELECT COUNT(*) FROM case_file WHERE title = $1",
        Kind::Record => "SELECT COUNT(*) FROM record WHERE title = $1",
        Kind::Document => "SELECT COUNT(*) FROM document_version WHERE filename = $1",
    }
}

#[derive(Default)]
struct Report {
    acknowledged: usize,
    lost: usize,
    doubled: usize,
    refused_written: usize,
    unknown: usize,
    unknown_written: usize,
    problems: Vec<String>,
}

async fn check_writes(db: &Db, writes: &[Write], r: &mut Report) -> anyhow::Result<()> {
    for w in writes {
        let n = count(db, check_sql(w.kind), &w.key).await?;
        match w.outcome {
            Outcome::Acknowledged => {
                r.acknowledged += 1;
                if n == 0 {
                    r.lost += 1;
                    r.problems.push(format!("lost: acknowledged {:?} {} is not in the database", w.kind, w.key));
                } else if n > 1 {
                    r.doubled += 1;
                    r.problems.push(format!("doubled: acknowledged {:?} {} is there {n} times", w.kind, w.key));
                }
            }
            Outcome::Refused => {
                if n > 0 {
                    r.refused_written += 1;
                    r.problems.push(format!("refused with {} but written: {:?} {}", w.status, w.kind, w.key));
                }
            }
            Outcome::Unknown => {
                r.unknown += 1;
                if n == 1 {
                    r.unknown_written += 1;
                } else if n > 1 {
                    r.doubled += 1;
                    r.problems.push(format!("doubled: {:?} {} (answer lost) is there {n} times", w.kind, w.key));
                }
            }
        }
    }
    Ok(())
}

/// Diary numbers: per municipality, registry and year the sequence is 1..=max without a gap;
/// records' running numbers per case likewise.
async fn check_gaps(db: &Db, r: &mut Report) -> anyhow::Result<usize> {
    let mut tx = db.read(Scope::System).await?;
    let series: Vec<(i64, i64, i64)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT COUNT(*), CAST(MIN(seq) AS BIGINT), CAST(MAX(seq) AS BIGINT) FROM case_file GROUP BY tenant_id, registry_id, year")
        .fetch_all(c).await?);
    let records: Vec<(i64, i64, i64)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT COUNT(*), CAST(MIN(running_no) AS BIGINT), CAST(MAX(running_no) AS BIGINT) FROM record GROUP BY tenant_id, case_id")
        .fetch_all(c).await?);
    tx.commit().await?;
    let gaps = series.iter().filter(|(n, min, max)| *min != 1 || *max != *n).count();
    let rgaps = records.iter().filter(|(n, min, max)| *min != 1 || *max != *n).count();
    if gaps > 0 {
        r.problems.push(format!("diary numbers: {gaps} of {} series have a gap", series.len()));
    }
    if rgaps > 0 {
        r.problems.push(format!("record numbers: {rgaps} of {} cases have a gap", records.len()));
    }
    Ok(series.len())
}

// ------------------------------------------------------------------ one backend

struct Phase {
    name: &'static str,
    nodes: usize,
    seconds: u64,
    workers: u64,
    kill_every: Duration,
    max_kills: usize,
    restart_db: bool,
}

struct Outcomes {
    acknowledged: usize,
    lost: usize,
    doubled: usize,
    killed: usize,
    db_restarts: usize,
    ok: bool,
}

async fn phase(o: &Opts, p: &Phase, seed: &Path, smtp: &SmtpServer, http: &reqwest::Client) -> anyhow::Result<Outcomes> {
    let dir = o.work.join(p.name);
    std::fs::create_dir_all(&dir)?;
    let pii = seed.join("pii-keys");
    let database_url = if p.name == "postgres" {
        pg_cluster()?;
        psql(&format!("DROP DATABASE IF EXISTS {PG_DB}"))?;
        psql(&format!("DROP ROLE IF EXISTS {PG_DB}"))?;
        psql(&format!("CREATE ROLE {PG_DB} LOGIN PASSWORD '{PG_DB}' NOSUPERUSER NOCREATEDB NOCREATEROLE"))?;
        psql(&format!("CREATE DATABASE {PG_DB} OWNER {PG_DB}"))?;
        format!("postgres://{PG_DB}:{PG_DB}@127.0.0.1:{PG_PORT}/{PG_DB}")
    } else {
        for f in ["radhus.db", "radhus.db-wal", "radhus.db-shm"] {
            if seed.join(f).exists() {
                std::fs::copy(seed.join(f), dir.join(f))?;
            }
        }
        format!("sqlite:{}", dir.join("radhus.db").display())
    };
    let config = dir.join("radhus.toml");
    std::fs::write(
        &config,
        format!(
            "database_url = \"{database_url}\"\nplatform_hosts = [\"localhost\", \"127.0.0.1\"]\npublic_url = \"http://localhost:8080\"\n\
             cookie_secure = false\nbehind_proxy = true\nlogin_attempts_per_minute = 1000000\nlockout_failures = 1000000\n\
             outbox_poll_ms = 200\npii_keys_file = \"{}\"\n\n[smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\n",
            pii.display(),
            smtp.port
        ),
    )?;
    if p.name == "postgres" {
        let out = run(Command::new(&o.bin).args(["copy", "--from-data"]).arg(seed).arg("--to-config").arg(&config), "radhus copy")?;
        std::fs::write(dir.join("copy.log"), out)?;
    }
    run(Command::new(&o.bin).arg("migrate").arg("--config").arg(&config), "radhus migrate")?;

    let mut nodes = vec![];
    for _ in 0..p.nodes {
        nodes.push(Node { port: free_port()?, child: None });
    }
    let cluster = Arc::new(Cluster { bin: o.bin.clone(), config: config.clone(), work: dir.clone(), nodes: Mutex::new(nodes) });
    for i in 0..p.nodes {
        cluster.start_node(i)?;
    }
    let front = free_port()?;
    let mut proxy = haproxy(&dir, front, &cluster.ports())?;
    let result = drive(o, p, &cluster, front, http, smtp, &config, &database_url).await;
    cluster.stop_all();
    terminate(&mut proxy);
    result
}

#[allow(clippy::too_many_arguments)]
async fn drive(
    o: &Opts,
    p: &Phase,
    cluster: &Arc<Cluster>,
    front: u16,
    http: &reqwest::Client,
    smtp: &SmtpServer,
    config: &Path,
    database_url: &str,
) -> anyhow::Result<Outcomes> {
    for port in cluster.ports() {
        wait_ready(http, port, Duration::from_secs(60)).await?;
    }
    wait_ready(http, front, Duration::from_secs(10)).await?;
    let base = format!("http://127.0.0.1:{front}");
    let (election, stations, shifts) = election_form(http, &base).await?;
    let db = open_db(database_url).await?;
    let case_type: uuid::Uuid = {
        let mut tx = db.read(Scope::System).await?;
        let (id,): (uuid::Uuid,) = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT ct.id FROM case_type ct JOIN tenant t ON t.id = ct.tenant_id WHERE t.slug = 'kil' ORDER BY ct.name LIMIT 1")
            .fetch_one(c).await?);
        tx.commit().await?;
        id
    };
    let run_id = format!("{}{}", p.name.chars().next().unwrap_or('x'), std::process::id());
    let load = Arc::new(Load {
        base,
        http: http.clone(),
        election,
        stations,
        shifts,
        case_type,
        run: run_id.clone(),
        counter: AtomicU64::new(0),
        log: Mutex::new(Log::default()),
        stop: AtomicBool::new(false),
    });
    let mails_before = smtp.mails().len();
    let started = Instant::now();
    let mut workers = vec![];
    for w in 0..p.workers {
        workers.push(tokio::spawn(load.clone().worker(w)));
    }

    // Chaos: a node killed with SIGKILL every few seconds and started again a second later; the
    // database restarted once, half-way.
    let mut killed = 0;
    let mut db_restarts = 0;
    let mut db_window: Option<(Instant, Instant)> = None;
    let mut rng = seed_rng(99);
    let end = started + Duration::from_secs(p.seconds);
    let mut next_kill = started + p.kill_every;
    let restart_at = started + Duration::from_secs(p.seconds / 2);
    while Instant::now() < end {
        if p.restart_db && db_restarts == 0 && Instant::now() >= restart_at {
            let from = Instant::now();
            // A checkpoint first keeps crash recovery short.
            let _ = psql("CHECKPOINT");
            if let Err(e) =
                run(Command::new("pg_ctlcluster").args(["15", PG_CLUSTER, "restart", "-m", "immediate"]), "pg_ctlcluster restart")
            {
                let first = e.to_string().lines().next().unwrap_or("").to_string();
                println!("faults: {}: pg_ctl stopped waiting for the restart ({first}); waiting for recovery", p.name);
            }
            db_restarts += 1;
            let recovering = Instant::now();
            while !pg_ready() {
                if recovering.elapsed() > Duration::from_secs(300) {
                    bail!("PostgreSQL did not come back within 5 minutes of the restart");
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            // The window ends when every node answers /readyz again.
            for port in cluster.ports() {
                let _ = wait_ready(http, port, Duration::from_secs(30)).await;
            }
            db_window = Some((from, Instant::now()));
            println!("faults: {}: PostgreSQL restarted (-m immediate), nodes ready again after {:.1?}", p.name, from.elapsed());
        }
        if killed < p.max_kills && Instant::now() >= next_kill {
            let i = rng.below(p.nodes as u64) as usize;
            cluster.kill_node(i);
            killed += 1;
            tokio::time::sleep(Duration::from_millis(800)).await;
            cluster.start_node(i)?;
            next_kill = Instant::now() + p.kill_every;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    load.stop.store(true, Ordering::SeqCst);
    for w in workers {
        let _ = w.await;
    }
    let load_time = started.elapsed();
    for port in cluster.ports() {
        wait_ready(http, port, Duration::from_secs(60)).await?;
    }

    // Every message of the load delivered: a message a killed node had claimed waits out the
    // outbox's lease (five minutes) and is then sent by another node.
    let pattern = format!("felprov-{run_id}-%");
    let deadline = Instant::now() + Duration::from_secs(360);
    let mut waited_for_lease = false;
    let pending = loop {
        let pending = count(&db, "SELECT COUNT(*) FROM outbox WHERE recipient LIKE $1 AND status <> 'sent'", &pattern).await?;
        if pending == 0 || Instant::now() > deadline {
            break pending;
        }
        if !waited_for_lease && Instant::now() > started + load_time + Duration::from_secs(10) {
            waited_for_lease = true;
            println!("faults: {}: {pending} messages not yet sent; waiting for a killed node's lease to end (at most 5 minutes)", p.name);
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };

    let log = std::mem::take(&mut *load.log.lock().map_err(|_| anyhow::anyhow!("poisoned"))?);
    let mut r = Report::default();
    check_writes(&db, &log.writes, &mut r).await?;
    let series = check_gaps(&db, &mut r).await?;
    if pending > 0 {
        r.problems.push(format!("outbox: {pending} messages of the load were never sent"));
    }
    let sent = count(&db, "SELECT COUNT(*) FROM outbox WHERE recipient LIKE $1 AND status = 'sent'", &pattern).await?;
    let mut received: HashMap<String, usize> = HashMap::new();
    for m in smtp.mails().into_iter().skip(mails_before) {
        for to in m.to {
            if to.starts_with(&format!("felprov-{run_id}-")) {
                *received.entry(to).or_default() += 1;
            }
        }
    }
    let delivered = received.len() as i64;
    let duplicates: usize = received.values().map(|n| n - 1).sum();
    if delivered != sent {
        r.problems.push(format!("outbox: {sent} messages marked sent, {delivered} addresses received mail"));
    }
    if duplicates > killed {
        r.problems.push(format!("outbox: {duplicates} duplicate deliveries, more than the {killed} nodes killed"));
    }
    let acked_apps = log.writes.iter().filter(|w| w.kind == Kind::Application && w.outcome == Outcome::Acknowledged).count();
    for w in log.writes.iter().filter(|w| w.kind == Kind::Application && w.outcome == Outcome::Acknowledged) {
        if !received.contains_key(&w.key) {
            r.problems.push(format!("outbox: no confirmation reached {}", w.key));
        }
    }
    let audit = Command::new(&o.bin).args(["audit", "verify", "--config"]).arg(config).output()?;
    let audit_text = format!("{}{}", String::from_utf8_lossy(&audit.stdout), String::from_utf8_lossy(&audit.stderr));
    if !audit.status.success() {
        r.problems.push(format!("audit verify failed: {}", audit_text.trim()));
    }

    // 5xx: answered by a node is a failure unless the database was down; answered by HAProxy
    // means no node could take the request (none up, or the node died with it).
    let grace = Duration::from_secs(2);
    let in_db_window = |at: Instant| db_window.is_some_and(|(a, b)| at + grace >= a && at <= b + grace);
    let node_5xx: Vec<&Failure5xx> = log.five.iter().filter(|f| f.from_node && !in_db_window(f.at)).collect();
    let node_5xx_db = log.five.iter().filter(|f| f.from_node && in_db_window(f.at)).count();
    let proxy_5xx = log.five.iter().filter(|f| !f.from_node).count();
    for f in node_5xx.iter().take(10) {
        r.problems.push(format!("a node answered {} to {} outside the database restart", f.status, f.what));
    }
    if node_5xx.len() > 10 {
        r.problems.push(format!("… {} node 5xx in all", node_5xx.len()));
    }

    let by_kind = |k: Kind| log.writes.iter().filter(|w| w.kind == k && w.outcome == Outcome::Acknowledged).count();
    println!(
        "faults: {}: {} nodes, {:.0?} of load: {} applications, {} cases, {} records, {} documents acknowledged; {} refused; \
         {} answers lost with a node ({} of them written, at most once); {} logins ({} failed); {} diary searches ({} failed); \
         {} diary series without gaps; {} confirmations sent, {} duplicate deliveries; 5xx: {} from HAProxy while no node could answer, \
         {} from nodes during the database restart, {} from nodes otherwise; {} transport errors; audit: {}",
        p.name,
        p.nodes,
        load_time,
        acked_apps,
        by_kind(Kind::Case),
        by_kind(Kind::Record),
        by_kind(Kind::Document),
        log.writes.iter().filter(|w| w.outcome == Outcome::Refused).count(),
        r.unknown,
        r.unknown_written,
        log.logins_ok + log.logins_failed,
        log.logins_failed,
        log.searches_ok + log.searches_failed,
        log.searches_failed,
        series,
        sent,
        duplicates,
        proxy_5xx,
        node_5xx_db,
        node_5xx.len(),
        log.transport_errors,
        audit_text.lines().last().unwrap_or("").trim(),
    );
    let refused: Vec<&Write> = log.writes.iter().filter(|w| w.outcome == Outcome::Refused).take(5).collect();
    for w in refused {
        println!("faults: {}: refused with {}: {:?} {}", p.name, w.status, w.kind, w.key);
    }
    for pr in &r.problems {
        println!("faults: {}: FAILED: {pr}", p.name);
    }
    if r.acknowledged == 0 {
        r.problems.push("no write was acknowledged".into());
        println!("faults: {}: FAILED: no write was acknowledged", p.name);
    }
    Ok(Outcomes { acknowledged: r.acknowledged, lost: r.lost, doubled: r.doubled, killed, db_restarts, ok: r.problems.is_empty() })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let o = opts()?;
    if o.work.exists() {
        std::fs::remove_dir_all(&o.work)?;
    }
    std::fs::create_dir_all(&o.work)?;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(0)
        .build()?;
    let seed = seed(&o, &http).await?;
    let smtp = SmtpServer::start().await;
    let (seconds, workers) = if o.short { (20, 6) } else { (60, 12) };
    let phases = [
        Phase { name: "postgres", nodes: 3, seconds, workers, kill_every: Duration::from_secs(3), max_kills: 100, restart_db: true },
        Phase {
            name: "sqlite",
            nodes: 1,
            seconds: seconds / 2,
            workers: 4,
            kill_every: Duration::from_secs(seconds / 4),
            max_kills: 1,
            restart_db: false,
        },
    ];
    let mut total = Outcomes { acknowledged: 0, lost: 0, doubled: 0, killed: 0, db_restarts: 0, ok: true };
    for p in &phases {
        if o.only.as_deref().is_some_and(|only| only != p.name) {
            continue;
        }
        let r = phase(&o, p, &seed, &smtp, &http).await.with_context(|| format!("the {} phase", p.name))?;
        total.acknowledged += r.acknowledged;
        total.lost += r.lost;
        total.doubled += r.doubled;
        total.killed += r.killed;
        total.db_restarts += r.db_restarts;
        total.ok &= r.ok;
    }
    println!(
        "faults: {} writes acknowledged, {} lost, {} doubled, {} nodes killed, {} database restart{}",
        total.acknowledged,
        total.lost,
        total.doubled,
        total.killed,
        total.db_restarts,
        if total.db_restarts == 1 { "" } else { "s" }
    );
    if !total.ok {
        bail!("the fault test found problems (above); logs in {}", o.work.display());
    }
    Ok(())
}
