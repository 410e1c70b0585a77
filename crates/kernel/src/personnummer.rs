//! Swedish personal identity numbers (*personnummer*) and coordination numbers
//! (*samordningsnummer*).
//!
//! The rules come from Skatteverket's brochure SKV 704 *Personnummer*,
//! 18 § folkbokföringslagen (1991:481, FOL) and, for coordination numbers,
//! 18 a § FOL:
//!
//! * A number is written `YYMMDD-NNNC`: the birth date, a three-digit birth
//!   number (*födelsenummer*, 001–999, odd for men and even for women) and a
//!   check digit computed with the Luhn (modulus 10) algorithm over the nine
//!   digits before it.
//! * A coordination number has 60 added to the day of birth.
//! * The `-` becomes `+` from the year the person turns 100, which keeps the
//!   two-digit year unambiguous (18 § second paragraph FOL).
//! * Registers store twelve digits, `YYYYMMDD-NNNC`, where the century is 18,
//!   19 or 20 (18 § fourth paragraph FOL). That is the canonical form here: it
//!   is what [`Display`](fmt::Display), [`FromStr`] and serde use, because it
//!   can be read back without knowing today's date.
//!
//! Nothing in here reads the clock: whatever needs "today" takes it as a
//! parameter.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month};

/// Earliest birth year of a 12-digit number: the stored century is 18, 19 or
/// 20 (Skatteverket, rättslig vägledning on 18 § FOL). Rejecting other
/// centuries catches typos there, which the check digit does not cover.
const MIN_YEAR: i32 = 1800;
/// Latest birth year of a 12-digit number (century 20).
const MAX_YEAR: i32 = 2099;

/// Added to the day of birth in a coordination number (18 a § FOL).
const COORDINATION_DAY_OFFSET: u8 = 60;

/// Which of the two kinds of number it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NumberKind {
    /// A personnummer, given to everyone who is or has been *folkbokförd*.
    Personnummer,
    /// A samordningsnummer, given to people who are not folkbokförda; its day
    /// of birth is written plus 60.
    Samordningsnummer,
}

/// Why a string is not a valid personnummer or samordningsnummer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PersonnummerError {
    #[error("the personal identity number is empty")]
    Empty,
    #[error("a personal identity number is written YYYYMMDD-NNNC or YYMMDD-NNNC")]
    Format,
    #[error("the personal identity number does not contain a valid birth date")]
    InvalidDate,
    #[error("the birth date in the personal identity number is in the future")]
    FutureDate,
    #[error("the birth number (the three digits after the date) must be 001 to 999")]
    InvalidSerial,
    #[error("the check digit of the personal identity number is wrong")]
    Checksum,
}

/// A validated Swedish personnummer or samordningsnummer.
///
/// It keeps the full birth date, so it always knows its century; the short
/// 10-digit form is only produced on request, relative to a given date
/// ([`Personnummer::ten_digit`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Personnummer {
    /// The real birth date (for a samordningsnummer: without the +60).
    birth_date: Date,
    /// The birth number (födelsenummer), 1..=999.
    serial: u16,
    /// The Luhn check digit, 0..=9.
    check: u8,
    kind: NumberKind,
}

/// Age in whole years on `date` of someone born on `born`. Someone born on 29 February turns a
/// year older on 1 March in common years. Negative if `date` is before `born`.
pub fn age_on(born: Date, date: Date) -> i32 {
    let had_birthday = (u8::from(date.month()), date.day()) >= (u8::from(born.month()), born.day());
    date.year() - born.year() - i32::from(!had_birthday)
}

impl Personnummer {
    /// Parses any of the written forms, relative to `today`:
    ///
    /// * `YYYYMMDD-NNNC` and `YYYYMMDDNNNC` carry their own century;
    /// * `YYMMDD-NNNC` and `YYMMDDNNNC` are someone who turns at most 99 this
    ///   year: the latest matching birth date that is not after `today`;
    /// * `YYMMDD+NNNC` is someone who turns 100 or more this year.
    ///
    /// Surrounding whitespace is ignored. The birth date must be a real date
    /// (day minus 60 for a samordningsnummer), not after `today`, the birth
    /// number not 000 and the check digit right.
    pub fn parse(input: &str, today: Date) -> Result<Self, PersonnummerError> {
        let fields = Fields::split(input)?;
        let year = match fields.century {
            Some(century) => i32::from(century) * 100 + i32::from(fields.yy()),
            None => infer_year(&fields, today),
        };
        Self::validate(&fields, year, Some(today))
    }

