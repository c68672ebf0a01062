#!/usr/bin/env bash
# Builds the container image from the static release binary and checks it for real: the
# container starts, passes its HEALTHCHECK command, and answers a VB365 login over the published
# port. Uses podman (Debian's package; this machine has no Docker engine), with the two settings
# this host needs passed through CONTAINERS_CONF, vfs storage, and only loopback networking.
#
#   bash tests/container/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

image=veeam-auth-mock:ci
name=veeam-auth-mock-ci-$$
work=$(mktemp -d)
# shellcheck source=tests/container/podman.sh
source tests/container/podman.sh
podman_settings "$work"
cleanup() {
    podman rm -f "$name" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

ensure_podman container || exit 0
echo "== podman build (runtime stage from the prebuilt static binary)"
build_image "$image"
size=$(podman image inspect "$image" --format '{{.Size}}')
echo "image size: $((size / 1024 / 1024)) MB"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
podman run -d --name "$name" -p "127.0.0.1:$port:8080" "$image" >/dev/null
for _ in $(seq 50); do
    podman exec "$name" /veeam-auth-mock health >/dev/null 2>&1 && break
    sleep 0.2
done

passed=0
check() { echo "container: ok: $1"; passed=$((passed + 1)); }
# The image binds 0.0.0.0 with the admin API open: the mock must say so on stderr. podman's log
# file can lag the container's output by a moment, so it is read again until the line is there.
warned=""
for _ in $(seq 25); do
    if podman logs "$name" 2>&1 | grep -qF "warning: the admin API (/__mock/...) is served on 0.0.0.0 without a token"; then
        warned=yes
        break
    fi
    sleep 0.2
done
[ -n "$warned" ] || { echo "container: FAILED: no warning about the open admin API"; podman logs "$name"; exit 1; }
check "the image warns at start that its admin API has no token"
podman exec "$name" /veeam-auth-mock health >/dev/null && check "the HEALTHCHECK command passes inside the container"
[ "$(podman exec "$name" /veeam-auth-mock --version)" != "" ] && check "the binary runs as user $(podman image inspect "$image" --format '{{.Config.User}}')"
body=$(curl -sf -X POST "http://127.0.0.1:$port/v8/token" \
    -d 'grant_type=password&username=Administrator&password=PassWord1&disable_antiforgery_token=true')
access=$(printf '%s' "$body" | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
check "a login over the published port returns a token pair"
curl -sf "http://127.0.0.1:$port/v8/ServiceInstance" -H "Authorization: Bearer $access" >/dev/null
check "the token is accepted by a protected call"
podman exec "$name" /veeam-auth-mock validate /scenarios/vb365.toml >/dev/null
check "the sample scenarios ship in the image"
curl -sf -X POST "http://127.0.0.1:$port/__mock/faults" -d '{"endpoint":"vb365.token","status":503,"times":1}' >/dev/null
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/v8/token" \
    -d 'grant_type=password&username=Administrator&password=PassWord1')
[ "$status" = 503 ] || { echo "container: FAILED: a fault added over the admin API answered $status"; exit 1; }
check "a fault added over the admin API is in force"
echo "container: $passed passed, 0 failed"
