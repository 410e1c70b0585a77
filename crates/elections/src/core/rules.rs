//! The staffing rules as versioned code, each citing the law or policy it encodes.
//!
//! Each rule's citation (`Rule::citation`) says whether it rests on the law, on Valmyndigheten's
//! guidance or on the municipality's policy, as the legal check of 2026-12-06 could verify it;
//! `docs/law.md` and the rule table of `docs/elections.md` are generated from these.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use radhus_kernel::law::{Citation, LawRule};
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
    /// Minimum age on election day (the municipality's setting, 18 unless changed); `None`
    /// switches the policy off.
    pub min_age: Option<i32>,
    pub course_for_leaders: Course,
    pub course_for_rostmottagare: Course,
    /// The municipality's setting *utbildning efter placering*: the optimiser may place someone
    /// who has not completed the course for the role, and the plan's check warns instead of
    /// refusing; appointment still requires the course (VAL-012).
    pub train_after_placement: bool,
}

impl Default for RuleSet {
    fn default() -> Self {
        Self {
            version: RULESET_VERSION,
            candidate_policy: CandidatePolicy::Block,
            min_age: Some(18),
            course_for_leaders: Course::Ordforande,
            course_for_rostmottagare: Course::Grund,
            train_after_placement: false,
        }
    }
}

impl RuleSet {
    pub fn course_for(&self, role: Role) -> Course {
        if role.is_leader() { self.course_for_leaders } else { self.course_for_rostmottagare }
    }

    /// Whether the person has completed the course the role needs.
    pub fn trained_for(&self, person: &Applicant, role: Role) -> bool {
        person.courses.contains(&self.course_for(role))
    }

    /// Whether the person may be appointed to the role at all (course, age, candidacy, and the
    /// experience a leader needs), ignoring where and when.
    pub fn may_hold(&self, day: time::Date, person: &Applicant, role: Role) -> bool {
        self.trained_for(person, role) && self.may_place(day, person, role)
    }

    /// Whether the optimiser may place the person in the role: as [`RuleSet::may_hold`], but
    /// with *train after placement* the course may still be missing (appointment waits for it).
    pub fn may_place(&self, day: time::Date, person: &Applicant, role: Role) -> bool {
        (self.train_after_placement || self.trained_for(person, role))
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

    /// What the rule rests on, as the legal check (research, 2026-12-06) could verify it: a
    /// paragraph number it could not confirm is not printed; policy is called policy.
    pub fn citation(self) -> Citation {
        match self {
            Self::MinAppointedPerDistrict => Citation::law(
                "vallagen (2005:837) 3 kap. 4 §: för varje valdistrikt utses minst fyra röstmottagare, varav en ordförande och en ersättare för ordföranden",
            ),
            Self::PresentInVallokal => Citation::guidance(
                "Valmyndigheten, med stöd i vallagen (2005:837): minst tre röstmottagare närvarande samtidigt i vallokalen, varav ordföranden eller vice ordföranden",
            ),
            Self::PresentInRostningslokal => Citation::law(
                "vallagen (2005:837) i lydelsen enligt SFS 2014:301, prop. 2013/14:124: minst två röstmottagare närvarande i röstningslokalen",
            ),
            Self::CourseCompleted => Citation::law(
                "vallagen (2005:837) i lydelsen enligt SFS 2014:301, prop. 2013/14:124: bara den som har fått relevant utbildning får förordnas som röstmottagare; att ordförande och vice ska ha gått ordförandeutbildningen är kommunens riktlinje",
            ),
            Self::Candidate => Citation::policy(
                "kommunens riktlinje enligt Valmyndighetens vägledning om krav på saklighet och opartiskhet hos röstmottagare och rösträknare m.fl. (den som kandiderar bör inte arbeta som röstmottagare i valet) och regeringsformen 1 kap. 9 §",
            ),
            Self::MinAge => Citation::policy(
                "kommunens inställning för valadministrationen: lägsta ålder på valdagen, 18 år om kommunen inte har valt en annan (ingen lag kräver en lägsta ålder)",
            ),
            Self::LeaderExperience => Citation::policy(
                "kommunens riktlinje: ordförande har varit ordförande eller vice tidigare, vice ordförande har arbetat i ett tidigare val",
            ),
            Self::OnePositionPerPerson => Citation::policy("kommunens riktlinje: en person har högst en plats i valet"),
            Self::OnePersonPerPosition => Citation::integrity("bemanningsplanen: en plats har högst en person"),
            Self::Available => Citation::integrity("bemanningsplanen: personen kan arbeta under passet"),
            Self::Conflict => Citation::policy("kommunens riktlinje: personer i samma hushåll eller släkt arbetar inte i samma lokal"),
            Self::Language => Citation::integrity("bemanningsplanen: platsen kräver språkkunskap"),
        }
    }

    /// The source as the office's pages show it.
    pub fn source(self) -> &'static str {
        self.citation().source
    }