    /// Parses only the 12-digit forms, `YYYYMMDD-NNNC` or `YYYYMMDDNNNC`.
    ///
    /// Without a "today" the short forms cannot be given a century and a
    /// future birth date cannot be told apart, so this only checks the date,
    /// the birth number and the check digit. It is what [`FromStr`] and
    /// deserialization use: stored values were checked against the date when
    /// they were first parsed.
    pub fn parse_canonical(input: &str) -> Result<Self, PersonnummerError> {
        let fields = Fields::split(input)?;
        let Some(century) = fields.century else {
            return Err(PersonnummerError::Format);
        };
        let year = i32::from(century) * 100 + i32::from(fields.yy());
        Self::validate(&fields, year, None)
    }

    /// Builds a number from its parts and computes its check digit.
    ///
    /// Fails with [`PersonnummerError::InvalidDate`] if the birth year is
    /// outside 1800–2099 and with [`PersonnummerError::InvalidSerial`] if
    /// `serial` is not 1..=999. There is no "today" here, so a future birth
    /// date is not rejected.
    pub fn from_parts(birth_date: Date, serial: u16, kind: NumberKind) -> Result<Self, PersonnummerError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&birth_date.year()) {
            return Err(PersonnummerError::InvalidDate);
        }
        if !(1..=999).contains(&serial) {
            return Err(PersonnummerError::InvalidSerial);
        }
        let mut pnr = Self { birth_date, serial, check: 0, kind };
        let digits = pnr.digits();
        pnr.check = luhn_digit(&digits[..9]);
        Ok(pnr)
    }

    /// Checks the split-out fields once the full birth year is known.
    fn validate(fields: &Fields, year: i32, today: Option<Date>) -> Result<Self, PersonnummerError> {
        let (kind, day) = fields.kind_and_day();
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(PersonnummerError::InvalidDate);
        }
        let month = Month::try_from(fields.month()).map_err(|_| PersonnummerError::InvalidDate)?;
        let birth_date = Date::from_calendar_date(year, month, day).map_err(|_| PersonnummerError::InvalidDate)?;
        let serial = fields.serial();
        if serial == 0 {
            return Err(PersonnummerError::InvalidSerial);
        }
        // The check digit covers the ten digits as written (with the +60 of a
        // samordningsnummer), never the century.
        let check = fields.digits[9];
        if luhn_digit(&fields.digits[..9]) != check {
            return Err(PersonnummerError::Checksum);
        }
        if today.is_some_and(|today| birth_date > today) {
            return Err(PersonnummerError::FutureDate);
        }
        Ok(Self { birth_date, serial, check, kind })
    }

    /// Whether this is a personnummer or a samordningsnummer.
    pub fn kind(&self) -> NumberKind {
        self.kind
    }

    /// True for a samordningsnummer (coordination number, day + 60).
    pub fn is_coordination_number(&self) -> bool {
        self.kind == NumberKind::Samordningsnummer
    }

    /// The real birth date (for a samordningsnummer, without the +60).
    pub fn birth_date(&self) -> Date {
        self.birth_date
    }

    /// The three-digit birth number (födelsenummer), 1..=999.
    pub fn serial(&self) -> u16 {
        self.serial
    }

    /// The Luhn check digit.
    pub fn check_digit(&self) -> u8 {
        self.check
    }

    /// True if the gender digit (the second to last) is even, which SKV 704
    /// assigns to women. It records the gender at assignment; people whose
    /// legal gender changes get a new number.
    pub fn is_female(&self) -> bool {
        self.serial.is_multiple_of(2)
    }

    /// Age in whole years on `date`. Someone born on 29 February turns a year
    /// older on 1 March in common years. Negative if `date` is before the
    /// birth date.
    pub fn age_on(&self, date: Date) -> i32 {
        age_on(self.birth_date, date)
    }

    /// The 10-digit form as written on documents, `YYMMDD-NNNC`, or
    /// `YYMMDD+NNNC` from the start of the year in which the person turns 100
    /// (18 § second paragraph FOL: "det år en person fyller 100 år").
    ///
    /// [`Personnummer::parse`] with the same `today` reads it back to an equal
    /// value, as long as the person turns less than 200 this year.
    pub fn ten_digit(&self, today: Date) -> String {
        let sep = if today.year() - self.birth_date.year() >= 100 { '+' } else { '-' };
        let d = self.digits();
        let mut s = String::with_capacity(11);
        for (i, digit) in d.iter().enumerate() {
            if i == 6 {
                s.push(sep);
            }
            s.push(char::from(b'0' + digit));
        }
        s
    }

    /// The canonical form with the birth number and check digit hidden,
    /// `YYYYMMDD-****`, for logs and lists where the full number is not needed.
    pub fn masked(&self) -> String {
        format!("{:04}{:02}{:02}-****", self.birth_date.year(), u8::from(self.birth_date.month()), self.written_day())
    }

    /// The day of the month as written: plus 60 for a samordningsnummer.
    fn written_day(&self) -> u8 {
        match self.kind {
            NumberKind::Personnummer => self.birth_date.day(),
            NumberKind::Samordningsnummer => self.birth_date.day() + COORDINATION_DAY_OFFSET,
        }
    }

    /// The ten digits as written, without century: `YYMMDDNNNC`.
    fn digits(&self) -> [u8; 10] {
        // Years are 1800..=2099, so the two-digit year is never negative.
        let yy = self.birth_date.year().rem_euclid(100) as u8;
        let mm = u8::from(self.birth_date.month());
        let dd = self.written_day();
        let nnn = self.serial;
        [yy / 10, yy % 10, mm / 10, mm % 10, dd / 10, dd % 10, (nnn / 100) as u8, (nnn / 10 % 10) as u8, (nnn % 10) as u8, self.check]
    }
}

