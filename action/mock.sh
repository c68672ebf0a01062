#!/usr/bin/env bash
# The work of the veeam-auth-mock GitHub Action (action.yml; action/main.js and action/post.js
# only call this script).
#
#   bash action/mock.sh start   # find or build the binary, start the mock on 127.0.0.1 in the
#                               # background, wait until it listens, write outputs/env/state
#   bash action/mock.sh stop    # stop the mock started by `start` and print its log
#
# `start` reads MOCK_BINARY, MOCK_SCENARIO, MOCK_SCENARIO_FILE, MOCK_PORT, MOCK_HTTPS_PORT,
# MOCK_ADMIN_TOKEN, MOCK_ARGS and MOCK_TIMEOUT (main.js maps the action's inputs to them), and
# writes to $GITHUB_OUTPUT, $GITHUB_ENV and $GITHUB_STATE when they are set (it always prints
# the values too, so it can be run by hand). `stop` reads MOCK_PID and MOCK_LOG.
#
# Building from source honours CARGO_TARGET_DIR (cargo reads it) and VEEAM_MOCK_CARGO_PROFILE
# (default `release`, i.e. `cargo build --release --locked --bin veeam-auth-mock`); the test
# (tests/action/run.sh) uses `dev` to reuse a debug build instead of compiling a release one.
# `A && B || fail ...` is meant: fail always exits (SC2015).
# shellcheck disable=SC2015
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The action's own checkout (the repository root): what it builds when it has no binary.
# GITHUB_ACTION_PATH is only documented for composite actions, so the script's place decides.
source_dir=$(dirname "$here")

