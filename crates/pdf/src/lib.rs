//! PDF/A documents from Typst templates. Typst runs embedded as a library: a template is Typst
//! source, its data arrives as strings in `sys.inputs` (structured data as a JSON string, read
//! with `json(bytes(sys.inputs.data))`), and further files (an SVG drawing, a logo) are served
//! from memory under the paths the caller names. The output is PDF/A-2b (ISO 19005-2, level B:
//! archivable, fonts embedded) and tagged, which is what the National Archives' rules (RA-FS
//! 2009:2) accept for long-term storage.
//!
//! This crate is the only one that links Typst (the heaviest dependency of the workspace), so
//! that most rebuilds do not relink it. There is no clock and no file system access: a template
//! sees only what it is given, and a date to print comes in as an input.
//!
//! A server typesets in a worker process ([`use_worker`]) that is limited in memory and CPU
//! time and killed at its deadline; without one, documents are typeset on a thread.

use std::collections::{BTreeSet, HashMap};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Condvar, LazyLock, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use typst::WorldExt;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Dict, IntoValue, Str};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

mod worker;
pub use worker::{DEFAULT_MEMORY, Worker, serve_worker, use_worker};

/// Why a document could not be made. The message is Typst's diagnostic, meant for the person
/// who edits the template (an administrator overriding a municipality's template sees it).
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the template has errors: {}", describe_all(.0))]
    Template(Vec<Diagnostic>),
    #[error("the document could not be written as PDF/A: {0}")]
    Export(String),
    #[error("bad file path in the document: {0}")]
    Path(String),
    /// The compilation ran past its deadline and was stopped (a runaway template): its worker
    /// process killed, or (without a worker) its thread abandoned.
    #[error("the template took longer than {} s and was stopped", .0.as_secs_f32())]
    Timeout(Duration),
    /// No compilation slot came free within the deadline: as many documents as allowed are
    /// being made, or the same owner's previous one is still running.
    #[error("too many documents are being made; none could start within {} s", .0.as_secs_f32())]
    Busy(Duration),
}

/// The bounds of one compilation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// How long the compilation may run before it is abandoned with [`PdfError::Timeout`];
    /// also how long it may wait for a slot before [`PdfError::Busy`].
    pub deadline: Duration,
    /// Whose document this is (a municipality). At most one compilation per owner runs at a
    /// time (without a worker, abandoned ones included), so one owner's runaway templates hold
    /// one core at most.
    pub owner: Option<String>,
}

/// The deadline of [`Options::default`].
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(10);

impl Default for Options {
    fn default() -> Self {
        Options { deadline: DEFAULT_DEADLINE, owner: None }
    }
}

/// One problem Typst found, with the template line it is on where it knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub line: Option<usize>,
    pub message: String,
}

