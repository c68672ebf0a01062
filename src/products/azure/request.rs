//! Parsing a `POST /api/oauth2/token` request (`LoginFromClient`), the way ASP.NET Core's
//! `[FromForm]` binding does: form bodies only, field names and `grant_type` values matched
//! case-insensitively, unknown and empty fields ignored, a missing `grant_type` read as
//! `Password` (the enum's first member, C#'s default).

use super::problem::AzureError;
use crate::request::form::{DotnetForm, enum_member};

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
        enum_member(&GrantType::NAMES, text)
    }
}

/// A parsed token request.
#[derive(Debug)]
pub(crate) struct LoginRequest {
    pub(crate) grant_type: GrantType,
    /// `short_lived_refresh_token`: `None` when absent or empty.
    pub(crate) short_lived: Option<bool>,
    form: DotnetForm,
}

impl LoginRequest {
    /// Parses a body sent with `content_type`: 415 for anything but a form, 400 for a field
    /// that does not bind.
    pub(crate) fn parse(content_type: Option<&str>, body: &[u8]) -> Result<LoginRequest, AzureError> {
        if !DotnetForm::is_form(content_type) {
            return Err(AzureError::UnsupportedMediaType);
        }
        let form = DotnetForm::read(body);
        let mut errors = Vec::new();
        let not_valid = |field: &str, text: &str| {
            (field.to_owned(), format!("The value '{text}' is not valid for {field}."))
        };
        let grant_type = match form.text("grant_type") {
            None => GrantType::Password,
            Some(text) => GrantType::parse(text).unwrap_or_else(|| {
                errors.push(not_valid("grant_type", text));
                GrantType::Password
            }),
        };
        let short_lived = form.flag("short_lived_refresh_token").unwrap_or_else(|text| {
            errors.push(not_valid("short_lived_refresh_token", text));
            None
        });
        if errors.is_empty() {
            Ok(LoginRequest { grant_type, short_lived, form })
        } else {
            Err(AzureError::Validation { errors })
        }
    }

    /// A text field by name (see [`DotnetForm::text`]).
    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        self.form.text(name)
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
