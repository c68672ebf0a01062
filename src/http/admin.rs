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
//! | `GET/DELETE /__mock/journal` | entries (`?endpoint=&method=&path=&status=&limit=`); clear |
//! | `GET /__mock/journal/count` | `{"count"}` for the same filters |
//! | `PUT /__mock/journal/settings` | `{"enabled":bool,"capacity":n}` (n from 1 to 10,000, else 400) |
//! | `POST /__mock/reset` | back to the scenario's initial state |
//! | `PUT /__mock/scenario` | load a new scenario (TOML body); 400 lists every problem |
//! | `POST /__mock/sessions/revoke` | revoke every session of both products |
//! | `GET /__mock/users` | the scenario's users and passwords (for the landing page) |
//!
//! Errors are JSON: `{"error": "<what>", "detail": "..."}` (plus `problems` for a scenario).
//! With a token configured (`--admin-token`), every route but health needs
//! `Authorization: Bearer <token>`; with the admin API off, these paths do not exist.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::web::{self, Bytes, Data, ServiceConfig};
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::clock::ClockMode;
use crate::control::{FaultId, FaultState, Journal, JournalQuery};
use crate::scenario::{Endpoint, Fault, FaultSpec, Scenario, ScenarioError};
use crate::state::World;

use super::admin_openapi::{
    AdminErrorBody, AzureUserView, CountView, HealthView, JournalFilters, JournalSettingsView, LoadedView,
    ProblemView, TAG, UsersView, Vb365UserView,
};
use super::body::{BodyDeadline, BodyError, read_limited};

/// The reserved prefix.
pub(crate) const PREFIX: &str = "/__mock";

/// The most an admin body may hold (a scenario file). A larger `Content-Length` is refused with
/// 413 before the body is read; the body has the same deadline as every other
/// ([`super::body::BODY_DEADLINE`]).
const MAX_ADMIN_BODY: usize = 1024 * 1024;

/// Adds a resource's routes.
type AddRoutes = fn(actix_web::Resource) -> actix_web::Resource;

/// Registers the admin routes (only when the admin API is on).
pub(crate) fn configure(cfg: &mut ServiceConfig) {
    let routes: [(&str, AddRoutes); 11] = [
        ("/health", |r| r.route(web::get().to(health))),
        ("/clock", |r| r.route(web::get().to(clock)).route(web::post().to(move_clock))),
        ("/faults", |r| {
            r.route(web::get().to(list_faults))
                .route(web::post().to(add_fault))
                .route(web::delete().to(clear_faults))
        }),
        ("/faults/{id}", |r| r.route(web::get().to(get_fault)).route(web::delete().to(remove_fault))),
        ("/journal", |r| r.route(web::get().to(journal)).route(web::delete().to(clear_journal))),
        ("/journal/count", |r| r.route(web::get().to(journal_count))),
        ("/journal/settings", |r| r.route(web::get().to(journal_settings)).route(web::put().to(set_journal))),
        ("/reset", |r| r.route(web::post().to(reset))),
        ("/scenario", |r| r.route(web::put().to(load_scenario))),
        ("/sessions/revoke", |r| r.route(web::post().to(revoke_sessions))),
        ("/users", |r| r.route(web::get().to(users))),
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
    super::is_under(path, PREFIX)
}

/// A failed admin call, as JSON.
#[derive(Debug, thiserror::Error)]
pub(crate) enum AdminError {
    #[error("the admin API needs `Authorization: Bearer <admin token>`")]
    Unauthorized,
    #[error("{0}")]
    BadRequest(String),
    #[error("the scenario is not valid")]
    InvalidScenario(Vec<crate::scenario::Problem>),
    #[error("{0}")]
    NotFound(String),
    #[error("this admin route does not take that method")]
    MethodNotAllowed,
    #[error("the body is larger than {MAX_ADMIN_BODY} bytes")]
    TooLarge,
    /// The work could not run (the blocking pool is shutting down).
    #[error("{0}")]
    Unavailable(&'static str),
    #[error("the body did not arrive within {}", super::body::describe(*.0))]
    TimedOut(std::time::Duration),
}

impl ResponseError for AdminError {
    fn status_code(&self) -> StatusCode {
        match self {
            AdminError::Unauthorized => StatusCode::UNAUTHORIZED,
            AdminError::BadRequest(_) | AdminError::InvalidScenario(_) => StatusCode::BAD_REQUEST,
            AdminError::NotFound(_) => StatusCode::NOT_FOUND,
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
            Some(expected) => super::bearer::bearer_token(req.headers())
                .is_some_and(|offered| same_secret(offered, expected)),
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

/// An admin body, through the shared reader ([`super::body`]): capped at [`MAX_ADMIN_BODY`]
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

#[utoipa::path(get, path = "/__mock/health", operation_id = "mock_health", tag = TAG,
    summary = "Readiness (never needs the admin token)",
    responses((status = 200, body = HealthView)))]
async fn health() -> HttpResponse {
    HttpResponse::Ok().json(HealthView { status: "ok" })
}

/// `{"now", "mode"}`.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ClockView {
    #[schema(example = "2024-08-07T15:56:22.9188632Z")]
    now: String,
    /// `frozen`, `ticking` or `offset`.
    #[schema(value_type = String, example = "frozen")]
    mode: &'static str,
}

fn clock_view(world: &World) -> ClockView {
    let mode = match world.clock.mode() {
        ClockMode::Frozen => "frozen",
        ClockMode::Ticking => "ticking",
        _ => "offset",
    };
    ClockView { now: crate::dates::dotnet_utc(world.clock.now()), mode }
}

#[utoipa::path(get, path = "/__mock/clock", operation_id = "mock_clock", tag = TAG,
    summary = "The scenario clock", responses((status = 200, body = ClockView), (status = 401, description = "The admin token is missing or wrong", body = AdminErrorBody)), security(("admin" = [])))]
