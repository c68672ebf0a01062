//! The products the mock plays, and the registry that plugs them into the rest.
//!
//! Each product owns its routes (one route table, `routes.rs`), wire models and error format,
//! and none imports another. Each implements [`Product`]; [`PRODUCTS`] is the one list of
//! products, the only place that names them all. Everything that used to name the products one
//! by one (app assembly, which product answers an unknown path or a fault, endpoint names, the
//! admin API's user listing, the landing page's sign-in form, the OpenAPI document) loops over it.

pub(crate) mod azure;
pub(crate) mod declared;
pub(crate) mod documents;
pub(crate) mod sections;
pub(crate) mod vb365;
pub(crate) mod vbr;

use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, LazyLock};

use actix_web::dev::ServiceRequest;
use actix_web::http::Method;
use actix_web::web::{Data, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse};
use serde::{Deserialize, Deserializer, Serialize};

use crate::routing::{Route, Table};
use crate::scenario::{Endpoint, Scenario, SectionParser, UnknownEndpoint};
use crate::state::{ProductState, World};

/// What the rest of the mock asks of a product.
pub(crate) trait Product: Sync + 'static {
    /// The product's short name, the prefix of its endpoint names and its key in the admin
    /// API's user listing (`vb365`).
    fn name(&self) -> &'static str;

    /// The product's section of a scenario file (its top-level key, read and validated by
    /// the product; [`sections`] hands every product's to the scenario parser).
    fn section(&self) -> &'static dyn SectionParser;

    /// The product's state in a World playing `scenario` (its sessions and other memory; the
    /// World keeps it type-erased and restarts it on reset and load).
    fn new_state(&self, scenario: &Scenario) -> Box<dyn ProductState>;

    /// The product's route table.
    fn routes(&self) -> &'static Table;

    /// Registers the product's routes from its table; `unknown` answers what its scopes take
    /// but do not serve.
    fn configure(&self, cfg: &mut ServiceConfig, unknown: fn() -> actix_web::Route) {
        crate::routing::register(cfg, self.routes(), unknown);
    }

    /// Whether an unmatched request is this product's to answer (its path, its headers, what
    /// `scenario` mounts). Products are asked in registry order; the first that owns the
    /// request answers it, so a product with a narrower claim on a shared prefix goes first.
    fn owns(&self, req: &HttpRequest, scenario: &Scenario) -> bool;

    /// Whether the product answers the requests no product owns. Its routes are registered
    /// after every other product's, so its scopes may take any path.
    fn is_fallback(&self) -> bool {
        false
    }

    /// The route a normalized path and method name in this product, if any.
    fn route_of(&self, method: &Method, path: &str) -> Option<&'static Route> {
        self.routes().lookup(method, path)
    }

    /// The product's 404 for a path it owns and nothing serves.
    fn not_found(&self, req: &HttpRequest) -> HttpResponse;

    /// The product's own error for `status`, as a fault with no body of its own injects it.
    fn status_error(&self, req: &HttpRequest, status: u16) -> HttpResponse;

    /// The scenario's users of this product with their passwords, as a JSON array (the admin
    /// API lists them for the landing page). Rendered here so each product keeps its fields
    /// in its own order.
    fn users_json(&self, scenario: &Scenario) -> String;

    /// Request headers the journal must never show because `scenario` makes them secret for
    /// this product (beyond the journal's own allow-list), such as VB365's antiforgery header.
    fn secret_headers<'s>(&self, _scenario: &'s Scenario) -> Vec<&'s str> {
        Vec::new()
    }

    /// The product's part of the OpenAPI document.
    #[cfg(feature = "openapi")]
    fn doc(&self) -> utoipa::openapi::OpenApi;

    /// The name of the schema (in [`Product::doc`]) of one entry of [`Product::users_json`].
    #[cfg(feature = "openapi")]
    fn users_schema(&self) -> &'static str;

    /// How the OpenAPI document describes the product's declared routes.
    #[cfg(feature = "openapi")]
    fn declared_doc(&self) -> &'static declared::DeclaredDoc;

    /// How the landing page signs in to the product and shows its users (the admin API serves
    /// every product's as `GET /__mock/products`).
    fn landing(&self) -> &'static Landing;

    /// Whether a declared route's path (as written, `{name}` segments included) is this
    /// product's, when the route does not name its product.
    fn claims_path(&self, path: &str) -> bool;

    /// Why the product could never serve a declared route at `path`, if so (VB365: a path
    /// that does not start with its version).
    fn refuse_declared_path(&self, _path: &str) -> Option<String> {
        None
    }

    /// The product's name for a role, as a declared route's `auth` list may give it; the
    /// error lists the roles there are.
    fn role(&self, name: &str) -> Result<&'static str, String>;

    /// Whether the product issues authorization codes a declared route can take instead of a
    /// bearer (`auth = "auth_code"`).
    fn takes_auth_codes(&self) -> bool {
        false
    }

    /// Lets a request through to a declared route under the product's own rules for `access`
    /// (its version check, bearer check, role check and their refusals, exactly as for its
    /// own protected endpoints), and says who called.
    fn admit(&self, req: &HttpRequest, world: &World, access: &Access) -> Result<Admitted, Refusal>;

    /// One page of a declared collection in the product's own envelope, cut by the product's
    /// paging parameters in `req`'s query; a bad parameter gets the product's 400.
    fn page(&self, req: &HttpRequest, items: &[serde_json::Value]) -> Result<serde_json::Value, Refusal>;

    /// An instant in the product's own date format (a declared route's `{{now}}`).
    fn format_time(&self, at: time::OffsetDateTime) -> String;

    /// The version of this product that a loaded OpenAPI document describes (`v8`, `8.1`,
    /// `1.3-rev2`), read from the document itself, if it is one of the product's documents
    /// ([`documents`] asks every product, in registry order).
    fn recognize_document(&self, root: &serde_json::Value) -> Option<String>;

    /// The product's 400 for the parameters or body an operation of a loaded document refuses,
    /// each problem `(field, message)` in ASP.NET's words.
    fn invalid_request(&self, req: &HttpRequest, problems: &[(String, String)]) -> HttpResponse;
}

