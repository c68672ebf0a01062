//! The declared routes in force as a part of the OpenAPI document: one operation per route,
//! so Swagger UI lists them beside the products' own and a user who signed in (Authorize) can
//! call them from the browser.
//!
//! The part is plain JSON (`paths` and `tags`), which the explorer lays over the static
//! document; it is built once per set of routes in force (a set never changes: adding or
//! removing a route makes a new one), so serving the document costs one lookup per request.
//!
//! What a route's operation says: its path as written (its `{name}` segments as required path
//! parameters), its method, `operationId` `route_<name>`, the tag [`TAG`], the owning
//! product's bearer scheme unless the route is anonymous or takes an `authCode` (then a
//! required query parameter), its query and header conditions as required parameters, the
//! product's paging parameters on a paged route, and its statuses with an example body (a
//! paged route's first page, in the product's envelope), plus the product's refusals.
//!
//! OpenAPI allows one operation per path and method, and takes `/a/{x}` and `/A/{y}` for the
//! same path: routes that match the same requests share the first one's operation, which
//! names the others in its description.

use std::collections::HashSet;
use std::sync::Arc;

use actix_web::http::StatusCode;
use serde_json::{Map, Value, json};
use utoipa::openapi::{RefOr, Response};

use super::route::{Declared, Reply, ReplyBody, Segment};
use super::store::Installed;
use crate::products::Access;

/// The tag every declared route's operation carries.
pub(crate) const TAG: &str = "Declared routes";

/// A larger example body is left out of the document (a route may hold megabytes of items).
const MAX_EXAMPLE_BYTES: usize = 64 * 1024;

