//! The OpenAPI 3.1 document of what the mock serves, assembled from the `#[utoipa::path]`
//! attributes on the product handlers (each product lists its own in its `openapi` module).
//!
//! The document has no `servers`: Swagger UI then calls the origin it was loaded from, so
//! "Try it out" works over HTTP and HTTPS, on whatever port the mock was given.

use std::sync::LazyLock;

use serde_json::{Value, json};

use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{InfoBuilder, OpenApiBuilder};

use crate::products::{azure, vb365};

/// The document, built once: it depends on the code only, not on the scenario.
static DOCUMENT: LazyLock<Value> = LazyLock::new(|| {
    let mut document = serde_json::to_value(build()).unwrap_or_else(|_| json!({}));
    add_cross_cutting_responses(&mut document);
    document
});

/// The document as compact JSON bytes, rendered once.
static DOCUMENT_JSON: LazyLock<Vec<u8>> =
    LazyLock::new(|| serde_json::to_vec(&*DOCUMENT).unwrap_or_else(|_| b"{}".to_vec()));

/// The mock's OpenAPI document (JSON, pretty-printed): every product route it serves, with the
/// products' field names. The binary prints it with `veeam-auth-mock openapi`; a running mock
/// serves it at `/swagger/docs/v8` and `/__mock/openapi.json`.
///
/// ```
/// let document: serde_json::Value = serde_json::from_str(&veeam_auth_mock::standalone::openapi_json()).unwrap();
/// assert!(document["paths"]["/{version}/token"]["post"].is_object());
/// assert!(document["paths"]["/api/oauth2/token"]["post"].is_object());
/// ```
pub fn openapi_json() -> String {
    serde_json::to_string_pretty(&*DOCUMENT).unwrap_or_else(|_| "{}".to_owned())
}

/// The compact JSON served over HTTP.
pub(crate) fn document_bytes() -> &'static [u8] {
    &DOCUMENT_JSON
}

fn build() -> utoipa::openapi::OpenApi {
    let info = InfoBuilder::new()
        .title("veeam-auth-mock")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(
            "The routes this mock of the Veeam Backup for Microsoft 365 (REST API v1-v8) and Veeam \
             Backup for Microsoft Azure (v6-v8.1) authentication servers serves. Paths are \
             case-insensitive; `{version}` is the API version (`v8`, or `v8.1` for VBAzure). \
             Default credentials: `Administrator` / `PassWord1` (VB365), `administrator` / \
             `PassWord1` (VBAzure). Paste an `access_token` into Authorize to call the \
             protected routes (v8 also needs `disable_antiforgery_token=true` at sign-in, or the \
             `X-XSRF-TOKEN` header).",
        ))
        .build();
    let tags = [
        (vb365::openapi::AUTH_TAG, "VB365 sign-in, refresh and sign-out (`/vX/token`)."),
        (vb365::openapi::SERVICE_TAG, "VB365 probes and the signed-in user."),
        (vb365::openapi::RESTORE_TAG, "VB365 restore sessions."),
        (azure::openapi::AUTH_TAG, "VBAzure sign-in (every grant, MFA), refresh and sign-out."),
        (azure::openapi::SYSTEM_TAG, "VBAzure probes and the licence agreement."),
        (
            crate::http::admin_openapi::TAG,
            "The mock's own control plane (`/__mock/`): clock, faults, journal, reset, scenario. \
             With `--admin-token`, every route but health needs `Authorization: Bearer <token>`.",
        ),
    ]
    .map(|(name, description)| TagBuilder::new().name(name).description(Some(description)).build());
    let mut document = OpenApiBuilder::new().info(info).tags(Some(tags)).build();
    document.merge(vb365::openapi::Vb365Api::openapi());
    document.merge(azure::openapi::AzureApi::openapi());
    document.merge(crate::http::admin_openapi::AdminApi::openapi());
    let bearer = HttpBuilder::new()
        .scheme(HttpAuthScheme::Bearer)
        .bearer_format("JWT")
        .description(Some("An `access_token` from a token endpoint."))
        .build();
    document
        .components
        .get_or_insert_with(Default::default)
        .add_security_scheme("bearer", SecurityScheme::Http(bearer));
    let admin = HttpBuilder::new()
        .scheme(HttpAuthScheme::Bearer)
        .description(Some("The admin token given with `--admin-token`, when one is."))
        .build();
    document
        .components
        .get_or_insert_with(Default::default)
        .add_security_scheme("admin", SecurityScheme::Http(admin));
    document
}

