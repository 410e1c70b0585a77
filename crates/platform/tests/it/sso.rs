//! One e-ID for the whole platform (issue 10 item 4, ADR 0017): the login on the platform host,
//! the hand-off to the municipalities' hosts, the probe, logout everywhere, and the bad input
//! (replayed, expired or misplaced codes, a tampered return address) that writes nothing.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{Request, header};
use radhus_platform::db::Scope;
use radhus_platform::on_tx;
use radhus_testkit::client::Response;
use radhus_testkit::oidc::OidcProvider;
use radhus_testkit::{Client, TestApp};

const ASTRID: &str = "19850315-2384";
/// A browser state as a municipality's host makes them.
const STATE: &str = "c3RhdGUtb2YtYS1icm93c2Vy";

async fn app() -> TestApp {
    let app = TestApp::with_modules(|cfg| vec![radhus_platform::platform_module(cfg)], |cfg| cfg.citizen_sso = true).await;
    app.tenant("karlstad", "Karlstad", "1780").await;
    app.tenant("kil", "Kil", "1715").await;
    app
}

/// One browser: a cookie jar per host (as `__Host-` cookies are), following redirects across
/// hosts like a browser that navigates to pages.
struct Browser<'a> {
    app: &'a TestApp,
    hosts: BTreeMap<String, Client>,
}

impl<'a> Browser<'a> {
    fn new(app: &'a TestApp) -> Self {
        Browser { app, hosts: BTreeMap::new() }
    }

    fn on(&mut self, host: &str) -> &mut Client {
        self.hosts.entry(host.to_string()).or_insert_with(|| self.app.client(host))
    }

    /// A page navigation (`Accept: text/html`); follows redirects and returns the last host
    /// and response.
    async fn visit(&mut self, host: &str, path: &str) -> (String, Response) {
        let (mut host, mut path) = (host.to_string(), path.to_string());
        for _ in 0..10 {
            let req = Request::get(&path).header(header::ACCEPT, "text/html,application/xhtml+xml").body(Body::empty()).expect("req");
            let r = self.on(&host).send(req).await;
            match r.location().map(str::to_string) {
                Some(loc) if (300..400).contains(&r.status) => (host, path) = split(&host, &loc),
                _ => return (host, r),
            }
        }
        panic!("redirect loop");
    }

    /// Follows a redirect response (absolute or local) like a browser.
    async fn follow(&mut self, host: &str, r: &Response) -> (String, Response) {
        assert!((300..400).contains(&r.status), "{} {}", r.status, r.body);
        let (h, p) = split(host, r.location().expect("location"));
        self.visit(&h, &p).await
    }

    async fn kind(&mut self, host: &str) -> String {
        self.on(host).get("/api/v1/me").await.json()["kind"].as_str().unwrap_or_default().to_string()
    }
}

/// Host and path of a Location header.
fn split(host: &str, location: &str) -> (String, String) {
    match url::Url::parse(location) {
        Ok(u) => {
            (u.host_str().expect("host").to_string(), format!("{}{}", u.path(), u.query().map(|q| format!("?{q}")).unwrap_or_default()))
        }
        Err(_) => (host.to_string(), location.to_string()),
    }
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let mut tx = app.db.read(Scope::Platform).await.expect("tx");
    let n: i64 = on_tx!(&mut tx, c => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(c).await.expect("count"));
    tx.commit().await.expect("commit");
    n
}

async fn citizen_sessions(app: &TestApp) -> i64 {
    count(app, "SELECT COUNT(*) FROM session WHERE kind = 'citizen'").await
}

