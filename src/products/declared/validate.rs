//! Turns a [`RouteSpec`] into a [`Declared`] route, reporting every problem as `(key, message)`
//! (a scenario adds the route's index and line; the admin API answers them as JSON).

use actix_web::http::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderName, HeaderValue, TRANSFER_ENCODING};
use actix_web::http::{Method, StatusCode};

use super::route::{Declared, Reply, ReplyBody, Segment, TextBody};
use super::spec::{ResponseSpec, RouteSpec};
use super::template::Template;
use crate::products::{Access, PRODUCTS, Product};
use crate::scenario::route_name_problem;

/// The `Content-Type` of a declared body unless the route says otherwise.
pub(crate) const DEFAULT_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// The most bytes one route's bodies (all its responses, items included) may hold.
pub(crate) const MAX_ROUTE_BYTES: usize = 4 * 1024 * 1024;

/// The most segments a declared path may have.
const MAX_SEGMENTS: usize = 32;

/// The most items a paged collection may hold.
const MAX_ITEMS: usize = 10_000;

/// The most responses a sequence may hold.
const MAX_RESPONSES: usize = 1_000;

/// Reads a file a route names (relative to the scenario's folder, or the working directory).
pub(crate) type ReadFile<'a> = &'a dyn Fn(&str) -> Result<String, String>;

/// Validates `spec`; `read_file` reads the files it names.
pub(crate) fn compile(spec: RouteSpec, read_file: ReadFile<'_>) -> Result<Declared, Vec<(String, String)>> {
    let mut problems: Vec<(String, String)> = Vec::new();
    let mut report = |key: &str, message: String| problems.push((key.to_owned(), message));

    let method = match spec.method.as_deref().map(str::trim) {
        None => Method::GET,
        Some(text) => match Method::from_bytes(text.to_ascii_uppercase().as_bytes()) {
            Ok(method) if !text.is_empty() => method,
            _ => {
                report("method", format!("`{text}` is not an HTTP method"));
                Method::GET
            }
        },
    };
    let segments = match spec.path.as_deref() {
        None => {
            report("path", "a route needs a `path`, like \"/v8/Jobs\"".into());
            Vec::new()
        }
        Some(path) => parse_path(path).unwrap_or_else(|message| {
            report("path", message);
            Vec::new()
        }),
    };
    let params: Vec<String> = segments
        .iter()
        .filter_map(|segment| match segment {
            Segment::Param(name) => Some(name.clone()),
            Segment::Literal(_) => None,
        })
        .collect();

    let product = owning_product(spec.product.as_deref(), spec.path.as_deref().unwrap_or_default())
        .unwrap_or_else(|message| {
            report("product", message);
            PRODUCTS[0]
        });
    if let Some(path) = spec.path.as_deref().filter(|_| !segments.is_empty()) {
        if let Some(message) = product.refuse_declared_path(path) {
            report("path", message);
        } else if let Some(served) = shadowed_by(&segments) {
            report(
                "path",
                format!(
                    "`{path}` is served by the mock itself ({served}); a declared route cannot replace it"
                ),
            );
        }
    }

    let access = parse_access(spec.auth.as_ref(), product).unwrap_or_else(|message| {
        report("auth", message);
        Access::Session
    });
    let name = match spec.name.as_deref() {
        Some(name) => check_name(name).unwrap_or_else(|message| {
            report("name", message);
            String::new()
        }),
        None => default_name(&method, spec.path.as_deref().unwrap_or_default()),
    };
    let query = conditions(spec.query.as_ref());
    let mut headers = Vec::new();
    for (name, value) in conditions(spec.request_headers.as_ref()) {
        match HeaderName::from_bytes(name.as_bytes()) {
            Ok(header) => headers.push((header, value)),
            Err(_) => report("request_headers", format!("`{name}` is not a valid header name")),
        }
    }

    let responses: Vec<(String, ResponseSpec)> = match &spec.responses {
        Some(list) => {
            if spec.has_own_response() {
                report(
                    "responses",
                    "give either `responses` or the response keys (`status`, `body`, ...), not both".into(),
                );
            }
            if list.is_empty() {
                report("responses", "list at least one response".into());
            }
            if list.len() > MAX_RESPONSES {
                report("responses", format!("at most {MAX_RESPONSES} responses"));
            }
            list.iter()
                .take(MAX_RESPONSES)
                .enumerate()
                .map(|(index, response)| (format!("responses[{index}]."), response.clone()))
                .collect()
        }
        None => vec![(String::new(), spec.own_response())],
    };
    let mut replies = Vec::with_capacity(responses.len());
    let mut weight = 0usize;
    for (prefix, response) in responses {
        match reply(response, &params, read_file) {
            Ok(reply) => {
                weight = weight.saturating_add(reply.weight());
                replies.push(reply);
            }
            Err(found) => {
                for (key, message) in found {
                    report(&format!("{prefix}{key}"), message);
                }
            }
        }
    }
    if weight > MAX_ROUTE_BYTES {
        report(
            "body",
            format!("the route's bodies hold {weight} bytes, more than the {MAX_ROUTE_BYTES} allowed"),
        );
    }

    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Declared { spec, name, product, method, segments, access, query, headers, replies })
}

