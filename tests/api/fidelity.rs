//! Answers checked against the official OpenAPI documents (issue 11, items 9-13): the licence
//! gate's reach, the accept body, required explore bodies, each version's own members, and the
//! legacy tokens' DPAPI layout. `tests/official/run.sh` checks every served operation against the
//! documents themselves.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

use crate::azure_helpers::{AZURE, ISSUED, assert_problem};
use crate::helpers::{CONTOSO, Login, TestApp, WORLD, assert_body};

/// The Azure world with the licence agreement not yet accepted.
fn unaccepted() -> String {
    AZURE.replace("license_agreement_accepted = true", "license_agreement_accepted = false")
}

/// `POST /api/v8.1/licenseAgreement/accept` with a raw body and an optional content type.
async fn accept(app: &TestApp, bearer: &str, content_type: Option<&str>, body: &'static [u8]) -> Response {
    let mut request = app
        .client
        .post(app.url("/api/v8.1/licenseAgreement/accept"))
        .header("Authorization", bearer)
        .body(body);
    if let Some(value) = content_type {
        request = request.header(CONTENT_TYPE, value);
    }
    request.send().await.expect("request sent")
}

/// ProblemDetails400 with one `errors` entry.
fn bad_request(key: &str, message: &str) -> String {
    let errors = json!({ key: [message] });
    format!(
        r#"{{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,"errors":{errors},"traceId":"TRACE"}}"#
    )
}

