//! A municipality's accessibility statement (tillgänglighetsredogörelse, required by the law on
//! accessibility of digital public services, DOS-lagen 2018:1937) and its privacy notice, linked
//! from the footer of every page (issue 18 item 8).
//!
//! Until the municipality's administrator writes its own text, each page shows a default built
//! from the municipality's data (name, e-mail, phone, address). The text is plain: paragraphs
//! separated by a blank line, a line starting with `## ` is a heading, lines starting with `- `
//! are a list. Nothing in it is markup, so nothing typed can become HTML.

use time::OffsetDateTime;

use crate::db::Tx;
use crate::error::{Error, FieldError, Result};
use crate::on_tx;
use crate::tenancy::{Tenant, genitive_sv};
use radhus_kernel::ids::TenantId;

/// The longest text a statement may have.
pub const MAX_LEN: usize = 30_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Accessibility,
    Privacy,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Accessibility, Kind::Privacy];

    /// The value in `site_statement.kind`.
    pub fn db(self) -> &'static str {
        match self {
            Kind::Accessibility => "accessibility",
            Kind::Privacy => "privacy",
        }
    }

    /// The public page's address.
    pub fn href(self) -> &'static str {
        match self {
            Kind::Accessibility => "/tillganglighet",
            Kind::Privacy => "/personuppgifter",
        }
    }

    /// The last part of the administrator's page address (`/admin/redogorelser/<slug>`).
    pub fn slug(self) -> &'static str {
        match self {
            Kind::Accessibility => "tillganglighet",
            Kind::Privacy => "personuppgifter",
        }
    }

    pub fn from_slug(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.slug() == s)
    }

    /// Fluent id of the page's title.
    pub fn title_id(self) -> &'static str {
        match self {
            Kind::Accessibility => "statement-accessibility",
            Kind::Privacy => "statement-privacy",
        }
    }
}

/// A statement as shown: the municipality's own text, or the default.
#[derive(Debug, Clone)]
pub struct Statement {
    pub body: String,
    /// When the municipality last saved its own text; `None` for the default.
    pub updated_at: Option<OffsetDateTime>,
}

/// The statement of a municipality (`None`: the platform's own host, always the default).
pub async fn get(tx: &mut Tx, tenant: Option<&Tenant>, kind: Kind) -> Result<Statement> {
    if let Some(t) = tenant {
        let row: Option<(String, OffsetDateTime)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT body, updated_at FROM site_statement WHERE tenant_id = $1 AND kind = $2")
            .bind(t.id.0).bind(kind.db()).fetch_optional(c).await?);
        if let Some((body, at)) = row {
            return Ok(Statement { body, updated_at: Some(at) });
        }
    }
    Ok(Statement { body: default_body(kind, tenant), updated_at: None })
}

/// Saves the municipality's own text. An empty text is refused (the default is restored with
/// [`reset`]).
pub async fn save(tx: &mut Tx, tenant: TenantId, kind: Kind, body: &str, now: OffsetDateTime) -> Result<()> {
    let body = body.trim().replace("\r\n", "\n");
    if body.is_empty() {
        return Err(Error::invalid("body", "err-statement-empty"));
    }
    if body.len() > MAX_LEN {
        return Err(Error::Invalid(vec![FieldError::new("body", "err-statement-long")]));
    }
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO site_statement (tenant_id, kind, body, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (tenant_id, kind) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at")
        .bind(tenant.0).bind(kind.db()).bind(&body).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

/// Goes back to the default text.
pub async fn reset(tx: &mut Tx, tenant: TenantId, kind: Kind) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM site_statement WHERE tenant_id = $1 AND kind = $2")
        .bind(tenant.0).bind(kind.db()).execute(c).await?.rows_affected());
    Ok(())
}

/// How to reach the municipality, as list lines ("- E-post: …"), from what it has filled in.
fn contact_lines(t: &Tenant) -> String {
    let mut lines = vec![];
    if !t.contact_email.is_empty() {
        lines.push(format!("- E-post: {}", t.contact_email));
    }
    if !t.contact_phone.is_empty() {
        lines.push(format!("- Telefon: {}", t.contact_phone));
    }
    if !t.address.is_empty() {
        lines.push(format!("- Postadress: {}", t.address));
    }
    if lines.is_empty() {
        lines.push("- Kontaktuppgifter finns på kommunens webbplats.".to_string());
    }
    lines.join("\n")
}

