#!/usr/bin/env bash
# Veeam's official OpenAPI documents served by the mock (issue 16): for each document
# (VB365 v6, v7, v8; VBAzure v8.1; VBR 1.2-rev1, 1.3-rev0, 1.3-rev1, 1.3-rev2)
#   1. `serve --openapi FILE` must print `serving N operations` with the N pinned below (and the
#      number of `note:` lines, the document defects the mock works around, is printed);
#   2. a real bearer from the mock's own login must be what lets a generated operation through
#      (401 without it; VBR: 400 without x-api-version), then schemathesis (PyPI, pinned) fuzzes
#      every operation of the document as the mock serves it at /__mock/documents/0/openapi.json,
#      with that bearer (and, for VBR, the document's x-api-version on every call), checking
#      `not_a_server_error,response_schema_conformance`: no 5xx, every answer valid against the
#      document;
# then the published clients veeam-365, veeam-az and veeam-br (tests/compat/requirements.txt)
# call generated operations through their own generated code, whose models must parse the
# bodies (tests/official/served_clients.py). Drift between the documents is drift.sh's.
#
#   bash tests/official/served.sh                (from anywhere; builds the binary if needed)
#   ST_SECONDS=60 bash tests/official/served.sh  (a longer schemathesis budget per document)
#   bash tests/official/served.sh vbr_rest_1.3-rev2 clients   (only those parts)
#
# The documents are Veeam's and are never part of this repository: they are read from
# ${VEEAM_OFFICIAL_DOCS:-<repo>/../shared/spec/openapi/official}. Without them the script prints
# "served: skipped: ..." and exits 0. Needs python3 with venv and PyPI access (schemathesis in
# target/st-venv as tests/schemathesis/run.sh has it, the clients in target/compat-venv as
# tests/compat/run.sh has them). Each document's schemathesis output is kept in
# target/official-served/ for reading after a failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

docs=${VEEAM_OFFICIAL_DOCS:-$PWD/../shared/spec/openapi/official}
# file, product, version, operations the mock serves (pinned on 2026-12-02 against the
# documents: every method of every path).
documents=(
    "vb365_rest_v6 vb365 v6 429"
    "vb365_rest_v7 vb365 v7 457"
    "vb365_rest_v8 vb365 v8 487"
    "vbaz_rest_v8.1 azure v8.1 389"
    "vbr_rest_1.2-rev1 vbr 1.2-rev1 268"
    "vbr_rest_1.3-rev0 vbr 1.3-rev0 345"
    "vbr_rest_1.3-rev1 vbr 1.3-rev1 404"
    "vbr_rest_1.3-rev2 vbr 1.3-rev2 519"
)
for entry in "${documents[@]}"; do
    read -r file _ <<<"$entry"
    if [ ! -f "$docs/$file.json" ]; then
        echo "served: skipped: $docs/$file.json not found (set VEEAM_OFFICIAL_DOCS to the documents' folder)"
        exit 0
    fi
done

# The schemathesis budget per document: one pass of the fuzzing phase (-n 1) takes 20 to 40 s
# for the largest documents on 2 cores, and eight documents must stay well inside 5 minutes.
seconds=${ST_SECONDS:-20}
repo=$PWD
binary=target/debug/veeam-auth-mock
st_venv=target/st-venv
compat_venv=target/compat-venv
logs=target/official-served
work=$(mktemp -d)
mock_pid=""
MOCK_URL=""

stop_mock() {
    if [ -n "$mock_pid" ]; then
        kill "$mock_pid" 2>/dev/null || true
        wait "$mock_pid" 2>/dev/null || true
        mock_pid=""
    fi
}
cleanup() {
    stop_mock
    rm -rf "$work"
}
trap cleanup EXIT

# start_mock LOG ARGS...: starts the mock (default scenario) on a free loopback port with the
# given serve arguments; sets MOCK_URL and mock_pid (not in a command substitution, so that the
# mock stays this shell's child and stop_mock stops it).
start_mock() {
    local log=$1
    shift
    "$binary" serve --host 127.0.0.1 --port 0 --no-tls "$@" >"$log.out" 2>"$log.err" &
    mock_pid=$!
    for _ in $(seq 200); do
        MOCK_URL=$(sed -n 's/^listening on \(http:.*\)/\1/p' "$log.out" | head -n1)
        [ -n "$MOCK_URL" ] && return 0
        kill -0 "$mock_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "the mock did not start:" >&2
    cat "$log.out" "$log.err" >&2
    return 1
}

started=$(date +%s)
if [ ! -x "$st_venv/bin/schemathesis" ]; then
    python3 -m venv "$st_venv"
    "$st_venv/bin/pip" install --quiet --disable-pip-version-check schemathesis==4.32.5
