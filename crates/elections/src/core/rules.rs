//! The staffing rules as versioned code, each citing the law or policy it encodes.
//!
//! Research note (shared research A5): the consolidated text of vallagen (2005:837) could not be
//! read; the minimum numbers come from SFS 2014:301, bet. 2013/14:KU31 and Valmyndigheten's and
//! the municipalities' pages. `Rule::certainty` says how sure each source is.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use time::Time;

use crate::core::model::{Applicant, Course, Instance, PersonId, Plan, Role, StationId, StationKind};

/// The version of the rule set; a stored plan records the version it was checked against.
pub const RULESET_VERSION: &str = "2026.1";

/// What a municipality does with a candidate in this election (policy, no statute).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CandidatePolicy {
    Block,
    Warn,
}

/// The rules in force for one election of one municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSet {
    pub version: &'static str,
    pub candidate_policy: CandidatePolicy,
    /// Minimum age on election day; `None` switches the policy off.
    pub min_age: Option<i32>,
    pub course_for_leaders: Course,
    pub course_for_rostmottagare: Course,
}

impl Default for RuleSet {
    fn default() -> Self {
        Self {
            version: RULESET_VERSION,
            candidate_policy: CandidatePolicy::Block,
            min_age: Some(18),
            course_for_leaders: Course::Ordforande,
            course_for_rostmottagare: Course::Grund,
        }
    }
}

impl RuleSet {
    pub fn course_for(&self, role: Role) -> Course {
        if role.is_leader() { self.course_for_leaders } else { self.course_for_rostmottagare }
    }

    /// Whether the person may be appointed to the role at all (course, age, candidacy, and the
    /// experience a leader needs), ignoring where and when.
    pub fn may_hold(&self, day: time::Date, person: &Applicant, role: Role) -> bool {
        person.courses.contains(&self.course_for(role))
            && self.min_age.is_none_or(|a| person.age_on(day) >= a)
            && !(person.candidate && self.candidate_policy == CandidatePolicy::Block)
            && has_experience_for(person, role)
    }
}

/// Policy (research A8): an ordförande has led a polling station before, a vice has worked in an
/// earlier election.
pub fn has_experience_for(person: &Applicant, role: Role) -> bool {
    match role {
        Role::Ordforande => person.has_led(),
        Role::ViceOrdforande => !person.experience.is_empty(),
        Role::Rostmottagare => true,
    }
}

/// How sure the source of a rule is (the tags of research A5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Certainty {
    /// The wording is verified in the amending act.
    Verified,
    /// The content is verified, the paragraph number is not.
    ContentVerified,
    /// Municipal policy, no statute.
    Policy,
    /// A consistency condition of any plan.
    PlanIntegrity,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    MinAppointedPerDistrict,
    PresentInVallokal,
    PresentInRostningslokal,
    CourseCompleted,
    Candidate,
    MinAge,
    LeaderExperience,
    OnePositionPerPerson,
    OnePersonPerPosition,
    Available,
    Conflict,
    Language,
}

