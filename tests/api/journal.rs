//! The journal's limits (capacity, long texts, limited reads) and that no secret a client sent
//! reaches it, even when the client gets its request wrong.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;

impl TestApp {
    /// `GET /__mock/journal...` as JSON, and the page as text (to search for leaks).
    async fn journal_page(&self, query: &str) -> (Value, String) {
        let response =
            self.client.get(self.url(&format!("/__mock/journal{query}"))).send().await.expect("sent");
        assert_eq!(response.status(), StatusCode::OK);
        let text = response.text().await.expect("a body");
        (serde_json::from_str(&text).expect("JSON"), text)
    }
}

#[tokio::test]
async fn a_capacity_beyond_the_maximum_is_refused_with_400() {
    let app = TestApp::spawn().await;
    let settings = app.url("/__mock/journal/settings");

    let huge = app
        .client
        .put(&settings)
        .header("Content-Type", "application/json")
        .body(r#"{"capacity": 18446744073709551615}"#)
        .send()
        .await
        .expect("sent");
    let most = app.client.put(&settings).json(&json!({"capacity": 10000})).send().await.expect("sent");

    assert_eq!(huge.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        huge.json::<Value>().await.expect("JSON"),
        json!({"error": "bad_request", "detail": "the capacity must be between 1 and 10000 entries"})
    );
    assert_eq!(most.status(), StatusCode::OK);
    assert_eq!(most.json::<Value>().await.expect("JSON"), json!({"enabled": true, "capacity": 10000}));
    app.server.journal().set_capacity(usize::MAX);
    assert_eq!(app.server.journal().capacity(), 10_000, "the handle clamps");
}

#[tokio::test]
async fn a_12_kb_header_value_and_a_long_query_are_stored_cut_and_marked() {
    let app = TestApp::spawn().await;
    let big = "a".repeat(12 * 1024);

    let response = app
        .client
        .get(app.url(&format!("/v8/ServiceInstance?state={}", "b".repeat(4000))))
        .header("User-Agent", &big)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    let (page, text) = app.journal_page("?limit=1").await;
    let entry = &page["entries"][0];
    let headers = entry["headers"].as_array().expect("headers");
    let agent = headers.iter().find(|pair| pair[0] == "user-agent").expect("kept");
    assert_eq!(agent[1], format!("{}…(12288 bytes)", "a".repeat(1024)));
    assert_eq!(entry["query"], format!("state={}…(4006 bytes)", "b".repeat(2042)));
    assert!(text.len() < 6 * 1024, "{} bytes", text.len());
}

#[tokio::test]
async fn a_limited_read_returns_the_newest_entries() {
    let app = TestApp::spawn().await;
    for _ in 0..30 {
        let _ = app.service_instance(None, None).await;
    }

    let (page, _) = app.journal_page("?limit=20").await;

    assert_eq!(page["total"], 30);
    assert_eq!(page["count"], 20);
    let seqs: Vec<u64> = page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["seq"].as_u64().expect("seq"))
        .collect();
    assert_eq!(seqs, (11..=30).collect::<Vec<u64>>());
}

/// Asserts that none of `secrets` appears anywhere in the journal's JSON.
async fn assert_nowhere_in_the_journal(app: &TestApp, secrets: &[&str]) {
    let (page, text) = app.journal_page("").await;
    assert!(page["count"].as_u64().expect("count") > 0, "something was journaled");
    for secret in secrets {
        assert!(!text.contains(secret), "{secret} leaked into the journal: {text}");
    }
}

#[tokio::test]
async fn a_custom_antiforgery_header_is_masked() {
    let app = TestApp::spawn_with(&format!(
        "{}\n[vb365.antiforgery]\nheader = \"X-Request-Guard\"\n",
        crate::helpers::FROZEN
    ))
    .await;
    let login = app.login(false).await;
    let antiforgery = login.antiforgery.clone().expect("an antiforgery cookie");

    let response = app
        .client
        .get(app.url("/v8/ServiceInstance"))
        .bearer_auth(&login.access)
        .header("X-Request-Guard", &antiforgery)
        .send()
        .await
        .expect("sent");

    assert_eq!(response.status(), StatusCode::OK, "the custom header was accepted");
    assert_nowhere_in_the_journal(&app, &[&antiforgery, &login.access]).await;
}

