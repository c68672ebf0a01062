//! Validation of the `[vb365]` section (see `crate::scenario::Checker` for the shared machinery).

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::time::Duration;

use toml::Spanned;
use uuid::Uuid;

use super::raw::{RawAntiforgery, RawOrganization, RawRestorePortal, RawVb365, RawVb365User};
use super::{
    ALL_VERSIONS, AntiforgeryMode, AntiforgerySettings, Organization, RestorePortal, Role, Vb365Settings,
    Vb365User,
};
use crate::clock::MAX_LIFETIME;
use crate::scenario::limits::{MAX_USERS, MAX_VERSIONS};
use crate::scenario::{Checker, Secret, http_token, non_empty, status_in};

/// `aliases` of one user.
pub(crate) const MAX_ALIASES: usize = 100;
/// `[[vb365.organizations]]`.
pub(crate) const MAX_ORGANIZATIONS: usize = 10_000;

/// Default `installationId` of `GET /vX/ServiceInstance`, stable so that tests can compare it.
const DEFAULT_INSTALLATION_ID: Uuid = uuid::uuid!("4b3c1f2e-8d5a-4e6b-9c7d-0a1b2c3d4e5f");
/// Default build number reported by `GET /vX/ServiceInstance` (a VB365 8.1 build).
const DEFAULT_SERVER_VERSION: &str = "8.1.0.305";
/// Default Restore Portal Entra application id (made up, stable).
const DEFAULT_PORTAL_APPLICATION_ID: Uuid = uuid::uuid!("0c5a5f0e-7b1d-4f4e-9a3c-2d8e6b1f7a90");

impl Checker {
    /// Validates `[vb365]`, with defaults for what is left out.
    pub(super) fn vb365(&mut self, raw: RawVb365) -> Vb365Settings {
        let versions = self.versions(raw.versions);
        let issuer = self.value("vb365.issuer", raw.issuer, "127.0.0.1".to_owned(), non_empty);
        let access_span = raw.access_token_lifetime.as_ref().map(Spanned::span);
        let access = self.lifetime(
            "vb365.access_token_lifetime",
            raw.access_token_lifetime,
            Duration::from_secs(3600),
        );
        let refresh_span = raw.refresh_token_lifetime.as_ref().map(Spanned::span);
        // The seed's refresh token expires one hour after its access token.
        let refresh = self.lifetime(
            "vb365.refresh_token_lifetime",
            raw.refresh_token_lifetime,
            (access + Duration::from_secs(3600)).min(MAX_LIFETIME),
        );
        if refresh < access {
            let span = refresh_span.or(access_span).unwrap_or(0..0);
            self.report(
                "vb365.refresh_token_lifetime",
                span,
                "the refresh token cannot expire before the access token",
            );
        }
        let installation_id =
            self.value("vb365.installation_id", raw.installation_id, DEFAULT_INSTALLATION_ID, parse_uuid);
        let server_version = self.value(
            "vb365.server_version",
            raw.server_version,
            DEFAULT_SERVER_VERSION.to_owned(),
            non_empty,
        );
        let token_error_status = self.value("vb365.token_error_status", raw.token_error_status, 400, |s| {
            status_in(s, &[400, 401, 403])
        });
        let legacy_expires_in_minutes =
            self.value("vb365.legacy_expires_in", raw.legacy_expires_in, false, |unit| match unit.as_str() {
                "seconds" => Ok(false),
                "minutes" => Ok(true),
                other => Err(format!("unknown unit `{other}`; expected \"seconds\" or \"minutes\"")),
            });
        let restore_session_idle_timeout = self.lifetime(
            "vb365.restore_session_idle_timeout",
            raw.restore_session_idle_timeout,
            Duration::from_secs(30 * 60),
        );
        let antiforgery = self.antiforgery(raw.antiforgery.unwrap_or_default());
        let restore_portal = self.restore_portal(raw.restore_portal.unwrap_or_default());
        let organizations = self.organizations(raw.organizations);
        let users = self.users(raw.users, &organizations);
        Vb365Settings {
            versions,
            issuer,
            access_token_lifetime: access,
            refresh_token_lifetime: refresh,
            installation_id,
            server_version,
            token_error_status,
            legacy_expires_in_minutes,
            legacy_user_name: raw.legacy_user_name.unwrap_or(false),
            restore_session_idle_timeout,
            antiforgery,
            restore_portal,
            organizations,
            users,
        }
    }

