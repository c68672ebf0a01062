//! VBR refusals, each with its exact status and `Error` body: the version (missing, empty,
//! malformed, unserved; before any credential check), the bearer (missing, unknown, expired,
//! refresh-for-access), the role, unknown paths and wrong methods, and the scenario switches
//! (an empty 401 body, the detailed token codes, the presets).

use reqwest::{Method, StatusCode};

use crate::helpers::TestApp;
use crate::vbr_helpers::{FORBIDDEN, NOT_FOUND, UNAUTHORIZED, assert_vbr, version_error};

#[tokio::test]
async fn a_missing_empty_malformed_or_unserved_version_is_400_on_every_call_before_credentials() {
    let app = TestApp::spawn_vbr().await;
    let login = app.vbr_login("1.3-rev2", "administrator").await;
    let good_form = [("grant_type", "password"), ("username", "administrator"), ("password", "PassWord1")];
    for version in
        [None, Some(""), Some("1.3"), Some("v1.3-rev2"), Some("1.0-rev2"), Some("1.4-rev0"), Some("8.1")]
    {
        assert_vbr(app.vbr_token(version, &good_form).await, StatusCode::BAD_REQUEST, &version_error()).await;
        for (method, path) in [
            (Method::GET, "/api/v1/serverInfo"),
            (Method::GET, "/api/v1/serverTime"),
            (Method::POST, "/api/oauth2/logout"),
            (Method::GET, "/api/v1/nothing"),
            (Method::DELETE, "/api/v1/serverInfo"),
        ] {
            let response = app.vbr_call(method.clone(), path, version, Some(&login.access)).await;
            assert_vbr(response, StatusCode::BAD_REQUEST, &version_error()).await;
        }
    }
    // The header name in any case.
    let response = app
        .client
        .get(app.url("/api/v1/serverTime"))
        .header("X-Api-Version", "1.3-rev2")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_presets_and_the_list_decide_what_the_sentence_says() {
    let app = TestApp::spawn_vbr_with("preset = \"12.3\"").await;
    let response = app.vbr_get("/api/v1/serverTime", Some("1.3-rev0"), None).await;
    let expected = r#"{"errorCode":"NotImplemented","message":"Unsupported RESTAPI version. The following versions are supported: v1.0-rev1, v1.0-rev2, v1.1-rev0, v1.1-rev1, v1.1-rev2, v1.2-rev0, v1.2-rev1.","resourceId":null}"#;
    assert_vbr(response, StatusCode::BAD_REQUEST, expected).await;
    assert_eq!(app.vbr_get("/api/v1/serverTime", Some("1.0-rev1"), None).await.status(), StatusCode::OK);

    let app = TestApp::spawn_vbr_with("versions = [\"1.3-rev2\", \"1.0-rev1\"]").await;
    let response = app.vbr_get("/api/v1/serverTime", None, None).await;
    let expected = r#"{"errorCode":"NotImplemented","message":"Unsupported RESTAPI version. The following versions are supported: v1.0-rev1, v1.3-rev2.","resourceId":null}"#;
    assert_vbr(response, StatusCode::BAD_REQUEST, expected).await;
}

#[tokio::test]
async fn a_refused_bearer_is_401_access_denied_with_the_documented_message() {
    let app = TestApp::spawn_vbr().await;
    let login = app.vbr_login("1.3-rev2", "administrator").await;
    let altered = format!("{}x", login.access);
    for bearer in [None, Some("garbage"), Some(altered.as_str()), Some(login.refresh.as_str())] {
        let response = app.vbr_get("/api/v1/serverInfo", Some("1.3-rev2"), bearer).await;
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        assert_vbr(response, StatusCode::UNAUTHORIZED, UNAUTHORIZED).await;
    }
    app.server.clock().advance(std::time::Duration::from_secs(900));
    let response = app.vbr_get("/api/v1/serverInfo", Some("1.3-rev2"), Some(&login.access)).await;
    assert_vbr(response, StatusCode::UNAUTHORIZED, UNAUTHORIZED).await;
}

#[tokio::test]
async fn the_scenario_can_empty_the_401_or_name_why_the_token_was_refused() {
    let app = TestApp::spawn_vbr_with("unauthorized_body = \"empty\"").await;
    let response = app.vbr_get("/api/v1/serverInfo", Some("1.3-rev2"), None).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    assert_eq!(response.text().await.expect("body"), "");

    let app = TestApp::spawn_vbr_with("token_error_codes = \"detailed\"").await;
    let login = app.vbr_login("1.3-rev2", "administrator").await;
    let body = |code: &str| {
        format!(
            r#"{{"errorCode":"{code}","message":"Unauthorized. Get bearer JWT token at /api/login","resourceId":null}}"#
        )
    };
    let response = app.vbr_get("/api/v1/serverInfo", Some("1.3-rev2"), Some("garbage")).await;
    assert_vbr(response, StatusCode::UNAUTHORIZED, &body("InvalidToken")).await;
    assert_vbr(
        app.vbr_get("/api/v1/serverInfo", Some("1.3-rev2"), None).await,
        StatusCode::UNAUTHORIZED,
        &body("AccessDenied"),
    )
    .await;
    app.server.clock().advance(std::time::Duration::from_secs(900));
    let response = app.vbr_get("/api/v1/serverInfo", Some("1.3-rev2"), Some(&login.access)).await;
    assert_vbr(response, StatusCode::UNAUTHORIZED, &body("ExpiredToken")).await;
}

#[tokio::test]
async fn a_role_without_rights_is_403_and_unknown_paths_and_methods_get_vbrs_404_and_405() {
    let app = TestApp::spawn_vbr().await;
    let viewer = app.vbr_login("1.3-rev2", r"TECH\backup.viewer").await;
    assert_vbr(
        app.vbr_get("/api/v1/serverInfo", Some("1.3-rev2"), Some(&viewer.access)).await,
        StatusCode::FORBIDDEN,
        FORBIDDEN,
    )
    .await;
    // Logout is for every role.
    assert_eq!(app.vbr_logout("1.3-rev2", Some(&viewer.access)).await.status(), StatusCode::OK);

    for path in ["/api/v1/nothing", "/api/v1/jobs", "/api/oauth2/nothing", "/api/v2/serverInfo"] {
        assert_vbr(app.vbr_get(path, Some("1.3-rev2"), None).await, StatusCode::NOT_FOUND, NOT_FOUND).await;
    }
    for (method, path, allow) in [
        (Method::GET, "/api/oauth2/token", "POST"),
        (Method::DELETE, "/api/oauth2/logout", "POST"),
        (Method::POST, "/api/v1/serverInfo", "GET"),
    ] {
        let response = app.vbr_call(method, path, Some("1.3-rev2"), None).await;
        assert_eq!(response.headers()["allow"], allow);
        assert_vbr(
            response,
            StatusCode::METHOD_NOT_ALLOWED,
            r#"{"errorCode":"MethodNotAllowed","message":"HTTP Method not allowed","resourceId":null}"#,
        )
        .await;
    }
}
