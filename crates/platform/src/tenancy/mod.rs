//! Municipalities (kommuner) as tenants, resolved from the request's host name.

pub mod color;
pub mod statement_pages;
pub mod statements;
pub mod web;

use radhus_kernel::ids::TenantId;
use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use std::sync::Arc;

use crate::db::Tx;
use crate::error::{Error, FieldError, Result};
use crate::on_tx;

/// Per-municipality settings kept as JSON so modules can add keys without migrations.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct TenantSettings {
    /// OpenID Connect for citizen e-ID (the municipality's e-ID broker).
    pub oidc: Option<OidcSettings>,
    /// Sender address of e-mail from this municipality (falls back to the platform's).
    pub email_from: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OidcSettings {
    pub issuer_url: String,
    pub client_id: String,
    pub client_secret: String,
    /// The ID-token claim that holds the personal identity number.
    #[serde(default = "default_pnr_claim")]
    pub pnr_claim: String,
}

fn default_pnr_claim() -> String {
    "personal_identity_number".into()
}

/// Which site a request is for: the platform host or a municipality's own host.
#[derive(Clone, Debug)]
pub enum Site {
    /// The platform host: the landing page and the operators' administration.
    Platform,
    /// A municipality's own host.
    Tenant(Arc<Tenant>),
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Tenant {
    pub id: TenantId,
    pub kommunkod: String,
    pub slug: String,
    pub name: String,
    pub primary_color: String,
    pub logo_svg: Option<String>,
    pub contact_email: String,
    pub contact_phone: String,
    pub address: String,
    pub website: String,
    pub settings: TenantSettings,
    pub created_at: OffsetDateTime,
    pub hosts: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct TenantRow {
    id: Uuid,
    kommunkod: String,
    slug: String,
    name: String,
    primary_color: String,
    logo_svg: Option<String>,
    contact_email: String,
    contact_phone: String,
    address: String,
    website: String,
    settings: Json<TenantSettings>,
    created_at: OffsetDateTime,
}

impl TenantRow {
    fn into_tenant(self, hosts: Vec<String>) -> Tenant {
        Tenant {
            id: TenantId(self.id),
            kommunkod: self.kommunkod,
            slug: self.slug,
            name: self.name,
            primary_color: self.primary_color,
            logo_svg: self.logo_svg,
            contact_email: self.contact_email,
            contact_phone: self.contact_phone,
            address: self.address,
            website: self.website,
            settings: self.settings.0,
            created_at: self.created_at,
            hosts,
        }
    }
}

const TENANT_COLS: &str = "t.id, t.kommunkod, t.slug, t.name, t.primary_color, t.logo_svg, \
    t.contact_email, t.contact_phone, t.address, t.website, t.settings, t.created_at";

/// What an operator enters to create or edit a municipality.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TenantInput {
    pub kommunkod: String,
    pub name: String,
    pub slug: String,
    pub primary_color: String,
    #[serde(default)]
    pub contact_email: String,
    #[serde(default)]
    pub contact_phone: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub website: String,
    /// Host names, one per line or separated by commas/spaces.
    #[serde(default)]
    pub hosts: String,
}

impl TenantInput {
    /// Parses and checks every field; returns all problems at once.
    pub fn validate(&self) -> Result<ValidTenant> {
        let mut errs = vec![];
        let kommunkod = self.kommunkod.trim().to_string();
        if kommunkod.len() != 4 || !kommunkod.chars().all(|c| c.is_ascii_digit()) {
            errs.push(FieldError::new("kommunkod", "err-kommunkod"));
        }
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 100 {
            errs.push(FieldError::new("name", "err-municipality-name"));
        }
        let slug = self.slug.trim().to_ascii_lowercase();
        if !valid_label(&slug) {
            errs.push(FieldError::new("slug", "err-slug"));
        }
        let color = self.primary_color.trim().to_ascii_lowercase();
        match color::parse_hex(&color) {
            None => errs.push(FieldError::new("primary_color", "err-color")),
            Some(rgb) if color::contrast_ratio(rgb, (255, 255, 255)) < 4.5 => {
                errs.push(FieldError::new("primary_color", "err-color-contrast"))
            }
            Some(_) => {}
        }
        let email = self.contact_email.trim().to_string();
        if !email.is_empty() && !crate::identity::looks_like_email(&email) {
            errs.push(FieldError::new("contact_email", "err-email"));
        }
        let website = self.website.trim().to_string();
        if !(website.is_empty() || website.starts_with("https://") || website.starts_with("http://")) {
            errs.push(FieldError::new("website", "err-url"));
        }
        let hosts: Vec<String> = self
            .hosts
            .split(|c: char| c == ',' || c.is_whitespace())
            .map(|h| h.trim().trim_end_matches('.').to_ascii_lowercase())
            .filter(|h| !h.is_empty())
            .collect();
        if hosts.iter().any(|h| !valid_host(h)) {
            errs.push(FieldError::new("hosts", "err-host"));
        }
        if !errs.is_empty() {
            return Err(Error::Invalid(errs));
        }
        Ok(ValidTenant {
            kommunkod,
            name,
            slug,
            primary_color: color,
            contact_email: email,
            contact_phone: self.contact_phone.trim().to_string(),
            address: self.address.trim().to_string(),
            website,
            hosts,
        })
    }
}

#[derive(Debug, Clone)]
pub struct ValidTenant {
    pub kommunkod: String,
    pub name: String,
    pub slug: String,
    pub primary_color: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub address: String,
    pub website: String,
    pub hosts: Vec<String>,
}

fn valid_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// The Swedish genitive of a place name as used in "Karlstads kommun": an -s is added
/// unless the name already ends in s, x, z or a vowel ("Arvika kommun", "Grums kommun").
pub fn genitive_sv(name: &str) -> String {
    match name.chars().last().map(|c| c.to_lowercase().next().unwrap_or(c)) {
        Some('s' | 'x' | 'z' | 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'å' | 'ä' | 'ö') | None => name.to_string(),
        Some(_) => format!("{name}s"),
    }
}

/// A DNS host name (no port): dot-separated labels.
pub fn valid_host(h: &str) -> bool {
    h.len() <= 253 && h.split('.').all(valid_label)
}

/// Host header → host name without port, lower-case.
pub fn normalise_host(header: &str) -> String {
    let h = header.trim().to_ascii_lowercase();
    let h = if let Some(rest) = h.strip_prefix('[') {
        // IPv6 literal
        rest.split(']').next().unwrap_or("").to_string()
    } else {
        h.split(':').next().unwrap_or("").to_string()
    };
    h.trim_end_matches('.').to_string()
}

pub async fn by_host(tx: &mut Tx, host: &str) -> Result<Option<Tenant>> {
    let sql = format!("SELECT {TENANT_COLS} FROM tenant t JOIN tenant_host h ON h.tenant_id = t.id WHERE h.host = $1");
    let row: Option<TenantRow> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(host).fetch_optional(c).await?);
    match row {
        Some(r) => {
            let hosts = hosts_of(tx, TenantId(r.id)).await?;
            Ok(Some(r.into_tenant(hosts)))
        }
        None => Ok(None),
    }
}

