"""Plotly figures of one EM snapshot and the log-likelihood curve.

Every builder takes plain NumPy arrays (no engine classes) and returns a
``plotly.graph_objects.Figure``, so the module works the same in the
Streamlit app and in a notebook.  It imports NumPy, Plotly and the
sibling `geometry` and `colors` modules, never Streamlit.

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
last (optional)       generating ("true") components, dotted     "truth"
====================  =========================================  ==========

with K components and M mass levels (sorted ascending, so j = 0 is the
innermost, shaded one).  ``meta`` also carries ``component`` (0-based) and
``mass``; components are numbered from 1 in everything the audience sees.
Exactly one outline trace exists per (component, mass).

Points, outlines, means and the truth overlay are all WebGL (``scattergl``)
traces: Plotly draws WebGL traces above SVG ones, so SVG outlines would
disappear under a dense point cloud.  Anything added on top later (e.g.
picked starting means) must be ``scattergl`` too for the same reason.

Point colours
-------------
A point's colour is its responsibility-weighted blend of component colours
(`gmm.figures.colors.blend`).  Plotly cannot take an (n, 3) RGB array, so each
blended colour is rounded to a multiple of `COLOR_STEP` (= 8, at most
4/255 off per channel: invisible), the distinct colours are numbered (a
few hundred for K = 3, a few thousand for K = 6) and the trace sends one
small unsigned integer per point -- a binary typed array in the JSON --
plus a colorscale with one stop per distinct colour placed exactly at that
colour's index.  Responsibilities go to ``customdata`` as float32.

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

from collections.abc import Collection, Sequence

import numpy as np
import plotly.graph_objects as go

from .colors import ALERT, NEUTRAL, blend, component_color, darken, hex_to_rgb, to_rgb_strings
from .geometry import ellipses

__all__ = [
    "COLOR_STEP",
    "FONT_SIZE",
    "MAX_POINTS",
    "component_traces",
    "display_subsample",
    "loglik_curve",
    "quantise_colors",
    "scatter_2d",
]

#: Base font size in px; large enough to read from the back of a classroom.
FONT_SIZE = 16
#: Blended colours are rounded to multiples of this (0..255 scale).
COLOR_STEP = 8
#: Default cap on the number of points drawn (a seeded random subset).
MAX_POINTS = 20_000
#: Outline style per mass level, innermost first (cycled if more levels):
#: (Plotly dash name used by the legend key, dashes per outline, drawn
#: fraction of each dash period).  Dashes are cut geometrically because
#: WebGL dashes are drawn unevenly (plotly.js issue #2946).
MASS_DASHES = (
    ("solid", 0, 1.0),
    ("dash", 24, 0.6),
    ("dot", 48, 0.3),
    ("longdash", 12, 0.75),
)
#: Points sampled along each dash.
POINTS_PER_DASH = 4
#: Dash pattern of the generating components' outlines (dotted).
TRUTH_DASH = MASS_DASHES[2]
#: Opacity of the shading inside each component's innermost outline.
FILL_ALPHA = 0.13
#: Points per ellipse outline.
ELLIPSE_POINTS = 100
#: Colours and symbols of the log-likelihood curve's half-step phases.
PHASE_STYLE = {
    "init": ("initialisation", "#555555", "diamond"),
    "E": ("after E-step", "#0072B2", "circle"),
    "M": ("after M-step", "#D55E00", "square"),
}

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


# ============================================================== small helpers


def _mass_dash(level: int) -> tuple[str, int, float]:
    """Outline style of mass level ``level`` (0 = innermost), cycling."""
    return MASS_DASHES[level % len(MASS_DASHES)]


def _percent(mass: float) -> str:
    """Format a probability mass as a short percentage ("90%", "99.5%")."""
    return f"{100 * mass:.3g}%"


def _gamma_symbol(k: int) -> str:
    """Display name of responsibility column ``k`` (0-based): "γ₁", "γ₁₂"."""
    return "γ" + str(k + 1).translate(_SUBSCRIPTS)


def _rgba(color: str, alpha: float) -> str:
    """CSS ``rgba()`` string of a hex colour with the given opacity."""
    r, g, b = hex_to_rgb(color).astype(int)
    return f"rgba({r},{g},{b},{alpha})"


def _sorted_masses(masses: Sequence[float]) -> tuple[float, ...]:
    """Masses as unique floats in (0, 1), ascending (innermost first)."""
    values = tuple(sorted({float(m) for m in masses}))
    if not values or values[0] <= 0.0 or values[-1] >= 1.0:
        raise ValueError(f"masses must be non-empty and inside (0, 1), got {masses!r}")
    return values


def _padded_range(values: np.ndarray, fraction: float = 0.05) -> list[float]:
    """Axis range ``[min, max]`` of finite ``values`` widened by ``fraction``."""
    finite = values[np.isfinite(values)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    pad = fraction * (hi - lo) if hi > lo else 1.0
    return [lo - pad, hi + pad]


def _marker_size(n_points: int) -> float:
    """Point size in px: large for a few points, small for a dense cloud."""
    return float(np.clip(13.0 - 2.0 * np.log10(max(n_points, 1)), 3.0, 9.0))


def _check_points(X: np.ndarray, dim: int = 2) -> np.ndarray:
    """Return ``X`` as a float (n, dim) array or raise ValueError."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != dim:
        raise ValueError(f"X must have shape (n, {dim}), got {X.shape}")
    return X


