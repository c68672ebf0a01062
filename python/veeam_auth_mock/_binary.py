"""Where the `veeam-auth-mock` executable is.

The wheel installs it beside the Python interpreter's other scripts (`bin/` of a venv,
`Scripts\\` on Windows); a checkout or a CI job may point at another build instead.
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
from pathlib import Path

#: The environment variable that names the executable to run, overriding the installed one.
BINARY_VAR = "VEEAM_AUTH_MOCK_BIN"

_NAME = "veeam-auth-mock" + (".exe" if sys.platform == "win32" else "")


def binary_path() -> str:
    """The executable the launcher runs: `$VEEAM_AUTH_MOCK_BIN`, else the one this package
    installed next to the interpreter, else the first on `PATH`.

    Raises `FileNotFoundError` naming every place looked at when there is none.
    """
    override = os.environ.get(BINARY_VAR)
    if override:
        if not os.access(override, os.X_OK):
            raise FileNotFoundError(f"{BINARY_VAR}={override} is not an executable file")
        return override
    looked = []
    schemes = [sysconfig.get_path("scripts")]
    # A `pip install --user` puts scripts under the user scheme instead.
    user_scheme = f"{os.name}_user"
    if user_scheme in sysconfig.get_scheme_names():
        schemes.append(sysconfig.get_path("scripts", user_scheme))
    for scripts in schemes:
        candidate = Path(scripts) / _NAME
        looked.append(str(candidate))
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    on_path = shutil.which(_NAME)
    if on_path:
        return on_path
    raise FileNotFoundError(
        f"no {_NAME} executable: looked at {', '.join(looked)} and PATH; "
        f"install the package (pip install veeam-auth-mock) or set {BINARY_VAR}"
    )
