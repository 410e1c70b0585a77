//! Statistics of e-services (issue 11 item 9), every figure counted from the rows themselves:
//! submissions (`es_submission`), when each draft was begun (`es_draft_start`, kept after the
//! draft is submitted or deleted) and payments (`es_payment`). No stored counters.
//!
//! - [`most_used`]: the municipality's most used services by submissions over the last
//!   [`MOST_USED_DAYS`] days (the citizen catalogue's "Mest använda").
//! - [`for_municipality`]: per service over a [`Period`] of Swedish dates: submissions per
//!   month, drafts started in the period and how many of them were submitted (the completion
//!   rate), the median time from the first draft to the submission, the share signed with
//!   e-ID, and payments settled in the period. Only the municipality's own rows.
//! - [`for_platform`]: the same per shared service, summed over every municipality (a
//!   `Scope::System` transaction), with how many municipalities contributed. Counts only: no
//!   number, name, answer or municipality-level figure leaves this module for the operator.
//! - Drop-off per step: [`reached`] notes, where a step is saved, the furthest step each draft
//!   has come to (kept in `es_draft_start`); a draft begun in the period, not submitted and not
//!   saved for [`abandon_days`] (30 days, or the service's draft retention when shorter; a
//!   draft the retention job deleted is abandoned too) counts as abandoned at that step.
//! - Satisfaction: [`rate`] keeps the submitter's one answer (1–5) to "Hur nöjd är du med
//!   e-tjänsten?" (`es_satisfaction`); the average is shown from [`MIN_RATINGS`] answers.
//! - Per week or month ([`Per`], Swedish ISO week numbers), and the cross-municipality
//!   comparison of a shared service, shown from [`MIN_MUNICIPALITIES`] municipalities.

use std::collections::{BTreeMap, BTreeSet};

use radhus_kernel::ids::TenantId;
use radhus_kernel::tz;
use radhus_platform::db::Tx;
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::on_tx;
use time::{Date, Month, OffsetDateTime, Time};
use uuid::Uuid;

/// The window of the catalogue's "Mest använda".
pub const MOST_USED_DAYS: i64 = 90;
/// How many services "Mest använda" shows at most.
pub const MOST_USED_SHOWN: i64 = 5;
/// The longest period the statistics cover (in months, so the monthly columns stay readable).
pub const MAX_MONTHS: usize = 60;
/// The longest period shown per week (two years of columns).
pub const MAX_WEEKS: usize = 106;
/// The furthest step of a draft that has come to the review page (no step id starts with `_`).
pub const REVIEW_STEP: &str = "_granska";
/// Days without a save after which a draft that is not submitted counts as abandoned (or the
/// service's draft retention, when that is shorter).
pub const ABANDON_DAYS: i32 = 30;
/// The satisfaction average is shown only from this many answers (privacy).
pub const MIN_RATINGS: i64 = 5;
/// The comparison with the other municipalities is shown only when at least this many
/// municipalities have drafts of the service in the period (as eBlomlåda's benchmark).
pub const MIN_MUNICIPALITIES: usize = 5;

/// Days without a save after which a draft of a service with this draft retention (`None`:
/// the platform's default) counts as abandoned.
pub fn abandon_days(draft_days: Option<i32>) -> i32 {
    ABANDON_DAYS.min(draft_days.unwrap_or(crate::retention::DEFAULT_DRAFT_DAYS))
}

/// Notes that the draft has come to step `step` (its position `index` in the definition; the
/// review page is [`REVIEW_STEP`] after the last step). The furthest step only moves forward.
pub async fn reached(tx: &mut Tx, t: TenantId, draft: Uuid, index: usize, step: &str) -> Result<()> {
    let index = i32::try_from(index).unwrap_or(i32::MAX);
    on_tx!(tx, c => sqlx::query(
        "UPDATE es_draft_start SET furthest_index = $3, furthest_step = $4 \
         WHERE tenant_id = $1 AND draft_id = $2 AND (furthest_index < $3 OR furthest_step = '')")
        .bind(t.0).bind(draft).bind(index).bind(step).execute(c).await?.rows_affected());
    Ok(())
}

/// What became of a satisfaction answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rated {
    Saved,
    /// The submission had an answer already: the first one stands.
    Already,
}

