//! Domain types of one election's staffing: the structure (stations, districts, shifts,
//! positions), the applicants, and a staffing plan.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use radhus_kernel::define_id;
use time::{Date, Time};

define_id!(
    /// An election (val) of one municipality.
    ElectionId
);
define_id!(
    /// A polling station (vallokal or röstningslokal) in one election.
    StationId
);
define_id!(
    /// A shift (pass) of one election.
    ShiftId
);
define_id!(
    /// One position to staff: station × shift × role.
    PositionId
);
define_id!(
    /// A person in the municipality's register of poll workers.
    PersonId
);

/// The Swedish kinds of election.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ElectionKind {
    /// Val till riksdagen.
    Riksdag,
    /// Val till regionfullmäktige.
    Region,
    /// Val till kommunfullmäktige.
    Kommun,
    /// Val till Europaparlamentet.
    Eu,
    /// Kyrkoval (Svenska kyrkan).
    Kyrkoval,
    /// Extra val (by-election).
    ExtraVal,
    /// Folkomröstning (referendum).
    Folkomrostning,
}

impl ElectionKind {
    pub fn label_sv(self) -> &'static str {
        match self {
            Self::Riksdag => "Val till riksdagen",
            Self::Region => "Val till regionfullmäktige",
            Self::Kommun => "Val till kommunfullmäktige",
            Self::Eu => "Val till Europaparlamentet",
            Self::Kyrkoval => "Kyrkoval",
            Self::ExtraVal => "Extra val",
            Self::Folkomrostning => "Folkomröstning",
        }
    }

    /// The body a general election elects, in the form that follows "Val till"; `None` for
    /// the kinds that are not an election to an assembly (kyrkoval, extra val, folkomröstning).
    pub fn assembly_sv(self) -> Option<&'static str> {
        match self {
            Self::Riksdag => Some("riksdagen"),
            Self::Region => Some("regionfullmäktige"),
            Self::Kommun => Some("kommunfullmäktige"),
            Self::Eu => Some("Europaparlamentet"),
            Self::Kyrkoval | Self::ExtraVal | Self::Folkomrostning => None,
        }
    }

    /// The name of elections held together, naming every part: "Val till riksdagen,
    /// regionfullmäktige och kommunfullmäktige" (Valmyndigheten's form for the general
    /// elections). Parts without an assembly are named by their own label; one part is its label.
    pub fn combined_sv(parts: &[ElectionKind]) -> String {
        let mut parts: Vec<ElectionKind> = parts.to_vec();
        parts.dedup();
        let assemblies: Vec<&str> = parts.iter().filter_map(|k| k.assembly_sv()).collect();
        let others: Vec<String> = parts.iter().filter(|k| k.assembly_sv().is_none()).map(|k| k.label_sv().to_lowercase()).collect();
        let mut names = vec![];
        if !assemblies.is_empty() {
            names.push(format!("val till {}", join_sv(&assemblies)));
        }
        names.extend(others);
        let s = join_sv(&names.iter().map(String::as_str).collect::<Vec<_>>());
        let mut c = s.chars();
        match c.next() {
            Some(f) => f.to_uppercase().chain(c).collect(),
            None => String::new(),
        }
    }
}

/// "a, b och c".
fn join_sv(parts: &[&str]) -> String {
    match parts {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} och {}", rest.join(", "), last),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Election {
    pub id: ElectionId,
    pub kind: ElectionKind,
    pub name: String,
    /// Valdagen.
    pub day: Date,
}

/// A valdistrikt code: 8 digits, län (2) + kommun (2) + district (4), as Valmyndigheten writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DistrictCode(u32);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ett valdistrikts kod har åtta siffror (län, kommun, distrikt), inte {0:?}")]
pub struct BadDistrictCode(pub String);

impl DistrictCode {
    pub fn parse(s: &str) -> Result<Self, BadDistrictCode> {
        let t = s.trim();
        if t.len() != 8 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BadDistrictCode(s.to_owned()));
        }
        t.parse().map(Self).map_err(|_| BadDistrictCode(s.to_owned()))
    }
    /// Länskod, e.g. "17" for Värmland.
    pub fn lan(self) -> u32 {
        self.0 / 1_000_000
    }
    /// The four-digit kommunkod (län + kommun), e.g. 1780 for Karlstad.
    pub fn kommun(self) -> u32 {
        self.0 / 10_000
    }
}

