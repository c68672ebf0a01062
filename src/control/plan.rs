//! The fault plan: the faults in force, their call counters, and the decision for each request.
//!
//! Every fault counts the requests that match it (endpoint, path, method, grant, user),
//! whether or not it fires, so "calls 2 and 3 of the token endpoint" means what it says even
//! when another fault answered call 1. The first fault, in the order added, that fires on a
//! request decides it. When the plan is empty, [`FaultPlan::is_active`] is one atomic load, so
//! a mock without faults pays nothing per request.
//!
//! A plan holds at most [`FaultPlan::MAX_FAULTS`] (1,000) faults, as many as a scenario may
//! declare: faults added at runtime (`POST /__mock/faults` in a loop) cannot grow it further,
//! and every request looks through the whole list.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use parking_lot::Mutex;
use serde::Serialize;

use crate::scenario::{CallSelector, Endpoint, Fault, FaultAction, FaultSpec};
use crate::seed::{FAULT_STREAM, SeededRng, chance, seeded_rng};

/// Identifies a fault in a plan (for removing it, or reading its counters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct FaultId(u64);

impl FaultId {
    /// The number the admin API shows (`DELETE /__mock/faults/{id}`).
    pub fn get(self) -> u64 {
        self.0
    }

    /// The id with this number.
    pub fn from_raw(id: u64) -> FaultId {
        FaultId(id)
    }
}

impl fmt::Display for FaultId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A fault in force, with its counters.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FaultState {
    /// Its id.
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub id: FaultId,
    /// The fault, as its keys.
    #[serde(flatten)]
    pub spec: FaultSpec,
    /// Requests that matched it so far.
    pub matched: u64,
    /// Times it fired so far.
    pub fired: u64,
    /// Uses left, when it has a limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining: Option<u64>,
}

/// What the HTTP layer knows about a request when the plan decides.
#[derive(Debug)]
pub(crate) struct RequestFacts<'a> {
    pub(crate) endpoint: Option<Endpoint>,
    /// The declared route that names the request (lower case, without `route.`), if one does.
    pub(crate) route: Option<&'a str>,
    pub(crate) method: &'a str,
    /// The normalized path (lower case, no trailing slash).
    pub(crate) path: &'a str,
    pub(crate) grant_type: Option<&'a str>,
    pub(crate) user: Option<&'a str>,
}

/// A fault that fired: what to do.
#[derive(Debug, Clone)]
pub(crate) struct Decision {
    pub(crate) id: FaultId,
    pub(crate) delay: Option<Duration>,
    pub(crate) action: FaultAction,
}

#[derive(Debug)]
struct Entry {
    id: FaultId,
    fault: Fault,
    matched: u64,
    fired: u64,
}

#[derive(Debug)]
struct Inner {
    entries: Vec<Entry>,
    next_id: u64,
    rng: SeededRng,
}

/// A fault refused by [`FaultPlan::try_add`]: the plan already holds
/// [`FaultPlan::MAX_FAULTS`] faults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FaultPlanFull;

impl fmt::Display for FaultPlanFull {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} faults are in force, the most the mock holds; remove some (or all) before adding more",
            FaultPlan::MAX_FAULTS
        )
    }
}

impl std::error::Error for FaultPlanFull {}

/// The faults in force. Reached through `MockServer::faults()` or `/__mock/faults`.
///
/// ```
/// use veeam_auth_mock::{Endpoint, Fault, MockServer, Scenario};
///
/// let server = MockServer::start_blocking(Scenario::default());
/// let id = server.faults().add(Fault::status(503).on(Endpoint::Vb365Token).times(2));
/// assert_eq!(server.faults().list().len(), 1);
/// assert!(server.faults().remove(id));
/// ```
#[derive(Debug)]
pub struct FaultPlan {
    inner: Mutex<Inner>,
    active: AtomicBool,
}

impl FaultPlan {
    /// A plan holding `faults`; probabilities draw from `seed` when given.
    pub(crate) fn new(faults: &[Fault], seed: Option<u64>) -> FaultPlan {
        let plan = FaultPlan {
            inner: Mutex::new(Inner { entries: Vec::new(), next_id: 1, rng: seeded_rng(seed, FAULT_STREAM) }),
            active: AtomicBool::new(false),
        };
        plan.replace(faults, seed);
        plan
    }

    /// Drops every fault and counter and puts `faults` in force (a reset or a new scenario).
    pub(crate) fn replace(&self, faults: &[Fault], seed: Option<u64>) {
        let mut inner = self.inner.lock();
        inner.entries.clear();
        inner.next_id = 1;
        inner.rng = seeded_rng(seed, FAULT_STREAM);
        for fault in faults {
            inner.push(fault.clone());
        }
        self.refresh_flags(&inner);
    }

