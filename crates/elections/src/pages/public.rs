//! The public web part of the election work on the municipality's host: the start page
//! `/valarbete`, the information pages `/valarbete/sida/{slug}` and the application form
//! `/valarbete/ansok/{election}` with its receipt; and the office's editor of the information
//! pages under `/admin/val/webb`.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use radhus_platform::audit::Actor;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::Require;
use radhus_platform::identity::session::{Assurance, Principal, StaffUser};
use radhus_platform::web::field::{Field, FormErrors};
use radhus_platform::web::form::{self, Form, PathIds};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::Deserialize;
use uuid::Uuid;

use crate::applications::{self, ApplyInput, EidPerson, Receipt, Submission};
use crate::pages::{self, PageInput, PageRow};
use crate::structure::store::{self, ElectionRow, ShiftRow, StationRow};
use crate::support::fields::Problems;
use crate::support::office::Office;
use crate::support::view;

pub fn routes() -> Routes {
    Routes::new()
        .get("/valarbete", get_start)
        .get("/valarbete/sida/{slug}", get_page)
        .get("/valarbete/ansok/{id}", get_apply)
        .post("/valarbete/ansok/{id}", post_apply)
        .get("/admin/val/webb", get_pages)
        .post("/admin/val/webb", post_page)
        .get("/admin/val/webb/{slug}", get_edit)
        .post("/admin/val/webb/{slug}", post_edit)
        .post("/admin/val/webb/{slug}/ta-bort", post_delete)
        .post("/admin/val/webb/{slug}/flytta", post_move)
}

// ------------------------------------------------------------------ the public start page

#[derive(Template)]
#[template(path = "elections/public_start.html")]
struct StartPage<'a> {
    ctx: &'a Ctx,
    pages: Vec<PageRow>,
    open: Vec<ElectionRow>,
}

impl StartPage<'_> {
    fn day(&self, e: &ElectionRow) -> String {
        view::date(e.election_day)
    }
    fn apply_label(&self, e: &ElectionRow) -> String {
        self.ctx.tr.t1("el-public-apply-to", "election", &e.name)
    }
}

async fn get_start(State(st): State<AppState>, ctx: Ctx) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let pages = pages::pages(&mut tx, t).await?;
    let today = radhus_kernel::tz::stockholm(st.now()).date();
    let open = store::elections(&mut tx, t).await?.into_iter().filter(|e| e.takes_applications(today)).collect();
    tx.commit().await?;
    render(&StartPage { ctx: &ctx, pages, open })
}

#[derive(Template)]
#[template(path = "elections/public_page.html")]
struct InfoPage<'a> {
    ctx: &'a Ctx,
    p: PageRow,
    pages: Vec<PageRow>,
}

async fn get_page(State(st): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let pages = pages::pages(&mut tx, t).await?;
    tx.commit().await?;
    let p = pages.iter().find(|p| p.slug == slug).cloned().ok_or(Error::NotFound)?;
    render(&InfoPage { ctx: &ctx, p, pages })
}

// ------------------------------------------------------------------ the application form

#[derive(Template)]
#[template(path = "elections/public_apply.html")]
struct ApplyPage<'a> {
    ctx: &'a Ctx,
    e: ElectionRow,
    stations: Vec<StationRow>,
    shifts: Vec<ShiftRow>,
    years: Vec<i32>,
    roles: [&'static str; 3],
    f: ApplyInput,
    eid: Option<EidPerson>,
    problems: Problems,
    /// The municipality's minimum age on the election day.
    min_age: i32,
    /// The form takes applications today.
    open: bool,
}

impl ApplyPage<'_> {
    fn day(&self) -> String {
        view::date(self.e.election_day)
    }
    fn shift_label(&self, s: &ShiftRow) -> String {
        crate::structure::labels::shift_in(&self.ctx.tr, s)
    }
    fn role_label(&self, r: &str) -> String {
        self.ctx.t(&format!("el-role-{r}"))
    }
    fn wish_label(&self, n: &usize) -> String {
        self.ctx.t(&format!("el-public-wish-{n}"))
    }
    fn wished(&self, n: &usize, s: &StationRow) -> bool {
        self.f.station(*n) == s.id.to_string()
    }
    fn shift_checked(&self, s: &ShiftRow) -> bool {
        self.f.has_shift(&s.id)
    }
    fn exp(&self, year: &i32, role: &str) -> bool {
        self.f.experience_in(*year) == role
    }
    fn year_label(&self, year: &i32) -> String {
        self.ctx.tr.t1("el-public-experience-year", "year", year)
    }
    fn is_open(&self) -> bool {
        self.open
    }
}

/// The e-ID person when the visitor is logged in as a citizen on this municipality's host
/// with e-ID. A session started with the worker's e-mail link is a citizen session too, but
/// not e-ID: it neither prefills nor identifies the application.
async fn eid_of(st: &AppState, ctx: &Ctx) -> Result<Option<EidPerson>> {
    let Some(here) = ctx.tenant().map(|t| t.id) else { return Ok(None) };
    match &ctx.principal {
        // Only e-ID counts: the session records how the citizen was identified (ADR 0017).
        Some(Principal::Citizen { pnr, name, tenant, assurance: Assurance::Eid, .. }) if tenant.is_none_or(|t| t == here) => {
            Ok(Some(applications::eid_person(st.register.as_ref(), pnr, name)))
        }
        _ => Ok(None),
    }
}