#[tokio::test]
async fn a_json_body_sent_as_a_form_or_with_no_type_is_masked_whole() {
    let app = TestApp::spawn().await;
    let body = r#"{"grant_type":"password","username":"Administrator","password":"S3cretJson&x=1"}"#;

    let as_form = app.post_token_raw("application/x-www-form-urlencoded", body).await;
    let untyped = app.client.post(app.url("/v8/token")).body(body).send().await.expect("sent");

    assert_eq!(as_form.status(), StatusCode::BAD_REQUEST);
    assert_eq!(untyped.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_nowhere_in_the_journal(&app, &["S3cretJson"]).await;
    let (page, _) = app.journal_page("").await;
    assert_eq!(page["entries"][0]["fields"], json!([["(unparsed body)", "***"]]));
}

#[tokio::test]
async fn a_password_with_an_unencoded_ampersand_leaves_no_tail() {
    let app = TestApp::spawn().await;

    let response = app
        .post_token_raw(
            "application/x-www-form-urlencoded",
            "grant_type=password&username=Administrator&password=Pa&ssTail9x&password2=Pa&Tail2=x",
        )
        .await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_nowhere_in_the_journal(&app, &["ssTail9x", "Tail2"]).await;
    let (page, _) = app.journal_page("").await;
    assert_eq!(
        page["entries"][0]["fields"],
        json!([
            ["grant_type", "password"],
            ["username", "Administrator"],
            ["password", "***"],
            ["***", ""],
            ["***", "***"],
            ["***", "***"]
        ])
    );
}

#[tokio::test]
async fn an_authorization_without_a_known_scheme_is_masked_whole() {
    let app = TestApp::spawn().await;
    let login = app.login(true).await;

    for value in [login.access.clone(), format!("{} S3condPart", login.access)] {
        let response = app
            .client
            .get(app.url("/v8/ServiceInstance"))
            .header("Authorization", value)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }

    assert_nowhere_in_the_journal(&app, &[&login.access, "S3condPart"]).await;
}

#[tokio::test]
async fn headers_off_the_allow_list_keep_their_name_only() {
    let app = TestApp::spawn().await;

    let response = app
        .client
        .get(app.url("/v8/ServiceInstance"))
        .header("Set-Cookie", "sid=S3tCookieValue")
        .header("X-MFA-Code", "S3cretMfa")
        .header("X-Api-Credential", "S3cretCredential")
        .header("Accept", "application/json")
        .send()
        .await
        .expect("sent");

    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_nowhere_in_the_journal(&app, &["S3tCookieValue", "S3cretMfa", "S3cretCredential"]).await;
    let (page, _) = app.journal_page("").await;
    let headers = page["entries"][0]["headers"].as_array().expect("headers").clone();
    for (name, value) in [
        ("set-cookie", "***"),
        ("x-mfa-code", "***"),
        ("x-api-credential", "***"),
        ("accept", "application/json"),
    ] {
        assert!(headers.contains(&json!([name, value])), "{name}: {headers:?}");
    }
}

#[tokio::test]
async fn allow_listed_fields_carrying_a_secret_are_masked() {
    let app = TestApp::spawn().await;

    let nested = app
        .post_token_raw(
            "application/json",
            r#"{"grant_type":{"password":"N3stedS3cret"},"username":"Administrator","password":"x"}"#,
        )
        .await;
    let smuggled = app
        .post_token_raw(
            "application/x-www-form-urlencoded",
            "grant_type=password%26password%3DSmuggl3d&username=Administrator",
        )
        .await;

    assert_eq!(nested.status(), StatusCode::BAD_REQUEST);
    assert_eq!(smuggled.status(), StatusCode::BAD_REQUEST);
    assert_nowhere_in_the_journal(&app, &["N3stedS3cret", "Smuggl3d"]).await;
}
