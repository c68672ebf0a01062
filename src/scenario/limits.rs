//! How long a scenario's lists may be, and how many problems a refusal lists.
//!
//! The caps sit far above any real test (a test world has a handful of users) and keep every
//! load cheap and bounded: validation is linear in the file's size, and a refused file answers
//! with at most [`MAX_PROBLEMS`] problems. A list over its cap is reported once, on the line of
//! the list's first entry (naming the line of the first entry past the cap), and the entries
//! past the cap are not checked.

/// `vb365.versions` and `azure.versions` (there are only 8 and 9 distinct versions).
pub(crate) const MAX_VERSIONS: usize = 100;
/// `[[vb365.users]]` and `[[azure.users]]`, each.
pub(crate) const MAX_USERS: usize = 10_000;
/// `aliases` of one VB365 user.
pub(crate) const MAX_ALIASES: usize = 100;
/// `[[vb365.organizations]]`.
pub(crate) const MAX_ORGANIZATIONS: usize = 10_000;
/// `[[azure.grants]]`.
pub(crate) const MAX_GRANTS: usize = 10_000;
/// `codes` and `scratch_codes` of one user's `[azure.users.mfa]`, each.
pub(crate) const MAX_MFA_CODES: usize = 1_000;
/// `[[faults]]`.
pub(crate) const MAX_FAULTS: usize = 1_000;
/// `calls` of one fault (a scenario's `[[faults]]` or the admin API's `POST /__mock/faults`).
pub(crate) const MAX_CALLS: usize = 1_000;
/// `journal.capacity` (and the journal's own cap, [`crate::control::Journal::MAX_CAPACITY`]).
pub(crate) const MAX_JOURNAL_CAPACITY: usize = 10_000;
/// The problems a refused scenario lists; any more are summed up in one last problem.
pub(crate) const MAX_PROBLEMS: usize = 1_000;