async fn clock(admin: Admin) -> HttpResponse {
    HttpResponse::Ok().json(clock_view(&admin.0))
}

/// What to do to the clock (any combination; `set` first, then `advance`, then `freeze`).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClockChange {
    /// A duration such as `61m` or `-2h`.
    #[schema(example = "61m")]
    advance: Option<String>,
    /// An RFC 3339 instant.
    #[schema(example = "2024-08-07T15:56:22Z")]
    set: Option<String>,
    /// `true` stops the clock, `false` lets it tick.
    freeze: Option<bool>,
}

#[utoipa::path(post, path = "/__mock/clock", operation_id = "mock_move_clock", tag = TAG,
    summary = "Set, advance (\"61m\", \"-2h\"), freeze or unfreeze the clock, within 1970-01-01T00:00:00Z to 9000-12-31T23:59:59Z; a bad request changes nothing",
    request_body = ClockChange, responses((status = 200, body = ClockView), (status = 400, description = "A malformed or invalid body", body = AdminErrorBody), (status = 401, description = "The admin token is missing or wrong", body = AdminErrorBody)), security(("admin" = [])))]
async fn move_clock(
    admin: Admin,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AdminError> {
    let change: ClockChange = json_body(&body_of(&req, payload).await?)?;
    let world = &admin.0;
    if change.advance.is_none() && change.set.is_none() && change.freeze.is_none() {
        return Err(AdminError::BadRequest("give `advance`, `set` or `freeze`".into()));
    }
    // Check everything before changing anything, so a bad request changes nothing.
    let advance = change
        .advance
        .map(|text| crate::scenario::parse_signed_duration(&text))
        .transpose()
        .map_err(AdminError::BadRequest)?;
    let set = change
        .set
        .map(|text| {
            OffsetDateTime::parse(text.trim(), &Rfc3339)
                .map_err(|_| AdminError::BadRequest(format!("`{text}` is not an RFC 3339 date")))
        })
        .transpose()?;
    // One change for all three, so that a move out of the mock's time range changes nothing
    // and a clock set and frozen shows exactly the instant set.
    world
        .clock
        .try_change(set, advance.unwrap_or(time::Duration::ZERO), change.freeze)
        .map_err(|err| AdminError::BadRequest(err.to_string()))?;
    Ok(HttpResponse::Ok().json(clock_view(world)))
}

#[utoipa::path(get, path = "/__mock/faults", operation_id = "mock_list_faults", tag = TAG,
    summary = "The faults in force, in the order tried, with their counters",
    responses((status = 200, body = Vec<FaultState>), (status = 401, description = "The admin token is missing or wrong", body = AdminErrorBody)), security(("admin" = [])))]
