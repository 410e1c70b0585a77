//! The use cases of e-services, each in one transaction: a municipality's adoption, and the
//! citizen's draft and submission (publishing to the shared catalogue is [`crate::catalogue`]).

use radhus_cases::intake::{self, By, Document, Inbound, Secrecy};
use radhus_kernel::Lang;
use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::Tx;
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::outbox::{self, Notice};
use radhus_platform::pii;
use sha2::{Digest, Sha256};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::catalogue::parse_stored;
use crate::citizen::Citizen;
use crate::form::{self, Answer, Answers, Definition};
use crate::store::{self, Adoption};
use crate::{EsError, RECEIPT, RECEIPT_UNPAID};

/// What a municipality's administrator sets when adopting a shared e-service.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AdoptInput {
    /// The overrides as JSON (`form::Overrides`); empty is none.
    #[serde(default)]
    pub overrides: String,
    #[serde(default)]
    pub case_type: String,
    #[serde(default)]
    pub public_title: String,
    #[serde(default)]
    pub secrecy_ground: String,
    /// "published" or "paused".
    #[serde(default)]
    pub status: String,
    /// When a submission with a fee becomes a case: "submit" (at once, waiting for payment;
    /// also when empty) or "payment" (only once paid).
    #[serde(default)]
    pub register_on: String,
}

/// Adopts (or changes the adoption of) the current version of a shared e-service: the
/// overrides must apply (`form::apply`), the case type must exist, be active and be routed to
/// a unit, the public title is required (it must not name anyone: it is the same for every
/// case), secrecy is a ground under OSL or nothing.
pub async fn adopt(tx: &mut Tx, t: TenantId, key: &str, f: &AdoptInput, actor: &Actor, now: OffsetDateTime) -> Result<i32> {
    let mut errs = vec![];
    let overrides: form::Overrides = if f.overrides.trim().is_empty() {
        form::Overrides::default()
    } else {
        serde_json::from_str(&f.overrides).unwrap_or_else(|_| {
            errs.push(FieldError::new("es_overrides", "es-err-overrides"));
            form::Overrides::default()
        })
    };
    // A newer shared version that changes what these overrides touch waits for the
    // administrator's decision (crate::adapt, side by side); otherwise the adoption moves on.
    let on = store::adoption(tx, t, key).await?.map(|a| a.shared_version);
    let (version, def) = crate::adapt::follow(tx, key, on, &overrides).await?;
    let case_type = Uuid::parse_str(f.case_type.trim()).ok();
    let routed = match case_type {
        Some(id) => {
            radhus_cases::store::case_types(tx, t).await?.into_iter().any(|c| c.id == id && c.active && c.default_unit_id.is_some())
        }
        None => false,
    };
    if !routed {
        errs.push(FieldError::new("es_case_type", "es-err-case-type"));
    }
    let public_title = f.public_title.trim();
    if public_title.is_empty() {
        errs.push(FieldError::new("es_public_title", "es-err-public-title"));
    } else if public_title.chars().count() > 200 {
        errs.push(FieldError::new("es_public_title", "es-err-public-title-long"));
    }
    let ground = f.secrecy_ground.trim();
    if !ground.is_empty() && (!ground.starts_with("OSL ") || ground.len() > 80) {
        errs.push(FieldError::new("es_secrecy_ground", "es-err-secrecy-ground"));
    }
    if !matches!(f.status.as_str(), "published" | "paused") {
        errs.push(FieldError::new("es_status", "es-err-status"));
    }
    let register_on = match f.register_on.as_str() {
        "" | "submit" => "submit",
        "payment" => "payment",
        _ => {
            errs.push(FieldError::new("es_register_on", "es-err-register-on"));
            "submit"
        }
    };
    let effective = match form::apply(&def, &overrides) {
        Ok(d) => Some(d),
        Err(_) => {
            errs.push(FieldError::new("es_overrides", "es-err-overrides"));
            None
        }
    };
    let (Some(effective), Some(case_type), true) = (effective, case_type, errs.is_empty()) else {
        return Err(Error::Invalid(errs));
    };
    let json = serde_json::to_string(&effective).map_err(|e| Error::Internal(format!("definition: {e}")))?;
    let overrides_json = serde_json::to_string(&overrides).map_err(|e| Error::Internal(format!("overrides: {e}")))?;
    let input = store::AdoptionInput {
        key,
        shared_version: version,
        overrides: &overrides_json,
        case_type_id: case_type,
        public_title,
        secrecy_ground: ground,
        published: f.status == "published",
        register_on,
    };
    let revision = store::save_adoption(tx, t, &input, &json, now).await?;
    let ev = Event::new("es.adoption.saved", "eservice", key).with(serde_json::json!({
        "shared_version": version, "revision": revision, "status": f.status, "case_type": case_type,
        "register_on": register_on,
    }));
    audit::record(tx, Some(t), actor, ev, now).await?;
    Ok(revision)
}

