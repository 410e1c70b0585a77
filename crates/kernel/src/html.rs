//! HTML text: escaping for the few places that write markup by hand (an SVG logo, an e-mail
//! body, an archive's XML); pages are escaped by askama.

/// `s` with `& < > " '` written as entities, safe in element text and in quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(super::escape(r#"<a href="x">Å & 'b'</a>"#), "&lt;a href=&quot;x&quot;&gt;Å &amp; &#39;b&#39;&lt;/a&gt;");
    }
}
