//! VBR wire models: field names and order exactly as the documents write them (`TokenModel`,
//! the `TokenModelExample` JWTs' claims, `ServerInfoModel`, `ServerTimeModel`,
//! `CertificateModel`, `AuthorizationCodeModel`).

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde::Serialize;

use super::error::VbrError;

/// `TokenModel`, the 200 body of `POST /api/oauth2/token`, in schema (and example) order.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = VbrTokenModel))]
pub(crate) struct TokenModel<'a> {
    /// The access token (a JWT).
    pub(crate) access_token: &'a str,
    /// `bearer`.
    pub(crate) token_type: &'static str,
    /// The refresh token (a JWT), good once.
    pub(crate) refresh_token: &'a str,
    /// The access token's lifetime in seconds.
    pub(crate) expires_in: u64,
    /// When the access token was issued (whole seconds, with the server's offset).
    #[serde(rename = ".issued")]
    pub(crate) issued: String,
    /// When the access token expires.
    #[serde(rename = ".expires")]
    pub(crate) expires: String,
    /// The Overview example's extra member, only when the scenario asks for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) username: Option<&'a str>,
}

/// The claims of one token of a pair, in the order `TokenModelExample`'s JWTs decode to.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum Claims<'a> {
    /// `{"unique_name","nbf","exp","iat","aud":"access"}`.
    Access { unique_name: &'a str, nbf: i64, exp: i64, iat: i64, aud: &'static str },
    /// `{"unique_name","token_id","short_term_expiration","nbf","exp","iat","aud":"refresh"}`.
    Refresh {
        unique_name: &'a str,
        token_id: uuid::Uuid,
        /// .NET's `bool.ToString()`: `"True"` or `"False"`.
        short_term_expiration: &'static str,
        nbf: i64,
        exp: i64,
        iat: i64,
        aud: &'static str,
    },
}

/// `ServerInfoModel` (`GET /api/v1/serverInfo`): `platform` first and `veeamRegistration` last
/// from 1.3-rev0 (as the 1.3 example orders them), neither before.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = VbrServerInfoModel))]
pub(crate) struct ServerInfo<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) platform: Option<&'a str>,
    pub(crate) vbr_id: String,
    pub(crate) name: &'a str,
    pub(crate) build_version: &'a str,
    pub(crate) patches: [&'a str; 0],
    pub(crate) database_vendor: &'a str,
    pub(crate) sql_server_edition: &'a str,
    pub(crate) sql_server_version: &'a str,
    pub(crate) database_schema_version: &'a str,
    pub(crate) database_content_version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) veeam_registration: Option<Registration>,
}

/// `VeeamRegistrationInfo` (only `isRegistered` is required).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = VbrRegistrationInfo))]
pub(crate) struct Registration {
    pub(crate) is_registered: bool,
}

/// `ServerTimeModel` (`GET /api/v1/serverTime`); `ianaTimeZoneId` from 1.3-rev2.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = VbrServerTimeModel))]
pub(crate) struct ServerTime<'a> {
    pub(crate) server_time: String,
    pub(crate) time_zone: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) iana_time_zone_id: Option<&'a str>,
}

/// `CertificateModel` (`GET /api/v1/serverCertificate`): the mock's key certificate, whose
/// thumbprint is also the JWTs' `kid`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = VbrCertificateModel))]
pub(crate) struct Certificate<'a> {
    pub(crate) thumbprint: &'a str,
    pub(crate) serial_number: &'a str,
    pub(crate) key_algorithm: &'static str,
    pub(crate) key_size: &'static str,
    pub(crate) subject: String,
    pub(crate) issued_to: &'a str,
    pub(crate) issued_by: &'a str,
    pub(crate) valid_from: String,
    pub(crate) valid_by: String,
    pub(crate) is_trusted: bool,
}

/// `AuthorizationCodeModel`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = VbrAuthorizationCodeModel))]
pub(crate) struct AuthorizationCode<'a> {
    /// Redeemed once with `grant_type=authorization_code`.
    pub(crate) code: &'a str,
}

/// `EmptySuccessResponse`: `{}`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = VbrEmptySuccessResponse))]
pub(crate) struct Empty {}

/// A value as the product's JSON (`application/json; charset=utf-8`), or its 500.
pub(crate) fn json<T: Serialize + ?Sized>(status: StatusCode, body: &T) -> Result<HttpResponse, VbrError> {
    crate::response::json(status, body).map_err(|_| VbrError::Internal)
}
