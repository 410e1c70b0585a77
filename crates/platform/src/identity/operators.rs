//! Platform operators (driftorganisation): above municipalities, they create and brand them.

use radhus_kernel::ids::OperatorId;
use time::OffsetDateTime;

use crate::db::Tx;
use crate::error::{Error, Result};
use crate::identity::users::{Credentials, Failures};
use crate::on_tx;

pub async fn credentials_by_email(tx: &mut Tx, email: &str) -> Result<Option<Credentials>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT id, name, password_hash, totp_secret, totp_last_step, TRUE AS active, failed_logins, totp_failures, locked_until, lang \
         FROM operator WHERE email = $1")
        .bind(email.trim().to_lowercase()).fetch_optional(c).await?))
}

pub async fn credentials(tx: &mut Tx, id: OperatorId) -> Result<Credentials> {
    let row: Option<Credentials> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, name, password_hash, totp_secret, totp_last_step, TRUE AS active, failed_logins, totp_failures, locked_until, lang \
         FROM operator WHERE id = $1")
        .bind(id.0).fetch_optional(c).await?);
    row.ok_or(Error::NotFound)
}

/// Sets one failure count and the lock of an operator's account.
pub async fn record_failures(tx: &mut Tx, id: OperatorId, which: Failures, count: i32, locked_until: Option<OffsetDateTime>) -> Result<()> {
    let sql = format!("UPDATE operator SET {} = $2, locked_until = $3 WHERE id = $1", which.column());
    on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.0).bind(count).bind(locked_until).execute(c).await?.rows_affected());
    Ok(())
}

/// Adds one failure to an operator's count in the database and returns the new count (see
/// [`crate::identity::users::add_failure`]).
pub async fn add_failure(tx: &mut Tx, id: OperatorId, which: Failures) -> Result<i32> {
    let col = which.column();
    let sql = format!("UPDATE operator SET {col} = {col} + 1 WHERE id = $1 RETURNING {col}");
    let row: Option<(i32,)> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_optional(c).await?);
    row.map(|(n,)| n).ok_or(Error::NotFound)
}

pub async fn set_totp_step(tx: &mut Tx, id: OperatorId, step: i64) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE operator SET totp_last_step = $2 WHERE id = $1").bind(id.0).bind(step).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn set_totp(tx: &mut Tx, id: OperatorId, secret: Option<&str>, step: Option<i64>) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE operator SET totp_secret = $2, totp_last_step = $3 WHERE id = $1")
        .bind(id.0).bind(secret).bind(step).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn set_password_hash(tx: &mut Tx, id: OperatorId, hash: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE operator SET password_hash = $2, failed_logins = 0, locked_until = NULL WHERE id = $1")
        .bind(id.0).bind(hash).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn create(tx: &mut Tx, email: &str, name: &str, password_hash: &str, now: OffsetDateTime) -> Result<OperatorId> {
    let id = OperatorId::new();
    let res = on_tx!(tx, c => sqlx::query(
        "INSERT INTO operator (id, email, name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id.0).bind(email.trim().to_lowercase()).bind(name.trim()).bind(password_hash).bind(now).execute(c).await.map(|r| r.rows_affected()));
    crate::db::unique_conflict(res, "err-user-exists")?;
    Ok(id)
}

pub async fn count(tx: &mut Tx) -> Result<i64> {
    let (n,): (i64,) = on_tx!(tx, c => sqlx::query_as("SELECT COUNT(*) FROM operator").fetch_one(c).await?);
    Ok(n)
}

pub async fn set_lang(tx: &mut Tx, id: OperatorId, lang: radhus_kernel::Lang) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE operator SET lang = $2 WHERE id = $1").bind(id.0).bind(lang.code()).execute(c).await?.rows_affected());
    Ok(())
}

/// An operator's e-mail address and name (for mail to them from the platform host).
pub async fn contact(tx: &mut Tx, id: OperatorId) -> Result<(String, String)> {
    let row: Option<(String, String)> =
        on_tx!(tx, c => sqlx::query_as("SELECT email, name FROM operator WHERE id = $1").bind(id.0).fetch_optional(c).await?);
    row.ok_or(Error::NotFound)
}
