//! `POST /vX/token`: every grant, on every version, and minting a token pair in the version's
//! format (RS256 JWTs from v6, opaque OWIN tokens before).

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::auth::antiforgery_satisfied;
use super::config::Vb365Settings;
use super::error::Vb365Error;
use super::grants::{Grant, Refusal, sign_in};
use super::legacy::opaque_token;
use super::request::{RequestError, TokenRequest};
use super::state::Vb365Session;
use super::version::ApiVersion;
use super::wire::{LegacyTokenResponse, OAuthTokenResponse, TokenClaims, json, no_store, owin_no_cache};
use crate::clock::later;
use crate::dates::{dotnet_utc, rfc1123};
use crate::http::body::read_body;
use crate::state::World;
use crate::tokens::{IssuedPair, JwtAlgorithm, Rejection, SessionId};

/// The handler.
#[utoipa::path(
    post,
    path = "/{version}/token",
    operation_id = "vb365_token",
    tag = super::openapi::AUTH_TAG,
    summary = "Sign in or refresh (v1-v8)",
    description = "Every grant of the version. v6+ answer `OAuthTokenResponse` with RS256 JWTs; \
        v1-v5 answer OWIN's shape with opaque tokens and RFC 1123 dates. On v7+ the answer sets \
        the `XSRF-TOKEN` cookie unless `disable_antiforgery_token=true`. v6+ also accept a JSON \
        object with the same names.",
    params(("version" = String, Path, description = "API version, v1-v8", example = "v8")),
    // Form only, so Swagger UI sends what every client sends; v6+ also read JSON with the same names.
    request_body(content = super::openapi::TokenForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "A token pair", body = super::wire::OAuthTokenResponse),
        (status = 400, description = "A refused grant or bad input (v1-v5: OWIN's `error`)", body = super::openapi::RestExceptionInfo),
        (status = 404, description = "The version is not served"),
    )
)]
pub(crate) async fn token(
    req: HttpRequest,
    version: ApiVersion,
    payload: Payload,
    world: Data<World>,
) -> Result<HttpResponse, Vb365Error> {
    let body = read_body(&req, payload).await.map_err(|error| Vb365Error::body(version, error))?;
    let content_type = req.headers().get(CONTENT_TYPE).and_then(|value| value.to_str().ok());
    let request = if version.is_legacy() {
        TokenRequest::parse_form_only(content_type, &body)
    } else {
        TokenRequest::parse(content_type, &body).map_err(|error| request_error(version, error))?
    };
    let scenario = world.scenario();
    let exchange =
        Exchange { world: &world, settings: scenario.vb365(), version, request: &request, http: &req };
    exchange.answer()
}

fn request_error(version: ApiVersion, error: RequestError) -> Vb365Error {
    match error {
        RequestError::UnsupportedMediaType(media_type) => Vb365Error::api(
            version,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "Unsupported content type '{media_type}'. Send application/x-www-form-urlencoded or application/json."
            ),
            Some(super::error::ErrorCode::ParameterValidationFailure),
        ),
        RequestError::MalformedJson(detail) => {
            Vb365Error::validation(version, format!("The request body is not valid JSON: {detail}."))
        }
        RequestError::InvalidField(message) => Vb365Error::validation(version, message),
    }
}

/// One token request being answered.
struct Exchange<'a> {
    world: &'a World,
    settings: &'a Vb365Settings,
    version: ApiVersion,
    request: &'a TokenRequest,
    http: &'a HttpRequest,
}

