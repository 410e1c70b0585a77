//! A generated Stockholm: stations spread over the city's bounding box, applicants living near
//! a station (most people apply close to home), with the mix of experience, courses, shifts,
//! languages and wishes an election office sees. Deterministic for a seed (splitmix64).

use std::collections::BTreeSet;

use indicatif::ProgressBar;
use radhus_elections::testdata::{AFTERNOON, MORNING, applicant, instance, person_id, vallokal};
use radhus_elections::{Conflict, Course, Instance, PastService, Role};
use time::macros::date;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

const LANGUAGES: [(&str, f64); 3] = [("arabiska", 0.08), ("finska", 0.05), ("somaliska", 0.04)];

pub fn stockholm(stations: usize, applicants: usize, seed: u64, bar: &ProgressBar) -> Instance {
    let mut rng = Rng(seed);
    // Stockholm stad: roughly 59.23–59.40 N, 17.80–18.20 E.
    let stations: Vec<_> = (0..stations)
        .map(|i| {
            bar.inc(1);
            vallokal(i as u32 + 1, &format!("Distrikt {}", i + 1), 59.23 + 0.17 * rng.unit(), 17.80 + 0.40 * rng.unit())
        })
        .collect();
    let people: Vec<_> = (0..applicants)
        .map(|i| {
            bar.inc(1);
            let near = &stations[rng.below(stations.len())];
            // Within about 3 km of a station.
            let lat = near.location.lat + (rng.unit() - 0.5) * 0.054;
            let lon = near.location.lon + (rng.unit() - 0.5) * 0.105;
            let mut a = applicant(i as u32, lat, lon);
            a.name = format!("Sökande {i}");
            let r = rng.unit();
            if r < 0.22 {
                a.experience.push(PastService { year: 2022, role: if rng.chance(0.5) { Role::Ordforande } else { Role::ViceOrdforande } });
                if rng.chance(0.9) {
                    a.courses.insert(Course::Ordforande);
                }
            } else if r < 0.55 {
                a.experience.push(PastService { year: 2022, role: Role::Rostmottagare });
                if rng.chance(0.3) {
                    a.courses.insert(Course::Ordforande);
                }
            }
            if rng.chance(0.08) {
                a.courses.remove(&Course::Grund);
            }
            let s = rng.unit();
            a.available = if s < 0.6 {
                [MORNING, AFTERNOON].into()
            } else if s < 0.8 {
                [MORNING].into()
            } else {
                [AFTERNOON].into()
            };
            for (lang, p) in LANGUAGES {
                if rng.chance(p) {
                    a.languages.insert(lang.to_owned());
                }
            }
            if rng.chance(0.3) {
                a.preferred_stations = BTreeSet::from([near.id]);
            }
            a.candidate = rng.chance(0.03);
            if rng.chance(0.01) {
                a.birth_date = date!(2009 - 01 - 01);
            }
            a
        })
        .collect();
    let mut inst = instance(stations, people);
    // One station in ten needs a röstmottagare who speaks a language.
    let n = inst.positions.len();
    for k in 0..n / 60 {
        let pos = &mut inst.positions[k * 60 + 1];
        pos.language = Some(LANGUAGES[k % LANGUAGES.len()].0.to_owned());
    }
    // Households: 150 pairs of applicants at one address who must not work together.
    for _ in 0..150 {
        let a = rng.below(applicants.saturating_sub(1));
        let home = inst.applicants[a].home;
        inst.applicants[a + 1].home = home;
        inst.conflicts.push(Conflict(person_id(a as u32), person_id(a as u32 + 1)));
    }
    inst
}
