//! Faults seen by a real HTTP client: each kind, N-then-succeed sequences, filters by grant,
//! auth-aware faults, and scenario-declared faults.

use std::time::Duration;

use reqwest::StatusCode;
use veeam_auth_mock::{Endpoint, Fault};

use crate::azure_helpers::AZURE;
use crate::helpers::{FROZEN, Login, TestApp, assert_401_empty, assert_error};

const ADMIN_FORM: [(&str, &str); 4] = [
    ("grant_type", "password"),
    ("username", "Administrator"),
    ("password", "PassWord1"),
    ("disable_antiforgery_token", "true"),
];

#[tokio::test]
async fn a_status_fault_answers_in_the_products_error_shape_then_the_product_answers() {
    let app = TestApp::spawn().await;
    app.server.faults().add(Fault::status(503).on(Endpoint::Vb365Token).times(2));

    for _ in 0..2 {
        let response = app.post_token(&ADMIN_FORM).await;
        assert_error(
            response,
            StatusCode::SERVICE_UNAVAILABLE,
            "The service is unavailable. Try again later.",
            None,
        )
        .await;
    }
    assert_eq!(app.post_token(&ADMIN_FORM).await.status(), StatusCode::OK, "the third call succeeds");
    let state = &app.server.faults().list()[0];
    assert_eq!((state.matched, state.fired, state.remaining), (3, 2, Some(0)));
}

#[tokio::test]
async fn call_numbers_fail_only_the_calls_named() {
    let app = TestApp::spawn().await;
    app.server.faults().add(Fault::status(500).on(Endpoint::Vb365Token).calls([2, 3]));
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(app.post_token(&ADMIN_FORM).await.status().as_u16());
    }
    assert_eq!(statuses, [200, 500, 500, 200]);
}

#[tokio::test]
async fn a_429_carries_retry_after_and_the_v8_body() {
    let app = TestApp::spawn().await;
    app.server.faults().add(Fault::too_many_requests(Duration::from_secs(30)).on(Endpoint::Vb365Token));
    let response = app.post_token(&ADMIN_FORM).await;
    assert_eq!(response.headers()["retry-after"], "30");
    assert_error(response, StatusCode::TOO_MANY_REQUESTS, "Too many requests. Try again later.", None).await;
}

#[tokio::test]
async fn azure_faults_answer_in_problem_json() {
    let app = TestApp::spawn_with(AZURE).await;
    app.server.faults().add(Fault::status(503).on(Endpoint::AzureToken));
    let response = app
        .client
        .post(app.url("/api/oauth2/token"))
        .form(&[("grant_type", "Password"), ("username", "administrator"), ("password", "PassWord1")])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["content-type"], "application/problem+json; charset=utf-8");
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(body["status"], 503);
    assert_eq!(body["title"], "An error occurred while processing your request.");
    assert!(body["traceId"].as_str().is_some_and(|id| id.starts_with("00-")), "{body}");
}

#[tokio::test]
async fn a_given_body_and_headers_replace_the_products() {
    let app = TestApp::spawn().await;
    let fault = Fault::status(502)
        .on(Endpoint::Vb365Token)
        .body("text/html", "<h1>Bad Gateway</h1>")
        .header("X-Proxy", "nginx");
    app.server.faults().add(fault);
    let response = app.post_token(&ADMIN_FORM).await;
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(response.headers()["content-type"], "text/html");
    assert_eq!(response.headers()["x-proxy"], "nginx");
    assert_eq!(response.text().await.expect("body"), "<h1>Bad Gateway</h1>");
}

#[tokio::test]
async fn a_dropped_connection_is_an_error_to_the_client_not_a_hang() {
    let app = TestApp::spawn().await;
    app.server.faults().add(Fault::drop_connection().on(Endpoint::Vb365Token).times(1));
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("client");
    let error = client.post(app.url("/v8/token")).form(&ADMIN_FORM).send().await.expect_err("no answer");
    assert!(!error.is_timeout(), "the client must not wait for its timeout: {error:?}");
    assert!(error.is_request(), "{error:?}");
    assert_eq!(app.server.journal().entries()[0].status, None, "the journal shows no status");
    assert_eq!(app.post_token(&ADMIN_FORM).await.status(), StatusCode::OK, "the next call is answered");
}

