//! The fault plan: list, add, inspect and remove faults.

use actix_web::http::header;
use actix_web::web::{self};
use actix_web::{HttpRequest, HttpResponse};

#[cfg(feature = "openapi")]
use super::views::{AdminErrorBody, AdminRefusal, TAG};
use super::{Admin, AdminError, PREFIX, body_of, json_body};
use crate::control::FaultId;
#[cfg(feature = "openapi")]
use crate::control::FaultState;
use crate::scenario::{Fault, FaultSpec};

#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/__mock/faults",
    operation_id = "mock_list_faults",
    tag = TAG,
    summary = "The faults in force, in the order tried, with their counters",
    responses((status = 200, body = Vec<FaultState>), AdminRefusal),
    security(("admin" = []))
))]
pub(super) async fn list_faults(admin: Admin) -> HttpResponse {
    HttpResponse::Ok().json(admin.0.faults.list())
}

#[cfg_attr(feature = "openapi", utoipa::path(
    post,
    path = "/__mock/faults",
    operation_id = "mock_add_fault",
    tag = TAG,
    summary = "Add a fault (the keys of a scenario's [[faults]] table)",
    request_body = FaultSpec,
    responses(
        (status = 201, body = FaultState),
        (status = 400, body = AdminErrorBody,
            description = "A malformed or invalid body, or 1,000 faults in force already"),
        AdminRefusal,
    ),
    security(("admin" = []))
))]
pub(super) async fn add_fault(
    admin: Admin,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AdminError> {
    let spec: FaultSpec = json_body(&body_of(&req, payload).await?)?;
    let fault = Fault::from_spec(spec).map_err(|problems| {
        let listed: Vec<String> = problems
            .into_iter()
            .map(|(key, message)| if key.is_empty() { message } else { format!("{key}: {message}") })
            .collect();
        AdminError::BadRequest(listed.join("; "))
    })?;
    // Bounded like a scenario's `[[faults]]`: a client adding faults in a loop must not grow
    // the plan (and every request's walk through it) without end.
    let id = admin.0.faults.try_add(fault).map_err(|full| AdminError::BadRequest(full.to_string()))?;
    let state = admin.0.faults.get(id);
    Ok(HttpResponse::Created().insert_header((header::LOCATION, format!("{PREFIX}/faults/{id}"))).json(state))
}

fn fault_id(req: &HttpRequest) -> Result<FaultId, AdminError> {
    let text = req.match_info().get("id").unwrap_or_default();
    text.parse::<u64>().map(FaultId::from_raw).map_err(|_| AdminError::NotFound(format!("no fault `{text}`")))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/__mock/faults/{id}",
    operation_id = "mock_get_fault",
    tag = TAG,
    summary = "One fault and its counters",
    params(("id" = u64, Path, description = "The fault's id")),
    responses((status = 200, body = FaultState), (status = 404, body = AdminErrorBody), AdminRefusal),
    security(("admin" = []))
))]
pub(super) async fn get_fault(admin: Admin, req: HttpRequest) -> Result<HttpResponse, AdminError> {
    let id = fault_id(&req)?;
    admin
        .0
        .faults
        .get(id)
        .map(|state| HttpResponse::Ok().json(state))
        .ok_or_else(|| AdminError::NotFound(format!("no fault {id}")))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    delete,
    path = "/__mock/faults/{id}",
    operation_id = "mock_remove_fault",
    tag = TAG,
    summary = "Remove a fault",
    params(("id" = u64, Path, description = "The fault's id")),
    responses((status = 204, description = "Removed"), (status = 404, body = AdminErrorBody), AdminRefusal),
    security(("admin" = []))
))]
pub(super) async fn remove_fault(admin: Admin, req: HttpRequest) -> Result<HttpResponse, AdminError> {
    let id = fault_id(&req)?;
    if admin.0.faults.remove(id) {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(AdminError::NotFound(format!("no fault {id}")))
    }
}

#[cfg_attr(feature = "openapi", utoipa::path(
    delete,
    path = "/__mock/faults",
    operation_id = "mock_clear_faults",
    tag = TAG,
    summary = "Remove every fault",
    responses((status = 204, description = "Removed"), AdminRefusal),
    security(("admin" = []))
))]
pub(super) async fn clear_faults(admin: Admin) -> HttpResponse {
    admin.0.faults.clear();
    HttpResponse::NoContent().finish()
}
