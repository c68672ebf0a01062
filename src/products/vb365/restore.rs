//! Restore sessions: exploring an organization's backups, and stopping the session.
//!
//! v6+ explore through `POST /Organizations/{id}/explore` (administrators),
//! `/Organization/Explore` (tenants) and `/Organization/OperatorExplore` (operators), and stop
//! through `POST /RestoreSessions/{id}/Stop`. v1-v5 do both through `.../Action` bodies
//! (`{"explore": {...}}`, `{"stop": null}`). A session stops by itself once idle for the
//! scenario's `restore_session_idle_timeout` on the scenario clock, and when its login logs out.
//!
//! Every explore and Action route requires a JSON object body ([`super::json_body`]): 415 for
//! no or a non-JSON `Content-Type`, 400 for an empty, malformed or non-object body, in the
//! version's `RESTExceptionInfo`. The session's members are the called version's: `eTag` only
//! from v8, which added it.
//!
//! A stopped session is forgotten a day after it stopped (and the oldest stopped ones first when
//! the store is full; see `state::RestoreSessions`): its id then answers the product's 404.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::Value;
use uuid::Uuid;

use super::auth::Caller;
use super::config::Role;
use super::error::Vb365Error;
use super::json_body::required_json;
use super::state::{ExploreType, RestoreSession};
#[cfg(feature = "openapi")]
use super::tags;
use super::wire::{Links, RestoreSessionBody, json};
use crate::dates::dotnet_utc;
use crate::state::World;

/// `POST /vX/Organizations/{organization_id}/explore` (v6+, administrators).
#[cfg_attr(feature = "openapi", utoipa::path(
    post,
    path = "/{version}/Organizations/{organization_id}/explore",
    operation_id = "vb365_explore_organization",
    tag = tags::RESTORE,
    summary = "Explore an organization (administrators, v6+)",
    params(
        tags::ModernVersion,
        ("organization_id" = String, Path, description = "The organization id (a GUID)"),
    ),
    request_body(content = tags::ExploreOptions, content_type = "application/json"),
    responses(
        (status = 201, description = "Started (v6 and v7 answer 200)", body = RestoreSessionBody),
        tags::ExploreRefusals,
    ),
    security(("bearer" = []))
))]
pub(crate) async fn explore_organization(
    caller: Caller,
    req: HttpRequest,
    payload: Payload,
    world: Data<World>,
) -> Result<HttpResponse, Vb365Error> {
    caller.require(&[Role::Administrator])?;
    let organization = organization_in_path(&caller, &req, &world)?;
    let options = read_json(&caller, &req, payload).await?;
    let session = start(&caller, &world, organization, &options)?;
    // v8 documents 201 Created; v6 and v7 documented 200.
    let status = if caller.version.number() >= 8 { StatusCode::CREATED } else { StatusCode::OK };
    render(&caller, status, &session)
}

/// `POST /vX/Organization/Explore` (v6+, tenants) and `/Organization/OperatorExplore`
/// (operators): the caller's own organization.
#[cfg_attr(feature = "openapi", utoipa::path(
    post,
    path = "/{version}/Organization/Explore",
    operation_id = "vb365_explore_own",
    tag = tags::RESTORE,
    summary = "Explore the caller's organization (tenants, v6+)",
    params(tags::ModernVersion),
    request_body(content = tags::ExploreOptions, content_type = "application/json"),
    responses(
        (status = 201, description = "Started (v6 and v7 answer 200)", body = RestoreSessionBody),
        tags::ExploreRefusals,
    ),
    security(("bearer" = []))
))]
pub(crate) async fn explore_own(
    caller: Caller,
    req: HttpRequest,
    payload: Payload,
    world: Data<World>,
) -> Result<HttpResponse, Vb365Error> {
    let operator = req.path().ends_with("/operatorexplore");
    caller.require(&[if operator { Role::Operator } else { Role::Tenant }])?;
    let organization = caller.session().organization.ok_or_else(|| Vb365Error::forbidden(caller.version))?;
    let options = read_json(&caller, &req, payload).await?;
    let session = start(&caller, &world, organization, &options)?;
    let status = if caller.version.number() >= 8 { StatusCode::CREATED } else { StatusCode::OK };
    render(&caller, status, &session)
}