/// A municipality's e-service as a citizen meets it: its current revision.
#[derive(Debug, Clone)]
pub struct Offered {
    pub key: String,
    pub category: String,
    pub revision: i32,
    pub published: bool,
    pub def: Definition,
}

/// Every e-service the municipality has adopted.
pub async fn catalogue(tx: &mut Tx, t: TenantId) -> Result<Vec<Offered>> {
    store::offered(tx, t)
        .await?
        .into_iter()
        .map(|o| {
            Ok(Offered {
                published: o.status == "published",
                def: parse_stored(&o.definition)?,
                key: o.service_key,
                category: o.category,
                revision: o.revision,
            })
        })
        .collect()
}

/// One adopted e-service; not adopted is "not found".
pub async fn offered(tx: &mut Tx, t: TenantId, key: &str) -> Result<(Adoption, Definition)> {
    let a = store::adoption(tx, t, key).await?.ok_or(Error::NotFound)?;
    let json = store::revision_definition(tx, t, key, a.revision).await?.ok_or(Error::NotFound)?;
    Ok((a, parse_stored(&json)?))
}

fn seal_answers(a: &Answers) -> Result<String> {
    let json = serde_json::to_string(a).map_err(|e| Error::Internal(format!("answers: {e}")))?;
    pii::seal_text(&json)
}

fn open_answers(sealed: &str) -> Result<Answers> {
    serde_json::from_str(&pii::open_text(sealed)?).map_err(|e| Error::Internal(format!("answers: {e}")))
}

/// Starts filling in an e-service, or resumes the citizen's draft of it (on any device). A
/// draft of an older revision moves to the current one (`form::migrate`); the ids of the
/// answers the citizen must check come back with the draft's id.
pub async fn start(tx: &mut Tx, t: TenantId, who: &Citizen, key: &str, now: OffsetDateTime) -> Result<(Uuid, Vec<String>)> {
    let (a, def) = offered(tx, t, key).await?;
    if !a.published() {
        return Err(EsError::Paused.into());
    }
    crate::broadcast::ensure_open(tx, t, key, now).await?;
    if let Some(d) = store::draft_of(tx, t, &who.index, key).await? {
        if d.revision == a.revision {
            return Ok((d.id, vec![]));
        }
        let old_json = store::revision_definition(tx, t, key, d.revision).await?.ok_or(Error::NotFound)?;
        let (answers, check) = form::migrate(&parse_stored(&old_json)?, &def, open_answers(&d.answers)?);
        // A new draft on the current revision in place of the old one.
        store::take_draft(tx, t, d.id).await?;
        let id = Uuid::now_v7();
        let draft = store::Draft {
            id,
            service_key: key.to_string(),
            revision: a.revision,
            citizen_index: who.index.clone(),
            answers: seal_answers(&answers)?,
            updated_at: now,
        };
        store::insert_draft(tx, t, &draft, now).await?;
        store::move_draft_start(tx, t, d.id, id).await?;
        crate::on_behalf::move_draft(tx, t, d.id, id).await?;
        return Ok((id, check));
    }
    let prefill = form::Prefill { pnr: who.pnr.to_string(), name: who.name.clone(), address: who.address.clone() };
    let answers = form::prefill(&def, &prefill);
    let id = Uuid::now_v7();
    let draft = store::Draft {
        id,
        service_key: key.to_string(),
        revision: a.revision,
        citizen_index: who.index.clone(),
        answers: seal_answers(&answers)?,
        updated_at: now,
    };
    store::insert_draft(tx, t, &draft, now).await?;
    store::record_draft_start(tx, t, id, key, now).await?;
    audit::record(
        tx,
        Some(t),
        &who.actor(),
        Event::new("es.draft.started", "eservice", key)
            .with(serde_json::json!({ "draft": id, "address_prefilled": who.address.is_some() })),
        now,
    )
    .await?;
    Ok((id, vec![]))
}

