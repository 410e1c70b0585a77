//! Where each table lives when one database server is not enough (issue 14 item 8, issue 21
//! item 2): on a Citus cluster a table is distributed by `tenant_id` (the default: a
//! municipality's rows on one shard, every municipality-owned key leading with `tenant_id`),
//! distributed by `citizen_index` (a citizen's read model across municipalities on one shard),
//! a reference table (small, platform-wide, copied to every node) or kept on the coordinator.
//!
//! The lists are the schema's own: the schema test fails on a table that is on none of them
//! and has no `tenant_id`, on a listed table that does not exist, and on `docs/scaling.md`
//! when it no longer shows them.

/// Where a table lives on a Citus cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Distributed by `tenant_id`, co-located with every other such table.
    Tenant,
    /// Distributed by `citizen_index`: one citizen's rows across municipalities on one shard.
    Citizen,
    /// A reference table: copied to every node, joined locally by any shard.
    Reference,
    /// A table of the coordinator only: short-lived platform state read by key.
    Coordinator,
}

impl Placement {
    pub fn label(self) -> &'static str {
        match self {
            Placement::Tenant => "distributed by tenant_id",
            Placement::Citizen => "distributed by citizen_index",
            Placement::Reference => "reference table",
            Placement::Coordinator => "coordinator only",
        }
    }
}

/// Whose rows a listed table holds, which decides its row-level security (checked by
/// `crates/platform/tests/it/rls.rs` on PostgreSQL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// No `tenant_id`: the rows belong to no municipality, so no row-level security.
    Platform,
    /// A `tenant_id` column, but read before any municipality's scope exists (to find the
    /// municipality of a host, a session or a login in flight), so no row-level security: the
    /// code that reads a row checks what it holds.
    TenantColumnWithoutRls,
    /// One municipality's rows: `tenant_id` under row-level security.
    Tenant,
}

/// A table that is not simply distributed by `tenant_id`.
#[derive(Debug, Clone, Copy)]
pub struct Listed {
    pub table: &'static str,
    pub placement: Placement,
    pub rows: Rows,
    pub why: &'static str,
}

const fn listed(table: &'static str, placement: Placement, rows: Rows, why: &'static str) -> Listed {
    Listed { table, placement, rows, why }
}

use Placement::{Citizen, Coordinator, Reference};
use Rows::{Platform, Tenant, TenantColumnWithoutRls};

/// Every table that is not distributed by `tenant_id`, with the reason.
pub const LISTED: &[Listed] = &[
    listed("tenant", Reference, Platform, "the municipalities: every distributed table's tenant_id refers to it"),
    listed(
        "tenant_host",
        Reference,
        TenantColumnWithoutRls,
        "host name → municipality, read on every request before any municipality is known",
    ),
    listed("operator", Reference, Platform, "the platform operators, a handful of rows"),
    listed("platform_settings", Reference, Platform, "one row of platform-wide settings"),
    listed("platform_secret", Reference, Platform, "keys the platform makes for itself (the audit log's pseudonym key)"),
    listed("maturity_catalogue", Reference, Platform, "eBlomlåda's indicator catalogues: one list for the country"),
    listed("maturity_area", Reference, Platform, "eBlomlåda's areas"),
    listed("maturity_indicator", Reference, Platform, "eBlomlåda's indicators"),
    listed("maturity_mapping", Reference, Platform, "eBlomlåda's mapping between catalogue years"),
    listed("es_shared_service", Reference, Platform, "the operator's shared catalogue of e-services (ADR 0022), adopted by municipalities"),
    listed("es_shared_version", Reference, Platform, "the versions of the shared e-services"),
    listed(
        "session",
        Coordinator,
        TenantColumnWithoutRls,
        "sessions by token hash, found by the cookie on every request before the session's municipality is known; operators' sessions have none",
    ),
    listed(
        "oidc_flow",
        Coordinator,
        TenantColumnWithoutRls,
        "an e-ID login in progress, found by its state on the callback, for a few minutes",
    ),
    listed(
        "sso_handoff",
        Coordinator,
        TenantColumnWithoutRls,
        "single sign-on hand-off codes, issued and redeemed by the platform host (ADR 0017)",
    ),
    listed("_sqlx_migrations", Coordinator, Platform, "the migrations that have run"),
    listed(
        "my_settings",
        Citizen,
        Platform,
        "a citizen's notification settings for every municipality at once (ADR 0021), under its own citizen_only policy",
    ),
    listed("my_case", Citizen, Tenant, "Mina ärenden's read model: a citizen's cases across municipalities on one shard"),
    listed("my_case_step", Citizen, Tenant, "the steps of a case in Mina ärenden's read model"),
    listed("my_notice", Citizen, Tenant, "notices to a citizen about their cases"),
    listed("my_case_payment", Citizen, Tenant, "what a citizen has to pay, shown in Mina ärenden"),
    listed("es_broadcast_subscription", Citizen, Tenant, "a citizen's subscription to störningsinformation"),
];

/// Where `table` lives: listed, or distributed by `tenant_id`.
pub fn of(table: &str) -> Placement {
    LISTED.iter().find(|l| l.table == table).map_or(Placement::Tenant, |l| l.placement)
}

/// The tables whose rows belong to no municipality (no `tenant_id` under row-level security).
pub fn not_tenant_owned() -> impl Iterator<Item = &'static str> {
    LISTED.iter().filter(|l| l.rows != Tenant).map(|l| l.table)
}

/// The listed tables whose rows are `rows`.
pub fn with_rows(rows: Rows) -> impl Iterator<Item = &'static Listed> {
    LISTED.iter().filter(move |l| l.rows == rows)
}

/// Municipality-owned tables whose key leads with `citizen_index` instead of `tenant_id`.
pub fn citizen_keyed() -> impl Iterator<Item = &'static str> {
    LISTED.iter().filter(|l| l.rows == Tenant && l.placement == Placement::Citizen).map(|l| l.table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_table_is_listed_once_and_unlisted_ones_are_distributed_by_tenant() {
        let mut names: Vec<&str> = LISTED.iter().map(|l| l.table).collect();
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n, "a table is listed twice");
        assert_eq!(of("case_file"), Placement::Tenant);
        assert_eq!(of("tenant_host"), Placement::Reference);
        assert!(citizen_keyed().all(|t| of(t) == Placement::Citizen));
        assert!(not_tenant_owned().any(|t| t == "my_settings"));
        assert!(!not_tenant_owned().any(|t| t == "my_case"));
    }
}
