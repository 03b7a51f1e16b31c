"""The partial plotly.js bundle (``assets/vendor``) draws every 1-D and 2-D chart.

The browser gets the partial bundle unless a figure has a trace type it lacks
(``pages/shared/plotly_js.py``). So a trace type that a 1-D or 2-D view starts to use
must be in the bundle, or that chart would load the 4.8 MB full bundle; and the
bundle must be the plotly.js the Python package builds figures for. These read the
registered trace types and the version from the built file itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest
from figure_helpers import make_snapshot_3d
from plotly.offline import get_plotlyjs_version

from gmm.figures import model_figure
from gmm.figures.points import MAX_POINTS
from pages.shared.plotly_js import PARTIAL_JS, PARTIAL_MANIFEST, PARTIAL_TRACES

FIGURES = Path(__file__).resolve().parents[2] / "gmm" / "figures"
#: The 3-D trace types, which only the full bundle draws.
THREE_D = {"scatter3d", "mesh3d", "surface", "cone", "streamtube", "isosurface", "volume"}
#: Every trace type Plotly knows.
PLOTLY_TRACES = set(go.layout.template.Data()._valid_props)


@pytest.fixture(scope="module")
def bundle() -> str:
    return PARTIAL_JS.read_text(encoding="utf-8")


def test_the_bundle_registers_exactly_the_trace_types_its_description_lists(bundle):
    registered = set(re.findall(r'moduleType:"trace",name:"(\w+)"', bundle))
    assert registered == PARTIAL_TRACES
    assert registered <= PLOTLY_TRACES and not registered & THREE_D


def test_the_bundle_is_the_plotly_js_of_the_python_package(bundle):
    version = get_plotlyjs_version()
    assert PARTIAL_MANIFEST["plotly_js_version"] == version
    assert PARTIAL_JS.name == f"plotly-partial-{version}.min.js"
    assert re.findall(r'\.version="([\d.]+)"', bundle) == [version]
    assert bundle.startswith(f"/**\n* plotly.js v{version} (partial bundle")
    assert "Licensed under the MIT license" in bundle[:600], "plotly's licence header is kept"


def trace_types_named_in(source: str) -> set[str]:
    """The Plotly trace types a figure module names: ``type="…"``, ``"type": "…"``,
    ``go.Scatter(``; other ``type`` values (shapes, axes) are not trace types."""
    quoted = re.findall(r"""(?:\btype=|["']type["']\s*:\s*)["'](\w+)["']""", source)
    classes = [name.lower() for name in re.findall(r"\bgo\.([A-Z]\w*)\(", source)]
    return (set(quoted) | set(classes)) & PLOTLY_TRACES


def test_every_trace_type_the_figure_builders_use_outside_3d_is_in_the_bundle():
    used = set()
    for path in sorted(FIGURES.glob("*.py")):
        used |= trace_types_named_in(path.read_text(encoding="utf-8"))
    assert {"scatter", "scattergl", "scatter3d"} <= used, "the scan finds the builders' types"
    missing = used - THREE_D - PARTIAL_TRACES
    assert not missing, (
        f"{sorted(missing)} would load the full plotly.js bundle for a 1-D or 2-D chart: "
        "add them to TRACES in assets/vendor/build/build.mjs and rebuild"
    )


def test_the_scan_reads_trace_types_and_leaves_shapes_and_axes_out():
    source = 'dict(type="contour")\n{"type": "image"}\ngo.Bar(x=1)\ntype="line"\ntype="log"'
    assert trace_types_named_in(source) == {"contour", "image", "bar"}


@pytest.mark.parametrize("n", [300, MAX_POINTS + 1_000], ids=["points", "image mode"])
@pytest.mark.parametrize("d", [1, 2])
def test_the_1d_and_2d_views_as_drawn_need_only_the_bundle(d, n):
    X, gamma, means, covs, weights = make_snapshot_3d(n=n)
    options = {}
    if d == 2:
        xs, ys = np.linspace(-6, 6, 20), np.linspace(-4, 4, 20)
        options["density"] = (xs, ys, -np.add.outer(ys**2, xs**2))
    figure = model_figure(
        X[:, :d], gamma, means[:, :d], covs[:, :d, :d], weights, (0.5, 0.9), **options
    )
    types = {trace.type for trace in figure.data}
    if d == 2:
        assert "contour" in types and ("image" in types) == (n > MAX_POINTS)
    assert types <= PARTIAL_TRACES
