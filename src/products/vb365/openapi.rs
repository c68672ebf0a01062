//! The VB365 half of the mock's OpenAPI document: which handlers it lists, and the schemas of
//! bodies the product parses or renders by hand (the token form, `RESTExceptionInfo`, the
//! explore options), so the document shows the wire names.
//!
//! The `#[utoipa::path]` attributes sit on the handlers themselves, so a route and its
//! description change together; [`crate::explorer`] assembles the whole document.

use utoipa::{OpenApi, ToSchema};

use super::{info, restore, session, token, wire};

/// The tag of the token endpoints.
pub(crate) const AUTH_TAG: &str = "VB365 authentication";
/// The tag of the other endpoints.
pub(crate) const SERVICE_TAG: &str = "VB365 service";
/// The tag of the restore-session endpoints.
pub(crate) const RESTORE_TAG: &str = "VB365 restore sessions";

/// The VB365 paths and schemas.
#[derive(OpenApi)]
#[openapi(
    paths(
        token::token,
        session::logout,
        session::auth_code,
        info::health,
        info::restore_portal_settings,
        info::service_instance,
        info::logged_in_user,
        info::operator_info,
        restore::explore_organization,
        restore::explore_own,
        restore::explore_operator,
        restore::legacy_own_action,
        restore::get,
        restore::stop,
        restore::legacy_organization_action,
        restore::legacy_session_action,
    ),
    components(schemas(TokenForm, RestExceptionInfo, ExploreOptions, wire::LegacyTokenResponse))
)]
pub(crate) struct Vb365Api;

/// The body of `POST /vX/token`: form fields (every client sends a form), or a JSON object with
/// the same names on v6+. Which fields a grant needs: `password` → `username`, `password`;
/// `refresh_token` → `refresh_token`; jwt-bearer (v4+) → `client_id`, `assertion`; `operator`
/// (v6+) → `client_id`, `assertion`; `integration` (v6-v7) → `integration_token`.
#[derive(ToSchema)]
#[schema(as = TokenRequest)]
#[allow(dead_code, reason = "describes a body the handler parses by hand; never built")]
pub(crate) struct TokenForm {
    /// `password`, `refresh_token`, `urn:ietf:params:oauth:grant-type:jwt-bearer`, `operator`
    /// or `integration`.
    #[schema(example = "password")]
    grant_type: String,
    /// The user name (or an alias such as `TECH\administrator`).
    #[schema(example = "Administrator")]
    username: Option<String>,
    /// The password.
    #[schema(example = "PassWord1", format = Password)]
    password: Option<String>,
    /// A refresh token from an earlier answer.
    refresh_token: Option<String>,
    /// The tenant or operator application's client id.
    client_id: Option<String>,
    /// A Microsoft identity assertion (a JSON object with an `access_token`).
    assertion: Option<String>,
    /// The integration grant's token (v6-v7).
    integration_token: Option<String>,
    /// v7+: `true` answers without the antiforgery cookie, so a bearer alone is enough.
    #[schema(example = true)]
    disable_antiforgery_token: Option<bool>,
}

/// `RESTExceptionInfo`, the error body of v6+ (v7 adds `errorCode`, v8 `stackTrace`; null
/// members are left out). v1-v5 answer token errors with OWIN's
/// `{"error", "error_description"}` and others with `{"message"}`.
#[derive(ToSchema)]
#[schema(as = RESTExceptionInfo)]
#[allow(dead_code, reason = "describes a body error.rs renders; never built")]
pub(crate) struct RestExceptionInfo {
    /// What went wrong.
    #[schema(example = "The user name or password is incorrect.")]
    message: String,
    /// v7+: e.g. `ResourceAccessDenied`, `ParameterValidationFailure`.
    #[schema(rename = "errorCode")]
    error_code: Option<String>,
    /// v8: never sent by the mock.
    #[schema(rename = "stackTrace")]
    stack_trace: Option<String>,
}

/// The body of the explore calls: which backup to explore (`type` is `vex`, `veod`, `vesp` or
/// `vet`; other members are accepted and ignored). v1-v5 wrap it: `{"explore": {...}}`.
#[derive(ToSchema)]
#[schema(as = RESTExploreOptions)]
#[allow(dead_code, reason = "describes a body the handler parses by hand; never built")]
pub(crate) struct ExploreOptions {
    /// `vex` (Exchange), `veod` (OneDrive), `vesp` (SharePoint) or `vet` (Teams).
    #[schema(rename = "type", example = "vex")]
    kind: String,
    /// The point in time to explore (ignored).
    #[schema(rename = "dateTime")]
    date_time: Option<String>,
}
