//! Session endpoints beside the token: logout and the one-time authorization code.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::Data;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::auth::Caller;
use super::error::Vb365Error;
#[cfg(feature = "openapi")]
use super::tags;
use super::wire::{AuthCode, json};
use crate::state::World;

/// `POST /vX/token/logout` (v7+): revokes every token of the caller's session and stops its
/// restore sessions. v7 answers 200 and v8 204, both without a body.
#[cfg_attr(feature = "openapi", utoipa::path(
    post,
    path = "/{version}/token/logout",
    operation_id = "vb365_logout",
    tag = tags::AUTH,
    summary = "Sign out (v7: 200, v8: 204)",
    params(tags::SinceV7),
    responses(
        (status = 204, description = "Signed out (v7 answers 200)"),
        (status = 401, description = "A refused bearer (empty body)"),
    ),
    security(("bearer" = []))
))]
pub(crate) async fn logout(caller: Caller, world: Data<World>) -> HttpResponse {
    world.vb365().sessions.revoke(caller.auth.session);
    let idle = world.scenario().vb365().restore_session_idle_timeout;
    world.vb365().restore.stop_owned_by(caller.auth.session, world.clock.now(), idle);
    if caller.version.number() >= 8 {
        HttpResponse::NoContent().finish()
    } else {
        HttpResponse::Ok().finish()
    }
}

/// `POST /vX/token/AuthCode` (v7+): "a one-time authorization code that is required to complete
/// authentication". Its consumer is not public; here a declared route with `auth = "auth_code"`
/// takes it once as `?authCode=` (within [`super::state::AUTH_CODE_LIFETIME`]).
#[cfg_attr(feature = "openapi", utoipa::path(
    post,
    path = "/{version}/token/AuthCode",
    operation_id = "vb365_auth_code",
    tag = tags::AUTH,
    summary = "An authorization code for the signed-in user (v7-v8)",
    params(tags::SinceV7),
    responses(
        (status = 200, body = super::wire::AuthCode),
        (status = 401, description = "A refused bearer (empty body)"),
    ),
    security(("bearer" = []))
))]
pub(crate) async fn auth_code(caller: Caller, world: Data<World>) -> Result<HttpResponse, Vb365Error> {
    let mut bytes = [0; 32];
    world.random.fill(&mut bytes);
    let code = URL_SAFE_NO_PAD.encode(bytes);
    super::declared::remember_auth_code(&world, code.clone(), std::sync::Arc::clone(&caller.auth.payload));
    json(caller.version, StatusCode::OK, &AuthCode { auth_code: code })
}
