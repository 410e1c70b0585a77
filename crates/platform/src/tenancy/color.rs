//! Colour arithmetic for municipality branding: the primary colour must keep text
//! readable (WCAG 2.1 AA, 4.5:1) because buttons and links are drawn with it.

pub type Rgb = (u8, u8, u8);

pub fn parse_hex(s: &str) -> Option<Rgb> {
    let h = s.strip_prefix('#')?;
    if h.len() != 6 || !h.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let p = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some((p(0)?, p(2)?, p(4)?))
}

pub fn to_hex((r, g, b): Rgb) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// WCAG 2.1 relative luminance.
pub fn luminance((r, g, b): Rgb) -> f64 {
    let ch = |v: u8| {
        let c = f64::from(v) / 255.0;
        if c <= 0.039_28 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
}

/// WCAG 2.1 contrast ratio, 1.0 to 21.0.
pub fn contrast_ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// Mixes towards black (`amount` 0..1) for hover and active states.
pub fn darken((r, g, b): Rgb, amount: f64) -> Rgb {
    let d = |v: u8| (f64::from(v) * (1.0 - amount)).round().clamp(0.0, 255.0) as u8;
    (d(r), d(g), d(b))
}

/// Mixes towards white for tinted backgrounds.
pub fn lighten((r, g, b): Rgb, amount: f64) -> Rgb {
    let l = |v: u8| (f64::from(v) + (255.0 - f64::from(v)) * amount).round().clamp(0.0, 255.0) as u8;
    (l(r), l(g), l(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_wcag_examples() {
        assert!((contrast_ratio((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 0.01);
        assert!(contrast_ratio((0x76, 0x76, 0x76), (255, 255, 255)) >= 4.5);
        assert!(contrast_ratio((0x77, 0x77, 0x77), (255, 255, 255)) < 4.5);
        assert_eq!(parse_hex("#005A9C"), Some((0, 0x5a, 0x9c)));
        assert_eq!(parse_hex("005a9c"), None);
        assert_eq!(to_hex(darken((100, 100, 100), 0.5)), "#323232");
    }
}