async fn list_faults(admin: Admin) -> HttpResponse {
    HttpResponse::Ok().json(admin.0.faults.list())
}

#[utoipa::path(post, path = "/__mock/faults", operation_id = "mock_add_fault", tag = TAG,
    summary = "Add a fault (the keys of a scenario's [[faults]] table)",
    request_body = FaultSpec, responses((status = 201, body = FaultState), (status = 400, description = "A malformed or invalid body, or 1,000 faults in force already", body = AdminErrorBody), (status = 401, description = "The admin token is missing or wrong", body = AdminErrorBody)), security(("admin" = [])))]
async fn add_fault(
    admin: Admin,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AdminError> {
    let spec: FaultSpec = json_body(&body_of(&req, payload).await?)?;
    let fault = Fault::from_spec(spec).map_err(|problems| {
        let listed: Vec<String> = problems
            .into_iter()
            .map(|(key, message)| if key.is_empty() { message } else { format!("{key}: {message}") })
            .collect();
        AdminError::BadRequest(listed.join("; "))
    })?;
    // Bounded like a scenario's `[[faults]]`: a client adding faults in a loop must not grow
    // the plan (and every request's walk through it) without end.
    let id = admin.0.faults.try_add(fault).map_err(|full| AdminError::BadRequest(full.to_string()))?;
    let state = admin.0.faults.get(id);
    Ok(HttpResponse::Created().insert_header((header::LOCATION, format!("{PREFIX}/faults/{id}"))).json(state))
}

fn fault_id(req: &HttpRequest) -> Result<FaultId, AdminError> {
    let text = req.match_info().get("id").unwrap_or_default();
    text.parse::<u64>().map(FaultId::from_raw).map_err(|_| AdminError::NotFound(format!("no fault `{text}`")))
}

#[utoipa::path(get, path = "/__mock/faults/{id}", operation_id = "mock_get_fault", tag = TAG,
    summary = "One fault and its counters", params(("id" = u64, Path, description = "The fault's id")),
    responses((status = 200, body = FaultState), (status = 404, body = AdminErrorBody), (status = 401, description = "The admin token is missing or wrong", body = AdminErrorBody)), security(("admin" = [])))]
async fn get_fault(admin: Admin, req: HttpRequest) -> Result<HttpResponse, AdminError> {
    let id = fault_id(&req)?;
    admin
        .0
        .faults
        .get(id)
        .map(|state| HttpResponse::Ok().json(state))
        .ok_or_else(|| AdminError::NotFound(format!("no fault {id}")))
}

#[utoipa::path(delete, path = "/__mock/faults/{id}", operation_id = "mock_remove_fault", tag = TAG,
    summary = "Remove a fault", params(("id" = u64, Path, description = "The fault's id")),
    responses((status = 204, description = "Removed"), (status = 404, body = AdminErrorBody), (status = 401, description = "The admin token is missing or wrong", body = AdminErrorBody)), security(("admin" = [])))]
async fn remove_fault(admin: Admin, req: HttpRequest) -> Result<HttpResponse, AdminError> {
    let id = fault_id(&req)?;
    if admin.0.faults.remove(id) {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(AdminError::NotFound(format!("no fault {id}")))
    }
}

#[utoipa::path(delete, path = "/__mock/faults", operation_id = "mock_clear_faults", tag = TAG,
    summary = "Remove every fault", responses((status = 204, description = "Removed"), (status = 401, description = "The admin token is missing or wrong", body = AdminErrorBody)), security(("admin" = [])))]
async fn clear_faults(admin: Admin) -> HttpResponse {
    admin.0.faults.clear();
    HttpResponse::NoContent().finish()
}

/// `?endpoint=&method=&path=&status=&grant_type=&limit=` as a query and a limit.
fn journal_query(req: &HttpRequest) -> Result<(JournalQuery, Option<usize>), AdminError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
        .map_err(|err| AdminError::BadRequest(format!("the query string is malformed: {err}")))?;
    let mut query = JournalQuery::new();
    let mut limit = None;
    for (name, value) in pairs {
        match name.as_str() {
            "endpoint" => {
                let endpoint: Endpoint = value.parse().map_err(|err: crate::scenario::UnknownEndpoint| {
                    AdminError::BadRequest(err.to_string())
                })?;
                query = query.endpoint(endpoint);
            }
            "method" => query = query.method(&value),
            "path" => query = query.path(&value),
            "status" => {
                let status = value
                    .parse()
                    .map_err(|_| AdminError::BadRequest(format!("`{value}` is not a status")))?;
                query = query.status(status);
            }
            "grant_type" => query = query.field("grant_type", &value),
            "limit" => {
                limit = Some(
                    value.parse().map_err(|_| AdminError::BadRequest(format!("`{value}` is not a count")))?,
                );
            }
            other => {
                return Err(AdminError::BadRequest(format!(
                    "unknown filter `{other}`; expected endpoint, method, path, status, grant_type or limit"
                )));
            }
        }
    }
    Ok((query, limit))
}

