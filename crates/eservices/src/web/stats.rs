//! Statistics pages ([`crate::stats`]): the municipality's e-service administrator sees its own
//! services (`/admin/e-tjanster/statistik`, permission `eservices.admin`), the platform operator
//! each shared service summed over every municipality (`/admin/e-tjanster/delade/statistik`);
//! both filter by a period of dates and download the same figures as CSV (the download is
//! audit-logged).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::Scope;
use radhus_platform::error::Result;
use radhus_platform::identity::permissions::{Operator, Require};
use radhus_platform::web::field::{Field, FormErrors};
use radhus_platform::web::form::{self, Query};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes, download};

use super::common::{EsAdmin, lang, today};
use crate::stats::{self, Figures, Period};
use crate::{catalogue, service};

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/e-tjanster/statistik", get_municipality)
        .get("/admin/e-tjanster/statistik.csv", get_municipality_csv)
        .get("/admin/e-tjanster/delade/statistik", get_platform)
        .get("/admin/e-tjanster/delade/statistik.csv", get_platform_csv)
}

#[derive(serde::Deserialize, Default)]
struct PeriodQuery {
    #[serde(default)]
    fran: String,
    #[serde(default)]
    till: String,
}

/// One service's line.
struct Row {
    title: String,
    f: Figures,
}

#[derive(Template)]
#[template(path = "eservices/stats.html")]
struct StatsPage<'a> {
    ctx: &'a Ctx,
    operator: bool,
    action: &'static str,
    /// The filter's fields, as typed when refused.
    fields: Vec<Field>,
    /// The period shown, in words, and its CSV link.
    period: String,
    csv_href: String,
    months: Vec<String>,
    rows: Vec<Row>,
    errors: FormErrors,
}

impl StatsPage<'_> {
    fn pct(&self, p: Option<i64>) -> String {
        p.map_or_else(|| "–".to_string(), |n| format!("{n} %"))
    }

    fn median(&self, f: &Figures) -> String {
        f.median_seconds.map_or_else(|| "–".to_string(), stats::duration_text)
    }
}

/// The titles of the municipality's services in the page's language.
async fn municipality_titles(st: &AppState, ctx: &Ctx, t: radhus_kernel::ids::TenantId) -> Result<Vec<(String, String)>> {
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let offered = service::catalogue(&mut tx, t).await?;
    tx.commit().await?;
    Ok(offered.into_iter().map(|o| (o.key, o.def.title.get(lang(ctx)).to_string())).collect())
}

/// The titles of the shared services.
async fn shared_titles(st: &AppState, ctx: &Ctx) -> Result<Vec<(String, String)>> {
    let mut tx = st.db.read(Scope::Platform).await?;
    let shared = crate::store::shared_list(&mut tx).await?;
    tx.commit().await?;
    let l = lang(ctx);
    Ok(shared
        .into_iter()
        .map(|s| {
            let title = catalogue::parse_stored(&s.definition).map(|d| d.title.get(l).to_string()).unwrap_or_else(|_| s.key.clone());
            (s.key, title)
        })
        .collect())
}

fn title_of(titles: &[(String, String)], key: &str) -> String {
    titles.iter().find(|(k, _)| k == key).map_or_else(|| key.to_string(), |(_, t)| t.clone())
}

/// The figures of the period: the municipality's own, or (`None`) every municipality's summed.
async fn figures(st: &AppState, t: Option<radhus_kernel::ids::TenantId>, p: &Period) -> Result<Vec<Figures>> {
    match t {
        Some(t) => {
            let mut tx = st.db.read(Scope::Tenant(t)).await?;
            let f = stats::for_municipality(&mut tx, t, p).await?;
            tx.commit().await?;
            Ok(f)
        }
        None => {
            let mut tx = st.db.read(Scope::System).await?;
            let f = stats::for_platform(&mut tx, p).await?;
            tx.commit().await?;
            Ok(f)
        }
    }
}

