//! Every body the admin API reads or writes (`Serialize`/`Deserialize` + `ToSchema`), its tag,
//! and the parameter and answer sets its operations share: a leaf that the handlers and
//! [`super::doc`] use, and that uses neither.

#[cfg(feature = "openapi")]
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
#[cfg(feature = "openapi")]
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, SchemaType, Type};
#[cfg(feature = "openapi")]
use utoipa::openapi::{RefOr, Required, Response};
#[cfg(feature = "openapi")]
use utoipa::{IntoParams, IntoResponses, ToSchema};

/// The tag of every admin operation.
#[cfg(feature = "openapi")]
pub(crate) const TAG: &str = "Mock admin";

/// An answer with an [`AdminErrorBody`].
#[cfg(feature = "openapi")]
pub(crate) fn error_response(description: &str) -> RefOr<Response> {
    crate::apidoc::body_response(description, "application/json", "AdminErrorBody")
}

/// 401 to a missing or wrong admin token, as every route but health answers it.
#[cfg(feature = "openapi")]
pub(crate) struct AdminRefusal;

#[cfg(feature = "openapi")]
impl IntoResponses for AdminRefusal {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        BTreeMap::from([("401".to_owned(), error_response("The admin token is missing or wrong"))])
    }
}

/// The journal filters (all optional; together they must all hold), which `journal.rs` reads
/// from the query string by name.
#[cfg(feature = "openapi")]
pub(crate) struct JournalFilters;

#[cfg(feature = "openapi")]
impl IntoParams for JournalFilters {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let text = SchemaType::new(Type::String);
        let number = SchemaType::new(Type::Integer);
        let filters = [
            (
                "endpoint",
                "An endpoint name such as `vb365.token`, or `route.<name>` for a declared route.",
                text.clone(),
                None,
            ),
            ("method", "An HTTP method.", text.clone(), None),
            ("path", "A path (case-insensitive).", text.clone(), None),
            ("status", "A status.", number.clone(), Some(KnownFormat::Int32)),
            ("grant_type", "A token request's `grant_type`.", text, None),
            ("limit", "Only the newest this many.", number, Some(KnownFormat::Int64)),
        ];
        filters
            .into_iter()
            .map(|(name, description, kind, format)| {
                let mut schema = ObjectBuilder::new().schema_type(kind);
                if let Some(format) = format {
                    schema = schema.format(Some(SchemaFormat::KnownFormat(format))).minimum(Some(0));
                }
                ParameterBuilder::new()
                    .name(name)
                    .parameter_in(ParameterIn::Query)
                    .required(Required::False)
                    .description(Some(description))
                    .schema(Some(schema))
                    .build()
            })
            .collect()
    }
}

/// Every admin error: `{"error", "detail"}`, plus `problems` for an invalid scenario.
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub(crate) struct AdminErrorBody {
    /// `unauthorized`, `bad_request`, `invalid_scenario`, `not_found`, `conflict`,
    /// `method_not_allowed`, `too_large`, `unavailable` or `request_timeout`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "bad_request"))]
    pub(crate) error: &'static str,
    /// What went wrong, in words.
    pub(crate) detail: String,
    /// For `invalid_scenario`: every problem, with its dotted path and line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) problems: Option<Vec<ProblemView>>,
}

/// One problem of a scenario.
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub(crate) struct ProblemView {
    /// Dotted path of the key, such as `vb365.users[1].password`.
    pub(crate) path: String,
    /// 1-based line.
    pub(crate) line: Option<usize>,
    /// What is wrong.
    pub(crate) message: String,
}

/// `{"status": "ok"}`.
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub(crate) struct HealthView {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "ok"))]
    pub(crate) status: &'static str,
}

/// `{"count": n}`.
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub(crate) struct CountView {
    pub(crate) count: usize,
}

/// `{"enabled", "capacity"}`.
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub(crate) struct JournalSettingsView {
    pub(crate) enabled: bool,
    pub(crate) capacity: usize,
}

/// `{"loaded": true, "clock": {...}}`.
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub(crate) struct LoadedView {
    pub(crate) loaded: bool,
    pub(crate) clock: ClockView,
}

/// `{"vb365": [...], "azure": [...]}`: the scenario's users under each product's name, each
/// entry in the product's own schema ([`crate::products::Product::users_schema`]). The body is
/// rendered by the products ([`crate::products::users_json`]); this type only describes it,
/// from the same registry, so the two cannot drift apart.
#[cfg(feature = "openapi")]
pub(crate) struct UsersView;

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for UsersView {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
        let mut object = ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some("The scenario's users per product."));
        for product in crate::products::PRODUCTS {
            let entry = utoipa::openapi::Ref::from_schema_name(product.users_schema());
            object =
                object.property(product.name(), ArrayBuilder::new().items(entry)).required(product.name());
        }
        object.into()
    }
}

#[cfg(feature = "openapi")]
impl ToSchema for UsersView {
    fn name() -> std::borrow::Cow<'static, str> {
        "UsersView".into()
    }
}

/// `{"now", "mode"}`.
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub(crate) struct ClockView {
    #[cfg_attr(feature = "openapi", schema(example = "2024-08-07T15:56:22.9188632Z"))]
    pub(crate) now: String,
    /// `frozen`, `ticking` or `offset`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "frozen"))]
    pub(crate) mode: &'static str,
}

/// What to do to the clock (any combination; `set` first, then `advance`, then `freeze`).
#[derive(Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct ClockChange {
    /// A duration such as `61m` or `-2h`.
    #[cfg_attr(feature = "openapi", schema(example = "61m"))]
    pub(crate) advance: Option<String>,
    /// An RFC 3339 instant.
    #[cfg_attr(feature = "openapi", schema(example = "2024-08-07T15:56:22Z"))]
    pub(crate) set: Option<String>,
    /// `true` stops the clock, `false` lets it tick.
    pub(crate) freeze: Option<bool>,
}

/// `GET /__mock/journal`: in this order, so a reader sees the counts first.
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub(crate) struct JournalPage {
    /// Requests recorded since the last clear, evicted ones included.
    pub(crate) total: u64,
    /// Entries in this answer.
    pub(crate) count: usize,
    pub(crate) entries: Vec<crate::control::JournalEntry>,
}

/// New journal settings (either or both).
#[derive(Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct JournalSettingsChange {
    /// Record requests or not.
    pub(crate) enabled: Option<bool>,
    /// The most entries kept (1 to 10,000).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10000))]
    pub(crate) capacity: Option<usize>,
}
