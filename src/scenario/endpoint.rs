//! Stable names for the mock's product routes, used by faults and the request journal
//! (`vb365.token`, `azure.token`, ...), so that a test can say "the token endpoint" whatever the
//! version, case or trailing slash of the path a client sends.
//!
//! The names themselves are not listed here: each product declares its endpoints next to its
//! route table (`products/<product>/routes.rs`, as associated consts of [`Endpoint`]), and the
//! list of every endpoint ([`Endpoint::all`]) and the parsing of a name come from the product
//! registry. This module holds only the product-neutral value type, so `scenario` stays below
//! the products.

use std::fmt;

use serde::{Serialize, Serializer};

/// A product route, by its stable name (what `[[faults]] endpoint = "..."` and the
/// journal use).
///
/// ```
/// use veeam_auth_mock::Endpoint;
///
/// let endpoint: Endpoint = "vb365.token".parse().expect("a known name");
/// assert_eq!(endpoint, Endpoint::Vb365Token);
/// assert_eq!(endpoint.name(), "vb365.token");
/// // The values are constants, so they work as patterns too.
/// assert!(matches!(endpoint, Endpoint::Vb365Token | Endpoint::AzureToken));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Endpoint {
    name: &'static str,
}

impl Endpoint {
    /// An endpoint named `name` (lower case, `product.route`); only the products declare them.
    pub(crate) const fn new(name: &'static str) -> Endpoint {
        Endpoint { name }
    }

    /// The stable name, such as `vb365.token`.
    pub fn name(self) -> &'static str {
        self.name
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Endpoint {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// An endpoint name that is not one of [`Endpoint::all`].
///
/// Its message (`unknown endpoint `x`; expected one of: vb365.token, ...`) lists every
/// endpoint; it is written where the list is known, next to the product registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEndpoint {
    /// The name given.
    pub given: String,
}

impl std::error::Error for UnknownEndpoint {}

/// What a declared route's endpoint name starts with (`route.jobs`): faults and the journal
/// name a declared route so, beside the products' endpoints.
pub(crate) const ROUTE_PREFIX: &str = "route.";

/// Why `name` cannot be a declared route's name, if it cannot: 1 to 100 ASCII letters, digits,
/// `-`, `_` or `.`. The one rule for the routes themselves and for the faults that name them
/// (a fault may name a route that is added later, so only the form is checked).
pub(crate) fn route_name_problem(name: &str) -> Option<String> {
    let valid = !name.is_empty()
        && name.len() <= 100
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    (!valid).then(|| format!("`{name}`: a route name is 1 to 100 letters, digits, `-`, `_` or `.`"))
}
