#!/usr/bin/env bash
# Runs the GitHub Action in this repository (action.yml) the way a runner does, and checks what
# it does for real, on 127.0.0.1 only: `node action/main.js` with the inputs as INPUT_<NAME>
# variables and fresh files behind GITHUB_OUTPUT, GITHUB_ENV and GITHUB_STATE, then
# `node action/post.js` with STATE_<name> variables read back from the state file. Logins,
# HTTPS and the admin API are checked with curl; one `action: ok: ...` line per check, a final
# count, and a non-zero exit at the first failure.
#
#   bash tests/action/run.sh
#
# The binary: $VEEAM_AUTH_MOCK_BIN, else target/debug/veeam-auth-mock (built if missing). The
# build-from-source check runs the action's own `cargo build` with VEEAM_MOCK_CARGO_PROFILE=dev
# in $ACTION_TEST_TARGET_DIR (default: this checkout's target/), where the debug build above
# already is, so in CI it does not compile anything; the action's default stays --release.
# Checks read `A && B || die ...`: die always exits, so that is if-then-else (SC2015); the
# backquotes in single quotes are the mock's own quoting, not expansions (SC2016).
# shellcheck disable=SC2015,SC2016
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

checks=0
ok() {
    checks=$((checks + 1))
    echo "action: ok: $*"
}
die() {
    echo "action: FAIL: $*" >&2
    exit 1
}

# Tools: node and python3 come with the CI machine; curl may need installing.
for tool in node python3; do
    command -v "$tool" >/dev/null || die "$tool is required"
done
if ! command -v curl >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && apt-get install -y -qq curl >/dev/null
    else
        die "curl is required"
    fi
fi

export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-2} # the CI machine has 2 cores
bin=${VEEAM_AUTH_MOCK_BIN:-$root/target/debug/veeam-auth-mock}
if [ ! -x "$bin" ]; then
    echo "action: building $bin"
    cargo build --locked --bin veeam-auth-mock
fi

work=$(mktemp -d)
cleanup() {
    # A mock that a failed check left running: every state file names its pid.
    local state pid
    for state in "$work"/*/state; do
        [ -f "$state" ] || continue
        pid=$(sed -n 's/^pid=//p' "$state")
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
    done
    rm -rf "$work"
}
trap cleanup EXIT

# The value of NAME in a runner file (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE), read as the
# runner reads them: `name=value` lines and `name<<DELIMITER` blocks, the last one winning.
field() {
    python3 - "$1" "$2" <<'PY'
import sys
path, wanted = sys.argv[1], sys.argv[2]
lines = open(path, encoding="utf-8").read().split("\n")
found, i = None, 0
while i < len(lines):
    line = lines[i]
    i += 1
    if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
        name, delimiter = line.split("<<", 1)
        block = []
        while i < len(lines) and lines[i] != delimiter:
            block.append(lines[i])
            i += 1
        i += 1
        value = "\n".join(block)
    elif "=" in line:
        name, value = line.split("=", 1)
    else:
        continue
    if name == wanted:
        found = value
if found is None:
    sys.exit(f"{wanted} is not in {path}")
print(found)
PY
}

# Whether a process runs (a zombie does not: this machine's PID 1 does not reap orphans).
alive() {
    kill -0 "$1" 2>/dev/null || return 1
    [ ! -r "/proc/$1/stat" ] || [ "$(sed 's/.*) //; s/ .*//' "/proc/$1/stat")" != Z ]
}

# run_main CASE [input=value ...]: main.js as the runner starts it. Every input the action
# declares is passed, with its action.yml default unless given, as the runner does. Leaves the
# exit status in $status and the step's output in $work/CASE/main.out.
run_main() {
    local dir=$work/$1 pair
    shift
    mkdir -p "$dir/temp"
    : >"$dir/output"
    : >"$dir/env"
    : >"$dir/state"
    local vars=("INPUT_BINARY=" "INPUT_SCENARIO=" "INPUT_SCENARIO-FILE=" "INPUT_PORT=0" "INPUT_HTTPS-PORT=0"
        "INPUT_ADMIN-TOKEN=" "INPUT_ARGS=" "INPUT_TIMEOUT=60")
    for pair in "$@"; do
        local name=${pair%%=*}
        vars+=("INPUT_${name^^}=${pair#*=}") # later wins: env sets them in order
    done
    status=0
    env ${RUN_ENV[@]+"${RUN_ENV[@]}"} "${vars[@]}" GITHUB_ACTIONS=true RUNNER_TEMP="$dir/temp" \
        GITHUB_OUTPUT="$dir/output" GITHUB_ENV="$dir/env" GITHUB_STATE="$dir/state" \
        node action/main.js >"$dir/main.out" 2>&1 || status=$?
}

