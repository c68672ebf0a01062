//! Reading requests, below the products and the `http` assembly: the bearer token
//! ([`bearer`]), the body with its cap and deadline ([`body`]), ASP.NET-style form binding
//! ([`form`]) and media types ([`media`]).
//!
//! Product-neutral: every face (both products, the admin API, the control middleware) reads
//! requests through these, so they cannot disagree about what a request carries. Each face maps
//! the outcomes to its own error body; nothing here renders an answer.

pub(crate) mod bearer;
pub(crate) mod body;
pub(crate) mod form;
pub(crate) mod media;

/// The path as the client sent it, kept in the request's extensions (for the journal, and for
/// a declared route's path parameters in their own letter case) when normalization changed it.
#[derive(Debug, Clone)]
pub(crate) struct OriginalPath(pub(crate) String);

/// The path as the client sent it (before normalization lowered its case and dropped extra
/// slashes): what the products echo in their 404s, as the real servers do.
pub(crate) fn path_as_sent(req: &actix_web::HttpRequest) -> String {
    use actix_web::HttpMessage;
    req.extensions()
        .get::<OriginalPath>()
        .map_or_else(|| req.path().to_owned(), |original| original.0.clone())
}
