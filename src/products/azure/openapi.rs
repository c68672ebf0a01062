//! The VBAzure half of the mock's OpenAPI document: which handlers it lists, and the schemas of
//! bodies the product parses or renders by hand (the token form, problem details), so the
//! document shows the wire names.
//!
//! The `#[utoipa::path]` attributes sit on the handlers themselves, so a route and its
//! description change together; [`crate::explorer`] assembles the whole document.

use utoipa::{OpenApi, ToSchema};

use super::{endpoints, token, wire};

/// The tag of the token endpoints.
pub(crate) const AUTH_TAG: &str = "VBAzure authentication";
/// The tag of the probe endpoints.
pub(crate) const SYSTEM_TAG: &str = "VBAzure system";

/// The VBAzure paths and schemas.
#[derive(OpenApi)]
#[openapi(
    paths(
        token::token,
        endpoints::logout,
        endpoints::authorization_code,
        endpoints::about,
        endpoints::server_info,
        endpoints::status,
        endpoints::service_is_up,
        endpoints::license_accepted,
        endpoints::accept_license,
    ),
    components(schemas(LoginForm, ProblemDetails, DocumentChecksum, wire::Login))
)]
pub(crate) struct AzureApi;

/// The form of `POST /api/oauth2/token` (`application/x-www-form-urlencoded` only). Which fields
/// a grant needs: `Password` → `username`, `password`; `Mfa` → `mfa_token`, `mfa_code`;
/// `Refresh_token` → `refresh_token`; `Authentication_code` → `authorization_code`;
/// `Updater_token`, `Saml`, `SsoToken` → `updater_token`, `saml_response`, `sso_token`.
#[derive(ToSchema)]
#[schema(as = LoginSpec)]
#[allow(dead_code, reason = "describes a body the handler parses by hand; never built")]
pub(crate) struct LoginForm {
    /// `Password` (the default), `Mfa`, `Refresh_token`, `Updater_token`, `Saml`, `SsoToken` or
    /// `Authentication_code`, in any case.
    #[schema(example = "Password")]
    grant_type: String,
    /// The user name.
    #[schema(example = "administrator")]
    username: Option<String>,
    /// The password.
    #[schema(example = "PassWord1", format = Password)]
    password: Option<String>,
    /// A refresh token from an earlier answer.
    refresh_token: Option<String>,
    /// The `mfa_token` of an MFA challenge.
    mfa_token: Option<String>,
    /// The one-time code answering the challenge.
    mfa_code: Option<String>,
    /// A code from `POST /api/oauth2/authorization_code`.
    authorization_code: Option<String>,
    /// `true` for a refresh token that lives 60 minutes instead of 14 days.
    short_lived_refresh_token: Option<bool>,
}

/// RFC 9457 problem details, as ASP.NET Core writes them (`application/problem+json`); 400s add
/// `errors` (field → messages), the EULA gate `licenseAgreementAcceptanceRequired`.
#[derive(ToSchema)]
#[allow(dead_code, reason = "describes a body problem.rs renders; never built")]
pub(crate) struct ProblemDetails {
    /// The status's RFC 9110 section.
    #[schema(rename = "type")]
    kind: Option<String>,
    /// The status's reason phrase.
    title: String,
    /// The HTTP status.
    status: u16,
    /// What went wrong.
    detail: Option<String>,
    /// The request path.
    instance: Option<String>,
    /// A W3C trace id.
    #[schema(rename = "traceId")]
    trace_id: String,
}

/// One agreement to accept in `POST /api/v{ver}/licenseAgreement/accept` (the body is a JSON
/// array of these); both members are optional strings.
#[derive(ToSchema)]
#[allow(dead_code, reason = "describes a body checksums.rs checks by hand; never built")]
pub(crate) struct DocumentChecksum {
    /// The checksum of the agreement's text.
    checksum: Option<String>,
    /// The agreement's type.
    #[schema(rename = "type")]
    kind: Option<String>,
}
