//! VB365 errors and how the product writes them.
//!
//! Two shapes: a refused bearer gets **401 with an empty body** (seen from real v8 servers), and
//! everything else gets the version's `RESTExceptionInfo` JSON. The statuses and messages for
//! token-endpoint failures are not public ([?] in the spec); the choices are documented on each
//! constructor and in the README.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde::Serialize;

use super::version::ApiVersion;
use crate::http::body::BodyError;

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

/// A VB365 failure, rendered in the product's format.
#[derive(Debug)]
pub(crate) enum Vb365Error {
    /// 401, empty body, with a `WWW-Authenticate` challenge as ASP.NET Core's JwtBearer writes it.
    Unauthorized { challenge: String },
    /// Any other failure: a status and a `RESTExceptionInfo` body for `version`.
    Api { version: ApiVersion, status: StatusCode, message: String, code: Option<ErrorCode> },
}

impl Vb365Error {
    /// No bearer at all.
    pub(crate) fn no_bearer() -> Vb365Error {
        Vb365Error::Unauthorized { challenge: "Bearer".to_owned() }
    }

    /// A bearer that is not (or no longer) valid.
    pub(crate) fn invalid_bearer() -> Vb365Error {
        Vb365Error::Unauthorized { challenge: r#"Bearer error="invalid_token""#.to_owned() }
    }

    /// A bearer whose lifetime ended at `at` (ASP.NET Core's wording).
    pub(crate) fn expired_bearer(at: time::OffsetDateTime) -> Vb365Error {
        let when = crate::dates::dotnet_invariant(at);
        Vb365Error::Unauthorized {
            challenge: format!(
                r#"Bearer error="invalid_token", error_description="The token expired at '{when}'""#
            ),
        }
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

    /// 404 `ResourceNotFound` for a path nothing serves.
    pub(crate) fn not_found(version: ApiVersion, req: &HttpRequest) -> Vb365Error {
        let message = format!("The requested resource was not found: {} {}", req.method(), req.path());
        Vb365Error::api(version, StatusCode::NOT_FOUND, message, Some(ErrorCode::ResourceNotFound))
    }

    /// 405 for a known path with the wrong method.
    pub(crate) fn method_not_allowed(version: ApiVersion, req: &HttpRequest) -> Vb365Error {
        let message = format!("The HTTP method {} is not supported for {}.", req.method(), req.path());
        Vb365Error::api(version, StatusCode::METHOD_NOT_ALLOWED, message, Some(ErrorCode::HttpError))
    }

    /// 413 or 400 for a body that could not be read.
    pub(crate) fn body(version: ApiVersion, error: BodyError) -> Vb365Error {
        match error {
            BodyError::TooLarge => Vb365Error::api(
                version,
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("The request body is larger than {} bytes.", crate::http::body::MAX_BODY),
                Some(ErrorCode::ParameterValidationFailure),
            ),
            BodyError::Unreadable => Vb365Error::validation(version, "The request body could not be read."),
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
            Vb365Error::Unauthorized { challenge } => write!(f, "401 Unauthorized ({challenge})"),
            Vb365Error::Api { status, message, .. } => write!(f, "{status}: {message}"),
        }
    }
}

/// `RESTExceptionInfo` as v6 writes it.
#[derive(Serialize)]
struct ExceptionInfoV6<'a> {
    message: &'a str,
}

/// `RESTExceptionInfo` as v7 writes it.
#[derive(Serialize)]
struct ExceptionInfoV7<'a> {
    message: &'a str,
    #[serde(rename = "errorCode")]
    error_code: Option<ErrorCode>,
}

/// `RESTExceptionInfo` as v8 writes it; null members are written, as the schema marks them
/// nullable rather than optional.
#[derive(Serialize)]
struct ExceptionInfoV8<'a> {
    message: &'a str,
    #[serde(rename = "errorCode")]
    error_code: Option<ErrorCode>,
    #[serde(rename = "stackTrace")]
    stack_trace: Option<&'a str>,
}

impl ResponseError for Vb365Error {
    fn status_code(&self) -> StatusCode {
        match self {
            Vb365Error::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            Vb365Error::Api { status, .. } => *status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Vb365Error::Unauthorized { challenge } => {
                let mut response = HttpResponse::Unauthorized().finish();
                if let Ok(value) = HeaderValue::from_str(challenge) {
                    response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
                }
                response
            }
            Vb365Error::Api { version, status, message, code } => {
                let body = match version.number() {
                    8.. => {
                        serde_json::to_vec(&ExceptionInfoV8 { message, error_code: *code, stack_trace: None })
                    }
                    7 => serde_json::to_vec(&ExceptionInfoV7 { message, error_code: *code }),
                    _ => serde_json::to_vec(&ExceptionInfoV6 { message }),
                };
                super::wire::json_response(*status, body.unwrap_or_default())
            }
        }
    }
}