/// The page of the form, with the problems of a refused submission at their fields.
async fn apply_page(st: &AppState, ctx: &Ctx, id: Uuid, f: ApplyInput, refused: Option<&Error>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let (e, mut stations, shifts, min_age) = applications::open_election(&st.db, t, id).await?;
    stations.sort_by(|a, b| a.name.cmp(&b.name));
    let years = applications::experience_years(e.election_day.year());
    let eid = eid_of(st, ctx).await?;
    let first_year = years.first().map(|y| format!("a-exp-{y}")).unwrap_or_default();
    let anchors = [
        ("applicant_given_name", "a-given"),
        ("applicant_family_name", "a-family"),
        ("applicant_pnr", "a-pnr"),
        ("email", "a-email"),
        ("applicant_phone", "a-phone"),
        ("address", "a-address"),
        ("applicant_postal_code", "a-zip"),
        ("applicant_city", "a-city"),
        ("language", "a-lang"),
        ("role", "a-role-rostmottagare"),
        ("applicant_stations", "a-station1"),
        ("shift", "a-shift-1"),
        ("applicant_experience", first_year.as_str()),
        ("applicant_candidate", "a-cand-no"),
        ("applicant_message", "a-message"),
        ("applicant_consent", "a-consent"),
    ];
    let problems = refused.map(|e| Problems::of(ctx, e, &anchors)).unwrap_or_default();
    let open = e.takes_applications(radhus_kernel::tz::stockholm(st.now()).date());
    render(&ApplyPage { ctx, e, stations, shifts, years, roles: applications::ROLES, f, eid, problems, min_age, open })
}

async fn get_apply(State(st): State<AppState>, ctx: Ctx, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    let f = ApplyInput { roles: vec!["rostmottagare".into()], ..Default::default() };
    apply_page(&st, &ctx, id, f, None).await
}

#[derive(Template)]
#[template(path = "elections/public_receipt.html")]
struct ReceiptPage<'a> {
    ctx: &'a Ctx,
    r: Receipt,
}

impl ReceiptPage<'_> {
    fn already_text(&self, d: &time::Date) -> String {
        self.ctx.tr.t1("el-public-already-text", "date", view::date(*d))
    }
}

async fn post_apply(State(st): State<AppState>, ctx: Ctx, PathIds(id): PathIds<Uuid>, Form(f): Form<ApplyInput>) -> Result<Response> {
    let tenant = ctx.require_tenant()?.clone();
    let key = format!("el-apply:{}", ctx.client);
    if !radhus_platform::web::rate::allow(&st.db, Some(tenant.id), &key, st.config.login_attempts_per_minute, st.now()).await? {
        return Err(Error::RateLimited);
    }
    let r = async {
        let sub = Submission {
            tenant: tenant.id,
            kommunkod: &tenant.kommunkod,
            municipality: &ctx.org_title(),
            actor: Actor::of_opt(ctx.principal.as_ref(), &ctx.client),
            eid: eid_of(&st, &ctx).await?,
            site_url: st.site_url(&ctx.host),
        };
        let receipt = applications::apply(&st.db, st.register.as_ref(), &sub, id, &f, st.now()).await?;
        render(&ReceiptPage { ctx: &ctx, r: receipt })
    }
    .await;
    match r {
        Ok(page) => Ok(page),
        Err(e) if e.is_form_error() => {
            let page = apply_page(&st, &ctx, id, f.clone(), Some(&e)).await?;
            Ok(radhus_platform::web::errors::with_error_status(&e, page))
        }
        Err(e) => Err(e),
    }
}

// ------------------------------------------------------------------ the office's editor

#[derive(Template)]
#[template(path = "elections/public_pages.html")]
struct PagesPage<'a> {
    ctx: &'a Ctx,
    pages: Vec<PageRow>,
    f: PageInput,
    preview: Option<String>,
    allowed: String,
    /// A refused page: the summary linked to the fields, the message at each.
    errors: FormErrors,
}

impl PagesPage<'_> {
    fn updated(&self, p: &PageRow) -> String {
        view::date(p.updated_at.date())
    }
    /// The new page's title, address and text.
    fn fields(&self) -> Vec<Field> {
        page_fields(self.ctx, &self.f, &self.allowed, &self.errors, true, 12)
    }
}

fn allowed_tags() -> String {
    pages::ALLOWED_TAGS.iter().map(|t| format!("<{t}>")).collect::<Vec<_>>().join(" ")
}

