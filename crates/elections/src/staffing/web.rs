//! The staffing pages under `/admin/val/{id}/bemanning`: the rule dashboard of every polling
//! station, the optimiser and re-planning, appointment with letters, and one station's
//! positions with manual placement and the station's rule check after every change.

use std::collections::HashSet;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::{Require, Staff};
use radhus_platform::identity::session::StaffUser;
use radhus_platform::web::download;
use radhus_platform::web::field::FormErrors;
use radhus_platform::web::form::{self, Form, PathIds, Query};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::Deserialize;
use uuid::Uuid;

use crate::core::model::{Role, ShiftId, StationId};
use crate::core::rules::{Rule, Severity, Violation};
use crate::error::ElectionError;
use crate::staffing::appointment;
use crate::staffing::{self, Loaded, RunRow};
use crate::structure::service::{self, parse_role};
use crate::structure::store::{ElectionRow, StationRow};
use crate::support::office::Office;
use crate::support::view;
use crate::support::web::see_other;

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/val/{id}/bemanning", get_staffing)
        .get("/admin/val/{id}/bemanning/optimera", get_optimise)
        .post("/admin/val/{id}/bemanning/optimera", post_optimise)
        .post("/admin/val/{id}/bemanning/omplanera", post_replan)
        .get("/admin/val/{id}/bemanning/forordna-alla", get_appoint_all)
        .post("/admin/val/{id}/bemanning/forordna-alla", post_appoint_all)
        .get("/admin/val/{id}/bemanning/forordnanden.pdf", get_letters)
        .get("/admin/val/{id}/bemanning/delegationsbeslut.csv", get_delegation_report)
        .get("/admin/val/{id}/bemanning/brev/{person}", get_letter)
        .get("/admin/val/{id}/bemanning/lokal/{sid}", get_station)
        .post("/admin/val/{id}/bemanning/lokal/{sid}/placera", post_place)
        .post("/admin/val/{id}/bemanning/lokal/{sid}/ta-bort", post_unplace)
        .post("/admin/val/{id}/bemanning/lokal/{sid}/forordna", post_appoint)
        .post("/admin/val/{id}/bemanning/lokal/{sid}/aterkalla", post_revoke)
}

fn municipality(ctx: &Ctx) -> Result<String> {
    Ok(ctx.require_tenant()?.name.clone())
}

// ------------------------------------------------------------------ the dashboard

pub struct StationStatus {
    pub s: StationRow,
    pub positions: usize,
    pub filled: usize,
    pub appointed: usize,
    pub errors: Vec<Violation>,
    pub warnings: Vec<Violation>,
}

pub struct RuleLine {
    pub code: &'static str,
    pub source: &'static str,
    pub certainty: &'static str,
    /// The municipality's setting the rule follows (`crate::settings`), or empty.
    pub setting: String,
}

#[derive(Template)]
#[template(path = "elections/staffing.html")]
struct StaffingPage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    positions: usize,
    filled: usize,
    appointed: usize,
    accepted: usize,
    unplaced: usize,
    declined: usize,
    stations: Vec<StationStatus>,
    left_out: Vec<(Uuid, String, String)>,
    run: Option<RunRow>,
    rules: Vec<RuleLine>,
    may_appoint: bool,
    is_office: bool,
    notices: Vec<String>,
    /// What was just done (after a redirect), shown as a success message.
    done: Option<String>,
    /// A refused run or appointment: problems of the whole page, listed in the summary.
    errors: FormErrors,
}

impl StaffingPage<'_> {
    fn run_at(&self, r: &RunRow) -> String {
        format!("{} {}", view::date(r.run_at.date()), view::hm(r.run_at.time()))
    }
    fn km(&self, m: &i64) -> String {
        format!("{:.1}", *m as f64 / 1000.0).replace('.', ",")
    }
}

fn statuses(l: &Loaded) -> Vec<StationStatus> {
    let violations = l.violations();
    l.stations
        .iter()
        .map(|s| {
            let mine: Vec<&crate::structure::store::PositionRow> = l.positions.iter().filter(|p| p.station_id == s.id).collect();
            let held: Vec<_> = mine.iter().filter_map(|p| l.holder(p.id)).collect();
            let (errors, warnings): (Vec<Violation>, Vec<Violation>) =
                violations.iter().filter(|v| v.station == StationId(s.id)).cloned().partition(|v| v.severity == Severity::Error);
            StationStatus {
                s: s.clone(),
                positions: mine.len(),
                filled: held.len(),
                appointed: held.iter().filter(|a| a.appointed_at.is_some()).count(),
                errors,
                warnings,
            }
        })
        .collect()
}

