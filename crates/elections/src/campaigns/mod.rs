//! SMS and e-mail campaigns (utskick) to a filtered group of an election's people: by role,
//! valkrets, station, application status, course, placement and appointment. The message has
//! merge fields ({fornamn} {efternamn} {lokal} {adress} {roll} {pass} {valdag} {distrikt});
//! a preview shows the recipients, who is skipped for lacking a phone number or an e-mail
//! address and the first message; sending queues one outbox message per recipient in one
//! transaction, and the campaign page follows their delivery.

pub mod web;

use radhus_kernel::ids::TenantId;
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::session::StaffUser;
use radhus_platform::on_tx;
use radhus_platform::outbox::{self, Channel, sms::normalise_msisdn};
use radhus_platform::web::Ctx;
use radhus_platform::web::form::one_or_many;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::error::ElectionError;
use crate::reports::{Person, people};
use crate::structure::service::election_in;
use crate::structure::store::{self, ConstituencyRow, ElectionRow, StationRow};
use crate::support::audit::audit;
use crate::support::office::require_office;
use crate::support::view;

/// The merge fields a message may use.
pub const MERGE_FIELDS: [&str; 8] = ["fornamn", "efternamn", "lokal", "adress", "roll", "pass", "valdag", "distrikt"];

pub const STATUSES: [&str; 5] = ["received", "accepted", "reserve", "rejected", "withdrawn"];
const ROLES: [&str; 3] = ["ordforande", "vice", "rostmottagare"];

/// Who a campaign goes to; stored as JSON in `el_campaign.filter`. Every part that is set
/// must hold (and), the roles are alternatives (or).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constituency: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station: Option<Uuid>,
    /// Application status: received, accepted, reserve, rejected, withdrawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `completed` or `not_completed` the course the rules require for the person's role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub course: Option<String>,
    /// `placed` or `not_placed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<String>,
    /// `yes` (appointed) or `no` (placed, not yet appointed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointed: Option<String>,
}

impl Filter {
    pub fn matches(&self, p: &Person) -> bool {
        (self.roles.is_empty() || p.role.as_ref().is_some_and(|r| self.roles.contains(r)))
            && self.constituency.is_none_or(|c| p.constituency_id == Some(c))
            && self.station.is_none_or(|s| p.station_id == Some(s))
            && self.status.as_ref().is_none_or(|s| &p.status == s)
            && match self.course.as_deref() {
                Some("completed") => p.completed_required(),
                Some("not_completed") => !p.completed_required(),
                _ => true,
            }
            && match self.placement.as_deref() {
                Some("placed") => p.placed(),
                Some("not_placed") => !p.placed(),
                _ => true,
            }
            && match self.appointed.as_deref() {
                Some("yes") => p.appointed_at.is_some(),
                Some("no") => p.placed() && p.appointed_at.is_none(),
                _ => true,
            }
    }
}

/// The new-campaign form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CampaignInput {
    #[serde(default)]
    pub channel: String,
    #[serde(default, deserialize_with = "one_or_many")]
    pub roles: Vec<String>,
    #[serde(default)]
    pub constituency: String,
    #[serde(default)]
    pub station: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub course: String,
    #[serde(default)]
    pub placement: String,
    #[serde(default)]
    pub appointed: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub body: String,
    /// The one-time key of the send form (a UUID the preview writes into it): the same form
    /// posted twice sends once.
    #[serde(default)]
    pub submission: String,
}

impl CampaignInput {
    pub fn has_role(&self, r: &str) -> bool {
        self.roles.iter().any(|x| x == r)
    }
}

fn choice(field: &str, v: &str, allowed: &[&str]) -> Result<Option<String>> {
    let v = v.trim();
    if v.is_empty() {
        Ok(None)
    } else if allowed.contains(&v) {
        Ok(Some(v.to_string()))
    } else {
        Err(Error::invalid(field, "el-bad-choice"))
    }
}

