//! The municipality administrator's pages: organisation tree, users, roles,
//! notification templates and the outbox.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use radhus_kernel::Lang;
use radhus_kernel::ids::{OrgUnitId, RoleId, TenantId, UserId};
use serde::Deserialize;
use uuid::Uuid;

use crate::audit::{self, Actor, Event};
use crate::db::{Scope, Tx};
use crate::error::{Error, Result};
use crate::identity::org::{self, OrgUnit, UnitInput, UnitKind};
use crate::identity::password;
use crate::identity::permissions::{self, AdminOrganisation, AdminRoles, AdminSettings, AdminUsers, PermissionDef, Require, Staff};
use crate::identity::roles::{self, Assignment, Role};
use crate::identity::session::{self, StaffUser};
use crate::identity::users::{self, UserInput, UserSummary};
use crate::outbox::{self, Notice, OutboxRow, templates};
use crate::web::field::{Field, FormErrors};
use crate::web::form::{self, Form, PathIds, Query, one_or_many};
use crate::web::pages::render;
use crate::web::{AppState, Ctx, Routes};

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin", get_admin)
        .get("/admin/organisation", get_organisation)
        .post("/admin/organisation", post_organisation)
        .post("/admin/organisation/{id}", post_rename_unit)
        .post("/admin/organisation/{id}/ta-bort", post_delete_unit)
        .get("/admin/anvandare", get_users)
        .get("/admin/anvandare/ny", get_new_user)
        .post("/admin/anvandare", post_user)
        .get("/admin/anvandare/{id}", get_user)
        .post("/admin/anvandare/{id}", post_update_user)
        .post("/admin/anvandare/{id}/las-upp", post_unlock_user)
        .post("/admin/anvandare/{id}/roller", post_assign_role)
        .post("/admin/anvandare/{id}/roller/{assignment}/ta-bort", post_unassign_role)
        .get("/admin/roller", get_roles)
        .post("/admin/roller", post_role)
        .get("/admin/roller/{id}", get_role)
        .post("/admin/roller/{id}", post_update_role)
        .get("/admin/mallar", get_templates)
        .get("/admin/mallar/{key}/{lang}", get_template)
        .post("/admin/mallar/{key}/{lang}", post_template)
        .post("/admin/mallar/{key}/{lang}/aterstall", post_reset_template)
        .get("/admin/utskick", get_outbox)
}

// ---------------------------------------------------------------- dashboard

#[derive(Template)]
#[template(path = "admin/index.html")]
struct AdminIndex<'a> {
    ctx: &'a Ctx,
    links: Vec<crate::web::NavLink>,
}

async fn get_admin(State(st): State<AppState>, ctx: Ctx) -> Result<Response> {
    if ctx.is_platform() {
        return crate::tenancy::web::operator_index(st, ctx).await;
    }
    let Staff(_) = staff_of(&ctx)?;
    let links = st.links_for(&ctx, crate::web::LinkArea::Admin);
    render(&AdminIndex { ctx: &ctx, links })
}

fn staff_of(ctx: &Ctx) -> Result<Staff> {
    match (ctx.staff(), ctx.tenant()) {
        (Some(s), Some(t)) if s.tenant_id == t.id => Ok(Staff(s.clone())),
        _ if ctx.session_expired => Err(Error::SessionExpired),
        _ => Err(Error::Unauthenticated),
    }
}

// ---------------------------------------------------------------- organisation

#[derive(Template)]
#[template(path = "admin/organisation.html")]
struct OrganisationPage<'a> {
    ctx: &'a Ctx,
    units: Vec<OrgUnit>,
    editable: Vec<OrgUnitId>,
    kinds: Vec<(String, String)>,
    errors: FormErrors,
    form: UnitInput,
    refused: UnitRefused,
}

/// Which form of the organisation page was refused: only its fields take the problems.
enum UnitRefused {
    /// None, or the removal of a unit (a problem of the whole page).
    Nothing,
    /// The new unit's form (its values are in the page's `form`).
    New,
    /// A unit's name and code, as posted.
    Rename(OrgUnitId, RenameForm),
}

/// A unit's indented name in a choice of units.
fn indented(u: &OrgUnit) -> String {
    format!("{}{}", "– ".repeat(u.depth), u.name)
}

