//! Loading a document: reading the file, recognising the product and version it describes,
//! compiling its operations, and noting once the defects it has that the mock works around.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use actix_web::web::Bytes;
use serde_json::Value;

use super::operation::{self, Operation};
use crate::products::declared::Index;
use crate::products::{PRODUCTS, Product};

/// The largest document read: four times Veeam's largest (VBR 1.3-rev2, 4 MB).
pub(crate) const MAX_DOCUMENT_BYTES: u64 = 16 * 1024 * 1024;

/// Notes kept per document: a broken document could otherwise produce one per operation.
const MAX_NOTES: usize = 50;

/// A product's OpenAPI document, loaded for the mock to serve every operation in it (see
/// [`MockServerBuilder::openapi_document`](crate::MockServerBuilder::openapi_document)).
///
/// The product and version come from the document itself: VB365's `/vX/...` paths, VBAzure's
/// `/api/vX.Y/...` paths, VBR's operations taking `x-api-version` (and its `info.version`).
/// Anything else is refused. What the document gets wrong (a dangling `$ref`, an example that
/// does not match its own schema) is worked around and listed in [`ApiDocument::notes`].
///
/// ```
/// use veeam_auth_mock::ApiDocument;
///
/// let document = ApiDocument::from_slice("jobs.json", br#"{
///     "openapi": "3.0.1",
///     "info": {"title": "Jobs", "version": "v8"},
///     "paths": {"/v8/Jobs": {"get": {"responses": {"200": {"description": "OK"}}}}}
/// }"#).expect("a VB365 document");
/// assert_eq!((document.product(), document.version(), document.operations()), ("vb365", "v8", 1));
///
/// let refused = ApiDocument::from_slice("pets.json", br#"{"openapi": "3.0.1", "paths": {"/pets": {}}}"#);
/// assert!(refused.unwrap_err().to_string().contains("not a document of a product the mock plays"));
/// ```
#[derive(Clone)]
pub struct ApiDocument(pub(crate) Arc<Loaded>);

/// What a loaded document holds.
pub(crate) struct Loaded {
    /// Where it came from (the file's name as given), for messages.
    pub(crate) source: String,
    /// The product whose document it is.
    pub(crate) product: &'static dyn Product,
    /// The version the product recognised (`v8`, `1.3-rev2`).
    pub(crate) version: String,
    /// `info.title`.
    pub(crate) title: String,
    /// The whole document: schemas are read from it as the operations need them.
    pub(crate) root: Value,
    /// Every operation the document describes, in its order.
    pub(crate) operations: Vec<Operation>,
    /// The operations by path.
    pub(crate) index: Index,
    /// The document as the mock serves it to Swagger UI (its `servers` pointed at the mock),
    /// written at the first request for it: writing 4 MB of JSON at load would cost a quarter
    /// of the load, for a page most runs never open.
    pub(crate) served: OnceLock<Bytes>,
    /// What the document gets wrong, one line each.
    pub(crate) notes: Vec<String>,
}

/// Why a document was not loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentError {
    source: String,
    message: String,
}

impl DocumentError {
    fn new(source: &str, message: impl Into<String>) -> DocumentError {
        DocumentError { source: source.to_owned(), message: message.into() }
    }
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.message)
    }
}

impl std::error::Error for DocumentError {}

impl fmt::Debug for ApiDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiDocument")
            .field("source", &self.0.source)
            .field("product", &self.0.product.name())
            .field("version", &self.0.version)
            .field("operations", &self.0.operations.len())
            .finish()
    }
}

impl ApiDocument {
    /// Reads the document at `path` (JSON; at most 16 MiB); see [`ApiDocument`].
    pub fn from_path(path: impl AsRef<Path>) -> Result<ApiDocument, DocumentError> {
        let path = path.as_ref();
        let source = path.display().to_string();
        let bytes = read_capped(path).map_err(|message| DocumentError::new(&source, message))?;
        ApiDocument::from_slice(&source, &bytes)
    }

    /// Reads a document from its JSON text; `source` names it in messages; see
    /// [`ApiDocument`].
    pub fn from_slice(source: &str, bytes: &[u8]) -> Result<ApiDocument, DocumentError> {
        let root: Value = serde_json::from_slice(bytes)
            .map_err(|err| DocumentError::new(source, format!("not a JSON document: {err}")))?;
        ApiDocument::from_value(source, root)
    }

