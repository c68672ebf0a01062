//! The pieces the VBAzure handlers' `#[utoipa::path]` attributes share: the tags, the
//! `{version}` path parameter, the answer to a refused bearer, and the schemas of the bodies
//! the handlers read as plain JSON.
//!
//! A leaf: it names no handler, so the handlers can use it and [`super::doc`] (the only module
//! that lists the handlers) can depend on both without an import circle. The parameter, answer
//! and body types are unit types with hand-written impls: they describe, and are never built.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::json;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{RefOr, Required, Response};
use utoipa::{IntoParams, IntoResponses, PartialSchema, ToSchema};

use crate::apidoc::property;

pub(super) use super::problem::Problem as ProblemDetails;

/// The tag of the token endpoints.
pub(crate) const AUTH: &str = "VBAzure authentication";
/// The tag of the probe endpoints.
pub(crate) const SYSTEM: &str = "VBAzure system";

/// The media type of every VBAzure error body.
pub(crate) const PROBLEM_JSON: &str = "application/problem+json";

/// An answer with a problem details body.
pub(crate) fn problem_response(description: &str) -> RefOr<Response> {
    crate::apidoc::body_response(description, PROBLEM_JSON, "ProblemDetails")
}

/// `{version}` on the versioned routes.
pub(crate) struct Version;

impl IntoParams for Version {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let parameter = ParameterBuilder::new()
            .name("version")
            .parameter_in(ParameterIn::Path)
            .required(Required::True)
            .description(Some("API version: v8.1, v8 (= v8.0), v7 or v6"))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .example(Some(json!("v8.1")))
            .build();
        vec![parameter]
    }
}

/// 401 to a missing, expired or revoked bearer, as every protected route answers it.
pub(crate) struct BearerRefusal;

impl IntoResponses for BearerRefusal {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        BTreeMap::from([("401".to_owned(), problem_response("A refused bearer"))])
    }
}

/// One agreement to accept in `POST /api/v{ver}/licenseAgreement/accept`, which the handler
/// checks as plain JSON (`checksums.rs`).
pub(crate) struct DocumentChecksum;

impl PartialSchema for DocumentChecksum {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "One agreement to accept in `POST /api/v{ver}/licenseAgreement/accept` (the body is a JSON\n\
                 array of these); both members are optional strings.",
            ))
            .property("checksum", property(Type::String, true, "The checksum of the agreement's text.", None))
            .property("type", property(Type::String, true, "The agreement's type.", None))
            .into()
    }
}

impl ToSchema for DocumentChecksum {
    fn name() -> Cow<'static, str> {
        "DocumentChecksum".into()
    }
}