async fn page(st: &AppState, ctx: &Ctx, t: Option<radhus_kernel::ids::TenantId>, q: &PeriodQuery, errors: FormErrors) -> Result<Response> {
    let p = Period::parse(&q.fran, &q.till, today(st)).unwrap_or_else(|_| Period::default_for(today(st)));
    let titles = match t {
        Some(t) => municipality_titles(st, ctx, t).await?,
        None => shared_titles(st, ctx).await?,
    };
    let mut rows: Vec<Row> = figures(st, t, &p).await?.into_iter().map(|f| Row { title: title_of(&titles, &f.key), f }).collect();
    rows.sort_by(|a, b| b.f.submissions.cmp(&a.f.submissions).then_with(|| a.title.cmp(&b.title)));
    let (action, csv) = match t {
        Some(_) => ("/admin/e-tjanster/statistik", "/admin/e-tjanster/statistik.csv"),
        None => ("/admin/e-tjanster/delade/statistik", "/admin/e-tjanster/delade/statistik.csv"),
    };
    let (from, to) = if errors.is_empty() { (p.from.to_string(), p.to.to_string()) } else { (q.fran.clone(), q.till.clone()) };
    let errors = errors.target("fran", "es-stats-from").target("till", "es-stats-to");
    let date = |name: &str, id: &str, value: String| {
        Field::new(ctx, name, &format!("field-{name}"))
            .id(id)
            .kind("date")
            .optional()
            .hint(ctx.t("es-stats-date-hint"))
            .value(value)
            .errors(&errors)
    };
    let fields = vec![date("fran", "es-stats-from", from), date("till", "es-stats-to", to)];
    render(&StatsPage {
        ctx,
        operator: t.is_none(),
        action,
        period: format!("{} – {}", p.from, p.to),
        csv_href: format!("{csv}?fran={}&till={}", p.from, p.to),
        fields,
        months: p.months(),
        rows,
        errors,
    })
}

async fn get_municipality(State(st): State<AppState>, ctx: Ctx, staff: Require<EsAdmin>, Query(q): Query<PeriodQuery>) -> Result<Response> {
    let t = Some(staff.tenant_id);
    let checked = Period::parse(&q.fran, &q.till, today(&st));
    match checked {
        Ok(_) => page(&st, &ctx, t, &q, FormErrors::none()).await,
        Err(e) => form::submit_fields(&ctx, Err::<Response, _>(e), |errors| page(&st, &ctx, t, &q, errors)).await,
    }
}

async fn get_platform(State(st): State<AppState>, ctx: Ctx, _op: Operator, Query(q): Query<PeriodQuery>) -> Result<Response> {
    match Period::parse(&q.fran, &q.till, today(&st)) {
        Ok(_) => page(&st, &ctx, None, &q, FormErrors::none()).await,
        Err(e) => form::submit_fields(&ctx, Err::<Response, _>(e), |errors| page(&st, &ctx, None, &q, errors)).await,
    }
}

/// The CSV of the period; the download is logged (what, which period, by whom).
async fn csv_download(st: &AppState, ctx: &Ctx, t: Option<radhus_kernel::ids::TenantId>, q: &PeriodQuery) -> Result<Response> {
    let p = Period::parse(&q.fran, &q.till, today(st))?;
    let titles = match t {
        Some(t) => municipality_titles(st, ctx, t).await?,
        None => shared_titles(st, ctx).await?,
    };
    let rows = figures(st, t, &p).await?;
    let bytes = stats::csv(&p, &rows, |k| title_of(&titles, k), t.is_none())?;
    let actor = ctx.principal.as_ref().map(Actor::of).unwrap_or_else(Actor::system);
    let scope = t.map_or(Scope::Platform, Scope::Tenant);
    let mut tx = st.db.write(scope).await?;
    let ev = Event::new("es.stats.exported", "eservice_stats", if t.is_some() { "municipality" } else { "platform" })
        .with(serde_json::json!({ "from": p.from.to_string(), "to": p.to.to_string(), "services": rows.len() }));
    audit::record(&mut tx, t, &actor, ev, st.now()).await?;
    tx.commit().await?;
    let name = match t {
        Some(_) => format!("e-tjanster-statistik-{}-{}.csv", p.from, p.to),
        None => format!("e-tjanster-statistik-alla-kommuner-{}-{}.csv", p.from, p.to),
    };
    Ok(download::attachment(bytes, download::CSV, &name))
}

async fn get_municipality_csv(
    State(st): State<AppState>,
    ctx: Ctx,
    staff: Require<EsAdmin>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response> {
    let t = Some(staff.tenant_id);
    let r = csv_download(&st, &ctx, t, &q).await;
    form::submit_fields(&ctx, r, |errors| page(&st, &ctx, t, &q, errors)).await
}

async fn get_platform_csv(State(st): State<AppState>, ctx: Ctx, _op: Operator, Query(q): Query<PeriodQuery>) -> Result<Response> {
    let r = csv_download(&st, &ctx, None, &q).await;
    form::submit_fields(&ctx, r, |errors| page(&st, &ctx, None, &q, errors)).await
}
