//! The flower box (blomlådan) drawn on the server as SVG: a flower per target-group area with
//! one petal per indicator, the grass (leadership and ways of working) with one blade per
//! indicator and the soil (technical prerequisites) with one stone per indicator, each red,
//! yellow or green by the answer (grey when unanswered). No script, no inline CSS (the CSP
//! forbids it): colours are presentation attributes. The picture carries its own text
//! alternative (`<title>`, `<desc>`); the pages put a table of the same figures beside it.

use std::fmt::Write;

use radhus_platform::web::escape;

use crate::domain::{Answers, Catalogue, Level, Place, score};

pub const RED: &str = "#c62828";
pub const YELLOW: &str = "#f9c74f";
pub const GREEN: &str = "#2e7d32";
pub const GREY: &str = "#d5d5d5";
const INK: &str = "#1f1f1f";

pub fn colour(l: Option<Level>) -> &'static str {
    match l {
        Some(Level::NotMet) => RED,
        Some(Level::Partly) => YELLOW,
        Some(Level::Met) => GREEN,
        None => GREY,
    }
}

/// The words the picture needs, in the page's language.
pub struct Labels {
    /// e.g. "Blomlådan: Karlstad 2018".
    pub title: String,
    /// The text alternative: every area with its points.
    pub desc: String,
    /// "av" / "of" between points and maximum.
    pub of: String,
    /// Legend: fully met, partly met, not met, not answered.
    pub legend: [String; 4],
}

const W: f64 = 960.0;
const H: f64 = 680.0;

/// Splits a long area name into at most three lines of about `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![];
    let mut cur = String::new();
    for word in text.split_whitespace() {
        if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines.truncate(3);
    lines
}