/// The merge fields in a text that are not known: `{foo}`.
fn unknown_fields(s: &str) -> bool {
    let mut rest = s;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        match after.find('}') {
            Some(j) if !MERGE_FIELDS.contains(&&after[..j]) => return true,
            Some(j) => rest = &after[j + 1..],
            None => return false,
        }
    }
    false
}

struct Checked {
    channel: Channel,
    filter: Filter,
    subject: String,
    body: String,
}

/// Checks the form: every problem at once, as field errors.
async fn check(tx: &mut Tx, t: TenantId, e: Uuid, f: &CampaignInput) -> Result<Checked> {
    let mut errors: Vec<FieldError> = vec![];
    let mut keep = |r: Result<Option<String>>| match r {
        Ok(v) => v,
        Err(Error::Invalid(mut x)) => {
            errors.append(&mut x);
            None
        }
        Err(_) => None,
    };
    let channel = match f.channel.trim() {
        "sms" => Some(Channel::Sms),
        "email" => Some(Channel::Email),
        _ => None,
    };
    let status = keep(choice("campaign_status", &f.status, &STATUSES));
    let course = keep(choice("campaign_course", &f.course, &["completed", "not_completed"]));
    let placement = keep(choice("campaign_placement", &f.placement, &["placed", "not_placed"]));
    let appointed = keep(choice("campaign_appointed", &f.appointed, &["yes", "no"]));
    let mut roles = vec![];
    for r in &f.roles {
        if let Some(r) = keep(choice("campaign_roles", r, &ROLES)) {
            roles.push(r);
        }
    }
    if channel.is_none() {
        errors.push(FieldError::new("campaign_channel", "el-campaigns-channel-missing"));
    }
    let uuid_of = |s: &str| Uuid::parse_str(s.trim()).ok();
    let constituency = if f.constituency.trim().is_empty() {
        None
    } else {
        let c = uuid_of(&f.constituency);
        let known: Vec<ConstituencyRow> = store::constituencies(tx, t, e).await?;
        if c.is_none_or(|c| !known.iter().any(|x| x.id == c)) {
            errors.push(FieldError::new("constituency", "el-bad-choice"));
        }
        c
    };
    let station = if f.station.trim().is_empty() {
        None
    } else {
        let s = uuid_of(&f.station);
        match s {
            Some(s) if store::station(tx, t, e, s).await?.is_some() => {}
            _ => errors.push(FieldError::new("campaign_station", "el-bad-choice")),
        }
        s
    };
    let subject = f.subject.trim().to_string();
    let body = f.body.trim().replace("\r\n", "\n");
    if channel == Some(Channel::Email) && subject.is_empty() {
        errors.push(FieldError::new("subject", "el-campaigns-subject-missing"));
    }
    if subject.chars().count() > 200 {
        errors.push(FieldError::new("subject", "el-campaigns-subject-too-long"));
    }
    if body.is_empty() {
        errors.push(FieldError::new("body", "el-campaigns-body-missing"));
    } else if body.chars().count() > 5000 {
        errors.push(FieldError::new("body", "el-campaigns-body-too-long"));
    }
    if unknown_fields(&subject) {
        errors.push(FieldError::new("subject", "el-campaigns-bad-merge-field"));
    }
    if unknown_fields(&body) {
        errors.push(FieldError::new("body", "el-campaigns-bad-merge-field"));
    }
    match channel {
        Some(channel) if errors.is_empty() => Ok(Checked {
            channel,
            filter: Filter { roles, constituency, station, status, course, placement, appointed },
            subject: if channel == Channel::Sms { String::new() } else { subject },
            body,
        }),
        _ => Err(Error::Invalid(errors)),
    }
}

/// A text with the person's merge fields filled in.
pub fn merge(text: &str, p: &Person, e: &ElectionRow) -> String {
    let role = match p.role.as_deref() {
        Some("ordforande") => "ordförande",
        Some("vice") => "vice ordförande",
        Some("rostmottagare") => "röstmottagare",
        _ => "",
    };
    let values = [
        ("fornamn", p.given_name.clone()),
        ("efternamn", p.family_name.clone()),
        ("lokal", p.station.clone().unwrap_or_default()),
        ("adress", p.station_address.clone().unwrap_or_default()),
        ("roll", role.to_string()),
        ("pass", p.shift()),
        ("valdag", view::date(e.election_day)),
        ("distrikt", p.district()),
    ];
    let mut out = text.to_string();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), &v);
    }
    out
}

