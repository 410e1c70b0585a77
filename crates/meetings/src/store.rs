//! Data access of the `mtg_*` tables. Every function takes the caller's transaction and the
//! municipality; nothing here decides a rule.

use radhus_kernel::ids::TenantId;
use radhus_platform::db::Tx;
use radhus_platform::error::Result;
use radhus_platform::on_tx;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Committee {
    pub id: Uuid,
    pub kind: String,
    pub name: String,
    pub code: String,
    pub registry_id: Uuid,
    pub registry_code: String,
    pub seats: i64,
}

const COMMITTEE: &str = "SELECT c.id, c.kind, c.name, c.code, c.registry_id, r.code AS registry_code, CAST(c.seats AS BIGINT) AS seats \
     FROM mtg_committee c JOIN registry r ON r.tenant_id = c.tenant_id AND r.id = c.registry_id WHERE c.tenant_id = $1";

pub async fn committees(tx: &mut Tx, t: TenantId) -> Result<Vec<Committee>> {
    let sql = format!("{COMMITTEE} ORDER BY c.name");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).fetch_all(c).await?))
}

pub async fn committee(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<Committee>> {
    let sql = format!("{COMMITTEE} AND c.id = $2");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(id).fetch_optional(c).await?))
}

pub async fn committee_code_taken(tx: &mut Tx, t: TenantId, code: &str) -> Result<bool> {
    let row: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as("SELECT id FROM mtg_committee WHERE tenant_id = $1 AND code = $2")
        .bind(t.0).bind(code).fetch_optional(c).await?);
    Ok(row.is_some())
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_committee(
    tx: &mut Tx,
    t: TenantId,
    id: Uuid,
    kind: &str,
    name: &str,
    code: &str,
    registry: Uuid,
    seats: i64,
    now: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO mtg_committee (tenant_id, id, kind, name, code, registry_id, seats, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(t.0).bind(id).bind(kind).bind(name).bind(code).bind(registry).bind(seats as i32).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Member {
    pub id: Uuid,
    pub committee_id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub role: String,
    pub party: String,
    pub callin_order: Option<i32>,
    pub term_from: Date,
    pub term_to: Date,
}

impl Member {
    /// Holds a seat (ordförande, vice ordförande or ledamot), not a substitute's place.
    pub fn holds_seat(&self) -> bool {
        self.role != "substitute"
    }
}

const MEMBER: &str = "SELECT m.id, m.committee_id, m.user_id, u.name, u.email, m.role, m.party, m.callin_order, m.term_from, m.term_to \
     FROM mtg_member m JOIN app_user u ON u.tenant_id = m.tenant_id AND u.id = m.user_id WHERE m.tenant_id = $1";

/// The members of a committee whose term covers `day`: seats first (chair, vice chair,
/// members), then substitutes in call-in order.
pub async fn members(tx: &mut Tx, t: TenantId, committee: Uuid, day: Date) -> Result<Vec<Member>> {
    let sql = format!(
        "{MEMBER} AND m.committee_id = $2 AND m.term_from <= $3 AND m.term_to >= $3 \
         ORDER BY CASE m.role WHEN 'chair' THEN 0 WHEN 'vice_chair' THEN 1 WHEN 'member' THEN 2 ELSE 3 END, m.callin_order, u.name"
    );
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(committee).bind(day).fetch_all(c).await?))
}

pub async fn member(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<Member>> {
    let sql = format!("{MEMBER} AND m.id = $2");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(id).fetch_optional(c).await?))
}

/// The user's seats or places in any committee on `day`.
pub async fn memberships_of(tx: &mut Tx, t: TenantId, user: Uuid, day: Date) -> Result<Vec<Member>> {
    let sql = format!("{MEMBER} AND m.user_id = $2 AND m.term_from <= $3 AND m.term_to >= $3");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(user).bind(day).fetch_all(c).await?))
}

/// A seat (or a substitute's place) for a term, as `service::add_member` takes it.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub user_id: Uuid,
    pub role: String,
    pub party: String,
    pub callin_order: Option<i32>,
    pub term_from: Date,
    pub term_to: Date,
}

pub async fn insert_member(tx: &mut Tx, t: TenantId, id: Uuid, committee: Uuid, m: &NewMember) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO mtg_member (tenant_id, id, committee_id, user_id, role, party, callin_order, term_from, term_to) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(t.0).bind(id).bind(committee).bind(m.user_id).bind(m.role.as_str()).bind(&m.party).bind(m.callin_order).bind(m.term_from).bind(m.term_to).execute(c).await?.rows_affected());
    Ok(())
}

