//! Loaded OpenAPI documents (`ApiDocument`, `[api] documents`, `serve --openapi`): each product's
//! document recognised, its operations served behind the owning product's sessions with the
//! product's refusals, its examples answered as written, bodies generated from its schemas
//! (deterministic per seed), collections cut by the product's paging, and Swagger UI listing it.
//!
//! The documents are small ones written for these tests (`tests/fixtures/openapi/served/`), shaped
//! like Veeam's but not copied from them.

use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::header::AUTHORIZATION;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};
use veeam_auth_mock::{ApiDocument, MockServer, Scenario};

use crate::azure_helpers::{AZURE, AzureLogin, assert_problem};
use crate::helpers::{FROZEN, Login, TestApp, assert_401_empty, assert_error};
use crate::vbr_helpers::{NOT_VALID, UNAUTHORIZED, VBR, VbrLogin, assert_vbr, version_error};

/// VB365 v8: jobs (a generated page, an example, `examples` by `$ref`), job sessions (an
/// example that breaks its schema), a recursive folder, a file download, an anonymous health
/// check and `/v8/ServiceInstance` (which the mock's own endpoint answers).
const VB365_JOBS: &str = "vb365_v8_jobs.json";
/// VBR 1.3-rev2: jobs (a generated page, an example), a job start, an anonymous `about`.
const VBR_JOBS: &str = "vbr_jobs.json";
/// VBR 1.2-rev1: one job, with an example that tells it from 1.3-rev2's.
const VBR_JOBS_OLD: &str = "vbr_jobs_1.2-rev1.json";
/// VBAzure v8.1: policies (a generated page, an example), an anonymous status.
const AZURE_POLICIES: &str = "azure_policies.json";

/// A job id of the right form (a GUID) that nothing else uses.
const JOB_ID: &str = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";

/// The path of one of the test documents.
fn served(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/openapi/served").join(name)
}

/// One of the test documents, loaded.
fn document(name: &str) -> ApiDocument {
    ApiDocument::from_path(served(name)).unwrap_or_else(|err| panic!("{name} loads: {err}"))
}

/// A mock playing `scenario` (TOML) with the test documents `names` given to the builder.
async fn spawn_with_documents(scenario: &str, names: &[&str]) -> TestApp {
    let scenario = Scenario::from_toml_str(scenario).expect("test scenario is valid");
    let mut builder = MockServer::builder().scenario(scenario);
    for name in names {
        builder = builder.openapi_document(document(name));
    }
    TestApp { server: builder.start().await, client: reqwest::Client::new() }
}

/// The frozen VB365 world (seed 7) with `extra` TOML appended.
fn vb365_world(extra: &str) -> String {
    format!("{FROZEN}\n{extra}\n")
}

/// A folder of its own for one test's scenario file and the documents it names (relative paths
/// in `[api] documents` resolve against the scenario file's folder); removed when dropped.
struct ScenarioDir(PathBuf);

impl ScenarioDir {
    /// A fresh folder holding copies of the test documents `names`.
    fn new(test: &str, names: &[&str]) -> ScenarioDir {
        let dir = std::env::temp_dir().join(format!("vam-documents-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        for name in names {
            std::fs::copy(served(name), dir.join(name)).expect("copy a test document");
        }
        ScenarioDir(dir)
    }

    /// Writes `text` as `scenario.toml` and loads it.
    fn scenario(&self, text: &str) -> Result<Scenario, veeam_auth_mock::ScenarioError> {
        let path = self.0.join("scenario.toml");
        std::fs::write(&path, text).expect("write the scenario");
        Scenario::from_path(&path)
    }
}

impl Drop for ScenarioDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A mock playing `text`, written as a scenario file next to copies of the documents `names`.
async fn spawn_from_file(test: &str, text: &str, names: &[&str]) -> TestApp {
    let dir = ScenarioDir::new(test, names);
    let scenario = dir.scenario(text).expect("test scenario is valid");
    TestApp { server: MockServer::start(scenario).await, client: reqwest::Client::new() }
}

impl TestApp {
    /// A VB365 call: `method path` with `login`'s bearer and an optional body of `content_type`.
    async fn vb365(
        &self,
        method: Method,
        path: &str,
        login: Option<&Login>,
        body: Option<(&str, &str)>,
    ) -> Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(login) = login {
            request = request.header(AUTHORIZATION, format!("Bearer {}", login.access));
        }
        send(request, body).await
    }

    /// A VBR call under 1.3-rev2 (or `version`) with `login`'s bearer and an optional JSON body.
    async fn vbr(
        &self,
        method: Method,
        path: &str,
        version: Option<&str>,
        login: Option<&VbrLogin>,
        body: Option<(&str, &str)>,
    ) -> Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(version) = version {
            request = request.header("x-api-version", version);
        }
        if let Some(login) = login {
            request = request.header(AUTHORIZATION, format!("Bearer {}", login.access));
        }
        send(request, body).await
    }

    /// A VBAzure call with `login`'s bearer and an optional body of `content_type`.
    async fn azure(
        &self,
        method: Method,
        path: &str,
        login: Option<&AzureLogin>,
        body: Option<(&str, &str)>,
    ) -> Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(login) = login {
            request = request.header(AUTHORIZATION, login.bearer());
        }
        send(request, body).await
    }
}

/// Sends `request` with an optional body of a content type.
async fn send(mut request: reqwest::RequestBuilder, body: Option<(&str, &str)>) -> Response {
    if let Some((content_type, body)) = body {
        request = request.header("content-type", content_type).body(body.to_owned());
    }
    request.send().await.expect("request sent")
}

/// Asserts a 200 (or `status`) JSON answer of exactly `expected` text and returns nothing.
async fn assert_json_text(response: Response, status: StatusCode, expected: &str) {
    assert_eq!(response.status(), status);
    assert_eq!(response.headers()["content-type"], "application/json; charset=utf-8");
    assert_eq!(response.text().await.expect("body"), expected);
}

/// The JSON body of a 200 answer.
async fn ok_json(response: Response) -> Value {
    assert_eq!(response.status(), StatusCode::OK, "{}", response.url());
    assert_eq!(response.headers()["content-type"], "application/json; charset=utf-8");
    response.json().await.expect("a JSON body")
}

/// Whether `text` is a hyphenated GUID.
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|byte| byte.is_ascii_hexdigit()))
}

/// Whether `text` is .NET's round-trip UTC text (`2024-03-05T10:20:30.0000000Z`), as VB365 and
/// VBAzure write dates.
fn is_dotnet_utc(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    bytes.len() == 28
        && digits(0..4)
        && bytes[4] == b'-'
        && digits(5..7)
        && bytes[7] == b'-'
        && digits(8..10)
        && bytes[10] == b'T'
        && digits(11..13)
        && bytes[13] == b':'
        && digits(14..16)
        && bytes[16] == b':'
        && digits(17..19)
        && bytes[19] == b'.'
        && digits(20..27)
        && bytes[27] == b'Z'
}

