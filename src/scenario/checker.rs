//! The [`Checker`]: what every part of a scenario (the common tables and each product's
//! section) validates itself with, so that every problem of a file is reported together, each
//! with its dotted path and line; and the small value checks the parts share.

use std::ops::Range;
use std::time::Duration;

use toml::Spanned;

use super::Problem;
use super::duration::parse_duration;
use crate::clock::{MAX_LIFETIME, MAX_LIFETIME_TEXT};

/// Where each line of a text starts, so that a byte offset's line is a binary search rather
/// than a scan from the top (which made a file with many problems quadratic to report).
pub(super) struct Lines {
    /// Byte offsets of the first byte of every line after the first.
    starts: Vec<usize>,
}

impl Lines {
    pub(super) fn of(text: &str) -> Lines {
        Lines { starts: text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1).collect() }
    }

    /// The 1-based line holding byte `offset`.
    pub(super) fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset) + 1
    }
}

/// Walks the raw file, builds the validated value with defaults in place of bad values, and
/// records a [`Problem`] for each bad one. Product sections validate themselves with it (see
/// [`super::SectionParser`]), so that every problem of a file is listed together.
pub(crate) struct Checker {
    pub(super) lines: Lines,
    pub(super) problems: Vec<Problem>,
    /// The folder of the scenario file, which the files it names are relative to (`None` for
    /// text that comes from no file: they are relative to the working directory).
    pub(super) base: Option<std::path::PathBuf>,
}

impl Checker {
    /// A checker for values that come from no file (a section's defaults): whatever it
    /// reports is dropped.
    pub(crate) fn detached() -> Checker {
        Checker { lines: Lines::of(""), problems: Vec::new(), base: None }
    }

    /// A file a scenario names, relative to the scenario's folder.
    pub(crate) fn file_path(&self, name: &str) -> std::path::PathBuf {
        match &self.base {
            Some(base) => base.join(name),
            None => std::path::PathBuf::from(name),
        }
    }

    /// Records a problem at `path`, on the line of `span`.
    pub(crate) fn report(&mut self, path: impl Into<String>, span: Range<usize>, message: impl Into<String>) {
        let line = Some(self.lines.line_of(span.start));
        self.problems.push(Problem { path: path.into(), line, message: message.into() });
    }

    /// `list` cut to its first `most` entries, reporting a longer one once, on the line of its
    /// first entry (so that the problem is listed even when many others follow; `span` finds an
    /// entry's place in the file).
    pub(crate) fn capped<T>(
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
    pub(crate) fn value<T, R>(
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

    /// A token lifetime: a duration of at least one second and at most [`MAX_LIFETIME`].
    pub(crate) fn lifetime(
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

/// Refuses an empty or blank text.
pub(crate) fn non_empty(text: String) -> Result<String, String> {
    if text.trim().is_empty() { Err("cannot be empty".into()) } else { Ok(text) }
}

/// A cookie or header name: an RFC 9110 token.
pub(crate) fn http_token(name: String) -> Result<String, String> {
    let valid = !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if valid { Ok(name) } else { Err(format!("`{name}` is not a valid cookie or header name")) }
}

/// `status` if it is one of `allowed`.
pub(crate) fn status_in(status: i64, allowed: &[u16]) -> Result<u16, String> {
    allowed.iter().copied().find(|&s| i64::from(s) == status).ok_or_else(|| {
        let list: Vec<String> = allowed.iter().map(u16::to_string).collect();
        format!("status {status} is not allowed here; expected one of {}", list.join(", "))
    })
}
