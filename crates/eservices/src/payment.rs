//! Fees and payment (issue 11 item 6).
//!
//! A submission with a fee (fixed or computed by the form's expression, `form::fee`) becomes a
//! case at once, marked *Väntar på betalning*: the submission's `payment` is `due` and the case
//! gets the event `payment.due`, which *Mina ärenden* shows as a flag with a link to pay. The
//! citizen pays from the receipt page (or from *Mina ärenden*, which links there): each attempt
//! is a row of `es_payment`, started with a [`PaymentProvider`] and settled when the citizen
//! comes back (the provider is asked for the status: the return's parameters only name the
//! payment, so changing them proves nothing), or by the reconciliation job
//! ([`reconcile_job`]) when it never completes: after [`TIMEOUT_MINUTES`] the attempt is
//! asked about once more and, unless paid, ends as `expired` and the citizen is told by e-mail
//! and can pay again. Paid, the submission's `payment` is `paid` and the case gets the event
//! `payment.received`, which lifts the flag.
//!
//! The amount is always the submission's own fee (never a posted value); a provider that
//! reports another amount paid is refused. Paying twice is refused before it starts, and a
//! second completed attempt at the provider is kept as `duplicate` for a refund (at most one
//! paid attempt per submission, a unique index). In the demo and in tests the
//! [`TestProvider`] ("Testbetalning — inga pengar dras") stands where a card or Swish
//! provider's client would.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{LazyLock, Mutex};

use radhus_kernel::Lang;
use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::config::Config;
use radhus_platform::db::{Scope, Tx};
use radhus_platform::error::{Error, Result};
use radhus_platform::on_tx;
use radhus_platform::outbox::job::JobCtx;
use radhus_platform::outbox::templates::{NotificationTemplate, Sender, Text};
use radhus_platform::outbox::{self, Notice};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::citizen::Citizen;
use crate::service;
use crate::{EsError, catalogue, store};

/// How long an attempt may stay unanswered before the reconciliation job settles it.
pub const TIMEOUT_MINUTES: i64 = 30;

/// A payment that never completed: the citizen is told and can pay again.
pub const EXPIRED: NotificationTemplate = NotificationTemplate {
    key: "eservices.payment-expired",
    sender: Sender::Municipality,
    label: "es-notification-payment-expired",
    fields: &["service", "case_number", "amount", "url"],
    sv: Text {
        subject: "Betalningen blev inte klar: {{service}}",
        body: "Hej!\n\nBetalningen av {{amount}} kronor för ditt ärende {{case_number}} ({{service}}) blev inte klar, och inga pengar har dragits. Ärendet är registrerat och väntar på betalning.\n\nDu kan betala på {{url}}\n",
    },
    en: Text {
        subject: "Your payment was not completed: {{service}}",
        body: "Hello,\n\nThe payment of {{amount}} kronor for your case {{case_number}} ({{service}}) was not completed, and no money has been taken. The case is registered and waits for payment.\n\nYou can pay at {{url}}\n",
    },
};

/// A payment that never completed, of a submission that becomes a case only once paid.
pub const EXPIRED_UNREGISTERED: NotificationTemplate = NotificationTemplate {
    key: "eservices.payment-expired-unregistered",
    sender: Sender::Municipality,
    label: "es-notification-payment-expired-unregistered",
    fields: &["service", "amount", "url"],
    sv: Text {
        subject: "Betalningen blev inte klar: {{service}}",
        body: "Hej!\n\nBetalningen av {{amount}} kronor för din ansökan ({{service}}) blev inte klar, och inga pengar har dragits. Ansökan är mottagen och registreras som ett ärende när avgiften är betald.\n\nDu kan betala på {{url}}\n",
    },
    en: Text {
        subject: "Your payment was not completed: {{service}}",
        body: "Hello,\n\nThe payment of {{amount}} kronor for your application ({{service}}) was not completed, and no money has been taken. The application is received and becomes a case when the fee is paid.\n\nYou can pay at {{url}}\n",
    },
};

// ---------------------------------------------------------------------------------------
// The provider interface

