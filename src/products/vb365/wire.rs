//! VB365 wire models: field names and order exactly as the product writes them (seed 000).

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, EXPIRES, HeaderValue, PRAGMA};
use serde::Serialize;
use uuid::Uuid;

/// The claims of a v6+ token, in the seed's order.
#[derive(Debug, Serialize)]
pub(crate) struct TokenClaims<'a> {
    #[serde(rename = "tokenType")]
    pub(crate) token_type: &'static str,
    /// The pair's id (serialized as the hyphenated lower-case UUID text).
    pub(crate) jti: Uuid,
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// The OWIN token response of API v1-v5 (seed 001), in OWIN's order: `userName` (when the
/// scenario asks for it) comes with the extra properties, before the dates.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = OwinTokenResponse))]
pub(crate) struct LegacyTokenResponse<'a> {
    pub(crate) access_token: &'a str,
    pub(crate) token_type: &'static str,
    pub(crate) expires_in: u64,
    pub(crate) refresh_token: &'a str,
    #[serde(rename = "userName", skip_serializing_if = "Option::is_none")]
    pub(crate) user_name: Option<&'a str>,
    #[serde(rename = ".issued")]
    pub(crate) issued: String,
    #[serde(rename = ".expires")]
    pub(crate) expires: String,
}

/// `RESTRestorePortalSettings`, the anonymous `GET /vX/RestorePortalSettings`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = RESTRestorePortalSettings))]
pub(crate) struct RestorePortalSettings<'a> {
    #[serde(rename = "applicationId")]
    pub(crate) application_id: Uuid,
    #[serde(rename = "msalAuthorityUri")]
    pub(crate) msal_authority_uri: &'a str,
    /// Added in v7: `None` (left out) on v6, whose schema does not have it.
    #[serde(rename = "restorePortalUri", skip_serializing_if = "Option::is_none")]
    pub(crate) restore_portal_uri: Option<&'a str>,
    #[serde(rename = "isEnabled")]
    pub(crate) is_enabled: bool,
}

/// `RESTHealthReport`, the anonymous `GET /v8/Health`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = RESTHealthReport))]
pub(crate) struct HealthReport {
    pub(crate) status: &'static str,
    pub(crate) entries: HealthEntries,
}

/// The services the product reports on (spec §7.2: NATS and PostgreSQL).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = RESTHealthReportEntries))]
pub(crate) struct HealthEntries {
    #[serde(rename = "NATS")]
    pub(crate) nats: HealthEntry,
    #[serde(rename = "PostgreSQL")]
    pub(crate) postgresql: HealthEntry,
}

/// `RESTHealthReportEntry`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = RESTHealthReportEntry))]
pub(crate) struct HealthEntry {
    pub(crate) status: &'static str,
}

/// `RESTAuthCode`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = RESTAuthCode))]
pub(crate) struct AuthCode {
    #[serde(rename = "authCode")]
    pub(crate) auth_code: String,
}

/// `RESTRbacLoggedInUser`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = RESTRbacLoggedInUser))]
pub(crate) struct LoggedInUser<'a> {
    pub(crate) id: String,
    pub(crate) name: &'a str,
}

/// `RESTOperatorInfo`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = RESTOperatorInfo))]
pub(crate) struct OperatorInfo {
    #[serde(rename = "isOperator")]
    pub(crate) is_operator: bool,
    #[serde(rename = "_links")]
    pub(crate) links: Links,
}

/// `_links` with a `self` link (`RESTLinkHAL`).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = RESTLinks))]
pub(crate) struct Links {
    #[serde(rename = "self")]
    pub(crate) self_link: Link,
}

/// `RESTLinkHAL`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = RESTLinkHAL))]
pub(crate) struct Link {
    pub(crate) href: String,
}

impl Links {
    /// `{"self": {"href": href}}`.
    pub(crate) fn to_self(href: String) -> Links {
        Links { self_link: Link { href } }
    }
}

/// `RESTRestoreSession`, in the schema's order; absent optional members, and members the
/// called version's schema does not have, are left out.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = RESTRestoreSession))]
pub(crate) struct RestoreSessionBody<'a> {
    pub(crate) id: Uuid,
    pub(crate) name: String,
    pub(crate) organization: &'a str,
    #[serde(rename = "type")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "Vex"))]
    pub(crate) kind: super::state::ExploreType,
    #[serde(rename = "creationTime")]
    pub(crate) creation_time: String,
    #[serde(rename = "endTime", skip_serializing_if = "Option::is_none")]
    pub(crate) end_time: Option<String>,
    pub(crate) state: &'static str,
    pub(crate) result: &'static str,
    #[serde(rename = "initiatedBy")]
    pub(crate) initiated_by: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) reason: Option<&'a str>,
    /// Added in v8: `None` (left out) on earlier versions, whose schema does not have it.
    #[serde(rename = "eTag", skip_serializing_if = "Option::is_none")]
    pub(crate) etag: Option<i64>,
    #[serde(rename = "_links")]
    pub(crate) links: Links,
}

/// `RESTServiceInstance`, the body of `GET /vX/ServiceInstance`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = RESTServiceInstance))]
pub(crate) struct ServiceInstance<'a> {
    #[serde(rename = "installationId")]
    pub(crate) installation_id: Uuid,
    pub(crate) version: &'a str,
}

/// A value as the product's JSON, or a 500 in the version's shape (serializing our own structs
/// does not fail in practice).
pub(crate) fn json<T: Serialize>(
    version: super::ApiVersion,
    status: StatusCode,
    body: &T,
) -> Result<HttpResponse, super::Vb365Error> {
    crate::response::json(status, body).map_err(|_| super::Vb365Error::internal(version))
}

/// The cache headers OWIN's token endpoint writes, on tokens and on errors.
pub(crate) fn owin_no_cache(response: &mut HttpResponse) {
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(PRAGMA, HeaderValue::from_static("no-cache"));
    headers.insert(EXPIRES, HeaderValue::from_static("-1"));
}
