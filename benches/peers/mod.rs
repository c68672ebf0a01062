//! The peers a user would pick instead of veeam-auth-mock, measured the same way (their
//! process's CPU time per operation, read from `/proc`), in the same run:
//! - oauth2-mock-server (npm), answering a password grant with an RS256 JWT: the signing peer;
//! - WireMock (the standalone jar, run by the machine's java) with a static stub for
//!   `GET /v8/ServiceInstance`: the non-signing peer.
//!
//! They are installed (pinned) into `target/peers` by `benches/peers/install.sh`. When node,
//! npm or java is missing, or the install fails (no registry), the comparison is skipped with a
//! message instead of failing the benchmark.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::blocking::Client;

use super::{Cost, CpuClock, drain, process_cost, warm_up};

/// Peer logins measured (each costs a signature in the peer).
const PEER_LOGINS: u32 = 2_000;
/// Peer static-stub calls measured, after a long warm-up (the JIT needs it).
const PEER_CALLS: u32 = 20_000;
const JVM_WARM_UP_CALLS: u32 = 20_000;

/// A peer server process, killed when dropped.
struct Peer {
    child: Child,
    uri: String,
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the peers cost: per login (oauth2-mock-server) and per static call (WireMock).
pub(crate) struct PeerCosts {
    pub(crate) login: Option<Cost>,
    pub(crate) call: Option<Cost>,
}

/// Installs and measures both peers; `None` parts were skipped (the reason is printed).
pub(crate) fn measure(clock: &CpuClock, client: &Client) -> PeerCosts {
    let Some(dir) = install() else { return PeerCosts { login: None, call: None } };
    let login = oauth2_mock_server(&dir).map(|peer| {
        let url = format!("{}/token", peer.uri);
        let form = [
            ("grant_type", "password"),
            ("username", "Administrator"),
            ("password", "PassWord1"),
            ("client_id", "bench"),
        ];
        let mut login = || drain(client.post(&url).form(&form).send().expect("the peer answers"));
        warm_up(&mut login);
        process_cost(clock, peer.child.id(), PEER_LOGINS, &mut login)
    });
    let call = wiremock(&dir, client).map(|peer| {
        let url = format!("{}/v8/ServiceInstance", peer.uri);
        let mut call = || drain(client.get(&url).send().expect("the peer answers"));
        for _ in 0..JVM_WARM_UP_CALLS {
            call();
        }
        process_cost(clock, peer.child.id(), PEER_CALLS, &mut call)
    });
    PeerCosts { login, call }
}

fn install() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/peers");
    let ready =
        dir.join("node_modules/oauth2-mock-server").exists() && dir.join("oauth2-mock-server.mjs").exists();
    if !ready {
        let status = Command::new("bash").arg(root.join("benches/peers/install.sh")).status();
        if !status.is_ok_and(|s| s.success()) {
            eprintln!("peers: not installed (npm unavailable?); the comparison is skipped");
            return None;
        }
    }
    Some(dir)
}

fn oauth2_mock_server(dir: &Path) -> Option<Peer> {
    let mut child = Command::new("node")
        .arg("oauth2-mock-server.mjs")
        .current_dir(dir)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|err| eprintln!("peers: cannot run node ({err}); oauth2-mock-server skipped"))
        .ok()?;
    let stdout = child.stdout.take()?;
    let line = BufReader::new(stdout).lines().next()?.ok()?;
    let uri = line.trim().strip_prefix("listening on ")?.replace("localhost", "127.0.0.1");
    Some(Peer { child, uri })
}

fn wiremock(dir: &Path, client: &Client) -> Option<Peer> {
    let jar = dir.join("node_modules/wiremock/build/wiremock-standalone-3.13.2.jar");
    let port = std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peers/wiremock");
    let child = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--bind-address", "127.0.0.1", "--port", &port.to_string(), "--disable-banner"])
        .args(["--no-request-journal", "--root-dir"])
        .arg(&root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|err| eprintln!("peers: cannot run java ({err}); WireMock skipped"))
        .ok()?;
    let peer = Peer { child, uri: format!("http://127.0.0.1:{port}") };
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        let answer = client.get(format!("{}/v8/ServiceInstance", peer.uri)).send();
        if answer.is_ok_and(|response| response.status().is_success()) {
            return Some(peer);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    eprintln!("peers: WireMock did not start within 60 s; skipped");
    None
}
