//! The SQL of e-services: the shared catalogue (the platform operator's, no tenant), the
//! municipalities' adoptions and revisions, drafts and submissions (each municipality's own).

use radhus_kernel::ids::TenantId;
use radhus_platform::db::Tx;
use radhus_platform::error::Result;
use radhus_platform::on_tx;
use time::OffsetDateTime;
use uuid::Uuid;

/// A shared e-service with its current definition (JSON as published).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Shared {
    pub key: String,
    pub category: String,
    pub current_version: i32,
    pub definition: String,
    pub published_at: OffsetDateTime,
    pub published_by: String,
}

pub async fn shared_list(tx: &mut Tx) -> Result<Vec<Shared>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT s.key, s.category, s.current_version, v.definition, v.published_at, v.published_by \
         FROM es_shared_service s JOIN es_shared_version v ON v.service_key = s.key AND v.version = s.current_version ORDER BY s.key")
        .fetch_all(c).await?))
}

pub async fn shared(tx: &mut Tx, key: &str) -> Result<Option<Shared>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT s.key, s.category, s.current_version, v.definition, v.published_at, v.published_by \
         FROM es_shared_service s JOIN es_shared_version v ON v.service_key = s.key AND v.version = s.current_version WHERE s.key = $1")
        .bind(key).fetch_optional(c).await?))
}

/// One published version's definition.
pub async fn shared_version(tx: &mut Tx, key: &str, version: i32) -> Result<Option<String>> {
    Ok(on_tx!(tx, c => sqlx::query_scalar("SELECT definition FROM es_shared_version WHERE service_key = $1 AND version = $2")
        .bind(key).bind(version).fetch_optional(c).await?))
}

/// Publishes a version of a shared e-service (the first creates the service). The caller has
/// checked that `version` is above the current one.
pub async fn publish_shared(
    tx: &mut Tx,
    (key, category, version): (&str, &str, i32),
    definition: &str,
    by: &str,
    now: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO es_shared_service (key, category, current_version, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) \
         ON CONFLICT (key) DO NOTHING")
        .bind(key).bind(category).bind(version).bind(now).execute(&mut *c).await?.rows_affected());
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO es_shared_version (service_key, version, definition, published_by, published_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(key).bind(version).bind(definition).bind(by).bind(now).execute(&mut *c).await?.rows_affected());
    on_tx!(tx, c => sqlx::query("UPDATE es_shared_service SET current_version = $2, category = $3, updated_at = $4 WHERE key = $1")
        .bind(key).bind(version).bind(category).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

/// A municipality's adoption of a shared e-service.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Adoption {
    pub service_key: String,
    pub shared_version: i32,
    pub overrides: String,
    pub case_type_id: Uuid,
    pub public_title: String,
    pub secrecy_ground: String,
    pub status: String,
    pub revision: i32,
    pub updated_at: OffsetDateTime,
    /// When a submission with a fee becomes a case: `submit` (at once, waiting for payment)
    /// or `payment` (only once paid).
    pub register_on: String,
    /// `shared` (adopted from the shared catalogue) or `own` (built in the municipality's form
    /// builder; `shared_version` reads 0).
    pub origin: String,
}

impl Adoption {
    /// Built by the municipality in the form builder, not adopted (ADR 0027).
    pub fn own(&self) -> bool {
        self.origin == "own"
    }

    pub fn published(&self) -> bool {
        self.status == "published"
    }

    /// A submission with a fee becomes a case only once paid.
    pub fn registers_on_payment(&self) -> bool {
        self.register_on == "payment"
    }
}

const ADOPTION: &str = "SELECT service_key, COALESCE(shared_version, 0) AS shared_version, overrides, case_type_id, public_title, secrecy_ground, \
    status, revision, updated_at, register_on, origin FROM es_adoption WHERE tenant_id = $1";

pub async fn adoptions(tx: &mut Tx, t: TenantId) -> Result<Vec<Adoption>> {
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!("{ADOPTION} ORDER BY service_key"))).bind(t.0).fetch_all(c).await?))
}

pub async fn adoption(tx: &mut Tx, t: TenantId, key: &str) -> Result<Option<Adoption>> {
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!("{ADOPTION} AND service_key = $2")))
        .bind(t.0).bind(key).fetch_optional(c).await?))
}

