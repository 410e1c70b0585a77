//! Citizens and the population register (folkbokföring).
//!
//! The real register (Skatteverket's Navet) cannot be reached from here, so the platform
//! talks to it through [`PopulationRegister`]; [`FixtureRegister`] is the named fake used
//! in demo and test mode. A production deployment plugs in a client of the same trait.

use radhus_kernel::Personnummer;
use serde::Serialize;
use time::Date;

/// What the register says about a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisteredPerson {
    pub pnr: String,
    pub given_name: String,
    pub family_name: String,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    /// Municipality code (kommunkod) of registration.
    pub kommunkod: String,
}

impl RegisteredPerson {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

pub trait PopulationRegister: Send + Sync {
    /// Looks a person up; `None` when not registered.
    fn lookup(&self, pnr: &Personnummer) -> Option<RegisteredPerson>;
    /// The persons a test e-ID may pick from (empty for a real register).
    fn test_persons(&self) -> Vec<RegisteredPerson>;
    /// Shown in the UI next to data that came from this register.
    fn name(&self) -> &'static str;
    /// The children in the person's custody (vårdnad) who are under 18 on `today`, oldest
    /// first: whom a guardian may act for. Navet answers this from its custody relations
    /// (relationstyp VH); the fixture register from its fictitious families.
    fn children_in_custody(&self, guardian: &Personnummer, today: Date) -> Vec<RegisteredPerson>;
}

/// Under 18 on `today`: the day of the 18th birthday has not come (a child born on 29
/// February turns 18 on 1 March in a year that is not a leap year).
pub fn is_minor(pnr: &Personnummer, today: Date) -> bool {
    let born = pnr.birth_date();
    let eighteen = Date::from_calendar_date(born.year() + 18, born.month(), born.day())
        .or_else(|_| Date::from_calendar_date(born.year() + 18, time::Month::March, 1));
    eighteen.is_ok_and(|d| today < d)
}

/// Fixture register with fictitious test persons (Skatteverket's published test
/// personal identity numbers are the convention; these are generated the same way).
pub struct FixtureRegister {
    persons: Vec<RegisteredPerson>,
    /// (guardian's number, child): the fictitious families. Children live with the guardian
    /// and are not among the test e-ID's persons.
    custody: Vec<(String, RegisteredPerson)>,
}

impl FixtureRegister {
    pub fn new() -> Self {
        let p = |pnr: &str, g: &str, f: &str, a: &str, z: &str, city: &str, k: &str| RegisteredPerson {
            pnr: pnr.into(),
            given_name: g.into(),
            family_name: f.into(),
            address: a.into(),
            postal_code: z.into(),
            city: city.into(),
            kommunkod: k.into(),
        };
        Self {
            persons: vec![
                p("19850315-2384", "Astrid", "Lindqvist", "Drottninggatan 12", "652 25", "Karlstad", "1780"),
                p("19720901-4419", "Erik", "Johansson", "Storgatan 4", "665 30", "Kil", "1715"),
                p("19990624-2384", "Fatima", "Hassan", "Kyrkogatan 18", "671 32", "Arvika", "1784"),
                p("19580112-9130", "Lars", "Nilsson", "Sjövägen 3", "663 40", "Hammarö", "1761"),
                p("20010930-6829", "Maja", "Berg", "Skolgatan 7", "681 30", "Kristinehamn", "1781"),
                p("19461201-2452", "Gunnar", "Ek", "Älvgatan 22", "683 30", "Hagfors", "1783"),
            ],
            custody: vec![
                ("19850315-2384".into(), p("20200512-2383", "Ella", "Lindqvist", "Drottninggatan 12", "652 25", "Karlstad", "1780")),
                ("19850315-2384".into(), p("20220903-4574", "Nils", "Lindqvist", "Drottninggatan 12", "652 25", "Karlstad", "1780")),
                ("19720901-4419".into(), p("20100214-2394", "Olle", "Johansson", "Storgatan 4", "665 30", "Kil", "1715")),
                // Turned 18 in June 2026: no longer a child in custody.
                ("19720901-4419".into(), p("20080611-1282", "Sara", "Johansson", "Storgatan 4", "665 30", "Kil", "1715")),
                ("19990624-2384".into(), p("20190327-5624", "Amina", "Hassan", "Kyrkogatan 18", "671 32", "Arvika", "1784")),
            ],
        }
    }
}

impl Default for FixtureRegister {
    fn default() -> Self {
        Self::new()
    }
}

impl PopulationRegister for FixtureRegister {
    fn lookup(&self, pnr: &Personnummer) -> Option<RegisteredPerson> {
        let canonical = pnr.to_string();
        self.persons.iter().chain(self.custody.iter().map(|(_, c)| c)).find(|p| p.pnr == canonical).cloned()
    }