#[tokio::test]
async fn system_status_answers_before_the_licence_agreement_is_accepted() {
    // Arrange: the official operation declares only 200 and 401.
    let app = TestApp::spawn_with(&unaccepted()).await;
    let login = app.azure_login("administrator").await;

    // Act
    let status = app.azure_get("/api/v8.1/system/status", Some(&login.bearer())).await;

    // Assert
    assert_eq!(status.headers()["content-type"], "application/json; charset=utf-8");
    assert_body(status, StatusCode::OK, &format!(r#"{{"state":"Ready","serverTime":"{ISSUED}"}}"#)).await;
}

#[tokio::test]
async fn accepting_the_licence_binds_its_body_as_aspnet_core_does() {
    // Arrange
    let app = TestApp::spawn_with(&unaccepted()).await;
    let bearer = app.azure_login("administrator").await.bearer();
    let json = Some("application/json");
    let unsupported = r#"{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.16","title":"Unsupported Media Type","status":415,"traceId":"TRACE"}"#;
    let list = "System.Collections.Generic.List`1[Veeam.Azure.REST.V5.DocumentChecksum]";

    // Act and assert: every refusal leaves the agreement unaccepted.
    assert_problem(accept(&app, &bearer, None, b"[]").await, StatusCode::UNSUPPORTED_MEDIA_TYPE, unsupported)
        .await;
    let text = accept(&app, &bearer, Some("text/plain"), b"[]").await;
    assert_problem(text, StatusCode::UNSUPPORTED_MEDIA_TYPE, unsupported).await;
    let empty = bad_request("", "A non-empty request body is required.");
    assert_problem(accept(&app, &bearer, json, b"").await, StatusCode::BAD_REQUEST, &empty).await;
    let open = bad_request(
        "$",
        "The input is not valid JSON: EOF while parsing a list. Path: $ | LineNumber: 0 | BytePositionInLine: 1.",
    );
    assert_problem(accept(&app, &bearer, json, b"[").await, StatusCode::BAD_REQUEST, &open).await;
    let object = bad_request("$", &format!("The JSON value could not be converted to {list}. Path: $."));
    assert_problem(accept(&app, &bearer, json, b"{}").await, StatusCode::BAD_REQUEST, &object).await;
    let mistyped = bad_request(
        "$[0].checksum",
        "The JSON value could not be converted to System.String. Path: $[0].checksum.",
    );
    let body = br#"[{"checksum":42,"type":"Eula"}]"#;
    assert_problem(accept(&app, &bearer, json, body).await, StatusCode::BAD_REQUEST, &mistyped).await;
    let random = accept(&app, &bearer, json, b"\x8f\x00\xffgarbage").await;
    assert_eq!(random.status(), StatusCode::BAD_REQUEST);
    let accepted = app.azure_get("/api/v8.1/licenseAgreement/accepted", Some(&bearer)).await;
    assert_body(accepted, StatusCode::OK, "false").await;

    // A well-formed array of DocumentChecksum is accepted.
    let good = accept(
        &app,
        &bearer,
        Some("application/json; charset=utf-8"),
        br#"[{"checksum":"c1","type":"Eula"}]"#,
    );
    assert_body(good.await, StatusCode::NO_CONTENT, "").await;
    let accepted = app.azure_get("/api/v8.1/licenseAgreement/accepted", Some(&bearer)).await;
    assert_body(accepted, StatusCode::OK, "true").await;
}

/// `POST` an explore route with a raw body and an optional content type.
async fn explore_raw(
    app: &TestApp,
    path: &str,
    login: &Login,
    content_type: Option<&str>,
    body: &'static str,
) -> Response {
    let mut request = app.client.post(app.url(path)).bearer_auth(&login.access).body(body);
    if let Some(value) = content_type {
        request = request.header(CONTENT_TYPE, value);
    }
    request.send().await.expect("request sent")
}

#[tokio::test]
async fn explore_routes_require_a_json_body_in_each_versions_error_shape() {
    let app = TestApp::spawn_with(WORLD).await;
    let no_type = "The request has no Content-Type; send the body as application/json.";
    let text_plain = "The request entity's media type 'text/plain' is not supported for this resource.";
    let required = "The request body is required; send a JSON object.";
    for version in ["v6", "v7", "v8"] {
        let (admin, tenant) = (app.admin(version).await, app.tenant(version).await);
        let by_admin = format!("/{version}/Organizations/{CONTOSO}/explore");
        let by_tenant = format!("/{version}/Organization/Explore");
        // v8 adds errorCode (v7's enum has no code for these, so it is left out there).
        let shape = |message: &str, code: &str| match version {
            "v8" => format!(r#"{{"message":{},"errorCode":"{code}"}}"#, json!(message)),
            _ => format!(r#"{{"message":{}}}"#, json!(message)),
        };
        for (path, login) in [(&by_admin, &admin), (&by_tenant, &tenant)] {
            let none = explore_raw(&app, path, login, None, "").await;
            assert_body(none, StatusCode::UNSUPPORTED_MEDIA_TYPE, &shape(no_type, "HttpError")).await;
            let text = explore_raw(&app, path, login, Some("text/plain"), r#"{"type":"Vex"}"#).await;
            assert_body(text, StatusCode::UNSUPPORTED_MEDIA_TYPE, &shape(text_plain, "HttpError")).await;
            let empty = explore_raw(&app, path, login, Some("application/json"), "").await;
            let expected = shape(required, "ParameterValidationFailure");
            assert_body(empty, StatusCode::BAD_REQUEST, &expected).await;
            let broken = explore_raw(&app, path, login, Some("application/json"), r#"{"type":"#).await;
            assert_eq!(broken.status(), StatusCode::BAD_REQUEST, "{version} {path}");
            let array = explore_raw(&app, path, login, Some("application/json"), "[]").await;
            let expected = shape("The request body must be a JSON object.", "ParameterValidationFailure");
            assert_body(array, StatusCode::BAD_REQUEST, &expected).await;
        }
    }
}

#[tokio::test]
async fn each_version_answers_with_its_own_schemas_members_only() {
    // Arrange
    let app = TestApp::spawn_with(WORLD).await;

    // Act and assert: restorePortalUri came with v7.
    let portal = r#""applicationId":"0c5a5f0e-7b1d-4f4e-9a3c-2d8e6b1f7a90","msalAuthorityUri":"https://login.microsoftonline.com/organizations""#;
    let v6 = app.call(Method::GET, "/v6/RestorePortalSettings", None, None).await;
    assert_body(v6, StatusCode::OK, &format!(r#"{{{portal},"isEnabled":true}}"#)).await;
    let v7 = app.call(Method::GET, "/v7/RestorePortalSettings", None, None).await;
    let with_uri = format!(r#"{{{portal},"restorePortalUri":"https://127.0.0.1:4443/","isEnabled":true}}"#);
    assert_body(v7, StatusCode::OK, &with_uri).await;

    // eTag came with v8: neither the explore answer nor the session has it before.
    for version in ["v5", "v6", "v7", "v8"] {
        let admin = app.admin(version).await;
        let (path, body) = if version == "v5" {
            (format!("/v5/Organizations/{CONTOSO}/Action"), json!({"explore": {"type": "Vex"}}))
        } else {
            (format!("/{version}/Organizations/{CONTOSO}/explore"), json!({"type": "Vex"}))
        };
        let created: Value =
            app.call(Method::POST, &path, Some(&admin), Some(body)).await.json().await.expect("JSON");
        let id = created["id"].as_str().expect("id");
        let session: Value = app
            .call(Method::GET, &format!("/{version}/RestoreSessions/{id}"), Some(&admin), None)
            .await
            .json()
            .await
            .expect("JSON");
        let has_etag = version == "v8";
        assert_eq!(created.get("eTag").is_some(), has_etag, "{version}: {created}");
        assert_eq!(session.get("eTag").is_some(), has_etag, "{version}: {session}");
    }
}

/// The sizes of a DPAPI blob's length-prefixed fields, after checking its fixed header; `None`
/// when the token is not a complete blob (truncated, or bytes after the signature).
fn dpapi_layout(token: &str) -> Option<Vec<u32>> {
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    let mut at = 0usize;
    let u32_at = |at: &mut usize| -> Option<u32> {
        let value = u32::from_le_bytes(bytes.get(*at..*at + 4)?.try_into().ok()?);
        *at += 4;
        Some(value)
    };
    // version, provider GUID (16), master-key version, master-key GUID (16), flags
    let version = u32_at(&mut at)?;
    at += 16;
    let key_version = u32_at(&mut at)?;
    at += 16;
    let flags = u32_at(&mut at)?;
    let mut layout = vec![version, key_version, flags];
    // description, cipher id, cipher bits, salt, HMAC key, hash id, hash bits, HMAC2 key, data,
    // signature: `true` marks a length-prefixed byte string.
    for sized in [true, false, false, true, true, false, false, true, true, true] {
        let value = u32_at(&mut at)?;
        if sized {
            at += value as usize;
        }
        layout.push(value);
    }
    (at == bytes.len()).then_some(layout)
}

#[tokio::test]
async fn legacy_tokens_are_complete_dpapi_blobs_of_seed_001s_layout() {
    let app = TestApp::spawn_with(WORLD).await;

    let login = app.admin("v2").await;

    // Seed 001: version 1, key version 1, no flags, an empty description, AES-256 (0x6610),
    // a 32-byte salt, no HMAC key, SHA-512 (0x800e), a 32-byte HMAC2 key, 192 bytes of data
    // and a 64-byte signature: 406 bytes, 542 characters.
    let seed = vec![1, 1, 0, 2, 0x6610, 256, 32, 0, 0x800e, 512, 32, 192, 64];
    for token in [&login.access, &login.refresh] {
        assert_eq!(dpapi_layout(token), Some(seed.clone()), "{token}");
        assert_eq!(token.len(), 542);
    }
}