    /// The most faults a plan holds (as many as a scenario may declare).
    pub const MAX_FAULTS: usize = crate::scenario::limits::MAX_FAULTS;

    /// Adds a fault after the others; returns its id.
    ///
    /// # Panics
    ///
    /// If [`FaultPlan::MAX_FAULTS`] faults are in force already (use [`FaultPlan::try_add`] to
    /// get an error instead).
    pub fn add(&self, fault: Fault) -> FaultId {
        match self.try_add(fault) {
            Ok(id) => id,
            Err(full) => panic!("veeam-auth-mock: FaultPlan::add: {full}"),
        }
    }

    /// Adds a fault after the others and returns its id, or refuses it (changing nothing) when
    /// [`FaultPlan::MAX_FAULTS`] faults are in force already.
    pub fn try_add(&self, fault: Fault) -> Result<FaultId, FaultPlanFull> {
        let mut inner = self.inner.lock();
        if inner.entries.len() >= FaultPlan::MAX_FAULTS {
            return Err(FaultPlanFull);
        }
        let id = inner.push(fault);
        self.refresh_flags(&inner);
        Ok(id)
    }

    /// Removes a fault; false when there is none with this id.
    pub fn remove(&self, id: FaultId) -> bool {
        let mut inner = self.inner.lock();
        let before = inner.entries.len();
        inner.entries.retain(|entry| entry.id != id);
        self.refresh_flags(&inner);
        inner.entries.len() != before
    }

    /// Removes every fault.
    pub fn clear(&self) {
        let mut inner = self.inner.lock();
        inner.entries.clear();
        self.refresh_flags(&inner);
    }

    /// The faults in force, in the order they are tried, with their counters.
    pub fn list(&self) -> Vec<FaultState> {
        self.inner.lock().entries.iter().map(Entry::state).collect()
    }

    /// One fault's state.
    pub fn get(&self, id: FaultId) -> Option<FaultState> {
        self.inner.lock().entries.iter().find(|entry| entry.id == id).map(Entry::state)
    }

    /// Whether any fault is in force (one atomic load: the fast path of every request).
    pub fn is_active(&self) -> bool {
        self.active.load(Ordering::Acquire)
    }

    /// Counts the request against every matching fault and returns the first that fires.
    pub(crate) fn decide(&self, facts: &RequestFacts<'_>) -> Option<Decision> {
        if !self.is_active() {
            return None;
        }
        let mut inner = self.inner.lock();
        let Inner { entries, rng, .. } = &mut *inner;
        let mut decision = None;
        for entry in entries.iter_mut() {
            if !matches(&entry.fault, facts) {
                continue;
            }
            entry.matched += 1;
            let exhausted = entry.fault.times.is_some_and(|times| entry.fired >= times);
            if decision.is_some() || exhausted || !selects(&entry.fault.calls, entry.matched, rng) {
                continue;
            }
            entry.fired += 1;
            decision =
                Some(Decision { id: entry.id, delay: entry.fault.delay, action: entry.fault.action.clone() });
        }
        decision
    }

    fn refresh_flags(&self, inner: &Inner) {
        self.active.store(!inner.entries.is_empty(), Ordering::Release);
    }
}

impl Inner {
    fn push(&mut self, fault: Fault) -> FaultId {
        let id = FaultId(self.next_id);
        self.next_id += 1;
        self.entries.push(Entry { id, fault, matched: 0, fired: 0 });
        id
    }
}

impl Entry {
    fn state(&self) -> FaultState {
        FaultState {
            id: self.id,
            spec: self.fault.to_spec(),
            matched: self.matched,
            fired: self.fired,
            remaining: self.fault.times.map(|times| times.saturating_sub(self.fired)),
        }
    }
}

fn matches(fault: &Fault, facts: &RequestFacts<'_>) -> bool {
    let endpoint_ok = fault.endpoint.is_none_or(|wanted| facts.endpoint == Some(wanted));
    let route_ok = fault.route.as_deref().is_none_or(|wanted| facts.route == Some(wanted));
    let method_ok = fault.method.as_deref().is_none_or(|wanted| facts.method.eq_ignore_ascii_case(wanted));
    let path_ok = fault.path.as_deref().is_none_or(|wanted| match wanted.strip_suffix('*') {
        Some(prefix) => facts.path.starts_with(prefix),
        None => facts.path == wanted,
    });
    let grant_ok = fault
        .grant_type
        .as_deref()
        .is_none_or(|wanted| facts.grant_type.is_some_and(|grant| grant.eq_ignore_ascii_case(wanted)));
    let user_ok = fault
        .user
        .as_deref()
        .is_none_or(|wanted| facts.user.is_some_and(|user| user.eq_ignore_ascii_case(wanted)));
    endpoint_ok && route_ok && method_ok && path_ok && grant_ok && user_ok
}