pub use crate::store::Open;

/// The citizen's own draft of this service; anything else (another citizen's, another
/// service's, a malformed or unknown id) is "not found".
pub async fn open(tx: &mut Tx, t: TenantId, who: &Citizen, key: &str, draft: Uuid) -> Result<Open> {
    let d = store::draft(tx, t, draft).await?.filter(|d| d.citizen_index == who.index && d.service_key == key).ok_or(Error::NotFound)?;
    let adoption = store::adoption(tx, t, key).await?.ok_or(Error::NotFound)?;
    let json = store::revision_definition(tx, t, key, d.revision).await?.ok_or(Error::NotFound)?;
    let answers = open_answers(&d.answers)?;
    Ok(Open { adoption, def: parse_stored(&json)?, answers, draft: d })
}

/// Where the citizen may be: the first visible step that has problems, or `None` when every
/// visible step is complete (the review page). A later step asked for by URL goes here.
pub fn first_incomplete(def: &Definition, answers: &Answers, today: Date) -> Option<usize> {
    form::visible_steps(def, answers).into_iter().find(|&s| !form::check_step(def, s, answers, today).is_empty())
}

/// May the citizen see step `step`? It must be visible and every visible step before it complete.
pub fn reachable(def: &Definition, answers: &Answers, step: usize, today: Date) -> bool {
    let visible = form::visible_steps(def, answers);
    visible.contains(&step) && first_incomplete(def, answers, today).is_none_or(|first| step <= first)
}

/// A file posted with a step.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The file field's id.
    pub field: String,
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// The attachments the answers refer to.
fn file_refs(a: &Answers) -> Vec<Uuid> {
    a.values()
        .flat_map(|v| match v {
            Answer::File(f) => vec![f.blob],
            Answer::Group(rows) => rows.iter().flat_map(file_refs).collect(),
            _ => vec![],
        })
        .collect()
}

