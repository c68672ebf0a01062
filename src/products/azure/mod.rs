//! Veeam Backup for Microsoft Azure (VBAzure): `POST /api/oauth2/token` with every grant and
//! two-step MFA, RS512 JWTs, `DELETE /api/oauth2/token` (logout), `application/problem+json`
//! errors, and the probe endpoints under `/api/v{ver}/` (`system/about`, `system/serverInfo`,
//! ...). The shapes follow seed 002 and the 8.1 OpenAPI document; the VBAzure contract note tags what
//! is certain and what the mock chose (README: "Where the mock had to choose").
//!
//! The routes are one table ([`routes`]), registered in lower case; the HTTP layer normalizes
//! paths first, so
//! `/api/v8.1/system/serverInfo` reaches `/api/{version}/system/serverinfo`. The token endpoint
//! is unversioned; everything else carries the version segment, and an unserved version is 404.

mod auth;
mod checksums;
pub(crate) mod config;
mod declared;
#[cfg(feature = "openapi")]
pub(crate) mod doc;
mod endpoints;
mod grants;
mod mfa;
mod problem;
mod request;
mod routes;
pub(crate) mod state;
#[cfg(feature = "openapi")]
mod tags;
mod token;
mod totp;
mod version;
mod wire;

use actix_web::web;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde::Serialize;

pub(crate) use problem::AzureError;

use super::{Access, Admitted, Landing, MfaStep, Product, Refusal, SignInChoice, UserColumn};
use crate::routing::Table;
use crate::scenario::{Scenario, SectionParser};
use crate::state::{ProductState, World};

/// VBAzure in the product registry ([`super::PRODUCTS`]).
pub(crate) struct Azure;

impl Product for Azure {
    fn name(&self) -> &'static str {
        "azure"
    }

    fn section(&self) -> &'static dyn SectionParser {
        &config::SECTION
    }

    fn new_state(&self, scenario: &Scenario) -> Box<dyn ProductState> {
        state::AzureState::boxed(scenario)
    }

    fn routes(&self) -> &'static Table {
        &routes::TABLE
    }

    /// Everything under `/api/` (the mock serves no other product there yet; one that shares
    /// the prefix, such as VBR with its mandatory `x-api-version` header, goes before VBAzure
    /// in the registry and claims its requests first).
    fn owns(&self, req: &HttpRequest, _scenario: &Scenario) -> bool {
        req.path() == "/api" || req.path().starts_with("/api/")
    }

    /// The product's answer to a path under `/api/` that nothing serves.
    fn not_found(&self, req: &HttpRequest) -> HttpResponse {
        AzureError::NotFound { instance: crate::request::path_as_sent(req) }.error_response()
    }

    fn status_error(&self, req: &HttpRequest, status: u16) -> HttpResponse {
        status_error(req, status)
    }

    fn users_json(&self, scenario: &Scenario) -> String {
        let users: Vec<UserView> = scenario
            .azure()
            .users
            .iter()
            .map(|user| UserView {
                username: &user.username,
                password: user.password.as_ref().map(|secret| secret.expose()),
                role: user.role.name(),
                mfa: user.mfa.is_some(),
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
        "AzureUserView"
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

    fn admit(&self, req: &HttpRequest, world: &World, access: &Access) -> Result<Admitted, Refusal> {
        declared::admit(req, world, access)
    }

    fn page(&self, req: &HttpRequest, items: &[serde_json::Value]) -> Result<serde_json::Value, Refusal> {
        declared::page(req, items)
    }

    /// .NET's round-trip UTC format, as VBAzure writes its dates.
    fn format_time(&self, at: time::OffsetDateTime) -> String {
        crate::dates::dotnet_utc(at)
    }

    fn recognize_document(&self, root: &serde_json::Value) -> Option<String> {
        declared::recognize_document(root)
    }

    fn invalid_request(&self, _req: &HttpRequest, problems: &[(String, String)]) -> HttpResponse {
        AzureError::Validation { errors: problems.to_vec() }.error_response()
    }
}

/// How the landing page signs in: the password grant, then, for a user with MFA, the MFA
/// grant with the challenge's token and the typed code.
static LANDING: Landing = Landing {
    title: "VBAzure",
    columns: &[
        UserColumn { heading: "user", field: "username" },
        UserColumn { heading: "password", field: "password" },
        UserColumn { heading: "role", field: "role" },
        UserColumn { heading: "MFA", field: "mfa" },
    ],
    sign_in: &[SignInChoice {
        value: "azure",
        label: "VBAzure POST /api/oauth2/token",
        path: "/api/oauth2/token",
        fields: &[("grant_type", "Password")],
        headers: &[],
    }],
    mfa: Some(MfaStep { path: "/api/oauth2/token", fields: &[("grant_type", "Mfa")] }),
};

// What the admin API lists (`GET /__mock/users`); the doc comment is the schema's description.
/// A VBAzure user.
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = AzureUserView))]
struct UserView<'a> {
    username: &'a str,
    password: Option<&'a str>,
    role: &'static str,
    /// Whether sign-in asks for an MFA code.
    mfa: bool,
}

/// A known path with the wrong method: 405 (the route table's wrapper adds `Allow`), but a
/// versioned route on an unserved version is 404.
fn wrong_method(req: &HttpRequest, allow: &'static str) -> HttpResponse {
    if req.match_info().get("version").is_some()
        && let Err(not_found) = version::AzureVersion::of(req)
    {
        return not_found.error_response();
    }
    AzureError::MethodNotAllowed { allow }.error_response()
}

/// The product's own error for `status`, as a fault injects it.
fn status_error(req: &HttpRequest, status: u16) -> HttpResponse {
    // A 401 has a body or not as the scenario's other 401s do (`unauthorized_body`).
    let json =
        req.app_data::<web::Data<World>>().is_none_or(|world| world.scenario().azure().unauthorized_json);
    let error = match status {
        401 => AzureError::Unauthorized { challenge: "Bearer".to_owned(), json },
        403 => AzureError::Forbidden { license: false },
        404 => AzureError::NotFound { instance: crate::request::path_as_sent(req) },
        413 => AzureError::TooLarge,
        415 => AzureError::UnsupportedMediaType,
        429 => AzureError::TooManyRequests { detail: "Too many requests. Try again later.".to_owned() },
        500 => AzureError::Internal,
        _ => AzureError::Status { status },
    };
    error.error_response()
}
