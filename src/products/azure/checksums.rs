//! The body of `POST /api/v{ver}/licenseAgreement/accept`, bound as ASP.NET Core's model
//! binding binds a `[FromBody] DocumentChecksum[]` with System.Text.Json's web defaults.
//!
//! The 8.1 document declares a JSON array of `DocumentChecksum` (`{"checksum": string,
//! "type": string}`, both optional) and a 400 `ProblemDetails400`. What the mock answers:
//!
//! - no `Content-Type`, or one that is not JSON (`application/json`, `text/json`,
//!   `application/*+json`): **415** `ProblemDetails415`, before the body is read;
//! - an empty body: 400 with `errors: {"": ["A non-empty request body is required."]}`;
//! - a literal `null`: 400 with `errors: {"documents": ["The documents field is required."]}`
//!   (`documents` is the mock's name for the parameter; the product's is not public);
//! - malformed JSON: 400 with the error under `$`, ending in System.Text.Json's
//!   `Path: $ | LineNumber: L | BytePositionInLine: B.` (the reason is the mock's parser's);
//! - well-formed JSON of the wrong shape: 400 with the first mismatch only, keyed by its JSON
//!   path (`$`, `$[0]`, `$[0].checksum`) and worded `The JSON value could not be converted to
//!   <.NET type>. Path: <path>.` (System.Text.Json adds the line and byte position there too;
//!   the mock, which checks the parsed value, leaves them out).
//!
//! Member names match case-insensitively and unknown members are ignored, as with the web
//! defaults; `null` is allowed for an element and for either string member.

use actix_web::HttpRequest;
use actix_web::web::Payload;
use serde_json::Value;

use super::problem::AzureError;
use crate::request::body::read_body;
use crate::request::media::{content_type, is_json};

/// The .NET type names System.Text.Json names in its conversion errors.
const LIST_TYPE: &str = "System.Collections.Generic.List`1[Veeam.Azure.REST.V5.DocumentChecksum]";
const ELEMENT_TYPE: &str = "Veeam.Azure.REST.V5.DocumentChecksum";
const STRING_TYPE: &str = "System.String";

/// Reads and checks the accept body; the documents themselves are not needed by the mock
/// (it has one agreement, accepted as a whole).
pub(crate) async fn bind_checksums(req: &HttpRequest, payload: Payload) -> Result<(), AzureError> {
    let json = content_type(req.headers()).is_some_and(is_json);
    if !json {
        return Err(AzureError::UnsupportedMediaType);
    }
    let body = read_body(req, payload).await.map_err(AzureError::body)?;
    check(&body)
}

/// The model-binding checks on a body read in full.
fn check(body: &[u8]) -> Result<(), AzureError> {
    if body.is_empty() {
        return Err(AzureError::invalid("", "A non-empty request body is required."));
    }
    let value: Value = serde_json::from_slice(body).map_err(|err| {
        // serde_json says "<reason> at line L column C"; System.Text.Json counts lines from 0.
        let text = err.to_string();
        let reason = text.split(" at line ").next().unwrap_or(&text);
        let message = format!(
            "The input is not valid JSON: {reason}. Path: $ | LineNumber: {} | BytePositionInLine: {}.",
            err.line().saturating_sub(1),
            err.column()
        );
        AzureError::invalid("$", message)
    })?;
    let elements = match value {
        Value::Null => return Err(AzureError::invalid("documents", "The documents field is required.")),
        Value::Array(elements) => elements,
        _ => return Err(not_convertible("$", LIST_TYPE)),
    };
    for (index, element) in elements.iter().enumerate() {
        let members = match element {
            Value::Null => continue,
            Value::Object(members) => members,
            _ => return Err(not_convertible(&format!("$[{index}]"), ELEMENT_TYPE)),
        };
        for (name, member) in members {
            let known = ["checksum", "type"].iter().find(|known| name.eq_ignore_ascii_case(known));
            if let Some(known) = known
                && !(member.is_string() || member.is_null())
            {
                return Err(not_convertible(&format!("$[{index}].{known}"), STRING_TYPE));
            }
        }
    }
    Ok(())
}

fn not_convertible(path: &str, type_name: &str) -> AzureError {
    AzureError::invalid(path, format!("The JSON value could not be converted to {type_name}. Path: {path}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(body: &str) -> Vec<(String, String)> {
        match check(body.as_bytes()) {
            Ok(()) => Vec::new(),
            Err(AzureError::Validation { errors }) => errors,
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn arrays_of_document_checksums_bind() {
        for body in [
            "[]",
            r#"[{"checksum":"abc","type":"Eula"}]"#,
            r#"[{"Checksum":null,"TYPE":"x","other":1}, null, {}]"#,
        ] {
            assert_eq!(errors(body), Vec::new(), "{body}");
        }
    }

    #[test]
    fn the_first_mismatch_is_reported_under_its_json_path() {
        let cases = [
            ("{}", "$", LIST_TYPE),
            ("\"x\"", "$", LIST_TYPE),
            ("[1]", "$[0]", ELEMENT_TYPE),
            (r#"[{"type":"a"},{"checksum":7}]"#, "$[1].checksum", STRING_TYPE),
        ];
        for (body, path, type_name) in cases {
            let message = format!("The JSON value could not be converted to {type_name}. Path: {path}.");
            assert_eq!(errors(body), vec![(path.to_owned(), message)], "{body}");
        }
    }

    #[test]
    fn empty_null_and_malformed_bodies_are_refused() {
        assert_eq!(errors(""), vec![("".to_owned(), "A non-empty request body is required.".to_owned())]);
        assert_eq!(
            errors("null"),
            vec![("documents".to_owned(), "The documents field is required.".to_owned())]
        );
        assert_eq!(
            errors("["),
            vec![(
                "$".to_owned(),
                "The input is not valid JSON: EOF while parsing a list. Path: $ | LineNumber: 0 | BytePositionInLine: 1."
                    .to_owned()
            )]
        );
    }
}