# Escapes a message for a workflow command (::error::...), which ends at the first newline.
escape() {
    local text=$1
    text=${text//'%'/'%25'}
    text=${text//$'\r'/'%0D'}
    text=${text//$'\n'/'%0A'}
    printf '%s' "$text"
}

fail() {
    echo "::error::veeam-auth-mock: $(escape "$*")"
    exit 1
}

print_log() {
    local log=$1
    if [ -n "$log" ] && [ -f "$log" ]; then
        echo "----- veeam-auth-mock log ($log) -----"
        cat "$log"
        echo "----- end of log -----"
    fi
}

# Appends name=value to a runner file ($GITHUB_OUTPUT, $GITHUB_ENV, $GITHUB_STATE) if set.
# Every value here is one line: URLs, paths, a number, and an admin token, which the mock
# has already accepted (visible ASCII only) by the time it is written.
put() {
    local file=$1 name=$2 value=$3
    if [ -n "$file" ]; then
        printf '%s=%s\n' "$name" "$value" >>"$file"
    fi
}

# Whether the process runs: exists and is not a zombie. A job container's PID 1 (`tail -f`)
# does not reap orphans, so a stopped mock can stay behind as a zombie that `kill -0` still sees.
alive() {
    local pid=$1 stat
    kill -0 "$pid" 2>/dev/null || return 1
    if [ -r "/proc/$pid/stat" ]; then
        stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
        # The state follows the command name in parentheses, which may itself hold spaces.
        stat=${stat##*) }
        [ "${stat%% *}" != Z ] || return 1
    fi
    return 0
}

# The command name of a process, to recognise it again in the post step (pids get reused).
command_name() {
    if command -v ps >/dev/null; then
        ps -p "$1" -o comm= 2>/dev/null | sed 's/^ *//' || true
    fi
}

# Sets `binary`: the given one, else one on PATH, else one built from the action's source.
find_binary() {
    if [ -n "${MOCK_BINARY:-}" ]; then
        [ -f "$MOCK_BINARY" ] && [ -x "$MOCK_BINARY" ] ||
            fail "binary '$MOCK_BINARY' is not an executable file"
        binary=$MOCK_BINARY
        echo "veeam-auth-mock: using the given binary $binary"
    elif binary=$(command -v veeam-auth-mock); then
        echo "veeam-auth-mock: using $binary from PATH"
    else
        build
    fi
}

# Builds the binary from the action's own source and sets `binary` to the path cargo reports
# in its JSON messages (so CARGO_TARGET_DIR and any target-dir configuration are followed).
build() {
    local profile=${VEEAM_MOCK_CARGO_PROFILE:-release} json
    command -v cargo >/dev/null ||
        fail "no binary: give the \`binary\` input, put veeam-auth-mock on PATH, or install the Rust toolchain so that the action can build it"
    local flags=(--locked --bin veeam-auth-mock --message-format=json-render-diagnostics)
    if [ "$profile" = release ]; then flags=(--release "${flags[@]}"); else flags=(--profile "$profile" "${flags[@]}"); fi
    echo "::group::veeam-auth-mock: cargo build ${flags[*]} (in $source_dir)"
    # Cargo's progress and diagnostics go to stderr (the step's log); the JSON to stdout.
    if ! json=$(cd "$source_dir" && cargo build "${flags[@]}"); then
        echo "::endgroup::"
        fail "cargo build failed (see above)"
    fi
    echo "::endgroup::"
    binary=$(printf '%s\n' "$json" | grep '"kind":\["bin"\]' | grep '"name":"veeam-auth-mock"' |
        sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1) || true
    [ -n "$binary" ] && [ -x "$binary" ] || fail "cargo build did not report the veeam-auth-mock binary"
    echo "veeam-auth-mock: built $binary"
}

start() {
    local port=${MOCK_PORT:-0} https_port=${MOCK_HTTPS_PORT:-0} timeout=${MOCK_TIMEOUT:-60}
    local scenario=${MOCK_SCENARIO:-} scenario_file=${MOCK_SCENARIO_FILE:-}
    # A token from the job's environment protects the mock just as well; report it too.
    local token=${MOCK_ADMIN_TOKEN:-${VEEAM_AUTH_MOCK_ADMIN_TOKEN:-}}
    [[ $timeout =~ ^[0-9]+$ ]] && [ "$timeout" -gt 0 ] || fail "timeout must be a whole number of seconds above 0, not '$timeout'"
    [[ $port =~ ^[0-9]+$ ]] || fail "port must be a number (0 for a free port), not '$port'"
    [[ $https_port =~ ^[0-9]+$ ]] || fail "https-port must be a number (0 for a free port), not '$https_port'"
    if [ -n "$scenario" ] && [ -n "$scenario_file" ]; then
        fail "give scenario (TOML text) or scenario-file (a path), not both"
    fi
    # Before anything can print it.
    if [ -n "$token" ]; then echo "::add-mask::$token"; fi

    # RUNNER_TEMP is emptied by the runner after the job; a directory of its own per start, so
    # that two mocks in one job keep their logs and certificates apart.
    local dir
    if [ -n "${RUNNER_TEMP:-}" ]; then
        mkdir -p "$RUNNER_TEMP"
        dir=$(mktemp -d "$RUNNER_TEMP/veeam-auth-mock.XXXXXX")
    else
        dir=$(mktemp -d "${TMPDIR:-/tmp}/veeam-auth-mock.XXXXXX")
    fi
    local log=$dir/mock.log ca=$dir/ca.pem

    # Extra flags, split as a shell would (quotes and backslashes) but without any expansion.
    local extra=() arg tls=true host_given=false
    if [ -n "${MOCK_ARGS//[[:space:]]/}" ]; then
        printf '%s' "$MOCK_ARGS" | xargs printf '%s\0' >"$dir/args" || fail "cannot split args: $MOCK_ARGS"
        while IFS= read -r -d '' arg; do extra+=("$arg"); done <"$dir/args"
    fi
    for arg in ${extra[@]+"${extra[@]}"}; do
        case $arg in
            --no-tls) tls=false ;;
            --host | --host=*) host_given=true ;;
        esac
    done

    local binary=''
    find_binary

    local cmd=("$binary" serve --port "$port")
    # Stated, so that a VEEAM_AUTH_MOCK_HOST in the job's environment does not move it.
    $host_given || cmd+=(--host 127.0.0.1)
    if $tls; then cmd+=(--tls-port "$https_port" --tls-cert-out "$ca"); fi
    cmd+=(${extra[@]+"${extra[@]}"})
    # The scenario text and the token go through the environment, not the command line, where
    # any process on the machine could read them (`ps`).
    if [ -n "$scenario" ]; then export VEEAM_AUTH_MOCK_SCENARIO_TOML=$scenario; fi
    if [ -n "$scenario_file" ]; then cmd+=(--scenario "$scenario_file"); fi
    if [ -n "$token" ]; then export VEEAM_AUTH_MOCK_ADMIN_TOKEN=$token; fi

    echo "veeam-auth-mock: starting ${cmd[*]}"
    # Detached from the step: no terminal, every stream in the log (a runner waits for a
    # step's output streams to close), and in a session of its own where setsid exists, so
    # nothing aimed at the step's process group reaches it. setsid execs in place here (a
    # background job is no group leader), so $! is the mock's own pid.
    local launcher=()
    if command -v setsid >/dev/null; then launcher=(setsid); fi
    ${launcher[@]+"${launcher[@]}"} "${cmd[@]}" </dev/null >"$log" 2>&1 &
    local pid=$!

    # Ready once the mock has printed where it listens: it prints each line after binding.
    local http_url='' https_url='' deadline=$((SECONDS + timeout)) status
    while :; do
        http_url=$(sed -n 's|^listening on \(http://[^ ]*\)$|\1|p' "$log" | head -n 1)
        https_url=$(sed -n 's|^listening on \(https://[^ ]*\)$|\1|p' "$log" | head -n 1)
        if [ -n "$http_url" ] && { ! $tls || [ -n "$https_url" ]; }; then break; fi
        if ! alive "$pid"; then
            status=0
            wait "$pid" || status=$?
            print_log "$log"
            fail "the mock exited (status $status) before it listened: $(grep -v '^listening on' "$log" | tail -n 1)"
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            kill "$pid" 2>/dev/null || true
            print_log "$log"
            fail "the mock did not listen within ${timeout}s (stopped it)"
        fi
        sleep 0.1
    done
    $tls || ca=''

    echo "veeam-auth-mock: listening on $http_url${https_url:+ and $https_url} (pid $pid, log $log)"
    local out=${GITHUB_OUTPUT:-} env=${GITHUB_ENV:-} state=${GITHUB_STATE:-}
    put "$state" pid "$pid"
    put "$state" log "$log"
    put "$state" comm "$(command_name "$pid")"
    put "$out" url "$http_url"
    put "$out" https-url "$https_url"
    put "$out" ca-pem "$ca"
    put "$out" admin-token "$token"
    put "$out" log "$log"
    put "$out" pid "$pid"
    put "$env" VEEAM_MOCK_URL "$http_url"
    put "$env" VEEAM_MOCK_HTTPS_URL "$https_url"
    put "$env" VEEAM_MOCK_CA_PEM "$ca"
    put "$env" VEEAM_MOCK_ADMIN_TOKEN "$token"
    put "$env" VEEAM_MOCK_LOG "$log"
    put "$env" VEEAM_MOCK_PID "$pid"
    if [ -z "$state" ]; then
        echo "url=$http_url"
        echo "https-url=$https_url"
        echo "ca-pem=$ca"
        echo "stop it with: MOCK_PID=$pid MOCK_LOG=$log bash $here/mock.sh stop"
    fi
}

stop() {
    local pid=${MOCK_PID:-} log=${MOCK_LOG:-} comm=${STATE_comm:-} now
    if [ -z "$pid" ]; then
        echo "veeam-auth-mock: nothing to stop (the main step did not start the mock)"
        return 0
    fi
    if ! alive "$pid"; then
        echo "::warning::veeam-auth-mock (pid $pid) had already exited; its log follows"
        print_log "$log"
        return 0
    fi
    now=$(command_name "$pid")
    if [ -n "$comm" ] && [ -n "$now" ] && [ "$now" != "$comm" ]; then
        echo "::warning::veeam-auth-mock (pid $pid) had already exited: that pid is now '$now'; left alone"
        print_log "$log"
        return 0
    fi
    # SIGTERM: the mock shuts down gracefully; SIGKILL only if it has not within 10 s.
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 10))
    while alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    if alive "$pid"; then
        echo "::warning::veeam-auth-mock (pid $pid) ignored SIGTERM for 10s; killed"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    echo "veeam-auth-mock: stopped (pid $pid)"
    # Folded in the job's log: a normal stop needs no reading; a failed test may.
    echo "::group::veeam-auth-mock log"
    print_log "$log"
    echo "::endgroup::"
}

case ${1:-} in
    start) start ;;
    stop) stop ;;
    *)
        echo "usage: bash action/mock.sh start|stop" >&2
        exit 2
        ;;
esac
