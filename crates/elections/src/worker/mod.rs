//! The poll worker's own pages at `/valarbete/mina-sidor` on the municipality's site.
//!
//! The visitor logs in with e-ID (a citizen session) or with a one-time e-mail link that starts
//! the same kind of session for the person's personnummer. The person is the `el_person` with
//! that personnummer in this municipality. The page shows, per election the person applied
//! to, the application, the assignment with the station, the colleagues at that station
//! (names and roles only), the courses with enrolment and cancellation, the documents (the
//! appointment letter, the calendar file) and the answer to the offer. Here the use cases and
//! the e-mail link; the pages are in `web`.

pub mod web;

use radhus_kernel::Personnummer;
use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::session::{self, Kind, NewSession, Principal};
use radhus_platform::identity::{random_token, sha256_hex};
use radhus_platform::on_tx;
use radhus_platform::outbox::templates::{NotificationTemplate, Sender, Text};
use radhus_platform::outbox::{self, Channel, Message, Notice};
use radhus_platform::pii;
use radhus_platform::web::Ctx;
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::core::rules::RuleSet;
use crate::courses::{self, CourseRow, Enrolled, EnrolmentRow, SessionRow, session_when_in};
use crate::error::ElectionError;
use crate::structure::service;
use crate::structure::store::{self, ElectionRow};

/// How long an e-mail link works.
pub const LINK_MINUTES: i64 = 30;

// ------------------------------------------------------------------ who is visiting

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonRow {
    pub id: Uuid,
    pub pnr: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
}

impl PersonRow {
    /// The row with its sealed number (selected `pnr_sealed AS pnr`) opened.
    fn opened(mut self) -> Result<Self> {
        pii::open_in_place(&mut self.pnr)?;
        Ok(self)
    }

    pub fn name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

/// The logged-in poll worker: a citizen of this site and their person record.
pub struct Me {
    pub tenant: TenantId,
    pub person: PersonRow,
    pub actor: Actor,
}

enum Visitor {
    Anonymous,
    NotRegistered,
    Worker(Me),
}

/// The person with this number, found by its blind index (ADR 0018).
async fn person_by_pnr(tx: &mut Tx, t: TenantId, pnr: &str) -> Result<Option<PersonRow>> {
    let index = pii::index_str(pnr)?;
    let p: Option<PersonRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, pnr_sealed AS pnr, given_name, family_name, email FROM el_person WHERE tenant_id = $1 AND pnr_index = $2")
        .bind(t.0).bind(index).fetch_optional(c).await?);
    p.map(PersonRow::opened).transpose()
}

async fn visitor(db: &Db, ctx: &Ctx) -> Result<Visitor> {
    let tenant = ctx.require_tenant()?.id;
    let Some(p @ Principal::Citizen { pnr, tenant: Some(ct), .. }) = &ctx.principal else { return Ok(Visitor::Anonymous) };
    if *ct != tenant {
        return Ok(Visitor::Anonymous);
    }
    let mut tx = db.read(Scope::Tenant(tenant)).await?;
    let person = person_by_pnr(&mut tx, tenant, pnr).await?;
    tx.commit().await?;
    Ok(match person {
        Some(person) => Visitor::Worker(Me { tenant, person, actor: Actor::of(p) }),
        None => Visitor::NotRegistered,
    })
}

async fn me(db: &Db, ctx: &Ctx) -> Result<Me> {
    match visitor(db, ctx).await? {
        Visitor::Worker(m) => Ok(m),
        Visitor::NotRegistered => Err(Error::NotFound),
        Visitor::Anonymous if ctx.session_expired => Err(Error::SessionExpired),
        Visitor::Anonymous => Err(Error::Unauthenticated),
    }
}

async fn record(
    tx: &mut Tx,
    me: &Me,
    action: &'static str,
    object: &'static str,
    id: impl ToString,
    details: serde_json::Value,
    now: OffsetDateTime,
) -> Result<()> {
    audit::record(tx, Some(me.tenant), &me.actor, Event::new(action, object, id).with(details), now).await
}

