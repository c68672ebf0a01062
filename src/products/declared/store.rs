//! The declared routes in force: the scenario's, plus those added at runtime, each with its
//! call counter. Kept in the World beside the products' states; a reset or a load puts the
//! scenario's routes back with fresh counters.
//!
//! A request reads the set through one shared pointer (`Arc`), so adding or removing a route
//! (a new set, built off to the side) never blocks a request, and a request never sees half a
//! change.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::{Mutex, RwLock};

use super::index::Index;
use super::route::{Declared, DeclaredSection};
use crate::scenario::Scenario;
use crate::state::ProductState;
use crate::tokens::Sessions;

/// The most routes in force at once (a scenario's and the runtime's together).
pub(crate) const MAX_ROUTES: usize = 1_000;

/// The most bytes the bodies of every route in force may hold together.
pub(crate) const MAX_TOTAL_BYTES: usize = 64 * 1024 * 1024;

/// A route in force.
#[derive(Debug)]
pub(crate) struct Installed {
    /// Its id (`DELETE /__mock/routes/{id}`).
    pub(crate) id: u64,
    /// The route.
    pub(crate) route: Arc<Declared>,
    /// Calls answered so far (a sequence's position).
    pub(crate) calls: AtomicU64,
}

/// The routes in force, with their index.
#[derive(Debug, Default)]
pub(crate) struct RouteSet {
    /// In the order they are tried (the scenario's, then those added at runtime).
    pub(crate) routes: Vec<Arc<Installed>>,
    pub(crate) index: Index,
    bytes: usize,
    /// The OpenAPI document with these routes, rendered the first time it is asked for (a set
    /// never changes, so neither does its document).
    #[cfg(feature = "openapi")]
    pub(crate) document: std::sync::OnceLock<actix_web::web::Bytes>,
}

impl RouteSet {
    fn of(routes: Vec<Arc<Installed>>) -> RouteSet {
        let index = Index::build(routes.iter().map(|installed| installed.route.segments.as_slice()));
        let bytes = routes.iter().map(|installed| weight(&installed.route)).sum();
        RouteSet {
            routes,
            index,
            bytes,
            #[cfg(feature = "openapi")]
            document: std::sync::OnceLock::new(),
        }
    }

    /// Whether no route is in force.
    pub(crate) fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }
}

fn weight(route: &Declared) -> usize {
    route.replies.iter().map(super::route::Reply::weight).sum()
}

/// `name`, or the first of `name-2`, `name-3`, ... that is not `taken`.
pub(crate) fn unique_name(name: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(name) {
        return name.to_owned();
    }
    (2..).map(|n| format!("{name}-{n}")).find(|candidate| !taken(candidate)).unwrap_or_default()
}

/// Why a route was not added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AddRefused {
    /// [`MAX_ROUTES`] are in force, or their bodies would pass [`MAX_TOTAL_BYTES`].
    Full(String),
    /// Another route in force has that name.
    NameTaken(String),
}

/// The declared routes of a running mock.
#[derive(Debug)]
pub(crate) struct RouteStore {
    set: RwLock<Arc<RouteSet>>,
    /// Serializes changes, and numbers the routes.
    next_id: Mutex<u64>,
}

impl RouteStore {
    /// The store for a World playing `scenario`, as the registry's list of states takes it.
    pub(crate) fn boxed(scenario: &Scenario) -> Box<dyn ProductState> {
        let store = RouteStore { set: RwLock::new(Arc::default()), next_id: Mutex::new(1) };
        store.restart(scenario);
        Box::new(store)
    }

    /// The routes in force (a shared copy that does not change under the caller).
    pub(crate) fn current(&self) -> Arc<RouteSet> {
        Arc::clone(&self.set.read())
    }

    /// Puts `route` in force after the others; returns its id. A route without a `name` of its
    /// own whose derived name is taken is numbered (`get-v8-jobs-2`).
    pub(crate) fn add(&self, mut route: Declared) -> Result<u64, AddRefused> {
        let mut next_id = self.next_id.lock();
        let current = self.current();
        if current.routes.len() >= MAX_ROUTES {
            return Err(AddRefused::Full(format!(
                "{MAX_ROUTES} routes are in force, the most the mock holds; remove some first"
            )));
        }
        if current.bytes.saturating_add(weight(&route)) > MAX_TOTAL_BYTES {
            return Err(AddRefused::Full(format!(
                "the routes in force would hold more than {MAX_TOTAL_BYTES} bytes of bodies; remove some first"
            )));
        }
        let taken = |name: &str| current.routes.iter().any(|installed| installed.route.name == name);
        if route.spec.name.is_none() {
            route.name = unique_name(&route.name, taken);
        }
        if taken(&route.name) {
            return Err(AddRefused::NameTaken(route.name));
        }
        let id = *next_id;
        *next_id += 1;
        let mut routes = current.routes.clone();
        routes.push(Arc::new(Installed { id, route: Arc::new(route), calls: AtomicU64::new(0) }));
        *self.set.write() = Arc::new(RouteSet::of(routes));
        Ok(id)
    }

    /// Removes the route `id`; false when there is none.
    pub(crate) fn remove(&self, id: u64) -> bool {
        let _serialized = self.next_id.lock();
        let current = self.current();
        let routes: Vec<Arc<Installed>> =
            current.routes.iter().filter(|installed| installed.id != id).cloned().collect();
        if routes.len() == current.routes.len() {
            return false;
        }
        *self.set.write() = Arc::new(RouteSet::of(routes));
        true
    }

    /// Removes every route (the scenario's too, until the next reset).
    pub(crate) fn clear(&self) {
        let _serialized = self.next_id.lock();
        *self.set.write() = Arc::default();
    }

    /// Every route in force with its id and calls so far.
    pub(crate) fn list(&self) -> Vec<(u64, Arc<Declared>, u64)> {
        self.current()
            .routes
            .iter()
            .map(|installed| {
                (installed.id, Arc::clone(&installed.route), installed.calls.load(Ordering::Relaxed))
            })
            .collect()
    }
}

impl ProductState for RouteStore {
    fn sessions(&self) -> Option<&dyn Sessions> {
        None
    }

    /// The scenario's routes, numbered from 1, with fresh counters.
    fn restart(&self, scenario: &Scenario) {
        let mut next_id = self.next_id.lock();
        let declared = scenario
            .section::<DeclaredSection>()
            .map(|section| section.routes.as_slice())
            .unwrap_or_default();
        let routes: Vec<Arc<Installed>> = declared
            .iter()
            .zip(1..)
            .map(|(route, id)| Arc::new(Installed { id, route: Arc::clone(route), calls: AtomicU64::new(0) }))
            .collect();
        *next_id = routes.len() as u64 + 1;
        *self.set.write() = Arc::new(RouteSet::of(routes));
    }
}
