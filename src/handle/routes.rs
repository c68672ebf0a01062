//! [`Routes`]: the declared routes of a running mock, from `MockControl::routes` (the admin
//! API's `/__mock/routes` in-process).

use crate::products::declared::runtime::{self, no_files};
use crate::products::declared::{RouteId, RouteSpec, RouteState};
use crate::state::World;

/// The declared routes in force: add, list, remove. Reached through
/// [`MockControl::routes`](crate::MockControl::routes); the same operations as the admin API's
/// `/__mock/routes`, which accept and refuse the same routes.
///
/// A route added here is checked like a scenario's `[[routes]]` table, except that it cannot
/// name a file (`body_file`, `items_file`): give its body inline. A reset or a load puts the
/// scenario's routes back and drops those added since.
///
/// ```
/// use serde_json::json;
/// use veeam_auth_mock::routes::DeclaredRoute;
/// use veeam_auth_mock::{MockServer, Scenario};
///
/// let server = MockServer::start_blocking(Scenario::default());
/// let id = server.routes().add(DeclaredRoute::get("/v8/Jobs").named("jobs").items(json!([{ "id": "a" }])));
/// let listed = server.routes().list();
/// assert_eq!((listed[0].id, listed[0].endpoint.as_str(), listed[0].calls), (id, "route.jobs", 0));
/// assert!(server.routes().remove(id));
/// assert!(server.routes().list().is_empty());
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Routes<'a> {
    world: &'a World,
}

impl<'a> Routes<'a> {
    pub(crate) fn new(world: &'a World) -> Routes<'a> {
        Routes { world }
    }

    /// Puts `route` in force after the others; returns its id.
    ///
    /// ```
    /// use veeam_auth_mock::routes::DeclaredRoute;
    /// use veeam_auth_mock::{MockServer, Scenario};
    ///
    /// let server = MockServer::start_blocking(Scenario::default());
    /// let license = DeclaredRoute::get("/v8/License").json(serde_json::json!({ "status": "Valid" }));
    /// let id = server.routes().add(license);
    /// assert_eq!(server.routes().get(id).expect("in force").endpoint, "route.get-v8-license");
    /// ```
    ///
    /// # Panics
    ///
    /// If the route has problems (listed in the message), its name is taken, or the mock holds
    /// all the routes it may; use [`Routes::try_add`] to get them as an error instead.
    pub fn add(&self, route: impl Into<RouteSpec>) -> RouteId {
        match self.try_add(route) {
            Ok(id) => id,
            Err(problems) => {
                let listed: Vec<String> = problems
                    .iter()
                    .map(
                        |(key, message)| {
                            if key.is_empty() { message.clone() } else { format!("{key}: {message}") }
                        },
                    )
                    .collect();
                panic!("veeam-auth-mock: Routes::add: {}", listed.join("; "))
            }
        }
    }

    /// Puts `route` in force after the others and returns its id, or refuses it (changing
    /// nothing) with every problem as `(key, message)`, as `Fault::from_spec` reports a
    /// fault's: the keys of the route, `name` for a name another route in force has, and an
    /// empty key when the mock holds all the routes it may (1,000, or 64 MiB of bodies).
    ///
    /// ```
    /// use veeam_auth_mock::routes::DeclaredRoute;
    /// use veeam_auth_mock::{MockServer, Scenario};
    ///
    /// let server = MockServer::start_blocking(Scenario::default());
    /// let problems = server.routes().try_add(DeclaredRoute::get("v8/Jobs").status(99)).unwrap_err();
    /// assert_eq!(
    ///     problems,
    ///     [
    ///         ("path".to_owned(), "`v8/Jobs` must start with `/`".to_owned()),
    ///         (
    ///             "status".to_owned(),
    ///             "status 99 is not allowed; a declared route answers 200 to 599".to_owned()
    ///         ),
    ///     ]
    /// );
    /// ```
    pub fn try_add(&self, route: impl Into<RouteSpec>) -> Result<RouteId, Vec<(String, String)>> {
        runtime::add(self.world, route.into(), &no_files).map_err(runtime::AddError::problems)
    }

    /// The routes in force, in the order they are tried (the scenario's, then those added),
    /// with their calls so far.
    ///
    /// ```
    /// use serde_json::json;
    /// use veeam_auth_mock::routes::DeclaredRoute;
    /// use veeam_auth_mock::{MockServer, Scenario};
    ///
    /// let server = MockServer::start_blocking(Scenario::default());
    /// server.routes().add(DeclaredRoute::get("/v8/Jobs").named("Jobs").json(json!([])));
    /// assert_eq!(
    ///     serde_json::to_value(&server.routes().list()[0]).expect("JSON"),
    ///     json!({
    ///         "id": 1, "endpoint": "route.jobs", "calls": 0, "name": "jobs", "product": "vb365",
    ///         "method": "GET", "path": "/v8/Jobs", "auth": "session", "json": []
    ///     })
    /// );
    /// ```
    pub fn list(&self) -> Vec<RouteState> {
        runtime::list(self.world)
    }

    /// One route in force.
    ///
    /// ```
    /// use veeam_auth_mock::routes::RouteId;
    /// use veeam_auth_mock::{MockServer, Scenario};
    ///
    /// let server = MockServer::start_blocking(Scenario::default());
    /// assert_eq!(server.routes().get(RouteId::from_raw(7)), None);
    /// ```
    pub fn get(&self, id: RouteId) -> Option<RouteState> {
        runtime::get(self.world, id)
    }

    /// Removes a route; false when there is none with this id.
    ///
    /// ```
    /// use veeam_auth_mock::routes::{DeclaredRoute, RouteId};
    /// use veeam_auth_mock::{MockServer, Scenario};
    ///
    /// let server = MockServer::start_blocking(Scenario::default());
    /// let id = server.routes().add(DeclaredRoute::get("/v8/Jobs"));
    /// assert!(server.routes().remove(id));
    /// assert!(!server.routes().remove(id), "already gone");
    /// ```
    pub fn remove(&self, id: RouteId) -> bool {
        runtime::remove(self.world, id)
    }

    /// Removes every route, the scenario's too (until the next reset or load).
    ///
    /// ```
    /// use veeam_auth_mock::routes::DeclaredRoute;
    /// use veeam_auth_mock::{MockServer, Scenario};
    ///
    /// let server = MockServer::start_blocking(Scenario::default());
    /// server.routes().add(DeclaredRoute::get("/v8/Jobs"));
    /// server.routes().clear();
    /// assert!(server.routes().list().is_empty());
    /// ```
    pub fn clear(&self) {
        runtime::clear(self.world);
    }
}
