//! An OpenAPI 3 document read into what the drift compares: its operations, each with its
//! parameters, its request body's fields and its 2xx responses' fields.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use super::schema::{self, Field, Fields, Flattener};

/// The HTTP methods an OpenAPI path item may describe.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Why a file is not an OpenAPI 3 JSON document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError(String);

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LoadError {}

/// One OpenAPI 3 document, reduced to its operations.
#[derive(Debug, Clone)]
pub struct Document {
    /// `info.title` (empty when absent).
    pub title: String,
    /// `info.version` (empty when absent).
    pub version: String,
    /// Every operation, in the document's order.
    pub operations: Vec<Operation>,
}

/// One operation (a method on a path template).
#[derive(Debug, Clone)]
pub struct Operation {
    /// The method, upper case (`GET`).
    pub method: String,
    /// The path template as the document writes it (`/api/v1/jobs/{id}`).
    pub path: String,
    /// What identifies the operation across versions: the method and the template in lower
    /// case, every parameter written `{}` (so a renamed one still matches) and a segment
    /// equal to the document's `info.version` written `{version}` (VB365 writes `/v7/Jobs`
    /// in v7 and `/v8/Jobs` in v8).
    pub key: String,
    /// Parameters (path item's and operation's, the operation's winning), by
    /// [`Parameter::key`].
    pub parameters: BTreeMap<String, Parameter>,
    /// `requestBody.required`.
    pub body_required: bool,
    /// The request body's fields, over every media type.
    pub body: Fields,
    /// The fields of every 2xx response, over every media type.
    pub response: Fields,
}

/// One parameter of an operation.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// `query`, `header`, `path` or `cookie`.
    pub location: String,
    /// The name as the document writes it.
    pub name: String,
    /// `required`.
    pub required: bool,
    /// The enum values of its schema or, for an array, of its items.
    pub enum_values: Vec<String>,
}

impl Parameter {
    /// `query:name`, the name in lower case: the products read query and header names
    /// without regard to case.
    pub fn key(&self) -> String {
        format!("{}:{}", self.location, self.name.to_ascii_lowercase())
    }
}

impl Document {
    /// Reads a document from JSON text. Refuses anything but an OpenAPI 3 document: JSON, an
    /// `openapi` field starting with `3.` and a `paths` object.
    pub fn from_slice(bytes: &[u8]) -> Result<Document, LoadError> {
        let root: Value =
            serde_json::from_slice(bytes).map_err(|err| LoadError(format!("not a JSON document: {err}")))?;
        Document::from_value(&root)
    }

    /// Reads a document already parsed as JSON.
    pub fn from_value(root: &Value) -> Result<Document, LoadError> {
        let Some(object) = root.as_object() else {
            return Err(LoadError("not an OpenAPI document: the JSON is not an object".into()));
        };
        match object.get("openapi").and_then(Value::as_str) {
            Some(version) if version.starts_with("3.") => {}
            Some(version) => {
                return Err(LoadError(format!("not an OpenAPI 3 document: `openapi` is {version:?}")));
            }
            None if object.contains_key("swagger") => {
                return Err(LoadError("not an OpenAPI 3 document: a Swagger 2 document".into()));
            }
            None => return Err(LoadError("not an OpenAPI 3 document: no `openapi` field".into())),
        }
        let Some(paths) = object.get("paths").and_then(Value::as_object) else {
            return Err(LoadError("not an OpenAPI 3 document: no `paths` object".into()));
        };
        let info = |key: &str| {
            object.get("info").and_then(|info| info.get(key)).and_then(Value::as_str).unwrap_or("").to_owned()
        };
        let version = info("version");
        let mut operations = Vec::new();
        let mut flattener = Flattener::new(root);
        for (path, item) in paths {
            let item = schema::deref(root, item);
            for method in METHODS {
                if let Some(operation) = item.get(method) {
                    operations.push(read_operation(&mut flattener, &version, path, method, item, operation));
                }
            }
        }
        Ok(Document { title: info("title"), version, operations })
    }

