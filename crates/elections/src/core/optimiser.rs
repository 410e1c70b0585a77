//! The staffing optimiser (research A8): locked assignments stay, then leaders first
//! (ordförande, then vice), then the bulk of röstmottagare, each stage a min-cost max-flow
//! (network simplex, crate `mcmf`) over arcs pruned to each applicant's k nearest stations and
//! preferred stations. Side constraints: language needs are positions only speakers reach;
//! conflict pairs are repaired by banning the arc and solving the stage again.
//!
//! Max-flow first means a stage fills as many positions as any plan could with the people left;
//! among those fillings the cost (metres of travel, a penalty for a station or a role not wished
//! for, and on re-optimisation a large penalty per moved person) is least.

use std::collections::{BTreeMap, HashMap, HashSet};

use mcmf::{Capacity, Cost, GraphBuilder, Vertex};

use crate::core::model::{Applicant, Assignment, Instance, PersonId, Plan, Position, PositionId, Role, StationId};
use crate::core::rules::{RuleSet, Violation, check};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// How many nearest stations an applicant can be sent to (besides wished-for ones).
    pub k_nearest: usize,
    /// Extra cost in metres for a station the person did not wish for.
    pub not_preferred_m: i64,
    /// Extra cost in metres for a role the person did not ask for (when they named roles).
    pub unwanted_role_m: i64,
    /// Extra cost in metres for someone who has not completed the role's course (placed only
    /// under the municipality's setting *train after placement*), so the trained come first.
    pub untrained_m: i64,
    /// Cost in metres of moving someone who held another position in the previous plan.
    pub move_penalty_m: i64,
    /// Distances beyond this count as this (keeps costs in range).
    pub max_distance_m: i64,
    /// How far the second pass looks for positions the nearest stations left open; `None`:
    /// anywhere in the municipality.
    pub max_reach_m: Option<i64>,
    pub repair_rounds: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            k_nearest: 15,
            not_preferred_m: 3_000,
            unwanted_role_m: 2_000,
            untrained_m: 5_000,
            move_penalty_m: 200_000,
            max_distance_m: 100_000,
            max_reach_m: None,
            repair_rounds: 20,
        }
    }
}

/// Why a person holds a position, for the office and the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub person: PersonId,
    pub position: PositionId,
    pub distance_m: i64,
    pub preferred: bool,
    pub locked: bool,
    pub explanation: String,
}

/// A position the optimiser could not fill, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub position: PositionId,
    pub station: StationId,
    pub shift: crate::core::model::ShiftId,
    pub role: Role,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub plan: Plan,
    pub placements: Vec<Placement>,
    pub gaps: Vec<Gap>,
    /// People who held a different position in the previous plan (re-optimisation only).
    pub moved: Vec<PersonId>,
    /// The rule check of the plan; empty when every hard rule holds.
    pub violations: Vec<Violation>,
}

impl Outcome {
    pub fn total_distance_m(&self) -> i64 {
        self.placements.iter().map(|p| p.distance_m).sum()
    }
    pub fn preferences_met(&self) -> usize {
        self.placements.iter().filter(|p| p.preferred).count()
    }
}

/// Staffs the election from scratch (locked assignments stay).
pub fn optimise(instance: &Instance, rules: &RuleSet, options: &Options) -> Outcome {
    Solver::new(instance, rules, options, None, false).run()
}

/// Staffs again after cancellations, moving as few of the others as it can.
pub fn reoptimise(instance: &Instance, rules: &RuleSet, options: &Options, previous: &Plan, cancelled: &[PersonId]) -> Outcome {
    let gone: HashSet<_> = cancelled.iter().collect();
    let mut reduced = instance.clone();
    reduced.applicants.retain(|a| !gone.contains(&a.id));
    reduced.locked.retain(|l| !gone.contains(&l.person));
    let incumbent: HashMap<_, _> =
        previous.assignments.iter().filter(|a| !gone.contains(&a.person)).map(|a| (a.person, a.position)).collect();
    // First everyone stays and only the vacancies are filled; only if that leaves gaps are
    // moves allowed, each at `move_penalty_m`, and kept only if they fill more.
    let kept = Solver::new(&reduced, rules, options, Some(incumbent.clone()), true).run();
    if kept.gaps.is_empty() {
        return kept;
    }
    let moved = Solver::new(&reduced, rules, options, Some(incumbent), false).run();
    if moved.gaps.len() < kept.gaps.len() { moved } else { kept }
}

