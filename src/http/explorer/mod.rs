//! The browsable face of the mock: the OpenAPI document, an offline Swagger UI at VB365's own
//! path, and the mock's landing page.
//!
//! | path | what |
//! | --- | --- |
//! | `/swagger/docs/v8`, `/__mock/openapi.json` | the OpenAPI document (with the `openapi` feature), with the declared routes in force |
//! | `/swagger/ui/index` | (with the `swagger-ui` feature) redirects to `/swagger/ui/index/index.html` (v8's address; v2-v7 used the former) |
//! | `/swagger/ui/index/{file}` | Swagger UI, served from inside the binary (`utoipa-swagger-ui`'s vendored copy: no CDN) |
//! | `/__mock/` | the landing page: users, clock, declared routes, recent requests, a sign-in form that decodes the tokens |
//!
//! The document is made of the parts [`crate::http`] gives (each product's and the admin
//! API's); the explorer names no product.
//!
//! The landing page reads the admin API (`/__mock/clock`, `/__mock/journal`, `/__mock/users`,
//! `/__mock/products` for its sign-in choices and user tables, and `/__mock/routes` for the
//! declared routes in force) and says "unavailable" for any part it cannot get, so it never depends on more than it finds.
//! Paths reach here normalized (lower case, no trailing slash; see [`crate::http`]), which the
//! Swagger UI files' names already are.

#[cfg(feature = "openapi")]
pub(crate) mod openapi;

#[cfg(feature = "openapi")]
pub(crate) use openapi::Document;

#[cfg(feature = "swagger-ui")]
use std::sync::{Arc, LazyLock};

use actix_web::HttpRequest;
use actix_web::http::header::{self, HeaderValue};
use actix_web::web::{self, ServiceConfig};
use actix_web::{HttpResponse, Responder, guard};
#[cfg(feature = "swagger-ui")]
use utoipa_swagger_ui::Config;

#[cfg(feature = "swagger-ui")]
/// Where Swagger UI lives (v8's address; its files are relative to it).
const SWAGGER_UI: &str = "/swagger/ui/index/";
#[cfg(feature = "openapi")]
/// Where VB365 publishes the document (`/swagger/docs/v5` on v5; the mock's is v8-style).
const SWAGGER_DOC: &str = "/swagger/docs/v8";

#[cfg(feature = "swagger-ui")]
/// Swagger UI's settings for `urls` (the mock's own document first): "Try it out" on, the
/// bearer kept across reloads.
fn swagger_config<'a>(urls: Vec<utoipa_swagger_ui::Url<'a>>) -> Config<'a> {
    Config::new(urls)
        .try_it_out_enabled(true)
        .persist_authorization(true)
        .display_request_duration(true)
        .filter(true)
}

#[cfg(feature = "swagger-ui")]
/// Swagger UI's settings when no document is loaded: the mock's own only.
static SWAGGER_CONFIG: LazyLock<Arc<Config<'static>>> =
    LazyLock::new(|| Arc::new(swagger_config(vec![utoipa_swagger_ui::Url::from(SWAGGER_DOC)])));

/// A product's own OpenAPI document loaded into the mock, as the explorer lists and serves it.
#[derive(Debug, Clone)]
// Read by the document route (`openapi`) and Swagger UI's list (`swagger-ui`); a build with
// neither still takes the documents, so that the layers above do not depend on the features.
#[cfg_attr(not(all(feature = "openapi", feature = "swagger-ui")), allow(dead_code))]
pub(crate) struct LoadedDocument {
    /// What Swagger UI's document list shows.
    pub(crate) name: String,
    /// The document as served.
    pub(crate) bytes: web::Bytes,
}

/// Where the loaded document number `index` is served.
#[cfg_attr(not(all(feature = "openapi", feature = "swagger-ui")), allow(dead_code))]
fn loaded_path(index: usize) -> String {
    format!("/__mock/documents/{index}/openapi.json")
}

/// The loaded documents in force for a request (given by the layer that knows the products).
pub(crate) type Loaded = fn(&HttpRequest) -> Vec<LoadedDocument>;