/// `POST /vX/Organization/OperatorExplore` (v6+, Restore Portal operators): as
/// [`explore_own`], under its own path in the document.
#[cfg_attr(feature = "openapi", utoipa::path(
    post,
    path = "/{version}/Organization/OperatorExplore",
    operation_id = "vb365_operator_explore",
    tag = tags::RESTORE,
    summary = "Explore the caller's organization (Restore Portal operators, v6+)",
    params(tags::ModernVersion),
    request_body(content = tags::ExploreOptions, content_type = "application/json"),
    responses(
        (status = 201, description = "Started (v6 and v7 answer 200)", body = RestoreSessionBody),
        tags::ExploreRefusals,
    ),
    security(("bearer" = []))
))]
pub(crate) async fn explore_operator(
    caller: Caller,
    req: HttpRequest,
    payload: Payload,
    world: Data<World>,
) -> Result<HttpResponse, Vb365Error> {
    explore_own(caller, req, payload, world).await
}

/// `POST /vX/Organization/Action` (v1-v5, tenants): as [`legacy_organization_action`] for the
/// caller's own organization, under its own path in the document.
#[cfg_attr(feature = "openapi", utoipa::path(
    post,
    path = "/{version}/Organization/Action",
    operation_id = "vb365_legacy_own_action",
    tag = tags::RESTORE,
    summary = "Explore the caller's organization through an Action body (tenants, v1-v5)",
    params(tags::LegacyVersion),
    request_body(content = serde_json::Value, content_type = "application/json"),
    responses((status = 201, body = RestoreSessionBody)),
    security(("bearer" = []))
))]
pub(crate) async fn legacy_own_action(
    caller: Caller,
    req: HttpRequest,
    payload: Payload,
    world: Data<World>,
) -> Result<HttpResponse, Vb365Error> {
    legacy_organization_action(caller, req, payload, world).await
}

/// `POST /vX/Organizations/{organization_id}/Action` and `/Organization/Action` (v1-v5): an
/// `{"explore": {...}}` body starts a session (201).
#[cfg_attr(feature = "openapi", utoipa::path(
    post,
    path = "/{version}/Organizations/{organization_id}/Action",
    operation_id = "vb365_legacy_organization_action",
    tag = tags::RESTORE,
    summary = "Explore an organization through an Action body (administrators, v1-v5)",
    params(
        tags::LegacyVersion,
        ("organization_id" = String, Path, description = "The organization id (a GUID)"),
    ),
    request_body(content = serde_json::Value, content_type = "application/json"),
    responses((status = 201, body = RestoreSessionBody)),
    security(("bearer" = []))
))]
pub(crate) async fn legacy_organization_action(
    caller: Caller,
    req: HttpRequest,
    payload: Payload,
    world: Data<World>,
) -> Result<HttpResponse, Vb365Error> {
    let organization = if req.match_info().get("organization_id").is_some() {
        caller.require(&[Role::Administrator])?;
        organization_in_path(&caller, &req, &world)?
    } else {
        caller.require(&[Role::Tenant])?;
        caller.session().organization.ok_or_else(|| Vb365Error::forbidden(caller.version))?
    };
    let body = read_json(&caller, &req, payload).await?;
    let options = member(&body, "explore").ok_or_else(|| {
        Vb365Error::validation(caller.version, "The action is not supported; send {\"explore\": {...}}.")
    })?;
    let session = start(&caller, &world, organization, options)?;
    render(&caller, StatusCode::CREATED, &session)
}

