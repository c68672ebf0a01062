//! The session store: every token pair issued, its expiry and its revocation.
//!
//! A session is one login. It holds a product-defined payload (who logged in, how, with what
//! antiforgery token) and every token issued to it: the first pair at login and one more per
//! refresh. Tokens are looked up by their exact text, so a forged or altered token is unknown.
//!
//! Rules, all checked against the scenario clock passed in:
//! - an access token is good until its expiry, unless its session was revoked (logout);
//! - a refresh token can be redeemed once (rotation): the redeem is atomic, so of many
//!   concurrent refreshes with one token exactly one succeeds;
//! - an access token is never accepted as a refresh token, nor a refresh token as a bearer.
//!
//! Entries expired for more than [`PRUNE_GRACE`] are dropped from time to time so that a long
//! run does not grow without bound; a pruned token then reads as unknown, which clients see
//! exactly as they see an expired one.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use parking_lot::RwLock;
use time::OffsetDateTime;

use crate::clock::shifted;

/// How long expired tokens are remembered (so they are reported as expired, not unknown).
const PRUNE_GRACE: time::Duration = time::Duration::days(1);
/// The store is not pruned below this many tokens.
const PRUNE_FLOOR: usize = 4096;
/// The most tokens remembered. Beyond it the oldest sessions are forgotten (their tokens then
/// read as unknown, as after a server restart), so a long soak keeps memory flat: a VB365 JWT
/// is about a kilobyte, so this is some 20 MB at most.
const MAX_TOKENS: usize = 20_000;

/// Identifies one login session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct SessionId(u64);

impl SessionId {
    /// A session id for other modules' unit tests.
    #[cfg(test)]
    pub(crate) fn for_tests(n: u64) -> SessionId {
        SessionId(n)
    }
}

/// Which half of a pair a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// The bearer token of protected calls.
    Access,
    /// The token a refresh grant redeems for a new pair.
    Refresh,
}

/// Why a token was refused: the one vocabulary of both products, each of which maps it to its
/// own error body (a bearer challenge, a refused refresh grant).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rejection {
    /// No token was sent at all.
    Missing,
    /// Never issued by this mock (or altered, or pruned long after expiry).
    Unknown,
    /// Issued, but its lifetime ended at this instant.
    Expired(OffsetDateTime),
    /// Its session was logged out or revoked.
    Revoked,
    /// An access token where a refresh token belongs, or the other way round.
    WrongKind,
    /// A refresh token that was already redeemed.
    AlreadyUsed,
}

impl Rejection {
    /// Why a refresh token was refused, in the words both products use for a refused
    /// refresh grant (the real texts are not public; these are the mock's).
    pub(crate) fn refresh_reason(self) -> &'static str {
        match self {
            Rejection::Expired(_) => "The refresh token has expired.",
            Rejection::Revoked => "The refresh token has been revoked.",
            Rejection::AlreadyUsed => "The refresh token has already been used.",
            Rejection::Missing | Rejection::Unknown | Rejection::WrongKind => "The refresh token is invalid.",
        }
    }
}

/// A token pair just minted ([`super::TokenService`]) and remembered.
#[derive(Debug)]
pub(crate) struct IssuedPair {
    /// When the pair was minted (the scenario clock's `now`).
    pub(crate) issued_at: OffsetDateTime,
    /// The access token.
    pub(crate) access: String,
    /// When the access token expires.
    pub(crate) access_expires_at: OffsetDateTime,
    /// The refresh token.
    pub(crate) refresh: String,
    /// When the refresh token expires.
    pub(crate) refresh_expires_at: OffsetDateTime,
}

/// A token that passed its check: its session and the session's payload.
#[derive(Debug)]
pub(crate) struct Authenticated<P> {
    pub(crate) session: SessionId,
    pub(crate) payload: Arc<P>,
}

#[derive(Debug)]
struct TokenEntry {
    session: SessionId,
    kind: TokenKind,
    expires_at: OffsetDateTime,
    used: bool,
}