#[cfg(feature = "openapi")]
/// Registers the document's routes, serving the OpenAPI document `document` gives for the
/// request (called per request, so that building the app does not build the document, and so
/// that it can follow what the scenario declares); call before anything that claims `/__mock`
/// as a scope. Without the `openapi` feature these paths are unknown paths, answered as such.
pub(crate) fn configure_document(
    cfg: &mut ServiceConfig,
    document: fn(&HttpRequest) -> web::Bytes,
    loaded: Loaded,
) {
    let serve = move |req: HttpRequest| async move {
        HttpResponse::Ok().content_type(header::ContentType::json()).body(document(&req))
    };
    // A loaded document (`/__mock/documents/0/openapi.json`), numbered as the list of
    // documents in force orders them; anything else under the path is the admin API's 404.
    let serve_loaded = move |req: HttpRequest, index: web::Path<String>| async move {
        let found = index.parse::<usize>().ok().and_then(|index| loaded(&req).into_iter().nth(index));
        match found {
            Some(found) => HttpResponse::Ok().content_type(header::ContentType::json()).body(found.bytes),
            None => crate::http::admin::not_found(&req),
        }
    };
    cfg.route(SWAGGER_DOC, read().to(serve))
        .route("/__mock/openapi.json", read().to(serve))
        .route("/__mock/documents/{index}/openapi.json", read().to(serve_loaded));
}

/// Registers the landing page and, with the `swagger-ui` feature, Swagger UI; call before
/// anything that claims `/__mock` as a scope. The landing page does not read the document.
pub(crate) fn configure(
    cfg: &mut ServiceConfig,
    #[cfg_attr(not(feature = "swagger-ui"), allow(unused_variables))] loaded: Loaded,
) {
    cfg.route("/__mock", read().to(landing_page))
        .route("/__mock/explorer/landing.js", read().to(landing_script))
        .route("/__mock/explorer/landing.css", read().to(landing_style));
    // Without the feature these paths are unknown paths (VB365's 404).
    #[cfg(feature = "swagger-ui")]
    cfg.route("/swagger/ui/index", read().to(to_swagger_ui)).route(
        "/swagger/ui/index/{file:.*}",
        read().to(move |req: HttpRequest, file: web::Path<String>| swagger_file(req, file, loaded)),
    );
}

/// GET, and HEAD for `curl -I` and link checkers (actix sends no body for HEAD).
fn read() -> actix_web::Route {
    web::route().guard(guard::Any(guard::Get()).or(guard::Head()))
}

#[cfg(feature = "swagger-ui")]
/// `/swagger/ui/index` → v8's `/swagger/ui/index/index.html`, where the relative asset links of
/// Swagger UI's page resolve.
async fn to_swagger_ui() -> HttpResponse {
    HttpResponse::Found().insert_header((header::LOCATION, format!("{SWAGGER_UI}index.html"))).finish()
}

#[cfg(feature = "swagger-ui")]
/// A file of Swagger UI; its initializer lists the mock's document and the loaded ones.
async fn swagger_file(req: HttpRequest, file: web::Path<String>, loaded: Loaded) -> HttpResponse {
    let documents = if file.as_str() == "swagger-initializer.js" { loaded(&req) } else { Vec::new() };
    let paths: Vec<String> = (0..documents.len()).map(loaded_path).collect();
    let config = if documents.is_empty() {
        Arc::clone(&SWAGGER_CONFIG)
    } else {
        let own = utoipa_swagger_ui::Url::new("veeam-auth-mock (the mock's own endpoints)", SWAGGER_DOC);
        let urls = std::iter::once(own)
            .chain(
                documents
                    .iter()
                    .zip(&paths)
                    .map(|(document, path)| utoipa_swagger_ui::Url::new(&document.name, path)),
            )
            .collect();
        Arc::new(swagger_config(urls))
    };
    match utoipa_swagger_ui::serve(&file, config) {
        Ok(Some(found)) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, found.content_type))
            .body(found.bytes.into_owned()),
        Ok(None) => HttpResponse::NotFound().finish(),
        // Only the generated initializer can fail (serializing the config), which a fixed
        // config does not; answer plainly rather than panic if it ever did.
        Err(err) => HttpResponse::InternalServerError().body(err.to_string()),
    }
}

async fn landing_page() -> impl Responder {
    static_text(include_str!("landing.html"), "text/html; charset=utf-8")
}

async fn landing_script() -> impl Responder {
    static_text(include_str!("landing.js"), "text/javascript; charset=utf-8")
}

async fn landing_style() -> impl Responder {
    static_text(include_str!("landing.css"), "text/css; charset=utf-8")
}

fn static_text(body: &'static str, content_type: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(content_type)))
        // The page must not reach outside the mock: no other origin for anything.
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; img-src 'self' data:"),
        ))
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .body(body)
}
