//! What differs between API v6, v7 and v8, and how clients probe which versions are served.

use reqwest::{Method, StatusCode};

use crate::helpers::{FROZEN, Login, TestApp, WORLD, assert_401_empty, assert_body, jwt_part};

const ADMIN: [(&str, &str); 3] =
    [("grant_type", "password"), ("username", "Administrator"), ("password", "PassWord1")];

#[tokio::test]
async fn v6_has_no_antiforgery_so_a_bearer_alone_works() {
    let app = TestApp::spawn_with(WORLD).await;

    let response = app.post_token_at("v6", &ADMIN).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get("set-cookie").is_none(), "no antiforgery cookie on v6");
    let login = Login::read(response).await;
    assert!(jwt_part(&login.access, 1).contains(r#""antiforgery":"False""#));
    let call = app.call(Method::GET, "/v6/ServiceInstance", Some(&login), None).await;
    assert_eq!(call.status(), StatusCode::OK);
}

#[tokio::test]
async fn v6_has_no_logout_and_writes_errors_as_a_bare_message() {
    let app = TestApp::spawn_with(WORLD).await;
    let login = app.admin("v6").await;

    let logout = app.call(Method::POST, "/v6/token/logout", Some(&login), None).await;
    let refused = app
        .post_token_at("v6", &[("grant_type", "password"), ("username", "Administrator"), ("password", "x")])
        .await;

    assert_body(
        logout,
        StatusCode::NOT_FOUND,
        r#"{"message":"The requested resource was not found: POST /v6/token/logout"}"#,
    )
    .await;
    assert_body(refused, StatusCode::BAD_REQUEST, r#"{"message":"The user name or password is incorrect."}"#)
        .await;
}

#[tokio::test]
async fn v7_is_lenient_with_bearer_only_calls_but_checks_a_header_that_is_sent() {
    // Scripts by Veeam's staff call v7 with the bearer only, never sending the flag.
    let app = TestApp::spawn_with(WORLD).await;
    let login = Login::read(app.post_token_at("v7", &ADMIN).await).await;
    assert!(login.antiforgery.is_some(), "v7 issues the antiforgery cookie");

    let bearer_only = app.call(Method::GET, "/v7/ServiceInstance", Some(&login), None).await;
    let wrong_header = app
        .client
        .get(app.url("/v7/ServiceInstance"))
        .bearer_auth(&login.access)
        .header("X-XSRF-TOKEN", "CfDJ8wrong")
        .send()
        .await
        .expect("sent");

    assert_eq!(bearer_only.status(), StatusCode::OK);
    assert_401_empty(wrong_header).await;
}

#[tokio::test]
async fn v7_can_be_made_strict_by_the_scenario() {
    let app = TestApp::spawn_with(&format!("{FROZEN}\n[vb365.antiforgery]\nv7 = \"strict\"\n")).await;
    let login = Login::read(app.post_token_at("v7", &ADMIN).await).await;

    assert_401_empty(app.call(Method::GET, "/v7/ServiceInstance", Some(&login), None).await).await;
}

#[tokio::test]
async fn v7_logout_answers_200_and_v8_logout_204() {
    let app = TestApp::spawn_with(WORLD).await;
    let (v7, v8) = (app.admin("v7").await, app.admin("v8").await);

    let first = app.call(Method::POST, "/v7/token/logout", Some(&v7), None).await;
    let second = app.call(Method::POST, "/v8/token/logout", Some(&v8), None).await;

    assert_body(first, StatusCode::OK, "").await;
    assert_body(second, StatusCode::NO_CONTENT, "").await;
    assert_401_empty(app.call(Method::GET, "/v7/ServiceInstance", Some(&v7), None).await).await;
}

#[tokio::test]
async fn v7_errors_carry_only_the_codes_its_enum_has() {
    let app = TestApp::spawn_with(WORLD).await;

    let unknown = app.post_token_at("v7", &[("grant_type", "client_credentials")]).await;

    // ParameterValidationFailure is a v8 code; v7's enum has only ProxyOffline.
    assert_body(
        unknown,
        StatusCode::BAD_REQUEST,
        r#"{"message":"Unsupported grant type: 'client_credentials'."}"#,
    )
    .await;
}

#[tokio::test]
async fn auth_code_exists_from_v7() {
    let app = TestApp::spawn_with(WORLD).await;
    let (v6, v7) = (app.admin("v6").await, app.admin("v7").await);

    let old = app.call(Method::POST, "/v6/token/AuthCode", Some(&v6), None).await;
    let new = app.call(Method::POST, "/v7/token/AuthCode", Some(&v7), None).await;

    assert_eq!(old.status(), StatusCode::NOT_FOUND);
    assert_eq!(new.status(), StatusCode::OK);
    let body: serde_json::Value = new.json().await.expect("JSON");
    assert_eq!(body.as_object().map(|o| o.len()), Some(1));
    assert!(body["authCode"].as_str().is_some_and(|code| code.len() >= 32), "{body}");
}

#[tokio::test]
async fn v8_health_is_anonymous_and_only_on_v8() {
    let app = TestApp::spawn_with(WORLD).await;

    let v8 = app.call(Method::GET, "/v8/Health", None, None).await;
    let v7 = app.call(Method::GET, "/v7/Health", None, None).await;

    assert_body(
        v8,
        StatusCode::OK,
        r#"{"status":"Healthy","entries":{"NATS":{"status":"Healthy"},"PostgreSQL":{"status":"Healthy"}}}"#,
    )
    .await;
    assert_eq!(v7.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn restore_portal_settings_are_anonymous_from_v6() {
    let app = TestApp::spawn_with(WORLD).await;

    let v6 = app.call(Method::GET, "/v6/RestorePortalSettings", None, None).await;
    let v5 = app.call(Method::GET, "/v5/RestorePortalSettings", None, None).await;

    assert_body(
        v6,
        StatusCode::OK,
        r#"{"applicationId":"0c5a5f0e-7b1d-4f4e-9a3c-2d8e6b1f7a90","msalAuthorityUri":"https://login.microsoftonline.com/organizations","isEnabled":true}"#,
    )
    .await;
    assert_eq!(v5.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn anonymous_probes_get_401_on_served_versions_and_404_elsewhere() {
    // Clients detect versions this way (veeam-365's discovery probes /{v}/ServiceInstance).
    let app =
        TestApp::spawn_with(&WORLD.replace("[vb365]\n", "[vb365]\nversions = [\"v5\", \"v7\", \"v8\"]\n"))
            .await;
    for (path, expected) in [
        ("/v8/ServiceInstance", StatusCode::UNAUTHORIZED),
        ("/v7/ServiceInstance", StatusCode::UNAUTHORIZED),
        ("/v6/ServiceInstance", StatusCode::NOT_FOUND), // not served by this scenario
        ("/v5/ServiceInstance", StatusCode::NOT_FOUND), // served, but v5 has no ServiceInstance
        ("/v9/ServiceInstance", StatusCode::NOT_FOUND),
    ] {
        let response = app.call(Method::GET, path, None, None).await;
        assert_eq!(response.status(), expected, "{path}");
    }
    let unserved_token = app.post_token_at("v6", &ADMIN).await;
    assert_eq!(unserved_token.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_v8_token_response_always_names_the_user() {
    // veeam-365 requires userName on v6 and v7 (optional on v8); the mock always sends it.
    let app = TestApp::spawn_with(WORLD).await;
    for version in ["v6", "v7", "v8"] {
        let login = app.admin(version).await;
        assert_eq!(login.body["userName"], "Administrator", "{version}");
    }
}

#[tokio::test]
async fn every_version_runs_a_whole_session_in_its_own_shapes() {
    let app = TestApp::spawn_with(WORLD).await;
    for number in 1..=8 {
        let v = format!("v{number}");
        // Login, in the version's token format.
        let login = app.admin(&v).await;
        let is_jwt = login.access.starts_with("eyJ");
        assert_eq!(is_jwt, number >= 6, "{v}: JWT from v6, opaque before");

        // One protected call.
        let (path, body, expected) = if number >= 6 {
            ("/ServiceInstance".to_owned(), None, StatusCode::OK)
        } else {
            let path = format!("/Organizations/{}/Action", crate::helpers::CONTOSO);
            (path, Some(serde_json::json!({"explore": {"type": "vex"}})), StatusCode::CREATED)
        };
        let method = if body.is_some() { Method::POST } else { Method::GET };
        let call = app.call(method, &format!("/{v}{path}"), Some(&login), body).await;
        assert_eq!(call.status(), expected, "{v}: protected call");

        // Refresh.
        let renewed = app
            .post_token_at(&v, &[("grant_type", "refresh_token"), ("refresh_token", &login.refresh)])
            .await;
        assert_eq!(renewed.status(), StatusCode::OK, "{v}: refresh");
        let renewed = Login::read(renewed).await;

        // Logout, or its absence.
        let logout = app.call(Method::POST, &format!("/{v}/token/logout"), Some(&renewed), None).await;
        let expected = match number {
            8 => StatusCode::NO_CONTENT,
            7 => StatusCode::OK,
            _ => StatusCode::NOT_FOUND,
        };
        assert_eq!(logout.status(), expected, "{v}: logout");

        // The error shape of an unknown grant.
        let refused = app.post_token_at(&v, &[("grant_type", "magic")]).await;
        let expected = match number {
            8 => r#"{"message":"Unsupported grant type: 'magic'.","errorCode":"ParameterValidationFailure"}"#,
            6 | 7 => r#"{"message":"Unsupported grant type: 'magic'."}"#,
            _ => r#"{"error":"unsupported_grant_type"}"#,
        };
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{v}: unknown grant");
        assert_eq!(refused.text().await.expect("body"), expected, "{v}: error shape");
    }
}
