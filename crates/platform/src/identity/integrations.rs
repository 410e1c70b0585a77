//! Integration tokens (issue 14 item 5): an integration (an archive system, a payroll export, a
//! BI tool) calls the JSON API with `Authorization: Bearer rh_…` instead of borrowing a staff
//! member's session.
//!
//! A municipality administrator (`admin.users` on the whole municipality) creates a token with
//! a name, role assignments (roles on an org subtree, as a user holds them: the token's
//! permissions and where they apply), an expiry (required, at most a year ahead) and a rate
//! limit. The secret is shown once; the database holds only its SHA-256. A request with the
//! token acts as the integration: a [`StaffUser`] whose `integration` is the token's id, so
//! every handler's permission and scope checks apply unchanged and the audit log names the
//! integration ([`crate::audit::Actor::staff`]). The middleware accepts the header only on
//! `/api/` paths, and needs no CSRF token for it: a browser never sends the header by itself.
//!
//! The rate limit is counted in memory per server process ([`Limiter`]): behind a load
//! balancer with N nodes a token gets at most N times its limit per minute.

use std::sync::LazyLock;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_kernel::ids::{OrgUnitId, RoleId, TenantId, UserId};
use serde::Deserialize;
use sqlx::types::Json;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::audit::{self, Actor, Event};
use crate::db::{Db, Scope, Tx};
use crate::error::{Error, FieldError, Result};
use crate::identity::org::{self, OrgUnit};
use crate::identity::permissions::{self, AdminUsers, Grant, Grants, PermissionDef, Require, StaffUser};
use crate::identity::roles::{self, Role};
use crate::identity::{random_token, sha256_hex};
use crate::on_tx;
use crate::web::field::{Field, FormErrors};
use crate::web::form::{self, Form, PathIds, one_or_many};
use crate::web::limiter::Limiter;
use crate::web::pages::render;
use crate::web::{AppState, Ctx, Routes};

/// Every token starts with this, so a leaked one is recognisable (secret scanners, logs).
pub const PREFIX: &str = "rh_";
/// Random bytes of a secret: 32, as URL-safe base64 without padding 43 characters.
const SECRET_BYTES: usize = 32;
const SECRET_CHARS: usize = 43;
/// The longest a token may live.
pub const MAX_DAYS: i64 = 366;
pub const DEFAULT_DAYS: i64 = 90;
pub const DEFAULT_RATE: u32 = 600;
pub const MAX_RATE: u32 = 10_000;

/// Requests per token and minute, counted in this process (see the module comment).
static LIMITER: LazyLock<Limiter> = LazyLock::new(|| Limiter::new(DEFAULT_RATE));

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/integrationer", get_tokens)
        .post("/admin/integrationer", post_token)
        .post("/admin/integrationer/{id}/aterkalla", post_revoke)
}

/// A new secret: the prefix and 32 random bytes.
pub fn new_secret() -> String {
    format!("{PREFIX}{}", random_token(SECRET_BYTES))
}

/// The stored form of a secret. A plain SHA-256 (no salt, no key stretching) is enough here,
/// unlike for a password: the secret is 32 random bytes, so no guessing of the input from the
/// hash is feasible, and the lookup by hash needs a deterministic value.
pub fn hash(secret: &str) -> String {
    sha256_hex(secret.as_bytes())
}

