//! Digital maturity: the eBlomlåda self-assessment (SKL's tool, 2016/2017 indicator list).
//! Versioned indicator catalogues, a municipality's yearly assessment with its answers,
//! scores per area and in total, the change since last year, the benchmark across every
//! municipality on the platform, the flower box as SVG, the action plan and open data.

pub mod api;
pub mod domain;
pub mod export;
pub mod flower;
pub mod public;
pub mod report;
pub mod service;
pub mod store;
pub mod view;
pub mod web;

use radhus_kernel::Lang;
use radhus_platform::Module;
use radhus_platform::identity::permissions::PermissionDef;
use radhus_platform::web::{LinkArea, NavLink};

pub const PERMISSIONS: &[PermissionDef] = &[
    PermissionDef { key: service::LEAD, label: "perm-maturity-lead" },
    PermissionDef { key: service::ANSWER, label: "perm-maturity-answer" },
    PermissionDef { key: service::ADMIN, label: "perm-maturity-admin" },
];

pub fn module() -> Module {
    Module {
        name: "maturity",
        routes: web::routes().merge(public::routes()).merge(api::routes()),
        ftl: vec![(Lang::Sv, include_str!("../locales/sv.ftl")), (Lang::En, include_str!("../locales/en.ftl"))],
        permissions: PERMISSIONS.to_vec(),
        openapi: api::document(),
        links: vec![
            NavLink {
                area: LinkArea::Admin,
                permissions: &[service::LEAD, service::ANSWER, service::ADMIN],
                href: "/admin/eblomlada",
                label: "mat-title",
                hint: "mat-hint",
            },
            NavLink { area: LinkArea::Public, permissions: &[], href: "/eblomlada", label: "mat-public-title", hint: "mat-public-hint" },
            NavLink {
                area: LinkArea::Operator,
                permissions: &[],
                href: "/admin/eblomlada/kataloger",
                label: "mat-catalogues",
                hint: "mat-catalogues",
            },
        ],
        jobs: vec![],
        notifications: vec![],
        subscribers: vec![],
        personal_data: vec![],
        errors: domain::MaturityError::ALL
            .iter()
            .map(|e| {
                let (code, kind, message) = e.parts();
                radhus_kernel::error::ErrorDef::new(code, kind, message)
            })
            .collect(),
    }
}