    /// What the rule checks, in English (for `docs/law.md` and `docs/elections.md`).
    pub fn summary(self) -> &'static str {
        match self {
            Self::MinAppointedPerDistrict => {
                "at least four appointed röstmottagare per valdistrikt, one ordförande and one vice among them (placed but not appointed do not count); a second ordförande in one vallokal is a warning"
            }
            Self::PresentInVallokal => {
                "at least three present in a vallokal at all times, one of them ordförande or vice (checked per piece of the opening hours the shifts cover)"
            }
            Self::PresentInRostningslokal => "at least two present in a röstningslokal",
            Self::CourseCompleted => {
                "the course for the role completed: appointment refuses without it (VAL-012) and manual placement warns; the optimiser places only the trained unless the municipality's setting train after placement (utbildning efter placering) lets it place the untrained, whom the check then flags as a warning until the course is recorded"
            }
            Self::Candidate => "a candidate in the election does not work in it: an error under policy block, a warning under warn",
            Self::MinAge => {
                "the minimum age on the election day, a setting of the municipality (18 unless changed, 16–99): the application form refuses the younger (VAL-142), placement and appointment too (VAL-008)"
            }
            Self::LeaderExperience => "an ordförande has led before (ordförande or vice); a vice has worked in an earlier election",
            Self::OnePositionPerPerson => "a person holds at most one position (so one person does not work several early-voting days)",
            Self::OnePersonPerPosition => "a position has at most one person",
            Self::Available => "the person can work the shift",
            Self::Conflict => "people of one household or family do not work at the same station",
            Self::Language => "the position's language is spoken",
        }
    }

    /// The rule with its citation, as `docs/law.md` lists it.
    pub fn law(self) -> LawRule {
        LawRule { code: self.code(), rule: self.summary(), citation: self.citation() }
    }
}

