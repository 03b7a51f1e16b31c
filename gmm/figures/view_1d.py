"""The 1-D view of one EM snapshot: histogram, densities, responsibilities and intervals.

Same conventions as `gmm.figures.view_2d` (plain arrays in, plain-dict
traces with ``meta={"role": ...}``, ``go.Figure(..., _validate=False)``,
the shared `gmm.figures.style` and `gmm.figures.points`).

Trace layout of `density_1d`
----------------------------
====================  ==========================================  ==========
index                 trace                                       meta role
====================  ==========================================  ==========
0                     rug: displayed points below the axis        "points"
                      (one ``Scattergl``, jittered in y)
1                     histogram of all data, as a density         "histogram"
                      (``Bar``; bins fixed by the data alone)
2 + k                 shaded share of component k: the mixture    "share"
                      density times γ_k(x), stacked
2 + K + k             π_k N(x | μ_k, σ_k²), component colour      "density"
                      (its legend entry "Component k · π = 0.42")
2 + 2K                mixture density Σ_k π_k N_k(x), black       "mixture"
3 + 2K + k*(M+1) + j  central interval of component k at mass j   "interval"
                      (bracket |---| in component k's row under
                      the rug, "k=1" left of it, "90%" right)
3 + 2K + k*(M+1) + M  mean of component k: diamond on its bracket  "mean"
                      row, dotted line up to the curve's peak
3 + 2K + K*(M+1)      legend-only key explaining the shading      "share_key"
then (optional)       generating components, dotted grey: their   "truth"
                      intervals in a last row (and their mixture
                      density if weights are given)
last (optional)       starting means picked by hand, stars on     "picked"
                      the axis
====================  ==========================================  ==========

Below the axis (y < 0, no tick labels there) lie, top to bottom: the rug
band, one bracket row per component, and the truth row.  Inner mass
levels are drawn thicker, like a box plot, with the 2-D dash styles.

Share, density, mixture and the key are left out when K = 0.  Since
γ_k(x) = π_k N_k(x) / Σ_j π_j N_j(x), the k-th share is numerically
π_k N_k(x): the stacked areas add up to the mixture curve, and the
vertical proportion of colour at x is the responsibility a point at x
would get.  Curves are evaluated on one grid: 600 points spanning the
data (padded) plus 81 points over μ_k ± 8 σ_k for every component, so a
narrow (collapsing) component is drawn as a spike and a trapezoid sum
over the grid integrates the mixture to 1.  The x range and the strip
under the axis depend on the data and K only; the top of the y range is
the tallest bar times 1.12 x (1, 1.25, ..., 2.5): it steps up only when
the mixture's peak outgrows it (a collapsing spike is cut off at 2.5),
so the view barely moves between snapshots.

Build times and JSON sizes: ``docs/benchmarks.md``, section "Figures"
(``python benchmarks/bench_figures.py nd``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import plotly.graph_objects as go

from .colors import ALERT, component_color, darken
from .geometry import interval
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
    FONT_SIZE,
    axis_style,
    base_layout,
    component_name,
    layout_options,
    mass_dash,
    padded_range,
    percent,
    rgba,
    snapshot_legend,
    sorted_masses,
    subscript,
)

__all__ = ["density_1d"]

#: Uniform part of the 1-D evaluation grid, and points per component.
GRID_POINTS = 600
LOCAL_GRID_POINTS = 81
#: Local grid half-width in standard deviations.
LOCAL_GRID_SIGMAS = 8.0
#: Variance floor relative to the squared data span (a collapsed
#: component is drawn as a very tall spike instead of NaN).
VARIANCE_FLOOR = 1e-12
#: Opacity of the stacked shares under the mixture curve.
SHARE_ALPHA = 0.28


# ======================================================================= 1-D


def _as_column(values: np.ndarray, name: str, length: int | None = None) -> np.ndarray:
    """(K,), (K, 1) or (K, 1, 1) input as a float vector of shape (K,)."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim >= 2 and arr.shape[1:] in ((1,), (1, 1)):
        arr = arr.reshape(len(arr))
    if arr.ndim != 1 or (length is not None and len(arr) != length):
        want = "(K,)" if length is None else f"({length},)"
        raise ValueError(
            f"{name} must have shape {want}, (K, 1) or (K, 1, 1), got {np.shape(values)}"
        )
    return arr