// ------------------------------------------------------------------ what the page shows

#[derive(Debug, Clone, sqlx::FromRow)]
struct ApplicationRow {
    election_id: Uuid,
    status: String,
    roles_wanted: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AssignmentRow {
    pub position_id: Uuid,
    pub role: String,
    pub station_id: Uuid,
    pub shift_id: Uuid,
    pub response: String,
    pub responded_at: Option<OffsetDateTime>,
    pub appointed_at: Option<OffsetDateTime>,
    pub has_letter: bool,
}

async fn applications(tx: &mut Tx, t: TenantId, person: Uuid) -> Result<Vec<ApplicationRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT election_id, status, roles_wanted FROM el_application WHERE tenant_id = $1 AND person_id = $2")
        .bind(t.0).bind(person).fetch_all(c).await?))
}

/// The person's assignment in an election.
pub async fn assignment(tx: &mut Tx, t: TenantId, e: Uuid, person: Uuid) -> Result<Option<AssignmentRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT a.position_id, x.role, x.station_id, x.shift_id, a.response, a.responded_at, a.appointed_at, a.letter IS NOT NULL AS has_letter \
         FROM el_assignment a JOIN el_position x ON x.tenant_id = a.tenant_id AND x.election_id = a.election_id AND x.id = a.position_id \
         WHERE a.tenant_id = $1 AND a.election_id = $2 AND a.person_id = $3")
        .bind(t.0).bind(e).bind(person).fetch_optional(c).await?))
}

/// The others at the same station in the same election: names and roles, nothing else.
pub async fn colleagues(tx: &mut Tx, t: TenantId, e: Uuid, station: Uuid, me: Uuid) -> Result<Vec<(String, String)>> {
    let rows: Vec<(String, String, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT p.given_name, p.family_name, x.role FROM el_assignment a \
         JOIN el_position x ON x.tenant_id = a.tenant_id AND x.election_id = a.election_id AND x.id = a.position_id \
         JOIN el_person p ON p.tenant_id = a.tenant_id AND p.id = a.person_id \
         WHERE a.tenant_id = $1 AND a.election_id = $2 AND x.station_id = $3 AND a.person_id <> $4 AND a.response <> 'declined' \
         ORDER BY CASE x.role WHEN 'ordforande' THEN 0 WHEN 'vice' THEN 1 ELSE 2 END, p.family_name, p.given_name")
        .bind(t.0).bind(e).bind(station).bind(me).fetch_all(c).await?);
    Ok(rows.into_iter().map(|(g, f, r)| (format!("{g} {f}"), r)).collect())
}

pub struct MySession {
    pub s: SessionRow,
    pub course: String,
    pub when: String,
    pub status: String,
    pub attended: Option<bool>,
    pub can_cancel: bool,
}

pub struct OpenSession {
    pub s: SessionRow,
    pub course: String,
    pub when: String,
    pub free: i64,
}

pub struct CourseNeed {
    pub name: String,
    pub completed: bool,
}

pub struct Station {
    pub name: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub district: String,
    pub shift: String,
}

pub struct ElectionBlock {
    pub e: ElectionRow,
    /// The election day has passed: the offer is no longer answered (issue 18 item 17).
    pub over: bool,
    /// The last day to answer the offer, if the office has set one.
    pub reply_deadline: Option<time::Date>,
    pub status: String,
    pub assignment: Option<AssignmentRow>,
    pub station: Option<Station>,
    pub colleagues: Vec<(String, String)>,
    pub needs: Vec<CourseNeed>,
    pub booked: Vec<MySession>,
    pub open: Vec<OpenSession>,
}

impl ElectionBlock {
    pub fn map_url(&self) -> String {
        self.station
            .as_ref()
            .map(|s| format!("https://www.openstreetmap.org/?mlat={:.5}&mlon={:.5}#map=17/{:.5}/{:.5}", s.lat, s.lon, s.lat, s.lon))
            .unwrap_or_default()
    }
    pub fn appointed(&self) -> bool {
        self.assignment.as_ref().is_some_and(|a| a.appointed_at.is_some())
    }
}

