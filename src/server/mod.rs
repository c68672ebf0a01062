//! Running the mock: [`MockServer`], the in-process handle for tests ([`builder`] holds its
//! options), and [`serve`], the binary's long-running path. Both build the same actix server
//! with [`build_server`]; only this module owns threads, listeners and runtimes.
//!
//! `MockServer` runs on its own OS thread with its own actix `System` (one worker, no signal
//! handlers), so it never depends on the caller's runtime: it works the same under
//! `#[tokio::test]` (either flavour), `#[actix_web::test]` and a plain `#[test]`. The listener is
//! bound before `start` returns, so the first request never races the start-up.
//!
//! With the `tls` feature either can also listen on HTTPS ([`MockServerBuilder::https`],
//! [`ServeOptions::https`]), on a second port, serving the same app over the same state.
//!
//! Deadlines, so that a slow or stalled client cannot hold a connection (and its descriptors):
//! - a new connection must deliver its first request's head within [`HEAD_DEADLINE`] (actix
//!   answers 408 and closes);
//! - an idle keep-alive connection is closed after [`KEEP_ALIVE`];
//! - every later request's head must be complete within
//!   [`crate::http::watchdog::NEXT_HEAD_DEADLINE`] (keep-alive plus the head deadline, 10 s)
//!   of the answer before it, or the connection's watchdog closes the connection (actix times
//!   only the first head; see [`crate::http::watchdog`]);
//! - every request body must arrive within [`crate::request::body::BODY_DEADLINE`] (the face
//!   answers 408 and the connection closes);
//! - a closing connection waits at most [`DISCONNECT_DEADLINE`] for the client to go.

mod builder;
mod serve;

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::ops::Deref;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use actix_web::HttpServer;
use actix_web::dev::{Server, ServerHandle};
use actix_web::rt::System;
use actix_web::web::Data;

pub use self::builder::MockServerBuilder;
pub use self::serve::{Bound, ServeOptions, serve, serve_blocking};
use crate::handle::MockControl;
use crate::http::connection::remember_connection;
#[cfg(feature = "tls")]
use crate::http::tls::Tls;
use crate::http::watchdog::{HEAD_DEADLINE, KEEP_ALIVE, NextHeadDeadline};
use crate::request::body::BodyDeadline;
use crate::scenario::Scenario;
use crate::state::{AdminSettings, World};

/// How long a connection being closed waits for the client to read the last answer and go
/// (actix's `client_disconnect_timeout`).
const DISCONNECT_DEADLINE: Duration = Duration::from_secs(1);

/// A running mock server on `127.0.0.1:<free port>`. It stops when dropped.
///
/// It dereferences to its [`MockControl`], so the controls are called on the server itself:
/// `server.clock()`, `server.faults()`, `server.journal()`, `server.reset()`, ...
///
/// ```
/// use std::io::{Read, Write};
/// use veeam_auth_mock::{MockServer, Scenario};
///
/// let server = MockServer::start_blocking(Scenario::default());
/// let mut stream = std::net::TcpStream::connect(server.address()).expect("connects");
/// stream.write_all(b"GET /v8/health HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n\r\n").expect("sent");
/// let mut answer = String::new();
/// stream.read_to_string(&mut answer).expect("read");
/// assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
/// ```
#[must_use = "the server stops when this handle is dropped"]
#[derive(Debug)]
pub struct MockServer {
    address: SocketAddr,
    control: MockControl,
    handle: ServerHandle,
    system: System,
    #[cfg(feature = "tls")]
    https: Option<(SocketAddr, Tls)>,
    thread: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Starts a server playing `scenario` and returns once it accepts connections.
    ///
    /// ```
    /// use veeam_auth_mock::{MockServer, Scenario};
    ///
    /// # async fn example() {
    /// let server = MockServer::start(Scenario::default()).await;
    /// let token_url = format!("{}/v8/token", server.uri());
    /// # let _ = token_url;
    /// # }
    /// ```
    ///
    /// # Panics
    ///
    /// If no port can be bound on 127.0.0.1 or the server thread cannot start; a test helper
    /// that cannot do its job says so loudly rather than returning an error to unwrap.
    pub async fn start(scenario: Scenario) -> MockServer {
        MockServer::start_blocking(scenario)
    }

