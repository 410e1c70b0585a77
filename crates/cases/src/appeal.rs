//! How to appeal (överklagandehänvisning): a decision that goes to a party carries how it can
//! be appealed (förvaltningslagen (2017:900) 33 §). Each case type has the text (Administration
//! › Diarier, *Överklagandehänvisning*), the one shipped with Rådhus ([`DEFAULT`]) until the
//! municipality writes its own; a case type whose decisions cannot be appealed says why, and
//! only then do its decisions go without one. Dispatching a decision (staff's dispatch and a
//! committee's extract, `intake::dispatch_decision_in`, through `service::attach_appeal_in`) attaches the text, filled in for the
//! case, as a document of the decision (`overklagandehanvisning.txt`), so it is among what was
//! sent: on the record, in the archive package and in the party's *Mina ärenden*.

use radhus_platform::audit::{self, Actor, Event};
use radhus_platform::db::{Db, Scope};
use radhus_platform::error::{Error, FieldError, Result};
use radhus_platform::identity::session::StaffUser;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::ADMIN;
use crate::store::{self, CaseType};

/// The appeal instruction shipped with Rådhus. `{kommun}` is the municipality's name and
/// `{diarienummer}` the case's number; the text says where the appeal is sent (to the
/// authority that made the decision), within what time (three weeks from when the party was
/// notified of the decision) and what it contains.
pub const DEFAULT: &str = "Hur du överklagar beslutet

Om du inte är nöjd med beslutet kan du överklaga det. Överklagandet ska vara skriftligt.

Skicka eller lämna överklagandet till {kommun}, som har fattat beslutet – inte till den domstol eller myndighet som ska pröva det. {kommun} prövar först om beslutet ska ändras och skickar sedan överklagandet vidare.

Överklagandet måste ha kommit in inom tre veckor från den dag då du fick del av beslutet. Annars kan det inte prövas.

Skriv i överklagandet
- vilket beslut du överklagar (ange diarienummer {diarienummer}),
- varför du anser att beslutet är fel och hur du vill att det ska ändras,
- ditt namn, din adress och ditt telefonnummer.

Underteckna överklagandet. Om du har frågor kan du kontakta {kommun}.
";

/// The attached document's file name and title.
pub const FILENAME: &str = "overklagandehanvisning.txt";
pub const TITLE: &str = "Hur du överklagar beslutet";

const MAX_TEXT: usize = 10_000;
const MAX_REASON: usize = 500;

/// The text a case type's decisions carry, with its placeholders: its own or [`DEFAULT`].
pub fn template(ct: &CaseType) -> &str {
    if ct.appeal_instruction.trim().is_empty() { DEFAULT } else { &ct.appeal_instruction }
}

/// The text filled in for a case: `{kommun}` and `{diarienummer}`.
pub fn render(template: &str, municipality: &str, case_number: &str) -> String {
    template.replace("{kommun}", municipality).replace("{diarienummer}", case_number)
}

fn normalise(s: &str) -> String {
    s.replace("\r\n", "\n").trim().to_string()
}

/// Sets a case type's appeal instruction, or says its decisions carry none and why (`exempt`
/// with a reason; without one the form comes back with the error). An empty text, or the
/// shipped one, is stored as "the shipped text", so a later Rådhus version's wording reaches it.
pub async fn set(db: &Db, s: &StaffUser, case_type: Uuid, text: &str, exempt: bool, reason: &str, now: OffsetDateTime) -> Result<()> {
    if !s.grants.whole_municipality(ADMIN) {
        return Err(Error::Forbidden);
    }
    let text = normalise(text);
    let reason = normalise(reason);
    let mut errs = vec![];
    if text.chars().count() > MAX_TEXT {
        errs.push(FieldError::new("appeal_instruction", "err-too-long"));
    }
    if exempt && reason.is_empty() {
        errs.push(FieldError::new("appeal_exempt_reason", "err-appeal-exempt-reason"));
    }
    if reason.chars().count() > MAX_REASON {
        errs.push(FieldError::new("appeal_exempt_reason", "err-too-long"));
    }
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    let stored = if text == normalise(DEFAULT) { String::new() } else { text };
    let reason = if exempt { reason } else { String::new() };
    let t = s.tenant_id;
    let mut tx = db.write(Scope::Tenant(t)).await?;
    if store::set_case_type_appeal(&mut tx, t, case_type, &stored, &reason).await? == 0 {
        return Err(Error::NotFound);
    }
    audit::record(
        &mut tx,
        Some(t),
        &Actor::staff(s),
        Event::new("case_type.appeal_set", "case_type", case_type)
            .with(serde_json::json!({ "shipped_text": stored.is_empty(), "exempt_reason": reason })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_text_says_where_within_what_time_and_fills_in_the_case() {
        let text = render(DEFAULT, "Kils kommun", "KS 2026/12");
        assert!(text.contains("till Kils kommun, som har fattat beslutet"), "{text}");
        assert!(text.contains("inom tre veckor från den dag då du fick del av beslutet"));
        assert!(text.contains("KS 2026/12"));
        assert!(!text.contains('{'), "every placeholder filled in");
    }
}
