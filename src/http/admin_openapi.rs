//! The admin API's part of the OpenAPI document: the schemas of bodies the admin handlers build
//! with `json!` (so the document shows what is really sent) and the list of its operations.
//! The `#[utoipa::path]` attributes sit on the handlers in [`super::admin`].

use utoipa::{IntoParams, OpenApi, ToSchema};

use super::admin;
use crate::control::{FaultState, JournalEntry};
use crate::scenario::FaultSpec;

/// The tag of every admin operation.
pub(crate) const TAG: &str = "Mock admin";

/// The admin operations and their schemas.
#[derive(OpenApi)]
#[openapi(
    paths(
        admin::health,
        admin::clock,
        admin::move_clock,
        admin::list_faults,
        admin::add_fault,
        admin::clear_faults,
        admin::get_fault,
        admin::remove_fault,
        admin::journal,
        admin::clear_journal,
        admin::journal_count,
        admin::journal_settings,
        admin::set_journal,
        admin::reset,
        admin::load_scenario,
        admin::revoke_sessions,
        admin::users,
    ),
    components(schemas(FaultSpec, FaultState, JournalEntry, AdminErrorBody))
)]
pub(crate) struct AdminApi;

/// Every admin error: `{"error", "detail"}`, plus `problems` for an invalid scenario.
#[derive(ToSchema)]
#[allow(dead_code, reason = "describes a body built with json!; never built")]
pub(crate) struct AdminErrorBody {
    /// `unauthorized`, `bad_request`, `invalid_scenario`, `not_found`, `method_not_allowed` or
    /// `too_large`.
    #[schema(example = "bad_request")]
    error: String,
    /// What went wrong, in words.
    detail: String,
    /// For `invalid_scenario`: every problem, with its dotted path and line.
    problems: Option<Vec<ProblemView>>,
}

/// One problem of a scenario.
#[derive(ToSchema)]
#[allow(dead_code, reason = "describes a body built with json!; never built")]
pub(crate) struct ProblemView {
    /// Dotted path of the key, such as `vb365.users[1].password`.
    path: String,
    /// 1-based line.
    line: Option<u64>,
    /// What is wrong.
    message: String,
}

/// `{"status": "ok"}`.
#[derive(ToSchema)]
#[allow(dead_code, reason = "describes a body built with json!; never built")]
pub(crate) struct HealthView {
    #[schema(example = "ok")]
    status: String,
}

/// `{"count": n}`.
#[derive(ToSchema)]
#[allow(dead_code, reason = "describes a body built with json!; never built")]
pub(crate) struct CountView {
    count: u64,
}

/// `{"enabled", "capacity"}`.
#[derive(ToSchema)]
#[allow(dead_code, reason = "describes a body built with json!; never built")]
pub(crate) struct JournalSettingsView {
    enabled: bool,
    capacity: u64,
}

/// `{"loaded": true, "clock": {...}}`.
#[derive(ToSchema)]
#[allow(dead_code, reason = "describes a body built with json!; never built")]
pub(crate) struct LoadedView {
    loaded: bool,
    clock: admin::ClockView,
}

/// The scenario's users per product.
#[derive(ToSchema)]
#[allow(dead_code, reason = "describes a body built with json!; never built")]
pub(crate) struct UsersView {
    vb365: Vec<Vb365UserView>,
    azure: Vec<AzureUserView>,
}

/// A VB365 user.
#[derive(ToSchema)]
#[allow(dead_code, reason = "describes a body built with json!; never built")]
pub(crate) struct Vb365UserView {
    username: String,
    aliases: Vec<String>,
    password: Option<String>,
    /// `Administrator`, `Tenant` or `Operator`.
    role: String,
    client_id: Option<String>,
}

/// A VBAzure user.
#[derive(ToSchema)]
#[allow(dead_code, reason = "describes a body built with json!; never built")]
pub(crate) struct AzureUserView {
    username: String,
    password: Option<String>,
    role: String,
    /// Whether sign-in asks for an MFA code.
    mfa: bool,
}

/// The journal filters (all optional; together they must all hold).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code, reason = "describes the query the handler parses by hand; never built")]
pub(crate) struct JournalFilters {
    /// An endpoint name such as `vb365.token`.
    endpoint: Option<String>,
    /// An HTTP method.
    method: Option<String>,
    /// A path (case-insensitive).
    path: Option<String>,
    /// A status.
    status: Option<u16>,
    /// A token request's `grant_type`.
    grant_type: Option<String>,
    /// Only the newest this many.
    limit: Option<u64>,
}