/// Saves the posted values of one step into the draft (what `form::read_step` takes: never a
/// field of another step or an option not offered), then checks the step. The answers are
/// saved either way (the citizen's typing is not lost); problems come back as field errors.
/// Returns the next step, or `None` for the review page.
pub async fn save_step(
    tx: &mut Tx,
    t: TenantId,
    o: &mut Open,
    step: usize,
    (pairs, files): (&[(String, String)], &[Upload]),
    today: Date,
    now: OffsetDateTime,
) -> Result<Option<usize>> {
    if !o.adoption.published() {
        return Err(EsError::Paused.into());
    }
    crate::broadcast::ensure_open(tx, t, &o.draft.service_key, now).await?;
    // Whom it concerns comes first ("Vem gäller ansökan?", `crate::on_behalf`).
    if o.def.asks_subject() && crate::on_behalf::of_draft(tx, t, o.draft.id).await?.is_none() {
        return Err(EsError::Incomplete.into());
    }
    if !reachable(&o.def, &o.answers, step, today) {
        return Err(Error::NotFound);
    }
    form::read_step(&o.def, step, pairs, &mut o.answers);
    // Files of this step's visible file fields, checked as case management checks uploads
    // (type by name and content, size); a refused file is an error at its field.
    let visible = form::visible_fields(&o.def, step, &o.answers);
    let mut file_errors = vec![];
    for u in files {
        let on_step = o.def.steps[step].fields.iter().any(|f| f.id == u.field && f.kind == form::FieldKind::File);
        if !on_step || !visible.contains(&u.field) {
            continue;
        }
        let mime = match radhus_cases::service::check_file(&u.filename, "", &u.bytes) {
            Ok(m) => m,
            Err(_) => {
                file_errors.push(FieldError::new(u.field.clone(), "es-field-file-type"));
                continue;
            }
        };
        let a = store::Attachment {
            id: Uuid::now_v7(),
            field_id: u.field.clone(),
            filename: u.filename.clone(),
            mime: mime.into(),
            bytes: u.bytes.clone(),
        };
        store::insert_attachment(tx, t, o.draft.id, &a, now).await?;
        let size = u64::try_from(u.bytes.len()).unwrap_or(u64::MAX);
        o.answers.insert(u.field.clone(), Answer::File(form::FileRef { blob: a.id, name: u.filename.clone(), mime: mime.into(), size }));
    }
    // Attachments no answer refers to any more (replaced, or their field hidden) go.
    let keep = file_refs(&o.answers);
    store::delete_attachments_except(tx, t, o.draft.id, &keep).await?;
    // "Add a row" and "remove a row" of a group save what was typed and stay on the step.
    let edit = pairs.iter().find(|(k, _)| k == "_add" || k == "_remove");
    if let Some((k, v)) = edit {
        if k == "_add" {
            form::add_row(&o.def, &mut o.answers, v);
        } else if let Some((group, i)) = v.rsplit_once(':')
            && let Ok(i) = i.parse::<usize>()
        {
            form::remove_row(&mut o.answers, group, i);
        }
        store::update_draft(tx, t, o.draft.id, &seal_answers(&o.answers)?, now).await?;
        return Ok(Some(step));
    }
    store::update_draft(tx, t, o.draft.id, &seal_answers(&o.answers)?, now).await?;
    let mut problems = form::check_step(&o.def, step, &o.answers, today);
    problems.retain(|p| !file_errors.iter().any(|f| f.field == p.field));
    problems.extend(file_errors);
    if !problems.is_empty() {
        // The citizen is at this step (statistics: drop-off per step).
        crate::stats::reached(tx, t, o.draft.id, step, &o.def.steps[step].id).await?;
        return Err(Error::Invalid(problems));
    }
    let visible = form::visible_steps(&o.def, &o.answers);
    let next = visible.into_iter().find(|&s| s > step).filter(|_| first_incomplete(&o.def, &o.answers, today).is_some());
    // The furthest step the draft has come to: the next one, or the review page.
    match next {
        Some(s) => crate::stats::reached(tx, t, o.draft.id, s, &o.def.steps[s].id).await?,
        None => crate::stats::reached(tx, t, o.draft.id, o.def.steps.len(), crate::stats::REVIEW_STEP).await?,
    }
    Ok(next)
}

/// The SHA-256 (hex) of the exact content submitted: the service, its revision and the
/// answers as canonical JSON (keys in order).
pub fn content_hash(key: &str, revision: i32, answers: &Answers) -> Result<String> {
    let content = serde_json::json!({ "service": key, "revision": revision, "answers": answers });
    let bytes = serde_json::to_vec(&content).map_err(|e| Error::Internal(format!("content: {e}")))?;
    Ok(hex::encode(Sha256::digest(bytes)))
}

/// The first answer of the definition's e-mail field, if it asked for one.
pub(crate) fn email_of(def: &Definition, answers: &Answers) -> Option<String> {
    def.steps.iter().flat_map(|s| s.fields.iter()).filter(|f| f.kind == form::FieldKind::Email).find_map(|f| match answers.get(&f.id) {
        Some(Answer::One(v)) if !v.trim().is_empty() => Some(v.trim().to_string()),
        _ => None,
    })
}