/// Positions that are interchangeable for the flow: same station, shift, role and language.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct GroupKey {
    station: usize,
    shift: crate::core::model::ShiftId,
    role: Role,
    language: Option<String>,
}

struct Solver<'a> {
    instance: &'a Instance,
    rules: &'a RuleSet,
    options: &'a Options,
    incumbent: Option<HashMap<PersonId, PositionId>>,
    /// Hold every incumbent where they are before any stage (re-optimisation, first phase).
    keep_incumbents: bool,
    station_index: HashMap<StationId, usize>,
    /// Stations each applicant can be sent to, with the distance in metres.
    reach: Vec<BTreeMap<usize, i64>>,
    conflicts: HashMap<usize, Vec<usize>>,
    banned: HashSet<(usize, usize)>,
    /// position index → person index
    held: BTreeMap<usize, usize>,
    person_used: Vec<bool>,
    locked: HashSet<usize>,
}

impl<'a> Solver<'a> {
    fn new(
        instance: &'a Instance,
        rules: &'a RuleSet,
        options: &'a Options,
        incumbent: Option<HashMap<PersonId, PositionId>>,
        keep_incumbents: bool,
    ) -> Self {
        let station_index: HashMap<_, _> = instance.stations.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
        let reach = instance
            .applicants
            .iter()
            .map(|a| {
                let mut d: Vec<(i64, usize)> =
                    instance.stations.iter().enumerate().map(|(i, s)| (metres(a.home.distance_m(s.location)), i)).collect();
                d.sort_unstable();
                let mut r: BTreeMap<usize, i64> = d.iter().take(options.k_nearest).map(|&(m, i)| (i, m)).collect();
                for s in &a.preferred_stations {
                    if let Some(&i) = station_index.get(s) {
                        r.insert(i, metres(a.home.distance_m(instance.stations[i].location)));
                    }
                }
                r
            })
            .collect();
        let conflicts = instance.conflict_partners();
        Self {
            instance,
            rules,
            options,
            incumbent,
            keep_incumbents,
            station_index,
            reach,
            conflicts,
            banned: HashSet::new(),
            held: BTreeMap::new(),
            person_used: vec![false; instance.applicants.len()],
            locked: HashSet::new(),
        }
    }

    fn run(mut self) -> Outcome {
        let position_index: HashMap<_, _> = self.instance.positions.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        let person_index: HashMap<_, _> = self.instance.applicants.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
        // Locked (förordnade) first: never moved, even when they break a rule (the check says so).
        for l in &self.instance.locked {
            if let (Some(&pos), Some(&p)) = (position_index.get(&l.position), person_index.get(&l.person))
                && !self.held.contains_key(&pos)
                && !self.person_used[p]
            {
                self.held.insert(pos, p);
                self.person_used[p] = true;
                self.locked.insert(pos);
            }
        }
        if self.keep_incumbents {
            let kept: Vec<(PersonId, PositionId)> = self.incumbent.iter().flatten().map(|(a, b)| (*a, *b)).collect();
            for (person, position) in kept {
                if let (Some(&pos), Some(&p)) = (position_index.get(&position), person_index.get(&person))
                    && !self.held.contains_key(&pos)
                    && !self.person_used[p]
                {
                    self.held.insert(pos, p);
                    self.person_used[p] = true;
                }
            }
        }
        for role in [Role::Ordforande, Role::ViceOrdforande, Role::Rostmottagare] {
            // The nearest stations first; what they leave open, from anyone within reach.
            self.stage(role, false);
            let open = self.instance.positions.iter().enumerate().any(|(i, p)| p.role == role && !self.held.contains_key(&i));
            if open {
                self.stage(role, true);
            }
        }
        self.finish()
    }

