"""Waiting for the mock's `listening on <url>` lines, wherever its output comes from: a local
process's stdout pipe or a container's log stream."""

from __future__ import annotations

import queue
import threading
import time
from typing import Dict, Iterable, List, Optional, Sequence

#: What the mock prints once each port accepts connections.
HTTP_LINE = "listening on http://"
HTTPS_LINE = "listening on https://"


class NotListening(Exception):
    """The output ended (`ended` True: the mock exited) or the time ran out before every line
    came; `seen` is what it printed meanwhile."""

    def __init__(self, why: str, ended: bool, seen: List[str]):
        super().__init__(why)
        self.ended = ended
        self.seen = seen


def wait_for_lines(chunks: Iterable[bytes], prefixes: Sequence[str], timeout: float) -> Dict[str, str]:
    """The first line (stripped) starting with each of `prefixes`, read from `chunks` as they
    come: no polling, no sleeping. Raises `NotListening` when the output ends or `timeout`
    seconds pass first.

    A daemon thread reads `chunks` and keeps draining them after this returns, for the life of
    the output, so the mock can never block on a full pipe; it also works on Windows, where
    `select` does not take pipes.
    """
    lines: "queue.Queue[Optional[str]]" = queue.Queue()
    threading.Thread(target=_split_lines, args=(chunks, lines), daemon=True).start()
    found: Dict[str, str] = {}
    seen: List[str] = []
    deadline = time.monotonic() + timeout
    while len(found) < len(prefixes):
        remaining = deadline - time.monotonic()
        try:
            if remaining <= 0:
                raise queue.Empty
            line = lines.get(timeout=remaining)
        except queue.Empty:
            raise NotListening(f"not listening after {timeout} s", False, seen) from None
        if line is None:
            raise NotListening("its output ended", True, seen)
        seen.append(line)
        for prefix in prefixes:
            if prefix not in found and line.startswith(prefix):
                found[prefix] = line.strip()
    return found


def _split_lines(chunks: Iterable[bytes], lines: "queue.Queue[Optional[str]]") -> None:
    """Hands `chunks` over line by line (a chunk need not end at a line's end); None at the end
    of the output (the process exited, the container stopped, or the pipe was closed)."""
    pending = b""
    try:
        for chunk in chunks:
            pending += chunk
            *complete, pending = pending.split(b"\n")
            for raw in complete:
                lines.put(raw.decode(errors="replace") + "\n")
    except Exception:  # noqa: BLE001 - the pipe or connection closes under the reader on stop
        pass
    if pending:
        lines.put(pending.decode(errors="replace"))
    lines.put(None)