/// The user's role of access (`secretary`, `reader`) to a committee.
pub async fn access_role(tx: &mut Tx, t: TenantId, committee: Uuid, user: Uuid) -> Result<Option<String>> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as("SELECT role FROM mtg_access WHERE tenant_id = $1 AND committee_id = $2 AND user_id = $3")
        .bind(t.0).bind(committee).bind(user).fetch_optional(c).await?);
    Ok(row.map(|r| r.0))
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AccessRow {
    pub user_id: Uuid,
    pub name: String,
    pub role: String,
}

pub async fn access_list(tx: &mut Tx, t: TenantId, committee: Uuid) -> Result<Vec<AccessRow>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT a.user_id, u.name, a.role FROM mtg_access a JOIN app_user u ON u.tenant_id = a.tenant_id AND u.id = a.user_id \
        WHERE a.tenant_id = $1 AND a.committee_id = $2 ORDER BY u.name")
        .bind(t.0).bind(committee).fetch_all(c).await?),
    )
}

pub async fn set_access(tx: &mut Tx, t: TenantId, committee: Uuid, user: Uuid, role: Option<&str>) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM mtg_access WHERE tenant_id = $1 AND committee_id = $2 AND user_id = $3")
        .bind(t.0).bind(committee).bind(user).execute(c).await?.rows_affected());
    if let Some(role) = role {
        on_tx!(tx, c => sqlx::query("INSERT INTO mtg_access (tenant_id, committee_id, user_id, role) VALUES ($1, $2, $3, $4)")
            .bind(t.0).bind(committee).bind(user).bind(role).execute(c).await?.rows_affected());
    }
    Ok(())
}

/// Committees where the user has a role of access (for the start page).
pub async fn committees_with_access(tx: &mut Tx, t: TenantId, user: Uuid) -> Result<Vec<Uuid>> {
    let rows: Vec<(Uuid,)> = on_tx!(tx, c => sqlx::query_as("SELECT committee_id FROM mtg_access WHERE tenant_id = $1 AND user_id = $2")
        .bind(t.0).bind(user).fetch_all(c).await?);
    Ok(rows.into_iter().map(|r| r.0).collect())
}

// ------------------------------------------------------------------ meetings

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Meeting {
    pub id: Uuid,
    pub committee_id: Uuid,
    pub committee_name: String,
    pub committee_code: String,
    pub starts_at: OffsetDateTime,
    pub place: String,
    pub public: bool,
    pub state: String,
    pub cancel_reason: String,
    pub notice_issued_at: Option<OffsetDateTime>,
    pub minutes_sha256: Option<String>,
    pub adjusted_at: Option<OffsetDateTime>,
    pub posted_on: Option<Date>,
    pub appeal_until: Option<Date>,
}

impl Meeting {
    pub fn state(&self) -> crate::core::MeetingState {
        crate::core::MeetingState::parse(&self.state).unwrap_or(crate::core::MeetingState::Cancelled)
    }
}

const MEETING: &str = "SELECT m.id, m.committee_id, c.name AS committee_name, c.code AS committee_code, m.starts_at, m.place, m.public, m.state, \
     m.cancel_reason, m.notice_issued_at, m.minutes_sha256, m.adjusted_at, m.posted_on, m.appeal_until \
     FROM mtg_meeting m JOIN mtg_committee c ON c.tenant_id = m.tenant_id AND c.id = m.committee_id WHERE m.tenant_id = $1";

pub async fn meeting(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<Meeting>> {
    let sql = format!("{MEETING} AND m.id = $2");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(id).fetch_optional(c).await?))
}

pub async fn meetings_of(tx: &mut Tx, t: TenantId, committee: Uuid) -> Result<Vec<Meeting>> {
    let sql = format!("{MEETING} AND m.committee_id = $2 ORDER BY m.starts_at DESC");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(committee).fetch_all(c).await?))
}

/// Meetings whose minutes are on the notice board or were (`posted`, `appeal_ended`).
pub async fn posted(tx: &mut Tx, t: TenantId) -> Result<Vec<Meeting>> {
    let sql = format!("{MEETING} AND m.posted_on IS NOT NULL ORDER BY m.posted_on DESC, m.starts_at DESC");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).fetch_all(c).await?))
}

