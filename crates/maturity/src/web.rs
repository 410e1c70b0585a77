//! Staff pages of the self-assessment under `/admin/eblomlada` and the operators' catalogue
//! page on the platform host.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use radhus_kernel::ids::UserId;
use radhus_platform::audit::Actor;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::{Operator, Permission, Require, Staff};
use radhus_platform::identity::session::{Principal, StaffUser};
use radhus_platform::web::field::{Field, FormErrors};
use radhus_platform::web::form::{self, Form, PathIds, Query};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes, download};
use serde::Deserialize;
use uuid::Uuid;

use crate::domain::{self, Area, AssessmentId, Indicator, Level, LineProblem, MaturityError, Tally};
use crate::service::{self, AnswerInput, Results};
use crate::store::{self, AnswerRow, Assessment, CatalogueRow, EventRow, Respondent};
use crate::{flower, view};

pub struct MaturityLead;
impl Permission for MaturityLead {
    const KEY: &'static str = service::LEAD;
}
pub struct MaturityAdmin;
impl Permission for MaturityAdmin {
    const KEY: &'static str = service::ADMIN;
}

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/eblomlada", get_assessments)
        .post("/admin/eblomlada", post_assessment)
        .get("/admin/eblomlada/kataloger", get_catalogues)
        .post("/admin/eblomlada/kataloger", post_catalogue)
        .post("/admin/eblomlada/kataloger/mappning", post_mapping)
        .get("/admin/eblomlada/{id}", get_assessment)
        .get("/admin/eblomlada/{id}/omrade/{area}", get_area)
        .post("/admin/eblomlada/{id}/omrade/{area}", post_area)
        .get("/admin/eblomlada/{id}/lamna-in", get_submit)
        .post("/admin/eblomlada/{id}/lamna-in", post_submit)
        .post("/admin/eblomlada/{id}/ateroppna", post_reopen)
        .get("/admin/eblomlada/{id}/publicering", get_public)
        .post("/admin/eblomlada/{id}/publicering", post_public)
        .post("/admin/eblomlada/{id}/respondenter", post_respondent)
        .get("/admin/eblomlada/{id}/resultat", get_results)
        .get("/admin/eblomlada/{id}/blomlada.svg", get_flower_svg)
        .get("/admin/eblomlada/{id}/atgardsplan", get_action_plan)
        .post("/admin/eblomlada/{id}/atgardsplan/arende", post_action_case)
        .get("/admin/eblomlada/{id}/atgardsplan.xlsx", get_action_plan_xlsx)
        .get("/admin/eblomlada/{id}/rapport.pdf", get_report_pdf)
}

/// Any of the module's permissions lets a user in; the service decides what they may do.
fn reader(s: &StaffUser) -> Result<()> {
    if service::may_read(s) { Ok(()) } else { Err(Error::Forbidden) }
}

/// A staff user holding any of the module's permissions (lead, respondent or admin): the
/// extractor of the pages everyone working with the assessment may see.
pub struct MaturityStaff(pub StaffUser);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for MaturityStaff {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Error> {
        let Staff(s) = Staff::from_request_parts(parts, state).await?;
        reader(&s)?;
        Ok(MaturityStaff(s))
    }
}

// ------------------------------------------------------------------ list

#[derive(Template)]
#[template(path = "maturity/list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<(Assessment, Tally)>,
    can_start: bool,
    errors: FormErrors,
    /// The year of a new assessment.
    year: Field,
}

fn own_label(f: &Field) -> (&Field, String) {
    (f, f.label.clone())
}

async fn list_page(st: &AppState, ctx: &Ctx, s: &StaffUser, errors: FormErrors, year: Option<String>) -> Result<Response> {
    reader(s)?;
    let t = s.tenant_id;
    let history = service::history(&st.db, t).await?;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let list = store::assessments(&mut tx, t).await?;
    tx.commit().await?;
    let rows = list
        .into_iter()
        .map(|a| {
            let tally = history.iter().find(|(y, _, _)| *y == a.year).map(|(_, _, s)| s.total.clone()).unwrap_or_default();
            (a, tally)
        })
        .collect();
    let year = Field::new(ctx, "year", "field-year")
        .inputmode("numeric")
        .value(year.unwrap_or_else(|| st.now().year().to_string()))
        .errors(&errors);
    let errors = errors.linked_to(&[own_label(&year)]);
    render(&ListPage { ctx, rows, can_start: service::is_lead(s), errors, year })
}

async fn get_assessments(State(st): State<AppState>, ctx: Ctx, MaturityStaff(s): MaturityStaff) -> Result<Response> {
    list_page(&st, &ctx, &s, FormErrors::none(), None).await
}

#[derive(Deserialize)]
struct StartForm {
    #[serde(default)]
    year: String,
}

