//! The protected and probe endpoints: logout, the authorization-code issuer, `system/*` and
//! `licenseAgreement/*`.
//!
//! Which role may call what is not public beyond the UI's permission table, so the mock keeps a
//! small matrix: `system/about` and `system/status` are open to every role (they are what
//! clients probe with); `system/serverInfo` is Azure-infrastructure detail, refused to the
//! Restore Operator and the internal updater role; accepting the licence is for Portal
//! Administrators. `system/status` and `licenseAgreement/accepted` stay open while the licence
//! agreement is not accepted: their official operations declare no 403 (a setup UI polls them).

use actix_web::http::StatusCode;
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;

use super::auth::{Caller, TokenHolder};
use super::config::AzureRole;
use super::problem::AzureError;
use super::state::IssuedCode;
#[cfg(feature = "openapi")]
use super::tags;
use super::wire::{AuthenticationCode, DisabledSections, ServerInfo, SystemInfo, json};
use crate::clock::later;
use crate::dates::dotnet_utc;
use crate::response::no_store;
use crate::state::World;

/// Every role.
const ANYONE: &[AzureRole] = &AzureRole::ALL;
/// Roles that may read the appliance's Azure details.
const INFRASTRUCTURE_READERS: &[AzureRole] = &[
    AzureRole::PortalAdmin,
    AzureRole::PortalOperator,
    AzureRole::IntegrationOperator,
    AzureRole::ReadOnlyUser,
];

/// `DELETE /api/oauth2/token`: revokes the caller's session (both tokens of every pair) and
/// answers 204. The `api-version` query is accepted and ignored.
#[cfg_attr(feature = "openapi", utoipa::path(
    delete,
    path = "/api/oauth2/token",
    operation_id = "azure_logout",
    tag = tags::AUTH,
    summary = "Sign out: every token of the session is refused afterwards",
    responses((status = 204, description = "Signed out"), tags::BearerRefusal),
    security(("bearer" = []))
))]
pub(crate) async fn logout(holder: TokenHolder, world: Data<World>) -> HttpResponse {
    world.azure().sessions.revoke(holder.auth.session);
    HttpResponse::NoContent().finish()
}

/// `POST /api/oauth2/authorization_code` (when the scenario enables it): a short-lived,
/// single-use code that signs the caller's user in with `grant_type=Authentication_code`.
#[cfg_attr(feature = "openapi", utoipa::path(
    post,
    path = "/api/oauth2/authorization_code",
    operation_id = "azure_authorization_code",
    tag = tags::AUTH,
    summary = "A 60-second single-use code for grant_type=Authentication_code (when the scenario enables it)",
    responses(
        (status = 200, body = super::wire::AuthenticationCode),
        tags::BearerRefusal,
        (status = 404, description = "Not enabled by the scenario"),
    ),
    security(("bearer" = []))
))]
pub(crate) async fn authorization_code(
    holder: TokenHolder,
    world: Data<World>,
) -> Result<HttpResponse, AzureError> {
    let scenario = world.scenario();
    let Some(lifetime) = scenario.azure().authorization_codes else {
        return Err(AzureError::NotFound { instance: "/api/oauth2/authorization_code".to_owned() });
    };
    let mut bytes = [0u8; 32];
    world.random.fill(&mut bytes);
    let code = URL_SAFE_NO_PAD.encode(bytes);
    let now = world.clock.now();
    let issued =
        IssuedCode { username: holder.auth.payload.username.clone(), expires_at: later(now, lifetime) };
    world.azure().stores.add_code(code.clone(), issued, now);
    let mut response = json(StatusCode::OK, &AuthenticationCode { code: &code })?;
    no_store(&mut response);
    Ok(response)
}

/// `GET /api/v{ver}/system/about`: `SystemInfo`.
#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/api/{version}/system/about",
    operation_id = "azure_system_about",
    tag = tags::SYSTEM,
    summary = "Versions and the database id (every role)",
    params(tags::Version),
    responses((status = 200, body = super::wire::SystemInfo), tags::BearerRefusal),
    security(("bearer" = []))
))]
pub(crate) async fn about(caller: Caller, world: Data<World>) -> Result<HttpResponse, AzureError> {
    caller.allow(&world, ANYONE)?;
    let scenario = world.scenario();
    let azure = scenario.azure();
    let body = SystemInfo {
        server_version: &azure.server_version,
        worker_version: &azure.worker_version,
        flr_version: &azure.flr_version,
        database_id: azure.appliance_id,
        copyright: &azure.copyright,
        deployment_subscription_id: azure.subscription_id.to_string(),
    };
    json(StatusCode::OK, &body)
}

