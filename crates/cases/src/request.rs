//! A request from the public diary to see an official document (begäran om att ta del av
//! allmän handling, TF 2 kap.): anyone may ask, without saying who they are or why (TF 2 kap.
//! 18 §). The request is registered at once as an inbound record of the case the document
//! belongs to, whatever the case's status (a closed case's documents are asked for as often
//! as an open one's), with the request as its main document (a text file), so the registry
//! finds it among the case's records and answers it.

use radhus_kernel::ids::TenantId;
use radhus_platform::audit::Actor;
use radhus_platform::db::{Db, Scope};
use radhus_platform::error::{Error, FieldError, Result};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::domain::{CaseStatus, RecordKind};
use crate::service::{self, NewRecord, Who};
use crate::store;

/// The name the case's timeline and the record give the requester's channel.
pub const CHANNEL: &str = "Begäran via det offentliga diariet";

/// What the request form sends.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DocumentRequest {
    /// The diary number of the document (`KS 2026/12-3`) or of the whole case (`KS 2026/12`).
    #[serde(default)]
    pub handling: String,
    /// What the person wants, in their words (optional).
    #[serde(default)]
    pub beskrivning: String,
    /// The requester's name (optional: a request may be anonymous).
    #[serde(default)]
    pub namn: String,
    /// Where to send the document or the answer: an e-mail or postal address.
    #[serde(default)]
    pub kontakt: String,
}

/// What was registered: the record's diary number and the case's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub record_number: String,
    pub case_number: String,
}

impl DocumentRequest {
    /// Every problem at once; `case_number` is the number of the case asked about.
    pub fn check(&self, case_number: &str) -> Vec<FieldError> {
        let mut errs = vec![];
        let h = self.handling.trim();
        let of_case = h == case_number || h.strip_prefix(case_number).and_then(|r| r.strip_prefix('-')).is_some_and(is_running_no);
        if !of_case {
            errs.push(FieldError::new("handling", "err-request-number"));
        }
        let contact = self.kontakt.trim();
        if contact.chars().count() < 5 || contact.chars().count() > 300 {
            errs.push(FieldError::new("kontakt", "err-request-contact"));
        }
        if self.namn.trim().chars().count() > 200 {
            errs.push(FieldError::new("namn", "err-request-name"));
        }
        if self.beskrivning.trim().chars().count() > 2000 {
            errs.push(FieldError::new("beskrivning", "err-request-text"));
        }
        errs
    }

    /// The request as the registry reads it: the record's main document.
    fn text(&self, now: OffsetDateTime) -> String {
        let or_dash = |s: &str| if s.trim().is_empty() { "–".to_string() } else { s.trim().to_string() };
        format!(
            "Begäran om att ta del av allmän handling\n\nInkom: {}\nHandling: {}\nVad som begärs: {}\nNamn: {}\nSkicka till: {}\n",
            radhus_kernel::tz::stockholm(now).date(),
            self.handling.trim(),
            or_dash(&self.beskrivning),
            or_dash(&self.namn),
            self.kontakt.trim(),
        )
    }
}

fn is_running_no(s: &str) -> bool {
    !s.is_empty() && s.len() <= 6 && s.chars().all(|c| c.is_ascii_digit())
}

/// Registers a request for a document of case `case` (not obliterated) as an inbound record
/// with the request as its main document, in one transaction: the record, its number, the
/// document, the timeline, the public diary and the audit log (by `actor`).
pub async fn register(db: &Db, t: TenantId, actor: Actor, case: Uuid, r: &DocumentRequest, now: OffsetDateTime) -> Result<Registered> {
    let mut tx = db.write(Scope::Tenant(t)).await?;
    let c = store::case(&mut tx, t, case).await?.filter(|c| c.status != CaseStatus::Obliterated).ok_or(Error::NotFound)?;
    let errs = r.check(&c.number);
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    let who = Who { name: CHANNEL.to_string(), actor };
    let name = r.namn.trim();
    let n = NewRecord {
        kind: RecordKind::Inbound,
        title: format!("Begäran om att ta del av allmän handling {}", r.handling.trim()),
        correspondent: if name.is_empty() { "Anonym".to_string() } else { name.to_string() },
        // A private person: the public diary never shows the name.
        correspondent_is_person: true,
        document_date: None,
        received_on: None,
        memo_text: String::new(),
        register: true,
    };
    let (id, record_number) = service::insert_record(&mut tx, t, &who, &c, &n, &[], now).await?;
    let record = store::record(&mut tx, t, id).await?.ok_or(Error::NotFound)?;
    let text = r.text(now);
    service::add_version(&mut tx, t, &who, &record, &c, None, "main", "Begäran", "begaran.txt", "text/plain", text.as_bytes(), now).await?;
    tx.commit().await?;
    Ok(Registered { record_number, case_number: c.number })
}