/// The course keys the person needs in an election: by the role they are placed in, or else
/// by the roles they asked for.
fn needed_keys(a: Option<&AssignmentRow>, roles_wanted: &str) -> Vec<&'static str> {
    let rules = RuleSet::default();
    let key = |r: crate::Role| match rules.course_for(r) {
        crate::Course::Grund => "grund",
        crate::Course::Ordforande => "ordforande",
    };
    if let Some(role) = a.and_then(|a| service::parse_role(&a.role)) {
        return vec![key(role)];
    }
    let mut v: Vec<&'static str> = roles_wanted.split(',').filter_map(|r| service::parse_role(r.trim())).map(key).collect();
    if v.is_empty() {
        v.push("grund");
    }
    v.sort();
    v.dedup();
    v
}

async fn blocks(db: &Db, tr: &radhus_platform::web::Tr, me: &Me, now: OffsetDateTime) -> Result<Vec<ElectionBlock>> {
    let t = me.tenant;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let mut out = vec![];
    for app in applications(&mut tx, t, me.person.id).await? {
        let Some(e) = store::election(&mut tx, t, app.election_id).await? else { continue };
        let extra = store::election_extra(&mut tx, t, e.id).await?;
        let over = e.is_over(radhus_kernel::tz::stockholm(now).date());
        let a = assignment(&mut tx, t, e.id, me.person.id).await?;
        let (station, colleagues) = match &a {
            Some(a) => {
                let st = store::station(&mut tx, t, e.id, a.station_id).await?;
                let shift = store::shifts(&mut tx, t, e.id).await?.into_iter().find(|x| x.id == a.shift_id);
                let district = match st.as_ref().and_then(|s| s.district_code.clone()) {
                    Some(code) => {
                        store::district(&mut tx, t, e.id, &code).await?.map(|d| format!("{} {}", d.code, d.name)).unwrap_or_default()
                    }
                    None => String::new(),
                };
                // Once the worker has declined, the station's people are none of their business.
                let c = if a.response == "declined" { vec![] } else { colleagues(&mut tx, t, e.id, a.station_id, me.person.id).await? };
                (
                    st.map(|s| Station {
                        name: s.name,
                        address: s.address,
                        lat: s.lat,
                        lon: s.lon,
                        district,
                        shift: shift.as_ref().map(|s| crate::structure::labels::shift_in(tr, s)).unwrap_or_default(),
                    }),
                    c,
                )
            }
            None => (None, vec![]),
        };
        let list = courses::courses(&mut tx, t, e.id).await?;
        let sessions = courses::sessions(&mut tx, t, e.id).await?;
        let all = courses::enrolments(&mut tx, t, e.id).await?;
        let done = courses::completed_courses(&mut tx, t, e.id).await?;
        let keys = needed_keys(a.as_ref(), &app.roles_wanted);
        let needed: Vec<&CourseRow> = list.iter().filter(|c| keys.contains(&c.course_key.as_str())).collect();
        let completed = |c: &CourseRow| done.iter().any(|(p, k)| *p == me.person.id && *k == c.course_key);
        let needs = needed.iter().map(|c| CourseNeed { name: c.name.clone(), completed: completed(c) }).collect();
        let mine: Vec<&EnrolmentRow> = all.iter().filter(|n| n.person_id == me.person.id && n.is_active()).collect();
        let cname = |id: Uuid| list.iter().find(|c| c.id == id).map(|c| c.name.clone()).unwrap_or_default();
        let booked = mine
            .iter()
            .filter_map(|n| sessions.iter().find(|s| s.id == n.session_id).map(|s| (n, s)))
            .map(|(n, s)| MySession {
                course: cname(s.course_id),
                when: session_when_in(tr, s),
                status: n.status.clone(),
                attended: n.attended,
                can_cancel: s.starts_at > now && n.completed_at.is_none(),
                s: s.clone(),
            })
            .collect();
        let open = if app.status == "accepted" || app.status == "reserve" {
            sessions
                .iter()
                .filter(|s| s.starts_at > now)
                .filter(|s| needed.iter().any(|c| c.id == s.course_id && !completed(c)))
                .filter(|s| !mine.iter().any(|n| sessions.iter().any(|x| x.id == n.session_id && x.course_id == s.course_id)))
                .map(|s| OpenSession {
                    course: cname(s.course_id),
                    when: session_when_in(tr, s),
                    free: (s.capacity - all.iter().filter(|n| n.session_id == s.id && n.is_enrolled()).count() as i64).max(0),
                    s: s.clone(),
                })
                .collect()
        } else {
            vec![]
        };
        out.push(ElectionBlock {
            e,
            over,
            reply_deadline: extra.reply_deadline,
            status: app.status,
            assignment: a,
            station,
            colleagues,
            needs,
            booked,
            open,
        });
    }
    tx.commit().await?;
    out.sort_by_key(|b| std::cmp::Reverse(b.e.election_day));
    Ok(out)
}

