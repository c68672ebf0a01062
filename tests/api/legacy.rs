//! The legacy API (v1-v5): OWIN-style opaque tokens, RFC 1123 dates and OAuth errors (seed 001).

use reqwest::{Method, StatusCode};

use crate::helpers::{ASSERTION, JWT_BEARER, TestApp, WORLD, assert_body};

/// Seed 001's request body, byte for byte.
const SEED_BODY: &str = r"grant_type=password&username=tech\administrator&password=PassWord1";

fn token_pattern(token: &str) -> bool {
    token.starts_with("AQAAANCMnd8BFdERjHoAwE_Cl-sBAAAA")
        && token.len() > 500
        && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[tokio::test]
async fn the_seed_001_login_gets_the_owin_response_field_by_field() {
    // Arrange
    let app = TestApp::spawn_with(WORLD).await;

    // Act
    let response = app.post_token_raw_at("v2", SEED_BODY).await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers["cache-control"], "no-cache");
    assert_eq!(headers["pragma"], "no-cache");
    assert_eq!(headers["expires"], "-1");
    assert!(headers.get("set-cookie").is_none());
    let text = response.text().await.expect("body");
    let body: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let (access, refresh) =
        (body["access_token"].as_str().expect("a"), body["refresh_token"].as_str().expect("r"));
    assert!(token_pattern(access) && token_pattern(refresh), "{text}");
    assert_ne!(access, refresh);
    assert_eq!(
        text,
        format!(
            r#"{{"access_token":"{access}","token_type":"bearer","expires_in":3600,"refresh_token":"{refresh}",".issued":"Wed, 07 Aug 2024 15:56:22 GMT",".expires":"Wed, 07 Aug 2024 16:56:22 GMT"}}"#
        )
    );
}

#[tokio::test]
async fn the_seeds_minutes_and_user_name_are_scenario_settings() {
    let scenario =
        WORLD.replace("[vb365]\n", "[vb365]\nlegacy_expires_in = \"minutes\"\nlegacy_user_name = true\n");
    let app = TestApp::spawn_with(&scenario).await;

    let response = app.post_token_raw_at("v2", SEED_BODY).await;

    let text = response.text().await.expect("body");
    assert!(text.contains(r#""expires_in":60,"refresh_token":"#), "{text}");
    assert!(text.contains(r#","userName":"Administrator",".issued":"#), "{text}");
}

#[tokio::test]
async fn wrong_credentials_get_the_authorization_error_pair() {
    let app = TestApp::spawn_with(WORLD).await;

    let response =
        app.post_token_raw_at("v3", "grant_type=password&username=Administrator&password=nope").await;

    assert_body(
        response,
        StatusCode::BAD_REQUEST,
        r#"{"error":"Authorization Error","error_description":"Invalid credential"}"#,
    )
    .await;
}

#[tokio::test]
async fn unknown_grants_and_bad_refresh_tokens_get_oauth_errors() {
    let app = TestApp::spawn_with(WORLD).await;

    let unknown = app.post_token_raw_at("v5", "grant_type=client_credentials").await;
    let missing = app.post_token_raw_at("v5", "username=Administrator").await;
    let too_early =
        app.post_token_at("v3", &[("grant_type", JWT_BEARER), ("client_id", "x"), ("assertion", "y")]).await;
    let bad_refresh = app.post_token_raw_at("v5", "grant_type=refresh_token&refresh_token=AQAAANCMnd8").await;
    let json = app
        .client
        .post(app.url("/v5/token"))
        .json(&serde_json::json!({"grant_type": "password"}))
        .send()
        .await
        .expect("sent");

    for response in [unknown, missing, too_early, json] {
        assert_body(response, StatusCode::BAD_REQUEST, r#"{"error":"unsupported_grant_type"}"#).await;
    }
    assert_body(bad_refresh, StatusCode::BAD_REQUEST, r#"{"error":"invalid_grant"}"#).await;
}

#[tokio::test]
async fn a_legacy_refresh_rotates_the_opaque_pair() {
    let app = TestApp::spawn_with(WORLD).await;
    let first: serde_json::Value = app.post_token_raw_at("v2", SEED_BODY).await.json().await.expect("JSON");
    let refresh = first["refresh_token"].as_str().expect("refresh token");

    let renewed =
        app.post_token_at("v2", &[("grant_type", "refresh_token"), ("refresh_token", refresh)]).await;
    let replayed =
        app.post_token_at("v2", &[("grant_type", "refresh_token"), ("refresh_token", refresh)]).await;

    assert_eq!(renewed.status(), StatusCode::OK);
    let second: serde_json::Value = renewed.json().await.expect("JSON");
    assert!(token_pattern(second["access_token"].as_str().expect("access")));
    assert_ne!(second["access_token"], first["access_token"]);
    assert_body(replayed, StatusCode::BAD_REQUEST, r#"{"error":"invalid_grant"}"#).await;
}

#[tokio::test]
async fn a_refused_legacy_bearer_gets_the_web_api_message() {
    let app = TestApp::spawn_with(WORLD).await;
    let path = "/v5/RestoreSessions/00000000-0000-4000-8000-000000000000";

    let anonymous = app.call(Method::GET, path, None, None).await;

    assert_eq!(anonymous.headers()["www-authenticate"], "Bearer");
    assert_body(
        anonymous,
        StatusCode::UNAUTHORIZED,
        r#"{"message":"Authorization has been denied for this request."}"#,
    )
    .await;
}

#[tokio::test]
async fn tenants_sign_in_with_a_password_only_on_the_legacy_api() {
    let app = TestApp::spawn_with(WORLD).await;
    let form =
        [("grant_type", "password"), ("username", "admin@contoso.onmicrosoft.com"), ("password", "Tenant1!")];

    let legacy = app.post_token_at("v5", &form).await;
    let modern = app.post_token_at("v8", &form).await;

    assert_eq!(legacy.status(), StatusCode::OK);
    assert_eq!(modern.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn jwt_bearer_arrives_with_v4() {
    let app = TestApp::spawn_with(WORLD).await;
    let form =
        [("grant_type", JWT_BEARER), ("client_id", "contoso.onmicrosoft.com"), ("assertion", ASSERTION)];

    let response = app.post_token_at("v4", &form).await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert!(token_pattern(body["access_token"].as_str().expect("access")));
}
