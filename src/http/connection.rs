//! Each connection's own state, kept in its connection data by the `on_connect` hook
//! ([`remember_connection`]):
//!
//! - its socket, so that a fault can drop or reset the connection instead of answering. actix
//!   does not hand sockets to handlers; its `on_connect` hook does see the stream, so each
//!   connection keeps a duplicate of the socket's descriptor. Closing or aborting through the
//!   duplicate acts on the one underlying TCP connection;
//! - what it is doing ([`Activity`], counted by the outermost middleware, [`track_requests`])
//!   and the watchdog that closes it when the next request's head does not arrive in time
//!   ([`super::watchdog`], which sees the connection only through [`Watched`], so that the two
//!   modules do not import each other).
//!
//! Costs one `dup` and one sleeping task per connection (not per request). The state lives as
//! long as actix keeps the connection (its dispatcher and any request still holding the
//! connection data): when it goes, the duplicate descriptor is closed and the watchdog stopped.

use std::any::Any;
use std::net::{Shutdown, TcpStream};
use std::rc::{Rc, Weak};
use std::time::Duration;

use actix_web::dev::Extensions;
use actix_web::rt::task::JoinHandle;

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use super::watchdog::{self, Activity, InFlight, NextHeadDeadline, Watched};

/// A connection's socket (a duplicated descriptor) and activity, as connection data.
#[derive(Debug)]
pub(crate) struct ConnectionSocket(Rc<Connection>);

/// What [`ConnectionSocket`] shares with the connection's watchdog (which holds it weakly, so
/// that it never keeps a finished connection's descriptor open).
#[derive(Debug)]
pub(crate) struct Connection {
    socket: TcpStream,
    activity: Activity,
    watchdog: JoinHandle<()>,
}

impl Connection {
    /// Closes both directions now: the client reads end-of-stream before any answer.
    pub(crate) fn close(&self) {
        let _ = self.socket.shutdown(Shutdown::Both);
    }

    /// What the connection is doing.
    pub(crate) fn activity(&self) -> &Activity {
        &self.activity
    }
}

impl Watched for Connection {
    fn activity(&self) -> &Activity {
        Connection::activity(self)
    }

    fn close(&self) {
        Connection::close(self);
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        // The connection is gone: its watchdog has nothing left to watch, so it stops now
        // rather than sleeping out its deadline.
        self.watchdog.abort();
    }
}

impl ConnectionSocket {
    /// Closes both directions now: the client reads end-of-stream before any answer.
    pub(crate) fn close(&self) {
        self.0.close();
    }

    /// Closes both directions after `after` (so that an answer already written reaches the
    /// client first), whatever actix makes of the connection meanwhile: from a task holding its
    /// own duplicate of the descriptor, dropped when done.
    pub(crate) fn close_after(&self, after: Duration) {
        let Ok(socket) = self.0.socket.try_clone() else { return };
        actix_web::rt::spawn(async move {
            actix_web::rt::time::sleep(after).await;
            let _ = socket.shutdown(Shutdown::Both);
        });
    }

    /// Makes the coming close abortive (`SO_LINGER` 0): the kernel answers with a TCP reset
    /// instead of an orderly end, and throws away anything not yet sent.
    pub(crate) fn abort_on_close(&self) {
        let _ = socket2::SockRef::from(&self.0.socket).set_linger(Some(Duration::ZERO));
    }

    /// Counts a request as being handled until the returned guard is dropped (its answer is
    /// ready, or actix gave up on it); the watchdog never cuts a connection meanwhile.
    pub(crate) fn request_started(&self) -> InFlight {
        InFlight::start(self.0.clone())
    }
}

/// Middleware (wrap it with `middleware::from_fn`, outermost): counts the request as being
/// handled on its connection until its answer is ready.
pub(crate) async fn track_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let _in_flight = req.conn_data::<ConnectionSocket>().map(ConnectionSocket::request_started);
    next.call(req).await
}

/// The `HttpServer::on_connect` hook: remembers the socket of every connection, plain or TLS,
/// and starts its watchdog with `deadline` for each next request's head.
pub(crate) fn remember_connection(
    deadline: NextHeadDeadline,
) -> impl Fn(&dyn Any, &mut Extensions) + Send + Sync + 'static {
    move |connection, data| remember(connection, data, deadline)
}

fn remember(connection: &dyn Any, data: &mut Extensions, deadline: NextHeadDeadline) {
    type Plain = actix_web::rt::net::TcpStream;
    let stream = connection.downcast_ref::<Plain>();
    #[cfg(feature = "tls")]
    let stream = stream.or_else(|| {
        type Tls = actix_tls::accept::rustls_0_23::TlsStream<Plain>;
        connection.downcast_ref::<Tls>().map(|tls| tls.get_ref().0)
    });
    #[cfg(unix)]
    if let Some(stream) = stream {
        use std::os::fd::AsFd;
        if let Ok(descriptor) = stream.as_fd().try_clone_to_owned() {
            let socket = TcpStream::from(descriptor);
            let connection = Rc::new_cyclic(|weak: &Weak<Connection>| Connection {
                socket,
                activity: Activity::new(),
                // `on_connect` runs on the worker that serves the connection, inside its
                // runtime; the task first runs after this hook returns, so `weak` is live then.
                watchdog: actix_web::rt::spawn(watchdog::watch(weak.clone(), deadline)),
            });
            data.insert(ConnectionSocket(connection));
        }
    }
    #[cfg(not(unix))]
    let _ = (stream, data, deadline);
}
