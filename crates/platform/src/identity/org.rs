//! The organisation tree of a municipality: förvaltning → avdelning → enhet (→ arbetsgrupp).

use radhus_kernel::ids::{OrgUnitId, TenantId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::Tx;
use crate::error::{Error, FieldError, Result};
use crate::on_tx;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    Forvaltning,
    Avdelning,
    Enhet,
    Arbetsgrupp,
}

impl UnitKind {
    pub const ALL: [UnitKind; 4] = [UnitKind::Forvaltning, UnitKind::Avdelning, UnitKind::Enhet, UnitKind::Arbetsgrupp];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Forvaltning => "forvaltning",
            UnitKind::Avdelning => "avdelning",
            UnitKind::Enhet => "enhet",
            UnitKind::Arbetsgrupp => "arbetsgrupp",
        }
    }

    pub fn parse(s: &str) -> Option<UnitKind> {
        UnitKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    fn depth(self) -> u8 {
        match self {
            UnitKind::Forvaltning => 0,
            UnitKind::Avdelning => 1,
            UnitKind::Enhet => 2,
            UnitKind::Arbetsgrupp => 3,
        }
    }

    /// Fluent id of the kind's name.
    pub fn label(self) -> String {
        format!("unit-kind-{}", self.as_str())
    }

    /// A child must be of a lower level than its parent; a förvaltning has no parent.
    pub fn may_be_child_of(self, parent: Option<UnitKind>) -> bool {
        match parent {
            None => self == UnitKind::Forvaltning,
            Some(p) => self.depth() > p.depth(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgUnit {
    #[schema(value_type = String)]
    pub id: OrgUnitId,
    #[schema(value_type = Option<String>)]
    pub parent_id: Option<OrgUnitId>,
    pub kind: UnitKind,
    pub name: String,
    pub code: String,
    /// Depth in the tree, 0 for a förvaltning (for indentation).
    pub depth: usize,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    parent_id: Option<Uuid>,
    kind: String,
    name: String,
    code: String,
}

/// The whole tree in depth-first order (parents before children, siblings by name).
pub async fn tree(tx: &mut Tx, tenant: TenantId) -> Result<Vec<OrgUnit>> {
    let rows: Vec<Row> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, parent_id, kind, name, code FROM org_unit WHERE tenant_id = $1 ORDER BY name")
        .bind(tenant.0).fetch_all(c).await?);
    let mut out = Vec::with_capacity(rows.len());
    fn walk(rows: &[Row], parent: Option<Uuid>, depth: usize, out: &mut Vec<OrgUnit>) {
        for r in rows.iter().filter(|r| r.parent_id == parent) {
            out.push(OrgUnit {
                id: OrgUnitId(r.id),
                parent_id: r.parent_id.map(OrgUnitId),
                kind: UnitKind::parse(&r.kind).unwrap_or(UnitKind::Enhet),
                name: r.name.clone(),
                code: r.code.clone(),
                depth,
            });
            walk(rows, Some(r.id), depth + 1, out);
        }
    }
    walk(&rows, None, 0, &mut out);
    Ok(out)
}

pub async fn get(tx: &mut Tx, tenant: TenantId, id: OrgUnitId) -> Result<OrgUnit> {
    let r: Option<Row> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, parent_id, kind, name, code FROM org_unit WHERE tenant_id = $1 AND id = $2")
        .bind(tenant.0).bind(id.0).fetch_optional(c).await?);
    let r = r.ok_or(Error::NotFound)?;
    Ok(OrgUnit {
        id: OrgUnitId(r.id),
        parent_id: r.parent_id.map(OrgUnitId),
        kind: UnitKind::parse(&r.kind).unwrap_or(UnitKind::Enhet),
        name: r.name,
        code: r.code,
        depth: 0,
    })
}

/// The unit and all its ancestors, nearest first.
pub async fn path_to_root(tx: &mut Tx, tenant: TenantId, id: OrgUnitId) -> Result<Vec<OrgUnitId>> {
    let rows: Vec<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
        "WITH RECURSIVE up(id, parent_id, n) AS ( \
           SELECT id, parent_id, 0 FROM org_unit WHERE tenant_id = $1 AND id = $2 \
           UNION ALL SELECT o.id, o.parent_id, up.n + 1 FROM org_unit o JOIN up ON o.id = up.parent_id WHERE o.tenant_id = $1) \
         SELECT id FROM up ORDER BY n")
        .bind(tenant.0).bind(id.0).fetch_all(c).await?);
    Ok(rows.into_iter().map(|(u,)| OrgUnitId(u)).collect())
}

