//! How long a test waits for an in-process mock: `MockServer::start_blocking` until the first
//! answer (`GET /v8/Health` over a plain socket) is read, in whatever profile this is built in.
//! Run it as a user's `cargo test` would build it, in debug: `cargo run --example startup`.
//! Prints the median, the fastest and the slowest of 50 starts.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use veeam_auth_mock::{MockServer, Scenario};

const STARTS: usize = 50;
const TARGET: Duration = Duration::from_millis(2);

fn main() {
    let scenario = Scenario::default();
    // One start first: the process's own one-time costs (the key, the thread pool) are not a
    // test's.
    drop(MockServer::start_blocking(scenario.clone()));
    let mut returned = Vec::new();
    let mut times: Vec<Duration> = (0..STARTS)
        .map(|_| {
            let started = Instant::now();
            let server = MockServer::start_blocking(scenario.clone());
            returned.push(started.elapsed());
            first_answer(&server);
            let elapsed = started.elapsed();
            drop(server);
            elapsed
        })
        .collect();
    times.sort();
    returned.sort();
    let median = times[STARTS / 2];
    let verdict = if median < TARGET { "met" } else { "NOT MET" };
    println!(
        "MockServer::start_blocking to first answer ({} build, {STARTS} starts): median {:.2} ms, min {:.2} ms, max {:.2} ms (target < {} ms: {verdict})",
        if cfg!(debug_assertions) { "debug" } else { "release" },
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[STARTS - 1].as_secs_f64() * 1e3,
        TARGET.as_millis(),
    );
    println!(
        "  of which start_blocking returning: median {:.2} ms",
        returned[STARTS / 2].as_secs_f64() * 1e3
    );
}

fn first_answer(server: &MockServer) {
    let mut stream = TcpStream::connect(server.address()).expect("connected");
    stream.write_all(b"GET /v8/Health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").expect("sent");
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).expect("an answer");
    assert_eq!(&head[9..12], b"200", "{}", String::from_utf8_lossy(&head));
}
