//! The office's screening pages: `/admin/val/{id}/ansokningar` (the applications with counts
//! per status and a filter) and one application with the screening form and the
//! population-register check.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_platform::error::Result;
use radhus_platform::identity::permissions::Require;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::web::field::{Field, FormErrors};
use radhus_platform::web::form::{self, Form, PathIds, Query};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::Deserialize;
use uuid::Uuid;

use crate::applications::conflicts::{self, ConflictInput};
use crate::applications::{self, Detail, ListLine, ScreenInput};
use crate::structure::store::ElectionRow;
use crate::support::office::Office;
use crate::support::view;
use crate::support::web::see_other;

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/val/{id}/ansokningar", get_list)
        .get("/admin/val/{id}/ansokningar/{person}", get_detail)
        .post("/admin/val/{id}/ansokningar/{person}/bedomning", post_screen)
        .post("/admin/val/{id}/ansokningar/{person}/folkbokforing", post_register)
        .post("/admin/val/{id}/ansokningar/{person}/konflikter", post_conflict)
        .post("/admin/val/{id}/ansokningar/{person}/konflikter/{other}/ta-bort", post_conflict_remove)
}

/// The message id of a status, a register result or a role.
pub fn status_id(s: &str) -> String {
    format!("el-applications-status-{s}")
}

pub fn register_id(s: &str) -> String {
    format!("el-applications-register-{s}")
}

fn roles_label(ctx: &Ctx, roles: &str) -> String {
    roles.split(',').filter(|r| !r.is_empty()).map(|r| ctx.t(&format!("el-role-{r}"))).collect::<Vec<_>>().join(", ")
}

#[derive(Deserialize, Default)]
struct StatusQuery {
    #[serde(default)]
    status: String,
}

#[derive(Template)]
#[template(path = "elections/applications_list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    counts: Vec<(&'static str, usize)>,
    total: usize,
    lines: Vec<ListLine>,
    status: String,
    /// The public form takes applications today (opened, and the election day not passed).
    open: bool,
}

impl ListPage<'_> {
    fn roles(&self, l: &ListLine) -> String {
        roles_label(self.ctx, &l.line.a.roles_wanted)
    }
    fn status_label(&self, s: &str) -> String {
        self.ctx.t(&status_id(s))
    }
    fn register_label(&self, s: &str) -> String {
        self.ctx.t(&register_id(s))
    }
    fn caption(&self) -> String {
        if self.status.is_empty() {
            self.ctx.t("el-applications-all")
        } else {
            format!("{}: {}", self.ctx.t("el-applications"), self.status_label(&self.status))
        }
    }
}

async fn get_list(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds(id): PathIds<Uuid>,
    Query(q): Query<StatusQuery>,
) -> Result<Response> {
    let l = applications::list(&st.db, &o.0, id, Some(&q.status), st.now()).await?;
    let total = l.counts.iter().map(|(_, n)| n).sum();
    let open = l.election.takes_applications(radhus_kernel::tz::stockholm(st.now()).date());
    render(&ListPage { ctx: &ctx, e: l.election, counts: l.counts, total, lines: l.lines, status: q.status.trim().to_string(), open })
}

#[derive(Template)]
#[template(path = "elections/applications_detail.html")]
struct DetailPage<'a> {
    ctx: &'a Ctx,
    d: Detail,
    age: Option<i32>,
    f: ScreenInput,
    conflict: ConflictInput,
    /// A refused screening or conflict: the summary linked to the fields, the message at each.
    errors: FormErrors,
}

