//! The election office's course pages: `/admin/val/{id}/kurser` (course types, sessions, who
//! has completed what, direct completion) and one session with its enrolled persons, the
//! waitlist, enrolment, cancellation, attendance and the calendar file.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::Require;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::web::download;
use radhus_platform::web::form::{self, Form, PathIds, one_or_many};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::Deserialize;
use uuid::Uuid;

use crate::courses::{
    self, CandidateRow, CompletionInput, CourseInput, CourseRow, EnrolmentRow, SessionInput, SessionRow, session_when_in,
};
use crate::structure::service;
use crate::structure::store::ElectionRow;
use crate::support::office::Office;

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/val/{id}/kurser", get_courses)
        .post("/admin/val/{id}/kurser", post_course)
        .post("/admin/val/{id}/kurser/tillfallen", post_session)
        .post("/admin/val/{id}/kurser/genomford", post_completion)
        .get("/admin/val/{id}/kurser/{sid}", get_session)
        .post("/admin/val/{id}/kurser/{sid}/anmal", post_enrol)
        .post("/admin/val/{id}/kurser/{sid}/avboka", post_cancel)
        .post("/admin/val/{id}/kurser/{sid}/narvaro", post_attendance)
        .post("/admin/val/{id}/kurser/{sid}/andra", post_update_session)
        .post("/admin/val/{id}/kurser/{sid}/ta-bort", post_remove_session)
        .post("/admin/val/{id}/kurser/kurstyp/{cid}", post_update_course)
        .post("/admin/val/{id}/kurser/kurstyp/{cid}/ta-bort", post_remove_course)
}

fn link(st: &AppState, ctx: &Ctx) -> String {
    courses::worker_link(&st.site_url(&ctx.host))
}

// ------------------------------------------------------------------ the course overview

pub struct SessionLine {
    pub s: SessionRow,
    pub when: String,
    pub enrolled: usize,
    pub waitlisted: usize,
    pub free: i64,
}

pub struct CourseLine {
    pub c: CourseRow,
    pub sessions: Vec<SessionLine>,
}

/// One applicant and where they stand in each course type.
pub struct PersonLine {
    pub name: String,
    pub status: String,
    pub per_course: Vec<String>,
}

#[derive(Template)]
#[template(path = "elections/courses_list.html")]
struct CoursesPage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    courses: Vec<CourseLine>,
    missing: Vec<&'static str>,
    people: Vec<PersonLine>,
    candidates: Vec<CandidateRow>,
    course_form: CourseInput,
    session_form: SessionInput,
    errors: Vec<String>,
}

impl CoursesPage<'_> {
    fn key_label(&self, k: &str) -> String {
        self.ctx.t(&format!("el-courses-key-{k}"))
    }
    fn status_label(&self, s: &str) -> String {
        self.ctx.t(&format!("el-courses-app-{s}"))
    }
}

/// Where a person stands in one course: completed, booked (with the date), waitlisted or
/// nothing yet.
fn standing(
    ctx: &Ctx,
    person: Uuid,
    c: &CourseRow,
    sessions: &[SessionRow],
    enrolments: &[EnrolmentRow],
    completed: &[(Uuid, String)],
) -> String {
    if completed.iter().any(|(p, k)| *p == person && *k == c.course_key) {
        return ctx.t("el-courses-completed");
    }
    let mine = enrolments.iter().filter(|n| n.person_id == person && n.is_active());
    for n in mine {
        if let Some(s) = sessions.iter().find(|s| s.id == n.session_id && s.course_id == c.id) {
            let d = crate::support::view::date(radhus_kernel::tz::stockholm(s.starts_at).date());
            if n.attended == Some(false) {
                return format!("{} ({d})", ctx.t("el-courses-absent"));
            }
            let label = if n.is_waitlisted() { "el-courses-waitlisted" } else { "el-courses-booked" };
            return format!("{} {d}", ctx.t(label));
        }
    }
    "–".into()
}

