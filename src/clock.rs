//! The scenario clock: the single source of "now" for everything the mock does.
//!
//! Token `exp` claims, `.issued`/`.expires` fields, expiry checks and session timeouts all read
//! [`Clock::now`]. A test moves time with [`Clock::advance`] or [`Clock::set`] instead of
//! sleeping, and the next request sees the new time.
//!
//! # The time range
//!
//! The clock only ever shows instants from [`Clock::EARLIEST`] (1970-01-01T00:00:00Z, the Unix
//! epoch) to [`Clock::LATEST`] (9000-12-31T23:59:59Z), and a scenario's lifetimes are at most 100
//! years (36,500 days), so that every expiry the mock computes (`now + lifetime`, at most about
//! the year 9100) is representable and prints as a four-digit year:
//!
//! - [`Clock::try_advance`], [`Clock::try_shift`] and [`Clock::try_set`] refuse a move that would
//!   leave the range ([`ClockError::OutOfRange`]) and leave the clock as it was; the admin API's
//!   `POST /__mock/clock` answers such a move with 400;
//! - [`Clock::advance`], [`Clock::shift`] and [`Clock::set`] stop at the nearer end instead;
//! - a ticking or offset clock that runs past an end (or a host clock outside the range) reads
//!   as that end;
//! - scenario validation refuses a `[clock]` whose start or offset leaves the range, and any
//!   lifetime over 100 years.

mod range;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use time::OffsetDateTime;

pub(crate) use range::{MAX_LIFETIME, MAX_LIFETIME_TEXT, RANGE_TEXT, contains as in_range, later, shifted};

/// How a [`Clock`] moves on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClockMode {
    /// Time stands still until [`Clock::advance`] or [`Clock::set`] moves it.
    Frozen,
    /// Time starts at a chosen instant and then runs at real speed (monotonic).
    Ticking,
    /// Time is the host's wall clock plus a fixed offset (which `advance`/`set` change).
    Offset,
}

/// A clock move refused by [`Clock::try_advance`], [`Clock::try_shift`] or [`Clock::try_set`];
/// the clock is unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClockError {
    /// The move would take the clock outside [`Clock::EARLIEST`]..=[`Clock::LATEST`].
    OutOfRange,
}

impl fmt::Display for ClockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClockError::OutOfRange => {
                write!(
                    f,
                    "the clock would leave the mock's time range ({}); it is unchanged",
                    range::RANGE_TEXT
                )
            }
        }
    }
}

impl std::error::Error for ClockError {}

/// A shared, thread-safe clock. Cloning gives another handle to the same clock.
///
/// ```
/// use std::time::Duration;
/// use veeam_auth_mock::Clock;
/// use veeam_auth_mock::time::macros::datetime;
///
/// let clock = Clock::frozen(datetime!(2024-08-07 15:56:22 UTC));
/// clock.advance(Duration::from_secs(61 * 60));
/// assert_eq!(clock.now(), datetime!(2024-08-07 16:57:22 UTC));
///
/// // A move out of the mock's time range (1970 to 9000) is refused, or stops at its end.
/// assert!(clock.try_advance(Duration::from_secs(u64::MAX)).is_err());
/// assert_eq!(clock.now(), datetime!(2024-08-07 16:57:22 UTC));
/// clock.advance(Duration::from_secs(u64::MAX));
/// assert_eq!(clock.now(), Clock::LATEST);
/// ```
#[derive(Debug, Clone)]
pub struct Clock {
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Clone, Copy)]
enum State {
    Frozen { at: OffsetDateTime },
    Ticking { base: OffsetDateTime, anchor: Instant },
    Offset { offset: time::Duration },
}

impl State {
    /// The time this state shows, before clamping: saturating, so that it never panics.
    fn unclamped_now(&self) -> OffsetDateTime {
        match *self {
            State::Frozen { at } => at,
            State::Ticking { base, anchor } => range::later(base, anchor.elapsed()),
            State::Offset { offset } => shifted(OffsetDateTime::now_utc(), offset),
        }
    }

    fn now(&self) -> OffsetDateTime {
        range::clamp(self.unclamped_now())
    }

    /// The same mode put at `at` (if given), then moved by `by`; refused when `at` or the
    /// result is outside the time range. The check and the move use one reading of the time, so
    /// a running clock cannot slip out of the range between them.
    fn moved(self, at: Option<OffsetDateTime>, by: time::Duration) -> Result<State, ClockError> {
        self.moved_to(at, by).map(|(state, _)| state)
    }