/// The segments of a declared path.
fn parse_path(path: &str) -> Result<Vec<Segment>, String> {
    if !path.starts_with('/') {
        return Err(format!("`{path}` must start with `/`"));
    }
    if path.contains(['?', '#']) || path.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!("`{path}` must be a plain path (conditions on the query go in `query`)"));
    }
    let segments: Vec<&str> = path.split('/').filter(|segment| !segment.is_empty()).collect();
    if segments.is_empty() {
        return Err("a route cannot be declared at `/`".into());
    }
    if segments.len() > MAX_SEGMENTS {
        return Err(format!("a path has at most {MAX_SEGMENTS} segments"));
    }
    if let Some(first) =
        segments.first().filter(|first| ["__mock", "swagger"].contains(&first.to_ascii_lowercase().as_str()))
    {
        return Err(format!("`/{first}/...` belongs to the mock itself"));
    }
    let mut parsed = Vec::with_capacity(segments.len());
    for segment in segments {
        if let Some(name) = segment.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')) {
            let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                return Err(format!("`{segment}`: a parameter is `{{name}}`, with letters, digits and `_`"));
            }
            if parsed.contains(&Segment::Param(name.to_owned())) {
                return Err(format!("the parameter `{name}` appears twice"));
            }
            parsed.push(Segment::Param(name.to_owned()));
        } else if segment.contains(['{', '}']) {
            return Err(format!("`{segment}`: a parameter takes a whole segment, like `{{id}}`"));
        } else {
            parsed.push(Segment::Literal(segment.to_ascii_lowercase()));
        }
    }
    Ok(parsed)
}

/// The product a route is answered by: the one it names, else the first that claims its path,
/// else the fallback.
fn owning_product(named: Option<&str>, path: &str) -> Result<&'static dyn Product, String> {
    if let Some(name) = named {
        return PRODUCTS
            .iter()
            .copied()
            .find(|product| product.name().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| {
                let known: Vec<&str> = PRODUCTS.iter().map(|product| product.name()).collect();
                format!("unknown product `{name}`; expected one of {}", known.join(", "))
            });
    }
    Ok(PRODUCTS
        .iter()
        .copied()
        .find(|product| !product.is_fallback() && product.claims_path(path))
        .or_else(|| PRODUCTS.iter().copied().find(|product| product.is_fallback()))
        .unwrap_or(PRODUCTS[0]))
}

/// The endpoint of the mock's own routes that takes every path `segments` match, if any (such
/// a declared route could never be reached: the mock's routes are matched first).
fn shadowed_by(segments: &[Segment]) -> Option<String> {
    PRODUCTS.iter().flat_map(|product| product.routes().routes).find_map(|route| {
        let pattern: Vec<&str> = route.path.split('/').filter(|segment| !segment.is_empty()).collect();
        let covers = pattern.len() == segments.len()
            && pattern.iter().zip(segments).all(|(served, declared)| {
                served.starts_with('{')
                    || matches!(declared, Segment::Literal(text) if text.eq_ignore_ascii_case(served))
            });
        covers.then(|| route.endpoint.name().to_owned())
    })
}

