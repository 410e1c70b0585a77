//! Every id is its own newtype over a UUIDv7 so that ids of different things cannot be mixed up.

/// Declares a UUID newtype id with the conversions the stores and handlers need.
#[macro_export]
macro_rules! define_id {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub uuid::Uuid);

        impl $name {
            /// A new time-ordered id (UUIDv7).
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7())
            }
            pub fn parse(s: &str) -> Option<Self> {
                uuid::Uuid::parse_str(s).ok().map(Self)
            }
        }

        /// For rows read from the database: `#[sqlx(try_from = "uuid::Uuid")]` on a field.
        impl From<uuid::Uuid> for $name {
            fn from(u: uuid::Uuid) -> Self {
                Self(u)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

define_id!(
    /// A municipality (kommun): the tenant.
    TenantId
);
define_id!(
    /// A staff user of one municipality.
    UserId
);
define_id!(
    /// A platform operator (above municipalities).
    OperatorId
);
define_id!(
    /// A node of a municipality's organisation tree.
    OrgUnitId
);
define_id!(
    /// A role (a named set of permissions) of one municipality.
    RoleId
);
define_id!(
    /// A message waiting in, or sent from, the outbox.
    OutboxId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_and_print() {
        let id = TenantId::new();
        assert_eq!(TenantId::parse(&id.to_string()), Some(id));
        assert_eq!(TenantId::parse("not-a-uuid"), None);
    }
}
