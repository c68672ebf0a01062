//! VBR's side of declared routes: its paths (`/api/v1/...`), its roles, letting a caller
//! through as its protected endpoints do (the version's 400 first, then the bearer's 401, then
//! the role's 403), and its page envelope.
//!
//! A page is the documents' `...Result`: `{"data":[...],"pagination":{"total","count","skip",
//! "limit"}}`, cut by the `skip` and `limit` query parameters (any case, as ASP.NET binds them;
//! `limit` defaults to 200 as the collection operations declare it).

use actix_web::HttpRequest;
use serde::Serialize;

use super::auth::{authenticate, version};
use super::config::VbrRole;
use super::error::VbrError;
use crate::products::declared::parse_query;
use crate::products::{Access, Admitted, Refusal, refusal};
use crate::state::World;

/// The collection operations' default `limit`.
const DEFAULT_LIMIT: usize = 200;

/// Whether a declared path is VBR's: it is under `/api/v1/` (VBR's only path version; VBAzure's
/// served versions are 6 and up).
pub(crate) fn claims_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower == "/api/v1" || lower.starts_with("/api/v1/")
}

/// Why VBR could never serve a declared path: one not under `/api/v1/`.
pub(crate) fn refuse_path(path: &str) -> Option<String> {
    (!claims_path(path)).then(|| format!("a VBR path is under `/api/v1/`; `{path}` is not"))
}

/// VBR's name of a role, as `[[vbr.users]]` spells it.
pub(crate) fn role(name: &str) -> Result<&'static str, String> {
    VbrRole::parse(name).map(VbrRole::name).ok_or_else(|| {
        let names: Vec<&str> = VbrRole::ALL.iter().map(|role| role.name()).collect();
        format!("unknown VBR role `{name}`; expected one of {}", names.join(", "))
    })
}

/// Lets a call through to a declared route as VBR would.
pub(crate) fn admit(req: &HttpRequest, world: &World, access: &Access) -> Result<Admitted, Refusal> {
    let scenario = world.scenario();
    let settings = scenario.vbr();
    version(req, settings).map_err(refusal)?;
    if matches!(access, Access::Anonymous) {
        return Ok(Admitted::default());
    }
    let auth = authenticate(req, world, settings).map_err(refusal)?;
    let role = auth.payload.role.name();
    if let Access::Roles(roles) = access
        && !roles.contains(&role)
    {
        return Err(refusal(VbrError::Forbidden));
    }
    Ok(Admitted { user: auth.payload.username.clone(), role: role.to_owned() })
}

/// `...Result`: `data`, then `pagination`.
#[derive(Serialize)]
struct Page<'a> {
    data: &'a [serde_json::Value],
    pagination: Pagination,
}

/// `PaginationResult`.
#[derive(Serialize)]
struct Pagination {
    total: usize,
    count: usize,
    skip: usize,
    limit: usize,
}

/// One page of `items`, cut by the request's `skip` and `limit`.
pub(crate) fn page(req: &HttpRequest, items: &[serde_json::Value]) -> Result<serde_json::Value, Refusal> {
    let query = parse_query(req.query_string());
    let value = |name: &str| {
        query.iter().rev().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim())
    };
    let bad = || refusal(VbrError::BadRequest);
    let skip = match value("skip") {
        None => 0,
        Some(given) => given.parse::<usize>().map_err(|_| bad())?,
    };
    let limit = match value("limit") {
        None => DEFAULT_LIMIT,
        Some(given) => given.parse::<usize>().ok().filter(|limit| *limit >= 1).ok_or_else(bad)?,
    };
    cut(items, skip, limit).map_err(|_| refusal(VbrError::Internal))
}

/// The page of `items` from `skip`, at most `limit` long, in the envelope.
fn cut(
    items: &[serde_json::Value],
    skip: usize,
    limit: usize,
) -> Result<serde_json::Value, serde_json::Error> {
    let start = skip.min(items.len());
    let end = start.saturating_add(limit).min(items.len());
    let data = &items[start..end];
    let pagination = Pagination { total: items.len(), count: data.len(), skip, limit };
    serde_json::to_value(Page { data, pagination })
}

/// The first page of a collection, as a call without paging parameters gets it (the OpenAPI
/// document's example).
#[cfg(feature = "openapi")]
pub(crate) fn first_page(items: &[serde_json::Value]) -> serde_json::Value {
    cut(items, 0, DEFAULT_LIMIT).unwrap_or_default()
}

/// The version a loaded OpenAPI document describes, if it is VBR's: its paths are under
/// `/api/v1/` (or are the token endpoint's `/api/oauth2/token`) and its operations take the
/// `x-api-version` header; the version is `info.version` (`1.3-rev2`).
pub(crate) fn recognize_document(root: &serde_json::Value) -> Option<String> {
    let paths = root.get("paths")?.as_object()?;
    let under_api = paths.keys().all(|path| path.to_ascii_lowercase().starts_with("/api/"));
    let versioned =
        paths.values().filter_map(serde_json::Value::as_object).flat_map(|item| item.values()).any(
            |operation| {
                operation.get("parameters").and_then(serde_json::Value::as_array).is_some_and(|parameters| {
                    parameters.iter().any(|parameter| names_api_version(root, parameter))
                })
            },
        );
    if !(under_api && versioned) {
        return None;
    }
    let version = root.get("info")?.get("version")?.as_str()?.trim();
    (!version.is_empty()).then(|| version.to_owned())
}

/// Whether a parameter (or the component it refers to) is the `x-api-version` header.
fn names_api_version(root: &serde_json::Value, parameter: &serde_json::Value) -> bool {
    let parameter = match parameter.get("$ref").and_then(serde_json::Value::as_str) {
        Some(reference) => match reference.strip_prefix('#').and_then(|pointer| root.pointer(pointer)) {
            Some(target) => target,
            None => return false,
        },
        None => parameter,
    };
    parameter
        .get("name")
        .and_then(serde_json::Value::as_str)
        .is_some_and(|name| name.eq_ignore_ascii_case("x-api-version"))
}
