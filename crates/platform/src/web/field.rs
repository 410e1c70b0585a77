//! The shared form pieces: an error summary at the top of a refused form and one field with
//! its label, hint, "(frivilligt)", the message at the field, `aria-invalid` and
//! `aria-describedby` (Designsystemet's ErrorSummary and Field; GOV.UK's error pattern).
//!
//! A page keeps a [`FormErrors`] (empty on the first showing, [`FormErrors::of`] the refused
//! use case's [`Error`] when shown again), renders `{{ errors }}` where the summary belongs and
//! builds each [`Field`] with `.errors(&errors)`, rendering it as `{{ f }}`. Both are templates
//! of their own that escape everything they print, so they are marked
//! [`HtmlSafe`](askama::filters::HtmlSafe): the page prints them without `|safe`.
//! Every summary entry links to its field's id, so the two must agree: a field whose id is not
//! its posted name is told so with [`FormErrors::target`].

use askama::Template;

use crate::error::{Error, FieldError};
use crate::web::Ctx;

/// One problem of a refused form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorEntry {
    /// The posted field name; [`FieldError::FORM`] for the form as a whole.
    pub field: String,
    /// The HTML id the summary links to (`#<target>`); empty for a problem of the whole form.
    pub target: String,
    /// The line in the summary: the field's label and the message.
    pub summary: String,
    /// The message shown at the field itself.
    pub message: String,
}

/// The problems of a refused form, rendered as Designsystemet's error summary.
#[derive(Debug, Clone, Default, Template)]
#[template(path = "_error_summary.html")]
pub struct FormErrors {
    pub heading: String,
    pub entries: Vec<ErrorEntry>,
}

/// The summary is its own template (`_error_summary.html`), which escapes every text it prints.
impl askama::filters::HtmlSafe for FormErrors {}

impl FormErrors {
    /// No problems: the form as first shown.
    pub fn none() -> Self {
        Self::default()
    }

    /// The problems of a refused use case, translated. A field's problem links to the element
    /// whose id is the field's name; a rule or conflict is a problem of the form as a whole.
    pub fn of(ctx: &Ctx, e: &Error) -> Self {
        let mut out = Self { heading: ctx.t("form-error-summary"), entries: vec![] };
        match e {
            Error::Invalid(fields) => {
                for f in fields {
                    out.push(ctx, &f.field, &f.message);
                }
            }
            Error::Conflict(m) | Error::Rule { message: m, .. } => out.push(ctx, FieldError::FORM, m),
            other => out.push(ctx, FieldError::FORM, &format!("err-{}", other.code().code)),
        }
        out
    }

    /// A problem of the whole form with its Fluent message id (a wrong password and the like).
    pub fn form(ctx: &Ctx, message: &str) -> Self {
        let mut out = Self { heading: ctx.t("form-error-summary"), entries: vec![] };
        out.push(ctx, FieldError::FORM, message);
        out
    }

    fn push(&mut self, ctx: &Ctx, field: &str, message: &str) {
        let message = ctx.t(message);
        let label_id = format!("field-{field}");
        let summary = if field != FieldError::FORM && ctx.tr.i18n.has(ctx.tr.lang, &label_id) {
            format!("{}: {message}", ctx.t(&label_id))
        } else {
            message.clone()
        };
        let target = if field == FieldError::FORM { String::new() } else { field.to_string() };
        self.entries.push(ErrorEntry { field: field.to_string(), target, summary, message });
    }

    /// Links the problems of the posted field `field` to the element with id `html_id`.
    pub fn target(mut self, field: &str, html_id: &str) -> Self {
        for e in self.entries.iter_mut().filter(|e| e.field == field) {
            e.target = html_id.to_string();
        }
        self
    }