async fn post_assessment(State(st): State<AppState>, ctx: Ctx, lead: Require<MaturityLead>, Form(f): Form<StartForm>) -> Result<Response> {
    let s = lead.0;
    let done = async {
        let year = f.year.trim().parse::<i32>().map_err(|_| Error::from(MaturityError::BadYear))?;
        let id = service::start(&st.db, &s, year, None, st.now()).await?;
        Ok(format!("/admin/eblomlada/{id}"))
    }
    .await;
    // A year that is not one or already has an assessment is the year field's problem (the
    // rules keep their codes and statuses).
    let year_problem = matches!(&done, Err(e) if matches!(MaturityError::of(e), Some(MaturityError::BadYear | MaturityError::YearExists)));
    form::submit_fields(&ctx, done, |mut errors| {
        if year_problem {
            for e in &mut errors.entries {
                e.field = "year".into();
            }
        }
        list_page(&st, &ctx, &s, errors, Some(f.year.clone()))
    })
    .await
}

// ------------------------------------------------------------------ one assessment

struct AreaLine {
    area: Area,
    tally: Tally,
    respondent: Option<Respondent>,
    may_answer: bool,
}

#[derive(Template)]
#[template(path = "maturity/assessment.html")]
struct AssessmentPage<'a> {
    ctx: &'a Ctx,
    a: Assessment,
    catalogue_name: String,
    total: Tally,
    areas: Vec<AreaLine>,
    events: Vec<EventRow>,
    unanswered: Vec<Indicator>,
    is_lead: bool,
    is_admin: bool,
    errors: FormErrors,
    /// The respondent form: the area (`#r-area`) and who answers it (`#r-user`).
    r_area: Field,
    r_user: Field,
    /// The reason for reopening a submitted assessment.
    reason: Field,
    /// The name of the area just saved (after the redirect with `?sparat=<area key>`).
    saved: Option<String>,
    /// What was just done to the whole assessment (after the redirect with `?klart=<what>`).
    done: Option<String>,
}

impl AssessmentPage<'_> {
    fn event_label(&self, kind: &str) -> String {
        self.ctx.t(&format!("mat-event-{kind}"))
    }
    fn when(&self, e: &EventRow) -> String {
        view::datetime(&e.at)
    }
    fn status_label(&self) -> String {
        self.ctx.t(&format!("mat-status-{}", self.a.status))
    }
}

async fn assessment_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: AssessmentId,
    q: &SavedQuery,
    errors: FormErrors,
    posted: &Posted,
) -> Result<Response> {
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let a = service::readable(&mut tx, s, id).await?;
    let cat = service::catalogue_of(&mut tx, &a).await?;
    let answers = store::levels(&store::answers(&mut tx, t, id).await?);
    let resp = store::respondents(&mut tx, t, id).await?;
    let events = store::events(&mut tx, t, id).await?;
    let respondents =
        if service::is_lead(s) { store::users_with_any(&mut tx, t, &[service::ANSWER, service::LEAD]).await? } else { vec![] };
    let mut areas = vec![];
    let scores = domain::score(&cat, &answers);
    for ar in &cat.areas {
        areas.push(AreaLine {
            tally: scores.area(&ar.key).map(|x| x.tally.clone()).unwrap_or_default(),
            respondent: resp.iter().find(|r| r.area_key == ar.key).cloned(),
            may_answer: !a.is_submitted() && service::may_answer(&mut tx, s, id, &ar.key).await?,
            area: ar.clone(),
        });
    }
    tx.commit().await?;
    let unanswered = if posted.unanswered { domain::unanswered(&cat, &answers).into_iter().cloned().collect() } else { vec![] };
    // Only a known area's name is shown: the address is typed by anyone.
    let saved = q.sparat.as_deref().and_then(|k| cat.area(k)).map(|a| a.name.clone());
    // Likewise only a known step is named.
    let done = q.klart.as_deref().and_then(Done::parse).map(|d| ctx.t(d.message_key()));
    let area_options = areas.iter().map(|l| (l.area.key.clone(), l.area.name.clone(), l.area.key == posted.area.trim())).collect();
    let r_area = Field::new(ctx, "area", "mat-col-area").id("r-area").kind("select").options(area_options, "").errors(&errors);
    let user_options = respondents.iter().map(|(u, name)| (u.to_string(), name.clone(), u.to_string() == posted.user_id.trim())).collect();
    let r_user = Field::new(ctx, "user_id", "mat-col-respondent")
        .id("r-user")
        .kind("select")
        .options(user_options, ctx.t("mat-lead-answers"))
        .errors(&errors);
    let reason = Field::new(ctx, "reason", "field-reason").kind("textarea").rows(2).value(posted.reason.clone()).errors(&errors);
    let errors = errors.linked_to(&[own_label(&r_area), own_label(&r_user), own_label(&reason)]);
    render(&AssessmentPage {
        saved,
        done,
        ctx,
        catalogue_name: cat.name.clone(),
        total: scores.total,
        a,
        areas,
        events,
        unanswered,
        is_lead: service::is_lead(s),
        is_admin: service::is_admin(s),
        errors,
        r_area,
        r_user,
        reason,
    })
}

/// What a refused form of the assessment page posted, shown again in its fields, and whether
/// submitting was refused for unanswered indicators (which the page then lists).
#[derive(Default)]
struct Posted {
    area: String,
    user_id: String,
    reason: String,
    unanswered: bool,
}