/// The shape of a secret: the prefix and 43 characters of URL-safe base64.
pub fn well_formed(secret: &str) -> bool {
    secret
        .strip_prefix(PREFIX)
        .is_some_and(|s| s.len() == SECRET_CHARS && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

/// One role of a token, as the list shows it.
#[derive(Debug, Clone)]
pub struct TokenRole {
    pub role_name: String,
    pub permissions: Vec<String>,
    pub org_unit_name: Option<String>,
}

/// A token as the administrator's list shows it (never its secret or hash).
#[derive(Debug, Clone)]
pub struct Token {
    pub id: Uuid,
    pub name: String,
    pub rate_per_minute: i64,
    pub expires_at: OffsetDateTime,
    pub created_by_name: String,
    pub created_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
    pub revoked_by_name: Option<String>,
    pub roles: Vec<TokenRole>,
}

/// A checked request for a new token.
#[derive(Debug, Clone)]
pub struct NewToken {
    pub name: String,
    pub roles: Vec<RoleId>,
    pub scope: Option<OrgUnitId>,
    pub expires_at: OffsetDateTime,
    pub rate_per_minute: u32,
}

/// The form of a new token, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TokenInput {
    #[serde(default)]
    pub name: String,
    #[serde(default, deserialize_with = "one_or_many")]
    pub roles: Vec<String>,
    #[serde(default)]
    pub org_unit_id: String,
    #[serde(default)]
    pub expires_on: String,
    #[serde(default)]
    pub rate_per_minute: String,
}

impl TokenInput {
    /// Checks what was typed; `today` bounds the expiry (after today, at most [`MAX_DAYS`]).
    /// A token is valid through its last day (it expires at 00:00 UTC the day after).
    pub fn validate(&self, today: Date) -> Result<NewToken> {
        let mut errs = vec![];
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 80 {
            errs.push(FieldError::new("name", "err-token-name"));
        }
        let roles: Option<Vec<RoleId>> = self.roles.iter().map(|r| RoleId::parse(r.trim())).collect();
        let roles = match roles {
            Some(r) if !r.is_empty() => r,
            _ => {
                errs.push(FieldError::new("roles", "err-token-roles"));
                vec![]
            }
        };
        let scope = match self.org_unit_id.trim() {
            "" => None,
            s => match OrgUnitId::parse(s) {
                Some(u) => Some(u),
                None => {
                    errs.push(FieldError::new("org_unit_id", "err-unit-parent"));
                    None
                }
            },
        };
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let expires_on = Date::parse(self.expires_on.trim(), &format).ok().filter(|d| *d > today && *d <= today + Duration::days(MAX_DAYS));
        if expires_on.is_none() {
            errs.push(FieldError::new("expires_on", "err-token-expiry"));
        }
        let rate = self.rate_per_minute.trim().parse::<u32>().ok().filter(|r| (1..=MAX_RATE).contains(r));
        if rate.is_none() {
            errs.push(FieldError::new("rate_per_minute", "err-token-rate"));
        }
        match (expires_on, rate) {
            (Some(d), Some(rate_per_minute)) if errs.is_empty() => {
                let expires_at = d.next_day().unwrap_or(d).midnight().assume_utc();
                Ok(NewToken { name, roles, scope, expires_at, rate_per_minute })
            }
            _ => Err(Error::Invalid(errs)),
        }
    }
}

/// Creates a token holding the roles on the scope; returns its id and the secret (to be shown
/// once and never again).
pub async fn create(tx: &mut Tx, tenant: TenantId, creator: &StaffUser, v: &NewToken, now: OffsetDateTime) -> Result<(Uuid, String)> {
    let id = Uuid::now_v7();
    let secret = new_secret();
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO integration_token (tenant_id, id, name, token_hash, rate_per_minute, expires_at, created_by_id, created_by_name, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(tenant.0).bind(id).bind(&v.name).bind(hash(&secret)).bind(i64::from(v.rate_per_minute)).bind(v.expires_at)
        .bind(creator.user_id.0).bind(&creator.name).bind(now).execute(c).await?.rows_affected());
    for role in &v.roles {
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO integration_token_role (tenant_id, id, token_id, role_id, org_unit_id) VALUES ($1, $2, $3, $4, $5)")
            .bind(tenant.0).bind(Uuid::now_v7()).bind(id).bind(role.0).bind(v.scope.map(|s| s.0)).execute(c).await?.rows_affected());
    }
    Ok((id, secret))
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: Uuid,
    name: String,
    rate_per_minute: i64,
    expires_at: OffsetDateTime,
    created_by_name: String,
    created_at: OffsetDateTime,
    last_used_at: Option<OffsetDateTime>,
    revoked_at: Option<OffsetDateTime>,
    revoked_by_name: Option<String>,
}

/// A token's role: token id, role name, its permissions, the unit's name (None: everywhere).
type RoleRow = (Uuid, String, Json<Vec<String>>, Option<String>);

