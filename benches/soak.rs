//! A bounded soak test: the release binary on 127.0.0.1 under a mixed load on both products for
//! a few minutes, counting unexpected answers and watching the server's memory.
//!
//! Each client loop does what real tools do: a VB365 v8 login, five `ServiceInstance` calls, a
//! refresh, one more call with the new token, a logout; then a VBAzure login, five
//! `system/about` calls, a refresh and a logout. Every answer must be the expected status
//! (200/204); anything else, and any transport error, counts as an error. The server's resident
//! memory (`VmRSS`) is sampled every second. The first third is warm-up (the session store
//! fills to its cap, the journal to its 1000 entries, the allocator to its working set); the
//! highest RSS of the last third may not exceed the highest of the middle third by more than a
//! few MB. A store without a bound grows through both; a cap's saw-tooth, and an allocator still
//! settling at the start of the middle third, do not count as growth.
//!
//! `cargo bench --bench soak` (Linux: reads `/proc`). `SOAK_SECONDS` (default 180) and
//! `SOAK_CLIENTS` (default 16) change the load; loopback only, by construction.

use std::env;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode};
use serde_json::Value;

#[path = "support/mod.rs"]
mod support;
use support::rss_mb;

/// Growth from the middle third's peak to the last third's peak that still counts as flat.
const FLAT_MB: f64 = 5.0;

#[derive(Default)]
struct Counters {
    requests: AtomicU64,
    errors: AtomicU64,
}

impl Counters {
    fn expect(
        &self,
        what: &str,
        outcome: Result<reqwest::Response, reqwest::Error>,
        wanted: StatusCode,
    ) -> Option<reqwest::Response> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        match outcome {
            Ok(response) if response.status() == wanted => Some(response),
            Ok(response) => {
                self.error(&format!("{what}: {}", response.status()));
                None
            }
            Err(err) => {
                self.error(&format!("{what}: {err}"));
                None
            }
        }
    }

    fn error(&self, what: &str) {
        if self.errors.fetch_add(1, Ordering::Relaxed) < 10 {
            eprintln!("unexpected: {what}");
        }
    }
}

fn main() {
    let seconds: u64 = env::var("SOAK_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(180);
    let clients: usize = env::var("SOAK_CLIENTS").ok().and_then(|s| s.parse().ok()).unwrap_or(16);
    let mut server = Server::start();
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let counters = Arc::new(Counters::default());
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();

    let mut samples: Vec<(f64, f64)> = Vec::new();
    runtime.block_on(async {
        let client = Client::builder().timeout(Duration::from_secs(30)).build().expect("client");
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..clients {
            let (client, base, counters, stop) =
                (client.clone(), server.uri.clone(), counters.clone(), stop.clone());
            tasks.spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    vb365_round(&client, &base, &counters).await;
                    azure_round(&client, &base, &counters).await;
                }
            });
        }
        while started.elapsed() < Duration::from_secs(seconds) {
            tokio::time::sleep(Duration::from_secs(1)).await;
            samples.push((started.elapsed().as_secs_f64(), rss_mb(server.child.id())));
        }
        stop.store(true, Ordering::Relaxed);
        tasks.join_all().await;
    });
    let elapsed = started.elapsed().as_secs_f64();
    let _ = server.child.kill();

    let requests = counters.requests.load(Ordering::Relaxed);
    let errors = counters.errors.load(Ordering::Relaxed);
    let after_warm_up: Vec<f64> =
        samples.iter().filter(|(t, _)| *t >= elapsed / 3.0).map(|(_, m)| *m).collect();
    let low = after_warm_up.iter().copied().fold(f64::INFINITY, f64::min);
    let high = after_warm_up.iter().copied().fold(0.0, f64::max);
    let first = samples.first().map_or(0.0, |(_, m)| *m);
    println!("veeam-auth-mock soak (release binary, 127.0.0.1, {clients} clients, {elapsed:.0} s)");
    println!("  requests            {requests} ({:.0}/s)", requests as f64 / elapsed);
    println!("  unexpected answers  {errors}");
    println!(
        "  server memory (RSS) {first:.1} MB at 1 s; {low:.1}-{high:.1} MB after warm-up (spread {:.1} MB)",
        high - low
    );
    // The highest RSS of each 15 s window: growth shows as a rising series, a store's cap as a
    // saw-tooth around one level.
    let windows: Vec<String> = samples
        .chunk_by(|a, b| (a.0 / 15.0) as u64 == (b.0 / 15.0) as u64)
        .map(|window| format!("{:.1}", window.iter().map(|(_, m)| *m).fold(0.0, f64::max)))
        .collect();
    println!("  RSS per 15 s (MB)   {}", windows.join(" "));
    let peak_between = |from: f64, to: f64| {
        samples.iter().filter(|(t, _)| *t >= from && *t < to).map(|(_, m)| *m).fold(0.0, f64::max)
    };
    let growth =
        peak_between(elapsed * 2.0 / 3.0, f64::INFINITY) - peak_between(elapsed / 3.0, elapsed * 2.0 / 3.0);
    println!(
        "  growth              {growth:+.1} MB from the middle third's peak to the last third's (flat < {FLAT_MB} MB)"
    );
    let flat = growth < FLAT_MB;
    if errors > 0 || !flat {
        eprintln!("soak FAILED: {errors} unexpected answers, memory growth {growth:+.1} MB");
        std::process::exit(1);
    }
}