#[derive(Deserialize, Default)]
struct SavedQuery {
    /// The key of the area just saved.
    sparat: Option<String>,
    /// The step just taken with the whole assessment ([`Done`]).
    klart: Option<String>,
}

/// A step taken with the whole assessment, named in the address it redirects to so that the
/// page says it was done (issue 18 item 2) and a reload does not repeat it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Done {
    Submitted,
    Published,
    Unpublished,
    Reopened,
    Assigned,
}

impl Done {
    fn param(self) -> &'static str {
        match self {
            Done::Submitted => "inlamnad",
            Done::Published => "publicerad",
            Done::Unpublished => "avpublicerad",
            Done::Reopened => "oppnad",
            Done::Assigned => "besvaras-av",
        }
    }
    fn parse(s: &str) -> Option<Done> {
        [Done::Submitted, Done::Published, Done::Unpublished, Done::Reopened, Done::Assigned].into_iter().find(|d| d.param() == s)
    }
    fn message_key(self) -> &'static str {
        match self {
            Done::Submitted => "mat-done-submitted",
            Done::Published => "mat-done-published",
            Done::Unpublished => "mat-done-unpublished",
            Done::Reopened => "mat-done-reopened",
            Done::Assigned => "mat-done-assigned",
        }
    }
}

async fn get_assessment(
    State(st): State<AppState>,
    ctx: Ctx,
    MaturityStaff(s): MaturityStaff,
    PathIds(id): PathIds<AssessmentId>,
    Query(q): Query<SavedQuery>,
) -> Result<Response> {
    assessment_page(&st, &ctx, &s, id, &q, FormErrors::none(), &Posted::default()).await
}

/// Back to the assessment saying what was done, or its page again with the problem (and, when
/// indicators are still unanswered, the list of them).
/// A missing reason is the reason field's problem (the rule keeps its code and status).
async fn on_assessment<T: form::Submitted>(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: AssessmentId,
    r: Result<T>,
    posted: Posted,
) -> Result<Response> {
    let problem = match &r {
        Err(e) => MaturityError::of(e),
        Ok(_) => None,
    };
    let none = SavedQuery::default();
    let posted = Posted { unanswered: problem == Some(MaturityError::Unanswered), ..posted };
    form::submit_fields(ctx, r, |errors| {
        let errors = if problem == Some(MaturityError::ReasonMissing) { errors.on("reason") } else { errors };
        assessment_page(st, ctx, s, id, &none, errors, &posted)
    })
    .await
}

fn done_at(id: AssessmentId, d: Done) -> String {
    format!("/admin/eblomlada/{id}?klart={}", d.param())
}

/// The confirmation step before submitting or publishing (issue 18 item 3): what will happen,
/// what cannot be undone, the confirm form and the way back.
#[derive(Template)]
#[template(path = "maturity/confirm.html")]
struct ConfirmPage<'a> {
    ctx: &'a Ctx,
    a: Assessment,
    /// `submit` or `publish`: picks the texts and the form's address.
    what: &'static str,
    total: Tally,
}

impl ConfirmPage<'_> {
    fn t(&self, key: &str) -> String {
        self.ctx.tr.t1(&format!("mat-confirm-{}-{key}", self.what), "year", self.a.year)
    }
    fn action(&self) -> String {
        let path = if self.what == "submit" { "lamna-in" } else { "publicering" };
        format!("/admin/eblomlada/{}/{path}", self.a.id)
    }
}

#[derive(Deserialize, Default)]
struct ConfirmForm {
    #[serde(default)]
    confirm: String,
}

async fn submit_confirm_page(st: &AppState, ctx: &Ctx, s: &StaffUser, id: AssessmentId) -> Result<Response> {
    let r = match service::submit_preview(&st.db, s, id).await {
        Ok((a, total)) => render(&ConfirmPage { ctx, a, what: "submit", total }),
        Err(e) => Err(e),
    };
    on_assessment(st, ctx, s, id, r, Posted::default()).await
}

/// Asks before submitting; a draft with unanswered indicators gets its list instead.
async fn get_submit(
    State(st): State<AppState>,
    ctx: Ctx,
    lead: Require<MaturityLead>,
    PathIds(id): PathIds<AssessmentId>,
) -> Result<Response> {
    submit_confirm_page(&st, &ctx, &lead.0, id).await
}

/// Submits when confirmed (`confirm=ja`); otherwise the confirmation page.
async fn post_submit(
    State(st): State<AppState>,
    ctx: Ctx,
    lead: Require<MaturityLead>,
    PathIds(id): PathIds<AssessmentId>,
    Form(f): Form<ConfirmForm>,
) -> Result<Response> {
    if f.confirm != "ja" {
        return submit_confirm_page(&st, &ctx, &lead.0, id).await;
    }
    let r = service::submit(&st.db, &lead.0, id, st.now()).await.map(|()| done_at(id, Done::Submitted));
    on_assessment(&st, &ctx, &lead.0, id, r, Posted::default()).await
}

#[derive(Deserialize)]
struct ReopenForm {
    #[serde(default)]
    reason: String,
}

