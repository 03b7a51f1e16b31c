"""The frames of a standalone animation as compact arrays (`gmm.figures.standalone`).

Three things change from one half-step to the next, and each is stored once per change:

* **Colours** change at an E-step. Each point's blended colour (`gmm.figures.colors.blend`)
  is rounded and numbered (`gmm.figures.points.quantise_colors`) over the whole run at
  once, with the app's `COLOR_STEP` when that gives at most 256 colours, else with the
  smallest coarser step in `COLOR_STEPS` that does, so that one byte per point suffices.
  The points are stored in the order of a Hilbert curve over the plane (`hilbert_order`)
  and each point's colours over the run sit together: neighbours share their colour
  histories, and gzip finds them.
* **Parameters** change at the initialisation and at each M-step. Each component travels
  as its mean and a square-root factor ``A`` of its covariance (``A Aᵀ = Σ``, from
  `gmm.figures.geometry.ellipses`), six numbers; the page draws the outlines from them
  exactly as `gmm.figures.components_2d.component_traces` does (the unit circle of
  `ELLIPSE_POINTS` points, the dashes of `gmm.figures.style.MASS_DASHES`, the mass label
  at the place `component_traces` chose), and a browser test compares the two.
* The **caption and the ring** on the curve change at every half-step.

This module depends on NumPy and the figures' own modules only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import plotly.io as pio

from .colors import NEUTRAL, blend, hex_to_rgb
from .components_2d import ELLIPSE_POINTS, POINTS_PER_DASH, component_traces
from .geometry import ellipses, mahalanobis_radius
from .points import COLOR_STEP, quantise_colors
from .style import mass_dash, scaled_type, sorted_masses, view_extent

__all__ = [
    "COLOR_STEPS",
    "app_component_traces",
    "bare_figure",
    "color_frames",
    "geometry_frames",
    "hilbert_order",
    "outline_recipe",
    "square_root_factors",
    "strip_drawn",
    "style_changes",
]

#: Rounding steps tried in turn until the run's colours number at most 256.
COLOR_STEPS = (COLOR_STEP, 10, 12, 16, 20, 24, 32)
#: Trace keys the page computes for every set of parameters; the rest is the trace's style.
_DRAWN = ("x", "y", "text")


def hilbert_order(X: np.ndarray, bits: int = 10) -> np.ndarray:
    """The order of the points along a Hilbert curve over their bounding box.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
    bits : int, default 10
        The curve runs through a 2**bits × 2**bits grid.

    Returns
    -------
    ndarray of int, shape (n,)
        A permutation: points close in the plane come close in it.
    """
    side = 1 << bits
    low, span = X.min(axis=0), np.ptp(X, axis=0)
    cell = np.rint((X - low) / np.where(span > 0, span, 1.0) * (side - 1)).astype(np.int64)
    x, y = cell[:, 0].copy(), cell[:, 1].copy()
    distance = np.zeros(len(X), dtype=np.int64)
    s = side >> 1
    while s > 0:  # the classic xy -> d, one quadrant level at a time
        rx = (x & s) > 0
        ry = (y & s) > 0
        distance += s * s * ((3 * rx.astype(np.int64)) ^ ry.astype(np.int64))
        flip = ~ry & rx
        x = np.where(flip, side - 1 - x, x)
        y = np.where(flip, side - 1 - y, y)
        x, y = np.where(~ry, y, x), np.where(~ry, x, y)
        s >>= 1
    return np.argsort(distance, kind="stable")


def color_frames(
    snapshots: Sequence,
    responsibilities: Callable[[int, np.ndarray], np.ndarray],
    shown: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The colour of every drawn point at every E-step, numbered.

    Parameters
    ----------
    snapshots : sequence of snapshots, length F
    responsibilities : callable(index, rows) -> ndarray of shape (len(rows), K)
        The responsibilities of the points ``rows`` at snapshot ``index``; called for
        the E-steps only.
    shown : ndarray of int, shape (m,)
        The points drawn, in the order they are stored.

    Returns
    -------
    color_set : ndarray of int, shape (F,)
        The colour set each half-step shows: 0 (grey) at the initialisation, then the
        set of the latest E-step (an M-step keeps the colours of the E-step before it).
    index : ndarray of uint8 or uint16, shape (m, S)
        Point by point, its colour in each set (a row of ``table``).
    table : ndarray of uint8, shape (c, 3)
        The distinct colours, RGB.
    step : int
        The rounding step used (see `COLOR_STEPS`).
    """
    grey = np.broadcast_to(hex_to_rgb(NEUTRAL), (len(shown), 3))
    rgb = [np.array(grey)]
    color_set = np.zeros(len(snapshots), dtype=int)
    for i, snapshot in enumerate(snapshots):
        if snapshot.phase == "E":
            blended = blend(np.asarray(responsibilities(i, shown)))
            finite = np.isfinite(blended).all(axis=1, keepdims=True)
            rgb.append(np.where(finite, blended, grey))
        color_set[i] = len(rgb) - 1 if snapshot.phase != "init" else 0
    stack = np.stack(rgb)
    for step in COLOR_STEPS:
        index, table = quantise_colors(stack, step)
        if len(table) <= 256:
            break
    else:  # too many colours even when coarse: the app's step, two bytes a point
        step = COLOR_STEP
        index, table = quantise_colors(stack, step)
    return color_set, np.ascontiguousarray(index.T), table.astype(np.uint8), step