/// `GET /vX/RestoreSessions/{restore_session_id}`.
#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/{version}/RestoreSessions/{restore_session_id}",
    operation_id = "vb365_restore_session",
    tag = tags::RESTORE,
    summary = "A restore session",
    params(
        tags::AnyVersion,
        ("restore_session_id" = String, Path, description = "The restore session id (a GUID)"),
    ),
    responses(
        (status = 200, body = RestoreSessionBody),
        (status = 404, description = "Unknown or not the caller's", body = tags::ExceptionInfo),
    ),
    security(("bearer" = []))
))]
pub(crate) async fn get(
    caller: Caller,
    req: HttpRequest,
    world: Data<World>,
) -> Result<HttpResponse, Vb365Error> {
    let id = session_in_path(&caller, &req)?;
    let idle = world.scenario().vb365().restore_session_idle_timeout;
    let session = world.vb365().restore.touch(id, world.clock.now(), idle);
    let session = visible(&caller, session, id)?;
    render(&caller, StatusCode::OK, &session)
}

/// `POST /vX/RestoreSessions/{restore_session_id}/Stop` (v6+): 200 on v6/v7, 204 on v8.
#[cfg_attr(feature = "openapi", utoipa::path(
    post,
    path = "/{version}/RestoreSessions/{restore_session_id}/Stop",
    operation_id = "vb365_restore_session_stop",
    tag = tags::RESTORE,
    summary = "Stop a restore session (v6+; v8 answers 204, v6 and v7 200)",
    params(
        tags::ModernVersion,
        ("restore_session_id" = String, Path, description = "The restore session id (a GUID)"),
    ),
    responses((status = 204, description = "Stopped")),
    security(("bearer" = []))
))]
pub(crate) async fn stop(
    caller: Caller,
    req: HttpRequest,
    world: Data<World>,
) -> Result<HttpResponse, Vb365Error> {
    stop_session(&caller, &req, &world)?;
    Ok(if caller.version.number() >= 8 {
        HttpResponse::NoContent().finish()
    } else {
        HttpResponse::Ok().finish()
    })
}

/// `POST /vX/RestoreSessions/{restore_session_id}/Action` (v1-v5): `{"stop": null}` → 200.
#[cfg_attr(feature = "openapi", utoipa::path(
    post,
    path = "/{version}/RestoreSessions/{restore_session_id}/Action",
    operation_id = "vb365_legacy_session_action",
    tag = tags::RESTORE,
    summary = "Stop through a `{\"stop\": null}` body (v1-v5)",
    params(
        tags::LegacyVersion,
        ("restore_session_id" = String, Path, description = "The restore session id (a GUID)"),
    ),
    request_body(content = serde_json::Value, content_type = "application/json"),
    responses((status = 200, description = "Stopped")),
    security(("bearer" = []))
))]
pub(crate) async fn legacy_session_action(
    caller: Caller,
    req: HttpRequest,
    payload: Payload,
    world: Data<World>,
) -> Result<HttpResponse, Vb365Error> {
    let body = read_json(&caller, &req, payload).await?;
    if member(&body, "stop").is_none() {
        return Err(Vb365Error::validation(
            caller.version,
            "The action is not supported; send {\"stop\": null}.",
        ));
    }
    stop_session(&caller, &req, &world)?;
    Ok(HttpResponse::Ok().finish())
}

fn stop_session(caller: &Caller, req: &HttpRequest, world: &World) -> Result<(), Vb365Error> {
    let id = session_in_path(caller, req)?;
    let idle = world.scenario().vb365().restore_session_idle_timeout;
    let now = world.clock.now();
    // Check visibility before stopping: a caller may not stop what it may not see.
    visible(caller, world.vb365().restore.touch(id, now, idle), id)?;
    world.vb365().restore.stop(id, now, idle);
    Ok(())
}

/// The session, if it exists and the caller may see it: administrators see all, tenants and
/// operators their organization's.
fn visible(caller: &Caller, session: Option<RestoreSession>, id: Uuid) -> Result<RestoreSession, Vb365Error> {
    let session = session.ok_or_else(|| {
        Vb365Error::missing(caller.version, format!("Restore session with ID '{id}' was not found."))
    })?;
    let own = caller.session().organization == Some(session.organization);
    if caller.session().role == Role::Administrator || own {
        Ok(session)
    } else {
        Err(Vb365Error::forbidden(caller.version))
    }
}

