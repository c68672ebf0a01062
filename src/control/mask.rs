//! Masking secrets before anything is recorded: the journal must never hold a password, a
//! token, an MFA code or a cookie value, yet should show enough to debug a test (which grant,
//! which user, which scheme).
//!
//! Everything works by allow-list, so that a client's mistake cannot slip a secret past a rule
//! that did not foresee it:
//! - **headers**: only those on [`VISIBLE_HEADERS`] keep their value; every other header keeps
//!   its name with a masked value. `Authorization` keeps its scheme only when it is a known one
//!   (a token sent without a scheme is masked whole), `Cookie` keeps its cookie names, and the
//!   scenario's antiforgery header is masked whatever it is called;
//! - **fields** (a token request's form or JSON body, a query string): a name the products
//!   know is shown, any other name is masked (a password with an unencoded `&` turns its tail
//!   into a "name"), and so is a form piece with no `=`; values are shown only for the fields
//!   on [`VISIBLE_FIELDS`], and only when they are plain text (not a JSON object or array, not
//!   something with `&`, `=` or quotes inside; a URL loses its query and fragment);
//! - a **body** that does not parse as its content type (JSON sent as a form or with none,
//!   malformed JSON, a JSON array, text) is masked whole: it shows as one field,
//!   [`UNPARSED_BODY`] = `***`.

/// Form or JSON fields shown as sent; every other field's value is masked. An allow-list, so a
/// secret field the mock does not know yet (a new grant's assertion) is masked too.
const VISIBLE_FIELDS: &[&str] = &[
    "grant_type",
    "granttype",
    "username",
    "client_id",
    "disable_antiforgery_token",
    "short_lived_refresh_token",
    // VBR's short-term refresh flag.
    "use_short_term_refresh",
    "scope",
    "redirect_uri",
    "response_type",
    "state",
    "url",
    "type",
    "datetime",
    "api-version",
    // The paging parameters of declared routes (VB365 `offset`/`limit`, VBAzure
    // `Offset`/`Limit`): numbers a reader of the journal wants to see.
    "offset",
    "limit",
    // VBR's (`skip`/`limit`).
    "skip",
];

/// Fields whose name is shown but whose value is always masked: the secrets the products (and
/// the OAuth grants they resemble) take. Any name on neither list is masked too.
const SECRET_FIELDS: &[&str] = &[
    "password",
    "refresh_token",
    "access_token",
    "mfa_token",
    "mfa_code",
    "code",
    "authorization_code",
    "assertion",
    "client_secret",
    "client_assertion",
    "client_assertion_type",
    "code_verifier",
    "id_token",
    "token",
    // VB365's single-use code for the routes that take `?authCode=` instead of a bearer.
    "authcode",
    // VBR's platform service token grant.
    "vbr_token",
];

/// Request headers shown as sent. Every other header keeps its name and shows [`MASK`].
const VISIBLE_HEADERS: &[&str] = &[
    "accept",
    "accept-charset",
    "accept-encoding",
    "accept-language",
    "cache-control",
    "connection",
    "content-encoding",
    "content-language",
    "content-length",
    "content-type",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "pragma",
    "te",
    "traceparent",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "via",
    // The REST API revision every VBR call carries: what a reader of the journal looks for.
    "x-api-version",
    "x-correlation-id",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-proto",
    "x-request-id",
    "x-requested-with",
];

/// `Authorization` schemes shown (the credentials after them never are).
const KNOWN_SCHEMES: &[&str] = &["Basic", "Bearer", "Digest", "Negotiate", "NTLM", "OAuth"];

/// The field name a body that did not parse as its content type is recorded under.
pub(crate) const UNPARSED_BODY: &str = "(unparsed body)";

/// What a masked value reads as.
pub(crate) const MASK: &str = "***";

fn on(list: &[&str], name: &str) -> bool {
    list.iter().any(|known| known.eq_ignore_ascii_case(name))
}

/// A field as the journal may show it: its name if the products know it, its value if it is
/// on the allow-list and plain.
pub(crate) fn mask_field(name: &str, value: &str) -> (String, String) {
    let known = on(VISIBLE_FIELDS, name) || on(SECRET_FIELDS, name);
    let name = if known { name.to_owned() } else { MASK.to_owned() };
    if value.is_empty() {
        return (name, String::new());
    }
    let shown = if on(VISIBLE_FIELDS, &name) { plain(value) } else { None };
    (name, shown.unwrap_or_else(|| MASK.to_owned()))
}