impl fmt::Display for DistrictCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:08}", self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Valdistrikt {
    pub code: DistrictCode,
    pub name: String,
}

/// WGS84 coordinates in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coord {
    pub lat: f64,
    pub lon: f64,
}

impl Coord {
    /// Great-circle distance in metres (haversine); straight line is the first travel measure
    /// (research A8), road or transit times can replace it later.
    pub fn distance_m(self, other: Coord) -> f64 {
        const R: f64 = 6_371_000.0;
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * R * a.sqrt().asin()
    }
}

/// Opening hours on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpeningDay {
    pub date: Date,
    pub opens: Time,
    pub closes: Time,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StationKind {
    /// Vallokal: open on election day, serves one valdistrikt.
    Vallokal { district: Valdistrikt, hours: OpeningDay },
    /// Röstningslokal: early voting, opening hours per day.
    Rostningslokal { days: Vec<OpeningDay> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Station {
    pub id: StationId,
    pub name: String,
    pub kind: StationKind,
    pub location: Coord,
}

impl Station {
    /// How the station is named to staff: "Valdistrikt 17800101 Centrum" or "Röstningslokal Biblioteket".
    pub fn label(&self) -> String {
        match &self.kind {
            StationKind::Vallokal { district, .. } => {
                format!("Valdistrikt {} {}", district.code, district.name)
            }
            StationKind::Rostningslokal { .. } => format!("Röstningslokal {}", self.name),
        }
    }
    pub fn opening_days(&self) -> Vec<OpeningDay> {
        match &self.kind {
            StationKind::Vallokal { hours, .. } => vec![*hours],
            StationKind::Rostningslokal { days } => days.clone(),
        }
    }
}

/// A shift (pass): a span of time on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shift {
    pub id: ShiftId,
    pub name: String,
    pub date: Date,
    pub start: Time,
    pub end: Time,
}

impl Shift {
    pub fn overlaps(&self, other: &Shift) -> bool {
        self.date == other.date && self.start < other.end && other.start < self.end
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Ordforande,
    ViceOrdforande,
    Rostmottagare,
}

impl Role {
    pub fn label_sv(self) -> &'static str {
        match self {
            Self::Ordforande => "ordförande",
            Self::ViceOrdforande => "vice ordförande",
            Self::Rostmottagare => "röstmottagare",
        }
    }
    pub fn is_leader(self) -> bool {
        matches!(self, Self::Ordforande | Self::ViceOrdforande)
    }
}

/// A language as its Swedish name ("arabiska", "finska"); the office writes the list.
pub type Language = String;

/// A position to staff. A position with `language` needs someone who speaks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub id: PositionId,
    pub station: StationId,
    pub shift: ShiftId,
    pub role: Role,
    pub language: Option<Language>,
}

/// The courses an election office runs; the rule set says which one a role needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Course {
    /// Grundutbildning för röstmottagare.
    Grund,
    /// Utbildning för ordförande och vice ordförande.
    Ordforande,
}

impl Course {
    pub fn label_sv(self) -> &'static str {
        match self {
            Self::Grund => "grundutbildning för röstmottagare",
            Self::Ordforande => "utbildning för ordförande",
        }
    }
}

/// One earlier election the person worked in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastService {
    pub year: i32,
    pub role: Role,
}

/// An accepted applicant, as the optimiser sees them.
#[derive(Debug, Clone, PartialEq)]
pub struct Applicant {
    pub id: PersonId,
    pub name: String,
    pub home: Coord,
    pub birth_date: Date,
    pub languages: BTreeSet<Language>,
    pub experience: Vec<PastService>,
    pub preferred_stations: BTreeSet<StationId>,
    /// The roles the person asked for on the application; empty: any role.
    pub wanted_roles: BTreeSet<Role>,
    /// Shifts the person can work; the person works at most one position.
    pub available: BTreeSet<ShiftId>,
    /// Courses completed for this election.
    pub courses: BTreeSet<Course>,
    /// Stands as a candidate in this election.
    pub candidate: bool,
}

