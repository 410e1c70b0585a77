//! Pure types shared by every Rådhus crate. Nothing in here does IO.

pub mod clock;
pub mod error;
pub mod ids;
pub mod lang;
pub mod orgnr;
pub mod personnummer;

pub use clock::{Clock, FixedClock, SystemClock};
pub use error::ErrorCode;
pub use lang::Lang;
pub use orgnr::Orgnr;
pub use personnummer::Personnummer;
