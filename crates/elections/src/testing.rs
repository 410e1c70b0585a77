//! Fixture builders for tests: people, applications, courses, positions and placements made
//! through the same use cases the office's pages and the public form call, so that a test's
//! data passes every check the product makes (and audit events, register checks and e-mails
//! are what they would be). Each builder returns the ids the use case returns.
//!
//! Why here and behind the `testing` feature: the builders need this crate's use cases, and
//! `radhus-testkit` cannot depend on `radhus-elections` — elections has testkit as a
//! dev-dependency, so the test build would link a second copy of this crate whose types do
//! not match the first. The feature keeps the module out of the product build; this crate's
//! own tests enable it through a dev-dependency on itself, and the server's tests through
//! their dev-dependency on `radhus-elections`.
//!
//! Every builder panics with the use case's error: a fixture that cannot be built is a broken
//! test, never a case to handle.

use std::sync::atomic::{AtomicU32, Ordering};

use radhus_platform::db::{Db, Scope};
use radhus_platform::identity::citizen::FixtureRegister;
use radhus_platform::identity::session::StaffUser;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::applications::{self, ApplyInput, EidPerson, ScreenInput, Submission};
use crate::courses::{self, CourseInput, SessionInput};
use crate::registers::service::{self as registers, HistoryInput, PersonInput};
use crate::structure::service::{self as structure, PositionsInput, SettingsInput};

/// Who builds: the database, the office's staff user (with the elections permissions), the
/// municipality's kommunkod (the register check compares against it) and the time.
pub struct Fixtures<'a> {
    pub db: &'a Db,
    pub staff: &'a StaffUser,
    pub kommunkod: &'a str,
    pub now: OffsetDateTime,
}

/// A valid personnummer (`YYYYMMDD-NNNC`) for a birth date (`YYYY-MM-DD`): a new serial number
/// each call, with the Luhn check digit.
pub fn pnr(birth: &str) -> String {
    static SERIAL: AtomicU32 = AtomicU32::new(100);
    let serial = SERIAL.fetch_add(1, Ordering::Relaxed) % 1000;
    pnr_with(birth, serial)
}

/// The personnummer of a birth date and a serial number (0–999) with its check digit.
pub fn pnr_with(birth: &str, serial: u32) -> String {
    let date: String = birth.chars().filter(char::is_ascii_digit).collect();
    assert_eq!(date.len(), 8, "birth date YYYY-MM-DD: {birth}");
    let body = format!("{}{:03}", &date[2..], serial % 1000);
    let sum: u32 = body
        .chars()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| {
            let x = if i % 2 == 0 { d * 2 } else { d };
            x / 10 + x % 10
        })
        .sum();
    format!("{}-{:03}{}", &date, serial % 1000, (10 - sum % 10) % 10)
}

/// What an applicant writes on the public form, and where the office puts the application.
#[derive(Debug, Clone)]
pub struct Applicant {
    pub pnr: String,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    /// Roles wanted ("rostmottagare", "ordforande", "vice"); at least one.
    pub roles: Vec<String>,
    /// The shifts the applicant can work; at least one.
    pub shifts: Vec<Uuid>,
    /// Wished stations, up to three.
    pub stations: Vec<Uuid>,
    pub candidate: bool,
    /// The office's screening: "received" (none), "accepted", "reserve" or "rejected".
    pub status: String,
    /// Coordinates of the home. The form does not ask for them: when given, the person is
    /// first entered in the register by the office with them, and the application (with
    /// e-ID) then finds the person by personnummer; the coordinates stay.
    pub home: Option<(f64, f64)>,
    /// The municipality's minimum age while the application is made, the setting restored
    /// afterwards: someone who applied under a lower limit than today's (the form refuses
    /// anyone younger than the limit of the day).
    pub min_age_then: Option<i32>,
}

