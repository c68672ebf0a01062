//! # veeam-auth-mock
//!
//! A high-fidelity mock of the Veeam authentication servers, for testing code written against
//! Veeam Backup for Microsoft 365 (REST API v1-v8), Veeam Backup for Microsoft Azure
//! (`/api/oauth2/token`, API v6-v8.1) and Veeam Backup & Replication (REST API 1.0-rev1 to
//! 1.3-rev2) without a Windows server, an appliance or a tenant. It
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
//! ## The product's whole API
//!
//! Give the mock a product's own OpenAPI document (Veeam's, from your server's Swagger path:
//! VB365 `/swagger/docs/v8`, VBR `/swagger/v1.3-rev2/swagger.json`) as an [`ApiDocument`]
//! ([`MockServerBuilder::openapi_document`], or `[api] documents` in a scenario) and every
//! operation in it is served behind the product's real sessions: parameters checked, the
//! document's example or a body generated from its schema (deterministic for the scenario's
//! seed), collections paged as the product pages them.
//!
//! ## Faults, the journal and the clock
//!
//! A [`MockServer`] dereferences to its [`MockControl`]: [`MockControl::faults`] scripts
//! failures ([`Fault`]: a status in the product's own error shape, 429, delays, dropped or reset
//! connections, cut bodies, revoked sessions) on chosen calls of chosen endpoints
//! ([`Endpoint`]); [`MockControl::journal`] records every request with its secrets masked;
//! [`MockControl::clock`] moves time; [`MockControl::reset`] starts over. The same operations
//! are served over HTTP under `/__mock/` for the binary and the container. The types a test
//! rarely names (a fault's serialized form and counters) are in [`faults`].
//!
//! ```
//! use std::io::{Read, Write};
//! use veeam_auth_mock::{Endpoint, Fault, MockServer, Scenario};
//!
//! // Arrange: the 2nd and 3rd logins fail with 503.
//! let server = MockServer::start_blocking(Scenario::default());
//! server.faults().add(Fault::status(503).on(Endpoint::Vb365Token).calls([2, 3]));
//!
//! // Act: the client under test logs in four times (here, a bare HTTP/1.1 request each time).
//! let log_in = || {
//!     let form = "grant_type=password&username=Administrator&password=PassWord1";
//!     let mut stream = std::net::TcpStream::connect(server.address()).expect("connects");
//!     write!(
//!         stream,
//!         "POST /v8/token HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n\
//!          Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
//!         form.len()
//!     )
//!     .expect("sent");
//!     let mut answer = String::new();
//!     stream.read_to_string(&mut answer).expect("an answer");
//!     answer[9..12].to_owned() // the status code
//! };
//! let statuses: Vec<String> = (0..4).map(|_| log_in()).collect();
//!
//! // Assert: the faults fired on the calls named, and the journal saw all four.
//! assert_eq!(statuses, ["200", "503", "503", "200"]);
//! assert_eq!(server.journal().count(Endpoint::Vb365Token), 4);
//! ```
//!
//! ## HTTPS (the `tls` feature)
//!
//! `MockServer::start_https` (or [`MockServer::builder`] with `.https(true)` or `.tls(..)`)
//! also listens on HTTPS, on a second port over the same state, with a certificate made at
//! start for `localhost` and `127.0.0.1` (`Tls`); give `MockServer::certificate_pem` to the
//! client as its trusted root, or switch verification off. TLS uses rustls with ring, passed
//! explicitly, so the process-wide default crypto provider is neither needed nor changed.
//!
//! ## Browsing
//!
//! A running mock serves a landing page at `/__mock/`; with the `openapi` feature, its OpenAPI
//! document (`standalone::openapi_json`) at `/swagger/docs/v8`; with the `swagger-ui` feature,
//! Swagger UI at `/swagger/ui/index`, all from inside the binary.
//!
//! ## Verifying tokens
//!
//! Tokens are signed with a fixed RSA-2048 test key ([`keys::PUBLIC_KEY_PEM`], `kid` =
//! [`keys::SigningKey::kid`]), so a client that verifies signatures can be given the public key.
//!
//! ## Features
//!
//! | feature | default | what it adds |
//! | --- | --- | --- |
//! | `tls` | yes | HTTPS: `Tls`, `MockServer::start_https`, `MockServerBuilder::https`/`tls`, `ServeOptions::https` (rustls, rcgen) |
//! | `openapi` | yes | the OpenAPI document: `standalone::openapi_json`, `/swagger/docs/v8` and `/__mock/openapi.json` (utoipa) |
//! | `swagger-ui` | yes | Swagger UI at `/swagger/ui/index` (a vendored copy, built into the crate); needs `openapi` |
//! | `cli` | yes | the `veeam-auth-mock` binary (`serve`, `validate`, `openapi`, `drift`, ...) and [`apispec`]'s drift, which `drift` uses; needs `tls`, `swagger-ui` and `openapi` |
//! | `fuzzing` | no | the entry points of the fuzz targets in `fuzz/` (not a supported API) |
//!
//! A test suite needs none of them: `default-features = false` builds the mock with its
//! products, faults, journal, clock and admin API, and much less to compile.
//!
//! ## Map
//!
//! Top to bottom: every import points down this table (`DESIGN.md` in the repository has the
//! floors and how to add a product; `tests/layers.rs` checks them).
//!
//! | module | role |
//! | --- | --- |
//! | `server` | [`MockServer`], its builder, [`standalone::serve`]: threads, listeners, runtimes |
//! | `handle` | [`MockControl`]: the controls shared by the server and the admin API |
//! | `http` | the actix app assembled from the product registry: middleware, the admin API, the explorer pages, TLS |
//! | `products` | the registry (`Product`, `PRODUCTS`) and one folder per product: route table, scenario section, state, wire formats, errors, OpenAPI part |
//! | `state` | the World a server plays: scenario, clock, product states, faults, journal |
//! | `request`, `response` | bearer and body reading; JSON and no-store answers |
//! | `routing` | route tables: registration, endpoint names, 405 with `Allow` |
//! | `apidoc` | the building blocks of every OpenAPI part |
//! | `tokens` | the token service (issue, refresh, authenticate), signing keys, the session store |
//! | `control` | the fault plan, the journal and masking (engines, no HTTP) |
//! | `scenario` | the scenario aggregate, its `Checker`, type-erased product sections, faults, endpoint names |
//! | `clock`, `dates`, `paths`, `seed` | the only source of "now"; date formats; the path normal form; the seeded RNG |
//! | `apispec` | OpenAPI 3 documents, pure: bodies generated from schemas and values checked against them (what serving a loaded document needs), and the drift between two versions (`cli` feature, for the binary's `drift` command) |
#![deny(missing_docs)]

