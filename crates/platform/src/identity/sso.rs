//! One e-ID for the whole platform: citizen single sign-on (issue 10 item 4, ADR 0017).
//!
//! A citizen's e-ID login happens on the platform host (the platform's OpenID Connect
//! provider, or the test e-ID in demo and test mode). The platform session starts a *single
//! sign-on group*. A municipality's host gets its own session of the same group through a
//! **hand-off**: the platform redirects the browser to
//! `https://<host>/e-legitimation/overlamning?code=…&next=…` with a random code that is kept
//! only as its SHA-256, bound to that host, that municipality and the local return path, valid
//! for [`HANDOFF_TTL`] and used once. Logging out on any host deletes every session of the
//! group.
//!
//! Without client script, a municipality's host learns that the browser is already logged in
//! on the platform by a **probe**: an anonymous browser's first page on the host is redirected
//! to the platform's `/e-legitimation/sso`, which answers at once with a hand-off (logged in)
//! or without one (not logged in); the host then sets a short-lived cookie so that it asks
//! again only after [`PROBE_MAX_AGE`] seconds. `Config::citizen_sso` turns the probe and the
//! routing of the municipality's e-ID login through the platform on.

use axum::extract::State;
use axum::http::{HeaderMap, Method, header};
use axum::response::{IntoResponse, Redirect, Response};
use radhus_kernel::Personnummer;
use radhus_kernel::ids::TenantId;
use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::audit::{self, Actor, Event};
use crate::config::Config;
use crate::db::{Scope, Tx};
use crate::error::{Error, Result};
use crate::identity::session::{self, Assurance, Kind, NewSession, Principal};
use crate::identity::{random_token, sha256_hex};
use crate::on_tx;
use crate::tenancy::{self, OidcSettings, Tenant};
use crate::web::cookies::set_cookie;
use crate::web::form::Query;
use crate::web::redirect::safe_next;
use crate::web::{AppState, Ctx, Routes, Site};

/// A hand-off code is valid this long after the platform issued it.
pub const HANDOFF_TTL: Duration = Duration::seconds(60);

/// A municipality's host asks the platform again after this many seconds.
pub const PROBE_MAX_AGE: i64 = 300;

/// A login a municipality's host sent to the platform may take this long (an e-ID app).
pub const STATE_MAX_AGE: i64 = 600;

pub fn routes() -> Routes {
    Routes::new().get("/e-legitimation/sso", get_probe).get("/e-legitimation/overlamning", get_handoff)
}

/// The cookie that says "this host asked the platform lately" (no loop, no redirect per page).
pub fn probe_cookie(cfg: &Config) -> &'static str {
    if cfg.cookie_secure { "__Host-radhus-sso-probe" } else { "radhus-sso-probe" }
}

/// The cookie that binds a hand-off to the browser whose municipality host sent it to the
/// platform (login CSRF: a hand-off address made for someone else is refused in this browser).
pub fn state_cookie(cfg: &Config) -> &'static str {
    if cfg.cookie_secure { "__Host-radhus-sso-state" } else { "radhus-sso-state" }
}

// ------------------------------------------------------------------ platform settings

/// Settings of the platform itself, kept as JSON like a municipality's settings.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct PlatformSettings {
    /// The platform's citizen OpenID Connect provider: every municipality without its own
    /// logs its citizens in through it, on the platform host.
    pub oidc: Option<OidcSettings>,
}

pub async fn platform_settings(tx: &mut Tx) -> Result<PlatformSettings> {
    let row: Option<(Json<PlatformSettings>,)> =
        on_tx!(tx, c => sqlx::query_as("SELECT settings FROM platform_settings WHERE id = 1").fetch_optional(c).await?);
    Ok(row.map(|(s,)| s.0).unwrap_or_default())
}

