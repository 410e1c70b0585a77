//! Where to go after a login or a form: only a path on this site, never an address elsewhere
//! (an open redirect).

/// Only local paths, so a login link cannot send the user elsewhere. The one check of every
/// redirect target that comes from a request (`?next=`, the OIDC flow's return address).
///
/// Browsers strip tabs and newlines from URLs and read `\\` as `/`, so `/%09/evil.example`
/// or `/\\evil.example` would become `//evil.example`: control characters (raw or
/// percent-encoded), backslashes and anything that does not resolve to this site's own origin
/// are refused. The target is resolved against a fixed origin the way a browser would and
/// must come back as a path on that origin.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let n = next?.trim();
    if !n.starts_with('/') || n.starts_with("//") || n.contains('\\') || n.chars().any(|c| c.is_control()) {
        return None;
    }
    // Percent-encoded control characters and backslashes (%09, %0a, %5c …) are refused too.
    let decoded: Vec<u8> = percent_encoding::percent_decode_str(n).collect();
    if decoded.iter().any(|b| *b < 0x20 || *b == 0x7f || *b == b'\\') || decoded.starts_with(b"//") {
        return None;
    }
    let origin = url::Url::parse("https://radhus.invalid/").ok()?;
    let resolved = origin.join(n).ok()?;
    if resolved.origin() != origin.origin() || resolved.username() != "" || resolved.password().is_some() {
        return None;
    }
    // Path, query and fragment, as resolved.
    let out = &resolved[url::Position::BeforePath..];
    (out.starts_with('/') && !out.starts_with("//")).then(|| out.to_string())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_must_be_local() {
        assert_eq!(safe_next(Some("/admin")).as_deref(), Some("/admin"));
        assert_eq!(safe_next(Some("//evil.example")), None);
        assert_eq!(safe_next(Some("https://evil.example")), None);
        assert_eq!(safe_next(Some("/\\evil")), None);
        assert_eq!(safe_next(None), None);
        // Finding 8: a tab (raw or encoded) that browsers strip, newlines, backslashes.
        assert_eq!(safe_next(Some("/%09/attacker.example")), None);
        assert_eq!(safe_next(Some("/\t/attacker.example")), None);
        assert_eq!(safe_next(Some("/%0a/attacker.example")), None);
        assert_eq!(safe_next(Some("/%5Cattacker.example")), None);
        assert_eq!(safe_next(Some("/%2F/attacker.example")), None);
        assert_eq!(safe_next(Some("/a\\b")), None);
        assert_eq!(safe_next(Some("javascript:alert(1)")), None);
        assert_eq!(safe_next(Some("/admin/arenden?vy=alla&sida=2")).as_deref(), Some("/admin/arenden?vy=alla&sida=2"));
        assert_eq!(safe_next(Some("/valarbete/mina-sidor#x")).as_deref(), Some("/valarbete/mina-sidor#x"));
        assert_eq!(safe_next(Some("/a/../b")).as_deref(), Some("/b"));
    }
}
