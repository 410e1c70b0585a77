//! Server-side sessions. The browser holds a random token in a `__Host-` cookie
//! (Secure, HttpOnly, SameSite=Lax); the database holds only its SHA-256.

use radhus_kernel::ids::{OperatorId, OrgUnitId, TenantId, UserId};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::config::Config;
use crate::db::{Db, Scope, Tx};
use crate::error::Result;
use crate::identity::permissions::Grants;
use crate::identity::{random_token, sha256_hex};
use crate::on_tx;
use crate::web::Site;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub org_unit: Option<OrgUnitId>,
    pub grants: Grants,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Staff(StaffUser),
    Operator {
        id: OperatorId,
        name: String,
    },
    /// A citizen logged in with e-ID; `tenant` is the host it logged in on (None: platform).
    Citizen {
        pnr: String,
        name: String,
        tenant: Option<TenantId>,
    },
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
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO session (token_hash, kind, tenant_id, user_id, operator_id, citizen_pnr, display_name, totp_pending, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)")
        .bind(sha256_hex(token.as_bytes())).bind(s.kind.as_str()).bind(s.tenant_id.map(|t| t.0))
        .bind(user_id).bind(operator_id).bind(&s.citizen_pnr).bind(&s.display_name).bind(s.totp_pending)
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
    pub citizen_pnr: Option<String>,
    pub display_name: String,
    pub totp_pending: bool,
    pub last_seen_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

pub async fn row(tx: &mut Tx, token_hash: &str) -> Result<Option<SessionRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT token_hash, kind, tenant_id, user_id, operator_id, citizen_pnr, display_name, totp_pending, last_seen_at, expires_at \
         FROM session WHERE token_hash = $1").bind(token_hash).fetch_optional(c).await?))
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
        "citizen" => r.citizen_pnr.clone().map(|pnr| Principal::Citizen { pnr, name: r.display_name.clone(), tenant: site_tenant }),
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