impl Exchange<'_> {
    fn answer(&self) -> Result<HttpResponse, Vb365Error> {
        let grant_type =
            self.request.text("grant_type").map_err(|error| self.refusal(Refusal::Invalid(error)))?;
        let grant = match grant_type {
            None if !self.version.is_legacy() => {
                return Err(Vb365Error::validation(self.version, "The grant_type field is required."));
            }
            None => None,
            Some(name) => Grant::parse(name, self.version),
        };
        match grant {
            Some(Grant::RefreshToken) => self.refresh(),
            Some(grant) => self.sign_in(grant),
            None if self.version.is_legacy() => {
                Err(Vb365Error::OAuth { error: "unsupported_grant_type", description: None })
            }
            None => Err(Vb365Error::validation(
                self.version,
                format!("Unsupported grant type: '{}'.", grant_type.unwrap_or_default()),
            )),
        }
    }

    /// A grant that signs a user in: password, jwt-bearer, operator or integration.
    fn sign_in(&self, grant: Grant) -> Result<HttpResponse, Vb365Error> {
        let user = sign_in(grant, self.settings, self.version, self.request).map_err(|r| self.refusal(r))?;
        // v7 introduced antiforgery; the flag opts out of it.
        let wants_antiforgery = self.version.number() >= 7
            && !self
                .request
                .flag("disable_antiforgery_token")
                .map_err(|error| self.refusal(Refusal::Invalid(error)))?;
        let session = Vb365Session {
            user_name: user.username.clone(),
            credential_key: self.world.random.uuid().to_string(),
            credential_type: grant.credential_type(),
            antiforgery: wants_antiforgery.then(|| self.antiforgery_token()),
            role: user.role,
            organization: user.organization,
        };
        let session_id = self.world.vb365().sessions.open(session.clone());
        self.issue(session_id, &session)
    }

    /// `grant_type=refresh_token`: a new pair for an unexpired, unused refresh token (which is
    /// used up), with the antiforgery token echoed if the session has one.
    fn refresh(&self) -> Result<HttpResponse, Vb365Error> {
        let token =
            self.request.text("refresh_token").map_err(|error| self.refusal(Refusal::Invalid(error)))?;
        let token = token.ok_or_else(|| match self.version.is_legacy() {
            true => Vb365Error::OAuth { error: "invalid_grant", description: None },
            false => self.refusal(Refusal::Missing("refresh_token")),
        })?;
        let now = self.world.clock.now();
        let sessions = &self.world.vb365().sessions;
        let found = sessions.peek_refresh(token, now).map_err(|rejection| self.refresh_refused(rejection))?;
        let antiforgery = &self.settings.antiforgery;
        if !antiforgery_satisfied(self.http, &found.payload, antiforgery, self.version) {
            return Err(self.refused("The antiforgery token is missing or invalid."));
        }
        let found =
            sessions.redeem_refresh(token, now).map_err(|rejection| self.refresh_refused(rejection))?;
        self.issue(found.session, &found.payload)
    }

    /// A refusal in the version's format.
    fn refusal(&self, refusal: Refusal) -> Vb365Error {
        if self.version.is_legacy() {
            return match refusal {
                Refusal::BadCredentials | Refusal::Missing(_) => Vb365Error::OAuth {
                    error: "Authorization Error",
                    description: Some("Invalid credential"),
                },
                Refusal::BadAssertion | Refusal::Invalid(_) => {
                    Vb365Error::OAuth { error: "invalid_grant", description: None }
                }
            };
        }
        match refusal {
            Refusal::Missing(field) => {
                Vb365Error::validation(self.version, format!("The {field} field is required."))
            }
            Refusal::Invalid(error) => request_error(self.version, error),
            Refusal::BadCredentials => self.refused("The user name or password is incorrect."),
            Refusal::BadAssertion => self.refused("The assertion is not valid."),
        }
    }

    /// A refused grant with the scenario's status (v6+).
    fn refused(&self, message: &str) -> Vb365Error {
        if self.version.is_legacy() {
            return Vb365Error::OAuth { error: "invalid_grant", description: None };
        }
        Vb365Error::refused(self.version, self.settings.token_error_status, message)
    }

    fn refresh_refused(&self, rejection: Rejection) -> Vb365Error {
        self.refused(match rejection {
            Rejection::Expired(_) => "The refresh token has expired.",
            Rejection::Revoked => "The refresh token has been revoked.",
            Rejection::AlreadyUsed => "The refresh token has already been used.",
            Rejection::Unknown | Rejection::WrongKind => "The refresh token is invalid.",
        })
    }

    /// A fresh antiforgery token, in the style of ASP.NET Core's (`CfDJ8` + base64url).
    fn antiforgery_token(&self) -> String {
        let mut bytes = [0; 48];
        self.world.random.fill(&mut bytes);
        format!("CfDJ8{}", URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Mints, remembers and returns a token pair for `session` in the version's format.
    fn issue(&self, session_id: SessionId, session: &Vb365Session) -> Result<HttpResponse, Vb365Error> {
        let now = self.world.clock.now();
        let lifetime = self.settings.access_token_lifetime;
        let access_expires_at = later(now, lifetime);
        let refresh_expires_at = later(now, self.settings.refresh_token_lifetime);
        let (access, refresh) = if self.version.is_legacy() {
            (opaque_token(&self.world.random), opaque_token(&self.world.random))
        } else {
            self.sign_pair(session, access_expires_at, refresh_expires_at)?
        };
        let pair = IssuedPair { access, access_expires_at, refresh, refresh_expires_at };
        self.world.vb365().sessions.add_pair(session_id, &pair, now);
        let mut response = if self.version.is_legacy() {
            let minutes = self.settings.legacy_expires_in_minutes;
            let body = LegacyTokenResponse {
                access_token: &pair.access,
                token_type: "bearer",
                expires_in: if minutes { lifetime.as_secs() / 60 } else { lifetime.as_secs() },
                refresh_token: &pair.refresh,
                user_name: self.settings.legacy_user_name.then_some(session.user_name.as_str()),
                issued: rfc1123(now),
                expires: rfc1123(access_expires_at),
            };
            let mut response = json(self.version, StatusCode::OK, &body)?;
            owin_no_cache(&mut response);
            response
        } else {
            let body = OAuthTokenResponse {
                access_token: &pair.access,
                refresh_token: &pair.refresh,
                token_type: "bearer",
                expires_in: lifetime.as_secs(),
                user_name: &session.user_name,
                issued: dotnet_utc(now),
                expires: dotnet_utc(access_expires_at),
            };
            let mut response = json(self.version, StatusCode::OK, &body)?;
            no_store(&mut response);
            response
        };
        if let Some(antiforgery) = &session.antiforgery {
            let cookie = Cookie::build(self.settings.antiforgery.cookie.as_str(), antiforgery.as_str())
                .path("/")
                .same_site(SameSite::Strict)
                .finish();
            // The cookie is built from validated names and base64url text, so adding it cannot fail.
            let _ = response.add_cookie(&cookie);
        }
        Ok(response)
    }

    /// The access and refresh JWTs of one pair: same `jti` and `credentialKey`.
    fn sign_pair(
        &self,
        session: &Vb365Session,
        access_expires_at: time::OffsetDateTime,
        refresh_expires_at: time::OffsetDateTime,
    ) -> Result<(String, String), Vb365Error> {
        let jti = self.world.random.uuid().to_string();
        let claims = |token_type, expires_at: time::OffsetDateTime| TokenClaims {
            token_type,
            jti: &jti,
            name: &session.user_name,
            credential_key: &session.credential_key,
            credential_type: session.credential_type,
            antiforgery: if session.antiforgery.is_some() { "True" } else { "False" },
            exp: expires_at.unix_timestamp(),
            iss: &self.settings.issuer,
        };
        let sign = |claims: &TokenClaims<'_>| {
            self.world.key.sign(JwtAlgorithm::RS256, claims).map_err(|_| Vb365Error::internal(self.version))
        };
        Ok((sign(&claims("Access", access_expires_at))?, sign(&claims("Refresh", refresh_expires_at))?))
    }
}