/// A product's answers to a refused call, as `(status, answer)`.
pub(crate) type Refusals = Vec<(&'static str, RefOr<Response>)>;

/// How a product's declared routes are described (each product's `doc.rs` has one).
pub(crate) struct DeclaredDoc {
    /// The security scheme its protected operations name (`bearer`).
    pub(crate) scheme: &'static str,
    /// The query parameters that cut a page (name, description), in the product's spelling.
    pub(crate) paging: &'static [(&'static str, &'static str)],
    /// The first page of a collection in the product's envelope, as a call without paging
    /// parameters gets it.
    pub(crate) first_page: fn(&[Value]) -> Value,
    /// The product's refusals of a call to a route with this access (`paged`: the route cuts
    /// pages, whose parameters can be refused), as `(status, answer)`.
    pub(crate) refusals: fn(&Access, bool) -> Refusals,
}

/// The part of the document the routes `installed` add: `{"paths": {...}, "tags": [...]}`
/// (no tag when there is no route).
pub(crate) fn part(installed: &[Arc<Installed>]) -> Value {
    let mut paths = Map::new();
    // Per operation: the path it is listed under, the method, and the routes it covers.
    let mut operations: Vec<(String, String, Vec<&Declared>)> = Vec::new();
    // The documented path of each shape (literals lower case, parameters unnamed).
    let mut shapes: Vec<(String, String)> = Vec::new();
    for route in installed.iter().map(|installed| installed.route.as_ref()) {
        let shape = shape(route);
        let path = match shapes.iter().find(|(known, _)| *known == shape) {
            Some((_, path)) => path.clone(),
            None => {
                shapes.push((shape, route.path().to_owned()));
                route.path().to_owned()
            }
        };
        let method = route.method.as_str().to_ascii_lowercase();
        match operations.iter_mut().find(|(p, m, _)| *p == path && *m == method) {
            Some((_, _, routes)) => routes.push(route),
            None => operations.push((path, method, vec![route])),
        }
    }
    let mut ids = HashSet::new();
    for (path, method, routes) in operations {
        let item = paths.entry(path.clone()).or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(item) = item {
            item.insert(method, operation(&path, &routes, &mut ids));
        }
    }
    if paths.is_empty() {
        return json!({ "paths": {} });
    }
    json!({
        "paths": paths,
        "tags": [{
            "name": TAG,
            "description": "The routes the scenario declares (`[[routes]]`) or a test added \
                (`POST /__mock/routes`), answered under the rules of the product that owns the \
                path: sign in, paste the `access_token` into Authorize, then call them.",
        }],
    })
}

/// What requests a route's path matches, whatever its parameters are called.
fn shape(route: &Declared) -> String {
    route
        .segments
        .iter()
        .map(|segment| match segment {
            Segment::Literal(text) => format!("/{text}"),
            Segment::Param(_) => "/{}".to_owned(),
        })
        .collect()
}

/// The operation of `routes` (the first is the one documented) at `path`.
fn operation(path: &str, routes: &[&Declared], ids: &mut HashSet<String>) -> Value {
    let route = routes[0];
    let doc = route.product.declared_doc();
    let paged = route.replies.iter().any(|reply| matches!(reply.body, ReplyBody::Page { .. }));
    let mut operation = Map::new();
    operation.insert("tags".into(), json!([TAG]));
    operation.insert("summary".into(), json!(format!("{} (route.{})", route.path(), route.name)));
    operation.insert("description".into(), json!(description(route, &routes[1..])));
    operation.insert("operationId".into(), json!(operation_id(&route.name, ids)));
    let parameters = parameters(path, route, doc, paged);
    if !parameters.is_empty() {
        operation.insert("parameters".into(), Value::Array(parameters));
    }
    operation.insert("responses".into(), responses(route, doc, paged));
    if matches!(route.access, Access::Session | Access::Roles(_)) {
        operation.insert("security".into(), json!([{ (doc.scheme): [] }]));
    }
    Value::Object(operation)
}

/// Who may call the route, the conditions it sets and the routes that share its operation.
fn description(route: &Declared, others: &[&Declared]) -> String {
    let product = route.product.landing().title;
    let who = match &route.access {
        Access::Session => format!("any live {product} bearer"),
        Access::Roles(roles) => format!("a live {product} bearer of the role {}", roles.join(", ")),
        Access::Anonymous => "anyone (no bearer)".to_owned(),
        Access::AuthCode => {
            format!("a single-use `authCode` from `POST /vX/token/AuthCode` instead of a bearer ({product})")
        }
    };
    let mut text = format!("A declared route (`route.{}`), answered to {who}.", route.name);
    if route.replies.len() > 1 {
        text.push_str(&format!(
            " A sequence of {} answers: each call gets the next, the last repeats.",
            route.replies.len()
        ));
    }
    for other in others {
        text.push_str(&format!(
            " Also `route.{}` (`{}`), for requests its conditions take.",
            other.name,
            other.path()
        ));
    }
    text
}

/// `route_<name>`, in letters, digits and `_`, unique in the document (the products' and the
/// admin API's are `vb365_...`, `azure_...`, `mock_...`).
fn operation_id(name: &str, ids: &mut HashSet<String>) -> String {
    let base: String =
        format!("route_{name}").chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    let mut id = base.clone();
    let mut number = 2;
    while !ids.insert(id.clone()) {
        id = format!("{base}_{number}");
        number += 1;
    }
    id
}

/// The path's parameters (named as `path` names them), the query and header conditions, the
/// `authCode` and the paging parameters.
fn parameters(path: &str, route: &Declared, doc: &DeclaredDoc, paged: bool) -> Vec<Value> {
    let string = |value: Option<&String>| match value {
        Some(value) => json!({ "type": "string", "enum": [value] }),
        None => json!({ "type": "string" }),
    };
    let mut parameters: Vec<Value> = path
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')))
        .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
        .collect();
    for (name, wanted) in &route.query {
        parameters.push(
            json!({ "name": name, "in": "query", "required": true, "schema": string(wanted.as_ref()) }),
        );
    }
    for (name, wanted) in &route.headers {
        let name = name.as_str();
        parameters.push(
            json!({ "name": name, "in": "header", "required": true, "schema": string(wanted.as_ref()) }),
        );
    }
    let named = |name: &str| route.query.iter().any(|(given, _)| given.eq_ignore_ascii_case(name));
    if route.access == Access::AuthCode && !named("authCode") {
        parameters.push(json!({
            "name": "authCode", "in": "query", "required": true,
            "description": "A code from `POST /vX/token/AuthCode`, good once.",
            "schema": { "type": "string" },
        }));
    }
    if paged {
        for (name, description) in doc.paging.iter().filter(|(name, _)| !named(name)) {
            parameters.push(json!({
                "name": name, "in": "query", "required": false, "description": description,
                "schema": { "type": "integer" },
            }));
        }
    }
    parameters
}

/// The route's statuses (the first reply of each documents it) and the product's refusals for
/// statuses the route does not answer itself, in the order of their status.
fn responses(route: &Declared, doc: &DeclaredDoc, paged: bool) -> Value {
    let mut responses = std::collections::BTreeMap::new();
    for reply in &route.replies {
        let status = reply.status.as_str().to_owned();
        responses.entry(status).or_insert_with(|| response(reply, doc));
    }
    for (status, refusal) in (doc.refusals)(&route.access, paged) {
        if !responses.contains_key(status)
            && let Ok(refusal) = serde_json::to_value(refusal)
        {
            responses.insert(status.to_owned(), refusal);
        }
    }
    Value::Object(responses.into_iter().collect())
}

/// One reply as a response: its reason, and its content type with an example body.
fn response(reply: &Reply, doc: &DeclaredDoc) -> Value {
    let description = reply.status.canonical_reason().unwrap_or("The declared answer");
    let media_type =
        reply.content_type.to_str().unwrap_or_default().split(';').next().unwrap_or_default().trim();
    let example = match &reply.body {
        ReplyBody::Empty => return json!({ "description": description }),
        ReplyBody::Page { items, .. } => Some((doc.first_page)(items)),
        ReplyBody::Text(text) if reply.is_json() => serde_json::from_slice::<Value>(&text.text).ok(),
        ReplyBody::Text(text) => Some(Value::String(String::from_utf8_lossy(&text.text).into_owned())),
    };
    let small = example
        .filter(|example| serde_json::to_vec(example).is_ok_and(|bytes| bytes.len() <= MAX_EXAMPLE_BYTES));
    let mut content = Map::new();
    if let Some(example) = small {
        content.insert("example".into(), example);
    }
    if media_type.is_empty() || reply.status == StatusCode::NO_CONTENT {
        return json!({ "description": description });
    }
    json!({ "description": description, "content": { (media_type): content } })
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::operation_id;

    #[test]
    fn names_that_sanitize_alike_get_distinct_operation_ids() {
        let mut ids = HashSet::new();

        let ids =
            [operation_id("a-b", &mut ids), operation_id("a.b", &mut ids), operation_id("a_b", &mut ids)];

        assert_eq!(ids, ["route_a_b", "route_a_b_2", "route_a_b_3"]);
    }
}
