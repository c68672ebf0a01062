//! Turns a scenario file into a [`Scenario`], reporting every problem found.
//!
//! The common tables (`seed`, `[clock]`, `[journal]`, `[[faults]]`) are read here; each
//! product's table is read and validated by its [`SectionParser`], given by the layer above.

use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use toml::Spanned;
use toml::de::{DeTable, Deserializer};

use super::checker::{Checker, Lines};
use super::duration::parse_signed_duration;
use super::fault::{Fault, FaultSpec};
use super::limits::{MAX_FAULTS, MAX_JOURNAL_CAPACITY, MAX_PROBLEMS};
use super::raw::{COMMON_KEYS, RawClock, RawJournal, RawScenario};
use super::section::{SectionParser, Sections, UncheckedSection};
use super::{ClockSettings, JournalSettings, Problem, Scenario, ScenarioError};
use crate::clock::{ClockMode, RANGE_TEXT, in_range};

/// Reads, parses and validates a scenario file, with `parsers` for the product sections.
pub(crate) fn parse_file(path: &Path, parsers: &[&dyn SectionParser]) -> Result<Scenario, ScenarioError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| ScenarioError::Read { path: path.to_path_buf(), source })?;
    parse_at(&text, &path.display().to_string(), path.parent(), parsers)
}

/// Parses TOML text and validates it; `origin` names the text in messages, and `parsers` read
/// the product sections (each owns one top-level key).
pub(crate) fn parse(
    text: &str,
    origin: &str,
    parsers: &[&dyn SectionParser],
) -> Result<Scenario, ScenarioError> {
    parse_at(text, origin, None, parsers)
}

/// [`parse`], for a file in the folder `base` (the files a scenario names are read from there).
fn parse_at(
    text: &str,
    origin: &str,
    base: Option<&Path>,
    parsers: &[&dyn SectionParser],
) -> Result<Scenario, ScenarioError> {
    let (raw, products) = read(text, parsers).map_err(|err| ScenarioError::Syntax {
        origin: origin.to_owned(),
        problem: Problem {
            path: String::new(),
            line: err.span.map(|span| Lines::of(text).line_of(span.start)),
            message: err.message.trim_end().to_owned(),
        },
    })?;
    let mut check =
        Checker { lines: Lines::of(text), problems: Vec::new(), base: base.map(Path::to_path_buf) };
    let scenario = check.scenario(raw, products);
    if check.problems.is_empty() {
        Ok(scenario)
    } else {
        check.problems.sort_by_key(|problem| problem.line);
        let unlisted = check.problems.len().saturating_sub(MAX_PROBLEMS);
        if unlisted > 0 {
            check.problems.truncate(MAX_PROBLEMS);
            let message = format!("and {unlisted} more problem(s), not listed");
            check.problems.push(Problem { path: String::new(), line: None, message });
        }
        Err(ScenarioError::Invalid { origin: origin.to_owned(), problems: check.problems })
    }
}

/// Each product's section as read from the file (`None`: the file leaves its key out), in
/// parser order.
type ReadSections<'p> = Vec<(&'p dyn SectionParser, Option<UncheckedSection>)>;

/// Why a file could not be read: a TOML or serde error, or an unknown top-level key.
struct SyntaxError {
    span: Option<Range<usize>>,
    message: String,
}

impl From<toml::de::Error> for SyntaxError {
    fn from(err: toml::de::Error) -> SyntaxError {
        SyntaxError { span: err.span(), message: err.message().to_owned() }
    }
}

/// Reads the file's tables in the order serde would (the parsed table's order), so that the
/// first error reported is the one a single `#[serde(deny_unknown_fields)]` struct over every
/// key would report: the common tables go to [`RawScenario`], each product's table to its
/// parser, and any other key is refused with serde's wording.
fn read<'p>(
    text: &str,
    parsers: &[&'p dyn SectionParser],
) -> Result<(RawScenario, ReadSections<'p>), SyntaxError> {
    let root = DeTable::parse(text)?;
    let root_span = root.span();
    let mut raw = RawScenario::default();
    let mut products: ReadSections<'p> = parsers.iter().map(|&parser| (parser, None)).collect();
    for (key, value) in root.into_inner() {
        let name = key.get_ref().to_string();
        let mut doc = DeTable::new();
        let key_span = key.span();
        doc.insert(key, value);
        let doc = Deserializer::from(Spanned::new(root_span.clone(), doc));
        if COMMON_KEYS.contains(&name.as_str()) {
            raw.merge(RawScenario::deserialize(doc)?);
        } else if let Some((parser, read)) = products.iter_mut().find(|(parser, _)| parser.key() == name) {
            *read = Some(parser.read(doc)?);
        } else {
            return Err(SyntaxError { span: Some(key_span), message: unknown_key(&name, parsers) });
        }
    }
    Ok((raw, products))
}

