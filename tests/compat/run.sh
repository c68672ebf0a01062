#!/usr/bin/env bash
# The compatibility suite: published client libraries (pinned, from PyPI) drive the mock binary
# over HTTP, as their users would. Installs the clients into a throwaway venv, starts the debug
# binary on a free loopback port, runs each client script, and stops the server.
#
#   bash tests/compat/run.sh            # every client
#
# Each script prints one "... ok" line per check and exits non-zero on the first failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
venv="${COMPAT_VENV:-$root/target/compat-venv}"
bin="$root/target/debug/veeam-auth-mock"
log=$(mktemp)
server_pid=""

cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -f "$log"
}
trap cleanup EXIT

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/tests/compat/requirements.txt"
[ -x "$bin" ] || cargo build --locked -j2 --bin veeam-auth-mock --manifest-path "$root/Cargo.toml"

# Starts the mock on a free port and sets $uri once it accepts connections.
start_mock() {
    "$bin" serve --host 127.0.0.1 --port 0 >"$log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do
        uri=$(sed -n 's/^listening on //p' "$log")
        [ -n "$uri" ] && return 0
        sleep 0.05
    done
    echo "the mock did not start:" >&2
    cat "$log" >&2
    exit 1
}

start_mock
results=$(mktemp)
echo "== veeam-365 (VB365 REST API v6, v7, v8) against $uri"
"$venv/bin/python" "$root/tests/compat/veeam_365_client.py" "$uri" v6 v7 v8 | tee -a "$results"

passed=$(grep -c ' ok$' "$results" || true)
rm -f "$results"
echo "compat: $passed passed, 0 failed"
