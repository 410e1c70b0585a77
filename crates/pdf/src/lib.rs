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

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use typst::WorldExt;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Dict, IntoValue, Str};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

/// Why a document could not be made. The message is Typst's diagnostic, meant for the person
/// who edits the template (an administrator overriding a municipality's template sees it).
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the template has errors: {0}")]
    Template(String),
    #[error("the document could not be written as PDF/A: {0}")]
    Export(String),
    #[error("bad file path in the document: {0}")]
    Path(String),
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

/// Typst memoises across compilations; a long-running server evicts after each document so
/// the cache does not grow without bound. One document at a time keeps the eviction from
/// racing another compilation's cache use.
static COMPILE: Mutex<()> = Mutex::new(());

/// Compiles `source` with `inputs` as `sys.inputs` and `files` readable by path, and writes
/// the result as PDF/A-2b with `created` as its creation date (PDF/A requires one; it comes
/// from the caller's `Clock`, never from the wall clock here).
pub fn render(source: &str, inputs: &[(&str, &str)], files: &[(&str, &[u8])], created: time::OffsetDateTime) -> Result<Vec<u8>, PdfError> {
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
    let world = MemoryWorld { library: LazyHash::new(Library::builder().with_inputs(dict).build()), main, sources, blobs };

    let _guard = COMPILE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let result = compile(&world, created);
    typst::comemo::evict(0);
    result
}

fn compile(world: &MemoryWorld, created: time::OffsetDateTime) -> Result<Vec<u8>, PdfError> {
    let document: PagedDocument = typst::compile(world).output.map_err(|e| PdfError::Template(describe(world, &e)))?;
    let standards = PdfStandards::new(&[PdfStandard::A_2b]).map_err(|e| PdfError::Export(e.message().to_string()))?;
    let utc = created.to_offset(time::UtcOffset::UTC);
    let timestamp = Datetime::from_ymd_hms(utc.year(), utc.month().into(), utc.day(), utc.hour(), utc.minute(), utc.second())
        .map(Timestamp::new_utc)
        .ok_or_else(|| PdfError::Export(format!("creation date out of range: {created}")))?;
    let options = PdfOptions { standards, timestamp: Some(timestamp), ..PdfOptions::default() };
    typst_pdf::pdf(&document, &options).map_err(|e| PdfError::Export(describe(world, &e)))
}

/// The diagnostics as one line each, with the line number in the template where Typst knows it.
fn describe(world: &MemoryWorld, diagnostics: &[SourceDiagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            let line = d.span.id().and_then(|id| {
                let source = world.sources.get(&id)?;
                let range = world.range(d.span)?;
                source.lines().byte_to_line(range.start).map(|l| l + 1)
            });
            match line {
                Some(line) => format!("line {line}: {}", d.message),
                None => d.message.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
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
        assert!(matches!(err, PdfError::Template(ref m) if m.contains("line 2")), "{err}");
        let missing = render("#image(\"saknas.svg\")", &[], &[], CREATED).expect_err("missing file");
        assert!(matches!(missing, PdfError::Template(_)), "{missing}");
    }
}
