//! Every rule is detected on a plan built by hand to break it.

use radhus_elections::core::testdata::{MORNING, person_id, shifts, station_id};
use radhus_elections::{
    Assignment, CandidatePolicy, Conflict, Instance, OpeningDay, Plan, Position, PositionId, Role, Rule, RuleSet, Severity, Station,
    StationKind, Violation, check, rules::by_station,
};
use time::macros::{date, time};
use uuid::Uuid;

use crate::{one_full_station, person_at};

/// The plan that puts person n on the station's n-th standard position (1 → ordförande,
/// 2 → röstmottagare, 3 → röstmottagare, 4 → vice, 5, 6 → röstmottagare).
fn full_plan(inst: &Instance) -> Plan {
    let order = [1, 3, 4, 2, 5, 6];
    Plan { assignments: inst.positions[..6].iter().zip(order).map(|(p, n)| Assignment { person: person_id(n), position: p.id }).collect() }
}

fn rules_of(v: &[Violation]) -> Vec<Rule> {
    v.iter().map(|v| v.rule).collect()
}

#[test]
fn a_full_plan_breaks_nothing() {
    let inst = one_full_station();
    assert_eq!(check(&inst, &full_plan(&inst), &RuleSet::default()), []);
}

#[test]
fn fewer_than_four_appointed_and_three_present_is_caught() {
    let inst = one_full_station();
    let mut plan = full_plan(&inst);
    // Keep ordförande and vice and one röstmottagare: three appointed.
    plan.assignments.retain(|a| [1, 2, 3].contains(&(a.person.0.as_u128() as u32 - 1_000_000)));
    let v = check(&inst, &plan, &RuleSet::default());
    let msgs: Vec<_> = v.iter().map(|v| v.message.as_str()).collect();
    assert_eq!(
        msgs,
        [
            "Valdistrikt 17800001 Centrum: 3 förordnade, minst fyra krävs",
            "Valdistrikt 17800001 Centrum: 2026-09-13 kl. 08:00–14:00: 2 närvarande, minst tre krävs",
            "Valdistrikt 17800001 Centrum: 2026-09-13 kl. 14:00–20:00: 1 närvarande, minst tre krävs",
        ]
    );
    assert_eq!(rules_of(&v), [Rule::MinAppointedPerDistrict, Rule::PresentInVallokal, Rule::PresentInVallokal]);
    assert_eq!(by_station(&v).get(&station_id(1)).map(Vec::len), Some(3));
}

#[test]
fn a_missing_vice_leaves_the_afternoon_without_a_leader() {
    let inst = one_full_station();
    let mut plan = full_plan(&inst);
    plan.assignments.retain(|a| a.person != person_id(2));
    let v = check(&inst, &plan, &RuleSet::default());
    let msgs: Vec<_> = v.iter().map(|v| v.message.as_str()).collect();
    assert_eq!(
        msgs,
        [
            "Valdistrikt 17800001 Centrum: saknar vice ordförande",
            "Valdistrikt 17800001 Centrum: 2026-09-13 kl. 14:00–20:00: 2 närvarande, minst tre krävs; ingen ordförande eller vice ordförande närvarande",
        ]
    );
}

/// A change that makes the full plan break exactly one rule.
type Change = Box<dyn Fn(&mut Instance)>;

