#!/usr/bin/env bash
# The Python package as a user gets it: builds the wheel from this checkout with pip (maturin
# from PyPI as the build backend; a release build of the binary), installs it into a fresh venv
# with the published clients, and runs the pytest suite in tests/python through the plugin the
# wheel registers: once under pytest-socket with only 127.0.0.1 allowed (as Home Assistant's
# suites run), once under pytest-xdist with two workers (each its own mock), and the package's
# doctests. Needs python3 with venv, PyPI access and the Rust toolchain.
#
#   bash tests/python/run.sh        (from anywhere)
set -euo pipefail
cd "$(dirname "$0")/../.."

wheels=target/wheels
venv=target/python-venv
build_venv=target/python-build-venv

echo "== the wheel: pip wheel . (maturin, release build)"
rm -rf "$wheels" "$venv"
[ -x "$build_venv/bin/python" ] || python3 -m venv "$build_venv"
"$build_venv/bin/python" -m pip wheel --quiet --disable-pip-version-check --no-deps -w "$wheels" .
wheel=$(ls "$wheels"/veeam_auth_mock-*.whl)
echo "built $(basename "$wheel") ($(( $(stat -c %s "$wheel") / 1024 / 1024 )) MB)"
# What the wheel must carry: the executable among its scripts, the package, its typing marker,
# and the pytest11 entry point.
contents=$(python3 -m zipfile -l "$wheel")
for needed in "data/scripts/veeam-auth-mock" "veeam_auth_mock/pytest_plugin.py" "veeam_auth_mock/py.typed" \
    "veeam_auth_mock/testcontainers.py"; do
    grep -qF "$needed" <<<"$contents" || { echo "python: FAILED: the wheel lacks $needed"; exit 1; }
done
python3 -m zipfile -e "$wheel" "$wheels/unpacked" >/dev/null
grep -Eq "^veeam_auth_mock *= *veeam_auth_mock.pytest_plugin$" "$wheels"/unpacked/*.dist-info/entry_points.txt \
    || { echo "python: FAILED: no pytest11 entry point"; exit 1; }
echo "python: ok: the wheel carries the executable, the package, py.typed and the pytest11 entry point"

# The README's example is tests/python/test_readme.py, word for word, so the suite runs it.
python3 - <<'PY'
readme = open("README.md", encoding="utf-8").read()
example = open("tests/python/test_readme.py", encoding="utf-8").read()
assert f"```python\n{example}```" in readme, "README.md's pytest example is not tests/python/test_readme.py"
print("python: ok: the README's pytest example is tests/python/test_readme.py")
PY

echo "== a fresh venv: the wheel and the published clients"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$wheel" -r tests/python/requirements.txt
# The suite must run the installed executable, not a build a variable points at.
unset VEEAM_AUTH_MOCK_BIN
"$venv/bin/python" - <<'PY'
import sys, veeam_auth_mock
from veeam_auth_mock import binary_path
assert veeam_auth_mock.__file__.startswith(sys.prefix), veeam_auth_mock.__file__
assert binary_path().startswith(sys.prefix), binary_path()
print(f"python: ok: veeam_auth_mock and its executable come from the venv ({binary_path()})")
PY

# Outside the checkout, so that `import veeam_auth_mock` can only find the installed package.
suite=$PWD/tests/python
run_pytest() { (cd "$venv" && bin/python -m pytest -p no:cacheprovider --rootdir "$suite" "$@"); }

echo "== pytest, loopback only (pytest-socket --allow-hosts=127.0.0.1)"
run_pytest "$suite" --allow-hosts=127.0.0.1 -q

echo "== pytest -n 2 (pytest-xdist: a mock per worker)"
run_pytest "$suite" -n 2 -q

echo "== the package's doctests"
package=$("$venv/bin/python" -c 'import os, veeam_auth_mock; print(os.path.dirname(veeam_auth_mock.__file__))')
run_pytest --doctest-modules "$package/__init__.py" "$package/mock.py" -q

echo "== the package's types (mypy --strict; it ships py.typed)"
# A copy of the installed package, checked on its own: from inside site-packages mypy would take
# every neighbour (typing_extensions.py, ...) for the user's own module. Not testcontainers.py:
# its base class comes from the optional extra, not installed here.
typed=$(mktemp -d)
cp -r "$package" "$typed/veeam_auth_mock"
rm -rf "$typed/veeam_auth_mock/testcontainers.py" "$typed/veeam_auth_mock/__pycache__"
(cd "$typed" && "$suite/../../$venv/bin/mypy" --strict --no-incremental veeam_auth_mock)
rm -rf "$typed"
echo "python: ok: the package type-checks under mypy --strict"
