//! Login use cases: password (+ TOTP) for staff and operators, with lockout after
//! repeated failures and a per-client rate limit; e-ID for citizens.

use radhus_kernel::Lang;
use radhus_kernel::ids::{OperatorId, TenantId, UserId};
use time::Duration;

use crate::audit::{self, Actor, Event};
use crate::db::{Scope, Tx};
use crate::error::{Error, Result};
use crate::identity::session::{self, Kind, NewSession};
use crate::identity::users::{Credentials, Failures};
use crate::identity::{operators, password, totp, users};
use crate::outbox::{self, Notice, templates};
use crate::tenancy::Tenant;
use crate::web::AppState;

pub enum Outcome {
    /// Logged in; the session token for the cookie.
    LoggedIn(String),
    /// Password accepted; a second factor is needed on `/logga-in/totp`.
    TotpRequired(String),
}

/// Whose account: a municipality's staff user or a platform operator.
#[derive(Clone, Copy)]
enum Account {
    Staff(TenantId),
    Operator,
}

impl Account {
    fn scope(self) -> Scope {
        match self {
            Account::Staff(t) => Scope::Tenant(t),
            Account::Operator => Scope::Platform,
        }
    }
    fn tenant(self) -> Option<TenantId> {
        match self {
            Account::Staff(t) => Some(t),
            Account::Operator => None,
        }
    }
}

/// A staff user's login; `lang` (the page's language) becomes the language of their mail.
pub async fn staff(st: &AppState, tenant: &Tenant, email: &str, pw: &str, client: &str, lang: Lang) -> Result<Outcome> {
    password_login(st, Account::Staff(tenant.id), Some(tenant), email, pw, client, lang).await
}

pub async fn operator(st: &AppState, email: &str, pw: &str, client: &str, lang: Lang) -> Result<Outcome> {
    password_login(st, Account::Operator, None, email, pw, client, lang).await
}

async fn password_login(
    st: &AppState,
    acc: Account,
    tenant: Option<&Tenant>,
    email: &str,
    pw: &str,
    client: &str,
    lang: Lang,
) -> Result<Outcome> {
    let now = st.now();
    if !crate::web::rate::allow(&st.db, None, client, st.config.login_attempts_per_minute, now).await? {
        return Err(Error::RateLimited);
    }
    let email = email.trim().to_lowercase();
    let mut tx = st.db.write(acc.scope()).await?;
    let creds = match acc {
        Account::Staff(t) => users::credentials_by_email(&mut tx, t, &email).await?,
        Account::Operator => operators::credentials_by_email(&mut tx, &email).await?,
    };
    let anonymous = Actor::anonymous(client);
    let creds_id = creds.as_ref().map(|c| c.id);
    let Some(c) = creds.filter(|c| c.active) else {
        password::waste_verification_time(pw).await;
        // Not the text itself: it is often a password typed in the wrong field, and the audit
        // log cannot be changed afterwards. An existing but inactive account is named.
        let target = match creds_id {
            Some(id) => id.to_string(),
            None => crate::identity::pseudonym(&mut tx, &email).await?,
        };
        audit::record(
            &mut tx,
            acc.tenant(),
            &anonymous,
            Event::new("login.failed", "account", &target).with(serde_json::json!({ "reason": "unknown account" })),
            now,
        )
        .await?;
        tx.commit().await?;
        return Err(Error::LoginFailed);
    };
    let actor = Actor { kind: if acc.tenant().is_some() { "staff" } else { "operator" }, id: c.id.to_string(), name: c.name.clone() };
    if c.locked_until.is_some_and(|until| until > now) {
        audit::record(&mut tx, acc.tenant(), &actor, Event::new("login.refused_locked", "account", c.id), now).await?;
        tx.commit().await?;
        return Err(Error::AccountLocked);
    }
    if !password::verify(pw, &c.password_hash).await {
        let locked = register_failure(st, &mut tx, acc, tenant, &c, &email).await?;
        audit::record(
            &mut tx,
            acc.tenant(),
            &actor,
            Event::new("login.failed", "account", c.id).with(serde_json::json!({ "reason": "wrong password", "locked": locked })),
            now,
        )
        .await?;
        tx.commit().await?;
        return Err(if locked { Error::AccountLocked } else { Error::LoginFailed });
    }
    set_failures(&mut tx, acc, &c, Failures::Passwords, 0, None).await?;
    if c.lang() != lang {
        match acc {
            Account::Staff(t) => users::set_lang(&mut tx, t, UserId(c.id), lang).await?,
            Account::Operator => operators::set_lang(&mut tx, OperatorId(c.id), lang).await?,
        }
    }
    let new = NewSession {
        kind: if acc.tenant().is_some() { Kind::Staff } else { Kind::Operator },
        tenant_id: acc.tenant(),
        user_id: Some(c.id),
        citizen_pnr: None,
        display_name: c.name.clone(),
        totp_pending: c.totp_secret.is_some(),
    };
    let token = session::create(&mut tx, &new, now, &st.config).await?;
    let action = if new.totp_pending { "login.password_ok" } else { "login" };
    audit::record(&mut tx, acc.tenant(), &actor, Event::new(action, "account", c.id), now).await?;
    tx.commit().await?;
    Ok(if new.totp_pending { Outcome::TotpRequired(token) } else { Outcome::LoggedIn(token) })
}

