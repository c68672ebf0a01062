#!/usr/bin/env bash
# The Python start benchmark (issue 15): how long the `veeam_mock` fixture's VeeamMock.start()
# takes until the mock is ready, beside WireMock's Python module (PyPI `wiremock`, which runs the
# standalone JAR it ships with java) until it answers; median of 50 starts of each, one run.
#
#   bash benches/python_start.sh [--starts N] [--check] [--allow-missing-java]
#
# The arguments go to benches/python_start.py (see there for what is measured). It:
#   - makes a venv under target/ with the pinned `wiremock` package (the mock's package is
#     pure Python and needs nothing: it is imported from python/ of this checkout);
#   - installs a Java runtime with apt-get (Debian's default-jre-headless) when `java` is
#     missing, and says how long that took;
#   - picks the mock's executable: $VEEAM_AUTH_MOCK_BIN, else the one the wheel installed
#     into target/python-venv (tests/python/run.sh), else target/release, else target/debug
#     (built when missing).
# Needs python3 with venv and PyPI access; root with apt-get only when java is missing.
# About 1.5 min for 50 starts of each on 2 cores, nearly all of it WireMock's.
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned: the module's start/poll code and the JAR it ships (2.35.1) are what is measured.
wiremock_version=2.7.0
venv=target/bench-python-venv

if ! command -v java >/dev/null 2>&1; then
    echo "== no java: installing Debian's default-jre-headless"
    started=$(date +%s%N)
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null
    echo "java installed in $(( ($(date +%s%N) - started) / 1000000 )) ms (apt-get update and install): $(java -version 2>&1 | head -n1)"
fi

echo "== venv $venv with wiremock==$wiremock_version"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "wiremock==$wiremock_version"

if [ -z "${VEEAM_AUTH_MOCK_BIN:-}" ]; then
    for candidate in target/python-venv/bin/veeam-auth-mock target/release/veeam-auth-mock; do
        if [ -x "$candidate" ]; then VEEAM_AUTH_MOCK_BIN=$PWD/$candidate; break; fi
    done
fi
if [ -z "${VEEAM_AUTH_MOCK_BIN:-}" ]; then
    [ -x target/debug/veeam-auth-mock ] || cargo build --locked -j2 --quiet --bin veeam-auth-mock
    VEEAM_AUTH_MOCK_BIN=$PWD/target/debug/veeam-auth-mock
fi
export VEEAM_AUTH_MOCK_BIN

echo "== the benchmark"
PYTHONPATH=$PWD/python "$venv/bin/python" benches/python_start.py "$@"
