//! OpenAPI 3 documents, pure (JSON in, JSON out; no HTTP and nothing of any product).
//!
//! Serving a loaded document needs [`generate`] (a body from a schema, deterministic for a
//! seed) and [`check`] (a value against a schema, for refusing bad parameters and bodies).
//!
//! The binary's `drift` command (the `cli` feature) needs the rest: what changed between
//! two versions of a product's OpenAPI 3 document that can break a client (operations
//! removed, parameters and body fields newly required, response fields removed, enum values
//! removed or changed in letter case alone), optionally narrowed to the calls a test suite
//! made (the mock's journal export).
//!
//! The drift is built with the `cli` feature only, as the binary is its one user.
//!
//! ```
//! # #[cfg(feature = "cli")] {
//! use veeam_auth_mock::apispec::{Document, diff};
//!
//! let old = Document::from_slice(br#"{"openapi": "3.0.1", "paths": {"/a": {"get": {}}, "/b": {"get": {}}}}"#)
//!     .expect("an OpenAPI 3 document");
//! let new = Document::from_slice(br#"{"openapi": "3.0.1", "paths": {"/A/": {"get": {}}}}"#)
//!     .expect("an OpenAPI 3 document");
//! let changes = diff(&old, &new);
//! assert_eq!(changes.len(), 1);
//! assert_eq!(changes[0].path, "/b");
//! # }
//! ```

pub mod check;
#[cfg(feature = "cli")]
mod document;
#[cfg(feature = "cli")]
mod drift;
pub mod generate;
#[cfg(feature = "cli")]
mod journal;
#[cfg(feature = "cli")]
mod report;
#[cfg(feature = "cli")]
mod schema;

#[cfg(feature = "cli")]
pub use document::{Document, LoadError, Operation, Parameter};
#[cfg(feature = "cli")]
pub use drift::{Change, ChangeKind, Place, diff};
#[cfg(feature = "cli")]
pub use journal::{Call, Usage, narrow, read_calls};
#[cfg(feature = "cli")]
pub use report::Report;
#[cfg(feature = "cli")]
pub use schema::{Field, Fields, MAX_DEPTH};
