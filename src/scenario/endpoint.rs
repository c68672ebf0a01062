//! Stable names for the mock's product routes, used by faults and the request journal
//! (`vb365.token`, `azure.token`, ...), so that a test can say "the token endpoint" whatever the
//! version, case or trailing slash of the path a client sends.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! endpoints {
    ($( $(#[$doc:meta])* $variant:ident => $name:literal, )*) => {
        /// A product route, by its stable name (what `[[faults]] endpoint = "..."` and the
        /// journal use).
        ///
        /// ```
        /// use veeam_auth_mock::Endpoint;
        ///
        /// let endpoint: Endpoint = "vb365.token".parse().expect("a known name");
        /// assert_eq!(endpoint, Endpoint::Vb365Token);
        /// assert_eq!(endpoint.name(), "vb365.token");
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Endpoint {
            $( $(#[$doc])* $variant, )*
        }

        impl Endpoint {
            /// Every endpoint, in a stable order.
            pub const ALL: &'static [Endpoint] = &[ $( Endpoint::$variant, )* ];

            /// The stable name, such as `vb365.token`.
            pub fn name(self) -> &'static str {
                match self {
                    $( Endpoint::$variant => $name, )*
                }
            }
        }
    };
}

endpoints! {
    /// `POST /vX/token` (every VB365 version and grant).
    Vb365Token => "vb365.token",
    /// `POST /v7|v8/token/logout`.
    Vb365Logout => "vb365.logout",
    /// `POST /v7|v8/token/AuthCode`.
    Vb365AuthCode => "vb365.authcode",
    /// `GET /v8/Health`.
    Vb365Health => "vb365.health",
    /// `GET /vX/RestorePortalSettings`.
    Vb365RestorePortalSettings => "vb365.restore_portal_settings",
    /// `GET /vX/ServiceInstance`.
    Vb365ServiceInstance => "vb365.service_instance",
    /// `GET /vX/Organization/LoggedInUser`.
    Vb365LoggedInUser => "vb365.logged_in_user",
    /// `GET /vX/Organization/LoggedInUser/OperatorInfo`.
    Vb365OperatorInfo => "vb365.operator_info",
    /// Starting a restore session (`.../explore`, `.../OperatorExplore`, legacy `.../Action`).
    Vb365Explore => "vb365.explore",
    /// `GET /vX/RestoreSessions/{id}`.
    Vb365RestoreSession => "vb365.restore_session",
    /// Stopping a restore session (`.../Stop`, legacy `.../Action`).
    Vb365RestoreSessionStop => "vb365.restore_session_stop",
    /// `POST /api/oauth2/token` (every VBAzure grant).
    AzureToken => "azure.token",
    /// `DELETE /api/oauth2/token`.
    AzureLogout => "azure.logout",
    /// `POST /api/oauth2/authorization_code`.
    AzureAuthorizationCode => "azure.authorization_code",
    /// `GET /api/vX/system/about`.
    AzureAbout => "azure.about",
    /// `GET /api/vX/system/serverInfo`.
    AzureServerInfo => "azure.server_info",
    /// `GET /api/vX/system/status`.
    AzureStatus => "azure.status",
    /// `GET /api/vX/system/serviceIsUp`.
    AzureServiceIsUp => "azure.service_is_up",
    /// `GET /api/vX/licenseAgreement/accepted` and `POST .../accept`.
    AzureLicenseAgreement => "azure.license_agreement",
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An endpoint name that is not one of [`Endpoint::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown endpoint `{given}`; expected one of: {}", known_names())]
pub struct UnknownEndpoint {
    /// The name given.
    pub given: String,
}

fn known_names() -> String {
    Endpoint::ALL.iter().map(|e| e.name()).collect::<Vec<_>>().join(", ")
}

impl FromStr for Endpoint {
    type Err = UnknownEndpoint;

    fn from_str(text: &str) -> Result<Endpoint, UnknownEndpoint> {
        let wanted = text.trim().to_ascii_lowercase();
        Endpoint::ALL
            .iter()
            .copied()
            .find(|endpoint| endpoint.name() == wanted)
            .ok_or_else(|| UnknownEndpoint { given: text.to_owned() })
    }
}

impl Serialize for Endpoint {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Endpoint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Endpoint, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for endpoint in Endpoint::ALL {
            assert!(seen.insert(endpoint.name()), "duplicate {endpoint}");
            assert_eq!(endpoint.name().parse::<Endpoint>(), Ok(*endpoint));
        }
        assert_eq!("VB365.Token".parse::<Endpoint>(), Ok(Endpoint::Vb365Token));
        let err = "vb365.tokens".parse::<Endpoint>().unwrap_err();
        assert!(err.to_string().contains("expected one of: vb365.token"), "{err}");
    }
}
