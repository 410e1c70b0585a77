//! Courses through the office's pages and services: course types and sessions, enrolment with
//! the waitlist and promotion by e-mail, double enrolment refused, attendance and direct
//! completion, completed_courses for the staffing rules, the iCalendar format, the demo
//! seeding and isolation between municipalities.

use radhus_elections::courses::{self, CompletionInput, CourseInput, Enrolled, SessionInput};
use radhus_elections::error::ElectionError;
use radhus_elections::testing::Applicant;
use radhus_kernel::ids::TenantId;
use radhus_platform::db::Scope;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::on_tx;
use uuid::Uuid;

/// A person who applied to the election with e-ID (a personnummer of their own when none is
/// given) for its first shift, wanting the roles (comma-separated; röstmottagare when none),
/// screened to `status` through the use cases (`radhus_elections::testing`). The e-mail
/// address is `given.family@example.se`.
pub async fn person(
    app: &radhus_testkit::TestApp,
    s: &StaffUser,
    e: Uuid,
    name: (&str, &str),
    pnr: Option<&str>,
    status: &str,
    roles: &str,
) -> Uuid {
    let email = format!("{}.{}@example.se", name.0.to_lowercase(), name.1.to_lowercase());
    let pnr = pnr.map_or_else(|| radhus_elections::testing::pnr("1980-01-01"), str::to_string);
    let mut tx = app.db.read(Scope::Tenant(s.tenant_id)).await.expect("tx");
    let shift = radhus_elections::store::shifts(&mut tx, s.tenant_id, e).await.expect("shifts")[0].id;
    tx.commit().await.expect("commit");
    let roles: Vec<&str> = roles.split(',').map(str::trim).filter(|r| !r.is_empty()).collect();
    let a = Applicant::new(&pnr, name.0, name.1, shift)
        .contact("", &email)
        .roles(if roles.is_empty() { &["rostmottagare"] } else { &roles })
        .status(status);
    super::fixtures(app, s).apply(e, &a).await
}

/// Both course types, and one session of each on the given local day: (grund, ordförande,
/// grund session, ordförande session).
pub async fn two_courses(app: &radhus_testkit::TestApp, s: &StaffUser, e: Uuid, day: &str, capacity: &str) -> (Uuid, Uuid, Uuid, Uuid) {
    let g = courses::create_course(
        &app.db,
        s,
        e,
        &CourseInput { course_key: "grund".into(), name: "Grundutbildning".into(), description: "Tre timmar".into() },
        app.now(),
    )
    .await
    .expect("grund");
    let o = courses::create_course(
        &app.db,
        s,
        e,
        &CourseInput { course_key: "ordforande".into(), name: "Ordförandeutbildning".into(), description: String::new() },
        app.now(),
    )
    .await
    .expect("ordf");
    let mk = |c: Uuid| SessionInput {
        course: c.to_string(),
        day: day.into(),
        starts: "18:00".into(),
        ends: "21:00".into(),
        session_place: "Kommunhuset, sal A".into(),
        session_capacity: capacity.into(),
    };
    let gs = courses::add_session(&app.db, s, e, &mk(g), app.now()).await.expect("session");
    let os = courses::add_session(&app.db, s, e, &mk(o), app.now()).await.expect("session");
    (g, o, gs, os)
}

async fn outbox_to(app: &radhus_testkit::TestApp, t: TenantId, to: &str) -> Vec<(String, String)> {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let v: Vec<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT subject, body FROM outbox WHERE tenant_id = $1 AND recipient = $2")
        .bind(t.0).bind(to).fetch_all(c).await.expect("outbox"));
    tx.commit().await.expect("commit");
    v
}

async fn audit_actions(app: &radhus_testkit::TestApp, t: TenantId) -> Vec<String> {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let v: Vec<(String,)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT action FROM audit_event WHERE tenant_id = $1")
        .bind(t.0).fetch_all(c).await.expect("audit"));
    tx.commit().await.expect("commit");
    v.into_iter().map(|(a,)| a).collect()
}

