//! The official memo (tjänsteskrivelse): the caseworker's written basis for a decision,
//! generated as PDF/A from a Typst template filled with the case's data and stored as a new
//! version of the record's document. Each municipality may replace the template with its own
//! (Administration › Diarier › Dokumentmallar); a template is checked by rendering it with
//! sample data before it is saved, so a broken template never reaches a caseworker.
//!
//! A template is the municipality's own code, so typesetting is bounded ([`DEADLINE`], one
//! compilation per municipality at a time, see `radhus-pdf`) and never runs inside a
//! transaction: a slow template must not hold the database's write lock that every
//! municipality's writes wait for.

use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::session::{Principal, StaffUser};
use radhus_platform::on_tx;
use radhus_platform::tenancy;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::domain::{CaseError, RecordKind, RecordStatus};
use crate::service::{self, ADMIN};
use crate::store::{self, CaseRow, RecordRow};

pub const TEMPLATE_KEY: &str = "tjansteskrivelse";
/// The template shipped with Rådhus, used until a municipality saves its own.
pub const DEFAULT_TEMPLATE: &str = include_str!("../typst/tjansteskrivelse.typ");
const MAX_TEXT: usize = 20_000;
/// The longest template source a municipality may save (bytes).
pub const MAX_TEMPLATE: usize = 200_000;

/// The texts of a memo, as the caseworker writes them (paragraphs separated by blank lines).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct MemoText {
    /// Förslag till beslut (required).
    #[serde(default)]
    pub proposal: String,
    /// Sammanfattning.
    #[serde(default)]
    pub summary: String,
    /// Beskrivning av ärendet.
    #[serde(default)]
    pub background: String,
    /// Bedömning.
    #[serde(default)]
    pub assessment: String,
}

impl MemoText {
    fn trimmed(&self) -> MemoText {
        let t = |s: &str| s.replace("\r\n", "\n").trim().to_string();
        MemoText {
            proposal: t(&self.proposal),
            summary: t(&self.summary),
            background: t(&self.background),
            assessment: t(&self.assessment),
        }
    }

    fn validate(&self) -> Result<()> {
        let mut errs = vec![];
        if self.proposal.is_empty() {
            errs.push(FieldError::new("proposal", "err-memo-proposal"));
        }
        for (field, text) in
            [("proposal", &self.proposal), ("summary", &self.summary), ("background", &self.background), ("assessment", &self.assessment)]
        {
            if text.chars().count() > MAX_TEXT {
                errs.push(FieldError::new(field, "err-too-long"));
            }
        }
        if errs.is_empty() { Ok(()) } else { Err(Error::Invalid(errs)) }
    }
}

/// A memo is written for what the authority itself produces and has approved: outgoing
/// records and decisions, before they are established (then their content is fixed).
pub fn can_have_memo(r: &RecordRow) -> bool {
    matches!(r.kind, RecordKind::Outbound | RecordKind::Decision)
        && matches!(r.status, RecordStatus::Drafted | RecordStatus::Registered)
        && !r.is_obliterated()
}

#[derive(sqlx::FromRow)]
struct MemoRow {
    document_id: Option<Uuid>,
    proposal: String,
    summary: String,
    background: String,
    assessment: String,
}

async fn memo_row(tx: &mut Tx, t: TenantId, record: Uuid) -> Result<Option<MemoRow>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT document_id, proposal, summary, background, assessment FROM official_memo WHERE tenant_id = $1 AND record_id = $2")
        .bind(t.0).bind(record).fetch_optional(c).await?),
    )
}

/// The texts last used for a record's memo, if one was started or generated.
pub async fn texts(tx: &mut Tx, t: TenantId, record: Uuid) -> Result<Option<MemoText>> {
    Ok(state(tx, t, record).await?.map(|m| m.text))
}

/// A record's official memo: written for it ([`start`] or [`generate`]) and, once generated,
/// the document its PDF versions are stored in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoState {
    pub text: MemoText,
    /// `None`: started from the case ([`start`]) and not generated yet.
    pub document: Option<Uuid>,
}

