//! The token service: what every product does with tokens, whatever their format.
//!
//! - issue a pair for a session: read the clock once, compute both expiries from the
//!   [`Lifetimes`], make both tokens (JWTs signed with one `jti`, or opaque strings), and
//!   remember them in the product's [`SessionStore`];
//! - refresh: check a refresh token against the clock and, with [`Rotation::Rotate`], use it
//!   up atomically;
//! - authenticate a bearer against the clock.
//!
//! Every refusal is a [`Rejection`], which each product maps to its own error body. The
//! products keep what is theirs: the claims (a callback given a [`TokenStamp`]), the body that
//! carries the pair, the error shapes. Reading the bearer out of a request is the request
//! helpers' job (`crate::request::bearer`); this module sees only strings.
//!
//! Tokens are made in a fixed order (the `jti`, then the access token, then the refresh one),
//! so a scenario `seed` reproduces them.

use std::time::Duration;

use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::ids::Randomness;
use super::keys::{JwtAlgorithm, SigningFailed, SigningKey};
use super::sessions::{Authenticated, IssuedPair, Rejection, SessionId, SessionStore, TokenKind};
use crate::clock::{Clock, later};

/// How long the two tokens of a pair live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Lifetimes {
    /// The access token's lifetime.
    pub(crate) access: Duration,
    /// The refresh token's lifetime.
    pub(crate) refresh: Duration,
}

/// What the service fixes for one token of a pair, for the product's claims callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TokenStamp {
    /// Which half of the pair this token is.
    pub(crate) kind: TokenKind,
    /// The pair's `jti`: both tokens of a pair share it.
    pub(crate) jti: Uuid,
    /// When the pair is issued.
    pub(crate) issued_at: OffsetDateTime,
    /// When this token expires.
    pub(crate) expires_at: OffsetDateTime,
}

/// Whether a refresh uses its refresh token up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rotation {
    /// The token is used up (atomically: of concurrent refreshes with it, exactly one passes).
    Rotate,
    /// The token stays good until it expires (it is only checked).
    Reuse,
}

/// The token service of one product: its session store, the signing key, the randomness and
/// the scenario clock. Cheap to make, one per request.
#[derive(Debug)]
pub(crate) struct TokenService<'a, P> {
    store: &'a SessionStore<P>,
    key: &'a SigningKey,
    random: &'a Randomness,
    clock: &'a Clock,
}