/// The submitter's answer (`1`–`5`) to the satisfaction question of their submission. Another
/// citizen's submission is "not found"; a value that is no answer is an error at `betyg`; a
/// second answer is refused ([`Rated::Already`]), the first stands.
pub async fn rate(
    tx: &mut Tx,
    t: TenantId,
    who: &crate::citizen::Citizen,
    submission: Uuid,
    rating: &str,
    now: OffsetDateTime,
) -> Result<Rated> {
    // The citizen's own submission only (anything else is "not found", as on the receipt).
    let s = crate::store::submission(tx, t, submission).await?.filter(|s| s.citizen_index == who.index).ok_or(Error::NotFound)?;
    let rating: i32 = match rating.trim().parse() {
        Ok(r) if (1..=5).contains(&r) => r,
        _ => return Err(Error::Invalid(vec![FieldError::new("betyg", "es-rate-err")])),
    };
    let n = on_tx!(tx, c => sqlx::query(
        "INSERT INTO es_satisfaction (tenant_id, submission_id, service_key, rating, answered_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (tenant_id, submission_id) DO NOTHING")
        .bind(t.0).bind(s.id).bind(&s.service_key).bind(rating).bind(now).execute(c).await?.rows_affected());
    Ok(if n == 1 { Rated::Saved } else { Rated::Already })
}

/// The answer given to the satisfaction question of a submission, if any.
pub async fn rating_of(tx: &mut Tx, t: TenantId, submission: Uuid) -> Result<Option<i32>> {
    Ok(on_tx!(tx, c => sqlx::query_scalar("SELECT rating FROM es_satisfaction WHERE tenant_id = $1 AND submission_id = $2")
        .bind(t.0).bind(submission).fetch_optional(c).await?))
}

/// The municipality's services with at least one submission in the last [`MOST_USED_DAYS`]
/// days, most submissions first (then by key), at most `limit`.
pub async fn most_used(tx: &mut Tx, t: TenantId, now: OffsetDateTime, limit: i64) -> Result<Vec<(String, i64)>> {
    let since = now - time::Duration::days(MOST_USED_DAYS);
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT service_key, COUNT(*) AS n FROM es_submission WHERE tenant_id = $1 AND signed_at >= $2 \
         GROUP BY service_key ORDER BY n DESC, service_key LIMIT $3")
        .bind(t.0).bind(since).bind(limit).fetch_all(c).await?))
}

/// A period of whole Swedish days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

impl Period {
    /// The default: from the first day of the month eleven months back to today (twelve
    /// calendar months).
    pub fn default_for(today: Date) -> Period {
        let mut year = today.year();
        let mut month = u8::from(today.month()) as i32 - 11;
        if month < 1 {
            month += 12;
            year -= 1;
        }
        let month = Month::try_from(month as u8).unwrap_or(Month::January);
        let from = Date::from_calendar_date(year, month, 1).unwrap_or(today);
        Period { from, to: today }
    }

    /// The period of a filter form (`fran`, `till` as `YYYY-MM-DD`); an empty field takes the
    /// default's end. A date that is none, a start after the end or more than [`MAX_MONTHS`]
    /// months is an error at the field.
    pub fn parse(from: &str, to: &str, today: Date) -> Result<Period> {
        let default = Period::default_for(today);
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        let parse = |s: &str, field: &'static str, or: Date| -> std::result::Result<Date, FieldError> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(or);
            }
            Date::parse(s, &fmt).map_err(|_| FieldError::new(field, "es-stats-err-date"))
        };
        let (f, t) = (parse(from, "fran", default.from), parse(to, "till", default.to));
        let (from, to) = match (f, t) {
            (Ok(f), Ok(t)) => (f, t),
            (f, t) => return Err(Error::Invalid([f.err(), t.err()].into_iter().flatten().collect())),
        };
        if from > to {
            return Err(Error::Invalid(vec![FieldError::new("till", "es-stats-err-order")]));
        }
        let p = Period { from, to };
        if p.months().len() > MAX_MONTHS {
            return Err(Error::Invalid(vec![FieldError::new("fran", "es-stats-err-long")]));
        }
        Ok(p)
    }

    /// The instants the period covers: from the first day's midnight to the midnight after the
    /// last day, Swedish time.
    pub fn bounds(&self) -> (OffsetDateTime, OffsetDateTime) {
        let end = self.to.next_day().unwrap_or(self.to);
        (tz::from_stockholm(self.from, Time::MIDNIGHT), tz::from_stockholm(end, Time::MIDNIGHT))
    }

    /// The calendar months the period touches, in order, as `YYYY-MM`.
    pub fn months(&self) -> Vec<String> {
        let mut out = vec![];
        let (mut y, mut m) = (self.from.year(), self.from.month());
        let (ey, em) = (self.to.year(), self.to.month());
        while (y, u8::from(m)) <= (ey, u8::from(em)) && out.len() <= MAX_MONTHS {
            out.push(format!("{y:04}-{:02}", u8::from(m)));
            if m == Month::December {
                y += 1;
            }
            m = m.next();
        }
        out
    }

    /// The Swedish weeks the period touches, in order, as `YYYY-vWW` ([`week_label`]).
    pub fn weeks(&self) -> Vec<String> {
        let mut out: Vec<String> = vec![];
        let mut d = self.from;
        while d <= self.to {
            let w = week_label(d);
            if out.last() != Some(&w) {
                out.push(w);
            }
            match d.next_day() {
                Some(n) => d = n,
                None => break,
            }
        }
        out
    }
}

