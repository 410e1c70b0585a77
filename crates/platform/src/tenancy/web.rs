//! The platform operator's pages: municipalities, their branding, host names and e-ID.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Response;
use radhus_kernel::ids::TenantId;
use serde::Deserialize;

use crate::audit::{self, Actor, Event};
use crate::db::Scope;
use crate::error::{Error, Result};
use crate::identity::permissions::Operator;
use crate::identity::session::Principal;
use crate::tenancy::{self, OidcSettings, Tenant, TenantInput};
use crate::web::field::{Field, FormErrors};
use crate::web::form::{self, Form, PathIds};
use crate::web::pages::render;
use crate::web::{AppState, Ctx, Routes};

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/kommuner/ny", get_new_tenant)
        .post("/admin/kommuner", post_tenant)
        .get("/admin/kommuner/{id}", get_tenant)
        .post("/admin/kommuner/{id}", post_update_tenant)
        .post("/admin/kommuner/{id}/logotyp", post_logo)
        .post("/admin/kommuner/{id}/e-legitimation", post_oidc)
        .get("/admin/e-legitimation", get_platform_eid)
        .post("/admin/e-legitimation", post_platform_eid)
}

fn operator_actor(op: &Operator) -> Actor {
    Actor::of(&Principal::Operator { id: op.id, name: op.name.clone() })
}

#[derive(Template)]
#[template(path = "admin/operator_index.html")]
struct OperatorIndex<'a> {
    ctx: &'a Ctx,
    tenants: Vec<Tenant>,
    /// The modules' pages for operators (e.g. eBlomlåda's indicator catalogues).
    links: Vec<crate::web::NavLink>,
}

/// `/admin` on the platform host.
pub async fn operator_index(st: AppState, ctx: Ctx) -> Result<Response> {
    if !ctx.is_operator() {
        return Err(if ctx.session_expired { Error::SessionExpired } else { Error::Unauthenticated });
    }
    let mut tx = st.db.read(Scope::Platform).await?;
    let tenants = tenancy::list(&mut tx).await?;
    tx.commit().await?;
    let links = st.links.iter().filter(|l| l.area == crate::web::LinkArea::Operator).cloned().collect();
    render(&OperatorIndex { ctx: &ctx, tenants, links })
}

#[derive(Template)]
#[template(path = "admin/tenant_form.html")]
struct TenantForm<'a> {
    ctx: &'a Ctx,
    tenant: Option<Tenant>,
    errors: FormErrors,
    fields: Vec<Field>,
    logo: Field,
    oidc_fields: Vec<Field>,
}

fn empty_oidc() -> OidcSettings {
    OidcSettings {
        issuer_url: String::new(),
        client_id: String::new(),
        client_secret: String::new(),
        pnr_claim: "personal_identity_number".into(),
    }
}

fn input_of(t: &Tenant) -> TenantInput {
    TenantInput {
        kommunkod: t.kommunkod.clone(),
        name: t.name.clone(),
        slug: t.slug.clone(),
        primary_color: t.primary_color.clone(),
        contact_email: t.contact_email.clone(),
        contact_phone: t.contact_phone.clone(),
        address: t.address.clone(),
        website: t.website.clone(),
        hosts: t.hosts.join("\n"),
    }
}

