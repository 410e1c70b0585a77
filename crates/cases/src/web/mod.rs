//! The pages of case management: handlers and askama templates over the areas' use cases.
//! Dependencies run one way: these modules use the areas (`service`, `memo`, `projects`,
//! `watches`, `retention`, `archive`, `public`); no area imports `web`.
//!
//! - [`cases`]: the case list, a new case, a case's page and the changes made from it;
//! - [`records`]: a record's page, its changes, documents and the approval route;
//! - [`registries`]: registries, classes and case types;
//! - [`messages`]: the conversation with the case's parties (issue 12);
//! - [`handling`]: handling times per case type for managers (issue 12);
//! - [`late`]: the registrar's list of inbound records registered late (issue 20);
//! - [`memo`], [`projects`], [`watches`], [`retention`], [`archive`], [`public`]: the page
//!   halves of those areas.

mod archive;
mod cases;
mod fields;
mod handling;
mod late;
mod memo;
mod memo_steps;
mod messages;
mod projects;
mod public;
mod records;
mod registries;
mod retention;
mod watches;

use radhus_platform::web::Routes;

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
        .merge(handling::routes())
        .merge(late::routes())
        .merge(projects::routes())
}
