//! Statistics pages ([`crate::stats`]): the municipality's e-service administrator sees its own
//! services (`/admin/e-tjanster/statistik`, permission `eservices.admin`), the platform operator
//! each shared service summed over every municipality (`/admin/e-tjanster/delade/statistik`);
//! both filter by a period of dates, show submissions per month or per week, and download the
//! same figures as CSV (the download is audit-logged). Per service a table of where abandoned
//! drafts stopped; on the municipality's page, for a shared service, the same beside every
//! adopting municipality's summed, from five municipalities. The citizen's satisfaction answer
//! is posted from the receipt page (`/e-tjanster/kvitton/{id}/betyg`).

use askama::Template;
use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use radhus_kernel::Lang;
use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::{Operator, Require};
use radhus_platform::web::field::{Field, FormErrors};
use radhus_platform::web::form::{self, Form, PathIds, Query};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes, download};
use uuid::Uuid;

use super::common::{EsAdmin, citizen_or_login, lang, today};
use crate::form::Definition;
use crate::stats::{self, Figures, Per, Period, Rated};
use crate::{catalogue, service};

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/e-tjanster/statistik", get_municipality)
        .get("/admin/e-tjanster/statistik.csv", get_municipality_csv)
        .get("/admin/e-tjanster/delade/statistik", get_platform)
        .get("/admin/e-tjanster/delade/statistik.csv", get_platform_csv)
        .post("/e-tjanster/kvitton/{id}/betyg", post_rating)
}

#[derive(serde::Deserialize, Default)]
struct PeriodQuery {
    #[serde(default)]
    fran: String,
    #[serde(default)]
    till: String,
    /// `manad` or `vecka` ([`Per`]).
    #[serde(default)]
    per: String,
}