fn tenant_form(ctx: &Ctx, tenant: Option<Tenant>, form: TenantInput, errors: FormErrors) -> Result<Response> {
    // The secret is never shown again; an empty field keeps it.
    let oidc = tenant.as_ref().and_then(|t| t.settings.oidc.clone()).unwrap_or_else(empty_oidc);
    let e = &errors;
    let fields = vec![
        Field::new(ctx, "name", "field-name").value(form.name).errors(e),
        Field::new(ctx, "kommunkod", "kommunkod").value(form.kommunkod).inputmode("numeric").errors(e),
        Field::new(ctx, "slug", "field-slug").value(form.slug).errors(e),
        Field::new(ctx, "hosts", "field-hosts").kind("textarea").optional().hint(ctx.t("hosts-hint")).value(form.hosts).errors(e),
        Field::new(ctx, "primary_color", "field-primary_color").hint(ctx.t("color-hint")).value(form.primary_color).errors(e),
        Field::new(ctx, "contact_email", "field-contact_email").kind("email").optional().value(form.contact_email).errors(e),
        Field::new(ctx, "contact_phone", "field-contact_phone").kind("tel").optional().value(form.contact_phone).errors(e),
        Field::new(ctx, "address", "field-address").optional().value(form.address).errors(e),
        Field::new(ctx, "website", "field-website").kind("url").optional().value(form.website).errors(e),
    ];
    let logo = Field::new(ctx, "logo", "field-logo").kind("file").accept("image/svg+xml,.svg").errors(e);
    let oidc_fields = vec![
        Field::new(ctx, "issuer_url", "field-issuer_url").kind("url").optional().value(oidc.issuer_url).errors(e),
        Field::new(ctx, "client_id", "field-client_id").optional().autocomplete("off").value(oidc.client_id).errors(e),
        Field::new(ctx, "client_secret", "field-client_secret").kind("password").optional().autocomplete("off").errors(e),
        Field::new(ctx, "pnr_claim", "field-pnr_claim").optional().value(oidc.pnr_claim).errors(e),
    ];
    render(&TenantForm { ctx, tenant, errors, fields, logo, oidc_fields })
}

async fn get_new_tenant(ctx: Ctx, _op: Operator) -> Result<Response> {
    let form = TenantInput { primary_color: "#1f4e79".into(), ..Default::default() };
    tenant_form(&ctx, None, form, FormErrors::none())
}

/// A refused tenant form: the page again with what was typed (see [`form::submit`]).
fn tenant_form_again(ctx: &Ctx, tenant: Option<Tenant>, form: TenantInput, errors: FormErrors) -> std::future::Ready<Result<Response>> {
    std::future::ready(tenant_form(ctx, tenant, form, errors))
}

async fn post_tenant(State(st): State<AppState>, ctx: Ctx, op: Operator, Form(f): Form<TenantInput>) -> Result<Response> {
    let done: Result<String> = async {
        let v = f.validate()?;
        let mut tx = st.db.write(Scope::Platform).await?;
        let id = tenancy::create(&mut tx, &v, st.now()).await?;
        audit::record(
            &mut tx,
            None,
            &operator_actor(&op),
            Event::new("tenant.created", "tenant", id)
                .with(serde_json::json!({ "kommunkod": v.kommunkod, "name": v.name, "hosts": v.hosts })),
            st.now(),
        )
        .await?;
        tx.commit().await?;
        Ok(format!("/admin/kommuner/{id}"))
    }
    .await;
    form::submit_fields(&ctx, done, |errors| tenant_form_again(&ctx, None, f, errors)).await
}

async fn get_tenant(State(st): State<AppState>, ctx: Ctx, _op: Operator, PathIds(id): PathIds<TenantId>) -> Result<Response> {
    let mut tx = st.db.read(Scope::Platform).await?;
    let t = tenancy::get(&mut tx, id).await?;
    tx.commit().await?;
    let form = input_of(&t);
    tenant_form(&ctx, Some(t), form, FormErrors::none())
}

async fn post_update_tenant(
    State(st): State<AppState>,
    ctx: Ctx,
    op: Operator,
    PathIds(id): PathIds<TenantId>,
    Form(f): Form<TenantInput>,
) -> Result<Response> {
    let mut tx = st.db.write(Scope::Platform).await?;
    let existing = tenancy::get(&mut tx, id).await?;
    let done: Result<String> = async {
        let v = f.validate()?;
        tenancy::update(&mut tx, id, &v).await?;
        audit::record(
            &mut tx,
            None,
            &operator_actor(&op),
            Event::new("tenant.updated", "tenant", id)
                .with(serde_json::json!({ "name": v.name, "primary_color": v.primary_color, "hosts": v.hosts })),
            st.now(),
        )
        .await?;
        tx.commit().await?;
        Ok(format!("/admin/kommuner/{id}"))
    }
    .await;
    form::submit_fields(&ctx, done, |errors| tenant_form_again(&ctx, Some(existing), f, errors)).await
}