/// What an adoption says besides the definition.
pub struct AdoptionInput<'a> {
    pub key: &'a str,
    pub shared_version: i32,
    pub overrides: &'a str,
    pub case_type_id: Uuid,
    pub public_title: &'a str,
    pub secrecy_ground: &'a str,
    pub published: bool,
    /// `submit` or `payment` ([`Adoption::register_on`]).
    pub register_on: &'a str,
}

/// Writes the adoption; a changed effective definition becomes a new revision (drafts and
/// submissions keep theirs). Returns the current revision.
pub async fn save_adoption(tx: &mut Tx, t: TenantId, a: &AdoptionInput<'_>, definition: &str, now: OffsetDateTime) -> Result<i32> {
    let current = adoption(tx, t, a.key).await?;
    let status = if a.published { "published" } else { "paused" };
    let revision = match &current {
        None => 1,
        Some(cur) => {
            let old = revision_definition(tx, t, a.key, cur.revision).await?;
            if old.as_deref() == Some(definition) { cur.revision } else { cur.revision + 1 }
        }
    };
    if current.is_none() {
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO es_adoption (tenant_id, service_key, shared_version, overrides, case_type_id, public_title, secrecy_ground, status, revision, adopted_at, updated_at, register_on) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)")
            .bind(t.0).bind(a.key).bind(a.shared_version).bind(a.overrides).bind(a.case_type_id).bind(a.public_title)
            .bind(a.secrecy_ground).bind(status).bind(revision).bind(now).bind(a.register_on).execute(c).await?.rows_affected());
    }
    if current.as_ref().is_none_or(|c| c.revision != revision) {
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO es_revision (tenant_id, service_key, revision, shared_version, definition, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(t.0).bind(a.key).bind(revision).bind(a.shared_version).bind(definition).bind(now).execute(c).await?.rows_affected());
    }
    if current.is_some() {
        on_tx!(tx, c => sqlx::query(
            "UPDATE es_adoption SET shared_version = $3, overrides = $4, case_type_id = $5, public_title = $6, secrecy_ground = $7, \
             status = $8, revision = $9, updated_at = $10, register_on = $11 WHERE tenant_id = $1 AND service_key = $2")
            .bind(t.0).bind(a.key).bind(a.shared_version).bind(a.overrides).bind(a.case_type_id).bind(a.public_title)
            .bind(a.secrecy_ground).bind(status).bind(revision).bind(now).bind(a.register_on).execute(c).await?.rows_affected());
    }
    Ok(revision)
}

pub async fn revision_definition(tx: &mut Tx, t: TenantId, key: &str, revision: i32) -> Result<Option<String>> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "SELECT definition FROM es_revision WHERE tenant_id = $1 AND service_key = $2 AND revision = $3")
        .bind(t.0).bind(key).bind(revision).fetch_optional(c).await?))
}

/// A published service as the citizen's catalogue lists it: the current revision's definition.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Offered {
    pub service_key: String,
    pub category: String,
    pub revision: i32,
    pub status: String,
    pub definition: String,
}

/// Every service the municipality offers (adopted or its own; published or paused), current
/// revision. An own service not yet published has no revision and is not listed.
pub async fn offered(tx: &mut Tx, t: TenantId) -> Result<Vec<Offered>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT a.service_key, COALESCE(a.category, s.category, 'ovrigt') AS category, a.revision, a.status, r.definition FROM es_adoption a \
         LEFT JOIN es_shared_service s ON s.key = a.service_key AND a.origin = 'shared' \
         JOIN es_revision r ON r.tenant_id = a.tenant_id AND r.service_key = a.service_key AND r.revision = a.revision \
         WHERE a.tenant_id = $1 ORDER BY a.service_key")
        .bind(t.0).fetch_all(c).await?))
}

/// A citizen's draft; `answers` is sealed text.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Draft {
    pub id: Uuid,
    pub service_key: String,
    pub revision: i32,
    pub citizen_index: String,
    pub answers: String,
    pub updated_at: OffsetDateTime,
}

const DRAFT: &str =
    "SELECT id, service_key, revision, citizen_index, answers_sealed AS answers, updated_at FROM es_draft WHERE tenant_id = $1";

