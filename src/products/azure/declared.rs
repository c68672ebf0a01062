//! VBAzure's side of declared routes: its paths (`/api/v{version}/...`), its roles, letting a
//! caller through as its protected endpoints do (version 404 first, then the bearer's 401,
//! then the licence agreement and the role's 403), and its page envelope.
//!
//! A page is `PageOf<T>` as the 8.1 document declares it (`PageOfAvailabilitySet` and the
//! rest): `offset`, `limit`, `totalCount`, `results`, cut by the `Offset` and `Limit` query
//! parameters (read without regard to case, as ASP.NET binds them). `Limit` is -1 or more and
//! -1 means every item; the document gives no default, and the mock serves every item when
//! `Limit` is not sent (and says `limit: -1`).

use actix_web::HttpRequest;
use serde::Serialize;

use super::auth::authenticate;
use super::config::AzureRole;
use super::problem::AzureError;
use crate::products::declared::parse_query;
use crate::products::{Access, Admitted, Refusal, refusal};
use crate::state::World;

/// Whether a declared path is VBAzure's: it is under `/api/`.
pub(crate) fn claims_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower == "/api" || lower.starts_with("/api/")
}

/// Why VBAzure could never serve a declared path: one not under `/api/{version}/`.
pub(crate) fn refuse_path(path: &str) -> Option<String> {
    let mut segments = path.split('/').filter(|segment| !segment.is_empty());
    let under_api = segments.next().is_some_and(|first| first.eq_ignore_ascii_case("api"));
    let versioned = segments.next().is_some_and(|second| {
        (second.starts_with('{') && second.ends_with('}')) || second.to_ascii_lowercase().starts_with('v')
    });
    (!(under_api && versioned)).then(|| {
        format!("a VBAzure path is under its API version (`/api/v8.1/...`, or `/api/{{version}}/...`); `{path}` is not")
    })
}

/// VBAzure's name of a role (`RbacRole`), as `[[azure.users]]` spells it.
pub(crate) fn role(name: &str) -> Result<&'static str, String> {
    AzureRole::ALL.into_iter().find(|role| role.name() == name).map(AzureRole::name).ok_or_else(|| {
        let names: Vec<&str> = AzureRole::ALL.iter().map(|role| role.name()).collect();
        format!("unknown VBAzure role `{name}`; expected one of {}", names.join(", "))
    })
}

/// Lets a call through to a declared route as VBAzure would.
pub(crate) fn admit(req: &HttpRequest, world: &World, access: &Access) -> Result<Admitted, Refusal> {
    served_version(req, world).map_err(refusal)?;
    if matches!(access, Access::Anonymous) {
        return Ok(Admitted::default());
    }
    let auth = authenticate(req).map_err(refusal)?;
    if !world.azure().stores.license_accepted() {
        return Err(refusal(AzureError::Forbidden { license: true }));
    }
    let role = auth.payload.role.name();
    if let Access::Roles(roles) = access
        && !roles.contains(&role)
    {
        return Err(refusal(AzureError::Forbidden { license: false }));
    }
    Ok(Admitted { user: auth.payload.username.clone(), role: role.to_owned() })
}

/// The path's version segment (`/api/v8.1/...`), if the scenario serves it; else the 404.
fn served_version(req: &HttpRequest, world: &World) -> Result<(), AzureError> {
    let segment = req.path().split('/').filter(|segment| !segment.is_empty()).nth(1).unwrap_or_default();
    // Asp.Versioning reads `v8.0` and `v8` as the same version.
    let segment = if segment == "v8.0" { "v8" } else { segment };
    if world.scenario().azure().serves(segment) {
        Ok(())
    } else {
        Err(AzureError::NotFound { instance: crate::request::path_as_sent(req) })
    }
}

/// `PageOf<T>`: `offset`, `limit`, `totalCount`, `results`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Page<'a> {
    offset: usize,
    limit: i64,
    total_count: usize,
    results: &'a [serde_json::Value],
}

/// One page of `items`, cut by the request's `Offset` and `Limit`.
pub(crate) fn page(req: &HttpRequest, items: &[serde_json::Value]) -> Result<serde_json::Value, Refusal> {
    let query = parse_query(req.query_string());
    let value = |name: &str| {
        query.iter().rev().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim())
    };
    let invalid = |name: &str, given: &str| {
        refusal(AzureError::invalid(name, format!("The value '{given}' is not valid for {name}.")))
    };
    let offset = match value("Offset") {
        None => 0,
        Some(given) => given.parse::<usize>().map_err(|_| invalid("Offset", given))?,
    };
    let limit = match value("Limit") {
        None => -1,
        Some(given) => {
            given.parse::<i64>().ok().filter(|limit| *limit >= -1).ok_or_else(|| invalid("Limit", given))?
        }
    };
    serde_json::to_value(envelope(items, offset, limit)).map_err(|_| refusal(AzureError::Internal))
}

/// The page of `items` that `offset` and `limit` cut (`limit` -1: every item from `offset`).
fn envelope(items: &[serde_json::Value], offset: usize, limit: i64) -> Page<'_> {
    let start = offset.min(items.len());
    let end = match usize::try_from(limit) {
        Ok(limit) => start.saturating_add(limit).min(items.len()),
        Err(_) => items.len(),
    };
    Page { offset, limit, total_count: items.len(), results: &items[start..end] }
}

/// The page a call without `Offset` and `Limit` gets (the OpenAPI document's example).
#[cfg(feature = "openapi")]
pub(crate) fn first_page(items: &[serde_json::Value]) -> serde_json::Value {
    serde_json::to_value(envelope(items, 0, -1)).unwrap_or_default()
}

/// The version a loaded OpenAPI document describes, if it is VBAzure's: every path is under
/// `/api/` and one and the same version (`/api/v8.1/...`), which is the document's (`v8.1`),
/// but for the token endpoint's `/api/oauth2/token`.
pub(crate) fn recognize_document(root: &serde_json::Value) -> Option<String> {
    let paths = root.get("paths")?.as_object()?;
    let mut version: Option<String> = None;
    for path in paths.keys() {
        let mut segments = path.split('/').filter(|segment| !segment.is_empty());
        if !segments.next()?.eq_ignore_ascii_case("api") {
            return None;
        }
        let second = segments.next()?.to_ascii_lowercase();
        // The token endpoint is not versioned (`/api/oauth2/token`).
        if second == "oauth2" {
            continue;
        }
        let number = second.strip_prefix('v')?;
        if number.is_empty()
            || !number.split('.').all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        match &version {
            None => version = Some(second),
            Some(known) if *known == second => {}
            Some(_) => return None,
        }
    }
    version
}