pub async fn get(tx: &mut Tx, id: TenantId) -> Result<Tenant> {
    let sql = format!("SELECT {TENANT_COLS} FROM tenant t WHERE t.id = $1");
    let row: Option<TenantRow> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_optional(c).await?);
    let row = row.ok_or(Error::NotFound)?;
    let hosts = hosts_of(tx, id).await?;
    Ok(row.into_tenant(hosts))
}

pub async fn by_slug(tx: &mut Tx, slug: &str) -> Result<Option<Tenant>> {
    let sql = format!("SELECT {TENANT_COLS} FROM tenant t WHERE t.slug = $1");
    let row: Option<TenantRow> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(slug).fetch_optional(c).await?);
    match row {
        Some(r) => {
            let hosts = hosts_of(tx, TenantId(r.id)).await?;
            Ok(Some(r.into_tenant(hosts)))
        }
        None => Ok(None),
    }
}

/// All municipalities by name, with their host names (two queries, no N+1).
pub async fn list(tx: &mut Tx) -> Result<Vec<Tenant>> {
    let sql = format!("SELECT {TENANT_COLS} FROM tenant t ORDER BY t.name");
    let rows: Vec<TenantRow> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(c).await?);
    let hosts: Vec<(Uuid, String)> =
        on_tx!(tx, c => sqlx::query_as("SELECT tenant_id, host FROM tenant_host ORDER BY host").fetch_all(c).await?);
    Ok(rows
        .into_iter()
        .map(|r| {
            let h = hosts.iter().filter(|(t, _)| *t == r.id).map(|(_, h)| h.clone()).collect();
            r.into_tenant(h)
        })
        .collect())
}