def _check_snapshot(
    n: int,
    responsibilities: np.ndarray | None,
    means: np.ndarray,
    covariances: np.ndarray,
    weights: np.ndarray,
    dim: int = 2,
) -> None:
    """Raise ValueError unless the snapshot arrays have consistent shapes."""
    k = np.shape(means)[0]
    expected = {
        "means": (np.shape(means), (k, dim)),
        "covariances": (np.shape(covariances), (k, dim, dim)),
        "weights": (np.shape(weights), (k,)),
    }
    if responsibilities is not None:
        expected["responsibilities"] = (np.shape(responsibilities), (n, k))
    for name, (got, want) in expected.items():
        if got != want:
            raise ValueError(f"{name} must have shape {want}, got {got}")


# ================================================================ subsampling


def display_subsample(n: int, max_points: int | None, seed: int = 0) -> np.ndarray:
    """Indices of the points to draw: all of them, or a seeded random subset.

    Parameters
    ----------
    n : int
        Number of data points.
    max_points : int or None
        Cap on the number drawn; None draws everything.
    seed : int, default 0
        Seed of the generator, so the same subset is drawn on every rerun
        and point indices in selection events map back through this array.

    Returns
    -------
    ndarray of int, shape (min(n, max_points),)
        Sorted indices into the data.
    """
    if max_points is None or n <= max_points:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, size=max_points, replace=False))


# ================================================================ point colour


def _point_rgb(responsibilities: np.ndarray | None, n: int, palette) -> np.ndarray:
    """Display RGB of each point: responsibility blend, or neutral grey.

    Parameters
    ----------
    responsibilities : ndarray, shape (n, K), or None
        None (before the first E-step) colours every point `NEUTRAL`; rows
        with non-finite entries are also drawn neutral.
    n : int
        Number of points.
    palette : sequence of str or None
        Component colours (default `gmm.figures.colors.PALETTE`).

    Returns
    -------
    ndarray, shape (n, 3)
        RGB floats in 0..255.
    """
    grey = np.broadcast_to(hex_to_rgb(NEUTRAL), (n, 3))
    if responsibilities is None:
        return grey.copy()
    rgb = blend(responsibilities, palette)
    return np.where(np.isfinite(rgb).all(axis=1, keepdims=True), rgb, grey)