/// A product's refusal of a call to a declared route: its own error response, boxed (a
/// response is large, and refusals are the rare path).
pub(crate) type Refusal = Box<HttpResponse>;

/// The refusal an error of the product renders.
pub(crate) fn refusal(error: impl actix_web::ResponseError) -> Refusal {
    Box::new(error.error_response())
}

/// Who may call a declared route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Access {
    /// Any live bearer of the owning product.
    Session,
    /// A live bearer whose session has one of these roles (the product's names).
    Roles(Vec<&'static str>),
    /// Anyone.
    Anonymous,
    /// A single-use authorization code in the query instead of a bearer (VB365 `?authCode=`).
    AuthCode,
}

/// The caller a product let through to a declared route, for the route's templates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Admitted {
    /// The user's name, as the product writes it (empty for an anonymous call).
    pub(crate) user: String,
    /// The user's role, as the product names it (empty for an anonymous call).
    pub(crate) role: String,
}

/// How the landing page signs in to a product and shows its users.
pub(crate) struct Landing {
    /// The title shown above the product's users (`VB365`).
    pub(crate) title: &'static str,
    /// The columns of the product's user table, in order.
    pub(crate) columns: &'static [UserColumn],
    /// The sign-in form's choices for this product, the default first.
    pub(crate) sign_in: &'static [SignInChoice],
    /// The second step of a sign-in that answers with an MFA challenge, if the product has one.
    pub(crate) mfa: Option<MfaStep>,
}

/// One column of a product's user table on the landing page.
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub(crate) struct UserColumn {
    /// The column's heading (`user`).
    pub(crate) heading: &'static str,
    /// The field of the user's entry in `GET /__mock/users` it shows (`username`).
    pub(crate) field: &'static str,
}

/// One choice of the landing page's sign-in form: where it posts and the fixed form fields it
/// sends besides `username` and `password`.
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub(crate) struct SignInChoice {
    /// The choice's value in the form (`vb365:v8`), unique across products.
    pub(crate) value: &'static str,
    /// What the form shows (`VB365 POST /v8/token`).
    pub(crate) label: &'static str,
    /// The token endpoint's path (`/v8/token`).
    pub(crate) path: &'static str,
    /// The fixed form fields, in order (`grant_type=password`).
    #[serde(serialize_with = "fields_as_object")]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub(crate) fields: &'static [(&'static str, &'static str)],
    /// Request headers the form sends besides its content type, in order (VBR's
    /// `x-api-version`); empty for most products.
    #[serde(serialize_with = "fields_as_object")]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub(crate) headers: &'static [(&'static str, &'static str)],
}

/// The second step of an MFA sign-in: the page posts these fixed fields plus `mfa_token` (from
/// the challenge) and `mfa_code` (typed in).
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub(crate) struct MfaStep {
    /// The path the answer is posted to (`/api/oauth2/token`).
    pub(crate) path: &'static str,
    /// The fixed form fields, in order (`grant_type=Mfa`).
    #[serde(serialize_with = "fields_as_object")]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub(crate) fields: &'static [(&'static str, &'static str)],
}

/// Form fields as a JSON object, in their order (what `URLSearchParams` takes).
fn fields_as_object<S: serde::Serializer>(
    fields: &&'static [(&'static str, &'static str)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(fields.len()))?;
    for (name, value) in fields.iter() {
        map.serialize_entry(name, value)?;
    }
    map.end()
}

/// One product as the landing page sees it: its name (its key in `GET /__mock/users`), how the
/// page signs in to it and how it shows its users.
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub(crate) struct LandingView {
    /// The product's name (`vb365`).
    pub(crate) name: &'static str,
    /// The title shown above the product's users.
    pub(crate) title: &'static str,
    /// The columns of the product's user table.
    pub(crate) columns: &'static [UserColumn],
    /// The sign-in form's choices, the default first.
    pub(crate) sign_in: &'static [SignInChoice],
    /// The MFA step, if the product has one.
    pub(crate) mfa: Option<&'static MfaStep>,
}

