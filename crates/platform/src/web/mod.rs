//! The web shell: application state, the route registry, middleware, layout and errors.

pub mod api;
pub mod assets;
pub mod cookies;
pub mod ctx;
pub mod download;
pub mod errors;
pub mod extract;
pub mod field;
pub mod form;
pub mod i18n;
pub mod limiter;
pub mod middleware;
pub mod pages;
pub mod rate;
pub mod redirect;

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::MethodRouter;
use radhus_kernel::Clock;

use crate::config::Config;
use crate::db::Db;
use crate::identity::citizen::PopulationRegister;
use crate::identity::permissions::PermissionDef;
pub use crate::tenancy::Site;
pub use ctx::Ctx;
pub use i18n::{I18n, Tr};

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState(pub Arc<AppInner>);

pub struct AppInner {
    pub db: Db,
    pub config: Config,
    pub clock: Arc<dyn Clock>,
    pub i18n: Arc<I18n>,
    pub register: Arc<dyn PopulationRegister>,
    pub permissions: Vec<PermissionDef>,
    pub limiter: limiter::Limiter,
    pub metrics: Option<metrics_exporter_prometheus::PrometheusHandle>,
    pub http: reqwest::Client,
    /// Every registered route (method, path), for the API docs and the isolation test.
    pub routes: Vec<RouteInfo>,
    /// The merged OpenAPI document of every module.
    pub openapi_json: String,
    pub links: Vec<NavLink>,
    pub jobs: Vec<crate::outbox::Job>,
    /// Every registered notification template, by module (`Module::notifications`).
    pub notifications: crate::outbox::templates::Registry,
    pub subscribers: Vec<crate::changes::Subscriber>,
    /// Every module's collector of a person's data (`Module::personal_data`).
    pub personal_data: Vec<crate::personal_data::PersonalData>,
}

/// Where a module's link appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkArea {
    /// The administration start page (`/admin`), for staff holding one of the permissions.
    Admin,
    /// The municipality's public start page.
    Public,
    /// The platform operator's start page (`/admin` on the platform host); for operators only.
    Operator,
    /// The platform's public landing page (services across municipalities: *Mina ärenden*).
    Platform,
    /// A logged-in resident's own pages, first on the municipality's start page under "Dina
    /// sidor" (*Mina ärenden*, the poll worker's pages); shown to citizens only.
    Citizen,
    /// An action on a staff case page, for those who may handle the case: the page appends
    /// `?arende=<case id>` to `href` (e.g. meetings' "propose to a committee").
    Case,
}

/// A module's entry on a start page; `label` and `hint` are Fluent ids.
#[derive(Debug, Clone)]
pub struct NavLink {
    pub area: LinkArea,
    pub permissions: &'static [&'static str],
    pub href: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
}

impl AppState {
    /// The links of an area that this request's user may follow.
    pub fn links_for(&self, ctx: &Ctx, area: LinkArea) -> Vec<NavLink> {
        self.links
            .iter()
            .filter(|l| l.area == area && (l.permissions.is_empty() || l.permissions.iter().any(|p| ctx.can(p))))
            .cloned()
            .collect()
    }
}

impl std::ops::Deref for AppState {
    type Target = AppInner;
    fn deref(&self) -> &AppInner {
        &self.0
    }
}

impl AppState {
    pub fn now(&self) -> time::OffsetDateTime {
        self.clock.now()
    }

    /// `scheme://host[:port]` of a host of this installation: the scheme and port come from
    /// `public_url` (links in e-mail and feeds, OIDC redirects).
    pub fn site_url(&self, host: &str) -> String {
        site_url(&self.config.public_url, host)
    }
}

pub use crate::config::site_url;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: Method,
    pub path: &'static str,
}

/// A router that remembers what it routes, so tests can walk every route a module adds.
#[derive(Default)]
pub struct Routes {
    map: BTreeMap<&'static str, MethodRouter<AppState>>,
    infos: Vec<RouteInfo>,
}

impl Routes {
    pub fn new() -> Self {
        Self::default()
    }

    fn add(mut self, path: &'static str, method: Method, mr: MethodRouter<AppState>) -> Self {
        let existing = self.map.remove(path).unwrap_or_default();
        self.map.insert(path, existing.merge(mr));
        self.infos.push(RouteInfo { method, path });
        self
    }

    pub fn get<H, T>(self, path: &'static str, h: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(path, Method::GET, axum::routing::get(h))
    }

    pub fn post<H, T>(self, path: &'static str, h: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(path, Method::POST, axum::routing::post(h))
    }

    /// A POST route that takes a file: its body may be up to `limit` bytes instead of the
    /// configured `max_body_bytes` that bounds every other request.
    pub fn post_upload<H, T>(self, path: &'static str, h: H, limit: usize) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(path, Method::POST, axum::routing::post(h).layer(axum::extract::DefaultBodyLimit::max(limit)))
    }

    pub fn merge(mut self, other: Routes) -> Self {
        for (path, mr) in other.map {
            let existing = self.map.remove(path).unwrap_or_default();
            self.map.insert(path, existing.merge(mr));
        }
        self.infos.extend(other.infos);
        self
    }

    pub fn infos(&self) -> &[RouteInfo] {
        &self.infos
    }

    pub fn into_router(self) -> Router<AppState> {
        self.map.into_iter().fold(Router::new(), |r, (path, mr)| r.route(path, mr))
    }
}

pub use radhus_kernel::html::escape;

/// Percent-encodes text for a query parameter of a link: everything but the unreserved
/// characters of RFC 3986 (letters, digits, `-`, `_`, `.`, `~`).
pub fn url_encode(s: &str) -> String {
    const QUERY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
    percent_encoding::utf8_percent_encode(s, QUERY).to_string()
}

#[cfg(test)]
mod url_tests {
    #[test]
    fn url_encode_keeps_only_unreserved() {
        assert_eq!(super::url_encode("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(super::url_encode("Kil & Åmål/2026?"), "Kil%20%26%20%C3%85m%C3%A5l%2F2026%3F");
    }
}
