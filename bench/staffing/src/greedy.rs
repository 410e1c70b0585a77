//! The baseline: positions in turn (ordförande, then vice, then röstmottagare; within a role in
//! station order), each taking the nearest free applicant who may hold it, is free on the shift,
//! speaks the language asked for and has no conflict partner at the station.

use std::collections::HashMap;

use radhus_elections::{Assignment, Instance, Plan, Role, RuleSet};

pub fn staff(inst: &Instance, rules: &RuleSet) -> Plan {
    let mut used = vec![false; inst.applicants.len()];
    let mut at_station: HashMap<_, Vec<_>> = HashMap::new();
    let partners = inst.conflict_partners();
    let mut assignments = Vec::new();
    for role in [Role::Ordforande, Role::ViceOrdforande, Role::Rostmottagare] {
        for pos in inst.positions.iter().filter(|p| p.role == role) {
            let Some(station) = inst.station(pos.station) else {
                continue;
            };
            let here: &Vec<usize> = at_station.entry(pos.station).or_default();
            let best = inst
                .applicants
                .iter()
                .enumerate()
                .filter(|&(i, a)| {
                    !used[i]
                        && a.available.contains(&pos.shift)
                        && pos.language.as_ref().is_none_or(|l| a.languages.contains(l))
                        && rules.may_hold(inst.election.day, a, role)
                        && !partners.get(&i).is_some_and(|ps| ps.iter().any(|p| here.contains(p)))
                })
                .min_by(|x, y| x.1.home.distance_m(station.location).total_cmp(&y.1.home.distance_m(station.location)));
            if let Some((i, a)) = best {
                used[i] = true;
                at_station.entry(pos.station).or_default().push(i);
                assignments.push(Assignment { person: a.id, position: pos.id });
            }
        }
    }
    Plan { assignments }
}