pub async fn draft(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<Draft>> {
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!("{DRAFT} AND id = $2"))).bind(t.0).bind(id).fetch_optional(c).await?))
}

pub async fn draft_of(tx: &mut Tx, t: TenantId, citizen_index: &str, key: &str) -> Result<Option<Draft>> {
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!("{DRAFT} AND citizen_index = $2 AND service_key = $3")))
        .bind(t.0).bind(citizen_index).bind(key).fetch_optional(c).await?))
}

pub async fn insert_draft(tx: &mut Tx, t: TenantId, d: &Draft, now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO es_draft (tenant_id, id, service_key, revision, citizen_index, answers_sealed, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)")
        .bind(t.0).bind(d.id).bind(&d.service_key).bind(d.revision).bind(&d.citizen_index).bind(&d.answers).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

/// Notes when a draft was begun (`es_draft_start`, kept after the draft is gone: statistics).
pub async fn record_draft_start(tx: &mut Tx, t: TenantId, draft: Uuid, key: &str, now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO es_draft_start (tenant_id, draft_id, service_key, started_at) VALUES ($1, $2, $3, $4)")
        .bind(t.0).bind(draft).bind(key).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

/// A draft moved to a newer revision under a new id keeps when it was begun.
pub async fn move_draft_start(tx: &mut Tx, t: TenantId, from: Uuid, to: Uuid) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE es_draft_start SET draft_id = $3 WHERE tenant_id = $1 AND draft_id = $2")
        .bind(t.0).bind(from).bind(to).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn update_draft(tx: &mut Tx, t: TenantId, id: Uuid, answers: &str, now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE es_draft SET answers_sealed = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).bind(answers).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

/// Deletes the draft; `false` when it was gone already. Submitting claims the draft this way
/// first, so of two submissions of one draft at once only one goes on (on PostgreSQL the second
/// waits for the first's commit and then finds nothing; SQLite has one writer).
pub async fn take_draft(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<bool> {
    let n = on_tx!(tx, c => sqlx::query("DELETE FROM es_draft WHERE tenant_id = $1 AND id = $2").bind(t.0).bind(id).execute(c).await?.rows_affected());
    Ok(n == 1)
}

/// A signed submission.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Submission {
    pub id: Uuid,
    pub draft_id: Uuid,
    pub service_key: String,
    pub revision: i32,
    pub citizen_index: String,
    pub answers: String,
    pub content_sha256: String,
    pub signed_name: String,
    pub identified_by: String,
    pub assurance: String,
    pub signed_at: OffsetDateTime,
    pub fee: Option<i64>,
    /// The case it became; `None` while a service that registers on payment waits for it.
    pub case_id: Option<Uuid>,
    pub case_number: Option<String>,
    pub record_number: Option<String>,
    /// The applicant's number, sealed, while the submission waits to become a case.
    pub applicant_sealed: Option<String>,
}

const SUBMISSION: &str = "SELECT id, draft_id, service_key, revision, citizen_index, answers_sealed AS answers, content_sha256, signed_name, identified_by, \
    assurance, signed_at, fee, case_id, case_number, record_number, applicant_sealed FROM es_submission WHERE tenant_id = $1";

pub async fn submission(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<Submission>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!("{SUBMISSION} AND id = $2"))).bind(t.0).bind(id).fetch_optional(c).await?),
    )
}

pub async fn submission_of_draft(tx: &mut Tx, t: TenantId, draft: Uuid) -> Result<Option<Submission>> {
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!("{SUBMISSION} AND draft_id = $2")))
        .bind(t.0).bind(draft).fetch_optional(c).await?))
}

/// Inserts the submission (after [`take_draft`]; the key on the draft is the second guard).
pub async fn insert_submission(tx: &mut Tx, t: TenantId, s: &Submission) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO es_submission (tenant_id, id, draft_id, service_key, revision, citizen_index, answers_sealed, content_sha256, signed_name, \
         identified_by, assurance, signed_at, fee, case_id, case_number, record_number, applicant_sealed) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)")
        .bind(t.0).bind(s.id).bind(s.draft_id).bind(&s.service_key).bind(s.revision).bind(&s.citizen_index).bind(&s.answers)
        .bind(&s.content_sha256).bind(&s.signed_name).bind(&s.identified_by).bind(&s.assurance).bind(s.signed_at).bind(s.fee)
        .bind(s.case_id).bind(&s.case_number).bind(&s.record_number).bind(&s.applicant_sealed).execute(c).await?.rows_affected());
    Ok(())
}

