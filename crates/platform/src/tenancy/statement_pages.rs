//! The pages of the accessibility statement and the privacy notice ([`statements`]): public on
//! every host, edited by the municipality's administrator (`admin.settings`).

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::audit::{self, Actor, Event};
use crate::db::Scope;
use crate::error::{Error, Result};
use crate::identity::permissions::{AdminSettings, Require};
use crate::tenancy::statements::{self, Block, Kind};
use crate::web::field::{Field, FormErrors};
use crate::web::form::{self, Form, PathIds, Query};
use crate::web::pages::render;
use crate::web::{AppState, Ctx, Routes};

pub fn routes() -> Routes {
    Routes::new()
        .get("/tillganglighet", get_accessibility)
        .get("/personuppgifter", get_privacy)
        .get("/admin/redogorelser/{kind}", get_statement_form)
        .post("/admin/redogorelser/{kind}", post_statement)
        .post("/admin/redogorelser/{kind}/aterstall", post_reset_statement)
}

#[derive(Template)]
#[template(path = "statement.html")]
struct StatementPage<'a> {
    ctx: &'a Ctx,
    title: String,
    blocks: Vec<Block>,
    /// "2026-12-07" when the municipality wrote its own text.
    updated: Option<String>,
}

async fn public_page(st: &AppState, ctx: &Ctx, kind: Kind) -> Result<Response> {
    let statement = match ctx.tenant() {
        Some(t) => {
            let mut tx = st.db.read(Scope::Tenant(t.id)).await?;
            let s = statements::get(&mut tx, Some(t), kind).await?;
            tx.commit().await?;
            s
        }
        None => statements::Statement { body: statements::default_body(kind, None), updated_at: None },
    };
    render(&StatementPage {
        ctx,
        title: ctx.t(kind.title_id()),
        blocks: statements::blocks(&statement.body),
        updated: statement.updated_at.map(|at| at.date().to_string()),
    })
}

async fn get_accessibility(State(st): State<AppState>, ctx: Ctx) -> Result<Response> {
    public_page(&st, &ctx, Kind::Accessibility).await
}

async fn get_privacy(State(st): State<AppState>, ctx: Ctx) -> Result<Response> {
    public_page(&st, &ctx, Kind::Privacy).await
}

#[derive(Template)]
#[template(path = "admin/statement_form.html")]
struct StatementForm<'a> {
    ctx: &'a Ctx,
    kind: Kind,
    title: String,
    own: bool,
    /// The message after a change: saved, or the default restored.
    done: Option<String>,
    errors: FormErrors,
    body: Field,
}

#[derive(Deserialize)]
struct SavedQuery {
    sparad: Option<String>,
    aterstalld: Option<String>,
}

fn kind_of(slug: &str) -> Result<Kind> {
    Kind::from_slug(slug).ok_or(Error::NotFound)
}

async fn statement_form(
    st: &AppState,
    ctx: &Ctx,
    admin: &Require<AdminSettings>,
    kind: Kind,
    typed: Option<String>,
    done: Option<String>,
    errors: FormErrors,
) -> Result<Response> {
    let tenant = ctx.require_tenant()?;
    if tenant.id != admin.tenant_id {
        return Err(Error::NotFound);
    }
    let mut tx = st.db.read(Scope::Tenant(tenant.id)).await?;
    let current = statements::get(&mut tx, Some(tenant), kind).await?;
    tx.commit().await?;
    let own = current.updated_at.is_some();
    let body = Field::new(ctx, "body", "field-statement-body")
        .kind("textarea")
        .rows(30)
        .hint(ctx.t("statement-edit-hint"))
        .value(typed.unwrap_or(current.body))
        .errors(&errors);
    render(&StatementForm { ctx, kind, title: ctx.t(kind.title_id()), own, done, errors, body })
}

async fn get_statement_form(
    State(st): State<AppState>,
    ctx: Ctx,
    admin: Require<AdminSettings>,
    PathIds(slug): PathIds<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response> {
    let kind = kind_of(&slug)?;
    let done = if q.sparad.is_some() {
        Some(ctx.t("statement-saved"))
    } else if q.aterstalld.is_some() {
        Some(ctx.t("statement-reset-done"))
    } else {
        None
    };
    statement_form(&st, &ctx, &admin, kind, None, done, FormErrors::none()).await
}

#[derive(Deserialize)]
struct StatementInput {
    body: String,
}

async fn post_statement(
    State(st): State<AppState>,
    ctx: Ctx,
    admin: Require<AdminSettings>,
    PathIds(slug): PathIds<String>,
    Form(f): Form<StatementInput>,
) -> Result<Response> {
    let kind = kind_of(&slug)?;
    let tenant = admin.tenant_id;
    let done: Result<String> = async {
        let mut tx = st.db.write(Scope::Tenant(tenant)).await?;
        statements::save(&mut tx, tenant, kind, &f.body, st.now()).await?;
        audit::record(&mut tx, Some(tenant), &Actor::staff(&admin), Event::new("statement.saved", "statement", kind.db()), st.now())
            .await?;
        tx.commit().await?;
        Ok(format!("/admin/redogorelser/{}?sparad=1", kind.slug()))
    }
    .await;
    form::submit_fields(&ctx, done, |errors| statement_form(&st, &ctx, &admin, kind, Some(f.body), None, errors)).await
}

async fn post_reset_statement(
    State(st): State<AppState>,
    admin: Require<AdminSettings>,
    PathIds(slug): PathIds<String>,
) -> Result<Response> {
    let kind = kind_of(&slug)?;
    let tenant = admin.tenant_id;
    let mut tx = st.db.write(Scope::Tenant(tenant)).await?;
    statements::reset(&mut tx, tenant, kind).await?;
    audit::record(&mut tx, Some(tenant), &Actor::staff(&admin), Event::new("statement.reset", "statement", kind.db()), st.now()).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/redogorelser/{}?aterstalld=1", kind.slug())).into_response())
}
