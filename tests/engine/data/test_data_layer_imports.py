"""The data layer's imports: the core's errors, parameters and checks, NumPy, SciPy, pandas.

Data flow one way, from ``gmm.data`` to the engine, the figures and the pages: the data
layer imports none of them, and never Plotly or Streamlit.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import gmm.data

DATA = Path(gmm.data.__file__).resolve().parent
THIRD_PARTY = {"numpy", "scipy", "pandas"}
CORE = {"gmm.errors", "gmm.params", "gmm.checks"}
"""What gmm.data may import from the rest of gmm (``Dataset.truth`` is a MixtureParams;
the generators' seed goes through ``gmm.checks.as_generator``, which imports NumPy and
gmm.errors only)."""


def imported_modules(path: Path) -> list[str]:
    """Names of the modules that the file at ``path`` imports (absolute imports only)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.append(node.module)
    return names


def allowed(name: str) -> bool:
    top = name.split(".")[0]
    inside = name == "gmm.data" or name.startswith("gmm.data.")
    return top in sys.stdlib_module_names or top in THIRD_PARTY or name in CORE or inside


def test_data_layer_imports_only_the_core_errors_and_params_numpy_scipy_pandas():
    modules = sorted(DATA.rglob("*.py"))
    assert len(modules) >= 10
    bad = {
        str(path.relative_to(DATA)): [name for name in imported_modules(path) if not allowed(name)]
        for path in modules
    }
    assert not {path: names for path, names in bad.items() if names}


def test_data_modules_do_not_import_streamlit_or_plotly():
    code = (
        "import sys, gmm.data, gmm.errors; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('streamlit', 'plotly')]; "
        "assert not bad, bad"
    )
    subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[3]
    )
