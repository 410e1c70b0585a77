//! Runtime configuration. The server crate loads it with figment from a TOML file and
//! `RADHUS_*` environment variables; tests build it in code.

use serde::{Deserialize, Serialize};

/// Demo and test mode mount the test e-ID and the fixture population register;
/// production refuses both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Production,
    Demo,
    Test,
}

impl Mode {
    pub fn allows_test_eid(self) -> bool {
        matches!(self, Mode::Demo | Mode::Test)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    pub mode: Mode,
    /// `sqlite:path?mode=rwc` or `postgres://…`.
    pub database_url: String,
    pub listen: String,
    /// Host names that serve the platform's own pages (landing page, operator admin).
    pub platform_hosts: Vec<String>,
    /// The public base URL of the platform host, used in e-mails and OIDC redirects.
    pub public_url: String,
    /// Sends HSTS; set when the server is reached over TLS.
    pub tls: bool,
    /// Marks cookies `Secure`. Browsers accept secure cookies on http://localhost and
    /// http://*.localhost, so the demo keeps this on too.
    pub cookie_secure: bool,
    /// A session ends after this many idle minutes…
    pub session_idle_minutes: i64,
    /// …and at the latest after this many hours.
    pub session_max_hours: i64,
    pub max_body_bytes: usize,
    /// Failed logins in a row before the account is locked.
    pub lockout_failures: i32,
    pub lockout_minutes: i64,
    /// Login attempts per client address and minute.
    pub login_attempts_per_minute: u32,
    pub smtp: SmtpConfig,
    pub sms: SmsConfig,
    /// How often the outbox worker looks for due messages.
    pub outbox_poll_ms: u64,
    pub outbox_max_attempts: i32,
    pub log_json: bool,
    /// When set, `/metrics` answers only requests with `Authorization: Bearer <token>`.
    pub metrics_token: String,
    /// Behind a reverse proxy: take the client address from the last `X-Forwarded-For` hop
    /// (for the login rate limit and the audit log). Only set it when a proxy sets the header.
    pub behind_proxy: bool,
    /// Citizen single sign-on (ADR 0017): a municipality's host sends its e-ID login through
    /// the platform host, and an anonymous browser's first page on a municipality's host asks
    /// the platform host whether it is logged in there. Off in `Config::default()` (the
    /// tests' base); the server's configuration turns it on unless it is set to false.
    pub citizen_sso: bool,
    /// The key file for personal identity numbers (`radhus_platform::pii`, ADR 0018): lines
    /// `index=`, `active=` and `<key id>=<base64>`. Required by `serve`; `demo` makes
    /// `<data folder>/pii-keys` when unset. Keep it apart from database backups.
    pub pii_keys_file: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            mode: Mode::Production,
            database_url: "sqlite:radhus-data/radhus.db".into(),
            listen: "127.0.0.1:8080".into(),
            platform_hosts: vec!["localhost".into(), "127.0.0.1".into()],
            public_url: "http://localhost:8080".into(),
            tls: false,
            cookie_secure: true,
            session_idle_minutes: 60,
            session_max_hours: 12,
            max_body_bytes: 2 * 1024 * 1024,
            lockout_failures: 5,
            lockout_minutes: 15,
            login_attempts_per_minute: 20,
            smtp: SmtpConfig::default(),
            sms: SmsConfig::default(),
            outbox_poll_ms: 2000,
            outbox_max_attempts: 8,
            log_json: false,
            metrics_token: String::new(),
            behind_proxy: false,
            citizen_sso: false,
            pii_keys_file: String::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct SmtpConfig {
    /// Empty: e-mail stays in the outbox as failed with a clear error.
    pub host: String,
    pub port: u16,
    /// `none`, `starttls` or `tls`.
    pub security: String,
    pub username: String,
    pub password: String,
    pub from: String,
}

impl Default for SmtpConfig {
    fn default() -> Self {
        Self {
            host: String::new(),
            port: 25,
            security: "starttls".into(),
            username: String::new(),
            password: String::new(),
            from: "Rådhus <noreply@radhus.localhost>".into(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SmsConfig {
    /// The HTTP gateway's endpoint; empty: SMS stays in the outbox as failed.
    pub url: String,
    pub token: String,
    pub sender: String,
}

/// `scheme://host[:port]` of `host`, with the scheme and port of `public_url` (for pages and for
/// the background worker's jobs, `outbox::JobCtx`).
pub fn site_url(public_url: &str, host: &str) -> String {
    let scheme = public_url.split("://").next().unwrap_or("https");
    format!("{scheme}://{host}{}", port_of(public_url))
}

/// `:port` of a URL that names one, else empty.
pub fn port_of(url: &str) -> String {
    url.split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|authority| authority.rsplit_once(':'))
        .map(|(_, p)| format!(":{p}"))
        .unwrap_or_default()
}
