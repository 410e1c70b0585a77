//! Broadcast messages (*lavinmeddelanden*, störningsinformation; issue 11 item 8): a message
//! with a severity, a time window and a text in Swedish (and English) that the platform
//! operator publishes to every or chosen municipalities, or a municipality's e-service
//! administrator to its own citizens. A broadcast may pause chosen e-services while it lasts:
//! a paused service says why (the text) and when it returns (the end), drafts are kept,
//! starting, saving and submitting are refused with `ES-002`; staff work as usual.
//!
//! The operator's broadcast is stored as one row per municipality under one id, so each
//! municipality's pages and feeds, under row-level security, see only their own.

use radhus_kernel::Lang;
use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::Tx;
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::on_tx;
use serde::Serialize;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};
use uuid::Uuid;

use crate::EsError;

/// Longest text of a broadcast, per language (an SMS carries the start of it).
pub const MAX_TEXT: usize = 1000;
/// Longest window of a broadcast.
pub const MAX_DAYS: i64 = 366;

/// How serious the disturbance is (Fluent `es-bc-severity-…`).
pub const SEVERITIES: [&str; 3] = ["info", "warning", "critical"];

/// A broadcast as a municipality shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Broadcast {
    pub id: Uuid,
    /// `platform` (the operator's) or `municipality`.
    pub origin: String,
    pub severity: String,
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
    pub text_sv: String,
    pub text_en: String,
    #[serde(skip)]
    pub published_by: String,
    pub published_at: OffsetDateTime,
    /// The e-services it pauses while it lasts.
    #[sqlx(skip)]
    pub paused: Vec<String>,
}

impl Broadcast {
    /// The text in `lang` (Swedish when there is no English).
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.text_en.trim().is_empty() => &self.text_en,
            _ => &self.text_sv,
        }
    }

    pub fn is_current(&self, now: OffsetDateTime) -> bool {
        self.starts_at <= now && now < self.ends_at
    }

    /// The alert colour of the severity.
    pub fn color(&self) -> &'static str {
        match self.severity.as_str() {
            "critical" => "danger",
            "warning" => "warning",
            _ => "info",
        }
    }
}

/// What an administrator or the operator posts (the times as `datetime-local`, Swedish time).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct BroadcastInput {
    #[serde(default)]
    pub severity: String,
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub ends: String,
    #[serde(default)]
    pub text_sv: String,
    #[serde(default)]
    pub text_en: String,
    /// The e-services to pause (service keys).
    #[serde(default, deserialize_with = "radhus_platform::web::form::one_or_many")]
    pub services: Vec<String>,
    /// The operator's choice of municipalities (ids); `all` = every municipality.
    #[serde(default, deserialize_with = "radhus_platform::web::form::one_or_many")]
    pub municipalities: Vec<String>,
    #[serde(default)]
    pub all: String,
}

/// A `datetime-local` value (`2026-12-07T10:00`, seconds optional) in Swedish time.
pub fn parse_local(s: &str) -> Option<OffsetDateTime> {
    let s = s.trim();
    let (d, t) = s.split_once('T').or_else(|| s.split_once(' '))?;
    let d = Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")).ok()?;
    let t = Time::parse(t, time::macros::format_description!("[hour]:[minute]"))
        .or_else(|_| Time::parse(t, time::macros::format_description!("[hour]:[minute]:[second]")))
        .ok()?;
    Some(radhus_kernel::tz::from_stockholm(d, t))
}

/// A moment as the form shows it again (`2026-12-07T10:00`, Swedish time).
pub fn local_value(at: OffsetDateTime) -> String {
    let l: PrimitiveDateTime = radhus_kernel::tz::stockholm(at);
    format!("{}T{:02}:{:02}", l.date(), l.hour(), l.minute())
}

/// A checked broadcast.
#[derive(Debug, Clone)]
pub struct Checked {
    pub severity: &'static str,
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
    pub text_sv: String,
    pub text_en: String,
}

