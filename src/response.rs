//! Writing responses, below the products: what both products' answers share (the JSON content
//! type, the uncacheable token response, the bearer challenge). Each product keeps its own body
//! shapes and error rendering; these helpers only frame them.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue, PRAGMA};
use serde::Serialize;

use crate::tokens::Rejection;

/// The content type both products write on JSON bodies.
const JSON_UTF8: &str = "application/json; charset=utf-8";

/// `body` as JSON (`application/json; charset=utf-8`) with `status`.
///
/// Fails when `body` does not serialize, so that a caller answers its own 500 instead of a
/// success with an empty body (the mock's own structs always serialize).
pub(crate) fn json<T: Serialize + ?Sized>(
    status: StatusCode,
    body: &T,
) -> Result<HttpResponse, serde_json::Error> {
    let bytes = serde_json::to_vec(body)?;
    Ok(HttpResponse::build(status)
        .insert_header((CONTENT_TYPE, HeaderValue::from_static(JSON_UTF8)))
        .body(bytes))
}

/// Marks a token response uncacheable, as RFC 6749 §5.1 asks of every token endpoint.
pub(crate) fn no_store(response: &mut HttpResponse) {
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(PRAGMA, HeaderValue::from_static("no-cache"));
}

/// The `WWW-Authenticate` challenge for a refused bearer, as ASP.NET's bearer handlers (which
/// both products run) write it: plain `Bearer` when none was sent, `invalid_token` otherwise,
/// with the expiry instant in .NET's invariant format when the token expired.
pub(crate) fn bearer_challenge(rejection: Rejection) -> String {
    match rejection {
        Rejection::Missing => "Bearer".to_owned(),
        Rejection::Expired(at) => {
            let when = crate::dates::dotnet_invariant(at);
            format!(r#"Bearer error="invalid_token", error_description="The token expired at '{when}'""#)
        }
        Rejection::Unknown | Rejection::Revoked | Rejection::WrongKind | Rejection::AlreadyUsed => {
            r#"Bearer error="invalid_token""#.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_bodies_say_utf_8_and_refusals_challenge_as_asp_net_does() {
        let response = json(StatusCode::CREATED, &[1, 2]).expect("serializes");
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(response.headers().get(CONTENT_TYPE).expect("typed"), JSON_UTF8);
        assert_eq!(bearer_challenge(Rejection::Missing), "Bearer");
        assert_eq!(bearer_challenge(Rejection::Revoked), r#"Bearer error="invalid_token""#);
        let at = time::macros::datetime!(2024-08-07 15:56:22 UTC);
        assert!(bearer_challenge(Rejection::Expired(at)).ends_with(r#"expired at '08/07/2024 15:56:22'""#));
    }
}
