//! The admin API: the control plane over HTTP, under `/__mock/` (a prefix no Veeam path uses),
//! for users who run the mock as a binary or container. Every route calls the same operations
//! as `MockServer`'s handle methods.
//!
//! | route | does |
//! | --- | --- |
//! | `GET /__mock/health` | `{"status":"ok"}` (never needs the token: container health checks) |
//! | `GET /__mock/clock` | `{"now","mode"}` |
//! | `POST /__mock/clock` | `{"advance":"61m"}`, `{"set":"2024-08-07T15:56:22Z"}`, `{"freeze":true}` |
//! | `GET/POST/DELETE /__mock/faults` | list, add (a fault's keys in JSON; 201; at most 1,000 in force, else 400), remove all |
//! | `GET/DELETE /__mock/faults/{id}` | one fault's state; remove it |
//! | `GET/POST/DELETE /__mock/routes` | declared routes: list, add (a `[[routes]]` table's keys in JSON, no files; 201; 400 with every problem, or when 1,000 are in force; 409 for a name taken), remove all |
//! | `GET`, `DELETE /__mock/routes/{id}` | one declared route; remove it |
//! | `GET/DELETE /__mock/journal` | entries (`?endpoint=&method=&path=&status=&limit=`; `endpoint=route.<name>` for a declared route); clear |
//! | `GET /__mock/journal/count` | `{"count"}` for the same filters |
//! | `PUT /__mock/journal/settings` | `{"enabled":bool,"capacity":n}` (n from 1 to 10,000, else 400) |
//! | `POST /__mock/reset` | back to the scenario's initial state |
//! | `PUT /__mock/scenario` | load a new scenario (TOML body); 400 lists every problem |
//! | `POST /__mock/sessions/revoke` | revoke every session of both products |
//! | `GET /__mock/users` | the scenario's users and passwords (for the landing page) |
//! | `GET /__mock/products` | how the landing page signs in to each product and shows its users |
//!
//! Errors are JSON: `{"error": "<what>", "detail": "..."}` (plus `problems` for a scenario).
//!
//! Layout: this module holds the registration, the [`Admin`] extractor and [`AdminError`]; one
//! file per resource holds its handlers ([`clock`](mod@clock), [`faults`],
//! [`journal`](mod@journal), [`routes`], [`scenario`]); [`views`] every body (a leaf); [`doc`] the OpenAPI
//! part, the only module that lists the handlers. Handlers point to views, doc to handlers and views, and nothing points back.

mod clock;
#[cfg(feature = "openapi")]
pub(crate) mod doc;
mod faults;
mod journal;
mod routes;
mod scenario;
mod views;

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::web::{self, Bytes, Data, ServiceConfig};
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError};
use serde::Deserialize;

use crate::request::bearer::bearer_token;
use crate::request::body::{BodyDeadline, BodyError, describe, read_limited};
use crate::state::World;
use clock::{clock, move_clock};
use faults::{add_fault, clear_faults, get_fault, list_faults, remove_fault};
use journal::{clear_journal, journal, journal_count, journal_settings, set_journal};
use routes::{add_route, clear_routes, get_route, list_routes, remove_route};
use scenario::{health, load_scenario, products, reset, revoke_sessions, users};
use views::{AdminErrorBody, ProblemView};

/// The reserved prefix.
pub(crate) const PREFIX: &str = "/__mock";

/// The most an admin body may hold (a scenario file). A larger `Content-Length` is refused with
/// 413 before the body is read; the body has the same deadline as every other
/// ([`crate::request::body::BODY_DEADLINE`]).
const MAX_ADMIN_BODY: usize = 1024 * 1024;

/// Adds a resource's routes.
type AddRoutes = fn(actix_web::Resource) -> actix_web::Resource;

/// Registers the admin routes (only when the admin API is on).
pub(crate) fn configure(cfg: &mut ServiceConfig) {
    let routes: [(&str, AddRoutes); 14] = [
        ("/health", |r| r.route(web::get().to(health))),
        ("/clock", |r| r.route(web::get().to(clock)).route(web::post().to(move_clock))),
        ("/faults", |r| {
            r.route(web::get().to(list_faults))
                .route(web::post().to(add_fault))
                .route(web::delete().to(clear_faults))
        }),
        ("/faults/{id}", |r| r.route(web::get().to(get_fault)).route(web::delete().to(remove_fault))),
        ("/routes", |r| {
            r.route(web::get().to(list_routes))
                .route(web::post().to(add_route))
                .route(web::delete().to(clear_routes))
        }),
        ("/routes/{id}", |r| r.route(web::get().to(get_route)).route(web::delete().to(remove_route))),
        ("/journal", |r| r.route(web::get().to(journal)).route(web::delete().to(clear_journal))),
        ("/journal/count", |r| r.route(web::get().to(journal_count))),
        ("/journal/settings", |r| r.route(web::get().to(journal_settings)).route(web::put().to(set_journal))),
        ("/reset", |r| r.route(web::post().to(reset))),
        ("/scenario", |r| r.route(web::put().to(load_scenario))),
        ("/sessions/revoke", |r| r.route(web::post().to(revoke_sessions))),
        ("/users", |r| r.route(web::get().to(users))),
        ("/products", |r| r.route(web::get().to(products))),
    ];
    for (path, add) in routes {
        let resource = add(web::resource(format!("{PREFIX}{path}")));
        cfg.service(
            resource.default_service(web::to(|| async { AdminError::MethodNotAllowed.error_response() })),
        );
    }
}

/// Whether a (normalized) path is under the reserved prefix.
pub(crate) fn owns(path: &str) -> bool {
    crate::http::is_under(path, PREFIX)
}