/// Checks the message itself; every problem at its field.
pub fn check(f: &BroadcastInput) -> std::result::Result<Checked, Vec<FieldError>> {
    let mut errs = vec![];
    let severity = SEVERITIES.iter().find(|s| **s == f.severity.trim()).copied();
    if severity.is_none() {
        errs.push(FieldError::new("es_bc_severity", "es-bc-err-severity"));
    }
    let starts = parse_local(&f.starts);
    if starts.is_none() {
        errs.push(FieldError::new("es_bc_starts", "es-bc-err-time"));
    }
    let ends = parse_local(&f.ends);
    match (starts, ends) {
        (_, None) => errs.push(FieldError::new("es_bc_ends", "es-bc-err-time")),
        (Some(s), Some(e)) if e <= s => errs.push(FieldError::new("es_bc_ends", "es-bc-err-order")),
        (Some(s), Some(e)) if e - s > time::Duration::days(MAX_DAYS) => errs.push(FieldError::new("es_bc_ends", "es-bc-err-long")),
        _ => {}
    }
    let (sv, en) = (f.text_sv.trim(), f.text_en.trim());
    if sv.is_empty() {
        errs.push(FieldError::new("es_bc_text_sv", "es-bc-err-text"));
    } else if sv.chars().count() > MAX_TEXT {
        errs.push(FieldError::new("es_bc_text_sv", "es-bc-err-text-long"));
    }
    if en.chars().count() > MAX_TEXT {
        errs.push(FieldError::new("es_bc_text_en", "es-bc-err-text-long"));
    }
    match (severity, starts, ends, errs.is_empty()) {
        (Some(severity), Some(starts_at), Some(ends_at), true) => {
            Ok(Checked { severity, starts_at, ends_at, text_sv: sv.to_string(), text_en: en.to_string() })
        }
        _ => Err(errs),
    }
}

fn services_of(f: &BroadcastInput) -> Vec<String> {
    let mut keys: Vec<String> = f.services.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    keys.sort();
    keys.dedup();
    keys
}

async fn adopted(tx: &mut Tx, t: TenantId) -> Result<Vec<String>> {
    Ok(crate::store::adoptions(tx, t).await?.into_iter().map(|a| a.service_key).collect())
}

async fn insert(tx: &mut Tx, t: TenantId, id: Uuid, origin: &str, c: &Checked, by: &str, now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, q => sqlx::query(
        "INSERT INTO es_broadcast (tenant_id, id, origin, severity, starts_at, ends_at, text_sv, text_en, published_by, published_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .bind(t.0).bind(id).bind(origin).bind(c.severity).bind(c.starts_at).bind(c.ends_at).bind(&c.text_sv).bind(&c.text_en)
        .bind(by).bind(now).execute(q).await?.rows_affected());
    Ok(())
}

async fn insert_pause(tx: &mut Tx, t: TenantId, id: Uuid, key: &str) -> Result<()> {
    on_tx!(tx, q => sqlx::query("INSERT INTO es_broadcast_pause (tenant_id, broadcast_id, service_key) VALUES ($1, $2, $3)")
        .bind(t.0).bind(id).bind(key).execute(q).await?.rows_affected());
    Ok(())
}

/// A municipality's own broadcast; the services it pauses must be the municipality's own
/// adopted ones (another municipality's, or one it has not adopted, is refused at the field).
pub async fn publish_local(tx: &mut Tx, t: TenantId, f: &BroadcastInput, actor: &Actor, now: OffsetDateTime) -> Result<Uuid> {
    let checked = check(f);
    let keys = services_of(f);
    let own = adopted(tx, t).await?;
    let mut errs = checked.as_ref().err().cloned().unwrap_or_default();
    if keys.iter().any(|k| !own.contains(k)) {
        errs.push(FieldError::new("es_bc_services", "es-bc-err-services"));
    }
    let (Ok(c), true) = (checked, errs.is_empty()) else { return Err(Error::Invalid(errs)) };
    let id = Uuid::now_v7();
    insert(tx, t, id, "municipality", &c, &actor.name, now).await?;
    for k in &keys {
        insert_pause(tx, t, id, k).await?;
    }
    let ev = Event::new("es.broadcast.published", "broadcast", id)
        .with(serde_json::json!({ "severity": c.severity, "starts_at": c.starts_at, "ends_at": c.ends_at, "paused": keys }));
    audit::record(tx, Some(t), actor, ev, now).await?;
    Ok(id)
}