def _normal_pdf(grid: np.ndarray, means: np.ndarray, variances: np.ndarray) -> np.ndarray:
    """N(grid | μ_k, σ_k²) for every component, shape (K, len(grid))."""
    sd = np.sqrt(variances)[:, None]
    z = (grid[None, :] - means[:, None]) / sd
    return np.exp(-0.5 * z**2) / (sd * np.sqrt(2.0 * np.pi))


def _density_grid(x: np.ndarray, means: np.ndarray, sds: np.ndarray) -> np.ndarray:
    """Evaluation grid: the padded data range plus μ_k ± 8 σ_k for each component."""
    lo, hi = padded_range(x, 0.1)
    parts = [np.linspace(lo, hi, GRID_POINTS)]
    local = np.linspace(-LOCAL_GRID_SIGMAS, LOCAL_GRID_SIGMAS, LOCAL_GRID_POINTS)
    parts += [m + s * local for m, s in zip(means, sds)]
    return np.unique(np.concatenate(parts))


def _histogram_trace(x: np.ndarray, bins) -> tuple[dict, float]:
    """Density-normalised histogram of all data as a ``Bar`` with explicit widths.

    Returns the trace and its tallest bar (the figure's height scale).
    """
    edges = np.histogram_bin_edges(x, bins=bins)
    density, edges = np.histogram(x, bins=edges, density=True)
    trace = dict(
        type="bar",
        x=0.5 * (edges[:-1] + edges[1:]),
        y=density,
        width=np.diff(edges),
        marker={"color": "#C8C8C8", "line": {"color": "#9A9A9A", "width": 1}},
        opacity=0.75,
        customdata=np.column_stack([edges[:-1], edges[1:]]),
        hovertemplate=(
            "bin %{customdata[0]:.3g} – %{customdata[1]:.3g}<br>"
            "density %{y:.3g}<extra>histogram</extra>"
        ),
        name="histogram of the data (area = 1)",
        legendrank=1,
        meta={"role": "histogram", "n_bins": len(density)},
    )
    top = float(density.max()) if density.size and np.isfinite(density).all() else 1.0
    return trace, top if top > 0 else 1.0


def _share_traces(
    grid: np.ndarray, weighted: np.ndarray, mixture: np.ndarray, palette
) -> list[dict]:
    """Stacked areas: the mixture density split by the responsibilities γ_k(x)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        gamma = np.where(mixture > 0, weighted / mixture, np.nan)
    traces = []
    for k, share in enumerate(weighted):
        color = component_color(k, palette)
        traces.append(
            dict(
                type="scatter",
                x=grid,
                y=share,
                mode="lines",
                line={"width": 0, "color": color},
                stackgroup="share",
                fillcolor=rgba(color, SHARE_ALPHA),
                customdata=gamma[k].astype(np.float32),
                hovertemplate=(
                    f"x = %{{x:.3g}}: component {k + 1}'s share of p(x) is "
                    f"γ{subscript(k)}(x) = %{{customdata:.2f}}<extra></extra>"
                ),
                name=f"share of component {k + 1}",
                showlegend=False,
                legendgroup=f"component{k}",
                meta={"role": "share", "component": k},
            )
        )
    return traces


def _density_trace(
    grid: np.ndarray,
    curve: np.ndarray,
    k: int,
    weight: float,
    color: str,
    highlight_label: str | None,
) -> dict:
    """π_k N(x | μ_k, σ_k²) as a line; the component's legend entry."""
    highlighted = highlight_label is not None
    name = component_name(k, weight, highlight_label)
    return dict(
        type="scatter",
        x=grid,
        y=curve,
        mode="lines",
        line={
            "color": color,
            "width": 4.5 if highlighted else 3,
            "dash": "dash" if highlighted else "solid",
        },
        hovertemplate=f"{name}<br>π{subscript(k)} N(x) = %{{y:.3g}}<extra></extra>",
        name=name,
        legendgroup=f"component{k}",
        legendrank=100 + k,
        meta={
            "role": "density",
            "component": k,
            "weight": float(weight),
            "highlighted": highlighted,
        },
    )


def _mixture_trace(grid: np.ndarray, mixture: np.ndarray) -> dict:
    """The mixture density Σ_k π_k N_k(x) as a thick black line."""
    return dict(
        type="scatter",
        x=grid,
        y=mixture,
        mode="lines",
        line={"color": "black", "width": 5},
        hovertemplate="mixture p(x) = %{y:.3g}<extra></extra>",
        name="mixture p(x) = Σ πₖ Nₖ(x)",
        legendrank=90,
        meta={"role": "mixture"},
    )


