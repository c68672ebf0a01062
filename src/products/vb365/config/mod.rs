//! The `[vb365]` section of a scenario: Veeam Backup for Microsoft 365 (REST API v1-v8).
//!
//! [`raw`] mirrors the table as written, [`validate`] checks it with the scenario's shared
//! `Checker`, and the validated types below are what the product reads, through
//! [`Scenario::vb365`]. [`SECTION`] plugs the section into the scenario parser.

mod raw;
mod validate;

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use serde::Deserialize;
use uuid::Uuid;

use crate::scenario::{Checker, Scenario, Secret, Section, SectionDoc, SectionParser, UncheckedSection};

/// The `[vb365]` section's parser, for the product registry's list.
pub(crate) static SECTION: Vb365Section = Vb365Section;

/// Reads and validates `[vb365]`.
#[derive(Debug)]
pub(crate) struct Vb365Section;

impl SectionParser for Vb365Section {
    fn key(&self) -> &'static str {
        "vb365"
    }

    fn read(&self, doc: SectionDoc<'_>) -> Result<UncheckedSection, toml::de::Error> {
        let raw::Doc { vb365 } = raw::Doc::deserialize(doc)?;
        let raw = vb365.unwrap_or_default();
        Ok(Box::new(move |check: &mut Checker| -> Section { Arc::new(check.vb365(raw)) }))
    }

    fn default_section(&self) -> Section {
        DEFAULT.clone()
    }
}

/// The settings of every file without `[vb365]`.
static DEFAULT: LazyLock<Arc<Vb365Settings>> =
    LazyLock::new(|| Arc::new(Checker::detached().vb365(raw::RawVb365::default())));

impl Scenario {
    /// The `[vb365]` settings (a scenario built without the section reads the defaults).
    pub(crate) fn vb365(&self) -> &Vb365Settings {
        self.section::<Vb365Settings>().unwrap_or(&DEFAULT)
    }
}

/// Every API version the mock knows, oldest first.
pub(crate) const ALL_VERSIONS: std::ops::RangeInclusive<u8> = 1..=8;

/// `[vb365]`
#[derive(Debug, Clone)]
pub(crate) struct Vb365Settings {
    /// API versions served (1-8); any other answers 404.
    pub(crate) versions: Vec<u8>,
    /// The JWT `iss` claim (the seed shows `127.0.0.1`).
    pub(crate) issuer: String,
    pub(crate) access_token_lifetime: Duration,
    /// Counted from issue time; the seed shows access + 3600 s.
    pub(crate) refresh_token_lifetime: Duration,
    pub(crate) installation_id: Uuid,
    pub(crate) server_version: String,
    /// Status of v6+ token-endpoint refusals (wrong password, bad refresh token...).
    pub(crate) token_error_status: u16,
    /// v1-v5 `expires_in` in minutes (seed 001 literally) instead of seconds (OWIN).
    pub(crate) legacy_expires_in_minutes: bool,
    /// Whether v1-v5 token responses carry `userName` (seed 001 shows none).
    pub(crate) legacy_user_name: bool,
    /// A restore session nobody touches for this long stops by itself.
    pub(crate) restore_session_idle_timeout: Duration,
    pub(crate) antiforgery: AntiforgerySettings,
    pub(crate) restore_portal: RestorePortal,
    pub(crate) organizations: Vec<Organization>,
    pub(crate) users: Vec<Vb365User>,
}

impl Vb365Settings {
    /// Whether API version `number` is served.
    pub(crate) fn serves(&self, number: u8) -> bool {
        self.versions.contains(&number)
    }

    /// The user whose name or alias is `name` (case-insensitive, as Windows logons are).
    pub(crate) fn find_user(&self, name: &str) -> Option<&Vb365User> {
        self.users.iter().find(|user| {
            user.username.eq_ignore_ascii_case(name)
                || user.aliases.iter().any(|alias| alias.eq_ignore_ascii_case(name))
        })
    }

    /// The user of `role` whose `client_id` is `client_id` (case-insensitive).
    pub(crate) fn find_by_client_id(&self, role: Role, client_id: &str) -> Option<&Vb365User> {
        self.users.iter().find(|user| {
            user.role == role
                && user.client_id.as_deref().is_some_and(|id| id.eq_ignore_ascii_case(client_id))
        })
    }

