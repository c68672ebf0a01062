//! The pieces the VB365 handlers' `#[utoipa::path]` attributes share: the tags, the
//! `{version}` path parameter of each version range, and the answers several routes give.
//!
//! A leaf: it names no handler, so the handlers can use it and [`super::doc`] (the only module
//! that lists the handlers) can depend on both without an import circle. The parameter and
//! answer sets are unit types with hand-written impls: they describe, and are never built.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::json;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{RefOr, Required, Response};
use utoipa::{IntoParams, IntoResponses, PartialSchema, ToSchema};

use crate::apidoc::property;

pub(super) use super::error::ExceptionInfoV8 as ExceptionInfo;

/// The tag of the token endpoints.
pub(crate) const AUTH: &str = "VB365 authentication";
/// The tag of the other endpoints.
pub(crate) const SERVICE: &str = "VB365 service";
/// The tag of the restore-session endpoints.
pub(crate) const RESTORE: &str = "VB365 restore sessions";

/// The name `ExceptionInfoV8` is documented under (the product's own).
pub(crate) const EXCEPTION_INFO: &str = "RESTExceptionInfo";

/// An answer with a `RESTExceptionInfo` body.
pub(crate) fn error_response(description: &str) -> RefOr<Response> {
    crate::apidoc::body_response(description, "application/json", EXCEPTION_INFO)
}

/// The `{version}` path parameter, as the routes of one version range describe it.
fn version(description: &str, example: &str) -> Vec<Parameter> {
    let parameter = ParameterBuilder::new()
        .name("version")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(description))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .example(Some(json!(example)))
        .build();
    vec![parameter]
}

/// `{version}` on a route every version serves.
pub(crate) struct AnyVersion;

impl IntoParams for AnyVersion {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        version("API version, v1-v8", "v8")
    }
}

/// `{version}` on a route of the legacy (OWIN) API.
pub(crate) struct LegacyVersion;

impl IntoParams for LegacyVersion {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        version("API version, v1-v5", "v5")
    }
}

/// `{version}` on a route of the modern API.
pub(crate) struct ModernVersion;

impl IntoParams for ModernVersion {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        version("API version, v6-v8", "v8")
    }
}

/// `{version}` on a route v7 added.
pub(crate) struct SinceV7;

impl IntoParams for SinceV7 {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        version("API version, v7-v8", "v8")
    }
}

/// `{version}` on a route only v8 has.
pub(crate) struct V8Only;

impl IntoParams for V8Only {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        version("API version, v8", "v8")
    }
}

/// What an explore route refuses, besides a bearer: a bad body, the wrong role.
pub(crate) struct ExploreRefusals;

impl IntoResponses for ExploreRefusals {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        BTreeMap::from([
            ("400".to_owned(), error_response("An empty, malformed or non-object body")),
            ("403".to_owned(), error_response("Not this role")),
            ("415".to_owned(), error_response("No or a non-JSON Content-Type")),
        ])
    }
}

/// The body of the explore calls, which the handlers read as JSON by member name (documented
/// as the product's `RESTExploreOptions`).
pub(crate) struct ExploreOptions;

impl PartialSchema for ExploreOptions {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "The body of the explore calls: which backup to explore (`type` is `vex`, `veod`, `vesp` or\n\
                 `vet`; other members are accepted and ignored). v1-v5 wrap it: `{\"explore\": {...}}`.",
            ))
            .property(
                "type",
                property(
                    Type::String,
                    false,
                    "`vex` (Exchange), `veod` (OneDrive), `vesp` (SharePoint) or `vet` (Teams).",
                    Some(json!("vex")),
                ),
            )
            .required("type")
            .property(
                "dateTime",
                property(Type::String, true, "The point in time to explore (ignored).", None),
            )
            .into()
    }
}

impl ToSchema for ExploreOptions {
    fn name() -> Cow<'static, str> {
        "RESTExploreOptions".into()
    }
}
