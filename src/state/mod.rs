//! The World: everything a running mock knows, shared by every request and by the handle.
//!
//! One `World` lives behind `web::Data` (an `Arc`). Its parts lock independently and briefly
//! (`parking_lot`, never across an `.await`), so a slow request never blocks another.
//!
//! The data each product keeps (session payloads, restore sessions) is defined here, below the
//! products, so that products depend on the state and never the other way round.

mod azure;
mod vb365;

use std::sync::Arc;

use parking_lot::RwLock;

use crate::clock::Clock;
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
}

impl World {
    /// A fresh world playing `scenario` from its start.
    pub(crate) fn new(scenario: Scenario) -> World {
        World {
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
}