    /// As [`State::moved`], with the instant the moved clock shows at the moment of the move.
    fn moved_to(
        self,
        at: Option<OffsetDateTime>,
        by: time::Duration,
    ) -> Result<(State, OffsetDateTime), ClockError> {
        let (start, from) = match at {
            Some(at) if !range::contains(at) => return Err(ClockError::OutOfRange),
            Some(at) => (self.placed_at(at), at),
            None => {
                let raw = self.unclamped_now();
                let shown = range::clamp(raw);
                // A clock that has run past an end moves from the end it shows.
                (if raw == shown { self } else { self.placed_at(shown) }, shown)
            }
        };
        let target = from.checked_add(by).ok_or(ClockError::OutOfRange)?;
        if !range::contains(target) {
            return Err(ClockError::OutOfRange);
        }
        let state = match start {
            State::Frozen { .. } => State::Frozen { at: target },
            State::Ticking { base, anchor } => State::Ticking { base: shifted(base, by), anchor },
            State::Offset { offset } => State::Offset { offset: offset.saturating_add(by) },
        };
        Ok((state, target))
    }

    /// The same mode showing `at` from now on (a ticking or offset clock runs on from there).
    fn placed_at(self, at: OffsetDateTime) -> State {
        match self {
            State::Frozen { .. } => State::Frozen { at },
            State::Ticking { .. } => State::Ticking { base: at, anchor: Instant::now() },
            // Both instants are in `time`'s range, so their difference fits a `time::Duration`.
            State::Offset { .. } => State::Offset { offset: at - OffsetDateTime::now_utc() },
        }
    }
}

impl Clock {
    /// The earliest instant the clock shows: 1970-01-01T00:00:00Z.
    pub const EARLIEST: OffsetDateTime = range::EARLIEST;

    /// The latest instant the clock shows: 9000-12-31T23:59:59Z.
    pub const LATEST: OffsetDateTime = range::LATEST;

    /// A clock that stands still at `at` until moved (brought into the time range if outside).
    pub fn frozen(at: OffsetDateTime) -> Clock {
        Clock::from_state(State::Frozen { at: range::clamp(at) })
    }

    /// A clock that starts at `from` (brought into the time range if outside) and runs at real
    /// speed.
    pub fn ticking(from: OffsetDateTime) -> Clock {
        Clock::from_state(State::Ticking { base: range::clamp(from), anchor: Instant::now() })
    }

    /// A clock that reads the host's wall clock shifted by `offset` (negative is the past); a
    /// reading outside the time range shows its nearer end.
    pub fn offset(offset: time::Duration) -> Clock {
        Clock::from_state(State::Offset { offset })
    }

    /// The host's real time (an offset clock with no offset).
    pub fn system() -> Clock {
        Clock::offset(time::Duration::ZERO)
    }

    fn from_state(state: State) -> Clock {
        Clock { state: Arc::new(Mutex::new(state)) }
    }

    /// The current scenario time, in UTC, always within [`Clock::EARLIEST`]..=[`Clock::LATEST`].
    pub fn now(&self) -> OffsetDateTime {
        self.state.lock().now()
    }

    /// How the clock moves on its own.
    pub fn mode(&self) -> ClockMode {
        match *self.state.lock() {
            State::Frozen { .. } => ClockMode::Frozen,
            State::Ticking { .. } => ClockMode::Ticking,
            State::Offset { .. } => ClockMode::Offset,
        }
    }

    /// Moves the clock forward by `by`, whatever its mode, stopping at [`Clock::LATEST`].
    pub fn advance(&self, by: Duration) {
        self.shift(range::signed(by));
    }

    /// Moves the clock forward by `by`, or refuses (and changes nothing) if that would pass
    /// [`Clock::LATEST`].
    pub fn try_advance(&self, by: Duration) -> Result<(), ClockError> {
        self.try_shift(range::signed(by))
    }

    /// Moves the clock by a signed amount (negative goes back in time), stopping at the end of
    /// the time range it would pass.
    pub fn shift(&self, by: time::Duration) {
        let mut state = self.state.lock();
        *state = match state.moved(None, by) {
            Ok(moved) => moved,
            Err(ClockError::OutOfRange) => state.placed_at(range::clamp(shifted(state.now(), by))),
        };
    }

    /// Moves the clock by a signed amount, or refuses (and changes nothing) if that would
    /// leave the time range.
    pub fn try_shift(&self, by: time::Duration) -> Result<(), ClockError> {
        self.try_set_and_shift(None, by)
    }

