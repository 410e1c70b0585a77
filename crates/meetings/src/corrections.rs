//! Corrections of adjusted minutes (issue 13 item 6). Once the chair and the adjusters have
//! adjusted the minutes they are frozen: nothing recorded at the meeting changes (`MTG-007`).
//! A correction (*rättelse*, e.g. of a writing error) is a new version of the minutes: the
//! secretary corrects a paragraph's title or decision text and gives a reason; the new version
//! is typeset as PDF/A (outside any transaction) and stored with who, when, the reason, the text
//! before and after and its SHA-256. Version 1 is the adjusted minutes the adjusters signed
//! (`mtg_meeting.minutes_pdf`); every version is kept and listed. The public pages show the
//! current text and say that the minutes were corrected and when.
//!
//! The SQL of `mtg_minutes_version` (migration `0053_meetings_corrections.sql`) is here, with
//! the use case, so the module's tables stay in one place per feature.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Event};
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::permissions::Staff;
use radhus_platform::identity::session::StaffUser;
use radhus_platform::on_tx;
use radhus_platform::web::field::{Field, FormErrors};
use radhus_platform::web::form::{self, Form, PathIds, Query};
use radhus_platform::web::pages::render;
use radhus_platform::web::{AppState, Ctx, Routes};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::core::{MeetingState, when};
use crate::documents;
use crate::error::MeetingError;
use crate::service::{self, actor};
use crate::store::{self, Item, Meeting, Signed};
use radhus_cases::intake::{self, By, Decision, Document};

pub fn routes() -> Routes {
    Routes::new()
        .get("/admin/moten/mote/{id}/rattelser", get_corrections)
        .post("/admin/moten/mote/{id}/rattelser", post_correction)
        .get("/admin/moten/mote/{id}/rattelser/protokoll.pdf", get_version_pdf)
}

// ------------------------------------------------------------------ data

/// One correction: version 2, 3 … of the minutes.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Version {
    pub version: i32,
    pub item_id: Uuid,
    /// What was corrected: `title`, `decision` or `title,decision`.
    pub field: String,
    /// The paragraph's title and decision before and after (`Texts` as JSON).
    pub before_text: String,
    pub after_text: String,
    pub reason: String,
    pub corrected_by: Uuid,
    pub corrected_by_name: String,
    pub corrected_at: OffsetDateTime,
    pub sha256: String,
}

/// A paragraph's corrected texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Texts {
    pub title: String,
    pub decision: String,
}

/// The corrections of a meeting's minutes, oldest first.
pub async fn versions(tx: &mut Tx, t: TenantId, meeting: Uuid) -> Result<Vec<Version>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT version, item_id, field, before_text, after_text, reason, corrected_by, corrected_by_name, corrected_at, sha256 \
         FROM mtg_minutes_version WHERE tenant_id = $1 AND meeting_id = $2 ORDER BY version")
        .bind(t.0).bind(meeting).fetch_all(c).await?))
}

/// The PDF/A of a correction.
pub async fn version_pdf(tx: &mut Tx, t: TenantId, meeting: Uuid, version: i32) -> Result<Option<Vec<u8>>> {
    let row: Option<(Vec<u8>,)> = on_tx!(tx, c => sqlx::query_as("SELECT pdf FROM mtg_minutes_version WHERE tenant_id = $1 AND meeting_id = $2 AND version = $3")
        .bind(t.0).bind(meeting).bind(version).fetch_optional(c).await?);
    Ok(row.map(|r| r.0))
}

struct NewVersion<'a> {
    version: i32,
    item: Uuid,
    field: &'a str,
    before: &'a str,
    after: &'a str,
    reason: &'a str,
    pdf: &'a [u8],
    sha256: &'a str,
}

async fn insert_version(tx: &mut Tx, t: TenantId, meeting: Uuid, v: &NewVersion<'_>, s: &StaffUser, now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO mtg_minutes_version (tenant_id, meeting_id, version, item_id, field, before_text, after_text, reason, \
         corrected_by, corrected_by_name, corrected_at, pdf, sha256) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
        .bind(t.0).bind(meeting).bind(v.version).bind(v.item).bind(v.field).bind(v.before).bind(v.after).bind(v.reason)
        .bind(s.user_id.0).bind(&s.name).bind(now).bind(v.pdf).bind(v.sha256).execute(c).await?.rows_affected());
    Ok(())
}