    fn station_of(&self, pos: &Position) -> usize {
        self.station_index.get(&pos.station).copied().unwrap_or(usize::MAX)
    }

    /// The distance from `p` to station `s` if `s` is in reach: one of p's nearest or wished-for
    /// stations, or, in the wide pass, within `max_reach_m`.
    fn in_reach(&self, p: usize, s: usize, wide: bool) -> Option<i64> {
        if let Some(&d) = self.reach[p].get(&s) {
            return Some(d);
        }
        if !wide {
            return None;
        }
        let a = &self.instance.applicants[p];
        let d = metres(a.home.distance_m(self.instance.stations.get(s)?.location));
        self.options.max_reach_m.is_none_or(|m| d <= m).then_some(d)
    }

    fn eligible(&self, p: usize, pos: &Position, wide: bool) -> Option<i64> {
        let a = &self.instance.applicants[p];
        let s = self.station_of(pos);
        let d = self.in_reach(p, s, wide)?;
        let ok = a.available.contains(&pos.shift)
            && pos.language.as_ref().is_none_or(|l| a.languages.contains(l))
            && self.rules.may_place(self.instance.election.day, a, pos.role)
            && !self.banned.contains(&(p, s));
        ok.then_some(d)
    }

    fn cost(&self, p: usize, pos_index: usize, pos: &Position, d: i64) -> i64 {
        let a = &self.instance.applicants[p];
        let mut c = d.min(self.options.max_distance_m);
        if !a.preferred_stations.contains(&pos.station) {
            c += self.options.not_preferred_m;
        }
        if !a.wanted_roles.is_empty() && !a.wanted_roles.contains(&pos.role) {
            c += self.options.unwanted_role_m;
        }
        if !self.rules.trained_for(a, pos.role) {
            c += self.options.untrained_m;
        }
        if let Some(prev) = self.incumbent.as_ref().and_then(|m| m.get(&a.id))
            && *prev != self.instance.positions[pos_index].id
        {
            c += self.options.move_penalty_m;
        }
        c
    }

    /// Does a conflict partner of `p` already hold a position at station `s`?
    fn partner_at(&self, p: usize, s: usize) -> bool {
        self.conflicts.get(&p).is_some_and(|partners| {
            self.held.iter().any(|(&pos, &q)| partners.contains(&q) && self.station_of(&self.instance.positions[pos]) == s)
        })
    }

    fn stage(&mut self, role: Role, wide: bool) {
        let rounds = self.options.repair_rounds;
        for round in 0..=rounds {
            let placed = self.solve_stage(role, wide);
            let bans = self.conflict_bans(&placed);
            if bans.is_empty() || round == rounds {
                // Out of rounds: whoever still sits with a conflict partner is left out.
                let dropped: HashSet<_> = bans.iter().copied().collect();
                for (pos, p, _) in placed {
                    let s = self.station_of(&self.instance.positions[pos]);
                    if !dropped.contains(&(p, s)) {
                        self.held.insert(pos, p);
                        self.person_used[p] = true;
                    }
                }
                self.banned.extend(bans);
                return;
            }
            self.banned.extend(bans);
        }
    }

    /// Conflict repair: of a pair placed at one station the newcomer loses the arc to that
    /// station (the dearer one when both are new), and the stage is solved again.
    fn conflict_bans(&self, placed: &[(usize, usize, i64)]) -> Vec<(usize, usize)> {
        let mut at: HashMap<usize, Vec<(usize, Option<i64>)>> = HashMap::new();
        for (&pos, &p) in &self.held {
            at.entry(self.station_of(&self.instance.positions[pos])).or_default().push((p, None));
        }
        for &(pos, p, c) in placed {
            at.entry(self.station_of(&self.instance.positions[pos])).or_default().push((p, Some(c)));
        }
        let mut bans = Vec::new();
        for (&s, here) in &at {
            for (i, &(p, pc)) in here.iter().enumerate() {
                for &(q, qc) in &here[i + 1..] {
                    if !self.conflicts.get(&p).is_some_and(|v| v.contains(&q)) {
                        continue;
                    }
                    let loser = match (pc, qc) {
                        (Some(a), Some(b)) if (b, q) > (a, p) => q,
                        (Some(_), _) => p,
                        (None, Some(_)) => q,
                        (None, None) => continue,
                    };
                    bans.push((loser, s));
                }
            }
        }
        bans.sort_unstable();
        bans.dedup();
        bans
    }

