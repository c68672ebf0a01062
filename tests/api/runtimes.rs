//! The same server under every runtime a user's test may use: it runs on its own thread and
//! actix system, so the caller's runtime does not matter.

use reqwest::StatusCode;
use veeam_auth_mock::{MockServer, Scenario};

const LOGIN: [(&str, &str); 4] = [
    ("grant_type", "password"),
    ("username", "Administrator"),
    ("password", "PassWord1"),
    ("disable_antiforgery_token", "true"),
];

async fn login_status(server: &MockServer) -> StatusCode {
    let url = format!("{}/v8/token", server.uri());
    reqwest::Client::new().post(url).form(&LOGIN).send().await.expect("sent").status()
}

#[tokio::test(flavor = "current_thread")]
async fn works_under_a_current_thread_tokio_runtime() {
    let server = MockServer::start(Scenario::default()).await;
    assert_eq!(login_status(&server).await, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread")]
async fn works_under_a_multi_thread_tokio_runtime() {
    let server = MockServer::start(Scenario::default()).await;
    assert_eq!(login_status(&server).await, StatusCode::OK);
}

#[actix_web::test]
async fn works_under_actix_web_test() {
    let server = MockServer::start(Scenario::default()).await;
    assert_eq!(login_status(&server).await, StatusCode::OK);
}

#[test]
fn works_from_a_plain_test_with_a_blocking_start() {
    let server = MockServer::start_blocking(Scenario::default());
    let url = format!("{}/v8/token", server.uri());
    let response = reqwest::blocking::Client::new().post(url).form(&LOGIN).send().expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
}

#[test]
fn dropping_the_server_releases_its_port() {
    let server = MockServer::start_blocking(Scenario::default());
    let address = server.address();
    drop(server);
    assert!(std::net::TcpStream::connect(address).is_err(), "nothing listens on {address} any more");
}
