//! Validation of the `[vbr]` table: turns a [`RawVbr`] into [`VbrSettings`], reporting every
//! problem with its dotted path (`vbr.users[1].role`) and line.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use toml::Spanned;
use uuid::Uuid;

use super::raw::{RawVbr, RawVbrGrant, RawVbrUser};
use super::{GrantKind, VbrGrant, VbrRole, VbrSettings, VbrUser};
use crate::products::vbr::version::{self, ApiVersion, KNOWN, PRESETS};
use crate::scenario::limits::{MAX_USERS, MAX_VERSIONS};
use crate::scenario::{Checker, Secret, non_empty};

/// `[[vbr.grants]]`.
pub(crate) const MAX_GRANTS: usize = 10_000;
/// The installation id of the 1.3 documents' `ServerInfoModelExample`.
const DEFAULT_VBR_ID: Uuid = uuid::uuid!("f2ef2bfd-7c5a-4f8f-8b0a-6b1b1d7c9e10");
/// The build of 13.1 (the 1.3-rev2 revision table).
const DEFAULT_BUILD: &str = "13.1.0.411";
const DEFAULT_SERVER_NAME: &str = "vbr.tech.local";
/// .NET's display name of UTC, as `ServerTimeModel.timeZone` would read on such a server.
const DEFAULT_TIME_ZONE: &str = "(UTC) Coordinated Universal Time";
const DEFAULT_IANA_TIME_ZONE: &str = "Etc/UTC";
/// The short-term refresh token outlives the access token by this much (`use_short_term_refresh`).
const SHORT_TERM_EXTRA: Duration = Duration::from_secs(15 * 60);

impl Checker {
    /// Validates `[vbr]`, with the defaults of a 13.1 server for what is left out.
    pub(super) fn vbr(&mut self, raw: RawVbr) -> VbrSettings {
        let versions = self.vbr_versions(raw.preset, raw.versions);
        let access = self.lifetime("vbr.access_token_lifetime", raw.access_token_lifetime, minutes(15));
        let refresh =
            self.lifetime("vbr.refresh_token_lifetime", raw.refresh_token_lifetime, minutes(14 * 24 * 60));
        let short = self.lifetime(
            "vbr.short_term_refresh_lifetime",
            raw.short_term_refresh_lifetime,
            access + SHORT_TERM_EXTRA,
        );
        let code = self.lifetime(
            "vbr.authorization_code_lifetime",
            raw.authorization_code_lifetime,
            Duration::from_secs(60),
        );
        let time_offset = self.value("vbr.time_offset", raw.time_offset, time::UtcOffset::UTC, |text| {
            let format = time::macros::format_description!("[offset_hour sign:mandatory]:[offset_minute]");
            time::UtcOffset::parse(text.trim(), &format)
                .map_err(|_| format!("`{text}` is not an offset like \"+02:00\" or \"-05:00\""))
        });
        let unauthorized_json =
            self.value("vbr.unauthorized_body", raw.unauthorized_body, true, |body| match body.as_str() {
                "json" => Ok(true),
                "empty" => Ok(false),
                other => Err(format!("unknown 401 body `{other}`; expected \"json\" or \"empty\"")),
            });
        let detailed_token_errors =
            self.value("vbr.token_error_codes", raw.token_error_codes, false, |codes| match codes.as_str() {
                "access_denied" => Ok(false),
                "detailed" => Ok(true),
                other => Err(format!("unknown mode `{other}`; expected \"access_denied\" or \"detailed\"")),
            });
        let mut text = |path: &str, raw: Option<Spanned<String>>, default: &str| {
            self.value(path, raw, default.to_owned(), non_empty)
        };
        let server_name = text("vbr.server_name", raw.server_name, DEFAULT_SERVER_NAME);
        let build_version = text("vbr.build_version", raw.build_version, DEFAULT_BUILD);
        let time_zone = text("vbr.time_zone", raw.time_zone, DEFAULT_TIME_ZONE);
        let iana_time_zone = text("vbr.iana_time_zone", raw.iana_time_zone, DEFAULT_IANA_TIME_ZONE);
        let vbr_id = self.value("vbr.vbr_id", raw.vbr_id, DEFAULT_VBR_ID, |id| {
            Uuid::parse_str(&id).map_err(|_| format!("`{id}` is not a UUID"))
        });
        let platform =
            self.value("vbr.platform", raw.platform, "Windows", |platform| match platform.as_str() {
                "Windows" => Ok("Windows"),
                "Linux" => Ok("Linux"),
                other => Err(format!("unknown platform `{other}`; expected \"Windows\" or \"Linux\"")),
            });
        let users = self.vbr_users(raw.users);
        let grants = self.vbr_grants(raw.grants, &users);
        VbrSettings {
            versions,
            access_token_lifetime: access,
            refresh_token_lifetime: refresh,
            short_term_refresh_lifetime: short,
            authorization_code_lifetime: code,
            time_offset,
            unauthorized_json,
            detailed_token_errors,
            token_username: raw.token_username.unwrap_or(false),
            server_name,
            build_version,
            vbr_id,
            platform,
            time_zone,
            iana_time_zone,
            users,
            grants,
        }
    }

