//! The official memo's pages: starting a case's memo (*Skriv tjänsteskrivelse*,
//! `/admin/arenden/{id}/tjansteskrivelse`), generating a record's memo from its form, and the
//! municipality's template under `/admin/diarier/mallar`.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::Staff;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::web::form::{self, Form, PathIds, Query};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::Deserialize;
use uuid::Uuid;

use super::records::on_record;
use crate::domain::RecordStatus;
use crate::memo::{self, MemoText, NewMemo};
use crate::service::{self, ADMIN};
use crate::store::CaseRow;

pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/admin/arenden/{id}/tjansteskrivelse", get_start)
        .post("/admin/arenden/{id}/tjansteskrivelse", post_start)
        .post("/admin/handlingar/{id}/tjansteskrivelse", post_memo)
        .get("/admin/diarier/mallar", get_template)
        .post("/admin/diarier/mallar", post_template)
}

async fn post_memo(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<MemoText>,
) -> Result<Response> {
    let result = memo::generate(&st.db, &s, id, &f, st.now()).await.map(|_| ());
    on_record(&st, &ctx, &s, id, result, Some(f)).await
}

#[derive(Template)]
#[template(path = "cases/memo_start.html")]
struct StartPage<'a> {
    ctx: &'a Ctx,
    case: CaseRow,
    memo_steps: MemoSteps,
    form: NewMemo,
    errors: Vec<String>,
}

/// The first step of a case's memo: its title and recipient, before the record is made.
async fn start_page(st: &AppState, ctx: &Ctx, s: &StaffUser, case: Uuid, form: Option<NewMemo>, errors: Vec<String>) -> Result<Response> {
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let c = service::readable_case(&mut tx, s, case).await?;
    if !service::may_work_on_records(&mut tx, s, &c).await? {
        return Err(Error::Forbidden);
    }
    tx.commit().await?;
    let form = form.unwrap_or_else(|| NewMemo { title: memo::default_title(&c), correspondent: String::new() });
    render(&StartPage { ctx, case: c, memo_steps: MemoSteps::starting(), form, errors })
}

async fn get_start(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    start_page(&st, &ctx, &s, id, None, vec![]).await
}

async fn post_start(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<NewMemo>,
) -> Result<Response> {
    let done = memo::start(&st.db, &s, id, &f, st.now()).await.map(|record| format!("/admin/handlingar/{record}#memo"));
    form::submit(&ctx, done, |errors| start_page(&st, &ctx, &s, id, Some(f.clone()), errors)).await
}

#[derive(Template)]
#[template(path = "cases/template.html")]
struct TemplatePage<'a> {
    ctx: &'a Ctx,
    source: String,
    own: bool,
    errors: Vec<String>,
    saved: bool,
}

#[derive(Deserialize)]
struct TemplateForm {
    #[serde(default)]
    source: String,
    #[serde(default)]
    action: String,
}

#[derive(Deserialize, Default)]
struct TemplateQuery {
    sparad: Option<String>,
}

async fn get_template(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, Query(q): Query<TemplateQuery>) -> Result<Response> {
    if !s.grants.whole_municipality(ADMIN) {
        return Err(Error::Forbidden);
    }
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let (source, own) = memo::template(&mut tx, s.tenant_id).await?;
    tx.commit().await?;
    render(&TemplatePage { ctx: &ctx, source, own, errors: vec![], saved: q.sparad.is_some() })
}

async fn post_template(State(st): State<AppState>, ctx: Ctx, Staff(s): Staff, Form(f): Form<TemplateForm>) -> Result<Response> {
    let reset = f.action == "reset";
    let outcome = memo::save_template(&st.db, &s, (!reset).then_some(f.source.as_str()), st.now()).await;
    // A template that does not compile is refused with Typst's diagnostic as its message.
    let mut diagnostic = None;
    let done = outcome.and_then(|compiled| {
        compiled.map(|()| "/admin/diarier/mallar?sparad=1".to_string()).map_err(|d| {
            diagnostic = Some(format!("{} {d}", ctx.t("err-template-compile")));
            Error::invalid("source", "err-template-compile")
        })
    });
    form::submit(&ctx, done, |errors| async {
        let errors = diagnostic.map(|d| vec![d]).unwrap_or(errors);
        render(&TemplatePage { ctx: &ctx, source: f.source, own: true, errors, saved: false })
    })
    .await
}

