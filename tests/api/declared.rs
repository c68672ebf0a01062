//! Declared routes (`[[routes]]`) from a running server: answered only to live sessions of the
//! owning product, with the product's refusals, paging, sequences and templates.

use reqwest::StatusCode;
use reqwest::header::AUTHORIZATION;
use serde_json::{Value, json};

use crate::helpers::{FROZEN, Login, TestApp, assert_401_empty};

/// The frozen world plus a few VB365 routes.
fn world(routes: &str) -> String {
    format!("{FROZEN}\n{routes}")
}

const JOBS: &str = r#"
[[routes]]
name = "jobs"
path = "/v8/Jobs"
items = [
  { id = "a", name = "Daily" },
  { id = "b", name = "Weekly" },
  { id = "c", name = "Monthly" },
]

[[routes]]
path = "/v8/Jobs/{jobId}"
json = { id = "{{path.jobId}}", name = "Job {{path.jobId}}", by = "{{user}}", role = "{{role}}", at = "{{now}}" }
"#;

async fn get(app: &TestApp, path: &str, login: Option<&Login>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(login) = login {
        request = request.header(AUTHORIZATION, format!("Bearer {}", login.access));
        if let Some(token) = &login.antiforgery {
            request = request.header("X-XSRF-TOKEN", token);
        }
    }
    request.send().await.expect("request sent")
}

#[tokio::test]
async fn a_paged_collection_answers_a_live_session_in_the_vb365_envelope() {
    let app = TestApp::spawn_with(&world(JOBS)).await;
    let login = app.login(true).await;

    let response = get(&app, "/v8/Jobs", Some(&login)).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json; charset=utf-8");
    assert_eq!(
        response.text().await.expect("body"),
        r#"{"offset":0,"limit":30,"results":[{"id":"a","name":"Daily"},{"id":"b","name":"Weekly"},{"id":"c","name":"Monthly"}]}"#
    );
    let page: Value = get(&app, "/V8/jobs/?Offset=1&limit=1", Some(&login)).await.json().await.expect("JSON");
    assert_eq!(page, json!({"offset": 1, "limit": 1, "results": [{"id": "b", "name": "Weekly"}]}));
}

#[tokio::test]
async fn templates_fill_in_the_path_the_caller_and_the_clock() {
    let app = TestApp::spawn_with(&world(JOBS)).await;
    let login = app.login(true).await;

    let body = get(&app, "/v8/Jobs/AbC", Some(&login)).await.text().await.expect("body");

    assert_eq!(
        body,
        r#"{"id":"AbC","name":"Job AbC","by":"Administrator","role":"administrator","at":"2024-08-07T15:56:22.9188632Z"}"#
    );
}

#[tokio::test]
async fn without_a_live_bearer_the_route_refuses_as_vb365_does() {
    let app = TestApp::spawn_with(&world(JOBS)).await;
    assert_eq!(assert_401_empty(get(&app, "/v8/Jobs", None).await).await, "Bearer");
    let login = app.login(true).await;
    app.server.clock().advance(std::time::Duration::from_secs(3601));
    let challenge = assert_401_empty(get(&app, "/v8/Jobs", Some(&login)).await).await;
    assert!(challenge.contains("expired"), "{challenge}");
}

/// Asserts two responses are the same refusal: status, content type, challenge and body (the
/// random `traceId` and the `instance` path of problem bodies aside).
async fn assert_same_refusal(declared: reqwest::Response, own: reqwest::Response) {
    let head = |response: &reqwest::Response| {
        let header =
            |name: &str| response.headers().get(name).map(|value| value.to_str().expect("ASCII").to_owned());
        (response.status(), header("content-type"), header("www-authenticate"))
    };
    let (declared_head, own_head) = (head(&declared), head(&own));
    assert_eq!(declared_head, own_head);
    let scrub = |text: String| -> String {
        match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(mut object)) => {
                object.remove("traceId");
                object.remove("instance");
                Value::Object(object).to_string()
            }
            _ => text,
        }
    };
    let (declared_body, own_body) = (declared.text().await.expect("body"), own.text().await.expect("body"));
    assert_eq!(scrub(declared_body), scrub(own_body));
}