    /// `versions` if given, else the `preset`'s (default 13.1's), oldest first.
    fn vbr_versions(
        &mut self,
        preset: Option<Spanned<String>>,
        raw: Option<Spanned<Vec<Spanned<String>>>>,
    ) -> Vec<ApiVersion> {
        let default = version::preset("13.1").unwrap_or_default();
        let from_preset = self.value("vbr.preset", preset, default, |name| {
            version::preset(&name).ok_or_else(|| {
                let names: Vec<&str> = PRESETS.iter().map(|(name, _, _)| *name).collect();
                format!("unknown preset `{name}`; expected one of {}", names.join(", "))
            })
        });
        let Some(raw) = raw else { return from_preset };
        let known = || KNOWN.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        let list_span = raw.span();
        let raw = self.capped("vbr.versions", raw.into_inner(), MAX_VERSIONS, Spanned::span);
        if raw.is_empty() {
            self.report("vbr.versions", list_span, "list at least one version");
        }
        let mut versions = Vec::with_capacity(raw.len());
        for (index, text) in raw.into_iter().enumerate() {
            match ApiVersion::parse(text.get_ref()).filter(|version| KNOWN.contains(version)) {
                Some(version) if !versions.contains(&version) => versions.push(version),
                Some(_) => {}
                None => {
                    let message =
                        format!("unknown version `{}`; expected one of {}", text.get_ref(), known());
                    self.report(format!("vbr.versions[{index}]"), text.span(), message);
                }
            }
        }
        versions.sort_unstable();
        if versions.is_empty() {
            return from_preset;
        }
        versions
    }

    fn vbr_users(&mut self, raw: Vec<RawVbrUser>) -> Vec<VbrUser> {
        if raw.is_empty() {
            // A server always has its administrator; the documents' examples sign in as it.
            return vec![VbrUser {
                username: "administrator".to_owned(),
                password: Some(Secret::new("PassWord1".to_owned())),
                role: VbrRole::BackupAdministrator,
                aliases: Vec::new(),
                mfa: false,
            }];
        }
        let raw = self.capped("vbr.users", raw, MAX_USERS, |user| user.username.span());
        let mut users = Vec::with_capacity(raw.len());
        // Lower-cased name -> index of the user who has it: one lookup per name keeps this linear.
        let mut first_with: HashMap<String, usize> = HashMap::with_capacity(raw.len());
        for (index, user) in raw.into_iter().enumerate() {
            let path = format!("vbr.users[{index}]");
            let name = user.username.get_ref().trim().to_owned();
            let mut claim = |check: &mut Checker, field: String, text: &str, span| {
                if text.trim().is_empty() {
                    check.report(field, span, "a user name cannot be empty");
                } else if let Some(first) = first_with.get(&text.trim().to_ascii_lowercase()) {
                    let message = format!(
                        "`{text}` is already used by vbr.users[{first}] (names are case-insensitive)"
                    );
                    check.report(field, span, message);
                } else {
                    first_with.insert(text.trim().to_ascii_lowercase(), index);
                }
            };
            claim(self, format!("{path}.username"), &name, user.username.span());
            let mut aliases = Vec::with_capacity(user.aliases.len());
            for (number, alias) in user.aliases.into_iter().enumerate() {
                claim(self, format!("{path}.aliases[{number}]"), alias.get_ref(), alias.span());
                aliases.push(alias.into_inner().trim().to_owned());
            }
            let password = user.password.map(|password| {
                if password.get_ref().is_empty() {
                    self.report(format!("{path}.password"), password.span(), "a password cannot be empty");
                }
                Secret::new(password.into_inner())
            });
            let role = self.value(&format!("{path}.role"), user.role, VbrRole::BackupAdministrator, |role| {
                VbrRole::parse(&role).ok_or_else(|| {
                    let names: Vec<&str> = VbrRole::ALL.iter().map(|r| r.name()).collect();
                    format!("unknown role `{role}`; expected one of {}", names.join(", "))
                })
            });
            users.push(VbrUser { username: name, password, role, aliases, mfa: user.mfa.unwrap_or(false) });
        }
        users
    }

    fn vbr_grants(&mut self, raw: Vec<RawVbrGrant>, users: &[VbrUser]) -> Vec<VbrGrant> {
        let raw = self.capped("vbr.grants", raw, MAX_GRANTS, |grant| grant.grant_type.span());
        let known: HashSet<String> = users.iter().map(|u| u.username.to_ascii_lowercase()).collect();
        let mut grants = Vec::with_capacity(raw.len());
        for (index, grant) in raw.into_iter().enumerate() {
            let path = format!("vbr.grants[{index}]");
            let kind = self.value(
                &format!("{path}.grant_type"),
                Some(grant.grant_type),
                GrantKind::VbrToken,
                |kind| match kind.to_ascii_lowercase().as_str() {
                    "vbr_token" => Ok(GrantKind::VbrToken),
                    "authorization_code" => Ok(GrantKind::AuthorizationCode),
                    _ => Err(format!(
                        "unknown grant `{kind}`; expected \"vbr_token\" or \"authorization_code\""
                    )),
                },
            );
            if grant.value.get_ref().is_empty() {
                self.report(format!("{path}.value"), grant.value.span(), "a grant value cannot be empty");
            }
            if !known.contains(&grant.user.get_ref().trim().to_ascii_lowercase()) {
                let message = format!("`{}` is not a user in [[vbr.users]]", grant.user.get_ref());
                self.report(format!("{path}.user"), grant.user.span(), message);
            }
            grants.push(VbrGrant {
                kind,
                value: Secret::new(grant.value.into_inner()),
                user: grant.user.into_inner().trim().to_owned(),
                single_use: grant.single_use.unwrap_or(false),
            });
        }
        grants
    }
}

fn minutes(count: u64) -> Duration {
    Duration::from_secs(count * 60)
}
