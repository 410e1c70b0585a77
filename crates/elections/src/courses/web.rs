//! The election office's course pages: `/admin/val/{id}/kurser` (course types, sessions, who
//! has completed what, direct completion) and one session with its enrolled persons, the
//! waitlist, enrolment, cancellation, attendance and the calendar file.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::permissions::Require;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::web::download;
use radhus_platform::web::field::{Field, FormErrors};
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

// ------------------------------------------------------------------ fields

/// A session's day, times, place and places, with ids `<p>-day` … (`s` on the overview, `x` on
/// the session's change form).
fn session_fields(ctx: &Ctx, sf: &SessionInput, p: &str, e: &FormErrors) -> Vec<Field> {
    vec![
        Field::new(ctx, "day", "field-day").id(&format!("{p}-day")).kind("date").value(sf.day.clone()).errors(e),
        Field::new(ctx, "starts", "field-starts").id(&format!("{p}-starts")).kind("time").value(sf.starts.clone()).errors(e),
        Field::new(ctx, "ends", "field-ends").id(&format!("{p}-ends")).kind("time").value(sf.ends.clone()).errors(e),
        Field::new(ctx, "session_place", "field-session_place").id(&format!("{p}-place")).value(sf.session_place.clone()).errors(e),
        Field::new(ctx, "session_capacity", "field-session_capacity")
            .id(&format!("{p}-cap"))
            .inputmode("numeric")
            .value(sf.session_capacity.clone())
            .errors(e),
    ]
}

/// Links the problems of a session form to its fields' ids.
fn session_targets(e: FormErrors, p: &str) -> FormErrors {
    e.target("day", &format!("{p}-day"))
        .target("starts", &format!("{p}-starts"))
        .target("ends", &format!("{p}-ends"))
        .target("session_place", &format!("{p}-place"))
        .target("session_capacity", &format!("{p}-cap"))
}

// ------------------------------------------------------------------ the course overview

/// Which of the overview's forms was refused: only its fields show the problems.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Nothing,
    /// The change form of one course type.
    Course(Uuid),
    NewCourse,
    Session,
    Completion,
}

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
    /// A refused form: the summary linked to the fields of that form, the message at each.
    errors: FormErrors,
    refused: Refused,
}

impl CoursesPage<'_> {
    /// The problems for the fields of `form`: none unless it is the one refused.
    /// The change form of this course type was the one refused (its `<details>` is opened).
    fn course_refused(&self, c: &CourseRow) -> bool {
        self.refused == Refused::Course(c.id)
    }
    fn errors_of(&self, form: Refused) -> FormErrors {
        if self.refused == form { self.errors.clone() } else { FormErrors::none() }
    }
    /// One course type's name and description.
    fn course_fields(&self, c: &CourseRow) -> Vec<Field> {
        let e = &self.errors_of(Refused::Course(c.id));
        vec![
            Field::new(self.ctx, "name", "field-name").id(&format!("n-{}", c.id)).value(c.name.clone()).errors(e),
            Field::new(self.ctx, "description", "field-description")
                .id(&format!("d-{}", c.id))
                .kind("textarea")
                .optional()
                .value(c.description.clone())
                .errors(e),
        ]
    }
    /// A new session: the course, then the session's fields.
    fn session_form_fields(&self) -> Vec<Field> {
        let e = &self.errors_of(Refused::Session);
        let options =
            self.courses.iter().map(|l| (l.c.id.to_string(), l.c.name.clone(), self.session_form.course == l.c.id.to_string())).collect();
        let mut out = vec![Field::new(self.ctx, "course", "field-course_key").id("s-course").kind("select").options(options, "").errors(e)];
        out.extend(session_fields(self.ctx, &self.session_form, "s", e));
        out
    }
    /// A new course type: which one, its name and description.
    fn new_course_fields(&self) -> Vec<Field> {
        let e = &self.errors_of(Refused::NewCourse);
        let f = &self.course_form;
        let keys = self.missing.iter().map(|k| (k.to_string(), self.key_label(k), f.course_key == *k)).collect();
        vec![
            Field::new(self.ctx, "course_key", "field-course_key").id("c-key").kind("select").options(keys, "").errors(e),
            Field::new(self.ctx, "name", "field-name").id("c-name").value(f.name.clone()).errors(e),
            Field::new(self.ctx, "description", "field-description")
                .id("c-desc")
                .kind("textarea")
                .optional()
                .value(f.description.clone())
                .errors(e),
        ]
    }
    /// A course completed without a session: who, which course and the evidence.
    fn completion_fields(&self) -> Vec<Field> {
        let e = &self.errors_of(Refused::Completion);
        let people = self.candidates.iter().map(|p| (p.person_id.to_string(), p.name(), false)).collect();
        let courses = self.courses.iter().map(|l| (l.c.id.to_string(), l.c.name.clone(), false)).collect();
        vec![
            Field::new(self.ctx, "enrol_person", "field-enrol_person").id("d-person").kind("select").options(people, "").errors(e),
            Field::new(self.ctx, "course", "field-course_key").id("d-course").kind("select").options(courses, "").errors(e),
            Field::new(self.ctx, "note", "field-completion_note").id("d-note").errors(e),
        ]
    }
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
    errors: FormErrors,
    refused: Refused,
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
    let errors = match refused {
        Refused::Course(c) => errors.target("name", &format!("n-{c}")),
        Refused::NewCourse => errors.target("course_key", "c-key").target("name", "c-name"),
        // The use case names the course `course_key` and the note `completion_note`; these forms
        // post them as `course` and `note`.
        Refused::Session => session_targets(errors, "s").place(&[("course_key", "course", "s-course")]),
        Refused::Completion => {
            errors.target("enrol_person", "d-person").place(&[("course_key", "course", "d-course"), ("completion_note", "note", "d-note")])
        }
        Refused::Nothing => errors,
    };
    render(&CoursesPage { ctx, e, courses: lines, missing, people, candidates, course_form, session_form, errors, refused })
}

