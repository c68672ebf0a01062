//! The world as a whole: readiness, reset, loading another scenario, revoking every session,
//! the scenario's users, and how the landing page signs in to each product.

use actix_web::http::header::ContentType;
use actix_web::web::{self};
use actix_web::{HttpRequest, HttpResponse};

use super::clock::clock_view;
#[cfg(feature = "openapi")]
use super::views::{AdminErrorBody, AdminRefusal, TAG, UsersView};
use super::views::{HealthView, LoadedView};
use super::{Admin, AdminError, body_of};
use crate::scenario::{Scenario, ScenarioError};

#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/__mock/health",
    operation_id = "mock_health",
    tag = TAG,
    summary = "Readiness (never needs the admin token)",
    responses((status = 200, body = HealthView))
))]
pub(super) async fn health() -> HttpResponse {
    HttpResponse::Ok().json(HealthView { status: "ok" })
}

#[cfg_attr(feature = "openapi", utoipa::path(
    post,
    path = "/__mock/reset",
    operation_id = "mock_reset",
    tag = TAG,
    summary = "Back to the scenario's initial state: clock, no sessions, its faults, an empty journal",
    responses((status = 204, description = "Reset"), AdminRefusal),
    security(("admin" = []))
))]
pub(super) async fn reset(admin: Admin) -> HttpResponse {
    admin.0.reset();
    HttpResponse::NoContent().finish()
}

#[cfg_attr(feature = "openapi", utoipa::path(
    put,
    path = "/__mock/scenario",
    operation_id = "mock_load_scenario",
    tag = TAG,
    summary = "Play another scenario (TOML) from its start; an invalid one changes nothing",
    request_body(content = String, content_type = "application/toml"),
    responses(
        (status = 200, body = LoadedView),
        (status = 400, description = "Every problem, with its line", body = AdminErrorBody),
        AdminRefusal,
    ),
    security(("admin" = []))
))]
pub(super) async fn load_scenario(
    admin: Admin,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AdminError> {
    let bytes = body_of(&req, payload).await?;
    // Validation is linear in the file, but a file near the admin cap still takes milliseconds:
    // it runs on the blocking pool, so that the worker's other clients keep being served.
    let scenario = web::block(move || {
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| AdminError::BadRequest("the scenario is not UTF-8".into()))?;
        Scenario::from_toml_str(text).map_err(|err| match err {
            ScenarioError::Read { .. } => AdminError::BadRequest(err.to_string()),
            other => AdminError::InvalidScenario(other.problems().to_vec()),
        })
    })
    .await
    .map_err(|_| AdminError::Unavailable("the scenario could not be validated; try again"))??;
    admin.0.load(scenario);
    Ok(HttpResponse::Ok().json(LoadedView { loaded: true, clock: clock_view(&admin.0) }))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    post,
    path = "/__mock/sessions/revoke",
    operation_id = "mock_revoke_sessions",
    tag = TAG,
    summary = "Revoke every session of both products",
    responses((status = 204, description = "Revoked"), AdminRefusal),
    security(("admin" = []))
))]
pub(super) async fn revoke_sessions(admin: Admin) -> HttpResponse {
    admin.0.revoke_all_sessions();
    HttpResponse::NoContent().finish()
}

#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/__mock/users",
    operation_id = "mock_users",
    tag = TAG,
    summary = "The scenario's users and passwords (for the landing page)",
    responses((status = 200, body = UsersView), AdminRefusal),
    security(("admin" = []))
))]
pub(super) async fn users(admin: Admin) -> HttpResponse {
    HttpResponse::Ok().content_type(ContentType::json()).body(users_view(&admin.0.scenario()))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/__mock/products",
    operation_id = "mock_products",
    tag = TAG,
    summary = "How the landing page signs in to each product and shows its users",
    responses((status = 200, body = Vec<crate::products::LandingView>), AdminRefusal),
    security(("admin" = []))
))]
pub(super) async fn products(_admin: Admin) -> HttpResponse {
    HttpResponse::Ok().json(crate::products::landing_views())
}

/// The scenario's users and passwords, product by product from the registry: the landing
/// page shows a tester what to sign in with.
fn users_view(scenario: &Scenario) -> String {
    crate::products::users_json(scenario)
}
