//! The module's error codes are written in one place, `MaturityError::parts`: handlers and
//! services name the rule (`MaturityError::Submitted`), never its code.

use radhus_maturity::domain::MaturityError;

/// The text of a source file without its `#[cfg(test)]` items.
fn without_tests(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let Some(open) = after.find('{') else { return out };
        let mut depth = 0usize;
        let mut end = after.len();
        for (i, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The body of `MaturityError::parts`, and the text around it.
fn split_parts(text: &str) -> Option<(String, String)> {
    let start = text.find("pub fn parts(self)")?;
    let end = start + text[start..].find("\n    }\n")?;
    Some((text[start..end].to_string(), format!("{}{}", &text[..start], &text[end..])))
}

fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The lines of code (comments left out) that write a code such as `MAT-003`, on its own or in
/// a message id (`err-MAT-003`).
fn code_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .filter(|l| l.match_indices("MAT-").any(|(i, _)| l[i + 4..].starts_with(|c: char| c.is_ascii_digit())))
}

#[test]
fn maturity_codes_are_written_only_in_maturity_error_parts() {
    let mut files = vec![];
    sources(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let mut in_parts = 0;
    let mut elsewhere = vec![];
    for path in files {
        let text = without_tests(&std::fs::read_to_string(&path).expect("read"));
        let text = match split_parts(&text) {
            Some((parts, rest)) => {
                in_parts += code_lines(&parts).count();
                rest
            }
            None => text,
        };
        for line in code_lines(&text) {
            elsewhere.push(format!("{}: {}", path.display(), line.trim()));
        }
    }
    assert!(elsewhere.is_empty(), "a MAT code outside MaturityError::parts:\n{}", elsewhere.join("\n"));
    // One line per rule: the scan found the one place the codes are written.
    assert_eq!(in_parts, MaturityError::ALL.len());
}

#[test]
fn the_scan_skips_test_items_only() {
    let text = "fn a() { \"MAT-001\" }\n#[cfg(test)]\nmod tests { fn b() { if x { \"MAT-002\" } } }\nfn c() {}\n";
    let kept = without_tests(text);
    assert!(kept.contains("MAT-001") && !kept.contains("MAT-002") && kept.contains("fn c()"));
}

#[test]
fn the_scan_sees_codes_in_code_not_in_comments() {
    let text = "/// `MAT-001` is documented\nlet a = \"MAT-002\";\nlet b = \"err-MAT-003\";\nlet c = \"MAT-\";\n";
    assert_eq!(code_lines(text).count(), 2);
}
