//! Conflict pairs (jäv och hushåll): two persons who must not work in the same polling station
//! in an election, for instance members of one household or close relatives (municipal policy,
//! rule VAL-P04 in [`crate::core::rules`]). The office records them on the application page; the
//! rule check and the optimiser read them through [`crate::staffing::load`].
//!
//! A pair is stored once, the smaller id first, so (a, b) and (b, a) are the same pair.

use radhus_kernel::ids::TenantId;
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::session::StaffUser;
use radhus_platform::on_tx;
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::error::ElectionError;
use crate::structure::service::election_in;
use crate::support::audit::audit;
use crate::support::office::require_office;

/// The reason is kept short: it is shown next to the name on the rule check.
pub const MAX_REASON: usize = 200;

/// One conflict of a person: the other person and why.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConflictLine {
    pub other: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub reason: String,
}

impl ConflictLine {
    pub fn name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

/// Someone the person can be paired with: another applicant of the election.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Candidate {
    pub id: Uuid,
    pub given_name: String,
    pub family_name: String,
}

fn ordered(a: Uuid, b: Uuid) -> (Uuid, Uuid) {
    if a < b { (a, b) } else { (b, a) }
}

/// The person's conflicts in the election, by the other person's name.
pub async fn of_person(tx: &mut Tx, t: TenantId, e: Uuid, person: Uuid) -> Result<Vec<ConflictLine>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT p.id AS other, p.given_name, p.family_name, k.reason FROM el_conflict k \
         JOIN el_person p ON p.tenant_id = k.tenant_id \
          AND p.id = CASE WHEN k.person_a = $3 THEN k.person_b ELSE k.person_a END \
         WHERE k.tenant_id = $1 AND k.election_id = $2 AND (k.person_a = $3 OR k.person_b = $3) \
         ORDER BY p.family_name, p.given_name, p.id")
        .bind(t.0).bind(e).bind(person).fetch_all(c).await?))
}

/// The other applicants of the election who are not rejected or withdrawn and not yet paired
/// with the person: the choices of the form.
pub async fn candidates(tx: &mut Tx, t: TenantId, e: Uuid, person: Uuid) -> Result<Vec<Candidate>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT p.id, p.given_name, p.family_name FROM el_application a \
         JOIN el_person p ON p.tenant_id = a.tenant_id AND p.id = a.person_id \
         WHERE a.tenant_id = $1 AND a.election_id = $2 AND a.person_id <> $3 \
           AND a.status IN ('received', 'accepted', 'reserve') \
           AND NOT EXISTS (SELECT 1 FROM el_conflict k WHERE k.tenant_id = a.tenant_id AND k.election_id = a.election_id \
             AND ((k.person_a = $3 AND k.person_b = a.person_id) OR (k.person_b = $3 AND k.person_a = a.person_id))) \
         ORDER BY p.family_name, p.given_name, p.id")
        .bind(t.0).bind(e).bind(person).fetch_all(c).await?))
}

async fn exists(tx: &mut Tx, t: TenantId, e: Uuid, a: Uuid, b: Uuid) -> Result<bool> {
    let (a, b) = ordered(a, b);
    let n: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM el_conflict WHERE tenant_id = $1 AND election_id = $2 AND person_a = $3 AND person_b = $4")
        .bind(t.0).bind(e).bind(a).bind(b).fetch_one(c).await?);
    Ok(n > 0)
}

/// Has `person` applied for the election? (Only the fact; the application itself is the
/// parent module's, which uses this module for its page, so it is not imported from there.)
async fn has_applied(tx: &mut Tx, t: TenantId, e: Uuid, person: Uuid) -> Result<bool> {
    let n: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM el_application WHERE tenant_id = $1 AND election_id = $2 AND person_id = $3")
        .bind(t.0).bind(e).bind(person).fetch_one(c).await?);
    Ok(n > 0)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ConflictInput {
    /// The other person's id (a choice of the form).
    #[serde(default)]
    pub other: String,
    #[serde(default)]
    pub reason: String,
}

/// Records that `person` and the chosen other applicant must not work in the same station.
pub async fn add(db: &Db, s: &StaffUser, e: Uuid, person: Uuid, f: &ConflictInput, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let other = Uuid::parse_str(f.other.trim()).map_err(|_| Error::invalid("conflict_other", "el-conflicts-choose"))?;
    let reason = f.reason.trim();
    if reason.chars().count() > MAX_REASON {
        return Err(Error::invalid("conflict_reason", "el-conflicts-too-long"));
    }
    if other == person {
        return Err(ElectionError::ConflictSelf.into());
    }
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    if !has_applied(&mut tx, t, e, person).await? {
        return Err(Error::NotFound);
    }
    // The other person must have applied for the same election (the list offers no one else).
    if !has_applied(&mut tx, t, e, other).await? {
        return Err(Error::invalid("conflict_other", "el-conflicts-choose"));
    }
    if exists(&mut tx, t, e, person, other).await? {
        return Err(ElectionError::ConflictTwice.into());
    }
    let (a, b) = ordered(person, other);
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO el_conflict (tenant_id, election_id, person_a, person_b, reason) VALUES ($1, $2, $3, $4, $5)")
        .bind(t.0).bind(e).bind(a).bind(b).bind(reason).execute(c).await?.rows_affected());
    audit(
        &mut tx,
        s,
        "elections.conflict.added",
        "el_person",
        person,
        serde_json::json!({ "election": e, "other": other, "reason": reason }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes the pair of `person` and `other`; not found when there is none.
pub async fn remove(db: &Db, s: &StaffUser, e: Uuid, person: Uuid, other: Uuid, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    let (a, b) = ordered(person, other);
    let n = on_tx!(&mut tx, c => sqlx::query(
        "DELETE FROM el_conflict WHERE tenant_id = $1 AND election_id = $2 AND person_a = $3 AND person_b = $4")
        .bind(t.0).bind(e).bind(a).bind(b).execute(c).await?.rows_affected());
    if n == 0 {
        return Err(Error::NotFound);
    }
    audit(&mut tx, s, "elections.conflict.removed", "el_person", person, serde_json::json!({ "election": e, "other": other }), now).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::ordered;
    use uuid::Uuid;

    #[test]
    fn a_pair_is_the_same_in_either_order() {
        let (x, y) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert_eq!(ordered(x, y), ordered(y, x));
        assert_eq!(ordered(y, x), (x, y));
    }
}