/// The canonical 12-digit form, `YYYYMMDD-NNNC`.
impl fmt::Display for Personnummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}{:02}{:02}-{:03}{}",
            self.birth_date.year(),
            u8::from(self.birth_date.month()),
            self.written_day(),
            self.serial,
            self.check
        )
    }
}

/// Parses the 12-digit forms only; see [`Personnummer::parse_canonical`].
impl FromStr for Personnummer {
    type Err = PersonnummerError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_canonical(s)
    }
}

/// Serialized as the canonical string `YYYYMMDD-NNNC`.
impl Serialize for Personnummer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Accepts the 12-digit forms; see [`Personnummer::parse_canonical`].
impl<'de> Deserialize<'de> for Personnummer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PnrVisitor;

        impl Visitor<'_> for PnrVisitor {
            type Value = Personnummer;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a 12-digit personnummer, YYYYMMDD-NNNC")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Personnummer, E> {
                Personnummer::parse_canonical(v).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(PnrVisitor)
    }
}

/// The digits of a written number, split from its separator but not yet
/// checked for meaning.
struct Fields {
    /// The first two digits of a 12-digit form.
    century: Option<u8>,
    /// `YYMMDDNNNC`, each 0..=9.
    digits: [u8; 10],
    /// Whether the separator was `+` (only allowed in the 10-digit form).
    plus: bool,
}