/// The address of a person on the channel: a normalised mobile number or an e-mail address.
pub fn address(channel: Channel, p: &Person) -> Option<String> {
    match channel {
        Channel::Sms => normalise_msisdn(&p.phone),
        Channel::Email => {
            let m = p.email.trim();
            (m.contains('@') && !m.contains(char::is_whitespace) && m.len() > 3).then(|| m.to_string())
        }
    }
}

/// What a campaign would do: the group, who gets it and who is skipped, the first message.
pub struct Preview {
    pub group: usize,
    pub recipients: Vec<(Person, String)>,
    pub skipped: Vec<Person>,
    pub first_subject: String,
    pub first_body: String,
}

async fn plan(tx: &mut Tx, t: TenantId, e: &ElectionRow, c: &Checked) -> Result<Preview> {
    let group: Vec<Person> = people(tx, t, e.id).await?.into_iter().filter(|p| c.filter.matches(p)).collect();
    let n = group.len();
    let (mut recipients, mut skipped) = (vec![], vec![]);
    for p in group {
        match address(c.channel, &p) {
            Some(a) => recipients.push((p, a)),
            None => skipped.push(p),
        }
    }
    let (first_subject, first_body) = recipients.first().map(|(p, _)| (merge(&c.subject, p, e), merge(&c.body, p, e))).unwrap_or_default();
    Ok(Preview { group: n, recipients, skipped, first_subject, first_body })
}