fi
[ -x "$compat_venv/bin/python" ] || python3 -m venv "$compat_venv"
"$compat_venv/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/compat/requirements.txt
cargo build --locked -j2 --quiet --bin veeam-auth-mock   # a no-op when up to date
mkdir -p "$logs"

# status URL [curl options...]: the HTTP status of a GET.
status() {
    local url=$1
    shift
    curl -s -o /dev/null -w '%{http_code}' "$@" "$url"
}
# token URL FORM [curl options...]: the access_token of a sign-in.
token() {
    local url=$1 form=$2
    shift 2
    curl -sf -X POST "$url" -d "$form" "$@" | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}
expect_status() {   # expect_status WHAT GOT WANTED
    if [ "$2" != "$3" ]; then
        echo "served: FAILED: $1: HTTP $2, expected $3" >&2
        exit 1
    fi
}

# The operations the product's own routes answer before any document does (the serving order:
# the product's routes, then declared routes, then the documents) are left out of the fuzzing:
# they are not generated from the document, tests/official/run.sh checks them against the
# documents with their documented deviations, and some end the very session the fuzzing runs
# with (VB365 `token/logout`, VBR `oauth2/logout`, VBAzure `DELETE /api/oauth2/token`) or start
# restore sessions. VB365: token, logout, AuthCode, ServiceInstance, Health, RestorePortalSettings,
# the logged-in user, the explore actions and a restore session's own endpoints.
vb365_own='(?i)^/v[0-9]+/(token(/.*)?|ServiceInstance|Health|RestorePortalSettings|Organization/(Action|Explore|OperatorExplore|LoggedInUser(/OperatorInfo)?)|Organizations/[^/]+/(Action|explore)|RestoreSessions/[^/]+(/Action|/Stop)?)$'
# VBR: the OAuth2 endpoints and serverInfo, serverTime, serverCertificate.
vbr_own='^/api/(oauth2/.*|v1/(serverInfo|serverTime|serverCertificate))$'
# VBAzure: the OAuth2 token (login and logout), the licence agreement and the system endpoints.
azure_own='^/api/(oauth2/.*|v8\.1/(licenseAgreement/accepted?|system/(about|serverInfo|serviceIsUp|status)))$'

# chosen PART: whether this run does PART (a document's file name, or `clients`).
chosen() {
    [ "${#parts[@]}" -eq 0 ] && return 0
    local part
    for part in "${parts[@]}"; do [ "$part" = "$1" ] && return 0; done
    return 1
}
parts=("$@")

