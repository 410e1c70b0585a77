//! Handling times (issue 12 item 6): per case type, the stated time (the case type's target
//! days) and the measured median and 90th percentile from the case coming in to the first
//! decision dispatched to the party (ADR 0016's *Beslutat*), over the cases decided in the
//! last twelve months; and how many open cases have passed the stated time. The citizen sees
//! "usually decided within …" on their case, managers the whole table.

use radhus_kernel::ids::TenantId;
use radhus_platform::db::Tx;
use radhus_platform::error::Result;
use radhus_platform::on_tx;
use serde::Serialize;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::store;

/// Fewer decided cases than this and no measured time is shown (a median of two says little).
pub const MIN_DECIDED: usize = 5;

/// The handling time of one case type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandlingTime {
    pub case_type_id: Uuid,
    pub case_type: String,
    /// The stated time in days (the case type's target).
    pub stated_days: i32,
    /// Cases decided in the last twelve months.
    pub decided: usize,
    /// Median days to the decision; `None` below [`MIN_DECIDED`] cases.
    pub median_days: Option<i64>,
    pub p90_days: Option<i64>,
    /// Open cases that have passed the stated time.
    pub open_overdue: i64,
}

/// The value at quantile `q` (nearest rank) of sorted whole days.
pub fn quantile(sorted: &[i64], q: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len()) - 1).copied()
}

/// Days (rounded up: a case decided the day after counts one) from coming in to the decision.
fn days(opened: OffsetDateTime, decided: OffsetDateTime) -> i64 {
    let d = decided - opened;
    (d.whole_seconds().max(0) + 86_399) / 86_400
}

/// The handling times of every active case type of the municipality.
pub async fn times(tx: &mut Tx, t: TenantId, now: OffsetDateTime) -> Result<Vec<HandlingTime>> {
    let since = now - Duration::days(365);
    // The first decision dispatched in each case decided within the window.
    let rows: Vec<(Uuid, OffsetDateTime, OffsetDateTime)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT c.case_type_id, c.opened_at, MIN(r.dispatched_at) FROM case_file c \
         JOIN record r ON r.tenant_id = c.tenant_id AND r.case_id = c.id AND r.kind = 'decision' AND r.dispatched_at IS NOT NULL \
         WHERE c.tenant_id = $1 AND c.status <> 'obliterated' GROUP BY c.id, c.case_type_id, c.opened_at HAVING MIN(r.dispatched_at) >= $2")
        .bind(t.0).bind(since).fetch_all(c).await?);
    let overdue: Vec<(Uuid, i64)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT case_type_id, COUNT(*) FROM case_file WHERE tenant_id = $1 AND status IN ('open', 'suspended') AND due_at < $2 GROUP BY case_type_id")
        .bind(t.0).bind(now).fetch_all(c).await?);
    let mut out = vec![];
    for ct in store::case_types(tx, t).await?.into_iter().filter(|c| c.active) {
        let mut d: Vec<i64> = rows.iter().filter(|(id, ..)| *id == ct.id).map(|(_, o, dec)| days(*o, *dec)).collect();
        d.sort_unstable();
        let enough = d.len() >= MIN_DECIDED;
        out.push(HandlingTime {
            case_type_id: ct.id,
            case_type: ct.name,
            stated_days: ct.target_days,
            decided: d.len(),
            median_days: quantile(&d, 0.5).filter(|_| enough),
            p90_days: quantile(&d, 0.9).filter(|_| enough),
            open_overdue: overdue.iter().find(|(id, _)| *id == ct.id).map_or(0, |(_, n)| *n),
        });
    }
    Ok(out)
}

/// The handling time of the type of one case (for the citizen's case page).
pub async fn of_case(tx: &mut Tx, t: TenantId, case: Uuid, now: OffsetDateTime) -> Result<Option<HandlingTime>> {
    let Some(c) = store::case(tx, t, case).await? else { return Ok(None) };
    Ok(times(tx, t, now).await?.into_iter().find(|h| h.case_type_id == c.case_type_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_by_nearest_rank() {
        let d = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        assert_eq!(quantile(&d, 0.5), Some(5));
        assert_eq!(quantile(&d, 0.9), Some(9));
        assert_eq!(quantile(&[7], 0.9), Some(7));
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn a_decision_the_next_morning_is_one_day() {
        let o = time::macros::datetime!(2026-03-01 15:00 UTC);
        assert_eq!(days(o, time::macros::datetime!(2026-03-02 09:00 UTC)), 1);
        assert_eq!(days(o, o), 0);
        assert_eq!(days(o, time::macros::datetime!(2026-03-31 15:00 UTC)), 30);
    }
}
