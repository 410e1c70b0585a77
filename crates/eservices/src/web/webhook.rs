//! The municipality's outgoing webhooks (`/admin/e-tjanster/webhooks`, permission
//! `eservices.admin`): the list with a form for a new one, each webhook's page (change it,
//! give it a new secret, its delivery log) and a confirmation page before it is removed. A
//! secret is shown once, on the answer to the post that made it: no redirect could carry it
//! without storing it in the clear.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use radhus_platform::audit::Actor;
use radhus_platform::db::Scope;
use radhus_platform::error::Result;
use radhus_platform::identity::permissions::Require;
use radhus_platform::web::field::{Field, FormErrors};
use radhus_platform::web::form::{self, Form, PathIds};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use time::OffsetDateTime;
use uuid::Uuid;

use super::common::{EsAdmin, posted_as};
use crate::webhook::{self, EVENTS, LogLine, Webhook, WebhookInput};

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/e-tjanster/webhooks", get_list)
        .post("/admin/e-tjanster/webhooks", post_create)
        .get("/admin/e-tjanster/webhooks/{id}", get_one)
        .post("/admin/e-tjanster/webhooks/{id}", post_update)
        .post("/admin/e-tjanster/webhooks/{id}/ny-hemlighet", post_rotate)
        .get("/admin/e-tjanster/webhooks/{id}/ta-bort", get_delete)
        .post("/admin/e-tjanster/webhooks/{id}/ta-bort", post_delete)
}

fn when(at: OffsetDateTime) -> String {
    radhus_kernel::lang::swedish_time(at)
}

/// The form's three fields, with the problems of a refused post and what was posted.
fn fields(ctx: &Ctx, f: &WebhookInput, errors: &FormErrors) -> (Field, Field, Field) {
    let url = Field::new(ctx, "es_wh_url", "field-es_wh_url")
        .id("es-wh-url")
        .kind("url")
        .inputmode("url")
        .hint(ctx.t("es-wh-url-hint"))
        .value(f.url.clone());
    let options = EVENTS.iter().map(|(k, label)| (k.to_string(), ctx.t(label), f.events.iter().any(|e| e == k))).collect();
    let events = Field::new(ctx, "es_wh_events", "field-es_wh_events").id("es-wh-events").kind("checkboxes").options(options, "");
    let status = ["active", "paused"].iter().map(|s| (s.to_string(), ctx.t(&format!("es-wh-status-{s}")), f.status == *s)).collect();
    let status = Field::new(ctx, "es_wh_status", "field-es_wh_status")
        .id("es-wh-status")
        .kind("radios")
        .hint(ctx.t("es-wh-status-hint"))
        .options(status, "");
    (posted_as(url, errors, "url"), posted_as(events, errors, "events"), posted_as(status, errors, "status"))
}

fn targeted(errors: FormErrors) -> FormErrors {
    errors.target("es_wh_url", "es-wh-url").target("es_wh_events", "es-wh-events").target("es_wh_status", "es-wh-status")
}

#[derive(Template)]
#[template(path = "eservices/webhooks.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    hooks: Vec<Webhook>,
    errors: FormErrors,
    url: Field,
    events: Field,
    status: Field,
    removed: bool,
    full: bool,
}

impl ListPage<'_> {
    fn events_of(&self, w: &Webhook) -> String {
        event_labels(self.ctx, w)
    }
}

fn event_labels(ctx: &Ctx, w: &Webhook) -> String {
    w.event_list()
        .iter()
        .map(|e| EVENTS.iter().find(|(k, _)| k == e).map_or_else(|| e.to_string(), |(_, l)| ctx.t(l)))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn list_page(
    st: &AppState,
    ctx: &Ctx,
    t: radhus_kernel::ids::TenantId,
    f: &WebhookInput,
    errors: FormErrors,
    removed: bool,
) -> Result<Response> {
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let hooks = webhook::list(&mut tx, t).await?;
    tx.commit().await?;
    let errors = targeted(errors);
    let (url, events, status) = fields(ctx, f, &errors);
    let full = i64::try_from(hooks.len()).unwrap_or(i64::MAX) >= webhook::MAX_WEBHOOKS;
    render(&ListPage { ctx, hooks, errors, url, events, status, removed, full })
}

#[derive(serde::Deserialize, Default)]
struct Flags {
    #[serde(default)]
    klar: String,
    #[serde(default)]
    borttagen: String,
}

/// A new webhook's form starts with every event ticked and active.
fn blank() -> WebhookInput {
    WebhookInput { url: String::new(), events: EVENTS.iter().map(|(k, _)| k.to_string()).collect(), status: "active".into() }
}

async fn get_list(State(st): State<AppState>, ctx: Ctx, staff: Require<EsAdmin>, form::Query(q): form::Query<Flags>) -> Result<Response> {
    list_page(&st, &ctx, staff.tenant_id, &blank(), FormErrors::none(), q.borttagen == "1").await
}

#[derive(Template)]
#[template(path = "eservices/webhook_secret.html")]
struct SecretPage<'a> {
    ctx: &'a Ctx,
    id: Uuid,
    url: String,
    secret: String,
    rotated: bool,
}