    /// The organization with this id.
    pub(crate) fn organization(&self, id: Uuid) -> Option<&Organization> {
        self.organizations.iter().find(|org| org.id == id)
    }
}

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Role {
    /// A VB365 administrator (a Windows account on the server): the whole API.
    Administrator,
    /// A Microsoft 365 tenant user of one organization: its own data and restore sessions.
    Tenant,
    /// A Restore Portal operator of one organization.
    Operator,
}

/// How tokens issued without `disable_antiforgery_token=true` are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AntiforgeryMode {
    /// The antiforgery header must come with every protected call and refresh.
    Strict,
    /// A header that is sent must match; a missing one is let through.
    Lenient,
    /// Never checked.
    Off,
}

/// `[vb365.antiforgery]`
#[derive(Debug, Clone)]
pub(crate) struct AntiforgerySettings {
    /// The check on API v7 (lenient by default: scripts by Veeam's staff call v7 bearer-only).
    pub(crate) v7: AntiforgeryMode,
    /// The check on API v8 (strict by default, as seed 000 says).
    pub(crate) v8: AntiforgeryMode,
    /// Cookie set on the token response (the real name is not public; the mock's choice).
    pub(crate) cookie: String,
    /// Header a client echoes the token in (the mock's choice, too).
    pub(crate) header: String,
    /// 401 (empty body, like a bad bearer) or 400/403 (with the error body).
    pub(crate) failure_status: u16,
}

impl AntiforgerySettings {
    /// The check for a call to API version `number` (v6 and older have no antiforgery).
    pub(crate) fn mode_for(&self, number: u8) -> AntiforgeryMode {
        match number {
            8.. => self.v8,
            7 => self.v7,
            _ => AntiforgeryMode::Off,
        }
    }
}

/// `[vb365.restore_portal]`: what the anonymous `GET /vX/RestorePortalSettings` reports.
#[derive(Debug, Clone)]
pub(crate) struct RestorePortal {
    pub(crate) enabled: bool,
    pub(crate) application_id: Uuid,
    pub(crate) msal_authority_uri: String,
    pub(crate) restore_portal_uri: String,
}

/// `[[vb365.organizations]]`
#[derive(Debug, Clone)]
pub(crate) struct Organization {
    pub(crate) id: Uuid,
    pub(crate) name: String,
}

/// `[[vb365.users]]`
#[derive(Debug, Clone)]
pub(crate) struct Vb365User {
    pub(crate) username: String,
    pub(crate) aliases: Vec<String>,
    /// For the password grant.
    pub(crate) password: Option<Secret>,
    pub(crate) role: Role,
    /// The organization of a tenant user or operator.
    pub(crate) organization: Option<Uuid>,
    /// For the jwt-bearer (tenant) and operator grants.
    pub(crate) client_id: Option<String>,
    /// The exact assertion required; any well-formed one when absent.
    pub(crate) assertion: Option<Secret>,
    /// For the integration grant (v6-v7).
    pub(crate) integration_token: Option<Secret>,
}

#[cfg(test)]
mod tests {
    use crate::scenario::Scenario;

    #[test]
    fn the_embedded_default_has_the_seed_administrator() {
        let scenario = Scenario::default();
        let admin = scenario.vb365().find_user("Administrator").expect("Administrator exists");
        assert!(admin.password.as_ref().is_some_and(|p| p.matches("PassWord1")));
        assert!(scenario.vb365().find_user(r"TECH\administrator").is_some());
        assert!(scenario.vb365().find_user(r"tech\ADMINISTRATOR").is_some());
        assert!(scenario.vb365().find_user("nobody").is_none());
        assert_eq!(scenario.vb365().access_token_lifetime, std::time::Duration::from_secs(3600));
        assert_eq!(scenario.vb365().refresh_token_lifetime, std::time::Duration::from_secs(7200));
        assert_eq!(scenario.vb365().versions, [1, 2, 3, 4, 5, 6, 7, 8]);
    }
}
