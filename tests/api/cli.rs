//! The binary: `serve` prints where it listens and serves; `validate` reports every problem.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_veeam-auth-mock");

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn validate_accepts_good_files() {
    let sample = format!("{}/scenarios/vb365.toml", env!("CARGO_MANIFEST_DIR"));
    let output =
        Command::new(BIN).args(["validate", &sample, &fixture("frozen.toml")]).output().expect("runs");

    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("vb365.toml: ok") && stdout.contains("frozen.toml: ok"), "{stdout}");
}

#[test]
fn validate_prints_every_problem_and_exits_1() {
    let bad = fixture("invalid.toml");
    let output = Command::new(BIN).args(["validate", &bad]).output().expect("runs");

    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(lines[0].ends_with("invalid.toml: line 2: clock.mode: unknown clock mode `sideways`; expected \"frozen\", \"ticking\" or \"offset\""), "{stdout}");
    assert!(lines[1].contains("line 5: vb365.access_token_lifetime: `3600` has no unit"), "{stdout}");
    assert!(lines[2].contains("line 9: vb365.users[0].password: a password cannot be empty"), "{stdout}");
}

#[test]
fn validate_reports_unreadable_files_and_unknown_keys() {
    let dir = std::env::temp_dir().join(format!("vam-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let typo = dir.join("typo.toml");
    std::fs::write(&typo, "[vb365]\nacess_token_lifetime = \"1h\"\n").expect("write");
    let missing = dir.join("missing.toml");

    let output = Command::new(BIN).arg("validate").args([&typo, &missing]).output().expect("runs");

    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("typo.toml: line 2: unknown field `acess_token_lifetime`, expected one of"),
        "{stdout}"
    );
    assert!(stdout.contains("missing.toml: cannot read:"), "{stdout}");
    let _ = std::fs::remove_dir_all(dir);
}

/// Kills the child server when the test ends, however it ends.
pub(crate) struct Running(pub(crate) Child);

impl Running {
    /// Starts the binary (stdout piped) and reads its first `count` lines, such as the
    /// `listening on ...` lines of `serve`.
    pub(crate) fn start(command: &mut Command, count: usize) -> (Running, Vec<String>) {
        let mut child = Running(command.stdout(Stdio::piped()).spawn().expect("starts"));
        let mut stdout = BufReader::new(child.0.stdout.take().expect("piped"));
        let lines = (0..count)
            .map(|_| {
                let mut line = String::new();
                stdout.read_line(&mut line).expect("a line");
                line
            })
            .collect();
        (child, lines)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_prints_its_address_and_answers_a_login() {
    let mut child = Running(
        Command::new(BIN).args(["serve", "--port", "0"]).stdout(Stdio::piped()).spawn().expect("starts"),
    );
    let stdout = child.0.stdout.take().expect("piped");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("a line");
    let uri = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("unexpected: {line}"));
    assert!(uri.starts_with("http://127.0.0.1:"), "{uri}");

    let response = reqwest::blocking::Client::new()
        .post(format!("{uri}/v8/token"))
        .form(&[("grant_type", "password"), ("username", r"TECH\administrator"), ("password", "PassWord1")])
        .send()
        .expect("sent");

    assert_eq!(response.status(), reqwest::StatusCode::OK);
}

#[test]
fn serve_with_a_bad_scenario_exits_2_with_the_cause() {
    let output = Command::new(BIN)
        .args(["serve", "--port", "0"])
        .env("VEEAM_AUTH_MOCK_SCENARIO", fixture("invalid.toml"))
        .output()
        .expect("runs");

    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("veeam-auth-mock: cannot load the scenario: "), "{stderr}");
    assert!(stderr.contains("3 problem(s)") && stderr.contains("vb365.users[0].password"), "{stderr}");
}

/// Starts `serve --port 0` with extra arguments and environment; returns the child and its URI.
fn serve(args: &[&str], env: &[(&str, &str)]) -> (Running, String) {
    let mut command = Command::new(BIN);
    command.args(["serve", "--port", "0"]).args(args).stderr(Stdio::null());
    for (name, value) in env {
        command.env(name, value);
    }
    let (child, lines) = Running::start(&mut command, 1);
    let line = &lines[0];
    let uri =
        line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("unexpected: {line}")).to_owned();
    (child, uri)
}