def square_root_factors(means: np.ndarray, covariances: np.ndarray) -> np.ndarray:
    """The factors ``A`` (``A Aᵀ = Σ``) with which `ellipses` draws each component.

    `ellipses` maps the unit circle, from angle 0, to ``mean + r A u``: its points at
    angles 0 and π/2 give the columns of ``A``.

    Parameters
    ----------
    means : ndarray, shape (K, 2)
    covariances : ndarray, shape (K, 2, 2)

    Returns
    -------
    ndarray, shape (K, 2, 2)
    """
    means = np.asarray(means, dtype=float)
    quarters = ellipses(means, covariances, 0.5, n_points=5)  # angles 0, π/2, π, 3π/2, 2π
    radius = mahalanobis_radius(0.5, 2)
    columns = (quarters[:, 0] - means, quarters[:, 1] - means)
    return np.stack(columns, axis=-1) / radius


def outline_recipe(masses: Sequence[float]) -> dict:
    """How the page draws each mass level's outline, as `component_traces` does.

    Returns
    -------
    dict
        ``points`` (per outline, the closing one included), ``per_dash`` and ``levels``:
        for each mass (innermost first) its Mahalanobis ``radius``, ``dashes`` (0:
        solid) and the ``drawn`` share of each dash period.
    """
    levels = []
    for level, mass in enumerate(sorted_masses(masses)):
        _, dashes, drawn = mass_dash(level)
        radius = mahalanobis_radius(mass, 2)
        levels.append({"mass": mass, "radius": radius, "dashes": dashes, "drawn": drawn})
    return {"points": ELLIPSE_POINTS, "per_dash": POINTS_PER_DASH, "levels": levels}


def app_component_traces(
    X: np.ndarray, params, masses: Sequence[float], type_scale: float = 1.0
) -> list[dict]:
    """The outlines and means of ``params`` as `scatter_2d` draws them over ``X``.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
        The data (their ranges place the mass labels).
    params : MixtureParams
        ``means`` (K, 2), ``full_covariances`` (K, 2, 2), ``weights`` (K,).
    masses : sequence of float
    type_scale : float, default 1
        As `scatter_2d`'s: the mass labels placed for, and set in, larger type.

    Returns
    -------
    list of dict
        `component_traces`, K (M + 1) traces.
    """
    x_range, y_range, equal = view_extent(X)  # once per data array
    traces = component_traces(
        params.means,
        params.full_covariances,
        params.weights,
        masses,
        label_area=(x_range, y_range),
        equal_aspect=equal,
        type_scale=type_scale,
    )
    return scaled_type({}, traces, type_scale)[1]