/// A submission that waited for payment becomes the case `(case, case number, record number)`:
/// the sealed number is dropped and the stored receipt (typeset without a case number) is
/// typeset again. 0 when it was a case already.
pub async fn set_registered(tx: &mut Tx, t: TenantId, id: Uuid, (case, number, record): (Uuid, &str, &str)) -> Result<u64> {
    Ok(on_tx!(tx, c => sqlx::query(
        "UPDATE es_submission SET case_id = $3, case_number = $4, record_number = $5, applicant_sealed = NULL, receipt_pdf = NULL \
         WHERE tenant_id = $1 AND id = $2 AND case_id IS NULL")
        .bind(t.0).bind(id).bind(case).bind(number).bind(record).execute(c).await?.rows_affected()))
}

pub async fn receipt_pdf(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<Vec<u8>>> {
    let row: Option<Option<Vec<u8>>> = on_tx!(tx, c => sqlx::query_scalar("SELECT receipt_pdf FROM es_submission WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).fetch_optional(c).await?);
    Ok(row.flatten())
}

pub async fn set_receipt_pdf(tx: &mut Tx, t: TenantId, id: Uuid, pdf: &[u8]) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE es_submission SET receipt_pdf = $3 WHERE tenant_id = $1 AND id = $2 AND receipt_pdf IS NULL")
        .bind(t.0).bind(id).bind(pdf).execute(c).await?.rows_affected());
    Ok(())
}

/// A citizen's attachment to a draft.
pub struct Attachment {
    pub id: Uuid,
    pub field_id: String,
    pub filename: String,
    pub mime: String,
    pub bytes: Vec<u8>,
}

pub async fn insert_attachment(tx: &mut Tx, t: TenantId, draft: Uuid, a: &Attachment, now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO es_attachment (tenant_id, id, draft_id, field_id, filename, mime, bytes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(t.0).bind(a.id).bind(draft).bind(&a.field_id).bind(&a.filename).bind(&a.mime).bind(&a.bytes).bind(now)
        .execute(c).await?.rows_affected());
    Ok(())
}

/// The draft's attachments, oldest first.
pub async fn attachments(tx: &mut Tx, t: TenantId, draft: Uuid) -> Result<Vec<Attachment>> {
    let rows: Vec<(Uuid, String, String, String, Vec<u8>)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, field_id, filename, mime, bytes FROM es_attachment WHERE tenant_id = $1 AND draft_id = $2 ORDER BY created_at, id")
        .bind(t.0).bind(draft).fetch_all(c).await?);
    Ok(rows.into_iter().map(|(id, field_id, filename, mime, bytes)| Attachment { id, field_id, filename, mime, bytes }).collect())
}

/// Deletes the draft's attachments except those in `keep`.
pub async fn delete_attachments_except(tx: &mut Tx, t: TenantId, draft: Uuid, keep: &[Uuid]) -> Result<()> {
    for a in attachments(tx, t, draft).await? {
        if !keep.contains(&a.id) {
            on_tx!(tx, c => sqlx::query("DELETE FROM es_attachment WHERE tenant_id = $1 AND id = $2")
                .bind(t.0).bind(a.id).execute(c).await?.rows_affected());
        }
    }
    Ok(())
}

/// Moves a submission's payment state from `from` to `to` (`none` → `due` → `paid`); 0 when
/// it was not in `from`.
pub async fn set_payment_state(tx: &mut Tx, t: TenantId, submission: Uuid, from: &str, to: &str) -> Result<u64> {
    Ok(on_tx!(tx, c => sqlx::query("UPDATE es_submission SET payment = $4 WHERE tenant_id = $1 AND id = $2 AND payment = $3")
        .bind(t.0).bind(submission).bind(from).bind(to).execute(c).await?.rows_affected()))
}

// ---------------------------------------------------------------------------------------
// A municipality's own e-services (the form builder, ADR 0027): a row of es_adoption with
// origin 'own', no shared version, its category and the builder's draft definition.

