//! *Mina ärenden* (issue 12): every case of a citizen in every municipality on the platform, in
//! one list on the platform host and per municipality on its host, with the citizen-facing
//! phase of each. A read model (`my_case`) keyed by the blind index of the personal identity
//! number is fed by case management's change log (`feed`), so the page is one indexed query
//! and never reads a municipality's case tables (ADR 0021).

pub mod disruptions;
pub mod export;
pub mod feed;
pub mod notices;
pub mod phase;
pub mod receipt;
pub mod settings;
pub mod store;
pub mod texts;
pub mod web;

use radhus_kernel::Lang;
use radhus_kernel::error::{ErrorDef, ErrorKind};
use radhus_platform::Module;
use radhus_platform::error::Error;
use radhus_platform::web::{LinkArea, NavLink};

/// The module's errors, code `MY-…`, messages `my-err-…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MyCasesError {
    /// A citizen session that is not e-ID (the poll worker's e-mail link) asks for the cases.
    NeedsEid,
}

impl MyCasesError {
    pub const ALL: [MyCasesError; 1] = [MyCasesError::NeedsEid];

    pub fn def(self) -> ErrorDef {
        match self {
            MyCasesError::NeedsEid => ErrorDef::new("MY-001", ErrorKind::Forbidden, "my-err-needs-eid"),
        }
    }
}

impl From<MyCasesError> for Error {
    fn from(e: MyCasesError) -> Self {
        let d = e.def();
        Error::rule(d.code, d.kind, d.message)
    }
}

pub fn module() -> Module {
    Module {
        name: "mycases",
        routes: web::routes().merge(receipt::routes()),
        ftl: vec![(Lang::Sv, include_str!("../locales/sv.ftl")), (Lang::En, include_str!("../locales/en.ftl"))],
        permissions: vec![],
        openapi: utoipa::openapi::OpenApiBuilder::new().build(),
        links: vec![
            NavLink { area: LinkArea::Public, permissions: &[], href: "/mina-arenden", label: "my-title", hint: "my-hint" },
            NavLink { area: LinkArea::Citizen, permissions: &[], href: "/mina-arenden", label: "my-title", hint: "my-hint" },
            NavLink { area: LinkArea::Platform, permissions: &[], href: "/mina-arenden", label: "my-title", hint: "my-hint-all" },
            NavLink {
                area: LinkArea::Admin,
                permissions: &[radhus_cases::service::ADMIN],
                href: "/admin/mina-arenden",
                label: "my-texts-title",
                hint: "my-texts-hint",
            },
        ],
        jobs: vec![notices::send_due_job, disruptions::send_job],
        notifications: vec![notices::CASE_CHANGED, disruptions::BROADCAST],
        subscribers: vec![feed::SUBSCRIBER],
        personal_data: vec![],
        errors: MyCasesError::ALL.iter().map(|e| e.def()).collect(),
    }
}
