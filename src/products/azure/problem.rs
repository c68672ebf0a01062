//! VBAzure errors and how the product writes them: `application/problem+json` in the per-status
//! schemas of the 8.1 OpenAPI document (`ProblemDetails400`, `ProblemDetailsTraceId`,
//! `ProblemDetails401`, `403`, `404`, `415`, `429`).
//!
//! Members come in the order ASP.NET Core 8 writes them (`type, title, status, detail, instance,
//! errors`, then extensions such as `traceId`), with null members left out, and `type`/`title`
//! are the framework defaults for the status. `traceId` is W3C (`00-<32 hex>-<16 hex>-00`), as
//! `Activity.Current.Id` is in .NET 8; trace ids are random even with a scenario seed, so that
//! error bodies never consume the seeded sequence that token ids come from.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use ring::rand::{SecureRandom, SystemRandom};
use serde::Serialize;
use serde::ser::SerializeMap;

use crate::request::body::BodyError;
use crate::response::bearer_challenge;
use crate::tokens::Rejection;

/// The path of the token endpoint, the `instance` of its 401s.
pub(crate) const TOKEN_PATH: &str = "/api/oauth2/token";

/// A VBAzure failure.
#[derive(Debug)]
pub(crate) enum AzureError {
    /// 400 `ProblemDetails400`: validation errors keyed by field (`errors`).
    Validation { errors: Vec<(String, String)> },
    /// A refused grant on the token endpoint: 401 `ProblemDetailsTraceId` (or 400
    /// `ProblemDetails400` when the scenario says so).
    Refused { status: u16, detail: String },
    /// 401 `ProblemDetails401` for a refused bearer; `json: false` sends an empty body.
    Unauthorized { challenge: String, json: bool },
    /// 403 `ProblemDetails403`; `license` marks the EULA gate.
    Forbidden { license: bool },
    /// 404 `ProblemDetails404`.
    NotFound { instance: String },
    /// 405 for a known path with the wrong method.
    MethodNotAllowed { allow: &'static str },
    /// 413 for a body over the cap.
    TooLarge,
    /// 415 `ProblemDetails415`.
    UnsupportedMediaType,
    /// 429 `ProblemDetails429`.
    #[allow(dead_code)] // The schema is the product's; the mock has no rate limit yet.
    TooManyRequests { detail: String },
    /// 500, a fault of the mock's own.
    Internal,
    /// Any other status, as a fault injects it: the framework's `type`/`title` for it.
    Status { status: u16 },
}

impl AzureError {
    /// 413, 400 or 408 for a body that could not be read (see [`crate::request::body`]).
    pub(crate) fn body(error: BodyError) -> AzureError {
        match error {
            BodyError::TooLarge => AzureError::TooLarge,
            BodyError::Unreadable => AzureError::invalid("", "The request body could not be read."),
            BodyError::TimedOut => AzureError::Status { status: 408 },
        }
    }

    /// One validation error on `field`.
    pub(crate) fn invalid(field: &str, message: impl Into<String>) -> AzureError {
        AzureError::Validation { errors: vec![(field.to_owned(), message.into())] }
    }

    /// A refused bearer, with the challenge saying why ([`bearer_challenge`]); `json: false`
    /// for an empty body.
    pub(crate) fn bearer_refused(rejection: Rejection, json: bool) -> AzureError {
        AzureError::Unauthorized { challenge: bearer_challenge(rejection), json }
    }
}

impl fmt::Display for AzureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.status_code())
    }
}

/// Every member a VBAzure problem body can have, in ASP.NET Core's order; `None` is left out.
/// The document's `ProblemDetails`, whose description names the two members only some answers
/// carry (`errors`, `licenseAgreementAcceptanceRequired`).
#[derive(Debug, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(
    as = ProblemDetails,
    description = "RFC 9457 problem details, as ASP.NET Core writes them (`application/problem+json`); \
        400s add\n\
        `errors` (field → messages), the EULA gate `licenseAgreementAcceptanceRequired`."
))]
pub(super) struct Problem<'a> {
    /// The status's RFC 9110 section.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    /// The status's reason phrase.
    title: &'static str,
    /// The HTTP status.
    status: u16,
    /// What went wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<&'a str>,
    /// The request path.
    #[serde(skip_serializing_if = "Option::is_none")]
    instance: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    errors: Option<Errors<'a>>,
    /// A W3C trace id.
    #[serde(rename = "traceId")]
    trace_id: String,
    #[serde(rename = "licenseAgreementAcceptanceRequired", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    license_agreement_acceptance_required: Option<bool>,
}

/// `errors`: field → messages, in the order found (serde_json maps would sort them).
#[derive(Debug)]
struct Errors<'a>(&'a [(String, String)]);

impl Serialize for Errors<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (field, message) in self.0 {
            map.serialize_entry(field, &[message])?;
        }
        map.end()
    }
}

