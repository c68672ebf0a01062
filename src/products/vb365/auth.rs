//! The bearer check for protected VB365 calls, with the antiforgery and role rules.
//!
//! A token is checked by the token service, which looks it up in the session store (not by
//! verifying its signature): missing, unknown, altered, expired, revoked or
//! refresh-instead-of-access all get 401, with the challenge saying why. Then, on v7 and v8, a
//! token issued without `disable_antiforgery_token=true` must come with its antiforgery token
//! echoed in the scenario's header (strict mode), or may (lenient).

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};

use super::config::{AntiforgeryMode, AntiforgerySettings, Role};
use super::error::{ErrorCode, Vb365Error};
use super::state::Vb365Session;
use super::version::ApiVersion;
use crate::request::bearer::bearer_token;
use crate::state::World;
use crate::tokens::Authenticated;

/// The caller of a protected endpoint, once its bearer passed.
#[derive(Debug)]
pub(crate) struct Caller {
    /// The API version of the path called.
    pub(crate) version: ApiVersion,
    /// The session the bearer belongs to.
    pub(crate) auth: Authenticated<Vb365Session>,
}

impl Caller {
    /// 403 unless the caller's role is one of `roles`.
    pub(crate) fn require(&self, roles: &[Role]) -> Result<(), Vb365Error> {
        if roles.contains(&self.auth.payload.role) {
            Ok(())
        } else {
            Err(Vb365Error::forbidden(self.version))
        }
    }

    /// The caller's session data.
    pub(crate) fn session(&self) -> &Vb365Session {
        &self.auth.payload
    }
}

impl FromRequest for Caller {
    type Error = Vb365Error;
    type Future = Ready<Result<Caller, Vb365Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

fn authenticate(req: &HttpRequest) -> Result<Caller, Vb365Error> {
    authenticate_at(req, ApiVersion::of(req)?)
}

/// The bearer check of a call to `version` (already read and checked), with the antiforgery
/// rule: what protected endpoints and declared routes share.
pub(crate) fn authenticate_at(req: &HttpRequest, version: ApiVersion) -> Result<Caller, Vb365Error> {
    let world = req.app_data::<Data<World>>().ok_or_else(|| Vb365Error::internal(version))?;
    let auth = super::state::tokens(world)
        .authenticate(bearer_token(req.headers()))
        .map_err(|rejection| Vb365Error::bearer_refused(version, rejection))?;
    let scenario = world.scenario();
    let antiforgery = &scenario.vb365().antiforgery;
    if !antiforgery_satisfied(req, &auth.payload, antiforgery, version) {
        return Err(antiforgery_failure(version, antiforgery.failure_status));
    }
    Ok(Caller { version, auth })
}

/// Whether `req`, a call to `version`, satisfies the antiforgery rule for `session`.
pub(crate) fn antiforgery_satisfied(
    req: &HttpRequest,
    session: &Vb365Session,
    settings: &AntiforgerySettings,
    version: ApiVersion,
) -> bool {
    let Some(expected) = &session.antiforgery else { return true };
    let sent = req.headers().get(settings.header.as_str()).and_then(|value| value.to_str().ok());
    match (settings.mode_for(version.number()), sent) {
        (AntiforgeryMode::Off, _) => true,
        (_, Some(sent)) => sent == expected,
        (AntiforgeryMode::Strict, None) => false,
        (AntiforgeryMode::Lenient, None) => true,
    }
}

fn antiforgery_failure(version: ApiVersion, status: u16) -> Vb365Error {
    const MESSAGE: &str = "The antiforgery token is missing or invalid.";
    match status {
        400 => Vb365Error::validation(version, MESSAGE),
        403 => {
            Vb365Error::api(version, StatusCode::FORBIDDEN, MESSAGE, Some(ErrorCode::ResourceAccessDenied))
        }
        _ => Vb365Error::invalid_bearer(version),
    }
}