/// The minutes are adjusted (and so frozen): corrections are possible.
pub fn correctable(m: &Meeting) -> bool {
    matches!(m.state(), MeetingState::Adjusted | MeetingState::Posted | MeetingState::AppealEnded)
}

// ------------------------------------------------------------------ the use case

/// What the secretary asks to correct.
#[derive(Debug, Clone, Default)]
pub struct Correction {
    pub item: String,
    pub title: String,
    pub decision: String,
    pub reason: String,
}

/// Everything a correction is checked against, read in one transaction.
struct Plan {
    meeting: Meeting,
    item: Item,
    next: i32,
    field: String,
    after: Texts,
}

async fn plan(tx: &mut Tx, s: &StaffUser, meeting: Uuid, c: &Correction, now: OffsetDateTime) -> Result<Plan> {
    let t = s.tenant_id;
    let m = service::secretary_meeting(tx, s, meeting, now).await?;
    if !correctable(&m) {
        return Err(MeetingError::WrongState.into());
    }
    let (title, decision, reason) = (c.title.trim(), c.decision.replace("\r\n", "\n").trim().to_string(), c.reason.trim());
    let mut errs = vec![];
    let item = match Uuid::parse_str(c.item.trim()) {
        Ok(id) => store::item(tx, t, id).await?.filter(|i| i.meeting_id == meeting && !i.is_heading() && i.paragraph.is_some()),
        Err(_) => None,
    };
    if item.is_none() {
        errs.push(FieldError::new("item", "mtg-err-correction-item"));
    }
    if title.is_empty() || title.chars().count() > 300 {
        errs.push(FieldError::new("title", "mtg-err-title"));
    }
    if decision.chars().count() > 20_000 {
        errs.push(FieldError::new("decision", "mtg-err-too-long"));
    }
    if reason.is_empty() || reason.chars().count() > 2_000 {
        errs.push(FieldError::new("reason", "mtg-err-correction-reason"));
    }
    let Some(item) = item.filter(|_| errs.is_empty()) else { return Err(Error::Invalid(errs)) };
    if item.outcome.as_deref() == Some("decided") && decision.is_empty() {
        return Err(Error::Invalid(vec![FieldError::new("decision", "mtg-err-decision")]));
    }
    let mut field = vec![];
    if item.title != title {
        field.push("title");
    }
    if item.decision != decision {
        field.push("decision");
    }
    if field.is_empty() {
        return Err(MeetingError::NoChanges.into());
    }
    let next = versions(tx, t, meeting).await?.last().map(|v| v.version).unwrap_or(1) + 1;
    Ok(Plan { meeting: m, item, next, field: field.join(","), after: Texts { title: title.to_string(), decision } })
}

