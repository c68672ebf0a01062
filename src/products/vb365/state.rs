//! What the mock remembers for VB365: who each session is, and the restore sessions started.
//!
//! [`Vb365State`] is the product's part of the World (read with [`World::vb365`]).
//!
//! Limits: sessions as every product's (`tokens::SessionStore`); restore sessions at most
//! [`MAX_RESTORE_SESSIONS`] and [`MAX_RESTORE_REASON_BYTES`] of `reason` text, a stopped one kept
//! [`FORGET_STOPPED_AFTER`] on the scenario clock; beyond, the oldest stopped are forgotten
//! first, then the oldest working, and a forgotten id answers 404.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Duration;

use parking_lot::Mutex;
use time::OffsetDateTime;
use uuid::Uuid;

use super::config::Role;
use crate::clock::later;
use crate::scenario::Scenario;
use crate::state::{Expiring, PendingMap, ProductState, World};
use crate::tokens::{SessionId, SessionStore, Sessions, TokenService};

/// VB365's memory of a run: its login sessions (API v6-v8), its restore sessions and the codes
/// of `POST /vX/token/AuthCode` not yet redeemed (at most
/// [`MAX_AUTH_CODES`]).
#[derive(Debug)]
pub(crate) struct Vb365State {
    /// Login sessions.
    pub(crate) sessions: SessionStore<Vb365Session>,
    /// Restore sessions.
    pub(crate) restore: RestoreSessions,
    /// Authorization codes, redeemable once by declared routes with `auth = "auth_code"`.
    pub(crate) auth_codes: Mutex<PendingMap<IssuedAuthCode>>,
}

impl Default for Vb365State {
    fn default() -> Vb365State {
        Vb365State {
            sessions: SessionStore::default(),
            restore: RestoreSessions::default(),
            auth_codes: Mutex::new(PendingMap::new(MAX_AUTH_CODES)),
        }
    }
}

impl Vb365State {
    /// A fresh state, for the product registry's list of states.
    pub(crate) fn boxed(_scenario: &Scenario) -> Box<dyn ProductState> {
        Box::new(Vb365State::default())
    }
}

impl ProductState for Vb365State {
    fn sessions(&self) -> Option<&dyn Sessions> {
        Some(&self.sessions)
    }

    fn restart(&self, _scenario: &Scenario) {
        self.restore.clear();
        self.auth_codes.lock().clear();
    }
}

/// How long a code from `POST /vX/token/AuthCode` can be redeemed, on the scenario clock (the
/// product does not document it; a code is meant to be redeemed at once).
pub(crate) const AUTH_CODE_LIFETIME: Duration = Duration::from_secs(60);

/// The most codes remembered at once (the oldest are forgotten first).
pub(crate) const MAX_AUTH_CODES: usize = 10_000;

/// A code issued by `POST /vX/token/AuthCode`, for the session that asked for it.
#[derive(Debug, Clone)]
pub(crate) struct IssuedAuthCode {
    pub(crate) session: std::sync::Arc<Vb365Session>,
    pub(crate) expires_at: OffsetDateTime,
}

impl Expiring for IssuedAuthCode {
    fn expires_at(&self) -> OffsetDateTime {
        self.expires_at
    }
}

/// Used when a World was built without VB365's state: empty and never written to by a request
/// (no route of a product missing from the World is served).
static DETACHED: std::sync::LazyLock<Vb365State> = std::sync::LazyLock::new(Vb365State::default);

impl World {
    /// VB365's memory of the run.
    pub(crate) fn vb365(&self) -> &Vb365State {
        self.product::<Vb365State>().unwrap_or(&DETACHED)
    }
}

/// What a VB365 login session remembers.
#[derive(Debug, Clone)]
pub(crate) struct Vb365Session {
    /// The scenario user's canonical name (the `name` claim and `userName`).
    pub(crate) user_name: String,
    /// The `credentialKey` claim: one per login, kept across refreshes.
    pub(crate) credential_key: String,
    /// The `credentialType` claim, from the grant used.
    pub(crate) credential_type: &'static str,
    /// The antiforgery token, unless the login sent `disable_antiforgery_token=true` (or used an
    /// API version without antiforgery).
    pub(crate) antiforgery: Option<String>,
    pub(crate) role: Role,
    /// The organization of a tenant user or operator.
    pub(crate) organization: Option<Uuid>,
}

