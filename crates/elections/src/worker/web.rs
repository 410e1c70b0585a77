//! The poll worker's pages under `/valarbete/mina-sidor` and the e-mail login.

use super::*;
use crate::courses::{self, Enrolled};
use crate::structure::service;
use crate::structure::store::ElectionRow;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use radhus_platform::db::Scope;
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::session::{self};
use radhus_platform::web::download;
use radhus_platform::web::field::{Field, FormErrors};
use radhus_platform::web::form::{self, Form, Query};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

pub fn routes() -> Routes {
    Routes::new()
        .get("/valarbete/mina-sidor", get_home)
        .post("/valarbete/mina-sidor/kurser/anmal", post_enrol)
        .post("/valarbete/mina-sidor/kurser/avboka", post_cancel)
        .get("/valarbete/mina-sidor/kurser.ics", get_ics)
        .get("/valarbete/mina-sidor/forordnande/{file}", get_letter)
        .post("/valarbete/mina-sidor/svar", post_answer)
        .get("/valarbete/mina-sidor/e-post", get_email_login)
        .post("/valarbete/mina-sidor/e-post", post_email_login)
        .get("/valarbete/mina-sidor/lank", get_link)
        .post("/valarbete/mina-sidor/lank", post_link)
}

#[derive(Template)]
#[template(path = "elections/worker_home.html")]
struct HomePage<'a> {
    ctx: &'a Ctx,
    name: String,
    blocks: Vec<ElectionBlock>,
    message: Option<String>,
    /// A refused step: the error summary at the top (issue 18 item 1).
    errors: FormErrors,
}

impl HomePage<'_> {
    fn role_label(&self, r: &str) -> String {
        self.ctx.t(&format!("el-role-{r}"))
    }
    fn app_label(&self, s: &str) -> String {
        self.ctx.t(&format!("el-worker-app-{s}"))
    }
    fn response_label(&self, s: &str) -> String {
        self.ctx.t(&format!("el-worker-response-{s}"))
    }
    fn status_label(&self, s: &str) -> String {
        self.ctx.t(&format!("el-worker-enrolment-{s}"))
    }
    fn day(&self, e: &ElectionRow) -> String {
        crate::support::view::date(e.election_day)
    }
    fn date(&self, d: &time::Date) -> String {
        crate::support::view::date(*d)
    }
    fn stamp(&self, t: &Option<OffsetDateTime>) -> String {
        t.map(|t| {
            let l = radhus_kernel::tz::stockholm(t);
            format!("{} {}", crate::support::view::date(l.date()), crate::support::view::hm(l.time()))
        })
        .unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "elections/worker_gate.html")]
struct GatePage<'a> {
    ctx: &'a Ctx,
    /// 'login', 'unknown', 'email', 'sent', 'link', 'decline'
    state: &'static str,
    token: String,
    email: String,
    decline: Option<DeclineInfo>,
    /// A refused e-mail address or link: the summary linked to the field, the message at it.
    errors: FormErrors,
}

impl GatePage<'_> {
    /// The e-mail address field with its problem, `aria-invalid` and `aria-describedby`.
    fn email_field(&self) -> Field {
        Field::new(self.ctx, "email", "field-email").kind("email").autocomplete("email").value(self.email.clone()).errors(&self.errors)
    }
}

struct DeclineInfo {
    election: Uuid,
    name: String,
    appointed: bool,
}

fn gate<'a>(ctx: &'a Ctx, state: &'static str) -> GatePage<'a> {
    GatePage { ctx, state, token: String::new(), email: String::new(), decline: None, errors: FormErrors::none() }
}

#[derive(Deserialize, Default)]
struct HomeQuery {
    #[serde(default)]
    klart: String,
}

async fn home_page(st: &AppState, ctx: &Ctx, message: Option<String>, errors: FormErrors) -> Result<Response> {
    match visitor(&st.db, ctx).await? {
        Visitor::Anonymous => render(&gate(ctx, "login")),
        Visitor::NotRegistered => render(&gate(ctx, "unknown")),
        Visitor::Worker(me) => {
            let blocks = blocks(&st.db, &ctx.tr, &me, st.now()).await?;
            let name = me.person.name();
            render(&HomePage { ctx, name, blocks, message, errors })
        }
    }
}

async fn get_home(State(st): State<AppState>, ctx: Ctx, Query(q): Query<HomeQuery>) -> Result<Response> {
    let message = match q.klart.as_str() {
        "" => None,
        k @ ("anmald" | "reserv" | "avbokad" | "accepterat" | "avbojt") => Some(ctx.t(&format!("el-worker-done-{k}"))),
        _ => None,
    };
    home_page(&st, &ctx, message, FormErrors::none()).await
}

/// Back to the worker's page, which says what was done.
fn done(k: &str) -> String {
    format!("/valarbete/mina-sidor?klart={k}")
}

async fn post_enrol(State(st): State<AppState>, ctx: Ctx, Form(f): Form<SessionForm>) -> Result<Response> {
    let me = me(&st.db, &ctx).await?;
    let link = courses::worker_link(&st.site_url(&ctx.host));
    let r = async {
        let (e, s) = ids(&f)?;
        match enrol_self(&st.db, &me, e, s, &link, st.now()).await? {
            Enrolled::Place => Ok(done("anmald")),
            Enrolled::Waitlist => Ok(done("reserv")),
        }
    }
    .await;
    form::submit_fields(&ctx, r, |errors| home_page(&st, &ctx, None, errors)).await
}