/// The municipality's tokens, newest first, with their roles.
pub async fn list(tx: &mut Tx, tenant: TenantId) -> Result<Vec<Token>> {
    let rows: Vec<TokenRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, name, rate_per_minute, expires_at, created_by_name, created_at, last_used_at, revoked_at, revoked_by_name \
         FROM integration_token WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC")
        .bind(tenant.0).fetch_all(c).await?);
    let roles: Vec<RoleRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT a.token_id, r.name, r.permissions, o.name FROM integration_token_role a \
         JOIN role r ON r.tenant_id = a.tenant_id AND r.id = a.role_id \
         LEFT JOIN org_unit o ON o.tenant_id = a.tenant_id AND o.id = a.org_unit_id \
         WHERE a.tenant_id = $1 ORDER BY r.name")
        .bind(tenant.0).fetch_all(c).await?);
    Ok(rows
        .into_iter()
        .map(|r| Token {
            roles: roles
                .iter()
                .filter(|(t, ..)| *t == r.id)
                .map(|(_, name, perms, unit)| TokenRole {
                    role_name: name.clone(),
                    permissions: perms.0.clone(),
                    org_unit_name: unit.clone(),
                })
                .collect(),
            id: r.id,
            name: r.name,
            rate_per_minute: r.rate_per_minute,
            expires_at: r.expires_at,
            created_by_name: r.created_by_name,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
            revoked_by_name: r.revoked_by_name,
        })
        .collect())
}

/// Revokes a token at once (the next request with it is refused); returns its name.
pub async fn revoke(tx: &mut Tx, tenant: TenantId, id: Uuid, by: &StaffUser, now: OffsetDateTime) -> Result<String> {
    let row: Option<(String, Option<OffsetDateTime>)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT name, revoked_at FROM integration_token WHERE tenant_id = $1 AND id = $2")
        .bind(tenant.0).bind(id).fetch_optional(c).await?);
    let Some((name, revoked)) = row else { return Err(Error::NotFound) };
    if revoked.is_some() {
        return Err(Error::Conflict("err-token-already-revoked"));
    }
    on_tx!(tx, c => sqlx::query(
        "UPDATE integration_token SET revoked_at = $3, revoked_by_name = $4 WHERE tenant_id = $1 AND id = $2")
        .bind(tenant.0).bind(id).bind(now).bind(&by.name).execute(c).await?.rows_affected());
    Ok(name)
}

#[derive(sqlx::FromRow)]
struct AuthRow {
    id: Uuid,
    name: String,
    rate_per_minute: i64,
    expires_at: OffsetDateTime,
    revoked_at: Option<OffsetDateTime>,
}

