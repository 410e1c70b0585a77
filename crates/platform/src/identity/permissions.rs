//! Permissions are strings such as `admin.users`, granted through roles on a subtree of
//! the organisation tree (or the whole municipality). Modules register their own.

use std::marker::PhantomData;

use radhus_kernel::ids::{OrgUnitId, TenantId, UserId};

/// A logged-in staff user of a municipality: who, where in the organisation, and what they
/// may do (the session holds it; `identity::session` re-exports it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub org_unit: Option<OrgUnitId>,
    pub grants: Grants,
    /// `Some(token id)` when this is no person but an integration calling the JSON API with its
    /// token (`identity::integrations`): then `user_id` is the token's id (no `app_user` row),
    /// `name` the integration's name, and the audit log names the integration.
    pub integration: Option<uuid::Uuid>,
}

/// A permission a module offers; `label` is a Fluent message id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PermissionDef {
    pub key: &'static str,
    pub label: &'static str,
}

pub const ADMIN_ORGANISATION: &str = "admin.organisation";
pub const ADMIN_USERS: &str = "admin.users";
pub const ADMIN_ROLES: &str = "admin.roles";
pub const ADMIN_SETTINGS: &str = "admin.settings";
pub const AUDIT_READ: &str = "audit.read";

pub const PLATFORM_PERMISSIONS: &[PermissionDef] = &[
    PermissionDef { key: ADMIN_ORGANISATION, label: "perm-admin-organisation" },
    PermissionDef { key: ADMIN_USERS, label: "perm-admin-users" },
    PermissionDef { key: ADMIN_ROLES, label: "perm-admin-roles" },
    PermissionDef { key: ADMIN_SETTINGS, label: "perm-admin-settings" },
    PermissionDef { key: AUDIT_READ, label: "perm-audit-read" },
];

/// One permission held on a subtree (`scope`) or the whole municipality (`None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub permission: String,
    pub scope: Option<OrgUnitId>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grants(pub Vec<Grant>);

impl Grants {
    pub fn has_anywhere(&self, permission: &str) -> bool {
        self.0.iter().any(|g| g.permission == permission)
    }

    pub fn whole_municipality(&self, permission: &str) -> bool {
        self.0.iter().any(|g| g.permission == permission && g.scope.is_none())
    }

    /// `path` is the unit and its ancestors (from [`crate::identity::org::path_to_root`]).
    pub fn allows(&self, permission: &str, path: &[OrgUnitId]) -> bool {
        self.0.iter().any(|g| g.permission == permission && g.scope.is_none_or(|s| path.contains(&s)))
    }

    /// The subtree roots a permission is held on; `None` means the whole municipality.
    pub fn scopes(&self, permission: &str) -> Option<Vec<OrgUnitId>> {
        if self.whole_municipality(permission) {
            return None;
        }
        Some(self.0.iter().filter(|g| g.permission == permission).filter_map(|g| g.scope).collect())
    }
}

/// Names the permission a handler needs in its signature: `Require<AdminUsers>`.
pub trait Permission {
    const KEY: &'static str;
}

macro_rules! permission_marker {
    ($name:ident, $key:expr) => {
        pub struct $name;
        impl Permission for $name {
            const KEY: &'static str = $key;
        }
    };
}
permission_marker!(AdminOrganisation, ADMIN_ORGANISATION);
permission_marker!(AdminUsers, ADMIN_USERS);
permission_marker!(AdminRoles, ADMIN_ROLES);
permission_marker!(AdminSettings, ADMIN_SETTINGS);
permission_marker!(AuditRead, AUDIT_READ);

/// A logged-in staff user of this host's municipality who holds `P` somewhere.
/// The service checks the scope again for the object at hand.
pub struct Require<P>(pub StaffUser, pub(crate) PhantomData<P>);

impl<P> std::ops::Deref for Require<P> {
    type Target = StaffUser;
    fn deref(&self) -> &StaffUser {
        &self.0
    }
}

/// Any logged-in staff user of this host's municipality.
pub struct Staff(pub StaffUser);

/// A logged-in platform operator on the platform host.
pub struct Operator {
    pub id: radhus_kernel::ids::OperatorId,
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scoped_grants_cover_their_subtree_only() {
        let unit = OrgUnitId::new();
        let child = OrgUnitId::new();
        let other = OrgUnitId::new();
        let g = Grants(vec![Grant { permission: ADMIN_USERS.into(), scope: Some(unit) }]);
        assert!(g.allows(ADMIN_USERS, &[child, unit]));
        assert!(!g.allows(ADMIN_USERS, &[other]));
        assert!(!g.allows(ADMIN_ROLES, &[unit]));
        assert_eq!(g.scopes(ADMIN_USERS), Some(vec![unit]));
        let all = Grants(vec![Grant { permission: ADMIN_USERS.into(), scope: None }]);
        assert!(all.allows(ADMIN_USERS, &[other]));
        assert_eq!(all.scopes(ADMIN_USERS), None);
    }
}
