//! What a fault does ([`FaultAction`]) and on which of the matching calls ([`CallSelector`]).

use std::time::Duration;

/// Which of the matching calls a fault fires on (calls are counted from 1, per fault).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CallSelector {
    /// Every matching call.
    Every,
    /// Exactly these calls (`calls = [2, 3]`; at most 1000 numbers).
    Calls(Vec<u64>),
    /// Every call after the n-th (`after = 5`: calls 6, 7, ...).
    After(u64),
    /// Every n-th call (`every = 3`: calls 3, 6, 9, ...).
    EveryNth(u64),
    /// Each call with this probability, from an RNG seeded by the scenario `seed` when given.
    Probability(f64),
}

/// What a fault does to a request it fires on.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FaultAction {
    /// Nothing but the fault's delay: the request is then answered normally.
    DelayOnly,
    /// Answer this status instead of the product: with the product's own error body for the
    /// status unless `body` is given; `429` carries `Retry-After` when `retry_after` is set.
    /// 204, 205 and 304 are sent with no body at all (nor `Content-Type`, `Content-Length` or
    /// `Transfer-Encoding`), as HTTP requires of them.
    Status {
        /// The HTTP status (200-599; no 1xx).
        status: u16,
        /// A body to send instead of the product's error body.
        body: Option<String>,
        /// The body's content type (default `application/json` for a given body).
        content_type: Option<String>,
        /// Extra response headers.
        headers: Vec<(String, String)>,
        /// `Retry-After`, in whole seconds.
        retry_after: Option<Duration>,
    },
    /// Close the connection without answering (the client sees it closed).
    DropConnection,
    /// Abort the connection (`SO_LINGER` 0: the client sees a TCP reset).
    ResetConnection,
    /// The product answers, but the body stops halfway and the connection closes.
    TruncatedBody,
    /// The product answers, but the body is cut to invalid JSON (a complete HTTP message). A
    /// bodiless answer (a logout's 204) is sent as it is: a body after it would be read as the
    /// start of the next answer on the connection.
    MalformedBody,
    /// `200 OK` with an empty body, without asking the product.
    EmptyOk,
    /// Revoke the session of the request's bearer or refresh token, then let the product
    /// answer (which refuses it in its own terms).
    RevokeSession,
    /// End the lifetime of the session's access tokens now, then let the product answer.
    ExpireToken,
}
