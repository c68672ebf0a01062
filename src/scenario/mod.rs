//! Scenarios: the world the mock plays, written in TOML and validated once.
//!
//! A file goes through two layers. [`raw`] is a serde mirror of the file that refuses unknown
//! keys; [`validate`] turns it into a [`Scenario`], checking every value and collecting every
//! problem (with its dotted path and line) rather than stopping at the first. The validated
//! types below are what the rest of the program reads; they cannot hold an invalid value.
//!
//! This module is the shared machinery and the common tables (seed, clock, journal, faults).
//! Each product's table (its raw mirror, validated settings and validation) lives in the
//! product's folder and is plugged in as a [`SectionParser`] by the layer above; the
//! [`Scenario`] keeps the validated sections type-erased ([`Scenario::section`]).
//!
//! `scenarios/vb365.toml` in the repository documents every key with a comment. Validation is
//! linear in the file's size; [`limits`] caps the length of every list.

mod checker;
mod duration;
mod endpoint;
mod error;
mod fault;
mod fault_text;
pub(crate) mod limits;
mod raw;
mod section;
mod validate;

use std::any::Any;
use std::fmt;
use time::OffsetDateTime;

use crate::clock::{Clock, ClockMode, shifted};

pub(crate) use checker::{Checker, http_token, non_empty, status_in};
pub(crate) use duration::parse_signed_duration;
pub use endpoint::{Endpoint, UnknownEndpoint};
pub(crate) use endpoint::{ROUTE_PREFIX, route_name_problem};
pub use error::{Problem, ScenarioError};
pub(crate) use fault::is_bodiless;
pub use fault::{CallSelector, Fault, FaultAction, FaultSpec};
pub(crate) use section::{Section, SectionDoc, SectionParser, UncheckedSection};
pub(crate) use validate::{parse, parse_file};

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
///
/// Its constructors (`from_toml_str`, `from_path`, `Default`) are implemented by the product
/// layer, which knows the product sections to read.
#[derive(Clone)]
pub struct Scenario {
    pub(crate) seed: Option<u64>,
    pub(crate) clock: ClockSettings,
    pub(crate) journal: JournalSettings,
    pub(crate) faults: Vec<Fault>,
    /// The product sections, type-erased; each product reads its own by type.
    pub(crate) sections: section::Sections,
}

impl Scenario {
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

    /// The product section of type `T`, if the parsers that built this scenario made one.
    pub(crate) fn section<T: Any>(&self) -> Option<&T> {
        self.sections.get::<T>()
    }

    /// Whether the scenario file wrote the product section `key` (a product whose section is
    /// left out still plays, with its defaults). Two products sharing a path prefix read this
    /// to tell which of them a file is about (a file with `[vbr]` and no `[azure]` gives VBR
    /// the `/api/` requests without its header).
    pub(crate) fn writes(&self, key: &str) -> bool {
        self.sections.written(key)
    }
}

impl fmt::Debug for Scenario {
    /// As a derived `Debug` would show one field per section (named by its key), so that the
    /// output reads as before the sections were type-erased.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Scenario");
        out.field("seed", &self.seed).field("clock", &self.clock);
        for (key, section) in self.sections.iter() {
            out.field(key, &section);
        }
        out.field("journal", &self.journal).field("faults", &self.faults).finish()
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
    fn a_file_with_no_product_section_is_read_by_no_parser() {
        let scenario = parse("seed = 7\n[journal]\nenabled = false\n", "t", &[]).expect("valid");
        assert_eq!(scenario.seed(), Some(7));
        assert!(!scenario.journal.enabled);
        assert!(scenario.section::<String>().is_none());
        assert_eq!(
            parse("product = 1\n", "t", &[]).expect_err("no parser owns it").to_string(),
            "t: line 1: unknown field `product`, expected one of `seed`, `clock`, `journal`, `faults`"
        );
    }
}
