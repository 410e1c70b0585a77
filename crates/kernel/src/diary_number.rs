//! Swedish municipal diary numbers (*diarienummer*).
//!
//! Offentlighets- och sekretesslagen (2009:400) 5 kap. 2 § asks for a
//! "diarienummer eller annan beteckning" on every registered document, but no
//! law prescribes its form. In practice:
//!
//! * Each registry (*diarium*) has a short code, such as `KS`
//!   (kommunstyrelsen) or `BN` (byggnadsnämnden), and numbers its cases in a
//!   series that restarts every year: `KS 2026/123`.
//! * The documents (*handlingar*) of a case get a running number after a
//!   dash: `KS 2026/123-4`.
//! * Municipalities print the case part differently, e.g. `KS/2026/0123` or
//!   `2026-00123`. [`NumberFormat`] describes one registry's printed form;
//!   [`DiaryNumber`] itself always uses the canonical `KS 2026/123-4`, so
//!   stored numbers do not depend on a setting that may change.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Largest case or record number. Seven digits is far above any real yearly
/// series and keeps every number, zero-padded or not, well inside `u32`.
pub const MAX_SEQ: u32 = 9_999_999;
/// Longest registry code. Codes are abbreviations of a body's name; a longer
/// "code" is a sign that a name or a whole sentence was typed in.
const MAX_CODE_LEN: usize = 10;
/// Years are written with four digits; the range catches typos such as
/// `206` or `20026` while leaving room for old, digitised archives.
const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 2999;
/// Longest accepted format pattern, in characters. Patterns are typed by an
/// administrator; the limit keeps them printable in narrow table columns.
const MAX_PATTERN_CHARS: usize = 40;
/// The canonical form, also the default printed form.
const DEFAULT_PATTERN: &str = "{code} {year}/{seq}";

/// Why a string is not a valid diary number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DiaryNumberError {
    #[error("the diary number is empty")]
    Empty,
    #[error("the diary number is not written in the expected form, such as KS 2026/123 or KS 2026/123-4")]
    Format,
    #[error("the registry code is 1 to 10 letters or digits and starts with a letter")]
    Registry,
    #[error("the year of a diary number is four digits, 1900 to 2999")]
    Year,
    #[error("case and record numbers run from 1 to 9999999")]
    Sequence,
}

/// A case or record number in one registry's yearly series.
///
/// The fields are public for pattern matching and storage mapping; build
/// values from untrusted input with [`DiaryNumber::parse`],
/// [`DiaryNumber::new`] or [`NumberFormat::read`], which validate.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DiaryNumber {
    /// The registry code, upper-case ASCII, e.g. `KS`.
    pub registry: String,
    /// The year of the series, 1900..=2999.
    pub year: i32,
    /// The case number within the registry's series for the year, 1..=[`MAX_SEQ`].
    pub seq: u32,
    /// The running number of a record (handling) in the case, 1..=[`MAX_SEQ`];
    /// `None` for the case itself.
    pub record: Option<u32>,
}

