//! The meeting's documents as PDF/A from Typst templates shipped with the module: the notice
//! with the agenda (`kallelse.typ`), the minutes (`protokoll.typ`) and one extract per
//! paragraph (`utdrag.typ`), the public agenda (`foredragningslista.typ`) and the notice
//! board's announcement (`anslag.typ`); a municipality may replace each (`templates`).
//! Typesetting runs on a blocking thread and never inside a transaction (ADR 0009; as cases'
//! memo and elections' letters).

use radhus_kernel::ids::TenantId;
use radhus_platform::db::{Db, Scope, Tx};
use radhus_platform::error::{Error, Result};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

const COMMON: &str = include_str!("../typst/common.typ");
pub const NOTICE: &str = include_str!("../typst/kallelse.typ");
pub const AGENDA: &str = include_str!("../typst/foredragningslista.typ");
pub const MINUTES: &str = include_str!("../typst/protokoll.typ");
pub const EXTRACT: &str = include_str!("../typst/utdrag.typ");
pub const BOARD: &str = include_str!("../typst/anslag.typ");

/// A document of the meetings module typeset from a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doc {
    /// Kallelse with the agenda (and a supplementary notice's changes).
    Notice,
    /// The public version of the agenda (föredragningslista) on `/moten`.
    Agenda,
    /// The minutes (also a paragraph adjusted immediately, a corrected version, the public version).
    Minutes,
    /// The extract of a paragraph registered in its case.
    Extract,
    /// The notice board's announcement that minutes are adjusted.
    Board,
}

impl Doc {
    pub const ALL: [Doc; 5] = [Doc::Notice, Doc::Agenda, Doc::Minutes, Doc::Extract, Doc::Board];

    /// The key in `document_template`.
    pub fn key(self) -> &'static str {
        match self {
            Doc::Notice => "mtg.kallelse",
            Doc::Agenda => "mtg.foredragningslista",
            Doc::Minutes => "mtg.protokoll",
            Doc::Extract => "mtg.utdrag",
            Doc::Board => "mtg.anslag",
        }
    }

    /// Its part of the template page's address: `/admin/moten/mallar/{slug}`.
    pub fn slug(self) -> &'static str {
        self.key().trim_start_matches("mtg.")
    }

    pub fn from_slug(slug: &str) -> Option<Doc> {
        Doc::ALL.into_iter().find(|d| d.slug() == slug)
    }

    /// The Fluent id of its name ("Kallelse och föredragningslista").
    pub fn label(self) -> &'static str {
        match self {
            Doc::Notice => "mtg-tpl-kallelse",
            Doc::Agenda => "mtg-tpl-foredragningslista",
            Doc::Minutes => "mtg-tpl-protokoll",
            Doc::Extract => "mtg-tpl-utdrag",
            Doc::Board => "mtg-tpl-anslag",
        }
    }

    /// The template shipped with Rådhus.
    pub fn default_source(self) -> &'static str {
        match self {
            Doc::Notice => NOTICE,
            Doc::Agenda => AGENDA,
            Doc::Minutes => MINUTES,
            Doc::Extract => EXTRACT,
            Doc::Board => BOARD,
        }
    }
}

/// The template the municipality typesets `doc` with, and whether it is its own (`false`: the
/// shipped one).
pub async fn source(tx: &mut Tx, t: TenantId, doc: Doc) -> Result<(String, bool)> {
    Ok(match radhus_cases::memo::own_template(tx, t, doc.key()).await? {
        Some(own) => (own, true),
        None => (doc.default_source().to_string(), false),
    })
}

/// Typesets `doc` with `data` as PDF/A from the municipality's template (its own, else the
/// shipped one; read in a short transaction of its own, so call it with none open), at most one
/// compilation per municipality at a time. An own template was typeset with sample data when
/// saved; should it still fail on real data, the secretary is told to have it corrected
/// (`MTG-024`) rather than shown a server error.
pub async fn typeset<T: Serialize>(db: &Db, t: TenantId, doc: Doc, data: &T, now: OffsetDateTime) -> Result<Vec<u8>> {
    let json = serde_json::to_string(data).map_err(|e| Error::Internal(format!("document data: {e}")))?;
    let mut tx = db.read(Scope::Tenant(t)).await?;
    let (source, own) = source(&mut tx, t, doc).await?;
    tx.commit().await?;
    render(t, source, json, now).await.map_err(|e| match e {
        radhus_pdf::PdfError::Busy(_) => crate::MeetingError::Busy.into(),
        e if own => {
            tracing::warn!(tenant = %t.0, template = doc.key(), error = %e, "the municipality's meeting template failed");
            crate::MeetingError::TemplateFailed.into()
        }
        e => Error::Internal(format!("typesetting a meeting document: {e}")),
    })
}

