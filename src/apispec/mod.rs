//! OpenAPI documents and their drift, for the binary's `drift` command: what changed between
//! two versions of a product's OpenAPI 3 document that can break a client (operations
//! removed, parameters and body fields newly required, response fields removed, enum values
//! removed or changed in letter case alone), optionally narrowed to the calls a test suite
//! made (the mock's journal export).
//!
//! Pure: JSON in, changes and a report out; no HTTP and nothing of any product. Built with
//! the `cli` feature only, as the binary is its one user.
//!
//! ```
//! use veeam_auth_mock::apispec::{Document, diff};
//!
//! let old = Document::from_slice(br#"{"openapi": "3.0.1", "paths": {"/a": {"get": {}}, "/b": {"get": {}}}}"#)?;
//! let new = Document::from_slice(br#"{"openapi": "3.0.1", "paths": {"/A/": {"get": {}}}}"#)?;
//! let changes = diff(&old, &new);
//! assert_eq!(changes.len(), 1);
//! assert_eq!(changes[0].path, "/b");
//! # Ok::<(), veeam_auth_mock::apispec::LoadError>(())
//! ```

mod document;
mod drift;
mod journal;
mod report;
mod schema;

pub use document::{Document, LoadError, Operation, Parameter};
pub use drift::{Change, ChangeKind, Place, diff};
pub use journal::{Call, Usage, narrow, read_calls};
pub use report::Report;
pub use schema::{Field, Fields, MAX_DEPTH};
