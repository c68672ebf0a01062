//! The API version in a VBAzure path (`/api/v8.1/...`), selected only by that segment (VBAzure
//! has no version header). Versions the scenario does not serve answer 404, as Asp.Versioning
//! does for URL-segment versions; clients such as veeam-az's discovery rely on that.

use actix_web::HttpRequest;
use actix_web::web::Data;

use super::problem::AzureError;
use crate::state::World;

/// A served version segment, lower case (`v8.1`, `v8`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AzureVersion(pub(crate) String);

impl AzureVersion {
    /// The version of the request's `{version}` segment, or 404 when it is not served.
    pub(crate) fn of(req: &HttpRequest) -> Result<AzureVersion, AzureError> {
        let segment = req.match_info().get("version").unwrap_or_default();
        // Asp.Versioning reads `v8.0` and `v8` as the same version.
        let segment = if segment == "v8.0" { "v8" } else { segment };
        let world = req.app_data::<Data<World>>().ok_or(AzureError::Internal)?;
        if world.scenario().azure().serves(segment) {
            Ok(AzureVersion(segment.to_owned()))
        } else {
            Err(AzureError::NotFound { instance: crate::request::path_as_sent(req) })
        }
    }
}
