"""The components of the 1-D view: densities and their shares above the axis, the
central intervals and means below it, and the generating components.

`gmm.figures.view_1d.density_1d` stacks the shares π_k N_k(x) (which add up to the
mixture density, so the proportion of colour at x is the responsibility a point at x
would get), draws each π_k N_k(x) as a line and the mixture as a thick black one, all
on one grid (`density_grid`) that resolves even a collapsing component.  Under the
axis, each component gets a row with a bracket |---| per mass level and a diamond at
its mean; `gmm.figures.view_1d` documents the order of the traces.
"""

from __future__ import annotations

import numpy as np

from .colors import ALERT, component_color, darken
from .geometry import interval
from .style import (
    FONT_SIZE,
    TRUTH_COLOR,
    component_name,
    data_extremes,
    data_span,
    hover_label,
    mass_dash,
    padded_range,
    percent,
    rgba,
    subscript,
)

__all__ = [
    "VARIANCE_FLOOR",
    "as_column",
    "density_grid",
    "density_trace",
    "interval_trace",
    "mean_trace_1d",
    "mixture_trace",
    "normal_pdf",
    "share_key_trace",
    "share_traces",
    "truth_trace_1d",
    "variance_floor",
    "weighted_curves",
]

#: Variance floor relative to the squared data span (a collapsed
#: component is drawn as a very tall spike instead of NaN).
VARIANCE_FLOOR = 1e-12
#: Uniform part of the 1-D evaluation grid, and points per component.
GRID_POINTS = 600
LOCAL_GRID_POINTS = 81
#: Local grid half-width in standard deviations.
LOCAL_GRID_SIGMAS = 8.0
#: Opacity of the stacked shares under the mixture curve.
SHARE_ALPHA = 0.28


def as_column(values: np.ndarray, name: str, length: int | None = None) -> np.ndarray:
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


def normal_pdf(grid: np.ndarray, means: np.ndarray, variances: np.ndarray) -> np.ndarray:
    """N(grid | μ_k, σ_k²) for every component, shape (K, len(grid))."""
    sd = np.sqrt(variances)[:, None]
    z = (grid[None, :] - means[:, None]) / sd
    return np.exp(-0.5 * z**2) / (sd * np.sqrt(2.0 * np.pi))


def density_grid(x: np.ndarray, means: np.ndarray, sds: np.ndarray) -> np.ndarray:
    """Evaluation grid: the padded data range plus μ_k ± 8 σ_k for each component."""
    lo, hi = padded_range(x, 0.1)
    parts = [np.linspace(lo, hi, GRID_POINTS)]
    local = np.linspace(-LOCAL_GRID_SIGMAS, LOCAL_GRID_SIGMAS, LOCAL_GRID_POINTS)
    parts += [m + s * local for m, s in zip(means, sds)]
    return np.unique(np.concatenate(parts))


def variance_floor(data: np.ndarray) -> float:
    """The least variance a 1-D curve is drawn with: `VARIANCE_FLOOR` times the squared
    span of ``data`` (n, 1), computed once per array (a collapsed component is drawn as
    a very tall spike instead of NaN)."""
    return VARIANCE_FLOOR * (float(data_span(data)[0]) or 1.0) ** 2


def weighted_curves(
    data: np.ndarray, means: np.ndarray, variances: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each component's curve π_k N(x | μ_k, σ_k²) as the 1-D view draws it.

    Parameters
    ----------
    data : ndarray, shape (n, 1)
        The data (its extremes and span, once per array, give the grid and the floor).
    means, variances, weights : ndarray, shape (K,)

    Returns
    -------
    grid : ndarray, shape (G,)
        `density_grid` of the data's range and the components.
    weighted : ndarray, shape (K, G)
        π_k N(grid | μ_k, σ_k²), each σ_k² at least `variance_floor` of the data.
    """
    safe_var = np.maximum(variances, variance_floor(data))
    grid = density_grid(data_extremes(data)[0], means, np.sqrt(safe_var))
    return grid, weights[:, None] * normal_pdf(grid, means, safe_var)


def share_traces(
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
                    f"x = %{{x:.3g}}: Component {k + 1}'s share of p(x) is "
                    f"γ{subscript(k)}(x) = %{{customdata:.2f}}<extra></extra>"
                ),
                hoverlabel=hover_label(bordercolor=darken(color)),
                name=f"share of component {k + 1}",
                showlegend=False,
                legendgroup=f"component{k}",
                meta={"role": "share", "component": k},
            )
        )
    return traces


def density_trace(
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
        hoverlabel=hover_label(bordercolor=ALERT if highlighted else darken(color)),
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


def mixture_trace(grid: np.ndarray, mixture: np.ndarray) -> dict:
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


def share_key_trace() -> dict:
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


def interval_trace(
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
        # a white halo: a label may lie over the rug or the dashed outer bracket
        textfont={"color": line_color, "size": FONT_SIZE - 1, "shadow": "auto"},
        cliponaxis=False,
        hovertemplate=(
            f"Component {k + 1}: {percent(mass)} of its mass lies in "
            f"[{lo:.3g}, {hi:.3g}]<extra></extra>"
        ),
        hoverlabel=hover_label(bordercolor=line_color),
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


def mean_trace_1d(
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
        hovertemplate=f"Component {k + 1}: mean μ{subscript(k)} = {mean:.4g}<extra></extra>",
        hoverlabel=hover_label(bordercolor=line_color),
        name=f"mean of component {k + 1}",
        showlegend=False,
        legendgroup=f"component{k}",
        meta={"role": "mean", "component": k, "mean": float(mean), "highlighted": highlighted},
    )


def truth_trace_1d(
    true_components: tuple, mass: float, grid: np.ndarray, row: tuple[float, float]
) -> dict:
    """Generating components, dotted grey: their ``mass`` intervals in the
    bottom row and, when weights are given as a third element, their
    mixture density."""
    means = as_column(true_components[0], "true means")
    variances = as_column(true_components[1], "true variances", len(means))
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
        weights = as_column(true_components[2], "true weights", len(means))
        floor = VARIANCE_FLOOR * float(np.ptp(grid)) ** 2
        curve = weights @ normal_pdf(grid, means, np.maximum(variances, floor))
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
        line={"color": TRUTH_COLOR, "width": 2.5, "dash": "dot"},
        name=name + ", dotted",
        legendrank=2000,
        hoverinfo="skip",
        meta={"role": "truth", "mass": mass},
    )