impl DiaryNumber {
    /// Builds a validated number; the registry code is upper-cased.
    pub fn new(registry: &str, year: i32, seq: u32, record: Option<u32>) -> Result<Self, DiaryNumberError> {
        let registry = registry_code(registry)?;
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(DiaryNumberError::Year);
        }
        check_count(seq)?;
        if let Some(record) = record {
            check_count(record)?;
        }
        Ok(Self { registry, year, seq, record })
    }

    /// Parses the canonical form `CODE YYYY/SEQ` or `CODE YYYY/SEQ-REC`.
    ///
    /// Surrounding whitespace is ignored and runs of inner whitespace count
    /// as one space, because numbers are often copied from letters and PDFs.
    /// The code is case-insensitive and leading zeros are allowed in the
    /// numbers, so `ks 2026/0123` is `KS 2026/123`.
    pub fn parse(input: &str) -> Result<Self, DiaryNumberError> {
        let mut tokens = input.split_whitespace();
        let code = tokens.next().ok_or(DiaryNumberError::Empty)?;
        // Exactly two tokens: a missing space (`KS2026/1`) or one too many
        // (`KS 2026/1 -4`) is a format error, not a guess.
        let (Some(number), None) = (tokens.next(), tokens.next()) else {
            return Err(DiaryNumberError::Format);
        };
        let (year, rest) = number.split_once('/').ok_or(DiaryNumberError::Format)?;
        let (seq, record) = match rest.split_once('-') {
            Some((seq, record)) => (seq, Some(record)),
            None => (rest, None),
        };
        Self::from_parts(code, year, seq, record)
    }

    /// The case this number belongs to: the same number without the record.
    pub fn case_number(&self) -> DiaryNumber {
        Self { record: None, ..self.clone() }
    }

    /// Record `record` of this number's case. Not validated, as the fields
    /// are not: the caller hands out record numbers from its own counter,
    /// which starts at 1.
    pub fn with_record(&self, record: u32) -> DiaryNumber {
        Self { record: Some(record), ..self.clone() }
    }

    /// Validates the textual parts found by [`DiaryNumber::parse`] or
    /// [`NumberFormat::read`]. Shape is checked before meaning so that a
    /// garbled number is reported as such rather than as, say, a bad year.
    fn from_parts(code: &str, year: &str, seq: &str, record: Option<&str>) -> Result<Self, DiaryNumberError> {
        if ![year, seq].into_iter().chain(record).all(is_digits) {
            return Err(DiaryNumberError::Format);
        }
        let registry = registry_code(code)?;
        // Four digits exactly: `26` could be 1926 or 2026.
        let year = match year.parse::<i32>() {
            Ok(y) if year.len() == 4 && (MIN_YEAR..=MAX_YEAR).contains(&y) => y,
            _ => return Err(DiaryNumberError::Year),
        };
        let seq = count(seq)?;
        let record = record.map(count).transpose()?;
        Ok(Self { registry, year, seq, record })
    }
}

/// Non-empty and ASCII digits only (`str::parse` would also take a sign).
fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A case or record number from digits; leading zeros are padding, so they
/// are dropped before the length check and cannot overflow the parse.
fn count(digits: &str) -> Result<u32, DiaryNumberError> {
    let significant = digits.trim_start_matches('0');
    if significant.len() > 7 {
        return Err(DiaryNumberError::Sequence);
    }
    // All zeros leaves an empty string, which is the invalid number 0.
    check_count(significant.parse().unwrap_or(0))
}

fn check_count(n: u32) -> Result<u32, DiaryNumberError> {
    if (1..=MAX_SEQ).contains(&n) { Ok(n) } else { Err(DiaryNumberError::Sequence) }
}

/// Validates a registry code and returns it upper-cased. The first character
/// must be a letter so that a code can never be mistaken for a year or a
/// case number.
fn registry_code(code: &str) -> Result<String, DiaryNumberError> {
    let valid = code.len() <= MAX_CODE_LEN
        && code.starts_with(|c: char| c.is_ascii_alphabetic())
        && code.chars().all(|c| c.is_ascii_alphanumeric());
    if valid { Ok(code.to_ascii_uppercase()) } else { Err(DiaryNumberError::Registry) }
}

/// The canonical form, `KS 2026/123` or `KS 2026/123-4`.
impl fmt::Display for DiaryNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}/{}", self.registry, self.year, self.seq)?;
        if let Some(record) = self.record {
            write!(f, "-{record}")?;
        }
        Ok(())
    }
}

/// Same as [`DiaryNumber::parse`].
impl FromStr for DiaryNumber {
    type Err = DiaryNumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Serialized in the canonical form, independent of any registry's format.
impl Serialize for DiaryNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Accepts everything [`DiaryNumber::parse`] does.
impl<'de> Deserialize<'de> for DiaryNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DiaryNumberVisitor;

        impl Visitor<'_> for DiaryNumberVisitor {
            type Value = DiaryNumber;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a diary number, such as KS 2026/123 or KS 2026/123-4")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<DiaryNumber, E> {
                DiaryNumber::parse(v).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(DiaryNumberVisitor)
    }
}

