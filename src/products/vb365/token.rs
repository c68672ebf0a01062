//! `POST /vX/token`: every grant, on every version, and the token pair it ends with.
//!
//! The flow (which grant, who signs in, the refresh and antiforgery rules) is the same on every
//! version; how a version speaks (its body parser, its refusals, its tokens and their body) is
//! its [`Dialect`], chosen once from the version: ASP.NET Core's from v6 (here: RS256 JWTs,
//! `RESTExceptionInfo`), OWIN's before ([`super::legacy`]: opaque tokens, OAuth errors).
//! Minting and remembering the pair is the token service's ([`TokenService`]).

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::auth::antiforgery_satisfied;
use super::config::Vb365Settings;
use super::error::{ErrorCode, Vb365Error};
use super::grants::{Grant, Refusal, sign_in};
use super::legacy;
use super::request::{RequestError, TokenRequest};
use super::state::Vb365Session;
#[cfg(feature = "openapi")]
use super::tags;
use super::version::ApiVersion;
use super::wire::{OAuthTokenResponse, TokenClaims, json};
use crate::dates::dotnet_utc;
use crate::request::body::read_body;
use crate::request::media::content_type;
use crate::response::no_store;
use crate::state::World;
use crate::tokens::{
    Authenticated, IssuedPair, JwtAlgorithm, Lifetimes, Rejection, SessionId, TokenKind, TokenService,
    TokenStamp,
};

/// The handler.
#[cfg_attr(feature = "openapi", utoipa::path(
    post,
    path = "/{version}/token",
    operation_id = "vb365_token",
    tag = tags::AUTH,
    summary = "Sign in or refresh (v1-v8)",
    description = "Every grant of the version. v6+ answer `OAuthTokenResponse` with RS256 JWTs; \
        v1-v5 answer OWIN's shape with opaque tokens and RFC 1123 dates. On v7+ the answer sets \
        the `XSRF-TOKEN` cookie unless `disable_antiforgery_token=true`. v6+ also accept a JSON \
        object with the same names.",
    params(tags::AnyVersion),
    // Form only, so Swagger UI sends what every client sends; v6+ also read JSON with the same names.
    request_body(content = super::request::TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "A token pair", body = super::wire::OAuthTokenResponse),
        (status = 400, body = tags::ExceptionInfo,
            description = "A refused grant or bad input (v1-v5: OWIN's `error`)"),
        (status = 404, description = "The version is not served"),
    )
))]
pub(crate) async fn token(
    req: HttpRequest,
    version: ApiVersion,
    payload: Payload,
    world: Data<World>,
) -> Result<HttpResponse, Vb365Error> {
    let body = read_body(&req, payload).await.map_err(|error| Vb365Error::body(version, error))?;
    let dialect = Dialect::of(version);
    let request = dialect.parse(content_type(req.headers()), &body)?;
    let scenario = world.scenario();
    let exchange = Exchange {
        world: &world,
        tokens: super::state::tokens(&world),
        settings: scenario.vb365(),
        version,
        dialect,
        request: &request,
        http: &req,
    };
    exchange.answer()
}

/// One token request being answered.
struct Exchange<'a> {
    world: &'a World,
    tokens: TokenService<'a, Vb365Session>,
    settings: &'a Vb365Settings,
    version: ApiVersion,
    dialect: Dialect,
    request: &'a TokenRequest,
    http: &'a HttpRequest,
}

