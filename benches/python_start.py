"""What a Python test pays before its mock answers: the `veeam_mock` fixture's start against
WireMock's Python module starting its JAR, measured in one run (issue 15).

    python benches/python_start.py [--starts N] [--check] [--allow-missing-java]

Run it through `bash benches/python_start.sh`, which makes the venv (the pinned `wiremock`
package), installs a Java runtime when there is none and picks the mock's executable. Run by
hand, it needs `veeam_auth_mock` importable (PYTHONPATH=python), its executable
(VEEAM_AUTH_MOCK_BIN, else the installed one), `wiremock` and `java`.

Each round starts the mock once and WireMock once, one after the other, so that load from other
processes on a shared machine falls on both alike. A round that is not counted comes first: it
pulls both executables into the page cache, as any earlier test run on the machine would have.

  veeam-auth-mock  ready      `VeeamMock.start()` returned: what the `veeam_mock` fixture does
                              (it reads the mock's `listening on` lines; HTTP and HTTPS ports)
                   answered   ... and a first GET /__mock/health came back
  wiremock         start()    `WireMockServer().start()` returned: what a test using the module
                              pays (the module sleeps 0.1 s, then polls GET /__admin every 0.25 s)
                   answered   the first 200 from GET /__admin/mappings, polled every 2 ms from a thread
                              while start() runs: when the JVM could first have served a test

`--check` exits 1 when the mock's median `ready` is 50 ms or more, or not below WireMock's
median `answered` (the stricter of WireMock's two numbers).
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from typing import Callable, Dict, List, Optional

# The target of issue 15 for the fixture's start-to-ready time.
TARGET_MS = 50.0


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def answers(port: int, path: str, timeout: float = 1.0) -> bool:
    """Whether 127.0.0.1:port answers GET path with a 200 (False while nothing listens)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def mock_start() -> Dict[str, float]:
    """One start of the mock as the fixture does it; seconds to ready and to a first answer."""
    from veeam_auth_mock import VeeamMock

    t0 = time.perf_counter()
    mock = VeeamMock.start()
    ready = time.perf_counter() - t0
    try:
        port = int(mock.url.rsplit(":", 1)[1].rstrip("/"))
        # `ready` promises the port is bound and served: a refused first request is a bug.
        if not answers(port, "/__mock/health"):
            raise RuntimeError(f"the mock said it listens on {mock.url} but GET /__mock/health failed")
        answered = time.perf_counter() - t0
    finally:
        mock.stop()
    return {"ready": ready, "answered": answered}


def wiremock_start() -> Dict[str, float]:
    """One start of WireMock through its Python module; seconds to start() returning and to the
    first answer of its admin API."""
    from wiremock.server import WireMockServer

    # The module's default of 10 polls (about 2.6 s) is too short for a JVM on a busy 2-core
    # machine; a failed start would only hide a slow one.
    server = WireMockServer(max_attempts=400)
    first: List[float] = []
    done = threading.Event()

    def poll() -> None:
        # Raw polling, as tight as is sensible, for when WireMock could first have answered.
        while not done.is_set():
            # GET /__admin itself redirects (302) to the admin page; the mappings are a real answer.
            if answers(server.port, "/__admin/mappings", timeout=5.0):
                first.append(time.perf_counter())
                return
            time.sleep(0.002)

    t0 = time.perf_counter()
    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    try:
        server.start()
        started = time.perf_counter() - t0
        poller.join(timeout=10)
    finally:
        done.set()
        stop_wiremock(server)
    if not first:
        raise RuntimeError("WireMock's start() returned but GET /__admin/mappings never answered")
    return {"start()": started, "answered": first[0] - t0}


def stop_wiremock(server: object) -> None:
    """The module's stop() kills the JVM but does not wait for it; wait, so that a dying JVM does
    not weigh on the next start."""
    process: Optional[subprocess.Popen] = getattr(server, "_WireMockServer__subprocess", None)
    try:
        server.stop(raise_on_error=False)  # type: ignore[attr-defined]
    finally:
        if process is not None:
            process.wait(timeout=30)
            if process.stdout is not None:
                process.stdout.close()
            if process.stdin is not None:
                process.stdin.close()


