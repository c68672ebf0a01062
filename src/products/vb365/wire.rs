//! VB365 wire models: field names and order exactly as the product writes them (seed 000).

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue, PRAGMA};
use serde::Serialize;
use uuid::Uuid;

/// The claims of a v6+ token, in the seed's order.
#[derive(Debug, Serialize)]
pub(crate) struct TokenClaims<'a> {
    #[serde(rename = "tokenType")]
    pub(crate) token_type: &'static str,
    pub(crate) jti: &'a str,
    #[serde(rename = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name")]
    pub(crate) name: &'a str,
    #[serde(rename = "credentialKey")]
    pub(crate) credential_key: &'a str,
    #[serde(rename = "credentialType")]
    pub(crate) credential_type: &'a str,
    /// `"True"` or `"False"`: strings, as .NET writes a boolean claim.
    pub(crate) antiforgery: &'static str,
    pub(crate) exp: i64,
    pub(crate) iss: &'a str,
}

/// `OAuthTokenResponse`, the 200 body of `POST /vX/token`, in the seed's order.
#[derive(Debug, Serialize)]
pub(crate) struct OAuthTokenResponse<'a> {
    pub(crate) access_token: &'a str,
    pub(crate) refresh_token: &'a str,
    pub(crate) token_type: &'static str,
    pub(crate) expires_in: u64,
    #[serde(rename = "userName")]
    pub(crate) user_name: &'a str,
    #[serde(rename = ".issued")]
    pub(crate) issued: String,
    #[serde(rename = ".expires")]
    pub(crate) expires: String,
}

/// `RESTServiceInstance`, the body of `GET /vX/ServiceInstance`.
#[derive(Debug, Serialize)]
pub(crate) struct ServiceInstance<'a> {
    #[serde(rename = "installationId")]
    pub(crate) installation_id: Uuid,
    pub(crate) version: &'a str,
}

/// A JSON response as the product sends it (`application/json; charset=utf-8`).
pub(crate) fn json_response(status: StatusCode, body: Vec<u8>) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8")))
        .body(body)
}

/// Marks a token response uncacheable, as RFC 6749 §5.1 asks of every token endpoint.
pub(crate) fn no_store(response: &mut HttpResponse) {
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(PRAGMA, HeaderValue::from_static("no-cache"));
}
