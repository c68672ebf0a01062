//! Spawning a mock for a test and talking to it like a client would.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::header::{AUTHORIZATION, HeaderMap, SET_COOKIE};
use reqwest::{Response, StatusCode};
use serde_json::Value;
use veeam_auth_mock::{MockServer, Scenario};

/// The test world (`tests/fixtures/frozen.toml`): frozen at seed 000's instant.
pub(crate) const FROZEN: &str = include_str!("../fixtures/frozen.toml");

/// Seed 000's `.issued`, where the frozen clock stands.
pub(crate) const SEED_ISSUED: &str = "2024-08-07T15:56:22.9188632Z";
/// One hour later: the access token's `.expires`.
pub(crate) const SEED_EXPIRES: &str = "2024-08-07T16:56:22.9188632Z";
/// `exp` of the access token issued at [`SEED_ISSUED`] (seconds, truncated).
pub(crate) const ACCESS_EXP: i64 = 1_723_049_782;

/// A running mock and a client for it.
pub(crate) struct TestApp {
    pub(crate) server: MockServer,
    pub(crate) client: reqwest::Client,
}

/// Tokens a login handed out.
#[derive(Debug, Clone)]
pub(crate) struct Login {
    pub(crate) access: String,
    pub(crate) refresh: String,
    /// The antiforgery cookie's value, when one was set.
    pub(crate) antiforgery: Option<String>,
    pub(crate) body: Value,
}

impl TestApp {
    /// A mock playing the frozen test world.
    pub(crate) async fn spawn() -> TestApp {
        TestApp::spawn_with(FROZEN).await
    }

    /// A mock playing the given scenario text.
    pub(crate) async fn spawn_with(toml: &str) -> TestApp {
        let scenario = Scenario::from_toml_str(toml).expect("test scenario is valid");
        TestApp { server: MockServer::start(scenario).await, client: reqwest::Client::new() }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.uri())
    }

    /// `POST /v8/token` with a form body.
    pub(crate) async fn post_token(&self, form: &[(&str, &str)]) -> Response {
        self.client.post(self.url("/v8/token")).form(form).send().await.expect("request sent")
    }

    /// `POST /v8/token` with a body of the given content type.
    pub(crate) async fn post_token_raw(
        &self,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> Response {
        self.client
            .post(self.url("/v8/token"))
            .header("Content-Type", content_type)
            .body(body)
            .send()
            .await
            .expect("request sent")
    }

    /// A password-grant login as Administrator; `disable_antiforgery` sends the flag.
    pub(crate) async fn login(&self, disable_antiforgery: bool) -> Login {
        let mut form =
            vec![("grant_type", "password"), ("username", "Administrator"), ("password", "PassWord1")];
        if disable_antiforgery {
            form.push(("disable_antiforgery_token", "true"));
        }
        let response = self.post_token(&form).await;
        assert_eq!(response.status(), StatusCode::OK);
        Login::read(response).await
    }

    /// A refresh-token grant, echoing `antiforgery` in the antiforgery header when given.
    pub(crate) async fn refresh(&self, refresh: &str, antiforgery: Option<&str>) -> Response {
        let mut request = self
            .client
            .post(self.url("/v8/token"))
            .form(&[("grant_type", "refresh_token"), ("refresh_token", refresh)]);
        if let Some(token) = antiforgery {
            request = request.header("X-XSRF-TOKEN", token);
        }
        request.send().await.expect("request sent")
    }

    /// `GET /v8/ServiceInstance` with the given `Authorization` value and antiforgery header.
    pub(crate) async fn service_instance(
        &self,
        authorization: Option<&str>,
        antiforgery: Option<&str>,
    ) -> Response {
        let mut request = self.client.get(self.url("/v8/ServiceInstance"));
        if let Some(value) = authorization {
            request = request.header(AUTHORIZATION, value);
        }
        if let Some(token) = antiforgery {
            request = request.header("X-XSRF-TOKEN", token);
        }
        request.send().await.expect("request sent")
    }

    /// `GET /v8/ServiceInstance` as the holder of `login`.
    pub(crate) async fn service_instance_as(&self, login: &Login) -> Response {
        self.service_instance(Some(&format!("Bearer {}", login.access)), login.antiforgery.as_deref()).await
    }

    /// `POST /v8/token/logout` as the holder of `login`.
    pub(crate) async fn logout(&self, login: &Login) -> Response {
        let mut request = self
            .client
            .post(self.url("/v8/token/logout"))
            .header(AUTHORIZATION, format!("Bearer {}", login.access));
        if let Some(token) = &login.antiforgery {
            request = request.header("X-XSRF-TOKEN", token);
        }
        request.send().await.expect("request sent")
    }
}

impl Login {
    /// Reads a 200 token response.
    pub(crate) async fn read(response: Response) -> Login {
        let antiforgery = antiforgery_cookie(response.headers());
        let body: Value = response.json().await.expect("JSON body");
        let text = |name: &str| body[name].as_str().unwrap_or_else(|| panic!("{name} in {body}")).to_owned();
        Login { access: text("access_token"), refresh: text("refresh_token"), antiforgery, body }
    }
}

