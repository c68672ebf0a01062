//! Turning a fault's decision into what the client sees: a status in the product's error
//! shape (204, 205 and 304 with no body), a delay, a dropped or reset connection, a cut or
//! malformed body (a product's bodiless 204 stays bodiless), an empty 200.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{
    CONTENT_LENGTH, CONTENT_TYPE, HeaderName, HeaderValue, RETRY_AFTER, TRANSFER_ENCODING,
};
use actix_web::web::Bytes;
use actix_web::{HttpResponse, HttpResponseBuilder};

use super::connection::ConnectionSocket;
use crate::products;
use crate::scenario::{FaultAction, is_bodiless};

/// How long a cut body waits after its first half, so that half reaches the client before the
/// connection is closed.
const CUT_AFTER: Duration = Duration::from_millis(50);

/// Headers that announce a body, left out of a bodiless answer (204, 205, 304) even when the
/// fault lists them.
const BODY_HEADERS: [HeaderName; 3] = [CONTENT_TYPE, CONTENT_LENGTH, TRANSFER_ENCODING];

/// A fault's status (checked to be 200-599 when the fault was made).
fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The answer for a fault that replaces the product's answer entirely; `None` for actions that
/// need the product's answer first (or none at all).
pub(crate) fn replacement(req: &ServiceRequest, action: &FaultAction) -> Option<HttpResponse> {
    match action {
        FaultAction::Status { status, body, content_type, headers, retry_after } => {
            let bodiless = is_bodiless(*status);
            let mut response = match body {
                // 204, 205, 304: no body, and nothing that announces one (a body after such a
                // status line would be read as the start of the next answer).
                _ if bodiless => HttpResponseBuilder::new(status_code(*status)).finish(),
                Some(body) => {
                    // Checked when the fault was made; a builder's unsendable value (which
                    // would turn the answer into actix's text 500) falls back to the default.
                    let content_type = content_type
                        .as_deref()
                        .and_then(|text| HeaderValue::from_str(text).ok())
                        .unwrap_or(HeaderValue::from_static("application/json; charset=utf-8"));
                    HttpResponseBuilder::new(status_code(*status))
                        .insert_header((CONTENT_TYPE, content_type))
                        .body(body.clone())
                }
                None => products::status_error(req.request(), *status),
            };
            for (name, value) in headers {
                if let (Ok(name), Ok(value)) =
                    (HeaderName::try_from(name.as_str()), HeaderValue::from_str(value))
                {
                    if bodiless && BODY_HEADERS.contains(&name) {
                        continue;
                    }
                    response.headers_mut().insert(name, value);
                }
            }
            if let Some(after) = retry_after {
                // Whole seconds, rounded up: `Retry-After: 0` would invite an immediate retry.
                let seconds = after.as_secs() + u64::from(after.subsec_nanos() > 0);
                response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(seconds));
            }
            Some(response)
        }
        FaultAction::EmptyOk => Some(HttpResponse::Ok().finish()),
        FaultAction::DropConnection | FaultAction::ResetConnection => {
            if let Some(socket) = req.conn_data::<ConnectionSocket>() {
                if matches!(action, FaultAction::ResetConnection) {
                    socket.abort_on_close();
                } else {
                    socket.close();
                }
            }
            // The body fails at once: actix gives up on the connection without writing the head.
            Some(HttpResponse::Ok().body(CutBody::abort()))
        }
        _ => None,
    }
}

/// Rewrites the product's answer for a body fault.
pub(crate) async fn reshape(
    response: ServiceResponse<BoxBody>,
    action: &FaultAction,
) -> ServiceResponse<BoxBody> {
    let (request, response) = response.into_parts();
    let (head, body) = response.into_parts();
    let bytes = actix_web::body::to_bytes(body).await.unwrap_or_default();
    let mut builder = HttpResponseBuilder::new(head.status());
    for (name, value) in head.headers() {
        if name != CONTENT_LENGTH {
            builder.append_header((name.clone(), value.clone()));
        }
    }
    let half = bytes.len() / 2;
    let response = match action {
        FaultAction::TruncatedBody => {
            builder.body(CutBody::truncated(bytes.slice(..half), bytes.len() as u64))
        }
        // A 204 (a logout) has no body to spoil: one sent after its status line would be read
        // as the start of the next answer on the connection, so it goes out as it is.
        _ if is_bodiless(head.status().as_u16()) => builder.finish(),
        _ if bytes.is_empty() => builder.body(Bytes::from_static(b"{\"")),
        _ => builder.body(bytes.slice(..half.max(1))),
    };
    ServiceResponse::new(request, response)
}

/// A body that announces `declared` bytes, sends `part`, then fails (after [`CUT_AFTER`]), which
/// makes actix close the connection: the client sees a body shorter than its `Content-Length`.
struct CutBody {
    declared: u64,
    part: Option<Bytes>,
    wait: Option<Pin<Box<actix_web::rt::time::Sleep>>>,
}

impl CutBody {
    fn truncated(part: Bytes, declared: u64) -> CutBody {
        CutBody { declared: declared.max(1), part: Some(part), wait: None }
    }

    fn abort() -> CutBody {
        CutBody { declared: 1, part: None, wait: None }
    }
}

impl MessageBody for CutBody {
    type Error = std::io::Error;

    fn size(&self) -> BodySize {
        BodySize::Sized(self.declared)
    }

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, Self::Error>>> {
        if let Some(part) = self.part.take() {
            self.wait = Some(Box::pin(actix_web::rt::time::sleep(CUT_AFTER)));
            return Poll::Ready(Some(Ok(part)));
        }
        if let Some(wait) = self.wait.as_mut()
            && wait.as_mut().poll(cx).is_pending()
        {
            return Poll::Pending;
        }
        Poll::Ready(Some(Err(std::io::Error::other("veeam-auth-mock: fault: body cut short"))))
    }
}
