//! Large scenarios loaded over the admin API are refused quickly, with a clear problem, and
//! validated off the request workers.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;

#[tokio::test]
async fn a_version_listed_170000_times_is_refused_with_one_clear_problem() {
    let app = TestApp::spawn().await;
    let text = format!("[vb365]\nversions = [\n{}]\n", "'v8',\n".repeat(170_000));
    assert!(text.len() > 800_000 && text.len() < 1024 * 1024, "{} bytes, under the admin cap", text.len());

    let response = app.client.put(app.url("/__mock/scenario")).body(text).send().await.expect("sent");

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let error: Value = response.json().await.expect("JSON");
    assert_eq!(error["error"], "invalid_scenario");
    let problems = error["problems"].as_array().expect("problems");
    assert_eq!(problems.len(), 100, "the cap, then the duplicates among the first 100 entries");
    assert_eq!(
        problems[0],
        json!({
            "path": "vb365.versions",
            "line": 3,
            "message": "170000 entries, more than the 100 allowed; entries past the 100th (from line 103) are not checked",
        })
    );
    assert_eq!(
        problems[1],
        json!({ "path": "vb365.versions[1]", "line": 4, "message": "`v8` is listed twice" })
    );
    assert_eq!(app.login(true).await.body["expires_in"], 3600, "the running scenario stays");
}

#[tokio::test]
async fn twenty_thousand_users_with_one_name_report_the_duplicate() {
    let app = TestApp::spawn().await;
    let text = "[[vb365.users]]\nusername = \"a\"\npassword = \"b\"\n".repeat(20_000);

    let response = app.client.put(app.url("/__mock/scenario")).body(text).send().await.expect("sent");

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let error: Value = response.json().await.expect("JSON");
    let problems = error["problems"].as_array().expect("problems");
    assert_eq!(problems.len(), 1001);
    assert_eq!(problems[0]["path"], "vb365.users");
    assert_eq!(
        problems[1],
        json!({
            "path": "vb365.users[1].username",
            "line": 5,
            "message": "`a` is already used by vb365.users[0].username (names are case-insensitive)",
        })
    );
    assert_eq!(
        problems[1000],
        json!({ "path": "", "line": null, "message": "and 9000 more problem(s), not listed" })
    );
}
