//! The pages of e-services, one file per area; only this folder uses axum and askama.
//! [`citizen`]: the citizen's way through a form; [`admin`]: adoptions and the shared
//! catalogue; [`adapt`]: adapting an adopted service; [`broadcast`]: broadcasts,
//! störningsinformation and draft retention; [`payment`]: paying a fee; [`refund`]: the
//! municipality's payments and refunds; [`stats`]: statistics for
//! the municipality's administrator and the platform operator; [`builder`]: the form builder
//! of the municipality's own e-services; [`webhook`]: the municipality's
//! outgoing webhooks; [`on_behalf`]: "Vem gäller ansökan?".

pub mod adapt;
pub mod admin;
pub mod broadcast;
pub mod builder;
pub mod citizen;
mod common;
pub mod on_behalf;
pub mod payment;
pub mod refund;
pub mod stats;
pub mod webhook;

pub use common::EsAdmin;

use radhus_platform::web::Routes;

/// Every e-service page.
pub fn routes() -> Routes {
    citizen::routes()
        .merge(admin::routes())
        .merge(adapt::routes())
        .merge(broadcast::routes())
        .merge(builder::routes())
        .merge(payment::routes())
        .merge(refund::routes())
        .merge(stats::routes())
        .merge(webhook::routes())
        .merge(on_behalf::routes())
}
