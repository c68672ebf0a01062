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
//!   that answer ([`close_after_stalled_body`]): the rest of the body never came, so the
//!   connection cannot carry another request, and waiting for it is what a stalling client wants.
//!
//! Each face maps [`BodyError`] to its own error: the products to their 413/408/400 shapes, the
//! admin API to its JSON error.

use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::ConnectionType;
use actix_web::http::header::CONTENT_LENGTH;
use actix_web::middleware::Next;
use actix_web::web::{Bytes, Payload};
use actix_web::{Error, HttpMessage, HttpRequest};

use super::connection::ConnectionSocket;

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

/// Marks a request whose body did not arrive within the deadline.
#[derive(Debug, Clone, Copy)]
struct BodyTimedOut;

/// How long the answer to a stalled body has to reach the client before the connection is
/// closed under it.
const CLOSE_AFTER_ANSWER: Duration = Duration::from_secs(1);

/// Middleware (wrap it with `middleware::from_fn`): the answer to a request whose body timed
/// out says `Connection: close`, and the connection is closed [`CLOSE_AFTER_ANSWER`] later.
/// actix closes a connection with an unread `Content-Length` body itself, but keeps a chunked
/// one open to drain the rest of the body, with no timer: a stalling client would hold it.
pub(crate) async fn close_after_stalled_body(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let mut response = next.call(req).await?;
    if response.request().extensions().contains::<BodyTimedOut>() {
        response.response_mut().head_mut().set_connection_type(ConnectionType::Close);
        if let Some(socket) = response.request().conn_data::<ConnectionSocket>() {
            socket.close_after(CLOSE_AFTER_ANSWER);
        }
    }
    Ok(response)
}

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