fn parse_access(auth: Option<&serde_json::Value>, product: &dyn Product) -> Result<Access, String> {
    const EXPECTED: &str = "expected \"session\", \"anonymous\", \"auth_code\" or a list of roles";
    match auth {
        None => Ok(Access::Session),
        Some(serde_json::Value::String(kind)) => match kind.as_str() {
            "session" => Ok(Access::Session),
            "anonymous" => Ok(Access::Anonymous),
            "auth_code" if product.takes_auth_codes() => Ok(Access::AuthCode),
            "auth_code" => Err(format!("{} issues no authorization codes", product.name())),
            other => Err(format!("unknown auth `{other}`; {EXPECTED}")),
        },
        Some(serde_json::Value::Array(roles)) => {
            if roles.is_empty() {
                return Err("list at least one role".into());
            }
            let mut names = Vec::with_capacity(roles.len());
            for role in roles {
                let serde_json::Value::String(role) = role else {
                    return Err(format!("a role is a string; {EXPECTED}"));
                };
                names.push(product.role(role)?);
            }
            Ok(Access::Roles(names))
        }
        Some(_) => Err(EXPECTED.to_owned()),
    }
}

/// The route's name, lower case, under the rule faults also check names by.
fn check_name(name: &str) -> Result<String, String> {
    match route_name_problem(name) {
        None => Ok(name.to_ascii_lowercase()),
        Some(problem) => Err(problem),
    }
}

/// `get-v8-jobs-id` for `GET /v8/Jobs/{id}`.
pub(crate) fn default_name(method: &Method, path: &str) -> String {
    let text = format!("{method} {path}").to_ascii_lowercase();
    let mut name = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
            name.push(c);
        } else if !name.ends_with('-') {
            name.push('-');
        }
    }
    name.trim_matches('-').chars().take(100).collect()
}

fn conditions(given: Option<&std::collections::BTreeMap<String, String>>) -> Vec<(String, Option<String>)> {
    given
        .into_iter()
        .flatten()
        .map(|(name, value)| (name.clone(), (value != "*").then(|| value.clone())))
        .collect()
}

