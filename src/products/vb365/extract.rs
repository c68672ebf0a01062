//! Reading the API version from a request: the `{version}` segment, checked against what the
//! scenario serves and the range the route exists in, refused with the product's 404. Apart
//! from [`super::version`] so that the version stays a plain value that [`super::error`] can
//! use without an import circle.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};

use super::error::Vb365Error;
use super::version::{ApiVersion, Versions};
use crate::state::World;

impl ApiVersion {
    /// The version named by the request's `{version}` segment, if the scenario serves it and the
    /// route exists in it; otherwise a 404 in the product's format (clients probe versions and
    /// read 404 as "not served", even before any bearer check).
    pub(crate) fn of(req: &HttpRequest) -> Result<ApiVersion, Vb365Error> {
        let segment = req.match_info().get("version").unwrap_or_default();
        let parsed = ApiVersion::parse(segment);
        let served = parsed.filter(|version| {
            let in_scenario = req
                .app_data::<Data<World>>()
                .is_some_and(|world| world.scenario().vb365().serves(version.number()));
            let in_route =
                req.app_data::<Versions>().is_none_or(|versions| versions.0.contains(&version.number()));
            in_scenario && in_route
        });
        served.ok_or_else(|| Vb365Error::not_found(parsed.unwrap_or(ApiVersion::NEWEST), req))
    }
}

impl FromRequest for ApiVersion {
    type Error = Vb365Error;
    type Future = Ready<Result<ApiVersion, Vb365Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(ApiVersion::of(req))
    }
}
