//! The registrar's list of late registrations (`/admin/sent-registrerade`): inbound records
//! registered on a later day than they came in (OSL 5 kap. 1 §: registration without delay),
//! of the cases the registrar may read.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::Staff;
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};

use crate::service::{self, LateRegistration};

pub(super) fn routes() -> Routes {
    Routes::new().get("/admin/sent-registrerade", get_late)
}

#[derive(Template)]
#[template(path = "cases/late.html")]
struct LatePage<'a> {
    ctx: &'a Ctx,
    late: Vec<LateRegistration>,
}

impl LatePage<'_> {
    fn registered_on(&self, l: &LateRegistration) -> String {
        l.record.registered_at.map(|t| radhus_kernel::tz::stockholm(t).date().to_string()).unwrap_or_default()
    }
    fn received_on(&self, l: &LateRegistration) -> String {
        l.record.received_on.map(|d| d.to_string()).unwrap_or_default()
    }
    fn days_late(&self, l: &LateRegistration) -> String {
        let days = match (l.record.received_on, l.record.registered_at) {
            (Some(d), Some(t)) => (radhus_kernel::tz::stockholm(t).date() - d).whole_days(),
            _ => 0,
        };
        self.ctx.tn("handling-days", days)
    }
    /// A secret title or a private person's name is not repeated in a list.
    fn title(&self, l: &LateRegistration) -> String {
        if l.record.is_secret("title") { crate::domain::MASK.to_string() } else { l.record.title.clone() }
    }
}

/// Registrars (and registry administrators) see the late registrations of the cases they may read.
async fn get_late(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff) -> Result<Response> {
    if !(s.grants.has_anywhere(service::REGISTER) || s.grants.has_anywhere(service::ADMIN)) {
        return Err(Error::Forbidden);
    }
    let late = service::late_registrations(&st.db, &s).await?;
    render(&LatePage { ctx: &ctx, late })
}
