//! The deadline on every request's head after the first, which actix does not keep.
//!
//! actix-http (3.20) gives a connection's *first* request [`crate::server`]'s head deadline
//! (`client_request_timeout`), and closes a keep-alive connection that stays silent. But once
//! a client sends the first byte of a later request, both timers are off until that request's
//! head is complete: a client that sends one full request and then
//! `GET /v8/ServiceInstance HTTP/1.1\r\nHo` holds the connection (and its descriptors) for
//! ever. No actix setting changes that, so each connection has a watchdog:
//!
//! - [`super::connection::track_requests`] (the outermost middleware) counts the requests being handled on the
//!   connection and notes when the last one was answered ([`Activity`]); two `Cell` updates
//!   per request, no lock, no task;
//! - [`watch`], one task per connection started by the `on_connect` hook
//!   ([`super::connection`]), closes the connection when no request is being handled and none
//!   has started within the deadline ([`NEXT_HEAD_DEADLINE`], 10 s: keep-alive plus the head
//!   deadline) after the last answer (or after the connection opened).
//!
//! A request being handled is never cut, however long it takes (a fault's `delay`, a body
//! arriving within its own deadline). The close is a plain TCP close with no answer (over
//! HTTPS too: the watchdog acts on the socket under the TLS session); actix's own head timer
//! still answers a slow *first* head with 408. The clock starts when an answer is ready, not
//! when the client has read it, so a client that leaves an answer unread for the deadline loses
//! the connection too (actix has no timer for that either); the mock's answers are small enough
//! that any client reading them takes far less.

use std::cell::Cell;
use std::rc::{Rc, Weak};
use std::time::Duration;

use actix_web::rt::time::{Instant, sleep_until};

/// How long a new connection may take to send its first request's head (actix's
/// `client_request_timeout`; its default, set on purpose where the server is built). Here, with
/// the deadline it makes up, so that the server depends on the HTTP layer and not back.
pub(crate) const HEAD_DEADLINE: Duration = Duration::from_secs(5);
/// How long an idle keep-alive connection stays open.
pub(crate) const KEEP_ALIVE: Duration = Duration::from_secs(5);

/// How long after its last answer a connection has to deliver the next request's whole head:
/// keep-alive (5 s, as long as an idle client may wait before its first byte) plus the head
/// deadline (5 s, as long as a first request's head may take), 10 s.
pub(crate) const NEXT_HEAD_DEADLINE: Duration = KEEP_ALIVE.saturating_add(HEAD_DEADLINE);

/// The next-head deadline in force (tests shorten it; see
/// [`crate::MockServerBuilder::next_head_deadline`]). Without it, [`NEXT_HEAD_DEADLINE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NextHeadDeadline(pub(crate) Duration);

impl NextHeadDeadline {
    /// At most a day, so that adding it to an instant cannot overflow.
    pub(crate) fn new(deadline: Duration) -> NextHeadDeadline {
        NextHeadDeadline(deadline.min(Duration::from_secs(24 * 60 * 60)))
    }
}

impl Default for NextHeadDeadline {
    fn default() -> NextHeadDeadline {
        NextHeadDeadline(NEXT_HEAD_DEADLINE)
    }
}

/// What a connection is doing: how many requests are being handled, and when the last one was
/// answered. Only the connection's worker thread touches it, hence `Cell`s.
#[derive(Debug)]
pub(crate) struct Activity {
    in_flight: Cell<u32>,
    last_answer: Cell<Instant>,
}

impl Activity {
    /// A connection that has just opened: its opening counts as the last answer, so a client
    /// that connects and never completes a head is cut too (actix's own head timer, shorter,
    /// usually does it first).
    pub(crate) fn new() -> Activity {
        Activity { in_flight: Cell::new(0), last_answer: Cell::new(Instant::now()) }
    }

    /// When the connection has to be checked again, or `None` when it is overdue: idle, and
    /// no request started within `deadline` of the last answer.
    fn next_check(&self, now: Instant, deadline: Duration) -> Option<Instant> {
        if self.in_flight.get() > 0 {
            // Its answer will reset the clock; until then look again a deadline later.
            return Some(now + deadline);
        }
        let due = self.last_answer.get() + deadline;
        (due > now).then_some(due)
    }
}

/// What the watchdog watches: a connection's activity, and how to close it. Implemented by
/// [`super::connection`]'s connection, so that this module does not depend on it.
pub(crate) trait Watched {
    /// What the connection is doing.
    fn activity(&self) -> &Activity;
    /// Closes both directions now.
    fn close(&self);
}

/// A request being handled on a connection; dropping it (answer ready, or actix dropped the
/// request because the client went) counts the request as answered, now.
pub(crate) struct InFlight(Rc<dyn Watched>);

impl InFlight {
    /// Counts a request on `connection` until the guard drops.
    pub(crate) fn start(connection: Rc<dyn Watched>) -> InFlight {
        let activity = connection.activity();
        activity.in_flight.set(activity.in_flight.get().saturating_add(1));
        InFlight(connection)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let activity = self.0.activity();
        activity.in_flight.set(activity.in_flight.get().saturating_sub(1));
        activity.last_answer.set(Instant::now());
    }
}

/// The connection's watchdog: sleeps until the next request's head is due, and closes the
/// connection if by then no request is being handled and none was answered since. Ends when it
/// closes the connection or the connection is gone (it is also aborted then; see
/// [`super::connection`]).
pub(crate) async fn watch(connection: Weak<impl Watched>, deadline: NextHeadDeadline) {
    let deadline = deadline.0;
    let mut check_at = Instant::now() + deadline;
    loop {
        sleep_until(check_at).await;
        let Some(connection) = connection.upgrade() else { return };
        match connection.activity().next_check(Instant::now(), deadline) {
            Some(next) => check_at = next,
            None => {
                connection.close();
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEADLINE: Duration = Duration::from_secs(10);

    fn activity(in_flight: u32, last_answer: Instant) -> Activity {
        Activity { in_flight: Cell::new(in_flight), last_answer: Cell::new(last_answer) }
    }

    #[test]
    fn an_idle_connection_is_checked_again_when_its_next_head_is_due() {
        let answered = Instant::now();
        let now = answered + Duration::from_secs(4);

        assert_eq!(activity(0, answered).next_check(now, DEADLINE), Some(answered + DEADLINE));
    }

    #[test]
    fn an_idle_connection_past_its_deadline_is_overdue() {
        let answered = Instant::now();

        assert_eq!(activity(0, answered).next_check(answered + DEADLINE, DEADLINE), None);
    }

    #[test]
    fn a_connection_handling_a_request_is_never_overdue() {
        let answered = Instant::now();
        let now = answered + Duration::from_secs(300);

        assert_eq!(activity(1, answered).next_check(now, DEADLINE), Some(now + DEADLINE));
    }
}