/// One response.
fn reply(
    spec: ResponseSpec,
    params: &[String],
    read_file: ReadFile<'_>,
) -> Result<Reply, Vec<(String, String)>> {
    let mut problems = Vec::new();
    let mut report = |key: &str, message: String| problems.push((key.to_owned(), message));
    let status = match spec.status {
        None => StatusCode::OK,
        Some(code) => match u16::try_from(code).ok().filter(|code| (200..=599).contains(code)) {
            Some(code) => StatusCode::from_u16(code).unwrap_or(StatusCode::OK),
            None => {
                report(
                    "status",
                    format!("status {code} is not allowed; a declared route answers 200 to 599"),
                );
                StatusCode::OK
            }
        },
    };
    let content_type = spec.content_type.as_deref().unwrap_or(DEFAULT_CONTENT_TYPE);
    let content_type = HeaderValue::from_str(content_type).unwrap_or_else(|_| {
        report("content_type", format!("`{content_type}` is not a valid header value"));
        HeaderValue::from_static(DEFAULT_CONTENT_TYPE)
    });
    let json = content_type.to_str().is_ok_and(|value| value.to_ascii_lowercase().contains("json"));
    let given: Vec<&str> = [
        ("body", spec.body.is_some()),
        ("json", spec.json.is_some()),
        ("body_file", spec.body_file.is_some()),
        ("items", spec.items.is_some()),
        ("items_file", spec.items_file.is_some()),
    ]
    .into_iter()
    .filter_map(|(key, present)| present.then_some(key))
    .collect();
    if given.len() > 1 {
        report(
            given[1],
            format!(
                "give one of `body`, `json`, `body_file`, `items` and `items_file`, not `{}` and `{}`",
                given[0], given[1]
            ),
        );
    }
    let text = |text: String, key: &str, report: &mut dyn FnMut(&str, String)| -> ReplyBody {
        match Template::parse(&text, params) {
            Ok(template) => {
                let template = (!template.is_plain()).then_some(template);
                ReplyBody::Text(TextBody { text: text.into(), template })
            }
            Err(message) => {
                report(key, message);
                ReplyBody::Empty
            }
        }
    };
    let items =
        |items: Vec<serde_json::Value>, key: &str, report: &mut dyn FnMut(&str, String)| -> ReplyBody {
            if items.len() > MAX_ITEMS {
                report(key, format!("{} items, more than the {MAX_ITEMS} a page may come from", items.len()));
            }
            let serialized = serde_json::to_string(&items).unwrap_or_default();
            let templated = match Template::parse(&serialized, params) {
                Ok(template) => !template.is_plain(),
                Err(message) => {
                    report(key, message);
                    false
                }
            };
            ReplyBody::Page { weight: serialized.len(), items, templated }
        };
    let body = if let Some(body) = spec.body {
        text(body, "body", &mut report)
    } else if let Some(value) = spec.json {
        text(serde_json::to_string(&value).unwrap_or_default(), "json", &mut report)
    } else if let Some(file) = spec.body_file {
        match read_file(&file) {
            Ok(contents) => text(contents, "body_file", &mut report),
            Err(message) => {
                report("body_file", message);
                ReplyBody::Empty
            }
        }
    } else if let Some(list) = spec.items {
        items(list, "items", &mut report)
    } else if let Some(file) = spec.items_file {
        match read_file(&file).and_then(|contents| {
            serde_json::from_str::<Vec<serde_json::Value>>(&contents)
                .map_err(|err| format!("`{file}` is not a JSON array: {err}"))
        }) {
            Ok(list) => items(list, "items_file", &mut report),
            Err(message) => {
                report("items_file", message);
                ReplyBody::Empty
            }
        }
    } else {
        ReplyBody::Empty
    };
    if matches!(status.as_u16(), 204 | 304) && !matches!(body, ReplyBody::Empty) {
        report("status", format!("status {} is sent without a body", status.as_u16()));
    }
    if matches!(body, ReplyBody::Page { .. }) && !json {
        report("content_type", "a paged collection is JSON".into());
    }
    let mut headers = Vec::new();
    for (name, value) in spec.headers.iter().flatten() {
        match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
            (Ok(header), _)
                if header == CONTENT_LENGTH || header == TRANSFER_ENCODING || header == CONTENT_TYPE =>
            {
                report("headers", format!("`{name}` is set by the mock (use `content_type` for the type)"));
            }
            (Ok(header), Ok(value)) => headers.push((header, value)),
            (Err(_), _) => report("headers", format!("`{name}` is not a valid header name")),
            (_, Err(_)) => report("headers", format!("the value of `{name}` is not a valid header value")),
        }
    }
    if problems.is_empty() { Ok(Reply { status, body, content_type, headers }) } else { Err(problems) }
}