    /// [`MockServer::start`] for synchronous code such as a plain `#[test]`.
    ///
    /// ```
    /// use veeam_auth_mock::{MockServer, Scenario};
    ///
    /// let server = MockServer::start_blocking(Scenario::default());
    /// assert!(server.uri().starts_with("http://127.0.0.1:"));
    /// ```
    ///
    /// # Panics
    ///
    /// As [`MockServer::start`].
    pub fn start_blocking(scenario: Scenario) -> MockServer {
        MockServer::builder().scenario(scenario).start_blocking()
    }

    /// Starts a server playing `scenario` on HTTP and, on a second port, on HTTPS with a fresh
    /// self-signed certificate for `localhost` and `127.0.0.1` (the `tls` feature).
    ///
    /// ```
    /// use veeam_auth_mock::{MockServer, Scenario};
    ///
    /// # async fn example() {
    /// let server = MockServer::start_https(Scenario::default()).await;
    /// let token_url = format!("{}/v8/token", server.https_uri().expect("HTTPS is on"));
    /// let trust_this = server.certificate_pem().expect("HTTPS is on"); // the client's root
    /// # let _ = (token_url, trust_this);
    /// # }
    /// ```
    ///
    /// # Panics
    ///
    /// As [`MockServer::start`], and if the certificate cannot be made.
    #[cfg(feature = "tls")]
    pub async fn start_https(scenario: Scenario) -> MockServer {
        MockServer::builder().scenario(scenario).https(true).start_blocking()
    }

    /// A builder for a server with options beyond the scenario, such as HTTPS.
    ///
    /// ```
    /// use veeam_auth_mock::{MockServer, Scenario};
    ///
    /// let server = MockServer::builder().scenario(Scenario::default()).start_blocking();
    /// assert!(server.uri().starts_with("http://127.0.0.1:"));
    /// ```
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// Binds the ports, then runs the server on a thread of its own with its own actix system,
    /// and returns once it accepts connections.
    fn launch(
        scenario: Scenario,
        documents: Vec<crate::products::documents::ApiDocument>,
        #[cfg(feature = "tls")] tls: Option<Tls>,
        deadlines: (BodyDeadline, NextHeadDeadline),
    ) -> io::Result<MockServer> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let address = listener.local_addr()?;
        #[cfg_attr(not(feature = "tls"), allow(unused_mut))]
        let mut listeners = Listeners::http(listener);
        #[cfg(feature = "tls")]
        let https = match tls {
            Some(tls) => {
                let config = tls.server_config().map_err(io::Error::other)?;
                let listener = TcpListener::bind(("127.0.0.1", 0))?;
                let address = listener.local_addr()?;
                listeners.https = Some((listener, config));
                Some((address, tls))
            }
            None => None,
        };
        let world =
            Data::new(World::new(scenario, AdminSettings::default(), crate::products::sections::new_states));
        crate::products::documents::install(&world, documents);
        let control = MockControl::new(world.clone());
        let (started, ready) = mpsc::channel();
        let thread = std::thread::Builder::new().name(format!("veeam-auth-mock-{}", address.port())).spawn(
            move || {
                let system = System::new();
                let report_failure = started.clone();
                let outcome = system.block_on(async move {
                    let server = build_server(world, listeners, deadlines, Mode::InProcess)?;
                    let _ = started.send(Ok((server.handle(), System::current())));
                    server.await
                });
                if let Err(err) = outcome {
                    let _ = report_failure.send(Err(err));
                }
            },
        )?;
        let (handle, system) =
            ready.recv().map_err(|_| io::Error::other("the server thread ended before it started"))??;
        Ok(MockServer {
            address,
            control,
            handle,
            system,
            #[cfg(feature = "tls")]
            https,
            thread: Some(thread),
        })
    }

    /// The base URI, such as `http://127.0.0.1:41234` (no trailing slash).
    pub fn uri(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The HTTPS base URI, such as `https://127.0.0.1:41235`, when the server was started with
    /// HTTPS ([`MockServer::start_https`], [`MockServerBuilder::https`]).
    #[cfg(feature = "tls")]
    pub fn https_uri(&self) -> Option<String> {
        self.https.as_ref().map(|(address, _)| format!("https://{address}"))
    }

    /// The HTTPS address, when the server was started with HTTPS.
    #[cfg(feature = "tls")]
    pub fn https_address(&self) -> Option<SocketAddr> {
        self.https.as_ref().map(|(address, _)| *address)
    }

    /// The certificate the HTTPS port presents (PEM), for a client to trust; `None` without
    /// HTTPS.
    #[cfg(feature = "tls")]
    pub fn certificate_pem(&self) -> Option<&str> {
        self.https.as_ref().map(|(_, tls)| tls.certificate_pem())
    }

    /// A cloneable handle on the same controls, for other threads or helpers.
    ///
    /// ```
    /// use veeam_auth_mock::{MockServer, Scenario};
    ///
    /// let server = MockServer::start_blocking(Scenario::default());
    /// let control = server.control();
    /// std::thread::spawn(move || control.revoke_all_sessions()).join().expect("joined");
    /// ```
    pub fn control(&self) -> MockControl {
        self.control.clone()
    }
}

