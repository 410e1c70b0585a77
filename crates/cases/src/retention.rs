//! Retention (gallring): closed cases whose class says their documents are destroyed after N
//! years are listed when the time has come; a disposal decision removes the documents and
//! keeps the diary entries and a record of the decision. Preservation is the main rule:
//! classes without a period are never listed.

use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::session::{Principal, StaffUser};
use radhus_platform::on_tx;
use serde::Serialize;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::domain::CaseError;
use crate::service::ADMIN;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Candidate {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub class_code: String,
    pub retention_years: i32,
    pub closed_at: OffsetDateTime,
}

impl Candidate {
    /// When the documents may be destroyed: closing date plus the class's period.
    pub fn due(&self) -> OffsetDateTime {
        self.closed_at + Duration::days(365 * i64::from(self.retention_years)) + Duration::days(i64::from(self.retention_years / 4))
    }
}

/// Closed, not yet disposed cases whose retention period has run out (at most 500, oldest first).
pub async fn candidates(tx: &mut Tx, t: TenantId, now: OffsetDateTime) -> Result<Vec<Candidate>> {
    let rows: Vec<Candidate> = on_tx!(tx, c => sqlx::query_as(
        "SELECT c.id, c.number, c.title, cl.code AS class_code, cl.retention_years, c.closed_at \
         FROM case_file c JOIN case_class cl ON cl.tenant_id = c.tenant_id AND cl.id = c.class_id \
         LEFT JOIN disposal d ON d.tenant_id = c.tenant_id AND d.case_id = c.id \
         WHERE c.tenant_id = $1 AND c.status = 'closed' AND cl.retention_years IS NOT NULL AND c.closed_at IS NOT NULL AND d.id IS NULL \
         ORDER BY c.closed_at LIMIT 2000")
        .bind(t.0).fetch_all(c).await?);
    Ok(rows.into_iter().filter(|c| c.due() <= now).take(500).collect())
}

/// Carries out a disposal decision for the chosen cases, in one transaction.
pub async fn dispose(db: &Db, s: &StaffUser, cases: &[Uuid], decision_ref: &str, now: OffsetDateTime) -> Result<usize> {
    if !s.grants.whole_municipality(ADMIN) {
        return Err(Error::Forbidden);
    }
    let decision_ref = decision_ref.trim();
    if decision_ref.is_empty() || decision_ref.chars().count() > 200 {
        return Err(Error::invalid("decision_ref", "err-disposal-ref"));
    }
    if cases.is_empty() {
        return Err(Error::invalid("cases", "err-disposal-none"));
    }
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let due = candidates(&mut tx, t, now).await?;
    let mut removed_total = 0;
    for id in cases {
        // Only cases on the list: nothing is destroyed before its time.
        let Some(c) = due.iter().find(|c| c.id == *id) else {
            return Err(CaseError::DisposalNotDue.into());
        };
        let removed = on_tx!(&mut tx, cn => sqlx::query(
            "DELETE FROM document_version WHERE tenant_id = $1 AND document_id IN \
             (SELECT d.id FROM document d JOIN record r ON r.tenant_id = d.tenant_id AND r.id = d.record_id WHERE d.tenant_id = $1 AND r.case_id = $2)")
            .bind(t.0).bind(c.id).execute(cn).await?.rows_affected());
        on_tx!(&mut tx, cn => sqlx::query(
            "DELETE FROM document WHERE tenant_id = $1 AND record_id IN (SELECT id FROM record WHERE tenant_id = $1 AND case_id = $2)")
            .bind(t.0).bind(c.id).execute(cn).await?.rows_affected());
        on_tx!(&mut tx, cn => sqlx::query("INSERT INTO disposal (tenant_id, id, case_id, decision_ref, documents_removed, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(t.0).bind(Uuid::now_v7()).bind(c.id).bind(decision_ref).bind(i32::try_from(removed).unwrap_or(i32::MAX)).bind(&s.name).bind(now).execute(cn).await?.rows_affected());
        crate::store::add_event(
            &mut tx,
            t,
            c.id,
            &s.name,
            "disposal",
            &format!("Gallrat enligt {decision_ref}: {removed} dokumentversioner"),
            now,
        )
        .await?;
        audit::record(
            &mut tx,
            Some(t),
            &Actor::of(&Principal::Staff(s.clone())),
            Event::new("case.disposed", "case", c.id).with(serde_json::json!({ "decision": decision_ref, "versions_removed": removed })),
            now,
        )
        .await?;
        removed_total += usize::try_from(removed).unwrap_or(0);
    }
    // File contents no version refers to any more are removed too.
    on_tx!(&mut tx, cn => sqlx::query("DELETE FROM blob WHERE tenant_id = $1 AND sha256 NOT IN (SELECT sha256 FROM document_version WHERE tenant_id = $1)")
        .bind(t.0).execute(cn).await?.rows_affected());
    tx.commit().await?;
    Ok(removed_total)
}