    /// One min-cost max-flow: source → position group (capacity = free positions) → person
    /// (capacity 1) → sink. Returns (position index, person index, cost) without committing.
    fn solve_stage(&self, role: Role, wide: bool) -> Vec<(usize, usize, i64)> {
        let mut groups: BTreeMap<GroupKey, Vec<usize>> = BTreeMap::new();
        for (i, pos) in self.instance.positions.iter().enumerate() {
            if pos.role == role && !self.held.contains_key(&i) && self.station_index.contains_key(&pos.station) {
                groups
                    .entry(GroupKey { station: self.station_of(pos), shift: pos.shift, role, language: pos.language.clone() })
                    .or_default()
                    .push(i);
            }
        }
        if groups.is_empty() {
            return Vec::new();
        }
        let groups: Vec<(GroupKey, Vec<usize>)> = groups.into_iter().collect();
        let mut by_station: HashMap<usize, Vec<usize>> = HashMap::new();
        for (g, (key, _)) in groups.iter().enumerate() {
            by_station.entry(key.station).or_default().push(g);
        }
        let mut graph: GraphBuilder<(u8, u32)> = GraphBuilder::new();
        for (g, (_, members)) in groups.iter().enumerate() {
            graph.add_edge(Vertex::Source, (0, index_u32(g)), Capacity(i32::try_from(members.len()).unwrap_or(i32::MAX)), Cost(0));
        }
        let mut costs: HashMap<(usize, usize), i64> = HashMap::new();
        for p in 0..self.instance.applicants.len() {
            if self.person_used[p] {
                continue;
            }
            let mut any = false;
            let stations: Vec<usize> = if wide {
                let mut all: Vec<usize> = by_station.keys().copied().collect();
                all.sort_unstable();
                all
            } else {
                self.reach[p].keys().copied().collect()
            };
            for s in stations {
                let Some(gs) = by_station.get(&s) else {
                    continue;
                };
                if self.partner_at(p, s) {
                    continue;
                }
                for &g in gs {
                    let pos_index = groups[g].1[0];
                    let pos = &self.instance.positions[pos_index];
                    let Some(d) = self.eligible(p, pos, wide) else {
                        continue;
                    };
                    // An incumbent keeps their very position when it is in this group.
                    let keep = self.incumbent_position(p).filter(|i| groups[g].1.contains(i));
                    let c = self.cost(p, keep.unwrap_or(pos_index), pos, d);
                    costs.insert((g, p), c);
                    graph.add_edge((0, index_u32(g)), (1, index_u32(p)), Capacity(1), Cost(i32::try_from(c).unwrap_or(i32::MAX)));
                    any = true;
                }
            }
            if any {
                graph.add_edge((1, index_u32(p)), Vertex::Sink, Capacity(1), Cost(0));
            }
        }
        let (_, paths) = graph.mcmf();
        let mut free: Vec<Vec<usize>> = groups.iter().map(|(_, m)| m.clone()).collect();
        let mut chosen: Vec<(usize, usize)> = paths
            .iter()
            .filter_map(|path| {
                let v = path.vertices();
                match (v.get(1), v.get(2)) {
                    (Some(Vertex::Node((0, g))), Some(Vertex::Node((1, p)))) => Some((*g as usize, *p as usize)),
                    _ => None,
                }
            })
            .collect();
        chosen.sort_unstable();
        // Incumbents take their own position within the group first.
        let mut out = Vec::with_capacity(chosen.len());
        let mut rest = Vec::new();
        for (g, p) in chosen {
            match self.incumbent_position(p).filter(|i| free[g].contains(i)) {
                Some(i) => {
                    free[g].retain(|&x| x != i);
                    out.push((i, p, costs.get(&(g, p)).copied().unwrap_or(0)));
                }
                None => rest.push((g, p)),
            }
        }
        for (g, p) in rest {
            if let Some(i) = free[g].pop() {
                out.push((i, p, costs.get(&(g, p)).copied().unwrap_or(0)));
            }
        }
        out
    }

