//! [`DeclaredRoute`] and [`RouteResponse`]: a declared route written in code, like a sentence,
//! for `MockControl::routes`. They only fill in a [`RouteSpec`] (the keys of a scenario's
//! `[[routes]]` table), so a route built here is checked and answered exactly as one read
//! from a file or posted to the admin API.

use serde_json::Value;

use super::spec::{ResponseSpec, RouteSpec};

/// A declared route written in code: a method and path, who may call it, the conditions it
/// takes, and what it answers (one response, or a sequence with [`DeclaredRoute::then`]).
/// Put it in force with `MockControl::routes().add(..)`; it becomes a [`RouteSpec`].
///
/// By default a route answers `GET`, to a live bearer of the product that owns the path (its
/// `auth = "session"`), with 200 and no body.
///
/// ```
/// use serde_json::json;
/// use veeam_auth_mock::routes::{DeclaredRoute, RouteSpec};
///
/// let jobs = DeclaredRoute::get("/v8/Jobs")
///     .named("jobs")
///     .for_roles(["administrator"])
///     .items(json!([{ "id": "a", "name": "Daily" }]));
/// let spec = RouteSpec::from(jobs);
/// assert_eq!(
///     serde_json::to_value(&spec).expect("JSON"),
///     json!({
///         "name": "jobs", "method": "GET", "path": "/v8/Jobs", "auth": ["administrator"],
///         "items": [{ "id": "a", "name": "Daily" }]
///     })
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeclaredRoute {
    /// The route's own keys (its response keys stay empty until it becomes a spec).
    route: RouteSpec,
    /// The first (or only) response.
    first: ResponseSpec,
    /// The responses after the first, in order (the last repeats).
    then: Vec<ResponseSpec>,
}

impl DeclaredRoute {
    /// A route answering `method` at `path` (`{name}` segments take any value and can be
    /// filled into bodies as `{{path.name}}`).
    ///
    /// ```
    /// use veeam_auth_mock::routes::{DeclaredRoute, RouteSpec};
    ///
    /// let spec = RouteSpec::from(DeclaredRoute::new("patch", "/v8/Jobs/{jobId}"));
    /// assert_eq!((spec.method.as_deref(), spec.path.as_deref()), (Some("PATCH"), Some("/v8/Jobs/{jobId}")));
    /// ```
    pub fn new(method: &str, path: &str) -> DeclaredRoute {
        let route = RouteSpec {
            method: Some(method.trim().to_ascii_uppercase()),
            path: Some(path.to_owned()),
            ..RouteSpec::default()
        };
        DeclaredRoute { route, ..DeclaredRoute::default() }
    }

    /// A `GET` route.
    ///
    /// ```
    /// use veeam_auth_mock::routes::{DeclaredRoute, RouteSpec};
    ///
    /// assert_eq!(RouteSpec::from(DeclaredRoute::get("/v8/License")).method.as_deref(), Some("GET"));
    /// ```
    pub fn get(path: &str) -> DeclaredRoute {
        DeclaredRoute::new("GET", path)
    }

    /// A `POST` route.
    ///
    /// ```
    /// use veeam_auth_mock::routes::{DeclaredRoute, RouteSpec};
    ///
    /// let spec = RouteSpec::from(DeclaredRoute::post("/v8/Jobs/{id}/start"));
    /// assert_eq!(spec.method.as_deref(), Some("POST"));
    /// ```
    pub fn post(path: &str) -> DeclaredRoute {
        DeclaredRoute::new("POST", path)
    }

    /// A `PUT` route.
    ///
    /// ```
    /// use veeam_auth_mock::routes::{DeclaredRoute, RouteSpec};
    ///
    /// assert_eq!(RouteSpec::from(DeclaredRoute::put("/v8/Jobs/{id}")).method.as_deref(), Some("PUT"));
    /// ```
    pub fn put(path: &str) -> DeclaredRoute {
        DeclaredRoute::new("PUT", path)
    }

