//! Typesetting in the worker process `radhus pdf-worker`, as `serve` and `demo` do (ADR 0009,
//! *Bounds*): each document is made in a process of this binary that limits its own address
//! space and CPU time, and that is killed at its deadline.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use radhus_pdf::{Options, PdfError};

const CREATED: time::OffsetDateTime = time::macros::datetime!(2026-03-02 09:30 UTC);

/// The tests here run one at a time, so that the worker processes they see are their own.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Configures the worker as `serve` does, with this build's `radhus` binary.
fn with_worker() -> MutexGuard<'static, ()> {
    let worker = radhus_pdf::Worker {
        program: env!("CARGO_BIN_EXE_radhus").into(),
        args: vec!["pdf-worker".into()],
        memory: radhus_pdf::DEFAULT_MEMORY,
    };
    radhus_pdf::use_worker(worker).expect("the same worker for every test");
    ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner)
}

fn owner(name: &str, deadline: Duration) -> Options {
    Options { deadline, owner: Some(name.into()) }
}

/// The data of the shipped memo template (what `check_template` gives it).
fn memo_data() -> String {
    serde_json::json!({
        "municipality": "Karlstads kommun", "address": "Drottninggatan 1", "phone": "054-540 00 00",
        "email": "info@karlstad.se", "website": "karlstad.se", "unit": "Bygglovsenheten", "caseworker": "Omar Said",
        "date": "2 mars 2026", "case_number": "BN 2026/123", "record_number": "BN 2026/123-4",
        "case_title": "Bygglov för nybyggnad av enbostadshus, Skåre 1:23", "title": "Beslut om bygglov",
        "proposal": "Nämnden beviljar bygglov.", "summary": "Ansökan gäller ett enbostadshus.\n\nDen följer detaljplanen.",
        "background": "Ansökan kom in den 2 januari.", "assessment": "Förslaget följer detaljplanen.",
        "basis": ["Ansökan", "Situationsplan"],
    })
    .to_string()
}

const LOGO: &[u8] =
    br##"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#005a9c"/></svg>"##;

fn memo(options: &Options) -> Result<Vec<u8>, PdfError> {
    let data = memo_data();
    let inputs = [("data", data.as_str()), ("has_logo", "true")];
    radhus_pdf::render_with(radhus_cases::memo::DEFAULT_TEMPLATE, &inputs, &[("/logo.svg", LOGO)], CREATED, options)
}

/// The `pdf-worker` processes that are children of this test process now.
fn workers() -> Vec<u32> {
    let me = std::process::id().to_string();
    let Ok(entries) = std::fs::read_dir("/proc") else { return vec![] };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let ppid = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(1).map(str::to_string));
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            ppid.as_deref() == Some(me.as_str()) && String::from_utf8_lossy(&cmdline).contains("pdf-worker")
        })
        .collect()
}

#[test]
fn a_memo_is_typeset_in_the_worker_with_its_inputs_and_files() {
    let _one = with_worker();
    let pdf = memo(&owner("worker-memo", radhus_pdf::DEFAULT_DEADLINE)).expect("the memo renders in the worker");
    assert!(pdf.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("pdfaid:part>2<") || text.contains("pdfaid:part=\"2\""), "PDF/A-2 identification in XMP");

    // The worker's answers keep their structure: a template error names its line.
    let err = radhus_pdf::render("= Rubrik\n#let x = \n", &[], &[], CREATED).expect_err("syntax error");
    assert!(matches!(err, PdfError::Template(ref d) if d[0].line == Some(2)), "{err}");
    let err = radhus_pdf::render("= Rubrik", &[], &[("../utanför.svg", b"")], CREATED).expect_err("bad path");
    assert!(matches!(err, PdfError::Path(_)), "{err}");
    assert!(workers().is_empty(), "no worker is left behind");
}

#[test]
fn a_runaway_template_is_killed_at_its_deadline_and_frees_its_slot_at_once() {
    let _one = with_worker();
    let runaway = "#for i in range(100000) { for j in range(100000) { } }\n= Aldrig\n";
    // Watches the worker processes while the runaway template runs.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut seen = std::collections::BTreeSet::new();
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                seen.extend(workers());
                std::thread::sleep(Duration::from_millis(10));
            }
            seen
        })
    };
    let deadline = Duration::from_secs(2);
    let started = Instant::now();
    let err = radhus_pdf::render_with(runaway, &[], &[], CREATED, &owner("worker-runaway", deadline)).expect_err("stopped");
    let took = started.elapsed();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let seen = watcher.join().expect("watcher");
    assert!(matches!(err, PdfError::Timeout(d) if d == deadline), "{err}");
    assert!(took < Duration::from_secs(60), "stopped at its deadline, not when it ends: {took:?}");

    // The process is gone (killed and reaped, not even a zombie), and with it its slot.
    assert!(!seen.is_empty(), "the template ran in a worker process");
    for pid in &seen {
        assert!(!std::path::Path::new(&format!("/proc/{pid}")).exists(), "worker {pid} still exists");
    }
    assert!(!radhus_pdf::running("worker-runaway"), "the owner's slot is free");
    let pdf = memo(&owner("worker-runaway", radhus_pdf::DEFAULT_DEADLINE)).expect("the same owner's next document");
    assert!(pdf.starts_with(b"%PDF-"));
}

#[test]
fn a_memory_bomb_ends_its_worker_with_a_clear_error_not_the_server() {
    let _one = with_worker();
    // A generous deadline: this is about memory, and the debug build is slow.
    let options = owner("worker-bomb", Duration::from_secs(120));
    for bomb in [
        // One allocation of 2 GB.
        "#let s = \"x\" * 2000000000\n= #s.len()\n",
        // An array of 300 million values, growing until the limit.
        "#let a = range(300000000)\n= #a.len()\n",
    ] {
        let err = radhus_pdf::render_with(bomb, &[], &[], CREATED, &options).expect_err("stopped");
        let PdfError::Template(ref ds) = err else { panic!("a template error, not {err:?}") };
        assert!(ds.len() == 1 && ds[0].line.is_none() && ds[0].message.contains("1024 MiB of memory"), "{err}");
        assert!(!radhus_pdf::running("worker-bomb"));
    }
    // This process is still here and typesets on.
    assert!(memo(&owner("worker-bomb", radhus_pdf::DEFAULT_DEADLINE)).expect("renders").starts_with(b"%PDF-"));
}
