//! The explorer: the OpenAPI document, the offline Swagger UI at VB365's path, and the landing
//! page, all served from inside the binary.

#[cfg(feature = "cli")]
use std::process::Command;

use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
#[cfg(feature = "swagger-ui")]
use reqwest::header::LOCATION;
#[cfg(feature = "openapi")]
use serde_json::Value;

use crate::helpers::TestApp;

#[cfg(feature = "cli")]
const BIN: &str = env!("CARGO_BIN_EXE_veeam-auth-mock");

async fn get(app: &TestApp, path: &str) -> reqwest::Response {
    app.client.get(app.url(path)).send().await.expect("request sent")
}

fn content_type(response: &reqwest::Response) -> String {
    response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// The relative `href="..."` and `src="..."` targets of an HTML page.
fn linked_files(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        for piece in html.split(attribute).skip(1) {
            if let Some(end) = piece.find('"') {
                found.push(piece[..end].to_owned());
            }
        }
    }
    found
}

#[cfg(feature = "openapi")]
#[tokio::test]
async fn the_document_is_openapi_3_and_lists_the_token_endpoints_of_both_products() {
    let app = TestApp::spawn().await;

    let response = get(&app, "/swagger/docs/v8").await;

    assert_eq!(response.status(), StatusCode::OK);
    assert!(content_type(&response).starts_with("application/json"));
    let document: Value = response.json().await.expect("JSON");
    assert!(document["openapi"].as_str().is_some_and(|v| v.starts_with("3.")), "{}", document["openapi"]);
    let paths = &document["paths"];
    assert!(paths["/{version}/token"]["post"].is_object());
    assert!(paths["/{version}/token/logout"]["post"].is_object());
    assert!(paths["/api/oauth2/token"]["post"].is_object());
    assert!(paths["/api/oauth2/token"]["delete"].is_object());
    assert!(paths["/api/{version}/system/about"]["get"].is_object());
    assert!(paths["/{version}/RestoreSessions/{restore_session_id}/Stop"]["post"].is_object());
    assert_eq!(document["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    let token_response = &document["components"]["schemas"]["OAuthTokenResponse"]["properties"];
    assert!(
        token_response[".issued"].is_object() && token_response["userName"].is_object(),
        "{token_response}"
    );
    let form = &document["paths"]["/{version}/token"]["post"]["requestBody"]["content"];
    assert!(form["application/x-www-form-urlencoded"].is_object(), "{form}");
}

#[cfg(feature = "openapi")]
#[tokio::test]
async fn the_document_lists_every_product_and_admin_route_the_mock_serves_and_nothing_else() {
    let app = TestApp::spawn().await;
    let document: Value = get(&app, "/__mock/openapi.json").await.json().await.expect("JSON");

    let mut listed: Vec<String> = document["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("a path item")
                .keys()
                .map(move |method| format!("{} {path}", method.to_uppercase()))
        })
        .collect();
    listed.sort();

    let mut expected = vec![
        "POST /{version}/token",
        "POST /{version}/token/logout",
        "POST /{version}/token/AuthCode",
        "GET /{version}/Health",
        "GET /{version}/RestorePortalSettings",
        "GET /{version}/ServiceInstance",
        "GET /{version}/Organization/LoggedInUser",
        "GET /{version}/Organization/LoggedInUser/OperatorInfo",
        "POST /{version}/Organizations/{organization_id}/explore",
        "POST /{version}/Organization/Explore",
        "POST /{version}/Organization/OperatorExplore",
        "POST /{version}/Organizations/{organization_id}/Action",
        "POST /{version}/Organization/Action",
        "GET /{version}/RestoreSessions/{restore_session_id}",
        "POST /{version}/RestoreSessions/{restore_session_id}/Stop",
        "POST /{version}/RestoreSessions/{restore_session_id}/Action",
        "POST /api/oauth2/token",
        "DELETE /api/oauth2/token",
        "POST /api/oauth2/authorization_code",
        "POST /api/oauth2/logout",
        "GET /api/v1/serverInfo",
        "GET /api/v1/serverTime",
        "GET /api/v1/serverCertificate",
        "GET /swagger/{version}/swagger.json",
        "GET /api/{version}/system/about",
        "GET /api/{version}/system/serverInfo",
        "GET /api/{version}/system/status",
        "GET /api/{version}/system/serviceIsUp",
        "GET /api/{version}/licenseAgreement/accepted",
        "POST /api/{version}/licenseAgreement/accept",
        "GET /__mock/health",
        "GET /__mock/clock",
        "POST /__mock/clock",
        "GET /__mock/faults",
        "POST /__mock/faults",
        "DELETE /__mock/faults",
        "GET /__mock/faults/{id}",
        "DELETE /__mock/faults/{id}",
        "GET /__mock/routes",
        "POST /__mock/routes",
        "DELETE /__mock/routes",
        "GET /__mock/routes/{id}",
        "DELETE /__mock/routes/{id}",
        "GET /__mock/journal",
        "DELETE /__mock/journal",
        "GET /__mock/journal/count",
        "GET /__mock/journal/settings",
        "PUT /__mock/journal/settings",
        "POST /__mock/reset",
        "PUT /__mock/scenario",
        "POST /__mock/sessions/revoke",
        "GET /__mock/users",
        "GET /__mock/products",
    ];
    expected.sort_unstable();
    assert_eq!(listed, expected);
}

#[cfg(feature = "cli")]
#[tokio::test]
async fn the_document_is_the_same_at_the_mock_path_and_from_the_cli() {
    let app = TestApp::spawn().await;
    let product: Value = get(&app, "/swagger/docs/v8").await.json().await.expect("JSON");

    let mock: Value = get(&app, "/__mock/openapi.json").await.json().await.expect("JSON");
    let output = Command::new(BIN).arg("openapi").output().expect("runs");

    assert_eq!(mock, product);
    assert_eq!(output.status.code(), Some(0));
    let printed: Value = serde_json::from_slice(&output.stdout).expect("the CLI prints JSON");
    assert_eq!(printed, product);
}

#[cfg(feature = "swagger-ui")]
#[tokio::test]
async fn swagger_ui_at_the_product_path_redirects_to_the_v8_page() {
    let app = TestApp::spawn().await;
    let client =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");

    for path in ["/swagger/ui/index", "/swagger/ui/index/", "/Swagger/UI/Index"] {
        let response = client.get(app.url(path)).send().await.expect("sent");

        assert_eq!(response.status(), StatusCode::FOUND, "{path}");
        assert_eq!(response.headers()[LOCATION], "/swagger/ui/index/index.html", "{path}");
    }
}

#[cfg(feature = "swagger-ui")]
#[tokio::test]
async fn the_swagger_page_and_every_file_it_links_are_served_from_the_binary() {
    let app = TestApp::spawn().await;

    let page = get(&app, "/swagger/ui/index").await;

    assert_eq!(page.status(), StatusCode::OK);
    assert!(content_type(&page).starts_with("text/html"));
    let html = page.text().await.expect("text");
    let files = linked_files(&html);
    assert!(files.iter().any(|f| f.ends_with("swagger-ui-bundle.js")), "{files:?}");
    for file in files {
        assert!(!file.contains("//"), "an external reference: {file}");
        let response = get(&app, &format!("/swagger/ui/index/{}", file.trim_start_matches("./"))).await;
        assert_eq!(response.status(), StatusCode::OK, "{file}");
    }
    let initializer = get(&app, "/swagger/ui/index/swagger-initializer.js").await.text().await.expect("text");
    assert!(initializer.contains("\"url\": \"/swagger/docs/v8\""), "{initializer}");
    assert_eq!(get(&app, "/swagger/ui/index/no-such-file.js").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_landing_page_and_its_assets_are_served_with_no_outside_reference() {
    let app = TestApp::spawn().await;

    let page = get(&app, "/__mock/").await;

    assert_eq!(page.status(), StatusCode::OK);
    assert!(content_type(&page).starts_with("text/html"));
    let csp = page.headers()["content-security-policy"].to_str().expect("ascii").to_owned();
    assert!(csp.starts_with("default-src 'self'"), "{csp}");
    let html = page.text().await.expect("text");
    assert!(html.contains("id=\"login-form\""));
    let mut texts = vec![html.clone()];
    for file in linked_files(&html).into_iter().filter(|f| f.starts_with("/__mock/explorer/")) {
        let response = get(&app, &file).await;
        assert_eq!(response.status(), StatusCode::OK, "{file}");
        texts.push(response.text().await.expect("text"));
    }
    assert_eq!(texts.len(), 3, "the page links its script and style");
    for text in texts {
        assert!(!text.contains("http://") && !text.contains("https://"), "an outside reference");
    }
}

#[cfg(feature = "openapi")]
#[tokio::test]
async fn the_explorer_answers_head_requests_without_a_body() {
    let app = TestApp::spawn().await;

    let response = app.client.head(app.url("/__mock/openapi.json")).send().await.expect("sent");

    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.bytes().await.expect("body").is_empty());
}

#[cfg(not(feature = "openapi"))]
#[tokio::test]
async fn without_the_openapi_feature_the_document_paths_are_unknown_paths() {
    let app = TestApp::spawn().await;

    for path in ["/swagger/docs/v8", "/__mock/openapi.json"] {
        assert_eq!(get(&app, path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(get(&app, "/__mock").await.status(), StatusCode::OK, "the landing page stays");
}
