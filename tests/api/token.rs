//! `POST /v8/token`, password grant: the response and the JWTs, field by field against seed 000.

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use reqwest::StatusCode;
use serde_json::Value;
use veeam_auth_mock::keys::PUBLIC_KEY_PEM;
use veeam_auth_mock::{MockServer, Scenario};

use crate::helpers::{ACCESS_EXP, FROZEN, Login, SEED_EXPIRES, SEED_ISSUED, TestApp, jwt_part};

const NAME_CLAIM: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";

#[tokio::test]
async fn the_login_body_has_the_seven_fields_of_the_seed_in_order() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let response = app
        .post_token(&[("grant_type", "password"), ("username", "Administrator"), ("password", "PassWord1")])
        .await;

    // Assert
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/json; charset=utf-8");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["pragma"], "no-cache");
    let text = response.text().await.expect("body");
    let body: Value = serde_json::from_str(&text).expect("JSON");
    let (access, refresh) =
        (body["access_token"].as_str().expect("a"), body["refresh_token"].as_str().expect("r"));
    let expected = format!(
        r#"{{"access_token":"{access}","refresh_token":"{refresh}","token_type":"bearer","expires_in":3600,"userName":"Administrator",".issued":"{SEED_ISSUED}",".expires":"{SEED_EXPIRES}"}}"#
    );
    assert_eq!(text, expected);
}