#[tokio::test]
async fn a_reset_connection_is_seen_as_a_reset() {
    let app = TestApp::spawn().await;
    app.server.faults().add(Fault::reset_connection().on(Endpoint::Vb365Token).times(1));
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("client");
    let error = client.post(app.url("/v8/token")).form(&ADMIN_FORM).send().await.expect_err("no answer");
    assert!(!error.is_timeout(), "{error:?}");
    let reset = std::iter::successors(Some(&error as &dyn std::error::Error), |e| e.source()).any(|e| {
        e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionReset)
    });
    assert!(reset, "the cause chain names a connection reset: {error:?}");
    assert_eq!(app.post_token(&ADMIN_FORM).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_truncated_body_fails_to_read_and_a_malformed_one_fails_to_parse() {
    let app = TestApp::spawn().await;
    app.server.faults().add(Fault::truncated_body().on(Endpoint::Vb365Token).calls([1]));
    app.server.faults().add(Fault::malformed_body().on(Endpoint::Vb365Token).calls([2]));

    let response = app.post_token(&ADMIN_FORM).await;
    assert_eq!(response.status(), StatusCode::OK, "the head arrives");
    assert!(response.bytes().await.is_err(), "the body ends before its Content-Length");

    let response = app.post_token(&ADMIN_FORM).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("a complete body");
    assert!(text.starts_with(r#"{"access_token":"eyJ"#), "{text}");
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_err(), "not valid JSON: {text}");
}

#[tokio::test]
async fn an_empty_200_has_no_body() {
    let app = TestApp::spawn().await;
    app.server.faults().add(Fault::empty_ok().on(Endpoint::Vb365Token));
    let response = app.post_token(&ADMIN_FORM).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-length"], "0");
    assert_eq!(response.text().await.expect("body"), "");
}

#[tokio::test]
async fn a_delay_holds_the_answer_back() {
    let app = TestApp::spawn().await;
    app.server.faults().add(Fault::delay(Duration::from_secs(5)).on(Endpoint::Vb365Token));
    let client = reqwest::Client::builder().timeout(Duration::from_millis(300)).build().expect("client");
    let error = client.post(app.url("/v8/token")).form(&ADMIN_FORM).send().await.expect_err("too slow");
    assert!(error.is_timeout(), "{error:?}");
    // Other endpoints are not delayed.
    let response = client.get(app.url("/v8/ServiceInstance")).send().await.expect("answered at once");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_next_refresh_fails_in_the_products_own_terms() {
    let app = TestApp::spawn().await;
    let login = app.login(true).await;
    app.server
        .faults()
        .add(Fault::revoke_session().on(Endpoint::Vb365Token).grant_type("refresh_token").times(1));

    let password_login = app.post_token(&ADMIN_FORM).await;
    assert_eq!(password_login.status(), StatusCode::OK, "a password grant is not the fault's");
    let refused = app.refresh(&login.refresh, None).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{:?}", refused.text().await);
    assert_401_empty(app.service_instance_as(&login).await).await;

    let other = Login::read(password_login).await;
    assert_eq!(app.refresh(&other.refresh, None).await.status(), StatusCode::OK, "the fault was used once");
}

#[tokio::test]
async fn expiring_a_token_early_gets_the_expired_challenge() {
    let app = TestApp::spawn().await;
    let login = app.login(true).await;
    app.server.faults().add(Fault::expire_token().on(Endpoint::Vb365ServiceInstance).times(1));
    let challenge = assert_401_empty(app.service_instance_as(&login).await).await;
    assert!(challenge.contains("The token expired at"), "{challenge}");
    assert_eq!(
        app.refresh(&login.refresh, None).await.status(),
        StatusCode::OK,
        "the refresh token still works"
    );
}

#[tokio::test]
async fn faults_declared_in_the_scenario_are_in_force_from_the_start() {
    let scenario = format!(
        "{FROZEN}\n[[faults]]\nendpoint = \"vb365.token\"\ngrant_type = \"password\"\nuser = \"administrator\"\ncalls = [1]\nstatus = 503\n"
    );
    let app = TestApp::spawn_with(&scenario).await;
    assert_eq!(app.post_token(&ADMIN_FORM).await.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(app.post_token(&ADMIN_FORM).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_path_fault_reaches_any_route_and_leaves_others_alone() {
    let app = TestApp::spawn().await;
    app.server.faults().add(Fault::status(500).on_path("/v8/ServiceInstance").method("GET"));
    assert_eq!(app.service_instance(None, None).await.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(app.client.get(app.url("/V8/serviceinstance/")).send().await.expect("sent").status(), 500);
    assert_eq!(app.post_token(&ADMIN_FORM).await.status(), StatusCode::OK);
}

#[cfg(feature = "cli")]
#[test]
fn faults_drop_and_reset_tls_connections_too() {
    let server = veeam_auth_mock::MockServer::builder().https(true).start_blocking();
    let base = server.https_uri().expect("HTTPS is on");
    let agent = crate::https::trusting(server.certificate_pem().expect("HTTPS is on"));
    server.faults().add(Fault::drop_connection().on(Endpoint::Vb365Token).calls([1]));
    server.faults().add(Fault::reset_connection().on(Endpoint::Vb365Token).calls([2]));

    let dropped = crate::https::login(&agent, &base).expect_err("no answer");
    assert!(matches!(dropped, ureq::Error::Io(_) | ureq::Error::Protocol(_)), "{dropped:?}");
    let reset = crate::https::login(&agent, &base).expect_err("no answer");
    assert!(matches!(reset, ureq::Error::Io(_)), "{reset:?}");
    let (status, _) = crate::https::login(&agent, &base).expect("answered");
    assert_eq!(status, 200, "the third login is answered");
}

#[tokio::test]
async fn an_injected_azure_401_has_a_body_or_not_as_the_scenario_says() {
    for (setting, empty) in [("unauthorized_body = \"json\"", false), ("unauthorized_body = \"empty\"", true)]
    {
        let app = TestApp::spawn_azure_with(setting).await;
        app.server.faults().add(Fault::status(401).on(Endpoint::AzureAbout));
        let response = app.azure_get("/api/v8.1/system/about", None).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        let body = response.text().await.expect("body");
        assert_eq!(body.is_empty(), empty, "{setting}: {body}");
    }
}

/// Reads from `stream` until the end of an answer's head (`\r\n\r\n`); returns the head.
fn read_head(stream: &mut std::net::TcpStream) -> String {
    use std::io::Read;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let read = stream.read(&mut byte).expect("the head arrives");
        assert_eq!(read, 1, "closed after {:?}", String::from_utf8_lossy(&head));
        head.push(byte[0]);
    }
    String::from_utf8_lossy(&head).into_owned()
}

#[tokio::test]
async fn a_204_fault_has_no_body_and_the_next_answer_on_the_connection_is_framed() {
    let app = TestApp::spawn().await;
    // The fault's own headers may not announce a body either.
    app.server.faults().add(
        Fault::status(204)
            .on(Endpoint::Vb365ServiceInstance)
            .header("Content-Type", "application/json")
            .header("X-Proxy", "nginx")
            .times(1),
    );
    let address = app.server.address();
    let (first, rest) = two_requests_on_one_connection(
        address,
        b"GET /v8/ServiceInstance HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
    )
    .await;

    let lower = first.to_ascii_lowercase();
    assert!(first.starts_with("HTTP/1.1 204 No Content\r\n"), "{first}");
    assert!(lower.contains("\r\nx-proxy: nginx\r\n"), "{first}");
    for header in ["content-type", "content-length", "transfer-encoding"] {
        assert!(!lower.contains(header), "{header} in {first}");
    }
    // Nothing of a body between the two answers: the second starts where the first ended.
    assert!(rest.starts_with("HTTP/1.1 401 Unauthorized\r\n"), "{rest}");
    let body = rest.split_once("\r\n\r\n").map(|(_, body)| body).unwrap_or_default();
    assert!(body.is_empty() || body.starts_with('{'), "{rest}");
}

#[tokio::test]
async fn a_304_fault_has_no_body_either() {
    let app = TestApp::spawn().await;
    app.server.faults().add(Fault::status(304).on(Endpoint::Vb365ServiceInstance).header("ETag", "\"v1\""));
    let response = app.client.get(app.url("/v8/ServiceInstance")).send().await.expect("answered");
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(response.headers()["etag"], "\"v1\"");
    assert!(response.headers().get("content-type").is_none(), "{:?}", response.headers());
    assert!(response.bytes().await.expect("read").is_empty());
}

#[tokio::test]
async fn the_admin_api_refuses_an_interim_status_and_a_body_for_204() {
    let app = TestApp::spawn().await;
    assert_faults_refused(&app, [
        (
            serde_json::json!({"status": 101}),
            "status: 101 is an interim (1xx) status, which would leave the client out of step; a fault answers a final status, 200-599",
        ),
        (
            serde_json::json!({"status": 204, "body": "{}"}),
            "body: a 204 answer has no body; leave out `body`",
        ),
    ])
    .await;
}

#[tokio::test]
async fn the_admin_api_holds_at_most_a_thousand_faults() {
    let app = TestApp::spawn().await;
    for _ in 0..veeam_auth_mock::faults::FaultPlan::MAX_FAULTS {
        app.server.faults().add(Fault::status(503).on_path("/nowhere"));
    }
    let fault = serde_json::json!({"path": "/nowhere", "status": 503});
    let response = app.client.post(app.url("/__mock/faults")).json(&fault).send().await.expect("answered");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = response.json().await.expect("JSON");
    let detail = "1000 faults are in force, the most the mock holds; remove some (or all) before adding more";
    assert_eq!(body, serde_json::json!({"error": "bad_request", "detail": detail}));
    assert_eq!(app.server.faults().list().len(), 1000, "the refused fault was not added");

    app.server.faults().clear();
    let response = app.client.post(app.url("/__mock/faults")).json(&fault).send().await.expect("answered");
    assert_eq!(response.status(), StatusCode::CREATED, "room again once the faults are removed");
}

#[tokio::test]
async fn the_admin_api_refuses_fault_headers_it_could_not_send_and_oversized_faults() {
    let app = TestApp::spawn().await;
    assert_faults_refused(&app, [
        (
            serde_json::json!({"status": 200, "headers": {"X-Bad\r\nInjected": "v"}}),
            r"headers: `X-Bad\r\nInjected` is not a header name (letters, digits and !#$%&'*+-.^_`|~ only)",
        ),
        (
            serde_json::json!({"status": 200, "headers": {"X-Ok": "bad\r\nInjected: yes"}}),
            r"headers: `bad\r\nInjected: yes` holds a control character, which a header value cannot",
        ),
        (
            serde_json::json!({"status": 200, "body": "hi", "content_type": "text/plain\r\nX-Inj: 1"}),
            r"content_type: `text/plain\r\nX-Inj: 1` holds a control character, which a header value cannot",
        ),
        (
            serde_json::json!({"status": 200, "headers": {"Content-Length": "1000"}}),
            "headers: `Content-Length` is set by the mock from the body it sends; leave it out",
        ),
        (
            serde_json::json!({"status": 503, "body": "x".repeat(70_000)}),
            "body: the body, content type and headers hold 70000 bytes; at most 65536 fit",
        ),
    ])
    .await;
}

#[tokio::test]
async fn a_builder_fault_with_an_unsendable_content_type_still_answers_its_status_and_body() {
    let app = TestApp::spawn().await;
    app.server
        .faults()
        .add(Fault::status(503).on(Endpoint::Vb365Health).body("text/plain\r\nX-Inj: 1", "down"));
    let response = app.client.get(app.url("/v8/Health")).send().await.expect("answered");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["content-type"], "application/json; charset=utf-8");
    assert_eq!(response.text().await.expect("body"), "down");
}

#[tokio::test]
async fn a_malformed_body_fault_on_a_204_logout_sends_no_body_and_keeps_the_connection_framed() {
    let app = TestApp::spawn().await;
    let login = app.login(true).await;
    app.server.faults().add(Fault::malformed_body().on(Endpoint::Vb365Logout).times(1));
    let address = app.server.address();
    let logout = format!(
        "POST /v8/token/logout HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\r\n",
        login.access
    );
    let (first, rest) = two_requests_on_one_connection(address, logout.into_bytes()).await;

    assert!(first.starts_with("HTTP/1.1 204 No Content\r\n"), "{first}");
    // Nothing between the two answers: before, `{"` followed the 204 and broke the second.
    assert!(rest.starts_with("HTTP/1.1 401 Unauthorized\r\n"), "{rest}");
    assert_eq!(app.server.faults().list()[0].fired, 1, "the fault fired");
}

/// Each fault is refused over the admin API with 400 and exactly its detail, and none is added.
async fn assert_faults_refused<const N: usize>(app: &TestApp, cases: [(serde_json::Value, &str); N]) {
    for (fault, detail) in cases {
        let response =
            app.client.post(app.url("/__mock/faults")).json(&fault).send().await.expect("answered");
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body: serde_json::Value = response.json().await.expect("JSON");
        assert_eq!(body, serde_json::json!({"error": "bad_request", "detail": detail}));
    }
    assert!(app.server.faults().list().is_empty());
}

/// Sends `request` on a fresh keep-alive connection and reads its answer's head, then sends a
/// `GET /v8/ServiceInstance` with `Connection: close` on the same connection and reads the rest:
/// (the first head, everything after it). A first answer with a body it should not have shows
/// up at the start of the rest.
async fn two_requests_on_one_connection(address: std::net::SocketAddr, request: Vec<u8>) -> (String, String) {
    use std::io::{Read, Write};
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(address).expect("connected");
        stream.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout set");
        stream.write_all(&request).expect("sent");
        let first = read_head(&mut stream);
        stream
            .write_all(b"GET /v8/ServiceInstance HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .expect("sent");
        let mut rest = Vec::new();
        stream.read_to_end(&mut rest).expect("the second answer");
        (first, String::from_utf8_lossy(&rest).into_owned())
    })
    .await
    .expect("joined")
}
