//! Use cases of the self-assessment. Each opens one transaction, checks the permission again,
//! and writes the assessment's history and the audit log with the change.

use std::collections::HashMap;

use radhus_kernel::ids::{TenantId, UserId};
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::session::StaffUser;
use radhus_platform::identity::users;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::domain::{self, Answers, AssessmentId, Benchmark, Catalogue, Change, Level, MaturityError, Scores};
use crate::store::{self, AnswerRow, Assessment};

/// Digitalisation lead (digitaliseringsansvarig, eBlomlådans "kommunbehörig"): starts the
/// year's assessment, answers every area, hands areas to respondents, submits and publishes.
pub const LEAD: &str = "maturity.lead";
/// Respondent: answers the areas the lead handed to them.
pub const ANSWER: &str = "maturity.answer";
/// Reopens a submitted assessment (with a reason, logged).
pub const ADMIN: &str = "maturity.admin";

pub fn is_lead(s: &StaffUser) -> bool {
    s.grants.whole_municipality(LEAD)
}

pub fn is_admin(s: &StaffUser) -> bool {
    s.grants.whole_municipality(ADMIN)
}

/// Anyone working with the municipality's assessments may read them.
pub fn may_read(s: &StaffUser) -> bool {
    is_lead(s) || is_admin(s) || s.grants.has_anywhere(ANSWER)
}

/// Loads an assessment of the user's municipality that they may read; others get 404.
pub async fn readable(tx: &mut Tx, s: &StaffUser, id: AssessmentId) -> Result<Assessment> {
    if !may_read(s) {
        return Err(Error::Forbidden);
    }
    store::assessment(tx, s.tenant_id, id).await?.ok_or(Error::NotFound)
}

/// The catalogue of an assessment (it always exists: a foreign key).
pub async fn catalogue_of(tx: &mut Tx, a: &Assessment) -> Result<Catalogue> {
    store::catalogue(tx, &a.catalogue_version).await?.ok_or_else(|| Error::Internal(format!("catalogue {} missing", a.catalogue_version)))
}

/// May `s` answer `area` of the assessment: the lead always, a respondent in their own areas.
pub async fn may_answer(tx: &mut Tx, s: &StaffUser, assessment: AssessmentId, area: &str) -> Result<bool> {
    if is_lead(s) {
        return Ok(true);
    }
    if !s.grants.has_anywhere(ANSWER) {
        return Ok(false);
    }
    let r = store::respondents(tx, s.tenant_id, assessment).await?;
    Ok(r.iter().any(|r| r.area_key == area && r.user_id == s.user_id))
}

