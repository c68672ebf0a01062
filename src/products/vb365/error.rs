//! VB365 errors and how each API version writes them.
//!
//! - A refused bearer: **401**; v6+ send an empty body (seen from real v8 servers), v1-v5 (OWIN
//!   Web API) send `{"message":"Authorization has been denied for this request."}`.
//! - The legacy token endpoint (v1-v5): OAuth pairs, `{"error","error_description"}`, always 400.
//! - Everything else: the version's `RESTExceptionInfo` (`{"message"}` up to v6, plus `errorCode`
//!   on v7, plus `stackTrace` on v8).
//!
//! Statuses and messages that no public source shows are the mock's documented choices.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde::Serialize;

use super::version::ApiVersion;
use crate::request::body::{BodyError, MAX_BODY};
use crate::response::bearer_challenge;
use crate::tokens::Rejection;

/// The v8 `errorCode` enum (the v7 enum has only `ProxyOffline`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[allow(dead_code)] // The whole enum is the product's; not every code is used yet.
pub(crate) enum ErrorCode {
    ProxyOffline,
    OutdatedChangeToken,
    ResourceAccessDenied,
    ResourceNotFound,
    ParameterValidationFailure,
    OrganizationTransfer,
    RepositoryOwnerChangeTooManyLinks,
    Timeout,
    OperationConflict,
    HttpError,
}

/// A VB365 failure, rendered in the product's format for its API version.
#[derive(Debug)]
pub(crate) enum Vb365Error {
    /// 401 with a `WWW-Authenticate` challenge as ASP.NET's bearer handlers write it.
    Unauthorized { version: ApiVersion, challenge: String },
    /// A status and a `RESTExceptionInfo` body.
    Api { version: ApiVersion, status: StatusCode, message: String, code: Option<ErrorCode> },
    /// The legacy token endpoint's OAuth error: 400 `{"error","error_description"}`.
    OAuth { error: &'static str, description: Option<&'static str> },
}

impl Vb365Error {
    /// A refused bearer, with the challenge saying why ([`bearer_challenge`]).
    pub(crate) fn bearer_refused(version: ApiVersion, rejection: Rejection) -> Vb365Error {
        Vb365Error::Unauthorized { version, challenge: bearer_challenge(rejection) }
    }

    /// No bearer at all.
    pub(crate) fn no_bearer(version: ApiVersion) -> Vb365Error {
        Vb365Error::bearer_refused(version, Rejection::Missing)
    }

    /// A bearer that is not (or no longer) valid.
    pub(crate) fn invalid_bearer(version: ApiVersion) -> Vb365Error {
        Vb365Error::bearer_refused(version, Rejection::Unknown)
    }

    /// 400 `ParameterValidationFailure`: a malformed or incomplete request.
    pub(crate) fn validation(version: ApiVersion, message: impl Into<String>) -> Vb365Error {
        Vb365Error::api(
            version,
            StatusCode::BAD_REQUEST,
            message,
            Some(ErrorCode::ParameterValidationFailure),
        )
    }

    /// A refused grant (wrong password, bad refresh token) with the scenario's status and no
    /// error code: the credentials are wrong, not the request.
    pub(crate) fn refused(version: ApiVersion, status: u16, message: impl Into<String>) -> Vb365Error {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
        Vb365Error::api(version, status, message, None)
    }

    /// 403 `ResourceAccessDenied`: a valid token whose role may not do this.
    pub(crate) fn forbidden(version: ApiVersion) -> Vb365Error {
        let message = "The user does not have permission to perform this operation.";
        Vb365Error::api(version, StatusCode::FORBIDDEN, message, Some(ErrorCode::ResourceAccessDenied))
    }

    /// 404 `ResourceNotFound` for a path nothing serves.
    pub(crate) fn not_found(version: ApiVersion, req: &HttpRequest) -> Vb365Error {
        let message = format!(
            "The requested resource was not found: {} {}",
            req.method(),
            crate::request::path_as_sent(req)
        );
        Vb365Error::missing(version, message)
    }

    /// 404 `ResourceNotFound` for a thing that does not exist.
    pub(crate) fn missing(version: ApiVersion, message: impl Into<String>) -> Vb365Error {
        Vb365Error::api(version, StatusCode::NOT_FOUND, message, Some(ErrorCode::ResourceNotFound))
    }

    /// 405 for a known path with the wrong method.
    pub(crate) fn method_not_allowed(version: ApiVersion, req: &HttpRequest) -> Vb365Error {
        let message = format!("The HTTP method {} is not supported for {}.", req.method(), req.path());
        Vb365Error::api(version, StatusCode::METHOD_NOT_ALLOWED, message, Some(ErrorCode::HttpError))
    }