/// The default text, in Swedish, built from the municipality's data.
pub fn default_body(kind: Kind, tenant: Option<&Tenant>) -> String {
    let (org, contacts) = match tenant {
        Some(t) => (format!("{} kommun", genitive_sv(&t.name)), contact_lines(t)),
        None => (
            "Rådhus, kommunernas gemensamma plattform,".to_string(),
            "- Kontakta den kommun som din fråga gäller; kommunernas kontaktuppgifter finns på deras egna sidor.".to_string(),
        ),
    };
    match kind {
        Kind::Accessibility => format!(
            "{org} står bakom den här webbplatsen. Vi vill att så många som möjligt ska kunna använda den. Här beskriver vi \
hur webbplatsen uppfyller lagen om tillgänglighet till digital offentlig service, kända tillgänglighetsproblem och hur du \
kan rapportera brister till oss så att vi kan åtgärda dem.

## Hur tillgänglig är webbplatsen?
Webbplatsen är byggd för att uppfylla kraven i WCAG 2.1 på nivå AA. Sidorna fungerar utan JavaScript, med enbart \
tangentbord, med skärmläsare och i en mobiltelefons bredd. Vi känner inte till några brister mot kraven, men \
automatiska tester hittar inte allt. Kända brister beskrivs här när vi upptäcker dem.

## Vad kan du göra om du inte kan använda delar av webbplatsen?
Om du behöver innehåll från webbplatsen i ett annat format, till exempel ett dokument i tillgänglig form, kan du \
kontakta oss:
{contacts}

## Rapportera brister i webbplatsens tillgänglighet
Vi strävar hela tiden efter att förbättra webbplatsens tillgänglighet. Om du upptäcker problem som inte beskrivs på \
den här sidan, eller om du anser att vi inte uppfyller lagens krav, kontakta oss så att vi får veta att problemet \
finns. Använd kontaktuppgifterna ovan.

## Tillsyn
Myndigheten för digital förvaltning (Digg) har ansvaret för tillsyn över lagen om tillgänglighet till digital \
offentlig service. Om du inte är nöjd med hur vi hanterar dina synpunkter kan du anmäla det till Digg på \
www.digg.se/tdosanmalan.

## Hur vi har testat webbplatsen
Webbplatsen bygger på plattformen Rådhus. Varje sida testas automatiskt mot WCAG 2.1 nivå AA med verktyget axe, \
både i full bredd och i en mobiltelefons bredd (360 pixlar), varje gång plattformen ändras."
        ),
        Kind::Privacy => format!(
            "{org} är personuppgiftsansvarig för de personuppgifter som behandlas på den här webbplatsen. Den nämnd som \
handlägger ditt ärende ansvarar för personuppgifterna i ärendet.

## Vilka personuppgifter behandlar vi?
- När du loggar in med e-legitimation: ditt personnummer och ditt namn.
- När du skickar in något: det du skriver och bifogar, och de kontaktuppgifter du lämnar.
- När du har ett ärende hos oss: uppgifterna i ärendet och i dess handlingar.

## Varför får vi behandla uppgifterna?
Vi behandlar uppgifterna för att kunna handlägga ditt ärende och ge dig service. Den rättsliga grunden är oftast att \
behandlingen behövs för att utföra en uppgift av allmänt intresse eller som ett led i myndighetsutövning \
(dataskyddsförordningen artikel 6.1 e), och att vi måste följa lagar som arkivlagen (artikel 6.1 c).

## Vem ser uppgifterna och hur länge sparas de?
De medarbetare som behöver uppgifterna i sitt arbete kan se dem, och varje gång någon läser eller ändrar dem loggas \
det. Handlingar som kommer in till kommunen eller upprättas här är allmänna handlingar: vem som helst kan begära att \
få ta del av dem, men uppgifter som omfattas av sekretess lämnas inte ut. Uppgifterna sparas så länge arkivlagen och \
kommunens dokumenthanteringsplan kräver och gallras sedan.

## Kakor
Webbplatsen använder bara kakor som behövs för att den ska fungera: en som håller dig inloggad, en som skyddar \
formulären mot förfalskade anrop och en som minns vilket språk du har valt. Inga kakor används för statistik eller \
marknadsföring.

## Dina rättigheter
Du har rätt att få veta vilka personuppgifter vi behandlar om dig (registerutdrag), att få felaktiga uppgifter \
rättade, att invända mot behandlingen och i vissa fall att få uppgifter raderade eller behandlingen begränsad. \
Allmänna handlingar får bara gallras enligt arkivlagen.

## Kontakt
Frågor om hur vi behandlar dina personuppgifter, och frågor till kommunens dataskyddsombud, når oss här:
{contacts}

## Klagomål
Om du anser att vi behandlar dina personuppgifter fel kan du lämna klagomål till Integritetsskyddsmyndigheten \
(IMY), www.imy.se."
        ),
    }
}

/// One part of a statement as a page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    List(Vec<String>),
}

/// The text as headings, paragraphs and lists (see the module's documentation).
pub fn blocks(body: &str) -> Vec<Block> {
    let mut out = vec![];
    let mut para: Vec<&str> = vec![];
    let mut list: Vec<String> = vec![];
    fn flush(out: &mut Vec<Block>, para: &mut Vec<&str>, list: &mut Vec<String>) {
        if !para.is_empty() {
            out.push(Block::Paragraph(para.join(" ")));
            para.clear();
        }
        if !list.is_empty() {
            out.push(Block::List(std::mem::take(list)));
        }
    }
    for line in body.lines().map(str::trim) {
        if line.is_empty() {
            flush(&mut out, &mut para, &mut list);
        } else if let Some(h) = line.strip_prefix("## ") {
            flush(&mut out, &mut para, &mut list);
            out.push(Block::Heading(h.trim().to_string()));
        } else if let Some(item) = line.strip_prefix("- ") {
            if !para.is_empty() {
                out.push(Block::Paragraph(para.join(" ")));
                para.clear();
            }
            list.push(item.trim().to_string());
        } else {
            if !list.is_empty() {
                out.push(Block::List(std::mem::take(&mut list)));
            }
            para.push(line);
        }
    }
    flush(&mut out, &mut para, &mut list);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_becomes_headings_paragraphs_and_lists() {
        let b = blocks("Första\nraden\n\n## Rubrik\nText:\n- ett\n- två\nSlut <b>\n");
        assert_eq!(
            b,
            vec![
                Block::Paragraph("Första raden".into()),
                Block::Heading("Rubrik".into()),
                Block::Paragraph("Text:".into()),
                Block::List(vec!["ett".into(), "två".into()]),
                Block::Paragraph("Slut <b>".into()),
            ]
        );
    }

    #[test]
    fn the_defaults_name_the_platform_when_there_is_no_municipality() {
        for k in Kind::ALL {
            let body = default_body(k, None);
            assert!(body.starts_with("Rådhus"), "{body}");
            assert!(blocks(&body).iter().any(|b| matches!(b, Block::Heading(_))));
            assert_eq!(Kind::from_slug(k.slug()), Some(k));
        }
    }
}
