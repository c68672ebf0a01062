//! Veeam Backup & Replication (VBR): `POST /api/oauth2/token` with every documented grant in
//! both spellings, RS512 JWTs shaped as the documents' `TokenModelExample`, `POST
//! /api/oauth2/logout` (200 `{}`), the 1.2-rev1 authorization-code issuer, `GET
//! /api/v1/serverInfo` and the anonymous `serverTime` and `serverCertificate`, the per-revision
//! Swagger documents clients probe, and the documents' `Error` body for every refusal. Every
//! call needs `x-api-version`; a missing or unserved one is 400 before anything else.
//!
//! VBR shares `/api/` with VBAzure on one port. It is registered before VBAzure, and its table
//! guard and [`Product::owns`] take a request only when it carries a VBR revision in
//! `x-api-version` (or the scenario writes `[vbr]` and not `[azure]`); see
//! [`auth::is_vbr_request`]. The shapes follow `vbr.md` and the four official documents
//! (1.2-rev1 to 1.3-rev2); README: "Where the mock had to choose".

mod auth;
pub(crate) mod config;
mod declared;
#[cfg(feature = "openapi")]
pub(crate) mod doc;
mod endpoints;
mod error;
mod request;
mod routes;
pub(crate) mod state;
#[cfg(feature = "openapi")]
mod tags;
mod token;
mod version;
mod wire;

use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde::Serialize;

pub(crate) use error::VbrError;

use super::{Access, Admitted, Landing, Product, Refusal, SignInChoice, UserColumn};
use crate::routing::Table;
use crate::scenario::{Scenario, SectionParser};
use crate::state::{ProductState, World};

/// VBR in the product registry ([`super::PRODUCTS`]).
pub(crate) struct Vbr;

impl Product for Vbr {
    fn name(&self) -> &'static str {
        "vbr"
    }

    fn section(&self) -> &'static dyn SectionParser {
        &config::SECTION
    }

    fn new_state(&self, scenario: &Scenario) -> Box<dyn ProductState> {
        state::VbrState::boxed(scenario)
    }

    fn routes(&self) -> &'static Table {
        &routes::TABLE
    }

    /// A request under `/api/` that is VBR's by its `x-api-version` (or by a scenario about VBR
    /// alone); VBAzure, after it in the registry, takes the other `/api/` requests.
    fn owns(&self, req: &HttpRequest, scenario: &Scenario) -> bool {
        let under_api = req.path() == "/api" || req.path().starts_with("/api/");
        under_api && auth::is_vbr_request(req.headers(), scenario)
    }

    /// The version's 400 first (the server checks it on every call), else 404 `NotFound`.
    fn not_found(&self, req: &HttpRequest) -> HttpResponse {
        refusal(req, VbrError::NotFound)
    }

    fn status_error(&self, req: &HttpRequest, status: u16) -> HttpResponse {
        let settings = req.app_data::<Data<World>>().map(|world| world.scenario());
        let error = match status {
            // On the token endpoint a 401 is a refused grant, as the product answers it there.
            401 if req.path() == "/api/oauth2/token" => VbrError::AuthenticationFailed,
            401 => VbrError::Unauthorized {
                code: "AccessDenied",
                json: settings.as_ref().is_none_or(|scenario| scenario.vbr().unauthorized_json),
            },
            403 => VbrError::Forbidden,
            404 => VbrError::NotFound,
            405 => VbrError::MethodNotAllowed,
            413 => VbrError::TooLarge,
            500 => VbrError::Internal,
            _ => VbrError::Status { status },
        };
        error.error_response()
    }

    fn users_json(&self, scenario: &Scenario) -> String {
        let users: Vec<UserView> = scenario
            .vbr()
            .users
            .iter()
            .map(|user| UserView {
                username: &user.username,
                password: user.password.as_ref().map(|secret| secret.expose()),
                role: user.role.name(),
                aliases: &user.aliases,
                mfa: user.mfa,
            })
            .collect();
        serde_json::to_string(&users).unwrap_or_else(|_| "[]".to_owned())
    }

    #[cfg(feature = "openapi")]
    fn doc(&self) -> utoipa::openapi::OpenApi {
        doc::document()
    }

    #[cfg(feature = "openapi")]
    fn users_schema(&self) -> &'static str {
        "VbrUserView"
    }

    #[cfg(feature = "openapi")]
    fn declared_doc(&self) -> &'static crate::products::declared::DeclaredDoc {
        &doc::DECLARED
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

    /// ISO 8601 with .NET's seven fraction digits and an explicit offset, as VBR writes its
    /// other dates (`serverTime`); UTC, since a declared route's template has no scenario.
    fn format_time(&self, at: time::OffsetDateTime) -> String {
        crate::dates::iso_with_offset(at, time::UtcOffset::UTC, true)
    }

    fn recognize_document(&self, root: &serde_json::Value) -> Option<String> {
        declared::recognize_document(root)
    }

    /// The documented `UnexpectedContent` example: VBR's 400 names no field.
    fn invalid_request(&self, _req: &HttpRequest, _problems: &[(String, String)]) -> HttpResponse {
        VbrError::BadRequest.error_response()
    }
}