/// The preview of a campaign. It names the people skipped, so it is audit-logged.
pub async fn preview(db: &Db, s: &StaffUser, e: Uuid, f: &CampaignInput, now: OffsetDateTime) -> Result<Preview> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let el = election_in(&mut tx, t, e).await?;
    let c = check(&mut tx, t, e, f).await?;
    let p = plan(&mut tx, t, &el, &c).await?;
    audit(
        &mut tx,
        s,
        "elections.campaigns.previewed",
        "el_election",
        e,
        serde_json::json!({ "filter": c.filter, "channel": c.channel, "recipients": p.recipients.len(), "skipped": p.skipped.len() }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(p)
}

async fn sent_with(tx: &mut Tx, t: TenantId, e: Uuid, submission: Uuid) -> Result<Option<Uuid>> {
    Ok(on_tx!(tx, x => sqlx::query_scalar("SELECT id FROM el_campaign WHERE tenant_id = $1 AND election_id = $2 AND submission = $3")
        .bind(t.0).bind(e).bind(submission).fetch_optional(x).await?))
}

/// Sends a campaign: one outbox message per recipient, the campaign and its messages, in one
/// transaction. An empty group is refused (VAL-230), as is a group where nobody has an address
/// on the channel (VAL-231); then nothing is stored. A form already sent (the same
/// `submission`) sends nothing and answers with the campaign it sent.
pub async fn send(db: &Db, s: &StaffUser, e: Uuid, f: &CampaignInput, now: OffsetDateTime) -> Result<Uuid> {
    require_office(s)?;
    let submission = match f.submission.trim() {
        "" => None,
        k => Some(Uuid::parse_str(k).map_err(|_| Error::invalid("submission", "el-campaigns-bad-submission"))?),
    };
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let el = election_in(&mut tx, t, e).await?;
    if let Some(k) = submission
        && let Some(done) = sent_with(&mut tx, t, e, k).await?
    {
        return Ok(done);
    }
    let c = check(&mut tx, t, e, f).await?;
    let p = plan(&mut tx, t, &el, &c).await?;
    if p.group == 0 {
        return Err(ElectionError::EmptyGroup.into());
    }
    if p.recipients.is_empty() {
        return Err(ElectionError::NobodyReachable.into());
    }
    let id = Uuid::now_v7();
    let filter = serde_json::to_string(&c.filter).map_err(|x| Error::Internal(format!("filter: {x}")))?;
    // On PostgreSQL a concurrent post of the same form waits here for the first and then
    // inserts nothing: it answers with the first one's campaign.
    let inserted = on_tx!(&mut tx, x => sqlx::query(
        "INSERT INTO el_campaign (tenant_id, election_id, id, channel, filter, subject, body, created_by, created_at, submission) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (tenant_id, election_id, submission) DO NOTHING")
        .bind(t.0).bind(e).bind(id).bind(c.channel.as_str()).bind(&filter).bind(&c.subject).bind(&c.body).bind(s.user_id.0).bind(now)
        .bind(submission).execute(x).await?.rows_affected());
    if inserted == 0
        && let Some(k) = submission
    {
        drop(tx);
        let mut again = db.read(Scope::Tenant(t)).await?;
        let done = sent_with(&mut again, t, e, k).await?.ok_or_else(|| Error::Internal("campaign submission vanished".into()))?;
        again.commit().await?;
        return Ok(done);
    }
    for (person, to) in &p.recipients {
        let subject = merge(&c.subject, person, &el);
        let body = merge(&c.body, person, &el);
        let ob = outbox::enqueue(&mut tx, t, &outbox::Message { channel: c.channel, recipient: to, subject: &subject, body: &body }, now)
            .await?;
        on_tx!(&mut tx, x => sqlx::query(
            "INSERT INTO el_campaign_message (tenant_id, election_id, campaign_id, person_id, outbox_id) VALUES ($1, $2, $3, $4, $5)")
            .bind(t.0).bind(e).bind(id).bind(person.person_id).bind(ob.0).execute(x).await?.rows_affected());
    }
    audit(
        &mut tx,
        s,
        "elections.campaigns.sent",
        "el_campaign",
        id,
        serde_json::json!({ "election": e, "channel": c.channel, "filter": c.filter, "recipients": p.recipients.len(), "skipped": p.skipped.len() }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

// ------------------------------------------------------------------ reading campaigns

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampaignRow {
    pub id: Uuid,
    pub channel: String,
    pub filter: String,
    pub subject: String,
    pub body: String,
    pub created_by: Option<String>,
    pub created_at: OffsetDateTime,
    pub recipients: i64,
    pub sent: i64,
    pub failed: i64,
}

impl CampaignRow {
    pub fn filter(&self) -> Filter {
        serde_json::from_str(&self.filter).unwrap_or_default()
    }
    pub fn queued(&self) -> i64 {
        self.recipients - self.sent - self.failed
    }
}

const CAMPAIGN_SQL: &str = "SELECT c.id, c.channel, c.filter, c.subject, c.body, u.name AS created_by, c.created_at, \
     COUNT(m.person_id) AS recipients, \
     COALESCE(SUM(CASE WHEN o.status = 'sent' THEN 1 ELSE 0 END), 0) AS sent, \
     COALESCE(SUM(CASE WHEN o.status = 'failed' THEN 1 ELSE 0 END), 0) AS failed \
     FROM el_campaign c \
     LEFT JOIN app_user u ON u.tenant_id = c.tenant_id AND u.id = c.created_by \
     LEFT JOIN el_campaign_message m ON m.tenant_id = c.tenant_id AND m.election_id = c.election_id AND m.campaign_id = c.id \
     LEFT JOIN outbox o ON o.tenant_id = m.tenant_id AND o.id = m.outbox_id \
     WHERE c.tenant_id = $1 AND c.election_id = $2";

pub async fn campaigns(tx: &mut Tx, t: TenantId, e: Uuid) -> Result<Vec<CampaignRow>> {
    let sql = format!(
        "{CAMPAIGN_SQL} GROUP BY c.id, c.channel, c.filter, c.subject, c.body, u.name, c.created_at ORDER BY c.created_at DESC, c.id DESC"
    );
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(e).fetch_all(c).await?))
}

pub async fn campaign(tx: &mut Tx, t: TenantId, e: Uuid, id: Uuid) -> Result<Option<CampaignRow>> {
    let sql = format!("{CAMPAIGN_SQL} AND c.id = $3 GROUP BY c.id, c.channel, c.filter, c.subject, c.body, u.name, c.created_at");
    Ok(on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(t.0).bind(e).bind(id).fetch_optional(c).await?))
}

/// One recipient of a campaign and the delivery of their message, from the outbox.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Delivery {
    pub given_name: String,
    pub family_name: String,
    pub recipient: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub sent_at: Option<OffsetDateTime>,
}

