//! Citizen e-ID through OpenID Connect against a real (test) provider: discovery, PKCE,
//! RS256 ID tokens, the configurable personal-identity-number claim.

use radhus_platform::db::Scope;
use radhus_platform::tenancy;
use radhus_testkit::TestApp;
use radhus_testkit::oidc::{Fault, OidcProvider};

async fn setup() -> (TestApp, OidcProvider) {
    let app = TestApp::new().await;
    let t = app.tenant("kil", "Kil", "1715").await;
    let idp = OidcProvider::start().await;
    let mut op = app.operator("drift@radhus.test").await;
    let r = op
        .post_form(
            &format!("/admin/kommuner/{t}/e-legitimation"),
            &[
                ("issuer_url", &idp.issuer),
                ("client_id", &idp.client_id),
                ("client_secret", &idp.client_secret),
                ("pnr_claim", "personnummer"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut tx = app.db.read(Scope::Platform).await.expect("tx");
    let kil = tenancy::get(&mut tx, t).await.expect("kil");
    assert_eq!(kil.settings.oidc.as_ref().map(|o| o.pnr_claim.as_str()), Some("personnummer"));
    (app, idp)
}

/// Follows the provider's redirect like a browser would; returns the callback path and query.
async fn through_provider(authorize_url: &str) -> String {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let r = http.get(authorize_url).send().await.expect("authorize");
    assert_eq!(r.status().as_u16(), 303, "{:?}", r.text().await);
    let location = r.headers().get("location").and_then(|v| v.to_str().ok()).expect("location").to_string();
    let url = url::Url::parse(&location).expect("callback url");
    assert_eq!(url.host_str(), Some("kil.localhost"));
    format!("{}?{}", url.path(), url.query().unwrap_or(""))
}

#[tokio::test]
async fn a_citizen_logs_in_through_the_municipalitys_oidc_provider() {
    let (app, idp) = setup().await;
    idp.set_person(serde_json::json!({ "personnummer": "198112189876", "given_name": "Karin", "family_name": "Svensson" }));
    let mut c = app.client("kil.localhost");
    assert!(c.get("/e-legitimation").await.body.contains("/e-legitimation/start"));
    let start = c.get("/e-legitimation/start").await;
    assert_eq!(start.status, 303, "{}", start.body);
    let authorize = start.location().expect("location").to_string();
    assert!(authorize.starts_with(&format!("{}/authorize?", idp.issuer)));
    assert!(authorize.contains("code_challenge_method=S256") && authorize.contains("nonce="));
    let callback = through_provider(&authorize).await;
    let r = c.get(&callback).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), Some("/"), "without a return address the login lands on the start page");
    let me = c.get("/api/v1/me").await.json();
    assert_eq!(me["kind"], "citizen");
    assert_eq!(me["name"], "Karin Svensson");
    // The same callback cannot be used twice.
    let mut again = app.client("kil.localhost");
    let r = again.get(&callback).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Inloggningen med e-legitimation misslyckades"));
}

#[tokio::test]
async fn the_login_returns_to_the_local_page_that_asked_for_it() {
    let (app, idp) = setup().await;
    idp.set_person(serde_json::json!({ "personnummer": "198112189876", "name": "Karin Svensson" }));
    let mut c = app.client("kil.localhost");
    let choice = c.get("/e-legitimation?next=/valarbete/mina-sidor").await;
    assert!(choice.body.contains("/e-legitimation/start?next=%2Fvalarbete%2Fmina-sidor"), "{}", choice.body);
    let start = c.get("/e-legitimation/start?next=/valarbete/mina-sidor").await;
    let r = c.get(&through_provider(start.location().expect("location")).await).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), Some("/valarbete/mina-sidor"));
    // Another site is never a return address.
    let mut c = app.client("kil.localhost");
    assert!(!c.get("/e-legitimation?next=//evil.example").await.body.contains("evil"));
    let start = c.get("/e-legitimation/start?next=//evil.example/").await;
    let r = c.get(&through_provider(start.location().expect("location")).await).await;
    assert_eq!(r.location(), Some("/"));
}

#[tokio::test]
async fn a_token_without_a_valid_personal_identity_number_is_refused() {
    let (app, idp) = setup().await;
    idp.set_person(serde_json::json!({ "personnummer": "198112189877", "name": "Fel Nummer" }));
    let mut c = app.client("kil.localhost");
    let start = c.get("/e-legitimation/start").await;
    let callback = through_provider(start.location().expect("location")).await;
    let r = c.get(&callback).await;
    assert_eq!(r.status, 422);
    assert!(c.cookie("radhus-session").is_none());

    idp.set_person(serde_json::json!({ "name": "Utan Nummer" }));
    let start = c.get("/e-legitimation/start").await;
    let callback = through_provider(start.location().expect("location")).await;
    assert_eq!(c.get(&callback).await.status, 422);
}

#[tokio::test]
async fn a_forged_state_is_refused() {
    let (app, _idp) = setup().await;
    let mut c = app.client("kil.localhost");
    let r = c.get("/e-legitimation/callback?code=x&state=forged").await;
    assert_eq!(r.status, 422);
    assert_eq!(c.get("/api/v1/me").await.json()["kind"], "anonymous");
}

