//! Watches (bevakningar): deadlines with reminders on cases and records, the user's list of
//! them, reminders by e-mail through the outbox, and token-protected Atom and iCalendar feeds.

use radhus_kernel::ical;
use radhus_kernel::ids::{TenantId, UserId};
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::session::{Principal, StaffUser};
use radhus_platform::identity::{random_token, sha256_hex};
use radhus_platform::on_tx;
use radhus_platform::outbox::templates::{NotificationTemplate, Sender, Text};
use radhus_platform::outbox::{self, JobCtx, Notice};
use serde::Serialize;
use time::{Date, Duration, OffsetDateTime, Time};
use uuid::Uuid;

use crate::service;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct WatchRow {
    pub id: Uuid,
    pub case_id: Uuid,
    /// Set when the watch is on one record of the case.
    pub record_id: Option<Uuid>,
    /// The diary number of what is watched: the case's, or the record's (`KS 2026/12-3`).
    pub number: String,
    pub case_title: String,
    pub owner_id: Uuid,
    pub due_at: OffsetDateTime,
    pub remind_at: OffsetDateTime,
    pub note: String,
    pub state: String,
    pub created_at: OffsetDateTime,
}

impl WatchRow {
    /// The staff page of what is watched.
    pub fn path(&self) -> String {
        match self.record_id {
            Some(r) => format!("/admin/handlingar/{r}"),
            None => format!("/admin/arenden/{}", self.case_id),
        }
    }
}

const SELECT: &str = "SELECT w.id, w.case_id, w.record_id, \
    CASE WHEN r.id IS NULL THEN c.number ELSE c.number || '-' || CAST(r.running_no AS TEXT) END AS number, \
    c.title AS case_title, w.owner_id, w.due_at, w.remind_at, w.note, w.state, w.created_at \
    FROM watch w JOIN case_file c ON c.tenant_id = w.tenant_id AND c.id = w.case_id \
    LEFT JOIN record r ON r.tenant_id = w.tenant_id AND r.id = w.record_id";

pub async fn of_owner(tx: &mut Tx, t: TenantId, owner: Uuid) -> Result<Vec<WatchRow>> {
    let sql = format!("{SELECT} WHERE w.tenant_id = $1 AND w.owner_id = $2 AND w.state = 'open' ORDER BY w.due_at");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(owner).fetch_all(c).await?))
}

/// Open watches on a case, its records' included.
pub async fn of_case(tx: &mut Tx, t: TenantId, case: Uuid) -> Result<Vec<WatchRow>> {
    let sql = format!("{SELECT} WHERE w.tenant_id = $1 AND w.case_id = $2 AND w.state = 'open' ORDER BY w.due_at");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(case).fetch_all(c).await?))
}

pub async fn of_record(tx: &mut Tx, t: TenantId, record: Uuid) -> Result<Vec<WatchRow>> {
    let sql = format!("{SELECT} WHERE w.tenant_id = $1 AND w.record_id = $2 AND w.state = 'open' ORDER BY w.due_at");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(record).fetch_all(c).await?))
}

/// Noon UTC on the due date: the same calendar day in Sweden all year.
fn at_noon(d: Date) -> OffsetDateTime {
    d.with_time(Time::from_hms(12, 0, 0).unwrap_or(Time::MIDNIGHT)).assume_utc()
}

/// What a watch is set on: a whole case, or one record (a reply expected to a letter, say).
#[derive(Debug, Clone, Copy)]
pub enum Watched {
    Case(Uuid),
    Record(Uuid),
}