async fn set_failures(
    tx: &mut Tx,
    acc: Account,
    c: &Credentials,
    which: Failures,
    count: i32,
    locked_until: Option<time::OffsetDateTime>,
) -> Result<()> {
    match acc {
        Account::Staff(t) => users::record_failures(tx, t, UserId(c.id), which, count, locked_until).await,
        Account::Operator => operators::record_failures(tx, OperatorId(c.id), which, count, locked_until).await,
    }
}

/// Adds one failure to the account's count in the database (not to the count read with the
/// credentials, which a concurrent login may have raised since) and returns the new count.
async fn add_failure(tx: &mut Tx, acc: Account, c: &Credentials, which: Failures) -> Result<i32> {
    match acc {
        Account::Staff(t) => users::add_failure(tx, t, UserId(c.id), which).await,
        Account::Operator => operators::add_failure(tx, OperatorId(c.id), which).await,
    }
}

/// Counts a failure; locks the account and tells its owner by e-mail at the limit.
async fn register_failure(st: &AppState, tx: &mut Tx, acc: Account, tenant: Option<&Tenant>, c: &Credentials, email: &str) -> Result<bool> {
    let now = st.now();
    let failed = add_failure(tx, acc, c, Failures::Passwords).await?;
    if failed < st.config.lockout_failures {
        return Ok(false);
    }
    let until = now + Duration::minutes(st.config.lockout_minutes);
    set_failures(tx, acc, c, Failures::Passwords, 0, Some(until)).await?;
    let until_text = until.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    match tenant {
        Some(t) => {
            let vars = [("name", c.name.as_str()), ("municipality", t.name.as_str()), ("until", until_text.as_str())];
            let n = Notice { template: &templates::ACCOUNT_LOCKED, lang: c.lang(), to: email, vars: &vars };
            outbox::notify(tx, Some(t.id), &n, now).await?;
        }
        None => {
            // An operator is told from the platform host: a message with no municipality.
            let url = st.config.public_url.trim_end_matches('/');
            let vars = [("name", c.name.as_str()), ("until", until_text.as_str()), ("url", url)];
            let n = Notice { template: &templates::OPERATOR_ACCOUNT_LOCKED, lang: c.lang(), to: email, vars: &vars };
            outbox::notify(tx, None, &n, now).await?;
        }
    }
    Ok(true)
}

