//! Courses of an election: the course types the staffing rules ask for ('grund' for
//! röstmottagare, 'ordforande' for ordförande and vice ordförande), their sessions, enrolment
//! with a waitlist, attendance and completion, and the iCalendar files of the sessions.
//!
//! Use cases open one transaction each and write an audit event. The SQL is private to this
//! file; the poll worker's pages (`worker`) reuse the `*_tx` functions.

pub mod web;

use radhus_kernel::ical::{CalEvent, When};
use radhus_kernel::ids::TenantId;
use radhus_kernel::tz::{from_stockholm, stockholm};
use radhus_platform::db::{Db, DbKind, Scope, Tx};
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::session::StaffUser;
use radhus_platform::on_tx;
use radhus_platform::outbox::templates::{NotificationTemplate, Sender, Text};
use radhus_platform::outbox::{self, Notice};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::error::ElectionError;
use crate::structure::service::election_in;
use crate::structure::store::ElectionRow;
use crate::support::audit::audit;
use crate::support::office::require_office;

/// "tisdag 18 augusti 18:00–21:00", in Swedish: for the e-mails (see `view::weekday_date`).
pub fn session_when(s: &SessionRow) -> String {
    when_with(s, crate::support::view::weekday_date)
}

/// A session's time with its weekday in the reader's language, for pages.
pub fn session_when_in(tr: &radhus_platform::web::Tr, s: &SessionRow) -> String {
    when_with(s, |d| crate::support::view::weekday_date_in(tr, d))
}

fn when_with(s: &SessionRow, weekday_date: impl Fn(time::Date) -> String) -> String {
    let a = stockholm(s.starts_at);
    let b = stockholm(s.ends_at);
    if a.date() == b.date() {
        format!("{} {}–{}", weekday_date(a.date()), crate::support::view::hm(a.time()), crate::support::view::hm(b.time()))
    } else {
        format!(
            "{} {} – {} {}",
            weekday_date(a.date()),
            crate::support::view::hm(a.time()),
            weekday_date(b.date()),
            crate::support::view::hm(b.time())
        )
    }
}

