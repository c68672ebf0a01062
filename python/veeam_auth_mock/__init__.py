"""veeam-auth-mock from Python: start the mock, drive its clock, faults, routes and journal.

>>> from veeam_auth_mock import VeeamMock
>>> with VeeamMock.start() as mock:
...     mock.journal.count()
0

Installed with pip, the package also registers a pytest plugin (`veeam_auth_mock.pytest_plugin`)
with the `veeam_mock`, `veeam_mock_shared` and `veeam_mock_factory` fixtures, and carries an
optional Testcontainers module (`veeam_auth_mock.testcontainers`, extra `testcontainers`).
"""

from ._admin import AdminClient, AdminError, Clock, Controls, Faults, Journal, Routes
from ._binary import BINARY_VAR, binary_path
from ._scenario import ScenarioSource
from .mock import MockStartError, VeeamMock

__all__ = [
    "AdminClient",
    "AdminError",
    "BINARY_VAR",
    "Clock",
    "Controls",
    "Faults",
    "Journal",
    "MockStartError",
    "Routes",
    "ScenarioSource",
    "VeeamMock",
    "binary_path",
    "default_scenario",
]


def default_scenario(binary: "str | None" = None) -> str:
    """The TOML text of the embedded default scenario (`veeam-auth-mock default-scenario`)."""
    import subprocess

    return subprocess.run([binary or binary_path(), "default-scenario"], check=True, capture_output=True,
                          text=True).stdout