#[tokio::test]
async fn the_jwt_header_and_claims_match_the_seed_in_order() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let login = app.login(false).await;

    // Assert: header exactly as the seed's, with our key's thumbprint as kid.
    let kid = veeam_auth_mock::keys::SigningKey::test_key().kid().to_owned();
    for token in [&login.access, &login.refresh] {
        assert_eq!(jwt_part(token, 0), format!(r#"{{"alg":"RS256","kid":"{kid}","typ":"JWT"}}"#));
    }
    // Claims in the seed's order; the pair shares jti and credentialKey; refresh exp = access + 3600.
    let access: Value = serde_json::from_str(&jwt_part(&login.access, 1)).expect("JSON");
    let (jti, key) = (access["jti"].as_str().expect("jti"), access["credentialKey"].as_str().expect("key"));
    let claims = |kind: &str, exp: i64| {
        format!(
            r#"{{"tokenType":"{kind}","jti":"{jti}","{NAME_CLAIM}":"Administrator","credentialKey":"{key}","credentialType":"UsernamePassword","antiforgery":"True","exp":{exp},"iss":"127.0.0.1"}}"#
        )
    };
    assert_eq!(jwt_part(&login.access, 1), claims("Access", ACCESS_EXP));
    assert_eq!(jwt_part(&login.refresh, 1), claims("Refresh", ACCESS_EXP + 3600));
    assert!(uuid::Uuid::parse_str(jti).is_ok() && uuid::Uuid::parse_str(key).is_ok());
}

#[tokio::test]
async fn the_tokens_verify_against_the_published_public_key() {
    // Arrange
    let app = TestApp::spawn().await;
    let login = app.login(true).await;
    let key = DecodingKey::from_rsa_pem(PUBLIC_KEY_PEM.as_bytes()).expect("PEM");
    let mut validation = Validation::new(Algorithm::RS256);
    // The fake clock stands in 2024, so exp is checked by the mock, not by jsonwebtoken.
    validation.validate_exp = false;
    validation.required_spec_claims.clear();

    // Act
    let access = jsonwebtoken::decode::<Value>(&login.access, &key, &validation).expect("valid signature");
    let refresh = jsonwebtoken::decode::<Value>(&login.refresh, &key, &validation).expect("valid signature");

    // Assert
    assert_eq!(access.header.kid.as_deref(), Some(veeam_auth_mock::keys::SigningKey::test_key().kid()));
    assert_eq!(access.claims["antiforgery"], "False");
    assert_eq!(refresh.claims["tokenType"], "Refresh");
}

#[tokio::test]
async fn an_alias_with_any_case_logs_in_as_the_canonical_user() {
    let app = TestApp::spawn().await;

    let response = app
        .post_token(&[
            ("grant_type", "password"),
            ("username", r"tech\ADMINISTRATOR"),
            ("password", "PassWord1"),
        ])
        .await;

    assert_eq!(response.status(), StatusCode::OK);
    let login = Login::read(response).await;
    assert_eq!(login.body["userName"], "Administrator");
    assert!(jwt_part(&login.access, 1).contains(r#"/name":"Administrator""#));
}

#[tokio::test]
async fn a_json_body_with_the_same_fields_logs_in() {
    let app = TestApp::spawn().await;

    let response = app
        .post_token_raw(
            "application/json",
            r#"{"grant_type":"password","username":"Administrator","password":"PassWord1","disable_antiforgery_token":true,"client_id":null}"#,
        )
        .await;

    assert_eq!(response.status(), StatusCode::OK);
    let login = Login::read(response).await;
    assert_eq!(login.antiforgery, None, "no antiforgery cookie when disabled");
    assert!(jwt_part(&login.access, 1).contains(r#""antiforgery":"False""#));
}

#[tokio::test]
async fn fields_the_grant_does_not_use_are_ignored() {
    // Real scripts send refresh_token='' (two apostrophes) and other fields with a password grant.
    let app = TestApp::spawn().await;

    let response = app
        .post_token(&[
            ("grant_type", "password"),
            ("username", "Administrator"),
            ("password", "PassWord1"),
            ("refresh_token", "''"),
            ("client_id", "anything"),
            ("url", "https://vb365:4443"),
        ])
        .await;

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_antiforgery_flag_is_read_in_every_spelling_clients_send() {
    let app = TestApp::spawn().await;
    for (value, claim) in
        [("true", "False"), ("True", "False"), ("1", "False"), ("false", "True"), ("0", "True")]
    {
        let response = app
            .post_token(&[
                ("grant_type", "password"),
                ("username", "Administrator"),
                ("password", "PassWord1"),
                ("disable_antiforgery_token", value),
            ])
            .await;
        let login = Login::read(response).await;
        let expected = format!(r#""antiforgery":"{claim}""#);
        assert!(jwt_part(&login.access, 1).contains(&expected), "disable_antiforgery_token={value}");
        assert_eq!(
            login.antiforgery.is_some(),
            claim == "True",
            "cookie for disable_antiforgery_token={value}"
        );
    }
}

#[tokio::test]
async fn the_same_seed_and_frozen_clock_give_identical_responses() {
    let (first, second) = (TestApp::spawn().await, TestApp::spawn().await);

    let a = first.login(false).await;
    let b = second.login(false).await;

    assert_eq!(a.body, b.body);
    assert_eq!(a.antiforgery, b.antiforgery);
}

#[tokio::test]
async fn the_lifetime_comes_from_the_scenario() {
    let scenario =
        format!("{FROZEN}\n[vb365]\naccess_token_lifetime = \"90m\"\nrefresh_token_lifetime = \"1d\"\n");
    let app = TestApp::spawn_with(&scenario).await;

    let login = app.login(true).await;

    assert_eq!(login.body["expires_in"], 5400);
    assert_eq!(login.body[".expires"], "2024-08-07T17:26:22.9188632Z");
    let refresh: Value = serde_json::from_str(&jwt_part(&login.refresh, 1)).expect("JSON");
    assert_eq!(refresh["exp"], 1_723_046_182 + 86_400);
}

#[tokio::test]
async fn the_service_instance_reports_the_scenario_installation() {
    let app = TestApp::spawn().await;
    let login = app.login(true).await;

    let response = app.service_instance_as(&login).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json; charset=utf-8");
    assert_eq!(
        response.text().await.expect("body"),
        r#"{"installationId":"4b3c1f2e-8d5a-4e6b-9c7d-0a1b2c3d4e5f","version":"8.1.0.305"}"#
    );
}

#[tokio::test]
async fn routes_match_in_any_case_and_with_a_trailing_slash() {
    let app = TestApp::spawn().await;
    let form = [("grant_type", "password"), ("username", "Administrator"), ("password", "PassWord1")];
    for path in ["/v8/Token", "/V8/token/", "/v8/TOKEN?x=1"] {
        let response = app.client.post(app.url(path)).form(&form).send().await.expect("sent");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    let login = app.login(true).await;
    let response = app
        .client
        .get(app.url("/v8/serviceInstance/"))
        .bearer_auth(&login.access)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
}

#[test]
fn a_server_started_from_the_default_scenario_uses_the_real_clock() {
    let server = MockServer::start_blocking(Scenario::default());
    let drift = server.clock().now() - veeam_auth_mock::time::OffsetDateTime::now_utc();
    assert!(drift.abs() < veeam_auth_mock::time::Duration::minutes(1), "{drift}");
}
