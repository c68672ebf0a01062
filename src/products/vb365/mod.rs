//! Veeam Backup for Microsoft 365, REST API v1-v8: the token endpoint with every grant, the
//! antiforgery rule, logout, AuthCode, the anonymous probes, the signed-in user, and restore
//! sessions, each in the shape of the version called.
//!
//! The routes are one table ([`routes`]), registered in lower case under `/{version}`, each with
//! the range of versions it exists in ([`Versions`]); the HTTP layer normalizes paths first, so `/V8/Token/`
//! reaches
//! `/v8/token`. The shapes follow seeds 000 and 001 (the project's seed documents: a v8 and a v1-v5 token exchange) and the
//! v6-v8 OpenAPI documents.

mod auth;
pub(crate) mod config;
mod declared;
#[cfg(feature = "openapi")]
pub(crate) mod doc;
mod error;
mod extract;
mod grants;
mod info;
mod json_body;
mod legacy;
mod request;
mod restore;
mod routes;
mod session;
pub(crate) mod state;
#[cfg(feature = "openapi")]
mod tags;
mod token;
mod version;
mod wire;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde::Serialize;

pub(crate) use error::Vb365Error;
pub(crate) use version::ApiVersion;
use version::Versions;

use super::{Access, Admitted, Landing, Product, Refusal, SignInChoice, UserColumn};
use crate::routing::{Route, Table};
use crate::scenario::{Scenario, SectionParser};
use crate::state::{ProductState, World};

/// VB365 in the product registry ([`super::PRODUCTS`]).
pub(crate) struct Vb365;

impl Product for Vb365 {
    fn name(&self) -> &'static str {
        "vb365"
    }

    fn section(&self) -> &'static dyn SectionParser {
        &config::SECTION
    }

    fn new_state(&self, scenario: &Scenario) -> Box<dyn ProductState> {
        state::Vb365State::boxed(scenario)
    }

    fn routes(&self) -> &'static Table {
        &routes::TABLE
    }

    /// VB365 paths start with a version segment (`/v8/...`).
    fn owns(&self, req: &HttpRequest, _scenario: &Scenario) -> bool {
        let first_segment = req.path().trim_start_matches('/').split('/').next().unwrap_or_default();
        ApiVersion::parse(first_segment).is_some()
    }

    /// The real VB365 server answers every path it does not know in its own format, and its
    /// `/{version}` scope takes any first segment: it answers what no other product owns.
    fn is_fallback(&self) -> bool {
        true
    }

    /// Only a path whose first segment is a VB365 version names one of its endpoints.
    fn route_of(&self, method: &actix_web::http::Method, path: &str) -> Option<&'static Route> {
        ApiVersion::parse(path.trim_start_matches('/').split('/').next()?)?;
        routes::TABLE.lookup(method, path)
    }

    fn not_found(&self, req: &HttpRequest) -> HttpResponse {
        not_found(req).error_response()
    }

    fn status_error(&self, req: &HttpRequest, status: u16) -> HttpResponse {
        status_error(req, status)
    }

    fn secret_headers<'s>(&self, scenario: &'s Scenario) -> Vec<&'s str> {
        vec![scenario.vb365().antiforgery.header.as_str()]
    }

    fn users_json(&self, scenario: &Scenario) -> String {
        let users: Vec<UserView> = scenario
            .vb365()
            .users
            .iter()
            .map(|user| UserView {
                username: &user.username,
                aliases: &user.aliases,
                password: user.password.as_ref().map(|secret| secret.expose()),
                role: format!("{:?}", user.role),
                client_id: user.client_id.as_deref(),
            })
            .collect();
        serde_json::to_string(&users).unwrap_or_else(|_| "[]".to_owned())
    }

    #[cfg(feature = "openapi")]
    fn doc(&self) -> utoipa::openapi::OpenApi {
        doc::document()
    }

    #[cfg(feature = "openapi")]
    fn declared_doc(&self) -> &'static crate::products::declared::DeclaredDoc {
        &doc::DECLARED
    }

    #[cfg(feature = "openapi")]
    fn users_schema(&self) -> &'static str {
        "Vb365UserView"
    }

    fn landing(&self) -> &'static Landing {
        &LANDING
    }

    fn claims_path(&self, path: &str) -> bool {
        declared::claims_path(path)
    }

    fn refuse_declared_path(&self, path: &str) -> Option<String> {
        declared::refuse_path(path)
    }

    fn role(&self, name: &str) -> Result<&'static str, String> {
        declared::role(name)
    }

    fn takes_auth_codes(&self) -> bool {
        true
    }

    fn admit(&self, req: &HttpRequest, world: &World, access: &Access) -> Result<Admitted, Refusal> {
        declared::admit(req, world, access)
    }

    fn page(&self, req: &HttpRequest, items: &[serde_json::Value]) -> Result<serde_json::Value, Refusal> {
        declared::page(req, items)
    }

    /// .NET's round-trip UTC format, as the v6-v8 token response writes `.issued`.
    fn format_time(&self, at: time::OffsetDateTime) -> String {
        crate::dates::dotnet_utc(at)
    }

    fn recognize_document(&self, root: &serde_json::Value) -> Option<String> {
        declared::recognize_document(root)
    }

    fn invalid_request(&self, req: &HttpRequest, problems: &[(String, String)]) -> HttpResponse {
        declared::invalid_request(req, problems)
    }
}