/// The memo of a record, if it has one (started or generated).
pub async fn state(tx: &mut Tx, t: TenantId, record: Uuid) -> Result<Option<MemoState>> {
    Ok(memo_row(tx, t, record).await?.map(|m| MemoState {
        text: MemoText { proposal: m.proposal, summary: m.summary, background: m.background, assessment: m.assessment },
        document: m.document_id,
    }))
}

/// What a caseworker gives to start a memo from the case: the record's title and who the
/// memo goes to (the committee or body that decides).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewMemo {
    /// Empty: "Tjänsteskrivelse – " and the case's public title.
    #[serde(default)]
    pub title: String,
    /// The recipient (the record's correspondent), e.g. "Byggnadsnämnden".
    #[serde(default)]
    pub correspondent: String,
}

/// The title a memo started from `c` gets by default: the case's public title, never its
/// internal one (which may name a private person).
pub fn default_title(c: &CaseRow) -> String {
    format!("Tjänsteskrivelse – {}", c.public_title).chars().take(300).collect()
}

/// Starts the official memo of a case (*Skriv tjänsteskrivelse*): a new outbound record,
/// a draft addressed to the body that decides, marked as the memo's record so that its page
/// leads through writing, establishing and approval. One transaction; the PDF is made from
/// the record's page ([`generate`]).
pub async fn start(db: &Db, s: &StaffUser, case: Uuid, n: &NewMemo, now: OffsetDateTime) -> Result<Uuid> {
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let c = service::readable_case(&mut tx, s, case).await?;
    if !service::may_work_on_records(&mut tx, s, &c).await? {
        return Err(Error::Forbidden);
    }
    if !c.status.is_active() {
        return Err(CaseError::CaseNotOpen.into());
    }
    let title = if n.title.trim().is_empty() { default_title(&c) } else { n.title.trim().to_string() };
    let record = service::NewRecord {
        kind: RecordKind::Outbound,
        title,
        correspondent: n.correspondent.trim().to_string(),
        correspondent_is_person: false,
        document_date: None,
        received_on: None,
        memo_text: String::new(),
        register: false,
    };
    let errs = service::check_record(&record, now);
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    let (id, number) = service::insert_record(&mut tx, t, &service::Who::staff(s), &c, &record, &[], now).await?;
    on_tx!(&mut tx, conn => sqlx::query(
        "INSERT INTO official_memo (tenant_id, record_id, document_id, proposal, summary, background, assessment, updated_by, updated_at) \
         VALUES ($1, $2, NULL, '', '', '', '', $3, $4)")
        .bind(t.0).bind(id).bind(&s.name).bind(now).execute(conn).await?.rows_affected());
    audit::record(
        &mut tx,
        Some(t),
        &Actor::of(&Principal::Staff(s.clone())),
        Event::new("record.memo_started", "record", id).with(serde_json::json!({ "case": case, "number": number })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The municipality's template and whether it is its own (`false`: the shipped default).
pub async fn template(tx: &mut Tx, t: TenantId) -> Result<(String, bool)> {
    Ok(match own_template(tx, t, TEMPLATE_KEY).await? {
        Some(source) => (source, true),
        None => (DEFAULT_TEMPLATE.to_string(), false),
    })
}

/// The municipality's own document template stored under `key` (`None`: it uses the shipped
/// one). The memo's is `tjansteskrivelse`; other modules keep theirs in the same table under
/// their own keys (committee administration's `mtg.kallelse` …) through this and
/// [`store_template`].
pub async fn own_template(tx: &mut Tx, t: TenantId, key: &str) -> Result<Option<String>> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as("SELECT source FROM document_template WHERE tenant_id = $1 AND key = $2")
        .bind(t.0).bind(key).fetch_optional(c).await?);
    Ok(row.map(|(source,)| source))
}

/// Stores the municipality's own template `key` (`None`: removes it, back to the shipped one)
/// in the caller's write transaction, with the audit event `template.saved` or
/// `template.reset`. The caller has checked who may and that the template compiles (with no
/// transaction open); a source that is empty or longer than [`MAX_TEMPLATE`] is refused here.
pub async fn store_template(tx: &mut Tx, t: TenantId, s: &StaffUser, key: &str, source: Option<&str>, now: OffsetDateTime) -> Result<()> {
    match source {
        Some(src) => {
            if src.trim().is_empty() || src.len() > MAX_TEMPLATE {
                return Err(Error::invalid("source", "err-template-size"));
            }
            on_tx!(tx, c => sqlx::query("INSERT INTO document_template (tenant_id, key, source, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5) \
                ON CONFLICT (tenant_id, key) DO UPDATE SET source = EXCLUDED.source, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at")
                .bind(t.0).bind(key).bind(src).bind(&s.name).bind(now).execute(c).await?.rows_affected());
        }
        None => {
            on_tx!(tx, c => sqlx::query("DELETE FROM document_template WHERE tenant_id = $1 AND key = $2")
                .bind(t.0).bind(key).execute(c).await?.rows_affected());
        }
    }
    audit::record(
        tx,
        Some(t),
        &Actor::of(&Principal::Staff(s.clone())),
        Event::new(if source.is_some() { "template.saved" } else { "template.reset" }, "document_template", Uuid::nil())
            .with(serde_json::json!({ "key": key })),
        now,
    )
    .await
}

pub use radhus_kernel::lang::swedish_date;

/// Everything the template sees, as one JSON document.
#[derive(Debug, Serialize)]
struct MemoData<'a> {
    municipality: String,
    address: &'a str,
    phone: &'a str,
    email: &'a str,
    website: &'a str,
    unit: String,
    caseworker: String,
    date: String,
    case_number: &'a str,
    record_number: String,
    case_title: &'a str,
    title: &'a str,
    proposal: &'a str,
    summary: &'a str,
    background: &'a str,
    assessment: &'a str,
    basis: Vec<String>,
}