async fn post_reopen(
    State(st): State<AppState>,
    ctx: Ctx,
    admin: Require<MaturityAdmin>,
    PathIds(id): PathIds<AssessmentId>,
    Form(f): Form<ReopenForm>,
) -> Result<Response> {
    let r = service::reopen(&st.db, &admin.0, id, &f.reason, st.now()).await.map(|()| done_at(id, Done::Reopened));
    on_assessment(&st, &ctx, &admin.0, id, r, Posted { reason: f.reason, ..Posted::default() }).await
}

#[derive(Deserialize)]
struct PublicForm {
    #[serde(default)]
    public: String,
    #[serde(default)]
    confirm: String,
}

/// The page that asks before publishing; an assessment already public goes back to its page.
async fn publish_confirm_page(st: &AppState, ctx: &Ctx, s: &StaffUser, id: AssessmentId) -> Result<Response> {
    if !service::is_lead(s) {
        return Err(Error::Forbidden);
    }
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let a = service::readable(&mut tx, s, id).await?;
    tx.commit().await?;
    if a.public {
        return Ok(axum::response::Redirect::to(&format!("/admin/eblomlada/{id}")).into_response());
    }
    render(&ConfirmPage { ctx, a, what: "publish", total: Tally::default() })
}

async fn get_public(
    State(st): State<AppState>,
    ctx: Ctx,
    lead: Require<MaturityLead>,
    PathIds(id): PathIds<AssessmentId>,
) -> Result<Response> {
    publish_confirm_page(&st, &ctx, &lead.0, id).await
}

/// Publishing needs the confirmation (`confirm=ja`, else the confirmation page); ending the
/// publication does not, since it withdraws rather than exposes.
async fn post_public(
    State(st): State<AppState>,
    ctx: Ctx,
    lead: Require<MaturityLead>,
    PathIds(id): PathIds<AssessmentId>,
    Form(f): Form<PublicForm>,
) -> Result<Response> {
    let public = match (f.public.as_str(), f.confirm.as_str()) {
        ("0", _) => false,
        ("1", "ja") => true,
        // Anything else asks first and changes nothing.
        _ => return publish_confirm_page(&st, &ctx, &lead.0, id).await,
    };
    let done = if public { Done::Published } else { Done::Unpublished };
    let r = service::set_public(&st.db, &lead.0, id, public, st.now()).await.map(|()| done_at(id, done));
    on_assessment(&st, &ctx, &lead.0, id, r, Posted::default()).await
}

#[derive(Deserialize)]
struct RespondentForm {
    #[serde(default)]
    area: String,
    #[serde(default)]
    user_id: String,
}

async fn post_respondent(
    State(st): State<AppState>,
    ctx: Ctx,
    lead: Require<MaturityLead>,
    PathIds(id): PathIds<AssessmentId>,
    Form(f): Form<RespondentForm>,
) -> Result<Response> {
    let r = async {
        let user = match f.user_id.trim() {
            "" => None,
            u => Some(UserId::parse(u).ok_or_else(|| Error::invalid("user_id", "err-mat-respondent"))?),
        };
        service::assign(&st.db, &lead.0, id, &f.area, user, st.now()).await.map(|()| done_at(id, Done::Assigned))
    }
    .await;
    on_assessment(&st, &ctx, &lead.0, id, r, Posted { area: f.area, user_id: f.user_id, ..Posted::default() }).await
}

// ------------------------------------------------------------------ answering an area

struct IndicatorForm {
    ind: Indicator,
    /// The answer: a radio per level, with what other municipalities answered (the published
    /// benchmark of the same year) as its hint.
    level: Field,
    /// The comment, the responsible unit, the planned action, its owner and its due date.
    fields: Vec<Field>,
}

#[derive(Template)]
#[template(path = "maturity/area.html")]
struct AreaPage<'a> {
    ctx: &'a Ctx,
    a: Assessment,
    area: Area,
    items: Vec<IndicatorForm>,
    editable: bool,
    errors: FormErrors,
}

/// From this many indicators an area's page says at the top that nothing is kept until saved.
const MANY_INDICATORS: usize = 8;

impl AreaPage<'_> {
    fn many(&self) -> bool {
        self.items.len() >= MANY_INDICATORS
    }
}

fn empty_answer(id: &str) -> AnswerRow {
    AnswerRow {
        indicator_id: id.to_string(),
        level: 0,
        comment: String::new(),
        responsible_unit: String::new(),
        planned_action: String::new(),
        action_owner: String::new(),
        due_date: None,
    }
}

