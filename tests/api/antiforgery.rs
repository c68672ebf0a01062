//! The antiforgery token: issued unless `disable_antiforgery_token=true`, and then required (in
//! strict mode) on protected calls and on the refresh grant.

use reqwest::StatusCode;

use crate::helpers::{FROZEN, Login, TestApp, assert_401_empty, assert_error};

fn with_mode(mode: &str, extra: &str) -> String {
    format!("{FROZEN}\n[vb365.antiforgery]\nv8 = \"{mode}\"\n{extra}")
}

#[tokio::test]
async fn a_login_without_the_flag_sets_the_antiforgery_cookie() {
    let app = TestApp::spawn().await;

    let response = app
        .post_token(&[("grant_type", "password"), ("username", "Administrator"), ("password", "PassWord1")])
        .await;

    let cookie = response.headers()["set-cookie"].to_str().expect("ASCII").to_owned();
    assert!(cookie.starts_with("XSRF-TOKEN=CfDJ8"), "{cookie}");
    assert!(cookie.contains("Path=/") && cookie.contains("SameSite=Strict"), "{cookie}");
}

#[tokio::test]
async fn the_antiforgery_cookie_is_one_header_with_its_attributes_in_the_usual_order() {
    let app = TestApp::spawn().await;

    let response = app
        .post_token(&[("grant_type", "password"), ("username", "Administrator"), ("password", "PassWord1")])
        .await;

    let cookies: Vec<_> = response.headers().get_all("set-cookie").iter().collect();
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    let cookie = cookies[0].to_str().expect("ASCII");
    let value =
        cookie.strip_prefix("XSRF-TOKEN=").and_then(|rest| rest.strip_suffix("; SameSite=Strict; Path=/"));
    assert!(value.is_some_and(|value| value.starts_with("CfDJ8") && !value.contains(';')), "{cookie}");
}

#[tokio::test]
async fn strict_mode_refuses_a_bearer_without_the_antiforgery_header() {
    let app = TestApp::spawn().await;
    let login = app.login(false).await;

    let bearer_only = app.service_instance(Some(&format!("Bearer {}", login.access)), None).await;
    let wrong = app.service_instance(Some(&format!("Bearer {}", login.access)), Some("CfDJ8wrong")).await;
    let echoed = app.service_instance_as(&login).await;

    assert_401_empty(bearer_only).await;
    assert_401_empty(wrong).await;
    assert_eq!(echoed.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_token_issued_with_the_flag_needs_no_antiforgery_header() {
    let app = TestApp::spawn().await;
    let login = app.login(true).await;

    let response = app.service_instance(Some(&format!("Bearer {}", login.access)), None).await;

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn strict_mode_refreshes_only_with_the_antiforgery_header() {
    let app = TestApp::spawn().await;
    let login = app.login(false).await;

    let without = app.refresh(&login.refresh, None).await;
    assert_error(without, StatusCode::BAD_REQUEST, "The antiforgery token is missing or invalid.", None)
        .await;
    let with = app.refresh(&login.refresh, login.antiforgery.as_deref()).await;

    assert_eq!(with.status(), StatusCode::OK, "the refused attempt did not use the token up");
    let renewed = Login::read(with).await;
    assert_eq!(renewed.antiforgery, login.antiforgery, "the session keeps its antiforgery token");
    assert_eq!(app.service_instance_as(&renewed).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn lenient_mode_lets_a_missing_header_through_but_not_a_wrong_one() {
    let app = TestApp::spawn_with(&with_mode("lenient", "")).await;
    let login = app.login(false).await;
    let bearer = format!("Bearer {}", login.access);

    assert_eq!(app.service_instance(Some(&bearer), None).await.status(), StatusCode::OK);
    assert_401_empty(app.service_instance(Some(&bearer), Some("CfDJ8wrong")).await).await;
}

#[tokio::test]
async fn off_mode_never_checks() {
    let app = TestApp::spawn_with(&with_mode("off", "")).await;
    let login = app.login(false).await;
    let bearer = format!("Bearer {}", login.access);

    assert_eq!(app.service_instance(Some(&bearer), Some("CfDJ8wrong")).await.status(), StatusCode::OK);
    assert_eq!(app.refresh(&login.refresh, None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_failure_status_and_names_come_from_the_scenario() {
    let extra = "cookie = \"XSRF-TOKEN\"\nheader = \"X-Antiforgery\"\nfailure_status = 403\n";
    let app = TestApp::spawn_with(&with_mode("strict", extra)).await;
    let login = app.login(false).await;
    let bearer = format!("Bearer {}", login.access);
    let token = login.antiforgery.clone().expect("cookie set");

    let refused = app.service_instance(Some(&bearer), Some(&token)).await; // the default header name
    let accepted = app
        .client
        .get(app.url("/v8/ServiceInstance"))
        .header("Authorization", &bearer)
        .header("X-Antiforgery", &token);

    assert_error(
        refused,
        StatusCode::FORBIDDEN,
        "The antiforgery token is missing or invalid.",
        Some("ResourceAccessDenied"),
    )
    .await;
    assert_eq!(accepted.send().await.expect("sent").status(), StatusCode::OK);
}
