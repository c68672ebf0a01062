//! What one login and one authenticated call cost the mock in CPU time, next to the floor set by
//! RSA itself.
//!
//! A password-grant login signs two RS256 JWTs (access and refresh), and an RSA-2048 signature is
//! by far the most expensive thing the mock does, so two bare signatures are the physical limit of
//! a login. This benchmark measures, in one run:
//!
//! 1. a bare RS256 signature with `ring` and the fixture key, in this process (the floor);
//! 2. the release server's CPU per password-grant login, and how far it is above two signatures
//!    (target: under 5 %);
//! 3. the release server's CPU per `GET /v8/ServiceInstance` with a bearer token (the cost of
//!    checking a token and answering);
//! 4. the debug server's CPU per login (target: under 3 ms), because users run the mock from
//!    debug `cargo test` builds;
//! 5. the price of the control plane: `ServiceInstance` again with the request journal off (and
//!    no faults: the fast path, two atomic loads), and with the journal on and a fault in force
//!    that never matches (every request is counted against it);
//! 6. declared routes: with [`DECLARED_ROUTES`] routes loaded, the CPU per protected call of one
//!    of them, against `ServiceInstance` on a server without any (target: within 10 %), in
//!    alternating rounds; and `ServiceInstance` on the loaded server.
//!
//! `AUTH_COST_PART=declared` runs step 6 alone (the others start peers and take minutes).
//!
//! The servers are the real `veeam-auth-mock` binaries in child processes, and their cost is their
//! CPU time read from `/proc/<pid>/stat`, not wall time: the client (reqwest, its runtime, JSON)
//! runs on the same two cores, and wall time would charge its work and the scheduling between the
//! two processes to the server. The kernel reports that CPU time in clock ticks (10 ms), so each
//! step runs for tens to hundreds of ticks, and the table shows every figure's operations and
//! total CPU so that its resolution can be judged. The bare signatures run on one thread of this
//! process, whose CPU time `/proc/thread-self/schedstat` gives in nanoseconds.
//!
//! Linux only (it reads `/proc`). Run with `cargo bench --bench auth_cost`.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use reqwest::StatusCode;
use reqwest::blocking::{Client, Response};
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};

#[path = "support/measure.rs"]
mod measure;
#[path = "peers/mod.rs"]
mod peers;
#[path = "support/mod.rs"]
mod support;
use measure::{Cost, CpuClock, Server};

/// Bare signatures and release logins alternate in this many rounds (see [`signatures_and_logins`]).
const ROUNDS: u32 = 5;
/// Bare signatures timed in all (about half a second of CPU).
const SIGNATURES: u32 = 1_000;
/// Requests made before each measurement, so that connection set-up, first allocations and lazy
/// initialisation (the key is parsed on first use) are not counted.
const WARM_UP_REQUESTS: u32 = 100;
/// Logins on the release server: a few seconds of CPU, so a 10 ms tick is well under 1 %.
const RELEASE_LOGINS: u32 = 2_000;
/// `GET /v8/ServiceInstance` calls on the release server.
const SERVICE_INSTANCE_CALLS: u32 = 20_000;
/// Logins on the debug server (each costs more, so fewer give the same resolution).
const DEBUG_LOGINS: u32 = 500;
/// Size of a JWT's signing input (`header.payload`, base64url) as the mock issues them.
const MESSAGE_LEN: usize = 450;

/// A scenario user of the embedded default scenario.
const CREDENTIALS: [(&str, &str); 3] =
    [("grant_type", "password"), ("username", "Administrator"), ("password", "PassWord1")];

const LOGIN_OVERHEAD_TARGET_PERCENT: f64 = 5.0;
const DEBUG_LOGIN_TARGET_MICROS: f64 = 3_000.0;

/// Declared routes loaded for step 6.
const DECLARED_ROUTES: usize = 500;
/// Calls per round of step 6, and its rounds.
const DECLARED_CALLS: u32 = 3_000;
const DECLARED_ROUNDS: u32 = 8;
const DECLARED_TARGET_RATIO: f64 = 1.10;