impl Applicant {
    /// An applicant with the personnummer and name, available for one shift, wanting every
    /// role, with an address in Kil and the status "accepted".
    pub fn new(pnr: &str, given_name: &str, family_name: &str, shift: Uuid) -> Self {
        Applicant {
            pnr: pnr.to_string(),
            given_name: given_name.to_string(),
            family_name: family_name.to_string(),
            email: String::new(),
            phone: "070-123 45 67".into(),
            address: "Gatan 1".into(),
            postal_code: "665 30".into(),
            city: "Kil".into(),
            roles: vec!["rostmottagare".into(), "ordforande".into(), "vice".into()],
            shifts: vec![shift],
            stations: vec![],
            candidate: false,
            status: "accepted".into(),
            home: None,
            min_age_then: None,
        }
    }
    pub fn contact(mut self, phone: &str, email: &str) -> Self {
        self.phone = phone.to_string();
        self.email = email.to_string();
        self
    }
    pub fn roles(mut self, roles: &[&str]) -> Self {
        self.roles = roles.iter().map(|r| r.to_string()).collect();
        self
    }
    pub fn status(mut self, status: &str) -> Self {
        self.status = status.to_string();
        self
    }
    pub fn candidate(mut self, candidate: bool) -> Self {
        self.candidate = candidate;
        self
    }
    pub fn home(mut self, lat: f64, lon: f64) -> Self {
        self.home = Some((lat, lon));
        self
    }
    pub fn min_age_then(mut self, age: i32) -> Self {
        self.min_age_then = Some(age);
        self
    }
}

