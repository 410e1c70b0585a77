//! Staffing an election from the database: loading the staffing problem (the pure `model`),
//! checking the current plan against the rule set, manual placement with live checks, the
//! optimiser and re-planning after cancellations, and appointment (förordnande) with the
//! appointment letter. Every use case is one transaction.

pub mod appointment;
pub mod web;

use std::collections::{BTreeSet, HashMap, HashSet};

use radhus_kernel::Personnummer;
use radhus_kernel::ids::TenantId;
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::session::StaffUser;
use radhus_platform::on_tx;
use radhus_platform::pii;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime, Time};
use uuid::Uuid;

use crate::core::model::{
    Applicant, Assignment, Conflict, Coord, Course, DistrictCode, Election, ElectionId, Instance, OpeningDay, PastService, PersonId, Plan,
    Position, PositionId, Shift, ShiftId, Station, StationId, StationKind, Valdistrikt,
};
use crate::core::optimiser::{self, Options, Outcome};
use crate::core::rules::{CandidatePolicy, Rule, RuleSet, Severity, Violation};
use crate::error::ElectionError;
use crate::structure::service::{self, parse_role};
use crate::structure::store::{self, ElectionRow, PositionRow, ShiftRow, StationRow};
use crate::support::office::require_office;

// ------------------------------------------------------------------ rows

/// A row of el_assignment with what the pages show about it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AssignmentRow {
    pub position_id: Uuid,
    pub person_id: Uuid,
    pub source: String,
    pub explanation: String,
    pub response: String,
    pub appointed_at: Option<OffsetDateTime>,
    pub appointed_by: Option<Uuid>,
    pub placed_at: OffsetDateTime,
    /// The appointment's number within the election (its letter's reference); None before
    /// the appointment and for appointments made before the numbers.
    pub letter_no: Option<i64>,
}

pub async fn assignments(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<AssignmentRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT position_id, person_id, source, explanation, response, appointed_at, appointed_by, placed_at, \
         CAST(letter_no AS BIGINT) AS letter_no \
         FROM el_assignment WHERE tenant_id = $1 AND election_id = $2")
        .bind(t.0).bind(e).fetch_all(c).await?))
}

/// An accepted applicant with the person's register data.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ApplicantRow {
    pub id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub pnr: Option<String>,
    pub birth_date: Option<Date>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub languages: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub candidate: bool,
    /// The roles asked for, comma separated keys (`rostmottagare,vice`).
    pub roles_wanted: String,
}

