//! Declared routes in the OpenAPI document (`/swagger/docs/v8`, `/__mock/openapi.json`): one
//! operation per route in force, with the owning product's security, its parameters and its
//! answers, gone when the routes are; the document without declared routes is the static one.
#![cfg(feature = "openapi")]

use reqwest::StatusCode;
use reqwest::header::AUTHORIZATION;
use serde_json::{Value, json};
use veeam_auth_mock::Scenario;

use crate::helpers::{FROZEN, TestApp};

/// VB365 and VBAzure routes of every kind of access.
const ROUTES: &str = r#"
[[routes]]
name = "jobs"
path = "/v8/Jobs"
items = [ { id = "a", name = "Daily" }, { id = "b", name = "Weekly" } ]

[[routes]]
path = "/v8/Jobs/{jobId}"
json = { id = "{{path.jobId}}", name = "Daily" }

[[routes]]
method = "DELETE"
path = "/v8/jobs/{id}"
auth = ["administrator"]
status = 204

[[routes]]
name = "jobs-by-tenant"
path = "/V8/jobs/{other}"
request_headers = { "X-Tenant" = "a" }
json = { tenant = "a" }

[[routes]]
name = "teams.export"
path = "/v8/Teams/Export"
auth = "auth_code"
content_type = "text/plain"
body = "exported"

[[routes]]
name = "public"
path = "/v8/Public"
auth = "anonymous"
status = 202

[[routes]]
name = "policies"
path = "/api/v8.1/policies/virtualMachines"
auth = ["PortalAdmin"]
query = { Mode = "*", Kind = "full" }
responses = [ { status = 503 }, { items = [ { id = "p1" } ] } ]
"#;

fn scenario(routes: &str) -> String {
    format!("{FROZEN}\n{routes}")
}

async fn document(app: &TestApp, path: &str) -> (Vec<u8>, Value) {
    let response = app.client.get(app.url(path)).send().await.expect("request sent");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    let bytes = response.bytes().await.expect("body").to_vec();
    let json = serde_json::from_slice(&bytes).expect("JSON");
    (bytes, json)
}

/// The static document as a running mock serves it (compact).
fn static_document() -> Vec<u8> {
    let pretty: Value = serde_json::from_str(&veeam_auth_mock::standalone::openapi_json()).expect("JSON");
    serde_json::to_vec(&pretty).expect("JSON")
}

fn declared_paths(document: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            if operation["tags"] == json!(["Declared routes"]) {
                found.push((method.clone(), path.clone()));
            }
        }
    }
    found
}

#[tokio::test]
async fn without_declared_routes_the_document_is_the_static_one_byte_for_byte() {
    let app = TestApp::spawn().await;

    let (served, json) = document(&app, "/swagger/docs/v8").await;

    assert_eq!(served, static_document());
    assert_eq!(document(&app, "/__mock/openapi.json").await.0, served);
    assert!(declared_paths(&json).is_empty());
    assert!(json["tags"].as_array().expect("tags").iter().all(|tag| tag["name"] != "Declared routes"));
}

#[tokio::test]
async fn each_declared_route_is_an_operation_under_its_path_as_written() {
    let app = TestApp::spawn_with(&scenario(ROUTES)).await;

    let (_, document) = document(&app, "/swagger/docs/v8").await;

    let mut paths = declared_paths(&document);
    paths.sort();
    let expected = [
        ("delete", "/v8/Jobs/{jobId}"),
        ("get", "/api/v8.1/policies/virtualMachines"),
        ("get", "/v8/Jobs"),
        ("get", "/v8/Jobs/{jobId}"),
        ("get", "/v8/Public"),
        ("get", "/v8/Teams/Export"),
    ];
    assert_eq!(paths, expected.map(|(method, path)| (method.to_owned(), path.to_owned())));
    let tags: Vec<&Value> =
        document["tags"].as_array().expect("tags").iter().map(|tag| &tag["name"]).collect();
    assert_eq!(tags.last(), Some(&&json!("Declared routes")));
    // The products' own operations are all still there.
    assert_eq!(document["paths"]["/{version}/token"]["post"]["operationId"], "vb365_token");
}

