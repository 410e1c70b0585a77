//! Identity and permissions: staff users, platform operators, citizens, sessions,
//! the organisation tree and roles scoped to its subtrees.

pub mod admin_web;
pub mod citizen;
pub mod integrations;
pub mod landing;
pub mod login;
pub mod oidc;
pub mod operators;
pub mod org;
pub mod password;
pub mod permissions;
pub mod roles;
pub mod session;
pub mod sso;
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

/// A stand-in for something typed that must not be kept (the "e-mail address" of a login to
/// no account is often a password typed in the wrong field): HMAC-SHA-256 under a key the
/// platform makes on first use and keeps in `platform_secret`, so repeated attempts with the
/// same text can be told apart in the audit log without the text being readable there.
pub async fn pseudonym(tx: &mut crate::db::Tx, text: &str) -> crate::error::Result<String> {
    use hmac::{Hmac, Mac};
    const KEY: &str = "audit-pseudonym";
    let fresh = random_token(32);
    crate::on_tx!(tx, c => sqlx::query("INSERT INTO platform_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(KEY).bind(&fresh).execute(c).await?.rows_affected());
    let (key,): (String,) =
        crate::on_tx!(tx, c => sqlx::query_as("SELECT value FROM platform_secret WHERE name = $1").bind(KEY).fetch_one(c).await?);
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key.as_bytes()).map_err(|e| crate::error::Error::Internal(e.to_string()))?;
    mac.update(text.as_bytes());
    Ok(format!("hmac:{}", hex::encode(&mac.finalize().into_bytes()[..12])))
}
