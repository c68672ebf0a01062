//! The serde mirror of the `[vbr]` table (Veeam Backup & Replication): every key a file may hold
//! there, nothing more. Values that need checking stay `Spanned` so that [`super::validate`]
//! can report each bad one with its line.

use serde::Deserialize;
use toml::Spanned;

/// A scenario file as the VBR section reads it: only its own key.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Doc {
    pub(crate) vbr: Option<RawVbr>,
}

/// `[vbr]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVbr {
    pub(crate) preset: Option<Spanned<String>>,
    pub(crate) versions: Option<Spanned<Vec<Spanned<String>>>>,
    pub(crate) access_token_lifetime: Option<Spanned<String>>,
    pub(crate) refresh_token_lifetime: Option<Spanned<String>>,
    pub(crate) short_term_refresh_lifetime: Option<Spanned<String>>,
    pub(crate) authorization_code_lifetime: Option<Spanned<String>>,
    pub(crate) time_offset: Option<Spanned<String>>,
    pub(crate) unauthorized_body: Option<Spanned<String>>,
    pub(crate) token_error_codes: Option<Spanned<String>>,
    pub(crate) token_username: Option<bool>,
    pub(crate) server_name: Option<Spanned<String>>,
    pub(crate) build_version: Option<Spanned<String>>,
    pub(crate) vbr_id: Option<Spanned<String>>,
    pub(crate) platform: Option<Spanned<String>>,
    pub(crate) time_zone: Option<Spanned<String>>,
    pub(crate) iana_time_zone: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) users: Vec<RawVbrUser>,
    #[serde(default)]
    pub(crate) grants: Vec<RawVbrGrant>,
}

/// `[[vbr.users]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVbrUser {
    pub(crate) username: Spanned<String>,
    pub(crate) password: Option<Spanned<String>>,
    pub(crate) role: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) aliases: Vec<Spanned<String>>,
    pub(crate) mfa: Option<bool>,
}

/// `[[vbr.grants]]`: a value the `vbr_token` or `authorization_code` grant accepts, and whom it
/// signs in.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVbrGrant {
    pub(crate) grant_type: Spanned<String>,
    pub(crate) value: Spanned<String>,
    pub(crate) user: Spanned<String>,
    pub(crate) single_use: Option<bool>,
}