#[tokio::test]
async fn a_session_route_names_the_bearer_and_its_path_parameters() {
    let app = TestApp::spawn_with(&scenario(ROUTES)).await;

    let (_, document) = document(&app, "/swagger/docs/v8").await;

    let refused_bearer = json!({ "description": "A missing, malformed, expired or revoked bearer" });
    let exception = |description: &str| {
        json!({ "description": description,
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RESTExceptionInfo" } } } })
    };
    assert_eq!(
        document["paths"]["/v8/Jobs/{jobId}"]["get"],
        json!({
            "tags": ["Declared routes"],
            "summary": "/v8/Jobs/{jobId} (route.get-v8-jobs-jobid)",
            "description": "A declared route (`route.get-v8-jobs-jobid`), answered to any live VB365 bearer. \
                Also `route.jobs-by-tenant` (`/V8/jobs/{other}`), for requests its conditions take.",
            "operationId": "route_get_v8_jobs_jobid",
            "parameters": [{ "name": "jobId", "in": "path", "required": true, "schema": { "type": "string" } }],
            "responses": {
                "200": { "description": "OK",
                    "content": { "application/json": { "example": { "id": "{{path.jobId}}", "name": "Daily" } } } },
                "401": refused_bearer,
                "404": exception("A version the scenario does not serve"),
            },
            "security": [{ "bearer": [] }],
        })
    );
    // Another method on the same path (its parameter named otherwise) joins the path item.
    let delete = &document["paths"]["/v8/Jobs/{jobId}"]["delete"];
    assert_eq!(delete["operationId"], "route_delete_v8_jobs_id");
    assert_eq!(delete["parameters"][0]["name"], "jobId");
    assert_eq!(delete["security"], json!([{ "bearer": [] }]));
    assert_eq!(
        delete["responses"],
        json!({
            "204": { "description": "No Content" },
            "401": refused_bearer,
            "403": exception("The caller's role is not one the route allows"),
            "404": exception("A version the scenario does not serve"),
        })
    );
}

#[tokio::test]
async fn a_paged_route_shows_its_first_page_in_the_products_envelope_and_its_paging_parameters() {
    let app = TestApp::spawn_with(&scenario(ROUTES)).await;

    let (_, document) = document(&app, "/swagger/docs/v8").await;

    let jobs = &document["paths"]["/v8/Jobs"]["get"];
    assert_eq!(
        jobs["responses"]["200"]["content"]["application/json"]["example"],
        json!({ "offset": 0, "limit": 30, "results": [{ "id": "a", "name": "Daily" }, { "id": "b", "name": "Weekly" }] })
    );
    let names: Vec<&Value> =
        jobs["parameters"].as_array().expect("parameters").iter().map(|p| &p["name"]).collect();
    assert_eq!(names, [&json!("offset"), &json!("limit")]);
    assert_eq!(jobs["parameters"][1]["required"], false);
    assert_eq!(
        jobs["responses"]["400"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/RESTExceptionInfo"
    );

    let policies = &document["paths"]["/api/v8.1/policies/virtualMachines"]["get"];
    assert_eq!(policies["security"], json!([{ "bearer": [] }]));
    assert_eq!(
        policies["parameters"],
        json!([
            { "name": "Kind", "in": "query", "required": true, "schema": { "type": "string", "enum": ["full"] } },
            { "name": "Mode", "in": "query", "required": true, "schema": { "type": "string" } },
            { "name": "Offset", "in": "query", "required": false, "description": "How many items to skip (default 0).",
              "schema": { "type": "integer" } },
            { "name": "Limit", "in": "query", "required": false,
              "description": "How many items to return (-1, the default: every item).", "schema": { "type": "integer" } },
        ])
    );
    let statuses: Vec<&String> = policies["responses"].as_object().expect("responses").keys().collect();
    assert_eq!(statuses, ["200", "400", "401", "403", "404", "503"]);
    assert_eq!(
        policies["responses"]["200"]["content"]["application/json"]["example"],
        json!({ "offset": 0, "limit": -1, "totalCount": 1, "results": [{ "id": "p1" }] })
    );
    assert_eq!(policies["responses"]["503"], json!({ "description": "Service Unavailable" }));
    assert_eq!(
        policies["responses"]["401"]["content"]["application/problem+json"]["schema"]["$ref"],
        "#/components/schemas/ProblemDetails"
    );
}

#[tokio::test]
async fn anonymous_and_auth_code_routes_name_no_bearer() {
    let app = TestApp::spawn_with(&scenario(ROUTES)).await;

    let (_, document) = document(&app, "/swagger/docs/v8").await;

    let public = &document["paths"]["/v8/Public"]["get"];
    assert_eq!(public["security"], Value::Null);
    assert_eq!(public["parameters"], Value::Null);
    assert_eq!(public["responses"]["202"], json!({ "description": "Accepted" }));
    assert_eq!(public["responses"]["401"], Value::Null);

    let export = &document["paths"]["/v8/Teams/Export"]["get"];
    assert_eq!(export["security"], Value::Null);
    assert_eq!(export["operationId"], "route_teams_export");
    assert_eq!(
        export["parameters"],
        json!([{ "name": "authCode", "in": "query", "required": true,
            "description": "A code from `POST /vX/token/AuthCode`, good once.", "schema": { "type": "string" } }])
    );
    assert_eq!(
        export["responses"]["200"],
        json!({ "description": "OK", "content": { "text/plain": { "example": "exported" } } })
    );
    assert_eq!(
        export["responses"]["401"],
        json!({ "description": "A missing, unknown, used or expired `authCode`" })
    );
}

#[tokio::test]
async fn every_operation_id_stays_unique_and_every_path_parameter_is_declared() {
    let app = TestApp::spawn_with(&scenario(ROUTES)).await;

    let (_, document) = document(&app, "/__mock/openapi.json").await;

    let mut ids = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        let templated: Vec<&str> = path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')))
            .collect();
        for operation in item.as_object().expect("a path item").values() {
            ids.push(operation["operationId"].as_str().expect("an operationId").to_owned());
            let in_path: Vec<&str> = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|parameter| parameter["in"] == "path")
                .filter_map(|parameter| parameter["name"].as_str())
                .collect();
            assert_eq!(in_path, templated, "{path}");
        }
    }
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count);
}