impl DetailPage<'_> {
    fn remove_label(&self, name: &str) -> String {
        self.ctx.tr.t1("el-conflicts-remove-label", "name", name)
    }
    fn chosen(&self, id: &Uuid) -> bool {
        self.conflict.other == id.to_string()
    }
    fn roles(&self) -> String {
        roles_label(self.ctx, &self.d.application.roles_wanted)
    }
    fn role_label(&self, r: &str) -> String {
        self.ctx.t(&format!("el-role-{r}"))
    }
    fn status_label(&self) -> String {
        self.ctx.t(&status_id(&self.d.application.status))
    }
    fn register_label(&self) -> String {
        self.ctx.t(&register_id(&self.d.application.register_status))
    }
    fn when(&self, t: &Option<time::OffsetDateTime>) -> String {
        t.map(|t| format!("{} {}", view::date(t.date()), view::hm(t.time()))).unwrap_or_else(|| "–".into())
    }
    fn received(&self) -> String {
        self.when(&Some(self.d.application.created_at))
    }
    fn shift_label(&self, s: &crate::structure::store::ShiftRow) -> String {
        crate::structure::labels::shift_in(&self.ctx.tr, s)
    }
    fn day(&self) -> String {
        view::date(self.d.election.election_day)
    }
    /// The register's name when it differs from the one the applicant wrote.
    fn register_name_differs(&self) -> Option<String> {
        self.d.application.register_name.clone().filter(|n| n.to_lowercase() != self.d.person.name().to_lowercase())
    }
    /// What a form-only applicant typed next to the register's values: (label, typed, register,
    /// differs). Empty for an e-ID application.
    fn stated(&self) -> Vec<(String, String, String, bool)> {
        let (a, p) = (&self.d.application, &self.d.person);
        let Some(given) = &a.form_given_name else { return vec![] };
        let join = |x: &[&Option<String>]| x.iter().filter_map(|v| v.as_deref()).filter(|v| !v.is_empty()).collect::<Vec<_>>().join(" ");
        let typed = [
            ("field-name", format!("{} {}", given, a.form_family_name.as_deref().unwrap_or_default()).trim().to_string(), p.name()),
            ("field-email", a.form_email.clone().unwrap_or_default(), p.email.clone()),
            ("field-applicant_phone", a.form_phone.clone().unwrap_or_default(), p.phone.clone()),
            ("field-address", a.form_address.clone().unwrap_or_default(), p.address.clone()),
            (
                "el-applications-stated-postal",
                join(&[&a.form_postal_code, &a.form_city]),
                format!("{} {}", p.postal_code, p.city).trim().to_string(),
            ),
        ];
        typed
            .into_iter()
            .map(|(label, t, r)| {
                let differs = t.trim().to_lowercase() != r.trim().to_lowercase();
                let dash = |x: String| if x.trim().is_empty() { "–".to_string() } else { x };
                (self.ctx.t(label), dash(t), dash(r), differs)
            })
            .collect()
    }
    fn blocked(&self) -> bool {
        self.d.application.candidate && self.d.election.candidate_policy == "block"
    }
    fn checked(&self, k: &str) -> bool {
        if self.f.decision.is_empty() { self.d.application.status == k } else { self.f.decision == k }
    }
    /// The screening: the decision and its reason.
    fn screen_fields(&self) -> Vec<Field> {
        let (ctx, e) = (self.ctx, &self.errors);
        let decisions =
            ["accepted", "reserve", "rejected"].iter().map(|k| (k.to_string(), ctx.t(&status_id(k)), self.checked(k))).collect();
        vec![
            Field::new(ctx, "decision", "el-applications-decision").kind("radios").options(decisions, "").errors(e),
            Field::new(ctx, "reason", "field-reason")
                .kind("textarea")
                .hint(ctx.t("el-applications-reason-hint"))
                .value(self.f.reason.clone())
                .errors(e),
        ]
    }
    /// A new conflict: the other applicant and the reason. Their problems are reported as
    /// `conflict_other` and `conflict_reason` (the ids), the posted names are `other` and `reason`.
    fn conflict_fields(&self) -> Vec<Field> {
        let (ctx, e) = (self.ctx, &self.errors);
        let choices = self
            .d
            .conflict_choices
            .iter()
            .map(|c| (c.id.to_string(), format!("{}, {}", c.family_name, c.given_name), self.chosen(&c.id)))
            .collect();
        let mut other = Field::new(ctx, "conflict_other", "field-conflict_other").kind("select").options(choices, "–").errors(e);
        other.name = "other".into();
        let mut reason =
            Field::new(ctx, "conflict_reason", "field-conflict_reason").optional().value(self.conflict.reason.clone()).errors(e);
        reason.name = "reason".into();
        vec![other, reason]
    }
}

async fn detail_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    person: Uuid,
    posted: Posted,
    errors: FormErrors,
) -> Result<Response> {
    let d = applications::detail(&st.db, s, id, person, st.now()).await?;
    let age = d.person.birth_date.map(|b| radhus_kernel::personnummer::age_on(b, d.election.election_day));
    let f = posted.screen.unwrap_or_else(|| ScreenInput { decision: String::new(), reason: d.application.reason.clone() });
    render(&DetailPage { ctx, d, age, f, conflict: posted.conflict.unwrap_or_default(), errors })
}

/// The form that was posted and refused, shown again with its values.
#[derive(Default)]
struct Posted {
    screen: Option<ScreenInput>,
    conflict: Option<ConflictInput>,
}

async fn get_detail(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, person)): PathIds<(Uuid, Uuid)>,
) -> Result<Response> {
    detail_page(&st, &ctx, &o.0, id, person, Posted::default(), FormErrors::none()).await
}

async fn post_screen(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, person)): PathIds<(Uuid, Uuid)>,
    Form(f): Form<ScreenInput>,
) -> Result<Response> {
    let s = o.0;
    let r = async {
        applications::screen(&st.db, &s, id, person, &f, st.now()).await?;
        Ok(format!("/admin/val/{id}/ansokningar/{person}"))
    }
    .await;
    form::submit_fields(&ctx, r, |errors| {
        detail_page(&st, &ctx, &s, id, person, Posted { screen: Some(f.clone()), conflict: None }, errors)
    })
    .await
}

async fn post_register(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, person)): PathIds<(Uuid, Uuid)>,
) -> Result<Response> {
    let s = o.0;
    let kommunkod = ctx.require_tenant()?.kommunkod.clone();
    let r = async {
        applications::check_register(&st.db, st.register.as_ref(), &s, &kommunkod, id, person, st.now()).await?;
        Ok(format!("/admin/val/{id}/ansokningar/{person}#folkbokforing"))
    }
    .await;
    form::submit_fields(&ctx, r, |errors| detail_page(&st, &ctx, &s, id, person, Posted::default(), errors)).await
}

async fn post_conflict(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    PathIds((id, person)): PathIds<(Uuid, Uuid)>,
    Form(f): Form<ConflictInput>,
) -> Result<Response> {
    let s = o.0;
    let r = async {
        conflicts::add(&st.db, &s, id, person, &f, st.now()).await?;
        Ok(format!("/admin/val/{id}/ansokningar/{person}#konflikter"))
    }
    .await;
    form::submit_fields(&ctx, r, |errors| {
        detail_page(&st, &ctx, &s, id, person, Posted { screen: None, conflict: Some(f.clone()) }, errors)
    })
    .await
}

async fn post_conflict_remove(
    State(st): State<AppState>,
    o: Require<Office>,
    PathIds((id, person, other)): PathIds<(Uuid, Uuid, Uuid)>,
) -> Result<Response> {
    conflicts::remove(&st.db, &o.0, id, person, other, st.now()).await?;
    see_other(format!("/admin/val/{id}/ansokningar/{person}#konflikter"))
}