def _interval_trace(
    lo: float,
    hi: float,
    row: tuple[float, float],
    view: list[float],
    k: int,
    mass: float,
    level: int,
    n_levels: int,
    color: str,
    highlighted: bool,
) -> dict:
    """Bracket |———| under the axis over component ``k``'s central interval.

    Parameters
    ----------
    lo, hi : float
        The interval holding ``mass``.
    row : (y, tick)
        Height of the bracket row and half-height of its end ticks.
    view : [x_min, x_max]
        Displayed x range: labels are kept inside it.
    k, mass, level, n_levels, color, highlighted
        Component, mass level (0 = innermost, drawn thickest, like a box
        plot) and colour (alert colour if highlighted).

    The outermost bracket is labelled "k=1" at its left end and its mass
    ("90%") at its right end; inner ones only with their mass, above.
    """
    y, tick = row
    dash_name = mass_dash(level)[0]
    line_color = ALERT if highlighted else darken(color, 0.8)
    width = 7.0 - 4.0 * level / (n_levels - 1) if n_levels > 1 else 5.0
    xs = [lo, lo, np.nan, lo, hi, np.nan, hi, hi]
    ys = [y - tick, y + tick, np.nan, y, y, np.nan, y - tick, y + tick]
    text = [""] * len(xs)
    positions = ["middle right"] * len(xs)
    outermost = level == n_levels - 1
    if outermost:
        xs += [np.nan, float(np.clip(lo, *view)), np.nan, float(np.clip(hi, *view))]
        ys += [np.nan, y, np.nan, y]
        text += ["", f"k={k + 1} ", "", f" {percent(mass)}"]
        positions += ["middle right", "middle left", "middle right", "middle right"]
    else:
        text[-1] = percent(mass)
        positions[-1] = "top center"
    return dict(
        type="scatter",
        x=xs,
        y=ys,
        mode="lines+text",
        line={"color": line_color, "width": width, "dash": dash_name},
        connectgaps=False,
        text=text,
        textposition=positions,
        textfont={"color": line_color, "size": FONT_SIZE - 1},
        cliponaxis=False,
        hovertemplate=(
            f"Component {k + 1}: {percent(mass)} of its mass lies in "
            f"[{lo:.3g}, {hi:.3g}]<extra></extra>"
        ),
        name=f"k={k + 1} · {percent(mass)} interval",
        showlegend=False,
        legendgroup=f"component{k}",
        meta={
            "role": "interval",
            "component": k,
            "mass": mass,
            "lo": lo,
            "hi": hi,
            "dash": dash_name,
            "highlighted": highlighted,
        },
    )


def _mean_trace_1d(
    mean: float, row_y: float, peak: float, k: int, color: str, highlighted: bool
) -> dict:
    """Diamond at μ_k on the bracket row, dotted line up to the curve's peak."""
    line_color = ALERT if highlighted else darken(color, 0.8)
    return dict(
        type="scatter",
        x=[mean, mean],
        y=[row_y, peak],
        mode="lines+markers",
        line={"color": line_color, "width": 2, "dash": "dot"},
        marker={
            "size": [13, 0],
            "symbol": "diamond",
            "color": line_color,
            "line": {"color": "black", "width": 1},
        },
        hovertemplate=(f"mean of component {k + 1}: μ{subscript(k)} = {mean:.4g}<extra></extra>"),
        name=f"mean of component {k + 1}",
        showlegend=False,
        legendgroup=f"component{k}",
        meta={"role": "mean", "component": k, "mean": float(mean), "highlighted": highlighted},
    )


def _share_key_trace() -> dict:
    """Legend-only entry explaining the shaded areas."""
    return dict(
        type="scatter",
        x=[None],
        y=[None],
        mode="lines",
        fill="toself",
        line={"width": 0, "color": "#999999"},
        fillcolor=rgba("#999999", 0.45),
        name="shading: p(x) split by responsibility γₖ(x)",
        legendrank=95,
        hoverinfo="skip",
        meta={"role": "share_key"},
    )