impl OrganisationPage<'_> {
    fn can_edit(&self, id: &OrgUnitId) -> bool {
        self.editable.contains(id)
    }

    /// Whether the refused form is this unit's (its details are then open).
    fn is_refused(&self, id: &OrgUnitId) -> bool {
        matches!(&self.refused, UnitRefused::Rename(r, _) if r == id)
    }

    /// A unit's name and code, with what was posted if its form was refused.
    fn rename_fields(&self, u: &OrgUnit) -> Vec<Field> {
        let none = FormErrors::none();
        let (name, code, errors) = match &self.refused {
            UnitRefused::Rename(id, f) if *id == u.id => (f.name.clone(), f.code.clone(), &self.errors),
            _ => (u.name.clone(), u.code.clone(), &none),
        };
        vec![
            Field::new(self.ctx, "name", "field-name").id(&format!("name-{}", u.id)).value(name).errors(errors),
            Field::new(self.ctx, "code", "field-code").id(&format!("code-{}", u.id)).optional().value(code).errors(errors),
        ]
    }

    /// The new unit's form, with what was posted if it was refused.
    fn new_fields(&self) -> Vec<Field> {
        let none = FormErrors::none();
        let errors = if matches!(self.refused, UnitRefused::New) { &self.errors } else { &none };
        let kinds = self.kinds.iter().map(|(k, label)| (k.clone(), label.clone(), *k == self.form.kind)).collect();
        let parents = self
            .units
            .iter()
            .filter(|u| self.can_edit(&u.id))
            .map(|u| (u.id.to_string(), indented(u), u.id.to_string() == self.form.parent_id))
            .collect();
        vec![
            Field::new(self.ctx, "name", "field-name").id("new-name").value(self.form.name.clone()).errors(errors),
            Field::new(self.ctx, "kind", "field-kind").id("new-kind").kind("select").options(kinds, "").errors(errors),
            Field::new(self.ctx, "parent_id", "field-parent_id")
                .id("new-parent")
                .kind("select")
                .options(parents, self.ctx.t("org-no-parent"))
                .errors(errors),
            Field::new(self.ctx, "code", "field-code").id("new-code").optional().value(self.form.code.clone()).errors(errors),
        ]
    }
}

/// The units an administrator may change: all, or the subtrees of their grants.
async fn editable_units(tx: &mut Tx, s: &StaffUser, permission: &str, all: &[OrgUnit]) -> Result<Vec<OrgUnitId>> {
    Ok(match s.grants.scopes(permission) {
        None => all.iter().map(|u| u.id).collect(),
        Some(roots) => org::subtree(tx, s.tenant_id, &roots).await?,
    })
}

async fn organisation_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    errors: FormErrors,
    form: UnitInput,
    refused: UnitRefused,
) -> Result<Response> {
    let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
    let units = org::tree(&mut tx, s.tenant_id).await?;
    let editable = editable_units(&mut tx, s, permissions::ADMIN_ORGANISATION, &units).await?;
    tx.commit().await?;
    let kinds = UnitKind::ALL.iter().map(|k| (k.as_str().to_string(), ctx.t(&k.label()))).collect();
    render(&OrganisationPage { ctx, units, editable, kinds, errors, form, refused })
}

async fn get_organisation(State(st): State<AppState>, ctx: Ctx, admin: Require<AdminOrganisation>) -> Result<Response> {
    organisation_page(&st, &ctx, &admin, FormErrors::none(), UnitInput::default(), UnitRefused::Nothing).await
}

async fn post_organisation(
    State(st): State<AppState>,
    ctx: Ctx,
    admin: Require<AdminOrganisation>,
    Form(f): Form<UnitInput>,
) -> Result<Response> {
    let tenant = admin.tenant_id;
    let done: Result<String> = async {
        let v = f.validate()?;
        let mut tx = st.db.write(Scope::Tenant(tenant)).await?;
        // A scoped administrator creates units only inside their subtree, never at the top.
        let allowed = match v.parent {
            Some(p) => admin.grants.allows(permissions::ADMIN_ORGANISATION, &org::path_to_root(&mut tx, tenant, p).await?),
            None => admin.grants.whole_municipality(permissions::ADMIN_ORGANISATION),
        };
        if !allowed {
            return Err(Error::Forbidden);
        }
        let id = org::create(&mut tx, tenant, &v, st.now()).await?;
        audit::record(
            &mut tx,
            Some(tenant),
            &Actor::staff(&admin),
            Event::new("org_unit.created", "org_unit", id).with(serde_json::json!({ "name": v.name, "kind": v.kind.as_str() })),
            st.now(),
        )
        .await?;
        tx.commit().await?;
        Ok("/admin/organisation".into())
    }
    .await;
    form::submit_fields(&ctx, done, |errors| {
        let errors =
            errors.target("name", "new-name").target("kind", "new-kind").target("parent_id", "new-parent").target("code", "new-code");
        organisation_page(&st, &ctx, &admin, errors, f, UnitRefused::New)
    })
    .await
}

#[derive(Deserialize)]
struct RenameForm {
    name: String,
    #[serde(default)]
    code: String,
}