/// `GET /api/v{ver}/system/serverInfo`: `ServerInfo`.
#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/api/{version}/system/serverInfo",
    operation_id = "azure_system_server_info",
    tag = tags::SYSTEM,
    summary = "The appliance's Azure details",
    params(tags::Version),
    responses(
        (status = 200, body = super::wire::ServerInfo),
        tags::BearerRefusal,
        (status = 403, description = "Not this role",
            body = tags::ProblemDetails, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
))]
pub(crate) async fn server_info(caller: Caller, world: Data<World>) -> Result<HttpResponse, AzureError> {
    caller.allow(&world, INFRASTRUCTURE_READERS)?;
    let scenario = world.scenario();
    let body = ServerInfo {
        subscription_id: scenario.azure().subscription_id,
        server_name: "vbazure-appliance",
        azure_region: "westeurope",
        azure_region_name: "West Europe",
        azure_vm_id: uuid::uuid!("2a1c8a9e-5b7d-4f3e-8c6a-1d2e3f4a5b6c"),
        resource_group: "veeam-backup-rg",
        azure_environment: "Global",
        virtual_machine_unique_id: uuid::uuid!("7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928"),
        disabled_sections: DisabledSections { configuration_snapshot_based: false },
    };
    json(StatusCode::OK, &body)
}

/// `GET /api/v{ver}/system/status`: `{"state":"Ready","serverTime":...}`, for every role and
/// before the licence agreement is accepted.
#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/api/{version}/system/status",
    operation_id = "azure_system_status",
    tag = tags::SYSTEM,
    summary = "State and server time (every role)",
    params(tags::Version),
    responses(
        (status = 200, description = "`{\"state\": \"Ready\", \"serverTime\": ...}`",
            body = serde_json::Value),
        tags::BearerRefusal,
    ),
    security(("bearer" = []))
))]
pub(crate) async fn status(caller: Caller, world: Data<World>) -> Result<HttpResponse, AzureError> {
    // Not behind the licence gate: the official operation declares only 200 and 401, and it is
    // what a UI polls during setup, before anyone accepted the agreement.
    let _ = caller;
    #[derive(Serialize)]
    struct Status {
        state: &'static str,
        #[serde(rename = "serverTime")]
        server_time: String,
    }
    json(StatusCode::OK, &Status { state: "Ready", server_time: dotnet_utc(world.clock.now()) })
}

/// `GET /api/v{ver}/system/serviceIsUp`: anonymous readiness probe, 200 with no body.
#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/api/{version}/system/serviceIsUp",
    operation_id = "azure_system_service_is_up",
    tag = tags::SYSTEM,
    summary = "Anonymous readiness probe",
    params(tags::Version),
    responses((status = 200, description = "Up (no body)"))
))]
pub(crate) async fn service_is_up(req: actix_web::HttpRequest) -> Result<HttpResponse, AzureError> {
    super::version::AzureVersion::of(&req)?;
    Ok(HttpResponse::Ok().finish())
}

/// `GET /api/v{ver}/licenseAgreement/accepted`: `true` or `false` (open while the gate is shut).
#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/api/{version}/licenseAgreement/accepted",
    operation_id = "azure_license_accepted",
    tag = tags::SYSTEM,
    summary = "Whether the EULA was accepted",
    params(tags::Version),
    responses(
        (status = 200, body = bool, content_type = "application/json",
            description = "Whether the EULA was accepted"),
        tags::BearerRefusal,
    ),
    security(("bearer" = []))
))]
pub(crate) async fn license_accepted(caller: Caller, world: Data<World>) -> HttpResponse {
    let _ = caller;
    // A bool always serializes; the handler keeps its infallible signature.
    json(StatusCode::OK, &world.azure().stores.license_accepted())
        .unwrap_or_else(|error| error.error_response())
}

/// `POST /api/v{ver}/licenseAgreement/accept`: opens the EULA gate (Portal Administrators), given
/// a JSON array of `DocumentChecksum` ([`super::checksums`]).
#[cfg_attr(feature = "openapi", utoipa::path(
    post,
    path = "/api/{version}/licenseAgreement/accept",
    operation_id = "azure_license_accept",
    tag = tags::SYSTEM,
    summary = "Accept the EULA (Portal Administrators)",
    params(tags::Version),
    request_body(
        content = Vec<tags::DocumentChecksum>,
        content_type = "application/json",
        description = "The agreements to accept: `[{\"checksum\": ..., \"type\": ...}]` (`[]` will do)",
    ),
    responses(
        (status = 204, description = "Accepted"),
        (status = 400, description = "An empty, malformed or mistyped body",
            body = tags::ProblemDetails, content_type = "application/problem+json"),
        tags::BearerRefusal,
        (status = 403, description = "Not a Portal Administrator",
            body = tags::ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "No or a non-JSON Content-Type",
            body = tags::ProblemDetails, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
))]
pub(crate) async fn accept_license(
    caller: Caller,
    req: HttpRequest,
    payload: Payload,
    world: Data<World>,
) -> Result<HttpResponse, AzureError> {
    // Authorization runs before model binding in ASP.NET Core: the role first, then the body.
    if caller.auth.payload.role != AzureRole::PortalAdmin {
        return Err(AzureError::Forbidden { license: false });
    }
    super::checksums::bind_checksums(&req, payload).await?;
    world.azure().stores.accept_license();
    Ok(HttpResponse::NoContent().finish())
}
