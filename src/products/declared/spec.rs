//! A declared route as its author writes it: the keys of a scenario's `[[routes]]` table and
//! of the admin API's `POST /__mock/routes` body, before validation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A route a test declares: a method and path of one product, who may call it, and what it
/// answers. The keys of a scenario's `[[routes]]` table and of `POST /__mock/routes`.
///
/// `path` is required. `method` defaults to `GET`, `auth` to `"session"` (a live bearer of the
/// owning product; also `"anonymous"`, `"auth_code"` or a list of roles), `status` to 200 and
/// `content_type` to `application/json; charset=utf-8`. A route answers with one response
/// (`status`, `body` or `json` or `body_file`, or a paged collection with `items` or
/// `items_file`, plus `headers`) or with a sequence of them (`responses`: the first call gets
/// the first, the last repeats). `query` and `request_headers` are conditions the request must
/// meet (`"*"` takes any value). Bodies are templates: `{{path.NAME}}`, `{{query.NAME}}`,
/// `{{user}}`, `{{role}}`, `{{now}}`, `{{uuid}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "name": "jobs", "path": "/v8/Jobs", "items": [{"id": "b0b0f5a6-5ad4-4dbd-bf5e-9c1b5a4a2c11", "name": "Daily"}]
})))]
pub struct RouteSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// `"session"`, `"anonymous"`, `"auth_code"`, or a list of role names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Value))]
    pub auth: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_headers: Option<BTreeMap<String, String>>,
    // The response keys, the same as `ResponseSpec`'s, written out again: serde cannot both
    // flatten a struct in and refuse unknown keys, and a misspelt key must be refused by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Value))]
    pub json: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Value>))]
    pub items: Option<Vec<serde_json::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responses: Option<Vec<ResponseSpec>>,
}

/// One response of a declared route's `responses` sequence: the response keys of
/// [`RouteSpec`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ResponseSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Value))]
    pub json: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Value>))]
    pub items: Option<Vec<serde_json::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
}

impl RouteSpec {
    /// The route's single response, as its top-level keys give it.
    pub(crate) fn own_response(&self) -> ResponseSpec {
        ResponseSpec {
            status: self.status,
            body: self.body.clone(),
            json: self.json.clone(),
            body_file: self.body_file.clone(),
            items: self.items.clone(),
            items_file: self.items_file.clone(),
            content_type: self.content_type.clone(),
            headers: self.headers.clone(),
        }
    }

    /// Whether any of the top-level response keys is given.
    pub(crate) fn has_own_response(&self) -> bool {
        self.own_response() != ResponseSpec::default()
    }
}