    /// A `DELETE` route.
    ///
    /// ```
    /// use veeam_auth_mock::routes::{DeclaredRoute, RouteSpec};
    ///
    /// assert_eq!(RouteSpec::from(DeclaredRoute::delete("/v8/Jobs/{id}")).method.as_deref(), Some("DELETE"));
    /// ```
    pub fn delete(path: &str) -> DeclaredRoute {
        DeclaredRoute::new("DELETE", path)
    }

    /// Its name (default: made of the method and path, like `get-v8-jobs`); faults and the
    /// journal call the route `route.<name>`.
    ///
    /// ```
    /// use veeam_auth_mock::routes::{DeclaredRoute, RouteSpec};
    ///
    /// let spec = RouteSpec::from(DeclaredRoute::get("/v8/Jobs").named("jobs"));
    /// assert_eq!(spec.name.as_deref(), Some("jobs"));
    /// ```
    #[must_use]
    pub fn named(mut self, name: &str) -> DeclaredRoute {
        self.route.name = Some(name.to_owned());
        self
    }

    /// The product whose rules answer it (`vb365`, `azure`; default: the one whose paths these
    /// are).
    ///
    /// ```
    /// use veeam_auth_mock::routes::{DeclaredRoute, RouteSpec};
    ///
    /// let spec = RouteSpec::from(DeclaredRoute::get("/api/v8/policies").product("azure"));
    /// assert_eq!(spec.product.as_deref(), Some("azure"));
    /// ```
    #[must_use]
    pub fn product(mut self, product: &str) -> DeclaredRoute {
        self.route.product = Some(product.to_owned());
        self
    }

    /// Only callers whose session has one of these roles (the product's names: VB365
    /// `administrator`, `tenant`, `operator`; VBAzure `PortalAdmin`, ...); others get the
    /// product's 403.
    ///
    /// ```
    /// use serde_json::json;
    /// use veeam_auth_mock::routes::{DeclaredRoute, RouteSpec};
    ///
    /// let spec = RouteSpec::from(DeclaredRoute::get("/v8/Jobs").for_roles(["administrator", "operator"]));
    /// assert_eq!(spec.auth, Some(json!(["administrator", "operator"])));
    /// ```
    #[must_use]
    pub fn for_roles<R: AsRef<str>>(mut self, roles: impl IntoIterator<Item = R>) -> DeclaredRoute {
        let roles = roles.into_iter().map(|role| Value::String(role.as_ref().to_owned())).collect();
        self.route.auth = Some(Value::Array(roles));
        self
    }

    /// Anyone may call it, with no bearer.
    ///
    /// ```
    /// use serde_json::json;
    /// use veeam_auth_mock::routes::{DeclaredRoute, RouteSpec};
    ///
    /// let spec = RouteSpec::from(DeclaredRoute::get("/v8/Health").anonymous());
    /// assert_eq!(spec.auth, Some(json!("anonymous")));
    /// ```
    #[must_use]
    pub fn anonymous(mut self) -> DeclaredRoute {
        self.route.auth = Some(Value::from("anonymous"));
        self
    }

    /// It takes a single-use `?authCode=` (VB365's `POST /vX/token/AuthCode`) instead of a
    /// bearer.
    ///
    /// ```
    /// use serde_json::json;
    /// use veeam_auth_mock::routes::{DeclaredRoute, RouteSpec};
    ///
    /// let spec = RouteSpec::from(DeclaredRoute::get("/v8/Teams/export").with_auth_code());
    /// assert_eq!(spec.auth, Some(json!("auth_code")));
    /// ```
    #[must_use]
    pub fn with_auth_code(mut self) -> DeclaredRoute {
        self.route.auth = Some(Value::from("auth_code"));
        self
    }

