//! Elections and their structure: valkretsar, valdistrikt, polling stations with opening hours
//! and positions, and shifts. `store` holds the SQL, `service` the use cases, `web` the pages
//! under `/admin/val`.

pub mod labels;
pub mod service;
pub mod store;
pub mod web;

pub use web::routes;