# run_post CASE: post.js with STATE_<name> for every name main.js saved. Status in $status.
run_post() {
    local dir=$work/$1 states=()
    while IFS= read -r -d '' pair; do states+=("$pair"); done < <(python3 - "$dir/state" <<'PY'
import sys
for line in open(sys.argv[1], encoding="utf-8").read().splitlines():
    if "=" in line:
        name, value = line.split("=", 1)
        sys.stdout.write(f"STATE_{name}={value}\0")
PY
    )
    status=0
    env ${states[@]+"${states[@]}"} GITHUB_ACTIONS=true node action/post.js >"$dir/post.out" 2>&1 || status=$?
}

show() {
    echo "----- $1 -----" >&2
    cat "$1" >&2
}

# code URL [curl flags...]: the HTTP status, body in $work/body.
code() {
    local url=$1
    shift
    curl -sS -o "$work/body" -w '%{http_code}' "$@" "$url"
}

# --- the action's files agree with each other ------------------------------------------------
python3 - <<'PY' || die "action.yml and action/*.js|sh disagree"
import re, sys
yml = open("action.yml", encoding="utf-8").read()
main = open("action/main.js", encoding="utf-8").read()
sh = open("action/mock.sh", encoding="utf-8").read()
def keys(section):
    block = re.search(rf"^{section}:\n((?:  .*\n|\n)*)", yml, re.M).group(1)
    return re.findall(r"^  ([a-z-]+):", block, re.M)
inputs, outputs = keys("inputs"), keys("outputs")
errors = [f"input {i} is not read by main.js" for i in inputs if f"input('{i}'" not in main]
errors += [f"output {o} is not written by mock.sh" for o in outputs if f'put "$out" {o} ' not in sh]
for key in ("main: action/main.js", "post: action/post.js", "post-if: always()"):
    if key not in yml:
        errors.append(f"action.yml lacks {key!r}")
print("\n".join(errors), file=sys.stderr)
sys.exit(1 if errors else 0)
PY
ok "action.yml's inputs are all read by main.js and its outputs all written by mock.sh; main, post and post-if declared"

# --- a start with an inline scenario and an admin token -------------------------------------
scenario='[vb365]
versions = ["v8"]

[[vb365.users]]
username = "ci-user"
password = "Ci-Pass1"
'
token=ci-admin-token-$$
run_main inline binary="$bin" scenario="$scenario" admin-token="$token" timeout=30
[ "$status" = 0 ] || { show "$work/inline/main.out"; die "main.js failed (exit $status)"; }
ok "main.js started the mock (exit 0): $(grep -m1 'listening on' "$work/inline/main.out")"

