//! Access to a connection's socket, so that a fault can drop or reset the connection instead of
//! answering. actix does not hand sockets to handlers; its `on_connect` hook does see the
//! stream, so each connection keeps a duplicate of the socket's descriptor in its connection
//! data. Closing or aborting through the duplicate acts on the one underlying TCP connection.
//! Costs one `dup` per connection (not per request).

use std::any::Any;
use std::net::{Shutdown, TcpStream};
use std::time::Duration;

use actix_web::dev::Extensions;

/// The connection's socket (a duplicated descriptor).
#[derive(Debug)]
pub(crate) struct ConnectionSocket(TcpStream);

impl ConnectionSocket {
    /// Closes both directions now: the client reads end-of-stream before any answer.
    pub(crate) fn close(&self) {
        let _ = self.0.shutdown(Shutdown::Both);
    }

    /// Closes both directions after `after` (so that an answer already written reaches the
    /// client first), whatever actix makes of the connection meanwhile: from a task holding its
    /// own duplicate of the descriptor, dropped when done.
    pub(crate) fn close_after(&self, after: Duration) {
        let Ok(socket) = self.0.try_clone() else { return };
        actix_web::rt::spawn(async move {
            actix_web::rt::time::sleep(after).await;
            let _ = socket.shutdown(Shutdown::Both);
        });
    }

    /// Makes the coming close abortive (`SO_LINGER` 0): the kernel answers with a TCP reset
    /// instead of an orderly end, and throws away anything not yet sent.
    pub(crate) fn abort_on_close(&self) {
        let _ = socket2::SockRef::from(&self.0).set_linger(Some(Duration::ZERO));
    }
}

/// `HttpServer::on_connect` hook: remembers the socket of every connection, plain or TLS.
pub(crate) fn remember_socket(connection: &dyn Any, data: &mut Extensions) {
    type Plain = actix_web::rt::net::TcpStream;
    type Tls = actix_tls::accept::rustls_0_23::TlsStream<Plain>;
    let stream = connection
        .downcast_ref::<Plain>()
        .or_else(|| connection.downcast_ref::<Tls>().map(|tls| tls.get_ref().0));
    #[cfg(unix)]
    if let Some(stream) = stream {
        use std::os::fd::AsFd;
        if let Ok(descriptor) = stream.as_fd().try_clone_to_owned() {
            data.insert(ConnectionSocket(TcpStream::from(descriptor)));
        }
    }
    #[cfg(not(unix))]
    let _ = (stream, data);
}