/// Why a string is not a usable number format pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NumberFormatError {
    #[error("the number format is longer than 40 characters")]
    TooLong,
    #[error("a {{ or }} in the number format does not belong to a placeholder")]
    Brace,
    #[error("unknown placeholder in the number format; use {{code}}, {{year}}, {{seq}} or {{seq:N}} with N from 1 to 9")]
    Placeholder,
    #[error("the number format must contain {{year}} exactly once")]
    Year,
    #[error("the number format must contain {{seq}} or {{seq:N}} exactly once")]
    Sequence,
    #[error("the number format may contain {{code}} at most once")]
    Code,
    #[error("the text of a number format must not contain digits")]
    Digit,
    #[error("the number format must not start or end with whitespace")]
    Whitespace,
    #[error("the number format cannot be read back: put text between {{year}} and {{seq}}, and a space or punctuation after {{code}}")]
    Ambiguous,
}

/// One piece of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// Literal text, as written (for rendering) and with whitespace runs
    /// collapsed to one space (for reading, whose input is collapsed too).
    Text {
        written: String,
        collapsed: String,
    },
    Code,
    Year,
    /// The case number, zero-padded to at least `width` digits.
    Seq {
        width: usize,
    },
}

/// A registry's printed form of its diary numbers, such as
/// `{code}/{year}/{seq:4}` for `KS/2026/0123`.
///
/// Placeholders: `{code}` (at most once), `{year}` and one of `{seq}` or
/// `{seq:N}` (zero-padded to N digits, 1..=9), each exactly once. The text
/// between them may not contain digits, and the pattern is rejected unless
/// every rendered number reads back unambiguously (see [`NumberFormat::parse`]).
/// A record number is always printed as a `-N` suffix, which is the near
/// universal convention and keeps the pattern about the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberFormat {
    pattern: String,
    segments: Vec<Segment>,
}

impl Default for NumberFormat {
    /// The canonical `{code} {year}/{seq}`; built directly rather than
    /// parsed so that it cannot fail.
    fn default() -> Self {
        Self {
            pattern: DEFAULT_PATTERN.to_owned(),
            segments: vec![
                Segment::Code,
                Segment::Text { written: " ".to_owned(), collapsed: " ".to_owned() },
                Segment::Year,
                Segment::Text { written: "/".to_owned(), collapsed: "/".to_owned() },
                Segment::Seq { width: 1 },
            ],
        }
    }
}

impl NumberFormat {
    /// Parses and checks a pattern.
    ///
    /// Besides the placeholder counts, the checks make [`NumberFormat::read`]
    /// exact: text has no digits and numbers are read as maximal digit runs,
    /// so `{year}` and `{seq}` need text between them; a code may end in
    /// digits or letters, so `{code}` must be followed by text that starts
    /// with neither (the end of the pattern is fine: the record suffix starts
    /// with `-`). Leading or trailing whitespace is refused because it would
    /// not survive being copied and read back.
    pub fn parse(pattern: &str) -> Result<Self, NumberFormatError> {
        if pattern.chars().count() > MAX_PATTERN_CHARS {
            return Err(NumberFormatError::TooLong);
        }
        let segments = segments(pattern)?;
        let occurrences = |wanted: fn(&Segment) -> bool| segments.iter().filter(|s| wanted(s)).count();
        if occurrences(|s| matches!(s, Segment::Year)) != 1 {
            return Err(NumberFormatError::Year);
        }
        if occurrences(|s| matches!(s, Segment::Seq { .. })) != 1 {
            return Err(NumberFormatError::Sequence);
        }
        if occurrences(|s| matches!(s, Segment::Code)) > 1 {
            return Err(NumberFormatError::Code);
        }
        if pattern.starts_with(char::is_whitespace) || pattern.ends_with(char::is_whitespace) {
            return Err(NumberFormatError::Whitespace);
        }
        for (this, next) in segments.iter().zip(segments.iter().skip(1)) {
            let is_number = |s: &Segment| matches!(s, Segment::Year | Segment::Seq { .. });
            let ambiguous = match (this, next) {
                (Segment::Code, Segment::Text { collapsed, .. }) => collapsed.starts_with(|c: char| c.is_ascii_alphanumeric()),
                (Segment::Code, next) => is_number(next),
                (this, next) => is_number(this) && is_number(next),
            };
            if ambiguous {
                return Err(NumberFormatError::Ambiguous);
            }
        }
        Ok(Self { pattern: pattern.to_owned(), segments })
    }

