//! VBAzure `POST /api/oauth2/token`: the password and refresh grants, the body byte by byte, and
//! the RS512 JWTs claim by claim.

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use reqwest::StatusCode;
use serde_json::Value;
use veeam_auth_mock::keys::{PUBLIC_KEY_PEM, SigningKey};

use crate::azure_helpers::{ADMIN_ID, AzureLogin, EXPIRES, ISSUED, NOW, assert_problem, claims, refused};
use crate::helpers::{TestApp, jwt_part};

#[tokio::test]
async fn a_password_login_returns_the_documented_body_in_order_without_null_members() {
    // Arrange
    let app = TestApp::spawn_azure().await;

    // Act
    let response = app
        .azure_token(&[("username", "administrator"), ("password", "PassWord1"), ("grant_type", "Password")])
        .await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json; charset=utf-8");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let text = response.text().await.expect("body");
    let body: Value = serde_json::from_str(&text).expect("JSON");
    let (access, refresh) =
        (body["access_token"].as_str().expect("a"), body["refresh_token"].as_str().expect("r"));
    let expected = format!(
        r#"{{"access_token":"{access}","token_type":"bearer","refresh_token":"{refresh}","expires_in":3600,".issued":"{ISSUED}",".expires":"{EXPIRES}","userId":"{ADMIN_ID}","username":"administrator","roleName":"PortalAdmin","userType":"Internal","latestNewsShown":true,"mfa_enabled":false,"shortLived":false}}"#
    );
    assert_eq!(text, expected);
}

#[tokio::test]
async fn the_tokens_are_rs512_jwts_sharing_jti_nbf_and_iat_with_per_kind_audiences() {
    // Arrange
    let app = TestApp::spawn_azure().await;

    // Act
    let login = app.azure_login("administrator").await;

    // Assert
    let kid = SigningKey::test_key().kid().to_owned();
    for token in [&login.access, &login.refresh] {
        assert_eq!(jwt_part(token, 0), format!(r#"{{"alg":"RS512","kid":"{kid}","typ":"JWT"}}"#));
    }
    let jti = claims(&login.access)["jti"].as_str().expect("jti").to_owned();
    let payload = |exp: i64, aud: &str| {
        format!(
            r#"{{"jti":"{jti}","nameid":"{ADMIN_ID}","unique_name":"administrator","role":"PortalAdmin","nbf":{NOW},"exp":{exp},"iat":{NOW},"aud":"{aud}"}}"#
        )
    };
    assert_eq!(
        jwt_part(&login.access, 1),
        payload(NOW + 3600, "api/default/5d04c178-edab-464e-b5b7-db96f9c9a99b")
    );
    assert_eq!(
        jwt_part(&login.refresh, 1),
        payload(NOW + 14 * 86_400, "auth/refresh/9a049df6-6ee1-4cc9-98b7-0efd0056607d")
    );
    let key = DecodingKey::from_rsa_pem(PUBLIC_KEY_PEM.as_bytes()).expect("public key");
    let mut validation = Validation::new(Algorithm::RS512);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    jsonwebtoken::decode::<Value>(&login.access, &key, &validation).expect("the signature verifies");
}

#[tokio::test]
async fn lower_case_grants_capitalised_fields_empty_and_unknown_fields_and_a_stale_bearer_are_accepted() {
    // Arrange
    let app = TestApp::spawn_azure().await;

    // Act
    let response = app
        .client
        .post(app.url("/API/OAuth2/Token"))
        .header("Authorization", "Bearer stale.expired.token")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("&Username=administrator&Password=PassWord1&refresh_token=&mfa_token=&mfa_code=&short_lived_refresh_token=&rememberMe=false&use_short_term_refresh=true&grant_type=password")
        .send()
        .await
        .expect("sent");

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let login = AzureLogin::read(response).await;
    assert_eq!(login.body["username"], "administrator");
}

#[tokio::test]
async fn a_missing_grant_type_means_password() {
    let app = TestApp::spawn_azure().await;
    let response = app.azure_token(&[("username", "administrator"), ("password", "PassWord1")]).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_wrong_password_or_unknown_user_gets_a_401_problem_with_a_trace_id() {
    // Arrange
    let app = TestApp::spawn_azure().await;

    for (username, password) in
        [("administrator", "wrong"), ("nobody", "PassWord1"), ("sso.user@example.com", "x")]
    {
        // Act
        let response = app
            .azure_token(&[("grant_type", "Password"), ("username", username), ("password", password)])
            .await;

        // Assert
        assert_problem(
            response,
            StatusCode::UNAUTHORIZED,
            &refused("The user name or password is incorrect."),
        )
        .await;
    }
}

#[tokio::test]
async fn the_scenario_can_make_refusals_400_problems() {
    // Arrange
    let app = TestApp::spawn_azure_with("token_error_status = 400").await;

    // Act
    let response = app
        .azure_token(&[("grant_type", "Password"), ("username", "administrator"), ("password", "no")])
        .await;

    // Assert
    assert_problem(
        response,
        StatusCode::BAD_REQUEST,
        r#"{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"Bad Request","status":400,"detail":"The user name or password is incorrect.","traceId":"TRACE"}"#,
    )
    .await;
}

#[tokio::test]
async fn missing_credentials_and_unknown_grants_are_400_validation_problems() {
    // Arrange
    let app = TestApp::spawn_azure().await;
    let validation = |errors: &str| {
        format!(
            r#"{{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,"errors":{errors},"traceId":"TRACE"}}"#
        )
    };

    // Act / Assert
    let response = app.azure_token(&[("grant_type", "Password")]).await;
    let expected = validation(
        r#"{"username":["The username field is required."],"password":["The password field is required."]}"#,
    );
    assert_problem(response, StatusCode::BAD_REQUEST, &expected).await;

    let response = app.azure_token(&[("grant_type", "client_credentials")]).await;
    let expected =
        validation(r#"{"grant_type":["The value 'client_credentials' is not valid for grant_type."]}"#);
    assert_problem(response, StatusCode::BAD_REQUEST, &expected).await;

    let response = app.azure_token(&[("grant_type", "Unknown")]).await;
    let expected = validation(r#"{"grant_type":["The value 'Unknown' is not valid for grant_type."]}"#);
    assert_problem(response, StatusCode::BAD_REQUEST, &expected).await;
}