impl ApplicantRow {
    pub fn name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

async fn accepted(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<ApplicantRow>> {
    let mut rows: Vec<ApplicantRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT p.id, p.given_name, p.family_name, p.pnr_sealed AS pnr, p.birth_date, p.lat, p.lon, p.languages, p.email, p.phone, p.address, p.postal_code, p.city, a.candidate, a.roles_wanted \
         FROM el_application a JOIN el_person p ON p.tenant_id = a.tenant_id AND p.id = a.person_id \
         WHERE a.tenant_id = $1 AND a.election_id = $2 AND a.status = 'accepted' ORDER BY p.family_name, p.given_name, p.id")
        .bind(t.0).bind(e).fetch_all(c).await?);
    for p in &mut rows {
        pii::open_in_place(&mut p.pnr)?;
    }
    Ok(rows)
}

async fn pairs(tx: &mut Tx, sql: &'static str, t: TenantId, e: Uuid) -> Result<Vec<(Uuid, Uuid)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(sql).bind(t.0).bind(e).fetch_all(c).await?))
}

/// Experience: the register's history and appointments in earlier elections of the platform.
async fn experience(tx: &mut Tx, t: TenantId, e: Uuid, day: Date) -> Result<Vec<(Uuid, i32, String)>> {
    let mut rows: Vec<(Uuid, i32, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT h.person_id, h.year, h.role FROM el_person_history h \
         JOIN el_application a ON a.tenant_id = h.tenant_id AND a.person_id = h.person_id AND a.election_id = $2 \
         WHERE h.tenant_id = $1")
        .bind(t.0).bind(e).fetch_all(c).await?);
    let earlier: Vec<(Uuid, Date, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT x.person_id, el.election_day, po.role FROM el_assignment x \
         JOIN el_position po ON po.tenant_id = x.tenant_id AND po.election_id = x.election_id AND po.id = x.position_id \
         JOIN el_election el ON el.tenant_id = x.tenant_id AND el.id = x.election_id \
         WHERE x.tenant_id = $1 AND x.election_id <> $2 AND x.appointed_at IS NOT NULL AND el.election_day < $3")
        .bind(t.0).bind(e).bind(day).fetch_all(c).await?);
    rows.extend(earlier.into_iter().map(|(p, d, r)| (p, d.year(), r)));
    Ok(rows)
}

// ------------------------------------------------------------------ the problem

/// An election's staffing problem as the optimiser and the rule check see it, with the
/// database rows it came from.
pub struct Loaded {
    pub election: ElectionRow,
    pub rules: RuleSet,
    pub instance: Instance,
    pub plan: Plan,
    pub stations: Vec<StationRow>,
    pub shifts: Vec<ShiftRow>,
    pub positions: Vec<PositionRow>,
    pub people: Vec<ApplicantRow>,
    pub assignments: Vec<AssignmentRow>,
    /// Accepted applicants the optimiser cannot consider, and why (Swedish).
    pub left_out: Vec<(Uuid, String, String)>,
}

impl Loaded {
    pub fn person(&self, id: Uuid) -> Option<&ApplicantRow> {
        self.people.iter().find(|p| p.id == id)
    }
    pub fn station(&self, id: Uuid) -> Option<&StationRow> {
        self.stations.iter().find(|s| s.id == id)
    }
    pub fn position(&self, id: Uuid) -> Option<&PositionRow> {
        self.positions.iter().find(|p| p.id == id)
    }
    pub fn shift(&self, id: Uuid) -> Option<&ShiftRow> {
        self.shifts.iter().find(|s| s.id == id)
    }
    pub fn assignment_of(&self, person: Uuid) -> Option<&AssignmentRow> {
        self.assignments.iter().find(|a| a.person_id == person)
    }
    pub fn holder(&self, position: Uuid) -> Option<&AssignmentRow> {
        self.assignments.iter().find(|a| a.position_id == position)
    }
    pub fn applicant(&self, person: Uuid) -> Option<&Applicant> {
        self.instance.applicants.iter().find(|a| a.id.0 == person)
    }
    /// The rule check of the current plan, with VAL-R01 on the appointed as well as the placed.
    pub fn violations(&self) -> Vec<Violation> {
        let mut out = crate::core::rules::check(&self.instance, &self.plan, &self.rules);
        let appointed: BTreeSet<PersonId> =
            self.assignments.iter().filter(|a| a.appointed_at.is_some()).map(|a| PersonId(a.person_id)).collect();
        out.extend(crate::core::rules::check_appointed(&self.instance, &self.plan, &appointed));
        out.sort_by_key(|v| (v.station, v.rule));
        out
    }
}

pub fn course_key(c: Course) -> &'static str {
    match c {
        Course::Grund => "grund",
        Course::Ordforande => "ordforande",
    }
}

fn kind_of(k: &str) -> crate::core::model::ElectionKind {
    service::parse_kind(k).unwrap_or(crate::core::model::ElectionKind::Kommun)
}

/// The election's own part of the rule set (the candidate policy); [`load`] adds the
/// municipality's settings (`crate::settings`).
pub fn rules_of(e: &ElectionRow) -> RuleSet {
    RuleSet {
        candidate_policy: if e.candidate_policy == "warn" { CandidatePolicy::Warn } else { CandidatePolicy::Block },
        ..RuleSet::default()
    }
}

