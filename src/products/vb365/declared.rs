//! VB365's side of declared routes: which paths are its own, its role names, letting a caller
//! through exactly as its protected endpoints do (version, bearer, antiforgery, role), the
//! single-use codes of `POST /vX/token/AuthCode`, and its page envelope.
//!
//! A page is `PageOf<T>` as the v8 document declares it (`PageOfRESTJob`): `offset`, `limit`
//! and `results` in that order, cut by the `offset` and `limit` query parameters (default 0
//! and 30, `limit` at most 10,000; the names are read without regard to case, as ASP.NET binds
//! them).

use std::sync::Arc;

use actix_web::HttpRequest;
use actix_web::web::Data;
use serde::Serialize;

use super::auth::authenticate_at;
use super::config::Role;
use super::error::Vb365Error;
use super::state::{AUTH_CODE_LIFETIME, IssuedAuthCode, Vb365Session};
use super::version::ApiVersion;
use crate::clock::later;
use crate::products::declared::parse_query;
use crate::products::{Access, Admitted, Refusal, refusal};
use crate::state::World;

/// The default and largest page sizes (`PageOfRESTJob.limit`).
const DEFAULT_LIMIT: usize = 30;
const MAX_LIMIT: usize = 10_000;

/// Remembers `code` for `session`, good for [`AUTH_CODE_LIFETIME`] from now.
pub(crate) fn remember_auth_code(world: &World, code: String, session: Arc<Vb365Session>) {
    let now = world.clock.now();
    let issued = IssuedAuthCode { session, expires_at: later(now, AUTH_CODE_LIFETIME) };
    world.vb365().auth_codes.lock().insert(code, issued, now);
}

/// Whether a declared path is VB365's: its first segment is a version (`/v8/...`).
pub(crate) fn claims_path(path: &str) -> bool {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or_default();
    ApiVersion::parse(&first.to_ascii_lowercase()).is_some()
}

/// Why VB365 could never serve a declared path: one that does not start with a version.
pub(crate) fn refuse_path(path: &str) -> Option<String> {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or_default();
    let is_param = first.starts_with('{') && first.ends_with('}');
    if is_param || ApiVersion::parse(&first.to_ascii_lowercase()).is_some() {
        None
    } else {
        Some(format!(
            "a VB365 path starts with its API version (`/v8/...`, or `/{{version}}/...` for any); `{path}` does not"
        ))
    }
}

/// VB365's name of a role, as `[[vb365.users]]` spells it.
pub(crate) fn role(name: &str) -> Result<&'static str, String> {
    match name {
        "administrator" => Ok("administrator"),
        "tenant" => Ok("tenant"),
        "operator" => Ok("operator"),
        other => Err(format!(
            "unknown VB365 role `{other}`; expected \"administrator\", \"tenant\" or \"operator\""
        )),
    }
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Administrator => "administrator",
        Role::Tenant => "tenant",
        Role::Operator => "operator",
    }
}

/// Lets a call through to a declared route as VB365 would: an unserved version is 404 before
/// anything else, then the bearer (or the code), then the role.
pub(crate) fn admit(req: &HttpRequest, world: &World, access: &Access) -> Result<Admitted, Refusal> {
    let version = served_version(req, world).map_err(refusal)?;
    let session = match access {
        Access::Anonymous => return Ok(Admitted::default()),
        Access::AuthCode => redeem_auth_code(req, world, version)?,
        Access::Session | Access::Roles(_) => authenticate_at(req, version).map_err(refusal)?.auth.payload,
    };
    if let Access::Roles(roles) = access
        && !roles.contains(&role_name(session.role))
    {
        return Err(refusal(Vb365Error::forbidden(version)));
    }
    Ok(Admitted { user: session.user_name.clone(), role: role_name(session.role).to_owned() })
}

/// The version the path's first segment names, if the scenario serves it; else VB365's 404.
fn served_version(req: &HttpRequest, world: &World) -> Result<ApiVersion, Vb365Error> {
    let first = req.path().trim_start_matches('/').split('/').next().unwrap_or_default();
    let parsed = ApiVersion::parse(first);
    parsed
        .filter(|version| world.scenario().vb365().serves(version.number()))
        .ok_or_else(|| Vb365Error::not_found(parsed.unwrap_or(ApiVersion::NEWEST), req))
}