/// What a provider is asked to collect.
#[derive(Debug, Clone)]
pub struct PaymentRequest {
    /// Our id of the attempt (the provider's order reference, where it takes one).
    pub payment: Uuid,
    /// Whole kronor.
    pub amount: i64,
    pub description: String,
    /// Where the citizen's browser comes back to; the provider appends its parameters.
    pub return_url: String,
}

/// A started attempt: the provider's reference and where the citizen pays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Started {
    pub reference: String,
    pub redirect: String,
}

/// What the provider says about an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderStatus {
    /// Not finished (or not known to the provider).
    Pending,
    /// Paid, this many whole kronor.
    Paid { amount: i64 },
    /// Cancelled or refused.
    Failed,
}

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'a>>;

/// A payment service provider (card, Swish): a deployment implements this for its provider's
/// API; the demo uses [`TestProvider`]. Nothing is taken from the return's parameters but the
/// reference: the status is always asked of the provider.
pub trait PaymentProvider: Send + Sync {
    /// Stored with each attempt (`es_payment.provider`).
    fn key(&self) -> &'static str;
    /// Shown to the citizen next to the button that pays.
    fn name(&self) -> &'static str;
    /// Starts an attempt (an HTTP call for a real provider: never inside a transaction).
    fn start<'a>(&'a self, req: &'a PaymentRequest) -> BoxFuture<'a, Started>;
    /// The attempt's status as the provider knows it.
    fn status<'a>(&'a self, reference: &'a str) -> BoxFuture<'a, ProviderStatus>;
    /// The reference named by a return (or callback) request's parameters; a provider that
    /// signs its returns verifies the signature here.
    fn reference(&self, params: &[(String, String)]) -> Option<String>;
    /// Pays back all of a paid attempt's `amount` (an HTTP call for a real provider: never
    /// inside a transaction); the provider's reference of the refund. A refusal is an error
    /// (`ES-034`), and nothing is recorded as refunded.
    fn refund<'a>(&'a self, reference: &'a str, amount: i64) -> BoxFuture<'a, String>;
}

/// The test provider of the demo and the tests: it takes no money. Its "payment page" is a
/// page of this installation (`/e-tjanster/testbetalning/{ref}`) where the citizen chooses to
/// pay or to cancel; the attempts live in this process's memory (a restart forgets them, and
/// the reconciliation job then lets them expire, as it would a real provider's lost attempt).
pub struct TestProvider;

struct TestAttempt {
    amount: i64,
    description: String,
    return_url: String,
    status: ProviderStatus,
    refunded: bool,
}

static TEST_ATTEMPTS: LazyLock<Mutex<HashMap<String, TestAttempt>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

fn attempts() -> std::sync::MutexGuard<'static, HashMap<String, TestAttempt>> {
    TEST_ATTEMPTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl PaymentProvider for TestProvider {
    fn key(&self) -> &'static str {
        "test"
    }

    fn name(&self) -> &'static str {
        "Testbetalning — inga pengar dras"
    }

    fn start<'a>(&'a self, req: &'a PaymentRequest) -> BoxFuture<'a, Started> {
        Box::pin(async move {
            let reference = format!("test-{}", Uuid::now_v7().simple());
            let a = TestAttempt {
                amount: req.amount,
                description: req.description.clone(),
                return_url: req.return_url.clone(),
                status: ProviderStatus::Pending,
                refunded: false,
            };
            attempts().insert(reference.clone(), a);
            Ok(Started { redirect: format!("/e-tjanster/testbetalning/{reference}"), reference })
        })
    }

    fn status<'a>(&'a self, reference: &'a str) -> BoxFuture<'a, ProviderStatus> {
        Box::pin(async move { Ok(attempts().get(reference).map_or(ProviderStatus::Pending, |a| a.status)) })
    }

    fn reference(&self, params: &[(String, String)]) -> Option<String> {
        params.iter().find(|(k, _)| k == "ref").map(|(_, v)| v.clone()).filter(|v| v.starts_with("test-") && v.len() <= 64)
    }

    /// Refunds an attempt it knows as paid with this amount, once; anything else (an attempt
    /// this process forgot in a restart, as a real provider would not know a foreign one) is
    /// refused.
    fn refund<'a>(&'a self, reference: &'a str, amount: i64) -> BoxFuture<'a, String> {
        Box::pin(async move {
            let mut all = attempts();
            match all.get_mut(reference) {
                Some(a) if a.status == (ProviderStatus::Paid { amount }) && !a.refunded => {
                    a.refunded = true;
                    Ok(format!("test-refund-{}", Uuid::now_v7().simple()))
                }
                _ => Err(EsError::RefundRefused.into()),
            }
        })
    }
}