/// The submission as a readable text document for the case's inbound record; for someone
/// else, whom it concerns and who submitted it with the mandate first.
fn as_text(
    def: &Definition,
    answers: &Answers,
    signer: &str,
    signed: &str,
    sha: &str,
    behalf: Option<&crate::on_behalf::OnBehalf>,
) -> Vec<u8> {
    let mut s = format!("{}\n\n", def.title.get(Lang::Sv));
    if let Some(b) = behalf.filter(|b| !b.subject.is_self()) {
        s.push_str(&format!(
            "Ansökan gäller: {}\nInlämnad av: {}\n",
            crate::on_behalf::subject_line(&b.subject),
            crate::on_behalf::submitted_by(signer, b)
        ));
    }
    let mut step = String::new();
    for row in form::summary(def, answers, Lang::Sv) {
        if row.step != step {
            s.push_str(&format!("\n{}\n", row.step));
            step = row.step.clone();
        }
        s.push_str(&format!("  {}: {}\n", row.label, row.value));
    }
    s.push_str(&format!("\nSignerad med e-legitimation av {signer} den {signed}.\nSHA-256 av innehållet: {sha}\n"));
    s.into_bytes()
}

/// What a submit gives back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    pub submission: Uuid,
    /// This draft had been submitted already (a double click, a retry, an old page again).
    pub already: bool,
}

/// Signs and submits the citizen's draft: in one transaction the submission row with the
/// signature, the audit event and, when the form asked for an e-mail address, the receipt
/// e-mail; and the case (of the adoption's case type, routed by it, the citizen as applicant,
/// the adoption's public title and secrecy) with its inbound record holding the submission
/// and the attachments — at once, or, for a service that registers on payment and a fee
/// above zero, when the fee is paid ([`register`], called by the payment). `seen` is the
/// content hash the review page showed: answers changed since then are refused. A draft
/// submitted already answers with that submission.
pub async fn submit(
    tx: &mut Tx,
    t: TenantId,
    who: &Citizen,
    (key, draft): (&str, Uuid),
    seen: &str,
    receipt_url: impl Fn(Uuid) -> String,
    now: OffsetDateTime,
) -> Result<Submitted> {
    let o = match open(tx, t, who, key, draft).await {
        Ok(o) => o,
        Err(Error::NotFound) => {
            // Submitted already? The draft is gone and the submission names it.
            let s = store::submission_of_draft(tx, t, draft).await?.filter(|s| s.citizen_index == who.index).ok_or(Error::NotFound)?;
            return Ok(Submitted { submission: s.id, already: true });
        }
        Err(e) => return Err(e),
    };
    if !o.adoption.published() {
        return Err(EsError::Paused.into());
    }
    crate::broadcast::ensure_open(tx, t, key, now).await?;
    let today = radhus_kernel::tz::stockholm(now).date();
    if !form::check_all(&o.def, &o.answers, today).is_empty() {
        return Err(EsError::Incomplete.into());
    }
    let sha = content_hash(key, o.draft.revision, &o.answers)?;
    if sha != seen {
        return Err(EsError::Changed.into());
    }
    // Whom it concerns and the mandate as it stands now (the register is asked again).
    let behalf = crate::on_behalf::at_submission(tx, t, who, &o.def, draft).await?;
    if !store::take_draft(tx, t, draft).await? {
        return Err(Error::Conflict("es-err-changed"));
    }
    let fee = form::fee(&o.def, &o.answers);
    let wait = o.adoption.registers_on_payment() && fee.is_some_and(|f| f > 0);
    let id = Uuid::now_v7();
    let mut row = store::Submission {
        id,
        draft_id: draft,
        service_key: key.to_string(),
        revision: o.draft.revision,
        citizen_index: who.index.clone(),
        answers: seal_answers(&o.answers)?,
        content_sha256: sha.clone(),
        signed_name: who.name.clone(),
        identified_by: who.identified_by.clone(),
        assurance: "eid".into(),
        signed_at: now,
        fee,
        case_id: None,
        case_number: None,
        record_number: None,
        applicant_sealed: if wait { Some(pii::seal_text(&who.pnr.to_string())?) } else { None },
    };
    if let Some((_, mandate)) = &behalf {
        crate::on_behalf::submitted(tx, t, draft, id, mandate).await?;
    }
    if !wait {
        let reg = open_case(tx, t, &o.adoption, (&o.def, &o.answers), &row, who.pnr, now).await?;
        row.case_id = Some(reg.case_id);
        row.case_number = Some(reg.case_number);
        row.record_number = Some(reg.record_number);
    }
    store::insert_submission(tx, t, &row).await?;
    payment_due(tx, t, &row, &receipt_url(id), now).await?;
    crate::webhook::submission_received(tx, t, &row, now).await?;
    let ev = Event::new("es.submission.signed", "eservice", key).with(serde_json::json!({
        "submission": id, "case": row.case_id, "case_number": row.case_number, "sha256": sha,
        "identified_by": who.identified_by, "assurance": "eid", "registered": !wait,
        "on_behalf": behalf.as_ref().map(|(s, mandate)| serde_json::json!({ "kind": s.kind, "mandate": mandate })),
    }));
    audit::record(tx, Some(t), &who.actor(), ev, now).await?;
    if let Some(to) = email_of(&o.def, &o.answers) {
        let url = receipt_url(id);
        let title = o.def.title.get(Lang::Sv).to_string();
        let signed_text = radhus_kernel::lang::swedish_time(now);
        match &row.case_number {
            Some(number) => {
                let vars = [
                    ("name", who.name.as_str()),
                    ("service", title.as_str()),
                    ("case_number", number.as_str()),
                    ("signed_at", signed_text.as_str()),
                    ("url", url.as_str()),
                ];
                outbox::notify(tx, Some(t), &Notice { template: &RECEIPT, lang: Lang::Sv, to: &to, vars: &vars }, now).await?;
            }
            None => {
                let amount = fee.unwrap_or_default().to_string();
                let vars = [
                    ("name", who.name.as_str()),
                    ("service", title.as_str()),
                    ("amount", amount.as_str()),
                    ("signed_at", signed_text.as_str()),
                    ("url", url.as_str()),
                ];
                outbox::notify(tx, Some(t), &Notice { template: &RECEIPT_UNPAID, lang: Lang::Sv, to: &to, vars: &vars }, now).await?;
            }
        }
    }
    Ok(Submitted { submission: id, already: false })
}

