//! [`serve`]: the mock as a long-running server (the binary and the container), with its
//! options ([`ServeOptions`]) and where it listens ([`Bound`]).

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

use actix_web::rt;
use actix_web::web::Data;

use super::{Listeners, Mode, build_server};
use crate::handle::MockControl;
#[cfg(feature = "tls")]
use crate::http::tls::Tls;
use crate::http::watchdog::NextHeadDeadline;
use crate::products::documents::ApiDocument;
use crate::request::body::BodyDeadline;
use crate::scenario::Scenario;
use crate::state::{AdminSettings, World};

/// Where [`serve`] accepts connections; given to its `on_ready` callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Bound {
    /// The HTTP address (the port chosen when 0 was asked for).
    pub http: SocketAddr,
    /// The HTTPS address, when HTTPS was asked for (always `None` without the `tls` feature).
    pub https: Option<SocketAddr>,
}

/// How [`serve`] runs beyond the scenario and the HTTP address: HTTPS, and the admin API.
///
/// ```
/// use veeam_auth_mock::standalone::ServeOptions;
///
/// let options = ServeOptions::default().admin_token("s3cret");
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    #[cfg(feature = "tls")]
    https: Option<(SocketAddr, Tls)>,
    admin: AdminSettings,
    body_deadline: BodyDeadline,
    next_head_deadline: NextHeadDeadline,
    documents: Vec<ApiDocument>,
}

impl ServeOptions {
    /// Serves every operation of `document` (a product's own OpenAPI document) behind the
    /// owning product's sessions, beside the scenario's `[api] documents`; see
    /// [`crate::ApiDocument`].
    #[must_use]
    pub fn openapi_document(mut self, document: ApiDocument) -> ServeOptions {
        self.documents.push(document);
        self
    }

    /// Listen on HTTPS too, on `address`, presenting `tls`. Needs the `tls` feature.
    ///
    /// ```
    /// use veeam_auth_mock::Tls;
    /// use veeam_auth_mock::standalone::ServeOptions;
    ///
    /// let tls = Tls::self_signed(["mock.test"]).expect("a certificate");
    /// let options = ServeOptions::default().https("127.0.0.1:0".parse().expect("an address"), tls);
    /// # let _ = options;
    /// ```
    #[cfg(feature = "tls")]
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
    /// use veeam_auth_mock::standalone::ServeOptions;
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
    #[cfg_attr(not(feature = "tls"), allow(unused_mut))]
    let mut bound = Bound { http: listener.local_addr()?, https: None };
    #[cfg_attr(not(feature = "tls"), allow(unused_mut))]
    let mut listeners = Listeners::http(listener);
    #[cfg(feature = "tls")]
    if let Some((address, tls)) = options.https {
        let config = tls.server_config().map_err(io::Error::other)?;
        let listener = TcpListener::bind(address)?;
        bound.https = Some(listener.local_addr()?);
        listeners.https = Some((listener, config));
    }
    let world = Data::new(World::new(scenario, options.admin, crate::products::sections::new_states));
    crate::products::documents::install(&world, options.documents);
    let control = MockControl::new(world.clone());
    let deadlines = (options.body_deadline, options.next_head_deadline);
    let server = build_server(world, listeners, deadlines, Mode::Standalone)?;
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
