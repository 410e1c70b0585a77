//! Swedish organisation numbers (*organisationsnummer*).
//!
//! Organisation numbers are given to legal persons under lag (1974:174) om
//! identitetsbeteckning för juridiska personer m.fl. Bolagsverket assigns them
//! to the companies and associations it registers, other authorities to the
//! rest, and Skatteverket keeps the register. Their layout:
//!
//! * Ten digits written `NNNNNN-NNNN`; the last is a Luhn (modulus 10) check
//!   digit over the nine before it, as for personnummer.
//! * The third digit is at least 2, i.e. the "month" is at least 20, so an
//!   organisation number is never mistaken for a personnummer (months
//!   01–12). A sole trader (*enskild firma*) uses the owner's personnummer,
//!   which is a [`Personnummer`](crate::Personnummer), not an [`Orgnr`].
//! * The first digit is the group number (*gruppnummer*), see [`OrgGroup`].
//! * Registers that mix legal and natural persons in one 12-digit field put
//!   `16` in front of an organisation number (where a personnummer gets its
//!   century 18, 19 or 20); that form is accepted on input.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::personnummer::luhn_digit;

/// Why a string is not a valid organisation number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OrgnrError {
    #[error("the organisation number is empty")]
    Empty,
    #[error("an organisation number is written NNNNNN-NNNN")]
    Format,
    #[error("the third digit of an organisation number is at least 2; this looks like a personal identity number")]
    NotALegalPerson,
    #[error("the first digit of the organisation number is not a known group number")]
    UnknownGroup,
    #[error("the check digit of the organisation number is wrong")]
    Checksum,
}

/// The kind of legal person, from the first digit (*gruppnummer*). Digits 0
/// and 4 are not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OrgGroup {
    /// 1: dödsbon (estates of deceased persons).
    Estate,
    /// 2: stat, regioner, kommuner och församlingar (the state, regions,
    /// municipalities and parishes).
    Public,
    /// 3: utländska företag som bedriver näringsverksamhet eller äger
    /// fastigheter i Sverige (foreign companies trading or owning property in
    /// Sweden).
    ForeignCompany,
    /// 5: aktiebolag (limited companies).
    Aktiebolag,
    /// 6: enkla bolag (simple partnerships).
    EnkeltBolag,
    /// 7: ekonomiska föreningar (economic associations, e.g. cooperatives and
    /// housing cooperatives).
    EkonomiskForening,
    /// 8: ideella föreningar och stiftelser (non-profit associations and
    /// foundations).
    IdeellForeningOchStiftelse,
    /// 9: handelsbolag och kommanditbolag (trading and limited partnerships).
    Handelsbolag,
}

impl OrgGroup {
    /// The group of a first digit, `None` for the unused 0 and 4.
    pub fn from_digit(digit: u8) -> Option<Self> {
        Some(match digit {
            1 => Self::Estate,
            2 => Self::Public,
            3 => Self::ForeignCompany,
            5 => Self::Aktiebolag,
            6 => Self::EnkeltBolag,
            7 => Self::EkonomiskForening,
            8 => Self::IdeellForeningOchStiftelse,
            9 => Self::Handelsbolag,
            _ => return None,
        })
    }

    /// The group number, i.e. the first digit of the organisation number.
    pub fn digit(self) -> u8 {
        match self {
            Self::Estate => 1,
            Self::Public => 2,
            Self::ForeignCompany => 3,
            Self::Aktiebolag => 5,
            Self::EnkeltBolag => 6,
            Self::EkonomiskForening => 7,
            Self::IdeellForeningOchStiftelse => 8,
            Self::Handelsbolag => 9,
        }
    }
}

/// A validated Swedish organisation number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Orgnr {
    /// The ten digits, each 0..=9; the last is the check digit.
    digits: [u8; 10],
    /// The group of the first digit, kept so that it never has to be looked
    /// up fallibly again.
    group: OrgGroup,
}

