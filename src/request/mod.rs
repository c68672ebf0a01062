//! Reading requests, below the products and the `http` assembly: the bearer token
//! ([`bearer`]), the body with its cap and deadline ([`body`]) and media types ([`media`]).
//!
//! Product-neutral: every face (both products, the admin API, the control middleware) reads
//! requests through these, so they cannot disagree about what a request carries. Each face maps
//! the outcomes to its own error body; nothing here renders an answer.

pub(crate) mod bearer;
pub(crate) mod body;
pub(crate) mod media;

/// The path as the client sent it, kept in the request's extensions (for the journal, and for
/// a declared route's path parameters in their own letter case) when normalization changed it.
#[derive(Debug, Clone)]
pub(crate) struct OriginalPath(pub(crate) String);
