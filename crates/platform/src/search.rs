//! Full-text search with the same Swedish behaviour on both databases (ADR 0008): text is
//! stemmed here with the Swedish Snowball stemmer and stored; SQLite indexes the stems with
//! FTS5, PostgreSQL with `to_tsvector('simple', …)`; queries are stemmed the same way, so
//! "bygglovet" finds "bygglov" on either.

use rust_stemmers::{Algorithm, Stemmer};

/// Words of a text, lower-cased and stemmed, joined by spaces. Personal identity numbers
/// are left out so they can never be found through a public search.
pub fn stem_text(text: &str) -> String {
    words(&mask_identity_numbers(text)).join(" ")
}

/// The stemmed terms of a search query (every term must match).
pub fn query_terms(query: &str) -> Vec<String> {
    let mut terms = words(query);
    terms.truncate(12);
    terms
}

fn words(text: &str) -> Vec<String> {
    let stemmer = Stemmer::create(Algorithm::Swedish);
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| definite_neuter(stemmer.stem(&w.to_lowercase()).into_owned()))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Snowball's Swedish stemmer leaves the definite neuter ending -et ("bygglovet", "beslutet",
/// "ärendet" after -s), so "bygglovet" would not find "bygglov". Index and query go through the
/// same step, so the extra conflation stays consistent; short words are left alone.
fn definite_neuter(stem: String) -> String {
    if stem.ends_with("et") && stem.chars().count() >= 6 { stem[..stem.len() - 2].to_string() } else { stem }
}

/// Replaces anything shaped like a personal identity number (YYMMDD-NNNN, YYYYMMDDNNNN …)
/// with "[personnummer]": public texts never show one, even if a caseworker typed it into a title.
pub fn mask_identity_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit()) {
            // Take the run of digits with at most one separator (-, +, space) inside.
            let mut j = i;
            let mut digits = 0;
            let mut seps = 0;
            while j < chars.len() {
                let c = chars[j];
                if c.is_ascii_digit() {
                    digits += 1;
                } else if matches!(c, '-' | '+') && seps == 0 && j + 1 < chars.len() && chars[j + 1].is_ascii_digit() {
                    seps += 1;
                } else {
                    break;
                }
                j += 1;
            }
            if digits == 10 || digits == 12 {
                out.push_str("[personnummer]");
                i = j;
                continue;
            }
            out.extend(&chars[i..j]);
            i = j;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definite_forms_meet_their_stems() {
        assert_eq!(query_terms("Bygglovet"), stem_text("bygglov").split(' ').map(str::to_string).collect::<Vec<_>>());
        assert_eq!(stem_text("Ansökan om bygglov för tillbyggnad"), stem_text("ansökan om bygglovet för tillbyggnad"));
        assert_eq!(stem_text("beslutet"), stem_text("beslut"));
        assert_eq!(stem_text("bygglovets"), stem_text("bygglov"));
        assert!(query_terms("  ").is_empty());
    }

    #[test]
    fn identity_numbers_are_masked() {
        assert_eq!(mask_identity_numbers("Anmälan från 19811218-9876 om buller"), "Anmälan från [personnummer] om buller");
        assert_eq!(mask_identity_numbers("811218-9876"), "[personnummer]");
        assert_eq!(mask_identity_numbers("KS 2026/123 fastighet Tuppen 4"), "KS 2026/123 fastighet Tuppen 4");
        assert_eq!(mask_identity_numbers("tel 054-540 00 00"), "tel 054-540 00 00");
        assert!(!stem_text("sökande 198112189876").contains("1981"));
    }
}
