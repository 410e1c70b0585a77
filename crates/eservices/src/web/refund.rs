//! The municipality's payments and refunds (`/admin/e-tjanster/betalningar`, permission
//! `eservices.admin`): every attempt to pay with its case and status, and paying back a paid or
//! duplicate attempt with a required reason.

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

use super::common::{EsAdmin, lang, posted_as};
use crate::EsError;
use crate::payment::{self, Listed};

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/e-tjanster/betalningar", get_list)
        .get("/admin/e-tjanster/betalningar/{id}", get_one)
        .post("/admin/e-tjanster/betalningar/{id}", post_refund)
}

/// The service's title in the page's language, or its key.
async fn titles(st: &AppState, ctx: &Ctx, t: radhus_kernel::ids::TenantId) -> Result<Vec<(String, String)>> {
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let offered = crate::service::catalogue(&mut tx, t).await?;
    tx.commit().await?;
    Ok(offered.into_iter().map(|o| (o.key, o.def.title.get(lang(ctx)).to_string())).collect())
}

fn title_of(titles: &[(String, String)], key: &str) -> String {
    titles.iter().find(|(k, _)| k == key).map_or_else(|| key.to_string(), |(_, t)| t.clone())
}

fn when(at: Option<OffsetDateTime>) -> String {
    at.map(radhus_kernel::lang::swedish_time).unwrap_or_default()
}

#[derive(Template)]
#[template(path = "eservices/payments.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<(Listed, String)>,
}

impl ListPage<'_> {
    fn when(&self, at: &OffsetDateTime) -> String {
        when(Some(*at))
    }
}

async fn get_list(State(st): State<AppState>, ctx: Ctx, staff: Require<EsAdmin>) -> Result<Response> {
    let t = staff.tenant_id;
    let titles = titles(&st, &ctx, t).await?;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let list = payment::list(&mut tx, t).await?;
    tx.commit().await?;
    let rows = list.into_iter().map(|l| (title_of(&titles, &l.service_key), l)).map(|(title, l)| (l, title)).collect();
    render(&ListPage { ctx: &ctx, rows })
}

#[derive(Template)]
#[template(path = "eservices/refund.html")]
struct OnePage<'a> {
    ctx: &'a Ctx,
    p: Listed,
    title: String,
    started: String,
    settled: String,
    refunded: String,
    /// The attempt's status in words.
    status: String,
    reason: Field,
    errors: FormErrors,
    done: bool,
}

async fn one_page(
    st: &AppState,
    ctx: &Ctx,
    t: radhus_kernel::ids::TenantId,
    id: Uuid,
    reason: String,
    errors: FormErrors,
    done: bool,
) -> Result<Response> {
    let titles = titles(st, ctx, t).await?;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let p = payment::one(&mut tx, t, id).await?;
    tx.commit().await?;
    let errors = errors.target("es_refund_reason", "es-refund-reason");
    let field = Field::new(ctx, "es_refund_reason", "field-es_refund_reason")
        .id("es-refund-reason")
        .kind("textarea")
        .hint(ctx.t("es-refund-reason-hint"))
        .value(reason);
    let reason = posted_as(field, &errors, "reason");
    render(&OnePage {
        ctx,
        title: title_of(&titles, &p.service_key),
        started: when(Some(p.payment.started_at)),
        settled: when(p.payment.settled_at),
        refunded: when(p.payment.refunded_at),
        status: ctx.t(&format!("es-refund-status-{}", p.payment.status)),
        p,
        reason,
        errors,
        done,
    })
}

#[derive(serde::Deserialize, Default)]
struct DoneQuery {
    #[serde(default)]
    klar: String,
}

async fn get_one(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds(id): PathIds<Uuid>,
    form::Query(q): form::Query<DoneQuery>,
) -> Result<Response> {
    one_page(&st, &ctx, staff.tenant_id, id, String::new(), FormErrors::none(), q.klar == "1").await
}

#[derive(serde::Deserialize, Clone, Default)]
struct RefundForm {
    #[serde(default)]
    reason: String,
}

/// Pays back an attempt: checked first (paid or duplicate, a reason), then the provider is
/// asked outside any transaction, then the refund is recorded in one transaction.
async fn post_refund(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<RefundForm>,
) -> Result<Response> {
    let staff = staff.0;
    let t = staff.tenant_id;
    let done: Result<String> = async {
        let reason = payment::refund_reason(&f.reason)?;
        let mut tx = st.db.read(Scope::Tenant(t)).await?;
        let p = payment::refundable(&mut tx, t, id).await;
        tx.commit().await?;
        let p = p?;
        let provider = payment::provider(&st.config).filter(|pr| pr.key() == p.provider).ok_or(EsError::RefundRefused)?;
        let refund_ref = provider.refund(&p.provider_ref, p.amount).await?;
        let mut tx = st.db.write(Scope::Tenant(t)).await?;
        match payment::record_refund(&mut tx, t, (id, &refund_ref), &reason, (&Actor::staff(&staff), &staff.name), st.now()).await {
            Ok(()) => tx.commit().await?,
            Err(e) => {
                tx.rollback().await?;
                return Err(e);
            }
        }
        Ok(format!("/admin/e-tjanster/betalningar/{id}?klar=1"))
    }
    .await;
    if matches!(&done, Err(e) if e.is_form_error()) {
        return form::submit_fields(&ctx, done, |errors| one_page(&st, &ctx, t, id, f.reason.clone(), errors, false)).await;
    }
    done.map(|to| Redirect::to(&to).into_response())
}