/// The secretary corrects a paragraph of adjusted minutes: a new version of the minutes with the
/// reason, typeset before and outside the writing transaction; refused before the adjustment
/// (`MTG-001`), without a change (`MTG-020`), and when someone corrected the minutes in between
/// (`MTG-018`). Returns the new version's number.
pub async fn correct(db: &Db, s: &StaffUser, meeting: Uuid, c: &Correction, now: OffsetDateTime) -> Result<i32> {
    let t = s.tenant_id;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let p = plan(&mut tx, s, meeting, c, now).await?;
    let mut data = crate::minutes::minutes_data(&mut tx, t, &p.meeting).await?;
    let items = store::items(&mut tx, t, meeting).await?;
    tx.commit().await?;
    let at = items.iter().position(|i| i.id == p.item.id).ok_or(Error::NotFound)?;
    let paragraph = data.paragraphs.get_mut(at).ok_or(Error::NotFound)?;
    paragraph.title = p.after.title.clone();
    paragraph.decision = p.after.decision.clone();
    data.correction = format!(
        "Rättad version {} ({} § {}), {} av {}. Skäl: {}",
        p.next,
        data.code,
        paragraph.number,
        radhus_kernel::lang::swedish_date(crate::service::today(now)),
        s.name,
        c.reason.trim()
    );
    let pdf = documents::typeset(db, t, documents::Doc::Minutes, &data, now).await?;
    let sha = radhus_platform::identity::sha256_hex(&pdf);
    // The paragraph's case gets the corrected extract: typeset now, registered in the writing
    // transaction below.
    let extract = match (p.item.case_id, p.item.extract_record_id) {
        (Some(case), Some(_)) => {
            let mut tx = db.read(Scope::Tenant(t)).await?;
            let e = corrected_extract(&mut tx, t, &p.meeting, &p.item, &data.paragraphs[at], &data, p.next).await?;
            tx.commit().await?;
            let pdf = documents::typeset(db, t, documents::Doc::Extract, &e, now).await?;
            Some((case, e, pdf))
        }
        _ => None,
    };

    let mut tx = db.write(Scope::Tenant(t)).await?;
    let again = plan(&mut tx, s, meeting, c, now).await?;
    // Someone corrected the minutes (or this paragraph) while this version was typeset.
    if again.next != p.next || again.item != p.item {
        return Err(MeetingError::MinutesChanged.into());
    }
    let before = Texts { title: p.item.title.clone(), decision: p.item.decision.clone() };
    let json = |x: &Texts| serde_json::to_string(x).map_err(|e| Error::Internal(format!("correction: {e}")));
    let v = NewVersion {
        version: p.next,
        item: p.item.id,
        field: &p.field,
        before: &json(&before)?,
        after: &json(&p.after)?,
        reason: c.reason.trim(),
        pdf: &pdf,
        sha256: &sha,
    };
    insert_version(&mut tx, t, meeting, &v, s, now).await?;
    store::set_item_text(&mut tx, t, p.item.id, &p.after.title, &p.item.proposal).await?;
    store::set_decision(&mut tx, t, p.item.id, p.item.outcome.as_deref().unwrap_or_default(), &p.after.decision).await?;
    // The corrected extract becomes a new decision record in the case (case management's use
    // case; the earlier extract's record stays); it is the paragraph's extract from now on, so
    // the secretary's next dispatch sends it to the parties.
    let mut registered = None;
    if let Some((case, e, pdf)) = &extract {
        let title = format!("Protokollsutdrag {} § {} {}, rättad version {}", e.code, e.number, e.title, p.next);
        let d = Decision {
            title: title.clone(),
            decided_on: radhus_kernel::tz::stockholm(p.meeting.starts_at).date(),
            document: Document { main: true, title, filename: format!("protokollsutdrag-version-{}.pdf", p.next), bytes: pdf.clone() },
        };
        let by = By::System(format!("Sammanträde: {}", p.meeting.committee_name));
        let (record, _) = intake::add_decision_in(&mut tx, t, &by, *case, &d, now).await?;
        store::set_extract(&mut tx, t, p.item.id, record).await?;
        registered = Some(record);
    }
    let ev = Event::new("mtg.minutes.corrected", "meeting", meeting).with(serde_json::json!({
        "version": p.next, "item": p.item.id, "field": p.field, "sha256": sha, "reason": c.reason.trim(),
        "extract": registered, "replaces_extract": p.item.extract_record_id,
    }));
    audit::record(&mut tx, Some(t), &actor(s), ev, now).await?;
    tx.commit().await?;
    Ok(p.next)
}

