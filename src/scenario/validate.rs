//! Turns a [`RawScenario`] into a [`Scenario`], reporting every problem found.

use std::ops::Range;
use std::time::Duration;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use toml::Spanned;

use super::duration::{parse_duration, parse_signed_duration};
use super::fault::{Fault, FaultSpec};
use super::limits::{MAX_FAULTS, MAX_JOURNAL_CAPACITY, MAX_PROBLEMS};
use super::raw::{RawClock, RawJournal, RawScenario};
use super::{ClockSettings, JournalSettings, Problem, Scenario, ScenarioError};
use crate::clock::{ClockMode, MAX_LIFETIME, MAX_LIFETIME_TEXT, RANGE_TEXT, in_range};

/// Parses TOML text and validates it; `origin` names the text in messages.
pub(crate) fn parse(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
    let raw: RawScenario = toml::from_str(text).map_err(|err| ScenarioError::Syntax {
        origin: origin.to_owned(),
        problem: Problem {
            path: String::new(),
            line: err.span().map(|span| Lines::of(text).line_of(span.start)),
            message: err.message().trim_end().to_owned(),
        },
    })?;
    let mut check = Checker { lines: Lines::of(text), problems: Vec::new() };
    let scenario = check.scenario(raw);
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

/// Where each line of a text starts, so that a byte offset's line is a binary search rather
/// than a scan from the top (which made a file with many problems quadratic to report).
struct Lines {
    /// Byte offsets of the first byte of every line after the first.
    starts: Vec<usize>,
}

impl Lines {
    fn of(text: &str) -> Lines {
        Lines { starts: text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1).collect() }
    }

    /// The 1-based line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset) + 1
    }
}

/// Walks the raw file, builds the validated value with defaults in place of bad values, and
/// records a [`Problem`] for each bad one.
pub(super) struct Checker {
    lines: Lines,
    problems: Vec<Problem>,
}

impl Checker {
    pub(super) fn report(&mut self, path: impl Into<String>, span: Range<usize>, message: impl Into<String>) {
        let line = Some(self.lines.line_of(span.start));
        self.problems.push(Problem { path: path.into(), line, message: message.into() });
    }

    /// `list` cut to its first `most` entries, reporting a longer one once, on the line of its
    /// first entry (so that the problem is listed even when many others follow; `span` finds an
    /// entry's place in the file).
    pub(super) fn capped<T>(
        &mut self,
        path: &str,
        mut list: Vec<T>,
        most: usize,
        span: impl Fn(&T) -> Range<usize>,
    ) -> Vec<T> {
        if let (Some(first), Some(first_over)) = (list.first(), list.get(most)) {
            let over_line = self.lines.line_of(span(first_over).start);
            let message = format!(
                "{} entries, more than the {most} allowed; entries past the {most}th (from line {over_line}) are not checked",
                list.len()
            );
            self.report(path, span(first), message);
            list.truncate(most);
        }
        list
    }

    /// Applies `parse` to an optional value, reporting a failure and falling back to `default`.
    pub(super) fn value<T, R>(
        &mut self,
        path: &str,
        raw: Option<Spanned<R>>,
        default: T,
        parse: impl FnOnce(R) -> Result<T, String>,
    ) -> T {
        let Some(raw) = raw else { return default };
        let span = raw.span();
        match parse(raw.into_inner()) {
            Ok(value) => value,
            Err(message) => {
                self.report(path, span, message);
                default
            }
        }
    }