#[allow(clippy::too_many_arguments)]
async fn courses_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    course_form: CourseInput,
    session_form: SessionInput,
    errors: Vec<String>,
) -> Result<Response> {
    crate::support::office::require_office(s)?;
    let t = s.tenant_id;
    // The overview lists every applicant's course standing: audit-logged like the session page.
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    let e = service::election_in(&mut tx, t, id).await?;
    let list = courses::courses(&mut tx, t, id).await?;
    let sessions = courses::sessions(&mut tx, t, id).await?;
    let enrolments = courses::enrolments(&mut tx, t, id).await?;
    let completed = courses::completed_courses(&mut tx, t, id).await?;
    let candidates = courses::candidates(&mut tx, t, id).await?;
    crate::support::audit::audit(
        &mut tx,
        s,
        "elections.courses.listed",
        "el_election",
        id,
        serde_json::json!({ "persons": candidates.len() }),
        st.now(),
    )
    .await?;
    tx.commit().await?;
    let people = candidates
        .iter()
        .map(|p| PersonLine {
            name: p.name(),
            status: p.status.clone(),
            per_course: list.iter().map(|c| standing(ctx, p.person_id, c, &sessions, &enrolments, &completed)).collect(),
        })
        .collect();
    let missing = courses::COURSE_KEYS.into_iter().filter(|k| !list.iter().any(|c| c.course_key == *k)).collect();
    let lines = list
        .into_iter()
        .map(|c| CourseLine {
            sessions: sessions
                .iter()
                .filter(|x| x.course_id == c.id)
                .map(|x| {
                    let enrolled = enrolments.iter().filter(|n| n.session_id == x.id && n.is_enrolled()).count();
                    SessionLine {
                        when: session_when_in(&ctx.tr, x),
                        enrolled,
                        waitlisted: enrolments.iter().filter(|n| n.session_id == x.id && n.is_waitlisted()).count(),
                        free: (x.capacity - enrolled as i64).max(0),
                        s: x.clone(),
                    }
                })
                .collect(),
            c,
        })
        .collect();
    render(&CoursesPage { ctx, e, courses: lines, missing, people, candidates, course_form, session_form, errors })
}

async fn get_courses(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    courses_page(&st, &ctx, &o.0, id, CourseInput::default(), SessionInput::default(), vec![]).await
}

async fn post_course(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<CourseInput>,
) -> Result<Response> {
    let s = o.0;
    let r = courses::create_course(&st.db, &s, id, &f, st.now()).await.map(|_| format!("/admin/val/{id}/kurser"));
    form::submit(&ctx, r, |errors| courses_page(&st, &ctx, &s, id, f.clone(), SessionInput::default(), errors)).await
}

async fn post_session(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<SessionInput>,
) -> Result<Response> {
    let s = o.0;
    let r = courses::add_session(&st.db, &s, id, &f, st.now()).await.map(|sid| format!("/admin/val/{id}/kurser/{sid}"));
    form::submit(&ctx, r, |errors| courses_page(&st, &ctx, &s, id, CourseInput::default(), f.clone(), errors)).await
}

async fn post_completion(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<CompletionInput>,
) -> Result<Response> {
    let s = o.0;
    let r = courses::complete_directly(&st.db, &s, id, &f, st.now()).await.map(|()| format!("/admin/val/{id}/kurser#deltagare"));
    form::submit(&ctx, r, |errors| courses_page(&st, &ctx, &s, id, CourseInput::default(), SessionInput::default(), errors)).await
}

// ------------------------------------------------------------------ one session

#[derive(Template)]
#[template(path = "elections/courses_session.html")]
struct SessionPage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    course: CourseRow,
    s: SessionRow,
    when: String,
    held: bool,
    enrolled: Vec<EnrolmentRow>,
    waitlist: Vec<EnrolmentRow>,
    available: Vec<CandidateRow>,
    /// The change form: the session's values, or what was posted when it was refused.
    edit: SessionInput,
    errors: Vec<String>,
}

