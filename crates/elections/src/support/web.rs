//! The HTTP answer every area's pages share: the redirect after a form (downloads go through the
//! platform's `web::download`). The only file of `support` that uses axum.

use axum::response::{IntoResponse, Redirect, Response};
use radhus_platform::error::Result;

/// The answer to a form that worked: go to the page that shows the result.
pub fn see_other(to: String) -> Result<Response> {
    Ok(Redirect::to(&to).into_response())
}