static TEST: TestProvider = TestProvider;

/// The installation's payment provider: the test provider where the test e-ID is allowed
/// (demo and tests, ADR 0007); none otherwise until a deployment's provider is plugged in
/// here (the receipt then says the municipality will tell the citizen how to pay).
pub fn provider(cfg: &Config) -> Option<&'static dyn PaymentProvider> {
    cfg.mode.allows_test_eid().then_some(&TEST as &dyn PaymentProvider)
}

// ---------------------------------------------------------------------------------------
// Storage

/// One attempt to pay.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Payment {
    pub id: Uuid,
    pub submission_id: Uuid,
    pub amount: i64,
    pub provider: String,
    pub provider_ref: String,
    pub redirect_url: String,
    pub status: String,
    pub started_at: OffsetDateTime,
    pub settled_at: Option<OffsetDateTime>,
    /// A refund: what the attempt was (`paid`, `duplicate`), when, by whom and why.
    pub refunded_from: Option<String>,
    pub refunded_at: Option<OffsetDateTime>,
    pub refunded_by: Option<String>,
    pub refund_reason: Option<String>,
}

const PAYMENT: &str = "SELECT id, submission_id, amount, provider, provider_ref, redirect_url, status, started_at, settled_at, \
    refunded_from, refunded_at, refunded_by, refund_reason FROM es_payment";

async fn payments_of(tx: &mut Tx, t: TenantId, submission: Uuid) -> Result<Vec<Payment>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!("{PAYMENT} WHERE tenant_id = $1 AND submission_id = $2 ORDER BY started_at, id")))
        .bind(t.0).bind(submission).fetch_all(c).await?),
    )
}

async fn payment_by_ref(tx: &mut Tx, t: TenantId, provider: &str, reference: &str) -> Result<Option<Payment>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!("{PAYMENT} WHERE tenant_id = $1 AND provider = $2 AND provider_ref = $3")))
        .bind(t.0).bind(provider).bind(reference).fetch_optional(c).await?),
    )
}

async fn payment(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<Payment>> {
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!("{PAYMENT} WHERE tenant_id = $1 AND id = $2")))
        .bind(t.0).bind(id).fetch_optional(c).await?))
}