/// The rules of appointment that are not checks of a plan, with their citations.
pub const APPOINTMENT_RULES: [LawRule; 1] = [LawRule {
    code: "VAL-A01",
    rule: "only valnämnden or its delegate appoints (förordnar) röstmottagare; the appointments made under delegation are listed for valnämnden's next meeting",
    citation: Citation::law(
        "vallagen (2005:837) 3 kap. 5 §: valnämnden förordnar röstmottagare; anmälan av delegationsbeslut till nämnden enligt kommunallagen (2017:725) och nämndens delegationsordning",
    ),
}];

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
            // Train after placement: the plan may hold them, appointment waits for the course.
            let (severity, after) = if rules.train_after_placement {
                (Severity::Warning, "; kan förordnas först när utbildningen är registrerad")
            } else {
                (Severity::Error, "")
            };
            push(
                Rule::CourseCompleted,
                severity,
                pos.station,
                Some(a.person),
                format!("{name} har inte genomfört {} för valet{after}", course.label_sv()),
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
            // The Act speaks of one ordförande per district: a second one is a warning.
            let chairs: BTreeSet<_> = here.iter().filter(|h| h.0 == Role::Ordforande).map(|h| h.2).collect();
            if chairs.len() > 1 {
                push(
                    Rule::MinAppointedPerDistrict,
                    Severity::Warning,
                    station.id,
                    None,
                    format!("{}: {} ordförande placerade, en ordförande per valdistrikt", station.label(), chairs.len()),
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

/// VAL-R01 on the appointed (the Act speaks of those *utsedda*): a vallokal whose placed staff
/// meet the rule but whose appointed do not yet (fewer than four, or no appointed ordförande or
/// vice) gets a warning until enough are appointed. `appointed` are the people whose placement
/// has been appointed.
pub fn check_appointed(instance: &Instance, plan: &Plan, appointed: &BTreeSet<PersonId>) -> Vec<Violation> {
    let positions: HashMap<_, _> = instance.positions.iter().map(|p| (p.id, p)).collect();
    let mut out = vec![];
    for station in instance.stations.iter().filter(|s| matches!(s.kind, StationKind::Vallokal { .. })) {
        let here: Vec<(Role, PersonId)> = plan
            .assignments
            .iter()
            .filter_map(|a| positions.get(&a.position).filter(|p| p.station == station.id).map(|p| (p.role, a.person)))
            .collect();
        let placed: BTreeSet<_> = here.iter().map(|h| h.1).collect();
        let placed_ok = placed.len() >= 4 && [Role::Ordforande, Role::ViceOrdforande].iter().all(|r| here.iter().any(|h| h.0 == *r));
        if !placed_ok {
            continue; // the placed-level error of `check` says it already
        }
        let done: Vec<_> = here.iter().filter(|h| appointed.contains(&h.1)).collect();
        let persons: BTreeSet<_> = done.iter().map(|h| h.1).collect();
        let mut missing = vec![];
        if persons.len() < 4 {
            missing.push(format!("{} av {} placerade förordnade, minst fyra förordnade krävs", persons.len(), placed.len()));
        }
        if !done.iter().any(|h| h.0 == Role::Ordforande) {
            missing.push("ordföranden är inte förordnad".to_owned());
        }
        if !done.iter().any(|h| h.0 == Role::ViceOrdforande) {
            missing.push("vice ordföranden är inte förordnad".to_owned());
        }
        if !missing.is_empty() {
            out.push(Violation {
                rule: Rule::MinAppointedPerDistrict,
                severity: Severity::Warning,
                station: station.id,
                person: None,
                message: format!("{}: {}", station.label(), missing.join("; ")),
            });
        }
    }
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
        use radhus_kernel::law::Basis;
        assert_eq!(Rule::MinAppointedPerDistrict.citation().basis, Basis::Law);
        assert!(Rule::MinAppointedPerDistrict.source().contains("3 kap. 4 §"));
        // Paragraphs the legal check could not verify are not printed as fact.
        for r in Rule::ALL {
            for unverified in ["3 kap. 6 §", "8 kap.", "KU31", "ej verifierad"] {
                assert!(!r.source().contains(unverified), "{r:?} cites {unverified}");
            }
        }
        assert!(Rule::CourseCompleted.source().contains("SFS 2014:301"));
        assert!(Rule::Candidate.source().contains("regeringsformen 1 kap. 9 §"));
        for policy in [Rule::Candidate, Rule::MinAge, Rule::LeaderExperience, Rule::OnePositionPerPerson, Rule::Conflict] {
            assert_eq!(policy.citation().basis, Basis::Policy, "{policy:?}");
        }
        assert_eq!(Rule::PresentInVallokal.citation().basis, Basis::Guidance);
    }

    #[test]
    fn the_minimum_counts_the_appointed_and_a_second_chair_is_a_warning() {
        use crate::core::model::Assignment;
        use crate::core::testdata::{applicant, instance, leader, vallokal};
        let station = vallokal(1, "17800101", 0.0, 0.0);
        let people: Vec<_> = (1..=6).map(|n| if n == 1 || n == 4 { leader(n, 0.0, 0.0) } else { applicant(n, 0.0, 0.0) }).collect();
        let inst = instance(vec![station], people);
        let order = [1, 2, 3, 4, 5, 6];
        let plan = Plan {
            assignments: inst
                .positions
                .iter()
                .zip(order)
                .map(|(p, n)| Assignment { person: crate::core::testdata::person_id(n), position: p.id })
                .collect(),
        };
        let rules = RuleSet::default();
        assert!(check(&inst, &plan, &rules).iter().all(|v| v.rule != Rule::MinAppointedPerDistrict), "placed in full");
        // Placed but nobody appointed: a warning naming what is missing.
        let none = check_appointed(&inst, &plan, &BTreeSet::new());
        assert_eq!(none.len(), 1);
        assert_eq!(none[0].severity, Severity::Warning);
        assert!(none[0].message.contains("0 av 6 placerade förordnade"), "{}", none[0].message);
        assert!(none[0].message.contains("ordföranden är inte förordnad"));
        // Four appointed, chair and vice among them: no warning.
        let four: BTreeSet<_> = [1, 2, 3, 4].map(crate::core::testdata::person_id).into();
        assert!(check_appointed(&inst, &plan, &four).is_empty());
        // Four appointed but not the vice (person 4): still a warning.
        let no_vice: BTreeSet<_> = [1, 2, 3, 5].map(crate::core::testdata::person_id).into();
        assert!(check_appointed(&inst, &plan, &no_vice)[0].message.contains("vice ordföranden är inte förordnad"));
        // A second ordförande at the same vallokal.
        let mut inst2 = inst.clone();
        inst2.positions[1].role = Role::Ordforande;
        let mut two = inst2.applicants.clone();
        two[1] = leader(2, 0.0, 0.0);
        inst2.applicants = two;
        let second = check(&inst2, &plan, &rules);
        assert!(
            second.iter().any(|v| v.rule == Rule::MinAppointedPerDistrict
                && v.severity == Severity::Warning
                && v.message.contains("2 ordförande placerade")),
            "{second:?}"
        );
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