/// Uploads an SVG logo (multipart; the CSRF token travels in the query string).
async fn post_logo(
    State(st): State<AppState>,
    ctx: Ctx,
    op: Operator,
    PathIds(id): PathIds<TenantId>,
    mut multipart: Multipart,
) -> Result<Response> {
    let mut svg = None;
    while let Some(field) = multipart.next_field().await.map_err(|_| Error::invalid("logo", "err-logo"))? {
        if field.name() == Some("logo") {
            let bytes = field.bytes().await.map_err(|_| Error::TooLarge)?;
            svg = Some(String::from_utf8(bytes.to_vec()).map_err(|_| Error::invalid("logo", "err-logo"))?);
        }
    }
    let mut tx = st.db.write(Scope::Platform).await?;
    let existing = tenancy::get(&mut tx, id).await?;
    let done: Result<String> = async {
        let svg = svg.filter(|s| !s.trim().is_empty());
        match &svg {
            Some(s) => tenancy::validate_logo_svg(s)?,
            None => return Err(Error::invalid("logo", "err-logo")),
        }
        tenancy::set_logo(&mut tx, id, svg.as_deref()).await?;
        audit::record(&mut tx, None, &operator_actor(&op), Event::new("tenant.logo_changed", "tenant", id), st.now()).await?;
        tx.commit().await?;
        Ok(format!("/admin/kommuner/{id}"))
    }
    .await;
    let form = input_of(&existing);
    form::submit_fields(&ctx, done, |errors| tenant_form_again(&ctx, Some(existing), form, errors)).await
}

#[derive(Deserialize)]
struct OidcForm {
    #[serde(default)]
    issuer_url: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
    #[serde(default)]
    pnr_claim: String,
}

/// The checked provider of an OIDC form: None for an empty issuer (turned off); an empty
/// secret keeps the one already stored (`old`).
fn oidc_of(f: &OidcForm, old: Option<&OidcSettings>) -> Result<Option<OidcSettings>> {
    if f.issuer_url.trim().is_empty() {
        return Ok(None);
    }
    let mut errs = vec![];
    let issuer = f.issuer_url.trim().to_string();
    if url::Url::parse(&issuer).map(|u| !matches!(u.scheme(), "https" | "http")).unwrap_or(true) {
        errs.push(crate::error::FieldError::new("issuer_url", "err-url"));
    }
    if f.client_id.trim().is_empty() {
        errs.push(crate::error::FieldError::new("client_id", "err-client-id"));
    }
    let secret = match (f.client_secret.trim(), old) {
        ("", Some(old)) => old.client_secret.clone(),
        ("", None) => {
            errs.push(crate::error::FieldError::new("client_secret", "err-client-secret"));
            String::new()
        }
        (s, _) => s.to_string(),
    };
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    let claim = f.pnr_claim.trim();
    Ok(Some(OidcSettings {
        issuer_url: issuer,
        client_id: f.client_id.trim().to_string(),
        client_secret: secret,
        pnr_claim: if claim.is_empty() { "personal_identity_number".into() } else { claim.to_string() },
    }))
}

#[derive(Template)]
#[template(path = "admin/platform_eid.html")]
struct PlatformEidPage<'a> {
    ctx: &'a Ctx,
    oidc: OidcSettings,
    errors: FormErrors,
    saved: bool,
}

impl PlatformEidPage<'_> {
    /// The provider's fields: an empty issuer turns the provider off, an empty secret keeps
    /// the one stored, an empty claim is the usual one.
    fn fields(&self) -> Vec<Field> {
        let ctx = self.ctx;
        vec![
            Field::new(ctx, "issuer_url", "field-issuer_url").kind("url").optional().value(self.oidc.issuer_url.clone()),
            Field::new(ctx, "client_id", "field-client_id").autocomplete("off").value(self.oidc.client_id.clone()),
            Field::new(ctx, "client_secret", "field-client_secret").kind("password").autocomplete("off"),
            Field::new(ctx, "pnr_claim", "field-pnr_claim").optional().value(self.oidc.pnr_claim.clone()),
        ]
        .into_iter()
        .map(|f| f.errors(&self.errors))
        .collect()
    }
}

