//! Parsing a token request: form bodies (what every client sends) and JSON bodies with the same
//! field names (listed in the v6-v8 specs). Field names match case-insensitively, as ASP.NET
//! model binding does; unknown fields are kept but never looked at.

use serde_json::Value;

/// Why a token request body was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RequestError {
    /// Neither form nor JSON (415).
    UnsupportedMediaType(String),
    /// JSON that does not parse, or is not an object (400).
    MalformedJson(String),
    /// A field holds a value of the wrong type (400).
    InvalidField(String),
}

#[derive(Debug, Clone, PartialEq)]
enum FieldValue {
    Text(String),
    Bool(bool),
    /// A JSON value of another type (number, array, object), named for the error message.
    Other(&'static str),
}

/// The fields of a token request, in the order sent; the first of a repeated name wins.
#[derive(Debug, Default)]
pub(crate) struct TokenRequest {
    fields: Vec<(String, FieldValue)>,
}

impl TokenRequest {
    /// Parses `body` according to its `Content-Type`.
    pub(crate) fn parse(content_type: Option<&str>, body: &[u8]) -> Result<TokenRequest, RequestError> {
        match media_type(content_type).as_str() {
            "application/x-www-form-urlencoded" => Ok(TokenRequest::from_form(body)),
            "application/json" | "text/json" => TokenRequest::from_json(body),
            other if other.starts_with("application/") && other.ends_with("+json") => {
                TokenRequest::from_json(body)
            }
            // No Content-Type and no body: treated as an empty form, so the client learns which
            // field is missing rather than a media-type error.
            "" if body.is_empty() => Ok(TokenRequest::default()),
            "" => Err(RequestError::UnsupportedMediaType("(none)".to_owned())),
            other => Err(RequestError::UnsupportedMediaType(other.to_owned())),
        }
    }

    /// Parses a form body, as OWIN's token endpoint does; any other body reads as no fields at all
    /// (so the client hears `unsupported_grant_type`, as from OWIN).
    pub(crate) fn parse_form_only(content_type: Option<&str>, body: &[u8]) -> TokenRequest {
        match TokenRequest::parse(content_type, body) {
            Ok(request) if media_type(content_type) == "application/x-www-form-urlencoded" => request,
            _ => TokenRequest::default(),
        }
    }

    fn from_form(body: &[u8]) -> TokenRequest {
        // form_urlencoded decodes leniently (invalid UTF-8 becomes U+FFFD), as ASP.NET does.
        let fields =
            form_urlencoded_pairs(body).map(|(name, value)| (name, FieldValue::Text(value))).collect();
        TokenRequest { fields }
    }

    fn from_json(body: &[u8]) -> Result<TokenRequest, RequestError> {
        let value: Value =
            serde_json::from_slice(body).map_err(|err| RequestError::MalformedJson(err.to_string()))?;
        let Value::Object(object) = value else {
            return Err(RequestError::MalformedJson("the body must be a JSON object".to_owned()));
        };
        let fields = object
            .into_iter()
            .filter_map(|(name, value)| {
                let value = match value {
                    Value::Null => return None,
                    Value::String(text) => FieldValue::Text(text),
                    Value::Bool(flag) => FieldValue::Bool(flag),
                    Value::Number(_) => FieldValue::Other("a number"),
                    Value::Array(_) => FieldValue::Other("an array"),
                    Value::Object(_) => FieldValue::Other("an object"),
                };
                Some((name, value))
            })
            .collect();
        Ok(TokenRequest { fields })
    }

    fn get(&self, name: &str) -> Option<&FieldValue> {
        self.fields.iter().find(|(field, _)| field.eq_ignore_ascii_case(name)).map(|(_, value)| value)
    }

    /// A text field; empty values count as absent.
    pub(crate) fn text(&self, name: &str) -> Result<Option<&str>, RequestError> {
        match self.get(name) {
            None => Ok(None),
            Some(FieldValue::Text(text)) if text.is_empty() => Ok(None),
            Some(FieldValue::Text(text)) => Ok(Some(text)),
            Some(FieldValue::Bool(_)) => Err(invalid(name, "a boolean")),
            Some(FieldValue::Other(kind)) => Err(invalid(name, kind)),
        }
    }