/// Adds the answers every route of a kind can give, which the handlers' attributes leave out
/// because they come from rules that cut across routes:
/// - a `{version}` the scenario does not serve (or the route does not exist in) is 404, before
///   any other check: clients probe versions this way;
/// - a route behind a bearer answers 401 to a missing, expired or revoked one (an empty body on
///   VB365 v6+, problem+json on VBAzure), and VB365 routes with a role check 403;
/// - a VB365 route with a body answers 400 to a malformed one, and the token endpoints 413 and
///   415 to an oversized body or a wrong content type;
/// - a route that reads a body answers 408 when it does not arrive within the body deadline
///   (and closes the connection), and an admin route 413 to a body over its cap.
fn add_cross_cutting_responses(document: &mut Value) {
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for (path, item) in paths.iter_mut() {
        let azure = path.starts_with("/api/");
        let versioned = path.contains("{version}");
        let is_token = path == "/{version}/token" || path == "/api/oauth2/token";
        let admin = path.starts_with("/__mock");
        let Some(operations) = item.as_object_mut() else { continue };
        for (method, operation) in operations.iter_mut() {
            let bearer = operation["security"]
                .as_array()
                .is_some_and(|list| list.iter().any(|requirement| requirement.get("bearer").is_some()));
            let has_body = operation.get("requestBody").is_some() || (is_token && method == "post");
            let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            let error = |description: &str| {
                if admin {
                    json!({ "description": description, "content": { "application/json": {
                        "schema": { "$ref": "#/components/schemas/AdminErrorBody" } } } })
                } else if azure {
                    json!({ "description": description, "content": { "application/problem+json": {
                        "schema": { "$ref": "#/components/schemas/ProblemDetails" } } } })
                } else {
                    json!({ "description": description, "content": { "application/json": {
                        "schema": { "$ref": "#/components/schemas/RESTExceptionInfo" } } } })
                }
            };
            let mut add = |status: &str, response: Value| {
                responses.entry(status.to_owned()).or_insert(response);
            };
            if versioned {
                add("404", error("A version the scenario does not serve, or the route does not exist in"));
            }
            if bearer {
                let refused = "A missing, malformed, expired or revoked bearer";
                add("401", if azure { error(refused) } else { json!({ "description": refused }) });
                if !azure && method == "post" {
                    add("403", error("The caller's role may not do this"));
                }
            }
            if !azure && method == "post" {
                add("400", error("A malformed request"));
            }
            if is_token && method == "post" {
                add("413", error("A body over 64 KiB"));
                add("415", error("A body that is not a form (or, on VB365 v6+, JSON)"));
            }
            if has_body {
                add("408", error("The body did not arrive within 10 s; the connection is then closed"));
            }
            if admin && has_body {
                add("413", error("A body over 1 MiB (a larger Content-Length is refused before it is sent)"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    #[test]
    fn every_path_has_a_unique_operation_id() {
        let document: Value = serde_json::from_slice(super::document_bytes()).expect("JSON");
        let mut ids = Vec::new();
        for item in document["paths"].as_object().expect("paths").values() {
            for operation in item.as_object().expect("a path item").values() {
                ids.push(operation["operationId"].as_str().expect("an operationId").to_owned());
            }
        }
        let count = ids.len();
        ids.sort();
        ids.dedup();

        assert_eq!(ids.len(), count, "{ids:?}");
        assert!(count >= 20, "{count}");
    }
}
