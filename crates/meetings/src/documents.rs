//! The meeting's documents as PDF/A from Typst templates shipped with the module: the notice
//! with the agenda (`kallelse.typ`), the minutes (`protokoll.typ`) and one extract per
//! paragraph (`utdrag.typ`). Typesetting runs on a blocking thread and never inside a
//! transaction (ADR 0009; as cases' memo and elections' letters).

use radhus_kernel::ids::TenantId;
use radhus_platform::error::{Error, Result};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

const COMMON: &str = include_str!("../typst/common.typ");
pub const NOTICE: &str = include_str!("../typst/kallelse.typ");
pub const MINUTES: &str = include_str!("../typst/protokoll.typ");
pub const EXTRACT: &str = include_str!("../typst/utdrag.typ");

/// Typesets `template` with `data` as PDF/A, at most one compilation per municipality at a time.
pub async fn typeset<T: Serialize>(t: TenantId, template: &'static str, data: &T, now: OffsetDateTime) -> Result<Vec<u8>> {
    let json = serde_json::to_string(data).map_err(|e| Error::Internal(format!("document data: {e}")))?;
    let options = radhus_pdf::Options { deadline: radhus_pdf::DEFAULT_DEADLINE, owner: Some(t.0.to_string()) };
    let result = tokio::task::spawn_blocking(move || {
        radhus_pdf::render_with(template, &[("data", &json)], &[("/common.typ", COMMON.as_bytes())], now, &options)
    })
    .await
    .map_err(|e| Error::Internal(format!("typesetting: {e}")))?;
    result.map_err(|e| match e {
        radhus_pdf::PdfError::Busy(_) => crate::MeetingError::Busy.into(),
        e => Error::Internal(format!("typesetting a meeting document: {e}")),
    })
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
}
