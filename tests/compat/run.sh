#!/usr/bin/env bash
# Compatibility suite: drives real, published Veeam clients against the mock's debug binary.
# One section per client; each starts its own mock (start_mock) and stops it afterwards.
# Needs python3 with venv and access to PyPI (the clients are installed into a throwaway venv).
# Usage: bash tests/compat/run.sh   (from the repository root, after `cargo build`)
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
    cargo build --locked -j2 --quiet   # fresh binary (a no-op when up to date)
    local args=(serve --port 0)
    [ $# -gt 0 ] && args+=(--scenario "$1")
    "$binary" "${args[@]}" >"$work/mock.log" 2>&1 &
    mock_pid=$!
    for _ in $(seq 100); do
        MOCK_URL=$(grep -o 'listening on http://[0-9.:]*' "$work/mock.log" | head -n1 | sed 's/listening on //' || true)
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

# python_venv: a venv for the Python clients, reused across runs.
python_venv() {
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@"
}

section() { printf '\n==> compat: %s\n' "$*"; }

section "veeam-az 0.2.0 (VBAzure, PyPI)"
# The wheel does not declare attrs and python-dateutil, which its generated models import.
python_venv "veeam-az==0.2.0" attrs python-dateutil
start_mock
"$venv/bin/python" tests/compat/veeam_az_client.py "$MOCK_URL"
stop_mock

echo
echo "compat: all clients passed"
