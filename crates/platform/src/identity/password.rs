//! Argon2id password hashing (OWASP's first choice), run off the async threads.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::error::{Error, FieldError, Result};

/// Minimum length for new passwords (NIST SP 800-63B: length over composition rules).
pub const MIN_LENGTH: usize = 12;

pub async fn hash(password: &str) -> Result<String> {
    let pw = password.as_bytes().to_vec();
    tokio::task::spawn_blocking(move || {
        Argon2::default().hash_password(&pw).map(|h| h.to_string()).map_err(|e| Error::Internal(format!("argon2: {e}")))
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))?
}

/// Verifies in constant time with respect to the stored hash's parameters.
pub async fn verify(password: &str, stored: &str) -> bool {
    let pw = password.as_bytes().to_vec();
    let stored = stored.to_string();
    tokio::task::spawn_blocking(move || Argon2::default().verify_password(&pw, stored.as_str()).is_ok()).await.unwrap_or(false)
}

/// Spends the time of one verification when the account does not exist, so that the
/// response time does not tell which e-mail addresses have accounts.
pub async fn waste_verification_time(password: &str) {
    let _ = hash(password).await;
}

/// Checks a new password and its repetition.
pub fn check_new(field: &str, password: &str, repeat: &str) -> Result<()> {
    if password.chars().count() < MIN_LENGTH {
        return Err(Error::Invalid(vec![FieldError::new(field, "err-password-short")]));
    }
    if password != repeat {
        return Err(Error::Invalid(vec![FieldError::new(field, "err-password-mismatch")]));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_are_argon2id() {
        let h = hash("correct horse battery").await.expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &h).await);
        assert!(!verify("wrong", &h).await);
        assert!(!verify("x", "not a hash").await);
    }

    #[test]
    fn new_passwords_are_checked() {
        assert!(check_new("p", "short", "short").is_err());
        assert!(check_new("p", "long enough pw", "long enough px").is_err());
        assert!(check_new("p", "long enough pw", "long enough pw").is_ok());
    }
}
