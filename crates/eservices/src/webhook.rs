//! Outgoing webhooks per municipality (issue 11 item 13): a municipality's administrator names
//! a URL and the events it wants; the platform makes the secret it signs with. Each event is a
//! delivery row written in the transaction of what it tells — the submission itself
//! ([`submission_received`], called by `service::submit`), or the hand-over of case management's
//! event to the subscriber [`SUBSCRIBER`] (the platform's change log, in that hand-over's
//! transaction) — so an event is queued if and only if its change is committed.
//!
//! The periodic job [`job`] (registered in `Module::jobs`, run by the outbox's background worker
//! on each pass) posts what is due: a JSON body that holds no personal data (no name, no
//! personal identity number, no answer: the receiver fetches those through the authenticated
//! API), signed `X-Radhus-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` with the
//! timestamp in `X-Radhus-Timestamp`. A 2xx answer delivers it; anything else (another status,
//! a timeout, a refused connection) is retried after the outbox's exponential backoff
//! ([`radhus_platform::outbox::backoff`]) until the outbox's last attempt
//! (`outbox_max_attempts`), and each attempt is in the webhook's delivery log, kept
//! [`LOG_DAYS`] days.
//!
//! Only `https://` addresses are taken, and not an internal network's address written as an IP
//! address; `http://` only to `127.0.0.1`, `[::1]` or `localhost`, so a receiver on the same
//! machine (the tests' local server, a developer's) can be used without a certificate. A name
//! that resolves to an internal address is not caught here: the installation's firewall must
//! keep the server's outgoing traffic off internal networks (docs/eservices.md, "Outgoing webhooks").

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Mutex, OnceLock};

use hmac::{Hmac, Mac};
use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::changes::{ChangeRow, HandlerFuture, Subscriber};
use radhus_platform::db::{Db, DbKind, Scope, Tx};
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::on_tx;
use radhus_platform::outbox::{self, JobCtx};
use radhus_platform::pii;
use serde::Serialize;
use sha2::Sha256;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::EsError;

/// The events a webhook can ask for, in the order the page lists them, with their labels.
pub const EVENTS: &[(&str, &str)] = &[
    (SUBMISSION_RECEIVED, "es-wh-event-submission-received"),
    (CASE_REGISTERED, "es-wh-event-case-registered"),
    (CASE_STATUS_CHANGED, "es-wh-event-case-status-changed"),
    (CASE_DECIDED, "es-wh-event-case-decided"),
    (CASE_MESSAGE, "es-wh-event-case-message"),
];

/// A citizen signed and submitted an e-service (queued with the submission).
pub const SUBMISSION_RECEIVED: &str = "submission.received";
/// The submission became a case in the registry (`case.opened`).
pub const CASE_REGISTERED: &str = "case.registered";
/// The case's status changed (`case.status_changed`; `status` is the new one).
pub const CASE_STATUS_CHANGED: &str = "case.status_changed";
/// A decision of the case was dispatched to the party (`decision.dispatched`, ADR 0016).
pub const CASE_DECIDED: &str = "case.decided";
/// The caseworker wrote to the citizen, or the citizen answered (`message.sent`, `message.received`).
pub const CASE_MESSAGE: &str = "case.message";

/// The most webhooks a municipality may have (each event is posted to every one).
pub const MAX_WEBHOOKS: i64 = 10;
/// How long deliveries and their attempts are kept.
pub const LOG_DAYS: i64 = 30;
/// How long one POST may take, connecting included.
pub const TIMEOUT_SECS: u64 = 10;
/// The longest URL taken.
const MAX_URL: usize = 500;
/// How long a claimed delivery is reserved for the job sending it (far above [`TIMEOUT_SECS`]).
const LEASE: Duration = Duration::minutes(5);
/// Deliveries sent per pass of the job, and the time a pass may spend starting new ones.
const BATCH: usize = 20;
const PASS_BUDGET: std::time::Duration = std::time::Duration::from_secs(20);