    fn versions(&mut self, raw: Option<Vec<Spanned<String>>>) -> Vec<u8> {
        let Some(raw) = raw else { return ALL_VERSIONS.collect() };
        let raw = self.capped("vb365.versions", raw, MAX_VERSIONS, Spanned::span);
        let mut versions = Vec::new();
        for (index, entry) in raw.iter().enumerate() {
            let path = format!("vb365.versions[{index}]");
            let text = entry.get_ref();
            let number = text.strip_prefix('v').and_then(|n| n.parse::<u8>().ok());
            match number {
                Some(n) if ALL_VERSIONS.contains(&n) && !versions.contains(&n) => versions.push(n),
                Some(n) if versions.contains(&n) => {
                    self.report(path, entry.span(), format!("`{text}` is listed twice"))
                }
                _ => self.report(
                    path,
                    entry.span(),
                    format!("unknown API version `{text}`; expected \"v1\" to \"v8\""),
                ),
            }
        }
        if raw.is_empty() {
            self.report("vb365.versions", 0..0, "serve at least one API version");
        }
        versions.sort_unstable();
        versions
    }

    fn antiforgery(&mut self, raw: RawAntiforgery) -> AntiforgerySettings {
        let v7 = self.value("vb365.antiforgery.v7", raw.v7, AntiforgeryMode::Lenient, antiforgery_mode);
        let v8 = self.value("vb365.antiforgery.v8", raw.v8, AntiforgeryMode::Strict, antiforgery_mode);
        let cookie = self.value("vb365.antiforgery.cookie", raw.cookie, "XSRF-TOKEN".to_owned(), http_token);
        let header =
            self.value("vb365.antiforgery.header", raw.header, "X-XSRF-TOKEN".to_owned(), http_token);
        let failure_status = self.value("vb365.antiforgery.failure_status", raw.failure_status, 401, |s| {
            status_in(s, &[400, 401, 403])
        });
        AntiforgerySettings { v7, v8, cookie, header, failure_status }
    }

    fn restore_portal(&mut self, raw: RawRestorePortal) -> RestorePortal {
        let path = "vb365.restore_portal";
        RestorePortal {
            enabled: raw.enabled.unwrap_or(true),
            application_id: self.value(
                &format!("{path}.application_id"),
                raw.application_id,
                DEFAULT_PORTAL_APPLICATION_ID,
                parse_uuid,
            ),
            msal_authority_uri: self.value(
                &format!("{path}.msal_authority_uri"),
                raw.msal_authority_uri,
                "https://login.microsoftonline.com/organizations".to_owned(),
                non_empty,
            ),
            restore_portal_uri: self.value(
                &format!("{path}.restore_portal_uri"),
                raw.restore_portal_uri,
                "https://127.0.0.1:4443/".to_owned(),
                non_empty,
            ),
        }
    }

    fn organizations(&mut self, raw: Vec<RawOrganization>) -> Vec<Organization> {
        let raw = self.capped("vb365.organizations", raw, MAX_ORGANIZATIONS, |org| org.name.span());
        let mut organizations: Vec<Organization> = Vec::with_capacity(raw.len());
        // Lower-cased names seen so far: one lookup per organization keeps this linear.
        let mut seen = HashSet::with_capacity(raw.len());
        for (index, org) in raw.into_iter().enumerate() {
            let path = format!("vb365.organizations[{index}]");
            let name = org.name.get_ref().trim().to_owned();
            if name.is_empty() {
                self.report(format!("{path}.name"), org.name.span(), "an organization name cannot be empty");
            } else if !seen.insert(name.to_ascii_lowercase()) {
                self.report(format!("{path}.name"), org.name.span(), format!("`{name}` is listed twice"));
            }
            let id = self.value(&format!("{path}.id"), org.id, derived_id(&name), parse_uuid);
            organizations.push(Organization { id, name });
        }
        organizations
    }