#[cfg(feature = "openapi")]
mod apidoc;
pub mod apispec;
mod clock;
mod control;
mod dates;
#[cfg(feature = "fuzzing")]
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
pub use control::{FaultPlanFull, Journal, JournalEntry, JournalQuery};
pub use handle::MockControl;
#[cfg(feature = "tls")]
pub use http::tls::{Tls, TlsError};
pub use products::documents::{ApiDocument, DocumentError};
pub use scenario::{
    DEFAULT_SCENARIO_TOML, Endpoint, Fault, Problem, Scenario, ScenarioError, UnknownEndpoint,
};
pub use server::{MockServer, MockServerBuilder};
/// The `time` crate, re-exported for [`Clock`]'s `OffsetDateTime` values.
pub use time;

pub mod faults {
    //! What a fault is made of, for code that stores, lists or serializes faults: the admin
    //! API's JSON form ([`FaultSpec`]), what a fault does ([`FaultAction`]) and on which calls
    //! ([`CallSelector`]), and the plan's view of a fault in force ([`FaultPlan`],
    //! [`FaultState`], [`FaultId`]). A test usually needs only [`crate::Fault`] and
    //! [`crate::Endpoint`].
    //!
    //! ```
    //! use veeam_auth_mock::faults::FaultState;
    //! use veeam_auth_mock::{Endpoint, Fault, MockServer, Scenario};
    //!
    //! let server = MockServer::start_blocking(Scenario::default());
    //! let id = server.faults().add(Fault::status(503).on(Endpoint::Vb365Token).times(2));
    //! let state: FaultState = server.faults().get(id).expect("in force");
    //! assert_eq!((state.matched, state.fired, state.remaining), (0, 0, Some(2)));
    //! ```

