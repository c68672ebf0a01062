//! Declared routes (`[[routes]]`) from a running server: answered only to live sessions of the
//! owning product, with the product's refusals, paging, sequences and templates.

use reqwest::StatusCode;
use reqwest::header::AUTHORIZATION;
use serde_json::{Value, json};

use crate::helpers::{FROZEN, Login, TestApp, assert_401_empty};

/// The frozen world plus a few VB365 routes.
fn world(routes: &str) -> String {
    format!("{FROZEN}\n{routes}")
}

const JOBS: &str = r#"
[[routes]]
name = "jobs"
path = "/v8/Jobs"
items = [
  { id = "a", name = "Daily" },
  { id = "b", name = "Weekly" },
  { id = "c", name = "Monthly" },
]

[[routes]]
path = "/v8/Jobs/{jobId}"
json = { id = "{{path.jobId}}", name = "Job {{path.jobId}}", by = "{{user}}", role = "{{role}}", at = "{{now}}" }
"#;

async fn get(app: &TestApp, path: &str, login: Option<&Login>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(login) = login {
        request = request.header(AUTHORIZATION, format!("Bearer {}", login.access));
        if let Some(token) = &login.antiforgery {
            request = request.header("X-XSRF-TOKEN", token);
        }
    }
    request.send().await.expect("request sent")
}

#[tokio::test]
async fn a_paged_collection_answers_a_live_session_in_the_vb365_envelope() {
    let app = TestApp::spawn_with(&world(JOBS)).await;
    let login = app.login(true).await;

    let response = get(&app, "/v8/Jobs", Some(&login)).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json; charset=utf-8");
    assert_eq!(
        response.text().await.expect("body"),
        r#"{"offset":0,"limit":30,"results":[{"id":"a","name":"Daily"},{"id":"b","name":"Weekly"},{"id":"c","name":"Monthly"}]}"#
    );
    let page: Value = get(&app, "/V8/jobs/?Offset=1&limit=1", Some(&login)).await.json().await.expect("JSON");
    assert_eq!(page, json!({"offset": 1, "limit": 1, "results": [{"id": "b", "name": "Weekly"}]}));
}

#[tokio::test]
async fn templates_fill_in_the_path_the_caller_and_the_clock() {
    let app = TestApp::spawn_with(&world(JOBS)).await;
    let login = app.login(true).await;

    let body = get(&app, "/v8/Jobs/AbC", Some(&login)).await.text().await.expect("body");

    assert_eq!(
        body,
        r#"{"id":"AbC","name":"Job AbC","by":"Administrator","role":"administrator","at":"2024-08-07T15:56:22.9188632Z"}"#
    );
}

#[tokio::test]
async fn without_a_live_bearer_the_route_refuses_as_vb365_does() {
    let app = TestApp::spawn_with(&world(JOBS)).await;
    assert_eq!(assert_401_empty(get(&app, "/v8/Jobs", None).await).await, "Bearer");
    let login = app.login(true).await;
    app.server.clock().advance(std::time::Duration::from_secs(3601));
    let challenge = assert_401_empty(get(&app, "/v8/Jobs", Some(&login)).await).await;
    assert!(challenge.contains("expired"), "{challenge}");
}