/// `GET /__mock/journal`: in this order, so a reader sees the counts first.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct JournalPage {
    /// Requests recorded since the last clear, evicted ones included.
    total: u64,
    /// Entries in this answer.
    count: usize,
    entries: Vec<crate::control::JournalEntry>,
}

#[utoipa::path(get, path = "/__mock/journal", operation_id = "mock_journal", tag = TAG,
    summary = "Recorded requests, oldest first, with secrets masked",
    params(JournalFilters), responses((status = 200, body = JournalPage), (status = 400, description = "A malformed or invalid body", body = AdminErrorBody), (status = 401, description = "The admin token is missing or wrong", body = AdminErrorBody)), security(("admin" = [])))]
async fn journal(admin: Admin, req: HttpRequest) -> Result<HttpResponse, AdminError> {
    let (query, limit) = journal_query(&req)?;
    let entries = admin.0.journal.find_last(&query, limit.unwrap_or(usize::MAX));
    Ok(HttpResponse::Ok().json(JournalPage { total: admin.0.journal.total(), count: entries.len(), entries }))
}

#[utoipa::path(get, path = "/__mock/journal/count", operation_id = "mock_journal_count", tag = TAG,
    summary = "How many recorded requests match", params(JournalFilters),
    responses((status = 200, body = CountView), (status = 400, description = "A malformed or invalid body", body = AdminErrorBody), (status = 401, description = "The admin token is missing or wrong", body = AdminErrorBody)), security(("admin" = [])))]
async fn journal_count(admin: Admin, req: HttpRequest) -> Result<HttpResponse, AdminError> {
    let (query, _) = journal_query(&req)?;
    Ok(HttpResponse::Ok().json(CountView { count: admin.0.journal.count_matching(&query) }))
}

#[utoipa::path(delete, path = "/__mock/journal", operation_id = "mock_clear_journal", tag = TAG,
    summary = "Forget every recorded request", responses((status = 204, description = "Cleared"), (status = 401, description = "The admin token is missing or wrong", body = AdminErrorBody)), security(("admin" = [])))]
async fn clear_journal(admin: Admin) -> HttpResponse {
    admin.0.journal.clear();
    HttpResponse::NoContent().finish()
}

fn journal_settings_view(world: &World) -> JournalSettingsView {
    JournalSettingsView { enabled: world.journal.is_enabled(), capacity: world.journal.capacity() }
}

#[utoipa::path(get, path = "/__mock/journal/settings", operation_id = "mock_journal_settings", tag = TAG,
    summary = "Whether requests are recorded, and how many are kept",
    responses((status = 200, body = JournalSettingsView), (status = 401, description = "The admin token is missing or wrong", body = AdminErrorBody)), security(("admin" = [])))]
async fn journal_settings(admin: Admin) -> HttpResponse {
    HttpResponse::Ok().json(journal_settings_view(&admin.0))
}

/// New journal settings (either or both).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct JournalSettingsChange {
    /// Record requests or not.
    enabled: Option<bool>,
    /// The most entries kept (1 to 10,000).
    #[schema(minimum = 1, maximum = 10000)]
    capacity: Option<usize>,
}

#[utoipa::path(put, path = "/__mock/journal/settings", operation_id = "mock_set_journal", tag = TAG,
    summary = "Turn recording on or off, change the cap", request_body = JournalSettingsChange,
    responses((status = 200, body = JournalSettingsView), (status = 400, description = "A malformed or invalid body", body = AdminErrorBody), (status = 401, description = "The admin token is missing or wrong", body = AdminErrorBody)), security(("admin" = [])))]
