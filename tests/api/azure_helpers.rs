//! Helpers for the VBAzure tests: the Azure test world, token requests, and checks for
//! problem+json bodies with their random `traceId`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::header::AUTHORIZATION;
use reqwest::{Response, StatusCode};
use serde_json::Value;

use crate::helpers::TestApp;

/// The Azure test world (`tests/fixtures/azure.toml`): every Azure key, a frozen clock.
pub(crate) const AZURE: &str = include_str!("../fixtures/azure.toml");

/// Where the frozen clock stands, in the product's date format.
pub(crate) const ISSUED: &str = "2024-08-07T15:56:22.9188632Z";
/// One hour later.
pub(crate) const EXPIRES: &str = "2024-08-07T16:56:22.9188632Z";
/// The frozen instant in Unix seconds.
pub(crate) const NOW: i64 = 1_723_046_182;
/// The administrator's id in the fixture.
pub(crate) const ADMIN_ID: &str = "6f4236c2-1626-4cfb-8eec-4961e57a0241";
/// The TOTP key of `mfa-operator` (base32 `JBSWY3DPEHPK3PXP`).
pub(crate) const TOTP_KEY: &[u8] = b"Hello!\xde\xad\xbe\xef";

/// Tokens a VBAzure login handed out.
#[derive(Debug, Clone)]
pub(crate) struct AzureLogin {
    pub(crate) access: String,
    pub(crate) refresh: String,
    pub(crate) body: Value,
}

impl TestApp {
    /// A mock playing the Azure test world.
    pub(crate) async fn spawn_azure() -> TestApp {
        TestApp::spawn_with(AZURE).await
    }

    /// A mock playing the Azure test world with one `key = value` line of `[azure]` replaced.
    pub(crate) async fn spawn_azure_with(setting: &str) -> TestApp {
        let key = setting.split('=').next().expect("key = value").trim();
        let text: Vec<&str> = AZURE
            .lines()
            .map(|line| if line.split('=').next().map(str::trim) == Some(key) { setting } else { line })
            .collect();
        TestApp::spawn_with(&text.join("\n")).await
    }

    /// `POST /api/oauth2/token` with a form body.
    pub(crate) async fn azure_token(&self, form: &[(&str, &str)]) -> Response {
        self.client.post(self.url("/api/oauth2/token")).form(form).send().await.expect("request sent")
    }

    /// A password login that must succeed without MFA.
    pub(crate) async fn azure_login(&self, username: &str) -> AzureLogin {
        let response = self
            .azure_token(&[("grant_type", "Password"), ("username", username), ("password", "PassWord1")])
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        AzureLogin::read(response).await
    }

    /// `grant_type=Refresh_token`.
    pub(crate) async fn azure_refresh(&self, refresh: &str) -> Response {
        self.azure_token(&[("grant_type", "Refresh_token"), ("refresh_token", refresh)]).await
    }

    /// A GET with an optional `Authorization` value.
    pub(crate) async fn azure_get(&self, path: &str, authorization: Option<&str>) -> Response {
        let mut request = self.client.get(self.url(path));
        if let Some(value) = authorization {
            request = request.header(AUTHORIZATION, value);
        }
        request.send().await.expect("request sent")
    }

    /// `DELETE /api/oauth2/token` with an optional bearer.
    pub(crate) async fn azure_logout(&self, access: Option<&str>) -> Response {
        let mut request = self.client.delete(self.url("/api/oauth2/token?api-version=8.1"));
        if let Some(token) = access {
            request = request.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        request.send().await.expect("request sent")
    }
}

impl AzureLogin {
    /// Reads a 200 token response with tokens.
    pub(crate) async fn read(response: Response) -> AzureLogin {
        let body: Value = response.json().await.expect("JSON body");
        let text = |name: &str| body[name].as_str().unwrap_or_else(|| panic!("{name} in {body}")).to_owned();
        AzureLogin { access: text("access_token"), refresh: text("refresh_token"), body }
    }

    /// `Bearer <access>`.
    pub(crate) fn bearer(&self) -> String {
        format!("Bearer {}", self.access)
    }
}

/// The JSON claims of a JWT, as signed.
pub(crate) fn claims(token: &str) -> Value {
    let part = token.split('.').nth(1).expect("a three-part JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("JSON")
}

/// Asserts `response` is `status` with `application/problem+json` and exactly `expected`, where
/// `expected` writes the trace id as `TRACE`; the real one must be W3C (`00-<32>-<16>-00`).
pub(crate) async fn assert_problem(response: Response, status: StatusCode, expected: &str) {
    assert_eq!(response.status(), status);
    assert_eq!(response.headers()["content-type"], "application/problem+json; charset=utf-8");
    let text = response.text().await.expect("body");
    let trace = trace_id(&text);
    assert_eq!(text, expected.replace("TRACE", &trace));
}

/// The `traceId` of a problem body, checked for its W3C form.
pub(crate) fn trace_id(text: &str) -> String {
    let body: Value = serde_json::from_str(text).expect("JSON");
    let trace = body["traceId"].as_str().unwrap_or_else(|| panic!("traceId in {text}")).to_owned();
    let parts: Vec<&str> = trace.split('-').collect();
    let hex = |s: &str, len: usize| {
        s.len() == len && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    assert!(
        parts.len() == 4 && parts[0] == "00" && hex(parts[1], 32) && hex(parts[2], 16) && parts[3] == "00",
        "traceId {trace} is not W3C"
    );
    trace
}

/// The 401 ProblemDetailsTraceId of the token endpoint with `detail`.
pub(crate) fn refused(detail: &str) -> String {
    format!(
        r#"{{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.2","title":"Unauthorized","status":401,"detail":"{detail}","instance":"/api/oauth2/token","traceId":"TRACE"}}"#
    )
}

/// The RFC 6238 code (SHA-1, 6 digits) of `key` for the 30-second step of `unix`.
pub(crate) fn totp(key: &[u8], unix: i64) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, key);
    let mac = ring::hmac::sign(&key, &((unix / 30) as u64).to_be_bytes());
    let mac = mac.as_ref();
    let offset = usize::from(mac[19] & 0x0f);
    let value = u32::from_be_bytes([mac[offset] & 0x7f, mac[offset + 1], mac[offset + 2], mac[offset + 3]]);
    format!("{:06}", value % 1_000_000)
}
