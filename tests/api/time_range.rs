//! The mock's time range (1970-01-01T00:00:00Z to 9000-12-31T23:59:59Z): clock moves out of it
//! are refused whole, scenarios that would leave it are refused with their line, and nothing a
//! request does near its ends panics.

#[cfg(feature = "cli")]
use std::process::Command;

use reqwest::StatusCode;
use serde_json::{Value, json};
use veeam_auth_mock::Clock;

use crate::azure_helpers::AZURE;
use crate::helpers::{SEED_ISSUED, TestApp};

#[cfg(feature = "cli")]
const BIN: &str = env!("CARGO_BIN_EXE_veeam-auth-mock");

const RANGE_ERROR: &str = "the clock would leave the mock's time range \
    (1970-01-01T00:00:00Z to 9000-12-31T23:59:59Z); it is unchanged";

impl TestApp {
    async fn move_clock(&self, change: Value) -> (StatusCode, Value) {
        let response = self.client.post(self.url("/__mock/clock")).json(&change).send().await.expect("sent");
        let status = response.status();
        (status, response.json().await.expect("JSON"))
    }
}

#[tokio::test]
async fn a_clock_move_out_of_the_range_is_refused_and_the_mock_keeps_working() {
    let app = TestApp::spawn().await;

    for change in [
        json!({ "advance": "99999999999d" }),
        json!({ "advance": "-100000000d" }),
        json!({ "set": "9999-12-31T23:30:00Z" }),
        json!({ "set": "1969-12-31T23:59:59Z" }),
        json!({ "set": "8999-01-01T00:00:00Z", "advance": "1000d" }),
    ] {
        let (status, body) = app.move_clock(change.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{change}");
        assert_eq!(body, json!({ "error": "bad_request", "detail": RANGE_ERROR }), "{change}");
        let clock: Value =
            app.client.get(app.url("/__mock/clock")).send().await.expect("sent").json().await.expect("JSON");
        assert_eq!(clock["now"], SEED_ISSUED, "{change} changed nothing");
    }

    let login = app.login(true).await;
    assert_eq!(login.body["expires_in"], 3600);
    assert_eq!(app.service_instance_as(&login).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn at_the_ends_of_the_range_logins_and_expiries_still_work() {
    let app = TestApp::spawn().await;
    let (status, body) = app.move_clock(json!({ "set": "9000-12-31T23:59:59Z" })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["now"], "9000-12-31T23:59:59.0000000Z");

    let login = app.login(true).await;
    assert_eq!(login.body[".issued"], "9000-12-31T23:59:59.0000000Z");
    assert_eq!(login.body[".expires"], "9001-01-01T00:59:59.0000000Z");
    assert_eq!(app.service_instance_as(&login).await.status(), StatusCode::OK);
    // Past the end the clock stays at the end, so the token never expires; moving back works.
    app.server.clock().advance(std::time::Duration::from_secs(u64::MAX));
    assert_eq!(app.server.clock().now(), Clock::LATEST);
    let (status, _) = app.move_clock(json!({ "set": "1970-01-01T00:00:00Z" })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.login(true).await.body[".issued"], "1970-01-01T00:00:00.0000000Z");
}

#[tokio::test]
async fn reset_restores_a_working_mock_after_refused_moves() {
    let app = TestApp::spawn().await;
    assert_eq!(app.move_clock(json!({ "advance": "99999999999d" })).await.0, StatusCode::BAD_REQUEST);
    app.server.clock().shift(veeam_auth_mock::time::Duration::MAX);

    let response = app.client.post(app.url("/__mock/reset")).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.login(true).await.body[".issued"], SEED_ISSUED);
}

/// Writes `files` (name, text) to a fresh directory and runs `validate` on them.
#[cfg(feature = "cli")]
fn validate(files: &[(&str, &str)]) -> (Option<i32>, String) {
    let dir = std::env::temp_dir().join(format!("vam-time-{}-{}", std::process::id(), files[0].0));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let paths: Vec<_> = files
        .iter()
        .map(|(name, text)| {
            let path = dir.join(name);
            std::fs::write(&path, text).expect("write");
            path
        })
        .collect();
    let output = Command::new(BIN).arg("validate").args(&paths).output().expect("runs");
    let _ = std::fs::remove_dir_all(dir);
    (output.status.code(), String::from_utf8_lossy(&output.stdout).into_owned())
}

#[cfg(feature = "cli")]
#[test]
fn validate_refuses_scenarios_that_leave_the_range_with_their_line() {
    let (code, stdout) = validate(&[
        ("frozen.toml", "[clock]\nmode = \"frozen\"\nstart = \"9999-12-31T23:30:00Z\"\n"),
        ("ticking.toml", "[clock]\nmode = \"ticking\"\nstart = \"1969-07-20T20:17:40Z\"\n"),
        ("lifetime.toml", "[vb365]\naccess_token_lifetime = \"100000000d\"\n"),
        ("offset.toml", "[clock]\nmode = \"offset\"\noffset = \"-100000000d\"\n"),
        (
            "shifted.toml",
            "[clock]\nmode = \"frozen\"\nstart = \"8999-01-01T00:00:00Z\"\noffset = \"1000d\"\n",
        ),
        (
            "azure.toml",
            "[azure]\nmfa_token_lifetime = \"36501d\"\n[azure.authorization_codes]\nenabled = true\nlifetime = \"36500d 1s\"\n",
        ),
        ("idle.toml", "[vb365]\n\nrestore_session_idle_timeout = \"99999999999d\"\n"),
    ]);

    assert_eq!(code, Some(1), "{stdout}");
    let range = "1970-01-01T00:00:00Z to 9000-12-31T23:59:59Z";
    let expected = [
        format!("frozen.toml: line 3: clock.start: `9999-12-31T23:30:00Z` is outside the mock's time range, {range}"),
        format!("ticking.toml: line 3: clock.start: `1969-07-20T20:17:40Z` is outside the mock's time range, {range}"),
        "lifetime.toml: line 2: vb365.access_token_lifetime: `100000000d` is too long; a lifetime is at most 36500d (100 years)".to_owned(),
        format!("offset.toml: line 3: clock.offset: this offset takes the clock outside the mock's time range, {range}"),
        format!("shifted.toml: line 4: clock.offset: this offset takes the clock outside the mock's time range, {range}"),
        "azure.toml: line 2: azure.mfa_token_lifetime: `36501d` is too long; a lifetime is at most 36500d (100 years)".to_owned(),
        "azure.toml: line 5: azure.authorization_codes.lifetime: `36500d 1s` is too long; a lifetime is at most 36500d (100 years)".to_owned(),
        "idle.toml: line 3: vb365.restore_session_idle_timeout: `99999999999d` is too long; a lifetime is at most 36500d (100 years)".to_owned(),
    ];
    for line in &expected {
        assert!(
            stdout.lines().any(|printed| printed.ends_with(line.as_str())),
            "missing {line:?} in\n{stdout}"
        );
    }
    assert_eq!(stdout.lines().filter(|line| line.contains(": line ")).count(), expected.len(), "{stdout}");
}

#[tokio::test]
async fn the_longest_lifetimes_at_the_end_of_the_range_mint_tokens_codes_and_challenges() {
    let mut text = AZURE.to_owned();
    for key in ["access_token_lifetime", "refresh_token_lifetime", "mfa_token_lifetime", "lifetime"] {
        let lines: Vec<String> = text
            .lines()
            .map(|line| {
                if line.split('=').next().map(str::trim) == Some(key) {
                    format!("{key} = \"36500d\"")
                } else {
                    line.to_owned()
                }
            })
            .collect();
        text = lines.join("\n");
    }
    let app = TestApp::spawn_with(&text).await;
    app.server.clock().set(Clock::LATEST);

    let login = app.azure_login("administrator").await;
    assert_eq!(login.body["expires_in"], 3_153_600_000_u64);
    assert_eq!(login.body[".expires"], "9100-12-07T23:59:59.0000000Z");
    let code = app
        .client
        .post(app.url("/api/oauth2/authorization_code"))
        .header("Authorization", login.bearer())
        .send()
        .await
        .expect("sent");
    assert_eq!(code.status(), StatusCode::OK);
    let code: Value = code.json().await.expect("JSON");
    let form =
        [("grant_type", "Authentication_code"), ("authorization_code", code["code"].as_str().expect("code"))];
    assert_eq!(app.azure_token(&form).await.status(), StatusCode::OK);

    let challenge: Value = app
        .azure_token(&[("grant_type", "Password"), ("username", "mfa-operator"), ("password", "PassWord1")])
        .await
        .json()
        .await
        .expect("JSON");
    let token = challenge["mfa_token"].as_str().expect("a challenge");
    let answer =
        app.azure_token(&[("grant_type", "Mfa"), ("mfa_token", token), ("mfa_code", "123456")]).await;
    assert_eq!(answer.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_scenario_leaving_the_range_is_refused_over_the_admin_api_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .put(app.url("/__mock/scenario"))
        .body("[clock]\nmode = \"frozen\"\nstart = \"9999-12-31T23:30:00Z\"\n")
        .send()
        .await
        .expect("sent");

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let error: Value = response.json().await.expect("JSON");
    assert_eq!(
        error["problems"],
        json!([{
            "path": "clock.start",
            "line": 3,
            "message": "`9999-12-31T23:30:00Z` is outside the mock's time range, 1970-01-01T00:00:00Z to 9000-12-31T23:59:59Z",
        }])
    );
    assert_eq!(app.login(true).await.body[".issued"], SEED_ISSUED, "the running scenario stays");
}
