//! Files handed to the browser: one place for the headers every download needs.
//!
//! Every file is private to the one who asked (`Cache-Control: private, no-store`: a decision or
//! an export must not linger in a shared cache). A file to save (`attachment`) also gets a
//! sandboxing content security policy, so an uploaded document that is really a page can never
//! run in the platform's origin; a file shown in the browser (`inline`, the platform's own PDFs)
//! does not, as the browser's PDF viewer would then show nothing. The file name is sent twice,
//! as RFC 6266 asks: an ASCII fallback and the real name in UTF-8 (`filename*`), so
//! "åtgärdsplan.xlsx" keeps its letters.

use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::Response;

/// A file to save.
pub fn attachment(body: impl Into<Body>, mime: &str, filename: &str) -> Response {
    file(body.into(), mime, filename, "attachment")
}

/// A file to show in the browser (a PDF the platform made).
pub fn inline(body: impl Into<Body>, mime: &str, filename: &str) -> Response {
    file(body.into(), mime, filename, "inline")
}

pub const PDF: &str = "application/pdf";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const CSV: &str = "text/csv; charset=utf-8";
pub const JSON: &str = "application/json; charset=utf-8";
pub const ICS: &str = "text/calendar; charset=utf-8";
pub const ZIP: &str = "application/zip";

fn file(body: Body, mime: &str, filename: &str, disposition: &str) -> Response {
    let mut r = Response::new(body);
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(mime).unwrap_or(HeaderValue::from_static("application/octet-stream")));
    if let Ok(v) = HeaderValue::from_str(&content_disposition(disposition, filename)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    if disposition == "attachment" {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    }
    r
}

fn content_disposition(disposition: &str, filename: &str) -> String {
    let ascii: String = filename.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect();
    let ascii = if ascii.is_empty() { "fil".to_string() } else { ascii };
    if ascii == filename {
        format!("{disposition}; filename=\"{ascii}\"")
    } else {
        format!("{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{}", super::url_encode(filename))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_ascii_with_the_real_name_beside() {
        assert_eq!(content_disposition("attachment", "kvitto.pdf"), "attachment; filename=\"kvitto.pdf\"");
        assert_eq!(
            content_disposition("attachment", "åtgärdsplan 2026.xlsx"),
            "attachment; filename=\"_tg_rdsplan_2026.xlsx\"; filename*=UTF-8''%C3%A5tg%C3%A4rdsplan%202026.xlsx"
        );
        // A quote or a line break in a stored name can never split the header.
        assert_eq!(content_disposition("inline", "a\"b\r\n.pdf"), "inline; filename=\"a_b__.pdf\"; filename*=UTF-8''a%22b%0D%0A.pdf");
        assert_eq!(content_disposition("attachment", ""), "attachment; filename=\"fil\"; filename*=UTF-8''");
    }

    #[test]
    fn attachments_are_sandboxed_and_never_cached() {
        let r = attachment(b"x".to_vec(), "text/html", "sida.html");
        assert_eq!(r.headers()[header::CONTENT_SECURITY_POLICY], "default-src 'none'; sandbox");
        assert_eq!(r.headers()[header::CACHE_CONTROL], "private, no-store");
        let r = inline(b"%PDF".to_vec(), PDF, "protokoll.pdf");
        assert!(r.headers().get(header::CONTENT_SECURITY_POLICY).is_none());
        assert_eq!(r.headers()[header::CONTENT_DISPOSITION], "inline; filename=\"protokoll.pdf\"");
        // A stored media type that is not a header value falls back to bytes.
        let r = attachment(Vec::new(), "bad\nmime", "x.bin");
        assert_eq!(r.headers()[header::CONTENT_TYPE], "application/octet-stream");
    }
}