/// Kommunfullmäktige's coming meetings whose notice is issued: their announcements on the
/// notice board.
pub async fn announced_kf(tx: &mut Tx, t: TenantId, from: OffsetDateTime) -> Result<Vec<Meeting>> {
    let sql = format!("{MEETING} AND c.kind = 'kf' AND m.state = 'notice_issued' AND m.starts_at >= $2 ORDER BY m.starts_at");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(from).fetch_all(c).await?))
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_meeting(
    tx: &mut Tx,
    t: TenantId,
    id: Uuid,
    committee: Uuid,
    starts_at: OffsetDateTime,
    place: &str,
    public: bool,
    now: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO mtg_meeting (tenant_id, id, committee_id, starts_at, place, public, state, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'planned', $7)")
        .bind(t.0).bind(id).bind(committee).bind(starts_at).bind(place).bind(public).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

/// Moves a meeting from `from` to `to`; false when it was no longer in `from` (a race lost).
pub async fn set_state(tx: &mut Tx, t: TenantId, id: Uuid, from: &str, to: &str) -> Result<bool> {
    let n = on_tx!(tx, c => sqlx::query("UPDATE mtg_meeting SET state = $4 WHERE tenant_id = $1 AND id = $2 AND state = $3")
        .bind(t.0).bind(id).bind(from).bind(to).execute(c).await?.rows_affected());
    Ok(n == 1)
}

pub async fn set_cancel_reason(tx: &mut Tx, t: TenantId, id: Uuid, reason: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE mtg_meeting SET cancel_reason = $3 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).bind(reason).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn set_notice(tx: &mut Tx, t: TenantId, id: Uuid, snapshot: &str, pdf: &[u8], now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE mtg_meeting SET notice_snapshot = $3, notice_pdf = $4, notice_issued_at = $5 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).bind(snapshot).bind(pdf).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn notice_pdf(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<Vec<u8>>> {
    let row: Option<(Option<Vec<u8>>,)> = on_tx!(tx, c => sqlx::query_as("SELECT notice_pdf FROM mtg_meeting WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).fetch_optional(c).await?);
    Ok(row.and_then(|r| r.0))
}

pub async fn set_minutes(tx: &mut Tx, t: TenantId, id: Uuid, pdf: &[u8], sha256: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE mtg_meeting SET minutes_pdf = $3, minutes_sha256 = $4 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).bind(pdf).bind(sha256).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn minutes_pdf(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<Vec<u8>>> {
    let row: Option<(Option<Vec<u8>>,)> = on_tx!(tx, c => sqlx::query_as("SELECT minutes_pdf FROM mtg_meeting WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).fetch_optional(c).await?);
    Ok(row.and_then(|r| r.0))
}

pub async fn set_adjusted(tx: &mut Tx, t: TenantId, id: Uuid, at: OffsetDateTime, posted_on: Date, appeal_until: Date) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE mtg_meeting SET adjusted_at = $3, posted_on = $4, appeal_until = $5 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(id).bind(at).bind(posted_on).bind(appeal_until).execute(c).await?.rows_affected());
    Ok(())
}

// ------------------------------------------------------------------ agenda items

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct Item {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub position: i32,
    pub kind: String,
    pub title: String,
    pub case_id: Option<Uuid>,
    pub case_number: String,
    pub record_id: Option<Uuid>,
    pub proposal: String,
    pub outcome: Option<String>,
    pub decision: String,
    pub paragraph: Option<i32>,
    pub extract_record_id: Option<Uuid>,
}

impl Item {
    pub fn is_heading(&self) -> bool {
        self.kind == "heading"
    }
}

const ITEM: &str = "SELECT id, meeting_id, position, kind, title, case_id, case_number, record_id, proposal, outcome, decision, paragraph, extract_record_id FROM mtg_item WHERE tenant_id = $1";

pub async fn items(tx: &mut Tx, t: TenantId, meeting: Uuid) -> Result<Vec<Item>> {
    let sql = format!("{ITEM} AND meeting_id = $2 ORDER BY position");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(meeting).fetch_all(c).await?))
}

pub async fn item(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<Item>> {
    let sql = format!("{ITEM} AND id = $2");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(id).fetch_optional(c).await?))
}

pub async fn insert_item(tx: &mut Tx, t: TenantId, i: &Item) -> Result<()> {
    let (next,): (i64,) = on_tx!(tx, c => sqlx::query_as("SELECT CAST(COALESCE(MAX(position), 0) + 1 AS BIGINT) FROM mtg_item WHERE tenant_id = $1 AND meeting_id = $2")
        .bind(t.0).bind(i.meeting_id).fetch_one(c).await?);
    on_tx!(tx, c => sqlx::query("INSERT INTO mtg_item (tenant_id, id, meeting_id, position, kind, title, case_id, case_number, record_id, proposal) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .bind(t.0).bind(i.id).bind(i.meeting_id).bind(next as i32).bind(&i.kind).bind(&i.title).bind(i.case_id).bind(&i.case_number).bind(i.record_id).bind(&i.proposal)
        .execute(c).await?.rows_affected());
    Ok(())
}

pub async fn set_decision(tx: &mut Tx, t: TenantId, item: Uuid, outcome: &str, decision: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE mtg_item SET outcome = $3, decision = $4 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(item).bind(outcome).bind(decision).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn set_paragraph(tx: &mut Tx, t: TenantId, item: Uuid, no: i64) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE mtg_item SET paragraph = $3 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(item).bind(no as i32).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn set_extract(tx: &mut Tx, t: TenantId, item: Uuid, record: Uuid) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE mtg_item SET extract_record_id = $3 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(item).bind(record).execute(c).await?.rows_affected());
    Ok(())
}

/// Takes the next `count` paragraph numbers of a committee's year; returns the last number
/// taken before (the row is locked until the transaction ends, so numbers are never reused).
pub async fn take_paragraphs(tx: &mut Tx, t: TenantId, committee: Uuid, year: i32, count: i64) -> Result<i64> {
    on_tx!(tx, c => sqlx::query("INSERT INTO mtg_paragraph_seq (tenant_id, committee_id, year, last_no) VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING")
        .bind(t.0).bind(committee).bind(year).execute(c).await?.rows_affected());
    let (last,): (i32,) = on_tx!(tx, c => sqlx::query_as("UPDATE mtg_paragraph_seq SET last_no = last_no + $4 WHERE tenant_id = $1 AND committee_id = $2 AND year = $3 RETURNING last_no")
        .bind(t.0).bind(committee).bind(year).bind(count as i32).fetch_one(c).await?);
    Ok(i64::from(last) - count)
}

// ------------------------------------------------------------------ proposals

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Proposal {
    pub id: Uuid,
    pub committee_id: Uuid,
    pub committee_name: String,
    pub case_id: Uuid,
    pub case_number: String,
    pub record_id: Uuid,
    pub title: String,
    pub proposal: String,
    pub proposed_by_name: String,
    pub proposed_at: OffsetDateTime,
    pub state: String,
    pub comment: String,
    pub item_id: Option<Uuid>,
}

const PROPOSAL: &str = "SELECT p.id, p.committee_id, c.name AS committee_name, p.case_id, p.case_number, p.record_id, p.title, p.proposal, \
     p.proposed_by_name, p.proposed_at, p.state, p.comment, p.item_id \
     FROM mtg_proposal p JOIN mtg_committee c ON c.tenant_id = p.tenant_id AND c.id = p.committee_id WHERE p.tenant_id = $1";

pub async fn proposal(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<Option<Proposal>> {
    let sql = format!("{PROPOSAL} AND p.id = $2");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(id).fetch_optional(c).await?))
}

pub async fn waiting(tx: &mut Tx, t: TenantId, committee: Uuid) -> Result<Vec<Proposal>> {
    let sql = format!("{PROPOSAL} AND p.committee_id = $2 AND p.state = 'waiting' ORDER BY p.proposed_at");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(committee).fetch_all(c).await?))
}