#[tokio::test]
async fn waitlist_promotion_double_enrolment_and_attendance() {
    let app = super::app().await;
    let (t, s, email) = super::setup(&app, "kil", "1715").await;
    let (e, _, _) = super::small_election(&app, &s).await;
    let (g, _o, gs, os) = two_courses(&app, &s, e, "2026-12-01", "2").await;
    let a = person(&app, &s, e, ("Anna", "Ek"), None, "accepted", "rostmottagare").await;
    let b = person(&app, &s, e, ("Bo", "Ek"), None, "accepted", "").await;
    let c = person(&app, &s, e, ("Cecilia", "Ek"), None, "reserve", "").await;
    let rejected = person(&app, &s, e, ("Dan", "Ek"), None, "rejected", "").await;
    let link = "http://kil.localhost/valarbete/mina-sidor";

    assert_eq!(courses::enrol(&app.db, &s, e, gs, a, link, app.now()).await.expect("a"), Enrolled::Place);
    assert_eq!(courses::enrol(&app.db, &s, e, gs, b, link, app.now()).await.expect("b"), Enrolled::Place);
    assert_eq!(courses::enrol(&app.db, &s, e, gs, c, link, app.now()).await.expect("c"), Enrolled::Waitlist);
    let mail = outbox_to(&app, t, "anna.ek@example.se").await;
    assert!(
        mail.iter().any(|(sub, body)| sub.contains("Anmäld") && body.contains("Kommunhuset, sal A") && body.contains(link)),
        "{mail:?}"
    );
    assert!(outbox_to(&app, t, "cecilia.ek@example.se").await.iter().any(|(sub, _)| sub.contains("Reservplats")));

    // Twice in the same course type: refused with its code, also in another session.
    let err = courses::enrol(&app.db, &s, e, gs, a, link, app.now()).await.expect_err("twice");
    assert_eq!(err.code().code, ElectionError::AlreadyEnrolled.code());
    let gs2 = courses::add_session(
        &app.db,
        &s,
        e,
        &SessionInput {
            course: g.to_string(),
            day: "2026-12-03".into(),
            starts: "09:00".into(),
            ends: "12:00".into(),
            session_place: "Biblioteket".into(),
            session_capacity: "10".into(),
        },
        app.now(),
    )
    .await
    .expect("second session");
    let err = courses::enrol(&app.db, &s, e, gs2, a, link, app.now()).await.expect_err("other session");
    assert_eq!(err.code().code, ElectionError::AlreadyEnrolled.code());
    // The other course type is fine; a rejected applicant is refused.
    courses::enrol(&app.db, &s, e, os, a, link, app.now()).await.expect("ordforande");
    let err = courses::enrol(&app.db, &s, e, gs, rejected, link, app.now()).await.expect_err("rejected");
    assert_eq!(err.code().code, ElectionError::NotApplicant.code());

    // Through the page: the same refusal re-renders the session page with 409.
    let mut cl = app.login("kil", &email).await;
    let r = cl.post_form(&format!("/admin/val/{e}/kurser/{gs}/anmal"), &[("enrol_person", &a.to_string())]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("redan anmäld"), "{}", r.body);
    let r = cl.post_form(&format!("/admin/val/{e}/kurser/{gs}/anmal"), &[("enrol_person", "inte-ett-id")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Välj en av valets sökande."), "{}", r.body);

    // Cancelling a place promotes the first on the waitlist, who gets an e-mail.
    let r = cl.post_form(&format!("/admin/val/{e}/kurser/{gs}/avboka"), &[("enrol_person", &b.to_string())]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let list = courses::completed_courses(&mut tx, t, e).await.expect("completed");
    tx.commit().await.expect("commit");
    assert!(list.is_empty());
    let page = cl.get(&format!("/admin/val/{e}/kurser/{gs}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Cecilia Ek") && page.body.contains("Ingen står på reservlistan"), "{}", page.body);
    assert!(outbox_to(&app, t, "cecilia.ek@example.se").await.iter().any(|(sub, _)| sub.contains("fått en plats")));
    // Cancelling someone who is not enrolled is a conflict.
    let r = cl.post_form(&format!("/admin/val/{e}/kurser/{gs}/avboka"), &[("enrol_person", &b.to_string())]).await;
    assert_eq!(r.status, 409);

    // Attendance before the session: refused. After: one form for the whole list.
    let r = cl.post_form(&format!("/admin/val/{e}/kurser/{gs}/narvaro"), &[("attended", &a.to_string())]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    app.clock.advance(time::Duration::days(10));
    // Ten days later the session has expired too: log in again.
    let mut cl = app.login("kil", &email).await;
    let page = cl.get(&format!("/admin/val/{e}/kurser/{gs}")).await;
    assert!(page.body.contains("Spara närvaron"), "{}", page.body);
    let r = cl.post_form(&format!("/admin/val/{e}/kurser/{gs}/narvaro"), &[("attended", &a.to_string())]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let done = courses::completed_courses(&mut tx, t, e).await.expect("completed");
    tx.commit().await.expect("commit");
    assert_eq!(done, vec![(a, "grund".to_string())]);
    // Both with a repeated field; then c attended too.
    let r =
        cl.post_form(&format!("/admin/val/{e}/kurser/{gs}/narvaro"), &[("attended", &a.to_string()), ("attended", &c.to_string())]).await;
    assert_eq!(r.status, 303);
    let overview = cl.get(&format!("/admin/val/{e}/kurser")).await;
    assert_eq!(overview.status, 200);
    assert!(overview.body.contains("Genomförd"), "{}", overview.body);

    // Direct completion with a note (Valmyndighetens webbutbildning), not twice.
    let f = CompletionInput { course: g.to_string(), enrol_person: b.to_string(), note: "Intyg från webbutbildningen".into() };
    courses::complete_directly(&app.db, &s, e, &f, app.now()).await.expect("direct");
    let err = courses::complete_directly(&app.db, &s, e, &f, app.now()).await.expect_err("twice");
    assert_eq!(err.code().code, ElectionError::AlreadyCompleted.code());
    let r = cl
        .post_form(
            &format!("/admin/val/{e}/kurser/genomford"),
            &[("course", &g.to_string()), ("enrol_person", &b.to_string()), ("note", "")],
        )
        .await;
    assert_eq!(r.status, 422);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let done = courses::completed_courses(&mut tx, t, e).await.expect("completed");
    tx.commit().await.expect("commit");
    let mut want = vec![(a, "grund".to_string()), (b, "grund".to_string()), (c, "grund".to_string())];
    want.sort();
    assert_eq!(done, want);
    let actions = audit_actions(&app, t).await;
    for a in [
        "elections.courses.enrolled",
        "elections.courses.cancelled",
        "elections.courses.attendance",
        "elections.courses.completed",
        "elections.courses.viewed",
        "elections.courses.listed",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} missing");
    }
}

#[tokio::test]
async fn course_forms_refuse_bad_input() {
    let app = super::app().await;
    let (_t, s, email) = super::setup(&app, "kil", "1715").await;
    let (e, _, _) = super::small_election(&app, &s).await;
    let mut c = app.login("kil", &email).await;
    let page = c.get(&format!("/admin/val/{e}/kurser")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("inga utbildningar"));
    let r = c.post_form(&format!("/admin/val/{e}/kurser"), &[("course_key", "annan"), ("name", "")]).await;
    assert_eq!(r.status, 422);
    // The new course's form: the first problem at its field, linked from the summary.
    assert!(r.body.contains(r##"<a class="ds-link" href="#c-key">Utbildning: Välj en av valets utbildningar.</a>"##), "{}", r.body);
    assert!(r.body.contains(r#"id="c-key" name="course_key" aria-invalid="true" aria-describedby="c-key-error">"#), "{}", r.body);
    assert!(r.body.contains("Beskrivning (frivilligt)") && !r.body.contains(" required"), "{}", r.body);
    let r = c.post_form(&format!("/admin/val/{e}/kurser"), &[("course_key", "grund"), ("name", "Grund")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = c.post_form(&format!("/admin/val/{e}/kurser"), &[("course_key", "grund"), ("name", "Igen")]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("redan en utbildning"));
    // The session form is tried on a course the service made (it returns the id).
    let course = courses::create_course(
        &app.db,
        &s,
        e,
        &CourseInput { course_key: "ordforande".into(), name: "Ordförande".into(), description: String::new() },
        app.now(),
    )
    .await
    .expect("course")
    .to_string();
    let base = [("course", course.as_str()), ("day", "2026-12-01"), ("starts", "18:00"), ("ends", "21:00"), ("session_place", "Sal A")];
    for (k, v, status) in [
        ("session_capacity", "0", 422),
        ("session_capacity", "många", 422),
        ("day", "1 december", 422),
        ("ends", "17:00", 422),
        ("session_place", " ", 422),
        ("course", "00000000-0000-0000-0000-000000000000", 422),
    ] {
        let mut f: Vec<(&str, &str)> = base.iter().filter(|(x, _)| *x != k).copied().collect();
        f.push((k, v));
        if k != "session_capacity" {
            f.push(("session_capacity", "20"));
        }
        let r = c.post_form(&format!("/admin/val/{e}/kurser/tillfallen"), &f).await;
        assert_eq!(r.status, status, "{k}={v}: {}", r.body);
        // The refused field of the session form, by its id on the page.
        let id = match k {
            "session_capacity" => "s-cap",
            "day" => "s-day",
            "session_place" => "s-place",
            "course" => "s-course",
            _ => "",
        };
        if !id.is_empty() {
            assert!(r.body.contains(&format!(r##"<a class="ds-link" href="#{id}">"##)), "{k}={v}: {}", r.body);
            assert!(r.body.contains(&format!(r#"aria-invalid="true" aria-describedby="{id}-error">"#)), "{k}={v}: {}", r.body);
            assert!(!r.body.contains(r#"id="c-key-error""#), "only the refused form: {}", r.body);
        }
        if k == "session_capacity" {
            assert!(r.body.contains(r#"id="s-cap-error">Skriv ett antal platser mellan 1 och 1000.</p>"#), "{}", r.body);
            assert!(r.body.contains(r#"id="s-place" name="session_place" type="text" value="Sal A""#), "kept: {}", r.body);
        }
        if k == "session_place" {
            assert!(r.body.contains(r#"id="s-place-error">Skriv var tillfället hålls.</p>"#), "{}", r.body);
        }
    }
    let mut f = base.to_vec();
    f.push(("session_capacity", "20"));
    let r = c.post_form(&format!("/admin/val/{e}/kurser/tillfallen"), &f).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let to = r.location().expect("location").to_string();
    let page = c.get(&to).await;
    assert_eq!(page.status, 200, "{}", page.body);
    // 1 December is winter time: 18:00 in Stockholm is 17:00 UTC.
    assert!(page.body.contains("tisdag 1 december 18:00–21:00"), "{}", page.body);
    // The weekday comes through Fluent in the reader's language.
    let en = c.get(&format!("{to}?lang=en")).await;
    assert!(en.body.contains("Tuesday 1 december 18:00–21:00"), "{}", en.body);
    let ics = c.get(&format!("{to}.ics")).await;
    assert_eq!(ics.status, 200);
    assert!(ics.body.contains("DTSTART:20261201T170000Z\r\n"), "{}", ics.body);
}

#[test]
fn a_sessions_calendar_is_in_utc_with_its_uid_place_and_summary() {
    use radhus_kernel::tz::from_stockholm;
    let s = courses::SessionRow {
        id: Uuid::nil(),
        course_id: Uuid::nil(),
        starts_at: from_stockholm(time::macros::date!(2026 - 08 - 18), time::macros::time!(18:00)),
        ends_at: from_stockholm(time::macros::date!(2026 - 08 - 18), time::macros::time!(21:00)),
        place: "Kommunhuset, sal A".into(),
        capacity: 20,
    };
    let cal = courses::calendar(
        &[courses::session_event("kil.localhost", "x", &s, "Grund; valet".into(), String::new())],
        time::macros::datetime!(2026-08-01 10:00 UTC),
    );
    assert!(cal.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), "{cal}");
    assert!(cal.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"), "{cal}");
    // August is summer time: 18:00 in Stockholm is 16:00 UTC.
    for want in [
        "PRODID:-//Rådhus//Valadministration//SV",
        "UID:x@kil.localhost",
        "DTSTAMP:20260801T100000Z",
        "DTSTART:20260818T160000Z",
        "DTEND:20260818T190000Z",
        "SUMMARY:Grund\\; valet",
        "LOCATION:Kommunhuset\\, sal A",
    ] {
        assert!(cal.contains(&format!("{want}\r\n")), "{want} in {cal}");
    }
    assert!(!cal.contains("DESCRIPTION"), "an empty description is left out");
    assert!(!cal.replace("\r\n", "").contains('\n'));
    // The change to and from summer time.
    assert_eq!(from_stockholm(time::macros::date!(2026 - 03 - 29), time::macros::time!(12:00)).hour(), 10);
    assert_eq!(from_stockholm(time::macros::date!(2026 - 03 - 28), time::macros::time!(12:00)).hour(), 11);
    assert_eq!(from_stockholm(time::macros::date!(2026 - 10 - 25), time::macros::time!(12:00)).hour(), 11);
}

#[tokio::test]
async fn demo_seeding_enrols_and_completes_most() {
    let app = super::app().await;
    let (t, s, _) = super::setup(&app, "kil", "1715").await;
    let (e, _, _) = super::small_election(&app, &s).await;
    let mut people = vec![];
    for i in 0..12 {
        let roles = if i < 3 { "ordforande,vice" } else { "rostmottagare" };
        people.push(person(&app, &s, e, (&format!("P{i}"), "Demo"), None, if i % 4 == 3 { "reserve" } else { "accepted" }, roles).await);
    }
    courses::seed_demo(&app.db, &s, e, app.now()).await.expect("seed");
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let done = courses::completed_courses(&mut tx, t, e).await.expect("completed");
    tx.commit().await.expect("commit");
    assert!(done.iter().filter(|(_, k)| k == "ordforande").count() >= 1, "{done:?}");
    assert!(done.iter().filter(|(_, k)| k == "grund").count() >= 3, "{done:?}");
    assert!(done.len() < people.len(), "some have not completed yet");
    assert!(done.iter().all(|(p, k)| k == "grund" || people[..3].contains(p)));
}

#[tokio::test]
async fn another_municipality_sees_nothing() {
    let app = super::app().await;
    let (_, s, _) = super::setup(&app, "kil", "1715").await;
    let (_t2, s2, email2) = super::setup(&app, "arvika", "1784").await;
    let (e, _, _) = super::small_election(&app, &s).await;
    let (g, _, gs, _) = two_courses(&app, &s, e, "2026-12-01", "5").await;
    let a = person(&app, &s, e, ("Anna", "Ek"), None, "accepted", "").await;
    let mut c = app.login("arvika", &email2).await;
    assert_eq!(c.get(&format!("/admin/val/{e}/kurser")).await.status, 404);
    assert_eq!(c.get(&format!("/admin/val/{e}/kurser/{gs}")).await.status, 404);
    assert_eq!(c.get(&format!("/admin/val/{e}/kurser/{gs}.ics")).await.status, 404);
    assert_eq!(c.post_form(&format!("/admin/val/{e}/kurser/{gs}/anmal"), &[("enrol_person", &a.to_string())]).await.status, 404);
    let err = courses::enrol(&app.db, &s2, e, gs, a, "", app.now()).await.expect_err("other tenant");
    assert!(matches!(err, radhus_platform::error::Error::NotFound), "{err:?}");
    let f = CompletionInput { course: g.to_string(), enrol_person: a.to_string(), note: "x".into() };
    let err = courses::complete_directly(&app.db, &s2, e, &f, app.now()).await.expect_err("other tenant");
    assert!(matches!(err, radhus_platform::error::Error::NotFound), "{err:?}");
    let mut tx = app.db.read(Scope::Tenant(s2.tenant_id)).await.expect("tx");
    assert!(courses::completed_courses(&mut tx, s2.tenant_id, e).await.expect("q").is_empty());
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn sessions_are_changed_and_removed_with_the_people_on_them_told() {
    let app = super::app().await;
    let (t, s, email) = super::setup(&app, "kil", "1715").await;
    let (e, _, _) = super::small_election(&app, &s).await;
    let (g, _o, gs, os) = two_courses(&app, &s, e, "2026-12-01", "1").await;
    let a = person(&app, &s, e, ("Anna", "Ek"), None, "accepted", "rostmottagare").await;
    let b = person(&app, &s, e, ("Bo", "Ek"), None, "accepted", "").await;
    let link = "http://kil.localhost/valarbete/mina-sidor";
    courses::enrol(&app.db, &s, e, gs, a, link, app.now()).await.expect("a");
    assert_eq!(courses::enrol(&app.db, &s, e, gs, b, link, app.now()).await.expect("b"), Enrolled::Waitlist);
    let mut c = app.login("kil", &email).await;
    let change = format!("/admin/val/{e}/kurser/{gs}/andra");
    let form = |day: &'static str, place: &'static str, cap: &'static str| {
        vec![("day", day), ("starts", "17:00"), ("ends", "20:00"), ("session_place", place), ("session_capacity", cap)]
    };

    // The page offers the change form filled in with the session's values.
    let page = c.get(&format!("/admin/val/{e}/kurser/{gs}")).await;
    assert!(
        page.body.contains(r#"id="x-day" name="day" type="date" value="2026-12-01">"#) && page.body.contains(r#"value="18:00""#),
        "{}",
        page.body
    );

    // Bad input and fewer places than enrolled are refused; nothing changes.
    let r = c.post_form(&change, &form("2026-13-01", "Sal B", "1")).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(r##"<a class="ds-link" href="#x-day">"##) && r.body.contains(r#"id="x-day-error""#), "{}", r.body);
    let r = c.post_form(&change, &form("2026-12-02", "", "1")).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains(r##"<a class="ds-link" href="#x-place">Plats: Skriv var tillfället hålls.</a>"##), "{}", r.body);
    assert!(
        r.body.contains(r#"id="x-place" name="session_place" type="text" value="" aria-invalid="true" aria-describedby="x-place-error">"#),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"<details class="ds-details" open>"#) && !r.body.contains(r#"id="e-person-error""#), "{}", r.body);
    let r = c.post_form(&change, &form("2026-12-02", "Sal B", "0")).await;
    assert_eq!(r.status, 422);
    let r = c.post_form(&change, &form("2026-12-02", "Sal B", "1")).await;
    assert_eq!(r.status, 303, "same number of places is fine: {}", r.body);
    let err = courses::update_session(
        &app.db,
        &s,
        e,
        os,
        &SessionInput {
            course: String::new(),
            day: "2026-12-02".into(),
            starts: "10:00".into(),
            ends: "09:00".into(),
            ..Default::default()
        },
        link,
        app.now(),
    )
    .await
    .expect_err("times");
    assert!(matches!(err, radhus_platform::error::Error::Invalid(_) | radhus_platform::error::Error::Rule { .. }), "{err:?}");

    // Moved: Anna (enrolled) and Bo (waitlisted) are told of the new time and place.
    let anna = outbox_to(&app, t, "anna.ek@example.se").await;
    assert!(
        anna.iter().any(|(sub, body)| sub.starts_with("Ändrat tillfälle") && body.contains("Sal B") && body.contains("17:00")),
        "{anna:?}"
    );
    assert!(outbox_to(&app, t, "bo.ek@example.se").await.iter().any(|(sub, _)| sub.starts_with("Ändrat tillfälle")));

    // One more place: Bo gets it and is told; nothing about a move this time.
    let before = outbox_to(&app, t, "anna.ek@example.se").await.len();
    let r = c.post_form(&change, &form("2026-12-02", "Sal B", "2")).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(outbox_to(&app, t, "anna.ek@example.se").await.len(), before, "Anna's session did not move");
    assert!(outbox_to(&app, t, "bo.ek@example.se").await.iter().any(|(sub, _)| sub.starts_with("Du har fått en plats")));
    let r = c.post_form(&change, &form("2026-12-02", "Sal B", "1")).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("Fler är anmälda än antalet platser"), "{}", r.body);

    // A session with people on it is not removed; an empty one is, its cancelled rows with it.
    let r = c.post_form(&format!("/admin/val/{e}/kurser/{gs}/ta-bort"), &[]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    courses::enrol(&app.db, &s, e, os, a, link, app.now()).await.expect("ordforande");
    courses::cancel(&app.db, &s, e, os, a, link, app.now()).await.expect("cancel");
    let r = c.post_form(&format!("/admin/val/{e}/kurser/{os}/ta-bort"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(c.get(&format!("/admin/val/{e}/kurser/{os}")).await.status, 404);

    // A course type is removed only without sessions and completions.
    let r = c.post_form(&format!("/admin/val/{e}/kurser/kurstyp/{g}/ta-bort"), &[]).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("har tillfällen eller genomförda deltagare"), "{}", r.body);
    let r = c.post_form(&format!("/admin/val/{e}/kurser/kurstyp/{_o}/ta-bort"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let left: Vec<String> = on_tx!(&mut tx, x => sqlx::query_scalar("SELECT course_key FROM el_course WHERE tenant_id = $1 AND election_id = $2")
        .bind(t.0).bind(e).fetch_all(x).await.expect("courses"));
    tx.commit().await.expect("commit");
    assert_eq!(left, vec!["grund".to_string()]);

    // The course type's name and description; an empty name is refused.
    let r = c.post_form(&format!("/admin/val/{e}/kurser/kurstyp/{g}"), &[("name", " "), ("description", "")]).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains(&format!(r##"<a class="ds-link" href="#n-{g}">"##)) && r.body.contains("Skriv utbildningens namn."),
        "{}",
        r.body
    );
    assert!(r.body.contains(&format!(r#"id="n-{g}-error">Skriv utbildningens namn.</p>"#)), "{}", r.body);
    assert!(r.body.contains(r#"<details class="ds-details" open>"#), "the refused course's form is open: {}", r.body);
    let r = c
        .post_form(&format!("/admin/val/{e}/kurser/kurstyp/{g}"), &[("name", "Grundkurs för röstmottagare"), ("description", "Två timmar")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = c.get(&format!("/admin/val/{e}/kurser")).await;
    assert!(page.body.contains("Grundkurs för röstmottagare") && page.body.contains("Två timmar"));

    // Once it has begun, the session stays as it was.
    app.clock.advance(time::Duration::days(10));
    let mut c = app.login("kil", &email).await;
    let r = c.post_form(&change, &form("2026-12-20", "Sal C", "5")).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("har börjat"));
    assert_eq!(c.post_form(&format!("/admin/val/{e}/kurser/{gs}/ta-bort"), &[]).await.status, 409);

    // Another municipality reaches none of it.
    let (_, _, other) = super::setup(&app, "arvika", "1784").await;
    let mut o = app.login("arvika", &other).await;
    assert_eq!(o.post_form(&format!("/admin/val/{e}/kurser/kurstyp/{g}"), &[("name", "X")]).await.status, 404);
    assert_eq!(o.post_form(&format!("/admin/val/{e}/kurser/{gs}/ta-bort"), &[]).await.status, 404);
    let actions = audit_actions(&app, t).await;
    for x in ["elections.courses.session_updated", "elections.courses.session_removed", "elections.courses.updated"] {
        assert!(actions.iter().any(|y| y == x), "{x}");
    }
}
