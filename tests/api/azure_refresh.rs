//! VBAzure `grant_type=Refresh_token`: rotation, kinds, lifetimes and short-lived refresh.

use std::time::Duration;

use reqwest::StatusCode;

use crate::azure_helpers::{AzureLogin, NOW, assert_problem, claims, refused};
use crate::helpers::TestApp;

#[tokio::test]
async fn a_refresh_gives_a_new_pair_and_the_old_refresh_token_is_refused_afterwards() {
    // Arrange
    let app = TestApp::spawn_azure().await;
    let first = app.azure_login("administrator").await;
    app.server.clock().advance(Duration::from_secs(600));

    // Act
    let response = app.azure_refresh(&first.refresh).await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let second = AzureLogin::read(response).await;
    assert_ne!(claims(&second.access)["jti"], claims(&first.access)["jti"]);
    assert_eq!(claims(&second.access)["iat"], NOW + 600);
    assert_eq!(second.body[".issued"], "2024-08-07T16:06:22.9188632Z");
    let again = app.azure_refresh(&first.refresh).await;
    assert_problem(again, StatusCode::UNAUTHORIZED, &refused("The refresh token has already been used."))
        .await;
    let ok = app.azure_refresh(&second.refresh).await;
    assert_eq!(ok.status(), StatusCode::OK);
}

#[tokio::test]
async fn without_rotation_the_old_refresh_token_still_works() {
    let app = TestApp::spawn_azure_with("refresh_rotation = false").await;
    let login = app.azure_login("administrator").await;
    assert_eq!(app.azure_refresh(&login.refresh).await.status(), StatusCode::OK);
    assert_eq!(app.azure_refresh(&login.refresh).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_access_token_or_garbage_offered_as_a_refresh_token_is_refused() {
    // Arrange
    let app = TestApp::spawn_azure().await;
    let login = app.azure_login("administrator").await;

    // Act / Assert
    for token in [login.access.as_str(), "not-a-token"] {
        let response = app.azure_refresh(token).await;
        assert_problem(response, StatusCode::UNAUTHORIZED, &refused("The refresh token is invalid.")).await;
    }
}

#[tokio::test]
async fn a_refresh_token_lives_fourteen_days() {
    // Arrange
    let app = TestApp::spawn_azure().await;
    let login = app.azure_login("administrator").await;

    // Act
    app.server.clock().advance(Duration::from_secs(14 * 86_400));
    let response = app.azure_refresh(&login.refresh).await;

    // Assert
    assert_problem(response, StatusCode::UNAUTHORIZED, &refused("The refresh token has expired.")).await;
}

#[tokio::test]
async fn a_short_lived_login_gets_a_sixty_minute_refresh_token_and_says_so() {
    // Arrange
    let app = TestApp::spawn_azure().await;

    // Act
    let response = app
        .azure_token(&[
            ("grant_type", "Password"),
            ("username", "administrator"),
            ("password", "PassWord1"),
            ("short_lived_refresh_token", "true"),
        ])
        .await;

    // Assert
    let login = AzureLogin::read(response).await;
    assert_eq!(login.body["shortLived"], true);
    assert_eq!(claims(&login.refresh)["exp"], NOW + 3600);
    app.server.clock().advance(Duration::from_secs(59 * 60));
    let refreshed = AzureLogin::read(app.azure_refresh(&login.refresh).await).await;
    assert_eq!(refreshed.body["shortLived"], true, "the session stays short-lived");
    app.server.clock().advance(Duration::from_secs(3600));
    let late = app.azure_refresh(&refreshed.refresh).await;
    assert_problem(late, StatusCode::UNAUTHORIZED, &refused("The refresh token has expired.")).await;
}

#[tokio::test]
async fn the_short_refresh_lifetime_is_a_scenario_setting() {
    let app = TestApp::spawn_azure_with("short_refresh_token_lifetime = \"15m\"").await;
    let response = app
        .azure_token(&[
            ("username", "administrator"),
            ("password", "PassWord1"),
            ("short_lived_refresh_token", "True"),
        ])
        .await;
    let login = AzureLogin::read(response).await;
    assert_eq!(claims(&login.refresh)["exp"], NOW + 15 * 60);
}
