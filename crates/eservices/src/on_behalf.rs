//! Acting on behalf of someone (issue 11 item 5): whom an application concerns.
//!
//! A service says whom it may be applied for (`Definition::applies_for`): the person who
//! logs in, a child in their custody, or a company or organisation they sign for. Starting a
//! service that allows anything but the person themselves asks first "Vem gäller ansökan?";
//! the choice ([`choose`]) is kept with the draft (`es_on_behalf`, the subject's number and
//! name sealed) and fills the fields marked `prefill: subject_name` / `subject_number`.
//!
//! * A child must be one of the children under 18 in the person's custody as the population
//!   register says (`PopulationRegister::children_in_custody`, looked up by the pages into
//!   [`Citizen::custody`]); any other number is refused at the field and nothing is stored.
//!   At submission the register is asked again: the mandate is `custody` as it stands then.
//! * An organisation needs a valid organisation number (the kernel's check), its name and the
//!   person's confirmation that they may sign for it: the mandate is `declared signatory`
//!   (nobody checks it against Bolagsverket here; the caseworker sees that it is declared).
//!
//! The submission records the actor (the e-ID person, `es_submission`), the subject and the
//! mandate; the case gets both as parties ([`parties`]).

use radhus_cases::parties::{Identity, NewParty, PartyRole};
use radhus_kernel::ids::TenantId;
use radhus_kernel::{Orgnr, Personnummer};
use radhus_platform::audit::{self, Event};
use radhus_platform::db::Tx;
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::{on_tx, pii};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::citizen::Citizen;
use crate::form::{self, AppliesFor, Definition};

/// Whom an application concerns.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Subject {
    /// `self`, `child` or `organisation`.
    pub kind: String,
    /// The personal identity number (canonical) or the organisation number (`NNNNNN-NNNN`).
    pub number: String,
    pub name: String,
}

impl Subject {
    pub fn is_self(&self) -> bool {
        self.kind == AppliesFor::Myself.as_str()
    }
}

/// The subject of a draft or a submission, with the mandate once submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnBehalf {
    pub subject: Subject,
    pub submission: Option<Uuid>,
    /// `self`, `custody` or `declared signatory`, set at submission.
    pub mandate: Option<String>,
}

impl OnBehalf {
    /// The mandate as the receipt and the case name it (Swedish).
    pub fn mandate_text(&self) -> &'static str {
        mandate_text(self.mandate.as_deref().unwrap_or(""))
    }
}

/// `custody` → "vårdnadshavare enligt folkbokföringen", `declared signatory` →
/// "firmatecknare enligt egen uppgift", anything else nothing.
pub fn mandate_text(mandate: &str) -> &'static str {
    match mandate {
        CUSTODY => "vårdnadshavare enligt folkbokföringen",
        SIGNATORY => "firmatecknare enligt egen uppgift",
        _ => "",
    }
}

pub const CUSTODY: &str = "custody";
pub const SIGNATORY: &str = "declared signatory";

/// What "Vem gäller ansökan?" posts.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Choice {
    /// `self`, `child:<personnummer>` or `organisation`.
    #[serde(default)]
    pub vem: String,
    #[serde(default)]
    pub orgnr: String,
    #[serde(default)]
    pub org_namn: String,
    /// The confirmation that the person may sign for the organisation (`ja`).
    #[serde(default)]
    pub firmatecknare: String,
}

/// The draft's subject, if one was chosen.
pub async fn of_draft(tx: &mut Tx, t: TenantId, draft: Uuid) -> Result<Option<OnBehalf>> {
    let row: Option<(String, Option<Uuid>, Option<String>)> = on_tx!(tx, q => sqlx::query_as(
        "SELECT subject_sealed, submission_id, mandate FROM es_on_behalf WHERE tenant_id = $1 AND draft_id = $2")
        .bind(t.0).bind(draft).fetch_optional(q).await?);
    row.map(|(sealed, submission, mandate)| {
        let subject = serde_json::from_str(&pii::open_text(&sealed)?).map_err(|e| Error::Internal(format!("subject: {e}")))?;
        Ok(OnBehalf { subject, submission, mandate })
    })
    .transpose()
}

/// The children the person may choose: the register's answer the pages looked up (none when
/// they did not).
fn children(who: &Citizen) -> &[radhus_platform::identity::citizen::RegisteredPerson] {
    who.custody.as_deref().unwrap_or(&[])
}

