//! Server-side sessions. The browser holds a random token in a `__Host-` cookie
//! (Secure, HttpOnly, SameSite=Lax); the database holds only its SHA-256.

use radhus_kernel::ids::{OperatorId, TenantId, UserId};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::config::Config;
use crate::db::{Db, Scope, Tx};
use crate::error::Result;
pub use crate::identity::permissions::StaffUser;
use crate::identity::{random_token, sha256_hex};
use crate::on_tx;
use crate::tenancy::Site;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Staff(StaffUser),
    Operator {
        id: OperatorId,
        name: String,
    },
    /// A logged-in citizen; `tenant` is the host the session is for (None: platform).
    /// `identified_by` says how (`oidc:<issuer>`, `test-eid`, `email-link`) and `assurance`
    /// whether that counts as e-ID: only [`Assurance::Eid`] does (ADR 0017).
    Citizen {
        pnr: String,
        name: String,
        tenant: Option<TenantId>,
        identified_by: String,
        assurance: Assurance,
    },
}

/// How sure the platform is of a citizen's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assurance {
    /// Identified by e-ID: an OpenID Connect provider, or the test e-ID in demo and test mode.
    Eid,
    /// Proved only control of an e-mail address (the poll worker's one-time link): never e-ID.
    Email,
}

impl Assurance {
    pub fn as_str(self) -> &'static str {
        match self {
            Assurance::Eid => "eid",
            Assurance::Email => "email",
        }
    }

    /// A stored value; anything else (a session from before ADR 0017) is not e-ID.
    pub fn parse(s: Option<&str>) -> Self {
        match s {
            Some("eid") => Assurance::Eid,
            _ => Assurance::Email,
        }
    }
}

/// How a citizen's session was made: the method and its assurance, and the single sign-on
/// group that the sessions of one e-ID login on several hosts share (None: this host only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identified {
    pub method: String,
    pub assurance: Assurance,
    pub sso_group: Option<String>,
}

impl Principal {
    pub fn display_name(&self) -> &str {
        match self {
            Principal::Staff(s) => &s.name,
            Principal::Operator { name, .. } | Principal::Citizen { name, .. } => name,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Staff,
    Operator,
    Citizen,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Staff => "staff",
            Kind::Operator => "operator",
            Kind::Citizen => "citizen",
        }
    }
}

pub struct NewSession {
    pub kind: Kind,
    pub tenant_id: Option<TenantId>,
    pub user_id: Option<Uuid>,
    pub citizen_pnr: Option<String>,
    pub display_name: String,
    pub totp_pending: bool,
}

/// Cookie names. `__Host-` cookies cannot be set by a sibling host or over plain HTTP
/// (RFC 6265bis), which closes session fixation through `*.localhost`-style siblings.
pub fn session_cookie(cfg: &Config) -> &'static str {
    if cfg.cookie_secure { "__Host-radhus-session" } else { "radhus-session" }
}

pub fn csrf_cookie(cfg: &Config) -> &'static str {
    if cfg.cookie_secure { "__Host-radhus-csrf" } else { "radhus-csrf" }
}

/// Creates a session and returns the token for the cookie.
pub async fn create(tx: &mut Tx, s: &NewSession, now: OffsetDateTime, cfg: &Config) -> Result<String> {
    let token = random_token(32);
    let expires = now + Duration::hours(cfg.session_max_hours);
    let (user_id, operator_id) = match s.kind {
        Kind::Operator => (None, s.user_id),
        _ => (s.user_id, None),
    };
    // The number is stored sealed with its blind index, never in plain text (ADR 0018).
    let pnr = s.citizen_pnr.as_deref().map(crate::pii::seal_str).transpose()?;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO session (token_hash, kind, tenant_id, user_id, operator_id, citizen_pnr_sealed, citizen_pnr_index, display_name, totp_pending, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)")
        .bind(sha256_hex(token.as_bytes())).bind(s.kind.as_str()).bind(s.tenant_id.map(|t| t.0))
        .bind(user_id).bind(operator_id).bind(pnr.as_ref().map(|p| &p.sealed)).bind(pnr.as_ref().map(|p| &p.index))
        .bind(&s.display_name).bind(s.totp_pending)
        .bind(now).bind(expires)
        .execute(c).await?.rows_affected());
    Ok(token)
}

