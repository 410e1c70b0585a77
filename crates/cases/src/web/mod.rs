//! The pages of case management: handlers and askama templates over the areas' use cases.
//! Dependencies run one way: these modules use the areas (`service`, `memo`, `projects`,
//! `watches`, `retention`, `archive`, `public`); no area imports `web`.
//!
//! - [`cases`]: the case list, a new case, a case's page and the changes made from it;
//! - [`records`]: a record's page, its changes, documents and the approval route;
//! - [`registries`]: registries, classes and case types;
//! - [`messages`]: the conversation with the case's parties (issue 12);
//! - [`memo`], [`projects`], [`watches`], [`retention`], [`archive`], [`public`]: the page
//!   halves of those areas.

mod archive;
mod cases;
mod memo;
mod messages;
mod projects;
mod public;
mod records;
mod registries;
mod retention;
mod watches;

use axum::response::Response;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::session::StaffUser;
use radhus_platform::web::form;
use radhus_platform::web::{AppState, Ctx, Routes};
use uuid::Uuid;

use crate::memo::MemoText;

/// Every page route of the module (the JSON API's are `crate::api::routes`).
pub fn routes() -> Routes {
    cases::routes()
        .merge(records::routes())
        .merge(registries::routes())
        .merge(public::routes())
        .merge(watches::routes())
        .merge(retention::routes())
        .merge(archive::routes())
        .merge(memo::routes())
        .merge(messages::routes())
        .merge(projects::routes())
}

fn opt_uuid(s: &str, field: &str, msg: &str) -> Result<Option<Uuid>> {
    match s.trim() {
        "" => Ok(None),
        v => Uuid::parse_str(v).map(Some).map_err(|_| Error::invalid(field, msg)),
    }
}

fn fmt_date(t: &time::OffsetDateTime) -> String {
    t.date().to_string()
}

/// After a change to a case: back to the case page, or the page again with the problem
/// ([`form::submit`]).
async fn on_case(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, result: Result<()>) -> Result<Response> {
    form::submit(ctx, result.map(|()| format!("/admin/arenden/{id}")), |errors| cases::case_page(st, ctx, s, id, errors)).await
}

/// After a change to a record: back to the record page, or the page again with the problem
/// (and, for the memo form, what was typed) ([`form::submit`]).
async fn on_record(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    result: Result<()>,
    memo_input: Option<MemoText>,
) -> Result<Response> {
    form::submit(ctx, result.map(|()| format!("/admin/handlingar/{id}")), |errors| records::record_page(st, ctx, s, id, errors, memo_input))
        .await
}
