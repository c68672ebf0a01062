//! Limits at the connection level: a client that sends its headers too slowly is cut off (on
//! its first request by actix, on every later one by the connection's watchdog, which never cuts
//! a request being handled), too many headers are refused, an oversized chunked body gets the
//! product's 413, a body that stalls gets 408 within the body deadline whoever reads it (product,
//! control middleware, admin API), and none of it disturbs the next client.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use veeam_auth_mock::{Endpoint, Fault, JournalQuery, MockServer, Scenario};

use crate::helpers::{FROZEN, TestApp};

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

/// A mock whose body deadline is 200 ms instead of 10 s, so a stalled body is over quickly.
fn with_short_body_deadline() -> MockServer {
    let scenario = Scenario::from_toml_str(FROZEN).expect("test scenario is valid");
    MockServer::builder().scenario(scenario).body_deadline(BODY_DEADLINE).start_blocking()
}

const BODY_DEADLINE: Duration = Duration::from_millis(200);

/// Sends `head` and the start of a body, then stalls; returns what the server sent until it
/// closed the connection (or 5 s passed) and how long that took.
async fn stall(address: SocketAddr, head: String) -> (String, Duration) {
    tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(address).expect("connected");
        stream.write_all(head.as_bytes()).expect("sent");
        read_until_closed(&mut stream, Duration::from_secs(5))
    })
    .await
    .expect("joined")
}

/// The head of a request with a declared body of 100 bytes, and its first 15 bytes.
fn stalled_post(path: &str, content_type: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\nContent-Length: 100\r\n\r\ngrant_type=pass"
    )
}

/// The answer's body (after the head; the answers here are not chunked).
fn body_of(answer: &str) -> serde_json::Value {
    let body = answer.split_once("\r\n\r\n").map(|(_, body)| body).unwrap_or_default();
    serde_json::from_str(body).unwrap_or_else(|err| panic!("{err}: {answer}"))
}

#[tokio::test]
async fn a_stalled_token_body_gets_408_within_the_deadline_with_the_journal_on() {
    let server = with_short_body_deadline();
    assert!(server.journal().is_enabled(), "the journal is on by default");

    let form = "application/x-www-form-urlencoded";
    let (answer, waited) = stall(server.address(), stalled_post("/v8/token", form)).await;

    assert!(waited < Duration::from_secs(2), "closed after {waited:?}: {answer}");
    assert!(answer.starts_with("HTTP/1.1 408 Request Timeout\r\n"), "{answer}");
    assert!(answer.contains("\r\nconnection: close\r\n"), "{answer}");
    let body = body_of(&answer);
    assert_eq!(body["errorCode"], "Timeout", "{body}");
    assert_eq!(body["message"], "The request body did not arrive in time.", "{body}");
    assert_eq!(server.journal().find(&JournalQuery::new().status(408)).len(), 1, "journaled");
}

#[tokio::test]
async fn a_stalled_token_body_gets_408_within_the_deadline_with_a_fault_in_force() {
    let server = with_short_body_deadline();
    server.journal().set_enabled(false);
    // A fault that needs the token fields, so the control middleware reads the body.
    server.faults().add(Fault::status(503).on(Endpoint::AzureToken).grant_type("refresh_token"));

    let form = "application/x-www-form-urlencoded";
    let (answer, waited) = stall(server.address(), stalled_post("/api/oauth2/token", form)).await;

    assert!(waited < Duration::from_secs(2), "closed after {waited:?}: {answer}");
    assert!(answer.starts_with("HTTP/1.1 408 Request Timeout\r\n"), "{answer}");
    assert!(answer.contains("\r\ncontent-type: application/problem+json"), "{answer}");
    assert_eq!(body_of(&answer)["status"], 408, "{answer}");
}

#[tokio::test]
async fn a_stalled_chunked_body_gets_408_and_the_connection_closes() {
    let server = with_short_body_deadline();
    let head = "POST /v8/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                Transfer-Encoding: chunked\r\n\r\n4\r\ngran\r\n";
    let (answer, waited) = stall(server.address(), head.to_owned()).await;

    assert!(waited < Duration::from_secs(3), "closed after {waited:?}: {answer}");
    assert!(answer.starts_with("HTTP/1.1 408 Request Timeout\r\n"), "{answer}");
}