#[derive(Debug)]
struct SessionEntry<P> {
    payload: Arc<P>,
    revoked: bool,
}

#[derive(Debug)]
struct Inner<P> {
    tokens: HashMap<String, TokenEntry>,
    sessions: HashMap<SessionId, SessionEntry<P>>,
    next_session: u64,
    prune_at: usize,
}

/// Every session and token of one product.
#[derive(Debug)]
pub(crate) struct SessionStore<P> {
    inner: RwLock<Inner<P>>,
}

impl<P> Default for SessionStore<P> {
    fn default() -> Self {
        SessionStore {
            inner: RwLock::new(Inner {
                tokens: HashMap::new(),
                sessions: HashMap::new(),
                next_session: 1,
                prune_at: PRUNE_FLOOR,
            }),
        }
    }
}

impl<P> SessionStore<P> {
    /// Starts a session (a login) carrying `payload`.
    pub(super) fn open(&self, payload: P) -> SessionId {
        let mut inner = self.inner.write();
        let id = SessionId(inner.next_session);
        inner.next_session += 1;
        inner.sessions.insert(id, SessionEntry { payload: Arc::new(payload), revoked: false });
        id
    }

    /// Remembers a pair issued to `session`.
    pub(super) fn add_pair(&self, session: SessionId, pair: &IssuedPair, now: OffsetDateTime) {
        let mut inner = self.inner.write();
        if inner.tokens.len() >= inner.prune_at {
            inner.prune(now);
        }
        let entry = |kind, expires_at| TokenEntry { session, kind, expires_at, used: false };
        inner.tokens.insert(pair.access.clone(), entry(TokenKind::Access, pair.access_expires_at));
        inner.tokens.insert(pair.refresh.clone(), entry(TokenKind::Refresh, pair.refresh_expires_at));
    }

    /// Checks a bearer token.
    pub(super) fn check_access(
        &self,
        token: &str,
        now: OffsetDateTime,
    ) -> Result<Authenticated<P>, Rejection> {
        self.inner.read().check(token, TokenKind::Access, now)
    }

    /// Checks a refresh token without using it up.
    pub(super) fn peek_refresh(
        &self,
        token: &str,
        now: OffsetDateTime,
    ) -> Result<Authenticated<P>, Rejection> {
        self.inner.read().check(token, TokenKind::Refresh, now)
    }

    /// Checks a refresh token and marks it used, atomically: it will not pass again.
    pub(super) fn redeem_refresh(
        &self,
        token: &str,
        now: OffsetDateTime,
    ) -> Result<Authenticated<P>, Rejection> {
        let mut inner = self.inner.write();
        let found = inner.check(token, TokenKind::Refresh, now)?;
        if let Some(entry) = inner.tokens.get_mut(token) {
            entry.used = true;
        }
        Ok(found)
    }

    /// Revokes a session: every token it was ever issued is refused from now on.
    pub(crate) fn revoke(&self, session: SessionId) {
        if let Some(entry) = self.inner.write().sessions.get_mut(&session) {
            entry.revoked = true;
        }
    }

    /// Revokes the session `token` belongs to (an access or a refresh token); false when the
    /// token is unknown.
    pub(crate) fn revoke_holding(&self, token: &str) -> bool {
        let mut inner = self.inner.write();
        let Some(session) = inner.tokens.get(token).map(|entry| entry.session) else { return false };
        if let Some(entry) = inner.sessions.get_mut(&session) {
            entry.revoked = true;
        }
        true
    }

    /// Ends, at `now`, the lifetime of every access token of the session `token` belongs to;
    /// false when the token is unknown.
    pub(crate) fn expire_holding(&self, token: &str, now: OffsetDateTime) -> bool {
        let mut inner = self.inner.write();
        let Some(session) = inner.tokens.get(token).map(|entry| entry.session) else { return false };
        for entry in inner.tokens.values_mut() {
            if entry.session == session && entry.kind == TokenKind::Access && entry.expires_at > now {
                entry.expires_at = now;
            }
        }
        true
    }

