//! Login pages: staff and operators (password + TOTP), citizens (e-ID), logout, and the
//! user's own account (password change, TOTP enrolment).

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use radhus_kernel::Personnummer;
use serde::Deserialize;

use crate::audit::{self, Actor, Event};
use crate::db::Scope;
use crate::error::{Error, Result};
use crate::identity::citizen::RegisteredPerson;
use crate::identity::login::{self, Outcome};
use crate::identity::session::{self, Principal};
use crate::identity::{operators, password, sso, totp, users};
use crate::outbox::{self, Notice, templates};
use crate::web::cookies::set_cookie;
use crate::web::field::{Field, FormErrors};
use crate::web::form::{self, Form, Query};
use crate::web::pages::render;
use crate::web::redirect::safe_next;
use crate::web::{AppState, Ctx, Routes};

use super::landing::{citizen_logged_in, with_session_cookie};

pub fn routes() -> Routes {
    Routes::new()
        .get("/logga-in", get_login)
        .post("/logga-in", post_login)
        .get("/logga-in/totp", get_totp)
        .post("/logga-in/totp", post_totp)
        .get("/logga-ut", get_logout)
        .post("/logga-ut", post_logout)
        .get("/konto", get_account)
        .post("/konto/losenord", post_password)
        .get("/konto/tvastegsverifiering", get_totp_enrol)
        .post("/konto/tvastegsverifiering", post_totp_enrol)
        .post("/konto/tvastegsverifiering/av", post_totp_disable)
        .get("/e-legitimation", get_eid)
        .get("/e-legitimation/start", crate::identity::oidc::get_start)
        .get("/e-legitimation/callback", crate::identity::oidc::get_callback)
        .merge(crate::identity::sso::routes())
}

/// Only in demo and test mode (see `platform_module`).
pub fn test_eid_routes() -> Routes {
    Routes::new().get("/e-legitimation/test", get_test_eid).post("/e-legitimation/test", post_test_eid)
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    ctx: &'a Ctx,
    next: String,
    email: Field,
    password: Field,
    errors: FormErrors,
    expired: bool,
}

impl<'a> LoginPage<'a> {
    fn new(ctx: &'a Ctx, next: String, email: &str, errors: FormErrors, expired: bool) -> Self {
        Self {
            ctx,
            next,
            email: Field::new(ctx, "email", "field-email").kind("email").autocomplete("username").value(email).errors(&errors),
            password: Field::new(ctx, "password", "field-password").kind("password").autocomplete("current-password").errors(&errors),
            errors,
            expired,
        }
    }
}

#[derive(Deserialize)]
struct LoginQuery {
    next: Option<String>,
    utgangen: Option<String>,
}

async fn get_login(ctx: Ctx, Query(q): Query<LoginQuery>) -> Result<Response> {
    render(&LoginPage::new(&ctx, safe_next(q.next.as_deref()).unwrap_or_default(), "", FormErrors::none(), q.utgangen.is_some()))
}

#[derive(Deserialize)]
struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// A refused login (an unknown account and a wrong password alike, a locked account, too many
/// attempts) is the login page again with the error's one message and status
/// ([`Error::is_form_error`]); `login` decides which, and the page never tells more.
async fn post_login(State(st): State<AppState>, ctx: Ctx, Form(f): Form<LoginForm>) -> Result<Response> {
    let outcome = match ctx.tenant() {
        Some(t) => login::staff(&st, t, &f.email, &f.password, &ctx.client, ctx.tr.lang).await,
        None => login::operator(&st, &f.email, &f.password, &ctx.client, ctx.tr.lang).await,
    };
    let next = safe_next(Some(&f.next)).unwrap_or_else(|| "/admin".into());
    let done = outcome.map(|o| match o {
        Outcome::LoggedIn(token) => with_session_cookie(&st, &next, &token),
        Outcome::TotpRequired(token) => with_session_cookie(&st, &format!("/logga-in/totp{}", next_suffix(&next)), &token),
    });
    form::submit_fields(&ctx, done, |errors| async { render(&LoginPage::new(&ctx, f.next, &f.email, errors, false)) }).await
}

#[derive(Template)]
#[template(path = "login_totp.html")]
struct TotpPage<'a> {
    ctx: &'a Ctx,
    next: String,
    errors: FormErrors,
}

impl TotpPage<'_> {
    fn code(&self) -> Field {
        Field::new(self.ctx, "code", "field-code")
            .hint(self.ctx.t("totp-hint"))
            .inputmode("numeric")
            .autocomplete("one-time-code")
            .errors(&self.errors)
    }
}

