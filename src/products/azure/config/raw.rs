//! The serde mirror of the `[azure]` table (Veeam Backup for Microsoft Azure): every key a file
//! may hold there, nothing more. Values that need checking stay `Spanned` so that
//! [`super::validate`] can report each bad one with its line.

use serde::Deserialize;
use toml::Spanned;

/// A scenario file as the Azure section reads it: only its own key (the file's other keys are
/// read by their owners, and unknown ones refused by the scenario parser).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Doc {
    pub(crate) azure: Option<RawAzure>,
}

/// `[azure]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAzure {
    pub(crate) versions: Option<Vec<Spanned<String>>>,
    pub(crate) access_token_lifetime: Option<Spanned<String>>,
    pub(crate) refresh_token_lifetime: Option<Spanned<String>>,
    pub(crate) short_refresh_token_lifetime: Option<Spanned<String>>,
    pub(crate) refresh_rotation: Option<bool>,
    pub(crate) token_error_status: Option<Spanned<i64>>,
    pub(crate) unauthorized_body: Option<Spanned<String>>,
    pub(crate) mfa_token_lifetime: Option<Spanned<String>>,
    pub(crate) appliance_id: Option<Spanned<String>>,
    pub(crate) refresh_audience_id: Option<Spanned<String>>,
    pub(crate) server_version: Option<Spanned<String>>,
    pub(crate) worker_version: Option<Spanned<String>>,
    pub(crate) flr_version: Option<Spanned<String>>,
    pub(crate) copyright: Option<Spanned<String>>,
    pub(crate) subscription_id: Option<Spanned<String>>,
    pub(crate) license_agreement_accepted: Option<bool>,
    pub(crate) authorization_codes: Option<RawAuthorizationCodes>,
    #[serde(default)]
    pub(crate) users: Vec<RawAzureUser>,
    #[serde(default)]
    pub(crate) grants: Vec<RawScriptedGrant>,
}

/// `[azure.authorization_codes]`: the authorization-code issuer.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAuthorizationCodes {
    pub(crate) enabled: Option<bool>,
    pub(crate) lifetime: Option<Spanned<String>>,
}

/// `[[azure.users]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAzureUser {
    pub(crate) username: Spanned<String>,
    pub(crate) password: Option<Spanned<String>>,
    pub(crate) id: Option<Spanned<String>>,
    pub(crate) role: Option<Spanned<String>>,
    #[serde(rename = "type")]
    pub(crate) user_type: Option<Spanned<String>>,
    pub(crate) latest_news_shown: Option<bool>,
    pub(crate) mfa: Option<RawMfa>,
}

/// `[azure.users.mfa]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMfa {
    #[serde(default)]
    pub(crate) codes: Vec<Spanned<String>>,
    #[serde(default)]
    pub(crate) scratch_codes: Vec<Spanned<String>>,
    pub(crate) totp_secret: Option<Spanned<String>>,
}

/// `[[azure.grants]]`: a value one of the scripted grants accepts, and whom it signs in.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScriptedGrant {
    pub(crate) grant_type: Spanned<String>,
    pub(crate) value: Spanned<String>,
    pub(crate) user: Spanned<String>,
    pub(crate) single_use: Option<bool>,
}