/// Starts the year's assessment on the newest catalogue (or the one asked for).
pub async fn start(db: &Db, s: &StaffUser, year: i32, version: Option<&str>, now: OffsetDateTime) -> Result<AssessmentId> {
    if !is_lead(s) {
        return Err(Error::Forbidden);
    }
    let year = domain::valid_year(year)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let version = match version {
        Some(v) => store::catalogue(&mut tx, v).await?.ok_or(MaturityError::UnknownVersion)?.version,
        None => store::catalogues(&mut tx).await?.into_iter().map(|c| c.version).max().ok_or(MaturityError::UnknownVersion)?,
    };
    if store::assessment_of_year(&mut tx, t, year).await?.is_some() {
        return Err(MaturityError::YearExists.into());
    }
    let id = AssessmentId::new();
    store::insert_assessment(&mut tx, t, id, year, &version, now)
        .await
        .map_err(|e| if radhus_platform::db::is_unique_violation(&e) { MaturityError::YearExists.into() } else { Error::Db(e) })?;
    store::insert_event(&mut tx, t, id, "created", "", &s.name, now).await?;
    audit::record(
        &mut tx,
        Some(t),
        &Actor::staff(s),
        Event::new("maturity.assessment.created", "maturity_assessment", id).with(serde_json::json!({ "year": year, "version": version })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// One indicator's answer as a form sends it; an empty level leaves it unanswered.
#[derive(Debug, Clone, Default)]
pub struct AnswerInput {
    pub indicator_id: String,
    pub level: String,
    pub comment: String,
    pub responsible_unit: String,
    pub planned_action: String,
    pub action_owner: String,
    pub due_date: String,
}

const MAX_TEXT: usize = 2000;

/// The problems of an area's answers as the area page names them, each at its indicator's
/// field (`level_<id>`, `due_<id>`, `comment_<id>`, `unit_<id>`, `action_<id>`, `owner_<id>`),
/// all at once: the page checks these before [`save_area`] checks them again (with its codes).
/// `stored` are the answers saved before; `plans_ahead` is [`save_area`]'s rule for due dates
/// in the past (this year's or a later year's assessment).
pub fn answer_problems(inputs: &[AnswerInput], stored: &[AnswerRow], plans_ahead: bool, today: Date) -> Vec<FieldError> {
    let mut errs = vec![];
    for input in inputs {
        let id = &input.indicator_id;
        let level = input.level.trim();
        if !level.is_empty() && level.parse::<i64>().map_err(|_| ()).and_then(|l| Level::from_points(l).map_err(|_| ())).is_err() {
            errs.push(FieldError::new(format!("level_{id}"), "err-mat-level"));
        }
        match input.due_date.trim() {
            "" => {}
            d => match Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")) {
                Ok(d) if plans_ahead && d < today && stored.iter().find(|r| &r.indicator_id == id).and_then(|r| r.due_date) != Some(d) => {
                    errs.push(FieldError::new(format!("due_{id}"), "err-mat-due-past"));
                }
                Ok(_) => {}
                Err(_) => errs.push(FieldError::new(format!("due_{id}"), "err-mat-due-date")),
            },
        }
        let texts = [
            ("comment", &input.comment),
            ("unit", &input.responsible_unit),
            ("action", &input.planned_action),
            ("owner", &input.action_owner),
        ];
        for (name, text) in texts {
            if text.chars().count() > MAX_TEXT {
                errs.push(FieldError::new(format!("{name}_{id}"), "err-mat-text-long"));
            }
        }
    }
    errs
}

/// Saves the answers of one area, all or nothing: a level outside 1–3 is `MAT-001`, a
/// submitted assessment `MAT-003`, an area that is not the user's `MAT-008`, and in this
/// year's (or a later year's) assessment a due date before today that is new or changed (a new
/// action planned for the past) `MAT-015`. A due date saved earlier that has since passed is
/// kept: the action is overdue, and the action plan says so. An earlier year's assessment
/// entered afterwards records its history with the dates it had.
pub async fn save_area(db: &Db, s: &StaffUser, id: AssessmentId, area: &str, inputs: &[AnswerInput], now: OffsetDateTime) -> Result<usize> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let a = readable(&mut tx, s, id).await?;
    let cat = catalogue_of(&mut tx, &a).await?;
    if cat.area(area).is_none() {
        return Err(Error::NotFound);
    }
    if a.is_submitted() {
        return Err(MaturityError::Submitted.into());
    }
    if !may_answer(&mut tx, s, id, area).await? {
        return Err(MaturityError::AreaNotYours.into());
    }
    let stored = store::answers(&mut tx, t, id).await?;
    let today = now.date();
    let plans_ahead = a.year >= today.year();
    let mut rows = vec![];
    let mut errs = vec![];
    for input in inputs {
        let Some(ind) = cat.indicators_of(area).find(|i| i.id == input.indicator_id) else {
            errs.push(FieldError::new("indicator", "err-mat-indicator"));
            continue;
        };
        let level = match input.level.trim() {
            "" => continue,
            l => match l.parse::<i64>().map_err(|_| Error::from(MaturityError::LevelOutOfRange)).and_then(Level::from_points) {
                Ok(l) => l,
                Err(e) => return Err(e),
            },
        };
        let due_date = match input.due_date.trim() {
            "" => None,
            d => match Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")) {
                Ok(d)
                    if plans_ahead && d < today && stored.iter().find(|r| r.indicator_id == ind.id).and_then(|r| r.due_date) != Some(d) =>
                {
                    return Err(MaturityError::DueDateInPast.into());
                }
                Ok(d) => Some(d),
                Err(_) => {
                    errs.push(FieldError::new("due_date", "err-mat-date"));
                    None
                }
            },
        };
        let fields = [&input.comment, &input.responsible_unit, &input.planned_action, &input.action_owner];
        if fields.iter().any(|f| f.chars().count() > MAX_TEXT) {
            errs.push(FieldError::new("answer_comment", "err-mat-too-long"));
        }
        rows.push(AnswerRow {
            indicator_id: ind.id.clone(),
            level: level.points(),
            comment: input.comment.trim().to_string(),
            responsible_unit: input.responsible_unit.trim().to_string(),
            planned_action: input.planned_action.trim().to_string(),
            action_owner: input.action_owner.trim().to_string(),
            due_date,
        });
    }
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    for r in &rows {
        store::upsert_answer(&mut tx, t, id, r, s.user_id, now).await?;
    }
    audit::record(
        &mut tx,
        Some(t),
        &Actor::staff(s),
        Event::new("maturity.answers.saved", "maturity_assessment", id).with(serde_json::json!({ "area": area, "answers": rows.len() })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(rows.len())
}

/// What submitting would do, asked before it is done (issue 18 item 3): the same checks as
/// [`submit`] (the lead, a draft, every indicator answered) and the assessment with its total,
/// without changing anything.
pub async fn submit_preview(db: &Db, s: &StaffUser, id: AssessmentId) -> Result<(Assessment, domain::Tally)> {
    if !is_lead(s) {
        return Err(Error::Forbidden);
    }
    let t = s.tenant_id;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let a = readable(&mut tx, s, id).await?;
    if a.is_submitted() {
        return Err(MaturityError::Submitted.into());
    }
    let cat = catalogue_of(&mut tx, &a).await?;
    let answers = store::levels(&store::answers(&mut tx, t, id).await?);
    tx.commit().await?;
    if !domain::unanswered(&cat, &answers).is_empty() {
        return Err(MaturityError::Unanswered.into());
    }
    let total = domain::score(&cat, &answers).total;
    Ok((a, total))
}

/// Submits (freezes) the assessment; every indicator must be answered (`MAT-002`).
pub async fn submit(db: &Db, s: &StaffUser, id: AssessmentId, now: OffsetDateTime) -> Result<()> {
    if !is_lead(s) {
        return Err(Error::Forbidden);
    }
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let a = readable(&mut tx, s, id).await?;
    if a.is_submitted() {
        return Err(MaturityError::Submitted.into());
    }
    let cat = catalogue_of(&mut tx, &a).await?;
    let answers = store::levels(&store::answers(&mut tx, t, id).await?);
    if !domain::unanswered(&cat, &answers).is_empty() {
        return Err(MaturityError::Unanswered.into());
    }
    store::set_status(&mut tx, t, id, "submitted", Some(now)).await?;
    store::insert_event(&mut tx, t, id, "submitted", "", &s.name, now).await?;
    let points = domain::score(&cat, &answers).total.points;
    audit::record(
        &mut tx,
        Some(t),
        &Actor::staff(s),
        Event::new("maturity.assessment.submitted", "maturity_assessment", id)
            .with(serde_json::json!({ "year": a.year, "points": points })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Reopens a submitted assessment for changes; needs the admin permission and a reason.
pub async fn reopen(db: &Db, s: &StaffUser, id: AssessmentId, reason: &str, now: OffsetDateTime) -> Result<()> {
    if !is_admin(s) {
        return Err(Error::Forbidden);
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(MaturityError::ReasonMissing.into());
    }
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let a = readable(&mut tx, s, id).await?;
    if !a.is_submitted() {
        return Err(MaturityError::NotSubmitted.into());
    }
    store::set_status(&mut tx, t, id, "draft", None).await?;
    store::insert_event(&mut tx, t, id, "reopened", reason, &s.name, now).await?;
    audit::record(
        &mut tx,
        Some(t),
        &Actor::staff(s),
        Event::new("maturity.assessment.reopened", "maturity_assessment", id).with(serde_json::json!({ "year": a.year, "reason": reason })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The municipality's choice whether its own answers are shown to others.
pub async fn set_public(db: &Db, s: &StaffUser, id: AssessmentId, public: bool, now: OffsetDateTime) -> Result<()> {
    if !is_lead(s) {
        return Err(Error::Forbidden);
    }
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let a = readable(&mut tx, s, id).await?;
    if a.public != public {
        store::set_public(&mut tx, t, id, public).await?;
        store::insert_event(&mut tx, t, id, if public { "published" } else { "unpublished" }, "", &s.name, now).await?;
        audit::record(
            &mut tx,
            Some(t),
            &Actor::staff(s),
            Event::new("maturity.assessment.public", "maturity_assessment", id).with(serde_json::json!({ "public": public })),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Hands an area to a respondent (or takes it back with `None`).
pub async fn assign(db: &Db, s: &StaffUser, id: AssessmentId, area: &str, user: Option<UserId>, now: OffsetDateTime) -> Result<()> {
    if !is_lead(s) {
        return Err(Error::Forbidden);
    }
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let a = readable(&mut tx, s, id).await?;
    let cat = catalogue_of(&mut tx, &a).await?;
    if cat.area(area).is_none() {
        return Err(Error::invalid("area", "err-mat-area"));
    }
    if let Some(u) = user {
        let staff = users::staff_user(&mut tx, t, u).await?;
        if !staff.is_some_and(|st| st.grants.has_anywhere(ANSWER) || st.grants.whole_municipality(LEAD)) {
            return Err(Error::invalid("user_id", "err-mat-respondent"));
        }
    }
    store::set_respondent(&mut tx, t, id, area, user).await?;
    audit::record(
        &mut tx,
        Some(t),
        &Actor::staff(s),
        Event::new("maturity.respondent.set", "maturity_assessment", id).with(serde_json::json!({ "area": area, "user": user })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ------------------------------------------------------------------ catalogues (platform operators)

/// Imports a new catalogue version from CSV; the catalogue is shared by every municipality,
/// so only the platform's operators do it. Any problem in the file (`MAT-004`) imports nothing.
pub async fn import_catalogue(db: &Db, operator: &Actor, version: &str, name: &str, csv: &str, now: OffsetDateTime) -> Result<usize> {
    let version = version.trim();
    let name = name.trim();
    let mut errs = vec![];
    if version.is_empty() || version.len() > 20 || !version.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
        errs.push(FieldError::new("version", "err-mat-version"));
    }
    if name.is_empty() {
        errs.push(FieldError::new("name", "err-mat-catalogue-name"));
    }
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    let cat = domain::parse_catalogue(version, name, csv).map_err(|_| MaturityError::BadCatalogue)?;
    let mut tx = db.write(Scope::Platform).await?;
    if store::catalogue(&mut tx, version).await?.is_some() {
        return Err(MaturityError::VersionExists.into());
    }
    store::insert_catalogue(&mut tx, &cat, now).await?;
    audit::record(
        &mut tx,
        None,
        operator,
        Event::new("maturity.catalogue.imported", "maturity_catalogue", version)
            .with(serde_json::json!({ "name": name, "indicators": cat.indicators.len() })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(cat.indicators.len())
}

/// Replaces the mapping from one version's indicators to another's (`MAT-011` for bad lines).
pub async fn import_mapping(db: &Db, operator: &Actor, from: &str, to: &str, csv: &str, now: OffsetDateTime) -> Result<usize> {
    let mut tx = db.write(Scope::Platform).await?;
    let old = store::catalogue(&mut tx, from.trim()).await?.ok_or(MaturityError::UnknownVersion)?;
    let new = store::catalogue(&mut tx, to.trim()).await?.ok_or(MaturityError::UnknownVersion)?;
    if old.version == new.version {
        return Err(Error::invalid("to", "err-mat-same-version"));
    }
    let m = domain::parse_mapping(&old, &new, csv).map_err(|_| MaturityError::BadMapping)?;
    store::replace_mapping(&mut tx, &old.version, &new.version, &m).await?;
    audit::record(
        &mut tx,
        None,
        operator,
        Event::new("maturity.mapping.imported", "maturity_mapping", format!("{}→{}", old.version, new.version))
            .with(serde_json::json!({ "lines": m.0.len() })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(m.0.len())
}

// ------------------------------------------------------------------ results

/// Everything the results page, the report and the API show about one assessment.
pub struct Results {
    pub assessment: Assessment,
    pub catalogue: Catalogue,
    pub rows: Vec<AnswerRow>,
    pub answers: Answers,
    pub scores: Scores,
    /// The previous submitted assessment's year and the change since, or why it cannot be compared.
    pub previous: Option<(i32, std::result::Result<Change, MaturityError>)>,
    pub benchmark: Benchmark,
    pub rank: Option<usize>,
    pub best: Vec<domain::Deviation>,
    pub worst: Vec<domain::Deviation>,
}

impl Results {
    pub fn change(&self) -> Option<&Change> {
        self.previous.as_ref().and_then(|(_, c)| c.as_ref().ok())
    }
}

/// The benchmark of a year and version over every municipality that submitted **and published**
/// (a read in `Scope::System`: only aggregates leave this function). The same figures everywhere
/// — public page, open data, staff pages — and no unpublished answer in them: a benchmark over
/// all submitted minus the published results would give away the non-publishers' answers, also
/// when compared over time (ADR 0012).
pub async fn benchmark(db: &Db, cat: &Catalogue, year: i32) -> Result<Benchmark> {
    let mut tx = db.read(Scope::System).await?;
    let all = store::published_answers(&mut tx, year, &cat.version).await?;
    tx.commit().await?;
    let list: Vec<Answers> = all.into_values().collect();
    Ok(domain::benchmark(cat, &list))
}

/// The newest published benchmark of a catalogue version in `year` or the years before it
/// (a draft of this year is compared with how the others answered last time).
pub async fn latest_benchmark(db: &Db, cat: &Catalogue, year: i32) -> Result<Option<(i32, Benchmark)>> {
    for y in (year - 10..=year).rev() {
        let b = benchmark(db, cat, y).await?;
        if b.published {
            return Ok(Some((y, b)));
        }
    }
    Ok(None)
}

/// Results of an assessment of municipality `t` (the caller has checked who may see it).
pub async fn results(db: &Db, t: TenantId, a: Assessment) -> Result<Results> {
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let catalogue = catalogue_of(&mut tx, &a).await?;
    let rows = store::answers(&mut tx, t, a.id).await?;
    let answers = store::levels(&rows);
    let prev = store::previous_submitted(&mut tx, t, a.year).await?;
    let previous = match prev {
        None => None,
        Some(p) => {
            let pcat = catalogue_of(&mut tx, &p).await?;
            let pans = store::levels(&store::answers(&mut tx, t, p.id).await?);
            let mapping = store::mapping(&mut tx, &pcat.version, &catalogue.version).await?;
            Some((p.year, domain::change(&catalogue, &answers, &pcat, &pans, mapping.as_ref())))
        }
    };
    tx.commit().await?;
    let scores = domain::score(&catalogue, &answers);
    let benchmark = benchmark(db, &catalogue, a.year).await?;
    let rank = if a.is_submitted() { benchmark.rank(scores.total.points) } else { None };
    let (best, worst) = domain::best_and_worst(&catalogue, &answers, &benchmark, 5);
    Ok(Results { assessment: a, catalogue, rows, answers, scores, previous, benchmark, rank, best, worst })
}

/// Points per area of every year the municipality has answered (for the trend table).
pub async fn history(db: &Db, t: TenantId) -> Result<Vec<(i32, String, Scores)>> {
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let mut out = vec![];
    let mut cats: HashMap<String, Catalogue> = HashMap::new();
    for a in store::assessments(&mut tx, t).await? {
        if !cats.contains_key(&a.catalogue_version) {
            let c = catalogue_of(&mut tx, &a).await?;
            cats.insert(a.catalogue_version.clone(), c);
        }
        let Some(cat) = cats.get(&a.catalogue_version) else { continue };
        let answers = store::levels(&store::answers(&mut tx, t, a.id).await?);
        out.push((a.year, a.status.clone(), domain::score(cat, &answers)));
    }
    tx.commit().await?;
    Ok(out)
}

/// Makes a planned action a case in case management: registered with the chosen case type in
/// the same transaction that links it to the action, with the unit whose name the answer gives
/// as responsible (when the organisation has one by that name). The lead does it, and only with
/// the right to register cases; an action becomes a case once (`MAT-014`).
pub async fn action_to_case(
    db: &Db,
    s: &StaffUser,
    id: AssessmentId,
    indicator: &str,
    case_type: Uuid,
    now: OffsetDateTime,
) -> Result<(Uuid, String)> {
    if !is_lead(s) {
        return Err(Error::Forbidden);
    }
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let a = readable(&mut tx, s, id).await?;
    let answer = store::answers(&mut tx, t, id).await?.into_iter().find(|r| r.indicator_id == indicator && !r.planned_action.is_empty());
    let Some(answer) = answer else { return Err(Error::NotFound) };
    if store::action_cases(&mut tx, t, id).await?.iter().any(|(i, _, _)| i == indicator) {
        return Err(MaturityError::ActionHasCase.into());
    }
    let wanted = answer.responsible_unit.trim().to_lowercase();
    let unit =
        radhus_platform::identity::org::tree(&mut tx, t).await?.into_iter().find(|u| !wanted.is_empty() && u.name.to_lowercase() == wanted);
    let title: String = format!("eBlomlåda {}, indikator {indicator}: {}", a.year, answer.planned_action).chars().take(300).collect();
    let n = radhus_cases::service::NewCase { case_type, title, unit: unit.map(|u| u.id.0), ..Default::default() };
    let (case, number) = radhus_cases::service::create_case_in(&mut tx, s, &n, now).await?;
    store::insert_action_case(&mut tx, t, id, indicator, case, &s.name, now).await?;
    audit::record(
        &mut tx,
        Some(t),
        &Actor::staff(s),
        Event::new("maturity.action_case_created", "maturity_assessment", id)
            .with(serde_json::json!({ "indicator": indicator, "case": case })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((case, number))
}
