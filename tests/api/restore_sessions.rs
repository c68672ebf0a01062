//! Restore sessions: who may explore what, the session's shape, stopping by hand, by idleness on
//! the clock, and by logout; the legacy Action routes.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{CONTOSO, Login, TestApp, WORLD, assert_body, assert_error};

const FORBIDDEN: &str = "The user does not have permission to perform this operation.";

async fn explore(app: &TestApp, version: &str, login: &Login) -> Value {
    let path = format!("/{version}/Organizations/{CONTOSO}/explore");
    let response = app.call(Method::POST, &path, Some(login), Some(json!({"type": "Vex"}))).await;
    let expected = if version == "v8" { StatusCode::CREATED } else { StatusCode::OK };
    assert_eq!(response.status(), expected);
    response.json().await.expect("a session")
}

async fn session(app: &TestApp, version: &str, login: &Login, id: &str) -> Value {
    let response =
        app.call(Method::GET, &format!("/{version}/RestoreSessions/{id}"), Some(login), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("a session")
}

#[tokio::test]
async fn an_administrator_explores_and_stops_a_session_on_v8() {
    // Arrange
    let app = TestApp::spawn_with(WORLD).await;
    let admin = app.admin("v8").await;

    // Act
    let path = format!("/v8/Organizations/{CONTOSO}/explore");
    let created =
        app.call(Method::POST, &path, Some(&admin), Some(json!({"type": "Vex", "showDeleted": true}))).await;

    // Assert: 201 with the session, fields in the schema's order.
    assert_eq!(created.status(), StatusCode::CREATED);
    let text = created.text().await.expect("body");
    let id = serde_json::from_str::<Value>(&text).expect("JSON")["id"].as_str().expect("id").to_owned();
    assert_eq!(
        text,
        format!(
            r#"{{"id":"{id}","name":"Exchange restore session","organization":"contoso.onmicrosoft.com","type":"Vex","creationTime":"2024-08-07T15:56:22.9188632Z","state":"Working","result":"Success","initiatedBy":"Administrator","eTag":1,"_links":{{"self":{{"href":"/v8/RestoreSessions/{id}"}}}}}}"#
        )
    );
    app.server.clock().advance(Duration::from_secs(60));
    let stop = app.call(Method::POST, &format!("/v8/RestoreSessions/{id}/Stop"), Some(&admin), None).await;
    assert_body(stop, StatusCode::NO_CONTENT, "").await;
    let stopped = session(&app, "v8", &admin, &id).await;
    assert_eq!(stopped["state"], "Stopped");
    assert_eq!(stopped["endTime"], "2024-08-07T15:57:22.9188632Z");
    assert_eq!(stopped["eTag"], 2);
}

#[tokio::test]
async fn v7_explores_and_stops_with_200() {
    let app = TestApp::spawn_with(WORLD).await;
    let admin = app.admin("v7").await;
    let id = explore(&app, "v7", &admin).await["id"].as_str().expect("id").to_owned();

    let stop = app.call(Method::POST, &format!("/v7/RestoreSessions/{id}/Stop"), Some(&admin), None).await;

    assert_body(stop, StatusCode::OK, "").await;
}

#[tokio::test]
async fn a_session_stops_by_itself_after_the_idle_timeout() {
    // Arrange: each touch of the session counts as activity.
    let app = TestApp::spawn_with(WORLD).await;
    let admin = app.admin("v8").await;
    let id = explore(&app, "v8", &admin).await["id"].as_str().expect("id").to_owned();
    app.server.clock().advance(Duration::from_secs(29 * 60));
    assert_eq!(session(&app, "v8", &admin, &id).await["state"], "Working");

    // Act: 30 idle minutes after that touch.
    app.server.clock().advance(Duration::from_secs(30 * 60));
    let idle = session(&app, "v8", &admin, &id).await;

    // Assert: it stopped at the moment it had been idle long enough.
    assert_eq!(idle["state"], "Stopped");
    assert_eq!(idle["endTime"], "2024-08-07T16:55:22.9188632Z");
}

#[tokio::test]
async fn a_stopped_session_is_forgotten_a_day_later_and_answers_404() {
    // Arrange: one session stopped by hand (v8), one that idles out (v5's shape of the 404).
    let app = TestApp::spawn_with(WORLD).await;
    let admin = app.admin("v8").await;
    let stopped = explore(&app, "v8", &admin).await["id"].as_str().expect("id").to_owned();
    let stop =
        app.call(Method::POST, &format!("/v8/RestoreSessions/{stopped}/Stop"), Some(&admin), None).await;
    assert_eq!(stop.status(), StatusCode::NO_CONTENT);
    let idled = explore(&app, "v8", &admin).await["id"].as_str().expect("id").to_owned();
    app.server.clock().advance(Duration::from_secs(24 * 3600 - 1));
    let admin = app.admin("v8").await; // the first login's token expired meanwhile
    assert_eq!(session(&app, "v8", &admin, &stopped).await["state"], "Stopped", "still known");

    // Act: a day after each stopped (the idle one stopped 30 minutes after it started).
    app.server.clock().advance(Duration::from_secs(30 * 60 + 1));
    let forgotten =
        app.call(Method::GET, &format!("/v8/RestoreSessions/{stopped}"), Some(&admin), None).await;
    let legacy = app.admin("v5").await;
    let idled_out = app.call(Method::GET, &format!("/v5/RestoreSessions/{idled}"), Some(&legacy), None).await;

    // Assert
    let not_found = |id: &str| format!("Restore session with ID '{id}' was not found.");
    assert_error(forgotten, StatusCode::NOT_FOUND, &not_found(&stopped), Some("ResourceNotFound")).await;
    assert_error(idled_out, StatusCode::NOT_FOUND, &not_found(&idled), None).await;
}

#[tokio::test]
async fn logout_stops_the_sessions_it_started() {
    let app = TestApp::spawn_with(WORLD).await;
    let (mine, other) = (app.admin("v8").await, app.admin("v8").await);
    let id = explore(&app, "v8", &mine).await["id"].as_str().expect("id").to_owned();

    assert_eq!(
        app.call(Method::POST, "/v8/token/logout", Some(&mine), None).await.status(),
        StatusCode::NO_CONTENT
    );

    assert_eq!(session(&app, "v8", &other, &id).await["state"], "Stopped");
}

#[tokio::test]
async fn tenants_and_operators_explore_their_own_organization() {
    let app = TestApp::spawn_with(WORLD).await;
    let (tenant, operator) = (app.tenant("v8").await, app.operator("v8").await);

    let by_tenant = app
        .call(Method::POST, "/v8/Organization/Explore", Some(&tenant), Some(json!({"type": "veod"})))
        .await;
    let by_operator = app
        .call(
            Method::POST,
            "/v8/Organization/OperatorExplore",
            Some(&operator),
            Some(json!({"type": "Vesp", "reason": "ticket 42"})),
        )
        .await;

    assert_eq!(by_tenant.status(), StatusCode::CREATED);
    let tenant_session: Value = by_tenant.json().await.expect("JSON");
    assert_eq!(tenant_session["type"], "Veod");
    assert_eq!(tenant_session["organization"], "contoso.onmicrosoft.com");
    assert_eq!(by_operator.status(), StatusCode::CREATED);
    let operator_session: Value = by_operator.json().await.expect("JSON");
    assert_eq!(operator_session["reason"], "ticket 42");
    assert_eq!(operator_session["initiatedBy"], "operator@contoso.onmicrosoft.com");
}

#[tokio::test]
async fn each_role_is_refused_what_it_may_not_do() {
    let app = TestApp::spawn_with(WORLD).await;
    let (admin, tenant, operator) = (app.admin("v8").await, app.tenant("v8").await, app.operator("v8").await);
    let admin_path = format!("/v8/Organizations/{CONTOSO}/explore");
    for (path, login) in [
        (admin_path.as_str(), &tenant),
        (admin_path.as_str(), &operator),
        ("/v8/Organization/Explore", &admin),
        ("/v8/Organization/Explore", &operator),
        ("/v8/Organization/OperatorExplore", &tenant),
    ] {
        let response = app.call(Method::POST, path, Some(login), None).await;
        assert_error(response, StatusCode::FORBIDDEN, FORBIDDEN, Some("ResourceAccessDenied")).await;
    }
    let who = app.call(Method::GET, "/v8/Organization/LoggedInUser", Some(&admin), None).await;
    assert_error(who, StatusCode::FORBIDDEN, FORBIDDEN, Some("ResourceAccessDenied")).await;
}

#[tokio::test]
async fn the_signed_in_user_and_operator_info_follow_the_grant() {
    let app = TestApp::spawn_with(WORLD).await;
    let (tenant, operator) = (app.tenant("v8").await, app.operator("v8").await);

    let who: Value = app
        .call(Method::GET, "/v8/Organization/LoggedInUser", Some(&operator), None)
        .await
        .json()
        .await
        .expect("JSON");
    let tenant_info =
        app.call(Method::GET, "/v8/Organization/LoggedInUser/OperatorInfo", Some(&tenant), None).await;
    let operator_info =
        app.call(Method::GET, "/v8/Organization/LoggedInUser/OperatorInfo", Some(&operator), None).await;

    assert_eq!(who["name"], "operator@contoso.onmicrosoft.com");
    assert!(uuid::Uuid::parse_str(who["id"].as_str().expect("id")).is_ok());
    let links = r#""_links":{"self":{"href":"/v8/Organization/LoggedInUser/OperatorInfo"}}"#;
    assert_body(tenant_info, StatusCode::OK, &format!(r#"{{"isOperator":false,{links}}}"#)).await;
    assert_body(operator_info, StatusCode::OK, &format!(r#"{{"isOperator":true,{links}}}"#)).await;
}

#[tokio::test]
async fn a_tenant_cannot_see_another_organizations_session() {
    let app = TestApp::spawn_with(WORLD).await;
    let admin = app.admin("v8").await;
    let path = "/v8/Organizations/11111111-2222-4333-8444-555555555555/explore";
    let created: Value =
        app.call(Method::POST, path, Some(&admin), Some(json!({}))).await.json().await.expect("JSON");
    let tenant = app.tenant("v8").await;

    let peek = app
        .call(
            Method::GET,
            &format!("/v8/RestoreSessions/{}", created["id"].as_str().expect("id")),
            Some(&tenant),
            None,
        )
        .await;

    assert_error(peek, StatusCode::FORBIDDEN, FORBIDDEN, Some("ResourceAccessDenied")).await;
}

#[tokio::test]
async fn unknown_organizations_and_sessions_get_404() {
    let app = TestApp::spawn_with(WORLD).await;
    let admin = app.admin("v8").await;

    let org = app
        .call(
            Method::POST,
            "/v8/Organizations/99999999-0000-4000-8000-000000000000/explore",
            Some(&admin),
            None,
        )
        .await;
    let session = app.call(Method::GET, "/v8/RestoreSessions/not-a-guid", Some(&admin), None).await;

    assert_error(
        org,
        StatusCode::NOT_FOUND,
        "Organization with ID '99999999-0000-4000-8000-000000000000' was not found.",
        Some("ResourceNotFound"),
    )
    .await;
    assert_error(
        session,
        StatusCode::NOT_FOUND,
        "Restore session with ID 'not-a-guid' was not found.",
        Some("ResourceNotFound"),
    )
    .await;
}

#[tokio::test]
async fn the_legacy_api_explores_and_stops_through_actions() {
    // nielsengelen/vbo365-rest drives v2-v5 restore sessions exactly like this.
    let app = TestApp::spawn_with(WORLD).await;
    let admin = app
        .sign_in(
            "v5",
            &[("grant_type", "password"), ("username", r"TECH\administrator"), ("password", "PassWord1")],
        )
        .await;
    let body = json!({"explore": {"datetime": "2024-08-01T00:00:00Z", "type": "vex", "ShowAllVersions": "true", "ShowDeleted": "true"}});

    let created = app
        .call(Method::POST, &format!("/v5/Organizations/{CONTOSO}/Action"), Some(&admin), Some(body))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = created.json::<Value>().await.expect("JSON")["id"].as_str().expect("id").to_owned();
    let stop = app
        .call(
            Method::POST,
            &format!("/v5/RestoreSessions/{id}/Action"),
            Some(&admin),
            Some(json!({"stop": null})),
        )
        .await;
    let unknown = app
        .call(
            Method::POST,
            &format!("/v5/RestoreSessions/{id}/Action"),
            Some(&admin),
            Some(json!({"pause": 1})),
        )
        .await;

    assert_body(stop, StatusCode::OK, "").await;
    assert_eq!(session(&app, "v5", &admin, &id).await["state"], "Stopped");
    assert_body(
        unknown,
        StatusCode::BAD_REQUEST,
        r#"{"message":"The action is not supported; send {\"stop\": null}."}"#,
    )
    .await;
}
