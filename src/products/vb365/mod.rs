//! Veeam Backup for Microsoft 365, REST API v6-v8 (v8 so far): the token endpoint with the
//! password and refresh grants, antiforgery, logout, and `ServiceInstance` as the smallest
//! protected call.
//!
//! Routes are registered in lower case under `/{version}`; [`crate::http`] normalizes paths
//! first, so `/V8/Token/` reaches `/v8/token`. The shapes follow seed 000 (see
//! `../shared/seeds/README.md`) and the v8 OpenAPI document.

mod auth;
mod endpoints;
mod error;
mod request;
mod token;
mod version;
mod wire;

use actix_web::http::header::{ALLOW, HeaderValue};
use actix_web::web::{self, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, ResponseError};

pub(crate) use error::Vb365Error;
pub(crate) use version::ApiVersion;

/// What a VB365 session remembers about its login.
#[derive(Debug, Clone)]
pub(crate) struct Vb365Session {
    /// The scenario user's canonical name (the `name` claim and `userName`).
    pub(crate) user_name: String,
    /// The `credentialKey` claim: one per login, kept across refreshes.
    pub(crate) credential_key: String,
    /// The `credentialType` claim, from the grant used.
    pub(crate) credential_type: &'static str,
    /// The antiforgery token, unless the login sent `disable_antiforgery_token=true`.
    pub(crate) antiforgery: Option<String>,
}

/// Registers the VB365 routes.
pub(crate) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        web::resource("/{version}/token")
            .route(web::post().to(token::token))
            .default_service(web::to(post_only)),
    )
    .service(
        web::resource("/{version}/token/logout")
            .route(web::post().to(endpoints::logout))
            .default_service(web::to(post_only)),
    )
    .service(
        web::resource("/{version}/serviceinstance")
            .route(web::get().to(endpoints::service_instance))
            .default_service(web::to(get_only)),
    );
}

async fn post_only(req: HttpRequest) -> HttpResponse {
    wrong_method(&req, "POST")
}

async fn get_only(req: HttpRequest) -> HttpResponse {
    wrong_method(&req, "GET")
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

/// The product's answer to a path nothing serves.
pub(crate) fn not_found(req: &HttpRequest) -> Vb365Error {
    let first_segment = req.path().trim_start_matches('/').split('/').next().unwrap_or_default();
    let version = ApiVersion::parse(first_segment).unwrap_or(ApiVersion::V8);
    Vb365Error::not_found(version, req)
}