    /// Only requests whose query has `name` (case-insensitive) with this value (`"*"`: any).
    ///
    /// ```
    /// use veeam_auth_mock::routes::{DeclaredRoute, RouteSpec};
    ///
    /// let spec = RouteSpec::from(DeclaredRoute::get("/v8/Jobs").when_query("organizationId", "*"));
    /// assert_eq!(spec.query.expect("a condition")["organizationId"], "*");
    /// ```
    #[must_use]
    pub fn when_query(mut self, name: &str, value: &str) -> DeclaredRoute {
        self.route.query.get_or_insert_default().insert(name.to_owned(), value.to_owned());
        self
    }

    /// Only requests carrying the header `name` with this value (`"*"`: any).
    ///
    /// ```
    /// use veeam_auth_mock::routes::{DeclaredRoute, RouteSpec};
    ///
    /// let spec = RouteSpec::from(DeclaredRoute::get("/v8/Jobs").when_header("X-Tenant", "a"));
    /// assert_eq!(spec.request_headers.expect("a condition")["X-Tenant"], "a");
    /// ```
    #[must_use]
    pub fn when_header(mut self, name: &str, value: &str) -> DeclaredRoute {
        self.route.request_headers.get_or_insert_default().insert(name.to_owned(), value.to_owned());
        self
    }

    /// The (first) response's status (default 200; 200 to 599).
    ///
    /// ```
    /// use veeam_auth_mock::routes::{DeclaredRoute, RouteSpec};
    ///
    /// assert_eq!(RouteSpec::from(DeclaredRoute::get("/v8/Jobs").status(503)).status, Some(503));
    /// ```
    #[must_use]
    pub fn status(mut self, status: u16) -> DeclaredRoute {
        self.first = RouteResponse { spec: self.first }.with_status(status).spec;
        self
    }

    /// The (first) response's body, as text (a template: `{{path.id}}`, `{{user}}`, ...).
    ///
    /// ```
    /// use veeam_auth_mock::routes::{DeclaredRoute, RouteSpec};
    ///
    /// let spec = RouteSpec::from(DeclaredRoute::get("/v8/Jobs").body(r#"{"results":[]}"#));
    /// assert_eq!(spec.body.as_deref(), Some(r#"{"results":[]}"#));
    /// ```
    #[must_use]
    pub fn body(mut self, body: &str) -> DeclaredRoute {
        self.first = RouteResponse { spec: self.first }.body(body).spec;
        self
    }

    /// The (first) response's body, as JSON (key order kept; strings are templates).
    ///
    /// ```
    /// use serde_json::json;
    /// use veeam_auth_mock::routes::{DeclaredRoute, RouteSpec};
    ///
    /// let spec = RouteSpec::from(DeclaredRoute::get("/v8/Jobs/{id}").json(json!({ "id": "{{path.id}}" })));
    /// assert_eq!(spec.json, Some(json!({ "id": "{{path.id}}" })));
    /// ```
    #[must_use]
    pub fn json(mut self, json: Value) -> DeclaredRoute {
        self.first = RouteResponse { spec: self.first }.json(json).spec;
        self
    }

    /// The (first) response is a paged collection of these items, served in the product's
    /// envelope and sliced by its paging parameters.
    ///
    /// ```
    /// use serde_json::json;
    /// use veeam_auth_mock::routes::{DeclaredRoute, RouteSpec};
    ///
    /// let jobs = DeclaredRoute::get("/v8/Jobs").items(json!([{ "id": "a" }, { "id": "b" }]));
    /// let spec = RouteSpec::from(jobs);
    /// assert_eq!(spec.items.map(|items| items.len()), Some(2));
    /// ```
    ///
    /// # Panics
    ///
    /// If `items` is not a JSON array.
    #[must_use]
    pub fn items(mut self, items: impl Into<Value>) -> DeclaredRoute {
        self.first = RouteResponse { spec: self.first }.items(items).spec;
        self
    }

