//! The meetings module's document templates and a municipality's own versions of them
//! (issue 13 item 10). Rådhus ships one Typst template per document (`typst/*.typ`); a
//! municipality may replace any of them. The own template is stored in case management's
//! `document_template` table under the document's key (`mtg.kallelse` …), through its use cases
//! `radhus_cases::memo::own_template` and `store_template` (the memo's template is the same
//! table's `tjansteskrivelse`). A template is typeset with sample data before it is saved, so a
//! broken one is refused at the field with the typesetter's message and never reaches a
//! secretary; the check and the preview run with no transaction open.

use radhus_platform::db::{Db, Scope};
use radhus_platform::error::{Error, Result};
use radhus_platform::identity::session::StaffUser;
use radhus_platform::tenancy;
use time::OffsetDateTime;

use crate::documents::{
    self, AgendaChange, AgendaData, BoardData, ExtractData, MinutesData, NoticeData, NoticeItem, Paragraph, Person, Vote,
};

pub use crate::documents::{Doc, source};

fn may_administer(s: &StaffUser) -> Result<()> {
    if s.grants.whole_municipality(crate::service::ADMIN) { Ok(()) } else { Err(Error::Forbidden) }
}

/// Typesets `source` as `doc` with sample data (a committee, a meeting, two paragraphs …). The
/// inner `Err` is the typesetter's message for the editor ("rad 3: unknown variable: x"); the
/// outer one `MTG-017` when too many documents are being made to try it now.
pub async fn sample(db: &Db, s: &StaffUser, doc: Doc, source: &str, now: OffsetDateTime) -> Result<std::result::Result<Vec<u8>, String>> {
    may_administer(s)?;
    if source.trim().is_empty() || source.len() > radhus_cases::memo::MAX_TEMPLATE {
        return Err(Error::invalid("source", "err-template-size"));
    }
    let mut tx = db.read(Scope::Tenant(s.tenant_id)).await?;
    let tenant = tenancy::get(&mut tx, s.tenant_id).await?;
    tx.commit().await?;
    let municipality = tenant.name;
    let json = match doc {
        Doc::Notice => json(&sample_notice(&municipality)),
        Doc::Agenda => json(&sample_agenda(&municipality)),
        Doc::Minutes => json(&sample_minutes(&municipality)),
        Doc::Extract => json(&sample_extract(&municipality)),
        Doc::Board => json(&sample_board(&municipality)),
    }?;
    match documents::render(s.tenant_id, source.to_string(), json, now).await {
        Ok(pdf) => Ok(Ok(pdf)),
        Err(radhus_pdf::PdfError::Busy(_)) => Err(crate::MeetingError::Busy.into()),
        Err(e) => Ok(Err(radhus_cases::memo::in_swedish(&e))),
    }
}

