//! HTTPS: the same mock on a second port with a self-signed certificate, used insecurely (as
//! most clients of the real servers are) and verified against the exported certificate.
//!
//! The client here is ureq with rustls on ring, configured per agent, so no process-wide
//! crypto provider is installed by the tests either.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;

use serde_json::Value;
use ureq::tls::{Certificate, RootCerts, TlsConfig};
use veeam_auth_mock::{MockServer, Scenario, Tls};

use crate::cli::Running;
use crate::helpers::FROZEN;

const BIN: &str = env!("CARGO_BIN_EXE_veeam-auth-mock");
/// A bearer-only login (no antiforgery cookie to echo).
const LOGIN: [(&str, &str); 4] = [
    ("grant_type", "password"),
    ("username", "Administrator"),
    ("password", "PassWord1"),
    ("disable_antiforgery_token", "true"),
];

fn agent(tls: TlsConfig) -> ureq::Agent {
    ureq::Agent::config_builder().tls_config(tls).http_status_as_error(false).build().into()
}

/// A client that accepts any certificate (`verify=False`).
fn insecure() -> ureq::Agent {
    agent(TlsConfig::builder().disable_verification(true).build())
}

/// A client that trusts only `pem`.
pub(crate) fn trusting(pem: &str) -> ureq::Agent {
    let certificate = Certificate::from_pem(pem.as_bytes()).expect("the PEM holds a certificate");
    agent(TlsConfig::builder().root_certs(RootCerts::Specific(Arc::new(vec![certificate]))).build())
}

/// `POST {base}/v8/token` as Administrator: the status and the JSON body.
pub(crate) fn login(agent: &ureq::Agent, base: &str) -> Result<(u16, Value), ureq::Error> {
    let mut response = agent.post(format!("{base}/v8/token")).send_form(LOGIN)?;
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string()?;
    Ok((status, serde_json::from_str(&text).unwrap_or(Value::String(text))))
}

fn frozen() -> Scenario {
    Scenario::from_toml_str(FROZEN).expect("valid")
}

#[tokio::test]
async fn a_login_over_https_works_without_verifying_the_certificate() {
    let server = MockServer::start_https(frozen()).await;
    let base = server.https_uri().expect("HTTPS is on");

    let (status, body) = login(&insecure(), &base).expect("the handshake succeeds");

    assert!(base.starts_with("https://127.0.0.1:"), "{base}");
    assert_eq!(status, 200);
    assert_eq!(body["userName"], "Administrator");
    assert!(body["access_token"].as_str().is_some_and(|token| token.starts_with("eyJ")), "{body}");
}

#[test]
fn a_login_over_https_verifies_against_the_exported_certificate() {
    let server = MockServer::builder().scenario(frozen()).https(true).start_blocking();
    let base = server.https_uri().expect("HTTPS is on");
    let pem = server.certificate_pem().expect("HTTPS is on");

    let (status, _) = login(&trusting(pem), &base).expect("the certificate verifies");
    // The same call to `localhost` verifies too: the certificate names it.
    let localhost = base.replace("127.0.0.1", "localhost");
    let (status_by_name, _) = login(&trusting(pem), &localhost).expect("localhost verifies");

    assert_eq!((status, status_by_name), (200, 200));
}

#[test]
fn a_client_that_does_not_trust_the_certificate_is_refused() {
    let server = MockServer::builder().scenario(frozen()).https(true).start_blocking();
    let other = Tls::self_signed(std::iter::empty::<&str>()).expect("a certificate");

    let outcome = login(&trusting(other.certificate_pem()), &server.https_uri().expect("HTTPS is on"));

    assert!(outcome.is_err(), "a certificate nobody trusts was accepted: {outcome:?}");
}

#[test]
fn the_http_port_still_answers_beside_https_and_both_share_the_state() {
    let server = MockServer::builder().scenario(frozen()).https(true).start_blocking();
    let (_, body) = login(&insecure(), &server.https_uri().expect("HTTPS is on")).expect("login");
    let access = body["access_token"].as_str().expect("a token");

    // A token issued over HTTPS is good on the HTTP port: one world behind both listeners.
    let response = agent(TlsConfig::default())
        .get(format!("{}/v8/ServiceInstance", server.uri()))
        .header("Authorization", format!("Bearer {access}"))
        .call()
        .expect("sent");

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(server.https_address().map(|a| a.ip()), Some(server.address().ip()));
}