/// Checks the choice against what the service allows and the register, stores it with the
/// draft (replacing an earlier choice) and fills the subject's fields of the answers. A child
/// who is not the person's child under 18 per the register, a bad organisation number, a
/// missing name or confirmation are refused at their field; nothing is stored then.
pub async fn choose(
    tx: &mut Tx,
    t: TenantId,
    who: &Citizen,
    o: &mut crate::store::Open,
    f: &Choice,
    now: OffsetDateTime,
) -> Result<Subject> {
    let allowed = o.def.subjects();
    let subject = check(&allowed, who, f)?;
    let json = serde_json::to_string(&subject).map_err(|e| Error::Internal(format!("subject: {e}")))?;
    let sealed = pii::seal_text(&json)?;
    on_tx!(tx, q => sqlx::query("DELETE FROM es_on_behalf WHERE tenant_id = $1 AND draft_id = $2")
        .bind(t.0).bind(o.draft.id).execute(q).await?.rows_affected());
    on_tx!(tx, q => sqlx::query(
        "INSERT INTO es_on_behalf (tenant_id, draft_id, service_key, kind, subject_sealed, chosen_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(t.0).bind(o.draft.id).bind(&o.draft.service_key).bind(&subject.kind).bind(&sealed).bind(now)
        .execute(q).await?.rows_affected());
    form::prefill_subject(&o.def, &mut o.answers, &subject.name, &subject.number);
    let answers = serde_json::to_string(&o.answers).map_err(|e| Error::Internal(format!("answers: {e}")))?;
    crate::store::update_draft(tx, t, o.draft.id, &pii::seal_text(&answers)?, now).await?;
    let ev = Event::new("es.draft.subject_chosen", "eservice", &o.draft.service_key)
        .with(serde_json::json!({ "draft": o.draft.id, "kind": subject.kind }));
    audit::record(tx, Some(t), &who.actor(), ev, now).await?;
    Ok(subject)
}

fn check(allowed: &[AppliesFor], who: &Citizen, f: &Choice) -> Result<Subject> {
    let refuse = |field: &str, message: &'static str| Err(Error::Invalid(vec![FieldError::new(field, message)]));
    let vem = f.vem.trim();
    if vem == "self" && allowed.contains(&AppliesFor::Myself) {
        return Ok(Subject { kind: "self".into(), number: who.pnr.to_string(), name: who.name.clone() });
    }
    if let Some(number) = vem.strip_prefix("child:")
        && allowed.contains(&AppliesFor::Child)
    {
        // Only a child the register names: a number typed into the page is nobody's child.
        let Some(child) =
            Personnummer::parse_canonical(number.trim()).ok().and_then(|p| children(who).iter().find(|c| c.pnr == p.to_string()).cloned())
        else {
            return refuse("vem", "es-vem-err-child");
        };
        return Ok(Subject { kind: "child".into(), number: child.pnr.clone(), name: child.full_name() });
    }
    if vem == "organisation" && allowed.contains(&AppliesFor::Organisation) {
        let mut errs = vec![];
        let orgnr = Orgnr::parse(f.orgnr.trim());
        if orgnr.is_err() {
            errs.push(FieldError::new("orgnr", "es-vem-err-orgnr"));
        }
        let name = f.org_namn.trim();
        if name.is_empty() || name.chars().count() > 200 {
            errs.push(FieldError::new("org_namn", "es-vem-err-org-name"));
        }
        if f.firmatecknare != "ja" {
            errs.push(FieldError::new("firmatecknare", "es-vem-err-signatory"));
        }
        return match orgnr {
            Ok(o) if errs.is_empty() => Ok(Subject { kind: "organisation".into(), number: o.to_string(), name: name.to_string() }),
            _ => Err(Error::Invalid(errs)),
        };
    }
    refuse("vem", "es-vem-err-choose")
}

/// At submission: the draft's subject and the mandate as it stands now. A service that asks
/// and has no choice yet is incomplete; a child no longer in the person's custody per the
/// register (asked again now, [`Citizen::custody`]) is refused.
pub async fn at_submission(
    tx: &mut Tx,
    t: TenantId,
    who: &Citizen,
    def: &Definition,
    draft: Uuid,
) -> Result<Option<(Subject, &'static str)>> {
    let Some(b) = of_draft(tx, t, draft).await? else {
        return if def.asks_subject() { Err(crate::EsError::Incomplete.into()) } else { Ok(None) };
    };
    let allowed = def.subjects();
    let kind_allowed = allowed.iter().any(|a| a.as_str() == b.subject.kind);
    let mandate = match b.subject.kind.as_str() {
        "self" if kind_allowed => "self",
        "child" if kind_allowed && children(who).iter().any(|c| c.pnr == b.subject.number) => CUSTODY,
        "child" => return Err(Error::Conflict("es-vem-err-custody")),
        "organisation" if kind_allowed => SIGNATORY,
        _ => return Err(crate::EsError::Incomplete.into()),
    };
    Ok(Some((b.subject, mandate)))
}

/// Notes the submission and the mandate on the draft's subject.
pub async fn submitted(tx: &mut Tx, t: TenantId, draft: Uuid, submission: Uuid, mandate: &str) -> Result<()> {
    on_tx!(tx, q => sqlx::query("UPDATE es_on_behalf SET submission_id = $3, mandate = $4 WHERE tenant_id = $1 AND draft_id = $2")
        .bind(t.0).bind(draft).bind(submission).bind(mandate).execute(q).await?.rows_affected());
    Ok(())
}

/// The subject follows a draft moved to a newer revision.
pub async fn move_draft(tx: &mut Tx, t: TenantId, from: Uuid, to: Uuid) -> Result<()> {
    on_tx!(tx, q => sqlx::query("UPDATE es_on_behalf SET draft_id = $3 WHERE tenant_id = $1 AND draft_id = $2 AND submission_id IS NULL")
        .bind(t.0).bind(from).bind(to).execute(q).await?.rows_affected());
    Ok(())
}

/// A draft removed unsubmitted (the retention job) takes its subject along.
pub async fn forget_draft(tx: &mut Tx, t: Uuid, draft: Uuid) -> Result<()> {
    on_tx!(tx, q => sqlx::query("DELETE FROM es_on_behalf WHERE tenant_id = $1 AND draft_id = $2 AND submission_id IS NULL")
        .bind(t).bind(draft).execute(q).await?.rows_affected());
    Ok(())
}

/// The case's parties: the person who submitted as applicant, and for a child or an
/// organisation the subject too, the mandate beside the person (what the case page shows
/// after the party's number): a guardian is the applicant (sökande) and the child a party
/// (övrig part); an organisation is the applicant and its signatory a party beside it.
pub fn parties(actor_name: &str, actor: Personnummer, subject: Option<(&Subject, &str)>) -> Result<Vec<NewParty>> {
    let person =
        |role, contact: &str| NewParty { role, name: actor_name.to_string(), identity: Identity::Person(actor), contact: contact.into() };
    let Some((s, mandate)) = subject.filter(|(s, _)| !s.is_self()) else {
        return Ok(vec![person(PartyRole::Applicant, "")]);
    };
    let bad = |_| Error::Internal("a stored subject's number does not parse".into());
    Ok(match s.kind.as_str() {
        "child" => vec![
            person(PartyRole::Applicant, mandate_text(mandate)),
            NewParty {
                role: PartyRole::Other,
                name: s.name.clone(),
                identity: Identity::Person(Personnummer::parse_canonical(&s.number).map_err(bad)?),
                contact: "barnet som ansökan gäller".into(),
            },
        ],
        _ => vec![
            NewParty {
                role: PartyRole::Applicant,
                name: s.name.clone(),
                identity: Identity::Organisation(
                    Orgnr::parse(&s.number).map_err(|_| Error::Internal("a stored orgnr does not parse".into()))?,
                ),
                contact: String::new(),
            },
            person(PartyRole::Other, mandate_text(mandate)),
        ],
    })
}

/// "Ansökan gäller: …" as the receipt and the case's document say it.
pub fn subject_line(s: &Subject) -> String {
    format!("{} ({})", s.name, s.number)
}

/// The children as "Vem gäller ansökan?" offers them: (value, name, birth date).
pub fn offered_children(who: &Citizen) -> Vec<(String, String, Date)> {
    children(who)
        .iter()
        .filter_map(|c| Personnummer::parse_canonical(&c.pnr).ok().map(|p| (format!("child:{}", c.pnr), c.full_name(), p.birth_date())))
        .collect()
}

/// "Inlämnad av: …": the person who signed and, for someone else, their mandate.
pub fn submitted_by(signer: &str, b: &OnBehalf) -> String {
    match b.mandate_text() {
        "" => signer.to_string(),
        m => format!("{signer}, {m}"),
    }
}
