"""The pytest plugin: installing the package is enough (entry point `pytest11`).

Fixtures:

- `veeam_mock`: a mock of its own for one test, started on 127.0.0.1 with free ports and
  stopped after it (a start takes milliseconds).
- `veeam_mock_shared`: one mock for the whole session (per xdist worker), put back to its
  scenario's start before each test: cheaper when a suite has thousands of tests.
- `veeam_mock_factory`: a function that starts mocks (`veeam_mock_factory(scenario, https=...)`),
  all stopped after the test: for tests that need two servers, or options of their own.

The scenario: `@pytest.mark.veeam_scenario(toml_text_or_path)` on a test (or a class or module)
gives `veeam_mock` and `veeam_mock_shared` their scenario; the `veeam_mock_scenario` ini option
(a path, relative to the rootdir) is the default for the suite; else the embedded default
scenario (VB365, VBAzure and VBR users).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Callable, Iterator, List, Optional

import pytest

from . import default_scenario
from ._scenario import ScenarioSource
from .mock import VeeamMock

_MARKER = "veeam_scenario"
_INI = "veeam_mock_scenario"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(_INI, "veeam-auth-mock: the scenario file (TOML) of the veeam_mock fixtures by default",
                  default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{_MARKER}(scenario): the veeam-auth-mock scenario (TOML text or a path) of this test's veeam_mock",
    )


def _suite_scenario(config: pytest.Config) -> Optional[Path]:
    """The ini option's file, resolved against the rootdir."""
    value = config.getini(_INI)
    if not value:
        return None
    return Path(config.rootpath, value)


def _marked_scenario(request: pytest.FixtureRequest) -> Optional[ScenarioSource]:
    marker = request.node.get_closest_marker(_MARKER)
    if marker is None:
        return None
    if len(marker.args) != 1 or marker.kwargs:
        raise pytest.UsageError(f"@pytest.mark.{_MARKER} takes one argument: TOML text or a path")
    source: ScenarioSource = marker.args[0]
    return source


@pytest.fixture
def veeam_mock(request: pytest.FixtureRequest) -> Iterator[VeeamMock]:
    """A mock of this test's own, ready to answer, stopped after the test."""
    scenario = _marked_scenario(request) or _suite_scenario(request.config)
    with VeeamMock.start(scenario) as mock:
        yield mock


@pytest.fixture
def veeam_mock_factory() -> Iterator[Callable[..., VeeamMock]]:
    """`start(scenario=None, **options)` → a ready `VeeamMock`; every one stopped after the test."""
    started: List[VeeamMock] = []

    def start(scenario: Optional[ScenarioSource] = None, **options: Any) -> VeeamMock:
        mock = VeeamMock.start(scenario, **options)
        started.append(mock)
        return mock

    yield start
    for mock in started:
        mock.stop()


@pytest.fixture(scope="session")
def veeam_mock_session(pytestconfig: pytest.Config) -> Iterator[VeeamMock]:
    """The session's one mock behind `veeam_mock_shared` (use that one: it resets)."""
    with VeeamMock.start(_suite_scenario(pytestconfig)) as mock:
        yield mock


@pytest.fixture
def veeam_mock_shared(veeam_mock_session: VeeamMock, request: pytest.FixtureRequest) -> VeeamMock:
    """The session's mock, at its scenario's start: the marker's scenario when the test has one,
    else the suite's (put back if an earlier test loaded another)."""
    mock = veeam_mock_session
    marked = _marked_scenario(request)
    if marked is not None:
        mock.load(marked)
    elif mock.scenario_replaced:
        suite = _suite_scenario(request.config)
        mock.load(suite if suite else _default_text(mock.binary))
        mock.scenario_replaced = False
    else:
        mock.reset()
    return mock


@functools.lru_cache(maxsize=None)
def _default_text(binary: str) -> str:
    """The embedded default scenario's text, asked of the binary once per session."""
    return default_scenario(binary)