/// Opens the case of a submission through case management's intake: the adoption's case
/// type (routed by it), the public title, the applicant as party with the sealed number, the
/// inbound record with the submission as a text document and the draft's attachments (which
/// are then deleted), secrecy from the adoption.
async fn open_case(
    tx: &mut Tx,
    t: TenantId,
    adoption: &Adoption,
    (def, answers): (&Definition, &Answers),
    row: &store::Submission,
    pnr: radhus_kernel::Personnummer,
    now: OffsetDateTime,
) -> Result<intake::Registered> {
    let title = def.title.get(Lang::Sv).to_string();
    let signed_text = radhus_kernel::lang::swedish_time(row.signed_at);
    // The submission as the record's main document, the citizen's attachments after it.
    let refs = file_refs(answers);
    let behalf = crate::on_behalf::of_draft(tx, t, row.draft_id).await?;
    let mut documents = vec![Document {
        main: true,
        title: title.clone(),
        filename: "ansokan.txt".into(),
        bytes: as_text(def, answers, &row.signed_name, &signed_text, &row.content_sha256, behalf.as_ref()),
    }];
    for a in store::attachments(tx, t, row.draft_id).await?.into_iter().filter(|a| refs.contains(&a.id)) {
        documents.push(Document { main: false, title: a.filename.clone(), filename: a.filename, bytes: a.bytes });
    }
    store::delete_attachments_except(tx, t, row.draft_id, &[]).await?;
    let secrecy = (!adoption.secrecy_ground.is_empty()).then(|| Secrecy {
        fields: radhus_cases::domain::SECRET_FIELDS.iter().map(|s| s.to_string()).collect(),
        ground: adoption.secrecy_ground.clone(),
    });
    // The person who signed, and whom it concerns with the mandate (`on_behalf::parties`).
    let subject = behalf.as_ref().map(|b| (&b.subject, b.mandate.as_deref().unwrap_or("")));
    let parties = crate::on_behalf::parties(&row.signed_name, pnr, subject)?;
    let s = intake::Submission {
        case_type: adoption.case_type_id,
        title: title.clone(),
        public_title: adoption.public_title.clone(),
        parties,
        record: Inbound {
            title: format!("Ansökan via e-tjänst: {title}"),
            correspondent: row.signed_name.clone(),
            correspondent_is_person: true,
            received_on: None,
            secrecy,
            documents,
        },
    };
    let by = By::Citizen { pnr, name: row.signed_name.clone() };
    intake::open_case_in(tx, t, &by, &s, now).await
}