async fn check_unit_scope(tx: &mut Tx, admin: &StaffUser, id: OrgUnitId) -> Result<()> {
    org::get(tx, admin.tenant_id, id).await?;
    let path = org::path_to_root(tx, admin.tenant_id, id).await?;
    if !admin.grants.allows(permissions::ADMIN_ORGANISATION, &path) {
        return Err(Error::Forbidden);
    }
    Ok(())
}

async fn post_rename_unit(
    State(st): State<AppState>,
    ctx: Ctx,
    admin: Require<AdminOrganisation>,
    PathIds(id): PathIds<OrgUnitId>,
    Form(f): Form<RenameForm>,
) -> Result<Response> {
    let tenant = admin.tenant_id;
    let done: Result<String> = async {
        let mut tx = st.db.write(Scope::Tenant(tenant)).await?;
        check_unit_scope(&mut tx, &admin, id).await?;
        org::rename(&mut tx, tenant, id, &f.name, &f.code).await?;
        audit::record(
            &mut tx,
            Some(tenant),
            &Actor::staff(&admin),
            Event::new("org_unit.renamed", "org_unit", id).with(serde_json::json!({ "name": f.name.trim() })),
            st.now(),
        )
        .await?;
        tx.commit().await?;
        Ok("/admin/organisation".into())
    }
    .await;
    form::submit_fields(&ctx, done, |errors| {
        let errors = errors.target("name", &format!("name-{id}")).target("code", &format!("code-{id}"));
        organisation_page(&st, &ctx, &admin, errors, UnitInput::default(), UnitRefused::Rename(id, f))
    })
    .await
}

async fn post_delete_unit(
    State(st): State<AppState>,
    ctx: Ctx,
    admin: Require<AdminOrganisation>,
    PathIds(id): PathIds<OrgUnitId>,
) -> Result<Response> {
    let tenant = admin.tenant_id;
    let done: Result<String> = async {
        let mut tx = st.db.write(Scope::Tenant(tenant)).await?;
        check_unit_scope(&mut tx, &admin, id).await?;
        org::delete(&mut tx, tenant, id).await?;
        audit::record(&mut tx, Some(tenant), &Actor::staff(&admin), Event::new("org_unit.deleted", "org_unit", id), st.now()).await?;
        tx.commit().await?;
        Ok("/admin/organisation".into())
    }
    .await;
    form::submit_fields(&ctx, done, |errors| organisation_page(&st, &ctx, &admin, errors, UnitInput::default(), UnitRefused::Nothing)).await
}

// ---------------------------------------------------------------- users

/// The units whose users an administrator may manage (`None`: all users).
async fn user_scope(tx: &mut Tx, admin: &StaffUser) -> Result<Option<Vec<OrgUnitId>>> {
    Ok(match admin.grants.scopes(permissions::ADMIN_USERS) {
        None => None,
        Some(roots) => Some(org::subtree(tx, admin.tenant_id, &roots).await?),
    })
}

/// Loads a user the administrator may manage; others are "not found" (and logged as such).
async fn managed_user(tx: &mut Tx, admin: &StaffUser, id: UserId) -> Result<UserSummary> {
    let u = users::summary(tx, admin.tenant_id, id).await?;
    if let Some(units) = user_scope(tx, admin).await?
        && !u.org_unit_id.is_some_and(|o| units.contains(&OrgUnitId(o)))
    {
        return Err(Error::NotFound);
    }
    Ok(u)
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage<'a> {
    ctx: &'a Ctx,
    users: Vec<UserSummary>,
    page: i64,
    pages: i64,
    total: i64,
}

#[derive(Deserialize)]
struct PageQuery {
    sida: Option<String>,
}

const PER_PAGE: i64 = 25;

async fn get_users(State(st): State<AppState>, ctx: Ctx, admin: Require<AdminUsers>, Query(q): Query<PageQuery>) -> Result<Response> {
    let page = q.sida.as_deref().and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1);
    let tenant = admin.tenant_id;
    let mut tx = st.db.write(Scope::Tenant(tenant)).await?;
    let scope = user_scope(&mut tx, &admin).await?;
    let (list, total) = users::list(&mut tx, tenant, scope.as_deref(), PER_PAGE, (page - 1) * PER_PAGE).await?;
    audit::record(
        &mut tx,
        Some(tenant),
        &Actor::staff(&admin),
        Event::new("user.list.read", "user", "*").with(serde_json::json!({ "page": page, "count": list.len() })),
        st.now(),
    )
    .await?;
    tx.commit().await?;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    render(&UsersPage { ctx: &ctx, users: list, page, pages, total })
}

#[derive(Template)]
#[template(path = "admin/user_form.html")]
struct UserFormPage<'a> {
    ctx: &'a Ctx,
    user: Option<UserSummary>,
    form: UserInput,
    units: Vec<OrgUnit>,
    roles: Vec<Role>,
    assignments: Vec<Assignment>,
    errors: FormErrors,
    /// The role form was refused (not the user's own form): only its fields take the problems.
    role_refused: bool,
    locked: bool,
}