pub async fn set_platform_settings(tx: &mut Tx, s: &PlatformSettings, now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO platform_settings (id, settings, updated_at) VALUES (1, $1, $2) \
         ON CONFLICT (id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at")
        .bind(Json(s)).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

/// The platform's OpenID Connect provider, when the operator configured one.
pub async fn platform_oidc(st: &AppState) -> Result<Option<OidcSettings>> {
    let mut tx = st.db.read(Scope::Platform).await?;
    let s = platform_settings(&mut tx).await?;
    tx.commit().await?;
    Ok(s.oidc)
}

// ------------------------------------------------------------------ return addresses

/// The municipality whose host a login on the platform returns to (`?retur=`). Only a host
/// of a municipality of this installation: anything else is an open redirect and refused.
pub async fn return_tenant(st: &AppState, retur: &str) -> Result<(Tenant, String)> {
    let host = tenancy::normalise_host(retur);
    if host.is_empty() || retur.contains(['/', '@', '\\', '?', '#']) || st.config.platform_hosts.contains(&host) {
        return Err(Error::UnsafeReturn);
    }
    let mut tx = st.db.read(Scope::Platform).await?;
    let t = tenancy::by_host(&mut tx, &host).await?;
    tx.commit().await?;
    t.map(|t| (t, host)).ok_or(Error::UnsafeReturn)
}

/// The local path to return to: `/` without one, an error for one that is not local.
pub fn local_next(next: Option<&str>) -> Result<String> {
    match next.map(str::trim).filter(|n| !n.is_empty()) {
        None => Ok("/".into()),
        Some(n) => safe_next(Some(n)).ok_or(Error::UnsafeReturn),
    }
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// `?retur=<host>&state=<browser state>&next=<path>` for the platform's login addresses.
pub fn return_query(host: &str, state: &str, next: &str) -> String {
    format!("?retur={}&state={}&next={}", enc(host), enc(state), enc(next))
}

/// Sends the browser from this municipality's host to a login address of the platform host,
/// with the return here. A fresh random state goes along and into this host's
/// `radhus-sso-state` cookie; the hand-off must bring it back ([`redeem`]).
pub fn to_platform(st: &AppState, path: &str, host: &str, next: &str) -> Response {
    let state = random_token(16);
    let url = format!("{}{path}{}", st.config.public_url.trim_end_matches('/'), return_query(host, &state, next));
    let mut r = Redirect::to(&url).into_response();
    // Lax: the platform's redirect back is a top-level GET, which carries it.
    r.headers_mut().append(header::SET_COOKIE, set_cookie(st, state_cookie(&st.config), &state, Some(STATE_MAX_AGE), "Lax"));
    r
}

/// A browser state as the platform passes it on: the host's random token, nothing else.
pub fn checked_state(state: Option<&str>) -> Result<String> {
    match state.map(str::trim) {
        Some(s) if (16..=64).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') => {
            Ok(s.to_string())
        }
        _ => Err(Error::SsoHandoff("no browser state")),
    }
}

// ------------------------------------------------------------------ the hand-off

/// The single sign-on group of this request's citizen session on the platform host, when it
/// is an e-ID session (an e-mail-link session is never handed on).
pub async fn platform_group(st: &AppState, ctx: &Ctx) -> Result<Option<String>> {
    let (Site::Platform, Some(Principal::Citizen { assurance: Assurance::Eid, .. }), Some(hash)) =
        (&ctx.site, &ctx.principal, &ctx.session_token_hash)
    else {
        return Ok(None);
    };
    let mut tx = st.db.read(Scope::Platform).await?;
    let how = session::identified_in(&mut tx, hash).await?;
    tx.commit().await?;
    Ok(how.sso_group)
}

/// Where a login on the platform returns to: a municipality, its host, and the browser state
/// that host set.
#[derive(Debug, Clone)]
pub struct Return {
    pub tenant: Tenant,
    pub host: String,
    pub state: String,
}

/// Issues a hand-off code for a group to a municipality's host and redirects the browser
/// there. Only the code's hash is stored.
pub async fn hand_back(st: &AppState, group: &str, to: &Return, return_to: &str) -> Result<Response> {
    let (tenant, host) = (&to.tenant, to.host.as_str());
    let now = st.now();
    let code = random_token(32);
    let mut tx = st.db.write(Scope::Platform).await?;
    on_tx!(&mut tx, c => sqlx::query("DELETE FROM sso_handoff WHERE expires_at <= $1").bind(now).execute(c).await?.rows_affected());
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO sso_handoff (code_hash, sso_group, tenant_id, host, return_to, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(sha256_hex(code.as_bytes())).bind(group).bind(tenant.id.0).bind(host).bind(return_to).bind(now).bind(now + HANDOFF_TTL)
        .execute(c).await?.rows_affected());
    tx.commit().await?;
    let url = format!("{}/e-legitimation/overlamning?code={code}&state={}&next={}", st.site_url(host), enc(&to.state), enc(return_to));
    Ok(Redirect::to(&url).into_response())
}

#[derive(Deserialize, Default)]
pub struct ReturnQuery {
    #[serde(default)]
    pub retur: Option<String>,
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
}

impl ReturnQuery {
    /// Where to return to, when `retur` is given (an error when it or the state is bad).
    pub async fn target(&self, st: &AppState) -> Result<Option<Return>> {
        match self.retur.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            None => Ok(None),
            Some(r) => {
                let (tenant, host) = return_tenant(st, r).await?;
                Ok(Some(Return { tenant, host, state: checked_state(self.state.as_deref())? }))
            }
        }
    }
}

/// The platform answers a municipality host's probe at once: a hand-off when this browser is
/// logged in with e-ID on the platform, else a plain return.
async fn get_probe(State(st): State<AppState>, ctx: Ctx, Query(q): Query<ReturnQuery>) -> Result<Response> {
    if !ctx.is_platform() {
        return Err(Error::NotFound);
    }
    let next = local_next(q.next.as_deref())?;
    let to = q.target(&st).await?.ok_or(Error::UnsafeReturn)?;
    match platform_group(&st, &ctx).await? {
        Some(group) => hand_back(&st, &group, &to, &next).await,
        None => {
            Ok(Redirect::to(&format!("{}/e-legitimation/overlamning?sso=none&next={}", st.site_url(&to.host), enc(&next))).into_response())
        }
    }
}

#[derive(Deserialize)]
struct HandoffQuery {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    next: Option<String>,
}

/// A municipality's host redeems a hand-off code (or takes the platform's "not logged in").
async fn get_handoff(State(st): State<AppState>, ctx: Ctx, headers: HeaderMap, Query(q): Query<HandoffQuery>) -> Result<Response> {
    let tenant = ctx.require_tenant()?;
    let next = local_next(q.next.as_deref())?;
    let mut r = match q.code.as_deref().filter(|c| !c.is_empty()) {
        None => Redirect::to(&next).into_response(),
        Some(code) => {
            let cookies = crate::web::cookies::cookies(&headers);
            let bound = cookies.iter().find(|(k, _)| k == state_cookie(&st.config)).map(|(_, v)| v.as_str());
            let token = redeem(&st, &ctx, tenant, code, &next, q.state.as_deref(), bound).await?;
            let mut r = Redirect::to(&next).into_response();
            r.headers_mut().append(header::SET_COOKIE, set_cookie(&st, session::session_cookie(&st.config), &token, None, "Lax"));
            r.headers_mut().append(header::SET_COOKIE, set_cookie(&st, state_cookie(&st.config), "", Some(0), "Lax"));
            r
        }
    };
    r.headers_mut().append(header::SET_COOKIE, set_cookie(&st, probe_cookie(&st.config), "1", Some(PROBE_MAX_AGE), "Lax"));
    Ok(r)
}

/// Redeems a code on this host in one transaction: checks it (known, unused, unexpired, made
/// for this host and municipality and for this return path, brought back to the browser whose
/// `radhus-sso-state` cookie `bound` matches the `state` it carries), marks it used and makes
/// this host's session of the same group. On any failure nothing is written.
pub async fn redeem(
    st: &AppState,
    ctx: &Ctx,
    tenant: &Tenant,
    code: &str,
    next: &str,
    state: Option<&str>,
    bound: Option<&str>,
) -> Result<String> {
    let now = st.now();
    let hash = sha256_hex(code.as_bytes());
    let mut tx = st.db.write(Scope::Tenant(tenant.id)).await?;
    type Row = (String, Uuid, String, String, OffsetDateTime, Option<OffsetDateTime>);
    let row: Option<Row> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT sso_group, tenant_id, host, return_to, expires_at, used_at FROM sso_handoff WHERE code_hash = $1")
        .bind(&hash).fetch_optional(c).await?);
    let Some((group, code_tenant, host, return_to, expires_at, used_at)) = row else {
        return Err(Error::SsoHandoff("unknown code"));
    };
    if used_at.is_some() {
        return Err(Error::SsoHandoff("used code"));
    }
    if expires_at <= now {
        return Err(Error::SsoHandoff("expired code"));
    }
    if TenantId(code_tenant) != tenant.id || host != ctx.host {
        return Err(Error::SsoHandoff("code for another host"));
    }
    if return_to != next {
        return Err(Error::UnsafeReturn);
    }
    // Login CSRF: the hand-off must come back to the browser that this host sent away.
    let (Some(state), Some(bound)) = (state.filter(|s| !s.is_empty()), bound.filter(|b| !b.is_empty())) else {
        return Err(Error::SsoHandoff("not started in this browser"));
    };
    if !bool::from(subtle::ConstantTimeEq::ct_eq(state.as_bytes(), bound.as_bytes())) {
        return Err(Error::SsoHandoff("not started in this browser"));
    }
    let n = on_tx!(&mut tx, c => sqlx::query("UPDATE sso_handoff SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL")
        .bind(&hash).bind(now).execute(c).await?.rows_affected());
    if n != 1 {
        return Err(Error::SsoHandoff("used code"));
    }
    let source = session::platform_session_of_group(&mut tx, &group, now).await?.ok_or(Error::SsoHandoff("logged out"))?;
    let how = session::identified_in(&mut tx, &source).await?;
    let src = session::row(&mut tx, &source).await?.ok_or(Error::SsoHandoff("logged out"))?;
    let (Some(pnr), Assurance::Eid) = (src.citizen_pnr.clone(), how.assurance) else {
        return Err(Error::SsoHandoff("not an e-ID session"));
    };
    // This browser's earlier session on this host goes: alone when it is of the same group
    // (the others stay), with its whole group when it is someone else's login.
    if let Some(old) = &ctx.session_token_hash {
        if session::identified_in(&mut tx, old).await?.sso_group.as_deref() == Some(group.as_str()) {
            session::delete(&mut tx, old).await?;
        } else {
            end_session(&mut tx, old).await?;
        }
    }
    let new = NewSession {
        kind: Kind::Citizen,
        tenant_id: Some(tenant.id),
        user_id: None,
        citizen_pnr: Some(pnr.clone()),
        display_name: src.display_name.clone(),
        totp_pending: false,
    };
    let token = session::create(&mut tx, &new, now, &st.config).await?;
    session::mark_citizen(&mut tx, &token, &how).await?;
    let who = Principal::Citizen {
        pnr: pnr.clone(),
        name: src.display_name.clone(),
        tenant: Some(tenant.id),
        identified_by: how.method.clone(),
        assurance: how.assurance,
    };
    let masked = Personnummer::parse_canonical(&pnr).map(|p| p.masked()).unwrap_or_else(|_| "-".into());
    audit::record(
        &mut tx,
        Some(tenant.id),
        &Actor::of(&who),
        Event::new("login", "citizen", masked).with(serde_json::json!({ "method": how.method, "sso": true })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// Ends a session: with its whole single sign-on group (every host) when it has one.
/// Returns how many sessions ended.
pub async fn end_session(tx: &mut Tx, token_hash: &str) -> Result<u64> {
    match session::identified_in(tx, token_hash).await?.sso_group {
        Some(group) => {
            on_tx!(tx, c => sqlx::query("DELETE FROM sso_handoff WHERE sso_group = $1").bind(&group).execute(c).await?.rows_affected());
            session::delete_group(tx, &group).await
        }
        None => {
            session::delete(tx, token_hash).await?;
            Ok(1)
        }
    }
}

// ------------------------------------------------------------------ the probe

/// Paths a probe never interrupts: logins and logouts, machine addresses, files.
fn probe_skips(path: &str) -> bool {
    const PREFIXES: [&str; 8] = ["/e-legitimation", "/logga-in", "/logga-ut", "/api", "/assets/", "/metrics", "/konto", "/admin"];
    PREFIXES.iter().any(|p| path.starts_with(p))
        || matches!(path, "/theme.css" | "/logo.svg" | "/favicon.ico" | "/healthz" | "/readyz" | "/robots.txt")
}

/// The probe: an anonymous browser's page GET on a municipality's host that has not asked the
/// platform lately is sent to the platform's `/e-legitimation/sso` first. Only for pages a
/// browser navigates to (`Accept: text/html`), never for machine clients, files or forms.
pub fn probe(st: &AppState, ctx: &Ctx, method: &Method, path: &str, headers: &HeaderMap, has_probe_cookie: bool) -> Option<Response> {
    if !st.config.citizen_sso || ctx.principal.is_some() || has_probe_cookie || *method != Method::GET || probe_skips(path) {
        return None;
    }
    let Site::Tenant(_) = &ctx.site else { return None };
    let html = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    if !html {
        return None;
    }
    let next = safe_next(Some(&ctx.path)).unwrap_or_else(|| "/".into());
    Some(to_platform(st, "/e-legitimation/sso", &ctx.host, &next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_leaves_machine_addresses_and_logins_alone() {
        for p in ["/api/v1/me", "/assets/app.css", "/e-legitimation/overlamning", "/logga-in", "/healthz", "/logo.svg", "/admin"] {
            assert!(probe_skips(p), "{p}");
        }
        for p in ["/", "/valarbete", "/diarium"] {
            assert!(!probe_skips(p), "{p}");
        }
    }

    #[test]
    fn next_is_local_or_an_error() {
        assert_eq!(local_next(None).ok().as_deref(), Some("/"));
        assert_eq!(local_next(Some("")).ok().as_deref(), Some("/"));
        assert_eq!(local_next(Some("/valarbete")).ok().as_deref(), Some("/valarbete"));
        assert!(matches!(local_next(Some("//evil.example")), Err(Error::UnsafeReturn)));
        assert!(matches!(local_next(Some("https://evil.example/")), Err(Error::UnsafeReturn)));
    }
}