#[test]
fn serve_prints_both_addresses_and_exports_a_certificate_that_verifies() {
    let dir = std::env::temp_dir().join(format!("vam-https-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let cert_out = dir.join("mock.pem");
    let (_child, lines) = Running::start(
        Command::new(BIN)
            .args(["serve", "--port", "0", "--tls-port", "0", "--tls-name", "mock.test", "--tls-cert-out"])
            .arg(&cert_out),
        2,
    );

    let http = lines[0].trim().strip_prefix("listening on ").unwrap_or_default();
    let https = lines[1].trim().strip_prefix("listening on ").unwrap_or_default();
    assert!(http.starts_with("http://127.0.0.1:"), "{lines:?}");
    assert!(https.starts_with("https://127.0.0.1:"), "{lines:?}");
    let pem = std::fs::read_to_string(&cert_out).expect("the certificate was written");
    let (status, body) = login(&trusting(&pem), https).expect("verified against the exported PEM");
    assert_eq!(status, 200, "{body}");
    let (status, _) = login(&insecure(), http).expect("HTTP still answers");
    assert_eq!(status, 200);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn serve_with_no_tls_prints_only_the_http_address() {
    let mut child = Running(
        Command::new(BIN)
            .args(["serve", "--port", "0", "--no-tls"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("starts"),
    );
    let stdout = child.0.stdout.take().expect("piped");
    let mut first = String::new();
    let mut reader = BufReader::new(stdout);
    reader.read_line(&mut first).expect("a line");
    // The first line is printed after both listeners are bound, so killing the server now and
    // reading to the end shows everything it would ever have printed at start-up.
    let _ = child.0.kill();
    let mut rest = String::new();
    let _ = std::io::Read::read_to_string(&mut reader, &mut rest);

    assert!(first.starts_with("listening on http://127.0.0.1:"), "{first}");
    assert_eq!(rest, "", "nothing after the HTTP line");
}

#[test]
fn serve_with_a_key_that_does_not_exist_exits_2_and_says_why() {
    let output = Command::new(BIN)
        .args([
            "serve",
            "--port",
            "0",
            "--tls-cert",
            "/nonexistent/cert.pem",
            "--tls-key",
            "/nonexistent/key.pem",
        ])
        .output()
        .expect("runs");

    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot load the certificate: cannot read /nonexistent/cert.pem"), "{stderr}");
}

#[test]
fn serve_presents_the_users_own_certificate_from_pem_files() {
    let dir = std::env::temp_dir().join(format!("vam-own-cert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    // The user's certificate: made here with rcgen, as any CA or tool would hand one out.
    let key = rcgen::KeyPair::generate().expect("a key");
    let params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()]).expect("params");
    let certificate = params.self_signed(&key).expect("a certificate");
    let (cert_file, key_file, out_file) = (dir.join("cert.pem"), dir.join("key.pem"), dir.join("out.pem"));
    std::fs::write(&cert_file, certificate.pem()).expect("write");
    std::fs::write(&key_file, key.serialize_pem()).expect("write");
    let (_child, lines) = Running::start(
        Command::new(BIN)
            .args(["serve", "--port", "0", "--tls-cert"])
            .arg(&cert_file)
            .arg("--tls-key")
            .arg(&key_file)
            .arg("--tls-cert-out")
            .arg(&out_file),
        2,
    );
    let https = lines[1].trim().strip_prefix("listening on ").unwrap_or_default();

    let (status, _) = login(&trusting(&certificate.pem()), https).expect("the user's certificate verifies");

    assert_eq!(status, 200);
    assert_eq!(std::fs::read_to_string(&out_file).expect("exported"), certificate.pem());
    let _ = std::fs::remove_dir_all(dir);
}
