#!/usr/bin/env bash
# The compatibility suite: published Veeam client libraries (pinned, from PyPI) drive the mock's
# debug binary over HTTP and over HTTPS with the mock's self-signed certificate (once unverified,
# as users of a self-signed appliance run them, and once verified against the certificate the
# mock exports), as their users would; and, for veeam-365 and veeam-az, against a sample estate
# scenario (scenarios/vb365-estate.toml, scenarios/azure-estate.toml) whose declared routes must
# parse into the client's models across a clock move, a refresh and a logout. One section per
# client, transport and scenario; each starts its own mock on free loopback ports (start_mock) and
# stops it afterwards. The clients are installed into a
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

# start_mock [SCENARIO]: starts the mock on free HTTP and HTTPS ports; sets MOCK_URL,
# MOCK_HTTPS_URL, MOCK_CA (the certificate's PEM) and mock_pid.
start_mock() {
    cargo build --locked -j2 --quiet --bin veeam-auth-mock   # a no-op when up to date
    MOCK_CA="$work/mock.pem"
    local args=(serve --host 127.0.0.1 --port 0 --tls-port 0 --tls-cert-out "$MOCK_CA")
    if [ $# -gt 0 ]; then args+=(--scenario "$1"); fi
    "$binary" "${args[@]}" >"$work/mock.log" 2>&1 &
    mock_pid=$!
    for _ in $(seq 100); do
        MOCK_URL=$(sed -n 's/^listening on \(http:.*\)/\1/p' "$work/mock.log" | head -n1)
        MOCK_HTTPS_URL=$(sed -n 's/^listening on \(https:.*\)/\1/p' "$work/mock.log" | head -n1)
        [ -n "$MOCK_URL" ] && [ -n "$MOCK_HTTPS_URL" ] && return 0
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

# veeam-br speaks 1.2-rev1 to 1.3-rev2; the script runs the older revisions the default (13.1)
# serves, 1.1-rev0 to 1.2-rev0, through its 1.2-rev1 models with the revision in x-api-version.
section "veeam-br 0.5.1 (VBR REST API 1.1-rev0 to 1.3-rev2)"
start_mock
"$venv/bin/python" tests/compat/veeam_br_client.py "$MOCK_URL" | tee -a "$work/results"
stop_mock

section "veeam-365 0.4.1 against scenarios/vb365-estate.toml (declared routes, clock, refresh)"
start_mock scenarios/vb365-estate.toml
"$venv/bin/python" tests/compat/veeam_365_estate.py "$MOCK_URL" | tee -a "$work/results"
stop_mock

section "veeam-az 0.2.0 against scenarios/azure-estate.toml (declared routes, clock, refresh)"
start_mock scenarios/azure-estate.toml
"$venv/bin/python" tests/compat/veeam_az_estate.py "$MOCK_URL" | tee -a "$work/results"
stop_mock

section "veeam-365 0.4.1 over HTTPS (self-signed certificate, verify_ssl=False)"
start_mock
"$venv/bin/python" tests/compat/veeam_365_client.py "$MOCK_HTTPS_URL" v6 v7 v8 | tee -a "$work/results"
stop_mock

section "veeam-365 0.4.1 over HTTPS (verified against the exported certificate)"
start_mock
VEEAM_COMPAT_CA="$MOCK_CA" "$venv/bin/python" tests/compat/veeam_365_client.py "$MOCK_HTTPS_URL" v8 \
    | tee -a "$work/results"
stop_mock

section "veeam-az 0.2.0 over HTTPS (self-signed certificate, verify_ssl=False)"
start_mock
"$venv/bin/python" tests/compat/veeam_az_client.py "$MOCK_HTTPS_URL" | tee -a "$work/results"
stop_mock

section "veeam-az 0.2.0 over HTTPS (verified against the exported certificate)"
start_mock
VEEAM_COMPAT_CA="$MOCK_CA" "$venv/bin/python" tests/compat/veeam_az_client.py "$MOCK_HTTPS_URL" \
    | tee -a "$work/results"
stop_mock

section "veeam-br 0.5.1 over HTTPS (self-signed certificate, verify_ssl=False)"
start_mock
"$venv/bin/python" tests/compat/veeam_br_client.py "$MOCK_HTTPS_URL" | tee -a "$work/results"
stop_mock

section "veeam-br 0.5.1 over HTTPS (verified against the exported certificate)"
start_mock
VEEAM_COMPAT_CA="$MOCK_CA" "$venv/bin/python" tests/compat/veeam_br_client.py "$MOCK_HTTPS_URL" \
    | tee -a "$work/results"
stop_mock

section "the OpenAPI document against openapi-spec-validator 0.9.0 (OpenAPI 3.1 schema)"
# Its own venv: the validator's pins need not agree with the clients'.
spec_venv=target/openapi-venv
[ -x "$spec_venv/bin/python" ] || python3 -m venv "$spec_venv"
"$spec_venv/bin/python" -m pip install --quiet --disable-pip-version-check openapi-spec-validator==0.9.0
"$binary" openapi >"$work/openapi.json"
"$spec_venv/bin/openapi-spec-validator" "$work/openapi.json"
echo "openapi: the document validates ok" | tee -a "$work/results"

echo
echo "compat: $(grep -c ' ok' "$work/results") passed, 0 failed"
