"""The 2-D view of one EM snapshot: points coloured by responsibility, component ellipses.

Every builder takes plain NumPy arrays (no engine classes) and returns a
finished ``plotly.graph_objects.Figure``, so it works the same in the
Streamlit app and in a notebook.

Trace layout of the 2-D figures
-------------------------------
Traces come in a fixed, documented order so that the app and the tests
can address them by index or by ``meta``:

====================  =========================================  ==========
index                 trace                                      meta role
====================  =========================================  ==========
0                     all displayed points (one ``Scattergl``)   "points"
1 + k*(M+1) + j       outline of component k at mass j           "ellipse"
1 + k*(M+1) + M       mean of component k (its legend entry)     "mean"
1 + K*(M+1) + j       legend-only key: line style of mass j      "mass_key"
                      (left out when K = 0)
then (optional)       generating ("true") components, dotted     "truth"
last (optional)       starting means picked by hand, stars       "picked"
====================  =========================================  ==========

with K components and M mass levels (sorted ascending, so j = 0 is the
innermost, shaded one).  ``meta`` also carries ``component`` (0-based) and
``mass``; components are numbered from 1 in everything the audience sees.
Exactly one outline trace exists per (component, mass).

Points, outlines, means and the truth overlay are all WebGL (``scattergl``)
traces: Plotly draws WebGL traces above SVG ones, so SVG outlines would
disappear under a dense point cloud.

Point colours are encoded as described in `gmm.figures.points`.

Plain dicts, not validated
--------------------------
Plotly's validation is slow: validating the colorscale, applying a named
template (~20 ms) and re-validating every trace object when it is put
into a figure.  So every trace here is a plain dict and figures are built
with ``go.Figure(..., _validate=False)``; the tests instead rebuild each
figure from its JSON with full validation, which fails on any invalid
property.  Later ``update_layout``/``add_trace`` calls on the returned
figures work as usual.

The encodings measured, and build times and JSON sizes, are in
``docs/benchmarks.md`` (section "Figures"; ``benchmarks/bench_figures.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from .colors import ALERT, component_color, darken
from .geometry import ellipses
from .points import (
    MAX_POINTS,
    check_points,
    check_snapshot,
    picked_means_traces,
    points_trace,
    shown_points,
    subsample_annotations,
)
from .style import (
    FILL_ALPHA,
    FONT_SIZE,
    MASS_DASHES,
    axis_style,
    base_layout,
    comparable_scales,
    component_name,
    layout_options,
    mass_dash,
    merged,
    padded_range,
    percent,
    rgba,
    snapshot_legend,
    sorted_masses,
)

__all__ = ["component_traces", "scatter_2d"]

#: Points sampled along each dash.
POINTS_PER_DASH = 4
#: Dash pattern of the generating components' outlines (dotted).
TRUTH_DASH = MASS_DASHES[2]
#: Points per ellipse outline.
ELLIPSE_POINTS = 100
#: Font size of thumbnails (``compact=True``).
COMPACT_FONT_SIZE = FONT_SIZE - 5


# =========================================================== component traces


def _ellipse_trace(
    outline: np.ndarray,
    k: int,
    mass: float,
    level: int,
    n_levels: int,
    color: str,
    highlighted: bool,
    labelled: bool = True,
) -> dict:
    """Outline of component ``k``'s region holding ``mass``.

    Parameters
    ----------
    outline : ndarray, shape (P, 2)
        Closed outline (see `gmm.figures.geometry.ellipses`).
    k : int
        Component index (0-based).
    mass : float
        Enclosed probability mass.
    level : int
        Position of ``mass`` among the masses, 0 = innermost: sets the dash;
        the innermost level is shaded, the outermost carries a text label.
    n_levels : int
        Number of mass levels.
    color : str
        Component colour (hex); the outline uses a darker shade so it stays
        visible over the component's own points, the shading the colour
        itself.
    highlighted : bool
        Draw in the alert colour with a thicker line.
    labelled : bool, default True
        Label the outermost outline with its mass ("90%").

    Returns
    -------
    dict
        Plain ``scattergl`` trace spec.
    """
    label = f"k={k + 1} · {percent(mass)}"
    dash_name, n_dashes, drawn = mass_dash(level)
    path = _dashed(outline, n_dashes, drawn)
    line_color = ALERT if highlighted else darken(color)
    trace = dict(
        type="scattergl",
        x=path[:, 0],
        y=path[:, 1],
        mode="lines",
        line={"color": line_color, "width": 4.5 if highlighted else 2.5},
        connectgaps=False,
        fill="toself" if level == 0 else "none",
        fillcolor=rgba(color, FILL_ALPHA),
        hovertemplate=f"{label} region<extra></extra>",
        name=label,
        legendgroup=f"component{k}",
        showlegend=False,
        meta={
            "role": "ellipse",
            "component": k,
            "mass": mass,
            "dash": dash_name,
            "highlighted": highlighted,
        },
    )
    if labelled and level == n_levels - 1:
        trace |= _outline_label(trace, outline, percent(mass), line_color)
    return trace


def _outline_label(trace: dict, outline: np.ndarray, label: str, color: str) -> dict:
    """Properties adding a text ``label`` above the top of ``outline``.

    The label point is appended to the trace's path after a NaN gap.
    WebGL traces draw text only when markers are on, so the markers are
    made invisible (size 0, transparent).
    """
    top = outline[int(np.argmax(outline[:, 1]))]
    return {
        "x": np.append(trace["x"], [np.nan, top[0]]),
        "y": np.append(trace["y"], [np.nan, top[1]]),
        "mode": "lines+markers+text",
        "marker": {"size": 0, "color": "rgba(0,0,0,0)", "line": {"width": 0}},
        "text": [""] * (len(trace["x"]) + 1) + [label],
        "textposition": "top center",
        "textfont": {"color": color, "size": FONT_SIZE - 2},
    }


def _dashed(path: np.ndarray, n_dashes: int, drawn: float) -> np.ndarray:
    """Cut a polyline into equally spaced dashes separated by NaN rows.

    Parameters
    ----------
    path : ndarray, shape (P, 2)
        Polyline, e.g. a closed outline.
    n_dashes : int
        Number of dash periods along the whole path; 0 returns ``path``
        unchanged (solid).
    drawn : float
        Fraction of each period that is drawn, in (0, 1].

    Returns
    -------
    ndarray, shape (n_dashes * (POINTS_PER_DASH + 1), 2) or (P, 2)
        Dashes spaced uniformly in arc length, each followed by a NaN row.
    """
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(path, axis=0), axis=1))])
    if n_dashes == 0 or arc[-1] == 0.0:
        return path
    within = np.linspace(0.0, drawn, POINTS_PER_DASH)
    where = (np.arange(n_dashes)[:, None] + within[None, :]) * (arc[-1] / n_dashes)
    dashes = np.stack([np.interp(where, arc, path[:, 0]), np.interp(where, arc, path[:, 1])], -1)
    gaps = np.full((n_dashes, 1, 2), np.nan)
    return np.concatenate([dashes, gaps], axis=1).reshape(-1, 2)


def _mean_trace(
    mean: np.ndarray,
    weight: float,
    k: int,
    color: str,
    highlight_label: str | None,
    compact: bool = False,
) -> dict:
    """Marker at component ``k``'s mean; also its legend entry.

    Parameters
    ----------
    mean : ndarray, shape (2,)
    weight : float
        Mixing weight pi_k, shown in the legend.
    k : int
        Component index (0-based).
    color : str
        Component colour (hex).
    highlight_label : str or None
        If given, the component is highlighted: a different marker symbol
        and e.g. "(collapsed)" appended to the legend entry.
    compact : bool, default False
        A smaller marker, for thumbnails.

    Returns
    -------
    dict
        Plain ``scattergl`` trace spec.
    """
    highlighted = highlight_label is not None
    name = component_name(k, weight, highlight_label)
    return dict(
        type="scattergl",
        x=[float(mean[0])],
        y=[float(mean[1])],
        mode="markers",
        marker={
            "symbol": "circle-x" if highlighted else "x",
            "size": 11 if compact else 22 if highlighted else 18,
            "color": color,
            "line": {"color": ALERT if highlighted else "black", "width": 1.5 if compact else 2},
        },
        hovertemplate=(f"{name}<br>μ = (%{{x:.3g}}, %{{y:.3g}})<extra></extra>"),
        name=name,
        legendgroup=f"component{k}",
        legendrank=100 + k,
        meta={"role": "mean", "component": k, "weight": float(weight), "highlighted": highlighted},
    )


def component_traces(
    means: np.ndarray,
    covariances: np.ndarray,
    weights: np.ndarray,
    masses: Sequence[float] = (0.5, 0.9),
    highlight: Collection[int] = (),
    *,
    highlight_label: str = "collapsed",
    palette: Sequence[str] | None = None,
    compact: bool = False,
) -> list[dict]:
    """Outline and mean traces of all components, in the documented order.

    Parameters
    ----------
    means : ndarray, shape (K, 2)
    covariances : ndarray, shape (K, 2, 2)
        Full covariance matrices (singular ones give flat outlines).
    weights : ndarray, shape (K,)
    masses : sequence of float
        Probability masses of the outlines (sorted ascending internally).
    highlight : collection of int
        0-based indices of components to draw distinctly.
    highlight_label : str
        Legend suffix of highlighted components.
    palette : sequence of str, optional
        Component colours (default `gmm.figures.colors.PALETTE`).
    compact : bool, default False
        Small means and no mass labels on the outlines, for thumbnails.

    Returns
    -------
    list of dict, length K * (M + 1)
        For each component: M outlines (innermost first), then its mean.
    """
    levels = sorted_masses(masses)
    outlines = [ellipses(means, covariances, m, ELLIPSE_POINTS) for m in levels]
    flagged_set = set(highlight)
    traces = []
    for k in range(len(means)):
        color = component_color(k, palette)
        flagged = k in flagged_set
        traces += [
            _ellipse_trace(outlines[j][k], k, m, j, len(levels), color, flagged, not compact)
            for j, m in enumerate(levels)
        ]
        label = highlight_label if flagged else None
        traces.append(_mean_trace(means[k], weights[k], k, color, label, compact))
    return traces


def _mass_key_traces(masses: tuple[float, ...]) -> list[dict]:
    """Legend-only grey lines explaining the dash of each mass level."""
    return [
        dict(
            type="scatter",
            x=[None],
            y=[None],
            mode="lines",
            line={"color": "#444444", "width": 2.5, "dash": mass_dash(j)[0]},
            name=f"{percent(m)} of a component's mass",
            legendgroup="mass_key",
            legendrank=1000 + j,
            hoverinfo="skip",
            meta={"role": "mass_key", "mass": m},
        )
        for j, m in enumerate(masses)
    ]


def _truth_trace(true_components: tuple[np.ndarray, np.ndarray], mass: float) -> dict:
    """One dotted grey trace outlining all generating components at ``mass``.

    Parameters
    ----------
    true_components : (means (K0, 2), covariances (K0, 2, 2))
    mass : float

    Returns
    -------
    dict
        Plain ``scattergl`` trace spec; outlines separated by NaN rows.
    """
    means, covariances = (np.asarray(a, dtype=float) for a in true_components[:2])
    outlines = ellipses(means, covariances, mass, ELLIPSE_POINTS)
    _, n_dashes, drawn = TRUTH_DASH
    gap = np.full((1, 2), np.nan)
    pieces = [np.vstack([_dashed(o, n_dashes, drawn), gap]) for o in outlines]
    path = np.concatenate(pieces) if pieces else np.empty((0, 2))
    return dict(
        type="scattergl",
        x=path[:, 0],
        y=path[:, 1],
        mode="lines",
        connectgaps=False,
        line={"color": "#7F7F7F", "width": 2},
        name=f"generating components ({percent(mass)}, dotted)",
        legendrank=2000,
        hoverinfo="skip",
        meta={"role": "truth", "mass": mass},
    )


# ===================================================================== layout


def _layout_2d(X: np.ndarray, column_names: Sequence[str], n_shown: int, uirevision: str) -> dict:
    """Layout of the 2-D scatter: fixed padded ranges, equal aspect when sensible, legend.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
        All data (the ranges cover every point, not only those shown).
    column_names : sequence of str, length 2
    n_shown : int
        Number of points drawn.
    uirevision : str
    """
    yaxis = {**axis_style(column_names[1]), "range": padded_range(X[:, 1])}
    if comparable_scales(X):
        yaxis.update(scaleanchor="x", scaleratio=1)
    return {
        **base_layout(uirevision),
        "xaxis": {**axis_style(column_names[0]), "range": padded_range(X[:, 0])},
        "yaxis": yaxis,
        "legend": snapshot_legend(-0.18),
        "margin": {"l": 70, "r": 10, "t": 30, "b": 40},
        "annotations": subsample_annotations(n_shown, len(X)),
    }


def _compact_layout(title: str | None) -> dict:
    """What a thumbnail changes in the layout: small type, no legend, narrow margins."""
    small = {"font": {"size": COMPACT_FONT_SIZE}}
    patch = {
        "showlegend": False,
        **small,
        "margin": {"l": 45, "r": 8, "t": 34 if title else 8, "b": 36},
        "xaxis": {"title": small},
        "yaxis": {"title": small},
    }
    if title:
        patch["title"] = {"font": {"size": FONT_SIZE - 3}, "x": 0.02, "xanchor": "left", "y": 0.97}
    return patch


# ============================================================== 2-D snapshot


def scatter_2d(
    X: np.ndarray,
    responsibilities: np.ndarray | None,
    means: np.ndarray,
    covariances: np.ndarray,
    weights: np.ndarray,
    masses: Sequence[float] = (0.5, 0.9),
    *,
    column_names: Sequence[str] = ("x1", "x2"),
    highlight: Collection[int] = (),
    highlight_label: str = "collapsed",
    max_points: int | None = MAX_POINTS,
    seed: int = 0,
    true_components: tuple[np.ndarray, np.ndarray] | None = None,
    palette: Sequence[str] | None = None,
    title: str | None = None,
    uirevision: str = "gmm",
    dragmode: str | None = None,
    height: int | None = None,
    picked_means: Sequence[Sequence[float]] | None = None,
    compact: bool = False,
    layout: Mapping | None = None,
) -> go.Figure:
    """Scatter of 2-D data coloured by responsibility, with component ellipses.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
        Data.
    responsibilities : ndarray, shape (n, K), or None
        gamma_ik of the current snapshot; None (before the first E-step)
        draws every point neutral grey.
    means : ndarray, shape (K, 2)
    covariances : ndarray, shape (K, 2, 2)
        Full covariance matrices.
    weights : ndarray, shape (K,)
    masses : sequence of float, default (0.5, 0.9)
        Probability mass enclosed by each outline level.
    column_names : sequence of str, length 2
        Axis titles and hover labels.
    highlight : collection of int
        0-based components to draw distinctly (e.g. collapsed ones).
    highlight_label : str, default "collapsed"
        Legend suffix of highlighted components.
    max_points : int or None, default 20 000
        Draw at most this many points (seeded random subset, see
        `display_subsample`); None draws all.
    seed : int, default 0
        Seed of the display subsample.
    true_components : (means (K0, 2), covariances (K0, 2, 2)), optional
        Generating components, outlined thin, dotted and grey at the
        largest mass.
    palette : sequence of str, optional
        Component colours (default `gmm.figures.colors.PALETTE`).
    title : str, optional
    uirevision : str, default "gmm"
        Keep zoom/pan/legend state across reruns with the same value.
    dragmode : str, optional
        E.g. "select" or "lasso" to pick points with the mouse.
    height : int, optional
        Figure height in pixels.
    picked_means : sequence of (x, y), optional
        Starting means picked by hand, drawn as labelled black stars on top.
    compact : bool, default False
        A thumbnail: small type, points and means, no legend, no mass labels
        on the outlines, the title on the left.
    layout : mapping, optional
        Layout properties laid over the built layout (nested dicts are
        merged, as by ``update_layout``), e.g. ``{"margin": {"l": 60}}``.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces in the order given in the module docstring.
    """
    X = check_points(X)
    check_snapshot(len(X), responsibilities, means, covariances, weights)
    shown, gamma_shown = shown_points(len(X), responsibilities, max_points, seed)
    points = points_trace(
        X[shown],
        gamma_shown,
        column_names=column_names,
        n_total=len(X),
        palette=palette,
        marker={"size": 4} if compact else None,
    )
    components = component_traces(
        means,
        covariances,
        weights,
        masses,
        highlight,
        highlight_label=highlight_label,
        palette=palette,
        compact=compact,
    )
    levels = sorted_masses(masses)
    keys = _mass_key_traces(levels) if len(means) > 0 else []  # nothing to explain
    truth = [] if true_components is None else [_truth_trace(true_components, levels[-1])]
    figure_layout = _layout_2d(X, column_names, len(shown), uirevision)
    figure_layout |= layout_options(title, height, dragmode)
    if compact:
        figure_layout = merged(figure_layout, _compact_layout(title))
    figure_layout = merged(figure_layout, layout)
    traces = [points, *components, *keys, *truth, *picked_means_traces(picked_means)]
    return go.Figure(data=traces, layout=figure_layout, _validate=False)