    /// Puts the clock at `at` (or the nearer end of the time range, if `at` is outside); a
    /// ticking or offset clock goes on running from there.
    pub fn set(&self, at: OffsetDateTime) {
        let mut state = self.state.lock();
        *state = state.placed_at(range::clamp(at));
    }

    /// Puts the clock at `at`, or refuses (and changes nothing) if `at` is outside the time
    /// range.
    pub fn try_set(&self, at: OffsetDateTime) -> Result<(), ClockError> {
        self.try_set_and_shift(Some(at), time::Duration::ZERO)
    }

    /// Puts the clock at `at` (if given) and then moves it by `by`, as one change: either both
    /// happen, or (when either step would leave the time range) neither.
    pub(crate) fn try_set_and_shift(
        &self,
        at: Option<OffsetDateTime>,
        by: time::Duration,
    ) -> Result<(), ClockError> {
        self.try_change(at, by, None)
    }

    /// Puts the clock at `at` (if given), moves it by `by`, then freezes it (`Some(true)`) or
    /// lets it tick (`Some(false)`), as one change under one lock: a clock set and frozen shows
    /// exactly the instant asked for (freezing afterwards would catch the few hundred
    /// nanoseconds a ticking clock runs in between), and a move out of the time range changes
    /// nothing, not even the mode. The admin API's `POST /__mock/clock`.
    pub(crate) fn try_change(
        &self,
        at: Option<OffsetDateTime>,
        by: time::Duration,
        freeze: Option<bool>,
    ) -> Result<(), ClockError> {
        let mut state = self.state.lock();
        let (moved, target) = state.moved_to(at, by)?;
        *state = match (freeze, moved) {
            (Some(true), _) => State::Frozen { at: target },
            (Some(false), State::Frozen { at }) => State::Ticking { base: at, anchor: Instant::now() },
            (_, moved) => moved,
        };
        Ok(())
    }

    /// Takes over `other`'s time and mode, keeping this handle's identity (so every holder of
    /// this clock sees the change): how a reset or a new scenario restarts time.
    pub(crate) fn adopt(&self, other: &Clock) {
        let fresh = *other.state.lock();
        *self.state.lock() = fresh;
    }

    /// Stops the clock at the current time.
    pub fn freeze(&self) {
        let mut state = self.state.lock();
        *state = State::Frozen { at: state.now() };
    }

