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

/// The longest term a query keeps: longer than any Swedish word, and it bounds what a query
/// costs and what it adds to a cache key (12 terms of at most 64 characters).
pub const MAX_TERM_CHARS: usize = 64;

/// The stemmed terms of a search query (every term must match). At most 12, each at most
/// [`MAX_TERM_CHARS`] long: a longer "word" is not a word anyone searches for and is dropped.
pub fn query_terms(query: &str) -> Vec<String> {
    let mut terms: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.chars().count() <= MAX_TERM_CHARS)
        .take(12)
        .flat_map(words)
        .collect();
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
    fn a_query_is_bounded_in_terms_and_length() {
        // Finding 13 of the security review: a 64 kB "word" must not become a cache key.
        let long = "a".repeat(65_536);
        assert!(query_terms(&long).is_empty());
        assert_eq!(query_terms(&format!("{long} bygglov")), query_terms("bygglov"));
        let many = (0..1000).map(|i| format!("ord{i}")).collect::<Vec<_>>().join(" ");
        let terms = query_terms(&many);
        assert_eq!(terms.len(), 12);
        assert!(terms.iter().map(String::len).sum::<usize>() <= 12 * MAX_TERM_CHARS * 4);
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
