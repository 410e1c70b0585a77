//! Citizens and the population register (folkbokföring).
//!
//! The real register (Skatteverket's Navet) cannot be reached from here, so the platform
//! talks to it through [`PopulationRegister`]; [`FixtureRegister`] is the named fake used
//! in demo and test mode. A production deployment plugs in a client of the same trait.

use radhus_kernel::Personnummer;
use serde::Serialize;

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
}

/// Fixture register with fictitious test persons (Skatteverket's published test
/// personal identity numbers are the convention; these are generated the same way).
pub struct FixtureRegister {
    persons: Vec<RegisteredPerson>,
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
        self.persons.iter().find(|p| p.pnr == canonical).cloned()
    }

    fn test_persons(&self) -> Vec<RegisteredPerson> {
        self.persons.clone()
    }

    fn name(&self) -> &'static str {
        "Testregister (fiktiva personer)"
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
}
