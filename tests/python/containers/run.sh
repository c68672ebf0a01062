#!/usr/bin/env bash
# The Testcontainers module (veeam_auth_mock.testcontainers) for real: the project's container
# image run through testcontainers-python and a Docker-compatible API, here Podman's (this machine
# kind has no Docker engine). Installs podman if it is missing; builds the image
# veeam-auth-mock:ci as tests/container/run.sh does when the vfs store lacks it (a static musl
# release build, about 5 min); starts `podman system service` on a private socket; installs the
# package with its `testcontainers` extra into a fresh venv (the wheel tests/python/run.sh left in
# target/wheels when it carries this checkout's Python sources, else one built here: a release
# build of the binary, about 5 min); and runs tests/python/containers with pytest.
# Everything is published on 127.0.0.1 only. Needs root with apt-get (for podman), python3 with
# venv, PyPI access and the Rust toolchain.
#
#   bash tests/python/containers/run.sh [pytest arguments, e.g. -k clock]        (from anywhere)
set -euo pipefail
cd "$(dirname "$0")/../../.."

image=veeam-auth-mock:ci
venv=target/python-containers-venv
build_venv=target/python-build-venv
suite=$PWD/tests/python/containers
run_id=veeam-auth-mock-tc-$$
work=$(mktemp -d)
# shellcheck source=tests/container/podman.sh
source tests/container/podman.sh
podman_settings "$work"

service_pid=""
cleanup() {
    local status=$?
    # Podman's service logs an error for every container with a HEALTHCHECK on hosts without
    # systemd (it cannot schedule the checks); its log is worth reading only when something failed.
    if [ "$status" != 0 ] && [ -s "$work/service.log" ]; then
        echo "== the last lines of podman system service's log"
        tail -n 30 "$work/service.log"
    fi
    # Containers a failed test left behind: only this run's, by the label the tests put on them.
    if type -P podman >/dev/null; then
        for id in $(podman ps -aq --filter "label=veeam-auth-mock.test-run=$run_id" 2>/dev/null); do
            podman rm -f "$id" >/dev/null 2>&1 || true
        done
    fi
    if [ -n "$service_pid" ]; then
        kill "$service_pid" 2>/dev/null || true
        wait "$service_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

ensure_podman testcontainers || exit 0

# The image: tests/container/run.sh builds it first in CI; build it here only when it is missing,
# with the same steps. Under a lock, so that two runs never build it at once.
(
    flock 9
    if podman image exists "$image"; then
        echo "== image $image: in the vfs store"
    else
        echo "== image $image: missing; building it (static musl release binary, then podman build)"
        # shellcheck disable=SC2016 # $1 is expanded by the inner bash, on purpose
        flock /tmp/cargo.lock bash -c 'source tests/container/podman.sh && build_image "$1"' _ "$image"
    fi
) 9>/tmp/veeam-auth-mock-image.lock

# The package: the wheel tests/python/run.sh built, when its Python sources are this checkout's;
# else a wheel built here the same way (maturin compiles the release binary: under the cargo lock).
wheel_is_current() {
    local wheels
    wheels=(target/wheels/veeam_auth_mock-*.whl)
    [ -f "${wheels[0]}" ] || return 1
    python3 - "${wheels[0]}" <<'PY'
import pathlib, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel:
    for source in pathlib.Path("python/veeam_auth_mock").iterdir():
        if source.is_file() and source.suffix in {".py", ".typed"}:
            name = f"veeam_auth_mock/{source.name}"
            if name not in wheel.namelist() or wheel.read(name) != source.read_bytes():
                sys.exit(1)
PY
}
if wheel_is_current; then
    echo "== the package: the wheel in target/wheels (its Python sources are this checkout's)"
else
    echo "== the package: building the wheel (pip wheel ., maturin, release build)"
    [ -x "$build_venv/bin/python" ] || python3 -m venv "$build_venv"
    rm -f target/wheels/veeam_auth_mock-*.whl
    CARGO_BUILD_JOBS=2 flock /tmp/cargo.lock "$build_venv/bin/python" -m pip wheel --quiet \
        --disable-pip-version-check --no-deps -w target/wheels .
fi
wheels=(target/wheels/veeam_auth_mock-*.whl)
wheel=${wheels[0]}

echo "== a fresh venv: the wheel with the testcontainers extra"
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${wheel}[testcontainers]" \
    -r "$suite/requirements.txt"
"$venv/bin/python" -m pip list --disable-pip-version-check 2>/dev/null | grep -iE '^(testcontainers|docker) '

echo "== podman system service on a private socket"
# Not through the podman() function: `$!` must be podman's own pid for the trap to stop it.
"$(type -P podman)" --storage-driver vfs system service --time=0 "unix://$work/podman.sock" \
    >"$work/service.log" 2>&1 &
service_pid=$!
# The service answers /_ping once it serves; wait for that (bounded), not for a fixed time.
for _ in $(seq 100); do
    curl -sf --unix-socket "$work/podman.sock" http://d/_ping >/dev/null 2>&1 && break
    kill -0 "$service_pid" 2>/dev/null || { echo "testcontainers: FAILED: podman system service exited"; exit 1; }
    sleep 0.1
done
curl -sf --unix-socket "$work/podman.sock" http://d/_ping >/dev/null \
    || { echo "testcontainers: FAILED: podman system service does not answer"; exit 1; }

export DOCKER_HOST="unix://$work/podman.sock"
# Ryuk (Testcontainers' reaper container) would be pulled from Docker Hub, and this machine
# reaches no container registry; the trap above removes what a failed run leaves instead.
export TESTCONTAINERS_RYUK_DISABLED=true
# This machine is itself a container (/.dockerenv): Testcontainers would then reach containers at
# the default gateway's address. The tests and the ports stay on loopback instead.
export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
export TESTCONTAINERS_CONNECTION_MODE=docker_host
export VEEAM_AUTH_MOCK_IMAGE="$image"
export VEEAM_AUTH_MOCK_REQUIRE_DOCKER=1
export VEEAM_AUTH_MOCK_TEST_RUN="$run_id"

echo "== pytest tests/python/containers"
# From outside the checkout, so that `import veeam_auth_mock` finds only the installed package.
(cd "$venv" && bin/python -m pytest -p no:cacheprovider --rootdir "$suite" "$suite" -v "$@")
