//! What a fault writes on the wire of its own (`headers`, `content_type`, `body`): checked when
//! the fault is made, so that a header the mock could not send is a clear problem instead of
//! being dropped in silence (or failing the answer), and bounded in bytes, so that faults added
//! at runtime cannot fill memory (1,000 faults of at most [`MAX_FAULT_TEXT`] each).

/// The most bytes a fault's body, content type and header names and values hold together.
/// A product's error body is a few hundred bytes; a proxy's error page a few kilobytes.
pub(crate) const MAX_FAULT_TEXT: usize = 64 * 1024;

/// Headers that frame the message: the mock sets them from the body it sends, so a fault's own
/// value would be ignored.
const FRAMING_HEADERS: [&str; 2] = ["content-length", "transfer-encoding"];

/// Why `name` cannot be one of a fault's headers, if it cannot: an HTTP header name is one or
/// more token characters (RFC 9110 section 5.6.2).
pub(crate) fn header_name_problem(name: &str) -> Option<String> {
    let token = |byte: u8| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte);
    if name.is_empty() || !name.bytes().all(token) {
        return Some(format!(
            "`{}` is not a header name (letters, digits and !#$%&'*+-.^_`|~ only)",
            name.escape_debug()
        ));
    }
    if FRAMING_HEADERS.iter().any(|framing| name.eq_ignore_ascii_case(framing)) {
        return Some(format!("`{name}` is set by the mock from the body it sends; leave it out"));
    }
    None
}

/// Why `value` cannot be sent as a header value, if it cannot: no control characters (a line
/// break would end the header and start another).
pub(crate) fn header_value_problem(value: &str) -> Option<String> {
    let control = |c: char| (c.is_ascii_control() && c != '\t') || c == '\u{7f}';
    value
        .contains(control)
        .then(|| format!("`{}` holds a control character, which a header value cannot", value.escape_debug()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_are_tokens_and_not_framing() {
        assert_eq!(header_name_problem("X-Proxy"), None);
        assert_eq!(header_name_problem("Retry-After"), None);
        for bad in ["", "X Proxy", "X-Bad\r\nInjected", "Naïve", "X:Y"] {
            assert!(header_name_problem(bad).is_some_and(|p| p.contains("is not a header name")), "{bad:?}");
        }
        for framing in ["Content-Length", "transfer-encoding"] {
            assert!(header_name_problem(framing).is_some_and(|p| p.contains("set by the mock")), "{framing}");
        }
    }

    #[test]
    fn header_values_hold_no_control_characters() {
        assert_eq!(header_value_problem("nginx/1.25\tx, é"), None);
        for bad in ["bad\r\nInjected: yes", "a\nb", "nul\0", "del\u{7f}"] {
            assert!(header_value_problem(bad).is_some(), "{bad:?}");
        }
    }
}