async fn vb365_round(client: &Client, base: &str, counters: &Counters) {
    let form = [
        ("grant_type", "password"),
        ("username", "Administrator"),
        ("password", "PassWord1"),
        ("disable_antiforgery_token", "true"),
    ];
    let login = client.post(format!("{base}/v8/token")).form(&form).send().await;
    let Some(pair) = json(counters.expect("vb365 login", login, StatusCode::OK)).await else { return };
    let (access, refresh) = tokens(&pair);
    for _ in 0..5 {
        let call = client.get(format!("{base}/v8/ServiceInstance")).bearer_auth(&access).send().await;
        drain(counters.expect("vb365 call", call, StatusCode::OK)).await;
    }
    let form = [("grant_type", "refresh_token"), ("refresh_token", refresh.as_str())];
    let renewed = client.post(format!("{base}/v8/token")).form(&form).send().await;
    let Some(pair) = json(counters.expect("vb365 refresh", renewed, StatusCode::OK)).await else { return };
    let (access, _) = tokens(&pair);
    let call = client.get(format!("{base}/v8/ServiceInstance")).bearer_auth(&access).send().await;
    drain(counters.expect("vb365 call", call, StatusCode::OK)).await;
    let logout = client.post(format!("{base}/v8/token/logout")).bearer_auth(&access).send().await;
    drain(counters.expect("vb365 logout", logout, StatusCode::NO_CONTENT)).await;
}

async fn azure_round(client: &Client, base: &str, counters: &Counters) {
    let form = [("grant_type", "Password"), ("username", "administrator"), ("password", "PassWord1")];
    let login = client.post(format!("{base}/api/oauth2/token")).form(&form).send().await;
    let Some(pair) = json(counters.expect("azure login", login, StatusCode::OK)).await else { return };
    let (access, refresh) = tokens(&pair);
    for _ in 0..5 {
        let call = client.get(format!("{base}/api/v8.1/system/about")).bearer_auth(&access).send().await;
        drain(counters.expect("azure call", call, StatusCode::OK)).await;
    }
    let form = [("grant_type", "Refresh_token"), ("refresh_token", refresh.as_str())];
    let renewed = client.post(format!("{base}/api/oauth2/token")).form(&form).send().await;
    let Some(pair) = json(counters.expect("azure refresh", renewed, StatusCode::OK)).await else { return };
    let (access, _) = tokens(&pair);
    let logout = client.delete(format!("{base}/api/oauth2/token")).bearer_auth(&access).send().await;
    drain(counters.expect("azure logout", logout, StatusCode::NO_CONTENT)).await;
}

async fn json(response: Option<reqwest::Response>) -> Option<Value> {
    response?.json().await.ok()
}

async fn drain(response: Option<reqwest::Response>) {
    if let Some(response) = response {
        let _ = response.bytes().await;
    }
}

fn tokens(pair: &Value) -> (String, String) {
    let text = |name: &str| pair[name].as_str().unwrap_or_default().to_owned();
    (text("access_token"), text("refresh_token"))
}

/// The release server on a free loopback port, killed when dropped.
struct Server {
    child: Child,
    uri: String,
}

impl Server {
    fn start() -> Server {
        let binary = env!("CARGO_BIN_EXE_veeam-auth-mock");
        let mut child = Command::new(binary)
            .args(["serve", "--host", "127.0.0.1", "--port", "0"])
            .env_remove("VEEAM_AUTH_MOCK_SCENARIO")
            .stdout(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let stdout = child.stdout.take().expect("piped");
        let line = BufReader::new(stdout).lines().next().and_then(Result::ok).unwrap_or_default();
        let uri = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected: {line}"))
            .to_owned();
        Server { child, uri }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
