//! The election office's settings of the municipality (issue 20 items 7 and 8) on a database:
//! the settings page with its validation, "train after placement" for the optimiser while
//! appointment still waits for the course, and the minimum age on the application form and in
//! staffing. Each test fails if the setting is ignored.

use radhus_elections::courses::{self, CompletionInput};
use radhus_elections::settings::{self, Settings};
use radhus_elections::structure::service::{self, PositionsInput, SettingsInput};
use radhus_elections::{Rule, Severity, appointment, staffing};
use radhus_kernel::Personnummer;
use radhus_kernel::ids::TenantId;
use radhus_platform::db::Scope;
use radhus_platform::on_tx;
use radhus_testkit::TestApp;
use uuid::Uuid;

use super::applications::{actions, form, pairs};
use super::staffing::{applicant, course};

async fn positions(app: &TestApp, s: &radhus_platform::identity::session::StaffUser, e: Uuid, st: Uuid, sh: Uuid, roles: &[(&str, &str)]) {
    for (role, n) in roles {
        service::add_positions(
            &app.db,
            s,
            e,
            st,
            &PositionsInput { shift: sh.to_string(), role: (*role).into(), count: (*n).into(), language: String::new() },
            app.now(),
        )
        .await
        .expect("positions");
    }
}

async fn load(app: &TestApp, t: TenantId, e: Uuid) -> staffing::Loaded {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let l = staffing::load(&mut tx, t, e).await.expect("load");
    tx.commit().await.expect("commit");
    l
}

async fn current(app: &TestApp, t: TenantId) -> Settings {
    let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
    let s = settings::get(&mut tx, t).await.expect("settings");
    tx.commit().await.expect("commit");
    s
}