/// The operator's broadcast (in a `Scope::System` transaction): one row for each chosen
/// municipality (or every one); each chosen service is paused where the municipality has
/// adopted it. Logged in the platform's chain and in each municipality's.
pub async fn publish_platform(tx: &mut Tx, f: &BroadcastInput, tenants: &[TenantId], actor: &Actor, now: OffsetDateTime) -> Result<Uuid> {
    let operator = actor.name.as_str();
    let checked = check(f);
    let keys = services_of(f);
    let mut errs = checked.as_ref().err().cloned().unwrap_or_default();
    let chosen: Vec<TenantId> = if f.all == "on" {
        tenants.to_vec()
    } else {
        let ids: Vec<Option<Uuid>> = f.municipalities.iter().map(|m| Uuid::parse_str(m.trim()).ok()).collect();
        if ids.iter().any(|i| i.is_none_or(|i| !tenants.iter().any(|t| t.0 == i))) {
            errs.push(FieldError::new("es_bc_municipalities", "es-bc-err-municipalities"));
        }
        ids.into_iter().flatten().map(TenantId).collect()
    };
    if chosen.is_empty() && !errs.iter().any(|e| e.field == "es_bc_municipalities") {
        errs.push(FieldError::new("es_bc_municipalities", "es-bc-err-municipalities"));
    }
    let shared: Vec<String> = crate::store::shared_list(tx).await?.into_iter().map(|s| s.key).collect();
    if keys.iter().any(|k| !shared.contains(k)) {
        errs.push(FieldError::new("es_bc_services", "es-bc-err-services"));
    }
    let (Ok(c), true) = (checked, errs.is_empty()) else { return Err(Error::Invalid(errs)) };
    let id = Uuid::now_v7();
    for t in &chosen {
        insert(tx, *t, id, "platform", &c, operator, now).await?;
        let own = adopted(tx, *t).await?;
        let paused: Vec<&String> = keys.iter().filter(|k| own.contains(k)).collect();
        for k in &paused {
            insert_pause(tx, *t, id, k).await?;
        }
        let ev = Event::new("es.broadcast.published", "broadcast", id)
            .with(serde_json::json!({ "origin": "platform", "by": operator, "paused": paused }));
        audit::record(tx, Some(*t), actor, ev, now).await?;
    }
    let ev = Event::new("es.broadcast.published", "broadcast", id).with(serde_json::json!({
        "by": operator, "municipalities": chosen.len(), "severity": c.severity, "starts_at": c.starts_at, "ends_at": c.ends_at, "paused": keys,
    }));
    audit::record(tx, None, actor, ev, now).await?;
    Ok(id)
}

/// Ends a broadcast of the municipality now (its pauses end with it).
pub async fn end_now(tx: &mut Tx, t: TenantId, id: Uuid, actor: &Actor, now: OffsetDateTime) -> Result<()> {
    let n = on_tx!(tx, q => sqlx::query(
        "UPDATE es_broadcast SET ends_at = $3 WHERE tenant_id = $1 AND id = $2 AND ends_at > $3 AND origin = 'municipality'")
        .bind(t.0).bind(id).bind(now).execute(q).await?.rows_affected());
    if n != 1 {
        return Err(Error::NotFound);
    }
    audit::record(tx, Some(t), actor, Event::new("es.broadcast.ended", "broadcast", id), now).await
}

/// Ends the platform operator's broadcast `id` now in every municipality it went to (its
/// pauses end with it), in one transaction (a `Scope::System` one: it spans municipalities):
/// each municipality's audit event and the platform's. Ended already or unknown is "not found".
pub async fn end_platform(tx: &mut Tx, id: Uuid, actor: &Actor, now: OffsetDateTime) -> Result<()> {
    let tenants: Vec<Uuid> = on_tx!(tx, q => sqlx::query_scalar(
        "SELECT tenant_id FROM es_broadcast WHERE id = $1 AND origin = 'platform' AND ends_at > $2 ORDER BY tenant_id")
        .bind(id).bind(now).fetch_all(q).await?);
    if tenants.is_empty() {
        return Err(Error::NotFound);
    }
    on_tx!(tx, q => sqlx::query("UPDATE es_broadcast SET ends_at = $2 WHERE id = $1 AND origin = 'platform' AND ends_at > $2")
        .bind(id).bind(now).execute(q).await?.rows_affected());
    for t in &tenants {
        audit::record(tx, Some(TenantId(*t)), actor, Event::new("es.broadcast.ended", "broadcast", id), now).await?;
    }
    let ev = Event::new("es.broadcast.ended", "broadcast", id).with(serde_json::json!({ "municipalities": tenants.len() }));
    audit::record(tx, None, actor, ev, now).await
}

const COLS: &str =
    "SELECT id, origin, severity, starts_at, ends_at, text_sv, text_en, published_by, published_at FROM es_broadcast WHERE tenant_id = $1";

async fn with_pauses(tx: &mut Tx, t: TenantId, mut list: Vec<Broadcast>) -> Result<Vec<Broadcast>> {
    let pauses: Vec<(Uuid, String)> = on_tx!(tx, q => sqlx::query_as(
        "SELECT broadcast_id, service_key FROM es_broadcast_pause WHERE tenant_id = $1 ORDER BY service_key")
        .bind(t.0).fetch_all(q).await?);
    for b in &mut list {
        b.paused = pauses.iter().filter(|(id, _)| *id == b.id).map(|(_, k)| k.clone()).collect();
    }
    Ok(list)
}

