//! `POST /vX/token`: the password and refresh-token grants, and minting a token pair.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::Vb365Session;
use super::auth::antiforgery_satisfied;
use super::error::Vb365Error;
use super::request::{RequestError, TokenRequest};
use super::version::ApiVersion;
use super::wire::{OAuthTokenResponse, TokenClaims, json_response, no_store};
use crate::dates::dotnet_utc;
use crate::http::body::read_body;
use crate::scenario::Vb365Settings;
use crate::state::World;
use crate::tokens::{IssuedPair, JwtAlgorithm, Rejection, SessionId};

/// `credentialType` of a token obtained with the password grant (seed 000).
const USERNAME_PASSWORD: &str = "UsernamePassword";

/// The handler.
pub(crate) async fn token(
    req: HttpRequest,
    version: ApiVersion,
    payload: Payload,
    world: Data<World>,
) -> Result<HttpResponse, Vb365Error> {
    let body = read_body(&req, payload).await.map_err(|error| Vb365Error::body(version, error))?;
    let content_type = req.headers().get(CONTENT_TYPE).and_then(|value| value.to_str().ok());
    let request = TokenRequest::parse(content_type, &body).map_err(|error| request_error(version, error))?;
    let scenario = world.scenario();
    let grant = Grant { world: &world, settings: &scenario.vb365, version, request: &request, http: &req };
    let grant_type = request.text("grant_type").map_err(|error| request_error(version, error))?;
    match grant_type.map(str::to_ascii_lowercase).as_deref() {
        Some("password") => grant.password(),
        Some("refresh_token") => grant.refresh(),
        Some(other) => Err(Vb365Error::validation(version, format!("Unsupported grant type: '{other}'."))),
        None => Err(Vb365Error::validation(version, "The grant_type field is required.")),
    }
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
struct Grant<'a> {
    world: &'a World,
    settings: &'a Vb365Settings,
    version: ApiVersion,
    request: &'a TokenRequest,
    http: &'a HttpRequest,
}

impl Grant<'_> {
    fn field(&self, name: &str) -> Result<Option<&str>, Vb365Error> {
        self.request.text(name).map_err(|error| request_error(self.version, error))
    }

    fn required(&self, name: &str) -> Result<&str, Vb365Error> {
        self.field(name)?
            .ok_or_else(|| Vb365Error::validation(self.version, format!("The {name} field is required.")))
    }

    fn refused(&self, message: &str) -> Vb365Error {
        Vb365Error::refused(self.version, self.settings.token_error_status, message)
    }

    /// `grant_type=password`: a scenario user's name (or alias) and password.
    fn password(&self) -> Result<HttpResponse, Vb365Error> {
        let username = self.required("username")?;
        let password = self.required("password")?;
        let disable_antiforgery = self
            .request
            .flag("disable_antiforgery_token")
            .map_err(|error| request_error(self.version, error))?;
        let user = self
            .settings
            .find_user(username)
            .filter(|user| user.password.matches(password))
            .ok_or_else(|| self.refused("The user name or password is incorrect."))?;
        let antiforgery = (!disable_antiforgery).then(|| self.antiforgery_token());
        let session = Vb365Session {
            user_name: user.username.clone(),
            credential_key: self.world.random.uuid().to_string(),
            credential_type: USERNAME_PASSWORD,
            antiforgery,
        };
        let session_id = self.world.vb365_sessions.open(session.clone());
        self.issue(session_id, &session)
    }

    /// `grant_type=refresh_token`: a new pair for an unexpired, unused refresh token (which is
    /// used up), with the antiforgery token echoed if the session has one.
    fn refresh(&self) -> Result<HttpResponse, Vb365Error> {
        let token = self.required("refresh_token")?;
        let now = self.world.clock.now();
        let sessions = &self.world.vb365_sessions;
        let found = sessions.peek_refresh(token, now).map_err(|rejection| self.refresh_refused(rejection))?;
        if !antiforgery_satisfied(self.http, &found.payload, &self.settings.antiforgery) {
            return Err(self.refused("The antiforgery token is missing or invalid."));
        }
        let found =
            sessions.redeem_refresh(token, now).map_err(|rejection| self.refresh_refused(rejection))?;
        self.issue(found.session, &found.payload)
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

    /// Mints, remembers and returns a token pair for `session`.
    fn issue(&self, session_id: SessionId, session: &Vb365Session) -> Result<HttpResponse, Vb365Error> {
        let now = self.world.clock.now();
        let access_expires_at = now + self.settings.access_token_lifetime;
        let refresh_expires_at = now + self.settings.refresh_token_lifetime;
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
        let pair = IssuedPair {
            access: sign(&claims("Access", access_expires_at))?,
            access_expires_at,
            refresh: sign(&claims("Refresh", refresh_expires_at))?,
            refresh_expires_at,
        };
        self.world.vb365_sessions.add_pair(session_id, &pair, now);
        let body = OAuthTokenResponse {
            access_token: &pair.access,
            refresh_token: &pair.refresh,
            token_type: "bearer",
            expires_in: self.settings.access_token_lifetime.as_secs(),
            user_name: &session.user_name,
            issued: dotnet_utc(now),
            expires: dotnet_utc(access_expires_at),
        };
        let json = serde_json::to_vec(&body).map_err(|_| Vb365Error::internal(self.version))?;
        let mut response = json_response(StatusCode::OK, json);
        no_store(&mut response);
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
}
