//! The one normal form of a URL path: lower case, no doubled or trailing slash. The HTTP layer
//! rewrites every request path to it before routing ([`crate::http`]), and faults that name a
//! path are stored in it, so the two always compare equal.

/// The normalized path, or `None` when `path` is already normal (the common, allocation-free case).
pub(crate) fn normalized(path: &str) -> Option<String> {
    let is_normal = !path.is_empty()
        && !path.bytes().any(|b| b.is_ascii_uppercase())
        && !path.contains("//")
        && (path == "/" || !path.ends_with('/'));
    if is_normal {
        return None;
    }
    let mut out = String::with_capacity(path.len());
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        out.push_str(&segment.to_ascii_lowercase());
    }
    if out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// `path` in normal form, whether or not it already was.
pub(crate) fn normal(path: &str) -> String {
    normalized(path).unwrap_or_else(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::normalized;

    #[test]
    fn case_and_trailing_slashes_are_normalized() {
        assert_eq!(normalized("/v8/token"), None);
        assert_eq!(normalized("/V8/Token/").as_deref(), Some("/v8/token"));
        assert_eq!(normalized("//v8//ServiceInstance").as_deref(), Some("/v8/serviceinstance"));
        assert_eq!(normalized("/"), None);
        assert_eq!(normalized("///").as_deref(), Some("/"));
        assert_eq!(super::normal(""), "/");
    }
}
