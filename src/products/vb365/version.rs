//! The API version in a VB365 path (`/v8/...`).

use std::fmt;
use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use super::error::Vb365Error;

/// A VB365 REST API version the mock can serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ApiVersion(u8);

impl ApiVersion {
    /// REST API v8 (VB365 8.x), the newest.
    pub(crate) const V8: ApiVersion = ApiVersion(8);

    /// Reads a lower-cased path segment such as `v8`; `None` for anything not served.
    pub(crate) fn parse(segment: &str) -> Option<ApiVersion> {
        match segment {
            "v8" => Some(ApiVersion::V8),
            _ => None,
        }
    }

    /// The version named by the request's `{version}` path segment, or a 404 in the product's
    /// format (clients probe versions and read 404 as "not served").
    pub(crate) fn of(req: &HttpRequest) -> Result<ApiVersion, Vb365Error> {
        let segment = req.match_info().get("version").unwrap_or_default();
        ApiVersion::parse(segment).ok_or_else(|| Vb365Error::not_found(ApiVersion::V8, req))
    }

    /// The number, e.g. 8.
    pub(crate) fn number(self) -> u8 {
        self.0
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