#[tokio::test]
async fn a_vb365_route_refuses_exactly_as_the_products_own_protected_endpoint() {
    let app = TestApp::spawn_with(&world(JOBS)).await;
    let call = |path: &'static str, bearer: Option<String>, antiforgery: Option<String>| {
        let mut request = app.client.get(app.url(path));
        if let Some(bearer) = bearer {
            request = request.header(AUTHORIZATION, bearer);
        }
        if let Some(token) = antiforgery {
            request = request.header("X-XSRF-TOKEN", token);
        }
        request.send()
    };
    // No bearer; a malformed one.
    for bearer in [None, Some("Bearer nope".to_owned())] {
        let declared = call("/v8/Jobs", bearer.clone(), None).await.expect("sent");
        let own = call("/v8/ServiceInstance", bearer, None).await.expect("sent");
        assert_same_refusal(declared, own).await;
    }
    // A v8 session that kept its antiforgery token but does not echo it (strict on v8).
    let strict = app.login(false).await;
    let bearer = Some(format!("Bearer {}", strict.access));
    let declared = call("/v8/Jobs", bearer.clone(), None).await.expect("sent");
    assert_eq!(declared.status(), StatusCode::UNAUTHORIZED);
    assert_same_refusal(declared, call("/v8/ServiceInstance", bearer.clone(), None).await.expect("sent"))
        .await;
    let echoed = call("/v8/Jobs", bearer, strict.antiforgery.clone()).await.expect("sent");
    assert_eq!(echoed.status(), StatusCode::OK);
    // Logged out: both refuse alike.
    let login = app.login(true).await;
    assert_eq!(app.logout(&login).await.status(), StatusCode::NO_CONTENT);
    let bearer = Some(format!("Bearer {}", login.access));
    let declared = call("/v8/Jobs", bearer.clone(), None).await.expect("sent");
    assert_eq!(declared.status(), StatusCode::UNAUTHORIZED);
    assert_same_refusal(declared, call("/v8/ServiceInstance", bearer, None).await.expect("sent")).await;
}

#[tokio::test]
async fn a_role_not_listed_gets_vb365s_403_and_an_unserved_version_its_404() {
    let routes = r#"
[vb365]
versions = ["v6", "v7", "v8"]

[[routes]]
path = "/v8/Organizations"
auth = ["tenant", "operator"]
json = []

[[routes]]
path = "/v5/Jobs"
json = []
"#;
    let app = TestApp::spawn_with(&world(routes)).await;
    let login = app.login(true).await;

    let forbidden = get(&app, "/v8/Organizations", Some(&login)).await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        forbidden.text().await.expect("body"),
        r#"{"message":"The user does not have permission to perform this operation.","errorCode":"ResourceAccessDenied"}"#
    );
    // What VB365 answers for any path of a version it does not serve.
    let not_served = get(&app, "/v5/Jobs", Some(&login)).await;
    assert_eq!(not_served.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        not_served.text().await.expect("body"),
        r#"{"message":"The requested resource was not found: GET /v5/Jobs"}"#
    );
}

