//! Validation of the `[azure]` table: turns a [`RawAzure`] into [`AzureSettings`], reporting
//! every problem with its dotted path (`azure.users[1].mfa.totp_secret`) and line.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use toml::Spanned;
use uuid::Uuid;

use super::base32;
use super::raw::{RawAzure, RawAzureUser, RawMfa, RawScriptedGrant};
use super::{
    AzureRole, AzureSettings, AzureUser, AzureUserType, MfaSettings, ScriptedGrant, ScriptedGrantType,
    SecretBytes,
};
use crate::scenario::limits::{MAX_USERS, MAX_VERSIONS};
use crate::scenario::{Checker, Secret, non_empty, status_in};

/// `[[azure.grants]]`.
pub(crate) const MAX_GRANTS: usize = 10_000;
/// `codes` and `scratch_codes` of one user's `[azure.users.mfa]`, each.
pub(crate) const MAX_MFA_CODES: usize = 1_000;

/// The appliance GUID of the 8.1 documentation's examples (access `aud` and `databaseId`).
const DEFAULT_APPLIANCE_ID: Uuid = uuid::uuid!("5d04c178-edab-464e-b5b7-db96f9c9a99b");
/// The refresh-token `aud` GUID of the same examples.
const DEFAULT_REFRESH_AUDIENCE_ID: Uuid = uuid::uuid!("9a049df6-6ee1-4cc9-98b7-0efd0056607d");
/// Default `deploymentSubscriptionId` / `subscriptionId` (any stable GUID will do).
const DEFAULT_SUBSCRIPTION_ID: Uuid = uuid::uuid!("0f3b6a52-3c1e-4d8a-9b7e-2a6c4d5e8f10");
/// The newest build seen in the user guide (the 8.1 build number is not public).
const DEFAULT_BUILD: &str = "8.0.1.202";
const DEFAULT_COPYRIGHT: &str = "© 2025 Veeam Software Group GmbH";
/// The versions an 8.1 appliance serves (the 8.1 "Versioning" table).
const DEFAULT_VERSIONS: [&str; 4] = ["v8.1", "v8", "v7", "v6"];
/// Every version segment a VBAzure release has served.
const KNOWN_VERSIONS: [&str; 9] = ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v8.1"];

impl Checker {
    /// Validates `[azure]`, with the defaults of an 8.1 appliance for what is left out.
    pub(super) fn azure(&mut self, raw: RawAzure) -> AzureSettings {
        let versions = self.azure_versions(raw.versions);
        let access = self.lifetime("azure.access_token_lifetime", raw.access_token_lifetime, hours(1));
        let refresh =
            self.lifetime("azure.refresh_token_lifetime", raw.refresh_token_lifetime, hours(14 * 24));
        let short =
            self.lifetime("azure.short_refresh_token_lifetime", raw.short_refresh_token_lifetime, hours(1));
        let mfa_token_lifetime =
            self.lifetime("azure.mfa_token_lifetime", raw.mfa_token_lifetime, Duration::from_secs(300));
        let token_error_status = self
            .value("azure.token_error_status", raw.token_error_status, 401, |s| status_in(s, &[400, 401]));
        let unauthorized_json =
            self.value("azure.unauthorized_body", raw.unauthorized_body, true, |body| match body.as_str() {
                "json" => Ok(true),
                "empty" => Ok(false),
                other => Err(format!("unknown 401 body `{other}`; expected \"json\" or \"empty\"")),
            });
        let uuid = |id: String| Uuid::parse_str(&id).map_err(|_| format!("`{id}` is not a UUID"));
        let appliance_id = self.value("azure.appliance_id", raw.appliance_id, DEFAULT_APPLIANCE_ID, uuid);
        let refresh_audience_id = self.value(
            "azure.refresh_audience_id",
            raw.refresh_audience_id,
            DEFAULT_REFRESH_AUDIENCE_ID,
            uuid,
        );
        let subscription_id =
            self.value("azure.subscription_id", raw.subscription_id, DEFAULT_SUBSCRIPTION_ID, uuid);
        let mut text = |path: &str, raw: Option<Spanned<String>>, default: &str| {
            self.value(path, raw, default.to_owned(), non_empty)
        };
        let server_version = text("azure.server_version", raw.server_version, DEFAULT_BUILD);
        let worker_version = text("azure.worker_version", raw.worker_version, DEFAULT_BUILD);
        let flr_version = text("azure.flr_version", raw.flr_version, DEFAULT_BUILD);
        let copyright = text("azure.copyright", raw.copyright, DEFAULT_COPYRIGHT);
        let codes = raw.authorization_codes.unwrap_or_default();
        let code_lifetime =
            self.lifetime("azure.authorization_codes.lifetime", codes.lifetime, Duration::from_secs(60));
        let users = self.azure_users(raw.users);
        let grants = self.azure_grants(raw.grants, &users);
        AzureSettings {
            versions,
            access_token_lifetime: access,
            refresh_token_lifetime: refresh,
            short_refresh_token_lifetime: short,
            refresh_rotation: raw.refresh_rotation.unwrap_or(true),
            token_error_status,
            unauthorized_json,
            mfa_token_lifetime,
            appliance_id,
            refresh_audience_id,
            server_version,
            worker_version,
            flr_version,
            copyright,
            subscription_id,
            license_agreement_accepted: raw.license_agreement_accepted.unwrap_or(true),
            authorization_codes: codes.enabled.unwrap_or(false).then_some(code_lifetime),
            users,
            grants,
        }
    }