/// serde's message for an unknown field, listing the keys in the order a struct would declare
/// them: the seed and clock, the products in registry order, then the journal and faults (serde
/// says "one of" for three keys or more, and there are always the four common ones).
fn unknown_key(name: &str, parsers: &[&dyn SectionParser]) -> String {
    let (before, after) = COMMON_KEYS.split_at(2);
    let expected: Vec<String> = before
        .iter()
        .copied()
        .chain(parsers.iter().map(|parser| parser.key()))
        .chain(after.iter().copied())
        .map(|key| format!("`{key}`"))
        .collect();
    format!("unknown field `{name}`, expected one of {}", expected.join(", "))
}

impl Checker {
    /// Validates in file-independent order (common tables, then products in parser order), so
    /// that problems on one line keep a stable order once sorted by line.
    fn scenario(&mut self, raw: RawScenario, products: ReadSections<'_>) -> Scenario {
        let seed = self.value("seed", raw.seed, None, |seed| {
            u64::try_from(seed).map(Some).map_err(|_| "the seed must be zero or more".to_owned())
        });
        let clock = self.clock(raw.clock.unwrap_or_default());
        let mut sections = Sections::default();
        for (parser, read) in products {
            let section = match read {
                Some(unchecked) => unchecked(self),
                None => parser.default_section(),
            };
            sections.push(parser.key(), section);
        }
        let journal = self.journal(raw.journal.unwrap_or_default());
        let faults = self.faults(raw.faults);
        Scenario { seed, clock, journal, faults, sections }
    }

    fn journal(&mut self, raw: RawJournal) -> JournalSettings {
        let default = JournalSettings::default();
        let capacity = self.value("journal.capacity", raw.capacity, default.capacity, |capacity| {
            usize::try_from(capacity).ok().filter(|&c| (1..=MAX_JOURNAL_CAPACITY).contains(&c)).ok_or_else(
                || format!("the journal capacity must be between 1 and {MAX_JOURNAL_CAPACITY} entries"),
            )
        });
        JournalSettings { enabled: raw.enabled.unwrap_or(default.enabled), capacity }
    }

    fn faults(&mut self, raw: Vec<Spanned<FaultSpec>>) -> Vec<Fault> {
        let raw = self.capped("faults", raw, MAX_FAULTS, Spanned::span);
        let mut faults = Vec::with_capacity(raw.len());
        for (index, table) in raw.into_iter().enumerate() {
            let span = table.span();
            match Fault::from_spec(table.into_inner()) {
                Ok(fault) => faults.push(fault),
                Err(problems) => {
                    for (key, message) in problems {
                        let path = if key.is_empty() {
                            format!("faults[{index}]")
                        } else {
                            format!("faults[{index}].{key}")
                        };
                        self.report(path, span.clone(), message);
                    }
                }
            }
        }
        faults
    }

    fn clock(&mut self, raw: RawClock) -> ClockSettings {
        let mode = self.value("clock.mode", raw.mode, ClockMode::Ticking, |mode| match mode.as_str() {
            "frozen" => Ok(ClockMode::Frozen),
            "ticking" => Ok(ClockMode::Ticking),
            "offset" => Ok(ClockMode::Offset),
            other => {
                Err(format!("unknown clock mode `{other}`; expected \"frozen\", \"ticking\" or \"offset\""))
            }
        });
        let start_span = raw.start.as_ref().map(Spanned::span);
        let start = self.value("clock.start", raw.start, None, |start| {
            if start == "now" {
                return Ok(None);
            }
            OffsetDateTime::parse(&start, &Rfc3339).map(Some).map_err(|_| {
                format!("`{start}` is not a date; write \"now\" or RFC 3339 like \"2024-08-07T15:56:22Z\"")
            })
        });
        let offset_span = raw.offset.as_ref().map(Spanned::span);
        let offset = self
            .value("clock.offset", raw.offset, time::Duration::ZERO, |offset| parse_signed_duration(&offset));
        self.clock_in_range(start, offset, start_span, offset_span);
        ClockSettings { mode, start, offset }
    }

    /// Refuses a start, or a start moved by the offset, outside the mock's time range: the
    /// clock could never show it (see [`crate::clock`]). A start of "now" is judged by the host's
    /// clock as the file is read.
    fn clock_in_range(
        &mut self,
        start: Option<OffsetDateTime>,
        offset: time::Duration,
        start_span: Option<Range<usize>>,
        offset_span: Option<Range<usize>>,
    ) {
        if let (Some(at), Some(span)) = (start, start_span.clone())
            && !in_range(at)
        {
            let shown = at.format(&Rfc3339).unwrap_or_default();
            let message = format!("`{shown}` is outside the mock's time range, {RANGE_TEXT}");
            self.report("clock.start", span, message);
            return;
        }
        let from = start.unwrap_or_else(OffsetDateTime::now_utc);
        if !from.checked_add(offset).is_some_and(in_range) {
            let message = format!("this offset takes the clock outside the mock's time range, {RANGE_TEXT}");
            match offset_span {
                Some(span) => self.report("clock.offset", span, message),
                None => self.report("clock.start", start_span.unwrap_or(0..0), message),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_found_by_offset() {
        let lines = Lines::of("a\nbc\n\nd");
        let found: Vec<usize> = (0..8).map(|offset| lines.line_of(offset)).collect();
        assert_eq!(found, [1, 1, 2, 2, 2, 3, 4, 4]);
    }
}