/// The units under each root, roots included.
pub async fn subtree(tx: &mut Tx, tenant: TenantId, roots: &[OrgUnitId]) -> Result<Vec<OrgUnitId>> {
    let all = tree(tx, tenant).await?;
    let mut out: Vec<OrgUnitId> = roots.to_vec();
    let mut i = 0;
    while i < out.len() {
        let cur = out[i];
        out.extend(all.iter().filter(|u| u.parent_id == Some(cur)).map(|u| u.id));
        i += 1;
    }
    out.sort();
    out.dedup();
    Ok(out)
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct UnitInput {
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub parent_id: String,
}

pub struct ValidUnit {
    pub name: String,
    pub kind: UnitKind,
    pub code: String,
    pub parent: Option<OrgUnitId>,
}

impl UnitInput {
    pub fn validate(&self) -> Result<ValidUnit> {
        let mut errs = vec![];
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 120 {
            errs.push(FieldError::new("name", "err-unit-name"));
        }
        let kind = UnitKind::parse(self.kind.trim());
        if kind.is_none() {
            errs.push(FieldError::new("kind", "err-unit-kind"));
        }
        let parent = match self.parent_id.trim() {
            "" => None,
            s => match OrgUnitId::parse(s) {
                Some(p) => Some(p),
                None => {
                    errs.push(FieldError::new("parent_id", "err-unit-parent"));
                    None
                }
            },
        };
        match (errs.is_empty(), kind) {
            (true, Some(kind)) => Ok(ValidUnit { name, kind, code: self.code.trim().to_string(), parent }),
            _ => Err(Error::Invalid(errs)),
        }
    }
}

pub async fn create(tx: &mut Tx, tenant: TenantId, v: &ValidUnit, now: OffsetDateTime) -> Result<OrgUnitId> {
    let parent_kind = match v.parent {
        Some(p) => Some(get(tx, tenant, p).await.map_err(|_| Error::invalid("parent_id", "err-unit-parent"))?.kind),
        None => None,
    };
    if !v.kind.may_be_child_of(parent_kind) {
        return Err(Error::invalid("kind", "err-unit-level"));
    }
    let id = OrgUnitId::new();
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO org_unit (tenant_id, id, parent_id, kind, name, code, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(tenant.0).bind(id.0).bind(v.parent.map(|p| p.0)).bind(v.kind.as_str()).bind(&v.name).bind(&v.code).bind(now)
        .execute(c).await?.rows_affected());
    Ok(id)
}

pub async fn rename(tx: &mut Tx, tenant: TenantId, id: OrgUnitId, name: &str, code: &str) -> Result<()> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(Error::invalid("name", "err-unit-name"));
    }
    let n = on_tx!(tx, c => sqlx::query("UPDATE org_unit SET name = $3, code = $4 WHERE tenant_id = $1 AND id = $2")
        .bind(tenant.0).bind(id.0).bind(name).bind(code.trim()).execute(c).await?.rows_affected());
    if n == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// Deletes an empty unit: no child units, no users, no role assignments.
pub async fn delete(tx: &mut Tx, tenant: TenantId, id: OrgUnitId) -> Result<()> {
    get(tx, tenant, id).await?;
    let (children, users, grants): (i64, i64, i64) = on_tx!(tx, c => sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM org_unit WHERE tenant_id = $1 AND parent_id = $2), \
                (SELECT COUNT(*) FROM app_user WHERE tenant_id = $1 AND org_unit_id = $2), \
                (SELECT COUNT(*) FROM role_assignment WHERE tenant_id = $1 AND org_unit_id = $2)")
        .bind(tenant.0).bind(id.0).fetch_one(c).await?);
    if children + users + grants > 0 {
        return Err(Error::Conflict("err-unit-not-empty"));
    }
    on_tx!(tx, c => sqlx::query("DELETE FROM org_unit WHERE tenant_id = $1 AND id = $2").bind(tenant.0).bind(id.0).execute(c).await?.rows_affected());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_go_down_the_tree() {
        assert!(UnitKind::Forvaltning.may_be_child_of(None));
        assert!(!UnitKind::Enhet.may_be_child_of(None));
        assert!(UnitKind::Avdelning.may_be_child_of(Some(UnitKind::Forvaltning)));
        assert!(UnitKind::Enhet.may_be_child_of(Some(UnitKind::Forvaltning)));
        assert!(!UnitKind::Forvaltning.may_be_child_of(Some(UnitKind::Avdelning)));
    }
}
