//! Loaded documents: a product's own OpenAPI document (VB365's `/swagger/docs/v8`, VBR's
//! `/swagger/v1.3-rev2/swagger.json`, VBAzure's published one), given to the mock by a user
//! (`serve --openapi FILE`, a scenario's `[api] documents`, the builder's
//! `openapi_document`), whose every operation the mock then serves behind the owning product's
//! real sessions.
//!
//! How a request reaches one: the products' own routes come first, then the declared routes
//! (a route a test declares overrides the document), then the operations of the documents in
//! force ([`answer`]), then the owning product's 404. For an operation:
//!
//! 1. The owning product lets the caller through exactly as for its own protected endpoints
//!    (version, bearer, licence, their refusals), or anyone when the operation's `security` is
//!    empty.
//! 2. Path, query and header parameters and a JSON body are checked against the document
//!    ([`crate::apispec::check`]); what fails gets the product's own 400.
//! 3. The answer is the first 2xx response: its example when the document has one that matches
//!    the schema, else a body generated from the schema ([`crate::apispec::generate`]),
//!    deterministic for the scenario's seed and kept per operation and seed. A collection (an
//!    operation taking `limit` that answers an array of `results` or `data`) holds
//!    `[api] items` items, cut by the product's own paging parameters.
//!
//! Matching follows the products' rules: letter case does not matter, a trailing slash is
//! tolerated, a literal segment wins over a parameter. Two documents of VBR at the same paths
//! (1.2-rev1 and 1.3-rev2) are told apart by the request's `x-api-version`.

mod load;
mod operation;
mod respond;
pub(crate) mod section;
mod store;

use actix_web::http::header::{ALLOW, HeaderValue};
use actix_web::web::{Data, Payload};
use actix_web::{HttpMessage, HttpRequest, HttpResponse};

pub use load::{ApiDocument, DocumentError};
pub(crate) use store::{DocumentStore, in_force, install};

use crate::products::declared::Segment;
use crate::request::OriginalPath;
use crate::state::World;

/// What the loaded documents make of a request.
enum Found {
    /// An operation answers it, with its path parameters as the client sent them.
    Operation { document: ApiDocument, index: usize, params: Vec<(String, String)>, items: usize },
    /// Operations exist on the path, not for this method: the product's 405.
    WrongMethod { document: ApiDocument, allow: String },
    /// No operation takes it.
    Nothing,
}

/// The operation of a document in force that `req` (its normalized, lower-case path) reaches.
fn find(req: &HttpRequest, world: &World) -> Found {
    let (documents, items) = in_force(world);
    if documents.is_empty() {
        return Found::Nothing;
    }
    let path = req.path();
    let segments: Vec<&str> = path.split('/').filter(|segment| !segment.is_empty()).collect();
    let wanted_version =
        req.headers().get("x-api-version").and_then(|value| value.to_str().ok()).map(str::trim);
    let mut found: Option<(ApiDocument, usize)> = None;
    let mut wrong_method: Option<(ApiDocument, Vec<&'static str>)> = None;
    for document in &documents {
        let candidates = document.0.index.on_path(&segments);
        let Some(first) =
            candidates.iter().find(|number| document.0.operations[**number].method == req.method())
        else {
            if !candidates.is_empty() && wrong_method.is_none() {
                let mut allow: Vec<&'static str> = Vec::new();
                for number in &candidates {
                    let method = method_name(&document.0.operations[*number].method);
                    if !allow.contains(&method) {
                        allow.push(method);
                    }
                }
                wrong_method = Some((document.clone(), allow));
            }
            continue;
        };
        let exact = wanted_version.is_some_and(|wanted| wanted.eq_ignore_ascii_case(document.version()));
        if found.is_none() || exact {
            found = Some((document.clone(), *first));
        }
        if exact {
            break;
        }
    }
    match (found, wrong_method) {
        (Some((document, index)), _) => {
            let params = path_params(req, &document.0.operations[index].segments);
            Found::Operation { document, index, params, items }
        }
        (None, Some((document, allow))) => Found::WrongMethod { document, allow: allow.join(", ") },
        (None, None) => Found::Nothing,
    }
}

/// A method's name with a static lifetime (the methods a document can describe).
fn method_name(method: &actix_web::http::Method) -> &'static str {
    ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS"]
        .into_iter()
        .find(|name| *name == method.as_str())
        .unwrap_or("GET")
}

/// The path parameters' values as the client sent them (letter case kept), percent-decoded.
fn path_params(req: &HttpRequest, template: &[Segment]) -> Vec<(String, String)> {
    let original = req.extensions().get::<OriginalPath>().map(|original| original.0.clone());
    let original = original.unwrap_or_else(|| req.path().to_owned());
    let sent: Vec<&str> = original.split('/').filter(|segment| !segment.is_empty()).collect();
    template
        .iter()
        .zip(0..)
        .filter_map(|(segment, position)| match segment {
            Segment::Param(name) => {
                let value = sent.get(position)?;
                let decoded = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
                Some((name.clone(), decoded.into_owned()))
            }
            Segment::Literal(_) => None,
        })
        .collect()
}

/// The answer of the loaded documents to `req`, if an operation of one takes its path.
pub(crate) async fn answer(req: &HttpRequest, payload: Payload) -> Option<HttpResponse> {
    let world = req.app_data::<Data<World>>()?;
    match find(req, world) {
        Found::Nothing => None,
        Found::WrongMethod { document, allow } => {
            let mut response = document.0.product.status_error(req, 405);
            if let Ok(value) = HeaderValue::from_str(&allow) {
                response.headers_mut().insert(ALLOW, value);
            }
            Some(response)
        }
        Found::Operation { document, index, params, items } => {
            Some(respond::respond(req, world, &document, index, &params, items, payload).await)
        }
    }
}