pub async fn load(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Loaded> {
    let election = service::election_in(tx, t, e).await?;
    let rules = crate::settings::get(tx, t).await?.apply(rules_of(&election));
    let stations = store::stations(tx, t, e).await?;
    let districts = store::districts(tx, t, e).await?;
    let openings = store::openings(tx, t, e).await?;
    let shifts = store::shifts(tx, t, e).await?;
    let positions = store::positions(tx, t, e).await?;
    let people = accepted(tx, t, e).await?;
    let wishes = pairs(tx, "SELECT person_id, station_id FROM el_wish WHERE tenant_id = $1 AND election_id = $2", t, e).await?;
    let available = pairs(tx, "SELECT person_id, shift_id FROM el_availability WHERE tenant_id = $1 AND election_id = $2", t, e).await?;
    let conflicts = pairs(tx, "SELECT person_a, person_b FROM el_conflict WHERE tenant_id = $1 AND election_id = $2", t, e).await?;
    let courses = crate::courses::completed_courses(tx, t, e).await?;
    let history = experience(tx, t, e, election.election_day).await?;
    let assignments = assignments(tx, t, e).await?;

    let eight = Time::from_hms(8, 0, 0).map_err(|e| Error::Internal(e.to_string()))?;
    let twenty = Time::from_hms(20, 0, 0).map_err(|e| Error::Internal(e.to_string()))?;
    let model_stations: Vec<Station> = stations
        .iter()
        .map(|s| {
            let days: Vec<OpeningDay> = openings
                .iter()
                .filter(|o| o.station_id == s.id)
                .map(|o| OpeningDay { date: o.day, opens: o.opens, closes: o.closes })
                .collect();
            let kind = match (&s.district_code, s.is_vallokal()) {
                (Some(code), true) => StationKind::Vallokal {
                    district: Valdistrikt {
                        code: DistrictCode::parse(code).unwrap_or_else(|_| DistrictCode::parse("00000000").expect("zero code")),
                        name: districts.iter().find(|d| &d.code == code).map(|d| d.name.clone()).unwrap_or_default(),
                    },
                    hours: days.iter().find(|d| d.date == election.election_day).copied().unwrap_or(OpeningDay {
                        date: election.election_day,
                        opens: eight,
                        closes: twenty,
                    }),
                },
                _ => StationKind::Rostningslokal { days },
            };
            Station { id: StationId(s.id), name: s.name.clone(), kind, location: Coord { lat: s.lat, lon: s.lon } }
        })
        .collect();
    let centre = if stations.is_empty() {
        Coord { lat: 59.38, lon: 13.50 }
    } else {
        let n = stations.len() as f64;
        Coord { lat: stations.iter().map(|s| s.lat).sum::<f64>() / n, lon: stations.iter().map(|s| s.lon).sum::<f64>() / n }
    };
    let mut applicants = vec![];
    let mut left_out = vec![];
    for p in &people {
        let birth = p.birth_date.or_else(|| p.pnr.as_deref().and_then(|x| Personnummer::parse_canonical(x).ok()).map(|x| x.birth_date()));
        let Some(birth_date) = birth else {
            left_out.push((p.id, p.name(), "födelsedatum saknas i registret".to_string()));
            continue;
        };
        let preferred: BTreeSet<StationId> = wishes.iter().filter(|(q, _)| *q == p.id).map(|(_, s)| StationId(*s)).collect();
        let home = match (p.lat, p.lon) {
            (Some(lat), Some(lon)) => Coord { lat, lon },
            _ => preferred
                .iter()
                .find_map(|s| stations.iter().find(|x| x.id == s.0))
                .map(|s| Coord { lat: s.lat, lon: s.lon })
                .unwrap_or(centre),
        };
        applicants.push(Applicant {
            id: PersonId(p.id),
            name: p.name(),
            home,
            birth_date,
            languages: p.languages.split(',').map(|l| l.trim().to_lowercase()).filter(|l| !l.is_empty()).collect(),
            experience: history
                .iter()
                .filter(|(q, _, _)| *q == p.id)
                .filter_map(|(_, year, role)| parse_role(role).map(|role| PastService { year: *year, role }))
                .collect(),
            preferred_stations: preferred,
            wanted_roles: p.roles_wanted.split(',').filter_map(|r| parse_role(r.trim())).collect(),
            available: available.iter().filter(|(q, _)| *q == p.id).map(|(_, s)| ShiftId(*s)).collect(),
            courses: courses
                .iter()
                .filter(|(q, _)| *q == p.id)
                .filter_map(|(_, k)| match k.as_str() {
                    "grund" => Some(Course::Grund),
                    "ordforande" => Some(Course::Ordforande),
                    _ => None,
                })
                .collect(),
            candidate: p.candidate,
        });
    }
    let in_instance: HashSet<Uuid> = applicants.iter().map(|a| a.id.0).collect();
    let instance = Instance {
        election: Election { id: ElectionId(e), kind: kind_of(&election.kind), name: election.name.clone(), day: election.election_day },
        stations: model_stations,
        shifts: shifts
            .iter()
            .map(|s| Shift { id: ShiftId(s.id), name: s.name.clone(), date: s.day, start: s.starts, end: s.ends })
            .collect(),
        positions: positions
            .iter()
            .filter_map(|p| {
                Some(Position {
                    id: PositionId(p.id),
                    station: StationId(p.station_id),
                    shift: ShiftId(p.shift_id),
                    role: parse_role(&p.role)?,
                    language: p.language.clone(),
                })
            })
            .collect(),
        applicants,
        conflicts: conflicts.iter().map(|(a, b)| Conflict(PersonId(*a), PersonId(*b))).collect(),
        locked: assignments
            .iter()
            .filter(|a| a.appointed_at.is_some() && in_instance.contains(&a.person_id))
            .map(|a| Assignment { person: PersonId(a.person_id), position: PositionId(a.position_id) })
            .collect(),
    };
    let plan = Plan {
        assignments: assignments
            .iter()
            .filter(|a| in_instance.contains(&a.person_id))
            .map(|a| Assignment { person: PersonId(a.person_id), position: PositionId(a.position_id) })
            .collect(),
    };
    Ok(Loaded { election, rules, instance, plan, stations, shifts, positions, people, assignments, left_out })
}

// ------------------------------------------------------------------ manual placement

#[allow(clippy::too_many_arguments)]
async fn insert_assignment(
    tx: &mut Tx,
    t: TenantId,
    e: Uuid,
    position: Uuid,
    person: Uuid,
    source: &str,
    explanation: &str,
    by: Uuid,
    now: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO el_assignment (tenant_id, election_id, position_id, person_id, source, explanation, response, placed_by, placed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8)")
        .bind(t.0).bind(e).bind(position).bind(person).bind(source).bind(explanation).bind(by).bind(now)
        .execute(c).await?.rows_affected());
    Ok(())
}

