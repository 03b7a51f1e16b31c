"""The one-way rules of the house (docs/architecture.md), read off the code.

Each rule is checked on the source with ``ast`` or a regular expression, so a new module
is covered the day it is added, and a failure names the file and what broke the rule.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pages.shared.state import SHARED_KEYS

ROOT = Path(__file__).resolve().parents[1]
GMM = ROOT / "gmm"
DATA = GMM / "data"
FIGURES = GMM / "figures"
PAGES = ROOT / "pages"
SHARED = PAGES / "shared"

#: What gmm.data may import besides the standard library and itself: ``Dataset.truth``
#: is a MixtureParams, the generators' seed goes through ``gmm.checks.as_generator``.
DATA_MAY_IMPORT = {"numpy", "scipy", "pandas", "gmm.errors", "gmm.params", "gmm.checks"}
#: What gmm.figures may import besides the standard library and itself: no engine module,
#: so it cannot run EM.
FIGURES_MAY_IMPORT = {"numpy", "scipy", "plotly"}
#: Calls that change a figure after it is built.
FIGURE_EDITS = {
    "update_layout",
    "update_xaxes",
    "update_yaxes",
    "update_traces",
    "add_trace",
    "add_traces",
    "add_scatter",
    "add_scattergl",
    "add_annotation",
    "add_shape",
    "for_each_trace",
}


def python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def where(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def imports(path: Path) -> set[str]:
    """The absolute names of the modules ``path`` imports (relative imports resolved)."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                found.add(".".join([*base, node.module] if node.module else base))
            else:
                found.add(node.module)
    return found


def within(name: str, modules) -> bool:
    """Whether ``name`` is one of ``modules`` or inside one of them."""
    return any(name == m or name.startswith(m + ".") for m in modules)


def outside_rules(files: list[Path], allowed) -> dict[str, list[str]]:
    """For each file, the imports that are neither standard library nor ``allowed(name)``."""
    found = {
        where(path): sorted(
            name
            for name in imports(path)
            if name.split(".")[0] not in sys.stdlib_module_names and not allowed(name)
        )
        for path in files
    }
    return {path: names for path, names in found.items() if names}


# ------------------------------------------------------------------------------ engine
def test_the_engine_imports_neither_streamlit_nor_the_pages():
    assert outside_rules(python_files(GMM), lambda n: not within(n, ("streamlit", "pages"))) == {}


def test_only_the_figures_import_plotly():
    engine = [p for p in python_files(GMM) if FIGURES not in p.parents]
    assert outside_rules(engine, lambda n: not within(n, ("plotly",))) == {}


def test_the_pages_and_the_router_import_no_plotly():
    """Figures are built, and turned into JSON, in gmm.figures only."""
    app = [*python_files(PAGES), ROOT / "app.py"]
    assert outside_rules(app, lambda n: not within(n, ("plotly",))) == {}


def test_the_data_layer_imports_only_the_core_errors_params_and_checks():
    assert len(python_files(DATA)) >= 10
    allowed = DATA_MAY_IMPORT | {"gmm.data"}
    assert outside_rules(python_files(DATA), lambda n: within(n, allowed)) == {}


def test_the_figures_draw_arrays_and_never_run_em():
    allowed = FIGURES_MAY_IMPORT | {"gmm.figures"}
    assert outside_rules(python_files(FIGURES), lambda n: within(n, allowed)) == {}


@pytest.mark.parametrize("folder", [GMM, SHARED], ids=["gmm", "pages/shared"])
def test_no_private_name_crosses_a_module(folder):
    private = {
        where(path): [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
        for path in python_files(folder)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module != "__future__"
    }
    assert {path: names for path, names in private.items() if names} == {}


def test_import_gmm_loads_neither_streamlit_nor_plotly():
    code = (
        "import sys, gmm, gmm.data, gmm.run, gmm.sweep, gmm.restarts, gmm.export; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'streamlit', 'plotly', 'pages'})"
        ", 'gmm.figures' in sys.modules)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert shown.stdout.split() == ["[]", "False"]


# ------------------------------------------------------------------------------- pages
def page_scripts() -> list[Path]:
    return [p for p in sorted(PAGES.glob("*.py")) if p.name != "__init__.py"]


def app_modules() -> list[Path]:
    return [*page_scripts(), *python_files(SHARED)]


def test_pages_holds_only_the_page_scripts_the_router_routes_to():
    routed = re.findall(r'st\.Page\(\s*"(pages/[\w/]+\.py)"', (ROOT / "app.py").read_text())
    assert sorted(where(p) for p in page_scripts()) == sorted(routed)


def test_pages_never_import_each_other_and_shared_never_imports_a_page():
    pages = tuple(f"pages.{p.stem}" for p in page_scripts())
    assert outside_rules(app_modules(), lambda n: not within(n, pages)) == {}


def test_pages_do_not_edit_figures():
    """A figure comes out of its builder finished: no page calls update_layout & co."""
    edits = {
        where(path): sorted(
            {
                node.attr
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(node, ast.Attribute) and node.attr in FIGURE_EDITS
            }
        )
        for path in app_modules()
    }
    assert {path: calls for path, calls in edits.items() if calls} == {}


_KEY_USE = re.compile(
    r"(?:\bss|st\.session_state)(?:\.(?!get\b|pop\b|setdefault\b|keys\b)(\w+)"
    r"""|\[\s*["'](\w+)["']\s*\]|\.(?:get|pop|setdefault)\(\s*["'](\w+)["'])"""
)


def session_keys(path: Path) -> set[str]:
    """The session-state keys a module names (``ss.x``, ``ss["x"]``, ``ss.get("x")``)."""
    return {next(g for g in m.groups() if g) for m in _KEY_USE.finditer(path.read_text())}


def test_every_session_key_two_modules_share_is_declared():
    users: dict[str, set[str]] = {}
    for path in app_modules():
        for key in session_keys(path):
            users.setdefault(key, set()).add(where(path))
    undeclared = {
        key: sorted(files)
        for key, files in users.items()
        if len(files) > 1 and key not in SHARED_KEYS and not key.startswith("_")
    }
    assert undeclared == {}
    assert {"dataset", "settings", "stepper", "view"} <= set(SHARED_KEYS)


def test_only_the_sidebar_touches_its_widget_keys():
    widget_keys = set(re.findall(r'key="(\w+)"', (SHARED / "sidebar.py").read_text()))
    assert {"k", "init", "cov_type", "seed", "reg_covar", "tol", "max_iter"} <= widget_keys
    touched = {
        where(path): sorted(session_keys(path) & widget_keys)
        for path in app_modules()
        if path.name != "sidebar.py"
    }
    assert {path: keys for path, keys in touched.items() if keys} == {}
