//! The control plane over HTTP (`/__mock/...`) and in-process: journal, clock, faults, reset
//! and reload, the admin token, and the two faces agreeing.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use veeam_auth_mock::standalone::ServeOptions;
use veeam_auth_mock::{Endpoint, JournalQuery, MockServer, Scenario};

use crate::helpers::{FROZEN, SEED_ISSUED, TestApp, assert_401_empty};

impl TestApp {
    async fn admin_get(&self, path: &str) -> (StatusCode, Value) {
        let response = self.client.get(self.url(path)).send().await.expect("sent");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn admin_send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.client.request(method, self.url(path));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("sent");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

#[tokio::test]
async fn the_journal_records_requests_with_secrets_masked() {
    let app = TestApp::spawn().await;
    let login = app.login(false).await;
    let _ = app.service_instance_as(&login).await;
    let _ = app
        .post_token(&[("grant_type", "password"), ("username", "Administrator"), ("password", "wrong")])
        .await;

    let entries = app.server.journal().entries();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0].endpoint, Some(Endpoint::Vb365Token));
    assert_eq!(entries[0].status, Some(200));
    assert_eq!(entries[0].time.to_string(), "2024-08-07 15:56:22.9188632 +00:00:00", "scenario clock time");
    assert!(entries[0].fields.contains(&("password".into(), "***".into())), "{:?}", entries[0].fields);
    assert!(entries[0].fields.contains(&("username".into(), "Administrator".into())));
    let auth = entries[1].headers.iter().find(|(name, _)| name == "authorization").expect("header kept");
    assert_eq!(auth.1, "Bearer ***");
    let xsrf = entries[1].headers.iter().find(|(name, _)| name == "x-xsrf-token").expect("header kept");
    assert_eq!(xsrf.1, "***");

    let everything = serde_json::to_string(&entries).expect("JSON");
    for secret in ["PassWord1", "wrong", &login.access, login.antiforgery.as_deref().unwrap_or("-")] {
        assert!(!everything.contains(secret), "{secret} leaked into the journal");
    }
    assert_eq!(app.server.journal().count(Endpoint::Vb365Token), 2);
    assert_eq!(
        app.server.journal().count_matching(&JournalQuery::new().endpoint(Endpoint::Vb365Token).status(200)),
        1
    );
}

#[tokio::test]
async fn the_journal_is_capped_and_can_be_turned_off() {
    let app = TestApp::spawn_with(&format!("{FROZEN}\n[journal]\ncapacity = 2\n")).await;
    for _ in 0..5 {
        let _ = app.service_instance(None, None).await;
    }
    let seqs: Vec<u64> = app.server.journal().entries().iter().map(|entry| entry.seq).collect();
    assert_eq!(seqs, [4, 5], "only the newest two are kept");
    assert_eq!(app.server.journal().total(), 5);

    app.server.journal().set_enabled(false);
    let _ = app.service_instance(None, None).await;
    assert_eq!(app.server.journal().total(), 5, "nothing recorded while off");
}

#[tokio::test]
async fn the_admin_journal_answers_the_same_as_the_handle() {
    let app = TestApp::spawn().await;
    let _ = app.login(true).await;
    let _ = app.service_instance(None, None).await;
    let (status, page) = app.admin_get("/__mock/journal?endpoint=vb365.token").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["total"], 2);
    assert_eq!(page["count"], 1);
    assert_eq!(page["entries"][0]["endpoint"], "vb365.token");
    assert_eq!(page["entries"][0]["time"], SEED_ISSUED);
    let (_, count) = app.admin_get("/__mock/journal/count?endpoint=vb365.service_instance&status=401").await;
    assert_eq!(count, json!({ "count": 1 }));
    assert_eq!(app.server.journal().total(), 2, "admin calls are not journaled");

    let (status, error) = app.admin_get("/__mock/journal?endpoint=nope").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["error"], "bad_request");
    let (status, _) = app.admin_send(reqwest::Method::DELETE, "/__mock/journal", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(app.server.journal().is_empty());
}

