//! Closing the connection after a body that did not arrive in time: the assembly half of the
//! body deadline. The reader itself ([`crate::request::body`]) marks such a request
//! ([`BodyTimedOut`]); this middleware acts on the mark, since only `http/` knows connections.

use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::ConnectionType;
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

use super::connection::ConnectionSocket;
use crate::request::body::BodyTimedOut;

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