    /// Revokes every session (a "server restarted" for clients).
    pub(crate) fn revoke_all(&self) {
        for entry in self.inner.write().sessions.values_mut() {
            entry.revoked = true;
        }
    }

    /// Forgets every session and token (a reset).
    pub(crate) fn clear(&self) {
        let mut inner = self.inner.write();
        inner.tokens.clear();
        inner.sessions.clear();
        inner.prune_at = PRUNE_FLOOR;
    }

    /// How many tokens are remembered (for tests and the memory cap).
    #[cfg(test)]
    pub(crate) fn token_count(&self) -> usize {
        self.inner.read().tokens.len()
    }
}

/// What a World does with a product's sessions without knowing its payload: revoke, expire,
/// forget. Every [`SessionStore`] is one.
pub(crate) trait Sessions: Send + Sync {
    /// Revokes the session `token` belongs to; false when the token is unknown.
    fn revoke_holding(&self, token: &str) -> bool;
    /// Ends at `now` every access token of the session `token` belongs to; false when the token
    /// is unknown.
    fn expire_holding(&self, token: &str, now: OffsetDateTime) -> bool;
    /// Revokes every session.
    fn revoke_all(&self);
    /// Forgets every session and token.
    fn clear(&self);
}

impl<P: Send + Sync> Sessions for SessionStore<P> {
    fn revoke_holding(&self, token: &str) -> bool {
        SessionStore::revoke_holding(self, token)
    }

    fn expire_holding(&self, token: &str, now: OffsetDateTime) -> bool {
        SessionStore::expire_holding(self, token, now)
    }

    fn revoke_all(&self) {
        SessionStore::revoke_all(self);
    }

    fn clear(&self) {
        SessionStore::clear(self);
    }
}

impl<P> Inner<P> {
    fn check(
        &self,
        token: &str,
        kind: TokenKind,
        now: OffsetDateTime,
    ) -> Result<Authenticated<P>, Rejection> {
        let entry = self.tokens.get(token).ok_or(Rejection::Unknown)?;
        let session = self.sessions.get(&entry.session).ok_or(Rejection::Unknown)?;
        if entry.kind != kind {
            return Err(Rejection::WrongKind);
        }
        if session.revoked {
            return Err(Rejection::Revoked);
        }
        if now >= entry.expires_at {
            return Err(Rejection::Expired(entry.expires_at));
        }
        if entry.used {
            return Err(Rejection::AlreadyUsed);
        }
        Ok(Authenticated { session: entry.session, payload: Arc::clone(&session.payload) })
    }

