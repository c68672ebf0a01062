//! Parsing a `POST /api/oauth2/token` request (`TokenLoginSpec`) the way ASP.NET's `[FromForm]`
//! binding does: form bodies only, field names and `grant_type` values matched in any case (so
//! both spellings, `password` of 1.2-rev1/1.3-rev0 and `Password` of 1.3-rev1 on, pass under
//! every revision), unknown and empty fields ignored, booleans in any case.

use super::error::VbrError;
use crate::request::form::{DotnetForm, enum_member};

/// `ELoginGrantType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GrantType {
    Password,
    RefreshToken,
    AuthorizationCode,
    VbrToken,
}

impl GrantType {
    /// The members in enum order, in the 1.3-rev1 spelling.
    const NAMES: [(GrantType, &'static str); 4] = [
        (GrantType::Password, "Password"),
        (GrantType::RefreshToken, "Refresh_token"),
        (GrantType::AuthorizationCode, "Authorization_code"),
        (GrantType::VbrToken, "Vbr_token"),
    ];

    /// Parses a name in any case, or the member's number (.NET's enum binding takes both).
    fn parse(text: &str) -> Option<GrantType> {
        enum_member(&GrantType::NAMES, text)
    }
}

/// A parsed token request.
#[derive(Debug)]
pub(crate) struct TokenRequest {
    pub(crate) grant_type: GrantType,
    /// `use_short_term_refresh`: `None` when absent or empty.
    pub(crate) short_term: Option<bool>,
    form: DotnetForm,
}

impl TokenRequest {
    /// Parses a body sent with `content_type`: 400 `UnexpectedContent` for anything but a form,
    /// a missing or unknown `grant_type` or a flag that is not a boolean.
    pub(crate) fn parse(content_type: Option<&str>, body: &[u8]) -> Result<TokenRequest, VbrError> {
        if !DotnetForm::is_form(content_type) {
            return Err(VbrError::BadRequest);
        }
        let form = DotnetForm::read(body);
        let grant_type = form.text("grant_type").and_then(GrantType::parse).ok_or(VbrError::BadRequest)?;
        let short_term = form.flag("use_short_term_refresh").map_err(|_| VbrError::BadRequest)?;
        Ok(TokenRequest { grant_type, short_term, form })
    }

    /// A text field by name (see [`DotnetForm::text`]).
    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        self.form.text(name)
    }

    /// A field the grant needs: 400 when it is missing.
    pub(crate) fn required(&self, name: &str) -> Result<&str, VbrError> {
        self.text(name).ok_or(VbrError::BadRequest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORM: Option<&str> = Some("application/x-www-form-urlencoded; charset=utf-8");

    #[test]
    fn both_spellings_and_any_case_bind() {
        for (body, grant) in [
            (&b"grant_type=password"[..], GrantType::Password),
            (b"grant_type=Password", GrantType::Password),
            (b"Grant_Type=REFRESH_TOKEN", GrantType::RefreshToken),
            (b"grant_type=authorization_code", GrantType::AuthorizationCode),
            (b"grant_type=Vbr_token", GrantType::VbrToken),
            (b"grant_type=1", GrantType::RefreshToken),
        ] {
            assert_eq!(TokenRequest::parse(FORM, body).expect("parses").grant_type, grant, "{body:?}");
        }
        let set =
            TokenRequest::parse(FORM, b"grant_type=password&use_short_term_refresh=True").expect("parses");
        assert_eq!(set.short_term, Some(true));
    }

    #[test]
    fn a_missing_or_unknown_grant_a_bad_flag_or_json_is_a_bad_request() {
        for (content_type, body) in [
            (FORM, &b"username=a"[..]),
            (FORM, b"grant_type=client_credentials"),
            (FORM, b"grant_type=password&use_short_term_refresh=yes"),
            (Some("application/json"), b"{\"grant_type\":\"password\"}"),
            (None, b"grant_type=password"),
        ] {
            assert!(matches!(TokenRequest::parse(content_type, body), Err(VbrError::BadRequest)), "{body:?}");
        }
    }
}
