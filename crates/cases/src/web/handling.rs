//! The page half of [`crate::handling`]: the managers' table of handling times per case type
//! (`/admin/handlaggningstider`), with the open cases past the stated time linked to the case
//! list's overdue view.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::Staff;
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};

use crate::handling::{self, HandlingTime};
use crate::service;

pub(super) fn routes() -> Routes {
    Routes::new().get("/admin/handlaggningstider", get_times)
}

#[derive(Template)]
#[template(path = "cases/handling.html")]
struct TimesPage<'a> {
    ctx: &'a Ctx,
    times: Vec<HandlingTime>,
}

impl TimesPage<'_> {
    fn days(&self, d: &Option<i64>) -> String {
        match d {
            Some(d) => self.ctx.tn("handling-days", *d),
            None => "–".into(),
        }
    }

    fn stated(&self, h: &HandlingTime) -> String {
        self.ctx.tn("handling-days", i64::from(h.stated_days))
    }

    /// The measured median is above the stated time.
    fn slow(&self, h: &HandlingTime) -> bool {
        h.median_days.is_some_and(|m| m > i64::from(h.stated_days))
    }
}

/// Managers (who distribute cases) and registry administrators see the whole municipality's
/// figures: counts and days, no case's content.
async fn get_times(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff) -> Result<Response> {
    if !(s.grants.has_anywhere(service::DISTRIBUTE) || s.grants.has_anywhere(service::ADMIN)) {
        return Err(Error::Forbidden);
    }
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let times = handling::times(&mut tx, s.tenant_id, st.now()).await?;
    tx.commit().await?;
    render(&TimesPage { ctx: &ctx, times })
}
