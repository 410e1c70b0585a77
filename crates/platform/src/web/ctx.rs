//! The request context every page handler gets: the site (platform or municipality),
//! the language, the logged-in principal and the CSRF token.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::error::Error;
use crate::identity::session::{Principal, StaffUser};
use crate::tenancy::{Site, Tenant};
use crate::web::Tr;

#[derive(Clone, Debug)]
pub struct Ctx {
    pub site: Site,
    pub tr: Tr,
    pub principal: Option<Principal>,
    /// The request carried a session cookie whose session has ended.
    pub session_expired: bool,
    pub session_token_hash: Option<String>,
    pub csrf: String,
    /// Path and query of this request (language switch, login redirect).
    pub path: String,
    /// The request's host name, without port.
    pub host: String,
    pub client: String,
}

impl Ctx {
    pub fn tenant(&self) -> Option<&Tenant> {
        match &self.site {
            Site::Tenant(t) => Some(t),
            Site::Platform => None,
        }
    }

    /// The municipality of this host, or 404 on the platform host.
    pub fn require_tenant(&self) -> Result<&Tenant, Error> {
        self.tenant().ok_or(Error::NotFound)
    }

    pub fn is_platform(&self) -> bool {
        matches!(self.site, Site::Platform)
    }

    pub fn site_name(&self) -> String {
        match &self.site {
            Site::Tenant(t) => t.name.clone(),
            Site::Platform => "Rådhus".into(),
        }
    }

    /// "Karlstads kommun" style title (Swedish genitive; English: "Municipality of …").
    pub fn org_title(&self) -> String {
        match &self.site {
            Site::Tenant(t) => self.municipality_title(&t.name),
            Site::Platform => self.tr.t("platform-title"),
        }
    }

    /// A municipality's name as a title in the request's language.
    pub fn municipality_title(&self, name: &str) -> String {
        self.tr.t1("municipality-title", "name", self.name_form(name))
    }

    /// The name in the form the language's messages expect (Swedish: genitive).
    pub fn name_form(&self, name: &str) -> String {
        match self.tr.lang {
            radhus_kernel::Lang::Sv => crate::tenancy::genitive_sv(name),
            radhus_kernel::Lang::En => name.to_string(),
        }
    }

    pub fn staff(&self) -> Option<&StaffUser> {
        match &self.principal {
            Some(Principal::Staff(s)) => Some(s),
            _ => None,
        }
    }

    pub fn is_operator(&self) -> bool {
        matches!(self.principal, Some(Principal::Operator { .. }))
    }

    pub fn is_citizen(&self) -> bool {
        matches!(self.principal, Some(Principal::Citizen { .. }))
    }

    pub fn display_name(&self) -> String {
        self.principal.as_ref().map(|p| p.display_name().to_string()).unwrap_or_default()
    }

    pub fn logged_in(&self) -> bool {
        self.principal.is_some()
    }

    /// Whether the logged-in staff user holds a permission anywhere (menu items).
    pub fn can(&self, permission: &str) -> bool {
        self.staff().is_some_and(|s| s.grants.has_anywhere(permission))
    }

    /// Link that switches the language and returns to this page.
    pub fn lang_switch_href(&self) -> String {
        let other = match self.tr.lang {
            radhus_kernel::Lang::Sv => "en",
            radhus_kernel::Lang::En => "sv",
        };
        let path = self.path.split('?').next().unwrap_or("/");
        format!("{path}?lang={other}")
    }

    pub fn lang_switch_label(&self) -> &'static str {
        match self.tr.lang {
            radhus_kernel::Lang::Sv => "English",
            radhus_kernel::Lang::En => "Svenska",
        }
    }

    pub fn lang_switch_lang(&self) -> &'static str {
        match self.tr.lang {
            radhus_kernel::Lang::Sv => "en",
            radhus_kernel::Lang::En => "sv",
        }
    }

    pub fn t(&self, id: &str) -> String {
        self.tr.t(id)
    }

    pub fn tn(&self, id: &str, count: impl std::borrow::Borrow<i64>) -> String {
        self.tr.tn(id, *count.borrow())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Ctx>().cloned().ok_or_else(|| Error::Internal("request context missing".into()))
    }
}