    /// The pattern as given.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// Prints a number in this format, with a record number as a `-N` suffix.
    /// Without `{code}` in the pattern the registry is left out, as the
    /// registry that owns the format is known from context.
    pub fn render(&self, n: &DiaryNumber) -> String {
        let mut out = String::new();
        for segment in &self.segments {
            match segment {
                Segment::Text { written, .. } => out.push_str(written),
                Segment::Code => out.push_str(&n.registry),
                Segment::Year => out.push_str(&n.year.to_string()),
                Segment::Seq { width } => out.push_str(&format!("{:0width$}", n.seq, width = *width)),
            }
        }
        if let Some(record) = n.record {
            out.push_str(&format!("-{record}"));
        }
        out
    }

    /// Reads a number printed in this format, optionally with a `-N` record
    /// suffix. The registry code is taken from the text when the pattern has
    /// `{code}`, else `code` is used. Like [`DiaryNumber::parse`], it trims,
    /// treats whitespace runs as one space and ignores ASCII case (of the
    /// code and of the pattern's text) and leading zeros.
    pub fn read(&self, code: &str, input: &str) -> Result<DiaryNumber, DiaryNumberError> {
        let text = collapse_whitespace(input.trim());
        if text.is_empty() {
            return Err(DiaryNumberError::Empty);
        }
        // The whole text is tried first: a pattern such as `{year}-{seq}`
        // has a dash of its own. Only if that fails is a final `-N` taken as
        // the record; no rendered number matches both ways, because the
        // pattern's text has no digits.
        let (parts, record) = match self.capture(&text) {
            Some(parts) => (parts, None),
            None => {
                let (head, record) = text.rsplit_once('-').ok_or(DiaryNumberError::Format)?;
                (self.capture(head).ok_or(DiaryNumberError::Format)?, Some(record))
            }
        };
        DiaryNumber::from_parts(parts.code.unwrap_or(code), parts.year, parts.seq, record)
    }

    /// Matches the whole of `text` against the pattern and returns the raw
    /// parts; validation is left to [`DiaryNumber::from_parts`]. Matching is
    /// greedy and never backtracks, which [`NumberFormat::parse`]'s checks
    /// make exact.
    fn capture<'a>(&self, text: &'a str) -> Option<Parts<'a>> {
        let mut parts = Parts::default();
        let mut rest = text;
        for segment in &self.segments {
            rest = match segment {
                Segment::Text { collapsed, .. } => {
                    let head = rest.get(..collapsed.len())?;
                    if !head.eq_ignore_ascii_case(collapsed) {
                        return None;
                    }
                    rest.get(collapsed.len()..)?
                }
                Segment::Code => {
                    let (code, tail) = split_run(rest, |c| c.is_ascii_alphanumeric())?;
                    parts.code = Some(code);
                    tail
                }
                Segment::Year => {
                    let (year, tail) = split_run(rest, |c| c.is_ascii_digit())?;
                    parts.year = year;
                    tail
                }
                Segment::Seq { .. } => {
                    let (seq, tail) = split_run(rest, |c| c.is_ascii_digit())?;
                    parts.seq = seq;
                    tail
                }
            };
        }
        rest.is_empty().then_some(parts)
    }
}

/// The raw text of each placeholder found by [`NumberFormat::capture`].
#[derive(Debug, Default)]
struct Parts<'a> {
    code: Option<&'a str>,
    year: &'a str,
    seq: &'a str,
}

/// Splits off the longest non-empty prefix of characters in a class.
fn split_run(s: &str, class: impl Fn(char) -> bool) -> Option<(&str, &str)> {
    let end = s.find(|c: char| !class(c)).unwrap_or(s.len());
    if end == 0 { None } else { s.split_at_checked(end) }
}

