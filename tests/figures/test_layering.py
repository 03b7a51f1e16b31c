"""The figures layer keeps its place: Plotly only in gmm/figures, no Streamlit, no EM,
and the pages hand on figures as their builders return them."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GMM = ROOT / "gmm"
FIGURES = GMM / "figures"
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


def imported_modules(path: Path) -> set[str]:
    """Absolute names of the modules a file imports (relative ones resolved in gmm.figures)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = ".".join(path.relative_to(ROOT).with_suffix("").parts[: -node.level])
                names.add(f"{package}.{node.module}" if node.module else package)
            else:
                names.add(node.module)
    return names


def top(name: str) -> str:
    return name.split(".")[0]


def test_only_gmm_figures_imports_plotly_and_nothing_in_gmm_imports_streamlit():
    for path in GMM.rglob("*.py"):
        tops = {top(m) for m in imported_modules(path)}
        assert "streamlit" not in tops and "pages" not in tops, path
        if FIGURES not in path.parents:
            assert "plotly" not in tops, f"{path} imports Plotly outside gmm/figures"


@pytest.mark.parametrize("path", sorted(FIGURES.glob("*.py")), ids=lambda p: p.name)
def test_figures_draw_arrays_and_never_run_em(path):
    """gmm.figures imports NumPy, SciPy, Plotly and itself: no engine module runs EM here."""
    for module in imported_modules(path):
        allowed = top(module) in {"numpy", "scipy", "plotly", "__future__", "collections", "typing"}
        assert allowed or module.startswith("gmm.figures"), f"{path.name} imports {module}"


def test_no_private_name_crosses_a_module():
    for path in FIGURES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{path.name} imports {private} from {node.module}"


def test_import_gmm_loads_neither_plotly_nor_streamlit():
    code = (
        "import sys, gmm; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('plotly', 'streamlit')]; "
        "assert not bad, bad; assert 'gmm.figures' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_pages_do_not_edit_figures():
    """A figure comes out of its builder finished: no page calls update_layout & co."""
    for path in (ROOT / "pages").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute):
                assert node.attr not in FIGURE_EDITS, f"{path.name} calls .{node.attr}()"
