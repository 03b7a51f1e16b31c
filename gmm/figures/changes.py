"""Overlays that show what a half-step changed, and the point whose arithmetic is open.

Laid over a finished view by `gmm.figures.model_figure` (options ``changed_points``,
``previous`` and ``selected_point``), after the view's own traces, so that they are drawn
on top and the view's trace order (documented in each view module) is unchanged:

==================  ===========================================================  ==========
option              what is drawn                                                meta role
==================  ===========================================================  ==========
changed_points      a dark ring round each drawn point whose most likely          "changed"
                    component changed (the E-step's news); one trace
previous            the previous snapshot's components, faint and dashed in       "ghost"
                    their own colours (2-D: ellipses; 1-D: the curves
                    π_k N_k(x), dotted; 3-D: the old means), one trace per
                    component; and an arrow from each old mean to the new one     (layout
                    (2-D, 1-D: layout annotations named "moved k"; 3-D: a         annotations;
                    dashed line, role "moved")                                    "moved")
selected_point      a large black ring with the point's number ("point 37");      "selected"
                    in 1-D also a dotted vertical line at x (a layout shape
                    named "selected"), where the curves give π_k N(x | μ_k, σ_k)
==================  ===========================================================  ==========

Every overlay skips hover, so a click still reaches the data point under it. Rings
are drawn for points the view shows (its display subsample); the selected point is
always drawn, also when the subsample left it out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .colors import component_color
from .components_1d import weighted_curves
from .components_2d import dashed
from .geometry import ellipses
from .points import MAX_POINTS, display_subsample
from .style import data_extremes, data_span, scaled_type
from .svg_or_webgl import matching

__all__ = ["RING_CELLS", "add_change_overlays", "ring_style", "ringed_subset"]

#: The rings' colour: dark, so that it reads on every component colour.
RING_COLOR = "#111111"
#: Changed points get one ring per cell of a grid this many cells across the data's
#: range in each column (`ringed_subset`), about a ring's width on the app's chart:
#: thousands of points changing at once would pile their rings into a black band.
RING_CELLS = 40
#: Opacity of the ghosts of the previous components.
GHOST_OPACITY = 0.55
#: Ghost outlines: (dashes per outline, drawn fraction), shorter than any outline's
#: (`gmm.figures.style.MASS_DASHES`), so that a ghost is not taken for an outline.
GHOST_DASH = (40, 0.45)
#: An arrow is drawn only for a mean that moved more than this share of the view's span.
MIN_ARROW_SHARE = 0.01


def _skip_hover(trace: dict) -> dict:
    return trace | {"hoverinfo": "skip", "showlegend": False}


def _line_trace(trace_type: str, path: np.ndarray, k: int, role: str, **style) -> dict:
    """Component ``k``'s line through ``path`` (P, 2) or (P, 3), without hover."""
    coords = dict(zip("xyz", path.T))
    words = "before" if role == "ghost" else "moved"
    return _skip_hover(
        dict(
            type=trace_type,
            **coords,
            name=f"component {k + 1} {words}",
            meta={"role": role, "component": k},
            **style,
        )
    )


def _point_positions(figure: go.Figure, X: np.ndarray, indices, shown) -> np.ndarray:
    """Where data rows ``indices`` are drawn: (m, d) for 2-D and 3-D; in 1-D (m, 2) with
    the rug's jittered height (or the rug's middle for a point the subsample left out)."""
    indices = np.asarray(indices, dtype=int)
    if X.shape[1] > 1:
        return X[indices]
    rug = np.asarray(figure.data[0].y, dtype=float)
    if (figure.data[0].meta or {}).get("mode") == "image":  # a strip: its middle
        return np.column_stack([X[indices, 0], np.full(len(indices), float(np.median(rug)))])
    place = np.clip(np.searchsorted(shown, indices), 0, len(shown) - 1)
    drawn = shown[place] == indices
    heights = np.where(drawn, rug[place], float(np.median(rug)) if len(rug) else 0.0)
    return np.column_stack([X[indices, 0], heights])


def _marker_trace(positions: np.ndarray, marker: dict, role: str, **extra) -> dict:
    """Markers at ``positions`` (m, 2) or (m, 3): scattergl, or scatter3d in 3-D."""
    if positions.shape[1] == 3:
        trace = {"type": "scatter3d", "z": positions[:, 2]}
        marker = marker | {"symbol": "circle-open"}
    else:
        trace = {"type": "scattergl"}
    trace |= {
        "x": positions[:, 0],
        "y": positions[:, 1],
        "mode": "markers",
        "marker": marker,
        "meta": {"role": role},
        "name": role,
    }
    return _skip_hover(trace | extra)


def _ring_marker(dim: int) -> dict:
    return {
        "symbol": "circle-open",
        "size": 14 if dim == 3 else 13,
        "color": RING_COLOR,
        "line": {"width": 2, "color": RING_COLOR},
    }