impl Rule {
    /// Every rule, in the order the office's pages list them.
    pub const ALL: [Rule; 12] = [
        Rule::MinAppointedPerDistrict,
        Rule::PresentInVallokal,
        Rule::PresentInRostningslokal,
        Rule::CourseCompleted,
        Rule::Candidate,
        Rule::MinAge,
        Rule::LeaderExperience,
        Rule::OnePositionPerPerson,
        Rule::OnePersonPerPosition,
        Rule::Available,
        Rule::Conflict,
        Rule::Language,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::MinAppointedPerDistrict => "VAL-R01",
            Self::PresentInVallokal => "VAL-R02",
            Self::PresentInRostningslokal => "VAL-R03",
            Self::CourseCompleted => "VAL-R04",
            Self::Candidate => "VAL-R05",
            Self::MinAge => "VAL-R06",
            Self::LeaderExperience => "VAL-R07",
            Self::OnePositionPerPerson => "VAL-P01",
            Self::OnePersonPerPosition => "VAL-P02",
            Self::Available => "VAL-P03",
            Self::Conflict => "VAL-P04",
            Self::Language => "VAL-P05",
        }
    }

    pub fn source(self) -> &'static str {
        match self {
            // vallagen 3 kap. 4 § (SFS 2014:301): minst fyra röstmottagare, varav en ordförande
            // och en ersättare för ordföranden.
            Self::MinAppointedPerDistrict => {
                "vallagen (2005:837) 3 kap. 4 §: för varje valdistrikt minst fyra röstmottagare, varav en ordförande och en ersättare för ordföranden"
            }
            // Valmyndigheten's handbook and the municipalities: at least three present at all
            // times, one of them ordförande or vice; the paragraph (8 kap.) is not verified.
            Self::PresentInVallokal => {
                "vallagen 8 kap. (paragraf ej verifierad), Valmyndighetens handledning: minst tre röstmottagare närvarande i vallokalen, varav ordförande eller vice ordförande"
            }
            // bet. 2013/14:KU31: at least two röstmottagare in a röstningslokal.
            Self::PresentInRostningslokal => "bet. 2013/14:KU31: minst två röstmottagare närvarande i röstningslokalen",
            // vallagen 3 kap. 6 § (SFS 2014:301, prop. 2013/14:124): only the trained may be
            // appointed.
            Self::CourseCompleted => {
                "vallagen 3 kap. 6 § (prop. 2013/14:124): bara den som har fått relevant utbildning får förordnas som röstmottagare"
            }
            Self::Candidate => {
                "Valmyndigheten, vägledande ställningstagande om saklighet och opartiskhet: den som kandiderar bör inte arbeta som röstmottagare i det valet (kommunens riktlinje)"
            }
            Self::MinAge => "kommunens riktlinje: fyllda 18 år på valdagen",
            Self::LeaderExperience => {
                "kommunens riktlinje: ordförande har varit ordförande eller vice tidigare, vice ordförande har arbetat i ett tidigare val"
            }
            Self::OnePositionPerPerson => "bemanningsplanen: en person har högst en plats",
            Self::OnePersonPerPosition => "bemanningsplanen: en plats har högst en person",
            Self::Available => "bemanningsplanen: personen kan arbeta under passet",
            Self::Conflict => "kommunens riktlinje: personer i samma hushåll eller släkt arbetar inte i samma lokal",
            Self::Language => "bemanningsplanen: platsen kräver språkkunskap",
        }
    }

    pub fn certainty(self) -> Certainty {
        match self {
            Self::MinAppointedPerDistrict => Certainty::Verified,
            Self::PresentInVallokal | Self::PresentInRostningslokal | Self::CourseCompleted => Certainty::ContentVerified,
            Self::Candidate | Self::MinAge | Self::LeaderExperience | Self::Conflict => Certainty::Policy,
            Self::OnePositionPerPerson | Self::OnePersonPerPosition | Self::Available | Self::Language => Certainty::PlanIntegrity,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One broken rule at one station, with what is missing in Swedish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub rule: Rule,
    pub severity: Severity,
    pub station: StationId,
    pub person: Option<PersonId>,
    pub message: String,
}

/// Checks a plan against the rule set; the result is sorted by station, then rule.
pub fn check(instance: &Instance, plan: &Plan, rules: &RuleSet) -> Vec<Violation> {
    let positions: HashMap<_, _> = instance.positions.iter().map(|p| (p.id, p)).collect();
    let people: HashMap<_, _> = instance.applicants.iter().map(|a| (a.id, a)).collect();
    let shifts: HashMap<_, _> = instance.shifts.iter().map(|s| (s.id, s)).collect();
    let day = instance.election.day;
    let mut out = Vec::new();
    let mut push = |rule, severity, station, person, message: String| out.push(Violation { rule, severity, station, person, message });

    let mut by_person: BTreeMap<PersonId, Vec<_>> = BTreeMap::new();
    let mut by_position: BTreeMap<_, Vec<PersonId>> = BTreeMap::new();
    // station → (role, shift, person) of every valid assignment
    let mut at_station: HashMap<StationId, Vec<(Role, crate::core::model::ShiftId, PersonId)>> = HashMap::new();
    for a in &plan.assignments {
        let (Some(pos), Some(person)) = (positions.get(&a.position), people.get(&a.person)) else {
            continue;
        };
        by_person.entry(a.person).or_default().push(*pos);
        by_position.entry(a.position).or_default().push(a.person);
        at_station.entry(pos.station).or_default().push((pos.role, pos.shift, a.person));
        let name = &person.name;
        let course = rules.course_for(pos.role);
        if !person.courses.contains(&course) {
            push(
                Rule::CourseCompleted,
                Severity::Error,
                pos.station,
                Some(a.person),
                format!("{name} har inte genomfört {} för valet", course.label_sv()),
            );
        }
        if person.candidate {
            let severity = match rules.candidate_policy {
                CandidatePolicy::Block => Severity::Error,
                CandidatePolicy::Warn => Severity::Warning,
            };
            push(Rule::Candidate, severity, pos.station, Some(a.person), format!("{name} kandiderar i valet"));
        }
        if let Some(min) = rules.min_age {
            let age = person.age_on(day);
            if age < min {
                push(
                    Rule::MinAge,
                    Severity::Error,
                    pos.station,
                    Some(a.person),
                    format!("{name} är {age} år på valdagen, minst {min} krävs"),
                );
            }
        }
        if !has_experience_for(person, pos.role) {
            push(
                Rule::LeaderExperience,
                Severity::Error,
                pos.station,
                Some(a.person),
                format!("{name} saknar den erfarenhet som krävs för {}", pos.role.label_sv()),
            );
        }
        if !person.available.contains(&pos.shift) {
            let shift = shifts.get(&pos.shift).map_or("?", |s| s.name.as_str());
            push(Rule::Available, Severity::Error, pos.station, Some(a.person), format!("{name} kan inte arbeta under passet {shift}"));
        }
        if let Some(lang) = &pos.language
            && !person.languages.contains(lang)
        {
            push(Rule::Language, Severity::Error, pos.station, Some(a.person), format!("{name} talar inte {lang}, som platsen kräver"));
        }
    }
    for (person, held) in &by_person {
        if held.len() > 1 {
            let name = people.get(person).map_or("?", |p| p.name.as_str());
            for pos in held {
                push(Rule::OnePositionPerPerson, Severity::Error, pos.station, Some(*person), format!("{name} har {} platser", held.len()));
            }
        }
    }
    for (position, holders) in &by_position {
        if holders.len() > 1
            && let Some(pos) = positions.get(position)
        {
            push(
                Rule::OnePersonPerPosition,
                Severity::Error,
                pos.station,
                None,
                format!(
                    "{} ({}) har {} personer",
                    pos.role.label_sv(),
                    shifts.get(&pos.shift).map_or("?", |s| s.name.as_str()),
                    holders.len()
                ),
            );
        }
    }
    for c in &instance.conflicts {
        let (Some(a), Some(b)) =
            (plan.position_of(c.0).and_then(|p| positions.get(&p)), plan.position_of(c.1).and_then(|p| positions.get(&p)))
        else {
            continue;
        };
        if a.station == b.station {
            let n = |id| people.get(&id).map_or("?", |p: &&Applicant| p.name.as_str());
            push(Rule::Conflict, Severity::Error, a.station, Some(c.0), format!("{} och {} får inte arbeta i samma lokal", n(c.0), n(c.1)));
        }
    }

    for station in &instance.stations {
        let here = at_station.get(&station.id).map_or(&[][..], |v| v.as_slice());
        if let StationKind::Vallokal { .. } = station.kind {
            let persons: BTreeSet<_> = here.iter().map(|h| h.2).collect();
            let has = |role| here.iter().any(|h| h.0 == role);
            let mut missing = Vec::new();
            if persons.len() < 4 {
                missing.push(format!("{} förordnade, minst fyra krävs", persons.len()));
            }
            if !has(Role::Ordforande) {
                missing.push("saknar ordförande".to_owned());
            }
            if !has(Role::ViceOrdforande) {
                missing.push("saknar vice ordförande".to_owned());
            }
            if !missing.is_empty() {
                push(
                    Rule::MinAppointedPerDistrict,
                    Severity::Error,
                    station.id,
                    None,
                    format!("{}: {}", station.label(), missing.join("; ")),
                );
            }
        }
        let (rule, min) = match station.kind {
            StationKind::Vallokal { .. } => (Rule::PresentInVallokal, 3),
            StationKind::Rostningslokal { .. } => (Rule::PresentInRostningslokal, 2),
        };
        let needs_leader = rule == Rule::PresentInVallokal;
        for day in station.opening_days() {
            // Split the opening hours at every shift boundary and check each piece: "at every
            // hour it is open" holds exactly when it holds on every piece.
            let mut cuts: BTreeSet<Time> = [day.opens, day.closes].into();
            for s in instance.shifts.iter().filter(|s| s.date == day.date) {
                for t in [s.start, s.end] {
                    if t > day.opens && t < day.closes {
                        cuts.insert(t);
                    }
                }
            }
            let cuts: Vec<_> = cuts.into_iter().collect();
            for w in cuts.windows(2) {
                let (from, to) = (w[0], w[1]);
                let present: Vec<_> = here
                    .iter()
                    .filter(|h| shifts.get(&h.1).is_some_and(|s| s.date == day.date && s.start <= from && s.end >= to))
                    .collect();
                let distinct: BTreeSet<_> = present.iter().map(|h| h.2).collect();
                let leader = present.iter().any(|h| h.0.is_leader());
                let mut missing = Vec::new();
                if distinct.len() < min {
                    missing.push(format!("{} närvarande, minst {} krävs", distinct.len(), if min == 3 { "tre" } else { "två" }));
                }
                if needs_leader && !leader {
                    missing.push("ingen ordförande eller vice ordförande närvarande".to_owned());
                }
                if !missing.is_empty() {
                    push(
                        rule,
                        Severity::Error,
                        station.id,
                        None,
                        format!("{}: {} kl. {}–{}: {}", station.label(), day.date, hhmm(from), hhmm(to), missing.join("; ")),
                    );
                }
            }
        }
    }
    out.sort_by_key(|v| (v.station, v.rule));
    out
}

/// The violations grouped per station, as the dashboard shows them.
pub fn by_station(violations: &[Violation]) -> BTreeMap<StationId, Vec<&Violation>> {
    let mut map: BTreeMap<StationId, Vec<&Violation>> = BTreeMap::new();
    for v in violations {
        map.entry(v.station).or_default().push(v);
    }
    map
}

pub(crate) fn hhmm(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_its_own_code_and_a_source() {
        let codes: BTreeSet<_> = Rule::ALL.iter().map(|r| r.code()).collect();
        assert_eq!(codes.len(), Rule::ALL.len());
        for r in Rule::ALL {
            assert!(r.source().len() > 20, "{r:?}");
        }
        assert_eq!(Rule::MinAppointedPerDistrict.certainty(), Certainty::Verified);
        assert!(Rule::MinAppointedPerDistrict.source().contains("3 kap. 4 §"));
        assert!(Rule::CourseCompleted.source().contains("3 kap. 6 §"));
    }

    #[test]
    fn who_may_hold_a_role() {
        let day = time::macros::date!(2026 - 09 - 13);
        let rules = RuleSet::default();
        let first_timer = crate::core::testdata::applicant(1, 0.0, 0.0);
        let leader = crate::core::testdata::leader(2, 0.0, 0.0);
        assert!(rules.may_hold(day, &first_timer, Role::Rostmottagare));
        assert!(!rules.may_hold(day, &first_timer, Role::ViceOrdforande));
        assert!(rules.may_hold(day, &leader, Role::Ordforande));
        let mut candidate = leader.clone();
        candidate.candidate = true;
        assert!(!rules.may_hold(day, &candidate, Role::Rostmottagare));
        let warn = RuleSet { candidate_policy: CandidatePolicy::Warn, ..RuleSet::default() };
        assert!(warn.may_hold(day, &candidate, Role::Ordforande));
        let mut untrained = leader;
        untrained.courses.remove(&Course::Ordforande);
        assert!(!rules.may_hold(day, &untrained, Role::Ordforande));
        assert!(rules.may_hold(day, &untrained, Role::Rostmottagare));
    }
}
