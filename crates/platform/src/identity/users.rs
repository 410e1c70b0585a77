//! Staff users of a municipality.

use radhus_kernel::Lang;
use radhus_kernel::ids::{OrgUnitId, TenantId, UserId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::Tx;
use crate::error::{Error, FieldError, Result};
use crate::identity::looks_like_email;
use crate::identity::session::StaffUser;
use crate::on_tx;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct UserSummary {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub org_unit_id: Option<Uuid>,
    pub org_unit_name: Option<String>,
    pub active: bool,
    pub totp_enabled: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>)]
    pub locked_until: Option<OffsetDateTime>,
}

const SUMMARY_COLS: &str = "u.id, u.email, u.name, u.org_unit_id, o.name AS org_unit_name, u.active, \
    (u.totp_secret IS NOT NULL) AS totp_enabled, u.locked_until";

/// Users, optionally only those in the given units; one page, by name, and the total.
pub async fn list(tx: &mut Tx, tenant: TenantId, units: Option<&[OrgUnitId]>, limit: i64, offset: i64) -> Result<(Vec<UserSummary>, i64)> {
    // The unit filter becomes `IN ($2, $3, …)`; an empty scope matches nobody.
    let unit_ids: Vec<Uuid> = units.unwrap_or_default().iter().map(|u| u.0).collect();
    let filter = match units {
        None => String::new(),
        Some([]) => " AND 1 = 0".to_string(),
        Some(_) => {
            let params: Vec<String> = (0..unit_ids.len()).map(|i| format!("${}", i + 2)).collect();
            format!(" AND u.org_unit_id IN ({})", params.join(", "))
        }
    };
    let n = unit_ids.len();
    let from = "FROM app_user u LEFT JOIN org_unit o ON o.tenant_id = u.tenant_id AND o.id = u.org_unit_id WHERE u.tenant_id = $1";
    let page_sql = format!("SELECT {SUMMARY_COLS} {from}{filter} ORDER BY u.name, u.email LIMIT ${} OFFSET ${}", n + 2, n + 3);
    let count_sql = format!("SELECT COUNT(*) {from}{filter}");
    let page: Vec<UserSummary> = on_tx!(tx, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(page_sql)).bind(tenant.0);
        for u in &unit_ids {
            q = q.bind(*u);
        }
        q.bind(limit).bind(offset).fetch_all(c).await?
    });
    let (total,): (i64,) = on_tx!(tx, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(count_sql)).bind(tenant.0);
        for u in &unit_ids {
            q = q.bind(*u);
        }
        q.fetch_one(c).await?
    });
    Ok((page, total))
}

pub async fn summary(tx: &mut Tx, tenant: TenantId, id: UserId) -> Result<UserSummary> {
    let sql = format!(
        "SELECT {SUMMARY_COLS} FROM app_user u LEFT JOIN org_unit o ON o.tenant_id = u.tenant_id AND o.id = u.org_unit_id \
         WHERE u.tenant_id = $1 AND u.id = $2"
    );
    let row: Option<UserSummary> =
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tenant.0).bind(id.0).fetch_optional(c).await?);
    row.ok_or(Error::NotFound)
}

/// The user with their permissions, for the request context. Inactive users get nothing.
pub async fn staff_user(tx: &mut Tx, tenant: TenantId, id: UserId) -> Result<Option<StaffUser>> {
    let row: Option<(String, String, Option<Uuid>, bool)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT name, email, org_unit_id, active FROM app_user WHERE tenant_id = $1 AND id = $2")
        .bind(tenant.0).bind(id.0).fetch_optional(c).await?);
    let Some((name, email, org_unit, true)) = row else { return Ok(None) };
    let grants = crate::identity::roles::grants(tx, tenant, id).await?;
    Ok(Some(StaffUser { tenant_id: tenant, user_id: id, name, email, org_unit: org_unit.map(OrgUnitId), grants, integration: None }))
}

