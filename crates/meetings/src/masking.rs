//! Masking for publication (issue 13 item 9): what of an agenda, the minutes and the papers may
//! reach a public page, the Atom and iCalendar feeds and the OParl API.
//!
//! - A **secret item** — its memo record carries a secrecy marking (OSL) — is never published:
//!   it is left out of every public list, page, feed and API answer, and asking for it by id is
//!   "not found", the same answer as for an id that does not exist. Closed meetings (nämnder
//!   meet behind closed doors) are where such items are handled; an open meeting's secret item
//!   is left out the same way.
//! - A **sensitive item** — its case has private persons as parties (a person by identity
//!   number, or a name only), or its case title is not public — is published with the names of
//!   those persons replaced by "[Privatperson]" and the case's public title (the one the public
//!   diary shows) in place of its title.
//! - Everywhere, anything shaped like a personal identity number becomes "[personnummer]"
//!   (`radhus_platform::search::mask_identity_numbers`, as the public diary).
//!
//! The archival originals (the items, the notice snapshot, the minutes PDF/A whose SHA-256 the
//! adjusters signed) are never changed: masking works on copies as they are read for the public.

use crate::store::Item;
use radhus_kernel::ids::TenantId;
use radhus_platform::db::Tx;
use radhus_platform::error::Result;
use radhus_platform::search::mask_identity_numbers;
use regex::Regex;

/// What stands in for a private person's name in a public text.
pub const PERSON: &str = "[Privatperson]";

/// How an item may be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Publication {
    /// Left out of every public answer.
    Secret,
    /// Published with these private persons' names masked; `public_title` replaces the item's
    /// title when the case's title is not public.
    Masked { names: Vec<String>, public_title: Option<String> },
}

/// Masks every occurrence of `names` (whole name, and each of its words of three letters or
/// more, split at anything but letters and digits, at word boundaries, ignoring case) and every personal identity number in `text`.
pub fn mask(text: &str, names: &[String]) -> String {
    let text = mask_identity_numbers(text);
    let mut words: Vec<String> = vec![];
    for n in names {
        let n = n.trim();
        if n.chars().count() >= 3 {
            words.push(n.to_string());
        }
        // Its words, without the punctuation around them ("(Kalle)" is the word Kalle).
        words.extend(n.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 3).map(str::to_string));
    }
    if words.is_empty() {
        return text;
    }
    // Longest first, so "Anna Andersson" is one mask rather than two.
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words.dedup();
    let alternation = words.iter().map(|w| regex::escape(w)).collect::<Vec<_>>().join("|");
    match Regex::new(&format!(r"(?i)\b(?:{alternation})\b")) {
        Ok(re) => {
            // Adjacent masks ("[Privatperson] [Privatperson]" from a first and last name
            // matched separately) collapse into one.
            let masked = re.replace_all(&text, PERSON).into_owned();
            let twice = format!("{PERSON} {PERSON}");
            let mut out = masked;
            while out.contains(&twice) {
                out = out.replace(&twice, PERSON);
            }
            out
        }
        // A pattern too large for the regex engine: publish nothing of the text rather than
        // risk a name.
        Err(_) => PERSON.to_string(),
    }
}

/// Decides how `item` may be published, reading its case, parties and memo record through case
/// management's functions.
pub async fn publication(tx: &mut Tx, t: TenantId, item: &Item) -> Result<Publication> {
    if let Some(record) = item.record_id
        && radhus_cases::store::record(tx, t, record).await?.is_some_and(|r| !r.secret_fields.0.is_empty())
    {
        return Ok(Publication::Secret);
    }
    let Some(case) = item.case_id else { return Ok(Publication::Masked { names: vec![], public_title: None }) };
    let Some(c) = radhus_cases::store::case(tx, t, case).await? else {
        return Ok(Publication::Masked { names: vec![], public_title: None });
    };
    let secret_title = c.public_title.trim() != c.title.trim();
    let names = radhus_cases::parties::of_case(tx, t, case)
        .await?
        .into_iter()
        .filter(|p| p.kind == "person" || p.kind == "name")
        .map(|p| p.name)
        .collect();
    Ok(Publication::Masked { names, public_title: secret_title.then(|| c.public_title.clone()) })
}

/// An item as the public may see it, or `None` when it is secret.
pub async fn public_item(tx: &mut Tx, t: TenantId, item: &Item) -> Result<Option<Item>> {
    Ok(match publication(tx, t, item).await? {
        Publication::Secret => None,
        Publication::Masked { names, public_title } => Some(masked_item(item, &names, public_title.as_deref())),
    })
}

/// A copy of `item` with `names` and identity numbers masked in every text.
pub fn masked_item(item: &Item, names: &[String], public_title: Option<&str>) -> Item {
    Item {
        title: mask(public_title.unwrap_or(&item.title), names),
        proposal: mask(&item.proposal, names),
        decision: mask(&item.decision, names),
        ..item.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn names_and_numbers_are_masked() {
        let n = names(&["Anna Andersson"]);
        assert_eq!(mask("Bygglov för Anna Andersson, 19850312-1234.", &n), "Bygglov för [Privatperson], [personnummer].");
        // The surname alone, in another case, and the first name alone.
        assert_eq!(
            mask("Sökanden ANDERSSON har yttrat sig; Anna vill bygga.", &n),
            "Sökanden [Privatperson] har yttrat sig; [Privatperson] vill bygga."
        );
        // Word boundaries: a name inside another word stays.
        assert_eq!(mask("Annahill och Anderssons väg", &n), "Annahill och Anderssons väg");
        // Short words of a name are not masked on their own (too many false hits); the whole name is.
        assert_eq!(mask("Ek och Bo Ek ansöker", &names(&["Bo Ek"])), "Ek och [Privatperson] ansöker");
        // Regex metacharacters in a name are taken literally.
        assert_eq!(
            mask("Ärende om A.B. (Kalle) Karlsson", &names(&["(Kalle) Karlsson"])),
            "Ärende om A.B. ([Privatperson]) [Privatperson]"
        );
    }

    #[test]
    fn no_names_still_masks_identity_numbers() {
        assert_eq!(mask("Ansökan 850312-1234", &[]), "Ansökan [personnummer]");
        assert_eq!(mask("Budget 2027", &[]), "Budget 2027");
    }

    #[test]
    fn a_masked_item_keeps_its_original_untouched() {
        let item = Item {
            id: Uuid::nil(),
            meeting_id: Uuid::nil(),
            position: 1,
            kind: "decision".into(),
            title: "Bygglov åt Anna Andersson".into(),
            case_id: None,
            case_number: "KS 2026/1".into(),
            record_id: None,
            proposal: "Bevilja Anna Andersson bygglov".into(),
            outcome: Some("decided".into()),
            decision: "Anna Andersson (19850312-1234) beviljas bygglov.".into(),
            paragraph: Some(3),
            extract_record_id: None,
        };
        let m = masked_item(&item, &names(&["Anna Andersson"]), None);
        assert_eq!(m.title, "Bygglov åt [Privatperson]");
        assert_eq!(m.decision, "[Privatperson] ([personnummer]) beviljas bygglov.");
        assert_eq!(item.title, "Bygglov åt Anna Andersson");
        let p = masked_item(&item, &[], Some("Bygglov på fastigheten Nord 1:2"));
        assert_eq!(p.title, "Bygglov på fastigheten Nord 1:2");
    }
}
