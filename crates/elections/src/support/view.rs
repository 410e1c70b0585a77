//! How the election pages, letters and exports write dates, times and labels.

use radhus_platform::web::Tr;
use time::{Date, OffsetDateTime, Time};

/// The Swedish weekdays, only for [`weekday_date`]: texts that are Swedish by design.
const WEEKDAYS_SV: [&str; 7] = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"];

/// "13 september 2026".
pub fn date(d: Date) -> String {
    radhus_kernel::lang::swedish_date(d)
}

/// "söndag 13 september", always in Swedish: for the texts that are Swedish by design whatever
/// the reader's language — the appointment letter, the e-mails, the reports (the
/// municipality's records) and labels a use case builds without a request. Pages use
/// [`weekday_date_in`].
pub fn weekday_date(d: Date) -> String {
    format!("{} {} {}", WEEKDAYS_SV[usize::from(d.weekday().number_days_from_monday())], d.day(), radhus_kernel::lang::month_sv(d))
}

/// "söndag 13 september" in the reader's language: the weekday through Fluent (`weekday-1`
/// Monday … `weekday-7` Sunday).
pub fn weekday_date_in(tr: &Tr, d: Date) -> String {
    format!("{} {} {}", tr.t(&format!("weekday-{}", d.weekday().number_from_monday())), d.day(), radhus_kernel::lang::month_sv(d))
}

/// "08:00".
pub fn hm(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// The message id of an election's or a station's kind: `el-kind-riksdag`, `el-kind-vallokal`.
pub fn kind_id(k: &str) -> String {
    format!("el-kind-{k}")
}

/// "2026-09-10 14:05 (Anna Admin)".
pub fn stamp(who: &Option<String>, at: &Option<OffsetDateTime>) -> String {
    match at {
        Some(at) => {
            let when = at.format(&time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]")).unwrap_or_default();
            match who {
                Some(w) => format!("{when} ({w})"),
                None => when,
            }
        }
        None => String::new(),
    }
}