impl Applicant {
    pub fn has_led(&self) -> bool {
        self.experience.iter().any(|s| s.role.is_leader())
    }
    pub fn age_on(&self, day: Date) -> i32 {
        radhus_kernel::personnummer::age_on(self.birth_date, day)
    }
}

/// Two people who must not work at the same station (household, relatives: policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conflict(pub PersonId, pub PersonId);

/// A staffing problem of one election.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    pub election: Election,
    pub stations: Vec<Station>,
    pub shifts: Vec<Shift>,
    pub positions: Vec<Position>,
    pub applicants: Vec<Applicant>,
    pub conflicts: Vec<Conflict>,
    /// Already appointed (förordnade): kept as they are.
    pub locked: Vec<Assignment>,
}

impl Instance {
    pub fn station(&self, id: StationId) -> Option<&Station> {
        self.stations.iter().find(|s| s.id == id)
    }
    pub fn shift(&self, id: ShiftId) -> Option<&Shift> {
        self.shifts.iter().find(|s| s.id == id)
    }
    /// For each applicant (by index in `applicants`) the indices of their conflict partners.
    pub fn conflict_partners(&self) -> HashMap<usize, Vec<usize>> {
        let index: HashMap<_, _> = self.applicants.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
        let mut partners: HashMap<usize, Vec<usize>> = HashMap::new();
        for c in &self.conflicts {
            if let (Some(&a), Some(&b)) = (index.get(&c.0), index.get(&c.1)) {
                partners.entry(a).or_default().push(b);
                partners.entry(b).or_default().push(a);
            }
        }
        partners
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Assignment {
    pub person: PersonId,
    pub position: PositionId,
}

/// A staffing plan: who holds which position.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub assignments: Vec<Assignment>,
}

impl Plan {
    pub fn position_of(&self, person: PersonId) -> Option<PositionId> {
        self.assignments.iter().find(|a| a.person == person).map(|a| a.position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn district_codes_have_eight_digits() {
        let c = DistrictCode::parse("17800101").expect("valid");
        assert_eq!(c.to_string(), "17800101");
        assert_eq!(c.lan(), 17);
        assert_eq!(c.kommun(), 1780);
        assert_eq!(DistrictCode::parse("01800101").expect("valid").to_string(), "01800101");
        for bad in ["1780010", "178001011", "1780O101", "", "+1780010"] {
            assert!(DistrictCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_combined_election_is_named_by_all_its_parts() {
        use ElectionKind::*;
        assert_eq!(ElectionKind::combined_sv(&[Riksdag, Region, Kommun]), "Val till riksdagen, regionfullmäktige och kommunfullmäktige");
        assert_eq!(ElectionKind::combined_sv(&[Region, Kommun]), "Val till regionfullmäktige och kommunfullmäktige");
        assert_eq!(ElectionKind::combined_sv(&[Kommun]), "Val till kommunfullmäktige");
        assert_eq!(ElectionKind::combined_sv(&[Kommun, Folkomrostning]), "Val till kommunfullmäktige och folkomröstning");
        assert_eq!(ElectionKind::combined_sv(&[]), "");
    }

    #[test]
    fn distance_is_haversine() {
        let karlstad = Coord { lat: 59.3793, lon: 13.5036 };
        let stockholm = Coord { lat: 59.3293, lon: 18.0686 };
        let d = karlstad.distance_m(stockholm);
        assert!((d - 259_000.0).abs() < 3_000.0, "{d}");
        assert_eq!(karlstad.distance_m(karlstad), 0.0);
    }

    #[test]
    fn age_counts_the_birthday() {
        let mut a = crate::core::testdata::applicant(1, 0.0, 0.0);
        a.birth_date = date!(2008 - 09 - 14);
        assert_eq!(a.age_on(date!(2026 - 09 - 13)), 17);
        assert_eq!(a.age_on(date!(2026 - 09 - 14)), 18);
    }
}