fn start(
    caller: &Caller,
    world: &World,
    organization: Uuid,
    options: &Value,
) -> Result<RestoreSession, Vb365Error> {
    let kind = match member(options, "type") {
        None | Some(Value::Null) => ExploreType::Vex,
        Some(Value::String(text)) => ExploreType::parse(text).ok_or_else(|| {
            Vb365Error::validation(caller.version, format!("The value '{text}' is not valid for type."))
        })?,
        Some(_) => return Err(Vb365Error::validation(caller.version, "The type field must be a string.")),
    };
    let scenario = world.scenario();
    let organization_name =
        scenario.vb365().organization(organization).map(|org| org.name.clone()).unwrap_or_default();
    let now = world.clock.now();
    let session = RestoreSession {
        id: world.random.uuid(),
        organization,
        organization_name,
        kind,
        created_at: now,
        ended_at: None,
        owner: caller.auth.session,
        initiated_by: caller.session().user_name.clone(),
        reason: member(options, "reason").and_then(Value::as_str).map(str::to_owned),
        last_activity: now,
        etag: 1,
    };
    world.vb365().restore.start(session.clone(), scenario.vb365().restore_session_idle_timeout);
    Ok(session)
}

fn render(caller: &Caller, status: StatusCode, session: &RestoreSession) -> Result<HttpResponse, Vb365Error> {
    let explorer = match session.kind {
        ExploreType::Vex => "Exchange",
        ExploreType::Veod => "OneDrive for Business",
        ExploreType::Vesp => "SharePoint",
        ExploreType::Vet => "Teams",
    };
    let body = RestoreSessionBody {
        id: session.id,
        name: format!("{explorer} restore session"),
        organization: &session.organization_name,
        kind: session.kind,
        creation_time: dotnet_utc(session.created_at),
        end_time: session.ended_at.map(dotnet_utc),
        state: if session.ended_at.is_some() { "Stopped" } else { "Working" },
        result: "Success",
        initiated_by: &session.initiated_by,
        reason: session.reason.as_deref(),
        // eTag came with v8; earlier schemas do not have it.
        etag: (caller.version.number() >= 8).then_some(session.etag),
        links: Links::to_self(format!("/{}/RestoreSessions/{}", caller.version, session.id)),
    };
    json(caller.version, status, &body)
}

fn organization_in_path(caller: &Caller, req: &HttpRequest, world: &World) -> Result<Uuid, Vb365Error> {
    let raw = req.match_info().get("organization_id").unwrap_or_default();
    let not_found =
        || Vb365Error::missing(caller.version, format!("Organization with ID '{raw}' was not found."));
    let id = Uuid::parse_str(raw).map_err(|_| not_found())?;
    world.scenario().vb365().organization(id).map(|org| org.id).ok_or_else(not_found)
}

fn session_in_path(caller: &Caller, req: &HttpRequest) -> Result<Uuid, Vb365Error> {
    let raw = req.match_info().get("restore_session_id").unwrap_or_default();
    Uuid::parse_str(raw).map_err(|_| {
        Vb365Error::missing(caller.version, format!("Restore session with ID '{raw}' was not found."))
    })
}

/// The required JSON object of an explore or Action route ([`required_json`]); 400 when it is
/// not an object.
async fn read_json(caller: &Caller, req: &HttpRequest, payload: Payload) -> Result<Value, Vb365Error> {
    let body = required_json(caller.version, req, payload).await?;
    if !body.is_object() {
        return Err(Vb365Error::validation(caller.version, "The request body must be a JSON object."));
    }
    Ok(body)
}

/// A member of a JSON object, its name matched case-insensitively (as ASP.NET binds JSON).
fn member<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    value.as_object()?.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value)
}
