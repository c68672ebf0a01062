//! What VBAzure remembers between requests besides sessions: pending MFA challenges, issued
//! authorization codes, used scratch codes and single-use grant values, the last TOTP step
//! each user answered with, and whether the licence agreement was accepted.
//!
//! Each map has its own short-lived lock; nothing is held across an `.await`. [`AzureState`]
//! (the sessions and these stores) is the product's part of the World (read with
//! [`World::azure`]).
//!
//! Limits (so a long run keeps flat memory, and inserts stay O(1) amortized; see
//! [`PendingMap`]): at most [`MAX_PENDING_CHALLENGES`] MFA challenges and
//! [`MAX_PENDING_CODES`] authorization codes are remembered. Expired ones are dropped as new
//! ones arrive; beyond the cap the oldest pending ones are forgotten, and their `mfa_token` or
//! code then reads as invalid, exactly like one that was never issued (a client that leaves
//! more than ten thousand logins half-done is not a realistic test). The other sets hold one
//! entry per scenario user, scratch code or grant, so the scenario bounds them.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};

use parking_lot::Mutex;
use time::OffsetDateTime;
use uuid::Uuid;

use super::config::{AzureRole, AzureUserType};
use crate::scenario::Scenario;
use crate::state::{Expiring, PendingMap, ProductState, World};
use crate::tokens::{SessionStore, Sessions, TokenService};

/// VBAzure's memory of a run: its sessions (`/api/oauth2/token`) and its other stores.
#[derive(Debug)]
pub(crate) struct AzureState {
    /// Login sessions.
    pub(crate) sessions: SessionStore<AzureSession>,
    /// MFA challenges, authorization codes, spent codes, the EULA.
    pub(crate) stores: AzureStores,
}

impl AzureState {
    /// A fresh state for `scenario` (its EULA as the scenario says).
    pub(crate) fn new(scenario: &Scenario) -> AzureState {
        AzureState {
            sessions: SessionStore::default(),
            stores: AzureStores::new(scenario.azure().license_agreement_accepted),
        }
    }

    /// A fresh state, for the product registry's list of states.
    pub(crate) fn boxed(scenario: &Scenario) -> Box<dyn ProductState> {
        Box::new(AzureState::new(scenario))
    }
}

impl ProductState for AzureState {
    fn sessions(&self) -> Option<&dyn Sessions> {
        Some(&self.sessions)
    }

    fn restart(&self, scenario: &Scenario) {
        self.stores.reset(scenario.azure().license_agreement_accepted);
    }
}

/// Used when a World was built without VBAzure's state: empty and never written to by a
/// request (no route of a product missing from the World is served).
static DETACHED: std::sync::LazyLock<AzureState> = std::sync::LazyLock::new(|| AzureState {
    sessions: SessionStore::default(),
    stores: AzureStores::new(true),
});

impl World {
    /// VBAzure's memory of the run.
    pub(crate) fn azure(&self) -> &AzureState {
        self.product::<AzureState>().unwrap_or(&DETACHED)
    }
}

/// The most MFA challenges waiting for their second step.
pub(crate) const MAX_PENDING_CHALLENGES: usize = 10_000;
/// The most authorization codes issued and not yet redeemed.
pub(crate) const MAX_PENDING_CODES: usize = 10_000;

/// What a VBAzure session remembers about its login (the claims and the `Login` body).
#[derive(Debug, Clone)]
pub(crate) struct AzureSession {
    pub(crate) user_id: Uuid,
    pub(crate) username: String,
    pub(crate) role: AzureRole,
    pub(crate) user_type: AzureUserType,
    pub(crate) latest_news_shown: bool,
    /// Whether refresh tokens of this session get the short lifetime.
    pub(crate) short_lived: bool,
}

/// A password login waiting for its second factor.
#[derive(Debug, Clone)]
pub(crate) struct Challenge {
    /// The scenario user's name.
    pub(crate) username: String,
    /// `short_lived_refresh_token` of the password step.
    pub(crate) short_lived: bool,
    pub(crate) expires_at: OffsetDateTime,
}

impl Expiring for Challenge {
    fn expires_at(&self) -> OffsetDateTime {
        self.expires_at
    }
}

/// An authorization code handed out by the issuer.
#[derive(Debug, Clone)]
pub(crate) struct IssuedCode {
    pub(crate) username: String,
    pub(crate) expires_at: OffsetDateTime,
}

impl Expiring for IssuedCode {
    fn expires_at(&self) -> OffsetDateTime {
        self.expires_at
    }
}

/// VBAzure's per-run memory.
#[derive(Debug)]
pub(crate) struct AzureStores {
    challenges: Mutex<PendingMap<Challenge>>,
    codes: Mutex<PendingMap<IssuedCode>>,
    /// `(user, scratch code)` pairs already spent.
    scratch_used: Mutex<HashSet<(String, String)>>,
    /// Indices of single-use `[[azure.grants]]` already spent.
    grants_used: Mutex<HashSet<usize>>,
    /// The last TOTP step each user signed in with (a code is not good twice).
    totp_steps: Mutex<HashMap<String, i64>>,
    license_accepted: AtomicBool,
}

