#!/usr/bin/env bash
# The official-document oracle: drives every operation of Veeam's official OpenAPI documents
# that the mock serves (VB365 v6, v7, v8 and VBAzure v8.1: 43 operations) against the debug
# binary, and validates statuses, content types and bodies against the documents
# (tests/official/oracle.py; its DEVIATIONS table lists the mock's documented deviations).
#
#   bash tests/official/run.sh        (from anywhere; builds the binary if needed)
#
# The documents are Veeam's and are never part of this repository: they are read from
# ${VEEAM_OFFICIAL_DOCS:-<repo>/../shared/spec/openapi/official}, and seed 001 from
# ${VEEAM_AUTH_MOCK_SEEDS:-<repo>/../shared/seeds}. Without them (a clone without
# ../shared) the script prints "skipped: ..." and exits 0. Needs python3 with venv and PyPI
# access (openapi-schema-validator, pinned in requirements.txt, in a venv under target/).
set -euo pipefail
cd "$(dirname "$0")/../.."

docs=${VEEAM_OFFICIAL_DOCS:-$PWD/../shared/spec/openapi/official}
for document in vb365_rest_v6.json vb365_rest_v7.json vb365_rest_v8.json vbaz_rest_v8.1.json; do
    if [ ! -f "$docs/$document" ]; then
        echo "official: skipped: $docs/$document not found (set VEEAM_OFFICIAL_DOCS to the documents' folder)"
        exit 0
    fi
done

binary=target/debug/veeam-auth-mock
venv=target/official-venv
work=$(mktemp -d)
pids=()
MOCK_URL=""

cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

# start_mock NAME SCENARIO: starts the mock on a free loopback port; sets MOCK_URL (not in a
# command substitution, so that the mock stays this shell's child and cleanup stops it).
start_mock() {
    local log="$work/$1.log"
    "$binary" serve --host 127.0.0.1 --port 0 --no-tls --scenario "$2" >"$log" 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do
        MOCK_URL=$(sed -n 's/^listening on \(http:.*\)/\1/p' "$log" | head -n1)
        [ -n "$MOCK_URL" ] && return 0
        kill -0 "${pids[-1]}" 2>/dev/null || break
        sleep 0.1
    done
    echo "the mock did not start:" >&2
    cat "$log" >&2
    return 1
}

[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/official/requirements.txt
cargo build --locked -j2 --quiet --bin veeam-auth-mock   # a no-op when up to date

# VBAzure starts with the licence agreement unaccepted, so the oracle sees the gate and accept.
sed 's/^license_agreement_accepted = true/license_agreement_accepted = false/' tests/fixtures/azure.toml \
    >"$work/azure.toml"
grep -q '^license_agreement_accepted = false' "$work/azure.toml"
start_mock vb365 tests/fixtures/world.toml
vb365_url=$MOCK_URL
start_mock azure "$work/azure.toml"
azure_url=$MOCK_URL
"$venv/bin/python" tests/official/oracle.py "$docs" "$vb365_url" "$azure_url"

# VBR's token body and JWTs against the documents' own TokenModelExample, key for key (an
# integration test that reads the documents only when told where they are).
test=vbr_token::the_body_and_both_jwts_are_the_documents_example_key_for_key
VEEAM_OFFICIAL_DOCS=$docs cargo test --locked -j2 --quiet --test api -- --exact "$test" | tee "$work/vbr.log"
grep -q "1 passed" "$work/vbr.log"   # the test ran (a renamed test would match nothing)
echo "official: VBR's token body and JWTs match every document's TokenModelExample"

# Seed 001's own legacy tokens parse into the layout the mock mints (one parser for both, a
# unit test that reads the seeds only when told where they are).
seeds=${VEEAM_AUTH_MOCK_SEEDS:-$PWD/../shared/seeds}
if [ -d "$seeds" ]; then
    test=products::vb365::legacy::opaque::tests::seed_001s_tokens_parse_into_the_same_layout_when_the_seed_is_at_hand
    VEEAM_AUTH_MOCK_SEEDS=$seeds cargo test --locked -j2 --quiet --lib -- --exact "$test" \
        | tee "$work/seed.log"
    grep -q "1 passed" "$work/seed.log"   # the test ran (a renamed test would match nothing)
    echo "official: seed 001's tokens parse as the mock's legacy tokens do"
else
    echo "official: skipped the seed 001 token check: $seeds not found"
fi