pub async fn delete(tx: &mut Tx, token_hash: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM session WHERE token_hash = $1").bind(token_hash).execute(c).await?.rows_affected());
    Ok(())
}

/// Ends every session of a user (password change, deactivation).
pub async fn delete_for_user(tx: &mut Tx, tenant: TenantId, user: UserId) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM session WHERE tenant_id = $1 AND user_id = $2").bind(tenant.0).bind(user.0).execute(c).await?.rows_affected());
    Ok(())
}

/// Ends every other session of a staff user or an operator (`account` is either id) but the
/// one given: after a password or second-factor change, whoever held the old secret is out.
pub async fn delete_others(tx: &mut Tx, account: Uuid, keep: Option<&str>) -> Result<u64> {
    Ok(on_tx!(tx, c => sqlx::query(
        "DELETE FROM session WHERE (user_id = $1 OR operator_id = $1) AND token_hash <> $2")
        .bind(account).bind(keep.unwrap_or("")).execute(c).await?.rows_affected()))
}

/// Ends the sessions of an account that still wait for their TOTP code (lockout).
pub async fn delete_pending_totp(tx: &mut Tx, account: Uuid) -> Result<u64> {
    Ok(on_tx!(tx, c => sqlx::query(
        "DELETE FROM session WHERE (user_id = $1 OR operator_id = $1) AND totp_pending = $2")
        .bind(account).bind(true).execute(c).await?.rows_affected()))
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct SessionRow {
    pub token_hash: String,
    pub kind: String,
    pub tenant_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub operator_id: Option<Uuid>,
    /// The citizen's number, opened from `citizen_pnr_sealed`.
    pub citizen_pnr: Option<String>,
    pub display_name: String,
    pub totp_pending: bool,
    pub last_seen_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

/// The session row, its citizen's number opened (in memory only).
pub async fn row(tx: &mut Tx, token_hash: &str) -> Result<Option<SessionRow>> {
    let r: Option<SessionRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT token_hash, kind, tenant_id, user_id, operator_id, citizen_pnr_sealed AS citizen_pnr, display_name, totp_pending, last_seen_at, expires_at \
         FROM session WHERE token_hash = $1").bind(token_hash).fetch_optional(c).await?);
    r.map(|mut r| {
        crate::pii::open_in_place(&mut r.citizen_pnr)?;
        Ok(r)
    })
    .transpose()
}

/// The outcome of looking up a request's session cookie.
#[derive(Debug, Default)]
pub struct Loaded {
    pub principal: Option<Principal>,
    pub expired: bool,
    pub token_hash: Option<String>,
}

/// Looks up the session for a token on this site. A session only counts on the host it
/// was made for: a staff session only on its own municipality's host, an operator's only
/// on the platform host.
pub async fn load(db: &Db, cfg: &Config, token: Option<&str>, site: &Site, now: OffsetDateTime) -> Result<Loaded> {
    let Some(token) = token else { return Ok(Loaded::default()) };
    let hash = sha256_hex(token.as_bytes());
    let mut tx = db.read(Scope::Platform).await?;
    let Some(r) = row(&mut tx, &hash).await? else {
        return Ok(Loaded { expired: true, ..Default::default() });
    };
    tx.commit().await?;
    let idle_limit = r.last_seen_at + Duration::minutes(cfg.session_idle_minutes);
    if r.expires_at <= now || idle_limit <= now {
        let mut tx = db.write(Scope::Platform).await?;
        delete(&mut tx, &hash).await?;
        tx.commit().await?;
        return Ok(Loaded { expired: true, ..Default::default() });
    }
    let site_tenant = match site {
        Site::Tenant(t) => Some(t.id),
        Site::Platform => None,
    };
    let mut loaded = Loaded { token_hash: Some(hash.clone()), ..Default::default() };
    if r.totp_pending || r.tenant_id.map(TenantId) != site_tenant {
        return Ok(loaded);
    }
    loaded.principal = match r.kind.as_str() {
        "staff" => match (site_tenant, r.user_id) {
            (Some(t), Some(u)) => {
                let mut tx = db.read(Scope::Tenant(t)).await?;
                let user = crate::identity::users::staff_user(&mut tx, t, UserId(u)).await?;
                tx.commit().await?;
                user.map(Principal::Staff)
            }
            _ => None,
        },
        "operator" => r.operator_id.map(|id| Principal::Operator { id: OperatorId(id), name: r.display_name.clone() }),
        "citizen" => match (r.citizen_pnr.clone(), identified(db, &hash).await?) {
            (Some(pnr), how) => Some(Principal::Citizen {
                pnr,
                name: r.display_name.clone(),
                tenant: site_tenant,
                identified_by: how.method,
                assurance: how.assurance,
            }),
            (None, _) => None,
        },
        _ => None,
    };
    // Touch at most once a minute: keeps idle expiry without a write per request.
    if loaded.principal.is_some() && now - r.last_seen_at > Duration::minutes(1) {
        let mut tx = db.write(Scope::Platform).await?;
        on_tx!(&mut tx, c => sqlx::query("UPDATE session SET last_seen_at = $2 WHERE token_hash = $1").bind(&hash).bind(now).execute(c).await?.rows_affected());
        tx.commit().await?;
    }
    Ok(loaded)
}

/// Ends sessions that expired (called by the background worker).
pub async fn purge_expired(db: &Db, now: OffsetDateTime) -> Result<u64> {
    let mut tx = db.write(Scope::Platform).await?;
    let n = on_tx!(&mut tx, c => sqlx::query("DELETE FROM session WHERE expires_at <= $1").bind(now).execute(c).await?.rows_affected());
    tx.commit().await?;
    Ok(n)
}

/// Records how a citizen's new session was made (ADR 0017), in the transaction that created it.
pub async fn mark_citizen(tx: &mut Tx, token: &str, how: &Identified) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE session SET auth_method = $2, assurance = $3, sso_group = $4 WHERE token_hash = $1")
        .bind(sha256_hex(token.as_bytes())).bind(&how.method).bind(how.assurance.as_str()).bind(&how.sso_group)
        .execute(c).await?.rows_affected());
    Ok(())
}

