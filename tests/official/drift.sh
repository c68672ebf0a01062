#!/usr/bin/env bash
# `veeam-auth-mock drift` on Veeam's official OpenAPI documents: each pair of consecutive
# versions (VBR 1.2-rev1 -> 1.3-rev0 -> 1.3-rev1 -> 1.3-rev2, VB365 v6 -> v7 -> v8) must give
# the pinned counts below, and the known case change of VBR's grant_type (`password` became
# `Password` in 1.3-rev1) must be reported as such. Prints each pair's summary and time.
#
#   bash tests/official/drift.sh      (from anywhere; builds the binary if needed)
#
# The documents are Veeam's and are never part of this repository: they are read from
# ${VEEAM_OFFICIAL_DOCS:-<repo>/../shared/spec/openapi/official}. Without them the script
# prints "drift: skipped: ..." and exits 0. The counts were pinned on 2026-12-02 after checking
# samples by hand against the documents (VB365 v7 drops GET /v6/Jobs/{jobId}/JobSessions; VBR
# 1.3-rev0 types InventoryObjectModel.platform with EInventoryPlatformType, which has VSphere
# where EPlatformType had VMware; VBR 1.3-rev1 capitalizes ELoginGrantType's four values).
set -euo pipefail
cd "$(dirname "$0")/../.."

docs=${VEEAM_OFFICIAL_DOCS:-$PWD/../shared/spec/openapi/official}
pairs=(
    "vbr_rest_1.2-rev1 vbr_rest_1.3-rev0 1853 1 91 105 1578 0 78"
    "vbr_rest_1.3-rev0 vbr_rest_1.3-rev1 2402 0 12 36 0 2295 59"
    "vbr_rest_1.3-rev1 vbr_rest_1.3-rev2 678 1 36 285 240 0 116"
    "vb365_rest_v6 vb365_rest_v7 71 7 10 17 2 0 35"
    "vb365_rest_v7 vb365_rest_v8 600 26 9 498 11 0 56"
)
for pair in "${pairs[@]}"; do
    read -r old new _ <<<"$pair"
    for document in "$old" "$new"; do
        if [ ! -f "$docs/$document.json" ]; then
            echo "drift: skipped: $docs/$document.json not found (set VEEAM_OFFICIAL_DOCS to the documents' folder)"
            exit 0
        fi
    done
done

cargo build --locked -j2 --quiet --bin veeam-auth-mock   # a no-op when up to date
binary=target/debug/veeam-auth-mock
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failed=0
for pair in "${pairs[@]}"; do
    read -r old new changes removed required fields enums cases added <<<"$pair"
    start=$(date +%s%N)
    "$binary" drift "$docs/$old.json" "$docs/$new.json" >"$work/$old.txt"
    elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
    summary=$(grep '^summary: ' "$work/$old.txt")
    echo "drift: $old -> $new (${elapsed} ms): $summary"
    expected="summary: $changes changes (operation removed: $removed, newly required: $required, response field removed: $fields, enum value removed: $enums, enum case changed: $cases, operation added: $added);"
    case "$summary" in
        "$expected"*) ;;
        *) echo "drift: FAILED: expected $expected"; failed=1 ;;
    esac
    # One line per change, then the summary.
    if [ "$(wc -l <"$work/$old.txt")" -ne $((changes + 1)) ]; then
        echo "drift: FAILED: $old -> $new: not one line per change"
        failed=1
    fi
done

case_change='enum case changed: POST /api/oauth2/token: body field grant_type: password -> Password'
if ! grep -qxF "$case_change" "$work/vbr_rest_1.3-rev0.txt"; then
    echo "drift: FAILED: 1.3-rev0 -> 1.3-rev1 does not report: $case_change"
    failed=1
fi
if grep -q 'grant_type: password$' "$work/vbr_rest_1.3-rev0.txt"; then
    echo "drift: FAILED: the grant_type case change is also reported as a removal"
    failed=1
fi

# The JSON report says the same as the text.
"$binary" drift --json "$docs/vb365_rest_v7.json" "$docs/vb365_rest_v8.json" >"$work/v8.json"
python3 - "$work/v8.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
assert report["summary"]["changes"] == len(report["changes"]) == 600, report["summary"]
assert report["old"]["operations"] == 457 and report["new"]["operations"] == 487, report
PY

if [ "$failed" -ne 0 ]; then
    exit 1
fi
echo "drift: ok (5 pairs)"