/// Where a memo stands in its workflow, for the step indicator on the memo's pages: write →
/// establish (fastställ) → approval → dispatch, each done, current or still to come, and a
/// sentence saying what to do next.
pub(super) struct MemoSteps {
    /// The Fluent ids of the steps, in order, with their state.
    pub steps: Vec<(&'static str, StepState)>,
    /// The Fluent id of the sentence on what comes next.
    pub next: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StepState {
    Done,
    Current,
    Todo,
}

impl StepState {
    pub fn is_current(&self) -> bool {
        *self == StepState::Current
    }
    /// The Fluent id of the state's word ("Klart", "Nu", "Kvar").
    pub fn label(&self) -> &'static str {
        match self {
            StepState::Done => "memo-step-done",
            StepState::Current => "memo-step-current",
            StepState::Todo => "memo-step-todo",
        }
    }
    /// The tag's colour.
    pub fn color(&self) -> &'static str {
        match self {
            StepState::Done => "success",
            StepState::Current => "info",
            StepState::Todo => "neutral",
        }
    }
}

const STEPS: [&str; 4] = ["memo-step-write", "memo-step-establish", "memo-step-approval", "memo-step-dispatch"];

impl MemoSteps {
    fn at(current: usize, next: &'static str) -> MemoSteps {
        let steps = STEPS
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let state = match i.cmp(&current) {
                    std::cmp::Ordering::Less => StepState::Done,
                    std::cmp::Ordering::Equal => StepState::Current,
                    std::cmp::Ordering::Greater => StepState::Todo,
                };
                (*s, state)
            })
            .collect();
        MemoSteps { steps, next }
    }

    /// Before the record exists: writing is the first step.
    pub fn starting() -> MemoSteps {
        MemoSteps::at(0, "memo-next-start")
    }

    /// A memo's record: `generated` once its PDF exists, `route_open` while approvers decide.
    pub fn of(status: RecordStatus, generated: bool, route_open: bool) -> MemoSteps {
        match status {
            RecordStatus::Drafted | RecordStatus::Registered if !generated => MemoSteps::at(0, "memo-next-write"),
            RecordStatus::Drafted => MemoSteps::at(1, "memo-next-register"),
            RecordStatus::Registered => MemoSteps::at(1, "memo-next-establish"),
            RecordStatus::Established if route_open => MemoSteps::at(2, "memo-next-waiting"),
            RecordStatus::Established => MemoSteps::at(2, "memo-next-approval"),
            RecordStatus::Approved => MemoSteps::at(3, "memo-next-dispatch"),
            RecordStatus::Dispatched => MemoSteps::at(STEPS.len(), "memo-next-done"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn current(s: &MemoSteps) -> Option<&'static str> {
        s.steps.iter().find(|(_, st)| st.is_current()).map(|(id, _)| *id)
    }

    #[test]
    fn the_steps_follow_the_record() {
        assert_eq!(current(&MemoSteps::starting()), Some("memo-step-write"));
        assert_eq!(current(&MemoSteps::of(RecordStatus::Drafted, false, false)), Some("memo-step-write"));
        let registered = MemoSteps::of(RecordStatus::Registered, true, false);
        assert_eq!((current(&registered), registered.next), (Some("memo-step-establish"), "memo-next-establish"));
        assert_eq!(registered.steps[0].1, StepState::Done);
        assert_eq!(MemoSteps::of(RecordStatus::Established, true, true).next, "memo-next-waiting");
        assert_eq!(current(&MemoSteps::of(RecordStatus::Approved, true, false)), Some("memo-step-dispatch"));
        let done = MemoSteps::of(RecordStatus::Dispatched, true, false);
        assert!(done.steps.iter().all(|(_, s)| *s == StepState::Done));
    }
}