/// How long a memo (or the check of a template at save time) may take to typeset:
/// [`radhus_pdf::DEFAULT_DEADLINE`]. A template that runs longer is stopped (`CASE-016`).
pub const DEADLINE: std::time::Duration = radhus_pdf::DEFAULT_DEADLINE;

/// What a memo is typeset from: the template, the data as JSON and the logo.
#[derive(PartialEq, Eq)]
struct Input {
    source: String,
    json: String,
    logo: Option<String>,
}

/// Typesets on a blocking thread (never inside a transaction: a template may take up to the
/// deadline), within `deadline` and at most one compilation per municipality at a time.
async fn typeset(
    t: TenantId,
    input: &Input,
    deadline: std::time::Duration,
    now: OffsetDateTime,
) -> std::result::Result<Vec<u8>, radhus_pdf::PdfError> {
    let (source, json, logo) = (input.source.clone(), input.json.clone(), input.logo.clone());
    let options = radhus_pdf::Options { deadline, owner: Some(t.0.to_string()) };
    tokio::task::spawn_blocking(move || {
        let has_logo = if logo.is_some() { "true" } else { "false" };
        let files: Vec<(&str, &[u8])> = logo.as_deref().map(|l| ("/logo.svg", l.as_bytes())).into_iter().collect();
        radhus_pdf::render_with(&source, &[("data", &json), ("has_logo", has_logo)], &files, now, &options)
    })
    .await
    .map_err(|e| radhus_pdf::PdfError::Export(e.to_string()))?
}

/// The error a caseworker sees when the memo could not be typeset.
fn typeset_failed(t: TenantId, e: &radhus_pdf::PdfError) -> Error {
    tracing::warn!(tenant = %t.0, error = %e, "the official memo template failed");
    match e {
        radhus_pdf::PdfError::Busy(_) => busy(),
        radhus_pdf::PdfError::Timeout(_) => CaseError::MemoTemplateSlow.into(),
        _ => CaseError::MemoTemplate.into(),
    }
}

fn busy() -> Error {
    CaseError::MemoBusy.into()
}

/// A memo about to be made: the record and case it is for and what it is typeset from.
struct Prepared {
    r: RecordRow,
    c: CaseRow,
    document: Option<Uuid>,
    record_number: String,
    input: Input,
}

