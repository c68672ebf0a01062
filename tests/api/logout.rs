//! `POST /v8/token/logout`: 204, and both tokens of the session are dead afterwards.

use reqwest::StatusCode;

use crate::helpers::{Login, TestApp, assert_401_empty, assert_error};

#[tokio::test]
async fn logout_answers_204_with_an_empty_body() {
    let app = TestApp::spawn().await;
    let login = app.login(true).await;

    let response = app.logout(&login).await;

    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(response.text().await.expect("body"), "");
}

#[tokio::test]
async fn after_logout_the_access_and_refresh_tokens_are_refused() {
    // Arrange: a session with two pairs (login, then refresh).
    let app = TestApp::spawn().await;
    let first = app.login(true).await;
    let second = Login::read(app.refresh(&first.refresh, None).await).await;

    // Act
    assert_eq!(app.logout(&second).await.status(), StatusCode::NO_CONTENT);

    // Assert
    assert_401_empty(app.service_instance_as(&second).await).await;
    assert_401_empty(app.service_instance_as(&first).await).await;
    let refresh = app.refresh(&second.refresh, None).await;
    assert_error(refresh, StatusCode::BAD_REQUEST, "The refresh token has been revoked.", None).await;
    assert_401_empty(app.logout(&second).await).await;
}

#[tokio::test]
async fn logout_needs_a_bearer_and_leaves_other_sessions_alone() {
    let app = TestApp::spawn().await;
    let (mine, theirs) = (app.login(true).await, app.login(true).await);

    let anonymous = app.client.post(app.url("/v8/token/logout")).send().await.expect("sent");
    assert_401_empty(anonymous).await;
    assert_eq!(app.logout(&mine).await.status(), StatusCode::NO_CONTENT);

    assert_eq!(app.service_instance_as(&theirs).await.status(), StatusCode::OK);
}