/// Starts the test e-ID on `host`, which sends the browser to the platform host's (with a
/// browser state in its cookie), and logs in there; returns the redirect to the hand-off (not
/// followed).
async fn platform_login(b: &mut Browser<'_>, host: &str, next: &str) -> Response {
    let away = b.on(host).get(&format!("/e-legitimation/test?next={}", urlencode(next))).await;
    assert_eq!(away.status, 303, "{}", away.body);
    assert!(b.on(host).cookie("radhus-sso-state").is_some());
    let (platform, path) = split(host, away.location().expect("location"));
    assert_eq!(platform, "localhost");
    let page = b.on("localhost").get(&path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(&format!(r#"name="retur" value="{host}""#)), "{}", page.body);
    let state = page.body.split(r#"name="state" value=""#).nth(1).and_then(|r| r.split('"').next()).expect("state").to_string();
    let r = b
        .on("localhost")
        .post_form("/e-legitimation/test", &[("person", ASTRID), ("retur", host), ("state", &state), ("next", next)])
        .await;
    // A form's answer does not redirect to another host (CSP `form-action 'self'`): a page
    // goes on by a meta refresh and a link, both to the hand-off. Returned as that redirect.
    assert_eq!(r.status, 200, "{}", r.body);
    let refresh = r.body.split(r#"content="0;url="#).nth(1).and_then(|x| x.split('"').next()).expect("meta refresh");
    let loc = refresh.replace("&#38;", "&").replace("&amp;", "&");
    assert!(r.body.contains(&format!(r#"href="{refresh}""#)), "the link goes there too");
    assert!(loc.starts_with(&format!("http://{host}/e-legitimation/overlamning?code=")), "{loc}");
    let mut headers = r.headers.clone();
    headers.insert(axum::http::header::LOCATION, loc.parse().expect("header"));
    Response { status: 303, headers, body: String::new() }
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn one_e_id_login_covers_every_host_and_logout_ends_it_everywhere() {
    let app = app().await;
    let mut b = Browser::new(&app);
    // An anonymous browser's first page on a municipality's host asks the platform, which has
    // no session: back to the page, anonymous, and the host does not ask again at once.
    let (host, r) = b.visit("karlstad.localhost", "/").await;
    assert_eq!((host.as_str(), r.status), ("karlstad.localhost", 200), "{}", r.body);
    assert!(b.on("karlstad.localhost").cookie("radhus-sso-probe").is_some());
    let again =
        b.on("karlstad.localhost").send(Request::get("/").header(header::ACCEPT, "text/html").body(Body::empty()).expect("req")).await;
    assert_eq!(again.status, 200, "the probe is done: no second redirect");

    // "Logga in med e-legitimation" on Karlstad's host goes to the platform host.
    let (host, choice) = b.visit("karlstad.localhost", "/e-legitimation?next=/").await;
    assert_eq!(host, "localhost");
    assert!(choice.body.contains("/e-legitimation/test?retur=karlstad.localhost&#38;state="), "{}", choice.body);
    assert!(choice.body.contains("Karlstads kommun"), "the page says where the login returns to");
    let (host, test_page) = b.visit("karlstad.localhost", "/e-legitimation/test").await;
    assert_eq!(host, "localhost", "the test e-ID of a municipality's host is the platform's");
    assert!(test_page.body.contains(r#"name="retur" value="karlstad.localhost""#));

    let r = platform_login(&mut b, "karlstad.localhost", "/").await;
    let (host, landed) = b.follow("localhost", &r).await;
    assert_eq!(host, "karlstad.localhost");
    assert!(landed.body.contains("Du är inloggad som Astrid Lindqvist"), "{}", landed.body);
    assert_eq!(b.kind("karlstad.localhost").await, "citizen");
    assert_eq!(b.kind("localhost").await, "citizen", "logged in on the platform host too");

    // Kil's host has never been visited: its first page asks the platform and is logged in.
    let (host, kil) = b.visit("kil.localhost", "/").await;
    assert_eq!(host, "kil.localhost");
    assert!(kil.body.contains("Du är inloggad som Astrid Lindqvist"), "{}", kil.body);
    // Kil's e-ID login does not ask again either: the platform hands back at once.
    let (host, _) = b.visit("kil.localhost", "/e-legitimation").await;
    assert_eq!(host, "kil.localhost");

    // Three sessions of one group, each saying how the citizen was identified.
    assert_eq!(citizen_sessions(&app).await, 3);
    assert_eq!(count(&app, "SELECT COUNT(DISTINCT sso_group) FROM session WHERE kind = 'citizen'").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM session WHERE auth_method = 'test-eid' AND assurance = 'eid'").await, 3);
    // The code is stored only as its hash, and it is used up.
    assert_eq!(count(&app, "SELECT COUNT(*) FROM sso_handoff WHERE used_at IS NULL").await, 0);

    // Logging out on one host logs out on all.
    let out = b.on("kil.localhost").post_form("/logga-ut", &[]).await;
    assert_eq!(out.status, 303);
    for host in ["kil.localhost", "karlstad.localhost", "localhost"] {
        assert_eq!(b.kind(host).await, "anonymous", "{host}");
    }
    assert_eq!(citizen_sessions(&app).await, 0);
}

#[tokio::test]
async fn a_replayed_code_is_refused_and_writes_nothing() {
    let app = app().await;
    let mut b = Browser::new(&app);
    let r = platform_login(&mut b, "kil.localhost", "/").await;
    let (_, path) = split("localhost", r.location().expect("location"));
    let first = b.on("kil.localhost").get(&path).await;
    assert_eq!(first.status, 303, "{}", first.body);
    let before = citizen_sessions(&app).await;
    // The same address again, in this browser or in another one.
    for mut c in [app.client("kil.localhost"), Client::new(app.router.clone(), "kil.localhost")] {
        let again = c.get(&path).await;
        assert_eq!(again.status, 422, "{}", again.body);
        assert!(again.body.contains("AUTH-010") && again.body.contains("redan använd"), "{}", again.body);
        assert!(c.cookie("radhus-session").is_none());
    }
    assert_eq!(citizen_sessions(&app).await, before, "nothing written");
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let app = app().await;
    let mut b = Browser::new(&app);
    let r = platform_login(&mut b, "kil.localhost", "/").await;
    let (_, path) = split("localhost", r.location().expect("location"));
    app.clock.advance(time::Duration::seconds(61));
    let before = citizen_sessions(&app).await;
    let mut c = app.client("kil.localhost");
    c.accept_language = Some("en".into());
    let late = c.get(&path).await;
    assert_eq!(late.status, 422, "{}", late.body);
    assert!(late.body.contains("The login could not be handed over"), "translated: {}", late.body);
    assert_eq!(citizen_sessions(&app).await, before);
    assert_eq!(c.get("/api/v1/me").await.json()["kind"], "anonymous");
}

#[tokio::test]
async fn a_code_for_another_host_is_refused_there_and_still_works_where_it_belongs() {
    let app = app().await;
    let mut b = Browser::new(&app);
    let r = platform_login(&mut b, "kil.localhost", "/").await;
    let (_, path) = split("localhost", r.location().expect("location"));
    let before = citizen_sessions(&app).await;
    let mut elsewhere = app.client("karlstad.localhost");
    let wrong = elsewhere.get(&path).await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert!(wrong.body.contains("AUTH-010"));
    assert_eq!(elsewhere.get("/api/v1/me").await.json()["kind"], "anonymous");
    // On the platform host the address does not exist at all.
    assert_eq!(app.client("localhost").get(&path).await.status, 404);
    assert_eq!(citizen_sessions(&app).await, before, "nothing written, the code not used up");
    let right = b.on("kil.localhost").get(&path).await;
    assert_eq!(right.status, 303, "{}", right.body);
    assert_eq!(b.kind("kil.localhost").await, "citizen");
}

#[tokio::test]
async fn a_tampered_return_address_is_refused_and_writes_nothing() {
    let app = app().await;
    let mut b = Browser::new(&app);
    let r = platform_login(&mut b, "kil.localhost", "/valarbete").await;
    let (_, path) = split("localhost", r.location().expect("location"));
    assert!(path.ends_with("&next=%2Fvalarbete"), "{path}");
    let before = citizen_sessions(&app).await;
    let base = path.trim_end_matches("&next=%2Fvalarbete");
    for next in ["%2F%2Fevil.example", "https%3A%2F%2Fevil.example%2F", "%2F%09%2Fevil.example", "%2Fadmin"] {
        let mut c = app.client("kil.localhost");
        let bad = c.get(&format!("{base}&next={next}")).await;
        assert_eq!(bad.status, 422, "{next}: {}", bad.body);
        assert!(bad.body.contains("AUTH-011") && bad.body.contains("inte en sida på den här webbplatsen"), "{}", bad.body);
        assert!(bad.location().is_none());
        assert!(c.cookie("radhus-session").is_none());
    }
    assert_eq!(citizen_sessions(&app).await, before);
    let good = b.on("kil.localhost").get(&path).await;
    assert_eq!(good.location(), Some("/valarbete"), "the code was not used up by the tampered tries");

    // The platform refuses to hand off to a host that is no municipality's, or with a `next`
    // that is not local, before it writes anything (no session, no code).
    let mut p = app.client("localhost");
    let before = (citizen_sessions(&app).await, count(&app, "SELECT COUNT(*) FROM sso_handoff").await);
    for (retur, next) in
        [("evil.example", "/"), ("localhost", "/"), ("kil.localhost@evil.example", "/"), ("kil.localhost", "//evil.example")]
    {
        let r = p.post_form("/e-legitimation/test", &[("person", ASTRID), ("retur", retur), ("state", STATE), ("next", next)]).await;
        assert_eq!(r.status, 422, "{retur} {next}: {}", r.body);
        assert!(r.body.contains("AUTH-011"));
        let r = p.get(&format!("/e-legitimation/sso?retur={}&state={STATE}&next={}", urlencode(retur), urlencode(next))).await;
        assert_eq!(r.status, 422, "{retur} {next}");
    }
    assert_eq!((citizen_sessions(&app).await, count(&app, "SELECT COUNT(*) FROM sso_handoff").await), before);
}

#[tokio::test]
async fn the_probe_leaves_machine_clients_and_logged_in_users_alone() {
    let app = app().await;
    // No `Accept: text/html` (curl, the API, feeds): no redirect.
    let mut c = app.client("kil.localhost");
    assert_eq!(c.get("/").await.status, 200);
    let html = |p: &str| Request::get(p).header(header::ACCEPT, "text/html").body(Body::empty()).expect("req");
    for p in ["/api/v1/me", "/healthz", "/assets/app.css", "/logga-in", "/e-legitimation/overlamning"] {
        assert!(c.send(html(p)).await.location().is_none_or(|l| !l.contains("/e-legitimation/sso")), "{p}");
    }
    assert_eq!(app.client("localhost").send(html("/")).await.status, 200, "never on the platform host");
    // Switched off, a municipality's host neither probes nor sends its e-ID login away.
    let off = TestApp::new().await;
    off.tenant("kil", "Kil", "1715").await;
    let mut c = off.client("kil.localhost");
    assert_eq!(c.send(html("/")).await.status, 200);
    assert_eq!(c.get("/e-legitimation/test").await.status, 200);
}

#[tokio::test]
async fn an_e_mail_link_style_session_is_never_handed_on() {
    // A citizen session on a municipality's host only (the test e-ID there with single sign-on
    // off, as the poll worker's e-mail link also makes) has no group: logging out ends it alone.
    let app = TestApp::new().await;
    app.tenant("kil", "Kil", "1715").await;
    let mut kil = app.client("kil.localhost");
    assert_eq!(kil.post_form("/e-legitimation/test", &[("person", ASTRID)]).await.status, 303);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM session WHERE sso_group IS NULL AND assurance = 'eid'").await, 1);
    let mut platform = app.client("localhost");
    assert_eq!(platform.post_form("/e-legitimation/test", &[("person", ASTRID)]).await.status, 303);
    assert_eq!(kil.post_form("/logga-ut", &[]).await.status, 303);
    assert_eq!(platform.get("/api/v1/me").await.json()["kind"], "citizen", "the platform's own session is another login");
}

#[tokio::test]
async fn the_platforms_oidc_provider_logs_a_citizen_in_for_every_municipality() {
    let app = app().await;
    let idp = OidcProvider::start().await;
    let mut op = app.operator("drift@radhus.test").await;
    let page = op.get("/admin/e-legitimation").await;
    assert_eq!(page.status, 200);
    // Bad input: a missing secret is refused with the form again.
    let r = op.post_form("/admin/e-legitimation", &[("issuer_url", &idp.issuer), ("client_id", &idp.client_id)]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = op
        .post_form(
            "/admin/e-legitimation",
            &[
                ("issuer_url", &idp.issuer),
                ("client_id", &idp.client_id),
                ("client_secret", &idp.client_secret),
                ("pnr_claim", "personnummer"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(!op.get("/admin/e-legitimation").await.body.contains(&idp.client_secret), "the secret is never shown again");
    idp.set_person(serde_json::json!({ "personnummer": "198112189876", "name": "Karin Svensson" }));

    let mut b = Browser::new(&app);
    // Kil has no provider of its own: its start goes to the platform's.
    let start = b.on("kil.localhost").get("/e-legitimation/start?next=/").await;
    let to = start.location().expect("location").to_string();
    assert!(to.starts_with("http://localhost/e-legitimation/start?retur=kil.localhost&state=") && to.ends_with("&next=%2F"), "{to}");
    let start = b.on("localhost").get(&split("localhost", &to).1).await;
    let authorize = start.location().expect("authorize").to_string();
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let r = http.get(&authorize).send().await.expect("authorize");
    let callback = r.headers().get("location").and_then(|v| v.to_str().ok()).expect("callback").to_string();
    let (host, path) = split("localhost", &callback);
    assert_eq!(host, "localhost", "the platform's provider calls back to the platform host");
    let r = b.on("localhost").get(&path).await;
    let (host, landed) = b.follow("localhost", &r).await;
    assert_eq!(host, "kil.localhost");
    assert_eq!(landed.status, 200);
    let me = b.on("kil.localhost").get("/api/v1/me").await.json();
    assert_eq!((me["kind"].as_str(), me["name"].as_str()), (Some("citizen"), Some("Karin Svensson")));
    let issuer = format!("oidc:{}", idp.issuer);
    assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM session WHERE auth_method = '{issuer}' AND assurance = 'eid'")).await, 2);
    // Karlstad's host is logged in without a second login.
    let (_, k) = b.visit("karlstad.localhost", "/").await;
    assert!(k.body.contains("Du är inloggad som Karin Svensson"), "{}", k.body);
}

#[tokio::test]
async fn a_hand_off_made_for_someone_else_is_refused_in_this_browser() {
    // Login CSRF: the attacker logs in and sends his hand-off address to the victim.
    let app = app().await;
    let mut attacker = Browser::new(&app);
    let r = platform_login(&mut attacker, "kil.localhost", "/").await;
    let (_, path) = split("localhost", r.location().expect("location"));
    // The victim has visited Kil (and even started a login there, so has a state of her own).
    let mut victim = Browser::new(&app);
    victim.visit("kil.localhost", "/").await;
    assert_eq!(victim.on("kil.localhost").get("/e-legitimation/test").await.status, 303);
    let before = citizen_sessions(&app).await;
    let r = victim.on("kil.localhost").get(&path).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("AUTH-010"));
    assert_eq!(victim.kind("kil.localhost").await, "anonymous");
    assert_eq!(citizen_sessions(&app).await, before, "nothing written");
    // The platform refuses a return without a browser state from the host.
    let mut p = app.client("localhost");
    let r = p.post_form("/e-legitimation/test", &[("person", ASTRID), ("retur", "kil.localhost"), ("next", "/")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("AUTH-010"));
    assert_eq!(citizen_sessions(&app).await, before);
    // The attacker's own browser still completes his login.
    assert_eq!(attacker.on("kil.localhost").get(&path).await.status, 303);
}
