//! Cases and records (ärendehantering) and the public diary (diarium), modelled on
//! 360° Ärendehantering and Noark 5: registries with gap-free diary numbers, case types
//! and classification, cases with a state machine and a timeline, records with versioned
//! documents, secrecy markings, and a public diary that masks what is secret.

pub mod api;
pub mod appeal;
pub mod archive;
pub mod domain;
pub mod events;
pub mod handling;
pub mod ids;
pub mod intake;
pub mod law;
pub mod memo;
pub mod messages;
pub mod parties;
pub mod personal;
pub mod projects;
pub mod public;
pub mod request;
pub mod retention;
pub mod service;
pub mod store;
pub mod watches;
pub mod web;

use radhus_kernel::Lang;
use radhus_platform::Module;
use radhus_platform::identity::permissions::PermissionDef;
use radhus_platform::web::{LinkArea, NavLink};

/// Administers registries, case types and their appeal instructions (`service::ADMIN`).
pub const ADMIN: &str = "cases.admin";

pub const PERMISSIONS: &[PermissionDef] = &[
    PermissionDef { key: service::READ, label: "perm-cases-read" },
    PermissionDef { key: service::HANDLE, label: "perm-cases-handle" },
    PermissionDef { key: service::REGISTER, label: "perm-cases-register" },
    PermissionDef { key: service::DISTRIBUTE, label: "perm-cases-distribute" },
    PermissionDef { key: service::REOPEN, label: "perm-cases-reopen" },
    PermissionDef { key: service::ADMIN, label: "perm-cases-admin" },
];

pub fn module() -> Module {
    Module {
        name: "cases",
        routes: web::routes().merge(api::routes()),
        ftl: vec![(Lang::Sv, include_str!("../locales/sv.ftl")), (Lang::En, include_str!("../locales/en.ftl"))],
        permissions: PERMISSIONS.to_vec(),
        openapi: api::document(),
        links: vec![
            NavLink {
                area: LinkArea::Admin,
                permissions: &[service::READ, service::HANDLE, service::REGISTER, service::DISTRIBUTE],
                href: "/admin/arenden",
                label: "cases-title",
                hint: "cases-hint",
            },
            NavLink {
                area: LinkArea::Admin,
                permissions: &[service::READ, service::HANDLE, service::REGISTER, service::DISTRIBUTE, service::ADMIN],
                href: "/admin/projekt",
                label: "projects-title",
                hint: "projects-hint",
            },
            NavLink {
                area: LinkArea::Admin,
                permissions: &[service::ADMIN],
                href: "/admin/diarier",
                label: "registries-title",
                hint: "registries-hint",
            },
            NavLink {
                area: LinkArea::Admin,
                permissions: &[service::READ, service::HANDLE, service::DISTRIBUTE],
                href: "/admin/godkannanden",
                label: "approvals-title",
                hint: "approvals-hint",
            },
            NavLink {
                area: LinkArea::Admin,
                permissions: &[service::READ, service::HANDLE, service::REGISTER, service::DISTRIBUTE],
                href: "/admin/bevakningar",
                label: "watches-title",
                hint: "watches-hint",
            },
            NavLink {
                area: LinkArea::Admin,
                permissions: &[service::DISTRIBUTE, service::ADMIN],
                href: "/admin/handlaggningstider",
                label: "handling-title",
                hint: "handling-hint",
            },
            NavLink {
                area: LinkArea::Admin,
                permissions: &[service::ADMIN],
                href: "/admin/gallring",
                label: "disposal-title",
                hint: "disposal-hint",
            },
            NavLink { area: LinkArea::Public, permissions: &[], href: "/diarium", label: "diary-title", hint: "diary-hint" },
        ],
        jobs: vec![watches::remind_job],
        notifications: watches::notifications(),
        subscribers: vec![],
        personal_data: vec![personal::PERSONAL_DATA],
        errors: domain::CaseError::ALL
            .iter()
            .map(|e| {
                let (code, kind, message) = e.parts();
                radhus_kernel::error::ErrorDef::new(code, kind, message)
            })
            .collect(),
    }
}