// ------------------------------------------------------------------ use cases of the worker

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SessionForm {
    #[serde(default)]
    pub election: String,
    #[serde(default)]
    pub session: String,
}

fn ids(f: &SessionForm) -> Result<(Uuid, Uuid)> {
    let e = Uuid::parse_str(f.election.trim()).map_err(|_| Error::NotFound)?;
    let s = Uuid::parse_str(f.session.trim()).map_err(|_| Error::NotFound)?;
    Ok((e, s))
}

/// The worker enrols in a session of a course they need, before it begins (waitlist when full).
pub async fn enrol_self(db: &Db, me: &Me, e: Uuid, session: Uuid, link: &str, now: OffsetDateTime) -> Result<Enrolled> {
    let t = me.tenant;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let el = service::election_in(&mut tx, t, e).await?;
    let app = applications(&mut tx, t, me.person.id).await?.into_iter().find(|a| a.election_id == e).ok_or(Error::NotFound)?;
    let ses = courses::sessions(&mut tx, t, e).await?.into_iter().find(|s| s.id == session).ok_or(Error::NotFound)?;
    if ses.starts_at <= now {
        return Err(ElectionError::SessionStarted.into());
    }
    let a = assignment(&mut tx, t, e, me.person.id).await?;
    let keys = needed_keys(a.as_ref(), &app.roles_wanted);
    if !courses::courses(&mut tx, t, e).await?.iter().any(|c| c.id == ses.course_id && keys.contains(&c.course_key.as_str())) {
        return Err(ElectionError::NotMyCourse.into());
    }
    let (ses, outcome) = courses::enrol_tx(&mut tx, t, e, session, me.person.id, "worker", now).await?;
    courses::notify_enrolment(&mut tx, t, &el, &ses, me.person.id, outcome, link, now).await?;
    record(
        &mut tx,
        me,
        "elections.worker.enrolled",
        "el_session",
        session,
        serde_json::json!({ "waitlisted": outcome == Enrolled::Waitlist }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(outcome)
}

/// The worker cancels their own place (or waitlist place) before the session begins; the
/// first on the waitlist gets the place.
pub async fn cancel_self(db: &Db, me: &Me, e: Uuid, session: Uuid, link: &str, now: OffsetDateTime) -> Result<()> {
    let t = me.tenant;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let el = service::election_in(&mut tx, t, e).await?;
    let ses = courses::sessions(&mut tx, t, e).await?.into_iter().find(|s| s.id == session).ok_or(Error::NotFound)?;
    if ses.starts_at <= now {
        return Err(ElectionError::SessionStarted.into());
    }
    let promoted = courses::cancel_tx(&mut tx, t, &el, session, me.person.id, link, now).await?;
    record(&mut tx, me, "elections.worker.cancelled", "el_session", session, serde_json::json!({ "promoted": promoted }), now).await?;
    tx.commit().await?;
    Ok(())
}

/// Where the election office hears that a worker declined: the municipality's e-mail address
/// and the election's staffing page.
pub struct OfficeNotice<'a> {
    pub email: &'a str,
    pub staffing_link: String,
}

/// The worker answers the offer: 'accepted' or 'declined', up to the election day (after it
/// there is nothing left to answer: VAL-196). Declining after the appointment is
/// possible and marked in the audit event; a decline is e-mailed to the office, which must
/// re-plan the position.
pub async fn answer(db: &Db, me: &Me, e: Uuid, response: &str, office: &OfficeNotice<'_>, now: OffsetDateTime) -> Result<()> {
    if response != "accepted" && response != "declined" {
        return Err(Error::invalid("worker_response", "el-bad-choice"));
    }
    let t = me.tenant;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let el = service::election_in(&mut tx, t, e).await?;
    let a = assignment(&mut tx, t, e, me.person.id).await?.ok_or_else(|| Error::from(ElectionError::NoAssignment))?;
    if el.is_over(radhus_kernel::tz::stockholm(now).date()) {
        return Err(ElectionError::ElectionOver.into());
    }
    if a.response == response {
        return Ok(());
    }
    if a.response == "declined" {
        return Err(ElectionError::WorkerDeclined.into());
    }
    on_tx!(&mut tx, c => sqlx::query(
        "UPDATE el_assignment SET response = $4, responded_at = $5 WHERE tenant_id = $1 AND election_id = $2 AND person_id = $3")
        .bind(t.0).bind(e).bind(me.person.id).bind(response).bind(now).execute(c).await?.rows_affected());
    if response == "declined" && office.email.contains('@') {
        let station = store::station(&mut tx, t, e, a.station_id).await?.map(|x| x.name).unwrap_or_default();
        let role = service::parse_role(&a.role).map(|r| r.label_sv()).unwrap_or("röstmottagare");
        let appointed = if a.appointed_at.is_some() { " Personen var redan förordnad." } else { "" };
        let subject = format!("Avböjt uppdrag: {}, {station}", me.person.name());
        let body = format!(
            "{} har tackat nej till uppdraget som {} i {station} vid {}.{appointed}\n\nPlatsen behöver bemannas på nytt: {}\n",
            me.person.name(),
            role.to_lowercase(),
            el.name,
            office.staffing_link
        );
        outbox::enqueue(
            &mut tx,
            t,
            &Message { channel: Channel::Email, recipient: office.email.trim(), subject: &subject, body: &body },
            now,
        )
        .await?;
    }
    let action = if response == "accepted" { "elections.worker.accepted" } else { "elections.worker.declined" };
    record(
        &mut tx,
        me,
        action,
        "el_assignment",
        a.position_id,
        serde_json::json!({ "election": e, "person": me.person.id, "role": a.role, "after_appointment": a.appointed_at.is_some() }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The appointment letter of the person's assignment, if the office has written one.
pub async fn letter(db: &Db, me: &Me, e: Uuid) -> Result<Vec<u8>> {
    let t = me.tenant;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let row: Option<(Option<Vec<u8>>,)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT letter FROM el_assignment WHERE tenant_id = $1 AND election_id = $2 AND person_id = $3")
        .bind(t.0).bind(e).bind(me.person.id).fetch_optional(c).await?);
    tx.commit().await?;
    row.and_then(|(l,)| l).ok_or(Error::NotFound)
}

/// The calendar of the person's booked course sessions in every election.
pub async fn my_ics(db: &Db, me: &Me, host: &str, now: OffsetDateTime) -> Result<String> {
    let t = me.tenant;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let mut items: Vec<(SessionRow, String)> = vec![];
    for app in applications(&mut tx, t, me.person.id).await? {
        let Some(el) = store::election(&mut tx, t, app.election_id).await? else { continue };
        let list = courses::courses(&mut tx, t, el.id).await?;
        let sessions = courses::sessions(&mut tx, t, el.id).await?;
        for n in courses::enrolments_of_person(&mut tx, t, el.id, me.person.id).await?.into_iter().filter(|n| n.is_enrolled()) {
            if let Some(s) = sessions.iter().find(|s| s.id == n.session_id) {
                let c = list.iter().find(|c| c.id == s.course_id).map(|c| c.name.clone()).unwrap_or_default();
                items.push((s.clone(), format!("{c} – {}", el.name)));
            }
        }
    }
    tx.commit().await?;
    let events: Vec<_> = items
        .iter()
        .map(|(s, summary)| courses::session_event(host, &format!("el-session-{}", s.id), s, summary.clone(), String::new()))
        .collect();
    Ok(courses::calendar(&events, now))
}

// ------------------------------------------------------------------ the e-mail link

/// Mails a one-time link to the worker's pages to every person with this e-mail address (a
/// household may share one), each mail naming its person, if they have a personnummer and an
/// application. Says nothing about whether there was one.
///
/// Only `el_person.email` is used, and it only comes from an e-ID session (an application with
/// e-ID), the office's register or an import: an application without e-ID never changes it
/// (see `applications::store_application`). When such an application created the person, its
/// address is marked `unverified_email` and gets no link while it is the person's address.
/// A new link makes the person's earlier unused links useless.
pub async fn send_link(db: &Db, t: TenantId, email: &str, site_url: &str, now: OffsetDateTime) -> Result<()> {
    let email = email.trim();
    if !email.contains('@') || email.len() > 254 {
        return Err(Error::invalid("email", "el-worker-bad-email"));
    }
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let persons: Vec<PersonRow> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT p.id, p.pnr_sealed AS pnr, p.given_name, p.family_name, p.email FROM el_person p \
         WHERE p.tenant_id = $1 AND lower(p.email) = lower($2) AND p.pnr_sealed IS NOT NULL \
         AND (p.unverified_email IS NULL OR lower(p.unverified_email) <> lower(p.email)) \
         AND EXISTS (SELECT 1 FROM el_application a WHERE a.tenant_id = p.tenant_id AND a.person_id = p.id) ORDER BY p.id")
        .bind(t.0).bind(email).fetch_all(c).await?);
    for p in persons {
        link_for(&mut tx, t, &p.opened()?, site_url, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn link_for(tx: &mut Tx, t: TenantId, p: &PersonRow, site_url: &str, now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE el_login_token SET used_at = $3 WHERE tenant_id = $1 AND person_id = $2 AND used_at IS NULL")
        .bind(t.0).bind(p.id).bind(now).execute(c).await?.rows_affected());
    let token = random_token(32);
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO el_login_token (tenant_id, token_hash, person_id, created_at, expires_at, used_at) VALUES ($1, $2, $3, $4, $5, NULL)")
        .bind(t.0).bind(sha256_hex(token.as_bytes())).bind(p.id).bind(now).bind(now + Duration::minutes(LINK_MINUTES))
        .execute(c).await?.rows_affected());
    let link = format!("{site_url}/valarbete/mina-sidor/lank?t={token}");
    let (name, minutes) = (p.name(), LINK_MINUTES.to_string());
    let vars = [("name", name.as_str()), ("minutes", minutes.as_str()), ("url", link.as_str())];
    // The link logs in: its body is removed from the outbox once the mail has left. Poll
    // workers have no language of their own on file: Swedish.
    let n = Notice { template: &LINK, lang: radhus_kernel::Lang::Sv, to: p.email.trim(), vars: &vars };
    outbox::notify_secret(tx, Some(t), &n, now).await?;
    let actor = Actor { kind: "system", id: "email-link".into(), name: "E-postlänk".into() };
    audit::record(tx, Some(t), &actor, Event::new("elections.worker.link_sent", "el_person", p.id), now).await
}

/// The one-time link to the poll worker's pages (a secret: removed from the outbox once sent).
pub const LINK: NotificationTemplate = NotificationTemplate {
    key: "elections.worker-link",
    sender: Sender::Municipality,
    label: "el-notification-worker-link",
    fields: &["name", "minutes", "url"],
    sv: Text {
        subject: "Din inloggningslänk till valarbetet",
        body: "Hej {{name}}!\n\nHär är länken till dina sidor som röstmottagare. Den fungerar en gång och i {{minutes}} minuter och loggar in dig som {{name}}:\n\n{{url}}\n\nHar du inte bett om länken kan du bortse från det här meddelandet.\n",
    },
    en: Text {
        subject: "Your login link for election work",
        body: "Hello {{name}},\n\nHere is the link to your pages as a poll worker. It works once and for {{minutes}} minutes and logs you in as {{name}}:\n\n{{url}}\n\nIf you did not ask for the link, you can ignore this message.\n",
    },
};

/// Uses a one-time link: marks it used and starts a citizen session for the person's
/// personnummer, in one transaction. Returns the session token for the cookie.
pub async fn use_link(db: &Db, t: TenantId, token: &str, cfg: &radhus_platform::config::Config, now: OffsetDateTime) -> Result<String> {
    let bad = || Error::from(ElectionError::BadLink);
    let hash = sha256_hex(token.trim().as_bytes());
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let row: Option<(Uuid, OffsetDateTime, Option<OffsetDateTime>)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT person_id, expires_at, used_at FROM el_login_token WHERE tenant_id = $1 AND token_hash = $2")
        .bind(t.0).bind(&hash).fetch_optional(c).await?);
    let Some((person, expires, None)) = row else { return Err(bad()) };
    if expires <= now {
        return Err(bad());
    }
    let p: Option<PersonRow> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT id, pnr_sealed AS pnr, given_name, family_name, email FROM el_person WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(person).fetch_optional(c).await?);
    let p = p.ok_or_else(bad)?.opened()?;
    let pnr = p.pnr.as_deref().and_then(|x| Personnummer::parse_canonical(x).ok()).ok_or_else(bad)?;
    let n = on_tx!(&mut tx, c => sqlx::query(
        "UPDATE el_login_token SET used_at = $3 WHERE tenant_id = $1 AND token_hash = $2 AND used_at IS NULL")
        .bind(t.0).bind(&hash).bind(now).execute(c).await?.rows_affected());
    if n != 1 {
        return Err(bad());
    }
    let name = format!("{} {}", p.given_name, p.family_name);
    let new = NewSession {
        kind: Kind::Citizen,
        tenant_id: Some(t),
        user_id: None,
        citizen_pnr: Some(pnr.to_string()),
        display_name: name.clone(),
        totp_pending: false,
    };
    let session = session::create(&mut tx, &new, now, cfg).await?;
    // An e-mail-link session: never e-ID, and for this host only (ADR 0017).
    let how = session::Identified { method: "email-link".into(), assurance: session::Assurance::Email, sso_group: None };
    session::mark_citizen(&mut tx, &session, &how).await?;
    // Marks the session as an e-mail-link one: not e-ID (see `is_link_session`).
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO el_link_session (tenant_id, token_hash, person_id, created_at) VALUES ($1, $2, $3, $4)")
        .bind(t.0).bind(sha256_hex(session.as_bytes())).bind(p.id).bind(now).execute(c).await?.rows_affected());
    let actor = Actor::citizen(&pnr.to_string(), &name);
    audit::record(
        &mut tx,
        Some(t),
        &actor,
        Event::new("login", "citizen", pnr.masked()).with(serde_json::json!({ "method": "email-link" })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(session)
}

/// Whether the visitor's session was started with an e-mail link: the worker's pages accept
/// it, the application form does not take it for e-ID.
pub async fn is_link_session(db: &Db, t: TenantId, ctx: &Ctx) -> Result<bool> {
    let Some(hash) = &ctx.session_token_hash else { return Ok(false) };
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let n: i64 = on_tx!(&mut tx, c => sqlx::query_scalar("SELECT COUNT(*) FROM el_link_session WHERE tenant_id = $1 AND token_hash = $2")
        .bind(t.0).bind(hash).fetch_one(c).await?);
    tx.commit().await?;
    Ok(n > 0)
}
