//! Roles: named sets of permissions, assigned to users on a subtree of the organisation.

use radhus_kernel::ids::{OrgUnitId, RoleId, TenantId, UserId};
use serde::Serialize;
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::Tx;
use crate::error::{Error, FieldError, Result};
use crate::identity::permissions::{Grant, Grants, PermissionDef};
use crate::on_tx;

#[derive(Debug, Clone, Serialize)]
pub struct Role {
    pub id: RoleId,
    pub name: String,
    pub description: String,
    pub permissions: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct RoleRow {
    id: Uuid,
    name: String,
    description: String,
    permissions: Json<Vec<String>>,
}

impl From<RoleRow> for Role {
    fn from(r: RoleRow) -> Self {
        Role { id: RoleId(r.id), name: r.name, description: r.description, permissions: r.permissions.0 }
    }
}

pub async fn list(tx: &mut Tx, tenant: TenantId) -> Result<Vec<Role>> {
    let rows: Vec<RoleRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, name, description, permissions FROM role WHERE tenant_id = $1 ORDER BY name")
        .bind(tenant.0).fetch_all(c).await?);
    Ok(rows.into_iter().map(Role::from).collect())
}

pub async fn get(tx: &mut Tx, tenant: TenantId, id: RoleId) -> Result<Role> {
    let row: Option<RoleRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, name, description, permissions FROM role WHERE tenant_id = $1 AND id = $2")
        .bind(tenant.0).bind(id.0).fetch_optional(c).await?);
    row.map(Role::from).ok_or(Error::NotFound)
}

/// Checks a role's name and that every permission is one a module registered.
pub fn validate(name: &str, permissions: &[String], known: &[PermissionDef]) -> Result<(String, Vec<String>)> {
    let mut errs = vec![];
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > 80 {
        errs.push(FieldError::new("name", "err-role-name"));
    }
    let mut perms: Vec<String> = permissions.iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect();
    perms.sort();
    perms.dedup();
    if perms.iter().any(|p| !known.iter().any(|k| k.key == p)) {
        errs.push(FieldError::new("permissions", "err-permission-unknown"));
    }
    if errs.is_empty() { Ok((name, perms)) } else { Err(Error::Invalid(errs)) }
}

pub async fn create(tx: &mut Tx, tenant: TenantId, name: &str, description: &str, perms: &[String], now: OffsetDateTime) -> Result<RoleId> {
    let id = RoleId::new();
    let res = on_tx!(tx, c => sqlx::query(
        "INSERT INTO role (tenant_id, id, name, description, permissions, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(tenant.0).bind(id.0).bind(name).bind(description.trim()).bind(Json(perms)).bind(now).execute(c).await.map(|r| r.rows_affected()));
    crate::db::unique_conflict(res, "err-role-exists")?;
    Ok(id)
}

pub async fn update(tx: &mut Tx, tenant: TenantId, id: RoleId, name: &str, description: &str, perms: &[String]) -> Result<()> {
    let res = on_tx!(tx, c => sqlx::query(
        "UPDATE role SET name = $3, description = $4, permissions = $5 WHERE tenant_id = $1 AND id = $2")
        .bind(tenant.0).bind(id.0).bind(name).bind(description.trim()).bind(Json(perms)).execute(c).await.map(|r| r.rows_affected()));
    match res {
        Err(e) if crate::db::is_unique_violation(&e) => Err(Error::Conflict("err-role-exists")),
        Err(e) => Err(e.into()),
        Ok(0) => Err(Error::NotFound),
        Ok(_) => Ok(()),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Assignment {
    pub id: Uuid,
    pub role_id: RoleId,
    pub role_name: String,
    pub org_unit_id: Option<OrgUnitId>,
    pub org_unit_name: Option<String>,
}

#[derive(sqlx::FromRow)]
struct AssignmentRow {
    id: Uuid,
    role_id: Uuid,
    role_name: String,
    org_unit_id: Option<Uuid>,
    org_unit_name: Option<String>,
}

pub async fn assignments(tx: &mut Tx, tenant: TenantId, user: UserId) -> Result<Vec<Assignment>> {
    let rows: Vec<AssignmentRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT a.id, a.role_id, r.name AS role_name, a.org_unit_id, o.name AS org_unit_name \
         FROM role_assignment a JOIN role r ON r.tenant_id = a.tenant_id AND r.id = a.role_id \
         LEFT JOIN org_unit o ON o.tenant_id = a.tenant_id AND o.id = a.org_unit_id \
         WHERE a.tenant_id = $1 AND a.user_id = $2 ORDER BY r.name")
        .bind(tenant.0).bind(user.0).fetch_all(c).await?);
    Ok(rows
        .into_iter()
        .map(|r| Assignment {
            id: r.id,
            role_id: RoleId(r.role_id),
            role_name: r.role_name,
            org_unit_id: r.org_unit_id.map(OrgUnitId),
            org_unit_name: r.org_unit_name,
        })
        .collect())
}

/// Every permission a user holds, with its scope (one query).
pub async fn grants(tx: &mut Tx, tenant: TenantId, user: UserId) -> Result<Grants> {
    let rows: Vec<(Json<Vec<String>>, Option<Uuid>)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT r.permissions, a.org_unit_id FROM role_assignment a \
         JOIN role r ON r.tenant_id = a.tenant_id AND r.id = a.role_id \
         WHERE a.tenant_id = $1 AND a.user_id = $2")
        .bind(tenant.0).bind(user.0).fetch_all(c).await?);
    Ok(Grants(
        rows.into_iter()
            .flat_map(|(perms, scope)| perms.0.into_iter().map(move |p| Grant { permission: p, scope: scope.map(OrgUnitId) }))
            .collect(),
    ))
}

pub async fn assign(
    tx: &mut Tx,
    tenant: TenantId,
    user: UserId,
    role: RoleId,
    scope: Option<OrgUnitId>,
    now: OffsetDateTime,
) -> Result<Uuid> {
    get(tx, tenant, role).await.map_err(|_| Error::invalid("role_id", "err-role-unknown"))?;
    if let Some(s) = scope {
        crate::identity::org::get(tx, tenant, s).await.map_err(|_| Error::invalid("org_unit_id", "err-unit-parent"))?;
    }
    let id = Uuid::now_v7();
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO role_assignment (tenant_id, id, user_id, role_id, org_unit_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(tenant.0).bind(id).bind(user.0).bind(role.0).bind(scope.map(|s| s.0)).bind(now).execute(c).await?.rows_affected());
    Ok(id)
}

pub async fn unassign(tx: &mut Tx, tenant: TenantId, user: UserId, assignment: Uuid) -> Result<()> {
    let n = on_tx!(tx, c => sqlx::query("DELETE FROM role_assignment WHERE tenant_id = $1 AND user_id = $2 AND id = $3")
        .bind(tenant.0).bind(user.0).bind(assignment).execute(c).await?.rows_affected());
    if n == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}