/// Checks that the memo may be made and gathers what it is made from (in `tx`, read or write).
async fn prepare(tx: &mut Tx, s: &StaffUser, record: Uuid, text: &MemoText, now: OffsetDateTime) -> Result<Prepared> {
    let t = s.tenant_id;
    let (r, c) = service::workable_record(tx, s, record).await?;
    if !can_have_memo(&r) {
        return Err(CaseError::MemoNotAllowed.into());
    }
    text.validate()?;
    let tenant = tenancy::get(tx, t).await?;
    let (source, _) = template(tx, t).await?;
    let document = memo_row(tx, t, record).await?.and_then(|m| m.document_id);
    let basis = basis(tx, t, &c, &r, document, now).await?;
    let record_number = format!("{}-{}", c.number, r.running_no);
    let json = serde_json::to_string(&memo_data(&tenant, &c, &r, &record_number, text, basis, now))
        .map_err(|e| Error::Internal(format!("memo data: {e}")))?;
    Ok(Prepared { input: Input { source, json, logo: tenant.logo_svg.clone() }, r, c, document, record_number })
}

/// The data a record's memo would be typeset from now, as the template sees it (`data`):
/// for a municipality's template author and for checking what a memo says.
pub async fn template_data(db: &Db, s: &StaffUser, record: Uuid, text: &MemoText, now: OffsetDateTime) -> Result<serde_json::Value> {
    let mut tx = db.read(Scope::Tenant(s.tenant_id)).await?;
    let p = prepare(&mut tx, s, record, &text.trimmed(), now).await?;
    tx.commit().await?;
    serde_json::from_str(&p.input.json).map_err(|e| Error::Internal(format!("memo data: {e}")))
}

/// Generates the memo for a record as PDF/A and stores it as a new version of the record's
/// memo document (the first time: a new document, the main one if the record has none).
pub async fn generate(db: &Db, s: &StaffUser, record: Uuid, text: &MemoText, now: OffsetDateTime) -> Result<Uuid> {
    generate_within(db, s, record, text, now, DEADLINE).await
}

/// [`generate`] with the typesetting bounded by `deadline`.
///
/// The memo is typeset with no transaction open, so a slow template holds no lock: a read
/// gathers the data, the PDF is typeset, and one short write transaction checks again that
/// the memo may be made and that its data are still what the database says before it stores
/// it. Data changed in between (a document added, the template saved) are typeset again.
pub async fn generate_within(
    db: &Db,
    s: &StaffUser,
    record: Uuid,
    text: &MemoText,
    now: OffsetDateTime,
    deadline: std::time::Duration,
) -> Result<Uuid> {
    let text = text.trimmed();
    let t = s.tenant_id;
    for _ in 0..3 {
        let mut tx = db.read(Scope::Tenant(t)).await?;
        let typeset_from = prepare(&mut tx, s, record, &text, now).await?;
        tx.commit().await?;
        let pdf = typeset(t, &typeset_from.input, deadline, now).await.map_err(|e| typeset_failed(t, &e))?;

        let mut tx = db.write(Scope::Tenant(t)).await?;
        let p = prepare(&mut tx, s, record, &text, now).await?;
        if p.input != typeset_from.input || p.document != typeset_from.document {
            tx.rollback().await?;
            continue;
        }
        let filename = format!("tjansteskrivelse-{}.pdf", p.record_number.replace([' ', '/'], "-"));
        let (doc, version) = service::add_version(
            &mut tx,
            s.tenant_id,
            &service::Who::staff(s),
            &p.r,
            &p.c,
            p.document,
            "main",
            "Tjänsteskrivelse",
            &filename,
            "application/pdf",
            &pdf,
            now,
        )
        .await?;
        on_tx!(&mut tx, conn => sqlx::query(
            "INSERT INTO official_memo (tenant_id, record_id, document_id, proposal, summary, background, assessment, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (tenant_id, record_id) DO UPDATE SET document_id = EXCLUDED.document_id, \
             proposal = EXCLUDED.proposal, summary = EXCLUDED.summary, background = EXCLUDED.background, assessment = EXCLUDED.assessment, \
             updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at")
            .bind(t.0).bind(record).bind(doc).bind(&text.proposal).bind(&text.summary).bind(&text.background).bind(&text.assessment)
            .bind(&s.name).bind(now).execute(conn).await?.rows_affected());
        audit::record(
            &mut tx,
            Some(t),
            &Actor::of(&Principal::Staff(s.clone())),
            Event::new("record.memo_generated", "record", record).with(serde_json::json!({ "document": doc, "version": version })),
            now,
        )
        .await?;
        tx.commit().await?;
        return Ok(version);
    }
    Err(Error::Conflict("err-memo-changed"))
}