async fn get_totp(ctx: Ctx, Query(q): Query<LoginQuery>) -> Result<Response> {
    if ctx.session_token_hash.is_none() {
        return Err(Error::SessionExpired);
    }
    render(&TotpPage { ctx: &ctx, next: safe_next(q.next.as_deref()).unwrap_or_default(), errors: FormErrors::none() })
}

#[derive(Deserialize)]
struct TotpForm {
    code: String,
    #[serde(default)]
    next: String,
}

async fn post_totp(State(st): State<AppState>, ctx: Ctx, Form(f): Form<TotpForm>) -> Result<Response> {
    let hash = ctx.session_token_hash.clone().ok_or(Error::SessionExpired)?;
    let done = match login::complete_totp(&st, &hash, &f.code, &ctx.client).await {
        // A locked account's waiting sessions have ended: there is no code left to type, so
        // this is the error page, not the form again.
        Err(Error::AccountLocked) => return Err(Error::AccountLocked),
        r => r.map(|token| with_session_cookie(&st, &safe_next(Some(&f.next)).unwrap_or_else(|| "/admin".into()), &token)),
    };
    // A wrong code (or too many tries) is a problem of the one field there is to type in.
    form::submit_fields(&ctx, done, |errors| async { render(&TotpPage { ctx: &ctx, next: f.next, errors: errors.on("code") }) }).await
}

#[derive(Template)]
#[template(path = "logout.html")]
struct LogoutPage<'a> {
    ctx: &'a Ctx,
}

async fn get_logout(ctx: Ctx) -> Result<Response> {
    render(&LogoutPage { ctx: &ctx })
}

async fn post_logout(State(st): State<AppState>, ctx: Ctx) -> Result<Response> {
    if let Some(hash) = &ctx.session_token_hash {
        let tenant = ctx.tenant().map(|t| t.id);
        let mut tx = st.db.write(tenant.map(Scope::Tenant).unwrap_or(Scope::Platform)).await?;
        // A citizen's single sign-on session ends on every host (ADR 0017).
        let ended = crate::identity::sso::end_session(&mut tx, hash).await?;
        if let Some(p) = &ctx.principal {
            let ev = Event::new("logout", "session", "-").with(serde_json::json!({ "sessions": ended }));
            audit::record(&mut tx, tenant, &Actor::of(p), ev, st.now()).await?;
        }
        tx.commit().await?;
    }
    let mut r = Redirect::to("/").into_response();
    r.headers_mut().append(header::SET_COOKIE, set_cookie(&st, session::session_cookie(&st.config), "", Some(0), "Lax"));
    // Logged out everywhere: the start page need not ask the platform (and the redirect after
    // this post must stay on this host, the CSP's `form-action 'self'`).
    let probe = crate::identity::sso::probe_cookie(&st.config);
    r.headers_mut().append(header::SET_COOKIE, set_cookie(&st, probe, "1", Some(crate::identity::sso::PROBE_MAX_AGE), "Lax"));
    Ok(r)
}

/// The logged-in staff user or operator whose own account a page is about.
enum Own {
    Staff(crate::identity::session::StaffUser),
    Operator(radhus_kernel::ids::OperatorId, String),
}

impl Own {
    /// The user's or operator's id, as the session table keeps it.
    fn account_id(&self) -> uuid::Uuid {
        match self {
            Own::Staff(s) => s.user_id.0,
            Own::Operator(id, _) => id.0,
        }
    }
}

fn own(ctx: &Ctx) -> Result<Own> {
    match &ctx.principal {
        Some(Principal::Staff(s)) => Ok(Own::Staff(s.clone())),
        Some(Principal::Operator { id, name }) => Ok(Own::Operator(*id, name.clone())),
        _ if ctx.session_expired => Err(Error::SessionExpired),
        _ => Err(Error::Unauthenticated),
    }
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage<'a> {
    ctx: &'a Ctx,
    totp_enabled: bool,
    message: Option<String>,
    errors: FormErrors,
    current: Field,
    password: Field,
    password_repeat: Field,
    current_off: Field,
}

#[derive(Deserialize)]
struct AccountQuery {
    klart: Option<String>,
}

