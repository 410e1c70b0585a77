//! The election module's errors in one place: every rule of a use case that refuses, with its
//! stable code, its kind (the HTTP status) and the Fluent id of its message. The codes come in
//! blocks per area (0xx structure, staffing and appointment, 1xx registers, applications, pages,
//! courses and the worker's pages, 22x material, 23x campaigns); `docs/elections.md` lists them.
//! The rules of the pure core (`rules.rs`) are violations in a plan, not errors, and have codes
//! of their own.

use radhus_kernel::error::{ErrorDef, ErrorKind};
use radhus_platform::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElectionError {
    // structure (service.rs)
    /// The district code's first four digits are not the municipality's kommunkod.
    DistrictOtherKommun,
    /// The election already has such an entry (district code, valkrets name, shift …).
    Duplicate,
    /// A vallokal needs its district.
    DistrictNeeded,
    /// A staffed position cannot be removed.
    PositionHeld,
    /// A shift with positions cannot be removed.
    ShiftInUse,

    // staffing (staffing.rs) and appointment (appointment.rs)
    /// The position is already staffed.
    PositionTaken,
    /// The person is not accepted for the election.
    NotAccepted,
    /// The person already has a position in the election.
    AlreadyPlaced,
    /// May not be placed or appointed: age, blocked candidacy, experience, no birth date.
    Blocked,
    /// The person is appointed: the appointment is revoked before the placement is removed.
    Appointed,
    /// The person has no position in the election.
    NotPlaced,
    /// The person declined and cannot be appointed.
    Declined,
    /// The course for the role is not completed (vallagen as amended by SFS 2014:301).
    NoCourse,
    /// The optimiser has no positions to staff.
    NoPositions,
    /// Nobody declined, so there is nothing to re-plan.
    NoDeclines,
    /// Nobody placed is left to appoint.
    NobodyToAppoint,
    /// Nobody is appointed, so there are no letters to print.
    NoneAppointed,
    /// The person is already appointed.
    AlreadyAppointed,
    /// Someone else appointed in the election while the letters were written: numbers taken.
    AppointedMeanwhile,

    // registers (registers/service.rs, registers/import.rs; also the structure import)
    /// A person with that personnummer is already in the register.
    PnrTaken,
    /// The photo is larger than 5 MB.
    PhotoTooLarge,
    /// The photo is not PNG, JPEG or WebP.
    PhotoType,
    /// Experience is already recorded for that year.
    HistoryYearTaken,
    /// The file could not be read.
    Unreadable,
    /// A required column is missing.
    MissingColumns,
    /// No rows below the header.
    EmptyFile,
    /// More than 20,000 rows.
    TooManyRows,
    /// Everything is to be imported while some rows have problems.
    ImportHasProblems,
    /// The file was already imported or discarded.
    ImportDone,
    /// The file is larger than 10 MB.
    FileTooLarge,
    /// The sheet has content in too many columns or cells.
    FileTooWide,
    /// The Excel file unpacks to too much, or to too many parts.
    UnpackedTooLarge,

    // applications (applications.rs, conflicts.rs) and pages (pages.rs)
    /// Applications for the election are closed.
    ApplicationsClosed,
    /// Already applied for this election.
    AppliedTwice,
    /// Younger on the election day than the municipality's minimum age (18 unless changed).
    TooYoung,
    /// A candidate cannot be accepted while the election blocks candidates.
    CandidateBlocked,
    /// The person is placed: the placement is removed before the application is set aside.
    ApplicantPlaced,
    /// No personnummer, so the population register cannot be checked.
    NoPnr,
    /// The conflict pair is already recorded (in either order).
    ConflictTwice,
    /// A person cannot conflict with themselves.
    ConflictSelf,
    /// An information page with that address exists.
    SlugTaken,

    // courses (courses.rs)
    /// The election already has a course of that kind.
    CourseExists,
    /// Already enrolled (or waitlisted) in a session of the course.
    AlreadyEnrolled,
    /// Only accepted applicants and reserves can be enrolled.
    NotApplicant,
    /// Attendance only once the session has begun.
    NotHeldYet,
    /// The course is already completed.
    AlreadyCompleted,
    /// The session has begun: the worker can no longer enrol or cancel themselves.
    SessionStarted,
    /// The person is not enrolled in the session.
    NotEnrolled,
    /// A session ends after it starts, on the same day.
    SessionTimes,
    /// A session that has begun can no longer be changed or removed.
    SessionBegun,
    /// Fewer places than people enrolled.
    CapacityBelow,
    /// A session with people enrolled or waitlisted cannot be removed.
    SessionHasPeople,
    /// A course type with sessions or completions cannot be removed.
    CourseInUse,

    // the worker's pages (worker.rs)
    /// No assignment in the election to answer.
    NoAssignment,
    /// Already declined; changing one's mind goes through the office.
    WorkerDeclined,
    /// The e-mail link is unknown, used or older than 30 minutes.
    BadLink,
    /// The session is not of a course the person needs.
    NotMyCourse,
    /// The election day has passed: the offer can no longer be answered.
    ElectionOver,

    // material (material.rs)
    /// Returned before delivered.
    ReturnBeforeDelivery,
    /// An item type with that name exists.
    DuplicateItem,
    /// The station has no material to mark.
    NothingToMark,
    /// The election has no stations of that kind (standard kit).
    NoStations,

    // campaigns (campaigns.rs)
    /// Nobody meets the campaign's conditions.
    EmptyGroup,
    /// Nobody in the group has an address on the channel.
    NobodyReachable,
}