impl UserFormPage<'_> {
    fn user_errors(&self) -> FormErrors {
        if self.role_refused { FormErrors::none() } else { self.errors.clone() }
    }

    fn role_errors(&self) -> FormErrors {
        if self.role_refused { self.errors.clone() } else { FormErrors::none() }
    }

    fn unit_options(&self, chosen: &str) -> Vec<(String, String, bool)> {
        self.units.iter().map(|u| (u.id.to_string(), indented(u), u.id.to_string() == chosen)).collect()
    }

    /// The user's name, e-mail address and unit (and a new user's password).
    fn user_fields(&self) -> Vec<Field> {
        let ctx = self.ctx;
        let errors = self.user_errors();
        let mut fields = vec![
            Field::new(ctx, "name", "field-name").autocomplete("off").value(self.form.name.clone()),
            Field::new(ctx, "email", "field-email").kind("email").autocomplete("off").value(self.form.email.clone()),
            Field::new(ctx, "org_unit_id", "field-org_unit_id")
                .kind("select")
                .options(self.unit_options(&self.form.org_unit_id), ctx.t("users-no-unit")),
        ];
        if self.user.is_none() {
            fields.push(
                Field::new(ctx, "password", "field-password").kind("password").autocomplete("new-password").hint(ctx.t("password-hint")),
            );
            fields.push(Field::new(ctx, "password_repeat", "field-password_repeat").kind("password").autocomplete("new-password"));
        }
        fields.into_iter().map(|f| f.errors(&errors)).collect()
    }

    /// The message at the "Aktiv" box (one cannot turn off one's own account).
    fn active_error(&self) -> Option<String> {
        self.user_errors().message("active").map(str::to_string)
    }

    /// The role to give and where it applies.
    fn role_fields(&self) -> Vec<Field> {
        let ctx = self.ctx;
        let errors = self.role_errors();
        let roles = self.roles.iter().map(|r| (r.id.to_string(), r.name.clone(), false)).collect();
        vec![
            Field::new(ctx, "role_id", "field-role_id").kind("select").options(roles, "").errors(&errors),
            Field::new(ctx, "org_unit_id", "field-scope")
                .id("scope")
                .kind("select")
                .options(self.unit_options(""), ctx.t("scope-whole"))
                .errors(&errors),
        ]
    }
}

async fn units_for(tx: &mut Tx, admin: &StaffUser, permission: &str) -> Result<Vec<OrgUnit>> {
    let all = org::tree(tx, admin.tenant_id).await?;
    let allowed = editable_units(tx, admin, permission, &all).await?;
    Ok(all.into_iter().filter(|u| allowed.contains(&u.id)).collect())
}

async fn user_form(
    st: &AppState,
    ctx: &Ctx,
    admin: &StaffUser,
    user: Option<UserSummary>,
    form: UserInput,
    errors: FormErrors,
    role_refused: bool,
) -> Result<Response> {
    let tenant = admin.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(tenant)).await?;
    let units = units_for(&mut tx, admin, permissions::ADMIN_USERS).await?;
    let roles = roles::list(&mut tx, tenant).await?;
    let assignments = match &user {
        Some(u) => roles::assignments(&mut tx, tenant, UserId(u.id)).await?,
        None => vec![],
    };
    tx.commit().await?;
    let locked = user.as_ref().and_then(|u| u.locked_until).is_some_and(|t| t > st.now());
    render(&UserFormPage { ctx, user, form, units, roles, assignments, errors, role_refused, locked })
}

async fn get_new_user(State(st): State<AppState>, ctx: Ctx, admin: Require<AdminUsers>) -> Result<Response> {
    let form = UserInput { active: Some("on".into()), ..Default::default() };
    user_form(&st, &ctx, &admin, None, form, FormErrors::none(), false).await
}

/// Checks that a user's unit lies in the administrator's scope.
fn unit_in_scope(scope: &Option<Vec<OrgUnitId>>, unit: Option<OrgUnitId>) -> bool {
    match scope {
        None => true,
        Some(units) => unit.is_some_and(|u| units.contains(&u)),
    }
}

