//! Route tables and the one way to register them.
//!
//! Each product declares its routes once, in a [`Table`] (`products/<product>/routes.rs`):
//! method, path as the product documents it, stable [`Endpoint`] name, and the handler. That
//! table is the single source for registering the actix resources ([`register`]), naming a
//! request's endpoint for faults and the journal ([`Table::lookup`]), answering a known path
//! with the wrong method (405 with `Allow`, [`resource`]), and the tests' list of served routes.
//!
//! This module sits below the products and knows none of them; it only knows actix and the
//! endpoint names.

use std::ops::RangeInclusive;
use std::sync::Mutex;

use actix_web::guard::{self, GuardContext};
use actix_web::http::Method;
use actix_web::http::header::{ALLOW, HeaderValue};
use actix_web::web::{self, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, Resource};

use crate::scenario::Endpoint;

/// A product's answer to a known path called with a method it does not take, given the
/// path's `Allow` value: usually a 405 in the product's error format (the wrapper adds the
/// `Allow` header to any 405), or whatever the product answers first (VB365: a 404 for a
/// version the route does not exist in).
pub(crate) type Refuse = fn(&HttpRequest, &'static str) -> HttpResponse;

/// Turns an actix route that already has its method guard into a served one (`|r| r.to(h)`).
pub(crate) type Handler = fn(actix_web::Route) -> actix_web::Route;

/// One row of a route table: one method on one path.
pub(crate) struct Route {
    /// The method served.
    pub(crate) method: Method,
    /// The path as the product documents it (its OpenAPI document uses the same text), with
    /// `{name}` segments for parameters. Matching is case-insensitive: the app normalizes
    /// paths to lower case first, and the route is registered in lower case.
    pub(crate) path: &'static str,
    /// The stable name faults and the journal use.
    pub(crate) endpoint: Endpoint,
    /// Whether this is a token request, whose body fields (grant, user) faults and the
    /// journal look at.
    pub(crate) reads_token: bool,
    /// The product's numbered API versions the route exists in, for a product whose version
    /// check reads them (its [`Table::attach`] hook puts them on the resource); `None` when
    /// the route has no such limit.
    pub(crate) versions: Option<RangeInclusive<u8>>,
    /// The handler.
    pub(crate) handler: Handler,
}

impl Route {
    /// A route with no version limit that is not a token request.
    pub(crate) const fn new(
        method: Method,
        path: &'static str,
        endpoint: Endpoint,
        handler: Handler,
    ) -> Route {
        Route { method, path, endpoint, reads_token: false, versions: None, handler }
    }

    /// The same route, marked as a token request.
    pub(crate) const fn token(mut self) -> Route {
        self.reads_token = true;
        self
    }

    /// The same route, existing only in `versions`.
    pub(crate) const fn in_versions(mut self, versions: RangeInclusive<u8>) -> Route {
        self.versions = Some(versions);
        self
    }

    /// Whether a normalized path is this route's (parameters match any non-empty segment).
    pub(crate) fn matches_path(&self, path: &str) -> bool {
        let mut pattern = self.path.split('/');
        let mut given = path.split('/');
        loop {
            match (pattern.next(), given.next()) {
                (None, None) => return true,
                (Some(expected), Some(segment)) => {
                    let same = if expected.starts_with('{') {
                        !segment.is_empty()
                    } else {
                        expected.eq_ignore_ascii_case(segment)
                    };
                    if !same {
                        return false;
                    }
                }
                _ => return false,
            }
        }
    }
}

/// A product's route table.
pub(crate) struct Table {
    /// Every route, in a stable order (the order [`Endpoint::all`] lists the endpoints in).
    pub(crate) routes: &'static [Route],
    /// Path prefixes (such as `/{version}`) whose routes share one actix scope, so that a
    /// server start compiles one pattern for them instead of one per route (compiling route
    /// patterns was half of a debug build's `MockServer::start`). A scope takes every path
    /// under its prefix, falling back to the app's unknown-path answer.
    pub(crate) scopes: &'static [&'static str],
    /// The product's answer to a known path with the wrong method.
    pub(crate) refuse: Refuse,
    /// Adds what the product's handlers read from the resource (such as the versions a route
    /// exists in) to the resource of `route`'s path.
    pub(crate) attach: fn(&Route, Resource) -> Resource,
    /// A condition every request must meet to reach the product's resources and scopes, for a
    /// product that shares paths with one registered after it (VBR's `/api/oauth2/token` is
    /// told from VBAzure's by its mandatory `x-api-version` header); a request that fails it
    /// goes on to the next product's routes.
    pub(crate) guard: Option<fn(&GuardContext<'_>) -> bool>,
}

impl Table {
    /// The route a (normalized) path and method name: the one with that method, else the
    /// first on that path (a wrong method is still named after its path, so that a fault or a
    /// journal filter on an endpoint sees it too).
    pub(crate) fn lookup(&self, method: &Method, path: &str) -> Option<&'static Route> {
        let routes: &'static [Route] = self.routes;
        let mut on_path = routes.iter().filter(|route| route.matches_path(path));
        let first = on_path.next()?;
        if first.method == method {
            return Some(first);
        }
        Some(on_path.find(|route| route.method == method).unwrap_or(first))
    }

    /// The scope a route is registered in, if any.
    fn scope_of(&self, route: &Route) -> Option<&'static str> {
        self.scopes.iter().copied().find(|scope| {
            route.path.strip_prefix(scope).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    }
}

/// Registers `table`: the routes outside any scope as resources of their own, then each scope
/// (its routes under a parameter in a nested scope of their own, one pattern for them all).
/// `unknown` answers the paths a scope takes but does not serve.
pub(crate) fn register(cfg: &mut ServiceConfig, table: &'static Table, unknown: fn() -> actix_web::Route) {
    let unscoped: Vec<&'static Route> =
        table.routes.iter().filter(|route| table.scope_of(route).is_none()).collect();
    for (path, routes) in by_path(&unscoped, |route| route.path.to_ascii_lowercase()) {
        cfg.service(table_resource(table, &path, &routes));
    }
    for &prefix in table.scopes {
        let mut scope = web::scope(&prefix.to_ascii_lowercase());
        let inside: Vec<&'static Route> =
            table.routes.iter().filter(|route| table.scope_of(route) == Some(prefix)).collect();
        let rest = |route: &Route| route.path[prefix.len()..].to_ascii_lowercase();
        // Routes with no parameter of their own first, then one nested scope per parameter.
        let (flat, nested): (Vec<_>, Vec<_>) = inside.iter().partition(|route| !rest(route).contains('{'));
        for (path, routes) in by_path(&flat, rest) {
            scope = scope.service(table_resource(table, &path, &routes));
        }
        let split = |route: &Route| {
            let rest = rest(route);
            let end = rest.find('}').map_or(rest.len(), |at| at + 1);
            (rest[..end].to_owned(), rest[end..].to_owned())
        };
        for (nested_prefix, routes) in by_path(&nested, |route| split(route).0) {
            let mut inner = web::scope(&nested_prefix);
            for (path, routes) in by_path(&routes, |route| split(route).1) {
                inner = inner.service(table_resource(table, &path, &routes));
            }
            scope = scope.service(inner);
        }
        let scope = match table.guard {
            Some(condition) => scope.guard(guard::fn_guard(condition)),
            None => scope,
        };
        cfg.service(scope.default_service(unknown()));
    }
}

/// Groups routes by a key, in the order each key first appears.
fn by_path(routes: &[&'static Route], key: impl Fn(&Route) -> String) -> Vec<(String, Vec<&'static Route>)> {
    let mut groups: Vec<(String, Vec<&'static Route>)> = Vec::new();
    for route in routes {
        let key = key(route);
        match groups.iter_mut().find(|(seen, _)| *seen == key) {
            Some((_, group)) => group.push(route),
            None => groups.push((key, vec![route])),
        }
    }
    groups
}

/// The resource of one path of a table: its routes, its product data, the product's refusal.
fn table_resource(table: &'static Table, path: &str, routes: &[&'static Route]) -> Resource {
    let allow = intern(routes.iter().map(|route| route.method.as_str()).collect::<Vec<_>>().join(", "));
    let served = routes.iter().map(|route| (route.handler)(web::method(route.method.clone())));
    let resource = (table.attach)(routes[0], resource(path, served, allow, table.refuse));
    match table.guard {
        Some(condition) => resource.guard(guard::fn_guard(condition)),
        None => resource,
    }
}

/// A resource serving `routes`, whose other methods get `refuse`'s answer, with
/// `Allow: <allow>` added when that answer is a 405.
pub(crate) fn resource(
    path: &str,
    routes: impl IntoIterator<Item = actix_web::Route>,
    allow: &'static str,
    refuse: Refuse,
) -> Resource {
    let resource = routes.into_iter().fold(web::resource(path), Resource::route);
    resource.default_service(web::to(move |req: HttpRequest| async move {
        let mut response = refuse(&req, allow);
        if response.status() == actix_web::http::StatusCode::METHOD_NOT_ALLOWED {
            response.headers_mut().insert(ALLOW, HeaderValue::from_static(allow));
        }
        response
    }))
}

/// A `'static` copy of an `Allow` value. The values come from the route tables, so there are
/// only a few distinct ones; each is leaked once and reused by every later app build.
fn intern(text: String) -> &'static str {
    static SEEN: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    let mut seen = SEEN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(found) = seen.iter().find(|known| **known == text) {
        return found;
    }
    let leaked: &'static str = Box::leak(text.into_boxed_str());
    seen.push(leaked);
    leaked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(path: &'static str) -> Route {
        Route::new(Method::GET, path, Endpoint::new("test.route"), |r| r)
    }

    #[test]
    fn a_path_matches_its_pattern_segment_by_segment() {
        let explore = route("/{version}/Organizations/{organization_id}/explore");
        assert!(explore.matches_path("/v8/organizations/42/explore"));
        assert!(!explore.matches_path("/v8/organizations//explore"));
        assert!(!explore.matches_path("/v8/organizations/42/explore/more"));
        assert!(!explore.matches_path("/v8/organizations/42"));
        assert!(route("/api/oauth2/token").matches_path("/api/oauth2/token"));
        assert!(!route("/api/oauth2/token").matches_path("/api/oauth2/tokens"));
    }

    #[actix_web::test]
    async fn a_guarded_table_takes_only_its_requests_and_leaves_the_rest_to_the_next() {
        use actix_web::test::{TestRequest, call_service, init_service};

        static FIRST: [Route; 1] =
            [Route::new(Method::POST, "/api/oauth2/token", Endpoint::new("first.token"), |r| {
                r.to(|| async { HttpResponse::Ok().body("first") })
            })];
        static SECOND: [Route; 1] =
            [Route::new(Method::POST, "/api/oauth2/token", Endpoint::new("second.token"), |r| {
                r.to(|| async { HttpResponse::Ok().body("second") })
            })];
        static GUARDED: Table = Table {
            routes: &FIRST,
            scopes: &[],
            refuse: |_, _| HttpResponse::MethodNotAllowed().finish(),
            attach: |_, resource| resource,
            guard: Some(|ctx| ctx.head().headers().contains_key("x-api-version")),
        };
        static OPEN: Table = Table { routes: &SECOND, guard: None, ..GUARDED };
        let app = init_service(actix_web::App::new().configure(|cfg| {
            register(cfg, &GUARDED, web::route);
            register(cfg, &OPEN, web::route);
        }))
        .await;
        let body = |req| async {
            let response = call_service(&app, req).await;
            actix_web::test::read_body(response).await
        };

        let with_header =
            TestRequest::post().uri("/api/oauth2/token").insert_header(("x-api-version", "1.2-rev0"));
        assert_eq!(body(with_header.to_request()).await, "first");
        assert_eq!(body(TestRequest::post().uri("/api/oauth2/token").to_request()).await, "second");
    }

    #[test]
    fn allow_values_are_interned() {
        assert!(std::ptr::eq(intern("POST, DELETE".to_owned()), intern("POST, DELETE".to_owned())));
    }
}
