//! The context middleware: resolves the municipality from the host, the language, the
//! session and the CSRF token; checks CSRF on every state-changing request; renders
//! errors; and sets the security headers.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use radhus_kernel::Lang;
use subtle::ConstantTimeEq;

use crate::audit::{self, Actor, Event};
use crate::db::Scope;
use crate::error::Error;
use crate::identity::session;
use crate::tenancy;
use crate::web::{AppState, Ctx, Site, Tr, errors};

pub const LANG_COOKIE: &str = "radhus-lang";

use super::cookies::cookie;
pub use super::cookies::{cookies, set_cookie};

fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    url::form_urlencoded::parse(query?.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// The client's address: the peer's, or behind a proxy the last hop of `X-Forwarded-For`, the
/// one the proxy added. The last header line counts: a proxy may add a line of its own after
/// the one the client sent (HAProxy's `option forwardfor`).
fn client_of(req: &Request, behind_proxy: bool) -> String {
    if behind_proxy
        && let Some(last) =
            req.headers().get_all("x-forwarded-for").iter().next_back().and_then(|v| v.to_str().ok()).and_then(|v| v.rsplit(',').next())
        && let Ok(ip) = last.trim().parse::<std::net::IpAddr>()
    {
        return ip.to_string();
    }
    req.extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "local".into())
}

pub async fn context(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    // The route's pattern (never the path itself: ids would become labels).
    let route = req.extensions().get::<axum::extract::MatchedPath>().map_or_else(|| "unmatched".to_string(), |m| m.as_str().to_string());
    let path = req.uri().path().to_string();
    let path_q = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
    // Machine endpoints answer errors as JSON, never with a login redirect.
    let api = path.starts_with("/api/") || path == "/metrics" || is_probe(&path);
    let host_header = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().host().map(str::to_string))
        .unwrap_or_default();
    let host = tenancy::normalise_host(&host_header);
    let jar = cookies(req.headers());
    let query_lang = query_param(req.uri().query(), "lang").and_then(|l| Lang::parse(&l));
    let lang = query_lang
        .or_else(|| cookie(&jar, LANG_COOKIE).and_then(Lang::parse))
        .or_else(|| req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Lang::from_accept_language))
        .unwrap_or_default();
    let tr = Tr { lang, i18n: st.i18n.clone() };
    let client = client_of(&req, st.config.behind_proxy);
    let csrf_name = session::csrf_cookie(&st.config);
    let cookie_csrf = cookie(&jar, csrf_name).filter(|v| v.len() >= 32 && v.len() <= 64).map(str::to_string);
    let (csrf, fresh_csrf) = match &cookie_csrf {
        Some(v) => (v.clone(), false),
        None => (crate::identity::random_token(32), true),
    };
    let mut ctx = Ctx {
        site: Site::Platform,
        tr,
        principal: None,
        session_expired: false,
        session_token_hash: None,
        csrf,
        path: path_q,
        host: host.clone(),
        client,
    };

    // Health and readiness answer on any Host: a load balancer or an orchestrator probes the
    // node's own address (`http://10.0.0.5:8080/healthz`). No tenant, no session, no cookie.
    let probe = is_probe(&path);
    let resp = if probe {
        let mut req = req;
        req.extensions_mut().insert(ctx.clone());
        next.run(req).await
    } else {
        match resolve(&st, &host).await {
            Ok(Some(site)) => {
                ctx.site = site;
                run(&st, &mut ctx, &jar, cookie_csrf.as_deref(), req, next).await
            }
            // The error page of an unknown host still needs its style sheets and logo.
            Ok(None) if path.starts_with("/assets/") || path == "/theme.css" || path == "/logo.svg" => {
                run(&st, &mut ctx, &jar, cookie_csrf.as_deref(), req, next).await
            }
            Ok(None) => {
                tracing::info!(%host, "unknown host");
                Error::UnknownHost.into_response()
            }
            Err(e) => e.into_response(),
        }
    };

    // A staff user who asks for something that is not theirs gets 404, and it is logged.
    if let (Some(info), Some(p)) = (resp.extensions().get::<errors::ErrorInfo>(), ctx.principal.as_ref())
        && matches!(info.code.code, "PLT-001" | "AUTH-007")
    {
        let ev = Event::new(if info.code.code == "AUTH-007" { "access.denied" } else { "access.not_found" }, "route", &path)
            .with(serde_json::json!({ "method": method.as_str() }));
        let tenant = ctx.tenant().map(|t| t.id);
        if let Err(e) = audit::record_alone(&st.db, tenant, &Actor::of(p), ev, st.now()).await {
            tracing::error!(error = %e, "audit of denied access failed");
        }
    }

    let mut resp = errors::render(resp, &ctx, api, method == Method::GET || method == Method::HEAD);
    let h = resp.headers_mut();
    if fresh_csrf && !probe {
        h.append(header::SET_COOKIE, set_cookie(&st, csrf_name, &ctx.csrf, None, "Strict"));
    }
    if let Some(l) = query_lang {
        h.append(header::SET_COOKIE, set_cookie(&st, LANG_COOKIE, l.code(), Some(365 * 24 * 3600), "Lax"));
    }
    security_headers(&st, h, api);
    let status = resp.status().as_u16().to_string();
    metrics::counter!("radhus_http_requests_total", "status" => status).increment(1);
    metrics::histogram!(crate::metrics::LATENCY, "method" => method.to_string(), "route" => route).record(started.elapsed().as_secs_f64());
    resp
}

