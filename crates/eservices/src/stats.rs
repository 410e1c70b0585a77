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
    /// Drafts begun in the period.
    pub started: i64,
    /// Of those, how many have been submitted (by now).
    pub started_submitted: i64,
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
    /// How many municipalities have rows in the figures (the operator's view; 1 or 0 for a
    /// municipality).
    pub municipalities: usize,
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

/// The statistics of one municipality's services over the period, by service key.
pub async fn for_municipality(tx: &mut Tx, t: TenantId, p: &Period) -> Result<Vec<Figures>> {
    figures(tx, Some(t), p).await
}

/// The statistics of every shared service over the period, summed over every municipality.
/// The transaction must see every municipality (`Scope::System`).
pub async fn for_platform(tx: &mut Tx, p: &Period) -> Result<Vec<Figures>> {
    figures(tx, None, p).await
}

type SubmissionRow = (Uuid, String, OffsetDateTime, String, Option<OffsetDateTime>);
type StartRow = (Uuid, String, Option<Uuid>);
type PaymentRow = (Uuid, String, String, i64);

/// One service's figures while they are counted: the submission times and the municipalities.
struct Acc {
    f: Figures,
    times: Vec<i64>,
    tenants: BTreeSet<Uuid>,
}

async fn figures(tx: &mut Tx, t: Option<TenantId>, p: &Period) -> Result<Vec<Figures>> {
    let (from, to) = p.bounds();
    // The tenant's own rows: the condition and its parameter, or every municipality's.
    let (own_s, own_d, own_p) = match t {
        Some(_) => (" AND s.tenant_id = $3", " AND d.tenant_id = $3", " AND p.tenant_id = $3"),
        None => ("", "", ""),
    };
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
            "SELECT d.tenant_id, d.service_key, s.id FROM es_draft_start d \
             LEFT JOIN es_submission s ON s.tenant_id = d.tenant_id AND s.draft_id = d.draft_id \
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

    let months = p.months();
    let mut by: BTreeMap<String, Acc> = BTreeMap::new();
    let fresh = |key: &str| Acc {
        f: Figures { key: key.to_string(), per_month: vec![0; months.len()], ..Figures::default() },
        times: vec![],
        tenants: BTreeSet::new(),
    };
    for (tenant, key, signed, assurance, started) in submissions {
        let month = month_of(signed);
        let e = by.entry(key.clone()).or_insert_with(|| fresh(&key));
        e.f.submissions += 1;
        if let Some(i) = months.iter().position(|m| *m == month) {
            e.f.per_month[i] += 1;
        }
        if assurance == "eid" {
            e.f.eid_signed += 1;
        }
        if let Some(s) = started {
            e.times.push((signed - s).whole_seconds().max(0));
        }
        e.tenants.insert(tenant);
    }
    for (tenant, key, submission) in starts {
        let e = by.entry(key.clone()).or_insert_with(|| fresh(&key));
        e.f.started += 1;
        if submission.is_some() {
            e.f.started_submitted += 1;
        }
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
        .map(|Acc { mut f, times, tenants }| {
            f.median_seconds = median(times);
            f.municipalities = tenants.len();
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

/// The statistics as CSV (`;`-separated, for Swedish spreadsheets): one row per service with
/// its figures, then one column per month of the period. `titles` names each service.
pub fn csv(p: &Period, rows: &[Figures], title: impl Fn(&str) -> String, platform: bool) -> Result<Vec<u8>> {
    use radhus_kernel::csv_cell::safe_cell;
    let err = |x: csv::Error| Error::Internal(format!("statistics csv: {x}"));
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(vec![]);
    let mut header: Vec<String> = vec!["Tjänst".into(), "Namn".into()];
    if platform {
        header.push("Kommuner".into());
    }
    header.extend(
        [
            "Påbörjade utkast",
            "Varav inskickade",
            "Slutförandegrad (%)",
            "Inskickade",
            "Mediantid till inskickning (minuter)",
            "Signerade med e-legitimation",
            "Betalningar",
            "Betalt (kr)",
            "Återbetalningar",
            "Återbetalt (kr)",
        ]
        .map(String::from),
    );
    header.extend(p.months());
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
            f.eid_signed.to_string(),
            f.paid.to_string(),
            f.paid_amount.to_string(),
            f.refunded.to_string(),
            f.refunded_amount.to_string(),
        ]);
        r.extend(f.per_month.iter().map(i64::to_string));
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
        let f = Figures { key: "k".into(), per_month: vec![1, 2], submissions: 3, ..Figures::default() };
        let out = String::from_utf8(csv(&p, &[f], |_| "=HYPERLINK(\"x\")".into(), false).expect("csv")).expect("utf8");
        assert!(out.contains("'=HYPERLINK"), "{out}");
        assert!(out.lines().next().is_some_and(|h| h.ends_with("2026-11;2026-12")), "{out}");
        assert!(out.lines().nth(1).is_some_and(|r| r.ends_with(";1;2")), "{out}");
    }
}