def geometry_frames(
    snapshots: Sequence, X: np.ndarray, masses: Sequence[float], type_scale: float = 1.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[list[dict]]]:
    """The components of every set of parameters: numbers for the page, and styles.

    An E-step keeps the parameters before it; every other half-step has its own set.
    ``type_scale`` is `app_component_traces`' (the mass labels' type).

    Returns
    -------
    param_set : ndarray of int, shape (F,)
    factors : ndarray of float64, shape (S, K, 6)
        Per set and component: the mean (x, y), then ``A`` row by row.
    labels : ndarray of float64, shape (S, T, 2)
        Per set and trace (T = K (M + 1), in `component_traces`' order): where its mass
        label goes, NaN for none.
    styles : list of list of dict
        Per set and trace, the trace without its coordinates; a label's text as
        ``label``.
    """
    param_set = np.zeros(len(snapshots), dtype=int)
    factors, labels, styles = [], [], []
    for i, snapshot in enumerate(snapshots):
        if snapshot.phase != "E" or not styles:
            params = snapshot.params
            traces = app_component_traces(X, params, masses, type_scale)
            root = square_root_factors(params.means, params.full_covariances)
            factors.append(np.concatenate([params.means, root.reshape(-1, 4)], axis=1))
            labels.append([_label_place(trace) for trace in traces])
            styles.append([_style(trace) for trace in traces])
        param_set[i] = len(styles) - 1
    return param_set, np.asarray(factors, dtype=float), np.asarray(labels, dtype=float), styles


def _label_place(trace: dict) -> tuple[float, float]:
    place = trace.get("meta", {}).get("label")
    return (place["x"], place["y"]) if place else (np.nan, np.nan)


def _style(trace: dict) -> dict:
    """The trace without what the page computes; a mass label's text as ``label``."""
    style = {key: value for key, value in trace.items() if key not in _DRAWN}
    style["meta"] = {key: value for key, value in trace["meta"].items() if key != "label"}
    if "text" in trace:
        style["label"] = trace["text"][-1]
    return style


def style_changes(styles: list[list[dict]]) -> list[list[dict]]:
    """Each set's styles as changes to the first set's: new values, None for a key gone.

    Parameters
    ----------
    styles : list of list of dict
        Per set and trace (`geometry_frames`).

    Returns
    -------
    list of list of dict
        For the sets after the first; the page lays each over the first set's style.
    """
    first = styles[0]
    return [
        [
            {key: value for key, value in style.items() if base.get(key) != value}
            | {key: None for key in base if key not in style}
            for base, style in zip(first, set_styles)
        ]
        for set_styles in styles[1:]
    ]


def strip_drawn(trace: dict, drawn: Mapping[str, Sequence[str]]) -> dict:
    """The trace without the keys the page computes for its role (``drawn[role]``)."""
    keys = drawn.get(trace.get("meta", {}).get("role"), ())
    return {key: value for key, value in trace.items() if key not in keys}


def bare_figure(figure, column_names: Sequence[str], drawn: Mapping[str, Sequence[str]]) -> dict:
    """A figure of the app as JSON, without the arrays the frames carry.

    Its points (trace 0) lose their positions and colours and hover their coordinates
    only; every trace whose role ``drawn`` names loses the keys it lists.

    Parameters
    ----------
    figure : plotly.graph_objects.Figure
    column_names : sequence of str
        One per coordinate (x, y, z) of the points.
    drawn : mapping of role to keys

    Returns
    -------
    dict
    """
    spec = json.loads(pio.to_json(figure, validate=False))
    points = spec["data"][0]
    for key in ("x", "y", "z", "customdata"):
        points.pop(key, None)
    for key in ("color", "colorscale", "cmax"):
        points["marker"].pop(key, None)
    hover = (f"{name} = %{{{axis}:.4g}}" for name, axis in zip(column_names, "xyz"))
    points["hovertemplate"] = "<br>".join(hover) + "<extra></extra>"
    spec["data"][1:] = [strip_drawn(trace, drawn) for trace in spec["data"][1:]]
    return spec