    /// The operation a concrete call (`GET /v8/Jobs/42/`) reaches, with the products' rules:
    /// case does not matter, trailing slashes are tolerated, a `{parameter}` segment takes any
    /// one segment, and a template with more literal segments wins (`/jobs/start` over
    /// `/jobs/{id}`).
    pub fn find(&self, method: &str, path: &str) -> Option<usize> {
        let path = path.split(['?', '#']).next().unwrap_or("");
        let segments: Vec<String> =
            path.split('/').filter(|s| !s.is_empty()).map(str::to_ascii_lowercase).collect();
        let mut best: Option<(usize, usize)> = None;
        for (index, operation) in self.operations.iter().enumerate() {
            if !operation.method.eq_ignore_ascii_case(method) {
                continue;
            }
            let template: Vec<&str> = operation.path.split('/').filter(|s| !s.is_empty()).collect();
            if template.len() != segments.len() {
                continue;
            }
            let mut literals = 0;
            let matches = template.iter().zip(&segments).all(|(pattern, segment)| {
                if pattern.contains('{') {
                    true
                } else {
                    literals += 1;
                    pattern.eq_ignore_ascii_case(segment)
                }
            });
            if matches && best.is_none_or(|(_, most)| literals > most) {
                best = Some((index, literals));
            }
        }
        best.map(|(index, _)| index)
    }
}

/// The key of an operation: see [`Operation::key`].
fn operation_key(method: &str, path: &str, version: &str) -> String {
    let mut key = method.to_ascii_uppercase();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        key.push('/');
        if segment.starts_with('{') && segment.ends_with('}') {
            key.push_str("{}");
        } else if !version.is_empty() && segment.eq_ignore_ascii_case(version) {
            key.push_str("{version}");
        } else {
            key.push_str(&segment.to_ascii_lowercase());
        }
    }
    key
}

fn read_operation<'a>(
    flattener: &mut Flattener<'a>,
    version: &str,
    path: &str,
    method: &str,
    item: &'a Value,
    operation: &'a Value,
) -> Operation {
    let root = flattener.root();
    let mut parameters = BTreeMap::new();
    for list in [item.get("parameters"), operation.get("parameters")] {
        for parameter in list.and_then(Value::as_array).into_iter().flatten() {
            if let Some(parameter) = read_parameter(flattener, parameter) {
                parameters.insert(parameter.key(), parameter);
            }
        }
    }
    let mut body = Fields::new();
    let mut body_required = false;
    if let Some(request) = operation.get("requestBody") {
        let request = schema::deref(root, request);
        body_required = request.get("required").and_then(Value::as_bool).unwrap_or(false);
        flatten_content(flattener, request, &mut body);
    }
    let mut response = Fields::new();
    for (status, answer) in operation.get("responses").and_then(Value::as_object).into_iter().flatten() {
        if status.starts_with('2') {
            flatten_content(flattener, schema::deref(root, answer), &mut response);
        }
    }
    // The schema's own value (an enum body) is not a field a client sends or reads by name.
    body.remove("");
    response.remove("");
    Operation {
        method: method.to_ascii_uppercase(),
        path: path.to_owned(),
        key: operation_key(method, path, version),
        parameters,
        body_required,
        body,
        response,
    }
}

/// Flattens the schema of every media type of a request body or response into `out`.
fn flatten_content<'a>(flattener: &mut Flattener<'a>, holder: &'a Value, out: &mut Fields) {
    for media in holder.get("content").and_then(Value::as_object).into_iter().flatten().map(|(_, m)| m) {
        if let Some(schema) = media.get("schema") {
            flattener.flatten_into(schema, out);
        }
    }
}

fn read_parameter<'a>(flattener: &mut Flattener<'a>, parameter: &'a Value) -> Option<Parameter> {
    let parameter = schema::deref(flattener.root(), parameter);
    let name = parameter.get("name")?.as_str()?.to_owned();
    let location = parameter.get("in")?.as_str()?.to_owned();
    let mut enum_values = Vec::new();
    if let Some(schema) = parameter.get("schema") {
        let mut fields = Fields::new();
        flattener.flatten_into(schema, &mut fields);
        for key in ["", "[]"] {
            for value in fields.remove(key).map(|f: Field| f.enum_values).into_iter().flatten() {
                if !enum_values.contains(&value) {
                    enum_values.push(value);
                }
            }
        }
    }
    let required = location == "path" || parameter.get("required").and_then(Value::as_bool).unwrap_or(false);
    Some(Parameter { location, name, required, enum_values })
}
