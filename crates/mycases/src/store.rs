//! The SQL of *Mina ärenden*'s read model (`my_case`).

use radhus_kernel::ids::TenantId;
use radhus_platform::db::Tx;
use radhus_platform::error::Result;
use radhus_platform::on_tx;
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::phase::Phase;

/// One of a citizen's cases as *Mina ärenden* lists it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MyCase {
    pub tenant_id: Uuid,
    pub municipality: String,
    pub host_slug: String,
    /// The municipality's contact details, for the case page.
    pub contact_email: String,
    pub contact_phone: String,
    pub case_id: Uuid,
    pub case_number: String,
    pub title: String,
    pub case_type: String,
    #[sqlx(try_from = "String")]
    pub phase: Phase,
    pub received_at: OffsetDateTime,
    pub decided_at: Option<OffsetDateTime>,
    pub closed_at: Option<OffsetDateTime>,
    pub updated_at: OffsetDateTime,
    /// A completion request waits for the citizen until this day (*Komplettering begärd*).
    pub action_due: Option<time::Date>,
    pub action_message: Option<Uuid>,
    /// A message to the citizen they have not read.
    pub unread: bool,
    /// The case type's own words for the phase and what the citizen is to do (empty: the
    /// platform's), `my_phase_text`.
    pub text_sv: String,
    pub text_en: String,
    pub action_sv: String,
    pub action_en: String,
    /// The case waits for the citizen's payment (*Väntar på betalning*): where they pay
    /// (`my_case_payment`, from the events `payment.due` and `payment.received`).
    pub payment_url: Option<String>,
}

impl MyCase {
    /// What the phase means for the citizen: the case type's words, or the platform's Fluent
    /// id's (`None`).
    pub fn phase_text(&self, lang: radhus_kernel::Lang) -> Option<&str> {
        let (sv, en) = (self.text_sv.trim(), self.text_en.trim());
        match lang {
            radhus_kernel::Lang::En if !en.is_empty() => Some(en),
            _ if !sv.is_empty() => Some(sv),
            _ => None,
        }
    }

    /// What the case type asks of the citizen in this phase, if anything.
    pub fn phase_action(&self, lang: radhus_kernel::Lang) -> Option<&str> {
        let (sv, en) = (self.action_sv.trim(), self.action_en.trim());
        match lang {
            radhus_kernel::Lang::En if !en.is_empty() => Some(en),
            _ if !sv.is_empty() => Some(sv),
            _ => None,
        }
    }
}

/// The columns of [`MyCase`], with the municipality's name and contact details.
const SELECT: &str = "SELECT m.tenant_id, t.name AS municipality, t.slug AS host_slug, t.contact_email, t.contact_phone, m.case_id, \
    m.case_number, m.title, m.case_type, m.phase, m.received_at, m.decided_at, m.closed_at, m.updated_at, \
    m.action_due, m.action_message, m.unread, \
    COALESCE(p.text_sv, '') AS text_sv, COALESCE(p.text_en, '') AS text_en, COALESCE(p.action_sv, '') AS action_sv, COALESCE(p.action_en, '') AS action_en, mp.payment_url \
    FROM my_case m JOIN tenant t ON t.id = m.tenant_id \
    LEFT JOIN my_phase_text p ON p.tenant_id = m.tenant_id AND p.case_type_id = m.case_type_id AND p.phase = m.phase \
    LEFT JOIN my_case_payment mp ON mp.citizen_index = m.citizen_index AND mp.tenant_id = m.tenant_id AND mp.case_id = m.case_id";

/// A citizen's cases, newest change first; in one municipality or in all. One key range of
/// the primary key (`citizen_index` first).
pub async fn cases_of(tx: &mut Tx, citizen_index: &str, only: Option<TenantId>) -> Result<Vec<MyCase>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        sqlx::AssertSqlSafe(format!("{SELECT} WHERE m.citizen_index = $1 AND ($2 IS NULL OR m.tenant_id = $2) ORDER BY m.updated_at DESC, m.case_number")))
        .bind(citizen_index).bind(only.map(|t| t.0)).fetch_all(c).await?))
}

/// The columns a new row copies from the case's other rows (a party added later joins the
/// case where it stands).
pub(crate) struct Standing {
    pub phase: Phase,
    /// The case's type (its texts, `my_phase_text`).
    pub case_type_id: Option<Uuid>,
    pub received_at: OffsetDateTime,
    pub decided_at: Option<OffsetDateTime>,
    pub closed_at: Option<OffsetDateTime>,
}

pub(crate) async fn standing(tx: &mut Tx, t: Uuid, case: Uuid) -> Result<Option<Standing>> {
    type Row = (String, Option<Uuid>, OffsetDateTime, Option<OffsetDateTime>, Option<OffsetDateTime>);
    let row: Option<Row> = on_tx!(tx, c => sqlx::query_as(
        "SELECT phase, case_type_id, received_at, decided_at, closed_at FROM my_case WHERE tenant_id = $1 AND case_id = $2 LIMIT 1")
        .bind(t).bind(case).fetch_optional(c).await?);
    Ok(row.map(|(p, case_type_id, received_at, decided_at, closed_at)| Standing {
        phase: Phase::parse(&p).unwrap_or(Phase::Registered),
        case_type_id,
        received_at,
        decided_at,
        closed_at,
    }))
}

