//! The minutes PDF/A of a meeting with 40 paragraphs (motions in the order put, open votes with
//! every serving member's choice, reservations, conflicts of interest, attachments listed)
//! typeset through the meetings module's own path (`radhus_meetings::documents::render` with
//! the shipped `protokoll.typ`), against LibreOffice headless converting an equivalent HTML
//! document to PDF/A-2 in the same run. LibreOffice is skipped with a message when `soffice`
//! is not on the path (`bench/minutes/run.sh` installs it from Debian's packages first).
//!
//! `cargo run --release -p radhus-bench-minutes` (optional arguments: paragraphs, runs).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use radhus_kernel::ids::TenantId;
use radhus_kernel::{Clock, SystemClock};
use radhus_meetings::documents::{self, MinutesData, Paragraph, Person, Vote};

const PARTIES: [&str; 8] = ["S", "M", "C", "L", "KD", "V", "SD", "MP"];

/// A deterministic KS meeting: 13 serving members, `n` paragraphs; every third has a vote with
/// two motions and a reservation, every fifth a conflict of interest, every paragraph a decision
/// of three text paragraphs with its attachments listed.
fn meeting(n: usize) -> MinutesData {
    let members: Vec<Person> = (0..13)
        .map(|i| Person {
            name: format!("Ledamot {} Efternamn{}", i + 1, i + 1),
            role: match i {
                0 => "Ordförande".into(),
                1 => "Vice ordförande".into(),
                _ => "Ledamot".into(),
            },
            party: PARTIES[i % PARTIES.len()].into(),
            note: if i == 12 { "tjänstgör för Ledamot 14 Efternamn14".into() } else { String::new() },
        })
        .collect();
    let paragraphs = (0..n)
        .map(|i| {
            let number = 101 + i as i64;
            let voted = i % 3 == 0;
            let votes: Vec<Vote> = if voted {
                members
                    .iter()
                    .enumerate()
                    .map(|(j, m)| Vote { name: m.name.clone(), choice: if j % 3 == 0 { "Nej" } else { "Ja" }.into() })
                    .collect()
            } else {
                vec![]
            };
            let attachments = format!(
                "Bilagor: {number}:1 Tjänsteskrivelse {i}, {number}:2 Karta över området, {number}:3 Yttrande från samhällsbyggnadsnämnden."
            );
            Paragraph {
                number,
                heading: false,
                title: format!("Detaljplan för kvarteret Nummer {} – antagande", i + 1),
                case_number: format!("KS 2026/{:04}", 100 + i),
                outcome: "Beslutat".into(),
                decision: format!(
                    "Kommunstyrelsen beslutar att anta förslaget till detaljplan för kvarteret Nummer {} i enlighet med samhällsbyggnadsförvaltningens tjänsteskrivelse, och att uppdra åt förvaltningen att genomföra planen.\n\n\
                     Ärendet har beretts av arbetsutskottet. Planen ger möjlighet till bostäder och en förskola; samrådet och granskningen har visat att de synpunkter som kommit in kan tillgodoses inom planens ramar.\n\n{attachments}",
                    i + 1
                ),
                motions: if voted {
                    vec![
                        format!("{} (S): bifall till arbetsutskottets förslag", members[0].name),
                        format!("{} (M): återremiss för ytterligare utredning av trafiken", members[3].name),
                    ]
                } else {
                    vec![]
                },
                conflicts: if i % 5 == 0 { vec![format!("{} anmäler jäv och deltar inte i handläggningen", members[7].name)] } else { vec![] },
                tally: if voted { "9 ja, 4 nej, 0 avstår".into() } else { String::new() },
                serving: vec![],
                votes,
                reservations: if voted {
                    vec![format!("{} (M) reserverar sig till förmån för eget yrkande", members[3].name)]
                } else {
                    vec![]
                },
            }
        })
        .collect();
    MinutesData {
        municipality: "Karlstads kommun".into(),
        committee: "Kommunstyrelsen".into(),
        code: "KS".into(),
        when: "tisdag 1 december 2026 kl. 09.00–15.30".into(),
        place: "Sessionssalen, Stadshuset".into(),
        secretary: "Sara Sekreterare".into(),
        adjusters: vec!["Ledamot 1 Efternamn1".into(), "Ledamot 4 Efternamn4".into()],
        range: format!("§§ 101–{}", 100 + n),
        present: members,
        paragraphs,
        immediate: false,
        correction: String::new(),
        public_version: false,
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The same minutes as one HTML document for LibreOffice: the same header table, attendance
/// table, paragraphs with motions, votes (a table), outcome, decision and reservations.
fn html(d: &MinutesData) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>Protokoll {} {}</title></head><body><h1>Protokoll</h1><table>",
        esc(&d.committee),
        esc(&d.when)
    );
    for (k, v) in [
        ("Organ", d.committee.clone()),
        ("Tid", d.when.clone()),
        ("Plats", d.place.clone()),
        ("Sekreterare", d.secretary.clone()),
        ("Justerare", d.adjusters.join(", ")),
        ("Paragrafer", d.range.clone()),
    ] {
        let _ = write!(h, "<tr><th>{k}</th><td>{}</td></tr>", esc(&v));
    }
    h.push_str("</table><h2>Tjänstgörande</h2><table border=\"1\"><tr><th>Namn</th><th>Roll</th><th>Parti</th><th>Anmärkning</th></tr>");
    for m in &d.present {
        let _ = write!(h, "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", esc(&m.name), esc(&m.role), esc(&m.party), esc(&m.note));
    }
    h.push_str("</table>");
    for p in &d.paragraphs {
        let _ = write!(h, "<h3>{} § {} {}</h3><p>Dnr {}</p>", esc(&d.code), p.number, esc(&p.title), esc(&p.case_number));
        if !p.conflicts.is_empty() {
            let _ = write!(h, "<p><em>Jäv:</em> {}</p>", esc(&p.conflicts.join("; ")));
        }
        if !p.motions.is_empty() {
            h.push_str("<p><em>Yrkanden i propositionsordning:</em></p><ol>");
            for m in &p.motions {
                let _ = write!(h, "<li>{}</li>", esc(m));
            }
            h.push_str("</ol>");
        }
        if !p.votes.is_empty() {
            let _ = write!(h, "<p><em>Omröstning:</em> {}</p><table border=\"1\">", esc(&p.tally));
            for v in &p.votes {
                let _ = write!(h, "<tr><td>{}</td><td>{}</td></tr>", esc(&v.name), esc(&v.choice));
            }
            h.push_str("</table>");
        }
        let _ = write!(h, "<p><em>Utfall:</em> {}</p><p><strong>Beslut</strong></p>", esc(&p.outcome));
        for para in p.decision.split("\n\n") {
            let _ = write!(h, "<p>{}</p>", esc(para.trim()));
        }
        if !p.reservations.is_empty() {
            let _ = write!(h, "<p><em>Reservation:</em> {}</p>", esc(&p.reservations.join("; ")));
        }
    }
    h.push_str("</body></html>");
    h
}

