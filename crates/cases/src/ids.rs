//! The ids of case management, each its own newtype (`radhus_kernel::define_id!`) so that a
//! record's id cannot be passed where a case's is meant. Stores bind `id.0`; rows decode one
//! with `#[sqlx(try_from = "Uuid")]`; handlers parse them with `PathIds<CaseId>`.

use radhus_kernel::define_id;

define_id!(
    /// A case (ärende, table `case_file`).
    CaseId
);
define_id!(
    /// A record (handling) of a case.
    RecordId
);
define_id!(
    /// A registry (diarium) with its own number series.
    RegistryId
);
define_id!(
    /// A case type of a municipality.
    CaseTypeId
);
define_id!(
    /// A class of the classification scheme (klassificeringsstruktur).
    ClassId
);
define_id!(
    /// A record's document.
    DocumentId
);
define_id!(
    /// One version of a document.
    VersionId
);
define_id!(
    /// A party of a case.
    PartyId
);
define_id!(
    /// A message between a case and a citizen.
    MessageId
);
define_id!(
    /// A project that groups cases.
    ProjectId
);
define_id!(
    /// A watch (bevakning): a date to act on in a case or record.
    WatchId
);