async fn hosts_of(tx: &mut Tx, id: TenantId) -> Result<Vec<String>> {
    let rows: Vec<(String,)> =
        on_tx!(tx, c => sqlx::query_as("SELECT host FROM tenant_host WHERE tenant_id = $1 ORDER BY host").bind(id.0).fetch_all(c).await?);
    Ok(rows.into_iter().map(|(h,)| h).collect())
}

/// Creates a municipality. Duplicate kommunkod, slug or host is a conflict.
pub async fn create(tx: &mut Tx, v: &ValidTenant, now: OffsetDateTime) -> Result<TenantId> {
    let id = TenantId::new();
    let settings = Json(TenantSettings::default());
    let logo = default_logo_svg(&v.name, &v.primary_color);
    let res = on_tx!(tx, c => sqlx::query(
        "INSERT INTO tenant (id, kommunkod, slug, name, primary_color, logo_svg, contact_email, contact_phone, address, website, settings, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
        .bind(id.0).bind(&v.kommunkod).bind(&v.slug).bind(&v.name).bind(&v.primary_color).bind(&logo)
        .bind(&v.contact_email).bind(&v.contact_phone).bind(&v.address).bind(&v.website).bind(&settings).bind(now)
        .execute(c).await.map(|r| r.rows_affected()));
    if let Err(e) = res {
        return Err(if crate::db::is_unique_violation(&e) { Error::Conflict("err-tenant-exists") } else { e.into() });
    }
    set_hosts(tx, id, &v.hosts).await?;
    Ok(id)
}

/// Updates name, branding, contact details and host names.
pub async fn update(tx: &mut Tx, id: TenantId, v: &ValidTenant) -> Result<()> {
    let res = on_tx!(tx, c => sqlx::query(
        "UPDATE tenant SET kommunkod = $2, slug = $3, name = $4, primary_color = $5, contact_email = $6, \
         contact_phone = $7, address = $8, website = $9 WHERE id = $1")
        .bind(id.0).bind(&v.kommunkod).bind(&v.slug).bind(&v.name).bind(&v.primary_color)
        .bind(&v.contact_email).bind(&v.contact_phone).bind(&v.address).bind(&v.website)
        .execute(c).await.map(|r| r.rows_affected()));
    match res {
        Err(e) if crate::db::is_unique_violation(&e) => return Err(Error::Conflict("err-tenant-exists")),
        Err(e) => return Err(e.into()),
        Ok(0) => return Err(Error::NotFound),
        Ok(_) => {}
    }
    set_hosts(tx, id, &v.hosts).await
}

pub async fn set_logo(tx: &mut Tx, id: TenantId, svg: Option<&str>) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE tenant SET logo_svg = $2 WHERE id = $1").bind(id.0).bind(svg).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn set_settings(tx: &mut Tx, id: TenantId, s: &TenantSettings) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE tenant SET settings = $2 WHERE id = $1").bind(id.0).bind(Json(s)).execute(c).await?.rows_affected());
    Ok(())
}