/// The broadcasts in force now, the most serious first.
pub async fn current(tx: &mut Tx, t: TenantId, now: OffsetDateTime) -> Result<Vec<Broadcast>> {
    let mut list: Vec<Broadcast> = on_tx!(tx, q => sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{COLS} AND starts_at <= $2 AND ends_at > $2 ORDER BY starts_at DESC")))
        .bind(t.0).bind(now).fetch_all(q).await?);
    list.sort_by_key(|b| std::cmp::Reverse(SEVERITIES.iter().position(|s| *s == b.severity)));
    with_pauses(tx, t, list).await
}

/// The broadcasts not yet over and those that ended in the last 30 days, newest first (the
/// administrator's list and the feeds).
pub async fn recent(tx: &mut Tx, t: TenantId, now: OffsetDateTime) -> Result<Vec<Broadcast>> {
    let since = now - time::Duration::days(30);
    let list: Vec<Broadcast> = on_tx!(tx, q => sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{COLS} AND ends_at > $2 ORDER BY starts_at DESC LIMIT 100")))
        .bind(t.0).bind(since).fetch_all(q).await?);
    with_pauses(tx, t, list).await
}

/// The operator's broadcasts not over or ended in the last 30 days (in a `Scope::System`
/// transaction), each as its first municipality stores it.
pub async fn platform_recent(tx: &mut Tx, now: OffsetDateTime) -> Result<Vec<Broadcast>> {
    let since = now - time::Duration::days(30);
    let rows: Vec<(Uuid, Uuid)> = on_tx!(tx, q => sqlx::query_as(
        "SELECT id, tenant_id FROM es_broadcast WHERE origin = 'platform' AND ends_at > $1 ORDER BY id DESC, tenant_id LIMIT 5000")
        .bind(since).fetch_all(q).await?);
    let mut out: Vec<Broadcast> = vec![];
    for (id, t) in rows {
        if out.iter().any(|b| b.id == id) || out.len() >= 50 {
            continue;
        }
        let b: Option<Broadcast> = on_tx!(tx, q => sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLS} AND id = $2")))
            .bind(t).bind(id).fetch_optional(q).await?);
        out.extend(b);
    }
    Ok(out)
}

/// The broadcast in force that pauses the service now, if any.
pub async fn pausing(tx: &mut Tx, t: TenantId, key: &str, now: OffsetDateTime) -> Result<Option<Broadcast>> {
    Ok(current(tx, t, now).await?.into_iter().find(|b| b.paused.iter().any(|k| k == key)))
}

/// Refuses to start, save or submit a service a broadcast pauses now (`ES-002`; the draft is
/// kept).
pub async fn ensure_open(tx: &mut Tx, t: TenantId, key: &str, now: OffsetDateTime) -> Result<()> {
    match pausing(tx, t, key, now).await? {
        Some(_) => Err(EsError::Paused.into()),
        None => Ok(()),
    }
}

// ------------------------------------------------------------------ subscriptions

/// Has the citizen asked to be told of the municipality's broadcasts?
pub async fn subscribed(tx: &mut Tx, t: TenantId, citizen_index: &str) -> Result<bool> {
    let n: i64 = on_tx!(tx, q => sqlx::query_scalar(
        "SELECT COUNT(*) FROM es_broadcast_subscription WHERE citizen_index = $1 AND tenant_id = $2")
        .bind(citizen_index).bind(t.0).fetch_one(q).await?);
    Ok(n > 0)
}

