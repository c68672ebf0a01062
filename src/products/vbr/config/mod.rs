//! The `[vbr]` section of a scenario: what the Veeam Backup & Replication product reads.
//!
//! [`raw`] mirrors the table as written, [`validate`] checks it with the scenario's shared
//! `Checker`, and the product reads the result through [`Scenario::vbr`]. [`SECTION`] plugs
//! the section into the scenario parser. `scenarios/vbr.toml` documents every key.

mod raw;
mod validate;

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use serde::Deserialize;
use time::UtcOffset;
use uuid::Uuid;

use super::version::ApiVersion;
use crate::scenario::{Checker, Scenario, Secret, Section, SectionDoc, SectionParser, UncheckedSection};

/// The `[vbr]` section's parser, for the product registry's list.
pub(crate) static SECTION: VbrSection = VbrSection;

/// Reads and validates `[vbr]`.
#[derive(Debug)]
pub(crate) struct VbrSection;

impl SectionParser for VbrSection {
    fn key(&self) -> &'static str {
        "vbr"
    }

    fn read(&self, doc: SectionDoc<'_>) -> Result<UncheckedSection, toml::de::Error> {
        let raw::Doc { vbr } = raw::Doc::deserialize(doc)?;
        let raw = vbr.unwrap_or_default();
        Ok(Box::new(move |check: &mut Checker| -> Section { Arc::new(check.vbr(raw)) }))
    }

    fn default_section(&self) -> Section {
        DEFAULT.clone()
    }
}

/// The settings of every file without `[vbr]`.
static DEFAULT: LazyLock<Arc<VbrSettings>> =
    LazyLock::new(|| Arc::new(Checker::detached().vbr(raw::RawVbr::default())));

impl Scenario {
    /// The `[vbr]` settings (a scenario built without the section reads the defaults).
    pub(crate) fn vbr(&self) -> &VbrSettings {
        self.section::<VbrSettings>().unwrap_or(&DEFAULT)
    }
}

/// `[vbr]`: Veeam Backup & Replication (`/api/oauth2/...`, `/api/v1/...`, with `x-api-version`).
#[derive(Debug, Clone)]
pub(crate) struct VbrSettings {
    /// The revisions served, oldest first (never empty).
    pub(crate) versions: Vec<ApiVersion>,
    pub(crate) access_token_lifetime: Duration,
    pub(crate) refresh_token_lifetime: Duration,
    /// The refresh lifetime of a login that asked for `use_short_term_refresh`.
    pub(crate) short_term_refresh_lifetime: Duration,
    /// How long a code from `POST /api/oauth2/authorization_code` can be redeemed.
    pub(crate) authorization_code_lifetime: Duration,
    /// The offset the server writes its dates with (`.issued`, `serverTime`).
    pub(crate) time_offset: UtcOffset,
    /// Whether a refused bearer gets the JSON `Error` (`true`) or an empty body.
    pub(crate) unauthorized_json: bool,
    /// Whether a refused bearer's `errorCode` says why (`ExpiredToken`, `InvalidToken`) instead
    /// of `AccessDenied` every time.
    pub(crate) detailed_token_errors: bool,
    /// Whether the token body adds `username` after `.expires` (the Overview's example).
    pub(crate) token_username: bool,
    pub(crate) server_name: String,
    pub(crate) build_version: String,
    pub(crate) vbr_id: Uuid,
    /// `Windows` or `Linux` (`ServerInfoModel.platform`, 1.3 revisions).
    pub(crate) platform: &'static str,
    pub(crate) time_zone: String,
    pub(crate) iana_time_zone: String,
    pub(crate) users: Vec<VbrUser>,
    pub(crate) grants: Vec<VbrGrant>,
}

impl VbrSettings {
    /// Whether `version` is served.
    pub(crate) fn serves(&self, version: ApiVersion) -> bool {
        self.versions.contains(&version)
    }

    /// The user a sign-in name means, as VBR (Windows logon names) reads it: the name or an
    /// alias in any case; for a local account (no `\` or `@`), also `.\name` and
    /// `<server name>\name`.
    pub(crate) fn find_user(&self, given: &str) -> Option<&VbrUser> {
        let given = given.trim();
        let local = given.split_once('\\').and_then(|(domain, name)| {
            (domain == "." || domain.eq_ignore_ascii_case(&self.server_name)).then_some(name)
        });
        self.users.iter().find(|user| {
            let names = std::iter::once(&user.username).chain(&user.aliases);
            let mut names = names.map(String::as_str);
            names.any(|name| {
                name.eq_ignore_ascii_case(given)
                    || (user.is_local() && local.is_some_and(|local| name.eq_ignore_ascii_case(local)))
            })
        })
    }
}

/// A VBR user role: the built-in ones by the names the `Roles` examples give them, and any
/// custom role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VbrRole {
    BackupAdministrator,
    BackupOperator,
    RestoreOperator,
    BackupViewer,
    TapeOperator,
    SecurityAdministrator,
    Custom,
}

impl VbrRole {
    /// Every role, for parsing and messages.
    pub(crate) const ALL: [VbrRole; 7] = [
        VbrRole::BackupAdministrator,
        VbrRole::BackupOperator,
        VbrRole::RestoreOperator,
        VbrRole::BackupViewer,
        VbrRole::TapeOperator,
        VbrRole::SecurityAdministrator,
        VbrRole::Custom,
    ];

    /// The role's name (`Backup Administrator`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            VbrRole::BackupAdministrator => "Backup Administrator",
            VbrRole::BackupOperator => "Backup Operator",
            VbrRole::RestoreOperator => "Restore Operator",
            VbrRole::BackupViewer => "Backup Viewer",
            VbrRole::TapeOperator => "Tape Operator",
            VbrRole::SecurityAdministrator => "Security Administrator",
            VbrRole::Custom => "Custom",
        }
    }

    /// The role named `name` (any case; blanks between words as written).
    pub(crate) fn parse(name: &str) -> Option<VbrRole> {
        VbrRole::ALL.into_iter().find(|role| role.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// `[[vbr.users]]`
#[derive(Debug, Clone)]
pub(crate) struct VbrUser {
    /// The logon name (`administrator`, `TECH\backup.viewer`).
    pub(crate) username: String,
    /// `None`: the user cannot use the password grant.
    pub(crate) password: Option<Secret>,
    pub(crate) role: VbrRole,
    /// Other names the same account signs in with (`user@tech.local`).
    pub(crate) aliases: Vec<String>,
    /// An MFA-enabled account: the REST API has no MFA step, so its password grant is refused.
    pub(crate) mfa: bool,
}

impl VbrUser {
    /// Whether the account is local to the server (its name has no domain).
    fn is_local(&self) -> bool {
        !self.username.contains(['\\', '@'])
    }
}

/// The grants whose accepted values the scenario lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GrantKind {
    /// `vbr_token` (a platform service token).
    VbrToken,
    /// `authorization_code` (a code issued elsewhere, seeded).
    AuthorizationCode,
}

/// `[[vbr.grants]]`: a value a grant accepts, and the user it signs in.
#[derive(Debug, Clone)]
pub(crate) struct VbrGrant {
    pub(crate) kind: GrantKind,
    pub(crate) value: Secret,
    /// The user's name, as in `[[vbr.users]]`.
    pub(crate) user: String,
    pub(crate) single_use: bool,
}