impl AzureStores {
    /// Empty stores; the EULA starts as the scenario says.
    pub(crate) fn new(license_accepted: bool) -> AzureStores {
        AzureStores {
            challenges: Mutex::new(PendingMap::new(MAX_PENDING_CHALLENGES)),
            codes: Mutex::new(PendingMap::new(MAX_PENDING_CODES)),
            scratch_used: Mutex::default(),
            grants_used: Mutex::default(),
            totp_steps: Mutex::default(),
            license_accepted: AtomicBool::new(license_accepted),
        }
    }

    /// Forgets everything and sets the EULA as a new run starts (a reset).
    pub(crate) fn reset(&self, license_accepted: bool) {
        self.challenges.lock().clear();
        self.codes.lock().clear();
        self.scratch_used.lock().clear();
        self.grants_used.lock().clear();
        self.totp_steps.lock().clear();
        self.license_accepted.store(license_accepted, std::sync::atomic::Ordering::SeqCst);
    }

    /// Remembers a challenge under its `mfa_token`, dropping expired ones (and the oldest beyond
    /// [`MAX_PENDING_CHALLENGES`]) on the way.
    pub(crate) fn add_challenge(&self, token: String, challenge: Challenge, now: OffsetDateTime) {
        self.challenges.lock().insert(token, challenge, now);
    }

    /// The challenge of `token`, if it is still pending (answered ones are gone).
    pub(crate) fn challenge(&self, token: &str) -> Option<Challenge> {
        self.challenges.lock().get(token).cloned()
    }

    /// Ends a challenge (answered): its token cannot be replayed.
    pub(crate) fn end_challenge(&self, token: &str) -> Option<Challenge> {
        self.challenges.lock().remove(token)
    }

    /// Remembers an authorization code, dropping expired ones (and the oldest beyond
    /// [`MAX_PENDING_CODES`]) on the way.
    pub(crate) fn add_code(&self, code: String, issued: IssuedCode, now: OffsetDateTime) {
        self.codes.lock().insert(code, issued, now);
    }

    /// Takes an authorization code (single use): it is gone whether or not it has expired.
    pub(crate) fn take_code(&self, code: &str) -> Option<IssuedCode> {
        self.codes.lock().remove(code)
    }

    /// Spends `code` for `user`; `false` if it was already spent.
    pub(crate) fn spend_scratch_code(&self, user: &str, code: &str) -> bool {
        self.scratch_used.lock().insert((user.to_ascii_lowercase(), code.to_owned()))
    }

    /// Spends the single-use grant at `index`; `false` if it was already spent.
    pub(crate) fn spend_grant(&self, index: usize) -> bool {
        self.grants_used.lock().insert(index)
    }

    /// Records that `user` answered with the code of `step`; `false` if that step (or a later
    /// one) was already used, which makes the code a replay.
    pub(crate) fn use_totp_step(&self, user: &str, step: i64) -> bool {
        let mut steps = self.totp_steps.lock();
        let last = steps.entry(user.to_ascii_lowercase()).or_insert(i64::MIN);
        if step <= *last {
            return false;
        }
        *last = step;
        true
    }

    /// Whether the licence agreement has been accepted.
    pub(crate) fn license_accepted(&self) -> bool {
        self.license_accepted.load(Ordering::Relaxed)
    }

    /// Accepts the licence agreement.
    pub(crate) fn accept_license(&self) {
        self.license_accepted.store(true, Ordering::Relaxed);
    }
}

/// VBAzure's token service: its sessions, with the world's key, randomness and clock.
pub(super) fn tokens(world: &World) -> TokenService<'_, AzureSession> {
    TokenService::new(&world.azure().sessions, &world.key, &world.random, &world.clock)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2024-08-07 15:56:22 UTC);

    #[test]
    fn challenges_past_the_cap_on_a_frozen_clock_keep_the_newest() {
        let stores = AzureStores::new(true);
        let pending = |n: usize| Challenge {
            username: format!("user{n}"),
            short_lived: false,
            expires_at: T0 + time::Duration::minutes(5),
        };
        for n in 0..MAX_PENDING_CHALLENGES + 500 {
            stores.add_challenge(format!("token{n}"), pending(n), T0);
        }
        assert_eq!(stores.challenges.lock().len(), MAX_PENDING_CHALLENGES);
        let newest = format!("token{}", MAX_PENDING_CHALLENGES + 499);
        assert_eq!(
            stores.end_challenge(&newest).map(|c| c.username),
            Some(format!("user{}", MAX_PENDING_CHALLENGES + 499))
        );
        assert!(stores.challenge("token0").is_none(), "the oldest was forgotten");
    }

    #[test]
    fn codes_past_the_cap_keep_the_newest() {
        let stores = AzureStores::new(true);
        for n in 0..MAX_PENDING_CODES + 500 {
            let issued =
                IssuedCode { username: format!("user{n}"), expires_at: T0 + time::Duration::minutes(1) };
            stores.add_code(format!("code{n}"), issued, T0);
        }
        assert_eq!(stores.codes.lock().len(), MAX_PENDING_CODES);
        assert!(stores.take_code(&format!("code{}", MAX_PENDING_CODES + 499)).is_some());
        assert!(stores.take_code("code0").is_none());
    }
}
