//! Parsing a `POST /api/oauth2/token` request (`LoginFromClient`), the way ASP.NET Core's
//! `[FromForm]` binding does: form bodies only, field names and `grant_type` values matched
//! case-insensitively, unknown and empty fields ignored, a missing `grant_type` read as
//! `Password` (the enum's first member, C#'s default).

use super::problem::AzureError;
use crate::request::media::media_type;

/// `GrantType` (`Veeam.Azure.REST.Latest.GrantType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GrantType {
    Password,
    RefreshToken,
    Mfa,
    UpdaterToken,
    Saml,
    SsoToken,
    AuthenticationCode,
    Unknown,
}

impl GrantType {
    const NAMES: [(GrantType, &'static str); 8] = [
        (GrantType::Password, "Password"),
        (GrantType::RefreshToken, "Refresh_token"),
        (GrantType::Mfa, "Mfa"),
        (GrantType::UpdaterToken, "Updater_token"),
        (GrantType::Saml, "Saml"),
        (GrantType::SsoToken, "SsoToken"),
        (GrantType::AuthenticationCode, "Authentication_code"),
        (GrantType::Unknown, "Unknown"),
    ];

    /// Parses a name in any case, or the member's number (.NET's `EnumConverter` takes both).
    fn parse(text: &str) -> Option<GrantType> {
        let text = text.trim();
        if let Ok(number) = text.parse::<usize>() {
            return GrantType::NAMES.get(number).map(|(grant, _)| *grant);
        }
        GrantType::NAMES.iter().find(|(_, name)| name.eq_ignore_ascii_case(text)).map(|(grant, _)| *grant)
    }
}

/// A parsed token request.
#[derive(Debug)]
pub(crate) struct LoginRequest {
    pub(crate) grant_type: GrantType,
    /// `short_lived_refresh_token`: `None` when absent or empty.
    pub(crate) short_lived: Option<bool>,
    fields: Vec<(String, String)>,
}

impl LoginRequest {
    /// Parses a body sent with `content_type`: 415 for anything but a form, 400 for a field
    /// that does not bind.
    pub(crate) fn parse(content_type: Option<&str>, body: &[u8]) -> Result<LoginRequest, AzureError> {
        let media_type = content_type.map(media_type).unwrap_or_default().to_ascii_lowercase();
        if media_type != "application/x-www-form-urlencoded" {
            return Err(AzureError::UnsupportedMediaType);
        }
        // Lenient like ASP.NET: invalid UTF-8 becomes U+FFFD; pairs never fail to decode.
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
        let mut request = LoginRequest { grant_type: GrantType::Password, short_lived: None, fields };
        let mut errors = Vec::new();
        if let Some(text) = request.text("grant_type") {
            match GrantType::parse(text) {
                Some(grant) => request.grant_type = grant,
                None => errors.push((
                    "grant_type".to_owned(),
                    format!("The value '{text}' is not valid for grant_type."),
                )),
            }
        }
        if let Some(text) = request.text("short_lived_refresh_token") {
            match text.trim() {
                t if t.eq_ignore_ascii_case("true") => request.short_lived = Some(true),
                t if t.eq_ignore_ascii_case("false") => request.short_lived = Some(false),
                _ => errors.push((
                    "short_lived_refresh_token".to_owned(),
                    format!("The value '{text}' is not valid for short_lived_refresh_token."),
                )),
            }
        }
        if errors.is_empty() { Ok(request) } else { Err(AzureError::Validation { errors }) }
    }

    /// A text field by name (any case); the first non-empty value of a repeated name wins, and
    /// an empty value counts as absent.
    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(field, value)| field.eq_ignore_ascii_case(name) && !value.is_empty())
            .map(|(_, value)| value.as_str())
    }

    /// A field the grant needs: 400 with `errors.<name>` when it is missing.
    pub(crate) fn required(&self, name: &str) -> Result<&str, AzureError> {
        self.text(name).ok_or_else(|| AzureError::invalid(name, format!("The {name} field is required.")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORM: Option<&str> = Some("application/x-www-form-urlencoded; charset=utf-8");

    #[test]
    fn grant_names_and_field_names_match_in_any_case() {
        for (body, grant) in [
            (&b"grant_type=password"[..], GrantType::Password),
            (b"Grant_Type=REFRESH_TOKEN", GrantType::RefreshToken),
            (b"grant_type=mfa", GrantType::Mfa),
            (b"grant_type=Authentication_code", GrantType::AuthenticationCode),
            (b"grant_type=2", GrantType::Mfa),
            (b"username=a", GrantType::Password),
            (b"grant_type=&username=a", GrantType::Password),
        ] {
            assert_eq!(LoginRequest::parse(FORM, body).expect("parses").grant_type, grant, "{body:?}");
        }
        let request = LoginRequest::parse(FORM, b"&Username=admin&Password=pa%24%24+w%26rd&rememberMe=false")
            .expect("parses");
        assert_eq!(request.text("username"), Some("admin"));
        assert_eq!(request.text("password"), Some("pa$$ w&rd"));
    }

    #[test]
    fn an_empty_short_lived_flag_is_null_and_a_bad_one_is_a_validation_error() {
        let empty = LoginRequest::parse(FORM, b"short_lived_refresh_token=&mfa_token=").expect("parses");
        assert_eq!(empty.short_lived, None);
        assert_eq!(empty.text("mfa_token"), None);
        let set = LoginRequest::parse(FORM, b"short_lived_refresh_token=True").expect("parses");
        assert_eq!(set.short_lived, Some(true));
        let Err(AzureError::Validation { errors }) =
            LoginRequest::parse(FORM, b"grant_type=client_credentials&short_lived_refresh_token=yes")
        else {
            panic!("a validation error")
        };
        let fields: Vec<&str> = errors.iter().map(|(field, _)| field.as_str()).collect();
        assert_eq!(fields, ["grant_type", "short_lived_refresh_token"]);
        assert_eq!(errors[0].1, "The value 'client_credentials' is not valid for grant_type.");
    }

    #[test]
    fn anything_but_a_form_is_an_unsupported_media_type() {
        for content_type in [Some("application/json"), Some("text/plain"), None] {
            assert!(matches!(
                LoginRequest::parse(content_type, b"{}"),
                Err(AzureError::UnsupportedMediaType)
            ));
        }
    }
}
