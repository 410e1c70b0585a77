//! Parsing of the pages' form fields that several page modules share, and the refused form
//! of a page that has several.

use radhus_platform::error::{Error, Result};
use radhus_platform::web::field::{Field, FormErrors};
use uuid::Uuid;

/// An optional id from a select: empty is `None`, anything else must be an id (else `message`
/// on `field`).
pub(super) fn opt_uuid(s: &str, field: &str, msg: &str) -> Result<Option<Uuid>> {
    match s.trim() {
        "" => Ok(None),
        v => Uuid::parse_str(v).map(Some).map_err(|_| Error::invalid(field, msg)),
    }
}

/// The form of a page with several forms that was posted, and what it posted.
#[derive(Debug, Clone, Default)]
pub(super) struct Posted {
    /// The form's name on its page (`record`, `status`, `watch` …); empty for none.
    pub form: &'static str,
    values: Vec<(String, String)>,
}

impl Posted {
    pub fn form(form: &'static str) -> Self {
        Self { form, values: vec![] }
    }

    pub fn with(mut self, name: &str, value: &str) -> Self {
        self.values.push((name.to_string(), value.to_string()));
        self
    }

    pub fn is(&self, form: &str) -> bool {
        self.form == form
    }

    /// What the form `form` posted in `name` when it is the posted form, else `default`.
    pub fn value(&self, form: &str, name: &str, default: impl Into<String>) -> String {
        match self.values.iter().find(|(n, _)| self.form == form && n == name) {
            Some((_, v)) => v.clone(),
            None => default.into(),
        }
    }
}

impl Posted {
    /// Every value the form `form` posted in `name` (a group of checkboxes), when it is the
    /// posted form.
    pub fn all(&self, form: &str, name: &str) -> Option<Vec<String>> {
        self.is(form).then(|| self.values.iter().filter(|(n, _)| n == name).map(|(_, v)| v.clone()).collect())
    }
}

/// A page with several forms shown again after one of them was refused: only that form's
/// fields take the problems (and show what was posted), so one problem is not shown at two
/// forms whose fields share a name.
#[derive(Debug, Clone, Default)]
pub(super) struct Refused {
    pub posted: Posted,
    pub errors: FormErrors,
}

impl Refused {
    pub fn none() -> Self {
        Self::default()
    }

    pub fn new(posted: Posted, errors: FormErrors) -> Self {
        Self { posted, errors }
    }

    /// The problems for the fields of the form `form`: all of them when it is the refused one.
    pub fn errors(&self, form: &str) -> FormErrors {
        if self.posted.is(form) { self.errors.clone() } else { FormErrors::none() }
    }

    pub fn value(&self, form: &str, name: &str, default: impl Into<String>) -> String {
        self.posted.value(form, name, default)
    }

    /// Whether the form `form` was refused (a closed `<details>` around it is shown open).
    pub fn refused(&self, form: &str) -> bool {
        self.posted.is(form) && !self.errors.is_empty()
    }
}

/// The summary linked to the refused form's fields: each problem of a field that shows one
/// (only the refused form's fields do) links to that field's id and starts with the field's
/// own label, as the page shows it.
pub(super) fn linked<'a>(mut errors: FormErrors, fields: impl IntoIterator<Item = &'a Field>) -> FormErrors {
    for f in fields.into_iter().filter(|f| f.error.is_some()) {
        for e in errors.entries.iter_mut().filter(|e| e.field == f.name) {
            e.target = f.id.clone();
            e.summary = format!("{}: {}", f.label, e.message);
        }
    }
    errors
}

/// The new watch's fields on a case's or a record's page (`cases/watch_form.html`).
pub(super) fn watch_fields(ctx: &radhus_platform::web::Ctx, r: &Refused) -> Vec<Field> {
    let e = &r.errors("watch");
    vec![
        Field::new(ctx, "due", "field-due-date").id("w-due").kind("date").value(r.value("watch", "due", "")).errors(e),
        Field::new(ctx, "remind_days", "field-remind_days")
            .id("w-remind")
            .optional()
            .inputmode("numeric")
            .hint(ctx.t("watches-remind-hint"))
            .value(r.value("watch", "remind_days", "2"))
            .errors(e),
        Field::new(ctx, "note", "field-note").id("w-note").value(r.value("watch", "note", "")).errors(e),
    ]
}
