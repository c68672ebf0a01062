//! [`MockServerBuilder`]: a [`MockServer`] with options beyond the scenario.

use std::time::Duration;

use super::MockServer;
#[cfg(feature = "tls")]
use crate::http::tls::Tls;
use crate::http::watchdog::NextHeadDeadline;
use crate::products::documents::ApiDocument;
use crate::request::body::BodyDeadline;
use crate::scenario::Scenario;

/// Options for a [`MockServer`]; made by [`MockServer::builder`].
///
/// ```
/// use veeam_auth_mock::{MockServer, Scenario};
///
/// let scenario = Scenario::from_toml_str("seed = 7").expect("a scenario");
/// let server = MockServer::builder().scenario(scenario).start_blocking();
/// assert_eq!(server.scenario().seed(), Some(7));
/// ```
#[derive(Debug, Default)]
#[must_use = "nothing starts until `start` or `start_blocking` is called"]
pub struct MockServerBuilder {
    scenario: Option<Scenario>,
    #[cfg(feature = "tls")]
    https: bool,
    #[cfg(feature = "tls")]
    tls: Option<Tls>,
    body_deadline: BodyDeadline,
    next_head_deadline: NextHeadDeadline,
    documents: Vec<ApiDocument>,
}

impl MockServerBuilder {
    /// Serves every operation of `document` (a product's own OpenAPI document) behind the
    /// owning product's sessions, beside the scenario's `[api] documents`; call once per
    /// document. See [`ApiDocument`].
    ///
    /// ```
    /// use veeam_auth_mock::{ApiDocument, MockServer};
    ///
    /// let document = ApiDocument::from_slice("jobs.json", br#"{
    ///     "openapi": "3.0.1", "info": {"title": "Jobs", "version": "v8"},
    ///     "security": [{"Bearer": []}],
    ///     "paths": {"/v8/Jobs": {"get": {"responses": {"200": {"description": "OK"}}}}}
    /// }"#).expect("a VB365 document");
    /// let server = MockServer::builder().openapi_document(document).start_blocking();
    /// let answer = ureq::get(&format!("{}/v8/Jobs", server.uri())).call();
    /// // The document's security asks for a session, and there is none: VB365's own 401.
    /// assert!(matches!(answer, Err(ureq::Error::StatusCode(401))));
    /// ```
    pub fn openapi_document(mut self, document: ApiDocument) -> MockServerBuilder {
        self.documents.push(document);
        self
    }

    /// The scenario to play (the embedded default when not given).
    pub fn scenario(mut self, scenario: Scenario) -> MockServerBuilder {
        self.scenario = Some(scenario);
        self
    }

    /// Whether to listen on HTTPS too, on a second free port, with a self-signed certificate
    /// for `localhost` and `127.0.0.1` (unless [`MockServerBuilder::tls`] gives one). Needs
    /// the `tls` feature.
    #[cfg(feature = "tls")]
    pub fn https(mut self, https: bool) -> MockServerBuilder {
        self.https = https;
        self
    }

    /// Listen on HTTPS too, presenting `tls`. Needs the `tls` feature.
    ///
    /// ```
    /// use veeam_auth_mock::{MockServer, Scenario, Tls};
    ///
    /// let tls = Tls::self_signed(["mock.test"]).expect("a certificate");
    /// let server = MockServer::builder().scenario(Scenario::default()).tls(tls).start_blocking();
    /// assert!(server.https_uri().expect("HTTPS is on").starts_with("https://127.0.0.1:"));
    /// assert!(server.uri().starts_with("http://127.0.0.1:"));
    /// ```
    #[cfg(feature = "tls")]
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
        #[cfg(feature = "tls")]
        let tls = match (self.https, self.tls) {
            (false, _) => None,
            (true, Some(tls)) => Some(tls),
            (true, None) => match Tls::self_signed(std::iter::empty::<&str>()) {
                Ok(tls) => Some(tls),
                Err(err) => panic!("veeam-auth-mock: cannot make a certificate: {err}"),
            },
        };
        let deadlines = (self.body_deadline, self.next_head_deadline);
        let scenario = self.scenario.unwrap_or_default();
        match MockServer::launch(
            scenario,
            self.documents,
            #[cfg(feature = "tls")]
            tls,
            deadlines,
        ) {
            Ok(server) => server,
            Err(err) => panic!("veeam-auth-mock: cannot start the mock server on 127.0.0.1: {err}"),
        }
    }
}
