//! VBR sessions: single-use refresh tokens under 100 concurrent refreshes, logout (200 `{}`,
//! both tokens refused afterwards), the 1.2-rev1 authorization code, and the refresh fault of
//! `scenarios/vbr-refresh-refused.toml`.

use reqwest::{Method, StatusCode};
use serde_json::Value;
use tokio::task::JoinSet;

use crate::helpers::TestApp;
use crate::vbr_helpers::{AUTH_FAILED, NOT_FOUND, UNAUTHORIZED, VbrLogin, assert_vbr, jwt_text};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_a_hundred_concurrent_refreshes_with_one_token_exactly_one_wins() {
    let app = TestApp::spawn_vbr().await;
    let login = app.vbr_login("1.3-rev1", "administrator").await;
    let mut requests = JoinSet::new();
    for _ in 0..100 {
        let (client, url, token) = (app.client.clone(), app.url("/api/oauth2/token"), login.refresh.clone());
        requests.spawn(async move {
            let form = [("grant_type", "Refresh_token"), ("refresh_token", token.as_str())];
            let response = client
                .post(url)
                .header("x-api-version", "1.3-rev1")
                .form(&form)
                .send()
                .await
                .expect("answered");
            (response.status(), response.text().await.expect("body"))
        });
    }
    let answers = requests.join_all().await;
    let winners: Vec<&String> =
        answers.iter().filter(|(s, _)| *s == StatusCode::OK).map(|(_, b)| b).collect();
    assert_eq!(winners.len(), 1, "exactly one refresh wins");
    for (status, body) in answers.iter().filter(|(s, _)| *s != StatusCode::OK) {
        assert_eq!((*status, body.as_str()), (StatusCode::UNAUTHORIZED, AUTH_FAILED));
    }
    // The winner's pair is new (a new token_id) and whole; the old access token stays good
    // until it expires.
    let winner: Value = serde_json::from_str(winners[0]).expect("JSON");
    let new_refresh = winner["refresh_token"].as_str().expect("refresh");
    let id =
        |token: &str| serde_json::from_str::<Value>(&jwt_text(token, 1)).expect("JSON")["token_id"].clone();
    assert_ne!(id(new_refresh), id(&login.refresh));
    let access = winner["access_token"].as_str().expect("access");
    assert_eq!(
        app.vbr_get("/api/v1/serverInfo", Some("1.3-rev1"), Some(access)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.vbr_get("/api/v1/serverInfo", Some("1.3-rev1"), Some(&login.access)).await.status(),
        StatusCode::OK
    );
    assert_eq!(app.vbr_refresh("1.3-rev1", new_refresh).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn logout_answers_200_with_an_empty_object_and_ends_every_token_of_the_login() {
    let app = TestApp::spawn_vbr().await;
    let login = app.vbr_login("1.3-rev2", "administrator").await;
    let refreshed = VbrLogin::read(app.vbr_refresh("1.3-rev2", &login.refresh).await).await;
    // An access token carries no id (the documents' claims): two logins of one user in the same
    // second get the same text, as on a real server, so the other login comes a second later.
    app.server.clock().advance(std::time::Duration::from_secs(1));
    let other = app.vbr_login("1.3-rev2", "administrator").await;

    assert_vbr(app.vbr_logout("1.3-rev2", Some(&refreshed.access)).await, StatusCode::OK, "{}").await;
    for access in [&login.access, &refreshed.access] {
        let response = app.vbr_get("/api/v1/serverInfo", Some("1.3-rev2"), Some(access)).await;
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        assert_vbr(response, StatusCode::UNAUTHORIZED, UNAUTHORIZED).await;
    }
    assert_vbr(app.vbr_refresh("1.3-rev2", &refreshed.refresh).await, StatusCode::UNAUTHORIZED, AUTH_FAILED)
        .await;
    // A second logout with the same token, and one without a bearer: 401.
    assert_vbr(
        app.vbr_logout("1.3-rev2", Some(&refreshed.access)).await,
        StatusCode::UNAUTHORIZED,
        UNAUTHORIZED,
    )
    .await;
    assert_vbr(app.vbr_logout("1.3-rev2", None).await, StatusCode::UNAUTHORIZED, UNAUTHORIZED).await;
    // Another login is untouched.
    assert_eq!(
        app.vbr_get("/api/v1/serverInfo", Some("1.3-rev2"), Some(&other.access)).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_authorization_code_exists_up_to_1_2_rev1_and_signs_in_once_within_its_minute() {
    let app = TestApp::spawn_vbr().await;
    let login = app.vbr_login("1.2-rev1", r".\administrator").await;
    let issuer = |version: &'static str, access: Option<String>| {
        let app = &app;
        async move {
            app.vbr_call(Method::POST, "/api/oauth2/authorization_code", Some(version), access.as_deref())
                .await
        }
    };
    assert_vbr(issuer("1.3-rev0", Some(login.access.clone())).await, StatusCode::NOT_FOUND, NOT_FOUND).await;
    assert_vbr(issuer("1.2-rev1", None).await, StatusCode::UNAUTHORIZED, UNAUTHORIZED).await;

    let response = issuer("1.2-rev1", Some(login.access.clone())).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("JSON");
    let code = body["code"].as_str().expect("code").to_owned();
    assert_eq!(code.len(), 364, "272 bytes in standard base64, as the example");
    let form = [("grant_type", "authorization_code"), ("code", code.as_str())];
    let client_b = VbrLogin::read(app.vbr_token(Some("1.3-rev2"), &form).await).await;
    let claims: Value = serde_json::from_str(&jwt_text(&client_b.access, 1)).expect("JSON");
    assert_eq!(claims["unique_name"], r".\administrator", "the same permissions as client A");
    assert_vbr(app.vbr_token(Some("1.3-rev2"), &form).await, StatusCode::UNAUTHORIZED, AUTH_FAILED).await;

    let late = issuer("1.2-rev1", Some(login.access.clone())).await.json::<Value>().await.expect("JSON");
    app.server.clock().advance(std::time::Duration::from_secs(60));
    let form = [("grant_type", "authorization_code"), ("code", late["code"].as_str().expect("code"))];
    assert_vbr(app.vbr_token(Some("1.2-rev1"), &form).await, StatusCode::UNAUTHORIZED, AUTH_FAILED).await;
}

#[tokio::test]
async fn the_refresh_refused_sample_refuses_the_first_refresh_once_and_the_password_grant_recovers() {
    let text = include_str!("../../scenarios/vbr-refresh-refused.toml");
    let app = TestApp::spawn_with(text).await;
    let login = app.vbr_login("1.3-rev2", "administrator").await;
    assert_vbr(app.vbr_refresh("1.3-rev2", &login.refresh).await, StatusCode::UNAUTHORIZED, AUTH_FAILED)
        .await;
    let again = app.vbr_login("1.3-rev2", "administrator").await;
    assert_eq!(app.vbr_refresh("1.3-rev2", &again.refresh).await.status(), StatusCode::OK);
}