/// What the login needs to know about an account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Credentials {
    pub id: Uuid,
    pub name: String,
    pub password_hash: String,
    pub totp_secret: Option<String>,
    pub totp_last_step: Option<i64>,
    pub active: bool,
    pub failed_logins: i32,
    /// Wrong TOTP codes since the last right one; a right password does not reset it.
    pub totp_failures: i32,
    pub locked_until: Option<OffsetDateTime>,
    /// The language the account's mail goes out in: the one it last logged in with.
    pub lang: String,
}

impl Credentials {
    pub fn lang(&self) -> Lang {
        Lang::parse(&self.lang).unwrap_or_default()
    }
}

pub async fn credentials_by_email(tx: &mut Tx, tenant: TenantId, email: &str) -> Result<Option<Credentials>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT id, name, password_hash, totp_secret, totp_last_step, active, failed_logins, totp_failures, locked_until, lang \
         FROM app_user WHERE tenant_id = $1 AND email = $2")
        .bind(tenant.0).bind(email.trim().to_lowercase()).fetch_optional(c).await?))
}

pub async fn credentials(tx: &mut Tx, tenant: TenantId, id: UserId) -> Result<Credentials> {
    let row: Option<Credentials> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, name, password_hash, totp_secret, totp_last_step, active, failed_logins, totp_failures, locked_until, lang \
         FROM app_user WHERE tenant_id = $1 AND id = $2")
        .bind(tenant.0).bind(id.0).fetch_optional(c).await?);
    row.ok_or(Error::NotFound)
}

/// Which failures a login counts: wrong passwords or wrong TOTP codes, kept apart so that a
/// right password does not reset the count of wrong codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failures {
    Passwords,
    TotpCodes,
}

impl Failures {
    pub(crate) fn column(self) -> &'static str {
        match self {
            Failures::Passwords => "failed_logins",
            Failures::TotpCodes => "totp_failures",
        }
    }
}

/// Sets one failure count and the lock of a user's account.
pub async fn record_failures(
    tx: &mut Tx,
    tenant: TenantId,
    id: UserId,
    which: Failures,
    count: i32,
    locked_until: Option<OffsetDateTime>,
) -> Result<()> {
    let sql = format!("UPDATE app_user SET {} = $3, locked_until = $4 WHERE tenant_id = $1 AND id = $2", which.column());
    on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant.0).bind(id.0).bind(count).bind(locked_until).execute(c).await?.rows_affected());
    Ok(())
}

/// Adds one failure to a user's count in the database and returns the new count. The count
/// is raised in the statement, not read earlier and written back: concurrent failed logins
/// each count (the row lock orders them), so the lockout cannot be outrun.
pub async fn add_failure(tx: &mut Tx, tenant: TenantId, id: UserId, which: Failures) -> Result<i32> {
    let col = which.column();
    let sql = format!("UPDATE app_user SET {col} = {col} + 1 WHERE tenant_id = $1 AND id = $2 RETURNING {col}");
    let row: Option<(i32,)> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tenant.0).bind(id.0).fetch_optional(c).await?);
    row.map(|(n,)| n).ok_or(Error::NotFound)
}

pub async fn record_login_result(
    tx: &mut Tx,
    tenant: TenantId,
    id: UserId,
    failed_logins: i32,
    locked_until: Option<OffsetDateTime>,
) -> Result<()> {
    record_failures(tx, tenant, id, Failures::Passwords, failed_logins, locked_until).await
}

pub async fn set_totp_step(tx: &mut Tx, tenant: TenantId, id: UserId, step: i64) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE app_user SET totp_last_step = $3 WHERE tenant_id = $1 AND id = $2")
        .bind(tenant.0).bind(id.0).bind(step).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn set_totp(tx: &mut Tx, tenant: TenantId, id: UserId, secret: Option<&str>, step: Option<i64>) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE app_user SET totp_secret = $3, totp_last_step = $4 WHERE tenant_id = $1 AND id = $2")
        .bind(tenant.0).bind(id.0).bind(secret).bind(step).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn set_password_hash(tx: &mut Tx, tenant: TenantId, id: UserId, hash: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE app_user SET password_hash = $3, failed_logins = 0, locked_until = NULL WHERE tenant_id = $1 AND id = $2")
        .bind(tenant.0).bind(id.0).bind(hash).execute(c).await?.rows_affected());
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserInput {
    pub email: String,
    pub name: String,
    #[serde(default)]
    pub org_unit_id: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_repeat: String,
    #[serde(default)]
    pub active: Option<String>,
}