pub async fn proposals_of_case(tx: &mut Tx, t: TenantId, case: Uuid) -> Result<Vec<Proposal>> {
    let sql = format!("{PROPOSAL} AND p.case_id = $2 ORDER BY p.proposed_at DESC");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(case).fetch_all(c).await?))
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_proposal(
    tx: &mut Tx,
    t: TenantId,
    id: Uuid,
    committee: Uuid,
    case: (Uuid, &str),
    record: Uuid,
    title: &str,
    proposal: &str,
    by: (Uuid, &str),
    now: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO mtg_proposal (tenant_id, id, committee_id, case_id, case_number, record_id, title, proposal, proposed_by, proposed_by_name, proposed_at, state) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'waiting')")
        .bind(t.0).bind(id).bind(committee).bind(case.0).bind(case.1).bind(record).bind(title).bind(proposal).bind(by.0).bind(by.1).bind(now)
        .execute(c).await?.rows_affected());
    Ok(())
}

/// Settles a waiting proposal; false when it was no longer waiting.
pub async fn settle_proposal(tx: &mut Tx, t: TenantId, id: Uuid, state: &str, comment: &str, item: Option<Uuid>) -> Result<bool> {
    let n = on_tx!(tx, c => sqlx::query("UPDATE mtg_proposal SET state = $3, comment = $4, item_id = $5 WHERE tenant_id = $1 AND id = $2 AND state = 'waiting'")
        .bind(t.0).bind(id).bind(state).bind(comment).bind(item).execute(c).await?.rows_affected());
    Ok(n == 1)
}

// ------------------------------------------------------------------ the meeting's record

/// Who served at the meeting: members present, and substitutes serving for an absent member;
/// when they arrived and left (the item before which; `None`: from the start, to the end).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Attendance {
    pub member_id: Uuid,
    pub serving_for: Option<Uuid>,
    pub arrived_before: Option<Uuid>,
    pub left_before: Option<Uuid>,
}

