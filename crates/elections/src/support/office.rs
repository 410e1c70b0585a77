//! Who may do what in the election module: the election office and the valnämnd's delegate
//! who appoints. Every area's use cases check these for the whole municipality.

use radhus_platform::error::{Error, Result};
use radhus_platform::identity::permissions::Permission;
use radhus_platform::identity::session::StaffUser;

/// The election office (valkansliet): registers, structure, applications, courses, staffing,
/// material, campaigns and reports.
pub const OFFICE: &str = "elections.office";
/// Appoints (förordnar) poll workers on the valnämnd's delegation.
pub const APPOINT: &str = "elections.appoint";

/// The permission extractor's marker for the office (`Require<Office>`).
pub struct Office;
impl Permission for Office {
    const KEY: &'static str = OFFICE;
}

pub fn is_office(s: &StaffUser) -> bool {
    s.grants.whole_municipality(OFFICE)
}

pub fn may_appoint(s: &StaffUser) -> bool {
    s.grants.whole_municipality(APPOINT)
}

/// The office or the valnämnd's delegate who appoints: may read the elections and staffing.
pub fn require_reader(s: &StaffUser) -> Result<()> {
    if is_office(s) || may_appoint(s) { Ok(()) } else { Err(Error::Forbidden) }
}

pub fn require_office(s: &StaffUser) -> Result<()> {
    if is_office(s) { Ok(()) } else { Err(Error::Forbidden) }
}