/// The submission's payment state: `none`, `due`, `paid` or `refunded`.
pub async fn submission_state(tx: &mut Tx, t: TenantId, submission: Uuid) -> Result<String> {
    let s: Option<String> = on_tx!(tx, c => sqlx::query_scalar("SELECT payment FROM es_submission WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(submission).fetch_optional(c).await?);
    s.ok_or(Error::NotFound)
}

/// Moves an attempt from `started` to `to`; 0 when it was settled already.
async fn settle_row(tx: &mut Tx, t: TenantId, id: Uuid, to: &str, now: OffsetDateTime) -> Result<u64> {
    Ok(
        on_tx!(tx, c => sqlx::query("UPDATE es_payment SET status = $3, settled_at = $4 WHERE tenant_id = $1 AND id = $2 AND status = 'started'")
        .bind(t.0).bind(id).bind(to).bind(now).execute(c).await?.rows_affected()),
    )
}

// ---------------------------------------------------------------------------------------
// Use cases

/// What the receipt page shows about paying.
#[derive(Debug, Clone)]
pub struct PaymentView {
    /// `none`, `due`, `paid` or `refunded`.
    pub state: String,
    pub amount: Option<i64>,
    /// The latest attempt's status, if any.
    pub last: Option<String>,
    pub paid_at: Option<OffsetDateTime>,
    /// The submission is a case (false while a service that registers on payment waits).
    pub registered: bool,
    /// Attempts paid back (a refunded payment or a duplicate): amount and when.
    pub refunds: Vec<(i64, OffsetDateTime)>,
}

pub async fn view(tx: &mut Tx, t: TenantId, s: &store::Submission) -> Result<PaymentView> {
    let state = submission_state(tx, t, s.id).await?;
    let all = payments_of(tx, t, s.id).await?;
    let paid_at = all.iter().find(|p| p.status == "paid" || p.refunded_from.as_deref() == Some("paid")).and_then(|p| p.settled_at);
    let refunds = all.iter().filter_map(|p| p.refunded_at.map(|at| (p.amount, at))).collect();
    Ok(PaymentView { state, amount: s.fee, last: all.last().map(|p| p.status.clone()), paid_at, registered: s.case_id.is_some(), refunds })
}

/// What [`begin`] found: an attempt still open (go on with it), or the amount to start one for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Begin {
    Resume(String),
    Start { amount: i64, service: String },
}

/// Checks that the citizen's submission waits for payment: paid already is `ES-030`, nothing
/// to pay `ES-032`. An attempt started within the timeout is resumed rather than doubled.
pub async fn begin(tx: &mut Tx, t: TenantId, who: &Citizen, submission: Uuid, now: OffsetDateTime) -> Result<Begin> {
    let (s, def, _) = service::submission(tx, t, who, submission).await?;
    match submission_state(tx, t, s.id).await?.as_str() {
        "due" => {}
        "paid" => return Err(EsError::AlreadyPaid.into()),
        _ => return Err(EsError::NothingToPay.into()),
    }
    let open = payments_of(tx, t, s.id).await?.into_iter().rev().find(|p| p.status == "started");
    if let Some(p) = open
        && p.started_at > now - Duration::minutes(TIMEOUT_MINUTES)
    {
        return Ok(Begin::Resume(p.redirect_url));
    }
    let amount = s.fee.filter(|f| *f > 0).ok_or(EsError::NothingToPay)?;
    Ok(Begin::Start { amount, service: def.title.get(Lang::Sv).to_string() })
}

/// Records an attempt the provider started (after [`begin`], checked again here: the
/// submission still waits and nothing else was started meanwhile).
pub async fn record_start(
    tx: &mut Tx,
    t: TenantId,
    who: &Citizen,
    (submission, payment_id, amount): (Uuid, Uuid, i64),
    provider: &dyn PaymentProvider,
    started: &Started,
    now: OffsetDateTime,
) -> Result<()> {
    match begin(tx, t, who, submission, now).await? {
        Begin::Start { amount: a, .. } if a == amount => {}
        _ => return Err(Error::Conflict("es-err-payment-changed")),
    }
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO es_payment (tenant_id, id, submission_id, amount, provider, provider_ref, redirect_url, status, started_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'started', $8)")
        .bind(t.0).bind(payment_id).bind(submission).bind(amount).bind(provider.key()).bind(&started.reference)
        .bind(&started.redirect).bind(now).execute(c).await?.rows_affected());
    let ev = Event::new("es.payment.started", "submission", submission)
        .with(serde_json::json!({ "payment": payment_id, "amount": amount, "provider": provider.key() }));
    audit::record(tx, Some(t), &Actor::citizen(&who.pnr.to_string(), &who.name), ev, now).await
}

/// The attempt a return names: the provider's reference must be an attempt of this
/// submission, and the submission the citizen's; anything else is `ES-031`.
pub async fn returned(tx: &mut Tx, t: TenantId, who: &Citizen, submission: Uuid, provider: &str, reference: &str) -> Result<Payment> {
    service::submission(tx, t, who, submission).await.map_err(|_| EsError::UnknownPayment)?;
    payment_by_ref(tx, t, provider, reference)
        .await?
        .filter(|p| p.submission_id == submission)
        .ok_or_else(|| EsError::UnknownPayment.into())
}

