//! One operation of a loaded document, compiled once at load: how it is matched, who may call
//! it, what it takes and what it answers.

use std::collections::{HashMap, HashSet};

use actix_web::http::{Method, StatusCode};
use actix_web::web::Bytes;
use parking_lot::Mutex;
use serde_json::Value;

use crate::apispec::check::check_example;
use crate::products::Access;
use crate::products::declared::Segment;

/// The HTTP methods an OpenAPI path item may describe.
const METHODS: [&str; 7] = ["get", "put", "post", "delete", "patch", "head", "options"];

/// Where a parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Location {
    Path,
    Query,
    Header,
}

/// One parameter of an operation.
#[derive(Debug)]
pub(crate) struct Parameter {
    /// Its name as the document writes it.
    pub(crate) name: String,
    pub(crate) location: Location,
    pub(crate) required: bool,
    /// Its schema (`{}` when the document gives none).
    pub(crate) schema: Value,
}

/// What an operation takes as its body.
#[derive(Debug)]
pub(crate) struct RequestBody {
    pub(crate) required: bool,
    /// The schema of its JSON media type, if it has one (a JSON body is checked against it).
    pub(crate) json_schema: Option<Value>,
    /// Whether it takes anything but JSON (a file upload, a form): such a body, sent as that
    /// media type, is not read.
    pub(crate) other_media: bool,
}

/// What an operation answers: its first 2xx response.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    /// The media type answered (JSON when the response offers it), if the response has content.
    pub(crate) content_type: Option<String>,
    pub(crate) body: AnswerBody,
}

/// The body of an operation's answer.
#[derive(Debug)]
pub(crate) enum AnswerBody {
    /// No content (204, or a response without `content`).
    Empty,
    /// JSON: the document's example when it has one that matches the schema, else a body
    /// generated from the schema (`{}` for none).
    Json { example: Option<Value>, schema: Value },
    /// Any other media type (a file download): a short text saying what it stands for.
    Other,
}

/// One operation of a loaded document.
#[derive(Debug)]
pub(crate) struct Operation {
    pub(crate) method: Method,
    pub(crate) segments: Vec<Segment>,
    /// `operationId`, else `METHOD template`: how messages name it.
    pub(crate) name: String,
    /// Who may call it: a session of the product, unless its `security` is empty.
    pub(crate) access: Access,
    pub(crate) parameters: Vec<Parameter>,
    pub(crate) body: Option<RequestBody>,
    pub(crate) answer: Answer,
    /// Whether it lists a collection the product pages (it takes `limit`).
    pub(crate) takes_limit: bool,
    /// The body generated for the last seed asked for: generation runs once per operation and
    /// seed.
    pub(crate) generated: Mutex<Option<Generated>>,
}

/// A generated body, kept for the seed and collection size it was generated for.
#[derive(Debug, Clone)]
pub(crate) struct Generated {
    pub(crate) seed: u64,
    pub(crate) items: usize,
    pub(crate) body: GeneratedBody,
}

/// A generated body, ready to send or to page.
#[derive(Debug, Clone)]
pub(crate) enum GeneratedBody {
    /// Sent as it is.
    Whole(Bytes),
    /// A collection: the envelope the schema describes, the array member that holds the items,
    /// and every item of the collection, each already written as JSON (each call cuts its page
    /// and copies the bytes of its items). `positions` holds each item's position as a JSON
    /// number: the product's paging cuts those, not the items (see `respond::page`).
    Collection {
        envelope: std::sync::Arc<Value>,
        member: String,
        items: std::sync::Arc<Vec<Bytes>>,
        positions: std::sync::Arc<Vec<Value>>,
    },
}

/// Compiles every operation of `root` for `product`, noting what cannot be served as written.
pub(crate) fn compile_all(root: &Value, notes: &mut Vec<String>) -> Vec<Operation> {
    let Some(paths) = root.get("paths").and_then(Value::as_object) else { return Vec::new() };
    let default_security = root.get("security");
    let mut operations = Vec::new();
    let mut seen: HashSet<(Method, Vec<Segment>)> = HashSet::new();
    for (template, item) in paths {
        let item = deref(root, item);
        let Some(segments) = segments(template) else {
            notes.push(format!("`{template}` is not a path template the mock can match; not served"));
            continue;
        };
        for method_name in METHODS {
            let Some(operation) = item.get(method_name).filter(|operation| operation.is_object()) else {
                continue;
            };
            let method =
                Method::from_bytes(method_name.to_ascii_uppercase().as_bytes()).unwrap_or(Method::GET);
            if !seen.insert((method.clone(), segments.clone())) {
                notes.push(format!(
                    "{} {template} is described twice (paths differing in letter case only); the first is served",
                    method.as_str()
                ));
                continue;
            }
            let name = operation
                .get("operationId")
                .and_then(Value::as_str)
                .map_or_else(|| format!("{} {template}", method.as_str()), str::to_owned);
            let parameters = parameters(root, item, operation);
            let takes_limit = parameters.iter().any(|parameter| {
                parameter.location == Location::Query && parameter.name.eq_ignore_ascii_case("limit")
            });
            let security = operation.get("security").or(default_security);
            let anonymous = match security.and_then(Value::as_array) {
                None => true,
                Some(requirements) => {
                    requirements.is_empty()
                        || requirements.iter().any(|r| r.as_object().is_some_and(|o| o.is_empty()))
                }
            };
            let answer = answer(root, operation, &name, notes);
            operations.push(Operation {
                method,
                segments: segments.clone(),
                access: if anonymous { Access::Anonymous } else { Access::Session },
                body: request_body(root, operation),
                parameters,
                answer,
                takes_limit,
                generated: Mutex::new(None),
                name,
            });
        }
    }
    operations
}

