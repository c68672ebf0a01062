//! Running the mock: [`MockServer`], the in-process handle for tests, and [`serve`], the
//! binary's long-running path.
//!
//! `MockServer` runs on its own OS thread with its own actix `System` (one worker, no signal
//! handlers), so it never depends on the caller's runtime: it works the same under
//! `#[tokio::test]` (either flavour), `#[actix_web::test]` and a plain `#[test]`. The listener is
//! bound before `start` returns, so the first request never races the start-up.
//!
//! Either can also listen on HTTPS ([`MockServerBuilder::https`], [`serve`]'s `https`), on a
//! second port, serving the same app over the same state.
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

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::rt::System;
use actix_web::web::Data;
use actix_web::{HttpServer, rt};

use crate::clock::Clock;
use crate::control::{FaultPlan, Journal};
use crate::handle::MockControl;
use crate::http::connection::remember_connection;
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
/// ```
/// use veeam_auth_mock::{MockServer, Scenario};
///
/// # async fn example() {
/// let server = MockServer::start(Scenario::default()).await;
/// let token_url = format!("{}/v8/token", server.uri());
/// # let _ = token_url;
/// # }
/// ```
#[must_use = "the server stops when this handle is dropped"]
#[derive(Debug)]
pub struct MockServer {
    address: SocketAddr,
    world: Data<World>,
    handle: ServerHandle,
    system: System,
    https: Option<(SocketAddr, Tls)>,
    thread: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Starts a server playing `scenario` and returns once it accepts connections.
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
    /// self-signed certificate for `localhost` and `127.0.0.1`.
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
    pub async fn start_https(scenario: Scenario) -> MockServer {
        MockServer::builder().scenario(scenario).https(true).start_blocking()
    }