impl Orgnr {
    /// Parses `NNNNNN-NNNN`, `NNNNNNNNNN`, `16NNNNNN-NNNN` or `16NNNNNNNNNN`,
    /// ignoring surrounding whitespace, and checks the third digit, the group
    /// number and the check digit.
    pub fn parse(input: &str) -> Result<Self, OrgnrError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(OrgnrError::Empty);
        }
        // The 12-digit register form: `16` stands for "legal person".
        let s = match s.len() {
            12 | 13 => s.strip_prefix("16").ok_or(OrgnrError::Format)?,
            _ => s,
        };
        // Working on bytes is safe: any non-ASCII byte fails the digit test.
        let bytes = s.as_bytes();
        let (head, tail) = match bytes.len() {
            11 if bytes[6] == b'-' => (&bytes[..6], &bytes[7..]),
            10 => (&bytes[..6], &bytes[6..]),
            _ => return Err(OrgnrError::Format),
        };
        if !head.iter().chain(tail).all(u8::is_ascii_digit) {
            return Err(OrgnrError::Format);
        }
        let mut digits = [0u8; 10];
        for (slot, byte) in digits.iter_mut().zip(head.iter().chain(tail)) {
            *slot = byte - b'0';
        }
        if digits[2] < 2 {
            return Err(OrgnrError::NotALegalPerson);
        }
        let group = OrgGroup::from_digit(digits[0]).ok_or(OrgnrError::UnknownGroup)?;
        if luhn_digit(&digits[..9]) != digits[9] {
            return Err(OrgnrError::Checksum);
        }
        Ok(Self { digits, group })
    }

    /// The kind of legal person, from the first digit.
    pub fn group(&self) -> OrgGroup {
        self.group
    }

    /// The ten digits without separator, `NNNNNNNNNN`.
    pub fn compact(&self) -> String {
        self.digits.iter().map(|d| char::from(b'0' + d)).collect()
    }
}

/// The standard form, `NNNNNN-NNNN`.
impl fmt::Display for Orgnr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let compact = self.compact();
        let (head, tail) = compact.split_at(6);
        write!(f, "{head}-{tail}")
    }
}

/// Same as [`Orgnr::parse`].
impl FromStr for Orgnr {
    type Err = OrgnrError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Serialized as `NNNNNN-NNNN`.
impl Serialize for Orgnr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Accepts every form [`Orgnr::parse`] does.
impl<'de> Deserialize<'de> for Orgnr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrgnrVisitor;

        impl Visitor<'_> for OrgnrVisitor {
            type Value = Orgnr;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an organisation number, NNNNNN-NNNN")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Orgnr, E> {
                Orgnr::parse(v).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(OrgnrVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as ValueError, StrDeserializer};

    type E = OrgnrError;

    #[test]
    fn parses_municipalities_and_companies() {
        // Check digits verified by hand: Karlstads kommun, Kils kommun,
        // Stockholms stad and Saab AB.
        for (s, group) in [
            ("212000-1850", OrgGroup::Public),
            ("212000-1843", OrgGroup::Public),
            ("212000-0142", OrgGroup::Public),
            ("556036-0793", OrgGroup::Aktiebolag),
        ] {
            let parsed = Orgnr::parse(s);
            assert_eq!(parsed.map(|o| o.to_string()).as_deref(), Ok(s));
            assert_eq!(parsed.map(|o| o.group()), Ok(group));
        }
        let karlstad = Orgnr::parse("212000-1850");
        for s in ["2120001850", "16212000-1850", "162120001850", " 212000-1850\t"] {
            assert_eq!(Orgnr::parse(s), karlstad, "{s}");
        }
        assert_eq!(karlstad.map(|o| o.compact()).as_deref(), Ok("2120001850"));
        assert_eq!("212000-1850".parse::<Orgnr>(), karlstad);
    }

