//! Who a token request signs in: the credential check of each grant, independent of how the
//! answer is written (JWT or OWIN, `RESTExceptionInfo` or OAuth errors).

use serde_json::Value;

use super::config::{Role, Vb365Settings, Vb365User};
use super::request::{RequestError, TokenRequest};
use super::version::ApiVersion;
use crate::tokens::Rejection;

/// The grants of the VB365 token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Grant {
    Password,
    RefreshToken,
    /// `urn:ietf:params:oauth:grant-type:jwt-bearer`: a tenant's Microsoft identity (v4+).
    JwtBearer,
    /// A Restore Portal operator's Microsoft identity (v6+).
    Operator,
    /// `integration_token` (v6 and v7 only).
    Integration,
}

impl Grant {
    /// The grant named by `grant_type` (case-insensitive, as ASP.NET binds enums), if `version`
    /// has it.
    pub(super) fn parse(name: &str, version: ApiVersion) -> Option<Grant> {
        let grant = match name.to_ascii_lowercase().as_str() {
            "password" => Grant::Password,
            "refresh_token" => Grant::RefreshToken,
            "urn:ietf:params:oauth:grant-type:jwt-bearer" => Grant::JwtBearer,
            "operator" => Grant::Operator,
            "integration" => Grant::Integration,
            _ => return None,
        };
        let n = version.number();
        let available = match grant {
            Grant::Password | Grant::RefreshToken => true,
            Grant::JwtBearer => n >= 4,
            Grant::Operator => n >= 6,
            Grant::Integration => (6..=7).contains(&n),
        };
        available.then_some(grant)
    }

    /// The `credentialType` claim of tokens this grant issues. Seed 000 shows `UsernamePassword`
    /// for the password grant; the others are not public, so they are named after the grant.
    pub(super) fn credential_type(self) -> &'static str {
        match self {
            Grant::Password | Grant::RefreshToken => "UsernamePassword",
            Grant::JwtBearer => "JwtBearer",
            Grant::Operator => "Operator",
            Grant::Integration => "Integration",
        }
    }
}

/// Why a token request was refused (each dialect words it its own way).
#[derive(Debug)]
pub(super) enum Refusal {
    /// A required field is missing (or empty).
    Missing(&'static str),
    /// A field has a value of the wrong type.
    Invalid(RequestError),
    /// The credentials do not match any user allowed this grant.
    BadCredentials,
    /// The assertion is not a JSON object holding an `access_token`.
    BadAssertion,
    /// The refresh token was refused, or none was sent ([`Rejection::Missing`]).
    Refresh(Rejection),
    /// A refresh without the session's antiforgery token.
    Antiforgery,
}

impl From<RequestError> for Refusal {
    fn from(error: RequestError) -> Refusal {
        Refusal::Invalid(error)
    }
}

fn required<'a>(request: &'a TokenRequest, name: &'static str) -> Result<&'a str, Refusal> {
    request.text(name)?.ok_or(Refusal::Missing(name))
}

/// Checks the credentials of a sign-in grant (every grant but refresh_token) and returns the
/// user it signs in.
pub(super) fn sign_in<'s>(
    grant: Grant,
    settings: &'s Vb365Settings,
    version: ApiVersion,
    request: &TokenRequest,
) -> Result<&'s Vb365User, Refusal> {
    match grant {
        Grant::Password => {
            let username = required(request, "username")?;
            let password = required(request, "password")?;
            let user = settings.find_user(username).ok_or(Refusal::BadCredentials)?;
            // Tenants signed in with their Microsoft 365 password only on the legacy API
            // (basic authentication); from v6 on they use the jwt-bearer grant.
            let role_allowed = match user.role {
                Role::Administrator => true,
                Role::Tenant => version.is_legacy(),
                Role::Operator => false,
            };
            let password_ok = user.password.as_ref().is_some_and(|secret| secret.matches(password));
            (role_allowed && password_ok).then_some(user).ok_or(Refusal::BadCredentials)
        }
        Grant::JwtBearer | Grant::Operator => {
            let client_id = required(request, "client_id")?;
            let assertion = required(request, "assertion")?;
            let role = if grant == Grant::Operator { Role::Operator } else { Role::Tenant };
            let user = settings.find_by_client_id(role, client_id).ok_or(Refusal::BadCredentials)?;
            match &user.assertion {
                Some(expected) if expected.matches(assertion) => Ok(user),
                Some(_) => Err(Refusal::BadCredentials),
                None if well_formed_assertion(assertion) => Ok(user),
                None => Err(Refusal::BadAssertion),
            }
        }
        Grant::Integration => {
            let token = required(request, "integration_token")?;
            settings
                .users
                .iter()
                .find(|user| user.integration_token.as_ref().is_some_and(|secret| secret.matches(token)))
                .ok_or(Refusal::BadCredentials)
        }
        Grant::RefreshToken => Err(Refusal::BadCredentials),
    }
}

/// An assertion is "a JSON document that holds the Microsoft identity platform access and
/// refresh tokens": clients send the whole Microsoft token response, stringified.
fn well_formed_assertion(assertion: &str) -> bool {
    serde_json::from_str::<Value>(assertion)
        .ok()
        .is_some_and(|value| value.get("access_token").is_some_and(Value::is_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_exist_only_in_their_versions() {
        let v = |n: &str| ApiVersion::parse(n).expect("a version");
        assert_eq!(Grant::parse("Password", v("v1")), Some(Grant::Password));
        assert_eq!(Grant::parse("urn:ietf:params:oauth:grant-type:jwt-bearer", v("v3")), None);
        assert_eq!(
            Grant::parse("urn:ietf:params:oauth:grant-type:jwt-bearer", v("v4")),
            Some(Grant::JwtBearer)
        );
        assert_eq!(Grant::parse("operator", v("v5")), None);
        assert_eq!(Grant::parse("operator", v("v6")), Some(Grant::Operator));
        assert_eq!(Grant::parse("integration", v("v7")), Some(Grant::Integration));
        assert_eq!(Grant::parse("integration", v("v8")), None);
        assert_eq!(Grant::parse("client_credentials", v("v8")), None);
    }

    #[test]
    fn a_well_formed_assertion_is_a_json_object_with_an_access_token() {
        assert!(well_formed_assertion(r#"{"token_type":"Bearer","access_token":"eyJ0eXAi..."}"#));
        assert!(!well_formed_assertion(r#"{"id_token":"x"}"#));
        assert!(!well_formed_assertion("eyJ0eXAi.not.json"));
    }
}
