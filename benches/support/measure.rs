//! What the CPU benchmarks share (`auth_cost`, `documents`): the server's CPU time read from
//! `/proc`, the cost of a number of operations, and the release server in a child process.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};

/// CPU time spent on some number of operations.
#[derive(Debug, Default)]
pub(crate) struct Cost {
    pub(crate) operations: u32,
    pub(crate) cpu_seconds: f64,
}

impl Cost {
    pub(crate) fn add(&mut self, other: Cost) {
        self.operations += other.operations;
        self.cpu_seconds += other.cpu_seconds;
    }

    pub(crate) fn micros_each(&self) -> f64 {
        self.cpu_seconds * 1e6 / f64::from(self.operations)
    }

    /// How many operations and how much CPU the figure rests on, to judge its resolution.
    pub(crate) fn basis(&self) -> String {
        format!("[{} ops, {:.2} s CPU]", self.operations, self.cpu_seconds)
    }
}

/// Reads CPU time (user + system) from `/proc`.
#[derive(Debug)]
pub(crate) struct CpuClock {
    ticks_per_second: f64,
}

impl CpuClock {
    pub(crate) fn new() -> CpuClock {
        CpuClock { ticks_per_second: clock_ticks_per_second() }
    }

    /// CPU time of every thread of process `pid`, live or exited, in seconds.
    pub(crate) fn process(&self, pid: u32) -> f64 {
        self.stat_seconds(&format!("/proc/{pid}/stat"))
    }

    /// CPU time of the calling thread, in seconds; nanosecond resolution where the kernel keeps
    /// scheduler statistics, clock ticks otherwise.
    pub(crate) fn thread(&self) -> f64 {
        match fs::read_to_string("/proc/thread-self/schedstat") {
            // The first field is the time spent running, in nanoseconds.
            Ok(text) => {
                let nanos: u64 = text
                    .split_whitespace()
                    .next()
                    .and_then(|field| field.parse().ok())
                    .expect("/proc/thread-self/schedstat starts with a number of nanoseconds");
                nanos as f64 / 1e9
            }
            Err(_) => self.stat_seconds("/proc/thread-self/stat"),
        }
    }

    /// `utime + stime` (fields 14 and 15) of a `/proc/.../stat` file, in seconds.
    fn stat_seconds(&self, path: &str) -> f64 {
        let text = fs::read_to_string(path).unwrap_or_else(|err| panic!("cannot read {path}: {err}"));
        // Field 2 is the command name in parentheses, which may hold spaces and parentheses, so
        // fields are counted from the last ')': the first after it is field 3.
        let (_, rest) = text.rsplit_once(')').unwrap_or_else(|| panic!("{path} has no command name"));
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks = |field: usize| -> u64 {
            fields
                .get(field - 3)
                .and_then(|value| value.parse().ok())
                .unwrap_or_else(|| panic!("{path}: field {field} is not a number of clock ticks"))
        };
        (ticks(14) + ticks(15)) as f64 / self.ticks_per_second
    }
}

/// `sysconf(_SC_CLK_TCK)` by way of `getconf` (no libc here); 100, the value on every common
/// Linux platform, if `getconf` is missing.
fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .filter(|output| output.status.success())
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(100.0)
}

/// A `veeam-auth-mock serve` child process on a free port of 127.0.0.1, killed when dropped
/// (also when a measurement panics).
#[derive(Debug)]
pub(crate) struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`, as the server printed it.
    pub(crate) uri: String,
}

impl Server {
    /// A server started with `extra` arguments after `serve`'s own.
    pub(crate) fn start_with(binary: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(binary)
            .args(["serve", "--host", "127.0.0.1", "--port", "0"])
            .args(extra)
            // The benchmark needs the embedded default scenario, whatever the environment says.
            .env_remove("VEEAM_AUTH_MOCK_SCENARIO")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {}: {err}", binary.display()));
        let stdout = child.stdout.take().expect("the child's stdout is piped");
        // Owned by the guard before waiting, so that a server that never gets ready is killed.
        let mut server = Server { child, uri: String::new() };
        server.uri = wait_until_listening(stdout, binary);
        server
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Errors mean the child has already exited, which is what we want anyway.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads the server's stdout up to its `listening on http://...` line and returns the address.
fn wait_until_listening(stdout: ChildStdout, binary: &Path) -> String {
    let mut lines = BufReader::new(stdout).lines();
    loop {
        let line = lines
            .next()
            .unwrap_or_else(|| panic!("{} exited before listening", binary.display()))
            .expect("the server's stdout is readable");
        if let Some(uri) = line.trim().strip_prefix("listening on ") {
            return uri.to_owned();
        }
    }
}