/// A page's title, its address (only when the page is made) and its text, with ids `p-…`.
fn page_fields(ctx: &Ctx, f: &PageInput, allowed: &str, e: &FormErrors, with_slug: bool, rows: u16) -> Vec<Field> {
    let mut out = vec![Field::new(ctx, "title", "field-title").id("p-title").value(f.title.clone()).errors(e)];
    if with_slug {
        out.push(Field::new(ctx, "slug", "field-slug").id("p-slug").hint(ctx.t("el-public-slug-hint")).value(f.slug.clone()).errors(e));
    }
    out.push(
        Field::new(ctx, "body", "field-body")
            .id("p-body")
            .kind("textarea")
            .rows(rows)
            .hint(format!("{} {allowed}", ctx.t("el-public-body-hint")))
            .value(f.body.clone())
            .errors(e),
    );
    out
}

/// Links the problems of a page's fields to their ids.
fn page_targets(e: FormErrors) -> FormErrors {
    e.target("title", "p-title").target("slug", "p-slug").target("body", "p-body")
}

async fn pages_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    f: PageInput,
    preview: Option<String>,
    errors: FormErrors,
) -> Result<Response> {
    crate::support::office::require_office(s)?;
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let pages = pages::pages(&mut tx, t).await?;
    tx.commit().await?;
    render(&PagesPage { ctx, pages, f, preview, allowed: allowed_tags(), errors: page_targets(errors) })
}

async fn get_pages(State(st): State<AppState>, ctx: Ctx, o: Require<Office>) -> Result<Response> {
    pages_page(&st, &ctx, &o.0, PageInput::default(), None, FormErrors::none()).await
}

async fn post_page(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, Form(f): Form<PageInput>) -> Result<Response> {
    let s = o.0;
    if f.action == "preview" {
        crate::support::office::require_office(&s)?;
        let preview = pages::sanitise(&f.body);
        return pages_page(&st, &ctx, &s, f, Some(preview), FormErrors::none()).await;
    }
    let r = pages::create_page(&st.db, &s, &f, st.now()).await.map(|slug| format!("/admin/val/webb/{slug}"));
    form::submit_fields(&ctx, r, |errors| pages_page(&st, &ctx, &s, f.clone(), None, errors)).await
}

#[derive(Template)]
#[template(path = "elections/public_page_edit.html")]
struct EditPage<'a> {
    ctx: &'a Ctx,
    p: PageRow,
    f: PageInput,
    preview: String,
    previewing: bool,
    allowed: String,
    /// A refused change: the summary linked to the fields, the message at each.
    errors: FormErrors,
}

impl EditPage<'_> {
    /// The page's title and text (its address does not change).
    fn fields(&self) -> Vec<Field> {
        page_fields(self.ctx, &self.f, &self.allowed, &self.errors, false, 16)
    }
}

async fn edit_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    slug: &str,
    f: Option<PageInput>,
    previewing: bool,
    errors: FormErrors,
) -> Result<Response> {
    crate::support::office::require_office(s)?;
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let p = pages::page(&mut tx, t, slug).await?.ok_or(Error::NotFound)?;
    tx.commit().await?;
    let f =
        f.unwrap_or_else(|| PageInput { slug: p.slug.clone(), title: p.title.clone(), body: p.body_html.clone(), action: String::new() });
    let preview = if previewing { pages::sanitise(&f.body) } else { p.body_html.clone() };
    render(&EditPage { ctx, p, f, preview, previewing, allowed: allowed_tags(), errors: page_targets(errors) })
}

async fn get_edit(State(st): State<AppState>, ctx: Ctx, o: Require<Office>, Path(slug): Path<String>) -> Result<Response> {
    edit_page(&st, &ctx, &o.0, &slug, None, false, FormErrors::none()).await
}

async fn post_edit(
    State(st): State<AppState>,
    ctx: Ctx,
    o: Require<Office>,
    Path(slug): Path<String>,
    Form(f): Form<PageInput>,
) -> Result<Response> {
    let s = o.0;
    if f.action == "preview" {
        return edit_page(&st, &ctx, &s, &slug, Some(f), true, FormErrors::none()).await;
    }
    let r = pages::update_page(&st.db, &s, &slug, &f, st.now()).await.map(|()| format!("/admin/val/webb/{slug}"));
    form::submit_fields(&ctx, r, |errors| edit_page(&st, &ctx, &s, &slug, Some(f.clone()), false, errors)).await
}

async fn post_delete(State(st): State<AppState>, o: Require<Office>, Path(slug): Path<String>) -> Result<Response> {
    pages::delete_page(&st.db, &o.0, &slug, st.now()).await?;
    Ok(Redirect::to("/admin/val/webb").into_response())
}

#[derive(Deserialize)]
struct MoveForm {
    #[serde(default)]
    dir: String,
}

async fn post_move(State(st): State<AppState>, o: Require<Office>, Path(slug): Path<String>, Form(f): Form<MoveForm>) -> Result<Response> {
    let up = match f.dir.as_str() {
        "up" => true,
        "down" => false,
        _ => return Err(Error::NotFound),
    };
    pages::move_page(&st.db, &o.0, &slug, up, st.now()).await?;
    Ok(Redirect::to("/admin/val/webb").into_response())
}