/// ASP.NET Core 8's default `type` and `title` for a status.
fn defaults(status: u16) -> (&'static str, &'static str) {
    match status {
        400 => ("https://tools.ietf.org/html/rfc9110#section-15.5.1", "Bad Request"),
        401 => ("https://tools.ietf.org/html/rfc9110#section-15.5.2", "Unauthorized"),
        403 => ("https://tools.ietf.org/html/rfc9110#section-15.5.4", "Forbidden"),
        404 => ("https://tools.ietf.org/html/rfc9110#section-15.5.5", "Not Found"),
        405 => ("https://tools.ietf.org/html/rfc9110#section-15.5.6", "Method Not Allowed"),
        413 => ("https://tools.ietf.org/html/rfc9110#section-15.5.14", "Content Too Large"),
        415 => ("https://tools.ietf.org/html/rfc9110#section-15.5.16", "Unsupported Media Type"),
        429 => ("https://tools.ietf.org/html/rfc6585#section-4", "Too Many Requests"),
        _ => (
            "https://tools.ietf.org/html/rfc9110#section-15.6.1",
            "An error occurred while processing your request.",
        ),
    }
}

/// A fresh W3C trace context id: `00-<32 hex>-<16 hex>-00`.
pub(crate) fn trace_id() -> String {
    let mut bytes = [0u8; 24];
    // The OS RNG does not fail on supported platforms; a zero id is still well-formed if it did.
    let _ = SystemRandom::new().fill(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("00-{}-{}-00", &hex[..32], &hex[32..])
}

impl ResponseError for AzureError {
    fn status_code(&self) -> StatusCode {
        let status = match self {
            AzureError::Validation { .. } => 400,
            AzureError::Refused { status, .. } => *status,
            AzureError::Unauthorized { .. } => 401,
            AzureError::Forbidden { .. } => 403,
            AzureError::NotFound { .. } => 404,
            AzureError::MethodNotAllowed { .. } => 405,
            AzureError::TooLarge => 413,
            AzureError::UnsupportedMediaType => 415,
            AzureError::TooManyRequests { .. } => 429,
            AzureError::Internal => 500,
            AzureError::Status { status } => *status,
        };
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let (kind, title) = defaults(status.as_u16());
        let mut problem = Problem {
            kind: Some(kind),
            title,
            status: status.as_u16(),
            trace_id: trace_id(),
            ..Problem::default()
        };
        let mut response = HttpResponse::build(status);
        match self {
            AzureError::Validation { errors } => {
                problem.title = "One or more validation errors occurred.";
                problem.errors = Some(Errors(errors));
            }
            AzureError::Refused { status, detail } => {
                problem.detail = Some(detail);
                // ProblemDetailsTraceId has `instance`; ProblemDetails400 does not.
                if *status == 401 {
                    problem.instance = Some(TOKEN_PATH);
                }
            }
            AzureError::Unauthorized { challenge, json } => {
                if let Ok(value) = HeaderValue::from_str(challenge) {
                    response.insert_header((header::WWW_AUTHENTICATE, value));
                }
                if !json {
                    return response.finish();
                }
            }
            AzureError::Forbidden { license } => {
                problem.license_agreement_acceptance_required = license.then_some(true);
            }
            AzureError::NotFound { instance } => {
                problem.detail = Some("The requested resource was not found.");
                problem.instance = Some(instance);
            }
            AzureError::MethodNotAllowed { allow } => {
                response.insert_header((header::ALLOW, *allow));
            }
            AzureError::TooLarge => {
                problem.detail = Some("The request body is larger than 65536 bytes.");
            }
            // ProblemDetails429 has no `type`.
            AzureError::TooManyRequests { detail } => {
                problem.kind = None;
                problem.detail = Some(detail);
            }
            AzureError::UnsupportedMediaType | AzureError::Internal | AzureError::Status { .. } => {}
        }
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        response.insert_header((header::CONTENT_TYPE, "application/problem+json; charset=utf-8")).body(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(error: AzureError) -> String {
        let response = error.error_response();
        let bytes = actix_web::rt::System::new().block_on(actix_web::body::to_bytes(response.into_body()));
        String::from_utf8(bytes.expect("a body").to_vec()).expect("UTF-8")
    }

    fn without_trace(text: &str) -> String {
        let start = text.find(r#""traceId":"#).expect("a traceId") + 11;
        let id = &text[start..start + 55];
        assert!(is_w3c(id), "{id}");
        text.replacen(id, "T", 1)
    }

    fn is_w3c(id: &str) -> bool {
        let parts: Vec<&str> = id.split('-').collect();
        parts.len() == 4
            && parts[0] == "00"
            && parts[3] == "00"
            && parts[1].len() == 32
            && parts[2].len() == 16
            && id.bytes().all(|b| b == b'-' || b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    }

    #[test]
    fn validation_errors_keep_their_order_and_use_the_framework_title() {
        let error = AzureError::Validation {
            errors: vec![("grant_type".into(), "bad".into()), ("a".into(), "worse".into())],
        };
        assert_eq!(
            without_trace(&body(error)),
            r#"{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,"errors":{"grant_type":["bad"],"a":["worse"]},"traceId":"T"}"#
        );
    }

    #[test]
    fn a_429_has_no_type_and_a_detail() {
        let error = AzureError::TooManyRequests { detail: "Slow down.".into() };
        assert_eq!(
            without_trace(&body(error)),
            r#"{"title":"Too Many Requests","status":429,"detail":"Slow down.","traceId":"T"}"#
        );
    }
}