fn platform_eid_page(ctx: &Ctx, oidc: Option<OidcSettings>, errors: FormErrors, saved: bool) -> Result<Response> {
    // The secret is never shown again; an empty field keeps it.
    let oidc = oidc.map(|o| OidcSettings { client_secret: String::new(), ..o }).unwrap_or_else(empty_oidc);
    render(&PlatformEidPage { ctx, oidc, errors, saved })
}

#[derive(Deserialize)]
struct SavedQuery {
    #[serde(default)]
    sparat: Option<String>,
}

/// The platform's own citizen e-ID provider (ADR 0017), on the operators' pages.
async fn get_platform_eid(
    State(st): State<AppState>,
    ctx: Ctx,
    _op: Operator,
    crate::web::form::Query(q): crate::web::form::Query<SavedQuery>,
) -> Result<Response> {
    let oidc = crate::identity::sso::platform_oidc(&st).await?;
    platform_eid_page(&ctx, oidc, FormErrors::none(), q.sparat.is_some())
}

/// Sets or (with an empty issuer) removes the platform's OIDC e-ID provider.
async fn post_platform_eid(State(st): State<AppState>, ctx: Ctx, op: Operator, Form(f): Form<OidcForm>) -> Result<Response> {
    use crate::identity::sso;
    let mut tx = st.db.write(Scope::Platform).await?;
    let mut settings = sso::platform_settings(&mut tx).await?;
    let old = settings.oidc.clone();
    let done: Result<String> = async {
        settings.oidc = oidc_of(&f, old.as_ref())?;
        sso::set_platform_settings(&mut tx, &settings, st.now()).await?;
        audit::record(
            &mut tx,
            None,
            &operator_actor(&op),
            Event::new("platform.eid_changed", "platform", "oidc")
                .with(serde_json::json!({ "oidc": settings.oidc.as_ref().map(|o| &o.issuer_url) })),
            st.now(),
        )
        .await?;
        tx.commit().await?;
        Ok("/admin/e-legitimation?sparat=1".to_string())
    }
    .await;
    let typed = OidcSettings {
        issuer_url: f.issuer_url.clone(),
        client_id: f.client_id.clone(),
        client_secret: String::new(),
        pnr_claim: f.pnr_claim.clone(),
    };
    form::submit_fields(&ctx, done, |errors| std::future::ready(platform_eid_page(&ctx, Some(typed), errors, false))).await
}

/// Sets or (with an empty issuer) removes the municipality's OIDC e-ID provider.
async fn post_oidc(
    State(st): State<AppState>,
    ctx: Ctx,
    op: Operator,
    PathIds(id): PathIds<TenantId>,
    Form(f): Form<OidcForm>,
) -> Result<Response> {
    let mut tx = st.db.write(Scope::Platform).await?;
    let t = tenancy::get(&mut tx, id).await?;
    let done: Result<String> = async {
        let mut settings = t.settings.clone();
        settings.oidc = oidc_of(&f, t.settings.oidc.as_ref())?;
        tenancy::set_settings(&mut tx, id, &settings).await?;
        audit::record(
            &mut tx,
            None,
            &operator_actor(&op),
            Event::new("tenant.eid_changed", "tenant", id)
                .with(serde_json::json!({ "oidc": settings.oidc.as_ref().map(|o| &o.issuer_url) })),
            st.now(),
        )
        .await?;
        tx.commit().await?;
        Ok(format!("/admin/kommuner/{id}"))
    }
    .await;
    let form = input_of(&t);
    form::submit_fields(&ctx, done, |errors| tenant_form_again(&ctx, Some(t), form, errors)).await
}
