//! The scenario clock: the single source of "now" for everything the mock does.
//!
//! Token `exp` claims, `.issued`/`.expires` fields, expiry checks and session timeouts all read
//! [`Clock::now`]. A test moves time with [`Clock::advance`] or [`Clock::set`] instead of
//! sleeping, and the next request sees the new time.

use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use time::OffsetDateTime;

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
    fn now(&self) -> OffsetDateTime {
        match *self {
            State::Frozen { at } => at,
            State::Ticking { base, anchor } => base + anchor.elapsed(),
            State::Offset { offset } => OffsetDateTime::now_utc() + offset,
        }
    }
}

impl Clock {
    /// A clock that stands still at `at` until moved.
    pub fn frozen(at: OffsetDateTime) -> Clock {
        Clock::from_state(State::Frozen { at })
    }

    /// A clock that starts at `from` and runs at real speed.
    pub fn ticking(from: OffsetDateTime) -> Clock {
        Clock::from_state(State::Ticking { base: from, anchor: Instant::now() })
    }

    /// A clock that reads the host's wall clock shifted by `offset` (negative is the past).
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

    /// The current scenario time, in UTC.
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

    /// Moves the clock forward by `by`, whatever its mode.
    pub fn advance(&self, by: Duration) {
        self.shift(time::Duration::try_from(by).unwrap_or(time::Duration::MAX));
    }

    /// Moves the clock by a signed amount (negative goes back in time).
    pub fn shift(&self, by: time::Duration) {
        let mut state = self.state.lock();
        *state = match *state {
            State::Frozen { at } => State::Frozen { at: at.saturating_add(by) },
            State::Ticking { base, anchor } => State::Ticking { base: base.saturating_add(by), anchor },
            State::Offset { offset } => State::Offset { offset: offset.saturating_add(by) },
        };
    }

    /// Puts the clock at `at`; a ticking or offset clock goes on running from there.
    pub fn set(&self, at: OffsetDateTime) {
        let mut state = self.state.lock();
        *state = match *state {
            State::Frozen { .. } => State::Frozen { at },
            State::Ticking { .. } => State::Ticking { base: at, anchor: Instant::now() },
            State::Offset { .. } => State::Offset { offset: at - OffsetDateTime::now_utc() },
        };
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
}