/// The controls (clock, faults, journal, reset, load, revoke) are [`MockControl`]'s; the
/// server hands them out as its own.
impl Deref for MockServer {
    type Target = MockControl;

    fn deref(&self) -> &MockControl {
        &self.control
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        // `stop` sends its command at once; the returned future only waits for completion,
        // which the join below does instead.
        #[allow(clippy::let_underscore_future)]
        let _ = self.handle.stop(false);
        self.system.stop();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The sockets a server accepts connections on, already bound.
#[derive(Debug)]
struct Listeners {
    /// Plain HTTP.
    http: TcpListener,
    /// HTTPS, with the rustls configuration it serves.
    #[cfg(feature = "tls")]
    https: Option<(TcpListener, rustls::ServerConfig)>,
}

impl Listeners {
    /// HTTP only (HTTPS is added by the caller when asked for).
    fn http(http: TcpListener) -> Listeners {
        Listeners {
            http,
            #[cfg(feature = "tls")]
            https: None,
        }
    }
}

/// How a server runs beyond what both start paths share.
#[derive(Debug, Clone, Copy)]
enum Mode {
    /// [`MockServer`]: one worker, no signal handlers (the test process owns those), a quick stop.
    InProcess,
    /// [`serve`]: actix's workers and its Ctrl-C/SIGTERM handling, five seconds to finish.
    Standalone,
}

/// Builds and starts the actix server over `world` on `listeners`, with the deadlines of the
/// module docs; must run inside an actix system. The returned server runs until stopped.
fn build_server(
    world: Data<World>,
    listeners: Listeners,
    (body_deadline, next_head_deadline): (BodyDeadline, NextHeadDeadline),
    mode: Mode,
) -> io::Result<Server> {
    let mut server = HttpServer::new(move || crate::http::app(world.clone(), body_deadline))
        .on_connect(remember_connection(next_head_deadline))
        .client_request_timeout(HEAD_DEADLINE)
        .keep_alive(KEEP_ALIVE)
        .client_disconnect_timeout(DISCONNECT_DEADLINE);
    server = match mode {
        Mode::InProcess => server.workers(1).disable_signals().shutdown_timeout(1),
        Mode::Standalone => server.shutdown_timeout(5),
    };
    server = server.listen(listeners.http)?;
    #[cfg(feature = "tls")]
    if let Some((listener, config)) = listeners.https {
        server = server.listen_rustls_0_23(listener, config)?;
    }
    Ok(server.run())
}
