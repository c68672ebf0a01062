"""A scenario as the launchers take it: TOML text, or a file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Union

#: A scenario: TOML text, or a file (a `pathlib.Path`, or a `str` of one line ending in `.toml`).
ScenarioSource = Union[str, "os.PathLike[str]"]

#: The most scenario text handed over in an environment variable (`VEEAM_AUTH_MOCK_SCENARIO_TOML`):
#: Linux refuses one string over 128 KiB at exec time.
ENV_TEXT_LIMIT = 100 * 1024


def scenario_file(source: ScenarioSource) -> Optional[Path]:
    """The file `source` names, or None when it is TOML text."""
    if isinstance(source, os.PathLike):
        return Path(source)
    if "\n" not in source and source.strip().endswith(".toml"):
        if not Path(source).is_file():
            # One line ending in .toml is a file name, not a scenario: say so rather than let
            # the mock report a TOML syntax error.
            raise FileNotFoundError(f"no scenario file {source!r} (relative to {os.getcwd()})")
        return Path(source)
    return None


def scenario_text(source: ScenarioSource) -> str:
    """The TOML text of `source` (read from its file when it names one)."""
    path = scenario_file(source)
    return path.read_text(encoding="utf-8") if path else str(source)