fn selects(calls: &CallSelector, call: u64, rng: &mut SeededRng) -> bool {
    match calls {
        CallSelector::Every => true,
        CallSelector::Calls(list) => list.contains(&call),
        CallSelector::After(n) => call > *n,
        CallSelector::EveryNth(n) => call.is_multiple_of((*n).max(1)),
        CallSelector::Probability(p) => chance(rng, *p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token_call(grant: &str) -> RequestFacts<'static> {
        let grant: &'static str = Box::leak(grant.to_owned().into_boxed_str());
        RequestFacts {
            endpoint: Some(Endpoint::Vb365Token),
            route: None,
            method: "POST",
            path: "/v8/token",
            grant_type: Some(grant),
            user: Some("administrator"),
        }
    }

    fn fired(plan: &FaultPlan, facts: &RequestFacts<'_>, calls: usize) -> Vec<bool> {
        (0..calls).map(|_| plan.decide(facts).is_some()).collect()
    }

    #[test]
    fn the_plan_holds_at_most_max_faults() {
        let plan = FaultPlan::new(&[], None);
        for _ in 0..FaultPlan::MAX_FAULTS {
            plan.try_add(Fault::status(503)).expect("room");
        }
        assert_eq!(plan.try_add(Fault::status(503)), Err(FaultPlanFull));
        assert_eq!(plan.list().len(), FaultPlan::MAX_FAULTS);
        plan.clear();
        assert!(plan.try_add(Fault::status(503)).is_ok(), "room again after a clear");
    }

    #[test]
    fn call_numbers_pick_the_calls_they_name() {
        let plan = FaultPlan::new(&[Fault::status(503).on(Endpoint::Vb365Token).calls([2, 3])], None);
        assert_eq!(fired(&plan, &token_call("password"), 5), [false, true, true, false, false]);
    }

    #[test]
    fn after_every_and_times_combine() {
        let plan = FaultPlan::new(&[Fault::status(503).after(2)], None);
        assert_eq!(fired(&plan, &token_call("password"), 4), [false, false, true, true]);
        let plan = FaultPlan::new(&[Fault::status(503).every(3).times(1)], None);
        assert_eq!(
            fired(&plan, &token_call("password"), 7),
            [false, false, true, false, false, false, false]
        );
        assert_eq!(plan.list()[0].remaining, Some(0));
        assert_eq!(plan.list()[0].matched, 7);
    }

    #[test]
    fn grant_and_user_filters_count_only_their_requests() {
        let plan = FaultPlan::new(&[Fault::revoke_session().grant_type("Refresh_Token").times(1)], None);
        assert!(plan.decide(&token_call("password")).is_none());
        assert!(plan.decide(&token_call("refresh_token")).is_some());
        assert!(plan.decide(&token_call("refresh_token")).is_none());
        assert_eq!(plan.list()[0].matched, 2);
    }

    #[test]
    fn a_seeded_probability_is_reproducible() {
        let run = || {
            let plan = FaultPlan::new(&[Fault::status(500).probability(0.5)], Some(7));
            fired(&plan, &token_call("password"), 32)
        };
        let first = run();
        assert_eq!(first, run());
        assert!(first.contains(&true) && first.contains(&false), "{first:?}");
    }

    #[test]
    fn a_route_fault_counts_only_its_route() {
        let plan = FaultPlan::new(&[Fault::status(503).on_route("jobs").calls([2])], None);
        let call = |route: Option<&'static str>| RequestFacts {
            endpoint: None,
            route,
            method: "GET",
            path: "/v8/jobs",
            grant_type: None,
            user: None,
        };
        assert!(plan.decide(&call(Some("jobs"))).is_none());
        assert!(plan.decide(&call(Some("repositories"))).is_none(), "another route is not counted");
        assert!(plan.decide(&call(None)).is_none(), "nor a path no route names");
        assert!(plan.decide(&token_call("password")).is_none(), "nor a product endpoint");
        assert!(plan.decide(&call(Some("jobs"))).is_some(), "the route's 2nd call");
        assert_eq!(plan.list()[0].matched, 2);
    }

    #[test]
    fn every_matching_fault_counts_but_the_first_decides() {
        let plan = FaultPlan::new(&[Fault::status(500).calls([1]), Fault::status(503).calls([1, 2])], None);
        let facts = token_call("password");
        let first = plan.decide(&facts).map(|d| d.id);
        let second = plan.decide(&facts).map(|d| d.id);
        assert_eq!(first, Some(FaultId(1)));
        assert_eq!(second, Some(FaultId(2)));
        assert!(!FaultPlan::new(&[], None).is_active());
    }
}
