//! The one body reader of the mock: every request body (the products', the control middleware's
//! look at token fields, the admin API's) is read here, with a size cap and a deadline, so that
//! an oversized body gets an answer instead of an actix text page, a huge upload cannot fill
//! memory, and a client that stalls its body cannot hold a connection (and its descriptors).
//!
//! - A `Content-Length` over the cap is refused before a byte of the body is read.
//! - A body that grows over the cap while streaming (chunked) is refused when it does.
//! - The whole body must arrive within the deadline ([`BODY_DEADLINE`], 10 s, the same for every
//!   face), counted from the moment the reader starts. A late body gets `408 Request Timeout`
//!   in the face's own error shape with `Connection: close`, and the connection is closed after
//!   that answer (the `http` layer's `close_after_stalled_body` middleware, which looks for the
//!   [`BodyTimedOut`] mark this reader leaves): the rest of the body never came, so the
//!   connection cannot carry another request, and waiting for it is what a stalling client wants.
//!
//! Each face maps [`BodyError`] to its own error: the products to their 413/408/400 shapes, the
//! admin API to its JSON error. This module knows requests, not faces: it sits below the
//! products and the `http` assembly, which both import it.

use std::time::Duration;

use actix_web::http::header::CONTENT_LENGTH;
use actix_web::web::{Bytes, Payload};
use actix_web::{HttpMessage, HttpRequest};

/// The most a product request body may hold. Real requests are a few hundred bytes; a
/// JWT-bearer assertion (a Microsoft token response) is a few kilobytes.
pub(crate) const MAX_BODY: usize = 64 * 1024;

/// How long a whole body may take to arrive, on every face.
pub(crate) const BODY_DEADLINE: Duration = Duration::from_secs(10);

/// The body deadline in force, as app data (tests shorten it; see
/// [`crate::MockServerBuilder::body_deadline`]). Without it, [`BODY_DEADLINE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BodyDeadline(pub(crate) Duration);

impl Default for BodyDeadline {
    fn default() -> BodyDeadline {
        BodyDeadline(BODY_DEADLINE)
    }
}

/// Why a body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyError {
    /// Larger than the cap (declared, or while streaming).
    TooLarge,
    /// The connection failed or the body was malformed (bad chunked encoding...).
    Unreadable,
    /// The body did not arrive within the deadline.
    TimedOut,
}

/// A body the control middleware has already read (or failed to), kept in the request's
/// extensions so the product answers from the same outcome instead of reading a second time.
#[derive(Debug, Clone)]
pub(crate) struct AlreadyRead(pub(crate) Result<Bytes, BodyError>);

/// Reads a product request's body, capped at [`MAX_BODY`]; the outcome of the control
/// middleware's earlier read when there was one.
pub(crate) async fn read_body(req: &HttpRequest, payload: Payload) -> Result<Bytes, BodyError> {
    let earlier = req.extensions_mut().remove::<AlreadyRead>();
    match earlier {
        Some(AlreadyRead(outcome)) => outcome,
        None => read_limited(req, payload, MAX_BODY).await,
    }
}

/// Reads the whole body, refusing anything over `cap` (by `Content-Length` up front, or while
/// streaming) or not arrived within the deadline.
pub(crate) async fn read_limited(
    req: &HttpRequest,
    payload: Payload,
    cap: usize,
) -> Result<Bytes, BodyError> {
    if declared_length(req).is_some_and(|length| length > cap as u64) {
        return Err(BodyError::TooLarge);
    }
    let deadline = req.app_data::<BodyDeadline>().copied().unwrap_or_default().0;
    match actix_web::rt::time::timeout(deadline, payload.to_bytes_limited(cap)).await {
        Ok(Ok(Ok(bytes))) => Ok(bytes),
        // actix's order: the outer error is the limit, the inner one the connection.
        Ok(Err(_)) => Err(BodyError::TooLarge),
        Ok(Ok(Err(_))) => Err(BodyError::Unreadable),
        Err(_) => {
            req.extensions_mut().insert(BodyTimedOut);
            Err(BodyError::TimedOut)
        }
    }
}

/// Marks a request whose body did not arrive within the deadline (in its extensions), so the
/// connection can be closed after the answer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyTimedOut;

/// The `Content-Length` the client declared, when it is a number.
fn declared_length(req: &HttpRequest) -> Option<u64> {
    req.headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())
}

/// How a deadline reads in an error message: `10 s`, `200 ms`.
pub(crate) fn describe(deadline: Duration) -> String {
    if deadline.subsec_millis() == 0 {
        format!("{} s", deadline.as_secs())
    } else {
        format!("{} ms", deadline.as_millis())
    }
}
