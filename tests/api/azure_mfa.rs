//! VBAzure two-step MFA: the challenge, then `grant_type=Mfa` with a fixed, scratch or TOTP code.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::StatusCode;
use serde_json::Value;

use crate::azure_helpers::{AzureLogin, NOW, TOTP_KEY, assert_problem, refused, totp};
use crate::helpers::TestApp;

/// The password step for `mfa-operator`; returns the `mfa_token`.
async fn challenge(app: &TestApp) -> String {
    let response = app
        .azure_token(&[("grant_type", "Password"), ("username", "mfa-operator"), ("password", "PassWord1")])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("JSON");
    body["mfa_token"].as_str().expect("an mfa_token").to_owned()
}

async fn answer(app: &TestApp, token: &str, code: &str) -> reqwest::Response {
    app.azure_token(&[("grant_type", "Mfa"), ("mfa_token", token), ("mfa_code", code)]).await
}

#[tokio::test]
async fn a_user_with_mfa_gets_a_challenge_without_tokens() {
    // Arrange
    let app = TestApp::spawn_azure().await;

    // Act
    let response = app
        .azure_token(&[("grant_type", "password"), ("username", "mfa-operator"), ("password", "PassWord1")])
        .await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("body");
    let body: Value = serde_json::from_str(&text).expect("JSON");
    let token = body["mfa_token"].as_str().expect("mfa_token");
    let id = body["userId"].as_str().expect("userId");
    assert_eq!(
        text,
        format!(
            r#"{{"token_type":"bearer","expires_in":0,".issued":"0001-01-01T00:00:00Z",".expires":"0001-01-01T00:00:00Z","userId":"{id}","username":"mfa-operator","roleName":"PortalOperator","userType":"Internal","latestNewsShown":true,"mfa_enabled":true,"mfa_token":"{token}","shortLived":false}}"#
        )
    );
    let hex = String::from_utf8(STANDARD.decode(token).expect("base64")).expect("ASCII");
    assert_eq!(hex.len(), 64);
    assert!(hex.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)), "{hex}");
}

#[tokio::test]
async fn the_right_code_gives_the_normal_body_and_the_token_cannot_be_replayed() {
    // Arrange
    let app = TestApp::spawn_azure().await;
    let token = challenge(&app).await;

    // Act
    let response = answer(&app, &token, "123456").await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let login = AzureLogin::read(response).await;
    assert_eq!(login.body["mfa_enabled"], false);
    assert_eq!(login.body["roleName"], "PortalOperator");
    assert!(login.body.get("mfa_token").is_none());
    assert_eq!(app.azure_get("/api/v8.1/system/about", Some(&login.bearer())).await.status(), StatusCode::OK);
    let replay = answer(&app, &token, "123456").await;
    assert_problem(replay, StatusCode::UNAUTHORIZED, &refused("The MFA token is invalid.")).await;
}

#[tokio::test]
async fn a_wrong_code_is_refused_and_the_challenge_stays_open() {
    // Arrange
    let app = TestApp::spawn_azure().await;
    let token = challenge(&app).await;

    // Act
    let wrong = answer(&app, &token, "000000").await;

    // Assert
    assert_problem(wrong, StatusCode::UNAUTHORIZED, &refused("The verification code is incorrect.")).await;
    assert_eq!(answer(&app, &token, "123456").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_expired_or_unknown_challenge_is_refused() {
    // Arrange
    let app = TestApp::spawn_azure().await;
    let token = challenge(&app).await;

    // Act
    app.server.clock().advance(Duration::from_secs(5 * 60));
    let expired = answer(&app, &token, "123456").await;

    // Assert
    assert_problem(expired, StatusCode::UNAUTHORIZED, &refused("The MFA token has expired.")).await;
    let unknown = answer(&app, "QUJD", "123456").await;
    assert_problem(unknown, StatusCode::UNAUTHORIZED, &refused("The MFA token is invalid.")).await;
}

#[tokio::test]
async fn a_scratch_code_works_once() {
    // Arrange
    let app = TestApp::spawn_azure().await;
    let first = challenge(&app).await;
    let second = challenge(&app).await;

    // Act
    let used = answer(&app, &first, "79529234").await;
    let reused = answer(&app, &second, "79529234").await;

    // Assert
    assert_eq!(used.status(), StatusCode::OK);
    assert_problem(reused, StatusCode::UNAUTHORIZED, &refused("The verification code is incorrect.")).await;
    assert_eq!(answer(&app, &second, "10463853").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_totp_code_follows_the_clock_across_steps_and_is_good_once() {
    // Arrange: the frozen clock is 22 s into its 30-second step.
    let app = TestApp::spawn_azure().await;
    let now_code = totp(TOTP_KEY, NOW);
    let next_code = totp(TOTP_KEY, NOW + 30);

    // Act / Assert: the current code works, once.
    let token = challenge(&app).await;
    assert_eq!(answer(&app, &token, &now_code).await.status(), StatusCode::OK);
    let token = challenge(&app).await;
    let replay = answer(&app, &token, &now_code).await;
    assert_problem(replay, StatusCode::UNAUTHORIZED, &refused("The verification code is incorrect.")).await;

    // The next step's code is accepted once the clock steps into it (or one step early).
    app.server.clock().advance(Duration::from_secs(8));
    assert_eq!(answer(&app, &token, &next_code).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_totp_code_two_steps_away_is_refused_until_the_clock_reaches_it() {
    // Arrange
    let app = TestApp::spawn_azure().await;
    let future_code = totp(TOTP_KEY, NOW + 60);
    let token = challenge(&app).await;

    // Act
    let early = answer(&app, &token, &future_code).await;
    app.server.clock().advance(Duration::from_secs(60));
    let on_time = answer(&app, &token, &future_code).await;

    // Assert
    assert_problem(early, StatusCode::UNAUTHORIZED, &refused("The verification code is incorrect.")).await;
    assert_eq!(on_time.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_short_lived_flag_on_the_password_step_carries_to_the_tokens() {
    let app = TestApp::spawn_azure().await;
    let response = app
        .azure_token(&[
            ("username", "mfa-operator"),
            ("password", "PassWord1"),
            ("short_lived_refresh_token", "true"),
        ])
        .await;
    let body: Value = response.json().await.expect("JSON");
    let login =
        AzureLogin::read(answer(&app, body["mfa_token"].as_str().expect("token"), "123456").await).await;
    assert_eq!(login.body["shortLived"], true);
}

#[tokio::test]
async fn the_mfa_grant_needs_both_fields() {
    let app = TestApp::spawn_azure().await;
    let response = app.azure_token(&[("grant_type", "Mfa")]).await;
    assert_problem(
        response,
        StatusCode::BAD_REQUEST,
        r#"{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,"errors":{"mfa_token":["The mfa_token field is required."],"mfa_code":["The mfa_code field is required."]},"traceId":"TRACE"}"#,
    )
    .await;
}
