//! VBR beside VBAzure on one port, its server endpoints per revision, and version discovery
//! through `/swagger/v{version}/swagger.json`.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::TestApp;
use crate::vbr_helpers::{VbrLogin, assert_vbr, keys, version_error};

/// The embedded default scenario (VB365, VBAzure and VBR), frozen for the test.
async fn spawn_default() -> TestApp {
    let text = veeam_auth_mock::DEFAULT_SCENARIO_TOML.replace("mode = \"ticking\"", "mode = \"frozen\"");
    TestApp::spawn_with(&text).await
}

#[tokio::test]
async fn a_vbr_version_goes_to_vbr_and_anything_else_to_vbazure_on_one_port() {
    let app = spawn_default().await;
    let form = [("grant_type", "Password"), ("username", "administrator"), ("password", "PassWord1")];
    // VBR: its TokenModel (six members), with any VBR revision, even one it refuses.
    let vbr = app.vbr_token(Some("1.3-rev1"), &form).await;
    assert_eq!(vbr.status(), StatusCode::OK);
    let body: Value = vbr.json().await.expect("JSON");
    assert_eq!(keys(&body).len(), 6, "{body}");
    assert_vbr(app.vbr_token(Some("1.0-rev1"), &form).await, StatusCode::BAD_REQUEST, &version_error()).await;
    // VBAzure: its Login body (userId, roleName...), without the header, with an empty one (vauth)
    // and with VBAzure's own `8.1` (lcp-llp's provider).
    for version in [None, Some(""), Some("8.1")] {
        let response = app.vbr_token(version, &form).await;
        assert_eq!(response.status(), StatusCode::OK, "{version:?}");
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body["roleName"], "PortalAdmin", "{version:?}");
    }
    // Unknown paths under /api/ answer in the format of whoever owns the request.
    assert_eq!(app.vbr_get("/api/v1/nothing", Some("1.3-rev2"), None).await.status(), StatusCode::NOT_FOUND);
    let azure = app.vbr_get("/api/v8.1/nothing", None, None).await;
    assert_eq!(azure.headers()["content-type"], "application/problem+json; charset=utf-8");
    // DELETE /api/oauth2/token is VBAzure's logout; VBR's is POST /api/oauth2/logout.
    let delete = app.vbr_call(reqwest::Method::DELETE, "/api/oauth2/token", Some("1.3-rev2"), None).await;
    assert_eq!(
        (delete.status(), delete.headers()["allow"].to_str().ok()),
        (StatusCode::METHOD_NOT_ALLOWED, Some("POST"))
    );
}

#[tokio::test]
async fn a_scenario_about_vbr_alone_answers_a_missing_header_as_vbr_does() {
    let app = TestApp::spawn_vbr().await;
    let form = [("grant_type", "Password"), ("username", "administrator"), ("password", "PassWord1")];
    assert_vbr(app.vbr_token(None, &form).await, StatusCode::BAD_REQUEST, &version_error()).await;
    assert_vbr(
        app.vbr_get("/api/v8.1/system/about", None, None).await,
        StatusCode::BAD_REQUEST,
        &version_error(),
    )
    .await;
}

#[tokio::test]
async fn server_info_has_each_revisions_members_and_server_time_and_certificate_are_anonymous() {
    let app = TestApp::spawn_vbr().await;
    let login = app.vbr_login("1.3-rev2", "administrator").await;
    let body = |response: reqwest::Response| async move {
        assert_eq!(response.status(), StatusCode::OK);
        response.text().await.expect("body")
    };
    let old = body(app.vbr_get("/api/v1/serverInfo", Some("1.2-rev1"), Some(&login.access)).await).await;
    assert_eq!(
        old,
        r#"{"vbrId":"f2ef2bfd-7c5a-4f8f-8b0a-6b1b1d7c9e10","name":"vbr01","buildVersion":"13.1.0.411","patches":[],"databaseVendor":"MicrosoftSQLServer","sqlServerEdition":"Express","sqlServerVersion":"15.0.2000.5","databaseSchemaVersion":"9688","databaseContentVersion":"9688"}"#
    );
    let new = body(app.vbr_get("/api/v1/serverInfo", Some("1.3-rev0"), Some(&login.access)).await).await;
    assert_eq!(
        new,
        r#"{"platform":"Windows","vbrId":"f2ef2bfd-7c5a-4f8f-8b0a-6b1b1d7c9e10","name":"vbr01","buildVersion":"13.1.0.411","patches":[],"databaseVendor":"MicrosoftSQLServer","sqlServerEdition":"Express","sqlServerVersion":"15.0.2000.5","databaseSchemaVersion":"9688","databaseContentVersion":"9688","veeamRegistration":{"isRegistered":false}}"#
    );
    let time = body(app.vbr_get("/api/v1/serverTime", Some("1.3-rev2"), None).await).await;
    assert_eq!(
        time,
        r#"{"serverTime":"2025-04-24T15:24:18.0000000+02:00","timeZone":"(UTC) Coordinated Universal Time","ianaTimeZoneId":"Etc/UTC"}"#
    );
    let time = body(app.vbr_get("/api/v1/serverTime", Some("1.3-rev1"), None).await).await;
    assert!(!time.contains("ianaTimeZoneId"), "{time}");
    let certificate: Value = serde_json::from_str(
        &body(app.vbr_get("/api/v1/serverCertificate", Some("1.1-rev0"), None).await).await,
    )
    .expect("JSON");
    assert_eq!(certificate["thumbprint"], "BBC1E28EA38F90EA006F0925D280AC6FC362ECC7", "the JWTs' kid");
    assert_eq!(
        keys(&certificate),
        [
            "thumbprint",
            "serialNumber",
            "keyAlgorithm",
            "keySize",
            "subject",
            "issuedTo",
            "issuedBy",
            "validFrom",
            "validBy",
            "isTrusted"
        ]
    );
}

