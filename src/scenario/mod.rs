//! Scenarios: the world the mock plays, written in TOML and validated once.
//!
//! A file goes through two layers. [`raw`] is a serde mirror of the file that refuses unknown
//! keys; [`validate`] turns it into a [`Scenario`], checking every value and collecting every
//! problem (with its dotted path and line) rather than stopping at the first. The validated
//! types below are what the rest of the program reads; they cannot hold an invalid value.
//!
//! `scenarios/vb365.toml` in the repository documents every key with a comment. Validation is
//! linear in the file's size; [`limits`] caps the length of every list.

mod azure;
mod base32;
mod duration;
mod endpoint;
mod error;
mod fault;
mod fault_text;
pub(crate) mod limits;
mod raw;
mod raw_azure;
mod validate;
mod validate_azure;
mod validate_vb365;
mod vb365;

use std::fmt;
use std::path::Path;
use time::OffsetDateTime;

use crate::clock::{Clock, ClockMode, shifted};

pub(crate) use azure::{AzureRole, AzureSettings, AzureUser, AzureUserType, MfaSettings, ScriptedGrantType};
pub(crate) use duration::parse_signed_duration;
pub use endpoint::{Endpoint, UnknownEndpoint};
pub use error::{Problem, ScenarioError};
pub(crate) use fault::is_bodiless;
pub use fault::{CallSelector, Fault, FaultAction, FaultSpec};
pub(crate) use vb365::{ALL_VERSIONS, AntiforgeryMode, AntiforgerySettings, Role, Vb365Settings, Vb365User};

/// The embedded default scenario, used when no file is given.
pub const DEFAULT_SCENARIO_TOML: &str = include_str!("../../scenarios/default.toml");

/// A validated scenario: users, lifetimes, the clock and product settings.
///
/// ```
/// use veeam_auth_mock::Scenario;
///
/// let scenario = Scenario::from_toml_str(r#"
///     [clock]
///     mode = "frozen"
///     start = "2024-08-07T15:56:22Z"
///
///     [[vb365.users]]
///     username = "Administrator"
///     password = "PassWord1"
/// "#).expect("a valid scenario");
/// # let _ = scenario;
/// ```
#[derive(Debug, Clone)]
pub struct Scenario {
    pub(crate) seed: Option<u64>,
    pub(crate) clock: ClockSettings,
    pub(crate) vb365: Vb365Settings,
    pub(crate) azure: AzureSettings,
    pub(crate) journal: JournalSettings,
    pub(crate) faults: Vec<Fault>,
}

impl Scenario {
    /// Parses and validates a scenario from TOML text.
    pub fn from_toml_str(text: &str) -> Result<Scenario, ScenarioError> {
        validate::parse(text, "<inline>")
    }

    /// Reads, parses and validates a scenario file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Scenario, ScenarioError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|source| ScenarioError::Read { path: path.to_path_buf(), source })?;
        validate::parse(&text, &path.display().to_string())
    }

    /// The random seed, if the scenario makes token ids reproducible.
    pub fn seed(&self) -> Option<u64> {
        self.seed
    }

    /// The faults the scenario declares (`[[faults]]`), in file order.
    pub fn faults(&self) -> &[Fault] {
        &self.faults
    }

    /// A fresh clock as the scenario describes it (each call starts a new one).
    pub fn new_clock(&self) -> Clock {
        self.clock.build()
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

/// `[journal]`: whether requests are recorded, and how many are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct JournalSettings {
    pub(crate) enabled: bool,
    /// The newest entries kept; older ones are evicted.
    pub(crate) capacity: usize,
}

impl Default for JournalSettings {
    fn default() -> JournalSettings {
        JournalSettings { enabled: true, capacity: 1000 }
    }
}

/// `[clock]`: where time starts and how it moves.
#[derive(Debug, Clone)]
pub(crate) struct ClockSettings {
    pub(crate) mode: ClockMode,
    /// `None` means "now" at the moment the clock is built.
    pub(crate) start: Option<OffsetDateTime>,
    pub(crate) offset: time::Duration,
}

impl ClockSettings {
    fn build(&self) -> Clock {
        // Validation keeps these sums inside the mock's time range; saturating all the same,
        // so that building a clock never panics.
        let start = || shifted(self.start.unwrap_or_else(OffsetDateTime::now_utc), self.offset);
        match self.mode {
            ClockMode::Frozen => Clock::frozen(start()),
            ClockMode::Ticking => Clock::ticking(start()),
            _ => match self.start {
                // Two representable instants: their difference always fits a `time::Duration`.
                Some(at) => Clock::offset(shifted(at, self.offset) - OffsetDateTime::now_utc()),
                None => Clock::offset(self.offset),
            },
        }
    }
}

/// A secret string whose `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: String) -> Secret {
        Secret(value)
    }

    /// The secret itself, for the few places meant to show it (the admin users listing).
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// Compares with what a client sent.
    pub(crate) fn matches(&self, offered: &str) -> bool {
        self.0 == offered
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"[redacted]\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_default_has_the_seed_administrator() {
        let scenario = Scenario::default();
        let admin = scenario.vb365.find_user("Administrator").expect("Administrator exists");
        assert!(admin.password.as_ref().is_some_and(|p| p.matches("PassWord1")));
        assert!(scenario.vb365.find_user(r"TECH\administrator").is_some());
        assert!(scenario.vb365.find_user(r"tech\ADMINISTRATOR").is_some());
        assert!(scenario.vb365.find_user("nobody").is_none());
        assert_eq!(scenario.vb365.access_token_lifetime, std::time::Duration::from_secs(3600));
        assert_eq!(scenario.vb365.refresh_token_lifetime, std::time::Duration::from_secs(7200));
        assert_eq!(scenario.vb365.versions, [1, 2, 3, 4, 5, 6, 7, 8]);
    }

    #[test]
    fn the_sample_scenarios_are_valid() {
        for (name, text) in [
            ("default.toml", DEFAULT_SCENARIO_TOML),
            ("vb365.toml", include_str!("../../scenarios/vb365.toml")),
            ("azure.toml", include_str!("../../scenarios/azure.toml")),
            ("flaky-token.toml", include_str!("../../scenarios/flaky-token.toml")),
            ("expiring-sessions.toml", include_str!("../../scenarios/expiring-sessions.toml")),
            ("mfa-lockout.toml", include_str!("../../scenarios/mfa-lockout.toml")),
            ("slow-server.toml", include_str!("../../scenarios/slow-server.toml")),
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
}