async fn post_create(State(st): State<AppState>, ctx: Ctx, staff: Require<EsAdmin>, Form(f): Form<WebhookInput>) -> Result<Response> {
    let staff = staff.0;
    let t = staff.tenant_id;
    let done: Result<Response> = async {
        let mut tx = st.db.write(Scope::Tenant(t)).await?;
        let (id, secret) = webhook::create(&mut tx, t, &f, &Actor::staff(&staff), st.now()).await?;
        let w = webhook::get(&mut tx, t, id).await?;
        tx.commit().await?;
        render(&SecretPage { ctx: &ctx, id, url: w.url, secret, rotated: false })
    }
    .await;
    form::submit_fields(&ctx, done, |errors| list_page(&st, &ctx, t, &f, errors, false)).await
}

#[derive(Template)]
#[template(path = "eservices/webhook.html")]
struct OnePage<'a> {
    ctx: &'a Ctx,
    w: Webhook,
    events_text: String,
    log: Vec<LogLine>,
    errors: FormErrors,
    url: Field,
    events: Field,
    status: Field,
    saved: bool,
}

impl OnePage<'_> {
    fn when(&self, at: &OffsetDateTime) -> String {
        when(*at)
    }

    fn event_label(&self, kind: &str) -> String {
        EVENTS.iter().find(|(k, _)| *k == kind).map_or_else(|| kind.to_string(), |(_, l)| self.ctx.t(l))
    }

    /// The attempt's outcome: the receiver's HTTP status, or what went wrong.
    fn outcome(&self, l: &LogLine) -> String {
        match (l.http_status, &l.error) {
            (Some(s), _) => format!("HTTP {s}"),
            (None, Some(e)) => e.clone(),
            (None, None) => self.ctx.t("es-wh-log-not-tried"),
        }
    }

    fn state(&self, l: &LogLine) -> String {
        self.ctx.t(&format!("es-wh-delivery-{}", l.status))
    }
}

async fn one_page(
    st: &AppState,
    ctx: &Ctx,
    t: radhus_kernel::ids::TenantId,
    id: Uuid,
    posted: Option<&WebhookInput>,
    errors: FormErrors,
    saved: bool,
) -> Result<Response> {
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let w = webhook::get(&mut tx, t, id).await?;
    let log = webhook::log(&mut tx, t, id, 50).await?;
    tx.commit().await?;
    let current =
        WebhookInput { url: w.url.clone(), events: w.event_list().iter().map(|s| s.to_string()).collect(), status: w.status.clone() };
    let errors = targeted(errors);
    let (url, events, status) = fields(ctx, posted.unwrap_or(&current), &errors);
    let events_text = event_labels(ctx, &w);
    render(&OnePage { ctx, w, events_text, log, errors, url, events, status, saved })
}

async fn get_one(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds(id): PathIds<Uuid>,
    form::Query(q): form::Query<Flags>,
) -> Result<Response> {
    one_page(&st, &ctx, staff.tenant_id, id, None, FormErrors::none(), q.klar == "1").await
}

async fn post_update(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<WebhookInput>,
) -> Result<Response> {
    let staff = staff.0;
    let t = staff.tenant_id;
    let done: Result<String> = async {
        let mut tx = st.db.write(Scope::Tenant(t)).await?;
        webhook::update(&mut tx, t, id, &f, &Actor::staff(&staff), st.now()).await?;
        tx.commit().await?;
        Ok(format!("/admin/e-tjanster/webhooks/{id}?klar=1"))
    }
    .await;
    if matches!(&done, Err(e) if e.is_form_error()) {
        return form::submit_fields(&ctx, done, |errors| one_page(&st, &ctx, t, id, Some(&f), errors, false)).await;
    }
    done.map(|to| Redirect::to(&to).into_response())
}

async fn post_rotate(State(st): State<AppState>, ctx: Ctx, staff: Require<EsAdmin>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let staff = staff.0;
    let t = staff.tenant_id;
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    let secret = webhook::rotate(&mut tx, t, id, &Actor::staff(&staff), st.now()).await?;
    let w = webhook::get(&mut tx, t, id).await?;
    tx.commit().await?;
    render(&SecretPage { ctx: &ctx, id, url: w.url, secret, rotated: true })
}

#[derive(Template)]
#[template(path = "eservices/webhook_delete.html")]
struct DeletePage<'a> {
    ctx: &'a Ctx,
    w: Webhook,
}

async fn get_delete(State(st): State<AppState>, ctx: Ctx, staff: Require<EsAdmin>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let t = staff.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let w = webhook::get(&mut tx, t, id).await?;
    tx.commit().await?;
    render(&DeletePage { ctx: &ctx, w })
}

async fn post_delete(State(st): State<AppState>, staff: Require<EsAdmin>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let staff = staff.0;
    let t = staff.tenant_id;
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    webhook::delete(&mut tx, t, id, &Actor::staff(&staff), st.now()).await?;
    tx.commit().await?;
    Ok(Redirect::to("/admin/e-tjanster/webhooks?borttagen=1").into_response())
}
