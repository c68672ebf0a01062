//! The pieces the VBR handlers' `#[utoipa::path]` attributes share: the tags, the
//! `x-api-version` header parameter and the `Error` schema.
//!
//! A leaf: it names no handler, so the handlers can use it and [`super::doc`] (the only module
//! that lists the handlers) can depend on both without an import circle.

use serde_json::json;
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{RefOr, Required, Response};

pub(super) use super::error::ErrorBody;

/// The tag of the token endpoints.
pub(crate) const AUTH: &str = "VBR authentication";
/// The tag of the server endpoints.
pub(crate) const SERVER: &str = "VBR server";

/// An answer with an `Error` body.
pub(crate) fn error_response(description: &str) -> RefOr<Response> {
    crate::apidoc::body_response(description, "application/json", "VbrError")
}

/// `x-api-version`, required on every VBR call.
pub(crate) struct ApiVersionHeader;

impl IntoParams for ApiVersionHeader {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let parameter = ParameterBuilder::new()
            .name("x-api-version")
            .parameter_in(ParameterIn::Header)
            .required(Required::True)
            .description(Some(
                "The REST API revision, `<version>-<revision>`: one the scenario serves (default \
                 1.1-rev0 to 1.3-rev2). Missing or unserved: 400 `NotImplemented`; with VBAzure on \
                 the same port, a request without a VBR revision is VBAzure's.",
            ))
            // The revisions the mock knows (a served one answers; another gets the 400): a value
            // outside them is not a VBR request at all and goes to VBAzure on a shared port.
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(super::version::KNOWN.iter().map(ToString::to_string)))
                    .default(Some(json!("1.3-rev2"))),
            ))
            .example(Some(json!("1.3-rev2")))
            .build();
        vec![parameter]
    }
}
