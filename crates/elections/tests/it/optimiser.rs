use radhus_elections::core::testdata::{AFTERNOON, MORNING, instance, person_id, station_id};
use radhus_elections::{Assignment, Conflict, Options, Plan, Position, PositionId, Role, Rule, RuleSet, optimise, reoptimise};
use uuid::Uuid;

use crate::{leader_at, one_full_station, person_at, station_at, veteran_at};

fn station_of(inst: &radhus_elections::Instance, plan: &Plan, n: u32) -> Option<radhus_elections::StationId> {
    let pos = plan.position_of(person_id(n))?;
    inst.positions.iter().find(|p| p.id == pos).map(|p| p.station)
}

fn role_of(inst: &radhus_elections::Instance, plan: &Plan, n: u32) -> Option<Role> {
    let pos = plan.position_of(person_id(n))?;
    inst.positions.iter().find(|p| p.id == pos).map(|p| p.role)
}

#[test]
fn a_full_team_staffs_its_station_and_breaks_no_rule() {
    let inst = one_full_station();
    let out = optimise(&inst, &RuleSet::default(), &Options::default());
    assert!(out.gaps.is_empty(), "{:?}", out.gaps);
    assert!(out.violations.is_empty(), "{:?}", out.violations);
    assert_eq!(out.plan.assignments.len(), 6);
    assert_eq!(role_of(&inst, &out.plan, 1), Some(Role::Ordforande));
    assert_eq!(role_of(&inst, &out.plan, 2), Some(Role::ViceOrdforande));
    let p = out.placements.iter().find(|p| p.person == person_id(1)).expect("placed");
    assert_eq!(p.explanation, "0,0 km hemifrån; närmaste lediga plats bland de närmaste lokalerna; ordförande: har varit ordförande 2022");
}

/// Two ordförande positions, A at 0 km and B at 3 km; L1 lives at 1 km, L2 at −1.5 km.
/// Nearest-first puts L1 at A and L2 at B (1 + 4.5 km); the optimum crosses (2 + 1.5 km).
#[test]
fn leaders_are_placed_at_the_least_total_distance() {
    let a = station_at(1, "A", 0.0);
    let b = station_at(2, "B", 3.0);
    let mut inst = instance(vec![a.clone(), b.clone()], vec![leader_at(1, 1.0), leader_at(2, -1.5)]);
    inst.positions.retain(|p| p.role == Role::Ordforande);
    let out = optimise(&inst, &RuleSet::default(), &Options::default());
    assert_eq!(station_of(&inst, &out.plan, 1), Some(b.id));
    assert_eq!(station_of(&inst, &out.plan, 2), Some(a.id));
    assert!((out.total_distance_m() - 3_500).abs() <= 2, "{}", out.total_distance_m());
}

#[test]
fn a_wished_for_station_wins_over_a_slightly_nearer_one() {
    let a = station_at(1, "A", 0.0);
    let b = station_at(2, "B", 2.0);
    let mut p = person_at(1, 0.5);
    p.preferred_stations.insert(b.id);
    let mut inst = instance(vec![a, b.clone()], vec![p]);
    inst.positions.retain(|p| p.role == Role::Rostmottagare);
    let out = optimise(&inst, &RuleSet::default(), &Options::default());
    assert_eq!(station_of(&inst, &out.plan, 1), Some(b.id));
    assert_eq!(out.preferences_met(), 1);
    assert!(out.placements[0].explanation.contains("önskad lokal"));
}

#[test]
fn a_station_without_a_qualified_leader_is_reported_precisely() {
    let mut people = vec![veteran_at(2, 0.0)];
    people.extend((3..=7).map(|n| person_at(n, 0.0)));
    let inst = instance(vec![station_at(101, "Centrum", 0.0)], people);
    let out = optimise(&inst, &RuleSet::default(), &Options::default());
    let messages: Vec<_> = out.gaps.iter().map(|g| g.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "Valdistrikt 17800101 Centrum: saknar ordförande (förmiddag) — ingen sökande med erfarenhet och genomförd utbildning inom räckhåll"
        ]
    );
    let rules: Vec<_> = out.violations.iter().map(|v| (v.rule, v.message.as_str())).collect();
    assert_eq!(
        rules,
        [
            (Rule::MinAppointedPerDistrict, "Valdistrikt 17800101 Centrum: saknar ordförande"),
            (
                Rule::PresentInVallokal,
                "Valdistrikt 17800101 Centrum: 2026-09-13 kl. 08:00–14:00: 2 närvarande, minst tre krävs; ingen ordförande eller vice ordförande närvarande"
            ),
        ]
    );
}