/// Whether `text` is the date text VBR's documents are served in: ISO 8601 with seven fraction
/// digits and the offset written out (`2024-03-05T10:20:30.0000000+00:00`).
fn is_vbr_time(text: &str) -> bool {
    text.len() == 33 && text.ends_with("+00:00") && is_dotnet_utc(&format!("{}Z", &text[..27]))
}

// ---------------------------------------------------------------------------------------------
// 1. Loading
// ---------------------------------------------------------------------------------------------

#[test]
fn each_products_document_is_recognised_with_its_version_and_operations() {
    let vb365 = document(VB365_JOBS);
    let vbr = document(VBR_JOBS);
    let vbr_old = document(VBR_JOBS_OLD);
    let azure = document(AZURE_POLICIES);

    assert_eq!((vb365.product(), vb365.version(), vb365.operations()), ("vb365", "v8", 11));
    assert_eq!(vb365.title(), "Mailbox backup jobs (test document)");
    assert_eq!(vb365.source(), served(VB365_JOBS).display().to_string());
    assert_eq!((vbr.product(), vbr.version(), vbr.operations()), ("vbr", "1.3-rev2", 5));
    assert_eq!((vbr_old.product(), vbr_old.version(), vbr_old.operations()), ("vbr", "1.2-rev1", 1));
    assert_eq!((azure.product(), azure.version(), azure.operations()), ("azure", "v8.1", 4));
    for clean in [&vbr, &vbr_old, &azure] {
        assert!(clean.notes().is_empty(), "{}: {:?}", clean.source(), clean.notes());
    }
}

#[test]
fn a_document_of_no_product_a_swagger_2_document_and_not_json_are_refused() {
    let pets = ApiDocument::from_slice(
        "pets.json",
        br#"{"openapi": "3.0.1", "info": {"title": "Pets", "version": "1"},
             "paths": {"/pets": {"get": {"responses": {"200": {"description": "OK"}}}}}}"#,
    );
    assert_eq!(
        pets.unwrap_err().to_string(),
        "pets.json: not a document of a product the mock plays: expected VB365's (every path under \
         `/vX/`), VBR's (operations taking `x-api-version`) or VBAzure's (every path under \
         `/api/vX.Y/`)"
    );

    // VB365's paths, but two versions in one document: no product's.
    let mixed = ApiDocument::from_slice(
        "mixed.json",
        br#"{"openapi": "3.0.1", "paths": {"/v7/Jobs": {}, "/v8/Jobs": {}}}"#,
    );
    assert!(mixed.unwrap_err().to_string().contains("not a document of a product the mock plays"));

    let swagger = ApiDocument::from_slice(
        "old.json",
        br#"{"swagger": "2.0", "info": {"title": "Old", "version": "v8"}, "paths": {"/v8/Jobs": {}}}"#,
    );
    assert_eq!(swagger.unwrap_err().to_string(), "old.json: a Swagger 2 document; the mock reads OpenAPI 3");

    let text = ApiDocument::from_slice("notes.txt", b"openapi: 3.0.1\npaths: {}\n");
    let message = text.unwrap_err().to_string();
    assert!(message.starts_with("notes.txt: not a JSON document: "), "{message}");

    let missing = ApiDocument::from_path(served("no-such-document.json"));
    let message = missing.unwrap_err().to_string();
    assert!(message.contains("no-such-document.json: cannot read it: "), "{message}");
}

#[test]
fn a_scenario_naming_a_missing_document_or_too_many_items_is_refused_with_the_line() {
    let dir = ScenarioDir::new("missing", &[VB365_JOBS]);

    let missing = dir.scenario("seed = 1\n[api]\ndocuments = [\"vb365_v8_jobs.json\", \"gone.json\"]\n");
    let error = missing.expect_err("a missing document is refused");
    let problems = error.problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!((problems[0].path.as_str(), problems[0].line), ("api.documents[1]", Some(3)));
    assert!(problems[0].message.contains("gone.json: cannot read it: "), "{}", problems[0].message);

    let first = dir.scenario("[api]\ndocuments = [\"nothing-here.json\"]\n").expect_err("refused");
    assert_eq!((first.problems()[0].path.as_str(), first.problems()[0].line), ("api.documents[0]", Some(2)));

    let too_many = dir.scenario("[api]\nitems = 1001\n").expect_err("refused");
    assert_eq!(too_many.problems().len(), 1);
    assert_eq!(too_many.problems()[0].to_string(), "line 2: api.items: must be between 0 and 1000");
    let negative = dir.scenario("[api]\nitems = -1\n").expect_err("refused");
    assert_eq!(negative.problems()[0].to_string(), "line 2: api.items: must be between 0 and 1000");

    let loaded = dir.scenario("[api]\ndocuments = [\"vb365_v8_jobs.json\"]\nitems = 1000\n").expect("valid");
    let documents: Vec<(&str, &str)> =
        loaded.documents().iter().map(|d| (d.product(), d.version())).collect();
    assert_eq!(documents, [("vb365", "v8")]);
}

#[test]
fn the_same_products_version_twice_in_a_scenario_is_refused() {
    let dir = ScenarioDir::new("twice", &[VB365_JOBS]);
    let error = dir
        .scenario("[api]\ndocuments = [\n  \"vb365_v8_jobs.json\",\n  \"./vb365_v8_jobs.json\",\n]\n")
        .expect_err("refused");
    let problem = &error.problems()[0];
    assert_eq!((problem.path.as_str(), problem.line), ("api.documents[1]", Some(4)));
    assert!(problem.message.starts_with("vb365 v8 is loaded already (from "), "{}", problem.message);
}