    /// Lets a frozen clock run again (ticking) from the time it shows.
    pub fn unfreeze(&self) {
        let mut state = self.state.lock();
        if let State::Frozen { at } = *state {
            *state = State::Ticking { base: at, anchor: Instant::now() };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_frozen_clock_moves_only_when_told() {
        let clock = Clock::frozen(datetime!(2024-08-07 15:56:22 UTC));
        assert_eq!(clock.now(), datetime!(2024-08-07 15:56:22 UTC));
        clock.advance(Duration::from_secs(3600));
        assert_eq!(clock.now(), datetime!(2024-08-07 16:56:22 UTC));
        clock.set(datetime!(2030-01-01 00:00:00 UTC));
        assert_eq!(clock.now(), datetime!(2030-01-01 00:00:00 UTC));
        clock.shift(time::Duration::hours(-1));
        assert_eq!(clock.now(), datetime!(2029-12-31 23:00:00 UTC));
    }

    #[test]
    fn a_ticking_clock_starts_where_asked_and_keeps_advances() {
        let start = datetime!(2024-08-07 15:56:22 UTC);
        let clock = Clock::ticking(start);
        clock.advance(Duration::from_secs(7200));
        let now = clock.now();
        assert!(now >= start + time::Duration::hours(2));
        assert!(now < start + time::Duration::hours(2) + time::Duration::minutes(1));
        assert_eq!(clock.mode(), ClockMode::Ticking);
    }

    #[test]
    fn an_offset_clock_follows_the_wall_clock_shifted() {
        let clock = Clock::offset(time::Duration::days(-1));
        let expected = OffsetDateTime::now_utc() - time::Duration::days(1);
        assert!((clock.now() - expected).abs() < time::Duration::minutes(1));
        clock.set(datetime!(2024-01-01 00:00:00 UTC));
        assert!(clock.now() - datetime!(2024-01-01 00:00:00 UTC) < time::Duration::minutes(1));
    }

    #[test]
    fn freeze_and_unfreeze_keep_the_time_shown() {
        let clock = Clock::ticking(datetime!(2024-08-07 15:56:22 UTC));
        clock.freeze();
        let frozen_at = clock.now();
        assert_eq!(clock.mode(), ClockMode::Frozen);
        assert_eq!(clock.now(), frozen_at);
        clock.unfreeze();
        assert_eq!(clock.mode(), ClockMode::Ticking);
        assert!(clock.now() >= frozen_at);
    }

    #[test]
    fn moves_out_of_the_range_are_refused_and_change_nothing() {
        let start = datetime!(2024-08-07 15:56:22 UTC);
        for clock in [Clock::frozen(start), Clock::ticking(start), Clock::offset(time::Duration::ZERO)] {
            let before = clock.now();
            let ninety_nine_billion_days = Duration::from_secs(99_999_999_999 * 86_400);
            assert_eq!(clock.try_advance(ninety_nine_billion_days), Err(ClockError::OutOfRange));
            assert_eq!(clock.try_shift(time::Duration::days(-100_000_000)), Err(ClockError::OutOfRange));
            assert_eq!(clock.try_shift(time::Duration::MIN), Err(ClockError::OutOfRange));
            assert_eq!(clock.try_set(datetime!(9999-12-31 23:30:00 UTC)), Err(ClockError::OutOfRange));
            assert_eq!(clock.try_set(datetime!(1969-12-31 23:59:59 UTC)), Err(ClockError::OutOfRange));
            assert!(clock.now() - before < time::Duration::minutes(1), "{:?} unchanged", clock.mode());
            assert_eq!(clock.try_set(Clock::LATEST), Ok(()));
            assert_eq!(clock.try_set(Clock::EARLIEST), Ok(()));
            assert_eq!(clock.try_shift(-time::Duration::SECOND), Err(ClockError::OutOfRange));
        }
    }

    #[test]
    fn infallible_moves_stop_at_the_ends_of_the_range() {
        let clock = Clock::frozen(datetime!(2024-08-07 15:56:22 UTC));
        clock.advance(Duration::from_secs(99_999_999_999 * 86_400));
        assert_eq!(clock.now(), Clock::LATEST);
        clock.advance(Duration::MAX);
        assert_eq!(clock.now(), Clock::LATEST);
        clock.shift(time::Duration::MIN);
        assert_eq!(clock.now(), Clock::EARLIEST);
        clock.set(datetime!(9999-12-31 23:30:00 UTC));
        assert_eq!(clock.now(), Clock::LATEST);
        assert_eq!(Clock::frozen(datetime!(1900-01-01 00:00:00 UTC)).now(), Clock::EARLIEST);

        let offset = Clock::offset(time::Duration::days(-100_000_000));
        assert_eq!(offset.now(), Clock::EARLIEST, "an offset past the range reads as its end");
        offset.shift(time::Duration::MAX);
        assert_eq!(offset.now(), Clock::LATEST);
        let ticking = Clock::ticking(Clock::LATEST);
        assert_eq!(ticking.now(), Clock::LATEST, "a ticking clock stops at the end");
        ticking.advance(Duration::from_secs(3600));
        assert_eq!(ticking.now(), Clock::LATEST);
    }

    #[test]
    fn a_ticking_clock_set_and_frozen_in_one_change_shows_exactly_the_instant_set() {
        let clock = Clock::ticking(datetime!(2030-01-01 00:00:00 UTC));
        let at = datetime!(2024-08-07 15:56:22 UTC);
        clock.try_change(Some(at), time::Duration::hours(1), Some(true)).expect("in range");
        assert_eq!((clock.now(), clock.mode()), (datetime!(2024-08-07 16:56:22 UTC), ClockMode::Frozen));

        let refused = clock.try_change(Some(Clock::LATEST), time::Duration::SECOND, Some(false));
        assert_eq!(refused, Err(ClockError::OutOfRange));
        assert_eq!(clock.mode(), ClockMode::Frozen, "a refused change leaves the mode too");
        clock.try_change(None, time::Duration::ZERO, Some(false)).expect("in range");
        assert_eq!(clock.mode(), ClockMode::Ticking);
    }

    #[test]
    fn set_and_shift_happen_together_or_not_at_all() {
        let start = datetime!(2024-08-07 15:56:22 UTC);
        let clock = Clock::frozen(start);
        let result =
            clock.try_set_and_shift(Some(datetime!(8999-01-01 00:00:00 UTC)), time::Duration::days(1000));
        assert_eq!(result, Err(ClockError::OutOfRange));
        assert_eq!(clock.now(), start);
        clock
            .try_set_and_shift(Some(datetime!(2030-01-01 00:00:00 UTC)), time::Duration::hours(-1))
            .expect("in range");
        assert_eq!(clock.now(), datetime!(2029-12-31 23:00:00 UTC));
    }
}