async fn post_user(State(st): State<AppState>, ctx: Ctx, admin: Require<AdminUsers>, Form(f): Form<UserInput>) -> Result<Response> {
    let tenant = admin.tenant_id;
    let now = st.now();
    let done: Result<String> = async {
        let v = f.validate()?;
        password::check_new("password", &f.password, &f.password_repeat)?;
        let hash = password::hash(&f.password).await?;
        let mut tx = st.db.write(Scope::Tenant(tenant)).await?;
        if !unit_in_scope(&user_scope(&mut tx, &admin).await?, v.org_unit) {
            return Err(Error::invalid("org_unit_id", "err-unit-scope"));
        }
        let id = users::create(&mut tx, tenant, &v, &hash, now).await?;
        let t = ctx.require_tenant()?;
        let url = format!("{}/logga-in", st.site_url(t.hosts.first().map(String::as_str).unwrap_or_default()));
        let vars = [("name", v.name.as_str()), ("municipality", t.name.as_str()), ("url", url.as_str())];
        // A new user has no language of their own yet: Swedish.
        let n = Notice { template: &templates::ACCOUNT_CREATED, lang: Lang::Sv, to: &v.email, vars: &vars };
        outbox::notify(&mut tx, Some(tenant), &n, now).await?;
        audit::record(
            &mut tx,
            Some(tenant),
            &Actor::staff(&admin),
            Event::new("user.created", "user", id).with(serde_json::json!({ "email": v.email, "name": v.name })),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(format!("/admin/anvandare/{id}"))
    }
    .await;
    // The passwords are never sent back.
    let form = UserInput { password: String::new(), password_repeat: String::new(), ..f };
    form::submit_fields(&ctx, done, |errors| user_form(&st, &ctx, &admin, None, form, errors, false)).await
}

async fn get_user(State(st): State<AppState>, ctx: Ctx, admin: Require<AdminUsers>, PathIds(id): PathIds<UserId>) -> Result<Response> {
    let tenant = admin.tenant_id;
    let mut tx = st.db.write(Scope::Tenant(tenant)).await?;
    let u = managed_user(&mut tx, &admin, id).await?;
    audit::record(&mut tx, Some(tenant), &Actor::staff(&admin), Event::new("user.read", "user", id), st.now()).await?;
    tx.commit().await?;
    let form = input_of(&u);
    user_form(&st, &ctx, &admin, Some(u), form, FormErrors::none(), false).await
}

/// The user form filled in with a user as stored (no password).
fn input_of(u: &UserSummary) -> UserInput {
    UserInput {
        email: u.email.clone(),
        name: u.name.clone(),
        org_unit_id: u.org_unit_id.map(|o| o.to_string()).unwrap_or_default(),
        active: u.active.then(|| "on".into()),
        ..Default::default()
    }
}

async fn post_update_user(
    State(st): State<AppState>,
    ctx: Ctx,
    admin: Require<AdminUsers>,
    PathIds(id): PathIds<UserId>,
    Form(f): Form<UserInput>,
) -> Result<Response> {
    let tenant = admin.tenant_id;
    let now = st.now();
    let mut tx = st.db.write(Scope::Tenant(tenant)).await?;
    let before = managed_user(&mut tx, &admin, id).await?;
    let done: Result<String> = async {
        let v = f.validate()?;
        if !unit_in_scope(&user_scope(&mut tx, &admin).await?, v.org_unit) {
            return Err(Error::invalid("org_unit_id", "err-unit-scope"));
        }
        if id == admin.user_id && !v.active {
            return Err(Error::invalid("active", "err-deactivate-self"));
        }
        users::update(&mut tx, tenant, id, &v).await?;
        if !v.active {
            session::delete_for_user(&mut tx, tenant, id).await?;
        }
        audit::record(
            &mut tx,
            Some(tenant),
            &Actor::staff(&admin),
            Event::new("user.updated", "user", id).with(serde_json::json!({ "email": v.email, "name": v.name, "active": v.active })),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(format!("/admin/anvandare/{id}"))
    }
    .await;
    form::submit_fields(&ctx, done, |errors| user_form(&st, &ctx, &admin, Some(before), f, errors, false)).await
}

async fn post_unlock_user(State(st): State<AppState>, admin: Require<AdminUsers>, PathIds(id): PathIds<UserId>) -> Result<Response> {
    let tenant = admin.tenant_id;
    let mut tx = st.db.write(Scope::Tenant(tenant)).await?;
    managed_user(&mut tx, &admin, id).await?;
    users::record_login_result(&mut tx, tenant, id, 0, None).await?;
    audit::record(&mut tx, Some(tenant), &Actor::staff(&admin), Event::new("user.unlocked", "user", id), st.now()).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/anvandare/{id}")).into_response())
}

#[derive(Deserialize)]
struct AssignForm {
    role_id: String,
    #[serde(default)]
    org_unit_id: String,
}

async fn post_assign_role(
    State(st): State<AppState>,
    ctx: Ctx,
    admin: Require<AdminUsers>,
    PathIds(id): PathIds<UserId>,
    Form(f): Form<AssignForm>,
) -> Result<Response> {
    let tenant = admin.tenant_id;
    let mut tx = st.db.write(Scope::Tenant(tenant)).await?;
    let user = managed_user(&mut tx, &admin, id).await?;
    let done: Result<String> = async {
        let role = RoleId::parse(f.role_id.trim()).ok_or_else(|| Error::invalid("role_id", "err-role-unknown"))?;
        let scope = match f.org_unit_id.trim() {
            "" => None,
            s => Some(OrgUnitId::parse(s).ok_or_else(|| Error::invalid("org_unit_id", "err-unit-parent"))?),
        };
        // Nobody hands out more than they hold: the grant's scope must lie in the admin's own.
        let admin_scope = user_scope(&mut tx, &admin).await?;
        if admin_scope.is_some() && !unit_in_scope(&admin_scope, scope) {
            return Err(Error::invalid("org_unit_id", "err-unit-scope"));
        }
        let r = roles::get(&mut tx, tenant, role).await.map_err(|_| Error::invalid("role_id", "err-role-unknown"))?;
        if !r.permissions.iter().all(|p| admin.grants.has_anywhere(p)) && !admin.grants.whole_municipality(permissions::ADMIN_ROLES) {
            return Err(Error::invalid("role_id", "err-role-exceeds"));
        }
        roles::assign(&mut tx, tenant, id, role, scope, st.now()).await?;
        audit::record(
            &mut tx,
            Some(tenant),
            &Actor::staff(&admin),
            Event::new("role.assigned", "user", id).with(serde_json::json!({ "role": r.name, "scope": scope.map(|s| s.to_string()) })),
            st.now(),
        )
        .await?;
        tx.commit().await?;
        Ok(format!("/admin/anvandare/{id}"))
    }
    .await;
    let form = input_of(&user);
    // The role form posts `org_unit_id` too: its problems belong to its own fields.
    form::submit_fields(&ctx, done, |errors| user_form(&st, &ctx, &admin, Some(user), form, errors.target("org_unit_id", "scope"), true))
        .await
}

async fn post_unassign_role(
    State(st): State<AppState>,
    admin: Require<AdminUsers>,
    PathIds((id, assignment)): PathIds<(UserId, Uuid)>,
) -> Result<Response> {
    let tenant = admin.tenant_id;
    let mut tx = st.db.write(Scope::Tenant(tenant)).await?;
    managed_user(&mut tx, &admin, id).await?;
    let current = roles::assignments(&mut tx, tenant, id).await?;
    let a = current.iter().find(|a| a.id == assignment).ok_or(Error::NotFound)?;
    let admin_scope = user_scope(&mut tx, &admin).await?;
    if admin_scope.is_some() && !unit_in_scope(&admin_scope, a.org_unit_id) {
        return Err(Error::Forbidden);
    }
    roles::unassign(&mut tx, tenant, id, assignment).await?;
    audit::record(
        &mut tx,
        Some(tenant),
        &Actor::staff(&admin),
        Event::new("role.unassigned", "user", id).with(serde_json::json!({ "role": a.role_name })),
        st.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/anvandare/{id}")).into_response())
}

// ---------------------------------------------------------------- roles

#[derive(Template)]
#[template(path = "admin/roles.html")]
struct RolesPage<'a> {
    ctx: &'a Ctx,
    roles: Vec<Role>,
    edit: Option<Role>,
    permissions: Vec<PermissionDef>,
    name: Field,
    description: Field,
    permission_choices: Field,
    errors: FormErrors,
}

impl RolesPage<'_> {
    fn label_of(&self, key: &str) -> String {
        self.permissions.iter().find(|p| p.key == key).map(|p| self.ctx.t(p.label)).unwrap_or_else(|| key.to_string())
    }
}

#[derive(Deserialize)]
struct RoleForm {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default, deserialize_with = "one_or_many")]
    permissions: Vec<String>,
}