/// The value of the `XSRF-TOKEN` cookie set by a response, if any.
pub(crate) fn antiforgery_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|cookie| cookie.strip_prefix("XSRF-TOKEN="))
        .map(|rest| rest.split(';').next().unwrap_or_default().to_owned())
}

/// The decoded JSON text of a JWT part (0 = header, 1 = payload), exactly as signed.
pub(crate) fn jwt_part(token: &str, index: usize) -> String {
    let part = token.split('.').nth(index).expect("a three-part JWT");
    String::from_utf8(URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("UTF-8 JSON")
}

/// Asserts a response is 401 with an empty body, and returns its `WWW-Authenticate`.
pub(crate) async fn assert_401_empty(response: Response) -> String {
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|value| value.to_str().expect("ASCII").to_owned())
        .unwrap_or_default();
    assert_eq!(response.text().await.expect("body"), "", "a refused bearer gets an empty body");
    challenge
}

/// Asserts a response is `status` with exactly this v8 `RESTExceptionInfo` body, byte for byte
/// (members in order, null members left out).
pub(crate) async fn assert_error(response: Response, status: StatusCode, message: &str, code: Option<&str>) {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers().get("content-type").expect("content type"),
        "application/json; charset=utf-8"
    );
    let message = serde_json::to_string(message).expect("a JSON string");
    let expected = match code {
        Some(code) => format!(r#"{{"message":{message},"errorCode":"{code}"}}"#),
        None => format!(r#"{{"message":{message}}}"#),
    };
    assert_eq!(response.text().await.expect("a body"), expected);
}

/// The world with organizations, a tenant and an operator (`tests/fixtures/world.toml`).
pub(crate) const WORLD: &str = include_str!("../fixtures/world.toml");
/// The Contoso organization of [`WORLD`].
pub(crate) const CONTOSO: &str = "6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b";
/// The operator's `client_id` in [`WORLD`].
pub(crate) const OPERATOR_CLIENT_ID: &str =
    "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d.6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b";
/// A well-formed assertion: a Microsoft token response, stringified.
pub(crate) const ASSERTION: &str =
    r#"{"token_type":"Bearer","access_token":"eyJ0eXAiOiJKV1QifQ.e30.sig","refresh_token":"0.AX"}"#;
/// The jwt-bearer grant type.
pub(crate) const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

impl TestApp {
    /// `POST /{version}/token` with a form body.
    pub(crate) async fn post_token_at(&self, version: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(&format!("/{version}/token")))
            .form(form)
            .send()
            .await
            .expect("request sent")
    }

    /// A successful sign-in on `version` with `form` (the flag added on v7+ so that no
    /// antiforgery header is needed).
    pub(crate) async fn sign_in(&self, version: &str, form: &[(&str, &str)]) -> Login {
        let mut form = form.to_vec();
        form.push(("disable_antiforgery_token", "true"));
        let response = self.post_token_at(version, &form).await;
        assert_eq!(response.status(), StatusCode::OK, "sign-in on {version}");
        Login::read(response).await
    }

    /// Administrator's password login on `version`.
    pub(crate) async fn admin(&self, version: &str) -> Login {
        self.sign_in(
            version,
            &[("grant_type", "password"), ("username", "Administrator"), ("password", "PassWord1")],
        )
        .await
    }

    /// The Contoso tenant's jwt-bearer login on `version`.
    pub(crate) async fn tenant(&self, version: &str) -> Login {
        let form =
            [("grant_type", JWT_BEARER), ("client_id", "contoso.onmicrosoft.com"), ("assertion", ASSERTION)];
        self.sign_in(version, &form).await
    }

    /// The Contoso operator's operator-grant login on `version`.
    pub(crate) async fn operator(&self, version: &str) -> Login {
        let form = [("grant_type", "operator"), ("client_id", OPERATOR_CLIENT_ID), ("assertion", ASSERTION)];
        self.sign_in(version, &form).await
    }

    /// `method path` with `login`'s bearer and an optional JSON body.
    pub(crate) async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        login: Option<&Login>,
        json: Option<Value>,
    ) -> Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(login) = login {
            request = request.bearer_auth(&login.access);
        }
        if let Some(body) = json {
            request = request.json(&body);
        }
        request.send().await.expect("request sent")
    }
}

/// Asserts `status` and a body of exactly `expected` text.
pub(crate) async fn assert_body(response: Response, status: StatusCode, expected: &str) {
    assert_eq!(response.status(), status);
    assert_eq!(response.text().await.expect("a body"), expected);
}

impl TestApp {
    /// `POST /{version}/token` with a raw form body (sent exactly as given).
    pub(crate) async fn post_token_raw_at(&self, version: &str, body: &'static str) -> Response {
        self.client
            .post(self.url(&format!("/{version}/token")))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("request sent")
    }
}
