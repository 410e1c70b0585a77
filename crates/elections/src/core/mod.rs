//! The pure domain, with no IO and none of the platform's types: `model` (one election's
//! staffing), `rules` (vallagen 3 kap. and municipal policy as versioned code), `optimiser` (the
//! staffing solver) and `testdata` (instances for tests and the benchmark).

pub mod model;
pub mod optimiser;
pub mod rules;
pub mod testdata;