/// The four Veeam Explorers a restore session can be for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub(crate) enum ExploreType {
    /// Exchange.
    Vex,
    /// OneDrive for Business.
    Veod,
    /// SharePoint.
    Vesp,
    /// Teams.
    Vet,
}

impl ExploreType {
    /// Reads `vex`, `Vex`, `VEX`...
    pub(crate) fn parse(text: &str) -> Option<ExploreType> {
        match text.to_ascii_lowercase().as_str() {
            "vex" => Some(ExploreType::Vex),
            "veod" => Some(ExploreType::Veod),
            "vesp" => Some(ExploreType::Vesp),
            "vet" => Some(ExploreType::Vet),
            _ => None,
        }
    }
}

/// One restore session.
#[derive(Debug, Clone)]
pub(crate) struct RestoreSession {
    pub(crate) id: Uuid,
    pub(crate) organization: Uuid,
    pub(crate) organization_name: String,
    pub(crate) kind: ExploreType,
    pub(crate) created_at: OffsetDateTime,
    /// When it stopped; `None` while it works.
    pub(crate) ended_at: Option<OffsetDateTime>,
    /// The login session that started it (its logout stops it).
    pub(crate) owner: SessionId,
    pub(crate) initiated_by: String,
    pub(crate) reason: Option<String>,
    pub(crate) last_activity: OffsetDateTime,
    /// Bumped on every change, as the product's `eTag`.
    pub(crate) etag: i64,
}

impl RestoreSession {
    /// Stops a working session that has been idle for `idle` by `now`, as of its last activity.
    fn expire_if_idle(&mut self, now: OffsetDateTime, idle: Duration) {
        let deadline = later(self.last_activity, idle);
        if self.ended_at.is_none() && now >= deadline {
            self.stop(deadline);
        }
    }

    fn stop(&mut self, at: OffsetDateTime) {
        if self.ended_at.is_none() {
            self.ended_at = Some(at);
            self.etag += 1;
        }
    }
}

/// How long a stopped restore session is remembered after it stopped, on the scenario clock.
/// After that its id reads as unknown: `GET /RestoreSessions/{id}` answers the product's 404
/// ("Restore session with ID '...' was not found."), which is what the product answers for a
/// session its configuration database no longer holds.
pub(crate) const FORGET_STOPPED_AFTER: Duration = Duration::from_secs(24 * 60 * 60);
/// The most restore sessions remembered. Beyond it the oldest stopped sessions are forgotten
/// first, then the oldest working ones.
pub(crate) const MAX_RESTORE_SESSIONS: usize = 10_000;
/// The most bytes of client text (the explore `reason`) the remembered sessions may hold
/// together; beyond it sessions are forgotten as beyond [`MAX_RESTORE_SESSIONS`]. 16 MiB is
/// some 270 sessions with the review's 60 KB reasons, or every session with a short one.
pub(crate) const MAX_RESTORE_REASON_BYTES: usize = 16 * 1024 * 1024;

/// Every restore session started and not yet forgotten.
///
/// Sessions are kept in a map and in start order. A start forgets, from the front of that
/// order, the sessions stopped more than [`FORGET_STOPPED_AFTER`] ago; when the store is over
/// one of its caps it sweeps once down to three quarters of the caps (oldest stopped first), so
/// that starts cost O(1) amortized however many sessions there are.
#[derive(Debug, Default)]
pub(crate) struct RestoreSessions {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    sessions: HashMap<Uuid, RestoreSession>,
    /// Ids in start order (exactly the map's keys).
    order: VecDeque<Uuid>,
    /// The `reason` bytes held by `sessions`.
    reason_bytes: usize,
}

impl RestoreSession {
    /// Whether the session stopped (or idled out) more than [`FORGET_STOPPED_AFTER`] before `now`.
    fn forgotten_by(&self, now: OffsetDateTime, idle: Duration) -> bool {
        let ended = self.ended_at.or_else(|| self.idle_end(idle));
        let retention = time::Duration::try_from(FORGET_STOPPED_AFTER).unwrap_or(time::Duration::MAX);
        ended.and_then(|ended| ended.checked_add(retention)).is_some_and(|forget_at| now >= forget_at)
    }

