//! VBR errors and how the product writes them: the documents' `Error` schema,
//! `{"errorCode","message","resourceId"}` in that order, `errorCode` always one of the
//! documented enum (`AccessDenied ExpiredToken InvalidToken InvalidURI MethodNotAllowed NotFound
//! NotImplemented ServiceUnavailable UnexpectedContent UnknownError`), `resourceId` written as
//! `null` as the one real capture shows it (VBR 12's log of a refused login).
//!
//! Messages are the 1.3-rev2 document's examples, the real server log's "Authentication failed",
//! and the field report's "Unsupported RESTAPI version" sentence; where none exists the mock
//! uses the example of the closest code (README: "Where the mock had to choose").

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use super::version::{ApiVersion, supported_list};
use crate::request::body::BodyError;
use crate::tokens::Rejection;

/// The documented 401 message for a missing or refused bearer.
pub(crate) const UNAUTHORIZED: &str = "Unauthorized. Get bearer JWT token at /api/login";
/// The real server's message for a refused login (and, in the mock, any refused grant).
pub(crate) const AUTHENTICATION_FAILED: &str = "Authentication failed";
/// The documented message of a malformed request.
pub(crate) const NOT_VALID: &str = "One or more request parameters are not valid.";

/// A VBR failure.
#[derive(Debug)]
pub(crate) enum VbrError {
    /// 400 `NotImplemented`: a missing, malformed or unserved `x-api-version`.
    Version { served: Vec<ApiVersion> },
    /// 400 `UnexpectedContent`: a token request that does not bind (no or unknown grant, a
    /// missing field, not a form).
    BadRequest,
    /// 401 `AccessDenied` "Authentication failed": a refused grant.
    AuthenticationFailed,
    /// 401 for a refused bearer; `json: false` sends an empty body, `code` is the `errorCode`.
    Unauthorized { code: &'static str, json: bool },
    /// 403 `AccessDenied` "Forbidden".
    Forbidden,
    /// 404 `NotFound`.
    NotFound,
    /// 405 `MethodNotAllowed`.
    MethodNotAllowed,
    /// 413 for a body over the cap.
    TooLarge,
    /// 500 `ServiceUnavailable`, a fault of the mock's own.
    Internal,
    /// Any other status, as a fault or the body reader gives it.
    Status { status: u16 },
}

impl VbrError {
    /// 413, 400 or 408 for a body that could not be read (see [`crate::request::body`]).
    pub(crate) fn body(error: BodyError) -> VbrError {
        match error {
            BodyError::TooLarge => VbrError::TooLarge,
            BodyError::Unreadable => VbrError::Status { status: 400 },
            BodyError::TimedOut => VbrError::Status { status: 408 },
        }
    }

    /// A refused bearer: `AccessDenied` unless the scenario asks for the detailed codes
    /// (expired → `ExpiredToken`, anything else sent → `InvalidToken`).
    pub(crate) fn bearer_refused(rejection: Rejection, json: bool, detailed: bool) -> VbrError {
        let code = match rejection {
            _ if !detailed => "AccessDenied",
            Rejection::Missing => "AccessDenied",
            Rejection::Expired(_) => "ExpiredToken",
            Rejection::Unknown | Rejection::Revoked | Rejection::WrongKind | Rejection::AlreadyUsed => {
                "InvalidToken"
            }
        };
        VbrError::Unauthorized { code, json }
    }