impl SessionPage<'_> {
    /// Nobody enrolled or waitlisted: the session can be removed (before it begins).
    fn removable(&self) -> bool {
        self.enrolled.is_empty() && self.waitlist.is_empty()
    }
    fn free(&self) -> i64 {
        (self.s.capacity - self.enrolled.len() as i64).max(0)
    }
    fn by_label(&self, n: &EnrolmentRow) -> String {
        self.ctx.t(&format!("el-courses-by-{}", n.enrolled_by))
    }
}

async fn session_page(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, sid: Uuid, errors: Vec<String>) -> Result<Response> {
    session_page_with(st, ctx, s, id, sid, None, errors).await
}

async fn session_page_with(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    sid: Uuid,
    edit: Option<SessionInput>,
    errors: Vec<String>,
) -> Result<Response> {
    crate::support::office::require_office(s)?;
    let t = s.tenant_id;
    let now = st.now();
    // The page lists persons: the view is audit-logged, so the read happens in a write
    // transaction with its audit event.
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    let e = service::election_in(&mut tx, t, id).await?;
    let ses = courses::sessions(&mut tx, t, id).await?.into_iter().find(|x| x.id == sid).ok_or(Error::NotFound)?;
    let course = courses::courses(&mut tx, t, id).await?.into_iter().find(|c| c.id == ses.course_id).ok_or(Error::NotFound)?;
    let list = courses::enrolments_of_session(&mut tx, t, id, sid).await?;
    let all = courses::enrolments(&mut tx, t, id).await?;
    let sessions = courses::sessions(&mut tx, t, id).await?;
    let completed = courses::completed_courses(&mut tx, t, id).await?;
    let available = courses::candidates(&mut tx, t, id)
        .await?
        .into_iter()
        .filter(|p| {
            !completed.iter().any(|(x, k)| *x == p.person_id && *k == course.course_key)
                && !all.iter().any(|n| {
                    n.person_id == p.person_id && n.is_active() && sessions.iter().any(|x| x.id == n.session_id && x.course_id == course.id)
                })
        })
        .collect();
    crate::support::audit::audit(
        &mut tx,
        s,
        "elections.courses.viewed",
        "el_session",
        sid,
        serde_json::json!({ "persons": list.len() }),
        now,
    )
    .await?;
    tx.commit().await?;
    let (enrolled, rest): (Vec<_>, Vec<_>) = list.into_iter().partition(|n| n.is_enrolled());
    let waitlist = rest.into_iter().filter(|n| n.is_waitlisted()).collect();
    render(&SessionPage {
        ctx,
        e,
        when: session_when_in(&ctx.tr, &ses),
        held: ses.starts_at <= now,
        course,
        edit: edit.unwrap_or_else(|| SessionInput::of(&ses)),
        s: ses,
        enrolled,
        waitlist,
        available,
        errors,
    })
}

async fn get_session(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, sid)): PathIds<(Uuid, String)>,
) -> Result<Response> {
    // The same address with `.ics` is the session as a calendar file.
    let (sid, ics) = sid.strip_suffix(".ics").map_or((sid.as_str(), false), |file| (file, true));
    let sid: Uuid = sid.parse().map_err(|_| Error::NotFound)?;
    if ics {
        let body = courses::session_ics(&st.db, &o.0, id, sid, &ctx.host, st.now()).await?;
        return Ok(download::attachment(body, download::ICS, &format!("utbildning-{sid}.ics")));
    }
    session_page(&st, &ctx, &o.0, id, sid, vec![]).await
}

#[derive(Deserialize)]
struct PersonForm {
    #[serde(default)]
    enrol_person: String,
}

fn person_of(f: &PersonForm) -> Result<Uuid> {
    Uuid::parse_str(f.enrol_person.trim()).map_err(|_| Error::invalid("enrol_person", "el-bad-choice"))
}

