//! Retention of what citizens leave unfinished (issue 11 item 10, GDPR art. 5.1 e): per
//! e-service, how many days an unsigned draft (with its attachments) lives after it was last
//! saved ([`DEFAULT_DRAFT_DAYS`] unless the municipality sets its own); a daily job deletes the
//! expired ones and writes what it deleted, when and by which rule in `es_deletion_log` — never
//! a number, a name or an answer. A signed submission is no draft: it became a case and
//! follows the case's own retention (the case type's disposal rules in case management).

use std::sync::Mutex;

use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::on_tx;
use radhus_platform::outbox::JobCtx;
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

/// Days a draft lives after it was last saved when the municipality has set nothing.
pub const DEFAULT_DRAFT_DAYS: i32 = 90;
/// The longest a municipality may keep drafts.
pub const MAX_DRAFT_DAYS: i32 = 3650;

/// The days drafts of each adopted service live: (service key, days, set by the municipality).
pub async fn settings(tx: &mut Tx, t: TenantId) -> Result<Vec<(String, i32, bool)>> {
    let rows: Vec<(String, Option<i32>)> = on_tx!(tx, q => sqlx::query_as(
        "SELECT a.service_key, r.draft_days FROM es_adoption a \
         LEFT JOIN es_retention r ON r.tenant_id = a.tenant_id AND r.service_key = a.service_key \
         WHERE a.tenant_id = $1 ORDER BY a.service_key")
        .bind(t.0).fetch_all(q).await?);
    Ok(rows.into_iter().map(|(k, d)| (k, d.unwrap_or(DEFAULT_DRAFT_DAYS), d.is_some())).collect())
}

/// Sets the days drafts of an adopted service live (a whole number of days, 1–3650).
pub async fn set_draft_days(tx: &mut Tx, t: TenantId, key: &str, days: &str, actor: &Actor, now: OffsetDateTime) -> Result<i32> {
    if crate::store::adoption(tx, t, key).await?.is_none() {
        return Err(Error::NotFound);
    }
    let days: i32 = match days.trim().parse() {
        Ok(d) if (1..=MAX_DRAFT_DAYS).contains(&d) => d,
        _ => return Err(Error::Invalid(vec![FieldError::new("es_draft_days", "es-ret-err-days")])),
    };
    on_tx!(tx, q => sqlx::query(
        "INSERT INTO es_retention (tenant_id, service_key, draft_days, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (tenant_id, service_key) DO UPDATE SET draft_days = excluded.draft_days, updated_at = excluded.updated_at")
        .bind(t.0).bind(key).bind(days).bind(now).execute(q).await?.rows_affected());
    let ev = Event::new("es.retention.changed", "eservice", key).with(serde_json::json!({ "draft_days": days }));
    audit::record(tx, Some(t), actor, ev, now).await?;
    Ok(days)
}

/// One line of the deletion log.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Deleted {
    pub kind: String,
    pub service_key: String,
    pub item_id: Uuid,
    pub last_saved_at: OffsetDateTime,
    pub attachments: i32,
    pub rule: String,
    pub deleted_at: OffsetDateTime,
}

/// The municipality's deletion log, newest first.
pub async fn log(tx: &mut Tx, t: TenantId, limit: i64) -> Result<Vec<Deleted>> {
    Ok(on_tx!(tx, q => sqlx::query_as(
        "SELECT kind, service_key, item_id, last_saved_at, attachments, rule, deleted_at FROM es_deletion_log \
         WHERE tenant_id = $1 ORDER BY deleted_at DESC, id DESC LIMIT $2")
        .bind(t.0).bind(limit).fetch_all(q).await?))
}

/// The rule as the log states it.
fn rule(key: &str, days: i32, own: bool) -> String {
    let whose = if own { "the municipality's setting" } else { "the platform's default" };
    format!("drafts of {key}: {days} days after last saved ({whose})")
}

/// Deletes every expired draft in every municipality with its attachments, one log line each,
/// in one transaction. Returns how many drafts went.
pub async fn purge(db: &Db, now: OffsetDateTime) -> Result<usize> {
    let mut tx = db.write(Scope::System).await?;
    // No rule is shorter than a day: older drafts are the candidates, each checked by its rule.
    let since = now - time::Duration::days(1);
    type Row = (Uuid, Uuid, String, OffsetDateTime, Option<i32>);
    let rows: Vec<Row> = on_tx!(&mut tx, q => sqlx::query_as(
        "SELECT d.tenant_id, d.id, d.service_key, d.updated_at, r.draft_days FROM es_draft d \
         LEFT JOIN es_retention r ON r.tenant_id = d.tenant_id AND r.service_key = d.service_key \
         WHERE d.updated_at < $1 ORDER BY d.updated_at")
        .bind(since).fetch_all(q).await?);
    let mut n = 0;
    for (t, id, key, saved, days) in rows {
        let limit = days.unwrap_or(DEFAULT_DRAFT_DAYS);
        if saved + time::Duration::days(i64::from(limit)) > now {
            continue;
        }
        let files = on_tx!(&mut tx, q => sqlx::query("DELETE FROM es_attachment WHERE tenant_id = $1 AND draft_id = $2")
            .bind(t).bind(id).execute(q).await?.rows_affected());
        let gone = on_tx!(&mut tx, q => sqlx::query("DELETE FROM es_draft WHERE tenant_id = $1 AND id = $2")
            .bind(t).bind(id).execute(q).await?.rows_affected());
        if gone != 1 {
            continue;
        }
        crate::on_behalf::forget_draft(&mut tx, t, id).await?;
        on_tx!(&mut tx, q => sqlx::query(
            "INSERT INTO es_deletion_log (tenant_id, id, kind, service_key, item_id, last_saved_at, attachments, rule, deleted_at) \
             VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8)")
            .bind(t).bind(Uuid::now_v7()).bind(&key).bind(id).bind(saved).bind(i32::try_from(files).unwrap_or(i32::MAX))
            .bind(rule(&key, limit, days.is_some())).bind(now).execute(q).await?.rows_affected());
        n += 1;
    }
    tx.commit().await?;
    Ok(n)
}

/// The Swedish day of the last run in this process (the job runs at the first tick of a day).
static LAST_RUN: Mutex<Option<time::Date>> = Mutex::new(None);

/// The daily job (registered in `Module::jobs`; the worker calls it every tick, and it works
/// once per Swedish day).
pub fn daily_job(ctx: JobCtx) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<usize>> + Send>> {
    Box::pin(async move {
        let today = radhus_kernel::tz::stockholm(ctx.now).date();
        {
            let mut last = LAST_RUN.lock().map_err(|_| Error::Internal("retention lock".into()))?;
            if *last == Some(today) {
                return Ok(0);
            }
            *last = Some(today);
        }
        purge(&ctx.db, ctx.now).await
    })
}