// ------------------------------------------------------------------ rows

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CourseRow {
    pub id: Uuid,
    pub course_key: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SessionRow {
    pub id: Uuid,
    pub course_id: Uuid,
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
    pub place: String,
    pub capacity: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EnrolmentRow {
    pub session_id: Uuid,
    pub person_id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub status: String,
    pub attended: Option<bool>,
    pub completed_at: Option<OffsetDateTime>,
    pub enrolled_by: String,
    pub enrolled_at: OffsetDateTime,
}

impl EnrolmentRow {
    pub fn name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
    pub fn is_enrolled(&self) -> bool {
        self.status == "enrolled"
    }
    pub fn is_waitlisted(&self) -> bool {
        self.status == "waitlisted"
    }
    pub fn is_active(&self) -> bool {
        self.status != "cancelled"
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CompletionRow {
    pub course_id: Uuid,
    pub person_id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub note: String,
    pub completed_at: OffsetDateTime,
}

impl CompletionRow {
    pub fn name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

/// An applicant of the election who may be enrolled (accepted or reserve).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CandidateRow {
    pub person_id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub status: String,
    pub roles_wanted: String,
}

impl CandidateRow {
    pub fn name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

// ------------------------------------------------------------------ SQL

pub(crate) async fn courses(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<CourseRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT id, course_key, name, description FROM el_course WHERE tenant_id = $1 AND election_id = $2 \
         ORDER BY CASE course_key WHEN 'grund' THEN 0 ELSE 1 END")
        .bind(t.0).bind(e).fetch_all(c).await?))
}

async fn insert_course(tx: &mut Tx, t: TenantId, e: Uuid, c: &CourseRow) -> Result<()> {
    on_tx!(tx, x => sqlx::query(
        "INSERT INTO el_course (tenant_id, election_id, id, course_key, name, description) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(t.0).bind(e).bind(c.id).bind(&c.course_key).bind(&c.name).bind(&c.description).execute(x).await?.rows_affected());
    Ok(())
}

pub(crate) async fn sessions(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<SessionRow>> {
    let mut v: Vec<SessionRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, course_id, starts_at, ends_at, place, CAST(capacity AS BIGINT) AS capacity FROM el_session WHERE tenant_id = $1 AND election_id = $2")
        .bind(t.0).bind(e).fetch_all(c).await?);
    v.sort_by_key(|s| (s.starts_at, s.id));
    Ok(v)
}

/// One session; on PostgreSQL the row is locked for the rest of the transaction, so two
/// enrolments cannot both take the last place (SQLite write transactions are serial anyway).
async fn session_locked(tx: &mut Tx, t: TenantId, e: Uuid, id: Uuid) -> Result<Option<SessionRow>> {
    let sql = if tx.kind() == DbKind::Postgres {
        "SELECT id, course_id, starts_at, ends_at, place, CAST(capacity AS BIGINT) AS capacity FROM el_session WHERE tenant_id = $1 AND election_id = $2 AND id = $3 FOR UPDATE"
    } else {
        "SELECT id, course_id, starts_at, ends_at, place, CAST(capacity AS BIGINT) AS capacity FROM el_session WHERE tenant_id = $1 AND election_id = $2 AND id = $3"
    };
    Ok(on_tx!(tx, c => sqlx::query_as(sql).bind(t.0).bind(e).bind(id).fetch_optional(c).await?))
}

async fn insert_session(tx: &mut Tx, t: TenantId, e: Uuid, s: &SessionRow) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO el_session (tenant_id, election_id, id, course_id, starts_at, ends_at, place, capacity) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(t.0).bind(e).bind(s.id).bind(s.course_id).bind(s.starts_at).bind(s.ends_at).bind(&s.place).bind(s.capacity)
        .execute(c).await?.rows_affected());
    Ok(())
}

macro_rules! enrolment_select {
    () => {
        "SELECT n.session_id, n.person_id, p.given_name, p.family_name, p.email, n.status, n.attended, n.completed_at, n.enrolled_by, n.enrolled_at \
         FROM el_enrolment n JOIN el_person p ON p.tenant_id = n.tenant_id AND p.id = n.person_id \
         WHERE n.tenant_id = $1 AND n.election_id = $2"
    };
}

fn sort_enrolments(v: &mut [EnrolmentRow]) {
    v.sort_by_key(|a| (a.enrolled_at, a.person_id));
}

/// Every enrolment of the election (all statuses), in the order people enrolled.
pub(crate) async fn enrolments(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<EnrolmentRow>> {
    let mut v: Vec<EnrolmentRow> = on_tx!(tx, c => sqlx::query_as(enrolment_select!()).bind(t.0).bind(e).fetch_all(c).await?);
    sort_enrolments(&mut v);
    Ok(v)
}

pub(crate) async fn enrolments_of_session(tx: &mut Tx, t: TenantId, e: Uuid, session: Uuid) -> Result<Vec<EnrolmentRow>> {
    let sql = concat!(enrolment_select!(), " AND n.session_id = $3");
    let mut v: Vec<EnrolmentRow> = on_tx!(tx, c => sqlx::query_as(sql).bind(t.0).bind(e).bind(session).fetch_all(c).await?);
    sort_enrolments(&mut v);
    Ok(v)
}

pub(crate) async fn enrolments_of_person(tx: &mut Tx, t: TenantId, e: Uuid, person: Uuid) -> Result<Vec<EnrolmentRow>> {
    let sql = concat!(enrolment_select!(), " AND n.person_id = $3");
    let mut v: Vec<EnrolmentRow> = on_tx!(tx, c => sqlx::query_as(sql).bind(t.0).bind(e).bind(person).fetch_all(c).await?);
    sort_enrolments(&mut v);
    Ok(v)
}

#[allow(clippy::too_many_arguments)]
async fn upsert_enrolment(
    tx: &mut Tx,
    t: TenantId,
    e: Uuid,
    session: Uuid,
    person: Uuid,
    status: &str,
    by: &str,
    now: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO el_enrolment (tenant_id, election_id, session_id, person_id, status, attended, completed_at, enrolled_by, enrolled_at) \
         VALUES ($1, $2, $3, $4, $5, NULL, NULL, $6, $7) \
         ON CONFLICT (tenant_id, election_id, session_id, person_id) DO UPDATE SET status = excluded.status, attended = NULL, \
         completed_at = NULL, enrolled_by = excluded.enrolled_by, enrolled_at = excluded.enrolled_at")
        .bind(t.0).bind(e).bind(session).bind(person).bind(status).bind(by).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

async fn set_status(tx: &mut Tx, t: TenantId, e: Uuid, session: Uuid, person: Uuid, status: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE el_enrolment SET status = $5 WHERE tenant_id = $1 AND election_id = $2 AND session_id = $3 AND person_id = $4")
        .bind(t.0).bind(e).bind(session).bind(person).bind(status).execute(c).await?.rows_affected());
    Ok(())
}

async fn set_attendance(
    tx: &mut Tx,
    t: TenantId,
    e: Uuid,
    session: Uuid,
    person: Uuid,
    attended: bool,
    completed: Option<OffsetDateTime>,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE el_enrolment SET attended = $5, completed_at = $6 WHERE tenant_id = $1 AND election_id = $2 AND session_id = $3 AND person_id = $4")
        .bind(t.0).bind(e).bind(session).bind(person).bind(attended).bind(completed).execute(c).await?.rows_affected());
    Ok(())
}

pub(crate) async fn completions(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<CompletionRow>> {
    let mut v: Vec<CompletionRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT x.course_id, x.person_id, p.given_name, p.family_name, x.note, x.completed_at FROM el_completion x \
         JOIN el_person p ON p.tenant_id = x.tenant_id AND p.id = x.person_id WHERE x.tenant_id = $1 AND x.election_id = $2")
        .bind(t.0).bind(e).fetch_all(c).await?);
    v.sort_by(|a, b| (&a.family_name, &a.given_name).cmp(&(&b.family_name, &b.given_name)));
    Ok(v)
}

/// The election's applicants with status accepted or reserve, by name.
pub(crate) async fn candidates(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<CandidateRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT a.person_id, p.given_name, p.family_name, p.email, a.status, a.roles_wanted FROM el_application a \
         JOIN el_person p ON p.tenant_id = a.tenant_id AND p.id = a.person_id \
         WHERE a.tenant_id = $1 AND a.election_id = $2 AND a.status IN ('accepted', 'reserve') ORDER BY p.family_name, p.given_name, p.id")
        .bind(t.0).bind(e).fetch_all(c).await?))
}

/// (person id, course_key) for every completed course of the election: attended sessions and
/// completions the office recorded directly. For the staffing rules (`RuleSet::course_for`).
pub async fn completed_courses(tx: &mut Tx, t: TenantId, election: Uuid) -> Result<Vec<(Uuid, String)>> {
    let mut v: Vec<(Uuid, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT n.person_id, k.course_key FROM el_enrolment n \
         JOIN el_session s ON s.tenant_id = n.tenant_id AND s.election_id = n.election_id AND s.id = n.session_id \
         JOIN el_course k ON k.tenant_id = s.tenant_id AND k.election_id = s.election_id AND k.id = s.course_id \
         WHERE n.tenant_id = $1 AND n.election_id = $2 AND n.completed_at IS NOT NULL \
         UNION SELECT x.person_id, k.course_key FROM el_completion x \
         JOIN el_course k ON k.tenant_id = x.tenant_id AND k.election_id = x.election_id AND k.id = x.course_id \
         WHERE x.tenant_id = $1 AND x.election_id = $2")
        .bind(t.0).bind(election).fetch_all(c).await?);
    v.sort();
    v.dedup();
    Ok(v)
}

// ------------------------------------------------------------------ courses and sessions

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CourseInput {
    #[serde(default)]
    pub course_key: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
}

pub const COURSE_KEYS: [&str; 2] = ["grund", "ordforande"];

impl CourseInput {
    /// The course's name, required.
    fn valid_name(&self) -> Result<&str> {
        Some(self.name.trim()).filter(|n| !n.is_empty()).ok_or_else(|| Error::invalid("name", "el-courses-name-missing"))
    }
}

pub async fn create_course(db: &Db, s: &StaffUser, e: Uuid, f: &CourseInput, now: OffsetDateTime) -> Result<Uuid> {
    require_office(s)?;
    let key = f.course_key.trim();
    if !COURSE_KEYS.contains(&key) {
        return Err(Error::invalid("course_key", "el-courses-choose-course"));
    }
    let name = f.valid_name()?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    if courses(&mut tx, t, e).await?.iter().any(|c| c.course_key == key) {
        return Err(ElectionError::CourseExists.into());
    }
    let c = CourseRow { id: Uuid::now_v7(), course_key: key.into(), name: name.into(), description: f.description.trim().into() };
    insert_course(&mut tx, t, e, &c).await?;
    audit(&mut tx, s, "elections.courses.created", "el_course", c.id, serde_json::json!({ "election": e, "course_key": key }), now).await?;
    tx.commit().await?;
    Ok(c.id)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SessionInput {
    #[serde(default)]
    pub course: String,
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub ends: String,
    #[serde(default)]
    pub session_place: String,
    #[serde(default)]
    pub session_capacity: String,
}

/// When, where and how many of a session form: (starts_at, ends_at, place, capacity).
fn session_fields(f: &SessionInput) -> Result<(OffsetDateTime, OffsetDateTime, String, i64)> {
    let day = crate::support::parse::parse_date("day", &f.day)?;
    let starts = crate::support::parse::parse_time("starts", &f.starts)?;
    let ends = crate::support::parse::parse_time("ends", &f.ends)?;
    let place = f.session_place.trim();
    if place.is_empty() {
        return Err(Error::invalid("session_place", "el-courses-place-missing"));
    }
    let capacity: i64 = f
        .session_capacity
        .trim()
        .parse()
        .ok()
        .filter(|n| (1..=1000).contains(n))
        .ok_or_else(|| Error::invalid("session_capacity", "el-courses-bad-capacity"))?;
    if ends <= starts {
        return Err(ElectionError::SessionTimes.into());
    }
    Ok((from_stockholm(day, starts), from_stockholm(day, ends), place.to_string(), capacity))
}

impl SessionInput {
    /// The form filled with a session's values (Swedish local time), for editing.
    pub fn of(s: &SessionRow) -> SessionInput {
        let (a, b) = (stockholm(s.starts_at), stockholm(s.ends_at));
        SessionInput {
            course: s.course_id.to_string(),
            day: a.date().to_string(),
            starts: crate::support::view::hm(a.time()),
            ends: crate::support::view::hm(b.time()),
            session_place: s.place.clone(),
            session_capacity: s.capacity.to_string(),
        }
    }
}

/// Adds a session of a course; the times are Swedish local time on `day`.
pub async fn add_session(db: &Db, s: &StaffUser, e: Uuid, f: &SessionInput, now: OffsetDateTime) -> Result<Uuid> {
    require_office(s)?;
    let course = Uuid::parse_str(f.course.trim()).map_err(|_| Error::invalid("course_key", "el-courses-choose-course"))?;
    let (starts_at, ends_at, place, capacity) = session_fields(f)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    if !courses(&mut tx, t, e).await?.iter().any(|c| c.id == course) {
        return Err(Error::invalid("course_key", "el-courses-choose-course"));
    }
    let row = SessionRow { id: Uuid::now_v7(), course_id: course, starts_at, ends_at, place, capacity };
    insert_session(&mut tx, t, e, &row).await?;
    audit(
        &mut tx,
        s,
        "elections.courses.session_created",
        "el_session",
        row.id,
        serde_json::json!({ "election": e, "course": course, "starts_at": row.starts_at.to_string(), "capacity": capacity }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(row.id)
}

/// Changes the name and description of a course type (its kind stays).
pub async fn update_course(db: &Db, s: &StaffUser, e: Uuid, course: Uuid, f: &CourseInput, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let name = f.valid_name()?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    let n = on_tx!(&mut tx, c => sqlx::query(
        "UPDATE el_course SET name = $4, description = $5 WHERE tenant_id = $1 AND election_id = $2 AND id = $3")
        .bind(t.0).bind(e).bind(course).bind(name).bind(f.description.trim()).execute(c).await?.rows_affected());
    if n == 0 {
        return Err(Error::NotFound);
    }
    audit(&mut tx, s, "elections.courses.updated", "el_course", course, serde_json::json!({ "election": e, "name": name }), now).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a course type that has no sessions and no completions (`VAL-189` otherwise).
pub async fn remove_course(db: &Db, s: &StaffUser, e: Uuid, course: Uuid, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    let c = courses(&mut tx, t, e).await?.into_iter().find(|c| c.id == course).ok_or(Error::NotFound)?;
    if sessions(&mut tx, t, e).await?.iter().any(|x| x.course_id == course)
        || completions(&mut tx, t, e).await?.iter().any(|x| x.course_id == course)
    {
        return Err(ElectionError::CourseInUse.into());
    }
    on_tx!(&mut tx, x => sqlx::query("DELETE FROM el_course WHERE tenant_id = $1 AND election_id = $2 AND id = $3")
        .bind(t.0).bind(e).bind(course).execute(x).await?.rows_affected());
    audit(
        &mut tx,
        s,
        "elections.courses.removed",
        "el_course",
        course,
        serde_json::json!({ "election": e, "course_key": c.course_key }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Changes the time, place or capacity of a session that has not begun. Fewer places than
/// people enrolled is refused; new places go to the waitlist in order; everyone on the session
/// is told of a new time or place by e-mail.
pub async fn update_session(
    db: &Db,
    s: &StaffUser,
    e: Uuid,
    session: Uuid,
    f: &SessionInput,
    link: &str,
    now: OffsetDateTime,
) -> Result<()> {
    require_office(s)?;
    let (starts_at, ends_at, place, capacity) = session_fields(f)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let el = election_in(&mut tx, t, e).await?;
    let old = session_locked(&mut tx, t, e, session).await?.ok_or(Error::NotFound)?;
    if old.starts_at <= now {
        return Err(ElectionError::SessionBegun.into());
    }
    let list = enrolments_of_session(&mut tx, t, e, session).await?;
    let enrolled = list.iter().filter(|n| n.is_enrolled()).count() as i64;
    if capacity < enrolled {
        return Err(ElectionError::CapacityBelow.into());
    }
    on_tx!(&mut tx, c => sqlx::query(
        "UPDATE el_session SET starts_at = $4, ends_at = $5, place = $6, capacity = $7 WHERE tenant_id = $1 AND election_id = $2 AND id = $3")
        .bind(t.0).bind(e).bind(session).bind(starts_at).bind(ends_at).bind(&place).bind(capacity).execute(c).await?.rows_affected());
    let new = SessionRow { id: session, course_id: old.course_id, starts_at, ends_at, place, capacity };
    let promote: Vec<&EnrolmentRow> = list.iter().filter(|n| n.is_waitlisted()).take((capacity - enrolled) as usize).collect();
    for n in &promote {
        set_status(&mut tx, t, e, session, n.person_id, "enrolled").await?;
    }
    let moved = (old.starts_at, old.ends_at, &old.place) != (new.starts_at, new.ends_at, &new.place);
    let cname = course_name(&mut tx, t, e, new.course_id).await?;
    for n in list.iter().filter(|n| n.is_active()) {
        let promoted = promote.iter().any(|p| p.person_id == n.person_id);
        let template = match (promoted, moved) {
            (true, _) => &PLACE,
            (false, true) => &SESSION_CHANGED,
            (false, false) => continue,
        };
        mail(&mut tx, t, n, template, &cname, &el.name, &new, link, now).await?;
    }
    audit(
        &mut tx,
        s,
        "elections.courses.session_updated",
        "el_session",
        session,
        serde_json::json!({
            "election": e, "starts_at": new.starts_at.to_string(), "place": new.place, "capacity": capacity,
            "moved": moved, "promoted": promote.len(),
        }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a session that has not begun and has nobody enrolled or waitlisted (cancelled
/// enrolments go with it).
pub async fn remove_session(db: &Db, s: &StaffUser, e: Uuid, session: Uuid, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    let ses = session_locked(&mut tx, t, e, session).await?.ok_or(Error::NotFound)?;
    if ses.starts_at <= now {
        return Err(ElectionError::SessionBegun.into());
    }
    if enrolments_of_session(&mut tx, t, e, session).await?.iter().any(|n| n.is_active()) {
        return Err(ElectionError::SessionHasPeople.into());
    }
    on_tx!(&mut tx, c => sqlx::query("DELETE FROM el_enrolment WHERE tenant_id = $1 AND election_id = $2 AND session_id = $3")
        .bind(t.0).bind(e).bind(session).execute(c).await?.rows_affected());
    on_tx!(&mut tx, c => sqlx::query("DELETE FROM el_session WHERE tenant_id = $1 AND election_id = $2 AND id = $3")
        .bind(t.0).bind(e).bind(session).execute(c).await?.rows_affected());
    audit(
        &mut tx,
        s,
        "elections.courses.session_removed",
        "el_session",
        session,
        serde_json::json!({ "election": e, "course": ses.course_id, "starts_at": ses.starts_at.to_string() }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ------------------------------------------------------------------ enrolment

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enrolled {
    /// Has a place.
    Place,
    /// The session is full: on the waitlist.
    Waitlist,
}

/// Enrols a person in a session in the caller's transaction: checks the application, the
/// course not already booked or completed, and gives a place or the waitlist.
pub(crate) async fn enrol_tx(
    tx: &mut Tx,
    t: TenantId,
    e: Uuid,
    session: Uuid,
    person: Uuid,
    by: &str,
    now: OffsetDateTime,
) -> Result<(SessionRow, Enrolled)> {
    let ses = session_locked(tx, t, e, session).await?.ok_or(Error::NotFound)?;
    if !candidates(tx, t, e).await?.iter().any(|c| c.person_id == person) {
        return Err(ElectionError::NotApplicant.into());
    }
    let same_course: Vec<Uuid> = sessions(tx, t, e).await?.into_iter().filter(|x| x.course_id == ses.course_id).map(|x| x.id).collect();
    let mine = enrolments_of_person(tx, t, e, person).await?;
    if mine.iter().any(|n| same_course.contains(&n.session_id) && n.completed_at.is_some())
        || completions(tx, t, e).await?.iter().any(|c| c.person_id == person && c.course_id == ses.course_id)
    {
        return Err(ElectionError::AlreadyCompleted.into());
    }
    if mine.iter().any(|n| same_course.contains(&n.session_id) && n.is_active()) {
        return Err(ElectionError::AlreadyEnrolled.into());
    }
    let taken = enrolments_of_session(tx, t, e, session).await?.iter().filter(|n| n.is_enrolled()).count() as i64;
    let outcome = if taken < ses.capacity { Enrolled::Place } else { Enrolled::Waitlist };
    let status = if outcome == Enrolled::Place { "enrolled" } else { "waitlisted" };
    upsert_enrolment(tx, t, e, session, person, status, by, now).await?;
    Ok((ses, outcome))
}

/// Cancels an enrolment in the caller's transaction; when it held a place, the first on the
/// waitlist gets it and is told by e-mail. Returns who was promoted.
pub(crate) async fn cancel_tx(
    tx: &mut Tx,
    t: TenantId,
    el: &ElectionRow,
    session: Uuid,
    person: Uuid,
    link: &str,
    now: OffsetDateTime,
) -> Result<Option<Uuid>> {
    let ses = session_locked(tx, t, el.id, session).await?.ok_or(Error::NotFound)?;
    let list = enrolments_of_session(tx, t, el.id, session).await?;
    let me = list.iter().find(|n| n.person_id == person && n.is_active()).ok_or_else(|| Error::from(ElectionError::NotEnrolled))?;
    if me.completed_at.is_some() {
        return Err(ElectionError::AlreadyCompleted.into());
    }
    set_status(tx, t, el.id, session, person, "cancelled").await?;
    if !me.is_enrolled() {
        return Ok(None);
    }
    let Some(next) = list.iter().find(|n| n.is_waitlisted()) else { return Ok(None) };
    set_status(tx, t, el.id, session, next.person_id, "enrolled").await?;
    let cname = course_name(tx, t, el.id, ses.course_id).await?;
    mail(tx, t, next, &PLACE, &cname, &el.name, &ses, link, now).await?;
    Ok(Some(next.person_id))
}

/// The name of one of the election's courses (empty if it is gone), for e-mails.
async fn course_name(tx: &mut Tx, t: TenantId, e: Uuid, course: Uuid) -> Result<String> {
    Ok(courses(tx, t, e).await?.into_iter().find(|c| c.id == course).map(|c| c.name).unwrap_or_default())
}

/// Queues one of the course mails to a person on a session; nothing for someone without an
/// address. Poll workers have no language of their own on file: Swedish.
#[allow(clippy::too_many_arguments)]
async fn mail(
    tx: &mut Tx,
    t: TenantId,
    n: &EnrolmentRow,
    template: &NotificationTemplate,
    course: &str,
    election: &str,
    s: &SessionRow,
    link: &str,
    now: OffsetDateTime,
) -> Result<()> {
    let to = n.email.trim();
    if !to.is_empty() {
        let when = session_when(s);
        let vars = [
            ("name", n.given_name.as_str()),
            ("course", course),
            ("election", election),
            ("when", when.as_str()),
            ("place", s.place.as_str()),
            ("url", link),
        ];
        let lang = radhus_kernel::Lang::Sv;
        outbox::notify(tx, Some(t), &Notice { template, lang, to, vars: &vars }, now).await?;
    }
    Ok(())
}

const COURSE_FIELDS: &[&str] = &["name", "course", "election", "when", "place", "url"];

/// Booked on a course session (by the office or the person).
pub const ENROLLED: NotificationTemplate = NotificationTemplate {
    key: "elections.course-enrolled",
    sender: Sender::Municipality,
    label: "el-notification-course-enrolled",
    fields: COURSE_FIELDS,
    sv: Text {
        subject: "Anmäld till {{course}}",
        body: "Hej {{name}}!\n\nDu är anmäld till {{course}} inför {{election}}.\n\nTid: {{when}}\nPlats: {{place}}\n\nDina utbildningar och en kalenderfil finns på {{url}}\n",
    },
    en: Text {
        subject: "Booked on {{course}}",
        body: "Hello {{name}},\n\nYou are booked on {{course}} before {{election}}.\n\nTime: {{when}}\nPlace: {{place}}\n\nYour courses and a calendar file are at {{url}}\n",
    },
};

/// The session is full: on the waitlist.
pub const WAITLISTED: NotificationTemplate = NotificationTemplate {
    key: "elections.course-waitlisted",
    sender: Sender::Municipality,
    label: "el-notification-course-waitlisted",
    fields: COURSE_FIELDS,
    sv: Text {
        subject: "Reservplats: {{course}}",
        body: "Hej {{name}}!\n\nTillfället är fullt och du står på reservlistan till {{course}} inför {{election}}. Blir en plats ledig får du ett nytt besked.\n\nTid: {{when}}\nPlats: {{place}}\n\nDina utbildningar och en kalenderfil finns på {{url}}\n",
    },
    en: Text {
        subject: "Waitlist: {{course}}",
        body: "Hello {{name}},\n\nThe session is full and you are on the waitlist for {{course}} before {{election}}. If a place becomes free, you will hear from us again.\n\nTime: {{when}}\nPlace: {{place}}\n\nYour courses and a calendar file are at {{url}}\n",
    },
};

/// A place became free (a cancellation or a larger session): off the waitlist.
pub const PLACE: NotificationTemplate = NotificationTemplate {
    key: "elections.course-place",
    sender: Sender::Municipality,
    label: "el-notification-course-place",
    fields: COURSE_FIELDS,
    sv: Text {
        subject: "Du har fått en plats: {{course}}",
        body: "Hej {{name}}!\n\nEn plats blev ledig och du är nu anmäld till {{course}} inför {{election}}.\n\nTid: {{when}}\nPlats: {{place}}\n\nDina utbildningar och en kalenderfil finns på {{url}}\n\nVälkommen!\n",
    },
    en: Text {
        subject: "You have a place: {{course}}",
        body: "Hello {{name}},\n\nA place became free and you are now booked on {{course}} before {{election}}.\n\nTime: {{when}}\nPlace: {{place}}\n\nYour courses and a calendar file are at {{url}}\n\nWelcome!\n",
    },
};

/// The time or place of a booked session changed.
pub const SESSION_CHANGED: NotificationTemplate = NotificationTemplate {
    key: "elections.course-session-changed",
    sender: Sender::Municipality,
    label: "el-notification-course-session-changed",
    fields: COURSE_FIELDS,
    sv: Text {
        subject: "Ändrat tillfälle: {{course}}",
        body: "Hej {{name}}!\n\nTiden eller platsen för {{course}} inför {{election}} är ändrad.\n\nTid: {{when}}\nPlats: {{place}}\n\nDina utbildningar och en kalenderfil finns på {{url}}\n",
    },
    en: Text {
        subject: "Session changed: {{course}}",
        body: "Hello {{name}},\n\nThe time or place of {{course}} before {{election}} has changed.\n\nTime: {{when}}\nPlace: {{place}}\n\nYour courses and a calendar file are at {{url}}\n",
    },
};

/// The course mails (`Module::notifications`).
pub fn notifications() -> Vec<NotificationTemplate> {
    vec![ENROLLED, WAITLISTED, PLACE, SESSION_CHANGED]
}

/// The link to the poll worker's pages on the municipality's site.
pub fn worker_link(site_url: &str) -> String {
    format!("{site_url}/valarbete/mina-sidor")
}

pub async fn enrol(db: &Db, s: &StaffUser, e: Uuid, session: Uuid, person: Uuid, link: &str, now: OffsetDateTime) -> Result<Enrolled> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let el = election_in(&mut tx, t, e).await?;
    let (ses, outcome) = enrol_tx(&mut tx, t, e, session, person, "office", now).await?;
    notify_enrolment(&mut tx, t, &el, &ses, person, outcome, link, now).await?;
    audit(
        &mut tx,
        s,
        "elections.courses.enrolled",
        "el_session",
        session,
        serde_json::json!({ "person": person, "waitlisted": outcome == Enrolled::Waitlist }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Tells the person by e-mail that they are enrolled (with the session's details) or on the
/// waitlist.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn notify_enrolment(
    tx: &mut Tx,
    t: TenantId,
    el: &ElectionRow,
    ses: &SessionRow,
    person: Uuid,
    outcome: Enrolled,
    link: &str,
    now: OffsetDateTime,
) -> Result<()> {
    let Some(n) = enrolments_of_session(tx, t, el.id, ses.id).await?.into_iter().find(|n| n.person_id == person) else {
        return Ok(());
    };
    if n.email.trim().is_empty() {
        return Ok(());
    }
    let cname = course_name(tx, t, el.id, ses.course_id).await?;
    let template = match outcome {
        Enrolled::Place => &ENROLLED,
        Enrolled::Waitlist => &WAITLISTED,
    };
    mail(tx, t, &n, template, &cname, &el.name, ses, link, now).await
}

pub async fn cancel(db: &Db, s: &StaffUser, e: Uuid, session: Uuid, person: Uuid, link: &str, now: OffsetDateTime) -> Result<Option<Uuid>> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let el = election_in(&mut tx, t, e).await?;
    let promoted = cancel_tx(&mut tx, t, &el, session, person, link, now).await?;
    audit(
        &mut tx,
        s,
        "elections.courses.cancelled",
        "el_session",
        session,
        serde_json::json!({ "person": person, "promoted": promoted }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(promoted)
}

/// Records who attended a session that has begun: everyone with a place is marked attended or
/// not; those who attended have completed the course.
pub async fn record_attendance(db: &Db, s: &StaffUser, e: Uuid, session: Uuid, attended: &[Uuid], now: OffsetDateTime) -> Result<usize> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    let ses = session_locked(&mut tx, t, e, session).await?.ok_or(Error::NotFound)?;
    if ses.starts_at > now {
        return Err(ElectionError::NotHeldYet.into());
    }
    let list = enrolments_of_session(&mut tx, t, e, session).await?;
    let mut n = 0;
    for x in list.iter().filter(|x| x.is_enrolled()) {
        let yes = attended.contains(&x.person_id);
        let completed = if yes { Some(x.completed_at.unwrap_or(now)) } else { None };
        set_attendance(&mut tx, t, e, session, x.person_id, yes, completed).await?;
        n += usize::from(yes);
    }
    audit(
        &mut tx,
        s,
        "elections.courses.attendance",
        "el_session",
        session,
        serde_json::json!({ "attended": n, "enrolled": list.iter().filter(|x| x.is_enrolled()).count() }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CompletionInput {
    #[serde(default)]
    pub course: String,
    #[serde(default)]
    pub enrol_person: String,
    #[serde(default)]
    pub note: String,
}

/// Marks a course completed for a person without a session, with a note of the evidence.
pub async fn complete_directly(db: &Db, s: &StaffUser, e: Uuid, f: &CompletionInput, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let course = Uuid::parse_str(f.course.trim()).map_err(|_| Error::invalid("course_key", "el-courses-choose-course"))?;
    let person = Uuid::parse_str(f.enrol_person.trim()).map_err(|_| Error::invalid("enrol_person", "el-courses-choose-person"))?;
    let note = f.note.trim();
    if note.is_empty() {
        return Err(Error::invalid("completion_note", "el-courses-note-missing"));
    }
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    election_in(&mut tx, t, e).await?;
    if !courses(&mut tx, t, e).await?.iter().any(|c| c.id == course) {
        return Err(Error::invalid("course_key", "el-courses-choose-course"));
    }
    if !candidates(&mut tx, t, e).await?.iter().any(|c| c.person_id == person) {
        return Err(ElectionError::NotApplicant.into());
    }
    let key = courses(&mut tx, t, e).await?.into_iter().find(|c| c.id == course).map(|c| c.course_key).unwrap_or_default();
    if completed_courses(&mut tx, t, e).await?.iter().any(|(p, k)| *p == person && *k == key) {
        return Err(ElectionError::AlreadyCompleted.into());
    }
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO el_completion (tenant_id, election_id, course_id, person_id, note, completed_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(t.0).bind(e).bind(course).bind(person).bind(note).bind(now).bind(s.user_id.0).execute(c).await?.rows_affected());
    audit(&mut tx, s, "elections.courses.completed", "el_course", course, serde_json::json!({ "person": person, "note": note }), now)
        .await?;
    tx.commit().await?;
    Ok(())
}

// ------------------------------------------------------------------ iCalendar (RFC 5545)

/// One session as a calendar event: UID `<uid>@<host>`, the session's times (UTC) and place.
pub fn session_event(host: &str, uid: &str, session: &SessionRow, summary: String, description: String) -> CalEvent {
    CalEvent {
        uid: format!("{uid}@{host}"),
        when: When::Span { start: session.starts_at, end: session.ends_at },
        summary,
        description,
        location: session.place.clone(),
        url: String::new(),
    }
}

/// A calendar of course sessions (the kernel's iCalendar, times in UTC).
pub fn calendar(events: &[CalEvent], now: OffsetDateTime) -> String {
    radhus_kernel::ical::calendar("-//Rådhus//Valadministration//SV", None, events, now)
}

/// The calendar file of one session, for the office (the session with its course's name).
pub async fn session_ics(db: &Db, s: &StaffUser, e: Uuid, session: Uuid, host: &str, now: OffsetDateTime) -> Result<String> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let el = election_in(&mut tx, t, e).await?;
    let ses = sessions(&mut tx, t, e).await?.into_iter().find(|x| x.id == session).ok_or(Error::NotFound)?;
    let course = courses(&mut tx, t, e).await?.into_iter().find(|c| c.id == ses.course_id).ok_or(Error::NotFound)?;
    tx.commit().await?;
    let event = session_event(host, &format!("el-session-{}", ses.id), &ses, format!("{} – {}", course.name, el.name), course.description);
    Ok(calendar(&[event], now))
}

// ------------------------------------------------------------------ demo data

/// Demo data for an election that has accepted applicants: both course types with sessions in
/// August 2026, the applicants enrolled (leaders — by earlier work as ordförande or vice, or by
/// the roles they asked for — in the ordförande course, the rest in the basic course), and
/// most of them marked as attended, some not yet.
pub async fn seed_demo(db: &Db, s: &StaffUser, election: Uuid, now: OffsetDateTime) -> Result<()> {
    let t = s.tenant_id;
    let grund = create_course(
        db,
        s,
        election,
        &CourseInput {
            course_key: "grund".into(),
            name: "Grundutbildning för röstmottagare".into(),
            description:
                "Röstmottagningen steg för steg: legitimation, röstlängd, valsedlar, särskilda röstsätt och rösträkning. Cirka tre timmar."
                    .into(),
        },
        now,
    )
    .await?;
    let ordf = create_course(
        db,
        s,
        election,
        &CourseInput {
            course_key: "ordforande".into(),
            name: "Utbildning för ordförande och vice ordförande".into(),
            description:
                "Ansvaret i vallokalen: arbetsledning, säkerhet, ordning, avvikelser och redovisningen till valnämnden. Cirka fyra timmar."
                    .into(),
        },
        now,
    )
    .await?;
    let plan: [(Uuid, &str, &str, &str, &str, &str); 6] = [
        (grund, "2026-08-11", "18:00", "21:00", "Kommunhuset, sal A", "25"),
        (grund, "2026-08-15", "09:00", "12:00", "Kommunhuset, sal A", "30"),
        (grund, "2026-08-20", "18:00", "21:00", "Biblioteket, hörsalen", "20"),
        (grund, "2026-08-27", "18:00", "21:00", "Kommunhuset, sal B", "25"),
        (ordf, "2026-08-13", "17:30", "21:30", "Kommunhuset, sal B", "20"),
        (ordf, "2026-08-22", "09:00", "13:00", "Kommunhuset, sal A", "20"),
    ];
    let mut ids = vec![];
    for (course, day, a, b, place, cap) in plan {
        let f = SessionInput {
            course: course.to_string(),
            day: day.into(),
            starts: a.into(),
            ends: b.into(),
            session_place: place.into(),
            session_capacity: cap.into(),
        };
        ids.push((course, add_session(db, s, election, &f, now).await?));
    }
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let people = candidates(&mut tx, t, election).await?;
    let leaders: Vec<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT DISTINCT person_id FROM el_person_history WHERE tenant_id = $1 AND role IN ('ordforande', 'vice')")
        .bind(t.0).fetch_all(c).await?);
    tx.commit().await?;
    let is_leader = |p: &CandidateRow| {
        leaders.iter().any(|(id,)| *id == p.person_id) || p.roles_wanted.split(',').any(|r| matches!(r.trim(), "ordforande" | "vice"))
    };
    // Enrol directly (no e-mail for demo people), one transaction for the whole list.
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (mut gi, mut oi) = (0usize, 0usize);
    let grund_sessions: Vec<Uuid> = ids.iter().filter(|(c, _)| *c == grund).map(|(_, s)| *s).collect();
    let ordf_sessions: Vec<Uuid> = ids.iter().filter(|(c, _)| *c == ordf).map(|(_, s)| *s).collect();
    let capacity: Vec<(Uuid, i64)> = sessions(&mut tx, t, election).await?.into_iter().map(|x| (x.id, x.capacity)).collect();
    let mut taken: std::collections::HashMap<Uuid, i64> = std::collections::HashMap::new();
    for p in &people {
        let (list, i) = if is_leader(p) { (&ordf_sessions, &mut oi) } else { (&grund_sessions, &mut gi) };
        // Round robin over the sessions with a free place.
        let free = (0..list.len()).map(|k| list[(*i + k) % list.len()]).find(|sid| {
            let cap = capacity.iter().find(|(id, _)| id == sid).map(|(_, c)| *c).unwrap_or(0);
            taken.get(sid).copied().unwrap_or(0) < cap
        });
        if let Some(session) = free {
            enrol_tx(&mut tx, t, election, session, p.person_id, "office", now).await?;
            *taken.entry(session).or_default() += 1;
            *i += 1;
        }
    }
    // The sessions of the first part of August have been held in the demo's story: everyone
    // but every fifth person attended. The later ones are still ahead.
    let held: Vec<Uuid> = ids.iter().take(2).chain(ids.iter().skip(4).take(1)).map(|(_, s)| *s).collect();
    for session in held {
        for (k, n) in enrolments_of_session(&mut tx, t, election, session).await?.iter().filter(|n| n.is_enrolled()).enumerate() {
            let yes = k % 5 != 4;
            set_attendance(&mut tx, t, election, session, n.person_id, yes, yes.then_some(now)).await?;
        }
    }
    audit(&mut tx, s, "elections.courses.demo", "el_election", election, serde_json::json!({ "people": people.len() }), now).await?;
    tx.commit().await?;
    Ok(())
}
