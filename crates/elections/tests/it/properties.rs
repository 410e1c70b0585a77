//! Invariants on random instances: nobody twice, no position twice, conflict pairs apart, and
//! every hard rule holds for every placed person; a plan without gaps breaks no rule at all.

use std::collections::HashSet;

use proptest::prelude::*;
use radhus_elections::core::testdata::{AFTERNOON, MORNING, instance, person_id};
use radhus_elections::{Conflict, Course, Instance, Options, PastService, Role, Rule, RuleSet, optimise, reoptimise};

use crate::{person_at, station_at};

prop_compose! {
    fn arb_instance()(
        stations in prop::collection::vec(0.0..20.0f64, 1..5),
        people in prop::collection::vec(
            (0.0..20.0f64, 0u8..4, any::<bool>(), any::<bool>(), 0u8..4, any::<bool>(), any::<bool>()),
            0..40,
        ),
        conflicts in prop::collection::vec((0u32..40, 0u32..40), 0..10),
        prefer in prop::collection::vec((0u32..40, 0u32..5), 0..10),
    ) -> Instance {
        let stations: Vec<_> = stations
            .iter()
            .enumerate()
            .map(|(i, &x)| station_at(i as u32 + 1, &format!("S{i}"), x))
            .collect();
        let n = people.len() as u32;
        let applicants = people
            .iter()
            .enumerate()
            .map(|(i, &(x, exp, course, lead_course, shifts, candidate, finnish))| {
                let mut a = person_at(i as u32, x);
                a.experience = match exp {
                    0 => vec![],
                    1 => vec![PastService { year: 2022, role: Role::Rostmottagare }],
                    2 => vec![PastService { year: 2018, role: Role::ViceOrdforande }],
                    _ => vec![PastService { year: 2022, role: Role::Ordforande }],
                };
                if !course {
                    a.courses.clear();
                }
                if lead_course {
                    a.courses.insert(Course::Ordforande);
                }
                a.available = match shifts {
                    0 => [MORNING].into(),
                    1 => [AFTERNOON].into(),
                    2 => [MORNING, AFTERNOON].into(),
                    _ => [].into(),
                };
                a.candidate = candidate && exp == 0;
                if finnish {
                    a.languages.insert("finska".to_owned());
                }
                a
            })
            .collect();
        let mut inst = instance(stations, applicants);
        if let Some(p) = inst.positions.get_mut(1) {
            p.language = Some("finska".to_owned());
        }
        for (a, b) in conflicts {
            if a < n && b < n && a != b {
                inst.conflicts.push(Conflict(person_id(a), person_id(b)));
            }
        }
        for (p, s) in prefer {
            if let (Some(a), Some(st)) = (inst.applicants.get_mut(p as usize), inst.stations.get(s as usize)) {
                a.preferred_stations.insert(st.id);
            }
        }
        inst
    }
}

fn assert_invariants(inst: &Instance, out: &radhus_elections::Outcome) {
    let mut people = HashSet::new();
    let mut positions = HashSet::new();
    for a in &out.plan.assignments {
        assert!(people.insert(a.person), "{:?} twice", a.person);
        assert!(positions.insert(a.position), "{:?} twice", a.position);
    }
    let station = |p| out.plan.position_of(p).and_then(|pos| inst.positions.iter().find(|x| x.id == pos)).map(|x| x.station);
    for c in &inst.conflicts {
        if let (Some(a), Some(b)) = (station(c.0), station(c.1)) {
            assert_ne!(a, b, "conflict pair {c:?} together");
        }
    }
    // Only gaps may break rules: the structural ones that count people.
    for v in &out.violations {
        assert!(matches!(v.rule, Rule::MinAppointedPerDistrict | Rule::PresentInVallokal | Rule::PresentInRostningslokal), "{v:?}");
    }
    if out.gaps.is_empty() {
        assert!(out.violations.is_empty(), "{:?}", out.violations);
    }
    assert_eq!(out.plan.assignments.len() + out.gaps.len(), inst.positions.len());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_plan_keeps_the_hard_rules(inst in arb_instance()) {
        let out = optimise(&inst, &RuleSet::default(), &Options::default());
        assert_invariants(&inst, &out);
    }

    #[test]
    fn reoptimising_keeps_them_too_and_moves_no_one_needlessly(
        inst in arb_instance(),
        cancel in prop::collection::vec(0u32..40, 0..4),
    ) {
        let rules = RuleSet::default();
        let opts = Options::default();
        let first = optimise(&inst, &rules, &opts);
        let cancelled: Vec<_> = cancel.into_iter().map(person_id).collect();
        let again = reoptimise(&inst, &rules, &opts, &first.plan, &cancelled);
        let mut reduced = inst.clone();
        reduced.applicants.retain(|a| !cancelled.contains(&a.id));
        assert_invariants(&reduced, &again);
        // With no cancellation nobody is lost, and a plan without gaps stays as it was. The
        // optimiser is staged (a heuristic, not a global optimum): when the first plan left
        // gaps, the second may fill one, and moves someone only if that fills more.
        if cancelled.iter().all(|c| first.plan.position_of(*c).is_none()) {
            prop_assert!(again.plan.assignments.len() >= first.plan.assignments.len());
            prop_assert!(again.gaps.len() <= first.gaps.len());
            if first.gaps.is_empty() {
                prop_assert!(again.moved.is_empty());
                for a in &first.plan.assignments {
                    prop_assert_eq!(again.plan.position_of(a.person), Some(a.position));
                }
            }
            if !again.moved.is_empty() {
                prop_assert!(again.gaps.len() < first.gaps.len(), "a move must fill a gap");
            }
        }
    }
}