/// Replaces each run of whitespace with one space.
fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// Splits a pattern into text and placeholders. There is no escape for a
/// literal brace: registries do not print braces, so any brace is a typo.
fn segments(pattern: &str) -> Result<Vec<Segment>, NumberFormatError> {
    let mut segments = Vec::new();
    let mut text = String::new();
    let mut rest = pattern;
    while let Some(at) = rest.find(['{', '}']) {
        let (before, from) = rest.split_at_checked(at).ok_or(NumberFormatError::Brace)?;
        text.push_str(before);
        if from.starts_with('}') {
            return Err(NumberFormatError::Brace);
        }
        let close = from.find('}').ok_or(NumberFormatError::Brace)?;
        // `{` is one byte, so the name starts at byte 1.
        let name = from.get(1..close).ok_or(NumberFormatError::Brace)?;
        let placeholder = match name {
            "code" => Segment::Code,
            "year" => Segment::Year,
            "seq" => Segment::Seq { width: 1 },
            _ => match name.strip_prefix("seq:").map(str::as_bytes) {
                Some(&[digit @ b'1'..=b'9']) => Segment::Seq { width: usize::from(digit - b'0') },
                _ => return Err(NumberFormatError::Placeholder),
            },
        };
        push_text(&mut segments, &mut text)?;
        segments.push(placeholder);
        rest = from.get(close + 1..).ok_or(NumberFormatError::Brace)?;
    }
    text.push_str(rest);
    push_text(&mut segments, &mut text)?;
    Ok(segments)
}

/// Moves collected text, if any, into a segment. Any numeric character is
/// refused, not only ASCII digits, since to a reader it looks like part of
/// the number.
fn push_text(segments: &mut Vec<Segment>, text: &mut String) -> Result<(), NumberFormatError> {
    if text.is_empty() {
        return Ok(());
    }
    if text.chars().any(char::is_numeric) {
        return Err(NumberFormatError::Digit);
    }
    let collapsed = collapse_whitespace(text);
    segments.push(Segment::Text { written: std::mem::take(text), collapsed });
    Ok(())
}

/// The pattern as given.
impl fmt::Display for NumberFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.pattern)
    }
}

/// Same as [`NumberFormat::parse`].
impl FromStr for NumberFormat {
    type Err = NumberFormatError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Serialized as its pattern, as stored in a registry's settings.
impl Serialize for NumberFormat {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.pattern)
    }
}

/// Accepts every pattern [`NumberFormat::parse`] does.
impl<'de> Deserialize<'de> for NumberFormat {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberFormatVisitor;

        impl Visitor<'_> for NumberFormatVisitor {
            type Value = NumberFormat;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a diary number format, such as {code} {year}/{seq}")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<NumberFormat, E> {
                NumberFormat::parse(v).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(NumberFormatVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as ValueError, StrDeserializer};

    type E = DiaryNumberError;
    type FE = NumberFormatError;

    fn dn(registry: &str, year: i32, seq: u32, record: Option<u32>) -> DiaryNumber {
        DiaryNumber { registry: registry.to_owned(), year, seq, record }
    }

    fn format(pattern: &str) -> NumberFormat {
        NumberFormat::parse(pattern).expect("test pattern is valid")
    }

    #[test]
    fn parses_and_prints_the_canonical_form() {
        assert_eq!(DiaryNumber::parse("KS 2026/123"), Ok(dn("KS", 2026, 123, None)));
        assert_eq!(DiaryNumber::parse("KS 2026/123-4"), Ok(dn("KS", 2026, 123, Some(4))));
        assert_eq!(DiaryNumber::parse("SBN2 1900/9999999-9999999"), Ok(dn("SBN2", 1900, MAX_SEQ, Some(MAX_SEQ))));
        for s in ["  ks \t 2026/0123-04\n", "Ks 2026/123-4", "KS\u{a0}2026/00000000000123-4"] {
            assert_eq!(DiaryNumber::parse(s), Ok(dn("KS", 2026, 123, Some(4))), "{s:?}");
        }
        assert_eq!(dn("KS", 2026, 123, None).to_string(), "KS 2026/123");
        assert_eq!(dn("KS", 2026, 123, Some(4)).to_string(), "KS 2026/123-4");
        assert_eq!("BN 2025/7".parse::<DiaryNumber>(), Ok(dn("BN", 2025, 7, None)));
    }

