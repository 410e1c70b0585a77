//! Registers kept between elections: buildings, premises (with photos) and persons (with their
//! experience from earlier elections), their import from CSV or Excel with a preview, and their
//! export to Excel. The office's pages are under `/admin/val/register`.

pub mod columns;
pub mod demo;
pub mod export;
pub mod import;
pub mod service;
pub mod store;
pub mod valimport;
pub mod web;
pub mod zipguard;

pub use demo::{import_demo_structure, seed_demo_registers};
pub use web::routes;
