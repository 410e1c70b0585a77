//! Integration tests of the staffing rules and the optimiser on small instances whose answer
//! can be checked by hand.

mod applications;
mod campaigns;
mod courses;
mod material;
mod optimiser;
mod properties;
mod public_pages;
mod registers;
mod reports;
mod rules;
mod settings;
mod staffing;
mod staffing_picker;
mod structure;
mod usability_registers;
mod valimport;
mod worker;

use radhus_elections::core::testdata::{applicant, instance, leader, vallokal};
use radhus_elections::{Applicant, Instance, PastService, Role, Station};

/// One km north-south in degrees of latitude.
pub const KM: f64 = 1.0 / 111.195;

/// A station `x` km north of (59.0, 13.5).
pub fn station_at(n: u32, name: &str, x: f64) -> Station {
    vallokal(n, name, 59.0 + x * KM, 13.5)
}

pub fn person_at(n: u32, x: f64) -> Applicant {
    applicant(n, 59.0 + x * KM, 13.5)
}

pub fn leader_at(n: u32, x: f64) -> Applicant {
    leader(n, 59.0 + x * KM, 13.5)
}

/// Someone who worked as röstmottagare in 2022: may be vice ordförande.
pub fn veteran_at(n: u32, x: f64) -> Applicant {
    let mut a = person_at(n, x);
    a.experience.push(PastService { year: 2022, role: Role::Rostmottagare });
    a.courses.insert(radhus_elections::Course::Ordforande);
    a
}

/// One station at 0 with a full team living there: one leader, one veteran, four first-timers.
pub fn one_full_station() -> Instance {
    let mut people = vec![leader_at(1, 0.0), veteran_at(2, 0.0)];
    people.extend((3..=6).map(|n| person_at(n, 0.0)));
    instance(vec![station_at(1, "Centrum", 0.0)], people)
}

// ------------------------------------------------------------------ the module on a database

pub async fn app() -> radhus_testkit::TestApp {
    radhus_testkit::TestApp::with_modules(|cfg| vec![radhus_platform::platform_module(cfg), radhus_elections::module()], |_| {}).await
}

/// A municipality with an administrator holding every permission, the staff user and e-mail.
pub async fn setup(
    app: &radhus_testkit::TestApp,
    slug: &str,
    kommunkod: &str,
) -> (radhus_kernel::ids::TenantId, radhus_platform::identity::session::StaffUser, String) {
    let (t, email) = app.tenant_with_admin(slug, slug, kommunkod).await;
    (t, app.staff(t, &email).await, email)
}

/// The fixture builders (`radhus_elections::testing`) as the staff user, for Kil's kommunkod.
pub fn fixtures<'a>(
    app: &'a radhus_testkit::TestApp,
    s: &'a radhus_platform::identity::session::StaffUser,
) -> radhus_elections::testing::Fixtures<'a> {
    radhus_elections::testing::Fixtures { db: &app.db, staff: s, kommunkod: "1715", now: app.now() }
}

/// An election of Kil (kommunkod 1715) with one district, one vallokal and an election-day
/// shift, made through the service: (election, station, shift). The election day is after the
/// test clock (`radhus_testkit::START`, 2026-11-23): applications close by themselves after it.
pub async fn small_election(
    app: &radhus_testkit::TestApp,
    s: &radhus_platform::identity::session::StaffUser,
) -> (uuid::Uuid, uuid::Uuid, uuid::Uuid) {
    small_election_on(app, s, "2030-09-08").await
}

/// The small election on another day (Valmyndigheten's 2026 files open the polls on
/// 2026-09-13; the election is then over by the test clock).
pub async fn small_election_on(
    app: &radhus_testkit::TestApp,
    s: &radhus_platform::identity::session::StaffUser,
    day: &str,
) -> (uuid::Uuid, uuid::Uuid, uuid::Uuid) {
    use radhus_elections::structure::service::{self, DistrictInput, ElectionInput, ShiftInput, StationInput};
    let date = time::Date::parse(day, &time::format_description::well_known::Iso8601::DATE).expect("day");
    let early = (date - time::Duration::days(18)).to_string();
    let e = service::create_election(
        &app.db,
        s,
        &ElectionInput {
            kind: "riksdag".into(),
            name: format!("Valen {}", date.year()),
            election_day: day.into(),
            early_from: early,
            early_to: day.into(),
            copy_from: String::new(),
        },
        app.now(),
    )
    .await
    .expect("election");
    service::add_district(
        &app.db,
        s,
        "1715",
        e,
        &DistrictInput { code: "17150001".into(), name: "Kil centrum".into(), ..Default::default() },
        app.now(),
    )
    .await
    .expect("district");
    let st = service::add_station(
        &app.db,
        s,
        e,
        &StationInput {
            kind: "vallokal".into(),
            name: "Kils församlingshem".into(),
            address: "Storgatan 1, Kil".into(),
            lat: "59,5035".into(),
            lon: "13,3190".into(),
            district: "17150001".into(),
            premises: String::new(),
        },
        app.now(),
    )
    .await
    .expect("station");
    let sh = service::add_shift(
        &app.db,
        s,
        e,
        &ShiftInput { name: "Hela dagen".into(), day: day.into(), starts: "07:30".into(), ends: "21:00".into() },
        app.now(),
    )
    .await
    .expect("shift");
    (e, st, sh)
}

/// Automatic staffing as the office does it (issue 18 item 3): the page that shows what would
/// change, then the confirmation of exactly that plan. The confirmation's answer.
pub async fn optimise(c: &mut radhus_testkit::Client, e: uuid::Uuid, keep_manual: bool) -> radhus_testkit::client::Response {
    let q = if keep_manual { "?keep_manual=1" } else { "" };
    let preview = c.get(&format!("/admin/val/{e}/bemanning/optimera{q}")).await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    let plan =
        preview.body.split(r#"name="plan" value=""#).nth(1).and_then(|x| x.split('"').next()).expect("the plan's fingerprint").to_string();
    let mut form = vec![("plan", plan.as_str())];
    if keep_manual {
        form.push(("keep_manual", "1"));
    }
    c.post_form(&format!("/admin/val/{e}/bemanning/optimera"), &form).await
}