/// The integration an `Authorization` header names on the host of `tenant`, with the grants of
/// its roles; records when it was last used (its own transaction). Refusals: a header that is
/// not `Bearer rh_…` or a token nobody holds (`AUTH-012`), revoked (`AUTH-013`), expired
/// (`AUTH-014`), another municipality's (`AUTH-015`), over its rate (`AUTH-016`).
pub async fn authenticate(db: &Db, tenant: TenantId, header: &str, now: OffsetDateTime) -> Result<StaffUser> {
    let secret = header.strip_prefix("Bearer ").or_else(|| header.strip_prefix("bearer ")).map(str::trim).ok_or(Error::TokenInvalid)?;
    if !well_formed(secret) {
        return Err(Error::TokenInvalid);
    }
    let h = hash(secret);
    let mut tx = db.write(Scope::Tenant(tenant)).await?;
    let row: Option<AuthRow> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT id, name, rate_per_minute, expires_at, revoked_at FROM integration_token WHERE tenant_id = $1 AND token_hash = $2")
        .bind(tenant.0).bind(&h).fetch_optional(c).await?);
    let Some(row) = row else {
        tx.commit().await?;
        // Not this municipality's: say so when it is another's, so its holder learns which host
        // the token is for (the secret itself proves they may know that).
        let mut sys = db.read(Scope::System).await?;
        let elsewhere: Option<(Uuid,)> = on_tx!(&mut sys, c => sqlx::query_as(
            "SELECT id FROM integration_token WHERE token_hash = $1").bind(&h).fetch_optional(c).await?);
        sys.commit().await?;
        return Err(if elsewhere.is_some() { Error::TokenOtherMunicipality } else { Error::TokenInvalid });
    };
    if row.revoked_at.is_some() {
        return Err(Error::TokenRevoked);
    }
    if row.expires_at <= now {
        return Err(Error::TokenExpired);
    }
    let rate = u32::try_from(row.rate_per_minute).unwrap_or(DEFAULT_RATE);
    if !LIMITER.allow_up_to(&row.id.to_string(), rate, now) {
        return Err(Error::TokenRateLimited);
    }
    let grants: Vec<(Json<Vec<String>>, Option<Uuid>)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT r.permissions, a.org_unit_id FROM integration_token_role a \
         JOIN role r ON r.tenant_id = a.tenant_id AND r.id = a.role_id \
         WHERE a.tenant_id = $1 AND a.token_id = $2")
        .bind(tenant.0).bind(row.id).fetch_all(&mut *c).await?);
    on_tx!(&mut tx, c => sqlx::query("UPDATE integration_token SET last_used_at = $3 WHERE tenant_id = $1 AND id = $2")
        .bind(tenant.0).bind(row.id).bind(now).execute(c).await?.rows_affected());
    tx.commit().await?;
    let grants = Grants(
        grants
            .into_iter()
            .flat_map(|(perms, scope)| perms.0.into_iter().map(move |p| Grant { permission: p, scope: scope.map(OrgUnitId) }))
            .collect(),
    );
    Ok(StaffUser {
        tenant_id: tenant,
        user_id: UserId(row.id),
        name: row.name,
        email: String::new(),
        org_unit: None,
        grants,
        integration: Some(row.id),
    })
}

// ---------------------------------------------------------------- the administrator's pages

/// Tokens are handed out for the whole municipality: the administrator needs `admin.users`
/// everywhere (a scoped administrator manages people of a subtree, not integrations).
fn require_whole(admin: &StaffUser) -> Result<()> {
    if admin.integration.is_none() && admin.grants.whole_municipality(permissions::ADMIN_USERS) { Ok(()) } else { Err(Error::Forbidden) }
}

#[derive(Template)]
#[template(path = "admin/integrations.html")]
struct TokensPage<'a> {
    ctx: &'a Ctx,
    tokens: Vec<Token>,
    roles: Vec<Role>,
    units: Vec<OrgUnit>,
    form: TokenInput,
    errors: FormErrors,
    now: OffsetDateTime,
    permissions: Vec<PermissionDef>,
}