    fn test_persons(&self) -> Vec<RegisteredPerson> {
        self.persons.clone()
    }

    fn name(&self) -> &'static str {
        "Testregister (fiktiva personer)"
    }

    fn children_in_custody(&self, guardian: &Personnummer, today: Date) -> Vec<RegisteredPerson> {
        let canonical = guardian.to_string();
        let mut out: Vec<RegisteredPerson> = self
            .custody
            .iter()
            .filter(|(g, c)| *g == canonical && Personnummer::parse_canonical(&c.pnr).is_ok_and(|p| is_minor(&p, today)))
            .map(|(_, c)| c.clone())
            .collect();
        out.sort_by(|a, b| a.pnr.cmp(&b.pnr));
        out
    }
}

/// Production without a population register adapter: nobody is found, and there are no
/// test persons. A deployment that needs register data plugs in a client of Skatteverket's
/// Navet behind [`PopulationRegister`].
pub struct NoRegister;

impl PopulationRegister for NoRegister {
    fn lookup(&self, _pnr: &Personnummer) -> Option<RegisteredPerson> {
        None
    }

    fn test_persons(&self) -> Vec<RegisteredPerson> {
        vec![]
    }

    fn name(&self) -> &'static str {
        "Inget folkbokföringsregister anslutet"
    }

    fn children_in_custody(&self, _guardian: &Personnummer, _today: Date) -> Vec<RegisteredPerson> {
        vec![]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fixture_person_has_a_valid_number_and_is_found() {
        let r = FixtureRegister::new();
        for p in r.test_persons() {
            let pnr = Personnummer::parse_canonical(&p.pnr).unwrap_or_else(|e| panic!("{}: {e}", p.pnr));
            assert_eq!(r.lookup(&pnr).map(|x| x.pnr), Some(p.pnr.clone()));
        }
        assert!(NoRegister.test_persons().is_empty());
    }

    #[test]
    fn a_guardian_has_the_children_under_18_in_custody() {
        let r = FixtureRegister::new();
        let day = |y, m, d| Date::from_calendar_date(y, time::Month::try_from(m).expect("month"), d).expect("date");
        let astrid = Personnummer::parse_canonical("19850315-2384").expect("pnr");
        let names: Vec<String> = r.children_in_custody(&astrid, day(2026, 12, 7)).iter().map(RegisteredPerson::full_name).collect();
        assert_eq!(names, ["Ella Lindqvist", "Nils Lindqvist"]);
        // Sara Johansson turned 18 on 11 June 2026: her father's child until the day before.
        let erik = Personnummer::parse_canonical("19720901-4419").expect("pnr");
        let on = |d| r.children_in_custody(&erik, d).into_iter().map(|c| c.given_name).collect::<Vec<_>>();
        assert_eq!(on(day(2026, 6, 10)), ["Sara", "Olle"]);
        assert_eq!(on(day(2026, 6, 11)), ["Olle"]);
        // A child is no guardian, and nobody is anyone's child in the empty register.
        let ella = Personnummer::parse_canonical("20200512-2383").expect("pnr");
        assert!(r.children_in_custody(&ella, day(2026, 12, 7)).is_empty());
        assert_eq!(r.lookup(&ella).map(|p| p.full_name()), Some("Ella Lindqvist".into()));
        assert!(NoRegister.children_in_custody(&astrid, day(2026, 12, 7)).is_empty());
        let leap = Personnummer::parse_canonical("20080229-2383").expect("pnr");
        assert!(is_minor(&leap, day(2026, 2, 28)) && !is_minor(&leap, day(2026, 3, 1)));
    }
}
