//! Declared routes at runtime: list, add, remove (the same operations as
//! `MockControl::routes`).

use actix_web::http::header;
use actix_web::web::{self};
use actix_web::{HttpRequest, HttpResponse};

#[cfg(feature = "openapi")]
use super::views::{AdminErrorBody, AdminRefusal, TAG};
use super::{Admin, AdminError, PREFIX, body_of, json_body};
use crate::products::declared::RouteId;
use crate::products::declared::RouteSpec;
#[cfg(feature = "openapi")]
use crate::products::declared::RouteState;
use crate::products::declared::runtime::{self, AddError, no_files};

#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/__mock/routes",
    operation_id = "mock_list_routes",
    tag = TAG,
    summary = "The declared routes in force, in the order tried, with their calls",
    responses((status = 200, body = Vec<RouteState>), AdminRefusal),
    security(("admin" = []))
))]
pub(super) async fn list_routes(admin: Admin) -> HttpResponse {
    HttpResponse::Ok().json(runtime::list(&admin.0))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    post,
    path = "/__mock/routes",
    operation_id = "mock_add_route",
    tag = TAG,
    summary = "Declare a route (the keys of a scenario's [[routes]] table; no body_file or items_file)",
    request_body = RouteSpec,
    responses(
        (status = 201, body = RouteState),
        (status = 400, body = AdminErrorBody,
            description = "A malformed or invalid body (every problem, as `key: message`), or the mock \
                           holds all the routes it may (1,000, or 64 MiB of bodies)"),
        (status = 409, body = AdminErrorBody, description = "Another route in force has the name"),
        AdminRefusal,
    ),
    security(("admin" = []))
))]
pub(super) async fn add_route(
    admin: Admin,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AdminError> {
    let spec: RouteSpec = json_body(&body_of(&req, payload).await?)?;
    // The admin API never reads the server's disk for a caller: files are refused.
    let id = runtime::add(&admin.0, spec, &no_files).map_err(|error| match error {
        AddError::NameTaken(_) => AdminError::Conflict(error.to_string()),
        AddError::Invalid(_) | AddError::Full(_) => AdminError::BadRequest(error.to_string()),
        AddError::Unavailable => AdminError::Unavailable("this mock serves no declared routes"),
    })?;
    let state = runtime::get(&admin.0, id);
    Ok(HttpResponse::Created().insert_header((header::LOCATION, format!("{PREFIX}/routes/{id}"))).json(state))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/__mock/routes/{id}",
    operation_id = "mock_get_route",
    tag = TAG,
    summary = "One declared route, with its calls",
    params(("id" = u64, Path, description = "The route's id")),
    responses((status = 200, body = RouteState), (status = 404, body = AdminErrorBody), AdminRefusal),
    security(("admin" = []))
))]
pub(super) async fn get_route(admin: Admin, req: HttpRequest) -> Result<HttpResponse, AdminError> {
    let id = route_id(&req)?;
    runtime::get(&admin.0, id)
        .map(|state| HttpResponse::Ok().json(state))
        .ok_or_else(|| AdminError::NotFound(format!("no route {id}")))
}

/// The `{id}` of a route's path; 404 for one that is not a number (no route has it).
fn route_id(req: &HttpRequest) -> Result<RouteId, AdminError> {
    let text = req.match_info().get("id").unwrap_or_default();
    text.parse::<u64>().map(RouteId::from_raw).map_err(|_| AdminError::NotFound(format!("no route `{text}`")))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    delete,
    path = "/__mock/routes/{id}",
    operation_id = "mock_remove_route",
    tag = TAG,
    summary = "Remove a declared route",
    params(("id" = u64, Path, description = "The route's id")),
    responses((status = 204, description = "Removed"), (status = 404, body = AdminErrorBody), AdminRefusal),
    security(("admin" = []))
))]
pub(super) async fn remove_route(admin: Admin, req: HttpRequest) -> Result<HttpResponse, AdminError> {
    let id = route_id(&req)?;
    if runtime::remove(&admin.0, id) {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(AdminError::NotFound(format!("no route {id}")))
    }
}

#[cfg_attr(feature = "openapi", utoipa::path(
    delete,
    path = "/__mock/routes",
    operation_id = "mock_clear_routes",
    tag = TAG,
    summary = "Remove every declared route, the scenario's too (until a reset or a load)",
    responses((status = 204, description = "Removed"), AdminRefusal),
    security(("admin" = []))
))]
pub(super) async fn clear_routes(admin: Admin) -> HttpResponse {
    runtime::clear(&admin.0);
    HttpResponse::NoContent().finish()
}