#[test]
fn person_rules_are_caught_one_by_one() {
    let base = one_full_station();
    let rules = RuleSet::default();
    let cases: Vec<(Change, Rule, &str)> = vec![
        (
            Box::new(|i| i.applicants[3].courses.clear()),
            Rule::CourseCompleted,
            "Person 4 har inte genomfört grundutbildning för röstmottagare för valet",
        ),
        (
            Box::new(|i| {
                i.applicants[0].courses.remove(&radhus_elections::Course::Ordforande);
            }),
            Rule::CourseCompleted,
            "Person 1 har inte genomfört utbildning för ordförande för valet",
        ),
        (Box::new(|i| i.applicants[4].candidate = true), Rule::Candidate, "Person 5 kandiderar i valet"),
        (Box::new(|i| i.applicants[5].birth_date = date!(2008 - 09 - 14)), Rule::MinAge, "Person 6 är 17 år på valdagen, minst 18 krävs"),
        (
            Box::new(|i| i.applicants[0].experience[0].role = Role::Rostmottagare),
            Rule::LeaderExperience,
            "Person 1 saknar den erfarenhet som krävs för ordförande",
        ),
        (
            Box::new(|i| {
                i.applicants[2].available.remove(&MORNING);
            }),
            Rule::Available,
            "Person 3 kan inte arbeta under passet förmiddag",
        ),
        (
            Box::new(|i| i.conflicts.push(Conflict(person_id(5), person_id(6)))),
            Rule::Conflict,
            "Person 5 och Person 6 får inte arbeta i samma lokal",
        ),
        (
            Box::new(|i| i.positions[1].language = Some("finska".to_owned())),
            Rule::Language,
            "Person 3 talar inte finska, som platsen kräver",
        ),
    ];
    for (change, rule, message) in cases {
        let mut inst = base.clone();
        change(&mut inst);
        let v = check(&inst, &full_plan(&base), &rules);
        assert_eq!(v.len(), 1, "{rule:?}: {v:?}");
        assert_eq!((v[0].rule, v[0].message.as_str()), (rule, message));
        assert_eq!(v[0].severity, Severity::Error);
        assert_eq!(v[0].station, station_id(1));
        assert!(!rule.source().is_empty() && rule.code().starts_with("VAL-"));
    }
}

#[test]
fn a_candidate_is_only_a_warning_where_the_policy_says_so() {
    let mut inst = one_full_station();
    inst.applicants[4].candidate = true;
    let rules = RuleSet { candidate_policy: CandidatePolicy::Warn, ..RuleSet::default() };
    let v = check(&inst, &full_plan(&inst), &rules);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].severity, Severity::Warning);
}

#[test]
fn the_age_rule_can_be_switched_off() {
    let mut inst = one_full_station();
    inst.applicants[5].birth_date = date!(2010 - 01 - 01);
    let rules = RuleSet { min_age: None, ..RuleSet::default() };
    assert_eq!(check(&inst, &full_plan(&inst), &rules), []);
}

#[test]
fn double_bookings_are_caught_both_ways() {
    let inst = one_full_station();
    let mut plan = full_plan(&inst);
    // Person 5 takes a second position; person 6 also sits on the ordförande's position.
    plan.assignments.push(Assignment { person: person_id(5), position: inst.positions[1].id });
    let v = check(&inst, &plan, &RuleSet::default());
    assert!(rules_of(&v).contains(&Rule::OnePositionPerPerson));
    assert!(rules_of(&v).contains(&Rule::OnePersonPerPosition));
}

#[test]
fn a_rostningslokal_needs_two_present_every_opening_hour() {
    let mut inst = one_full_station();
    let day = date!(2026 - 09 - 01);
    let lokal = Station {
        id: station_id(50),
        name: "Biblioteket".to_owned(),
        kind: StationKind::Rostningslokal { days: vec![OpeningDay { date: day, opens: time!(10:00), closes: time!(18:00) }] },
        location: inst.stations[0].location,
    };
    let mut early = shifts()[0].clone();
    early.id = radhus_elections::ShiftId(Uuid::from_u128(3));
    early.name = "1 sep dag".to_owned();
    early.date = day;
    early.start = time!(10:00);
    early.end = time!(14:00);
    let pos =
        Position { id: PositionId(Uuid::from_u128(999)), station: lokal.id, shift: early.id, role: Role::Rostmottagare, language: None };
    inst.stations.push(lokal);
    inst.shifts.push(early.clone());
    inst.positions.push(pos.clone());
    let mut extra = person_at(7, 0.0);
    extra.available.insert(early.id);
    inst.applicants.push(extra);
    let mut plan = full_plan(&inst);
    plan.assignments.push(Assignment { person: person_id(7), position: pos.id });
    let v = check(&inst, &plan, &RuleSet::default());
    let msgs: Vec<_> = v.iter().map(|v| v.message.as_str()).collect();
    assert_eq!(
        msgs,
        [
            "Röstningslokal Biblioteket: 2026-09-01 kl. 10:00–14:00: 1 närvarande, minst två krävs",
            "Röstningslokal Biblioteket: 2026-09-01 kl. 14:00–18:00: 0 närvarande, minst två krävs",
        ]
    );
    assert!(v.iter().all(|v| v.rule == Rule::PresentInRostningslokal));
}