impl Fields {
    /// Splits the four accepted layouts: 8+4 or 6+4 digits, with or without a
    /// separator between them.
    fn split(input: &str) -> Result<Self, PersonnummerError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(PersonnummerError::Empty);
        }
        // Working on bytes is safe: any non-ASCII byte fails the digit test.
        let bytes = s.as_bytes();
        let (head, sep, tail) = match bytes.len() {
            13 => (&bytes[..8], Some(bytes[8]), &bytes[9..]),
            12 => (&bytes[..8], None, &bytes[8..]),
            11 => (&bytes[..6], Some(bytes[6]), &bytes[7..]),
            10 => (&bytes[..6], None, &bytes[6..]),
            _ => return Err(PersonnummerError::Format),
        };
        let plus = match sep {
            None | Some(b'-') => false,
            // `+` says the person is 100 or older; with a written century it
            // would be redundant at best, contradictory at worst.
            Some(b'+') if head.len() == 6 => true,
            Some(_) => return Err(PersonnummerError::Format),
        };
        if !head.iter().chain(tail).all(u8::is_ascii_digit) {
            return Err(PersonnummerError::Format);
        }
        let (century, short_head) = match head {
            [c1, c2, rest @ ..] if head.len() == 8 => (Some((c1 - b'0') * 10 + (c2 - b'0')), rest),
            _ => (None, head),
        };
        let mut digits = [0u8; 10];
        for (slot, byte) in digits.iter_mut().zip(short_head.iter().chain(tail)) {
            *slot = byte - b'0';
        }
        Ok(Self { century, digits, plus })
    }

    fn pair(&self, at: usize) -> u8 {
        self.digits[at] * 10 + self.digits[at + 1]
    }

    fn yy(&self) -> u8 {
        self.pair(0)
    }

    fn month(&self) -> u8 {
        self.pair(2)
    }

    /// The kind, and the real day of the month (0 if it cannot be one).
    fn kind_and_day(&self) -> (NumberKind, u8) {
        let written = self.pair(4);
        // Day 60 would be a coordination number for day 0; as a plain day it
        // is just as invalid, so either reading fails the date check.
        if written > COORDINATION_DAY_OFFSET {
            (NumberKind::Samordningsnummer, written - COORDINATION_DAY_OFFSET)
        } else {
            (NumberKind::Personnummer, written)
        }
    }

    fn serial(&self) -> u16 {
        u16::from(self.digits[6]) * 100 + u16::from(self.digits[7]) * 10 + u16::from(self.digits[8])
    }
}

/// Picks the birth year of a 10-digit number (SKV 704, 18 § FOL).
///
/// * `+` is used from the start of the year in which the person turns 100, so
///   the year is the latest one ending in `YY` that is at least 100 years
///   before `today`'s year.
/// * `-` (or no separator) means the person turns at most 99 this year. We
///   take the latest birth date with these digits that is not after `today`.
///   That is the year Skatteverket's rule gives whenever that rule gives a
///   date in the past, and it also accepts the common slip of keeping the
///   `-` for someone who turns 100 later this year.
///
/// The month and day are only compared here; whether they form a real date
/// is checked afterwards, once the year is known (29 February depends on it).
fn infer_year(fields: &Fields, today: Date) -> i32 {
    let yy = i32::from(fields.yy());
    let latest_ending_in_yy = |max: i32| max - (max - yy).rem_euclid(100);
    if fields.plus {
        return latest_ending_in_yy(today.year() - 100);
    }
    let year = latest_ending_in_yy(today.year());
    let (_, day) = fields.kind_and_day();
    let after_today = (fields.month(), day) > (u8::from(today.month()), today.day());
    if year == today.year() && after_today { year - 100 } else { year }
}