    #[test]
    fn rejects_bad_input() {
        assert_eq!(Orgnr::parse(""), Err(E::Empty));
        assert_eq!(Orgnr::parse("  "), Err(E::Empty));
        for s in [
            "212000-185",
            "212000-18500",
            "2120001-850",
            "212000+1850",
            "21200O-1850",
            "19212000-1850",
            "1621200018500",
            "16-212000-1850",
            "２１２０００-１８５０",
        ] {
            assert_eq!(Orgnr::parse(s), Err(E::Format), "{s}");
        }
        assert_eq!(Orgnr::parse("212000-1851"), Err(E::Checksum));
        // A valid personnummer is not an organisation number.
        assert_eq!(Orgnr::parse("811218-9876"), Err(E::NotALegalPerson));
        // Luhn-valid, but groups 0 and 4 are not used.
        assert_eq!(Orgnr::parse("412000-1856"), Err(E::UnknownGroup));
        assert_eq!(Orgnr::parse("012000-1854"), Err(E::UnknownGroup));
    }

    #[test]
    fn group_digits_round_trip() {
        for digit in 0..=9 {
            if let Some(group) = OrgGroup::from_digit(digit) {
                assert_eq!(group.digit(), digit);
            }
        }
        assert_eq!(OrgGroup::from_digit(4), None);
    }

    #[test]
    fn deserializes_any_accepted_form() {
        let de: StrDeserializer<'_, ValueError> = "162120001850".into_deserializer();
        assert_eq!(Orgnr::deserialize(de).ok(), Orgnr::parse("212000-1850").ok());
        let de: StrDeserializer<'_, ValueError> = "212000-1851".into_deserializer();
        assert!(Orgnr::deserialize(de).is_err());
    }

    /// Luhn written out independently of `luhn_digit`: weights 2, 1, 2, …
    /// from the left over nine digits.
    fn check_digit(nine: &str) -> u32 {
        let sum: u32 =
            nine.chars().filter_map(|c| c.to_digit(10)).zip([2, 1].into_iter().cycle()).map(|(d, w)| (d * w) / 10 + (d * w) % 10).sum();
        (10 - sum % 10) % 10
    }

    /// A valid organisation number as `NNNNNN-NNNN`, and its group digit.
    fn valid_orgnr() -> impl Strategy<Value = (String, u8)> {
        (prop::sample::select(vec![1u8, 2, 3, 5, 6, 7, 8, 9]), "[0-9][2-9][0-9]{6}").prop_map(|(group, rest)| {
            let nine = format!("{group}{rest}");
            let check = check_digit(&nine);
            (format!("{}-{}{check}", &nine[..6], &nine[6..]), group)
        })
    }

    proptest! {
        #[test]
        fn valid_numbers_round_trip((s, group) in valid_orgnr()) {
            let parsed = Orgnr::parse(&s);
            let Ok(o) = parsed else {
                return Err(TestCaseError::fail(format!("{s} rejected: {parsed:?}")));
            };
            prop_assert_eq!(o.to_string(), s.clone());
            prop_assert_eq!(o.group().digit(), group);
            prop_assert_eq!(Orgnr::parse(&o.compact()), Ok(o));
            prop_assert_eq!(Orgnr::parse(&format!("16{s}")), Ok(o));
            prop_assert_eq!(Orgnr::parse(&format!("16{}", o.compact())), Ok(o));
        }

        #[test]
        fn a_changed_digit_is_caught(
            (s, _) in valid_orgnr(),
            // Every digit position of `NNNNNN-NNNN`, and a change of 1..=9.
            at in prop::sample::select(vec![0usize, 1, 2, 3, 4, 5, 7, 8, 9, 10]),
            by in 1u8..=9,
        ) {
            let mut bytes = s.clone().into_bytes();
            bytes[at] = b'0' + (bytes[at] - b'0' + by) % 10;
            let changed = String::from_utf8_lossy(&bytes).into_owned();
            prop_assert!(Orgnr::parse(&changed).is_err(), "{} accepted", changed);
        }

        #[test]
        fn never_panics(s in ".*") {
            let _ = Orgnr::parse(&s);
        }

        #[test]
        fn never_panics_on_number_like_strings(s in "[0-9+-]{0,14}") {
            if let Ok(o) = Orgnr::parse(&s) {
                prop_assert_eq!(Orgnr::parse(&o.to_string()), Ok(o));
            }
        }
    }
}