    fn incumbent_position(&self, p: usize) -> Option<usize> {
        let id = self.incumbent.as_ref()?.get(&self.instance.applicants[p].id)?;
        self.instance.positions.iter().position(|x| x.id == *id)
    }

    fn finish(self) -> Outcome {
        let inst = self.instance;
        let mut assignments = Vec::new();
        let mut placements = Vec::new();
        let mut moved = Vec::new();
        for (&pos_i, &p) in &self.held {
            let pos = &inst.positions[pos_i];
            let a = &inst.applicants[p];
            let s = self.station_of(pos);
            let d = self.reach[p]
                .get(&s)
                .copied()
                .unwrap_or_else(|| inst.stations.get(s).map_or(0, |st| metres(a.home.distance_m(st.location))));
            let preferred = a.preferred_stations.contains(&pos.station);
            let locked = self.locked.contains(&pos_i);
            if let Some(prev) = self.incumbent.as_ref().and_then(|m| m.get(&a.id))
                && *prev != pos.id
            {
                moved.push(a.id);
            }
            assignments.push(Assignment { person: a.id, position: pos.id });
            placements.push(Placement {
                person: a.id,
                position: pos.id,
                distance_m: d,
                preferred,
                locked,
                // Someone already appointed keeps "redan förordnad" as the last word.
                explanation: if locked || self.rules.trained_for(a, pos.role) {
                    explain(a, pos, d, preferred, locked)
                } else {
                    format!(
                        "{}; {} återstår innan förordnande",
                        explain(a, pos, d, preferred, locked),
                        self.rules.course_for(pos.role).label_sv()
                    )
                },
            });
        }
        let gaps = inst.positions.iter().enumerate().filter(|(i, _)| !self.held.contains_key(i)).map(|(_, pos)| self.gap(pos)).collect();
        let plan = Plan { assignments };
        let violations = check(inst, &plan, self.rules);
        moved.sort();
        Outcome { plan, placements, gaps, moved, violations }
    }

    /// Says why nobody holds the position: nobody qualified within reach, nobody of them free
    /// on that shift, conflicts, or all of them placed elsewhere.
    fn gap(&self, pos: &Position) -> Gap {
        let inst = self.instance;
        let s = self.station_of(pos);
        let Some(station) = inst.stations.get(s) else {
            return Gap {
                position: pos.id,
                station: pos.station,
                shift: pos.shift,
                role: pos.role,
                message: format!("Platsen {} hör till en lokal som inte finns i valet", pos.id),
            };
        };
        let shift = inst.shift(pos.shift).map_or("?", |x| x.name.as_str());
        let day = inst.election.day;
        let qualified: Vec<usize> = (0..inst.applicants.len())
            .filter(|&p| {
                let a = &inst.applicants[p];
                self.in_reach(p, s, true).is_some()
                    && self.rules.may_place(day, a, pos.role)
                    && pos.language.as_ref().is_none_or(|l| a.languages.contains(l))
            })
            .collect();
        let available: Vec<usize> = qualified.iter().copied().filter(|&p| inst.applicants[p].available.contains(&pos.shift)).collect();
        let unplaced: Vec<usize> = available.iter().copied().filter(|&p| !self.person_used[p]).collect();
        let needs = if self.rules.train_after_placement {
            // Train after placement: the course is not a condition of placement.
            match (pos.role, &pos.language) {
                (Role::Rostmottagare, None) => "uppfyllda krav".to_owned(),
                (Role::Rostmottagare, Some(l)) => format!("kunskaper i {l}"),
                (_, None) => "erfarenhet".to_owned(),
                (_, Some(l)) => format!("kunskaper i {l} och erfarenhet"),
            }
        } else {
            match (pos.role, &pos.language) {
                (Role::Rostmottagare, None) => "genomförd utbildning".to_owned(),
                (Role::Rostmottagare, Some(l)) => format!("kunskaper i {l} och genomförd utbildning"),
                (_, None) => "erfarenhet och genomförd utbildning".to_owned(),
                (_, Some(l)) => format!("kunskaper i {l}, erfarenhet och genomförd utbildning"),
            }
        };
        let reason = if qualified.is_empty() {
            format!("ingen sökande med {needs} inom räckhåll")
        } else if available.is_empty() {
            format!("ingen sökande med {needs} inom räckhåll kan arbeta under passet")
        } else if !unplaced.is_empty() {
            format!("sökande med {needs} inom räckhåll får inte arbeta i samma lokal som någon som redan är placerad där")
        } else {
            format!("alla sökande med {needs} inom räckhåll är redan placerade")
        };
        let what = match &pos.language {
            Some(l) => format!("{} som talar {l}", pos.role.label_sv()),
            None => pos.role.label_sv().to_owned(),
        };
        Gap {
            position: pos.id,
            station: pos.station,
            shift: pos.shift,
            role: pos.role,
            message: format!("{}: saknar {what} ({shift}) — {reason}", station.label()),
        }
    }
}

