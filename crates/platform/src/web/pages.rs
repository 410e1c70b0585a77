//! The platform's own pages: the landing page, a municipality's start page, health and metrics.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};

use crate::config::Mode;
use crate::db::{DbKind, Scope};
use crate::error::{Error, Result};
use crate::tenancy::{self, Tenant};
use crate::web::{AppState, Ctx, Routes};

pub fn routes() -> Routes {
    Routes::new().get("/", index).get("/healthz", healthz).get("/readyz", readyz).get("/metrics", metrics_text)
}

/// Renders an askama template as an HTML response.
pub fn render<T: Template>(t: &T) -> Result<Response> {
    let html = t.render().map_err(|e| Error::Internal(format!("template: {e}")))?;
    let mut r = Html(html).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

#[derive(Template)]
#[template(path = "landing.html")]
struct Landing<'a> {
    ctx: &'a Ctx,
    tenants: Vec<TenantLink>,
    links: Vec<crate::web::NavLink>,
}

struct TenantLink {
    name: String,
    kommunkod: String,
    href: String,
}

#[derive(Template)]
#[template(path = "start.html")]
struct Start<'a> {
    ctx: &'a Ctx,
    tenant: &'a Tenant,
    /// A logged-in resident's own pages (`LinkArea::Citizen`); empty for anyone else.
    yours: Vec<crate::web::NavLink>,
    links: Vec<crate::web::NavLink>,
}

async fn index(State(st): State<AppState>, ctx: Ctx) -> Result<Response> {
    match ctx.tenant() {
        Some(t) => {
            let yours = if ctx.is_citizen() { st.links_for(&ctx, crate::web::LinkArea::Citizen) } else { vec![] };
            // A page already among the resident's own is not offered twice.
            let links =
                st.links_for(&ctx, crate::web::LinkArea::Public).into_iter().filter(|l| !yours.iter().any(|y| y.href == l.href)).collect();
            render(&Start { ctx: &ctx, tenant: t, yours, links })
        }
        None => {
            let mut tx = st.db.read(Scope::Platform).await?;
            let list = tenancy::list(&mut tx).await?;
            tx.commit().await?;
            let tenants = list
                .into_iter()
                .map(|t| TenantLink {
                    href: t.hosts.first().map(|h| format!("{}/", st.site_url(h))).unwrap_or_default(),
                    name: t.name,
                    kommunkod: t.kommunkod,
                })
                .collect();
            render(&Landing { ctx: &ctx, tenants, links: st.links_for(&ctx, crate::web::LinkArea::Platform) })
        }
    }
}

/// Health: the database answers. JSON with the database kind.
async fn healthz(State(st): State<AppState>) -> Response {
    let ok = match st.db.read(Scope::Platform).await {
        Ok(tx) => tx.commit().await.is_ok(),
        Err(_) => false,
    };
    let kind = match st.db.kind() {
        DbKind::Sqlite => "sqlite",
        DbKind::Postgres => "postgres",
    };
    let body =
        serde_json::json!({ "status": if ok { "ok" } else { "unavailable" }, "database": kind, "version": env!("CARGO_PKG_VERSION") });
    let status = if ok { axum::http::StatusCode::OK } else { axum::http::StatusCode::SERVICE_UNAVAILABLE };
    (status, axum::Json(body)).into_response()
}

/// Readiness, for a load balancer: 200 only when this node can serve — the database answers
/// and its schema is the one this program was built for (every migration it knows has run,
/// none it does not know has). A node answers 503 while the database is unreachable, before
/// another node (or `radhus migrate`) has run a newer release's migrations, and when an older
/// binary meets a newer schema. JSON with what is missing.
async fn readyz(State(st): State<AppState>) -> Response {
    use axum::http::StatusCode;
    let known: std::collections::BTreeSet<i64> = match st.db.kind() {
        DbKind::Sqlite => &crate::db::SQLITE_MIGRATIONS,
        DbKind::Postgres => &crate::db::PG_MIGRATIONS,
    }
    .iter()
    .filter(|m| !m.migration_type.is_down_migration())
    .map(|m| m.version)
    .collect();
    let applied = async {
        let mut tx = st.db.read(Scope::Platform).await?;
        let rows: Vec<(i64,)> =
            crate::on_tx!(&mut tx, c => sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success").fetch_all(c).await?);
        tx.commit().await?;
        Ok::<_, sqlx::Error>(rows.into_iter().map(|(v,)| v).collect::<std::collections::BTreeSet<i64>>())
    }
    .await;
    let (status, body) = match applied {
        Err(e) => {
            tracing::warn!(error = %e, "readiness: the database does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, serde_json::json!({ "status": "unavailable", "database": "unreachable" }))
        }
        Ok(applied) => {
            let pending: Vec<i64> = known.difference(&applied).copied().collect();
            let unknown: Vec<i64> = applied.difference(&known).copied().collect();
            let ready = pending.is_empty() && unknown.is_empty();
            (
                if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE },
                serde_json::json!({
                    "status": if ready { "ready" } else { "unavailable" },
                    "database": "ok",
                    "migrations_pending": pending,
                    "migrations_unknown": unknown,
                }),
            )
        }
    };
    let mut r = (status, axum::Json(body)).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// `/metrics`: with `metrics_token` set, only with `Authorization: Bearer <token>`. Without a
/// token it is closed under `serve`; the demo and tests leave it open to the machine itself.
async fn metrics_text(State(st): State<AppState>, ctx: Ctx, headers: axum::http::HeaderMap) -> Response {
    if st.config.metrics_token.is_empty() {
        let loopback = ctx.client == "local" || ctx.client.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
        if st.config.mode == Mode::Production || !loopback {
            return Error::Unauthenticated.into_response();
        }
    } else {
        let given = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).unwrap_or("");
        let ok: bool = subtle::ConstantTimeEq::ct_eq(given.as_bytes(), st.config.metrics_token.as_bytes()).into();
        if !ok {
            return Error::Unauthenticated.into_response();
        }
    }
    let Some(handle) = st.metrics.clone().or_else(crate::metrics::installed) else { return String::new().into_response() };
    if let Err(e) = crate::metrics::refresh(&st.db, &st.subscribers, st.now()).await {
        tracing::error!(error = %e, "metrics from the database");
    }
    let body = handle.render();
    let mut r = body.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4"));
    r
}

#[cfg(test)]
mod tests {
    #[test]
    fn port_is_taken_from_the_public_url() {
        assert_eq!(crate::config::port_of("http://localhost:8080"), ":8080");
        assert_eq!(crate::config::port_of("https://radhus.example"), "");
    }
}
