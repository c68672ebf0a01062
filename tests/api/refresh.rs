//! `grant_type=refresh_token`: a new pair, rotation, and the refusals.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{Login, TestApp, assert_error, jwt_part};

#[tokio::test]
async fn a_refresh_gives_a_new_pair_that_works() {
    // Arrange
    let app = TestApp::spawn().await;
    let first = app.login(true).await;
    app.server.clock().advance(Duration::from_secs(600));

    // Act
    let response = app.refresh(&first.refresh, None).await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let second = Login::read(response).await;
    assert_ne!(second.access, first.access);
    assert_ne!(second.refresh, first.refresh);
    assert_eq!(second.body[".issued"], "2024-08-07T16:06:22.9188632Z");
    let (old, new): (Value, Value) = (
        serde_json::from_str(&jwt_part(&first.access, 1)).expect("JSON"),
        serde_json::from_str(&jwt_part(&second.access, 1)).expect("JSON"),
    );
    assert_ne!(new["jti"], old["jti"], "each pair has its own jti");
    assert_eq!(new["credentialKey"], old["credentialKey"], "the login's credential key is kept");
    assert_eq!(app.service_instance_as(&second).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_old_refresh_token_is_refused_after_a_refresh() {
    let app = TestApp::spawn().await;
    let first = app.login(true).await;
    assert_eq!(app.refresh(&first.refresh, None).await.status(), StatusCode::OK);

    let replay = app.refresh(&first.refresh, None).await;

    assert_error(replay, StatusCode::BAD_REQUEST, "The refresh token has already been used.", None).await;
}

#[tokio::test]
async fn an_access_token_offered_as_a_refresh_token_is_refused() {
    let app = TestApp::spawn().await;
    let login = app.login(true).await;

    let response = app.refresh(&login.access, None).await;

    assert_error(response, StatusCode::BAD_REQUEST, "The refresh token is invalid.", None).await;
}

#[tokio::test]
async fn a_refresh_token_expires_an_hour_after_its_access_token() {
    // Arrange: two logins at the same instant; their refresh tokens last 2 h.
    let app = TestApp::spawn().await;
    let (first, second) = (app.login(true).await, app.login(true).await);

    // Act
    app.server.clock().advance(Duration::from_secs(2 * 3600 - 1));
    let just_in_time = app.refresh(&first.refresh, None).await;
    app.server.clock().advance(Duration::from_secs(1));
    let too_late = app.refresh(&second.refresh, None).await;

    // Assert
    assert_eq!(just_in_time.status(), StatusCode::OK);
    assert_error(too_late, StatusCode::BAD_REQUEST, "The refresh token has expired.", None).await;
}

#[tokio::test]
async fn a_garbage_or_missing_refresh_token_is_refused() {
    let app = TestApp::spawn().await;

    let garbage = app.refresh("not-a-token", None).await;
    let missing = app.post_token(&[("grant_type", "refresh_token")]).await;

    assert_error(garbage, StatusCode::BAD_REQUEST, "The refresh token is invalid.", None).await;
    assert_error(
        missing,
        StatusCode::BAD_REQUEST,
        "The refresh_token field is required.",
        Some("ParameterValidationFailure"),
    )
    .await;
}

#[tokio::test]
async fn the_refusal_status_comes_from_the_scenario() {
    let scenario = format!("{}\n[vb365]\ntoken_error_status = 401\n", crate::helpers::FROZEN);
    let app = TestApp::spawn_with(&scenario).await;

    let response = app.refresh("not-a-token", None).await;

    assert_error(response, StatusCode::UNAUTHORIZED, "The refresh token is invalid.", None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_many_concurrent_refreshes_with_one_token_exactly_one_succeeds() {
    // Arrange
    let app = TestApp::spawn().await;
    let login = app.login(true).await;

    // Act: 20 refreshes with the same token, all in flight at once.
    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let (client, url, token) = (app.client.clone(), app.url("/v8/token"), login.refresh.clone());
        requests.spawn(async move {
            let form = [("grant_type", "refresh_token"), ("refresh_token", token.as_str())];
            client.post(url).form(&form).send().await.expect("sent").status()
        });
    }
    let statuses = requests.join_all().await;

    // Assert
    assert_eq!(statuses.iter().filter(|status| **status == StatusCode::OK).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::OK || *s == StatusCode::BAD_REQUEST), "{statuses:?}");
}
