"""Starting and stopping a mock process, and its helpers."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, List, Optional, Sequence, Union

from ._admin import Controls
from ._binary import binary_path
from ._listening import HTTP_LINE, HTTPS_LINE, NotListening, wait_for_lines
from ._scenario import ENV_TEXT_LIMIT, ScenarioSource, scenario_file


class MockStartError(RuntimeError):
    """The mock did not become ready: it exited (a bad scenario, a bad flag) or timed out. The
    message carries what it printed."""


class VeeamMock(Controls):
    r"""A running `veeam-auth-mock serve` on 127.0.0.1 with free ports, ready to answer.

    `url` and `https_url` are its base URLs; `ca_pem` is the path of the certificate its HTTPS
    port presents (give it to `verify=`); `clock`, `faults`, `routes` and `journal` drive it over
    its admin API with `admin_token`. Use it as a context manager, or call `stop()`.

    >>> with VeeamMock.start('[clock]\nmode = "frozen"\nstart = "2024-08-07T15:56:22Z"') as mock:
    ...     mock.clock.advance("61m")["now"]
    '2024-08-07T16:57:22.0000000Z'
    """

    binary: str
    url: str
    https_url: Optional[str]
    ca_pem: Optional[str]
    admin_token: str

    def __init__(self, process: "subprocess.Popen[bytes]", workdir: str, urls: List[str], admin_token: str,
                 ca_pem: Optional[str], log_path: str, binary: str):
        self._process = process
        #: The executable this mock runs.
        self.binary = binary
        self._workdir = workdir
        self._log_path = log_path
        self.url = next(u for u in urls if u.startswith("http://"))
        self.https_url = next((u for u in urls if u.startswith("https://")), None)
        self.ca_pem = ca_pem if self.https_url else None
        self.admin_token = admin_token
        self._connect_admin(self.url, admin_token)

    @classmethod
    def start(
        cls,
        scenario: Optional[ScenarioSource] = None,
        *,
        https: bool = True,
        admin_token: Optional[str] = None,
        binary: Optional[str] = None,
        openapi: Sequence[Union[str, "os.PathLike[str]"]] = (),
        args: Sequence[str] = (),
        timeout: float = 10.0,
    ) -> "VeeamMock":
        """Starts a mock and returns once it listens (it reads the mock's `listening on` lines;
        no polling, no sleeping).

        `scenario`: TOML text or a file; the embedded default scenario (VB365, VBAzure, VBR)
        when None. `https`: a second port with a generated certificate. `admin_token`: a random
        one when None. `binary`: the executable (else `binary_path()`). `openapi`: product OpenAPI
        documents (Veeam's, from your server's Swagger path) whose every operation the mock then
        serves behind its sessions (`serve --openapi`). `args`: more `serve` flags. Raises
        `MockStartError` with the mock's output when it does not become ready.
        """
        executable = binary or binary_path()
        token = admin_token or secrets.token_urlsafe(24)
        # Before the temporary directory exists: a missing file must not leave one behind.
        path = scenario_file(scenario) if scenario is not None else None
        workdir = tempfile.mkdtemp(prefix="veeam-auth-mock-")
        ca_pem = os.path.join(workdir, "ca.pem")
        log_path = os.path.join(workdir, "mock.log")
        # --stop-with-stdin: the mock ends when this process does, however it ends (a killed
        # pytest or xdist worker leaves no mock behind), because the pipe to its stdin closes.
        command = [executable, "serve", "--host", "127.0.0.1", "--port", "0", "--stop-with-stdin"]
        command += ["--tls-port", "0", "--tls-cert-out", ca_pem] if https else ["--no-tls"]
        # Nothing from the caller's environment may change what the launcher asked for (a
        # VEEAM_AUTH_MOCK_PORT exported for a container, say); the scenario is set below.
        env = {k: v for k, v in os.environ.items() if not k.startswith("VEEAM_AUTH_MOCK_")}
        # In the environment, not the command line: other users of the machine can read that.
        env["VEEAM_AUTH_MOCK_ADMIN_TOKEN"] = token
        if scenario is not None and path is None:
            text = str(scenario)
            if len(text.encode()) <= ENV_TEXT_LIMIT:
                env["VEEAM_AUTH_MOCK_SCENARIO_TOML"] = text
            else:
                path = Path(workdir, "scenario.toml")
                path.write_text(text, encoding="utf-8")
        if path is not None:
            command += ["--scenario", str(path)]
        for document in openapi:
            command += ["--openapi", os.path.abspath(os.fspath(document))]
        command += list(args)
        expected = [HTTP_LINE, HTTPS_LINE] if https else [HTTP_LINE]
        with open(log_path, "wb") as log:
            try:
                process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.PIPE,
                                           env=env)
            except OSError:
                shutil.rmtree(workdir, ignore_errors=True)
                raise
        try:
            assert process.stdout is not None
            lines = wait_for_lines(process.stdout, expected, timeout)
            urls = [lines[prefix][len("listening on "):] for prefix in expected]
        except NotListening as failure:
            why = f"exited with status {process.wait()}" if failure.ended else str(failure)
            process.kill()
            process.wait()
            for pipe in (process.stdin, process.stdout):
                if pipe is not None:
                    pipe.close()
            output = Path(log_path).read_text(encoding="utf-8", errors="replace").strip()
            shutil.rmtree(workdir, ignore_errors=True)
            raise MockStartError(f"veeam-auth-mock did not start ({why}): {output or 'no output'}") from None
        return cls(process, workdir, urls, token, ca_pem, log_path, executable)

    @property
    def log(self) -> str:
        """What the mock wrote on stderr so far."""
        try:
            return Path(self._log_path).read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    @property
    def running(self) -> bool:
        """Whether the process is still alive."""
        return self._process.poll() is None

    def stop(self) -> None:
        """Stops the process (at once: a test mock has nothing to flush) and removes its files."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for pipe in (self._process.stdin, self._process.stdout):
            if pipe is not None:
                pipe.close()
        shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self) -> "VeeamMock":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<VeeamMock {self.url} {self.https_url or ''} {state}>"
