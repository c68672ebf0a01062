//! The sample scenarios for common test situations (`scenarios/*.toml`), each doing what its
//! comments promise.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{Login, TestApp, assert_401_empty};

const VB365_LOGIN: [(&str, &str); 4] = [
    ("grant_type", "password"),
    ("username", "Administrator"),
    ("password", "PassWord1"),
    ("disable_antiforgery_token", "true"),
];
const AZURE_LOGIN: [(&str, &str); 3] =
    [("grant_type", "Password"), ("username", "administrator"), ("password", "PassWord1")];

#[tokio::test]
async fn flaky_token_fails_the_first_and_every_fourth_login() {
    let app = TestApp::spawn_with(include_str!("../../scenarios/flaky-token.toml")).await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(app.post_token(&VB365_LOGIN).await.status().as_u16());
    }
    assert_eq!(statuses, [503, 200, 200, 500, 200, 200, 200, 500]);

    assert_eq!(app.azure_token(&AZURE_LOGIN).await.status(), StatusCode::OK);
    let throttled = app.azure_token(&AZURE_LOGIN).await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(throttled.headers()["retry-after"], "5");
    assert_eq!(app.azure_token(&AZURE_LOGIN).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn expiring_sessions_end_on_the_scenario_clock() {
    let app = TestApp::spawn_with(include_str!("../../scenarios/expiring-sessions.toml")).await;
    let login = app.login(true).await;
    assert_eq!(login.body["expires_in"], 120);
    assert_eq!(app.service_instance_as(&login).await.status(), StatusCode::OK);
    assert_eq!(app.service_instance_as(&login).await.status(), StatusCode::OK);
    let challenge = assert_401_empty(app.service_instance_as(&login).await).await;
    assert!(challenge.contains("expired"), "the third call finds its token expired: {challenge}");

    let renewed = Login::read(app.refresh(&login.refresh, None).await).await;
    app.server.clock().advance(Duration::from_secs(3 * 60));
    assert_401_empty(app.service_instance_as(&renewed).await).await;
    app.server.clock().advance(Duration::from_secs(3 * 60));
    let refused = app.refresh(&renewed.refresh, None).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "the refresh token is gone after 5 minutes");
}

#[tokio::test]
async fn mfa_lockout_refuses_every_mfa_call_after_the_third() {
    let app = TestApp::spawn_with(include_str!("../../scenarios/mfa-lockout.toml")).await;
    let challenge = |app: &TestApp| {
        let client = app.client.clone();
        let url = app.url("/api/oauth2/token");
        async move {
            let form = [("grant_type", "Password"), ("username", "mfa-operator"), ("password", "PassWord1")];
            let body: Value =
                client.post(url).form(&form).send().await.expect("sent").json().await.expect("JSON");
            body["mfa_token"].as_str().expect("a challenge").to_owned()
        }
    };
    let mut statuses = Vec::new();
    for code in ["000000", "111111", "123456", "123456"] {
        let token = challenge(&app).await;
        let response =
            app.azure_token(&[("grant_type", "Mfa"), ("mfa_token", &token), ("mfa_code", code)]).await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(response.headers()["retry-after"], "300");
        }
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [401, 401, 200, 429], "locked out after three attempts, even with the right code");

    app.server.reset();
    let token = challenge(&app).await;
    let response =
        app.azure_token(&[("grant_type", "Mfa"), ("mfa_token", &token), ("mfa_code", "123456")]).await;
    assert_eq!(response.status(), StatusCode::OK, "a reset unlocks");
}

#[tokio::test]
async fn slow_server_delays_tokens_longer_than_other_calls() {
    let app = TestApp::spawn_with(include_str!("../../scenarios/slow-server.toml")).await;
    let impatient = reqwest::Client::builder().timeout(Duration::from_millis(250)).build().expect("client");
    let patient = reqwest::Client::builder().timeout(Duration::from_millis(2000)).build().expect("client");

    let error = impatient.get(app.url("/v8/ServiceInstance")).send().await.expect_err("500 ms is too long");
    assert!(error.is_timeout(), "{error:?}");
    let answered = patient.get(app.url("/v8/ServiceInstance")).send().await.expect("answered within 2 s");
    assert_eq!(answered.status(), StatusCode::UNAUTHORIZED);
    let error =
        patient.post(app.url("/v8/token")).form(&VB365_LOGIN).send().await.expect_err("3 s is too long");
    assert!(error.is_timeout(), "{error:?}");
    let health = impatient.get(app.url("/__mock/health")).send().await.expect("the admin API is not delayed");
    assert_eq!(health.status(), StatusCode::OK);
}
