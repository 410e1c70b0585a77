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