/// The template's segments (literals in lower case; a segment with a `{...}` in it takes any
/// value), or `None` for one that is not a path.
fn segments(template: &str) -> Option<Vec<Segment>> {
    if !template.starts_with('/') {
        return None;
    }
    let parts: Vec<&str> = template.split('/').filter(|segment| !segment.is_empty()).collect();
    if parts.is_empty() {
        return None;
    }
    Some(
        parts
            .into_iter()
            .map(|part| match part.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')) {
                Some(name) if !name.contains(['{', '}']) => Segment::Param(name.to_owned()),
                _ if part.contains('{') => Segment::Param(part.to_owned()),
                _ => Segment::Literal(part.to_ascii_lowercase()),
            })
            .collect(),
    )
}

/// Follows `$ref`s (a bounded number, in case they loop) to the value itself.
pub(crate) fn deref<'a>(root: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..16 {
        match value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| root.pointer(p))
        {
            Some(target) => value = target,
            None => break,
        }
    }
    value
}

/// The path item's and the operation's parameters (the operation's win), cookies left out.
fn parameters(root: &Value, item: &Value, operation: &Value) -> Vec<Parameter> {
    let mut parameters: Vec<Parameter> = Vec::new();
    // Where each (location, name in lower case) is in `parameters`: the operation's declaration
    // replaces the path item's in place, found without scanning the list.
    let mut positions: HashMap<(Location, String), usize> = HashMap::new();
    for list in [item.get("parameters"), operation.get("parameters")] {
        for parameter in list.and_then(Value::as_array).into_iter().flatten() {
            let parameter = deref(root, parameter);
            let Some(name) = parameter.get("name").and_then(Value::as_str) else { continue };
            let location = match parameter.get("in").and_then(Value::as_str) {
                Some("path") => Location::Path,
                Some("query") => Location::Query,
                Some("header") => Location::Header,
                _ => continue,
            };
            let required = location == Location::Path
                || parameter.get("required").and_then(Value::as_bool).unwrap_or(false);
            let schema =
                parameter.get("schema").cloned().unwrap_or_else(|| Value::Object(Default::default()));
            let compiled = Parameter { name: name.to_owned(), location, required, schema };
            match positions.get(&(location, name.to_ascii_lowercase())) {
                Some(&at) => parameters[at] = compiled,
                None => {
                    positions.insert((location, name.to_ascii_lowercase()), parameters.len());
                    parameters.push(compiled);
                }
            }
        }
    }
    parameters
}

/// Whether a media type is JSON (`application/json`, `text/json`, `application/*+json`).
pub(crate) fn is_json_media(media: &str) -> bool {
    let media = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    media == "application/json" || media == "text/json" || media.ends_with("+json") || media == "*/*"
}

fn request_body(root: &Value, operation: &Value) -> Option<RequestBody> {
    let body = deref(root, operation.get("requestBody")?);
    let content = body.get("content").and_then(Value::as_object);
    let json_schema = content
        .and_then(|content| content.iter().find(|(media, _)| is_json_media(media)))
        .map(|(_, media)| media.get("schema").cloned().unwrap_or_else(|| Value::Object(Default::default())));
    let other_media = content.is_some_and(|content| content.keys().any(|media| !is_json_media(media)));
    Some(RequestBody {
        required: body.get("required").and_then(Value::as_bool).unwrap_or(false),
        json_schema,
        other_media,
    })
}

/// The operation's first 2xx response, in the document's order (else an empty 200).
fn answer(root: &Value, operation: &Value, name: &str, notes: &mut Vec<String>) -> Answer {
    let responses = operation.get("responses").and_then(Value::as_object);
    let first = responses.and_then(|responses| {
        responses.iter().find_map(|(status, response)| {
            // `2XX` (OpenAPI's range of codes) answers as 200.
            let code = status
                .parse::<u16>()
                .ok()
                .or_else(|| status.eq_ignore_ascii_case("2XX").then_some(200))
                .filter(|code| (200..300).contains(code))?;
            Some((StatusCode::from_u16(code).ok()?, deref(root, response)))
        })
    });
    let Some((status, response)) = first else {
        return Answer { status: StatusCode::OK, content_type: None, body: AnswerBody::Empty };
    };
    let content = response.get("content").and_then(Value::as_object).filter(|content| !content.is_empty());
    let Some(content) = content.filter(|_| status != StatusCode::NO_CONTENT) else {
        return Answer { status, content_type: None, body: AnswerBody::Empty };
    };
    let json = content.iter().find(|(media, _)| is_json_media(media));
    let Some((media, media_object)) = json else {
        let media = content.keys().next().cloned().unwrap_or_default();
        return Answer { status, content_type: Some(media), body: AnswerBody::Other };
    };
    let schema = media_object.get("schema").cloned().unwrap_or_else(|| Value::Object(Default::default()));
    let example = example_of(root, media_object).filter(|example| {
        let problems = check_example(root, &schema, example, 1);
        if let Some(problem) = problems.first() {
            let field = if problem.field.is_empty() { "the body".to_owned() } else { format!("`{}`", problem.field) };
            notes.push(format!(
                "{name}: the document's example does not match its own schema ({field}: {}); a generated body is served",
                problem.message
            ));
        }
        problems.is_empty()
    });
    let content_type = if media == "*/*" { "application/json".to_owned() } else { media.clone() };
    Answer { status, content_type: Some(content_type), body: AnswerBody::Json { example, schema } }
}

/// The media type's `example`, else the value of its first `examples` entry.
fn example_of(root: &Value, media: &Value) -> Option<Value> {
    if let Some(example) = media.get("example") {
        return Some(example.clone());
    }
    let examples = media.get("examples")?.as_object()?;
    examples.values().find_map(|example| deref(root, example).get("value").cloned())
}
