//! Open data over `/api/v1/maturity`: a municipality's published results and the benchmark,
//! as JSON and CSV, and the indicator catalogues. No login: only what is published.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::web::errors::ApiError;
use radhus_platform::web::form::Query;
use radhus_platform::web::{AppState, Ctx, Routes, download};
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;

use crate::domain::{AreaScore, Benchmark, Catalogue, Level, MaturityError, Tally};
use crate::public::published_results;
use crate::service;
use crate::store;

#[derive(OpenApi)]
#[openapi(
    paths(get_maturity_results, get_maturity_results_csv, get_maturity_benchmark, get_maturity_benchmark_csv, get_maturity_catalogue),
    components(schemas(ResultsJson, AnswerJson, BenchmarkJson, IndicatorShare, AreaAverage, CatalogueJson, AreaScore, Tally, ApiError))
)]
pub struct MaturityApi;

pub fn document() -> utoipa::openapi::OpenApi {
    MaturityApi::openapi()
}

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/maturity/results", get_maturity_results)
        .get("/api/v1/maturity/results.csv", get_maturity_results_csv)
        .get("/api/v1/maturity/benchmark", get_maturity_benchmark)
        .get("/api/v1/maturity/benchmark.csv", get_maturity_benchmark_csv)
        .get("/api/v1/maturity/catalogues/{version}", get_maturity_catalogue)
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct ResultsQuery {
    /// The year (default: the latest the municipality published).
    pub year: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AnswerJson {
    pub indicator: String,
    pub area: String,
    /// 1 = uppfyller inte alls, 2 = delvis, 3 = helt.
    pub points: i32,
    pub comment: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ResultsJson {
    pub municipality: String,
    pub kommunkod: String,
    pub year: i32,
    pub version: String,
    pub total: Tally,
    pub areas: Vec<AreaScore>,
    pub answers: Vec<AnswerJson>,
    /// Change in points since the previous submitted year, when comparable.
    pub change_since_previous: Option<i32>,
    pub previous_year: Option<i32>,
}

/// The municipality's published self-assessment of a year (404 when it has not published one).
#[utoipa::path(get, path = "/api/v1/maturity/results", params(ResultsQuery), responses((status = 200, body = ResultsJson), (status = 404, body = ApiError)))]
async fn get_maturity_results(State(st): State<AppState>, ctx: Ctx, Query(q): Query<ResultsQuery>) -> Result<Json<ResultsJson>> {
    let t = ctx.require_tenant()?;
    let (r, _) = published_results(&st, t.id, q.year.as_deref()).await?;
    let r = r.ok_or(Error::NotFound)?;
    let answers = r
        .catalogue
        .indicators
        .iter()
        .filter_map(|i| {
            let row = r.rows.iter().find(|x| x.indicator_id == i.id)?;
            Some(AnswerJson { indicator: i.id.clone(), area: i.area_key.clone(), points: row.level, comment: row.comment.clone() })
        })
        .collect();
    Ok(Json(ResultsJson {
        municipality: t.name.clone(),
        kommunkod: t.kommunkod.clone(),
        year: r.assessment.year,
        version: r.catalogue.version.clone(),
        total: r.scores.total.clone(),
        areas: r.scores.areas.clone(),
        answers,
        change_since_previous: r.change().map(|c| c.total),
        previous_year: r.previous.as_ref().map(|(y, _)| *y),
    }))
}

fn csv_response(body: String, filename: &str) -> Response {
    download::attachment(body, download::CSV, filename)
}

/// The same published answers as CSV (one line per indicator).
#[utoipa::path(get, path = "/api/v1/maturity/results.csv", params(ResultsQuery), responses((status = 200, content_type = "text/csv", body = String), (status = 404, body = ApiError)))]
async fn get_maturity_results_csv(State(st): State<AppState>, ctx: Ctx, Query(q): Query<ResultsQuery>) -> Result<Response> {
    let t = ctx.require_tenant()?;
    let (r, _) = published_results(&st, t.id, q.year.as_deref()).await?;
    let r = r.ok_or(Error::NotFound)?;
    let body = crate::export::results_csv(&t.name, &t.kommunkod, &r);
    Ok(csv_response(body, &format!("eblomlada-{}-{}.csv", t.slug, r.assessment.year)))
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct BenchmarkQuery {
    /// The year of the measurement.
    pub year: Option<String>,
    /// The catalogue version (default: the one most municipalities published that year).
    pub version: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct IndicatorShare {
    pub indicator: String,
    pub not_met: usize,
    pub partly: usize,
    pub met: usize,
    /// Share answering "uppfyller helt", whole per cent.
    pub met_percent: i32,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AreaAverage {
    pub area: String,
    pub average_points: f64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BenchmarkJson {
    pub year: i32,
    pub version: String,
    pub participants: usize,
    /// False when fewer than `min_participants` published: then no figures are given.
    pub published: bool,
    pub min_participants: usize,
    pub total_average: Option<f64>,
    pub areas: Vec<AreaAverage>,
    pub indicators: Vec<IndicatorShare>,
}

async fn benchmark_of(st: &AppState, q: &BenchmarkQuery) -> Result<(Catalogue, i32, Benchmark)> {
    let year: i32 = q.year.as_deref().unwrap_or("").trim().parse().map_err(|_| Error::from(MaturityError::BadYear))?;
    let mut tx = st.db.read(Scope::System).await?;
    let version = match q.version.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => v.to_string(),
        None => store::published_years(&mut tx)
            .await?
            .into_iter()
            .filter(|(y, _, _)| *y == year)
            .max_by_key(|(_, _, n)| *n)
            .map(|(_, v, _)| v)
            .unwrap_or_else(|| "2017".to_string()),
    };
    let cat = store::catalogue(&mut tx, &version).await?.ok_or(MaturityError::UnknownVersion)?;
    tx.commit().await?;
    let b = service::benchmark(&st.db, &cat, year).await?;
    Ok((cat, year, b))
}

/// How the municipalities on the platform that submitted and published their answers for the
/// year answered (aggregates only, and only from five participants). Unpublished answers are
/// not counted, so subtracting the published results leaves nothing (ADR 0012).
#[utoipa::path(get, path = "/api/v1/maturity/benchmark", params(BenchmarkQuery), responses((status = 200, body = BenchmarkJson), (status = 422, body = ApiError)))]
async fn get_maturity_benchmark(State(st): State<AppState>, Query(q): Query<BenchmarkQuery>) -> Result<Json<BenchmarkJson>> {
    let (cat, year, b) = benchmark_of(&st, &q).await?;
    Ok(Json(BenchmarkJson {
        year,
        version: cat.version.clone(),
        participants: b.participants,
        published: b.published,
        min_participants: crate::domain::MIN_PARTICIPANTS,
        total_average: b.published.then_some(b.total_average),
        areas: b.area_average.iter().map(|(k, v)| AreaAverage { area: k.clone(), average_points: *v }).collect(),
        indicators: cat
            .indicators
            .iter()
            .filter_map(|i| {
                let c = b.indicators.get(&i.id)?;
                Some(IndicatorShare {
                    indicator: i.id.clone(),
                    not_met: c[0],
                    partly: c[1],
                    met: c[2],
                    met_percent: b.share(&i.id, Level::Met).unwrap_or(0),
                })
            })
            .collect(),
    }))
}

/// The benchmark as CSV (header only when it is not published).
#[utoipa::path(get, path = "/api/v1/maturity/benchmark.csv", params(BenchmarkQuery), responses((status = 200, content_type = "text/csv", body = String), (status = 422, body = ApiError)))]
async fn get_maturity_benchmark_csv(State(st): State<AppState>, Query(q): Query<BenchmarkQuery>) -> Result<Response> {
    let (cat, year, b) = benchmark_of(&st, &q).await?;
    Ok(csv_response(crate::export::benchmark_csv(&cat, year, &b), &format!("eblomlada-jamforelse-{year}.csv")))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CatalogueJson {
    pub version: String,
    pub name: String,
    pub max_points: i32,
    pub areas: Vec<crate::domain::Area>,
    pub indicators: Vec<crate::domain::Indicator>,
}

/// One indicator catalogue with its areas and indicators.
#[utoipa::path(get, path = "/api/v1/maturity/catalogues/{version}", params(("version" = String, Path)), responses((status = 200, body = CatalogueJson), (status = 404, body = ApiError)))]
async fn get_maturity_catalogue(State(st): State<AppState>, Path(version): Path<String>) -> Result<Json<CatalogueJson>> {
    let mut tx = st.db.read(Scope::Platform).await?;
    let cat = store::catalogue(&mut tx, &version).await?.ok_or(Error::NotFound)?;
    tx.commit().await?;
    Ok(Json(CatalogueJson {
        max_points: cat.max_points(),
        version: cat.version,
        name: cat.name,
        areas: cat.areas,
        indicators: cat.indicators,
    }))
}
