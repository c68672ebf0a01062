//! The VB365 route table: every route the mock serves for VB365, with the versions it exists
//! in and its endpoint name. Registration, endpoint naming, 405s and the tests' route list all
//! read it ([`crate::routing`]).
//!
//! Paths are written as VB365's OpenAPI documents spell them; they are registered in lower
//! case under one `/{version}` scope.

use std::ops::RangeInclusive;

use actix_web::http::Method;

use super::{info, restore, session, token};
use crate::routing::{Route, Table};
use crate::scenario::Endpoint;

const ALL: RangeInclusive<u8> = 1..=8;
const LEGACY: RangeInclusive<u8> = 1..=5;
const MODERN: RangeInclusive<u8> = 6..=8;
const WITH_LOGOUT: RangeInclusive<u8> = 7..=8;

// The spellings of the enum `Endpoint` once was, kept so that users' code compiles unchanged.
#[allow(non_upper_case_globals)]
impl Endpoint {
    /// `POST /vX/token` (every VB365 version and grant).
    pub const Vb365Token: Endpoint = Endpoint::new("vb365.token");
    /// `POST /v7|v8/token/logout`.
    pub const Vb365Logout: Endpoint = Endpoint::new("vb365.logout");
    /// `POST /v7|v8/token/AuthCode`.
    pub const Vb365AuthCode: Endpoint = Endpoint::new("vb365.authcode");
    /// `GET /v8/Health`.
    pub const Vb365Health: Endpoint = Endpoint::new("vb365.health");
    /// `GET /vX/RestorePortalSettings`.
    pub const Vb365RestorePortalSettings: Endpoint = Endpoint::new("vb365.restore_portal_settings");
    /// `GET /vX/ServiceInstance`.
    pub const Vb365ServiceInstance: Endpoint = Endpoint::new("vb365.service_instance");
    /// `GET /vX/Organization/LoggedInUser`.
    pub const Vb365LoggedInUser: Endpoint = Endpoint::new("vb365.logged_in_user");
    /// `GET /vX/Organization/LoggedInUser/OperatorInfo`.
    pub const Vb365OperatorInfo: Endpoint = Endpoint::new("vb365.operator_info");
    /// Starting a restore session (`.../explore`, `.../OperatorExplore`, legacy `.../Action`).
    pub const Vb365Explore: Endpoint = Endpoint::new("vb365.explore");
    /// `GET /vX/RestoreSessions/{id}`.
    pub const Vb365RestoreSession: Endpoint = Endpoint::new("vb365.restore_session");
    /// Stopping a restore session (`.../Stop`, legacy `.../Action`).
    pub const Vb365RestoreSessionStop: Endpoint = Endpoint::new("vb365.restore_session_stop");
}

const GET: Method = Method::GET;
const POST: Method = Method::POST;

/// Every VB365 route.
static ROUTES: [Route; 16] = [
    Route::new(POST, "/{version}/token", Endpoint::Vb365Token, |r| r.to(token::token))
        .in_versions(ALL)
        .token(),
    Route::new(POST, "/{version}/token/logout", Endpoint::Vb365Logout, |r| r.to(session::logout))
        .in_versions(WITH_LOGOUT),
    Route::new(POST, "/{version}/token/AuthCode", Endpoint::Vb365AuthCode, |r| r.to(session::auth_code))
        .in_versions(WITH_LOGOUT),
    Route::new(GET, "/{version}/Health", Endpoint::Vb365Health, |r| r.to(info::health)).in_versions(8..=8),
    Route::new(GET, "/{version}/RestorePortalSettings", Endpoint::Vb365RestorePortalSettings, |r| {
        r.to(info::restore_portal_settings)
    })
    .in_versions(MODERN),
    Route::new(GET, "/{version}/ServiceInstance", Endpoint::Vb365ServiceInstance, |r| {
        r.to(info::service_instance)
    })
    .in_versions(MODERN),
    Route::new(GET, "/{version}/Organization/LoggedInUser", Endpoint::Vb365LoggedInUser, |r| {
        r.to(info::logged_in_user)
    })
    .in_versions(MODERN),
    Route::new(GET, "/{version}/Organization/LoggedInUser/OperatorInfo", Endpoint::Vb365OperatorInfo, |r| {
        r.to(info::operator_info)
    })
    .in_versions(MODERN),
    Route::new(POST, "/{version}/Organization/Explore", Endpoint::Vb365Explore, |r| {
        r.to(restore::explore_own)
    })
    .in_versions(MODERN),
    Route::new(POST, "/{version}/Organization/OperatorExplore", Endpoint::Vb365Explore, |r| {
        r.to(restore::explore_operator)
    })
    .in_versions(MODERN),
    Route::new(POST, "/{version}/Organizations/{organization_id}/explore", Endpoint::Vb365Explore, |r| {
        r.to(restore::explore_organization)
    })
    .in_versions(MODERN),
    Route::new(POST, "/{version}/Organizations/{organization_id}/Action", Endpoint::Vb365Explore, |r| {
        r.to(restore::legacy_organization_action)
    })
    .in_versions(LEGACY),
    Route::new(POST, "/{version}/Organization/Action", Endpoint::Vb365Explore, |r| {
        r.to(restore::legacy_own_action)
    })
    .in_versions(LEGACY),
    Route::new(GET, "/{version}/RestoreSessions/{restore_session_id}", Endpoint::Vb365RestoreSession, |r| {
        r.to(restore::get)
    })
    .in_versions(ALL),
    Route::new(
        POST,
        "/{version}/RestoreSessions/{restore_session_id}/Stop",
        Endpoint::Vb365RestoreSessionStop,
        |r| r.to(restore::stop),
    )
    .in_versions(MODERN),
    Route::new(
        POST,
        "/{version}/RestoreSessions/{restore_session_id}/Action",
        Endpoint::Vb365RestoreSessionStop,
        |r| r.to(restore::legacy_session_action),
    )
    .in_versions(LEGACY),
];

/// The VB365 table: one `/{version}` scope (it takes any first segment, so the product is
/// registered last); a route carries the versions it exists in as resource data.
pub(super) static TABLE: Table = Table {
    routes: &ROUTES,
    scopes: &["/{version}"],
    refuse: super::wrong_method,
    guard: None,
    attach: |route, resource| match &route.versions {
        Some(versions) => resource.app_data(super::Versions(versions.clone())),
        None => resource,
    },
};
