//! The request journal: read, count, clear, and its settings.

use actix_web::web::{self};
use actix_web::{HttpRequest, HttpResponse};

#[cfg(feature = "openapi")]
use super::views::{AdminErrorBody, AdminRefusal, JournalFilters, TAG};
use super::views::{CountView, JournalPage, JournalSettingsChange, JournalSettingsView};
use super::{Admin, AdminError, body_of, json_body};
use crate::control::{Journal, JournalQuery};
use crate::scenario::{Endpoint, ROUTE_PREFIX};
use crate::state::World;

/// `?endpoint=&method=&path=&status=&grant_type=&limit=` as a query and a limit.
fn journal_query(req: &HttpRequest) -> Result<(JournalQuery, Option<usize>), AdminError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
        .map_err(|err| AdminError::BadRequest(format!("the query string is malformed: {err}")))?;
    let mut query = JournalQuery::new();
    let mut limit = None;
    for (name, value) in pairs {
        match name.as_str() {
            "endpoint" => match value.get(..ROUTE_PREFIX.len()) {
                // `route.<name>`: a declared route (one removed since still has its entries).
                Some(prefix) if prefix.eq_ignore_ascii_case(ROUTE_PREFIX) => {
                    query = query.route(&value[ROUTE_PREFIX.len()..]);
                }
                _ => {
                    let endpoint: Endpoint =
                        value.parse().map_err(|err: crate::scenario::UnknownEndpoint| {
                            AdminError::BadRequest(err.to_string())
                        })?;
                    query = query.endpoint(endpoint);
                }
            },
            "method" => query = query.method(&value),
            "path" => query = query.path(&value),
            "status" => {
                let status = value
                    .parse()
                    .map_err(|_| AdminError::BadRequest(format!("`{value}` is not a status")))?;
                query = query.status(status);
            }
            "grant_type" => query = query.field("grant_type", &value),
            "limit" => {
                limit = Some(
                    value.parse().map_err(|_| AdminError::BadRequest(format!("`{value}` is not a count")))?,
                );
            }
            other => {
                return Err(AdminError::BadRequest(format!(
                    "unknown filter `{other}`; expected endpoint, method, path, status, grant_type or limit"
                )));
            }
        }
    }
    Ok((query, limit))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/__mock/journal",
    operation_id = "mock_journal",
    tag = TAG,
    summary = "Recorded requests, oldest first, with secrets masked",
    params(JournalFilters),
    responses(
        (status = 200, body = JournalPage),
        (status = 400, description = "A malformed or invalid body", body = AdminErrorBody),
        AdminRefusal,
    ),
    security(("admin" = []))
))]
pub(super) async fn journal(admin: Admin, req: HttpRequest) -> Result<HttpResponse, AdminError> {
    let (query, limit) = journal_query(&req)?;
    let entries = admin.0.journal.find_last(&query, limit.unwrap_or(usize::MAX));
    Ok(HttpResponse::Ok().json(JournalPage { total: admin.0.journal.total(), count: entries.len(), entries }))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/__mock/journal/count",
    operation_id = "mock_journal_count",
    tag = TAG,
    summary = "How many recorded requests match",
    params(JournalFilters),
    responses(
        (status = 200, body = CountView),
        (status = 400, description = "A malformed or invalid body", body = AdminErrorBody),
        AdminRefusal,
    ),
    security(("admin" = []))
))]
pub(super) async fn journal_count(admin: Admin, req: HttpRequest) -> Result<HttpResponse, AdminError> {
    let (query, _) = journal_query(&req)?;
    Ok(HttpResponse::Ok().json(CountView { count: admin.0.journal.count_matching(&query) }))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    delete,
    path = "/__mock/journal",
    operation_id = "mock_clear_journal",
    tag = TAG,
    summary = "Forget every recorded request",
    responses((status = 204, description = "Cleared"), AdminRefusal),
    security(("admin" = []))
))]
pub(super) async fn clear_journal(admin: Admin) -> HttpResponse {
    admin.0.journal.clear();
    HttpResponse::NoContent().finish()
}

fn journal_settings_view(world: &World) -> JournalSettingsView {
    JournalSettingsView { enabled: world.journal.is_enabled(), capacity: world.journal.capacity() }
}

#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/__mock/journal/settings",
    operation_id = "mock_journal_settings",
    tag = TAG,
    summary = "Whether requests are recorded, and how many are kept",
    responses((status = 200, body = JournalSettingsView), AdminRefusal),
    security(("admin" = []))
))]
pub(super) async fn journal_settings(admin: Admin) -> HttpResponse {
    HttpResponse::Ok().json(journal_settings_view(&admin.0))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    put,
    path = "/__mock/journal/settings",
    operation_id = "mock_set_journal",
    tag = TAG,
    summary = "Turn recording on or off, change the cap",
    request_body = JournalSettingsChange,
    responses(
        (status = 200, body = JournalSettingsView),
        (status = 400, description = "A malformed or invalid body", body = AdminErrorBody),
        AdminRefusal,
    ),
    security(("admin" = []))
))]
pub(super) async fn set_journal(
    admin: Admin,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AdminError> {
    let change: JournalSettingsChange = json_body(&body_of(&req, payload).await?)?;
    if change.capacity.is_some_and(|capacity| !(1..=Journal::MAX_CAPACITY).contains(&capacity)) {
        return Err(AdminError::BadRequest(format!(
            "the capacity must be between 1 and {} entries",
            Journal::MAX_CAPACITY
        )));
    }
    if let Some(capacity) = change.capacity {
        admin.0.journal.set_capacity(capacity);
    }
    if let Some(enabled) = change.enabled {
        admin.0.journal.set_enabled(enabled);
    }
    Ok(HttpResponse::Ok().json(journal_settings_view(&admin.0)))
}