#[tokio::test]
async fn a_stalled_admin_body_gets_a_json_408_within_the_deadline() {
    let server = with_short_body_deadline();
    let head = "PUT /__mock/scenario HTTP/1.1\r\nHost: x\r\nContent-Type: application/toml\r\n\
                Content-Length: 1000\r\n\r\n[vb365]\n";
    let (answer, waited) = stall(server.address(), head.to_owned()).await;

    assert!(waited < Duration::from_secs(2), "closed after {waited:?}: {answer}");
    assert!(answer.starts_with("HTTP/1.1 408 Request Timeout\r\n"), "{answer}");
    assert_eq!(
        body_of(&answer),
        serde_json::json!({"error": "request_timeout", "detail": "the body did not arrive within 200 ms"})
    );
}

#[tokio::test]
async fn an_admin_body_declared_over_the_cap_is_refused_before_it_is_sent() {
    // The ordinary 10 s deadline: the refusal must not wait for it.
    let app = TestApp::spawn().await;
    let head = "PUT /__mock/scenario HTTP/1.1\r\nHost: x\r\nContent-Type: application/toml\r\n\
                Content-Length: 1048577\r\n\r\n";
    let (answer, waited) = stall(app.server.address(), head.to_owned()).await;

    assert!(waited < Duration::from_secs(2), "closed after {waited:?}: {answer}");
    assert!(answer.starts_with("HTTP/1.1 413 Payload Too Large\r\n"), "{answer}");
    assert_eq!(
        body_of(&answer),
        serde_json::json!({"error": "too_large", "detail": "the body is larger than 1048576 bytes"})
    );
}

// The head of every request after the first: actix times only a connection's first head, the
// connection's watchdog the later ones (closing the connection when the next head is not
// complete within the deadline after an answer), never a request being handled.

/// A mock whose next-head deadline is 300 ms instead of 10 s.
fn with_short_next_head_deadline(https: bool) -> MockServer {
    let scenario = Scenario::from_toml_str(FROZEN).expect("test scenario is valid");
    let builder = MockServer::builder().scenario(scenario);
    #[cfg(feature = "tls")]
    let builder = builder.https(https);
    #[cfg(not(feature = "tls"))]
    assert!(!https, "HTTPS needs the tls feature");
    builder.next_head_deadline(NEXT_HEAD_DEADLINE).start_blocking()
}

const NEXT_HEAD_DEADLINE: Duration = Duration::from_millis(300);

/// A bearer-only login of the frozen scenario's Administrator, keeping the connection open.
fn login_request() -> String {
    let form = "grant_type=password&username=Administrator&password=PassWord1&disable_antiforgery_token=true";
    format!(
        "POST /v8/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\n\r\n{form}",
        form.len()
    )
}

/// One whole answer (head and its `Content-Length` body) from a connection kept open.
fn read_answer(stream: &mut impl Read) -> String {
    let mut answer = Vec::new();
    let mut byte = [0u8; 1];
    while !answer.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).expect("an answer head");
        answer.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&answer).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length: "))
        .map_or(0, |value| value.trim().parse::<usize>().expect("a length"));
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).expect("the answer's body");
    answer.extend(body);
    String::from_utf8_lossy(&answer).into_owned()
}

/// Everything read until the server closes the connection (or fails it), and how long that
/// took; a stream still open after its read timeout shows as that long.
fn read_to_close(stream: &mut impl Read) -> (Vec<u8>, Duration) {
    let started = Instant::now();
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
    (rest, started.elapsed())
}

/// A login answered on `stream`, then half a request head; what follows until the close.
fn login_then_a_partial_head(stream: &mut (impl Read + Write)) -> (Vec<u8>, Duration) {
    stream.write_all(login_request().as_bytes()).expect("sent");
    let answer = read_answer(stream);
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    stream.write_all(b"GET /v8/ServiceInstance HTTP/1.1\r\nHo").expect("sent");
    read_to_close(stream)
}

