//! Rate limits counted in the database, so that every server process behind a load balancer
//! counts one client's attempts together (issue 14 item 1): login attempts per client address
//! over the whole platform, and a module's public forms per address in one municipality.
//!
//! A fixed one-minute window per key: one row (`rate_window`) holds the window's start and its
//! count, raised by one atomic upsert, so concurrent attempts on several nodes are each
//! counted. The key is stored as its SHA-256 only. The count is kept in a transaction of its
//! own, before the use case's: an attempt counts whether or not the use case then succeeds.

use radhus_kernel::ids::TenantId;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::{Db, Scope};
use crate::error::Result;
use crate::identity::sha256_hex;
use crate::on_tx;

/// Counts one attempt for `key` (in `tenant`, or over the whole platform with `None`); false
/// when the key has used up the current minute's `per_minute` attempts.
pub async fn allow(db: &Db, tenant: Option<TenantId>, key: &str, per_minute: u32, now: OffsetDateTime) -> Result<bool> {
    let window = now.unix_timestamp() / 60 * 60;
    let (scope, tenant) = match tenant {
        Some(t) => (Scope::Tenant(t), t.0),
        None => (Scope::Platform, Uuid::nil()),
    };
    let mut tx = db.write(scope).await?;
    let (hits,): (i32,) = on_tx!(&mut tx, c => sqlx::query_as(
        "INSERT INTO rate_window (tenant_id, key_hash, window_start, hits) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (tenant_id, key_hash) DO UPDATE SET \
         hits = CASE WHEN rate_window.window_start = excluded.window_start THEN rate_window.hits + 1 ELSE 1 END, \
         window_start = excluded.window_start RETURNING hits")
        .bind(tenant).bind(sha256_hex(key.as_bytes())).bind(window).fetch_one(c).await?);
    tx.commit().await?;
    Ok(u32::try_from(hits).unwrap_or(u32::MAX) <= per_minute)
}

/// Removes the windows that ended before the current minute (the background worker, each pass).
pub async fn purge(db: &Db, now: OffsetDateTime) -> Result<u64> {
    let window = now.unix_timestamp() / 60 * 60;
    let mut tx = db.write(Scope::System).await?;
    let n =
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM rate_window WHERE window_start < $1").bind(window).execute(c).await?.rows_affected());
    tx.commit().await?;
    Ok(n)
}
