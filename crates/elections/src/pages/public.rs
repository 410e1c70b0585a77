//! The public web part of the election work on the municipality's host: the start page
//! `/valarbete`, the information pages `/valarbete/sida/{slug}` and the application form
//! `/valarbete/ansok/{election}` with its receipt; and the office's editor of the information
//! pages under `/admin/val/webb`.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use radhus_platform::audit::Actor;
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, FieldError, Result};
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
use crate::structure::store::{self, ElectionRow, StationRow};
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
    years: Vec<i32>,
    roles: [&'static str; 3],
    f: ApplyInput,
    eid: Option<EidPerson>,
    /// A refused application: the summary, each problem linked to the field that shows it.
    errors: FormErrors,
    /// Given name, family name and personnummer, typed in (none with e-ID: read from it).
    about: Vec<Field>,
    /// E-mail, phone, address, postal code and city.
    contact: Vec<Field>,
    languages: Field,
    roles_field: Field,
    /// The wished stations (a fieldset of selects written by the page): its first select's id,
    /// its label in the summary and its message.
    wishes: Field,
    shifts_field: Field,
    /// The experience (a select per earlier year, written by the page), as `wishes`.
    experience: Field,
    candidate: Field,
    message: Field,
    /// The consent checkbox (written by the page, described by the GDPR text), as `wishes`.
    consent: Field,
    /// The municipality's minimum age on the election day.
    min_age: i32,
    /// The form takes applications today.
    open: bool,
}