/// The account page; `errors` are the problems of the form posted to `form` ("password" or
/// "totp-off"), shown at that form's fields.
async fn account_page(st: &AppState, ctx: &Ctx, message: Option<String>, form: &str, errors: FormErrors) -> Result<Response> {
    let totp_enabled = match own(ctx)? {
        Own::Staff(s) => {
            let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
            let c = users::credentials(&mut tx, s.tenant_id, s.user_id).await?;
            tx.commit().await?;
            c.totp_secret.is_some()
        }
        Own::Operator(id, _) => {
            let mut tx = st.db.read(Scope::Platform).await?;
            let c = operators::credentials(&mut tx, id).await?;
            tx.commit().await?;
            c.totp_secret.is_some()
        }
    };
    let none = FormErrors::none();
    let (pw_errors, off_errors) = if form == "totp-off" { (&none, &errors) } else { (&errors, &none) };
    let current = Field::new(ctx, "current", "field-current").kind("password").autocomplete("current-password").errors(pw_errors);
    let password = Field::new(ctx, "password", "field-new-password")
        .kind("password")
        .autocomplete("new-password")
        .hint(ctx.t("password-hint"))
        .errors(pw_errors);
    let password_repeat =
        Field::new(ctx, "password_repeat", "field-password_repeat").kind("password").autocomplete("new-password").errors(pw_errors);
    let current_off =
        Field::new(ctx, "current", "field-current").id("current-off").kind("password").autocomplete("current-password").errors(off_errors);
    let errors = if form == "totp-off" { errors.target("current", "current-off") } else { errors };
    render(&AccountPage { ctx, totp_enabled, message, errors, current, password, password_repeat, current_off })
}

async fn get_account(State(st): State<AppState>, ctx: Ctx, Query(q): Query<AccountQuery>) -> Result<Response> {
    let message = q.klart.map(|k| {
        ctx.t(&format!(
            "account-done-{}",
            if k == "totp" {
                "totp"
            } else if k == "totp-av" {
                "totp-off"
            } else {
                "password"
            }
        ))
    });
    account_page(&st, &ctx, message, "", FormErrors::none()).await
}

#[derive(Deserialize)]
struct PasswordForm {
    current: String,
    password: String,
    password_repeat: String,
}

async fn post_password(State(st): State<AppState>, ctx: Ctx, Form(f): Form<PasswordForm>) -> Result<Response> {
    let who = own(&ctx)?;
    let done = change_password(&st, &ctx, &who, &f).await;
    form::submit_fields(&ctx, done, |errors| account_page(&st, &ctx, None, "password", errors)).await
}

async fn change_password(st: &AppState, ctx: &Ctx, who: &Own, f: &PasswordForm) -> Result<String> {
    password::check_new("password", &f.password, &f.password_repeat)?;
    let now = st.now();
    let new_hash = password::hash(&f.password).await?;
    let (mut tx, tenant) = match who {
        Own::Staff(s) => (st.db.write(Scope::Tenant(s.tenant_id)).await?, Some(s.tenant_id)),
        Own::Operator(..) => (st.db.write(Scope::Platform).await?, None),
    };
    let current_hash = match who {
        Own::Staff(s) => users::credentials(&mut tx, s.tenant_id, s.user_id).await?.password_hash,
        Own::Operator(id, _) => operators::credentials(&mut tx, *id).await?.password_hash,
    };
    if !password::verify(&f.current, &current_hash).await {
        return Err(Error::invalid("current", "err-password-current"));
    }
    let actor = Actor::of_opt(ctx.principal.as_ref(), &ctx.client);
    match who {
        Own::Staff(s) => {
            users::set_password_hash(&mut tx, s.tenant_id, s.user_id, &new_hash).await?;
            let t = ctx.require_tenant()?;
            let when = now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
            let vars = [("name", s.name.as_str()), ("municipality", t.name.as_str()), ("when", when.as_str())];
            let n = Notice { template: &templates::PASSWORD_CHANGED, lang: ctx.tr.lang, to: &s.email, vars: &vars };
            outbox::notify(&mut tx, Some(t.id), &n, now).await?;
            audit::record(&mut tx, tenant, &actor, Event::new("password.changed", "user", s.user_id), now).await?;
        }
        Own::Operator(id, _) => {
            operators::set_password_hash(&mut tx, *id, &new_hash).await?;
            // From the platform host: a message with no municipality.
            let (email, name) = operators::contact(&mut tx, *id).await?;
            let when = now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
            let url = st.config.public_url.trim_end_matches('/');
            let vars = [("name", name.as_str()), ("when", when.as_str()), ("url", url)];
            let n = Notice { template: &templates::OPERATOR_PASSWORD_CHANGED, lang: ctx.tr.lang, to: &email, vars: &vars };
            outbox::notify(&mut tx, None, &n, now).await?;
            audit::record(&mut tx, None, &actor, Event::new("password.changed", "operator", id), now).await?;
        }
    }
    // Whoever held the old password is logged out everywhere but here.
    session::delete_others(&mut tx, who.account_id(), ctx.session_token_hash.as_deref()).await?;
    tx.commit().await?;
    Ok("/konto?klart=losenord".to_string())
}

