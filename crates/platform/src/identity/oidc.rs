//! Citizen e-ID through OpenID Connect (authorization code flow with PKCE and nonce),
//! against the municipality's e-ID broker. The personal identity number is read from a
//! configurable ID-token claim (`personal_identity_number` by default).

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
    Scope as OidcScope, TokenResponse,
};
use radhus_kernel::Personnummer;
use serde::Deserialize;
use time::Duration;
use uuid::Uuid;

use crate::db::Scope;
use crate::error::{Error, Result};
use crate::identity::{login, sso};
use crate::on_tx;
use crate::tenancy::OidcSettings;
use crate::web::form::Query;
use crate::web::{AppState, Ctx};

/// A pending login lives this long between the redirect and the callback.
const FLOW_TTL: Duration = Duration::minutes(10);

/// The cookie that binds a pending login to the browser that started it (login CSRF: a
/// callback address with someone else's `state` is refused in any other browser).
fn flow_cookie(st: &AppState) -> &'static str {
    if st.config.cookie_secure { "__Host-radhus-eid-flow" } else { "radhus-eid-flow" }
}

fn http_client() -> Result<openidconnect::reqwest::Client> {
    // No redirects: a token endpoint that redirects is an SSRF risk (openidconnect docs).
    openidconnect::reqwest::Client::builder()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(15))
        .build()
        .map_err(|e| Error::Internal(format!("http client: {e}")))
}

/// The callback on the host the citizen is on, so the session cookie lands there.
fn redirect_url(st: &AppState, ctx: &Ctx) -> String {
    format!("{}/e-legitimation/callback", st.site_url(&ctx.host))
}

/// An e-ID login refused: the reason goes to the operator's log (the person sees AUTH-008 only),
/// so that a misconfigured provider, a clock skew or a replayed callback can be told apart.
fn logged<T>(host: &str, step: &'static str, r: Result<T>) -> Result<T> {
    if let Err(Error::EidFailed(reason)) = &r {
        tracing::warn!(host, step, reason = reason.as_str(), "e-ID login refused");
    }
    r
}

async fn discover(s: &OidcSettings, http: &openidconnect::reqwest::Client) -> Result<CoreProviderMetadata> {
    let issuer = IssuerUrl::new(s.issuer_url.clone()).map_err(|e| Error::EidFailed(format!("issuer: {e}")))?;
    CoreProviderMetadata::discover_async(issuer, http).await.map_err(|e| Error::EidFailed(format!("discovery: {e}")))
}

/// The provider of this host: a municipality's own, else the platform's (ADR 0017).
async fn settings_here(st: &AppState, ctx: &Ctx) -> Result<Option<OidcSettings>> {
    match ctx.tenant() {
        Some(t) => Ok(t.settings.oidc.clone()),
        None => sso::platform_oidc(st).await,
    }
}

/// Starts the login: redirects to the identity provider. On a municipality's host without a
/// provider of its own, the login happens on the platform host with the platform's provider,
/// which hands the session back (single sign-on); a browser already logged in there is handed
/// back without a second login.
pub async fn get_start(State(st): State<AppState>, ctx: Ctx, Query(q): Query<sso::ReturnQuery>) -> Result<Response> {
    let host = ctx.host.clone();
    logged(&host, "start", start(st, ctx, q).await)
}

