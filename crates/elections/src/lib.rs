//! Election administration (valadministration, modelled on Kaskelot Online).
//!
//! Pure domain in `core`: `model` (one election's staffing), `rules` (vallagen 3 kap. and
//! municipal policy as versioned code) and `optimiser` (the staffing solver), with no IO.
//! Around it one folder per area (`structure`, `registers`, `applications`, `courses`,
//! `staffing`, `settings`, `worker`, `campaigns`, `material`, `reports`, `pages`), each with its pages in
//! `web.rs` where split, and `support` for what the areas share.

pub mod error;

pub mod core;
pub mod support;

pub mod applications;
pub mod campaigns;
pub mod courses;
pub mod material;
pub mod pages;
pub mod registers;
pub mod reports;
pub mod settings;
pub mod staffing;
pub mod structure;
#[cfg(feature = "testing")]
pub mod testing;
pub mod worker;

pub use crate::core::model::*;
pub use crate::core::optimiser::{Gap, Options, Outcome, Placement, optimise, reoptimise};
pub use crate::core::rules::{APPOINTMENT_RULES, CandidatePolicy, Rule, RuleSet, Severity, Violation, check};
pub use crate::core::{model, optimiser, rules, testdata};

// The paths from before the area folders, used by the server's demo data
// (`crates/server/src/demo_elections.rs`) and the staffing benchmark.
pub use crate::applications::seed as applications_seed;
pub use crate::staffing::appointment;
pub use crate::structure::{service, store};

use radhus_kernel::Lang;
use radhus_platform::Module;
use radhus_platform::identity::permissions::PermissionDef;
use radhus_platform::web::{LinkArea, NavLink};

pub const PERMISSIONS: &[PermissionDef] = &[
    PermissionDef { key: support::office::OFFICE, label: "perm-elections-office" },
    PermissionDef { key: support::office::APPOINT, label: "perm-elections-appoint" },
];

pub fn module() -> Module {
    Module {
        name: "elections",
        routes: structure::routes()
            .merge(staffing::web::routes())
            .merge(pages::public::routes())
            .merge(applications::web::routes())
            .merge(courses::web::routes())
            .merge(worker::web::routes())
            .merge(registers::routes())
            .merge(registers::valimport::web::routes())
            .merge(material::web::routes())
            .merge(campaigns::web::routes())
            .merge(reports::web::routes())
            .merge(settings::web::routes()),
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
                permissions: &[support::office::OFFICE, support::office::APPOINT],
                href: "/admin/val",
                label: "el-title",
                hint: "el-hint",
            },
            NavLink {
                area: LinkArea::Admin,
                permissions: &[support::office::OFFICE],
                href: "/admin/val/webb",
                label: "el-public-admin-title",
                hint: "el-public-admin-hint",
            },
            NavLink { area: LinkArea::Public, permissions: &[], href: "/valarbete", label: "el-public-title", hint: "el-public-hint" },
            // A resident's application and poll-worker pages, under "Dina sidor" on the start page.
            NavLink {
                area: LinkArea::Citizen,
                permissions: &[],
                href: "/valarbete/mina-sidor",
                label: "el-worker-title",
                hint: "el-worker-hint",
            },
        ],
        jobs: vec![],
        notifications: [courses::notifications(), vec![worker::LINK]].concat(),
        subscribers: vec![],
        personal_data: vec![],
        errors: error::ElectionError::ALL.iter().map(|e| e.def()).collect(),
    }
}
