//! Veeam Backup for Microsoft Azure (VBAzure): `POST /api/oauth2/token` with every grant and
//! two-step MFA, RS512 JWTs, `DELETE /api/oauth2/token` (logout), `application/problem+json`
//! errors, and the probe endpoints under `/api/v{ver}/` (`system/about`, `system/serverInfo`,
//! ...). The shapes follow seed 002 and the 8.1 OpenAPI document; the VBAzure contract note tags what
//! is certain and what the mock chose (README: "Where the mock had to choose").
//!
//! Routes are registered in lower case; [`crate::http`] normalizes paths first, so
//! `/api/v8.1/system/serverInfo` reaches `/api/{version}/system/serverinfo`. The token endpoint
//! is unversioned; everything else carries the version segment, and an unserved version is 404.

mod auth;
mod checksums;
pub(crate) mod config;
mod endpoints;
mod grants;
mod mfa;
pub(crate) mod openapi;
mod problem;
mod request;
pub(crate) mod state;
mod token;
mod totp;
mod version;
mod wire;

use actix_web::http::Method;
use actix_web::web::{self, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, ResponseError};

pub(crate) use problem::AzureError;

use crate::scenario::Endpoint;
use crate::state::World;

/// Adds a versioned resource's routes.
type AddRoutes = fn(actix_web::Resource) -> actix_web::Resource;

/// Registers the VBAzure routes.
pub(crate) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        web::resource("/api/oauth2/token")
            .route(web::post().to(token::token))
            .route(web::delete().to(endpoints::logout))
            .default_service(web::to(|| async { unversioned_wrong_method("POST, DELETE") })),
    )
    .service(
        web::resource("/api/oauth2/authorization_code")
            .route(web::post().to(endpoints::authorization_code))
            .default_service(web::to(|| async { unversioned_wrong_method("POST") })),
    );
}

/// The versioned VBAzure routes, in one scope under `/api/{version}` (one route pattern to
/// compile at start instead of one per route). It takes every `/api/...` path the static
/// routes above did not, so register it after them, with the app's default service.
pub(crate) fn versioned_scope() -> actix_web::Scope {
    let versioned: [(&str, AddRoutes, &'static str); 6] = [
        ("/system/about", |r| r.route(web::get().to(endpoints::about)), "GET"),
        ("/system/serverinfo", |r| r.route(web::get().to(endpoints::server_info)), "GET"),
        ("/system/status", |r| r.route(web::get().to(endpoints::status)), "GET"),
        ("/system/serviceisup", |r| r.route(web::get().to(endpoints::service_is_up)), "GET"),
        ("/licenseagreement/accepted", |r| r.route(web::get().to(endpoints::license_accepted)), "GET"),
        ("/licenseagreement/accept", |r| r.route(web::post().to(endpoints::accept_license)), "POST"),
    ];
    let mut scope = web::scope("/api/{version}");
    for (path, routes, allow) in versioned {
        let resource = routes(web::resource(path));
        scope = scope.service(resource.default_service(web::to(move |req: HttpRequest| async move {
            versioned_wrong_method(&req, allow)
        })));
    }
    scope
}

fn unversioned_wrong_method(allow: &'static str) -> HttpResponse {
    AzureError::MethodNotAllowed { allow }.error_response()
}

/// A known path with the wrong method: 405 on a served version, 404 otherwise.
fn versioned_wrong_method(req: &HttpRequest, allow: &'static str) -> HttpResponse {
    match version::AzureVersion::of(req) {
        Ok(_) => AzureError::MethodNotAllowed { allow }.error_response(),
        Err(not_found) => not_found.error_response(),
    }
}

/// Whether a path belongs to VBAzure (everything under `/api/`).
pub(crate) fn owns(req: &HttpRequest) -> bool {
    req.path() == "/api" || req.path().starts_with("/api/")
}

/// The product's answer to a path under `/api/` that nothing serves.
pub(crate) fn not_found(req: &HttpRequest) -> HttpResponse {
    AzureError::NotFound { instance: req.path().to_owned() }.error_response()
}

/// The endpoint a (normalized) path and method name, for faults and the journal.
pub(crate) fn endpoint_of(method: &Method, path: &str) -> Option<Endpoint> {
    let rest = path.strip_prefix("/api/")?;
    match rest {
        "oauth2/token" if method == Method::DELETE => return Some(Endpoint::AzureLogout),
        "oauth2/token" => return Some(Endpoint::AzureToken),
        "oauth2/authorization_code" => return Some(Endpoint::AzureAuthorizationCode),
        _ => {}
    }
    let (_version, route) = rest.split_once('/')?;
    match route {
        "system/about" => Some(Endpoint::AzureAbout),
        "system/serverinfo" => Some(Endpoint::AzureServerInfo),
        "system/status" => Some(Endpoint::AzureStatus),
        "system/serviceisup" => Some(Endpoint::AzureServiceIsUp),
        "licenseagreement/accepted" | "licenseagreement/accept" => Some(Endpoint::AzureLicenseAgreement),
        _ => None,
    }
}

/// The product's own error for `status`, as a fault injects it.
pub(crate) fn status_error(req: &HttpRequest, status: u16) -> HttpResponse {
    // A 401 has a body or not as the scenario's other 401s do (`unauthorized_body`).
    let json =
        req.app_data::<web::Data<World>>().is_none_or(|world| world.scenario().azure().unauthorized_json);
    let error = match status {
        401 => AzureError::Unauthorized { challenge: "Bearer".to_owned(), json },
        403 => AzureError::Forbidden { license: false },
        404 => AzureError::NotFound { instance: req.path().to_owned() },
        413 => AzureError::TooLarge,
        415 => AzureError::UnsupportedMediaType,
        429 => AzureError::TooManyRequests { detail: "Too many requests. Try again later.".to_owned() },
        500 => AzureError::Internal,
        _ => AzureError::Status { status },
    };
    error.error_response()
}