async fn start(st: AppState, ctx: Ctx, q: sso::ReturnQuery) -> Result<Response> {
    if ctx.tenant().is_some_and(|t| t.settings.oidc.is_none()) {
        sso::platform_oidc(&st).await?.ok_or(Error::EidNotConfigured)?;
        let next = sso::local_next(q.next.as_deref())?;
        return Ok(sso::to_platform(&st, "/e-legitimation/start", &ctx.host, &next));
    }
    let settings = settings_here(&st, &ctx).await?.ok_or(Error::EidNotConfigured)?;
    // A return to a municipality's host is checked before anything is written.
    let target = if ctx.is_platform() { q.target(&st).await? } else { None };
    let return_to = match &target {
        Some(_) => sso::local_next(q.next.as_deref())?,
        None => crate::web::redirect::safe_next(q.next.as_deref()).unwrap_or_else(|| "/".into()),
    };
    if let Some(to) = &target
        && let Some(group) = sso::platform_group(&st, &ctx).await?
    {
        return sso::hand_back(&st, &group, to, &return_to).await;
    }
    let http = http_client()?;
    let meta = discover(&settings, &http).await?;
    let redirect = RedirectUrl::new(redirect_url(&st, &ctx)).map_err(|e| Error::Internal(e.to_string()))?;
    let client = CoreClient::from_provider_metadata(
        meta,
        ClientId::new(settings.client_id.clone()),
        Some(ClientSecret::new(settings.client_secret.clone())),
    )
    .set_redirect_uri(redirect);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(OidcScope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    let now = st.now();
    let mut tx = st.db.write(Scope::Platform).await?;
    on_tx!(&mut tx, c => sqlx::query("DELETE FROM oidc_flow WHERE created_at < $1").bind(now - FLOW_TTL).execute(c).await?.rows_affected());
    on_tx!(&mut tx, c => sqlx::query("INSERT INTO oidc_flow (state, tenant_id, pkce_verifier, nonce, return_to, created_at, return_host) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(state.secret()).bind(ctx.tenant().map(|t| t.id.0)).bind(verifier.secret()).bind(nonce.secret()).bind(&return_to).bind(now)
        // `<host> <browser state>` (a host name has no space).
        .bind(target.as_ref().map(|to| format!("{} {}", to.host, to.state))).execute(c).await?.rows_affected());
    tx.commit().await?;
    let mut r = Redirect::to(url.as_str()).into_response();
    // Lax: the provider's redirect back is a top-level GET, which carries it.
    r.headers_mut().append(
        axum::http::header::SET_COOKIE,
        crate::web::cookies::set_cookie(&st, flow_cookie(&st), state.secret(), Some(FLOW_TTL.whole_seconds()), "Lax"),
    );
    Ok(r)
}

#[derive(Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// The identity provider sends the browser back here with a code.
pub async fn get_callback(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    Query(q): Query<Callback>,
) -> Result<Response> {
    let host = ctx.host.clone();
    logged(&host, "callback", callback(st, ctx, headers, q).await)
}

async fn callback(st: AppState, ctx: Ctx, headers: axum::http::HeaderMap, q: Callback) -> Result<Response> {
    let settings = settings_here(&st, &ctx).await?.ok_or(Error::EidNotConfigured)?;
    if let Some(e) = q.error {
        return Err(Error::EidFailed(format!("provider said {e}")));
    }
    let (Some(code), Some(state)) = (q.code, q.state) else { return Err(Error::EidFailed("missing code or state".into())) };
    // The state must be the one this browser was given when it started the login.
    let cookies = crate::web::cookies::cookies(&headers);
    let bound = cookies.iter().find(|(k, _)| k == flow_cookie(&st)).map(|(_, v)| v.as_str()).unwrap_or("");
    if bound.is_empty() || !bool::from(subtle::ConstantTimeEq::ct_eq(bound.as_bytes(), state.as_bytes())) {
        return Err(Error::EidFailed("state not started in this browser".into()));
    }
    let now = st.now();
    // The flow is used once: deleted in the same transaction that reads it.
    let mut tx = st.db.write(Scope::Platform).await?;
    type Flow = (Option<Uuid>, String, String, String, time::OffsetDateTime, Option<String>);
    let flow: Option<Flow> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT tenant_id, pkce_verifier, nonce, return_to, created_at, return_host FROM oidc_flow WHERE state = $1").bind(&state).fetch_optional(c).await?);
    on_tx!(&mut tx, c => sqlx::query("DELETE FROM oidc_flow WHERE state = $1").bind(&state).execute(c).await?.rows_affected());
    tx.commit().await?;
    let Some((flow_tenant, verifier, nonce, return_to, created, return_host)) = flow else {
        return Err(Error::EidFailed("unknown or used state".into()));
    };
    if flow_tenant != ctx.tenant().map(|t| t.id.0) || created + FLOW_TTL < now {
        return Err(Error::EidFailed("expired state".into()));
    }
    let http = http_client()?;
    let meta = discover(&settings, &http).await?;
    let redirect = RedirectUrl::new(redirect_url(&st, &ctx)).map_err(|e| Error::Internal(e.to_string()))?;
    let client = CoreClient::from_provider_metadata(
        meta,
        ClientId::new(settings.client_id.clone()),
        Some(ClientSecret::new(settings.client_secret.clone())),
    )
    .set_redirect_uri(redirect);
    let token = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| Error::EidFailed(format!("token endpoint: {e}")))?
        .set_pkce_verifier(PkceCodeVerifier::new(verifier))
        .request_async(&http)
        .await
        .map_err(|e| Error::EidFailed(format!("token exchange: {e}")))?;
    let id_token = token.id_token().ok_or_else(|| Error::EidFailed("no ID token".into()))?;
    // Verifies signature, issuer, audience, expiry and nonce.
    let claims =
        id_token.claims(&client.id_token_verifier(), &Nonce::new(nonce)).map_err(|e| Error::EidFailed(format!("ID token: {e}")))?;
    let name = claims
        .name()
        .and_then(|n| n.get(None))
        .map(|n| n.to_string())
        .or_else(|| {
            let g = claims.given_name().and_then(|n| n.get(None)).map(|n| n.to_string());
            let f = claims.family_name().and_then(|n| n.get(None)).map(|n| n.to_string());
            match (g, f) {
                (Some(g), Some(f)) => Some(format!("{g} {f}")),
                (g, f) => g.or(f),
            }
        })
        .unwrap_or_default();
    // The signature was verified above; the configured claim is read from the same payload.
    let raw = id_token.to_string();
    let pnr_text =
        claim_from_jwt(&raw, &settings.pnr_claim).ok_or_else(|| Error::EidFailed(format!("claim {} missing", settings.pnr_claim)))?;
    let pnr =
        Personnummer::parse(&pnr_text, now.date()).map_err(|_| Error::EidFailed("the personal identity number is not valid".into()))?;
    let name = if name.is_empty() { pnr.masked() } else { name };
    let target = match return_host.as_deref().filter(|_| ctx.is_platform()).and_then(|r| r.split_once(' ')) {
        Some((host, state)) => sso::ReturnQuery { retur: Some(host.into()), next: None, state: Some(state.into()) }.target(&st).await?,
        None => None,
    };
    let method = format!("oidc:{}", settings.issuer_url);
    let session = login::citizen(&st, ctx.tenant(), &pnr, &name, &method, ctx.session_token_hash.as_deref()).await?;
    let to = crate::web::redirect::safe_next(Some(&return_to)).unwrap_or_else(|| "/".into());
    let mut r = crate::identity::landing::citizen_logged_in(&st, session, target, &to).await?;
    r.headers_mut().append(axum::http::header::SET_COOKIE, crate::web::cookies::set_cookie(&st, flow_cookie(&st), "", Some(0), "Lax"));
    Ok(r)
}

/// A string claim from a JWT's payload (the caller has verified the token).
fn claim_from_jwt(jwt: &str, claim: &str) -> Option<String> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    match v.get(claim)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_claim_from_the_payload() {
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"personal_identity_number":"198112189876","sub":"x"}"#);
        let jwt = format!("e30.{payload}.sig");
        assert_eq!(claim_from_jwt(&jwt, "personal_identity_number").as_deref(), Some("198112189876"));
        assert_eq!(claim_from_jwt(&jwt, "missing"), None);
        assert_eq!(claim_from_jwt("garbage", "x"), None);
    }
}