async fn set_journal(
    admin: Admin,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AdminError> {
    let change: JournalSettingsChange = json_body(&body_of(&req, payload).await?)?;
    if change.capacity.is_some_and(|capacity| !(1..=Journal::MAX_CAPACITY).contains(&capacity)) {
        return Err(AdminError::BadRequest(format!(
            "the capacity must be between 1 and {} entries",
            Journal::MAX_CAPACITY
        )));
    }
    if let Some(capacity) = change.capacity {
        admin.0.journal.set_capacity(capacity);
    }
    if let Some(enabled) = change.enabled {
        admin.0.journal.set_enabled(enabled);
    }
    Ok(HttpResponse::Ok().json(journal_settings_view(&admin.0)))
}

#[utoipa::path(post, path = "/__mock/reset", operation_id = "mock_reset", tag = TAG,
    summary = "Back to the scenario's initial state: clock, no sessions, its faults, an empty journal",
    responses((status = 204, description = "Reset"), (status = 401, description = "The admin token is missing or wrong", body = AdminErrorBody)), security(("admin" = [])))]
async fn reset(admin: Admin) -> HttpResponse {
    admin.0.reset();
    HttpResponse::NoContent().finish()
}

#[utoipa::path(put, path = "/__mock/scenario", operation_id = "mock_load_scenario", tag = TAG,
    summary = "Play another scenario (TOML) from its start; an invalid one changes nothing",
    request_body(content = String, content_type = "application/toml"),
    responses((status = 200, body = LoadedView), (status = 400, description = "Every problem, with its line", body = AdminErrorBody), (status = 401, description = "The admin token is missing or wrong", body = AdminErrorBody)),
    security(("admin" = [])))]
async fn load_scenario(
    admin: Admin,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AdminError> {
    let bytes = body_of(&req, payload).await?;
    // Validation is linear in the file, but a file near the admin cap still takes milliseconds:
    // it runs on the blocking pool, so that the worker's other clients keep being served.
    let scenario = web::block(move || {
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| AdminError::BadRequest("the scenario is not UTF-8".into()))?;
        Scenario::from_toml_str(text).map_err(|err| match err {
            ScenarioError::Read { .. } => AdminError::BadRequest(err.to_string()),
            other => AdminError::InvalidScenario(other.problems().to_vec()),
        })
    })
    .await
    .map_err(|_| AdminError::Unavailable("the scenario could not be validated; try again"))??;
    admin.0.load(scenario);
    Ok(HttpResponse::Ok().json(LoadedView { loaded: true, clock: clock_view(&admin.0) }))
}

#[utoipa::path(post, path = "/__mock/sessions/revoke", operation_id = "mock_revoke_sessions", tag = TAG,
    summary = "Revoke every session of both products", responses((status = 204, description = "Revoked"), (status = 401, description = "The admin token is missing or wrong", body = AdminErrorBody)), security(("admin" = [])))]
async fn revoke_sessions(admin: Admin) -> HttpResponse {
    admin.0.revoke_all_sessions();
    HttpResponse::NoContent().finish()
}

#[utoipa::path(get, path = "/__mock/users", operation_id = "mock_users", tag = TAG,
    summary = "The scenario's users and passwords (for the landing page)",
    responses((status = 200, body = UsersView), (status = 401, description = "The admin token is missing or wrong", body = AdminErrorBody)), security(("admin" = [])))]
async fn users(admin: Admin) -> HttpResponse {
    HttpResponse::Ok().json(users_view(&admin.0.scenario()))
}

/// The scenario's users and passwords: the landing page shows a tester what to sign in with.
fn users_view(scenario: &Scenario) -> UsersView {
    let vb365 = scenario
        .vb365()
        .users
        .iter()
        .map(|user| Vb365UserView {
            username: user.username.clone(),
            aliases: user.aliases.clone(),
            password: user.password.as_ref().map(|secret| secret.expose().to_owned()),
            role: format!("{:?}", user.role),
            client_id: user.client_id.clone(),
        })
        .collect();
    let azure = scenario
        .azure()
        .users
        .iter()
        .map(|user| AzureUserView {
            username: user.username.clone(),
            password: user.password.as_ref().map(|secret| secret.expose().to_owned()),
            role: user.role.name(),
            mfa: user.mfa.is_some(),
        })
        .collect();
    UsersView { vb365, azure }
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