    /// Drops tokens long expired, then the oldest sessions while over [`MAX_TOKENS`] (down to
    /// three quarters of it, so eviction is rare), then the sessions whose last token went.
    ///
    /// A session without tokens is not necessarily dead: a login opens its session, signs its
    /// pair (a millisecond), then adds it, and another login's prune can run in between. So
    /// only sessions that lost tokens here are dropped (the soak test found logins whose
    /// session had been pruned before their first token arrived).
    fn prune(&mut self, now: OffsetDateTime) {
        let mut emptied = HashSet::new();
        self.tokens.retain(|_, entry| {
            let keep = shifted(entry.expires_at, PRUNE_GRACE) > now;
            if !keep {
                emptied.insert(entry.session);
            }
            keep
        });
        if self.tokens.len() >= MAX_TOKENS {
            let mut per_session: HashMap<SessionId, usize> = HashMap::new();
            for entry in self.tokens.values() {
                *per_session.entry(entry.session).or_default() += 1;
            }
            let mut oldest_first: Vec<(SessionId, usize)> = per_session.into_iter().collect();
            oldest_first.sort_unstable_by_key(|(id, _)| id.0);
            let mut excess = self.tokens.len() - MAX_TOKENS * 3 / 4;
            let mut evicted = HashSet::new();
            for (id, count) in oldest_first {
                if excess == 0 {
                    break;
                }
                evicted.insert(id);
                excess = excess.saturating_sub(count);
            }
            // Only the evicted sessions lose their tokens; a session that merely had one token
            // expire above keeps the others (a refresh token outlives its access token).
            self.tokens.retain(|_, entry| !evicted.contains(&entry.session));
            emptied.extend(evicted);
        }
        let live: HashSet<SessionId> = self.tokens.values().map(|e| e.session).collect();
        self.sessions.retain(|id, _| !emptied.contains(id) || live.contains(id));
        self.prune_at = (self.tokens.len() * 2).clamp(PRUNE_FLOOR, MAX_TOKENS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2024-08-07 15:56:22 UTC);

    fn pair(n: u32) -> IssuedPair {
        IssuedPair {
            issued_at: T0,
            access: format!("access-{n}"),
            access_expires_at: T0 + time::Duration::hours(1),
            refresh: format!("refresh-{n}"),
            refresh_expires_at: T0 + time::Duration::hours(2),
        }
    }

    fn store_with_one_login() -> (SessionStore<&'static str>, SessionId) {
        let store = SessionStore::default();
        let session = store.open("Administrator");
        store.add_pair(session, &pair(1), T0);
        (store, session)
    }

    #[test]
    fn an_access_token_is_good_until_it_expires() {
        let (store, session) = store_with_one_login();
        let found = store.check_access("access-1", T0).expect("valid");
        assert_eq!(found.session, session);
        assert_eq!(*found.payload, "Administrator");
        let expiry = T0 + time::Duration::hours(1);
        assert_eq!(store.check_access("access-1", expiry).unwrap_err(), Rejection::Expired(expiry));
        assert_eq!(store.check_access("access-2", T0).unwrap_err(), Rejection::Unknown);
    }

    #[test]
    fn tokens_are_refused_in_the_wrong_role() {
        let (store, _) = store_with_one_login();
        assert_eq!(store.check_access("refresh-1", T0).unwrap_err(), Rejection::WrongKind);
        assert_eq!(store.redeem_refresh("access-1", T0).unwrap_err(), Rejection::WrongKind);
    }

    #[test]
    fn a_refresh_token_is_redeemed_once() {
        let (store, _) = store_with_one_login();
        assert!(store.peek_refresh("refresh-1", T0).is_ok());
        assert!(store.redeem_refresh("refresh-1", T0).is_ok());
        assert_eq!(store.redeem_refresh("refresh-1", T0).unwrap_err(), Rejection::AlreadyUsed);
    }

    #[test]
    fn revoking_a_session_kills_every_token_it_was_issued() {
        let (store, session) = store_with_one_login();
        store.add_pair(session, &pair(2), T0);
        store.revoke(session);
        for token in ["access-1", "access-2"] {
            assert_eq!(store.check_access(token, T0).unwrap_err(), Rejection::Revoked);
        }
        assert_eq!(store.redeem_refresh("refresh-2", T0).unwrap_err(), Rejection::Revoked);
    }

    #[test]
    fn a_token_names_its_session_for_revocation_and_early_expiry() {
        let (store, session) = store_with_one_login();
        store.add_pair(session, &pair(2), T0);
        assert!(store.expire_holding("refresh-2", T0));
        assert_eq!(store.check_access("access-1", T0).unwrap_err(), Rejection::Expired(T0));
        assert!(store.peek_refresh("refresh-1", T0).is_ok(), "refresh tokens keep their lifetime");
        assert!(store.revoke_holding("access-2"));
        assert_eq!(store.peek_refresh("refresh-1", T0).unwrap_err(), Rejection::Revoked);
        assert!(!store.revoke_holding("nothing"));
        store.clear();
        assert_eq!(store.token_count(), 0);
    }

    #[test]
    fn a_session_opened_but_not_yet_given_its_pair_survives_a_prune() {
        let store = SessionStore::default();
        let waiting = store.open("signing its pair");
        for n in 0..(PRUNE_FLOOR as u32 / 2 + 1) {
            let session = store.open("u");
            store.add_pair(session, &pair(n), T0 + time::Duration::days(3));
        }
        store.add_pair(waiting, &pair(999_999), T0);
        assert!(store.check_access("access-999999", T0).is_ok(), "its session was kept");
    }

    #[test]
    fn an_eviction_spares_the_live_tokens_of_sessions_it_does_not_evict() {
        // Filled past the cap directly, so that one prune both drops an expired token and evicts.
        let store = SessionStore::default();
        let later = T0 + time::Duration::days(3);
        let long = |n: u32| IssuedPair {
            access_expires_at: T0 + time::Duration::days(10),
            refresh_expires_at: T0 + time::Duration::days(20),
            ..pair(n)
        };
        let recent_pair = IssuedPair { refresh_expires_at: T0 + time::Duration::days(20), ..pair(1_000_000) };
        let mut inner = store.inner.write();
        let add = |inner: &mut Inner<&'static str>, issued: &IssuedPair| {
            let session = SessionId(inner.next_session);
            inner.next_session += 1;
            inner.sessions.insert(session, SessionEntry { payload: Arc::new("u"), revoked: false });
            for (token, kind, expires_at) in [
                (&issued.access, TokenKind::Access, issued.access_expires_at),
                (&issued.refresh, TokenKind::Refresh, issued.refresh_expires_at),
            ] {
                inner.tokens.insert(token.clone(), TokenEntry { session, kind, expires_at, used: false });
            }
        };
        for n in 0..(MAX_TOKENS as u32 / 2) {
            add(&mut inner, &long(n));
        }
        // The newest session: its access token expired long ago, its refresh token is good.
        add(&mut inner, &recent_pair);
        inner.prune(later);
        drop(inner);

        assert!(store.token_count() < MAX_TOKENS, "the oldest sessions were evicted");
        assert_eq!(store.check_access("access-0", later).unwrap_err(), Rejection::Unknown);
        assert!(store.peek_refresh("refresh-1000000", later).is_ok(), "the recent refresh token stays");
    }

