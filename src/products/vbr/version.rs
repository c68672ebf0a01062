//! VBR's REST API versions as the `x-api-version` header names them (`1.3-rev2`): parsing,
//! ordering, and the lists the mock knows (every revision a release has served, and the presets
//! a scenario can pick a server's set by).
//!
//! The header is required on every call; its value is `<version>-<revision>` (the documents'
//! `apiVersionParam`). The real server's answer to a missing or unserved one is 400 with the
//! supported list (see [`super::error::VbrError::Version`]).

use std::fmt;

/// One REST API revision: `major.minor-revN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct ApiVersion {
    major: u8,
    minor: u8,
    revision: u8,
}

impl ApiVersion {
    /// `major.minor-rev<revision>`.
    pub(crate) const fn new(major: u8, minor: u8, revision: u8) -> ApiVersion {
        ApiVersion { major, minor, revision }
    }

    /// Parses `1.3-rev2` (`rev` in any case, surrounding blanks ignored); `None` for anything
    /// else, including an empty value.
    pub(crate) fn parse(text: &str) -> Option<ApiVersion> {
        let (version, revision) = text.trim().split_once('-')?;
        let (major, minor) = version.split_once('.')?;
        let revision =
            revision.get(..3).filter(|rev| rev.eq_ignore_ascii_case("rev")).and(revision.get(3..))?;
        let number = |text: &str| -> Option<u8> {
            (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
                .then(|| text.parse().ok())
                .flatten()
        };
        Some(ApiVersion { major: number(major)?, minor: number(minor)?, revision: number(revision)? })
    }

    /// Whether this revision still has `POST /api/oauth2/authorization_code` (removed in 1.3-rev0).
    pub(crate) fn has_authorization_code_issuer(self) -> bool {
        self <= ApiVersion::new(1, 2, 1)
    }

    /// Whether `ServerInfoModel` has the 1.3 members (`platform`, `veeamRegistration`).
    pub(crate) fn has_platform(self) -> bool {
        self >= ApiVersion::new(1, 3, 0)
    }

    /// Whether `ServerTimeModel` has `ianaTimeZoneId` (from 1.3-rev2).
    pub(crate) fn has_iana_time_zone(self) -> bool {
        self >= ApiVersion::new(1, 3, 2)
    }

    /// Whether a custom-role user may sign in: 1.3-rev0 and 1.3-rev1 allow built-in roles only.
    pub(crate) fn allows_custom_roles(self) -> bool {
        !(ApiVersion::new(1, 3, 0)..=ApiVersion::new(1, 3, 1)).contains(&self)
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}-rev{}", self.major, self.minor, self.revision)
    }
}

/// Every revision a VBR release has served (the documents' "REST API Revisions" table), oldest
/// first.
pub(crate) const KNOWN: [ApiVersion; 10] = [
    ApiVersion::new(1, 0, 1),
    ApiVersion::new(1, 0, 2),
    ApiVersion::new(1, 1, 0),
    ApiVersion::new(1, 1, 1),
    ApiVersion::new(1, 1, 2),
    ApiVersion::new(1, 2, 0),
    ApiVersion::new(1, 2, 1),
    ApiVersion::new(1, 3, 0),
    ApiVersion::new(1, 3, 1),
    ApiVersion::new(1, 3, 2),
];

/// A server release and the revisions it serves: 13.x drops the 1.0 revisions ("Unsupported"
/// in the 1.3-rev1 document), 12.3 serves 1.0-rev1 up to its own 1.2-rev1.
pub(crate) const PRESETS: [(&str, ApiVersion, ApiVersion); 4] = [
    ("13.1", ApiVersion::new(1, 1, 0), ApiVersion::new(1, 3, 2)),
    ("13.0.1", ApiVersion::new(1, 1, 0), ApiVersion::new(1, 3, 1)),
    ("13.0", ApiVersion::new(1, 0, 1), ApiVersion::new(1, 3, 0)),
    ("12.3", ApiVersion::new(1, 0, 1), ApiVersion::new(1, 2, 1)),
];

/// The revisions of the preset `name` (`13.1`), oldest first.
pub(crate) fn preset(name: &str) -> Option<Vec<ApiVersion>> {
    let (_, first, last) = PRESETS.iter().find(|(preset, _, _)| *preset == name.trim())?;
    Some(KNOWN.iter().copied().filter(|version| (first..=last).contains(&version)).collect())
}

/// The supported list as the server writes it: `v1.1-rev0, v1.1-rev1, ...` (ascending).
pub(crate) fn supported_list(versions: &[ApiVersion]) -> String {
    versions.iter().map(|version| format!("v{version}")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_in_the_header_form_only() {
        assert_eq!(ApiVersion::parse("1.3-rev2"), Some(ApiVersion::new(1, 3, 2)));
        assert_eq!(ApiVersion::parse(" 1.0-REV1 "), Some(ApiVersion::new(1, 0, 1)));
        for bad in ["", "8.1", "v1.3-rev2", "1.3", "1.3-rev", "1.3-r2", "1.x-rev0", "1.3-rev+1"] {
            assert_eq!(ApiVersion::parse(bad), None, "{bad}");
        }
        assert_eq!(ApiVersion::new(1, 3, 2).to_string(), "1.3-rev2");
    }

    #[test]
    fn presets_and_the_supported_sentence() {
        let served = preset("13.1").expect("known");
        assert_eq!(served.first().map(ToString::to_string).as_deref(), Some("1.1-rev0"));
        assert_eq!(served.len(), 8);
        assert_eq!(preset("12.3").expect("known").len(), 7);
        assert_eq!(supported_list(&served[..2]), "v1.1-rev0, v1.1-rev1");
        assert!(
            !ApiVersion::new(1, 3, 0).allows_custom_roles() && ApiVersion::new(1, 3, 2).allows_custom_roles()
        );
    }
}
