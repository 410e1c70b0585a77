//! The archive package of a closed case as a download: `/admin/arenden/{id}/arkivpaket`.

use axum::extract::State;
use axum::response::Response;
use radhus_platform::error::Result;
use radhus_platform::identity::permissions::Staff;
use radhus_platform::web::form::PathIds;
use radhus_platform::web::{AppState, Ctx, Routes, download};
use uuid::Uuid;

use crate::archive;

pub(super) fn routes() -> Routes {
    Routes::new().get("/admin/arenden/{id}/arkivpaket", get_archive_package)
}

async fn get_archive_package(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let package = archive::export(&st.db, &s, id, &ctx.org_title(), st.now()).await?;
    Ok(download::attachment(package.zip, download::ZIP, &format!("{}.zip", package.name)))
}