/// The flower box of one assessment as a standalone SVG document (also inlined in pages).
pub fn svg(cat: &Catalogue, answers: &Answers, labels: &Labels) -> String {
    let scores = score(cat, answers);
    let mut s = String::with_capacity(16_000);
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="100%" role="img" aria-labelledby="flower-title flower-desc" class="flower-box" font-family="Helvetica, Arial, sans-serif">"##
    );
    let _ =
        write!(s, r#"<title id="flower-title">{}</title><desc id="flower-desc">{}</desc>"#, escape(&labels.title), escape(&labels.desc));
    let _ = write!(s, r##"<rect x="0" y="0" width="{W}" height="{H}" fill="#f3f7fb"/>"##);

    // Flowers: one per target-group area, petals around the centre.
    let flowers: Vec<_> = cat.areas.iter().filter(|a| a.place == Place::Flower).collect();
    let slot = (W - 20.0) / flowers.len().max(1) as f64;
    for (n, area) in flowers.iter().enumerate() {
        let x = 10.0 + slot * (n as f64 + 0.5);
        let cy = 205.0;
        for (k, line) in wrap(&area.name, 18).iter().enumerate() {
            let _ = write!(
                s,
                r#"<text x="{x:.1}" y="{}" font-size="15" text-anchor="middle" fill="{INK}">{}</text>"#,
                30.0 + 18.0 * k as f64,
                escape(line)
            );
        }
        let _ = write!(
            s,
            r##"<path d="M{x:.1} {:.1} C {:.1} 330, {:.1} 360, {x:.1} 410" stroke="#2f6b2f" stroke-width="7" fill="none"/>"##,
            cy + 20.0,
            x - 14.0,
            x + 12.0
        );
        let _ = write!(
            s,
            r##"<ellipse cx="{:.1}" cy="345" rx="22" ry="9" transform="rotate(-30 {:.1} 345)" fill="#3f8f3f" stroke="#1e4d1e" stroke-width="1.5"/>"##,
            x + 22.0,
            x + 22.0
        );
        let inds: Vec<_> = cat.indicators_of(&area.key).collect();
        let count = inds.len().max(1) as f64;
        for (k, ind) in inds.iter().enumerate() {
            let angle = 360.0 * k as f64 / count;
            let fill = colour(answers.get(&ind.id).copied());
            let _ = write!(
                s,
                r#"<ellipse cx="{x:.1}" cy="{:.1}" rx="14" ry="36" transform="rotate({angle:.1} {x:.1} {cy:.1})" fill="{fill}" stroke="{INK}" stroke-width="1.5"><title>{}</title></ellipse>"#,
                cy - 44.0,
                escape(&ind.id)
            );
        }
        let t = scores.area(&area.key).map(|a| a.tally.clone()).unwrap_or_default();
        let _ = write!(s, r##"<circle cx="{x:.1}" cy="{cy:.1}" r="24" fill="#fff8dc" stroke="{INK}" stroke-width="1.5"/>"##);
        let _ = write!(
            s,
            r#"<text x="{x:.1}" y="{:.1}" font-size="13" font-weight="bold" text-anchor="middle" fill="{INK}">{}/{}</text>"#,
            cy + 5.0,
            t.points,
            t.max
        );
    }

    // Grass: one blade per leadership indicator.
    let ground = 470.0;
    if let Some(area) = cat.areas.iter().find(|a| a.place == Place::Grass) {
        let t = scores.area(&area.key).map(|a| a.tally.clone()).unwrap_or_default();
        let _ = write!(s, r##"<rect x="0" y="{:.1}" width="{W}" height="{:.1}" fill="#e3f0dc"/>"##, ground - 62.0, 62.0);
        let inds: Vec<_> = cat.indicators_of(&area.key).collect();
        let step = (W - 40.0) / inds.len().max(1) as f64;
        for (k, ind) in inds.iter().enumerate() {
            let x0 = 20.0 + step * k as f64;
            let fill = colour(answers.get(&ind.id).copied());
            let _ = write!(
                s,
                r#"<polygon points="{:.1},{ground:.1} {:.1},{:.1} {:.1},{ground:.1}" fill="{fill}" stroke="{INK}" stroke-width="1"><title>{}</title></polygon>"#,
                x0 + 1.0,
                x0 + step / 2.0,
                ground - 55.0,
                x0 + step - 1.0,
                escape(&ind.id)
            );
        }
        // The label sits on a light plate so the flower stems behind it do not cut the text.
        let label = format!("{} – {} {} {}", area.name, t.points, labels.of, t.max);
        let _ = write!(
            s,
            r##"<rect x="12" y="{:.1}" width="{:.1}" height="24" rx="4" fill="#ffffff" stroke="#2f6b2f" stroke-width="1"/>"##,
            ground - 87.0,
            8.4 * label.chars().count() as f64 + 16.0
        );
        let _ = write!(s, r#"<text x="20" y="{:.1}" font-size="15" fill="{INK}">{}</text>"#, ground - 70.0, escape(&label));
    }

    // Soil: one stone per technical indicator.
    let _ = write!(s, r##"<rect x="0" y="{ground:.1}" width="{W}" height="{:.1}" fill="#5d4027"/>"##, 150.0);
    if let Some(area) = cat.areas.iter().find(|a| a.place == Place::Soil) {
        let t = scores.area(&area.key).map(|a| a.tally.clone()).unwrap_or_default();
        let _ = write!(
            s,
            r##"<text x="20" y="{:.1}" font-size="15" fill="#ffffff">{} – {} {} {}</text>"##,
            ground + 22.0,
            escape(&area.name),
            t.points,
            escape(&labels.of),
            t.max
        );
        let inds: Vec<_> = cat.indicators_of(&area.key).collect();
        let per_row = inds.len().div_ceil(2).max(1);
        let w = (W - 40.0) / per_row as f64;
        for (k, ind) in inds.iter().enumerate() {
            let (row, col) = (k / per_row, k % per_row);
            let x = 20.0 + w * col as f64;
            let y = ground + 34.0 + 50.0 * row as f64;
            let fill = colour(answers.get(&ind.id).copied());
            let _ = write!(
                s,
                r#"<rect x="{:.1}" y="{y:.1}" width="{:.1}" height="40" rx="12" fill="{fill}" stroke="{INK}" stroke-width="1.5"><title>{}</title></rect>"#,
                x + 4.0,
                w - 8.0,
                escape(&ind.id)
            );
        }
    }

    // Legend.
    let ly = H - 30.0;
    let colours = [GREEN, YELLOW, RED, GREY];
    for (k, (c, l)) in colours.iter().zip(labels.legend.iter()).enumerate() {
        let x = 20.0 + 185.0 * k as f64;
        let _ = write!(s, r#"<rect x="{x:.1}" y="{:.1}" width="20" height="20" fill="{c}" stroke="{INK}" stroke-width="1"/>"#, ly - 15.0);
        let _ = write!(s, r#"<text x="{:.1}" y="{ly:.1}" font-size="15" fill="{INK}">{}</text>"#, x + 28.0, escape(l));
    }
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{:.1}" font-size="17" text-anchor="end" fill="{INK}" font-weight="bold">{} {} {}</text>"#,
        W - 20.0,
        ly,
        scores.total.points,
        escape(&labels.of),
        scores.total.max
    );
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::parse_catalogue;

    #[test]
    fn one_shape_per_indicator_coloured_by_its_answer_and_text_escaped() {
        let cat = parse_catalogue("2017", "x", include_str!("../../../data/eblomlada-2017.csv")).expect("catalogue");
        let mut answers = Answers::new();
        answers.insert("EB17-01".into(), Level::Met);
        answers.insert("EB17-13".into(), Level::NotMet);
        let labels = Labels {
            title: "Blomlådan <Kil> 2026".into(),
            desc: "d".into(),
            of: "av".into(),
            legend: ["Helt".into(), "Delvis".into(), "Inte".into(), "Ej besvarad".into()],
        };
        let svg = svg(&cat, &answers, &labels);
        assert!(svg.contains("Blomlådan &lt;Kil&gt; 2026"));
        assert!(!svg.contains("<script") && !svg.contains("style="));
        // 88 indicator shapes each carry their id as a tooltip.
        assert_eq!(svg.matches("<title>EB17-").count(), 88);
        assert!(svg.contains(&format!(r#"fill="{GREEN}" stroke="{INK}" stroke-width="1.5"><title>EB17-01<"#)));
        assert!(svg.contains(&format!(r#"fill="{RED}" stroke="{INK}" stroke-width="1.5"><title>EB17-13<"#)));
        assert_eq!(svg.matches(&format!(r#"fill="{GREY}""#)).count(), 86 + 1, "86 unanswered and the legend");
        assert!(svg.contains("4 av 264"));
    }
}