    /// A boolean field: `true`/`false` in any case, `1`/`0`, or a JSON boolean.
    pub(crate) fn flag(&self, name: &str) -> Result<bool, RequestError> {
        match self.get(name) {
            None => Ok(false),
            Some(FieldValue::Bool(flag)) => Ok(*flag),
            Some(FieldValue::Text(text)) => match text.trim() {
                t if t.eq_ignore_ascii_case("true") || t == "1" => Ok(true),
                t if t.eq_ignore_ascii_case("false") || t == "0" || t.is_empty() => Ok(false),
                other => {
                    Err(RequestError::InvalidField(format!("The value '{other}' is not valid for {name}.")))
                }
            },
            Some(FieldValue::Other(kind)) => Err(invalid(name, kind)),
        }
    }
}

/// The media type of a `Content-Type` value, lower-cased, without parameters.
fn media_type(content_type: Option<&str>) -> String {
    content_type.map(crate::request::media::media_type).unwrap_or_default().to_ascii_lowercase()
}

fn invalid(name: &str, kind: &str) -> RequestError {
    RequestError::InvalidField(format!("The field {name} must be a string, not {kind}."))
}

fn form_urlencoded_pairs(body: &[u8]) -> impl Iterator<Item = (String, String)> {
    // serde_urlencoded into pairs never fails for string pairs; fall back to nothing if it does.
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body).unwrap_or_default().into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORM: Option<&str> = Some("application/x-www-form-urlencoded");

    #[test]
    fn form_fields_are_found_whatever_their_case_and_empty_ones_are_absent() {
        let request =
            TokenRequest::parse(FORM, b"Grant_Type=password&username=TECH%5Cadministrator&refresh_token=")
                .expect("form");
        assert_eq!(request.text("grant_type"), Ok(Some("password")));
        assert_eq!(request.text("username"), Ok(Some(r"TECH\administrator")));
        assert_eq!(request.text("refresh_token"), Ok(None));
        assert_eq!(request.text("password"), Ok(None));
    }

    #[test]
    fn flags_accept_the_spellings_clients_send() {
        for (body, expected) in [
            (&b"disable_antiforgery_token=true"[..], true),
            (b"disable_antiforgery_token=True", true),
            (b"disable_antiforgery_token=1", true),
            (b"disable_antiforgery_token=false", false),
            (b"other=1", false),
        ] {
            let request = TokenRequest::parse(FORM, body).expect("form");
            assert_eq!(request.flag("disable_antiforgery_token"), Ok(expected), "{body:?}");
        }
        let json = TokenRequest::parse(Some("application/json"), br#"{"disable_antiforgery_token":true}"#)
            .expect("json");
        assert_eq!(json.flag("disable_antiforgery_token"), Ok(true));
        let bad = TokenRequest::parse(FORM, b"disable_antiforgery_token=yes").expect("form");
        assert!(matches!(bad.flag("disable_antiforgery_token"), Err(RequestError::InvalidField(_))));
    }

    #[test]
    fn json_bodies_use_the_same_names_and_refuse_wrong_types() {
        let request = TokenRequest::parse(
            Some("application/json; charset=utf-8"),
            br#"{"grant_type":"password","username":"Administrator","password":5,"client_id":null}"#,
        )
        .expect("json");
        assert_eq!(request.text("grant_type"), Ok(Some("password")));
        assert!(matches!(request.text("password"), Err(RequestError::InvalidField(_))));
        assert_eq!(request.text("client_id"), Ok(None));
    }

    #[test]
    fn other_media_types_and_broken_json_are_refused() {
        assert_eq!(
            TokenRequest::parse(Some("text/plain"), b"x").unwrap_err(),
            RequestError::UnsupportedMediaType("text/plain".to_owned())
        );
        assert!(matches!(
            TokenRequest::parse(Some("application/json"), b"{"),
            Err(RequestError::MalformedJson(_))
        ));
        assert!(matches!(
            TokenRequest::parse(Some("application/json"), b"[1]"),
            Err(RequestError::MalformedJson(_))
        ));
        assert!(TokenRequest::parse(None, b"").is_ok());
        assert!(TokenRequest::parse(None, b"grant_type=password").is_err());
    }
}
