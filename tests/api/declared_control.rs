//! The control plane over declared routes: the admin API's `/__mock/routes`, faults that name
//! a declared route (by `route.<name>`, path or method), journal entries for declared calls,
//! the `MockControl::routes` handle, and reset/load restoring the scenario's routes.

use reqwest::header::{AUTHORIZATION, LOCATION};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use veeam_auth_mock::routes::{DeclaredRoute, RouteId, RouteResponse, RouteSpec};
use veeam_auth_mock::{Fault, JournalQuery, Scenario};

use crate::helpers::{FROZEN, Login, TestApp};

/// The frozen world plus `routes`.
fn world(routes: &str) -> String {
    format!("{FROZEN}\n{routes}")
}

const JOBS: &str = r#"
[[routes]]
name = "jobs"
path = "/v8/Jobs"
items = [{ id = "a", name = "Daily" }, { id = "b", name = "Weekly" }]

[[routes]]
name = "job"
method = "DELETE"
path = "/v8/Jobs/{jobId}"
status = 204
"#;

/// A sequence: the first call gets 503, every later one the license.
const LICENSE: &str = r#"
[[routes]]
name = "license"
path = "/v8/License"
responses = [{ status = 503, json = { message = "busy" } }, { json = { status = "Valid" } }]
"#;