/// Settles an attempt by what the provider says, idempotently (an attempt settled already is
/// left as it is). Paid, a submission that waited to become a case becomes one now
/// ([`service::register`]; `site` is the municipality's address for the receipt's link), and
/// a case that waited for payment gets `payment.received`. Returns the attempt's status after it.
pub async fn settle(
    tx: &mut Tx,
    t: TenantId,
    (id, site): (Uuid, &str),
    said: ProviderStatus,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String> {
    let p = payment(tx, t, id).await?.ok_or(Error::NotFound)?;
    if p.status != "started" {
        return Ok(p.status);
    }
    let (to, action) = match said {
        ProviderStatus::Pending => return Ok(p.status),
        ProviderStatus::Failed => ("failed", "es.payment.failed"),
        // Another amount than the fee: refused, whatever the provider took (a refund).
        ProviderStatus::Paid { amount } if amount != p.amount => ("failed", "es.payment.amount_mismatch"),
        ProviderStatus::Paid { .. } => {
            if submission_state(tx, t, p.submission_id).await? == "paid" {
                ("duplicate", "es.payment.duplicate")
            } else {
                ("paid", "es.payment.paid")
            }
        }
    };
    if settle_row(tx, t, id, to, now).await? == 0 {
        return Ok(payment(tx, t, id).await?.map_or_else(|| to.to_string(), |p| p.status));
    }
    if to == "paid" {
        store::set_payment_state(tx, t, p.submission_id, "due", "paid").await?;
        let s = store::submission(tx, t, p.submission_id).await?.ok_or(Error::NotFound)?;
        if let (Some(case), Some(number)) = (s.case_id, &s.case_number) {
            let data = serde_json::json!({ "submission": s.id, "amount": p.amount, "payment": p.id });
            radhus_cases::events::emit(tx, t, "payment.received", (case, number), p.id, data, now).await?;
        } else {
            service::register(tx, t, s.id, &format!("{site}/e-tjanster/kvitton/{}", s.id), now).await?;
        }
    }
    let ev = Event::new(action, "submission", p.submission_id).with(serde_json::json!({
        "payment": p.id, "amount": p.amount, "provider": p.provider, "said": format!("{said:?}"),
    }));
    audit::record(tx, Some(t), actor, ev, now).await?;
    Ok(to.to_string())
}

/// The reconciliation job: every attempt started more than [`TIMEOUT_MINUTES`] ago and still
/// open is asked about once more (outside any transaction) and settled; one still not paid
/// ends as `expired` and the citizen is told by e-mail (when the form asked for an address)
/// that nothing was taken and where to pay again. The submission keeps waiting for payment,
/// so nothing is lost.
pub fn reconcile_job(ctx: JobCtx) -> Pin<Box<dyn Future<Output = Result<usize>> + Send>> {
    Box::pin(reconcile(ctx))
}

pub async fn reconcile(ctx: JobCtx) -> Result<usize> {
    let Some(provider) = provider(&ctx.config) else { return Ok(0) };
    let now = ctx.now;
    let mut tx = ctx.db.read(Scope::System).await?;
    let open: Vec<(Uuid, Uuid, String)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT tenant_id, id, provider_ref FROM es_payment WHERE status = 'started' AND started_at < $1 AND provider = $2 ORDER BY started_at LIMIT 100")
        .bind(now - Duration::minutes(TIMEOUT_MINUTES)).bind(provider.key()).fetch_all(c).await?);
    tx.commit().await?;
    let mut n = 0;
    for (tenant, id, reference) in open {
        let t = TenantId(tenant);
        let said = provider.status(&reference).await?;
        let mut tx = ctx.db.write(Scope::Tenant(t)).await?;
        let site = ctx.tenant_url(&mut tx, t).await?;
        let status = settle(&mut tx, t, (id, &site), said, &Actor::system(), now).await?;
        if status == "started" && settle_row(&mut tx, t, id, "expired", now).await? == 1 {
            expired(&mut tx, &ctx, t, id, now).await?;
        }
        tx.commit().await?;
        n += 1;
    }
    Ok(n)
}

