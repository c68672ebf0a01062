//! Reading request bodies with a size cap, so an oversized body gets the product's 413 instead
//! of an actix text page, and a huge upload cannot fill memory.

use actix_web::HttpRequest;
use actix_web::http::header::CONTENT_LENGTH;
use actix_web::web::{Bytes, Payload};

/// The most a token request body may hold. Real requests are a few hundred bytes; a JWT-bearer
/// assertion (a Microsoft token response) is a few kilobytes.
pub(crate) const MAX_BODY: usize = 64 * 1024;

/// How long a whole body may take to arrive.
pub(crate) const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Why a body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyError {
    /// Larger than [`MAX_BODY`].
    TooLarge,
    /// The connection failed or the body was malformed (bad chunked encoding...).
    Unreadable,
}

/// Reads the whole body, refusing anything over [`MAX_BODY`] (by `Content-Length` up front, or
/// while streaming).
pub(crate) async fn read_body(req: &HttpRequest, payload: Payload) -> Result<Bytes, BodyError> {
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY as u64) {
        return Err(BodyError::TooLarge);
    }
    // A client that trickles its body (or stops sending) cannot pin a worker's request for ever.
    match actix_web::rt::time::timeout(BODY_TIMEOUT, payload.to_bytes_limited(MAX_BODY)).await {
        Ok(Ok(Ok(bytes))) => Ok(bytes),
        // actix's order: the outer error is the limit, the inner one the connection.
        Ok(Err(_)) => Err(BodyError::TooLarge),
        Ok(Ok(Err(_))) | Err(_) => Err(BodyError::Unreadable),
    }
}
