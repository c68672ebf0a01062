#!/usr/bin/env bash
# What a test suite pays to depend on the mock: builds, side by side in one run, two throwaway
# one-test crates, each cold in its own target directory, and compares them.
#
#   mock      veeam-auth-mock by path, `default-features = false`, one test using MockServer
#   wiremock  wiremock 0.6, one test using its MockServer
#
# Both have the same test client and runtime (tokio with `macros` and the multi-threaded
# runtime, reqwest without TLS: what a test of an HTTP client would use), so the difference is
# the mock itself. Each runs `cargo test --no-run` from nothing (the registry's downloads are
# shared; nothing compiled is). Reports CPU time (user+sys of cargo and every compiler it ran),
# wall time and target-directory size of both, and the CPU ratio mock/wiremock.
#
#   bash benches/lean_build.sh [--check] [--limit RATIO] [--crate PATH] [--keep] [--timings DIR]
#
#   --check       exit 1 when the CPU ratio is above the limit
#   --limit RATIO the limit (default 1.5, the target of issue 12)
#   --crate PATH  the veeam-auth-mock source to measure (default: this repository), e.g. an
#                 older checkout made with `git worktree add` for a before/after comparison
#   --keep        keep the scratch directory (printed) instead of removing it
#   --timings DIR  also write cargo's --timings report of each build to DIR (mock.html,
#                 wiremock.html): which crates the difference is made of
#
# Takes a few minutes on 2 cores. On a shared machine, run it alone (e.g. under the same
# `flock` as other cargo commands): CPU time is steady under load, wall time is not.
# Versions are pinned by this repository's Cargo.lock where it has them, so two runs compare
# the same code; wiremock's own dependencies resolve to the newest compatible versions.
set -euo pipefail

limit=1.5
check=false
keep=false
timings=
crate=$(cd "$(dirname "$0")/.." && pwd)
while [ $# -gt 0 ]; do
    case "$1" in
        --check) check=true ;;
        --limit) limit=$2; shift ;;
        --keep) keep=true ;;
        --crate) crate=$(cd "$2" && pwd); shift ;;
        --timings) mkdir -p "$2"; timings=$(cd "$2" && pwd); shift ;;
        *) echo "usage: $0 [--check] [--limit RATIO] [--crate PATH] [--keep] [--timings DIR]" >&2; exit 2 ;;
    esac
    shift
done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/lean-build.XXXXXX")
if $keep; then echo "scratch: $scratch"; else trap 'rm -rf "$scratch"' EXIT; fi

# The dependencies both crates share: the runtime and the client a test would use.
common_deps='tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
reqwest = { version = "0.13", default-features = false }'

mkdir -p "$scratch/mock/tests" "$scratch/wiremock/tests"
cat >"$scratch/mock/Cargo.toml" <<EOF
[package]
name = "lean-mock"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dev-dependencies]
veeam-auth-mock = { path = "$crate", default-features = false }
$common_deps
EOF
cat >"$scratch/mock/tests/one.rs" <<'EOF'
use veeam_auth_mock::{MockServer, Scenario};

#[tokio::test]
async fn the_mock_answers_a_login() {
    let server = MockServer::start(Scenario::default()).await;
    let response = reqwest::Client::new()
        .post(format!("{}/v8/token", server.uri()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=password&username=Administrator&password=PassWord1")
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 200);
}
EOF
cat >"$scratch/wiremock/Cargo.toml" <<EOF
[package]
name = "lean-wiremock"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dev-dependencies]
wiremock = "0.6"
$common_deps
EOF
cat >"$scratch/wiremock/tests/one.rs" <<'EOF'
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_mock_answers_a_login() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v8/token"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let response = reqwest::Client::new()
        .post(format!("{}/v8/token", server.uri()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=password&username=Administrator&password=PassWord1")
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 200);
}
EOF
# Same versions as the repository where it has them (tokio, reqwest and their dependencies).
cp "$crate/Cargo.lock" "$scratch/mock/Cargo.lock"
cp "$crate/Cargo.lock" "$scratch/wiremock/Cargo.lock"

# Resolve and download first, so the timed builds measure compiling only.
for name in mock wiremock; do
    (cd "$scratch/$name" && cargo fetch --quiet)
done

# Runs `cargo test --no-run` cold in $1's own target directory; prints "cpu wall bytes".
measure() {
    local dir="$scratch/$1"
    local out
    out=$(cd "$dir" && CARGO_TARGET_DIR="$dir/target" CARGO_INCREMENTAL=0 \
        /usr/bin/time -f '%U %S %e' cargo test --no-run --quiet ${timings:+--timings} 2>&1 >/dev/null) || {
        echo "$out" >&2
        echo "lean_build: the $1 crate did not build" >&2
        exit 1
    }
    if [ -n "$timings" ]; then
        cp "$dir"/target/cargo-timings/cargo-timing.html "$timings/$1.html"
    fi
    local times
    times=$(printf '%s\n' "$out" | tail -n 1)
    local bytes
    bytes=$(du -sb "$dir/target" | cut -f1)
    awk -v t="$times" -v b="$bytes" 'BEGIN { split(t, x, " "); printf "%.1f %.1f %d\n", x[1] + x[2], x[3], b }'
}

echo "building the mock crate (cold)..." >&2
read -r mock_cpu mock_wall mock_bytes < <(measure mock)
echo "building the wiremock crate (cold)..." >&2
read -r wire_cpu wire_wall wire_bytes < <(measure wiremock)

ratio=$(awk -v a="$mock_cpu" -v b="$wire_cpu" 'BEGIN { printf "%.2f", a / b }')
mb() { awk -v b="$1" 'BEGIN { printf "%.0f MB", b / 1e6 }'; }
printf '%-34s %10s %10s %10s\n' "cargo test --no-run, cold" "CPU s" "wall s" "target"
printf '%-34s %10s %10s %10s\n' "veeam-auth-mock (no default feat.)" "$mock_cpu" "$mock_wall" "$(mb "$mock_bytes")"
printf '%-34s %10s %10s %10s\n' "wiremock 0.6" "$wire_cpu" "$wire_wall" "$(mb "$wire_bytes")"
printf 'CPU ratio mock/wiremock: %s (target at most %s)\n' "$ratio" "$limit"
if $check && awk -v r="$ratio" -v l="$limit" 'BEGIN { exit !(r > l) }'; then
    echo "lean_build: the mock costs more than ${limit}x wiremock" >&2
    exit 1
fi
