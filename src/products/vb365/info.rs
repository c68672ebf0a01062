//! Read-only endpoints: ServiceInstance, Health, RestorePortalSettings and the signed-in user.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::Data;
use uuid::Uuid;

use super::auth::Caller;
use super::config::Role;
use super::error::Vb365Error;
#[cfg(feature = "openapi")]
use super::tags;
use super::version::ApiVersion;
use super::wire::{
    HealthEntries, HealthEntry, HealthReport, Links, LoggedInUser, OperatorInfo, RestorePortalSettings,
    ServiceInstance, json,
};
use crate::state::World;

/// `GET /vX/ServiceInstance` (v6+): the installation id and build number.
#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/{version}/ServiceInstance",
    operation_id = "vb365_service_instance",
    tag = tags::SERVICE,
    summary = "The installation id and build (v6+)",
    params(tags::ModernVersion),
    responses(
        (status = 200, description = "OK", body = super::wire::ServiceInstance),
        (status = 401, description = "A refused bearer (empty body)"),
    ),
    security(("bearer" = []))
))]
pub(crate) async fn service_instance(caller: Caller, world: Data<World>) -> Result<HttpResponse, Vb365Error> {
    let scenario = world.scenario();
    let body = ServiceInstance {
        installation_id: scenario.vb365().installation_id,
        version: &scenario.vb365().server_version,
    };
    json(caller.version, StatusCode::OK, &body)
}

/// `GET /v8/Health`, anonymous: the mock is always healthy.
#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/{version}/Health",
    operation_id = "vb365_health",
    tag = tags::SERVICE,
    summary = "Anonymous health report (v8)",
    params(tags::V8Only),
    responses((status = 200, description = "OK", body = super::wire::HealthReport))
))]
pub(crate) async fn health(version: ApiVersion) -> Result<HttpResponse, Vb365Error> {
    let healthy = || HealthEntry { status: "Healthy" };
    let body =
        HealthReport { status: "Healthy", entries: HealthEntries { nats: healthy(), postgresql: healthy() } };
    json(version, StatusCode::OK, &body)
}

/// `GET /vX/RestorePortalSettings` (v6+), anonymous: what Restore Portal needs to start MSAL.
#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/{version}/RestorePortalSettings",
    operation_id = "vb365_restore_portal_settings",
    tag = tags::SERVICE,
    summary = "Anonymous Restore Portal settings (v6+)",
    params(tags::ModernVersion),
    responses((status = 200, description = "OK", body = super::wire::RestorePortalSettings))
))]
pub(crate) async fn restore_portal_settings(
    version: ApiVersion,
    world: Data<World>,
) -> Result<HttpResponse, Vb365Error> {
    let scenario = world.scenario();
    let portal = &scenario.vb365().restore_portal;
    let body = RestorePortalSettings {
        application_id: portal.application_id,
        msal_authority_uri: &portal.msal_authority_uri,
        // v6's schema has no restorePortalUri (v7 added it).
        restore_portal_uri: (version.number() >= 7).then_some(portal.restore_portal_uri.as_str()),
        is_enabled: portal.enabled,
    };
    json(version, StatusCode::OK, &body)
}

/// `GET /vX/Organization/LoggedInUser` (v6+): the Microsoft 365 user behind a tenant or operator
/// token.
#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/{version}/Organization/LoggedInUser",
    operation_id = "vb365_logged_in_user",
    tag = tags::SERVICE,
    summary = "The Microsoft 365 user behind a tenant or operator token (v6+)",
    params(tags::ModernVersion),
    responses(
        (status = 200, description = "OK", body = super::wire::LoggedInUser),
        (status = 403, description = "An administrator token", body = tags::ExceptionInfo),
    ),
    security(("bearer" = []))
))]
pub(crate) async fn logged_in_user(caller: Caller) -> Result<HttpResponse, Vb365Error> {
    caller.require(&[Role::Tenant, Role::Operator])?;
    let name = &caller.session().user_name;
    json(caller.version, StatusCode::OK, &LoggedInUser { id: user_id(name).to_string(), name })
}

/// `GET /vX/Organization/LoggedInUser/OperatorInfo` (v6+): whether the caller is an operator.
#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/{version}/Organization/LoggedInUser/OperatorInfo",
    operation_id = "vb365_operator_info",
    tag = tags::SERVICE,
    summary = "Whether the caller is a Restore Portal operator (v6+)",
    params(tags::ModernVersion),
    responses(
        (status = 200, description = "OK", body = super::wire::OperatorInfo),
        (status = 403, description = "An administrator token", body = tags::ExceptionInfo),
    ),
    security(("bearer" = []))
))]
pub(crate) async fn operator_info(caller: Caller) -> Result<HttpResponse, Vb365Error> {
    caller.require(&[Role::Tenant, Role::Operator])?;
    let body = OperatorInfo {
        is_operator: caller.session().role == Role::Operator,
        links: Links::to_self(format!("/{}/Organization/LoggedInUser/OperatorInfo", caller.version)),
    };
    json(caller.version, StatusCode::OK, &body)
}

/// A stable id for a Microsoft 365 user, derived from its name.
fn user_id(name: &str) -> Uuid {
    let digest = ring::digest::digest(&ring::digest::SHA256, name.to_ascii_lowercase().as_bytes());
    let mut bytes = [0; 16];
    bytes.copy_from_slice(&digest.as_ref()[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}