    /// The (first) response's `Content-Type` (default `application/json; charset=utf-8`).
    ///
    /// ```
    /// use veeam_auth_mock::routes::{DeclaredRoute, RouteSpec};
    ///
    /// let spec = RouteSpec::from(DeclaredRoute::get("/v8/Report").body("a,b").content_type("text/csv"));
    /// assert_eq!(spec.content_type.as_deref(), Some("text/csv"));
    /// ```
    #[must_use]
    pub fn content_type(mut self, content_type: &str) -> DeclaredRoute {
        self.first = RouteResponse { spec: self.first }.content_type(content_type).spec;
        self
    }

    /// An extra header on the (first) response.
    ///
    /// ```
    /// use veeam_auth_mock::routes::{DeclaredRoute, RouteSpec};
    ///
    /// let spec = RouteSpec::from(DeclaredRoute::get("/v8/Jobs").header("X-Example", "1"));
    /// assert_eq!(spec.headers.expect("a header")["X-Example"], "1");
    /// ```
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> DeclaredRoute {
        self.first = RouteResponse { spec: self.first }.header(name, value).spec;
        self
    }

    /// The response to the next call after those declared so far: the first call gets the
    /// route's own response, the second the first `then`, and so on; the last repeats.
    ///
    /// ```
    /// use serde_json::json;
    /// use veeam_auth_mock::routes::{DeclaredRoute, RouteResponse, RouteSpec};
    ///
    /// let flaky = DeclaredRoute::get("/v8/Jobs")
    ///     .status(503)
    ///     .then(RouteResponse::ok().json(json!({ "results": [] })));
    /// let spec = RouteSpec::from(flaky);
    /// let responses = spec.responses.expect("a sequence");
    /// let statuses: Vec<Option<i64>> = responses.iter().map(|r| r.status).collect();
    /// assert_eq!(statuses, [Some(503), Some(200)]);
    /// assert_eq!(spec.status, None, "the response keys move into the sequence");
    /// ```
    #[must_use]
    pub fn then(mut self, response: RouteResponse) -> DeclaredRoute {
        self.then.push(response.spec);
        self
    }
}

impl From<DeclaredRoute> for RouteSpec {
    fn from(route: DeclaredRoute) -> RouteSpec {
        let DeclaredRoute { mut route, first, then } = route;
        if then.is_empty() {
            let ResponseSpec { status, body, json, body_file, items, items_file, content_type, headers } =
                first;
            RouteSpec { status, body, json, body_file, items, items_file, content_type, headers, ..route }
        } else {
            route.responses = Some(std::iter::once(first).chain(then).collect());
            route
        }
    }
}

/// One response of a declared route's sequence ([`DeclaredRoute::then`]).
///
/// ```
/// use serde_json::json;
/// use veeam_auth_mock::routes::{ResponseSpec, RouteResponse};
///
/// let busy = RouteResponse::status(429).header("Retry-After", "5").json(json!({ "message": "busy" }));
/// let spec = ResponseSpec::from(busy);
/// assert_eq!((spec.status, spec.json), (Some(429), Some(json!({ "message": "busy" }))));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RouteResponse {
    spec: ResponseSpec,
}

impl RouteResponse {
    /// A response with this status (200 to 599) and, until one is given, no body.
    ///
    /// ```
    /// use veeam_auth_mock::routes::{ResponseSpec, RouteResponse};
    ///
    /// assert_eq!(ResponseSpec::from(RouteResponse::status(503)).status, Some(503));
    /// ```
    pub fn status(status: u16) -> RouteResponse {
        RouteResponse::default().with_status(status)
    }

    /// A 200 response with, until one is given, no body.
    ///
    /// ```
    /// use veeam_auth_mock::routes::{ResponseSpec, RouteResponse};
    ///
    /// assert_eq!(ResponseSpec::from(RouteResponse::ok()).status, Some(200));
    /// ```
    pub fn ok() -> RouteResponse {
        RouteResponse::status(200)
    }

