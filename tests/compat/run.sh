#!/usr/bin/env bash
# The compatibility suite: published Veeam client libraries (pinned, from PyPI) drive the mock's
# debug binary over HTTP, as their users would. One section per client; each starts its own mock
# on a free loopback port (start_mock) and stops it afterwards. The clients are installed into a
# throwaway venv under target/. Needs python3 with venv and access to PyPI.
#
#   bash tests/compat/run.sh        (from anywhere; builds the binary if needed)
#
# Each client script prints one "... ok" line per check and exits non-zero at the first failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

binary=target/debug/veeam-auth-mock
venv=target/compat-venv
work=$(mktemp -d)
mock_pid=""

cleanup() {
    stop_mock
    rm -rf "$work"
}
trap cleanup EXIT

# start_mock [SCENARIO]: starts the mock on a free port; sets MOCK_URL and mock_pid.
start_mock() {
    cargo build --locked -j2 --quiet --bin veeam-auth-mock   # a no-op when up to date
    local args=(serve --host 127.0.0.1 --port 0)
    if [ $# -gt 0 ]; then args+=(--scenario "$1"); fi
    "$binary" "${args[@]}" >"$work/mock.log" 2>&1 &
    mock_pid=$!
    for _ in $(seq 100); do
        MOCK_URL=$(sed -n 's/^listening on //p' "$work/mock.log" | head -n1)
        [ -n "$MOCK_URL" ] && return 0
        kill -0 "$mock_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "the mock did not start:" >&2
    cat "$work/mock.log" >&2
    return 1
}

stop_mock() {
    if [ -n "$mock_pid" ]; then
        kill "$mock_pid" 2>/dev/null || true
        wait "$mock_pid" 2>/dev/null || true
        mock_pid=""
    fi
}

section() { printf '\n==> compat: %s\n' "$*"; }

[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/compat/requirements.txt

section "veeam-365 0.4.1 (VB365 REST API v6, v7, v8)"
start_mock
"$venv/bin/python" tests/compat/veeam_365_client.py "$MOCK_URL" v6 v7 v8 | tee -a "$work/results"
stop_mock

section "veeam-az 0.2.0 (VBAzure)"
start_mock
"$venv/bin/python" tests/compat/veeam_az_client.py "$MOCK_URL" | tee -a "$work/results"
stop_mock

echo
echo "compat: $(grep -c ' ok' "$work/results") passed, 0 failed"