pub async fn attendance(tx: &mut Tx, t: TenantId, meeting: Uuid) -> Result<Vec<Attendance>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT member_id, serving_for, arrived_before, left_before FROM mtg_attendance WHERE tenant_id = $1 AND meeting_id = $2")
        .bind(t.0).bind(meeting).fetch_all(c).await?),
    )
}

pub async fn set_attendance(tx: &mut Tx, t: TenantId, meeting: Uuid, rows: &[Attendance]) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM mtg_attendance WHERE tenant_id = $1 AND meeting_id = $2")
        .bind(t.0).bind(meeting).execute(c).await?.rows_affected());
    for r in rows {
        on_tx!(tx, c => sqlx::query("INSERT INTO mtg_attendance (tenant_id, meeting_id, member_id, serving_for, arrived_before, left_before) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(t.0).bind(meeting).bind(r.member_id).bind(r.serving_for).bind(r.arrived_before).bind(r.left_before).execute(c).await?.rows_affected());
    }
    Ok(())
}

/// A substitute the secretary confirmed to serve on one item for a seat-holder not serving on it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ItemSubstitute {
    pub item_id: Uuid,
    pub serving_for: Uuid,
    pub substitute_id: Uuid,
}

pub async fn item_subs_of(tx: &mut Tx, t: TenantId, meeting: Uuid) -> Result<Vec<ItemSubstitute>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT x.item_id, x.serving_for, x.substitute_id FROM mtg_item_substitute x JOIN mtg_item i ON i.tenant_id = x.tenant_id AND i.id = x.item_id \
        WHERE x.tenant_id = $1 AND i.meeting_id = $2")
        .bind(t.0).bind(meeting).fetch_all(c).await?),
    )
}

pub async fn add_item_substitute(tx: &mut Tx, t: TenantId, x: &ItemSubstitute, by: Uuid, now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO mtg_item_substitute (tenant_id, item_id, serving_for, substitute_id, confirmed_by, confirmed_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(t.0).bind(x.item_id).bind(x.serving_for).bind(x.substitute_id).bind(by).bind(now).execute(c).await?.rows_affected());
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MemberText {
    pub item_id: Uuid,
    pub member_id: Uuid,
    pub text: String,
}

/// Every conflict (jäv, `text` is the reason) of a meeting's items.
pub async fn conflicts(tx: &mut Tx, t: TenantId, meeting: Uuid) -> Result<Vec<MemberText>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT x.item_id, x.member_id, x.reason AS text FROM mtg_conflict x JOIN mtg_item i ON i.tenant_id = x.tenant_id AND i.id = x.item_id \
        WHERE x.tenant_id = $1 AND i.meeting_id = $2")
        .bind(t.0).bind(meeting).fetch_all(c).await?),
    )
}

pub async fn reservations(tx: &mut Tx, t: TenantId, meeting: Uuid) -> Result<Vec<MemberText>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT x.item_id, x.member_id, x.text FROM mtg_reservation x JOIN mtg_item i ON i.tenant_id = x.tenant_id AND i.id = x.item_id \
        WHERE x.tenant_id = $1 AND i.meeting_id = $2")
        .bind(t.0).bind(meeting).fetch_all(c).await?),
    )
}

/// Motions of a meeting's items, in the order the chair put them.
pub async fn motions(tx: &mut Tx, t: TenantId, meeting: Uuid) -> Result<Vec<MemberText>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT x.item_id, x.member_id, x.text FROM mtg_motion x JOIN mtg_item i ON i.tenant_id = x.tenant_id AND i.id = x.item_id \
        WHERE x.tenant_id = $1 AND i.meeting_id = $2 ORDER BY x.item_id, x.position")
        .bind(t.0).bind(meeting).fetch_all(c).await?),
    )
}

/// Votes of a meeting's items (`text` is the choice).
pub async fn votes(tx: &mut Tx, t: TenantId, meeting: Uuid) -> Result<Vec<MemberText>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT x.item_id, x.member_id, x.choice AS text FROM mtg_vote x JOIN mtg_item i ON i.tenant_id = x.tenant_id AND i.id = x.item_id \
        WHERE x.tenant_id = $1 AND i.meeting_id = $2")
        .bind(t.0).bind(meeting).fetch_all(c).await?),
    )
}