fn pdfa(pdf: &[u8]) -> bool {
    let text = String::from_utf8_lossy(pdf);
    text.contains("pdfaid:part>2<") || text.contains("pdfaid:part=\"2\"")
}

fn pages(pdf: &[u8]) -> usize {
    String::from_utf8_lossy(pdf).matches("/Type /Page\n").count().max(String::from_utf8_lossy(pdf).matches("/Type/Page/").count())
}

/// One LibreOffice conversion of `input` to PDF/A-2b, process start included (as a server
/// would run it); `None` with the reason when it cannot run.
fn libreoffice(soffice: &Path, input: &Path, outdir: &Path, profile: &Path) -> Result<(Duration, Vec<u8>), String> {
    let filter = r#"pdf:writer_web_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}"#;
    let start = Instant::now();
    let out = Command::new(soffice)
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--norestore", "--convert-to", filter, "--outdir"])
        .arg(outdir)
        .arg(input)
        .output()
        .map_err(|e| format!("could not start {}: {e}", soffice.display()))?;
    let took = start.elapsed();
    let pdf = outdir.join(input.with_extension("pdf").file_name().unwrap_or_default());
    let bytes = std::fs::read(&pdf).map_err(|e| {
        format!("no PDF from LibreOffice ({e}); status {}, stderr: {}", out.status, String::from_utf8_lossy(&out.stderr).trim())
    })?;
    let _ = std::fs::remove_file(&pdf);
    Ok((took, bytes))
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(name)).find(|p| p.is_file())
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(40);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5).max(1);
    let data = meeting(n);
    let tenant = TenantId::new();
    let now = SystemClock.now();

    // Rådhus: the first run includes loading the fonts into the process; then `runs` more.
    let mut typst = Vec::new();
    let mut pdf = Vec::new();
    for _ in 0..=runs {
        let start = Instant::now();
        let json = serde_json::to_string(&data).expect("the minutes' data as JSON");
        pdf = match documents::render(tenant, documents::MINUTES.to_string(), json, now).await {
            Ok(pdf) => pdf,
            Err(e) => {
                eprintln!("typesetting the minutes failed: {e}");
                std::process::exit(1);
            }
        };
        typst.push(start.elapsed());
    }
    let first = typst.remove(0);
    let typst_median = median(typst.clone());
    println!("minutes of {n} paragraphs, {} bytes, PDF/A-2: {}, pages: {}", pdf.len(), pdfa(&pdf), pages(&pdf));
    println!("| | first s | median of {runs} s | min s | max s |");
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| Rådhus (`documents::render`, Typst) | {:.3} | {:.3} | {:.3} | {:.3} |",
        secs(first),
        secs(typst_median),
        secs(*typst.iter().min().unwrap_or(&first)),
        secs(*typst.iter().max().unwrap_or(&first))
    );

    let Some(soffice) = which("soffice").or_else(|| which("libreoffice")) else {
        println!(
            "LibreOffice skipped: no `soffice` on PATH (bench/minutes/run.sh installs libreoffice-writer-nogui from Debian's packages)."
        );
        return;
    };
    let dir = std::env::temp_dir().join(format!("radhus-bench-minutes-{}", std::process::id()));
    let profile = dir.join("profile");
    let _ = std::fs::create_dir_all(&profile);
    let input = dir.join("protokoll.html");
    if let Err(e) = std::fs::write(&input, html(&data)) {
        println!("LibreOffice skipped: cannot write {}: {e}", input.display());
        return;
    }
    let mut lo = Vec::new();
    let mut lo_pdf = Vec::new();
    for _ in 0..=runs.min(3) {
        match libreoffice(&soffice, &input, &dir, &profile) {
            Ok((took, bytes)) => {
                lo.push(took);
                lo_pdf = bytes;
            }
            Err(e) => {
                println!("LibreOffice skipped: {e}");
                let _ = std::fs::remove_dir_all(&dir);
                return;
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    // The first conversion also creates LibreOffice's user profile; count the later ones.
    let lo_first = lo.remove(0);
    let lo_median = median(lo.clone());
    println!(
        "| LibreOffice headless (HTML → PDF/A-2, process start included) | {:.3} | {:.3} | {:.3} | {:.3} |",
        secs(lo_first),
        secs(lo_median),
        secs(*lo.iter().min().unwrap_or(&lo_first)),
        secs(*lo.iter().max().unwrap_or(&lo_first))
    );
    println!(
        "| ratio LibreOffice / Rådhus | {:.1} | {:.1} | | |",
        secs(lo_first) / secs(first).max(1e-9),
        secs(lo_median) / secs(typst_median).max(1e-9)
    );
    println!("LibreOffice's PDF: {} bytes, PDF/A-2: {}, pages: {}", lo_pdf.len(), pdfa(&lo_pdf), pages(&lo_pdf));
    let goal = secs(typst_median) <= 0.5 && secs(lo_median) >= 10.0 * secs(typst_median);
    println!("goal (≤ 0.5 s and ≥ 10× faster than LibreOffice): {}", if goal { "met" } else { "NOT met" });
}
