//! Labels of the structure's rows for pages and texts: a shift with its day and times, a
//! station's opening hours. Built from the general formatters in `support::view`.

use radhus_platform::web::Tr;

use super::store::{OpeningRow, ShiftRow};
use crate::support::view::{date, hm, weekday_date, weekday_date_in};

/// "Förmiddag, söndag 13 september 07:30–14:00", in Swedish (see [`weekday_date`]).
pub fn shift(s: &ShiftRow) -> String {
    format!("{}, {} {}–{}", s.name, weekday_date(s.day), hm(s.starts), hm(s.ends))
}

/// A shift with its weekday in the reader's language, for pages.
pub fn shift_in(tr: &Tr, s: &ShiftRow) -> String {
    format!("{}, {} {}–{}", s.name, weekday_date_in(tr, s.day), hm(s.starts), hm(s.ends))
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
