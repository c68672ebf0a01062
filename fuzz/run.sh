#!/usr/bin/env bash
# Runs every fuzz target for FUZZ_SECONDS (default 30) each, from the committed seeds and
# corpus, on the stable toolchain (cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP=1 lets the
# stable compiler take them, and its sanitizer runtimes ship with it). New inputs go to a
# scratch copy, so a run never changes the repository; a crash fails the run and leaves its
# input under fuzz/artifacts/ to be added to fuzz/regressions/<target>/.
#
#   bash fuzz/run.sh                    FUZZ_SECONDS=600 bash fuzz/run.sh
set -euo pipefail
cd "$(dirname "$0")"

seconds=${FUZZ_SECONDS:-30}
export RUSTC_BOOTSTRAP=1
# actix-router leaks route names once per app by design; see lsan.supp.
export LSAN_OPTIONS="suppressions=$PWD/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-2}
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install --locked cargo-fuzz --version 0.13.2
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

cargo fuzz build -O
for target in http_request scenario_toml fault_json; do
    mkdir -p "$scratch/$target"
    dirs=("$scratch/$target" "seeds/$target")
    [ -d "corpus/$target" ] && dirs+=("corpus/$target")
    [ -d "regressions/$target" ] && dirs+=("regressions/$target")
    dict=()
    [ "$target" = http_request ] && dict=(-dict=http.dict)
    echo "== fuzz: $target for ${seconds}s"
    rc=0
    cargo fuzz run -O "$target" "${dirs[@]}" -- "${dict[@]}" -max_total_time="$seconds" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$scratch/$target.log" 2>&1 || rc=$?
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|^Done' "$scratch/$target.log" || true
    if [ "$rc" -ne 0 ]; then
        tail -n 60 "$scratch/$target.log"
        echo "fuzz: $target found a failure (see fuzz/artifacts/$target)"
        exit 1
    fi
done
echo "fuzz: no crash, hang or out-of-memory"
