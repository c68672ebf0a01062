//! The grants beyond password and refresh: jwt-bearer (tenants), operator and integration.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::{
    ASSERTION, JWT_BEARER, OPERATOR_CLIENT_ID, TestApp, WORLD, assert_body, assert_error, jwt_part,
};

fn claims(token: &str) -> Value {
    serde_json::from_str(&jwt_part(token, 1)).expect("JSON claims")
}

#[tokio::test]
async fn a_tenant_signs_in_with_jwt_bearer_and_the_token_names_it() {
    let app = TestApp::spawn_with(WORLD).await;

    let login = app.tenant("v8").await;

    let claims = claims(&login.access);
    assert_eq!(
        claims["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"],
        "admin@contoso.onmicrosoft.com"
    );
    assert_eq!(claims["credentialType"], "JwtBearer");
    assert_eq!(login.body["userName"], "admin@contoso.onmicrosoft.com");
}

#[tokio::test]
async fn jwt_bearer_refuses_an_unknown_client_or_a_malformed_assertion() {
    let app = TestApp::spawn_with(WORLD).await;
    let attempt = async |client_id: &str, assertion: &str| {
        let form = [("grant_type", JWT_BEARER), ("client_id", client_id), ("assertion", assertion)];
        app.post_token_at("v8", &form).await
    };

    let unknown = attempt("nobody.onmicrosoft.com", ASSERTION).await;
    let malformed = attempt("contoso.onmicrosoft.com", "not json").await;
    let missing = app.post_token_at("v8", &[("grant_type", JWT_BEARER), ("assertion", ASSERTION)]).await;

    assert_error(unknown, StatusCode::BAD_REQUEST, "The user name or password is incorrect.", None).await;
    assert_error(malformed, StatusCode::BAD_REQUEST, "The assertion is not valid.", None).await;
    assert_error(
        missing,
        StatusCode::BAD_REQUEST,
        "The client_id field is required.",
        Some("ParameterValidationFailure"),
    )
    .await;
}

#[tokio::test]
async fn a_scripted_assertion_must_match_exactly() {
    let app = TestApp::spawn_with(WORLD).await;
    let attempt = async |assertion: &str| {
        app.post_token_at(
            "v8",
            &[
                ("grant_type", JWT_BEARER),
                ("client_id", "fabrikam.onmicrosoft.com"),
                ("assertion", assertion),
            ],
        )
        .await
    };

    assert_eq!(attempt(r#"{"access_token":"exact"}"#).await.status(), StatusCode::OK);
    assert_eq!(attempt(ASSERTION).await.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_operator_signs_in_with_the_operator_grant_from_v6() {
    let app = TestApp::spawn_with(WORLD).await;
    let form = [("grant_type", "operator"), ("client_id", OPERATOR_CLIENT_ID), ("assertion", ASSERTION)];

    let login = app.operator("v6").await;
    let too_early = app.post_token_at("v5", &form).await;
    let as_tenant = app
        .post_token_at(
            "v8",
            &[("grant_type", JWT_BEARER), ("client_id", OPERATOR_CLIENT_ID), ("assertion", ASSERTION)],
        )
        .await;

    assert_eq!(claims(&login.access)["credentialType"], "Operator");
    assert_body(too_early, StatusCode::BAD_REQUEST, r#"{"error":"unsupported_grant_type"}"#).await;
    assert_eq!(as_tenant.status(), StatusCode::BAD_REQUEST, "an operator's client_id is not a tenant's");
}

#[tokio::test]
async fn the_integration_grant_exists_on_v6_and_v7_only() {
    let app = TestApp::spawn_with(WORLD).await;
    let form = [("grant_type", "integration"), ("integration_token", "integration-secret")];

    let v7 = app.sign_in("v7", &form).await;
    let v8 = app.post_token_at("v8", &form).await;
    let wrong =
        app.post_token_at("v6", &[("grant_type", "integration"), ("integration_token", "nope")]).await;

    assert_eq!(claims(&v7.access)["credentialType"], "Integration");
    assert_eq!(v7.body["userName"], "Administrator");
    assert_error(
        v8,
        StatusCode::BAD_REQUEST,
        "Unsupported grant type: 'integration'.",
        Some("ParameterValidationFailure"),
    )
    .await;
    assert_body(wrong, StatusCode::BAD_REQUEST, r#"{"message":"The user name or password is incorrect."}"#)
        .await;
}

#[tokio::test]
async fn tokens_from_each_grant_refresh_and_call() {
    let app = TestApp::spawn_with(WORLD).await;
    for login in [app.admin("v8").await, app.tenant("v8").await, app.operator("v8").await] {
        let renewed = app.refresh(&login.refresh, None).await;
        assert_eq!(renewed.status(), StatusCode::OK);
        let renewed = crate::helpers::Login::read(renewed).await;
        assert_eq!(claims(&renewed.access)["credentialType"], claims(&login.access)["credentialType"]);
        let call = app.call(Method::GET, "/v8/ServiceInstance", Some(&renewed), None).await;
        assert_eq!(call.status(), StatusCode::OK);
    }
}
