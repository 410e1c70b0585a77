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

    /// The message at the field `field`, if it has a problem (the first one).
    pub fn message(&self, field: &str) -> Option<&str> {
        self.entries.iter().find(|e| e.field == field && field != FieldError::FORM).map(|e| e.message.as_str())
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
