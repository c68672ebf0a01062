//! The products' parts of the shared layers: the scenario section each product reads and the
//! state each keeps in the World, listed once, and the `Scenario` constructors that need them.
//!
//! `scenario/` and `state/` know no product: they receive these lists from here, built from
//! the registry ([`super::PRODUCTS`]), so a new product needs no entry of its own here.

use std::path::Path;
use std::sync::LazyLock;

use super::PRODUCTS;
use crate::scenario::{DEFAULT_SCENARIO_TOML, Scenario, ScenarioError, SectionParser};
use crate::state::ProductState;

/// Every product's scenario section, in registry order (the order in which messages list the
/// top-level keys), then the declared routes' `[[routes]]` and the loaded documents' `[api]`.
static SECTION_PARSERS: LazyLock<Vec<&'static dyn SectionParser>> = LazyLock::new(|| {
    let products = PRODUCTS.iter().map(|product| product.section());
    products
        .chain([
            &super::declared::section::SECTION as &dyn SectionParser,
            &super::documents::section::SECTION,
        ])
        .collect()
});

/// Every product's state for a World playing `scenario` (a [`crate::state::NewProductStates`]),
/// then the declared routes in force and the server's own loaded documents.
pub(crate) fn new_states(scenario: &Scenario) -> Vec<Box<dyn ProductState>> {
    let products = PRODUCTS.iter().map(|product| product.new_state(scenario));
    products
        .chain([
            super::declared::RouteStore::boxed(scenario),
            super::documents::DocumentStore::boxed(scenario),
        ])
        .collect()
}

impl Scenario {
    /// Parses and validates a scenario from TOML text.
    pub fn from_toml_str(text: &str) -> Result<Scenario, ScenarioError> {
        crate::scenario::parse(text, "<inline>", &SECTION_PARSERS)
    }

    /// Reads, parses and validates a scenario file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Scenario, ScenarioError> {
        crate::scenario::parse_file(path.as_ref(), &SECTION_PARSERS)
    }
}

impl Default for Scenario {
    /// The embedded default scenario (`scenarios/default.toml`).
    fn default() -> Scenario {
        // The embedded file is checked by a unit test, so it always parses.
        #[allow(clippy::expect_used)]
        Scenario::from_toml_str(DEFAULT_SCENARIO_TOML).expect("the embedded default scenario is valid")
    }
}

/// Parses `text` with every product's section, naming it `origin` (for the unit tests).
#[cfg(test)]
pub(crate) fn parse(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
    crate::scenario::parse(text, origin, &SECTION_PARSERS)
}

