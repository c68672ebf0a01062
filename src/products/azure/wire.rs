//! VBAzure wire models: field names and order exactly as the product writes them (seed 002 and
//! the 8.1 OpenAPI `Login`, `SystemInfo`, `ServerInfo`), null members left out.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde::Serialize;
use uuid::Uuid;

use super::problem::AzureError;

/// The claims of an access or refresh token, in the order of the documentation's examples.
#[derive(Debug, Serialize)]
pub(crate) struct Claims<'a> {
    /// The pair's id (serialized as the hyphenated lower-case UUID text).
    pub(crate) jti: Uuid,
    /// The user's id (`userId`).
    pub(crate) nameid: String,
    pub(crate) unique_name: &'a str,
    pub(crate) role: &'static str,
    pub(crate) nbf: i64,
    pub(crate) exp: i64,
    pub(crate) iat: i64,
    /// `api/default/<appliance>` or `auth/refresh/<guid>`.
    pub(crate) aud: String,
}

/// `Login`, the 200 body of `POST /api/oauth2/token`, in schema order; `None` is left out.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub(crate) struct Login<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) access_token: Option<&'a str>,
    pub(crate) token_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) refresh_token: Option<&'a str>,
    pub(crate) expires_in: u64,
    #[serde(rename = ".issued")]
    pub(crate) issued: String,
    #[serde(rename = ".expires")]
    pub(crate) expires: String,
    #[serde(rename = "userId")]
    pub(crate) user_id: Uuid,
    pub(crate) username: &'a str,
    #[serde(rename = "roleName")]
    pub(crate) role_name: &'static str,
    #[serde(rename = "userType")]
    pub(crate) user_type: &'static str,
    #[serde(rename = "latestNewsShown")]
    pub(crate) latest_news_shown: bool,
    pub(crate) mfa_enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) mfa_token: Option<&'a str>,
    #[serde(rename = "redirectTo", skip_serializing_if = "Option::is_none")]
    pub(crate) redirect_to: Option<&'a str>,
    #[serde(rename = "shortLived")]
    pub(crate) short_lived: bool,
}

/// `DateTime.MinValue` as the MFA challenge writes `.issued` and `.expires`.
pub(crate) const MIN_DATE: &str = "0001-01-01T00:00:00Z";

/// `SystemInfo`, the body of `GET /api/v{ver}/system/about`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub(crate) struct SystemInfo<'a> {
    #[serde(rename = "serverVersion")]
    pub(crate) server_version: &'a str,
    #[serde(rename = "workerVersion")]
    pub(crate) worker_version: &'a str,
    #[serde(rename = "flrVersion")]
    pub(crate) flr_version: &'a str,
    #[serde(rename = "databaseId")]
    pub(crate) database_id: Uuid,
    pub(crate) copyright: &'a str,
    #[serde(rename = "deploymentSubscriptionId")]
    pub(crate) deployment_subscription_id: String,
}

/// `ServerInfo`, the body of `GET /api/v{ver}/system/serverInfo`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub(crate) struct ServerInfo<'a> {
    #[serde(rename = "subscriptionId")]
    pub(crate) subscription_id: Uuid,
    #[serde(rename = "serverName")]
    pub(crate) server_name: &'a str,
    #[serde(rename = "azureRegion")]
    pub(crate) azure_region: &'a str,
    #[serde(rename = "azureRegionName")]
    pub(crate) azure_region_name: &'a str,
    #[serde(rename = "azureVmId")]
    pub(crate) azure_vm_id: Uuid,
    #[serde(rename = "resourceGroup")]
    pub(crate) resource_group: &'a str,
    #[serde(rename = "azureEnvironment")]
    pub(crate) azure_environment: &'a str,
    #[serde(rename = "virtualMachineUniqueId")]
    pub(crate) virtual_machine_unique_id: Uuid,
    #[serde(rename = "DisabledSections")]
    pub(crate) disabled_sections: DisabledSections,
}

/// `ServerInfo.DisabledSections`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub(crate) struct DisabledSections {
    #[serde(rename = "ConfigurationSnapshotBased")]
    pub(crate) configuration_snapshot_based: bool,
}

/// The body of the authorization-code issuer (the orphan `AuthenticationCode` schema).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub(crate) struct AuthenticationCode<'a> {
    pub(crate) code: &'a str,
}

/// A value as the product's JSON (`application/json; charset=utf-8`), or a 500 problem
/// (serializing our own structs does not fail in practice).
pub(crate) fn json<T: Serialize + ?Sized>(status: StatusCode, body: &T) -> Result<HttpResponse, AzureError> {
    crate::response::json(status, body).map_err(|_| AzureError::Internal)
}
