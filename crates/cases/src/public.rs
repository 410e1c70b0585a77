//! The public diary (offentlig diarium): every registered case and record of the
//! municipality, searchable, with secret fields masked and no personal identity numbers.

use radhus_kernel::ids::TenantId;
use radhus_platform::db::Tx;
use radhus_platform::error::{Error, Result};
use radhus_platform::search;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use uuid::Uuid;

use crate::domain::{CaseStatus, MASK, RecordStatus};
use crate::store::{self, CaseRow, RecordRow};

/// A case as the public sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicCase {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub case_type: String,
    pub unit: Option<String>,
    pub status: String,
    pub opened: String,
    pub closed: Option<String>,
}

/// A registered record as the public sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicRecord {
    pub number: String,
    pub kind: String,
    pub direction: String,
    pub title: String,
    pub correspondent: String,
    pub registered: String,
    pub document_date: Option<String>,
    /// Inbound: the day it came in.
    pub received: Option<String>,
    /// Outbound and decisions: the day it was sent.
    pub dispatched: Option<String>,
    /// The legal ground of a secrecy marking, when there is one (OSL 5 kap. 5 §).
    pub secrecy: Option<String>,
    /// The day the record was obliterated (makulerad), when it was. The reason is staff's note
    /// and is not shown here (it may name a person or what is secret); it is on the record,
    /// which anyone may request.
    pub obliterated: Option<String>,
}

pub fn public_case(c: &CaseRow) -> PublicCase {
    PublicCase {
        id: c.id,
        number: c.number.clone(),
        title: search::mask_identity_numbers(&c.public_title),
        case_type: c.case_type_name.clone(),
        unit: c.unit_name.clone(),
        status: c.status.as_str().to_string(),
        opened: c.opened_at.date().to_string(),
        closed: c.closed_at.map(|d| d.date().to_string()),
    }
}

/// Masks what is secret, hides private persons' names (GDPR) and identity numbers.
pub fn public_record(case_number: &str, r: &RecordRow) -> PublicRecord {
    let correspondent = if r.is_secret("correspondent") {
        MASK.to_string()
    } else if r.correspondent_is_person {
        "[Privatperson]".to_string()
    } else {
        search::mask_identity_numbers(&r.correspondent)
    };
    PublicRecord {
        number: format!("{case_number}-{}", r.running_no),
        kind: r.kind.as_str().to_string(),
        direction: r.kind.letter().to_string(),
        title: if r.is_secret("title") { MASK.to_string() } else { search::mask_identity_numbers(&r.title) },
        correspondent,
        registered: r.registered_at.map(|d| d.date().to_string()).unwrap_or_default(),
        document_date: r.document_date.map(|d| d.to_string()),
        received: r.received_on.map(|d| d.to_string()),
        dispatched: r.dispatched_at.map(|d| d.date().to_string()),
        secrecy: (!r.secret_fields.0.is_empty()).then(|| r.secrecy_ground.clone()),
        obliterated: r.obliterated_at.map(|d| radhus_kernel::tz::stockholm(d).date().to_string()),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct DiaryQuery {
    /// Words to search for (Swedish stemming: "bygglovet" finds "bygglov").
    pub q: Option<String>,
    /// 1-based page.
    pub sida: Option<String>,
}

pub const PER_PAGE: i64 = 25;

/// Results of the public diary, cached per municipality. An entry is used only while the
/// municipality's diary generation (`store::diary_generation`, raised in the transaction of
/// every change the diary shows) is the one it was read at, so a registered or re-marked
/// record is visible at once, on every server of a cluster: each reads the generation from
/// the database, one primary-key lookup instead of a full-text search.
#[derive(Clone)]
enum Cached {
    Search(Arc<(Vec<PublicCase>, i64)>),
    Case(Arc<(PublicCase, Vec<PublicRecord>)>),
}

/// Entries kept before the cache starts over (a search result is a page of 25 cases).
const CACHE_ENTRIES: usize = 20_000;

type CacheKey = (TenantId, String);
static CACHE: LazyLock<Mutex<HashMap<CacheKey, (i64, Cached)>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

fn cache_get(key: &CacheKey, generation: i64) -> Option<Cached> {
    let cache = CACHE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    cache.get(key).filter(|(g, _)| *g == generation).map(|(_, v)| v.clone())
}

fn cache_put(key: CacheKey, generation: i64, value: Cached) {
    let mut cache = CACHE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if cache.len() >= CACHE_ENTRIES {
        cache.clear();
    }
    cache.insert(key, (generation, value));
}

pub async fn search_cases(tx: &mut Tx, t: TenantId, q: &str, page: i64) -> Result<(Vec<PublicCase>, i64)> {
    let terms = search::query_terms(q);
    let generation = store::diary_generation(tx, t).await?;
    let key = (t, format!("search:{page}:{}", terms.join(" ")));
    if let Some(Cached::Search(hit)) = cache_get(&key, generation) {
        return Ok((*hit).clone());
    }
    let (rows, total) = store::public_cases(tx, t, &terms, PER_PAGE, (page - 1) * PER_PAGE).await?;
    let result = (rows.iter().map(public_case).collect::<Vec<_>>(), total);
    cache_put(key, generation, Cached::Search(Arc::new(result.clone())));
    Ok(result)
}

/// A case and its registered records; drafts never show.
pub async fn case_with_records(tx: &mut Tx, t: TenantId, id: Uuid) -> Result<(PublicCase, Vec<PublicRecord>)> {
    let generation = store::diary_generation(tx, t).await?;
    let key = (t, format!("case:{id}"));
    if let Some(Cached::Case(hit)) = cache_get(&key, generation) {
        return Ok((*hit).clone());
    }
    let c = store::case(tx, t, id).await?.filter(|c| c.status != CaseStatus::Obliterated).ok_or(Error::NotFound)?;
    let records = store::records(tx, t, id).await?;
    let public = records.iter().filter(|r| r.status != RecordStatus::Drafted).map(|r| public_record(&c.number, r)).collect();
    let result = (public_case(&c), public);
    cache_put(key, generation, Cached::Case(Arc::new(result.clone())));
    Ok(result)
}