#[expect(clippy::too_many_arguments, reason = "form state of one page")]
async fn roles_page(
    st: &AppState,
    ctx: &Ctx,
    tenant: TenantId,
    edit: Option<Role>,
    name: String,
    description: String,
    perms: Vec<String>,
    errors: FormErrors,
) -> Result<Response> {
    let mut tx = st.db.read(Scope::Tenant(tenant)).await?;
    let roles = roles::list(&mut tx, tenant).await?;
    tx.commit().await?;
    let choices = st.permissions.iter().map(|p| (p.key.to_string(), ctx.t(p.label), perms.iter().any(|k| k == p.key))).collect();
    render(&RolesPage {
        ctx,
        roles,
        edit,
        permissions: st.permissions.clone(),
        name: Field::new(ctx, "name", "field-name").value(name).errors(&errors),
        description: Field::new(ctx, "description", "field-description").optional().value(description).errors(&errors),
        permission_choices: Field::new(ctx, "permissions", "field-permissions").kind("checkboxes").options(choices, "").errors(&errors),
        errors,
    })
}

async fn get_roles(State(st): State<AppState>, ctx: Ctx, admin: Require<AdminRoles>) -> Result<Response> {
    roles_page(&st, &ctx, admin.tenant_id, None, String::new(), String::new(), vec![], FormErrors::none()).await
}