async fn staffing_page(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, notices: Vec<String>, errors: FormErrors) -> Result<Response> {
    staffing_page_done(st, ctx, s, id, notices, None, errors).await
}

async fn staffing_page_done(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    notices: Vec<String>,
    done: Option<String>,
    errors: FormErrors,
) -> Result<Response> {
    crate::support::office::require_reader(s)?;
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let l = staffing::load(&mut tx, t, id).await?;
    let run = staffing::last_run(&mut tx, t, id).await?;
    tx.commit().await?;
    let placed: HashSet<Uuid> = l.assignments.iter().map(|a| a.person_id).collect();
    let stations = statuses(&l);
    render(&StaffingPage {
        ctx,
        positions: l.positions.len(),
        filled: l.assignments.len(),
        appointed: l.assignments.iter().filter(|a| a.appointed_at.is_some()).count(),
        accepted: l.people.len(),
        unplaced: l.people.iter().filter(|p| !placed.contains(&p.id)).count(),
        declined: l.assignments.iter().filter(|a| a.response == "declined").count(),
        stations,
        left_out: l.left_out.clone(),
        run,
        rules: Rule::ALL
            .iter()
            .map(|r| RuleLine {
                code: r.code(),
                source: r.source(),
                certainty: r.citation().basis.label_sv(),
                setting: match r {
                    Rule::MinAge => l.rules.min_age.map(|a| ctx.tr.t1("el-rule-setting-min-age", "age", a)).unwrap_or_default(),
                    Rule::CourseCompleted if l.rules.train_after_placement => ctx.t("el-rule-setting-train-on"),
                    Rule::CourseCompleted => ctx.t("el-rule-setting-train-off"),
                    _ => String::new(),
                },
            })
            .collect(),
        may_appoint: crate::support::office::may_appoint(s),
        is_office: crate::support::office::is_office(s),
        e: l.election,
        notices,
        done,
        // Every field of a run or an appointment is a hidden value: no link to follow.
        errors: errors.unlinked(),
    })
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    #[serde(default)]
    klart: String,
}

async fn get_staffing(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Query(q): Query<DoneQuery>,
) -> Result<Response> {
    let done = match q.klart.as_str() {
        k @ ("bemannat" | "omplanerat") => Some(ctx.t(&format!("el-done-{k}"))),
        _ => None,
    };
    staffing_page_done(&st, &ctx, &s, id, vec![], done, FormErrors::none()).await
}

#[derive(Deserialize, Default)]
struct OptimiseForm {
    #[serde(default)]
    keep_manual: Option<String>,
    /// The fingerprint of the plan the office saw and confirmed.
    #[serde(default)]
    plan: String,
}

#[derive(Template)]
#[template(path = "elections/staffing_optimise.html")]
struct OptimisePage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    p: staffing::Proposal,
    keep_manual: bool,
    /// The plan differs from the one the office confirmed: shown again, nothing written.
    changed: bool,
}

async fn optimise_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    keep_manual: bool,
    shown: Option<staffing::Proposal>,
) -> Result<Response> {
    let changed = shown.is_some();
    let p = match shown {
        Some(p) => p,
        None => staffing::preview_optimiser(&st.db, s, id, keep_manual, st.now()).await?,
    };
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let e = service::election_in(&mut tx, s.tenant_id, id).await?;
    tx.commit().await?;
    render(&OptimisePage { ctx, e, p, keep_manual, changed })
}

/// The page that asks before automatic staffing, with what it would change (issue 18 item 3).
async fn get_optimise(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    Query(f): Query<OptimiseForm>,
) -> Result<Response> {
    let s = o.0;
    let r = optimise_page(&st, &ctx, &s, id, f.keep_manual.is_some(), None).await;
    form::submit_fields(&ctx, r, |errors| staffing_page(&st, &ctx, &s, id, vec![], errors)).await
}