/// The period and the columns asked for; every problem at its field.
fn parse_query(q: &PeriodQuery, today: time::Date) -> Result<(Period, Per)> {
    let period = Period::parse(&q.fran, &q.till, today);
    let per = period.as_ref().map_or(Ok(Per::Month), |p| Per::parse(&q.per, p));
    match (period, per) {
        (Ok(p), Ok(per)) => Ok((p, per)),
        (Err(Error::Invalid(mut a)), Err(Error::Invalid(b))) => {
            a.extend(b);
            Err(Error::Invalid(a))
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

/// A service's title and its steps (id, title) in the page's language.
struct Named {
    key: String,
    title: String,
    steps: Vec<(String, String)>,
}

fn named(key: String, def: &Definition, l: Lang) -> Named {
    Named {
        key,
        title: def.title.get(l).to_string(),
        steps: def.steps.iter().map(|s| (s.id.clone(), s.title.get(l).to_string())).collect(),
    }
}

/// One step of a service's drop-off table: how many abandoned drafts stopped there and their
/// share of the drafts begun, here and (the comparison) in every adopting municipality.
struct StepRow {
    name: String,
    here: i64,
    here_pct: String,
    all_pct: String,
}

/// One service's line.
struct Row {
    title: String,
    f: Figures,
    steps: Vec<StepRow>,
    /// A shared service on a municipality's page: the comparison applies.
    shared: bool,
    /// Every adopting municipality's figures summed, when at least five contributed.
    all: Option<Figures>,
    /// How many municipalities have drafts of the service in the period.
    contributors: usize,
}

fn pct(p: Option<i64>) -> String {
    p.map_or_else(|| "–".to_string(), |n| format!("{n} %"))
}

/// The abandoned drafts by step (a draft that saved no step is at the first one).
fn stopped_at(f: &Figures, first: Option<&str>) -> BTreeMap<String, i64> {
    let mut m = BTreeMap::new();
    for (k, n) in &f.stopped {
        let k = if k.is_empty() { first.unwrap_or_default() } else { k.as_str() };
        *m.entry(k.to_string()).or_default() += n;
    }
    m
}

/// The drop-off table: the definition's steps in order, the review page, then any step a
/// draft stopped at that the current definition no longer has (named by its id).
fn step_rows(ctx: &Ctx, steps: &[(String, String)], f: &Figures, all: Option<&Figures>) -> Vec<StepRow> {
    let first = steps.first().map(|(id, _)| id.as_str());
    let here = stopped_at(f, first);
    let there = all.map(|a| stopped_at(a, first));
    let mut order: Vec<(String, String)> = steps.to_vec();
    order.push((stats::REVIEW_STEP.to_string(), ctx.t("es-stats-step-review")));
    for k in here.keys().chain(there.iter().flat_map(|m| m.keys())) {
        if !order.iter().any(|(id, _)| id == k) {
            let name = if k.is_empty() { ctx.t("es-stats-step-unknown") } else { k.clone() };
            order.push((k.clone(), name));
        }
    }
    order
        .into_iter()
        .map(|(id, name)| {
            let n = here.get(&id).copied().unwrap_or_default();
            StepRow {
                name,
                here: n,
                here_pct: pct(stats::percent(n, f.started)),
                all_pct: match (all, &there) {
                    (Some(a), Some(m)) => pct(stats::percent(m.get(&id).copied().unwrap_or_default(), a.started)),
                    _ => String::new(),
                },
            }
        })
        .collect()
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
    /// Per month or per week, and the columns.
    per: Per,
    buckets: Vec<String>,
    rows: Vec<Row>,
    /// Some submission was not signed with e-ID: the share says something and is shown.
    eid: bool,
    errors: FormErrors,
}

impl StatsPage<'_> {
    fn pct(&self, p: Option<i64>) -> String {
        pct(p)
    }

    fn median(&self, f: &Figures) -> String {
        f.median_seconds.map_or_else(|| "–".to_string(), stats::duration_text)
    }

    fn weekly(&self) -> bool {
        self.per == Per::Week
    }

    fn abandon_days(&self) -> i32 {
        stats::ABANDON_DAYS
    }

    fn min_municipalities(&self) -> usize {
        stats::MIN_MUNICIPALITIES
    }

    fn min_ratings(&self) -> i64 {
        stats::MIN_RATINGS
    }

    fn count(&self, n: &usize) -> i64 {
        i64::try_from(*n).unwrap_or(i64::MAX)
    }

    fn counts<'f>(&self, f: &'f Figures) -> &'f [i64] {
        self.per.counts(f)
    }

    /// The satisfaction figure: the average from five answers, else how many there are.
    fn rating(&self, f: &Figures) -> String {
        match f.rating_tenths() {
            Some(t) => {
                format!("{} ({})", stats::tenths_text(t, self.ctx.tr.lang == Lang::Sv), self.ctx.tr.tn("es-stats-answers", f.ratings))
            }
            None => self.ctx.tr.tn("es-stats-rating-few", f.ratings),
        }
    }

    fn outcome(&self, f: &Figures) -> String {
        format!(
            "{} {}, {} {}, {} {}, {} {}.",
            self.ctx.t("es-stats-col-started"),
            f.started,
            self.ctx.t("es-stats-submitted-lower"),
            f.started_submitted,
            self.ctx.t("es-stats-abandoned-lower"),
            f.abandoned,
            self.ctx.t("es-stats-in-progress-lower"),
            f.in_progress()
        )
    }
}

/// The municipality's services: their titles and steps in the page's language.
async fn municipality_names(st: &AppState, ctx: &Ctx, t: TenantId) -> Result<Vec<Named>> {
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let offered = service::catalogue(&mut tx, t).await?;
    tx.commit().await?;
    let l = lang(ctx);
    Ok(offered.into_iter().map(|o| named(o.key, &o.def, l)).collect())
}

/// The shared services: their titles and steps.
async fn shared_names(st: &AppState, ctx: &Ctx) -> Result<Vec<Named>> {
    let mut tx = st.db.read(Scope::Platform).await?;
    let shared = crate::store::shared_list(&mut tx).await?;
    tx.commit().await?;
    let l = lang(ctx);
    Ok(shared
        .into_iter()
        .map(|s| match catalogue::parse_stored(&s.definition) {
            Ok(d) => named(s.key, &d, l),
            Err(_) => Named { title: s.key.clone(), key: s.key, steps: vec![] },
        })
        .collect())
}