/// Takes the request's `authCode` out of the codes issued: it is good once, until it expires.
/// A missing, unknown, used or expired code is refused as a bad bearer is.
fn redeem_auth_code(
    req: &HttpRequest,
    world: &World,
    version: ApiVersion,
) -> Result<Arc<Vb365Session>, Refusal> {
    let query = parse_query(req.query_string());
    let code =
        query.iter().find(|(name, _)| name.eq_ignore_ascii_case("authCode")).map(|(_, value)| value.as_str());
    let Some(code) = code.filter(|code| !code.is_empty()) else {
        return Err(refusal(Vb365Error::no_bearer(version)));
    };
    let issued = world.vb365().auth_codes.lock().remove(code);
    match issued {
        Some(issued) if issued.expires_at > world.clock.now() => Ok(issued.session),
        _ => Err(refusal(Vb365Error::invalid_bearer(version))),
    }
}

/// `PageOf<T>`: `offset`, `limit`, `results`.
#[derive(Serialize)]
struct Page<'a> {
    offset: usize,
    limit: usize,
    results: &'a [serde_json::Value],
}

/// One page of `items`, cut by the request's `offset` and `limit`.
pub(crate) fn page(req: &HttpRequest, items: &[serde_json::Value]) -> Result<serde_json::Value, Refusal> {
    let world = req.app_data::<Data<World>>();
    let version = world.and_then(|world| served_version(req, world).ok()).unwrap_or(ApiVersion::NEWEST);
    let query = parse_query(req.query_string());
    let number = |name: &str, default: usize| -> Result<usize, Refusal> {
        match query.iter().rev().find(|(key, _)| key.eq_ignore_ascii_case(name)) {
            None => Ok(default),
            Some((_, value)) => value.trim().parse::<usize>().map_err(|_| {
                refusal(Vb365Error::validation(
                    version,
                    format!("The value '{value}' is not valid for {name}."),
                ))
            }),
        }
    };
    let offset = number("offset", 0)?;
    let limit = number("limit", DEFAULT_LIMIT)?;
    if limit > MAX_LIMIT {
        let message = format!("The maximum supported number of items per page is {MAX_LIMIT}.");
        return Err(refusal(Vb365Error::validation(version, message)));
    }
    serde_json::to_value(envelope(items, offset, limit)).map_err(|_| refusal(Vb365Error::internal(version)))
}

/// The page of `items` that `offset` and `limit` cut.
fn envelope(items: &[serde_json::Value], offset: usize, limit: usize) -> Page<'_> {
    let start = offset.min(items.len());
    let end = start.saturating_add(limit).min(items.len());
    Page { offset, limit, results: &items[start..end] }
}

/// The page a call without `offset` and `limit` gets (the OpenAPI document's example).
#[cfg(feature = "openapi")]
pub(crate) fn first_page(items: &[serde_json::Value]) -> serde_json::Value {
    serde_json::to_value(envelope(items, 0, DEFAULT_LIMIT)).unwrap_or_default()
}

/// The version a loaded OpenAPI document describes, if it is VB365's: every path starts with
/// one and the same API version (`/v8/...`), which is the document's version (`v8`).
pub(crate) fn recognize_document(root: &serde_json::Value) -> Option<String> {
    let paths = root.get("paths")?.as_object()?;
    let mut version: Option<String> = None;
    for path in paths.keys() {
        let first = path.trim_start_matches('/').split('/').next().unwrap_or_default().to_ascii_lowercase();
        ApiVersion::parse(&first)?;
        match &version {
            None => version = Some(first),
            Some(known) if *known == first => {}
            Some(_) => return None,
        }
    }
    version
}

/// VB365's 400 `ParameterValidationFailure` for what a loaded document's operation refuses:
/// one message, the problems' in order.
pub(crate) fn invalid_request(req: &HttpRequest, problems: &[(String, String)]) -> actix_web::HttpResponse {
    let world = req.app_data::<Data<World>>();
    let version = world.and_then(|world| served_version(req, world).ok()).unwrap_or(ApiVersion::NEWEST);
    let message = problems.iter().map(|(_, message)| message.as_str()).collect::<Vec<_>>().join(" ");
    actix_web::ResponseError::error_response(&Vb365Error::validation(version, message))
}
