//! Path normalization: the products' routing is case-insensitive and ignores a trailing slash
//! (ASP.NET routing; real clients send `/v8/Token`, `/V8/token/`, `/Organizations/`).
//!
//! Runs before routing: the path is lower-cased, repeated slashes merged and a trailing slash
//! removed, and routes are registered in lower case. The query string is kept as sent. Path
//! parameters therefore arrive lower-cased; every id the products use is a GUID, which .NET
//! compares case-insensitively too.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Uri;
use actix_web::middleware::Next;

use crate::paths::normalized;
use actix_web::{Error, HttpMessage};

pub(crate) use crate::request::OriginalPath;

/// The middleware function (wrap it with `middleware::from_fn`).
pub(crate) async fn normalize_path(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let path = req.path();
    if let Some(normalized) = normalized(path) {
        let original = OriginalPath(path.to_owned());
        req.extensions_mut().insert(original);
        let uri = req.uri();
        let path_and_query = match uri.query() {
            Some(query) => format!("{normalized}?{query}"),
            None => normalized,
        };
        let mut parts = uri.clone().into_parts();
        if let Ok(new_path) = path_and_query.parse() {
            parts.path_and_query = Some(new_path);
            if let Ok(new_uri) = Uri::from_parts(parts) {
                req.match_info_mut().get_mut().update(&new_uri);
                req.head_mut().uri = new_uri;
            }
        }
    }
    next.call(req).await
}