async fn area_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: AssessmentId,
    area_key: &str,
    posted: Option<&[AnswerInput]>,
    errors: FormErrors,
) -> Result<Response> {
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let a = service::readable(&mut tx, s, id).await?;
    let cat = service::catalogue_of(&mut tx, &a).await?;
    let area = cat.area(area_key).cloned().ok_or(Error::NotFound)?;
    let rows = store::answers(&mut tx, t, id).await?;
    let editable = !a.is_submitted() && service::may_answer(&mut tx, s, id, area_key).await?;
    tx.commit().await?;
    let bench = service::latest_benchmark(&st.db, &cat, a.year).await?;
    let bench_year = bench.as_ref().map(|(y, _)| *y);
    let items = cat
        .indicators_of(area_key)
        .map(|i| {
            // A refused form is shown again with what was typed, not what is stored.
            let (answer, due) = match posted.and_then(|p| p.iter().find(|x| x.indicator_id == i.id)) {
                Some(p) => (
                    AnswerRow {
                        indicator_id: i.id.clone(),
                        level: p.level.trim().parse().unwrap_or(0),
                        comment: p.comment.clone(),
                        responsible_unit: p.responsible_unit.clone(),
                        planned_action: p.planned_action.clone(),
                        action_owner: p.action_owner.clone(),
                        due_date: None,
                    },
                    p.due_date.clone(),
                ),
                None => {
                    let a = rows.iter().find(|r| r.indicator_id == i.id).cloned().unwrap_or_else(|| empty_answer(&i.id));
                    let due = a.due_date.map(|d| d.to_string()).unwrap_or_default();
                    (a, due)
                }
            };
            let others = bench.as_ref().map(|(_, b)| Level::ALL.map(|l| b.share(&i.id, l).unwrap_or(0)));
            indicator_form(ctx, i, &answer, due, others, bench_year, &errors)
        })
        .collect::<Vec<_>>();
    // Each problem names its indicator, since every indicator has the same fields.
    let labelled: Vec<(&Field, String)> = items
        .iter()
        .flat_map(|x| {
            std::iter::once(&x.level)
                .chain(&x.fields)
                .map(|f| (f, ctx.tr.t1("mat-indicator-field", "indicator", &x.ind.id) + " " + &f.label))
        })
        .collect();
    let errors = errors.linked_to(&labelled);
    render(&AreaPage { ctx, a, area, items, editable, errors })
}

/// One indicator's fields, named `<field>_<indicator id>` and with ids `<letter>-<indicator id>`.
fn indicator_form(
    ctx: &Ctx,
    i: &Indicator,
    answer: &AnswerRow,
    due: String,
    others: Option<[i32; 3]>,
    bench_year: Option<i32>,
    errors: &FormErrors,
) -> IndicatorForm {
    let id = &i.id;
    let levels = Level::ALL
        .iter()
        .map(|l| (l.points().to_string(), format!("{} ({})", ctx.t(l.label()), l.points()), answer.level == l.points()))
        .collect();
    let hint = others
        .map(|o| {
            let year = bench_year.map(|y| format!(" {y}")).unwrap_or_default();
            format!(
                "{}{year}: {} % {}, {} % {}, {} % {}",
                ctx.t("mat-others-answered"),
                o[2],
                ctx.t("mat-level-3-short"),
                o[1],
                ctx.t("mat-level-2-short"),
                o[0],
                ctx.t("mat-level-1-short")
            )
        })
        .unwrap_or_default();
    let level = Field::new(ctx, &format!("level_{id}"), "mat-answer-legend")
        .id(&format!("l-{id}"))
        .kind("radios")
        .hint(hint)
        .options(levels, "")
        .errors(errors);
    let text = |name: &str, letter: &str, label: &str, value: &str| {
        Field::new(ctx, &format!("{name}_{id}"), label).id(&format!("{letter}-{id}")).optional().value(value).errors(errors)
    };
    let fields = vec![
        text("comment", "c", "field-answer_comment", &answer.comment).kind("textarea").rows(2),
        text("unit", "u", "field-responsible_unit", &answer.responsible_unit),
        text("action", "a", "field-planned_action", &answer.planned_action).kind("textarea").rows(2),
        text("owner", "o", "field-action_owner", &answer.action_owner),
        text("due", "d", "field-due_date", &due).kind("date"),
    ];
    IndicatorForm { ind: i.clone(), level, fields }
}

async fn get_area(
    State(st): State<AppState>,
    ctx: Ctx,
    MaturityStaff(s): MaturityStaff,
    PathIds((id, area)): PathIds<(AssessmentId, String)>,
) -> Result<Response> {
    area_page(&st, &ctx, &s, id, &area, None, FormErrors::none()).await
}

