//! A case type's own words for the citizen-facing phases (issue 12 item 1): per municipality,
//! case type and phase, whether the citizen is told when the case gets there, the text that
//! explains the phase and what the citizen is to do, in Swedish and English (`my_phase_text`).
//! Set by the registry administrator; *Mina ärenden* shows them and the notices follow the
//! flag.

use radhus_kernel::ids::TenantId;
use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::session::StaffUser;
use radhus_platform::on_tx;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::phase::Phase;

/// The longest text or call to action.
pub const MAX_TEXT: usize = 500;

/// One phase's words for a case type.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PhaseText {
    #[sqlx(try_from = "String")]
    pub phase: Phase,
    pub inform: bool,
    pub text_sv: String,
    pub text_en: String,
    pub action_sv: String,
    pub action_en: String,
}

impl PhaseText {
    /// The platform's default: told, in the platform's words.
    pub fn default_for(phase: Phase) -> PhaseText {
        PhaseText {
            phase,
            inform: true,
            text_sv: String::new(),
            text_en: String::new(),
            action_sv: String::new(),
            action_en: String::new(),
        }
    }
}

/// Every phase's words for a case type, the platform's default where none is set.
pub async fn of_type(tx: &mut Tx, t: TenantId, case_type: Uuid) -> Result<Vec<PhaseText>> {
    let rows: Vec<PhaseText> = on_tx!(tx, c => sqlx::query_as(
        "SELECT phase, inform, text_sv, text_en, action_sv, action_en FROM my_phase_text WHERE tenant_id = $1 AND case_type_id = $2")
        .bind(t.0).bind(case_type).fetch_all(c).await?);
    Ok(Phase::ALL.into_iter().map(|p| rows.iter().find(|r| r.phase == p).cloned().unwrap_or_else(|| PhaseText::default_for(p))).collect())
}

/// Saves a case type's words for every phase (registry administrators: `cases.admin` for the
/// whole municipality), with the audit event, in one transaction.
pub async fn save(db: &Db, s: &StaffUser, case_type: Uuid, texts: &[PhaseText], now: OffsetDateTime) -> Result<()> {
    if !s.grants.whole_municipality(radhus_cases::service::ADMIN) {
        return Err(Error::Forbidden);
    }
    let errs: Vec<FieldError> = texts
        .iter()
        .flat_map(|p| {
            [("text_sv", &p.text_sv), ("text_en", &p.text_en), ("action_sv", &p.action_sv), ("action_en", &p.action_en)]
                .into_iter()
                .filter(|(_, v)| v.trim().chars().count() > MAX_TEXT)
                .map(|(f, _)| FieldError::new(format!("{}_{f}", p.phase.as_str()), "my-err-text-long"))
                .collect::<Vec<_>>()
        })
        .collect();
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    if !radhus_cases::store::case_types(&mut tx, t).await?.iter().any(|c| c.id == case_type) {
        return Err(Error::NotFound);
    }
    for p in texts {
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO my_phase_text (tenant_id, case_type_id, phase, inform, text_sv, text_en, action_sv, action_en, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (tenant_id, case_type_id, phase) DO UPDATE SET \
             inform = excluded.inform, text_sv = excluded.text_sv, text_en = excluded.text_en, action_sv = excluded.action_sv, \
             action_en = excluded.action_en, updated_at = excluded.updated_at")
            .bind(t.0).bind(case_type).bind(p.phase.as_str()).bind(p.inform).bind(p.text_sv.trim()).bind(p.text_en.trim())
            .bind(p.action_sv.trim()).bind(p.action_en.trim()).bind(now).execute(c).await?.rows_affected());
    }
    audit::record(&mut tx, Some(t), &Actor::staff(s), Event::new("my.texts.changed", "case_type", case_type), now).await?;
    tx.commit().await?;
    Ok(())
}