    pub use crate::control::{FaultId, FaultPlan, FaultState};
    pub use crate::scenario::{CallSelector, FaultAction, FaultSpec};
}

pub mod routes {
    //! Declared routes: the calls a client makes after it logs in, answered only to live
    //! sessions of the product that owns the path. [`RouteSpec`] holds the keys of a
    //! scenario's `[[routes]]` table and of the admin API's `POST /__mock/routes` body;
    //! [`DeclaredRoute`] (with [`RouteResponse`] for sequences) writes one in code for
    //! [`MockControl::routes`](crate::MockControl::routes) ([`Routes`]), which lists them as
    //! [`RouteState`]s.
    //!
    //! ```
    //! use serde_json::json;
    //! use veeam_auth_mock::routes::{DeclaredRoute, RouteResponse};
    //! use veeam_auth_mock::{Fault, MockServer, Scenario};
    //!
    //! let server = MockServer::start_blocking(Scenario::default());
    //! // GET /v8/Jobs answers a live VB365 session: first 503, then the jobs, page by page.
    //! server.routes().add(
    //!     DeclaredRoute::get("/v8/Jobs")
    //!         .named("jobs")
    //!         .status(503)
    //!         .then(RouteResponse::ok().items(json!([{ "id": "a", "name": "Daily" }]))),
    //! );
    //! // Faults and the journal call it `route.jobs`.
    //! server.faults().add(Fault::delay(std::time::Duration::from_millis(10)).on_route("jobs"));
    //! assert_eq!(server.routes().list()[0].endpoint, "route.jobs");
    //! assert_eq!(server.journal().count_route("jobs"), 0);
    //! ```

    pub use crate::handle::routes::Routes;
    pub use crate::products::declared::{
        DeclaredRoute, ResponseSpec, RouteId, RouteResponse, RouteSpec, RouteState,
    };
}

pub mod standalone {
    //! The mock as a long-running server, as the `veeam-auth-mock` binary and the container
    //! run it: [`serve`] until interrupted, with the admin API's options ([`ServeOptions`]),
    //! and the OpenAPI document it serves (`openapi_json`, with the `openapi` feature). Tests use [`crate::MockServer`].
    //!
    //! ```no_run
    //! use veeam_auth_mock::Scenario;
    //! use veeam_auth_mock::standalone::{ServeOptions, serve_blocking};
    //!
    //! let address = "127.0.0.1:8080".parse().expect("an address");
    //! serve_blocking(Scenario::default(), address, ServeOptions::default(), |bound, _control| {
    //!     println!("listening on http://{}", bound.http);
    //! })
    //! .expect("served until interrupted");
    //! ```

    #[cfg(feature = "openapi")]
    pub use crate::http::docs::openapi_json;
    pub use crate::server::{Bound, ServeOptions, serve, serve_blocking};
}

pub mod keys {
    //! The fixed RSA-2048 key every token is signed with, for clients that verify signatures.
    //!
    //! ```
    //! use veeam_auth_mock::keys::{PUBLIC_KEY_PEM, SigningKey};
    //!
    //! assert!(PUBLIC_KEY_PEM.starts_with("-----BEGIN PUBLIC KEY-----"));
    //! assert_eq!(SigningKey::test_key().kid(), "BBC1E28EA38F90EA006F0925D280AC6FC362ECC7");
    //! ```

    pub use crate::tokens::{CERTIFICATE_PEM, PUBLIC_KEY_PEM, SigningKey};
}