    fn reason_bytes(&self) -> usize {
        self.reason.as_ref().map_or(0, String::len)
    }

    /// When it stops (or stopped) by idling, if the clock can get there.
    fn idle_end(&self, idle: Duration) -> Option<OffsetDateTime> {
        self.last_activity.checked_add(time::Duration::try_from(idle).ok()?)
    }

    fn is_stopped(&self, now: OffsetDateTime, idle: Duration) -> bool {
        self.ended_at.is_some() || self.idle_end(idle).is_some_and(|end| now >= end)
    }
}

impl Inner {
    /// The session `id`, unless it is unknown or forgotten by `now` (then it is dropped).
    fn live(&mut self, id: Uuid, now: OffsetDateTime, idle: Duration) -> Option<&mut RestoreSession> {
        if self.sessions.get(&id)?.forgotten_by(now, idle) {
            self.forget(&[id].into_iter().collect());
            return None;
        }
        self.sessions.get_mut(&id)
    }

    fn over_caps(&self, sessions: usize, reason_bytes: usize) -> bool {
        self.sessions.len() > sessions || self.reason_bytes > reason_bytes
    }

    /// Drops the sessions in `ids` from the map and the order.
    fn forget(&mut self, ids: &HashSet<Uuid>) {
        for id in ids {
            if let Some(session) = self.sessions.remove(id) {
                self.reason_bytes -= session.reason_bytes();
            }
        }
        self.order.retain(|id| !ids.contains(id));
    }

    /// One pass over every session: forgets those long stopped, then the oldest stopped and the
    /// oldest working ones until the store is within three quarters of its caps.
    fn sweep(&mut self, now: OffsetDateTime, idle: Duration) {
        let mut gone: HashSet<Uuid> =
            self.sessions.values().filter(|s| s.forgotten_by(now, idle)).map(|s| s.id).collect();
        let (keep_sessions, keep_bytes) = (MAX_RESTORE_SESSIONS * 3 / 4, MAX_RESTORE_REASON_BYTES * 3 / 4);
        let mut count = self.sessions.len() - gone.len();
        let mut bytes: usize =
            self.sessions.values().filter(|s| !gone.contains(&s.id)).map(RestoreSession::reason_bytes).sum();
        for stopped_pass in [true, false] {
            for id in &self.order {
                if count <= keep_sessions && bytes <= keep_bytes {
                    break;
                }
                let Some(session) = self.sessions.get(id) else { continue };
                if gone.contains(id) || session.is_stopped(now, idle) != stopped_pass {
                    continue;
                }
                gone.insert(*id);
                count -= 1;
                bytes -= session.reason_bytes();
            }
        }
        self.forget(&gone);
    }
}

impl RestoreSessions {
    /// Forgets every restore session (a reset).
    pub(crate) fn clear(&self) {
        let mut inner = self.inner.lock();
        inner.sessions.clear();
        inner.order.clear();
        inner.reason_bytes = 0;
    }

    /// Remembers a new session, forgetting long-stopped ones and keeping within the caps.
    pub(crate) fn start(&self, session: RestoreSession, idle: Duration) {
        let now = session.created_at;
        let mut inner = self.inner.lock();
        while let Some(&front) = inner.order.front() {
            if !inner.sessions.get(&front).is_some_and(|s| s.forgotten_by(now, idle)) {
                break;
            }
            inner.order.pop_front();
            if let Some(gone) = inner.sessions.remove(&front) {
                inner.reason_bytes -= gone.reason_bytes();
            }
        }
        inner.reason_bytes += session.reason_bytes();
        inner.order.push_back(session.id);
        inner.sessions.insert(session.id, session);
        if inner.over_caps(MAX_RESTORE_SESSIONS, MAX_RESTORE_REASON_BYTES) {
            inner.sweep(now, idle);
        }
    }

    /// The session `id` as of `now` (stopped if it idled out), marking it active if it works.
    pub(crate) fn touch(&self, id: Uuid, now: OffsetDateTime, idle: Duration) -> Option<RestoreSession> {
        let mut inner = self.inner.lock();
        let session = inner.live(id, now, idle)?;
        session.expire_if_idle(now, idle);
        if session.ended_at.is_none() {
            session.last_activity = now;
        }
        Some(session.clone())
    }

