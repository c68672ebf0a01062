//! [`MockControl`]: the control surface of a running mock (clock, faults, journal, declared
//! routes ([`routes`]), reset, reload). `MockServer` hands it out in-process, `serve` hands it
//! to the binary (for `--watch`), and the admin API calls the same operations over HTTP.

pub(crate) mod routes;

use std::sync::Arc;

use actix_web::web::Data;

use crate::clock::Clock;
use crate::control::{FaultPlan, Journal};
use crate::scenario::Scenario;
use crate::state::World;
use routes::Routes;

/// A handle on a running mock's state; cheap to clone, usable from any thread.
///
/// A [`MockServer`](crate::MockServer) dereferences to its `MockControl`, so these methods are
/// called on the server too (`server.faults()`); [`MockServer::control`](crate::MockServer::control)
/// hands out a clone for another thread or a helper.
///
/// ```
/// use std::time::Duration;
/// use veeam_auth_mock::{Endpoint, Fault, MockServer, Scenario};
///
/// let server = MockServer::start_blocking(Scenario::default());
/// let control = server.control();
/// control.faults().add(Fault::status(503).on(Endpoint::Vb365Token).times(1));
/// control.clock().advance(Duration::from_secs(3600));
/// control.reset(); // back to the scenario's clock, no sessions, its own faults only
/// assert!(control.faults().list().is_empty());
/// ```
#[derive(Debug, Clone)]
pub struct MockControl {
    world: Data<World>,
}

impl MockControl {
    pub(crate) fn new(world: Data<World>) -> MockControl {
        MockControl { world }
    }

    /// The scenario clock; moving it changes what the next request sees.
    pub fn clock(&self) -> &Clock {
        &self.world.clock
    }

    /// The faults in force: add, remove, list with counters.
    pub fn faults(&self) -> &FaultPlan {
        &self.world.faults
    }

    /// The request journal: query, count, clear, cap, turn off.
    pub fn journal(&self) -> &Journal {
        &self.world.journal
    }

    /// The declared routes in force: add (with a [`DeclaredRoute`](crate::routes::DeclaredRoute)),
    /// list with their calls, remove.
    ///
    /// ```
    /// use veeam_auth_mock::routes::DeclaredRoute;
    /// use veeam_auth_mock::{MockServer, Scenario};
    ///
    /// let server = MockServer::start_blocking(Scenario::default());
    /// server.routes().add(DeclaredRoute::get("/v8/Jobs").named("jobs"));
    /// server.reset(); // back to the scenario's routes: the default declares none
    /// assert!(server.routes().list().is_empty());
    /// ```
    pub fn routes(&self) -> Routes<'_> {
        Routes::new(&self.world)
    }

    /// The scenario being played.
    pub fn scenario(&self) -> Arc<Scenario> {
        self.world.scenario()
    }

    /// Back to the scenario's initial state: its clock, no sessions or MFA challenges, its own
    /// faults and declared routes with fresh counters, an empty journal.
    pub fn reset(&self) {
        self.world.reset();
    }

    /// Plays another scenario from its start, as a freshly started server would.
    pub fn load(&self, scenario: Scenario) {
        self.world.load(scenario);
    }

    /// Revokes every session of both products (clients see their tokens refused, as after a
    /// server restart).
    pub fn revoke_all_sessions(&self) {
        self.world.revoke_all_sessions();
    }
}
