//! Builders of small, deterministic staffing instances for tests, examples and the benchmark.
//! Ids are fixed numbers so that a failing test names the same things every run.

use std::collections::BTreeSet;

use time::macros::{date, time};
use uuid::Uuid;

use crate::core::model::{
    Applicant, Coord, Course, DistrictCode, Election, ElectionId, ElectionKind, Instance, OpeningDay, PastService, PersonId, Position,
    PositionId, Role, Shift, ShiftId, Station, StationId, StationKind, Valdistrikt,
};

pub const MORNING: ShiftId = ShiftId(Uuid::from_u128(1));
pub const AFTERNOON: ShiftId = ShiftId(Uuid::from_u128(2));

pub fn election() -> Election {
    Election {
        id: ElectionId(Uuid::from_u128(7)),
        kind: ElectionKind::Riksdag,
        name: "Val till riksdagen 2026".to_owned(),
        day: date!(2026 - 09 - 13),
    }
}

/// Förmiddag 08–14 and eftermiddag 14–20 on election day (vallokaler are open 08–20).
pub fn shifts() -> Vec<Shift> {
    let day = election().day;
    vec![
        Shift { id: MORNING, name: "förmiddag".to_owned(), date: day, start: time!(08:00), end: time!(14:00) },
        Shift { id: AFTERNOON, name: "eftermiddag".to_owned(), date: day, start: time!(14:00), end: time!(20:00) },
    ]
}

pub fn station_id(n: u32) -> StationId {
    StationId(Uuid::from_u128(10_000 + u128::from(n)))
}

pub fn person_id(n: u32) -> PersonId {
    PersonId(Uuid::from_u128(1_000_000 + u128::from(n)))
}

/// Vallokal number `n` of Karlstad (district code 1780 + n as four digits), open 08–20.
pub fn vallokal(n: u32, name: &str, lat: f64, lon: f64) -> Station {
    let code = DistrictCode::parse(&format!("1780{:04}", n % 10_000)).expect("eight digits by construction");
    Station {
        id: station_id(n),
        name: name.to_owned(),
        kind: StationKind::Vallokal {
            district: Valdistrikt { code, name: name.to_owned() },
            hours: OpeningDay { date: election().day, opens: time!(08:00), closes: time!(20:00) },
        },
        location: Coord { lat, lon },
    }
}

/// The usual six positions of a vallokal: ordförande and two röstmottagare in the morning,
/// vice ordförande and two in the afternoon — four appointed, three present, a leader present.
pub fn standard_positions(station: &Station) -> Vec<Position> {
    let n = station.id.0.as_u128();
    let roles = [
        (MORNING, Role::Ordforande),
        (MORNING, Role::Rostmottagare),
        (MORNING, Role::Rostmottagare),
        (AFTERNOON, Role::ViceOrdforande),
        (AFTERNOON, Role::Rostmottagare),
        (AFTERNOON, Role::Rostmottagare),
    ];
    roles
        .iter()
        .enumerate()
        .map(|(i, &(shift, role))| Position {
            id: PositionId(Uuid::from_u128(n * 16 + i as u128)),
            station: station.id,
            shift,
            role,
            language: None,
        })
        .collect()
}

/// A trained first-timer, 40 years old, free on both shifts, no wishes.
pub fn applicant(n: u32, lat: f64, lon: f64) -> Applicant {
    Applicant {
        id: person_id(n),
        name: format!("Person {n}"),
        home: Coord { lat, lon },
        birth_date: date!(1986 - 03 - 01),
        languages: BTreeSet::new(),
        experience: Vec::new(),
        preferred_stations: BTreeSet::new(),
        wanted_roles: BTreeSet::new(),
        available: [MORNING, AFTERNOON].into(),
        courses: [Course::Grund].into(),
        candidate: false,
    }
}

/// A trained applicant who was ordförande in 2022.
pub fn leader(n: u32, lat: f64, lon: f64) -> Applicant {
    let mut a = applicant(n, lat, lon);
    a.experience.push(PastService { year: 2022, role: Role::Ordforande });
    a.courses.insert(Course::Ordforande);
    a
}

/// An instance with the standard positions at every station.
pub fn instance(stations: Vec<Station>, applicants: Vec<Applicant>) -> Instance {
    let positions = stations.iter().flat_map(standard_positions).collect();
    Instance { election: election(), stations, shifts: shifts(), positions, applicants, conflicts: Vec::new(), locked: Vec::new() }
}