    fn users(&mut self, raw: Vec<RawVb365User>, organizations: &[Organization]) -> Vec<Vb365User> {
        let raw = self.capped("vb365.users", raw, MAX_USERS, |user| user.username.span());
        // Every lookup below is a hash lookup, so that validation stays linear in the users.
        let organizations: HashMap<String, Uuid> =
            organizations.iter().map(|org| (org.name.to_ascii_lowercase(), org.id)).collect();
        let mut users: Vec<Vb365User> = Vec::with_capacity(raw.len());
        // Every name and alias, lower-cased, with the path that first claimed it.
        let mut names: HashMap<String, String> = HashMap::with_capacity(raw.len());
        // Every (role, client_id) pair given so far.
        let mut client_ids: HashSet<(Role, String)> = HashSet::new();
        for (index, mut user) in raw.into_iter().enumerate() {
            let path = format!("vb365.users[{index}]");
            let aliases = std::mem::take(&mut user.aliases);
            user.aliases =
                self.capped(&format!("{path}.aliases"), aliases, MAX_ALIASES, |alias| alias.span());
            let mut claim = |checker: &mut Self, field: &str, name: &Spanned<String>| {
                let here = format!("{path}.{field}");
                if name.get_ref().trim().is_empty() {
                    checker.report(&here, name.span(), "a user name cannot be empty");
                    return;
                }
                match names.entry(name.get_ref().to_ascii_lowercase()) {
                    Entry::Occupied(first) => {
                        let message = format!(
                            "`{}` is already used by {} (names are case-insensitive)",
                            name.get_ref(),
                            first.get()
                        );
                        checker.report(&here, name.span(), message);
                    }
                    Entry::Vacant(free) => {
                        free.insert(here);
                    }
                }
            };
            claim(self, "username", &user.username);
            for (alias_index, alias) in user.aliases.iter().enumerate() {
                claim(self, &format!("aliases[{alias_index}]"), alias);
            }
            let checked = self.user(&path, user, &organizations);
            if let Some(client_id) = &checked.client_id
                && !client_ids.insert((checked.role, client_id.clone()))
            {
                self.report(format!("{path}.client_id"), 0..0, format!("`{client_id}` is used twice"));
            }
            users.push(checked);
        }
        users
    }