async fn get_role(State(st): State<AppState>, ctx: Ctx, admin: Require<AdminRoles>, PathIds(id): PathIds<RoleId>) -> Result<Response> {
    let mut tx = st.db.read(Scope::Tenant(admin.tenant_id)).await?;
    let r = roles::get(&mut tx, admin.tenant_id, id).await?;
    tx.commit().await?;
    let (n, d, p) = (r.name.clone(), r.description.clone(), r.permissions.clone());
    roles_page(&st, &ctx, admin.tenant_id, Some(r), n, d, p, FormErrors::none()).await
}

fn require_whole(admin: &StaffUser) -> Result<()> {
    // Roles are municipality-wide objects: editing them needs the permission everywhere.
    if admin.grants.whole_municipality(permissions::ADMIN_ROLES) { Ok(()) } else { Err(Error::Forbidden) }
}

async fn post_role(State(st): State<AppState>, ctx: Ctx, admin: Require<AdminRoles>, Form(f): Form<RoleForm>) -> Result<Response> {
    require_whole(&admin)?;
    let tenant = admin.tenant_id;
    let done: Result<String> = async {
        let (name, perms) = roles::validate(&f.name, &f.permissions, &st.permissions)?;
        let mut tx = st.db.write(Scope::Tenant(tenant)).await?;
        let id = roles::create(&mut tx, tenant, &name, &f.description, &perms, st.now()).await?;
        audit::record(
            &mut tx,
            Some(tenant),
            &Actor::staff(&admin),
            Event::new("role.created", "role", id).with(serde_json::json!({ "name": name, "permissions": perms })),
            st.now(),
        )
        .await?;
        tx.commit().await?;
        Ok("/admin/roller".into())
    }
    .await;
    form::submit_fields(&ctx, done, |errors| roles_page(&st, &ctx, tenant, None, f.name, f.description, f.permissions, errors)).await
}

async fn post_update_role(
    State(st): State<AppState>,
    ctx: Ctx,
    admin: Require<AdminRoles>,
    PathIds(id): PathIds<RoleId>,
    Form(f): Form<RoleForm>,
) -> Result<Response> {
    require_whole(&admin)?;
    let tenant = admin.tenant_id;
    let mut tx = st.db.write(Scope::Tenant(tenant)).await?;
    let existing = roles::get(&mut tx, tenant, id).await?;
    let done: Result<String> = async {
        let (name, perms) = roles::validate(&f.name, &f.permissions, &st.permissions)?;
        roles::update(&mut tx, tenant, id, &name, &f.description, &perms).await?;
        audit::record(
            &mut tx,
            Some(tenant),
            &Actor::staff(&admin),
            Event::new("role.updated", "role", id).with(serde_json::json!({ "name": name, "permissions": perms })),
            st.now(),
        )
        .await?;
        tx.commit().await?;
        Ok("/admin/roller".into())
    }
    .await;
    form::submit_fields(&ctx, done, |errors| roles_page(&st, &ctx, tenant, Some(existing), f.name, f.description, f.permissions, errors))
        .await
}

// ---------------------------------------------------------------- templates and outbox

#[derive(Template)]
#[template(path = "admin/templates.html")]
struct TemplatesPage<'a> {
    ctx: &'a Ctx,
    /// `(module, its templates in every language)`.
    groups: Vec<(&'static str, Vec<templates::Template>)>,
}

impl TemplatesPage<'_> {
    /// The heading of a module's group: `templates-module-<module>` (a module ships it in its
    /// own `.ftl`), else the module's name.
    fn module_title(&self, module: &str) -> String {
        let id = format!("templates-module-{module}");
        let t = self.ctx.t(&id);
        if t == format!("[{id}]") { module.to_string() } else { t }
    }
}

async fn get_templates(State(st): State<AppState>, ctx: Ctx, admin: Require<AdminSettings>) -> Result<Response> {
    let mut tx = st.db.read(Scope::Tenant(admin.tenant_id)).await?;
    let groups = templates::all(&mut tx, admin.tenant_id, &st.notifications).await?;
    tx.commit().await?;
    render(&TemplatesPage { ctx: &ctx, groups })
}

#[derive(Template)]
#[template(path = "admin/template_form.html")]
struct TemplateForm<'a> {
    ctx: &'a Ctx,
    tpl: templates::Template,
    errors: FormErrors,
}