/// An own e-service with the settings that are not part of its definition.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Own {
    pub service_key: String,
    pub category: String,
    pub case_type_id: Uuid,
    pub public_title: String,
    pub secrecy_ground: String,
    pub status: String,
    pub register_on: String,
    /// The current published version (es_revision); 0 before the first.
    pub revision: i32,
    /// The draft the builder edits (JSON of a definition).
    pub builder_draft: String,
    pub updated_at: OffsetDateTime,
}

const OWN: &str = "SELECT service_key, COALESCE(category, 'ovrigt') AS category, case_type_id, public_title, secrecy_ground, status, register_on, \
    revision, COALESCE(builder_draft, '') AS builder_draft, updated_at FROM es_adoption WHERE tenant_id = $1 AND origin = 'own'";

pub async fn own_services(tx: &mut Tx, t: TenantId) -> Result<Vec<Own>> {
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!("{OWN} ORDER BY service_key"))).bind(t.0).fetch_all(c).await?))
}

pub async fn own(tx: &mut Tx, t: TenantId, key: &str) -> Result<Option<Own>> {
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!("{OWN} AND service_key = $2")))
        .bind(t.0).bind(key).fetch_optional(c).await?))
}

/// Whether the key is taken: by a shared e-service or by one of the municipality's services.
pub async fn key_taken(tx: &mut Tx, t: TenantId, key: &str) -> Result<bool> {
    let shared: Option<i32> = on_tx!(tx, c => sqlx::query_scalar("SELECT current_version FROM es_shared_service WHERE key = $1").bind(key).fetch_optional(c).await?);
    Ok(shared.is_some() || adoption(tx, t, key).await?.is_some())
}

/// Creates an own e-service with nothing published yet (revision 0).
pub async fn insert_own(tx: &mut Tx, t: TenantId, o: &Own, now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO es_adoption (tenant_id, service_key, shared_version, overrides, case_type_id, public_title, secrecy_ground, status, revision, \
         adopted_at, updated_at, register_on, origin, category, builder_draft) \
         VALUES ($1, $2, NULL, '{}', $3, $4, $5, $6, 0, $7, $7, $8, 'own', $9, $10)")
        .bind(t.0).bind(&o.service_key).bind(o.case_type_id).bind(&o.public_title).bind(&o.secrecy_ground).bind(&o.status)
        .bind(now).bind(&o.register_on).bind(&o.category).bind(&o.builder_draft).execute(c).await?.rows_affected());
    Ok(())
}

/// Saves an own e-service's settings and its builder draft.
pub async fn update_own(tx: &mut Tx, t: TenantId, o: &Own, now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE es_adoption SET case_type_id = $3, public_title = $4, secrecy_ground = $5, status = $6, register_on = $7, category = $8, \
         builder_draft = $9, updated_at = $10 WHERE tenant_id = $1 AND service_key = $2 AND origin = 'own'")
        .bind(t.0).bind(&o.service_key).bind(o.case_type_id).bind(&o.public_title).bind(&o.secrecy_ground).bind(&o.status)
        .bind(&o.register_on).bind(&o.category).bind(&o.builder_draft).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

/// Publishes `definition` as the own e-service's revision `revision` (one above the current):
/// citizens starting now get it, drafts and submissions keep theirs.
pub async fn publish_own(tx: &mut Tx, t: TenantId, key: &str, revision: i32, definition: &str, now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO es_revision (tenant_id, service_key, revision, shared_version, definition, created_at) VALUES ($1, $2, $3, 0, $4, $5)")
        .bind(t.0).bind(key).bind(revision).bind(definition).bind(now).execute(c).await?.rows_affected());
    on_tx!(tx, c => sqlx::query(
        "UPDATE es_adoption SET revision = $3, builder_draft = $4, updated_at = $5 WHERE tenant_id = $1 AND service_key = $2 AND origin = 'own'")
        .bind(t.0).bind(key).bind(revision).bind(definition).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

/// A citizen's open draft with the definition it is pinned to.
pub struct Open {
    pub adoption: Adoption,
    pub draft: Draft,
    pub def: crate::form::Definition,
    pub answers: crate::form::Answers,
}