#[derive(Template)]
#[template(path = "totp_enrol.html")]
struct TotpEnrolPage<'a> {
    ctx: &'a Ctx,
    secret: String,
    url: String,
    errors: FormErrors,
}

impl TotpEnrolPage<'_> {
    fn code(&self) -> Field {
        Field::new(self.ctx, "code", "field-code")
            .hint(self.ctx.t("totp-hint"))
            .inputmode("numeric")
            .autocomplete("one-time-code")
            .errors(&self.errors)
    }
}

async fn get_totp_enrol(ctx: Ctx) -> Result<Response> {
    let who = own(&ctx)?;
    let secret = totp::new_secret();
    enrol_page(&ctx, &who, secret, FormErrors::none())
}

fn enrol_page(ctx: &Ctx, who: &Own, secret: String, errors: FormErrors) -> Result<Response> {
    let account = match who {
        Own::Staff(s) => s.email.clone(),
        Own::Operator(_, name) => name.clone(),
    };
    let url = totp::otpauth_url(&secret, &account, &format!("Rådhus {}", ctx.site_name()))?;
    render(&TotpEnrolPage { ctx, secret, url, errors })
}

#[derive(Deserialize)]
struct EnrolForm {
    secret: String,
    code: String,
}

async fn post_totp_enrol(State(st): State<AppState>, ctx: Ctx, Form(f): Form<EnrolForm>) -> Result<Response> {
    let who = own(&ctx)?;
    let done = enable_totp(&st, &ctx, &who, &f).await;
    form::submit_fields(&ctx, done, |errors| std::future::ready(enrol_page(&ctx, &who, f.secret.clone(), errors.on("code")))).await
}

/// A wrong code at enrolment is bad input (422) with the second step's message, not a failed
/// login: nobody is being logged in.
async fn enable_totp(st: &AppState, ctx: &Ctx, who: &Own, f: &EnrolForm) -> Result<String> {
    let now = st.now();
    let step = totp::check(&f.secret, &f.code, now, None).ok_or_else(|| Error::invalid("code", "err-AUTH-004"))?;
    let actor = Actor::of_opt(ctx.principal.as_ref(), &ctx.client);
    match who {
        Own::Staff(s) => {
            let mut tx = st.db.write(Scope::Tenant(s.tenant_id)).await?;
            users::set_totp(&mut tx, s.tenant_id, s.user_id, Some(&f.secret), Some(step)).await?;
            session::delete_others(&mut tx, s.user_id.0, ctx.session_token_hash.as_deref()).await?;
            audit::record(&mut tx, Some(s.tenant_id), &actor, Event::new("totp.enabled", "user", s.user_id), now).await?;
            tx.commit().await?;
        }
        Own::Operator(id, _) => {
            let mut tx = st.db.write(Scope::Platform).await?;
            operators::set_totp(&mut tx, *id, Some(&f.secret), Some(step)).await?;
            session::delete_others(&mut tx, id.0, ctx.session_token_hash.as_deref()).await?;
            audit::record(&mut tx, None, &actor, Event::new("totp.enabled", "operator", id), now).await?;
            tx.commit().await?;
        }
    }
    Ok("/konto?klart=totp".to_string())
}

#[derive(Deserialize)]
struct DisableForm {
    current: String,
}

async fn post_totp_disable(State(st): State<AppState>, ctx: Ctx, Form(f): Form<DisableForm>) -> Result<Response> {
    let who = own(&ctx)?;
    let done = disable_totp(&st, &ctx, &who, &f).await;
    form::submit_fields(&ctx, done, |errors| account_page(&st, &ctx, None, "totp-off", errors)).await
}