/// An allow-listed value, if it carries nothing that could hide a secret: a URL keeps its
/// scheme, host and path only; a value with `&`, `=`, quotes or brackets (a form or JSON pasted
/// into a field) is masked whole.
fn plain(value: &str) -> Option<String> {
    if value.contains("://") {
        let end = value.find(['?', '#']).unwrap_or(value.len());
        let base = &value[..end];
        let userinfo =
            base.split("://").nth(1).is_some_and(|rest| rest.split('/').next().unwrap_or("").contains('@'));
        return (!userinfo)
            .then(|| if end < value.len() { format!("{base}?{MASK}") } else { base.to_owned() });
    }
    (!value.contains(['&', '=', '"', '{', '}', '[', ']'])).then(|| value.to_owned())
}

/// A token request's body as journal fields, masked: parsed as its content type (JSON when it
/// says JSON, a form otherwise), or masked whole when it does not parse as that.
pub(crate) fn mask_body(content_type: Option<&str>, body: &[u8]) -> Vec<(String, String)> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Vec::new();
    }
    let media = content_type.unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let parsed = if media.contains("json") {
        json_fields(body)
    } else if media.is_empty() || media == "application/x-www-form-urlencoded" {
        form_fields(body)
    } else {
        None
    };
    parsed.unwrap_or_else(|| vec![(UNPARSED_BODY.to_owned(), MASK.to_owned())])
}

/// A query string (a form) with every secret masked; a query that is not a form is masked
/// whole.
pub(crate) fn mask_query(query: &str) -> String {
    match form_fields(query.as_bytes()) {
        Some(fields) => fields
            .into_iter()
            .map(|(name, value)| if value.is_empty() { name } else { format!("{name}={value}") })
            .collect::<Vec<_>>()
            .join("&"),
        None => MASK.to_owned(),
    }
}

/// A JSON object's members, masked; `None` when the body is not a JSON object.
fn json_fields(body: &[u8]) -> Option<Vec<(String, String)>> {
    let serde_json::Value::Object(object) = serde_json::from_slice(body).ok()? else { return None };
    let fields = object.into_iter().map(|(name, value)| match value {
        serde_json::Value::String(text) => mask_field(&name, &text),
        serde_json::Value::Object(_) | serde_json::Value::Array(_) => {
            (mask_field(&name, "").0, MASK.to_owned())
        }
        scalar => mask_field(&name, &scalar.to_string()),
    });
    Some(fields.collect())
}

/// A form's fields, masked; `None` when the body looks like JSON rather than a form. The
/// pieces are cut on `&` by hand (not by a form parser) so that a piece with no `=` is seen.
fn form_fields(body: &[u8]) -> Option<Vec<(String, String)>> {
    let start = body.iter().position(|b| !b.is_ascii_whitespace())?;
    if matches!(body[start], b'{' | b'[') {
        return None;
    }
    let fields = body.split(|&b| b == b'&').filter(|piece| !piece.is_empty()).map(|piece| {
        if !piece.contains(&b'=') {
            return (MASK.to_owned(), String::new());
        }
        let decoded: Vec<(String, String)> = serde_urlencoded::from_bytes(piece).unwrap_or_default();
        match decoded.into_iter().next() {
            Some((name, value)) => mask_field(&name, &value),
            None => (MASK.to_owned(), MASK.to_owned()),
        }
    });
    Some(fields.collect())
}

