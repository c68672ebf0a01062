//! What can go wrong when loading a scenario, and how each problem is reported.

use std::fmt;
use std::path::PathBuf;

/// One thing wrong with a scenario: where (dotted path and line) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Dotted path of the offending key, such as `vb365.users[1].password` (empty for the file).
    pub path: String,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    /// What is wrong, and what was expected.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

/// A scenario could not be loaded.
#[derive(Debug)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The file could not be read.
    Read {
        /// The file asked for.
        path: PathBuf,
        /// Why reading failed.
        source: std::io::Error,
    },
    /// The file is not valid TOML, or its tables and keys are not the scenario's (an unknown
    /// key, a value of the wrong type). TOML parsing stops at the first such error.
    Syntax {
        /// The file name, or `<inline>` for a string.
        origin: String,
        /// The error, with its line and the keys that were expected.
        problem: Problem,
    },
    /// The file is well-formed but breaks the scenario's rules; every problem is listed, up to
    /// 1000 (then one last problem, with no path or line, says how many more were found).
    Invalid {
        /// The file name, or `<inline>` for a string.
        origin: String,
        /// The problems found, in file order (at most 1000, then a count of the rest).
        problems: Vec<Problem>,
    },
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::Read { path, .. } => write!(f, "cannot read scenario file {}", path.display()),
            ScenarioError::Syntax { origin, problem } => write!(f, "{origin}: {problem}"),
            ScenarioError::Invalid { origin, problems } => {
                write!(f, "{origin}: {} problem(s):{}", problems.len(), ListProblems(problems))
            }
        }
    }
}

impl std::error::Error for ScenarioError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ScenarioError::Read { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl ScenarioError {
    /// Every problem this error reports (none for a read error).
    pub fn problems(&self) -> &[Problem] {
        match self {
            ScenarioError::Read { .. } => &[],
            ScenarioError::Syntax { problem, .. } => std::slice::from_ref(problem),
            ScenarioError::Invalid { problems, .. } => problems,
        }
    }
}

struct ListProblems<'a>(&'a [Problem]);

impl fmt::Display for ListProblems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in self.0 {
            write!(f, "\n  {problem}")?;
        }
        Ok(())
    }
}
