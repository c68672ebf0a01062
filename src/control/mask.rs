//! Masking secrets before anything is recorded: the journal must never hold a password, a
//! token, an MFA code or a cookie value, yet should show enough to debug a test (which grant,
//! which user, which scheme).

/// Form or JSON fields shown as sent; every other field's value is masked. An allow-list, so a
/// secret field the mock does not know yet (a new grant's assertion) is masked too.
const VISIBLE_FIELDS: &[&str] = &[
    "grant_type",
    "granttype",
    "username",
    "client_id",
    "disable_antiforgery_token",
    "short_lived_refresh_token",
    "scope",
    "redirect_uri",
    "response_type",
    "state",
    "url",
    "type",
    "datetime",
    "api-version",
];

/// What a masked value reads as.
pub(crate) const MASK: &str = "***";

/// A form field's value as the journal may show it.
pub(crate) fn mask_field(name: &str, value: &str) -> String {
    let visible = VISIBLE_FIELDS.iter().any(|field| field.eq_ignore_ascii_case(name));
    if visible || value.is_empty() { value.to_owned() } else { MASK.to_owned() }
}

/// A request header's value as the journal may show it: credentials keep only their scheme,
/// cookies only their names, and anything that looks like a token is masked. Takes the raw
/// bytes and decodes only what it keeps, so a bearer token is never copied (this runs for every
/// journaled request).
pub(crate) fn mask_header(name: &str, value: &[u8]) -> String {
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).trim().to_owned();
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        "authorization" | "proxy-authorization" => match value.iter().position(|&b| b == b' ') {
            Some(space) => format!("{} {MASK}", text(&value[..space])),
            None => MASK.to_owned(),
        },
        "cookie" => value
            .split(|&b| b == b';')
            .map(|pair| match pair.iter().position(|&b| b == b'=') {
                Some(equals) => format!("{}={MASK}", text(&pair[..equals])),
                None => MASK.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("; "),
        _ if ["token", "xsrf", "csrf", "secret", "key", "password", "session", "auth"]
            .iter()
            .any(|word| lower.contains(word)) =>
        {
            MASK.to_owned()
        }
        _ => String::from_utf8_lossy(value).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_and_the_rest_is_kept() {
        assert_eq!(mask_field("password", "PassWord1"), MASK);
        assert_eq!(mask_field("refresh_token", "eyJ..."), MASK);
        assert_eq!(mask_field("mfa_code", "123456"), MASK);
        assert_eq!(mask_field("some_new_assertion", "x"), MASK);
        assert_eq!(mask_field("Grant_Type", "password"), "password");
        assert_eq!(mask_field("username", "Administrator"), "Administrator");
        assert_eq!(mask_header("Authorization", b"Bearer eyJhbGci"), "Bearer ***");
        assert_eq!(mask_header("cookie", b"XSRF-TOKEN=abc; other=1"), "XSRF-TOKEN=***; other=***");
        assert_eq!(mask_header("X-XSRF-TOKEN", b"abc"), MASK);
        assert_eq!(mask_header("X-Admin-Token", b"abc"), MASK);
        assert_eq!(mask_header("content-type", b"application/json"), "application/json");
    }
}