#[tokio::test]
async fn served_revisions_have_a_swagger_document_and_others_404_without_credentials_or_header() {
    let app = TestApp::spawn_vbr_with("preset = \"13.0.1\"").await;
    for (version, status) in [
        ("v1.3-rev1", StatusCode::OK),
        ("v1.1-rev0", StatusCode::OK),
        ("v1.3-rev2", StatusCode::NOT_FOUND),
        ("v1.0-rev1", StatusCode::NOT_FOUND),
    ] {
        let response =
            app.client.get(app.url(&format!("/swagger/{version}/swagger.json"))).send().await.expect("sent");
        assert_eq!(response.status(), status, "{version}");
        if status == StatusCode::OK {
            let document: Value = response.json().await.expect("JSON");
            assert_eq!(document["info"]["version"], &version[1..]);
            assert!(document["openapi"].is_string());
        }
    }
    // The mock's own explorer paths under /swagger are unchanged.
    let own = app.client.get(app.url("/swagger/docs/v8")).send().await.expect("sent");
    assert_eq!(own.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_journal_and_faults_name_vbr_endpoints() {
    let app = TestApp::spawn_vbr().await;
    let login = app.vbr_login("1.3-rev2", "administrator").await;
    let _ = VbrLogin::read(app.vbr_refresh("1.3-rev2", &login.refresh).await).await;
    let _ = app.client.get(app.url("/swagger/v1.3-rev2/swagger.json")).send().await.expect("sent");
    let names: Vec<String> = app
        .server
        .journal()
        .entries()
        .iter()
        .map(|entry| entry.endpoint.map(|e| e.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(names, ["vbr.token", "vbr.token", "vbr.swagger"]);
    // The revision is shown; the refresh token is not.
    let refresh = &app.server.journal().entries()[1];
    assert!(
        refresh.headers.contains(&("x-api-version".to_owned(), "1.3-rev2".to_owned())),
        "{:?}",
        refresh.headers
    );
    assert_eq!(
        refresh.fields,
        [
            ("grant_type".to_owned(), "refresh_token".to_owned()),
            ("refresh_token".to_owned(), "***".to_owned())
        ]
    );
}

#[tokio::test]
async fn a_fault_on_a_vbr_endpoint_answers_in_vbrs_error_shape() {
    let text =
        format!("{}\n[[faults]]\nendpoint = \"vbr.server_info\"\nstatus = 503\n", crate::vbr_helpers::VBR);
    let app = TestApp::spawn_with(&text).await;
    let response = app.vbr_get("/api/v1/serverInfo", Some("1.3-rev2"), None).await;
    assert_vbr(
        response,
        StatusCode::SERVICE_UNAVAILABLE,
        r#"{"errorCode":"ServiceUnavailable","message":"The request has been received but could not be completed because of an internal error at the server side.","resourceId":null}"#,
    )
    .await;
}

#[tokio::test]
async fn the_admin_api_lists_vbr_users_with_their_roles() {
    let app = TestApp::spawn_vbr().await;
    let users: Value =
        app.client.get(app.url("/__mock/users")).send().await.expect("sent").json().await.expect("JSON");
    assert_eq!(
        users["vbr"][2],
        serde_json::json!({
            "username": "TECH\\backup.viewer",
            "password": "PassWord1",
            "role": "Backup Viewer",
            "aliases": ["backup.viewer@tech.local"],
            "mfa": false,
        })
    );
    assert_eq!(users["vbr"].as_array().map(Vec::len), Some(5));
}
