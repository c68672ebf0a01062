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
