//! Required JSON request bodies (the explore and Action routes), refused in the version's
//! `RESTExceptionInfo` as the product's framework refuses them:
//!
//! - no `Content-Type`, or one that is not JSON (`application/json`, `text/json`,
//!   `application/*+json`, any parameters): **415**, before the body is looked at;
//! - an empty body (or only whitespace, or `null`): **400** `ParameterValidationFailure`, the
//!   body is required;
//! - a body that does not parse as JSON: **400** with the parser's reason.
//!
//! The messages are the mock's own (no public source shows the product's); the 415 wording is
//! ASP.NET Web API's, which the legacy v1-v5 server runs on.

use actix_web::HttpRequest;
use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::web::Payload;
use serde_json::Value;

use super::ApiVersion;
use super::error::{ErrorCode, Vb365Error};
use crate::request::body::read_body;
use crate::request::media::{is_json, media_type};

/// The request's JSON body: 415 for a missing or non-JSON content type, 400 for an empty or
/// malformed body.
pub(super) async fn required_json(
    version: ApiVersion,
    req: &HttpRequest,
    payload: Payload,
) -> Result<Value, Vb365Error> {
    check_content_type(version, req)?;
    let body = read_body(req, payload).await.map_err(|error| Vb365Error::body(version, error))?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(required(version));
    }
    match serde_json::from_slice(&body) {
        Ok(Value::Null) => Err(required(version)),
        Ok(value) => Ok(value),
        Err(err) => {
            Err(Vb365Error::validation(version, format!("The request body is not valid JSON: {err}.")))
        }
    }
}

fn required(version: ApiVersion) -> Vb365Error {
    Vb365Error::validation(version, "The request body is required; send a JSON object.")
}

/// 415 unless the request declares a JSON media type.
fn check_content_type(version: ApiVersion, req: &HttpRequest) -> Result<(), Vb365Error> {
    let declared = req.headers().get(CONTENT_TYPE).map(|value| value.to_str().unwrap_or("(not ASCII)"));
    let unsupported = |message: String| {
        Vb365Error::api(version, StatusCode::UNSUPPORTED_MEDIA_TYPE, message, Some(ErrorCode::HttpError))
    };
    match declared {
        None => {
            Err(unsupported("The request has no Content-Type; send the body as application/json.".into()))
        }
        Some(value) if is_json(value) => Ok(()),
        Some(value) => Err(unsupported(format!(
            "The request entity's media type '{}' is not supported for this resource.",
            media_type(value)
        ))),
    }
}
