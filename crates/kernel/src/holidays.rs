//! Swedish public holidays (allmänna helgdagar, lag 1989:253) and the rule for statutory time
//! limits (lag 1930:173 om beräkning av lagstadgad tid): a period whose last day falls on a
//! Saturday, a Sunday, a public holiday, midsommarafton, julafton or nyårsafton ends on the
//! next weekday instead.
//!
//! No maintained Rust crate covers the Swedish calendar, so it is computed here: fixed days,
//! the days that follow Easter (Gauss's computus as given by Meeus for the Gregorian
//! calendar), and the two holidays that fall on a Saturday in a window (midsommardagen, alla
//! helgons dag).

use time::{Date, Duration, Month, Weekday};

/// Easter Sunday of `year` (Gregorian calendar; the anonymous algorithm in Meeus, *Astronomical
/// Algorithms*, ch. 8).
pub fn easter(year: i32) -> Date {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    let month = if month == 3 { Month::March } else { Month::April };
    // Values from the algorithm are always a valid day of March or April.
    Date::from_calendar_date(year, month, day as u8).unwrap_or(Date::MIN)
}

/// The Saturday in `month` between `first` and `first + 6` (midsommardagen: 20–26 June; alla
/// helgons dag: 31 October–6 November, given as the Saturday on or after 31 October).
fn saturday_from(year: i32, month: Month, first: u8) -> Date {
    let start = Date::from_calendar_date(year, month, first).unwrap_or(Date::MIN);
    let ahead = (7 + Weekday::Saturday.number_days_from_monday() as i64 - start.weekday().number_days_from_monday() as i64) % 7;
    start + Duration::days(ahead)
}

/// The public holidays (allmänna helgdagar) of `year` with their Swedish names, in date order.
/// Sundays are holidays too (lag 1989:253 1 §) and are not listed.
pub fn public_holidays(year: i32) -> Vec<(Date, &'static str)> {
    let fixed = |m: Month, d: u8| Date::from_calendar_date(year, m, d).unwrap_or(Date::MIN);
    let e = easter(year);
    let mut days = vec![
        (fixed(Month::January, 1), "nyårsdagen"),
        (fixed(Month::January, 6), "trettondedag jul"),
        (e - Duration::days(2), "långfredagen"),
        (e, "påskdagen"),
        (e + Duration::days(1), "annandag påsk"),
        (e + Duration::days(39), "Kristi himmelsfärdsdag"),
        (fixed(Month::May, 1), "första maj"),
        (e + Duration::days(49), "pingstdagen"),
        (fixed(Month::June, 6), "Sveriges nationaldag"),
        (saturday_from(year, Month::June, 20), "midsommardagen"),
        (saturday_from(year, Month::October, 31), "alla helgons dag"),
        (fixed(Month::December, 25), "juldagen"),
        (fixed(Month::December, 26), "annandag jul"),
    ];
    days.sort();
    days
}

/// Whether `d` is a public holiday (a Sunday or one of [`public_holidays`]).
pub fn is_public_holiday(d: Date) -> bool {
    d.weekday() == Weekday::Sunday || public_holidays(d.year()).iter().any(|(h, _)| *h == d)
}

/// Whether a statutory period may not end on `d` (lag 1930:173 2 §): a Saturday, a Sunday, a
/// public holiday, midsommarafton, julafton or nyårsafton.
pub fn closes_no_period(d: Date) -> bool {
    let eve = |m: Month, day: u8| d.month() == m && d.day() == day;
    d.weekday() == Weekday::Saturday
        || is_public_holiday(d)
        || eve(Month::December, 24)
        || eve(Month::December, 31)
        || d + Duration::days(1) == saturday_from(d.year(), Month::June, 20)
}

/// The last day of a statutory period that would end on `d`: `d` itself, or the next day a
/// period may end on.
pub fn period_end(d: Date) -> Date {
    let mut day = d;
    while closes_no_period(day) {
        day += Duration::days(1);
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn easter_of_known_years() {
        assert_eq!(easter(2024), date!(2024 - 03 - 31));
        assert_eq!(easter(2025), date!(2025 - 04 - 20));
        assert_eq!(easter(2026), date!(2026 - 04 - 05));
        assert_eq!(easter(2027), date!(2027 - 03 - 28));
        assert_eq!(easter(2038), date!(2038 - 04 - 25));
        assert_eq!(easter(2285), date!(2285 - 03 - 22));
    }

    #[test]
    fn the_holidays_of_2026() {
        let days: Vec<Date> = public_holidays(2026).into_iter().map(|(d, _)| d).collect();
        assert_eq!(
            days,
            [
                date!(2026 - 01 - 01),
                date!(2026 - 01 - 06),
                date!(2026 - 04 - 03),
                date!(2026 - 04 - 05),
                date!(2026 - 04 - 06),
                date!(2026 - 05 - 01),
                date!(2026 - 05 - 14),
                date!(2026 - 05 - 24),
                date!(2026 - 06 - 06),
                date!(2026 - 06 - 20),
                date!(2026 - 10 - 31),
                date!(2026 - 12 - 25),
                date!(2026 - 12 - 26),
            ]
        );
        // Midsommardagen and alla helgons dag are Saturdays in their windows.
        assert_eq!(public_holidays(2027).iter().find(|(_, n)| *n == "midsommardagen").map(|(d, _)| *d), Some(date!(2027 - 06 - 26)));
        assert_eq!(public_holidays(2025).iter().find(|(_, n)| *n == "alla helgons dag").map(|(d, _)| *d), Some(date!(2025 - 11 - 01)));
    }

    #[test]
    fn a_period_ending_on_a_weekend_or_holiday_moves_to_the_next_weekday() {
        // A Wednesday stays.
        assert_eq!(period_end(date!(2026 - 12 - 23)), date!(2026 - 12 - 23));
        // Julafton (Thu), juldagen, annandag jul (Sat), Sunday: Monday 28 December.
        assert_eq!(period_end(date!(2026 - 12 - 24)), date!(2026 - 12 - 28));
        // Saturday and Sunday: Monday.
        assert_eq!(period_end(date!(2026 - 03 - 07)), date!(2026 - 03 - 09));
        // Långfredagen to annandag påsk: Tuesday after Easter.
        assert_eq!(period_end(date!(2026 - 04 - 03)), date!(2026 - 04 - 07));
        // Midsommarafton (Friday 19 June 2026): Monday 22 June.
        assert_eq!(period_end(date!(2026 - 06 - 19)), date!(2026 - 06 - 22));
        // Nyårsafton and nyårsdagen: Monday 4 January 2027 (2 and 3 January are a weekend).
        assert_eq!(period_end(date!(2026 - 12 - 31)), date!(2027 - 01 - 04));
        // Kristi himmelsfärdsdag (Thursday): Friday.
        assert_eq!(period_end(date!(2026 - 05 - 14)), date!(2026 - 05 - 15));
    }
}