    /// Moves the problems of the whole form onto the field `field` (a wrong code or a bad
    /// personnummer on a form with one field to type in): the summary links to the field and
    /// the field shows the message.
    pub fn on(mut self, field: &str) -> Self {
        for e in self.entries.iter_mut().filter(|e| e.field == FieldError::FORM) {
            e.field = field.to_string();
            e.target = field.to_string();
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The summary as a page with its fields shows it: each problem linked to the field among
    /// `fields` that shows it (found by posted name, with the label the summary gives it) and
    /// headed by that label; a problem no field shows is one of the whole form (the message
    /// alone, no link).
    pub fn linked_to(&self, fields: &[(&Field, String)]) -> Self {
        let mut out = self.clone();
        for e in out.entries.iter_mut().filter(|e| e.field != FieldError::FORM) {
            match fields.iter().find(|(f, _)| f.name == e.field && f.error.is_some()) {
                Some((f, label)) => {
                    e.target = f.id.clone();
                    e.summary = format!("{label}: {}", e.message);
                }
                None => {
                    e.target = String::new();
                    e.summary = e.message.clone();
                }
            }
        }
        out
    }

    /// [`FormErrors::linked_to`] with each field's own label.
    pub fn linked(&self, fields: &[&Field]) -> Self {
        let labelled: Vec<(&Field, String)> = fields.iter().map(|f| (*f, f.label.clone())).collect();
        self.linked_to(&labelled)
    }

    /// The message at the field `field`, if it has a problem (the first one).
    pub fn message(&self, field: &str) -> Option<&str> {
        self.entries.iter().find(|e| e.field == field && field != FieldError::FORM).map(|e| e.message.as_str())
    }

    /// The use case names a problem `problem`; the page posts it as `name` with HTML id `id`.
    /// Each `(problem, name, id)` renames the problems of `problem` so that the field posted as
    /// `name` shows them and the summary links to `#id`. `(problem, FieldError::FORM, "")`
    /// makes them problems of the whole form (a hidden or forged value with no field).
    pub fn place(mut self, fields: &[(&str, &str, &str)]) -> Self {
        for e in self.entries.iter_mut() {
            if let Some((_, name, id)) = fields.iter().find(|(problem, _, _)| *problem == e.field) {
                e.field = (*name).to_string();
                e.target = (*id).to_string();
            }
        }
        self
    }

    /// Every problem a problem of the whole form (no link): a form without fields of its own
    /// (a button with a hidden value). The summary's lines keep their text.
    pub fn unlinked(mut self) -> Self {
        for e in self.entries.iter_mut() {
            e.field = FieldError::FORM.to_string();
            e.target.clear();
        }
        self
    }
}

/// A page with several forms shown again after one was refused: only that form's fields take
/// the problems and show what was posted, so one problem is not shown at two forms whose
/// fields share a name. On a first showing ([`Refused::none`]) no form is refused.
#[derive(Debug, Clone, Default)]
pub struct Refused {
    /// The refused form's name on its page (`record`, `member`, `return-<proposal>` …); empty
    /// for none.
    form: String,
    errors: FormErrors,
    /// What the refused form posted, in order (a checkbox group's name once per value).
    values: Vec<(String, String)>,
}

impl Refused {
    /// No form refused: the page as first shown.
    pub fn none() -> Self {
        Self::default()
    }

    /// The form `form` was refused with `errors` after posting `values` (name, value).
    pub fn form<K: ToString, V: ToString>(form: impl Into<String>, errors: FormErrors, values: impl IntoIterator<Item = (K, V)>) -> Self {
        let values = values.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Self { form: form.into(), errors, values }
    }

    /// A refused form without fields of its own (a button): nothing posted to show again.
    pub fn whole(form: impl Into<String>, errors: FormErrors) -> Self {
        Self { form: form.into(), errors, values: vec![] }
    }

    /// Whether `form` is the refused form (never on a first showing).
    pub fn is(&self, form: &str) -> bool {
        !self.form.is_empty() && self.form == form
    }

    /// The problems for the fields of `form`: all of them when it is the refused form, else
    /// none.
    pub fn errors(&self, form: &str) -> FormErrors {
        if self.is(form) { self.errors.clone() } else { FormErrors::none() }
    }

    /// The first value `form` posted in `name`, when it is the refused form.
    pub fn value(&self, form: &str, name: &str) -> Option<&str> {
        if !self.is(form) {
            return None;
        }
        self.values.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// What `form` posted in `name` when it is the refused form, else `shown` (what the page
    /// shows on a first showing: the stored value or a default).
    pub fn or(&self, form: &str, name: &str, shown: impl Into<String>) -> String {
        self.value(form, name).map_or_else(|| shown.into(), str::to_string)
    }

    /// Every value `form` posted in `name` (a checkbox group's ticked values, perhaps none) when
    /// it is the refused form; `None` when it is not, so the page shows what is stored.
    pub fn all(&self, form: &str, name: &str) -> Option<Vec<String>> {
        self.is(form).then(|| self.values.iter().filter(|(n, _)| n == name).map(|(_, v)| v.clone()).collect())
    }

    /// Whether `form` was refused with problems (a closed `<details>` around it is shown open).
    pub fn refused(&self, form: &str) -> bool {
        self.is(form) && !self.errors.is_empty()
    }

    /// The summary at the top of the page: each problem linked to the field among `fields`
    /// that shows it and headed by the label given with it ([`FormErrors::linked_to`]); a
    /// problem no field shows is one of the whole form.
    pub fn summary_labelled(&self, fields: &[(&Field, String)]) -> FormErrors {
        self.errors.linked_to(fields)
    }

    /// [`Refused::summary_labelled`] with each field's own label.
    pub fn summary(&self, fields: &[&Field]) -> FormErrors {
        self.errors.linked(fields)
    }
}

/// One form field, rendered by `_field.html`: its label, "(frivilligt)" when optional, its hint,
/// the message of its problem, and the control with `aria-invalid` and `aria-describedby`.
#[derive(Debug, Clone, Template)]
#[template(path = "_field.html")]
pub struct Field {
    /// The posted name.
    pub name: String,
    /// The HTML id (the name unless set with [`Field::id`]).
    pub id: String,
    pub label: String,
    pub hint: String,
    /// `text`, `email`, `password`, `tel`, `url`, `number`, `date`, `textarea`, `select`,
    /// `checkboxes` (a fieldset of checkboxes, options ticked by their flag) or `radios`.
    pub kind: &'static str,
    pub value: String,
    pub required: bool,
    /// "frivilligt", translated when the field was made.
    pub optional_text: String,
    /// The first option of a select with nothing chosen ("Välj …"); none when empty.
    pub placeholder: String,
    pub error: Option<String>,
    pub autocomplete: &'static str,
    pub inputmode: &'static str,
    /// The file types a `file` field takes.
    pub accept: &'static str,
    /// The height of a `textarea`, in lines.
    pub rows: u16,
    /// (value, label, chosen) for `select`, `checkboxes` and `radios`.
    pub options: Vec<(String, String, bool)>,
}

/// The field is its own template (`_field.html`), which escapes every text it prints.
impl askama::filters::HtmlSafe for Field {}

impl Field {
    /// A required text field named `name` whose label is the Fluent message `label_id`.
    pub fn new(ctx: &Ctx, name: &str, label_id: &str) -> Self {
        Self::labelled(ctx, name, ctx.t(label_id))
    }

    /// A required text field with a label already translated.
    pub fn labelled(ctx: &Ctx, name: &str, label: String) -> Self {
        Self {
            name: name.to_string(),
            id: name.to_string(),
            label,
            hint: String::new(),
            kind: "text",
            value: String::new(),
            required: true,
            optional_text: ctx.t("form-optional"),
            placeholder: String::new(),
            error: None,
            autocomplete: "",
            inputmode: "",
            accept: "",
            rows: 3,
            options: vec![],
        }
    }

    pub fn kind(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        self
    }

    pub fn id(mut self, id: &str) -> Self {
        self.id = id.to_string();
        self
    }

    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = value.into();
        self
    }

    /// Marks the field "(frivilligt)".
    pub fn optional(mut self) -> Self {
        self.required = false;
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }

    pub fn autocomplete(mut self, a: &'static str) -> Self {
        self.autocomplete = a;
        self
    }

    pub fn inputmode(mut self, m: &'static str) -> Self {
        self.inputmode = m;
        self
    }

    pub fn rows(mut self, rows: u16) -> Self {
        self.rows = rows;
        self
    }

    pub fn accept(mut self, a: &'static str) -> Self {
        self.accept = a;
        self
    }

    pub fn options(mut self, options: Vec<(String, String, bool)>, placeholder: impl Into<String>) -> Self {
        self.options = options;
        self.placeholder = placeholder.into();
        self
    }

    /// Takes this field's problem (by its posted name) from the form's problems.
    pub fn errors(mut self, errors: &FormErrors) -> Self {
        self.error = errors.message(&self.name).map(str::to_string);
        self
    }

    /// The ids of the hint and the message, for `aria-describedby`.
    pub fn describedby(&self) -> String {
        let mut ids = vec![];
        if !self.hint.is_empty() {
            ids.push(format!("{}-hint", self.id));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.id));
        }
        ids.join(" ")
    }

