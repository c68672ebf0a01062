//! The legacy API (v1-v5, OWIN): how its token endpoint speaks, where v6+ speak ASP.NET Core
//! (the flow of grants is the same; [`super::token`] picks this dialect once from the version).
//!
//! - Bodies are forms only: anything else reads as no fields, so the client hears
//!   `unsupported_grant_type` as from OWIN.
//! - Refusals are OAuth errors, always 400 `{"error","error_description"}`
//!   ([`super::error::Vb365Error::OAuth`]) with OWIN's cache headers.
//! - Tokens are opaque DPAPI-shaped blobs ([`opaque`]); the pair comes in OWIN's body with
//!   RFC 1123 dates ([`crate::dates::rfc1123`]).

mod opaque;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;

use super::config::Vb365Settings;
use super::error::Vb365Error;
use super::grants::Refusal;
use super::state::Vb365Session;
use super::version::ApiVersion;
use super::wire::{LegacyTokenResponse, json};
use crate::dates::rfc1123;
use crate::tokens::IssuedPair;

pub(crate) use opaque::opaque_token;

/// The answer to a grant the version does not have (or none at all).
pub(super) fn unsupported_grant() -> Vb365Error {
    Vb365Error::OAuth { error: "unsupported_grant_type", description: None }
}

/// A refused token request as OWIN words it: wrong or missing credentials are an
/// `Authorization Error`, everything else about the grant (assertion, field types, the refresh
/// token, antiforgery) is `invalid_grant`.
pub(super) fn refusal(refusal: Refusal) -> Vb365Error {
    match refusal {
        Refusal::BadCredentials | Refusal::Missing(_) => {
            Vb365Error::OAuth { error: "Authorization Error", description: Some("Invalid credential") }
        }
        Refusal::BadAssertion | Refusal::Invalid(_) | Refusal::Refresh(_) | Refusal::Antiforgery => {
            Vb365Error::OAuth { error: "invalid_grant", description: None }
        }
    }
}

/// OWIN's token response for `pair` (seed 001): `expires_in` in seconds or, when the scenario
/// says so, minutes; `userName` when the scenario asks for it; OWIN's cache headers.
pub(super) fn render_pair(
    version: ApiVersion,
    pair: &IssuedPair,
    session: &Vb365Session,
    settings: &Vb365Settings,
) -> Result<HttpResponse, Vb365Error> {
    let lifetime = settings.access_token_lifetime.as_secs();
    let body = LegacyTokenResponse {
        access_token: &pair.access,
        token_type: "bearer",
        expires_in: if settings.legacy_expires_in_minutes { lifetime / 60 } else { lifetime },
        refresh_token: &pair.refresh,
        user_name: settings.legacy_user_name.then_some(session.user_name.as_str()),
        issued: rfc1123(pair.issued_at),
        expires: rfc1123(pair.access_expires_at),
    };
    let mut response = json(version, StatusCode::OK, &body)?;
    super::wire::owin_no_cache(&mut response);
    Ok(response)
}
