//! Parsing of the pages' form fields that several page modules share.

use radhus_platform::error::{Error, Result};
use uuid::Uuid;

/// An optional id from a select: empty is `None`, anything else must be an id (else `message`
/// on `field`).
pub(super) fn opt_uuid(s: &str, field: &str, msg: &str) -> Result<Option<Uuid>> {
    match s.trim() {
        "" => Ok(None),
        v => Uuid::parse_str(v).map(Some).map_err(|_| Error::invalid(field, msg)),
    }
}