    fn with_status(mut self, status: u16) -> RouteResponse {
        self.spec.status = Some(i64::from(status));
        self
    }

    /// Its body, as text (a template).
    ///
    /// ```
    /// use veeam_auth_mock::routes::{ResponseSpec, RouteResponse};
    ///
    /// assert_eq!(ResponseSpec::from(RouteResponse::ok().body("{}")).body.as_deref(), Some("{}"));
    /// ```
    #[must_use]
    pub fn body(mut self, body: &str) -> RouteResponse {
        self.spec.body = Some(body.to_owned());
        self
    }

    /// Its body, as JSON (key order kept; strings are templates).
    ///
    /// ```
    /// use serde_json::json;
    /// use veeam_auth_mock::routes::{ResponseSpec, RouteResponse};
    ///
    /// let spec = ResponseSpec::from(RouteResponse::ok().json(json!({ "by": "{{user}}" })));
    /// assert_eq!(spec.json, Some(json!({ "by": "{{user}}" })));
    /// ```
    #[must_use]
    pub fn json(mut self, json: Value) -> RouteResponse {
        self.spec.json = Some(json);
        self
    }

    /// A paged collection of these items, in the product's envelope.
    ///
    /// ```
    /// use serde_json::json;
    /// use veeam_auth_mock::routes::{ResponseSpec, RouteResponse};
    ///
    /// let spec = ResponseSpec::from(RouteResponse::ok().items(vec![json!({ "id": "a" })]));
    /// assert_eq!(spec.items, Some(vec![json!({ "id": "a" })]));
    /// ```
    ///
    /// # Panics
    ///
    /// If `items` is not a JSON array.
    #[must_use]
    pub fn items(mut self, items: impl Into<Value>) -> RouteResponse {
        match items.into() {
            Value::Array(items) => self.spec.items = Some(items),
            other => panic!("veeam-auth-mock: items: give a JSON array of items, not {other}"),
        }
        self
    }

    /// Its `Content-Type` (default `application/json; charset=utf-8`).
    ///
    /// ```
    /// use veeam_auth_mock::routes::{ResponseSpec, RouteResponse};
    ///
    /// let spec = ResponseSpec::from(RouteResponse::ok().body("done").content_type("text/plain"));
    /// assert_eq!(spec.content_type.as_deref(), Some("text/plain"));
    /// ```
    #[must_use]
    pub fn content_type(mut self, content_type: &str) -> RouteResponse {
        self.spec.content_type = Some(content_type.to_owned());
        self
    }

    /// An extra response header.
    ///
    /// ```
    /// use veeam_auth_mock::routes::{ResponseSpec, RouteResponse};
    ///
    /// let spec = ResponseSpec::from(RouteResponse::status(503).header("Retry-After", "5"));
    /// assert_eq!(spec.headers.expect("a header")["Retry-After"], "5");
    /// ```
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> RouteResponse {
        self.spec.headers.get_or_insert_default().insert(name.to_owned(), value.to_owned());
        self
    }
}

impl From<RouteResponse> for ResponseSpec {
    fn from(response: RouteResponse) -> ResponseSpec {
        response.spec
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    #[should_panic(expected = "items: give a JSON array of items, not {\"id\":\"a\"}")]
    fn items_must_be_an_array() {
        let _ = DeclaredRoute::get("/v8/Jobs").items(json!({ "id": "a" }));
    }

    #[test]
    fn a_sequence_takes_the_first_response_from_the_route() {
        let spec = RouteSpec::from(
            DeclaredRoute::get("/v8/Jobs").status(503).header("Retry-After", "1").then(RouteResponse::ok()),
        );
        let responses = spec.responses.clone().expect("a sequence");
        assert_eq!(responses[0].headers.as_ref().map(|h| h["Retry-After"].as_str()), Some("1"));
        assert_eq!(responses[1], ResponseSpec { status: Some(200), ..ResponseSpec::default() });
        assert!(!spec.has_own_response());
    }
}