    #[test]
    fn rejects_bad_input() {
        assert_eq!(DiaryNumber::parse(""), Err(E::Empty));
        assert_eq!(DiaryNumber::parse(" \t "), Err(E::Empty));
        for s in [
            "KS2026/1",
            "KS 2026",
            "KS 2026-1",
            "KS 2026/",
            "KS /1",
            "KS 2026/1-",
            "KS 2026/1-2-3",
            "KS 2026/1 -4",
            "KS 2026 /1",
            "KS 2026/+1",
            "KS 2O26/1",
            "KS 2026/１",
            "2026/1",
        ] {
            assert_eq!(DiaryNumber::parse(s), Err(E::Format), "{s}");
        }
        for s in ["K$ 2026/1", "2KS 2026/1", "ABCDEFGHIJK 2026/1", "KÖ 2026/1"] {
            assert_eq!(DiaryNumber::parse(s), Err(E::Registry), "{s}");
        }
        for s in ["KS 1800/1", "KS 1899/1", "KS 3000/1", "KS 26/1", "KS 02026/1"] {
            assert_eq!(DiaryNumber::parse(s), Err(E::Year), "{s}");
        }
        for s in ["KS 2026/0", "KS 2026/1-0", "KS 2026/10000000", "KS 2026/1-99999999999999999999"] {
            assert_eq!(DiaryNumber::parse(s), Err(E::Sequence), "{s}");
        }
        // A bad shape is reported before a bad code.
        assert_eq!(DiaryNumber::parse("K$2026/1"), Err(E::Format));
    }

    #[test]
    fn validated_constructor() {
        assert_eq!(DiaryNumber::new("ks", 2026, 1, Some(2)), Ok(dn("KS", 2026, 1, Some(2))));
        assert_eq!(DiaryNumber::new("", 2026, 1, None), Err(E::Registry));
        assert_eq!(DiaryNumber::new("KS", 1899, 1, None), Err(E::Year));
        assert_eq!(DiaryNumber::new("KS", 2026, 0, None), Err(E::Sequence));
        assert_eq!(DiaryNumber::new("KS", 2026, 1, Some(MAX_SEQ + 1)), Err(E::Sequence));
    }

    #[test]
    fn case_and_record() {
        let record = dn("KS", 2026, 123, Some(4));
        assert_eq!(record.case_number(), dn("KS", 2026, 123, None));
        assert_eq!(record.case_number().with_record(5), dn("KS", 2026, 123, Some(5)));
    }

    #[test]
    fn deserializes_like_parse() {
        let de: StrDeserializer<'_, ValueError> = " ks 2026/0123-4 ".into_deserializer();
        assert_eq!(DiaryNumber::deserialize(de).ok(), Some(dn("KS", 2026, 123, Some(4))));
        let de: StrDeserializer<'_, ValueError> = "KS 2026/0".into_deserializer();
        assert!(DiaryNumber::deserialize(de).is_err());
        let de: StrDeserializer<'_, ValueError> = "{year}-{seq:5}".into_deserializer();
        assert_eq!(NumberFormat::deserialize(de).ok(), Some(format("{year}-{seq:5}")));
        let de: StrDeserializer<'_, ValueError> = "{year}{seq}".into_deserializer();
        assert!(NumberFormat::deserialize(de).is_err());
    }

    #[test]
    fn default_format_is_the_canonical_form() {
        let default = NumberFormat::default();
        assert_eq!(Ok(&default), NumberFormat::parse("{code} {year}/{seq}").as_ref());
        assert_eq!(default.pattern(), "{code} {year}/{seq}");
        let n = dn("KS", 2026, 123, Some(4));
        assert_eq!(default.render(&n), "KS 2026/123-4");
        assert_eq!(default.read("XX", "ks  2026/0123-4"), Ok(n));
    }

    #[test]
    fn renders_and_reads_municipal_formats() {
        let case = dn("KS", 2026, 123, None);
        let record = dn("KS", 2026, 123, Some(4));

        let slashes = format("{code}/{year}/{seq:4}");
        assert_eq!(slashes.render(&case), "KS/2026/0123");
        assert_eq!(slashes.render(&record), "KS/2026/0123-4");
        // Padding is a minimum width, not a limit.
        assert_eq!(slashes.render(&dn("KS", 2026, 12345, None)), "KS/2026/12345");
        // The code comes from the text, not from the argument.
        assert_eq!(slashes.read("BN", "ks/2026/0123"), Ok(case.clone()));
        assert_eq!(slashes.read("BN", "KS/2026/123-4"), Ok(record.clone()));

        let dashes = format("{year}-{seq:5}");
        assert_eq!(dashes.render(&case), "2026-00123");
        assert_eq!(dashes.render(&record), "2026-00123-4");
        assert_eq!(dashes.read("ks", "2026-00123"), Ok(case.clone()));
        assert_eq!(dashes.read("KS", " 2026-00123-4 "), Ok(record.clone()));
        assert_eq!(dashes.read("BN", "2026-00123").map(|n| n.registry), Ok("BN".to_owned()));

        let spaced = format("Dnr {code}:{seq} ({year})");
        assert_eq!(spaced.render(&record), "Dnr KS:123 (2026)-4");
        assert_eq!(spaced.read("", "DNR   ks:123 (2026)-4"), Ok(record));
    }