/// The Swedish week (ISO 8601: weeks begin on Monday, week 1 holds the year's first
/// Thursday) of a date, as `YYYY-vWW` with the week's own year (2021-01-03 is `2020-v53`).
pub fn week_label(d: Date) -> String {
    let (year, week, _) = d.to_iso_week_date();
    format!("{year:04}-v{week:02}")
}

/// The week (`YYYY-vWW`, Swedish time) of an instant.
fn week_of(at: OffsetDateTime) -> String {
    week_label(tz::stockholm(at).date())
}

/// Submissions per calendar month or per week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Per {
    #[default]
    Month,
    Week,
}

impl Per {
    /// The filter's `per` (`manad`, `vecka`; empty is per month). Another value, or per week
    /// over more than [`MAX_WEEKS`] weeks, is an error at its field.
    pub fn parse(s: &str, p: &Period) -> Result<Per> {
        match s.trim() {
            "" | "manad" => Ok(Per::Month),
            "vecka" if p.weeks().len() > MAX_WEEKS => Err(Error::Invalid(vec![FieldError::new("fran", "es-stats-err-weeks")])),
            "vecka" => Ok(Per::Week),
            _ => Err(Error::Invalid(vec![FieldError::new("per", "es-stats-err-per")])),
        }
    }

    /// The value in the filter's address.
    pub fn value(self) -> &'static str {
        match self {
            Per::Month => "manad",
            Per::Week => "vecka",
        }
    }

    /// The columns of the period: its months or its weeks.
    pub fn buckets(self, p: &Period) -> Vec<String> {
        match self {
            Per::Month => p.months(),
            Per::Week => p.weeks(),
        }
    }

    /// A service's submissions per column.
    pub fn counts(self, f: &Figures) -> &[i64] {
        match self {
            Per::Month => &f.per_month,
            Per::Week => &f.per_week,
        }
    }
}

/// The month (`YYYY-MM`, Swedish time) of an instant.
fn month_of(at: OffsetDateTime) -> String {
    let d = tz::stockholm(at).date();
    format!("{:04}-{:02}", d.year(), u8::from(d.month()))
}

/// The figures of one service over a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub key: String,
    /// Submissions signed in the period.
    pub submissions: i64,
    /// Submissions per month of [`Period::months`], in the same order.
    pub per_month: Vec<i64>,
    /// Submissions per week of [`Period::weeks`], in the same order.
    pub per_week: Vec<i64>,
    /// Drafts begun in the period.
    pub started: i64,
    /// Of those, how many have been submitted (by now).
    pub started_submitted: i64,
    /// Of those, how many count as abandoned (not submitted, not saved for [`abandon_days`]).
    pub abandoned: i64,
    /// The abandoned drafts by the furthest step each had come to: the step's id,
    /// [`REVIEW_STEP`], or `""` for a draft that saved no step (at the first one).
    pub stopped: BTreeMap<String, i64>,
    /// The median seconds from the first draft to the signature, over the period's submissions
    /// whose start is known.
    pub median_seconds: Option<i64>,
    /// The period's submissions signed with e-ID.
    pub eid_signed: i64,
    /// Payments settled in the period and still paid, and their sum in kronor.
    pub paid: i64,
    pub paid_amount: i64,
    /// Payments settled in the period that were refunded since, and their sum.
    pub refunded: i64,
    pub refunded_amount: i64,
    /// Satisfaction answers given in the period, and the sum of their ratings.
    pub ratings: i64,
    pub rating_sum: i64,
    /// How many municipalities have rows in the figures (the operator's view; 1 or 0 for a
    /// municipality).
    pub municipalities: usize,
    /// How many municipalities have drafts begun in the period (what the completion rate and
    /// the drop-off are counted from; the comparison needs [`MIN_MUNICIPALITIES`]).
    pub start_municipalities: usize,
}