/// Typesets a template's `source` with the data as JSON (`sys.inputs.data`; `common.typ`
/// beside it) on a blocking thread, within the platform's deadline. No database: the benchmark
/// (`bench/minutes`) times this with the shipped template.
pub async fn render(t: TenantId, source: String, json: String, now: OffsetDateTime) -> std::result::Result<Vec<u8>, radhus_pdf::PdfError> {
    let options = radhus_pdf::Options { deadline: radhus_pdf::DEFAULT_DEADLINE, owner: Some(t.0.to_string()) };
    tokio::task::spawn_blocking(move || {
        radhus_pdf::render_with(&source, &[("data", &json)], &[("/common.typ", COMMON.as_bytes())], now, &options)
    })
    .await
    .map_err(|e| radhus_pdf::PdfError::Export(format!("typesetting: {e}")))?
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct NoticeItem {
    /// The agenda item (absent in snapshots frozen before supplementary notices existed).
    #[serde(default)]
    pub id: Option<Uuid>,
    pub no: usize,
    pub heading: bool,
    pub kind: String,
    pub title: String,
    pub case_number: String,
    pub proposal: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub role: String,
    pub party: String,
    #[serde(default)]
    pub note: String,
}

/// One change of the agenda since the notice before: `added`, `withdrawn` or `changed`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AgendaChange {
    pub change: String,
    /// The item (None for an item of an old snapshot, which has no id).
    #[serde(default)]
    pub item: Option<Uuid>,
    pub title: String,
    pub case_number: String,
    /// What changed in a `changed` item, in Swedish ("rubrik, förslag till beslut").
    #[serde(default)]
    pub what: String,
}

/// What the notice shows; its JSON is also the agenda's frozen snapshot. A supplementary
/// notice (`version` 2, 3 …) also lists what changed since the version before.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct NoticeData {
    #[serde(default = "first_version")]
    pub version: i64,
    #[serde(default)]
    pub changes: Vec<AgendaChange>,
    pub municipality: String,
    pub committee: String,
    pub when: String,
    pub place: String,
    pub public: bool,
    pub secretary: String,
    pub items: Vec<NoticeItem>,
    pub members: Vec<Person>,
}

fn first_version() -> i64 {
    1
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Vote {
    pub name: String,
    pub choice: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Paragraph {
    pub number: i64,
    pub heading: bool,
    pub title: String,
    pub case_number: String,
    pub outcome: String,
    pub decision: String,
    pub motions: Vec<String>,
    pub conflicts: Vec<String>,
    pub votes: Vec<Vote>,
    pub tally: String,
    /// Who served on the paragraph, where it differs from the meeting's attendance (arrivals,
    /// departures, jäv, substitutes for one item); empty otherwise.
    #[serde(default)]
    pub serving: Vec<String>,
    pub reservations: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct MinutesData {
    pub municipality: String,
    pub committee: String,
    pub code: String,
    pub when: String,
    pub place: String,
    pub secretary: String,
    pub adjusters: Vec<String>,
    pub range: String,
    pub present: Vec<Person>,
    pub paragraphs: Vec<Paragraph>,
    /// The minutes of one paragraph adjusted immediately (omedelbar justering).
    pub immediate: bool,
    /// A corrected version of adjusted minutes: what the first page says about the correction
    /// ("Rättad version 2 …"), empty for the adjusted original.
    #[serde(default)]
    pub correction: String,
    /// The public version: secret paragraphs left out, private persons' names and identity
    /// numbers masked (not the archival original the adjusters signed).
    #[serde(default)]
    pub public_version: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ExtractData {
    pub municipality: String,
    pub committee: String,
    pub code: String,
    pub when: String,
    pub number: i64,
    pub title: String,
    pub case_number: String,
    pub outcome: String,
    pub decision: String,
    pub reservations: Vec<String>,
    pub adjusted: String,
    pub appeal: String,
    /// An extract of a corrected version of the minutes: which version and why ("" for the
    /// adjusted original's).
    pub correction: String,
}

/// The public version of the agenda before the meeting (föredragningslista): the latest issued
/// notice's items as the public page shows them, secret ones left out and the rest masked.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AgendaData {
    pub municipality: String,
    pub committee: String,
    pub when: String,
    pub place: String,
    pub public: bool,
    /// The issued notice it follows (1 the notice, 2 … supplements).
    pub version: i64,
    /// That the meeting is cancelled, with the reason, or "".
    pub note: String,
    pub items: Vec<NoticeItem>,
    pub members: Vec<Person>,
}

/// The notice board's announcement that minutes are adjusted (KL 8 kap. 12 §).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BoardData {
    pub municipality: String,
    pub committee: String,
    pub code: String,
    pub when: String,
    pub range: String,
    pub adjusted: String,
    pub posted: String,
    pub appeal_until: String,
    pub kept_at: String,
    /// That (and when) the minutes were corrected after the posting, or "".
    pub correction: String,
}
