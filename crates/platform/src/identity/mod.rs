//! Identity and permissions: staff users, platform operators, citizens, sessions,
//! the organisation tree and roles scoped to its subtrees.

pub mod admin_web;
pub mod citizen;
pub mod login;
pub mod oidc;
pub mod operators;
pub mod org;
pub mod password;
pub mod permissions;
pub mod roles;
pub mod session;
pub mod totp;
pub mod users;
pub mod web;

/// A cheap syntactic check; the real check is that mail arrives.
pub fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && s.len() <= 254
        && !s.chars().any(|c| c.is_whitespace() || c == '<' || c == '>' || c == ',')
}

/// Random bytes as URL-safe base64 (session tokens, CSRF tokens, OIDC state).
pub fn random_token(bytes: usize) -> String {
    use base64::Engine;
    let mut buf = vec![0u8; bytes];
    if getrandom::fill(&mut buf).is_err() {
        // The OS random source failing is not recoverable; refuse to hand out weak tokens.
        std::process::abort();
    }
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// SHA-256 as lower-case hex.
pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(data))
}
