//! The API version in a VB365 path (`/v8/...`), and which versions each route exists in.

use std::fmt;
use std::future::{Ready, ready};
use std::ops::RangeInclusive;

use actix_web::dev::Payload;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};

use super::error::Vb365Error;
use crate::state::World;

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

    /// The version named by the request's `{version}` segment, if the scenario serves it and the
    /// route exists in it; otherwise a 404 in the product's format (clients probe versions and
    /// read 404 as "not served", even before any bearer check).
    pub(crate) fn of(req: &HttpRequest) -> Result<ApiVersion, Vb365Error> {
        let segment = req.match_info().get("version").unwrap_or_default();
        let parsed = ApiVersion::parse(segment);
        let served = parsed.filter(|version| {
            let in_scenario =
                req.app_data::<Data<World>>().is_some_and(|world| world.scenario().vb365().serves(version.0));
            let in_route = req.app_data::<Versions>().is_none_or(|versions| versions.0.contains(&version.0));
            in_scenario && in_route
        });
        served.ok_or_else(|| Vb365Error::not_found(parsed.unwrap_or(ApiVersion::NEWEST), req))
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

impl FromRequest for ApiVersion {
    type Error = Vb365Error;
    type Future = Ready<Result<ApiVersion, Vb365Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(ApiVersion::of(req))
    }
}
