"""The mock's container image driven through Testcontainers (testcontainers-python 4.12 or later).

Needs the `testcontainers` extra: ``pip install 'veeam-auth-mock[testcontainers]'``.

>>> from veeam_auth_mock.testcontainers import VeeamAuthMockContainer
>>> with VeeamAuthMockContainer(scenario=SCENARIO) as mock:          # doctest: +SKIP
...     requests.post(f"{mock.https_url}/v8/token", data=..., verify=mock.ca_pem)
...     mock.clock.advance("61m")

After `start()` (or entering the `with` block) the container offers what the local launcher
`veeam_auth_mock.VeeamMock` offers: `url`, `https_url`, `ca_pem` (the certificate file to give
to `verify=`), `admin_token`, and `clock`, `faults`, `routes`, `journal`, `load()`, `reset()`
over the admin API, which is protected by a random token.

How it differs from a plain `DockerContainer`:

- Readiness: `start()` returns once the mock printed its `listening on` lines, read from the
  container's log stream as they come. The image is `FROM scratch` with no shell, so nothing can
  be exec'd in it to probe; its HEALTHCHECK is not used either, because Podman's Docker API only
  runs health checks where systemd timers exist, and a Docker health check first reports after
  its 10 s interval.
- The certificate: the mock makes one at start for localhost, 127.0.0.1, and the names given in
  `VEEAM_AUTH_MOCK_TLS_NAMES`; this class adds the address tests reach the container at
  (`get_container_host_ip()`), the network aliases and the `tls_names` argument.
- Ports are published on 127.0.0.1 only when the Docker host is this machine and is reached
  over loopback, so the mock (whose users and passwords the admin API lists) is not offered to
  the network.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import shutil
import socket
import ssl
import tempfile
import warnings
from typing import Any, List, Optional, Sequence

try:
    # docker-py ships no type information (types-docker has it); not every user installs that.
    from docker.errors import DockerException, ImageNotFound  # type: ignore[import-untyped,unused-ignore]
    # testcontainers 4.12 ships no type information (4.15 does).
    from testcontainers.core.container import DockerContainer  # type: ignore[import-untyped,unused-ignore]
    from typing_extensions import Self
except ImportError as missing:  # pragma: no cover - exercised without the extra installed
    raise ImportError(
        "veeam_auth_mock.testcontainers needs the testcontainers package: "
        "pip install 'veeam-auth-mock[testcontainers]'"
    ) from missing

from ._admin import Controls
from ._listening import HTTP_LINE, HTTPS_LINE, NotListening, wait_for_lines
from ._scenario import ENV_TEXT_LIMIT, ScenarioSource, scenario_text
from .mock import MockStartError

__all__ = ["DEFAULT_IMAGE", "HTTPS_PORT", "HTTP_PORT", "IMAGE_VAR", "VeeamAuthMockContainer"]

#: The environment variable that names the image when none is given (a CI job can point every
#: test at the image it just built without changing them).
IMAGE_VAR = "VEEAM_AUTH_MOCK_IMAGE"
#: The image when neither the `image` argument nor `$VEEAM_AUTH_MOCK_IMAGE` names one: what
#: `docker build -t veeam-auth-mock .` in a checkout of the project makes. No registry publishes
#: the image yet, so a name that is not in the local store cannot be pulled.
DEFAULT_IMAGE = "veeam-auth-mock:latest"
#: The ports the image listens on (its `VEEAM_AUTH_MOCK_PORT` and `VEEAM_AUTH_MOCK_TLS_PORT`).
HTTP_PORT = 8080
HTTPS_PORT = 4443

# Names the image's generated certificate always carries.
_BUILT_IN_NAMES = {"localhost", "127.0.0.1"}
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
_ADMIN_PARTS = {"admin", "clock", "faults", "routes", "journal"}


class VeeamAuthMockContainer(DockerContainer, Controls):  # type: ignore[misc,unused-ignore]
    """The veeam-auth-mock image in a container, ready to answer when `start()` returns.

    `image`: the image (default `$VEEAM_AUTH_MOCK_IMAGE`, else `veeam-auth-mock:latest`).
    `scenario`: TOML text or a file (a `pathlib.Path`, or a `str` naming a `.toml` file); its
    text goes into `VEEAM_AUTH_MOCK_SCENARIO_TOML`, so no file is mounted (a remote Docker host
    works too). The embedded default scenario (VB365, VBAzure, VBR) when None.
    `https`: publish the HTTPS port and make `https_url` and `ca_pem`; with False the mock serves
    HTTP only (`VEEAM_AUTH_MOCK_NO_TLS`). `admin_token`: a random one when None. `tls_names`: more names or IP
    addresses for the certificate. `startup_timeout`: seconds to wait for the `listening on`
    lines. Other keywords go to `DockerContainer` (`docker_client_kw`, ...).
    """

    def __init__(
        self,
        image: Optional[str] = None,
        *,
        scenario: Optional[ScenarioSource] = None,
        https: bool = True,
        admin_token: Optional[str] = None,
        tls_names: Sequence[str] = (),
        startup_timeout: float = 60.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(image or os.environ.get(IMAGE_VAR) or DEFAULT_IMAGE, **kwargs)
        #: The bearer token of the admin API (`/__mock/...`), random unless given.
        self.admin_token: str = admin_token or secrets.token_urlsafe(24)
        self.https = https
        self.tls_names: List[str] = list(tls_names)
        self.startup_timeout = startup_timeout
        self._url: Optional[str] = None
        self._https_url: Optional[str] = None
        self._ca_pem: Optional[str] = None
        self._workdir: Optional[str] = None
        # In the environment, never the command line: `docker inspect` shows both, but the token
        # must at least not appear in process listings on the Docker host.
        self.with_env("VEEAM_AUTH_MOCK_ADMIN_TOKEN", self.admin_token)
        if not https:
            self.with_env("VEEAM_AUTH_MOCK_NO_TLS", "true")
        if scenario is not None:
            text = scenario_text(scenario)
            if len(text.encode()) > ENV_TEXT_LIMIT:
                raise ValueError(
                    f"the scenario is {len(text.encode())} bytes, more than an environment variable can carry "
                    f"({ENV_TEXT_LIMIT}); mount the file instead: .with_volume_mapping(path, '/config/scenario.toml') "
                    ".with_env('VEEAM_AUTH_MOCK_SCENARIO', '/config/scenario.toml')"
                )
            self.with_env("VEEAM_AUTH_MOCK_SCENARIO_TOML", text)

    # -- what a test uses -------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The mock's HTTP base URL as the tests reach it, e.g. `http://127.0.0.1:32768`."""
        return self._started(self._url, "url")

    @property
    def https_url(self) -> Optional[str]:
        """The HTTPS base URL (None with `https=False`); verify it against `ca_pem`."""
        self._started(self._url, "https_url")
        return self._https_url

    @property
    def ca_pem(self) -> Optional[str]:
        """The path of a PEM file holding the certificate the HTTPS port presents, for
        `verify=` (requests, httpx) or `ssl.create_default_context(cafile=...)`; None with
        `https=False`. It names localhost, 127.0.0.1, the container's host address and the
        network aliases."""
        self._started(self._url, "ca_pem")
        return self._ca_pem

    # -- the container's life ---------------------------------------------------------------

    def start(self) -> Self:
        """Creates and starts the container, and returns once the mock listens. Raises
        `MockStartError` with the container's output (and removes the container) when it exits
        or does not listen within `startup_timeout`."""
        # Names already set with with_env() are kept; ours are added after them.
        given = [n.strip() for n in self.env.get("VEEAM_AUTH_MOCK_TLS_NAMES", "").split(",") if n.strip()]
        certified = given + [n for n in self._certificate_names() if n not in given]
        if certified:
            self.with_env("VEEAM_AUTH_MOCK_TLS_NAMES", ",".join(certified))
        self._publish_ports()
        try:
            super().start()
        except DockerException as refused:
            # Testcontainers pulls an image that is not in the local store; no registry
            # publishes this one, so say how to make it rather than show a registry's refusal.
            if not self._image_is_local():
                raise MockStartError(
                    f"no image {self.image} in the local store, and it could not be pulled ({refused}): build it "
                    f"from a checkout of veeam-auth-mock (docker build -t {self.image} .), or name another "
                    f"with image= or ${IMAGE_VAR}"
                ) from refused
            raise
        try:
            self._wait_until_listening()
            host = self.get_container_host_ip()
            self._url = f"http://{_url_host(host)}:{self.get_exposed_port(HTTP_PORT)}"
            if self.https:
                port = int(self.get_exposed_port(HTTPS_PORT))
                self._https_url = f"https://{_url_host(host)}:{port}"
                self._workdir = tempfile.mkdtemp(prefix="veeam-auth-mock-container-")
                self._ca_pem = os.path.join(self._workdir, "ca.pem")
                with open(self._ca_pem, "w", encoding="ascii") as pem:
                    pem.write(_presented_certificate(host, port, self.startup_timeout))
                if host not in certified and host not in _BUILT_IN_NAMES:
                    # Testcontainers reaches the container at an address known only now (it runs
                    # in a container itself: a gateway or bridge address); the certificate,
                    # made at the mock's start, cannot name it.
                    warnings.warn(
                        f"the mock's certificate does not name {host}, where Testcontainers reaches it: "
                        f"pass tls_names=[{host!r}] (or set TESTCONTAINERS_HOST_OVERRIDE) to verify https_url by name",
                        stacklevel=2,
                    )
            self._connect_admin(self.url, self.admin_token)
        except BaseException:
            self._remove()
            raise
        return self

    def stop(self, force: bool = True, delete_volume: bool = True) -> None:
        """Removes the container and the certificate file."""
        try:
            super().stop(force=force, delete_volume=delete_volume)
        finally:
            self._container = None
            self._url = self._https_url = self._ca_pem = None
            if self._workdir:
                shutil.rmtree(self._workdir, ignore_errors=True)
                self._workdir = None

    def __getattr__(self, name: str) -> Any:
        # Only reached for attributes that do not exist: the admin helpers before start().
        if name in _ADMIN_PARTS:
            raise AttributeError(f"{name} is there once the container started (call start() or use `with`)")
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __repr__(self) -> str:
        where = self._url or "not started"
        return f"<VeeamAuthMockContainer {self.image} {where} {self._https_url or ''}>".replace("  ", " ")

    # -- the parts --------------------------------------------------------------------------

    def _started(self, value: Optional[str], what: str) -> str:
        if value is None:
            raise RuntimeError(f"{what} is known once the container started (call start() or use `with`)")
        return value

    def _certificate_names(self) -> List[str]:
        """The names and addresses the certificate must carry beyond its built-in ones: where
        Testcontainers will reach the container (when that is known before it exists), the
        network aliases and the `tls_names` argument."""
        names: List[str] = []
        if self.https:
            if self._reached_at_docker_host():
                names.append(self.get_docker_client().host())
            names += list(getattr(self, "_network_aliases", None) or ())
            names += self.tls_names
        unique: List[str] = []
        for name in (n.strip() for n in names):
            if name and name not in _BUILT_IN_NAMES and name not in unique:
                unique.append(name)
        return unique

    def _reached_at_docker_host(self) -> bool:
        """Whether Testcontainers reaches containers at the Docker host's address (the usual
        case) rather than at a gateway or bridge address that only exists with the container
        (Testcontainers 4.9+ inside a container)."""
        mode = getattr(self.get_docker_client(), "get_connection_mode", None)
        return mode is None or getattr(mode(), "name", "docker_host") == "docker_host"

    def _publish_ports(self) -> None:
        """Publishes 8080 (and 4443) on free host ports: on 127.0.0.1 only when the tests reach
        a Docker host on this machine over loopback, on every interface otherwise (a remote
        Docker host, or a gateway address, needs them there)."""
        loopback = self._reached_at_docker_host() and _is_loopback(self.get_docker_client().host())
        ports = [HTTP_PORT, HTTPS_PORT] if self.https else [HTTP_PORT]
        for port in ports:
            # docker-py takes (host address, host port); a None port picks a free one.
            binding: Any = ("127.0.0.1", None) if loopback else None
            self.ports[str(port)] = binding

    def _wait_until_listening(self) -> None:
        """Reads the container's output as it comes until the mock says it listens on HTTP (and
        HTTPS). No polling and no sleeping: the log stream ends when the container exits."""
        expected = [HTTP_LINE, HTTPS_LINE] if self.https else [HTTP_LINE]
        stream = self.get_wrapped_container().logs(stream=True, follow=True, stdout=True, stderr=True)
        try:
            wait_for_lines(stream, expected, self.startup_timeout)
        except NotListening as failure:
            why = self._exit_status() if failure.ended else str(failure)
            raise MockStartError(
                f"veeam-auth-mock in {self.image} did not start ({why}): {self._output(failure.seen)}"
            ) from None

    def _image_is_local(self) -> bool:
        try:
            self.get_docker_client().client.images.get(self.image)
        except ImageNotFound:
            return False
        except DockerException:
            return True  # cannot tell: let the original error speak
        return True

    def _exit_status(self) -> str:
        try:
            container = self.get_wrapped_container()
            container.reload()
            return f"the container is {container.status}, exit code {container.attrs['State'].get('ExitCode')}"
        except (DockerException, KeyError):
            return "the container is gone"

    def _output(self, seen: List[str]) -> str:
        try:
            stdout, stderr = self.get_logs()
            text = (stdout + stderr).decode(errors="replace").strip()
        except DockerException:
            text = "".join(seen).strip()
        return text or "no output"

    def _remove(self) -> None:
        """Removes a container that failed to start (Testcontainers 4.8's `with` would leak it)."""
        try:
            self.stop()
        except DockerException:
            pass


def _presented_certificate(host: str, port: int, timeout: float) -> str:
    """The certificate (PEM) the mock presents on `host:port`.

    Taken from the TLS handshake rather than copied out of the container: the image is `FROM
    scratch`, runs as an unprivileged user and has no directory it could write
    `--tls-cert-out` to, and the handshake gives exactly what clients will be shown through the
    published port. Trusting it unverified once is sound here: the container was started a moment
    ago by this process, and it is the only thing listening on that mapped port.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection((host, port), timeout=timeout) as raw:
        server_name = None if _is_ip(host) else host
        with context.wrap_socket(raw, server_hostname=server_name) as tls:
            der = tls.getpeercert(binary_form=True)
    if not der:
        raise MockStartError(f"the mock presented no certificate on {host}:{port}")
    return ssl.DER_cert_to_PEM_cert(der)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    """`host` as it goes into a URL (IPv6 addresses in brackets)."""
    return f"[{host}]" if ":" in host else host