/// A request header's value as the journal may show it (see the module documentation).
/// `secret_headers` are the headers the scenario's products name as secret (VB365's
/// antiforgery header, whatever the scenario calls it), masked whatever they are.
/// Takes the raw bytes and decodes only what it keeps, so a bearer token is never copied (this
/// runs for every journaled request).
pub(crate) fn mask_header(name: &str, value: &[u8], secret_headers: &[&str]) -> String {
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).trim().to_owned();
    if secret_headers.iter().any(|secret| name.eq_ignore_ascii_case(secret)) {
        return MASK.to_owned();
    }
    match name.to_ascii_lowercase().as_str() {
        "authorization" | "proxy-authorization" => {
            // The scheme is shown only when it is a known word: a token sent without one (or
            // with a space inside) must not pass for a scheme.
            let scheme = value.iter().position(|&b| b == b' ').map(|space| text(&value[..space]));
            match scheme.filter(|scheme| on(KNOWN_SCHEMES, scheme)) {
                Some(scheme) => format!("{scheme} {MASK}"),
                None => MASK.to_owned(),
            }
        }
        "cookie" => value
            .split(|&b| b == b';')
            .map(|pair| match pair.iter().position(|&b| b == b'=') {
                Some(equals) => format!("{}={MASK}", text(&pair[..equals])),
                None => MASK.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("; "),
        lower if on(VISIBLE_HEADERS, lower) => String::from_utf8_lossy(value).into_owned(),
        _ => MASK.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const XSRF: &[&str] = &["X-XSRF-TOKEN"];

    fn pair(name: &str, value: &str) -> (String, String) {
        (name.to_owned(), value.to_owned())
    }

    #[test]
    fn secrets_are_masked_and_the_rest_is_kept() {
        assert_eq!(mask_field("password", "PassWord1"), pair("password", MASK));
        assert_eq!(mask_field("refresh_token", "eyJ..."), pair("refresh_token", MASK));
        assert_eq!(mask_field("mfa_code", "123456"), pair("mfa_code", MASK));
        assert_eq!(mask_field("some_new_assertion", "x"), pair(MASK, MASK));
        assert_eq!(mask_field("Grant_Type", "password"), pair("Grant_Type", "password"));
        assert_eq!(mask_field("username", "Administrator"), pair("username", "Administrator"));
        assert_eq!(mask_header("Authorization", b"Bearer eyJhbGci", XSRF), "Bearer ***");
        assert_eq!(mask_header("cookie", b"XSRF-TOKEN=abc; other=1", XSRF), "XSRF-TOKEN=***; other=***");
        assert_eq!(mask_header("X-XSRF-TOKEN", b"abc", XSRF), MASK);
        assert_eq!(mask_header("X-Admin-Token", b"abc", XSRF), MASK);
        assert_eq!(mask_header("content-type", b"application/json", XSRF), "application/json");
    }

    #[test]
    fn headers_are_shown_by_allow_list() {
        assert_eq!(mask_header("X-MFA-Code", b"123456", XSRF), MASK);
        assert_eq!(mask_header("Set-Cookie", b"sid=abc", XSRF), MASK);
        assert_eq!(mask_header("X-Request-Verification", b"abc", &["x-request-verification"]), MASK);
        assert_eq!(
            mask_header("User-Agent", b"curl/8", &["user-agent"]),
            MASK,
            "the antiforgery header, whatever its name"
        );
        assert_eq!(mask_header("Authorization", b"eyJhbGci", XSRF), MASK);
        assert_eq!(mask_header("Authorization", b"secret1 secret2", XSRF), MASK, "no known scheme");
        assert_eq!(mask_header("authorization", b"basic QWxhZGRpbjpvcGVu", XSRF), "basic ***");
    }

    #[test]
    fn bodies_that_do_not_parse_as_their_type_are_masked_whole() {
        let json = br#"{"username":"a","password":"a=b&c"}"#;
        let whole = vec![pair(UNPARSED_BODY, MASK)];
        assert_eq!(mask_body(Some("application/x-www-form-urlencoded"), json), whole);
        assert_eq!(mask_body(None, json), whole);
        assert_eq!(mask_body(Some("application/json"), b"{\"password\":"), whole);
        assert_eq!(mask_body(Some("application/json"), b"[\"secret\"]"), whole);
        assert_eq!(mask_body(Some("text/plain"), b"password=secret"), whole);
        assert_eq!(mask_body(Some("application/json"), b" "), Vec::new());
        assert_eq!(
            mask_body(
                Some("application/json; charset=utf-8"),
                br#"{"grant_type":{"password":"s"},"username":"a","n":5}"#
            ),
            vec![pair("grant_type", MASK), pair("username", "a"), pair(MASK, MASK)],
            "members in the order sent"
        );
    }

    #[test]
    fn form_mistakes_do_not_leak() {
        let form = Some("application/x-www-form-urlencoded");
        // An unencoded `&` in the password: its tail is a piece with no `=`, or an unknown name.
        assert_eq!(
            mask_body(form, b"grant_type=password&password=Pa&ss&username=admin&x&tail=y"),
            vec![
                pair("grant_type", "password"),
                pair("password", MASK),
                pair(MASK, ""),
                pair("username", "admin"),
                pair(MASK, ""),
                pair(MASK, MASK),
            ]
        );
        // Allow-listed fields carrying a secret inside.
        assert_eq!(
            mask_body(form, b"grant_type=password%26password%3Ds3cret"),
            vec![pair("grant_type", MASK)]
        );
        assert_eq!(
            mask_body(form, b"redirect_uri=https%3A%2F%2Fapp%2Fcb%3Fcode%3Ds3cret"),
            vec![pair("redirect_uri", "https://app/cb?***")]
        );
        assert_eq!(mask_body(form, b"url=https%3A%2F%2Fu%3Ap%40host%2F"), vec![pair("url", MASK)]);
        assert_eq!(mask_query("api-version=8.1&sig=abc&flag"), "api-version=8.1&***=***&***");
    }

    #[test]
    fn a_declared_route_query_shows_its_paging_and_masks_its_auth_code() {
        assert_eq!(mask_query("authCode=c0de-5ecret&offset=30&Limit=10"), "authCode=***&offset=30&Limit=10");
        assert_eq!(mask_query("limit=a%3Db"), "limit=***", "an allow-listed value with `=` inside");
    }
}
