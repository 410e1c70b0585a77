//! The staffing optimiser on a Stockholm-sized instance: 600 vallokaler (valdistrikt) with six
//! positions each over two shifts, 5,000 accepted applicants, generated from a fixed seed.
//! Runs the optimiser (`radhus_elections::optimise`: leaders first, min-cost max-flow per stage,
//! conflict repair) and a greedy baseline (each position in turn, leaders first, takes the
//! nearest free eligible applicant) in the same run, prints time and objective of both and the
//! ratios, then cancels 50 staffed people and re-optimises.
//!
//! `cargo run --release -p radhus-bench-staffing` (optional arguments: stations, applicants, seed,
//! runs of each method — 3 by default; the median time is reported).

mod generate;
mod greedy;

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use radhus_elections::{Instance, Options, Plan, RuleSet, Severity, check, optimise, reoptimise};

struct Figures {
    time: Duration,
    distance_km: f64,
    preferred: usize,
    filled: usize,
    unfilled: usize,
    violations: usize,
}

fn figures(inst: &Instance, rules: &RuleSet, plan: &Plan, time: Duration) -> Figures {
    let violations = check(inst, plan, rules).iter().filter(|v| v.severity == Severity::Error).count();
    let mut distance_m = 0.0;
    let mut preferred = 0;
    for a in &plan.assignments {
        let (Some(person), Some(pos)) =
            (inst.applicants.iter().find(|p| p.id == a.person), inst.positions.iter().find(|p| p.id == a.position))
        else {
            continue;
        };
        if let Some(station) = inst.station(pos.station) {
            distance_m += person.home.distance_m(station.location);
        }
        if person.preferred_stations.contains(&pos.station) {
            preferred += 1;
        }
    }
    Figures {
        time,
        distance_km: distance_m / 1000.0,
        preferred,
        filled: plan.assignments.len(),
        unfilled: inst.positions.len() - plan.assignments.len(),
        violations,
    }
}

