//! The protected endpoints of the foundation: logout and ServiceInstance.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::Data;

use super::auth::Caller;
use super::error::Vb365Error;
use super::wire::{ServiceInstance, json_response};
use crate::state::World;

/// `POST /vX/token/logout`: revokes the caller's session (every token of it) and answers 204
/// with no body (v8).
pub(crate) async fn logout(caller: Caller, world: Data<World>) -> HttpResponse {
    world.vb365_sessions.revoke(caller.auth.session);
    HttpResponse::NoContent().finish()
}

/// `GET /vX/ServiceInstance`: the installation id and build number.
pub(crate) async fn service_instance(caller: Caller, world: Data<World>) -> Result<HttpResponse, Vb365Error> {
    let scenario = world.scenario();
    let body = ServiceInstance {
        installation_id: scenario.vb365.installation_id,
        version: &scenario.vb365.server_version,
    };
    let json = serde_json::to_vec(&body).map_err(|_| Vb365Error::internal(caller.version))?;
    Ok(json_response(StatusCode::OK, json))
}
