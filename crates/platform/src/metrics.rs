//! What `/metrics` shows an operator (issue 14 item 7), in Prometheus' text format through
//! `metrics-exporter-prometheus`:
//!
//! * `radhus_http_request_seconds{method, route}`: request latency as a histogram per route
//!   (the route's pattern, e.g. `/arenden/{id}`, so ids never become labels; `unmatched` for
//!   what no route answers); `radhus_http_requests_total{status}`;
//! * `radhus_outbox_pending{channel}` and `radhus_outbox_oldest_pending_seconds{channel}`:
//!   the outbox's queue depth and the age of its oldest waiting message, read at each scrape;
//! * `radhus_change_subscriber_lag{subscriber}`: case events recorded but not yet handled by
//!   each module's subscriber, over every municipality, read at each scrape;
//! * `radhus_worker_last_pass_timestamp_seconds`, `radhus_worker_pass_seconds` and
//!   `radhus_job_failures_total`: when the background worker last finished a pass over the
//!   periodic jobs and the outbox (its lag is now minus that), how long a pass takes, and the
//!   jobs that failed;
//! * `radhus_outbox_sent_total` and `radhus_outbox_failed_attempts_total{channel}`.

use std::sync::OnceLock;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use radhus_kernel::Clock;
use time::OffsetDateTime;

use crate::changes::Subscriber;
use crate::db::{Db, Scope};
use crate::error::Result;
use crate::on_tx;

/// The request latency histogram.
pub const LATENCY: &str = "radhus_http_request_seconds";

/// Upper bounds of the latency buckets, in seconds (1 ms to 10 s).
const BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process's metrics recorder once (later calls return the same handle); `None`
/// when another recorder was installed first.
pub fn install() -> Option<PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(LATENCY.into()), BUCKETS)
                .ok()?
                .install_recorder()
                .map_err(|e| tracing::warn!(error = %e, "metrics recorder"))
                .ok()
        })
        .clone()
}

/// The installed recorder's handle, if any.
pub fn installed() -> Option<PrometheusHandle> {
    HANDLE.get().cloned().flatten()
}

/// Sets the gauges that are read from the database at each scrape: the outbox's queue and the
/// change subscribers' lag.
pub async fn refresh(db: &Db, subscribers: &[Subscriber], now: OffsetDateTime) -> Result<()> {
    let mut tx = db.read(Scope::System).await?;
    for channel in ["email", "sms"] {
        let pending: i64 = on_tx!(&mut tx, c => sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND channel = $1")
            .bind(channel).fetch_one(c).await?);
        let oldest: Option<OffsetDateTime> = on_tx!(&mut tx, c => sqlx::query_scalar(
            "SELECT created_at FROM outbox WHERE status = 'pending' AND channel = $1 ORDER BY created_at LIMIT 1")
            .bind(channel).fetch_optional(c).await?);
        metrics::gauge!("radhus_outbox_pending", "channel" => channel).set(pending as f64);
        let age = oldest.map_or(0.0, |at| (now - at).as_seconds_f64().max(0.0));
        metrics::gauge!("radhus_outbox_oldest_pending_seconds", "channel" => channel).set(age);
    }
    for s in subscribers {
        let lag: i64 = on_tx!(&mut tx, c => sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(h.seq - COALESCE(k.last_seq, 0)), 0) AS BIGINT) FROM change_head h \
             LEFT JOIN change_cursor k ON k.tenant_id = h.tenant_id AND k.subscriber = $1")
            .bind(s.name).fetch_one(c).await?);
        metrics::gauge!("radhus_change_subscriber_lag", "subscriber" => s.name).set(lag as f64);
    }
    tx.commit().await?;
    Ok(())
}

/// Records one finished pass of the background worker.
pub fn worker_pass(clock: &dyn Clock, took: std::time::Duration) {
    metrics::gauge!("radhus_worker_last_pass_timestamp_seconds").set(clock.now().unix_timestamp() as f64);
    metrics::histogram!("radhus_worker_pass_seconds").record(took.as_secs_f64());
}
