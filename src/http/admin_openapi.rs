//! The admin API's part of the OpenAPI document: the schemas of bodies the admin handlers build
//! with `json!` (so the document shows what is really sent) and the list of its operations.
//! The `#[utoipa::path]` attributes sit on the handlers in [`super::admin`].

use serde::Serialize;
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
#[derive(Serialize, ToSchema)]
pub(crate) struct AdminErrorBody {
    /// `unauthorized`, `bad_request`, `invalid_scenario`, `not_found`, `method_not_allowed`,
    /// `too_large` or `request_timeout`.
    #[schema(value_type = String, example = "bad_request")]
    pub(crate) error: &'static str,
    /// What went wrong, in words.
    pub(crate) detail: String,
    /// For `invalid_scenario`: every problem, with its dotted path and line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) problems: Option<Vec<ProblemView>>,
}

/// One problem of a scenario.
#[derive(Serialize, ToSchema)]
pub(crate) struct ProblemView {
    /// Dotted path of the key, such as `vb365.users[1].password`.
    pub(crate) path: String,
    /// 1-based line.
    pub(crate) line: Option<usize>,
    /// What is wrong.
    pub(crate) message: String,
}

/// `{"status": "ok"}`.
#[derive(Serialize, ToSchema)]
pub(crate) struct HealthView {
    #[schema(value_type = String, example = "ok")]
    pub(crate) status: &'static str,
}

/// `{"count": n}`.
#[derive(Serialize, ToSchema)]
pub(crate) struct CountView {
    pub(crate) count: usize,
}

/// `{"enabled", "capacity"}`.
#[derive(Serialize, ToSchema)]
pub(crate) struct JournalSettingsView {
    pub(crate) enabled: bool,
    pub(crate) capacity: usize,
}

/// `{"loaded": true, "clock": {...}}`.
#[derive(Serialize, ToSchema)]
pub(crate) struct LoadedView {
    pub(crate) loaded: bool,
    pub(crate) clock: admin::ClockView,
}

/// The scenario's users per product.
#[derive(Serialize, ToSchema)]
pub(crate) struct UsersView {
    pub(crate) vb365: Vec<Vb365UserView>,
    pub(crate) azure: Vec<AzureUserView>,
}

/// A VB365 user.
#[derive(Serialize, ToSchema)]
pub(crate) struct Vb365UserView {
    pub(crate) username: String,
    pub(crate) aliases: Vec<String>,
    pub(crate) password: Option<String>,
    /// `Administrator`, `Tenant` or `Operator`.
    pub(crate) role: String,
    pub(crate) client_id: Option<String>,
}

/// A VBAzure user.
#[derive(Serialize, ToSchema)]
pub(crate) struct AzureUserView {
    pub(crate) username: String,
    pub(crate) password: Option<String>,
    #[schema(value_type = String)]
    pub(crate) role: &'static str,
    /// Whether sign-in asks for an MFA code.
    pub(crate) mfa: bool,
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