fn main() {
    if env::var("AUTH_COST_PART").as_deref() == Ok("declared") {
        print_declared(&declared_routes(&CpuClock::new(), &Client::new()));
        return;
    }
    let clock = CpuClock::new();
    let mut signer = Signer::from_fixture();
    let client = Client::new();

    let release = Server::start_with(Path::new(env!("CARGO_BIN_EXE_veeam-auth-mock")), &[]);
    let mut release_login = || drain(login(&client, &release, &[]));
    let (signature, release_login) = signatures_and_logins(&clock, &mut signer, &release, &mut release_login);
    let service_instance = service_instance_cost(&clock, &release, &client);
    admin(&client, &release, "PUT", "/__mock/journal/settings", r#"{"enabled":false}"#);
    let quiet = service_instance_cost(&clock, &release, &client);
    admin(&client, &release, "PUT", "/__mock/journal/settings", r#"{"enabled":true}"#);
    admin(&client, &release, "POST", "/__mock/faults", r#"{"endpoint":"azure.token","status":503}"#);
    let busy = service_instance_cost(&clock, &release, &client);
    drop(release);
    let idle_mb = idle_memory_mb(Path::new(env!("CARGO_BIN_EXE_veeam-auth-mock")));
    let peers = peers::measure(&clock, &client);

    let debug = Server::start_with(&debug_binary(), &[]);
    let mut debug_login = || drain(login(&client, &debug, &[]));
    warm_up(&mut debug_login);
    let debug_login = server_cost(&clock, &debug, DEBUG_LOGINS, &mut debug_login);
    drop(debug);

    let declared = declared_routes(&clock, &client);

    print_table(&signature, &release_login, &service_instance, &debug_login);
    print_control_plane(&service_instance, &quiet, &busy);
    print_peers(&release_login, &quiet, &peers, idle_mb);
    print_declared(&declared);
}

/// Step 6's figures.
struct DeclaredCosts {
    /// `ServiceInstance` on a server without declared routes.
    reference: Cost,
    /// A declared route's call on a server with [`DECLARED_ROUTES`] of them.
    declared: Cost,
    /// `ServiceInstance` on that server.
    loaded_service_instance: Cost,
}

/// A scenario file (the embedded default's users) with [`DECLARED_ROUTES`] routes: half plain
/// paths, half with a parameter, as a large test suite would declare them.
fn declared_scenario() -> PathBuf {
    let mut text = String::from(veeam_auth_mock::DEFAULT_SCENARIO_TOML);
    for number in 0..DECLARED_ROUTES {
        let path = if number % 2 == 0 {
            format!("/v8/Things{number}")
        } else {
            format!("/v8/Things{number}/{{id}}")
        };
        text.push_str(&format!(
            "\n[[routes]]\npath = \"{path}\"\njson = {{ id = \"{number}\", name = \"Thing {number}\", status = \"Running\" }}\n"
        ));
    }
    let file = env::temp_dir().join(format!("veeam-auth-mock-bench-{}.toml", std::process::id()));
    fs::write(&file, text).expect("the bench scenario is written");
    file
}

/// Step 6: alternating rounds of `ServiceInstance` on a plain server and of a declared route's
/// call on a loaded one (the same client, the same conditions).
fn declared_routes(clock: &CpuClock, client: &Client) -> DeclaredCosts {
    let binary = Path::new(env!("CARGO_BIN_EXE_veeam-auth-mock"));
    let plain = Server::start_with(binary, &[]);
    let scenario = declared_scenario();
    let loaded = Server::start_with(binary, &["--scenario", scenario.to_str().expect("a UTF-8 path")]);
    let _ = fs::remove_file(&scenario);
    let bearer = |server: &Server| -> String {
        let body: serde_json::Value = login(client, server, &[("disable_antiforgery_token", "true")])
            .json()
            .expect("the login answers JSON");
        body["access_token"].as_str().expect("an access_token").to_owned()
    };
    let (plain_token, loaded_token) = (bearer(&plain), bearer(&loaded));
    let get = |url: &str, token: &str| {
        let response = client.get(url).bearer_auth(token).send().expect("the call is sent");
        drain(expect_ok(response, url));
    };
    let service_instance = format!("{}/v8/ServiceInstance", plain.uri);
    let declared_url = format!("{}/v8/Things250", loaded.uri);
    let loaded_service_instance = format!("{}/v8/ServiceInstance", loaded.uri);
    let mut reference_call = || get(&service_instance, &plain_token);
    let mut declared_call = || get(&declared_url, &loaded_token);
    let mut loaded_call = || get(&loaded_service_instance, &loaded_token);
    warm_up(&mut reference_call);
    warm_up(&mut declared_call);
    warm_up(&mut loaded_call);
    let mut costs = DeclaredCosts {
        reference: Cost::default(),
        declared: Cost::default(),
        loaded_service_instance: Cost::default(),
    };
    // Each round measures the three in a rotated order, so that none always follows another.
    for round in 0..DECLARED_ROUNDS {
        for step in 0..3 {
            match (round + step) % 3 {
                0 => costs.reference.add(server_cost(clock, &plain, DECLARED_CALLS, &mut reference_call)),
                1 => costs.declared.add(server_cost(clock, &loaded, DECLARED_CALLS, &mut declared_call)),
                _ => costs.loaded_service_instance.add(server_cost(
                    clock,
                    &loaded,
                    DECLARED_CALLS,
                    &mut loaded_call,
                )),
            }
        }
    }
    costs
}

fn print_declared(costs: &DeclaredCosts) {
    let base = costs.reference.micros_each();
    let row = |label: &str, cost: &Cost| {
        let ratio = cost.micros_each() / base;
        println!("  {label:<46}{:>9.1} µs   {ratio:.2}x   {}", cost.micros_each(), cost.basis());
    };
    println!("declared routes (release, server CPU per protected call, journal on)");
    row("GET /v8/ServiceInstance, no declared routes", &costs.reference);
    row(&format!("declared GET /v8/Things250, {DECLARED_ROUTES} loaded"), &costs.declared);
    row(&format!("GET /v8/ServiceInstance, {DECLARED_ROUTES} loaded"), &costs.loaded_service_instance);
    let ratio = costs.declared.micros_each() / base;
    println!(
        "  declared call vs ServiceInstance: {ratio:.2}x (target <= {DECLARED_TARGET_RATIO}x: {})",
        verdict(ratio <= DECLARED_TARGET_RATIO)
    );
    // The same comparison inside one server, free of the differences between two processes.
    let same_server = costs.declared.micros_each() / costs.loaded_service_instance.micros_each();
    println!("  declared call vs ServiceInstance on the loaded server: {same_server:.2}x");
}

/// Resident memory of a fresh release server that has answered one request and then idled.
fn idle_memory_mb(binary: &Path) -> f64 {
    let server = Server::start_with(binary, &[]);
    let _ = Client::new().get(format!("{}/v8/Health", server.uri)).send();
    std::thread::sleep(std::time::Duration::from_secs(1));
    support::rss_mb(server.pid())
}

const PEER_LOGIN_TARGET_RATIO: f64 = 0.9;
const PEER_CALL_TARGET_FACTOR: f64 = 5.0;
const IDLE_MEMORY_TARGET_MB: f64 = 10.0;

fn print_peers(login: &Cost, call: &Cost, peers: &peers::PeerCosts, idle_mb: f64) {
    println!("against peers (same run, each server's own CPU)");
    match &peers.login {
        Some(peer) => {
            let ratio = login.micros_each() / peer.micros_each();
            let met = verdict(ratio < PEER_LOGIN_TARGET_RATIO);
            println!(
                "  {:<46}{:>9.1} µs   ours {ratio:.2}x (target < {PEER_LOGIN_TARGET_RATIO}x: {met})   {}",
                "oauth2-mock-server 9.3.0: password grant",
                peer.micros_each(),
                peer.basis()
            );
        }
        None => println!("  oauth2-mock-server: skipped"),
    }
    match &peers.call {
        Some(peer) => {
            let factor = peer.micros_each() / call.micros_each();
            let met = verdict(factor >= PEER_CALL_TARGET_FACTOR);
            println!(
                "  {:<46}{:>9.1} µs   ours {factor:.1}x lower (target >= {PEER_CALL_TARGET_FACTOR}x: {met})   {}",
                "WireMock 3.13.2: static stub GET",
                peer.micros_each(),
                peer.basis()
            );
        }
        None => println!("  WireMock: skipped"),
    }
    let met = verdict(idle_mb < IDLE_MEMORY_TARGET_MB);
    println!(
        "  {:<46}{idle_mb:>9.1} MB   (target < {IDLE_MEMORY_TARGET_MB} MB: {met})",
        "release server idle memory (RSS)"
    );
}

/// An admin API call that must succeed.
fn admin(client: &Client, server: &Server, method: &str, path: &str, body: &'static str) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
    let response = client
        .request(method, format!("{}{path}", server.uri))
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .expect("the admin call is sent");
    assert!(response.status().is_success(), "{path} answered {}", response.status());
}

fn print_control_plane(journal_on: &Cost, quiet: &Cost, busy: &Cost) {
    let base = quiet.micros_each();
    let row = |label: &str, cost: &Cost| {
        let change = (cost.micros_each() - base) / base * 100.0;
        println!("  {label:<46}{:>9.1} µs   {change:+.1} % vs off   {}", cost.micros_each(), cost.basis());
    };
    println!("control plane (release, GET /v8/ServiceInstance, server CPU)");
    row("journal off, no faults (fast path)", quiet);
    row("journal on (the default)", journal_on);
    row("journal on, one fault in force", busy);
}

/// RS256 signing with the fixture key, as the server does it but without anything around it.
#[derive(Debug)]
struct Signer {
    pair: RsaKeyPair,
    random: SystemRandom,
    /// The cost is the RSA private-key operation; the message only feeds SHA-256, but a
    /// realistic length keeps the hashing share honest.
    message: [u8; MESSAGE_LEN],
    signature: Vec<u8>,
}

impl Signer {
    fn from_fixture() -> Signer {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/signing-key.pem");
        let text =
            fs::read_to_string(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
        let key = pem::parse(text).expect("fixtures/signing-key.pem is PEM");
        let pair =
            RsaKeyPair::from_pkcs8(key.contents()).expect("fixtures/signing-key.pem is a PKCS#8 RSA key");
        let signature = vec![0; pair.public().modulus_len()];
        let mut signer =
            Signer { pair, random: SystemRandom::new(), message: [b'e'; MESSAGE_LEN], signature };
        signer.sign(); // The first call pays for ring's one-time CPU feature detection.
        signer
    }

    fn sign(&mut self) {
        self.pair
            .sign(&RSA_PKCS1_SHA256, &self.random, &self.message, &mut self.signature)
            .expect("RS256 signing succeeds");
    }

    /// CPU time of `operations` signatures on this thread: what the server cannot go below.
    fn cost(&mut self, clock: &CpuClock, operations: u32) -> Cost {
        let before = clock.thread();
        for _ in 0..operations {
            self.sign();
        }
        Cost { operations, cpu_seconds: clock.thread() - before }
    }
}

/// Bare signatures and release logins, measured in alternating rounds.
///
/// Their ratio is the figure with a tight target, and the speed of a (virtual) machine drifts by
/// several percent over seconds (frequency scaling, neighbours): measuring one and then the other
/// would put that drift into the overhead. Alternating exposes both to the same conditions. While
/// one side runs the other is idle, so the server's CPU between its rounds does not grow.
fn signatures_and_logins(
    clock: &CpuClock,
    signer: &mut Signer,
    server: &Server,
    login: &mut impl FnMut(),
) -> (Cost, Cost) {
    warm_up(login);
    let (mut signatures, mut logins) = (Cost::default(), Cost::default());
    for _ in 0..ROUNDS {
        signatures.add(signer.cost(clock, SIGNATURES / ROUNDS));
        logins.add(server_cost(clock, server, RELEASE_LOGINS / ROUNDS, login));
    }
    (signatures, logins)
}

fn warm_up(request: &mut impl FnMut()) {
    for _ in 0..WARM_UP_REQUESTS {
        request();
    }
}

/// The server's CPU time for `operations` calls of `request`.
fn server_cost(clock: &CpuClock, server: &Server, operations: u32, request: &mut impl FnMut()) -> Cost {
    process_cost(clock, server.pid(), operations, request)
}

/// Process `pid`'s CPU time for `operations` calls of `request`.
fn process_cost(clock: &CpuClock, pid: u32, operations: u32, request: &mut impl FnMut()) -> Cost {
    let before = clock.process(pid);
    for _ in 0..operations {
        request();
    }
    Cost { operations, cpu_seconds: clock.process(pid) - before }
}

/// The server's CPU per `GET /v8/ServiceInstance`, with the access token of one login.
fn service_instance_cost(clock: &CpuClock, server: &Server, client: &Client) -> Cost {
    // Without antiforgery, the bearer token alone authorizes the call (no cookie, no header).
    let body: serde_json::Value = login(client, server, &[("disable_antiforgery_token", "true")])
        .json()
        .expect("the login answers JSON");
    let token = body["access_token"].as_str().expect("the login answer has an access_token").to_owned();
    let url = format!("{}/v8/ServiceInstance", server.uri);
    let mut call = || {
        let response = client.get(&url).bearer_auth(&token).send().expect("GET /v8/ServiceInstance is sent");
        drain(expect_ok(response, "GET /v8/ServiceInstance"));
    };
    warm_up(&mut call);
    server_cost(clock, server, SERVICE_INSTANCE_CALLS, &mut call)
}

/// A password-grant login as Administrator, with `extra` form fields; the body is left unread.
fn login(client: &Client, server: &Server, extra: &[(&str, &str)]) -> Response {
    let form: Vec<(&str, &str)> = CREDENTIALS.iter().chain(extra).copied().collect();
    let url = format!("{}/v8/token", server.uri);
    let response = client.post(url).form(&form).send().expect("POST /v8/token is sent");
    expect_ok(response, "POST /v8/token")
}

fn expect_ok(response: Response, what: &str) -> Response {
    let status = response.status();
    if status != StatusCode::OK {
        let body = response.text().unwrap_or_default();
        panic!("{what} answered {status}, expected 200 OK: {body}");
    }
    response
}

/// Reads the whole body, which lets the keep-alive connection be reused for the next request.
fn drain(response: Response) {
    response.bytes().expect("the response body is read");
}

/// The debug build of the server: `VEEAM_AUTH_MOCK_DEBUG_BIN`, else `target/debug`, built there
/// first if it is missing.
fn debug_binary() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = env::var_os("VEEAM_AUTH_MOCK_DEBUG_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir.join("target/debug/veeam-auth-mock"));
    if !path.exists() {
        build_debug_binary(manifest_dir);
        assert!(path.exists(), "{} is still missing after `cargo build`", path.display());
    }
    path
}

fn build_debug_binary(manifest_dir: &Path) {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("building the debug server (cargo build --bin veeam-auth-mock)...");
    let mut command = Command::new(cargo);
    command.args(["build", "--bin", "veeam-auth-mock", "-j2"]).current_dir(manifest_dir);
    // `cargo bench` runs this binary with the variables Cargo sets for a crate (CARGO_PKG_NAME...).
    // ring's build script reruns when those change, so passing them on would rebuild ring here
    // and again at the next ordinary `cargo build`.
    for (name, _) in env::vars_os() {
        if name.to_str().is_some_and(is_crate_variable) {
            command.env_remove(name);
        }
    }
    let status = command.status().expect("cargo can be run");
    assert!(status.success(), "cargo build of the debug server failed: {status}");
}

/// A variable Cargo sets for the crate it builds or runs, as opposed to one that configures Cargo
/// (`CARGO_HOME`, `CARGO_TARGET_DIR`, ...).
fn is_crate_variable(name: &str) -> bool {
    const PREFIXES: [&str; 4] = ["CARGO_PKG_", "CARGO_MANIFEST_", "CARGO_CRATE_", "CARGO_BIN_"];
    const NAMES: [&str; 3] = ["CARGO_PRIMARY_PACKAGE", "CARGO_TARGET_TMPDIR", "CARGO_RUSTC_CURRENT_DIR"];
    PREFIXES.iter().any(|prefix| name.starts_with(prefix)) || NAMES.contains(&name)
}

fn print_table(signature: &Cost, release_login: &Cost, service_instance: &Cost, debug_login: &Cost) {
    let two_signatures = 2.0 * signature.micros_each();
    let overhead = (release_login.micros_each() - two_signatures) / two_signatures * 100.0;
    let overhead_met = verdict(overhead < LOGIN_OVERHEAD_TARGET_PERCENT);
    let debug_met = verdict(debug_login.micros_each() < DEBUG_LOGIN_TARGET_MICROS);
    let row = |label: &str, micros: f64, note: &str| {
        println!("{}", format!("  {label:<46}{micros:>9.1} µs   {note}").trim_end());
    };

    println!("veeam-auth-mock auth cost (CPU time, this machine)");
    row("bare RS256 signature (ring, bench process)", signature.micros_each(), &signature.basis());
    row("two bare signatures", two_signatures, "");
    row(
        "release: password-grant login (server CPU)",
        release_login.micros_each(),
        &format!(
            "overhead beyond 2 signatures: {overhead:.1} % (target < {LOGIN_OVERHEAD_TARGET_PERCENT} %: \
             {overhead_met})   {}",
            release_login.basis()
        ),
    );
    row(
        "release: GET /v8/ServiceInstance (server CPU)",
        service_instance.micros_each(),
        &service_instance.basis(),
    );
    row(
        "debug:   password-grant login (server CPU)",
        debug_login.micros_each(),
        &format!("(target < {} ms: {debug_met})   {}", DEBUG_LOGIN_TARGET_MICROS / 1e3, debug_login.basis()),
    );
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT MET" }
}
