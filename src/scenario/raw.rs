//! The serde mirror of a scenario file's common tables: every key they may hold, nothing more.
//! Each product's table has its own mirror, in the product's folder.
//!
//! These structs only describe the file's shape (`deny_unknown_fields` turns a typo into an
//! error naming the key, its line and the keys expected). Values that need checking are kept as
//! `Spanned` strings so that [`super::validate`] can report each bad value with its line.

use serde::Deserialize;
use toml::Spanned;

/// The common top-level keys, in declaration order (serde lists them so in its messages).
pub(crate) const COMMON_KEYS: [&str; 4] = ["seed", "clock", "journal", "faults"];

/// The file's common tables ([`COMMON_KEYS`]); the products' tables are read by their parsers.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScenario {
    pub(crate) seed: Option<Spanned<i64>>,
    pub(crate) clock: Option<RawClock>,
    pub(crate) journal: Option<RawJournal>,
    #[serde(default)]
    pub(crate) faults: Vec<Spanned<super::fault::FaultSpec>>,
}

impl RawScenario {
    /// Adds what `part` (read from a document holding one common key) holds.
    pub(crate) fn merge(&mut self, part: RawScenario) {
        self.seed = part.seed.or(self.seed.take());
        self.clock = part.clock.or(self.clock.take());
        self.journal = part.journal.or(self.journal.take());
        self.faults.extend(part.faults);
    }
}

/// `[journal]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawJournal {
    pub(crate) enabled: Option<bool>,
    pub(crate) capacity: Option<Spanned<i64>>,
}

/// `[clock]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawClock {
    pub(crate) mode: Option<Spanned<String>>,
    pub(crate) start: Option<Spanned<String>>,
    pub(crate) offset: Option<Spanned<String>>,
}
