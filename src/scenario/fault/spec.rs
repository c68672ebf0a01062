//! [`FaultSpec`]: a fault as written, in a scenario's TOML or the admin API's JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A fault as written: a scenario's `[[faults]]` table, or an admin API JSON body. Every key is
/// optional; `Fault::from_spec` checks the combination.
///
/// Matchers: `endpoint` (a name such as `vb365.token`, or `route.<name>` for a declared
/// route), `path` (trailing `*` for a prefix), `method`, `grant_type`, `user`. Calls: one of
/// `calls = [2, 3]`, `after = 5`, `every = 3`, `probability = 0.5`; `times` limits the uses. Action, one of: `status` (with optional
/// `body`, `content_type`, `headers`), `retry_after` (429 with `Retry-After`), `connection =
/// "drop" | "reset"`, `response = "truncated" | "malformed" | "empty"`, `session = "revoke" |
/// "expire"`; `delay` waits first and may stand alone. A `status` is 200-599 (no 1xx); 204, 205
/// and 304 take no `body` or `content_type` and are sent with no body. Header names are HTTP
/// tokens (not `Content-Length` or `Transfer-Encoding`, which the mock sets), values hold no
/// control characters, and `body`, `content_type` and `headers` hold at most 64 KiB together.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
#[cfg_attr(feature = "openapi", schema(example = json!({"endpoint": "vb365.token", "calls": [2, 3], "status": 503})))]
pub struct FaultSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calls: Option<Vec<u64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}