/// Reads a file a route names, capped at [`MAX_ROUTE_BYTES`].
pub(crate) fn read_capped(path: &std::path::Path) -> Result<String, String> {
    let shown = path.display();
    let metadata = std::fs::metadata(path).map_err(|err| format!("cannot read `{shown}`: {err}"))?;
    if metadata.len() > MAX_ROUTE_BYTES as u64 {
        return Err(format!("`{shown}` holds more than the {MAX_ROUTE_BYTES} bytes a route may"));
    }
    std::fs::read_to_string(path).map_err(|err| format!("cannot read `{shown}`: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_files(name: &str) -> Result<String, String> {
        Err(format!("no file `{name}` in this test"))
    }

    fn route(spec: serde_json::Value) -> Result<Declared, Vec<(String, String)>> {
        compile(serde_json::from_value(spec).expect("a RouteSpec"), &no_files)
    }

    fn problems(spec: serde_json::Value) -> Vec<(String, String)> {
        route(spec).err().unwrap_or_default()
    }

    #[test]
    fn defaults_fill_in_the_method_name_access_product_and_status() {
        let jobs = route(serde_json::json!({"path": "/V8/Jobs/{jobId}/"})).expect("valid");
        assert_eq!(jobs.method, Method::GET);
        assert_eq!(jobs.name, "get-v8-jobs-jobid");
        assert_eq!(jobs.product.name(), "vb365");
        assert_eq!(jobs.access, Access::Session);
        assert_eq!(
            jobs.segments,
            [Segment::Literal("v8".into()), Segment::Literal("jobs".into()), Segment::Param("jobId".into())]
        );
        assert_eq!(jobs.replies[0].status, StatusCode::OK);
        assert!(matches!(jobs.replies[0].body, ReplyBody::Empty));
        let azure =
            route(serde_json::json!({"path": "/api/v8.1/policies", "auth": ["PortalAdmin"]})).expect("valid");
        assert_eq!(azure.product.name(), "azure");
        assert_eq!(azure.access, Access::Roles(vec!["PortalAdmin"]));
    }

    #[test]
    fn paths_are_checked_segment_by_segment() {
        let path_problem = |path: &str| {
            problems(serde_json::json!({ "path": path }))
                .into_iter()
                .find(|(key, _)| key == "path")
                .map(|(_, m)| m)
        };
        assert_eq!(path_problem("v8/Jobs").as_deref(), Some("`v8/Jobs` must start with `/`"));
        assert_eq!(path_problem("/").as_deref(), Some("a route cannot be declared at `/`"));
        assert_eq!(path_problem("/__mock/x").as_deref(), Some("`/__mock/...` belongs to the mock itself"));
        assert_eq!(
            path_problem("/v8/Jobs?x=1").as_deref(),
            Some("`/v8/Jobs?x=1` must be a plain path (conditions on the query go in `query`)")
        );
        assert_eq!(
            path_problem("/v8/a{id}").as_deref(),
            Some("`a{id}`: a parameter takes a whole segment, like `{id}`")
        );
        assert_eq!(path_problem("/v8/{id}/{id}").as_deref(), Some("the parameter `id` appears twice"));
        assert_eq!(
            path_problem("/Jobs").as_deref(),
            Some(
                "a VB365 path starts with its API version (`/v8/...`, or `/{version}/...` for any); `/Jobs` does not"
            )
        );
        assert_eq!(
            path_problem("/{version}/token").as_deref(),
            Some(
                "`/{version}/token` is served by the mock itself (vb365.token); a declared route cannot replace it"
            )
        );
        // A parameter where the mock's route has a literal still reaches other paths.
        assert_eq!(path_problem("/v8/{anything}"), None);
    }

    #[test]
    fn response_keys_are_checked_and_a_sequence_excludes_them() {
        let keys: Vec<String> = problems(serde_json::json!({
            "path": "/v8/Jobs", "body": "x", "json": {}, "status": 99,
            "headers": {"Content-Length": "1"}, "content_type": "bad\nvalue",
        }))
        .into_iter()
        .map(|(key, _)| key)
        .collect();
        assert_eq!(keys, ["status", "content_type", "json", "headers"]);
        let keys: Vec<String> = problems(serde_json::json!({
            "path": "/v8/Jobs", "status": 200, "responses": [{"body_file": "x.json"}, {"items": [1], "content_type": "text/plain"}],
        }))
        .into_iter()
        .map(|(key, _)| key)
        .collect();
        assert_eq!(keys, ["responses", "responses[0].body_file", "responses[1].content_type"]);
    }

    #[test]
    fn names_are_slugs_and_derived_ones_stay_short() {
        assert_eq!(
            default_name(&Method::POST, "/v8/Organizations/{id}/explore"),
            "post-v8-organizations-id-explore"
        );
        assert_eq!(problems(serde_json::json!({"path": "/v8/a", "name": "a b"}))[0].0, "name");
        assert!(default_name(&Method::GET, &"/v8/x".repeat(50)).len() <= 100);
    }
}