impl Figures {
    /// Drafts begun in the period that were submitted, in whole per cent.
    pub fn completion_percent(&self) -> Option<i64> {
        percent(self.started_submitted, self.started)
    }

    /// The period's submissions signed with e-ID, in whole per cent.
    pub fn eid_percent(&self) -> Option<i64> {
        percent(self.eid_signed, self.submissions)
    }

    /// Drafts begun in the period that are neither submitted nor abandoned yet.
    pub fn in_progress(&self) -> i64 {
        (self.started - self.started_submitted - self.abandoned).max(0)
    }

    /// The average rating in tenths (42 is 4,2), rounded half up; none under [`MIN_RATINGS`]
    /// answers.
    pub fn rating_tenths(&self) -> Option<i64> {
        (self.ratings >= MIN_RATINGS).then(|| (self.rating_sum * 20 + self.ratings) / (self.ratings * 2))
    }

    /// Enough municipalities for the comparison ([`MIN_MUNICIPALITIES`]).
    pub fn comparable(&self) -> bool {
        self.start_municipalities >= MIN_MUNICIPALITIES
    }
}

/// An average in tenths as Swedish (`4,2`) or English (`4.2`) text.
pub fn tenths_text(tenths: i64, comma: bool) -> String {
    format!("{}{}{}", tenths / 10, if comma { ',' } else { '.' }, tenths % 10)
}

/// `part` of `whole` in whole per cent, rounded half up; none of nothing.
pub fn percent(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 200 + whole) / (whole * 2))
}

/// The median of whole seconds (the mean of the middle two, rounded down, for an even count).
pub fn median(mut v: Vec<i64>) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2 })
}

/// The statistics of one municipality's services over the period, by service key; `now`
/// decides which drafts count as abandoned.
pub async fn for_municipality(tx: &mut Tx, t: TenantId, p: &Period, now: OffsetDateTime) -> Result<Vec<Figures>> {
    figures(tx, Some(t), p, now).await
}

/// The statistics of every shared service over the period, summed over every municipality.
/// The transaction must see every municipality (`Scope::System`).
pub async fn for_platform(tx: &mut Tx, p: &Period, now: OffsetDateTime) -> Result<Vec<Figures>> {
    figures(tx, None, p, now).await
}

type SubmissionRow = (Uuid, String, OffsetDateTime, String, Option<OffsetDateTime>);
type StartRow = (Uuid, String, Option<Uuid>, String, Option<OffsetDateTime>, Option<i32>);
type PaymentRow = (Uuid, String, String, i64);
type RatingRow = (Uuid, String, i32);

/// One service's figures while they are counted: the submission times and the municipalities.
struct Acc {
    f: Figures,
    times: Vec<i64>,
    tenants: BTreeSet<Uuid>,
    starters: BTreeSet<Uuid>,
}