/// Adds a citizen's row for a case unless it is there (events may come twice).
pub(crate) async fn insert(
    tx: &mut Tx,
    citizen_index: &str,
    t: Uuid,
    case: Uuid,
    (number, title, case_type): (&str, &str, &str),
    s: &Standing,
    at: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO my_case (citizen_index, tenant_id, case_id, case_number, title, case_type, phase, received_at, decided_at, closed_at, updated_at, case_type_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (citizen_index, tenant_id, case_id) DO NOTHING")
        .bind(citizen_index).bind(t).bind(case).bind(number).bind(title).bind(case_type).bind(s.phase.as_str())
        .bind(s.received_at).bind(s.decided_at).bind(s.closed_at).bind(at).bind(s.case_type_id)
        .execute(c).await?.rows_affected());
    Ok(())
}

/// Moves every citizen's row of a case to `to`, when it is in one of `from` (empty: any).
pub(crate) async fn set_phase(tx: &mut Tx, t: Uuid, case: Uuid, from: &[Phase], to: Phase, at: OffsetDateTime) -> Result<u64> {
    let from: Vec<&str> =
        if from.is_empty() { Phase::ALL.iter().map(|p| p.as_str()).collect() } else { from.iter().map(|p| p.as_str()).collect() };
    let mut n = 0;
    for f in from {
        n += on_tx!(tx, c => sqlx::query(
            "UPDATE my_case SET phase = $4, updated_at = $5, \
             decided_at = CASE WHEN $4 = 'decided' THEN COALESCE(decided_at, $5) ELSE decided_at END, \
             closed_at = CASE WHEN $4 = 'closed' THEN $5 ELSE NULL END \
             WHERE tenant_id = $1 AND case_id = $2 AND phase = $3")
            .bind(t).bind(case).bind(f).bind(to.as_str()).bind(at).execute(c).await?.rows_affected());
    }
    Ok(n)
}

/// A decision dispatched to a closed case (it happens: a correction after closing) is noted
/// without reopening it for the citizen.
pub(crate) async fn note_decision(tx: &mut Tx, t: Uuid, case: Uuid, at: OffsetDateTime) -> Result<u64> {
    Ok(on_tx!(tx, c => sqlx::query(
        "UPDATE my_case SET decided_at = COALESCE(decided_at, $3), updated_at = $3 WHERE tenant_id = $1 AND case_id = $2")
        .bind(t).bind(case).bind(at).execute(c).await?.rows_affected()))
}

pub(crate) async fn delete_case(tx: &mut Tx, t: Uuid, case: Uuid) -> Result<u64> {
    on_tx!(tx, c => sqlx::query("DELETE FROM my_notice WHERE tenant_id = $1 AND case_id = $2")
        .bind(t).bind(case).execute(c).await?.rows_affected());
    Ok(on_tx!(tx, c => sqlx::query("DELETE FROM my_case WHERE tenant_id = $1 AND case_id = $2")
        .bind(t).bind(case).execute(c).await?.rows_affected()))
}

/// One step of a case's history as the citizen sees it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Step {
    pub kind: String,
    pub detail: String,
    pub at: OffsetDateTime,
}

/// Adds a step to every citizen's history of a case, once per change event.
pub(crate) async fn add_step(tx: &mut Tx, t: Uuid, case: Uuid, seq: i64, kind: &str, detail: &str, at: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO my_case_step (citizen_index, tenant_id, case_id, seq, kind, detail, at) \
         SELECT citizen_index, tenant_id, case_id, $3, $4, $5, $6 FROM my_case WHERE tenant_id = $1 AND case_id = $2 \
         ON CONFLICT (citizen_index, tenant_id, case_id, seq) DO NOTHING")
        .bind(t).bind(case).bind(seq).bind(kind).bind(detail).bind(at).execute(c).await?.rows_affected());
    Ok(())
}

pub(crate) async fn delete_steps(tx: &mut Tx, t: Uuid, case: Uuid) -> Result<u64> {
    Ok(on_tx!(tx, c => sqlx::query("DELETE FROM my_case_step WHERE tenant_id = $1 AND case_id = $2")
        .bind(t).bind(case).execute(c).await?.rows_affected()))
}

/// One of a citizen's cases with its history, or `None` when it is not theirs.
pub async fn case_of(tx: &mut Tx, citizen_index: &str, t: Uuid, case: Uuid) -> Result<Option<(MyCase, Vec<Step>)>> {
    let row: Option<MyCase> = on_tx!(tx, c => sqlx::query_as(
        sqlx::AssertSqlSafe(format!("{SELECT} WHERE m.citizen_index = $1 AND m.tenant_id = $2 AND m.case_id = $3")))
        .bind(citizen_index).bind(t).bind(case).fetch_optional(c).await?);
    let Some(row) = row else { return Ok(None) };
    let steps: Vec<Step> = on_tx!(tx, c => sqlx::query_as(
        "SELECT kind, detail, at FROM my_case_step WHERE citizen_index = $1 AND tenant_id = $2 AND case_id = $3 ORDER BY seq")
        .bind(citizen_index).bind(t).bind(case).fetch_all(c).await?);
    Ok(Some((row, steps)))
}