impl TokensPage<'_> {
    fn checked(&self, id: &RoleId) -> bool {
        let id = id.to_string();
        self.form.roles.iter().any(|r| r.trim() == id)
    }

    fn name_field(&self) -> Field {
        Field::new(self.ctx, "name", "field-name")
            .hint(self.ctx.t("tokens-name-hint"))
            .autocomplete("off")
            .value(self.form.name.clone())
            .errors(&self.errors)
    }

    /// The roles the token acts with, ticked as posted.
    fn roles_field(&self) -> Field {
        let options = self.roles.iter().map(|r| (r.id.to_string(), r.name.clone(), self.checked(&r.id))).collect();
        let hint = if self.roles.is_empty() { self.ctx.t("tokens-no-roles") } else { String::new() };
        Field::new(self.ctx, "roles", "field-roles").kind("checkboxes").hint(hint).options(options, "").errors(&self.errors)
    }

    /// The unit the token is limited to; "Hela kommunen" (empty) is the first choice.
    fn scope_field(&self) -> Field {
        let options = self
            .units
            .iter()
            .map(|o| (o.id.to_string(), format!("{}{}", "– ".repeat(o.depth), o.name), o.id.to_string() == self.form.org_unit_id))
            .collect();
        Field::new(self.ctx, "org_unit_id", "field-scope").kind("select").options(options, self.ctx.t("scope-whole")).errors(&self.errors)
    }

    fn expires_field(&self) -> Field {
        Field::new(self.ctx, "expires_on", "field-expires_on")
            .kind("date")
            .hint(self.ctx.t("tokens-expiry-hint"))
            .value(self.form.expires_on.clone())
            .errors(&self.errors)
    }

    fn rate_field(&self) -> Field {
        Field::new(self.ctx, "rate_per_minute", "field-rate_per_minute")
            .kind("number")
            .inputmode("numeric")
            .value(self.form.rate_per_minute.clone())
            .errors(&self.errors)
    }

    fn date(&self, t: &OffsetDateTime) -> String {
        format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day())
    }

    /// The last day a token is valid (it expires at 00:00 UTC the day after).
    fn last_day(&self, t: &OffsetDateTime) -> String {
        self.date(&(*t - Duration::seconds(1)))
    }

    fn moment(&self, t: &OffsetDateTime) -> String {
        format!("{} {:02}:{:02}", self.date(t), t.hour(), t.minute())
    }

    fn status(&self, t: &Token) -> String {
        if t.revoked_at.is_some() {
            self.ctx.t("tokens-status-revoked")
        } else if t.expires_at <= self.now {
            self.ctx.t("tokens-status-expired")
        } else {
            self.ctx.t("tokens-status-active")
        }
    }

    fn active(&self, t: &Token) -> bool {
        t.revoked_at.is_none() && t.expires_at > self.now
    }

    fn label_of(&self, key: &str) -> String {
        self.permissions.iter().find(|p| p.key == key).map(|p| self.ctx.t(p.label)).unwrap_or_else(|| key.to_string())
    }
}

fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

async fn tokens_page(st: &AppState, ctx: &Ctx, admin: &StaffUser, form: TokenInput, errors: FormErrors) -> Result<Response> {
    let tenant = admin.tenant_id;
    let now = st.now();
    let mut tx = st.db.write(Scope::Tenant(tenant)).await?;
    let tokens = list(&mut tx, tenant).await?;
    let roles = roles::list(&mut tx, tenant).await?;
    let units = org::tree(&mut tx, tenant).await?;
    // The list names the staff who made and revoked tokens.
    audit::record(&mut tx, Some(tenant), &Actor::staff(admin), Event::new("integration_token.list.read", "integration_token", "*"), now)
        .await?;
    tx.commit().await?;
    render(&TokensPage { ctx, tokens, roles, units, form, errors, now, permissions: st.permissions.clone() })
}

async fn get_tokens(State(st): State<AppState>, ctx: Ctx, admin: Require<AdminUsers>) -> Result<Response> {
    require_whole(&admin)?;
    let form = TokenInput {
        expires_on: iso(st.now().date() + Duration::days(DEFAULT_DAYS)),
        rate_per_minute: DEFAULT_RATE.to_string(),
        ..Default::default()
    };
    tokens_page(&st, &ctx, &admin, form, FormErrors::none()).await
}

#[derive(Template)]
#[template(path = "admin/integration_created.html")]
struct CreatedPage<'a> {
    ctx: &'a Ctx,
    name: String,
    secret: String,
}

async fn post_token(State(st): State<AppState>, ctx: Ctx, admin: Require<AdminUsers>, Form(f): Form<TokenInput>) -> Result<Response> {
    require_whole(&admin)?;
    let tenant = admin.tenant_id;
    let now = st.now();
    let done: Result<Response> = async {
        let v = f.validate(now.date())?;
        let mut tx = st.db.write(Scope::Tenant(tenant)).await?;
        let mut names = vec![];
        for r in &v.roles {
            let role = roles::get(&mut tx, tenant, *r).await.map_err(|_| Error::invalid("roles", "err-token-roles"))?;
            // Nobody hands out more than they hold, as for a user's roles.
            if !role.permissions.iter().all(|p| admin.grants.has_anywhere(p)) && !admin.grants.whole_municipality(permissions::ADMIN_ROLES)
            {
                return Err(Error::invalid("roles", "err-role-exceeds"));
            }
            names.push(role.name);
        }
        if let Some(s) = v.scope {
            org::get(&mut tx, tenant, s).await.map_err(|_| Error::invalid("org_unit_id", "err-unit-parent"))?;
        }
        let (id, secret) = create(&mut tx, tenant, &admin, &v, now).await?;
        audit::record(
            &mut tx,
            Some(tenant),
            &Actor::staff(&admin),
            Event::new("integration_token.created", "integration_token", id).with(serde_json::json!({
                "name": v.name,
                "roles": names,
                "scope": v.scope.map(|s| s.to_string()),
                "expires_at": v.expires_at.unix_timestamp(),
                "rate_per_minute": v.rate_per_minute,
            })),
            now,
        )
        .await?;
        tx.commit().await?;
        // Shown on this answer only: no redirect could carry it without storing it.
        render(&CreatedPage { ctx: &ctx, name: v.name, secret })
    }
    .await;
    form::submit_fields(&ctx, done, |errors| tokens_page(&st, &ctx, &admin, f, errors)).await
}

