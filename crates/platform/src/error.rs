//! The platform's error enum. No HTTP in here: each variant has a stable code whose
//! kind the web layer maps to a status, and whose Fluent id (`err-<code>`) is its message.

use radhus_kernel::error::{ErrorCode, ErrorDef, ErrorKind};

/// One problem with one form field: the field name and a Fluent message id.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    /// The field name of a problem with the form as a whole rather than with one field (two
    /// passwords that differ, a code that is not right): the form shows the message alone.
    pub const FORM: &'static str = "";

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
    /// A single sign-on hand-off code that is unknown, used, expired or made for another host.
    #[error("the single sign-on hand-off is not valid: {0}")]
    SsoHandoff(&'static str),
    /// A return address (`next`, or the host to return to) that is not a page of this site.
    #[error("the return address is not local")]
    UnsafeReturn,
    /// An `Authorization` header that is not `Bearer rh_…`, or a token no integration holds.
    #[error("the integration token is malformed or unknown")]
    TokenInvalid,
    #[error("the integration token has been revoked")]
    TokenRevoked,
    #[error("the integration token has expired")]
    TokenExpired,
    /// A token of one municipality presented on another municipality's host.
    #[error("the integration token belongs to another municipality")]
    TokenOtherMunicipality,
    /// The token has used up this minute's requests.
    #[error("too many requests with this integration token")]
    TokenRateLimited,
    /// A module's own rule was broken: its stable code (e.g. `CASE-002`) and Fluent message id.
    #[error("{code}: {message}")]
    Rule { code: ErrorCode, message: &'static str },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Whether a database error means the database is out of reach for a moment rather than a
/// fault of ours: no connection could be had in time or the pool is shut, the connection broke,
/// or PostgreSQL says it is starting, shutting down or was restarted (SQLSTATE class 08,
/// connection exception; 57P01–57P03, operator intervention). Such a request answers 503
/// (`PLT-002`) and may be retried.
pub fn out_of_reach(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => true,
        sqlx::Error::Database(d) => d.code().is_some_and(|c| c.starts_with("08") || matches!(c.as_ref(), "57P01" | "57P02" | "57P03")),
        _ => false,
    }
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        use ErrorKind as K;
        let (code, kind) = match self {
            Error::Db(e) if out_of_reach(e) => ("PLT-002", K::Unavailable),
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
            Error::SsoHandoff(_) => ("AUTH-010", K::BadInput),
            Error::UnsafeReturn => ("AUTH-011", K::BadInput),
            Error::TokenInvalid => ("AUTH-012", K::Unauthenticated),
            Error::TokenRevoked => ("AUTH-013", K::Unauthenticated),
            Error::TokenExpired => ("AUTH-014", K::Unauthenticated),
            Error::TokenOtherMunicipality => ("AUTH-015", K::Forbidden),
            Error::TokenRateLimited => ("AUTH-016", K::TooManyRequests),
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

    /// Invalid input (`WEB-004`) that is a problem of the form as a whole ([`FieldError::FORM`]).
    pub fn invalid_form(message: &str) -> Self {
        Error::invalid(FieldError::FORM, message)
    }

    /// The one rule for forms: an error the person filling in the form can act on (a field
    /// is wrong, a rule of the module is broken, something conflicts) re-renders the form with
    /// its message; so do the login failures (a wrong password or code, a locked account, too
    /// many attempts), which answer what was typed into the login form. Anything else (not
    /// found, forbidden, not logged in, a failure of ours) is the error page.
    pub fn is_form_error(&self) -> bool {
        use ErrorKind as K;
        match self {
            Error::Invalid(_) | Error::Conflict(_) => true,
            Error::LoginFailed | Error::AccountLocked | Error::RateLimited | Error::TotpWrong => true,
            Error::Rule { code, .. } => matches!(code.kind, K::BadInput | K::Conflict | K::TooLarge),
            _ => false,
        }
    }

    /// Turns a library's error into an internal one named by what was being done:
    /// `.map_err(Error::internal("xlsx"))` gives `Internal("xlsx: <the library's message>")`.
    pub fn internal<E: std::fmt::Display>(what: &'static str) -> impl Fn(E) -> Error {
        move |e| Error::Internal(format!("{what}: {e}"))
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
    "PLT-000", "PLT-001", "PLT-002", "PLT-010", "PLT-011", "PLT-012", "AUTH-001", "AUTH-002", "AUTH-003", "AUTH-004", "AUTH-005",
    "AUTH-006", "AUTH-007", "AUTH-008", "AUTH-009", "AUTH-010", "AUTH-011", "AUTH-012", "AUTH-013", "AUTH-014", "AUTH-015", "AUTH-016",
    "WEB-001", "WEB-002", "WEB-003", "WEB-004", "WEB-005", "WEB-006",
];

/// The platform's errors as documented (`docs/errors.md`): each of [`ALL_CODES`] with the kind
/// [`Error::code`] gives it and its message `err-<code>`.
pub const DEFINITIONS: &[ErrorDef] = {
    use ErrorKind as K;
    &[
        ErrorDef::new("PLT-000", K::Internal, "err-PLT-000"),
        ErrorDef::new("PLT-001", K::NotFound, "err-PLT-001"),
        // The database out of reach for a moment (`out_of_reach`): 503 with Retry-After.
        ErrorDef::new("PLT-002", K::Unavailable, "err-PLT-002"),
        // Protected personal identity numbers (`pii`): no key, unknown key id, bad key or value.
        ErrorDef::new("PLT-010", K::Internal, "err-PLT-010"),
        ErrorDef::new("PLT-011", K::Internal, "err-PLT-011"),
        ErrorDef::new("PLT-012", K::Internal, "err-PLT-012"),
        ErrorDef::new("AUTH-001", K::Unauthenticated, "err-AUTH-001"),
        ErrorDef::new("AUTH-002", K::Forbidden, "err-AUTH-002"),
        ErrorDef::new("AUTH-003", K::TooManyRequests, "err-AUTH-003"),
        ErrorDef::new("AUTH-004", K::Unauthenticated, "err-AUTH-004"),
        ErrorDef::new("AUTH-005", K::Unauthenticated, "err-AUTH-005"),
        ErrorDef::new("AUTH-006", K::Unauthenticated, "err-AUTH-006"),
        ErrorDef::new("AUTH-007", K::Forbidden, "err-AUTH-007"),
        ErrorDef::new("AUTH-008", K::BadInput, "err-AUTH-008"),
        ErrorDef::new("AUTH-009", K::NotFound, "err-AUTH-009"),
        ErrorDef::new("AUTH-010", K::BadInput, "err-AUTH-010"),
        ErrorDef::new("AUTH-011", K::BadInput, "err-AUTH-011"),
        // Integration tokens on the JSON API (`identity::integrations`).
        ErrorDef::new("AUTH-012", K::Unauthenticated, "err-AUTH-012"),
        ErrorDef::new("AUTH-013", K::Unauthenticated, "err-AUTH-013"),
        ErrorDef::new("AUTH-014", K::Unauthenticated, "err-AUTH-014"),
        ErrorDef::new("AUTH-015", K::Forbidden, "err-AUTH-015"),
        ErrorDef::new("AUTH-016", K::TooManyRequests, "err-AUTH-016"),
        ErrorDef::new("WEB-001", K::Forbidden, "err-WEB-001"),
        ErrorDef::new("WEB-002", K::NotFound, "err-WEB-002"),
        ErrorDef::new("WEB-003", K::TooLarge, "err-WEB-003"),
        ErrorDef::new("WEB-004", K::BadInput, "err-WEB-004"),
        ErrorDef::new("WEB-005", K::Conflict, "err-WEB-005"),
        ErrorDef::new("WEB-006", K::BadInput, "err-WEB-006"),
    ]
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_definitions_are_the_codes_errors_give() {
        let codes: Vec<&str> = DEFINITIONS.iter().map(|d| d.code).collect();
        assert_eq!(codes, ALL_CODES);
        let samples = [
            Error::Internal(String::new()),
            Error::NotFound,
            Error::LoginFailed,
            Error::AccountLocked,
            Error::RateLimited,
            Error::TotpWrong,
            Error::Unauthenticated,
            Error::SessionExpired,
            Error::Forbidden,
            Error::EidFailed(String::new()),
            Error::EidNotConfigured,
            Error::SsoHandoff(""),
            Error::UnsafeReturn,
            Error::TokenInvalid,
            Error::TokenRevoked,
            Error::TokenExpired,
            Error::TokenOtherMunicipality,
            Error::TokenRateLimited,
            Error::Csrf,
            Error::UnknownHost,
            Error::TooLarge,
            Error::Invalid(vec![]),
            Error::Conflict("x"),
            Error::MethodNotAllowed,
        ];
        for e in samples {
            let c = e.code();
            let d = DEFINITIONS.iter().find(|d| d.code == c.code).expect("defined");
            assert_eq!(d.kind, c.kind, "{}", c.code);
        }
    }

    #[test]
    fn form_errors_are_the_ones_a_person_can_act_on() {
        assert!(Error::invalid("x", "y").is_form_error());
        assert!(Error::Conflict("x").is_form_error());
        assert!(Error::rule("X-001", ErrorKind::BadInput, "m").is_form_error());
        assert!(Error::rule("X-002", ErrorKind::Conflict, "m").is_form_error());
        assert!(!Error::rule("X-003", ErrorKind::Forbidden, "m").is_form_error());
        assert!(!Error::rule("X-004", ErrorKind::NotFound, "m").is_form_error());
        assert!(!Error::NotFound.is_form_error() && !Error::Forbidden.is_form_error() && !Error::Internal(String::new()).is_form_error());
        // The login form's own answers; an expired session or a bad hand-off is not one.
        assert!(Error::LoginFailed.is_form_error() && Error::AccountLocked.is_form_error());
        assert!(Error::RateLimited.is_form_error() && Error::TotpWrong.is_form_error());
        assert!(!Error::SessionExpired.is_form_error() && !Error::UnsafeReturn.is_form_error() && !Error::Csrf.is_form_error());
    }
}