async fn post_enrol(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, sid)): PathIds<(Uuid, Uuid)>,
    Form(f): Form<PersonForm>,
) -> Result<Response> {
    let s = o.0;
    let r = async {
        let p = person_of(&f)?;
        courses::enrol(&st.db, &s, id, sid, p, &link(&st, &ctx), st.now()).await?;
        Ok(format!("/admin/val/{id}/kurser/{sid}"))
    }
    .await;
    form::submit(&ctx, r, |errors| session_page(&st, &ctx, &s, id, sid, errors)).await
}

async fn post_cancel(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, sid)): PathIds<(Uuid, Uuid)>,
    Form(f): Form<PersonForm>,
) -> Result<Response> {
    let s = o.0;
    let r = async {
        let p = person_of(&f)?;
        courses::cancel(&st.db, &s, id, sid, p, &link(&st, &ctx), st.now()).await?;
        Ok(format!("/admin/val/{id}/kurser/{sid}"))
    }
    .await;
    form::submit(&ctx, r, |errors| session_page(&st, &ctx, &s, id, sid, errors)).await
}

#[derive(Deserialize)]
struct AttendanceForm {
    /// The people who attended: one checkbox or several.
    #[serde(default, deserialize_with = "one_or_many")]
    attended: Vec<String>,
}

async fn post_attendance(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, sid)): PathIds<(Uuid, Uuid)>,
    Form(f): Form<AttendanceForm>,
) -> Result<Response> {
    let s = o.0;
    let r = async {
        let ids: Vec<Uuid> = f
            .attended
            .iter()
            .map(|v| Uuid::parse_str(v.trim()).map_err(|_| Error::invalid("enrol_person", "el-bad-choice")))
            .collect::<Result<_>>()?;
        courses::record_attendance(&st.db, &s, id, sid, &ids, st.now()).await?;
        Ok(format!("/admin/val/{id}/kurser/{sid}"))
    }
    .await;
    form::submit(&ctx, r, |errors| session_page(&st, &ctx, &s, id, sid, errors)).await
}

async fn post_update_session(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, sid)): PathIds<(Uuid, Uuid)>,
    Form(f): Form<SessionInput>,
) -> Result<Response> {
    let s = o.0;
    let r = async {
        courses::update_session(&st.db, &s, id, sid, &f, &link(&st, &ctx), st.now()).await?;
        Ok(format!("/admin/val/{id}/kurser/{sid}"))
    }
    .await;
    form::submit(&ctx, r, |errors| session_page_with(&st, &ctx, &s, id, sid, Some(f.clone()), errors)).await
}

async fn post_remove_session(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, sid)): PathIds<(Uuid, Uuid)>,
) -> Result<Response> {
    let s = o.0;
    let r = async {
        courses::remove_session(&st.db, &s, id, sid, st.now()).await?;
        Ok(format!("/admin/val/{id}/kurser"))
    }
    .await;
    form::submit(&ctx, r, |errors| session_page(&st, &ctx, &s, id, sid, errors)).await
}

async fn post_update_course(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, cid)): PathIds<(Uuid, Uuid)>,
    Form(f): Form<CourseInput>,
) -> Result<Response> {
    let s = o.0;
    let r = async {
        courses::update_course(&st.db, &s, id, cid, &f, st.now()).await?;
        Ok(format!("/admin/val/{id}/kurser"))
    }
    .await;
    form::submit(&ctx, r, |errors| courses_page(&st, &ctx, &s, id, CourseInput::default(), SessionInput::default(), errors)).await
}

async fn post_remove_course(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, cid)): PathIds<(Uuid, Uuid)>,
) -> Result<Response> {
    let s = o.0;
    let r = courses::remove_course(&st.db, &s, id, cid, st.now()).await.map(|()| format!("/admin/val/{id}/kurser"));
    form::submit(&ctx, r, |errors| courses_page(&st, &ctx, &s, id, CourseInput::default(), SessionInput::default(), errors)).await
}
