//! The routes in force as the runtime faces see them (the admin API's `/__mock/routes` and
//! `MockControl::routes`): adding one (through the same [`compile`] as a scenario's, then the
//! store's bounds), listing them with their calls, removing them. Both faces call these, so they
//! accept, refuse and list the same things.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use super::route::Declared;
use super::spec::RouteSpec;
use super::validate::ReadFile;
use super::{AddRefused, RouteStore, compile};
use crate::state::World;

/// Identifies a route in force (for removing it); the number the admin API shows.
///
/// ```
/// use veeam_auth_mock::routes::RouteId;
///
/// let id = RouteId::from_raw(3);
/// assert_eq!((id.get(), id.to_string()), (3, "3".to_owned()));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct RouteId(u64);

impl RouteId {
    /// The number the admin API shows (`DELETE /__mock/routes/{id}`); see [`RouteId`].
    pub fn get(self) -> u64 {
        self.0
    }

    /// The id with this number; see [`RouteId`].
    pub fn from_raw(id: u64) -> RouteId {
        RouteId(id)
    }
}

impl fmt::Display for RouteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A route in force, as `GET /__mock/routes` lists it: its id, the name faults and the journal
/// give it, its calls so far, and its keys (those of `RouteSpec`) as given, with `name`,
/// `product`, `method`, `path` and `auth` filled in with the values in force.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 1, "endpoint": "route.jobs", "calls": 2, "name": "jobs", "product": "vb365",
    "method": "GET", "path": "/v8/Jobs", "auth": "session", "items": [{"id": "a", "name": "Daily"}]
})))]
pub struct RouteState {
    /// Its id.
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub id: RouteId,
    /// What faults and the journal call it: `route.<name>`.
    pub endpoint: String,
    /// Calls answered so far (a refusal of the product is not one; a sequence's position).
    pub calls: u64,
    /// The route, as its keys (beside the three above; the document describes them under
    /// `RouteSpec`, which refuses unknown keys, so they are not repeated in this schema).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub spec: RouteSpec,
}

/// Why a route was not put in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AddError {
    /// The spec has problems, `(key, message)` each.
    Invalid(Vec<(String, String)>),
    /// Another route in force has the name.
    NameTaken(String),
    /// The store holds all it may (the message says which bound).
    Full(String),
    /// This mock has no route store (never with the registry's states).
    Unavailable,
}

impl AddError {
    /// Every problem as `(key, message)`, the form faults report theirs in.
    pub(crate) fn problems(self) -> Vec<(String, String)> {
        match self {
            AddError::Invalid(problems) => problems,
            other => vec![(other.key().to_owned(), other.to_string())],
        }
    }

    fn key(&self) -> &'static str {
        match self {
            AddError::NameTaken(_) => "name",
            _ => "",
        }
    }
}

impl fmt::Display for AddError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddError::Invalid(problems) => {
                let listed: Vec<String> = problems
                    .iter()
                    .map(
                        |(key, message)| {
                            if key.is_empty() { message.clone() } else { format!("{key}: {message}") }
                        },
                    )
                    .collect();
                f.write_str(&listed.join("; "))
            }
            AddError::NameTaken(message) | AddError::Full(message) => f.write_str(message),
            AddError::Unavailable => f.write_str("this mock serves no declared routes"),
        }
    }
}

/// The route `spec` declares, compiled with `read_file` for the files it names, put in force
/// after the others.
pub(crate) fn add(world: &World, spec: RouteSpec, read_file: ReadFile<'_>) -> Result<RouteId, AddError> {
    let store = super::store(world).ok_or(AddError::Unavailable)?;
    let route = compile(spec, read_file).map_err(AddError::Invalid)?;
    store.add(route).map(RouteId).map_err(|refused| match refused {
        AddRefused::Full(message) => AddError::Full(message),
        AddRefused::NameTaken(name) => {
            let holder = store.list().into_iter().find(|(_, route, _)| route.name == name).map(|(id, ..)| id);
            let by = holder.map_or_else(String::new, |id| format!(" by route {id}"));
            AddError::NameTaken(format!(
                "the name `{name}` is taken{by}; give this route its own `name` (or remove that one first)"
            ))
        }
    })
}

/// A file a route added at runtime names: refused, since neither face should read the server's
/// disk for a remote caller (the admin API) and the in-process one has its data at hand.
pub(crate) fn no_files(name: &str) -> Result<String, String> {
    Err(format!(
        "`{name}`: a route added at runtime cannot name a file (the mock does not read its own disk \
         for it); give the body inline with `body`, `json` or `items`"
    ))
}

/// Every route in force, in the order they are tried.
pub(crate) fn list(world: &World) -> Vec<RouteState> {
    super::store(world).map(RouteStore::list).unwrap_or_default().iter().map(state).collect()
}

/// The route `id`, if it is in force.
pub(crate) fn get(world: &World, id: RouteId) -> Option<RouteState> {
    let store = super::store(world)?;
    store.list().iter().find(|(number, ..)| *number == id.0).map(state)
}

/// Removes the route `id`; false when there is none.
pub(crate) fn remove(world: &World, id: RouteId) -> bool {
    super::store(world).is_some_and(|store| store.remove(id.0))
}

/// Removes every route (the scenario's too, until the next reset or load).
pub(crate) fn clear(world: &World) {
    if let Some(store) = super::store(world) {
        store.clear();
    }
}

fn state((id, route, calls): &(u64, Arc<Declared>, u64)) -> RouteState {
    RouteState { id: RouteId(*id), endpoint: route.endpoint_name(), calls: *calls, spec: effective(route) }
}

/// The route's keys as given, with `name`, `product`, `method`, `path` and `auth` as in force.
fn effective(route: &Declared) -> RouteSpec {
    RouteSpec {
        name: Some(route.name.clone()),
        product: Some(route.product.name().to_owned()),
        method: Some(route.method.as_str().to_owned()),
        path: Some(route.path().to_owned()),
        auth: Some(route.spec.auth.clone().unwrap_or_else(|| "session".into())),
        ..route.spec.clone()
    }
}