impl ElectionError {
    pub const ALL: [ElectionError; 64] = {
        use ElectionError::*;
        [
            DistrictOtherKommun,
            Duplicate,
            DistrictNeeded,
            PositionHeld,
            ShiftInUse,
            PositionTaken,
            NotAccepted,
            AlreadyPlaced,
            Blocked,
            Appointed,
            NotPlaced,
            Declined,
            NoCourse,
            NoPositions,
            NoDeclines,
            NobodyToAppoint,
            NoneAppointed,
            AlreadyAppointed,
            AppointedMeanwhile,
            PnrTaken,
            PhotoTooLarge,
            PhotoType,
            HistoryYearTaken,
            Unreadable,
            MissingColumns,
            EmptyFile,
            TooManyRows,
            ImportHasProblems,
            ImportDone,
            FileTooLarge,
            FileTooWide,
            UnpackedTooLarge,
            ApplicationsClosed,
            AppliedTwice,
            TooYoung,
            CandidateBlocked,
            ApplicantPlaced,
            NoPnr,
            ConflictTwice,
            ConflictSelf,
            SlugTaken,
            CourseExists,
            AlreadyEnrolled,
            NotApplicant,
            NotHeldYet,
            AlreadyCompleted,
            SessionStarted,
            NotEnrolled,
            SessionTimes,
            SessionBegun,
            CapacityBelow,
            SessionHasPeople,
            CourseInUse,
            NoAssignment,
            WorkerDeclined,
            BadLink,
            NotMyCourse,
            ElectionOver,
            ReturnBeforeDelivery,
            DuplicateItem,
            NothingToMark,
            NoStations,
            EmptyGroup,
            NobodyReachable,
        ]
    };

