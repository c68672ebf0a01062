//! The `[azure]` section of a scenario: what the Veeam Backup for Microsoft Azure product reads.
//!
//! [`raw`] mirrors the table as written, [`validate`] checks it with the scenario's shared
//! `Checker` (none of the validated values below can be invalid), and the product reads them
//! through [`Scenario::azure`]. [`SECTION`] plugs the section into the scenario parser.

mod base32;
mod raw;
mod validate;

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use serde::Deserialize;
use uuid::Uuid;

use crate::scenario::{Checker, Scenario, Secret, Section, SectionDoc, SectionParser, UncheckedSection};

/// The `[azure]` section's parser, for the product registry's list.
pub(crate) static SECTION: AzureSection = AzureSection;

/// Reads and validates `[azure]`.
#[derive(Debug)]
pub(crate) struct AzureSection;

impl SectionParser for AzureSection {
    fn key(&self) -> &'static str {
        "azure"
    }

    fn read(&self, doc: SectionDoc<'_>) -> Result<UncheckedSection, toml::de::Error> {
        let raw::Doc { azure } = raw::Doc::deserialize(doc)?;
        let raw = azure.unwrap_or_default();
        Ok(Box::new(move |check: &mut Checker| -> Section { Arc::new(check.azure(raw)) }))
    }

    fn default_section(&self) -> Section {
        DEFAULT.clone()
    }
}

/// The settings of every file without `[azure]`.
static DEFAULT: LazyLock<Arc<AzureSettings>> =
    LazyLock::new(|| Arc::new(Checker::detached().azure(raw::RawAzure::default())));

impl Scenario {
    /// The `[azure]` settings (a scenario built without the section reads the defaults).
    pub(crate) fn azure(&self) -> &AzureSettings {
        self.section::<AzureSettings>().unwrap_or(&DEFAULT)
    }
}

/// `[azure]`: Veeam Backup for Microsoft Azure (`/api/oauth2/token`, `/api/v{ver}/...`).
#[derive(Debug, Clone)]
pub(crate) struct AzureSettings {
    /// The REST API versions served, as lower-case path segments (`v8.1`, `v8`, ...).
    pub(crate) versions: Vec<String>,
    pub(crate) access_token_lifetime: Duration,
    pub(crate) refresh_token_lifetime: Duration,
    /// The refresh lifetime when the login asked for `short_lived_refresh_token=true`.
    pub(crate) short_refresh_token_lifetime: Duration,
    /// Whether a redeemed refresh token is refused afterwards.
    pub(crate) refresh_rotation: bool,
    /// Status of token-endpoint refusals (wrong password, bad MFA code, bad refresh token).
    pub(crate) token_error_status: u16,
    /// Whether a refused bearer gets a problem+json body (`true`) or an empty one.
    pub(crate) unauthorized_json: bool,
    /// How long an MFA challenge (`mfa_token`) can be answered.
    pub(crate) mfa_token_lifetime: Duration,
    /// Per-appliance GUID: the access-token `aud` (`api/default/<id>`) and `databaseId`.
    pub(crate) appliance_id: Uuid,
    /// Per-appliance GUID of the refresh-token `aud` (`auth/refresh/<id>`).
    pub(crate) refresh_audience_id: Uuid,
    pub(crate) server_version: String,
    pub(crate) worker_version: String,
    pub(crate) flr_version: String,
    pub(crate) copyright: String,
    pub(crate) subscription_id: Uuid,
    /// `false` starts the appliance with the EULA gate closed (403 until accepted).
    pub(crate) license_agreement_accepted: bool,
    /// The authorization-code issuer (`POST /api/oauth2/authorization_code`), when enabled.
    pub(crate) authorization_codes: Option<Duration>,
    pub(crate) users: Vec<AzureUser>,
    pub(crate) grants: Vec<ScriptedGrant>,
}

impl AzureSettings {
    /// The user named `name` (case-insensitive, as the product's logins are).
    pub(crate) fn find_user(&self, name: &str) -> Option<&AzureUser> {
        self.users.iter().find(|user| user.username.eq_ignore_ascii_case(name))
    }