/// A failed admin call, as JSON.
#[derive(Debug)]
pub(crate) enum AdminError {
    Unauthorized,
    BadRequest(String),
    InvalidScenario(Vec<crate::scenario::Problem>),
    NotFound(String),
    /// The request conflicts with what is in force (a declared route's name is taken).
    Conflict(String),
    MethodNotAllowed,
    TooLarge,
    /// The work could not run (the blocking pool is shutting down).
    Unavailable(&'static str),
    TimedOut(std::time::Duration),
}

impl std::fmt::Display for AdminError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AdminError::Unauthorized => {
                f.write_str("the admin API needs `Authorization: Bearer <admin token>`")
            }
            AdminError::BadRequest(detail) | AdminError::NotFound(detail) | AdminError::Conflict(detail) => {
                f.write_str(detail)
            }
            AdminError::InvalidScenario(_) => f.write_str("the scenario is not valid"),
            AdminError::MethodNotAllowed => f.write_str("this admin route does not take that method"),
            AdminError::TooLarge => write!(f, "the body is larger than {MAX_ADMIN_BODY} bytes"),
            AdminError::Unavailable(detail) => f.write_str(detail),
            AdminError::TimedOut(deadline) => {
                write!(f, "the body did not arrive within {}", describe(*deadline))
            }
        }
    }
}

impl std::error::Error for AdminError {}

impl ResponseError for AdminError {
    fn status_code(&self) -> StatusCode {
        match self {
            AdminError::Unauthorized => StatusCode::UNAUTHORIZED,
            AdminError::BadRequest(_) | AdminError::InvalidScenario(_) => StatusCode::BAD_REQUEST,
            AdminError::NotFound(_) => StatusCode::NOT_FOUND,
            AdminError::Conflict(_) => StatusCode::CONFLICT,
            AdminError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AdminError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AdminError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AdminError::TimedOut(_) => StatusCode::REQUEST_TIMEOUT,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let kind = match self {
            AdminError::Unauthorized => "unauthorized",
            AdminError::BadRequest(_) => "bad_request",
            AdminError::InvalidScenario(_) => "invalid_scenario",
            AdminError::NotFound(_) => "not_found",
            AdminError::Conflict(_) => "conflict",
            AdminError::MethodNotAllowed => "method_not_allowed",
            AdminError::TooLarge => "too_large",
            AdminError::Unavailable(_) => "unavailable",
            AdminError::TimedOut(_) => "request_timeout",
        };
        let problems = match self {
            AdminError::InvalidScenario(problems) => Some(
                problems
                    .iter()
                    .map(|p| ProblemView { path: p.path.clone(), line: p.line, message: p.message.clone() })
                    .collect(),
            ),
            _ => None,
        };
        let body = AdminErrorBody { error: kind, detail: self.to_string(), problems };
        let mut response = HttpResponse::build(self.status_code()).json(body);
        if matches!(self, AdminError::Unauthorized) {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(r#"Bearer realm="veeam-auth-mock admin""#),
            );
        }
        response
    }
}

/// The admin 404 for an unknown path under the prefix.
pub(crate) fn not_found(req: &HttpRequest) -> HttpResponse {
    AdminError::NotFound(format!("no admin route {} {}", req.method(), req.path())).error_response()
}

/// Proof that the caller may use the admin API (the token matched, or none is configured).
struct Admin(Data<World>);

impl FromRequest for Admin {
    type Error = AdminError;
    type Future = Ready<Result<Admin, AdminError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(world) = req.app_data::<Data<World>>().cloned() else {
            return ready(Err(AdminError::NotFound("no mock here".into())));
        };
        let allowed = match world.admin.token.as_deref() {
            None => true,
            Some(expected) => {
                bearer_token(req.headers()).is_some_and(|offered| same_secret(offered, expected))
            }
        };
        ready(if allowed { Ok(Admin(world)) } else { Err(AdminError::Unauthorized) })
    }
}

/// Compares in time that does not depend on where the strings differ.
fn same_secret(offered: &str, expected: &str) -> bool {
    let (a, b) = (offered.as_bytes(), expected.as_bytes());
    let mut difference = a.len() ^ b.len();
    for (i, byte) in b.iter().enumerate() {
        difference |= usize::from(a.get(i).copied().unwrap_or(0) ^ byte);
    }
    difference == 0
}

/// An admin body, through the shared reader ([`crate::request::body`]): capped at [`MAX_ADMIN_BODY`]
/// (up front by `Content-Length`), within the common deadline.
async fn body_of(req: &HttpRequest, payload: web::Payload) -> Result<Bytes, AdminError> {
    read_limited(req, payload, MAX_ADMIN_BODY).await.map_err(|error| match error {
        BodyError::TooLarge => AdminError::TooLarge,
        BodyError::Unreadable => AdminError::BadRequest("the body could not be read".into()),
        BodyError::TimedOut => {
            AdminError::TimedOut(req.app_data::<BodyDeadline>().copied().unwrap_or_default().0)
        }
    })
}

fn json_body<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, AdminError> {
    serde_json::from_slice(bytes)
        .map_err(|err| AdminError::BadRequest(format!("the body is not the JSON expected: {err}")))
}

#[cfg(test)]
mod tests {
    use super::same_secret;

    #[test]
    fn secrets_compare_exactly() {
        assert!(same_secret("s3cret", "s3cret"));
        assert!(!same_secret("s3cre", "s3cret"));
        assert!(!same_secret("s3cretX", "s3cret"));
        assert!(!same_secret("", "s3cret"));
        assert!(!same_secret("S3cret", "s3cret"));
    }
}