/// Every product's [`LandingView`], in registry order (`GET /__mock/products`).
pub(crate) fn landing_views() -> Vec<LandingView> {
    PRODUCTS
        .iter()
        .map(|product| {
            let landing = product.landing();
            LandingView {
                name: product.name(),
                title: landing.title,
                columns: landing.columns,
                sign_in: landing.sign_in,
                mfa: landing.mfa.as_ref(),
            }
        })
        .collect()
}

/// Every product the mock plays, the only place that lists them. The order is the order of
/// [`Endpoint::all`], of the admin API's user listing and of the ownership questions.
pub(crate) static PRODUCTS: &[&dyn Product] = &[&vb365::Vb365, &vbr::Vbr, &azure::Azure];

/// Every product, the fallback last: the order their routes are registered in.
pub(crate) fn in_registration_order() -> impl Iterator<Item = &'static dyn Product> {
    let first = PRODUCTS.iter().filter(|product| !product.is_fallback());
    first.chain(PRODUCTS.iter().filter(|product| product.is_fallback())).copied()
}

/// The product that answers `req` when no route took it: the first that owns it, else the
/// fallback.
pub(crate) fn owner_of(req: &HttpRequest) -> &'static dyn Product {
    let scenario = scenario_of(req);
    PRODUCTS
        .iter()
        .find(|product| product.owns(req, &scenario))
        .or_else(|| PRODUCTS.iter().find(|product| product.is_fallback()))
        .copied()
        .unwrap_or(PRODUCTS[0])
}

/// The scenario in force (the default one for a request outside an app, as in unit tests).
fn scenario_of(req: &HttpRequest) -> Arc<Scenario> {
    static DEFAULT: LazyLock<Arc<Scenario>> = LazyLock::new(|| Arc::new(Scenario::default()));
    req.app_data::<Data<World>>().map_or_else(|| Arc::clone(&DEFAULT), |world| world.scenario())
}

/// The product route a request names by its method and normalized `path`, if any: the first
/// product, in registry order, whose table has it and whose guard (if any) the request meets,
/// as routing picks it.
pub(crate) fn route_of(req: &ServiceRequest, path: &str) -> Option<&'static Route> {
    PRODUCTS.iter().find_map(|product| {
        let admitted = product.routes().guard.is_none_or(|condition| condition(&req.guard_ctx()));
        admitted.then(|| product.route_of(req.method(), path)).flatten()
    })
}

/// The error body the product owning the request writes for `status` (a fault's answer).
pub(crate) fn status_error(req: &HttpRequest, status: u16) -> HttpResponse {
    owner_of(req).status_error(req, status)
}

/// Every product's secret request headers under `scenario` (see [`Product::secret_headers`]).
pub(crate) fn secret_headers(scenario: &Scenario) -> Vec<&str> {
    PRODUCTS.iter().flat_map(|product| product.secret_headers(scenario)).collect()
}

/// The scenario's users of every product, as the JSON object the admin API serves
/// (`{"vb365":[...],"azure":[...]}`, in registry order).
pub(crate) fn users_json(scenario: &Scenario) -> String {
    let parts: Vec<String> = PRODUCTS
        .iter()
        .map(|product| {
            let key = serde_json::to_string(product.name()).unwrap_or_default();
            format!("{key}:{}", product.users_json(scenario))
        })
        .collect();
    format!("{{{}}}", parts.join(","))
}

/// Every product's endpoints, in registry and table order.
static ALL_ENDPOINTS: LazyLock<Vec<Endpoint>> = LazyLock::new(|| {
    let mut all: Vec<Endpoint> = Vec::new();
    for route in PRODUCTS.iter().flat_map(|product| product.routes().routes) {
        if !all.contains(&route.endpoint) {
            all.push(route.endpoint);
        }
    }
    all
});

impl Endpoint {
    /// Every endpoint, in a stable order (VB365's, then VBAzure's, as their route tables list
    /// them).
    ///
    /// ```
    /// use veeam_auth_mock::Endpoint;
    ///
    /// assert_eq!(Endpoint::all()[0], Endpoint::Vb365Token);
    /// assert!(Endpoint::all().contains(&Endpoint::AzureToken));
    /// ```
    pub fn all() -> &'static [Endpoint] {
        &ALL_ENDPOINTS
    }
}

impl FromStr for Endpoint {
    type Err = UnknownEndpoint;

    fn from_str(text: &str) -> Result<Endpoint, UnknownEndpoint> {
        let wanted = text.trim().to_ascii_lowercase();
        Endpoint::all()
            .iter()
            .copied()
            .find(|endpoint| endpoint.name() == wanted)
            .ok_or_else(|| UnknownEndpoint { given: text.to_owned() })
    }
}

impl<'de> Deserialize<'de> for Endpoint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Endpoint, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for UnknownEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let known = Endpoint::all().iter().map(|e| e.name()).collect::<Vec<_>>().join(", ");
        write!(
            f,
            "unknown endpoint `{}`; expected one of: {known} (or route.<name> for a declared route)",
            self.given
        )
    }
}

#[cfg(test)]
mod tests;