async fn delete_assignment(tx: &mut Tx, t: TenantId, e: Uuid, position: Uuid) -> Result<u64> {
    Ok(on_tx!(tx, c => sqlx::query("DELETE FROM el_assignment WHERE tenant_id = $1 AND election_id = $2 AND position_id = $3")
        .bind(t.0).bind(e).bind(position).execute(c).await?.rows_affected()))
}

/// What a manual placement would break: the violations of the plan with it that concern the
/// person or the station and were not there before.
pub fn placement_check(l: &Loaded, person: Uuid, position: Uuid) -> Vec<Violation> {
    let Some(pos) = l.position(position) else { return vec![] };
    let before: HashSet<(Rule, Option<PersonId>, String)> =
        l.violations().into_iter().filter(|v| v.station.0 == pos.station_id).map(|v| (v.rule, v.person, v.message)).collect();
    let mut plan = l.plan.clone();
    plan.assignments.retain(|a| a.person.0 != person && a.position.0 != position);
    plan.assignments.push(Assignment { person: PersonId(person), position: PositionId(position) });
    crate::core::rules::check(&l.instance, &plan, &l.rules)
        .into_iter()
        .filter(|v| v.station.0 == pos.station_id && !before.contains(&(v.rule, v.person, v.message.clone())))
        .collect()
}

