//! VBAzure's scripted grants (`Saml`, `SsoToken`, `Updater_token`, `Authentication_code`) and
//! the authorization-code issuer.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use crate::azure_helpers::{AzureLogin, assert_problem, refused};
use crate::helpers::TestApp;

#[tokio::test]
async fn a_listed_saml_response_signs_in_its_identity_provider_user() {
    // Arrange
    let app = TestApp::spawn_azure().await;

    // Act
    let response =
        app.azure_token(&[("grant_type", "Saml"), ("saml_response", "PHNhbWxwOlJlc3BvbnNlPg==")]).await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let login = AzureLogin::read(response).await;
    assert_eq!(login.body["username"], "sso.user@example.com");
    assert_eq!(login.body["userType"], "IdentityProvider");
    assert_eq!(login.body["roleName"], "ReadOnlyUser");
    let wrong = app.azure_token(&[("grant_type", "saml"), ("saml_response", "other")]).await;
    assert_problem(wrong, StatusCode::UNAUTHORIZED, &refused("The saml_response is invalid.")).await;
}

#[tokio::test]
async fn a_single_use_sso_token_works_once() {
    let app = TestApp::spawn_azure().await;
    let form = [("grant_type", "SsoToken"), ("sso_token", "sso-token-1")];
    assert_eq!(app.azure_token(&form).await.status(), StatusCode::OK);
    let again = app.azure_token(&form).await;
    assert_problem(again, StatusCode::UNAUTHORIZED, &refused("The sso_token has already been used.")).await;
}

#[tokio::test]
async fn a_reusable_updater_token_signs_in_its_user_every_time() {
    let app = TestApp::spawn_azure().await;
    let form = [("grant_type", "Updater_token"), ("updater_token", "updater-token-1")];
    for _ in 0..2 {
        let login = AzureLogin::read(app.azure_token(&form).await).await;
        assert_eq!(login.body["username"], "administrator");
    }
    let wrong = app.azure_token(&[("grant_type", "Updater_token"), ("updater_token", "x")]).await;
    assert_problem(wrong, StatusCode::UNAUTHORIZED, &refused("The updater_token is invalid.")).await;
}

#[tokio::test]
async fn a_scripted_authentication_code_is_single_use() {
    let app = TestApp::spawn_azure().await;
    let form = [("grant_type", "Authentication_code"), ("authorization_code", "code-1")];
    assert_eq!(app.azure_token(&form).await.status(), StatusCode::OK);
    let again = app.azure_token(&form).await;
    assert_problem(
        again,
        StatusCode::UNAUTHORIZED,
        &refused("The authorization_code has already been used."),
    )
    .await;
}

async fn issue_code(app: &TestApp, login: &AzureLogin) -> reqwest::Response {
    app.client
        .post(app.url("/api/oauth2/authorization_code"))
        .header("Authorization", login.bearer())
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn an_issued_authorization_code_signs_in_the_caller_once_within_its_lifetime() {
    // Arrange
    let app = TestApp::spawn_azure().await;
    let login = app.azure_login("restore").await;

    // Act
    let response = issue_code(&app, &login).await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("JSON");
    let code = body["code"].as_str().expect("code").to_owned();
    assert_eq!(body, serde_json::json!({ "code": code }));
    let form = [("grant_type", "Authentication_code"), ("authorization_code", code.as_str())];
    let signed_in = AzureLogin::read(app.azure_token(&form).await).await;
    assert_eq!(signed_in.body["username"], "restore");
    let replay = app.azure_token(&form).await;
    assert_problem(replay, StatusCode::UNAUTHORIZED, &refused("The authorization_code is invalid.")).await;
}

#[tokio::test]
async fn an_issued_authorization_code_expires_after_sixty_seconds() {
    let app = TestApp::spawn_azure().await;
    let login = app.azure_login("administrator").await;
    let body: Value = issue_code(&app, &login).await.json().await.expect("JSON");
    app.server.clock().advance(Duration::from_secs(60));
    let form =
        [("grant_type", "Authentication_code"), ("authorization_code", body["code"].as_str().expect("code"))];
    let late = app.azure_token(&form).await;
    assert_problem(late, StatusCode::UNAUTHORIZED, &refused("The authorization_code has expired.")).await;
}

#[tokio::test]
async fn the_issuer_is_absent_unless_the_scenario_enables_it() {
    let app = TestApp::spawn_with(
        crate::azure_helpers::AZURE.replace("enabled = true", "enabled = false").as_str(),
    )
    .await;
    let login = app.azure_login("administrator").await;
    let response = issue_code(&app, &login).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
