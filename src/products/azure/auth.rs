//! The bearer check for protected VBAzure calls, and the role and licence-agreement gates.
//!
//! Order, as ASP.NET Core runs it: routing first (an unserved version is 404 before any auth),
//! then authentication (401), then authorization (403). A token is checked by the token
//! service, which looks it up in the session store: missing, unknown, altered, expired, revoked
//! or refresh-instead-of-access all get 401, with a `ProblemDetails401` body unless the scenario
//! asks for an empty one.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};

use super::config::AzureRole;
use super::problem::AzureError;
use super::state::AzureSession;
use super::version::AzureVersion;
use crate::request::bearer::bearer_token;
use crate::state::World;
use crate::tokens::Authenticated;

/// The caller of a versioned protected endpoint (`/api/v{ver}/...`), once its bearer passed.
#[derive(Debug)]
pub(crate) struct Caller {
    /// The session the bearer belongs to.
    pub(crate) auth: Authenticated<AzureSession>,
}

impl Caller {
    /// 403 unless the caller's role is one of `roles`; 403 with
    /// `licenseAgreementAcceptanceRequired` while the licence agreement is not accepted.
    pub(crate) fn allow(&self, world: &World, roles: &[AzureRole]) -> Result<(), AzureError> {
        if !world.azure().stores.license_accepted() {
            return Err(AzureError::Forbidden { license: true });
        }
        if !roles.contains(&self.auth.payload.role) {
            return Err(AzureError::Forbidden { license: false });
        }
        Ok(())
    }
}

impl FromRequest for Caller {
    type Error = AzureError;
    type Future = Ready<Result<Caller, AzureError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(AzureVersion::of(req).and_then(|_| authenticate(req)).map(|auth| Caller { auth }))
    }
}

/// The caller of an unversioned protected endpoint (`DELETE /api/oauth2/token`).
#[derive(Debug)]
pub(crate) struct TokenHolder {
    /// The session the bearer belongs to.
    pub(crate) auth: Authenticated<AzureSession>,
}

impl FromRequest for TokenHolder {
    type Error = AzureError;
    type Future = Ready<Result<TokenHolder, AzureError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req).map(|auth| TokenHolder { auth }))
    }
}

/// The bearer check every protected VBAzure call starts with (declared routes too).
pub(crate) fn authenticate(req: &HttpRequest) -> Result<Authenticated<AzureSession>, AzureError> {
    let world = req.app_data::<Data<World>>().ok_or(AzureError::Internal)?;
    let json = world.scenario().azure().unauthorized_json;
    super::state::tokens(world)
        .authenticate(bearer_token(req.headers()))
        .map_err(|rejection| AzureError::bearer_refused(rejection, json))
}