/// The decision basis (*Beslutsunderlag*): the memo itself, the other records of the case
/// it rests on (registered, not obliterated, in the diary's order, each with its number and,
/// for what came in, the day it came in; a title marked secret is not printed), and the
/// record's own other documents (its attachments).
async fn basis(
    tx: &mut Tx,
    t: TenantId,
    c: &CaseRow,
    r: &RecordRow,
    memo_document: Option<Uuid>,
    now: OffsetDateTime,
) -> Result<Vec<String>> {
    let mut items: Vec<String> = vec![format!("Tjänsteskrivelse {}", swedish_date(radhus_kernel::tz::stockholm(now).date()))];
    for other in store::records(tx, t, c.id).await? {
        if other.id == r.id || other.is_obliterated() || other.status == RecordStatus::Drafted {
            continue;
        }
        let number = format!("{}-{}", c.number, other.running_no);
        let title = if other.is_secret("title") { crate::domain::MASK.to_string() } else { other.title.clone() };
        items.push(match other.received_on {
            Some(d) if other.kind == RecordKind::Inbound => format!("{title}, inkom {} ({number})", swedish_date(d)),
            _ => format!("{title} ({number})"),
        });
    }
    for v in store::versions(tx, t, r.id).await? {
        if Some(v.document_id) != memo_document && !items.contains(&v.document_title) {
            items.push(v.document_title);
        }
    }
    Ok(items)
}

/// The municipality as the memo names it: "Karlstads kommun".
fn municipality(tenant: &tenancy::Tenant) -> String {
    format!("{} kommun", tenancy::genitive_sv(&tenant.name))
}

fn memo_data<'a>(
    tenant: &'a tenancy::Tenant,
    c: &'a CaseRow,
    r: &RecordRow,
    record_number: &str,
    text: &'a MemoText,
    basis: Vec<String>,
    now: OffsetDateTime,
) -> MemoData<'a> {
    MemoData {
        municipality: municipality(tenant),
        address: &tenant.address,
        phone: &tenant.contact_phone,
        email: &tenant.contact_email,
        website: &tenant.website,
        unit: c.unit_name.clone().unwrap_or_else(|| municipality(tenant)),
        caseworker: c.caseworker_name.clone().unwrap_or_else(|| r.created_by.clone()),
        date: swedish_date(radhus_kernel::tz::stockholm(now).date()),
        case_number: &c.number,
        record_number: record_number.to_string(),
        // The memo is an official document the public may ask for: its title line is the
        // case's public title (the internal title, or a record's, may name a private person).
        case_title: &c.public_title,
        title: &c.public_title,
        proposal: &text.proposal,
        summary: &text.summary,
        background: &text.background,
        assessment: &text.assessment,
        basis,
    }
}

/// What is wrong with a template, for the person editing it: "rad 3: unknown variable: x".
pub fn in_swedish(e: &radhus_pdf::PdfError) -> String {
    match e {
        radhus_pdf::PdfError::Template(ds) => ds
            .iter()
            .map(|d| match d.line {
                Some(line) => format!("rad {line}: {}", d.message),
                None => d.message.clone(),
            })
            .collect::<Vec<_>>()
            .join("; "),
        radhus_pdf::PdfError::Timeout(d) => {
            format!("mallen tog längre tid än {} sekunder och stoppades (en för stor slinga?)", d.as_secs_f32())
        }
        other => other.to_string(),
    }
}