impl Exchange<'_> {
    fn answer(&self) -> Result<HttpResponse, Vb365Error> {
        let grant_type =
            self.request.text("grant_type").map_err(|error| self.refusal(Refusal::Invalid(error)))?;
        match grant_type.and_then(|name| Grant::parse(name, self.version)) {
            Some(Grant::RefreshToken) => self.refresh(),
            Some(grant) => self.sign_in(grant),
            None => Err(self.dialect.unsupported_grant(grant_type)),
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
        let session_id = self.tokens.open(session.clone());
        self.issue(session_id, &session)
    }

    /// `grant_type=refresh_token`: a new pair for an unexpired, unused refresh token (which is
    /// used up), with the antiforgery token echoed if the session has one.
    fn refresh(&self) -> Result<HttpResponse, Vb365Error> {
        let refused = |rejection| self.refusal(Refusal::Refresh(rejection));
        let token =
            self.request.text("refresh_token").map_err(|error| self.refusal(Refusal::Invalid(error)))?;
        let token = token.ok_or_else(|| refused(Rejection::Missing))?;
        // Checked first and used up only once the antiforgery rule passed, so a refresh refused
        // for antiforgery leaves the token good.
        let accept = |found: &Authenticated<Vb365Session>| {
            antiforgery_satisfied(self.http, &found.payload, &self.settings.antiforgery, self.version)
        };
        let found = self.tokens.redeem_refresh_if(token, accept).map_err(refused)?;
        let found = found.ok_or_else(|| self.refusal(Refusal::Antiforgery))?;
        self.issue(found.session, &found.payload)
    }

    /// A refusal in the version's words (refused grants with the scenario's status).
    fn refusal(&self, refusal: Refusal) -> Vb365Error {
        self.dialect.refusal(refusal, self.settings.token_error_status)
    }

    /// A fresh antiforgery token, in the style of ASP.NET Core's (`CfDJ8` + base64url).
    fn antiforgery_token(&self) -> String {
        let mut bytes = [0; 48];
        self.world.random.fill(&mut bytes);
        format!("CfDJ8{}", URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Mints, remembers and returns a token pair for `session` in the version's format, with the
    /// antiforgery cookie when the session has a token.
    fn issue(&self, session_id: SessionId, session: &Vb365Session) -> Result<HttpResponse, Vb365Error> {
        let pair = self.dialect.issue(&self.tokens, session_id, session, self.settings)?;
        let mut response = self.dialect.render_pair(&pair, session, self.settings)?;
        if let Some(antiforgery) = &session.antiforgery {
            // Written by hand, as actix-web's `cookies` feature (the `cookie` crate) would write it;
            // the name is validated and the value base64url text, so the header value is valid.
            let cookie =
                format!("{}={antiforgery}; SameSite=Strict; Path=/", self.settings.antiforgery.cookie);
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
        }
        Ok(response)
    }
}

/// How a version's token endpoint speaks, chosen once from the version.
#[derive(Debug, Clone, Copy)]
enum Dialect {
    /// v1-v5, OWIN ([`super::legacy`]).
    Legacy(ApiVersion),
    /// v6+, ASP.NET Core: form or JSON bodies, `RESTExceptionInfo`, RS256 JWTs.
    Modern(ApiVersion),
}

impl Dialect {
    fn of(version: ApiVersion) -> Dialect {
        if version.is_legacy() { Dialect::Legacy(version) } else { Dialect::Modern(version) }
    }

    /// The request's fields: OWIN reads forms only, ASP.NET Core forms and JSON.
    fn parse(self, content_type: Option<&str>, body: &[u8]) -> Result<TokenRequest, Vb365Error> {
        match self {
            Dialect::Legacy(_) => Ok(TokenRequest::parse_form_only(content_type, body)),
            Dialect::Modern(version) => {
                TokenRequest::parse(content_type, body).map_err(|error| request_error(version, error))
            }
        }
    }

    /// The answer to a `grant_type` the version does not have (`None`: none was sent).
    fn unsupported_grant(self, grant_type: Option<&str>) -> Vb365Error {
        match (self, grant_type) {
            (Dialect::Legacy(_), _) => legacy::unsupported_grant(),
            (Dialect::Modern(version), None) => {
                Vb365Error::validation(version, "The grant_type field is required.")
            }
            (Dialect::Modern(version), Some(name)) => {
                Vb365Error::validation(version, format!("Unsupported grant type: '{name}'."))
            }
        }
    }

    /// A refused request; `status` is the scenario's for a refused grant (v6+).
    fn refusal(self, refusal: Refusal, status: u16) -> Vb365Error {
        let version = match self {
            Dialect::Legacy(_) => return legacy::refusal(refusal),
            Dialect::Modern(version) => version,
        };
        let refused = |message: &str| Vb365Error::refused(version, status, message);
        match refusal {
            Refusal::Missing(field) => {
                Vb365Error::validation(version, format!("The {field} field is required."))
            }
            Refusal::Refresh(Rejection::Missing) => {
                Vb365Error::validation(version, "The refresh_token field is required.")
            }
            Refusal::Invalid(error) => request_error(version, error),
            Refusal::BadCredentials => refused("The user name or password is incorrect."),
            Refusal::BadAssertion => refused("The assertion is not valid."),
            Refusal::Refresh(rejection) => refused(rejection.refresh_reason()),
            Refusal::Antiforgery => refused("The antiforgery token is missing or invalid."),
        }
    }

    /// Mints and remembers a pair for `session`: opaque tokens, or RS256 JWTs sharing a `jti`.
    fn issue(
        self,
        tokens: &TokenService<'_, Vb365Session>,
        id: SessionId,
        session: &Vb365Session,
        settings: &Vb365Settings,
    ) -> Result<IssuedPair, Vb365Error> {
        let lifetimes =
            Lifetimes { access: settings.access_token_lifetime, refresh: settings.refresh_token_lifetime };
        match self {
            Dialect::Legacy(_) => Ok(tokens.issue_opaque_pair(id, lifetimes, legacy::opaque_token)),
            Dialect::Modern(version) => tokens
                .issue_jwt_pair(id, lifetimes, JwtAlgorithm::RS256, |stamp| claims(session, settings, stamp))
                .map_err(|_| Vb365Error::internal(version)),
        }
    }

    /// The 200 answer carrying `pair`.
    fn render_pair(
        self,
        pair: &IssuedPair,
        session: &Vb365Session,
        settings: &Vb365Settings,
    ) -> Result<HttpResponse, Vb365Error> {
        let version = match self {
            Dialect::Legacy(version) => return legacy::render_pair(version, pair, session, settings),
            Dialect::Modern(version) => version,
        };
        let body = OAuthTokenResponse {
            access_token: &pair.access,
            refresh_token: &pair.refresh,
            token_type: "bearer",
            expires_in: settings.access_token_lifetime.as_secs(),
            user_name: &session.user_name,
            issued: dotnet_utc(pair.issued_at),
            expires: dotnet_utc(pair.access_expires_at),
        };
        let mut response = json(version, StatusCode::OK, &body)?;
        no_store(&mut response);
        Ok(response)
    }
}

/// The claims of a v6+ token (seed 000): both tokens of a pair share the `jti` and the
/// session's `credentialKey`.
fn claims<'a>(session: &'a Vb365Session, settings: &'a Vb365Settings, stamp: &TokenStamp) -> TokenClaims<'a> {
    TokenClaims {
        token_type: match stamp.kind {
            TokenKind::Access => "Access",
            TokenKind::Refresh => "Refresh",
        },
        jti: stamp.jti,
        name: &session.user_name,
        credential_key: &session.credential_key,
        credential_type: session.credential_type,
        antiforgery: if session.antiforgery.is_some() { "True" } else { "False" },
        exp: stamp.expires_at.unix_timestamp(),
        iss: &settings.issuer,
    }
}

/// A body the v6+ parser refused: 415 for a media type it does not read, 400 otherwise.
fn request_error(version: ApiVersion, error: RequestError) -> Vb365Error {
    match error {
        RequestError::UnsupportedMediaType(media_type) => Vb365Error::api(
            version,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "Unsupported content type '{media_type}'. Send application/x-www-form-urlencoded or application/json."
            ),
            Some(ErrorCode::ParameterValidationFailure),
        ),
        RequestError::MalformedJson(detail) => {
            Vb365Error::validation(version, format!("The request body is not valid JSON: {detail}."))
        }
        RequestError::InvalidField(message) => Vb365Error::validation(version, message),
    }
}
