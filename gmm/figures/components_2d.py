"""The components of the 2-D view: mass-level ellipses, means, the mass key, the truth.

Each component k is drawn as M outlines (one per probability mass, innermost shaded,
the outermost labelled with its mass where the label stays inside the plot and clear
of the other outlines, `gmm.figures.labels`) and a marker at its mean, which is also
its legend entry; `gmm.figures.view_2d` documents the order of the traces.  Outlines are
cut into dashes geometrically (`MASS_DASHES`), because WebGL dashes are drawn unevenly
(plotly.js issue #2946); every trace is WebGL (``scattergl``) so that it is drawn
above the points.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np

from .colors import ALERT, component_color, darken
from .geometry import ellipses, mahalanobis_radius
from .labels import LabelPlace, inside_ellipses, place_labels
from .style import (
    FILL_ALPHA,
    FONT_SIZE,
    INK,
    MASS_DASHES,
    component_name,
    hover_label,
    mass_dash,
    percent,
    rgba,
    sorted_masses,
)

__all__ = ["component_traces", "dashed", "mass_key_traces", "truth_trace"]

#: Points sampled along each dash.
POINTS_PER_DASH = 4
#: Dash pattern of the generating components' outlines (dotted).
TRUTH_DASH = MASS_DASHES[2]
#: Points per ellipse outline.
ELLIPSE_POINTS = 100
#: Font size of the mass label on each outermost outline.
LABEL_FONT_SIZE = FONT_SIZE


def _ellipse_trace(
    outline: np.ndarray,
    k: int,
    mass: float,
    level: int,
    n_levels: int,
    color: str,
    highlighted: bool,
    label_at: LabelPlace | None = None,
    name: str | None = None,
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
    label_at : LabelPlace, optional
        Where to write the mass ("90%") on the outermost outline; None: no label.
    name : str, optional
        The component's legend name ("Component 2 · π = 0.29"), named in the hover.

    Returns
    -------
    dict
        Plain ``scattergl`` trace spec.
    """
    label = f"k={k + 1} · {percent(mass)}"
    legend_name = name or f"Component {k + 1}"
    dash_name, n_dashes, drawn = mass_dash(level)
    path = dashed(outline, n_dashes, drawn)
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
        hovertemplate=(f"{legend_name}<br>{percent(mass)} of its mass lies inside<extra></extra>"),
        hoverlabel=hover_label(bordercolor=line_color),
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
    if label_at is not None and level == n_levels - 1:
        trace |= _outline_label(trace, label_at, percent(mass), line_color)
        trace["meta"]["label"] = label_at._asdict()
    return trace


def _outline_label(trace: dict, place: LabelPlace, label: str, color: str) -> dict:
    """Properties adding a text ``label`` at ``place`` on the outline.

    The label point is appended to the trace's path after a NaN gap.
    WebGL traces draw text only when markers are on, so the markers are
    made invisible (size 0, transparent).  The text is set outward from the
    outline (``place.position``), bold, in the outline's colour.
    """
    return {
        "x": np.append(trace["x"], [np.nan, place.x]),
        "y": np.append(trace["y"], [np.nan, place.y]),
        "mode": "lines+markers+text",
        "marker": {"size": 0, "color": "rgba(0,0,0,0)", "line": {"width": 0}},
        "text": [""] * (len(trace["x"]) + 1) + [label],
        "textposition": place.position,
        "textfont": {"color": color, "size": LABEL_FONT_SIZE, "weight": "bold"},
    }


def dashed(path: np.ndarray, n_dashes: int, drawn: float) -> np.ndarray:
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
        hoverlabel=hover_label(bordercolor=ALERT if highlighted else darken(color)),
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
    label_area: tuple[Sequence[float], Sequence[float]] | None = None,
    equal_aspect: bool = True,
    type_scale: float = 1.0,
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
    label_area : ([x_min, x_max], [y_min, y_max]), optional
        The axis ranges: each outermost outline's mass label is placed
        inside them, clear of the other outlines (`gmm.figures.labels`).
        Default: the outlines' own extent.
    equal_aspect : bool, default True
        Whether the plot draws x and y at one scale (for the label sizes).
    type_scale : float, default 1
        The labels are placed for text this many times larger: the figure's type is
        scaled afterwards (`gmm.figures.style.scaled_type`).

    Returns
    -------
    list of dict, length K * (M + 1)
        For each component: M outlines (innermost first), then its mean.
        The labelled outline's ``meta["label"]`` holds the label's anchor
        ``x``, ``y`` and Plotly text ``position``.
    """
    levels = sorted_masses(masses)
    outlines = [ellipses(means, covariances, m, ELLIPSE_POINTS) for m in levels]
    flagged_set = set(highlight)
    n_components = len(means)
    places: list[LabelPlace | None] = [None] * n_components
    if not compact and n_components:
        texts = [percent(levels[-1])] * n_components
        places = place_labels(
            list(outlines[-1]),
            texts,
            LABEL_FONT_SIZE * type_scale,
            label_area,
            equal_aspect=equal_aspect,
            inside=inside_ellipses(means, covariances, mahalanobis_radius(levels[-1], 2)),
        )
    traces = []
    for k in range(n_components):
        color = component_color(k, palette)
        flagged = k in flagged_set
        label = highlight_label if flagged else None
        name = component_name(k, weights[k], label)
        traces += [
            _ellipse_trace(outlines[j][k], k, m, j, len(levels), color, flagged, places[k], name)
            for j, m in enumerate(levels)
        ]
        traces.append(_mean_trace(means[k], weights[k], k, color, label, compact))
    return traces


def mass_key_traces(masses: tuple[float, ...]) -> list[dict]:
    """Legend-only grey lines explaining the dash of each mass level."""
    return [
        dict(
            type="scatter",
            x=[None],
            y=[None],
            mode="lines",
            line={"color": INK, "width": 2.5, "dash": mass_dash(j)[0]},
            name=f"{percent(m)} of a component's mass",
            legendgroup="mass_key",
            legendrank=1000 + j,
            hoverinfo="skip",
            meta={"role": "mass_key", "mass": m},
        )
        for j, m in enumerate(masses)
    ]


def truth_trace(true_components: tuple[np.ndarray, np.ndarray], mass: float) -> dict:
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
    pieces = [np.vstack([dashed(o, n_dashes, drawn), gap]) for o in outlines]
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
