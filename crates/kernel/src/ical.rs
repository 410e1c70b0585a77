//! iCalendar (RFC 5545) files for calendar subscriptions and downloads: watches, course
//! sessions, meetings. A thin layer over the `icalendar` crate, which builds the components and
//! escapes text values; this module fixes what every Rådhus calendar has in common (UTC times,
//! the stamp from the caller's clock, an all-day event ending the next day) and folds content
//! lines at 75 octets (RFC 5545 3.1), which the crate does not do when it writes.

use icalendar::{Calendar, Component, EventLike};
use time::{Date, OffsetDateTime};

/// When an event takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// A whole day (a watch's due date): `DTSTART;VALUE=DATE`, ending the next day.
    AllDay(Date),
    /// From one instant to another, written in UTC.
    Span { start: OffsetDateTime, end: OffsetDateTime },
}

/// One event. Empty texts are left out of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalEvent {
    /// Unique and stable across downloads, e.g. `el-session-<id>@kil.localhost`.
    pub uid: String,
    pub when: When,
    pub summary: String,
    pub description: String,
    pub location: String,
    pub url: String,
}

fn utc(t: OffsetDateTime) -> chrono::DateTime<chrono::Utc> {
    let t = t.to_offset(time::UtcOffset::UTC);
    chrono::DateTime::from_timestamp(t.unix_timestamp(), t.nanosecond()).unwrap_or_default()
}

fn naive(d: Date) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(d.year(), u32::from(u8::from(d.month())), u32::from(d.day())).unwrap_or_default()
}

/// A VCALENDAR (`METHOD:PUBLISH`) with the events. `stamp` (DTSTAMP) comes from the caller's
/// clock, `name` becomes `X-WR-CALNAME` for calendar subscriptions.
pub fn calendar(prodid: &str, name: Option<&str>, events: &[CalEvent], stamp: OffsetDateTime) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(("VERSION", "2.0"));
    cal.append_property(("PRODID", prodid));
    cal.append_property(("CALSCALE", "GREGORIAN"));
    cal.append_property(("METHOD", "PUBLISH"));
    if let Some(n) = name {
        cal.name(n);
    }
    for e in events {
        let mut ev = icalendar::Event::new();
        ev.uid(&e.uid).timestamp(utc(stamp));
        match e.when {
            When::AllDay(d) => {
                ev.starts(naive(d)).ends(naive(d.next_day().unwrap_or(d)));
            }
            When::Span { start, end } => {
                ev.starts(utc(start)).ends(utc(end));
            }
        }
        ev.summary(&e.summary);
        if !e.description.is_empty() {
            ev.description(&e.description);
        }
        if !e.location.is_empty() {
            ev.location(&e.location);
        }
        if !e.url.is_empty() {
            ev.url(&e.url);
        }
        cal.push(ev.done());
    }
    cal.done().to_string().split_terminator("\r\n").map(fold).collect()
}

/// One content line folded at 75 octets, never inside a UTF-8 character, ended with CRLF; a
/// continuation line starts with a space, which counts towards its 75.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let (mut used, mut limit) = (0, 75);
    for ch in line.chars() {
        if used + ch.len_utf8() > limit {
            out.push_str("\r\n ");
            (used, limit) = (0, 74);
        }
        out.push(ch);
        used += ch.len_utf8();
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn event(when: When, summary: &str) -> CalEvent {
        CalEvent {
            uid: "w-1@kil.localhost".into(),
            when,
            summary: summary.into(),
            description: "Rad ett\nrad två; med, tecken".into(),
            location: String::new(),
            url: "http://kil.localhost/admin/arenden/1".into(),
        }
    }

    #[test]
    fn an_all_day_event_ends_the_next_day_and_the_stamp_is_the_callers() {
        let out = calendar(
            "-//Rådhus//Test//SV",
            Some("Bevakningar"),
            &[event(When::AllDay(date!(2026 - 12 - 31)), "KS 2026/1")],
            datetime!(2026-06-01 10:00 UTC),
        );
        assert!(out.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), "{out}");
        assert!(out.contains("DTSTART;VALUE=DATE:20261231\r\n") && out.contains("DTEND;VALUE=DATE:20270101\r\n"), "{out}");
        assert!(out.contains("DTSTAMP:20260601T100000Z\r\n"), "{out}");
        assert!(out.contains("X-WR-CALNAME:Bevakningar\r\n") && out.contains("METHOD:PUBLISH\r\n"), "{out}");
        assert!(out.contains("DESCRIPTION:Rad ett\\nrad två\\; med\\, tecken\r\n"), "{out}");
        assert!(!out.contains("LOCATION"), "empty texts are left out");
        assert!(out.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn times_are_utc_and_long_lines_fold_on_character_boundaries() {
        let start = datetime!(2026-08-18 18:00 +02:00);
        let long = "Utbildning för röstmottagare i Kils kommun – vallokalen Församlingshemmet, Storgatan 1";
        let out = calendar("-//Rådhus//Test//SV", None, &[event(When::Span { start, end: start + time::Duration::hours(3) }, long)], start);
        assert!(out.contains("DTSTART:20260818T160000Z\r\n") && out.contains("DTEND:20260818T190000Z\r\n"), "{out}");
        for line in out.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{}", long.replace(',', "\\,"))), "{unfolded}");
    }
}