fn spinner(msg: &'static str) -> ProgressBar {
    let bar = ProgressBar::new_spinner().with_message(msg);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let stations = args.first().copied().unwrap_or(600);
    let applicants = args.get(1).copied().unwrap_or(5_000);
    let seed = args.get(2).copied().unwrap_or(2026) as u64;
    let runs = args.get(3).copied().unwrap_or(3).max(1);

    let bar = ProgressBar::new((stations + applicants) as u64)
        .with_style(ProgressStyle::with_template("{msg} {bar:40} {pos}/{len}").unwrap_or_else(|_| ProgressStyle::default_bar()));
    bar.set_message("genererar");
    let inst = generate::stockholm(stations, applicants, seed, &bar);
    bar.finish();
    println!(
        "instance: {} stations, {} positions, {} applicants, {} conflict pairs, seed {seed}",
        inst.stations.len(),
        inst.positions.len(),
        inst.applicants.len(),
        inst.conflicts.len()
    );
    let rules = RuleSet::default();
    let opts = Options::default();

    // Each method runs `runs` times, in an order that rotates every round so none always goes
    // first (or last, on a warm cache); the time reported is the median. The plans are
    // deterministic, so the last round's plan stands for all.
    let distance_only = Options { not_preferred_m: 0, ..opts };
    let mut times: [Vec<Duration>; 3] = [vec![], vec![], vec![]];
    let mut greedy_plan = None;
    let mut outcome = None;
    let mut outcome_d = None;
    for round in 0..runs {
        for k in 0..3 {
            let method = (round + k) % 3;
            let s = spinner(["greedy baseline", "optimiser", "optimiser, distance only"][method]);
            let t0 = Instant::now();
            match method {
                0 => greedy_plan = Some(greedy::staff(&inst, &rules)),
                1 => outcome = Some(optimise(&inst, &rules, &opts)),
                _ => outcome_d = Some(optimise(&inst, &rules, &distance_only)),
            }
            times[method].push(t0.elapsed());
            s.finish_and_clear();
        }
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (Some(greedy_plan), Some(out), Some(out_d)) = (greedy_plan, outcome, outcome_d) else { return };
    let g = figures(&inst, &rules, &greedy_plan, median(&mut times[0]));
    let o = figures(&inst, &rules, &out.plan, median(&mut times[1]));
    // The same optimiser with wishes weighing nothing: distance is then its only objective.
    let d = figures(&inst, &rules, &out_d.plan, median(&mut times[2]));
    println!("time: the median of {runs} runs of each, alternating");
    let weight_km = opts.not_preferred_m as f64 / 1000.0;
    let cost = |f: &Figures| f.distance_km + weight_km * (f.filled - f.preferred) as f64;

    println!();
    println!(
        "| | time s | objective (km + {weight_km} km per placement not wished for) | total distance km | mean km | preferences met | filled | unfilled | rule violations |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (name, f) in [("optimiser (min-cost flow)", &o), ("optimiser, distance only", &d), ("greedy baseline", &g)] {
        println!(
            "| {name} | {:.2} | {:.0} | {:.0} | {:.2} | {} | {} | {} | {} |",
            f.time.as_secs_f64(),
            cost(f),
            f.distance_km,
            f.distance_km / f.filled.max(1) as f64,
            f.preferred,
            f.filled,
            f.unfilled,
            f.violations
        );
    }
    for (name, x) in [("ratio greedy / optimiser", &o), ("ratio greedy / optimiser, distance only", &d)] {
        println!(
            "| {name} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.3} | {} | {} |",
            g.time.as_secs_f64() / x.time.as_secs_f64(),
            cost(&g) / cost(x),
            g.distance_km / x.distance_km,
            (g.distance_km / g.filled.max(1) as f64) / (x.distance_km / x.filled.max(1) as f64),
            g.preferred as f64 / x.preferred.max(1) as f64,
            g.filled as f64 / x.filled.max(1) as f64,
            ratio_or_dash(g.unfilled, x.unfilled),
            ratio_or_dash(g.violations, x.violations),
        );
    }

    // Day-of repair: 50 staffed people cancel, spread over stations and roles (every 7919th, a
    // prime, wrapping around).
    let staffed = &out.plan.assignments;
    if staffed.is_empty() {
        return;
    }
    let spread: Vec<_> = (0..50).map(|i| staffed[(i * 7919) % staffed.len()].person).collect();
    // The hard case: 50 ordförande cancel (every 12th station), whose stand-ins are scarce.
    let chairs: Vec<_> = out
        .placements
        .iter()
        .filter(|p| inst.positions.iter().any(|x| x.id == p.position && x.role == radhus_elections::Role::Ordforande))
        .step_by(12)
        .take(50)
        .map(|p| p.person)
        .collect();
    println!();
    for (what, cancelled) in [("staffed people (spread)", spread), ("ordförande", chairs)] {
        let s = spinner("re-optimising");
        let t0 = Instant::now();
        let again = reoptimise(&inst, &rules, &opts, &out.plan, &cancelled);
        let took = t0.elapsed();
        s.finish_and_clear();
        println!(
            "re-optimisation after {} cancelling {what}: {:.2} s, {} others moved, {} unfilled (was {}), {} rule violations",
            cancelled.len(),
            took.as_secs_f64(),
            again.moved.len(),
            again.gaps.len(),
            out.gaps.len(),
            again.violations.len()
        );
    }
    if let Some(g) = out.gaps.first() {
        println!("first gap: {}", g.message);
    }
    if let Some(p) = out.placements.first() {
        println!("a placement: {}", p.explanation);
    }
}

fn ratio_or_dash(a: usize, b: usize) -> String {
    if b == 0 { format!("{a} vs 0") } else { format!("{:.2}", a as f64 / b as f64) }
}