/// The extract of a corrected paragraph: as the adjusted minutes' extract (who adjusted and
/// when, the last day to appeal from the posting, which a correction does not move), with the
/// paragraph's corrected texts and a line saying which version of the minutes it is from, why,
/// and that it replaces the earlier extract, which stays in the case.
async fn corrected_extract(
    tx: &mut Tx,
    t: TenantId,
    m: &Meeting,
    item: &Item,
    p: &documents::Paragraph,
    data: &documents::MinutesData,
    version: i32,
) -> Result<documents::ExtractData> {
    let immediate = store::immediate(tx, t, item.id).await?.filter(|x| x.adjusted_at.is_some());
    let (what, signed, posted, until) = match &immediate {
        Some(x) => ("Paragrafen justerades omedelbart", Signed::Paragraph(item.id), x.posted_on, x.appeal_until),
        None => ("Protokollet justerades", Signed::Minutes(m.id), m.posted_on, m.appeal_until),
    };
    let names: Vec<String> =
        store::adjusters(tx, t, signed).await?.into_iter().filter(|a| a.adjusted_at.is_some()).map(|a| a.name).collect();
    let day = |d: Option<time::Date>| d.map(radhus_kernel::lang::swedish_date).unwrap_or_default();
    Ok(documents::ExtractData {
        municipality: data.municipality.clone(),
        committee: data.committee.clone(),
        code: data.code.clone(),
        when: data.when.clone(),
        number: p.number,
        title: p.title.clone(),
        case_number: p.case_number.clone(),
        outcome: p.outcome.clone(),
        decision: p.decision.clone(),
        reservations: p.reservations.clone(),
        adjusted: format!("{what} {} av {}.", day(posted), names.join(", ")),
        appeal: format!(
            "Beslutet kan överklagas till förvaltningsrätten till och med {} (tre veckor från anslaget på kommunens anslagstavla).",
            day(until)
        ),
        correction: format!(
            "Utdrag ur rättad version {version} av protokollet. {} Utdraget ersätter det tidigare utdraget ur protokollet, som finns kvar i ärendet.",
            data.correction
        ),
    })
}

/// What the notice board says about corrections of the minutes (issue 13 item 8): the latest
/// correction of a paragraph the public sees and which paragraphs were corrected, as a note on
/// the announcement that the minutes are adjusted (its posting day and last day to appeal stay:
/// KL 8 kap. 12 § and 13 kap. 5 § tie them to the announcement of the adjustment, which a
/// correction is not). "" when there is none; a secret paragraph's correction is not mentioned.
pub async fn board_note(tx: &mut Tx, t: TenantId, m: &Meeting) -> Result<String> {
    let mut seen = vec![];
    let mut last = None;
    for v in versions(tx, t, m.id).await? {
        let Some(item) = store::item(tx, t, v.item_id).await? else { continue };
        if crate::masking::public_item(tx, t, &item).await?.is_none() {
            continue;
        }
        let paragraph = item.paragraph.map(|n| format!("{} § {n}", m.committee_code)).unwrap_or_default();
        if !seen.contains(&paragraph) {
            seen.push(paragraph);
        }
        last = Some(v);
    }
    Ok(match last {
        Some(v) => format!(
            "Protokollet rättades {} (version {}): {}.",
            radhus_kernel::lang::swedish_date(radhus_kernel::tz::stockholm(v.corrected_at).date()),
            v.version,
            seen.join(", ")
        ),
        None => String::new(),
    })
}

// ------------------------------------------------------------------ pages

#[derive(Template)]
#[template(path = "meetings/corrections.html")]
struct CorrectionsPage<'a> {
    ctx: &'a Ctx,
    m: Meeting,
    secretary: bool,
    items: Vec<Item>,
    versions: Vec<Version>,
    /// The paragraph being corrected, with the form's title, decision and reason.
    chosen: Option<(Item, Vec<Field>)>,
    errors: FormErrors,
}

impl CorrectionsPage<'_> {
    fn when(&self, at: &OffsetDateTime) -> String {
        when(at)
    }
    fn paragraph(&self, item: &Uuid) -> String {
        self.items
            .iter()
            .find(|i| i.id == *item)
            .and_then(|i| i.paragraph)
            .map(|n| format!("{} § {n}", self.m.committee_code))
            .unwrap_or_default()
    }
    fn field(&self, v: &Version) -> String {
        v.field.split(',').map(|f| self.ctx.t(&format!("mtg-correction-field-{f}"))).collect::<Vec<_>>().join(", ")
    }
    fn correctable(&self) -> bool {
        self.secretary && correctable(&self.m)
    }
}

#[derive(Deserialize)]
struct ChooseQuery {
    #[serde(default)]
    punkt: String,
}