impl TemplateForm<'_> {
    fn title(&self) -> String {
        self.ctx.t(self.tpl.label)
    }

    fn subject(&self) -> Field {
        Field::new(self.ctx, "subject", "field-subject").value(self.tpl.subject.clone()).errors(&self.errors)
    }

    fn body(&self) -> Field {
        Field::new(self.ctx, "body", "field-body").kind("textarea").rows(10).value(self.tpl.body.clone()).errors(&self.errors)
    }
}

fn parse_lang(s: &str) -> Result<Lang> {
    Lang::ALL.into_iter().find(|l| l.code() == s).ok_or(Error::NotFound)
}

/// A registered template, by the key in the address.
fn registered<'a>(st: &'a AppState, key: &str) -> Result<&'a templates::NotificationTemplate> {
    st.notifications.municipal(key).ok_or(Error::NotFound)
}

/// The form of one template in one language: as in effect, or with what was typed.
async fn template_page(
    st: &AppState,
    ctx: &Ctx,
    tenant: TenantId,
    key: &str,
    lang: Lang,
    typed: Option<TemplateInput>,
    errors: FormErrors,
) -> Result<Response> {
    let d = registered(st, key)?;
    let mut tx = st.db.read(Scope::Tenant(tenant)).await?;
    let mut template = templates::effective(&mut tx, Some(tenant), d, lang).await?;
    tx.commit().await?;
    if let Some(t) = typed {
        template.subject = t.subject;
        template.body = t.body;
    }
    render(&TemplateForm { ctx, tpl: template, errors })
}

async fn get_template(
    State(st): State<AppState>,
    ctx: Ctx,
    admin: Require<AdminSettings>,
    PathIds((key, lang)): PathIds<(String, String)>,
) -> Result<Response> {
    let lang = parse_lang(&lang)?;
    template_page(&st, &ctx, admin.tenant_id, &key, lang, None, FormErrors::none()).await
}

#[derive(Deserialize)]
struct TemplateInput {
    subject: String,
    body: String,
}

async fn post_template(
    State(st): State<AppState>,
    ctx: Ctx,
    admin: Require<AdminSettings>,
    PathIds((key, lang)): PathIds<(String, String)>,
    Form(f): Form<TemplateInput>,
) -> Result<Response> {
    let lang = parse_lang(&lang)?;
    let d = registered(&st, &key)?;
    let tenant = admin.tenant_id;
    let done: Result<String> = async {
        let mut tx = st.db.write(Scope::Tenant(tenant)).await?;
        templates::save(&mut tx, tenant, d, lang, &f.subject, &f.body, st.now()).await?;
        audit::record(
            &mut tx,
            Some(tenant),
            &Actor::staff(&admin),
            Event::new("template.saved", "template", format!("{key}/{}", lang.code())),
            st.now(),
        )
        .await?;
        tx.commit().await?;
        Ok("/admin/mallar".into())
    }
    .await;
    form::submit_fields(&ctx, done, |errors| template_page(&st, &ctx, tenant, &key, lang, Some(f), errors)).await
}

async fn post_reset_template(
    State(st): State<AppState>,
    admin: Require<AdminSettings>,
    PathIds((key, lang)): PathIds<(String, String)>,
) -> Result<Response> {
    let lang = parse_lang(&lang)?;
    registered(&st, &key)?;
    let tenant = admin.tenant_id;
    let mut tx = st.db.write(Scope::Tenant(tenant)).await?;
    templates::reset(&mut tx, tenant, &key, lang).await?;
    audit::record(
        &mut tx,
        Some(tenant),
        &Actor::staff(&admin),
        Event::new("template.reset", "template", format!("{key}/{}", lang.code())),
        st.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/admin/mallar").into_response())
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage<'a> {
    ctx: &'a Ctx,
    messages: Vec<OutboxRow>,
    page: i64,
    more: bool,
}

async fn get_outbox(State(st): State<AppState>, ctx: Ctx, admin: Require<AdminSettings>, Query(q): Query<PageQuery>) -> Result<Response> {
    let page = q.sida.as_deref().and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1);
    let tenant = admin.tenant_id;
    let mut tx = st.db.write(Scope::Tenant(tenant)).await?;
    let mut list = outbox::list(&mut tx, tenant, PER_PAGE + 1, (page - 1) * PER_PAGE).await?;
    audit::record(
        &mut tx,
        Some(tenant),
        &Actor::staff(&admin),
        Event::new("outbox.read", "outbox", "*").with(serde_json::json!({ "page": page })),
        st.now(),
    )
    .await?;
    tx.commit().await?;
    let more = list.len() > usize::try_from(PER_PAGE).unwrap_or(25);
    list.truncate(usize::try_from(PER_PAGE).unwrap_or(25));
    render(&OutboxPage { ctx: &ctx, messages: list, page, more })
}
