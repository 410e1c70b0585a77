//! The HTTP answers every area's pages share: the redirect after a form and the private
//! downloads (Excel, PDF, iCalendar). The only file of `support` that uses axum.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use radhus_platform::error::Result;

/// The answer to a form that worked: go to the page that shows the result.
pub fn see_other(to: String) -> Result<Response> {
    Ok(Redirect::to(&to).into_response())
}

/// A file of personal data to download: an attachment that no browser or proxy keeps.
pub fn download(bytes: Vec<u8>, mime: &'static str, filename: &str) -> Response {
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    r
}

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A calendar file to download. A worker's calendar names the person's sessions: private, like
/// every download of the module.
pub fn ics(body: String, filename: &str) -> Response {
    download(body.into_bytes(), "text/calendar; charset=utf-8", filename)
}