/// An attempt that expired: the audit event and the e-mail to the address the form asked for.
async fn expired(tx: &mut Tx, ctx: &JobCtx, t: TenantId, id: Uuid, now: OffsetDateTime) -> Result<()> {
    let p = payment(tx, t, id).await?.ok_or(Error::NotFound)?;
    let s = store::submission(tx, t, p.submission_id).await?.ok_or(Error::NotFound)?;
    let ev = Event::new("es.payment.expired", "submission", s.id).with(serde_json::json!({ "payment": p.id, "amount": p.amount }));
    audit::record(tx, Some(t), &Actor::system(), ev, now).await?;
    let json = store::revision_definition(tx, t, &s.service_key, s.revision).await?.ok_or(Error::NotFound)?;
    let def = catalogue::parse_stored(&json)?;
    let answers: crate::form::Answers =
        serde_json::from_str(&radhus_platform::pii::open_text(&s.answers)?).map_err(|e| Error::Internal(format!("answers: {e}")))?;
    if let Some(to) = service::email_of(&def, &answers) {
        let url = format!("{}/e-tjanster/kvitton/{}", ctx.tenant_url(tx, t).await?, s.id);
        let amount = p.amount.to_string();
        let title = def.title.get(Lang::Sv).to_string();
        match &s.case_number {
            Some(number) => {
                let vars =
                    [("service", title.as_str()), ("case_number", number.as_str()), ("amount", amount.as_str()), ("url", url.as_str())];
                outbox::notify(tx, Some(t), &Notice { template: &EXPIRED, lang: Lang::Sv, to: &to, vars: &vars }, now).await?;
            }
            None => {
                let vars = [("service", title.as_str()), ("amount", amount.as_str()), ("url", url.as_str())];
                outbox::notify(tx, Some(t), &Notice { template: &EXPIRED_UNREGISTERED, lang: Lang::Sv, to: &to, vars: &vars }, now).await?;
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Refunds (the municipality's staff)

/// A payment as the municipality's staff list it: no name or number, the case number (or
/// that the submission is not a case yet) and the service.
#[derive(Debug, Clone)]
pub struct Listed {
    pub payment: Payment,
    pub service_key: String,
    pub case_number: Option<String>,
    pub submission_payment: String,
}

/// The municipality's payments, newest first (at most 500).
pub async fn list(tx: &mut Tx, t: TenantId) -> Result<Vec<Listed>> {
    let rows: Vec<(Uuid, String, Option<String>, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT p.id, s.service_key, s.case_number, s.payment FROM es_payment p \
         JOIN es_submission s ON s.tenant_id = p.tenant_id AND s.id = p.submission_id \
         WHERE p.tenant_id = $1 ORDER BY p.started_at DESC, p.id DESC LIMIT 500")
        .bind(t.0).fetch_all(c).await?);
    let mut out = Vec::with_capacity(rows.len());
    for (id, service_key, case_number, submission_payment) in rows {
        let payment = payment(tx, t, id).await?.ok_or(Error::NotFound)?;
        out.push(Listed { payment, service_key, case_number, submission_payment });
    }
    Ok(out)
}

/// One of the municipality's payments; another municipality's or an unknown id is "not found".
pub async fn one(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Listed> {
    list_one(tx, t, id).await?.ok_or(Error::NotFound)
}

async fn list_one(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<Listed>> {
    let Some(p) = payment(tx, t, id).await? else { return Ok(None) };
    let s = store::submission(tx, t, p.submission_id).await?.ok_or(Error::NotFound)?;
    let state = submission_state(tx, t, s.id).await?;
    Ok(Some(Listed { payment: p, service_key: s.service_key, case_number: s.case_number, submission_payment: state }))
}

/// The reason a refund is recorded with: required, at most 500 characters.
pub fn refund_reason(reason: &str) -> Result<String> {
    let r = reason.trim();
    let message = if r.is_empty() {
        "es-err-refund-reason"
    } else if r.chars().count() > 500 {
        "es-err-refund-reason-long"
    } else {
        return Ok(r.to_string());
    };
    Err(Error::Invalid(vec![radhus_platform::error::FieldError::new("es_refund_reason", message)]))
}

/// Checks that the attempt can be paid back (`paid` or `duplicate`, not yet refunded;
/// otherwise `ES-035`) and returns it, before the provider is asked.
pub async fn refundable(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Payment> {
    let p = payment(tx, t, id).await?.ok_or(Error::NotFound)?;
    if !matches!(p.status.as_str(), "paid" | "duplicate") {
        return Err(EsError::NotRefundable.into());
    }
    Ok(p)
}

/// Records a refund the provider made (reference `refund_ref`), in one transaction: the
/// attempt `refunded` with what it was, who, when and why; a refunded paid attempt makes the
/// submission `refunded` (the case stays: a refund does not withdraw the application); the
/// audit event `es.payment.refunded`. An attempt no longer paid or duplicate is `ES-035`.
pub async fn record_refund(
    tx: &mut Tx,
    t: TenantId,
    (id, refund_ref): (Uuid, &str),
    reason: &str,
    (actor, by): (&Actor, &str),
    now: OffsetDateTime,
) -> Result<()> {
    let p = refundable(tx, t, id).await?;
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE es_payment SET status = 'refunded', refunded_from = $3, refunded_at = $4, refunded_by = $5, refund_reason = $6, refund_ref = $7 \
         WHERE tenant_id = $1 AND id = $2 AND status = $3")
        .bind(t.0).bind(id).bind(&p.status).bind(now).bind(by).bind(reason).bind(refund_ref).execute(c).await?.rows_affected());
    if n != 1 {
        return Err(EsError::NotRefundable.into());
    }
    if p.status == "paid" {
        store::set_payment_state(tx, t, p.submission_id, "paid", "refunded").await?;
    }
    let ev = Event::new("es.payment.refunded", "submission", p.submission_id).with(serde_json::json!({
        "payment": p.id, "amount": p.amount, "provider": p.provider, "was": p.status, "refund_ref": refund_ref, "reason": reason,
    }));
    audit::record(tx, Some(t), actor, ev, now).await
}

// ---------------------------------------------------------------------------------------
// Pages

/// The routes of paying, added to the module's.
/// The test provider's attempt `reference` as its page shows it (amount, description, where
/// to return, status): only in test mode, only for an attempt it started.
pub fn test_attempt(cfg: &Config, reference: &str) -> Result<(i64, String, String, ProviderStatus)> {
    if provider(cfg).is_none() {
        return Err(Error::NotFound);
    }
    attempts().get(reference).map(|a| (a.amount, a.description.clone(), a.return_url.clone(), a.status)).ok_or(Error::NotFound)
}

/// The test provider's page decides a pending attempt (paid or failed); a decided one stays.
pub fn test_decide(reference: &str, to: ProviderStatus) {
    if let Some(a) = attempts().get_mut(reference)
        && a.status == ProviderStatus::Pending
    {
        a.status = to;
    }
}

/// The name the test provider's page shows.
pub fn test_provider_name() -> &'static str {
    TEST.name()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_test_provider_knows_only_its_own_attempts_and_takes_the_reference_alone() {
        let p = TestProvider;
        let req = PaymentRequest { payment: Uuid::now_v7(), amount: 1500, description: "Prov".into(), return_url: "/tillbaka".into() };
        let s = p.start(&req).await.expect("start");
        assert!(s.redirect.ends_with(&s.reference));
        assert_eq!(p.status(&s.reference).await.expect("status"), ProviderStatus::Pending);
        assert_eq!(p.status("test-okand").await.expect("status"), ProviderStatus::Pending);
        let params = vec![("status".to_string(), "paid".to_string()), ("ref".to_string(), s.reference.clone())];
        assert_eq!(p.reference(&params), Some(s.reference.clone()));
        assert_eq!(p.reference(&[("ref".into(), "annan-1".into())]), None, "not a test reference");
        assert_eq!(p.reference(&[]), None);
    }
}
