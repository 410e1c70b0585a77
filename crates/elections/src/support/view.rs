//! How the election pages, letters and exports write dates, times and labels.

use time::{Date, Time};

use crate::structure::store::{OpeningRow, ShiftRow};

const WEEKDAYS: [&str; 7] = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"];

/// "13 september 2026".
pub fn date(d: Date) -> String {
    radhus_kernel::lang::swedish_date(d)
}

/// "söndag 13 september".
pub fn weekday_date(d: Date) -> String {
    format!("{} {} {}", WEEKDAYS[usize::from(d.weekday().number_days_from_monday())], d.day(), radhus_kernel::lang::month_sv(d))
}

/// "08:00".
pub fn hm(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// "Förmiddag, söndag 13 september 07:30–14:00".
pub fn shift(s: &ShiftRow) -> String {
    format!("{}, {} {}–{}", s.name, weekday_date(s.day), hm(s.starts), hm(s.ends))
}

/// "1 dag: 13 september 08:00–20:00" or "19 dagar, 26 augusti – 13 september".
pub fn hours_summary<'a>(openings: impl Iterator<Item = &'a OpeningRow>) -> String {
    let v: Vec<&OpeningRow> = openings.collect();
    match v.as_slice() {
        [] => "–".into(),
        [o] => format!("{} {}–{}", date(o.day), hm(o.opens), hm(o.closes)),
        [first, .., last] => format!("{} dagar, {} – {}", v.len(), date(first.day), date(last.day)),
    }
}

/// The message id of an election's or a station's kind: `el-kind-riksdag`, `el-kind-vallokal`.
pub fn kind_id(k: &str) -> String {
    format!("el-kind-{k}")
}