impl<'a, P> TokenService<'a, P> {
    /// The service of the product whose sessions `store` keeps.
    pub(crate) fn new(
        store: &'a SessionStore<P>,
        key: &'a SigningKey,
        random: &'a Randomness,
        clock: &'a Clock,
    ) -> TokenService<'a, P> {
        TokenService { store, key, random, clock }
    }

    /// Starts a session (a login) carrying `payload`; its pairs are issued to the id.
    pub(crate) fn open(&self, payload: P) -> SessionId {
        self.store.open(payload)
    }

    /// Issues `session` a pair of JWTs signed with `algorithm`: one fresh `jti` for both, and
    /// each token's claims from `claims`, called for the access token, then the refresh token.
    pub(crate) fn issue_jwt_pair<C: Serialize>(
        &self,
        session: SessionId,
        lifetimes: Lifetimes,
        algorithm: JwtAlgorithm,
        claims: impl Fn(&TokenStamp) -> C,
    ) -> Result<IssuedPair, SigningFailed> {
        self.issue(session, lifetimes, |issued_at, access_expires_at, refresh_expires_at| {
            let jti = self.random.uuid();
            let sign = |kind, expires_at| {
                self.key.sign(algorithm, &claims(&TokenStamp { kind, jti, issued_at, expires_at }))
            };
            Ok((sign(TokenKind::Access, access_expires_at)?, sign(TokenKind::Refresh, refresh_expires_at)?))
        })
    }

    /// Issues `session` a pair of opaque tokens, each made by `mint` (access first).
    pub(crate) fn issue_opaque_pair(
        &self,
        session: SessionId,
        lifetimes: Lifetimes,
        mint: impl Fn(&Randomness) -> String,
    ) -> IssuedPair {
        self.issue(session, lifetimes, |_, _, _| {
            Ok::<_, std::convert::Infallible>((mint(self.random), mint(self.random)))
        })
        .unwrap_or_else(|never| match never {})
    }

    /// Checks a refresh token against the clock; [`Rotation::Rotate`] also uses it up.
    pub(crate) fn refresh(&self, token: &str, rotation: Rotation) -> Result<Authenticated<P>, Rejection> {
        let now = self.clock.now();
        match rotation {
            Rotation::Rotate => self.store.redeem_refresh(token, now),
            Rotation::Reuse => self.store.peek_refresh(token, now),
        }
    }

    /// Checks a refresh token and, when `accept` takes what it found (a product's own rule,
    /// such as VB365's antiforgery check), uses it up, both at one instant of the clock.
    /// `Ok(None)` when `accept` refused: the token stays good.
    pub(crate) fn redeem_refresh_if(
        &self,
        token: &str,
        accept: impl FnOnce(&Authenticated<P>) -> bool,
    ) -> Result<Option<Authenticated<P>>, Rejection> {
        let now = self.clock.now();
        if !accept(&self.store.peek_refresh(token, now)?) {
            return Ok(None);
        }
        self.store.redeem_refresh(token, now).map(Some)
    }

    /// Checks a bearer (an access token; `None` when the request had none) against the clock.
    pub(crate) fn authenticate(&self, bearer: Option<&str>) -> Result<Authenticated<P>, Rejection> {
        let token = bearer.ok_or(Rejection::Missing)?;
        self.store.check_access(token, self.clock.now())
    }

    /// The common path of both issues: one `now`, both expiries, the two tokens from `make`
    /// (given `now` and the two expiries), then the pair remembered.
    fn issue<E>(
        &self,
        session: SessionId,
        lifetimes: Lifetimes,
        make: impl FnOnce(OffsetDateTime, OffsetDateTime, OffsetDateTime) -> Result<(String, String), E>,
    ) -> Result<IssuedPair, E> {
        let issued_at = self.clock.now();
        let access_expires_at = later(issued_at, lifetimes.access);
        let refresh_expires_at = later(issued_at, lifetimes.refresh);
        let (access, refresh) = make(issued_at, access_expires_at, refresh_expires_at)?;
        let pair = IssuedPair { issued_at, access, access_expires_at, refresh, refresh_expires_at };
        self.store.add_pair(session, &pair, issued_at);
        Ok(pair)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    const T0: OffsetDateTime = datetime!(2024-08-07 15:56:22 UTC);
    const HOUR: Duration = Duration::from_secs(3600);
    const LIFETIMES: Lifetimes = Lifetimes { access: HOUR, refresh: Duration::from_secs(7200) };

    struct Parts {
        store: SessionStore<&'static str>,
        key: std::sync::Arc<SigningKey>,
        random: Randomness,
        clock: Clock,
    }

    impl Parts {
        fn new() -> Parts {
            Parts {
                store: SessionStore::default(),
                key: SigningKey::test_key(),
                random: Randomness::new(Some(7)),
                clock: Clock::frozen(T0),
            }
        }

        fn service(&self) -> TokenService<'_, &'static str> {
            TokenService::new(&self.store, &self.key, &self.random, &self.clock)
        }
    }

    #[test]
    fn a_jwt_pair_shares_one_jti_and_is_remembered() {
        let parts = Parts::new();
        let tokens = parts.service();
        let session = tokens.open("Administrator");
        let stamps = std::cell::RefCell::new(Vec::new());
        let pair = tokens
            .issue_jwt_pair(session, LIFETIMES, JwtAlgorithm::RS256, |stamp| {
                stamps.borrow_mut().push(*stamp);
                serde_json::json!({"exp": stamp.expires_at.unix_timestamp()})
            })
            .expect("signs");
        let stamps = stamps.into_inner();
        assert_eq!(
            stamps.iter().map(|s| s.kind).collect::<Vec<_>>(),
            [TokenKind::Access, TokenKind::Refresh]
        );
        assert_eq!(stamps[0].jti, stamps[1].jti);
        assert_eq!((pair.issued_at, pair.access_expires_at), (T0, T0 + HOUR));
        assert_eq!(stamps[1].expires_at, T0 + 2 * HOUR);
        assert_eq!(*tokens.authenticate(Some(&pair.access)).expect("good").payload, "Administrator");
        assert_eq!(tokens.authenticate(None).unwrap_err(), Rejection::Missing);
        assert_eq!(tokens.authenticate(Some(&pair.refresh)).unwrap_err(), Rejection::WrongKind);
    }

    #[test]
    fn a_refresh_rotates_only_when_asked_and_bearers_expire_on_the_clock() {
        let parts = Parts::new();
        let tokens = parts.service();
        let session = tokens.open("u");
        let pair = tokens.issue_opaque_pair(session, LIFETIMES, |random| random.uuid().to_string());
        assert!(tokens.refresh(&pair.refresh, Rotation::Reuse).is_ok());
        assert!(tokens.refresh(&pair.refresh, Rotation::Rotate).is_ok());
        assert_eq!(tokens.refresh(&pair.refresh, Rotation::Rotate).unwrap_err(), Rejection::AlreadyUsed);
        parts.clock.advance(HOUR);
        assert_eq!(tokens.authenticate(Some(&pair.access)).unwrap_err(), Rejection::Expired(T0 + HOUR));
    }

    #[test]
    fn the_same_seed_mints_the_same_tokens() {
        let mint = || {
            let parts = Parts::new();
            let tokens = parts.service();
            let session = tokens.open("u");
            tokens.issue_opaque_pair(session, LIFETIMES, |random| random.uuid().to_string()).access
        };
        assert_eq!(mint(), mint());
    }
}