def _truth_trace_1d(
    true_components: tuple, mass: float, grid: np.ndarray, row: tuple[float, float]
) -> dict:
    """Generating components, dotted grey: their ``mass`` intervals in the
    bottom row and, when weights are given as a third element, their
    mixture density."""
    means = _as_column(true_components[0], "true means")
    variances = _as_column(true_components[1], "true variances", len(means))
    lo, hi = interval(means, variances, mass)
    row_y, tick = row
    xs, ys = [], []
    for a, b in zip(np.atleast_1d(lo), np.atleast_1d(hi)):
        xs += [a, a, np.nan, a, b, np.nan, b, b, np.nan]
        ys += [
            row_y - tick,
            row_y + tick,
            np.nan,
            row_y,
            row_y,
            np.nan,
            row_y - tick,
            row_y + tick,
            np.nan,
        ]
    if len(true_components) > 2 and true_components[2] is not None:
        weights = _as_column(true_components[2], "true weights", len(means))
        floor = VARIANCE_FLOOR * float(np.ptp(grid)) ** 2
        curve = weights @ _normal_pdf(grid, means, np.maximum(variances, floor))
        xs += list(grid)
        ys += list(curve)
    name = f"generating components ({percent(mass)} intervals"
    name += ", density)" if len(true_components) > 2 else ")"
    return dict(
        type="scatter",
        x=np.asarray(xs, dtype=float),
        y=np.asarray(ys, dtype=float),
        mode="lines",
        connectgaps=False,
        line={"color": "#555555", "width": 2.5, "dash": "dot"},
        name=name + ", dotted",
        legendrank=2000,
        hoverinfo="skip",
        meta={"role": "truth", "mass": mass},
    )


def _nice_ticks(top: float, n: int = 5) -> list[float]:
    """Round tick values 0, step, 2 step, ... up to ``top``."""
    raw = top / n
    magnitude = 10 ** np.floor(np.log10(raw))
    step = min(
        (s * magnitude for s in (1, 2, 2.5, 5, 10) if s * magnitude >= raw), default=10 * magnitude
    )
    return [round(float(v), 12) for v in np.arange(0.0, top + 1e-12 * top, step)]


