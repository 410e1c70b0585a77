//! What a rule in the code rests on. Each module keeps its rules' citations next to the rules
//! (`radhus_elections::Rule::citation`, `radhus_cases::law::RULES`); `docs/law.md` is generated
//! from them (`crates/server/tests/it/law.rs`), so the documentation cannot drift from the code.
//!
//! A citation names only what the legal check (`research/law-check.md`) could verify: a
//! paragraph number it could not confirm is not printed; the law is cited by name instead.

/// The kind of ground a rule stands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Basis {
    /// A statute (lag, förordning), cited as far as it was verified.
    Law,
    /// An authority's guidance: not binding, followed as good practice.
    Guidance,
    /// The municipality's (or the platform's) own choice; no statute requires it.
    Policy,
    /// A condition any consistent plan or register meets; no outside source.
    Integrity,
}

impl Basis {
    /// The Swedish word the office's pages show.
    pub fn label_sv(self) -> &'static str {
        match self {
            Basis::Law => "lag",
            Basis::Guidance => "myndighets vägledning",
            Basis::Policy => "kommunens riktlinje",
            Basis::Integrity => "planens eller registrets konsistens",
        }
    }

    /// The English word `docs/law.md` uses.
    pub fn label_en(self) -> &'static str {
        match self {
            Basis::Law => "law",
            Basis::Guidance => "guidance",
            Basis::Policy => "policy",
            Basis::Integrity => "integrity",
        }
    }
}

/// What one rule rests on: the kind of ground and the source in the words the office uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Citation {
    pub basis: Basis,
    /// The source (in Swedish, as it is cited), e.g. `tryckfrihetsförordningen 2 kap. 10 §`.
    pub source: &'static str,
}

impl Citation {
    pub const fn law(source: &'static str) -> Citation {
        Citation { basis: Basis::Law, source }
    }
    pub const fn guidance(source: &'static str) -> Citation {
        Citation { basis: Basis::Guidance, source }
    }
    pub const fn policy(source: &'static str) -> Citation {
        Citation { basis: Basis::Policy, source }
    }
    pub const fn integrity(source: &'static str) -> Citation {
        Citation { basis: Basis::Integrity, source }
    }
}

/// One rule of a module as the generated documentation lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LawRule {
    /// A stable code (`VAL-R01`, `CASE-L03`).
    pub code: &'static str,
    /// What the code does, in English.
    pub rule: &'static str,
    pub citation: Citation,
}

/// A Markdown table of rules: code, rule, basis, source (pipes in the text escaped).
pub fn markdown_table(rules: &[LawRule]) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = String::from("| code | rule | basis | source |\n|---|---|---|---|\n");
    for r in rules {
        out.push_str(&format!("| {} | {} | {} | {} |\n", r.code, cell(r.rule), r.citation.basis.label_en(), cell(r.citation.source)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_escapes_its_cells() {
        let t = markdown_table(&[LawRule { code: "X-R01", rule: "a | b", citation: Citation::policy("c") }]);
        assert!(t.contains("| X-R01 | a \\| b | policy | c |"), "{t}");
        assert_eq!(t.lines().count(), 3);
    }
}
