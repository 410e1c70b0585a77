//! Election administration (valadministration, modelled on Kaskelot Online).
//!
//! Pure domain: `model` (one election's staffing), `rules` (vallagen 3 kap. and municipal
//! policy as versioned code) and `optimiser` (the staffing solver), with no IO.
//! The module around it: `store` and `service` (elections and their structure), `web` (the
//! election office's pages under `/admin/val`), and one file per further area.

pub mod error;
pub mod model;
pub mod optimiser;
pub mod rules;
pub mod testdata;

pub mod appointment;
pub mod service;
pub mod staffing;
pub mod staffing_web;
pub mod store;
pub mod view;
pub mod web;

pub mod applications;
pub mod applications_seed;
pub mod applications_web;
pub mod campaigns;
pub mod conflicts;
pub mod courses;
pub mod courses_web;
pub mod material;
pub mod pages;
pub mod public;
pub mod registers;
pub mod reports;
pub mod valimport;
pub mod worker;

pub use model::*;
pub use optimiser::{Gap, Options, Outcome, Placement, optimise, reoptimise};
pub use rules::{CandidatePolicy, Certainty, Rule, RuleSet, Severity, Violation, check};

use radhus_kernel::Lang;
use radhus_platform::Module;
use radhus_platform::identity::permissions::PermissionDef;
use radhus_platform::web::{LinkArea, NavLink};

pub const PERMISSIONS: &[PermissionDef] = &[
    PermissionDef { key: service::OFFICE, label: "perm-elections-office" },
    PermissionDef { key: service::APPOINT, label: "perm-elections-appoint" },
];

pub fn module() -> Module {
    Module {
        name: "elections",
        routes: web::routes()
            .merge(staffing_web::routes())
            .merge(public::routes())
            .merge(applications_web::routes())
            .merge(courses_web::routes())
            .merge(worker::routes())
            .merge(registers::routes())
            .merge(valimport::web::routes())
            .merge(material::routes())
            .merge(campaigns::routes())
            .merge(reports::routes()),
        ftl: vec![
            (Lang::Sv, include_str!("../locales/sv.ftl")),
            (Lang::En, include_str!("../locales/en.ftl")),
            (Lang::Sv, include_str!("../locales/applications.sv.ftl")),
            (Lang::En, include_str!("../locales/applications.en.ftl")),
            (Lang::Sv, include_str!("../locales/courses.sv.ftl")),
            (Lang::En, include_str!("../locales/courses.en.ftl")),
            (Lang::Sv, include_str!("../locales/worker.sv.ftl")),
            (Lang::En, include_str!("../locales/worker.en.ftl")),
            (Lang::Sv, include_str!("../locales/registers.sv.ftl")),
            (Lang::En, include_str!("../locales/registers.en.ftl")),
            (Lang::Sv, include_str!("../locales/material.sv.ftl")),
            (Lang::En, include_str!("../locales/material.en.ftl")),
            (Lang::Sv, include_str!("../locales/campaigns.sv.ftl")),
            (Lang::En, include_str!("../locales/campaigns.en.ftl")),
            (Lang::Sv, include_str!("../locales/reports.sv.ftl")),
            (Lang::En, include_str!("../locales/reports.en.ftl")),
        ],
        permissions: PERMISSIONS.to_vec(),
        openapi: utoipa::openapi::OpenApiBuilder::new().build(),
        links: vec![
            NavLink {
                area: LinkArea::Admin,
                permissions: &[service::OFFICE, service::APPOINT],
                href: "/admin/val",
                label: "el-title",
                hint: "el-hint",
            },
            NavLink {
                area: LinkArea::Admin,
                permissions: &[service::OFFICE],
                href: "/admin/val/webb",
                label: "el-public-admin-title",
                hint: "el-public-admin-hint",
            },
            NavLink { area: LinkArea::Public, permissions: &[], href: "/valarbete", label: "el-public-title", hint: "el-public-hint" },
        ],
        jobs: vec![],
        errors: error::ElectionError::ALL.iter().map(|e| e.def()).collect(),
    }
}
