//! `POST /api/oauth2/token`: checks the version, reads the form, dispatches on `grant_type`,
//! and has the token service mint the RS512 pair every successful grant ends with, in a
//! `TokenModel` body.
//!
//! Any `Authorization` header is ignored: veeam-br sends its old bearer with its refresh call,
//! veeam-easy-connect with a second login. Every refused grant (wrong password, unknown user,
//! MFA-enabled account, bad, used, expired or revoked refresh token, unknown code) is the real
//! server's 401 `AccessDenied` "Authentication failed".

use actix_web::http::StatusCode;
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse};

use super::auth::version;
use super::config::{GrantKind, VbrSettings, VbrUser};
use super::error::VbrError;
use super::request::{GrantType, TokenRequest};
use super::state::VbrSession;
#[cfg(feature = "openapi")]
use super::tags;
use super::version::ApiVersion;
use super::wire::{Claims, TokenModel, json};
use crate::dates::iso_with_offset;
use crate::request::body::read_body;
use crate::request::media::content_type;
use crate::response::no_store;
use crate::state::World;
use crate::tokens::{JwtAlgorithm, Lifetimes, Rotation, SessionId, TokenKind, TokenService, TokenStamp};

/// The handler.
#[cfg_attr(feature = "openapi", utoipa::path(
    post,
    path = "/api/oauth2/token",
    operation_id = "vbr_token",
    tag = tags::AUTH,
    summary = "Sign in or refresh (VBR: needs a VBR `x-api-version`)",
    description = "Grants `password`, `refresh_token`, `authorization_code`, `vbr_token`, in either \
        spelling (`Password` from 1.3-rev1) under every revision. A refresh token is good once.",
    params(tags::ApiVersionHeader),
    request_body(content = super::request::TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "A token pair", body = super::wire::TokenModel),
        (status = 400, description = "An unserved version, or a request that does not bind", body = tags::ErrorBody),
        (status = 401, description = "A refused grant: `Authentication failed`", body = tags::ErrorBody),
        (status = 403, description = "A custom-role user under 1.3-rev0 or 1.3-rev1", body = tags::ErrorBody),
    )
))]
pub(crate) async fn token(
    req: HttpRequest,
    payload: Payload,
    world: Data<World>,
) -> Result<HttpResponse, VbrError> {
    let scenario = world.scenario();
    let settings = scenario.vbr();
    let version = version(&req, settings)?;
    let body = read_body(&req, payload).await.map_err(VbrError::body)?;
    let request = TokenRequest::parse(content_type(req.headers()), &body)?;
    let grant =
        Grant { world: &world, tokens: super::state::tokens(&world), settings, request: &request, version };
    match request.grant_type {
        GrantType::Password => grant.password(),
        GrantType::RefreshToken => grant.refresh(),
        GrantType::AuthorizationCode => grant.authorization_code(),
        GrantType::VbrToken => grant.scripted(GrantKind::VbrToken, "vbr_token"),
    }
}

/// One token request being served.
struct Grant<'a> {
    world: &'a World,
    tokens: TokenService<'a, VbrSession>,
    settings: &'a VbrSettings,
    request: &'a TokenRequest,
    version: ApiVersion,
}

