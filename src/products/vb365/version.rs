//! The API version in a VB365 path (`/v8/...`), and which versions each route exists in: plain
//! values (reading one from a request, with the product's 404, is [`super::extract`]'s).

use std::fmt;
use std::ops::RangeInclusive;

/// A VB365 REST API version, 1 to 8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ApiVersion(u8);

/// The versions a route exists in, attached to the route as resource data.
#[derive(Debug, Clone)]
pub(crate) struct Versions(pub(crate) RangeInclusive<u8>);

impl ApiVersion {
    /// REST API v8 (VB365 8.x), the newest: the shape used when no version applies.
    pub(crate) const NEWEST: ApiVersion = ApiVersion(8);

    /// Reads a lower-cased path segment such as `v8`.
    pub(crate) fn parse(segment: &str) -> Option<ApiVersion> {
        let number: u8 = segment.strip_prefix('v')?.parse().ok()?;
        super::config::ALL_VERSIONS.contains(&number).then_some(ApiVersion(number))
    }

    /// The number, e.g. 8.
    pub(crate) fn number(self) -> u8 {
        self.0
    }

    /// Whether this is the legacy OWIN API (v1-v5): opaque tokens, OAuth-style errors.
    pub(crate) fn is_legacy(self) -> bool {
        self.0 < 6
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}