    fn is_group(&self) -> bool {
        matches!(self.kind, "checkboxes" | "radios")
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use radhus_kernel::Lang;

    use super::*;
    use crate::error::Error;
    use crate::tenancy::Site;
    use crate::web::Tr;
    use crate::web::i18n::I18n;

    const FTL: &str = "form-error-summary = Det finns fel i formuläret
form-optional = frivilligt
field-title = Rubrik
field-note = Anteckning
msg-title = Skriv en rubrik.
msg-note = Korta anteckningen.
msg-person = Välj en person.
msg-taken = Platsen är redan tagen.
";

    fn ctx() -> Ctx {
        let i18n = I18n::new(&[(Lang::Sv, FTL)]).expect("ftl");
        Ctx {
            site: Site::Platform,
            tr: Tr { lang: Lang::Sv, i18n: Arc::new(i18n) },
            principal: None,
            session_expired: false,
            session_token_hash: None,
            csrf: String::new(),
            path: String::new(),
            host: String::new(),
            client: String::new(),
        }
    }

    fn invalid(fields: &[(&str, &str)]) -> Error {
        Error::Invalid(fields.iter().map(|(f, m)| FieldError::new(*f, *m)).collect())
    }

    /// (field, target, summary, message) of each entry.
    fn rows(e: &FormErrors) -> Vec<(&str, &str, &str, &str)> {
        e.entries.iter().map(|x| (x.field.as_str(), x.target.as_str(), x.summary.as_str(), x.message.as_str())).collect()
    }

    #[test]
    fn place_renames_a_problem_to_the_posted_field_and_its_id() {
        let ctx = ctx();
        let e = FormErrors::of(&ctx, &invalid(&[("reg_title", "msg-title"), ("note", "msg-note")]))
            .place(&[("reg_title", "title", "b-title"), ("other", "x", "y")]);
        assert_eq!(
            rows(&e),
            vec![
                ("title", "b-title", "Skriv en rubrik.", "Skriv en rubrik."),
                ("note", "note", "Anteckning: Korta anteckningen.", "Korta anteckningen.")
            ]
        );
        // The field posted as `title` shows it; the use case's name no longer does.
        assert_eq!(e.message("title"), Some("Skriv en rubrik."));
        assert_eq!(e.message("reg_title"), None);
        let f = Field::new(&ctx, "title", "field-title").id("b-title").errors(&e);
        assert_eq!(f.error.as_deref(), Some("Skriv en rubrik."));
        // Placed on the form: no link, no field shows it.
        let e = FormErrors::of(&ctx, &invalid(&[("submission", "msg-taken")])).place(&[("submission", FieldError::FORM, "")]);
        assert_eq!(rows(&e), vec![(FieldError::FORM, "", "Platsen är redan tagen.", "Platsen är redan tagen.")]);
        assert_eq!(e.message("submission"), None);
    }

    #[test]
    fn unlinked_makes_every_problem_the_whole_forms() {
        let ctx = ctx();
        let e = FormErrors::of(&ctx, &invalid(&[("title", "msg-title"), ("position", "msg-person")])).unlinked();
        assert_eq!(
            rows(&e),
            vec![
                (FieldError::FORM, "", "Rubrik: Skriv en rubrik.", "Skriv en rubrik."),
                (FieldError::FORM, "", "Välj en person.", "Välj en person.")
            ]
        );
        assert_eq!(e.message("title"), None);
        let html = e.to_string();
        assert!(html.contains("<li>Rubrik: Skriv en rubrik.</li><li>Välj en person.</li>"), "{html}");
        assert!(!html.contains("href="), "{html}");
    }

    #[test]
    fn refused_gives_problems_and_values_to_the_refused_form_only() {
        let ctx = ctx();
        let errors = FormErrors::of(&ctx, &invalid(&[("title", "msg-title")]));
        let r = Refused::form("record", errors, [("title", " "), ("tags", "a"), ("tags", "b"), ("note", "x")]);
        assert!(r.is("record") && !r.is("status") && !r.is(""));
        assert!(r.refused("record") && !r.refused("status"));
        assert_eq!(r.errors("record").message("title"), Some("Skriv en rubrik."));
        assert!(r.errors("status").is_empty());
        assert_eq!(r.value("record", "title"), Some(" "));
        assert_eq!(r.value("record", "tags"), Some("a"), "the first value");
        assert_eq!(r.value("record", "missing"), None);
        assert_eq!(r.value("status", "title"), None);
        assert_eq!(r.or("record", "note", "stored"), "x");
        assert_eq!(r.or("record", "missing", "stored"), "stored");
        assert_eq!(r.or("status", "note", "stored"), "stored");
        assert_eq!(r.all("record", "tags"), Some(vec!["a".to_string(), "b".to_string()]));
        assert_eq!(r.all("record", "none"), Some(vec![]), "a refused group with nothing ticked");
        assert_eq!(r.all("status", "tags"), None);

        let none = Refused::none();
        assert!(!none.is("") && !none.is("record") && !none.refused(""));
        assert!(none.errors("").is_empty() && none.value("", "title").is_none() && none.all("", "tags").is_none());

        let button = Refused::whole("delete", FormErrors::of(&ctx, &Error::Conflict("msg-taken")));
        assert!(button.is("delete") && button.refused("delete"));
        assert_eq!(button.value("delete", "title"), None);
        assert_eq!(button.errors("delete").entries.len(), 1);
        // Posted without problems (a form shown again for another reason): not refused.
        assert!(!Refused::whole("delete", FormErrors::none()).refused("delete"));
    }

    #[test]
    fn the_summary_links_each_problem_to_the_field_that_shows_it_with_its_label() {
        let ctx = ctx();
        let errors = FormErrors::of(&ctx, &invalid(&[("title", "msg-title"), ("note", "msg-note"), ("hidden", "msg-person")]));
        let r = Refused::form("record", errors, [("title", "")]);
        // Two forms with a field `title`: only the refused form's shows the problem.
        let other = Field::new(&ctx, "title", "field-title").id("s-title").errors(&r.errors("status"));
        let title = Field::labelled(&ctx, "title", "Handlingens rubrik".into()).id("r-title").errors(&r.errors("record"));
        let note = Field::new(&ctx, "note", "field-note").id("r-note").errors(&r.errors("record"));
        let s = r.summary(&[&other, &title, &note]);
        assert_eq!(
            rows(&s),
            vec![
                ("title", "r-title", "Handlingens rubrik: Skriv en rubrik.", "Skriv en rubrik."),
                ("note", "r-note", "Anteckning: Korta anteckningen.", "Korta anteckningen."),
                // No field shows it: a problem of the whole form, not a link to nowhere.
                ("hidden", "", "Välj en person.", "Välj en person."),
            ]
        );
        let html = s.to_string();
        assert!(html.contains(r##"<a class="ds-link" href="#r-title">Handlingens rubrik: Skriv en rubrik.</a>"##), "{html}");
        assert!(html.contains("<li>Välj en person.</li>"), "{html}");
        // With the labels the summary gives.
        let s = r.summary_labelled(&[(&title, "Rubrik".into())]);
        assert_eq!(rows(&s)[0], ("title", "r-title", "Rubrik: Skriv en rubrik.", "Skriv en rubrik."));
        assert_eq!(s.entries[1].target, "", "note is not among the fields");
        // The same as linking the form's problems directly.
        assert_eq!(r.summary(&[&title, &note]).entries, r.errors("record").linked(&[&title, &note]).entries);
        assert!(Refused::none().summary(&[&title]).is_empty());
    }
}
