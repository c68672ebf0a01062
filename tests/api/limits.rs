//! Limits at the connection level: a client that sends its headers too slowly is cut off, too
//! many headers are refused, an oversized chunked body gets the product's 413, and none of it
//! disturbs the next client.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use reqwest::StatusCode;

use crate::helpers::TestApp;

/// Everything the server sends until it closes the connection (or `limit` passes).
fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (String, Duration) {
    let started = Instant::now();
    stream.set_read_timeout(Some(limit)).expect("timeout set");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    (String::from_utf8_lossy(&answer).into_owned(), started.elapsed())
}

#[tokio::test]
async fn a_client_that_trickles_its_headers_is_cut_off() {
    let app = TestApp::spawn().await;
    let address = app.server.address();
    let outcome = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(address).expect("connected");
        stream.write_all(b"POST /v8/token HTTP/1.1\r\nHost: x\r\n").expect("sent");
        read_until_closed(&mut stream, Duration::from_secs(30))
    })
    .await
    .expect("joined");
    let (answer, waited) = outcome;
    assert!(waited < Duration::from_secs(15), "closed after {waited:?}");
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert_eq!(
        app.service_instance(None, None).await.status(),
        StatusCode::UNAUTHORIZED,
        "others are served"
    );
}

#[tokio::test]
async fn too_many_headers_are_refused_without_harm() {
    let app = TestApp::spawn().await;
    let address = app.server.address();
    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(address).expect("connected");
        let mut request = String::from("GET /v8/ServiceInstance HTTP/1.1\r\nHost: x\r\n");
        for n in 0..200 {
            request.push_str(&format!("X-Header-{n}: {n}\r\n"));
        }
        request.push_str("Connection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).expect("sent");
        read_until_closed(&mut stream, Duration::from_secs(10)).0
    })
    .await
    .expect("joined");
    assert!(answer.starts_with("HTTP/1.1 431") || answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert_eq!(
        app.service_instance(None, None).await.status(),
        StatusCode::UNAUTHORIZED,
        "others are served"
    );
}

#[tokio::test]
async fn an_oversized_chunked_body_gets_the_products_413() {
    let app = TestApp::spawn().await;
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = (0..80).map(|_| Ok(vec![b'a'; 1024])).collect();
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let response = app
        .client
        .post(app.url("/v8/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("answered");
    let status = response.status();
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["errorCode"], "ParameterValidationFailure", "{body}");
    assert_eq!(app.login(true).await.body["token_type"], "bearer", "the next login works");
}

#[tokio::test]
async fn an_oversized_admin_body_gets_a_json_413() {
    let app = TestApp::spawn().await;
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = (0..1100).map(|_| Ok(vec![b'#'; 1024])).collect();
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let response = app.client.put(app.url("/__mock/scenario")).body(body).send().await.expect("answered");
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(body["error"], "too_large");
}
