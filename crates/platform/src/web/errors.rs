//! One error page and one JSON error shape, both carrying a stable code.
//!
//! Handlers return [`Error`]; its `IntoResponse` only marks the response with an
//! [`ErrorInfo`]. The context middleware then renders the mark as a translated page
//! (with the municipality's layout) or as JSON under `/api/`.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use radhus_kernel::error::{ErrorCode, ErrorKind};

use crate::error::{Error, FieldError};
use crate::web::Ctx;

#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub code: ErrorCode,
    pub fields: Vec<FieldError>,
    /// The message id for conflicts (which rule was broken).
    pub message: Option<&'static str>,
}

pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::BadInput => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let code = self.code();
        match code.kind {
            ErrorKind::Internal => tracing::error!(error = %self, "internal error"),
            ErrorKind::Unavailable => tracing::warn!(error = %self, "database out of reach: 503"),
            _ => {}
        }
        let message = match &self {
            Error::Conflict(m) | Error::Rule { message: m, .. } => Some(*m),
            _ => None,
        };
        let mut resp = status_of(code.kind).into_response();
        resp.extensions_mut().insert(ErrorInfo { code, fields: self.field_errors().to_vec(), message });
        resp
    }
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ApiError {
    pub error: ApiErrorBody,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ApiErrorBody {
    /// Stable code, e.g. `AUTH-005`.
    pub code: String,
    /// Human-readable message in the request's language.
    pub message: String,
    pub fields: Vec<ApiFieldError>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ApiFieldError {
    pub field: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub ctx: &'a Ctx,
    pub code: &'static str,
    pub title: String,
    pub message: String,
    pub fields: Vec<String>,
}

/// Turns a marked response into the page or JSON the client should see.
pub fn render(resp: Response, ctx: &Ctx, api: bool, is_get: bool) -> Response {
    let Some(info) = resp.extensions().get::<ErrorInfo>().cloned() else { return resp };
    let status = resp.status();
    let tr = &ctx.tr;
    let code = info.code.code;
    // A page that needs a login sends the browser to the login page and back.
    if !api && is_get && matches!(code, "AUTH-005" | "AUTH-006") {
        let next: String = url::form_urlencoded::byte_serialize(ctx.path.as_bytes()).collect();
        let expired = if code == "AUTH-006" { "&utgangen=1" } else { "" };
        return Redirect::to(&format!("/logga-in?next={next}{expired}")).into_response();
    }
    let message = match info.message {
        Some(m) => tr.t(m),
        None => tr.t(&format!("err-{code}")),
    };
    let fields: Vec<(String, String)> = info.fields.iter().map(|f| (f.field.clone(), tr.t(&f.message))).collect();
    if api {
        let body = ApiError {
            error: ApiErrorBody {
                code: code.to_string(),
                message,
                fields: fields.into_iter().map(|(field, message)| ApiFieldError { field, message }).collect(),
            },
        };
        return retry_later((status, axum::Json(body)).into_response());
    }
    let page = ErrorPage {
        ctx,
        code,
        title: tr.t(&format!("err-title-{}", status.as_u16())),
        message,
        fields: fields.into_iter().map(|(f, m)| field_line(tr, &f, &m)).collect(),
    };
    match page.render() {
        Ok(html) => {
            let mut r = (status, Html(html)).into_response();
            r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            retry_later(r)
        }
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            (status, code).into_response()
        }
    }
}

/// A 503 says when to try again (RFC 9110 `Retry-After`, in seconds): a load balancer or an
/// integration backs off instead of hammering a database that is restarting.
fn retry_later(mut r: Response) -> Response {
    if r.status() == StatusCode::SERVICE_UNAVAILABLE {
        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECONDS));
    }
    r
}

/// How long a 503 asks the client to wait.
pub const RETRY_AFTER_SECONDS: &str = "5";

/// The router's fallback: an unknown path.
pub async fn not_found() -> Error {
    Error::NotFound
}

pub async fn method_not_allowed() -> Error {
    Error::MethodNotAllowed
}

/// The problems of a failed form submission as translated lines for the form's page.
pub fn form_messages(ctx: &Ctx, e: &Error) -> Vec<String> {
    match e {
        Error::Invalid(fields) => fields.iter().map(|f| field_line(&ctx.tr, &f.field, &ctx.t(&f.message))).collect(),
        Error::Conflict(m) | Error::Rule { message: m, .. } => vec![ctx.t(m)],
        other => vec![ctx.t(&format!("err-{}", other.code().code))],
    }
}

/// One problem as a line: "<field's label>: <message>", or the message alone for a problem of
/// the form as a whole ([`FieldError::FORM`]).
fn field_line(tr: &crate::web::i18n::Tr, field: &str, message: &str) -> String {
    if field == FieldError::FORM { message.to_string() } else { format!("{}: {message}", tr.t(&format!("field-{field}"))) }
}

/// A form page re-rendered with its problems, with the status code of the error.
pub fn with_error_status(e: &Error, page: Response) -> Response {
    (status_of(e.code().kind), page).into_response()
}
