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
last (image mode)     the rug of every point, as an image strip   "image"
====================  ==========================================  ==========

Above ``max_points`` points the rug holds every point (`gmm.figures.raster_traces.rug_traces`):
a strip of bins, each coloured by the blend of its points' mean responsibilities and
more opaque the more points it holds; trace 0 is then one transparent marker per
non-empty bin with its count and mean responsibilities for the hover (meta
``mode="image"``), and the strip comes last.  A rug of at most
`gmm.figures.svg_or_webgl.SVG_MAX_POINTS` points, and the picked means, are SVG
(``scatter``) rather than WebGL: a new page paints them sooner.

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

from .array_cache import derived
from .colors import component_color
from .components_1d import (
    as_column,
    density_trace,
    interval_trace,
    mean_trace_1d,
    mixture_trace,
    share_key_trace,
    share_traces,
    truth_trace_1d,
    variance_floor,
    weighted_curves,
)
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
from .raster_traces import FREE_AXIS, draws_image, rug_traces, view_grid
from .style import (
    FONT_SIZE,
    INK,
    axis_style,
    base_layout,
    data_extremes,
    layout_options,
    padded_range,
    scaled_type,
    snapshot_legend,
    sorted_masses,
    stack_above_plot,
)
from .svg_or_webgl import as_svg, draws_svg

__all__ = ["data_histogram", "density_1d", "tallest_bar"]

#: The right margin, px: room for the mass label (" 90%", in the brackets' type, FONT_SIZE
#: - 1) beside a bracket that ends at the plot's right edge, which a 10 px margin cut.
RIGHT_MARGIN = round(2.4 * (FONT_SIZE - 1))


# ======================================================================= 1-D


