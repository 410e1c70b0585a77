//! The parties of a case (parter): a person by personal identity number or samordningsnummer,
//! an organisation by organisation number, or a name only.
//!
//! A person's number is never stored in plain text: the row holds it sealed and its blind index
//! (`radhus_platform::pii`, ADR 0018), so a citizen's cases are found by number
//! ([`cases_of_person`]) while a copy of the database reveals none.

use radhus_kernel::ids::TenantId;
use radhus_kernel::{Orgnr, Personnummer};
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{FieldError, Result};
use radhus_platform::on_tx;
use radhus_platform::pii::{self, SealedColumn};
use serde::Serialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// The sealed columns of case management, for `radhus keys rotate`.
pub const SEALED_COLUMNS: &[SealedColumn] =
    &[SealedColumn { table: "case_party", sealed: "pnr_sealed", index: Some("pnr_index"), plaintext: None }];

/// A party's part in the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PartyRole {
    /// Sökande.
    Applicant,
    /// Motpart.
    Counterparty,
    /// Övrig part.
    Other,
}

impl PartyRole {
    pub fn as_str(self) -> &'static str {
        match self {
            PartyRole::Applicant => "applicant",
            PartyRole::Counterparty => "counterparty",
            PartyRole::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<PartyRole> {
        [PartyRole::Applicant, PartyRole::Counterparty, PartyRole::Other].into_iter().find(|r| r.as_str() == s)
    }
}

/// Who a party is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    Person(Personnummer),
    Organisation(Orgnr),
    /// A name only (a party whose number is unknown, or who has none).
    Unidentified,
}

impl Identity {
    /// Reads an identity number typed by staff: empty is a name only; otherwise it must be a
    /// valid personal identity number, samordningsnummer or organisation number (`None`: none).
    pub fn parse(text: &str, today: Date) -> Option<Identity> {
        let text = text.trim();
        if text.is_empty() {
            return Some(Identity::Unidentified);
        }
        if let Ok(p) = Personnummer::parse(text, today) {
            return Some(Identity::Person(p));
        }
        Orgnr::parse(text).ok().map(Identity::Organisation)
    }

    fn kind(&self) -> &'static str {
        match self {
            Identity::Person(_) => "person",
            Identity::Organisation(_) => "organisation",
            Identity::Unidentified => "name",
        }
    }
}

/// A party to add to a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewParty {
    pub role: PartyRole,
    pub name: String,
    pub identity: Identity,
    pub contact: String,
}

impl NewParty {
    /// A party from a form's text fields; the errors name the form's fields.
    pub fn from_form(role: &str, name: &str, identity: &str, contact: &str, today: Date) -> std::result::Result<NewParty, Vec<FieldError>> {
        let mut errs = vec![];
        let role = PartyRole::parse(role);
        if role.is_none() || name.trim().is_empty() {
            errs.push(FieldError::new("party_name", "err-party-name"));
        }
        let identity = Identity::parse(identity, today);
        if identity.is_none() {
            errs.push(FieldError::new("party_identity", "err-party-identity"));
        }
        match (role, identity) {
            (Some(role), Some(identity)) if errs.is_empty() => {
                Ok(NewParty { role, name: name.trim().to_string(), identity, contact: contact.trim().to_string() })
            }
            _ => Err(errs),
        }
    }

    pub(crate) fn check(&self) -> Vec<FieldError> {
        let mut errs = vec![];
        if self.name.trim().is_empty() || self.name.chars().count() > 300 {
            errs.push(FieldError::new("party_name", "err-party"));
        }
        if self.contact.chars().count() > 300 {
            errs.push(FieldError::new("party_contact", "err-party"));
        }
        errs
    }
}

/// The blind indexes of the persons among `parties`, for the change log's events.
pub(crate) fn person_indexes(parties: &[NewParty]) -> Result<Vec<String>> {
    parties
        .iter()
        .filter_map(|p| match &p.identity {
            Identity::Person(pnr) => Some(pii::index(pnr)),
            _ => None,
        })
        .collect()
}

/// Adds a party to a case in the caller's transaction (the caller checks permissions).
pub(crate) async fn insert(tx: &mut Tx, t: TenantId, case: Uuid, p: &NewParty, now: OffsetDateTime) -> Result<Uuid> {
    let (sealed, orgnr) = match &p.identity {
        Identity::Person(pnr) => (Some(pii::seal(pnr)?), None),
        Identity::Organisation(o) => (None, Some(o.to_string())),
        Identity::Unidentified => (None, None),
    };
    let id = Uuid::now_v7();
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO case_party (tenant_id, id, case_id, role, kind, name, pnr_sealed, pnr_index, orgnr, contact, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
        .bind(t.0).bind(id).bind(case).bind(p.role.as_str()).bind(p.identity.kind()).bind(p.name.trim())
        .bind(sealed.as_ref().map(|s| s.sealed.as_str())).bind(sealed.as_ref().map(|s| s.index.as_str()))
        .bind(orgnr).bind(p.contact.trim()).bind(now)
        .execute(c).await?.rows_affected());
    Ok(id)
}