async fn figures(tx: &mut Tx, t: Option<TenantId>, p: &Period, now: OffsetDateTime) -> Result<Vec<Figures>> {
    let (from, to) = p.bounds();
    // The tenant's own rows: the condition and its parameter, or every municipality's.
    let (own_s, own_d, own_p) = match t {
        Some(_) => (" AND s.tenant_id = $3", " AND d.tenant_id = $3", " AND p.tenant_id = $3"),
        None => ("", "", ""),
    };
    let own_r = if t.is_some() { " AND r.tenant_id = $3" } else { "" };
    let tenant = t.map(|t| t.0).unwrap_or_default();
    let submissions: Vec<SubmissionRow> = on_tx!(tx, c => {
        let q = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT s.tenant_id, s.service_key, s.signed_at, s.assurance, d.started_at FROM es_submission s \
             LEFT JOIN es_draft_start d ON d.tenant_id = s.tenant_id AND d.draft_id = s.draft_id \
             WHERE s.signed_at >= $1 AND s.signed_at < $2{own_s}")))
            .bind(from).bind(to);
        let q = if t.is_some() { q.bind(tenant) } else { q };
        q.fetch_all(c).await?
    });
    let starts: Vec<StartRow> = on_tx!(tx, c => {
        let q = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT d.tenant_id, d.service_key, s.id, d.furthest_step, o.updated_at, r.draft_days FROM es_draft_start d \
             LEFT JOIN es_submission s ON s.tenant_id = d.tenant_id AND s.draft_id = d.draft_id \
             LEFT JOIN es_draft o ON o.tenant_id = d.tenant_id AND o.id = d.draft_id \
             LEFT JOIN es_retention r ON r.tenant_id = d.tenant_id AND r.service_key = d.service_key \
             WHERE d.started_at >= $1 AND d.started_at < $2{own_d}")))
            .bind(from).bind(to);
        let q = if t.is_some() { q.bind(tenant) } else { q };
        q.fetch_all(c).await?
    });
    let payments: Vec<PaymentRow> = on_tx!(tx, c => {
        let q = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT p.tenant_id, s.service_key, p.status, p.amount FROM es_payment p \
             JOIN es_submission s ON s.tenant_id = p.tenant_id AND s.id = p.submission_id \
             WHERE p.status IN ('paid', 'refunded') AND p.settled_at >= $1 AND p.settled_at < $2{own_p}")))
            .bind(from).bind(to);
        let q = if t.is_some() { q.bind(tenant) } else { q };
        q.fetch_all(c).await?
    });
    let ratings: Vec<RatingRow> = on_tx!(tx, c => {
        let q = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT r.tenant_id, r.service_key, r.rating FROM es_satisfaction r \
             WHERE r.answered_at >= $1 AND r.answered_at < $2{own_r}")))
            .bind(from).bind(to);
        let q = if t.is_some() { q.bind(tenant) } else { q };
        q.fetch_all(c).await?
    });

    let months = p.months();
    let weeks = p.weeks();
    let mut by: BTreeMap<String, Acc> = BTreeMap::new();
    let fresh = |key: &str| Acc {
        f: Figures { key: key.to_string(), per_month: vec![0; months.len()], per_week: vec![0; weeks.len()], ..Figures::default() },
        times: vec![],
        tenants: BTreeSet::new(),
        starters: BTreeSet::new(),
    };
    for (tenant, key, signed, assurance, started) in submissions {
        let month = month_of(signed);
        let week = week_of(signed);
        let e = by.entry(key.clone()).or_insert_with(|| fresh(&key));
        e.f.submissions += 1;
        if let Some(i) = months.iter().position(|m| *m == month) {
            e.f.per_month[i] += 1;
        }
        if let Some(i) = weeks.iter().position(|w| *w == week) {
            e.f.per_week[i] += 1;
        }
        if assurance == "eid" {
            e.f.eid_signed += 1;
        }
        if let Some(s) = started {
            e.times.push((signed - s).whole_seconds().max(0));
        }
        e.tenants.insert(tenant);
    }
    for (tenant, key, submission, furthest, saved, draft_days) in starts {
        let e = by.entry(key.clone()).or_insert_with(|| fresh(&key));
        e.f.started += 1;
        if submission.is_some() {
            e.f.started_submitted += 1;
        } else {
            // Gone without a submission (the retention job deleted it), or not saved for long.
            let window = time::Duration::days(i64::from(abandon_days(draft_days)));
            if saved.is_none_or(|at| at + window <= now) {
                e.f.abandoned += 1;
                *e.f.stopped.entry(furthest).or_default() += 1;
            }
        }
        e.tenants.insert(tenant);
        e.starters.insert(tenant);
    }
    for (tenant, key, rating) in ratings {
        let e = by.entry(key.clone()).or_insert_with(|| fresh(&key));
        e.f.ratings += 1;
        e.f.rating_sum += i64::from(rating);
        e.tenants.insert(tenant);
    }
    for (tenant, key, status, amount) in payments {
        let e = by.entry(key.clone()).or_insert_with(|| fresh(&key));
        if status == "paid" {
            e.f.paid += 1;
            e.f.paid_amount += amount;
        } else {
            e.f.refunded += 1;
            e.f.refunded_amount += amount;
        }
        e.tenants.insert(tenant);
    }
    Ok(by
        .into_values()
        .map(|Acc { mut f, times, tenants, starters }| {
            f.median_seconds = median(times);
            f.municipalities = tenants.len();
            f.start_municipalities = starters.len();
            f
        })
        .collect())
}