    #[test]
    fn reading_reports_what_is_wrong() {
        let dashes = format("{year}-{seq:5}");
        assert_eq!(dashes.read("KS", "  "), Err(E::Empty));
        assert_eq!(dashes.read("KS", "2026/00123"), Err(E::Format));
        assert_eq!(dashes.read("KS", "2026-"), Err(E::Format));
        assert_eq!(dashes.read("KS", "2026-1-x"), Err(E::Format));
        assert_eq!(dashes.read("K$", "2026-00123"), Err(E::Registry));
        assert_eq!(dashes.read("", "2026-00123"), Err(E::Registry));
        assert_eq!(dashes.read("KS", "1800-00123"), Err(E::Year));
        assert_eq!(dashes.read("KS", "2026-00000"), Err(E::Sequence));
        assert_eq!(dashes.read("KS", "2026-00001-0"), Err(E::Sequence));
        let default = NumberFormat::default();
        assert_eq!(default.read("KS", "KS2026/1"), Err(E::Format));
        assert_eq!(default.read("KS", "ABCDEFGHIJK 2026/1"), Err(E::Registry));
    }

    #[test]
    fn rejects_bad_patterns() {
        for (pattern, error) in [
            ("", FE::Year),
            ("{code} {seq}", FE::Year),
            ("{year}/{seq}/{year}", FE::Year),
            ("{code} {year}", FE::Sequence),
            ("{year}/{seq}/{seq:3}", FE::Sequence),
            ("{code} {year}/{seq} {code}", FE::Code),
            ("{year}/{seq:0}", FE::Placeholder),
            ("{year}/{seq:10}", FE::Placeholder),
            ("{year}/{seq:+5}", FE::Placeholder),
            ("{year}/{number}", FE::Placeholder),
            ("{YEAR}/{seq}", FE::Placeholder),
            ("{year/{seq}", FE::Placeholder),
            ("{year}/{seq", FE::Brace),
            ("{year}}/{seq}", FE::Brace),
            ("}{year}/{seq}", FE::Brace),
            ("{year}1{seq}", FE::Digit),
            ("{year}/{seq} nr ٣", FE::Digit),
            (" {year}/{seq}", FE::Whitespace),
            ("{year}/{seq}\t", FE::Whitespace),
            ("{year}{seq}", FE::Ambiguous),
            ("{seq}{year}", FE::Ambiguous),
            ("{code}{year}/{seq}", FE::Ambiguous),
            ("{year}/{code}{seq}", FE::Ambiguous),
            ("{year}{code}{seq}", FE::Ambiguous),
            ("{code}x{year}/{seq}", FE::Ambiguous),
            ("{code} {year}/{seq} abcdefghijklmnopqrstuvwxyz", FE::TooLong),
        ] {
            assert_eq!(NumberFormat::parse(pattern), Err(error), "{pattern:?}");
        }
        // Exactly 40 characters, counted as characters, not bytes.
        assert!(NumberFormat::parse("{year}/{seq}ååååååååååååååååååååååååååå").is_ok());
        // `{code}` is fine after fixed text or a number, and before
        // punctuation, whitespace or the end.
        for ok in ["{year}/{seq}", "{seq}/{year}", "{year}/{seq}{code}", "{year}{code}/{seq}", "dnr{code} {year}/{seq}"] {
            assert_eq!(NumberFormat::parse(ok).as_ref().map(NumberFormat::pattern), Ok(ok), "{ok}");
        }
    }