    /// The `errorCode` and `message` of this error.
    fn parts(&self) -> (&'static str, String) {
        match self {
            VbrError::Version { served } => (
                "NotImplemented",
                format!(
                    "Unsupported RESTAPI version. The following versions are supported: {}.",
                    supported_list(served)
                ),
            ),
            VbrError::BadRequest => ("UnexpectedContent", NOT_VALID.to_owned()),
            VbrError::AuthenticationFailed => ("AccessDenied", AUTHENTICATION_FAILED.to_owned()),
            VbrError::Unauthorized { code, .. } => (code, UNAUTHORIZED.to_owned()),
            VbrError::Forbidden => ("AccessDenied", "Forbidden".to_owned()),
            VbrError::NotFound => ("NotFound", "Resource does not exist".to_owned()),
            VbrError::MethodNotAllowed => ("MethodNotAllowed", "HTTP Method not allowed".to_owned()),
            VbrError::TooLarge => ("UnexpectedContent", "The request body is too large.".to_owned()),
            VbrError::Internal => ("ServiceUnavailable", INTERNAL.to_owned()),
            VbrError::Status { status } => status_parts(*status),
        }
    }
}

/// The documented 500 message.
const INTERNAL: &str = "The request has been received but could not be completed because of an internal error at the server side.";

/// The code and message of a status no rule of the product gives (a fault's, the body reader's).
fn status_parts(status: u16) -> (&'static str, String) {
    match status {
        401 => ("AccessDenied", UNAUTHORIZED.to_owned()),
        403 => ("AccessDenied", "Forbidden".to_owned()),
        404 => ("NotFound", "Resource does not exist".to_owned()),
        405 => ("MethodNotAllowed", "HTTP Method not allowed".to_owned()),
        500..=599 => ("ServiceUnavailable", INTERNAL.to_owned()),
        _ => ("UnknownError", "The request could not be processed.".to_owned()),
    }
}

/// The `Error` body: `errorCode`, `message`, `resourceId` (null when no object is involved).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = VbrError, description = "Error details (`Error`)."))]
pub(crate) struct ErrorBody {
    /// One of the documented codes.
    #[serde(rename = "errorCode")]
    pub(crate) error_code: &'static str,
    /// A generic description in English.
    pub(crate) message: String,
    /// The object involved, or null.
    #[serde(rename = "resourceId")]
    pub(crate) resource_id: Option<String>,
}

impl fmt::Display for VbrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (code, message) = self.parts();
        write!(f, "{} {code}: {message}", self.status_code())
    }
}

impl ResponseError for VbrError {
    fn status_code(&self) -> StatusCode {
        let status = match self {
            VbrError::Version { .. } | VbrError::BadRequest => 400,
            VbrError::AuthenticationFailed | VbrError::Unauthorized { .. } => 401,
            VbrError::Forbidden => 403,
            VbrError::NotFound => 404,
            VbrError::MethodNotAllowed => 405,
            VbrError::TooLarge => 413,
            VbrError::Internal => 500,
            VbrError::Status { status } => *status,
        };
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let mut response = if matches!(self, VbrError::Unauthorized { json: false, .. }) {
            HttpResponse::build(status).finish()
        } else {
            let (error_code, message) = self.parts();
            let body = ErrorBody { error_code, message, resource_id: None };
            crate::response::json(status, &body).unwrap_or_else(|_| HttpResponse::build(status).finish())
        };
        if status == StatusCode::UNAUTHORIZED && !matches!(self, VbrError::AuthenticationFailed) {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if status == StatusCode::REQUEST_TIMEOUT {
            response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_in_the_documented_enum() {
        const ENUM: [&str; 10] = [
            "AccessDenied",
            "ExpiredToken",
            "InvalidToken",
            "InvalidURI",
            "MethodNotAllowed",
            "NotFound",
            "NotImplemented",
            "ServiceUnavailable",
            "UnexpectedContent",
            "UnknownError",
        ];
        let errors = [
            VbrError::Version { served: vec![ApiVersion::new(1, 3, 2)] },
            VbrError::BadRequest,
            VbrError::AuthenticationFailed,
            VbrError::bearer_refused(Rejection::Expired(time::OffsetDateTime::UNIX_EPOCH), true, true),
            VbrError::bearer_refused(Rejection::Unknown, true, true),
            VbrError::Forbidden,
            VbrError::NotFound,
            VbrError::MethodNotAllowed,
            VbrError::TooLarge,
            VbrError::Internal,
            VbrError::Status { status: 408 },
            VbrError::Status { status: 503 },
        ];
        for error in errors {
            assert!(ENUM.contains(&error.parts().0), "{error}");
        }
    }
}
