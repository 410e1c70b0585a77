//! Projects (projekt): a named group of cases that belong together across registries and
//! units, e.g. every case of one detailed development plan (360° "Projekt"). A case is in at
//! most one project. Managers (distribute) and registry administrators create projects; who
//! handles a case puts it into a project. A project's page lists only the cases the viewer
//! may read.

use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::{Db, Scope, Tx, unique_conflict};
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::session::StaffUser;
use radhus_platform::on_tx;
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::domain::{CaseError, ProjectStatus};
use crate::service::{self, ADMIN, DISTRIBUTE, HANDLE, READ, REGISTER};
use crate::store::{self, CaseRow};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Project {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    /// `open` or `closed` (no new cases).
    #[sqlx(try_from = "String")]
    #[schema(value_type = String)]
    pub status: ProjectStatus,
    pub created_by: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String)]
    pub created_at: OffsetDateTime,
    /// Cases in the project (all of them, readable or not).
    pub cases: i64,
}

const SELECT: &str = "SELECT p.id, p.name, p.description, p.status, p.created_by, p.created_at, \
    (SELECT COUNT(*) FROM project_case pc WHERE pc.tenant_id = p.tenant_id AND pc.project_id = p.id) AS cases FROM project p";

pub async fn list(tx: &mut Tx, t: TenantId) -> Result<Vec<Project>> {
    let sql = format!("{SELECT} WHERE p.tenant_id = $1 ORDER BY p.status DESC, p.name");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).fetch_all(c).await?))
}

pub async fn get(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<Project>> {
    let sql = format!("{SELECT} WHERE p.tenant_id = $1 AND p.id = $2");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(id).fetch_optional(c).await?))
}

/// The project a case is in.
pub async fn of_case(tx: &mut Tx, t: TenantId, case: Uuid) -> Result<Option<Project>> {
    let sql = format!(
        "{SELECT} JOIN project_case x ON x.tenant_id = p.tenant_id AND x.project_id = p.id WHERE p.tenant_id = $1 AND x.case_id = $2"
    );
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(case).fetch_optional(c).await?))
}

/// The project's cases that `s` may read (by unit permission, or as their caseworker).
pub async fn readable_cases(tx: &mut Tx, s: &StaffUser, project: Uuid) -> Result<Vec<CaseRow>> {
    let sql = format!(
        "{} JOIN project_case x ON x.tenant_id = c.tenant_id AND x.case_id = c.id WHERE c.tenant_id = $1 AND x.project_id = $2 ORDER BY c.opened_at",
        store::CASE_SELECT
    );
    let rows: Vec<CaseRow> =
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(s.tenant_id.0).bind(project).fetch_all(c).await?);
    let units = service::readable_units(tx, s).await?;
    Ok(rows
        .into_iter()
        .filter(|c| {
            c.caseworker_id == Some(s.user_id.0)
                || match &units {
                    None => true,
                    Some(units) => c.unit_id.is_some_and(|u| units.contains(&u)),
                }
        })
        .collect())
}

/// Creating, closing and reopening projects: managers (distribute) and registry administrators.
pub fn may_manage(s: &StaffUser) -> bool {
    s.grants.has_anywhere(DISTRIBUTE) || s.grants.has_anywhere(ADMIN)
}

/// Seeing the projects: anyone with a permission of case management.
pub fn may_view(s: &StaffUser) -> bool {
    [READ, HANDLE, REGISTER, DISTRIBUTE, ADMIN].iter().any(|p| s.grants.has_anywhere(p))
}

pub async fn create(db: &Db, s: &StaffUser, name: &str, description: &str, now: OffsetDateTime) -> Result<Uuid> {
    if !may_manage(s) {
        return Err(Error::Forbidden);
    }
    let (name, description) = (name.trim(), description.trim());
    let mut errs = vec![];
    if name.is_empty() || name.chars().count() > 200 {
        errs.push(FieldError::new("name", "err-project-name"));
    }
    if description.chars().count() > 2000 {
        errs.push(FieldError::new("description", "err-too-long"));
    }
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let id = Uuid::now_v7();
    unique_conflict(
        on_tx!(&mut tx, c => sqlx::query("INSERT INTO project (tenant_id, id, name, description, status, created_by, created_at) VALUES ($1, $2, $3, $4, 'open', $5, $6)")
            .bind(t.0).bind(id).bind(name).bind(description).bind(&s.name).bind(now).execute(c).await.map(|r| r.rows_affected())),
        "err-project-exists",
    )?;
    audit::record(
        &mut tx,
        Some(t),
        &Actor::staff(s),
        Event::new("project.created", "project", id).with(serde_json::json!({ "name": name })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Closes a project (no new cases go into it) or opens it again.
pub async fn set_status(db: &Db, s: &StaffUser, id: Uuid, open: bool, now: OffsetDateTime) -> Result<()> {
    if !may_manage(s) {
        return Err(Error::Forbidden);
    }
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let status = if open { ProjectStatus::Open } else { ProjectStatus::Closed }.as_str();
    let n = on_tx!(&mut tx, c => sqlx::query("UPDATE project SET status = $3 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).bind(status).execute(c).await?.rows_affected());
    if n == 0 {
        return Err(Error::NotFound);
    }
    audit::record(
        &mut tx,
        Some(t),
        &Actor::staff(s),
        Event::new("project.status_changed", "project", id).with(serde_json::json!({ "status": status })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Puts a case into a project, moves it to another, or (`None`) takes it out.
pub async fn set_case_project(db: &Db, s: &StaffUser, case: Uuid, project: Option<Uuid>, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let c = service::readable_case(&mut tx, s, case).await?;
    if !(service::allowed(&mut tx, s, HANDLE, c.unit_id, c.caseworker_id).await?
        || service::allowed(&mut tx, s, DISTRIBUTE, c.unit_id, None).await?)
    {
        return Err(Error::Forbidden);
    }
    let before = of_case(&mut tx, t, case).await?;
    on_tx!(&mut tx, cn => sqlx::query("DELETE FROM project_case WHERE tenant_id = $1 AND case_id = $2").bind(t.0).bind(case).execute(cn).await?.rows_affected());
    let text = match project {
        Some(p) => {
            let p = get(&mut tx, t, p).await?.ok_or_else(|| Error::invalid("project_id", "err-project-unknown"))?;
            if p.status != ProjectStatus::Open && before.as_ref().map(|b| b.id) != Some(p.id) {
                return Err(CaseError::ProjectClosed.into());
            }
            on_tx!(&mut tx, cn => sqlx::query("INSERT INTO project_case (tenant_id, case_id, project_id, added_by, added_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(t.0).bind(case).bind(p.id).bind(&s.name).bind(now).execute(cn).await?.rows_affected());
            format!("Ingår i projektet {}", p.name)
        }
        None => match &before {
            Some(b) => format!("Borttaget ur projektet {}", b.name),
            None => return Ok(()),
        },
    };
    store::add_event(&mut tx, t, case, &s.name, "project", &text, now).await?;
    audit::record(
        &mut tx,
        Some(t),
        &Actor::staff(s),
        Event::new("case.project_set", "case", case).with(serde_json::json!({ "project": project })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
