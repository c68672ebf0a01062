//! The VBAzure route table: every route the mock serves for VBAzure and its endpoint name.
//! Registration, endpoint naming, 405s and the tests' route list all read it
//! ([`crate::routing`]).
//!
//! Paths are written as the VBAzure OpenAPI document spells them; they are registered in lower
//! case. The token routes are unversioned; the others share one `/api/{version}` scope.

use actix_web::http::Method;

use super::{endpoints, token};
use crate::routing::{Route, Table};
use crate::scenario::Endpoint;

// The spellings of the enum `Endpoint` once was, kept so that users' code compiles unchanged.
#[allow(non_upper_case_globals)]
impl Endpoint {
    /// `POST /api/oauth2/token` (every VBAzure grant).
    pub const AzureToken: Endpoint = Endpoint::new("azure.token");
    /// `DELETE /api/oauth2/token`.
    pub const AzureLogout: Endpoint = Endpoint::new("azure.logout");
    /// `POST /api/oauth2/authorization_code`.
    pub const AzureAuthorizationCode: Endpoint = Endpoint::new("azure.authorization_code");
    /// `GET /api/vX/system/about`.
    pub const AzureAbout: Endpoint = Endpoint::new("azure.about");
    /// `GET /api/vX/system/serverInfo`.
    pub const AzureServerInfo: Endpoint = Endpoint::new("azure.server_info");
    /// `GET /api/vX/system/status`.
    pub const AzureStatus: Endpoint = Endpoint::new("azure.status");
    /// `GET /api/vX/system/serviceIsUp`.
    pub const AzureServiceIsUp: Endpoint = Endpoint::new("azure.service_is_up");
    /// `GET /api/vX/licenseAgreement/accepted` and `POST .../accept`.
    pub const AzureLicenseAgreement: Endpoint = Endpoint::new("azure.license_agreement");
}

const GET: Method = Method::GET;
const POST: Method = Method::POST;
const DELETE: Method = Method::DELETE;

/// Every VBAzure route.
static ROUTES: [Route; 9] = [
    Route::new(POST, "/api/oauth2/token", Endpoint::AzureToken, |r| r.to(token::token)).token(),
    Route::new(DELETE, "/api/oauth2/token", Endpoint::AzureLogout, |r| r.to(endpoints::logout)),
    Route::new(POST, "/api/oauth2/authorization_code", Endpoint::AzureAuthorizationCode, |r| {
        r.to(endpoints::authorization_code)
    }),
    Route::new(GET, "/api/{version}/system/about", Endpoint::AzureAbout, |r| r.to(endpoints::about)),
    Route::new(GET, "/api/{version}/system/serverInfo", Endpoint::AzureServerInfo, |r| {
        r.to(endpoints::server_info)
    }),
    Route::new(GET, "/api/{version}/system/status", Endpoint::AzureStatus, |r| r.to(endpoints::status)),
    Route::new(GET, "/api/{version}/system/serviceIsUp", Endpoint::AzureServiceIsUp, |r| {
        r.to(endpoints::service_is_up)
    }),
    Route::new(GET, "/api/{version}/licenseAgreement/accepted", Endpoint::AzureLicenseAgreement, |r| {
        r.to(endpoints::license_accepted)
    }),
    Route::new(POST, "/api/{version}/licenseAgreement/accept", Endpoint::AzureLicenseAgreement, |r| {
        r.to(endpoints::accept_license)
    }),
];

/// The VBAzure table: the unversioned token routes, then one `/api/{version}` scope that takes
/// every `/api/...` path the token routes did not.
pub(super) static TABLE: Table = Table {
    routes: &ROUTES,
    scopes: &["/api/{version}"],
    refuse: super::wrong_method,
    guard: None,
    attach: |_, resource| resource,
};