/// Places a person in a position by hand. Hard rules refuse it (the position is taken, the
/// person is placed elsewhere or not accepted, too young, a blocked candidate); the other rules
/// are listed as warnings on the page afterwards, so the office sees them at once.
pub async fn place(db: &Db, s: &StaffUser, e: Uuid, position: Uuid, person: Uuid, now: OffsetDateTime) -> Result<Vec<String>> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let l = load(&mut tx, t, e).await?;
    let pos = l.position(position).ok_or(Error::NotFound)?.clone();
    if l.holder(position).is_some() {
        return Err(ElectionError::PositionTaken.into());
    }
    if l.person(person).is_none() {
        return Err(ElectionError::NotAccepted.into());
    }
    if l.assignment_of(person).is_some() {
        return Err(ElectionError::AlreadyPlaced.into());
    }
    let new = placement_check(&l, person, position);
    if new.iter().any(|v| matches!(v.rule, Rule::MinAge) || (v.rule == Rule::Candidate && v.severity == Severity::Error)) {
        return Err(ElectionError::Blocked.into());
    }
    if l.applicant(person).is_none() {
        return Err(ElectionError::Blocked.into());
    }
    insert_assignment(&mut tx, t, e, position, person, "manual", "", s.user_id.0, now).await.map_err(|err| match err {
        Error::Db(ref d) if radhus_platform::db::is_unique_violation(d) => Error::from(ElectionError::PositionTaken),
        err => err,
    })?;
    crate::support::audit::audit(
        &mut tx,
        s,
        "elections.assignment.placed",
        "el_assignment",
        position,
        serde_json::json!({ "election": e, "person": person, "station": pos.station_id, "role": pos.role }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(new.into_iter().map(|v| format!("{}: {}", v.rule.code(), v.message)).collect())
}

/// Takes a person out of a position. An appointed person's appointment is revoked first.
pub async fn unplace(db: &Db, s: &StaffUser, e: Uuid, position: Uuid, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let l = load(&mut tx, t, e).await?;
    let a = l.holder(position).ok_or(Error::NotFound)?;
    if a.appointed_at.is_some() {
        return Err(ElectionError::Appointed.into());
    }
    let person = a.person_id;
    delete_assignment(&mut tx, t, e, position).await?;
    crate::support::audit::audit(
        &mut tx,
        s,
        "elections.assignment.removed",
        "el_assignment",
        position,
        serde_json::json!({ "election": e, "person": person }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ------------------------------------------------------------------ the optimiser

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GapView {
    pub station: String,
    pub shift: String,
    pub role: String,
    pub message: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RunRow {
    pub id: Uuid,
    pub kind: String,
    pub run_at: OffsetDateTime,
    pub placed: i64,
    pub moved: i64,
    pub distance_m: i64,
    pub wishes_met: i64,
    pub millis: i64,
    pub gaps: String,
}

impl RunRow {
    pub fn gap_list(&self) -> Vec<GapView> {
        serde_json::from_str(&self.gaps).unwrap_or_default()
    }
}

pub async fn last_run(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Option<RunRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT id, kind, run_at, CAST(placed AS BIGINT) AS placed, CAST(moved AS BIGINT) AS moved, CAST(distance_m AS BIGINT) AS distance_m, \
         CAST(wishes_met AS BIGINT) AS wishes_met, CAST(millis AS BIGINT) AS millis, gaps \
         FROM el_run WHERE tenant_id = $1 AND election_id = $2 ORDER BY run_at DESC, id DESC LIMIT 1")
        .bind(t.0).bind(e).fetch_optional(c).await?))
}

/// Writes a new plan over the old one, keeping the rows (and the workers' answers) of everyone
/// who stays in the same position. Appointed assignments are never touched.
async fn apply_plan(tx: &mut Tx, t: TenantId, l: &Loaded, out: &Outcome, by: Uuid, now: OffsetDateTime) -> Result<(usize, usize)> {
    let e = l.election.id;
    let new: HashMap<Uuid, &optimiser::Placement> = out.placements.iter().map(|p| (p.position.0, p)).collect();
    let mut removed = 0;
    for a in &l.assignments {
        if a.appointed_at.is_some() {
            continue;
        }
        let stays = new.get(&a.position_id).is_some_and(|p| p.person.0 == a.person_id);
        if !stays {
            delete_assignment(tx, t, e, a.position_id).await?;
            removed += 1;
        }
    }
    let mut added = 0;
    for p in &out.placements {
        let unchanged = l.holder(p.position.0).is_some_and(|a| a.person_id == p.person.0);
        if unchanged {
            if !p.locked {
                on_tx!(tx, c => sqlx::query("UPDATE el_assignment SET explanation = $4 WHERE tenant_id = $1 AND election_id = $2 AND position_id = $3")
                    .bind(t.0).bind(e).bind(p.position.0).bind(&p.explanation).execute(c).await?.rows_affected());
            }
            continue;
        }
        insert_assignment(tx, t, e, p.position.0, p.person.0, "optimiser", &p.explanation, by, now).await?;
        added += 1;
    }
    Ok((added, removed))
}

fn gap_views(l: &Loaded, out: &Outcome) -> Vec<GapView> {
    out.gaps
        .iter()
        .map(|g| GapView {
            station: l.station(g.station.0).map(|s| s.name.clone()).unwrap_or_default(),
            shift: l.shift(g.shift.0).map(crate::structure::labels::shift).unwrap_or_default(),
            role: g.role.label_sv().to_string(),
            message: g.message.clone(),
        })
        .collect()
}

#[derive(Debug, Clone)]
pub struct RunSummary {
    pub placed: usize,
    pub gaps: usize,
    pub moved: usize,
}

async fn solve(instance: Instance, rules: RuleSet, previous: Option<(Plan, Vec<PersonId>)>) -> Result<(Outcome, u128)> {
    tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let out = match previous {
            None => optimiser::optimise(&instance, &rules, &Options::default()),
            Some((plan, gone)) => optimiser::reoptimise(&instance, &rules, &Options::default(), &plan, &gone),
        };
        (out, started.elapsed().as_millis())
    })
    .await
    .map_err(|e| Error::Internal(format!("optimiser: {e}")))
}

/// Staffs the election with the optimiser. Appointed workers stay where they are; with
/// `keep_manual`, so do manual placements. Everyone else may be moved. One transaction: the
/// new plan, the run with its gaps, and the audit event.
pub async fn run_optimiser(db: &Db, s: &StaffUser, e: Uuid, keep_manual: bool, now: OffsetDateTime) -> Result<RunSummary> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (l, out, millis) = plan_in(&mut tx, t, e, keep_manual).await?;
    let summary = finish_run(&mut tx, s, &l, &out, "optimise", millis, now).await?;
    tx.commit().await?;
    Ok(summary)
}

