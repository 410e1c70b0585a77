//! The rules of case management with what each rests on, next to the code that applies them.
//! `docs/law.md` is generated from [`RULES`] (`crates/server/tests/it/law.rs`); the codes are
//! stable names for the documentation, not error codes (those are `CASE-0nn`).

use radhus_kernel::law::{Citation, LawRule};

pub const RULES: [LawRule; 12] = [
    LawRule {
        code: "CASE-L01",
        rule: "an inbound record is registered when it is created (`service::insert_record`), is never a draft and is never deleted (`RecordRow::deletable`, CASE-008); a correction is a new version of its document or an obliteration (CASE-L11)",
        citation: Citation::law(
            "tryckfrihetsförordningen 2 kap. 9 § (en inkommen handling är allmän när den har kommit in); offentlighets- och sekretesslagen (2009:400) 5 kap. 1 § (registreras utan dröjsmål)",
        ),
    },
    LawRule {
        code: "CASE-L02",
        rule: "an inbound record registered on a later day (Swedish time) than it came in is flagged on the record and the case, and listed for registrars at /admin/sent-registrerade (`RecordRow::registered_late`)",
        citation: Citation::law("offentlighets- och sekretesslagen (2009:400) 5 kap. 1 §: registrering utan dröjsmål"),
    },
    LawRule {
        code: "CASE-L03",
        rule: "a record's drawn-up date (upprättad) is derived: an outbound record or decision when dispatched, else when its case was closed; a memo when completed (registered); an inbound record is received (inkommen), never drawn up, and a draft is not drawn up (`RecordRow::drawn_up`)",
        citation: Citation::law("tryckfrihetsförordningen 2 kap. 10 §"),
    },
    LawRule {
        code: "CASE-L04",
        rule: "an outbound record or decision is not dispatched without a recipient (CASE-028); inbound and outbound records need a correspondent when created",
        citation: Citation::law(
            "offentlighets- och sekretesslagen (2009:400) 5 kap. 2 §: registret visar avsändare eller mottagare i förekommande fall",
        ),
    },
    LawRule {
        code: "CASE-L05",
        rule: "the register shows the date in or drawn up, the diary number, the correspondent and a short description (title) of every registered record",
        citation: Citation::law("offentlighets- och sekretesslagen (2009:400) 5 kap. 2 §"),
    },
    LawRule {
        code: "CASE-L06",
        rule: "a secrecy marking names the fields, an OSL ground, the date and who marked it; it is a warning, reassessed at each request",
        citation: Citation::law("offentlighets- och sekretesslagen (2009:400) 5 kap. 5 §"),
    },
    LawRule {
        code: "CASE-L07",
        rule: "the public diary shows [Sekretess] for a secret title or correspondent; the date and number are always shown",
        citation: Citation::law("offentlighets- och sekretesslagen (2009:400) 5 kap. 2 § andra stycket"),
    },
    LawRule {
        code: "CASE-L08",
        rule: "the public diary does not show private persons' names; the full register is available on request",
        citation: Citation::policy(
            "dataskyddsförordningen (GDPR), uppgiftsminimering; offentlighets- och sekretesslagen 5 kap. 2 § andra stycket tillåter det",
        ),
    },
    LawRule {
        code: "CASE-L09",
        rule: "a memo (tjänsteanteckning) needs its text and keeps who wrote it and when",
        citation: Citation::law("förvaltningslagen (2017:900) 27 §"),
    },
    LawRule {
        code: "CASE-L10",
        rule: "a registered memo and a dispatched record are not changed (CASE-019); a case is not closed while a record is a draft (CASE-003)",
        citation: Citation::law("tryckfrihetsförordningen 2 kap. 10 § (handlingen är upprättad och därmed allmän)"),
    },
    LawRule {
        code: "CASE-L11",
        rule: "a registered record is never deleted: a registrar obliterates (makulerar) one registered by mistake with a required reason (`service::obliterate_record`); it stays in the diary and the public diary marked obliterated with the date, the reason stays on the record and the case's timeline, and it is no longer changed, approved or dispatched (CASE-029); a draft is deleted and a dispatched record corrected by a new one instead (CASE-030)",
        citation: Citation::law(
            "tryckfrihetsförordningen 2 kap. 9 § och 10 § (handlingen är allmän och finns kvar); offentlighets- och sekretesslagen (2009:400) 5 kap. 1 § (registreringen står kvar)",
        ),
    },
    LawRule {
        code: "CASE-L12",
        rule: "a decision dispatched to a party carries how to appeal it: its case type's appeal instruction (överklagandehänvisning; the shipped text until the municipality writes its own) is attached as a document (`service::attach_appeal_in`); a case type goes without one only with a stated reason (its decisions cannot be appealed)",
        citation: Citation::law("förvaltningslagen (2017:900) 33 § (underrättelse om hur beslutet kan överklagas)"),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_in_order() {
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(r.code, format!("CASE-L{:02}", i + 1));
            assert!(r.citation.source.len() > 10, "{}", r.code);
        }
    }
}
