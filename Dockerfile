# veeam-auth-mock: a mock of the Veeam authentication servers, as a container.
#
#   docker build -t veeam-auth-mock .
#   docker run --rm -p 8080:8080 veeam-auth-mock                       # embedded default scenario
#   docker run --rm -p 8080:8080 -v "$PWD/my.toml:/config/scenario.toml:ro" \
#       -e VEEAM_AUTH_MOCK_SCENARIO=/config/scenario.toml veeam-auth-mock
#
# The runtime image is FROM scratch: one static (musl) binary, the sample scenarios, nothing else
# (about 17 MB, most of it the stripped binary with Swagger UI inside). It runs as an unprivileged user and listens on 0.0.0.0:8080 inside the container.
#
# Environment variables read by `veeam-auth-mock serve` (each also a command-line flag):
#   VEEAM_AUTH_MOCK_HOST      address to listen on            (image default 0.0.0.0)
#   VEEAM_AUTH_MOCK_PORT      port to listen on               (image default 8080)
#   VEEAM_AUTH_MOCK_SCENARIO  scenario file (TOML); the embedded default when unset. The image
#                             ships the samples under /scenarios; mount your own under /config.
#   VEEAM_AUTH_MOCK_SCENARIO_TOML  the scenario's TOML text itself, for service containers that
#                             start before a file can be mounted (CI checkouts come later)
#   VEEAM_AUTH_MOCK_WATCH     "true": reload the scenario file when it changes (mounted files)
#   VEEAM_AUTH_MOCK_ADMIN_TOKEN  protects the admin API (/__mock/...): every call but
#                             /__mock/health needs `Authorization: Bearer <token>`. Set it when
#                             the published port is reachable by anyone but your tests. An empty
#                             or blank value is refused at start (exit code 2).
#   VEEAM_AUTH_MOCK_NO_ADMIN  "true": no admin API at all
#
# The image listens on 0.0.0.0, so without VEEAM_AUTH_MOCK_ADMIN_TOKEN (or NO_ADMIN) the admin
# API is open to whoever reaches the published port: they can change the mock, and
# /__mock/users lists every password. The mock says so at start with a warning on stderr
# (`veeam-auth-mock: warning: the admin API (/__mock/...) is served on 0.0.0.0 without a
# token: ...`); it is harmless when the port is published on 127.0.0.1 only (`-p
# 127.0.0.1:8080:8080`) for your own tests.
#
# BINARY_SOURCE=build (default) compiles the binary in the first stage. BINARY_SOURCE=context
# takes an already built target/x86_64-unknown-linux-musl/release/veeam-auth-mock from the build
# context instead (what the project's CI does, where base images cannot be pulled).
ARG BINARY_SOURCE=build

FROM rust:1-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends musl-tools \
    && rm -rf /var/lib/apt/lists/* \
    && rustup target add x86_64-unknown-linux-musl
WORKDIR /src
COPY . .
RUN CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_STRIP=true \
    cargo build --locked --release --target x86_64-unknown-linux-musl --bin veeam-auth-mock \
    && mkdir -p target/x86_64-unknown-linux-musl/release \
    && cp target/x86_64-unknown-linux-musl/release/veeam-auth-mock /veeam-auth-mock

FROM scratch AS binary-from-build
COPY --from=build /veeam-auth-mock /veeam-auth-mock

FROM scratch AS binary-from-context
COPY target/x86_64-unknown-linux-musl/release/veeam-auth-mock /veeam-auth-mock

FROM binary-from-${BINARY_SOURCE} AS runtime
COPY scenarios /scenarios
ENV VEEAM_AUTH_MOCK_HOST=0.0.0.0 \
    VEEAM_AUTH_MOCK_PORT=8080 \
    VEEAM_AUTH_MOCK_TLS_PORT=4443
USER 10001:10001
# HTTP, and HTTPS with a certificate made at start for localhost and 127.0.0.1
# (add names with VEEAM_AUTH_MOCK_TLS_NAMES, or mount your own: VEEAM_AUTH_MOCK_TLS_CERT/_KEY).
EXPOSE 8080 4443
# `health` asks the server on 127.0.0.1:$VEEAM_AUTH_MOCK_PORT and exits 0 when it answers.
HEALTHCHECK --interval=10s --timeout=5s --start-period=2s --retries=3 \
    CMD ["/veeam-auth-mock", "health"]
ENTRYPOINT ["/veeam-auth-mock"]
CMD ["serve"]