impl Fixtures<'_> {
    /// A person entered in the register by the office (`registers::service::create_person`).
    pub async fn person(&self, f: &PersonInput) -> Uuid {
        registers::create_person(self.db, self.staff, f, self.now).await.expect("fixture: register person")
    }

    /// Work in an earlier election, typed in by the office (`registers::service::add_history`).
    pub async fn history(&self, person: Uuid, year: i32, role: &str, place: &str) {
        let f = HistoryInput { year: year.to_string(), role: role.into(), place: place.into() };
        registers::add_history(self.db, self.staff, person, &f, self.now).await.expect("fixture: history");
    }

    /// Opens the election for applications (its candidate policy stays).
    pub async fn open_applications(&self, e: Uuid) {
        let t = self.staff.tenant_id;
        let mut tx = self.db.read(Scope::Tenant(t)).await.expect("fixture: tx");
        let el = structure::election_in(&mut tx, t, e).await.expect("fixture: election");
        tx.commit().await.expect("fixture: commit");
        if !el.applications_open {
            let f = SettingsInput { candidate_policy: el.candidate_policy, applications_open: Some("1".into()), ..Default::default() };
            structure::save_settings(self.db, self.staff, e, &f, self.now).await.expect("fixture: open applications");
        }
    }

    /// An application through the public form with e-ID (`applications::apply`), screened by
    /// the office to the applicant's status (`applications::screen`): the person's id. Opens
    /// the election for applications first.
    pub async fn apply(&self, e: Uuid, a: &Applicant) -> Uuid {
        if let Some((lat, lon)) = a.home {
            let f = PersonInput {
                pnr: a.pnr.clone(),
                given_name: a.given_name.clone(),
                family_name: a.family_name.clone(),
                lat: lat.to_string(),
                lon: lon.to_string(),
                ..Default::default()
            };
            self.person(&f).await;
        }
        self.open_applications(e).await;
        let sub = Submission {
            tenant: self.staff.tenant_id,
            kommunkod: self.kommunkod,
            municipality: "Kommunen",
            actor: radhus_platform::audit::Actor::citizen(&a.pnr, &a.given_name),
            eid: Some(EidPerson { pnr: a.pnr.clone(), given_name: a.given_name.clone(), family_name: a.family_name.clone() }),
            site_url: "http://localhost".into(),
        };
        let f = ApplyInput {
            email: a.email.clone(),
            phone: a.phone.clone(),
            address: a.address.clone(),
            postal_code: a.postal_code.clone(),
            city: a.city.clone(),
            roles: a.roles.clone(),
            station1: a.stations.first().map(Uuid::to_string).unwrap_or_default(),
            station2: a.stations.get(1).map(Uuid::to_string).unwrap_or_default(),
            station3: a.stations.get(2).map(Uuid::to_string).unwrap_or_default(),
            shifts: a.shifts.iter().map(Uuid::to_string).collect(),
            candidate: if a.candidate { "yes" } else { "no" }.into(),
            consent: Some("on".into()),
            ..Default::default()
        };
        let before = match a.min_age_then {
            Some(age) => Some(self.set_min_age(age).await),
            None => None,
        };
        let person = applications::apply(self.db, &FixtureRegister::new(), &sub, e, &f, self.now).await.expect("fixture: apply").person;
        if let Some((before, contact)) = before {
            crate::settings::save(self.db, self.staff, &crate::settings::SettingsInput::of(before, contact), self.now)
                .await
                .expect("fixture: settings");
        }
        if a.status != "received" {
            self.screen(e, person, &a.status).await;
        }
        person
    }

    /// Sets the municipality's minimum age (`settings::save`): the settings before.
    async fn set_min_age(&self, age: i32) -> (crate::settings::Settings, crate::settings::Contact) {
        let t = self.staff.tenant_id;
        let mut tx = self.db.read(Scope::Tenant(t)).await.expect("fixture: tx");
        let before = crate::settings::get(&mut tx, t).await.expect("fixture: settings");
        let contact = crate::settings::contact(&mut tx, t).await.expect("fixture: contact");
        tx.commit().await.expect("fixture: commit");
        let f = crate::settings::SettingsInput { min_age: age.to_string(), ..crate::settings::SettingsInput::of(before, contact.clone()) };
        crate::settings::save(self.db, self.staff, &f, self.now).await.expect("fixture: settings");
        (before, contact)
    }

    /// The office's screening decision (`applications::screen`); reserve and rejected get a
    /// reason.
    pub async fn screen(&self, e: Uuid, person: Uuid, status: &str) {
        let reason = if status == "accepted" { String::new() } else { "Testdata".into() };
        let f = ScreenInput { decision: status.into(), reason };
        applications::screen(self.db, self.staff, e, person, &f, self.now).await.expect("fixture: screen");
    }

    /// A course of the kind ("grund", "ordforande") with one session of three hours from
    /// `starts` ("HH:MM", Swedish time) on `day` ("YYYY-MM-DD") at the municipal hall, 30
    /// places: (course, session).
    pub async fn course(&self, e: Uuid, key: &str, day: &str, starts: &str) -> (Uuid, Uuid) {
        let name = if key == "ordforande" { "Ordförandeutbildning" } else { "Grundutbildning" };
        let f = CourseInput { course_key: key.into(), name: name.into(), description: String::new() };
        let course = courses::create_course(self.db, self.staff, e, &f, self.now).await.expect("fixture: course");
        let (h, m) = starts.split_once(':').expect("fixture: HH:MM");
        let ends = format!("{:02}:{m}", h.parse::<u8>().expect("fixture: hour") + 3);
        let f = SessionInput {
            course: course.to_string(),
            day: day.into(),
            starts: starts.into(),
            ends,
            session_place: "Kommunhuset".into(),
            session_capacity: "30".into(),
        };
        let session = courses::add_session(self.db, self.staff, e, &f, self.now).await.expect("fixture: session");
        (course, session)
    }

    /// Enrols an accepted or reserve applicant in a session (`courses::enrol`).
    pub async fn enrol(&self, e: Uuid, session: Uuid, person: Uuid) {
        courses::enrol(self.db, self.staff, e, session, person, "http://localhost/valarbete/mina-sidor", self.now)
            .await
            .expect("fixture: enrol");
    }

    /// Records that the person attended a session that has begun, so has completed the course
    /// (`courses::record_attendance`); who attended it before still has.
    pub async fn attended(&self, e: Uuid, session: Uuid, person: Uuid) {
        let t = self.staff.tenant_id;
        let mut tx = self.db.read(Scope::Tenant(t)).await.expect("fixture: tx");
        let key = courses::courses(&mut tx, t, e).await.expect("fixture: courses");
        let ses = courses::sessions(&mut tx, t, e).await.expect("fixture: sessions");
        let course = ses.iter().find(|s| s.id == session).map(|s| s.course_id).expect("fixture: the session");
        let key = key.into_iter().find(|c| c.id == course).map(|c| c.course_key).expect("fixture: the course");
        let mut attended: Vec<Uuid> = courses::completed_courses(&mut tx, t, e)
            .await
            .expect("fixture: done")
            .into_iter()
            .filter(|(_, k)| *k == key)
            .map(|(p, _)| p)
            .collect();
        tx.commit().await.expect("fixture: commit");
        attended.push(person);
        courses::record_attendance(self.db, self.staff, e, session, &attended, self.now).await.expect("fixture: attendance");
    }

    /// `count` positions of the role at the station in the shift
    /// (`structure::service::add_positions`): their ids.
    pub async fn positions(&self, e: Uuid, station: Uuid, shift: Uuid, role: &str, count: usize) -> Vec<Uuid> {
        let before = self.position_ids(e).await;
        let f = PositionsInput { shift: shift.to_string(), role: role.into(), count: count.to_string(), language: String::new() };
        structure::add_positions(self.db, self.staff, e, station, &f, self.now).await.expect("fixture: positions");
        self.position_ids(e).await.into_iter().filter(|id| !before.contains(id)).collect()
    }

    async fn position_ids(&self, e: Uuid) -> Vec<Uuid> {
        let t = self.staff.tenant_id;
        let mut tx = self.db.read(Scope::Tenant(t)).await.expect("fixture: tx");
        let v = crate::structure::store::positions(&mut tx, t, e).await.expect("fixture: positions");
        tx.commit().await.expect("fixture: commit");
        v.into_iter().map(|p| p.id).collect()
    }

    /// Places an accepted applicant in a position by hand (`staffing::place`, with its hard
    /// rules).
    pub async fn place(&self, e: Uuid, position: Uuid, person: Uuid) {
        crate::staffing::place(self.db, self.staff, e, position, person, self.now).await.expect("fixture: place");
    }

    /// A new position of the role at (station, shift) with the person placed in it: the
    /// position.
    pub async fn place_new(&self, e: Uuid, at: (Uuid, Uuid), role: &str, person: Uuid) -> Uuid {
        let position = self.positions(e, at.0, at.1, role, 1).await[0];
        self.place(e, position, person).await;
        position
    }

    /// The placed worker's answer, "accepted" or "declined", as on their own page
    /// (`worker::answer`, logged in with e-ID); a decline tells no office address.
    pub async fn answer(&self, e: Uuid, person: Uuid, response: &str) {
        let t = self.staff.tenant_id;
        let mut tx = self.db.read(Scope::Tenant(t)).await.expect("fixture: tx");
        let p = applications::person(&mut tx, t, person).await.expect("fixture: person").expect("fixture: the person");
        tx.commit().await.expect("fixture: commit");
        let pnr = p.pnr.clone().expect("fixture: a worker has a personnummer");
        let name = format!("{} {}", p.given_name, p.family_name);
        let me = crate::worker::Me {
            tenant: t,
            actor: radhus_platform::audit::Actor::citizen(&pnr, &name),
            person: crate::worker::PersonRow {
                id: person,
                pnr: Some(pnr),
                given_name: p.given_name,
                family_name: p.family_name,
                email: p.email,
            },
        };
        let office = crate::worker::OfficeNotice { email: "", staffing_link: String::new() };
        crate::worker::answer(self.db, &me, e, response, &office, self.now).await.expect("fixture: answer");
    }

    /// Appoints a placed worker and writes the letter (`appointment::appoint`, with the course
    /// rule and the others).
    pub async fn appoint(&self, e: Uuid, person: Uuid) {
        crate::staffing::appointment::appoint(self.db, self.staff, "Kommunen", e, person, self.now).await.expect("fixture: appoint");
    }
}
