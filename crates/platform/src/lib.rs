//! The shared base of Rådhus: database, tenancy, identity and permissions, audit,
//! outbox and notifications, and the web shell every module's pages live in.

pub mod audit;
pub mod changes;
pub mod config;
pub mod db;
pub mod error;
pub mod identity;
pub mod metrics;
pub mod outbox;
pub mod personal_data;
pub mod pii;
pub mod search;
pub mod shutdown;
pub mod tenancy;
pub mod web;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use radhus_kernel::{Clock, Lang};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::config::Config;
use crate::db::Db;
use crate::identity::citizen::PopulationRegister;
use crate::identity::permissions::PermissionDef;
use crate::web::{AppInner, AppState, I18n, Routes};

/// What a module crate contributes to the application.
pub struct Module {
    pub name: &'static str,
    pub routes: Routes,
    pub ftl: Vec<(Lang, &'static str)>,
    pub permissions: Vec<PermissionDef>,
    pub openapi: utoipa::openapi::OpenApi,
    /// Entries for the administration start page and the municipality's public start page.
    pub links: Vec<web::NavLink>,
    /// Periodic work the background worker runs (reminders and the like).
    pub jobs: Vec<outbox::Job>,
    /// The notification templates it sends (`outbox::notify`), each with a key prefixed with
    /// the module's name and texts in Swedish and English; municipalities override them on
    /// their templates page. Checked when the application is built.
    pub notifications: Vec<outbox::templates::NotificationTemplate>,
    /// The module's subscriptions to other modules' changes (`changes`), delivered by the
    /// background worker.
    pub subscribers: Vec<changes::Subscriber>,
    /// Every error code the module can return, with its kind and message (`docs/errors.md`).
    pub errors: Vec<radhus_kernel::error::ErrorDef>,
    /// What the module holds about a person, for the citizen's download of their data.
    pub personal_data: Vec<personal_data::PersonalData>,
}

/// The platform's own module: pages, login, administration, API.
pub fn platform_module(cfg: &Config) -> Module {
    use utoipa::OpenApi;
    let mut routes = web::pages::routes()
        .merge(web::assets::routes())
        .merge(web::api::routes())
        .merge(identity::web::routes())
        .merge(identity::admin_web::routes())
        .merge(identity::integrations::routes())
        .merge(tenancy::web::routes())
        .merge(tenancy::statement_pages::routes())
        .merge(audit::web::routes());
    if cfg.mode.allows_test_eid() {
        // The test e-ID exists only in demo and test mode: in production the route is absent.
        routes = routes.merge(identity::web::test_eid_routes());
    }
    Module {
        name: "platform",
        routes,
        ftl: web::i18n::PLATFORM_FTL.to_vec(),
        permissions: identity::permissions::PLATFORM_PERMISSIONS.to_vec(),
        openapi: web::api::PlatformApi::openapi(),
        links: vec![],
        jobs: vec![],
        notifications: outbox::templates::platform(),
        subscribers: vec![],
        personal_data: vec![],
        errors: error::DEFINITIONS.to_vec(),
    }
}

/// Everything needed to build the application besides the modules.
pub struct Deps {
    pub db: Db,
    pub config: Config,
    pub clock: Arc<dyn Clock>,
    pub register: Arc<dyn PopulationRegister>,
    pub metrics: Option<metrics_exporter_prometheus::PrometheusHandle>,
}

/// Wires modules into one router with the shared middleware.
pub fn build_app(deps: Deps, modules: Vec<Module>) -> anyhow::Result<(Router, AppState)> {
    let mut ftl = vec![];
    let mut permissions = vec![];
    let mut routes = Routes::new();
    let mut openapi: Option<utoipa::openapi::OpenApi> = None;
    let mut links = vec![];
    let mut jobs = vec![];
    let mut notifications = vec![];
    let mut subscribers: Vec<changes::Subscriber> = vec![];
    let mut personal_data = vec![];
    for m in modules {
        links.extend(m.links);
        jobs.extend(m.jobs);
        notifications.push((m.name, m.notifications));
        personal_data.extend(m.personal_data);
        for s in m.subscribers {
            // The name keys the subscriber's cursor: two with one name would share it.
            anyhow::ensure!(!subscribers.iter().any(|o| o.name == s.name), "two change subscribers are named {}", s.name);
            subscribers.push(s);
        }
        ftl.extend(m.ftl);
        permissions.extend(m.permissions);
        routes = routes.merge(m.routes);
        match &mut openapi {
            None => openapi = Some(m.openapi),
            Some(doc) => doc.merge(m.openapi),
        }
    }
    let openapi_json = openapi.map(|d| d.to_pretty_json()).transpose()?.unwrap_or_else(|| "{}".into());
    let http = reqwest::Client::builder().timeout(std::time::Duration::from_secs(20)).build()?;
    let infos = routes.infos().to_vec();
    let notifications = outbox::templates::Registry::new(notifications)?;
    let state = AppState(Arc::new(AppInner {
        db: deps.db,
        limiter: web::limiter::Limiter::new(deps.config.login_attempts_per_minute),
        config: deps.config,
        clock: deps.clock,
        i18n: Arc::new(I18n::new(&ftl)?),
        register: deps.register,
        permissions,
        metrics: deps.metrics,
        http,
        routes: infos,
        openapi_json,
        links,
        jobs,
        notifications,
        subscribers,
        personal_data,
    }));
    let max_body = state.config.max_body_bytes;
    let router = routes
        .into_router()
        .fallback(web::errors::not_found)
        .method_not_allowed_fallback(web::errors::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(state.clone(), web::middleware::context))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(TraceLayer::new_for_http())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state.clone());
    Ok((router, state))
}