    fn scenario(&mut self, raw: RawScenario) -> Scenario {
        let seed = self.value("seed", raw.seed, None, |seed| {
            u64::try_from(seed).map(Some).map_err(|_| "the seed must be zero or more".to_owned())
        });
        let clock = self.clock(raw.clock.unwrap_or_default());
        let vb365 = self.vb365(raw.vb365.unwrap_or_default());
        let azure = self.azure(raw.azure.unwrap_or_default());
        let journal = self.journal(raw.journal.unwrap_or_default());
        let faults = self.faults(raw.faults);
        Scenario { seed, clock, vb365, azure, journal, faults }
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

    pub(super) fn lifetime(
        &mut self,
        path: &str,
        raw: Option<Spanned<String>>,
        default: Duration,
    ) -> Duration {
        self.value(path, raw, default, |text| {
            let lifetime = parse_duration(&text)?;
            if lifetime < time::Duration::SECOND {
                return Err("a token lifetime must be at least one second".into());
            }
            let lifetime =
                Duration::try_from(lifetime).map_err(|_| "a token lifetime cannot be negative".to_owned())?;
            // Bounded so that `now + lifetime` stays representable however far the clock is
            // moved (see `crate::clock`).
            if lifetime > MAX_LIFETIME {
                return Err(format!(
                    "`{}` is too long; a lifetime is at most {MAX_LIFETIME_TEXT}",
                    text.trim()
                ));
            }
            Ok(lifetime)
        })
    }
}

pub(super) fn non_empty(text: String) -> Result<String, String> {
    if text.trim().is_empty() { Err("cannot be empty".into()) } else { Ok(text) }
}

/// A cookie or header name: an RFC 9110 token.
pub(super) fn http_token(name: String) -> Result<String, String> {
    let valid = !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if valid { Ok(name) } else { Err(format!("`{name}` is not a valid cookie or header name")) }
}

pub(super) fn status_in(status: i64, allowed: &[u16]) -> Result<u16, String> {
    allowed.iter().copied().find(|&s| i64::from(s) == status).ok_or_else(|| {
        let list: Vec<String> = allowed.iter().map(u16::to_string).collect();
        format!("status {status} is not allowed here; expected one of {}", list.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<Problem> {
        match parse(text, "test.toml") {
            Ok(_) => Vec::new(),
            Err(err) => err.problems().to_vec(),
        }
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
    fn an_unknown_key_names_the_key_the_line_and_what_was_expected() {
        let found = problems("[vb365]\nissuer = \"x\"\nlifetime = \"1h\"\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, Some(3));
        assert!(found[0].message.contains("unknown field `lifetime`"), "{}", found[0].message);
        assert!(found[0].message.contains("access_token_lifetime"), "{}", found[0].message);
    }

    #[test]
    fn a_refresh_lifetime_shorter_than_the_access_lifetime_is_refused() {
        let found = problems("[vb365]\naccess_token_lifetime = \"2h\"\nrefresh_token_lifetime = \"1h\"\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].path, "vb365.refresh_token_lifetime");
        assert_eq!(found[0].line, Some(3));
    }

    #[test]
    fn the_refresh_lifetime_defaults_to_one_hour_past_the_access_lifetime() {
        let scenario = parse("[vb365]\naccess_token_lifetime = \"90m\"\n", "t").expect("valid");
        assert_eq!(scenario.vb365.refresh_token_lifetime, Duration::from_secs(150 * 60));
    }

    #[test]
    fn bad_statuses_and_header_names_are_refused() {
        let found = problems(
            "[vb365]\ntoken_error_status = 500\n[vb365.antiforgery]\nheader = \"X Bad\"\nv8 = \"loose\"\n",
        );
        let paths: Vec<&str> = found.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["vb365.token_error_status", "vb365.antiforgery.header", "vb365.antiforgery.v8"]);
    }

    #[test]
    fn lines_are_found_by_offset() {
        let lines = Lines::of("a\nbc\n\nd");
        let found: Vec<usize> = (0..8).map(|offset| lines.line_of(offset)).collect();
        assert_eq!(found, [1, 1, 2, 2, 2, 3, 4, 4]);
    }

    #[test]
    fn a_version_listed_170000_times_is_refused_with_the_cap_and_few_problems() {
        let text = format!("[vb365]\nversions = [\n{}]\n", "'v8',\n".repeat(170_000));
        let found = problems(&text);
        assert_eq!(found.len(), 100, "one for the cap, one per duplicate among the first 100");
        assert_eq!(
            found[0],
            Problem {
                path: "vb365.versions".into(),
                line: Some(3),
                message:
                    "170000 entries, more than the 100 allowed; entries past the 100th (from line 103) are not checked"
                        .into(),
            }
        );
        assert_eq!(found[1].message, "`v8` is listed twice");
    }

    #[test]
    fn twenty_thousand_users_with_one_name_report_the_duplicate_and_the_cap() {
        let user = "[[vb365.users]]\nusername = \"a\"\npassword = \"b\"\n";
        let found = problems(&user.repeat(20_000));
        assert_eq!(found.len(), MAX_PROBLEMS + 1, "the listing is capped too");
        assert_eq!(found[0].path, "vb365.users");
        assert_eq!(found[0].line, Some(2));
        assert_eq!(
            found[0].message,
            "20000 entries, more than the 10000 allowed; entries past the 10000th (from line 30002) are not checked"
        );
        assert_eq!(found[1].path, "vb365.users[1].username");
        assert_eq!(found[1].line, Some(5));
        assert_eq!(
            found[1].message,
            "`a` is already used by vb365.users[0].username (names are case-insensitive)"
        );
        let last = &found[MAX_PROBLEMS];
        assert_eq!((last.path.as_str(), last.line), ("", None));
        assert_eq!(last.message, "and 9000 more problem(s), not listed");
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
}
