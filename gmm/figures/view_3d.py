"""Plotly figures of one EM snapshot for 3-D and 1-D data.

The companions of `gmm.figures.scatter_2d`: same inputs (plain NumPy
arrays), same conventions (one points trace with the quantised binary
colour encoding and float32 γ hover, a ``meta={"role": ...}`` on every
trace, traces built as plain dicts and put into ``go.Figure(...,
_validate=False)``, `gmm.figures.colors` palette, `FONT_SIZE`, ``uirevision``).
The private helpers of `gmm.figures` are reused, not copied.

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
last (optional)       generating components, dotted grey: their   "truth"
                      intervals in a last row (and their mixture
                      density if weights are given)
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
from .geometry import ellipsoid_mesh, interval, mahalanobis_radius, marginal
from .view_2d import (
    FONT_SIZE,
    MAX_POINTS,
    _axis_style,
    _base_layout,
    _check_points,
    _check_snapshot,
    _comparable_scales,
    _mass_dash,
    _padded_range,
    _percent,
    _point_rgb,
    _points_trace,
    _points_varying,
    _rgba,
    _sorted_masses,
    _subsample_annotations,
    display_subsample,
    quantise_colors,
    scatter_2d,
)

__all__ = [
    "density_1d",
    "projections_3d",
    "scatter_3d",
]

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

#: Opacity of the innermost and outermost ellipsoid (a single level gets 0.2).
ELLIPSOID_OPACITY = (0.25, 0.15)
#: Opacity of a highlighted (e.g. collapsed) ellipsoid.
HIGHLIGHT_OPACITY = 0.3
#: Longitudes and latitudes of each ellipsoid mesh.
MESH_RESOLUTION = (32, 20)
#: Points per principal-plane ellipse of the truth overlay.
RING_POINTS = 60
#: Column pairs of `projections_3d`.
PROJECTION_PAIRS = ((0, 1), (0, 2), (1, 2))
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


def _subscript(k: int) -> str:
    """1-based subscript of component ``k`` (0-based): "₁", "₁₂"."""
    return str(k + 1).translate(_SUBSCRIPTS)


def _component_name(k: int, weight: float, highlight_label: str | None) -> str:
    """Legend name "Component 2 · π = 0.42", plus e.g. " (collapsed)"."""
    name = f"Component {k + 1} · π = {weight:.2f}"
    return name if highlight_label is None else f"{name} ({highlight_label})"


def _legend_below(y: float = -0.08) -> dict:
    """Horizontal legend under the plot, as in the 2-D figure."""
    return {
        "orientation": "h",
        "x": 0.0,
        "y": y,
        "xanchor": "left",
        "yanchor": "top",
        "itemsizing": "constant",
        "tracegroupgap": 2,
        "font": {"size": FONT_SIZE},
    }


# ======================================================================= 3-D


def _level_opacity(level: int, n_levels: int) -> float:
    """Ellipsoid opacity: innermost most opaque, outermost faintest."""
    inner, outer = ELLIPSOID_OPACITY
    if n_levels == 1:
        return 0.5 * (inner + outer)
    return inner + (outer - inner) * level / (n_levels - 1)


def _ellipsoid_trace(
    mean: np.ndarray,
    covariance: np.ndarray,
    weight: float,
    k: int,
    mass: float,
    level: int,
    n_levels: int,
    color: str,
    highlight_label: str | None,
) -> dict:
    """Translucent ``Mesh3d`` of the region holding ``mass`` of component ``k``.

    Highlighted components are drawn in the alert colour, more opaque and
    flat-shaded (faceted), and say so in the legend.
    """
    mesh = ellipsoid_mesh(mean, covariance, mass, *MESH_RESOLUTION)
    highlighted = highlight_label is not None
    name = f"{_component_name(k, weight, highlight_label)} · {_percent(mass)}"
    hover = (
        f"{_component_name(k, weight, highlight_label)}<br>"
        f"{_percent(mass)} of this component's mass lies inside<extra></extra>"
    )
    return dict(
        type="mesh3d",
        **mesh._asdict(),
        color=ALERT if highlighted else color,
        opacity=HIGHLIGHT_OPACITY if highlighted else _level_opacity(level, n_levels),
        flatshading=highlighted,
        lighting={"ambient": 0.75, "diffuse": 0.5, "specular": 0.05, "roughness": 0.9},
        hovertemplate=hover,
        name=name,
        showlegend=True,
        legendgroup=f"component{k}",
        legendrank=100 + k,
        meta={
            "role": "ellipsoid",
            "component": k,
            "mass": mass,
            "highlighted": highlighted,
        },
    )


def _mean_trace_3d(
    mean: np.ndarray,
    label_at: np.ndarray,
    weight: float,
    k: int,
    color: str,
    highlight_label: str | None,
) -> dict:
    """Diamond with black outline at component ``k``'s mean, and its label.

    The trace has two points: the mean, then an invisible marker at
    ``label_at`` (the top of the outermost ellipsoid) carrying the text
    "k=1", outside the translucent surfaces where it stays readable.
    """
    highlighted = highlight_label is not None
    name = _component_name(k, weight, highlight_label)
    size = 12 if highlighted else 10
    return dict(
        type="scatter3d",
        x=[float(mean[0]), float(label_at[0])],
        y=[float(mean[1]), float(label_at[1])],
        z=[float(mean[2]), float(label_at[2])],
        mode="markers+text",
        text=["", f"k={k + 1}" + (f" ({highlight_label})" if highlighted else "")],
        textposition="top center",
        textfont={"size": FONT_SIZE + 2, "color": ALERT if highlighted else darken(color, 0.4)},
        marker={
            "symbol": "x" if highlighted else "diamond",
            "size": [size, 0],
            "color": ALERT if highlighted else color,
            "line": {"color": "black", "width": 2},
        },
        hovertemplate=(
            f"{name}<br>μ = ({mean[0]:.3g}, {mean[1]:.3g}, {mean[2]:.3g})<extra></extra>"
        ),
        name=f"{name} · mean",
        showlegend=False,
        legendgroup=f"component{k}",
        meta={"role": "mean", "component": k, "weight": float(weight), "highlighted": highlighted},
    )


def _component_traces_3d(
    means: np.ndarray,
    covariances: np.ndarray,
    weights: np.ndarray,
    masses: Sequence[float],
    highlight: Collection[int],
    highlight_label: str,
    palette: Sequence[str] | None,
) -> list[dict]:
    """For each component: M ellipsoids (innermost first), then its mean."""
    levels = _sorted_masses(masses)
    flagged = set(highlight)
    traces = []
    for k in range(len(means)):
        color = component_color(k, palette)
        label = highlight_label if k in flagged else None
        traces += [
            _ellipsoid_trace(
                means[k], covariances[k], weights[k], k, m, j, len(levels), color, label
            )
            for j, m in enumerate(levels)
        ]
        top = traces[-1]  # outermost ellipsoid
        label_at = np.array([top[axis][int(np.argmax(top["z"]))] for axis in "xyz"])
        traces.append(_mean_trace_3d(means[k], label_at, weights[k], k, color, label))
    return traces


def _principal_rings(mean: np.ndarray, covariance: np.ndarray, radius: float) -> np.ndarray:
    """The three principal-plane ellipses of an ellipsoid, NaN-separated.

    Returns
    -------
    ndarray, shape (3 * (RING_POINTS + 1), 3)
    """
    cov = 0.5 * (covariance + covariance.T)
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    axes = eigenvectors * np.sqrt(np.clip(eigenvalues, 0.0, None))  # columns
    t = np.linspace(0.0, 2.0 * np.pi, RING_POINTS)
    rings = []
    for a, b in ((0, 1), (0, 2), (1, 2)):
        ring = mean + radius * (np.outer(np.cos(t), axes[:, a]) + np.outer(np.sin(t), axes[:, b]))
        rings += [ring, np.full((1, 3), np.nan)]
    return np.concatenate(rings)


def _truth_trace_3d(true_components: tuple, mass: float) -> dict:
    """Dotted grey principal ellipses of every generating component at ``mass``."""
    means, covariances = (np.asarray(a, dtype=float) for a in true_components[:2])
    radius = mahalanobis_radius(mass, 3)
    pieces = [_principal_rings(m, c, radius) for m, c in zip(means, covariances)]
    path = np.concatenate(pieces) if pieces else np.empty((0, 3))
    return dict(
        type="scatter3d",
        x=path[:, 0],
        y=path[:, 1],
        z=path[:, 2],
        mode="lines",
        connectgaps=False,
        line={"color": "#555555", "width": 3, "dash": "dot"},
        name=f"generating components ({_percent(mass)}, dotted)",
        legendrank=2000,
        hoverinfo="skip",
        meta={"role": "truth", "mass": mass},
    )


def _scene_axis(title: str, values: np.ndarray) -> dict:
    """A 3-D axis with a large title and a fixed padded range."""
    return {
        "title": {"text": title, "font": {"size": FONT_SIZE + 2}},
        "range": _padded_range(values),
        "gridcolor": "#D9D9D9",
        "backgroundcolor": "white",
        "showbackground": True,
        "tickfont": {"size": FONT_SIZE - 3},
    }


def _layout_3d(
    X: np.ndarray,
    column_names: Sequence[str],
    n_shown: int,
    *,
    title: str | None,
    uirevision: str,
) -> dict:
    """Scene with fixed ranges, true aspect when the column spans are comparable."""
    scene = {
        "xaxis": _scene_axis(column_names[0], X[:, 0]),
        "yaxis": _scene_axis(column_names[1], X[:, 1]),
        "zaxis": _scene_axis(column_names[2], X[:, 2]),
        "aspectmode": "data" if _comparable_scales(X) else "cube",
        "uirevision": uirevision,
        "dragmode": "turntable",
        "camera": {"eye": {"x": 1.6, "y": -1.6, "z": 0.95}},  # the whole box in view
    }
    layout = {
        **_base_layout(uirevision),
        "scene": scene,
        "legend": _legend_below(0.0),
        "margin": {"l": 0, "r": 0, "t": 30, "b": 10},
        "annotations": _subsample_annotations(n_shown, len(X)),
        "hovermode": "closest",
    }
    if title is not None:
        layout["title"] = {"text": title, "x": 0.5, "xanchor": "center"}
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

    Returns
    -------
    plotly.graph_objects.Figure
        Traces in the order given in the module docstring.
    """
    X = _check_points(X, dim=3)
    _check_snapshot(len(X), responsibilities, means, covariances, weights, dim=3)
    means = np.asarray(means, dtype=float)
    covariances = np.asarray(covariances, dtype=float)
    weights = np.asarray(weights, dtype=float)
    levels = _sorted_masses(masses)
    shown = display_subsample(len(X), max_points, seed)
    gamma_shown = None if responsibilities is None else np.asarray(responsibilities)[shown]
    color_index, table = quantise_colors(_point_rgb(gamma_shown, len(shown), palette))
    varying = _points_varying(color_index, gamma_shown, column_names, True, axes="xyz")
    points = _points_trace(X[shown], {**varying, "type": "scatter3d"}, table, len(X))
    points["z"] = X[shown, 2]
    points["marker"] |= {"size": _marker_size_3d(len(shown)), "opacity": 0.9}
    components = _component_traces_3d(
        means, covariances, weights, levels, highlight, highlight_label, palette
    )
    traces = [points, *components]
    if true_components is not None:
        traces.append(_truth_trace_3d(true_components, levels[-1]))
    layout = _layout_3d(X, column_names, len(shown), title=title, uirevision=uirevision)
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
    highlight: Collection[int] = (),
    highlight_label: str = "collapsed",
    max_points: int | None = MAX_POINTS,
    seed: int = 0,
    true_components: tuple[np.ndarray, np.ndarray] | None = None,
    palette: Sequence[str] | None = None,
    uirevision: str = "gmm-3d",
    height: int = 380,
    showlegend: bool = False,
) -> list[go.Figure]:
    """Three small 2-D marginal views of a 3-D snapshot: (x1, x2), (x1, x3), (x2, x3).

    Each is a `gmm.figures.scatter_2d` of two columns with the marginal
    components N(μ[axes], Σ[axes][:, axes]) (`gmm.figures.geometry.marginal`), so
    its ellipses enclose the stated mass of the *projected* data.  Same
    parameters as `scatter_3d`; ``uirevision`` gets a "-x1-x2" style
    suffix per figure; the legend is hidden unless ``showlegend`` (the
    3-D figure next to them carries it).

    Returns
    -------
    list of 3 plotly.graph_objects.Figure
        In the order of `PROJECTION_PAIRS`; each has ``meta`` =
        ``{"role": "projection", "axes": [a, b]}`` on its layout.
    """
    X = _check_points(X, dim=3)
    _check_snapshot(len(X), responsibilities, means, covariances, weights, dim=3)
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
            highlight=highlight,
            highlight_label=highlight_label,
            max_points=max_points,
            seed=seed,
            true_components=truth,
            palette=palette,
            uirevision=f"{uirevision}-{names[0]}-{names[1]}",
        )
        fig.update_layout(
            height=height,
            showlegend=showlegend,
            margin={"l": 60, "r": 10, "t": 30, "b": 40},
            meta={"role": "projection", "axes": axes},
        )
        figures.append(fig)
    return figures


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
    lo, hi = _padded_range(x, 0.1)
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
                fillcolor=_rgba(color, SHARE_ALPHA),
                customdata=gamma[k].astype(np.float32),
                hovertemplate=(
                    f"x = %{{x:.3g}}: component {k + 1}'s share of p(x) is "
                    f"γ{_subscript(k)}(x) = %{{customdata:.2f}}<extra></extra>"
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
    name = _component_name(k, weight, highlight_label)
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
        hovertemplate=f"{name}<br>π{_subscript(k)} N(x) = %{{y:.3g}}<extra></extra>",
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
    dash_name = _mass_dash(level)[0]
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
        text += ["", f"k={k + 1} ", "", f" {_percent(mass)}"]
        positions += ["middle right", "middle left", "middle right", "middle right"]
    else:
        text[-1] = _percent(mass)
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
            f"Component {k + 1}: {_percent(mass)} of its mass lies in "
            f"[{lo:.3g}, {hi:.3g}]<extra></extra>"
        ),
        name=f"k={k + 1} · {_percent(mass)} interval",
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
        hovertemplate=(f"mean of component {k + 1}: μ{_subscript(k)} = {mean:.4g}<extra></extra>"),
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
        fillcolor=_rgba("#999999", 0.45),
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
    name = f"generating components ({_percent(mass)} intervals"
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

    Returns
    -------
    plotly.graph_objects.Figure
        Traces in the order given in the module docstring.
    """
    x = _check_points(np.reshape(np.asarray(x, dtype=float), (-1, 1)), dim=1)[:, 0]
    means = _as_column(means, "means")
    variances = _as_column(variances, "variances", len(means))
    weights = np.asarray(weights, dtype=float)
    _check_snapshot(
        len(x), responsibilities, means[:, None], variances[:, None, None], weights, dim=1
    )
    levels = _sorted_masses(masses)
    n_components = len(means)
    flagged = set(highlight)

    histogram, height = _histogram_trace(x, bins)
    span = float(np.ptp(x)) or 1.0
    safe_var = np.maximum(variances, VARIANCE_FLOOR * span**2)
    grid = _density_grid(x, means, np.sqrt(safe_var))
    weighted = weights[:, None] * _normal_pdf(grid, means, safe_var)
    mixture = weighted.sum(axis=0)

    # Above the axis: curves up to `top`; below: the rug band, then one
    # bracket row per component and one for the truth (all in units of
    # the tallest bar, so the strip depends on the data and K only).
    peak = float(mixture.max()) if n_components else 0.0
    top = 1.12 * height * np.ceil(4.0 * np.clip(peak / height, 1.0, 2.5)) / 4.0
    rug_band = (-0.15 * height, -0.03 * height)
    rows = -0.25 * height - 0.11 * height * np.arange(n_components + 1)
    tick = 0.03 * height
    n_rows = n_components + (true_components is not None)
    bottom = (rows[n_rows - 1] if n_rows else rug_band[0]) - 0.08 * height
    view = _padded_range(x)

    shown = display_subsample(len(x), max_points, seed)
    gamma_shown = None if responsibilities is None else np.asarray(responsibilities)[shown]
    color_index, table = quantise_colors(_point_rgb(gamma_shown, len(shown), palette))
    varying = _points_varying(color_index, gamma_shown, [column_name], True, axes="x")
    # Own stream: seeded generators of the data must not correlate with the jitter.
    jitter = np.random.default_rng([seed, 7411]).uniform(*rug_band, len(shown))
    points = _points_trace(np.column_stack([x[shown], jitter]), varying, table, len(x))
    points["marker"] |= {
        "symbol": "line-ns-open",
        "size": 9,
        "opacity": 0.8,
        "line": {"width": 1.5},
    }
    points |= {
        "name": "data points (rug), coloured by responsibility",
        "showlegend": True,
        "legendrank": 2,
    }

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
    layout = _layout_1d(x, column_name, len(shown), top, bottom, title=title, uirevision=uirevision)
    return go.Figure(data=traces, layout=layout, _validate=False)


def _layout_1d(
    x: np.ndarray,
    column_name: str,
    n_shown: int,
    top: float,
    bottom: float,
    *,
    title: str | None,
    uirevision: str,
) -> dict:
    """Ranges from `density_1d`, density ticks from 0 up only, legend below."""
    ticks = _nice_ticks(top)
    layout = {
        **_base_layout(uirevision),
        "xaxis": {**_axis_style(column_name), "range": _padded_range(x)},
        "yaxis": {
            **_axis_style("density"),
            "range": [bottom, top],
            "tickvals": ticks,
            "zeroline": True,
            "zerolinecolor": "#444444",
            "zerolinewidth": 1.5,
        },
        "legend": _legend_below(-0.2),  # below the axis title
        "barmode": "overlay",
        "hovermode": "closest",
        "margin": {"l": 70, "r": 10, "t": 30, "b": 40},
        "annotations": _rug_annotations(n_shown, len(x)),
    }
    if title is not None:
        layout["title"] = {"text": title, "x": 0.5, "xanchor": "center"}
    return layout


def _rug_annotations(n_shown: int, n_total: int) -> list[dict]:
    """The 2-D "showing 20,000 of 200,000 points" note, saying it is the rug."""
    notes = _subsample_annotations(n_shown, n_total)
    for note in notes:
        note["text"] = f"rug {note['text']}; histogram uses all"
    return notes
