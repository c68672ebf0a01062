//! The OpenAPI 3.1 document of what the mock serves, put together from the parts it is given
//! (each product's and the admin API's, with their own tags, schemes and cross-cutting answers;
//! see [`crate::http`]). The explorer names no product: it adds the title and the description,
//! and renders the JSON once. What depends on the scenario (its declared routes) is a part
//! laid over the rendered document when it is served ([`Document::with_part`]).
//!
//! The document has no `servers`: Swagger UI then calls the origin it was loaded from, so
//! "Try it out" works over HTTP and HTTPS, on whatever port the mock was given.

use serde_json::{Map, Value};
use utoipa::openapi::{InfoBuilder, OpenApi, OpenApiBuilder};

/// The document, rendered: built once, as it depends on the code only, not on the scenario.
/// (The declared routes, which do, are laid over it with [`Document::with_part`].)
pub(crate) struct Document {
    /// The document, for [`Document::with_part`].
    json: Value,
    /// Pretty-printed, for `veeam-auth-mock openapi` and [`crate::standalone::openapi_json`].
    pretty: String,
    /// Compact, as served over HTTP.
    compact: Vec<u8>,
}

impl Document {
    /// The whole document made of `parts`, merged in the order given (which is the order of the
    /// tags: the first part's first).
    pub(crate) fn new(parts: impl IntoIterator<Item = OpenApi>) -> Document {
        // Through a `Value`, whose maps are sorted: the JSON keeps one stable member order.
        let json = serde_json::to_value(document(parts)).unwrap_or_else(|_| Value::Object(Map::new()));
        Document {
            pretty: serde_json::to_string_pretty(&json).unwrap_or_else(|_| "{}".to_owned()),
            compact: serde_json::to_vec(&json).unwrap_or_else(|_| b"{}".to_vec()),
            json,
        }
    }

    /// The document with `part` laid over it, as compact JSON bytes: `part`'s `paths` (an
    /// operation joins a path the document has, never replacing one of its operations) and
    /// its `tags` (after the document's, unless it has one of that name). The document's own
    /// members keep their order; what `part` adds comes after them.
    pub(crate) fn with_part(&self, part: Value) -> Vec<u8> {
        let mut json = self.json.clone();
        let Value::Object(part) = part else { return self.compact.clone() };
        if let (Some(Value::Object(paths)), Some(Value::Object(added))) =
            (json.get_mut("paths"), part.get("paths"))
        {
            for (path, item) in added {
                let Value::Object(operations) = item else { continue };
                let entry = paths.entry(path.clone()).or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(entry) = entry {
                    for (method, operation) in operations {
                        entry.entry(method.clone()).or_insert_with(|| operation.clone());
                    }
                }
            }
        }
        if let Some(Value::Array(added)) = part.get("tags") {
            let tags = json
                .as_object_mut()
                .map(|document| document.entry("tags").or_insert_with(|| Value::Array(Vec::new())));
            if let Some(Value::Array(tags)) = tags {
                for tag in added {
                    if !tags.iter().any(|known| known.get("name") == tag.get("name")) {
                        tags.push(tag.clone());
                    }
                }
            }
        }
        serde_json::to_vec(&json).unwrap_or_else(|_| self.compact.clone())
    }

    /// The document as pretty-printed JSON.
    pub(crate) fn pretty(&self) -> &str {
        &self.pretty
    }

    /// The document as compact JSON bytes.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.compact
    }
}

/// The mock's title and description over `parts`.
pub(crate) fn document(parts: impl IntoIterator<Item = OpenApi>) -> OpenApi {
    let info = InfoBuilder::new()
        .title("veeam-auth-mock")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(
            "The routes this mock of the Veeam Backup for Microsoft 365 (REST API v1-v8), Veeam \
             Backup for Microsoft Azure (v6-v8.1) and Veeam Backup & Replication (1.1-rev0 to \
             1.3-rev2) authentication servers serves. Paths are case-insensitive; `{version}` is \
             the API version (`v8`, or `v8.1` for VBAzure). VBR calls carry `x-api-version` \
             (`1.3-rev2`); on a path VBR and VBAzure share, a request with it is VBR's. Default \
             credentials: `Administrator` / `PassWord1` (VB365), `administrator` / `PassWord1` \
             (VBAzure, VBR). Paste an `access_token` into Authorize to call the \
             protected routes (v8 also needs `disable_antiforgery_token=true` at sign-in, or the \
             `X-XSRF-TOKEN` header).",
        ))
        .build();
    let mut document = OpenApiBuilder::new().info(info).build();
    for part in parts {
        note_shared_operations(&mut document, &part);
        document.merge(part);
    }
    document
}

/// Two parts may document one method on one path (products told apart by a header, such as
/// VBR's `x-api-version` on `/api/oauth2/token`, which VBAzure shares); an OpenAPI path has
/// one operation per method, so the first part's is kept, and this adds to its description
/// what the later part's does, by its summary.
fn note_shared_operations(document: &mut OpenApi, part: &OpenApi) {
    use utoipa::openapi::path::{Operation, PathItem};
    let operations = |item: &PathItem| -> [Option<Operation>; 4] {
        [item.get.clone(), item.post.clone(), item.put.clone(), item.delete.clone()]
    };
    for (path, theirs) in &part.paths.paths {
        let Some(ours) = document.paths.paths.get_mut(path) else { continue };
        let slots = [&mut ours.get, &mut ours.post, &mut ours.put, &mut ours.delete];
        for (slot, other) in slots.into_iter().zip(operations(theirs)) {
            let (Some(kept), Some(other)) = (slot.as_mut(), other) else { continue };
            let tag = other.tags.as_ref().and_then(|tags| tags.first()).cloned().unwrap_or_default();
            let summary = other.summary.unwrap_or_default();
            let note = format!("**Also served as {tag}:** {summary}.");
            kept.description = Some(match kept.description.take() {
                Some(text) if !text.is_empty() => format!("{text}\n\n{note}"),
                _ => note,
            });
        }
    }
}
