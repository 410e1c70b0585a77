//! Committee administration (issue 13): committees and their members, agendas built from cases'
//! memos, notices, the meeting, minutes with numbered paragraphs, adjustment, the notice board,
//! and extracts registered back into each case.
//!
//! `core` holds the pure rules (the meeting's state machine, quorum, votes, paragraph numbers,
//! appeal dates), `store` the SQL of the `mtg_*` tables, `service` the use cases (one
//! transaction each), `web` the pages. Cases are read and written only through radhus-cases'
//! functions (ADR 0013's arrow: meetings → cases).

pub mod core;
pub mod corrections;
pub mod documents;
pub mod error;
pub mod immediate;
pub mod masking;
pub mod minutes;
pub mod oparl;
pub mod public;
pub mod record;
pub mod service;
pub mod signing;
pub mod store;
pub mod template_pages;
pub mod templates;
pub mod web;

use radhus_kernel::Lang;
use radhus_platform::Module;
use radhus_platform::identity::permissions::PermissionDef;
use radhus_platform::web::{LinkArea, NavLink};

pub use error::MeetingError;

pub const PERMISSIONS: &[PermissionDef] = &[PermissionDef { key: service::ADMIN, label: "mtg-perm-admin" }];

pub fn module() -> Module {
    Module {
        name: "meetings",
        routes: web::routes().merge(public::routes()).merge(oparl::routes()).merge(corrections::routes()).merge(template_pages::routes()),
        ftl: vec![(Lang::Sv, include_str!("../locales/sv.ftl")), (Lang::En, include_str!("../locales/en.ftl"))],
        permissions: PERMISSIONS.to_vec(),
        openapi: oparl::document(),
        links: vec![
            // Every staff user may be a member or secretary of a committee (scoped in the module's
            // own tables), so the link is shown to all staff; the page lists what is theirs.
            NavLink { area: LinkArea::Admin, permissions: &[], href: "/admin/moten", label: "mtg-title", hint: "mtg-hint" },
            NavLink { area: LinkArea::Public, permissions: &[], href: "/anslagstavla", label: "mtg-board", hint: "mtg-board-hint" },
            NavLink { area: LinkArea::Public, permissions: &[], href: "/moten", label: "mtg-pub-title", hint: "mtg-pub-hint" },
            NavLink {
                area: LinkArea::Case,
                permissions: &[radhus_cases::service::HANDLE],
                href: "/admin/moten/forslag",
                label: "mtg-propose",
                hint: "mtg-propose-hint",
            },
        ],
        jobs: vec![minutes::end_appeals],
        notifications: vec![record::NOTICE_MAIL, record::SUPPLEMENT_MAIL],
        subscribers: vec![],
        personal_data: vec![],
        errors: MeetingError::ALL.iter().map(|e| e.def()).collect(),
    }
}
