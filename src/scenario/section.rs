//! Product sections of a scenario, held without naming their types.
//!
//! A scenario file has common tables (`seed`, `[clock]`, `[journal]`, `[[faults]]`) and one
//! top-level table per product. This layer knows nothing of products: the layer above hands
//! [`super::validate::parse`] a list of [`SectionParser`]s, each owning one top-level key, and
//! the validated sections are kept in [`Sections`] as type-erased values that the owning product
//! reads back by downcast ([`super::Scenario::section`]).

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use super::checker::Checker;

/// A validated product section: any immutable, thread-safe, debuggable value.
///
/// Implemented for every such type, so a product's settings struct is a section as it is.
pub(crate) trait SectionValue: Any + Send + Sync + fmt::Debug {}

impl<T: Any + Send + Sync + fmt::Debug> SectionValue for T {}

/// A validated section, shared: a [`super::Scenario`] is cloned cheaply and never changes.
pub(crate) type Section = Arc<dyn SectionValue>;

/// A section read from the file (its serde mirror) but not yet validated: validating it with the
/// shared [`Checker`] builds the section, recording a problem for every bad value.
pub(crate) type UncheckedSection = Box<dyn FnOnce(&mut Checker) -> Section>;

/// The document a [`SectionParser`] reads: the scenario file reduced to the parser's own
/// top-level key (spans still point into the whole file, so lines stay right).
pub(crate) type SectionDoc<'i> = toml::de::Deserializer<'i>;

/// How one product reads and validates its top-level table of a scenario file.
///
/// A parser deserializes its raw mirror from a [`SectionDoc`] (for example
/// `struct Doc { key: Option<RawSection> }`, without `deny_unknown_fields` at the top: the doc
/// holds only its key anyway), and returns the validation to run once the whole file has been
/// read. Unknown top-level keys are refused by [`super::validate::parse`], which knows every
/// parser's key.
pub(crate) trait SectionParser: Sync {
    /// The top-level key the section owns (the product's short name).
    fn key(&self) -> &'static str;

    /// Reads the section from a document holding only its key; a serde error (an unknown key
    /// inside the section, a value of the wrong type) is reported as the file's syntax error.
    fn read(&self, doc: SectionDoc<'_>) -> Result<UncheckedSection, toml::de::Error>;

    /// The section of a file that leaves the key out.
    fn default_section(&self) -> Section;
}

/// The validated product sections of a scenario, in the order of the parsers that built them.
#[derive(Clone, Default)]
pub(crate) struct Sections {
    entries: Vec<(&'static str, Section)>,
    /// The keys the file wrote (a section it left out has its defaults, but was not written).
    written: Vec<&'static str>,
}

impl Sections {
    /// Adds the section under `key` (the parser's top-level key); `written` when the file
    /// wrote the key (rather than leaving it to its defaults).
    pub(crate) fn push(&mut self, key: &'static str, section: Section, written: bool) {
        self.entries.push((key, section));
        if written {
            self.written.push(key);
        }
    }

    /// Whether the file wrote the section under `key`.
    pub(crate) fn written(&self, key: &str) -> bool {
        self.written.contains(&key)
    }

    /// The section of type `T`, if a parser built one.
    pub(crate) fn get<T: Any>(&self) -> Option<&T> {
        self.entries.iter().find_map(|(_, section)| (&**section as &dyn Any).downcast_ref::<T>())
    }

    /// Every section with its key, in parser order (for `Debug`).
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&'static str, &dyn SectionValue)> {
        self.entries.iter().map(|(key, section)| (*key, &**section))
    }
}

impl fmt::Debug for Sections {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (key, section) in self.iter() {
            map.entry(&key, &section);
        }
        map.finish()
    }
}