fn explain(a: &Applicant, pos: &Position, d: i64, preferred: bool, locked: bool) -> String {
    let mut parts = vec![format!("{} km hemifrån", km(d))];
    parts.push(if preferred { "önskad lokal".to_owned() } else { "närmaste lediga plats bland de närmaste lokalerna".to_owned() });
    if !a.wanted_roles.is_empty() {
        parts.push(if a.wanted_roles.contains(&pos.role) {
            "önskad roll".to_owned()
        } else {
            "behövdes i en annan roll än den önskade".to_owned()
        });
    }
    let last = |leader: bool| a.experience.iter().filter(|s| !leader || s.role.is_leader()).max_by_key(|s| s.year);
    match pos.role {
        Role::Ordforande | Role::ViceOrdforande => {
            if let Some(s) = last(pos.role == Role::Ordforande) {
                parts.push(format!("{}: har varit {} {}", pos.role.label_sv(), s.role.label_sv(), s.year));
            }
        }
        Role::Rostmottagare => {}
    }
    if let Some(l) = &pos.language {
        parts.push(format!("talar {l}"));
    }
    if locked {
        parts.push("redan förordnad".to_owned());
    }
    parts.join("; ")
}

/// Metres as "1,2" km (Swedish decimal comma).
pub(crate) fn km(m: i64) -> String {
    format!("{},{}", m / 1000, (m % 1000) / 100)
}

fn metres(m: f64) -> i64 {
    // Distances are under 20,000 km; the cast cannot overflow.
    #[expect(clippy::cast_possible_truncation, reason = "rounded metres fit in i64")]
    let r = m.round() as i64;
    r
}