async fn disable_totp(st: &AppState, ctx: &Ctx, who: &Own, f: &DisableForm) -> Result<String> {
    let now = st.now();
    let actor = Actor::of_opt(ctx.principal.as_ref(), &ctx.client);
    let (mut tx, tenant) = match who {
        Own::Staff(s) => (st.db.write(Scope::Tenant(s.tenant_id)).await?, Some(s.tenant_id)),
        Own::Operator(..) => (st.db.write(Scope::Platform).await?, None),
    };
    let hash = match who {
        Own::Staff(s) => users::credentials(&mut tx, s.tenant_id, s.user_id).await?.password_hash,
        Own::Operator(id, _) => operators::credentials(&mut tx, *id).await?.password_hash,
    };
    if !password::verify(&f.current, &hash).await {
        return Err(Error::invalid("current", "err-password-current"));
    }
    match who {
        Own::Staff(s) => users::set_totp(&mut tx, s.tenant_id, s.user_id, None, None).await?,
        Own::Operator(id, _) => operators::set_totp(&mut tx, *id, None, None).await?,
    }
    session::delete_others(&mut tx, who.account_id(), ctx.session_token_hash.as_deref()).await?;
    audit::record(&mut tx, tenant, &actor, Event::new("totp.disabled", "account", actor.id.clone()), now).await?;
    tx.commit().await?;
    Ok("/konto?klart=totp-av".to_string())
}

#[derive(Template)]
#[template(path = "eid.html")]
struct EidPage<'a> {
    ctx: &'a Ctx,
    oidc: bool,
    /// The OIDC provider is the platform's (single sign-on), not the municipality's own.
    platform_oidc: bool,
    test_eid: bool,
    /// `?next=…` (and on the platform host `retur=…`) for the links to the ways of logging in.
    next: String,
    /// The municipality the login returns to (on the platform host).
    returns_to: Option<String>,
}

/// Where a citizen goes after the e-ID login: `?next=` of a local path (a module's page that
/// asked for the login), else the start page.
#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    pub next: Option<String>,
}

/// `?next=…` (URL-encoded) to append to a login address, empty without a (safe) next.
fn next_suffix(next: &str) -> String {
    if next.is_empty() {
        String::new()
    } else {
        format!("?next={}", url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>())
    }
}

/// The e-ID choice. On a municipality's host without its own provider and with single sign-on
/// on, the login happens on the platform host (ADR 0017). On the platform host with a return
/// (`?retur=<host>`), a browser already logged in there is handed back at once.
async fn get_eid(State(st): State<AppState>, ctx: Ctx, Query(q): Query<sso::ReturnQuery>) -> Result<Response> {
    let test_eid = st.config.mode.allows_test_eid();
    match ctx.tenant() {
        Some(t) => {
            let own = t.settings.oidc.is_some();
            let platform_oidc = !own && sso::platform_oidc(&st).await?.is_some();
            if !own && st.config.citizen_sso && (platform_oidc || test_eid) {
                let next = sso::local_next(q.next.as_deref())?;
                return Ok(sso::to_platform(&st, "/e-legitimation", &ctx.host, &next));
            }
            let next = next_suffix(&safe_next(q.next.as_deref()).unwrap_or_default());
            render(&EidPage { ctx: &ctx, oidc: own || platform_oidc, platform_oidc, test_eid, next, returns_to: None })
        }
        None => {
            let next = sso::local_next(q.next.as_deref())?;
            let target = q.target(&st).await?;
            if let Some(to) = &target
                && let Some(group) = sso::platform_group(&st, &ctx).await?
            {
                return sso::hand_back(&st, &group, to, &next).await;
            }
            let oidc = sso::platform_oidc(&st).await?.is_some();
            let (suffix, returns_to) = match &target {
                Some(to) => (sso::return_query(&to.host, &to.state, &next), Some(ctx.municipality_title(&to.tenant.name))),
                None => (next_suffix(if next == "/" { "" } else { &next }), None),
            };
            render(&EidPage { ctx: &ctx, oidc, platform_oidc: oidc, test_eid, next: suffix, returns_to })
        }
    }
}

#[derive(Template)]
#[template(path = "eid_test.html")]
struct TestEidPage<'a> {
    ctx: &'a Ctx,
    persons: Vec<RegisteredPerson>,
    register_name: &'static str,
    pnr: String,
    next: String,
    /// The municipality's host the login returns to (on the platform host), empty if none,
    /// and the browser state that host set.
    retur: String,
    state: String,
    returns_to: Option<String>,
    errors: FormErrors,
}

impl TestEidPage<'_> {
    /// The typed number: optional, a chosen person is used when it is empty.
    fn pnr_field(&self) -> Field {
        Field::new(self.ctx, "pnr", "eid-test-type")
            .optional()
            .hint(self.ctx.t("eid-test-type-hint"))
            .autocomplete("off")
            .value(self.pnr.clone())
            .errors(&self.errors)
    }
}