/// A duration for the statistics: minutes under an hour, hours and minutes under two days,
/// days and hours beyond (`d`, `h` and `min` read the same in Swedish and English).
pub fn duration_text(seconds: i64) -> String {
    let minutes = seconds / 60;
    if minutes < 60 {
        format!("{minutes} min")
    } else if minutes < 48 * 60 {
        format!("{} h {} min", minutes / 60, minutes % 60)
    } else {
        format!("{} d {} h", minutes / (24 * 60), (minutes / 60) % 24)
    }
}

/// Whether the share signed with e-ID says anything: filling in needs an e-ID login, so every
/// submission is signed with e-ID and the share is 100 % by construction; it is shown only
/// when some submission was not.
pub fn eid_varies(rows: &[Figures]) -> bool {
    rows.iter().any(|f| f.eid_signed != f.submissions)
}

/// The statistics as CSV (`;`-separated, for Swedish spreadsheets): one row per service with
/// its figures, then one column per month or week of the period. `titles` names each service.
pub fn csv(p: &Period, per: Per, rows: &[Figures], title: impl Fn(&str) -> String, platform: bool) -> Result<Vec<u8>> {
    use radhus_kernel::csv_cell::safe_cell;
    let err = |x: csv::Error| Error::Internal(format!("statistics csv: {x}"));
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(vec![]);
    let mut header: Vec<String> = vec!["Tjänst".into(), "Namn".into()];
    if platform {
        header.push("Kommuner".into());
    }
    let eid = eid_varies(rows);
    header.extend(
        ["Påbörjade utkast", "Varav inskickade", "Slutförandegrad (%)", "Inskickade", "Mediantid till inskickning (minuter)"]
            .map(String::from),
    );
    if eid {
        header.push("Signerade med e-legitimation".into());
    }
    header.extend(
        [
            "Betalningar",
            "Betalt (kr)",
            "Återbetalningar",
            "Återbetalt (kr)",
            "Avbrutna utkast",
            "Svar på nöjdhetsfrågan",
            "Medelbetyg 1–5 (från 5 svar)",
        ]
        .map(String::from),
    );
    header.extend(per.buckets(p));
    w.write_record(header.iter().map(|h| safe_cell(h).into_owned())).map_err(err)?;
    for f in rows {
        let mut r: Vec<String> = vec![f.key.clone(), title(&f.key)];
        if platform {
            r.push(f.municipalities.to_string());
        }
        r.extend([
            f.started.to_string(),
            f.started_submitted.to_string(),
            f.completion_percent().map(|n| n.to_string()).unwrap_or_default(),
            f.submissions.to_string(),
            f.median_seconds.map(|s| (s / 60).to_string()).unwrap_or_default(),
        ]);
        if eid {
            r.push(f.eid_signed.to_string());
        }
        r.extend([
            f.paid.to_string(),
            f.paid_amount.to_string(),
            f.refunded.to_string(),
            f.refunded_amount.to_string(),
            f.abandoned.to_string(),
            f.ratings.to_string(),
            f.rating_tenths().map(|t| tenths_text(t, true)).unwrap_or_default(),
        ]);
        r.extend(per.counts(f).iter().map(i64::to_string));
        w.write_record(r.iter().map(|c| safe_cell(c).into_owned())).map_err(err)?;
    }
    w.into_inner().map_err(|e| Error::Internal(format!("statistics csv: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_default_period_is_twelve_calendar_months() {
        let p = Period::default_for(date!(2026 - 12 - 07));
        assert_eq!(p, Period { from: date!(2026 - 01 - 01), to: date!(2026 - 12 - 07) });
        assert_eq!(p.months().len(), 12);
        let p = Period::default_for(date!(2026 - 03 - 31));
        assert_eq!(p.from, date!(2025 - 04 - 01));
        assert_eq!(p.months().first().map(String::as_str), Some("2025-04"));
        assert_eq!(p.months().last().map(String::as_str), Some("2026-03"));
    }

    #[test]
    fn a_bad_period_is_an_error_at_its_field() {
        let today = date!(2026 - 12 - 07);
        assert_eq!(Period::parse("", "", today).ok(), Some(Period::default_for(today)));
        assert_eq!(
            Period::parse("2026-02-01", "2026-02-28", today).ok(),
            Some(Period { from: date!(2026 - 02 - 01), to: date!(2026 - 02 - 28) })
        );
        for (f, t) in [("2026-02-30", ""), ("igår", ""), ("", "<script>"), ("2026-05-01", "2026-04-01"), ("2000-01-01", "2026-01-01")] {
            assert!(matches!(Period::parse(f, t, today), Err(Error::Invalid(v)) if !v.is_empty()), "{f} {t}");
        }
    }

    #[test]
    fn the_bounds_are_swedish_midnights() {
        let p = Period { from: date!(2026 - 07 - 01), to: date!(2026 - 07 - 31) };
        let (a, b) = p.bounds();
        assert_eq!(a, time::macros::datetime!(2026-06-30 22:00 UTC));
        assert_eq!(b, time::macros::datetime!(2026-07-31 22:00 UTC));
    }

    #[test]
    fn median_percent_and_durations() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![5, 1, 3]), Some(3));
        assert_eq!(median(vec![4, 1, 3, 10]), Some(3));
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(1, 8), Some(13));
        assert_eq!(percent(0, 0), None);
        assert_eq!(duration_text(59), "0 min");
        assert_eq!(duration_text(3 * 3600 + 120), "3 h 2 min");
        assert_eq!(duration_text(3 * 86400 + 5 * 3600), "3 d 5 h");
    }

    #[test]
    fn csv_cells_are_safe() {
        let p = Period { from: date!(2026 - 11 - 01), to: date!(2026 - 12 - 07) };
        let f = Figures { key: "k".into(), per_month: vec![1, 2], submissions: 3, eid_signed: 3, ..Figures::default() };
        let out = String::from_utf8(csv(&p, Per::Month, &[f], |_| "=HYPERLINK(\"x\")".into(), false).expect("csv")).expect("utf8");
        assert!(out.contains("'=HYPERLINK"), "{out}");
        assert!(out.lines().next().is_some_and(|h| h.ends_with("2026-11;2026-12")), "{out}");
        assert!(out.lines().nth(1).is_some_and(|r| r.ends_with(";1;2")), "{out}");
        assert!(!out.contains("e-legitimation"), "every submission signed with e-ID: no column: {out}");
    }

    #[test]
    fn swedish_weeks_across_a_year_boundary() {
        // 2020 has 53 weeks: 2020-12-31 (Thursday) and 2021-01-03 (Sunday) are week 53 of
        // 2020, 2021-01-04 (Monday) is week 1 of 2021.
        assert_eq!(week_label(date!(2020 - 12 - 31)), "2020-v53");
        assert_eq!(week_label(date!(2021 - 01 - 03)), "2020-v53");
        assert_eq!(week_label(date!(2021 - 01 - 04)), "2021-v01");
        // 2024-12-30 (Monday) is week 1 of 2025.
        assert_eq!(week_label(date!(2024 - 12 - 30)), "2025-v01");
        let p = Period { from: date!(2020 - 12 - 21), to: date!(2021 - 01 - 11) };
        assert_eq!(p.weeks(), ["2020-v52", "2020-v53", "2021-v01", "2021-v02"]);
        assert_eq!(Per::parse("vecka", &p).ok(), Some(Per::Week));
        assert_eq!(Per::parse("", &p).ok(), Some(Per::Month));
        assert!(matches!(Per::parse("år", &p), Err(Error::Invalid(v)) if v[0].field == "per"));
        let long = Period { from: date!(2020 - 01 - 01), to: date!(2023 - 01 - 01) };
        assert!(matches!(Per::parse("vecka", &long), Err(Error::Invalid(v)) if v[0].message == "es-stats-err-weeks"));
    }

    #[test]
    fn the_average_rating_needs_five_answers_and_abandoning_thirty_days() {
        let f = Figures { ratings: 4, rating_sum: 20, ..Figures::default() };
        assert_eq!(f.rating_tenths(), None);
        let f = Figures { ratings: 6, rating_sum: 25, ..Figures::default() };
        assert_eq!(f.rating_tenths(), Some(42));
        assert_eq!(tenths_text(42, true), "4,2");
        assert_eq!(abandon_days(None), 30);
        assert_eq!(abandon_days(Some(10)), 10);
        assert_eq!(abandon_days(Some(365)), 30);
    }
}
