//! The products the mock plays. Each owns its routes, wire models and error format, and none
//! imports another.

pub(crate) mod azure;
pub(crate) mod sections;
pub(crate) mod vb365;

use actix_web::http::Method;
use actix_web::{HttpRequest, HttpResponse};

use crate::scenario::Endpoint;

/// The product endpoint a normalized path and method name, if any.
pub(crate) fn endpoint_of(method: &Method, path: &str) -> Option<Endpoint> {
    azure::endpoint_of(method, path).or_else(|| vb365::endpoint_of(method, path))
}

/// The error body the product owning the path writes for `status` (a fault's answer).
pub(crate) fn status_error(req: &HttpRequest, status: u16) -> HttpResponse {
    if azure::owns(req) { azure::status_error(req, status) } else { vb365::status_error(req, status) }
}