/// Writes the confirmed plan; without a confirmed plan, or when the plan has changed since it
/// was shown, the page that asks is shown (again) and nothing is written.
async fn post_optimise(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<OptimiseForm>,
) -> Result<Response> {
    let s = o.0;
    let keep = f.keep_manual.is_some();
    let r = async {
        if f.plan.trim().is_empty() {
            return optimise_page(&st, &ctx, &s, id, keep, None).await;
        }
        match staffing::run_confirmed(&st.db, &s, id, keep, &f.plan, st.now()).await? {
            Ok(_) => see_other(format!("/admin/val/{id}/bemanning?klart=bemannat#korning")),
            Err(p) => optimise_page(&st, &ctx, &s, id, keep, Some(p)).await,
        }
    }
    .await;
    form::submit_fields(&ctx, r, |errors| staffing_page(&st, &ctx, &s, id, vec![], errors)).await
}

async fn post_replan(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let s = o.0;
    let r = staffing::replan(&st.db, &s, id, st.now()).await.map(|_| format!("/admin/val/{id}/bemanning?klart=omplanerat#korning"));
    form::submit_fields(&ctx, r, |errors| staffing_page(&st, &ctx, &s, id, vec![], errors)).await
}

#[derive(Template)]
#[template(path = "elections/staffing_appoint_all.html")]
struct AppointAllPage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    will: Vec<String>,
    not: Vec<String>,
}

async fn appoint_all_page(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid) -> Result<Response> {
    let (will, not) = appointment::appoint_all_preview(&st.db, s, id).await?;
    if will.is_empty() && not.is_empty() {
        return Err(ElectionError::NobodyToAppoint.into());
    }
    let mut tx = st.db.write(Scope::Tenant(s.tenant_id)).await?;
    let e = service::election_in(&mut tx, s.tenant_id, id).await?;
    // The page names the people to be appointed: personal data.
    crate::support::audit::audit(
        &mut tx,
        s,
        "elections.appointment.previewed",
        "el_election",
        id,
        serde_json::json!({ "appointable": will.len(), "not": not.len() }),
        st.now(),
    )
    .await?;
    tx.commit().await?;
    render(&AppointAllPage { ctx, e, will, not })
}

/// The page that asks before "Förordna alla" (issue 18 item 3): who will be appointed, who not.
async fn get_appoint_all(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let r = appoint_all_page(&st, &ctx, &s, id).await;
    form::submit_fields(&ctx, r, |errors| staffing_page(&st, &ctx, &s, id, vec![], errors)).await
}

#[derive(Deserialize, Default)]
struct ConfirmForm {
    #[serde(default)]
    confirm: String,
}

async fn post_appoint_all(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<ConfirmForm>,
) -> Result<Response> {
    if f.confirm != "ja" {
        let r = appoint_all_page(&st, &ctx, &s, id).await;
        return form::submit_fields(&ctx, r, |errors| staffing_page(&st, &ctx, &s, id, vec![], errors)).await;
    }
    let m = municipality(&ctx)?;
    match appointment::appoint_all(&st.db, &s, &m, id, st.now()).await {
        Ok((n, skipped)) => {
            let done = Some(ctx.tn("el-appointed-n", n as i64));
            staffing_page_done(&st, &ctx, &s, id, skipped, done, FormErrors::none()).await
        }
        Err(e) => form::submit_fields(&ctx, Err::<Response, _>(e), |errors| staffing_page(&st, &ctx, &s, id, vec![], errors)).await,
    }
}

async fn get_letters(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let s = o.0;
    let m = municipality(&ctx)?;
    let r =
        appointment::bulk_letters(&st.db, &s, &m, id, st.now()).await.map(|b| download::attachment(b, download::PDF, "forordnanden.pdf"));
    form::submit_fields(&ctx, r, |errors| staffing_page(&st, &ctx, &s, id, vec![], errors)).await
}

/// The appointments made under delegation, for valnämnden's next meeting (CSV).
async fn get_delegation_report(State(st): State<AppState>, o: Require<Office>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let (name, bytes) = appointment::delegation_report(&st.db, &o.0, id, st.now()).await?;
    Ok(download::attachment(bytes, "text/csv; charset=utf-8", &name))
}