#[test]
fn gaps_say_whether_people_are_unavailable_or_all_taken() {
    // The only leader can work the afternoon only; nobody can be vice.
    let mut l = leader_at(1, 0.0);
    l.available.remove(&MORNING);
    let inst = instance(vec![station_at(1, "Norr", 0.0), station_at(2, "Söder", 1.0)], vec![l]);
    let out = optimise(&inst, &RuleSet::default(), &Options::default());
    let first = |role, station, shift| {
        out.gaps
            .iter()
            .find(|g| g.role == role && g.station == station_id(station) && g.shift == shift)
            .map(|g| g.message.clone())
            .expect("a gap")
    };
    assert_eq!(
        first(Role::Ordforande, 1, MORNING),
        "Valdistrikt 17800001 Norr: saknar ordförande (förmiddag) — ingen sökande med erfarenhet och genomförd utbildning inom räckhåll kan arbeta under passet"
    );
    // The leader is vice at Norr (afternoon), so Söder's vice has nobody left.
    assert_eq!(
        first(Role::ViceOrdforande, 2, AFTERNOON),
        "Valdistrikt 17800002 Söder: saknar vice ordförande (eftermiddag) — alla sökande med erfarenhet och genomförd utbildning inom räckhåll är redan placerade"
    );
    assert_eq!(
        first(Role::Rostmottagare, 1, AFTERNOON),
        "Valdistrikt 17800001 Norr: saknar röstmottagare (eftermiddag) — alla sökande med genomförd utbildning inom räckhåll är redan placerade"
    );
}

#[test]
fn a_language_position_takes_a_speaker() {
    let mut inst = one_full_station();
    let speaker = {
        let mut p = person_at(7, 2.0);
        p.languages.insert("arabiska".to_owned());
        p
    };
    inst.applicants.push(speaker);
    let pos = inst.positions.iter_mut().find(|p| p.role == Role::Rostmottagare).expect("a position");
    pos.language = Some("arabiska".to_owned());
    let pos_id = pos.id;
    let out = optimise(&inst, &RuleSet::default(), &Options::default());
    assert_eq!(out.plan.position_of(person_id(7)), Some(pos_id));
    assert!(out.violations.is_empty(), "{:?}", out.violations);
    let p = out.placements.iter().find(|p| p.person == person_id(7)).expect("placed");
    assert!(p.explanation.ends_with("talar arabiska"), "{}", p.explanation);
}

#[test]
fn conflict_pairs_never_work_together() {
    // Two stations; persons 3 and 4 live at A and must not work together.
    let mut people = vec![leader_at(1, 0.0), leader_at(11, 5.0), veteran_at(2, 0.0), veteran_at(12, 5.0)];
    people.extend((3..=6).map(|n| person_at(n, 0.0)));
    people.extend((13..=16).map(|n| person_at(n, 5.0)));
    let mut inst = instance(vec![station_at(1, "A", 0.0), station_at(2, "B", 5.0)], people);
    inst.conflicts.push(Conflict(person_id(3), person_id(4)));
    inst.conflicts.push(Conflict(person_id(1), person_id(2)));
    let out = optimise(&inst, &RuleSet::default(), &Options::default());
    assert_ne!(station_of(&inst, &out.plan, 3), station_of(&inst, &out.plan, 4));
    assert_ne!(station_of(&inst, &out.plan, 1), station_of(&inst, &out.plan, 2));
    assert!(station_of(&inst, &out.plan, 3).is_some() && station_of(&inst, &out.plan, 4).is_some());
    assert!(!out.violations.iter().any(|v| v.rule == Rule::Conflict));
}

#[test]
fn locked_people_are_never_moved_even_when_far_or_untrained() {
    let mut inst = one_full_station();
    inst.stations.push(station_at(2, "Fjärran", 40.0));
    let far: Vec<Position> = radhus_elections::core::testdata::standard_positions(&inst.stations[1]);
    inst.positions.extend(far.iter().cloned());
    // Person 3 (lives at Centrum) is already appointed far away, and has lost the course.
    let target = far.iter().find(|p| p.role == Role::Rostmottagare).expect("rm").id;
    inst.locked.push(Assignment { person: person_id(3), position: target });
    inst.applicants[2].courses.clear();
    let out = optimise(&inst, &RuleSet::default(), &Options::default());
    assert_eq!(out.plan.position_of(person_id(3)), Some(target));
    let p = out.placements.iter().find(|p| p.person == person_id(3)).expect("placed");
    assert!(p.locked && p.explanation.ends_with("redan förordnad"));
    assert!(out.violations.iter().any(|v| v.rule == Rule::CourseCompleted && v.person == Some(person_id(3))));
}

#[test]
fn reoptimising_after_a_cancellation_fills_the_gap_and_moves_nobody() {
    let mut inst = one_full_station();
    inst.applicants.push(person_at(7, 3.0)); // a reserve further away
    let rules = RuleSet::default();
    let opts = Options::default();
    let first = optimise(&inst, &rules, &opts);
    assert_eq!(first.plan.position_of(person_id(7)), None);
    let vacated = first.plan.position_of(person_id(4)).expect("placed");
    let again = reoptimise(&inst, &rules, &opts, &first.plan, &[person_id(4)]);
    assert!(again.moved.is_empty(), "{:?}", again.moved);
    assert_eq!(again.plan.position_of(person_id(7)), Some(vacated));
    for n in [1, 2, 3, 5, 6] {
        assert_eq!(again.plan.position_of(person_id(n)), first.plan.position_of(person_id(n)));
    }
    assert!(again.violations.is_empty(), "{:?}", again.violations);
}

