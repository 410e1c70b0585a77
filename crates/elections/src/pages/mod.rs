//! The public information pages of the election work (`el_page`): the office writes them as
//! HTML in a textarea, and every save keeps only a small, safe subset of HTML (see
//! [`sanitise`]). The public web shows them under `/valarbete`.

pub mod public;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use radhus_kernel::ids::TenantId;
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::session::StaffUser;
use radhus_platform::on_tx;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::error::ElectionError;
use crate::support::audit::audit;
use crate::support::office::require_office;

/// The tags the page body may use; everything else is removed on save.
pub const ALLOWED_TAGS: [&str; 11] = ["p", "h2", "h3", "ul", "ol", "li", "a", "strong", "em", "br", "blockquote"];

/// Keeps p, h2, h3, ul, ol, li, a (href only: http, https, mailto or a path on this site),
/// strong, em, br and blockquote. Scripts and styles go with their content; every other tag
/// is unwrapped to its text; attributes (event handlers, style, class …) and comments are
/// dropped; links get `rel="noopener"`.
pub fn sanitise(html: &str) -> String {
    let tags: HashSet<&str> = ALLOWED_TAGS.into_iter().collect();
    let a_attrs: HashSet<&str> = ["href"].into_iter().collect();
    let mut b = ammonia::Builder::empty();
    b.tags(tags)
        .tag_attributes(HashMap::from([("a", a_attrs)]))
        .generic_attributes(HashSet::new())
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::Custom(Box::new(site_path)))
        .link_rel(Some("noopener"))
        .clean_content_tags(["script", "style"].into_iter().collect())
        .strip_comments(true);
    b.clean(html).to_string()
}

/// A relative link survives only as a path on this site (`/valarbete/…`), never `//host`.
fn site_path(url: &str) -> Option<Cow<'_, str>> {
    (url.starts_with('/') && !url.starts_with("//") && !url.contains('\\')).then_some(Cow::Borrowed(url))
}

/// The text of a sanitised body without its tags (for summaries and length checks).
pub fn text_of(html: &str) -> String {
    let mut b = ammonia::Builder::empty();
    b.tags(HashSet::new()).clean_content_tags(["script", "style"].into_iter().collect());
    let text = b.clean(html).to_string();
    text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&nbsp;", " ")
}

// ------------------------------------------------------------------ store

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PageRow {
    pub slug: String,
    pub title: String,
    pub body_html: String,
    pub position: i64,
    pub updated_at: OffsetDateTime,
}

pub async fn pages(tx: &mut Tx, t: TenantId) -> Result<Vec<PageRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT slug, title, body_html, CAST(position AS BIGINT) AS position, updated_at FROM el_page WHERE tenant_id = $1 ORDER BY position, title")
        .bind(t.0).fetch_all(c).await?))
}

pub async fn page(tx: &mut Tx, t: TenantId, slug: &str) -> Result<Option<PageRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT slug, title, body_html, CAST(position AS BIGINT) AS position, updated_at FROM el_page WHERE tenant_id = $1 AND slug = $2")
        .bind(t.0).bind(slug).fetch_optional(c).await?))
}

async fn insert_page(tx: &mut Tx, t: TenantId, p: &PageRow, by: uuid::Uuid) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO el_page (tenant_id, slug, title, body_html, position, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(t.0).bind(&p.slug).bind(&p.title).bind(&p.body_html).bind(p.position as i32).bind(by).bind(p.updated_at)
        .execute(c).await?.rows_affected());
    Ok(())
}

async fn update_page_row(tx: &mut Tx, t: TenantId, p: &PageRow, by: uuid::Uuid) -> Result<u64> {
    Ok(on_tx!(tx, c => sqlx::query(
        "UPDATE el_page SET title = $3, body_html = $4, updated_by = $5, updated_at = $6 WHERE tenant_id = $1 AND slug = $2")
        .bind(t.0).bind(&p.slug).bind(&p.title).bind(&p.body_html).bind(by).bind(p.updated_at)
        .execute(c).await?.rows_affected()))
}

async fn set_position(tx: &mut Tx, t: TenantId, slug: &str, position: i64) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE el_page SET position = $3 WHERE tenant_id = $1 AND slug = $2")
        .bind(t.0).bind(slug).bind(position as i32).execute(c).await?.rows_affected());
    Ok(())
}