/// Renders a template with sample data within `deadline`, with no transaction open. The
/// inner `Err` holds Typst's diagnostic (or that it ran too long) for the editor; the outer
/// one `CASE-018` when too many documents are being made to try it now.
pub async fn check_template(
    source: &str,
    tenant: &tenancy::Tenant,
    now: OffsetDateTime,
    deadline: std::time::Duration,
) -> Result<std::result::Result<Vec<u8>, String>> {
    let data = MemoData {
        municipality: municipality(tenant),
        address: &tenant.address,
        phone: &tenant.contact_phone,
        email: &tenant.contact_email,
        website: &tenant.website,
        unit: "Bygglovsenheten".into(),
        caseworker: "Omar Said".into(),
        date: swedish_date(radhus_kernel::tz::stockholm(now).date()),
        case_number: "BN 2026/123",
        record_number: "BN 2026/123-4".into(),
        case_title: "Bygglov för nybyggnad av enbostadshus, Skåre 1:23",
        title: "Beslut om bygglov",
        proposal: "Nämnden beviljar bygglov.",
        summary: "Ansökan gäller ett enbostadshus.\n\nDen följer detaljplanen.",
        background: "Ansökan kom in den 2 januari.",
        assessment: "Förslaget följer detaljplanen.",
        basis: vec!["Ansökan".into(), "Situationsplan".into()],
    };
    let json = serde_json::to_string(&data).map_err(|e| Error::Internal(format!("memo data: {e}")))?;
    let input = Input { source: source.to_string(), json, logo: tenant.logo_svg.clone() };
    match typeset(tenant.id, &input, deadline, now).await {
        Ok(pdf) => Ok(Ok(pdf)),
        Err(radhus_pdf::PdfError::Busy(_)) => Err(busy()),
        Err(e) => Ok(Err(in_swedish(&e))),
    }
}

/// Saves the municipality's own template (`None`: back to the shipped one). A template that
/// does not compile is refused with Typst's diagnostic (`Ok(Err(..))`), and nothing is saved.
pub async fn save_template(db: &Db, s: &StaffUser, source: Option<&str>, now: OffsetDateTime) -> Result<std::result::Result<(), String>> {
    save_template_within(db, s, source, now, DEADLINE).await
}

/// [`save_template`] with the check bounded by `deadline`: a template that runs longer is
/// refused. The check runs before the write transaction, which only stores.
pub async fn save_template_within(
    db: &Db,
    s: &StaffUser,
    source: Option<&str>,
    now: OffsetDateTime,
    deadline: std::time::Duration,
) -> Result<std::result::Result<(), String>> {
    if !s.grants.whole_municipality(ADMIN) {
        return Err(Error::Forbidden);
    }
    let t = s.tenant_id;
    if let Some(src) = source {
        if src.trim().is_empty() || src.len() > MAX_TEMPLATE {
            return Err(Error::invalid("source", "err-template-size"));
        }
        let mut tx = db.read(Scope::Tenant(t)).await?;
        let tenant = tenancy::get(&mut tx, t).await?;
        tx.commit().await?;
        if let Err(diagnostic) = check_template(src, &tenant, now, deadline).await? {
            return Ok(Err(diagnostic));
        }
    }
    let mut tx = db.write(Scope::Tenant(t)).await?;
    store_template(&mut tx, t, s, TEMPLATE_KEY, source, now).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memo_texts_are_trimmed_and_checked() {
        let t = MemoText { proposal: "  Bevilja.\r\n\r\nMed villkor. ".into(), ..MemoText::default() }.trimmed();
        assert_eq!(t.proposal, "Bevilja.\n\nMed villkor.");
        assert!(t.validate().is_ok());
        let Err(Error::Invalid(errs)) = MemoText::default().validate() else { panic!("an empty proposal is refused") };
        assert_eq!(errs[0].field, "proposal");
        let long = MemoText { proposal: "x".repeat(MAX_TEXT + 1), ..MemoText::default() };
        assert!(long.validate().is_err());
    }
}