#[tokio::test]
async fn the_clock_moves_over_http_and_expires_tokens() {
    let app = TestApp::spawn().await;
    let login = app.login(true).await;
    let (status, clock) = app.admin_get("/__mock/clock").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(clock, json!({ "now": SEED_ISSUED, "mode": "frozen" }));

    let (status, clock) =
        app.admin_send(reqwest::Method::POST, "/__mock/clock", Some(json!({ "advance": "61m" }))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(clock["now"], "2024-08-07T16:57:22.9188632Z");
    assert_401_empty(app.service_instance_as(&login).await).await;

    let (status, _) = app
        .admin_send(
            reqwest::Method::POST,
            "/__mock/clock",
            Some(json!({ "set": "2024-08-07T15:56:22Z", "advance": "soon" })),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.admin_get("/__mock/clock").await.1["now"],
        "2024-08-07T16:57:22.9188632Z",
        "a bad request changes nothing"
    );

    let (_, clock) =
        app.admin_send(reqwest::Method::POST, "/__mock/clock", Some(json!({ "freeze": false }))).await;
    assert_eq!(clock["mode"], "ticking");
}

#[tokio::test]
async fn faults_added_over_http_act_and_can_be_removed() {
    let app = TestApp::spawn().await;
    let (status, created) = app
        .admin_send(
            reqwest::Method::POST,
            "/__mock/faults",
            Some(json!({ "endpoint": "vb365.token", "status": 503, "times": 1 })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        created,
        json!({ "id": 1, "endpoint": "vb365.token", "times": 1, "status": 503, "matched": 0, "fired": 0, "remaining": 1 })
    );
    assert_eq!(app.server.faults().list().len(), 1, "the handle sees the admin's fault");

    let form = [("grant_type", "password"), ("username", "Administrator"), ("password", "PassWord1")];
    assert_eq!(app.post_token(&form).await.status(), StatusCode::SERVICE_UNAVAILABLE);
    let (_, state) = app.admin_get("/__mock/faults/1").await;
    assert_eq!((state["matched"].clone(), state["fired"].clone()), (json!(1), json!(1)));

    let (status, error) = app
        .admin_send(
            reqwest::Method::POST,
            "/__mock/faults",
            Some(json!({ "endpoint": "vb365.tokens", "status": 503 })),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        error["detail"].as_str().is_some_and(|d| d.starts_with("endpoint: unknown endpoint `vb365.tokens`")),
        "{error}"
    );
    let (status, _) =
        app.admin_send(reqwest::Method::POST, "/__mock/faults", Some(json!({ "statuss": 503 }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "unknown keys are refused");

    assert_eq!(
        app.admin_send(reqwest::Method::DELETE, "/__mock/faults/1", None).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.admin_send(reqwest::Method::DELETE, "/__mock/faults/1", None).await.0,
        StatusCode::NOT_FOUND
    );
    assert!(app.server.faults().list().is_empty());
}

#[tokio::test]
async fn reset_restores_the_scenarios_initial_state() {
    let scenario = format!("{FROZEN}\n[[faults]]\nendpoint = \"vb365.health\"\nstatus = 500\n");
    let app = TestApp::spawn_with(&scenario).await;
    let login = app.login(true).await;
    app.server.clock().advance(Duration::from_secs(600));
    app.server.faults().clear();

    let (status, _) = app.admin_send(reqwest::Method::POST, "/__mock/reset", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(app.admin_get("/__mock/clock").await.1["now"], SEED_ISSUED);
    assert_401_empty(app.service_instance_as(&login).await).await;
    assert_eq!(app.server.faults().list().len(), 1, "the scenario's own fault is back");
    assert_eq!(app.server.journal().total(), 1, "only the call after the reset");
    let again = app.login(true).await;
    assert_eq!(again.access, login.access, "the seeded ids start over, so the same token is minted");
}

#[tokio::test]
async fn a_new_scenario_loads_over_http_and_a_bad_one_is_refused_whole() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .put(app.url("/__mock/scenario"))
        .body("[clock]\nmode = \"frozen\"\nstart = \"2030-01-01T00:00:00Z\"\n[[vb365.users]]\nusername = \"ops\"\npassword = \"pw\"\n")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.server.clock().now().year(), 2030);
    let form = [
        ("grant_type", "password"),
        ("username", "ops"),
        ("password", "pw"),
        ("disable_antiforgery_token", "true"),
    ];
    assert_eq!(app.post_token(&form).await.status(), StatusCode::OK);

    let response = app
        .client
        .put(app.url("/__mock/scenario"))
        .body("[clock]\nmode = \"sideways\"\n[vb365]\naccess_token_lifetime = \"soon\"\n")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let error: Value = response.json().await.expect("JSON");
    assert_eq!(error["error"], "invalid_scenario");
    assert_eq!(error["problems"].as_array().map(Vec::len), Some(2), "{error}");
    assert_eq!(error["problems"][0]["line"], 2);
    assert_eq!(app.post_token(&form).await.status(), StatusCode::OK, "the running scenario stays");
}

#[tokio::test]
async fn unknown_admin_paths_and_methods_answer_json() {
    let app = TestApp::spawn().await;
    let (status, body) = app.admin_get("/__mock/nothing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"], "not_found");
    let (status, body) = app.admin_send(reqwest::Method::DELETE, "/__mock/clock", None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body["error"], "method_not_allowed");
    let response = app.client.post(app.url("/__mock/clock")).body("{not json").send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_admin_token_guards_every_route_but_health() {
    let address = "127.0.0.1:0".parse().expect("address");
    let (ready, started) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let options = ServeOptions::default().admin_token("s3cret");
        let _ = veeam_auth_mock::standalone::serve_blocking(
            Scenario::default(),
            address,
            options,
            |bound, control| {
                let _ = ready.send((bound.http, control));
            },
        );
    });
    let (bound, control) = started.recv().expect("the server started");
    let client = reqwest::Client::new();
    let url = |path: &str| format!("http://{bound}{path}");

    let health = client.get(url("/__mock/health")).send().await.expect("sent");
    assert_eq!(health.status(), StatusCode::OK);
    for token in [None, Some("Bearer wrong"), Some("Bearer s3cre"), Some("Basic s3cret"), Some("s3cret")] {
        let mut request = client.post(url("/__mock/reset"));
        if let Some(value) = token {
            request = request.header("Authorization", value);
        }
        let response = request.send().await.expect("sent");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{token:?}");
        assert_eq!(response.headers()["www-authenticate"], r#"Bearer realm="veeam-auth-mock admin""#);
    }
    for spelling in
        ["/__MOCK/Reset", "/__mock//reset/", "/%5F%5Fmock/reset", "/__mock/./reset", "/__mock/x/../reset"]
    {
        let response = client.post(url(spelling)).send().await.expect("sent");
        let status = response.status();
        assert!(
            status == StatusCode::UNAUTHORIZED || status == StatusCode::NOT_FOUND,
            "{spelling}: {status}"
        );
    }
    assert_eq!(control.journal().total(), 0, "nothing reached a product either");
    let response = client.get(url("/__mock/clock")).bearer_auth("s3cret").send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let response = client.get(url("/__mock/faults/1")).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "the token is checked before anything else");
    control.clock().advance(Duration::from_secs(1));
}

#[test]
fn without_the_admin_api_its_paths_are_unknown_product_paths() {
    let address = "127.0.0.1:0".parse().expect("address");
    let (ready, started) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let options = ServeOptions::default().without_admin();
        let _ =
            veeam_auth_mock::standalone::serve_blocking(Scenario::default(), address, options, |bound, _| {
                let _ = ready.send(bound.http);
            });
    });
    let bound = started.recv().expect("the server started");
    let response = reqwest::blocking::get(format!("http://{bound}/__mock/health")).expect("sent");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = response.json().expect("JSON");
    assert!(body["message"].as_str().is_some_and(|m| m.contains("/__mock/health")), "VB365's 404: {body}");
}

