#!/usr/bin/env bash
# Wheel check: the engine as a user installs it. Builds a wheel of this checkout, installs
# it in a fresh virtual environment (so with the engine's dependencies only: NumPy, SciPy,
# pandas) and, from a folder outside the repository:
#   1. imports gmm, with neither Streamlit nor Plotly installed, and loads the built-in
#      data sets (package data, read through importlib.resources);
#   2. checks that the wheel holds the animation's page and player, that `python -m gmm fit`
#      works there and that `animate` says in one line that it needs Plotly;
#   3. runs an engine test, tests/engine/test_oracle.py (scikit-learn as the oracle),
#      against the installed gmm, never the checkout's.
# Needs python3 with venv and the package index pip is configured with. About 30 s.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export OPENBLAS_NUM_THREADS=1 PIP_DISABLE_PIP_VERSION_CHECK=1

python3 -m venv "$work/venv"
py="$work/venv/bin/python"

# Build from a copy of the checkout's files (tracked, and untracked but not ignored): an
# in-tree build would leave build/ and *.egg-info in the repository.
mkdir "$work/src"
git -C "$repo" ls-files -z --cached --others --exclude-standard |
    tar -C "$repo" --null --ignore-failed-read -T - -cf - | tar -C "$work/src" -xf -
"$py" -m pip wheel -q --no-deps -w "$work/wheel" "$work/src"
"$py" -m pip install -q "$work"/wheel/*.whl

cd "$work" # nothing of the checkout is importable from here
"$py" -c "import gmm; print(gmm.load_faithful().shape, gmm.load_iris().shape)"
"$py" - <<'PY'
import importlib.util
import sys
import sysconfig

import gmm

site = sysconfig.get_paths()["purelib"]
assert gmm.__file__.startswith(site), f"gmm imported from {gmm.__file__}, not {site}"
for name in ("streamlit", "plotly"):
    assert importlib.util.find_spec(name) is None, f"{name} is installed with the engine"
    assert name not in sys.modules, f"import gmm imported {name}"
print(f"import gmm: from {gmm.__file__}, without Streamlit or Plotly")
PY

# The command line with the engine alone, and the animation's page inside the wheel.
python3 - "$work"/wheel/*.whl <<'PY'
import sys
import zipfile

names = set(zipfile.ZipFile(sys.argv[1]).namelist())
for name in ("gmm/figures/standalone.html", "gmm/figures/standalone.js", "gmm/__main__.py"):
    assert name in names, f"{name} is missing from the wheel"
print("wheel holds the standalone animation's page and player, and gmm/__main__.py")
PY
"$py" -m gmm fit --builtin old-faithful --k 2 >"$work/fit.out"
grep -q "^log-likelihood: -1130.26" "$work/fit.out"
set +e
"$py" -m gmm animate --builtin old-faithful --k 2 --out "$work/em.html" 2>"$work/animate.err"
status=$?
set -e
test "$status" = 1 && grep -q "animate needs Plotly" "$work/animate.err" && test "$(wc -l <"$work/animate.err")" = 1
echo "python -m gmm fit works without Plotly; animate says what to install (exit 1)"

# An engine test against the installed package. The repository's pyproject.toml is not
# read (its pythonpath = ["."] would put the checkout first): an empty pytest.ini here is.
"$py" -m pip install -q pytest scikit-learn
cat >"$work/pytest.ini" <<'INI'
[pytest]
filterwarnings =
    ignore::gmm.ConvergenceWarning
    ignore::sklearn.exceptions.ConvergenceWarning
INI
cat >"$work/installed_gmm_only.py" <<'PY'
"""pytest plugin of check_wheel.sh: stop unless the tests imported the installed gmm."""

import sys
import sysconfig

import pytest


def pytest_collection_finish(session):
    path = getattr(sys.modules.get("gmm"), "__file__", None) or "nowhere"
    site = sysconfig.get_paths()["purelib"]
    if not path.startswith(site):
        pytest.exit(f"the tests imported gmm from {path}, not from {site}", returncode=1)
PY
PYTHONPATH="$work" "$py" -m pytest -q -p no:cacheprovider -p installed_gmm_only \
    -c "$work/pytest.ini" --rootdir "$work" "$repo/tests/engine/test_oracle.py"