pub async fn deliveries(tx: &mut Tx, t: TenantId, e: Uuid, id: Uuid) -> Result<Vec<Delivery>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT p.given_name, p.family_name, o.recipient, o.status, o.attempts, o.last_error, o.sent_at FROM el_campaign_message m \
         JOIN el_person p ON p.tenant_id = m.tenant_id AND p.id = m.person_id \
         JOIN outbox o ON o.tenant_id = m.tenant_id AND o.id = m.outbox_id \
         WHERE m.tenant_id = $1 AND m.election_id = $2 AND m.campaign_id = $3 \
         ORDER BY CASE o.status WHEN 'failed' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, p.family_name, p.given_name")
        .bind(t.0).bind(e).bind(id).fetch_all(c).await?))
}

/// A campaign with its deliveries; reading the recipients is audit-logged.
pub async fn view_campaign(
    db: &Db,
    s: &StaffUser,
    e: Uuid,
    id: Uuid,
    now: OffsetDateTime,
) -> Result<(ElectionRow, CampaignRow, Vec<Delivery>)> {
    require_office(s)?;
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let el = election_in(&mut tx, t, e).await?;
    let c = campaign(&mut tx, t, e, id).await?.ok_or(Error::NotFound)?;
    let d = deliveries(&mut tx, t, e, id).await?;
    audit(&mut tx, s, "elections.campaigns.viewed", "el_campaign", id, serde_json::json!({ "election": e, "recipients": d.len() }), now)
        .await?;
    tx.commit().await?;
    Ok((el, c, d))
}

/// The filter in words: "Roll: Ordförande eller Röstmottagare", "Valkrets: Norra" ….
pub fn describe(ctx: &Ctx, f: &Filter, constituencies: &[ConstituencyRow], stations: &[StationRow]) -> Vec<String> {
    let mut out = vec![];
    if !f.roles.is_empty() {
        let roles: Vec<String> = f.roles.iter().map(|r| ctx.t(&format!("el-role-{r}"))).collect();
        out.push(format!("{}: {}", ctx.t("field-role"), roles.join(&format!(" {} ", ctx.t("el-campaigns-or")))));
    }
    if let Some(c) = f.constituency {
        let n = constituencies.iter().find(|x| x.id == c).map(|x| x.name.clone()).unwrap_or_else(|| "?".into());
        out.push(format!("{}: {n}", ctx.t("field-constituency")));
    }
    if let Some(s) = f.station {
        let n = stations.iter().find(|x| x.id == s).map(|x| x.name.clone()).unwrap_or_else(|| "?".into());
        out.push(format!("{}: {n}", ctx.t("field-campaign_station")));
    }
    if let Some(s) = &f.status {
        out.push(format!("{}: {}", ctx.t("field-campaign_status"), ctx.t(&format!("el-campaigns-status-{s}"))));
    }
    if let Some(c) = &f.course {
        out.push(ctx.t(&format!("el-campaigns-course-{c}")));
    }
    if let Some(p) = &f.placement {
        out.push(ctx.t(&format!("el-campaigns-placement-{p}")));
    }
    if let Some(a) = &f.appointed {
        out.push(ctx.t(&format!("el-campaigns-appointed-{a}")));
    }
    if out.is_empty() {
        out.push(ctx.t("el-campaigns-everyone"));
    }
    out
}
