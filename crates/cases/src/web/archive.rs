//! The archive package of a closed case as a download: `/admin/arenden/{id}/arkivpaket`.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use radhus_platform::error::Result;
use radhus_platform::identity::permissions::Staff;
use radhus_platform::web::form::PathIds;
use radhus_platform::web::{AppState, Ctx, Routes};
use uuid::Uuid;

use crate::archive;

pub(super) fn routes() -> Routes {
    Routes::new().get("/admin/arenden/{id}/arkivpaket", get_archive_package)
}

async fn get_archive_package(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let package = archive::export(&st.db, &s, id, &ctx.org_title(), st.now()).await?;
    let mut r = package.zip.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/zip"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}.zip\"", package.name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}
