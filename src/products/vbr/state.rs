//! What VBR remembers between requests: its sessions (one per login, holding every pair its
//! refreshes issued, so that logout ends them all), the authorization codes issued and not yet
//! redeemed, and which single-use `[[vbr.grants]]` were spent.
//!
//! At most [`MAX_PENDING_CODES`] codes are remembered (expired ones are dropped as new ones
//! arrive, then the oldest); a forgotten code reads as one never issued.

use std::collections::HashSet;

use parking_lot::Mutex;
use time::OffsetDateTime;

use super::config::VbrRole;
use crate::scenario::Scenario;
use crate::state::{Expiring, PendingMap, ProductState, World};
use crate::tokens::{SessionStore, Sessions, TokenService};

/// The most authorization codes issued and not yet redeemed.
pub(crate) const MAX_PENDING_CODES: usize = 10_000;

/// VBR's memory of a run.
#[derive(Debug, Default)]
pub(crate) struct VbrState {
    /// Login sessions (a login and every pair its refreshes issued).
    pub(crate) sessions: SessionStore<VbrSession>,
    codes: Mutex<Option<PendingMap<IssuedCode>>>,
    grants_used: Mutex<HashSet<usize>>,
}

impl VbrState {
    /// A fresh state, for the product registry's list of states.
    pub(crate) fn boxed(_scenario: &Scenario) -> Box<dyn ProductState> {
        Box::new(VbrState::default())
    }

    /// Remembers an authorization code.
    pub(crate) fn add_code(&self, code: String, issued: IssuedCode, now: OffsetDateTime) {
        let mut codes = self.codes.lock();
        codes.get_or_insert_with(|| PendingMap::new(MAX_PENDING_CODES)).insert(code, issued, now);
    }

    /// Takes an authorization code (single use): it is gone whether or not it has expired.
    pub(crate) fn take_code(&self, code: &str) -> Option<IssuedCode> {
        self.codes.lock().as_mut().and_then(|codes| codes.remove(code))
    }

    /// Spends the single-use grant at `index`; `false` if it was already spent.
    pub(crate) fn spend_grant(&self, index: usize) -> bool {
        self.grants_used.lock().insert(index)
    }
}

impl ProductState for VbrState {
    fn sessions(&self) -> Option<&dyn Sessions> {
        Some(&self.sessions)
    }

    fn restart(&self, _scenario: &Scenario) {
        *self.codes.lock() = None;
        self.grants_used.lock().clear();
    }
}

/// Used when a World was built without VBR's state: empty and never written to by a request.
static DETACHED: std::sync::LazyLock<VbrState> = std::sync::LazyLock::new(VbrState::default);

impl World {
    /// VBR's memory of the run.
    pub(crate) fn vbr(&self) -> &VbrState {
        self.product::<VbrState>().unwrap_or(&DETACHED)
    }
}

/// What a VBR session remembers about its login.
#[derive(Debug, Clone)]
pub(crate) struct VbrSession {
    /// The name as the client signed in with it (`unique_name` echoes it).
    pub(crate) username: String,
    pub(crate) role: VbrRole,
    /// Whether the login asked for `use_short_term_refresh` (its refreshes keep it).
    pub(crate) short_term: bool,
}

/// An authorization code handed out by `POST /api/oauth2/authorization_code`.
#[derive(Debug, Clone)]
pub(crate) struct IssuedCode {
    /// The session it was issued from: the code's tokens get the same permissions.
    pub(crate) session: VbrSession,
    pub(crate) expires_at: OffsetDateTime,
}

impl Expiring for IssuedCode {
    fn expires_at(&self) -> OffsetDateTime {
        self.expires_at
    }
}

/// VBR's token service: its sessions, with the world's key, randomness and clock.
pub(super) fn tokens(world: &World) -> TokenService<'_, VbrSession> {
    TokenService::new(&world.vbr().sessions, &world.key, &world.random, &world.clock)
}