out=$work/inline/output env_file=$work/inline/env state=$work/inline/state
url=$(field "$out" url)
https_url=$(field "$out" https-url)
ca=$(field "$out" ca-pem)
[[ $url =~ ^http://127\.0\.0\.1:[0-9]+$ ]] || die "url output: '$url'"
[[ $https_url =~ ^https://127\.0\.0\.1:[0-9]+$ ]] || die "https-url output: '$https_url'"
[ -s "$ca" ] && grep -q 'BEGIN CERTIFICATE' "$ca" || die "ca-pem output '$ca' is not a PEM certificate"
case $ca in "$work/inline/temp/"*) ;; *) die "the CA is not kept in RUNNER_TEMP: $ca" ;; esac
[ "$(field "$out" admin-token)" = "$token" ] || die "admin-token output"
[ -f "$(field "$out" log)" ] || die "log output"
ok "outputs written: url=$url https-url=$https_url ca-pem (a PEM in RUNNER_TEMP) admin-token log pid"

for pair in VEEAM_MOCK_URL="$url" VEEAM_MOCK_HTTPS_URL="$https_url" VEEAM_MOCK_CA_PEM="$ca" \
    VEEAM_MOCK_ADMIN_TOKEN="$token" VEEAM_MOCK_PID="$(field "$out" pid)"; do
    [ "$(field "$env_file" "${pair%%=*}")" = "${pair#*=}" ] || die "GITHUB_ENV ${pair%%=*} differs from the output"
done
pid=$(field "$state" pid)
[ "$pid" = "$(field "$out" pid)" ] && alive "$pid" || die "state pid '$pid' is not the running mock"
grep -qx "::add-mask::$token" "$work/inline/main.out" || die "the admin token was not masked"
ok "GITHUB_ENV has VEEAM_MOCK_URL, _HTTPS_URL, _CA_PEM, _ADMIN_TOKEN (masked), _PID; GITHUB_STATE has pid $pid"

got=$(code "$url/v8/token" -X POST -d 'grant_type=password&username=ci-user&password=Ci-Pass1')
[ "$got" = 200 ] && python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["access_token"]' "$work/body" ||
    die "login of the inline scenario's user: HTTP $got $(cat "$work/body")"
got=$(code "$url/v8/token" -X POST -d 'grant_type=password&username=Administrator&password=PassWord1')
[ "$got" = 400 ] || die "a user of the default scenario, not of the inline one, got HTTP $got"
ok "VB365 login of the inline scenario's user: 200 with a token; the default scenario's Administrator: $got"

got=$(code "$https_url/v8/Health" --cacert "$ca")
[ "$got" = 200 ] || die "HTTPS verified against the exported CA: HTTP $got"
rc=0
curl -sS -o /dev/null "$https_url/v8/Health" 2>/dev/null || rc=$?
[ "$rc" = 60 ] || die "HTTPS without the CA should fail verification (curl 60), got curl exit $rc"
ok "HTTPS verifies against the exported CA (curl --cacert: 200; without it curl exits 60)"

got=$(code "$url/__mock/clock")
[ "$got" = 401 ] || die "/__mock/clock without the admin token: HTTP $got"
got2=$(code "$url/__mock/clock" -H "Authorization: Bearer $token")
[ "$got2" = 200 ] || die "/__mock/clock with the admin token: HTTP $got2"
ok "the admin token protects /__mock/clock: $got without, $got2 with"

run_post inline
[ "$status" = 0 ] || { show "$work/inline/post.out"; die "post.js failed (exit $status)"; }
alive "$pid" && die "post.js left pid $pid running"
grep -q "stopped (pid $pid)" "$work/inline/post.out" && grep -q "^listening on $url" "$work/inline/post.out" ||
    { show "$work/inline/post.out"; die "post.js did not report the stop and print the log"; }
rc=0
curl -sS -o /dev/null "$url/v8/Health" 2>/dev/null || rc=$?
[ "$rc" = 7 ] || die "the port still answers after the post step (curl exit $rc)"
ok "post.js stopped pid $pid (gone; the port refuses connections) and printed the mock's log"

# --- failures ------------------------------------------------------------------------------
run_main bad binary="$bin" scenario='[vb365]
bogus = 1'
[ "$status" != 0 ] || die "main.js accepted a bad scenario"
grep -q 'unknown field `bogus`' "$work/bad/main.out" && grep -q '^::error::veeam-auth-mock: the mock exited (status 2)' "$work/bad/main.out" ||
    { show "$work/bad/main.out"; die "the mock's error is not in main's output"; }
bad_status=$status
[ ! -s "$work/bad/state" ] && [ ! -s "$work/bad/output" ] || die "a failed start wrote state or outputs"
run_post bad
[ "$status" = 0 ] && grep -q 'nothing to stop' "$work/bad/post.out" || die "post.js after a failed start: exit $status"
ok "a bad scenario fails main.js (exit $bad_status) with the mock's error ($(grep -m1 -o 'line 2: unknown field `bogus`' "$work/bad/main.out")) and no outputs; post.js then has nothing to stop"

run_main both binary="$bin" scenario="$scenario" scenario-file=/nonexistent.toml
[ "$status" != 0 ] && grep -q 'not both' "$work/both/main.out" || die "scenario and scenario-file together were accepted"
ok "scenario and scenario-file together are refused (exit $status)"

# A binary that never says where it listens: the timeout input ends the wait.
printf '#!/bin/sh\necho $$ >"%s"\nexec sleep 300\n' "$work/silent.pid" >"$work/silent.sh"
chmod +x "$work/silent.sh"
started=$SECONDS
run_main silent binary="$work/silent.sh" timeout=2
[ "$status" != 0 ] && grep -q 'did not listen within 2s' "$work/silent/main.out" ||
    { show "$work/silent/main.out"; die "a mock that never listens did not time out"; }
silent=$(cat "$work/silent.pid")
for _ in $(seq 50); do alive "$silent" || break; sleep 0.1; done # SIGTERM was sent; wait for it to land
alive "$silent" && die "the silent binary (pid $silent) was left running"
ok "a mock that never listens fails main.js after the 2 s timeout (in $((SECONDS - started)) s) and is stopped"

# --- a scenario file, a fixed port, extra args, the binary found on PATH ----------------------
cat >"$work/scenario.toml" <<'TOML'
[vb365]
versions = ["v8"]

[[vb365.users]]
username = "file-user"
password = "File-Pass1"
TOML
mkdir -p "$work/path"
ln -s "$bin" "$work/path/veeam-auth-mock"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RUN_ENV=("PATH=$work/path:$PATH")
run_main file scenario-file="$work/scenario.toml" port="$port" args="--no-tls"
RUN_ENV=()
[ "$status" = 0 ] || { show "$work/file/main.out"; die "main.js with a scenario file failed"; }
grep -q "using $work/path/veeam-auth-mock from PATH" "$work/file/main.out" || die "the binary on PATH was not used"
url=$(field "$work/file/output" url)
[ "$url" = "http://127.0.0.1:$port" ] || die "port input $port: url $url"
[ -z "$(field "$work/file/output" https-url)" ] && [ -z "$(field "$work/file/output" ca-pem)" ] ||
    die "--no-tls still exported an HTTPS URL or a CA"
got=$(code "$url/v8/token" -X POST -d 'grant_type=password&username=file-user&password=File-Pass1')
[ "$got" = 200 ] || die "login of the scenario file's user: HTTP $got"
"$bin" health --port "$port" >/dev/null || die "veeam-auth-mock health --port $port"
pid=$(field "$work/file/state" pid)
run_post file
[ "$status" = 0 ] && ! alive "$pid" || die "post.js did not stop the mock of the scenario file"
ok "binary from PATH, scenario-file, port $port, args --no-tls (no HTTPS exported): login 200, health ok, stopped"

# --- built from the action's own source ------------------------------------------------------
# No veeam-auth-mock on PATH, so the action builds; the dev profile and this target directory
# make that the debug build that is already there.
clean_path=$(printf '%s' "$PATH" | tr ':' '\n' | while IFS= read -r d; do
    [ -n "$d" ] && [ ! -x "$d/veeam-auth-mock" ] && printf '%s:' "$d"
done)
target_dir=${ACTION_TEST_TARGET_DIR:-$root/target}
started=$SECONDS
RUN_ENV=("PATH=${clean_path%:}" "VEEAM_MOCK_CARGO_PROFILE=dev" "CARGO_TARGET_DIR=$target_dir")
run_main build scenario="$scenario"
RUN_ENV=()
[ "$status" = 0 ] || { show "$work/build/main.out"; die "main.js building from source failed"; }
grep -q "cargo build --profile dev --locked --bin veeam-auth-mock" "$work/build/main.out" &&
    grep -q "built $target_dir/debug/veeam-auth-mock" "$work/build/main.out" ||
    { show "$work/build/main.out"; die "main.js did not build from its source"; }
url=$(field "$work/build/output" url)
got=$(code "$url/v8/token" -X POST -d 'grant_type=password&username=ci-user&password=Ci-Pass1')
[ "$got" = 200 ] || die "login on the built binary: HTTP $got"
pid=$(field "$work/build/state" pid)
run_post build
[ "$status" = 0 ] && ! alive "$pid" || die "post.js did not stop the built mock"
ok "no binary and none on PATH: built from the action's source (cargo build --profile dev --locked, $((SECONDS - started)) s) into $target_dir, login 200, stopped"

echo "action: all $checks checks passed"
