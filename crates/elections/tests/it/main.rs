//! Integration tests of the staffing rules and the optimiser on small instances whose answer
//! can be checked by hand.

mod optimiser;
mod properties;
mod rules;

use radhus_elections::testdata::{applicant, instance, leader, vallokal};
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
