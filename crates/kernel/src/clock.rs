//! Time is a parameter: code takes a `Clock`, tests use a fixed one.

use std::sync::{Arc, Mutex};
use time::{Duration, OffsetDateTime};

/// Source of the current time. Timestamps are UTC truncated to microseconds,
/// the precision PostgreSQL keeps, so values round-trip equal on both databases.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> OffsetDateTime;
}

/// Truncates to whole microseconds (PostgreSQL's precision).
pub fn truncate_micros(t: OffsetDateTime) -> OffsetDateTime {
    let micros = t.microsecond();
    t.replace_nanosecond(micros * 1000).unwrap_or(t)
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[expect(clippy::disallowed_methods, reason = "the one place that reads the wall clock")]
    fn now(&self) -> OffsetDateTime {
        truncate_micros(OffsetDateTime::now_utc())
    }
}

/// A clock that only moves when told to (tests).
#[derive(Debug, Clone)]
pub struct FixedClock(Arc<Mutex<OffsetDateTime>>);

impl FixedClock {
    pub fn new(at: OffsetDateTime) -> Self {
        Self(Arc::new(Mutex::new(truncate_micros(at))))
    }
    pub fn advance(&self, by: Duration) {
        if let Ok(mut t) = self.0.lock() {
            *t += by;
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        match self.0.lock() {
            Ok(t) => *t,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn fixed_clock_advances_only_when_told() {
        let c = FixedClock::new(datetime!(2026-01-01 10:00 UTC));
        assert_eq!(c.now(), datetime!(2026-01-01 10:00 UTC));
        c.advance(Duration::minutes(5));
        assert_eq!(c.now(), datetime!(2026-01-01 10:05 UTC));
    }

    #[test]
    fn truncation_keeps_microseconds() {
        let t = datetime!(2026-01-01 10:00:00.123456789 UTC);
        assert_eq!(truncate_micros(t).nanosecond(), 123_456_000);
    }
}
