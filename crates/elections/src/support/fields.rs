//! A refused form's problems where the person looks (issue 18 item 1): each problem at its
//! field (the message, `aria-invalid`, `aria-describedby`) and in an error summary at the top
//! whose entries link to the fields (`elections/_summary.html`, Designsystemet's
//! *ErrorSummary*). The messages say what to do ("Skriv ditt efternamn").

use radhus_platform::error::{Error, FieldError};
use radhus_platform::web::Ctx;

/// One problem: the field it belongs to (empty for the form as a whole), the id of the element
/// the summary links to (empty: no link) and the message.
#[derive(Debug, Clone)]
pub struct Problem {
    pub field: String,
    pub anchor: String,
    pub message: String,
}

/// The problems of one refused form, in the order the form checked them.
#[derive(Debug, Clone, Default)]
pub struct Problems {
    pub items: Vec<Problem>,
}

/// "skriv …" → "Skriv …": a message shown on its own starts with a capital.
fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

impl Problems {
    /// The problems of an error the person can act on. `anchors` maps a field's name to the id
    /// of its input (or of the first input of its group); a field without one is listed
    /// without a link, as are problems of the form as a whole.
    pub fn of(ctx: &Ctx, e: &Error, anchors: &[(&str, &str)]) -> Self {
        let items = match e {
            Error::Invalid(fields) => {
                let mut items: Vec<Problem> = vec![];
                for f in fields {
                    // One message per field: the first problem found is the one to fix first.
                    if f.field != FieldError::FORM && items.iter().any(|p| p.field == f.field) {
                        continue;
                    }
                    let anchor = anchors.iter().find(|(k, _)| *k == f.field).map(|(_, a)| (*a).to_string()).unwrap_or_default();
                    items.push(Problem { field: f.field.clone(), anchor, message: capital(&ctx.t(&f.message)) });
                }
                items
            }
            other => radhus_platform::web::errors::form_messages(ctx, other)
                .into_iter()
                .map(|m| Problem { field: String::new(), anchor: String::new(), message: capital(&m) })
                .collect(),
        };
        Self { items }
    }

    /// Problems given as lines (a page that has only the lines of `form::submit`).
    pub fn lines(lines: Vec<String>) -> Self {
        Self { items: lines.into_iter().map(|m| Problem { field: String::new(), anchor: String::new(), message: m }).collect() }
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The message at a field, if it has a problem.
    pub fn at(&self, field: &str) -> Option<&str> {
        self.items.iter().find(|p| !p.field.is_empty() && p.field == field).map(|p| p.message.as_str())
    }

    /// Whether a field has a problem (for `aria-invalid`).
    pub fn bad(&self, field: &str) -> bool {
        self.at(field).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_on_its_own_starts_with_a_capital() {
        assert_eq!(capital("skriv ditt efternamn"), "Skriv ditt efternamn");
        assert_eq!(capital("ändra datumet"), "Ändra datumet");
        assert_eq!(capital(""), "");
    }
}
