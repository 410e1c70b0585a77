//! Stable error codes. Each module's error enum maps every variant to one code;
//! the web layer maps the code's kind to an HTTP status and the code to a message.

use serde::Serialize;

/// What kind of failure a code is; the web layer turns this into a status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ErrorKind {
    BadInput,
    Unauthenticated,
    Forbidden,
    NotFound,
    Conflict,
    TooLarge,
    TooManyRequests,
    Internal,
    /// Something the service needs is out of reach for a moment (the database restarting or
    /// its connections used up): worth trying again, unlike [`ErrorKind::Internal`].
    Unavailable,
}

/// A stable, documented error code such as `AUTH-001`. The code is also the
/// Fluent message id (`err-AUTH-001`) of its translated text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ErrorCode {
    pub code: &'static str,
    pub kind: ErrorKind,
}

impl ErrorCode {
    pub const fn new(code: &'static str, kind: ErrorKind) -> Self {
        Self { code, kind }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code)
    }
}

/// One documented error: its stable code, its kind and the Fluent id of its message. Every
/// module lists its errors (`Module::errors`); a test checks that no code is taken twice, that
/// every message exists in Swedish and English, and writes `docs/errors.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ErrorDef {
    pub code: &'static str,
    pub kind: ErrorKind,
    pub message: &'static str,
}

impl ErrorDef {
    pub const fn new(code: &'static str, kind: ErrorKind, message: &'static str) -> Self {
        Self { code, kind, message }
    }
}