#[tokio::test]
async fn without_configuration_there_is_no_oidc_login() {
    let app = TestApp::new().await;
    app.tenant("kil", "Kil", "1715").await;
    let mut c = app.client("kil.localhost");
    let r = c.get("/e-legitimation/start").await;
    assert_eq!(r.status, 404);
    assert!(r.body.contains("inte inrättad"));
}

#[tokio::test]
async fn a_callback_is_refused_in_a_browser_that_did_not_start_the_login() {
    let (app, idp) = setup().await;
    idp.set_person(serde_json::json!({ "personnummer": "198112189876", "name": "Angripare Svensson" }));
    // The attacker starts a login in his own browser and sends the callback address on.
    let mut attacker = app.client("kil.localhost");
    let start = attacker.get("/e-legitimation/start").await;
    let callback = through_provider(start.location().expect("location")).await;
    let mut victim = app.client("kil.localhost");
    let r = victim.get(&callback).await;
    assert_eq!(r.status, 422, "login CSRF: {}", r.body);
    assert_eq!(victim.get("/api/v1/me").await.json()["kind"], "anonymous");
    // The browser that started it still completes it.
    let r = attacker.get(&callback).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(attacker.get("/api/v1/me").await.json()["kind"], "citizen");
}

/// The provider signs wrongly in each of the ways a client must catch: wrong audience, wrong
/// issuer, wrong nonce, expired, a signature that does not match the payload, a key id the
/// provider does not publish. Each is refused with `AUTH-008` and nobody is logged in; the same
/// login with a right token then succeeds, so it was the fault that was refused.
#[tokio::test]
async fn id_tokens_signed_wrongly_are_refused_and_nobody_is_logged_in() {
    let (app, idp) = setup().await;
    idp.set_person(serde_json::json!({ "personnummer": "198112189876", "name": "Karin Svensson" }));
    // The operator's log says why each login was refused (the person sees only AUTH-008).
    let log = Log::default();
    // tracing caches each log line's interest process-wide when the line first runs. While only one
    // dispatcher exists, that interest is asked of the *running thread's* subscriber — another
    // test's thread has none and would cache "never", silencing the line here too (CI saw it). A
    // second live dispatcher makes tracing ask every live subscriber, this capture included.
    let _second = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());
    let _capture = tracing::subscriber::set_default(
        tracing_subscriber::fmt().with_writer(log.clone()).with_ansi(false).with_max_level(tracing::Level::WARN).finish(),
    );
    // Every fault is tried before the verdict, so that a failure names all that got through.
    let mut accepted = vec![];
    for fault in Fault::ALL {
        idp.sign_wrongly(Some(fault));
        let mut c = app.client("kil.localhost");
        let start = c.get("/e-legitimation/start").await;
        let callback = through_provider(start.location().expect("location")).await;
        let r = c.get(&callback).await;
        let refused = r.status == 422
            && r.body.contains("Inloggningen med e-legitimation misslyckades")
            && r.body.contains("<code>AUTH-008</code>")
            && c.cookie("radhus-session").is_none()
            && c.get("/api/v1/me").await.json()["kind"] == "anonymous";
        if !refused {
            accepted.push((fault, r.status));
        }
    }
    assert_eq!(accepted, vec![], "ID tokens that were not refused with AUTH-008 (fault, status)");
    let refusals: Vec<String> = log.text().lines().filter(|l| l.contains("e-ID login refused")).map(str::to_owned).collect();
    assert_eq!(refusals.len(), Fault::ALL.len(), "one logged refusal per fault: {refusals:#?}");
    assert!(
        refusals.iter().all(|l| l.contains("host=\"kil.localhost\"") && l.contains("step=\"callback\"") && l.contains("reason=\"ID token")),
        "each names the host, the step and the reason: {refusals:#?}"
    );
    let count = |sql: &'static str| {
        let db = app.db.clone();
        async move {
            let mut tx = db.read(Scope::Platform).await.expect("tx");
            let (n,): (i64,) =
                radhus_platform::on_tx!(&mut tx, c => sqlx::query_as(sql).bind("citizen").fetch_one(c).await.expect("count"));
            tx.commit().await.expect("commit");
            n
        }
    };
    assert_eq!(count("SELECT COUNT(*) FROM session WHERE kind = $1").await, 0, "no citizen session");
    let mut tx = app.db.read(Scope::System).await.expect("tx");
    let (logins,): (i64,) = radhus_platform::on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT COUNT(*) FROM audit_event WHERE action = 'login' AND actor_kind = $1").bind("citizen").fetch_one(c).await.expect("audit"));
    tx.commit().await.expect("commit");
    assert_eq!(logins, 0, "no citizen login in the audit log");
    // The same login with a right token goes through.
    idp.sign_wrongly(None);
    let mut c = app.client("kil.localhost");
    let start = c.get("/e-legitimation/start").await;
    let r = c.get(&through_provider(start.location().expect("location")).await).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let me = c.get("/api/v1/me").await.json();
    assert_eq!((me["kind"].as_str(), me["name"].as_str()), (Some("citizen"), Some("Karin Svensson")));
    assert_eq!(count("SELECT COUNT(*) FROM session WHERE kind = $1").await, 1);
}

/// A log written to memory, for reading what the server told the operator.
#[derive(Clone, Default)]
struct Log(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Log {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("log")).into_owned()
    }
}

impl std::io::Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Log {
    type Writer = Log;
    fn make_writer(&'a self) -> Log {
        self.clone()
    }
}
