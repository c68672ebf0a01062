//! The building blocks every part of the mock's OpenAPI document is made with (each product's
//! `doc.rs`, the admin API's): tags, a bearer scheme, an answer with a body, a hand-described
//! property, and the walk that adds the answers a rule gives across routes. Only the words and
//! the rules differ from part to part; this module knows no product and no route.

use serde_json::Value;
use utoipa::openapi::schema::{Object, ObjectBuilder, SchemaType, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, Response, ResponseBuilder};

/// Gives a part its tags, each with its description, in this order.
pub(crate) fn set_tags(document: &mut OpenApi, tags: &[(&str, &str)]) {
    let tags = tags
        .iter()
        .map(|(name, description)| TagBuilder::new().name(*name).description(Some(*description)).build());
    document.tags = Some(tags.collect());
}

/// Adds an HTTP bearer security scheme called `name` (a `JWT` one when `jwt`).
pub(crate) fn add_bearer_scheme(document: &mut OpenApi, name: &str, description: &str, jwt: bool) {
    let mut scheme = HttpBuilder::new().scheme(HttpAuthScheme::Bearer);
    if jwt {
        scheme = scheme.bearer_format("JWT");
    }
    let scheme = scheme.description(Some(description)).build();
    document
        .components
        .get_or_insert_with(Default::default)
        .add_security_scheme(name, SecurityScheme::Http(scheme));
}

/// An answer whose body is `schema` (a component's name) in `media_type`.
pub(crate) fn body_response(description: &str, media_type: &str, schema: &str) -> RefOr<Response> {
    let content = Content::new(Some(Ref::from_schema_name(schema)));
    ResponseBuilder::new().description(description).content(media_type, content).build().into()
}

/// A property of a hand-described body: its type (`nullable` adds `null`), what it means and an
/// example.
pub(crate) fn property(kind: Type, nullable: bool, description: &str, example: Option<Value>) -> Object {
    let types = if nullable { SchemaType::from_iter([kind, Type::Null]) } else { SchemaType::new(kind) };
    #[expect(deprecated, reason = "`example`, not `examples`: the document keeps the derive's shape")]
    let property = ObjectBuilder::new().schema_type(types).description(Some(description)).example(example);
    property.build()
}

/// What a rule across routes looks at in one operation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OperationFacts<'a> {
    /// The documented path, such as `/{version}/token`.
    pub(crate) path: &'a str,
    /// `get`, `post`, `put` or `delete`.
    pub(crate) method: &'static str,
    /// Whether the operation documents a request body.
    pub(crate) has_body: bool,
    /// Whether the operation names a security scheme.
    pub(crate) secured: bool,
}

/// Adds, to every operation of `document`, the answers `rule` gives for it, unless the
/// operation documents that status already (its own words win).
pub(crate) fn add_cross_cutting(
    document: &mut OpenApi,
    rule: impl Fn(&OperationFacts<'_>) -> Vec<(&'static str, RefOr<Response>)>,
) {
    for (path, item) in &mut document.paths.paths {
        let operations = [
            ("get", &mut item.get),
            ("post", &mut item.post),
            ("put", &mut item.put),
            ("delete", &mut item.delete),
        ];
        for (method, operation) in operations {
            let Some(operation) = operation else { continue };
            let facts = OperationFacts {
                path,
                method,
                has_body: operation.request_body.is_some(),
                secured: operation.security.is_some(),
            };
            for (status, response) in rule(&facts) {
                operation.responses.responses.entry(status.to_owned()).or_insert(response);
            }
        }
    }
}

/// The answers every product's routes give by the same rules, in the product's own error body
/// (`answer` renders one from its description): a `{version}` the scenario does not serve is
/// 404 (clients probe versions this way), the token endpoint (`token_path`) refuses an
/// oversized body with 413 and a wrong content type with 415, and a body that does not arrive
/// in time is 408. What differs between products (401, 403, 400) each adds itself.
pub(crate) fn product_answers(
    operation: &OperationFacts<'_>,
    token_path: &str,
    answer: impl Fn(&str) -> RefOr<Response>,
) -> Vec<(&'static str, RefOr<Response>)> {
    let token_post = operation.path == token_path && operation.method == "post";
    let mut answers = Vec::new();
    if operation.path.contains("{version}") {
        answers
            .push(("404", answer("A version the scenario does not serve, or the route does not exist in")));
    }
    if token_post {
        answers.push(("413", answer("A body over 64 KiB")));
        answers.push(("415", answer("A body that is not a form (or, on VB365 v6+, JSON)")));
    }
    if operation.has_body || token_post {
        answers.push(("408", answer("The body did not arrive within 10 s; the connection is then closed")));
    }
    answers
}