async fn delete_page_row(tx: &mut Tx, t: TenantId, slug: &str) -> Result<u64> {
    Ok(on_tx!(tx, c => sqlx::query("DELETE FROM el_page WHERE tenant_id = $1 AND slug = $2")
        .bind(t.0).bind(slug).execute(c).await?.rows_affected()))
}

// ------------------------------------------------------------------ use cases

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PageInput {
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    /// "preview" shows the sanitised body without saving.
    #[serde(default)]
    pub action: String,
}

/// A page address: 1–60 of a–z, 0–9 and hyphens, not starting or ending with a hyphen.
pub fn valid_slug(s: &str) -> Result<String> {
    let s = s.trim().to_lowercase();
    let ok = !s.is_empty()
        && s.len() <= 60
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-');
    if ok { Ok(s) } else { Err(Error::invalid("slug", "el-public-bad-slug")) }
}

fn valid_page(f: &PageInput) -> Result<(String, String)> {
    let title = f.title.trim();
    let mut errors = vec![];
    if title.is_empty() || title.chars().count() > 120 {
        errors.push(radhus_platform::error::FieldError::new("title", "el-public-bad-title"));
    }
    let body = sanitise(&f.body);
    if text_of(&body).trim().is_empty() || f.body.len() > 100_000 {
        errors.push(radhus_platform::error::FieldError::new("body", "el-public-bad-body"));
    }
    if errors.is_empty() { Ok((title.to_string(), body)) } else { Err(Error::Invalid(errors)) }
}

/// Creates a page at the end of the order; returns its slug.
pub async fn create_page(db: &Db, s: &StaffUser, f: &PageInput, now: OffsetDateTime) -> Result<String> {
    require_office(s)?;
    let slug = valid_slug(&f.slug);
    let page = valid_page(f);
    let (slug, (title, body_html)) = match (slug, page) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(Error::Invalid(mut a)), Err(Error::Invalid(b))) => {
            a.extend(b);
            return Err(Error::Invalid(a));
        }
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let existing = pages(&mut tx, t).await?;
    if existing.iter().any(|p| p.slug == slug) {
        return Err(ElectionError::SlugTaken.into());
    }
    let position = existing.iter().map(|p| p.position).max().map_or(0, |m| m + 1);
    let row = PageRow { slug: slug.clone(), title, body_html, position, updated_at: now };
    insert_page(&mut tx, t, &row, s.user_id.0).await?;
    audit(&mut tx, s, "elections.page.created", "el_page", &slug, serde_json::json!({ "title": row.title }), now).await?;
    tx.commit().await?;
    Ok(slug)
}