    fn azure_versions(&mut self, raw: Option<Vec<Spanned<String>>>) -> Vec<String> {
        let Some(raw) = raw else { return DEFAULT_VERSIONS.map(str::to_owned).to_vec() };
        let raw = self.capped("azure.versions", raw, MAX_VERSIONS, Spanned::span);
        let mut versions = Vec::with_capacity(raw.len());
        for (index, version) in raw.into_iter().enumerate() {
            let span = version.span();
            let segment = version.into_inner().to_ascii_lowercase();
            let segment = if segment == "v8.0" { "v8".to_owned() } else { segment };
            if !KNOWN_VERSIONS.contains(&segment.as_str()) {
                let message =
                    format!("unknown version `{segment}`; expected one of {}", KNOWN_VERSIONS.join(", "));
                self.report(format!("azure.versions[{index}]"), span, message);
            } else if !versions.contains(&segment) {
                versions.push(segment);
            }
        }
        versions
    }

    fn azure_users(&mut self, raw: Vec<RawAzureUser>) -> Vec<AzureUser> {
        let raw = self.capped("azure.users", raw, MAX_USERS, |user| user.username.span());
        let mut users: Vec<AzureUser> = Vec::with_capacity(raw.len());
        // Lower-cased name -> index of the user who has it: one lookup per user keeps this linear.
        let mut first_with: HashMap<String, usize> = HashMap::with_capacity(raw.len());
        for (index, user) in raw.into_iter().enumerate() {
            let path = format!("azure.users[{index}]");
            let name = user.username.get_ref().clone();
            if name.trim().is_empty() {
                self.report(format!("{path}.username"), user.username.span(), "a user name cannot be empty");
            } else if let Some(first) = first_with.get(&name.to_ascii_lowercase()) {
                let message =
                    format!("`{name}` is already used by azure.users[{first}] (names are case-insensitive)");
                self.report(format!("{path}.username"), user.username.span(), message);
            } else {
                first_with.insert(name.to_ascii_lowercase(), index);
            }
            let password = user.password.map(|password| {
                if password.get_ref().is_empty() {
                    self.report(format!("{path}.password"), password.span(), "a password cannot be empty");
                }
                Secret::new(password.into_inner())
            });
            let id = self.value(&format!("{path}.id"), user.id, derived_user_id(&name), |id| {
                Uuid::parse_str(&id).map_err(|_| format!("`{id}` is not a UUID"))
            });
            let role = self.value(&format!("{path}.role"), user.role, AzureRole::PortalAdmin, |role| {
                AzureRole::ALL.into_iter().find(|r| r.name() == role).ok_or_else(|| {
                    let names: Vec<&str> = AzureRole::ALL.iter().map(|r| r.name()).collect();
                    format!("unknown role `{role}`; expected one of {}", names.join(", "))
                })
            });
            let user_type =
                self.value(&format!("{path}.type"), user.user_type, AzureUserType::Internal, |t| {
                    match t.as_str() {
                        "Internal" => Ok(AzureUserType::Internal),
                        "IdentityProvider" => Ok(AzureUserType::IdentityProvider),
                        other => Err(format!(
                            "unknown user type `{other}`; expected \"Internal\" or \"IdentityProvider\""
                        )),
                    }
                });
            let mfa = user.mfa.map(|mfa| self.mfa(&format!("{path}.mfa"), mfa));
            users.push(AzureUser {
                username: name,
                password,
                id,
                role,
                user_type,
                latest_news_shown: user.latest_news_shown.unwrap_or(true),
                mfa,
            });
        }
        users
    }

