//! A fixed-window rate limiter keyed by client address (login attempts) or by integration
//! token (each token with its own limit). In memory: each server process counts on its own.

use std::collections::HashMap;
use std::sync::Mutex;

use time::OffsetDateTime;

pub struct Limiter {
    per_minute: u32,
    windows: Mutex<HashMap<String, (i64, u32)>>,
}

impl Limiter {
    pub fn new(per_minute: u32) -> Self {
        Self { per_minute, windows: Mutex::new(HashMap::new()) }
    }

    /// Counts one attempt; false when the key has used up this minute's attempts.
    pub fn allow(&self, key: &str, now: OffsetDateTime) -> bool {
        self.allow_up_to(key, self.per_minute, now)
    }

    /// Counts one attempt against a limit of the key's own (an integration token's).
    pub fn allow_up_to(&self, key: &str, per_minute: u32, now: OffsetDateTime) -> bool {
        let minute = now.unix_timestamp() / 60;
        let Ok(mut map) = self.windows.lock() else { return false };
        if map.len() > 100_000 {
            map.retain(|_, (m, _)| *m == minute);
        }
        let entry = map.entry(key.to_string()).or_insert((minute, 0));
        if entry.0 != minute {
            *entry = (minute, 0);
        }
        entry.1 += 1;
        entry.1 <= per_minute
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn limits_per_key_and_minute() {
        let l = Limiter::new(2);
        let t = datetime!(2026-11-23 10:00:10 UTC);
        assert!(l.allow("a", t));
        assert!(l.allow("a", t));
        assert!(!l.allow("a", t));
        assert!(l.allow("b", t));
        assert!(l.allow("a", datetime!(2026-11-23 10:01:00 UTC)));
    }
}