fn title_of(names: &[Named], key: &str) -> String {
    names.iter().find(|n| n.key == key).map_or_else(|| key.to_string(), |n| n.title.clone())
}

/// The figures of the period: the municipality's own, or (`None`) every municipality's summed.
async fn figures(st: &AppState, t: Option<TenantId>, p: &Period) -> Result<Vec<Figures>> {
    match t {
        Some(t) => {
            let mut tx = st.db.read(Scope::Tenant(t)).await?;
            let f = stats::for_municipality(&mut tx, t, p, st.now()).await?;
            tx.commit().await?;
            Ok(f)
        }
        None => {
            let mut tx = st.db.read(Scope::System).await?;
            let f = stats::for_platform(&mut tx, p, st.now()).await?;
            tx.commit().await?;
            Ok(f)
        }
    }
}

/// The figures of the page: the municipality's services, or the shared ones summed (a
/// municipality's own service, built in the form builder, is no shared service).
async fn rows_of(st: &AppState, t: Option<TenantId>, p: &Period, shared: &[Named]) -> Result<Vec<Figures>> {
    let rows = figures(st, t, p).await?;
    Ok(match t {
        Some(_) => rows,
        None => rows.into_iter().filter(|f| shared.iter().any(|n| n.key == f.key)).collect(),
    })
}