#[tokio::test]
async fn a_partial_head_after_an_answer_is_cut_at_the_next_head_deadline() {
    let server = with_short_next_head_deadline(false);
    let address = server.address();

    let (rest, waited) = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(address).expect("connected");
        stream.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout set");
        login_then_a_partial_head(&mut stream)
    })
    .await
    .expect("joined");

    // Before the watchdog, the connection stayed open for good (40 s and counting).
    assert!(waited < Duration::from_secs(3), "closed after {waited:?}");
    assert_eq!(String::from_utf8_lossy(&rest), "", "closed without an answer");
    let response = reqwest::get(format!("{}/v8/ServiceInstance", server.uri())).await.expect("answered");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "others are served");
}

#[cfg(feature = "tls")]
#[tokio::test]
async fn a_partial_head_after_an_answer_is_cut_over_https_too() {
    let server = with_short_next_head_deadline(true);
    let address = server.https_address().expect("HTTPS is on");
    let pem = server.certificate_pem().expect("HTTPS is on").to_owned();

    let (rest, waited) = tokio::task::spawn_blocking(move || {
        let socket = TcpStream::connect(address).expect("connected");
        socket.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout set");
        let mut stream = tls_client(&pem, socket);
        login_then_a_partial_head(&mut stream)
    })
    .await
    .expect("joined");

    assert!(waited < Duration::from_secs(3), "closed after {waited:?}");
    assert!(rest.is_empty(), "closed without an answer: {rest:?}");
}

/// A TLS client over `socket` that trusts `pem` (ring, named explicitly: no process-wide
/// provider is installed).
#[cfg(feature = "tls")]
fn tls_client(pem: &str, socket: TcpStream) -> rustls::StreamOwned<rustls::ClientConnection, TcpStream> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;

    let mut roots = rustls::RootCertStore::empty();
    for certificate in CertificateDer::pem_slice_iter(pem.as_bytes()) {
        roots.add(certificate.expect("a certificate")).expect("trusted");
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = "localhost".try_into().expect("a server name");
    let connection = rustls::ClientConnection::new(std::sync::Arc::new(config), name).expect("a TLS client");
    rustls::StreamOwned::new(connection, socket)
}

#[tokio::test]
async fn a_delayed_answer_longer_than_the_next_head_deadline_still_arrives() {
    let server = with_short_next_head_deadline(false);
    let delay = NEXT_HEAD_DEADLINE * 3;
    server.faults().add(Fault::delay(delay).on(Endpoint::Vb365Token).times(1));
    let address = server.address();

    let (first, waited, second) = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(address).expect("connected");
        stream.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout set");
        let started = Instant::now();
        stream.write_all(login_request().as_bytes()).expect("sent");
        let first = read_answer(&mut stream);
        let waited = started.elapsed();
        // The connection is still good for the next request.
        stream.write_all(login_request().as_bytes()).expect("sent");
        (first, waited, read_answer(&mut stream))
    })
    .await
    .expect("joined");

    assert!(waited >= delay, "answered after {waited:?}, before the delay");
    assert!(first.starts_with("HTTP/1.1 200 OK\r\n"), "{first}");
    assert!(second.starts_with("HTTP/1.1 200 OK\r\n"), "{second}");
}

#[tokio::test]
async fn a_body_arriving_within_its_own_deadline_is_not_cut_by_the_next_head_deadline() {
    let server = with_short_next_head_deadline(false);
    let address = server.address();

    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(address).expect("connected");
        stream.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout set");
        let request = login_request();
        let (head_and_some, rest) = request.split_at(request.len() - 10);
        stream.write_all(head_and_some.as_bytes()).expect("sent");
        // Longer than the next-head deadline, well within the body deadline (10 s).
        std::thread::sleep(NEXT_HEAD_DEADLINE * 3);
        stream.write_all(rest.as_bytes()).expect("sent");
        read_answer(&mut stream)
    })
    .await
    .expect("joined");

    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
}