/// A municipality's webhook as its pages show it (the secret is never read here).
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Webhook {
    pub id: Uuid,
    pub url: String,
    /// Comma-separated event types.
    pub events: String,
    pub status: String,
    pub secret_set_at: OffsetDateTime,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl Webhook {
    pub fn event_list(&self) -> Vec<&str> {
        self.events.split(',').filter(|e| !e.is_empty()).collect()
    }

    pub fn active(&self) -> bool {
        self.status == "active"
    }
}

/// What the administrator posts: the URL, the events (checkboxes) and active or paused.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct WebhookInput {
    #[serde(default)]
    pub url: String,
    #[serde(default, deserialize_with = "radhus_platform::web::form::one_or_many")]
    pub events: Vec<String>,
    #[serde(default)]
    pub status: String,
}

/// A checked input.
struct Checked {
    url: String,
    events: String,
    status: &'static str,
}

/// Checks a webhook's URL: the Fluent id of its problem, or the URL as it is stored.
pub fn check_url(raw: &str) -> std::result::Result<String, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("es-wh-err-url-empty");
    }
    if s.chars().count() > MAX_URL {
        return Err("es-wh-err-url-long");
    }
    let u = url::Url::parse(s).map_err(|_| "es-wh-err-url-invalid")?;
    if !u.username().is_empty() || u.password().is_some() {
        return Err("es-wh-err-url-credentials");
    }
    let host = u.host().ok_or("es-wh-err-url-invalid")?;
    let local = match &host {
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    };
    match u.scheme() {
        "https" => {}
        "http" if local => {}
        _ => return Err("es-wh-err-url-https"),
    }
    let internal = match host {
        url::Host::Domain(d) => !d.contains('.') && !local,
        url::Host::Ipv4(ip) => !local && internal_ip(IpAddr::V4(ip)),
        url::Host::Ipv6(ip) => !local && internal_ip(IpAddr::V6(ip)),
    };
    if internal {
        return Err("es-wh-err-url-internal");
    }
    Ok(u.to_string())
}

/// An address of an internal or special network (private, link-local, shared, unspecified,
/// multicast, documentation): never a receiver's public address.
fn internal_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || (a == 100 && (64..128).contains(&b))
                || a == 0
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_unspecified() || v6.is_multicast() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80 || {
                v6.to_ipv4_mapped().is_some_and(|v4| internal_ip(IpAddr::V4(v4)))
            }
        }
    }
}

fn check(f: &WebhookInput) -> Result<Checked> {
    let mut problems = vec![];
    let url = match check_url(&f.url) {
        Ok(u) => u,
        Err(m) => {
            problems.push(FieldError::new("es_wh_url", m));
            String::new()
        }
    };
    let mut events: Vec<&str> = vec![];
    for e in &f.events {
        match EVENTS.iter().find(|(k, _)| k == e) {
            Some((k, _)) if !events.contains(k) => events.push(k),
            Some(_) => {}
            None => {
                problems.push(FieldError::new("es_wh_events", "es-wh-err-events-unknown"));
                break;
            }
        }
    }
    if events.is_empty() && problems.iter().all(|p| p.field != "es_wh_events") {
        problems.push(FieldError::new("es_wh_events", "es-wh-err-events"));
    }
    // The order of the list, whatever order they were posted in.
    events.sort_by_key(|e| EVENTS.iter().position(|(k, _)| k == e));
    let status = match f.status.as_str() {
        "active" => "active",
        "paused" => "paused",
        _ => {
            problems.push(FieldError::new("es_wh_status", "es-wh-err-status"));
            "paused"
        }
    };
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    Ok(Checked { url, events: events.join(","), status })
}

/// A new secret: 32 random bytes, URL-safe base64, with a prefix that says what it is.
fn new_secret() -> String {
    format!("whsec_{}", radhus_platform::identity::random_token(32))
}

const COLS: &str = "id, url, events, status, secret_set_at, created_at, updated_at";

/// The municipality's webhooks, oldest first.
pub async fn list(tx: &mut Tx, t: TenantId) -> Result<Vec<Webhook>> {
    let sql = format!("SELECT {COLS} FROM es_webhook WHERE tenant_id = $1 ORDER BY created_at, id");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).fetch_all(c).await?))
}

/// One of the municipality's webhooks; another municipality's is not found.
pub async fn get(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Webhook> {
    let sql = format!("SELECT {COLS} FROM es_webhook WHERE tenant_id = $1 AND id = $2");
    let w: Option<Webhook> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(id).fetch_optional(c).await?);
    w.ok_or(Error::NotFound)
}