    /// Whether the version path segment `segment` (lower case) is served.
    pub(crate) fn serves(&self, segment: &str) -> bool {
        self.versions.iter().any(|served| served == segment)
    }
}

/// `RbacRole`: what a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AzureRole {
    PortalAdmin,
    PortalOperator,
    RestoreOperator,
    VeeamUpdater,
    IntegrationOperator,
    ReadOnlyUser,
}

impl AzureRole {
    /// Every role, for parsing and messages.
    pub(crate) const ALL: [AzureRole; 6] = [
        AzureRole::PortalAdmin,
        AzureRole::PortalOperator,
        AzureRole::RestoreOperator,
        AzureRole::VeeamUpdater,
        AzureRole::IntegrationOperator,
        AzureRole::ReadOnlyUser,
    ];

    /// The `RbacRole` name (`roleName` and the `role` claim).
    pub(crate) fn name(self) -> &'static str {
        match self {
            AzureRole::PortalAdmin => "PortalAdmin",
            AzureRole::PortalOperator => "PortalOperator",
            AzureRole::RestoreOperator => "RestoreOperator",
            AzureRole::VeeamUpdater => "VeeamUpdater",
            AzureRole::IntegrationOperator => "IntegrationOperator",
            AzureRole::ReadOnlyUser => "ReadOnlyUser",
        }
    }
}

/// `UserType`: where the account lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AzureUserType {
    Internal,
    IdentityProvider,
}

impl AzureUserType {
    /// The `UserType` name (`userType`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            AzureUserType::Internal => "Internal",
            AzureUserType::IdentityProvider => "IdentityProvider",
        }
    }
}

/// `[[azure.users]]`
#[derive(Debug, Clone)]
pub(crate) struct AzureUser {
    pub(crate) username: String,
    /// `None`: the user cannot sign in with a password (an SSO user).
    pub(crate) password: Option<Secret>,
    pub(crate) id: Uuid,
    pub(crate) role: AzureRole,
    pub(crate) user_type: AzureUserType,
    pub(crate) latest_news_shown: bool,
    /// `Some`: the password grant answers with an MFA challenge.
    pub(crate) mfa: Option<MfaSettings>,
}

/// `[azure.users.mfa]`: the codes that answer this user's challenges.
#[derive(Debug, Clone)]
pub(crate) struct MfaSettings {
    /// Fixed codes, good every time (test convenience).
    pub(crate) codes: Vec<Secret>,
    /// 8-digit recovery codes, each good once.
    pub(crate) scratch_codes: Vec<Secret>,
    /// The decoded TOTP key (RFC 6238, SHA-1, 6 digits, 30 s).
    pub(crate) totp_key: Option<SecretBytes>,
}

/// Key bytes whose `Debug` never shows them.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct SecretBytes(pub(crate) Vec<u8>);

impl std::fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"[redacted]\"")
    }
}

/// The grants whose accepted values the scenario scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScriptedGrantType {
    UpdaterToken,
    Saml,
    SsoToken,
    AuthenticationCode,
}

impl ScriptedGrantType {
    /// Every scripted grant, with its `GrantType` name.
    pub(crate) const ALL: [(ScriptedGrantType, &'static str); 4] = [
        (ScriptedGrantType::UpdaterToken, "Updater_token"),
        (ScriptedGrantType::Saml, "Saml"),
        (ScriptedGrantType::SsoToken, "SsoToken"),
        (ScriptedGrantType::AuthenticationCode, "Authentication_code"),
    ];
}

/// `[[azure.grants]]`: a value a scripted grant accepts, and the user it signs in.
#[derive(Debug, Clone)]
pub(crate) struct ScriptedGrant {
    pub(crate) grant_type: ScriptedGrantType,
    pub(crate) value: Secret,
    /// The user's name, as in `[[azure.users]]`.
    pub(crate) user: String,
    pub(crate) single_use: bool,
}
