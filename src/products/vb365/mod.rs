//! Veeam Backup for Microsoft 365, REST API v1-v8: the token endpoint with every grant, the
//! antiforgery rule, logout, AuthCode, the anonymous probes, the signed-in user, and restore
//! sessions, each in the shape of the version called.
//!
//! Routes are registered in lower case under `/{version}`, each with the range of versions it
//! exists in ([`Versions`]); [`crate::http`] normalizes paths first, so `/V8/Token/` reaches
//! `/v8/token`. The shapes follow seeds 000 and 001 (the project's seed documents: a v8 and a v1-v5 token exchange) and the
//! v6-v8 OpenAPI documents.

mod auth;
pub(crate) mod config;
mod error;
mod grants;
mod info;
mod json_body;
mod legacy;
pub(crate) mod openapi;
mod request;
mod restore;
mod session;
pub(crate) mod state;
mod token;
mod version;
mod wire;

use std::ops::RangeInclusive;

use actix_web::http::header::{ALLOW, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse, ResponseError, Route};

pub(crate) use error::Vb365Error;
pub(crate) use version::ApiVersion;
use version::Versions;

use crate::scenario::Endpoint;

const ALL: RangeInclusive<u8> = 1..=8;
const LEGACY: RangeInclusive<u8> = 1..=5;
const MODERN: RangeInclusive<u8> = 6..=8;
const WITH_LOGOUT: RangeInclusive<u8> = 7..=8;

/// The VB365 routes, in one scope under `/{version}`, so that only routes with a parameter of
/// their own compile a pattern when a server starts (in a user's debug build, compiling route
/// patterns was half of the time `MockServer::start` took). The scope takes every path not
/// served before it, so it must be registered last, with the app's default service.
pub(crate) fn scope() -> actix_web::Scope {
    let post = || web::post();
    let get = || web::get();
    let routes: [(&str, RangeInclusive<u8>, Route, &'static str); 10] = [
        ("/token", ALL, post().to(token::token), "POST"),
        ("/token/logout", WITH_LOGOUT, post().to(session::logout), "POST"),
        ("/token/authcode", WITH_LOGOUT, post().to(session::auth_code), "POST"),
        ("/health", 8..=8, get().to(info::health), "GET"),
        ("/restoreportalsettings", MODERN, get().to(info::restore_portal_settings), "GET"),
        ("/serviceinstance", MODERN, get().to(info::service_instance), "GET"),
        ("/organization/loggedinuser", MODERN, get().to(info::logged_in_user), "GET"),
        ("/organization/loggedinuser/operatorinfo", MODERN, get().to(info::operator_info), "GET"),
        ("/organization/explore", MODERN, post().to(restore::explore_own), "POST"),
        ("/organization/operatorexplore", MODERN, post().to(restore::explore_operator), "POST"),
    ];
    let mut scope = web::scope("/{version}");
    for (path, versions, route, allow) in routes {
        scope = scope.service(resource(path, versions, route, allow));
    }
    // Routes under an id share its pattern through a nested scope (one pattern, not one each);
    // paths they do not serve fall through to the app's default service.
    let organization = web::scope("/organizations/{organization_id}")
        .service(resource("/explore", MODERN, post().to(restore::explore_organization), "POST"))
        .service(resource("/action", LEGACY, post().to(restore::legacy_organization_action), "POST"));
    let restore_session = web::scope("/restoresessions/{restore_session_id}")
        .service(resource("", ALL, get().to(restore::get), "GET"))
        .service(resource("/stop", MODERN, post().to(restore::stop), "POST"))
        .service(resource("/action", LEGACY, post().to(restore::legacy_session_action), "POST"));
    scope
        .service(resource("/organization/action", LEGACY, post().to(restore::legacy_own_action), "POST"))
        .service(organization)
        .service(restore_session)
}

/// A route that exists in `versions` and answers other methods with 405 (or 404 where the
/// version does not have it).
fn resource(
    path: &str,
    versions: RangeInclusive<u8>,
    route: Route,
    allow: &'static str,
) -> actix_web::Resource {
    web::resource(path)
        .app_data(Versions(versions))
        .route(route)
        .default_service(web::to(move |req: HttpRequest| async move { wrong_method(&req, allow) }))
}

/// A known path with the wrong method: 405 with `Allow` on a served version, 404 otherwise.
fn wrong_method(req: &HttpRequest, allow: &'static str) -> HttpResponse {
    match ApiVersion::of(req) {
        Ok(version) => {
            let mut response = Vb365Error::method_not_allowed(version, req).error_response();
            response.headers_mut().insert(ALLOW, HeaderValue::from_static(allow));
            response
        }
        Err(not_found) => not_found.error_response(),
    }
}

/// The product's answer to a path nothing serves, in the shape of the version it names.
pub(crate) fn not_found(req: &HttpRequest) -> Vb365Error {
    Vb365Error::not_found(shape_of(req), req)
}

/// The version whose shapes an answer outside any route takes: the one the path's first
/// segment names, served or not, else the newest.
fn shape_of(req: &HttpRequest) -> ApiVersion {
    let first_segment = req.path().trim_start_matches('/').split('/').next().unwrap_or_default();
    ApiVersion::parse(first_segment).unwrap_or(ApiVersion::NEWEST)
}

/// The endpoint a (normalized) path names, for faults and the journal.
pub(crate) fn endpoint_of(_method: &Method, path: &str) -> Option<Endpoint> {
    let mut segments = path.trim_start_matches('/').split('/');
    ApiVersion::parse(segments.next()?)?;
    let rest: Vec<&str> = segments.collect();
    let endpoint = match rest.as_slice() {
        ["token"] => Endpoint::Vb365Token,
        ["token", "logout"] => Endpoint::Vb365Logout,
        ["token", "authcode"] => Endpoint::Vb365AuthCode,
        ["health"] => Endpoint::Vb365Health,
        ["restoreportalsettings"] => Endpoint::Vb365RestorePortalSettings,
        ["serviceinstance"] => Endpoint::Vb365ServiceInstance,
        ["organization", "loggedinuser"] => Endpoint::Vb365LoggedInUser,
        ["organization", "loggedinuser", "operatorinfo"] => Endpoint::Vb365OperatorInfo,
        ["organizations", _, "explore" | "action"]
        | ["organization", "explore" | "operatorexplore" | "action"] => Endpoint::Vb365Explore,
        ["restoresessions", _] => Endpoint::Vb365RestoreSession,
        ["restoresessions", _, "stop" | "action"] => Endpoint::Vb365RestoreSessionStop,
        _ => return None,
    };
    Some(endpoint)
}

/// The product's own error for `status` in the shape of the version the path names, as a
/// fault injects it.
pub(crate) fn status_error(req: &HttpRequest, status: u16) -> HttpResponse {
    let version = shape_of(req);
    if status == 401 {
        return Vb365Error::no_bearer(version).error_response();
    }
    let code = match status {
        400 | 413 => Some(error::ErrorCode::ParameterValidationFailure),
        403 => Some(error::ErrorCode::ResourceAccessDenied),
        404 => Some(error::ErrorCode::ResourceNotFound),
        408 | 504 => Some(error::ErrorCode::Timeout),
        409 => Some(error::ErrorCode::OperationConflict),
        _ => None,
    };
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let message = match status.as_u16() {
        500 => "An internal error occurred.".to_owned(),
        503 => "The service is unavailable. Try again later.".to_owned(),
        429 => "Too many requests. Try again later.".to_owned(),
        _ => status.canonical_reason().unwrap_or("The request failed.").to_owned() + ".",
    };
    Vb365Error::api(version, status, message, code).error_response()
}