async fn get_letter(State(st): State<AppState>, Staff(s): Staff, PathIds((id, person)): PathIds<(Uuid, String)>) -> Result<Response> {
    let person: Uuid = person.trim_end_matches(".pdf").parse().map_err(|_| Error::NotFound)?;
    crate::support::office::require_reader(&s)?;
    let t = s.tenant_id;
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    service::election_in(&mut tx, t, id).await?;
    let letter = appointment::letter_pdf(&mut tx, t, id, person).await?.ok_or(Error::NotFound)?;
    crate::support::audit::audit(
        &mut tx,
        &s,
        "elections.appointment.letter_viewed",
        "el_person",
        person,
        serde_json::json!({ "election": id }),
        st.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(download::attachment(letter, download::PDF, "forordnande.pdf"))
}

// ------------------------------------------------------------------ one station

pub struct Candidate {
    pub id: Uuid,
    pub label: String,
    /// Meets everything the role asks for (course, experience, language); the others can be
    /// placed too but show as warnings on the plan.
    pub qualifies: bool,
}

pub struct Slot {
    pub position: Uuid,
    pub shift: String,
    pub role: String,
    pub language: Option<String>,
    pub holder: Option<Holder>,
    pub candidates: Vec<Candidate>,
    /// Why nobody can take the vacant position, in Swedish (empty when somebody can).
    pub why_none: String,
}

impl Slot {
    pub fn any_qualified(&self) -> bool {
        self.candidates.iter().any(|c| c.qualifies)
    }
    pub fn qualified(&self) -> Vec<&Candidate> {
        self.candidates.iter().filter(|c| c.qualifies).collect()
    }
    pub fn others(&self) -> Vec<&Candidate> {
        self.candidates.iter().filter(|c| !c.qualifies).collect()
    }
}

pub struct Holder {
    pub person: Uuid,
    pub name: String,
    pub phone: String,
    pub source: String,
    pub explanation: String,
    pub response: String,
    pub appointed: bool,
    pub obstacle: Option<String>,
}

#[derive(Template)]
#[template(path = "elections/staffing_station.html")]
struct StationPage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    s: StationRow,
    slots: Vec<Slot>,
    errors_here: Vec<Violation>,
    warnings_here: Vec<Violation>,
    may_appoint: bool,
    is_office: bool,
    /// What was just done (after a redirect), shown as a success message.
    done: Option<String>,
    /// A refused step: the summary, linked to the person's select when a placement was refused.
    errors: FormErrors,
    /// The position whose placement was refused.
    refused_position: String,
}

impl StationPage<'_> {
    fn response_label(&self, r: &str) -> String {
        self.ctx.t(&format!("el-response-{r}"))
    }
    /// The message at the person's select of a slot whose placement was refused.
    fn person_error(&self, p: &Slot) -> Option<String> {
        (self.refused_position == p.position.to_string()).then(|| self.errors.message("person").map(str::to_string)).flatten()
    }
}

