//! VBAzure's protected surface: `system/about` and `serverInfo`, version probes, the bearer
//! scheme, and logout.

use std::time::Duration;

use reqwest::StatusCode;

use crate::azure_helpers::{assert_problem, refused};
use crate::helpers::TestApp;

#[tokio::test]
async fn system_about_returns_the_system_info_in_schema_order() {
    // Arrange
    let app = TestApp::spawn_azure().await;
    let login = app.azure_login("administrator").await;

    // Act
    let response = app.azure_get("/api/v8.1/system/about", Some(&login.bearer())).await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json; charset=utf-8");
    assert_eq!(
        response.text().await.expect("body"),
        r#"{"serverVersion":"8.0.1.202","workerVersion":"8.0.1.202","flrVersion":"8.0.1.202","databaseId":"5d04c178-edab-464e-b5b7-db96f9c9a99b","copyright":"© 2025 Veeam Software Group GmbH","deploymentSubscriptionId":"0f3b6a52-3c1e-4d8a-9b7e-2a6c4d5e8f10"}"#
    );
}

#[tokio::test]
async fn server_info_answers_an_administrator_in_any_path_case() {
    let app = TestApp::spawn_azure().await;
    let login = app.azure_login("administrator").await;
    let response = app.azure_get("/API/V8.1/System/ServerInfo/", Some(&login.bearer())).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(body["subscriptionId"], "0f3b6a52-3c1e-4d8a-9b7e-2a6c4d5e8f10");
    assert_eq!(body["azureEnvironment"], "Global");
    assert_eq!(body["DisabledSections"]["ConfigurationSnapshotBased"], false);
}

#[tokio::test]
async fn anonymous_probes_get_401_on_served_versions_and_404_on_others() {
    // Arrange
    let app = TestApp::spawn_azure().await;

    for (version, status) in [
        ("v8.1", StatusCode::UNAUTHORIZED),
        ("v8", StatusCode::UNAUTHORIZED),
        ("v8.0", StatusCode::UNAUTHORIZED),
        ("v7", StatusCode::UNAUTHORIZED),
        ("v6", StatusCode::UNAUTHORIZED),
        ("v5", StatusCode::NOT_FOUND),
        ("v9", StatusCode::NOT_FOUND),
        ("latest", StatusCode::NOT_FOUND),
    ] {
        // Act
        let response = app.azure_get(&format!("/api/{version}/system/about"), None).await;

        // Assert
        assert_eq!(response.status(), status, "{version}");
        assert_eq!(response.headers()["content-type"], "application/problem+json; charset=utf-8");
    }
    assert_eq!(app.azure_get("/api/system/about", None).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_served_versions_are_a_scenario_setting() {
    let app = TestApp::spawn_azure_with("versions = [\"v5\", \"v4\"]").await;
    assert_eq!(app.azure_get("/api/v5/system/about", None).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.azure_get("/api/v8.1/system/about", None).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_bearer_scheme_may_be_lower_case() {
    let app = TestApp::spawn_azure().await;
    let login = app.azure_login("administrator").await;
    let response = app.azure_get("/api/v8/system/about", Some(&format!("bearer {}", login.access))).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_expired_or_refresh_bearer_is_refused() {
    // Arrange
    let app = TestApp::spawn_azure().await;
    let login = app.azure_login("administrator").await;

    // Act
    let refresh_as_bearer =
        app.azure_get("/api/v8.1/system/about", Some(&format!("Bearer {}", login.refresh))).await;
    app.server.clock().advance(Duration::from_secs(3600));
    let expired = app.azure_get("/api/v8.1/system/about", Some(&login.bearer())).await;

    // Assert
    assert_eq!(refresh_as_bearer.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        expired.headers()["www-authenticate"],
        r#"Bearer error="invalid_token", error_description="The token expired at '08/07/2024 16:56:22'""#
    );
}

#[tokio::test]
async fn logout_answers_204_and_kills_both_tokens() {
    // Arrange
    let app = TestApp::spawn_azure().await;
    let login = app.azure_login("administrator").await;

    // Act
    let response = app.azure_logout(Some(&login.access)).await;

    // Assert
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(response.text().await.expect("body"), "");
    let about = app.azure_get("/api/v8.1/system/about", Some(&login.bearer())).await;
    assert_eq!(about.status(), StatusCode::UNAUTHORIZED);
    let refresh = app.azure_refresh(&login.refresh).await;
    assert_problem(refresh, StatusCode::UNAUTHORIZED, &refused("The refresh token has been revoked.")).await;
    assert_eq!(app.azure_logout(Some(&login.access)).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logout_without_a_bearer_is_a_401_problem() {
    let app = TestApp::spawn_azure().await;
    let response = app.azure_logout(None).await;
    assert_problem(
        response,
        StatusCode::UNAUTHORIZED,
        r#"{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.2","title":"Unauthorized","status":401,"traceId":"TRACE"}"#,
    )
    .await;
}

#[tokio::test]
async fn the_default_scenario_has_the_two_azure_users() {
    // Arrange
    let app = TestApp::spawn_with(veeam_auth_mock::DEFAULT_SCENARIO_TOML).await;

    // Act
    let admin = app.azure_login("administrator").await;
    let challenge: serde_json::Value = app
        .azure_token(&[("username", "mfa-operator"), ("password", "PassWord1")])
        .await
        .json()
        .await
        .expect("JSON");

    // Assert
    assert_eq!(admin.body["roleName"], "PortalAdmin");
    let token = challenge["mfa_token"].as_str().expect("a challenge");
    let response =
        app.azure_token(&[("grant_type", "Mfa"), ("mfa_token", token), ("mfa_code", "123456")]).await;
    assert_eq!(response.status(), StatusCode::OK);
}
