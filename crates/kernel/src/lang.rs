//! UI language: Swedish first, English second.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Sv,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Sv, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    /// Accepts `sv`, `en` and tags such as `en-GB`; anything else is `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        let primary = s.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "sv" => Some(Lang::Sv),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the first supported language of an `Accept-Language` header.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        header.split(',').filter_map(|part| part.split(';').next()).find_map(Lang::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tags_and_accept_language() {
        assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
        assert_eq!(Lang::parse("fi"), None);
        assert_eq!(Lang::from_accept_language("fi, en;q=0.8, sv;q=0.5"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("de"), None);
    }
}

/// The Swedish month names, January first.
pub const MONTHS_SV: [&str; 12] =
    ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"];

/// The Swedish name of a date's month ("mars").
pub fn month_sv(d: time::Date) -> &'static str {
    MONTHS_SV[usize::from(u8::from(d.month())) - 1]
}

/// "2 mars 2026": the date as Swedish letters and pages write it.
pub fn swedish_date(d: time::Date) -> String {
    format!("{} {} {}", d.day(), month_sv(d), d.year())
}

/// "2 mars 2026 14:05": an instant as Swedish local time (Europe/Stockholm) in words.
pub fn swedish_time(at: time::OffsetDateTime) -> String {
    let l = crate::tz::stockholm(at);
    format!("{} {:02}:{:02}", swedish_date(l.date()), l.hour(), l.minute())
}

#[cfg(test)]
mod swedish_date_tests {
    use super::swedish_date;

    #[test]
    fn swedish_dates() {
        assert_eq!(swedish_date(time::macros::date!(2026 - 03 - 02)), "2 mars 2026");
        assert_eq!(swedish_date(time::macros::date!(2026 - 12 - 31)), "31 december 2026");
    }

    #[test]
    fn swedish_times_are_local() {
        // 13:05 UTC is 14:05 in winter and 15:05 in summer.
        assert_eq!(super::swedish_time(time::macros::datetime!(2026-03-02 13:05 UTC)), "2 mars 2026 14:05");
        assert_eq!(super::swedish_time(time::macros::datetime!(2026-07-02 13:05 UTC)), "2 juli 2026 15:05");
    }
}
