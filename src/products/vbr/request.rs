//! Parsing a `POST /api/oauth2/token` request (`TokenLoginSpec`) the way ASP.NET's `[FromForm]`
//! binding does: form bodies only, field names and `grant_type` values matched in any case (so
//! both spellings, `password` of 1.2-rev1/1.3-rev0 and `Password` of 1.3-rev1 on, pass under
//! every revision), unknown and empty fields ignored, booleans in any case.

use super::error::VbrError;
use crate::request::media::media_type;

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
        let text = text.trim();
        if let Ok(number) = text.parse::<usize>() {
            return GrantType::NAMES.get(number).map(|(grant, _)| *grant);
        }
        GrantType::NAMES.iter().find(|(_, name)| name.eq_ignore_ascii_case(text)).map(|(grant, _)| *grant)
    }
}

/// A parsed token request.
#[derive(Debug)]
pub(crate) struct TokenRequest {
    pub(crate) grant_type: GrantType,
    /// `use_short_term_refresh`: `None` when absent or empty.
    pub(crate) short_term: Option<bool>,
    fields: Vec<(String, String)>,
}

impl TokenRequest {
    /// Parses a body sent with `content_type`: 400 `UnexpectedContent` for anything but a form,
    /// a missing or unknown `grant_type` or a flag that is not a boolean.
    pub(crate) fn parse(content_type: Option<&str>, body: &[u8]) -> Result<TokenRequest, VbrError> {
        let media_type = content_type.map(media_type).unwrap_or_default().to_ascii_lowercase();
        if media_type != "application/x-www-form-urlencoded" {
            return Err(VbrError::BadRequest);
        }
        // Lenient like ASP.NET: invalid UTF-8 becomes U+FFFD; pairs never fail to decode.
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
        let mut request = TokenRequest { grant_type: GrantType::Password, short_term: None, fields };
        request.grant_type =
            request.text("grant_type").and_then(GrantType::parse).ok_or(VbrError::BadRequest)?;
        if let Some(text) = request.text("use_short_term_refresh") {
            request.short_term = match text.trim() {
                t if t.eq_ignore_ascii_case("true") => Some(true),
                t if t.eq_ignore_ascii_case("false") => Some(false),
                _ => return Err(VbrError::BadRequest),
            };
        }
        Ok(request)
    }

    /// A text field by name (any case); the first non-empty value of a repeated name wins, and
    /// an empty value counts as absent.
    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(field, value)| field.eq_ignore_ascii_case(name) && !value.is_empty())
            .map(|(_, value)| value.as_str())
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