/// A completion request waits for every citizen of the case until `due` (the newest request
/// counts; an answer or a withdrawal clears it).
pub(crate) async fn set_action(
    tx: &mut Tx,
    t: Uuid,
    case: Uuid,
    message: Uuid,
    due: Option<time::Date>,
    at: OffsetDateTime,
) -> Result<u64> {
    Ok(on_tx!(tx, c => sqlx::query(
        "UPDATE my_case SET action_due = $3, action_message = $4, unread = $5, updated_at = $6 WHERE tenant_id = $1 AND case_id = $2")
        .bind(t).bind(case).bind(due).bind(message).bind(true).bind(at).execute(c).await?.rows_affected()))
}

/// Clears the waiting request `message` (answered or withdrawn); a newer request stays.
pub(crate) async fn clear_action(tx: &mut Tx, t: Uuid, case: Uuid, message: Uuid, at: OffsetDateTime) -> Result<u64> {
    Ok(on_tx!(tx, c => sqlx::query(
        "UPDATE my_case SET action_due = NULL, action_message = NULL, updated_at = $4 WHERE tenant_id = $1 AND case_id = $2 AND action_message = $3")
        .bind(t).bind(case).bind(message).bind(at).execute(c).await?.rows_affected()))
}

/// A message to the citizens of the case that they have not read.
pub(crate) async fn set_unread(tx: &mut Tx, t: Uuid, case: Uuid, at: OffsetDateTime) -> Result<u64> {
    Ok(on_tx!(tx, c => sqlx::query("UPDATE my_case SET unread = $3, updated_at = $4 WHERE tenant_id = $1 AND case_id = $2")
        .bind(t).bind(case).bind(true).bind(at).execute(c).await?.rows_affected()))
}

/// The citizen has read the case's messages.
pub(crate) async fn mark_read(tx: &mut Tx, citizen_index: &str, t: Uuid, case: Uuid) -> Result<u64> {
    Ok(on_tx!(tx, c => sqlx::query("UPDATE my_case SET unread = $4 WHERE citizen_index = $1 AND tenant_id = $2 AND case_id = $3")
        .bind(citizen_index).bind(t).bind(case).bind(false).execute(c).await?.rows_affected()))
}

/// How long a notice waits for more changes to fold in.
pub const FOLD: time::Duration = time::Duration::minutes(1);

/// Queues a notice of `kind` for every citizen of the case: the first change of a burst makes
/// the row (due a minute later), the changes within that minute are folded into it.
/// A change of phase (`phase`) is not told when the case type says so (`my_phase_text.inform`);
/// messages and completion requests (`phase` None) always are.
pub(crate) async fn queue_notice(tx: &mut Tx, t: Uuid, case: Uuid, kind: &str, phase: Option<Phase>, at: OffsetDateTime) -> Result<u64> {
    Ok(on_tx!(tx, c => sqlx::query(
        "INSERT INTO my_notice (citizen_index, tenant_id, case_id, kinds, first_at, due_at) \
         SELECT m.citizen_index, m.tenant_id, m.case_id, $3, $4, $5 FROM my_case m WHERE m.tenant_id = $1 AND m.case_id = $2 \
         AND NOT EXISTS (SELECT 1 FROM my_phase_text p WHERE p.tenant_id = m.tenant_id AND p.case_type_id = m.case_type_id \
                         AND p.phase = $6 AND p.inform = $7) \
         ON CONFLICT (citizen_index, tenant_id, case_id) DO UPDATE SET kinds = my_notice.kinds || ',' || excluded.kinds")
        .bind(t).bind(case).bind(kind).bind(at).bind(at + FOLD).bind(phase.map_or("", Phase::as_str)).bind(false)
        .execute(c).await?.rows_affected()))
}

/// The case waits for payment (`payment.due`): every person party's row gets where to pay
/// (a repeated event changes nothing).
pub(crate) async fn set_payment_due(tx: &mut Tx, t: Uuid, case: Uuid, url: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO my_case_payment (citizen_index, tenant_id, case_id, payment_url) \
         SELECT citizen_index, tenant_id, case_id, $3 FROM my_case WHERE tenant_id = $1 AND case_id = $2 \
         ON CONFLICT (citizen_index, tenant_id, case_id) DO NOTHING")
        .bind(t).bind(case).bind(url).execute(c).await?.rows_affected());
    Ok(())
}

/// The case is paid (`payment.received`) or gone: nothing waits for payment.
pub(crate) async fn clear_payment(tx: &mut Tx, t: Uuid, case: Uuid) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM my_case_payment WHERE tenant_id = $1 AND case_id = $2")
        .bind(t).bind(case).execute(c).await?.rows_affected());
    Ok(())
}