def density_1d(
    x: np.ndarray,
    responsibilities: np.ndarray | None,
    means: np.ndarray,
    variances: np.ndarray,
    weights: np.ndarray,
    masses: Sequence[float] = (0.9,),
    *,
    column_name: str = "x",
    highlight: Collection[int] = (),
    highlight_label: str = "collapsed",
    bins: int | str | np.ndarray = "auto",
    max_points: int | None = MAX_POINTS,
    seed: int = 0,
    true_components: tuple | None = None,
    palette: Sequence[str] | None = None,
    title: str | None = None,
    uirevision: str = "gmm-1d",
    dragmode: str | None = None,
    height: int | None = None,
    picked_means: Sequence[Sequence[float]] | None = None,
) -> go.Figure:
    """Histogram of 1-D data with the fitted densities, responsibilities and intervals.

    Parameters
    ----------
    x : ndarray, shape (n,) or (n, 1)
    responsibilities : ndarray, shape (n, K), or None
        Colours the rug of data points under the axis (grey if None).
    means : ndarray, shape (K,) or (K, 1)
    variances : ndarray, shape (K,), (K, 1) or (K, 1, 1)
        Variances σ_k² (a (K, 1, 1) covariance array is accepted as is).
    weights : ndarray, shape (K,)
    masses : sequence of float, default (0.9,)
        Mass of each component's central interval bracket.
    column_name : str
        x-axis title and hover label.
    highlight, highlight_label, max_points, seed, palette, title
        As in `gmm.figures.scatter_2d`; ``max_points`` caps the rug only,
        the histogram always uses all data.
    bins : int, str or ndarray, default "auto"
        Passed to ``numpy.histogram_bin_edges`` on all data, so the bins
        do not change between snapshots.
    true_components : (means, variances[, weights]), optional
        Generating components, dotted grey: their intervals at the largest
        mass in a last row under the fitted ones and, if weights are
        given, their mixture density.
    uirevision : str, default "gmm-1d"
    dragmode, height
        As in `gmm.figures.scatter_2d`.
    picked_means : sequence of (x,), optional
        Starting means picked by hand, drawn as labelled black stars on the axis.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces in the order given in the module docstring.
    """
    x = check_points(np.reshape(np.asarray(x, dtype=float), (-1, 1)), dim=1)[:, 0]
    means = _as_column(means, "means")
    variances = _as_column(variances, "variances", len(means))
    weights = np.asarray(weights, dtype=float)
    check_snapshot(
        len(x), responsibilities, means[:, None], variances[:, None, None], weights, dim=1
    )
    levels = sorted_masses(masses)
    n_components = len(means)
    flagged = set(highlight)

    histogram, tallest = _histogram_trace(x, bins)
    span = float(np.ptp(x)) or 1.0
    safe_var = np.maximum(variances, VARIANCE_FLOOR * span**2)
    grid = _density_grid(x, means, np.sqrt(safe_var))
    weighted = weights[:, None] * _normal_pdf(grid, means, safe_var)
    mixture = weighted.sum(axis=0)

    # Above the axis: curves up to `top`; below: the rug band, then one
    # bracket row per component and one for the truth (all in units of
    # the tallest bar, so the strip depends on the data and K only).
    peak = float(mixture.max()) if n_components else 0.0
    top = 1.12 * tallest * np.ceil(4.0 * np.clip(peak / tallest, 1.0, 2.5)) / 4.0
    rug_band = (-0.15 * tallest, -0.03 * tallest)
    rows = -0.25 * tallest - 0.11 * tallest * np.arange(n_components + 1)
    tick = 0.03 * tallest
    n_rows = n_components + (true_components is not None)
    bottom = (rows[n_rows - 1] if n_rows else rug_band[0]) - 0.08 * tallest
    view = padded_range(x)

    shown, gamma_shown = shown_points(len(x), responsibilities, max_points, seed)
    # Own stream: seeded generators of the data must not correlate with the jitter.
    jitter = np.random.default_rng([seed, 7411]).uniform(*rug_band, len(shown))
    points = points_trace(
        np.column_stack([x[shown], jitter]),
        gamma_shown,
        column_names=[column_name],
        n_total=len(x),
        palette=palette,
        marker={"symbol": "line-ns-open", "size": 9, "opacity": 0.8, "line": {"width": 1.5}},
        name="data points (rug), coloured by responsibility",
        showlegend=True,
        legendrank=2,
    )

    traces = [points, histogram]
    if n_components:
        colors = [component_color(k, palette) for k in range(n_components)]
        labels = [highlight_label if k in flagged else None for k in range(n_components)]
        traces += _share_traces(grid, weighted, mixture, palette)
        traces += [
            _density_trace(grid, weighted[k], k, weights[k], colors[k], labels[k])
            for k in range(n_components)
        ]
        traces.append(_mixture_trace(grid, mixture))
        peaks = weights / np.sqrt(2.0 * np.pi * safe_var)
        for k in range(n_components):
            marked = labels[k] is not None
            for j, m in enumerate(levels):
                lo, hi = interval(means[k], safe_var[k], m)
                traces.append(
                    _interval_trace(
                        lo, hi, (rows[k], tick), view, k, m, j, len(levels), colors[k], marked
                    )
                )
            traces.append(
                _mean_trace_1d(means[k], rows[k], min(peaks[k], top), k, colors[k], marked)
            )
        traces.append(_share_key_trace())
    if true_components is not None:
        traces.append(
            _truth_trace_1d(true_components, levels[-1], grid, (rows[n_components], tick))
        )
    traces += picked_means_traces(picked_means)
    layout = _layout_1d(x, column_name, len(shown), top, bottom, uirevision=uirevision)
    layout |= layout_options(title, height, dragmode)
    return go.Figure(data=traces, layout=layout, _validate=False)


def _layout_1d(
    x: np.ndarray,
    column_name: str,
    n_shown: int,
    top: float,
    bottom: float,
    *,
    uirevision: str,
) -> dict:
    """Ranges from `density_1d`, density ticks from 0 up only, legend below."""
    ticks = _nice_ticks(top)
    layout = {
        **base_layout(uirevision),
        "xaxis": {**axis_style(column_name), "range": padded_range(x)},
        "yaxis": {
            **axis_style("density"),
            "range": [bottom, top],
            "tickvals": ticks,
            "zeroline": True,
            "zerolinecolor": "#444444",
            "zerolinewidth": 1.5,
        },
        "legend": snapshot_legend(-0.2),  # below the axis title
        "barmode": "overlay",
        "hovermode": "closest",
        "margin": {"l": 70, "r": 10, "t": 30, "b": 40},
        "annotations": _rug_annotations(n_shown, len(x)),
    }
    return layout


def _rug_annotations(n_shown: int, n_total: int) -> list[dict]:
    """The 2-D "showing 20,000 of 200,000 points" note, saying it is the rug."""
    notes = subsample_annotations(n_shown, n_total)
    for note in notes:
        note["text"] = f"rug {note['text']}; histogram uses all"
    return notes
