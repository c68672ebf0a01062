//! The serde mirror of the `[vb365]` table: every key a file may hold there, nothing more.
//! Values that need checking stay `Spanned` so that [`super::validate`] can report each bad one
//! with its line.

use serde::Deserialize;
use toml::Spanned;

/// A scenario file as the VB365 section reads it: only its own key (the file's other keys are
/// read by their owners, and unknown ones refused by the scenario parser).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Doc {
    pub(crate) vb365: Option<RawVb365>,
}

/// `[vb365]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVb365 {
    pub(crate) versions: Option<Vec<Spanned<String>>>,
    pub(crate) issuer: Option<Spanned<String>>,
    pub(crate) access_token_lifetime: Option<Spanned<String>>,
    pub(crate) refresh_token_lifetime: Option<Spanned<String>>,
    pub(crate) installation_id: Option<Spanned<String>>,
    pub(crate) server_version: Option<Spanned<String>>,
    pub(crate) token_error_status: Option<Spanned<i64>>,
    pub(crate) legacy_expires_in: Option<Spanned<String>>,
    pub(crate) legacy_user_name: Option<bool>,
    pub(crate) restore_session_idle_timeout: Option<Spanned<String>>,
    pub(crate) antiforgery: Option<RawAntiforgery>,
    pub(crate) restore_portal: Option<RawRestorePortal>,
    #[serde(default)]
    pub(crate) organizations: Vec<RawOrganization>,
    #[serde(default)]
    pub(crate) users: Vec<RawVb365User>,
}

/// `[vb365.antiforgery]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAntiforgery {
    pub(crate) v7: Option<Spanned<String>>,
    pub(crate) v8: Option<Spanned<String>>,
    pub(crate) cookie: Option<Spanned<String>>,
    pub(crate) header: Option<Spanned<String>>,
    pub(crate) failure_status: Option<Spanned<i64>>,
}

/// `[vb365.restore_portal]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRestorePortal {
    pub(crate) enabled: Option<bool>,
    pub(crate) application_id: Option<Spanned<String>>,
    pub(crate) msal_authority_uri: Option<Spanned<String>>,
    pub(crate) restore_portal_uri: Option<Spanned<String>>,
}

/// `[[vb365.organizations]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOrganization {
    pub(crate) name: Spanned<String>,
    pub(crate) id: Option<Spanned<String>>,
}

/// `[[vb365.users]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVb365User {
    pub(crate) username: Spanned<String>,
    pub(crate) password: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) aliases: Vec<Spanned<String>>,
    pub(crate) role: Option<Spanned<String>>,
    pub(crate) organization: Option<Spanned<String>>,
    pub(crate) client_id: Option<Spanned<String>>,
    pub(crate) assertion: Option<Spanned<String>>,
    pub(crate) integration_token: Option<Spanned<String>>,
}