impl ApplyPage<'_> {
    fn day(&self) -> String {
        view::date(self.e.election_day)
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

/// "skriv …" → "Skriv …": the use case's messages are written to follow a label; at a field
/// and in the summary they start a sentence.
fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The problems of a refused application: each placed at the field the page posts it from
/// (the use case's `applicant_given_name` is the field `given_name` with id `a-given`), one per
/// field (the first one found is the one to fix first), every message starting with a capital.
fn apply_errors(ctx: &Ctx, e: &Error, first_year: &str) -> FormErrors {
    let mut errors = FormErrors::of(ctx, e).place(&[
        ("applicant_given_name", "given_name", "a-given"),
        ("applicant_family_name", "family_name", "a-family"),
        ("applicant_pnr", "pnr", "a-pnr"),
        ("email", "email", "a-email"),
        ("applicant_phone", "phone", "a-phone"),
        ("address", "address", "a-address"),
        ("applicant_postal_code", "postal_code", "a-zip"),
        ("applicant_city", "city", "a-city"),
        ("language", "languages", "a-lang"),
        ("role", "roles", "a-role"),
        ("applicant_stations", "stations", "a-station1"),
        ("shift", "shifts", "a-shift"),
        ("applicant_experience", "experience", first_year),
        ("applicant_candidate", "candidate", "a-candidate"),
        ("applicant_message", "message", "a-message"),
        ("applicant_consent", "consent", "a-consent"),
    ]);
    let mut seen = std::collections::HashSet::new();
    errors.entries.retain(|x| x.field == FieldError::FORM || seen.insert(x.field.clone()));
    for x in errors.entries.iter_mut() {
        x.message = capital(&x.message);
        x.summary = capital(&x.summary);
    }
    errors
}

/// The page of the form, with the problems of a refused submission at their fields.
async fn apply_page(st: &AppState, ctx: &Ctx, id: Uuid, f: ApplyInput, refused: Option<&Error>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let (e, mut stations, shifts, min_age) = applications::open_election(&st.db, t, id).await?;
    stations.sort_by(|a, b| a.name.cmp(&b.name));
    let years = applications::experience_years(e.election_day.year());
    let eid = eid_of(st, ctx).await?;
    let first_year = years.first().map(|y| format!("a-exp-{y}")).unwrap_or_default();
    let errors = refused.map(|e| apply_errors(ctx, e, &first_year)).unwrap_or_default();
    let er = &errors;
    let about = match eid {
        Some(_) => vec![],
        None => vec![
            Field::new(ctx, "given_name", "field-applicant_given_name")
                .id("a-given")
                .autocomplete("given-name")
                .value(&f.given_name)
                .errors(er),
            Field::new(ctx, "family_name", "field-applicant_family_name")
                .id("a-family")
                .autocomplete("family-name")
                .value(&f.family_name)
                .errors(er),
            Field::new(ctx, "pnr", "field-applicant_pnr")
                .id("a-pnr")
                .hint(ctx.t("el-public-pnr-hint"))
                .inputmode("numeric")
                .autocomplete("off")
                .value(&f.pnr)
                .errors(er),
        ],
    };
    let contact = vec![
        Field::new(ctx, "email", "field-email").id("a-email").kind("email").optional().autocomplete("email").value(&f.email).errors(er),
        Field::new(ctx, "phone", "field-applicant_phone")
            .id("a-phone")
            .kind("tel")
            .optional()
            .autocomplete("tel")
            .value(&f.phone)
            .errors(er),
        Field::new(ctx, "address", "field-address").id("a-address").autocomplete("street-address").value(&f.address).errors(er),
        Field::new(ctx, "postal_code", "field-applicant_postal_code")
            .id("a-zip")
            .inputmode("numeric")
            .autocomplete("postal-code")
            .value(&f.postal_code)
            .errors(er),
        Field::new(ctx, "city", "field-applicant_city").id("a-city").autocomplete("address-level2").value(&f.city).errors(er),
    ];
    let languages = Field::new(ctx, "languages", "el-public-languages")
        .id("a-lang")
        .optional()
        .hint(ctx.t("el-public-languages-hint"))
        .value(&f.languages)
        .errors(er);
    let role_options = applications::ROLES.iter().map(|r| (r.to_string(), ctx.t(&format!("el-role-{r}")), f.has_role(r))).collect();
    let roles_field = Field::new(ctx, "roles", "el-public-roles")
        .id("a-role")
        .kind("checkboxes")
        .hint(ctx.t("el-public-roles-hint"))
        .options(role_options, "")
        .errors(er);
    let wishes =
        Field::new(ctx, "stations", "el-public-wishes").id("a-station1").optional().hint(ctx.t("el-public-wishes-hint")).errors(er);
    let shift_options =
        shifts.iter().map(|s| (s.id.to_string(), crate::structure::labels::shift_in(&ctx.tr, s), f.has_shift(&s.id))).collect();
    let shifts_field = Field::new(ctx, "shifts", "el-public-shifts")
        .id("a-shift")
        .kind("checkboxes")
        .hint(ctx.t("el-public-shifts-hint"))
        .options(shift_options, "")
        .errors(er);
    let experience = Field::new(ctx, "experience", "el-public-experience")
        .id(&first_year)
        .optional()
        .hint(ctx.t("el-public-experience-hint"))
        .errors(er);
    let candidate_options =
        ["no", "yes"].iter().map(|v| (v.to_string(), ctx.t(&format!("el-public-candidate-{v}")), f.candidate == *v)).collect();
    let candidate = Field::new(ctx, "candidate", "el-public-candidate")
        .id("a-candidate")
        .kind("radios")
        .hint(ctx.t("el-public-candidate-hint"))
        .options(candidate_options, "")
        .errors(er);
    let message = Field::new(ctx, "message", "field-applicant_message")
        .id("a-message")
        .kind("textarea")
        .rows(4)
        .optional()
        .value(&f.message)
        .errors(er);
    let consent = Field::new(ctx, "consent", "field-applicant_consent").id("a-consent").errors(er);
    // The summary heads each problem with the label of the field that shows it.
    let shown: Vec<&Field> = about
        .iter()
        .chain(&contact)
        .chain([&languages, &roles_field, &wishes, &shifts_field, &experience, &candidate, &message, &consent])
        .collect();
    let errors = errors.linked(&shown);
    let open = e.takes_applications(radhus_kernel::tz::stockholm(st.now()).date());
    render(&ApplyPage {
        ctx,
        e,
        stations,
        years,
        roles: applications::ROLES,
        f,
        eid,
        errors,
        about,
        contact,
        languages,
        roles_field,
        wishes,
        shifts_field,
        experience,
        candidate,
        message,
        consent,
        min_age,
        open,
    })
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

#[cfg(test)]
mod tests {
    use super::capital;

    #[test]
    fn a_message_on_its_own_starts_with_a_capital() {
        assert_eq!(capital("skriv ditt efternamn"), "Skriv ditt efternamn");
        assert_eq!(capital("ändra datumet"), "Ändra datumet");
        assert_eq!(capital(""), "");
    }
}