async fn get_courses(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    courses_page(&st, &ctx, &o.0, id, CourseInput::default(), SessionInput::default(), FormErrors::none(), Refused::Nothing).await
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
    form::submit_fields(&ctx, r, |errors| courses_page(&st, &ctx, &s, id, f.clone(), SessionInput::default(), errors, Refused::NewCourse))
        .await
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
    form::submit_fields(&ctx, r, |errors| courses_page(&st, &ctx, &s, id, CourseInput::default(), f.clone(), errors, Refused::Session))
        .await
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
    form::submit_fields(&ctx, r, |errors| {
        courses_page(&st, &ctx, &s, id, CourseInput::default(), SessionInput::default(), errors, Refused::Completion)
    })
    .await
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
    /// A refused form: the summary linked to the fields of that form, the message at each.
    errors: FormErrors,
    /// The change form was the one refused (its fields show the problems, it is opened).
    edit_refused: bool,
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
    /// The change form's fields.
    fn edit_fields(&self) -> Vec<Field> {
        let none = FormErrors::none();
        session_fields(self.ctx, &self.edit, "x", if self.edit_refused { &self.errors } else { &none })
    }
    /// The person to enrol.
    fn enrol_field(&self) -> Field {
        let people = self.available.iter().map(|p| (p.person_id.to_string(), p.name(), false)).collect();
        let none = FormErrors::none();
        Field::new(self.ctx, "enrol_person", "field-enrol_person")
            .id("e-person")
            .kind("select")
            .options(people, "")
            .errors(if self.edit_refused { &none } else { &self.errors })
    }
}

async fn session_page(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, sid: Uuid, errors: FormErrors) -> Result<Response> {
    session_page_with(st, ctx, s, id, sid, None, errors).await
}

async fn session_page_with(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    sid: Uuid,
    edit: Option<SessionInput>,
    errors: FormErrors,
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
    let available: Vec<CandidateRow> = courses::candidates(&mut tx, t, id)
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
    let held = ses.starts_at <= now;
    let edit_refused = edit.is_some();
    // The person's select is there only before the session and while someone can be enrolled.
    let errors = if edit_refused {
        session_targets(errors, "x")
    } else if !held && !available.is_empty() {
        errors.target("enrol_person", "e-person")
    } else {
        // No select to show the person's problem at: a problem of the form, without a link.
        errors.place(&[("enrol_person", FieldError::FORM, "")])
    };
    render(&SessionPage {
        ctx,
        e,
        when: session_when_in(&ctx.tr, &ses),
        held,
        course,
        edit: edit.unwrap_or_else(|| SessionInput::of(&ses)),
        s: ses,
        enrolled,
        waitlist,
        available,
        errors,
        edit_refused,
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
    session_page(&st, &ctx, &o.0, id, sid, FormErrors::none()).await
}

#[derive(Deserialize)]
struct PersonForm {
    #[serde(default)]
    enrol_person: String,
}

fn person_of(f: &PersonForm) -> Result<Uuid> {
    Uuid::parse_str(f.enrol_person.trim()).map_err(|_| Error::invalid("enrol_person", "el-courses-choose-person"))
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
    form::submit_fields(&ctx, r, |errors| session_page(&st, &ctx, &s, id, sid, errors)).await
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
    form::submit_fields(&ctx, r, |errors| session_page(&st, &ctx, &s, id, sid, errors)).await
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
            .map(|v| Uuid::parse_str(v.trim()).map_err(|_| Error::invalid("enrol_person", "el-courses-choose-person")))
            .collect::<Result<_>>()?;
        courses::record_attendance(&st.db, &s, id, sid, &ids, st.now()).await?;
        Ok(format!("/admin/val/{id}/kurser/{sid}"))
    }
    .await;
    form::submit_fields(&ctx, r, |errors| session_page(&st, &ctx, &s, id, sid, errors)).await
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
    form::submit_fields(&ctx, r, |errors| session_page_with(&st, &ctx, &s, id, sid, Some(f.clone()), errors)).await
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
    form::submit_fields(&ctx, r, |errors| session_page(&st, &ctx, &s, id, sid, errors)).await
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
    form::submit_fields(&ctx, r, |errors| {
        courses_page(&st, &ctx, &s, id, CourseInput::default(), SessionInput::default(), errors, Refused::Course(cid))
    })
    .await
}

async fn post_remove_course(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, cid)): PathIds<(Uuid, Uuid)>,
) -> Result<Response> {
    let s = o.0;
    let r = courses::remove_course(&st.db, &s, id, cid, st.now()).await.map(|()| format!("/admin/val/{id}/kurser"));
    form::submit_fields(&ctx, r, |errors| {
        courses_page(&st, &ctx, &s, id, CourseInput::default(), SessionInput::default(), errors, Refused::Nothing)
    })
    .await
}