/// Saves the municipality's own template for `doc` (`None`: back to the shipped one). A
/// template that does not typeset with the sample data is refused with the typesetter's
/// message (`Ok(Err(..))`) and nothing is saved. Only the meetings administrator may.
pub async fn save(db: &Db, s: &StaffUser, doc: Doc, source: Option<&str>, now: OffsetDateTime) -> Result<std::result::Result<(), String>> {
    may_administer(s)?;
    if let Some(src) = source
        && let Err(diagnostic) = sample(db, s, doc, src, now).await?
    {
        return Ok(Err(diagnostic));
    }
    let mut tx = db.write(Scope::Tenant(s.tenant_id)).await?;
    radhus_cases::memo::store_template(&mut tx, s.tenant_id, s, doc.key(), source, now).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

fn json<T: serde::Serialize>(data: &T) -> Result<String> {
    serde_json::to_string(data).map_err(|e| Error::Internal(format!("sample data: {e}")))
}

fn sample_items() -> Vec<NoticeItem> {
    vec![
        NoticeItem {
            id: None,
            no: 1,
            heading: false,
            kind: "Beslutsärende".into(),
            title: "Budget 2027".into(),
            case_number: "KS 2026/12".into(),
            proposal: "Kommunstyrelsen föreslår fullmäktige att fastställa budgeten.".into(),
        },
        NoticeItem {
            id: None,
            no: 1,
            heading: true,
            kind: String::new(),
            title: "Anmälningsärenden".into(),
            case_number: String::new(),
            proposal: String::new(),
        },
        NoticeItem {
            id: None,
            no: 2,
            heading: false,
            kind: "Anmälan av delegationsbeslut".into(),
            title: "Delegationsbeslut oktober".into(),
            case_number: String::new(),
            proposal: String::new(),
        },
    ]
}

fn sample_members() -> Vec<Person> {
    vec![
        Person { name: "Anna Ordförande".into(), role: "ordförande".into(), party: "S".into(), note: String::new() },
        Person { name: "Bertil Ledamot".into(), role: "ledamot".into(), party: "M".into(), note: "§ 2".into() },
        Person {
            name: "Cecilia Ersättare".into(),
            role: "ersättare".into(),
            party: "C".into(),
            note: "tjänstgör för Bertil Ledamot".into(),
        },
    ]
}

fn sample_notice(municipality: &str) -> NoticeData {
    NoticeData {
        version: 2,
        changes: vec![AgendaChange {
            change: "added".into(),
            item: None,
            title: "Delegationsbeslut oktober".into(),
            case_number: String::new(),
            what: String::new(),
        }],
        municipality: municipality.into(),
        committee: "Kommunstyrelsen".into(),
        when: "12 november 2026 kl. 09:00".into(),
        place: "Stadshuset, sammanträdesrum 1".into(),
        public: false,
        secretary: "Sara Sekreterare".into(),
        items: sample_items(),
        members: sample_members(),
    }
}

fn sample_agenda(municipality: &str) -> AgendaData {
    AgendaData {
        municipality: municipality.into(),
        committee: "Kommunstyrelsen".into(),
        when: "12 november 2026 kl. 09:00".into(),
        place: "Stadshuset, sammanträdesrum 1".into(),
        public: true,
        version: 2,
        note: String::new(),
        items: sample_items(),
        members: sample_members(),
    }
}

fn sample_minutes(municipality: &str) -> MinutesData {
    MinutesData {
        municipality: municipality.into(),
        committee: "Kommunstyrelsen".into(),
        code: "KS".into(),
        when: "12 november 2026 kl. 09:00".into(),
        place: "Stadshuset, sammanträdesrum 1".into(),
        secretary: "Sara Sekreterare".into(),
        adjusters: vec!["Anna Ordförande".into(), "Bertil Ledamot".into()],
        range: "§ 101–102".into(),
        present: sample_members(),
        paragraphs: vec![
            Paragraph {
                number: 101,
                heading: false,
                title: "Budget 2027".into(),
                case_number: "KS 2026/12".into(),
                outcome: "beslutat".into(),
                decision: "Kommunstyrelsen föreslår fullmäktige att fastställa budgeten.\n\nBeslutet gäller från 1 januari.".into(),
                motions: vec!["Anna Ordförande (S): bifall till förslaget".into(), "Bertil Ledamot (M): avslag".into()],
                conflicts: vec![],
                votes: vec![
                    Vote { name: "Anna Ordförande".into(), choice: "ja".into() },
                    Vote { name: "Cecilia Ersättare".into(), choice: "nej".into() },
                ],
                tally: "1 ja, 1 nej, 0 avstår".into(),
                serving: vec!["Cecilia Ersättare (tjänstgör för Bertil Ledamot)".into()],
                reservations: vec!["Bertil Ledamot (M) reserverar sig mot beslutet.".into()],
            },
            Paragraph {
                number: 102,
                heading: false,
                title: "Delegationsbeslut oktober".into(),
                case_number: String::new(),
                outcome: "noterat".into(),
                decision: String::new(),
                motions: vec![],
                conflicts: vec!["Bertil Ledamot".into()],
                votes: vec![],
                tally: String::new(),
                serving: vec![],
                reservations: vec![],
            },
        ],
        immediate: false,
        correction: "Rättad version 2 (KS § 101), 20 november 2026, av Sara Sekreterare. Skäl: skrivfel i beslutet.".into(),
        public_version: false,
    }
}

fn sample_extract(municipality: &str) -> ExtractData {
    ExtractData {
        municipality: municipality.into(),
        committee: "Kommunstyrelsen".into(),
        code: "KS".into(),
        when: "12 november 2026 kl. 09:00".into(),
        number: 101,
        title: "Budget 2027".into(),
        case_number: "KS 2026/12".into(),
        outcome: "beslutat".into(),
        decision: "Kommunstyrelsen föreslår fullmäktige att fastställa budgeten.".into(),
        reservations: vec!["Bertil Ledamot (M)".into()],
        adjusted: "Protokollet justerat 16 november 2026 av Anna Ordförande, Bertil Ledamot.".into(),
        appeal: "Beslutet kan överklagas till förvaltningsrätten till och med 7 december 2026.".into(),
        correction: String::new(),
    }
}

fn sample_board(municipality: &str) -> BoardData {
    BoardData {
        municipality: municipality.into(),
        committee: "Kommunstyrelsen".into(),
        code: "KS".into(),
        when: "12 november 2026 kl. 09:00".into(),
        range: "§ 101–102".into(),
        adjusted: "16 november 2026".into(),
        posted: "16 november 2026".into(),
        appeal_until: "7 december 2026".into(),
        kept_at: "Kommunledningskontoret, Stadshuset".into(),
        correction: "Protokollet rättades 20 november 2026 (version 2): KS § 101.".into(),
    }
}