failed=0
summaries=()
for entry in "${documents[@]}"; do
    read -r file product version operations <<<"$entry"
    chosen "$file" || continue
    doc_started=$(date +%s)
    log="$work/$file"
    start_mock "$log" --openapi "$docs/$file.json"
    base=$MOCK_URL

    # 1. The serving line, its pinned count, and the notes.
    serving=$(grep '^serving ' "$log.err" || true)
    notes=$(grep -c '^note: ' "$log.err" || true)
    case "$serving" in
        "serving $operations operations of $product $version "*) ;;
        *)
            echo "served: FAILED: $file: expected 'serving $operations operations of $product $version', the mock said: ${serving:-nothing}" >&2
            cat "$log.err" >&2
            exit 1
            ;;
    esac

    # 2. A bearer from the product's own login, and the admission in front of a generated
    # operation: refused without it, let through with it.
    headers=()
    case "$product" in
        vb365)
            bearer=$(token "$base/$version/token" \
                'grant_type=password&username=Administrator&password=PassWord1&disable_antiforgery_token=true')
            probe="$base/$version/Jobs"
            expect_status "$file: GET /$version/Jobs without a bearer" "$(status "$probe")" 401
            own=$vb365_own
            ;;
        azure)
            bearer=$(token "$base/api/oauth2/token" 'grant_type=Password&username=administrator&password=PassWord1')
            probe="$base/api/$version/policies/virtualMachines"
            expect_status "$file: GET /api/$version/policies/virtualMachines without a bearer" "$(status "$probe")" 401
            own=$azure_own
            ;;
        vbr)
            # The grant's spelling is the revision's: `password` until 1.3-rev0, `Password` after.
            grant=password
            case "$version" in 1.3-rev0 | 1.2-* | 1.1-*) ;; *) grant=Password ;; esac
            headers=(-H "x-api-version: $version")
            bearer=$(token "$base/api/oauth2/token" "grant_type=$grant&username=administrator&password=PassWord1" \
                "${headers[@]}")
            probe="$base/api/v1/jobs"
            expect_status "$file: GET /api/v1/jobs without a bearer" "$(status "$probe" "${headers[@]}")" 401
            expect_status "$file: GET /api/v1/jobs without x-api-version" \
                "$(status "$probe" -H "Authorization: Bearer $bearer")" 400
            expect_status "$file: GET /api/v1/jobs with x-api-version 0.9-rev9" \
                "$(status "$probe" -H "Authorization: Bearer $bearer" -H 'x-api-version: 0.9-rev9')" 400
            own=$vbr_own
            ;;
    esac
    headers+=(-H "Authorization: Bearer $bearer")
    expect_status "$file: ${probe#"$base"} with a bearer" "$(status "$probe" "${headers[@]}")" 200

    # 3. schemathesis on every operation but the product's own. The fuzzing phase alone, positive
    # data, one example per operation (-n 1), no shrinking: a pass over a whole document within
    # the budget (the examples phase stalls on VB365's documents, which have no examples, and
    # negative data only reaches the products' 400s, which the API tests cover). `--max-time`
    # bounds the pass; a pass that ends earlier goes round again until it is spent.
    # It runs in a directory of its own: schemathesis keeps a crash store (.schemathesis/) in
    # its working directory and reads all of it back after each failure, which grows slower run
    # after run (30 s of a 55 s run); Hypothesis's database is off for the same reason.
    report="$PWD/$logs/$file.json"
    st_status=0
    mkdir "$work/st-$file"
    # tests/official/served_hooks.py reads the document as OpenAPI and HTTP mean it where
    # Veeam's documents contradict themselves (204s with a body, required names no property
    # declares, discriminated oneOf, `format: time`); it says what it touched, in the log.
    (cd "$work/st-$file" && PYTHONPATH="$repo/tests/official" SCHEMATHESIS_HOOKS=served_hooks \
        "$repo/$st_venv/bin/schemathesis" run "$base/__mock/documents/0/openapi.json" \
        --checks not_a_server_error,response_schema_conformance \
        --phases fuzzing --mode positive -n 1 --no-shrink --max-time "$seconds" -w 2 \
        --seed 20261202 --generation-database none --warnings off --exclude-path-regex "$own" \
        "${headers[@]}" --report json --report-json-path "$report") >"$logs/$file.log" 2>&1 || st_status=$?

    # The mock must have lived through it.
    if ! kill -0 "$mock_pid" 2>/dev/null; then
        echo "served: FAILED: $file: the mock died under schemathesis:" >&2
        tail -n 20 "$log.err" >&2
        exit 1
    fi
    stop_mock

    corrections=$(sed -n 's/^served_hooks: //p' "$logs/$file.log" | head -n1)
    summary=$(python3 - "$report" "$file" "$operations" "$notes" "$(($(date +%s) - doc_started))" "$corrections" <<'PY'
import json, sys

report, file, operations, notes, elapsed, corrections = sys.argv[1:]
r = json.load(open(report))
ops, cases = r["operations"], r["test_cases"]
failures = sum(failure["count"] for failure in r["failures"])
# schemathesis's own errors (Hypothesis internals under -w 2) are reported, not failed on;
# anything else it calls an error (a network error: the mock not answering) fails.
errors = {error["title"]: error["count"] for error in r["errors"]}
foreign = {title: count for title, count in errors.items() if title != "Runtime Error"}
line = (
    f"{file}: {operations} operations, {notes} notes; schemathesis: {ops['tested']}/{ops['selected']} "
    f"operations tested ({ops['total'] - ops['selected']} the product's own), {cases['generated']} "
    f"examples, {failures} failures"
)
if errors:
    line += " (errors: " + ", ".join(f"{title} {count}" for title, count in errors.items()) + ")"
line += f", {elapsed} s; document read as OpenAPI: {corrections or 'the hook did not run'}"
print(line)
for failure in r["failures"]:
    print(f"    {failure['code']} {failure['title']}: {failure['count']} on {len(failure['operations'])} operations,"
          f" e.g. {', '.join(failure['operations'][:3])}")
sys.exit(1 if failures or foreign else 0)
PY
    ) && ok=1 || ok=0
    echo "served: $summary"
    summaries+=("$summary")
    if [ "$ok" -ne 1 ]; then
        echo "served: FAILED: $file (schemathesis exit $st_status; see $logs/$file.log)"
        failed=1
    fi
done

# 4. The published clients on generated operations, against one mock serving the three
# documents they were generated from (VBR's two ends side by side, told apart by x-api-version).
if chosen clients; then
    start_mock "$work/clients" --openapi "$docs/vb365_rest_v8.json" --openapi "$docs/vbaz_rest_v8.1.json" \
        --openapi "$docs/vbr_rest_1.2-rev1.json" --openapi "$docs/vbr_rest_1.3-rev2.json"
    if ! "$compat_venv/bin/python" tests/official/served_clients.py "$MOCK_URL"; then
        echo "served: FAILED: the published clients"
        failed=1
    fi
    stop_mock
fi

echo
for summary in "${summaries[@]}"; do
    echo "served: $summary" | head -n1
done
echo "served: wall time $(($(date +%s) - started)) s"
if [ "$failed" -ne 0 ]; then
    exit 1
fi
echo "served: ok"
