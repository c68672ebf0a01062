//! Declared routes under VBR's rules: its `/api/v1/...` paths, the version's 400 before the
//! bearer's 401 and the role's 403, and its page envelope cut by `skip` and `limit`.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::vbr_helpers::{FORBIDDEN, NOT_VALID, UNAUTHORIZED, VBR, assert_vbr, version_error};

const ROUTES: &str = r#"
[[routes]]
name = "jobs"
path = "/api/v1/jobs"
items = [
  { id = "a", name = "Daily" },
  { id = "b", name = "Weekly" },
  { id = "c", name = "Monthly" },
]

[[routes]]
path = "/api/v1/jobs/{id}"
auth = ["Backup Administrator"]
json = { id = "{{path.id}}", by = "{{user}}", role = "{{role}}", at = "{{now}}" }
"#;

#[tokio::test]
async fn a_declared_vbr_route_answers_only_a_served_version_and_a_live_bearer_in_vbrs_envelope() {
    let app = TestApp::spawn_with(&format!("{VBR}\n{ROUTES}")).await;
    let admin = app.vbr_login("1.1-rev0", r".\administrator").await;
    let viewer = app.vbr_login("1.1-rev0", r"TECH\backup.viewer").await;

    assert_vbr(
        app.vbr_get("/api/v1/jobs", None, Some(&admin.access)).await,
        StatusCode::BAD_REQUEST,
        &version_error(),
    )
    .await;
    assert_vbr(
        app.vbr_get("/api/v1/jobs", Some("1.1-rev0"), None).await,
        StatusCode::UNAUTHORIZED,
        UNAUTHORIZED,
    )
    .await;

    let page = app.vbr_get("/api/v1/jobs?skip=1&limit=1", Some("1.1-rev0"), Some(&viewer.access)).await;
    assert_eq!(page.status(), StatusCode::OK);
    let body: Value = page.json().await.expect("JSON");
    assert_eq!(
        body,
        json!({"data": [{"id": "b", "name": "Weekly"}], "pagination": {"total": 3, "count": 1, "skip": 1, "limit": 1}})
    );
    let all: Value =
        app.vbr_get("/api/v1/jobs", Some("1.1-rev0"), Some(&admin.access)).await.json().await.expect("JSON");
    assert_eq!(all["pagination"], json!({"total": 3, "count": 3, "skip": 0, "limit": 200}));
    assert_vbr(
        app.vbr_get("/api/v1/jobs?limit=0", Some("1.1-rev0"), Some(&admin.access)).await,
        StatusCode::BAD_REQUEST,
        NOT_VALID,
    )
    .await;

    assert_vbr(
        app.vbr_get("/api/v1/jobs/a", Some("1.1-rev0"), Some(&viewer.access)).await,
        StatusCode::FORBIDDEN,
        FORBIDDEN,
    )
    .await;
    let one = app.vbr_get("/api/v1/jobs/a", Some("1.1-rev0"), Some(&admin.access)).await;
    assert_eq!(one.status(), StatusCode::OK);
    assert_eq!(
        one.text().await.expect("body"),
        r#"{"id":"a","by":".\\administrator","role":"Backup Administrator","at":"2025-04-24T13:24:18.0000000+00:00"}"#
    );
    let names: Vec<Option<String>> =
        app.server.journal().entries().iter().map(|entry| entry.route.clone()).collect();
    assert!(names.contains(&Some("jobs".to_owned())), "{names:?}");
}