    /// Stops session `id` (stopping a stopped session changes nothing).
    pub(crate) fn stop(&self, id: Uuid, now: OffsetDateTime, idle: Duration) -> Option<RestoreSession> {
        let mut inner = self.inner.lock();
        let session = inner.live(id, now, idle)?;
        session.expire_if_idle(now, idle);
        session.stop(now);
        Some(session.clone())
    }

    /// Stops every session started by login session `owner` (its logout).
    pub(crate) fn stop_owned_by(&self, owner: SessionId, now: OffsetDateTime, idle: Duration) {
        for session in self.inner.lock().sessions.values_mut().filter(|s| s.owner == owner) {
            session.expire_if_idle(now, idle);
            session.stop(now);
        }
    }

    /// How many sessions are remembered.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.inner.lock().sessions.len()
    }
}

/// VB365's token service: its sessions, with the world's key, randomness and clock.
pub(super) fn tokens(world: &World) -> TokenService<'_, Vb365Session> {
    TokenService::new(&world.vb365().sessions, &world.key, &world.random, &world.clock)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2024-08-07 15:56:22 UTC);
    const IDLE: Duration = Duration::from_secs(30 * 60);

    fn session(n: u128, at: OffsetDateTime, reason: Option<String>) -> RestoreSession {
        RestoreSession {
            id: Uuid::from_u128(n),
            organization: Uuid::nil(),
            organization_name: String::new(),
            kind: ExploreType::Vex,
            created_at: at,
            ended_at: None,
            owner: SessionId::for_tests(1),
            initiated_by: "Administrator".into(),
            reason,
            last_activity: at,
            etag: 1,
        }
    }

    #[test]
    fn past_the_count_cap_the_oldest_stopped_go_first_and_the_newest_stay() {
        let store = RestoreSessions::default();
        // The first working session stays working: the clock is frozen and it is touched.
        store.start(session(0, T0, None), IDLE);
        for n in 1..=(MAX_RESTORE_SESSIONS as u128 + 10) {
            store.start(session(n, T0, None), IDLE);
            if n % 2 == 1 {
                store.stop(Uuid::from_u128(n), T0, IDLE);
            }
        }
        assert!(store.len() <= MAX_RESTORE_SESSIONS, "{}", store.len());
        assert!(store.touch(Uuid::from_u128(0), T0, IDLE).is_some(), "working sessions outlive stopped ones");
        assert!(store.touch(Uuid::from_u128(1), T0, IDLE).is_none(), "the oldest stopped went first");
        let newest = Uuid::from_u128(MAX_RESTORE_SESSIONS as u128 + 10);
        assert_eq!(store.touch(newest, T0, IDLE).map(|s| s.id), Some(newest));
    }

    #[test]
    fn client_text_is_capped_in_bytes() {
        let store = RestoreSessions::default();
        let reason = "r".repeat(60_000);
        for n in 0..2_000 {
            store.start(session(n, T0, Some(reason.clone())), IDLE);
        }
        let inner = store.inner.lock();
        assert!(inner.reason_bytes <= MAX_RESTORE_REASON_BYTES, "{}", inner.reason_bytes);
        let held: usize = inner.sessions.values().map(RestoreSession::reason_bytes).sum();
        assert_eq!(held, inner.reason_bytes, "the running total is exact");
        assert_eq!(inner.order.len(), inner.sessions.len());
        assert!(inner.sessions.contains_key(&Uuid::from_u128(1_999)), "the newest stays");
    }

    #[test]
    fn a_stopped_session_is_forgotten_a_day_after_it_stopped() {
        let store = RestoreSessions::default();
        store.start(session(1, T0, None), IDLE);
        store.stop(Uuid::from_u128(1), T0, IDLE);
        let almost = T0 + time::Duration::hours(24) - time::Duration::seconds(1);
        assert!(store.touch(Uuid::from_u128(1), almost, IDLE).is_some());
        assert!(store.touch(Uuid::from_u128(1), T0 + time::Duration::hours(24), IDLE).is_none());
        assert_eq!(store.len(), 0);
        // One that idled out counts from when it stopped by itself; a start drops it.
        store.start(session(2, T0, None), IDLE);
        let later = T0 + time::Duration::minutes(30) + time::Duration::hours(24);
        store.start(session(3, later, None), IDLE);
        assert_eq!(store.len(), 1);
    }
}
