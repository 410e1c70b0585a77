//! Swedish local time (Europe/Stockholm) through `jiff` and its bundled time-zone database:
//! no hand-written daylight-saving rule, no file read at run time.

use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

fn zone() -> jiff::tz::TimeZone {
    // The bundled database always has Europe/Stockholm; UTC+1 is only a last resort.
    jiff::tz::TimeZone::get("Europe/Stockholm").unwrap_or_else(|_| jiff::tz::TimeZone::fixed(jiff::tz::offset(1)))
}

/// An instant as Swedish local time.
pub fn stockholm(t: OffsetDateTime) -> PrimitiveDateTime {
    let offset = jiff::Timestamp::from_second(t.unix_timestamp()).map(|ts| zone().to_offset(ts).seconds()).unwrap_or(3600);
    let local = t.to_offset(time::UtcOffset::from_whole_seconds(offset).unwrap_or(time::UtcOffset::UTC));
    PrimitiveDateTime::new(local.date(), local.time())
}

/// A Swedish local date and time as an instant. A time that occurs twice (the autumn hour) is
/// the first; one that does not exist (the spring hour) is moved forward, as clocks are.
pub fn from_stockholm(d: Date, t: Time) -> OffsetDateTime {
    let civil = jiff::civil::DateTime::new(
        d.year() as i16,
        u8::from(d.month()) as i8,
        d.day() as i8,
        t.hour() as i8,
        t.minute() as i8,
        t.second() as i8,
        0,
    );
    let seconds = civil.and_then(|c| c.to_zoned_datetime(zone())).map(|z| z.timestamp().as_second());
    match seconds.ok().and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok()) {
        Some(instant) => instant,
        None => PrimitiveDateTime::new(d, t).assume_offset(time::UtcOffset::from_hms(1, 0, 0).unwrap_or(time::UtcOffset::UTC)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime, time};

    #[test]
    fn summer_and_winter_time() {
        assert_eq!(stockholm(datetime!(2026-01-15 12:00 UTC)), datetime!(2026-01-15 13:00));
        assert_eq!(stockholm(datetime!(2026-07-15 12:00 UTC)), datetime!(2026-07-15 14:00));
        // The switches: 01:00 UTC on the last Sundays of March and October.
        assert_eq!(stockholm(datetime!(2026-03-29 00:59 UTC)), datetime!(2026-03-29 01:59));
        assert_eq!(stockholm(datetime!(2026-03-29 01:00 UTC)), datetime!(2026-03-29 03:00));
        assert_eq!(stockholm(datetime!(2026-10-25 00:59 UTC)), datetime!(2026-10-25 02:59));
        assert_eq!(stockholm(datetime!(2026-10-25 01:00 UTC)), datetime!(2026-10-25 02:00));
    }

    #[test]
    fn local_times_back_to_instants() {
        assert_eq!(from_stockholm(date!(2026 - 08 - 18), time!(18:00)), datetime!(2026-08-18 16:00 UTC));
        assert_eq!(from_stockholm(date!(2026 - 12 - 01), time!(09:30)), datetime!(2026-12-01 08:30 UTC));
        // 02:30 on 25 October happens twice: the first, in summer time.
        assert_eq!(from_stockholm(date!(2026 - 10 - 25), time!(02:30)), datetime!(2026-10-25 00:30 UTC));
        // 02:30 on 29 March does not exist: moved forward to 03:30 summer time.
        assert_eq!(from_stockholm(date!(2026 - 03 - 29), time!(02:30)), datetime!(2026-03-29 01:30 UTC));
        for t in [datetime!(2026-05-05 07:00 UTC), datetime!(2026-11-11 23:15 UTC)] {
            let l = stockholm(t);
            assert_eq!(from_stockholm(l.date(), l.time()), t);
        }
    }
}