def summary(name: str, samples: List[float]) -> Dict[str, float]:
    ms = sorted(s * 1000 for s in samples)
    # p90 as the nearest rank: with 50 starts, the 45th fastest.
    p90 = ms[max(0, -(-9 * len(ms) // 10) - 1)]
    result = {"min": ms[0], "median": statistics.median(ms), "p90": p90, "max": ms[-1]}
    print(f"  {name:<28} min {result['min']:8.1f} ms   median {result['median']:8.1f} ms   "
          f"p90 {result['p90']:8.1f} ms   max {result['max']:8.1f} ms")
    return result


def java_version(java: str) -> str:
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.strip().splitlines()
    return out[0] if out else "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--starts", type=int, default=50, help="counted starts of each (default 50)")
    parser.add_argument("--check", action="store_true",
                        help=f"exit 1 unless the mock's median ready is under {TARGET_MS:.0f} ms and below WireMock's")
    parser.add_argument("--allow-missing-java", action="store_true",
                        help="without java, measure the mock alone (refused when CI is set: CI must compare)")
    args = parser.parse_args()
    if args.starts < 1:
        parser.error("--starts must be at least 1")

    from veeam_auth_mock import binary_path

    binary = binary_path()
    print(f"veeam-auth-mock: {binary}", flush=True)
    java = shutil.which("java")
    with_wiremock = True
    if java is None:
        if args.allow_missing_java and not in_ci():
            print("wiremock: SKIPPED: no `java` on PATH (--allow-missing-java); only the mock is measured")
            with_wiremock = False
        else:
            print("wiremock: FAILED: no `java` on PATH; benches/python_start.sh installs one"
                  + (" (CI must compare both)" if in_ci() else ", or pass --allow-missing-java"))
            return 1
    if with_wiremock:
        import wiremock.server.server as wm

        print(f"wiremock: {os.path.basename(str(wm.WireMockServer.DEFAULT_JAR))} via the Python module, "
              f"{java_version(java)}", flush=True)  # type: ignore[arg-type]

    rounds: List[Callable[[], Dict[str, float]]] = [mock_start] + ([wiremock_start] if with_wiremock else [])
    for start in rounds:  # the round that is not counted
        start()
    samples: Dict[str, Dict[str, List[float]]] = {"mock": {}, "wiremock": {}}
    began = time.perf_counter()
    for _ in range(args.starts):
        for key, start in zip(("mock", "wiremock"), rounds):
            for what, seconds in start().items():
                samples[key].setdefault(what, []).append(seconds)
    elapsed = time.perf_counter() - began

    print(f"\n{args.starts} starts " + ("each, interleaved, " if with_wiremock else "of the mock ")
          + f"in {elapsed:.1f} s:")
    mock = {what: summary(f"veeam-auth-mock {what}", s) for what, s in samples["mock"].items()}
    wire = {what: summary(f"wiremock {what}", s) for what, s in samples["wiremock"].items()}

    ready = mock["ready"]["median"]
    failures = []
    if ready >= TARGET_MS:
        failures.append(f"the mock's median ready {ready:.1f} ms is not under {TARGET_MS:.0f} ms")
    if wire:
        for what, result in wire.items():
            print(f"  ratio wiremock {what} / mock ready (medians): {result['median'] / ready:.1f}x")
        if ready >= wire["answered"]["median"]:
            failures.append(f"the mock's median ready {ready:.1f} ms is not below WireMock's "
                            f"median answered {wire['answered']['median']:.1f} ms")
    for failure in failures:
        print(f"python start: {'FAILED' if args.check else 'over target'}: {failure}")
    if not failures:
        print(f"python start: ok: the mock's median ready {ready:.1f} ms is under {TARGET_MS:.0f} ms"
              + (f" and {wire['answered']['median'] / ready:.1f}x below WireMock's first answer" if wire else ""))
    return 1 if failures and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
