//! Pure types shared by every Rådhus crate. Nothing in here does IO.

pub mod clock;
pub mod csv_cell;
pub mod diary_number;
pub mod error;
pub mod holidays;
pub mod html;
pub mod ical;
pub mod ids;
pub mod lang;
pub mod law;
pub mod orgnr;
pub mod personnummer;
pub mod tz;

pub use clock::{Clock, FixedClock, SystemClock};
pub use diary_number::{DiaryNumber, NumberFormat};
pub use error::ErrorCode;
pub use lang::Lang;
pub use orgnr::Orgnr;
pub use personnummer::Personnummer;