/// The optimiser's plan for the election as it is now, computed and not written.
async fn plan_in(tx: &mut Tx, t: TenantId, e: Uuid, keep_manual: bool) -> Result<(Loaded, Outcome, u128)> {
    let l = load(tx, t, e).await?;
    if l.instance.positions.is_empty() {
        return Err(ElectionError::NoPositions.into());
    }
    let mut instance = l.instance.clone();
    if keep_manual {
        let in_instance: HashSet<Uuid> = instance.applicants.iter().map(|a| a.id.0).collect();
        for a in l.assignments.iter().filter(|a| a.source == "manual" && a.appointed_at.is_none() && in_instance.contains(&a.person_id)) {
            instance.locked.push(Assignment { person: PersonId(a.person_id), position: PositionId(a.position_id) });
        }
    }
    let (out, millis) = solve(instance, l.rules.clone(), None).await?;
    Ok((l, out, millis))
}

/// One change automatic staffing would make: who, from where to where ("" = no position).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub person: String,
    pub from: String,
    pub to: String,
}

/// What automatic staffing would do (issue 18 item 3): the changes to the placements, the
/// positions it cannot fill, and a fingerprint of the whole new plan that the confirmation
/// carries, so that exactly this plan is written — or, if anything changed in between, the
/// new one is shown instead.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub placed: usize,
    pub changes: Vec<Change>,
    pub gaps: Vec<GapView>,
    pub fingerprint: String,
}