/// Registers a paid submission of a service that registers on payment (called by the
/// payment, in its transaction): the case as [`submit`] would have opened it, the submission
/// pointing at it, the audit event `es.submission.registered` and the receipt e-mail with the
/// case number. A submission that is a case already is left alone; returns whether it
/// became one now.
pub async fn register(tx: &mut Tx, t: TenantId, id: Uuid, receipt_url: &str, now: OffsetDateTime) -> Result<bool> {
    let s = store::submission(tx, t, id).await?.ok_or(Error::NotFound)?;
    if s.case_id.is_some() {
        return Ok(false);
    }
    let sealed = s.applicant_sealed.as_deref().ok_or_else(|| Error::Internal("a submission without a case has no applicant".into()))?;
    let pnr = radhus_kernel::Personnummer::parse_canonical(&pii::open_text(sealed)?)
        .map_err(|_| Error::Internal("a stored applicant number is not canonical".into()))?;
    let adoption = store::adoption(tx, t, &s.service_key).await?.ok_or(Error::NotFound)?;
    let json = store::revision_definition(tx, t, &s.service_key, s.revision).await?.ok_or(Error::NotFound)?;
    let def = parse_stored(&json)?;
    let answers = open_answers(&s.answers)?;
    let reg = open_case(tx, t, &adoption, (&def, &answers), &s, pnr, now).await?;
    if store::set_registered(tx, t, id, (reg.case_id, &reg.case_number, &reg.record_number)).await? == 0 {
        return Err(Error::Conflict("es-err-changed"));
    }
    let ev = Event::new("es.submission.registered", "eservice", &s.service_key).with(serde_json::json!({
        "submission": id, "case": reg.case_id, "case_number": reg.case_number,
    }));
    audit::record(tx, Some(t), &Actor::system(), ev, now).await?;
    if let Some(to) = email_of(&def, &answers) {
        let title = def.title.get(Lang::Sv).to_string();
        let signed_text = radhus_kernel::lang::swedish_time(s.signed_at);
        let vars = [
            ("name", s.signed_name.as_str()),
            ("service", title.as_str()),
            ("case_number", reg.case_number.as_str()),
            ("signed_at", signed_text.as_str()),
            ("url", receipt_url),
        ];
        outbox::notify(tx, Some(t), &Notice { template: &RECEIPT, lang: Lang::Sv, to: &to, vars: &vars }, now).await?;
    }
    Ok(true)
}

/// The citizen's own submission; anything else is "not found".
pub async fn submission(tx: &mut Tx, t: TenantId, who: &Citizen, id: Uuid) -> Result<(store::Submission, Definition, Answers)> {
    let s = store::submission(tx, t, id).await?.filter(|s| s.citizen_index == who.index).ok_or(Error::NotFound)?;
    let json = store::revision_definition(tx, t, &s.service_key, s.revision).await?.ok_or(Error::NotFound)?;
    let answers = open_answers(&s.answers)?;
    Ok((s, parse_stored(&json)?, answers))
}

/// Called by the submission, in its transaction: a submission with a fee above zero waits for
/// payment, and its case, when it is one already, gets `payment.due` (where to pay: `pay_url`,
/// the receipt page).
async fn payment_due(tx: &mut Tx, t: TenantId, s: &store::Submission, pay_url: &str, now: OffsetDateTime) -> Result<()> {
    let Some(amount) = s.fee.filter(|f| *f > 0) else { return Ok(()) };
    store::set_payment_state(tx, t, s.id, "none", "due").await?;
    let (Some(case), Some(number)) = (s.case_id, &s.case_number) else { return Ok(()) };
    let data = serde_json::json!({ "submission": s.id, "amount": amount, "pay_url": pay_url });
    radhus_cases::events::emit(tx, t, "payment.due", (case, number), s.id, data, now).await
}