/// Subscribes or unsubscribes the citizen (the channel is that of their Mina ärenden settings).
pub async fn subscribe(tx: &mut Tx, t: TenantId, who: &crate::citizen::Citizen, on: bool, now: OffsetDateTime) -> Result<()> {
    if on {
        on_tx!(tx, q => sqlx::query(
            "INSERT INTO es_broadcast_subscription (citizen_index, tenant_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(&who.index).bind(t.0).bind(now).execute(q).await?.rows_affected());
    } else {
        on_tx!(tx, q => sqlx::query("DELETE FROM es_broadcast_subscription WHERE citizen_index = $1 AND tenant_id = $2")
            .bind(&who.index).bind(t.0).execute(q).await?.rows_affected());
    }
    let ev = Event::new("es.broadcast.subscription", "citizen", "").with(serde_json::json!({ "on": on }));
    audit::record(tx, Some(t), &Actor::citizen(&who.pnr.to_string(), &who.name), ev, now).await
}

/// A broadcast whose subscribers are to be told, with them (blind indexes) and the
/// municipality's name.
#[derive(Debug, Clone)]
pub struct ToNotify {
    pub tenant_id: TenantId,
    pub municipality: String,
    pub broadcast: Broadcast,
    pub subscribers: Vec<String>,
}

/// Takes the broadcasts that have begun and whose subscribers were not told yet (in a
/// `Scope::System` transaction), marking them told: whoever commits this sends them, once.
pub async fn take_unnotified(tx: &mut Tx, now: OffsetDateTime) -> Result<Vec<ToNotify>> {
    let rows: Vec<(Uuid, Uuid, String)> = on_tx!(tx, q => sqlx::query_as(
        "SELECT b.tenant_id, b.id, t.name FROM es_broadcast b JOIN tenant t ON t.id = b.tenant_id \
         WHERE b.notified_at IS NULL AND b.starts_at <= $1 AND b.ends_at > $1 ORDER BY b.starts_at LIMIT 100")
        .bind(now).fetch_all(q).await?);
    let mut out = vec![];
    for (t, id, municipality) in rows {
        let n = on_tx!(tx, q => sqlx::query("UPDATE es_broadcast SET notified_at = $3 WHERE tenant_id = $1 AND id = $2 AND notified_at IS NULL")
            .bind(t).bind(id).bind(now).execute(q).await?.rows_affected());
        if n != 1 {
            continue;
        }
        let Some(b): Option<Broadcast> = on_tx!(tx, q => sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLS} AND id = $2")))
            .bind(t).bind(id).fetch_optional(q).await?)
        else {
            continue;
        };
        let subscribers: Vec<String> = on_tx!(tx, q => sqlx::query_scalar(
            "SELECT citizen_index FROM es_broadcast_subscription WHERE tenant_id = $1 ORDER BY citizen_index")
            .bind(t).fetch_all(q).await?);
        out.push(ToNotify { tenant_id: TenantId(t), municipality, broadcast: b, subscribers });
    }
    Ok(out)
}

/// The day and time of a moment in Swedish (`7 december 2026 kl. 10:00`).
pub fn when(at: &OffsetDateTime) -> String {
    let l = radhus_kernel::tz::stockholm(*at);
    format!("{} kl. {:02}:{:02}", radhus_kernel::lang::swedish_date(l.date()), l.hour(), l.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(starts: &str, ends: &str, sv: &str) -> BroadcastInput {
        BroadcastInput { severity: "warning".into(), starts: starts.into(), ends: ends.into(), text_sv: sv.into(), ..Default::default() }
    }

    fn fields(r: std::result::Result<Checked, Vec<FieldError>>) -> Vec<String> {
        r.err().unwrap_or_default().into_iter().map(|e| format!("{}:{}", e.field, e.message)).collect()
    }

    #[test]
    fn a_window_must_end_after_it_starts() {
        assert_eq!(fields(check(&input("2026-12-07T10:00", "2026-12-07T09:00", "Driftstopp"))), ["es_bc_ends:es-bc-err-order"]);
        assert_eq!(fields(check(&input("2026-12-07T10:00", "2026-12-07T10:00", "Driftstopp"))), ["es_bc_ends:es-bc-err-order"]);
        assert!(check(&input("2026-12-07T10:00", "2026-12-07T12:30", "Driftstopp")).is_ok());
    }

    #[test]
    fn bad_times_texts_and_severities_are_named_at_their_fields() {
        let mut f = input("igår", "2026-13-40T10:00", &"x".repeat(MAX_TEXT + 1));
        f.severity = "panic".into();
        f.text_en = "y".repeat(MAX_TEXT + 1);
        assert_eq!(
            fields(check(&f)),
            [
                "es_bc_severity:es-bc-err-severity",
                "es_bc_starts:es-bc-err-time",
                "es_bc_ends:es-bc-err-time",
                "es_bc_text_sv:es-bc-err-text-long",
                "es_bc_text_en:es-bc-err-text-long"
            ]
        );
        assert_eq!(fields(check(&input("2026-12-07T10:00", "2026-12-08T10:00", "  "))), ["es_bc_text_sv:es-bc-err-text"]);
        assert_eq!(fields(check(&input("2026-01-01T10:00", "2027-12-08T10:00", "Lång"))), ["es_bc_ends:es-bc-err-long"]);
    }

    #[test]
    fn local_times_are_swedish_time() {
        let winter = parse_local("2026-12-07T10:00").expect("winter");
        assert_eq!(winter.to_offset(time::UtcOffset::UTC).hour(), 9);
        let summer = parse_local("2026-07-01 10:00:00").expect("summer");
        assert_eq!(summer.to_offset(time::UtcOffset::UTC).hour(), 8);
        assert_eq!(local_value(winter), "2026-12-07T10:00");
    }
}