/// The area form: for each indicator `level_<id>`, `comment_<id>`, `unit_<id>`, `action_<id>`,
/// `owner_<id>`, `due_<id>`.
async fn post_area(
    State(st): State<AppState>,
    ctx: Ctx,
    MaturityStaff(s): MaturityStaff,
    PathIds((id, area)): PathIds<(AssessmentId, String)>,
    Form(f): Form<std::collections::HashMap<String, serde_json::Value>>,
) -> Result<Response> {
    let text = |k: String| match f.get(&k) {
        Some(serde_json::Value::String(v)) => v.clone(),
        Some(serde_json::Value::Array(v)) => v.last().and_then(|x| x.as_str()).unwrap_or("").to_string(),
        _ => String::new(),
    };
    let mut ids: Vec<String> = f.keys().filter_map(|k| k.strip_prefix("level_").map(str::to_string)).collect();
    ids.extend(f.keys().filter_map(|k| k.strip_prefix("comment_").map(str::to_string)));
    ids.sort();
    ids.dedup();
    let inputs: Vec<AnswerInput> = ids
        .into_iter()
        .map(|i| AnswerInput {
            level: text(format!("level_{i}")),
            comment: text(format!("comment_{i}")),
            responsible_unit: text(format!("unit_{i}")),
            planned_action: text(format!("action_{i}")),
            action_owner: text(format!("owner_{i}")),
            due_date: text(format!("due_{i}")),
            indicator_id: i,
        })
        .collect();
    let done = async {
        // Every problem at its indicator's field, all at once, before the use case checks them
        // again with its codes.
        let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
        let a = service::readable(&mut tx, &s, id).await?;
        let stored = store::answers(&mut tx, s.tenant_id, id).await?;
        tx.commit().await?;
        let today = st.now().date();
        let problems = service::answer_problems(&inputs, &stored, a.year >= today.year(), today);
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        service::save_area(&st.db, &s, id, &area, &inputs, st.now()).await.map(|_| format!("/admin/eblomlada/{id}?sparat={area}"))
    }
    .await;
    form::submit_fields(&ctx, done, |errors| area_page(&st, &ctx, &s, id, &area, Some(&inputs), errors)).await
}

// ------------------------------------------------------------------ results

#[derive(Template)]
#[template(path = "maturity/results.html")]
pub struct ResultsPage<'a> {
    pub ctx: &'a Ctx,
    pub r: view::ResultsView,
    pub public_page: bool,
    pub years: Vec<i32>,
}

async fn readable_results(st: &AppState, s: &StaffUser, id: AssessmentId) -> Result<Results> {
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let a = service::readable(&mut tx, s, id).await?;
    tx.commit().await?;
    service::results(&st.db, s.tenant_id, a).await
}

async fn get_results(
    State(st): State<AppState>,
    ctx: Ctx,
    MaturityStaff(s): MaturityStaff,
    PathIds(id): PathIds<AssessmentId>,
) -> Result<Response> {
    let r = readable_results(&st, &s, id).await?;
    let name = ctx.require_tenant()?.name.clone();
    render(&ResultsPage { r: view::ResultsView::new(&ctx, &name, r), ctx: &ctx, public_page: false, years: vec![] })
}

pub fn svg_response(svg: String) -> Response {
    let mut r = svg.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml; charset=utf-8"));
    r.headers_mut().insert("content-security-policy", HeaderValue::from_static("default-src 'none'; sandbox"));
    r
}

async fn get_flower_svg(
    State(st): State<AppState>,
    ctx: Ctx,
    MaturityStaff(s): MaturityStaff,
    PathIds(id): PathIds<AssessmentId>,
) -> Result<Response> {
    let r = readable_results(&st, &s, id).await?;
    let name = ctx.require_tenant()?.name.clone();
    let labels = view::flower_labels(&ctx, &name, &r);
    Ok(svg_response(flower::svg(&r.catalogue, &r.answers, &labels)))
}

// ------------------------------------------------------------------ action plan

#[derive(Template)]
#[template(path = "maturity/actions.html")]
struct ActionsPage<'a> {
    ctx: &'a Ctx,
    a: Assessment,
    /// Each planned action, with the case type to register it as (for a lead who may register
    /// cases, while it is not a case yet).
    actions: Vec<(view::Action, Option<Field>)>,
    /// How many actions are overdue.
    overdue: usize,
    errors: FormErrors,
}

/// The action plan; `refused` is the form (the indicator and the case type chosen) that was
/// refused, whose field takes the problems.
async fn action_plan_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: AssessmentId,
    errors: FormErrors,
    refused: Option<&ActionCaseForm>,
) -> Result<Response> {
    let r = readable_results(st, s, id).await?;
    let mut actions = view::actions(ctx, &r);
    let overdue = view::mark_overdue(&mut actions, st.now().date());
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    for (indicator, case, number) in store::action_cases(&mut tx, s.tenant_id, id).await? {
        if let Some(x) = actions.iter_mut().find(|x| x.indicator == indicator) {
            x.case = Some((case, number));
        }
    }
    let case_types: Vec<(Uuid, String)> = if service::is_lead(s) && s.grants.has_anywhere(radhus_cases::service::REGISTER) {
        radhus_cases::store::case_types(&mut tx, s.tenant_id).await?.into_iter().filter(|c| c.active).map(|c| (c.id, c.name)).collect()
    } else {
        vec![]
    };
    tx.commit().await?;
    let actions: Vec<(view::Action, Option<Field>)> = actions
        .into_iter()
        .map(|x| {
            let field = (x.case.is_none() && !case_types.is_empty()).then(|| {
                let this = refused.filter(|f| f.indicator.trim() == x.indicator);
                let chosen = this.map(|f| f.case_type_id.trim().to_string()).unwrap_or_default();
                let options = case_types.iter().map(|(tid, name)| (tid.to_string(), name.clone(), tid.to_string() == chosen)).collect();
                let e = if this.is_some() { errors.clone() } else { FormErrors::none() };
                Field::new(ctx, "case_type_id", "mat-action-case-type")
                    .id(&format!("ct-{}", x.indicator))
                    .kind("select")
                    .options(options, "")
                    .errors(&e)
            });
            (x, field)
        })
        .collect();
    let errors = errors.linked_to(&actions.iter().filter_map(|(_, f)| f.as_ref()).map(own_label).collect::<Vec<_>>());
    render(&ActionsPage { ctx, a: r.assessment, actions, overdue, errors })
}