pub async fn update_page(db: &Db, s: &StaffUser, slug: &str, f: &PageInput, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let (title, body_html) = valid_page(f)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let row = PageRow { slug: slug.to_string(), title, body_html, position: 0, updated_at: now };
    if update_page_row(&mut tx, t, &row, s.user_id.0).await? == 0 {
        return Err(Error::NotFound);
    }
    audit(&mut tx, s, "elections.page.updated", "el_page", slug, serde_json::json!({ "title": row.title }), now).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_page(db: &Db, s: &StaffUser, slug: &str, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    if delete_page_row(&mut tx, t, slug).await? == 0 {
        return Err(Error::NotFound);
    }
    audit(&mut tx, s, "elections.page.deleted", "el_page", slug, serde_json::json!({}), now).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves a page one step up or down in the order (the public start page lists them so).
pub async fn move_page(db: &Db, s: &StaffUser, slug: &str, up: bool, now: OffsetDateTime) -> Result<()> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let mut list = pages(&mut tx, t).await?;
    let i = list.iter().position(|p| p.slug == slug).ok_or(Error::NotFound)?;
    let j = if up { i.checked_sub(1) } else { Some(i + 1).filter(|j| *j < list.len()) };
    if let Some(j) = j {
        list.swap(i, j);
        for (n, p) in list.iter().enumerate() {
            set_position(&mut tx, t, &p.slug, n as i64).await?;
        }
        audit(&mut tx, s, "elections.page.moved", "el_page", slug, serde_json::json!({ "up": up }), now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Three information pages for the demo ("Arbeta i valet", "Ersättning och utbildning",
/// "Så behandlar vi dina personuppgifter"); pages that already exist are left as they are.
pub async fn seed_demo_pages(db: &Db, s: &StaffUser, now: OffsetDateTime) -> Result<Vec<String>> {
    let t = s.tenant_id;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let existing: Vec<String> = pages(&mut tx, t).await?.into_iter().map(|p| p.slug).collect();
    tx.commit().await?;
    let mut made = vec![];
    for (slug, title, body) in DEMO_PAGES {
        if existing.iter().any(|x| x == slug) {
            continue;
        }
        let f = PageInput { slug: (*slug).into(), title: (*title).into(), body: (*body).into(), action: String::new() };
        made.push(create_page(db, s, &f, now).await?);
    }
    Ok(made)
}

const DEMO_PAGES: &[(&str, &str, &str)] = &[
    (
        "arbeta-i-valet",
        "Arbeta i valet",
        "<p>Vid varje val behöver kommunen röstmottagare som tar emot rösterna i vallokalerna på valdagen och i röstningslokalerna under förtidsröstningen. Som röstmottagare gör du en viktig insats för demokratin.</p>\
<h2>Vem kan arbeta i valet?</h2>\
<ul><li>Du har fyllt 18 år senast på valdagen.</li><li>Du talar och skriver svenska bra. Kan du fler språk är det en merit.</li><li>Du kandiderar inte själv i valet. Röstmottagare ska vara sakliga och opartiska.</li><li>Du kan gå kommunens utbildning före valet.</li></ul>\
<h2>Roller i vallokalen</h2>\
<p>I varje vallokal finns en <strong>ordförande</strong>, en <strong>vice ordförande</strong> och flera <strong>röstmottagare</strong>. Ordföranden leder arbetet och ansvarar för att allt går rätt till. Har du arbetat i val tidigare kan du söka till ordförande eller vice ordförande.</p>\
<h2>Så anmäler du intresse</h2>\
<p>Fyll i intresseanmälan här på webbplatsen. Valkansliet går igenom alla anmälningar och hör av sig under sommaren. Har du frågor är du välkommen att kontakta valkansliet.</p>",
    ),
    (
        "ersattning-och-utbildning",
        "Ersättning och utbildning",
        "<p>Alla röstmottagare går en obligatorisk utbildning före valet. Utbildningen tar ungefär tre timmar och ges vid flera tillfällen, både dagtid och kvällstid. Ordförande och vice ordförande går en längre utbildning.</p>\
<h2>Ersättning</h2>\
<ul><li>Röstmottagare på valdagen: arvode enligt valnämndens beslut, för hela dagen inklusive rösträkningen.</li><li>Ordförande och vice ordförande får ett högre arvode.</li><li>Utbildningen ersätts med ett särskilt arvode när du har genomfört den.</li></ul>\
<p>Arvodet betalas ut med lönen månaden efter valet. Det är skattepliktigt och kommunen betalar sociala avgifter.</p>\
<blockquote>Tänk på att anmäla förhinder så tidigt som möjligt, så att valkansliet hinner hitta en ersättare.</blockquote>",
    ),
    (
        "personuppgifter",
        "Så behandlar vi dina personuppgifter",
        "<p>När du anmäler intresse för att arbeta i valet behandlar valnämnden dina personuppgifter: namn, personnummer, kontaktuppgifter, adress, språkkunskaper, önskemål om lokal och pass, tidigare erfarenhet och om du kandiderar i valet.</p>\
<h2>Varför vi behandlar uppgifterna</h2>\
<p>Valnämnden behöver uppgifterna för att kunna bemanna vallokalerna och förordna röstmottagare enligt vallagen. Den rättsliga grunden är att behandlingen är nödvändig för att utföra en uppgift av allmänt intresse och som ett led i myndighetsutövning (artikel 6.1 e i dataskyddsförordningen).</p>\
<h2>Hur länge vi sparar uppgifterna</h2>\
<p>Uppgifterna sparas tills arbetet med valet är avslutat. Därefter gallras de, utom det som ska bevaras enligt arkivlagen, till exempel förordnanden och utbetalda arvoden.</p>\
<h2>Dina rättigheter</h2>\
<p>Du har rätt att få veta vilka uppgifter vi har om dig, att få felaktiga uppgifter rättade och att klaga hos Integritetsskyddsmyndigheten. Kontakta kommunens dataskyddsombud om du har frågor.</p>",
    ),
];
