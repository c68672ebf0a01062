# shellcheck shell=bash
# Shared by the scripts that run the image with podman (tests/container/run.sh,
# tests/python/containers/run.sh); source it, do not run it.
#
#   podman_settings DIR   writes the two settings this host needs (see
#                         /work/shared/notes/machine.md) to DIR/containers.conf and exports
#                         CONTAINERS_CONF; defines `podman` as podman on vfs storage
#   ensure_podman NAME    installs podman with apt-get when missing (as root); returns 1, after
#                         saying "NAME: ... skipped", when it cannot
#   build_image IMAGE     builds the static musl release binary and the runtime stage from it
#                         (`--build-arg BINARY_SOURCE=context`: no base image to pull)

podman_settings() {
    cat >"$1/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
[engine]
runtime = "runc"
CONF
    export CONTAINERS_CONF="$1/containers.conf"
}

podman() { command podman --storage-driver vfs "$@"; }

ensure_podman() {
    type -P podman >/dev/null && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && apt-get install -y -qq podman runc >/dev/null
    else
        echo "$1: podman is not installed and cannot be installed here; skipped"
        return 1
    fi
}

build_image() {
    if ! command -v musl-gcc >/dev/null && [ "$(id -u)" = 0 ]; then
        apt-get install -y -qq musl-tools >/dev/null
    fi
    rustup target add x86_64-unknown-linux-musl >/dev/null
    # Stripped, without line tables: the image carries one binary, and its size is what users pull.
    CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_STRIP=true \
        cargo build --locked --release -j2 --target x86_64-unknown-linux-musl --bin veeam-auth-mock
    podman build --quiet --format docker --build-arg BINARY_SOURCE=context -t "$1" . >/dev/null
}
