//! Cells of CSV files that spreadsheets will open: neutralising formula injection.
//!
//! Excel, LibreOffice and Google Sheets treat a cell that starts with `=`, `+`, `-` or `@` as
//! a formula (and a leading tab or carriage return can hide such a start), so text a user typed
//! — `=HYPERLINK("https://…";"Klicka")`, `=cmd|' /C calc'!A0` — would run when a municipality's
//! open data or export is opened. Every CSV file Rådhus produces passes each cell through
//! [`safe_cell`]; a test below keeps it that way for every crate that writes CSV.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell safe to put in a CSV file: text that starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return gets a single quote (`'`) in front, as OWASP recommends, so a spreadsheet
/// shows it as text instead of evaluating it; anything else is returned unchanged.
///
/// **Numbers are left alone**: a cell that is only a signed decimal number — an optional `+` or
/// `-`, ASCII digits, at most one `.` or `,` (the Swedish decimal comma), at least one digit,
/// nothing else — stays as it is, so `-3`, `+12` and `-0,5` remain numbers in the sheet. Such a
/// cell cannot hold a formula. Everything else that starts with a sign is quoted, including
/// phone numbers like `+46 70 123 45 67` (they are text, and the quote keeps them from becoming
/// a sum) and `-1e5` or `-inf`.
///
/// The quoting of separators, quotes and line breaks is the CSV writer's job (RFC 4180), not
/// this function's.
pub fn safe_cell(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some(c) if FORMULA_START.contains(&c) && !is_plain_number(cell) => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// An optional sign, digits, at most one decimal separator, at least one digit.
fn is_plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let mut digits = 0;
    let mut separators = 0;
    for c in body.chars() {
        match c {
            '0'..='9' => digits += 1,
            '.' | ',' => separators += 1,
            _ => return false,
        }
    }
    digits > 0 && separators <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_a_quote() {
        for (cell, safe) in [
            ("=HYPERLINK(\"https://example.org\";\"Klicka\")", "'=HYPERLINK(\"https://example.org\";\"Klicka\")"),
            ("=1+1", "'=1+1"),
            ("+SUM(A1:A2)", "'+SUM(A1:A2)"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "'\r=1+1"),
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+46 70 123 45 67", "'+46 70 123 45 67"),
            ("-1e5", "'-1e5"),
            ("-inf", "'-inf"),
            ("-", "'-"),
            ("+", "'+"),
            ("-1,2,3", "'-1,2,3"),
        ] {
            assert_eq!(safe_cell(cell), safe, "{cell:?}");
        }
    }

    #[test]
    fn ordinary_text_and_numbers_are_unchanged() {
        for cell in
            ["", "Kil", "EB17-01", "2018", "059-12 34 56", " =1", "'=1", "-3", "+12", "-0,5", "-12.25", "3,5", "Finns delvis; = inte"]
        {
            assert!(matches!(safe_cell(cell), Cow::Borrowed(c) if c == cell), "{cell:?}");
        }
    }

    /// Every crate that writes CSV passes its cells through [`safe_cell`]: a file that uses the
    /// `csv` crate's writer must call it, and so must some file of a crate that serves `text/csv`.
    #[test]
    fn every_csv_producer_in_the_workspace_uses_safe_cell() {
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut checked = 0;
        for krate in std::fs::read_dir(&crates).expect("crates/") {
            let dir = krate.expect("entry").path();
            if dir.file_name().is_some_and(|n| n == "kernel") {
                continue;
            }
            let mut files = vec![];
            collect_rs(&dir.join("src"), &mut files);
            let uses_helper = |text: &str| text.contains("safe_cell(");
            let mut serves_csv = false;
            let mut crate_uses_helper = false;
            for (path, text) in &files {
                if text.contains("csv::Writer") {
                    checked += 1;
                    assert!(uses_helper(text), "{} writes CSV without radhus_kernel::csv_cell::safe_cell", path.display());
                }
                // The platform's download module only names the type; a crate serves CSV when
                // it writes the type itself or labels a body with that name.
                let names_the_type = path.ends_with("platform/src/web/download.rs");
                serves_csv |= (text.contains("\"text/csv") && !names_the_type) || text.contains("download::CSV");
                crate_uses_helper |= uses_helper(text);
            }
            if serves_csv {
                checked += 1;
                assert!(crate_uses_helper, "{} serves text/csv without radhus_kernel::csv_cell::safe_cell", dir.display());
            }
        }
        assert!(checked > 0, "the check found no CSV producer at all: is it looking in the right place?");
    }

    fn collect_rs(dir: &std::path::Path, out: &mut Vec<(std::path::PathBuf, String)>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                collect_rs(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).expect("read source");
                out.push((p, text));
            }
        }
    }
}