#[cfg(feature = "cli")]
#[test]
fn the_binary_serves_a_document_given_with_openapi_and_says_so_on_stderr() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::{Command, Stdio};

    let file = served(VB365_JOBS).display().to_string();
    let mut command = Command::new(env!("CARGO_BIN_EXE_veeam-auth-mock"));
    command
        .args(["serve", "--port", "0", "--no-tls", "--openapi", &file])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = crate::cli::Running(command.spawn().expect("starts"));
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().expect("piped")).read_line(&mut line).expect("a line");
    let uri = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("unexpected: {line}"));
    let client = reqwest::blocking::Client::new();

    let anonymous = client.get(format!("{uri}/v8/ServiceStatus")).send().expect("sent");
    assert_eq!(anonymous.status(), reqwest::StatusCode::OK);
    assert_eq!(anonymous.text().expect("body"), r#"{"status":"Healthy","checks":3}"#);
    let protected = client.get(format!("{uri}/v8/Jobs/current")).send().expect("sent");
    assert_eq!(protected.status(), reqwest::StatusCode::UNAUTHORIZED);
    assert_eq!(protected.text().expect("body"), "");

    // Stop it, then read all it wrote on stderr.
    let _ = child.0.kill();
    let _ = child.0.wait();
    let mut stderr = String::new();
    child.0.stderr.take().expect("piped").read_to_string(&mut stderr).expect("stderr");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines.first().copied(),
        Some(
            format!("serving 11 operations of vb365 v8 (Mailbox backup jobs (test document)) from {file}")
                .as_str()
        ),
        "{stderr}"
    );
    assert!(
        lines.iter().any(|line| line.starts_with(&format!("note: {file}: JobSessions_List: "))),
        "the example that breaks its schema is noted: {stderr}"
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Matching
// ---------------------------------------------------------------------------------------------

/// `GET /v8/Jobs/current`'s example.
const CURRENT: &str = r#"{"which":"the current job"}"#;
/// `GET /v8/Jobs/{jobId}`'s first `examples` entry, a `$ref` to `components/examples/WeeklyJob`,
/// keys in the document's order.
const WEEKLY: &str = r#"{"schedulePolicy":"Weekly","name":"Weekly archive","id":"7e2c4b1a-9d3f-4e5a-8b6c-0d1e2f3a4b5c","isEnabled":false}"#;

#[tokio::test]
async fn letter_case_and_a_trailing_slash_are_tolerated_and_a_literal_segment_beats_a_parameter() {
    let app = spawn_with_documents(FROZEN, &[VB365_JOBS]).await;
    let login = app.login(true).await;

    for path in ["/v8/Jobs/current", "/V8/JOBS/Current/", "/v8/jobs/current/"] {
        assert_json_text(app.vb365(Method::GET, path, Some(&login), None).await, StatusCode::OK, CURRENT)
            .await;
    }
    for path in [format!("/v8/Jobs/{JOB_ID}"), format!("/v8/JOBS/{}/", JOB_ID.to_uppercase())] {
        assert_json_text(app.vb365(Method::GET, &path, Some(&login), None).await, StatusCode::OK, WEEKLY)
            .await;
    }
}

#[tokio::test]
async fn a_wrong_method_gets_vb365s_405_with_allow_and_an_unknown_path_its_404() {
    let app = spawn_with_documents(FROZEN, &[VB365_JOBS]).await;
    let login = app.login(true).await;

    let wrong = app.vb365(Method::POST, &format!("/v8/Jobs/{JOB_ID}"), Some(&login), None).await;
    assert_eq!(wrong.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong.headers()["allow"], "GET, PUT, DELETE");
    // `/v8/Jobs/current` is also `/v8/Jobs/{jobId}` (as ASP.NET's routing sees it): the methods
    // of both are allowed, and a PUT reaches the template's operation.
    let wrong = app.vb365(Method::PATCH, "/v8/Jobs/current", Some(&login), None).await;
    assert_eq!(wrong.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong.headers()["allow"], "GET, PUT, DELETE");
    let new_job = format!(r#"{{"name":"Nightly","organizationId":"{JOB_ID}"}}"#);
    assert_vb365_invalid(
        app.vb365(Method::PUT, "/v8/Jobs/current", Some(&login), Some(("application/json", &new_job))).await,
        "The value 'current' is not valid.",
    )
    .await;

    assert_error(
        app.vb365(Method::GET, "/v8/NoSuchThing", Some(&login), None).await,
        StatusCode::NOT_FOUND,
        "The requested resource was not found: GET /v8/NoSuchThing",
        Some("ResourceNotFound"),
    )
    .await;
    assert_error(
        app.vb365(Method::GET, &format!("/v8/Jobs/{JOB_ID}/extra"), Some(&login), None).await,
        StatusCode::NOT_FOUND,
        &format!("The requested resource was not found: GET /v8/Jobs/{JOB_ID}/extra"),
        Some("ResourceNotFound"),
    )
    .await;
}

#[tokio::test]
async fn a_wrong_method_gets_the_405_body_of_vb365s_own_endpoints() {
    let app = spawn_with_documents(FROZEN, &[VB365_JOBS]).await;
    let login = app.login(true).await;

    // What VB365's own endpoints answer a wrong method with.
    let own = app.vb365(Method::GET, "/v8/token", None, None).await;
    assert_eq!(own.status(), StatusCode::METHOD_NOT_ALLOWED);
    let own: Value = own.json().await.expect("JSON");
    assert_eq!(
        own,
        json!({"message": "The HTTP method GET is not supported for /v8/token.", "errorCode": "HttpError"})
    );

    let wrong = app.vb365(Method::POST, &format!("/v8/Jobs/{JOB_ID}"), Some(&login), None).await;
    assert_eq!(wrong.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong.headers()["content-type"], "application/json; charset=utf-8");
    let body: Value = wrong.json().await.expect("JSON");
    assert_eq!(body["errorCode"], "HttpError", "{body}");
    let message = body["message"].as_str().unwrap_or_default().to_ascii_lowercase();
    assert_eq!(message, format!("the http method post is not supported for /v8/jobs/{JOB_ID}."), "{body}");
}

#[tokio::test]
async fn the_products_own_endpoints_win_over_a_document_describing_them() {
    let plain = TestApp::spawn().await;
    let app = spawn_with_documents(FROZEN, &[VB365_JOBS]).await;
    let plain_login = plain.login(true).await;
    let login = app.login(true).await;

    let own = ok_json(plain.service_instance_as(&plain_login).await).await;
    let with_document = ok_json(app.service_instance_as(&login).await).await;

    assert_eq!(with_document, own, "the mock's own ServiceInstance answers, not the document's example");
    assert_eq!(with_document.get("from"), None);
}

#[tokio::test]
async fn a_declared_route_overrides_the_documents_operation_on_the_same_path() {
    let routes = r#"
[[routes]]
path = "/v8/Jobs/current"
json = { declared = true }
"#;
    let app = spawn_with_documents(&vb365_world(routes), &[VB365_JOBS]).await;
    let login = app.login(true).await;

    assert_json_text(
        app.vb365(Method::GET, "/v8/Jobs/current", Some(&login), None).await,
        StatusCode::OK,
        r#"{"declared":true}"#,
    )
    .await;
    // The document's other operations are still served.
    assert_json_text(
        app.vb365(Method::GET, &format!("/v8/Jobs/{JOB_ID}"), Some(&login), None).await,
        StatusCode::OK,
        WEEKLY,
    )
    .await;
}

// ---------------------------------------------------------------------------------------------
// 3. Security
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn vb365_operations_need_a_live_bearer_unless_their_security_is_empty() {
    let app = spawn_with_documents(FROZEN, &[VB365_JOBS]).await;

    assert_eq!(
        assert_401_empty(app.vb365(Method::GET, "/v8/Jobs/current", None, None).await).await,
        "Bearer"
    );
    assert_eq!(assert_401_empty(app.vb365(Method::GET, "/v8/Jobs", None, None).await).await, "Bearer");
    let forged = Login {
        access: "not.a.token".to_owned(),
        refresh: String::new(),
        antiforgery: None,
        body: Value::Null,
    };
    let challenge =
        assert_401_empty(app.vb365(Method::GET, "/v8/Jobs/current", Some(&forged), None).await).await;
    assert!(challenge.starts_with("Bearer error=\"invalid_token\""), "{challenge}");
    assert_json_text(
        app.vb365(Method::GET, "/v8/ServiceStatus", None, None).await,
        StatusCode::OK,
        r#"{"status":"Healthy","checks":3}"#,
    )
    .await;

    let login = app.login(true).await;
    assert_json_text(
        app.vb365(Method::GET, "/v8/Jobs/current", Some(&login), None).await,
        StatusCode::OK,
        CURRENT,
    )
    .await;
    app.server.clock().advance(Duration::from_secs(3601));
    let challenge =
        assert_401_empty(app.vb365(Method::GET, "/v8/Jobs/current", Some(&login), None).await).await;
    assert!(challenge.contains("expired"), "{challenge}");
}

#[tokio::test]
async fn vbr_operations_check_the_version_before_the_bearer() {
    let app = spawn_with_documents(VBR, &[VBR_JOBS]).await;

    let path = format!("/api/v1/jobs/{JOB_ID}");
    assert_vbr(
        app.vbr(Method::GET, &path, None, None, None).await,
        StatusCode::BAD_REQUEST,
        &version_error(),
    )
    .await;
    assert_vbr(
        app.vbr(Method::GET, &path, Some("0.9-rev0"), None, None).await,
        StatusCode::BAD_REQUEST,
        &version_error(),
    )
    .await;
    assert_vbr(
        app.vbr(Method::GET, &path, Some("1.3-rev2"), None, None).await,
        StatusCode::UNAUTHORIZED,
        UNAUTHORIZED,
    )
    .await;

    // Anonymous, but still under a served version.
    assert_vbr(
        app.vbr(Method::GET, "/api/v1/about", None, None, None).await,
        StatusCode::BAD_REQUEST,
        &version_error(),
    )
    .await;
    assert_json_text(
        app.vbr(Method::GET, "/api/v1/about", Some("1.3-rev2"), None, None).await,
        StatusCode::OK,
        r#"{"product":"test","build":42}"#,
    )
    .await;

    let login = app.vbr_login("1.3-rev2", "administrator").await;
    let answer = app.vbr(Method::GET, &path, Some("1.3-rev2"), Some(&login), None).await;
    assert_eq!(answer.status(), StatusCode::OK);
    // VBR's access token lives 15 minutes.
    app.server.clock().advance(Duration::from_secs(15 * 60 + 1));
    assert_vbr(
        app.vbr(Method::GET, &path, Some("1.3-rev2"), Some(&login), None).await,
        StatusCode::UNAUTHORIZED,
        UNAUTHORIZED,
    )
    .await;
}

/// VBAzure's 401 problem for a missing or refused bearer.
const AZURE_UNAUTHORIZED: &str = r#"{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.2","title":"Unauthorized","status":401,"traceId":"TRACE"}"#;

#[tokio::test]
async fn vbazure_operations_need_a_live_bearer_unless_their_security_is_empty() {
    let app = spawn_with_documents(AZURE, &[AZURE_POLICIES]).await;
    let path = format!("/api/v8.1/policies/virtualMachines/{JOB_ID}");

    assert_problem(
        app.azure(Method::GET, &path, None, None).await,
        StatusCode::UNAUTHORIZED,
        AZURE_UNAUTHORIZED,
    )
    .await;
    assert_json_text(
        app.azure(Method::GET, "/api/v8.1/policies/status", None, None).await,
        StatusCode::OK,
        r#"{"running":0}"#,
    )
    .await;

    let login = app.azure_login("administrator").await;
    assert_eq!(app.azure(Method::GET, &path, Some(&login), None).await.status(), StatusCode::OK);
    app.server.clock().advance(Duration::from_secs(3600));
    let expired = app.azure(Method::GET, &path, Some(&login), None).await;
    assert_eq!(
        expired.headers()["www-authenticate"],
        r#"Bearer error="invalid_token", error_description="The token expired at '08/07/2024 16:56:22'""#
    );
    assert_problem(expired, StatusCode::UNAUTHORIZED, AZURE_UNAUTHORIZED).await;
}

// ---------------------------------------------------------------------------------------------
// 4. Validation refusals
// ---------------------------------------------------------------------------------------------

/// VB365 v8's 400 with `message`.
async fn assert_vb365_invalid(response: Response, message: &str) {
    assert_error(response, StatusCode::BAD_REQUEST, message, Some("ParameterValidationFailure")).await;
}

#[tokio::test]
async fn vb365_refuses_bad_parameters_and_bodies_with_its_validation_failure() {
    let app = spawn_with_documents(FROZEN, &[VB365_JOBS]).await;
    let login = Some(app.login(true).await);
    let login = login.as_ref();
    let json = "application/json";

    assert_vb365_invalid(
        app.vb365(Method::GET, "/v8/Jobs/not-a-uuid", login, None).await,
        "The value 'not-a-uuid' is not valid.",
    )
    .await;
    assert_vb365_invalid(
        app.vb365(Method::GET, &format!("/v8/JobSessions?jobId={JOB_ID}&top=ten"), login, None).await,
        "The value 'ten' is not valid.",
    )
    .await;
    assert_vb365_invalid(
        app.vb365(Method::GET, "/v8/JobSessions?top=1", login, None).await,
        "The jobId field is required.",
    )
    .await;
    assert_vb365_invalid(
        app.vb365(Method::POST, "/v8/Jobs", login, Some((json, r#"{"name":"Nightly"}"#))).await,
        "The organizationId field is required.",
    )
    .await;
    assert_vb365_invalid(
        app.vb365(
            Method::POST,
            "/v8/Jobs",
            login,
            Some((json, &format!(r#"{{"name":5,"organizationId":"{JOB_ID}"}}"#))),
        )
        .await,
        "The JSON value could not be converted to System.String.",
    )
    .await;
    assert_vb365_invalid(
        app.vb365(Method::POST, "/v8/Jobs", login, None).await,
        "A non-empty request body is required.",
    )
    .await;

    let malformed = app.vb365(Method::POST, "/v8/Jobs", login, Some((json, r#"{"name":"#))).await;
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    let body: Value = malformed.json().await.expect("JSON");
    assert_eq!(body["errorCode"], "ParameterValidationFailure");
    let message = body["message"].as_str().expect("a message");
    assert!(message.starts_with("The request body is not valid JSON: "), "{message}");

    let form = app
        .vb365(Method::POST, "/v8/Jobs", login, Some(("application/x-www-form-urlencoded", "name=x")))
        .await;
    assert_eq!(form.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(form.headers()["content-type"], "application/json; charset=utf-8");
}

#[tokio::test]
async fn vbr_refuses_bad_parameters_and_bodies_with_its_unexpected_content() {
    let app = spawn_with_documents(VBR, &[VBR_JOBS]).await;
    let login = app.vbr_login("1.3-rev2", "administrator").await;
    let call = |method: Method, path: &'static str, body: Option<(&'static str, &'static str)>| {
        let app = &app;
        let login = login.clone();
        async move { app.vbr(method, path, Some("1.3-rev2"), Some(&login), body).await }
    };
    let json = "application/json";

    for response in [
        call(Method::GET, "/api/v1/jobs/not-a-uuid", None).await,
        call(Method::GET, "/api/v1/jobs?typeFilter=Tape", None).await,
        call(Method::GET, "/api/v1/jobs?skip=many", None).await,
        call(Method::POST, "/api/v1/jobs", Some((json, r#"{"name":"Copy"}"#))).await,
        call(Method::POST, "/api/v1/jobs", Some((json, r#"{"name":"Copy","type":"Tape"}"#))).await,
        call(Method::POST, "/api/v1/jobs", Some((json, r#"{"name":["Copy"],"type":"Backup"}"#))).await,
        call(Method::POST, "/api/v1/jobs", Some((json, r#"{"name":"Copy","type":"Backup","retainDays":0}"#)))
            .await,
        call(Method::POST, "/api/v1/jobs", Some((json, "{"))).await,
        call(Method::POST, "/api/v1/jobs", None).await,
    ] {
        let url = response.url().to_string();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{url}");
        assert_eq!(response.text().await.expect("body"), NOT_VALID, "{url}");
    }

    // Enum values are read in any letter case, as .NET's converter reads them.
    let created =
        call(Method::POST, "/api/v1/jobs", Some((json, r#"{"name":"Copy","type":"backupcopy"}"#))).await;
    assert_eq!(created.status(), StatusCode::CREATED);

    let form = call(Method::POST, "/api/v1/jobs", Some(("text/plain", "name=Copy"))).await;
    assert_eq!(form.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

/// VBAzure's 400 problem with `errors` (field → messages, as JSON text).
fn azure_invalid(errors: &str) -> String {
    format!(
        r#"{{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,"errors":{errors},"traceId":"TRACE"}}"#
    )
}

#[tokio::test]
async fn vbazure_refuses_bad_parameters_and_bodies_with_its_validation_problem() {
    let app = spawn_with_documents(AZURE, &[AZURE_POLICIES]).await;
    let login = Some(app.azure_login("administrator").await);
    let login = login.as_ref();
    let json = "application/json";
    let policies = "/api/v8.1/policies/virtualMachines";

    assert_problem(
        app.azure(Method::GET, &format!("{policies}/42"), login, None).await,
        StatusCode::BAD_REQUEST,
        &azure_invalid(r#"{"policyId":["The value '42' is not valid."]}"#),
    )
    .await;
    assert_problem(
        app.azure(Method::GET, &format!("{policies}?Offset=first"), login, None).await,
        StatusCode::BAD_REQUEST,
        &azure_invalid(r#"{"Offset":["The value 'first' is not valid."]}"#),
    )
    .await;
    assert_problem(
        app.azure(Method::POST, policies, login, Some((json, r#"{"name":"Gold"}"#))).await,
        StatusCode::BAD_REQUEST,
        &azure_invalid(r#"{"tenantId":["The tenantId field is required."]}"#),
    )
    .await;
    assert_problem(
        app.azure(
            Method::POST,
            policies,
            login,
            Some((json, &format!(r#"{{"name":"Gold","tenantId":"{JOB_ID}","priority":"Urgent"}}"#))),
        )
        .await,
        StatusCode::BAD_REQUEST,
        &azure_invalid(r#"{"priority":["The JSON value could not be converted to Priority."]}"#),
    )
    .await;

    let malformed = app.azure(Method::POST, policies, login, Some((json, "[1,"))).await;
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    let body: Value = malformed.json().await.expect("JSON");
    let messages = body["errors"]["$"].as_array().expect("errors on `$`");
    assert!(
        messages[0].as_str().is_some_and(|m| m.starts_with("The request body is not valid JSON: ")),
        "{body}"
    );

    let form = app
        .azure(Method::POST, policies, login, Some(("application/x-www-form-urlencoded", "name=Gold")))
        .await;
    assert_problem(
        form,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        r#"{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.16","title":"Unsupported Media Type","status":415,"traceId":"TRACE"}"#,
    )
    .await;
}

// ---------------------------------------------------------------------------------------------
// 5. Examples
// ---------------------------------------------------------------------------------------------

/// `POST /v8/Jobs`'s example, keys in the document's (not the schema's) order.
const CREATED_JOB: &str = r#"{"name":"Nightly mailboxes","id":"0b5d9a3e-7c41-4f2a-9e6d-1a2b3c4d5e6f","schedulePolicy":"Daily","lastRun":"2024-03-05T10:20:30.0000000Z","isEnabled":true,"description":null}"#;

#[tokio::test]
async fn an_operations_example_is_answered_byte_for_byte() {
    let app = spawn_with_documents(FROZEN, &[VB365_JOBS]).await;
    let login = app.login(true).await;
    let new_job = format!(r#"{{"name":"Nightly","organizationId":"{JOB_ID}","description":null}}"#);

    assert_json_text(
        app.vb365(
            Method::POST,
            "/v8/Jobs",
            Some(&login),
            Some(("application/json; charset=utf-8", &new_job)),
        )
        .await,
        StatusCode::CREATED,
        CREATED_JOB,
    )
    .await;
    // `examples`: the first entry, here a `$ref` to `components/examples`.
    assert_json_text(
        app.vb365(Method::GET, &format!("/v8/Jobs/{JOB_ID}"), Some(&login), None).await,
        StatusCode::OK,
        WEEKLY,
    )
    .await;

    // No content: an empty body.
    let updated = app
        .vb365(Method::PUT, &format!("/v8/Jobs/{JOB_ID}"), Some(&login), Some(("application/json", &new_job)))
        .await;
    assert_eq!(updated.status(), StatusCode::NO_CONTENT);
    assert_eq!(updated.text().await.expect("body"), "");
    let deleted = app.vb365(Method::DELETE, &format!("/v8/Jobs/{JOB_ID}"), Some(&login), None).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(deleted.text().await.expect("body"), "");

    // Another media type: a short text in that type.
    let file = app.vb365(Method::GET, "/v8/Reports/r-1/Download", Some(&login), None).await;
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.headers()["content-type"], "application/pdf");
    assert_eq!(file.text().await.expect("body"), "Generated by veeam-auth-mock for Reports_Download.\n");
}

#[tokio::test]
async fn vbr_and_vbazure_examples_are_answered_as_written() {
    let vbr = spawn_with_documents(VBR, &[VBR_JOBS]).await;
    let login = vbr.vbr_login("1.3-rev2", "administrator").await;
    assert_json_text(
        vbr.vbr(
            Method::POST,
            "/api/v1/jobs",
            Some("1.3-rev2"),
            Some(&login),
            Some(("application/json", r#"{"name":"Copy","type":"BackupCopy"}"#)),
        )
        .await,
        StatusCode::CREATED,
        r#"{"id":"5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d","name":"Made by the example","type":"BackupCopy","isDisabled":true}"#,
    )
    .await;

    let azure = spawn_with_documents(AZURE, &[AZURE_POLICIES]).await;
    let login = azure.azure_login("administrator").await;
    assert_json_text(
        azure
            .azure(
                Method::POST,
                "/api/v8.1/policies/virtualMachines",
                Some(&login),
                Some(("application/json", &format!(r#"{{"name":"Gold","tenantId":"{JOB_ID}","priority":"high"}}"#))),
            )
            .await,
        StatusCode::CREATED,
        r#"{"name":"Gold VMs","id":"9d8c7b6a-5f4e-4d3c-8b2a-190807060504","priority":"High","isEnabled":true}"#,
    )
    .await;
}

#[tokio::test]
async fn an_example_that_breaks_its_own_schema_is_not_served_and_is_noted() {
    let loaded = document(VB365_JOBS);
    assert_eq!(
        loaded.notes(),
        [
            "JobSessions_List: the document's example does not match its own schema (`state`: The JSON value could not be converted to System.Enum.); a generated body is served"
        ]
    );

    let app = spawn_with_documents(FROZEN, &[VB365_JOBS]).await;
    let login = app.login(true).await;
    let body =
        ok_json(app.vb365(Method::GET, &format!("/v8/JobSessions?jobId={JOB_ID}"), Some(&login), None).await)
            .await;

    assert_ne!(body["state"], "Exploded", "{body}");
    assert!(["Running", "Success", "Failed"].contains(&body["state"].as_str().unwrap_or_default()), "{body}");
    assert!(body["id"].as_str().is_some_and(is_uuid), "{body}");
    let progress = body["progress"].as_i64().expect("an integer progress");
    assert!((0..=100).contains(&progress), "{body}");
}

// ---------------------------------------------------------------------------------------------
// 6. Generation
// ---------------------------------------------------------------------------------------------

/// The frozen VB365 world with `seed` instead of its own.
fn vb365_seeded(seed: u64) -> String {
    FROZEN.replacen("seed = 7", &format!("seed = {seed}"), 1)
}

/// The bodies a VB365 server with `scenario` generates for the folder, the job list and the
/// broken example's operation, as text.
async fn vb365_generated(scenario: &str) -> Vec<String> {
    let app = spawn_with_documents(scenario, &[VB365_JOBS]).await;
    let login = app.login(true).await;
    let mut bodies = Vec::new();
    for path in ["/v8/Folders/inbox", "/v8/Jobs", &format!("/v8/JobSessions?jobId={JOB_ID}")] {
        let response = app.vb365(Method::GET, path, Some(&login), None).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        bodies.push(response.text().await.expect("body"));
    }
    bodies
}

#[tokio::test]
async fn a_generated_body_is_the_same_for_the_same_seed_and_another_for_another() {
    assert!(FROZEN.contains("seed = 7"), "the frozen world's seed");
    let first = vb365_generated(FROZEN).await;
    let again = vb365_generated(FROZEN).await;
    let other = vb365_generated(&vb365_seeded(8)).await;

    assert_eq!(first, again, "two servers with seed 7 answer alike");
    for ((one, other), path) in first.iter().zip(&other).zip(["folder", "jobs", "sessions"]) {
        assert_ne!(one, other, "seed 8 generates another {path} body");
    }

    // A scenario loaded later with another seed generates afresh; back to seed 7, the same again.
    let app = spawn_with_documents(FROZEN, &[VB365_JOBS]).await;
    let control = app.server.control();
    control.load(Scenario::from_toml_str(&vb365_seeded(8)).expect("valid"));
    let login = app.login(true).await;
    let text =
        app.vb365(Method::GET, "/v8/Folders/inbox", Some(&login), None).await.text().await.expect("body");
    assert_eq!(text, other[0]);
    control.load(Scenario::from_toml_str(FROZEN).expect("valid"));
    let login = app.login(true).await;
    let text =
        app.vb365(Method::GET, "/v8/Folders/inbox", Some(&login), None).await.text().await.expect("body");
    assert_eq!(text, first[0]);
}

#[tokio::test]
async fn an_unseeded_scenario_generates_as_seed_0() {
    let unseeded = FROZEN.replacen("seed = 7\n", "", 1);
    assert!(!unseeded.contains("seed ="), "the seed is gone");
    assert_eq!(vb365_generated(&unseeded).await, vb365_generated(&vb365_seeded(0)).await);
}

/// Checks a generated VB365 or VBAzure `Job`/`Policy`: uuid id, the name, an enum pick among
/// `choices`, a .NET UTC date-time in `date_field`.
fn assert_generated_item(item: &Value, enum_field: &str, choices: &[&str], date_field: &str) {
    assert!(item["id"].as_str().is_some_and(is_uuid), "id is a UUID: {item}");
    assert!(item["name"].is_string(), "the required name: {item}");
    let pick = item[enum_field].as_str().unwrap_or_default();
    assert!(choices.contains(&pick), "{enum_field} is one of {choices:?}: {item}");
    let date = item[date_field].as_str().unwrap_or_default();
    assert!(is_dotnet_utc(date), "{date_field} in .NET's round-trip UTC form: {item}");
}

#[tokio::test]
async fn vb365_generated_bodies_follow_the_schema_with_its_formats() {
    let app = spawn_with_documents(FROZEN, &[VB365_JOBS]).await;
    let login = app.login(true).await;

    let page = ok_json(app.vb365(Method::GET, "/v8/Jobs", Some(&login), None).await).await;
    let results = page["results"].as_array().expect("results");
    assert_eq!(results.len(), 5, "`[api] items` is 5 unless the scenario says otherwise: {page}");
    for job in results {
        assert_generated_item(job, "schedulePolicy", &["Daily", "Weekly", "Monthly"], "lastRun");
        assert!(job["isEnabled"].is_boolean(), "{job}");
    }
    let ids: std::collections::HashSet<&str> = results.iter().filter_map(|job| job["id"].as_str()).collect();
    assert_eq!(ids.len(), 5, "each item draws its own values: {page}");

    // A folder of folders: the recursion ends, the required members are there.
    let folder = ok_json(app.vb365(Method::GET, "/v8/Folders/inbox", Some(&login), None).await).await;
    assert!(folder["id"].as_str().is_some_and(is_uuid), "{folder}");
    assert!(folder["name"].is_string(), "{folder}");
    let mut depth = 0;
    let mut level = &folder;
    while let Some(child) = level["children"].as_array().and_then(|children| children.first()) {
        assert!(child["id"].is_string() && child["name"].is_string(), "{folder}");
        level = child;
        depth += 1;
        assert!(depth < 32, "the recursion ends: {folder}");
    }
}

#[tokio::test]
async fn vbr_and_vbazure_generated_bodies_use_their_products_date_formats() {
    let vbr = spawn_with_documents(VBR, &[VBR_JOBS]).await;
    let login = vbr.vbr_login("1.3-rev2", "administrator").await;
    let started = vbr
        .vbr(Method::POST, &format!("/api/v1/jobs/{JOB_ID}/start"), Some("1.3-rev2"), Some(&login), None)
        .await;
    assert_eq!(started.status(), StatusCode::ACCEPTED);
    let session: Value = started.json().await.expect("JSON");
    assert!(session["id"].as_str().is_some_and(is_uuid), "{session}");
    let created = session["creationTime"].as_str().unwrap_or_default();
    assert!(is_vbr_time(created), "creationTime in VBR's form: {session}");
    assert!(
        ["Starting", "Working", "Stopped"].contains(&session["state"].as_str().unwrap_or_default()),
        "{session}"
    );

    let azure = spawn_with_documents(AZURE, &[AZURE_POLICIES]).await;
    let login = azure.azure_login("administrator").await;
    let path = format!("/api/v8.1/policies/virtualMachines/{JOB_ID}");
    let policy = ok_json(azure.azure(Method::GET, &path, Some(&login), None).await).await;
    assert_generated_item(&policy, "priority", &["Low", "Normal", "High"], "nextRun");
}

// ---------------------------------------------------------------------------------------------
// 7. Paging
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_generated_vb365_collection_of_api_items_is_cut_by_offset_and_limit() {
    let scenario = vb365_world("[api]\ndocuments = [\"vb365_v8_jobs.json\"]\nitems = 7");
    let app = spawn_from_file("vb365-paging", &scenario, &[VB365_JOBS]).await;
    let login = app.login(true).await;

    let all = ok_json(app.vb365(Method::GET, "/v8/Jobs", Some(&login), None).await).await;
    let page = ok_json(app.vb365(Method::GET, "/v8/Jobs?offset=2&limit=3", Some(&login), None).await).await;

    let every = all["results"].as_array().expect("results");
    assert_eq!(every.len(), 7, "{all}");
    assert_eq!((&all["offset"], &all["limit"]), (&json!(0), &json!(30)));
    let keys: Vec<&str> = page.as_object().expect("an object").keys().map(String::as_str).collect();
    assert_eq!(keys, ["offset", "limit", "results", "_links"], "the generated envelope, paged: {page}");
    assert_eq!((&page["offset"], &page["limit"]), (&json!(2), &json!(3)));
    assert_eq!(page["results"].as_array().expect("results"), &every[2..5]);
    assert!(page["_links"].is_object(), "`_links` keeps its generated value: {page}");
    assert_eq!(page["_links"], all["_links"]);

    let past = ok_json(app.vb365(Method::GET, "/v8/Jobs?offset=6&limit=3", Some(&login), None).await).await;
    assert_eq!(past["results"].as_array().map(Vec::len), Some(1));

    assert_vb365_invalid(
        app.vb365(Method::GET, "/v8/Jobs?limit=lots", Some(&login), None).await,
        "The value 'lots' is not valid.",
    )
    .await;
    assert_vb365_invalid(
        app.vb365(Method::GET, "/v8/Jobs?limit=10001", Some(&login), None).await,
        "The maximum supported number of items per page is 10000.",
    )
    .await;
}

#[tokio::test]
async fn a_generated_vbr_collection_is_cut_by_skip_and_limit_with_its_pagination() {
    let scenario = format!("{VBR}\n[api]\ndocuments = [\"vbr_jobs.json\"]\nitems = 7\n");
    let app = spawn_from_file("vbr-paging", &scenario, &[VBR_JOBS]).await;
    let login = app.vbr_login("1.3-rev2", "administrator").await;
    let get = |path: &'static str| {
        let app = &app;
        let login = login.clone();
        async move { app.vbr(Method::GET, path, Some("1.3-rev2"), Some(&login), None).await }
    };

    let all = ok_json(get("/api/v1/jobs").await).await;
    assert_eq!(all["pagination"], json!({"total": 7, "count": 7, "skip": 0, "limit": 200}));
    let page = ok_json(get("/api/v1/jobs?skip=5&limit=3").await).await;
    let keys: Vec<&str> = page.as_object().expect("an object").keys().map(String::as_str).collect();
    assert_eq!(keys, ["data", "pagination"]);
    assert_eq!(page["pagination"], json!({"total": 7, "count": 2, "skip": 5, "limit": 3}));
    assert_eq!(page["data"].as_array().expect("data"), &all["data"].as_array().expect("data")[5..7]);
    for job in page["data"].as_array().expect("data") {
        assert!(job["id"].as_str().is_some_and(is_uuid), "{job}");
        assert!(is_vbr_time(job["lastRun"].as_str().unwrap_or_default()), "{job}");
    }

    assert_vbr(get("/api/v1/jobs?limit=0").await, StatusCode::BAD_REQUEST, NOT_VALID).await;
    assert_vbr(get("/api/v1/jobs?limit=x").await, StatusCode::BAD_REQUEST, NOT_VALID).await;
}

#[tokio::test]
async fn a_generated_vbazure_collection_is_cut_by_offset_and_limit() {
    let scenario = format!("{AZURE}\n[api]\ndocuments = [\"azure_policies.json\"]\nitems = 7\n");
    let app = spawn_from_file("azure-paging", &scenario, &[AZURE_POLICIES]).await;
    let login = Some(app.azure_login("administrator").await);
    let login = login.as_ref();
    let policies = "/api/v8.1/policies/virtualMachines";

    let all = ok_json(app.azure(Method::GET, policies, login, None).await).await;
    assert_eq!((&all["offset"], &all["limit"], &all["totalCount"]), (&json!(0), &json!(-1), &json!(7)));
    let every = all["results"].as_array().expect("results");
    assert_eq!(every.len(), 7);
    let page =
        ok_json(app.azure(Method::GET, &format!("{policies}?offset=1&LIMIT=2"), login, None).await).await;
    assert_eq!((&page["offset"], &page["limit"], &page["totalCount"]), (&json!(1), &json!(2), &json!(7)));
    assert_eq!(page["results"].as_array().expect("results"), &every[1..3]);
    for policy in every {
        assert_generated_item(policy, "priority", &["Low", "Normal", "High"], "nextRun");
    }

    assert_problem(
        app.azure(Method::GET, &format!("{policies}?Limit=-2"), login, None).await,
        StatusCode::BAD_REQUEST,
        &azure_invalid(r#"{"Limit":["The value '-2' is not valid for Limit."]}"#),
    )
    .await;
}

// ---------------------------------------------------------------------------------------------
// 8. Swagger UI
// ---------------------------------------------------------------------------------------------

#[cfg(feature = "swagger-ui")]
#[tokio::test]
async fn swagger_ui_lists_a_loaded_document_served_with_the_mock_as_its_server() {
    let app = spawn_with_documents(FROZEN, &[VB365_JOBS]).await;

    let initializer =
        app.client.get(app.url("/swagger/ui/index/swagger-initializer.js")).send().await.expect("sent");
    assert_eq!(initializer.status(), StatusCode::OK);
    let script = initializer.text().await.expect("body");
    assert!(script.contains("\"/__mock/documents/0/openapi.json\""), "{script}");
    let name = format!(
        "vb365 v8: Mailbox backup jobs (test document) (loaded from {})",
        served(VB365_JOBS).display()
    );
    assert!(script.contains(&serde_json::to_string(&name).expect("JSON")), "{script}");
    assert!(script.contains("veeam-auth-mock (the mock's own endpoints)"), "{script}");

    let served_document =
        app.client.get(app.url("/__mock/documents/0/openapi.json")).send().await.expect("sent");
    assert_eq!(served_document.status(), StatusCode::OK);
    let served_document: Value = served_document.json().await.expect("JSON");
    let mut original: Value =
        serde_json::from_slice(&std::fs::read(served(VB365_JOBS)).expect("read")).expect("JSON");
    assert_eq!(original["servers"], json!([{"url": "https://vb365.test:4443"}]));
    original["servers"] = json!([{"url": "/"}]);
    assert_eq!(served_document, original, "the same document, its servers pointed at the mock");

    let missing = app.client.get(app.url("/__mock/documents/9/openapi.json")).send().await.expect("sent");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let not_a_number =
        app.client.get(app.url("/__mock/documents/x/openapi.json")).send().await.expect("sent");
    assert_eq!(not_a_number.status(), StatusCode::NOT_FOUND);
}

#[cfg(feature = "swagger-ui")]
#[tokio::test]
async fn without_loaded_documents_swagger_ui_lists_the_mocks_own_only() {
    let app = TestApp::spawn().await;
    let script = app
        .client
        .get(app.url("/swagger/ui/index/swagger-initializer.js"))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("body");
    assert!(!script.contains("/__mock/documents/"), "{script}");
    let none = app.client.get(app.url("/__mock/documents/0/openapi.json")).send().await.expect("sent");
    assert_eq!(none.status(), StatusCode::NOT_FOUND);
}

#[cfg(feature = "openapi")]
#[tokio::test]
async fn the_builders_documents_come_first_then_the_scenarios() {
    let scenario = format!("{VBR}\n[api]\ndocuments = [\"vbr_jobs_1.2-rev1.json\"]\n");
    let dir = ScenarioDir::new("order", &[VBR_JOBS_OLD]);
    let scenario = dir.scenario(&scenario).expect("valid");
    assert_eq!(scenario.documents().len(), 1);
    let server = MockServer::builder().scenario(scenario).openapi_document(document(VBR_JOBS)).start().await;
    let client = reqwest::Client::new();
    let version = |index: usize| {
        let client = client.clone();
        let url = format!("{}/__mock/documents/{index}/openapi.json", server.uri());
        async move {
            let document: Value = client.get(url).send().await.expect("sent").json().await.expect("JSON");
            document["info"]["version"].as_str().unwrap_or_default().to_owned()
        }
    };
    assert_eq!(version(0).await, "1.3-rev2");
    assert_eq!(version(1).await, "1.2-rev1");
}

// ---------------------------------------------------------------------------------------------
// 9. Two VBR revisions at the same path
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn x_api_version_picks_the_vbr_document_of_that_revision() {
    let app = spawn_with_documents(VBR, &[VBR_JOBS, VBR_JOBS_OLD]).await;
    let login = app.vbr_login("1.3-rev2", "administrator").await;
    let path = format!("/api/v1/jobs/{JOB_ID}");
    let rev2 = r#"{"type":"Backup","name":"Revision two job","id":"3c9f1e2d-4b5a-4c6d-9e7f-8a9b0c1d2e3f","isDisabled":false}"#;
    let rev1 = r#"{"id":"3c9f1e2d-4b5a-4c6d-9e7f-8a9b0c1d2e3f","name":"Revision one job"}"#;

    assert_json_text(
        app.vbr(Method::GET, &path, Some("1.3-rev2"), Some(&login), None).await,
        StatusCode::OK,
        rev2,
    )
    .await;
    assert_json_text(
        app.vbr(Method::GET, &path, Some("1.2-rev1"), Some(&login), None).await,
        StatusCode::OK,
        rev1,
    )
    .await;
    // A served revision neither document is of: the first document loaded.
    assert_json_text(
        app.vbr(Method::GET, &path, Some("1.3-rev0"), Some(&login), None).await,
        StatusCode::OK,
        rev2,
    )
    .await;
    // Only 1.3-rev2's document has the list: any served revision reaches it.
    assert_eq!(
        app.vbr(Method::GET, "/api/v1/jobs", Some("1.2-rev1"), Some(&login), None).await.status(),
        StatusCode::OK
    );

    // Loaded the other way round, the exact match still wins.
    let reversed = spawn_with_documents(VBR, &[VBR_JOBS_OLD, VBR_JOBS]).await;
    let login = reversed.vbr_login("1.3-rev2", "administrator").await;
    assert_json_text(
        reversed.vbr(Method::GET, &path, Some("1.3-rev2"), Some(&login), None).await,
        StatusCode::OK,
        rev2,
    )
    .await;
    assert_json_text(
        reversed.vbr(Method::GET, &path, Some("1.2-rev1"), Some(&login), None).await,
        StatusCode::OK,
        rev1,
    )
    .await;
}
