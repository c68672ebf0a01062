//! # veeam-auth-mock
//!
//! A high-fidelity mock of the Veeam authentication servers, for testing code written against
//! Veeam Backup for Microsoft 365 (REST API v1-v8) and Veeam Backup for Microsoft Azure
//! (`/api/oauth2/token`, API v6-v8.1) without a Windows server, an appliance or a tenant. It
//! answers with the same paths, status codes, headers, JSON field names and order, date formats
//! and JWT claims as the real servers, and follows the same token lifecycle (login, MFA,
//! refresh with rotation, antiforgery, expiry, logout), with time driven by a fake clock.
//!
//! ## Getting started
//!
//! ```toml
//! [dev-dependencies]
//! veeam-auth-mock = { version = "0.1", default-features = false }
//! ```
//!
//! ```
//! use std::time::Duration;
//! use veeam_auth_mock::{MockServer, Scenario};
//!
//! // Arrange: the embedded default scenario has the user Administrator / PassWord1.
//! let server = MockServer::start_blocking(Scenario::default());
//!
//! // Act: point the client under test at `server.uri()`, e.g. POST {uri}/v8/token ...
//! let base_url = server.uri();
//!
//! // Time moves only when the test says so; an hour later the access token has expired.
//! server.clock().advance(Duration::from_secs(61 * 60));
//! # let _ = base_url;
//! ```
//!
//! Use `MockServer::start(scenario).await` from async tests: it works under `#[tokio::test]`
//! (both flavours) and `#[actix_web::test]` because the server runs on its own thread and actix
//! system. The server stops when the handle is dropped.
//!
//! ## Scenarios
//!
//! A scenario (TOML) describes the world: users, token lifetimes, the clock, antiforgery rules.
//! [`Scenario::default`] is the embedded default; [`Scenario::from_path`] and
//! [`Scenario::from_toml_str`] load others and report every problem with its path and line.
//! `scenarios/vb365.toml` and `scenarios/azure.toml` in the repository document every key.
//!
//! ## Faults, the journal and the clock
//!
//! [`MockServer::faults`] scripts failures ([`Fault`]: a status in the product's own error
//! shape, 429, delays, dropped or reset connections, cut bodies, revoked sessions) on chosen
//! calls of chosen endpoints ([`Endpoint`]); [`MockServer::journal`] records every request with
//! its secrets masked; [`MockServer::clock`] moves time; [`MockServer::reset`] starts over. The
//! same operations are served over HTTP under `/__mock/` for the binary and the container.
//!
//! ```
//! use veeam_auth_mock::{Endpoint, Fault, MockServer, Scenario};
//!
//! let server = MockServer::start_blocking(Scenario::default());
//! server.faults().add(Fault::status(503).on(Endpoint::Vb365Token).calls([2, 3]));
//! // ... the client under test logs in four times ...
//! assert_eq!(server.journal().count(Endpoint::Vb365Token), 0);
//! ```
//!
//! ## HTTPS
//!
//! [`MockServer::start_https`] (or [`MockServer::builder`] with `.https(true)` or `.tls(..)`)
//! also listens on HTTPS, on a second port over the same state, with a certificate made at
//! start for `localhost` and `127.0.0.1` ([`Tls`]); give [`MockServer::certificate_pem`] to the
//! client as its trusted root, or switch verification off. TLS uses rustls with ring, passed
//! explicitly, so the process-wide default crypto provider is neither needed nor changed.
//!
//! ## Browsing
//!
//! A running mock serves its OpenAPI document ([`openapi_json`]) at `/swagger/docs/v8`, Swagger
//! UI at `/swagger/ui/index` and a landing page at `/__mock/`, all from inside the binary.
//!
//! ## Verifying tokens
//!
//! Tokens are signed with a fixed RSA-2048 test key ([`PUBLIC_KEY_PEM`], `kid` =
//! [`SigningKey::kid`]), so a client that verifies signatures can be given the public key.
#![deny(missing_docs)]

mod clock;
mod control;
mod dates;
#[doc(hidden)]
pub mod fuzz_harness;
mod handle;
mod http;
mod paths;
mod products;
mod request;
mod response;
mod routing;
mod scenario;
mod seed;
mod server;
mod state;
mod tokens;

pub use clock::{Clock, ClockError, ClockMode};
pub use control::{FaultId, FaultPlan, FaultPlanFull, FaultState, Journal, JournalEntry, JournalQuery};
pub use handle::MockControl;
pub use http::docs::openapi_json;
pub use http::tls::{Tls, TlsError};
pub use scenario::{
    CallSelector, DEFAULT_SCENARIO_TOML, Endpoint, Fault, FaultAction, FaultSpec, Problem, Scenario,
    ScenarioError, UnknownEndpoint,
};
pub use server::{Bound, MockServer, MockServerBuilder, ServeOptions, serve, serve_blocking};
pub use tokens::{CERTIFICATE_PEM, JwtAlgorithm, PUBLIC_KEY_PEM, SigningKey};

/// The `time` crate, re-exported for [`Clock`]'s `OffsetDateTime` values.
pub use time;