    fn from_value(source: &str, root: Value) -> Result<ApiDocument, DocumentError> {
        match root.get("openapi").and_then(Value::as_str) {
            Some(version) if version.starts_with("3.") => {}
            Some(version) => {
                return Err(DocumentError::new(
                    source,
                    format!("not an OpenAPI 3 document: `openapi` is {version:?}"),
                ));
            }
            None if root.get("swagger").is_some() => {
                return Err(DocumentError::new(source, "a Swagger 2 document; the mock reads OpenAPI 3"));
            }
            None => return Err(DocumentError::new(source, "not an OpenAPI 3 document: no `openapi` field")),
        }
        if !root.get("paths").is_some_and(Value::is_object) {
            return Err(DocumentError::new(source, "not an OpenAPI 3 document: no `paths` object"));
        }
        let recognised =
            PRODUCTS.iter().find_map(|product| Some((*product, product.recognize_document(&root)?)));
        let Some((product, version)) = recognised else {
            return Err(DocumentError::new(
                source,
                "not a document of a product the mock plays: expected VB365's (every path under \
                 `/vX/`), VBR's (operations taking `x-api-version`) or VBAzure's (every path under \
                 `/api/vX.Y/`)",
            ));
        };
        let mut notes = Vec::new();
        let operations = operation::compile_all(&root, &mut notes);
        dangling_references(&root, &mut notes);
        if notes.len() > MAX_NOTES {
            let more = notes.len() - MAX_NOTES;
            notes.truncate(MAX_NOTES);
            notes.push(format!("... and {more} more of the same kinds"));
        }
        let index = Index::build(operations.iter().map(|operation| operation.segments.as_slice()));
        let title = root.get("info").and_then(|info| info.get("title")).and_then(Value::as_str).unwrap_or("");
        Ok(ApiDocument(Arc::new(Loaded {
            source: source.to_owned(),
            product,
            version,
            title: title.to_owned(),
            operations,
            index,
            served: OnceLock::new(),
            notes,
            root,
        })))
    }

    /// The product whose document it is (`vb365`, `vbr`, `azure`).
    pub fn product(&self) -> &'static str {
        self.0.product.name()
    }

    /// The version of the product it describes, as the document writes it (`v8`, `v8.1`,
    /// `1.3-rev2`).
    pub fn version(&self) -> &str {
        &self.0.version
    }

    /// `info.title`.
    pub fn title(&self) -> &str {
        &self.0.title
    }

    /// Where it was read from (the path or the name given).
    pub fn source(&self) -> &str {
        &self.0.source
    }

    /// How many operations it describes.
    pub fn operations(&self) -> usize {
        self.0.operations.len()
    }

    /// The document as the mock serves it to Swagger UI (its `servers` pointed at the mock).
    pub(crate) fn served(&self) -> Bytes {
        self.0.served.get_or_init(|| Bytes::from(served_copy(&self.0.root))).clone()
    }

    /// What the document gets wrong and how the mock works around it, one line each (shown
    /// once, when the mock starts).
    pub fn notes(&self) -> &[String] {
        &self.0.notes
    }
}

/// The file's bytes, refusing one over [`MAX_DOCUMENT_BYTES`].
fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|err| format!("cannot read it: {err}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_DOCUMENT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| format!("cannot read it: {err}"))?;
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(format!("larger than {} MiB", MAX_DOCUMENT_BYTES / 1024 / 1024));
    }
    Ok(bytes)
}

/// The document as served to Swagger UI: the same, but for `servers`, which points at the mock
/// itself (Veeam's documents name `https://127.0.0.1:4443` or `https://123.123.123.123/`),
/// so that "Try it out" calls the mock.
///
/// Written from the document itself, `servers` swapped on the way, rather than from a modified
/// copy: cloning the tree of a 4 MB document costs as much as writing it.
fn served_copy(root: &Value) -> Vec<u8> {
    serde_json::to_vec(&Served(root)).unwrap_or_default()
}

/// A document written with `servers: [{"url": "/"}]` in place of its own (or after its other
/// members when it has none).
struct Served<'a>(&'a Value);