/// An admin call: its status and JSON body (`null` when there is none).
async fn admin(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut request = app.client.request(method, app.url(path));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("sent");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A call to a product path as the holder of `login`.
async fn call(app: &TestApp, method: Method, path: &str, login: &Login) -> reqwest::Response {
    app.client
        .request(method, app.url(path))
        .header(AUTHORIZATION, format!("Bearer {}", login.access))
        .send()
        .await
        .expect("sent")
}

async fn status_of(app: &TestApp, method: Method, path: &str, login: &Login) -> StatusCode {
    call(app, method, path, login).await.status()
}

// --- the admin API ---

#[tokio::test]
async fn the_admin_api_adds_lists_and_removes_routes() {
    let app = TestApp::spawn().await;
    let login = app.login(true).await;
    let response = app
        .client
        .post(app.url("/__mock/routes"))
        .json(&json!({ "name": "Jobs", "path": "/v8/Jobs", "items": [{ "id": "a" }] }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()[LOCATION], "/__mock/routes/1");
    let entry = json!({
        "id": 1, "endpoint": "route.jobs", "calls": 0, "name": "jobs", "product": "vb365", "method": "GET",
        "path": "/v8/Jobs", "auth": "session", "items": [{ "id": "a" }]
    });
    assert_eq!(response.json::<Value>().await.expect("JSON"), entry);

    let answer = call(&app, Method::GET, "/v8/jobs", &login).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.text().await.expect("body"), r#"{"offset":0,"limit":30,"results":[{"id":"a"}]}"#);
    let mut listed = entry.clone();
    listed["calls"] = json!(1);
    assert_eq!(admin(&app, Method::GET, "/__mock/routes", None).await, (StatusCode::OK, json!([listed])));
    assert_eq!(admin(&app, Method::GET, "/__mock/routes/1", None).await, (StatusCode::OK, listed.clone()));
    assert_eq!(app.server.routes().list()[0].calls, 1, "the handle sees the admin's route");

    assert_eq!(
        admin(&app, Method::DELETE, "/__mock/routes/1", None).await,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    assert_eq!(admin(&app, Method::GET, "/__mock/routes", None).await, (StatusCode::OK, json!([])));
    assert_eq!(status_of(&app, Method::GET, "/v8/Jobs", &login).await, StatusCode::NOT_FOUND, "gone");
    assert_eq!(
        admin(&app, Method::DELETE, "/__mock/routes/1", None).await,
        (StatusCode::NOT_FOUND, json!({ "error": "not_found", "detail": "no route 1" }))
    );
    assert_eq!(
        admin(&app, Method::GET, "/__mock/routes/1", None).await,
        (StatusCode::NOT_FOUND, json!({ "error": "not_found", "detail": "no route 1" }))
    );
    assert_eq!(
        admin(&app, Method::DELETE, "/__mock/routes/first", None).await,
        (StatusCode::NOT_FOUND, json!({ "error": "not_found", "detail": "no route `first`" }))
    );
}

#[tokio::test]
async fn deleting_every_route_removes_the_scenarios_too_until_a_reset() {
    let app = TestApp::spawn_with(&world(JOBS)).await;
    let login = app.login(true).await;
    let added = json!({ "path": "/v8/Repositories", "json": [] });
    assert_eq!(
        admin(&app, Method::POST, "/__mock/routes", Some(added)).await.1["id"],
        3,
        "after the scenario's two"
    );

    assert_eq!(
        admin(&app, Method::DELETE, "/__mock/routes", None).await,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    assert_eq!(admin(&app, Method::GET, "/__mock/routes", None).await.1, json!([]));
    assert_eq!(status_of(&app, Method::GET, "/v8/Jobs", &login).await, StatusCode::NOT_FOUND);

    assert_eq!(admin(&app, Method::POST, "/__mock/reset", None).await.0, StatusCode::NO_CONTENT);
    let ids: Vec<Value> = app.server.routes().list().iter().map(|route| json!(route.id.get())).collect();
    assert_eq!(ids, [json!(1), json!(2)], "the scenario's routes, numbered afresh");
}

#[tokio::test]
async fn the_admin_api_reports_every_problem_of_a_route() {
    let app = TestApp::spawn().await;
    let (status, error) = admin(
        &app,
        Method::POST,
        "/__mock/routes",
        Some(json!({ "path": "v8/Jobs", "method": "GE T", "auth": "root", "status": 99, "body": "{}", "json": {} })),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        error,
        json!({
            "error": "bad_request",
            "detail": "method: `GE T` is not an HTTP method; path: `v8/Jobs` must start with `/`; \
                       auth: unknown auth `root`; expected \"session\", \"anonymous\", \"auth_code\" or a list of roles; \
                       status: status 99 is not allowed; a declared route answers 200 to 599; \
                       json: give one of `body`, `json`, `body_file`, `items` and `items_file`, not `body` and `json`"
        })
    );
    assert!(app.server.routes().list().is_empty(), "nothing was added");
}

#[tokio::test]
async fn a_route_added_at_runtime_cannot_name_a_file() {
    let app = TestApp::spawn().await;
    let refused = |key: &str| {
        format!(
            "{key}: `Cargo.toml`: a route added at runtime cannot name a file (the mock does not read its own \
             disk for it); give the body inline with `body`, `json` or `items`"
        )
    };
    for key in ["body_file", "items_file"] {
        let (status, error) = admin(
            &app,
            Method::POST,
            "/__mock/routes",
            Some(json!({ "path": "/v8/Jobs", key: "Cargo.toml" })),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(error, json!({ "error": "bad_request", "detail": refused(key) }));
    }
    let problems = app
        .server
        .routes()
        .try_add(RouteSpec {
            path: Some("/v8/Jobs".into()),
            body_file: Some("Cargo.toml".into()),
            ..RouteSpec::default()
        })
        .expect_err("the handle refuses files too");
    assert_eq!(problems, [("body_file".to_owned(), refused("body_file")["body_file: ".len()..].to_owned())]);
}

#[tokio::test]
async fn a_malformed_body_or_an_unknown_key_is_refused() {
    let app = TestApp::spawn().await;
    let (status, error) =
        admin(&app, Method::POST, "/__mock/routes", Some(json!({ "path": "/v8/Jobs", "stauts": 200 }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["error"], "bad_request");
    assert!(
        error["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("the body is not the JSON expected: unknown field `stauts`")),
        "{error}"
    );
}

#[tokio::test]
async fn a_taken_name_is_a_conflict_and_a_full_mock_refuses_more() {
    let app = TestApp::spawn_with(&world(JOBS)).await;
    let (status, error) =
        admin(&app, Method::POST, "/__mock/routes", Some(json!({ "name": "JOBS", "path": "/v8/Jobs2" })))
            .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        error,
        json!({
            "error": "conflict",
            "detail": "the name `jobs` is taken by route 1; give this route its own `name` (or remove that one first)"
        })
    );

    // Two in force; fill up to the most the mock holds.
    for n in 2..1000 {
        app.server.routes().add(DeclaredRoute::get(&format!("/v8/Filler/{n}")));
    }
    assert_eq!(app.server.routes().list().len(), 1000);
    let (status, error) =
        admin(&app, Method::POST, "/__mock/routes", Some(json!({ "path": "/v8/More" }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        error,
        json!({ "error": "bad_request", "detail": "1000 routes are in force, the most the mock holds; remove some first" })
    );
    assert_eq!(
        app.server.routes().try_add(DeclaredRoute::get("/v8/More")),
        Err(vec![(
            String::new(),
            "1000 routes are in force, the most the mock holds; remove some first".to_owned()
        )])
    );
}

// --- faults ---

#[tokio::test]
async fn a_fault_names_a_declared_route_over_the_admin_api() {
    let app = TestApp::spawn_with(&world(JOBS)).await;
    let login = app.login(true).await;
    let (status, created) = admin(
        &app,
        Method::POST,
        "/__mock/faults",
        Some(json!({ "endpoint": "route.jobs", "calls": [2], "status": 503 })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        created,
        json!({ "id": 1, "endpoint": "route.jobs", "calls": [2], "status": 503, "matched": 0, "fired": 0 })
    );

    let mut statuses = Vec::new();
    for path in ["/v8/Jobs", "/v8/jobs/", "/v8/Jobs", "/v8/ServiceInstance"] {
        statuses.push(status_of(&app, Method::GET, path, &login).await);
    }
    assert_eq!(statuses, [StatusCode::OK, StatusCode::SERVICE_UNAVAILABLE, StatusCode::OK, StatusCode::OK]);
    assert_eq!(
        status_of(&app, Method::DELETE, "/v8/Jobs/a", &login).await,
        StatusCode::NO_CONTENT,
        "another route"
    );
    let state = &app.server.faults().list()[0];
    assert_eq!((state.matched, state.fired), (3, 1), "only the route's calls count");
}

#[tokio::test]
async fn a_scenario_fault_names_a_route_the_scenario_declares() {
    let faults = "[[faults]]\nendpoint = \"route.license\"\nstatus = 500\ntimes = 1\n";
    let app = TestApp::spawn_with(&world(&format!("{LICENSE}\n{faults}"))).await;
    let login = app.login(true).await;

    // The fault answers the first call in the route's stead; the route's own sequence then starts.
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(status_of(&app, Method::GET, "/v8/License", &login).await);
    }
    assert_eq!(
        statuses,
        [StatusCode::INTERNAL_SERVER_ERROR, StatusCode::SERVICE_UNAVAILABLE, StatusCode::OK]
    );
}

#[tokio::test]
async fn a_fault_may_name_a_route_before_it_is_declared() {
    let app = TestApp::spawn().await;
    let login = app.login(true).await;
    app.server.faults().add(Fault::status(502).on_route("later"));
    app.server.routes().add(DeclaredRoute::get("/v8/Later").named("later").json(json!({})));

    assert_eq!(status_of(&app, Method::GET, "/v8/Later", &login).await, StatusCode::BAD_GATEWAY);
}

#[tokio::test]
async fn path_and_method_faults_apply_to_declared_paths() {
    let app = TestApp::spawn_with(&world(JOBS)).await;
    let login = app.login(true).await;
    app.server.faults().add(Fault::status(429).on_path("/V8/Jobs/*").method("delete"));
    app.server.faults().add(Fault::status(504).on_path("/v8/jobs"));

    assert_eq!(status_of(&app, Method::DELETE, "/v8/Jobs/a", &login).await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(status_of(&app, Method::GET, "/v8/Jobs", &login).await, StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(
        status_of(&app, Method::GET, "/v8/Jobs/a", &login).await,
        StatusCode::METHOD_NOT_ALLOWED,
        "no fault: GET"
    );
    let counts: Vec<(u64, u64)> = app.server.faults().list().iter().map(|f| (f.matched, f.fired)).collect();
    assert_eq!(counts, [(1, 1), (1, 1)]);
}

#[tokio::test]
async fn a_session_fault_on_a_declared_route_revokes_before_the_route_answers() {
    let app = TestApp::spawn_with(&world(JOBS)).await;
    let login = app.login(true).await;
    app.server.faults().add(Fault::revoke_session().on_route("jobs").times(1));

    let refused = call(&app, Method::GET, "/v8/Jobs", &login).await;
    assert_eq!(
        refused.status(),
        StatusCode::UNAUTHORIZED,
        "the route refuses the revoked session as VB365 does"
    );
    assert_eq!(app.server.routes().list()[0].calls, 0, "a refusal is not a call of the route");
}

// --- the journal ---

#[tokio::test]
async fn the_journal_names_declared_calls_and_masks_their_secrets() {
    let app = TestApp::spawn_with(&world(JOBS)).await;
    let login = app.login(true).await;
    app.server.journal().clear();

    let _ = call(&app, Method::GET, "/v8/Jobs?authCode=s3cret-code&offset=1&limit=1", &login).await;
    let _ = call(&app, Method::POST, "/v8/Jobs", &login).await;
    let _ = call(&app, Method::GET, "/v8/ServiceInstance", &login).await;

    let (status, page) = admin(&app, Method::GET, "/__mock/journal?endpoint=route.jobs", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((page["total"].clone(), page["count"].clone()), (json!(3), json!(2)));
    let first = &page["entries"][0];
    assert_eq!(first["endpoint"], "route.jobs");
    assert_eq!(first["path"], "/v8/Jobs");
    assert_eq!(first["query"], "authCode=***&offset=1&limit=1");
    assert_eq!(first["status"], 200);
    let auth: Vec<&Value> =
        first["headers"].as_array().expect("headers").iter().filter(|h| h[0] == "authorization").collect();
    assert_eq!(auth, [&json!(["authorization", "Bearer ***"])]);
    let second = &page["entries"][1];
    assert_eq!(
        (second["method"].clone(), second["status"].clone()),
        (json!("POST"), json!(405)),
        "the path's other method"
    );
    assert_eq!(second["endpoint"], "route.jobs");

    let text = serde_json::to_string(&page).expect("JSON");
    for secret in ["s3cret-code", &login.access] {
        assert!(!text.contains(secret), "{secret} leaked into the journal");
    }
    let (_, counted) = admin(&app, Method::GET, "/__mock/journal/count?endpoint=Route.Jobs", None).await;
    assert_eq!(counted, json!({ "count": 2 }));
    assert_eq!(app.server.journal().count_route("jobs"), 2);
    let product = app.server.journal().find(&JournalQuery::new().path("/v8/serviceinstance"));
    assert_eq!(
        (product[0].route.as_deref(), product[0].endpoint_name().as_deref()),
        (None, Some("vb365.service_instance"))
    );
}

#[tokio::test]
async fn the_journal_shows_the_fault_that_fired_on_a_declared_call() {
    let app = TestApp::spawn_with(&world(JOBS)).await;
    let login = app.login(true).await;
    let id = app.server.faults().add(Fault::status(503).on_route("jobs"));

    let _ = call(&app, Method::GET, "/v8/Jobs", &login).await;

    let entries = app.server.journal().find(&JournalQuery::new().route("jobs"));
    assert_eq!(entries.len(), 1);
    assert_eq!((entries[0].status, entries[0].fault), (Some(503), Some(id)));
}

// --- the handle ---

#[tokio::test]
async fn the_handle_declares_a_sequence_that_reads_like_a_sentence() {
    let app = TestApp::spawn().await;
    let login = app.login(true).await;
    let id = app.server.routes().add(
        DeclaredRoute::get("/v8/Organizations/{orgId}/Jobs")
            .named("org-jobs")
            .for_roles(["administrator"])
            .when_query("kind", "*")
            .status(503)
            .header("Retry-After", "1")
            .then(
                RouteResponse::ok()
                    .json(json!({ "org": "{{path.orgId}}", "kind": "{{query.kind}}", "by": "{{user}}" })),
            ),
    );
    assert_eq!(id, RouteId::from_raw(1));

    let busy = call(&app, Method::GET, "/v8/Organizations/Contoso/Jobs?kind=backup", &login).await;
    assert_eq!(busy.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(busy.headers()["retry-after"], "1");
    let answer = call(&app, Method::GET, "/v8/Organizations/Contoso/Jobs?kind=backup", &login).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(
        answer.text().await.expect("body"),
        r#"{"org":"Contoso","kind":"backup","by":"Administrator"}"#
    );
    assert_eq!(
        status_of(&app, Method::GET, "/v8/Organizations/Contoso/Jobs", &login).await,
        StatusCode::NOT_FOUND,
        "the query condition is not met"
    );

    let state = app.server.routes().get(id).expect("in force");
    assert_eq!((state.endpoint.as_str(), state.calls), ("route.org-jobs", 2));
    assert_eq!(state.spec.auth, Some(json!(["administrator"])));
    assert_eq!(state.spec.responses.as_ref().map(Vec::len), Some(2));
}

#[tokio::test]
async fn the_handle_reports_problems_and_taken_names() {
    let app = TestApp::spawn_with(&world(JOBS)).await;
    assert_eq!(
        app.server.routes().try_add(DeclaredRoute::get("/v8/Jobs2").named("jobs")),
        Err(vec![(
            "name".to_owned(),
            "the name `jobs` is taken by route 1; give this route its own `name` (or remove that one first)"
                .to_owned()
        )])
    );
    assert_eq!(
        app.server.routes().try_add(DeclaredRoute::get("/v8/ServiceInstance")),
        Err(vec![(
            "path".to_owned(),
            "`/v8/ServiceInstance` is served by the mock itself (vb365.service_instance); a declared route cannot replace it"
                .to_owned()
        )])
    );
    assert_eq!(app.server.routes().list().len(), 2, "nothing was added");
}

#[test]
#[should_panic(expected = "Routes::add: name: the name `jobs` is taken by route 1")]
fn adding_a_refused_route_panics_with_its_problems() {
    let scenario = Scenario::from_toml_str(&world(JOBS)).expect("valid");
    let server = veeam_auth_mock::MockServer::start_blocking(scenario);
    server.routes().add(DeclaredRoute::get("/v8/Jobs2").named("jobs"));
}

// --- reset and load ---

#[tokio::test]
async fn reset_drops_added_routes_and_restarts_the_scenarios_sequences() {
    let app = TestApp::spawn_with(&world(LICENSE)).await;
    let login = app.login(true).await;
    let mut before = Vec::new();
    for _ in 0..2 {
        before.push(status_of(&app, Method::GET, "/v8/License", &login).await);
    }
    assert_eq!(before, [StatusCode::SERVICE_UNAVAILABLE, StatusCode::OK]);
    app.server.routes().add(DeclaredRoute::get("/v8/Jobs").json(json!([])));

    app.server.reset();

    let listed: Vec<(u64, String, u64)> =
        app.server.routes().list().into_iter().map(|r| (r.id.get(), r.endpoint, r.calls)).collect();
    assert_eq!(listed, [(1, "route.license".to_owned(), 0)]);
    let login = app.login(true).await;
    assert_eq!(
        status_of(&app, Method::GET, "/v8/Jobs", &login).await,
        StatusCode::NOT_FOUND,
        "the added route is gone"
    );
    let again = call(&app, Method::GET, "/v8/License", &login).await;
    assert_eq!(again.status(), StatusCode::SERVICE_UNAVAILABLE, "the sequence starts over");
    assert_eq!(again.text().await.expect("body"), r#"{"message":"busy"}"#);
}

#[tokio::test]
async fn load_puts_the_new_scenarios_routes_in_force() {
    let app = TestApp::spawn_with(&world(LICENSE)).await;
    app.server.routes().add(DeclaredRoute::get("/v8/Extra"));

    app.server.load(Scenario::from_toml_str(&world(JOBS)).expect("valid"));

    let names: Vec<String> = app.server.routes().list().into_iter().map(|r| r.endpoint).collect();
    assert_eq!(names, ["route.jobs", "route.job"]);
}