pub async fn add_conflict(tx: &mut Tx, t: TenantId, item: Uuid, member: Uuid, reason: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM mtg_vote WHERE tenant_id = $1 AND item_id = $2 AND member_id = $3")
        .bind(t.0).bind(item).bind(member).execute(c).await?.rows_affected());
    on_tx!(tx, c => sqlx::query("DELETE FROM mtg_conflict WHERE tenant_id = $1 AND item_id = $2 AND member_id = $3")
        .bind(t.0).bind(item).bind(member).execute(c).await?.rows_affected());
    on_tx!(tx, c => sqlx::query("INSERT INTO mtg_conflict (tenant_id, item_id, member_id, reason) VALUES ($1, $2, $3, $4)")
        .bind(t.0).bind(item).bind(member).bind(reason).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn set_votes(tx: &mut Tx, t: TenantId, item: Uuid, votes: &[(Uuid, &str)]) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM mtg_vote WHERE tenant_id = $1 AND item_id = $2")
        .bind(t.0).bind(item).execute(c).await?.rows_affected());
    for (member, choice) in votes {
        on_tx!(tx, c => sqlx::query("INSERT INTO mtg_vote (tenant_id, item_id, member_id, choice) VALUES ($1, $2, $3, $4)")
            .bind(t.0).bind(item).bind(member).bind(*choice).execute(c).await?.rows_affected());
    }
    Ok(())
}

pub async fn add_reservation(tx: &mut Tx, t: TenantId, item: Uuid, member: Uuid, text: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM mtg_reservation WHERE tenant_id = $1 AND item_id = $2 AND member_id = $3")
        .bind(t.0).bind(item).bind(member).execute(c).await?.rows_affected());
    on_tx!(tx, c => sqlx::query("INSERT INTO mtg_reservation (tenant_id, item_id, member_id, text) VALUES ($1, $2, $3, $4)")
        .bind(t.0).bind(item).bind(member).bind(text).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn add_motion(tx: &mut Tx, t: TenantId, item: Uuid, member: Uuid, text: &str) -> Result<()> {
    let (next,): (i64,) = on_tx!(tx, c => sqlx::query_as("SELECT CAST(COALESCE(MAX(position), 0) + 1 AS BIGINT) FROM mtg_motion WHERE tenant_id = $1 AND item_id = $2")
        .bind(t.0).bind(item).fetch_one(c).await?);
    on_tx!(tx, c => sqlx::query("INSERT INTO mtg_motion (tenant_id, id, item_id, position, member_id, text) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(t.0).bind(Uuid::now_v7()).bind(item).bind(next as i32).bind(member).bind(text).execute(c).await?.rows_affected());
    Ok(())
}

// ------------------------------------------------------------------ adjustment

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Adjuster {
    pub member_id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub role: String,
    pub adjusted_at: Option<OffsetDateTime>,
    pub identified_by: Option<String>,
    pub sha256: Option<String>,
}

/// What the chair and the adjusters sign: the whole minutes of a meeting, or one paragraph's own
/// minutes (omedelbar justering, by its item's id). One signing step serves both
/// (`crate::signing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signed {
    Minutes(Uuid),
    Paragraph(Uuid),
}

impl Signed {
    /// The adjusters' table, the column of what is signed, and its id.
    fn adjuster_table(self) -> (&'static str, &'static str, Uuid) {
        match self {
            Signed::Minutes(id) => ("mtg_adjuster", "meeting_id", id),
            Signed::Paragraph(id) => ("mtg_immediate_adjuster", "item_id", id),
        }
    }
}

/// The chair and the adjusters of the minutes or of a paragraph's own minutes, with their
/// adjustments.
pub async fn adjusters(tx: &mut Tx, t: TenantId, what: Signed) -> Result<Vec<Adjuster>> {
    let (table, column, id) = what.adjuster_table();
    let sql = format!(
        "SELECT a.member_id, m.user_id, u.name, a.role, a.adjusted_at, a.identified_by, a.sha256 FROM {table} a \
        JOIN mtg_member m ON m.tenant_id = a.tenant_id AND m.id = a.member_id JOIN app_user u ON u.tenant_id = m.tenant_id AND u.id = m.user_id \
        WHERE a.tenant_id = $1 AND a.{column} = $2 ORDER BY a.role, u.name"
    );
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(id).fetch_all(c).await?))
}

pub async fn insert_adjuster(tx: &mut Tx, t: TenantId, meeting: Uuid, member: Uuid, role: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO mtg_adjuster (tenant_id, meeting_id, member_id, role) VALUES ($1, $2, $3, $4)")
        .bind(t.0).bind(meeting).bind(member).bind(role).execute(c).await?.rows_affected());
    Ok(())
}

