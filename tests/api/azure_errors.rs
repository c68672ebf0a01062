//! VBAzure's problem+json bodies, byte by byte, for each status the contract lists.

use reqwest::StatusCode;

use crate::azure_helpers::assert_problem;
use crate::helpers::TestApp;

#[tokio::test]
async fn a_json_token_request_gets_a_415_problem() {
    // Arrange
    let app = TestApp::spawn_azure().await;

    // Act
    let response = app
        .client
        .post(app.url("/api/oauth2/token"))
        .header("Content-Type", "application/json")
        .body(r#"{"grant_type":"Password","username":"administrator","password":"PassWord1"}"#)
        .send()
        .await
        .expect("sent");

    // Assert
    assert_problem(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        r#"{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.16","title":"Unsupported Media Type","status":415,"traceId":"TRACE"}"#,
    )
    .await;
}

#[tokio::test]
async fn an_oversized_token_request_gets_a_413_problem() {
    let app = TestApp::spawn_azure().await;
    let response = app
        .client
        .post(app.url("/api/oauth2/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("grant_type=Password&username={}", "a".repeat(70_000)))
        .send()
        .await
        .expect("sent");
    assert_problem(
        response,
        StatusCode::PAYLOAD_TOO_LARGE,
        r#"{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.14","title":"Content Too Large","status":413,"detail":"The request body is larger than 65536 bytes.","traceId":"TRACE"}"#,
    )
    .await;
}

#[tokio::test]
async fn an_unknown_path_under_api_gets_a_404_problem() {
    let app = TestApp::spawn_azure().await;
    let response = app.azure_get("/api/v8.1/NoSuchThing", None).await;
    assert_problem(
        response,
        StatusCode::NOT_FOUND,
        r#"{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.5","title":"Not Found","status":404,"detail":"The requested resource was not found.","instance":"/api/v8.1/NoSuchThing","traceId":"TRACE"}"#,
    )
    .await;
}

#[tokio::test]
async fn an_anonymous_protected_call_gets_a_401_problem_and_a_bearer_challenge() {
    // Arrange
    let app = TestApp::spawn_azure().await;

    // Act
    let response = app.azure_get("/api/v8.1/system/about", None).await;

    // Assert
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    assert_problem(
        response,
        StatusCode::UNAUTHORIZED,
        r#"{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.2","title":"Unauthorized","status":401,"traceId":"TRACE"}"#,
    )
    .await;
}

#[tokio::test]
async fn the_scenario_can_make_401s_empty_like_jwt_bearer_does() {
    let app = TestApp::spawn_azure_with("unauthorized_body = \"empty\"").await;
    let response = app.azure_get("/api/v8.1/system/about", Some("Bearer nope")).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()["www-authenticate"], r#"Bearer error="invalid_token""#);
    assert_eq!(response.text().await.expect("body"), "");
}

#[tokio::test]
async fn a_role_that_may_not_call_an_endpoint_gets_a_403_problem() {
    // Arrange
    let app = TestApp::spawn_azure().await;
    let login = app.azure_login("restore").await;

    // Act
    let response = app.azure_get("/api/v8.1/system/serverInfo", Some(&login.bearer())).await;

    // Assert
    assert_problem(
        response,
        StatusCode::FORBIDDEN,
        r#"{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.4","title":"Forbidden","status":403,"traceId":"TRACE"}"#,
    )
    .await;
}

#[tokio::test]
async fn before_the_licence_is_accepted_protected_calls_get_a_403_asking_for_it() {
    // Arrange
    let app = TestApp::spawn_with(
        &crate::azure_helpers::AZURE
            .replace("license_agreement_accepted = true", "license_agreement_accepted = false"),
    )
    .await;
    let login = app.azure_login("administrator").await;

    // Act
    let gated = app.azure_get("/api/v8.1/system/about", Some(&login.bearer())).await;

    // Assert
    assert_problem(
        gated,
        StatusCode::FORBIDDEN,
        r#"{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.4","title":"Forbidden","status":403,"traceId":"TRACE","licenseAgreementAcceptanceRequired":true}"#,
    )
    .await;
    let accepted = app.azure_get("/api/v8.1/licenseAgreement/accepted", Some(&login.bearer())).await;
    assert_eq!(accepted.text().await.expect("body"), "false");
    let accept = app
        .client
        .post(app.url("/api/v8.1/licenseAgreement/accept"))
        .header("Authorization", login.bearer())
        .json(&serde_json::json!([]))
        .send()
        .await
        .expect("sent");
    assert_eq!(accept.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.azure_get("/api/v8.1/system/about", Some(&login.bearer())).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_wrong_method_on_the_token_endpoint_gets_a_405_problem() {
    let app = TestApp::spawn_azure().await;
    let response = app.azure_get("/api/oauth2/token", None).await;
    assert_eq!(response.headers()["allow"], "POST, DELETE");
    assert_problem(
        response,
        StatusCode::METHOD_NOT_ALLOWED,
        r#"{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.6","title":"Method Not Allowed","status":405,"traceId":"TRACE"}"#,
    )
    .await;
}

#[tokio::test]
async fn vb365_paths_keep_their_own_error_format() {
    let app = TestApp::spawn_azure().await;
    let response = app.azure_get("/v8/NoSuchThing", None).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.headers()["content-type"], "application/json; charset=utf-8");
}