/// Adds a webhook; returns its id and its secret, which is shown once.
pub async fn create(tx: &mut Tx, t: TenantId, f: &WebhookInput, actor: &Actor, now: OffsetDateTime) -> Result<(Uuid, String)> {
    let c = check(f)?;
    let (n,): (i64,) =
        on_tx!(tx, q => sqlx::query_as("SELECT COUNT(*) FROM es_webhook WHERE tenant_id = $1").bind(t.0).fetch_one(q).await?);
    if n >= MAX_WEBHOOKS {
        return Err(EsError::TooManyWebhooks.into());
    }
    let id = Uuid::now_v7();
    let secret = new_secret();
    on_tx!(tx, q => sqlx::query(
        "INSERT INTO es_webhook (tenant_id, id, url, events, status, secret_sealed, secret_set_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7)")
        .bind(t.0).bind(id).bind(&c.url).bind(&c.events).bind(c.status).bind(pii::seal_text(&secret)?).bind(now)
        .execute(q).await?.rows_affected());
    let ev = Event::new("es.webhook.created", "es_webhook", id)
        .with(serde_json::json!({ "url": c.url, "events": c.events, "status": c.status }));
    audit::record(tx, Some(t), actor, ev, now).await?;
    Ok((id, secret))
}

/// Changes a webhook's URL, events and status (the secret stays).
pub async fn update(tx: &mut Tx, t: TenantId, id: Uuid, f: &WebhookInput, actor: &Actor, now: OffsetDateTime) -> Result<()> {
    get(tx, t, id).await?;
    let c = check(f)?;
    on_tx!(tx, q => sqlx::query("UPDATE es_webhook SET url = $3, events = $4, status = $5, updated_at = $6 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).bind(&c.url).bind(&c.events).bind(c.status).bind(now).execute(q).await?.rows_affected());
    let ev = Event::new("es.webhook.changed", "es_webhook", id)
        .with(serde_json::json!({ "url": c.url, "events": c.events, "status": c.status }));
    audit::record(tx, Some(t), actor, ev, now).await?;
    Ok(())
}

/// Gives a webhook a new secret (the old one signs nothing from now on); returns it, to be
/// shown once.
pub async fn rotate(tx: &mut Tx, t: TenantId, id: Uuid, actor: &Actor, now: OffsetDateTime) -> Result<String> {
    get(tx, t, id).await?;
    let secret = new_secret();
    on_tx!(tx, q => sqlx::query("UPDATE es_webhook SET secret_sealed = $3, secret_set_at = $4, updated_at = $4 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).bind(pii::seal_text(&secret)?).bind(now).execute(q).await?.rows_affected());
    audit::record(tx, Some(t), actor, Event::new("es.webhook.secret_rotated", "es_webhook", id), now).await?;
    Ok(secret)
}

/// Removes a webhook with its deliveries and their log.
pub async fn delete(tx: &mut Tx, t: TenantId, id: Uuid, actor: &Actor, now: OffsetDateTime) -> Result<()> {
    let w = get(tx, t, id).await?;
    on_tx!(tx, q => sqlx::query(
        "DELETE FROM es_webhook_attempt WHERE tenant_id = $1 AND delivery_id IN (SELECT id FROM es_webhook_delivery WHERE tenant_id = $1 AND webhook_id = $2)")
        .bind(t.0).bind(id).execute(q).await?.rows_affected());
    on_tx!(tx, q => sqlx::query("DELETE FROM es_webhook_delivery WHERE tenant_id = $1 AND webhook_id = $2")
        .bind(t.0).bind(id).execute(q).await?.rows_affected());
    on_tx!(tx, q => sqlx::query("DELETE FROM es_webhook WHERE tenant_id = $1 AND id = $2").bind(t.0).bind(id).execute(q).await?.rows_affected());
    let ev = Event::new("es.webhook.deleted", "es_webhook", id).with(serde_json::json!({ "url": w.url }));
    audit::record(tx, Some(t), actor, ev, now).await?;
    Ok(())
}

/// One line of a webhook's delivery log: a delivery and one of its attempts (none yet: the
/// attempt fields are empty).
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct LogLine {
    pub delivery_id: Uuid,
    pub event_type: String,
    pub created_at: OffsetDateTime,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: OffsetDateTime,
    pub attempt: Option<i32>,
    pub at: Option<OffsetDateTime>,
    pub http_status: Option<i32>,
    pub error: Option<String>,
}

impl LogLine {
    /// This line is the delivery's latest attempt (or it has none) and another will be made.
    pub fn waits(&self) -> bool {
        self.status == "pending" && self.attempt.unwrap_or(0) == self.attempts
    }
}

/// The webhook's latest deliveries (at most `limit`) with each attempt, newest first.
pub async fn log(tx: &mut Tx, t: TenantId, webhook: Uuid, limit: i64) -> Result<Vec<LogLine>> {
    Ok(on_tx!(tx, q => sqlx::query_as(
        "SELECT d.id AS delivery_id, d.event_type, d.created_at, d.status, d.attempts, d.next_attempt_at, \
                a.attempt, a.at, a.http_status, a.error \
         FROM (SELECT * FROM es_webhook_delivery WHERE tenant_id = $1 AND webhook_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3) d \
         LEFT JOIN es_webhook_attempt a ON a.tenant_id = d.tenant_id AND a.delivery_id = d.id \
         ORDER BY d.created_at DESC, d.id DESC, a.attempt DESC")
        .bind(t.0).bind(webhook).bind(limit).fetch_all(q).await?))
}

/// What a webhook is told: no personal data, only what lets the receiver fetch the rest
/// through the authenticated API.
#[derive(Debug, Clone, Serialize)]
pub struct Payload {
    pub id: Uuid,
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    pub municipality: Municipality,
    pub service_key: String,
    pub submission_id: Uuid,
    /// The case's id, for `GET /api/v1/cases/{id}` (none while a submission waits for payment).
    pub case_id: Option<Uuid>,
    pub case_number: Option<String>,
    pub status: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Municipality {
    /// The kommunkod (`1715`).
    pub code: String,
    pub name: String,
}

/// Queues `payload` for every active webhook of the municipality that asked for its type and
/// existed when it happened. Returns how many deliveries were queued; an event queued already
/// (handed over again after a crash) is not queued twice.
pub async fn queue(tx: &mut Tx, t: TenantId, payload: &Payload, now: OffsetDateTime) -> Result<usize> {
    let hooks: Vec<(Uuid, String)> = on_tx!(tx, q => sqlx::query_as(
        "SELECT id, events FROM es_webhook WHERE tenant_id = $1 AND status = 'active' AND created_at <= $2 ORDER BY id")
        .bind(t.0).bind(payload.occurred_at).fetch_all(q).await?);
    let body = serde_json::to_string(payload).map_err(Error::internal("webhook body"))?;
    let mut n = 0;
    for (id, _) in hooks.into_iter().filter(|(_, e)| e.split(',').any(|k| k == payload.kind)) {
        n += on_tx!(tx, q => sqlx::query(
            "INSERT INTO es_webhook_delivery (tenant_id, id, webhook_id, event_id, event_type, body, status, attempts, next_attempt_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7) ON CONFLICT (tenant_id, webhook_id, event_id) DO NOTHING")
            .bind(t.0).bind(Uuid::now_v7()).bind(id).bind(payload.id).bind(payload.kind).bind(&body).bind(now)
            .execute(q).await?.rows_affected());
    }
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

/// Whether any active webhook of the municipality wants events of `kind` (spares the look-ups
/// of most events).
async fn wanted(tx: &mut Tx, t: TenantId, kind: &str) -> Result<bool> {
    let events: Vec<String> = on_tx!(tx, q => sqlx::query_scalar("SELECT events FROM es_webhook WHERE tenant_id = $1 AND status = 'active'")
        .bind(t.0).fetch_all(q).await?);
    Ok(events.iter().any(|e| e.split(',').any(|k| k == kind)))
}

async fn municipality(tx: &mut Tx, t: TenantId) -> Result<Municipality> {
    let m = radhus_platform::tenancy::get(tx, t).await?;
    Ok(Municipality { code: m.kommunkod, name: m.name })
}

/// Called by the submission, in its transaction: `submission.received` to the webhooks that
/// asked for it. Its status is `registered` when the submission is a case already, else
/// `awaiting_payment` (a service that registers once the fee is paid).
pub async fn submission_received(tx: &mut Tx, t: TenantId, s: &crate::store::Submission, now: OffsetDateTime) -> Result<usize> {
    if !wanted(tx, t, SUBMISSION_RECEIVED).await? {
        return Ok(0);
    }
    let payload = Payload {
        id: Uuid::now_v7(),
        kind: SUBMISSION_RECEIVED,
        occurred_at: now,
        municipality: municipality(tx, t).await?,
        service_key: s.service_key.clone(),
        submission_id: s.id,
        case_id: s.case_id,
        case_number: s.case_number.clone(),
        status: Some(if s.case_id.is_some() { "registered" } else { "awaiting_payment" }.to_string()),
    };
    queue(tx, t, &payload, now).await
}

/// The subscription to case management's events; its name keys its cursors and must never change.
pub const SUBSCRIBER: Subscriber = Subscriber { name: "eservices.webhooks", stream: "cases", handle };

fn handle<'a>(tx: &'a mut Tx, e: &'a ChangeRow, now: OffsetDateTime) -> HandlerFuture<'a> {
    Box::pin(on_case_event(tx, e, now))
}

fn text<'a>(e: &'a ChangeRow, key: &str) -> &'a str {
    e.data.0.get(key).and_then(|v| v.as_str()).unwrap_or("")
}

/// A case event of a case that came from one of the municipality's e-services, to the webhooks
/// that asked for its type; other cases' events are passed over.
async fn on_case_event(tx: &mut Tx, e: &ChangeRow, now: OffsetDateTime) -> Result<()> {
    let (kind, status) = match e.kind.as_str() {
        "case.opened" => (CASE_REGISTERED, Some("open".to_string())),
        "case.status_changed" => (CASE_STATUS_CHANGED, Some(text(e, "to").to_string()).filter(|s| !s.is_empty())),
        "decision.dispatched" => (CASE_DECIDED, Some("decided".to_string())),
        "message.sent" | "message.received" => (CASE_MESSAGE, None),
        _ => return Ok(()),
    };
    let t = TenantId(e.tenant_id);
    let Some(case) = Uuid::parse_str(text(e, "case_id")).ok() else { return Ok(()) };
    if !wanted(tx, t, kind).await? {
        return Ok(());
    }
    let from: Option<(Uuid, String)> = on_tx!(tx, q => sqlx::query_as(
        "SELECT id, service_key FROM es_submission WHERE tenant_id = $1 AND case_id = $2 ORDER BY signed_at LIMIT 1")
        .bind(t.0).bind(case).fetch_optional(q).await?);
    let Some((submission, service_key)) = from else { return Ok(()) };
    let number = text(e, "case_number");
    let payload = Payload {
        id: e.id,
        kind,
        occurred_at: e.at,
        municipality: municipality(tx, t).await?,
        service_key,
        submission_id: submission,
        case_id: Some(case),
        case_number: (!number.is_empty()).then(|| number.to_string()),
        status,
    };
    queue(tx, t, &payload, now).await?;
    Ok(())
}

/// `sha256=<hex>`: HMAC-SHA256 with the secret over `<timestamp>.<body>`.
pub fn sign(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// The HTTP client of every delivery: a short timeout, no redirects (a receiver that moved
/// changes its URL here), the platform's user agent.
fn client() -> Result<&'static reqwest::Client> {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    if let Some(c) = CLIENT.get() {
        return Ok(c);
    }
    let c = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(TIMEOUT_SECS))
        .connect_timeout(std::time::Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Radhus-Webhook/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(Error::internal("webhook client"))?;
    Ok(CLIENT.get_or_init(|| c))
}

#[derive(sqlx::FromRow)]
struct Due {
    tenant_id: Uuid,
    id: Uuid,
    event_type: String,
    body: String,
    attempts: i32,
    url: String,
    secret_sealed: String,
}

/// How many municipalities with due deliveries one claim looks at, the longest-waiting first.
const CLAIM_TENANTS: i64 = 32;

/// Claims the next due delivery of an active webhook (as the outbox claims a message): picked
/// in a short transaction (`FOR UPDATE SKIP LOCKED` on PostgreSQL) and moved a [`LEASE`] ahead.
/// As the outbox does, the municipalities with due deliveries are read first without a lock
/// and the row lock is then taken within one municipality at a time (one shard on Citus).
async fn claim(db: &Db, now: OffsetDateTime) -> Result<Option<Due>> {
    let mut tx = db.write(Scope::System).await?;
    let tenants: Vec<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT d.tenant_id FROM es_webhook_delivery d JOIN es_webhook w ON w.tenant_id = d.tenant_id AND w.id = d.webhook_id \
         WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND w.status = 'active' \
         GROUP BY d.tenant_id ORDER BY MIN(d.next_attempt_at), d.tenant_id LIMIT $2")
        .bind(now).bind(CLAIM_TENANTS).fetch_all(c).await?);
    let lock = if tx.kind() == DbKind::Postgres { " FOR UPDATE OF d SKIP LOCKED" } else { "" };
    let sql = format!(
        "SELECT d.tenant_id, d.id, d.event_type, d.body, d.attempts, w.url, w.secret_sealed FROM es_webhook_delivery d \
         JOIN es_webhook w ON w.tenant_id = d.tenant_id AND w.id = d.webhook_id \
         WHERE d.tenant_id = $1 AND d.status = 'pending' AND d.next_attempt_at <= $2 AND w.status = 'active' \
         ORDER BY d.next_attempt_at LIMIT 1{lock}"
    );
    let tenants: Vec<Uuid> = tenants.into_iter().map(|(t,)| t).collect();
    let due: Option<Due> = radhus_platform::outbox::first_in_turn(&mut tx, &tenants, &sql, now).await?;
    if let Some(d) = &due {
        on_tx!(&mut tx, c => sqlx::query("UPDATE es_webhook_delivery SET next_attempt_at = $3 WHERE tenant_id = $1 AND id = $2")
            .bind(d.tenant_id).bind(d.id).bind(now + LEASE).execute(c).await?.rows_affected());
    }
    tx.commit().await?;
    Ok(due)
}

/// One POST: the receiver's HTTP status, or what went wrong before there was one.
async fn post(d: &Due, now: OffsetDateTime) -> std::result::Result<u16, String> {
    let secret = pii::open_text(&d.secret_sealed).map_err(|e| format!("the secret could not be opened: {e}"))?;
    let ts = now.unix_timestamp();
    let resp = client()
        .map_err(|e| e.to_string())?
        .post(&d.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("X-Radhus-Signature", sign(&secret, ts, &d.body))
        .header("X-Radhus-Timestamp", ts.to_string())
        .header("X-Radhus-Event", &d.event_type)
        .header("X-Radhus-Delivery", d.id.to_string())
        .body(d.body.clone())
        .send()
        .await
        .map_err(|e| {
            if e.is_timeout() {
                format!("no answer within {TIMEOUT_SECS} s")
            } else if e.is_connect() {
                "could not connect".to_string()
            } else {
                e.without_url().to_string().chars().take(200).collect()
            }
        })?;
    Ok(resp.status().as_u16())
}

/// Sends what is due (at most [`BATCH`] deliveries, starting none after [`PASS_BUDGET`]),
/// records each attempt and moves each delivery on: delivered on a 2xx answer; else retried
/// after the outbox's backoff, or failed for good at the `max_attempts`th attempt. Returns
/// how many were tried.
pub async fn deliver_due(db: &Db, now: OffsetDateTime, max_attempts: i32) -> Result<usize> {
    let started = std::time::Instant::now();
    let mut tried = 0;
    while tried < BATCH && started.elapsed() < PASS_BUDGET {
        let Some(d) = claim(db, now).await? else { break };
        tried += 1;
        let outcome = post(&d, now).await;
        let attempt = d.attempts + 1;
        let (http_status, error) = match &outcome {
            Ok(s) => (Some(i32::from(*s)), None),
            Err(e) => (None, Some(e.clone())),
        };
        let ok = matches!(outcome, Ok(s) if (200..300).contains(&s));
        let status = if ok {
            "delivered"
        } else if attempt >= max_attempts {
            "failed"
        } else {
            "pending"
        };
        if !ok {
            tracing::warn!(delivery = %d.id, attempt, ?http_status, ?error, "webhook delivery failed");
        }
        let next = if status == "pending" { now + outbox::backoff(attempt) } else { now };
        let mut tx = db.write(Scope::Tenant(TenantId(d.tenant_id))).await?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO es_webhook_attempt (tenant_id, delivery_id, attempt, at, http_status, error) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (tenant_id, delivery_id, attempt) DO NOTHING")
            .bind(d.tenant_id).bind(d.id).bind(attempt).bind(now).bind(http_status).bind(&error).execute(c).await?.rows_affected());
        on_tx!(&mut tx, c => sqlx::query(
            "UPDATE es_webhook_delivery SET status = $3, attempts = $4, next_attempt_at = $5 WHERE tenant_id = $1 AND id = $2")
            .bind(d.tenant_id).bind(d.id).bind(status).bind(attempt).bind(next).execute(c).await?.rows_affected());
        tx.commit().await?;
    }
    Ok(tried)
}

/// Deletes deliveries (with their attempts) queued more than [`LOG_DAYS`] days ago, whatever
/// became of them. Returns how many deliveries went.
pub async fn purge(db: &Db, now: OffsetDateTime) -> Result<usize> {
    let before = now - Duration::days(LOG_DAYS);
    let mut tx = db.write(Scope::System).await?;
    on_tx!(&mut tx, c => sqlx::query(
        "DELETE FROM es_webhook_attempt WHERE EXISTS (SELECT 1 FROM es_webhook_delivery d \
         WHERE d.tenant_id = es_webhook_attempt.tenant_id AND d.id = es_webhook_attempt.delivery_id AND d.created_at < $1)")
        .bind(before).execute(c).await?.rows_affected());
    let n = on_tx!(&mut tx, c => sqlx::query("DELETE FROM es_webhook_delivery WHERE created_at < $1").bind(before).execute(c).await?.rows_affected());
    tx.commit().await?;
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

/// The Swedish day the log was last cleaned in this process.
static LAST_PURGE: Mutex<Option<time::Date>> = Mutex::new(None);

/// The periodic job (registered in `Module::jobs`, called by the background worker on every
/// pass): sends what is due and, once per Swedish day, cleans the log.
pub fn job(ctx: JobCtx) -> Pin<Box<dyn Future<Output = Result<usize>> + Send>> {
    Box::pin(async move {
        let today = radhus_kernel::tz::stockholm(ctx.now).date();
        let clean = {
            let mut last = LAST_PURGE.lock().map_err(|_| Error::Internal("webhook purge lock".into()))?;
            let due = *last != Some(today);
            *last = Some(today);
            due
        };
        let purged = if clean { purge(&ctx.db, ctx.now).await? } else { 0 };
        Ok(purged + deliver_due(&ctx.db, ctx.now, ctx.config.outbox_max_attempts).await?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_a_local_http_address_is_taken() {
        assert_eq!(check_url(" https://mottagare.example.se/hook ").as_deref(), Ok("https://mottagare.example.se/hook"));
        assert!(check_url("http://127.0.0.1:8080/x").is_ok());
        assert!(check_url("http://localhost/x").is_ok());
        assert!(check_url("http://[::1]:9000/").is_ok());
        assert_eq!(check_url("http://mottagare.example.se/hook"), Err("es-wh-err-url-https"));
        assert_eq!(check_url("ftp://mottagare.example.se/"), Err("es-wh-err-url-https"));
        assert_eq!(check_url("inte en adress"), Err("es-wh-err-url-invalid"));
        assert_eq!(check_url(""), Err("es-wh-err-url-empty"));
        assert_eq!(check_url("https://user:pw@example.se/"), Err("es-wh-err-url-credentials"));
        for internal in [
            "https://10.0.0.5/",
            "https://192.168.1.1/",
            "https://172.16.0.1/",
            "https://169.254.169.254/",
            "https://[fd00::1]/",
            "https://intranet/",
        ] {
            assert_eq!(check_url(internal), Err("es-wh-err-url-internal"), "{internal}");
        }
        assert_eq!(check_url(&format!("https://example.se/{}", "a".repeat(500))), Err("es-wh-err-url-long"));
    }

    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_dot_body() {
        // Computed independently: printf '1700000000.{}' | openssl dgst -sha256 -hmac hemlig
        let s = sign("hemlig", 1_700_000_000, "{}");
        assert_eq!(s, "sha256=bd94704b248f215d154ccbd6f1a8458d2c3ef468f2429200293e7e996ac2daaf");
        assert_ne!(s, sign("hemlig", 1_700_000_001, "{}"));
        assert_ne!(s, sign("annan", 1_700_000_000, "{}"));
    }
}