impl Proposal {
    pub fn added(&self) -> Vec<&Change> {
        self.changes.iter().filter(|c| c.from.is_empty()).collect()
    }
    pub fn moved(&self) -> Vec<&Change> {
        self.changes.iter().filter(|c| !c.from.is_empty() && !c.to.is_empty()).collect()
    }
    pub fn removed(&self) -> Vec<&Change> {
        self.changes.iter().filter(|c| c.to.is_empty()).collect()
    }
}

/// "Centrum skola, röstmottagare, förmiddag 13 september".
fn position_label(l: &Loaded, position: Uuid) -> String {
    let Some(p) = l.position(position) else { return String::new() };
    let station = l.station(p.station_id).map(|s| s.name.clone()).unwrap_or_default();
    let role = parse_role(&p.role).map(|r| r.label_sv().to_lowercase()).unwrap_or_default();
    let shift = l.shift(p.shift_id).map(crate::structure::labels::shift).unwrap_or_default();
    format!("{station}, {role}, {shift}")
}

fn proposal(l: &Loaded, out: &Outcome) -> Proposal {
    let new: HashMap<Uuid, Uuid> = out.placements.iter().map(|p| (p.person.0, p.position.0)).collect();
    let old: HashMap<Uuid, Uuid> = l.assignments.iter().map(|a| (a.person_id, a.position_id)).collect();
    let name = |p: Uuid| l.person(p).map(|x| x.name()).unwrap_or_default();
    let mut changes = vec![];
    for (person, to) in &new {
        match old.get(person) {
            Some(from) if from == to => {}
            Some(from) => changes.push(Change { person: name(*person), from: position_label(l, *from), to: position_label(l, *to) }),
            None => changes.push(Change { person: name(*person), from: String::new(), to: position_label(l, *to) }),
        }
    }
    for (person, from) in &old {
        if !new.contains_key(person) && l.assignment_of(*person).is_some_and(|a| a.appointed_at.is_none()) {
            changes.push(Change { person: name(*person), from: position_label(l, *from), to: String::new() });
        }
    }
    changes.sort_by(|a, b| (a.to.is_empty(), &a.to, &a.person).cmp(&(b.to.is_empty(), &b.to, &b.person)));
    let mut pairs: Vec<String> = out.placements.iter().map(|p| format!("{}:{}", p.position.0, p.person.0)).collect();
    pairs.sort();
    let fingerprint = radhus_platform::identity::sha256_hex(pairs.join(",").as_bytes());
    Proposal { placed: out.placements.len(), changes, gaps: gap_views(l, out), fingerprint }
}

/// Shows what automatic staffing would do, without writing it. The page names people, so the
/// look is audit-logged.
pub async fn preview_optimiser(db: &Db, s: &StaffUser, e: Uuid, keep_manual: bool, now: OffsetDateTime) -> Result<Proposal> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (l, out, _) = plan_in(&mut tx, t, e, keep_manual).await?;
    let p = proposal(&l, &out);
    crate::support::audit::audit(
        &mut tx,
        s,
        "elections.staffing.previewed",
        "el_election",
        e,
        serde_json::json!({ "placed": p.placed, "changes": p.changes.len(), "keep_manual": keep_manual }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(p)
}

/// Writes the plan the office saw: computed again in the write transaction, it is written
/// only when its fingerprint is the one confirmed. Otherwise nothing is written and the new
/// proposal is returned to be shown (someone answered, was placed or screened in between).
pub async fn run_confirmed(
    db: &Db,
    s: &StaffUser,
    e: Uuid,
    keep_manual: bool,
    fingerprint: &str,
    now: OffsetDateTime,
) -> Result<std::result::Result<RunSummary, Proposal>> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let (l, out, millis) = plan_in(&mut tx, t, e, keep_manual).await?;
    let p = proposal(&l, &out);
    if p.fingerprint != fingerprint.trim() {
        crate::support::audit::audit(
            &mut tx,
            s,
            "elections.staffing.previewed",
            "el_election",
            e,
            serde_json::json!({ "placed": p.placed, "changes": p.changes.len(), "keep_manual": keep_manual, "changed_since_preview": true }),
            now,
        )
        .await?;
        tx.commit().await?;
        return Ok(Err(p));
    }
    let summary = finish_run(&mut tx, s, &l, &out, "optimise", millis, now).await?;
    tx.commit().await?;
    Ok(Ok(summary))
}