    fn mfa(&mut self, path: &str, raw: RawMfa) -> MfaSettings {
        let raw_codes = self.capped(&format!("{path}.codes"), raw.codes, MAX_MFA_CODES, Spanned::span);
        let raw_scratch_codes =
            self.capped(&format!("{path}.scratch_codes"), raw.scratch_codes, MAX_MFA_CODES, Spanned::span);
        let mut codes = Vec::new();
        for (index, code) in raw_codes.into_iter().enumerate() {
            if code.get_ref().is_empty() {
                self.report(format!("{path}.codes[{index}]"), code.span(), "a code cannot be empty");
            }
            codes.push(Secret::new(code.into_inner()));
        }
        let mut scratch_codes = Vec::new();
        for (index, code) in raw_scratch_codes.into_iter().enumerate() {
            let text = code.get_ref();
            if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
                self.report(
                    format!("{path}.scratch_codes[{index}]"),
                    code.span(),
                    "a scratch code is 8 digits, like \"79529234\"",
                );
            }
            scratch_codes.push(Secret::new(code.into_inner()));
        }
        let totp_key = self.value(&format!("{path}.totp_secret"), raw.totp_secret, None, |secret| {
            let key = base32::decode(&secret)?;
            if key.len() < 10 {
                return Err("a TOTP secret must decode to at least 10 bytes (16 base32 characters)".into());
            }
            Ok(Some(SecretBytes(key)))
        });
        MfaSettings { codes, scratch_codes, totp_key }
    }

    fn azure_grants(&mut self, raw: Vec<RawScriptedGrant>, users: &[AzureUser]) -> Vec<ScriptedGrant> {
        let raw = self.capped("azure.grants", raw, MAX_GRANTS, |grant| grant.grant_type.span());
        let known: HashSet<String> = users.iter().map(|u| u.username.to_ascii_lowercase()).collect();
        let mut grants = Vec::with_capacity(raw.len());
        for (index, grant) in raw.into_iter().enumerate() {
            let path = format!("azure.grants[{index}]");
            let grant_type = self.value(
                &format!("{path}.grant_type"),
                Some(grant.grant_type),
                ScriptedGrantType::SsoToken,
                |name| {
                    ScriptedGrantType::ALL
                        .into_iter()
                        .find(|(_, known)| known.eq_ignore_ascii_case(&name))
                        .map(|(grant, _)| grant)
                        .ok_or_else(|| {
                            format!(
                                "`{name}` is not a scripted grant; expected Updater_token, Saml, SsoToken or Authentication_code"
                            )
                        })
                },
            );
            if grant.value.get_ref().is_empty() {
                self.report(format!("{path}.value"), grant.value.span(), "a grant value cannot be empty");
            }
            let user = grant.user.get_ref();
            if !known.contains(&user.to_ascii_lowercase()) {
                let message = format!("no user `{user}` in [[azure.users]]");
                self.report(format!("{path}.user"), grant.user.span(), message);
            }
            grants.push(ScriptedGrant {
                grant_type,
                value: Secret::new(grant.value.into_inner()),
                user: grant.user.into_inner(),
                // Codes are short-lived and single-use by nature; tokens are what the scenario says.
                single_use: grant.single_use.unwrap_or(grant_type == ScriptedGrantType::AuthenticationCode),
            });
        }
        grants
    }
}

fn hours(count: u64) -> Duration {
    Duration::from_secs(count * 3600)
}

/// A stable user id derived from the name, so that a scenario need not list ids.
fn derived_user_id(name: &str) -> Uuid {
    let digest =
        ring::digest::digest(&ring::digest::SHA256, format!("azure-user:{}", name.to_lowercase()).as_bytes());
    let mut bytes = [0; 16];
    bytes.copy_from_slice(&digest.as_ref()[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

#[cfg(test)]
mod tests {
    use crate::products::sections::parse;

    fn problem_paths(text: &str) -> Vec<(String, Option<usize>)> {
        match parse(text, "t.toml") {
            Ok(_) => Vec::new(),
            Err(err) => err.problems().iter().map(|p| (p.path.clone(), p.line)).collect(),
        }
    }

    #[test]
    fn every_azure_problem_is_reported_with_its_path_and_line() {
        let text = r#"
[azure]
versions = ["v8.1", "v9"]
token_error_status = 403

[[azure.users]]
username = "administrator"
password = "PassWord1"
role = "Administrator"

[[azure.users]]
username = "Administrator"
[azure.users.mfa]
scratch_codes = ["123"]
totp_secret = "not base32!"

[[azure.grants]]
grant_type = "Password"
value = "x"
user = "nobody"
"#;
        let expected: Vec<(String, Option<usize>)> = [
            ("azure.versions[1]", 3),
            ("azure.token_error_status", 4),
            ("azure.users[0].role", 9),
            ("azure.users[1].username", 12),
            ("azure.users[1].mfa.scratch_codes[0]", 14),
            ("azure.users[1].mfa.totp_secret", 15),
            ("azure.grants[0].grant_type", 18),
            ("azure.grants[0].user", 20),
        ]
        .into_iter()
        .map(|(path, line)| (path.to_owned(), Some(line)))
        .collect();
        assert_eq!(problem_paths(text), expected);
    }

    #[test]
    fn the_defaults_are_those_of_an_8_1_appliance() {
        let scenario = parse("[[azure.users]]\nusername = \"a\"\npassword = \"b\"\n", "t").expect("valid");
        let azure = scenario.azure();
        assert_eq!(azure.versions, ["v8.1", "v8", "v7", "v6"]);
        assert_eq!(azure.refresh_token_lifetime.as_secs(), 1_209_600);
        assert_eq!(azure.short_refresh_token_lifetime.as_secs(), 3600);
        assert_eq!(azure.token_error_status, 401);
        assert!(azure.refresh_rotation && azure.unauthorized_json && azure.authorization_codes.is_none());
        assert_eq!(azure.users[0].id, super::derived_user_id("A"), "ids are stable and case-blind");
    }
}
