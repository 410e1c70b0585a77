//! What every area of the module shares: the office's permissions (`office`), the audit helper
//! (`audit`), the parsing of dates, times and coordinates (`parse`), how dates, times and labels are written (`view`) and the shared HTTP answers
//! (`web`, the only file here that uses axum).

pub mod audit;
pub mod office;
pub mod parse;
pub mod view;
pub mod web;