async fn get_action_plan(
    State(st): State<AppState>,
    ctx: Ctx,
    MaturityStaff(s): MaturityStaff,
    PathIds(id): PathIds<AssessmentId>,
) -> Result<Response> {
    action_plan_page(&st, &ctx, &s, id, FormErrors::none(), None).await
}

#[derive(serde::Deserialize)]
struct ActionCaseForm {
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    case_type_id: String,
}

/// Makes a planned action a case; back to the action plan, which links the new case.
async fn post_action_case(
    State(st): State<AppState>,
    ctx: Ctx,
    MaturityStaff(s): MaturityStaff,
    PathIds(id): PathIds<AssessmentId>,
    Form(f): Form<ActionCaseForm>,
) -> Result<Response> {
    let done = async {
        let case_type = Uuid::parse_str(f.case_type_id.trim()).map_err(|_| Error::invalid("case_type_id", "mat-err-case-type"))?;
        service::action_to_case(&st.db, &s, id, f.indicator.trim(), case_type, st.now()).await?;
        Ok(format!("/admin/eblomlada/{id}/atgardsplan"))
    }
    .await;
    form::submit_fields(&ctx, done, |errors| action_plan_page(&st, &ctx, &s, id, errors, Some(&f))).await
}

async fn get_action_plan_xlsx(
    State(st): State<AppState>,
    ctx: Ctx,
    MaturityStaff(s): MaturityStaff,
    PathIds(id): PathIds<AssessmentId>,
) -> Result<Response> {
    let r = readable_results(&st, &s, id).await?;
    let name = ctx.require_tenant()?.name.clone();
    let bytes = crate::export::action_plan_xlsx(&ctx, &name, &r)?;
    Ok(download::attachment(bytes, download::XLSX, &format!("åtgärdsplan-{}.xlsx", r.assessment.year)))
}

async fn get_report_pdf(
    State(st): State<AppState>,
    ctx: Ctx,
    MaturityStaff(s): MaturityStaff,
    PathIds(id): PathIds<AssessmentId>,
) -> Result<Response> {
    let r = readable_results(&st, &s, id).await?;
    let name = ctx.require_tenant()?.name.clone();
    let year = r.assessment.year;
    let now = st.now();
    // Typst is CPU-bound: off the async workers.
    let bytes = tokio::task::spawn_blocking(move || crate::report::pdf(&ctx, &name, r, now))
        .await
        .map_err(|e| Error::Internal(format!("report task: {e}")))??;
    Ok(download::inline(bytes, download::PDF, &format!("eblomlada-{year}.pdf")))
}

// ------------------------------------------------------------------ catalogues (operators)

#[derive(Template)]
#[template(path = "maturity/catalogues.html")]
struct CataloguesPage<'a> {
    ctx: &'a Ctx,
    catalogues: Vec<CatalogueRow>,
    mappings: Vec<(String, String, i64)>,
    /// Every problem of a refused file, line by line, shown under the summary.
    problems: Vec<String>,
    errors: FormErrors,
    notice: String,
    /// The catalogue import: version, name and the indicators' CSV.
    version: Field,
    name: Field,
    csv: Field,
    /// The mapping import: from and to version and the mapping's CSV (`#map-csv`).
    from: Field,
    to: Field,
    map_csv: Field,
}