    #[test]
    fn beyond_the_cap_the_oldest_sessions_are_forgotten() {
        let store = SessionStore::default();
        for n in 0..(MAX_TOKENS as u32 / 2 + 1) {
            let session = store.open("u");
            store.add_pair(session, &pair(n), T0);
        }
        assert!(store.token_count() <= MAX_TOKENS, "{}", store.token_count());
        assert_eq!(
            store.check_access("access-0", T0).unwrap_err(),
            Rejection::Unknown,
            "the oldest went first"
        );
        let newest = format!("access-{}", MAX_TOKENS / 2);
        assert!(store.check_access(&newest, T0).is_ok(), "the newest stays");
        assert!(store.inner.read().sessions.len() * 2 == store.token_count(), "no session without tokens");
    }

    #[test]
    fn long_expired_tokens_are_pruned_once_the_store_is_large() {
        let store = SessionStore::default();
        for n in 0..(PRUNE_FLOOR as u32 / 2) {
            let session = store.open("u");
            store.add_pair(session, &pair(n), T0);
        }
        assert_eq!(store.token_count(), PRUNE_FLOOR);
        let later = T0 + time::Duration::days(3);
        let session = store.open("u");
        store.add_pair(session, &pair(999_999), later);
        assert_eq!(store.token_count(), 2, "only the new pair is left");
        let expiry = T0 + time::Duration::hours(1);
        let found = store.check_access("access-999999", later);
        assert_eq!(
            found.unwrap_err(),
            Rejection::Expired(expiry),
            "known, so the login that pruned kept its session"
        );
    }
}