/// The test e-ID. On a municipality's host with single sign-on on, it is the platform's.
async fn get_test_eid(State(st): State<AppState>, ctx: Ctx, Query(q): Query<sso::ReturnQuery>) -> Result<Response> {
    if ctx.tenant().is_some() && st.config.citizen_sso {
        let next = sso::local_next(q.next.as_deref())?;
        return Ok(sso::to_platform(&st, "/e-legitimation/test", &ctx.host, &next));
    }
    let target = if ctx.is_platform() { q.target(&st).await? } else { None };
    render(&TestEidPage {
        ctx: &ctx,
        persons: st.register.test_persons(),
        register_name: st.register.name(),
        pnr: String::new(),
        next: if target.is_some() { sso::local_next(q.next.as_deref())? } else { safe_next(q.next.as_deref()).unwrap_or_default() },
        retur: target.as_ref().map(|to| to.host.clone()).unwrap_or_default(),
        state: target.as_ref().map(|to| to.state.clone()).unwrap_or_default(),
        returns_to: target.as_ref().map(|to| ctx.municipality_title(&to.tenant.name)),
        errors: FormErrors::none(),
    })
}

#[derive(Deserialize)]
struct TestEidForm {
    #[serde(default)]
    person: String,
    #[serde(default)]
    pnr: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    retur: String,
    #[serde(default)]
    state: String,
}

async fn post_test_eid(State(st): State<AppState>, ctx: Ctx, Form(f): Form<TestEidForm>) -> Result<Response> {
    // A return to a municipality's host (platform host only) is checked before anything is written.
    let target = if ctx.is_platform() {
        sso::ReturnQuery { retur: Some(f.retur.clone()), next: None, state: Some(f.state.clone()) }.target(&st).await?
    } else {
        None
    };
    let next = if target.is_some() { sso::local_next(Some(&f.next))? } else { safe_next(Some(&f.next)).unwrap_or_else(|| "/".into()) };
    // What the page shows again if the number is refused.
    let again = TestEidPage {
        ctx: &ctx,
        persons: st.register.test_persons(),
        register_name: st.register.name(),
        pnr: f.pnr.clone(),
        next: safe_next(Some(&f.next)).unwrap_or_default(),
        retur: target.as_ref().map(|to| to.host.clone()).unwrap_or_default(),
        state: target.as_ref().map(|to| to.state.clone()).unwrap_or_default(),
        returns_to: target.as_ref().map(|to| ctx.municipality_title(&to.tenant.name)),
        errors: FormErrors::none(),
    };
    let done = async {
        let typed = f.pnr.trim();
        let input = if typed.is_empty() { f.person.trim() } else { typed };
        let pnr = Personnummer::parse(input, st.now().date()).map_err(|_| Error::invalid("pnr", "err-pnr"))?;
        let name = st.register.lookup(&pnr).map(|p| p.full_name()).unwrap_or_else(|| ctx.t("test-person"));
        let login = login::citizen(&st, ctx.tenant(), &pnr, &name, "test-eid", ctx.session_token_hash.as_deref()).await?;
        // A form's answer may not redirect to another host (the CSP's `form-action 'self'` also
        // governs redirects after a post): the hand-off to the municipality's host is a page
        // that goes on by itself (a meta refresh, no script) or by its link.
        let r = citizen_logged_in(&st, login, target, &next).await?;
        continue_on_page(&ctx, r)
    }
    .await;
    form::submit_fields(&ctx, done, |errors| std::future::ready(render(&TestEidPage { errors: errors.on("pnr"), ..again }))).await
}

/// Where a citizen's new e-ID session goes: with a return to a municipality's host, a hand-off
/// there (the platform's own session cookie set on the way); else the local page `next`.
#[derive(Template)]
#[template(path = "eid_continue.html")]
struct ContinuePage<'a> {
    ctx: &'a Ctx,
    url: String,
}

/// Turns a redirect to another host into a page that goes there, keeping its cookies; any
/// other answer stays as it is.
fn continue_on_page(ctx: &Ctx, r: Response) -> Result<Response> {
    let to = r.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).filter(|l| l.starts_with("http")).map(str::to_string);
    let Some(url) = to.filter(|_| r.status().is_redirection()) else { return Ok(r) };
    let mut page = render(&ContinuePage { ctx, url })?;
    for c in r.headers().get_all(header::SET_COOKIE) {
        page.headers_mut().append(header::SET_COOKIE, c.clone());
    }
    Ok(page)
}