    /// A builder for a server with options beyond the scenario, such as HTTPS.
    ///
    /// ```
    /// use veeam_auth_mock::{MockServer, Scenario, Tls};
    ///
    /// let tls = Tls::self_signed(["mock.test"]).expect("a certificate");
    /// let server = MockServer::builder().scenario(Scenario::default()).tls(tls).start_blocking();
    /// assert!(server.https_uri().expect("HTTPS is on").starts_with("https://127.0.0.1:"));
    /// assert!(server.uri().starts_with("http://127.0.0.1:"));
    /// ```
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    fn try_start(
        scenario: Scenario,
        tls: Option<Tls>,
        deadlines: (BodyDeadline, NextHeadDeadline),
    ) -> io::Result<MockServer> {
        let (body_deadline, next_head_deadline) = deadlines;
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let address = listener.local_addr()?;
        let https = match tls {
            Some(tls) => {
                let config = tls.server_config().map_err(io::Error::other)?;
                let listener = TcpListener::bind(("127.0.0.1", 0))?;
                let address = listener.local_addr()?;
                Some((listener, config, address, tls))
            }
            None => None,
        };
        let https_address = https.as_ref().map(|(_, _, address, tls)| (*address, tls.clone()));
        let world =
            Data::new(World::new(scenario, AdminSettings::default(), crate::products::sections::new_states));
        let app_world = world.clone();
        let (started, ready) = mpsc::channel();
        let thread = std::thread::Builder::new().name(format!("veeam-auth-mock-{}", address.port())).spawn(
            move || {
                let system = System::new();
                let report_failure = started.clone();
                let outcome = system.block_on(async move {
                    let mut server =
                        HttpServer::new(move || crate::http::app(app_world.clone(), body_deadline))
                            .on_connect(remember_connection(next_head_deadline))
                            .client_request_timeout(HEAD_DEADLINE)
                            .keep_alive(KEEP_ALIVE)
                            .client_disconnect_timeout(DISCONNECT_DEADLINE)
                            .workers(1)
                            .disable_signals()
                            .shutdown_timeout(1)
                            .listen(listener)?;
                    if let Some((listener, config, _, _)) = https {
                        server = server.listen_rustls_0_23(listener, config)?;
                    }
                    let server = server.run();
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
        Ok(MockServer { address, world, handle, system, https: https_address, thread: Some(thread) })
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
    pub fn https_uri(&self) -> Option<String> {
        self.https.as_ref().map(|(address, _)| format!("https://{address}"))
    }

    /// The HTTPS address, when the server was started with HTTPS.
    pub fn https_address(&self) -> Option<SocketAddr> {
        self.https.as_ref().map(|(address, _)| *address)
    }

    /// The certificate the HTTPS port presents (PEM), for a client to trust; `None` without
    /// HTTPS.
    pub fn certificate_pem(&self) -> Option<&str> {
        self.https.as_ref().map(|(_, tls)| tls.certificate_pem())
    }

    /// The scenario clock; moving it changes what the next request sees.
    ///
    /// ```
    /// use std::time::Duration;
    /// use veeam_auth_mock::{MockServer, Scenario};
    ///
    /// let server = MockServer::start_blocking(Scenario::default());
    /// let before = server.clock().now();
    /// server.clock().advance(Duration::from_secs(61 * 60)); // access tokens now expired
    /// assert!(server.clock().now() - before >= veeam_auth_mock::time::Duration::minutes(61));
    /// ```
    pub fn clock(&self) -> &Clock {
        &self.world.clock
    }

    /// The scenario being played.
    pub fn scenario(&self) -> Arc<Scenario> {
        self.world.scenario()
    }

    /// The faults in force (scenario `[[faults]]` and those added since).
    ///
    /// ```
    /// use veeam_auth_mock::{Endpoint, Fault, MockServer, Scenario};
    ///
    /// let server = MockServer::start_blocking(Scenario::default());
    /// // The next two logins get 503 in the product's own error shape, then all is well.
    /// server.faults().add(Fault::status(503).on(Endpoint::Vb365Token).times(2));
    /// ```
    pub fn faults(&self) -> &FaultPlan {
        &self.world.faults
    }

    /// The request journal.
    ///
    /// ```
    /// use veeam_auth_mock::{Endpoint, MockServer, Scenario};
    ///
    /// let server = MockServer::start_blocking(Scenario::default());
    /// assert_eq!(server.journal().count(Endpoint::Vb365Token), 0);
    /// ```
    pub fn journal(&self) -> &Journal {
        &self.world.journal
    }

    /// Back to the scenario's initial state (clock, sessions, faults, journal).
    pub fn reset(&self) {
        self.world.reset();
    }

    /// Plays another scenario from its start.
    pub fn load(&self, scenario: Scenario) {
        self.world.load(scenario);
    }

    /// A cloneable handle on the same controls, for other threads or helpers.
    pub fn control(&self) -> MockControl {
        MockControl::new(self.world.clone())
    }
}

/// Options for a [`MockServer`]; made by [`MockServer::builder`].
#[derive(Debug, Default)]
#[must_use = "nothing starts until `start` or `start_blocking` is called"]
pub struct MockServerBuilder {
    scenario: Option<Scenario>,
    https: bool,
    tls: Option<Tls>,
    body_deadline: BodyDeadline,
    next_head_deadline: NextHeadDeadline,
}

impl MockServerBuilder {
    /// The scenario to play (the embedded default when not given).
    pub fn scenario(mut self, scenario: Scenario) -> MockServerBuilder {
        self.scenario = Some(scenario);
        self
    }

    /// Whether to listen on HTTPS too, on a second free port, with a self-signed certificate
    /// for `localhost` and `127.0.0.1` (unless [`MockServerBuilder::tls`] gives one).
    pub fn https(mut self, https: bool) -> MockServerBuilder {
        self.https = https;
        self
    }

    /// Listen on HTTPS too, presenting `tls`.
    pub fn tls(mut self, tls: Tls) -> MockServerBuilder {
        self.https = true;
        self.tls = Some(tls);
        self
    }

    /// How long a request body may take to arrive (default 10 s). For the mock's own tests,
    /// which check the deadline in milliseconds; not meant to be changed otherwise.
    #[doc(hidden)]
    pub fn body_deadline(mut self, deadline: Duration) -> MockServerBuilder {
        self.body_deadline = BodyDeadline(deadline);
        self
    }

    /// How long after an answer the next request's head on the same connection may take to
    /// arrive in full (default 10 s) before the connection is closed. For the mock's own
    /// tests, which check the deadline in milliseconds; not meant to be changed otherwise.
    #[doc(hidden)]
    pub fn next_head_deadline(mut self, deadline: Duration) -> MockServerBuilder {
        self.next_head_deadline = NextHeadDeadline::new(deadline);
        self
    }

    /// Starts the server; see [`MockServer::start`].
    ///
    /// # Panics
    ///
    /// As [`MockServer::start`], and if a self-signed certificate cannot be made.
    pub async fn start(self) -> MockServer {
        self.start_blocking()
    }

    /// [`MockServerBuilder::start`] for synchronous code.
    ///
    /// # Panics
    ///
    /// As [`MockServerBuilder::start`].
    pub fn start_blocking(self) -> MockServer {
        let tls = match (self.https, self.tls) {
            (false, _) => None,
            (true, Some(tls)) => Some(tls),
            (true, None) => match Tls::self_signed(std::iter::empty::<&str>()) {
                Ok(tls) => Some(tls),
                Err(err) => panic!("veeam-auth-mock: cannot make a certificate: {err}"),
            },
        };
        let deadlines = (self.body_deadline, self.next_head_deadline);
        match MockServer::try_start(self.scenario.unwrap_or_default(), tls, deadlines) {
            Ok(server) => server,
            Err(err) => panic!("veeam-auth-mock: cannot start the mock server on 127.0.0.1: {err}"),
        }
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

/// Where [`serve`] accepts connections; given to its `on_ready` callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Bound {
    /// The HTTP address (the port chosen when 0 was asked for).
    pub http: SocketAddr,
    /// The HTTPS address, when HTTPS was asked for.
    pub https: Option<SocketAddr>,
}

/// How [`serve`] runs beyond the scenario and the HTTP address: HTTPS, and the admin API.
///
/// ```
/// use veeam_auth_mock::{ServeOptions, Tls};
///
/// let tls = Tls::self_signed(["mock.test"]).expect("a certificate");
/// let options = ServeOptions::default()
///     .https("127.0.0.1:0".parse().expect("an address"), tls)
///     .admin_token("s3cret");
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    https: Option<(SocketAddr, Tls)>,
    admin: AdminSettings,
    body_deadline: BodyDeadline,
    next_head_deadline: NextHeadDeadline,
}

impl ServeOptions {
    /// Listen on HTTPS too, on `address`, presenting `tls`.
    #[must_use]
    pub fn https(mut self, address: SocketAddr, tls: Tls) -> ServeOptions {
        self.https = Some((address, tls));
        self
    }

    /// Every admin call must carry `Authorization: Bearer <token>` (health excepted). A token
    /// no client could send ([`ServeOptions::admin_token_problem`]) is refused by [`serve`].
    #[must_use]
    pub fn admin_token(mut self, token: impl Into<String>) -> ServeOptions {
        self.admin.token = Some(token.into());
        self
    }

    /// Why no client could send `token` in `Authorization: Bearer <token>`, if none could: it
    /// is empty or blank, it starts or ends with white space (HTTP strips that from a header
    /// value), or it holds a character other than visible ASCII, spaces and tabs (a header
    /// value a server can read as text holds nothing else). Such a token would lock the admin
    /// API without a word, so [`serve`] refuses it; the binary says why at start.
    ///
    /// ```
    /// use veeam_auth_mock::ServeOptions;
    ///
    /// assert_eq!(ServeOptions::admin_token_problem("s3cret"), None);
    /// assert_eq!(ServeOptions::admin_token_problem("  "), Some("is empty"));
    /// assert!(ServeOptions::admin_token_problem("s3cret\n").is_some());
    /// ```
    pub fn admin_token_problem(token: &str) -> Option<&'static str> {
        let sendable = |c: char| c == '\t' || (' '..='~').contains(&c);
        if token.trim().is_empty() {
            Some("is empty")
        } else if token.trim() != token {
            Some(
                "starts or ends with white space, which HTTP strips from a header, so no client could send it",
            )
        } else if !token.chars().all(sendable) {
            Some("holds a character no client can send in a header (only visible ASCII, spaces and tabs)")
        } else {
            None
        }
    }

    /// Turns the admin API off: `/__mock/...` paths answer as unknown paths.
    #[must_use]
    pub fn without_admin(mut self) -> ServeOptions {
        self.admin.disabled = true;
        self
    }

    /// How long a request body may take to arrive (default 10 s). For the mock's own tests;
    /// not meant to be changed otherwise.
    #[doc(hidden)]
    #[must_use]
    pub fn body_deadline(mut self, deadline: Duration) -> ServeOptions {
        self.body_deadline = BodyDeadline(deadline);
        self
    }

    /// How long after an answer the next request's head on the same connection may take to
    /// arrive in full (default 10 s). For the mock's own tests; not meant to be changed
    /// otherwise.
    #[doc(hidden)]
    #[must_use]
    pub fn next_head_deadline(mut self, deadline: Duration) -> ServeOptions {
        self.next_head_deadline = NextHeadDeadline::new(deadline);
        self
    }
}

/// Serves `scenario` on `address` (HTTP) and, when the options say so, on HTTPS, until the
/// process is interrupted (Ctrl-C or SIGTERM).
///
/// `on_ready` is called with the bound addresses and the mock's [`MockControl`] once
/// connections are accepted (the binary prints `listening on http://HOST:PORT` and `listening
/// on https://HOST:PORT` there, and watches the scenario file with the handle). Must run inside
/// an actix system, e.g. `actix_web::rt::System::new().block_on(serve(..))`.
///
/// # Errors
///
/// When a port cannot be bound or rustls refuses the certificate, and (`InvalidInput`) when
/// no client could send the admin token ([`ServeOptions::admin_token_problem`]).
pub async fn serve(
    scenario: Scenario,
    address: SocketAddr,
    options: ServeOptions,
    on_ready: impl FnOnce(Bound, MockControl),
) -> io::Result<()> {
    if let Some(problem) = options.admin.token.as_deref().and_then(ServeOptions::admin_token_problem) {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("the admin token {problem}")));
    }
    let listener = TcpListener::bind(address)?;
    let mut bound = Bound { http: listener.local_addr()?, https: None };
    let world = Data::new(World::new(scenario, options.admin, crate::products::sections::new_states));
    let control = MockControl::new(world.clone());
    let body_deadline = options.body_deadline;
    let mut server = HttpServer::new(move || crate::http::app(world.clone(), body_deadline))
        .on_connect(remember_connection(options.next_head_deadline))
        .client_request_timeout(HEAD_DEADLINE)
        .keep_alive(KEEP_ALIVE)
        .client_disconnect_timeout(DISCONNECT_DEADLINE)
        .shutdown_timeout(5)
        .listen(listener)?;
    if let Some((address, tls)) = options.https {
        let config = tls.server_config().map_err(io::Error::other)?;
        let listener = TcpListener::bind(address)?;
        bound.https = Some(listener.local_addr()?);
        server = server.listen_rustls_0_23(listener, config)?;
    }
    let server = server.run();
    on_ready(bound, control);
    server.await
}

/// Runs [`serve`] on a new actix system, blocking the calling thread until it ends.
///
/// # Errors
///
/// As [`serve`].
pub fn serve_blocking(
    scenario: Scenario,
    address: SocketAddr,
    options: ServeOptions,
    on_ready: impl FnOnce(Bound, MockControl),
) -> io::Result<()> {
    rt::System::new().block_on(serve(scenario, address, options, on_ready))
}
