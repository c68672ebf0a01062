//! The World: everything a running mock knows, shared by every request and by the handle.
//!
//! One `World` lives behind `web::Data` (an `Arc`). Its parts lock independently and briefly
//! (`parking_lot`, never across an `.await`), so a slow request never blocks another.
//!
//! The data each product keeps (session payloads, restore sessions) is defined here, below the
//! products, so that products depend on the state and never the other way round.
//!
//! # Limits
//!
//! Every store is bounded, so a long run (or a hostile client) keeps flat memory; what is
//! forgotten reads to clients as never issued:
//!
//! | Store | Bound | Beyond it |
//! |---|---|---|
//! | Sessions of each product (`tokens::SessionStore`) | 20,000 tokens; expired ones kept a day | oldest sessions forgotten |
//! | VB365 restore sessions ([`RestoreSessions`]) | 10,000 sessions and 16 MiB of `reason` text; a stopped one kept 24 h on the scenario clock | oldest stopped forgotten first, then oldest working; a forgotten id answers 404 |
//! | VBAzure MFA challenges ([`AzureStores`]) | 10,000 pending; expired ones dropped | oldest pending forgotten (`mfa_token` invalid) |
//! | VBAzure authorization codes ([`AzureStores`]) | 10,000 unredeemed; expired ones dropped | oldest forgotten (code invalid) |
//!
//! Inserts into each are O(1) amortized: they prune from the front of an insertion-ordered
//! queue, or sweep once per quarter of the cap, never scan everything per insert.

mod azure;
mod pending;
mod vb365;

use std::sync::Arc;

use parking_lot::RwLock;

use crate::clock::Clock;
use crate::control::{FaultPlan, Journal};
use crate::scenario::Scenario;
use crate::tokens::{Randomness, SessionStore, SigningKey};

pub(crate) use azure::{AzureSession, AzureStores, Challenge, IssuedCode};
pub(crate) use vb365::{ExploreType, RestoreSession, RestoreSessions, Vb365Session};

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
    /// VB365 sessions (API v6-v8).
    pub(crate) vb365_sessions: SessionStore<Vb365Session>,
    /// VB365 restore sessions.
    pub(crate) vb365_restore: RestoreSessions,
    /// VBAzure sessions (`/api/oauth2/token`).
    pub(crate) azure_sessions: SessionStore<AzureSession>,
    /// VBAzure's other memory: MFA challenges, authorization codes, spent codes, the EULA.
    pub(crate) azure: AzureStores,
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
    /// A fresh world playing `scenario` from its start.
    pub(crate) fn new(scenario: Scenario, admin: AdminSettings) -> World {
        World {
            faults: FaultPlan::new(&scenario.faults, scenario.seed()),
            journal: Journal::new(scenario.journal.enabled, scenario.journal.capacity),
            admin,
            clock: scenario.new_clock(),
            random: Randomness::new(scenario.seed()),
            key: SigningKey::test_key(),
            vb365_sessions: SessionStore::default(),
            vb365_restore: RestoreSessions::default(),
            azure_sessions: SessionStore::default(),
            azure: AzureStores::new(scenario.azure.license_agreement_accepted),
            scenario: RwLock::new(Arc::new(scenario)),
        }
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
        self.vb365_sessions.clear();
        self.vb365_restore.clear();
        self.azure_sessions.clear();
        self.azure.reset(scenario.azure.license_agreement_accepted);
        self.faults.replace(&scenario.faults, scenario.seed());
        self.journal.reset(scenario.journal.enabled, scenario.journal.capacity);
    }

    /// Revokes the session `token` (access or refresh, either product) belongs to.
    pub(crate) fn revoke_session_of(&self, token: &str) -> bool {
        self.vb365_sessions.revoke_holding(token) || self.azure_sessions.revoke_holding(token)
    }

    /// Expires now the access tokens of the session `token` belongs to.
    pub(crate) fn expire_session_of(&self, token: &str) -> bool {
        let now = self.clock.now();
        self.vb365_sessions.expire_holding(token, now) || self.azure_sessions.expire_holding(token, now)
    }

    /// Revokes every session of both products.
    pub(crate) fn revoke_all_sessions(&self) {
        self.vb365_sessions.revoke_all();
        self.azure_sessions.revoke_all();
    }
}
