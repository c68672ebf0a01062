//! Protected calls with a bad bearer: 401 with an empty body, whatever is wrong with it.

use std::time::Duration;

use reqwest::StatusCode;

use crate::helpers::{TestApp, assert_401_empty};

#[tokio::test]
async fn a_missing_bearer_gets_401_with_an_empty_body() {
    let app = TestApp::spawn().await;

    let challenge = assert_401_empty(app.service_instance(None, None).await).await;

    assert_eq!(challenge, "Bearer");
}

#[tokio::test]
async fn malformed_or_foreign_authorization_headers_get_401() {
    let app = TestApp::spawn().await;
    let login = app.login(true).await;
    for value in ["Bearer", "Bearer ", "Basic QWRtaW5pc3RyYXRvcjpQYXNzV29yZDE=", "garbage", &login.access] {
        let challenge = assert_401_empty(app.service_instance(Some(value), None).await).await;
        assert!(challenge.starts_with("Bearer"), "{value}: {challenge}");
    }
}

#[tokio::test]
async fn a_tampered_token_gets_401() {
    let app = TestApp::spawn().await;
    let login = app.login(true).await;
    // Change one character of the payload: the token is no longer one the mock issued.
    let mut tampered = login.access.clone().into_bytes();
    let middle = login.access.find('.').expect("JWT") + 10;
    tampered[middle] = if tampered[middle] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).expect("ASCII");

    let response = app.service_instance(Some(&format!("Bearer {tampered}")), None).await;

    assert_eq!(assert_401_empty(response).await, r#"Bearer error="invalid_token""#);
}

#[tokio::test]
async fn an_access_token_expires_after_sixty_minutes_on_the_fake_clock() {
    // Arrange
    let app = TestApp::spawn().await;
    let login = app.login(true).await;
    app.server.clock().advance(Duration::from_secs(59 * 60));
    assert_eq!(app.service_instance_as(&login).await.status(), StatusCode::OK);

    // Act
    app.server.clock().advance(Duration::from_secs(2 * 60));
    let response = app.service_instance_as(&login).await;

    // Assert
    let challenge = assert_401_empty(response).await;
    assert_eq!(
        challenge,
        r#"Bearer error="invalid_token", error_description="The token expired at '08/07/2024 16:56:22'""#
    );
}

#[tokio::test]
async fn a_refresh_token_is_not_a_bearer() {
    let app = TestApp::spawn().await;
    let login = app.login(true).await;

    let response = app.service_instance(Some(&format!("Bearer {}", login.refresh)), None).await;

    assert_401_empty(response).await;
}

#[tokio::test]
async fn the_old_access_token_keeps_working_after_a_refresh_until_it_expires() {
    // The product's access tokens are self-contained JWTs: a refresh does not recall them.
    let app = TestApp::spawn().await;
    let login = app.login(true).await;
    assert_eq!(app.refresh(&login.refresh, None).await.status(), StatusCode::OK);

    assert_eq!(app.service_instance_as(&login).await.status(), StatusCode::OK);
}