/// How the landing page signs in: the password grant on each version, newest first (the
/// default); from v7 the form asks to skip the antiforgery token, so a bearer alone is then
/// enough for the protected calls (v5 and v6 do not know the flag).
static LANDING: Landing = Landing {
    title: "VB365",
    columns: &[
        UserColumn { heading: "user", field: "username" },
        UserColumn { heading: "aliases", field: "aliases" },
        UserColumn { heading: "password", field: "password" },
        UserColumn { heading: "role", field: "role" },
    ],
    sign_in: &[
        SignInChoice {
            value: "vb365:v8",
            label: "VB365 POST /v8/token",
            path: "/v8/token",
            fields: &[("grant_type", "password"), ("disable_antiforgery_token", "true")],
            headers: &[],
        },
        SignInChoice {
            value: "vb365:v7",
            label: "VB365 POST /v7/token",
            path: "/v7/token",
            fields: &[("grant_type", "password"), ("disable_antiforgery_token", "true")],
            headers: &[],
        },
        SignInChoice {
            value: "vb365:v6",
            label: "VB365 POST /v6/token",
            path: "/v6/token",
            fields: &[("grant_type", "password")],
            headers: &[],
        },
        SignInChoice {
            value: "vb365:v5",
            label: "VB365 POST /v5/token (opaque tokens)",
            path: "/v5/token",
            fields: &[("grant_type", "password")],
            headers: &[],
        },
    ],
    mfa: None,
};

// What the admin API lists (`GET /__mock/users`); the doc comment is the schema's description.
/// A VB365 user.
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Vb365UserView))]
struct UserView<'a> {
    username: &'a str,
    aliases: &'a [String],
    password: Option<&'a str>,
    /// `Administrator`, `Tenant` or `Operator`.
    role: String,
    client_id: Option<&'a str>,
}

/// A known path with the wrong method: 405 on a served version (the route table's wrapper
/// adds `Allow`), 404 otherwise.
fn wrong_method(req: &HttpRequest, _allow: &'static str) -> HttpResponse {
    match ApiVersion::of(req) {
        Ok(version) => Vb365Error::method_not_allowed(version, req).error_response(),
        Err(not_found) => not_found.error_response(),
    }
}

/// The product's answer to a path nothing serves, in the shape of the version it names.
fn not_found(req: &HttpRequest) -> Vb365Error {
    Vb365Error::not_found(shape_of(req), req)
}

/// The version whose shapes an answer outside any route takes: the one the path's first
/// segment names, served or not, else the newest.
fn shape_of(req: &HttpRequest) -> ApiVersion {
    let first_segment = req.path().trim_start_matches('/').split('/').next().unwrap_or_default();
    ApiVersion::parse(first_segment).unwrap_or(ApiVersion::NEWEST)
}

/// The product's own error for `status` in the shape of the version the path names, as a
/// fault injects it.
fn status_error(req: &HttpRequest, status: u16) -> HttpResponse {
    let version = shape_of(req);
    if status == 401 {
        return Vb365Error::no_bearer(version).error_response();
    }
    if status == 405 {
        // The real server's 405 names the method and the path, as the mock's own routes do.
        return Vb365Error::method_not_allowed(version, req).error_response();
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
