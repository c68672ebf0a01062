//! Helpers for the VBR tests: the VBR test world, token requests with `x-api-version`, exact
//! `Error` bodies, and the official documents' examples (read from the folder that
//! `VEEAM_OFFICIAL_DOCS` names, when it is set; the tests that need them skip otherwise).

use reqwest::header::AUTHORIZATION;
use reqwest::{Response, StatusCode};
use serde_json::Value;

use crate::helpers::TestApp;

/// The VBR test world (`tests/fixtures/vbr.toml`): frozen at the documents' example instant.
pub(crate) const VBR: &str = include_str!("../fixtures/vbr.toml");

/// The frozen instant in Unix seconds (2025-04-24T13:24:18Z).
pub(crate) const NOW: i64 = 1_745_501_058;
/// The example's `.issued` and `.expires` (1.3-rev1 and 1.3-rev2 documents).
pub(crate) const ISSUED: &str = "2025-04-24T15:24:18+02:00";
pub(crate) const EXPIRES: &str = "2025-04-24T15:39:18+02:00";
/// The revisions a 13.1 server serves, as the version error lists them.
pub(crate) const SUPPORTED: &str =
    "v1.1-rev0, v1.1-rev1, v1.1-rev2, v1.2-rev0, v1.2-rev1, v1.3-rev0, v1.3-rev1, v1.3-rev2";

/// The 400 of a missing or unserved version, under the 13.1 preset.
pub(crate) fn version_error() -> String {
    format!(
        r#"{{"errorCode":"NotImplemented","message":"Unsupported RESTAPI version. The following versions are supported: {SUPPORTED}.","resourceId":null}}"#
    )
}

/// The 401 of a refused grant.
pub(crate) const AUTH_FAILED: &str =
    r#"{"errorCode":"AccessDenied","message":"Authentication failed","resourceId":null}"#;
/// The 401 of a refused bearer.
pub(crate) const UNAUTHORIZED: &str = r#"{"errorCode":"AccessDenied","message":"Unauthorized. Get bearer JWT token at /api/login","resourceId":null}"#;
/// The 403 of a role refusal.
pub(crate) const FORBIDDEN: &str = r#"{"errorCode":"AccessDenied","message":"Forbidden","resourceId":null}"#;
/// The 400 of a request that does not bind.
pub(crate) const NOT_VALID: &str = r#"{"errorCode":"UnexpectedContent","message":"One or more request parameters are not valid.","resourceId":null}"#;
/// The 404 of an unknown path.
pub(crate) const NOT_FOUND: &str =
    r#"{"errorCode":"NotFound","message":"Resource does not exist","resourceId":null}"#;

/// Tokens a VBR login handed out.
#[derive(Debug, Clone)]
pub(crate) struct VbrLogin {
    pub(crate) access: String,
    pub(crate) refresh: String,
    pub(crate) body: Value,
}

impl TestApp {
    /// A mock playing the VBR test world.
    pub(crate) async fn spawn_vbr() -> TestApp {
        TestApp::spawn_with(VBR).await
    }

    /// A mock playing the VBR test world with `lines` (`key = value` each) set in `[vbr]`.
    pub(crate) async fn spawn_vbr_with(lines: &str) -> TestApp {
        let key = |line: &str| line.split('=').next().map(|key| key.trim().to_owned());
        let set: Vec<&str> = lines.lines().collect();
        let kept: Vec<&str> = VBR
            .lines()
            .filter(|line| !set.iter().any(|new| key(new) == key(line) && line.contains('=')))
            .collect();
        let text = kept.join("\n").replacen("[vbr]\n", &format!("[vbr]\n{lines}\n"), 1);
        TestApp::spawn_with(&text).await
    }

    /// `POST /api/oauth2/token` with a form body and `x-api-version: version` (none when `None`).
    pub(crate) async fn vbr_token(&self, version: Option<&str>, form: &[(&str, &str)]) -> Response {
        let mut request = self.client.post(self.url("/api/oauth2/token")).form(form);
        if let Some(version) = version {
            request = request.header("x-api-version", version);
        }
        request.send().await.expect("request sent")
    }

    /// A password login under `version` that must succeed.
    pub(crate) async fn vbr_login(&self, version: &str, username: &str) -> VbrLogin {
        let response = self
            .vbr_token(
                Some(version),
                &[("grant_type", "Password"), ("username", username), ("password", "PassWord1")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        VbrLogin::read(response).await
    }

    /// `grant_type=refresh_token` under `version`.
    pub(crate) async fn vbr_refresh(&self, version: &str, refresh: &str) -> Response {
        self.vbr_token(Some(version), &[("grant_type", "refresh_token"), ("refresh_token", refresh)]).await
    }

    /// A call with `method`, `x-api-version` and an optional bearer.
    pub(crate) async fn vbr_call(
        &self,
        method: reqwest::Method,
        path: &str,
        version: Option<&str>,
        access: Option<&str>,
    ) -> Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(version) = version {
            request = request.header("x-api-version", version);
        }
        if let Some(token) = access {
            request = request.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        request.send().await.expect("request sent")
    }

    /// `GET path` under `version` with an optional bearer.
    pub(crate) async fn vbr_get(&self, path: &str, version: Option<&str>, access: Option<&str>) -> Response {
        self.vbr_call(reqwest::Method::GET, path, version, access).await
    }

    /// `POST /api/oauth2/logout` under `version` with an optional bearer.
    pub(crate) async fn vbr_logout(&self, version: &str, access: Option<&str>) -> Response {
        self.vbr_call(reqwest::Method::POST, "/api/oauth2/logout", Some(version), access).await
    }
}

impl VbrLogin {
    /// Reads a 200 token response.
    pub(crate) async fn read(response: Response) -> VbrLogin {
        let body: Value = response.json().await.expect("JSON body");
        let text = |name: &str| body[name].as_str().unwrap_or_else(|| panic!("{name} in {body}")).to_owned();
        VbrLogin { access: text("access_token"), refresh: text("refresh_token"), body }
    }
}

/// Asserts `response` is `status` with VBR's JSON content type and exactly `expected`.
pub(crate) async fn assert_vbr(response: Response, status: StatusCode, expected: &str) {
    assert_eq!(response.status(), status);
    assert_eq!(response.headers()["content-type"], "application/json; charset=utf-8");
    assert_eq!(response.text().await.expect("body"), expected);
}

/// One of the official VBR documents (`vbr_rest_<version>.json`), when `VEEAM_OFFICIAL_DOCS`
/// names the folder holding Veeam's documents (`tests/official/run.sh` does, in CI); `None`
/// otherwise, and the checks against the documents are skipped.
pub(crate) fn official(version: &str) -> Option<Value> {
    let folder = std::env::var_os("VEEAM_OFFICIAL_DOCS")?;
    let path = std::path::Path::new(&folder).join(format!("vbr_rest_{version}.json"));
    let text = std::fs::read_to_string(path).ok()?;
    Some(serde_json::from_str(&text).expect("the official document is JSON"))
}

/// The document's `TokenModelExample` value, keys in the document's order (serde_json keeps it).
pub(crate) fn token_example(document: &Value) -> Value {
    document["components"]["examples"]["TokenModelExample"]["value"].clone()
}

/// A JWT part (0 header, 1 claims) as JSON text, exactly as encoded.
pub(crate) fn jwt_text(token: &str, index: usize) -> String {
    crate::helpers::jwt_part(token, index)
}

/// The keys of a JSON object, in order.
pub(crate) fn keys(value: &Value) -> Vec<String> {
    value.as_object().expect("an object").keys().cloned().collect()
}