impl Grant<'_> {
    /// `password`: the user by any of the names VBR takes, its password, no MFA.
    fn password(&self) -> Result<HttpResponse, VbrError> {
        let username = self.request.required("username")?;
        let password = self.request.required("password")?;
        let user = self
            .settings
            .find_user(username)
            .filter(|user| user.password.as_ref().is_some_and(|secret| secret.matches(password)))
            .filter(|user| !user.mfa)
            .ok_or(VbrError::AuthenticationFailed)?;
        self.sign_in(user, username.trim())
    }

    /// `refresh_token`: a new pair for the same login; the presented token is used up.
    fn refresh(&self) -> Result<HttpResponse, VbrError> {
        let token = self.request.required("refresh_token")?;
        let found =
            self.tokens.refresh(token, Rotation::Rotate).map_err(|_| VbrError::AuthenticationFailed)?;
        let mut session = (*found.payload).clone();
        if self.request.short_term == Some(true) {
            session.short_term = true;
        }
        self.issue(found.session, &session)
    }

    /// `authorization_code`: a code from the issuer (single use, short-lived), else one the
    /// scenario lists.
    fn authorization_code(&self) -> Result<HttpResponse, VbrError> {
        let code = self.request.required("code")?;
        let Some(issued) = self.world.vbr().take_code(code) else {
            return self.scripted(GrantKind::AuthorizationCode, "code");
        };
        if self.world.clock.now() >= issued.expires_at {
            return Err(VbrError::AuthenticationFailed);
        }
        let session = VbrSession { short_term: self.request.short_term.unwrap_or(false), ..issued.session };
        let id = self.tokens.open(session.clone());
        self.issue(id, &session)
    }

    /// A grant whose accepted values `[[vbr.grants]]` lists.
    fn scripted(&self, kind: GrantKind, field: &str) -> Result<HttpResponse, VbrError> {
        let value = self.request.required(field)?;
        let found = self
            .settings
            .grants
            .iter()
            .enumerate()
            .find(|(_, grant)| grant.kind == kind && grant.value.matches(value));
        let Some((index, grant)) = found else { return Err(VbrError::AuthenticationFailed) };
        if grant.single_use && !self.world.vbr().spend_grant(index) {
            return Err(VbrError::AuthenticationFailed);
        }
        let user = self.settings.find_user(&grant.user).ok_or(VbrError::AuthenticationFailed)?;
        self.sign_in(user, &user.username)
    }

    /// Opens a session for `user`, signed in as `name`, and answers with its first pair; a
    /// custom-role user is refused where the revision allows built-in roles only.
    fn sign_in(&self, user: &VbrUser, name: &str) -> Result<HttpResponse, VbrError> {
        if user.role == super::config::VbrRole::Custom && !self.version.allows_custom_roles() {
            return Err(VbrError::Forbidden);
        }
        let session = VbrSession {
            username: name.to_owned(),
            role: user.role,
            short_term: self.request.short_term.unwrap_or(false),
        };
        let id = self.tokens.open(session.clone());
        self.issue(id, &session)
    }

    /// Mints, remembers and returns a pair for `session`.
    fn issue(&self, id: SessionId, session: &VbrSession) -> Result<HttpResponse, VbrError> {
        let refresh = if session.short_term {
            self.settings.short_term_refresh_lifetime
        } else {
            self.settings.refresh_token_lifetime
        };
        let lifetimes = Lifetimes { access: self.settings.access_token_lifetime, refresh };
        let pair = self
            .tokens
            .issue_jwt_pair(id, lifetimes, JwtAlgorithm::RS512, |stamp| claims(session, stamp))
            .map_err(|_| VbrError::Internal)?;
        let offset = self.settings.time_offset;
        let body = TokenModel {
            access_token: &pair.access,
            token_type: "bearer",
            refresh_token: &pair.refresh,
            expires_in: self.settings.access_token_lifetime.as_secs(),
            issued: iso_with_offset(pair.issued_at, offset, false),
            expires: iso_with_offset(pair.access_expires_at, offset, false),
            username: self.settings.token_username.then_some(session.username.as_str()),
        };
        let mut response = json(StatusCode::OK, &body)?;
        no_store(&mut response);
        Ok(response)
    }
}

/// The claims of one token of a pair, as `TokenModelExample`'s JWTs carry them: the refresh
/// token adds the pair's id as `token_id` and whether it is short-term.
fn claims<'s>(session: &'s VbrSession, stamp: &TokenStamp) -> Claims<'s> {
    let (nbf, iat, exp) = (
        stamp.issued_at.unix_timestamp(),
        stamp.issued_at.unix_timestamp(),
        stamp.expires_at.unix_timestamp(),
    );
    match stamp.kind {
        TokenKind::Access => Claims::Access { unique_name: &session.username, nbf, exp, iat, aud: "access" },
        TokenKind::Refresh => Claims::Refresh {
            unique_name: &session.username,
            token_id: stamp.jti,
            short_term_expiration: if session.short_term { "True" } else { "False" },
            nbf,
            exp,
            iat,
            aud: "refresh",
        },
    }
}
