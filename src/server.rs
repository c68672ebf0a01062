//! Running the mock: [`MockServer`], the in-process handle for tests, and [`serve`], the
//! binary's long-running path.
//!
//! `MockServer` runs on its own OS thread with its own actix `System` (one worker, no signal
//! handlers), so it never depends on the caller's runtime: it works the same under
//! `#[tokio::test]` (either flavour), `#[actix_web::test]` and a plain `#[test]`. The listener is
//! bound before `start` returns, so the first request never races the start-up.

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;

use actix_web::dev::ServerHandle;
use actix_web::rt::System;
use actix_web::web::Data;
use actix_web::{HttpServer, rt};

use crate::clock::Clock;
use crate::control::{FaultPlan, Journal};
use crate::handle::MockControl;
use crate::http::connection::remember_socket;
use crate::scenario::Scenario;
use crate::state::{AdminSettings, World};

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
        match MockServer::try_start(scenario) {
            Ok(server) => server,
            Err(err) => panic!("veeam-auth-mock: cannot start the mock server on 127.0.0.1: {err}"),
        }
    }

    fn try_start(scenario: Scenario) -> io::Result<MockServer> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let address = listener.local_addr()?;
        let world = Data::new(World::new(scenario, AdminSettings::default()));
        let app_world = world.clone();
        let (started, ready) = mpsc::channel();
        let thread = std::thread::Builder::new().name(format!("veeam-auth-mock-{}", address.port())).spawn(
            move || {
                let system = System::new();
                let report_failure = started.clone();
                let outcome = system.block_on(async move {
                    let server = HttpServer::new(move || crate::http::app(app_world.clone()))
                        .on_connect(remember_socket)
                        .workers(1)
                        .disable_signals()
                        .shutdown_timeout(1)
                        .listen(listener)?
                        .run();
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
        Ok(MockServer { address, world, handle, system, thread: Some(thread) })
    }

    /// The base URI, such as `http://127.0.0.1:41234` (no trailing slash).
    pub fn uri(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
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

/// How [`serve`] exposes the admin API.
///
/// ```
/// use veeam_auth_mock::ServeOptions;
///
/// let options = ServeOptions::default().admin_token("s3cret");
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    admin: AdminSettings,
}

impl ServeOptions {
    /// Every admin call must carry `Authorization: Bearer <token>` (health excepted).
    #[must_use]
    pub fn admin_token(mut self, token: impl Into<String>) -> ServeOptions {
        self.admin.token = Some(token.into());
        self
    }

    /// Turns the admin API off: `/__mock/...` paths answer as unknown paths.
    #[must_use]
    pub fn without_admin(mut self) -> ServeOptions {
        self.admin.disabled = true;
        self
    }
}

/// Serves `scenario` on `address` until the process is interrupted (Ctrl-C or SIGTERM).
///
/// `on_ready` is called with the bound address and the mock's [`MockControl`] once connections
/// are accepted (the binary prints `listening on http://HOST:PORT` there, and watches the
/// scenario file with the handle). Must run inside an actix system, e.g.
/// `actix_web::rt::System::new().block_on(serve(..))`.
pub async fn serve(
    scenario: Scenario,
    address: SocketAddr,
    options: ServeOptions,
    on_ready: impl FnOnce(SocketAddr, MockControl),
) -> io::Result<()> {
    let listener = TcpListener::bind(address)?;
    let bound = listener.local_addr()?;
    let world = Data::new(World::new(scenario, options.admin));
    let control = MockControl::new(world.clone());
    let server = HttpServer::new(move || crate::http::app(world.clone()))
        .on_connect(remember_socket)
        .shutdown_timeout(5)
        .listen(listener)?
        .run();
    on_ready(bound, control);
    server.await
}

/// Runs [`serve`] on a new actix system, blocking the calling thread until it ends.
pub fn serve_blocking(
    scenario: Scenario,
    address: SocketAddr,
    options: ServeOptions,
    on_ready: impl FnOnce(SocketAddr, MockControl),
) -> io::Result<()> {
    rt::System::new().block_on(serve(scenario, address, options, on_ready))
}