/// How the landing page signs in: the password grant under the newest revision, or under
/// 1.2-rev1 with its lower-case spelling.
static LANDING: Landing = Landing {
    title: "VBR",
    columns: &[
        UserColumn { heading: "user", field: "username" },
        UserColumn { heading: "password", field: "password" },
        UserColumn { heading: "role", field: "role" },
        UserColumn { heading: "MFA (refused)", field: "mfa" },
    ],
    sign_in: &[
        SignInChoice {
            value: "vbr",
            label: "VBR POST /api/oauth2/token (x-api-version 1.3-rev2)",
            path: "/api/oauth2/token",
            fields: &[("grant_type", "Password")],
            headers: &[("x-api-version", "1.3-rev2")],
        },
        SignInChoice {
            value: "vbr:1.2-rev1",
            label: "VBR POST /api/oauth2/token (x-api-version 1.2-rev1)",
            path: "/api/oauth2/token",
            fields: &[("grant_type", "password")],
            headers: &[("x-api-version", "1.2-rev1")],
        },
    ],
    mfa: None,
};

// What the admin API lists (`GET /__mock/users`); the doc comment is the schema's description.
/// A VBR user.
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = VbrUserView))]
struct UserView<'a> {
    username: &'a str,
    password: Option<&'a str>,
    role: &'static str,
    /// Other names the account signs in with (besides `.\name` for a local account).
    aliases: &'a [String],
    /// An MFA-enabled account, whose password grant the REST API refuses.
    mfa: bool,
}

/// The VBR part of the OpenAPI document as JSON (with the `openapi` feature; a bare document
/// without), which `/swagger/v{version}/swagger.json` serves. Here, not in `endpoints`, because
/// the document lists the handlers.
fn own_document() -> serde_json::Value {
    #[cfg(feature = "openapi")]
    return serde_json::to_value(doc::document()).unwrap_or_default();
    #[cfg(not(feature = "openapi"))]
    serde_json::json!({"openapi": "3.0.1", "paths": {}})
}

/// The version's 400 if the request's `x-api-version` is not served, else `error`.
fn refusal(req: &HttpRequest, error: VbrError) -> HttpResponse {
    if req.path().starts_with("/swagger/") {
        return error.error_response();
    }
    let scenario = req.app_data::<Data<World>>().map(|world| world.scenario());
    let version = scenario.as_ref().map(|scenario| auth::version(req, scenario.vbr()));
    match version {
        Some(Err(version_error)) => version_error.error_response(),
        _ => error.error_response(),
    }
}

/// A known path with the wrong method: the version's 400 first, else 405 (the route table's
/// wrapper adds `Allow`).
fn wrong_method(req: &HttpRequest, _allow: &'static str) -> HttpResponse {
    refusal(req, VbrError::MethodNotAllowed)
}
