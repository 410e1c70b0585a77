//! The platform's error enum. No HTTP in here: each variant has a stable code whose
//! kind the web layer maps to a status, and whose Fluent id (`err-<code>`) is its message.

use radhus_kernel::error::{ErrorCode, ErrorKind};

/// One problem with one form field: the field name and a Fluent message id.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("internal error: {0}")]
    Internal(String),
    #[error("not found")]
    NotFound,
    #[error("wrong e-mail address or password")]
    LoginFailed,
    #[error("account locked after repeated failures")]
    AccountLocked,
    #[error("too many attempts")]
    RateLimited,
    #[error("wrong one-time code")]
    TotpWrong,
    #[error("not logged in")]
    Unauthenticated,
    #[error("the session has expired")]
    SessionExpired,
    #[error("permission denied")]
    Forbidden,
    #[error("missing or wrong CSRF token")]
    Csrf,
    #[error("unknown municipality host")]
    UnknownHost,
    #[error("request body too large")]
    TooLarge,
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("the e-ID login failed: {0}")]
    EidFailed(String),
    #[error("e-ID login is not configured for this municipality")]
    EidNotConfigured,
    /// A module's own rule was broken: its stable code (e.g. `CASE-002`) and Fluent message id.
    #[error("{code}: {message}")]
    Rule { code: ErrorCode, message: &'static str },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn code(&self) -> ErrorCode {
        use ErrorKind as K;
        let (code, kind) = match self {
            Error::Db(_) | Error::Internal(_) => ("PLT-000", K::Internal),
            Error::NotFound => ("PLT-001", K::NotFound),
            Error::LoginFailed => ("AUTH-001", K::Unauthenticated),
            Error::AccountLocked => ("AUTH-002", K::Forbidden),
            Error::RateLimited => ("AUTH-003", K::TooManyRequests),
            Error::TotpWrong => ("AUTH-004", K::Unauthenticated),
            Error::Unauthenticated => ("AUTH-005", K::Unauthenticated),
            Error::SessionExpired => ("AUTH-006", K::Unauthenticated),
            Error::Forbidden => ("AUTH-007", K::Forbidden),
            Error::EidFailed(_) => ("AUTH-008", K::BadInput),
            Error::EidNotConfigured => ("AUTH-009", K::NotFound),
            Error::Csrf => ("WEB-001", K::Forbidden),
            Error::UnknownHost => ("WEB-002", K::NotFound),
            Error::TooLarge => ("WEB-003", K::TooLarge),
            Error::Invalid(_) => ("WEB-004", K::BadInput),
            Error::Conflict(_) => ("WEB-005", K::Conflict),
            Error::MethodNotAllowed => ("WEB-006", K::BadInput),
            Error::Rule { code, .. } => return *code,
        };
        ErrorCode::new(code, kind)
    }

    /// A module's rule error with its stable code.
    pub fn rule(code: &'static str, kind: ErrorKind, message: &'static str) -> Self {
        Error::Rule { code: ErrorCode::new(code, kind), message }
    }

    pub fn invalid(field: &str, message: &str) -> Self {
        Error::Invalid(vec![FieldError::new(field, message)])
    }

    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Error::Invalid(v) => v,
            _ => &[],
        }
    }
}

impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Self {
        Error::Internal(format!("{e:#}"))
    }
}

/// Every code the platform can return, for the documentation test and the API docs.
pub const ALL_CODES: &[&str] = &[
    "PLT-000", "PLT-001", "AUTH-001", "AUTH-002", "AUTH-003", "AUTH-004", "AUTH-005", "AUTH-006", "AUTH-007", "AUTH-008", "AUTH-009",
    "WEB-001", "WEB-002", "WEB-003", "WEB-004", "WEB-005", "WEB-006",
];
