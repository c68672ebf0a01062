//! The mock's OpenAPI document, gathered here from its parts: each product's and the admin
//! API's ([`parts`]), which [`super::explorer`] puts together and serves, and the declared
//! routes in force ([`served`]). The explorer is given the parts; it never reaches into a
//! product.

use std::sync::LazyLock;

use actix_web::HttpRequest;
use actix_web::web::{Bytes, Data};
use utoipa::openapi::OpenApi;

use super::admin;
use super::explorer::Document;
use crate::products::PRODUCTS;
use crate::products::declared::{self, RouteStore};
use crate::state::World;

/// Every part of the document, in the order its tags are listed: the products' (in the
/// registry's order), then the admin API's (which the document lists even when a server turns
/// the admin API off).
fn parts() -> Vec<OpenApi> {
    PRODUCTS.iter().map(|product| product.doc()).chain([admin::doc::document()]).collect()
}

/// The document, built once: it depends on the code only, not on the scenario.
static DOCUMENT: LazyLock<Document> = LazyLock::new(|| Document::new(parts()));

/// The rendered document, without any declared route.
pub(crate) fn document() -> &'static Document {
    &DOCUMENT
}

/// The document `req`'s World serves: the static one, with the declared routes in force laid
/// over it (rendered once per set of routes, which the set keeps).
pub(crate) fn served(req: &HttpRequest) -> Bytes {
    let routes =
        req.app_data::<Data<World>>().and_then(|world| declared::store(world)).map(RouteStore::current);
    match routes {
        Some(set) if !set.is_empty() => set
            .document
            .get_or_init(|| Bytes::from(DOCUMENT.with_part(declared::doc::part(&set.routes))))
            .clone(),
        _ => Bytes::from_static(document().bytes()),
    }
}

/// The mock's OpenAPI document (JSON, pretty-printed): every product route it serves, with the
/// products' field names. The binary prints it with `veeam-auth-mock openapi`; a running mock
/// serves it at `/swagger/docs/v8` and `/__mock/openapi.json`.
///
/// ```
/// let document: serde_json::Value = serde_json::from_str(&veeam_auth_mock::standalone::openapi_json()).unwrap();
/// assert!(document["paths"]["/{version}/token"]["post"].is_object());
/// assert!(document["paths"]["/api/oauth2/token"]["post"].is_object());
/// ```
pub fn openapi_json() -> String {
    DOCUMENT.pretty().to_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    #[test]
    fn every_path_has_a_unique_operation_id() {
        let document: Value = serde_json::from_slice(super::document().bytes()).expect("JSON");
        let mut ids = Vec::new();
        for item in document["paths"].as_object().expect("paths").values() {
            for operation in item.as_object().expect("a path item").values() {
                ids.push(operation["operationId"].as_str().expect("an operationId").to_owned());
            }
        }
        let count = ids.len();
        ids.sort();
        ids.dedup();

        assert_eq!(ids.len(), count, "{ids:?}");
        assert!(count >= 20, "{count}");
    }
}