#[tokio::test]
async fn train_after_placement_lets_the_optimiser_place_the_untrained_and_appointment_waits_for_the_course() {
    let app = super::app().await;
    let (t, s, email) = super::setup(&app, "kil", "1715").await;
    let (e, st, sh) = super::small_election(&app, &s).await;
    positions(&app, &s, e, st, sh, &[("ordforande", "1"), ("vice", "1"), ("rostmottagare", "3")]).await;
    let grund = course(&app, &s, e, "grund").await;
    let leader = course(&app, &s, e, "ordforande").await;
    applicant(&app, &s, e, sh, "Anna", "1970-01-01", 1.0, Some("ordforande"), &[leader], false).await;
    applicant(&app, &s, e, sh, "Bo", "1980-01-01", 2.0, Some("rostmottagare"), &[leader], false).await;
    for (i, n) in ["Cecilia", "David"].iter().enumerate() {
        applicant(&app, &s, e, sh, n, "1990-05-05", 3.0 + i as f64, None, &[grund], false).await;
    }
    let untrained = applicant(&app, &s, e, sh, "Otränad", "1985-01-01", 0.2, None, &[], false).await;
    let mut c = app.login("kil", &email).await;

    // Without the setting (the default) the optimiser places only the trained: one gap.
    assert_eq!(current(&app, t).await, Settings::default());
    let r = super::optimise(&mut c, e, false).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let l = load(&app, t, e).await;
    assert!(!l.rules.train_after_placement);
    assert_eq!(l.assignments.len(), 4);
    assert!(l.assignment_of(untrained).is_none());

    // The settings page: Swedish, the defaults, the form with its CSRF field.
    let page = c.get("/admin/val/installningar").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Inställningar för valadministrationen") && page.body.contains("Utbildning efter placering"));
    assert!(
        page.body.contains(r#"name="min_age" type="text" value="18" inputmode="numeric" aria-describedby="min_age-hint">"#),
        "{}",
        page.body
    );
    assert!(page.body.contains("Valkansliets telefonnummer (frivilligt)") && !page.body.contains(" required"), "{}", page.body);
    assert!(!page.body.contains("checked"), "train after placement is off by default");
    assert!(page.body.contains(r#"name="_csrf""#), "{}", page.body);
    assert!(c.get("/admin/val").await.body.contains("/admin/val/installningar"), "linked from the elections");
    let r = c.post_form("/admin/val/installningar", &[("min_age", "18"), ("train_after_placement", "on")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(current(&app, t).await, Settings { min_age: 18, train_after_placement: true });
    let page = c.get("/admin/val/installningar?sparat=1").await;
    assert!(page.body.contains("Inställningarna är sparade") && page.body.contains(" checked"), "{}", page.body);
    assert!(actions(&app, t).await.contains(&"elections.settings.changed".to_string()));

    // With it the optimiser fills the gap with the untrained person; the plan warns.
    let r = super::optimise(&mut c, e, false).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let l = load(&app, t, e).await;
    assert_eq!(l.assignments.len(), 5);
    let a = l.assignment_of(untrained).expect("placed under train after placement");
    assert!(a.explanation.contains("återstår innan förordnande"), "{}", a.explanation);
    let course_rule: Vec<_> = l.violations().into_iter().filter(|v| v.rule == Rule::CourseCompleted).collect();
    assert_eq!(course_rule.len(), 1, "{course_rule:?}");
    assert_eq!(course_rule[0].severity, Severity::Warning);
    let dashboard = c.get(&format!("/admin/val/{e}/bemanning")).await;
    assert!(dashboard.body.contains("kan förordnas först när utbildningen är registrerad"), "{}", dashboard.body);
    // The rules page says the rule follows the municipality's setting, and links to it.
    assert!(dashboard.body.contains("Kommunens inställning: utbildning efter placering"), "{}", dashboard.body);
    assert!(dashboard.body.contains(r#"<a href="/admin/val/installningar">Kommunens inställning: 18 år.</a>"#), "{}", dashboard.body);

    // Appointment still refuses them (VAL-012, a clear Swedish message), the others are appointed.
    let err = appointment::appoint(&app.db, &s, "Kil", e, untrained, app.now()).await.expect_err("no course yet");
    assert_eq!(err.code().code, "VAL-012");
    let r = c.post_form(&format!("/admin/val/{e}/bemanning/lokal/{st}/forordna"), &[("person", &untrained.to_string())]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("har inte genomfört utbildningen för sin roll och kan inte förordnas"), "{}", r.body);
    let r = c.post_form(&format!("/admin/val/{e}/bemanning/forordna-alla"), &[("confirm", "ja")]).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("4 röstmottagare förordnades") && r.body.contains("Otränad Test har inte genomfört"), "{}", r.body);

    // Once the course is recorded the appointment goes through.
    let grund_course: Uuid = {
        let mut tx = app.db.read(Scope::Tenant(t)).await.expect("tx");
        let id: Uuid = on_tx!(&mut tx, c => sqlx::query_scalar("SELECT course_id FROM el_session WHERE tenant_id = $1 AND id = $2")
            .bind(t.0).bind(grund).fetch_one(c).await.expect("course"));
        tx.commit().await.expect("commit");
        id
    };
    let done = CompletionInput {
        course: grund_course.to_string(),
        enrol_person: untrained.to_string(),
        note: "Valmyndighetens webbutbildning, intyg uppvisat".into(),
    };
    courses::complete_directly(&app.db, &s, e, &done, app.now()).await.expect("completed");
    appointment::appoint(&app.db, &s, "Kil", e, untrained, app.now()).await.expect("appointed after the course");
    let l = load(&app, t, e).await;
    assert!(l.assignment_of(untrained).is_some_and(|a| a.appointed_at.is_some()));
}

#[tokio::test]
async fn the_minimum_age_is_a_setting_of_the_municipality() {
    let app = super::app().await;
    let (t, s, email) = super::setup(&app, "kil", "1715").await;
    let (e, st, sh) = super::small_election(&app, &s).await;
    service::save_settings(
        &app.db,
        &s,
        e,
        &SettingsInput { candidate_policy: "block".into(), applications_open: Some("1".into()), ..Default::default() },
        app.now(),
    )
    .await
    .expect("open");
    let mut office = app.login("kil", &email).await;

    // Bad values are refused with the field's Swedish message; nothing is saved.
    for bad in ["15", "100", "arton", ""] {
        let r = office.post_form("/admin/val/installningar", &[("min_age", bad)]).await;
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
        assert!(
            r.body.contains(
                r##"<a class="ds-link" href="#min_age">Lägsta ålder på valdagen: Skriv ett helt antal år mellan 16 och 99.</a>"##
            ),
            "{bad}: {}",
            r.body
        );
        assert!(r.body.contains(r#"<p class="ds-validation-message" data-field="validation" id="min_age-error">Skriv ett helt antal år mellan 16 och 99.</p>"#), "{bad}: {}", r.body);
        assert!(r.body.contains(&format!(r#"name="min_age" type="text" value="{bad}" inputmode="numeric" aria-invalid="true" aria-describedby="min_age-hint min_age-error">"#)), "{bad}: {}", r.body);
    }
    // A phone number and an e-mail address that are not: each refused at its own field.
    let r = office
        .post_form("/admin/val/installningar", &[("min_age", "18"), ("office_phone", "ring oss"), ("office_email", "kansliet")])
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(r##"href="#office_phone""##) && r.body.contains(r##"href="#office_email""##), "{}", r.body);
    assert!(r.body.contains(r#"id="office_phone-error">Skriv telefonnumret med siffror, till exempel 0554-191 00.</p>"#), "{}", r.body);
    assert!(r.body.contains(r#"aria-invalid="true" aria-describedby="office_email-error">"#), "{}", r.body);
    assert!(!r.body.contains(r#"id="min_age-error""#), "the good age has no message: {}", r.body);
    assert_eq!(current(&app, t).await, Settings::default());
    assert!(!actions(&app, t).await.contains(&"elections.settings.changed".to_string()));

    // 19 on the election day (8 September 2030).
    let nineteen =
        Personnummer::from_parts(time::macros::date!(2011 - 01 - 15), 123, radhus_kernel::personnummer::NumberKind::Personnummer)
            .expect("pnr")
            .to_string();
    let r = office.post_form("/admin/val/installningar", &[("min_age", "20")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(current(&app, t).await.min_age, 20);

    // The application form says 20 and refuses the 19-year-old (VAL-142).
    let mut visitor = app.client("kil.localhost");
    let page = visitor.get(&format!("/valarbete/ansok/{e}")).await;
    assert!(page.body.contains("Du måste ha fyllt 20 år senast på valdagen"), "{}", page.body);
    let r = visitor.post_form(&format!("/valarbete/ansok/{e}"), &pairs(&form(&nineteen, st, sh))).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Du har inte fyllt den ålder som kommunen kräver"), "{}", r.body);

    // Staffing: the 19-year-old is not placed by the optimiser, and manual placement refuses.
    positions(&app, &s, e, st, sh, &[("rostmottagare", "1")]).await;
    let grund = course(&app, &s, e, "grund").await;
    let young = applicant(&app, &s, e, sh, "Nitton", "2011-01-15", 0.5, None, &[grund], false).await;
    let r = super::optimise(&mut office, e, false).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let l = load(&app, t, e).await;
    assert_eq!(l.rules.min_age, Some(20));
    let dashboard = office.get(&format!("/admin/val/{e}/bemanning")).await;
    assert!(dashboard.body.contains("Kommunens inställning: 20 år."), "{}", dashboard.body);
    assert!(l.assignment_of(young).is_none());
    let position = l.positions[0].id.to_string();
    let r = office
        .post_form(&format!("/admin/val/{e}/bemanning/lokal/{st}/placera"), &[("position", &position), ("person", &young.to_string())])
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Personen får inte placeras eller förordnas: kontrollera ålder på valdagen"), "{}", r.body);

    // Back to 18: the form accepts the same person and the optimiser places the young one.
    let r = office.post_form("/admin/val/installningar", &[("min_age", "18")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = visitor.post_form(&format!("/valarbete/ansok/{e}"), &pairs(&form(&nineteen, st, sh))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = super::optimise(&mut office, e, false).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(load(&app, t, e).await.assignment_of(young).is_some());

    // Another municipality keeps its own defaults and cannot reach Kil's settings.
    let (other_t, _, other) = super::setup(&app, "arvika", "1784").await;
    assert_eq!(current(&app, other_t).await, Settings::default());
    let mut o = app.login("arvika", &other).await;
    let page = o.get("/admin/val/installningar").await;
    assert!(page.body.contains(r#"value="18""#));
    assert_eq!(current(&app, t).await.min_age, 18);
}