/// The accepted, unplaced people who could take a position, nearest first, with what a
/// placement would break (age, candidacy and availability are hard; course, experience and
/// language show as warnings and put the person among those who do not meet every requirement).
/// When nobody can take it, the second value says why, counted by reason.
fn candidates(l: &Loaded, position: &crate::structure::store::PositionRow, placed: &HashSet<Uuid>) -> (Vec<Candidate>, String) {
    let Some(station) = l.instance.stations.iter().find(|x| x.id.0 == position.station_id) else { return (vec![], String::new()) };
    let role = parse_role(&position.role).unwrap_or(Role::Rostmottagare);
    let (mut taken, mut busy, mut young, mut blocked) = (0usize, 0usize, 0usize, 0usize);
    let mut list: Vec<(f64, Candidate)> = vec![];
    for a in &l.instance.applicants {
        if placed.contains(&a.id.0) {
            taken += 1;
            continue;
        }
        if !a.available.contains(&ShiftId(position.shift_id)) {
            busy += 1;
            continue;
        }
        if l.rules.min_age.is_some_and(|m| a.age_on(l.election.election_day) < m) {
            young += 1;
            continue;
        }
        if a.candidate && l.rules.candidate_policy == crate::core::rules::CandidatePolicy::Block {
            blocked += 1;
            continue;
        }
        let d = a.home.distance_m(station.location);
        let mut notes = vec![format!("{:.1} km", d / 1000.0).replace('.', ",")];
        let mut qualifies = true;
        if !a.courses.contains(&l.rules.course_for(role)) {
            notes.push(format!("saknar {}", l.rules.course_for(role).label_sv()));
            qualifies = false;
        }
        if !crate::core::rules::has_experience_for(a, role) {
            notes.push("saknar erfarenhet för rollen".into());
            qualifies = false;
        }
        if let Some(lang) = &position.language
            && !a.languages.contains(lang)
        {
            notes.push(format!("talar inte {lang}"));
            qualifies = false;
        }
        if a.preferred_stations.contains(&station.id) {
            notes.push("önskad lokal".into());
        }
        list.push((d, Candidate { id: a.id.0, label: format!("{} ({})", a.name, notes.join(", ")), qualifies }));
    }
    list.sort_by(|a, b| a.0.total_cmp(&b.0));
    let list: Vec<Candidate> = list.into_iter().take(25).map(|(_, c)| c).collect();
    let why = if !list.is_empty() {
        String::new()
    } else if l.instance.applicants.is_empty() {
        "Det finns inga antagna sökande i valet ännu.".to_string()
    } else {
        let reasons: Vec<String> = [
            (taken, "har redan en plats"),
            (busy, "kan inte arbeta passet"),
            (young, "är för unga på valdagen"),
            (blocked, "är kandidater i valet och får inte arbeta i det"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        format!("Ingen antagen sökande kan ta platsen. Av de {} antagna {}.", l.instance.applicants.len(), join_sv(&reasons))
    };
    (list, why)
}

/// "a, b och c".
fn join_sv(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} och {}", rest.join(", "), last),
    }
}

async fn station_page(st: &AppState, ctx: &Ctx, s: &StaffUser, id: Uuid, sid: Uuid, errors: FormErrors) -> Result<Response> {
    station_page_done(st, ctx, s, id, sid, None, errors, String::new()).await
}

#[allow(clippy::too_many_arguments)]
async fn station_page_done(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    sid: Uuid,
    done: Option<String>,
    errors: FormErrors,
    refused_position: String,
) -> Result<Response> {
    crate::support::office::require_reader(s)?;
    let t = s.tenant_id;
    let mut tx = st.db.write(Scope::Tenant(t)).await?;
    let l = staffing::load(&mut tx, t, id).await?;
    let station = l.station(sid).ok_or(Error::NotFound)?.clone();
    // The page shows the holders' names and phone numbers and the candidates: personal data.
    crate::support::audit::audit(
        &mut tx,
        s,
        "elections.staffing.viewed",
        "el_station",
        sid,
        serde_json::json!({ "election": id }),
        st.now(),
    )
    .await?;
    tx.commit().await?;
    let placed: HashSet<Uuid> = l.assignments.iter().map(|a| a.person_id).collect();
    let slots: Vec<Slot> = l
        .positions
        .iter()
        .filter(|p| p.station_id == sid)
        .map(|p| {
            let holder = l.holder(p.id).map(|a| {
                let person = l.person(a.person_id);
                Holder {
                    person: a.person_id,
                    name: person.map(|x| x.name()).unwrap_or_else(|| ctx.t("el-not-accepted-any-more")),
                    phone: person.map(|x| x.phone.clone()).unwrap_or_default(),
                    source: a.source.clone(),
                    explanation: a.explanation.clone(),
                    response: a.response.clone(),
                    appointed: a.appointed_at.is_some(),
                    obstacle: if a.appointed_at.is_some() { None } else { appointment::obstacle(&l, a.person_id).map(|(_, w)| w) },
                }
            });
            let (candidates, why_none) = if holder.is_none() { candidates(&l, p, &placed) } else { (vec![], String::new()) };
            Slot {
                position: p.id,
                shift: l.shift(p.shift_id).map(|s| crate::structure::labels::shift_in(&ctx.tr, s)).unwrap_or_default(),
                role: ctx.t(&format!("el-role-{}", p.role)),
                language: p.language.clone(),
                candidates,
                why_none,
                holder,
            }
        })
        .collect();
    let (errors_here, warnings_here): (Vec<Violation>, Vec<Violation>) =
        l.violations().into_iter().filter(|v| v.station == StationId(sid)).partition(|v| v.severity == Severity::Error);
    // A refused person of a placement links to that slot's select; every other problem's field
    // is a hidden value, so it has no link.
    let has_select =
        slots.iter().any(|p: &Slot| p.position.to_string() == refused_position && p.holder.is_none() && !p.candidates.is_empty());
    let errors = if has_select && !errors.is_empty() && errors.entries.iter().all(|x| x.field == "person") {
        errors.target("person", &format!("person-{refused_position}"))
    } else {
        errors.unlinked()
    };
    render(&StationPage {
        ctx,
        e: l.election.clone(),
        s: station,
        slots,
        errors_here,
        warnings_here,
        may_appoint: crate::support::office::may_appoint(s),
        is_office: crate::support::office::is_office(s),
        done,
        errors,
        refused_position,
    })
}