async fn set_hosts(tx: &mut Tx, id: TenantId, hosts: &[String]) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM tenant_host WHERE tenant_id = $1").bind(id.0).execute(c).await?.rows_affected());
    for h in hosts {
        let res = on_tx!(tx, c => sqlx::query("INSERT INTO tenant_host (host, tenant_id) VALUES ($1, $2)").bind(h).bind(id.0).execute(c).await.map(|r| r.rows_affected()));
        if let Err(e) = res {
            return Err(if crate::db::is_unique_violation(&e) { Error::Conflict("err-host-taken") } else { e.into() });
        }
    }
    Ok(())
}

/// A plain shield with the municipality's initial, used until a real logo is uploaded.
pub fn default_logo_svg(name: &str, color: &str) -> String {
    let initial: String = name.chars().next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
    let initial = radhus_kernel::html::escape(&initial);
    let color = radhus_kernel::html::escape(color);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 40 48\" role=\"img\">\
<path d=\"M2 2h36v22c0 12-9 19-18 22C11 43 2 36 2 24z\" fill=\"{color}\" stroke=\"#1a1a1a\" stroke-width=\"2\"/>\
<text x=\"20\" y=\"30\" font-family=\"sans-serif\" font-size=\"20\" font-weight=\"700\" fill=\"#ffffff\" text-anchor=\"middle\">{initial}</text></svg>"
    )
}

/// Checks an uploaded SVG logo: small, an `<svg>` root, and nothing executable.
pub fn validate_logo_svg(svg: &str) -> Result<()> {
    let lower = svg.to_ascii_lowercase();
    let forbidden = [
        "<script",
        "javascript:",
        "onload",
        "onerror",
        "onclick",
        "<foreignobject",
        "xlink:href=\"http",
        "href=\"http",
        "<iframe",
        "<!entity",
    ];
    if svg.len() > 100_000
        || !lower.trim_start().trim_start_matches("<?xml").contains("<svg")
        || forbidden.iter().any(|f| lower.contains(f))
        || lower.contains(" on") && lower.split_whitespace().any(|w| w.starts_with("on") && w.contains('='))
    {
        return Err(Error::invalid("logo", "err-logo"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_genitive_of_municipality_names() {
        let names = [
            ("Karlstad", "Karlstads"),
            ("Kil", "Kils"),
            ("Arvika", "Arvika"),
            ("Grums", "Grums"),
            ("Hammarö", "Hammarö"),
            ("Årjäng", "Årjängs"),
            ("Torsby", "Torsby"),
        ];
        for (name, genitive) in names {
            assert_eq!(genitive_sv(name), genitive);
        }
    }

    #[test]
    fn hosts_are_normalised() {
        assert_eq!(normalise_host("Karlstad.LOCALHOST:8080"), "karlstad.localhost");
        assert_eq!(normalise_host("[::1]:8080"), "::1");
        assert_eq!(normalise_host("kil.localhost."), "kil.localhost");
    }

    #[test]
    fn tenant_input_reports_every_problem() {
        let input = TenantInput {
            kommunkod: "17".into(),
            name: "".into(),
            slug: "Bad Slug".into(),
            primary_color: "#ffff00".into(),
            hosts: "ok.example, bad_host!".into(),
            ..Default::default()
        };
        let Err(Error::Invalid(errs)) = input.validate() else { panic!("expected invalid") };
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["kommunkod", "name", "slug", "primary_color", "hosts"]);
        assert_eq!(errs[3].message, "err-color-contrast");
    }

    #[test]
    fn logo_with_script_is_refused() {
        assert!(validate_logo_svg("<svg><script>alert(1)</script></svg>").is_err());
        assert!(validate_logo_svg("<svg onload=\"x()\"></svg>").is_err());
        assert!(validate_logo_svg(&default_logo_svg("Kil", "#005a9c")).is_ok());
    }
}