/// Records one adjustment of the minutes or of a paragraph's own minutes; false when that person
/// had already adjusted.
#[allow(clippy::too_many_arguments)]
pub async fn sign(
    tx: &mut Tx,
    t: TenantId,
    what: Signed,
    member: Uuid,
    user: Uuid,
    identified_by: &str,
    sha256: &str,
    now: OffsetDateTime,
) -> Result<bool> {
    let (table, column, id) = what.adjuster_table();
    let sql = format!(
        "UPDATE {table} SET adjusted_at = $5, adjusted_by = $4, identified_by = $6, sha256 = $7 \
        WHERE tenant_id = $1 AND {column} = $2 AND member_id = $3 AND adjusted_at IS NULL"
    );
    let n = on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.0).bind(id).bind(member).bind(user).bind(now).bind(identified_by).bind(sha256).execute(c).await?.rows_affected());
    Ok(n == 1)
}

/// Meetings whose posting's appeal period has ended by `today` but are still `posted`.
pub async fn appeal_over(tx: &mut Tx, today: Date) -> Result<Vec<(Uuid, Uuid)>> {
    Ok(on_tx!(tx, c => sqlx::query_as("SELECT tenant_id, id FROM mtg_meeting WHERE state = 'posted' AND appeal_until < $1")
        .bind(today).fetch_all(c).await?))
}

// ------------------------------------------------------------------ notices and supplements

/// One issued notice of a meeting: version 1 the notice, 2, 3 … its supplements.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NoticeVersion {
    pub version: i32,
    pub issued_at: OffsetDateTime,
    /// The agenda it froze (`documents::NoticeData` as JSON).
    pub snapshot: String,
    /// What changed from the version before (`Vec<documents::AgendaChange>` as JSON).
    pub changes: String,
}

/// The notices of a meeting as issued, oldest first.
pub async fn notices(tx: &mut Tx, t: TenantId, meeting: Uuid) -> Result<Vec<NoticeVersion>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT version, issued_at, snapshot, changes FROM mtg_notice WHERE tenant_id = $1 AND meeting_id = $2 ORDER BY version")
        .bind(t.0).bind(meeting).fetch_all(c).await?),
    )
}

pub async fn notice_version_pdf(tx: &mut Tx, t: TenantId, meeting: Uuid, version: i32) -> Result<Option<Vec<u8>>> {
    let row: Option<(Vec<u8>,)> = on_tx!(tx, c => sqlx::query_as("SELECT pdf FROM mtg_notice WHERE tenant_id = $1 AND meeting_id = $2 AND version = $3")
        .bind(t.0).bind(meeting).bind(version).fetch_optional(c).await?);
    Ok(row.map(|r| r.0))
}

/// Records an issued notice (or supplement) and makes it the meeting's current agenda and PDF.
#[allow(clippy::too_many_arguments)]
pub async fn insert_notice(
    tx: &mut Tx,
    t: TenantId,
    meeting: Uuid,
    version: i32,
    by: Uuid,
    snapshot: &str,
    changes: &str,
    pdf: &[u8],
    now: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO mtg_notice (tenant_id, meeting_id, version, issued_at, issued_by, snapshot, changes, pdf) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(t.0).bind(meeting).bind(version).bind(now).bind(by).bind(snapshot).bind(changes).bind(pdf).execute(c).await?.rows_affected());
    on_tx!(tx, c => sqlx::query("UPDATE mtg_meeting SET notice_snapshot = $3, notice_pdf = $4 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(meeting).bind(snapshot).bind(pdf).execute(c).await?.rows_affected());
    Ok(())
}

/// Changes an item's title and proposed decision.
pub async fn set_item_text(tx: &mut Tx, t: TenantId, item: Uuid, title: &str, proposal: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE mtg_item SET title = $3, proposal = $4 WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(item).bind(title).bind(proposal).execute(c).await?.rows_affected());
    Ok(())
}

/// Takes an item off the agenda (before the meeting, when nothing is recorded on it); a
/// proposal it came from waits for the secretary again.
pub async fn delete_item(tx: &mut Tx, t: TenantId, item: Uuid) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE mtg_proposal SET state = 'waiting', item_id = NULL WHERE tenant_id = $1 AND item_id = $2")
        .bind(t.0).bind(item).execute(c).await?.rows_affected());
    on_tx!(tx, c => sqlx::query("DELETE FROM mtg_item WHERE tenant_id = $1 AND id = $2")
        .bind(t.0).bind(item).execute(c).await?.rows_affected());
    Ok(())
}

// ------------------------------------------------------------------ immediate adjustment

/// A paragraph adjusted immediately (omedelbar justering): its own minutes and posting.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Immediate {
    pub item_id: Uuid,
    pub meeting_id: Uuid,
    pub prepared_at: OffsetDateTime,
    /// The `documents::MinutesData` its PDF was typeset from (JSON), once typeset.
    pub data: Option<String>,
    pub sha256: Option<String>,
    pub adjusted_at: Option<OffsetDateTime>,
    pub posted_on: Option<Date>,
    pub appeal_until: Option<Date>,
}

