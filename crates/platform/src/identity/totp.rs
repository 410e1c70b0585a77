//! TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s steps, ±1 step of skew).
//! A step, once accepted, is never accepted again (RFC 6238 §5.2).

use time::OffsetDateTime;
use totp_rs::{Builder, Secret, Totp};

use crate::error::{Error, Result};

pub fn new_secret() -> String {
    Secret::generate().to_base32()
}

fn totp(secret_b32: &str, account: &str, issuer: &str) -> Result<Totp> {
    let secret = Secret::try_from_base32(secret_b32).map_err(|_| Error::invalid("secret", "err-totp-secret"))?;
    Builder::new()
        .with_secret(secret)
        .with_account_name(account.to_string())
        .with_issuer(Some(issuer.to_string()))
        .build()
        .map_err(|e| Error::Internal(format!("totp: {e:?}")))
}

/// `otpauth://` URL for authenticator apps.
pub fn otpauth_url(secret_b32: &str, account: &str, issuer: &str) -> Result<String> {
    totp(secret_b32, account, issuer)?.to_url().map_err(|e| Error::Internal(format!("totp url: {e:?}")))
}

/// Returns the accepted step when the code is right and newer than `last_step`.
pub fn check(secret_b32: &str, code: &str, now: OffsetDateTime, last_step: Option<i64>) -> Option<i64> {
    let t = totp(secret_b32, "x", "Rådhus").ok()?;
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let secs = u64::try_from(now.unix_timestamp()).ok()?;
    let step = i64::try_from(t.check(&code, secs)?).ok()?;
    match last_step {
        Some(last) if step <= last => None,
        _ => Some(step),
    }
}

/// The current code (tests and the demo's documentation).
pub fn current_code(secret_b32: &str, now: OffsetDateTime) -> Result<String> {
    let t = totp(secret_b32, "x", "Rådhus")?;
    let secs = u64::try_from(now.unix_timestamp()).map_err(|_| Error::Internal("time".into()))?;
    Ok(t.generate(secs).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn codes_check_once() {
        let s = new_secret();
        let now = datetime!(2026-11-23 10:00 UTC);
        let code = current_code(&s, now).expect("code");
        let step = check(&s, &code, now, None).expect("accepted");
        assert_eq!(check(&s, &code, now, Some(step)), None, "replay refused");
        assert_eq!(check(&s, "000000x", now, None), None);
        assert!(otpauth_url(&s, "anna@kil.se", "Rådhus Kil").expect("url").starts_with("otpauth://totp/"));
    }
}