/// The Luhn (modulus 10) check digit of `digits` (values 0..=9, most
/// significant first). SKV 704 describes it for personnummer and Skatteverket
/// / Bolagsverket use the same for organisationsnummer: from the rightmost
/// digit leftwards the weights are 2, 1, 2, 1, …; the digit sums of the
/// products are added, and the check digit is what brings the total up to a
/// multiple of ten.
pub(crate) fn luhn_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let product = u32::from(d) * if i % 2 == 0 { 2 } else { 1 };
            product / 10 + product % 10
        })
        .sum();
    // `sum % 10` is at most 9, so the result fits in a digit.
    ((10 - sum % 10) % 10) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as ValueError, StrDeserializer};
    use time::macros::date;

    type E = PersonnummerError;

    const TODAY: Date = date!(2026 - 11 - 23);

    fn parse(s: &str) -> Result<Personnummer, E> {
        Personnummer::parse(s, TODAY)
    }

    fn birth(s: &str) -> Option<Date> {
        parse(s).ok().map(|p| p.birth_date())
    }

    #[test]
    fn luhn_matches_known_values() {
        // Commonly used example numbers 811218-9876 and 640823-3234, and the
        // classic Luhn test number 79927398713.
        assert_eq!(luhn_digit(&[8, 1, 1, 2, 1, 8, 9, 8, 7]), 6);
        assert_eq!(luhn_digit(&[6, 4, 0, 8, 2, 3, 3, 2, 3]), 4);
        assert_eq!(luhn_digit(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1]), 3);
        assert_eq!(luhn_digit(&[]), 0);
    }

    #[test]
    fn parses_all_written_forms() {
        let expected = Personnummer::from_parts(date!(1981 - 12 - 18), 987, NumberKind::Personnummer);
        assert_eq!(expected.map(|p| p.check_digit()), Ok(6));
        for s in ["19811218-9876", "198112189876", "811218-9876", "8112189876", "  811218-9876\n"] {
            assert_eq!(parse(s), expected, "{s}");
        }
        let Ok(p) = parse("19811218-9876") else { panic!("valid number rejected") };
        assert_eq!(p.birth_date(), date!(1981 - 12 - 18));
        assert_eq!(p.serial(), 987);
        assert!(!p.is_coordination_number());
        assert!(!p.is_female());
        assert_eq!(p.to_string(), "19811218-9876");
        assert_eq!(p.ten_digit(TODAY), "811218-9876");
        assert_eq!(p.masked(), "19811218-****");
        assert_eq!(parse("19811218-9868").map(|p| p.is_female()), Ok(true));
    }

    #[test]
    fn plus_means_a_hundred_or_older() {
        assert_eq!(birth("121212+1212"), Some(date!(1912 - 12 - 12)));
        assert_eq!(birth("121212-1212"), Some(date!(2012 - 12 - 12)));
        assert_eq!(birth("1212121212"), Some(date!(2012 - 12 - 12)));
        let Ok(p) = parse("19121212-1212") else { panic!("valid number rejected") };
        assert_eq!(p.ten_digit(TODAY), "121212+1212");
    }

    #[test]
    fn century_follows_the_year_someone_turns_100() {
        // Born today.
        assert_eq!(birth("261123-9878"), Some(date!(2026 - 11 - 23)));
        // Tomorrow's date with `-` is someone turning 100 tomorrow.
        assert_eq!(birth("261124-9877"), Some(date!(1926 - 11 - 24)));
        // 18 § FOL: `+` from the start of the year they turn 100, so the
        // same person is also written with `+` already...
        assert_eq!(birth("261124+9877"), Some(date!(1926 - 11 - 24)));
        assert_eq!(birth("261122+9879"), Some(date!(1926 - 11 - 22)));
        // ...and that is how we write them.
        let Ok(p) = parse("19261124-9877") else { panic!("valid number rejected") };
        assert_eq!(p.age_on(TODAY), 99);
        assert_eq!(p.ten_digit(TODAY), "261124+9877");
        // Someone turning 100 next year still has `-`.
        assert_eq!(birth("271124-9876"), Some(date!(1927 - 11 - 24)));
        assert_eq!(birth("271124+9876"), Some(date!(1827 - 11 - 24)));
        // 29 February: the century decides whether the date exists.
        assert_eq!(birth("000229-1235"), Some(date!(2000 - 02 - 29)));
        assert_eq!(parse("000229+1235"), Err(E::InvalidDate));
    }

    #[test]
    fn samordningsnummer_adds_60_to_the_day() {
        let Ok(p) = parse("19811278-9873") else { panic!("valid number rejected") };
        assert!(p.is_coordination_number());
        assert_eq!(p.kind(), NumberKind::Samordningsnummer);
        assert_eq!(p.birth_date(), date!(1981 - 12 - 18));
        assert_eq!(p.to_string(), "19811278-9873");
        assert_eq!(p.ten_digit(TODAY), "811278-9873");
        assert_eq!(p.masked(), "19811278-****");
        assert_eq!(parse("811278-9873"), Ok(p));
        assert_ne!(parse("19811218-9876").ok(), Some(p));
        // Day 60 is day 0.
        assert_eq!(parse("19811260-9873"), Err(E::InvalidDate));
    }

    #[test]
    fn rejects_bad_input() {
        assert_eq!(parse(""), Err(E::Empty));
        assert_eq!(parse(" \t"), Err(E::Empty));
        for s in [
            "19811218-987X",
            "1981121-89876",
            "19811218+9876",
            "19811218 9876",
            "811218 9876",
            "19811218-98761",
            "811218-987",
            "81121898766",
            "+8112189876",
            "811218--9876",
            "abcdefghij",
            "٨١١٢١٨-٩٨٧٦",
        ] {
            assert_eq!(parse(s), Err(E::Format), "{s}");
        }
        assert_eq!(parse("19811218-9875"), Err(E::Checksum));
        assert_eq!(parse("19811218-9867"), Err(E::Checksum));
        // Luhn is right, the date is not.
        assert_eq!(parse("19810230-9872"), Err(E::InvalidDate));
        assert_eq!(parse("19000229-1235"), Err(E::InvalidDate));
        // The century is not covered by the check digit, so it is checked
        // against Skatteverket's 18, 19 and 20.
        assert_eq!(parse("17811218-9876"), Err(E::InvalidDate));
        assert_eq!(parse("21811218-9876"), Err(E::InvalidDate));
        assert_eq!(parse("20261124-9877"), Err(E::FutureDate));
        assert_eq!(parse("19811218-0008"), Err(E::InvalidSerial));
    }

    #[test]
    fn canonical_parsing_needs_the_century() {
        assert_eq!(Personnummer::parse_canonical("198112189876"), parse("19811218-9876"));
        assert_eq!(Personnummer::parse_canonical("811218-9876"), Err(E::Format));
        assert_eq!("19811218-9876".parse::<Personnummer>(), parse("811218-9876"));
        // No today, so no future check.
        assert!(Personnummer::parse_canonical("20261124-9877").is_ok());
    }

    #[test]
    fn age_counts_whole_years() {
        let Ok(p) = parse("19811218-9876") else { panic!("valid number rejected") };
        assert_eq!(p.age_on(date!(2026 - 12 - 17)), 44);
        assert_eq!(p.age_on(date!(2026 - 12 - 18)), 45);
        assert_eq!(p.age_on(date!(1981 - 12 - 18)), 0);
        let Ok(leap) = parse("20000229-1235") else { panic!("valid number rejected") };
        assert_eq!(leap.age_on(date!(2001 - 02 - 28)), 0);
        assert_eq!(leap.age_on(date!(2001 - 03 - 01)), 1);
        assert_eq!(leap.age_on(date!(2004 - 02 - 29)), 4);
    }

    #[test]
    fn deserializes_the_canonical_form_only() {
        let de: StrDeserializer<'_, ValueError> = "19811218-9876".into_deserializer();
        assert_eq!(Personnummer::deserialize(de).ok(), parse("19811218-9876").ok());
        let de: StrDeserializer<'_, ValueError> = "811218-9876".into_deserializer();
        assert!(Personnummer::deserialize(de).is_err());
    }

    /// SKV 704's description of the check digit, written out independently of
    /// `luhn_digit`: weights 2, 1, 2, … from the left over nine digits.
    fn skv_check_digit(nine: &str) -> u32 {
        let sum: u32 =
            nine.chars().filter_map(|c| c.to_digit(10)).zip([2, 1].into_iter().cycle()).map(|(d, w)| (d * w) / 10 + (d * w) % 10).sum();
        (10 - sum % 10) % 10
    }

    /// A valid number as its canonical string, the date it is parsed on, and
    /// its expected birth date, birth number and kind.
    fn valid_case() -> impl Strategy<Value = (String, Date, Date, u16, bool)> {
        let first_today = date!(2000 - 01 - 01).to_julian_day();
        let last_today = date!(2099 - 12 - 31).to_julian_day();
        let first_birth = date!(1900 - 01 - 01).to_julian_day();
        (first_today..=last_today).prop_flat_map(move |t| (Just(t), first_birth..=t, 1u16..=999, any::<bool>())).prop_filter_map(
            "julian day out of range",
            |(t, b, serial, coord)| {
                let today = Date::from_julian_day(t).ok()?;
                let born = Date::from_julian_day(b).ok()?;
                let day = born.day() + if coord { 60 } else { 0 };
                let ymd = format!("{:04}{:02}{:02}", born.year(), u8::from(born.month()), day);
                let nine = format!("{}{serial:03}", &ymd[2..]);
                let check = skv_check_digit(&nine);
                let canonical = format!("{ymd}-{serial:03}{check}");
                Some((canonical, today, born, serial, coord))
            },
        )
    }

    /// Any date `time` can represent, to shake out overflow in the century
    /// arithmetic.
    fn any_date() -> impl Strategy<Value = Date> {
        (Date::MIN.to_julian_day()..=Date::MAX.to_julian_day())
            .prop_filter_map("julian day out of range", |d| Date::from_julian_day(d).ok())
    }

    proptest! {
        #[test]
        fn valid_numbers_round_trip((canonical, today, born, serial, coord) in valid_case()) {
            let p = Personnummer::parse(&canonical, today);
            let Ok(p) = p else {
                return Err(TestCaseError::fail(format!("{canonical} rejected: {p:?}")));
            };
            prop_assert_eq!(p.birth_date(), born);
            prop_assert_eq!(p.serial(), serial);
            prop_assert_eq!(p.is_coordination_number(), coord);
            prop_assert_eq!(p.to_string(), canonical.clone());
            prop_assert_eq!(Personnummer::parse(&canonical.replace('-', ""), today), Ok(p));
            prop_assert_eq!(Personnummer::parse(&p.ten_digit(today), today), Ok(p));
            prop_assert_eq!(Personnummer::parse_canonical(&canonical), Ok(p));
        }

        #[test]
        fn a_changed_digit_is_caught(
            (canonical, today, ..) in valid_case(),
            // Every digit position of `YYYYMMDD-NNNC`, and a change of 1..=9.
            at in prop::sample::select(vec![0usize, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]),
            by in 1u8..=9,
        ) {
            let mut bytes = canonical.clone().into_bytes();
            bytes[at] = b'0' + (bytes[at] - b'0' + by) % 10;
            let changed = String::from_utf8_lossy(&bytes).into_owned();
            let original = Personnummer::parse(&canonical, today);
            let result = Personnummer::parse(&changed, today);
            if at >= 2 {
                // Luhn catches every single-digit change it covers.
                prop_assert!(result.is_err(), "{} accepted", changed);
            } else {
                // The century is outside the check digit: it may parse, but
                // never to the same person.
                prop_assert_ne!(result, original);
            }
        }

        #[test]
        fn never_panics_on_any_string(s in ".*", today in any_date()) {
            let _ = Personnummer::parse(&s, today);
            let _ = Personnummer::parse_canonical(&s);
        }

        #[test]
        fn never_panics_on_number_like_strings(s in "[0-9+-]{0,14}", today in any_date()) {
            let _ = Personnummer::parse(&s, today);
            let _ = Personnummer::parse_canonical(&s);
        }

        #[test]
        fn whatever_is_accepted_reads_back_the_same(
            // Mostly real months and days, so that about one in ten passes Luhn.
            s in "([0-9]{2})?[0-9]{2}(0[1-9]|1[0-2])([0-2][0-9]|[6-8][0-9])[-+]?[0-9]{4}",
            today in (date!(1990 - 01 - 01).to_julian_day()..=date!(2099 - 12 - 31).to_julian_day())
                .prop_filter_map("julian day out of range", |d| Date::from_julian_day(d).ok()),
        ) {
            if let Ok(p) = Personnummer::parse(&s, today) {
                prop_assert!(p.birth_date() <= today);
                prop_assert_eq!(Personnummer::parse_canonical(&p.to_string()), Ok(p));
                // Two digits and a `+` cannot tell 100 from 200 years.
                if today.year() - p.birth_date().year() < 200 {
                    prop_assert_eq!(Personnummer::parse(&p.ten_digit(today), today), Ok(p));
                }
            }
        }
    }
}
