//! How long a scenario's lists may be, and how many problems a refusal lists.
//!
//! The caps sit far above any real test (a test world has a handful of users) and keep every
//! load cheap and bounded: validation is linear in the file's size, and a refused file answers
//! with at most [`MAX_PROBLEMS`] problems. A list over its cap is reported once, on the line of
//! the list's first entry (naming the line of the first entry past the cap), and the entries
//! past the cap are not checked. Caps of lists only one product has live with its section.

/// A product's `versions` list (a product has at most a dozen distinct versions).
pub(crate) const MAX_VERSIONS: usize = 100;
/// A product's `[[<product>.users]]`.
pub(crate) const MAX_USERS: usize = 10_000;
/// `[[faults]]`.
pub(crate) const MAX_FAULTS: usize = 1_000;
/// `calls` of one fault (a scenario's `[[faults]]` or the admin API's `POST /__mock/faults`).
pub(crate) const MAX_CALLS: usize = 1_000;
/// `journal.capacity` (and the journal's own cap, [`crate::control::Journal::MAX_CAPACITY`]).
pub(crate) const MAX_JOURNAL_CAPACITY: usize = 10_000;
/// The problems a refused scenario lists; any more are summed up in one last problem.
pub(crate) const MAX_PROBLEMS: usize = 1_000;
