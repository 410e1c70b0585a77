//! The starter bank: the shared e-services shipped with the platform (`services/*.json`), each
//! mapped to the eBlomlåda indicator it fulfils. A test parses and lints every one.

use super::Definition;

/// The JSON of each shipped service, by file name.
const SERVICES: [(&str, &str); 1] = [("bygglov.json", include_str!("../../services/bygglov.json"))];

/// The shared services shipped with the platform, each lint-clean (the tests make sure).
pub fn starter_bank() -> Vec<Definition> {
    SERVICES
        .iter()
        .filter_map(|(name, json)| match super::parse(json) {
            Ok(def) => Some(def),
            Err(problems) => {
                tracing::error!(service = name, ?problems, "a shipped e-service does not lint");
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_service_parses_and_lints() {
        for (name, json) in SERVICES {
            if let Err(problems) = super::super::parse(json) {
                panic!("{name}: {}", problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"));
            }
        }
        assert_eq!(starter_bank().len(), SERVICES.len());
    }
}
