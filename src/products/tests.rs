//! The registry and the route tables against what the app serves and documents.

use std::collections::BTreeSet;

use actix_web::http::{Method, StatusCode};
use actix_web::test::{TestRequest, call_service, init_service};
use actix_web::web::Data;

use super::*;
use crate::state::{AdminSettings, World};

/// A table path with its parameters filled so that the route exists: VB365's newest version
/// the route has, the scenario's first VBAzure version, `1` for an id.
fn concrete(product: &dyn Product, route: &Route, scenario: &Scenario) -> String {
    let version = match (product.name(), &route.versions) {
        (_, Some(versions)) => format!("v{}", versions.end()),
        ("vbr", None) => "v1.3-rev2".to_owned(),
        _ => scenario.azure().versions[0].clone(),
    };
    route
        .path
        .split('/')
        .map(|segment| match segment {
            "{version}" => version.clone(),
            s if s.starts_with('{') => "1".to_owned(),
            s => s.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[actix_web::test]
async fn every_route_in_a_table_is_served_with_its_method_and_refuses_the_others() {
    let scenario = Scenario::default();
    let world =
        Data::new(World::new(scenario.clone(), AdminSettings::default(), super::sections::new_states));
    let app = init_service(crate::http::app(world, Default::default())).await;
    for product in PRODUCTS {
        for route in product.routes().routes {
            let path = concrete(*product, route, &scenario);
            // A product whose table has a guard (VBR) is reached with its header.
            let request = |method: Method| {
                let request = TestRequest::default().method(method).uri(&path);
                match product.name() {
                    "vbr" => request.insert_header(("x-api-version", "1.2-rev1")),
                    _ => request,
                }
            };
            let served = request(route.method.clone()).to_request();
            let status = call_service(&app, served).await.status();
            assert_ne!(status, StatusCode::NOT_FOUND, "{} {path} is not served", route.method);
            assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{} {path} is refused", route.method);

            let allowed: Vec<&str> = product
                .routes()
                .routes
                .iter()
                .filter(|other| other.path == route.path)
                .map(|other| other.method.as_str())
                .collect();
            let wrong = request(Method::PATCH).to_request();
            let refused = call_service(&app, wrong).await;
            assert_eq!(refused.status(), StatusCode::METHOD_NOT_ALLOWED, "PATCH {path}");
            let allow = refused.headers().get("allow").and_then(|value| value.to_str().ok());
            assert_eq!(allow, Some(allowed.join(", ").as_str()), "PATCH {path}");
        }
    }
}

#[cfg(feature = "openapi")]
#[test]
fn each_products_document_lists_exactly_the_routes_of_its_table() {
    for product in PRODUCTS {
        let document = serde_json::to_value(product.doc()).expect("JSON");
        let documented: BTreeSet<String> = document["paths"]
            .as_object()
            .expect("paths")
            .iter()
            .flat_map(|(path, item)| {
                let methods = item.as_object().expect("a path item").keys();
                methods.map(move |method| format!("{} {path}", method.to_uppercase()))
            })
            .collect();
        let table: BTreeSet<String> =
            product.routes().routes.iter().map(|route| format!("{} {}", route.method, route.path)).collect();
        assert_eq!(documented, table, "{}", product.name());
    }
}

#[test]
fn endpoint_names_come_from_the_tables_are_unique_and_round_trip() {
    let mut seen = BTreeSet::new();
    for endpoint in Endpoint::all() {
        assert!(seen.insert(endpoint.name()), "duplicate {endpoint}");
        assert_eq!(endpoint.name().parse::<Endpoint>(), Ok(*endpoint));
        let product = endpoint.name().split('.').next().unwrap_or_default();
        assert!(PRODUCTS.iter().any(|p| p.name() == product), "{endpoint} names no product");
    }
    assert_eq!(Endpoint::all().len(), 26);
    assert_eq!("VB365.Token".parse::<Endpoint>(), Ok(Endpoint::Vb365Token));
    let err = "vb365.tokens".parse::<Endpoint>().unwrap_err();
    assert!(err.to_string().contains("expected one of: vb365.token"), "{err}");
    assert!(err.to_string().starts_with("unknown endpoint `vb365.tokens`;"), "{err}");
}

#[test]
fn a_request_is_named_after_its_route_and_method() {
    let route = |method: Method, path: &str| {
        let req = TestRequest::default().method(method).uri(path).to_srv_request();
        route_of(&req, path)
    };
    let name = |method: Method, path: &str| route(method, path).map(|route| route.endpoint);
    assert_eq!(name(Method::POST, "/api/oauth2/token"), Some(Endpoint::AzureToken));
    assert_eq!(name(Method::DELETE, "/api/oauth2/token"), Some(Endpoint::AzureLogout));
    // A wrong method is named after its path, so faults and journal filters see it too.
    assert_eq!(name(Method::GET, "/api/oauth2/token"), Some(Endpoint::AzureToken));
    assert_eq!(name(Method::GET, "/v8/token"), Some(Endpoint::Vb365Token));
    assert_eq!(name(Method::GET, "/api/v8.1/system/serverinfo"), Some(Endpoint::AzureServerInfo));
    assert_eq!(name(Method::POST, "/v5/organizations/42/action"), Some(Endpoint::Vb365Explore));
    assert_eq!(name(Method::POST, "/v5/restoresessions/42/action"), Some(Endpoint::Vb365RestoreSessionStop));
    assert_eq!(name(Method::POST, "/v99/token"), None);
    assert_eq!(name(Method::POST, "/api/token"), None);
    let vbr = |method: Method, path: &str, version: &str| {
        let req = TestRequest::default()
            .method(method)
            .uri(path)
            .insert_header(("x-api-version", version))
            .to_srv_request();
        route_of(&req, path).map(|route| route.endpoint)
    };
    assert_eq!(vbr(Method::POST, "/api/oauth2/token", "1.3-rev1"), Some(Endpoint::VbrToken));
    assert_eq!(vbr(Method::POST, "/api/oauth2/token", ""), Some(Endpoint::AzureToken));
    assert_eq!(vbr(Method::POST, "/api/oauth2/token", "8.1"), Some(Endpoint::AzureToken));
    assert_eq!(vbr(Method::GET, "/api/v1/serverinfo", "1.0-rev1"), Some(Endpoint::VbrServerInfo));
    assert!(route(Method::POST, "/v8/token").is_some_and(|route| route.reads_token));
    assert!(route(Method::DELETE, "/api/oauth2/token").is_some_and(|route| !route.reads_token));
}

#[test]
fn an_unmatched_request_belongs_to_the_product_that_owns_it_else_to_the_fallback() {
    let owner = |path: &str| owner_of(&TestRequest::get().uri(path).to_http_request()).name();
    assert_eq!(owner("/api"), "azure");
    assert_eq!(owner("/api/v1/token"), "azure");
    let vbr = TestRequest::get().uri("/api/v1/nothing").insert_header(("X-Api-Version", "1.3-rev2"));
    assert_eq!(owner_of(&vbr.to_http_request()).name(), "vbr");
    assert_eq!(owner("/v8/nothing"), "vb365");
    assert_eq!(owner("/nothing"), "vb365");
    assert_eq!(in_registration_order().last().map(|p| p.name()), Some("vb365"));
}

/// The landing page picks a sign-in choice by its value and a product's default as its first
/// choice: every product has one, and no two choices share a value.
#[test]
fn every_product_can_be_signed_in_to_from_the_landing_page_by_a_unique_choice() {
    let mut values = BTreeSet::new();
    for product in PRODUCTS {
        let landing = product.landing();
        assert!(!landing.sign_in.is_empty(), "{} has no sign-in choice", product.name());
        assert!(!landing.columns.is_empty(), "{} shows no user column", product.name());
        for choice in landing.sign_in {
            assert!(values.insert(choice.value), "{} is offered twice", choice.value);
            assert!(choice.path.starts_with('/'), "{}", choice.path);
        }
    }
}
