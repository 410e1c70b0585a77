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

/// A table that is not simply distributed by `tenant_id`.
#[derive(Debug, Clone, Copy)]
pub struct Listed {
    pub table: &'static str,
    pub placement: Placement,
    /// Its rows belong to one municipality (a `tenant_id` under row-level security).
    pub tenant_rows: bool,
    pub why: &'static str,
}

const fn listed(table: &'static str, placement: Placement, tenant_rows: bool, why: &'static str) -> Listed {
    Listed { table, placement, tenant_rows, why }
}

use Placement::{Citizen, Coordinator, Reference};

/// Every table that is not distributed by `tenant_id`, with the reason.
pub const LISTED: &[Listed] = &[
    listed("tenant", Reference, false, "the municipalities: every distributed table's tenant_id refers to it"),
    listed("tenant_host", Reference, false, "host name → municipality, read on every request before any municipality is known"),
    listed("operator", Reference, false, "the platform operators, a handful of rows"),
    listed("platform_settings", Reference, false, "one row of platform-wide settings"),
    listed("platform_secret", Reference, false, "keys the platform makes for itself (the audit log's pseudonym key)"),
    listed("maturity_catalogue", Reference, false, "eBlomlåda's indicator catalogues: one list for the country"),
    listed("maturity_area", Reference, false, "eBlomlåda's areas"),
    listed("maturity_indicator", Reference, false, "eBlomlåda's indicators"),
    listed("maturity_mapping", Reference, false, "eBlomlåda's mapping between catalogue years"),
    listed("es_shared_service", Reference, false, "the operator's shared catalogue of e-services (ADR 0022), adopted by municipalities"),
    listed("es_shared_version", Reference, false, "the versions of the shared e-services"),
    listed("session", Coordinator, false, "sessions by token hash, read on every request; operators' sessions have no municipality"),
    listed("oidc_flow", Coordinator, false, "an e-ID login in progress, by its state, for a few minutes"),
    listed("sso_handoff", Coordinator, false, "single sign-on hand-off codes issued by the platform host (ADR 0017)"),
    listed("_sqlx_migrations", Coordinator, false, "the migrations that have run"),
    listed("my_settings", Citizen, false, "a citizen's notification settings for every municipality at once (ADR 0021)"),
    listed("my_case", Citizen, true, "Mina ärenden's read model: a citizen's cases across municipalities on one shard"),
    listed("my_case_step", Citizen, true, "the steps of a case in Mina ärenden's read model"),
    listed("my_notice", Citizen, true, "notices to a citizen about their cases"),
    listed("my_case_payment", Citizen, true, "what a citizen has to pay, shown in Mina ärenden"),
    listed("es_broadcast_subscription", Citizen, true, "a citizen's subscription to störningsinformation"),
];

/// Where `table` lives: listed, or distributed by `tenant_id`.
pub fn of(table: &str) -> Placement {
    LISTED.iter().find(|l| l.table == table).map_or(Placement::Tenant, |l| l.placement)
}

/// The tables whose rows belong to no municipality (no `tenant_id` under row-level security).
pub fn not_tenant_owned() -> impl Iterator<Item = &'static str> {
    LISTED.iter().filter(|l| !l.tenant_rows).map(|l| l.table)
}

/// Municipality-owned tables whose key leads with `citizen_index` instead of `tenant_id`.
pub fn citizen_keyed() -> impl Iterator<Item = &'static str> {
    LISTED.iter().filter(|l| l.tenant_rows && l.placement == Placement::Citizen).map(|l| l.table)
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