def ringed_subset(X: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The changed points that get a ring: the first of ``rows`` in each cell of a grid
    `RING_CELLS` cells across the range of each column of ``X``.

    Parameters
    ----------
    X : ndarray, shape (n, d)
        The data (its range is computed once per array: `data_extremes`, `data_span`).
    rows : ndarray of int, shape (m,)
        Sorted rows of ``X`` whose most likely component changed.

    Returns
    -------
    ndarray of int, shape (m',), m' <= m
        The rows ringed, in order: all of them where they lie apart, one per crowded
        cell. The Explore page's frames (`pages/shared/history_player.py`) ring the
        same rows as this view does.
    """
    rows = np.asarray(rows, dtype=int)
    if len(rows) < 2:
        return rows
    low = data_extremes(X)[:, 0]
    span = data_span(X)
    scaled = (X[rows] - low) / np.where(span > 0, span, 1.0) * RING_CELLS
    cells = np.clip(np.floor(scaled), 0, RING_CELLS - 1).astype(np.int64)
    keys = np.ravel_multi_index(tuple(cells.T), (RING_CELLS,) * X.shape[1])
    _, first = np.unique(keys, return_index=True)
    return rows[np.sort(first)]


def changed_trace(figure: go.Figure, X: np.ndarray, changed, shown) -> dict:
    """A ring round each drawn point whose most likely component changed, one per
    crowded spot (`ringed_subset`)."""
    changed = np.intersect1d(np.asarray(changed, dtype=int), shown)
    ringed = ringed_subset(X, changed)
    positions = _point_positions(figure, X, ringed, shown)
    trace = _marker_trace(positions, _ring_marker(X.shape[1]), "changed")
    trace["meta"] = {"role": "changed", "n_changed": len(changed), "n_ringed": len(ringed)}
    return trace


def ring_style(dim: int) -> dict:
    """`changed_trace` for data of ``dim`` columns without its positions (x, y, z) and
    its count: for a page that places the rings itself (`gmm.figures.history_frames`)."""
    empty = np.zeros((0, 3 if dim == 3 else 2))
    trace = _marker_trace(empty, _ring_marker(dim), "changed")
    trace["meta"] = {"role": "changed"}
    return {key: value for key, value in trace.items() if key not in ("x", "y", "z")}


def selected_traces(figure: go.Figure, X: np.ndarray, index: int, shown) -> tuple[list, list]:
    """The selected point: a large ring with its number; in 1-D a vertical line at x.

    Returns
    -------
    (traces, shapes)
    """
    position = _point_positions(figure, X, [index], shown)
    marker = {
        "symbol": "circle-open",
        "size": 24,
        "color": "black",
        "line": {"width": 3.5, "color": "black"},
    }
    ring = _marker_trace(
        position,
        marker,
        "selected",
        mode="markers+text",
        text=[f"point {index}"],
        textposition="top center",
        textfont={"size": 16, "color": "black"},
    )
    ring["meta"] = {"role": "selected", "point": int(index)}
    shapes = []
    if X.shape[1] == 1:
        x = float(X[index, 0])
        line = {"color": "black", "width": 1.5, "dash": "dot"}
        shapes.append(
            dict(type="line", x0=x, x1=x, yref="paper", y0=0, y1=1, line=line, name="selected")
        )
    return [ring], shapes


def _arrow(old, new, k: int, color: str) -> dict:
    """An annotation arrow from the old mean to the new one, named ``"moved k"``."""
    return dict(
        x=float(new[0]),
        y=float(new[1]),
        ax=float(old[0]),
        ay=float(old[1]),
        xref="x",
        yref="y",
        axref="x",
        ayref="y",
        text="",
        showarrow=True,
        arrowhead=2,
        arrowsize=1.3,
        arrowwidth=2.5,
        standoff=9,  # the head stops at the mean's marker, not under it
        arrowcolor=color,
        opacity=0.9,
        name=f"moved {k + 1}",
    )


def _moved(old: np.ndarray, new: np.ndarray, span: np.ndarray) -> bool:
    return bool(np.any(np.abs(np.asarray(new) - np.asarray(old)) > MIN_ARROW_SHARE * span))


def ghosts_2d(previous, new_means, masses, palette, span) -> tuple[list, list]:
    """The previous ellipses, faint and dashed, and arrows old mean → new mean."""
    old_means, old_covariances = np.asarray(previous[0]), np.asarray(previous[1])
    n_dashes, drawn = GHOST_DASH
    traces, arrows = [], []
    for k in range(len(old_means)):
        color = component_color(k, palette)
        outlines = [
            ellipses(old_means[k : k + 1], old_covariances[k : k + 1], m)[0] for m in masses
        ]
        gap = np.full((1, 2), np.nan)
        path = np.vstack([np.vstack([dashed(o, n_dashes, drawn), gap]) for o in outlines])
        traces.append(
            _line_trace(
                "scattergl",
                path,
                k,
                "ghost",
                mode="lines",
                line={"color": color, "width": 1.5},
                opacity=GHOST_OPACITY,
                connectgaps=False,
            )
        )
        if k < len(new_means) and _moved(old_means[k], new_means[k], span):
            arrows.append(_arrow(old_means[k], new_means[k], k, color))
    return traces, arrows


def ghosts_1d(previous, new_means, new_weights, new_variances, palette, view, X) -> tuple:
    """The previous curves π_k N_k(x), dotted (as the view drew them over ``X`` (n, 1)),
    and an arrow from each old peak to the new."""
    old_means = np.asarray(previous[0], dtype=float).reshape(-1)
    old_vars = np.asarray(previous[1], dtype=float).reshape(-1)
    old_weights = np.asarray(previous[2], dtype=float)
    new_means = np.asarray(new_means, dtype=float).reshape(-1)
    new_vars = np.asarray(new_variances, dtype=float).reshape(-1)
    x_range, y_top = view
    span = np.array([x_range[1] - x_range[0], y_top])
    grid, curves = weighted_curves(X, old_means, old_vars, old_weights)
    traces, arrows = [], []
    for k in range(len(old_means)):
        color = component_color(k, palette)
        traces.append(
            _line_trace(
                "scatter",
                np.column_stack([grid, np.minimum(curves[k], y_top)]),
                k,
                "ghost",
                mode="lines",
                line={"color": color, "width": 2.5, "dash": "dot"},
                opacity=GHOST_OPACITY,
            )
        )
        if k < len(new_means):
            old = (old_means[k], min(old_weights[k] / np.sqrt(2 * np.pi * old_vars[k]), y_top))
            peak = new_weights[k] / np.sqrt(2 * np.pi * new_vars[k])
            new = (new_means[k], min(peak, y_top))
            if _moved(old, new, span):
                arrows.append(_arrow(old, new, k, color))
    return traces, arrows


def ghosts_3d(previous, new_means, palette) -> list[dict]:
    """The old means (open diamonds) and a dashed line from each to its new mean."""
    old_means = np.asarray(previous[0], dtype=float)
    traces = []
    for k, old in enumerate(old_means):
        path = np.vstack([old, new_means[k]]) if k < len(new_means) else old[None]
        color = component_color(k, palette)
        traces.append(
            _line_trace(
                "scatter3d",
                path,
                k,
                "moved",
                mode="lines+markers",
                line={"color": color, "width": 6, "dash": "dash"},
                marker={"symbol": ["diamond-open", "circle"][: len(path)], "size": 6},
                opacity=0.8,
            )
        )
    return traces


def add_change_overlays(
    figure: go.Figure,
    X: np.ndarray,
    means: np.ndarray,
    covariances: np.ndarray,
    weights: np.ndarray,
    *,
    changed_points=None,
    previous: tuple | None = None,
    selected_point: int | None = None,
    masses: Sequence[float] = (0.9,),
    palette: Sequence[str] | None = None,
    max_points: int | None = MAX_POINTS,
    seed: int = 0,
    type_scale: float = 1.0,
) -> go.Figure:
    """Lay the overlays of the module's table over a view built by `model_figure`.

    Parameters
    ----------
    figure : plotly.graph_objects.Figure
        The finished view of ``X`` (its first trace the points).
    X : ndarray, shape (n, d)
    means, covariances, weights : ndarrays, shapes (K, d), (K, d, d), (K,)
        The snapshot on screen.
    changed_points : array-like of int, optional
        Rows of ``X`` whose most likely component changed.
    previous : (means (K, d), covariances (K, d, d), weights (K,)), optional
        The snapshot before (after an M-step): drawn as ghosts, with arrows.
    selected_point : int, optional
        The row of ``X`` whose arithmetic is open.
    masses : sequence of float
        The outlines' masses (the ghosts use the same).
    palette, max_points, seed
        As given to the view (``max_points`` and ``seed`` pick the drawn subsample).
    type_scale : float, default 1
        As given to the view: the selected point's label grows with the figure's type.

    Returns
    -------
    plotly.graph_objects.Figure
        ``figure``, with the overlays added.
    """
    d = X.shape[1]
    shown = display_subsample(len(X), max_points, seed)
    traces, annotations, shapes = [], [], []
    if previous is not None and len(previous[0]):
        if d == 2:
            span = data_span(X)
            ghosts, annotations = ghosts_2d(previous, means, sorted(masses), palette, span)
        elif d == 1:
            view = (tuple(figure.layout.xaxis.range), float(figure.layout.yaxis.range[1]))
            ghosts, annotations = ghosts_1d(previous, means, weights, covariances, palette, view, X)
        else:
            ghosts = ghosts_3d(previous, np.asarray(means), palette)
        traces += ghosts
    if changed_points is not None:
        traces.append(changed_trace(figure, X, changed_points, shown))
    if selected_point is not None:
        if not 0 <= selected_point < len(X):
            raise ValueError(f"selected_point {selected_point} is not a row of X (n = {len(X)})")
        ring, shapes = selected_traces(figure, X, int(selected_point), shown)
        traces += ring
    if traces:
        traces = matching(traces, figure.data[0].type)  # SVG over SVG points
        figure.add_traces(scaled_type({}, traces, type_scale)[1])
    if annotations or shapes:
        figure.update_layout(
            annotations=[*figure.layout.annotations, *annotations],
            shapes=[*figure.layout.shapes, *shapes],
        )
    return figure