async fn post_cancel(State(st): State<AppState>, ctx: Ctx, Form(f): Form<SessionForm>) -> Result<Response> {
    let me = me(&st.db, &ctx).await?;
    let link = courses::worker_link(&st.site_url(&ctx.host));
    let r = async {
        let (e, s) = ids(&f)?;
        cancel_self(&st.db, &me, e, s, &link, st.now()).await?;
        Ok(done("avbokad"))
    }
    .await;
    form::submit_fields(&ctx, r, |errors| home_page(&st, &ctx, None, errors)).await
}

#[derive(Deserialize, Default)]
struct AnswerForm {
    #[serde(default)]
    election: String,
    #[serde(default)]
    response: String,
    #[serde(default)]
    confirm: String,
}

async fn post_answer(State(st): State<AppState>, ctx: Ctx, Form(f): Form<AnswerForm>) -> Result<Response> {
    let me = me(&st.db, &ctx).await?;
    let e = Uuid::parse_str(f.election.trim()).map_err(|_| Error::NotFound)?;
    if f.response == "declined" && f.confirm != "ja" {
        // Declining asks first (a page, not a script dialog) — while there is anything to answer.
        let mut tx = st.db.read(Scope::Tenant(me.tenant)).await?;
        let el = service::election_in(&mut tx, me.tenant, e).await?;
        let a = assignment(&mut tx, me.tenant, e, me.person.id).await?;
        tx.commit().await?;
        let Some(a) = a else { return Err(Error::NotFound) };
        if el.is_over(radhus_kernel::tz::stockholm(st.now()).date()) {
            return form::submit_fields(&ctx, Err::<Response, _>(ElectionError::ElectionOver.into()), |errors| {
                home_page(&st, &ctx, None, errors)
            })
            .await;
        }
        let mut page = gate(&ctx, "decline");
        page.decline = Some(DeclineInfo { election: e, name: el.name, appointed: a.appointed_at.is_some() });
        return render(&page);
    }
    let r = async {
        let tenant = ctx.require_tenant()?;
        let office =
            OfficeNotice { email: &tenant.contact_email, staffing_link: format!("{}/admin/val/{e}/bemanning", st.site_url(&ctx.host)) };
        answer(&st.db, &me, e, &f.response, &office, st.now()).await?;
        Ok(done(if f.response == "accepted" { "accepterat" } else { "avbojt" }))
    }
    .await;
    form::submit_fields(&ctx, r, |errors| home_page(&st, &ctx, None, errors)).await
}

async fn get_ics(State(st): State<AppState>, ctx: Ctx) -> Result<Response> {
    let me = me(&st.db, &ctx).await?;
    let body = my_ics(&st.db, &me, &ctx.host, st.now()).await?;
    Ok(download::attachment(body, download::ICS, "mina-utbildningar.ics"))
}

async fn get_letter(State(st): State<AppState>, ctx: Ctx, Path(file): Path<String>) -> Result<Response> {
    let me = me(&st.db, &ctx).await?;
    let e = file.strip_suffix(".pdf").and_then(|x| Uuid::parse_str(x).ok()).ok_or(Error::NotFound)?;
    let bytes = letter(&st.db, &me, e).await?;
    Ok(download::attachment(bytes, download::PDF, &format!("forordnande-{e}.pdf")))
}

async fn email_page(ctx: &Ctx, email: String, errors: FormErrors) -> Result<Response> {
    let mut p = gate(ctx, "email");
    p.email = email;
    p.errors = errors;
    render(&p)
}

async fn get_email_login(ctx: Ctx) -> Result<Response> {
    ctx.require_tenant()?;
    render(&gate(&ctx, "email"))
}

#[derive(Deserialize, Default, Clone)]
struct EmailForm {
    #[serde(default)]
    email: String,
}

async fn post_email_login(State(st): State<AppState>, ctx: Ctx, Form(f): Form<EmailForm>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let key = format!("el-email-login:{}", ctx.client);
    if !radhus_platform::web::rate::allow(&st.db, Some(t), &key, st.config.login_attempts_per_minute, st.now()).await? {
        return Err(Error::RateLimited);
    }
    let r = async {
        send_link(&st.db, t, &f.email, &st.site_url(&ctx.host), st.now()).await?;
        render(&gate(&ctx, "sent"))
    }
    .await;
    form::submit_fields(&ctx, r, |errors| email_page(&ctx, f.email.clone(), errors)).await
}

#[derive(Deserialize, Default)]
struct LinkQuery {
    #[serde(default)]
    t: String,
}

/// The link from the e-mail opens a page with a button: mail scanners that follow links do
/// not use it up.
async fn get_link(ctx: Ctx, Query(q): Query<LinkQuery>) -> Result<Response> {
    ctx.require_tenant()?;
    let mut p = gate(&ctx, "link");
    p.token = q.t;
    render(&p)
}

#[derive(Deserialize, Default)]
struct LinkForm {
    #[serde(default)]
    token: String,
}

async fn post_link(State(st): State<AppState>, ctx: Ctx, Form(f): Form<LinkForm>) -> Result<Response> {
    let t = ctx.require_tenant()?.id;
    let r = async {
        let token = use_link(&st.db, t, &f.token, &st.config, st.now()).await?;
        let mut r = Redirect::to("/valarbete/mina-sidor").into_response();
        r.headers_mut().append(
            header::SET_COOKIE,
            radhus_platform::web::middleware::set_cookie(&st, session::session_cookie(&st.config), &token, None, "Lax"),
        );
        Ok(r)
    }
    .await;
    form::submit_fields(&ctx, r, |errors| email_page(&ctx, String::new(), errors)).await
}
