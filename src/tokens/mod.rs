//! The product-neutral token service: signing keys, JWT minting, random ids and the session
//! store (issue, validate against the clock, refresh with rotation, revoke).
//!
//! Products decide what goes into a token (claims, names, formats); this module signs it and
//! remembers it ([`TokenService`]), and says why a token was refused in one vocabulary
//! ([`Rejection`]). It knows nothing of HTTP or of the products.
//!
//! Bearer checks look the token up in the [`SessionStore`] instead of verifying RSA on every
//! call: a token the mock did not issue, or one altered by a single byte, is simply not found.

mod ids;
mod keys;
mod service;
mod sessions;

pub(crate) use ids::Randomness;
pub(crate) use keys::JwtAlgorithm;
pub use keys::{CERTIFICATE_PEM, PUBLIC_KEY_PEM, SigningKey};
pub(crate) use service::{Lifetimes, Rotation, TokenService, TokenStamp};
pub(crate) use sessions::{
    Authenticated, IssuedPair, Rejection, SessionId, SessionStore, Sessions, TokenKind,
};
