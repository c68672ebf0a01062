//! Media types as the products' ASP.NET stacks read them.

use actix_web::http::header::{CONTENT_TYPE, HeaderMap};

/// The `Content-Type` a request declares, when it has one in visible ASCII.
pub(crate) fn content_type(headers: &HeaderMap) -> Option<&str> {
    headers.get(CONTENT_TYPE).and_then(|value| value.to_str().ok())
}

/// Whether a `Content-Type` value names JSON as ASP.NET's JSON input formatters accept it:
/// `application/json`, `text/json` or `application/*+json`, in any case, with any parameters.
pub(crate) fn is_json(content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    media == "application/json"
        || media == "text/json"
        || media
            .strip_prefix("application/")
            .is_some_and(|subtype| subtype.len() > 5 && subtype.ends_with("+json"))
}

/// The media type of a `Content-Type` value, without its parameters, as the client wrote it.
pub(crate) fn media_type(content_type: &str) -> &str {
    content_type.split(';').next().unwrap_or_default().trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_media_types_are_recognized_with_any_parameters() {
        for yes in
            ["application/json", "Application/JSON; charset=utf-8", "text/json", "application/problem+json"]
        {
            assert!(is_json(yes), "{yes}");
        }
        for no in [
            "",
            "text/plain",
            "application/x-www-form-urlencoded",
            "application/jsonx",
            "text/+json",
            "application/+json",
        ] {
            assert!(!is_json(no), "{no}");
        }
    }

    #[test]
    fn the_media_type_drops_parameters() {
        assert_eq!(media_type(" text/plain ; charset=utf-8"), "text/plain");
    }
}
