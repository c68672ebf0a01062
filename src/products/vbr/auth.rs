//! What every VBR call checks, in the server's order: the `x-api-version` header first (a
//! missing, malformed or unserved one is 400 before anything else, whatever the credentials),
//! then the bearer (401), then the role (403). Also the routing question this product and
//! VBAzure share: whose is an `/api/...` request.

use actix_web::HttpRequest;
use actix_web::http::header::HeaderMap;
use actix_web::web::Data;

use super::config::{VbrRole, VbrSettings};
use super::error::VbrError;
use super::state::VbrSession;
use super::version::ApiVersion;
use crate::request::bearer::bearer_token;
use crate::scenario::Scenario;
use crate::state::World;
use crate::tokens::Authenticated;

/// The header every VBR call carries.
pub(crate) const VERSION_HEADER: &str = "x-api-version";

/// Whether a request for a path VBR and VBAzure share is VBR's: it carries a VBR revision in
/// `x-api-version` (`1.3-rev1`; VBAzure clients send none, an empty one, or `8.1`), or the
/// scenario is about VBR alone (it writes `[vbr]` and not `[azure]`), where VBR answers a
/// missing header itself.
pub(crate) fn is_vbr_request(headers: &HeaderMap, scenario: &Scenario) -> bool {
    carries_vbr_version(headers) || is_about_vbr_alone(scenario)
}

/// Whether `x-api-version` holds a VBR revision (`1.3-rev1`, whether served or not).
pub(crate) fn carries_vbr_version(headers: &HeaderMap) -> bool {
    headers
        .get(VERSION_HEADER)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| ApiVersion::parse(value).is_some())
}

/// Whether the scenario writes `[vbr]` and not `[azure]`.
pub(crate) fn is_about_vbr_alone(scenario: &Scenario) -> bool {
    scenario.writes("vbr") && !scenario.writes("azure")
}

/// The revision the request asks for, if the scenario serves it; else the 400 listing those
/// it does.
pub(crate) fn version(req: &HttpRequest, settings: &VbrSettings) -> Result<ApiVersion, VbrError> {
    req.headers()
        .get(VERSION_HEADER)
        .and_then(|value| value.to_str().ok())
        .and_then(ApiVersion::parse)
        .filter(|version| settings.serves(*version))
        .ok_or_else(|| VbrError::Version { served: settings.versions.clone() })
}

/// The world a handler runs in (always there inside the app).
pub(crate) fn world(req: &HttpRequest) -> Result<&Data<World>, VbrError> {
    req.app_data::<Data<World>>().ok_or(VbrError::Internal)
}

/// The bearer check of every protected call: the session its access token belongs to.
pub(crate) fn authenticate(
    req: &HttpRequest,
    world: &World,
    settings: &VbrSettings,
) -> Result<Authenticated<VbrSession>, VbrError> {
    super::state::tokens(world).authenticate(bearer_token(req.headers())).map_err(|rejection| {
        VbrError::bearer_refused(rejection, settings.unauthorized_json, settings.detailed_token_errors)
    })
}

/// A protected call's whole check: version, bearer, then one of `roles` (any role when empty).
pub(crate) fn caller(
    req: &HttpRequest,
    roles: &[VbrRole],
) -> Result<(ApiVersion, Authenticated<VbrSession>), VbrError> {
    let world = world(req)?;
    let scenario = world.scenario();
    let settings = scenario.vbr();
    let version = version(req, settings)?;
    let auth = authenticate(req, world, settings)?;
    if !roles.is_empty() && !roles.contains(&auth.payload.role) {
        return Err(VbrError::Forbidden);
    }
    Ok((version, auth))
}
