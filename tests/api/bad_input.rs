//! Bad input to the token endpoint and unknown paths: a JSON error in the product's shape,
//! never an actix text page, and the mock's state unharmed.

use reqwest::StatusCode;

use crate::helpers::{TestApp, assert_error};

const VALIDATION: Option<&str> = Some("ParameterValidationFailure");

#[tokio::test]
async fn a_wrong_password_or_unknown_user_is_refused_with_400() {
    let app = TestApp::spawn().await;
    for (username, password) in
        [("Administrator", "wrong"), ("Administrator", "password1"), ("nobody", "PassWord1")]
    {
        let response = app
            .post_token(&[("grant_type", "password"), ("username", username), ("password", password)])
            .await;
        assert_error(response, StatusCode::BAD_REQUEST, "The user name or password is incorrect.", None)
            .await;
    }
}

#[tokio::test]
async fn missing_credentials_name_the_missing_field() {
    let app = TestApp::spawn().await;

    let no_user = app.post_token(&[("grant_type", "password"), ("password", "PassWord1")]).await;
    let empty_password =
        app.post_token(&[("grant_type", "password"), ("username", "Administrator"), ("password", "")]).await;

    assert_error(no_user, StatusCode::BAD_REQUEST, "The username field is required.", VALIDATION).await;
    assert_error(empty_password, StatusCode::BAD_REQUEST, "The password field is required.", VALIDATION)
        .await;
}

#[tokio::test]
async fn an_unknown_or_missing_grant_is_refused() {
    let app = TestApp::spawn().await;

    let unknown = app.post_token(&[("grant_type", "client_credentials")]).await;
    let missing = app.post_token(&[("username", "Administrator")]).await;

    assert_error(
        unknown,
        StatusCode::BAD_REQUEST,
        "Unsupported grant type: 'client_credentials'.",
        VALIDATION,
    )
    .await;
    assert_error(missing, StatusCode::BAD_REQUEST, "The grant_type field is required.", VALIDATION).await;
}

#[tokio::test]
async fn a_wrong_content_type_gets_415() {
    let app = TestApp::spawn().await;

    let response = app.post_token_raw("text/plain", "grant_type=password").await;

    assert_error(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "Unsupported content type 'text/plain'. Send application/x-www-form-urlencoded or application/json.",
        VALIDATION,
    )
    .await;
}

#[tokio::test]
async fn malformed_json_gets_400() {
    let app = TestApp::spawn().await;

    let broken = app.post_token_raw("application/json", r#"{"grant_type":"#).await;
    let not_object = app.post_token_raw("application/json", r#"["password"]"#).await;
    let wrong_type =
        app.post_token_raw("application/json", r#"{"grant_type":"password","username":1}"#).await;

    assert_eq!(broken.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = broken.json().await.expect("JSON");
    assert!(body["message"].as_str().expect("message").starts_with("The request body is not valid JSON"));
    assert_eq!(body["errorCode"], "ParameterValidationFailure");
    assert_error(
        not_object,
        StatusCode::BAD_REQUEST,
        "The request body is not valid JSON: the body must be a JSON object.",
        VALIDATION,
    )
    .await;
    assert_error(
        wrong_type,
        StatusCode::BAD_REQUEST,
        "The field username must be a string, not a number.",
        VALIDATION,
    )
    .await;
}

#[tokio::test]
async fn a_garbage_antiforgery_flag_gets_400() {
    let app = TestApp::spawn().await;

    let response = app
        .post_token(&[
            ("grant_type", "password"),
            ("username", "Administrator"),
            ("password", "PassWord1"),
            ("disable_antiforgery_token", "yes"),
        ])
        .await;

    assert_error(
        response,
        StatusCode::BAD_REQUEST,
        "The value 'yes' is not valid for disable_antiforgery_token.",
        VALIDATION,
    )
    .await;
}

#[tokio::test]
async fn an_oversized_body_gets_413_and_the_server_keeps_working() {
    let app = TestApp::spawn().await;
    let huge = format!("grant_type=password&padding={}", "x".repeat(100 * 1024));

    let response = app.post_token_raw("application/x-www-form-urlencoded", huge).await;

    assert_error(
        response,
        StatusCode::PAYLOAD_TOO_LARGE,
        "The request body is larger than 65536 bytes.",
        VALIDATION,
    )
    .await;
    app.login(true).await;
}

#[tokio::test]
async fn unknown_paths_get_404_and_wrong_methods_405_in_the_product_shape() {
    let app = TestApp::spawn().await;

    let unknown = app.client.get(app.url("/v8/NoSuchThing")).send().await.expect("sent");
    let unserved = app.client.post(app.url("/v99/token")).send().await.expect("sent");
    let wrong_method = app.client.get(app.url("/v8/token")).send().await.expect("sent");

    assert_error(
        unknown,
        StatusCode::NOT_FOUND,
        "The requested resource was not found: GET /v8/NoSuchThing",
        Some("ResourceNotFound"),
    )
    .await;
    assert_error(
        unserved,
        StatusCode::NOT_FOUND,
        "The requested resource was not found: POST /v99/token",
        Some("ResourceNotFound"),
    )
    .await;
    assert_eq!(wrong_method.headers()["allow"], "POST");
    assert_error(
        wrong_method,
        StatusCode::METHOD_NOT_ALLOWED,
        "The HTTP method GET is not supported for /v8/token.",
        Some("HttpError"),
    )
    .await;
}

#[tokio::test]
async fn an_anonymous_probe_of_an_unserved_version_gets_404_not_401() {
    let app = TestApp::spawn().await;

    let served = app.client.get(app.url("/v8/ServiceInstance")).send().await.expect("sent");
    let unserved = app.client.get(app.url("/v42/ServiceInstance")).send().await.expect("sent");

    assert_eq!(served.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unserved.status(), StatusCode::NOT_FOUND);
}
