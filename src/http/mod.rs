//! HTTP assembly: the one place the actix `App` is put together.
//!
//! Middleware order (outermost first):
//! 1. counting the requests being handled on each connection, for the watchdog that closes a
//!    connection whose next request's head does not arrive in time ([`watchdog`]);
//! 2. closing the connection after a body that did not arrive in time ([`body`]);
//! 3. path normalization ([`normalize`]): lower case, no trailing or doubled slashes, so that
//!    routing is case-insensitive like the real servers';
//! 4. the control middleware ([`control`]): the request journal and the fault plan, which may
//!    answer instead of the product (the mock's own pages pass untouched);
//! 5. the explorer's pages ([`explorer`]: OpenAPI document, Swagger UI, landing page),
//!    the admin API ([`admin`], under `/__mock/`, unless turned off) and the product routes;
//! 6. a default service: a path a declared route takes gets its answer
//!    ([`crate::products::declared`]), then one an operation of a loaded document takes
//!    ([`crate::products::documents`]); any other unknown path gets a 404 in the format of the product that owns it
//!    ([`crate::products::owner_of`]: VBAzure's problem+json under `/api/`, VB365's
//!    `RESTExceptionInfo` elsewhere), or JSON under `/__mock/`.
//!
//! Every connection's socket is remembered ([`connection`]) so a fault can drop or reset it,
//! and the watchdog can close it.
//!
//! Every request body is read by one reader ([`crate::request::body`]) with a size cap and a
//! deadline; the connection-level deadlines (request head, keep-alive, disconnect) are set where
//! the server is built ([`crate::server`]), but for the head of every request after the first,
//! which actix does not time: the [`watchdog`] does.

pub(crate) mod admin;
mod body;
pub(crate) mod connection;
mod control;
#[cfg(feature = "openapi")]
pub(crate) mod docs;
mod explorer;
mod fault_response;
mod normalize;
#[cfg(feature = "tls")]
pub(crate) mod tls;
pub(crate) mod watchdog;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::from_fn;
use actix_web::web::{self, Data};
use actix_web::{App, HttpRequest, HttpResponse};

use crate::products;
use crate::request::body::BodyDeadline;
use crate::state::World;

/// The whole mock as an actix `App` over `world`; every request body must arrive within
/// `body_deadline` ([`crate::request::body`]).
pub(crate) fn app(
    world: Data<World>,
    body_deadline: BodyDeadline,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let admin_on = !world.admin.disabled;
    App::new()
        .app_data(world)
        .app_data(body_deadline)
        // First: its exact `/__mock` paths must come before any `/__mock` scope.
        .configure(|cfg| {
            #[cfg(feature = "openapi")]
            explorer::configure_document(cfg, docs::served, loaded_documents);
            explorer::configure(cfg, loaded_documents);
        })
        .configure(|cfg| {
            if admin_on {
                admin::configure(cfg);
            }
        })
        // Product by product from the registry, the fallback product last: its scopes take any
        // path left (VB365's `/{version}` takes any first segment), each falling back to the
        // app's own 404s.
        .configure(|cfg| {
            for product in products::in_registration_order() {
                product.configure(cfg, || web::to(unknown_path));
            }
        })
        .default_service(web::to(unknown_path))
        .wrap(from_fn(control::control))
        .wrap(from_fn(normalize::normalize_path))
        .wrap(from_fn(body::close_after_stalled_body))
        .wrap(from_fn(connection::track_requests))
}

/// The loaded documents in force, as the explorer lists and serves them (Swagger UI shows each
/// beside the mock's own document).
fn loaded_documents(req: &HttpRequest) -> Vec<explorer::LoadedDocument> {
    let Some(world) = req.app_data::<Data<World>>() else { return Vec::new() };
    let (documents, _) = products::documents::in_force(world);
    documents
        .iter()
        .map(|document| explorer::LoadedDocument {
            name: format!(
                "{} {}: {} (loaded from {})",
                document.product(),
                document.version(),
                document.title(),
                document.source()
            ),
            bytes: document.served(),
        })
        .collect()
}

/// Whether `path` is `prefix` itself or below it (`/__mock`, `/__mock/x`, not `/__mockery`).
pub(crate) fn is_under(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Any path no product serves: a declared route's, if one takes it, else a loaded document's
/// operation's, else the owning product's 404.
async fn unknown_path(req: HttpRequest, payload: web::Payload) -> HttpResponse {
    let admin_on = req.app_data::<Data<World>>().is_some_and(|world| !world.admin.disabled);
    if admin_on && admin::owns(req.path()) {
        return admin::not_found(&req);
    }
    if let Some(response) = products::declared::answer(&req) {
        return response;
    }
    if let Some(response) = products::documents::answer(&req, payload).await {
        return response;
    }
    products::owner_of(&req).not_found(&req)
}
