//! The server crate: command line, configuration, the wiring of every module into one
//! application, and the demo data.

pub mod cli;
pub mod demo;
pub mod demo_cases;
pub mod demo_elections;
pub mod demo_eservices;
pub mod demo_maturity;
pub mod demo_meetings;
pub mod keys;
pub mod settings;

use radhus_platform::Module;
use radhus_platform::config::Config;

/// Every module of the platform, in the order their routes are merged. A new module
/// crate adds itself here (and the isolation test then walks its routes too).
pub fn modules(cfg: &Config) -> Vec<Module> {
    vec![
        radhus_platform::platform_module(cfg),
        radhus_cases::module(),
        radhus_maturity::module(),
        radhus_elections::module(),
        radhus_mycases::module(),
        radhus_eservices::module(),
        radhus_meetings::module(),
    ]
}