/// How the session with this token hash was made (a session from before ADR 0017: unknown,
/// not e-ID, no group).
async fn identified(db: &Db, token_hash: &str) -> Result<Identified> {
    let mut tx = db.read(Scope::Platform).await?;
    let row = identified_in(&mut tx, token_hash).await?;
    tx.commit().await?;
    Ok(row)
}

pub async fn identified_in(tx: &mut Tx, token_hash: &str) -> Result<Identified> {
    let row: Option<(Option<String>, Option<String>, Option<String>)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT auth_method, assurance, sso_group FROM session WHERE token_hash = $1").bind(token_hash).fetch_optional(c).await?);
    let (method, assurance, sso_group) = row.unwrap_or_default();
    Ok(Identified { method: method.unwrap_or_else(|| "unknown".into()), assurance: Assurance::parse(assurance.as_deref()), sso_group })
}

/// The token hash of the platform host's live citizen session of a single sign-on group.
pub async fn platform_session_of_group(tx: &mut Tx, group: &str, now: OffsetDateTime) -> Result<Option<String>> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "SELECT token_hash FROM session WHERE sso_group = $1 AND kind = $2 AND tenant_id IS NULL AND expires_at > $3 ORDER BY created_at DESC LIMIT 1")
        .bind(group).bind(Kind::Citizen.as_str()).bind(now).fetch_optional(c).await?))
}

/// Ends every session of a single sign-on group, on every host (logout). Returns how many.
pub async fn delete_group(tx: &mut Tx, group: &str) -> Result<u64> {
    Ok(on_tx!(tx, c => sqlx::query("DELETE FROM session WHERE sso_group = $1").bind(group).execute(c).await?.rows_affected()))
}