#[tokio::test]
async fn a_sequence_answers_in_order_and_repeats_its_last_response() {
    let routes = r#"
[[routes]]
path = "/v8/License"
responses = [
  { status = 503, body = '{"message":"busy"}' },
  { json = { status = "Valid" }, headers = { "X-Call" = "2" } },
]
"#;
    let app = TestApp::spawn_with(&world(routes)).await;
    let login = app.login(true).await;
    let first = get(&app, "/v8/License", Some(&login)).await;
    assert_eq!(first.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(first.text().await.expect("body"), r#"{"message":"busy"}"#);
    for _ in 0..2 {
        let next = get(&app, "/v8/License", Some(&login)).await;
        assert_eq!(next.status(), StatusCode::OK);
        assert_eq!(next.headers()["x-call"], "2");
        assert_eq!(next.text().await.expect("body"), r#"{"status":"Valid"}"#);
    }
    // A refused call does not move the sequence.
    app.server.reset();
    assert_eq!(get(&app, "/v8/License", None).await.status(), StatusCode::UNAUTHORIZED);
    let login = app.login(true).await;
    assert_eq!(get(&app, "/v8/License", Some(&login)).await.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn another_method_on_a_declared_path_gets_vb365s_405_with_allow() {
    let app = TestApp::spawn_with(&world(JOBS)).await;
    let login = app.login(true).await;
    let response = app
        .client
        .delete(app.url("/v8/Jobs"))
        .header(AUTHORIZATION, format!("Bearer {}", login.access))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()["allow"], "GET");
}

#[tokio::test]
async fn query_conditions_pick_the_route_and_a_literal_segment_beats_a_parameter() {
    let routes = r#"
[[routes]]
path = "/v8/Jobs"
query = { organizationId = "*" }
json = { filtered = "{{query.organizationId}}" }

[[routes]]
path = "/v8/Jobs"
json = { filtered = false }

[[routes]]
path = "/v8/Jobs/{id}"
json = { id = "{{path.id}}" }

[[routes]]
path = "/v8/Jobs/current"
json = { current = true }
"#;
    let app = TestApp::spawn_with(&world(routes)).await;
    let login = app.login(true).await;
    let text = |path: &'static str| {
        let login = login.clone();
        let app = &app;
        async move { get(app, path, Some(&login)).await.text().await.expect("body") }
    };
    assert_eq!(text("/v8/Jobs?organizationId=o%221").await, r#"{"filtered":"o\"1"}"#);
    assert_eq!(text("/v8/Jobs").await, r#"{"filtered":false}"#);
    assert_eq!(text("/v8/Jobs/current").await, r#"{"current":true}"#);
    assert_eq!(text("/v8/Jobs/7").await, r#"{"id":"7"}"#);
}

#[tokio::test]
async fn vb365_paging_parameters_are_checked_in_the_products_400() {
    let app = TestApp::spawn_with(&world(JOBS)).await;
    let login = app.login(true).await;
    let bad = get(&app, "/v8/Jobs?limit=10001", Some(&login)).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        bad.text().await.expect("body"),
        r#"{"message":"The maximum supported number of items per page is 10000.","errorCode":"ParameterValidationFailure"}"#
    );
    let bad = get(&app, "/v8/Jobs?offset=-1", Some(&login)).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let past_the_end: Value = get(&app, "/v8/Jobs?offset=10", Some(&login)).await.json().await.expect("JSON");
    assert_eq!(past_the_end, json!({"offset": 10, "limit": 30, "results": []}));
}

#[tokio::test]
async fn an_auth_code_opens_its_route_once_until_it_expires() {
    let routes = r#"
[[routes]]
path = "/v8/Organizations/{organizationId}/Teams/export"
auth = "auth_code"
body = "exported for {{user}}"
content_type = "text/plain"
"#;
    let app = TestApp::spawn_with(&world(routes)).await;
    let login = app.login(true).await;
    let mint = || async {
        let response = app
            .client
            .post(app.url("/v8/token/AuthCode"))
            .header(AUTHORIZATION, format!("Bearer {}", login.access))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::OK);
        response.json::<Value>().await.expect("JSON")["authCode"].as_str().expect("code").to_owned()
    };
    let export = |code: String| {
        app.client.get(app.url(&format!("/v8/Organizations/o/Teams/export?authCode={code}"))).send()
    };

    let code = mint().await;
    let first = export(code.clone()).await.expect("sent");
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()["content-type"], "text/plain");
    assert_eq!(first.text().await.expect("body"), "exported for Administrator");
    assert_eq!(export(code).await.expect("sent").status(), StatusCode::UNAUTHORIZED, "a code is good once");

    let code = mint().await;
    app.server.clock().advance(std::time::Duration::from_secs(61));
    assert_eq!(export(code).await.expect("sent").status(), StatusCode::UNAUTHORIZED, "a code expires");
    assert_eq!(export(String::new()).await.expect("sent").status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn uuids_are_fresh_per_call_and_anonymous_routes_need_no_bearer() {
    let routes = r#"
[[routes]]
path = "/v8/Ping"
auth = "anonymous"
json = { id = "{{uuid}}", user = "{{user}}" }
"#;
    let app = TestApp::spawn_with(&world(routes)).await;
    let first: Value = get(&app, "/v8/Ping", None).await.json().await.expect("JSON");
    let second: Value = get(&app, "/v8/Ping", None).await.json().await.expect("JSON");
    let id = first["id"].as_str().expect("id");
    assert_eq!(id.len(), 36);
    assert_eq!(&id[14..15], "4", "a version 4 UUID: {id}");
    assert_ne!(first["id"], second["id"]);
    assert_eq!(first["user"], "");
}

const AZURE_ROUTES: &str = r#"
[[routes]]
path = "/api/v8.1/policies/virtualMachines"
items = [ { id = "p1", name = "Daily" }, { id = "p2", name = "Weekly" } ]

[[routes]]
path = "/api/v8.1/accounts"
auth = ["PortalOperator"]
json = []
"#;

#[tokio::test]
async fn a_vbazure_route_pages_in_its_envelope_and_refuses_as_vbazure_does() {
    let app = TestApp::spawn_with(&format!("{}\n{AZURE_ROUTES}", crate::azure_helpers::AZURE)).await;
    let login = app.azure_login("administrator").await;
    let page =
        app.azure_get("/api/v8.1/policies/virtualMachines?limit=1&offset=1", Some(&login.bearer())).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(
        page.text().await.expect("body"),
        r#"{"offset":1,"limit":1,"totalCount":2,"results":[{"id":"p2","name":"Weekly"}]}"#
    );
    let all: Value = app
        .azure_get("/api/v8.1/policies/virtualMachines", Some(&login.bearer()))
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(all["limit"], -1);
    assert_eq!(all["results"].as_array().map(Vec::len), Some(2));

    for bearer in [None, Some("Bearer nope")] {
        let declared = app.azure_get("/api/v8.1/policies/virtualMachines", bearer).await;
        let own = app.azure_get("/api/v8.1/system/serverInfo", bearer).await;
        assert_eq!(declared.status(), StatusCode::UNAUTHORIZED);
        assert_same_refusal(declared, own).await;
    }
    let forbidden = app.azure_get("/api/v8.1/accounts", Some(&login.bearer())).await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    assert_eq!(forbidden.headers()["content-type"], "application/problem+json; charset=utf-8");
    let unserved = app.azure_get("/api/v9/policies/virtualMachines", Some(&login.bearer())).await;
    assert_eq!(unserved.status(), StatusCode::NOT_FOUND);
    // Logged out: refused like the product's own endpoint.
    assert_eq!(app.azure_logout(Some(&login.access)).await.status(), StatusCode::NO_CONTENT);
    let declared = app.azure_get("/api/v8.1/policies/virtualMachines", Some(&login.bearer())).await;
    assert_eq!(declared.status(), StatusCode::UNAUTHORIZED);
    assert_same_refusal(declared, app.azure_get("/api/v8.1/system/serverInfo", Some(&login.bearer())).await)
        .await;
}

#[test]
fn a_scenario_reports_every_bad_route_on_the_line_of_its_table() {
    let text = r#"
[[routes]]
path = "/v8/token"

[[routes]]
path = "/v8/Jobs/{id}"
auth = "sometimes"
json = { id = "{{path.jobId}}" }

[[routes]]
path = "/api/v8.1/things"
auth = "auth_code"
status = 204
body = "x"
"#;
    let problems = match veeam_auth_mock::Scenario::from_toml_str(text) {
        Ok(_) => panic!("refused"),
        Err(err) => err.problems().to_vec(),
    };
    let found: Vec<(String, Option<usize>, String)> =
        problems.into_iter().map(|p| (p.path, p.line, p.message)).collect();
    assert_eq!(
        found,
        vec![
            (
                "routes[0].path".to_owned(),
                Some(2),
                "`/v8/token` is served by the mock itself (vb365.token); a declared route cannot replace it".to_owned()
            ),
            (
                "routes[1].auth".to_owned(),
                Some(5),
                "unknown auth `sometimes`; expected \"session\", \"anonymous\", \"auth_code\" or a list of roles".to_owned()
            ),
            (
                "routes[1].json".to_owned(),
                Some(5),
                "`{{path.jobId}}` names no path parameter; the path's parameters are id".to_owned()
            ),
            ("routes[2].auth".to_owned(), Some(10), "azure issues no authorization codes".to_owned()),
            ("routes[2].status".to_owned(), Some(10), "status 204 is sent without a body".to_owned()),
        ]
    );
}

#[tokio::test]
async fn a_legacy_route_takes_the_opaque_token_and_refuses_with_the_web_api_message() {
    let routes = r#"
[[routes]]
path = "/v5/Jobs"
json = [{ name = "Legacy" }]
"#;
    let app = TestApp::spawn_with(&world(routes)).await;
    let login: Value = app
        .post_token_at(
            "v5",
            &[("grant_type", "password"), ("username", "Administrator"), ("password", "PassWord1")],
        )
        .await
        .json()
        .await
        .expect("JSON");
    let access = login["access_token"].as_str().expect("an opaque access token");

    let anonymous = get(&app, "/v5/Jobs", None).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.headers()["www-authenticate"], "Bearer");
    assert_eq!(
        anonymous.text().await.expect("body"),
        r#"{"message":"Authorization has been denied for this request."}"#
    );
    let response = app.client.get(app.url("/v5/Jobs")).bearer_auth(access).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.expect("body"), r#"[{"name":"Legacy"}]"#);
}

#[tokio::test]
async fn path_parameters_are_percent_decoded_before_they_fill_a_template() {
    let app = TestApp::spawn_with(&world(JOBS)).await;
    let login = app.login(true).await;
    let body: Value = get(&app, "/v8/Jobs/Daily%20Backup%22", Some(&login)).await.json().await.expect("JSON");
    assert_eq!(body["id"], "Daily Backup\"");
}

/// The README's example of declared routes in code, as written there.
#[tokio::test]
async fn the_readmes_handle_example_holds() {
    use veeam_auth_mock::Fault;
    use veeam_auth_mock::routes::DeclaredRoute;

    let app = TestApp::spawn().await;
    let server = &app.server;
    let jobs = server.routes().add(
        DeclaredRoute::get("/v8/Jobs")
            .named("jobs")
            .for_roles(["administrator"])
            .items(json!([{ "id": "a", "name": "Daily" }, { "id": "b", "name": "Weekly" }])),
    );
    server.faults().add(Fault::status(503).on_route("jobs").calls([2]));
    let login = app.login(true).await;
    let statuses = [
        get(&app, "/v8/Jobs", Some(&login)).await.status(),
        get(&app, "/v8/Jobs", Some(&login)).await.status(),
        get(&app, "/v8/Jobs", Some(&login)).await.status(),
    ];
    assert_eq!(statuses, [StatusCode::OK, StatusCode::SERVICE_UNAVAILABLE, StatusCode::OK]);
    assert_eq!(server.journal().count_route("jobs"), 3);
    assert!(server.routes().remove(jobs));
    assert_eq!(get(&app, "/v8/Jobs", Some(&login)).await.status(), StatusCode::NOT_FOUND);
}
