//! The World: everything a running mock knows, shared by every request and by the handle.
//!
//! One `World` lives behind `web::Data` (an `Arc`). Its parts lock independently and briefly
//! (`parking_lot`, never across an `.await`), so a slow request never blocks another.
//!
//! What each product keeps (its sessions, restore sessions, pending challenges...) is defined in
//! the product's folder and held here type-erased, as a [`ProductState`]: the World knows no
//! product, and the layer above hands it the product states when it is built.
//!
//! # Limits
//!
//! Every store is bounded, so a long run (or a hostile client) keeps flat memory; what is
//! forgotten reads to clients as never issued:
//!
//! | Store | Bound | Beyond it |
//! |---|---|---|
//! | Sessions of each product (`tokens::SessionStore`) | 20,000 tokens; expired ones kept a day | oldest sessions forgotten |
//! | A product's own stores ([`PendingMap`] and the like) | set by the product, listed in its `state.rs` | oldest forgotten |
//!
//! Inserts into each are O(1) amortized: they prune from the front of an insertion-ordered
//! queue, or sweep once per quarter of the cap, never scan everything per insert.

mod pending;

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use parking_lot::RwLock;

use crate::clock::Clock;
use crate::control::{FaultPlan, Journal};
use crate::scenario::Scenario;
use crate::tokens::{Randomness, Sessions, SigningKey};

pub(crate) use pending::{Expiring, PendingMap};

/// One product's memory of a run (its sessions and whatever else it keeps), or another part the
/// product layer keeps in the World (the declared routes), as the World drives it: every method
/// acts for all of them at once through the World's methods.
pub(crate) trait ProductState: Any + Send + Sync + fmt::Debug {
    /// The product's sessions, if it keeps any: the World revokes, expires and forgets them.
    fn sessions(&self) -> Option<&dyn Sessions>;

    /// Forgets the rest of the product's memory (its sessions are cleared by the World), as a
    /// fresh server playing `scenario` would start.
    fn restart(&self, scenario: &Scenario);
}

/// Builds the product states for a scenario (given by the product layer to [`World::new`]).
pub(crate) type NewProductStates = fn(&Scenario) -> Vec<Box<dyn ProductState>>;

/// The running mock's state.
#[derive(Debug)]
pub(crate) struct World {
    scenario: RwLock<Arc<Scenario>>,
    /// The scenario clock: every timestamp comes from here.
    pub(crate) clock: Clock,
    /// Random ids, seeded by the scenario when it says so.
    pub(crate) random: Randomness,
    /// The key tokens are signed with.
    pub(crate) key: Arc<SigningKey>,
    /// Each product's memory, type-erased; a product reads its own with [`World::product`].
    products: Vec<Box<dyn ProductState>>,
    /// The faults in force.
    pub(crate) faults: FaultPlan,
    /// The request journal.
    pub(crate) journal: Journal,
    /// How the admin API is exposed (set at start, never by a scenario: loading a scenario over
    /// the admin API must not be able to lift its protection).
    pub(crate) admin: AdminSettings,
}

/// Whether the admin API (`/__mock/...`) answers, and the token it demands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AdminSettings {
    /// `false` turns the admin API off: its paths answer as unknown product paths.
    pub(crate) disabled: bool,
    /// When set, every admin call needs `Authorization: Bearer <token>`.
    pub(crate) token: Option<String>,
}

impl World {
    /// A fresh world playing `scenario` from its start, with the product states `products`
    /// builds for it.
    pub(crate) fn new(scenario: Scenario, admin: AdminSettings, products: NewProductStates) -> World {
        World {
            products: products(&scenario),
            faults: FaultPlan::new(&scenario.faults, scenario.seed()),
            journal: Journal::new(scenario.journal.enabled, scenario.journal.capacity),
            admin,
            clock: scenario.new_clock(),
            random: Randomness::new(scenario.seed()),
            key: SigningKey::test_key(),
            scenario: RwLock::new(Arc::new(scenario)),
        }
    }

    /// The state of type `T` among the products', if the World was built with one.
    pub(crate) fn product<T: ProductState>(&self) -> Option<&T> {
        self.products.iter().find_map(|state| (&**state as &dyn Any).downcast_ref::<T>())
    }

    /// The scenario being played (a cheap shared copy; it does not change under the caller).
    pub(crate) fn scenario(&self) -> Arc<Scenario> {
        Arc::clone(&self.scenario.read())
    }

    /// Back to the scenario's initial state: its clock, no sessions, its faults with fresh
    /// counters, an empty journal. Requests in flight finish against whichever state they read.
    pub(crate) fn reset(&self) {
        let scenario = self.scenario();
        self.restart(&scenario);
    }

    /// Plays `scenario` from its start, as a fresh server would.
    pub(crate) fn load(&self, scenario: Scenario) {
        let scenario = Arc::new(scenario);
        *self.scenario.write() = Arc::clone(&scenario);
        self.restart(&scenario);
    }

    fn restart(&self, scenario: &Scenario) {
        self.clock.adopt(&scenario.new_clock());
        self.random.reseed(scenario.seed());
        for product in &self.products {
            if let Some(sessions) = product.sessions() {
                sessions.clear();
            }
            product.restart(scenario);
        }
        self.faults.replace(&scenario.faults, scenario.seed());
        self.journal.reset(scenario.journal.enabled, scenario.journal.capacity);
    }

    /// Revokes the session `token` (access or refresh, any product) belongs to.
    pub(crate) fn revoke_session_of(&self, token: &str) -> bool {
        self.products
            .iter()
            .filter_map(|product| product.sessions())
            .any(|sessions| sessions.revoke_holding(token))
    }

    /// Expires now the access tokens of the session `token` belongs to.
    pub(crate) fn expire_session_of(&self, token: &str) -> bool {
        let now = self.clock.now();
        self.products
            .iter()
            .filter_map(|product| product.sessions())
            .any(|sessions| sessions.expire_holding(token, now))
    }

    /// Revokes every session of every product.
    pub(crate) fn revoke_all_sessions(&self) {
        for sessions in self.products.iter().filter_map(|product| product.sessions()) {
            sessions.revoke_all();
        }
    }
}