impl serde::Serialize for Served<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let Some(object) = self.0.as_object() else { return self.0.serialize(serializer) };
        let servers = serde_json::json!([{"url": "/"}]);
        let mut map = serializer.serialize_map(None)?;
        for (name, value) in object {
            map.serialize_entry(name, if name == "servers" { &servers } else { value })?;
        }
        if !object.contains_key("servers") {
            map.serialize_entry("servers", &servers)?;
        }
        map.end()
    }
}

/// Notes every local `$ref` that points nowhere, once each with its number of uses.
fn dangling_references(root: &Value, notes: &mut Vec<String>) {
    // A map (not a list searched per use): a hostile document may dangle hundreds of thousands.
    let mut dangling: BTreeMap<&str, usize> = BTreeMap::new();
    let mut stack = vec![root];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(object) => {
                if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
                    let resolves =
                        reference.strip_prefix('#').is_some_and(|pointer| root.pointer(pointer).is_some());
                    if !resolves {
                        *dangling.entry(reference).or_default() += 1;
                    }
                }
                stack.extend(object.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    for (reference, uses) in dangling {
        let times = if uses == 1 { "once".to_owned() } else { format!("{uses} times") };
        notes.push(format!(
            "`{reference}` (used {times}) points nowhere; what uses it is served as if it were absent"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn served(text: &str) -> String {
        let document = ApiDocument::from_slice("t.json", text.as_bytes()).expect("a VB365 document");
        String::from_utf8(document.served().to_vec()).expect("UTF-8")
    }

    #[test]
    fn the_served_copy_points_its_servers_at_the_mock_in_their_place_or_last() {
        let paths = r#""paths":{"/v8/Jobs":{"get":{"responses":{"200":{"description":"OK"}}}}}"#;
        assert_eq!(
            served(&format!(
                r#"{{"openapi":"3.0.1","servers":[{{"url":"https://10.0.0.1:4443"}}],{paths}}}"#
            )),
            format!(r#"{{"openapi":"3.0.1","servers":[{{"url":"/"}}],{paths}}}"#)
        );
        assert_eq!(
            served(&format!(r#"{{"openapi":"3.0.1",{paths}}}"#)),
            format!(r#"{{"openapi":"3.0.1",{paths},"servers":[{{"url":"/"}}]}}"#)
        );
    }

    #[test]
    fn a_2xx_range_answers_200_and_duplicate_parameters_keep_the_operations_own() {
        let document = ApiDocument::from_slice(
            "t.json",
            br#"{"openapi":"3.0.1","paths":{"/v8/Jobs":{
                "parameters":[{"name":"limit","in":"query","schema":{"type":"string"}}],
                "get":{"parameters":[{"name":"Limit","in":"query","schema":{"type":"integer"}}],
                "responses":{"2XX":{"description":"OK","content":{"application/json":{
                    "schema":{"type":"object"},"example":{"a":1}}}}}}}}}"#,
        )
        .expect("a VB365 document");
        let operation = &document.0.operations[0];
        assert_eq!(operation.answer.status, actix_web::http::StatusCode::OK);
        assert!(matches!(&operation.answer.body,
            operation::AnswerBody::Json { example: Some(example), .. } if example["a"] == 1));
        assert_eq!(operation.parameters.len(), 1);
        assert_eq!(operation.parameters[0].name, "Limit");
        assert_eq!(operation.parameters[0].schema["type"], "integer");
    }

    #[test]
    fn a_dangling_reference_is_noted_once_with_its_uses() {
        let document = ApiDocument::from_slice(
            "t.json",
            br##"{"openapi":"3.0.1","paths":{"/v8/Jobs":{"get":{"responses":{"200":{
                "description":"OK","content":{"application/json":{"schema":{"type":"object",
                "properties":{"a":{"$ref":"#/components/schemas/Gone"},
                "b":{"$ref":"#/components/schemas/Gone"}}}}}}}}}}}"##,
        )
        .expect("a VB365 document");
        assert_eq!(
            document.notes(),
            [
                "`#/components/schemas/Gone` (used 2 times) points nowhere; what uses it is served as if it were absent"
            ]
        );
    }
}
