"""The 3-D view of one EM snapshot: a rotatable cloud with component ellipsoids.

The companion of `gmm.figures.view_2d.scatter_2d`: same inputs (plain NumPy
arrays), same conventions (one points trace from `gmm.figures.points`, a
``meta={"role": ...}`` on every trace, traces built as plain dicts and put
into ``go.Figure(..., _validate=False)``, the shared `gmm.figures.style`,
``uirevision``).

Trace layout of `scatter_3d`
----------------------------
With K components and M mass levels (ascending, j = 0 innermost):

====================  ==========================================  ==========
index                 trace                                       meta role
====================  ==========================================  ==========
0                     all displayed points (one ``Scatter3d``)    "points"
1 + k*(M+1) + j       ellipsoid of component k at mass j          "ellipsoid"
                      (``Mesh3d``; its legend entry reads
                      "Component k · π = 0.42 · 90%")
1 + k*(M+1) + M       mean of component k: a diamond at μ_k, then  "mean"
                      an invisible point at the top of the
                      outermost ellipsoid carrying the "k=1" label
last (optional)       generating components: principal-plane      "truth"
                      ellipses of the largest-mass ellipsoid,
                      dotted grey (one ``Scatter3d``)
====================  ==========================================  ==========

``meta`` carries ``component`` (0-based) and ``mass`` as in 2-D, so there
are exactly K * M "ellipsoid" and K "mean" traces.  The ellipsoid holding
mass m has Mahalanobis radius ``sqrt(chi2.ppf(m, 3))``
(`gmm.figures.geometry.ellipsoid_mesh`): 90% of a 3-D Gaussian lies inside
r = 2.50, not inside the 1-D "1.64 sigma".  The mesh vertices lie
exactly on that ellipsoid; its flat triangles cut chords just inside it,
so the drawn polyhedron holds slightly less (under 1% of mass at the
32 x 20 resolution; tests check both).  Highlighted (e.g. collapsed)
components are drawn in the alert colour, more opaque and faceted, with
"(collapsed)" in the legend and on the label.

`projections_3d` returns three `scatter_2d` figures of the column pairs
(x1, x2), (x1, x3), (x2, x3); a marginal of a Gaussian is the Gaussian
of the 2 x 2 block of Σ (`gmm.figures.geometry.marginal`), so their ellipses are
exactly the marginal ones (with the 2-D radius ``sqrt(chi2.ppf(m, 2))``).

Build times and JSON sizes: ``docs/benchmarks.md``, section "Figures"
(``python benchmarks/bench_figures.py nd``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import plotly.graph_objects as go

from .components_3d import component_traces_3d, truth_trace_3d
from .geometry import marginal
from .points import (
    MAX_POINTS,
    check_points,
    check_snapshot,
    sample_trace,
    subsample_annotations,
)
from .style import (
    FONT_SIZE,
    TEXT_COLOR,
    base_layout,
    comparable_scales,
    layout_options,
    padded_range,
    scaled_type,
    snapshot_legend,
    sorted_masses,
    stack_above_plot,
)
from .view_2d import scatter_2d

__all__ = ["projections_3d", "scatter_3d"]

#: Why a 3-D view draws a sample of a large data set: said in its note.
SAMPLE_WHY = ", a random sample (a 3-D view cannot be drawn as an image)"
#: Column pairs of `projections_3d`.
PROJECTION_PAIRS = ((0, 1), (0, 2), (1, 2))


def _scene_axis(title: str, values: np.ndarray) -> dict:
    """A 3-D axis with a large title and a fixed padded range."""
    return {
        "title": {"text": title, "font": {"size": FONT_SIZE + 2, "color": TEXT_COLOR}},
        "range": padded_range(values),
        "gridcolor": "#D9D9D9",
        "backgroundcolor": "white",
        "showbackground": True,
        "tickfont": {"size": FONT_SIZE - 3, "color": TEXT_COLOR},
    }


def _layout_3d(
    X: np.ndarray,
    column_names: Sequence[str],
    n_shown: int,
    *,
    title: str | None,
    uirevision: str,
    height: int | None,
    banner: str | None = None,
) -> dict:
    """Scene with fixed ranges, true aspect when the column spans are comparable.

    The note and the banner sit in the top margin, above the scene.
    """
    notes = subsample_annotations(n_shown, len(X), why=SAMPLE_WHY)
    annotations, above = stack_above_plot(notes, banner)
    scene = {
        "xaxis": _scene_axis(column_names[0], X[:, 0]),
        "yaxis": _scene_axis(column_names[1], X[:, 1]),
        "zaxis": _scene_axis(column_names[2], X[:, 2]),
        "aspectmode": "data" if comparable_scales(X) else "cube",
        "uirevision": uirevision,
        "dragmode": "turntable",
        "camera": {"eye": {"x": 1.6, "y": -1.6, "z": 0.95}},  # the whole box in view
    }
    layout = {
        **base_layout(uirevision),
        "scene": scene,
        "legend": snapshot_legend(0.0),
        "margin": {"l": 0, "r": 0, "t": max(30, above + 6), "b": 10},
        "annotations": annotations,
        "hovermode": "closest",
        **layout_options(title, height),
    }
    return layout


def _marker_size_3d(n_points: int) -> float:
    """Point size in px for a 3-D cloud (smaller than in 2-D: depth overlaps)."""
    return float(np.clip(10.0 - 1.75 * np.log10(max(n_points, 1)), 2.0, 6.0))


def scatter_3d(
    X: np.ndarray,
    responsibilities: np.ndarray | None,
    means: np.ndarray,
    covariances: np.ndarray,
    weights: np.ndarray,
    masses: Sequence[float] = (0.9,),
    *,
    column_names: Sequence[str] = ("x1", "x2", "x3"),
    highlight: Collection[int] = (),
    highlight_label: str = "collapsed",
    max_points: int | None = MAX_POINTS,
    seed: int = 0,
    true_components: tuple[np.ndarray, np.ndarray] | None = None,
    palette: Sequence[str] | None = None,
    title: str | None = None,
    uirevision: str = "gmm-3d",
    height: int | None = None,
    banner: str | None = None,
    type_scale: float = 1.0,
) -> go.Figure:
    """Rotatable 3-D scatter coloured by responsibility, with component ellipsoids.

    Parameters
    ----------
    X : ndarray, shape (n, 3)
    responsibilities : ndarray, shape (n, K), or None
        None (before the first E-step) draws every point neutral grey.
    means : ndarray, shape (K, 3)
    covariances : ndarray, shape (K, 3, 3)
    weights : ndarray, shape (K,)
    masses : sequence of float, default (0.9,)
        Probability mass inside each ellipsoid level.
    column_names : sequence of str, length 3
        Axis titles and hover labels.
    highlight : collection of int
        0-based components to draw distinctly (alert colour, more opaque,
        faceted, "(collapsed)" in the legend).
    highlight_label, max_points, seed, palette, title
        As in `gmm.figures.scatter_2d`.
    true_components : (means (K0, 3), covariances (K0, 3, 3)), optional
        Generating components: the three principal ellipses of their
        largest-mass ellipsoid, dotted grey.
    uirevision : str, default "gmm-3d"
        Set on the layout and on the scene, so the camera survives reruns.
    height : int, optional
        Figure height in pixels.
    banner : str, optional
        A large bold caption above the scene ("Iteration 3 · after the
        E-step"), as in `gmm.figures.scatter_2d`.
    type_scale : float, default 1
        Every text this many times larger, as in `gmm.figures.scatter_2d`.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces in the order given in the module docstring.
    """
    X = check_points(X, dim=3)
    check_snapshot(len(X), responsibilities, means, covariances, weights, dim=3)
    means = np.asarray(means, dtype=float)
    covariances = np.asarray(covariances, dtype=float)
    weights = np.asarray(weights, dtype=float)
    levels = sorted_masses(masses)
    n_shown = len(X) if max_points is None else min(len(X), max_points)
    points, shown = sample_trace(
        X,
        responsibilities,
        max_points,
        seed,
        column_names=column_names,
        palette=palette,
        trace_type="scatter3d",
        marker={"size": _marker_size_3d(n_shown), "opacity": 0.9},
    )
    components = component_traces_3d(
        means, covariances, weights, levels, highlight, highlight_label, palette
    )
    traces = [points, *components]
    if true_components is not None:
        traces.append(truth_trace_3d(true_components, levels[-1]))
    layout = _layout_3d(
        X,
        column_names,
        len(shown),
        title=title,
        uirevision=uirevision,
        height=height,
        banner=banner,
    )
    layout, traces = scaled_type(layout, traces, type_scale)
    return go.Figure(data=traces, layout=layout, _validate=False)


def projections_3d(
    X: np.ndarray,
    responsibilities: np.ndarray | None,
    means: np.ndarray,
    covariances: np.ndarray,
    weights: np.ndarray,
    masses: Sequence[float] = (0.9,),
    *,
    column_names: Sequence[str] = ("x1", "x2", "x3"),
    true_components: tuple[np.ndarray, np.ndarray] | None = None,
    uirevision: str = "gmm-3d",
    height: int = 380,
    showlegend: bool = False,
    **options,
) -> list[go.Figure]:
    """Three small 2-D marginal views of a 3-D snapshot: (x1, x2), (x1, x3), (x2, x3).

    Each is a `gmm.figures.scatter_2d` of two columns with the marginal
    components N(μ[axes], Σ[axes][:, axes]) (`gmm.figures.geometry.marginal`), so
    its ellipses enclose the stated mass of the *projected* data.  Same
    parameters as `scatter_3d`; ``uirevision`` gets a "-x1-x2" style
    suffix per figure; the legend is hidden unless ``showlegend`` (the
    3-D figure next to them carries it).  Other ``options`` (``highlight``,
    ``highlight_label``, ``max_points``, ``seed``, ``palette``) are passed
    to each `scatter_2d`.

    Returns
    -------
    list of 3 plotly.graph_objects.Figure
        In the order of `PROJECTION_PAIRS`; each has ``meta`` =
        ``{"role": "projection", "axes": [a, b]}`` on its layout.
    """
    X = check_points(X, dim=3)
    check_snapshot(len(X), responsibilities, means, covariances, weights, dim=3)
    figures = []
    for pair in PROJECTION_PAIRS:
        axes = list(pair)
        sub_means, sub_covs = marginal(means, covariances, axes)
        truth = None
        if true_components is not None:
            truth = marginal(true_components[0], true_components[1], axes)
        names = [column_names[a] for a in axes]
        fig = scatter_2d(
            X[:, axes],
            responsibilities,
            sub_means,
            sub_covs,
            weights,
            masses,
            column_names=names,
            true_components=truth,
            uirevision=f"{uirevision}-{names[0]}-{names[1]}",
            height=height,
            layout={
                "showlegend": showlegend,
                "margin": {"l": 60, "r": 10, "t": 30, "b": 40},
                "meta": {"role": "projection", "axes": axes},
            },
            **options,
        )
        figures.append(fig)
    return figures
