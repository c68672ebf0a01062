//! A declared route once validated: what the matcher and the responder read.

use std::fmt;

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};

use super::spec::RouteSpec;
use super::template::Template;
use crate::products::{Access, Product};

/// A validated declared route.
pub(crate) struct Declared {
    /// The route as its author gave it (the admin API lists it so).
    pub(crate) spec: RouteSpec,
    /// Its name, lower case (faults and the journal call it `route.<name>`).
    pub(crate) name: String,
    /// The product whose rules it is answered under.
    pub(crate) product: &'static dyn Product,
    /// The method it answers.
    pub(crate) method: Method,
    /// The path's segments.
    pub(crate) segments: Vec<Segment>,
    /// Who may call it.
    pub(crate) access: Access,
    /// Query conditions: the parameter (compared without regard to case) and the value it must
    /// have (`None`: any value, but present).
    pub(crate) query: Vec<(String, Option<String>)>,
    /// Header conditions, as for the query (values compared exactly).
    pub(crate) headers: Vec<(HeaderName, Option<String>)>,
    /// What it answers, call after call (the last repeats).
    pub(crate) replies: Vec<Reply>,
}

impl Declared {
    /// The name faults and the journal use (`route.jobs`).
    pub(crate) fn endpoint_name(&self) -> String {
        format!("route.{}", self.name)
    }

    /// The path as its author wrote it.
    pub(crate) fn path(&self) -> &str {
        self.spec.path.as_deref().unwrap_or_default()
    }
}

impl fmt::Debug for Declared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Declared")
            .field("name", &self.name)
            .field("product", &self.product.name())
            .field("method", &self.method)
            .field("segments", &self.segments)
            .field("access", &self.access)
            .field("replies", &self.replies.len())
            .finish()
    }
}

/// The validated `[[routes]]` of a scenario (read by [`super::section`], put in force by
/// [`super::store`]).
#[derive(Debug, Default)]
pub(crate) struct DeclaredSection {
    /// The routes, in file order.
    pub(crate) routes: Vec<std::sync::Arc<Declared>>,
}

/// One segment of a declared path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Segment {
    /// Matches this text (lower case; paths are compared without regard to case).
    Literal(String),
    /// Matches any one segment, named for templates.
    Param(String),
}

/// One response of a declared route.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) body: ReplyBody,
    /// The `Content-Type` of a response with a body.
    pub(crate) content_type: HeaderValue,
    /// Extra response headers.
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
}

impl Reply {
    /// Whether values filled into the body are escaped as JSON.
    pub(crate) fn is_json(&self) -> bool {
        self.content_type.to_str().is_ok_and(|value| value.to_ascii_lowercase().contains("json"))
    }

    /// How many bytes the body keeps in memory (for the store's bound).
    pub(crate) fn weight(&self) -> usize {
        match &self.body {
            ReplyBody::Empty => 0,
            ReplyBody::Text(text) => text.len(),
            ReplyBody::Page { weight, .. } => *weight,
        }
    }
}

/// A declared response's body.
#[derive(Debug)]
pub(crate) enum ReplyBody {
    /// No body.
    Empty,
    /// A text body (JSON or not), filled in per call.
    Text(TextBody),
    /// A paged collection, served in the product's envelope.
    Page {
        /// The items, in order.
        items: Vec<serde_json::Value>,
        /// Their size as JSON text.
        weight: usize,
        /// Whether the items hold placeholders.
        templated: bool,
    },
}

/// A text body and its template.
#[derive(Debug)]
pub(crate) struct TextBody {
    /// The text as given (shared: each answer sends it without a copy).
    pub(crate) text: actix_web::web::Bytes,
    /// Its template (`None` when it has no placeholder).
    pub(crate) template: Option<Template>,
}

impl TextBody {
    fn len(&self) -> usize {
        self.text.len()
    }
}