/// Sets a watch on a case or record for the user, reminding `remind_days` before the due date.
pub async fn add(db: &Db, s: &StaffUser, on: Watched, due: Date, remind_days: i64, note: &str, now: OffsetDateTime) -> Result<Uuid> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (c, record) = match on {
        Watched::Case(case) => (service::readable_case(&mut tx, s, case).await?, None),
        Watched::Record(record) => {
            let (r, c) = service::readable_record(&mut tx, s, record).await?;
            let label = format!("{}-{}", c.number, r.running_no);
            (c, Some((r.id, label)))
        }
    };
    let case = c.id;
    let mut errs = vec![];
    if due < now.date() {
        errs.push(FieldError::new("due", "err-watch-past"));
    }
    if !(0..=60).contains(&remind_days) {
        errs.push(FieldError::new("remind_days", "err-watch-remind"));
    }
    let note = note.trim();
    if note.is_empty() {
        errs.push(FieldError::new("note", "err-watch-note"));
    } else if note.chars().count() > 300 {
        errs.push(FieldError::new("note", "err-watch-note-long"));
    }
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    let id = Uuid::now_v7();
    let due_at = at_noon(due);
    let remind_at = (due_at - Duration::days(remind_days)).max(now);
    on_tx!(&mut tx, cn => sqlx::query(
        "INSERT INTO watch (tenant_id, id, case_id, record_id, owner_id, due_at, remind_at, note, state, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10)")
        .bind(t.0).bind(id).bind(case).bind(record.as_ref().map(|r| r.0)).bind(s.user_id.0).bind(due_at).bind(remind_at).bind(note).bind(&s.name).bind(now)
        .execute(cn).await?.rows_affected());
    let text = match &record {
        Some((_, label)) => format!("Bevakning av {label} till {due}: {note}"),
        None => format!("Bevakning till {due}: {note}"),
    };
    crate::store::add_event(&mut tx, t, case, &s.name, "watch", &text, now).await?;
    let (entity, entity_id) = match &record {
        Some((r, _)) => ("record", *r),
        None => ("case", case),
    };
    audit::record(
        &mut tx,
        Some(t),
        &Actor::of(&Principal::Staff(s.clone())),
        Event::new("watch.created", entity, entity_id).with(serde_json::json!({ "due": due.to_string() })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Marks the user's own watch as done.
pub async fn done(db: &Db, s: &StaffUser, id: Uuid, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let n = on_tx!(&mut tx, c => sqlx::query("UPDATE watch SET state = 'done' WHERE tenant_id = $1 AND id = $2 AND owner_id = $3 AND state = 'open'")
        .bind(t.0).bind(id).bind(s.user_id.0).execute(c).await?.rows_affected());
    if n == 0 {
        return Err(Error::NotFound);
    }
    audit::record(&mut tx, Some(t), &Actor::of(&Principal::Staff(s.clone())), Event::new("watch.done", "watch", id), now).await?;
    tx.commit().await?;
    Ok(())
}

/// The reminder of a due watch, to its owner, in the owner's language; `url` is the watched
/// case or record on the municipality's own host.
pub const REMINDER: NotificationTemplate = NotificationTemplate {
    key: "cases.watch-reminder",
    sender: Sender::Municipality,
    label: "notification-watch-reminder",
    fields: &["name", "number", "title", "due", "note", "url", "municipality"],
    sv: Text {
        subject: "Bevakning {{number}}: {{due}}",
        body: "Hej {{name}}!\n\nDin bevakning i ärende {{number}} ({{title}}) infaller {{due}}:\n\n{{note}}\n\n{{url}}\n",
    },
    en: Text {
        subject: "Watch {{number}}: {{due}}",
        body: "Hello {{name}},\n\nYour watch on case {{number}} ({{title}}) falls due on {{due}}:\n\n{{note}}\n\n{{url}}\n",
    },
};

/// The notification templates case management sends (`Module::notifications`).
pub fn notifications() -> Vec<NotificationTemplate> {
    vec![REMINDER]
}

/// The background job: queues one reminder e-mail per due watch, in the same transaction
/// that marks it reminded, so no reminder is lost or sent twice.
pub fn remind_job(ctx: JobCtx) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<usize>> + Send>> {
    Box::pin(async move { remind_due(&ctx).await })
}

pub async fn remind_due(ctx: &JobCtx) -> Result<usize> {
    let (db, now) = (&ctx.db, ctx.now);
    let mut tx = db.read(Scope::System).await?;
    let due: Vec<(Uuid, Uuid)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT tenant_id, id FROM watch WHERE state = 'open' AND reminded_at IS NULL AND remind_at <= $1 ORDER BY remind_at LIMIT 100")
        .bind(now).fetch_all(c).await?);
    tx.commit().await?;
    for (tenant, id) in &due {
        let t = TenantId(*tenant);
        let mut tx = db.write(Scope::Tenant(t)).await?;
        let sql = format!("{SELECT} WHERE w.tenant_id = $1 AND w.id = $2 AND w.reminded_at IS NULL");
        let w: Option<WatchRow> =
            on_tx!(&mut tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(*id).fetch_optional(c).await?);
        let Some(w) = w else { continue };
        let owner = radhus_platform::identity::users::summary(&mut tx, t, UserId(w.owner_id)).await?;
        if owner.active {
            let lang = radhus_platform::identity::users::lang(&mut tx, t, UserId(w.owner_id)).await?;
            let municipality = radhus_platform::tenancy::get(&mut tx, t).await?.name;
            let url = format!("{}{}", ctx.tenant_url(&mut tx, t).await?, w.path());
            let due = w.due_at.date().to_string();
            let vars = [
                ("name", owner.name.as_str()),
                ("number", w.number.as_str()),
                ("title", w.case_title.as_str()),
                ("due", due.as_str()),
                ("note", w.note.as_str()),
                ("url", url.as_str()),
                ("municipality", municipality.as_str()),
            ];
            outbox::notify(&mut tx, Some(t), &Notice { template: &REMINDER, lang, to: &owner.email, vars: &vars }, now).await?;
        }
        on_tx!(&mut tx, c => sqlx::query("UPDATE watch SET reminded_at = $3 WHERE tenant_id = $1 AND id = $2").bind(t.0).bind(*id).bind(now).execute(c).await?.rows_affected());
        audit::record(&mut tx, Some(t), &Actor::system(), Event::new("watch.reminded", "watch", id), now).await?;
        tx.commit().await?;
    }
    Ok(due.len())
}

/// A due date as forms and the API give it (`YYYY-MM-DD`).
pub fn parse_due(s: &str) -> Result<Date> {
    Date::parse(s.trim(), &time::format_description::well_known::Iso8601::DATE).map_err(|_| Error::invalid("due", "err-date"))
}

// ------------------------------------------------------------------ feeds

/// Makes the user a new feed token (the old one stops working); only its SHA-256 is stored,
/// so the token is returned to be shown once.
pub async fn new_feed_token(db: &Db, s: &StaffUser, now: OffsetDateTime) -> Result<String> {
    let t = s.tenant_id;
    let token = random_token(32);
    let mut tx = db.write(Scope::Tenant(t)).await?;
    on_tx!(&mut tx, c => sqlx::query("DELETE FROM feed_token WHERE tenant_id = $1 AND user_id = $2").bind(t.0).bind(s.user_id.0).execute(c).await?.rows_affected());
    on_tx!(&mut tx, c => sqlx::query("INSERT INTO feed_token (tenant_id, user_id, token_hash, created_at) VALUES ($1, $2, $3, $4)")
        .bind(t.0).bind(s.user_id.0).bind(sha256_hex(token.as_bytes())).bind(now).execute(c).await?.rows_affected());
    audit::record(&mut tx, Some(t), &Actor::of(&Principal::Staff(s.clone())), Event::new("feed_token.created", "user", s.user_id), now)
        .await?;
    tx.commit().await?;
    Ok(token)
}

/// The owner of a feed token of municipality `t` and their open watches on cases they may
/// still read; a wrong token is "not found". Reading a feed is logged.
pub async fn feed(db: &Db, t: TenantId, token: &str, now: OffsetDateTime) -> Result<(Uuid, Vec<WatchRow>)> {
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let row: Option<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT user_id FROM feed_token WHERE tenant_id = $1 AND token_hash = $2")
        .bind(t.0).bind(sha256_hex(token.as_bytes())).fetch_optional(c).await?);
    let (user,) = row.ok_or(Error::NotFound)?;
    // The feed speaks for its owner only while the owner is active, and shows only what the
    // owner may still read: a deactivated user's tokens are deleted at their next use.
    let Some(owner) = radhus_platform::identity::users::staff_user(&mut tx, t, UserId(user)).await? else {
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM feed_token WHERE tenant_id = $1 AND user_id = $2").bind(t.0).bind(user).execute(c).await?.rows_affected());
        audit::record(&mut tx, Some(t), &Actor::system(), Event::new("feed.token_retired", "user", user), now).await?;
        tx.commit().await?;
        return Err(Error::NotFound);
    };
    let mut watches = vec![];
    for w in of_owner(&mut tx, t, user).await? {
        match service::readable_case(&mut tx, &owner, w.case_id).await {
            Ok(_) => watches.push(w),
            Err(Error::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    audit::record(
        &mut tx,
        Some(t),
        &Actor { kind: "staff", id: user.to_string(), name: "flöde".into() },
        Event::new("feed.read", "user", user),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((user, watches))
}

/// The watches as an iCalendar feed: one all-day event on each due date (`radhus_kernel::ical`).
pub fn calendar(watches: &[WatchRow], base: &str, now: OffsetDateTime) -> String {
    let events: Vec<ical::CalEvent> = watches
        .iter()
        .map(|w| ical::CalEvent {
            uid: format!("{}@radhus", w.id),
            when: ical::When::AllDay(w.due_at.date()),
            summary: format!("{}: {}", w.number, w.note),
            description: w.case_title.clone(),
            location: String::new(),
            url: format!("{base}{}", w.path()),
        })
        .collect();
    ical::calendar("-//Radhus//Bevakningar//SV", Some("Bevakningar"), &events, now)
}