/// The problems `text` has (none when it is valid), for the unit tests.
#[cfg(test)]
pub(crate) fn problems(text: &str) -> Vec<crate::scenario::Problem> {
    match parse(text, "test.toml") {
        Ok(_) => Vec::new(),
        Err(err) => err.problems().to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_scenarios_are_valid() {
        for (name, text) in [
            ("default.toml", DEFAULT_SCENARIO_TOML),
            ("vb365.toml", include_str!("../../scenarios/vb365.toml")),
            ("azure.toml", include_str!("../../scenarios/azure.toml")),
            ("vbr.toml", include_str!("../../scenarios/vbr.toml")),
            ("vbr-refresh-refused.toml", include_str!("../../scenarios/vbr-refresh-refused.toml")),
            ("flaky-token.toml", include_str!("../../scenarios/flaky-token.toml")),
            ("expiring-sessions.toml", include_str!("../../scenarios/expiring-sessions.toml")),
            ("mfa-lockout.toml", include_str!("../../scenarios/mfa-lockout.toml")),
            ("slow-server.toml", include_str!("../../scenarios/slow-server.toml")),
            ("vb365-estate.toml", include_str!("../../scenarios/vb365-estate.toml")),
            ("azure-estate.toml", include_str!("../../scenarios/azure-estate.toml")),
        ] {
            if let Err(err) = Scenario::from_toml_str(text) {
                panic!("{name}: {err}");
            }
        }
    }

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let scenario = Scenario::default();
        let shown = format!("{scenario:?}");
        assert!(!shown.contains("PassWord1"), "{shown}");
        assert!(shown.contains("[redacted]"));
    }

    #[test]
    fn every_problem_is_reported_with_its_path_and_line() {
        let text = r#"
[clock]
mode = "sideways"
start = "yesterday"

[vb365]
access_token_lifetime = "3600"

[[vb365.users]]
username = "Administrator"
password = ""

[[vb365.users]]
username = "administrator"
password = "x"
"#;
        let found = problems(text);
        let summary: Vec<(String, Option<usize>)> = found.iter().map(|p| (p.path.clone(), p.line)).collect();
        assert_eq!(
            summary,
            vec![
                ("clock.mode".to_owned(), Some(3)),
                ("clock.start".to_owned(), Some(4)),
                ("vb365.access_token_lifetime".to_owned(), Some(7)),
                ("vb365.users[0].password".to_owned(), Some(11)),
                ("vb365.users[1].username".to_owned(), Some(14)),
            ],
            "{found:#?}"
        );
        assert!(found[4].message.contains("vb365.users[0].username"), "{}", found[4].message);
    }

    #[test]
    fn every_list_has_a_cap() {
        let many =
            |key: &str, value: &str, count: usize| format!("{key} = [{}]\n", vec![value; count].join(", "));
        let text = format!(
            "{}[azure]\n{}[[azure.users]]\nusername = \"u\"\n[azure.users.mfa]\n{}{}\n[[vb365.users]]\nusername = \"v\"\npassword = \"p\"\n{}",
            "",
            many("versions", "'v8'", 101),
            many("codes", "'1'", 1001),
            many("scratch_codes", "'12345678'", 1001),
            many("aliases", "'x'", 101),
        );
        let capped: Vec<String> = problems(&text)
            .into_iter()
            .filter(|p| p.message.contains("more than the"))
            .map(|p| p.path)
            .collect();
        assert_eq!(
            capped,
            [
                "azure.versions",
                "azure.users[0].mfa.codes",
                "azure.users[0].mfa.scratch_codes",
                "vb365.users[0].aliases"
            ]
        );
        let faults = "[[faults]]\nendpoint = \"vb365.health\"\nstatus = 500\n".repeat(1001);
        assert_eq!(problems(&faults)[0].path, "faults");
        let organizations: String =
            (0..10_001).map(|n| format!("[[vb365.organizations]]\nname = \"o{n}\"\n")).collect();
        assert_eq!(problems(&organizations)[0].path, "vb365.organizations");
        let calls =
            format!("[[faults]]\nendpoint = \"vb365.health\"\nstatus = 500\n{}", many("calls", "1", 1001));
        let found = problems(&calls);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].path, "faults[0].calls");
        assert_eq!(found[0].message, "list at most 1000 call numbers (`after` or `every` cover more)");
    }

    /// The sections are read apart; the error reported is the first one in the file (tables in
    /// the file's order, as one serde struct over every key would meet them now that TOML
    /// tables keep their order).
    #[test]
    fn the_first_error_is_the_first_in_the_file() {
        let first_error = |text: &str| Scenario::from_toml_str(text).expect_err("refused").to_string();
        assert!(
            first_error("[vb365]\nbad = 1\n[clock]\nmode = 3\n")
                .starts_with("<inline>: line 2: unknown field `bad`, expected one of `versions`, ")
        );
        assert_eq!(
            first_error("[vb365]\nversions = 1\n[azure]\nversions = 2\n"),
            "<inline>: line 2: invalid type: integer `1`, expected a sequence"
        );
        assert!(
            first_error("[journal]\nbad = 1\n[azure]\nbad = 2\n")
                .starts_with("<inline>: line 2: unknown field `bad`, expected ")
        );
        let every_key =
            "expected one of `seed`, `clock`, `vb365`, `vbr`, `azure`, `routes`, `api`, `journal`, `faults`";
        assert_eq!(
            first_error("\n\n[zzz]\n\na = 1\n"),
            format!("<inline>: line 3: unknown field `zzz`, {every_key}")
        );
        assert_eq!(
            first_error("zzz = 1\naaa = 2\n"),
            format!("<inline>: line 1: unknown field `zzz`, {every_key}")
        );
    }
}