def data_histogram(data: np.ndarray, bins="auto") -> tuple[np.ndarray, np.ndarray]:
    """The density-normalised histogram of all the points, ``numpy.histogram``'s
    (density, edges), shape (B,) and (B + 1,).

    Parameters
    ----------
    data : ndarray, shape (n, 1)
        The data; with ``bins`` a str or an int the histogram is computed once per
        array (a rule such as "auto" sorts all n points: 0.2 s at n = 10⁶).
    bins : int, str or ndarray, default "auto"
        As in ``numpy.histogram_bin_edges``.
    """

    def histogram(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        edges = np.histogram_bin_edges(data[:, 0], bins=bins)
        return np.histogram(data[:, 0], bins=edges, density=True)

    if isinstance(bins, (str, int)):
        return derived(data, ("histogram", bins), histogram)
    return histogram(data)


def tallest_bar(data: np.ndarray) -> float:
    """The tallest bar of `density_1d`'s default histogram of ``data`` (n, 1): its unit
    of height."""
    density, _ = data_histogram(data)
    top = float(density.max()) if density.size and np.isfinite(density).all() else 1.0
    return top if top > 0 else 1.0


def _histogram_trace(data: np.ndarray, bins) -> tuple[dict, float]:
    """Density-normalised histogram of all data as a ``Bar`` with explicit widths.

    Returns the trace and its tallest bar (the figure's height scale).
    """
    density, edges = data_histogram(data, bins)
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
    as_image: bool = True,
    true_components: tuple | None = None,
    palette: Sequence[str] | None = None,
    title: str | None = None,
    uirevision: str = "gmm-1d",
    dragmode: str | None = None,
    height: int | None = None,
    picked_means: Sequence[Sequence[float]] | None = None,
    banner: str | None = None,
    type_scale: float = 1.0,
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
        As in `gmm.figures.scatter_2d`; ``max_points`` caps the rug's markers, above
        it the rug is a strip of bins holding every point (or a sample, with
        ``as_image=False``); the histogram always uses all data.
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
    banner : str, optional
        A large bold caption above the plot ("Iteration 3 · after the
        E-step"), as in `gmm.figures.scatter_2d`.
    type_scale : float, default 1
        Every text this many times larger, as in `gmm.figures.scatter_2d`.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces in the order given in the module docstring.
    """
    data = np.asarray(x, dtype=float)
    # The caller's (n, 1) array itself where it gave one, so that the rug's grid is
    # computed once per data set (`view_grid` keeps it while the array lives).
    data = check_points(data if data.ndim == 2 else data.reshape(-1, 1), dim=1)
    x = data[:, 0]
    means = as_column(means, "means")
    variances = as_column(variances, "variances", len(means))
    weights = np.asarray(weights, dtype=float)
    check_snapshot(
        len(x), responsibilities, means[:, None], variances[:, None, None], weights, dim=1
    )
    levels = sorted_masses(masses)
    n_components = len(means)
    flagged = set(highlight)

    histogram, tallest = _histogram_trace(data, bins)
    extremes = data_extremes(data)[0]  # this and the floor: once per data array
    safe_var = np.maximum(variances, variance_floor(data))
    grid, weighted = weighted_curves(data, means, variances, weights)
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
    view = padded_range(extremes)

    if as_image and draws_image(len(x), 1, max_points):  # every point, in a strip
        points, image, note = rug_traces(
            x,
            responsibilities,
            grid=view_grid(data, max_points),
            band=rug_band,
            column_name=column_name,
            palette=palette,
        )
        images, notes = [image], [note]
    else:
        points, notes = _rug_sample(
            x, responsibilities, rug_band, column_name, palette, max_points, seed
        )
        images = []

    traces = [points, histogram]
    if n_components:
        colors = [component_color(k, palette) for k in range(n_components)]
        labels = [highlight_label if k in flagged else None for k in range(n_components)]
        traces += share_traces(grid, weighted, mixture, palette)
        traces += [
            density_trace(grid, weighted[k], k, weights[k], colors[k], labels[k])
            for k in range(n_components)
        ]
        traces.append(mixture_trace(grid, mixture))
        peaks = weights / np.sqrt(2.0 * np.pi * safe_var)
        for k in range(n_components):
            marked = labels[k] is not None
            for j, m in enumerate(levels):
                lo, hi = interval(means[k], safe_var[k], m)
                traces.append(
                    interval_trace(
                        lo, hi, (rows[k], tick), view, k, m, j, len(levels), colors[k], marked
                    )
                )
            traces.append(
                mean_trace_1d(means[k], rows[k], min(peaks[k], top), k, colors[k], marked)
            )
        traces.append(share_key_trace())
    if true_components is not None:
        traces.append(truth_trace_1d(true_components, levels[-1], grid, (rows[n_components], tick)))
    traces += picked_means_traces(picked_means)
    if not images and draws_svg(len(points["x"])):
        traces = as_svg(traces)
    traces += images
    layout = _layout_1d(view, column_name, notes, top, bottom, uirevision=uirevision, banner=banner)
    layout |= layout_options(title, height, dragmode)
    layout, traces = scaled_type(layout, traces, type_scale)
    return go.Figure(data=traces, layout=layout, _validate=False)


def _rug_sample(x, responsibilities, band, column_name, palette, max_points, seed):
    """The rug of a sample of the points (`shown_points`), jittered in ``band``, and
    its note ("rug showing 20,000 of 200,000 points; histogram uses all")."""
    shown, gamma_shown = shown_points(len(x), responsibilities, max_points, seed)
    # Own stream: seeded generators of the data must not correlate with the jitter.
    jitter = np.random.default_rng([seed, 7411]).uniform(*band, len(shown))
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
    return points, _rug_annotations(len(shown), len(x))


def _layout_1d(
    view: list[float],
    column_name: str,
    notes: list[dict],
    top: float,
    bottom: float,
    *,
    uirevision: str,
    banner: str | None = None,
) -> dict:
    """Ranges from `density_1d`, density ticks from 0 up only, legend below.

    The rug note and the banner sit in the top margin, above the plot.
    """
    ticks = _nice_ticks(top)
    annotations, above = stack_above_plot(notes, banner)
    layout = {
        **base_layout(uirevision),
        "xaxis": {**axis_style(column_name), "range": view, **FREE_AXIS},
        "yaxis": {
            **axis_style("density"),
            **FREE_AXIS,
            "range": [bottom, top],
            "tickvals": ticks,
            "zeroline": True,
            "zerolinecolor": INK,
            "zerolinewidth": 1.5,
        },
        "legend": snapshot_legend(),  # under the x-axis title at any size
        "barmode": "overlay",
        "hovermode": "closest",
        "margin": {"l": 70, "r": RIGHT_MARGIN, "t": max(30, above + 6), "b": 40},
        "annotations": annotations,
    }
    return layout


def _rug_annotations(n_shown: int, n_total: int) -> list[dict]:
    """The 2-D "showing 20,000 of 200,000 points" note, saying it is the rug."""
    notes = subsample_annotations(n_shown, n_total)
    for note in notes:
        note["text"] = f"rug {note['text']}; histogram uses all"
    return notes