    /// One user: the role decides which ways of logging in make sense.
    fn user(&mut self, path: &str, user: RawVb365User, organizations: &HashMap<String, Uuid>) -> Vb365User {
        let username_span = user.username.span();
        let role =
            self.value(&format!("{path}.role"), user.role, Role::Administrator, |role| match role.as_str() {
                "administrator" => Ok(Role::Administrator),
                "tenant" => Ok(Role::Tenant),
                "operator" => Ok(Role::Operator),
                other => Err(format!(
                    "unknown role `{other}`; expected \"administrator\", \"tenant\" or \"operator\""
                )),
            });
        let secret = |checker: &mut Self, field: &str, raw: Option<Spanned<String>>| {
            checker.value(&format!("{path}.{field}"), raw, None, |text| {
                if text.is_empty() {
                    Err(format!("a {field} cannot be empty"))
                } else {
                    Ok(Some(Secret::new(text)))
                }
            })
        };
        // Presence is judged on what was written, so that an empty password is reported once
        // (as empty), not again as missing.
        let (has_password, has_token) = (user.password.is_some(), user.integration_token.is_some());
        let has_client_id = user.client_id.is_some();
        let password = secret(self, "password", user.password);
        let assertion = secret(self, "assertion", user.assertion);
        let integration_token = secret(self, "integration_token", user.integration_token);
        let client_id =
            self.value(&format!("{path}.client_id"), user.client_id, None, |id| non_empty(id).map(Some));
        let organization = self.value(&format!("{path}.organization"), user.organization, None, |name| {
            organizations
                .get(&name.to_ascii_lowercase())
                .map(|&id| Some(id))
                .ok_or_else(|| format!("no organization named `{name}` in [[vb365.organizations]]"))
        });
        let mut require = |ok: bool, message: &str| {
            if !ok {
                self.report(path, username_span.clone(), message);
            }
        };
        match role {
            Role::Administrator => {
                require(
                    has_password || has_token,
                    "an administrator needs a password or an integration_token",
                );
                require(
                    organization.is_none() && !has_client_id,
                    "an administrator has no organization or client_id",
                );
            }
            Role::Tenant => {
                require(organization.is_some(), "a tenant user needs an organization");
                require(
                    has_password || has_client_id,
                    "a tenant user needs a password (API v1-v5) or a client_id (jwt-bearer grant)",
                );
            }
            Role::Operator => {
                require(organization.is_some(), "an operator needs an organization");
                require(has_client_id, "an operator needs a client_id (operator grant)");
            }
        }
        require(assertion.is_none() || has_client_id, "an assertion only makes sense with a client_id");
        require(
            !has_token || role == Role::Administrator,
            "only an administrator can have an integration_token",
        );
        Vb365User {
            username: user.username.into_inner(),
            aliases: user.aliases.into_iter().map(Spanned::into_inner).collect(),
            password,
            role,
            organization,
            client_id,
            assertion,
            integration_token,
        }
    }
}

fn antiforgery_mode(mode: String) -> Result<AntiforgeryMode, String> {
    match mode.as_str() {
        "strict" => Ok(AntiforgeryMode::Strict),
        "lenient" => Ok(AntiforgeryMode::Lenient),
        "off" => Ok(AntiforgeryMode::Off),
        other => {
            Err(format!("unknown antiforgery mode `{other}`; expected \"strict\", \"lenient\" or \"off\""))
        }
    }
}

fn parse_uuid(id: String) -> Result<Uuid, String> {
    Uuid::parse_str(&id).map_err(|_| format!("`{id}` is not a UUID"))
}

