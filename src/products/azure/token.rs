//! `POST /api/oauth2/token`: reads the form, dispatches on `grant_type`, and has the token
//! service mint the RS512 pair that every successful grant ends with, in a `Login` body.
//!
//! Any `Authorization` header is ignored here: veeam-az sends its old (possibly expired) access
//! token with its refresh call, and the 1.0 docs show one on the token request.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse};

use super::config::{AzureSettings, AzureUser};
use super::problem::AzureError;
use super::request::{GrantType, LoginRequest};
use super::state::AzureSession;
#[cfg(feature = "openapi")]
use super::tags;
use super::wire::{Claims, Login, json};
use crate::dates::dotnet_utc;
use crate::request::body::read_body;
use crate::request::media::content_type;
use crate::response::no_store;
use crate::state::World;
use crate::tokens::{JwtAlgorithm, Lifetimes, SessionId, TokenKind, TokenService, TokenStamp};

/// The handler.
#[cfg_attr(feature = "openapi", utoipa::path(
    post,
    path = "/api/oauth2/token",
    operation_id = "azure_token",
    tag = tags::AUTH,
    summary = "Sign in (every grant, two-step MFA) or refresh",
    description = "An MFA user's password grant answers a challenge (`mfa_token`, no tokens); \
        answer it with `grant_type=Mfa`, `mfa_token` and `mfa_code`.",
    request_body(content = super::request::LoginRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "A token pair, or an MFA challenge", body = super::wire::Login),
        (status = 400, description = "Bad input (`errors` names the field)",
            body = tags::ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Refused credentials or token",
            body = tags::ProblemDetails, content_type = "application/problem+json"),
    )
))]
pub(crate) async fn token(
    req: HttpRequest,
    payload: Payload,
    world: Data<World>,
) -> Result<HttpResponse, AzureError> {
    let body = read_body(&req, payload).await.map_err(AzureError::body)?;
    let request = LoginRequest::parse(content_type(req.headers()), &body)?;
    let scenario = world.scenario();
    let grant = Grant {
        world: &world,
        tokens: super::state::tokens(&world),
        settings: scenario.azure(),
        request: &request,
    };
    match request.grant_type {
        GrantType::Password => grant.password(),
        GrantType::Mfa => grant.mfa(),
        GrantType::RefreshToken => grant.refresh(),
        GrantType::UpdaterToken => {
            grant.scripted(super::config::ScriptedGrantType::UpdaterToken, "updater_token")
        }
        GrantType::Saml => grant.scripted(super::config::ScriptedGrantType::Saml, "saml_response"),
        GrantType::SsoToken => grant.scripted(super::config::ScriptedGrantType::SsoToken, "sso_token"),
        GrantType::AuthenticationCode => grant.authentication_code(),
        GrantType::Unknown => {
            Err(AzureError::invalid("grant_type", "The value 'Unknown' is not valid for grant_type."))
        }
    }
}

/// One token request being served.
pub(super) struct Grant<'a> {
    pub(super) world: &'a World,
    pub(super) tokens: TokenService<'a, AzureSession>,
    pub(super) settings: &'a AzureSettings,
    pub(super) request: &'a LoginRequest,
}

impl Grant<'_> {
    /// A refused grant, with the scenario's status (401 `ProblemDetailsTraceId` by default).
    pub(super) fn refused(&self, detail: &str) -> AzureError {
        AzureError::Refused { status: self.settings.token_error_status, detail: detail.to_owned() }
    }

    /// The scenario user `name`, or a refusal (the grant pointed at someone who is gone).
    pub(super) fn user(&self, name: &str) -> Result<&AzureUser, AzureError> {
        self.settings.find_user(name).ok_or_else(|| self.refused("The user does not exist."))
    }

    /// Opens a session for `user` and answers with its first pair.
    pub(super) fn sign_in(&self, user: &AzureUser, short_lived: bool) -> Result<HttpResponse, AzureError> {
        let session = AzureSession {
            user_id: user.id,
            username: user.username.clone(),
            role: user.role,
            user_type: user.user_type,
            latest_news_shown: user.latest_news_shown,
            short_lived,
        };
        let id = self.tokens.open(session.clone());
        self.issue(id, &session)
    }

    /// Mints, remembers and returns a token pair for `session` (RS512, the refresh token
    /// short-lived when the session asked for it).
    pub(super) fn issue(&self, id: SessionId, session: &AzureSession) -> Result<HttpResponse, AzureError> {
        let refresh = if session.short_lived {
            self.settings.short_refresh_token_lifetime
        } else {
            self.settings.refresh_token_lifetime
        };
        let lifetimes = Lifetimes { access: self.settings.access_token_lifetime, refresh };
        let pair = self
            .tokens
            .issue_jwt_pair(id, lifetimes, JwtAlgorithm::RS512, |stamp| self.claims(session, stamp))
            .map_err(|_| AzureError::Internal)?;
        let body = Login {
            access_token: Some(&pair.access),
            token_type: "bearer",
            refresh_token: Some(&pair.refresh),
            expires_in: self.settings.access_token_lifetime.as_secs(),
            issued: dotnet_utc(pair.issued_at),
            expires: dotnet_utc(pair.access_expires_at),
            user_id: session.user_id,
            username: &session.username,
            role_name: session.role.name(),
            user_type: session.user_type.name(),
            latest_news_shown: session.latest_news_shown,
            mfa_enabled: false,
            mfa_token: None,
            redirect_to: None,
            short_lived: session.short_lived,
        };
        token_response(&body)
    }

    /// The claims of one token of a pair: the access token's audience is the appliance's API,
    /// the refresh token's the refresh endpoint's.
    fn claims<'s>(&self, session: &'s AzureSession, stamp: &TokenStamp) -> Claims<'s> {
        let aud = match stamp.kind {
            TokenKind::Access => format!("api/default/{}", self.settings.appliance_id),
            TokenKind::Refresh => format!("auth/refresh/{}", self.settings.refresh_audience_id),
        };
        Claims {
            jti: stamp.jti,
            nameid: session.user_id.to_string(),
            unique_name: &session.username,
            role: session.role.name(),
            nbf: stamp.issued_at.unix_timestamp(),
            exp: stamp.expires_at.unix_timestamp(),
            iat: stamp.issued_at.unix_timestamp(),
            aud,
        }
    }
}

/// A 200 token response, uncacheable.
pub(super) fn token_response(body: &Login<'_>) -> Result<HttpResponse, AzureError> {
    let mut response = json(StatusCode::OK, body)?;
    no_store(&mut response);
    Ok(response)
}
