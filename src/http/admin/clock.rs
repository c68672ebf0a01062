//! The scenario clock: read it, move it.

use actix_web::web::{self};
use actix_web::{HttpRequest, HttpResponse};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

#[cfg(feature = "openapi")]
use super::views::{AdminErrorBody, AdminRefusal, TAG};
use super::views::{ClockChange, ClockView};
use super::{Admin, AdminError, body_of, json_body};
use crate::clock::ClockMode;
use crate::state::World;

pub(super) fn clock_view(world: &World) -> ClockView {
    let mode = match world.clock.mode() {
        ClockMode::Frozen => "frozen",
        ClockMode::Ticking => "ticking",
        _ => "offset",
    };
    ClockView { now: crate::dates::dotnet_utc(world.clock.now()), mode }
}

#[cfg_attr(feature = "openapi", utoipa::path(
    get,
    path = "/__mock/clock",
    operation_id = "mock_clock",
    tag = TAG,
    summary = "The scenario clock",
    responses((status = 200, body = ClockView), AdminRefusal),
    security(("admin" = []))
))]
pub(super) async fn clock(admin: Admin) -> HttpResponse {
    HttpResponse::Ok().json(clock_view(&admin.0))
}

#[cfg_attr(feature = "openapi", utoipa::path(
    post,
    path = "/__mock/clock",
    operation_id = "mock_move_clock",
    tag = TAG,
    summary = "Set, advance (\"61m\", \"-2h\"), freeze or unfreeze the clock, within \
        1970-01-01T00:00:00Z to 9000-12-31T23:59:59Z; a bad request changes nothing",
    request_body = ClockChange,
    responses(
        (status = 200, body = ClockView),
        (status = 400, description = "A malformed or invalid body", body = AdminErrorBody),
        AdminRefusal,
    ),
    security(("admin" = []))
))]
pub(super) async fn move_clock(
    admin: Admin,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AdminError> {
    let change: ClockChange = json_body(&body_of(&req, payload).await?)?;
    let world = &admin.0;
    if change.advance.is_none() && change.set.is_none() && change.freeze.is_none() {
        return Err(AdminError::BadRequest("give `advance`, `set` or `freeze`".into()));
    }
    // Check everything before changing anything, so a bad request changes nothing.
    let advance = change
        .advance
        .map(|text| crate::scenario::parse_signed_duration(&text))
        .transpose()
        .map_err(AdminError::BadRequest)?;
    let set = change
        .set
        .map(|text| {
            OffsetDateTime::parse(text.trim(), &Rfc3339)
                .map_err(|_| AdminError::BadRequest(format!("`{text}` is not an RFC 3339 date")))
        })
        .transpose()?;
    // One change for all three, so that a move out of the mock's time range changes nothing
    // and a clock set and frozen shows exactly the instant set.
    world
        .clock
        .try_change(set, advance.unwrap_or(time::Duration::ZERO), change.freeze)
        .map_err(|err| AdminError::BadRequest(err.to_string()))?;
    Ok(HttpResponse::Ok().json(clock_view(world)))
}