#[tokio::test]
async fn the_declared_operations_follow_the_routes_in_force_across_load_and_reset() {
    let app = TestApp::spawn_with(&scenario(ROUTES)).await;
    let control = app.server.control();

    control.load(Scenario::from_toml_str(FROZEN).expect("valid"));
    let (served, _) = document(&app, "/swagger/docs/v8").await;
    assert_eq!(served, static_document());

    let one = "[[routes]]\nname = \"license\"\npath = \"/v8/License\"\njson = { plan = \"Rental\" }\n";
    control.load(Scenario::from_toml_str(&scenario(one)).expect("valid"));
    let (_, after_load) = document(&app, "/swagger/docs/v8").await;
    assert_eq!(declared_paths(&after_load), [("get".to_owned(), "/v8/License".to_owned())]);

    control.reset();
    let (_, after_reset) = document(&app, "/swagger/docs/v8").await;
    assert_eq!(after_reset, after_load);
}

#[tokio::test]
async fn what_the_document_describes_is_what_a_signed_in_browser_gets() {
    // Swagger UI's "Try it out" after Authorize: the path as documented, the bearer pasted in.
    let app = TestApp::spawn_with(&scenario(ROUTES)).await;
    let login = app.login(true).await;
    let (_, document) = document(&app, "/swagger/docs/v8").await;
    let example =
        &document["paths"]["/v8/Jobs"]["get"]["responses"]["200"]["content"]["application/json"]["example"];

    let response = app
        .client
        .get(app.url("/v8/Jobs"))
        .header(AUTHORIZATION, format!("Bearer {}", login.access))
        .send()
        .await
        .expect("request sent");

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(&response.json::<Value>().await.expect("JSON"), example);
}

#[tokio::test]
async fn routes_added_and_removed_over_the_admin_api_come_and_go_in_the_document() {
    let app = TestApp::spawn().await;
    let post = app
        .client
        .post(app.url("/__mock/routes"))
        .json(&json!({"name": "license", "path": "/v8/License", "json": {"plan": "Rental"}}))
        .send()
        .await
        .expect("sent");
    assert_eq!(post.status(), StatusCode::CREATED);
    let id = post.json::<Value>().await.expect("JSON")["id"].as_u64().expect("an id");

    let (before_calls, added) = document(&app, "/swagger/docs/v8").await;
    assert_eq!(declared_paths(&added), [("get".to_owned(), "/v8/License".to_owned())]);
    // The document holds no call counts: calling the route does not change it.
    let login = app.login(true).await;
    let called =
        app.client.get(app.url("/v8/License")).header(AUTHORIZATION, format!("Bearer {}", login.access));
    assert_eq!(called.send().await.expect("sent").status(), StatusCode::OK);
    assert_eq!(document(&app, "/swagger/docs/v8").await.0, before_calls);

    let delete = app.client.delete(app.url(&format!("/__mock/routes/{id}"))).send().await.expect("sent");
    assert!(delete.status().is_success(), "{}", delete.status());
    assert_eq!(document(&app, "/swagger/docs/v8").await.0, static_document());
}