    /// 413, 400 or 408 for a body that could not be read (see [`crate::request::body`]).
    pub(crate) fn body(version: ApiVersion, error: BodyError) -> Vb365Error {
        match error {
            BodyError::TooLarge => Vb365Error::api(
                version,
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("The request body is larger than {MAX_BODY} bytes."),
                Some(ErrorCode::ParameterValidationFailure),
            ),
            BodyError::Unreadable => Vb365Error::validation(version, "The request body could not be read."),
            BodyError::TimedOut => Vb365Error::api(
                version,
                StatusCode::REQUEST_TIMEOUT,
                "The request body did not arrive in time.",
                Some(ErrorCode::Timeout),
            ),
        }
    }

    /// 500 for a fault of the mock's own (it should never happen).
    pub(crate) fn internal(version: ApiVersion) -> Vb365Error {
        Vb365Error::api(version, StatusCode::INTERNAL_SERVER_ERROR, "An internal error occurred.", None)
    }

    pub(crate) fn api(
        version: ApiVersion,
        status: StatusCode,
        message: impl Into<String>,
        code: Option<ErrorCode>,
    ) -> Vb365Error {
        Vb365Error::Api { version, status, message: message.into(), code }
    }
}

impl fmt::Display for Vb365Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Vb365Error::Unauthorized { challenge, .. } => write!(f, "401 Unauthorized ({challenge})"),
            Vb365Error::Api { status, message, .. } => write!(f, "{status}: {message}"),
            Vb365Error::OAuth { error, .. } => write!(f, "400: {error}"),
        }
    }
}

/// `RESTExceptionInfo` as v1-v6 write it.
#[derive(Serialize)]
struct ExceptionInfoV6<'a> {
    message: &'a str,
}

/// `RESTExceptionInfo` as v7 writes it. Null members are left out: the official spec's generated
/// clients (PyPI `veeam-365`) fail on `"errorCode": null`, so real servers cannot be sending it.
#[derive(Serialize)]
struct ExceptionInfoV7<'a> {
    message: &'a str,
    #[serde(rename = "errorCode", skip_serializing_if = "Option::is_none")]
    error_code: Option<ErrorCode>,
}

/// `RESTExceptionInfo` as v8 writes it, null members left out as on v7. The document's
/// `RESTExceptionInfo` (v6 and v7 write a subset of it).
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(
    as = RESTExceptionInfo,
    description = "`RESTExceptionInfo`, the error body of v6+ (v7 adds `errorCode`, v8 `stackTrace`; null\n\
        members are left out). v1-v5 answer token errors with OWIN's\n\
        `{\"error\", \"error_description\"}` and others with `{\"message\"}`."
))]
pub(super) struct ExceptionInfoV8<'a> {
    /// What went wrong.
    #[cfg_attr(feature = "openapi", schema(example = "The user name or password is incorrect."))]
    message: &'a str,
    /// v7+: e.g. `ResourceAccessDenied`, `ParameterValidationFailure`.
    #[serde(rename = "errorCode", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    error_code: Option<ErrorCode>,
    /// v8: never sent by the mock.
    #[serde(rename = "stackTrace", skip_serializing_if = "Option::is_none")]
    stack_trace: Option<&'a str>,
}

/// The OWIN OAuth error body.
#[derive(Serialize)]
struct OAuthError {
    error: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_description: Option<&'static str>,
}

impl ResponseError for Vb365Error {
    fn status_code(&self) -> StatusCode {
        match self {
            Vb365Error::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            Vb365Error::Api { status, .. } => *status,
            Vb365Error::OAuth { .. } => StatusCode::BAD_REQUEST,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Vb365Error::Unauthorized { version, challenge } => {
                let mut response = if version.is_legacy() {
                    let body = ExceptionInfoV6 { message: "Authorization has been denied for this request." };
                    render(StatusCode::UNAUTHORIZED, &body)
                } else {
                    HttpResponse::Unauthorized().finish()
                };
                if let Ok(value) = HeaderValue::from_str(challenge) {
                    response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
                }
                response
            }
            Vb365Error::Api { version, status, message, code } => {
                match version.number() {
                    8.. => {
                        render(*status, &ExceptionInfoV8 { message, error_code: *code, stack_trace: None })
                    }
                    // v7's enum has one value; any other code is written as null.
                    7 => render(
                        *status,
                        &ExceptionInfoV7 {
                            message,
                            error_code: code.filter(|c| *c == ErrorCode::ProxyOffline),
                        },
                    ),
                    _ => render(*status, &ExceptionInfoV6 { message }),
                }
            }
            Vb365Error::OAuth { error, description } => {
                let body = OAuthError { error, error_description: *description };
                let mut response = render(StatusCode::BAD_REQUEST, &body);
                super::wire::owin_no_cache(&mut response);
                response
            }
        }
    }
}

/// An error body as the product's JSON; a bare 500 in the unreachable case that our own error
/// structs do not serialize (an error answer has no error of its own to fall back on).
fn render<T: Serialize>(status: StatusCode, body: &T) -> HttpResponse {
    crate::response::json(status, body).unwrap_or_else(|_| HttpResponse::InternalServerError().finish())
}