#[test]
fn the_admin_token_comes_from_the_environment() {
    let (_child, uri) = serve(&[], &[("VEEAM_AUTH_MOCK_ADMIN_TOKEN", "s3cret")]);
    let client = reqwest::blocking::Client::new();
    let refused = client.get(format!("{uri}/__mock/clock")).send().expect("sent");
    assert_eq!(refused.status(), reqwest::StatusCode::UNAUTHORIZED);
    let allowed = client.get(format!("{uri}/__mock/clock")).bearer_auth("s3cret").send().expect("sent");
    assert_eq!(allowed.status(), reqwest::StatusCode::OK);
}

#[test]
fn health_exits_0_for_a_running_mock_and_2_for_none() {
    let (_child, uri) = serve(&["--no-admin"], &[]);
    let port = uri.rsplit(':').next().expect("a port");
    let output = Command::new(BIN).args(["health", "--port", port]).output().expect("runs");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("healthy: HTTP 404"), "{output:?}");

    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let free = closed.local_addr().expect("address").port().to_string();
    drop(closed);
    let output = Command::new(BIN).args(["health", "--port", &free]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot connect"), "{output:?}");
}

#[test]
fn watch_reloads_a_changed_scenario_and_keeps_the_old_one_when_the_new_is_invalid() {
    let dir = std::env::temp_dir().join(format!("vam-watch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("scenario.toml");
    let user = |name: &str| format!("[[vb365.users]]\nusername = \"{name}\"\npassword = \"pw\"\n");
    std::fs::write(&file, user("first")).expect("write");
    let path = file.to_string_lossy().into_owned();
    let (_child, uri) = serve(&["--scenario", &path, "--watch"], &[]);
    let client = reqwest::blocking::Client::new();
    let users = || -> String {
        let body: serde_json::Value =
            client.get(format!("{uri}/__mock/users")).send().expect("sent").json().expect("JSON");
        body["vb365"][0]["username"].as_str().unwrap_or_default().to_owned()
    };
    // The watcher polls twice a second; give it up to 10 s before calling the reload lost.
    let eventually = |wanted: &str, tries: usize| {
        (0..tries).any(|_| {
            let seen = users() == wanted;
            if !seen {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            seen
        })
    };
    assert_eq!(users(), "first");

    std::fs::write(&file, user("second") + "# a longer file, so the size changes too\n").expect("write");
    assert!(eventually("second", 100), "the new scenario was loaded");

    std::fs::write(&file, user("third") + "[vb365]\naccess_token_lifetime = \"soon\"\n").expect("write");
    // Four polls of the watcher: long enough for a reload that should not happen.
    assert!(!eventually("third", 20), "an invalid file is not loaded");
    assert_eq!(users(), "second");
    let _ = std::fs::remove_dir_all(dir);
}

/// Starts `serve --port 0 --no-tls` with `args`, waits until it listens, stops it, and returns
/// what it wrote on stderr by then.
fn stderr_of_serve(args: &[&str]) -> String {
    use std::io::Read;
    let mut command = Command::new(BIN);
    command.args(["serve", "--port", "0", "--no-tls"]).args(args).stderr(Stdio::piped());
    command.env_remove("VEEAM_AUTH_MOCK_ADMIN_TOKEN").env_remove("VEEAM_AUTH_MOCK_NO_ADMIN");
    let (mut child, lines) = Running::start(&mut command, 1);
    assert!(lines[0].starts_with("listening on http://"), "{lines:?}");
    let _ = child.0.kill();
    let mut stderr = String::new();
    child.0.stderr.take().expect("piped").read_to_string(&mut stderr).expect("stderr");
    stderr
}

const EXPOSED: &str = "veeam-auth-mock: warning: the admin API (/__mock/...) is served on 0.0.0.0 without a \
    token: anyone who can reach this port can change the mock, and /__mock/users shows every password. \
    Protect it with --admin-token <token> (or VEEAM_AUTH_MOCK_ADMIN_TOKEN), or turn it off with --no-admin \
    (VEEAM_AUTH_MOCK_NO_ADMIN=true).\n";

#[test]
fn an_open_admin_api_on_a_non_loopback_address_is_warned_about() {
    // Port 0 on 0.0.0.0: only loopback talks to it, and only to see it listen.
    assert_eq!(stderr_of_serve(&["--host", "0.0.0.0"]), EXPOSED);
    assert_eq!(stderr_of_serve(&["--host", "127.0.0.1"]), "");
    assert_eq!(stderr_of_serve(&["--host", "0.0.0.0", "--admin-token", "s3cret"]), "");
    assert_eq!(stderr_of_serve(&["--host", "0.0.0.0", "--no-admin"]), "");
}

/// Runs `command` to its end, or fails the test if it is still running (serving) after `limit`.
fn exit_within(command: &mut Command, limit: std::time::Duration) -> std::process::Output {
    let mut child = Running(command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("starts"));
    let started = std::time::Instant::now();
    while child.0.try_wait().expect("waits").is_none() {
        assert!(started.elapsed() < limit, "still running after {limit:?}: it serves");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let Running(inner) = &mut child;
    let mut output = std::process::Output {
        status: inner.wait().expect("exited"),
        stdout: Vec::new(),
        stderr: Vec::new(),
    };
    use std::io::Read;
    let _ = inner.stdout.take().expect("piped").read_to_end(&mut output.stdout);
    let _ = inner.stderr.take().expect("piped").read_to_end(&mut output.stderr);
    output
}

/// `serve` with `args` (and the admin token variable set to `env`, or unset) exits 2 at once
/// with exactly `message` on stderr and nothing on stdout.
fn assert_refused_at_start(args: &[&str], env: Option<&str>, message: &str) {
    let mut command = Command::new(BIN);
    command.args(["serve", "--port", "0", "--no-tls"]).args(args);
    match env {
        Some(value) => command.env("VEEAM_AUTH_MOCK_ADMIN_TOKEN", value),
        None => command.env_remove("VEEAM_AUTH_MOCK_ADMIN_TOKEN"),
    };
    let output = exit_within(&mut command, std::time::Duration::from_secs(10));
    assert_eq!(output.status.code(), Some(2), "{args:?} {env:?}: {output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stderr), message, "{args:?} {env:?}");
    assert!(output.stdout.is_empty(), "{args:?} {env:?}: nothing was served");
}

#[test]
fn an_admin_token_no_client_could_send_is_refused_at_start() {
    let refused = |problem: &str| {
        format!(
            "veeam-auth-mock: the admin token (--admin-token or VEEAM_AUTH_MOCK_ADMIN_TOKEN) {problem}; \
             give another token, unset it, or turn the admin API off with --no-admin\n"
        )
    };
    let padded =
        "starts or ends with white space, which HTTP strips from a header, so no client could send it";
    let foreign = "holds a character no client can send in a header (only visible ASCII, spaces and tabs)";
    for (args, env, problem) in [
        (vec!["--admin-token", " s3cret"], None, padded),
        (vec!["--admin-token", "s3cret\n"], None, padded),
        (vec![], Some("s3cret "), padded),
        (vec!["--admin-token", "s\u{f6}cret"], None, foreign),
        (vec!["--admin-token", "s3\u{7}cret"], None, foreign),
    ] {
        assert_refused_at_start(&args, env, &refused(problem));
    }
}

#[test]
fn an_empty_or_blank_admin_token_is_refused_at_start() {
    let refused = "veeam-auth-mock: the admin token (--admin-token or VEEAM_AUTH_MOCK_ADMIN_TOKEN) is empty; \
                   give a token, unset it, or turn the admin API off with --no-admin\n";
    for (args, env) in [
        (vec!["--admin-token", ""], None),
        (vec!["--admin-token", "  "], None),
        (vec![], Some("")),
        (vec![], Some(" \t")),
    ] {
        assert_refused_at_start(&args, env, refused);
    }
}

/// A scenario with one VB365 user of its own, so a login proves which scenario is in force.
const INLINE_SCENARIO: &str = "[[vb365.users]]\nusername = \"inline\"\npassword = \"From-The-Env1\"\n";

fn v8_login(uri: &str, username: &str, password: &str) -> reqwest::StatusCode {
    reqwest::blocking::Client::new()
        .post(format!("{uri}/v8/token"))
        .form(&[("grant_type", "password"), ("username", username), ("password", password)])
        .send()
        .expect("sent")
        .status()
}

#[test]
fn an_inline_scenario_comes_from_the_environment_or_the_flag() {
    let (_child, uri) = serve(&[], &[("VEEAM_AUTH_MOCK_SCENARIO_TOML", INLINE_SCENARIO)]);
    assert_eq!(v8_login(&uri, "inline", "From-The-Env1"), reqwest::StatusCode::OK);
    assert_eq!(v8_login(&uri, "Administrator", "PassWord1"), reqwest::StatusCode::BAD_REQUEST);

    let (_child, uri) = serve(&["--scenario-toml", INLINE_SCENARIO], &[]);
    assert_eq!(v8_login(&uri, "inline", "From-The-Env1"), reqwest::StatusCode::OK);
}

#[test]
fn an_invalid_inline_scenario_exits_2_with_its_problems_and_a_file_conflicts_with_it() {
    let output = Command::new(BIN)
        .args(["serve", "--port", "0"])
        .env("VEEAM_AUTH_MOCK_SCENARIO_TOML", "[vb365]\nacess_token_lifetime = \"1h\"\n")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(
            "veeam-auth-mock: cannot load the scenario in --scenario-toml (VEEAM_AUTH_MOCK_SCENARIO_TOML): "
        ),
        "{stderr}"
    );
    assert!(stderr.contains("line 2: unknown field `acess_token_lifetime`"), "{stderr}");

    let sample = format!("{}/scenarios/vb365.toml", env!("CARGO_MANIFEST_DIR"));
    let output = Command::new(BIN)
        .args(["serve", "--port", "0", "--scenario", &sample, "--scenario-toml", INLINE_SCENARIO])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot be used with"), "{output:?}");
}

#[test]
fn default_scenario_prints_the_embedded_scenario() {
    let output = Command::new(BIN).arg("default-scenario").output().expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let file = format!("{}/scenarios/default.toml", env!("CARGO_MANIFEST_DIR"));
    let expected = std::fs::read_to_string(file).expect("the default scenario");
    assert_eq!(String::from_utf8_lossy(&output.stdout), expected);
}

#[test]
fn stop_with_stdin_stops_the_mock_when_its_launcher_closes_the_pipe() {
    let mut child = Command::new(BIN)
        .args(["serve", "--port", "0", "--no-tls", "--stop-with-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("piped")).read_line(&mut line).expect("a line");
    let uri =
        line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("unexpected: {line}")).to_owned();
    assert_eq!(v8_login(&uri, "Administrator", "PassWord1"), reqwest::StatusCode::OK, "it serves meanwhile");

    drop(child.stdin.take()); // what the launcher's death does to the pipe
    let pid = child.id();
    let (done, exited) = std::sync::mpsc::channel();
    std::thread::spawn(move || done.send(child.wait().map(|status| status.code())));
    let status = exited.recv_timeout(std::time::Duration::from_secs(10));
    if status.is_err() {
        let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
    }
    assert_eq!(status.expect("it stopped within 10 s").expect("waited"), Some(0));
}

#[test]
fn no_tls_wins_over_a_tls_port_from_the_environment_as_the_image_sets_one() {
    let mut command = Command::new(BIN);
    command
        .args(["serve", "--port", "0"])
        .env("VEEAM_AUTH_MOCK_TLS_PORT", "4443")
        .env("VEEAM_AUTH_MOCK_NO_TLS", "true")
        .stdin(Stdio::null());
    let (_child, lines) = Running::start(&mut command, 1);
    assert!(lines[0].starts_with("listening on http://127.0.0.1:"), "{lines:?}");
    let uri = lines[0].trim().trim_start_matches("listening on ");
    assert_eq!(v8_login(uri, "Administrator", "PassWord1"), reqwest::StatusCode::OK);
}