/// A stable id for an organization given by name only (so that tests can predict it).
fn derived_id(name: &str) -> Uuid {
    let digest = ring::digest::digest(&ring::digest::SHA256, name.to_ascii_lowercase().as_bytes());
    let mut bytes = [0; 16];
    bytes.copy_from_slice(&digest.as_ref()[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::products::sections::{parse, problems};
    use crate::scenario::Problem;
    use crate::scenario::limits::MAX_PROBLEMS;

    fn paths(text: &str) -> Vec<String> {
        match parse(text, "t") {
            Ok(_) => Vec::new(),
            Err(err) => err.problems().iter().map(|p| p.path.clone()).collect(),
        }
    }

    #[test]
    fn versions_are_v1_to_v8_once_each() {
        assert_eq!(
            paths("[vb365]\nversions = [\"v8\", \"v9\", \"v8\", \"8\"]\n"),
            ["vb365.versions[1]", "vb365.versions[2]", "vb365.versions[3]"]
        );
        let scenario = parse("[vb365]\nversions = [\"v8\", \"v6\"]\n", "t").expect("valid");
        assert_eq!(scenario.vb365().versions, [6, 8]);
    }

    #[test]
    fn roles_need_their_ways_of_logging_in() {
        let text = r#"
[[vb365.organizations]]
name = "Contoso"

[[vb365.users]]
username = "op@contoso.com"
role = "operator"
organization = "Contoso"

[[vb365.users]]
username = "t@contoso.com"
role = "tenant"
organization = "Fabrikam"
client_id = "contoso.onmicrosoft.com"

[[vb365.users]]
username = "admin"
role = "root"
password = "x"
"#;
        assert_eq!(
            paths(text),
            ["vb365.users[0]", "vb365.users[1]", "vb365.users[1].organization", "vb365.users[2].role"]
        );
    }

    #[test]
    fn organizations_without_an_id_get_a_stable_one() {
        let text = "[[vb365.organizations]]\nname = \"Contoso\"\n";
        let (a, b) = (parse(text, "t").expect("valid"), parse(text, "t").expect("valid"));
        assert_eq!(a.vb365().organizations[0].id, b.vb365().organizations[0].id);
    }

    #[test]
    fn an_unknown_key_names_the_key_the_line_and_what_was_expected() {
        let found = problems("[vb365]\nissuer = \"x\"\nlifetime = \"1h\"\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, Some(3));
        assert!(found[0].message.contains("unknown field `lifetime`"), "{}", found[0].message);
        assert!(found[0].message.contains("access_token_lifetime"), "{}", found[0].message);
    }

    #[test]
    fn a_refresh_lifetime_shorter_than_the_access_lifetime_is_refused() {
        let found = problems("[vb365]\naccess_token_lifetime = \"2h\"\nrefresh_token_lifetime = \"1h\"\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].path, "vb365.refresh_token_lifetime");
        assert_eq!(found[0].line, Some(3));
    }

    #[test]
    fn the_refresh_lifetime_defaults_to_one_hour_past_the_access_lifetime() {
        let scenario = parse("[vb365]\naccess_token_lifetime = \"90m\"\n", "t").expect("valid");
        assert_eq!(scenario.vb365().refresh_token_lifetime, Duration::from_secs(150 * 60));
    }

    #[test]
    fn bad_statuses_and_header_names_are_refused() {
        let found = problems(
            "[vb365]\ntoken_error_status = 500\n[vb365.antiforgery]\nheader = \"X Bad\"\nv8 = \"loose\"\n",
        );
        let paths: Vec<&str> = found.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["vb365.token_error_status", "vb365.antiforgery.header", "vb365.antiforgery.v8"]);
    }

    #[test]
    fn a_version_listed_170000_times_is_refused_with_the_cap_and_few_problems() {
        let text = format!("[vb365]\nversions = [\n{}]\n", "'v8',\n".repeat(170_000));
        let found = problems(&text);
        assert_eq!(found.len(), 100, "one for the cap, one per duplicate among the first 100");
        assert_eq!(
            found[0],
            Problem {
                path: "vb365.versions".into(),
                line: Some(3),
                message:
                    "170000 entries, more than the 100 allowed; entries past the 100th (from line 103) are not checked"
                        .into(),
            }
        );
        assert_eq!(found[1].message, "`v8` is listed twice");
    }

    #[test]
    fn twenty_thousand_users_with_one_name_report_the_duplicate_and_the_cap() {
        let user = "[[vb365.users]]\nusername = \"a\"\npassword = \"b\"\n";
        let found = problems(&user.repeat(20_000));
        assert_eq!(found.len(), MAX_PROBLEMS + 1, "the listing is capped too");
        assert_eq!(found[0].path, "vb365.users");
        assert_eq!(found[0].line, Some(2));
        assert_eq!(
            found[0].message,
            "20000 entries, more than the 10000 allowed; entries past the 10000th (from line 30002) are not checked"
        );
        assert_eq!(found[1].path, "vb365.users[1].username");
        assert_eq!(found[1].line, Some(5));
        assert_eq!(
            found[1].message,
            "`a` is already used by vb365.users[0].username (names are case-insensitive)"
        );
        let last = &found[MAX_PROBLEMS];
        assert_eq!((last.path.as_str(), last.line), ("", None));
        assert_eq!(last.message, "and 9000 more problem(s), not listed");
    }
}
