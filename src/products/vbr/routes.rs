//! The VBR route table: every route the mock serves for VBR and its endpoint name.
//! Registration, endpoint naming, 405s and the tests' route list all read it
//! ([`crate::routing`]).
//!
//! VBR shares `/api/oauth2/token` and `/api/oauth2/authorization_code` with VBAzure, so the
//! table has a guard ([`super::auth::is_vbr_request`]): a request reaches VBR's resources only
//! when it carries a VBR `x-api-version` (or the scenario is about VBR alone); anything else
//! goes on to VBAzure's. The Swagger documents need no header (clients probe them bare).

use actix_web::guard::GuardContext;
use actix_web::http::Method;
use actix_web::web::Data;

use super::{endpoints, token};
use crate::routing::{Route, Table};
use crate::scenario::Endpoint;
use crate::state::World;

#[allow(non_upper_case_globals)]
impl Endpoint {
    /// `POST /api/oauth2/token` (every VBR grant).
    pub const VbrToken: Endpoint = Endpoint::new("vbr.token");
    /// `POST /api/oauth2/logout`.
    pub const VbrLogout: Endpoint = Endpoint::new("vbr.logout");
    /// `POST /api/oauth2/authorization_code` (1.2-rev1 and older).
    pub const VbrAuthorizationCode: Endpoint = Endpoint::new("vbr.authorization_code");
    /// `GET /api/v1/serverInfo`.
    pub const VbrServerInfo: Endpoint = Endpoint::new("vbr.server_info");
    /// `GET /api/v1/serverTime`.
    pub const VbrServerTime: Endpoint = Endpoint::new("vbr.server_time");
    /// `GET /api/v1/serverCertificate`.
    pub const VbrServerCertificate: Endpoint = Endpoint::new("vbr.server_certificate");
    /// `GET /swagger/v{version}/swagger.json`.
    pub const VbrSwagger: Endpoint = Endpoint::new("vbr.swagger");
}

const GET: Method = Method::GET;
const POST: Method = Method::POST;

/// Every VBR route.
static ROUTES: [Route; 7] = [
    Route::new(POST, "/api/oauth2/token", Endpoint::VbrToken, |r| r.to(token::token)).token(),
    Route::new(POST, "/api/oauth2/logout", Endpoint::VbrLogout, |r| r.to(endpoints::logout)),
    Route::new(POST, "/api/oauth2/authorization_code", Endpoint::VbrAuthorizationCode, |r| {
        r.to(endpoints::authorization_code)
    }),
    Route::new(GET, "/api/v1/serverInfo", Endpoint::VbrServerInfo, |r| r.to(endpoints::server_info)),
    Route::new(GET, "/api/v1/serverTime", Endpoint::VbrServerTime, |r| r.to(endpoints::server_time)),
    Route::new(GET, "/api/v1/serverCertificate", Endpoint::VbrServerCertificate, |r| {
        r.to(endpoints::server_certificate)
    }),
    Route::new(GET, "/swagger/{version}/swagger.json", Endpoint::VbrSwagger, |r| r.to(endpoints::swagger)),
];

/// The VBR table: its `/api/` routes in one scope, which takes every `/api/...` path of a VBR
/// request (so an unknown one gets VBR's 404, or its 400 for the version, never VBAzure's
/// answer), and the Swagger documents on their own.
pub(super) static TABLE: Table = Table {
    routes: &ROUTES,
    scopes: &["/api"],
    refuse: super::wrong_method,
    guard: Some(is_vbr),
    attach: |_, resource| resource,
};

/// The table's guard: the Swagger documents are VBR's alone; the rest only for a VBR request.
fn is_vbr(ctx: &GuardContext<'_>) -> bool {
    let path = ctx.head().uri.path();
    if path.starts_with("/swagger/") || super::auth::carries_vbr_version(&ctx.head().headers) {
        return true;
    }
    ctx.app_data::<Data<World>>().is_some_and(|world| super::auth::is_about_vbr_alone(&world.scenario()))
}