/// A party as staff who may read the case see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Party {
    pub id: Uuid,
    /// `applicant`, `counterparty` or `other`.
    pub role: String,
    /// `person`, `organisation` or `name`.
    pub kind: String,
    pub name: String,
    /// The personal identity number (canonical) or organisation number; for a party from
    /// before parties had kinds, what was typed if it was no valid number; else empty.
    pub identity_number: String,
    pub contact: String,
}

#[derive(sqlx::FromRow)]
struct PartyRow {
    id: Uuid,
    role: String,
    kind: Option<String>,
    name: String,
    pnr_sealed: Option<String>,
    orgnr: Option<String>,
    identity_number: String,
    contact: String,
}

/// The parties of a case, in the order they were added, with persons' numbers opened.
pub async fn of_case(tx: &mut Tx, t: TenantId, case: Uuid) -> Result<Vec<Party>> {
    let rows: Vec<PartyRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, role, kind, name, pnr_sealed, orgnr, identity_number, contact FROM case_party \
         WHERE tenant_id = $1 AND case_id = $2 ORDER BY created_at, id")
        .bind(t.0).bind(case).fetch_all(c).await?);
    rows.into_iter()
        .map(|r| {
            let identity_number = match (&r.pnr_sealed, &r.orgnr) {
                (Some(s), _) => pii::open(s)?.to_string(),
                (None, Some(o)) => o.clone(),
                (None, None) => r.identity_number,
            };
            Ok(Party {
                id: r.id,
                role: r.role,
                kind: r.kind.unwrap_or_else(|| "name".into()),
                name: r.name,
                identity_number,
                contact: r.contact,
            })
        })
        .collect()
}

/// The cases in which a person is a party, found by the blind index of the number.
pub async fn cases_of_person(tx: &mut Tx, t: TenantId, pnr: &Personnummer) -> Result<Vec<Uuid>> {
    let index = pii::index(pnr)?;
    let rows: Vec<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT DISTINCT case_id FROM case_party WHERE tenant_id = $1 AND pnr_index = $2")
        .bind(t.0).bind(&index).fetch_all(c).await?);
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// What [`upgrade`] did with the parties from before parties had kinds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Upgrade {
    pub persons: u64,
    pub organisations: u64,
    pub names: u64,
    /// Parties whose typed number is no valid number: they stay names, with the text kept for
    /// staff to correct. (tenant, case number, party id) — never the text itself.
    pub unparsed: Vec<(Uuid, String, Uuid)>,
}

/// Classifies the parties written before migration 0015: a valid personal identity number
/// makes a person (sealed, the plain text emptied), a valid organisation number an
/// organisation, anything else stays a name and is reported. Run at every start of the
/// server (a no-op once done); one transaction per batch.
pub async fn upgrade(db: &Db, today: Date) -> Result<Upgrade> {
    let mut report = Upgrade::default();
    loop {
        let mut tx = db.write(Scope::System).await?;
        let rows: Vec<(Uuid, Uuid, String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT p.tenant_id, p.id, p.identity_number, f.number FROM case_party p \
             JOIN case_file f ON f.tenant_id = p.tenant_id AND f.id = p.case_id WHERE p.kind IS NULL LIMIT 200")
            .fetch_all(c).await?);
        if rows.is_empty() {
            tx.commit().await?;
            return Ok(report);
        }
        for (tenant, id, text, number) in rows {
            let (kind, sealed, orgnr, keep) = match Identity::parse(&text, today) {
                Some(Identity::Person(p)) => {
                    report.persons += 1;
                    ("person", Some(pii::seal(&p)?), None, "")
                }
                Some(Identity::Organisation(o)) => {
                    report.organisations += 1;
                    ("organisation", None, Some(o.to_string()), "")
                }
                Some(Identity::Unidentified) => {
                    report.names += 1;
                    ("name", None, None, "")
                }
                None => {
                    report.names += 1;
                    report.unparsed.push((tenant, number, id));
                    ("name", None, None, text.as_str())
                }
            };
            on_tx!(&mut tx, c => sqlx::query(
                "UPDATE case_party SET kind = $3, pnr_sealed = $4, pnr_index = $5, orgnr = $6, identity_number = $7 WHERE tenant_id = $1 AND id = $2")
                .bind(tenant).bind(id).bind(kind).bind(sealed.as_ref().map(|s| s.sealed.as_str()))
                .bind(sealed.as_ref().map(|s| s.index.as_str())).bind(orgnr).bind(keep)
                .execute(c).await?.rows_affected());
        }
        tx.commit().await?;
    }
}