#[test]
fn the_handle_and_control_share_one_state() {
    let server = MockServer::start_blocking(Scenario::default());
    let control = server.control();
    control.journal().set_capacity(3);
    assert_eq!(server.journal().capacity(), 3);
    control.load(Scenario::from_toml_str(FROZEN).expect("valid"));
    assert_eq!(server.journal().capacity(), 1000, "a new scenario brings its own journal settings");
    assert_eq!(
        server.clock().now(),
        veeam_auth_mock::time::macros::datetime!(2024-08-07 15:56:22.9188632 UTC)
    );
}

#[tokio::test]
async fn a_ticking_clock_set_and_frozen_in_one_call_shows_exactly_the_instant_set() {
    let app = TestApp::spawn().await;
    for _ in 0..20 {
        let (_, clock) =
            app.admin_send(reqwest::Method::POST, "/__mock/clock", Some(json!({ "freeze": false }))).await;
        assert_eq!(clock["mode"], "ticking");
        let change = json!({ "set": "2024-08-07T15:56:22Z", "advance": "1h", "freeze": true });
        let (status, clock) = app.admin_send(reqwest::Method::POST, "/__mock/clock", Some(change)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(clock, json!({ "now": "2024-08-07T16:56:22.0000000Z", "mode": "frozen" }));
    }
}

#[tokio::test]
async fn the_products_tell_the_landing_page_how_to_sign_in_and_show_their_users() {
    let app = TestApp::spawn().await;

    let (status, body) = app.admin_get("/__mock/products").await;

    assert_eq!(status, StatusCode::OK);
    let vb365 = |version: &str, label: &str, antiforgery: bool| {
        let mut fields = json!({"grant_type": "password"});
        if antiforgery {
            fields["disable_antiforgery_token"] = json!("true");
        }
        json!({
            "value": format!("vb365:{version}"),
            "label": label,
            "path": format!("/{version}/token"),
            "fields": fields,
            "headers": {},
        })
    };
    let expected = json!([
        {
            "name": "vb365",
            "title": "VB365",
            "columns": [
                {"heading": "user", "field": "username"},
                {"heading": "aliases", "field": "aliases"},
                {"heading": "password", "field": "password"},
                {"heading": "role", "field": "role"},
            ],
            "sign_in": [
                vb365("v8", "VB365 POST /v8/token", true),
                vb365("v7", "VB365 POST /v7/token", true),
                vb365("v6", "VB365 POST /v6/token", false),
                vb365("v5", "VB365 POST /v5/token (opaque tokens)", false),
            ],
            "mfa": null,
        },
        {
            "name": "vbr",
            "title": "VBR",
            "columns": [
                {"heading": "user", "field": "username"},
                {"heading": "password", "field": "password"},
                {"heading": "role", "field": "role"},
                {"heading": "MFA (refused)", "field": "mfa"},
            ],
            "sign_in": [
                {
                    "value": "vbr",
                    "label": "VBR POST /api/oauth2/token (x-api-version 1.3-rev2)",
                    "path": "/api/oauth2/token",
                    "fields": {"grant_type": "Password"},
                    "headers": {"x-api-version": "1.3-rev2"},
                },
                {
                    "value": "vbr:1.2-rev1",
                    "label": "VBR POST /api/oauth2/token (x-api-version 1.2-rev1)",
                    "path": "/api/oauth2/token",
                    "fields": {"grant_type": "password"},
                    "headers": {"x-api-version": "1.2-rev1"},
                },
            ],
            "mfa": null,
        },
        {
            "name": "azure",
            "title": "VBAzure",
            "columns": [
                {"heading": "user", "field": "username"},
                {"heading": "password", "field": "password"},
                {"heading": "role", "field": "role"},
                {"heading": "MFA", "field": "mfa"},
            ],
            "sign_in": [{
                "value": "azure",
                "label": "VBAzure POST /api/oauth2/token",
                "path": "/api/oauth2/token",
                "fields": {"grant_type": "Password"},
                "headers": {},
            }],
            "mfa": {"path": "/api/oauth2/token", "fields": {"grant_type": "Mfa"}},
        },
    ]);
    assert_eq!(body, expected);
}