    fn valid_number() -> impl Strategy<Value = DiaryNumber> {
        ("[A-Za-z][A-Za-z0-9]{0,9}", MIN_YEAR..=MAX_YEAR, 1..=MAX_SEQ, prop::option::of(1..=MAX_SEQ))
            .prop_map(|(code, year, seq, record)| dn(&code.to_ascii_uppercase(), year, seq, record))
    }

    fn separator() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec!["", " ", "/", "-", " / ", ".", ":", "nr ", " dnr ", "§", "(", ")", "_", "Dnr:", "  "])
                .prop_map(str::to_owned),
            "[a-zA-Z /._:§()-]{1,3}",
        ]
    }

    /// Random patterns, kept when `NumberFormat::parse` accepts them: this
    /// tests that its checks are enough for `read` to invert `render`.
    fn valid_format() -> impl Strategy<Value = NumberFormat> {
        let placeholders = (any::<bool>(), any::<bool>(), 0usize..=2, prop::option::of(1usize..=9));
        (placeholders, prop::collection::vec(separator(), 4)).prop_filter_map(
            "pattern refused by NumberFormat::parse",
            |((with_code, year_first, code_at, width), seps)| {
                let seq = width.map_or_else(|| "{seq}".to_owned(), |w| format!("{{seq:{w}}}"));
                let mut placeholders = if year_first { vec!["{year}".to_owned(), seq] } else { vec![seq, "{year}".to_owned()] };
                if with_code {
                    placeholders.insert(code_at, "{code}".to_owned());
                }
                let mut pattern = String::new();
                for (sep, placeholder) in seps.iter().zip(placeholders.iter().map(Some).chain([None])) {
                    pattern.push_str(sep);
                    if let Some(placeholder) = placeholder {
                        pattern.push_str(placeholder);
                    }
                }
                NumberFormat::parse(&pattern).ok()
            },
        )
    }

    proptest! {
        #[test]
        fn canonical_form_round_trips(n in valid_number()) {
            prop_assert_eq!(DiaryNumber::parse(&n.to_string()), Ok(n.clone()));
            prop_assert_eq!(NumberFormat::default().render(&n), n.to_string());
            prop_assert_eq!(n.to_string().to_lowercase().parse::<DiaryNumber>(), Ok(n.clone()));
            prop_assert_eq!(DiaryNumber::new(&n.registry, n.year, n.seq, n.record), Ok(n));
        }

        #[test]
        fn formats_round_trip(n in valid_number(), formats in prop::collection::vec(valid_format(), 1..5)) {
            for f in &formats {
                let printed = f.render(&n);
                prop_assert_eq!(f.read(&n.registry, &printed), Ok(n.clone()), "{:?} printed {:?}", f.pattern(), printed);
                prop_assert_eq!(f.read(&n.registry, &printed.to_lowercase()), Ok(n.clone()), "{:?}", f.pattern());
                prop_assert_eq!(NumberFormat::parse(f.pattern()), Ok(f.clone()));
            }
        }

        #[test]
        fn parse_never_panics(s in ".*") {
            let _ = DiaryNumber::parse(&s);
            let _ = NumberFormat::parse(&s);
            let _ = NumberFormat::default().read("KS", &s);
        }

        #[test]
        fn parse_agrees_with_the_default_format(
            s in "\\s{0,2}[a-zA-Z0-9$]{0,11}\\s{0,2}[0-9]{0,5}/?[0-9]{0,8}(-[0-9]{0,3})?\\s{0,2}",
        ) {
            let parsed = DiaryNumber::parse(&s);
            if let Ok(n) = &parsed {
                prop_assert_eq!(DiaryNumber::parse(&n.to_string()), Ok(n.clone()));
            }
            prop_assert_eq!(parsed.ok(), NumberFormat::default().read("XX", &s).ok());
        }

        #[test]
        fn read_never_panics(f in valid_format(), s in "[a-zA-Z0-9 /._:§()-]{0,24}") {
            let _ = f.read("KS", &s);
        }

        #[test]
        fn pattern_parse_never_panics(s in "[{}a-z:0-9 /-]{0,24}") {
            if let Ok(f) = NumberFormat::parse(&s) {
                prop_assert_eq!(f.pattern(), s.as_str());
            }
        }
    }
}