/// Second step: the TOTP code. Replaces the pending session with a full one.
pub async fn complete_totp(st: &AppState, token_hash: &str, code: &str, client: &str) -> Result<String> {
    let now = st.now();
    if !crate::web::rate::allow(&st.db, None, client, st.config.login_attempts_per_minute, now).await? {
        return Err(Error::RateLimited);
    }
    let mut tx = st.db.write(Scope::Platform).await?;
    let row = session::row(&mut tx, token_hash).await?.filter(|r| r.totp_pending).ok_or(Error::SessionExpired)?;
    tx.commit().await?;
    let acc = match (row.kind.as_str(), row.tenant_id) {
        ("staff", Some(t)) => Account::Staff(TenantId(t)),
        ("operator", None) => Account::Operator,
        _ => return Err(Error::SessionExpired),
    };
    let account_id = row.user_id.or(row.operator_id).ok_or(Error::SessionExpired)?;
    let mut tx = st.db.write(acc.scope()).await?;
    let c = match acc {
        Account::Staff(t) => users::credentials(&mut tx, t, UserId(account_id)).await?,
        Account::Operator => operators::credentials(&mut tx, OperatorId(account_id)).await?,
    };
    let actor = Actor { kind: if acc.tenant().is_some() { "staff" } else { "operator" }, id: c.id.to_string(), name: c.name.clone() };
    // A locked account completes no login, whatever the code: its waiting sessions end.
    if c.locked_until.is_some_and(|until| until > now) {
        session::delete_pending_totp(&mut tx, c.id).await?;
        audit::record(&mut tx, acc.tenant(), &actor, Event::new("login.refused_locked", "account", c.id), now).await?;
        tx.commit().await?;
        return Err(Error::AccountLocked);
    }
    let secret = c.totp_secret.clone().ok_or(Error::SessionExpired)?;
    let Some(step) = totp::check(&secret, code, now, c.totp_last_step) else {
        // Wrong codes have their own count, which a right password does not reset.
        let failed = add_failure(&mut tx, acc, &c, Failures::TotpCodes).await?;
        let locked = failed >= st.config.lockout_failures;
        if locked {
            let until = now + Duration::minutes(st.config.lockout_minutes);
            set_failures(&mut tx, acc, &c, Failures::TotpCodes, 0, Some(until)).await?;
            // Every waiting session of the account ends, not only this one.
            session::delete_pending_totp(&mut tx, c.id).await?;
        }
        audit::record(
            &mut tx,
            acc.tenant(),
            &actor,
            Event::new("login.totp_failed", "account", c.id).with(serde_json::json!({ "locked": locked })),
            now,
        )
        .await?;
        tx.commit().await?;
        return Err(if locked { Error::AccountLocked } else { Error::TotpWrong });
    };
    match acc {
        Account::Staff(t) => users::set_totp_step(&mut tx, t, UserId(c.id), step).await?,
        Account::Operator => operators::set_totp_step(&mut tx, OperatorId(c.id), step).await?,
    }
    set_failures(&mut tx, acc, &c, Failures::Passwords, 0, None).await?;
    set_failures(&mut tx, acc, &c, Failures::TotpCodes, 0, None).await?;
    session::delete(&mut tx, token_hash).await?;
    let new = NewSession {
        kind: if acc.tenant().is_some() { Kind::Staff } else { Kind::Operator },
        tenant_id: acc.tenant(),
        user_id: Some(c.id),
        citizen_pnr: None,
        display_name: c.name.clone(),
        totp_pending: false,
    };
    let token = session::create(&mut tx, &new, now, &st.config).await?;
    audit::record(
        &mut tx,
        acc.tenant(),
        &actor,
        Event::new("login", "account", c.id).with(serde_json::json!({ "second_factor": "totp" })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// A citizen's new e-ID session: the token for the cookie and, on the platform host, the
/// single sign-on group that the municipalities' hosts join through hand-offs (ADR 0017).
pub struct CitizenLogin {
    pub token: String,
    pub sso_group: Option<String>,
}

/// A citizen identified by e-ID (`method`: `oidc:<issuer>` or `test-eid`). On the platform host
/// the session starts a single sign-on group; on a municipality's host it is for that host
/// only. `previous` is the browser's earlier session on this host, which ends (with its group).
pub async fn citizen(
    st: &AppState,
    tenant: Option<&Tenant>,
    pnr: &radhus_kernel::Personnummer,
    name: &str,
    method: &str,
    previous: Option<&str>,
) -> Result<CitizenLogin> {
    let now = st.now();
    let tenant_id = tenant.map(|t| t.id);
    let mut tx = st.db.write(tenant_id.map(Scope::Tenant).unwrap_or(Scope::Platform)).await?;
    if let Some(old) = previous {
        crate::identity::sso::end_session(&mut tx, old).await?;
    }
    let new = NewSession {
        kind: Kind::Citizen,
        tenant_id,
        user_id: None,
        citizen_pnr: Some(pnr.to_string()),
        display_name: name.to_string(),
        totp_pending: false,
    };
    let token = session::create(&mut tx, &new, now, &st.config).await?;
    let sso_group = tenant.is_none().then(|| crate::identity::random_token(16));
    let how = session::Identified { method: method.to_string(), assurance: session::Assurance::Eid, sso_group: sso_group.clone() };
    session::mark_citizen(&mut tx, &token, &how).await?;
    let actor = Actor::citizen(&pnr.to_string(), name);
    audit::record(
        &mut tx,
        tenant_id,
        &actor,
        Event::new("login", "citizen", pnr.masked()).with(serde_json::json!({ "method": method })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(CitizenLogin { token, sso_group })
}