pub struct ValidUser {
    pub email: String,
    pub name: String,
    pub org_unit: Option<OrgUnitId>,
    pub active: bool,
}

impl UserInput {
    pub fn validate(&self) -> Result<ValidUser> {
        let mut errs = vec![];
        let email = self.email.trim().to_lowercase();
        if !looks_like_email(&email) {
            errs.push(FieldError::new("email", "err-email"));
        }
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 120 {
            errs.push(FieldError::new("name", "err-user-name"));
        }
        let org_unit = match self.org_unit_id.trim() {
            "" => None,
            s => match OrgUnitId::parse(s) {
                Some(u) => Some(u),
                None => {
                    errs.push(FieldError::new("org_unit_id", "err-unit-parent"));
                    None
                }
            },
        };
        if !errs.is_empty() {
            return Err(Error::Invalid(errs));
        }
        Ok(ValidUser { email, name, org_unit, active: self.active.is_some() })
    }
}

pub async fn create(tx: &mut Tx, tenant: TenantId, v: &ValidUser, password_hash: &str, now: OffsetDateTime) -> Result<UserId> {
    if let Some(u) = v.org_unit {
        crate::identity::org::get(tx, tenant, u).await.map_err(|_| Error::invalid("org_unit_id", "err-unit-parent"))?;
    }
    let id = UserId::new();
    let res = on_tx!(tx, c => sqlx::query(
        "INSERT INTO app_user (tenant_id, id, email, name, password_hash, org_unit_id, active, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(tenant.0).bind(id.0).bind(&v.email).bind(&v.name).bind(password_hash).bind(v.org_unit.map(|u| u.0)).bind(true).bind(now)
        .execute(c).await.map(|r| r.rows_affected()));
    crate::db::unique_conflict(res, "err-user-exists")?;
    Ok(id)
}

pub async fn update(tx: &mut Tx, tenant: TenantId, id: UserId, v: &ValidUser) -> Result<()> {
    if let Some(u) = v.org_unit {
        crate::identity::org::get(tx, tenant, u).await.map_err(|_| Error::invalid("org_unit_id", "err-unit-parent"))?;
    }
    let res = on_tx!(tx, c => sqlx::query(
        "UPDATE app_user SET email = $3, name = $4, org_unit_id = $5, active = $6 WHERE tenant_id = $1 AND id = $2")
        .bind(tenant.0).bind(id.0).bind(&v.email).bind(&v.name).bind(v.org_unit.map(|u| u.0)).bind(v.active).execute(c).await.map(|r| r.rows_affected()));
    match res {
        Err(e) if crate::db::is_unique_violation(&e) => Err(Error::Conflict("err-user-exists")),
        Err(e) => Err(e.into()),
        Ok(0) => Err(Error::NotFound),
        Ok(_) => Ok(()),
    }
}

/// The language a staff user's mail goes out in (Swedish until they have logged in in
/// another).
pub async fn lang(tx: &mut Tx, tenant: TenantId, id: UserId) -> Result<Lang> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as("SELECT lang FROM app_user WHERE tenant_id = $1 AND id = $2")
        .bind(tenant.0).bind(id.0).fetch_optional(c).await?);
    Ok(row.and_then(|(l,)| Lang::parse(&l)).unwrap_or_default())
}

pub async fn set_lang(tx: &mut Tx, tenant: TenantId, id: UserId, lang: Lang) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE app_user SET lang = $3 WHERE tenant_id = $1 AND id = $2")
        .bind(tenant.0).bind(id.0).bind(lang.code()).execute(c).await?.rows_affected());
    Ok(())
}