#[test]
fn reoptimising_moves_only_the_one_who_must_move() {
    // The ordförande cancels; only the vice (a former ordförande) can lead, so the vice moves up,
    // a veteran reserve becomes vice and nobody else moves.
    let mut people = vec![leader_at(1, 0.0), leader_at(2, 0.0)];
    people.extend((3..=6).map(|n| person_at(n, 0.0)));
    people.push(veteran_at(7, 4.0));
    let inst = radhus_elections::core::testdata::instance(vec![station_at(1, "Centrum", 0.0)], people);
    let rules = RuleSet::default();
    let opts = Options::default();
    let first = optimise(&inst, &rules, &opts);
    let chair = [1, 2].into_iter().find(|&n| role_of(&inst, &first.plan, n) == Some(Role::Ordforande)).expect("a chair");
    let vice = 3 - chair;
    let again = reoptimise(&inst, &rules, &opts, &first.plan, &[person_id(chair)]);
    assert_eq!(again.moved, vec![person_id(vice)]);
    assert_eq!(role_of(&inst, &again.plan, vice), Some(Role::Ordforande));
    assert_eq!(role_of(&inst, &again.plan, 7), Some(Role::ViceOrdforande));
    for n in 3..=6 {
        assert_eq!(again.plan.position_of(person_id(n)), first.plan.position_of(person_id(n)));
    }
    assert!(again.violations.is_empty(), "{:?}", again.violations);
}

#[test]
fn the_optimiser_ignores_unknown_locks() {
    let mut inst = one_full_station();
    inst.locked.push(Assignment { person: person_id(99), position: PositionId(Uuid::from_u128(1)) });
    let out = optimise(&inst, &RuleSet::default(), &Options::default());
    assert!(out.violations.is_empty());
}

#[test]
fn a_gap_left_by_a_conflict_says_so() {
    // Six people for six positions, but persons 3 and 4 must not work together.
    let mut inst = one_full_station();
    inst.conflicts.push(Conflict(person_id(3), person_id(4)));
    let out = optimise(&inst, &RuleSet::default(), &Options::default());
    assert_eq!(out.gaps.len(), 1, "{:?}", out.gaps);
    let m = &out.gaps[0].message;
    assert!(m.starts_with("Valdistrikt 17800001 Centrum: saknar röstmottagare ("), "{m}");
    assert!(
        m.ends_with("— sökande med genomförd utbildning inom räckhåll får inte arbeta i samma lokal som någon som redan är placerad där"),
        "{m}"
    );
    assert!(!out.violations.iter().any(|v| v.rule == Rule::Conflict));
}

#[test]
fn a_far_applicant_fills_what_the_nearest_stations_leave_open() {
    // With k = 1 the only leader's nearest station is A; B's ordförande comes from the wide pass.
    let a = station_at(1, "A", 0.0);
    let b = station_at(2, "B", 30.0);
    let mut inst = instance(vec![a.clone(), b.clone()], vec![leader_at(1, 0.0), leader_at(2, 1.0)]);
    inst.positions.retain(|p| p.role == Role::Ordforande);
    let opts = Options { k_nearest: 1, ..Options::default() };
    let out = optimise(&inst, &RuleSet::default(), &opts);
    assert!(out.gaps.is_empty(), "{:?}", out.gaps);
    assert_eq!(station_of(&inst, &out.plan, 1), Some(a.id));
    assert_eq!(station_of(&inst, &out.plan, 2), Some(b.id));
    let limited = Options { k_nearest: 1, max_reach_m: Some(10_000), ..Options::default() };
    let out = optimise(&inst, &RuleSet::default(), &limited);
    assert_eq!(
        out.gaps.iter().map(|g| g.message.as_str()).collect::<Vec<_>>(),
        ["Valdistrikt 17800002 B: saknar ordförande (förmiddag) — ingen sökande med erfarenhet och genomförd utbildning inom räckhåll"]
    );
}

#[test]
fn a_position_at_an_unknown_station_is_a_gap_not_a_panic() {
    let mut inst = one_full_station();
    let mut stray = inst.positions[0].clone();
    stray.id = PositionId(Uuid::from_u128(4242));
    stray.station = station_id(999);
    inst.positions.push(stray.clone());
    let mut unheld = stray.clone();
    unheld.id = PositionId(Uuid::from_u128(4243));
    inst.positions.push(unheld.clone());
    inst.locked.push(Assignment { person: person_id(1), position: stray.id });
    let out = optimise(&inst, &RuleSet::default(), &Options::default());
    assert_eq!(out.plan.position_of(person_id(1)), Some(stray.id));
    let gap = out.gaps.iter().find(|g| g.position == unheld.id).expect("a gap");
    assert_eq!(gap.message, format!("Platsen {} hör till en lokal som inte finns i valet", unheld.id));
}