fn index_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kilometres_have_a_decimal_comma() {
        assert_eq!(km(0), "0,0");
        assert_eq!(km(1_249), "1,2");
        assert_eq!(km(12_950), "12,9");
    }

    #[test]
    fn a_wished_role_decides_between_two_equal_leaders() {
        use crate::core::testdata::{instance, leader, person_id, vallokal};
        let mut inst = instance(vec![vallokal(1, "A", 59.0, 13.5)], vec![leader(1, 59.0, 13.5), leader(2, 59.0, 13.5)]);
        let rules = RuleSet::default();
        let role = |inst: &Instance, out: &Outcome, n: u32| {
            let pos = out.plan.position_of(person_id(n)).expect("placed");
            inst.positions.iter().find(|p| p.id == pos).expect("position").role
        };
        // Person 1 asked to be vice ordförande only: the ordförande position goes to person 2.
        inst.applicants[0].wanted_roles.insert(Role::ViceOrdforande);
        let out = optimise(&inst, &rules, &Options::default());
        assert_eq!((role(&inst, &out, 1), role(&inst, &out, 2)), (Role::ViceOrdforande, Role::Ordforande));
        assert!(out.placements.iter().any(|p| p.person == person_id(1) && p.explanation.contains("önskad roll")), "{:?}", out.placements);
        // And the other way round.
        inst.applicants[0].wanted_roles = [Role::Ordforande].into();
        inst.applicants[1].wanted_roles = [Role::ViceOrdforande].into();
        let out = optimise(&inst, &rules, &Options::default());
        assert_eq!((role(&inst, &out, 1), role(&inst, &out, 2)), (Role::Ordforande, Role::ViceOrdforande));
    }

    #[test]
    fn the_untrained_are_placed_only_under_train_after_placement_and_after_the_trained() {
        use crate::core::rules::Severity;
        use crate::core::testdata::{applicant, instance, leader, person_id, vallokal};
        // Six positions, two leaders and five röstmottagare: person 3 (untrained, at the
        // station) and persons 4–7 (trained, 1–2 km away); four röstmottagare positions.
        let mut people = vec![leader(1, 59.0, 13.5), leader(2, 59.0, 13.5)];
        let mut untrained = applicant(3, 59.0, 13.5);
        untrained.courses.clear();
        people.push(untrained);
        people.extend((4..=7).map(|n| applicant(n, 59.0 + 0.01 * f64::from(n - 3), 13.5)));
        let inst = instance(vec![vallokal(1, "A", 59.0, 13.5)], people);
        let placed = |out: &Outcome, n| out.plan.position_of(person_id(n)).is_some();

        // Without the setting the optimiser does not place the untrained, however near.
        let rules = RuleSet::default();
        let out = optimise(&inst, &rules, &Options::default());
        assert!(!placed(&out, 3));
        assert!(out.gaps.is_empty(), "{:?}", out.gaps);

        // With it, the trained still come first: four trained röstmottagare fill the four places.
        let after = RuleSet { train_after_placement: true, ..RuleSet::default() };
        let out = optimise(&inst, &after, &Options::default());
        assert!(!placed(&out, 3));

        // One trained fewer: the untrained fills the gap, with a warning and an explanation.
        let mut fewer = inst.clone();
        fewer.applicants.retain(|a| a.id != person_id(7));
        let out = optimise(&fewer, &after, &Options::default());
        assert!(placed(&out, 3) && out.gaps.is_empty(), "{:?}", out.gaps);
        let v: Vec<_> = out.violations.iter().filter(|v| v.person == Some(person_id(3))).collect();
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!((v[0].rule, v[0].severity), (crate::core::rules::Rule::CourseCompleted, Severity::Warning));
        assert!(v[0].message.contains("kan förordnas först när utbildningen är registrerad"), "{}", v[0].message);
        let p = out.placements.iter().find(|p| p.person == person_id(3)).expect("placement");
        assert!(p.explanation.contains("återstår innan förordnande"), "{}", p.explanation);
        // The same plan under the default rules is an error: the setting is what allows it.
        let strict = check(&fewer, &out.plan, &rules);
        assert!(strict.iter().any(|v| v.person == Some(person_id(3)) && v.severity == Severity::Error));
        // Without the setting that instance leaves the place open.
        let out = optimise(&fewer, &rules, &Options::default());
        assert!(!placed(&out, 3) && out.gaps.len() == 1, "{:?}", out.gaps);
    }

    #[test]
    fn the_dearer_newcomer_of_a_conflict_pair_loses_the_station() {
        use crate::core::testdata::{instance, leader, person_id, vallokal};
        let mut inst = instance(vec![vallokal(1, "A", 59.0, 13.5)], vec![leader(1, 59.0, 13.5), leader(2, 59.01, 13.5)]);
        inst.conflicts.push(crate::Conflict(person_id(1), person_id(2)));
        let rules = RuleSet::default();
        let opts = Options::default();
        let solver = Solver::new(&inst, &rules, &opts, None, false);
        // Both placed at station 0 by the stage: person 1 for 10 m, person 2 for 1,100 m.
        assert_eq!(solver.conflict_bans(&[(0, 0, 10), (3, 1, 1_100)]), [(1, 0)]);
        // An earlier-held partner keeps the station; the newcomer loses it whatever it costs.
        let mut solver = solver;
        solver.held.insert(0, 1);
        assert_eq!(solver.conflict_bans(&[(3, 0, 10)]), [(0, 0)]);
    }
}
