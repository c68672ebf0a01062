#!/usr/bin/env bash
# Installs the benchmark's peers (pinned) into target/peers: oauth2-mock-server (node) and the
# WireMock standalone jar (from the npm package `wiremock`, run with the machine's java).
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p target/peers
cd target/peers
[ -f package.json ] || echo '{"private": true}' > package.json
npm install --silent --no-audit --no-fund oauth2-mock-server@9.3.0 wiremock@3.13.2
cp "$OLDPWD/benches/peers/oauth2-mock-server.mjs" .