/// Re-plans after cancellations: everyone who declined the offer leaves the plan, their
/// positions are filled again, and the others are moved only when that fills more.
pub async fn replan(db: &Db, s: &StaffUser, e: Uuid, now: OffsetDateTime) -> Result<RunSummary> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let l = load(&mut tx, t, e).await?;
    let gone: Vec<PersonId> = l.assignments.iter().filter(|a| a.response == "declined").map(|a| PersonId(a.person_id)).collect();
    if gone.is_empty() {
        return Err(ElectionError::NoDeclines.into());
    }
    let mut instance = l.instance.clone();
    instance.locked.retain(|a| !gone.contains(&a.person));
    let (out, millis) = solve(instance, l.rules.clone(), Some((l.plan.clone(), gone.clone()))).await?;
    // The declined leave the plan even if appointed: their appointment is void.
    for a in l.assignments.iter().filter(|a| a.response == "declined") {
        delete_assignment(&mut tx, t, e, a.position_id).await?;
        let action = if a.appointed_at.is_some() { "elections.appointment.revoked" } else { "elections.assignment.removed" };
        crate::support::audit::audit(
            &mut tx,
            s,
            action,
            "el_assignment",
            a.position_id,
            serde_json::json!({ "election": e, "person": a.person_id, "reason": "declined" }),
            now,
        )
        .await?;
    }
    let mut l2 = l;
    l2.assignments.retain(|a| a.response != "declined");
    let summary = finish_run(&mut tx, s, &l2, &out, "replan", millis, now).await?;
    tx.commit().await?;
    Ok(summary)
}

async fn finish_run(
    tx: &mut Tx,
    s: &StaffUser,
    l: &Loaded,
    out: &Outcome,
    kind: &str,
    millis: u128,
    now: OffsetDateTime,
) -> Result<RunSummary> {
    let t = s.tenant_id;
    let e = l.election.id;
    let (added, removed) = apply_plan(tx, t, l, out, s.user_id.0, now).await?;
    let gaps = gap_views(l, out);
    let gaps_json = serde_json::to_string(&gaps).map_err(|e| Error::Internal(e.to_string()))?;
    let id = Uuid::now_v7();
    let millis = i64::try_from(millis).unwrap_or(i64::MAX);
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO el_run (tenant_id, election_id, id, kind, run_by, run_at, placed, moved, distance_m, wishes_met, millis, gaps) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
        .bind(t.0).bind(e).bind(id).bind(kind).bind(s.user_id.0).bind(now)
        .bind(out.placements.len() as i32).bind(out.moved.len() as i32).bind(out.total_distance_m())
        .bind(out.preferences_met() as i32).bind(millis).bind(&gaps_json)
        .execute(c).await?.rows_affected());
    crate::support::audit::audit(
        tx,
        s,
        if kind == "replan" { "elections.staffing.replanned" } else { "elections.staffing.optimised" },
        "el_election",
        e,
        serde_json::json!({ "run": id, "placed": out.placements.len(), "added": added, "removed": removed, "gaps": gaps.len(), "moved": out.moved.len() }),
        now,
    )
    .await?;
    Ok(RunSummary { placed: out.placements.len(), gaps: gaps.len(), moved: out.moved.len() })
}
