//! The audit log viewer: municipality staff with `audit.read` see their municipality's
//! chain, operators the platform's. Reading the log is itself logged.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use crate::audit::{self, Actor, Event, Row};
use crate::db::Scope;
use crate::error::{Error, Result};
use crate::identity::permissions;
use crate::web::form::Query;
use crate::web::pages::render;
use crate::web::{AppState, Ctx, Routes};

pub fn routes() -> Routes {
    Routes::new().get("/admin/logg", get_audit_log)
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<Row>,
    next_before: Option<i64>,
}

impl AuditPage<'_> {
    fn when(&self, r: &Row) -> String {
        r.at.format(&time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]")).unwrap_or_default()
    }
    fn details(&self, r: &Row) -> String {
        if r.details.0.is_null() { String::new() } else { r.details.0.to_string() }
    }
}

#[derive(Deserialize)]
struct AuditQuery {
    fore: Option<String>,
}

const PER_PAGE: i64 = 50;

async fn get_audit_log(State(st): State<AppState>, ctx: Ctx, Query(q): Query<AuditQuery>) -> Result<Response> {
    let principal = ctx.principal.clone().ok_or(if ctx.session_expired { Error::SessionExpired } else { Error::Unauthenticated })?;
    let tenant = match (&ctx.site, ctx.staff()) {
        (crate::web::Site::Tenant(t), Some(s)) if s.tenant_id == t.id && s.grants.has_anywhere(permissions::AUDIT_READ) => {
            // The log covers the whole municipality, so the permission must too.
            if !s.grants.whole_municipality(permissions::AUDIT_READ) {
                return Err(Error::Forbidden);
            }
            Some(t.id)
        }
        (crate::web::Site::Platform, None) if ctx.is_operator() => None,
        (_, Some(_)) => return Err(Error::Forbidden),
        _ => return Err(Error::Unauthenticated),
    };
    let before = q.fore.as_deref().and_then(|s| s.parse::<i64>().ok());
    let scope = tenant.map(Scope::Tenant).unwrap_or(Scope::Platform);
    let mut tx = st.db.write(scope).await?;
    let rows = audit::recent(&mut tx, tenant, before, PER_PAGE).await?;
    audit::record(
        &mut tx,
        tenant,
        &Actor::of(&principal),
        Event::new("audit.read", "audit_log", before.map(|b| b.to_string()).unwrap_or_else(|| "latest".into())),
        st.now(),
    )
    .await?;
    tx.commit().await?;
    let next_before = (rows.len() == usize::try_from(PER_PAGE).unwrap_or(50)).then(|| rows.last().map(|r| r.seq)).flatten();
    render(&AuditPage { ctx: &ctx, rows, next_before })
}