async fn corrections_page(
    st: &AppState,
    ctx: &Ctx,
    s: &StaffUser,
    id: Uuid,
    form: Option<Correction>,
    errors: FormErrors,
) -> Result<Response> {
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    let (m, access) = service::readable_meeting(&mut tx, s, id, st.now()).await?;
    let items: Vec<Item> = store::items(&mut tx, t, id).await?.into_iter().filter(|i| !i.is_heading() && i.paragraph.is_some()).collect();
    let versions = versions(&mut tx, t, id).await?;
    tx.commit().await?;
    let chosen = form.and_then(|f| {
        let item = items.iter().find(|i| i.id.to_string() == f.item.trim())?.clone();
        Some((item, f))
    });
    let chosen = chosen.filter(|_| access.secretary && correctable(&m)).map(|(item, f)| {
        let e = &errors;
        let fields = vec![
            Field::new(ctx, "title", "mtg-field-title").id("corr-title").value(f.title).errors(e),
            Field::new(ctx, "decision", "mtg-decision").id("corr-decision").kind("textarea").rows(6).value(f.decision).errors(e),
            Field::new(ctx, "reason", "mtg-version-reason")
                .id("corr-reason")
                .kind("textarea")
                .hint(ctx.t("mtg-correction-reason-hint"))
                .value(f.reason)
                .errors(e),
        ];
        (item, fields)
    });
    let fields: Vec<&Field> = chosen.iter().flat_map(|(_, f)| f).collect();
    let errors = radhus_platform::web::field::Refused::whole("correction", errors).summary(&fields);
    render(&CorrectionsPage { ctx, m, secretary: access.secretary, items, versions, chosen, errors })
}

async fn get_corrections(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Query(q): Query<ChooseQuery>,
) -> Result<Response> {
    // The form starts from the paragraph's current texts.
    let form = if q.punkt.is_empty() {
        None
    } else {
        let mut tx = st.db.read(Scope::Tenant(s.tenant_id)).await?;
        service::readable_meeting(&mut tx, &s, id, st.now()).await?;
        let item = match Uuid::parse_str(q.punkt.trim()) {
            Ok(i) => store::item(&mut tx, s.tenant_id, i).await?.filter(|i| i.meeting_id == id),
            Err(_) => None,
        };
        tx.commit().await?;
        item.map(|i| Correction { item: i.id.to_string(), title: i.title, decision: i.decision, reason: String::new() })
    };
    corrections_page(&st, &ctx, &s, id, form, FormErrors::none()).await
}

#[derive(Deserialize)]
struct CorrectionForm {
    #[serde(default)]
    item: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

async fn post_correction(
    State(st): State<AppState>,
    ctx: Ctx,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Form(f): Form<CorrectionForm>,
) -> Result<Response> {
    let c = Correction { item: f.item, title: f.title, decision: f.decision, reason: f.reason };
    let done = async {
        correct(&st.db, &s, id, &c, st.now()).await?;
        Ok(format!("/admin/moten/mote/{id}/rattelser"))
    }
    .await;
    form::submit_fields(&ctx, done, |errors| corrections_page(&st, &ctx, &s, id, Some(c.clone()), errors)).await
}

#[derive(Deserialize)]
struct VersionQuery {
    #[serde(default)]
    version: String,
}

/// A version of the minutes: 1 the adjusted original, 2, 3 … the corrections.
async fn get_version_pdf(
    State(st): State<AppState>,
    Staff(s): Staff,
    PathIds(id): PathIds<Uuid>,
    Query(q): Query<VersionQuery>,
) -> Result<Response> {
    let version: i32 = q.version.trim().parse().map_err(|_| Error::NotFound)?;
    let t = s.tenant_id;
    let mut tx = st.db.read(Scope::Tenant(t)).await?;
    service::readable_meeting(&mut tx, &s, id, st.now()).await?;
    let pdf = if version == 1 { store::minutes_pdf(&mut tx, t, id).await? } else { version_pdf(&mut tx, t, id, version).await? };
    tx.commit().await?;
    let pdf = pdf.ok_or(Error::NotFound)?;
    Ok(pdf_response(pdf, &format!("protokoll-version-{version}.pdf")))
}

pub(crate) fn pdf_response(bytes: Vec<u8>, filename: &str) -> Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [(header::CONTENT_TYPE, "application/pdf".to_string()), (header::CONTENT_DISPOSITION, format!("inline; filename=\"{filename}\""))],
        bytes,
    )
        .into_response()
}