async fn get_station(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, sid)): PathIds<(Uuid, Uuid)>,
    Query(q): Query<DoneQuery>,
) -> Result<Response> {
    let done = match q.klart.as_str() {
        k @ ("placerad" | "borttagen" | "forordnad" | "aterkallad") => Some(ctx.t(&format!("el-done-{k}"))),
        _ => None,
    };
    station_page_done(&st, &ctx, &o.0, id, sid, done, FormErrors::none(), String::new()).await
}

#[derive(Deserialize)]
struct PlaceForm {
    #[serde(default)]
    position: String,
    #[serde(default)]
    person: String,
}

fn form_uuid(field: &str, s: &str) -> Result<Uuid> {
    Uuid::parse_str(s.trim()).map_err(|_| Error::invalid(field, "el-bad-choice"))
}

async fn post_place(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, sid)): PathIds<(Uuid, Uuid)>,
    Form(f): Form<PlaceForm>,
) -> Result<Response> {
    let s = o.0;
    let r = async {
        let position = form_uuid("position", &f.position)?;
        let person = Uuid::parse_str(f.person.trim()).map_err(|_| Error::invalid("person", "el-staffing-choose-person"))?;
        staffing::place(&st.db, &s, id, position, person, st.now())
            .await
            .map(|_| format!("/admin/val/{id}/bemanning/lokal/{sid}?klart=placerad#kontroll"))
    }
    .await;
    form::submit_fields(&ctx, r, |errors| station_page_done(&st, &ctx, &s, id, sid, None, errors, f.position.trim().to_string())).await
}

async fn post_unplace(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, sid)): PathIds<(Uuid, Uuid)>,
    Form(f): Form<PlaceForm>,
) -> Result<Response> {
    let s = o.0;
    let r = async {
        let position = form_uuid("position", &f.position)?;
        staffing::unplace(&st.db, &s, id, position, st.now())
            .await
            .map(|()| format!("/admin/val/{id}/bemanning/lokal/{sid}?klart=borttagen#platser"))
    }
    .await;
    form::submit_fields(&ctx, r, |errors| station_page(&st, &ctx, &s, id, sid, errors)).await
}

async fn post_appoint(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds((id, sid)): PathIds<(Uuid, Uuid)>,
    Form(f): Form<PlaceForm>,
) -> Result<Response> {
    let m = municipality(&ctx)?;
    let r = async {
        let person = form_uuid("person", &f.person)?;
        appointment::appoint(&st.db, &s, &m, id, person, st.now())
            .await
            .map(|()| format!("/admin/val/{id}/bemanning/lokal/{sid}?klart=forordnad#platser"))
    }
    .await;
    form::submit_fields(&ctx, r, |errors| station_page(&st, &ctx, &s, id, sid, errors)).await
}

async fn post_revoke(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds((id, sid)): PathIds<(Uuid, Uuid)>,
    Form(f): Form<PlaceForm>,
) -> Result<Response> {
    let r = async {
        let person = form_uuid("person", &f.person)?;
        appointment::revoke(&st.db, &s, id, person, st.now())
            .await
            .map(|()| format!("/admin/val/{id}/bemanning/lokal/{sid}?klart=aterkallad#platser"))
    }
    .await;
    form::submit_fields(&ctx, r, |errors| station_page(&st, &ctx, &s, id, sid, errors)).await
}
