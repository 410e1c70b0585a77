//! Parsing of the pages' form fields that several page modules share, and the fields of the
//! new watch that the case and the record pages both show.

use radhus_platform::error::{Error, Result};
use radhus_platform::web::field::{Field, Refused};
use uuid::Uuid;

/// An optional id from a select: empty is `None`, anything else must be an id (else `message`
/// on `field`).
pub(super) fn opt_uuid(s: &str, field: &str, msg: &str) -> Result<Option<Uuid>> {
    match s.trim() {
        "" => Ok(None),
        v => Uuid::parse_str(v).map(Some).map_err(|_| Error::invalid(field, msg)),
    }
}

/// The new watch's fields on a case's or a record's page (`cases/watch_form.html`).
pub(super) fn watch_fields(ctx: &radhus_platform::web::Ctx, r: &Refused) -> Vec<Field> {
    let e = &r.errors("watch");
    vec![
        Field::new(ctx, "due", "field-due-date").id("w-due").kind("date").value(r.or("watch", "due", "")).errors(e),
        Field::new(ctx, "remind_days", "field-remind_days")
            .id("w-remind")
            .optional()
            .inputmode("numeric")
            .hint(ctx.t("watches-remind-hint"))
            .value(r.or("watch", "remind_days", "2"))
            .errors(e),
        Field::new(ctx, "note", "field-note").id("w-note").value(r.or("watch", "note", "")).errors(e),
    ]
}