async fn page(st: &AppState, ctx: &Ctx, t: Option<TenantId>, q: &PeriodQuery, errors: FormErrors) -> Result<Response> {
    let (p, per) = parse_query(q, today(st)).unwrap_or_else(|_| {
        let p = Period::parse(&q.fran, &q.till, today(st)).unwrap_or_else(|_| Period::default_for(today(st)));
        (p, Per::Month)
    });
    let shared = shared_names(st, ctx).await?;
    let names = match t {
        Some(t) => municipality_names(st, ctx, t).await?,
        None => vec![],
    };
    let names = if t.is_some() { &names } else { &shared };
    // The comparison: every adopting municipality's figures of the shared services.
    let platform = match t {
        Some(_) => figures(st, None, &p).await?,
        None => vec![],
    };
    let figures = rows_of(st, t, &p, &shared).await?;
    let eid = stats::eid_varies(&figures);
    let mut rows: Vec<Row> = figures
        .into_iter()
        .map(|f| {
            let is_shared = t.is_some() && shared.iter().any(|n| n.key == f.key);
            let everyone = platform.iter().find(|a| is_shared && a.key == f.key);
            let all = everyone.filter(|a| a.comparable()).cloned();
            let steps: &[(String, String)] = names.iter().find(|n| n.key == f.key).map_or(&[], |n| &n.steps);
            Row {
                title: title_of(names, &f.key),
                steps: step_rows(ctx, steps, &f, all.as_ref()),
                shared: is_shared,
                contributors: everyone.map_or(0, |a| a.start_municipalities),
                all,
                f,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.f.submissions.cmp(&a.f.submissions).then_with(|| a.title.cmp(&b.title)));
    let (action, csv) = match t {
        Some(_) => ("/admin/e-tjanster/statistik", "/admin/e-tjanster/statistik.csv"),
        None => ("/admin/e-tjanster/delade/statistik", "/admin/e-tjanster/delade/statistik.csv"),
    };
    let (from, to) = if errors.is_empty() { (p.from.to_string(), p.to.to_string()) } else { (q.fran.clone(), q.till.clone()) };
    let errors = errors.target("fran", "es-stats-from").target("till", "es-stats-to").target("per", "es-stats-per-1");
    let date = |name: &str, id: &str, value: String| {
        Field::new(ctx, name, &format!("field-{name}"))
            .id(id)
            .kind("date")
            .optional()
            .hint(ctx.t("es-stats-date-hint"))
            .value(value)
            .errors(&errors)
    };
    let chosen = if errors.is_empty() { per.value().to_string() } else { q.per.clone() };
    let per_field = Field::new(ctx, "per", "field-per")
        .id("es-stats-per")
        .kind("radios")
        .options(
            vec![
                ("manad".to_string(), ctx.t("es-stats-per-month-option"), chosen != "vecka"),
                ("vecka".to_string(), ctx.t("es-stats-per-week-option"), chosen == "vecka"),
            ],
            "",
        )
        .errors(&errors);
    let fields = vec![date("fran", "es-stats-from", from), date("till", "es-stats-to", to), per_field];
    render(&StatsPage {
        ctx,
        operator: t.is_none(),
        action,
        period: format!("{} – {}", p.from, p.to),
        csv_href: format!("{csv}?fran={}&till={}&per={}", p.from, p.to, per.value()),
        fields,
        buckets: per.buckets(&p),
        per,
        rows,
        eid,
        errors,
    })
}

async fn get_municipality(State(st): State<AppState>, ctx: Ctx, staff: Require<EsAdmin>, Query(q): Query<PeriodQuery>) -> Result<Response> {
    let t = Some(staff.tenant_id);
    match parse_query(&q, today(&st)) {
        Ok(_) => page(&st, &ctx, t, &q, FormErrors::none()).await,
        Err(e) => form::submit_fields(&ctx, Err::<Response, _>(e), |errors| page(&st, &ctx, t, &q, errors)).await,
    }
}

async fn get_platform(State(st): State<AppState>, ctx: Ctx, _op: Operator, Query(q): Query<PeriodQuery>) -> Result<Response> {
    match parse_query(&q, today(&st)) {
        Ok(_) => page(&st, &ctx, None, &q, FormErrors::none()).await,
        Err(e) => form::submit_fields(&ctx, Err::<Response, _>(e), |errors| page(&st, &ctx, None, &q, errors)).await,
    }
}

/// The CSV of the period; the download is logged (what, which period, by whom).
async fn csv_download(st: &AppState, ctx: &Ctx, t: Option<TenantId>, q: &PeriodQuery) -> Result<Response> {
    let (p, per) = parse_query(q, today(st))?;
    let shared = shared_names(st, ctx).await?;
    let names = match t {
        Some(t) => municipality_names(st, ctx, t).await?,
        None => vec![],
    };
    let names = if t.is_some() { &names } else { &shared };
    let rows = rows_of(st, t, &p, &shared).await?;
    let bytes = stats::csv(&p, per, &rows, |k| title_of(names, k), t.is_none())?;
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

#[derive(serde::Deserialize, Default)]
struct RatingForm {
    #[serde(default)]
    betyg: String,
}

/// The satisfaction answer from the receipt page: only the citizen who submitted (anyone
/// else's is "not found"), once (a second answer is refused and the receipt says so); no
/// choice, or a value that is none, shows the receipt again with the problem at the question.
async fn post_rating(State(st): State<AppState>, ctx: Ctx, PathIds(id): PathIds<Uuid>, Form(f): Form<RatingForm>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let receipt = format!("/e-tjanster/kvitton/{id}");
    let who = match citizen_or_login(&ctx, &receipt)? {
        Ok(c) => c,
        Err(login) => return Ok(login),
    };
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    let res = stats::rate(&mut tx, t, &who, id, &f.betyg, st.now()).await;
    match res {
        Ok(Rated::Saved) => {
            tx.commit().await?;
            Ok(Redirect::to(&format!("{receipt}?betyg=tack#es-rate-title")).into_response())
        }
        Ok(Rated::Already) => {
            tx.rollback().await?;
            Ok(Redirect::to(&format!("{receipt}?betyg=redan#es-rate-title")).into_response())
        }
        Err(e) => {
            tx.rollback().await?;
            let shown = super::citizen::ReceiptQuery::default();
            form::submit_fields(&ctx, Err::<Response, _>(e), |errors| {
                super::citizen::receipt_page(&st, &ctx, &who, id, &shown, errors.target("betyg", "es-rate-betyg-1"))
            })
            .await
        }
    }
}