    /// The stable code, its kind and the Fluent id of its message.
    pub fn parts(self) -> (&'static str, ErrorKind, &'static str) {
        use ElectionError::*;
        use ErrorKind::{BadInput, Conflict, NotFound, TooLarge};
        match self {
            DistrictOtherKommun => ("VAL-001", BadInput, "el-err-district-other-kommun"),
            Duplicate => ("VAL-002", Conflict, "el-err-duplicate"),
            DistrictNeeded => ("VAL-003", BadInput, "el-err-district-needed"),
            PositionHeld => ("VAL-004", Conflict, "el-err-position-held"),
            PositionTaken => ("VAL-005", Conflict, "el-err-position-taken"),
            NotAccepted => ("VAL-006", BadInput, "el-err-not-accepted"),
            AlreadyPlaced => ("VAL-007", Conflict, "el-err-already-placed"),
            Blocked => ("VAL-008", BadInput, "el-err-blocked"),
            Appointed => ("VAL-009", Conflict, "el-err-appointed"),
            NotPlaced => ("VAL-010", BadInput, "el-err-not-placed"),
            Declined => ("VAL-011", Conflict, "el-err-declined"),
            NoCourse => ("VAL-012", BadInput, "el-err-no-course"),
            NoPositions => ("VAL-014", BadInput, "el-err-no-positions"),
            ShiftInUse => ("VAL-015", Conflict, "el-err-shift-has-positions"),
            NoDeclines => ("VAL-016", BadInput, "el-err-no-declines"),
            NobodyToAppoint => ("VAL-017", BadInput, "el-err-nobody-to-appoint"),
            NoneAppointed => ("VAL-018", BadInput, "el-err-no-appointed"),
            AlreadyAppointed => ("VAL-019", Conflict, "el-err-already-appointed"),
            AppointedMeanwhile => ("VAL-020", Conflict, "el-err-appointed-meanwhile"),
            PnrTaken => ("VAL-100", Conflict, "el-registers-err-pnr-taken"),
            PhotoTooLarge => ("VAL-101", TooLarge, "el-registers-err-photo-too-large"),
            PhotoType => ("VAL-102", BadInput, "el-registers-err-photo-type"),
            HistoryYearTaken => ("VAL-103", Conflict, "el-registers-err-year-taken"),
            Unreadable => ("VAL-104", BadInput, "el-registers-err-unreadable"),
            MissingColumns => ("VAL-105", BadInput, "el-registers-err-missing-columns"),
            EmptyFile => ("VAL-106", BadInput, "el-registers-err-empty"),
            TooManyRows => ("VAL-107", BadInput, "el-registers-err-too-many-rows"),
            ImportHasProblems => ("VAL-108", Conflict, "el-registers-err-import-has-problems"),
            ImportDone => ("VAL-109", Conflict, "el-registers-err-import-done"),
            FileTooLarge => ("VAL-110", TooLarge, "el-registers-err-file-too-large"),
            FileTooWide => ("VAL-111", TooLarge, "el-registers-err-too-wide"),
            UnpackedTooLarge => ("VAL-112", TooLarge, "el-registers-err-unpacked-too-large"),
            ApplicationsClosed => ("VAL-140", Conflict, "el-applications-err-closed"),
            AppliedTwice => ("VAL-141", Conflict, "el-applications-err-twice"),
            TooYoung => ("VAL-142", BadInput, "el-applications-err-too-young"),
            CandidateBlocked => ("VAL-143", Conflict, "el-applications-err-candidate"),
            ApplicantPlaced => ("VAL-144", Conflict, "el-applications-err-placed"),
            NoPnr => ("VAL-145", Conflict, "el-applications-err-no-pnr"),
            ConflictTwice => ("VAL-146", Conflict, "el-conflicts-err-twice"),
            ConflictSelf => ("VAL-147", BadInput, "el-conflicts-err-self"),
            SlugTaken => ("VAL-150", Conflict, "el-public-err-slug-taken"),
            CourseExists => ("VAL-180", Conflict, "el-courses-err-exists"),
            AlreadyEnrolled => ("VAL-181", Conflict, "el-courses-err-enrolled"),
            NotApplicant => ("VAL-182", BadInput, "el-courses-err-not-applicant"),
            NotHeldYet => ("VAL-183", Conflict, "el-courses-err-not-held"),
            AlreadyCompleted => ("VAL-184", Conflict, "el-courses-err-completed"),
            SessionStarted => ("VAL-185", Conflict, "el-worker-err-started"),
            NotEnrolled => ("VAL-186", Conflict, "el-courses-err-not-enrolled"),
            SessionTimes => ("VAL-187", BadInput, "el-courses-err-times"),
            SessionBegun => ("VAL-188", Conflict, "el-courses-err-begun"),
            CapacityBelow => ("VAL-189", Conflict, "el-courses-err-capacity-below"),
            NoAssignment => ("VAL-190", NotFound, "el-worker-err-no-assignment"),
            WorkerDeclined => ("VAL-191", Conflict, "el-worker-err-declined"),
            BadLink => ("VAL-192", BadInput, "el-worker-err-bad-link"),
            NotMyCourse => ("VAL-193", BadInput, "el-worker-err-not-my-course"),
            SessionHasPeople => ("VAL-194", Conflict, "el-courses-err-session-has-people"),
            CourseInUse => ("VAL-195", Conflict, "el-courses-err-course-in-use"),
            ElectionOver => ("VAL-196", Conflict, "el-worker-err-election-over"),
            ReturnBeforeDelivery => ("VAL-220", Conflict, "el-material-err-return-before-delivery"),
            DuplicateItem => ("VAL-221", Conflict, "el-material-err-duplicate"),
            NothingToMark => ("VAL-222", BadInput, "el-material-err-nothing"),
            NoStations => ("VAL-223", BadInput, "el-material-err-no-stations"),
            EmptyGroup => ("VAL-230", BadInput, "el-campaigns-err-empty"),
            NobodyReachable => ("VAL-231", BadInput, "el-campaigns-err-unreachable"),
        }
    }

    /// The stable code alone.
    pub fn code(self) -> &'static str {
        self.parts().0
    }

    /// As listed in the module (`Module::errors`).
    pub fn def(self) -> ErrorDef {
        let (code, kind, message) = self.parts();
        ErrorDef::new(code, kind, message)
    }
}

impl From<ElectionError> for Error {
    fn from(e: ElectionError) -> Self {
        let (code, kind, message) = e.parts();
        Error::rule(code, kind, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_once_and_every_variant_listed() {
        let mut codes: Vec<&str> = ElectionError::ALL.iter().map(|e| e.code()).collect();
        let mut messages: Vec<&str> = ElectionError::ALL.iter().map(|e| e.parts().2).collect();
        codes.sort_unstable();
        codes.dedup();
        messages.sort_unstable();
        messages.dedup();
        assert_eq!(codes.len(), ElectionError::ALL.len(), "a code is taken twice");
        assert_eq!(messages.len(), ElectionError::ALL.len(), "a message is used twice");
        assert!(codes.iter().all(|c| c.starts_with("VAL-") && c.len() == 7));
    }
}
