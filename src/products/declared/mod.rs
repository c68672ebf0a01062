//! Declared routes: the calls a client makes after it logs in, declared by a test (a
//! scenario's `[[routes]]`, the admin API's `/__mock/routes`, or `MockControl::routes`) and
//! answered only under the rules of the product that owns the path, exactly as its own
//! protected endpoints are: a missing, expired or revoked bearer, a role not allowed, an
//! unserved version each get the product's own refusal.
//!
//! How a request reaches one: the products' own routes are matched first (a declared route
//! may not shadow one; validation says so), and whatever they leave falls to the app's
//! unknown-path answer, which asks [`answer`] before giving the owning product's 404. The
//! control middleware names the route earlier (for faults and the journal) with [`find`] and
//! leaves what it found in the request, so a route is looked up once per request.
//!
//! Matching: method, path (case-insensitive, trailing slash tolerated, `{name}` segments take
//! any value; a literal segment wins over a parameter), then the route's query and header
//! conditions; among equals, the first declared. A path that matches only with another
//! method gets the product's 405 with `Allow`.
//!
//! The lookup walks a tree of segments ([`index`]), so its cost does not grow with the number
//! of routes.

mod builder;
#[cfg(feature = "openapi")]
pub(crate) mod doc;
mod index;
mod route;
pub(crate) mod runtime;
pub(crate) mod section;
mod spec;
mod store;
mod template;
mod validate;

use std::sync::Arc;
use std::sync::atomic::Ordering;

use actix_web::http::Method;
use actix_web::http::header::{ALLOW, HeaderMap, HeaderValue};
use actix_web::web::{Bytes, Data};
use actix_web::{HttpMessage, HttpRequest, HttpResponse};

pub use builder::{DeclaredRoute, RouteResponse};
#[cfg(feature = "openapi")]
pub(crate) use doc::DeclaredDoc;
/// The path index and its segments, which a loaded document's operations are found by too.
pub(crate) use index::Index;
pub(crate) use route::Segment;
pub use runtime::{RouteId, RouteState};
pub use spec::{ResponseSpec, RouteSpec};
pub(crate) use store::{AddRefused, RouteStore};
pub(crate) use validate::compile;

use self::route::{Reply, ReplyBody};
use self::store::Installed;
use self::template::{Fill, Template};
use super::{Admitted, Product, Refusal};
use crate::request::OriginalPath;
use crate::state::World;