fn describe_all(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| match d.line {
            Some(line) => format!("line {line}: {}", d.message),
            None => d.message.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The fonts shipped with Typst (Libertinus Serif, New Computer Modern, DejaVu Sans Mono),
/// parsed once per process.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
    Fonts { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
});

/// How many compilations may run at once (without a worker, abandoned ones included): one per
/// core, at least two.
pub fn max_running() -> usize {
    static MAX: LazyLock<usize> = LazyLock::new(|| std::thread::available_parallelism().map_or(2, |n| n.get().max(2)));
    *MAX
}

/// The compilations running now, and their owners.
struct Slots {
    state: Mutex<Running>,
    freed: Condvar,
}

#[derive(Default)]
struct Running {
    count: usize,
    owners: BTreeSet<String>,
}

static SLOTS: LazyLock<Slots> = LazyLock::new(|| Slots { state: Mutex::new(Running::default()), freed: Condvar::new() });

fn running_now() -> MutexGuard<'static, Running> {
    SLOTS.state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Whether a compilation for `owner` is running (without a worker, one abandoned at its
/// deadline included; a worker killed at its deadline is not).
pub fn running(owner: &str) -> bool {
    running_now().owners.contains(owner)
}

/// A running compilation's slot, given back when the compilation's thread or process ends.
struct Slot {
    owner: Option<String>,
}

impl Slot {
    fn take(owner: Option<&str>, wait: Duration) -> Result<Slot, PdfError> {
        let until = Instant::now() + wait;
        let mut state = running_now();
        loop {
            if state.count < max_running() && owner.is_none_or(|o| !state.owners.contains(o)) {
                state.count += 1;
                if let Some(o) = owner {
                    state.owners.insert(o.to_string());
                }
                return Ok(Slot { owner: owner.map(str::to_string) });
            }
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(PdfError::Busy(wait));
            }
            state = SLOTS.freed.wait_timeout(state, left).unwrap_or_else(PoisonError::into_inner).0;
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut state = running_now();
        state.count -= 1;
        if let Some(o) = &self.owner {
            state.owners.remove(o);
        }
        SLOTS.freed.notify_all();
    }
}

/// Compiles `source` with `inputs` as `sys.inputs` and `files` readable by path, and writes
/// the result as PDF/A-2b with `created` as its creation date (PDF/A requires one; it comes
/// from the caller's `Clock`, never from the wall clock here). The bounds are
/// [`Options::default`]: meant for the templates shipped with Rådhus.
pub fn render(source: &str, inputs: &[(&str, &str)], files: &[(&str, &[u8])], created: time::OffsetDateTime) -> Result<Vec<u8>, PdfError> {
    render_with(source, inputs, files, created, &Options::default())
}

/// [`render`] within `options`' bounds (call this off the async runtime's threads: the caller
/// waits up to twice `options.deadline`, for a slot and for the document).
///
/// With a [`Worker`] set ([`use_worker`], as a server does), the document is typeset in a
/// process of its own, limited in address space and CPU time, and killed at the deadline with
/// [`PdfError::Timeout`]; its slot is free once it is gone. A template that needs more memory
/// than the worker may have fails with a [`PdfError::Template`] diagnostic that says so.
///
/// Without one (tests of this library), the compilation runs on a thread of this process.
/// Typst cannot be interrupted: a compilation past its deadline is then abandoned with
/// [`PdfError::Timeout`] and runs on until it ends, keeping its slot (and its owner's) until
/// then, and its memory is not bounded (Typst bounds only call depth and `while` iterations).
pub fn render_with(
    source: &str,
    inputs: &[(&str, &str)],
    files: &[(&str, &[u8])],
    created: time::OffsetDateTime,
    options: &Options,
) -> Result<Vec<u8>, PdfError> {
    if let Some(worker) = worker::worker() {
        let _slot = Slot::take(options.owner.as_deref(), options.deadline)?;
        return worker::render(worker, source, inputs, files, created, options.deadline);
    }
    let world = world(source, inputs, files)?;
    let slot = Slot::take(options.owner.as_deref(), options.deadline)?;
    let (done, result) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("typst".into())
        .stack_size(STACK)
        .spawn(move || {
            let _slot = slot;
            let result = compile(&world, created);
            // Typst memoises across compilations; evicting after each document keeps a
            // long-running process from growing (safe beside other compilations: comemo's
            // caches are shared and locked, an eviction only costs them cache hits).
            typst::comemo::evict(0);
            let _ = done.send(result);
        })
        .map_err(|e| PdfError::Export(format!("no thread for the compilation: {e}")))?;
    match result.recv_timeout(options.deadline) {
        Ok(result) => result,
        Err(RecvTimeoutError::Timeout) => Err(PdfError::Timeout(options.deadline)),
        Err(RecvTimeoutError::Disconnected) => Err(PdfError::Export("the compilation stopped unexpectedly".into())),
    }
}

/// The in-memory world of one document.
fn world(source: &str, inputs: &[(&str, &str)], files: &[(&str, &[u8])]) -> Result<MemoryWorld, PdfError> {
    let main = file_id("/main.typ")?;
    let mut sources = HashMap::new();
    sources.insert(main, Source::new(main, source.to_string()));
    let mut blobs = HashMap::new();
    for (path, data) in files {
        blobs.insert(file_id(path)?, Bytes::new(data.to_vec()));
    }
    let mut dict = Dict::new();
    for (key, value) in inputs {
        dict.insert(Str::from(*key), Str::from(*value).into_value());
    }
    Ok(MemoryWorld { library: LazyHash::new(Library::builder().with_inputs(dict).build()), main, sources, blobs })
}

/// The compilation thread's stack: Typst recurses deeply (nested layouts, call depth 80).
const STACK: usize = 16 * 1024 * 1024;

fn compile(world: &MemoryWorld, created: time::OffsetDateTime) -> Result<Vec<u8>, PdfError> {
    let document: PagedDocument = typst::compile(world).output.map_err(|e| PdfError::Template(diagnostics(world, &e)))?;
    let standards = PdfStandards::new(&[PdfStandard::A_2b]).map_err(|e| PdfError::Export(e.message().to_string()))?;
    let utc = created.to_offset(time::UtcOffset::UTC);
    let timestamp = Datetime::from_ymd_hms(utc.year(), utc.month().into(), utc.day(), utc.hour(), utc.minute(), utc.second())
        .map(Timestamp::new_utc)
        .ok_or_else(|| PdfError::Export(format!("creation date out of range: {created}")))?;
    let options = PdfOptions { standards, timestamp: Some(timestamp), ..PdfOptions::default() };
    typst_pdf::pdf(&document, &options).map_err(|e| PdfError::Export(describe_all(&diagnostics(world, &e))))
}

/// Typst's diagnostics with their line numbers in the template (1-based).
fn diagnostics(world: &MemoryWorld, diagnostics: &[SourceDiagnostic]) -> Vec<Diagnostic> {
    diagnostics
        .iter()
        .map(|d| {
            let line = d.span.id().and_then(|id| {
                let source = world.sources.get(&id)?;
                let range = world.range(d.span)?;
                source.lines().byte_to_line(range.start).map(|l| l + 1)
            });
            Diagnostic { line, message: d.message.to_string() }
        })
        .collect()
}

fn file_id(path: &str) -> Result<FileId, PdfError> {
    let vpath = VirtualPath::new(path).map_err(|e| PdfError::Path(format!("{path}: {e}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

struct MemoryWorld {
    library: LazyHash<Library>,
    main: FileId,
    sources: HashMap<FileId, Source>,
    blobs: HashMap<FileId, Bytes>,
}

impl World for MemoryWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if let Some(source) = self.sources.get(&id) {
            return Ok(source.clone());
        }
        let bytes = self.file(id)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.to_string()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(source) = self.sources.get(&id) {
            return Ok(Bytes::from_string(source.clone()));
        }
        self.blobs.get(&id).cloned().ok_or_else(|| FileError::NotFound(format!("{id:?}").into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    /// No wall clock: a document's date is an input, so the same data gives the same document.
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEMO: &str = r#"
#set document(title: "Prov")
#set text(lang: "sv")
#let data = json(bytes(sys.inputs.data))
= #data.title
Åtgärd för #data.who: #image("logo.svg", width: 2cm)
"#;

    const LOGO: &[u8] =
        br##"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#005a9c"/></svg>"##;

    const CREATED: time::OffsetDateTime = time::macros::datetime!(2026-03-02 09:30 UTC);

    #[test]
    fn renders_pdf_a_with_inputs_and_files() {
        let pdf = render(MEMO, &[("data", r#"{"title":"Tjänsteskrivelse","who":"Märta Öberg"}"#)], &[("/logo.svg", LOGO)], CREATED)
            .expect("renders");
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("pdfaid:part>2<") || text.contains("pdfaid:part=\"2\""), "PDF/A-2 identification in XMP");
        assert!(text.contains("/Lang (sv)") || text.contains("/Lang(sv)"), "document language");
    }

    #[test]
    fn template_errors_name_the_line() {
        let err = render("= Rubrik\n#let x = \n", &[], &[], CREATED).expect_err("syntax error");
        assert!(matches!(err, PdfError::Template(ref d) if d[0].line == Some(2)), "{err}");
        assert!(err.to_string().contains("line 2: "), "{err}");
        let missing = render("#image(\"saknas.svg\")", &[], &[], CREATED).expect_err("missing file");
        assert!(matches!(missing, PdfError::Template(_)), "{missing}");
    }

    /// About five seconds of evaluation in a debug build, a few tenths in a release build.
    const SLOW: &str = "#for i in range(2000) { for j in range(2000) { } }\n= Klar\n";

    #[test]
    fn a_runaway_template_is_abandoned_at_its_deadline_and_holds_only_its_owners_slot() {
        let owner = |o: &str, ms: u64| Options { deadline: Duration::from_millis(ms), owner: Some(o.into()) };
        let started = Instant::now();
        let err = render_with(SLOW, &[], &[], CREATED, &owner("slow", 200)).expect_err("stopped");
        assert!(matches!(err, PdfError::Timeout(d) if d == Duration::from_millis(200)), "{err}");
        assert!(started.elapsed() < Duration::from_secs(2), "abandoned at the deadline, not when it ends: {:?}", started.elapsed());
        assert!(err.to_string().contains("took longer than 0.2 s"), "{err}");

        // The abandoned compilation runs on and keeps its owner's slot: the same owner waits
        // and is refused at its deadline, another owner is served at once.
        assert!(running("slow"));
        let busy = render_with("= Snabb", &[], &[], CREATED, &owner("slow", 100)).expect_err("the owner's slot is taken");
        assert!(matches!(busy, PdfError::Busy(_)), "{busy}");
        let pdf = render_with("= Snabb", &[], &[], CREATED, &owner("other", 10_000)).expect("another owner");
        assert!(pdf.starts_with(b"%PDF-"));

        // When it ends, the slot is free again.
        let until = Instant::now() + Duration::from_secs(120);
        while running("slow") {
            assert!(Instant::now() < until, "the abandoned compilation never ended");
            std::thread::sleep(Duration::from_millis(50));
        }
        render_with("= Snabb", &[], &[], CREATED, &owner("slow", 10_000)).expect("the owner's slot is free");
    }
}