/// The form of the catalogue page that was refused, whose fields take the problems and keep
/// what was posted.
enum Refused<'a> {
    Nothing,
    Catalogue(&'a CatalogueForm),
    Mapping(&'a MappingForm),
}

async fn catalogues_page(
    st: &AppState,
    ctx: &Ctx,
    errors: FormErrors,
    refused: Refused<'_>,
    problems: Vec<String>,
    notice: String,
) -> Result<Response> {
    let mut tx = st.db.read(Scope::Platform).await?;
    let catalogues = store::catalogues(&mut tx).await?;
    let mappings = store::mappings(&mut tx).await?;
    tx.commit().await?;
    let (cat_errors, map_errors) = match refused {
        Refused::Catalogue(_) => (errors.clone(), FormErrors::none()),
        Refused::Mapping(_) => (FormErrors::none(), errors.clone()),
        Refused::Nothing => (FormErrors::none(), FormErrors::none()),
    };
    let (v, n, c) = match refused {
        Refused::Catalogue(f) => (f.version.as_str(), f.name.as_str(), f.csv.as_str()),
        _ => ("", "", ""),
    };
    let (from_v, to_v, map_c) = match refused {
        Refused::Mapping(f) => (f.from.trim(), f.to.trim(), f.csv.as_str()),
        _ => ("", "", ""),
    };
    let versions = |chosen: &str| catalogues.iter().map(|c| (c.version.clone(), c.version.clone(), c.version == chosen)).collect();
    let version = Field::new(ctx, "version", "field-version").hint(ctx.t("mat-version-hint")).value(v).errors(&cat_errors);
    let name = Field::new(ctx, "name", "field-name").value(n).errors(&cat_errors);
    let csv = Field::new(ctx, "csv", "mat-catalogue-csv-label")
        .kind("textarea")
        .rows(8)
        .hint(ctx.t("mat-import-hint"))
        .value(c)
        .errors(&cat_errors);
    let from = Field::new(ctx, "from", "field-from").kind("select").options(versions(from_v), "").errors(&map_errors);
    let to = Field::new(ctx, "to", "field-to").kind("select").options(versions(to_v), "").errors(&map_errors);
    let map_csv = Field::new(ctx, "csv", "mat-mapping-csv-label")
        .id("map-csv")
        .kind("textarea")
        .rows(6)
        .hint(ctx.t("mat-mapping-hint"))
        .value(map_c)
        .errors(&map_errors);
    let errors = errors.linked_to(&[&version, &name, &csv, &from, &to, &map_csv].map(own_label));
    render(&CataloguesPage { ctx, catalogues, mappings, problems, errors, notice, version, name, csv, from, to, map_csv })
}

async fn get_catalogues(State(st): State<AppState>, ctx: Ctx, _op: Operator) -> Result<Response> {
    catalogues_page(&st, &ctx, FormErrors::none(), Refused::Nothing, vec![], String::new()).await
}

fn problem_lines(ctx: &Ctx, problems: &[LineProblem]) -> Vec<String> {
    problems
        .iter()
        .map(|p| {
            let (id, value) = p.message();
            format!("{}: {}", ctx.tr.t1("mat-csv-line", "line", p.line), ctx.tr.t1(id, "value", value))
        })
        .collect()
}

#[derive(Deserialize)]
struct CatalogueForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    csv: String,
}

async fn post_catalogue(State(st): State<AppState>, ctx: Ctx, op: Operator, Form(f): Form<CatalogueForm>) -> Result<Response> {
    let actor = Actor::of(&Principal::Operator { id: op.id, name: op.name.clone() });
    let done = async {
        let n = service::import_catalogue(&st.db, &actor, &f.version, &f.name, &f.csv, st.now()).await?;
        let notice = ctx.tr.t1("mat-catalogue-imported", "count", n as i64);
        catalogues_page(&st, &ctx, FormErrors::none(), Refused::Nothing, vec![], notice).await
    }
    .await;
    // A file with errors is the CSV field's problem, a version that exists the version's (the
    // rules keep their codes and statuses).
    let problem = match &done {
        Err(e) => MaturityError::of(e),
        Ok(_) => None,
    };
    form::submit_fields(&ctx, done, |errors| {
        let errors = match problem {
            Some(MaturityError::BadCatalogue) => errors.on("csv"),
            Some(MaturityError::VersionExists) => errors.on("version"),
            _ => errors,
        };
        // Every problem of the file, line by line, under the summary.
        let problems = match domain::parse_catalogue(&f.version, &f.name, &f.csv) {
            Err(p) => problem_lines(&ctx, &p),
            Ok(_) => vec![],
        };
        catalogues_page(&st, &ctx, errors, Refused::Catalogue(&f), problems, String::new())
    })
    .await
}

#[derive(Deserialize)]
struct MappingForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    csv: String,
}

async fn post_mapping(State(st): State<AppState>, ctx: Ctx, op: Operator, Form(f): Form<MappingForm>) -> Result<Response> {
    let actor = Actor::of(&Principal::Operator { id: op.id, name: op.name.clone() });
    let done = async {
        let n = service::import_mapping(&st.db, &actor, &f.from, &f.to, &f.csv, st.now()).await?;
        let notice = ctx.tr.t1("mat-mapping-imported", "count", n as i64);
        catalogues_page(&st, &ctx, FormErrors::none(), Refused::Nothing, vec![], notice).await
    }
    .await;
    let bad_file = matches!(&done, Err(e) if MaturityError::of(e) == Some(MaturityError::BadMapping));
    form::submit_fields(&ctx, done, |errors| {
        let errors = if bad_file { errors.on("csv") } else { errors };
        mapping_refused(&st, &ctx, &f, errors)
    })
    .await
}

/// The catalogue page again after a refused mapping, with every problem of the file.
async fn mapping_refused(st: &AppState, ctx: &Ctx, f: &MappingForm, errors: FormErrors) -> Result<Response> {
    let mut tx = st.db.read(Scope::Platform).await?;
    let (old, new) = (store::catalogue(&mut tx, f.from.trim()).await?, store::catalogue(&mut tx, f.to.trim()).await?);
    tx.commit().await?;
    let problems = match (old, new) {
        (Some(o), Some(n)) => domain::parse_mapping(&o, &n, &f.csv).err().map(|p| problem_lines(ctx, &p)).unwrap_or_default(),
        _ => vec![],
    };
    catalogues_page(st, ctx, errors, Refused::Mapping(f), problems, String::new()).await
}