/// What the declared routes make of a request: found once, kept in its extensions.
#[derive(Debug, Clone)]
pub(crate) enum Found {
    /// A route answers it, with the path parameters' values as the client sent them.
    Route { installed: Arc<Installed>, params: Vec<(String, String)> },
    /// Routes exist on the path, but not for this method: the product's 405.
    WrongMethod { product: &'static str, allow: String, name: String },
    /// No declared route takes it.
    Nothing,
}

impl Found {
    /// The name of the route that names the request (`jobs`: faults and the journal call it
    /// `route.jobs`), if one does.
    pub(crate) fn route_name(&self) -> Option<&str> {
        match self {
            Found::Route { installed, .. } => Some(&installed.route.name),
            Found::WrongMethod { name, .. } => Some(name),
            Found::Nothing => None,
        }
    }
}

/// The routes store of `world`.
pub(crate) fn store(world: &World) -> Option<&RouteStore> {
    world.product::<RouteStore>()
}

/// The declared route `method` and the normalized `path` name, given the request's original
/// path (for the parameters' letter case), query and headers.
pub(crate) fn find(
    world: &World,
    method: &Method,
    path: &str,
    original: Option<&str>,
    query: &str,
    headers: &HeaderMap,
) -> Found {
    let Some(store) = store(world) else { return Found::Nothing };
    let set = store.current();
    if set.is_empty() {
        return Found::Nothing;
    }
    let segments: Vec<&str> = path.split('/').filter(|segment| !segment.is_empty()).collect();
    let candidates = set.index.on_path(&segments);
    if candidates.is_empty() {
        return Found::Nothing;
    }
    // Read only when some candidate has query conditions (most routes have none).
    let query_pairs = if candidates.iter().any(|number| !set.routes[*number].route.query.is_empty()) {
        parse_query(query)
    } else {
        Vec::new()
    };
    let mut on_path_methods: Vec<&Method> = Vec::new();
    for number in &candidates {
        let installed = &set.routes[*number];
        let route = &installed.route;
        if route.method != method {
            if !on_path_methods.contains(&&route.method) {
                on_path_methods.push(&route.method);
            }
            continue;
        }
        let query_ok = route.query.iter().all(|(name, wanted)| {
            query_pairs.iter().any(|(key, value)| {
                key.eq_ignore_ascii_case(name) && wanted.as_ref().is_none_or(|w| w == value)
            })
        });
        let headers_ok = route.headers.iter().all(|(name, wanted)| {
            headers
                .get_all(name)
                .any(|value| wanted.as_ref().is_none_or(|w| value.as_bytes() == w.as_bytes()))
        });
        if query_ok && headers_ok {
            let original_segments: Vec<&str> =
                original.unwrap_or(path).split('/').filter(|segment| !segment.is_empty()).collect();
            let params = route
                .segments
                .iter()
                .zip(0..)
                .filter_map(|(segment, position)| match segment {
                    route::Segment::Param(name) => {
                        let value = original_segments.get(position).or(segments.get(position))?;
                        // As ASP.NET binds a route value: percent-decoded (`+` stays a plus).
                        let decoded = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
                        Some((name.clone(), decoded.into_owned()))
                    }
                    route::Segment::Literal(_) => None,
                })
                .collect();
            return Found::Route { installed: Arc::clone(installed), params };
        }
    }
    // Routes on this path with this method whose conditions failed: not found. Only another
    // method on the path is a 405.
    let same_method = candidates.iter().any(|number| set.routes[*number].route.method == method);
    match (same_method, candidates.first()) {
        (false, Some(first)) => {
            let route = &set.routes[*first].route;
            let allow = on_path_methods.iter().map(|method| method.as_str()).collect::<Vec<_>>().join(", ");
            Found::WrongMethod { product: route.product.name(), allow, name: route.name.clone() }
        }
        _ => Found::Nothing,
    }
}

/// What the declared routes make of `req` (what the control middleware found, else found now).
fn found_for(req: &HttpRequest, world: &World) -> Found {
    // Taken, not cloned: nothing else reads it after the answer.
    if let Some(found) = req.extensions_mut().remove::<Found>() {
        return found;
    }
    let original = req.extensions().get::<OriginalPath>().map(|original| original.0.clone());
    find(world, req.method(), req.path(), original.as_deref(), req.query_string(), req.headers())
}

/// The answer of the declared route `req` names, if one does: the owning product's refusal
/// when the caller is not let through, else the route's response.
pub(crate) fn answer(req: &HttpRequest) -> Option<HttpResponse> {
    let world = req.app_data::<Data<World>>()?;
    match found_for(req, world) {
        Found::Nothing => None,
        Found::WrongMethod { product, allow, .. } => {
            let product = super::PRODUCTS.iter().find(|p| p.name() == product)?;
            let mut response = product.status_error(req, 405);
            if let Ok(value) = HeaderValue::from_str(&allow) {
                response.headers_mut().insert(ALLOW, value);
            }
            Some(response)
        }
        Found::Route { installed, params } => Some(respond(req, world, &installed, &params)),
    }
}

fn respond(
    req: &HttpRequest,
    world: &World,
    installed: &Installed,
    params: &[(String, String)],
) -> HttpResponse {
    let route = &installed.route;
    let product = route.product;
    let caller = match product.admit(req, world, &route.access) {
        Ok(caller) => caller,
        Err(refusal) => return *refusal,
    };
    let call = installed.calls.fetch_add(1, Ordering::Relaxed);
    let position = usize::try_from(call).unwrap_or(usize::MAX).min(route.replies.len().saturating_sub(1));
    let Some(reply) = route.replies.get(position) else {
        return product.status_error(req, 500);
    };
    let body = match body_of(req, world, product, reply, &caller, params) {
        Ok(body) => body,
        Err(refusal) => return *refusal,
    };
    let mut response = HttpResponse::build(reply.status);
    for (name, value) in &reply.headers {
        response.append_header((name.clone(), value.clone()));
    }
    match body {
        None => response.finish(),
        Some(body) => response
            .insert_header((actix_web::http::header::CONTENT_TYPE, reply.content_type.clone()))
            .body(body),
    }
}

/// The reply's body for this call, its templates filled in.
fn body_of(
    req: &HttpRequest,
    world: &World,
    product: &'static dyn Product,
    reply: &Reply,
    caller: &Admitted,
    params: &[(String, String)],
) -> Result<Option<Bytes>, Refusal> {
    let fill = |template: &Template| {
        let query = parse_query(req.query_string());
        let now = product.format_time(world.clock.now());
        let mut uuid = || {
            let mut bytes = [0u8; 16];
            world.random.fill(&mut bytes);
            uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
        };
        template.render(&mut Fill {
            path: params,
            query: &query,
            user: &caller.user,
            role: &caller.role,
            now: &now,
            uuid: &mut uuid,
            json: reply.is_json(),
        })
    };
    let too_large = || Box::new(product.status_error(req, 500));
    Ok(match &reply.body {
        ReplyBody::Empty => None,
        ReplyBody::Text(text) => Some(match &text.template {
            None => text.text.clone(),
            Some(template) => Bytes::from(fill(template).ok_or_else(too_large)?),
        }),
        ReplyBody::Page { items, templated, .. } => {
            let envelope = product.page(req, items)?;
            let text = serde_json::to_string(&envelope).unwrap_or_default();
            if *templated
                && let Ok(template) =
                    Template::parse(&text, &params.iter().map(|(name, _)| name.clone()).collect::<Vec<_>>())
            {
                Some(Bytes::from(fill(&template).ok_or_else(too_large)?))
            } else {
                Some(Bytes::from(text))
            }
        }
    })
}

/// A query string's pairs (an unreadable one reads as empty).
pub(crate) fn parse_query(query: &str) -> Vec<(String, String)> {
    if query.is_empty() {
        return Vec::new();
    }
    serde_urlencoded::from_str(query).unwrap_or_default()
}
