//! Reading the bearer token of a request: `Authorization: Bearer <token>`, the scheme in any
//! case (clients send `Bearer` and `bearer`), the token trimmed and never empty. One reading
//! for both products, the admin API and the control middleware, so they cannot disagree about
//! which requests carry a token.

use actix_web::http::header::{AUTHORIZATION, HeaderMap};

/// The token of an `Authorization: Bearer <token>` header, if there is one.
pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    #[test]
    fn the_bearer_scheme_is_case_insensitive_and_needs_a_token() {
        let with =
            |value: &str| TestRequest::default().insert_header((AUTHORIZATION, value)).to_http_request();
        let token = |req: &actix_web::HttpRequest| bearer_token(req.headers()).map(str::to_owned);
        assert_eq!(token(&with("Bearer abc")).as_deref(), Some("abc"));
        assert_eq!(token(&with("bearer abc")).as_deref(), Some("abc"));
        assert_eq!(token(&with("bearer  abc ")).as_deref(), Some("abc"));
        assert_eq!(token(&with("Basic abc")), None);
        assert_eq!(token(&with("Bearer ")), None);
        assert_eq!(token(&TestRequest::default().to_http_request()), None);
    }
}