/// The addresses that answer on any Host (health and readiness).
pub fn is_probe(path: &str) -> bool {
    path == "/healthz" || path == "/readyz"
}

async fn resolve(st: &AppState, host: &str) -> Result<Option<Site>, Error> {
    if st.config.platform_hosts.iter().any(|h| h == host) {
        return Ok(Some(Site::Platform));
    }
    let mut tx = st.db.read(Scope::Platform).await?;
    let t = tenancy::by_host(&mut tx, host).await?;
    tx.commit().await?;
    Ok(t.map(|t| Site::Tenant(Arc::new(t))))
}

async fn run(st: &AppState, ctx: &mut Ctx, jar: &[(String, String)], cookie_csrf: Option<&str>, req: Request, next: Next) -> Response {
    // An integration's token (`Authorization: Bearer rh_…`) on the JSON API of a municipality:
    // it stands for the integration alone (any session cookie is ignored) and needs no CSRF
    // token, since a browser never attaches the header by itself. Elsewhere the header is
    // ignored: pages take sessions only.
    if req.uri().path().starts_with("/api/")
        && let Some(auth) = req.headers().get(header::AUTHORIZATION)
    {
        let Some(tenant) = ctx.tenant().map(|t| t.id) else { return Error::TokenInvalid.into_response() };
        let auth = auth.to_str().unwrap_or("");
        match crate::identity::integrations::authenticate(&st.db, tenant, auth, st.now()).await {
            Ok(integration) => ctx.principal = Some(session::Principal::Staff(integration)),
            Err(e) => {
                tracing::info!(code = e.code().code, host = %ctx.host, "integration token refused");
                return e.into_response();
            }
        }
        let mut req = req;
        req.extensions_mut().insert(ctx.clone());
        return next.run(req).await;
    }
    let token = cookie(jar, session::session_cookie(&st.config));
    match session::load(&st.db, &st.config, token, &ctx.site, st.now()).await {
        Ok(l) => {
            ctx.principal = l.principal;
            ctx.session_expired = l.expired;
            ctx.session_token_hash = l.token_hash;
        }
        Err(e) => return e.into_response(),
    }
    let has_probe_cookie = cookie(jar, crate::identity::sso::probe_cookie(&st.config)).is_some();
    if let Some(r) = crate::identity::sso::probe(st, ctx, req.method(), req.uri().path(), req.headers(), has_probe_cookie) {
        return r;
    }
    let mut req = req;
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        match check_csrf(req, cookie_csrf, st.config.max_body_bytes).await {
            Ok(r) => req = r,
            Err(e) => return e.into_response(),
        }
    }
    req.extensions_mut().insert(ctx.clone());
    next.run(req).await
}

/// Double-submit check: the token in the form (`_csrf`), the `X-CSRF-Token` header or, for
/// multipart uploads, the `_csrf` query parameter must equal the `__Host-` cookie.
async fn check_csrf(req: Request, cookie_token: Option<&str>, limit: usize) -> Result<Request, Error> {
    let Some(expected) = cookie_token else { return Err(Error::Csrf) };
    let ok = |given: &str| bool::from(given.as_bytes().ct_eq(expected.as_bytes()));
    if let Some(h) = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return if ok(h) { Ok(req) } else { Err(Error::Csrf) };
    }
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    if content_type.starts_with("multipart/form-data") {
        return match query_param(req.uri().query(), "_csrf") {
            Some(t) if ok(&t) => Ok(req),
            _ => Err(Error::Csrf),
        };
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(Error::Csrf);
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| Error::TooLarge)?;
    let given = url::form_urlencoded::parse(&bytes).find(|(k, _)| k == "_csrf").map(|(_, v)| v.into_owned());
    match given {
        Some(t) if ok(&t) => Ok(Request::from_parts(parts, Body::from(bytes))),
        _ => Err(Error::Csrf),
    }
}

fn security_headers(st: &AppState, h: &mut HeaderMap, api: bool) {
    // A handler may set a stricter value of its own (the logo's sandbox CSP).
    let set = |h: &mut HeaderMap, k: &'static str, v: &'static str| {
        h.entry(k).or_insert(HeaderValue::from_static(v));
    };
    // No inline script or style anywhere: the municipality's colours come from /theme.css.
    set(
        h,
        "content-security-policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    );
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "strict-origin-when-cross-origin");
    set(h, "cross-origin-opener-policy", "same-origin");
    set(h, "permissions-policy", "camera=(), microphone=(), geolocation=()");
    if st.config.tls {
        set(h, "strict-transport-security", "max-age=63072000; includeSubDomains");
    }
    if api && !h.contains_key(header::CACHE_CONTROL) {
        set(h, "cache-control", "no-store");
    }
}