async fn post_revoke(State(st): State<AppState>, ctx: Ctx, admin: Require<AdminUsers>, PathIds(id): PathIds<Uuid>) -> Result<Response> {
    require_whole(&admin)?;
    let tenant = admin.tenant_id;
    let now = st.now();
    let done: Result<String> = async {
        let mut tx = st.db.write(Scope::Tenant(tenant)).await?;
        let name = revoke(&mut tx, tenant, id, &admin, now).await?;
        audit::record(
            &mut tx,
            Some(tenant),
            &Actor::staff(&admin),
            Event::new("integration_token.revoked", "integration_token", id).with(serde_json::json!({ "name": name })),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok("/admin/integrationer".into())
    }
    .await;
    let form = TokenInput {
        expires_on: iso(now.date() + Duration::days(DEFAULT_DAYS)),
        rate_per_minute: DEFAULT_RATE.to_string(),
        ..Default::default()
    };
    // A refused revocation is a problem of the whole page (the new token's form is untouched).
    form::submit_fields(&ctx, done, |errors| tokens_page(&st, &ctx, &admin, form, errors)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn secrets_are_prefixed_random_and_checked_for_shape() {
        let a = new_secret();
        let b = new_secret();
        assert!(a.starts_with(PREFIX) && a.len() == PREFIX.len() + SECRET_CHARS);
        assert_ne!(a, b);
        assert!(well_formed(&a));
        assert!(!well_formed(&a[..a.len() - 1]));
        assert!(!well_formed(&a.replacen(PREFIX, "xx_", 1)));
        assert!(!well_formed(&format!("{}!", &a[..a.len() - 1])));
        assert_eq!(hash(&a).len(), 64);
        assert_ne!(hash(&a), hash(&b));
    }

    #[test]
    fn the_expiry_is_required_after_today_and_within_a_year() {
        let today = date!(2026 - 11 - 23);
        let role = RoleId::new().to_string();
        let input = |expires: &str, rate: &str, roles: Vec<String>| TokenInput {
            name: "Arkivet".into(),
            roles,
            org_unit_id: String::new(),
            expires_on: expires.into(),
            rate_per_minute: rate.into(),
        };
        let ok = input("2027-11-23", "60", vec![role.clone()]).validate(today).expect("valid");
        assert_eq!(ok.expires_at, date!(2027 - 11 - 24).midnight().assume_utc());
        assert_eq!(ok.rate_per_minute, 60);
        for (expires, rate, roles, field) in [
            ("", "60", vec![role.clone()], "expires_on"),
            ("2026-11-23", "60", vec![role.clone()], "expires_on"),
            ("2027-11-25", "60", vec![role.clone()], "expires_on"),
            ("2027-02-30", "60", vec![role.clone()], "expires_on"),
            ("2027-01-01", "0", vec![role.clone()], "rate_per_minute"),
            ("2027-01-01", "10001", vec![role.clone()], "rate_per_minute"),
            ("2027-01-01", "60", vec![], "roles"),
            ("2027-01-01", "60", vec!["x".into()], "roles"),
        ] {
            let e = input(expires, rate, roles).validate(today).expect_err(field);
            assert!(e.field_errors().iter().any(|f| f.field == field), "{field}: {e:?}");
        }
    }
}
