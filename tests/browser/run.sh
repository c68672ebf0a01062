#!/usr/bin/env bash
# The browser test: Debian's headless Chromium, driven by playwright-core (no browser
# download), loads the mock's Swagger UI and landing page, signs in through both, calls a
# declared route and an operation of a loaded product document (`--openapi`) from Swagger UI
# after Authorize, checks the decoded token claims and the
# declared routes appear and that no request leaves 127.0.0.1, and saves screenshots to
# target/browser/*.png.
#
#   bash tests/browser/run.sh        (from anywhere; builds the debug binary if needed)
#
# Installs what it lacks: Debian's chromium (apt-get, when root) and playwright-core (pinned,
# npm, into target/browser-node).
set -euo pipefail
cd "$(dirname "$0")/../.."

PLAYWRIGHT_VERSION=1.65.1
binary=target/debug/veeam-auth-mock
node_dir=target/browser-node
out=target/browser
work=$(mktemp -d)
mock_pid=""

cleanup() {
    if [ -n "$mock_pid" ]; then
        kill "$mock_pid" 2>/dev/null || true
        wait "$mock_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "browser: installing Debian's chromium"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "browser: /usr/bin/chromium is missing; install Debian's chromium package" >&2
        exit 1
    fi
fi
chromium --version 2>/dev/null | head -n1 || true

installed=$(node -p "require('./$node_dir/node_modules/playwright-core/package.json').version" 2>/dev/null || true)
if [ "$installed" != "$PLAYWRIGHT_VERSION" ]; then
    echo "browser: installing playwright-core $PLAYWRIGHT_VERSION into $node_dir"
    mkdir -p "$node_dir"
    [ -f "$node_dir/package.json" ] || echo '{"private": true}' >"$node_dir/package.json"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$node_dir" --no-audit --no-fund --silent \
        "playwright-core@$PLAYWRIGHT_VERSION"
fi

cargo build --locked -j2 --quiet --bin veeam-auth-mock   # a no-op when up to date
# The default scenario plus one declared route, which Swagger UI and the landing page must list.
cat scenarios/default.toml - >"$work/scenario.toml" <<'EOF'

[[routes]]
name = "jobs"
path = "/v8/Jobs"
items = [ { id = "6f9a1d2e-0c5b-4d8e-9b1a-3c2d4e5f6a7b", name = "Daily backup" } ]
EOF
# A product document of the test's own (tests/browser/jobsessions.json, `--openapi`): Swagger UI
# must list it beside the mock's, and "Try it out" must reach it after Authorize.
"$binary" serve --host 127.0.0.1 --port 0 --tls-port 0 --scenario "$work/scenario.toml" \
    --openapi tests/browser/jobsessions.json >"$work/mock.log" 2>&1 &
mock_pid=$!
http_url="" https_url=""
for _ in $(seq 100); do
    http_url=$(sed -n 's/^listening on \(http:.*\)/\1/p' "$work/mock.log" | head -n1)
    https_url=$(sed -n 's/^listening on \(https:.*\)/\1/p' "$work/mock.log" | head -n1)
    [ -n "$http_url" ] && [ -n "$https_url" ] && break
    kill -0 "$mock_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$http_url" ] || [ -z "$https_url" ]; then
    echo "browser: the mock did not start:" >&2
    cat "$work/mock.log" >&2
    exit 1
fi

mkdir -p "$out"
PLAYWRIGHT_CORE="$PWD/$node_dir/node_modules/playwright-core" \
    node tests/browser/check.js "$http_url" "$https_url" "$out"
