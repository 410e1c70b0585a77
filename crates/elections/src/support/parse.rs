//! Form fields every area reads the same way: dates (`2026-09-13`), times (`08:00`) and
//! coordinates (with `.` or `,`), each answering the field's own error message.

use radhus_platform::error::{Error, Result};
use time::{Date, Time};

pub fn parse_date(field: &str, s: &str) -> Result<Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), &fmt).map_err(|_| Error::invalid(field, "el-bad-date"))
}

pub fn parse_opt_date(field: &str, s: &str) -> Result<Option<Date>> {
    if s.trim().is_empty() { Ok(None) } else { parse_date(field, s).map(Some) }
}

pub fn parse_time(field: &str, s: &str) -> Result<Time> {
    let s = s.trim();
    let fmt = time::macros::format_description!("[hour]:[minute]");
    Time::parse(s, &fmt)
        .or_else(|_| Time::parse(s, time::macros::format_description!("[hour]:[minute]:[second]")))
        .map_err(|_| Error::invalid(field, "el-bad-time"))
}

pub fn parse_coord(field: &str, s: &str, min: f64, max: f64) -> Result<f64> {
    let v: f64 = s.trim().replace(',', ".").parse().map_err(|_| Error::invalid(field, "el-bad-coord"))?;
    if !(min..=max).contains(&v) {
        return Err(Error::invalid(field, "el-bad-coord"));
    }
    Ok(v)
}

/// An e-mail address as a person types it: one `@`, a dotted domain, no spaces or list
/// separators, at most 254 characters.
pub fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c == '<' || c == '>' || c == ',' || c == ';')
        && !domain.contains('@')
        && s.len() <= 254
}

/// A phone number: digits, spaces, `+`, `-` and brackets, 7 to 15 digits.
pub fn valid_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    s.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) && (7..=15).contains(&digits)
}