def quantise_colors(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Round colours to `COLOR_STEP` and number the distinct ones.

    Parameters
    ----------
    rgb : ndarray, shape (..., 3)
        RGB floats in 0..255 (any leading shape, e.g. (frames, n)).

    Returns
    -------
    index : ndarray of uint8, uint16 or uint32, shape (...)
        Row of ``table`` holding each colour.
    table : ndarray of int, shape (m, 3)
        Distinct rounded colours, m >= 2 (a single colour is repeated so a
        colorscale can be built from it).
    """
    rounded = np.clip(np.rint(rgb / COLOR_STEP) * COLOR_STEP, 0, 255).astype(np.int64)
    code = (rounded[..., 0] * 256 + rounded[..., 1]) * 256 + rounded[..., 2]
    unique, inverse = np.unique(code, return_inverse=True)
    table = np.stack([unique // 65536, unique // 256 % 256, unique % 256], axis=1)
    if len(table) == 1:
        table = np.repeat(table, 2, axis=0)
    return inverse.reshape(code.shape).astype(_smallest_uint(len(table))), table


def _smallest_uint(n_values: int) -> type:
    """Smallest unsigned integer type holding 0 .. n_values - 1."""
    for dtype in (np.uint8, np.uint16):
        if n_values <= np.iinfo(dtype).max + 1:
            return dtype
    return np.uint32


def _colorscale(table: np.ndarray) -> list[list]:
    """Plotly colorscale with colour ``table[i]`` exactly at value ``i``.

    Parameters
    ----------
    table : ndarray, shape (m, 3), m >= 2

    Returns
    -------
    list of [float, str]
        Stops at ``i / (m - 1)``; use with ``cmin=0, cmax=m - 1``.
    """
    positions = np.linspace(0.0, 1.0, len(table)).tolist()
    return [list(stop) for stop in zip(positions, to_rgb_strings(table).tolist())]


# ================================================================ point trace


def _points_hovertemplate(
    column_names: Sequence[str], extra_lines: list[str], axes: str = "xy"
) -> str:
    """Hover text: the point's coordinates (Plotly ``axes``) followed by ``extra_lines``."""
    lines = [f"{name} = %{{{axis}:.4g}}" for axis, name in zip(axes, column_names)]
    return "<br>".join(lines + extra_lines) + "<extra></extra>"


def _gamma_hover_lines(n_components: int, per_line: int = 4) -> list[str]:
    """Hover lines "γ₁ %{customdata[0]:.2f} · γ₂ ...", ``per_line`` per line."""
    terms = [f"{_gamma_symbol(k)} %{{customdata[{k}]:.2f}}" for k in range(n_components)]
    return [" · ".join(terms[i : i + per_line]) for i in range(0, n_components, per_line)]


def _points_varying(
    color_index: np.ndarray,
    responsibilities: np.ndarray | None,
    column_names: Sequence[str],
    hover_gamma: bool = True,
    axes: str = "xy",
) -> dict:
    """The part of the points trace that changes from snapshot to snapshot.

    Parameters
    ----------
    color_index : ndarray of int, shape (n,)
        Row of the colour table of each displayed point.
    responsibilities : ndarray, shape (n, K), or None
        Responsibilities of the displayed points; None means "before the
        first E-step" and says so in the hover.
    column_names : sequence of str, length 2
    hover_gamma : bool, default True
        Send the responsibilities (as float32 ``customdata``) and show them
        in the hover.
    axes : str, default "xy"
        Plotly coordinates shown in the hover, one per column name ("xyz"
        for 3-D, "x" for 1-D).

    Returns
    -------
    dict
        Partial ``scattergl`` trace: type, marker colour, hovertemplate
        and possibly customdata; never the x/y positions.
    """
    update = {"type": "scattergl", "marker": {"color": color_index}}
    if responsibilities is None:
        extra = ["(no responsibilities yet)"]
    elif hover_gamma:
        extra = _gamma_hover_lines(responsibilities.shape[1])
        update["customdata"] = np.asarray(responsibilities, dtype=np.float32)
    else:
        extra = []
    update["hovertemplate"] = _points_hovertemplate(column_names, extra, axes)
    return update


def _points_trace(X_shown: np.ndarray, varying: dict, table: np.ndarray, n_total: int) -> dict:
    """The single ``Scattergl`` trace of all displayed points.

    Parameters
    ----------
    X_shown : ndarray, shape (n, 2)
        Positions of the displayed points.
    varying : dict
        Output of `_points_varying` for these points.
    table : ndarray, shape (m, 3)
        Colour table indexed by ``varying["marker"]["color"]``.
    n_total : int
        Number of points in the full data set (recorded in ``meta``).

    Returns
    -------
    dict
        Plain ``scattergl`` trace spec.
    """
    marker = {
        **varying["marker"],
        "colorscale": _colorscale(table),
        "cmin": 0,
        "cmax": len(table) - 1,
        "showscale": False,
        "size": _marker_size(len(X_shown)),
        "opacity": 0.85,
    }
    trace = {
        **varying,
        "x": X_shown[:, 0],
        "y": X_shown[:, 1],
        "mode": "markers",
        "marker": marker,
        "name": "data",
        "showlegend": False,
        "meta": {"role": "points", "n_shown": len(X_shown), "n_total": n_total},
    }
    return trace


# =========================================================== component traces


def _ellipse_trace(
    outline: np.ndarray,
    k: int,
    mass: float,
    level: int,
    n_levels: int,
    color: str,
    highlighted: bool,
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

    Returns
    -------
    dict
        Plain ``scattergl`` trace spec.
    """
    label = f"k={k + 1} · {_percent(mass)}"
    dash_name, n_dashes, drawn = _mass_dash(level)
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
        fillcolor=_rgba(color, FILL_ALPHA),
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
    if level == n_levels - 1:
        trace |= _outline_label(trace, outline, _percent(mass), line_color)
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

    Returns
    -------
    dict
        Plain ``scattergl`` trace spec.
    """
    highlighted = highlight_label is not None
    name = f"Component {k + 1} · π = {weight:.2f}"
    if highlighted:
        name += f" ({highlight_label})"
    return dict(
        type="scattergl",
        x=[float(mean[0])],
        y=[float(mean[1])],
        mode="markers",
        marker={
            "symbol": "circle-x" if highlighted else "x",
            "size": 22 if highlighted else 18,
            "color": color,
            "line": {"color": ALERT if highlighted else "black", "width": 2},
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

    Returns
    -------
    list of dict, length K * (M + 1)
        For each component: M outlines (innermost first), then its mean.
    """
    levels = _sorted_masses(masses)
    outlines = [ellipses(means, covariances, m, ELLIPSE_POINTS) for m in levels]
    flagged_set = set(highlight)
    traces = []
    for k in range(len(means)):
        color = component_color(k, palette)
        flagged = k in flagged_set
        traces += [
            _ellipse_trace(outlines[j][k], k, m, j, len(levels), color, flagged)
            for j, m in enumerate(levels)
        ]
        label = highlight_label if flagged else None
        traces.append(_mean_trace(means[k], weights[k], k, color, label))
    return traces


def _mass_key_traces(masses: tuple[float, ...]) -> list[dict]:
    """Legend-only grey lines explaining the dash of each mass level."""
    return [
        dict(
            type="scatter",
            x=[None],
            y=[None],
            mode="lines",
            line={"color": "#444444", "width": 2.5, "dash": _mass_dash(j)[0]},
            name=f"{_percent(m)} of a component's mass",
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
        name=f"generating components ({_percent(mass)}, dotted)",
        legendrank=2000,
        hoverinfo="skip",
        meta={"role": "truth", "mass": mass},
    )


# ===================================================================== layout


def _axis_style(title: str) -> dict:
    """Axis with a large title and light grid on white."""
    return {
        "title": {"text": title, "font": {"size": FONT_SIZE + 2}},
        "gridcolor": "#E6E6E6",
        "linecolor": "#444444",
        "zeroline": False,
        "automargin": True,
    }


def _base_layout(uirevision: str) -> dict:
    """Layout settings shared by every figure: fonts, colours, uirevision.

    Colours are set explicitly (white background, light grid) instead of
    naming a template: applying a named template costs ~20 ms per figure.
    """
    return {
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": {"size": FONT_SIZE},
        "hoverlabel": {"font": {"size": FONT_SIZE}},
        "margin": {"l": 70, "r": 10, "t": 50, "b": 60},
        "uirevision": uirevision,
    }


def _subsample_annotations(n_shown: int, n_total: int) -> list[dict]:
    """A "showing 20,000 of 200,000 points" note, or nothing."""
    if n_shown >= n_total:
        return []
    return [
        {
            "text": f"showing {n_shown:,} of {n_total:,} points",
            "xref": "paper",
            "yref": "paper",
            "x": 0.0,
            "y": 1.0,
            "xanchor": "left",
            "yanchor": "bottom",
            "showarrow": False,
            "font": {"size": FONT_SIZE - 2, "color": "#555555"},
        }
    ]


#: Columns whose spreads differ by more than this factor are drawn without equal aspect.
ASPECT_RATIO_LIMIT = 4.0


def _comparable_scales(X: np.ndarray) -> bool:
    """Whether both columns span similar ranges, so equal aspect (true shapes) fits.

    Otherwise (e.g. Old Faithful's minutes of eruption against minutes of waiting) equal
    aspect would squash the plot into a sliver; each axis then takes its own scale and
    the ellipses are drawn stretched with the data.
    """
    spans = np.ptp(X, axis=0)
    if np.any(spans <= 0):
        return False
    return float(spans.max() / spans.min()) <= ASPECT_RATIO_LIMIT


def _layout_2d(
    X: np.ndarray,
    column_names: Sequence[str],
    n_shown: int,
    *,
    title: str | None,
    uirevision: str,
    dragmode: str | None,
) -> dict:
    """Layout of the 2-D scatter: fixed padded ranges, equal aspect when sensible, legend.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
        All data (the ranges cover every point, not only those shown).
    column_names : sequence of str, length 2
    n_shown : int
        Number of points drawn.
    title : str or None
    uirevision : str
    dragmode : str or None
        E.g. "select" or "lasso"; None keeps Plotly's default (zoom).
    """
    yaxis = {**_axis_style(column_names[1]), "range": _padded_range(X[:, 1])}
    if _comparable_scales(X):
        yaxis.update(scaleanchor="x", scaleratio=1)
    layout = {
        **_base_layout(uirevision),
        "xaxis": {**_axis_style(column_names[0]), "range": _padded_range(X[:, 0])},
        "yaxis": yaxis,
        "legend": {
            "orientation": "h",
            "x": 0.0,
            "y": -0.18,
            "xanchor": "left",
            "yanchor": "top",
            "itemsizing": "constant",
            "tracegroupgap": 2,
        },
        "margin": {"l": 70, "r": 10, "t": 30, "b": 40},
        "annotations": _subsample_annotations(n_shown, len(X)),
    }
    if title is not None:
        layout["title"] = {"text": title, "x": 0.5, "xanchor": "center"}
    if dragmode is not None:
        layout["dragmode"] = dragmode
    return layout


# ============================================================== 2-D snapshot


def _snapshot_parts(
    gamma_shown: np.ndarray | None,
    color_index: np.ndarray,
    snapshot: tuple,
    masses: Sequence[float],
    highlight: Collection[int],
    options: dict,
) -> tuple[dict, list[dict]]:
    """What one snapshot contributes: point update and component traces.

    Parameters
    ----------
    gamma_shown : ndarray, shape (n_shown, K), or None
        Responsibilities of the displayed points.
    color_index : ndarray of int, shape (n_shown,)
    snapshot : (responsibilities, means, covariances, weights)
        Only means, covariances and weights are read.
    masses : sequence of float
    highlight : collection of int
    options : dict
        ``column_names``, ``highlight_label``, ``palette``, ``hover_gamma``.

    Returns
    -------
    varying : dict
        See `_points_varying`.
    components : list of dict
        See `component_traces`.
    """
    _, means, covariances, weights = snapshot
    varying = _points_varying(
        color_index, gamma_shown, options["column_names"], options["hover_gamma"]
    )
    components = component_traces(
        means,
        covariances,
        weights,
        masses,
        highlight,
        highlight_label=options["highlight_label"],
        palette=options["palette"],
    )
    return varying, components


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

    Returns
    -------
    plotly.graph_objects.Figure
        Traces in the order given in the module docstring.
    """
    X = _check_points(X)
    _check_snapshot(len(X), responsibilities, means, covariances, weights)
    shown = display_subsample(len(X), max_points, seed)
    gamma_shown = None if responsibilities is None else np.asarray(responsibilities)[shown]
    color_index, table = quantise_colors(_point_rgb(gamma_shown, len(shown), palette))
    options = {
        "column_names": column_names,
        "highlight_label": highlight_label,
        "palette": palette,
        "hover_gamma": True,
    }
    snapshot = (responsibilities, means, covariances, weights)
    varying, components = _snapshot_parts(
        gamma_shown, color_index, snapshot, masses, highlight, options
    )
    points = _points_trace(X[shown], varying, table, len(X))
    static = _static_traces(masses, true_components, len(means))
    traces = [points, *components, *static]
    layout = _layout_2d(
        X, column_names, len(shown), title=title, uirevision=uirevision, dragmode=dragmode
    )
    return go.Figure(data=traces, layout=layout, _validate=False)


def _static_traces(
    masses: Sequence[float],
    true_components: tuple[np.ndarray, np.ndarray] | None,
    n_components: int,
) -> list[dict]:
    """Traces that never change between snapshots: mass key and truth.

    The mass key is left out when there are no components to explain.
    """
    levels = _sorted_masses(masses)
    traces = _mass_key_traces(levels) if n_components > 0 else []
    if true_components is not None:
        traces.append(_truth_trace(true_components, levels[-1]))
    return traces


# ======================================================= log-likelihood curve


def _half_step_labels(phases: Sequence[str], iterations: Sequence[int]) -> list[str]:
    """Tick labels "0 init", "1E", "1M", ... for each snapshot."""
    return [
        f"{it} init" if phase == "init" else f"{it}{phase}" for phase, it in zip(phases, iterations)
    ]


def _tick_positions(n: int, max_ticks: int = 16) -> np.ndarray:
    """Evenly strided tick positions so at most ``max_ticks`` labels show."""
    stride = max(1, int(np.ceil(n / max_ticks)))
    return np.arange(0, n, stride)


def _phase_trace(x: np.ndarray, values: np.ndarray, labels: np.ndarray, phase: str) -> dict:
    """Markers of the snapshots of one phase; clickable (customdata = index)."""
    name, color, symbol = PHASE_STYLE[phase]
    return dict(
        type="scatter",
        x=x,
        y=values,
        mode="markers",
        marker={
            "color": color,
            "symbol": symbol,
            "size": 11,
            "line": {"color": "white", "width": 1},
        },
        customdata=x,
        text=labels,
        hovertemplate="%{text}<br>log-likelihood %{y:.6g}<extra></extra>",
        name=name,
        meta={"role": "phase", "phase": phase},
    )


def _elbo_trace(x: np.ndarray, lower_bound: np.ndarray, labels: list[str]) -> dict:
    """The EM lower bound as a dashed line (gaps where it is undefined)."""
    return dict(
        type="scatter",
        x=x,
        y=lower_bound,
        mode="lines+markers",
        line={"color": "#009E73", "width": 2, "dash": "dash"},
        marker={"symbol": "triangle-up", "size": 8, "color": "#009E73"},
        connectgaps=False,
        customdata=x,
        text=labels,
        hovertemplate="%{text}<br>lower bound (ELBO) %{y:.6g}<extra></extra>",
        name="EM lower bound (ELBO)",
        meta={"role": "elbo"},
    )


def _current_trace(current: int, value: float, label: str) -> dict:
    """A large ring around the snapshot being shown."""
    return dict(
        type="scatter",
        x=[current],
        y=[value],
        mode="markers",
        marker={"symbol": "circle-open", "size": 26, "color": "black", "line": {"width": 3}},
        customdata=[current],
        hovertemplate=f"now: {label}<br>log-likelihood %{{y:.6g}}<extra></extra>",
        name="current step",
        meta={"role": "current", "index": current},
    )


def loglik_curve(
    values: np.ndarray,
    phases: Sequence[str],
    current: int,
    *,
    iterations: Sequence[int],
    lower_bound: np.ndarray | None = None,
    y_title: str = "log-likelihood",
    uirevision: str = "gmm-loglik",
) -> go.Figure:
    """Log-likelihood after every half-step, with the current one ringed.

    Parameters
    ----------
    values : ndarray, shape (m,)
        Log-likelihood of each snapshot.
    phases : sequence of str, length m
        "init", "E" or "M": which half-step produced the snapshot.
    current : int
        Index of the snapshot being displayed.
    iterations : sequence of int, length m
        EM iteration of each snapshot (for tick labels "0 init", "1E", ...).
    lower_bound : ndarray, shape (m,), optional
        EM lower bound (ELBO) L(q, theta), NaN where undefined.  It equals
        the log-likelihood after an E-step and lies below it after an
        M-step, which is why EM can only climb.
    y_title : str
    uirevision : str

    Returns
    -------
    plotly.graph_objects.Figure
        x is the half-step index; every marker's ``customdata`` is its
        snapshot index, so a click (``on_select``) tells which to show.
        Traces: a grey connecting line (meta role "loglik_line"), the
        ELBO if given ("elbo"), one marker trace per phase present
        ("phase"), and the ring at ``current`` ("current").
    """
    values = np.asarray(values, dtype=float)
    phase_arr = np.asarray(phases)
    _check_curve(values, phase_arr, iterations, current)
    x = np.arange(len(values))
    labels = _half_step_labels(phase_arr.tolist(), iterations)
    traces = [_loglik_line(x, values)]
    if lower_bound is not None:
        traces.append(_elbo_trace(x, np.asarray(lower_bound, dtype=float), labels))
    label_arr = np.asarray(labels)
    traces += [
        _phase_trace(x[mask], values[mask], label_arr[mask], p)
        for p in PHASE_STYLE
        if np.any(mask := phase_arr == p)
    ]
    traces.append(_current_trace(current, values[current], labels[current]))
    layout = _loglik_layout(labels, y_title, uirevision)
    return go.Figure(data=traces, layout=layout, _validate=False)


def _check_curve(
    values: np.ndarray, phases: np.ndarray, iterations: Sequence[int], current: int
) -> None:
    """Raise ValueError on inconsistent log-likelihood curve inputs."""
    if phases.shape != values.shape or len(iterations) != len(values):
        raise ValueError("values, phases and iterations must have the same length")
    if not set(phases.tolist()) <= set(PHASE_STYLE):
        raise ValueError(f"phases must be among {sorted(PHASE_STYLE)}")
    if not 0 <= current < len(values):
        raise ValueError(f"current={current} outside 0..{len(values) - 1}")


def _loglik_line(x: np.ndarray, values: np.ndarray) -> dict:
    """Grey line joining the log-likelihood of consecutive half-steps."""
    return dict(
        type="scatter",
        x=x,
        y=values,
        mode="lines",
        line={"color": "#BBBBBB", "width": 2},
        hoverinfo="skip",
        showlegend=False,
        meta={"role": "loglik_line"},
    )


def _loglik_layout(labels: list[str], y_title: str, uirevision: str) -> dict:
    """Layout of the log-likelihood curve: thinned half-step ticks, legend on top."""
    ticks = _tick_positions(len(labels))
    return {
        **_base_layout(uirevision),
        "xaxis": {
            **_axis_style("half-step"),
            "tickvals": ticks.tolist(),
            "ticktext": [labels[i] for i in ticks],
            "range": [-0.5, len(labels) - 0.5],
        },
        "yaxis": _axis_style(y_title),
        "legend": {"orientation": "h", "x": 0.0, "y": 1.02, "yanchor": "bottom"},
        "clickmode": "event",  # a click jumps to that half-step; nothing stays selected
        "hovermode": "closest",
        "margin": {"l": 90, "r": 10, "t": 40, "b": 60},
    }