const IMMEDIATE: &str =
    "SELECT item_id, meeting_id, prepared_at, data, sha256, adjusted_at, posted_on, appeal_until FROM mtg_immediate WHERE tenant_id = $1";

pub async fn immediate(tx: &mut Tx, t: TenantId, item: Uuid) -> Result<Option<Immediate>> {
    let sql = format!("{IMMEDIATE} AND item_id = $2");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(item).fetch_optional(c).await?))
}

pub async fn immediates(tx: &mut Tx, t: TenantId, meeting: Uuid) -> Result<Vec<Immediate>> {
    let sql = format!("{IMMEDIATE} AND meeting_id = $2");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(meeting).fetch_all(c).await?))
}

/// Immediately adjusted paragraphs posted on the notice board, newest first.
pub async fn posted_immediates(tx: &mut Tx, t: TenantId) -> Result<Vec<Immediate>> {
    let sql = format!("{IMMEDIATE} AND posted_on IS NOT NULL ORDER BY posted_on DESC, adjusted_at DESC");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).fetch_all(c).await?))
}

pub async fn immediate_pdf(tx: &mut Tx, t: TenantId, item: Uuid) -> Result<Option<Vec<u8>>> {
    let row: Option<(Option<Vec<u8>>,)> = on_tx!(tx, c => sqlx::query_as("SELECT pdf FROM mtg_immediate WHERE tenant_id = $1 AND item_id = $2")
        .bind(t.0).bind(item).fetch_optional(c).await?);
    Ok(row.and_then(|r| r.0))
}

/// Starts (or, while no one has adjusted, starts again) the immediate adjustment of a
/// paragraph with its chair and adjusters (`(member, role)`); the PDF follows.
pub async fn prepare_immediate(
    tx: &mut Tx,
    t: TenantId,
    item: Uuid,
    meeting: Uuid,
    adjusters: &[(Uuid, &str)],
    now: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM mtg_immediate_adjuster WHERE tenant_id = $1 AND item_id = $2")
        .bind(t.0).bind(item).execute(c).await?.rows_affected());
    on_tx!(tx, c => sqlx::query("DELETE FROM mtg_immediate WHERE tenant_id = $1 AND item_id = $2")
        .bind(t.0).bind(item).execute(c).await?.rows_affected());
    on_tx!(tx, c => sqlx::query("INSERT INTO mtg_immediate (tenant_id, item_id, meeting_id, prepared_at) VALUES ($1, $2, $3, $4)")
        .bind(t.0).bind(item).bind(meeting).bind(now).execute(c).await?.rows_affected());
    for (member, role) in adjusters {
        on_tx!(tx, c => sqlx::query("INSERT INTO mtg_immediate_adjuster (tenant_id, item_id, member_id, role) VALUES ($1, $2, $3, $4)")
            .bind(t.0).bind(item).bind(member).bind(*role).execute(c).await?.rows_affected());
    }
    Ok(())
}

pub async fn set_immediate_pdf(tx: &mut Tx, t: TenantId, item: Uuid, data: &str, pdf: &[u8], sha256: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE mtg_immediate SET data = $3, pdf = $4, sha256 = $5 WHERE tenant_id = $1 AND item_id = $2")
        .bind(t.0).bind(item).bind(data).bind(pdf).bind(sha256).execute(c).await?.rows_affected());
    Ok(())
}

pub async fn set_immediate_adjusted(
    tx: &mut Tx,
    t: TenantId,
    item: Uuid,
    at: OffsetDateTime,
    posted_on: Date,
    appeal_until: Date,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE mtg_immediate SET adjusted_at = $3, posted_on = $4, appeal_until = $5 WHERE tenant_id = $1 AND item_id = $2")
        .bind(t.0).bind(item).bind(at).bind(posted_on).bind(appeal_until).execute(c).await?.rows_affected());
    Ok(())
}

/// Items of a meeting whose immediate adjustment has begun (someone adjusted) or is done:
/// what is recorded on them, and the attendance, no longer changes.
pub async fn locked_items(tx: &mut Tx, t: TenantId, meeting: Uuid) -> Result<Vec<Uuid>> {
    let rows: Vec<(Uuid,)> = on_tx!(tx, c => sqlx::query_as("SELECT i.item_id FROM mtg_immediate i WHERE i.tenant_id = $1 AND i.meeting_id = $2 \
        AND (i.adjusted_at IS NOT NULL OR EXISTS (SELECT 1 FROM mtg_immediate_adjuster a WHERE a.tenant_id = i.tenant_id AND a.item_id = i.item_id AND a.adjusted_at IS NOT NULL))")
        .bind(t.0).bind(meeting).fetch_all(c).await?);
    Ok(rows.into_iter().map(|r| r.0).collect())
}
